//! Bulk generated articles for benchmarks and load tests: `masthead generate --articles N`,
//! with `--topics` articles about known topics for evaluating search (`super::topical`).

use chrono::{Duration, Utc};
use diesel::prelude::*;

use crate::config::DatabaseUrl;
use crate::content::PUBLISHED;
use crate::db::schema::{article_tags, articles, categories, tags};

/// Articles written per transaction. Every article updates the same few rows (the content
/// version, the site's and its category's counts), whose versions pile up within a
/// transaction on PostgreSQL: 5,000 a transaction took 3.5 minutes per batch at 100,000
/// articles.
const BATCH: u32 = 500;

/// Minutes between two generated articles.
const SPACING_MINUTES: i64 = 10;

/// Adds `count` published articles spread over the categories and tags (those of the demo
/// site on an empty database), one every ten minutes up to now, so all of them are public,
/// in transactions of [`BATCH`]. With `topics`, each is about one topic of `topics.json`.
pub fn run(url: &DatabaseUrl, count: u32, topics: bool) -> Result<(), String> {
    let topics = topics.then(super::topical::Topics::load).transpose()?;
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
    // The newest is published now, the oldest `count` × ten minutes ago; refuse before
    // writing any if that is before the stored range (about 6.6 million articles).
    let now = Utc::now().naive_utc();
    let at = |n: u32| {
        Duration::try_minutes(i64::from(count - 1 - n).saturating_mul(SPACING_MINUTES))
            .and_then(|back| now.checked_sub_signed(back))
            .filter(|at| crate::dates::instant_in_range(*at))
    };
    if count > 0 && at(0).is_none() {
        return Err(format!(
            "{count} articles ten minutes apart would start before {}: generate fewer",
            crate::dates::MIN_YEAR
        ));
    }
    let mut done = 0;
    let mut analyzed_at = start.max(BATCH.into());
    while done < count {
        let batch = BATCH.min(count - done);
        crate::db::write::<_, diesel::result::Error, _>(conn, |conn| {
            for n in done..done + batch {
                let serial = start + i64::from(n);
                let published_at = at(n).unwrap_or(now);
                // Spread by a hash, not by `serial % n`: topics also go by `serial`, and
                // they must not line up with categories or tags.
                let spread = (serial as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
                let category = (!category_ids.is_empty())
                    .then(|| category_ids[(spread as usize) % category_ids.len()]);
                let text = match &topics {
                    Some(topics) => {
                        let text = topics.article(serial);
                        (
                            format!("t{:02}-{serial}", text.topic),
                            text.title,
                            text.summary,
                            text.body_html,
                        )
                    }
                    None => (
                        format!("generated-{serial}"),
                        format!("生成的测试文章 第{serial}篇"),
                        format!("第{serial}篇生成文章的摘要,用于性能测试。"),
                        format!(
                            "<p>第{serial}篇生成文章。</p><h2>小标题</h2><p>{}</p>",
                            "深圳南山新闻动态。".repeat(40)
                        ),
                    ),
                };
                let (slug, title, summary, body_html) = text;
                let id: i64 = diesel::insert_into(articles::table)
                    .values((
                        articles::slug.eq(slug),
                        articles::title.eq(title),
                        articles::summary.eq(summary),
                        articles::body_html.eq(body_html),
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
                            article_tags::tag_id
                                .eq(tag_ids[(spread as usize >> 8) % tag_ids.len()]),
                        ))
                        .execute(conn)?;
                }
            }
            Ok(())
        })
        .map_err(|error| error.to_string())?;
        done += batch;
        tracing::info!(done, count, "articles generated");
        // On PostgreSQL the triggers' statements are planned from the statistics of a new
        // database, whose tables were empty (PL/pgSQL keeps those plans for the session):
        // each article took longer than the last, 1.3 ms in the first 500 and 10.8 ms in
        // the 40th. Statistics made again whenever the archive has doubled keep it flat
        // (0.8 ms; 20,000 articles in 17 s instead of 87 s).
        let stored = start + i64::from(done);
        if matches!(conn, crate::db::AnyConnection::Postgresql(_)) && stored >= 2 * analyzed_at {
            diesel::sql_query("ANALYZE")
                .execute(conn)
                .map_err(|error| error.to_string())?;
            analyzed_at = stored;
        }
    }
    let indexed =
        crate::resources::search::index::rebuild(conn).map_err(|error| error.to_string())?;
    tracing::info!(indexed, "search index and related articles rebuilt");
    Ok(())
}
