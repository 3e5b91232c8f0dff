use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::types::ApiToken;
use crate::auth::{random_token, token_hash, Role};
use crate::db::schema::{api_tokens, users};
use crate::db::AnyConnection;

/// Integration tokens start with this, so the extractor tells them from JWTs at a glance.
pub const PREFIX: &str = "mh_";

type Row = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

fn view((id, name, role, _, _, created_at, last_used_at, revoked_at): Row) -> ApiToken {
    ApiToken {
        id,
        name,
        role: Role::parse(&role).unwrap_or(Role::Author),
        created_at: created_at.and_utc(),
        last_used_at: last_used_at.map(|at| at.and_utc()),
        revoked_at: revoked_at.map(|at| at.and_utc()),
    }
}

/// Makes a token; returns it with the secret, which is not stored.
pub fn create(
    conn: &mut AnyConnection,
    name: &str,
    role: Role,
    created_by: i64,
    now: NaiveDateTime,
) -> QueryResult<(ApiToken, String)> {
    let secret = format!("{PREFIX}{}", random_token());
    let row: Row = diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::name.eq(name.trim()),
            api_tokens::role.eq(role.as_str()),
            api_tokens::token_hash.eq(token_hash(&secret)),
            api_tokens::created_by.eq(created_by),
            api_tokens::created_at.eq(now),
        ))
        .returning(api_tokens::all_columns)
        .get_result(conn)?;
    Ok((view(row), secret))
}

pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<ApiToken>> {
    Ok(api_tokens::table
        .order(api_tokens::id.asc())
        .select(api_tokens::all_columns)
        .load::<Row>(conn)?
        .into_iter()
        .map(view)
        .collect())
}

/// Revokes a token; false when there is no such token.
pub fn revoke(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let exists = api_tokens::table
        .filter(api_tokens::id.eq(id))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    diesel::update(api_tokens::table.filter(api_tokens::id.eq(id)))
        .filter(api_tokens::revoked_at.is_null())
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)?;
    Ok(exists)
}

/// A live token: id, name, its role, the user who made it and that user's role now.
pub type LiveToken = (i64, String, String, i64, String);

/// The live token with this secret whose creator still exists and is active. Records its
/// use, at most once a minute so that reads stay reads.
pub fn authenticate(
    conn: &mut AnyConnection,
    secret: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<LiveToken>> {
    let hash = token_hash(secret);
    let found: Option<LiveToken> = api_tokens::table
        .inner_join(users::table.on(api_tokens::created_by.eq(users::id.nullable())))
        .filter(api_tokens::token_hash.eq(&hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::active.eq(true))
        .select((
            api_tokens::id,
            api_tokens::name,
            api_tokens::role,
            users::id,
            users::role,
        ))
        .first(conn)
        .optional()?;
    if let Some((id, ..)) = &found {
        let stale = now - Duration::minutes(1);
        diesel::update(api_tokens::table.filter(api_tokens::id.eq(*id)))
            .filter(
                api_tokens::last_used_at
                    .is_null()
                    .or(api_tokens::last_used_at.lt(stale)),
            )
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(found)
}
