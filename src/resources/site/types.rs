use std::borrow::Cow;

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};
use utoipa::__dev::ComposeSchema;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::input::kinds::{Id, Line, Text, Url, PLACEHOLDER_NAME};
use crate::input::{Optional, Patch};
use crate::resources::media::types::Image;

/// Site-wide metadata for headers, footers and `<meta>` tags.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "南方大视野", "description": "《南方大视野》杂志官方网站",
    "url": null, "logo_url": "/media/2026/11/9af5bbd0d1eb-341775b9/full.png",
    "logo": {
        "id": 7, "url": "/media/2026/11/9af5bbd0d1eb-341775b9/full.png", "alt": "南方大视野",
        "caption": null, "width": 360, "height": 96, "mime_type": "image/png",
        "credit": null, "byte_size": 21385, "placeholder": "LlPPv6=KwIIU^+sojZj[_NNHNGxa",
        "focal_point": null,
        "renditions": [
            {"url": "/media/2026/11/9af5bbd0d1eb-341775b9/w320.png", "width": 320, "height": 85, "mime_type": "image/png"},
            {"url": "/media/2026/11/9af5bbd0d1eb-341775b9/w320.webp", "width": 320, "height": 85, "mime_type": "image/webp"}
        ],
        "version": 1
    },
    "locale": "zh-CN",
    "time_zone": "Asia/Shanghai", "utc_offset": "+08:00",
    "copyright": "© 南方大视野 版权所有", "credits": "网站全程独家策划设计制作:亚网互联",
    "icp_record": null,
    "contacts": [{"label": "联络处", "address": "龙华区和平路御经堂386室", "phone": "13751426049", "email": null}],
    "media_base_url": "/media",
    "version": 1
}))]
pub struct Site {
    /// The site's name.
    pub name: String,
    /// One-line description for meta tags.
    pub description: String,
    /// The public URL of the site's frontend, if set.
    #[schema(required = true)]
    pub url: Option<String>,
    /// The logo's URL: `logo.url` when the logo is a media record, else a URL set by hand.
    /// Kept for clients that read only a URL; `logo` has the sizes.
    #[schema(required = true)]
    pub logo_url: Option<String>,
    /// The logo when it is a media record (`logo_media_id`): with its renditions for a
    /// `srcset`, its placeholder and its size. `null` when there is no logo or it is only
    /// a URL.
    #[schema(required = true)]
    pub logo: Option<Image>,
    /// BCP 47 language tag of the content.
    pub locale: String,
    /// IANA time zone name the newsroom works in.
    pub time_zone: String,
    /// The site's default UTC offset, `+08:00` style.
    pub utc_offset: String,
    /// The copyright line.
    pub copyright: String,
    /// The credits line (who built the site).
    pub credits: String,
    /// ICP record number (备案号), where the site has one.
    #[schema(required = true)]
    pub icp_record: Option<String>,
    /// Contact entries in display order.
    pub contacts: Vec<Contact>,
    /// Where uploaded pictures are served from: what every media URL starts with (this
    /// server's `/media`, or a CDN's origin the operator configured).
    pub media_base_url: String,
    /// Incremented on every change (0 before the first); admins send it back as
    /// `If-Match: "<version>"`.
    pub version: i64,
}

/// A contact entry: an office, a phone line, a mailbox.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contact {
    pub label: String,
    #[schema(required = true)]
    pub address: Option<String>,
    #[schema(required = true)]
    pub phone: Option<String>,
    #[schema(required = true)]
    pub email: Option<String>,
}

/// Changes to the site settings: the fields to change, the others left out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "icp_record": "粤ICP备00000000号", "logo_media_id": 7,
    "contacts": [{"label": "联络处", "address": "龙华区和平路御经堂386室", "phone": "13751426049"}]
}))]
pub struct SiteChanges {
    #[serde(default)]
    #[schema(inline)]
    pub name: Optional<Line<200>>,
    /// For meta tags; `null` clears it.
    #[serde(default)]
    #[schema(inline)]
    pub description: Patch<Text<1000>>,
    /// The public URL of the site's frontend; `null` clears it.
    #[serde(default)]
    #[schema(inline)]
    pub url: Patch<Url<500>>,
    /// A logo kept elsewhere, by URL; `null` removes the logo. Not with `logo_media_id`.
    #[serde(default)]
    #[schema(inline)]
    pub logo_url: Patch<Url<500>>,
    /// The media record to show as the logo (it must exist); `null` removes the logo. Not
    /// with `logo_url`.
    #[serde(default)]
    #[schema(inline)]
    pub logo_media_id: Patch<Id>,
    /// BCP 47 language tag of the content.
    #[serde(default)]
    #[schema(inline)]
    pub locale: Optional<Line<35>>,
    /// IANA time zone name the newsroom works in.
    #[serde(default)]
    #[schema(inline)]
    pub time_zone: Optional<Line<64>>,
    #[serde(default)]
    #[schema(inline)]
    pub utc_offset: Optional<UtcOffset>,
    /// `null` clears it.
    #[serde(default)]
    #[schema(inline)]
    pub copyright: Patch<Text<500>>,
    /// `null` clears it.
    #[serde(default)]
    #[schema(inline)]
    pub credits: Patch<Text<500>>,
    /// ICP record number (备案号); `null` clears it.
    #[serde(default)]
    #[schema(inline)]
    pub icp_record: Patch<Line<100>>,
    /// Replaces the whole list, in display order.
    #[serde(default)]
    #[schema(inline)]
    pub contacts: Optional<Vec<NewContact>>,
}

