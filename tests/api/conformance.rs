//! Every response the test client gets from an operation in the OpenAPI document is
//! checked against that operation's documented response, strictly: an object schema that
//! does not declare `additionalProperties` allows no property it does not list. So every
//! test also tests the document, and a field sent but not documented (or documented as
//! always sent but missing, or of another type), or an undocumented status, fails
//! whichever test saw it.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::{Map, Value};

/// The methods the document lists operations for (HEAD answers as GET does, bodiless).
const CHECKED_METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

const SCHEMAS: &str = "#/components/schemas/";
const RESPONSES: &str = "#/components/responses/";
/// Where the component schemas go in each compiled schema, for `$ref`s to resolve.
const DEFS: &str = "#/$defs/";

static SPEC: LazyLock<Spec> = LazyLock::new(|| {
    let document =
        serde_json::to_value(masthead::openapi::spec()).expect("the OpenAPI document as JSON");
    Spec::compile(&document)
});

/// Compiles the validators now, while a test sets up, rather than inside the first
/// request a test may be timing.
pub fn prepare() {
    LazyLock::force(&SPEC);
}

/// Checks one response; panics naming the request, the JSON pointer of each offending value
/// and why. Paths the document does not list (`/healthz`, `/docs`) pass
/// unchecked, and so do redirects and 304s, which have no body to check, and bodies that
/// are not JSON (a stored picture) past their status and content type.
pub fn check(method: &str, path: &str, status: u16, content_type: Option<&str>, body: &[u8]) {
    let method = method.to_ascii_lowercase();
    if !CHECKED_METHODS.contains(&method.as_str()) || (300..400).contains(&status) {
        return;
    }
    let Some(operation) = SPEC.find(&method, path) else {
        return;
    };
    let request = format!("{} {path}", method.to_ascii_uppercase());
    let operation_name = format!("{} {}", method.to_ascii_uppercase(), operation.template);
    let Some(documented) = operation.response(status) else {
        panic!(
            "{request}: status {status} is not documented for {operation_name}: {}",
            shortened(&String::from_utf8_lossy(body))
        );
    };
    let media_type = content_type
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if documented.is_empty() {
        assert!(
            body.is_empty(),
            "{request}: {operation_name} documents its {status} without a body, but it had one ({media_type})"
        );
        return;
    }
    let Some(validator) = documented.get(&media_type) else {
        let mut listed: Vec<&str> = documented.keys().map(String::as_str).collect();
        listed.sort_unstable();
        panic!(
            "{request}: content type {media_type:?} of the {status} is not documented for {operation_name} (documented: {})",
            listed.join(", ")
        );
    };
    let Some(validator) = validator else {
        return;
    };
    let instance: Value = serde_json::from_slice(body).unwrap_or_else(|error| {
        panic!(
            "{request}: the {status} body is not JSON ({error}): {}",
            shortened(&String::from_utf8_lossy(body))
        )
    });
    let mut problems = Vec::new();
    for error in validator.iter_errors(&instance) {
        describe(&error, 1, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "{request}: the {status} response breaks its schema ({operation_name}, {media_type}):\n{}\nbody: {}",
        problems.join("\n"),
        shortened(&instance.to_string())
    );
}

/// One line per error, with the errors of each alternative of a failed `oneOf`/`anyOf`
/// under it: "not valid under any of the schemas" alone does not say what to fix.
fn describe(error: &ValidationError<'_>, depth: usize, lines: &mut Vec<String>) {
    let pointer = match error.instance_path().as_str() {
        "" => "(root)".to_owned(),
        pointer => pointer.to_owned(),
    };
    lines.push(format!(
        "{}at {pointer}: {}",
        "  ".repeat(depth),
        shortened(&error.to_string())
    ));
    if let ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } =
        error.kind()
    {
        for (index, branch) in context.iter().enumerate() {
            lines.push(format!("{}alternative {index}:", "  ".repeat(depth + 1)));
            for error in branch {
                describe(error, depth + 2, lines);
            }
        }
    }
}

