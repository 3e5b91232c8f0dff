//! The committed OpenAPI document is what the server serves; `UPDATE_OPENAPI=1 cargo
//! test` rewrites it after an intended change.

use serde_json::Value;

use crate::support::TestApp;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");

#[actix_rt::test]
async fn committed_spec_matches_the_served_spec() {
    let app = TestApp::empty().await;
    let served = app.get_json("/openapi.json").await;
    let generated: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    assert_eq!(served, generated, "the served spec is the generated one");
    let pretty = serde_json::to_string_pretty(&served).expect("pretty") + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(COMMITTED, &pretty).expect("write openapi/openapi.json");
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == pretty,
        "openapi/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test spec` and commit it"
    );
}

#[actix_rt::test]
async fn every_operation_is_documented_with_errors() {
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().expect("paths");
    for path in [
        "/api/v1/site",
        "/api/v1/menus",
        "/api/v1/menus/{key}",
        "/api/v1/categories",
        "/api/v1/categories/{slug}",
        "/api/v1/tags",
        "/api/v1/tags/{slug}",
        "/api/v1/articles",
        "/api/v1/articles/{slug_or_id}",
        "/api/v1/pages",
        "/api/v1/pages/{slug}",
        "/api/v1/magazine/issues",
        "/api/v1/magazine/issues/{id}",
        "/api/v1/archive",
        "/api/v1/readyz",
    ] {
        let operation = &paths.get(path).unwrap_or_else(|| panic!("{path} missing"))["get"];
        assert!(operation["operationId"].is_string(), "{path}");
        assert!(operation["summary"].is_string(), "{path} has a summary");
        let responses = operation["responses"].as_object().expect("responses");
        assert!(responses.contains_key("200"), "{path}");
        assert!(responses.contains_key("503"), "{path} documents 503");
        if path.contains('{') {
            assert!(responses.contains_key("404"), "{path} documents 404");
        }
        if operation["parameters"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["in"] == "query"))
        {
            assert!(responses.contains_key("400"), "{path} documents 400");
        }
    }
    assert!(spec["components"]["schemas"]["Problem"].is_object());
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                refs.push(reference.clone());
            }
            map.values().for_each(|v| collect_refs(v, refs));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

#[actix_rt::test]
async fn every_schema_reference_resolves() {
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    let mut refs = Vec::new();
    collect_refs(&spec, &mut refs);
    assert!(!refs.is_empty());
    for reference in refs {
        if let Some(name) = reference.strip_prefix("#/components/responses/") {
            assert!(
                spec["components"]["responses"][name].is_object(),
                "{reference} is not defined: add it to http::responses::Shared::ALL"
            );
            continue;
        }
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
        assert!(
            spec["components"]["schemas"][name].is_object(),
            "{reference} is not defined: register the type in ApiDoc's components"
        );
    }
}

#[actix_rt::test]
async fn docs_are_served_from_the_binary_without_external_assets() {
    let app = TestApp::empty().await;
    let no_redirects = awc::Client::builder().max_redirects(0).finish();
    let redirect = no_redirects
        .get(app.server.url("/docs"))
        .send()
        .await
        .expect("request sent");
    assert_eq!(redirect.status(), 308);
    assert_eq!(
        redirect
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/docs/")
    );
    let page = app.get("/docs/").await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("swagger-ui-bundle.js"), "{html}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external asset: {html}"
    );
    let script = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(script.status, 200);
    assert!(
        script.body.len() > 100_000,
        "the bundle is served from the binary"
    );
    let initializer = app.get("/docs/swagger-initializer.js").await.text();
    assert!(initializer.contains("/openapi.json"), "{initializer}");
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// utoipa keeps one of two schemas with the same name without a word; every schema type
/// must also reach the document (a type named only in `value_type` must be registered).
#[actix_rt::test]
async fn schema_names_are_unique_and_all_in_the_spec() {
    let mut files = Vec::new();
    rust_files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut names: Vec<String> = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("read source");
        let mut derives_schema = false;
        for line in source.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                derives_schema = true;
            } else if derives_schema
                && (line.starts_with("pub struct ") || line.starts_with("pub enum "))
            {
                let name = line.split_whitespace().nth(2).unwrap_or_default();
                let end = name.find(['{', '(', ';', '<']).unwrap_or(name.len());
                names.push(name[..end].to_owned());
                derives_schema = false;
            }
        }
    }
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        names.len(),
        "duplicate schema names in {names:?}"
    );
    assert!(names.len() > 20, "found {names:?}");
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    for name in names {
        assert!(
            spec["components"]["schemas"][&name].is_object(),
            "{name} is not in the spec"
        );
    }
}

