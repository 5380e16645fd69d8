//! Hooks into the runtime for this crate's own tests and benches (hidden: not public
//! API, may change in any release). Generated code uses `crate::runtime` directly.

pub use crate::runtime::json::{decode, DecodeError};
#[cfg(feature = "__client")]
pub use crate::runtime::{
    pagination::paginate,
    query::{path_segment, Query, QueryValue},
    request::{to_form, to_json, Auth, Body, ErrorDecoder, Expect, Method, RequestSpec},
    response::Response,
};

/// Sends a hand-built [`RequestSpec`] through a [`crate::Client`], as generated operations
/// do; `Client::execute` itself is private to the crate.
#[cfg(feature = "__client")]
pub trait Execute {
    /// See `Client::execute`: retries, auth, timeouts and error mapping included.
    fn execute(
        &self,
        spec: RequestSpec,
    ) -> impl std::future::Future<Output = Result<Response, crate::Error>> + Send + '_;
}

#[cfg(feature = "__client")]
impl Execute for crate::Client {
    fn execute(
        &self,
        spec: RequestSpec,
    ) -> impl std::future::Future<Output = Result<Response, crate::Error>> + Send + '_ {
        crate::Client::execute(self, spec)
    }
}
