//! Reading the three `webhook-*` headers from whatever a web framework hands over.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::marker::PhantomData;

/// The message id header: unique per message, the same on every retry of it.
pub const HEADER_ID: &str = "webhook-id";
/// The header with the time of sending, in Unix seconds.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// The header with the signatures: space-separated `v1,<base64>` entries.
pub const HEADER_SIGNATURE: &str = "webhook-signature";

/// A set of HTTP headers that the `webhook-*` headers can be read from.
///
/// Implemented for [`http::HeaderMap`], string maps (`HashMap`, `BTreeMap`), lists of
/// name/value pairs and, through [`header_fn`], any lookup function. Header names are
/// matched case-insensitively.
pub trait WebhookHeaders {
    /// The value of the header `name` (given in lower case), or `None` if absent.
    ///
    /// Returned as bytes: the verifier itself reports a value that is not text.
    fn header_bytes(&self, name: &str) -> Option<&[u8]>;
}

impl WebhookHeaders for http::HeaderMap {
    fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(http::HeaderValue::as_bytes)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S: BuildHasher> WebhookHeaders for HashMap<K, V, S> {
    fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        find_pair(self.iter(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for BTreeMap<K, V> {
    fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        find_pair(self.iter(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        find_pair(self.iter().map(|(k, v)| (k, v)), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header_bytes(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header_bytes(name)
    }
}

impl<T: WebhookHeaders + ?Sized> WebhookHeaders for &T {
    fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        (**self).header_bytes(name)
    }
}

/// The first pair whose key equals `name` ignoring ASCII case (a few headers: a scan is
/// as fast as hashing, and works for maps that were not built with lower-case keys).
fn find_pair<'a, K, V>(
    mut pairs: impl Iterator<Item = (&'a K, &'a V)>,
    name: &str,
) -> Option<&'a [u8]>
where
    K: AsRef<str> + 'a,
    V: AsRef<str> + 'a,
{
    pairs
        .find(|(key, _)| key.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_ref().as_bytes())
}

/// Headers read through a lookup function; made by [`header_fn`].
pub struct HeaderFn<'h, F> {
    lookup: F,
    // Ties the values' lifetime to the wrapper, so `&self` cannot outlive them.
    values: PhantomData<&'h str>,
}

/// Read the headers through `lookup`, which is called with each lower-case header name and
/// must itself match names case-insensitively if its source does not normalize them.
///
/// ```
/// # use polar::webhooks::{header_fn, WebhookHeaders};
/// let pairs = [("Webhook-Id", "msg_1")];
/// let headers = header_fn(|name| {
///     pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
/// });
/// assert_eq!(headers.header_bytes("webhook-id"), Some(&b"msg_1"[..]));
/// ```
pub fn header_fn<'h, F>(lookup: F) -> HeaderFn<'h, F>
where
    F: Fn(&str) -> Option<&'h str>,
{
    HeaderFn {
        lookup,
        values: PhantomData,
    }
}

impl<'h, F> WebhookHeaders for HeaderFn<'h, F>
where
    F: Fn(&str) -> Option<&'h str>,
{
    fn header_bytes(&self, name: &str) -> Option<&[u8]> {
        (self.lookup)(name).map(str::as_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_matches_names_case_insensitively() {
        let mut header_map = http::HeaderMap::new();
        header_map.insert("Webhook-Id", http::HeaderValue::from_static("msg_1"));
        let hash_map: HashMap<String, String> =
            [("WEBHOOK-ID".to_owned(), "msg_1".to_owned())].into();
        let btree_map: BTreeMap<&str, &str> = [("Webhook-Id", "msg_1")].into();
        let pairs = vec![("webhook-ID", "msg_1")];
        let lookup = header_fn(|name| (name == "webhook-id").then_some("msg_1"));

        let sources: [&dyn WebhookHeaders; 5] =
            [&header_map, &hash_map, &btree_map, &pairs, &lookup];
        for headers in sources {
            assert_eq!(headers.header_bytes(HEADER_ID), Some(&b"msg_1"[..]));
            assert_eq!(headers.header_bytes(HEADER_SIGNATURE), None);
        }
    }
}
