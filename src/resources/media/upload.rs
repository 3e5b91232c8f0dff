//! Reading an upload: a `multipart/form-data` body with one `file` part and the text parts
//! its form has, read as it arrives: the file bounded by the upload limit (413 past it),
//! each text part by the longest field's limit.

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{dev, HttpRequest};
use futures_util::StreamExt;
use std::borrow::Cow;

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::error::{ApiError, FieldError};
use crate::input::kinds::{Line, Text, PLACEHOLDER_NAME};
use crate::input::Patch;

/// An upload's form: the picture and the text that comes with it. Its text parts are read
/// as the fields of a JSON body would be (every bad or unknown part named in one 422); the
/// file is read apart, bounded by the upload limit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadForm {
    /// The picture: JPEG, PNG, WebP or GIF (its first frame is sized), told by its bytes,
    /// not its name or type.
    #[serde(default)]
    #[schema(inline, required = true)]
    pub file: FilePart,
    /// Alternative text for screen readers; empty when left out.
    #[serde(default)]
    #[schema(inline)]
    pub alt: Patch<Text<500>>,
    /// The caption shown under the picture.
    #[serde(default)]
    #[schema(inline)]
    pub caption: Patch<Line<1000>>,
    /// Who took or made the picture.
    #[serde(default)]
    #[schema(inline)]
    pub credit: Patch<Line<200>>,
}

/// A replacement file's form: the picture alone (its text is changed with PATCH).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileForm {
    /// The new picture, checked as on upload.
    #[serde(default)]
    #[schema(inline, required = true)]
    pub file: FilePart,
}

/// A form with a file part.
pub trait WithFile: DeserializeOwned + PartialSchema {
    fn set_file(&mut self, file: Bytes);
}

impl WithFile for UploadForm {
    fn set_file(&mut self, file: Bytes) {
        self.file = FilePart(file);
    }
}

impl WithFile for FileForm {
    fn set_file(&mut self, file: Bytes) {
        self.file = FilePart(file);
    }
}

/// A form's file part: its bytes, read apart from the text parts (so never from a text).
#[derive(Debug, Default)]
pub struct FilePart(pub Bytes);

/// What [`read`] puts under `file` among the text parts when the form had a file part,
/// for the form's own rules (`file` is required) to see: no text part can be it, as every
/// part named `file` is read as the file.
const FILE_SENT: Value = Value::Bool(true);

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            FILE_SENT => Ok(Self::default()),
            _ => Err(de::Error::custom("must be sent as a file")),
        }
    }
}

impl PartialSchema for FilePart {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .content_media_type("application/octet-stream")
            .into()
    }
}

impl ToSchema for FilePart {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
}

/// A text part is at most this many bytes (the longest field, 500 characters, in 4-byte
/// UTF-8, with room to spare).
const MAX_TEXT_PART: usize = 4 * 1024;

/// Whether the request sends a form with files.
pub fn is_multipart(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("multipart/form-data"))
}

/// Reads the form: the file (required, one), the text parts, nothing else. A part the
/// form does not have, a second file or a missing one, and a bad text part are named in
/// one 422.
pub async fn read<F: WithFile>(
    req: &HttpRequest,
    payload: dev::Payload,
    max_file_bytes: usize,
    body_timeout: std::time::Duration,
) -> Result<F, ApiError> {
    let refuse = |error| malformed(error, body_timeout);
    if let Some(length) = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok())
    {
        // The whole form may hold a little more than the file: its boundaries and texts.
        if length > max_file_bytes + 64 * 1024 {
            return Err(ApiError::PayloadTooLarge(max_file_bytes));
        }
    }
    let mut form = Multipart::new(req.headers(), payload);
    let mut file: Option<Bytes> = None;
    let mut texts = Map::new();
    let mut errors = Vec::new();
    while let Some(part) = form.next().await {
        let mut part = part.map_err(&refuse)?;
        let name = part.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" if file.is_some() => {
                drain(&mut part, &refuse).await?;
                errors.push(FieldError::new("file", "must be sent once"));
            }
            "file" => file = Some(collect(&mut part, max_file_bytes, true, &refuse).await?),
            _ if texts.contains_key(&name) => {
                drain(&mut part, &refuse).await?;
                errors.push(FieldError::new(name, "must be sent once"));
            }
            // The form's own rules say which text parts it has.
            _ => {
                let bytes = collect(&mut part, MAX_TEXT_PART, false, &refuse).await?;
                match String::from_utf8(bytes.to_vec()) {
                    Ok(text) => {
                        texts.insert(name, Value::String(text));
                    }
                    Err(_) => errors.push(FieldError::new(name, "must be UTF-8 text")),
                }
            }
        }
    }
    if file.is_some() {
        texts.insert("file".into(), FILE_SENT);
    }
    let form = match crate::input::parse::<F>(Value::Object(texts)) {
        Ok(form) => Some(form),
        Err(ApiError::Invalid(bad)) => {
            errors.extend(bad);
            None
        }
        Err(other) => return Err(other),
    };
    match (errors.is_empty(), form, file) {
        (true, Some(mut form), Some(file)) => {
            form.set_file(file);
            Ok(form)
        }
        _ => Err(ApiError::Invalid(errors)),
    }
}

/// A part's bytes, at most `max`: past it, the whole request is refused (413 for the
/// file, 422 for a text part).
async fn collect(
    part: &mut Field,
    max: usize,
    is_file: bool,
    malformed: &impl Fn(MultipartError) -> ApiError,
) -> Result<Bytes, ApiError> {
    let mut bytes = BytesMut::new();
    while let Some(chunk) = part.next().await {
        let chunk = chunk.map_err(malformed)?;
        if bytes.len() + chunk.len() > max {
            return Err(if is_file {
                ApiError::PayloadTooLarge(max)
            } else {
                let name = part.name().unwrap_or_default().to_owned();
                ApiError::Invalid(vec![FieldError::new(
                    name,
                    format!("must be at most {max} bytes"),
                )])
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.freeze())
}

async fn drain(
    part: &mut Field,
    malformed: &impl Fn(MultipartError) -> ApiError,
) -> Result<(), ApiError> {
    while let Some(chunk) = part.next().await {
        chunk.map_err(malformed)?;
    }
    Ok(())
}

/// A body that is not a well-formed form (400), or one that stopped arriving (408).
fn malformed(error: MultipartError, body_timeout: std::time::Duration) -> ApiError {
    if let MultipartError::Payload(payload) = &error {
        if crate::http::body::is_deadline(payload) {
            return ApiError::RequestTimeout(body_timeout);
        }
    }
    ApiError::BadRequest(format!("the form cannot be read: {error}"))
}
