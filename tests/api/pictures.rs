//! Pictures through HTTP as a newsroom uses them: upload (multipart), the sized copies,
//! delivery as a static file server sends them, replacement, deletion, and every refusal.

use futures_util::future::join_all;
use image::{ImageEncoder, Rgb, RgbImage};
use masthead::auth::Role;
use serde_json::{json, Value};

use crate::support::{Response, TestApp};

const BOUNDARY: &str = "masthead-test-7d3f0c";

/// A `multipart/form-data` body: (part name, file name for a file part, bytes).
fn form(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, data) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let disposition = match file_name {
            Some(file) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: image/jpeg\r\n\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn form_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// A picture with something in it (gradients), so encoders have work to do.
fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x % 256) as u8,
            (y % 256) as u8,
            ((x / 3 + y / 2) % 256) as u8,
        ])
    })
}

pub(crate) fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&picture(width, height))
        .expect("jpeg");
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            picture(width, height).as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("png");
    out
}

/// A JPEG as a phone writes it: an EXIF block with an orientation and a GPS position.
fn phone_jpeg(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let plain = jpeg(width, height);
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend(2u16.to_be_bytes());
    // Orientation, SHORT, inline.
    tiff.extend(0x0112u16.to_be_bytes());
    tiff.extend(3u16.to_be_bytes());
    tiff.extend(1u32.to_be_bytes());
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0, 0]);
    // The GPS block, at 8 + 2 + 2 × 12 + 4 = 38.
    tiff.extend(0x8825u16.to_be_bytes());
    tiff.extend(4u16.to_be_bytes());
    tiff.extend(1u32.to_be_bytes());
    tiff.extend(38u32.to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(1u16.to_be_bytes());
    // GPSLatitudeRef "N".
    tiff.extend(0x0001u16.to_be_bytes());
    tiff.extend(2u16.to_be_bytes());
    tiff.extend(2u32.to_be_bytes());
    tiff.extend(b"N\0\0\0");
    tiff.extend(0u32.to_be_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header claims 100,000 × 100,000 pixels (40 GB decoded), in 69 bytes: its
/// pixel data is an empty zlib stream, which a decoder would only find out about after
/// allocating the picture.
fn png_bomb() -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut body = kind.to_vec();
        body.extend(data);
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
        out
    };
    let mut header = 100_000u32.to_be_bytes().to_vec();
    header.extend(100_000u32.to_be_bytes());
    header.extend([8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &header));
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    parts: &[(&str, Option<&str>, &[u8])],
) -> Response {
    app.send_bytes(
        "POST",
        "/api/v1/media",
        Some(token),
        &form_type(),
        form(parts),
        &[],
    )
    .await
}