fn shortened(text: &str) -> String {
    const LIMIT: usize = 600;
    match text.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

struct Spec {
    operations: Vec<Operation>,
}

struct Operation {
    method: String,
    template: String,
    /// The template's segments; `None` for a parameter.
    segments: Vec<Option<String>>,
    /// Status (or `default`, `2XX`…) → media type → the compiled schema, if one is given.
    responses: HashMap<String, Documented>,
}

type Documented = HashMap<String, Option<Arc<Validator>>>;

impl Spec {
    /// Compiles every documented response schema of the checked methods once; responses
    /// that share a schema (the shared problem responses) share its validator.
    fn compile(document: &Value) -> Self {
        let schemas = document["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let defs: Map<String, Value> = schemas
            .iter()
            .map(|(name, schema)| (name.clone(), strict(schema, &schemas)))
            .collect();
        let mut compiled: HashMap<String, Arc<Validator>> = HashMap::new();
        let mut operations = Vec::new();
        let paths = document["paths"].as_object().expect("paths");
        for (template, item) in paths {
            for method in CHECKED_METHODS {
                let Some(operation) = item.get(*method) else {
                    continue;
                };
                let mut responses = HashMap::new();
                let listed = operation["responses"].as_object().expect("responses");
                for (status, response) in listed {
                    let response = resolve_response(document, response);
                    let mut documented = Documented::new();
                    for (media_type, content) in
                        response["content"].as_object().into_iter().flatten()
                    {
                        // A picture's bytes are what they are: only JSON bodies are checked.
                        let json = media_type.ends_with("json");
                        let validator = content.get("schema").filter(|_| json).map(|schema| {
                            let schema = with_defs(strict(schema, &schemas), &defs);
                            let key = schema.to_string();
                            compiled
                                .entry(key)
                                .or_insert_with(|| Arc::new(build(&schema, template, status)))
                                .clone()
                        });
                        documented.insert(media_type.to_ascii_lowercase(), validator);
                    }
                    responses.insert(status.clone(), documented);
                }
                operations.push(Operation {
                    method: (*method).to_owned(),
                    template: template.clone(),
                    segments: template
                        .split('/')
                        .map(|segment| {
                            (!(segment.starts_with('{') && segment.ends_with('}')))
                                .then(|| segment.to_owned())
                        })
                        .collect(),
                    responses,
                });
            }
        }
        Self { operations }
    }

    /// The operation whose template matches `path`; a literal segment beats a parameter,
    /// as in the router.
    fn find(&self, method: &str, path: &str) -> Option<&Operation> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').collect();
        self.operations
            .iter()
            .filter(|operation| operation.method == method && operation.matches(&segments))
            .max_by_key(|operation| operation.segments.iter().flatten().count())
    }
}

impl Operation {
    fn matches(&self, segments: &[&str]) -> bool {
        self.segments.len() == segments.len()
            && self
                .segments
                .iter()
                .zip(segments)
                .all(|(template, segment)| match template {
                    Some(literal) => literal == segment,
                    None => !segment.is_empty(),
                })
    }

    fn response(&self, status: u16) -> Option<&Documented> {
        let range = format!("{}XX", status / 100);
        [status.to_string(), range, "default".to_owned()]
            .iter()
            .find_map(|key| self.responses.get(key))
    }
}

fn resolve_response<'a>(document: &'a Value, response: &'a Value) -> &'a Value {
    match response["$ref"].as_str() {
        Some(reference) => {
            let name = reference
                .strip_prefix(RESPONSES)
                .unwrap_or_else(|| panic!("unexpected response reference {reference}"));
            &document["components"]["responses"][name]
        }
        None => response,
    }
}

fn build(schema: &Value, template: &str, status: &str) -> Validator {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        // `date-time` and `date` are checked too; OpenAPI's own formats (`int64`…) are
        // not JSON Schema's and are ignored.
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| {
            panic!("the schema of {template} {status} does not compile: {error}")
        })
}

/// The schema as a document of its own: the (strict) component schemas it reaches under
/// `$defs`, and only those, which keeps compiling cheap.
fn with_defs(schema: Value, defs: &Map<String, Value>) -> Value {
    let mut reached = Map::new();
    let mut pending = Vec::new();
    references(&schema, &mut pending);
    while let Some(name) = pending.pop() {
        if reached.contains_key(&name) {
            continue;
        }
        let def = defs
            .get(&name)
            .unwrap_or_else(|| panic!("no component schema {name}"));
        references(def, &mut pending);
        reached.insert(name, def.clone());
    }
    let mut root = match schema {
        Value::Object(map) => map,
        other => Map::from_iter([("allOf".to_owned(), Value::Array(vec![other]))]),
    };
    root.insert("$defs".to_owned(), Value::Object(reached));
    Value::Object(root)
}

