//! `$ref` values → the node they point at. Any local JSON Pointer (`#/...`, RFC 6901
//! `~0`/`~1` escapes, percent-encoded as URI fragments are) into the same document is
//! accepted, wherever it points: `components`, a path item, a vendor extension.

use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::schema::escape_pointer;

/// A resolved local reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The unescaped pointer segments (`["components", "schemas", "Foo"]`).
    pub segments: Vec<String>,
    /// The canonical JSON pointer (`#/components/schemas/Foo`): escaped by RFC 6901 only.
    pub pointer: String,
}

impl Target {
    /// The component name when the pointer is exactly `#/components/schemas/<name>`.
    pub fn component_schema(&self) -> Option<&str> {
        match self.segments.as_slice() {
            [components, schemas, name] if components == "components" && schemas == "schemas" => {
                Some(name)
            }
            _ => None,
        }
    }
}

/// Parse a `$ref` value. Remote references (another document or URL) are refused.
pub fn parse(reference: &str) -> Result<Target, String> {
    if reference.is_empty() {
        return Err("empty $ref".to_owned());
    }
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(format!(
            "remote $ref `{reference}` is not supported: only references into the same document (`#/...`) are"
        ));
    };
    let fragment = percent_decode_str(fragment)
        .decode_utf8()
        .map_err(|_| format!("$ref `{reference}` is not valid UTF-8 after percent-decoding"))?;
    if fragment.is_empty() {
        return Ok(Target {
            segments: Vec::new(),
            pointer: "#".to_owned(),
        });
    }
    let Some(rest) = fragment.strip_prefix('/') else {
        return Err(format!(
            "$ref `{reference}` is not a JSON pointer (anchors such as `#name` are not supported)"
        ));
    };
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        segments.push(unescape_segment(raw).ok_or_else(|| {
            format!("$ref `{reference}`: invalid escape in segment `{raw}` (only `~0` and `~1`)")
        })?);
    }
    let pointer = segments.iter().fold(String::from("#"), |mut out, segment| {
        out.push('/');
        out.push_str(&escape_pointer(segment));
        out
    });
    Ok(Target { segments, pointer })
}

/// Parse and resolve a `$ref` in `spec`.
pub fn resolve<'a>(spec: &'a Value, reference: &str) -> Result<(Target, &'a Value), String> {
    let target = parse(reference)?;
    let node = spec
        .pointer(&target.pointer[1..])
        .ok_or_else(|| format!("dangling $ref `{reference}`: nothing at {}", target.pointer))?;
    Ok((target, node))
}

/// Keys that say where a schema sits rather than what it is.
const STRUCTURAL: &[&str] = &[
    "components",
    "schemas",
    "x-components",
    "paths",
    "requestBody",
    "responses",
    "content",
    "schema",
    "items",
    "properties",
    "additionalProperties",
    "patternProperties",
    "prefixItems",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "parameters",
    "headers",
    "$defs",
    "definitions",
];

/// A label for a type found through a pointer: its last key that names something
/// (`AuthorizationCodeTokenRequest` in `#/paths/…/x-components/AuthorizationCodeTokenRequest`).
pub fn type_label(segments: &[String]) -> String {
    segments
        .iter()
        .enumerate()
        .rev()
        .find(|(i, s)| {
            // Paths (`/v1/…`) and media types (`content/application~1json`) say where, not what.
            let after_content = *i > 0 && segments[i - 1] == "content";
            !STRUCTURAL.contains(&s.as_str())
                && !s.starts_with('/')
                && !after_content
                && s.chars().any(char::is_alphabetic)
        })
        .map(|(_, s)| s.clone())
        .unwrap_or_else(|| "Schema".to_owned())
}

fn unescape_segment(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn parses_escapes_and_percent_encoding() {
        let cases = [
            (
                "#/components/schemas/Foo",
                vec!["components", "schemas", "Foo"],
            ),
            (
                "#/paths/~1v1~1oauth2~1token/post/x-components/Req",
                vec!["paths", "/v1/oauth2/token", "post", "x-components", "Req"],
            ),
            ("#/a~0b/c%20d", vec!["a~b", "c d"]),
            ("#/paths/%7E1v1%7E1x", vec!["paths", "/v1/x"]),
        ];
        for (reference, expected) in cases {
            let target = parse(reference).expect(reference);
            assert_eq!(target.segments, expected, "{reference}");
        }
        assert_eq!(
            parse("#/paths/%7E1v1").expect("percent").pointer,
            "#/paths/~1v1",
            "canonical pointer is RFC 6901 only"
        );
    }

    #[test]
    fn labels_skip_locations() {
        let label = |r: &str| type_label(&parse(r).expect(r).segments);
        assert_eq!(label("#/paths/~1v1~1t/post/x-components/Req"), "Req");
        assert_eq!(
            label("#/paths/~1v1~1t/post/requestBody/content/application~1json/schema"),
            "post"
        );
        assert_eq!(label("#/x-shared/we%20ird~1name"), "we ird/name");
        assert_eq!(label("#/components/schemas/A/properties/0"), "A");
        assert_eq!(label("#"), "Schema");
    }

    #[test]
    fn refuses_remote_anchors_and_bad_escapes() {
        for (reference, needle) in [
            ("other.json#/components/schemas/Foo", "remote $ref"),
            ("https://x.test/s.json", "remote $ref"),
            ("#Foo", "not a JSON pointer"),
            ("#/a~2b", "invalid escape"),
            ("#/a%FF", "UTF-8"),
        ] {
            let err = parse(reference).expect_err(reference);
            assert!(err.contains(needle), "{reference}: {err}");
        }
    }

    #[test]
    fn resolves_anywhere_and_reports_dangling() {
        let spec = json!({"paths": {"/t": {"post": {"x-components": {"R": {"type": "string"}}}}}});
        let (target, node) = resolve(&spec, "#/paths/~1t/post/x-components/R").expect("resolves");
        assert_eq!(node, &json!({"type": "string"}));
        assert_eq!(target.component_schema(), None);
        let err = resolve(&spec, "#/paths/~1t/get").expect_err("dangling");
        assert!(
            err.contains("dangling") && err.contains("#/paths/~1t/get"),
            "{err}"
        );
    }
}
