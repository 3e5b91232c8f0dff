//! The OpenAPI document: its frame here, its paths and schemas from the handlers that
//! registering a route documents (see `resources::configure_api`).

use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::Response;
use utoipa::openapi::schema::{AllOfBuilder, SchemaType};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ObjectBuilder, OpenApi as OpenApiDoc, Ref, RefOr, Required, Schema, Type};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::Problem;
use crate::http::responses::{self, header, Shared};
use crate::resources::articles::types::ArticleSort;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Masthead",
        description = "Headless content API for news and magazine sites: articles with their previous/next and related articles, menus, categories, tags, static pages, magazine issues and site metadata, as JSON.\n\nConventions: UTF-8 JSON with snake_case fields; timestamps are RFC 3339 with the offset the content was published in; lists are `{\"data\": [...], \"meta\": {...}}`; errors are RFC 9457 `application/problem+json` naming the offending parameter in `errors`. Absent optional values are `null`, never missing. Every successful read carries a weak `ETag` and answers `If-None-Match` with 304. Every response carries `x-request-id`. A method a path does not list is answered 405 (`method_not_allowed`, with `Allow` naming the listed methods; HEAD works wherever GET does); an unknown path 404 (`no_route`).\n\nAuthentication: public reads need no credentials (`security: []`); with a bearer token (a JWT from `/auth/login`, or an `mh_…` integration token) some of them show editors more. An invalid token is always 401, never anonymous.",
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
        (name = "search", description = "Full-text search that understands Chinese, and type-ahead titles"),
        (name = "media", description = "Media records: images with captions and sizes"),
        (name = "health", description = "Health checks"),
        (name = "auth", description = "Signing in: tokens for the editors' API"),
        (name = "audit", description = "Who changed what"),
        (name = "tokens", description = "Integration tokens for machine clients"),
        (name = "users", description = "The editors' accounts (admins)"),
    ),
    components(schemas(Problem, ArticleSort))
)]
pub struct ApiDoc;

/// The editors' two kinds of bearer token, each declared once.
fn security_schemes(components: &mut utoipa::openapi::Components) {
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "An access token from `POST /api/v1/auth/login` or `/auth/refresh` (15 minutes).",
                ))
                .build(),
        ),
    );
    components.add_security_scheme(
        "integration_token",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("mh_…")
                .description(Some(
                    "An integration token for machine clients (`mh_…`), made by an admin with `POST /api/v1/tokens`; it acts with its own role until revoked.",
                ))
                .build(),
        ),
    );
}

/// What every operation of a kind has because of a middleware or a convention, documented
/// here once rather than on each handler:
/// - the shared error responses (`http::responses`) under `components/responses`;
/// - `x-request-id` on every response (the request log);
/// - on every GET: `If-None-Match`, `ETag` and `Cache-Control` on the 200, and the 304
///   (the caching middleware);
/// - `security: []` on public operations: a handler declares `security(())` (utoipa's
///   `[{}]`), written here as the empty list that means "no credentials".
struct Conventions;

impl Modify for Conventions {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        security_schemes(components);
        input_kinds_inline(components);
        menu_link_rule(components);
        for shared in Shared::ALL {
            components
                .responses
                .insert(shared.name().to_owned(), RefOr::T(shared.definition()));
        }
        for response in components.responses.values_mut() {
            if let RefOr::T(response) = response {
                with_request_id(response);
            }
        }
        for item in openapi.paths.paths.values_mut() {
            if let Some(get) = item.get.as_mut() {
                cacheable(get);
            }
            for operation in [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                checked_parameters(operation);
                if operation.security.as_deref() == Some(&[SecurityRequirement::default()]) {
                    operation.security = Some(Vec::new());
                }
                for response in operation.responses.responses.values_mut() {
                    if let RefOr::T(response) = response {
                        with_request_id(response);
                    }
                }
            }
        }
    }
}

