//! The HTTP client. (Placeholder until the runtime branch lands.)

use crate::runtime::request::RequestSpec;
use crate::Error;

/// Per-call overrides of retry and timeout settings.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {}

/// The Polar API client.
#[derive(Debug, Clone)]
pub struct Client {}

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {}

/// Which Polar deployment to talk to.
#[derive(Debug, Clone)]
pub enum Environment {
    Production,
    Sandbox,
}

/// A raw response.
pub struct Response {}

impl Response {
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        Err(Error::Decode(crate::runtime::json::DecodeError {
            path: ".".into(),
            message: "placeholder".into(),
        }))
    }
    pub fn text(self) -> Result<String, Error> {
        Ok(String::new())
    }
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }
}

impl Client {
    pub async fn execute(&self, _spec: RequestSpec) -> Result<Response, Error> {
        Ok(Response {})
    }
}
