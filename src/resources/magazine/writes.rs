//! Magazine issues through the editing kit: editors and admins write them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries::{self, PUBLISHED};
use super::types::{MagazineIssue, MagazineIssueChanges, NewMagazineIssue};
use crate::auth::actor::Actor;
use crate::auth::Role;
use crate::db::schema::{articles, magazine_issue_articles, magazine_issues, media};
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::params::IdOrSlug;
use crate::input::kinds::{Id, Ids};
use crate::input::Patch;
use crate::resources::editing::{Action, Creatable, Current, Deletable, Editable};
use crate::resources::pages::types::PublicationStatus;

pub struct MagazineIssues;

fn status(status: PublicationStatus) -> &'static str {
    match status {
        PublicationStatus::Draft => "draft",
        PublicationStatus::Published => PUBLISHED,
    }
}

/// Every id the body names must exist.
fn check_references(
    conn: &mut AnyConnection,
    cover: &Patch<Id>,
    article_ids: &Patch<Ids<500>>,
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if let Patch::Value(Id(cover)) = cover {
        let found: i64 = media::table
            .filter(media::id.eq(cover))
            .count()
            .get_result(conn)?;
        if found == 0 {
            errors.push(FieldError::new(
                "cover_media_id",
                format!("no such id: {cover}"),
            ));
        }
    }
    if let Patch::Value(Ids(ids)) = article_ids {
        let found: Vec<i64> = articles::table
            .filter(articles::id.eq_any(ids))
            .select(articles::id)
            .load(conn)?;
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !found.contains(id))
            .map(i64::to_string)
            .collect();
        if !missing.is_empty() {
            errors.push(FieldError::new(
                "article_ids",
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

fn replace_articles(conn: &mut AnyConnection, issue_id: i64, ids: &[i64]) -> QueryResult<()> {
    diesel::delete(
        magazine_issue_articles::table.filter(magazine_issue_articles::issue_id.eq(issue_id)),
    )
    .execute(conn)?;
    for (position, article_id) in ids.iter().enumerate() {
        diesel::insert_into(magazine_issue_articles::table)
            .values((
                magazine_issue_articles::issue_id.eq(issue_id),
                magazine_issue_articles::article_id.eq(article_id),
                magazine_issue_articles::position.eq(position as i32),
            ))
            .execute(conn)?;
    }
    Ok(())
}

impl Editable for MagazineIssues {
    const KIND: &'static str = "magazine issue";
    const AUDIT_KIND: &'static str = "magazine_issue";
    const TABLE: &'static str = "magazine_issues";
    type Changes = MagazineIssueChanges;
    type Row = ();
    type View = MagazineIssue;

    fn authorize(actor: &Actor, _: Action) -> Result<(), ApiError> {
        actor.require(&[Role::Admin, Role::Editor])
    }

    fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> QueryResult<Option<Current<()>>> {
        // Issues have no slug: anything but an id names none.
        let IdOrSlug::Id(id) = key else {
            return Ok(None);
        };
        Ok(magazine_issues::table
            .filter(magazine_issues::id.eq(*id))
            .select((magazine_issues::id, magazine_issues::version))
            .first::<(i64, i64)>(conn)
            .optional()?
            .map(|(id, version)| Current {
                id,
                version,
                row: (),
            }))
    }

    fn apply(
        conn: &mut AnyConnection,
        _: &Actor,
        current: &Current<()>,
        changes: MagazineIssueChanges,
        now: NaiveDateTime,
    ) -> Result<String, ApiError> {
        check_references(conn, &changes.cover_media_id, &changes.article_ids)?;
        diesel::update(magazine_issues::table.filter(magazine_issues::id.eq(current.id)))
            .set((
                magazine_issues::updated_at.eq(now),
                changes
                    .title
                    .value()
                    .map(|title| magazine_issues::title.eq(title.0)),
                changes
                    .number
                    .into_update()
                    .map(|number| magazine_issues::number.eq(number.map(|n| n.0 as i32))),
                changes
                    .year
                    .value()
                    .map(|year| magazine_issues::year.eq(year.0 as i32)),
                changes
                    .published_on
                    .value()
                    .map(|day| magazine_issues::published_on.eq(day.0)),
                changes.description.into_update().map(|text| {
                    magazine_issues::description.eq(text.map(|d| d.0).unwrap_or_default())
                }),
                changes
                    .cover_media_id
                    .into_update()
                    .map(|cover| magazine_issues::cover_media_id.eq(cover.map(|id| id.0))),
                changes
                    .status
                    .value()
                    .map(|value| magazine_issues::status.eq(status(value))),
            ))
            .execute(conn)?;
        if let Some(ids) = changes.article_ids.into_update() {
            replace_articles(conn, current.id, &ids.map(|ids| ids.0).unwrap_or_default())?;
        }
        Ok(String::new())
    }

    /// Its articles as stored, in order: the view lists only the published ones.
    fn unseen(conn: &mut AnyConnection, id: i64) -> QueryResult<serde_json::Value> {
        let ids: Vec<i64> = magazine_issue_articles::table
            .filter(magazine_issue_articles::issue_id.eq(id))
            .order(magazine_issue_articles::position.asc())
            .select(magazine_issue_articles::article_id)
            .load(conn)?;
        Ok(serde_json::json!(ids))
    }

    fn view(
        conn: &mut AnyConnection,
        id: i64,
        now: NaiveDateTime,
    ) -> Result<MagazineIssue, ApiError> {
        queries::by_id_any_status(conn, now, id)?
            .ok_or_else(|| ApiError::not_found(Self::KIND, id.to_string()))
    }
}

impl Creatable for MagazineIssues {
    type New = NewMagazineIssue;

    fn insert(
        conn: &mut AnyConnection,
        _: &Actor,
        input: NewMagazineIssue,
        now: NaiveDateTime,
    ) -> Result<(i64, String), ApiError> {
        check_references(conn, &input.cover_media_id, &input.article_ids)?;
        let id = diesel::insert_into(magazine_issues::table)
            .values((
                magazine_issues::title.eq(input.title.0),
                magazine_issues::number.eq(input.number.value().map(|n| n.0 as i32)),
                magazine_issues::year.eq(input.year.0 as i32),
                magazine_issues::description.eq(input
                    .description
                    .value()
                    .map(|d| d.0)
                    .unwrap_or_default()),
                magazine_issues::cover_media_id.eq(input.cover_media_id.value().map(|id| id.0)),
                magazine_issues::published_on.eq(input.published_on.0),
                magazine_issues::status.eq(status(
                    input.status.value().unwrap_or(PublicationStatus::Draft),
                )),
                magazine_issues::created_at.eq(now),
                magazine_issues::updated_at.eq(now),
            ))
            .returning(magazine_issues::id)
            .get_result(conn)?;
        if let Some(Ids(ids)) = input.article_ids.value() {
            replace_articles(conn, id, &ids)?;
        }
        Ok((id, String::new()))
    }

    fn location(issue: &MagazineIssue) -> String {
        format!("/api/v1/magazine/issues/{}", issue.id)
    }
}

impl Deletable for MagazineIssues {
    fn before_delete(
        _: &mut AnyConnection,
        _: &Actor,
        _: &Current<()>,
    ) -> Result<String, ApiError> {
        // Its articles stay: only the running order goes (ON DELETE CASCADE).
        Ok(String::new())
    }
}
