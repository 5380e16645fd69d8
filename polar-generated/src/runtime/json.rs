//! JSON decoding that reports *where* a payload did not match its schema, in words a
//! person can act on: the JSON path once (`data.items[2].amount`), line and column for
//! malformed JSON, and what a too-large number actually was.

use serde::de::DeserializeOwned;

/// A JSON body that did not decode into its expected type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Path of the offending value, e.g. `data.items[0].amount` (`.` for the root).
    pub path: String,
    /// What was wrong, e.g. `invalid type: string "x", expected i64`, or for malformed
    /// JSON `invalid JSON: expected value (line 1, column 9)`.
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path == "." {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    /// Describes `err`, raised at `path` while decoding `bytes` (when the JSON text is
    /// known, it is used to quote a number too large for its integer type).
    pub(crate) fn from_serde(path: &str, err: &serde_json::Error, bytes: Option<&[u8]>) -> Self {
        let mut path = clean_path(path);
        let mut message = without_position(&err.to_string()).to_owned();
        // Union branches report their inner failure as "at `x`: …": join it to our path.
        while let Some((inner, rest)) = split_nested(&message) {
            path = join_path(&path, &clean_path(inner));
            message = rest.to_owned();
        }
        if err.is_syntax() || err.is_eof() {
            message = format!(
                "invalid JSON: {message} (line {}, column {})",
                err.line(),
                err.column()
            );
        } else if let Some(better) = out_of_range_integer(&message, bytes, err) {
            message = better;
        }
        DecodeError {
            path,
            message: redact_long_strings(&message),
        }
    }
}

/// Longest string value a decode message quotes; longer ones (tokens, secrets, free text)
/// are shown by their length only, since messages end up in logs.
const QUOTED_VALUE_LIMIT: usize = 16;

/// serde quotes the offending value (`invalid type: string "…", expected i64`): keep short
/// values (enum tags, ids' prefixes), replace longer ones by their length.
fn redact_long_strings(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find('"') {
        let Some(len) = rest[start + 1..].find('"') else {
            break;
        };
        let value = &rest[start + 1..start + 1 + len];
        out.push_str(&rest[..start]);
        let chars = value.chars().count();
        if chars > QUOTED_VALUE_LIMIT {
            out.push_str(&format!("<string of {chars} characters>"));
        } else {
            out.push('"');
            out.push_str(value);
            out.push('"');
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

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
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        DecodeError::from_serde(&err.path().to_string(), err.inner(), Some(bytes))
    })?;
    de.end()
        .map_err(|err| DecodeError::from_serde(".", &err, Some(bytes)))?;
    Ok(value)
}

/// serde_json appends ` at line L column C` to every message; keep it only where it helps
/// (malformed JSON), where it is re-added in words.
fn without_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(index)
            if message[index + 9..]
                .split(" column ")
                .all(|n| n.parse::<u64>().is_ok()) =>
        {
            &message[..index]
        }
        _ => message,
    }
}

/// `?` marks a segment serde_path_to_error could not name (e.g. inside malformed JSON):
/// leave it out rather than print it.
fn clean_path(path: &str) -> String {
    let kept: Vec<&str> = path
        .split('.')
        .filter(|segment| !segment.is_empty() && *segment != "?")
        .collect();
    if kept.is_empty() {
        ".".to_owned()
    } else {
        kept.join(".")
    }
}

fn join_path(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        (".", inner) => inner.to_owned(),
        (outer, ".") => outer.to_owned(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    }
}

/// `at `x`: rest` → (`x`, `rest`).
fn split_nested(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("at `")?;
    let end = rest.find("`: ")?;
    Some((&rest[..end], &rest[end + 3..]))
}

/// serde_json reads an integer literal too large for 64 bits as a float, so the message
/// says "floating point `1e+20`"; say what the JSON holds instead.
fn out_of_range_integer(
    message: &str,
    bytes: Option<&[u8]>,
    err: &serde_json::Error,
) -> Option<String> {
    let rest = message.strip_prefix("invalid type: floating point `")?;
    let (float, expected) = rest.split_once("`, expected ")?;
    if !matches!(
        expected,
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128"
    ) && !expected.contains("integer")
    {
        return None;
    }
    let literal = bytes.and_then(|b| number_ending_at(b, err.line(), err.column()));
    Some(match literal {
        Some(literal) if literal.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
            format!("the integer {literal} is too large for {expected}")
        }
        Some(literal) => format!("expected {expected}, found the non-integer number {literal}"),
        None if float.contains('e') => {
            format!("a number too large for {expected} (about {float})")
        }
        None => format!("expected {expected}, found the non-integer number {float}"),
    })
}

