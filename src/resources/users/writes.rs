//! Managing users (admins): create, change role or password, deactivate, delete. The last
//! active admin cannot be demoted, deactivated or deleted.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use super::queries::{self as users, UserRow};
use crate::auth::actor::Actor;
use crate::auth::email::Email;
use crate::auth::{passwords, Role};
use crate::db::schema::{sessions, users as users_table};
use crate::db::AnyConnection;
use crate::error::{ApiError, FieldError};
use crate::http::input::{Input, Patch};
use crate::http::preconditions::{check_if_match, swapped};
use crate::resources::audit;

pub const FIELDS: &[&str] = &["email", "name", "role", "password", "active"];

#[derive(Debug)]
pub struct Changes {
    email: Patch<Email>,
    name: Patch<String>,
    role: Patch<Role>,
    password: Patch<String>,
    active: Option<bool>,
}

impl Changes {
    pub fn parse(mut body: Value, creating: bool) -> Result<Self, ApiError> {
        let active = body
            .as_object_mut()
            .and_then(|fields| fields.remove("active"));
        let mut input = Input::new(body, FIELDS);
        let email = match input.required_string("email", 254, creating) {
            Patch::Value(raw) => match Email::parse(&raw) {
                Ok(email) => Patch::Value(email),
                Err(message) => {
                    input.error("email", message);
                    Patch::Absent
                }
            },
            _ => Patch::Absent,
        };
        let role = match input.required_string("role", 20, creating) {
            Patch::Value(raw) => match Role::parse(&raw) {
                Some(role) => Patch::Value(role),
                None => {
                    input.error("role", "must be admin, editor or author");
                    Patch::Absent
                }
            },
            _ => Patch::Absent,
        };
        let password = input.required_string("password", 1_000, creating);
        if let Patch::Value(password) = &password {
            if password.chars().count() < passwords::MIN_LENGTH {
                input.error(
                    "password",
                    format!("must have at least {} characters", passwords::MIN_LENGTH),
                );
            }
        }
        let active = match active {
            None => None,
            Some(Value::Bool(active)) => Some(active),
            Some(_) => {
                input.error("active", "must be true or false");
                None
            }
        };
        let changes = Self {
            email,
            name: input.required_string("name", 100, creating),
            role,
            password,
            active,
        };
        input.finish()?;
        Ok(changes)
    }
}

fn load(conn: &mut AnyConnection, id: i64) -> Result<UserRow, ApiError> {
    users::by_id(conn, id)?.ok_or_else(|| ApiError::not_found("user", id.to_string()))
}

fn other_active_admins(conn: &mut AnyConnection, id: i64) -> QueryResult<i64> {
    users_table::table
        .filter(users_table::role.eq(Role::Admin.as_str()))
        .filter(users_table::active.eq(true))
        .filter(users_table::id.ne(id))
        .count()
        .get_result(conn)
}

fn email_taken(conn: &mut AnyConnection, email: &Email, id: Option<i64>) -> Result<(), ApiError> {
    if let Some(found) = users::by_email(conn, email)? {
        if Some(found.id) != id {
            return Err(ApiError::Invalid(vec![FieldError::new(
                "email",
                "belongs to another user",
            )]));
        }
    }
    Ok(())
}

pub fn create(
    conn: &mut AnyConnection,
    user: &Actor,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    user.require(&[Role::Admin])?;
    let password = changes.password.clone().value().unwrap_or_default();
    let hash = passwords::hash(&password).map_err(ApiError::Internal)?;
    crate::db::write(conn, |conn| {
        let email = changes
            .email
            .clone()
            .value()
            .ok_or_else(|| ApiError::Internal("a new user without an email".into()))?;
        email_taken(conn, &email, None)?;
        let role = changes.role.clone().value().unwrap_or(Role::Author);
        let created = users::create(
            conn,
            &email,
            &changes.name.clone().value().unwrap_or_default(),
            role,
            &hash,
            now,
        )?;
        if changes.active == Some(false) {
            diesel::update(users_table::table.filter(users_table::id.eq(created.id)))
                .set(users_table::active.eq(false))
                .execute(conn)?;
        }
        audit::queries::record(
            conn,
            user,
            "create",
            "user",
            Some(created.id),
            &created.email,
            now,
        )?;
        Ok(created.id)
    })
}

pub fn update(
    conn: &mut AnyConnection,
    user: &Actor,
    id: i64,
    if_match: Option<&str>,
    changes: Changes,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    user.require(&[Role::Admin])?;
    let hash = match changes.password.clone().value() {
        Some(password) => Some(passwords::hash(&password).map_err(ApiError::Internal)?),
        None => None,
    };
    crate::db::write(conn, |conn| {
        let row = load(conn, id)?;
        check_if_match(if_match, "user", row.version)?;
        let loses_admin = row.role() == Role::Admin
            && row.active
            && (changes
                .role
                .clone()
                .value()
                .is_some_and(|role| role != Role::Admin)
                || changes.active == Some(false));
        if loses_admin && other_active_admins(conn, id)? == 0 {
            return Err(ApiError::Conflict(
                "this is the last active admin: make another admin first".into(),
            ));
        }
        let target = users_table::table.filter(users_table::id.eq(id));
        let bumped = diesel::update(target.filter(users_table::version.eq(row.version)))
            .set((
                users_table::updated_at.eq(now),
                users_table::version.eq(row.version + 1),
            ))
            .execute(conn)?;
        swapped(bumped, "user")?;
        if let Some(email) = changes.email.clone().value() {
            email_taken(conn, &email, Some(id))?;
            diesel::update(target)
                .set(users_table::email.eq(email.as_str()))
                .execute(conn)?;
        }
        if let Some(name) = changes.name.clone().value() {
            diesel::update(target)
                .set(users_table::name.eq(name))
                .execute(conn)?;
        }
        if let Some(role) = changes.role.clone().value() {
            diesel::update(target)
                .set(users_table::role.eq(role.as_str()))
                .execute(conn)?;
        }
        if let Some(active) = changes.active {
            diesel::update(target)
                .set(users_table::active.eq(active))
                .execute(conn)?;
        }
        if let Some(hash) = &hash {
            diesel::update(target)
                .set(users_table::password_hash.eq(hash))
                .execute(conn)?;
            // A new password ends every session of the user.
            diesel::update(sessions::table.filter(sessions::user_id.eq(id)))
                .filter(sessions::revoked_at.is_null())
                .set(sessions::revoked_at.eq(now))
                .execute(conn)?;
        }
        audit::queries::record(conn, user, "update", "user", Some(id), &row.email, now)?;
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
    user.require(&[Role::Admin])?;
    crate::db::write(conn, |conn| {
        let row = load(conn, id)?;
        check_if_match(if_match, "user", row.version)?;
        if row.role() == Role::Admin && row.active && other_active_admins(conn, id)? == 0 {
            return Err(ApiError::Conflict(
                "this is the last active admin: make another admin first".into(),
            ));
        }
        let deleted = diesel::delete(
            users_table::table
                .filter(users_table::id.eq(id))
                .filter(users_table::version.eq(row.version)),
        )
        .execute(conn)?;
        swapped(deleted, "user")?;
        audit::queries::record(conn, user, "delete", "user", Some(id), &row.email, now)?;
        Ok(())
    })
}

pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<super::types::User>> {
    Ok(users_table::table
        .order(users_table::id.asc())
        .select(users_table::all_columns)
        .load::<UserRow>(conn)?
        .iter()
        .map(UserRow::view)
        .collect())
}
