//! Parsing a webhook body into a typed [`WebhookEvent`].
//!
//! The `type` tag is read first (cheaply: Polar puts it first), then the body is decoded
//! once, straight into the payload type for that tag. No intermediate `serde_json::Value`
//! is built for known events.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::WebhookError;
use crate::bindings::WebhookEvent;
use crate::runtime::json::{self, DecodeError};

impl WebhookEvent {
    /// Parse a webhook body (not verified: use
    /// [`Webhook::verify_and_parse`](super::Webhook::verify_and_parse) for a request).
    ///
    /// - a known `type` decodes into its payload type (unknown fields are ignored,
    ///   unknown enum values are kept in `Unknown` variants);
    /// - an unknown `type` gives [`WebhookEvent::Unknown`] with the whole body as JSON;
    /// - anything else (not JSON, truncated, empty, no string `type`, a field of the
    ///   wrong type) is [`WebhookError::InvalidPayload`], with the JSON path of the problem.
    pub fn from_slice(body: &[u8]) -> Result<Self, WebhookError> {
        let event_type = event_type_of(body)?;
        match Self::decode_known(&event_type, body) {
            Some(decoded) => Ok(decoded?),
            None => Ok(Self::Unknown {
                raw: json::decode(body)?,
                event_type: event_type.into_owned(),
            }),
        }
    }

    /// `true` for an event type this version of the crate does not know (a handler
    /// should accept it with `202 Accepted` and log it).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown { .. })
    }
}

/// The `type` tag of a webhook body.
///
/// Fast path: the body starts with `{"type":"<tag>"` (whitespace allowed), which is how
/// Polar serializes every event, and the tag has no escapes. Otherwise one serde pass over
/// the body reads the `type` member and skips everything else without building values.
pub(crate) fn event_type_of(body: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    if let Some(tag) = leading_type_tag(body) {
        return Ok(Cow::Borrowed(tag));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    TypeTag
        .deserialize(serde_path_to_error::Deserializer::new(
            &mut deserializer,
            &mut track,
        ))
        .map_err(|err| DecodeError::from_serde(&track.path().to_string(), &err, Some(body)))
}

fn leading_type_tag(body: &[u8]) -> Option<&str> {
    let rest = skip_whitespace(body).strip_prefix(b"{")?;
    let rest = skip_whitespace(rest).strip_prefix(b"\"type\"")?;
    let rest = skip_whitespace(rest).strip_prefix(b":")?;
    let rest = skip_whitespace(rest).strip_prefix(b"\"")?;
    let end = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    if rest[end] != b'"' {
        return None;
    }
    std::str::from_utf8(&rest[..end]).ok()
}

fn skip_whitespace(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Reads the `type` member of a JSON object, skipping all other members.
struct TypeTag;

impl<'de> DeserializeSeed<'de> for TypeTag {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TypeTag {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a webhook event object with a string `type`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut tag = None;
        while let Some(is_type) = map.next_key::<IsTypeKey>()? {
            if !is_type.0 {
                map.next_value::<IgnoredAny>()?;
            } else if tag.is_some() {
                return Err(de::Error::duplicate_field("type"));
            } else {
                tag = Some(map.next_value::<TagValue>()?.0);
            }
        }
        tag.ok_or_else(|| de::Error::missing_field("type"))
    }
}

/// An object key, remembered only as "is it `type`?".
struct IsTypeKey(bool);

impl<'de> serde::Deserialize<'de> for IsTypeKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = IsTypeKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<IsTypeKey, E> {
                Ok(IsTypeKey(key == "type"))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// The `type` value: borrowed from the body unless it had escapes.
struct TagValue<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for TagValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagVisitor;
        impl<'de> Visitor<'de> for TagVisitor {
            type Value = TagValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<TagValue<'de>, E> {
                Ok(TagValue(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TagValue<'de>, E> {
                Ok(TagValue(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(TagVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(body: &str) -> Result<Cow<'_, str>, DecodeError> {
        event_type_of(body.as_bytes())
    }

    #[test]
    fn fast_path_borrows_the_leading_tag() {
        assert_eq!(
            leading_type_tag(br#"{"type":"order.paid","data":{}}"#),
            Some("order.paid")
        );
        assert_eq!(leading_type_tag(b" \n{ \"type\" :\t\"a.b\" }"), Some("a.b"));
        // Not leading, escaped, or not a string: left to the serde pass.
        assert_eq!(
            leading_type_tag(br#"{"data":{},"type":"order.paid"}"#),
            None
        );
        assert_eq!(leading_type_tag(br#"{"type":"order\u002epaid"}"#), None);
        assert_eq!(leading_type_tag(br#"{"type":1}"#), None);
        assert_eq!(leading_type_tag(br#"{"type":"order.paid"#), None);
    }

    #[test]
    fn slow_path_finds_the_tag_anywhere() {
        assert_eq!(
            tag(r#"{"data":{"type":"x"},"type":"order.paid"}"#).unwrap(),
            "order.paid"
        );
        assert_eq!(tag(r#"{"type":"order\u002epaid"}"#).unwrap(), "order.paid");
        assert!(matches!(
            tag(r#"{"a":[1,{"b":null}],"type":"x.y"}"#).unwrap(),
            Cow::Borrowed("x.y")
        ));
    }

    #[test]
    fn tag_errors_carry_a_path() {
        let missing = tag(r#"{"data":{}}"#).unwrap_err();
        assert_eq!(missing.path, ".");
        assert!(
            missing.message.contains("missing field `type`"),
            "{missing}"
        );

        let not_string = tag(r#"{"data":{},"type":7}"#).unwrap_err();
        assert_eq!(not_string.path, "type");

        let duplicate = tag(r#"{"data":{},"type":"a","type":"b"}"#).unwrap_err();
        assert!(duplicate.message.contains("duplicate field"), "{duplicate}");

        let nested = tag(r#"{"data":{"x":[1,}],"type":"a"}"#).unwrap_err();
        // Skipped members are not descended into, so the path stops at the member.
        assert_eq!(nested.path, "data");

        for body in ["", "   ", "[]", "\"order.paid\"", "{\"type\":"] {
            assert!(tag(body).is_err(), "{body:?}");
        }
    }
}
