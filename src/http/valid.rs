//! `Valid<T>`: a JSON request body read into its typed input ([`crate::input`]), every bad
//! field named in one 422. Errors before that (not JSON, too large, too slow) are those of
//! `web::Json` ([`super::framework_errors::json_error`]).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::PartialSchema;

pub struct Valid<T>(pub T);

impl<T> Valid<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + PartialSchema + 'static> FromRequest for Valid<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<Value>::from_request(req, payload);
        Box::pin(async move {
            let body = json.await?.into_inner();
            Ok(Self(crate::input::parse(body)?))
        })
    }
}
