//! Creating, changing and deleting articles: validation (every bad field at once), the
//! editorial workflow and its role rules, slugs and their history, audit, all in one
//! transaction per request.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use super::queries::ArticleRow;
use super::status::Status;
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::content::PUBLISHED;
use crate::db::schema::{
    article_media, article_slug_history, article_tags, articles, categories, media, tags,
};
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::input::{Input, Patch};
use crate::http::preconditions::{check_if_match, swapped};
use crate::resources::{audit, site};

pub const FIELDS: &[&str] = &[
    "title",
    "slug",
    "subtitle",
    "summary",
    "body_html",
    "category_id",
    "tag_ids",
    "cover_media_id",
    "image_ids",
    "source",
    "author_name",
    "status",
    "published_at",
    "seo_title",
    "seo_description",
];

pub const MAX_TITLE: usize = 200;
const MAX_BODY_CHARS: usize = 500_000;

/// A checked request body.
#[derive(Debug)]
pub struct Changes {
    title: Patch<String>,
    slug: Patch<String>,
    subtitle: Patch<String>,
    summary: Patch<String>,
    body_html: Patch<String>,
    category_id: Patch<i64>,
    tag_ids: Patch<Vec<i64>>,
    cover_media_id: Patch<i64>,
    image_ids: Patch<Vec<i64>>,
    source: Patch<String>,
    author_name: Patch<String>,
    status: Patch<Status>,
    published_at: Patch<DateTime<FixedOffset>>,
    seo_title: Patch<String>,
    seo_description: Patch<String>,
}

impl Changes {
    /// Checks the body's shape; `creating` requires a title.
    pub fn parse(body: Value, creating: bool) -> Result<Self, ApiError> {
        let mut input = Input::new(body, FIELDS);
        let title = input.string("title", MAX_TITLE);
        if title == Patch::Null || (creating && title.is_absent() && !input.has_errors()) {
            input.error("title", "is required");
        }
        let slug = input.string("slug", crate::slug::MAX_CHARS);
        if let Patch::Value(slug) = &slug {
            if let Err(message) = crate::slug::check(slug) {
                input.error("slug", message);
            }
        } else if slug == Patch::Null {
            input.error(
                "slug",
                "cannot be null; leave it out to keep the current one",
            );
        }
        let status = match input.string("status", 20) {
            Patch::Value(raw) => match Status::parse(&raw) {
                Some(status) => Patch::Value(status),
                None => {
                    input.error(
                        "status",
                        "must be one of draft, review, scheduled, published, archived",
                    );
                    Patch::Absent
                }
            },
            Patch::Null => {
                input.error("status", "cannot be null");
                Patch::Absent
            }
            Patch::Absent => Patch::Absent,
        };
        let changes = Self {
            title,
            slug,
            subtitle: input.string("subtitle", MAX_TITLE),
            summary: input.text("summary", 2_000),
            body_html: input.text("body_html", MAX_BODY_CHARS),
            category_id: input.id("category_id"),
            tag_ids: input.ids("tag_ids", 50),
            cover_media_id: input.id("cover_media_id"),
            image_ids: input.ids("image_ids", 200),
            source: input.string("source", 200),
            author_name: input.string("author_name", 200),
            status,
            published_at: input.datetime("published_at"),
            seo_title: input.string("seo_title", 200),
            seo_description: input.string("seo_description", 500),
        };
        input.finish()?;
        Ok(changes)
    }

