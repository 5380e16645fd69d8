//! Typed Rust client and webhook events for the [Polar API](https://polar.sh/docs/api-reference).
//!
//! The models, operations and webhook events in this crate are generated from Polar's
//! OpenAPI document by `cargo xtask regenerate`; the runtime under [`runtime`] is
//! hand-written.

pub mod runtime;

#[cfg(feature = "catalog")]
pub mod catalog;

#[rustfmt::skip]
mod generated;
pub use generated::*;

#[cfg(feature = "__client")]
pub use runtime::client::{Client, ClientBuilder, Environment};
pub use runtime::error::Error;
#[cfg(feature = "__client")]
pub use runtime::{RequestOptions, RetryPolicy};
