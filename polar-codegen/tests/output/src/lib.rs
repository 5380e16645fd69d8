//! The generator's output for `polar-codegen/tests/fixtures/shop.json`, compiled with the
//! same hand-written runtime and bindings as `polar-generated` (included by path, so the
//! two cannot drift). Only `src/generated/` is generated; this file mirrors
//! `polar-generated`'s root.

#[path = "../../../../polar-generated/src/bindings.rs"]
mod bindings;
// The fixture spec exercises only part of the runtime.
#[allow(dead_code)]
#[path = "../../../../polar-generated/src/runtime/mod.rs"]
mod runtime;

#[rustfmt::skip]
mod generated;
pub use generated::*;

pub use client::{Client, ClientBuilder, Environment};
pub use runtime::error::Error;
pub use runtime::options::{RequestOptions, RetryPolicy};
pub use runtime::webhooks;

/// The HTTP client, as `polar::client`.
pub mod client {
    pub use crate::runtime::client::{reqwest, Client, ClientBuilder, Environment};
}
