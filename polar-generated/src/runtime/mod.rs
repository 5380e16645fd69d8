//! Hand-written runtime used by the generated code. Never generated.
//!
//! Private to the crate: `lib.rs` re-exports what users touch, and `__private`
//! (hidden) what this crate's tests need.
//!
//! - [`client`]: [`crate::Client`], its builder, auth, retries and timeouts;
//! - [`credential`]: the hook for access tokens that change (OAuth2 token sources);
//! - [`request`]: the [`request::RequestSpec`] every generated operation builds;
//! - [`response`]: the successful response and its decoders;
//! - [`pagination`]: [`crate::Paginator`], every item of a paginated list;
//! - [`one_or_many`]: [`crate::OneOrMany`], what list filters accept;
//! - [`error`]: the crate's [`crate::Error`].

pub(crate) mod json;
// Used by the generated models that have secret fields.
#[allow(dead_code)]
pub(crate) mod redact;
// Which helpers the generated models use depends on the enabled features.
#[allow(dead_code)]
pub(crate) mod serde_helpers;

#[cfg(feature = "__client")]
pub(crate) mod client;
#[cfg(feature = "__client")]
pub(crate) mod credential;
pub(crate) mod error;
#[cfg(feature = "__client")]
pub(crate) mod one_or_many;
#[cfg(feature = "__client")]
pub(crate) mod options;
#[cfg(feature = "__client")]
pub(crate) mod pagination;
#[cfg(feature = "__client")]
pub(crate) mod query;
#[cfg(feature = "__client")]
pub(crate) mod request;
#[cfg(feature = "__client")]
pub(crate) mod response;
#[cfg(feature = "__client")]
pub(crate) mod retry;
#[cfg(all(feature = "__client", feature = "tracing"))]
pub(crate) mod telemetry;
// Public as `polar::webhooks` (re-exported by lib.rs, with its docs).
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[cfg(feature = "__client")]
pub(crate) use options::RequestOptions;
