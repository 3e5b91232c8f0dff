use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use masthead::auth::Role;
use serde_json::{json, Value};

use crate::support::{TestApp, KID, PASSWORD, SECRET};

fn b64(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

/// Claims like the server's for `user_id` in `session`, with `changes` applied.
fn claims(user_id: i64, session: &str, changes: Value) -> Value {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "sub": user_id.to_string(), "role": "admin", "sid": session,
        "iat": now, "exp": now + 600, "iss": "masthead", "aud": "masthead-api", "jti": "x"
    });
    if let (Some(claims), Some(changes)) = (claims.as_object_mut(), changes.as_object()) {
        for (key, value) in changes {
            claims.insert(key.clone(), value.clone());
        }
    }
    claims
}

fn sign(claims: &Value, kid: Option<&str>, secret: &str) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid.map(str::to_owned);
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

async fn me(app: &TestApp, token: &str) -> u16 {
    app.send("GET", "/api/v1/auth/me", Some(token), None, &[])
        .await
        .status
        .as_u16()
}

#[actix_rt::test]
async fn login_me_and_wrong_credentials() {
    let app = TestApp::empty().await;
    app.user("editor@example.com", Role::Editor);
    let tokens = app.login("EDITOR@example.com").await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert_eq!(tokens["user"]["role"], "editor");
    assert!(tokens["user"].get("password_hash").is_none());
    let access = tokens["access_token"].as_str().expect("token");
    let me = app
        .send("GET", "/api/v1/auth/me", Some(access), None, &[])
        .await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["email"], "editor@example.com");

    for body in [
        json!({"email": "editor@example.com", "password": "wrong password"}),
        json!({"email": "nobody@example.com", "password": PASSWORD}),
    ] {
        let response = app
            .send("POST", "/api/v1/auth/login", None, Some(&body), &[])
            .await;
        assert_eq!(response.status, 401, "{body}");
        assert_eq!(
            response.json()["detail"],
            "the email or the password is wrong"
        );
        assert_eq!(
            response.header("www-authenticate").as_deref(),
            Some("Bearer")
        );
    }
    let no_token = app.send("GET", "/api/v1/auth/me", None, None, &[]).await;
    assert_eq!(no_token.status, 401);
    let bad_shape = app
        .send(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(&json!({"email": "x", "pasword": "y"})),
            &[],
        )
        .await;
    assert_eq!(bad_shape.status, 422);
    // Every bad field at once, in the words every other body uses.
    assert_eq!(
        bad_shape.json()["errors"],
        json!([
            {"field": "pasword", "message": "is not a field; expected one of: email, password"},
            {"field": "password", "message": "is required"}
        ])
    );
    let no_token = app
        .send("POST", "/api/v1/auth/refresh", None, Some(&json!({})), &[])
        .await;
    assert_eq!(no_token.status, 422);
    assert_eq!(
        no_token.json()["errors"],
        json!([{"field": "refresh_token", "message": "is required"}])
    );
}

#[actix_rt::test]
async fn refresh_tokens_rotate_and_a_reused_one_ends_the_session() {
    let app = TestApp::empty().await;
    app.user("editor@example.com", Role::Editor);
    let first = app.login("editor@example.com").await;
    let refresh = |token: &Value| json!({"refresh_token": token.as_str().expect("refresh token")});

    let second = app
        .send(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(&refresh(&first["refresh_token"])),
            &[],
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text());
    let second = second.json();
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    let access = second["access_token"].as_str().expect("token").to_owned();
    assert_eq!(me(&app, &access).await, 200);

    // The first refresh token again: a reuse. The session ends for everyone holding it.
    let reuse = app
        .send(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(&refresh(&first["refresh_token"])),
            &[],
        )
        .await;
    assert_eq!(reuse.status, 401);
    let successor = app
        .send(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(&refresh(&second["refresh_token"])),
            &[],
        )
        .await;
    assert_eq!(successor.status, 401, "the family is revoked");
    assert_eq!(me(&app, &access).await, 401, "its access tokens too");

    let unknown = app
        .send(
            "POST",
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": "nope"})),
            &[],
        )
        .await;
    assert_eq!(unknown.status, 401);
}

#[actix_rt::test]
async fn logout_ends_the_session_at_once() {
    let app = TestApp::empty().await;
    app.user("author@example.com", Role::Author);
    let tokens = app.login("author@example.com").await;
    let access = tokens["access_token"].as_str().expect("token");
    let out = app
        .send("POST", "/api/v1/auth/logout", Some(access), None, &[])
        .await;
    assert_eq!(out.status, 204);
    assert_eq!(me(&app, access).await, 401);
    let refresh = json!({"refresh_token": tokens["refresh_token"]});
    let again = app
        .send("POST", "/api/v1/auth/refresh", None, Some(&refresh), &[])
        .await;
    assert_eq!(again.status, 401);
}

