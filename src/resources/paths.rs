//! The paths a frontend routes on, one function per kind of target.

pub fn article(slug: &str) -> String {
    format!("/articles/{slug}")
}
pub fn category(slug: &str) -> String {
    format!("/categories/{slug}")
}
pub fn tag(slug: &str) -> String {
    format!("/tags/{slug}")
}
pub fn page(slug: &str) -> String {
    format!("/pages/{slug}")
}
pub fn magazine_issue(id: i64) -> String {
    format!("/magazine/issues/{id}")
}
