use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::types::User;
use crate::auth::email::Email;
use crate::auth::Role;
use crate::db::schema::{sessions, users};
use crate::db::AnyConnection;

#[derive(Debug, Clone, Queryable)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl UserRow {
    pub fn role(&self) -> Role {
        // The column only ever holds values written from `Role`; an unknown one gets the
        // least power.
        Role::parse(&self.role).unwrap_or(Role::Author)
    }

    pub fn view(&self) -> User {
        User {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role(),
            active: self.active,
            created_at: self.created_at.and_utc(),
        }
    }
}

/// Emails are stored normalised ([`Email`]), so an exact match is the right one.
pub fn by_email(conn: &mut AnyConnection, email: &Email) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(users::all_columns)
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::id.eq(id))
        .select(users::all_columns)
        .first(conn)
        .optional()
}

pub fn create(
    conn: &mut AnyConnection,
    email: &Email,
    name: &str,
    role: Role,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email.as_str()),
            users::name.eq(name.trim()),
            users::role.eq(role.as_str()),
            users::password_hash.eq(password_hash),
            users::active.eq(true),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::all_columns)
        .get_result(conn)
}

/// A new password for the user, from the CLI (an import without password hashes leaves
/// no one able to sign in): it ends every session, as a new password given through the API
/// does, and moves the user's version.
pub fn set_password(
    conn: &mut AnyConnection,
    id: i64,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(now),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    end_sessions(conn, id, now)
}

/// Ends every session of the user: a new password was given.
pub fn end_sessions(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.filter(sessions::user_id.eq(id)))
        .filter(sessions::revoked_at.is_null())
        .set(sessions::revoked_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Every user, oldest first.
pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<User>> {
    Ok(users::table
        .order(users::id.asc())
        .select(users::all_columns)
        .load::<UserRow>(conn)?
        .iter()
        .map(UserRow::view)
        .collect())
}