/// The names of the component schemas `schema` refers to (already pointed at `$defs`).
fn references(schema: &Value, names: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix(DEFS))
            {
                names.push(name.to_owned());
            }
            map.values().for_each(|value| references(value, names));
        }
        Value::Array(items) => items.iter().for_each(|value| references(value, names)),
        _ => {}
    }
}

/// The schema with `additionalProperties: false` on every object schema that does not
/// declare it, `allOf`s of objects merged into one object (each part alone would reject
/// the others' properties), and references pointed at `$defs`.
fn strict(schema: &Value, schemas: &Map<String, Value>) -> Value {
    let Value::Object(node) = schema else {
        return schema.clone();
    };
    let mut node = match merged_all_of(node, schemas) {
        Some(merged) => merged,
        None => node.clone(),
    };
    if let Some(Value::String(reference)) = node.get_mut("$ref") {
        if let Some(name) = reference.strip_prefix(SCHEMAS) {
            *reference = format!("{DEFS}{name}");
        }
    }
    for key in [
        "items",
        "not",
        "additionalProperties",
        "unevaluatedProperties",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
    ] {
        if let Some(sub) = node.get_mut(key) {
            *sub = strict(sub, schemas);
        }
    }
    for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
        if let Some(Value::Array(subs)) = node.get_mut(key) {
            for sub in subs {
                *sub = strict(sub, schemas);
            }
        }
    }
    for key in [
        "properties",
        "patternProperties",
        "$defs",
        "dependentSchemas",
    ] {
        if let Some(Value::Object(subs)) = node.get_mut(key) {
            for sub in subs.values_mut() {
                *sub = strict(sub, schemas);
            }
        }
    }
    let is_object = node.contains_key("properties")
        || match node.get("type") {
            Some(Value::String(kind)) => kind == "object",
            Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "object"),
            _ => false,
        };
    if is_object
        && !node.contains_key("additionalProperties")
        && !node.contains_key("unevaluatedProperties")
    {
        node.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    Value::Object(node)
}

/// `allOf: [A, B]` of object schemas as one object schema with the properties and
/// required lists of all; `None` when a part is not a plain object schema.
fn merged_all_of(
    node: &Map<String, Value>,
    schemas: &Map<String, Value>,
) -> Option<Map<String, Value>> {
    let Some(Value::Array(parts)) = node.get("allOf") else {
        return None;
    };
    let mut merged = node.clone();
    merged.remove("allOf");
    let mut properties = merged
        .remove("properties")
        .and_then(|p| p.as_object().cloned())
        .unwrap_or_default();
    let mut required: Vec<Value> = merged
        .remove("required")
        .and_then(|r| r.as_array().cloned())
        .unwrap_or_default();
    for part in parts {
        let part = match part["$ref"].as_str() {
            Some(reference) => schemas.get(reference.strip_prefix(SCHEMAS)?)?,
            None => part,
        };
        let part = part.as_object()?;
        let part = merged_all_of(part, schemas).unwrap_or_else(|| part.clone());
        let plain = part.keys().all(|key| {
            matches!(
                key.as_str(),
                "type" | "properties" | "required" | "description" | "title" | "example"
            )
        });
        if !plain || part.get("type").is_some_and(|kind| kind != "object") {
            return None;
        }
        for (name, schema) in part
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            properties.insert(name.clone(), schema.clone());
        }
        for name in part
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
    }
    merged.insert("type".to_owned(), Value::String("object".to_owned()));
    merged.insert("properties".to_owned(), Value::Object(properties));
    merged.insert("required".to_owned(), Value::Array(required));
    Some(merged)
}

/// The check itself: it passes what the document shows and fails, precisely, on what
/// breaks it.
mod tests {
    use serde_json::{json, Value};

    use super::check;

    fn document() -> Value {
        serde_json::to_value(masthead::openapi::spec()).expect("spec as JSON")
    }

    fn example_of(schema: &str) -> Value {
        let example = document()["components"]["schemas"][schema]["example"].clone();
        assert!(example.is_object(), "{schema} has an example");
        example
    }

