//! Hand-written runtime used by the generated code. Never generated.
//!
//! - [`client`]: [`crate::Client`], its builder, auth, retries and timeouts;
//! - [`credential`]: the hook for access tokens that change (OAuth2 token sources);
//! - [`request`]: the [`request::RequestSpec`] every generated operation builds;
//! - [`response`]: the successful response and its decoders;
//! - [`pagination`]: a `Stream` over every item of a paginated list;
//! - [`error`]: the crate's [`crate::Error`].

pub mod json;
pub mod serde_helpers;

#[cfg(feature = "__client")]
pub mod client;
#[cfg(feature = "__client")]
pub mod credential;
pub mod error;
#[cfg(feature = "__client")]
pub mod options;
#[cfg(feature = "__client")]
pub mod pagination;
#[cfg(feature = "__client")]
pub mod query;
#[cfg(feature = "__client")]
pub mod request;
#[cfg(feature = "__client")]
pub mod response;
#[cfg(feature = "__client")]
pub mod retry;
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[cfg(feature = "__client")]
pub use options::{RequestOptions, RetryPolicy};
#[cfg(feature = "__client")]
pub use response::Response;
