//! The generator's output for `polar-codegen/tests/fixtures/shop.json`, compiled with the
//! same hand-written runtime as `polar-generated` (included by path, so the two cannot
//! drift). Only `src/generated/` is generated; this file mirrors `polar-generated`'s root.

#[path = "../../../../polar-generated/src/runtime/mod.rs"]
pub mod runtime;

#[rustfmt::skip]
mod generated;
pub use generated::*;

pub use runtime::client::{Client, ClientBuilder, Environment};
pub use runtime::error::Error;
pub use runtime::{RequestOptions, RetryPolicy};
