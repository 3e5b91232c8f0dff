//! Articles through the editing kit: every role writes them, and what an author may do is
//! decided in one place ([`check_role`]). Slugs keep their history (an old slug redirects),
//! references must exist, the body is sanitised.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries::{self, ArticleRow};
use super::status::ArticleStatus;
use super::types::{Article, ArticleChanges, NewArticle};
use crate::auth::actor::Actor;
use crate::content::PUBLISHED;
use crate::db::schema::{
    article_media, article_slug_history, article_tags, articles, categories, media, tags,
};
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::params::IdOrSlug;
use crate::input::kinds::{Id, Ids, Instant};
use crate::input::Patch;
use crate::resources::editing::{Action, Creatable, Current, Deletable, Editable};
use crate::resources::{search, site};

pub struct Articles;

/// The HTML allow-list: text structure, links, images, figures with captions, tables. No
/// scripts, event handlers, `javascript:` URLs or styles.
pub fn sanitize(html: &str) -> String {
    crate::http::html::sanitize(html)
}

/// The author role's rules, all of them: an author changes or deletes only their own
/// articles (an integration token owns none) while they are in draft or review, and leaves
/// an article in draft or review (an editor publishes, schedules and archives). Editors and
/// admins may do anything. `before` is the article as it is (none on create), `after` the
/// state it is left in (none on delete).
fn check_role(
    actor: &Actor,
    before: Option<&ArticleRow>,
    after: Option<ArticleStatus>,
) -> Result<(), ApiError> {
    if actor.role.edits_all_content() {
        return Ok(());
    }
    if before.is_some_and(|row| {
        !actor.owns(row.author_id) || !ArticleStatus::stored_open_to_authors(&row.status)
    }) {
        return Err(ApiError::Forbidden(
            "authors may change only their own articles, and only in draft or review".into(),
        ));
    }
    match after {
        Some(status) if !status.open_to_authors() => Err(ApiError::Forbidden(format!(
            "authors may keep articles in draft or review, not {}: an editor publishes",
            status.as_str()
        ))),
        _ => Ok(()),
    }
}

/// Every category, tag and media id named must exist; all that do not are reported at once.
/// The ids an article write names, each checked to exist.
struct References<'a> {
    category_id: &'a Patch<Id>,
    tag_ids: &'a Patch<Ids<50>>,
    cover_media_id: &'a Patch<Id>,
    image_ids: &'a Patch<Ids<200>>,
    related_ids: &'a Patch<Ids<12>>,
    /// The article written (none on create): it cannot be related to itself.
    article_id: Option<i64>,
}

