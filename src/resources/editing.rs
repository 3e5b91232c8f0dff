//! The editing kit: what every editors' write does, written once. A resource implements
//! [`Editable`] (its input types, its rules and its store functions) and its handlers call
//! [`create`], [`update`] and [`delete`] (or [`put`], where the client names the key),
//! which own the rest:
//! - the role check, before any database work;
//! - one write transaction ([`crate::db::write`]) holding the write lock;
//! - the 404 for a key that names nothing;
//! - `If-Match` (strong comparison with the version ETag) and the compare-and-set version
//!   bump, so that of two racing writers with one ETag exactly one wins;
//! - an update that changes nothing the resource holds (its view, and what it stores
//!   unseen) writes nothing: no version bump (the ETag stays, cached answers stay), no audit
//!   entry, the resource as it was;
//! - the audit entry, in the same transaction;
//! - the answer: the resource as editors see it, read in the same transaction (a delete
//!   landing just after cannot turn a write that happened into a 404), its version as a strong ETag,
//!   `Cache-Control: private, no-cache`, and `Location` on 201.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::actor::Actor;
use crate::db::AnyConnection;
use crate::error::ApiError;
use crate::http::params::IdOrSlug;
use crate::http::preconditions::{check_if_match, etag, if_match, swapped};
use crate::resources::audit;
use crate::state::AppState;

/// What a write is about to do, for the role rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }
}

/// The row a write found: what the kit needs to check and bump it.
#[derive(Debug, Clone)]
pub struct Current<Row> {
    pub id: i64,
    pub version: i64,
    /// The resource's own columns, for its rules.
    pub row: Row,
}

/// A resource editors change through the kit ([`update`]); [`Creatable`] and [`Deletable`]
/// add the other two verbs where the resource has them (the site settings have neither).
pub trait Editable: 'static {
    /// Its name in messages and the audit trail: `tag`.
    const KIND: &'static str;
    /// Its name in the audit trail where that is not [`Self::KIND`]: `magazine_issue` for
    /// `magazine issue`.
    const AUDIT_KIND: &'static str = Self::KIND;
    /// Its table, which has `id` and `version` columns.
    const TABLE: &'static str;
    /// Fields of [`Self::view`] that every write moves by itself, besides `version` and
    /// `updated_at` (a draft without a date shows its last change as `published_at`); what
    /// they stand for, if stored, goes in [`Self::unseen`].
    const SHOWN_WRITE_TIMES: &'static [&'static str] = &[];

    /// What the row stores that [`Self::view`] does not show (a password's hash, unpublished
    /// articles in a list, pinned links, positions): an update that moves it is a change
    /// even when the view comes out as it was.
    fn unseen(_conn: &mut AnyConnection, _id: i64) -> QueryResult<serde_json::Value> {
        Ok(serde_json::Value::Null)
    }
    /// The body of an update.
    type Changes: Send + 'static;
    /// What the rules of an update or a delete look at.
    type Row: Send + 'static;
    /// The answer, as editors see the resource.
    type View: Serialize + Send + 'static;

    /// The role rule: who may do `action` at all (row-specific rules go in the store
    /// functions).
    fn authorize(actor: &Actor, action: Action) -> Result<(), ApiError>;

    /// The row `key` names, if any.
    fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> QueryResult<Option<Current<Self::Row>>>;

    /// Writes the changes to the row (its version is bumped by the kit), and answers the
    /// audit summary.
    fn apply(
        conn: &mut AnyConnection,
        actor: &Actor,
        current: &Current<Self::Row>,
        changes: Self::Changes,
        now: NaiveDateTime,
    ) -> Result<String, ApiError>;

    /// The resource by id, as editors see it.
    fn view(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> Result<Self::View, ApiError>;
}

/// A resource editors create through the kit ([`create`]).
pub trait Creatable: Editable {
    /// The body of a create.
    type New: Send + 'static;

    /// Inserts, and answers the new row's id and the audit summary (its slug or name).
    fn insert(
        conn: &mut AnyConnection,
        actor: &Actor,
        input: Self::New,
        now: NaiveDateTime,
    ) -> Result<(i64, String), ApiError>;

    /// Its URL under `/api/v1`, for `Location`.
    fn location(view: &Self::View) -> String;
}

/// A resource editors delete through the kit ([`delete`]).
pub trait Deletable: Editable {
    /// Checks and clears what must go before the row is deleted (refusing a delete that
    /// would break something), and answers the audit summary.
    fn before_delete(
        conn: &mut AnyConnection,
        actor: &Actor,
        current: &Current<Self::Row>,
    ) -> Result<String, ApiError>;
}

