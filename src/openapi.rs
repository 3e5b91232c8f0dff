//! The OpenAPI document: its frame here, its paths and schemas from the handlers that
//! registering a route documents (see `resources::configure_api`).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::Problem;
use crate::resources::articles::types::ArticleSort;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Masthead",
        description = "Headless content API for news and magazine sites: articles with their previous/next and related articles, menus, categories, tags, static pages, magazine issues and site metadata, as JSON.\n\nConventions: UTF-8 JSON with snake_case fields; timestamps are RFC 3339 with the offset the content was published in; lists are `{\"data\": [...], \"meta\": {...}}`; errors are RFC 9457 `application/problem+json` naming the offending parameter in `errors`. Every successful read carries a weak `ETag` and answers `If-None-Match` with 304.",
        license(name = "MIT", identifier = "MIT"),
    ),
    servers((url = "/", description = "This server")),
    tags(
        (name = "site", description = "Site metadata"),
        (name = "menus", description = "Navigation menus"),
        (name = "categories", description = "The category tree"),
        (name = "tags", description = "Tags"),
        (name = "articles", description = "News articles"),
        (name = "pages", description = "Static pages"),
        (name = "magazine", description = "Magazine issues"),
        (name = "archive", description = "Archive counts by month"),
        (name = "media", description = "Media records: images with captions and sizes"),
        (name = "health", description = "Health checks"),
        (name = "auth", description = "Signing in: tokens for the editors' API"),
        (name = "audit", description = "Who changed what"),
        (name = "tokens", description = "Integration tokens for machine clients"),
        (name = "users", description = "The editors' accounts (admins)"),
    ),
    components(schemas(Problem, ArticleSort)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The one security scheme: `Authorization: Bearer <JWT access token>`.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from `POST /api/v1/auth/login` or `/auth/refresh`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document the server serves at `/openapi.json`, built without starting a server.
pub fn spec() -> OpenApiDoc {
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(crate::resources::configure_api))
        .split_for_parts();
    api
}
