//! The two shapes of an optional field in a write body.

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

/// A field of a nullable column: absent (keep), `null` (clear) or a new value. Give it
/// `#[serde(default)]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Patch<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Patch<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// The new value of a nullable column: None leaves it unchanged.
    pub fn into_update(self) -> Option<Option<T>> {
        match self {
            Self::Absent => None,
            Self::Null => Some(None),
            Self::Value(value) => Some(Some(value)),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Self::Absent => Patch::Absent,
            Self::Null => Patch::Null,
            Self::Value(value) => Patch::Value(f(value)),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            None => Self::Null,
            Some(value) => Self::Value(value),
        })
    }
}

impl<T: utoipa::PartialSchema> utoipa::__dev::ComposeSchema for Patch<T> {
    fn compose(mut generics: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let inner = if generics.is_empty() {
            T::schema()
        } else {
            generics.swap_remove(0)
        };
        nullable(inner)
    }
}

impl<T: utoipa::PartialSchema> utoipa::ToSchema for Patch<T> {}

/// A field that may be left out (keep) or set, but not cleared: `null` is refused. Give it
/// `#[serde(default)]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Optional<T> {
    #[default]
    Absent,
    Value(T),
}

impl<T> Optional<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent => None,
        }
    }

    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Optional<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Option::<T>::deserialize(deserializer)? {
            Some(value) => Ok(Self::Value(value)),
            None => Err(serde::de::Error::custom(
                "must not be null: leave it out to keep the current value",
            )),
        }
    }
}

impl<T: utoipa::PartialSchema> utoipa::__dev::ComposeSchema for Optional<T> {
    fn compose(mut generics: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        if generics.is_empty() {
            T::schema()
        } else {
            generics.swap_remove(0)
        }
    }
}

impl<T: utoipa::PartialSchema> utoipa::ToSchema for Optional<T> {}

/// `schema` or `null`: the type list gains `null` (and so does an enum), or a reference is
/// wrapped in `oneOf`.
fn nullable(schema: RefOr<Schema>) -> RefOr<Schema> {
    match schema {
        RefOr::T(Schema::Object(mut object)) => {
            if let SchemaType::Type(kind) = object.schema_type.clone() {
                object.schema_type = SchemaType::from_iter([kind, Type::Null]);
            }
            if let Some(values) = object.enum_values.as_mut() {
                values.push(Value::Null);
            }
            RefOr::T(Schema::Object(object))
        }
        other => OneOfBuilder::new()
            .item(other)
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .into(),
    }
}
