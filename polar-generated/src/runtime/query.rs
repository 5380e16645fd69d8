//! Query-string encoding: arrays as repeated keys, `deepObject` maps as
//! `name[key]=value`, dates in RFC 3339, enums as their wire strings.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// Ordered query pairs, not yet percent-encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(Cow<'static, str>, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// The pairs pushed so far, in order, not yet percent-encoded.
    pub fn pairs(&self) -> &[(Cow<'static, str>, String)] {
        &self.pairs
    }

    /// Whether no pair was pushed.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `name=value` with a name computed at run time.
    pub fn push_raw(&mut self, name: impl Into<Cow<'static, str>>, value: String) {
        self.pairs.push((name.into(), value));
    }

    /// `name=value`.
    pub fn push<T: QueryValue + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.pairs
            .push((Cow::Borrowed(name), value.to_query_value()));
    }

    /// `name=value` when present.
    pub fn push_opt<T: QueryValue>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.push(name, value);
        }
    }

    /// One `name=value` pair per element (form style, explode).
    pub fn push_each<T: QueryValue>(&mut self, name: &'static str, values: &[T]) {
        for value in values {
            self.push(name, value);
        }
    }

    /// `name[key]=value` per entry (deepObject style); list values repeat the key. Keys
    /// are written with `Display`: a string, a UUID or a string enum's wire value.
    pub fn push_deep_object<K: std::fmt::Display, V: DeepObjectValue>(
        &mut self,
        name: &'static str,
        map: &BTreeMap<K, V>,
    ) {
        for (key, value) in map {
            let key: Cow<'static, str> = Cow::Owned(format!("{name}[{key}]"));
            for item in value.to_query_values() {
                self.pairs.push((key.clone(), item));
            }
        }
    }

    /// `name[key]=value` per entry (deepObject style) for any serializable object, such as
    /// a named alias of a map or an `Option` of one; list values repeat the key. `null`
    /// sends nothing; a value that is not an object is sent like [`Query::push_serialized`].
    pub fn push_deep_object_serialized<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => {
                for (key, value) in map {
                    let key: Cow<'static, str> = Cow::Owned(format!("{name}[{key}]"));
                    for item in value.to_query_values() {
                        self.pairs.push((key.clone(), item));
                    }
                }
            }
            Ok(serde_json::Value::Null) | Err(_) => {}
            Ok(_) => self.push_serialized(name, value),
        }
    }

    /// `name=value` for any serializable value: strings as-is, numbers and booleans as
    /// JSON text, lists as repeated keys, `null` omitted.
    pub fn push_serialized<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => {
                for item in items {
                    if let Some(text) = scalar_text(&item) {
                        self.pairs.push((Cow::Borrowed(name), text));
                    }
                }
            }
            Ok(other) => {
                if let Some(text) = scalar_text(&other) {
                    self.pairs.push((Cow::Borrowed(name), text));
                }
            }
            Err(_) => {}
        }
    }

    /// `application/x-www-form-urlencoded` / URL query encoding of all pairs.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.extend(percent_encoding::utf8_percent_encode(k, QUERY_SET));
            out.push('=');
            out.extend(percent_encoding::utf8_percent_encode(v, QUERY_SET));
        }
        out
    }
}

/// Characters escaped in query keys and values (everything but unreserved).
const QUERY_SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Characters escaped in a path segment.
pub const PATH_SEGMENT: &percent_encoding::AsciiSet = QUERY_SET;

/// Percent-encode one path parameter value.
pub fn path_segment<T: QueryValue + ?Sized>(value: &T) -> String {
    percent_encoding::utf8_percent_encode(&value.to_query_value(), PATH_SEGMENT).to_string()
}

/// A value that can be written into a query string or path.
pub trait QueryValue {
    /// The value's text before percent-encoding.
    fn to_query_value(&self) -> String;
}