fn check_references(conn: &mut AnyConnection, refs: References<'_>) -> Result<(), ApiError> {
    let References {
        category_id,
        tag_ids,
        cover_media_id,
        image_ids,
        related_ids,
        article_id,
    } = refs;
    let one = |id: &Patch<Id>| id.clone().value().map(|id| vec![id.0]);
    let checks = [
        ("category_id", one(category_id), "categories"),
        ("tag_ids", tag_ids.clone().value().map(|ids| ids.0), "tags"),
        ("cover_media_id", one(cover_media_id), "media"),
        (
            "image_ids",
            image_ids.clone().value().map(|ids| ids.0),
            "media",
        ),
        (
            "related_ids",
            related_ids.clone().value().map(|ids| ids.0),
            "articles",
        ),
    ];
    let mut errors = Vec::new();
    if let (Some(id), Some(related)) = (article_id, related_ids.clone().value()) {
        if related.0.contains(&id) {
            errors.push(FieldError::new(
                "related_ids",
                "must not name the article itself",
            ));
        }
    }
    for (field, wanted, table) in checks {
        let Some(wanted) = wanted.filter(|ids| !ids.is_empty()) else {
            continue;
        };
        let found: Vec<i64> = match table {
            "categories" => categories::table
                .filter(categories::id.eq_any(&wanted))
                .select(categories::id)
                .load(conn)?,
            "tags" => tags::table
                .filter(tags::id.eq_any(&wanted))
                .select(tags::id)
                .load(conn)?,
            "articles" => articles::table
                .filter(articles::id.eq_any(&wanted))
                .select(articles::id)
                .load(conn)?,
            _ => media::table
                .filter(media::id.eq_any(&wanted))
                .select(media::id)
                .load(conn)?,
        };
        let missing: Vec<String> = wanted
            .iter()
            .filter(|id| !found.contains(id))
            .map(i64::to_string)
            .collect();
        if !missing.is_empty() {
            errors.push(FieldError::new(
                field,
                format!("no such id: {}", missing.join(", ")),
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

fn taken() -> ApiError {
    ApiError::Invalid(vec![FieldError::new("slug", "is taken by another article")])
}

/// The tags of the article become `ids` (a `null` in the body, none).
fn replace_tags(
    conn: &mut AnyConnection,
    article_id: i64,
    ids: Option<Ids<50>>,
) -> QueryResult<()> {
    diesel::delete(article_tags::table.filter(article_tags::article_id.eq(article_id)))
        .execute(conn)?;
    for tag_id in ids.map(|ids| ids.0).unwrap_or_default() {
        diesel::insert_into(article_tags::table)
            .values((
                article_tags::article_id.eq(article_id),
                article_tags::tag_id.eq(tag_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The inline images of the article become `ids`, in order.
fn replace_images(
    conn: &mut AnyConnection,
    article_id: i64,
    ids: Option<Ids<200>>,
) -> QueryResult<()> {
    diesel::delete(article_media::table.filter(article_media::article_id.eq(article_id)))
        .execute(conn)?;
    for (position, media_id) in ids
        .map(|ids| ids.0)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
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

/// Links the uploaded pictures the stored body shows to the article, after those it names
/// in `image_ids`: a picture in the body is then kept from a delete (409), followed by a
/// replacement and served responsive, whether or not the editor listed it. A body just
/// sent (`body_sent`) that shows an upload no record has any more (deleted, perhaps by a
/// racing request) is refused, as a deleted `image_ids` entry is.
fn link_body_pictures(
    conn: &mut AnyConnection,
    article_id: i64,
    body_sent: bool,
) -> Result<(), ApiError> {
    let body: String = articles::table
        .find(article_id)
        .select(articles::body_html)
        .first(conn)?;
    let folders: Vec<String> = crate::resources::media::html::picture_sources(&body)
        .iter()
        .filter_map(|src| crate::resources::media::files::folder_of_url(src))
        .collect();
    if folders.is_empty() {
        return Ok(());
    }
    let found = crate::resources::media::queries::ids_of_folders(conn, &folders)?;
    if let Some(gone) = folders.iter().find(|folder| !found.contains_key(*folder)) {
        if body_sent {
            return Err(ApiError::Invalid(vec![FieldError::new(
                "body_html",
                format!("shows an uploaded picture that no longer exists (folder {gone})"),
            )]));
        }
    }
    let shown = folders
        .iter()
        .filter_map(|folder| found.get(folder).copied());
    let linked: Vec<(i64, i32)> = article_media::table
        .filter(article_media::article_id.eq(article_id))
        .select((article_media::media_id, article_media::position))
        .load(conn)?;
    let mut next = linked.iter().map(|(_, at)| at + 1).max().unwrap_or(0);
    let mut seen: std::collections::HashSet<i64> = linked.iter().map(|(id, _)| *id).collect();
    for media_id in shown {
        if seen.insert(media_id) {
            diesel::insert_into(article_media::table)
                .values((
                    article_media::article_id.eq(article_id),
                    article_media::media_id.eq(media_id),
                    article_media::position.eq(next),
                ))
                .execute(conn)?;
            next += 1;
        }
    }
    Ok(())
}

/// The stored status and publication time the final state implies.
fn resolve_status(
    status: ArticleStatus,
    published_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(&'static str, Option<NaiveDateTime>), ApiError> {
    match status {
        ArticleStatus::Scheduled => match published_at {
            Some(at) if at > now => Ok((PUBLISHED, Some(at))),
            _ => Err(ApiError::Invalid(vec![FieldError::new(
                "published_at",
                "a scheduled article needs a published_at in the future",
            )])),
        },
        ArticleStatus::Published => Ok((PUBLISHED, Some(published_at.unwrap_or(now)))),
        ArticleStatus::Draft => Ok(("draft", published_at)),
        ArticleStatus::Review => Ok(("review", published_at)),
        ArticleStatus::Archived => Ok(("archived", published_at)),
    }
}

/// The offset an article dated `at` is shown in, in minutes east of UTC.
fn offset_minutes(at: &Instant) -> i32 {
    at.0.offset().local_minus_utc() / 60
}

/// The new value of a nullable field (`Some(None)` for `null`), or `None` to leave it.
fn set<T, U>(patch: Patch<T>, value: impl FnOnce(T) -> U) -> Option<Option<U>> {
    patch.map(value).into_update()
}

impl Editable for Articles {
    const KIND: &'static str = "article";
    const TABLE: &'static str = "articles";
    /// Stored, it is compared through [`Self::unseen`].
    const SHOWN_WRITE_TIMES: &'static [&'static str] = &["published_at"];
    type Changes = ArticleChanges;
    type Row = ArticleRow;
    type View = Article;

    /// Every role writes articles; what an author may do depends on the article
    /// ([`check_role`]).
    fn authorize(_: &Actor, _: Action) -> Result<(), ApiError> {
        Ok(())
    }

    fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> QueryResult<Option<Current<ArticleRow>>> {
        let query = articles::table.select(articles::all_columns).into_boxed();
        let query = match key {
            IdOrSlug::Id(id) => query.filter(articles::id.eq(*id)),
            IdOrSlug::Slug(slug) => query.filter(articles::slug.eq(slug.clone())),
        };
        Ok(query
            .first::<ArticleRow>(conn)
            .optional()?
            .map(|row| Current {
                id: row.id,
                version: row.version,
                row,
            }))
    }

    /// The body as stored (the view rewrites uploaded pictures' attributes), the stored
    /// publication time (a draft without one shows its last change) and the pinned related
    /// articles (the view lists only published ones, pinned or not).
    fn unseen(conn: &mut AnyConnection, id: i64) -> QueryResult<serde_json::Value> {
        let (body_html, published_at) = articles::table
            .find(id)
            .select((articles::body_html, articles::published_at))
            .first::<(String, Option<NaiveDateTime>)>(conn)?;
        Ok(serde_json::json!({
            "body_html": body_html,
            "published_at": published_at.map(|at| at.to_string()),
            "pinned": search::related::pinned(conn, id)?,
        }))
    }

    fn apply(
        conn: &mut AnyConnection,
        actor: &Actor,
        current: &Current<ArticleRow>,
        changes: ArticleChanges,
        now: NaiveDateTime,
    ) -> Result<String, ApiError> {
        let row = &current.row;
        let status = changes
            .status
            .as_ref()
            .copied()
            .unwrap_or_else(|| row.status_at(now));
        check_role(actor, Some(row), Some(status))?;
        check_references(
            conn,
            References {
                category_id: &changes.category_id,
                tag_ids: &changes.tag_ids,
                cover_media_id: &changes.cover_media_id,
                image_ids: &changes.image_ids,
                related_ids: &changes.related_ids,
                article_id: Some(row.id),
            },
        )?;
        let published_at = match &changes.published_at {
            Patch::Value(at) => Some(at.0.naive_utc()),
            Patch::Null => None,
            Patch::Absent => row.published_at,
        };
        let (stored, published_at) = resolve_status(status, published_at, now)?;
        let slug = changes
            .slug
            .value()
            .map_or_else(|| row.slug.clone(), |slug| slug.0);
        if slug != row.slug {
            if slug_taken(conn, &slug, Some(row.id))? {
                return Err(taken());
            }
            // The old slug keeps redirecting; the new one leaves the history if it was there.
            diesel::delete(
                article_slug_history::table.filter(article_slug_history::slug.eq(&slug)),
            )
            .execute(conn)?;
            diesel::insert_into(article_slug_history::table)
                .values((
                    article_slug_history::slug.eq(&row.slug),
                    article_slug_history::article_id.eq(row.id),
                ))
                .execute(conn)?;
        }
        let body_sent = !changes.body_html.is_absent();
        diesel::update(articles::table.filter(articles::id.eq(row.id)))
            .set((
                articles::slug.eq(&slug),
                changes.title.value().map(|t| articles::title.eq(t.0)),
                set(changes.subtitle, |l| l.0).map(|v| articles::subtitle.eq(v)),
                set(changes.summary, |t| t.0).map(|v| articles::summary.eq(v.unwrap_or_default())),
                set(changes.body_html, |t| sanitize(&t.0))
                    .map(|v| articles::body_html.eq(v.unwrap_or_default())),
                set(changes.category_id, |id| id.0).map(|v| articles::category_id.eq(v)),
                set(changes.cover_media_id, |id| id.0).map(|v| articles::cover_media_id.eq(v)),
                set(changes.source, |l| l.0).map(|v| articles::source.eq(v)),
                set(changes.author_name, |l| l.0).map(|v| articles::author_name.eq(v)),
                articles::status.eq(stored),
                articles::published_at.eq(published_at),
                changes
                    .published_at
                    .value()
                    .map(|at| articles::utc_offset_minutes.eq(offset_minutes(&at))),
                set(changes.seo_title, |l| l.0).map(|v| articles::seo_title.eq(v)),
                set(changes.seo_description, |l| l.0).map(|v| articles::seo_description.eq(v)),
                articles::updated_at.eq(now),
            ))
            .execute(conn)?;
        if let Some(ids) = changes.tag_ids.into_update() {
            replace_tags(conn, row.id, ids)?;
        }
        if let Some(ids) = changes.image_ids.into_update() {
            replace_images(conn, row.id, ids)?;
        }
        link_body_pictures(conn, row.id, body_sent)?;
        if let Some(ids) = changes.related_ids.into_update() {
            search::related::pin(conn, row.id, &ids.map(|ids| ids.0).unwrap_or_default())?;
        }
        // In the same transaction: a search never sees a write half done.
        search::index::article(conn, row.id)?;
        Ok(slug)
    }

    fn view(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> Result<Article, ApiError> {
        let row = queries::by_id(conn, id)?
            .ok_or_else(|| ApiError::not_found("article", id.to_string()))?;
        Ok(queries::page(conn, now, row)?.0)
    }
}

impl Creatable for Articles {
    type New = NewArticle;

    fn insert(
        conn: &mut AnyConnection,
        actor: &Actor,
        input: NewArticle,
        now: NaiveDateTime,
    ) -> Result<(i64, String), ApiError> {
        let status = input.status.value().unwrap_or(ArticleStatus::Draft);
        check_role(actor, None, Some(status))?;
        check_references(
            conn,
            References {
                category_id: &input.category_id,
                tag_ids: &input.tag_ids,
                cover_media_id: &input.cover_media_id,
                image_ids: &input.image_ids,
                related_ids: &input.related_ids,
                article_id: None,
            },
        )?;
        let slug = match input.slug.value() {
            Some(slug) if slug_taken(conn, &slug.0, None)? => return Err(taken()),
            Some(slug) => slug.0,
            None => {
                let base = crate::slug::from_title(&input.title.0, "article");
                crate::slug::first_free(&base, |candidate| slug_taken(conn, candidate, None))?
                    .ok_or_else(|| {
                        ApiError::Conflict(format!("no free slug near `{base}`: give one"))
                    })?
            }
        };
        let published_at = input.published_at.value();
        let offset = match &published_at {
            Some(at) => offset_minutes(at),
            None => site::queries::utc_offset_minutes(conn)?,
        };
        let (stored, published_at) =
            resolve_status(status, published_at.map(|at| at.0.naive_utc()), now)?;
        let id: i64 = diesel::insert_into(articles::table)
            .values((
                articles::slug.eq(&slug),
                articles::title.eq(input.title.0),
                articles::subtitle.eq(input.subtitle.value().map(|line| line.0)),
                articles::summary.eq(input.summary.value().map(|t| t.0).unwrap_or_default()),
                articles::body_html.eq(sanitize(
                    &input.body_html.value().map(|t| t.0).unwrap_or_default(),
                )),
                articles::cover_media_id.eq(input.cover_media_id.value().map(|id| id.0)),
                articles::source.eq(input.source.value().map(|line| line.0)),
                articles::author_name.eq(input
                    .author_name
                    .value()
                    .map_or_else(|| actor.name.clone(), |line| line.0)),
                articles::category_id.eq(input.category_id.value().map(|id| id.0)),
                articles::status.eq(stored),
                articles::published_at.eq(published_at),
                articles::utc_offset_minutes.eq(offset),
                articles::seo_title.eq(input.seo_title.value().map(|line| line.0)),
                articles::seo_description.eq(input.seo_description.value().map(|line| line.0)),
                articles::author_id.eq(actor.id),
                articles::created_at.eq(now),
                articles::updated_at.eq(now),
            ))
            .returning(articles::id)
            .get_result(conn)?;
        if let Some(ids) = input.tag_ids.value() {
            replace_tags(conn, id, Some(ids))?;
        }
        if let Some(ids) = input.image_ids.value() {
            replace_images(conn, id, Some(ids))?;
        }
        // A new article's body is the one just sent.
        link_body_pictures(conn, id, true)?;
        if let Some(ids) = input.related_ids.value() {
            search::related::pin(conn, id, &ids.0)?;
        }
        search::index::article(conn, id)?;
        Ok((id, slug))
    }

    /// By id, as before: the slug may still change.
    fn location(article: &Article) -> String {
        format!("/api/v1/articles/{}", article.id)
    }
}

impl Deletable for Articles {
    fn before_delete(
        conn: &mut AnyConnection,
        actor: &Actor,
        current: &Current<ArticleRow>,
    ) -> Result<String, ApiError> {
        check_role(actor, Some(&current.row), None)?;
        // Its words leave the counts that tell common words from salient ones.
        search::related::forget(conn, current.row.id)?;
        // Tags, images, former slugs, its index entry and related lists go with it
        // (ON DELETE CASCADE, and a trigger for SQLite's full-text table).
        Ok(current.row.slug.clone())
    }
}

/// An article as an editor may see it: any state for editors and admins; for authors,
/// their own articles and those the public sees.
pub fn find_for_editor(
    conn: &mut AnyConnection,
    user: &Actor,
    key: &IdOrSlug,
    now: NaiveDateTime,
) -> QueryResult<Option<ArticleRow>> {
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