#[actix_rt::test]
async fn forged_and_broken_tokens_are_refused() {
    let app = TestApp::empty().await;
    let user_id = app.user("admin@example.com", Role::Admin);
    let login = app.login("admin@example.com").await;
    let genuine = login["access_token"].as_str().expect("token").to_owned();
    assert_eq!(me(&app, &genuine).await, 200);
    let session = {
        let payload = genuine.split('.').nth(1).expect("payload");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64");
        let claims: Value = serde_json::from_slice(&bytes).expect("claims");
        claims["sid"].as_str().expect("sid").to_owned()
    };
    // The key itself forges a valid token: the baseline that shows the others fail for
    // the reason named.
    let valid = sign(&claims(user_id, &session, json!({})), Some(KID), SECRET);
    assert_eq!(me(&app, &valid).await, 200);

    let now = chrono::Utc::now().timestamp();
    let none_alg = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": KID})),
        b64(&claims(user_id, &session, json!({})))
    );
    let tampered = {
        let mut parts: Vec<String> = genuine.split('.').map(str::to_owned).collect();
        parts[1] = b64(&claims(user_id, &session, json!({"sub": "999"})));
        parts.join(".")
    };
    let cases = [
        ("alg none", none_alg),
        (
            "another key",
            sign(
                &claims(user_id, &session, json!({})),
                Some(KID),
                "some-other-secret-that-is-long-enough-000",
            ),
        ),
        (
            "unknown kid",
            sign(&claims(user_id, &session, json!({})), Some("other"), SECRET),
        ),
        (
            "no kid",
            sign(&claims(user_id, &session, json!({})), None, SECRET),
        ),
        (
            "expired",
            sign(
                &claims(
                    user_id,
                    &session,
                    json!({"exp": now - 3600, "iat": now - 4000}),
                ),
                Some(KID),
                SECRET,
            ),
        ),
        (
            "wrong aud",
            sign(
                &claims(user_id, &session, json!({"aud": "someone-else"})),
                Some(KID),
                SECRET,
            ),
        ),
        (
            "wrong iss",
            sign(
                &claims(user_id, &session, json!({"iss": "evil"})),
                Some(KID),
                SECRET,
            ),
        ),
        (
            "unknown session",
            sign(
                &claims(user_id, &session, json!({"sid": "forged"})),
                Some(KID),
                SECRET,
            ),
        ),
        ("tampered payload", tampered),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (name, token) in cases {
        assert_eq!(me(&app, &token).await, 401, "{name}");
    }
    let basic = app
        .send(
            "GET",
            "/api/v1/auth/me",
            None,
            None,
            &[("authorization", "Basic YWRtaW46YWRtaW4=")],
        )
        .await;
    assert_eq!(basic.status, 401);
}

#[actix_rt::test]
async fn tokens_past_their_expiry_or_before_their_start_are_refused() {
    let app = TestApp::empty().await;
    let user_id = app.user("admin@example.com", Role::Admin);
    let login = app.login("admin@example.com").await;
    let genuine = login["access_token"].as_str().expect("token").to_owned();
    let session = {
        let payload = genuine.split('.').nth(1).expect("payload");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64");
        let claims: Value = serde_json::from_slice(&bytes).expect("claims");
        claims["sid"].as_str().expect("sid").to_owned()
    };
    let now = chrono::Utc::now().timestamp();
    let token = |changes: Value| sign(&claims(user_id, &session, changes), Some(KID), SECRET);
    assert_eq!(
        me(&app, &token(json!({"nbf": now - 10}))).await,
        200,
        "started: the baseline"
    );
    // The leeway is 5 seconds: 20 seconds past expiry is expired.
    assert_eq!(
        me(&app, &token(json!({"exp": now - 20, "iat": now - 920}))).await,
        401,
        "expired 20 s ago"
    );
    assert_eq!(
        me(&app, &token(json!({"nbf": now + 60}))).await,
        401,
        "not valid for another minute"
    );
    assert_eq!(
        me(&app, &token(json!({"nbf": "soon"}))).await,
        401,
        "a malformed nbf"
    );
}

#[actix_rt::test]
async fn failed_logins_are_limited_per_account() {
    let app = TestApp::empty().await;
    app.user("editor@example.com", Role::Editor);
    let wrong = json!({"email": "editor@example.com", "password": "wrong password"});
    for _ in 0..5 {
        let response = app
            .send("POST", "/api/v1/auth/login", None, Some(&wrong), &[])
            .await;
        assert_eq!(response.status, 401);
    }
    let limited = app
        .send("POST", "/api/v1/auth/login", None, Some(&wrong), &[])
        .await;
    assert_eq!(limited.status, 429);
    let retry: u64 = limited
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(retry > 0 && retry <= 900, "{retry}");
    let right = json!({"email": "editor@example.com", "password": PASSWORD});
    let still = app
        .send("POST", "/api/v1/auth/login", None, Some(&right), &[])
        .await;
    assert_eq!(still.status, 429, "even the right password waits");
}

