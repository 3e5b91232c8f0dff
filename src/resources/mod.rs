//! The public resources, one folder each: `handlers.rs` (HTTP), `queries.rs` (database),
//! `types.rs` (the JSON the API speaks).

pub mod api_tokens;
pub mod archive;
pub mod articles;
pub mod audit;
pub mod auth;
pub mod categories;
pub mod editing;
pub mod health;
pub mod magazine;
pub mod media;
pub mod menus;
pub mod pages;
pub mod paths;
pub mod search;
pub mod site;
pub mod tags;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every `/api/v1` route; registering a route also documents it.
/// The routes outside `/api/v1` that the spec documents: the stored pictures.
pub fn configure_root(cfg: &mut ServiceConfig) {
    cfg.service(media::delivery::media_file);
}

pub fn configure_api(cfg: &mut ServiceConfig) {
    cfg.service(site::handlers::get_site)
        .service(site::handlers::update_site)
        .service(menus::handlers::list_menus)
        .service(menus::handlers::get_menu)
        .service(menus::editing::put_menu)
        .service(menus::editing::delete_menu)
        .service(menus::editing::add_menu_item)
        .service(menus::editing::update_menu_item)
        .service(menus::editing::delete_menu_item)
        .service(categories::handlers::list_categories)
        .service(categories::handlers::get_category)
        .service(categories::editing::create_category)
        .service(categories::editing::update_category)
        .service(categories::editing::delete_category)
        .service(tags::handlers::list_tags)
        .service(tags::handlers::get_tag)
        .service(tags::editing::create_tag)
        .service(tags::editing::update_tag)
        .service(tags::editing::delete_tag)
        .service(articles::handlers::list_articles)
        .service(articles::handlers::get_article)
        .service(articles::editing::create_article)
        .service(articles::editing::update_article)
        .service(articles::editing::delete_article)
        .service(articles::editing::get_article_preview)
        .service(articles::editing::create_preview_link)
        .service(articles::editing::get_shared_preview)
        .service(pages::handlers::list_pages)
        .service(pages::handlers::get_page)
        .service(pages::editing::create_page)
        .service(pages::editing::update_page)
        .service(pages::editing::delete_page)
        .service(magazine::handlers::list_magazine_issues)
        .service(magazine::handlers::get_magazine_issue)
        .service(magazine::handlers::create_magazine_issue)
        .service(magazine::handlers::update_magazine_issue)
        .service(magazine::handlers::delete_magazine_issue)
        .service(archive::handlers::get_archive)
        .service(search::handlers::search)
        .service(search::handlers::suggest)
        .service(media::handlers::get_media)
        .service(media::handlers::create_media)
        .service(media::handlers::update_media)
        .service(media::handlers::delete_media)
        .service(media::handlers::replace_media_file)
        .service(health::get_health)
        .service(health::get_ready)
        .service(auth::handlers::login)
        .service(auth::handlers::refresh)
        .service(auth::handlers::logout)
        .service(auth::handlers::get_me)
        .service(audit::handlers::list_audit)
        .service(users::handlers::list_users)
        .service(users::handlers::get_user)
        .service(users::handlers::create_user)
        .service(users::handlers::update_user)
        .service(users::handlers::delete_user)
        .service(api_tokens::handlers::create_token)
        .service(api_tokens::handlers::list_tokens)
        .service(api_tokens::handlers::revoke_token);
}