/// The number literal whose last character is at 1-based `line`/`column`.
fn number_ending_at(bytes: &[u8], line: usize, column: usize) -> Option<&str> {
    let mut start_of_line = 0;
    for _ in 1..line {
        start_of_line += bytes[start_of_line..].iter().position(|&b| b == b'\n')? + 1;
    }
    let end = start_of_line + column;
    let text = bytes.get(..end)?;
    let start = text
        .iter()
        .rposition(|b| !(b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')))
        .map_or(0, |i| i + 1);
    std::str::from_utf8(&text[start..])
        .ok()
        .filter(|s| !s.is_empty())
}

/// Decode an already parsed JSON value as `T`, reporting the path of the first mismatch
/// (the catalog's JSON arguments). There is no JSON text to quote numbers from.
#[cfg(any(test, all(feature = "catalog", feature = "__client")))]
pub fn decode_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value)
        .map_err(|err| DecodeError::from_serde(&err.path().to_string(), err.inner(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        amount: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Vec<Item>,
    }

    fn error(json: &str) -> DecodeError {
        decode::<Page>(json.as_bytes()).unwrap_err()
    }

    #[test]
    fn mismatch_names_the_path_once_without_position() {
        let err = error(r#"{"data":[{"amount":1},{"amount":"x"}]}"#);
        assert_eq!(err.path, "data[1].amount");
        assert_eq!(err.message, r#"invalid type: string "x", expected i64"#);
        assert_eq!(
            err.to_string(),
            r#"at `data[1].amount`: invalid type: string "x", expected i64"#
        );
        let missing = error(r#"{"data":[{}]}"#);
        assert_eq!(missing.to_string(), "at `data[0]`: missing field `amount`");
    }

    #[test]
    fn long_quoted_values_are_shown_by_length_only() {
        let err = error(r#"{"data":[{"amount":"polar_at_u_0123456789abcdef"}]}"#);
        assert_eq!(
            err.message,
            "invalid type: string <string of 27 characters>, expected i64"
        );
        assert_eq!(
            redact_long_strings(r#"a "short" b "unterminated"#),
            r#"a "short" b "unterminated"#
        );
    }

    #[test]
    fn malformed_json_gives_line_and_column() {
        let err = error("{\n  \"data\": [\n    {\"amount\": }\n  ]\n}");
        assert_eq!(err.path, "data[0].amount");
        assert_eq!(
            err.message,
            "invalid JSON: expected value (line 3, column 16)"
        );
        let truncated = error(r#"{"data":[{"amount":1}"#);
        assert!(
            truncated
                .message
                .starts_with("invalid JSON: EOF while parsing a list"),
            "{truncated}"
        );
        assert!(!truncated.to_string().contains('?'), "{truncated}");
        let empty = error("");
        assert_eq!(
            empty.to_string(),
            "invalid JSON: EOF while parsing a value (line 1, column 0)"
        );
    }

    #[test]
    fn too_large_integer_is_quoted_as_sent() {
        let err = error("{\"data\": [\n {\"amount\": 100000000000000000000}]}");
        assert_eq!(err.path, "data[0].amount");
        assert_eq!(
            err.message,
            "the integer 100000000000000000000 is too large for i64"
        );
        let fraction = error(r#"{"data":[{"amount":1.5}]}"#);
        assert_eq!(
            fraction.message,
            "expected i64, found the non-integer number 1.5"
        );
        let from_value = decode_value::<Item>(serde_json::json!({"amount": 1e20})).unwrap_err();
        assert_eq!(
            from_value.message,
            "a number too large for i64 (about 1e+20)"
        );
    }

    #[test]
    fn nested_union_paths_are_joined() {
        let err = DecodeError::from_serde(
            "data",
            &<serde_json::Error as serde::de::Error>::custom("at `.`: missing field `email`"),
            None,
        );
        assert_eq!(err.to_string(), "at `data`: missing field `email`");
        let deeper = DecodeError::from_serde(
            "items[2]",
            &<serde_json::Error as serde::de::Error>::custom("at `prices[0].amount`: bad"),
            None,
        );
        assert_eq!(deeper.path, "items[2].prices[0].amount");
    }
}