/// OpenAPI forbids two paths that differ only in parameter names (`/a/{id}`, `/a/{slug}`).
#[actix_rt::test]
async fn no_two_paths_differ_only_in_parameter_names() {
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    let mut shapes: Vec<String> = spec["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(|path| {
            path.split('/')
                .map(|s| if s.starts_with('{') { "{}" } else { s })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    let count = shapes.len();
    shapes.sort();
    shapes.dedup();
    assert_eq!(shapes.len(), count, "{shapes:?}");
}

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// Every operation as (method, path, operation).
fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                all.push((method.to_owned(), path.clone(), operation.clone()));
            }
        }
    }
    assert!(all.len() > 50, "{} operations", all.len());
    all
}

/// A response, through its `$ref` if it has one.
fn resolve<'a>(spec: &'a Value, response: &'a Value) -> &'a Value {
    match response["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/responses/");
            &spec["components"]["responses"][name]
        }
        None => response,
    }
}

#[actix_rt::test]
async fn every_operation_has_a_description_and_declared_security() {
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    let schemes = spec["components"]["securitySchemes"]
        .as_object()
        .expect("securitySchemes");
    assert!(schemes.contains_key("bearer") && schemes.contains_key("integration_token"));
    for (method, path, operation) in operations(&spec) {
        let name = format!("{method} {path}");
        for field in ["operationId", "summary", "description", "tags"] {
            assert!(
                operation[field].as_str().is_some_and(|s| !s.is_empty())
                    || operation[field].is_array(),
                "{name} has no {field}: a doc comment needs a summary line and a paragraph"
            );
        }
        let security = operation["security"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} declares no security: `security(())` if public"));
        let has = |scheme: &str| security.iter().any(|s| s.get(scheme).is_some());
        // Public operations show no lock; editors' accept both kinds of token.
        assert_eq!(
            has("bearer"),
            has("integration_token"),
            "{name} lists both token schemes or neither"
        );
        if !security.is_empty() {
            assert!(has("bearer"), "{name}: {security:?}");
        }
        let responses = operation["responses"].as_object().expect("responses");
        if security
            .iter()
            .any(|s| s.as_object().is_some_and(|o| !o.is_empty()))
        {
            assert!(responses.contains_key("401"), "{name} documents 401");
        }
        if path != "/api/v1/healthz" {
            assert!(
                responses.contains_key("503"),
                "{name} touches the database: 503"
            );
        }
    }
}

#[actix_rt::test]
async fn every_get_declares_its_caching() {
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    for (method, path, operation) in operations(&spec) {
        if method != "get" {
            continue;
        }
        let parameters = operation["parameters"].as_array().expect("parameters");
        assert!(
            parameters
                .iter()
                .any(|p| p["name"] == "If-None-Match" && p["in"] == "header"),
            "{path}: If-None-Match"
        );
        let ok = &operation["responses"]["200"]["headers"];
        for header in ["ETag", "Cache-Control", "x-request-id"] {
            assert!(ok[header].is_object(), "{path}: 200 declares {header}");
        }
        let not_modified = resolve(&spec, &operation["responses"]["304"]);
        assert!(not_modified["headers"]["ETag"].is_object(), "{path}: 304");
        assert!(
            not_modified.get("content").is_none(),
            "{path}: 304 has no body"
        );
    }
}

