//! The demo's pictures: real files made for the demo (`scripts/demo-pictures.py`), put
//! through the upload pipeline on start, so that the demo article shows its photos in
//! every size. The demo content names them by placeholder URLs; a record still at its
//! placeholder gets its file (the site logo is such a record too), and the article HTML
//! that uses the placeholder gets the stored file's URL. Done at every start until done,
//! so it is idempotent.

use actix_web::web::Bytes;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{articles, media};
use crate::db::Pool;
use crate::resources::media::files::MediaFiles;
use crate::resources::media::writes::file_columns;

/// (the placeholder URL in `content.json`, the file).
const FILES: &[(&str, &[u8])] = &[
    (
        "/media/2021/11/humiao-training.jpg",
        include_bytes!("pictures/training.jpg"),
    ),
    (
        "/media/2021/11/humiao-procuratorate.jpg",
        include_bytes!("pictures/procuratorate.jpg"),
    ),
    (
        "/media/2021/11/humiao-discussion.jpg",
        include_bytes!("pictures/discussion.jpg"),
    ),
    (
        "/media/2021/11/humiao-roundtable.jpg",
        include_bytes!("pictures/roundtable.jpg"),
    ),
    (
        "/media/2021/11/humiao-quiz.jpg",
        include_bytes!("pictures/quiz.jpg"),
    ),
    (
        "/media/magazine/85/cover.jpg",
        include_bytes!("pictures/issue85-cover.jpg"),
    ),
    ("/media/logo.png", include_bytes!("pictures/logo.png")),
];

/// Stores the file of every demo picture still at its placeholder; answers how many.
pub async fn attach(files: &MediaFiles, pool: &Pool, now: NaiveDateTime) -> Result<usize, String> {
    let mut attached = 0;
    for (placeholder, bytes) in FILES {
        let pending = crate::db::run(pool, move |conn| {
            let records: i64 = media::table
                .filter(media::url.eq(*placeholder))
                .count()
                .get_result(conn)?;
            Ok::<_, crate::error::ApiError>(records > 0)
        })
        .await
        .map_err(|error| error.to_string())?;
        if !pending {
            continue;
        }
        let stored = files
            .store(Bytes::from_static(bytes), now)
            .await
            .map_err(|error| format!("demo picture {placeholder}: {error}"))?;
        let url = stored.url.clone();
        crate::db::run(pool, move |conn| {
            crate::db::write(conn, |conn| {
                diesel::update(media::table.filter(media::url.eq(*placeholder)))
                    .set(file_columns(&stored))
                    .execute(conn)?;
                let bodies: Vec<(i64, String)> = articles::table
                    .filter(articles::body_html.like(format!("%{placeholder}%")))
                    .select((articles::id, articles::body_html))
                    .load(conn)?;
                for (id, body) in bodies {
                    diesel::update(articles::table.filter(articles::id.eq(id)))
                        .set(articles::body_html.eq(body.replace(*placeholder, &url)))
                        .execute(conn)?;
                }
                Ok::<_, crate::error::ApiError>(())
            })
        })
        .await
        .map_err(|error| error.to_string())?;
        attached += 1;
    }
    Ok(attached)
}
