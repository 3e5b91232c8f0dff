//! Write bodies as types. Each write has one serde + `ToSchema` struct that is at once the
//! parser, the spec's request schema and the source of the store's changes. Its fields are
//! the kinds in [`kinds`] (a length-checked line, a slug, an id …), each of which states its
//! rule once, for both the parser and the schema, and its optional fields are a [`Patch`]
//! (absent / null / value) or an [`Optional`] (absent / value).
//!
//! [`parse`] reads a JSON body into such a struct and reports every bad field in one 422:
//! serde stops at the first error, so each failing field is noted and dropped and the rest
//! read again.

pub mod kinds;
mod patch;

pub use patch::{Optional, Patch};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::PartialSchema;

use crate::error::{ApiError, FieldError};

/// Reads `body` into `T`: unknown fields, missing required ones and every bad value are
/// named, all at once.
pub fn parse<T: DeserializeOwned + PartialSchema>(body: Value) -> Result<T, ApiError> {
    let Value::Object(mut fields) = body else {
        return Err(invalid("body", "must be a JSON object"));
    };
    let (known, required) = shape::<T>();
    let mut errors = Vec::new();
    fields.retain(|key, _| {
        let is_known = known.iter().any(|name| name == key);
        if !is_known {
            errors.push(FieldError::new(
                key.clone(),
                format!("is not a field; expected one of: {}", known.join(", ")),
            ));
        }
        is_known
    });
    for name in &required {
        if !fields.contains_key(name) {
            errors.push(FieldError::new(name.clone(), "is required"));
        }
    }
    loop {
        match serde_path_to_error::deserialize::<_, T>(Value::Object(fields.clone())) {
            Ok(input) if errors.is_empty() => return Ok(input),
            Ok(_) => break,
            Err(error) => {
                let path = error.path().to_string();
                let field = top_field(&path, &fields);
                let message = error.into_inner().to_string();
                match field {
                    Some(field) => {
                        errors.push(FieldError::new(path, message));
                        fields.remove(&field);
                    }
                    // A missing required field (already named above) or the body as a whole.
                    None => {
                        if errors.is_empty() {
                            errors.push(FieldError::new("body", message));
                        }
                        break;
                    }
                }
            }
        }
    }
    Err(ApiError::Invalid(errors))
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::Invalid(vec![FieldError::new(field, message)])
}

/// The body field a serde error path starts in (`items[2].label` → `items`), if it is one.
fn top_field(path: &str, fields: &Map<String, Value>) -> Option<String> {
    let head = path.split(['.', '[']).next().unwrap_or_default();
    fields.contains_key(head).then(|| head.to_owned())
}

/// The property names and the required ones of `T`'s object schema.
fn shape<T: PartialSchema>() -> (Vec<String>, Vec<String>) {
    match T::schema() {
        RefOr::T(Schema::Object(object)) => (
            object.properties.keys().cloned().collect(),
            object.required.clone(),
        ),
        _ => (Vec::new(), Vec::new()),
    }
}
