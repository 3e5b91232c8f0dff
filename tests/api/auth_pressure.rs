//! Sign-in under a hostile client: parallel guesses, padded emails, floods of failed
//! logins, racing refreshes. Requests really run in parallel, over several connections
//! and from several client addresses (the whole of 127.0.0.0/8 is loopback).

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use masthead::auth::Role;
use serde_json::{json, Value};

use crate::support::{TestApp, PASSWORD};

/// A client whose connections come from `127.0.0.<last>`.
fn client_from(last: u8) -> awc::Client {
    let address = IpAddr::V4(Ipv4Addr::new(127, 0, 0, last));
    awc::Client::builder()
        .connector(awc::Connector::new().local_address(address))
        .timeout(Duration::from_secs(120))
        .finish()
}

/// POSTs every `(client, path, body)` at once; returns the statuses in order.
async fn post_all(app: &TestApp, requests: Vec<(&awc::Client, &str, Value)>) -> Vec<u16> {
    let sent = requests.into_iter().map(|(client, path, body)| {
        let url = app.server.url(path);
        async move {
            let mut response = client
                .post(url)
                .send_json(&body)
                .await
                .unwrap_or_else(|e| panic!("request failed: {e}"));
            let _ = response.body().await;
            response.status().as_u16()
        }
    });
    join_all(sent).await
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

const LOGIN: &str = "/api/v1/auth/login";

#[actix_rt::test]
async fn parallel_wrong_passwords_are_counted_before_any_is_checked() {
    let app = TestApp::empty().await;
    app.user("editor@example.com", Role::Editor);
    let client = client_from(1);
    let wrong = json!({"email": "editor@example.com", "password": "wrong password"});
    let statuses = post_all(&app, vec![(&client, LOGIN, wrong.clone()); 40]).await;
    // Five reach the password check (401); every other one is refused before it (429).
    assert!(count(&statuses, 401) <= 5, "{statuses:?}");
    assert_eq!(
        count(&statuses, 401) + count(&statuses, 429),
        40,
        "{statuses:?}"
    );
    let right = json!({"email": "editor@example.com", "password": PASSWORD});
    let locked = app.send("POST", LOGIN, None, Some(&right), &[]).await;
    assert_eq!(locked.status, 429, "the account is locked");

    // Per address: 60 accounts guessed at once from one address, limit 20.
    let other = client_from(2);
    let guesses: Vec<_> = (0..60)
        .map(|i| {
            (
                &other,
                LOGIN,
                json!({"email": format!("user{i}@example.com"), "password": "guess"}),
            )
        })
        .collect();
    let statuses = post_all(&app, guesses).await;
    assert!(count(&statuses, 401) <= 20, "{statuses:?}");
    assert_eq!(
        count(&statuses, 401) + count(&statuses, 429),
        60,
        "{statuses:?}"
    );
}

#[actix_rt::test]
async fn a_padded_or_recased_email_is_the_same_account() {
    let app = TestApp::empty().await;
    let admin = app.token_for(Role::Admin).await;
    app.user("editor@example.com", Role::Editor);
    let wrong = json!({"email": "editor@example.com", "password": "wrong password"});
    for _ in 0..5 {
        let response = app.send("POST", LOGIN, None, Some(&wrong), &[]).await;
        assert_eq!(response.status, 401);
    }
    for email in [
        " editor@example.com",
        "editor@example.com  ",
        "\tEditor@Example.COM\n",
    ] {
        let right = json!({"email": email, "password": PASSWORD});
        let response = app.send("POST", LOGIN, None, Some(&right), &[]).await;
        assert_eq!(response.status, 429, "{email:?} is the locked account");
    }

    // Users made through the API are stored normalised, found normalised, and unique so.
    let body = json!({"email": "  Writer@Example.com ", "name": "作者", "role": "author", "password": PASSWORD});
    let created = app
        .send("POST", "/api/v1/users", Some(&admin), Some(&body), &[])
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.json()["email"], "writer@example.com");
    let id = created.json()["id"].as_i64().expect("id");
    let again = json!({"email": "WRITER@example.com", "name": "又一个", "role": "author", "password": PASSWORD});
    let duplicate = app
        .send("POST", "/api/v1/users", Some(&admin), Some(&again), &[])
        .await;
    assert_eq!(duplicate.status, 422, "{}", duplicate.text());
    assert_eq!(duplicate.json()["errors"][0]["field"], "email");
    let renamed = app
        .send(
            "PATCH",
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(&json!({"email": " Pen@Example.COM "})),
            &[],
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    assert_eq!(renamed.json()["email"], "pen@example.com");
    let signed_in = app
        .send(
            "POST",
            LOGIN,
            None,
            Some(&json!({"email": "PEN@example.com ", "password": PASSWORD})),
            &[],
        )
        .await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    assert_eq!(signed_in.json()["user"]["email"], "pen@example.com");

    // The CLI's `user add` normalises too.
    let args = masthead::commands::AddUserArgs {
        email: "  Cli.User@Example.COM ".into(),
        name: "命令行".into(),
        role: "editor".into(),
    };
    masthead::commands::user::add_user(&app.database_url(), &args, PASSWORD).expect("user add");
    let cli_user = app.login("cli.user@example.com").await;
    assert_eq!(cli_user["user"]["email"], "cli.user@example.com");
    let twice = masthead::commands::user::add_user(
        &app.database_url(),
        &masthead::commands::AddUserArgs {
            email: "cli.user@example.com".into(),
            ..args
        },
        PASSWORD,
    );
    assert!(twice.is_err(), "the same email twice");
}

#[actix_rt::test]
async fn a_flood_of_failed_logins_leaves_public_reads_fast() {
    let app = TestApp::empty().await;
    app.user("editor@example.com", Role::Editor);
    // 200 failed logins from 50 addresses, each for another account, so that no
    // per-account or per-address limit stops them: only the overload guard can.
    let clients: Vec<awc::Client> = (0..50).map(|i| client_from(10 + i)).collect();
    let flood: Vec<_> = (0..200)
        .map(|i| {
            (
                &clients[i % clients.len()],
                LOGIN,
                json!({"email": format!("guess{i}@example.com"), "password": "guess"}),
            )
        })
        .collect();
    let reader = async {
        // Let the flood start first.
        actix_rt::time::sleep(Duration::from_millis(100)).await;
        let mut slowest = Duration::ZERO;
        for _ in 0..10 {
            let started = Instant::now();
            let site = app.get("/api/v1/site").await;
            let took = started.elapsed();
            assert_eq!(site.status, 200, "{}", site.text());
            slowest = slowest.max(took);
            actix_rt::time::sleep(Duration::from_millis(50)).await;
        }
        slowest
    };
    let (statuses, slowest) = futures_util::future::join(post_all(&app, flood), reader).await;
    assert!(
        slowest < Duration::from_secs(2),
        "a public read took {slowest:?} during the flood"
    );
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "no 5xx: {statuses:?}"
    );
    assert!(count(&statuses, 401) > 0, "some were checked: {statuses:?}");
    // And the real user still gets in afterwards.
    app.login("editor@example.com").await;
}

