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
    "width": 1080, "height": 720, "mime_type": "image/jpeg",
    "credit": "南山区妇联", "byte_size": 182113,
    "placeholder": "LEHV6nWB2yk8pyo0adR*.7kCMdnj", "focal_point": {"x": 0.5, "y": 0.35},
    "renditions": [
        {"url": "/media/2021/11/3f9a0c1e2b7d4a55/w320.webp", "width": 320, "height": 213, "mime_type": "image/webp"},
        {"url": "/media/2021/11/3f9a0c1e2b7d4a55/w320.jpg", "width": 320, "height": 213, "mime_type": "image/jpeg"}
    ],
    "version": 1
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
    /// Who took or made the picture, to show with it.
    #[schema(required = true)]
    pub credit: Option<String>,
    /// The full-size copy's size in bytes, for an uploaded file.
    #[schema(required = true)]
    pub byte_size: Option<i64>,
    /// A [BlurHash](https://blurha.sh) of the picture (4×3 components), to paint while it
    /// loads, for an uploaded file.
    #[schema(required = true)]
    pub placeholder: Option<String>,
    /// The point to keep in view when a frontend crops the picture.
    #[schema(required = true)]
    pub focal_point: Option<FocalPoint>,
    /// Sized copies of an uploaded file, narrowest first, in WebP and in the file's own
    /// format: a `srcset` is the `url` and `width` of those of one `mime_type`. Empty for a
    /// record of a file kept elsewhere.
    pub renditions: Vec<Rendition>,
    /// Incremented on every change; editors send it back as `If-Match: "<version>"`.
    pub version: i64,
}

/// One sized copy of an uploaded picture.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[schema(example = json!({"url": "/media/2021/11/3f9a0c1e2b7d4a55/w640.webp", "width": 640, "height": 427, "mime_type": "image/webp"}))]
pub struct Rendition {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub mime_type: String,
}

/// A point of a picture, from its top-left corner: `x` across and `y` down, each from 0 to 1.
// `remote = "Self"`: serde derives an inherent `deserialize`, which the `Deserialize` impl
// below wraps with the range check.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(remote = "Self", deny_unknown_fields)]
#[schema(example = json!({"x": 0.5, "y": 0.35}))]
pub struct FocalPoint {
    #[schema(minimum = 0, maximum = 1)]
    pub x: f64,
    #[schema(minimum = 0, maximum = 1)]
    pub y: f64,
}

impl Serialize for FocalPoint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Self::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for FocalPoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let point = Self::deserialize(deserializer)?;
        if [point.x, point.y].iter().all(|v| (0.0..=1.0).contains(v)) {
            Ok(point)
        } else {
            Err(de::Error::custom("x and y must each be from 0 to 1"))
        }
    }
}

/// Stored in ten-thousandths (an integer on every backend).
const FOCAL_SCALE: f64 = 10_000.0;

impl FocalPoint {
    pub fn from_stored(x: Option<i32>, y: Option<i32>) -> Option<Self> {
        Some(Self {
            x: f64::from(x?) / FOCAL_SCALE,
            y: f64::from(y?) / FOCAL_SCALE,
        })
    }

    /// `(x, y)` in ten-thousandths, as stored.
    pub fn stored(self) -> (i32, i32) {
        let scale = |v: f64| (v.clamp(0.0, 1.0) * FOCAL_SCALE).round() as i32;
        (scale(self.x), scale(self.y))
    }
}

/// A media type, `type/subtype` (`image/jpeg`), trimmed: at most 100 characters, no white
/// space or control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MimeType(pub String);

const MIME_MAX: usize = 100;

/// Matches [`MimeType`] before trimming: a part without `/`, a `/`, then at least one more
/// character, none white space or a control character; spaces around it (not tabs or
/// line breaks).
const MIME_PATTERN: &str =
    "^[^\\S\\u0000-\\u001F\\u007F-\\u009F]*[^/\\s\\u0000-\\u001F\\u007F-\\u009F]+/[^\\s\\u0000-\\u001F\\u007F-\\u009F]+[^\\S\\u0000-\\u001F\\u007F-\\u009F]*$";

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
    /// Who took or made the picture.
    #[serde(default)]
    #[schema(inline)]
    pub credit: Patch<Line<200>>,
    /// The point to keep in view when cropping.
    #[serde(default)]
    pub focal_point: Patch<FocalPoint>,
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
    /// Who took or made the picture.
    #[serde(default)]
    #[schema(inline)]
    pub credit: Patch<Line<200>>,
    /// The point to keep in view when cropping.
    #[serde(default)]
    pub focal_point: Patch<FocalPoint>,
}
