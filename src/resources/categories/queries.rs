use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::types::{Category, CategoryNode, CategoryRef};
use crate::content::counts;
use crate::db::schema::categories;
use crate::db::AnyConnection;
use crate::resources::paths;

#[derive(Debug, Clone, Queryable)]
pub struct CategoryRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl CategoryRow {
    pub fn to_ref(&self) -> CategoryRef {
        CategoryRef {
            id: self.id,
            slug: self.slug.clone(),
            name: self.name.clone(),
            path: paths::category(&self.slug),
        }
    }
}

/// Every category, in display order. The table is small (tens of rows), so callers
/// resolve trees and references in memory rather than with recursive SQL.
pub fn all(conn: &mut AnyConnection) -> QueryResult<Vec<CategoryRow>> {
    categories::table
        .order((categories::position.asc(), categories::id.asc()))
        .select(categories::all_columns)
        .load(conn)
}

/// The categories by id.
pub fn refs_by_id(conn: &mut AnyConnection) -> QueryResult<HashMap<i64, CategoryRef>> {
    Ok(all(conn)?
        .iter()
        .map(|row| (row.id, row.to_ref()))
        .collect())
}

/// A category's id and all its descendants' ids.
pub fn with_descendants(rows: &[CategoryRow], root: i64) -> Vec<i64> {
    let mut ids = vec![root];
    let mut index = 0;
    while index < ids.len() {
        let parent = ids[index];
        let children: Vec<i64> = rows
            .iter()
            .filter(|row| row.parent_id == Some(parent) && !ids.contains(&row.id))
            .map(|row| row.id)
            .collect();
        ids.extend(children);
        index += 1;
    }
    ids
}

fn build_nodes(
    rows: &[CategoryRow],
    counts: &HashMap<i64, i64>,
    parent: Option<i64>,
) -> Vec<CategoryNode> {
    rows.iter()
        .filter(|row| row.parent_id == parent)
        .map(|row| {
            let children = build_nodes(rows, counts, Some(row.id));
            let article_count = counts.get(&row.id).copied().unwrap_or(0)
                + children
                    .iter()
                    .map(|child| child.article_count)
                    .sum::<i64>();
            CategoryNode {
                id: row.id,
                slug: row.slug.clone(),
                name: row.name.clone(),
                description: row.description.clone(),
                position: row.position,
                path: paths::category(&row.slug),
                article_count,
                children,
            }
        })
        .collect()
}

pub fn tree(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<Vec<CategoryNode>> {
    let rows = all(conn)?;
    let counts = counts::by_category(conn, now)?;
    // Categories whose parent is gone (set null on delete) are top level.
    Ok(build_nodes(&rows, &counts, None))
}

pub fn by_slug(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    slug: &str,
) -> QueryResult<Option<Category>> {
    one(conn, now, |row| row.slug == slug)
}

pub fn by_id(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    id: i64,
) -> QueryResult<Option<Category>> {
    one(conn, now, |row| row.id == id)
}

fn one(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    wanted: impl Fn(&CategoryRow) -> bool,
) -> QueryResult<Option<Category>> {
    let rows = all(conn)?;
    let Some(row) = rows.iter().find(|row| wanted(row)) else {
        return Ok(None);
    };
    let counts = counts::by_category(conn, now)?;
    let children = build_nodes(&rows, &counts, Some(row.id));
    let article_count = counts.get(&row.id).copied().unwrap_or(0)
        + children
            .iter()
            .map(|child| child.article_count)
            .sum::<i64>();
    let by_id: HashMap<i64, &CategoryRow> = rows.iter().map(|row| (row.id, row)).collect();
    let mut ancestors = Vec::new();
    let mut cursor = row.parent_id;
    while let Some(parent) = cursor.and_then(|id| by_id.get(&id)) {
        if ancestors.len() > rows.len() {
            break; // a cycle in bad data must not hang the request
        }
        ancestors.push(parent.to_ref());
        cursor = parent.parent_id;
    }
    ancestors.reverse();
    Ok(Some(Category {
        id: row.id,
        slug: row.slug.clone(),
        name: row.name.clone(),
        description: row.description.clone(),
        position: row.position,
        path: paths::category(&row.slug),
        article_count,
        parent: ancestors.last().cloned(),
        ancestors,
        children,
        version: row.version,
    }))
}
