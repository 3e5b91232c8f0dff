use serde::Serialize;
use utoipa::ToSchema;

/// Site-wide metadata for headers, footers and `<meta>` tags.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "name": "南方大视野", "description": "《南方大视野》杂志官方网站",
    "url": null, "logo_url": "/media/logo.png", "locale": "zh-CN",
    "time_zone": "Asia/Shanghai", "utc_offset": "+08:00",
    "copyright": "© 南方大视野 版权所有", "credits": "网站全程独家策划设计制作:亚网互联",
    "icp_record": null,
    "contacts": [{"label": "联络处", "address": "龙华区和平路御经堂386室", "phone": "13751426049", "email": null}],
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
    #[schema(required = true)]
    pub logo_url: Option<String>,
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
