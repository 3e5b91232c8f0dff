use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::auth::{random_token, token_hash};
use crate::db::schema::{refresh_tokens, sessions, users};
use crate::db::AnyConnection;
use crate::resources::users::queries::UserRow;

/// Starts a session (a refresh-token family) for a user; returns its id.
pub fn start_session(conn: &mut AnyConnection, user_id: i64) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A new refresh token in a session; only its hash is stored.
pub fn new_refresh_token(
    conn: &mut AnyConnection,
    session_id: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<String> {
    let token = random_token();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(token_hash(&token)),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::expires_at.eq(expires_at),
            refresh_tokens::created_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    Ok(token)
}

pub fn end_session(conn: &mut AnyConnection, session_id: &str) -> QueryResult<()> {
    diesel::update(sessions::table.filter(sessions::id.eq(session_id)))
        .filter(sessions::revoked_at.is_null())
        .set(sessions::revoked_at.eq(Utc::now().naive_utc()))
        .execute(conn)
        .map(|_| ())
}

/// What presenting a refresh token led to.
#[derive(Debug)]
pub enum Refresh {
    /// Valid and now used: continue the session with a successor.
    Rotated {
        user: Box<UserRow>,
        session_id: String,
    },
    /// Already used, or its session ended: the session is ended now (a stolen token's
    /// thief and its owner both lose it).
    Reused,
    Expired,
    Unknown,
}

/// A refresh token with its session's state and its user.
type RefreshRow = (
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    UserRow,
);

/// Spends a refresh token. The compare-and-set comes first: it alone decides which of two
/// racing uses wins (the other is a reuse and ends the session), and as the transaction's
/// first statement it makes SQLite wait for the write lock instead of failing to upgrade
/// a read snapshot that a concurrent logout or refresh has made stale.
pub fn spend_refresh_token(conn: &mut AnyConnection, token: &str) -> QueryResult<Refresh> {
    let hash = token_hash(token);
    let now = Utc::now().naive_utc();
    let spent = diesel::update(refresh_tokens::table.filter(refresh_tokens::token_hash.eq(&hash)))
        .filter(refresh_tokens::used_at.is_null())
        .filter(refresh_tokens::expires_at.gt(now))
        .set(refresh_tokens::used_at.eq(now))
        .execute(conn)?;
    let found: Option<RefreshRow> = refresh_tokens::table
        .inner_join(sessions::table.inner_join(users::table))
        .filter(refresh_tokens::token_hash.eq(&hash))
        .select((
            refresh_tokens::session_id,
            refresh_tokens::expires_at,
            refresh_tokens::used_at,
            sessions::revoked_at,
            users::all_columns,
        ))
        .first(conn)
        .optional()?;
    let Some((session_id, expires_at, used_at, revoked_at, user)) = found else {
        return Ok(Refresh::Unknown);
    };
    if spent == 1 && revoked_at.is_none() && user.active {
        return Ok(Refresh::Rotated {
            user: Box::new(user),
            session_id,
        });
    }
    if spent == 0 && used_at.is_none() && expires_at <= now {
        return Ok(Refresh::Expired);
    }
    // Used before (or just now by a racing request), or its session is over.
    end_session(conn, &session_id)?;
    Ok(Refresh::Reused)
}
