//! Bulk generated articles for benchmarks and load tests: `masthead generate --articles N`.

use chrono::{Duration, NaiveDate, Utc};
use diesel::prelude::*;

use crate::config::DatabaseUrl;
use crate::content::PUBLISHED;
use crate::db::schema::{article_tags, articles, categories, tags};

const BATCH: u32 = 5_000;

/// Adds `count` published articles spread over the categories and tags (those of the demo
/// site on an empty database), one every ten minutes back from 2020, in transactions of
/// 5,000. Back, not forward: an archive is in the past, and a million forward from 2020
/// would leave a third of them scheduled in the future, which no site has (public counts
/// take the scheduled articles away one by one: see `content::counts`).
pub fn run(url: &DatabaseUrl, count: u32) -> Result<(), String> {
    crate::commands::migrate::migrate(url)?;
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    let conn = &mut conn;
    super::seed_if_empty(conn).map_err(|error| error.to_string())?;
    let category_ids: Vec<i64> = categories::table
        .select(categories::id)
        .load(conn)
        .map_err(|error| error.to_string())?;
    let tag_ids: Vec<i64> = tags::table
        .select(tags::id)
        .load(conn)
        .map_err(|error| error.to_string())?;
    let start: i64 = articles::table
        .count()
        .get_result(conn)
        .map_err(|error| error.to_string())?;
    let epoch = NaiveDate::from_ymd_opt(2020, 1, 1)
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .unwrap_or_else(|| Utc::now().naive_utc());
    // The last article must stay in the stored range (years from 1900: about 6.3 million
    // articles at one every ten minutes back from 2020); refuse before writing any.
    let at = |serial: i64| {
        Duration::try_minutes(serial.saturating_add(1).saturating_mul(10))
            .and_then(|offset| epoch.checked_sub_signed(offset))
            .filter(|at| crate::dates::instant_in_range(*at))
    };
    if count > 0 && at(start + i64::from(count) - 1).is_none() {
        return Err(format!(
            "{count} more articles would be published before {}: generate fewer",
            crate::dates::MIN_YEAR
        ));
    }
    let mut done = 0;
    while done < count {
        let batch = BATCH.min(count - done);
        crate::db::write::<_, diesel::result::Error, _>(conn, |conn| {
            for n in done..done + batch {
                let serial = start + i64::from(n);
                let published_at = at(serial).unwrap_or(epoch);
                let category = (!category_ids.is_empty())
                    .then(|| category_ids[(serial as usize) % category_ids.len()]);
                let id: i64 = diesel::insert_into(articles::table)
                    .values((
                        articles::slug.eq(format!("generated-{serial}")),
                        articles::title.eq(format!("生成的测试文章 第{serial}篇")),
                        articles::summary.eq(format!("第{serial}篇生成文章的摘要,用于性能测试。")),
                        articles::body_html.eq(format!(
                            "<p>第{serial}篇生成文章。</p><h2>小标题</h2><p>{}</p>",
                            "深圳南山新闻动态。".repeat(40)
                        )),
                        articles::category_id.eq(category),
                        articles::author_name.eq("生成器"),
                        articles::status.eq(PUBLISHED),
                        articles::published_at.eq(published_at),
                        articles::utc_offset_minutes.eq(480),
                        articles::created_at.eq(published_at),
                        articles::updated_at.eq(published_at),
                    ))
                    .returning(articles::id)
                    .get_result(conn)?;
                if !tag_ids.is_empty() {
                    diesel::insert_into(article_tags::table)
                        .values((
                            article_tags::article_id.eq(id),
                            article_tags::tag_id.eq(tag_ids[(serial as usize) % tag_ids.len()]),
                        ))
                        .execute(conn)?;
                }
            }
            Ok(())
        })
        .map_err(|error| error.to_string())?;
        done += batch;
        tracing::info!(done, count, "articles generated");
    }
    let indexed =
        crate::resources::search::index::rebuild(conn).map_err(|error| error.to_string())?;
    tracing::info!(indexed, "search index and related articles rebuilt");
    Ok(())
}