    /// Names of the fields the body sets, for the audit trail.
    fn summary(&self) -> String {
        let set = [
            ("title", self.title.is_absent()),
            ("slug", self.slug.is_absent()),
            ("subtitle", self.subtitle.is_absent()),
            ("summary", self.summary.is_absent()),
            ("body_html", self.body_html.is_absent()),
            ("category_id", self.category_id.is_absent()),
            ("tag_ids", self.tag_ids.is_absent()),
            ("cover_media_id", self.cover_media_id.is_absent()),
            ("image_ids", self.image_ids.is_absent()),
            ("source", self.source.is_absent()),
            ("author_name", self.author_name.is_absent()),
            ("status", self.status.is_absent()),
            ("published_at", self.published_at.is_absent()),
            ("seo_title", self.seo_title.is_absent()),
            ("seo_description", self.seo_description.is_absent()),
        ];
        set.iter()
            .filter(|(_, absent)| !absent)
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The HTML allow-list: text structure, links, images, figures with captions, tables. No
/// scripts, event handlers, `javascript:` URLs or styles.
pub fn sanitize(html: &str) -> String {
    crate::http::html::sanitize(html)
}

fn missing_ids(
    conn: &mut AnyConnection,
    table: &'static str,
    wanted: &[i64],
) -> QueryResult<Vec<i64>> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<i64> = match table {
        "categories" => categories::table
            .filter(categories::id.eq_any(wanted))
            .select(categories::id)
            .load(conn)?,
        "tags" => tags::table
            .filter(tags::id.eq_any(wanted))
            .select(tags::id)
            .load(conn)?,
        _ => media::table
            .filter(media::id.eq_any(wanted))
            .select(media::id)
            .load(conn)?,
    };
    Ok(wanted
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect())
}

/// Every reference in the body must exist; reports all that do not.
fn check_references(conn: &mut AnyConnection, changes: &Changes) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    let checks: [(&str, &'static str, Vec<i64>); 4] = [
        (
            "category_id",
            "categories",
            changes.category_id.clone().value().into_iter().collect(),
        ),
        (
            "tag_ids",
            "tags",
            changes.tag_ids.clone().value().unwrap_or_default(),
        ),
        (
            "cover_media_id",
            "media",
            changes.cover_media_id.clone().value().into_iter().collect(),
        ),
        (
            "image_ids",
            "media",
            changes.image_ids.clone().value().unwrap_or_default(),
        ),
    ];
    for (field, table, ids) in checks {
        let missing = missing_ids(conn, table, &ids)?;
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(i64::to_string).collect();
            errors.push(FieldError::new(
                field,
                format!("no such id: {}", list.join(", ")),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(errors))
    }
}

/// True when `slug` names another article, now or in its history.
fn slug_taken(conn: &mut AnyConnection, slug: &str, article_id: Option<i64>) -> QueryResult<bool> {
    let mut current = articles::table
        .filter(articles::slug.eq(slug))
        .select(articles::id)
        .into_boxed();
    let mut former = article_slug_history::table
        .filter(article_slug_history::slug.eq(slug))
        .select(article_slug_history::article_id)
        .into_boxed();
    if let Some(id) = article_id {
        current = current.filter(articles::id.ne(id));
        former = former.filter(article_slug_history::article_id.ne(id));
    }
    Ok(current.first::<i64>(conn).optional()?.is_some()
        || former.first::<i64>(conn).optional()?.is_some())
}

/// A free slug from the title: `base`, `base-2`, `base-3` …
fn free_slug(conn: &mut AnyConnection, title: &str) -> Result<String, ApiError> {
    let base = crate::slug::from_title(title, "article");
    crate::slug::first_free(&base, |candidate| slug_taken(conn, candidate, None))?
        .ok_or_else(|| ApiError::Conflict(format!("no free slug near `{base}`: give one")))
}

fn replace_tags(conn: &mut AnyConnection, article_id: i64, ids: &[i64]) -> QueryResult<()> {
    diesel::delete(article_tags::table.filter(article_tags::article_id.eq(article_id)))
        .execute(conn)?;
    for tag_id in ids {
        diesel::insert_into(article_tags::table)
            .values((
                article_tags::article_id.eq(article_id),
                article_tags::tag_id.eq(tag_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn replace_images(conn: &mut AnyConnection, article_id: i64, ids: &[i64]) -> QueryResult<()> {
    diesel::delete(article_media::table.filter(article_media::article_id.eq(article_id)))
        .execute(conn)?;
    for (position, media_id) in ids.iter().enumerate() {
        diesel::insert_into(article_media::table)
            .values((
                article_media::article_id.eq(article_id),
                article_media::media_id.eq(media_id),
                article_media::position.eq(position as i32),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The stored status and publication time the final state implies.
fn resolve_status(
    status: Status,
    published_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(&'static str, Option<NaiveDateTime>), ApiError> {
    match status {
        Status::Scheduled => match published_at {
            Some(at) if at > now => Ok((PUBLISHED, Some(at))),
            _ => Err(ApiError::Invalid(vec![FieldError::new(
                "published_at",
                "a scheduled article needs a published_at in the future",
            )])),
        },
        Status::Published => Ok((PUBLISHED, Some(published_at.unwrap_or(now)))),
        Status::Draft => Ok(("draft", published_at)),
        Status::Review => Ok(("review", published_at)),
        Status::Archived => Ok(("archived", published_at)),
    }
}

fn forbid_author(user: &Actor, status: Status) -> Result<(), ApiError> {
    if user.role == Role::Author && !status.open_to_authors() {
        return Err(ApiError::Forbidden(format!(
            "authors may keep articles in draft or review, not {}: an editor publishes",
            status.as_str()
        )));
    }
    Ok(())
}

/// Creates an article; returns its id.
pub fn create(
    conn: &mut AnyConnection,
    user: &Actor,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    let status = changes.status.clone().value().unwrap_or(Status::Draft);
    forbid_author(user, status)?;
    crate::db::write(conn, |conn| {
        check_references(conn, &changes)?;
        let title = changes.title.clone().value().unwrap_or_default();
        let slug = match changes.slug.clone().value() {
            Some(slug) if slug_taken(conn, &slug, None)? => {
                return Err(ApiError::Invalid(vec![FieldError::new(
                    "slug",
                    "is taken by another article",
                )]))
            }
            Some(slug) => slug,
            None => free_slug(conn, &title)?,
        };
        let offset = match &changes.published_at {
            Patch::Value(at) => at.offset().local_minus_utc() / 60,
            _ => site::queries::utc_offset_minutes(conn)?,
        };
        let (stored, published_at) = resolve_status(
            status,
            changes
                .published_at
                .clone()
                .value()
                .map(|at| at.naive_utc()),
            now,
        )?;
        let id: i64 = diesel::insert_into(articles::table)
            .values((
                articles::slug.eq(&slug),
                articles::title.eq(&title),
                articles::subtitle.eq(changes.subtitle.clone().value()),
                articles::summary.eq(changes.summary.clone().value().unwrap_or_default()),
                articles::body_html.eq(sanitize(
                    &changes.body_html.clone().value().unwrap_or_default(),
                )),
                articles::cover_media_id.eq(changes.cover_media_id.clone().value()),
                articles::source.eq(changes.source.clone().value()),
                articles::author_name.eq(changes
                    .author_name
                    .clone()
                    .value()
                    .unwrap_or_else(|| user.name.clone())),
                articles::category_id.eq(changes.category_id.clone().value()),
                articles::status.eq(stored),
                articles::published_at.eq(published_at),
                articles::utc_offset_minutes.eq(offset),
                articles::seo_title.eq(changes.seo_title.clone().value()),
                articles::seo_description.eq(changes.seo_description.clone().value()),
                articles::author_id.eq(user.id),
                articles::created_at.eq(now),
                articles::updated_at.eq(now),
            ))
            .returning(articles::id)
            .get_result(conn)?;
        if let Patch::Value(ids) = &changes.tag_ids {
            replace_tags(conn, id, ids)?;
        }
        if let Patch::Value(ids) = &changes.image_ids {
            replace_images(conn, id, ids)?;
        }
        audit::queries::record(
            conn,
            user,
            "create",
            "article",
            Some(id),
            &changes.summary(),
            now,
        )?;
        Ok(id)
    })
}

/// The id of the article a path names, in any state.
pub fn resolve(
    conn: &mut AnyConnection,
    key: &crate::http::params::IdOrSlug,
) -> Result<i64, ApiError> {
    use crate::http::params::IdOrSlug;
    match key {
        IdOrSlug::Id(id) => Ok(*id),
        IdOrSlug::Slug(slug) => articles::table
            .filter(articles::slug.eq(slug))
            .select(articles::id)
            .first(conn)
            .optional()?
            .ok_or_else(|| ApiError::not_found("article", slug.clone())),
    }
}

fn load(conn: &mut AnyConnection, id: i64) -> Result<ArticleRow, ApiError> {
    super::queries::by_id(conn, id)?.ok_or_else(|| ApiError::not_found("article", id.to_string()))
}

/// What an author may touch: their own articles while in draft or review.
fn check_author_owns(user: &Actor, row: &ArticleRow, now: NaiveDateTime) -> Result<(), ApiError> {
    if user.role == Role::Author
        && (!user.owns(row.author_id) || !row.status_at(now).open_to_authors())
    {
        return Err(ApiError::Forbidden(
            "authors may change only their own articles, and only in draft or review".into(),
        ));
    }
    Ok(())
}

/// Applies a partial update.
pub fn update(
    conn: &mut AnyConnection,
    user: &Actor,
    id: i64,
    if_match: Option<&str>,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    crate::db::write(conn, |conn| {
        let row = load(conn, id)?;
        check_if_match(if_match, "article", row.version)?;
        check_author_owns(user, &row, now)?;
        check_references(conn, &changes)?;
        let status = changes
            .status
            .clone()
            .value()
            .unwrap_or_else(|| row.status_at(now));
        forbid_author(user, status)?;
        let published_at = match &changes.published_at {
            Patch::Value(at) => Some(at.naive_utc()),
            Patch::Null => None,
            Patch::Absent => row.published_at,
        };
        let (stored, published_at) = resolve_status(status, published_at, now)?;
        if let Patch::Value(slug) = &changes.slug {
            if *slug != row.slug {
                if slug_taken(conn, slug, Some(id))? {
                    return Err(ApiError::Invalid(vec![FieldError::new(
                        "slug",
                        "is taken by another article",
                    )]));
                }
                // The old slug keeps redirecting; the new one leaves the history if it was there.
                diesel::delete(
                    article_slug_history::table.filter(article_slug_history::slug.eq(slug)),
                )
                .execute(conn)?;
                diesel::insert_into(article_slug_history::table)
                    .values((
                        article_slug_history::slug.eq(&row.slug),
                        article_slug_history::article_id.eq(id),
                    ))
                    .execute(conn)?;
            }
        }
        let offset = match &changes.published_at {
            Patch::Value(at) => at.offset().local_minus_utc() / 60,
            _ => row.utc_offset_minutes,
        };
        let bumped = diesel::update(
            articles::table
                .filter(articles::id.eq(id))
                .filter(articles::version.eq(row.version)),
        )
        .set((
            articles::title.eq(changes.title.clone().value().unwrap_or(row.title.clone())),
            articles::slug.eq(changes.slug.clone().value().unwrap_or(row.slug.clone())),
            articles::subtitle.eq(changes
                .subtitle
                .clone()
                .into_update()
                .unwrap_or(row.subtitle.clone())),
            articles::summary.eq(changes
                .summary
                .clone()
                .into_update()
                .map_or(row.summary.clone(), Option::unwrap_or_default)),
            articles::body_html.eq(match changes.body_html.clone().into_update() {
                Some(body) => sanitize(&body.unwrap_or_default()),
                None => row.body_html.clone(),
            }),
            articles::cover_media_id.eq(changes
                .cover_media_id
                .clone()
                .into_update()
                .unwrap_or(row.cover_media_id)),
            articles::source.eq(changes
                .source
                .clone()
                .into_update()
                .unwrap_or(row.source.clone())),
            articles::author_name.eq(changes
                .author_name
                .clone()
                .into_update()
                .unwrap_or(row.author_name.clone())),
            articles::category_id.eq(changes
                .category_id
                .clone()
                .into_update()
                .unwrap_or(row.category_id)),
            articles::status.eq(stored),
            articles::published_at.eq(published_at),
            articles::utc_offset_minutes.eq(offset),
            articles::seo_title.eq(changes
                .seo_title
                .clone()
                .into_update()
                .unwrap_or(row.seo_title.clone())),
            articles::seo_description.eq(changes
                .seo_description
                .clone()
                .into_update()
                .unwrap_or(row.seo_description.clone())),
            articles::updated_at.eq(now),
            articles::version.eq(row.version + 1),
        ))
        .execute(conn)?;
        swapped(bumped, "article")?;
        match &changes.tag_ids {
            Patch::Value(ids) => replace_tags(conn, id, ids)?,
            Patch::Null => replace_tags(conn, id, &[])?,
            Patch::Absent => {}
        }
        match &changes.image_ids {
            Patch::Value(ids) => replace_images(conn, id, ids)?,
            Patch::Null => replace_images(conn, id, &[])?,
            Patch::Absent => {}
        }
        audit::queries::record(
            conn,
            user,
            "update",
            "article",
            Some(id),
            &changes.summary(),
            now,
        )?;
        Ok(())
    })
}

pub fn delete(
    conn: &mut AnyConnection,
    user: &Actor,
    id: i64,
    if_match: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    crate::db::write(conn, |conn| {
        let row = load(conn, id)?;
        check_if_match(if_match, "article", row.version)?;
        check_author_owns(user, &row, now)?;
        let deleted = diesel::delete(
            articles::table
                .filter(articles::id.eq(id))
                .filter(articles::version.eq(row.version)),
        )
        .execute(conn)?;
        swapped(deleted, "article")?;
        audit::queries::record(conn, user, "delete", "article", Some(id), &row.slug, now)?;
        Ok(())
    })
}

/// An article as an editor may see it: any state for editors and admins; for authors,
/// their own articles and those the public sees.
pub fn find_for_editor(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &crate::http::params::IdOrSlug,
    now: NaiveDateTime,
) -> QueryResult<Option<ArticleRow>> {
    use crate::http::params::IdOrSlug;
    let query = articles::table.select(articles::all_columns).into_boxed();
    let query = match key {
        IdOrSlug::Id(id) => query.filter(articles::id.eq(*id)),
        IdOrSlug::Slug(slug) => query.filter(articles::slug.eq(slug.clone())),
    };
    let row: Option<ArticleRow> = query.first(conn).optional()?;
    Ok(row.filter(|row| {
        // Someone else's article only once the public sees it: a scheduled one (stored as
        // published, dated in the future) is still embargoed.
        let public = row.status == PUBLISHED && row.published_at.is_some_and(|at| at <= now);
        user.role.edits_all_content() || user.owns(row.author_id) || public
    }))
}
