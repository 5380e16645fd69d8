//! JSON decoding that reports *where* a payload did not match its schema.

use serde::de::DeserializeOwned;

/// A JSON body that did not decode into its expected type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Path of the offending value, e.g. `data.items[0].amount` (`.` for the root).
    pub path: String,
    /// serde's message, e.g. `invalid type: string "x", expected i64`.
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Decode `bytes` as `T`, reporting the JSON path of the first mismatch.
///
/// Path tracking costs about as much as the decoding itself, so the body is decoded
/// plainly first and, only if that fails, again with tracking to find the path (the same
/// input fails the same way).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| DecodeError {
        path: err.path().to_string(),
        message: err.inner().to_string(),
    })?;
    de.end().map_err(|err| DecodeError {
        path: ".".to_owned(),
        message: err.to_string(),
    })?;
    Ok(value)
}

/// Decode an already parsed JSON value as `T`, reporting the path of the first mismatch
/// (the catalog's JSON arguments).
#[cfg(all(feature = "catalog", feature = "__client"))]
pub fn decode_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value).map_err(|err| DecodeError {
        path: err.path().to_string(),
        message: err.inner().to_string(),
    })
}
