#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test fails loudly on what it did not expect"
)]

//! Integration tests: the real app over HTTP on a fresh SQLite database per test.
//! One test binary (modules below) keeps linking cheap.

mod admin_editing;
mod archive;
mod articles;
mod auth;
mod auth_pressure;
mod backend;
mod caching_and_cors;
mod categories_and_tags;
mod concurrency;
mod conformance;
mod consistency;
mod counts;
mod demo;
mod editing;
mod errors;
mod fuzz;
mod input_safety;
mod instances;
mod layers;
mod magazine;
mod menu_editing;
mod menus;
mod outage;
mod pages;
mod pictures;
mod portability;
mod raw_http;
mod response_cache;
mod roles;
mod schema;
mod search;
mod site;
mod spec;
mod support;
mod taxonomy_editing;
mod tokens;
