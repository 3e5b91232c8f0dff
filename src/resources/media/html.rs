//! Responsive pictures in stored HTML: an `<img>` whose `src` is one of the article's
//! uploaded pictures gets what a browser needs to choose a size and lay the page out
//! before it loads. Done as the article is read, from the picture's current renditions,
//! so a replaced file shows at once and editors' stored HTML stays as they wrote it.

use std::collections::HashMap;

use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};

use super::types::Image;

/// The picture that `src` names, by its full-size URL or any rendition's.
fn by_url<'a>(images: &[&'a Image]) -> HashMap<&'a str, &'a Image> {
    let mut found = HashMap::new();
    for image in images.iter().filter(|image| !image.renditions.is_empty()) {
        found.insert(image.url.as_str(), *image);
        for rendition in &image.renditions {
            found.insert(rendition.url.as_str(), *image);
        }
    }
    found
}

/// `body_html` with each `<img>` of an uploaded picture turned into
/// `<picture><source type="image/webp" srcset="…" sizes="…"><img src srcset sizes width
/// height loading="lazy" decoding="async" data-media-id="…"></picture>`. Anything else is
/// left as it is; HTML that cannot be rewritten is returned unchanged.
pub fn responsive(body_html: &str, images: &[&Image]) -> String {
    let known = by_url(images);
    if known.is_empty() || !body_html.contains("<img") {
        return body_html.to_owned();
    }
    let rewritten = rewrite_str(
        body_html,
        RewriteStrSettings::new().append_element_content_handler(element!("img[src]", |img| {
            let Some(image) = img
                .get_attribute("src")
                .and_then(|src| known.get(src.as_str()).copied())
            else {
                return Ok(());
            };
            if img.has_attribute("srcset") {
                return Ok(());
            }
            let (Some(width), Some(height)) = (image.width, image.height) else {
                return Ok(());
            };
            let own = srcset(image, &image.mime_type);
            let webp = srcset(image, "image/webp");
            let sizes = format!("(max-width: {width}px) 100vw, {width}px");
            img.set_attribute("src", &image.url)?;
            img.set_attribute("srcset", &own)?;
            img.set_attribute("sizes", &sizes)?;
            img.set_attribute("width", &width.to_string())?;
            img.set_attribute("height", &height.to_string())?;
            img.set_attribute("loading", "lazy")?;
            img.set_attribute("decoding", "async")?;
            img.set_attribute("data-media-id", &image.id.to_string())?;
            if image.mime_type != "image/webp" && !webp.is_empty() {
                img.before(
                    &format!(
                        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
                        escape(&webp),
                        escape(&sizes)
                    ),
                    ContentType::Html,
                );
                img.after("</picture>", ContentType::Html);
            }
            Ok(())
        })),
    );
    rewritten.unwrap_or_else(|_| body_html.to_owned())
}

/// `url 320w, url 640w, …` for the renditions of one type, then the full-size file when it
/// is of that type.
fn srcset(image: &Image, mime_type: &str) -> String {
    let mut entries: Vec<String> = image
        .renditions
        .iter()
        .filter(|rendition| rendition.mime_type == mime_type)
        .map(|rendition| format!("{} {}w", rendition.url, rendition.width))
        .collect();
    if image.mime_type == mime_type {
        if let Some(width) = image.width {
            entries.push(format!("{} {width}w", image.url));
        }
    }
    entries.join(", ")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// At most this many pictures of a body are looked up as uploaded ones.
const MAX_BODY_PICTURES: usize = 200;

/// The `src` of each `<img>` in stored HTML, in order, at most [`MAX_BODY_PICTURES`].
pub fn picture_sources(body_html: &str) -> Vec<String> {
    let mut sources = Vec::new();
    if !body_html.contains("<img") {
        return sources;
    }
    let _ = rewrite_str(
        body_html,
        RewriteStrSettings::new().append_element_content_handler(element!("img[src]", |img| {
            if sources.len() < MAX_BODY_PICTURES {
                sources.extend(img.get_attribute("src"));
            }
            Ok(())
        })),
    );
    sources
}

/// `body_html` with every reference to a file of `folder` (an upload's folder, under any
/// media base URL) pointed at `url`, the file that took its place: `<img src>` gets the new
/// URL; `srcset`s that name the old copies are dropped (a `<source>` with it), as the
/// responsive markup is made again from the new renditions when the article is read.
/// Answers `None` when nothing names the folder.
pub fn retarget(body_html: &str, folder: &str, url: &str) -> Option<String> {
    let marker = format!("/{folder}/");
    if !body_html.contains(&marker) {
        return None;
    }
    let names = |value: Option<String>| value.is_some_and(|value| value.contains(&marker));
    let rewritten = rewrite_str(
        body_html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("img", |img| {
                if names(img.get_attribute("src")) {
                    img.set_attribute("src", url)?;
                }
                if names(img.get_attribute("srcset")) {
                    img.remove_attribute("srcset");
                    img.remove_attribute("sizes");
                }
                Ok(())
            }))
            .append_element_content_handler(element!("source[srcset]", |source| {
                if names(source.get_attribute("srcset")) {
                    source.remove();
                }
                Ok(())
            })),
    )
    .ok()?;
    (rewritten != body_html).then_some(rewritten)
}
