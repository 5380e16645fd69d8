//! Hand-written runtime used by the generated code. Never generated.
//!
//! - [`client`]: [`crate::Client`], its builder, auth, retries and timeouts;
//! - [`request`]: the [`request::RequestSpec`] every generated operation builds;
//! - [`response`]: the successful response and its decoders;
//! - [`pagination`]: a `Stream` over every item of a paginated list;
//! - [`error`]: the crate's [`crate::Error`].

pub mod json;
pub mod serde_helpers;

#[cfg(feature = "__client")]
pub mod client;
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
#[cfg(all(feature = "__client", feature = "tracing"))]
pub(crate) mod telemetry;
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[cfg(feature = "__client")]
pub use options::{RequestOptions, RetryPolicy};
#[cfg(feature = "__client")]
pub use response::Response;
