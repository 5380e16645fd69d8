//! Load the spec losslessly as JSON (OpenAPI 3.1 keywords such as `const`,
//! `prefixItems` and `webhooks` survive untouched; see the README for why no
//! OpenAPI model crate is used).

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

/// Read and parse a JSON document.
pub fn load_json(path: &Path) -> Result<Value> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_json(path, &bytes)
}

/// Parse JSON bytes, naming `path` and the position in errors.
pub fn parse_json(path: &Path, bytes: &[u8]) -> Result<Value> {
    serde_json::from_slice(bytes).map_err(|err| Error::Json {
        path: path.to_owned(),
        line: err.line(),
        column: err.column(),
        message: err.to_string(),
    })
}
