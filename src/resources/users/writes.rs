//! Users through the editing kit (admins): create, change role or password, deactivate,
//! delete. The last active admin cannot be demoted, deactivated or deleted: the rule is
//! checked inside the kit's write transaction, so racing requests cannot both pass it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queries;
use super::types::{NewUser, User, UserChanges};
use crate::auth::actor::Actor;
use crate::auth::email::Email;
use crate::auth::Role;
use crate::db::schema::users;
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::params::IdOrSlug;
use crate::input::kinds::Password;
use crate::resources::editing::{Action, Creatable, Current, Deletable, Editable};
use crate::state::AppState;

/// What a client is told to wait when the server is busy hashing other passwords.
const BUSY_RETRY_SECONDS: u64 = 1;

pub struct Users;

/// A body with its password, if any, hashed already (through the password gate, before
/// the kit's transaction).
pub struct Hashed<T, H> {
    pub input: T,
    pub password_hash: H,
}

/// Hashes `password` through the password gate, which bounds Argon2 work for sign-ins and
/// new passwords alike: 429 at once when too many are queued.
pub async fn hash(state: &AppState, password: &Password) -> Result<String, ApiError> {
    let admitted = state
        .auth
        .passwords
        .admit()
        .ok_or(ApiError::TooManyRequests(BUSY_RETRY_SECONDS))?;
    state
        .auth
        .passwords
        .hash(admitted, password.0.clone())
        .await
        .map_err(ApiError::Internal)
}

/// What the rules look at.
pub struct Row {
    email: String,
    role: Role,
    active: bool,
}

fn last_admin() -> ApiError {
    ApiError::Conflict("this is the last active admin: make another admin first".into())
}

fn other_active_admins(conn: &mut AnyConnection, id: i64) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::active.eq(true))
        .filter(users::id.ne(id))
        .count()
        .get_result(conn)
}

fn email_taken(conn: &mut AnyConnection, email: &Email, id: Option<i64>) -> Result<(), ApiError> {
    match queries::by_email(conn, email)? {
        Some(found) if Some(found.id) != id => Err(ApiError::Invalid(vec![FieldError::new(
            "email",
            "belongs to another user",
        )])),
        _ => Ok(()),
    }
}

impl Editable for Users {
    const KIND: &'static str = "user";
    const TABLE: &'static str = "users";
    type Changes = Hashed<UserChanges, Option<String>>;
    type Row = Row;
    type View = User;

    fn authorize(actor: &Actor, _: Action) -> Result<(), ApiError> {
        actor.require(&[Role::Admin])
    }

    /// The password's hash: a password, even the same one sent again, is hashed anew (a new
    /// salt) and ends the user's sessions.
    fn unseen(conn: &mut AnyConnection, id: i64) -> QueryResult<serde_json::Value> {
        let hash: String = users::table
            .find(id)
            .select(users::password_hash)
            .first(conn)?;
        Ok(serde_json::Value::String(hash))
    }

    fn find(conn: &mut AnyConnection, key: &IdOrSlug) -> QueryResult<Option<Current<Row>>> {
        let IdOrSlug::Id(id) = key else {
            return Ok(None);
        };
        Ok(queries::by_id(conn, *id)?.map(|row| Current {
            id: row.id,
            version: row.version,
            row: Row {
                role: row.role(),
                email: row.email,
                active: row.active,
            },
        }))
    }

    fn apply(
        conn: &mut AnyConnection,
        _: &Actor,
        current: &Current<Row>,
        changes: Self::Changes,
        now: NaiveDateTime,
    ) -> Result<String, ApiError> {
        let Hashed {
            input: changes,
            password_hash,
        } = changes;
        let role = changes.role.value();
        let active = changes.active.value();
        let loses_admin = current.row.role == Role::Admin
            && current.row.active
            && (role.is_some_and(|role| role != Role::Admin) || active == Some(false));
        if loses_admin && other_active_admins(conn, current.id)? == 0 {
            return Err(last_admin());
        }
        let email = changes.email.value().map(|email| email.0);
        if let Some(email) = &email {
            email_taken(conn, email, Some(current.id))?;
        }
        diesel::update(users::table.filter(users::id.eq(current.id)))
            .set((
                users::updated_at.eq(now),
                email.as_ref().map(|email| users::email.eq(email.as_str())),
                changes.name.value().map(|name| users::name.eq(name.0)),
                role.map(|role| users::role.eq(role.as_str())),
                active.map(|active| users::active.eq(active)),
                password_hash
                    .as_ref()
                    .map(|hash| users::password_hash.eq(hash)),
            ))
            .execute(conn)?;
        if password_hash.is_some() {
            queries::end_sessions(conn, current.id, now)?;
        }
        Ok(current.row.email.clone())
    }

    fn view(conn: &mut AnyConnection, id: i64, _: NaiveDateTime) -> Result<User, ApiError> {
        queries::by_id(conn, id)?
            .map(|row| row.view())
            .ok_or_else(|| ApiError::not_found("user", id.to_string()))
    }
}

impl Creatable for Users {
    type New = Hashed<NewUser, String>;

    fn insert(
        conn: &mut AnyConnection,
        _: &Actor,
        new: Self::New,
        now: NaiveDateTime,
    ) -> Result<(i64, String), ApiError> {
        let Hashed {
            input,
            password_hash,
        } = new;
        let email = input.email.0;
        email_taken(conn, &email, None)?;
        let id = diesel::insert_into(users::table)
            .values((
                users::email.eq(email.as_str()),
                users::name.eq(&input.name.0),
                users::role.eq(input.role.as_str()),
                users::password_hash.eq(&password_hash),
                users::active.eq(input.active.value().unwrap_or(true)),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .returning(users::id)
            .get_result(conn)?;
        Ok((id, email.to_string()))
    }

    fn location(user: &User) -> String {
        format!("/api/v1/users/{}", user.id)
    }
}

impl Deletable for Users {
    fn before_delete(
        conn: &mut AnyConnection,
        _: &Actor,
        current: &Current<Row>,
    ) -> Result<String, ApiError> {
        if current.row.role == Role::Admin
            && current.row.active
            && other_active_admins(conn, current.id)? == 0
        {
            return Err(last_admin());
        }
        // Their articles stay, without an author account (`author_id` is set null); their
        // sessions go with them.
        Ok(current.row.email.clone())
    }
}
