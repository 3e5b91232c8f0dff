//! `masthead export` and `masthead import`: the whole site as JSON Lines, the same from
//! either backend, loadable into an empty database of either backend.
//!
//! Line 1 is a header; then one `{"table": …, "row": {…}}` per row, tables in an order that
//! satisfies foreign keys, rows by primary key; then, unless left out, one `{"file": {…}}`
//! per uploaded file ([`files`]). Values are normalised so that both backends write the
//! same bytes: instants as `YYYY-MM-DDTHH:MM:SS.ffffff` (UTC), booleans as JSON booleans.
//! Derived data (`article_tags.published_at`, the content version, the published counts,
//! the search index and computed related articles) is left out and rebuilt on import (the
//! counts by the database's triggers, row by row); sessions, tokens and the audit trail are not part of a site. Users come
//! without password hashes unless asked.
//!
//! File lines came after version 1 was defined, without a new version: a file without them
//! is still version 1 and imports as before. (An older release refuses a file with them, at
//! its first file line, before anything is committed.)

mod files;

use std::io::{BufRead, Write};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use serde_json::{json, Map, Value};

use crate::db::AnyConnection;
use crate::storage::blocking::BlockingStore;

pub const FORMAT: &str = "masthead-export";
pub const VERSION: i64 = 1;

/// Tables in foreign-key order, with the order of their rows (the site after `media`: its
/// logo is a media record).
const TABLES: &[(&str, &str)] = &[
    ("media", "id"),
    ("site_settings", "id"),
    ("site_contacts", "id"),
    ("categories", "id"),
    ("tags", "id"),
    ("users", "id"),
    ("articles", "id"),
    ("article_tags", "article_id, tag_id"),
    ("article_media", "article_id, media_id"),
    ("article_slug_history", "slug"),
    ("article_related", "article_id, score DESC, related_id"),
    ("pages", "id"),
    ("magazine_issues", "id"),
    ("magazine_issue_articles", "issue_id, article_id"),
    ("menus", "id"),
    ("menu_items", "id"),
];

/// Tables of which only some rows are the site's own: the related articles editors pinned
/// (the computed ones are rebuilt on import, with the search index).
const ROWS_KEPT: &[(&str, &str)] = &[("article_related", "pinned")];

/// A password hash that never verifies, for users imported without one.
const NO_PASSWORD: &str = "!";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Text,
    Timestamp,
    Date,
    Boolean,
}

impl Kind {
    fn of(declared: &str) -> Self {
        let declared = declared.to_lowercase();
        if declared.contains("int") || declared.contains("serial") {
            Self::Integer
        } else if declared.contains("timestamp") {
            Self::Timestamp
        } else if declared.contains("date") {
            Self::Date
        } else if declared.contains("bool") {
            Self::Boolean
        } else {
            Self::Text
        }
    }

    fn postgres_type(self) -> &'static str {
        match self {
            Self::Integer => "BIGINT",
            Self::Text => "TEXT",
            Self::Timestamp => "TIMESTAMP",
            Self::Date => "DATE",
            Self::Boolean => "BOOLEAN",
        }
    }
}

#[derive(QueryableByName)]
struct ColumnInfo {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    declared: String,
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Text)]
    json: String,
}

fn excluded(table: &str, column: &str, with_password_hashes: bool) -> bool {
    (table == "article_tags" && column == "published_at")
        || (table == "users" && column == "password_hash" && !with_password_hashes)
}

fn columns(conn: &mut AnyConnection, table: &str) -> QueryResult<Vec<(String, Kind)>> {
    let infos: Vec<ColumnInfo> = match conn {
        AnyConnection::Sqlite(c) => diesel::sql_query("SELECT name, type AS declared FROM pragma_table_info(?) ORDER BY cid")
            .bind::<Text, _>(table)
            .load(c)?,
        AnyConnection::Postgresql(c) => diesel::sql_query(
            "SELECT column_name::text AS name, data_type::text AS declared FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind::<Text, _>(table)
        .load(c)?,
    };
    Ok(infos
        .into_iter()
        .map(|info| (info.name, Kind::of(&info.declared)))
        .collect())
}

fn parse_instant(text: &str) -> Option<NaiveDateTime> {
    let text = text.replace(' ', "T");
    NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f").ok()
}

fn normalise(kind: Kind, value: Value) -> Value {
    match (kind, value) {
        (_, Value::Null) => Value::Null,
        (Kind::Timestamp, Value::String(text)) => match parse_instant(&text) {
            Some(at) => Value::String(at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()),
            None => Value::String(text),
        },
        (Kind::Boolean, Value::Number(n)) => Value::Bool(n.as_i64().unwrap_or(0) != 0),
        (_, other) => other,
    }
}

/// False for an instant or a date outside the range the API stores ([`crate::dates`]):
/// an import must not bring in what a write through the API would refuse.
fn in_stored_range(kind: Kind, value: &Value) -> bool {
    match (kind, value) {
        (Kind::Timestamp, Value::String(text)) => {
            parse_instant(text).is_none_or(crate::dates::instant_in_range)
        }
        (Kind::Date, Value::String(text)) => {
            chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_or(true, crate::dates::date_in_range)
        }
        _ => true,
    }
}

/// What an export carries besides the rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions<'a> {
    /// Users' password hashes (left out by default).
    pub with_password_hashes: bool,
    /// The media store to copy uploaded files from; `None` leaves the files out.
    pub files: Option<&'a BlockingStore>,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exported {
    pub rows: u64,
    pub files: u64,
    /// The files' bytes (the lines hold them in base64, a third more).
    pub file_bytes: u64,
}

