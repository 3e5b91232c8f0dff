//! Public article counts without counting articles. The database keeps counters of
//! published articles (`published_counts`: the site, each category, each tag, each month
//! in the site's offset), changed by triggers in the transaction of every write. A counter
//! includes the published articles whose time has not come (a scheduled article becomes
//! public with no write), so a public count is the counter less those: an index range over
//! the future-dated articles only, whatever the size of the archive. The two are read in
//! one snapshot ([`crate::db::read`]), so a count is exact, not eventually right.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::dsl::{And, Eq as EqOp, Gt};
use diesel::prelude::*;

use super::PUBLISHED;
use crate::dates;
use crate::db::schema::{article_tags, articles, published_counts};
use crate::db::{read, AnyConnection};

/// The counters' scopes, as the triggers write them.
const SITE: &str = "site";
const CATEGORY: &str = "category";
const TAG: &str = "tag";
const MONTH: &str = "month";

/// A month as the counters key it: `year * 12 + month - 1` (month 1–12).
pub fn month_key(year: i32, month: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

/// The (year, month 1–12) of a [`month_key`].
pub fn month_of_key(key: i64) -> (i32, u32) {
    (key.div_euclid(12) as i32, key.rem_euclid(12) as u32 + 1)
}

fn counters(conn: &mut AnyConnection, scope: &str) -> QueryResult<HashMap<i64, i64>> {
    Ok(published_counts::table
        .filter(published_counts::scope.eq(scope.to_owned()))
        .select((published_counts::key, published_counts::articles))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect())
}

fn counters_for(conn: &mut AnyConnection, scope: &str, keys: &[i64]) -> QueryResult<i64> {
    Ok(published_counts::table
        .filter(published_counts::scope.eq(scope.to_owned()))
        .filter(published_counts::key.eq_any(keys.to_vec()))
        .select(published_counts::articles)
        .load::<i64>(conn)?
        .into_iter()
        .sum())
}

type Future = And<EqOp<articles::status, &'static str>, Gt<articles::published_at, NaiveDateTime>>;

/// Published articles whose time has not come (an index range of
/// `articles_status_published_idx` from `now`).
fn future(now: NaiveDateTime) -> Future {
    articles::status
        .eq(PUBLISHED)
        .and(articles::published_at.gt(now))
}

/// Public articles on the whole site.
pub fn site(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<i64> {
    read(conn, |conn| {
        let counted = counters_for(conn, SITE, &[0])?;
        let future: i64 = articles::table
            .filter(future(now))
            .count()
            .get_result(conn)?;
        Ok(counted - future)
    })
}

/// Public articles in each category (directly in it, not in its children).
pub fn by_category(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<HashMap<i64, i64>> {
    read(conn, |conn| {
        let mut counts = counters(conn, CATEGORY)?;
        let future: Vec<(Option<i64>, i64)> = articles::table
            .filter(future(now))
            .filter(articles::category_id.is_not_null())
            .group_by(articles::category_id)
            .select((articles::category_id, diesel::dsl::count_star()))
            .load(conn)?;
        for (category, count) in future {
            if let Some(counted) = category.and_then(|id| counts.get_mut(&id)) {
                *counted -= count;
            }
        }
        Ok(counts)
    })
}

/// Public articles in any of these categories.
pub fn in_categories(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    ids: &[i64],
) -> QueryResult<i64> {
    read(conn, |conn| {
        let counted = counters_for(conn, CATEGORY, ids)?;
        let future: i64 = articles::table
            .filter(future(now))
            .filter(articles::category_id.eq_any(ids.to_vec()))
            .count()
            .get_result(conn)?;
        Ok(counted - future)
    })
}

/// Public articles with each tag. A tag counts its `article_tags` rows whose mirrored
/// `published_at` is set; its future ones are a range of `article_tags_tag_published_idx`
/// from `now`, tag by tag (named, so that the range and not the whole index is read).
pub fn by_tag(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<HashMap<i64, i64>> {
    read(conn, |conn| {
        let mut counts = counters(conn, TAG)?;
        let tags: Vec<i64> = counts.keys().copied().collect();
        for chunk in tags.chunks(1000) {
            let future: Vec<(i64, i64)> = article_tags::table
                .filter(article_tags::tag_id.eq_any(chunk.to_vec()))
                .filter(article_tags::published_at.gt(now))
                .group_by(article_tags::tag_id)
                .select((article_tags::tag_id, diesel::dsl::count_star()))
                .load(conn)?;
            for (tag, count) in future {
                if let Some(counted) = counts.get_mut(&tag) {
                    *counted -= count;
                }
            }
        }
        Ok(counts)
    })
}

/// Public articles with one tag.
pub fn with_tag(conn: &mut AnyConnection, now: NaiveDateTime, tag: i64) -> QueryResult<i64> {
    read(conn, |conn| {
        let counted = counters_for(conn, TAG, &[tag])?;
        let future: i64 = article_tags::table
            .filter(article_tags::tag_id.eq(tag))
            .filter(article_tags::published_at.gt(now))
            .count()
            .get_result(conn)?;
        Ok(counted - future)
    })
}

/// Public articles per month in the site's offset (`utc_offset_minutes`, which the
/// counters were made with: read it in the same [`read`]), by [`month_key`], months
/// without any left out. Only instants in the stored range count ([`dates`]).
pub fn by_month(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    utc_offset_minutes: i32,
) -> QueryResult<BTreeMap<i64, i64>> {
    read(conn, |conn| {
        let mut counts: BTreeMap<i64, i64> = counters(conn, MONTH)?.into_iter().collect();
        let future: Vec<Option<NaiveDateTime>> = articles::table
            .filter(future(now))
            .filter(articles::published_at.ge(dates::first_instant()))
            .filter(articles::published_at.lt(dates::end_instant()))
            .select(articles::published_at)
            .load(conn)?;
        let shift = Duration::minutes(i64::from(utc_offset_minutes));
        for at in future.into_iter().flatten() {
            let local = at + shift;
            if let Some(counted) = counts.get_mut(&month_key(local.year(), local.month())) {
                *counted -= 1;
            }
        }
        counts.retain(|_, count| *count > 0);
        Ok(counts)
    })
}