#[actix_rt::test]
async fn every_response_declares_its_headers_and_every_problem_an_example() {
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    let mut examples_by_status: std::collections::BTreeMap<String, Value> = Default::default();
    for (method, path, operation) in operations(&spec) {
        for (status, response) in operation["responses"].as_object().expect("responses") {
            let name = format!("{method} {path} {status}");
            let response = resolve(&spec, response);
            let headers = &response["headers"];
            assert!(response["description"].is_string(), "{name}");
            assert!(headers["x-request-id"].is_object(), "{name}: x-request-id");
            if status == "503" || status == "429" {
                assert!(headers["Retry-After"].is_object(), "{name}: Retry-After");
            }
            if status == "301" {
                assert!(headers["Location"].is_object(), "{name}: Location");
            }
            // Integration tokens have no URL of their own, and a preview link's URL is
            // its body: those 201s have no Location.
            if status == "201" && path != "/api/v1/tokens" && !path.ends_with("/preview-link") {
                for header in ["Location", "ETag"] {
                    assert!(headers[header].is_object(), "{name}: {header}");
                }
            }
            if status.starts_with('4') || status.starts_with('5') {
                let problem = &response["content"]["application/problem+json"];
                assert_eq!(
                    problem["schema"]["$ref"], "#/components/schemas/Problem",
                    "{name}"
                );
                let example = &problem["example"];
                assert_eq!(
                    example["status"].as_u64().map(|s| s.to_string()).as_deref(),
                    Some(status.as_str()),
                    "{name}: an example of its own status"
                );
                for field in ["type", "title", "status", "detail", "code", "errors"] {
                    assert!(example.get(field).is_some(), "{name}: example has {field}");
                }
                examples_by_status.insert(status.clone(), example.clone());
            }
        }
    }
    let statuses: Vec<&String> = examples_by_status.keys().collect();
    for status in [
        "400", "401", "403", "404", "409", "412", "413", "422", "429", "503",
    ] {
        assert!(
            examples_by_status.contains_key(status),
            "{status} in {statuses:?}"
        );
    }
    assert!(examples_by_status["422"]["errors"]
        .as_array()
        .is_some_and(|e| !e.is_empty()));
}

#[actix_rt::test]
async fn problem_codes_are_a_closed_set_and_errors_is_always_there() {
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    let problem = &spec["components"]["schemas"]["Problem"];
    let required: Vec<&str> = problem["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for field in ["type", "title", "status", "detail", "code", "errors"] {
        assert!(required.contains(&field), "Problem.{field} is required");
    }
    let codes = spec["components"]["schemas"]["ProblemCode"]["enum"]
        .as_array()
        .expect("ProblemCode is an enum");
    assert!(
        codes.contains(&Value::from("invalid_parameter")),
        "{codes:?}"
    );
    assert_eq!(codes.len(), 22);
    let app = TestApp::empty().await;
    let problem = app.get_problem("/api/v1/articles/nope", 404).await;
    assert!(problem["errors"].is_null(), "{problem}");
    assert!(
        problem.get("errors").is_some(),
        "sent as null, never missing: {problem}"
    );
}

/// The schemas a successful response can contain, by name, following every `$ref`.
fn response_schemas(spec: &Value) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    let mut pending = Vec::new();
    for (_, _, operation) in operations(spec) {
        for (status, response) in operation["responses"].as_object().expect("responses") {
            if status.starts_with('2') {
                collect_refs(&response["content"], &mut pending);
            }
        }
    }
    while let Some(reference) = pending.pop() {
        let name = reference
            .trim_start_matches("#/components/schemas/")
            .to_owned();
        if names.insert(name.clone()) {
            collect_refs(&spec["components"]["schemas"][&name], &mut pending);
        }
    }
    names
}

/// Objects inside a schema (the schema itself, `allOf` parts, inline items and properties).
fn objects<'a>(schema: &'a Value, out: &mut Vec<&'a Value>) {
    if schema["properties"].is_object() {
        out.push(schema);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for part in schema[key].as_array().into_iter().flatten() {
            objects(part, out);
        }
    }
    for property in schema["properties"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        objects(property, out);
    }
    objects_in_items(schema, out);
}

fn objects_in_items<'a>(schema: &'a Value, out: &mut Vec<&'a Value>) {
    if let Some(items) = schema.get("items") {
        objects(items, out);
    }
}