/// Writes the whole site. Reads the files from `options.files` one at a time, blocking
/// (see [`BlockingStore`]).
pub fn export(
    conn: &mut AnyConnection,
    out: &mut dyn Write,
    options: ExportOptions,
) -> Result<Exported, String> {
    let with_password_hashes = options.with_password_hashes;
    let tables: Vec<&str> = TABLES.iter().map(|(table, _)| *table).collect();
    writeln!(
        out,
        "{}",
        json!({"format": FORMAT, "version": VERSION, "tables": tables})
    )
    .map_err(|e| e.to_string())?;
    let mut count = 0;
    for (table, order) in TABLES {
        let columns: Vec<(String, Kind)> = columns(conn, table)
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|(name, _)| !excluded(table, name, with_password_hashes))
            .collect();
        let list = columns
            .iter()
            .map(|(name, _)| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let kept = ROWS_KEPT
            .iter()
            .find(|(name, _)| name == table)
            .map_or(String::new(), |(_, condition)| {
                format!(" WHERE {condition}")
            });
        let rows: Vec<JsonRow> = match conn {
            AnyConnection::Sqlite(c) => diesel::sql_query(format!(
                "SELECT json_array({list}) AS json FROM {table}{kept} ORDER BY {order}"
            ))
            .load(c),
            AnyConnection::Postgresql(c) => diesel::sql_query(format!(
                "SELECT json_build_array({list})::text AS json FROM {table}{kept} ORDER BY {order}"
            ))
            .load(c),
        }
        .map_err(|e| format!("{table}: {e}"))?;
        for row in rows {
            let values: Vec<Value> =
                serde_json::from_str(&row.json).map_err(|e| format!("{table}: {e}"))?;
            let mut object = Map::new();
            for ((name, kind), value) in columns.iter().zip(values) {
                object.insert(name.clone(), normalise(*kind, value));
            }
            writeln!(out, "{}", json!({"table": table, "row": object}))
                .map_err(|e| e.to_string())?;
            count += 1;
        }
    }
    let files = match options.files {
        Some(store) => files::export(conn, store, out)?,
        None => files::Written::default(),
    };
    Ok(Exported {
        rows: count,
        files: files.files,
        file_bytes: files.bytes,
    })
}

fn as_text(kind: Kind, value: &Value, sqlite: bool) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Bool(b) if sqlite => Some(if *b { "1" } else { "0" }.to_owned()),
        Value::Bool(b) => Some(b.to_string()),
        Value::String(text) if kind == Kind::Timestamp && sqlite => {
            // Exactly diesel's SQLite text form (`%F %T%.f`): SQLite compares instants as
            // text, so a `.000000` that diesel would not write sorts after the same instant.
            Some(parse_instant(text).map_or(text.clone(), |at| {
                at.format("%Y-%m-%d %H:%M:%S%.f").to_string()
            }))
        }
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// What an import loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub rows: u64,
    /// Files taken into the media store.
    pub files: u64,
    /// File lines passed over, the import having no media store to write them to.
    pub skipped_files: u64,
    /// Folders the imported rows name that no file line filled (an export made without
    /// files, or by an older release): empty unless files were imported.
    pub folders_without_files: Vec<String>,
}

