//! The demo site: the reference magazine site's content, loaded into an empty database on
//! first start so that `cargo run --release` serves a real site.

pub mod generate;
pub mod pictures;
mod topical;

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;

use crate::content::PUBLISHED;
use crate::db::schema::{
    article_media, article_tags, articles, categories, magazine_issue_articles, magazine_issues,
    media, menu_items, menus, pages, site_contacts, site_settings,
};
use crate::db::AnyConnection;
use crate::resources::site::queries::SETTINGS_ID;

const CONTENT: &str = include_str!("content.json");
const HUMIAO_BODY: &str = include_str!("body_humiao.html");

#[derive(Deserialize)]
struct Content {
    site: SiteIn,
    contacts: Vec<ContactIn>,
    categories: Vec<CategoryIn>,
    tags: Vec<TagIn>,
    media: Vec<MediaIn>,
    articles: Vec<ArticleIn>,
    pages: Vec<PageIn>,
    issues: Vec<IssueIn>,
    menus: Vec<MenuIn>,
}

#[derive(Deserialize)]
struct SiteIn {
    name: String,
    description: String,
    /// The media key of the logo.
    logo: Option<String>,
    locale: String,
    time_zone: String,
    utc_offset_minutes: i32,
    copyright: String,
    credits: String,
    icp_record: Option<String>,
}

