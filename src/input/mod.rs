//! Write bodies as types. Each write has one serde + `ToSchema` struct that is at once the
//! parser, the spec's request schema and the source of the store's changes. Its fields are
//! the kinds in [`kinds`] (a length-checked line, a slug, an id …), each of which states its
//! rule once, for both the parser and the schema, and its optional fields are a [`Patch`]
//! (absent / null / value) or an [`Optional`] (absent / value).
//!
//! [`parse`] reads a JSON body into such a struct and reports every bad field in one 422:
//! serde stops at the first error, so each failing part is noted and dropped and the rest
//! read again ([`prune`]), down to the fields of nested objects and list elements.

pub mod kinds;
mod patch;
mod prune;

pub use patch::{Optional, Patch};

use serde::de::DeserializeOwned;
use serde_json::Value;
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
    let mut body = Value::Object(fields);
    let mut pruner = prune::Pruner::default();
    loop {
        match serde_path_to_error::deserialize::<_, T>(body.clone()) {
            Ok(input) if errors.is_empty() => return Ok(input),
            Ok(_) => break,
            Err(error) => {
                let path = error.path().clone();
                let message = error.into_inner().to_string();
                if !pruner.prune(&mut body, &path, message, &mut errors) {
                    break;
                }
            }
        }
    }
    Err(ApiError::Invalid(errors))
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::Invalid(vec![FieldError::new(field, message)])
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

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;
    use utoipa::ToSchema;

    use super::kinds::{Id, Line};
    use super::{parse, Optional};
    use crate::error::ApiError;

    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shelf {
        #[schema(inline)]
        name: Line<10>,
        #[schema(inline)]
        books: Vec<Book>,
    }

    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Book {
        #[schema(inline)]
        title: Line<10>,
        #[serde(default)]
        #[schema(inline)]
        author: Optional<Id>,
        #[serde(default)]
        #[schema(no_recursion)]
        parts: Vec<Book>,
    }

    fn errors(body: serde_json::Value) -> Vec<(String, String)> {
        match parse::<Shelf>(body) {
            Err(ApiError::Invalid(errors)) => errors
                .into_iter()
                .map(|error| (error.field, error.message))
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    fn fields(body: serde_json::Value) -> Vec<String> {
        let mut fields: Vec<String> = errors(body).into_iter().map(|(field, _)| field).collect();
        fields.sort();
        fields
    }

    #[test]
    fn every_bad_part_of_a_nested_body_is_named_by_its_path_as_sent() {
        assert_eq!(
            fields(json!({"name": "书架", "books": [
                "no book",
                {"title": ""},
                {"title": "好书", "author": 0, "colour": "red", "parts": [
                    {"author": 1},
                    {"title": "下册", "parts": [{"title": 5}]}
                ]},
                {"title": "太长的书名太长的书名太长"}
            ]})),
            [
                "books[0]",
                "books[1].title",
                "books[2].author",
                "books[2].colour",
                "books[2].parts[0].title",
                "books[2].parts[1].parts[0].title",
                "books[3].title"
            ]
        );
    }

    #[test]
    fn messages_read_like_the_top_levels() {
        let found = errors(json!({"name": "书架", "books": [1, {"title": "书", "colour": 1}, {}]}));
        assert_eq!(
            found,
            [
                ("books[0]".to_owned(), "must be an object".to_owned()),
                (
                    "books[1].colour".to_owned(),
                    "is not a field; expected one of: title, author, parts".to_owned()
                ),
                ("books[2].title".to_owned(), "is required".to_owned()),
            ]
        );
    }

    #[test]
    fn a_field_dropped_for_its_own_error_is_not_also_missing() {
        assert_eq!(
            errors(json!({"name": "", "books": [{"title": 1}]})),
            [
                ("books[0].title".to_owned(), "must be a string".to_owned()),
                ("name".to_owned(), "must not be empty".to_owned()),
            ]
        );
        assert_eq!(fields(json!({"books": "none"})), ["books", "name"]);
        assert!(parse::<Shelf>(
            json!({"name": "书架", "books": [{"title": "书", "parts": [{"title": "上"}]}]})
        )
        .is_ok());
    }
}