/// A resource whose key the client names, so that `PUT` creates it or replaces it whole
/// ([`put`]): its body is a create's, which on a row that exists becomes an update.
pub trait Puttable: Creatable {
    /// The update that replaces an existing row's content with `input`.
    fn replacing(input: Self::New) -> Self::Changes;
}

/// Creates: 201 with `Location` and the ETag.
pub async fn create<R: Creatable>(
    state: &AppState,
    actor: Actor,
    input: R::New,
) -> Result<HttpResponse, ApiError> {
    R::authorize(&actor, Action::Create)?;
    let now = state.clock.now();
    let view = crate::db::run(&state.pool, move |conn| {
        crate::db::write(conn, |conn| {
            let (id, summary) = R::insert(conn, &actor, input, now)?;
            audit::queries::record(
                conn,
                &actor,
                "create",
                R::AUDIT_KIND,
                Some(id),
                &summary,
                now,
            )?;
            R::view(conn, id, now)
        })
    })
    .await?;
    // A new row starts at version 1.
    Ok(created(&R::location(&view), 1, &view))
}

/// Updates the row `key` names, honouring `If-Match`: 200 with the new ETag.
pub async fn update<R: Editable>(
    state: &AppState,
    req: &HttpRequest,
    actor: Actor,
    key: IdOrSlug,
    changes: R::Changes,
) -> Result<HttpResponse, ApiError> {
    let (view, version) = updated::<R>(state, req, actor, key, changes).await?;
    Ok(respond(StatusCode::OK, version, &view))
}

/// [`update`], answering the view and its version for a handler that adds to the view
/// what only the server's configuration knows.
pub async fn updated<R: Editable>(
    state: &AppState,
    req: &HttpRequest,
    actor: Actor,
    key: IdOrSlug,
    changes: R::Changes,
) -> Result<(R::View, i64), ApiError> {
    R::authorize(&actor, Action::Update)?;
    let now = state.clock.now();
    let precondition = if_match(req)?;
    crate::db::run(&state.pool, move |conn| {
        crate::db::write(conn, |conn| {
            let current = found::<R>(conn, &key, precondition.as_deref())?;
            let Some((view, summary)) = changed::<R>(conn, &actor, &current, changes, now)? else {
                return Ok((R::view(conn, current.id, now)?, current.version));
            };
            audit::queries::record(
                conn,
                &actor,
                Action::Update.as_str(),
                R::AUDIT_KIND,
                Some(current.id),
                &summary,
                now,
            )?;
            Ok::<_, ApiError>((view, current.version + 1))
        })
    })
    .await
}

