//! Sign-in under a hostile client: parallel guesses, padded emails, floods of failed
//! logins, racing refreshes.

use masthead::auth::Role;
use serde_json::json;

use crate::support::{TestApp, PASSWORD};

const LOGIN: &str = "/api/v1/auth/login";

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
    let args = masthead::cli::AddUserArgs {
        email: "  Cli.User@Example.COM ".into(),
        name: "命令行".into(),
        role: "editor".into(),
    };
    masthead::server::add_user(&app.database_url(), &args, PASSWORD).expect("user add");
    let cli_user = app.login("cli.user@example.com").await;
    assert_eq!(cli_user["user"]["email"], "cli.user@example.com");
    let twice = masthead::server::add_user(
        &app.database_url(),
        &masthead::cli::AddUserArgs {
            email: "cli.user@example.com".into(),
            ..args
        },
        PASSWORD,
    );
    assert!(twice.is_err(), "the same email twice");
}