    /// The check's panic message for a 200 JSON `body` to `GET path`.
    fn failure(path: &str, body: &Value) -> String {
        let bytes = body.to_string().into_bytes();
        let payload = std::panic::catch_unwind(|| {
            check("GET", path, 200, Some("application/json"), &bytes);
        })
        .expect_err("the check passed");
        payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn the_documented_examples_of_every_read_pass() {
        let document = document();
        let mut checked = 0;
        for (template, item) in document["paths"].as_object().expect("paths") {
            let Some(operation) = item.get("get") else {
                continue;
            };
            let path = template
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        "x"
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let response = super::resolve_response(&document, response);
                for (media_type, content) in response["content"].as_object().into_iter().flatten() {
                    let example = match &content["example"] {
                        Value::Null => content["schema"]["$ref"]
                            .as_str()
                            .and_then(|reference| reference.strip_prefix(super::SCHEMAS))
                            .map(|name| document["components"]["schemas"][name]["example"].clone())
                            .unwrap_or_default(),
                        example => example.clone(),
                    };
                    if example.is_null() {
                        continue;
                    }
                    let status: u16 = status.parse().expect("a numeric status");
                    let body = example.to_string().into_bytes();
                    check("GET", &path, status, Some(media_type), &body);
                    checked += 1;
                }
            }
        }
        assert!(checked >= 20, "only {checked} examples");
    }

    #[test]
    fn an_undocumented_field_fails_naming_it() {
        let mut tag = example_of("Tag");
        tag["internal_note"] = json!("not for clients");
        let message = failure("/api/v1/tags/humiao?x=1", &tag);
        assert!(message.contains("GET /api/v1/tags/humiao?x=1"), "{message}");
        assert!(
            message.contains(
                "at (root): Additional properties are not allowed ('internal_note' was unexpected)"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_missing_required_field_fails() {
        let mut tag = example_of("Tag");
        tag.as_object_mut().expect("object").remove("version");
        let message = failure("/api/v1/tags/humiao", &tag);
        assert!(
            message.contains("at (root): \"version\" is a required property"),
            "{message}"
        );
    }

    #[test]
    fn a_null_or_mistyped_value_fails_at_its_pointer() {
        let mut list = json!({"data": [example_of("Tag")]});
        list["data"][0]["name"] = Value::Null;
        list["data"][0]["article_count"] = json!("1");
        let message = failure("/api/v1/tags", &list);
        assert!(
            message.contains("at /data/0/name: null is not of type \"string\""),
            "{message}"
        );
        assert!(
            message.contains("at /data/0/article_count: \"1\" is not of type \"integer\""),
            "{message}"
        );
    }

    #[test]
    fn a_nested_undocumented_field_fails_inside_a_nullable_reference() {
        let mut article = example_of("Article");
        article["category"]["colour"] = json!("red");
        let message = failure("/api/v1/articles/some-slug", &article);
        assert!(message.contains("at /category:"), "{message}");
        assert!(message.contains("'colour' was unexpected"), "{message}");
    }

    #[test]
    fn a_timestamp_without_its_offset_fails() {
        let mut article = example_of("Article");
        article["published_at"] = json!("2021-11-16T10:00:00");
        let message = failure("/api/v1/articles/42", &article);
        assert!(message.contains("at /published_at:"), "{message}");
        assert!(message.contains("date-time"), "{message}");
    }

    #[test]
    fn a_write_is_checked_too() {
        let bytes = br#"{"id": 1}"#;
        let payload = std::panic::catch_unwind(|| {
            check("POST", "/api/v1/tags", 201, Some("application/json"), bytes);
        })
        .expect_err("the check passed");
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(
            message.contains("POST /api/v1/tags: the 201 response breaks its schema"),
            "{message}"
        );
        assert!(
            message.contains("\"slug\" is a required property"),
            "{message}"
        );
    }

    #[test]
    fn an_undocumented_status_fails() {
        let payload = std::panic::catch_unwind(|| {
            check(
                "GET",
                "/api/v1/healthz",
                418,
                Some("application/problem+json"),
                b"{}",
            );
        })
        .expect_err("the check passed");
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(
            message.contains("status 418 is not documented"),
            "{message}"
        );
    }

    #[test]
    fn paths_outside_the_document_are_not_checked() {
        for path in ["/media/2021/11/a.jpg", "/healthz", "/docs/", "/api/v2/tags"] {
            check(
                "GET",
                path,
                200,
                Some("application/json"),
                br#"{"any": "thing"}"#,
            );
        }
        // Nor are redirects and 304s (no body), nor HEADs.
        check("GET", "/api/v1/articles/old", 301, None, b"");
        check("GET", "/api/v1/tags", 304, None, b"");
        check("HEAD", "/api/v1/tags", 200, Some("application/json"), b"");
    }
}