#[actix_rt::test]
async fn the_audit_trail_is_for_admins() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    let editor = app.token_for(Role::Editor).await;
    assert_eq!(
        app.send("GET", "/api/v1/audit", None, None, &[])
            .await
            .status,
        401
    );
    assert_eq!(
        app.send("GET", "/api/v1/audit", Some(&editor), None, &[])
            .await
            .status,
        403
    );
    let trail = app
        .send("GET", "/api/v1/audit", Some(&admin), None, &[])
        .await;
    assert_eq!(trail.status, 200, "{}", trail.text());
    let trail = trail.json();
    assert_eq!(trail["meta"]["total"], 2);
    assert_eq!(trail["data"][0]["action"], "login");
    assert_eq!(trail["data"][0]["actor"], "editor@example.com");
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn header_of(token: &str) -> Value {
    let header = token.split('.').next().expect("header");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .expect("b64");
    serde_json::from_slice(&bytes).expect("json")
}

#[actix_rt::test]
async fn eddsa_keys_sign_and_an_hs256_token_made_with_the_public_key_is_refused() {
    use masthead::auth::tokens::Key;
    let key_a = Key::ed25519(
        "ed-a",
        &fixture("ed25519-a.key.pem"),
        &fixture("ed25519-a.pub.pem"),
    )
    .expect("key a");
    let app = TestApp::with_keys(vec![key_a]).await;
    let user_id = app.user("admin@example.com", Role::Admin);
    let token = app.login("admin@example.com").await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(header_of(&token)["alg"], "EdDSA");
    assert_eq!(header_of(&token)["kid"], "ed-a");
    assert_eq!(me(&app, &token).await, 200);

    // The classic confusion: HS256 "signed" with the public key as the secret.
    let session = {
        let payload = token.split('.').nth(1).expect("payload");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64");
        serde_json::from_slice::<Value>(&bytes).expect("claims")["sid"]
            .as_str()
            .expect("sid")
            .to_owned()
    };
    let public = String::from_utf8(fixture("ed25519-a.pub.pem")).expect("pem");
    let confused = sign(&claims(user_id, &session, json!({})), Some("ed-a"), &public);
    assert_eq!(me(&app, &confused).await, 401);
    // Signed with another Ed25519 key under the same kid.
    let other = EncodingKey::from_ed_pem(&fixture("ed25519-b.key.pem")).expect("key b");
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some("ed-a".into());
    let foreign = encode(&header, &claims(user_id, &session, json!({})), &other).expect("sign");
    assert_eq!(me(&app, &foreign).await, 401);
}

#[actix_rt::test]
async fn rotated_keys_keep_verifying_while_the_new_one_signs() {
    use masthead::auth::tokens::Key;
    let old_secret = "the-old-secret-that-is-long-enough-0123456789";
    let app = TestApp::with_keys(vec![
        Key::parse("new:the-new-secret-that-is-long-enough-0123456789").expect("new"),
        Key::parse(&format!("old:{old_secret}")).expect("old"),
    ])
    .await;
    let user_id = app.user("editor@example.com", Role::Editor);
    let token = app.login("editor@example.com").await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(header_of(&token)["kid"], "new", "the first key signs");
    let session = {
        let payload = token.split('.').nth(1).expect("payload");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64");
        serde_json::from_slice::<Value>(&bytes).expect("claims")["sid"]
            .as_str()
            .expect("sid")
            .to_owned()
    };
    let by_old_key = sign(
        &claims(user_id, &session, json!({"role": "editor"})),
        Some("old"),
        old_secret,
    );
    assert_eq!(
        me(&app, &by_old_key).await,
        200,
        "tokens of the previous key still verify"
    );
}

#[actix_rt::test]
async fn outside_dev_mode_the_server_refuses_to_start_without_a_secret() {
    use masthead::config::{Config, DatabaseUrl};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::for_database(DatabaseUrl::Sqlite(dir.path().join("x.db")));
    config.dev = false;
    config.jwt_keys = Vec::new();
    let refused = masthead::commands::serve::prepare(&config)
        .err()
        .expect("refused");
    assert!(refused.contains("MASTHEAD_JWT_SECRET"), "{refused}");
    assert!(
        !dir.path().join("x.db").exists(),
        "refused before the database is made or written"
    );
    config.dev = true;
    assert!(
        masthead::commands::serve::prepare(&config).is_ok(),
        "dev mode makes a key of its own"
    );
    assert!(masthead::config::is_loopback("127.0.0.1:8080"));
    assert!(masthead::config::is_loopback("[::1]:8080"));
    assert!(!masthead::config::is_loopback("0.0.0.0:8080"));
}
