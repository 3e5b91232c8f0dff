//! Masthead: a headless content API for news and magazine sites.

pub mod auth;
pub mod clock;
pub mod commands;
pub mod config;
pub mod content;
pub mod dates;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod input;
pub mod openapi;
pub mod pictures;
pub mod portability;
pub mod resources;
pub mod slug;
pub mod state;
pub mod storage;
pub mod terms;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpResponse};
use serde_json::json;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::CorsOrigins;
use crate::http::{caching, framework_errors, head, request_log, response_cache};
use crate::state::AppState;

fn cors(origins: &CorsOrigins) -> Cors {
    let cors = Cors::default()
        .allowed_methods(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
        .allow_any_header()
        .expose_headers([
            "link",
            "etag",
            "location",
            "retry-after",
            "x-request-id",
            "x-cache",
        ])
        .max_age(86_400);
    match origins {
        CorsOrigins::Any => cors.allow_any_origin().send_wildcard(),
        CorsOrigins::List(list) => list
            .iter()
            .fold(cors, |cors, origin| cors.allowed_origin(origin)),
    }
}

async fn index() -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "name": "Masthead",
        "version": env!("CARGO_PKG_VERSION"),
        "api": "/api/v1",
        "docs": "/docs/",
        "openapi": "/openapi.json",
    }))
}

/// Swagger UI's relative asset paths need the trailing slash.
async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "/docs/"))
        .finish()
}

/// Liveness and readiness at the root too, where load balancers look by convention.
async fn healthz_alias() -> HttpResponse {
    resources::health::alive()
}

async fn readyz_alias(state: web::Data<AppState>) -> Result<HttpResponse, error::ApiError> {
    resources::health::ready(&state).await
}

/// The whole application: routes, docs, middleware. The server and the tests build it
/// from here.
pub fn app(
    state: AppState,
    cors_origins: &CorsOrigins,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, api) = App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(resources::configure_api))
        .configure(resources::configure_root)
        .split_for_parts();
    let api = openapi::with_conventions(api);
    let routes = web::Data::new(framework_errors::RouteTable::from_openapi(&api));
    app.app_data(web::Data::new(state))
        .app_data(web::Data::new(cors_origins.clone()))
        .app_data(routes)
        .app_data(framework_errors::query_config())
        .app_data(framework_errors::path_config())
        .app_data(framework_errors::json_config())
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api))
        .route("/", web::get().to(index))
        .route("/docs", web::get().to(docs_redirect))
        .route("/healthz", web::get().to(healthz_alias))
        .route("/readyz", web::get().to(readyz_alias))
        .default_service(web::to(framework_errors::default_service))
        .wrap(from_fn(http::params::middleware))
        .wrap(from_fn(http::body::deadline))
        .wrap(from_fn(response_cache::middleware::cache_responses))
        .wrap(from_fn(caching::middleware))
        .wrap(Compress::default())
        .wrap(cors(cors_origins))
        .wrap(from_fn(caching::vary))
        .wrap(from_fn(head::middleware))
        .wrap(from_fn(resources::media::delivery::fast_lane))
        .wrap(from_fn(framework_errors::problem_bodies))
        .wrap(from_fn(request_log::middleware))
}
