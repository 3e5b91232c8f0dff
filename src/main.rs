use std::process::ExitCode;

use clap::Parser;
use masthead::cli::{Cli, Command, LogFormat, ServeArgs, UserCommand};
use masthead::config::DatabaseUrl;
use tracing_subscriber::EnvFilter;

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("MASTHEAD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text => builder.init(),
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let result = match &cli.command {
        None => masthead::server::serve(&cli, &ServeArgs::default()),
        Some(Command::Serve(args)) => masthead::server::serve(&cli, args),
        Some(Command::Migrate) => {
            DatabaseUrl::parse(&cli.database_url).and_then(|url| masthead::server::migrate(&url))
        }
        Some(Command::Openapi) => masthead::openapi::spec()
            .to_pretty_json()
            .map(|json| println!("{json}"))
            .map_err(|error| error.to_string()),
        Some(Command::Generate(args)) => DatabaseUrl::parse(&cli.database_url)
            .and_then(|url| masthead::demo::generate::run(&url, args.articles)),
        Some(Command::Export(args)) => DatabaseUrl::parse(&cli.database_url)
            .and_then(|url| masthead::server::export(&url, args)),
        Some(Command::Import(args)) => DatabaseUrl::parse(&cli.database_url)
            .and_then(|url| masthead::server::import(&url, &args.from)),
        Some(Command::Backup(args)) => DatabaseUrl::parse(&cli.database_url)
            .and_then(|url| masthead::db::backup(&url, &args.to)),
        Some(Command::User(UserCommand::Add(args))) => read_password().and_then(|password| {
            DatabaseUrl::parse(&cli.database_url)
                .and_then(|url| masthead::server::add_user(&url, args, &password))
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("masthead: {message}");
            ExitCode::FAILURE
        }
    }
}
