//! The command line: its flags and subcommands in `args.rs`, and one module per command: `masthead [serve]`, `migrate`, `export`/`import`,
//! `backup`, `user add`; `openapi`, `generate` and `reindex` call their modules directly.

pub mod args;
pub mod backup;
pub mod migrate;
pub mod portability;
pub mod serve;
pub mod user;

pub use args::{
    AddUserArgs, BackupArgs, Cli, Command, ExportArgs, ImportArgs, LogFormat, MediaStoreArgs,
    ServeArgs, UserCommand,
};

use crate::config::DatabaseUrl;

/// Runs the command the line names (none: serve).
pub fn run(cli: &Cli) -> Result<(), String> {
    match &cli.command {
        None => serve::serve(cli, &ServeArgs::default()),
        Some(Command::Serve(args)) => serve::serve(cli, args),
        Some(Command::Migrate) => {
            DatabaseUrl::parse(&cli.database_url).and_then(|url| migrate::migrate(&url))
        }
        Some(Command::Openapi) => crate::openapi::spec()
            .to_pretty_json()
            .map(|json| println!("{json}"))
            .map_err(|error| error.to_string()),
        Some(Command::Generate(args)) => DatabaseUrl::parse(&cli.database_url)
            .and_then(|url| crate::demo::generate::run(&url, args.articles, args.topics)),
        Some(Command::Export(args)) => {
            DatabaseUrl::parse(&cli.database_url).and_then(|url| portability::export(&url, args))
        }
        Some(Command::Import(args)) => {
            DatabaseUrl::parse(&cli.database_url).and_then(|url| portability::import(&url, args))
        }
        Some(Command::Reindex) => DatabaseUrl::parse(&cli.database_url).and_then(|url| {
            migrate::migrate(&url)?;
            let mut conn = crate::db::connect(&url).map_err(|error| error.to_string())?;
            let started = std::time::Instant::now();
            let articles = crate::resources::search::index::rebuild(&mut conn)
                .map_err(|error| error.to_string())?;
            tracing::info!(
                articles,
                seconds = started.elapsed().as_secs_f64(),
                "search index and related articles rebuilt"
            );
            Ok(())
        }),
        Some(Command::Backup(args)) => {
            DatabaseUrl::parse(&cli.database_url).and_then(|url| backup::backup(&url, args))
        }
        Some(Command::User(UserCommand::Add(args))) => read_password().and_then(|password| {
            DatabaseUrl::parse(&cli.database_url)
                .and_then(|url| user::add_user(&url, args, &password))
        }),
        Some(Command::User(UserCommand::Password(args))) => read_password().and_then(|password| {
            DatabaseUrl::parse(&cli.database_url)
                .and_then(|url| user::set_password(&url, &args.email, &password))
        }),
    }
}

/// The new user's password: MASTHEAD_USER_PASSWORD, else the first line of stdin.
fn read_password() -> Result<String, String> {
    if let Ok(password) = std::env::var("MASTHEAD_USER_PASSWORD") {
        return Ok(password);
    }
    eprintln!("password (one line on standard input):");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|error| format!("reading the password: {error}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