/// A contact entry as sent: an optional field left out, `null` or blank is empty.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "联络处", "address": "龙华区和平路御经堂386室", "phone": "13751426049"}))]
pub struct NewContact {
    #[schema(inline)]
    pub label: Line<100>,
    #[serde(default)]
    #[schema(inline)]
    pub address: OrBlank<Text<500>>,
    #[serde(default)]
    #[schema(inline)]
    pub phone: OrBlank<Line<50>>,
    #[serde(default)]
    #[schema(inline)]
    pub email: OrBlank<Line<254>>,
}

/// A UTC offset, `+08:00` style (`±H:MM` or `±HH:MM`, at most 14 hours), in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcOffset(pub i32);

const UTC_OFFSET_PATTERN: &str = "^[+-]([0-9]|0[0-9]|1[0-4]):[0-5][0-9]$";

impl UtcOffset {
    /// `+08:00` → 480.
    fn parse(raw: &str) -> Option<i32> {
        let (sign, rest) = match raw.as_bytes().first()? {
            b'+' => (1, &raw[1..]),
            b'-' => (-1, &raw[1..]),
            _ => return None,
        };
        let (hours, minutes) = rest.split_once(':')?;
        let digits = |text: &str| text.bytes().all(|b| b.is_ascii_digit());
        if !(1..=2).contains(&hours.len())
            || minutes.len() != 2
            || !digits(hours)
            || !digits(minutes)
        {
            return None;
        }
        let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
        (hours <= 14 && minutes < 60).then_some(sign * (hours * 60 + minutes))
    }
}

impl<'de> Deserialize<'de> for UtcOffset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(raw) => Self::parse(&raw)
                .map(Self)
                .ok_or_else(|| de::Error::custom("must look like +08:00 (at most ±14:59)")),
            Value::Null => Err(de::Error::custom("must not be null")),
            _ => Err(de::Error::custom("must be a string like +08:00")),
        }
    }
}

impl PartialSchema for UtcOffset {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(UTC_OFFSET_PATTERN))
            .description(Some("The site's default UTC offset, `+08:00` style."))
            .examples([json!("+08:00")])
            .into()
    }
}

impl ToSchema for UtcOffset {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
}

/// An optional field of a contact: a value of `T`, or nothing when left out, `null` or
/// blank (what a form's empty input sends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrBlank<T>(pub Option<T>);

impl<T> Default for OrBlank<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<'de, T: DeserializeOwned + PartialSchema> Deserialize<'de> for OrBlank<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(Self(None)),
            // A blank is "none", within the length the schema states for `T`.
            Value::String(text) if text.trim().is_empty() && within_max_length::<T>(&text) => {
                Ok(Self(None))
            }
            value => T::deserialize(value)
                .map(|value| Self(Some(value)))
                .map_err(de::Error::custom),
        }
    }
}

fn within_max_length<T: PartialSchema>(text: &str) -> bool {
    match T::schema() {
        RefOr::T(Schema::Object(object)) => object
            .max_length
            .is_none_or(|max| text.chars().count() <= max),
        _ => true,
    }
}

impl<T: PartialSchema> ComposeSchema for OrBlank<T> {
    fn compose(mut generics: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let inner = if generics.is_empty() {
            T::schema()
        } else {
            generics.swap_remove(0)
        };
        match inner {
            // `T`'s string, or a blank one, or `null`.
            RefOr::T(Schema::Object(mut object)) => {
                object.min_length = None;
                object.pattern = object.pattern.map(|pattern| format!("^\\s*$|{pattern}"));
                object.schema_type = SchemaType::from_iter([Type::String, Type::Null]);
                RefOr::T(Schema::Object(object))
            }
            other => other,
        }
    }
}

impl<T: PartialSchema> ToSchema for OrBlank<T> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(PLACEHOLDER_NAME)
    }
}
