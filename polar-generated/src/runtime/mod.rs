//! Hand-written runtime used by the generated code. Never generated.

pub mod json;
#[cfg(feature = "__client")]
pub mod pagination;
pub mod serde_helpers;

#[cfg(feature = "__client")]
pub mod client;
pub mod error;
#[cfg(feature = "__client")]
pub mod query;
#[cfg(feature = "__client")]
pub mod request;
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[cfg(feature = "__client")]
pub use client::RequestOptions;
