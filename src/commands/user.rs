//! `masthead user add`: the first admin, before anyone can sign in; `masthead user password`:
//! a way back in for a user who cannot sign in.

use super::args::AddUserArgs;
use super::migrate::migrate;
use crate::auth::email::Email;
use crate::auth::{passwords, Role};
use crate::clock::Clock;
use crate::config::DatabaseUrl;
use crate::resources::users::queries as users;

/// The CLI's rule for a password it is given: as long as the API asks.
fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < passwords::MIN_LENGTH {
        return Err(format!(
            "the password must have at least {} characters",
            passwords::MIN_LENGTH
        ));
    }
    Ok(())
}

/// Gives the user with this email a new password (the CLI's `user password`), ending their
/// sessions.
pub fn set_password(url: &DatabaseUrl, email: &str, password: &str) -> Result<(), String> {
    check_password(password)?;
    let email = Email::parse(email).map_err(|message| format!("`{email}`: {message}"))?;
    migrate(url)?;
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    let user = users::by_email(&mut conn, &email)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no user has the email {email}"))?;
    let hash = passwords::hash(password)?;
    crate::db::write(&mut conn, |conn| {
        users::set_password(conn, user.id, &hash, Clock::system().now())
    })
    .map_err(|error: diesel::result::Error| error.to_string())?;
    println!(
        "new password for {} (id {}); their sessions ended",
        user.email, user.id
    );
    Ok(())
}

/// Creates a user (the CLI's `user add`).
pub fn add_user(url: &DatabaseUrl, args: &AddUserArgs, password: &str) -> Result<(), String> {
    let role = Role::parse(&args.role).ok_or_else(|| format!("unknown role `{}`", args.role))?;
    check_password(password)?;
    let email =
        Email::parse(&args.email).map_err(|message| format!("`{}`: {message}", args.email))?;
    migrate(url)?;
    let mut conn = crate::db::connect(url).map_err(|error| error.to_string())?;
    if users::by_email(&mut conn, &email)
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Err(format!("a user with the email {email} exists already"));
    }
    let hash = passwords::hash(password)?;
    let user = users::create(
        &mut conn,
        &email,
        &args.name,
        role,
        &hash,
        Clock::system().now(),
    )
    .map_err(|error| error.to_string())?;
    println!(
        "created {} user {} (id {})",
        role.as_str(),
        user.email,
        user.id
    );
    Ok(())
}