fn field_names(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|error| error["field"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[actix_rt::test]
async fn an_uploaded_photo_is_served_upright_without_its_metadata_in_every_size() {
    let app = TestApp::empty().await;
    let author = app.token_for(Role::Author).await;
    // 1600 wide as stored, turned a quarter (orientation 6): 1200 × 1600 upright.
    let photo = phone_jpeg(1600, 1200, 6);
    let created = upload(
        &app,
        &author,
        &[
            ("file", Some("IMG_0001.jpg"), &photo),
            ("alt", None, "南山区儿童主任网络安全专题培训".as_bytes()),
            ("caption", None, "培训现场".as_bytes()),
            ("credit", None, "南山区妇联".as_bytes()),
        ],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let image = created.json();
    assert_eq!(
        (image["width"].as_i64(), image["height"].as_i64()),
        (Some(1200), Some(1600))
    );
    assert_eq!(image["mime_type"], "image/jpeg");
    assert_eq!(image["alt"], "南山区儿童主任网络安全专题培训");
    assert_eq!(image["credit"], "南山区妇联");
    assert!(
        image["placeholder"]
            .as_str()
            .is_some_and(|hash| hash.len() >= 6),
        "{image}"
    );
    let location = created.header("location").expect("location");
    assert_eq!(app.get_json(&location).await["url"], image["url"]);

    // Renditions: each configured width below the picture's, in WebP and JPEG.
    let renditions = image["renditions"].as_array().expect("renditions");
    let mut widths: Vec<(i64, String)> = renditions
        .iter()
        .map(|r| {
            (
                r["width"].as_i64().unwrap_or(0),
                r["mime_type"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    widths.sort();
    let expected: Vec<(i64, String)> = [320, 640, 960]
        .iter()
        .flat_map(|w| [(*w, "image/jpeg".to_owned()), (*w, "image/webp".to_owned())])
        .collect();
    assert_eq!(widths, expected, "{image}");
    for rendition in renditions {
        let (width, height) = (
            rendition["width"].as_i64().unwrap(),
            rendition["height"].as_i64().unwrap(),
        );
        assert_eq!(
            height,
            (width * 1600 + 600) / 1200,
            "aspect kept: {rendition}"
        );
        let url = rendition["url"].as_str().expect("url");
        let served = app.get(url).await;
        assert_eq!(served.status, 200, "{url}");
        assert_eq!(
            served.header("content-type").as_deref(),
            rendition["mime_type"].as_str()
        );
        let decoded = image::load_from_memory(&served.body).expect("decodes");
        assert_eq!(
            (i64::from(decoded.width()), i64::from(decoded.height())),
            (width, height)
        );
    }

    // The full-size copy: upright, no EXIF (no orientation, no GPS), cacheable for ever.
    let url = image["url"].as_str().expect("url");
    let full = app.get(url).await;
    assert_eq!(full.status, 200);
    assert!(!contains(&full.body, b"Exif\0\0"), "metadata removed");
    assert!(contains(&photo, b"Exif\0\0"));
    let decoded = image::load_from_memory(&full.body).expect("decodes");
    assert_eq!((decoded.width(), decoded.height()), (1200, 1600));
    assert_eq!(
        full.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(
        full.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(image["byte_size"].as_u64(), Some(full.body.len() as u64));
    let etag = full.header("etag").expect("etag");
    assert!(!etag.starts_with("W/"), "a strong ETag: {etag}");
    let again = app.get_with(url, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    let part = app.get_with(url, &[("range", "bytes=0-9")]).await;
    assert_eq!(part.status, 206);
    assert_eq!(part.body, full.body[..10].to_vec());
    assert!(part
        .header("content-range")
        .is_some_and(|range| range.starts_with("bytes 0-9/")));
}

#[actix_rt::test]
async fn the_kind_of_file_comes_from_its_bytes_and_a_small_picture_is_never_upscaled() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    // A PNG named .jpg and sent as image/jpeg is a PNG.
    let created = upload(&app, &editor, &[("file", Some("logo.jpg"), &png(500, 200))]).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let image = created.json();
    assert_eq!(image["mime_type"], "image/png");
    assert!(image["url"]
        .as_str()
        .is_some_and(|url| url.ends_with(".png")));
    let widths: Vec<i64> = image["renditions"]
        .as_array()
        .expect("renditions")
        .iter()
        .map(|r| r["width"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(widths, vec![320, 320], "only 320 is below 500: {image}");
}

#[actix_rt::test]
async fn every_refused_file_gets_one_clear_problem() {
    let app = TestApp::configured(|config| config.media.max_upload_bytes = 300 * 1024).await;
    let author = app.token_for(Role::Author).await;
    let text = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec();
    let truncated = jpeg(400, 300)[..600].to_vec();
    let bomb = png_bomb();
    for (parts, field, what) in [
        (
            vec![("file", Some("a.svg"), text.as_slice())],
            "file",
            "an SVG",
        ),
        (
            vec![("file", Some("notes.txt"), b"hello".as_slice())],
            "file",
            "text",
        ),
        (
            vec![("file", Some("cut.jpg"), truncated.as_slice())],
            "file",
            "a truncated JPEG",
        ),
        (
            vec![("file", Some("bomb.png"), bomb.as_slice())],
            "file",
            "a decompression bomb",
        ),
        (vec![("alt", None, "图".as_bytes())], "file", "no file"),
        (
            vec![
                ("file", Some("a.png"), png(10, 10).as_slice()),
                ("owner", None, b"me".as_slice()),
            ],
            "owner",
            "an unknown part",
        ),
    ] {
        let response = upload(&app, &author, &parts).await;
        assert_eq!(response.status, 422, "{what}: {}", response.text());
        assert_eq!(
            response.header("content-type").as_deref(),
            Some("application/problem+json")
        );
        assert!(
            field_names(&response.json()).contains(&field.to_owned()),
            "{what}: {}",
            response.text()
        );
    }
    let bomb = upload(&app, &author, &[("file", Some("bomb.png"), &png_bomb())]).await;
    assert!(bomb.text().contains("pixels"), "{}", bomb.text());
    // Over the upload limit: 413, before the picture is looked at, whether the form's
    // length is announced or not.
    let big = form(&[("file", Some("big.jpg"), &vec![0u8; 400 * 1024])]);
    app.announce_body("/api/v1/media", &author, &form_type(), big.len())
        .assert_problem(413, "an announced 400 KiB upload");
    app.stream_body("/api/v1/media", &author, &form_type(), &big)
        .assert_problem(413, "a 400 KiB upload of unannounced length");
    // Not signed in: 401; nothing was stored.
    let response = app
        .send_bytes(
            "POST",
            "/api/v1/media",
            None,
            &form_type(),
            form(&[("file", Some("a.png"), &png(10, 10))]),
            &[],
        )
        .await;
    assert_eq!(response.status, 401);
    use diesel::prelude::*;
    let records: i64 = masthead::db::schema::media::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(records, 0, "no refused upload left a record");
}

#[actix_rt::test]
async fn a_replaced_file_keeps_its_record_and_changes_every_url() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let author = app.token_for(Role::Author).await;
    let created = upload(
        &app,
        &author,
        &[
            ("file", Some("a.jpg"), &jpeg(800, 600)),
            ("alt", None, "旧图".as_bytes()),
        ],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let before = created.json();
    let id = before["id"].as_i64().expect("id");
    let path = format!("/api/v1/media/{id}/file");
    let body = form(&[("file", Some("b.png"), &png(700, 700))]);
    // Authors add pictures; editors replace them.
    let refused = app
        .send_bytes("PUT", &path, Some(&author), &form_type(), body.clone(), &[])
        .await;
    assert_eq!(refused.status, 403);
    let stale = app
        .send_bytes(
            "PUT",
            &path,
            Some(&editor),
            &form_type(),
            body.clone(),
            &[("if-match", "\"7\"")],
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.text());
    let replaced = app
        .send_bytes(
            "PUT",
            &path,
            Some(&editor),
            &form_type(),
            body,
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    let after = replaced.json();
    assert_eq!(after["id"], id);
    assert_eq!(after["alt"], "旧图");
    assert_eq!(after["version"], 2);
    assert_eq!(
        (after["width"].as_i64(), after["mime_type"].as_str()),
        (Some(700), Some("image/png"))
    );
    assert_ne!(after["url"], before["url"]);
    assert_eq!(app.get(after["url"].as_str().unwrap()).await.status, 200);
    for old in std::iter::once(&before["url"]).chain(
        before["renditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["url"]),
    ) {
        assert_eq!(
            app.get(old.as_str().unwrap()).await.status,
            404,
            "{old} is gone"
        );
    }
    // The file's own facts change only with a file.
    let patched = app
        .send(
            "PATCH",
            &format!("/api/v1/media/{id}"),
            Some(&editor),
            Some(&json!({"width": 10, "caption": "新"})),
            &[],
        )
        .await;
    assert_eq!(patched.status, 422, "{}", patched.text());
    assert_eq!(field_names(&patched.json()), vec!["width"]);
    let focal = app
        .send(
            "PATCH",
            &format!("/api/v1/media/{id}"),
            Some(&editor),
            Some(&json!({"focal_point": {"x": 0.25, "y": 0.75}, "credit": "本刊记者"})),
            &[],
        )
        .await;
    assert_eq!(focal.status, 200, "{}", focal.text());
    assert_eq!(focal.json()["focal_point"], json!({"x": 0.25, "y": 0.75}));
    // Deleting the record removes its files.
    let deleted = app
        .send(
            "DELETE",
            &format!("/api/v1/media/{id}"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(app.get(after["url"].as_str().unwrap()).await.status, 404);
}

#[actix_rt::test]
async fn racing_uploads_and_replacements_lose_nothing_acknowledged() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    // Eight uploads at once: eight records, eight folders, every file served.
    let pictures: Vec<Vec<u8>> = (0..8).map(|i| jpeg(400 + i * 10, 300)).collect();
    let answers = join_all(pictures.iter().map(|bytes| async {
        upload(&app, &editor, &[("file", Some("p.jpg"), bytes.as_slice())]).await
    }))
    .await;
    let mut urls = Vec::new();
    for answer in &answers {
        assert_eq!(answer.status, 201, "{}", answer.text());
        urls.push(answer.json()["url"].as_str().unwrap().to_owned());
    }
    urls.sort();
    urls.dedup();
    assert_eq!(urls.len(), 8);
    for url in &urls {
        assert_eq!(app.get(url).await.status, 200);
    }
    // Six replacements of one record with the same If-Match: one wins, and the record's
    // URLs are the winner's and all served.
    let id = answers[0].json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/media/{id}/file");
    let bodies: Vec<Vec<u8>> = (0..6)
        .map(|i| form(&[("file", Some("r.png"), &png(300 + i, 200))]))
        .collect();
    let replaced = join_all(bodies.into_iter().map(|body| {
        let path = path.clone();
        let editor = editor.clone();
        let app = &app;
        async move {
            app.send_bytes(
                "PUT",
                &path,
                Some(&editor),
                &form_type(),
                body,
                &[("if-match", "\"1\"")],
            )
            .await
        }
    }))
    .await;
    let statuses: Vec<u16> = replaced.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 412).count(),
        5,
        "{statuses:?}"
    );
    let winner = replaced.iter().find(|r| r.status == 200).unwrap().json();
    let now = app.get_json(&format!("/api/v1/media/{id}")).await;
    assert_eq!(now["url"], winner["url"]);
    for url in std::iter::once(&now["url"]).chain(
        now["renditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["url"]),
    ) {
        assert_eq!(app.get(url.as_str().unwrap()).await.status, 200, "{url}");
    }
}

#[actix_rt::test]
async fn stored_files_are_only_what_uploads_made() {
    let app = TestApp::configured(|config| config.media.keep_originals = true).await;
    let editor = app.token_for(Role::Editor).await;
    let created = upload(
        &app,
        &editor,
        &[("file", Some("a.jpg"), &phone_jpeg(400, 300, 1))],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text());
    for path in [
        "/media/../Cargo.toml",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/2021/11/x/full.exe",
        "/media/originals/anything.jpg",
        "/media/nothing/here.jpg",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, 404, "{path}: {}", response.text());
    }
    // A kept original is never served, whatever its name.
    let folder = created.json()["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .nth(1)
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get(&format!("/media/originals/{folder}.jpg"))
            .await
            .status,
        404
    );
    // Kept, and removed with its record.
    let masthead::storage::StoreUrl::Local(store) = &app.media_store else {
        panic!("a folder store")
    };
    let original = store.join(format!("originals/{folder}.jpg"));
    assert!(original.is_file(), "{}", original.display());
    let id = created.json()["id"].as_i64().unwrap();
    let deleted = app
        .send(
            "DELETE",
            &format!("/api/v1/media/{id}"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(deleted.status, 204);
    assert!(!original.exists(), "the kept original went with its record");
}

#[actix_rt::test]
async fn an_uploaded_logo_comes_with_its_sizes_and_follows_a_new_file() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let created = upload(&app, &admin, &[("file", Some("logo.png"), &png(800, 200))]).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let image = created.json();
    let id = image["id"].as_i64().expect("id");
    let set = app
        .send(
            "PATCH",
            "/api/v1/site",
            Some(&admin),
            Some(&json!({"logo_media_id": id})),
            &[],
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text());
    let site = app.get_json("/api/v1/site").await;
    assert_eq!(
        site["logo"], image,
        "the image object as the media route shows it"
    );
    let widths: Vec<i64> = site["logo"]["renditions"]
        .as_array()
        .expect("renditions")
        .iter()
        .filter(|r| r["mime_type"] == "image/webp")
        .map(|r| r["width"].as_i64().unwrap_or_default())
        .collect();
    assert_eq!(widths, [320, 640], "{site}");
    assert_eq!(site["logo_url"], image["url"]);

    // A new file: new URLs, and the site shows them at once.
    let replaced = app
        .send_bytes(
            "PUT",
            &format!("/api/v1/media/{id}/file"),
            Some(&admin),
            &form_type(),
            form(&[("file", Some("logo2.png"), &png(400, 100))]),
            &[],
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    let site = app.get_json("/api/v1/site").await;
    assert_ne!(site["logo_url"], image["url"]);
    assert_eq!(site["logo_url"], replaced.json()["url"]);
    assert_eq!(site["logo"]["width"], 400);
    assert_eq!(
        app.get(site["logo_url"].as_str().unwrap()).await.status,
        200
    );
}

#[actix_rt::test]
async fn the_demo_article_shows_its_photos_responsive() {
    let app = TestApp::demo_with_pictures().await;
    let article = app
        .get_json("/api/v1/articles/humiao-safety-training-nanshan")
        .await;
    let images = article["images"].as_array().expect("images");
    assert_eq!(images.len(), 5, "{article}");
    let body = article["body_html"].as_str().expect("body");
    for image in images {
        let url = image["url"].as_str().expect("url");
        assert!(
            url.starts_with("/media/2026/"),
            "stored by the pipeline: {url}"
        );
        assert!(!image["renditions"].as_array().unwrap().is_empty());
        assert_eq!(app.get(url).await.status, 200, "{url}");
        // The body's <img> of it is responsive and names it.
        let id = image["id"].as_i64().unwrap();
        assert!(body.contains(&format!("data-media-id=\"{id}\"")), "{body}");
    }
    assert!(
        body.contains("<picture><source type=\"image/webp\" srcset=\""),
        "{body}"
    );
    assert!(body.contains("loading=\"lazy\""));
    assert!(
        !body.contains("/media/2021/11/humiao-"),
        "no placeholder is left: {body}"
    );
    // The demo's photo with a GPS position is served without it.
    let training = images
        .iter()
        .find(|image| {
            image["caption"]
                .as_str()
                .is_some_and(|c| c.starts_with("南山区儿童主任"))
        })
        .expect("training photo");
    let full = app.get(training["url"].as_str().unwrap()).await;
    assert!(!contains(&full.body, b"Exif\0\0"));
    // The logo and the magazine cover are stored files too; the logo is an image object
    // like the others.
    let site = app.get_json("/api/v1/site").await;
    assert_eq!(site["media_base_url"], "/media");
    let logo = &site["logo"];
    let url = logo["url"].as_str().expect("logo");
    assert!(
        url.starts_with("/media/2026/"),
        "stored by the pipeline: {url}"
    );
    assert_eq!(site["logo_url"], url, "one URL for old clients and new");
    assert_eq!(
        app.get(url).await.header("content-type").as_deref(),
        Some("image/png")
    );
    assert_eq!((&logo["width"], &logo["height"]), (&json!(360), &json!(96)));
    assert!(logo["placeholder"].is_string(), "{logo}");
    let renditions = logo["renditions"].as_array().expect("renditions");
    assert!(!renditions.is_empty(), "{logo}");
    for rendition in renditions {
        let url = rendition["url"].as_str().expect("rendition url");
        let served = app.get(url).await;
        assert_eq!(served.status, 200, "{url}");
        assert_eq!(
            served.header("content-type").as_deref(),
            rendition["mime_type"].as_str(),
            "{url}"
        );
    }
    let issues = app.get_json("/api/v1/magazine/issues").await;
    let cover = &issues["data"][0]["cover"];
    assert!(
        !cover["renditions"].as_array().unwrap().is_empty(),
        "{issues}"
    );
}

/// The media store in the S3-compatible server of `MASTHEAD_TEST_S3_URL`
/// (`scripts/s3-test-server.sh`), under a prefix of this test's own; `None` (skipped) without
/// one, unless `MASTHEAD_TEST_REQUIRE_S3=1`.
fn s3_store() -> Option<masthead::storage::StoreUrl> {
    let Ok(url) = std::env::var("MASTHEAD_TEST_S3_URL") else {
        assert!(
            std::env::var("MASTHEAD_TEST_REQUIRE_S3").ok().as_deref() != Some("1"),
            "MASTHEAD_TEST_REQUIRE_S3=1 but MASTHEAD_TEST_S3_URL is not set"
        );
        eprintln!("skipped: MASTHEAD_TEST_S3_URL not set (scripts/s3-test-server.sh starts one)");
        return None;
    };
    let mut store: masthead::storage::StoreUrl = url.parse().expect("MASTHEAD_TEST_S3_URL");
    if let masthead::storage::StoreUrl::S3(location) = &mut store {
        let prefix = format!("http-{}", uuid::Uuid::new_v4().simple());
        location.prefix = Some(masthead::storage::Key::parse(&prefix).expect("prefix"));
    }
    Some(store)
}

#[actix_rt::test]
async fn pictures_in_an_s3_bucket_are_uploaded_served_replaced_and_deleted() {
    let Some(store) = s3_store() else {
        return;
    };
    let app = TestApp::configured(|config| config.media.store = store).await;
    let editor = app.token_for(Role::Editor).await;
    let created = upload(
        &app,
        &editor,
        &[("file", Some("a.jpg"), &phone_jpeg(800, 600, 1))],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let image = created.json();
    let rendition = image["renditions"][0].clone();
    let url = rendition["url"].as_str().expect("url");
    let served = app.get(url).await;
    assert_eq!(served.status, 200, "{url}: {}", served.text());
    assert_eq!(
        served.header("content-type").as_deref(),
        rendition["mime_type"].as_str()
    );
    assert_eq!(
        served.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let decoded = image::load_from_memory(&served.body).expect("decodes");
    assert_eq!(
        i64::from(decoded.width()),
        rendition["width"].as_i64().unwrap()
    );
    let etag = served.header("etag").expect("etag");
    assert_eq!(
        app.get_with(url, &[("if-none-match", &etag)]).await.status,
        304
    );
    let part = app.get_with(url, &[("range", "bytes=2-5")]).await;
    assert_eq!(part.status, 206);
    assert_eq!(part.body, served.body[2..6].to_vec());
    let past = app.get_with(url, &[("range", "bytes=99999999-")]).await;
    assert_eq!(past.status, 416);
    let full = app.get(image["url"].as_str().unwrap()).await;
    assert!(!contains(&full.body, b"Exif\0\0"));

    let id = image["id"].as_i64().unwrap();
    let replaced = app
        .send_bytes(
            "PUT",
            &format!("/api/v1/media/{id}/file"),
            Some(&editor),
            &form_type(),
            form(&[("file", Some("b.png"), &png(500, 400))]),
            &[],
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    assert_eq!(
        app.get(url).await.status,
        404,
        "the old file's copies are gone"
    );
    let new_url = replaced.json()["url"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&new_url).await.status, 200);
    let deleted = app
        .send(
            "DELETE",
            &format!("/api/v1/media/{id}"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(app.get(&new_url).await.status, 404);
}

/// An article's HTML names its pictures by URL. A replaced file, or a new media base URL
/// (a CDN put in front), moves those URLs: the bodies that show them move with them, so no
/// page is left pointing at a file that is gone.
#[actix_rt::test]
async fn article_bodies_follow_a_replaced_file_and_a_new_media_base_url() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let created = upload(&app, &editor, &[("file", Some("a.jpg"), &jpeg(900, 600))]).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let image = created.json();
    let id = image["id"].as_i64().unwrap();
    let old_url = image["url"].as_str().unwrap().to_owned();
    let body = format!("<p>正文</p><img src=\"{old_url}\" alt=\"现场\"><p>完</p>");
    let article = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&editor),
            Some(&json!({"title": "有图", "slug": "with-picture", "body_html": body, "image_ids": [id], "status": "published"})),
            &[],
        )
        .await;
    assert_eq!(article.status, 201, "{}", article.text());
    let version = article.json()["version"].as_i64().unwrap();

    let replaced = app
        .send_bytes(
            "PUT",
            &format!("/api/v1/media/{id}/file"),
            Some(&editor),
            &form_type(),
            form(&[("file", Some("b.png"), &png(700, 500))]),
            &[],
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    let new_url = replaced.json()["url"].as_str().unwrap().to_owned();
    let read = app.get_json("/api/v1/articles/with-picture").await;
    let shown = read["body_html"].as_str().unwrap();
    assert!(!shown.contains(&old_url), "{shown}");
    assert!(shown.contains(&format!("src=\"{new_url}\"")), "{shown}");
    assert!(
        shown.contains(&format!("data-media-id=\"{id}\"")),
        "{shown}"
    );
    assert!(read["version"].as_i64().unwrap() > version, "{read}");
    assert_eq!(app.get(&new_url).await.status, 200);

    // The operator puts a CDN in front: the next start moves every stored URL under it.
    let mut config = masthead::config::Config::for_database(app.database_url());
    config.media.base_url = "https://cdn.example.com/pictures".into();
    let scratch = tempfile::tempdir().unwrap();
    config.media.store = masthead::storage::StoreUrl::Local(scratch.path().to_owned());
    masthead::commands::serve::prepare(&config).expect("start with a new media base URL");
    let moved = app.get_json(&format!("/api/v1/media/{id}")).await;
    let cdn_url = moved["url"].as_str().unwrap();
    let key = new_url.strip_prefix("/media/").unwrap();
    assert_eq!(cdn_url, format!("https://cdn.example.com/pictures/{key}"));
    for rendition in moved["renditions"].as_array().unwrap() {
        let url = rendition["url"].as_str().unwrap();
        assert!(
            url.starts_with("https://cdn.example.com/pictures/"),
            "{url}"
        );
    }
    let read = app.get_json("/api/v1/articles/with-picture").await;
    let shown = read["body_html"].as_str().unwrap();
    assert!(shown.contains(&format!("src=\"{cdn_url}\"")), "{shown}");
    assert!(
        shown.contains("srcset=\"https://cdn.example.com/pictures/"),
        "{shown}"
    );
}

/// Pictures are answered before the API's own layers, as a static file server answers
/// them: still logged with a request id, readable from other origins, HEAD without a body,
/// a cache-busting query string ignored, and a missing file a problem+json 404.
#[actix_rt::test]
async fn pictures_take_the_fast_lane_with_what_clients_expect() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let created = upload(&app, &editor, &[("file", Some("a.jpg"), &jpeg(640, 480))]).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let url = created.json()["renditions"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = app
        .get_with(
            &format!("{url}?v=2"),
            &[("origin", "https://www.example.com")],
        )
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(
        got.header("access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert!(got.header("x-request-id").is_some());
    assert_eq!(
        got.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert!(!got.body.is_empty());
    let head = app.send("HEAD", &url, None, None, &[]).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(got.body.len().to_string())
    );
    let missing = app
        .get_problem("/media/2020/01/nothing-here/w640.webp", 404)
        .await;
    assert_eq!(missing["status"], 404, "{missing}");
    let escape = app.get_problem("/media/..%2F..%2Fetc/passwd", 404).await;
    assert_eq!(escape["status"], 404, "{escape}");
}

/// A replacement racing an editor's change to an article that shows the picture: whichever
/// lands first, neither is lost. The editor's write first: the replacement then moves the
/// URL in the body the editor wrote. The replacement first: the article's version moved, so
/// the editor's write (with the old body's ETag) is a 412, not dead URLs written back.
#[actix_rt::test]
async fn a_replacement_racing_an_edit_of_the_article_loses_neither() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let mut outcomes = std::collections::HashSet::new();
    for round in 0..6 {
        let created = upload(&app, &editor, &[("file", Some("a.jpg"), &jpeg(400, 300))]).await;
        assert_eq!(created.status, 201, "{}", created.text());
        let image = created.json();
        let id = image["id"].as_i64().unwrap();
        let old_url = image["url"].as_str().unwrap().to_owned();
        let slug = format!("race-{round}");
        let article = app
            .send(
                "POST",
                "/api/v1/articles",
                Some(&editor),
                Some(&json!({"title": format!("图{round}"), "slug": slug, "body_html": format!("<img src=\"{old_url}\">"), "image_ids": [id]})),
                &[],
            )
            .await;
        assert_eq!(article.status, 201, "{}", article.text());
        let etag = article.header("etag").expect("etag");
        let edited = format!("<p>改{round}</p><img src=\"{old_url}\">");
        let file_path = format!("/api/v1/media/{id}/file");
        let article_path = format!("/api/v1/articles/{slug}");
        let content_type = form_type();
        let change = json!({"body_html": edited});
        let if_match = [("if-match", etag.as_str())];
        let replace = app.send_bytes(
            "PUT",
            &file_path,
            Some(&editor),
            &content_type,
            form(&[("file", Some("b.png"), &png(300, 300))]),
            &[],
        );
        // Sent later and later, so that both orders happen.
        let delay = std::time::Duration::from_millis([0, 30, 100, 300, 800, 1500][round]);
        let edit = async {
            actix_rt::time::sleep(delay).await;
            app.send(
                "PATCH",
                &article_path,
                Some(&editor),
                Some(&change),
                &if_match,
            )
            .await
        };
        let (replaced, edit) = futures_util::future::join(replace, edit).await;
        assert_eq!(replaced.status, 200, "{}", replaced.text());
        assert!(
            edit.status == 200 || edit.status == 412,
            "round {round}: {} {}",
            edit.status,
            edit.text()
        );
        outcomes.insert(edit.status.as_u16());
        let new_url = replaced.json()["url"].as_str().unwrap().to_owned();
        let stored = app
            .send(
                "GET",
                &format!("/api/v1/articles/{slug}/preview"),
                Some(&editor),
                None,
                &[],
            )
            .await;
        let body = stored.json()["body_html"].as_str().unwrap().to_owned();
        assert!(
            !body.contains(&old_url),
            "round {round}: a dead URL: {body}"
        );
        assert!(body.contains(&new_url), "round {round}: {body}");
        assert_eq!(
            body.contains(&format!("改{round}")),
            edit.status == 200,
            "round {round}: the acknowledged edit is kept: {body}"
        );
    }
    assert_eq!(outcomes.len(), 2, "both orders happened: {outcomes:?}");
}

/// What a picture's URL answers, as compared between two servers: the status, the headers
/// a client reads (validators only for being there) and the body.
async fn picture_answer(app: &TestApp, url: &str, headers: &[(&str, &str)]) -> String {
    let got = app.get_with(url, headers).await;
    let mut seen = vec![format!("{} body {} bytes", got.status, got.body.len())];
    for name in [
        "content-type",
        "content-length",
        "content-range",
        "accept-ranges",
        "cache-control",
        "x-content-type-options",
    ] {
        seen.push(format!("{name}: {:?}", got.header(name)));
    }
    for name in ["etag", "last-modified"] {
        seen.push(format!("{name} sent: {}", got.header(name).is_some()));
    }
    seen.join("\n")
}

/// Small files are answered from memory (a stat on every request), as the file server
/// answers them from the disk: the same statuses and headers for validators, ranges and
/// HEAD, the same ETag. Only while the file is there: one deleted behind the server's back
/// is a 404 at once, one written again under its key is served anew, and a deleted upload
/// leaves memory with its files. The memory stays within its bound.
#[actix_rt::test]
async fn pictures_from_memory_answer_as_from_disk_and_follow_their_files() {
    let budget = 192 * 1024;
    let app = TestApp::configured(|config| config.media.cache_bytes = budget).await;
    let disk = TestApp::configured(|config| config.media.cache_bytes = 0).await;
    assert!(disk.media.cache.is_none());
    let cache = app.media.cache.as_ref().expect("a media cache");
    let picture = jpeg(1200, 900);
    let mut urls = Vec::new();
    let mut ids = Vec::new();
    let mut tokens = Vec::new();
    for site in [&app, &disk] {
        let editor = site.token_for(Role::Editor).await;
        let created = upload(site, &editor, &[("file", Some("a.jpg"), &picture)]).await;
        tokens.push(editor);
        assert_eq!(created.status, 201, "{}", created.text());
        let record = created.json();
        ids.push(record["id"].as_i64().expect("id"));
        urls.push(
            std::iter::once(&record["url"])
                .chain(
                    record["renditions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| &r["url"]),
                )
                .map(|url| url.as_str().unwrap().to_owned())
                .collect::<Vec<_>>(),
        );
    }
    let (cached_urls, disk_urls) = (&urls[0], &urls[1]);
    assert!(cached_urls.len() >= 7, "{cached_urls:?}");

    // The same answers, from memory and from the disk, each with its own validators.
    let mut sizes = 0;
    for (cached_url, disk_url) in cached_urls.iter().zip(disk_urls) {
        let first = app.get(cached_url).await;
        assert_eq!(first.status, 200);
        sizes += first.body.len();
        let own = disk.get(disk_url).await;
        let (etag, modified) = (
            first.header("etag").unwrap(),
            first.header("last-modified").unwrap(),
        );
        let (disk_etag, disk_modified) = (
            own.header("etag").unwrap(),
            own.header("last-modified").unwrap(),
        );
        let cases = |etag: &str, modified: &str| -> Vec<Vec<(&'static str, String)>> {
            vec![
                vec![],
                vec![("if-none-match", etag.to_owned())],
                vec![("if-none-match", format!("W/{etag}"))],
                vec![("if-none-match", format!("\"other\", {etag}"))],
                vec![("if-none-match", "\"other\"".to_owned())],
                vec![("if-none-match", "*".to_owned())],
                vec![("if-none-match", "not a tag".to_owned())],
                vec![("if-modified-since", modified.to_owned())],
                vec![(
                    "if-modified-since",
                    "Mon, 01 Jan 2001 00:00:00 GMT".to_owned(),
                )],
                vec![
                    ("if-none-match", "\"other\"".to_owned()),
                    ("if-modified-since", modified.to_owned()),
                ],
                vec![("range", "bytes=0-9".to_owned())],
                vec![
                    ("range", "bytes=0-9".to_owned()),
                    ("if-range", etag.to_owned()),
                ],
                vec![("if-match", "\"other\"".to_owned())],
                vec![(
                    "if-unmodified-since",
                    "Mon, 01 Jan 2001 00:00:00 GMT".to_owned(),
                )],
            ]
        };
        for (case, disk_case) in cases(&etag, &modified)
            .iter()
            .zip(cases(&disk_etag, &disk_modified))
        {
            let headers: Vec<(&str, &str)> = case.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let disk_headers: Vec<(&str, &str)> =
                disk_case.iter().map(|(n, v)| (*n, v.as_str())).collect();
            assert_eq!(
                picture_answer(&app, cached_url, &headers).await,
                picture_answer(&disk, disk_url, &disk_headers).await,
                "{cached_url} with {case:?}"
            );
        }
        // From memory the second time: the same bytes and validators, which are the file
        // server's own (a range is always answered from the disk).
        let again = app.get(cached_url).await;
        assert_eq!(again.body, first.body);
        let part = app.get_with(cached_url, &[("range", "bytes=0-9")]).await;
        assert_eq!(part.status, 206);
        assert_eq!(part.body, first.body[..10]);
        for answer in [&again, &part] {
            assert_eq!(answer.header("etag"), Some(etag.clone()), "{cached_url}");
            assert_eq!(answer.header("last-modified"), Some(modified.clone()));
        }
        let head = app.send("HEAD", cached_url, None, None, &[]).await;
        assert_eq!(head.status, 200);
        assert!(head.body.is_empty());
        assert_eq!(
            head.header("content-length"),
            Some(first.body.len().to_string())
        );
        assert!(cache.bytes() <= budget, "{} > {budget}", cache.bytes());
    }
    assert!(!cache.is_empty(), "some files are kept");
    assert!(
        sizes > budget,
        "more bytes served ({sizes}) than the cache may keep"
    );

    // A file deleted or written again behind the server's back.
    let masthead::storage::StoreUrl::Local(root) = &app.media_store else {
        panic!("a local store")
    };
    let smallest = cached_urls
        .iter()
        .min_by_key(|url| {
            std::fs::metadata(root.join(url.trim_start_matches("/media/")))
                .unwrap()
                .len()
        })
        .unwrap();
    let path = root.join(smallest.trim_start_matches("/media/"));
    let before = app.get(smallest).await;
    assert_eq!(app.get(smallest).await.body, before.body);
    std::fs::remove_file(&path).unwrap();
    let gone = app.get_problem(smallest, 404).await;
    assert_eq!(gone["status"], 404, "{gone}");
    let staged = path.with_extension("staged");
    std::fs::write(&staged, b"other bytes").unwrap();
    std::fs::rename(&staged, &path).unwrap();
    let rewritten = app.get(smallest).await;
    assert_eq!(rewritten.status, 200);
    assert_eq!(rewritten.body, b"other bytes");
    assert_ne!(rewritten.header("etag"), before.header("etag"));
    assert_eq!(app.get(smallest).await.body, b"other bytes");

    // A deleted upload: every URL a 404, and its files out of memory.
    for url in cached_urls {
        assert_eq!(app.get(url).await.status, 200);
    }
    assert!(!cache.is_empty());
    let deleted = app
        .send(
            "DELETE",
            &format!("/api/v1/media/{}", ids[0]),
            Some(&tokens[0]),
            None,
            &[],
        )
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    assert!(cache.is_empty(), "{} files still kept", cache.len());
    assert_eq!(cache.bytes(), 0);
    for url in cached_urls {
        assert_eq!(app.get(url).await.status, 404, "{url}");
    }
}

/// A picture the body shows is the article's even when `image_ids` leaves it out, and when
/// it is only the cover: it is listed in `images`, kept from a delete and followed by a
/// replacement.
#[actix_rt::test]
async fn a_picture_only_the_body_names_is_kept_from_a_delete_and_followed() {
    let app = TestApp::empty().await;
    let editor = app.token_for(Role::Editor).await;
    let mut pictures = Vec::new();
    for name in ["a.jpg", "b.jpg"] {
        let created = upload(&app, &editor, &[("file", Some(name), &jpeg(900, 600))]).await;
        assert_eq!(created.status, 201, "{}", created.text());
        let image = created.json();
        pictures.push((
            image["id"].as_i64().unwrap(),
            image["url"].as_str().unwrap().to_owned(),
        ));
    }
    let [(inline, inline_url), (cover, cover_url)] = [pictures[0].clone(), pictures[1].clone()];
    let body = format!(
        "<p>正文</p><img src=\"{inline_url}\" alt=\"现场\"><img src=\"{cover_url}\" alt=\"封面\">\
         <img src=\"https://elsewhere.example/x.jpg\" alt=\"外链\">"
    );
    let article = app
        .send(
            "POST",
            "/api/v1/articles",
            Some(&editor),
            Some(&json!({"title": "只在正文", "slug": "body-only", "body_html": body, "cover_media_id": cover, "status": "published"})),
            &[],
        )
        .await;
    assert_eq!(article.status, 201, "{}", article.text());
    let read = app.get_json("/api/v1/articles/body-only").await;
    let listed: Vec<i64> = read["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|image| image["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [inline, cover], "{read}");
    for id in [inline, cover] {
        let refused = app
            .send(
                "DELETE",
                &format!("/api/v1/media/{id}"),
                Some(&editor),
                None,
                &[],
            )
            .await;
        assert_eq!(refused.status, 409, "{}", refused.text());
    }
    let replaced = app
        .send_bytes(
            "PUT",
            &format!("/api/v1/media/{cover}/file"),
            Some(&editor),
            &form_type(),
            form(&[("file", Some("c.png"), &png(700, 500))]),
            &[],
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    let new_url = replaced.json()["url"].as_str().unwrap().to_owned();
    let shown = app.get_json("/api/v1/articles/body-only").await["body_html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!shown.contains(&cover_url), "{shown}");
    assert!(shown.contains(&format!("src=\"{new_url}\"")), "{shown}");
    assert!(shown.contains("https://elsewhere.example/x.jpg"), "{shown}");
}