/// The field kinds of write bodies (`input::kinds`) are inlined into each request schema,
/// with that field's limits; utoipa still lists a generic argument among the components,
/// under the placeholder name the kinds give, so it goes. A field that referenced one by
/// mistake would now dangle, which the spec tests catch. A field with a description
/// comes out as a one-item `oneOf` holding the kind: it is flattened into the kind itself.
fn input_kinds_inline(components: &mut utoipa::openapi::Components) {
    components
        .schemas
        .remove(crate::input::kinds::PLACEHOLDER_NAME);
    for schema in components.schemas.values_mut() {
        let RefOr::T(Schema::Object(object)) = schema else {
            continue;
        };
        for property in object.properties.values_mut() {
            let RefOr::T(Schema::OneOf(one_of)) = property else {
                continue;
            };
            if one_of.items.len() != 1 {
                continue;
            }
            match one_of.items[0].clone() {
                RefOr::T(Schema::Object(mut kind)) => {
                    if one_of.description.is_some() {
                        kind.description = one_of.description.clone();
                    }
                    *property = RefOr::T(Schema::Object(kind));
                }
                // A list of inlined items (`Optional<Vec<_>>`) likewise.
                RefOr::T(Schema::Array(mut list)) => {
                    if one_of.description.is_some() {
                        list.description = one_of.description.clone();
                    }
                    *property = RefOr::T(Schema::Array(list));
                }
                _ => {}
            }
        }
    }
}

/// The rule across a menu item's fields (`kind` says which of `target_id` and `url` it
/// needs) joins the item's own schema: `allOf` the object and the rule's branches.
fn menu_link_rule(components: &mut utoipa::openapi::Components) {
    for name in ["NewMenuItem", "MenuTreeItem"] {
        let Some(schema) = components.schemas.get_mut(name) else {
            continue;
        };
        let RefOr::T(object) = schema.clone() else {
            continue;
        };
        *schema = RefOr::T(Schema::AllOf(
            AllOfBuilder::new()
                .item(object)
                .item(crate::resources::menus::types::link_rule())
                .build(),
        ));
    }
}

fn with_request_id(response: &mut Response) {
    response.headers.insert(
        "x-request-id".to_owned(),
        header(Type::String, responses::REQUEST_ID),
    );
}

/// What `http::params` checks on every request before routing: text path parameters are
/// non-empty and hold no control characters, and neither do query parameters (a read also
/// refuses one it does not know), and `If-Match` is `*` or a list of entity tags
/// (`http::preconditions`). So any operation, with parameters or without, can answer 400
/// naming the parameter.
fn checked_parameters(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if matches!(parameter.parameter_in, ParameterIn::Header) && parameter.name == "If-Match" {
            // A string when sent (utoipa makes `Option<String>` nullable; a header is
            // left out, never null).
            if let Some(RefOr::T(Schema::Object(object))) = parameter.schema.as_mut() {
                object.schema_type = SchemaType::Type(Type::String);
                object.pattern = Some(crate::http::preconditions::IF_MATCH_PATTERN.to_owned());
            }
            continue;
        }
        if !matches!(parameter.parameter_in, ParameterIn::Path) {
            continue;
        }
        if let Some(RefOr::T(Schema::Object(object))) = parameter.schema.as_mut() {
            if object.schema_type == SchemaType::Type(Type::String) {
                object.min_length = Some(1);
                object.pattern = Some(crate::http::input::NO_CONTROL_CHARACTERS.to_owned());
            }
        }
    }
    operation
        .responses
        .responses
        .entry(Shared::InvalidParameter.status().to_string())
        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(Shared::InvalidParameter.name())));
}

/// A GET through the caching middleware: every 200 gets an ETag and `Cache-Control`, and a
/// matching `If-None-Match` a 304.
fn cacheable(operation: &mut Operation) {
    operation.parameters.get_or_insert_with(Vec::new).push(
        ParameterBuilder::new()
            .name("If-None-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "An ETag from an earlier 200: if the representation is unchanged the answer is 304 with no body.",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build(),
    );
    let responses = &mut operation.responses.responses;
    if let Some(RefOr::T(ok)) = responses.get_mut("200") {
        ok.headers
            .insert("ETag".to_owned(), header(Type::String, responses::ETAG));
        ok.headers.insert(
            "Cache-Control".to_owned(),
            header(Type::String, responses::CACHE_CONTROL),
        );
    }
    responses.insert(
        Shared::NotModified.status().to_string(),
        RefOr::Ref(Ref::from_response_name(Shared::NotModified.name())),
    );
}

/// The document the server serves at `/openapi.json`, built without starting a server.
pub fn spec() -> OpenApiDoc {
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(crate::resources::configure_api))
        .configure(crate::resources::configure_root)
        .split_for_parts();
    with_conventions(api)
}

/// Applies the document's conventions; they need the paths, which utoipa-actix-web adds
/// after `ApiDoc::openapi()` (and its modifiers) ran.
pub fn with_conventions(mut api: OpenApiDoc) -> OpenApiDoc {
    Conventions.modify(&mut api);
    api
}
