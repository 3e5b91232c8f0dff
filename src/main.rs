use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use masthead::commands::{Cli, LogFormat};
use tracing_subscriber::EnvFilter;

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("MASTHEAD_LOG");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(
            filter
                .as_ref()
                .map_or_else(|_| EnvFilter::new("info"), Clone::clone),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never into a file or a collector.
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text => builder.init(),
    }
    if let (Err(error), Ok(raw)) = (filter, std::env::var("MASTHEAD_LOG")) {
        tracing::warn!("MASTHEAD_LOG `{raw}` is not a log filter ({error}); logging at info");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let result = masthead::commands::run(&cli);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Once, in the log's own format: a plain line among JSON ones breaks a collector.
        Err(message) => {
            match cli.log_format {
                LogFormat::Json => tracing::error!("{message}"),
                LogFormat::Text => eprintln!("masthead: {message}"),
            }
            ExitCode::FAILURE
        }
    }
}
