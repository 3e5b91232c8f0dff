use serde::Serialize;
use utoipa::ToSchema;

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
