use std::borrow::Cow;

use serde::{de, Deserialize, Deserializer, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::input::kinds::{Int, Line, Text, Url, PLACEHOLDER_NAME};
use crate::input::{Optional, Patch};

/// An image with what a frontend needs to lay it out before it loads.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 3, "url": "/media/2021/11/humiao-training.jpg",
    "alt": "南山区儿童主任网络安全专题培训暨护苗工作站交流活动",
    "caption": "南山区儿童主任网络安全专题培训暨护苗工作站交流活动",
    "width": 1080, "height": 720, "mime_type": "image/jpeg", "version": 1
}))]
pub struct Image {
    pub id: i64,
    /// Absolute URL or a path on the site's media host.
    pub url: String,
    /// Alternative text for screen readers.
    pub alt: String,
    /// The caption shown under the image, if any.
    #[schema(required = true)]
    pub caption: Option<String>,
    /// Width in pixels, when known.
    #[schema(required = true)]
    pub width: Option<i32>,
    /// Height in pixels, when known.
    #[schema(required = true)]
    pub height: Option<i32>,
    pub mime_type: String,
    /// Incremented on every change; editors send it back as `If-Match: "<version>"`.
    pub version: i64,
}

/// A media type, `type/subtype` (`image/jpeg`), trimmed: at most 100 characters, no white
/// space or control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MimeType(pub String);

const MIME_MAX: usize = 100;

/// Matches [`MimeType`] before trimming: a part without `/`, a `/`, then at least one more
/// character, none white space or a control character.
const MIME_PATTERN: &str =
    "^\\s*[^/\\s\\u0000-\\u001F\\u007F-\\u009F]+/[^\\s\\u0000-\\u001F\\u007F-\\u009F]+\\s*$";

impl<'de> Deserialize<'de> for MimeType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Line(mime) = Line::<MIME_MAX>::deserialize(deserializer)?;
        let shaped = mime
            .split_once('/')
            .is_some_and(|(kind, subtype)| !kind.is_empty() && !subtype.is_empty());
        if !shaped || mime.chars().any(char::is_whitespace) {
            return Err(de::Error::custom(
                "must be a media type without spaces, like image/jpeg",
            ));
        }
        Ok(Self(mime))
    }
}

impl PartialSchema for MimeType {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(3))
            .max_length(Some(MIME_MAX))
            .pattern(Some(MIME_PATTERN))
            .description(Some("A media type, `type/subtype`: `image/jpeg`."))
            .into()
    }
}

impl ToSchema for MimeType {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
}

/// A new media record: the file lives on a media host, this records it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "/media/2021/11/humiao-training.jpg", "mime_type": "image/jpeg",
    "alt": "南山区儿童主任网络安全专题培训暨护苗工作站交流活动", "caption": "培训现场",
    "width": 1080, "height": 720
}))]
pub struct NewMedia {
    /// Where the file is: an absolute URL or a path on the site's media host.
    #[schema(inline)]
    pub url: Url<2000>,
    #[schema(inline)]
    pub mime_type: MimeType,
    /// Alternative text for screen readers; empty when left out.
    #[serde(default)]
    #[schema(inline)]
    pub alt: Patch<Text<500>>,
    /// The caption shown under the image.
    #[serde(default)]
    #[schema(inline)]
    pub caption: Patch<Line<1000>>,
    /// Width in pixels.
    #[serde(default)]
    #[schema(inline)]
    pub width: Patch<Int<1, 100_000>>,
    /// Height in pixels.
    #[serde(default)]
    #[schema(inline)]
    pub height: Patch<Int<1, 100_000>>,
}

/// Changes to a media record: the fields to change, the others left out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"alt": "护苗工作站交流活动现场", "caption": null}))]
pub struct MediaChanges {
    #[serde(default)]
    #[schema(inline)]
    pub url: Optional<Url<2000>>,
    #[serde(default)]
    #[schema(inline)]
    pub mime_type: Optional<MimeType>,
    /// `null` empties it.
    #[serde(default)]
    #[schema(inline)]
    pub alt: Patch<Text<500>>,
    /// `null` removes it.
    #[serde(default)]
    #[schema(inline)]
    pub caption: Patch<Line<1000>>,
    /// `null` when unknown.
    #[serde(default)]
    #[schema(inline)]
    pub width: Patch<Int<1, 100_000>>,
    /// `null` when unknown.
    #[serde(default)]
    #[schema(inline)]
    pub height: Patch<Int<1, 100_000>>,
}
