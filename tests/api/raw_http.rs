//! What a client that speaks HTTP badly or slowly gets: a bounded wait and a problem+json
//! answer, tested over raw TCP since a proper client cannot misbehave.

use std::time::Duration;

use crate::support::TestApp;

const QUICK: Duration = Duration::from_millis(10);

#[actix_rt::test]
async fn a_body_that_stalls_is_408_problem_within_the_body_timeout() {
    let app = TestApp::with_body_timeout(Duration::from_millis(700)).await;
    let head = b"POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
    // Announces 100 bytes, sends 5, then stops.
    let stalled = app.raw(&[head, b"{\"ema"], QUICK, Duration::from_secs(10));
    stalled.assert_problem(408, "stalled body");
    assert!(
        stalled.elapsed < Duration::from_secs(5),
        "answered after {:?}",
        stalled.elapsed
    );
    // One byte now and then never finishes either.
    let trickle: Vec<&[u8]> = std::iter::once(&head[..])
        .chain(std::iter::repeat_n(&b"a"[..], 8))
        .collect();
    let slow = app.raw(
        &trickle,
        Duration::from_millis(200),
        Duration::from_secs(10),
    );
    slow.assert_problem(408, "trickled body");
}

#[actix_rt::test]
async fn a_body_sent_in_time_is_read_as_usual() {
    let app = TestApp::with_body_timeout(Duration::from_millis(2_000)).await;
    let body = br#"{"email":"nobody@example.com","password":"wrong"}"#;
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let response = app.raw(
        &[head.as_bytes(), &body[..10], &body[10..]],
        Duration::from_millis(100),
        Duration::from_secs(10),
    );
    response.assert_problem(401, "slow but in time");
}

/// A big body on a slow line (a picture from a phone) takes longer than the body timeout
/// and still arrives: each 16 KiB that arrives earns a second.
#[actix_rt::test]
async fn a_long_body_that_keeps_coming_outlasts_the_body_timeout() {
    let app = TestApp::with_body_timeout(Duration::from_millis(700)).await;
    let padding = " ".repeat(64 * 1024);
    let body = format!(r#"{{"email":"nobody@example.com","password":"wrong"{padding}}}"#);
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let chunks: Vec<&[u8]> = std::iter::once(head.as_bytes())
        .chain(body.as_bytes().chunks(16 * 1024))
        .collect();
    // Five parts 400 ms apart: 2 s in all, three times the body timeout.
    assert_eq!(chunks.len(), 6);
    let response = app.raw(&chunks, Duration::from_millis(400), Duration::from_secs(20));
    response.assert_problem(401, "a slow but steady body");
}

#[actix_rt::test]
async fn refusals_made_by_the_framework_are_problem_json() {
    let app = TestApp::empty().await;
    let wait = Duration::from_secs(10);
    let cases: Vec<(&str, &[u8], u16)> = vec![
        (
            "a path with .. under /docs/",
            b"GET /docs/../openapi.json HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
            404,
        ),
        (
            "an encoded .. under /docs/",
            b"GET /docs/%2e%2e/openapi.json HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
            404,
        ),
        (
            "a missing docs asset",
            b"GET /docs/nope.js HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
            404,
        ),
        (
            "a CORS preflight for a method the API does not have",
            b"OPTIONS /api/v1/site HTTP/1.1\r\nhost: x\r\norigin: http://a.example\r\naccess-control-request-method: FOO\r\nconnection: close\r\n\r\n",
            400,
        ),
        (
            "an invalid chunk",
            b"POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            400,
        ),
    ];
    for (what, request, status) in cases {
        let response = app.raw(&[request], QUICK, wait);
        let problem = response.assert_problem(status, what);
        assert!(problem["code"].is_string(), "{what}: {problem}");
        assert!(
            response.header("x-request-id").is_some(),
            "{what}: still logged with an id: {}",
            response.head
        );
    }
    let preflight = app.raw(
        &[b"OPTIONS /api/v1/site HTTP/1.1\r\nhost: x\r\norigin: http://a.example\r\naccess-control-request-method: FOO\r\nconnection: close\r\n\r\n"],
        QUICK,
        wait,
    );
    assert!(
        preflight.body.contains("Requested method is not allowed"),
        "the framework's own words are the detail: {}",
        preflight.body
    );
}

/// The h1 parser refuses these before the application runs: actix-http writes a fixed
/// status with an empty body and closes (documented under "Known quirks"). They are at
/// least quick, 4xx and final.
#[actix_rt::test]
async fn refusals_made_by_the_http_parser_are_quick_4xx_and_close() {
    let app = TestApp::empty().await;
    let long_url = format!(
        "GET /api/v1/{} HTTP/1.1\r\nhost: x\r\n\r\n",
        "a".repeat(300_000)
    );
    let long_header = format!(
        "GET /api/v1/site HTTP/1.1\r\nhost: x\r\nx-big: {}\r\n\r\n",
        "a".repeat(300_000)
    );
    let cases: Vec<(&str, &[u8], u16)> = vec![
        ("an oversize URL", long_url.as_bytes(), 431),
        ("oversize headers", long_header.as_bytes(), 431),
        (
            "Content-Length with Transfer-Encoding",
            b"POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            400,
        ),
        (
            "a raw non-ASCII path",
            "GET /api/v1/tags/护苗 HTTP/1.1\r\nhost: x\r\n\r\n".as_bytes(),
            400,
        ),
        (
            "a bad Content-Length",
            b"POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n",
            400,
        ),
        ("not HTTP", b"HELLO\r\n\r\n", 400),
    ];
    for (what, request, status) in cases {
        let response = app.raw(&[request], QUICK, Duration::from_secs(10));
        assert_eq!(response.status, status, "{what}: {}", response.head);
        assert_eq!(response.header("connection"), Some("close"), "{what}");
        assert!(response.elapsed < Duration::from_secs(5), "{what}");
    }
}