/// Every field a response has is always sent (absent optional values are null, never
/// missing), so every property of a response schema is required; nullable ones say so.
#[actix_rt::test]
async fn every_response_field_is_required() {
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    let names = response_schemas(&spec);
    assert!(
        names.contains("Article") && names.contains("MenuItem"),
        "{names:?}"
    );
    for name in &names {
        let mut found = Vec::new();
        objects(&spec["components"]["schemas"][name], &mut found);
        for object in found {
            let required: Vec<&str> = object["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for property in object["properties"].as_object().expect("properties").keys() {
                assert!(
                    required.contains(&property.as_str()),
                    "{name}.{property} is always sent: mark it `#[schema(required = true)]`"
                );
            }
        }
    }
    let article = &spec["components"]["schemas"]["Article"]["properties"];
    assert_eq!(
        article["status"]["$ref"],
        "#/components/schemas/ArticleStatus"
    );
    for (schema, field) in [("Page", "status"), ("MagazineIssue", "status")] {
        assert_eq!(
            spec["components"]["schemas"][schema]["properties"][field]["$ref"],
            "#/components/schemas/PublicationStatus"
        );
    }
}

/// A request the parameter schemas accept is one the server accepts, but for the rules
/// the operation's description states: strings cannot be empty, numbers have bounds.
#[actix_rt::test]
async fn every_query_parameter_is_constrained() {
    let spec: Value = serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON");
    let mut seen = 0;
    for (method, path, operation) in operations(&spec) {
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] != "query" {
                continue;
            }
            seen += 1;
            let name = format!("{method} {path} ?{}", parameter["name"]);
            assert!(
                parameter["description"].is_string(),
                "{name}: a description"
            );
            let schema = &parameter["schema"];
            let types = schema["type"].to_string();
            if schema["$ref"].is_string() || schema["enum"].is_array() {
                continue;
            }
            if types.contains("integer") {
                assert!(
                    schema["minimum"].is_number() && schema["maximum"].is_number(),
                    "{name}: {schema}"
                );
            } else if types.contains("string") {
                assert!(
                    schema["minLength"].as_u64() >= Some(1),
                    "{name}: minLength: {schema}"
                );
                assert!(
                    schema["maxLength"].is_number(),
                    "{name}: maxLength: {schema}"
                );
                assert!(
                    schema["pattern"].is_string(),
                    "{name}: blank is refused: {schema}"
                );
            } else {
                panic!("{name}: {schema}");
            }
        }
    }
    assert!(seen >= 13, "{seen} query parameters");
}

/// A request schema as a document of its own: the component `name`, with every component
/// under `$defs`.
fn request_validator(spec: &Value, name: &str) -> jsonschema::Validator {
    let defs = serde_json::to_string(&spec["components"]["schemas"])
        .expect("schemas")
        .replace("#/components/schemas/", "#/$defs/");
    let document = serde_json::json!({
        "$defs": serde_json::from_str::<Value>(&defs).expect("schemas"),
        "$ref": format!("#/$defs/{name}"),
    });
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&document)
        .unwrap_or_else(|error| panic!("{name} does not compile: {error}"))
}

#[actix_rt::test]
async fn the_menu_item_link_rule_is_in_the_request_schema_as_in_the_server() {
    use masthead::auth::Role;
    use serde_json::json;

    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let category = app.category("news", "新闻", None);
    app.menu("header", &[]);
    let spec = app.get_json("/openapi.json").await;
    let new_item = request_validator(&spec, "NewMenuItem");
    for (body, accepted) in [
        (
            json!({"label": "返回首页", "kind": "url", "url": "/"}),
            true,
        ),
        (json!({"label": "返回首页", "kind": "url"}), false),
        (
            json!({"label": "返回首页", "kind": "url", "url": null}),
            false,
        ),
        (
            json!({"label": "新闻动态", "kind": "category", "target_id": category}),
            true,
        ),
        (json!({"label": "新闻动态", "kind": "category"}), false),
        (
            json!({"label": "新闻动态", "kind": "category", "url": "/news"}),
            false,
        ),
        (json!({"label": "栏目", "kind": "group"}), true),
    ] {
        assert_eq!(new_item.is_valid(&body), accepted, "schema on {body}");
        let response = app
            .send(
                "POST",
                "/api/v1/menus/header/items",
                Some(&admin),
                Some(&body),
                &[],
            )
            .await;
        let expected = if accepted { 201 } else { 422 };
        assert_eq!(
            response.status,
            expected,
            "server on {body}: {}",
            response.text()
        );
    }
    let tree_item = request_validator(&spec, "MenuTreeItem");
    assert!(!tree_item.is_valid(&json!({"label": "返回首页", "kind": "url"})));
    assert!(tree_item.is_valid(&json!({"label": "返回首页", "kind": "url", "url": "/"})));
}
