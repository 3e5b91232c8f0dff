use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::types::AuditEntry;
use crate::auth::actor::Actor;
use crate::db::schema::audit_log;
use crate::db::AnyConnection;
use crate::http::pagination::{Page, PageMeta, PageRequest};

/// Records one change; call inside the transaction that makes it, so the two stand or
/// fall together.
pub fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    resource: &str,
    resource_id: Option<i64>,
    summary: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now),
            audit_log::actor_id.eq(actor.id),
            audit_log::actor.eq(&actor.email),
            audit_log::action.eq(action),
            audit_log::resource.eq(resource),
            audit_log::resource_id.eq(resource_id),
            audit_log::summary.eq(summary),
        ))
        .execute(conn)
        .map(|_| ())
}

type Row = (
    i64,
    NaiveDateTime,
    Option<i64>,
    String,
    String,
    String,
    Option<i64>,
    String,
);

pub fn list(conn: &mut AnyConnection, request: &PageRequest) -> QueryResult<Page<AuditEntry>> {
    let total: i64 = audit_log::table.count().get_result(conn)?;
    let rows: Vec<Row> = audit_log::table
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .select(audit_log::all_columns)
        .offset(request.offset())
        .limit(request.per_page)
        .load(conn)?;
    let returned = rows.len();
    let items = rows
        .into_iter()
        .map(
            |(id, at, actor_id, actor, action, resource, resource_id, summary)| AuditEntry {
                id,
                at: at.and_utc(),
                actor_id,
                actor,
                action,
                resource,
                resource_id,
                summary,
            },
        )
        .collect();
    Ok(Page {
        items,
        meta: PageMeta::new(request, total, returned, false, None),
    })
}