#[actix_rt::test]
async fn parallel_refreshes_of_one_token_give_at_most_one_new_pair() {
    let app = TestApp::empty().await;
    app.user("editor@example.com", Role::Editor);
    let client = client_from(1);
    for _ in 0..10 {
        let tokens = app.login("editor@example.com").await;
        let body = json!({"refresh_token": tokens["refresh_token"]});
        let statuses = post_all(&app, vec![(&client, "/api/v1/auth/refresh", body); 10]).await;
        assert!(count(&statuses, 200) <= 1, "{statuses:?}");
        assert_eq!(
            count(&statuses, 200) + count(&statuses, 401),
            10,
            "no 5xx: {statuses:?}"
        );
    }
}

#[actix_rt::test]
async fn a_refresh_racing_a_logout_never_outlives_it() {
    let app = TestApp::empty().await;
    app.user("editor@example.com", Role::Editor);
    for _ in 0..20 {
        let tokens = app.login("editor@example.com").await;
        let access = tokens["access_token"].as_str().expect("token").to_owned();
        let refresh = json!({"refresh_token": tokens["refresh_token"]});
        let logout = app.send("POST", "/api/v1/auth/logout", Some(&access), None, &[]);
        let rotate = app.send("POST", "/api/v1/auth/refresh", None, Some(&refresh), &[]);
        let (logout, rotated) = futures_util::future::join(logout, rotate).await;
        assert_eq!(logout.status, 204, "{}", logout.text());
        assert!(
            rotated.status == 200 || rotated.status == 401,
            "{}",
            rotated.text()
        );
        if rotated.status == 200 {
            // Whatever the order, the session is over: its new tokens do not work.
            let pair = rotated.json();
            let me = app
                .send(
                    "GET",
                    "/api/v1/auth/me",
                    pair["access_token"].as_str(),
                    None,
                    &[],
                )
                .await;
            assert_eq!(me.status, 401);
            let next = json!({"refresh_token": pair["refresh_token"]});
            let again = app
                .send("POST", "/api/v1/auth/refresh", None, Some(&next), &[])
                .await;
            assert_eq!(again.status, 401);
        }
    }
}

/// Failed logins for distinct accounts, each "forwarded for" the given address.
async fn failed_logins(
    app: &TestApp,
    forwarded_for: impl Fn(usize) -> String,
    count: usize,
) -> Vec<u16> {
    let mut statuses = Vec::new();
    for n in 0..count {
        let body = json!({"email": format!("nobody{n}@example.com"), "password": "wrong password"});
        let address = forwarded_for(n);
        let response = app
            .send(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(&body),
                &[("x-forwarded-for", &address)],
            )
            .await;
        statuses.push(response.status.as_u16());
    }
    statuses
}

#[actix_rt::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let proxied = TestApp::configured(|config| {
        config.trusted_proxies =
            masthead::http::client_address::TrustedProxies::new(vec!["127.0.0.1"
                .parse()
                .expect("ip")]);
    })
    .await;
    // 25 clients behind the proxy: none is limited by the others' failures (limit 20).
    let statuses = failed_logins(&proxied, |n| format!("203.0.113.{n}"), 25).await;
    assert!(statuses.iter().all(|status| *status == 401), "{statuses:?}");
    // One client behind it still meets its own limit.
    let statuses = failed_logins(&proxied, |_| "198.51.100.1".into(), 21).await;
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");

    // A peer that is not a trusted proxy cannot choose its address by a header.
    let direct = TestApp::empty().await;
    let statuses = failed_logins(&direct, |n| format!("203.0.113.{n}"), 21).await;
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
}