/// Deletes the row `key` names, honouring `If-Match`: 204.
pub async fn delete<R: Deletable>(
    state: &AppState,
    req: &HttpRequest,
    actor: Actor,
    key: IdOrSlug,
) -> Result<HttpResponse, ApiError> {
    R::authorize(&actor, Action::Delete)?;
    let now = state.clock.now();
    let precondition = if_match(req)?;
    crate::db::run(&state.pool, move |conn| {
        crate::db::write(conn, |conn| {
            let current = found::<R>(conn, &key, precondition.as_deref())?;
            let summary = R::before_delete(conn, &actor, &current)?;
            let deleted = diesel::sql_query(format!(
                "DELETE FROM {} WHERE id = {} AND version = {}",
                R::TABLE,
                current.id,
                current.version
            ))
            .execute(conn)?;
            swapped(deleted, R::KIND)?;
            audit::queries::record(
                conn,
                &actor,
                Action::Delete.as_str(),
                R::AUDIT_KIND,
                Some(current.id),
                &summary,
                now,
            )?;
            Ok::<_, ApiError>(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Creates the row `key` names (201 with `Location`) or replaces it (200), in one
/// transaction: the update honours `If-Match` like [`update`]; on a key that names nothing
/// yet, `If-Match` may only be `*`. Who may `PUT` may both create and update.
pub async fn put<R: Puttable>(
    state: &AppState,
    req: &HttpRequest,
    actor: Actor,
    key: IdOrSlug,
    input: R::New,
) -> Result<HttpResponse, ApiError> {
    R::authorize(&actor, Action::Create)?;
    R::authorize(&actor, Action::Update)?;
    let now = state.clock.now();
    let precondition = if_match(req)?;
    let (view, version, created) = crate::db::run(&state.pool, move |conn| {
        crate::db::write(conn, |conn| {
            let (id, version, action, summary) = match R::find(conn, &key)? {
                Some(current) => {
                    check_if_match(precondition.as_deref(), R::KIND, current.version)?;
                    let changes = R::replacing(input);
                    match changed::<R>(conn, &actor, &current, changes, now)? {
                        Some((_, summary)) => {
                            (current.id, current.version + 1, Action::Update, summary)
                        }
                        None => {
                            let view = R::view(conn, current.id, now)?;
                            return Ok((view, current.version, false));
                        }
                    }
                }
                None => {
                    if precondition
                        .as_deref()
                        .is_some_and(|header| header.trim() != "*")
                    {
                        return Err(ApiError::PreconditionFailed(format!(
                            "the {} does not exist yet",
                            R::KIND
                        )));
                    }
                    let (id, summary) = R::insert(conn, &actor, input, now)?;
                    // A new row starts at version 1.
                    (id, 1, Action::Create, summary)
                }
            };
            audit::queries::record(
                conn,
                &actor,
                action.as_str(),
                R::KIND,
                Some(id),
                &summary,
                now,
            )?;
            let view = R::view(conn, id, now)?;
            Ok::<_, ApiError>((view, version, action == Action::Create))
        })
    })
    .await?;
    if created {
        return Ok(self::created(&R::location(&view), version, &view));
    }
    Ok(respond(StatusCode::OK, version, &view))
}

/// Bumps the row's version (compare-and-set) and applies `changes`: the resource as editors
/// now see it and the audit summary, or `None`, with nothing written, when what it holds
/// ([`stored`]) comes out as it was (an empty `PATCH`, a value sent again). The changes
/// are tried in a savepoint, so that the rule stays the resource's own `apply` and no
/// second copy of it decides what "no change" means.
fn changed<R: Editable>(
    conn: &mut AnyConnection,
    actor: &Actor,
    current: &Current<R::Row>,
    changes: R::Changes,
    now: NaiveDateTime,
) -> Result<Option<(R::View, String)>, ApiError> {
    /// Why the savepoint ends without its writes.
    enum Undone {
        Unchanged,
        Failed(ApiError),
    }
    impl From<diesel::result::Error> for Undone {
        fn from(error: diesel::result::Error) -> Self {
            Self::Failed(error.into())
        }
    }
    impl From<ApiError> for Undone {
        fn from(error: ApiError) -> Self {
            Self::Failed(error)
        }
    }
    let before = stored::<R>(conn, current.id, now)?;
    let tried = conn.transaction::<_, Undone, _>(|conn| {
        let bumped = diesel::sql_query(format!(
            "UPDATE {} SET version = version + 1 WHERE id = {} AND version = {}",
            R::TABLE,
            current.id,
            current.version
        ))
        .execute(conn)?;
        swapped(bumped, R::KIND)?;
        let summary = R::apply(conn, actor, current, changes, now)?;
        let after = stored::<R>(conn, current.id, now)?;
        if before.is_some() && before == after {
            return Err(Undone::Unchanged);
        }
        Ok((R::view(conn, current.id, now)?, summary))
    });
    match tried {
        Ok(done) => Ok(Some(done)),
        Err(Undone::Unchanged) => Ok(None),
        Err(Undone::Failed(error)) => Err(error),
    }
}

/// What the resource holds, to compare: its view less what every write moves by itself
/// (`version`, `updated_at`, [`Editable::SHOWN_WRITE_TIMES`]), and what it stores unseen.
/// `None` if the view cannot be written as JSON (then every update counts as a change).
fn stored<R: Editable>(
    conn: &mut AnyConnection,
    id: i64,
    now: NaiveDateTime,
) -> Result<Option<(serde_json::Value, serde_json::Value)>, ApiError> {
    let Ok(mut seen) = serde_json::to_value(R::view(conn, id, now)?) else {
        return Ok(None);
    };
    if let Some(fields) = seen.as_object_mut() {
        for moved in ["version", "updated_at"].iter().chain(R::SHOWN_WRITE_TIMES) {
            fields.remove(*moved);
        }
    }
    Ok(Some((seen, R::unseen(conn, id)?)))
}

/// The row `key` names, checked against `If-Match`; 404 if there is none.
fn found<R: Editable>(
    conn: &mut AnyConnection,
    key: &IdOrSlug,
    precondition: Option<&str>,
) -> Result<Current<R::Row>, ApiError> {
    let current =
        R::find(conn, key)?.ok_or_else(|| ApiError::not_found(R::KIND, key.to_string()))?;
    check_if_match(precondition, R::KIND, current.version)?;
    Ok(current)
}

/// The resource as JSON with its version as a strong ETag (for `If-Match`), never stored by
/// shared caches.
pub fn respond<T: Serialize>(status: StatusCode, version: i64, body: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .json(body)
}

/// 201 with `Location`.
pub fn created<T: Serialize>(location: &str, version: i64, body: &T) -> HttpResponse {
    let mut response = respond(StatusCode::CREATED, version, body);
    // Chinese slugs: a header value must be ASCII, so the path goes percent-encoded.
    if let Ok(value) = header::HeaderValue::from_str(&crate::http::location::encode_path(location))
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