impl QueryValue for str {
    fn to_query_value(&self) -> String {
        self.to_owned()
    }
}
impl QueryValue for String {
    fn to_query_value(&self) -> String {
        self.clone()
    }
}
impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn to_query_value(&self) -> String {
        (**self).to_query_value()
    }
}
macro_rules! display_query_value {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn to_query_value(&self) -> String { self.to_string() }
        }
    )*};
}
display_query_value!(i64, i32, u32, u64, f64, bool, uuid::Uuid, chrono::NaiveDate);

impl QueryValue for chrono::DateTime<chrono::Utc> {
    fn to_query_value(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

/// A value of a `deepObject` map: a scalar or a list of scalars.
pub trait DeepObjectValue {
    /// One query value per element (a scalar gives one).
    fn to_query_values(&self) -> Vec<String>;
}

/// Any serializable value: strings as they are, numbers and booleans as their JSON text,
/// dates as serde writes them (RFC 3339 for `chrono`), arrays as one value per element,
/// `null` as no value. Objects, which a `deepObject` value cannot nest, are sent as JSON.
impl<T: serde::Serialize + ?Sized> DeepObjectValue for T {
    fn to_query_values(&self) -> Vec<String> {
        fn flatten(value: serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(text) => out.push(text),
                serde_json::Value::Array(items) => {
                    for item in items {
                        flatten(item, out);
                    }
                }
                other => out.push(other.to_string()),
            }
        }
        let mut out = Vec::new();
        // Serializing plain data into a `Value` cannot fail; a failing custom impl sends nothing.
        if let Ok(value) = serde_json::to_value(self) {
            flatten(value, &mut out);
        }
        out
    }
}

/// The query text of a JSON scalar (`None` for null; objects as JSON text).
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_object_values() {
        let mut metadata: BTreeMap<String, serde_json::Value> = BTreeMap::new();
        metadata.insert("plan".into(), "pro plus".into());
        metadata.insert("seats".into(), 3.into());
        metadata.insert("beta".into(), true.into());
        metadata.insert("tags".into(), serde_json::json!(["a", 1]));
        metadata.insert("gone".into(), serde_json::Value::Null);
        let mut query = Query::new();
        query.push_deep_object("metadata", &metadata);
        assert_eq!(
            query.encode(),
            "metadata%5Bbeta%5D=true&metadata%5Bplan%5D=pro%20plus&metadata%5Bseats%5D=3\
             &metadata%5Btags%5D=a&metadata%5Btags%5D=1"
        );
    }

    #[test]
    fn deep_object_keys_are_written_with_display() {
        let id: uuid::Uuid = "4f1c1e0e-5b7e-4c8e-9a39-6c0b1b0d2a11".parse().unwrap();
        let mut query = Query::new();
        query.push_deep_object("archived", &BTreeMap::from([(id, true)]));
        assert_eq!(
            query.encode(),
            "archived%5B4f1c1e0e-5b7e-4c8e-9a39-6c0b1b0d2a11%5D=true"
        );
    }

    #[test]
    fn deep_object_through_an_alias_or_option() {
        type MetadataQuery = Option<BTreeMap<String, serde_json::Value>>;
        let mut map = BTreeMap::new();
        map.insert("plan".to_owned(), serde_json::json!("pro"));
        map.insert("tags".to_owned(), serde_json::json!(["a", "b"]));
        let value: MetadataQuery = Some(map);
        let mut query = Query::new();
        query.push_deep_object_serialized("metadata", &value);
        query.push_deep_object_serialized("other", &None::<BTreeMap<String, i64>>);
        assert_eq!(
            query.encode(),
            "metadata%5Bplan%5D=pro&metadata%5Btags%5D=a&metadata%5Btags%5D=b"
        );
    }

    #[test]
    fn dates_and_arrays() {
        let mut query = Query::new();
        let at = chrono::DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        query.push("after", &at);
        query.push_each("id", &["a", "b"]);
        query.push_opt::<i64>("page", &None);
        assert_eq!(query.encode(), "after=2026-01-02T03%3A04%3A05Z&id=a&id=b");
        assert!(!query.is_empty());
    }
}
