//! The test-support step: files the generated crate's tests use, printed from the same
//! plan as the SDK but kept out of [`crate::emit`] (which yields the SDK only).
//!
//! - `tests/support/operation_calls.rs`: calls any operation by operationId with JSON
//!   arguments, through the public client API (the conformance run uses it);
//! - `tests/fixtures/*.json`: webhook payloads sampled from the schemas.

mod calls;
mod fixtures;
pub mod samples;
mod unions;

use crate::emit::Context;
use crate::error::Result;
use crate::format::format_rust;
use crate::output::GeneratedFile;
use crate::plan::Plan;

pub use calls::CALLS_PATH;
pub use fixtures::{ORDER_PAID_PATH, WEBHOOK_PAYLOADS_PATH};
pub use unions::RECEIVED_UNIONS_PATH;

/// Every test-support file, relative to the generated crate's root.
pub fn test_support(plan: &Plan) -> Result<Vec<GeneratedFile>> {
    let ctx = Context::external(plan);
    let mut out = vec![GeneratedFile {
        path: CALLS_PATH.to_owned(),
        contents: format_rust(calls::module(&ctx), CALLS_PATH)?,
    }];
    out.push(GeneratedFile {
        path: RECEIVED_UNIONS_PATH.to_owned(),
        contents: format_rust(unions::module(&ctx), RECEIVED_UNIONS_PATH)?,
    });
    for (path, contents) in fixtures::webhook_fixtures(plan.api)? {
        out.push(GeneratedFile { path, contents });
    }
    Ok(out)
}