#[derive(Deserialize)]
struct ContactIn {
    label: String,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
struct CategoryIn {
    slug: String,
    name: String,
    description: String,
    #[serde(default)]
    children: Vec<CategoryIn>,
}

#[derive(Deserialize)]
struct TagIn {
    slug: String,
    name: String,
}

#[derive(Deserialize)]
struct MediaIn {
    key: String,
    url: String,
    alt: String,
    caption: Option<String>,
    width: Option<i32>,
    height: Option<i32>,
    mime_type: String,
}

#[derive(Deserialize)]
struct ArticleIn {
    slug: String,
    title: String,
    summary: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_file: Option<String>,
    category: String,
    tags: Vec<String>,
    published_at: DateTime<FixedOffset>,
    source: Option<String>,
    author_name: Option<String>,
    #[serde(default)]
    cover: Option<String>,
    #[serde(default)]
    images: Vec<String>,
    /// Related articles an editor chose (slugs), as the reference page lists them.
    #[serde(default)]
    related: Vec<String>,
}

#[derive(Deserialize)]
struct PageIn {
    slug: String,
    title: String,
    summary: String,
    body: String,
}

#[derive(Deserialize)]
struct IssueIn {
    number: Option<i32>,
    title: String,
    year: i32,
    published_on: NaiveDate,
    #[serde(default)]
    cover: Option<String>,
    articles: Vec<String>,
}

#[derive(Deserialize)]
struct MenuIn {
    key: String,
    name: String,
    items: Vec<MenuItemIn>,
}

#[derive(Deserialize)]
struct MenuItemIn {
    label: String,
    kind: String,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    children: Vec<MenuItemIn>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo content does not parse: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("the demo content names an unknown {kind} `{key}`")]
    UnknownReference { kind: &'static str, key: String },
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
}

fn lookup(map: &HashMap<String, i64>, kind: &'static str, key: &str) -> Result<i64, DemoError> {
    map.get(key)
        .copied()
        .ok_or_else(|| DemoError::UnknownReference {
            kind,
            key: key.to_owned(),
        })
}

/// True when the database has no content at all.
pub fn is_empty(conn: &mut AnyConnection) -> QueryResult<bool> {
    let settings: i64 = site_settings::table.count().get_result(conn)?;
    let articles: i64 = articles::table.count().get_result(conn)?;
    let categories: i64 = categories::table.count().get_result(conn)?;
    Ok(settings == 0 && articles == 0 && categories == 0)
}

/// Fills an empty database with the demo site, in one transaction. Returns whether it did.
pub fn seed_if_empty(conn: &mut AnyConnection) -> Result<bool, DemoError> {
    let content: Content = serde_json::from_str(CONTENT)?;
    crate::db::write(conn, |conn| {
        if !is_empty(conn)? {
            return Ok(false);
        }
        seed(conn, &content)?;
        crate::resources::search::index::rebuild(conn)?;
        Ok(true)
    })
}

fn insert_categories(
    conn: &mut AnyConnection,
    list: &[CategoryIn],
    parent: Option<i64>,
    ids: &mut HashMap<String, i64>,
) -> Result<(), DemoError> {
    let now = crate::clock::Clock::system().now();
    for (position, category) in list.iter().enumerate() {
        let id: i64 = diesel::insert_into(categories::table)
            .values((
                categories::parent_id.eq(parent),
                categories::slug.eq(&category.slug),
                categories::name.eq(&category.name),
                categories::description.eq(&category.description),
                categories::position.eq(position as i32),
                categories::created_at.eq(now),
                categories::updated_at.eq(now),
            ))
            .returning(categories::id)
            .get_result(conn)?;
        ids.insert(category.slug.clone(), id);
        insert_categories(conn, &category.children, Some(id), ids)?;
    }
    Ok(())
}

struct Targets {
    categories: HashMap<String, i64>,
    pages: HashMap<String, i64>,
    issues: HashMap<String, i64>,
}

fn insert_menu_items(
    conn: &mut AnyConnection,
    menu_id: i64,
    parent: Option<i64>,
    items: &[MenuItemIn],
    targets: &Targets,
) -> Result<(), DemoError> {
    for (position, item) in items.iter().enumerate() {
        let target = item.target.as_deref().unwrap_or_default();
        let target_id = match item.kind.as_str() {
            "category" => Some(lookup(&targets.categories, "category", target)?),
            "page" => Some(lookup(&targets.pages, "page", target)?),
            "magazine_issue" => Some(lookup(&targets.issues, "magazine issue", target)?),
            _ => None,
        };
        let id: i64 = diesel::insert_into(menu_items::table)
            .values((
                menu_items::menu_id.eq(menu_id),
                menu_items::parent_id.eq(parent),
                menu_items::position.eq(position as i32),
                menu_items::label.eq(&item.label),
                menu_items::kind.eq(&item.kind),
                menu_items::target_id.eq(target_id),
                menu_items::url.eq(&item.url),
            ))
            .returning(menu_items::id)
            .get_result(conn)?;
        insert_menu_items(conn, menu_id, Some(id), &item.children, targets)?;
    }
    Ok(())
}

fn seed(conn: &mut AnyConnection, content: &Content) -> Result<(), DemoError> {
    let now = crate::clock::Clock::system().now();
    let mut category_ids = HashMap::new();
    insert_categories(conn, &content.categories, None, &mut category_ids)?;

    let mut tag_ids = HashMap::new();
    for tag in &content.tags {
        let id: i64 = diesel::insert_into(crate::db::schema::tags::table)
            .values((
                crate::db::schema::tags::slug.eq(&tag.slug),
                crate::db::schema::tags::name.eq(&tag.name),
            ))
            .returning(crate::db::schema::tags::id)
            .get_result(conn)?;
        tag_ids.insert(tag.slug.clone(), id);
    }

    let mut media_ids = HashMap::new();
    for item in &content.media {
        let id: i64 = diesel::insert_into(media::table)
            .values((
                media::url.eq(&item.url),
                media::alt.eq(&item.alt),
                media::caption.eq(&item.caption),
                media::width.eq(item.width),
                media::height.eq(item.height),
                media::mime_type.eq(&item.mime_type),
                media::created_at.eq(now),
            ))
            .returning(media::id)
            .get_result(conn)?;
        media_ids.insert(item.key.clone(), id);
    }

    // The site after its logo's media record.
    let site = &content.site;
    let logo = match &site.logo {
        Some(key) => Some(lookup(&media_ids, "media", key)?),
        None => None,
    };
    diesel::insert_into(site_settings::table)
        .values((
            site_settings::id.eq(SETTINGS_ID),
            site_settings::name.eq(&site.name),
            site_settings::description.eq(&site.description),
            site_settings::logo_media_id.eq(logo),
            site_settings::locale.eq(&site.locale),
            site_settings::time_zone.eq(&site.time_zone),
            site_settings::utc_offset_minutes.eq(site.utc_offset_minutes),
            site_settings::copyright.eq(&site.copyright),
            site_settings::credits.eq(&site.credits),
            site_settings::icp_record.eq(&site.icp_record),
            site_settings::updated_at.eq(now),
        ))
        .execute(conn)?;
    for (position, contact) in content.contacts.iter().enumerate() {
        diesel::insert_into(site_contacts::table)
            .values((
                site_contacts::position.eq(position as i32),
                site_contacts::label.eq(&contact.label),
                site_contacts::address.eq(&contact.address),
                site_contacts::phone.eq(&contact.phone),
                site_contacts::email.eq(&contact.email),
            ))
            .execute(conn)?;
    }

    let mut article_ids = HashMap::new();
    for article in &content.articles {
        let body = match (&article.body, article.body_file.as_deref()) {
            (Some(body), _) => body.clone(),
            (None, Some("humiao")) => HUMIAO_BODY.to_owned(),
            (None, other) => {
                return Err(DemoError::UnknownReference {
                    kind: "body file",
                    key: other.unwrap_or_default().to_owned(),
                })
            }
        };
        let cover = match &article.cover {
            Some(key) => Some(lookup(&media_ids, "media", key)?),
            None => None,
        };
        let published_at = article.published_at.naive_utc();
        let id: i64 = diesel::insert_into(articles::table)
            .values((
                articles::slug.eq(&article.slug),
                articles::title.eq(&article.title),
                articles::summary.eq(&article.summary),
                articles::body_html.eq(body),
                articles::cover_media_id.eq(cover),
                articles::source.eq(&article.source),
                articles::author_name.eq(&article.author_name),
                articles::category_id.eq(lookup(&category_ids, "category", &article.category)?),
                articles::status.eq(PUBLISHED),
                articles::published_at.eq(published_at),
                articles::utc_offset_minutes
                    .eq(article.published_at.offset().local_minus_utc() / 60),
                articles::created_at.eq(published_at),
                articles::updated_at.eq(published_at),
            ))
            .returning(articles::id)
            .get_result(conn)?;
        for tag in &article.tags {
            diesel::insert_into(article_tags::table)
                .values((
                    article_tags::article_id.eq(id),
                    article_tags::tag_id.eq(lookup(&tag_ids, "tag", tag)?),
                ))
                .execute(conn)?;
        }
        for (position, image) in article.images.iter().enumerate() {
            diesel::insert_into(article_media::table)
                .values((
                    article_media::article_id.eq(id),
                    article_media::media_id.eq(lookup(&media_ids, "media", image)?),
                    article_media::position.eq(position as i32),
                ))
                .execute(conn)?;
        }
        article_ids.insert(article.slug.clone(), id);
    }
    for article in content.articles.iter().filter(|a| !a.related.is_empty()) {
        let related = article
            .related
            .iter()
            .map(|slug| lookup(&article_ids, "article", slug))
            .collect::<Result<Vec<_>, _>>()?;
        crate::resources::search::related::pin(conn, article_ids[&article.slug], &related)?;
    }

    let mut page_ids = HashMap::new();
    for page in &content.pages {
        let id: i64 = diesel::insert_into(pages::table)
            .values((
                pages::slug.eq(&page.slug),
                pages::title.eq(&page.title),
                pages::summary.eq(&page.summary),
                pages::body_html.eq(&page.body),
                pages::status.eq(crate::resources::pages::queries::PUBLISHED),
                pages::created_at.eq(now),
                pages::updated_at.eq(now),
            ))
            .returning(pages::id)
            .get_result(conn)?;
        page_ids.insert(page.slug.clone(), id);
    }

    let mut issue_ids = HashMap::new();
    for issue in &content.issues {
        let cover = match &issue.cover {
            Some(key) => Some(lookup(&media_ids, "media", key)?),
            None => None,
        };
        let id: i64 = diesel::insert_into(magazine_issues::table)
            .values((
                magazine_issues::number.eq(issue.number),
                magazine_issues::title.eq(&issue.title),
                magazine_issues::year.eq(issue.year),
                magazine_issues::cover_media_id.eq(cover),
                magazine_issues::published_on.eq(issue.published_on),
                magazine_issues::status.eq(crate::resources::magazine::queries::PUBLISHED),
                magazine_issues::created_at.eq(now),
                magazine_issues::updated_at.eq(now),
            ))
            .returning(magazine_issues::id)
            .get_result(conn)?;
        for (position, slug) in issue.articles.iter().enumerate() {
            diesel::insert_into(magazine_issue_articles::table)
                .values((
                    magazine_issue_articles::issue_id.eq(id),
                    magazine_issue_articles::article_id.eq(lookup(&article_ids, "article", slug)?),
                    magazine_issue_articles::position.eq(position as i32),
                ))
                .execute(conn)?;
        }
        issue_ids.insert(issue.title.clone(), id);
    }

    let targets = Targets {
        categories: category_ids,
        pages: page_ids,
        issues: issue_ids,
    };
    for menu in &content.menus {
        let id: i64 = diesel::insert_into(menus::table)
            .values((menus::key.eq(&menu.key), menus::name.eq(&menu.name)))
            .returning(menus::id)
            .get_result(conn)?;
        insert_menu_items(conn, id, None, &menu.items, &targets)?;
    }
    Ok(())
}
