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