/// Loads an export into an empty database, in one transaction, and its files into
/// `store` (blocking; see [`BlockingStore`]), or passes them over when `None`. Nothing is
/// half-imported: if any line fails, no row is committed and the files written are removed.
pub fn import(
    conn: &mut AnyConnection,
    input: &mut dyn BufRead,
    store: Option<&BlockingStore>,
) -> Result<Imported, String> {
    let mut lines = input.lines();
    let header: Value = serde_json::from_str(
        &lines
            .next()
            .ok_or("the export is empty")?
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("line 1: {e}"))?;
    if header["format"] != FORMAT || header["version"] != VERSION {
        return Err(format!("line 1: not a {FORMAT} version {VERSION} file"));
    }
    if !crate::demo::is_empty(conn).map_err(|e| e.to_string())? {
        return Err("the database is not empty: import loads into an empty one".into());
    }
    let sqlite = matches!(conn, AnyConnection::Sqlite(_));
    let mut importer = store.map(files::Importer::new);
    let mut skipped_files = 0;
    let loaded = crate::db::write::<_, Failure, _>(conn, |conn| {
        let mut known: std::collections::HashMap<String, Vec<(String, Kind)>> =
            std::collections::HashMap::new();
        let mut count = 0;
        let mut in_files = false;
        for (number, line) in lines.enumerate() {
            let line = line.map_err(|e| e.to_string())?;
            if line.trim().is_empty() {
                continue;
            }
            let mut entry: Value =
                serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", number + 2))?;
            if let Some(file) = entry.get_mut("file") {
                in_files = true;
                match importer.as_mut() {
                    Some(importer) => importer.file(conn, number + 2, file.take())?,
                    None => skipped_files += 1,
                }
                continue;
            }
            if in_files {
                // The files are checked against the rows before them.
                return Err(format!(
                    "line {}: a row after the files: rows come first",
                    number + 2
                )
                .into());
            }
            let table = entry["table"].as_str().unwrap_or_default().to_owned();
            if !TABLES.iter().any(|(name, _)| *name == table) {
                return Err(format!("line {}: unknown table `{table}`", number + 2).into());
            }
            if !known.contains_key(&table) {
                let columns = columns(conn, &table).map_err(|e| e.to_string())?;
                known.insert(table.clone(), columns);
            }
            let table_columns = &known[&table];
            let row = entry["row"]
                .as_object()
                .ok_or(format!("line {}: no row", number + 2))?;
            let mut names = Vec::new();
            let mut values = Vec::new();
            for (name, kind) in table_columns {
                let value = match row.get(name) {
                    Some(value) => value.clone(),
                    None if table == "users" && name == "password_hash" => {
                        Value::String(NO_PASSWORD.into())
                    }
                    None => continue,
                };
                if !in_stored_range(*kind, &value) {
                    return Err(format!(
                        "line {} ({table}.{name}): {} {}",
                        number + 2,
                        value,
                        crate::dates::out_of_range_message()
                    )
                    .into());
                }
                names.push((name.clone(), *kind));
                values.push(as_text(*kind, &value, sqlite));
            }
            let list = names
                .iter()
                .map(|(name, _)| format!("\"{name}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let inserted = match conn {
                AnyConnection::Sqlite(c) => {
                    let marks = vec!["?"; names.len()].join(", ");
                    let mut query =
                        diesel::sql_query(format!("INSERT INTO {table} ({list}) VALUES ({marks})"))
                            .into_boxed();
                    for value in values {
                        query = query.bind::<Nullable<Text>, _>(value);
                    }
                    query.execute(c)
                }
                AnyConnection::Postgresql(c) => {
                    let marks = names
                        .iter()
                        .enumerate()
                        .map(|(i, (_, kind))| {
                            format!("CAST(${} AS {})", i + 1, kind.postgres_type())
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    let mut query =
                        diesel::sql_query(format!("INSERT INTO {table} ({list}) VALUES ({marks})"))
                            .into_boxed();
                    for value in values {
                        query = query.bind::<Nullable<Text>, _>(value);
                    }
                    query.execute(c)
                }
            };
            inserted.map_err(|e| format!("line {} ({table}): {e}", number + 2))?;
            count += 1;
        }
        if let AnyConnection::Postgresql(c) = conn {
            // Explicit ids leave the sequences behind: move them past the imported rows.
            for (table, _) in TABLES.iter().filter(|(_, order)| *order == "id") {
                diesel::sql_query(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1)) \
                     WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
                ))
                .execute(c)
                .map_err(|e| format!("{table} sequence: {e}"))?;
            }
        }
        // The search index and related lists are derived, not exported: made again from the
        // imported articles, in the same transaction.
        crate::resources::search::index::rebuild(conn).map_err(|e| format!("search index: {e}"))?;
        let without_files = match importer.as_mut() {
            Some(importer) => importer.folders_without_files(conn)?,
            None => Vec::new(),
        };
        Ok((count, without_files))
    });
    match loaded {
        Ok((rows, folders_without_files)) => Ok(Imported {
            rows,
            files: importer.map_or(0, |importer| importer.files),
            skipped_files,
            folders_without_files,
        }),
        Err(Failure(message)) => match importer.map(files::Importer::undo) {
            Some(Err(left)) => Err(format!("{message}; {left}")),
            _ => Err(message),
        },
    }
}

/// An import failure in words; lets diesel's errors and ours share one `?`.
#[derive(Debug)]
struct Failure(String);

impl From<diesel::result::Error> for Failure {
    fn from(error: diesel::result::Error) -> Self {
        Self(error.to_string())
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self(message)
    }
}
