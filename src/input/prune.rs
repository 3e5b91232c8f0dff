//! Reading on past a bad part of a body. serde stops at the first error, so [`super::parse`]
//! names it, drops the smallest part of the body it is about and reads the rest again: a bad
//! field goes; a list element or object goes when it lacks a field it needs. Every error is
//! named by its path in the body as sent (`items[2].children[0].label`), also once earlier
//! elements of its list were dropped.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use serde_path_to_error::{Path, Segment};

use crate::error::FieldError;

enum Step {
    Key(String),
    Index(usize),
}

#[derive(Default)]
pub(super) struct Pruner {
    /// The elements dropped from each list, by the list's path as sent: their indices as
    /// sent, ascending.
    elements: HashMap<String, Vec<usize>>,
    /// The fields dropped, by path as sent.
    fields: HashSet<String>,
}

impl Pruner {
    /// Names the error serde met at `path` and drops what it is about from `body`. False
    /// when that is the body itself: nothing more can be read.
    pub(super) fn prune(
        &mut self,
        body: &mut Value,
        path: &Path,
        message: String,
        errors: &mut Vec<FieldError>,
    ) -> bool {
        let mut steps = Vec::new();
        for segment in path.iter() {
            match segment {
                Segment::Map { key } => steps.push(Step::Key(key.clone())),
                Segment::Seq { index } => steps.push(Step::Index(*index)),
                // An enum's variant, or a key that is no string: the error is about the
                // part holding it.
                Segment::Enum { .. } | Segment::Unknown => break,
            }
        }
        let at = self.as_sent(&steps);
        if let Some(field) = quoted(&message, "missing field `") {
            // Named once, unless it went for an error of its own; then the part that
            // needs it goes.
            let name = if at.is_empty() {
                field.to_owned()
            } else {
                format!("{at}.{field}")
            };
            if !self.fields.contains(&name) && !errors.iter().any(|error| error.field == name) {
                errors.push(FieldError::new(name, "is required"));
            }
        } else if let Some((_, expected)) = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once("`, "))
        {
            // Worded like the top level's: "expected one of: name, items".
            let expected =
                expected
                    .replace('`', "")
                    .replacen("expected one of ", "expected one of: ", 1);
            errors.push(FieldError::new(
                at.clone(),
                format!("is not a field; {expected}"),
            ));
        } else if message.starts_with("invalid type: ") && message.contains(", expected struct ") {
            errors.push(FieldError::new(at.clone(), "must be an object"));
        } else if at.is_empty() {
            errors.push(FieldError::new("body", message));
        } else {
            errors.push(FieldError::new(at.clone(), message));
        }
        self.drop(body, &steps, at)
    }

    /// Removes the part `steps` lead to; false if there is none (or it is the body).
    fn drop(&mut self, body: &mut Value, steps: &[Step], at: String) -> bool {
        let Some((last, parent)) = steps.split_last() else {
            return false;
        };
        let list = self.as_sent(parent);
        match (last, walk(body, parent)) {
            (Step::Key(key), Some(Value::Object(object))) if object.contains_key(key) => {
                object.remove(key);
                self.fields.insert(at);
                true
            }
            (Step::Index(index), Some(Value::Array(items))) if *index < items.len() => {
                items.remove(*index);
                let original = self.original(&list, *index);
                let dropped = self.elements.entry(list).or_default();
                let place = dropped.partition_point(|gone| *gone < original);
                dropped.insert(place, original);
                true
            }
            // Not where serde said: the whole top-level field goes.
            _ => match (steps.first(), body) {
                (Some(Step::Key(key)), Value::Object(object)) if object.contains_key(key) => {
                    object.remove(key);
                    self.fields.insert(key.clone());
                    true
                }
                _ => false,
            },
        }
    }

    /// The path `steps` (through the body as read now) in the body as sent.
    fn as_sent(&self, steps: &[Step]) -> String {
        let mut path = String::new();
        for step in steps {
            match step {
                Step::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Step::Index(index) => {
                    let original = self.original(&path, *index);
                    path.push_str(&format!("[{original}]"));
                }
            }
        }
        path
    }

    /// The index as sent of what is now element `index` of the list at `list`.
    fn original(&self, list: &str, index: usize) -> usize {
        let mut original = index;
        for gone in self.elements.get(list).into_iter().flatten() {
            if *gone <= original {
                original += 1;
            }
        }
        original
    }
}

fn walk<'a>(mut value: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    for step in steps {
        value = match step {
            Step::Key(key) => value.as_object_mut()?.get_mut(key)?,
            Step::Index(index) => value.as_array_mut()?.get_mut(*index)?,
        };
    }
    Some(value)
}

/// The name in serde's "missing field `name`".
fn quoted<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.strip_suffix('`')
}
