//! actix-web's own errors (bad query strings, bad paths, unknown routes, wrong methods)
//! re-wrapped into the same problem+json body as everything else.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};

use crate::error::ApiError;

/// serde names the field in backticks: "unknown field `foo`, expected …".
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

pub fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = error.to_string();
    let api_error = if message.contains("unknown field") {
        match quoted_name(&message) {
            Some(name) => ApiError::invalid(name, "is not a parameter of this endpoint"),
            None => ApiError::BadRequest(message),
        }
    } else if message.contains("duplicate field") {
        match quoted_name(&message) {
            Some(name) => ApiError::invalid(name, "must be given at most once"),
            None => ApiError::BadRequest(message),
        }
    } else {
        ApiError::BadRequest(format!("malformed query string: {message}"))
    };
    api_error.into()
}

pub fn path_error(error: PathError, req: &HttpRequest) -> actix_web::Error {
    ApiError::NoRoute(format!("{} ({error})", req.path())).into()
}

/// Request bodies above this are refused with 413.
pub const MAX_JSON_BODY: usize = 1024 * 1024;

pub fn json_error(error: JsonPayloadError, req: &HttpRequest) -> actix_web::Error {
    let api_error = match &error {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::PayloadTooLarge(MAX_JSON_BODY)
        }
        JsonPayloadError::Payload(payload) if crate::http::body::is_deadline(payload) => {
            let timeout = req
                .app_data::<web::Data<crate::state::AppState>>()
                .map(|state| state.body_timeout)
                .unwrap_or(crate::config::DEFAULT_BODY_TIMEOUT);
            ApiError::RequestTimeout(timeout)
        }
        JsonPayloadError::ContentType => ApiError::BadRequest(
            "the body must be JSON, sent with `Content-Type: application/json`".into(),
        ),
        JsonPayloadError::Deserialize(inner) if inner.is_data() => {
            let message = inner.to_string();
            let field = quoted_name(&message).unwrap_or("body").to_owned();
            let reason = message
                .split(" at line")
                .next()
                .unwrap_or(&message)
                .to_owned();
            ApiError::Invalid(vec![crate::error::FieldError::new(field, reason)])
        }
        other => ApiError::BadRequest(format!("the body is not valid JSON: {other}")),
    };
    api_error.into()
}

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_JSON_BODY)
        .error_handler(json_error)
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(query_error)
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(path_error)
}

/// The documented paths and their methods, to answer a wrong method with 405 and an exact
/// `Allow` header, and an unknown path with 404.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteTable {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Self {
        let value = serde_json::to_value(api).unwrap_or_default();
        let routes = value["paths"]
            .as_object()
            .map(|paths| {
                paths
                    .iter()
                    .map(|(path, item)| {
                        let segments = path.split('/').map(str::to_owned).collect();
                        let methods = item
                            .as_object()
                            .map(|ops| {
                                ["get", "put", "post", "delete", "options", "head", "patch"]
                                    .iter()
                                    .filter(|m| ops.contains_key(**m))
                                    .map(|m| m.to_uppercase())
                                    .collect()
                            })
                            .unwrap_or_default();
                        (segments, methods)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self { routes }
    }

    /// The name of the `{parameter}` that segment `index` of a request path fills, when
    /// the path has the shape of a documented route.
    pub fn parameter_name(&self, path: &str, index: usize) -> Option<&str> {
        let segments: Vec<&str> = path.split('/').collect();
        self.routes.iter().find_map(|(template, _)| {
            let shaped = template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| (t.starts_with('{') && t.ends_with('}')) || t == s);
            let parameter = template.get(index)?;
            (shaped && parameter.starts_with('{'))
                .then(|| parameter.trim_start_matches('{').trim_end_matches('}'))
        })
    }

    /// The methods of the documented path this request path matches.
    fn methods_for(&self, path: &str) -> Option<&[String]> {
        let segments: Vec<&str> = path.split('/').collect();
        self.routes.iter().find_map(|(template, methods)| {
            let matches = template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| {
                    (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s
                });
            matches.then_some(methods.as_slice())
        })
    }
}

/// No route matched: 405 with the documented methods when the path exists with other
/// methods, else 404. (HEAD arrives here as GET: see `http::head`.)
pub async fn default_service(
    req: HttpRequest,
    table: Option<web::Data<RouteTable>>,
) -> HttpResponse {
    let allowed = table
        .as_ref()
        .and_then(|table| table.methods_for(req.path()));
    match allowed {
        Some(methods) if !methods.iter().any(|m| m == req.method().as_str()) => {
            let mut response = ApiError::MethodNotAllowed.error_response();
            if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&methods.join(", ")) {
                response
                    .headers_mut()
                    .insert(actix_web::http::header::ALLOW, value);
            }
            response
        }
        _ => ApiError::NoRoute(req.path().to_owned()).error_response(),
    }
}

/// Every error answer that is not problem+json already (the docs service's bare 404 for
/// `/docs/../x`, actix-cors' plain-text 400 for a refused preflight, an error a middleware
/// returns) becomes one, keeping its status and headers; a short plain-text body becomes
/// the detail. What the h1 parser refuses before the app runs cannot be reached from here:
/// see "Known quirks" in docs/api-design.md.
pub async fn problem_bodies(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    // An error (rather than an error response) has lost its request: it becomes an
    // ApiError, whose response is the problem.
    let response = next.call(req).await.map_err(|error| {
        let status = error.as_response_error().status_code();
        match error.as_error::<ApiError>() {
            Some(_) => error,
            None if status.is_server_error() => ApiError::Internal(error.to_string()).into(),
            None => ApiError::Refused(status, error.to_string()).into(),
        }
    })?;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if response.status().as_u16() < 400 || is_problem {
        return Ok(response.map_into_left_body());
    }
    let (request, response) = response.into_parts();
    let converted = to_problem(&request, response).await;
    Ok(ServiceResponse::new(request, converted).map_into_right_body())
}

/// The problem+json version of an error response.
async fn to_problem<B: MessageBody>(
    request: &HttpRequest,
    response: HttpResponse<B>,
) -> HttpResponse {
    let status = response.status();
    let plain_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|value| value.as_bytes().starts_with(b"text/plain"))
        && !response.headers().contains_key(header::CONTENT_ENCODING);
    let (head, body) = response.into_parts();
    let text = if plain_text {
        crate::http::body::collect(body)
            .await
            .ok()
            .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty() && text.chars().count() <= 200)
    } else {
        None
    };
    let error = match (status, text) {
        (StatusCode::NOT_FOUND, None) => ApiError::NoRoute(request.path().to_owned()),
        (_, Some(text)) => ApiError::Refused(status, text),
        (_, None) => ApiError::Refused(
            status,
            status.canonical_reason().unwrap_or("refused").to_owned(),
        ),
    };
    let mut converted = error.error_response();
    // Its own headers (CORS, Allow, request id …) stay; the body's describe the new body.
    let mut own: Vec<header::HeaderName> = converted.headers().keys().cloned().collect();
    own.extend([
        header::CONTENT_LENGTH,
        header::CONTENT_ENCODING,
        header::TRANSFER_ENCODING,
    ]);
    for (name, value) in head.headers() {
        if !own.contains(name) {
            converted.headers_mut().append(name.clone(), value.clone());
        }
    }
    converted
}
