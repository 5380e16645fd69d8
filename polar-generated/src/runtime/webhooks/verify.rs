//! [`Webhook`]: checks that a delivery comes from Polar, per Standard Webhooks.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use hmac::digest::{CtOutput, Output};
use hmac::Mac;

use super::headers::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use super::secret::{HmacSha256, BASE64};
use super::{QueuedPayload, VerifiedEvent, VerifiedPayload};
use super::{WebhookError, WebhookHeaders, WebhookSecret};
use crate::bindings::WebhookEvent;

/// How far `webhook-timestamp` may be from the current time, in either direction.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The signature scheme this crate verifies; entries of other schemes are ignored.
const SCHEME_V1: &str = "v1";

/// Length of an HMAC-SHA256 tag.
const TAG_LEN: usize = 32;

/// Verifies (and signs) Polar webhook deliveries with one endpoint secret.
///
/// Cheap to clone (clones share the secret); build it once at start-up and share it
/// between requests, e.g. as axum state.
#[derive(Clone)]
pub struct Webhook {
    secret: Arc<WebhookSecret>,
    tolerance: Duration,
    /// Index (in [`WebhookSecret::keys`] order) of the key that matched last: tried first
    /// next time, so an endpoint on Polar's older scheme does not pay for two HMACs per
    /// delivery. Shared by clones, so a clone per request still learns it. Which key
    /// matches is not secret; this changes only the order.
    last_matched: Arc<AtomicUsize>,
}

impl Webhook {
    /// A verifier for the endpoint secret shown in the Polar dashboard, with the
    /// [default tolerance](DEFAULT_TOLERANCE) of five minutes.
    ///
    /// Both kinds of Polar secret work as they are: see
    /// [the module documentation](super#secrets-and-polars-two-signing-schemes).
    /// Fails only for an empty secret or one with surrounding whitespace.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        Ok(Self::from_secret(WebhookSecret::new(secret)?))
    }

    /// A verifier for an already parsed secret.
    pub fn from_secret(secret: WebhookSecret) -> Self {
        Self {
            secret: Arc::new(secret),
            tolerance: DEFAULT_TOLERANCE,
            last_matched: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Accept timestamps up to `tolerance` away from the current time (either direction).
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The secret's keys.
    pub fn secret(&self) -> &WebhookSecret {
        &self.secret
    }

    /// The accepted distance between `webhook-timestamp` and now.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Check that `body` (the raw request body, exactly as received) was signed by Polar
    /// with this secret less than the tolerance ago (or ahead), and return it with its id
    /// and timestamp, to [`parse`](VerifiedPayload::parse) now or later (e.g. in a worker,
    /// after queueing it).
    ///
    /// Checks, in order: the three headers are present and readable; the timestamp is
    /// within tolerance of the system clock; some `v1` entry of `webhook-signature` is the
    /// HMAC-SHA256 of `"{id}.{timestamp}.{body}"` under one of the secret's keys
    /// (compared in constant time).
    pub fn verify<H>(&self, body: &[u8], headers: &H) -> Result<VerifiedPayload, WebhookError>
    where
        H: WebhookHeaders + ?Sized,
    {
        self.verify_at(body, headers, SystemTime::now())
    }

    /// [`verify`](Self::verify) against the given time instead of the system clock: for
    /// tests, and for deliveries that were stored before being checked (pass the time they
    /// were received). A `chrono::DateTime<Utc>` converts with `.into()`.
    pub fn verify_at<H>(
        &self,
        body: &[u8],
        headers: &H,
        now: SystemTime,
    ) -> Result<VerifiedPayload, WebhookError>
    where
        H: WebhookHeaders + ?Sized,
    {
        let delivery = self.check(body, headers, now)?;
        Ok(VerifiedPayload::new(
            delivery.id,
            delivery.time,
            delivery.signatures,
            body,
        ))
    }

    /// Verify a delivery and parse its body: the id (to deduplicate on), the timestamp and
    /// the event, in one call. An event type this crate does not know comes back as
    /// `Ok` with [`WebhookEvent::Unknown`]; see [`WebhookEvent::from_slice`] for the rest.
    pub fn verify_and_parse<H>(
        &self,
        body: &[u8],
        headers: &H,
    ) -> Result<VerifiedEvent, WebhookError>
    where
        H: WebhookHeaders + ?Sized,
    {
        self.verify_and_parse_at(body, headers, SystemTime::now())
    }

    /// [`verify_and_parse`](Self::verify_and_parse) against the given time instead of the
    /// system clock.
    pub fn verify_and_parse_at<H>(
        &self,
        body: &[u8],
        headers: &H,
        now: SystemTime,
    ) -> Result<VerifiedEvent, WebhookError>
    where
        H: WebhookHeaders + ?Sized,
    {
        let delivery = self.check(body, headers, now)?;
        Ok(VerifiedEvent {
            id: delivery.id.to_owned(),
            timestamp: delivery.time,
            event: WebhookEvent::from_slice(body)?,
        })
    }

    /// Check a stored [`QueuedPayload`] again and trust it: its signature must match its
    /// id, timestamp and body under this secret.
    ///
    /// The timestamp is not compared with the clock (it was when the delivery arrived, and
    /// a queue may hold it for hours), so a record replayed from the queue passes: that is
    /// what deduplicating on [`VerifiedPayload::id`] is for. A record written by anyone
    /// without the secret, or altered in the queue, fails with
    /// [`WebhookError::NoMatchingSignature`].
    pub fn verify_queued(&self, queued: &QueuedPayload) -> Result<VerifiedPayload, WebhookError> {
        let delivery = Delivery {
            id: &queued.id,
            timestamp: queued.timestamp,
            time: date_time(queued.timestamp)?,
            signatures: &queued.signature,
        };
        let body = queued.body.as_bytes();
        self.check_signature(&delivery, body)?;
        Ok(VerifiedPayload::new(
            delivery.id,
            delivery.time,
            delivery.signatures,
            body,
        ))
    }

    /// Headers, timestamp and signature: everything [`verify_at`](Self::verify_at) checks.
    fn check<'h, H>(
        &self,
        body: &[u8],
        headers: &'h H,
        now: SystemTime,
    ) -> Result<Delivery<'h>, WebhookError>
    where
        H: WebhookHeaders + ?Sized,
    {
        let id = required_text(headers, HEADER_ID)?;
        let timestamp = parse_timestamp(required_text(headers, HEADER_TIMESTAMP)?)?;
        let signatures = required_text(headers, HEADER_SIGNATURE)?;
        self.check_timestamp(timestamp, unix_seconds(now))?;
        let delivery = Delivery {
            id,
            timestamp,
            time: date_time(timestamp)?,
            signatures,
        };
        self.check_signature(&delivery, body)?;
        Ok(delivery)
    }

    /// Some `v1` entry of the delivery's signatures matches `body` under one of the keys.
    fn check_signature(&self, delivery: &Delivery<'_>, body: &[u8]) -> Result<(), WebhookError> {
        let mut candidates = [[0u8; TAG_LEN]; MAX_ENTRIES];
        let count = decode_v1_entries(delivery.signatures, &mut candidates);
        let candidates = &candidates[..count];
        if candidates.is_empty() {
            return Err(WebhookError::NoMatchingSignature);
        }
        let mut keys: [Option<&HmacSha256>; 2] = [None; 2];
        for (slot, (_, key)) in keys.iter_mut().zip(self.secret.keys()) {
            *slot = Some(key);
        }
        let first = self.last_matched.load(Ordering::Relaxed) % keys.len();
        for index in [first, 1 - first] {
            let Some(key) = keys[index] else { continue };
            let expected = tag(key, delivery.id, delivery.timestamp, body);
            // Compare with every entry (no early exit inside one key's comparisons).
            let mut matched = false;
            for candidate in candidates {
                let candidate =
                    CtOutput::<HmacSha256>::new(Output::<HmacSha256>::clone_from_slice(candidate));
                matched |= candidate == expected;
            }
            if matched {
                if index != first {
                    self.last_matched.store(index, Ordering::Relaxed);
                }
                return Ok(());
            }
        }
        Err(WebhookError::NoMatchingSignature)
    }

    fn check_timestamp(&self, timestamp: i64, now: i64) -> Result<(), WebhookError> {
        let tolerance = i64::try_from(self.tolerance.as_secs()).unwrap_or(i64::MAX);
        if timestamp < now.saturating_sub(tolerance) {
            Err(WebhookError::TimestampTooOld { timestamp, now })
        } else if timestamp > now.saturating_add(tolerance) {
            Err(WebhookError::TimestampTooNew { timestamp, now })
        } else {
            Ok(())
        }
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secret", &self.secret)
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// The signed parts of a delivery, read from its headers (or from a [`QueuedPayload`]).
struct Delivery<'h> {
    id: &'h str,
    /// As sent, in Unix seconds: what the signature covers.
    timestamp: i64,
    time: DateTime<Utc>,
    signatures: &'h str,
}

/// `webhook-timestamp` as a date-time; only a timestamp beyond year 262,143 has none.
fn date_time(timestamp: i64) -> Result<DateTime<Utc>, WebhookError> {
    DateTime::from_timestamp(timestamp, 0).ok_or(WebhookError::InvalidHeader {
        header: HEADER_TIMESTAMP,
        reason: "the time is out of range",
    })
}

/// The HMAC-SHA256 tag of `"{id}.{timestamp}.{body}"` under `key`.
pub(crate) fn tag(key: &HmacSha256, id: &str, timestamp: i64, body: &[u8]) -> CtOutput<HmacSha256> {
    let mut mac = key.clone();
    mac.update(id.as_bytes());
    mac.update(b".");
    // The decimal form of the parsed number, as the reference implementation signs it.
    mac.update(decimal(timestamp, &mut [0u8; 20]));
    mac.update(b".");
    mac.update(body);
    mac.finalize()
}

/// `value` in decimal, written into `buffer` (no allocation on the hot path).
fn decimal(value: i64, buffer: &mut [u8; 20]) -> &[u8] {
    let negative = value < 0;
    let mut rest = value.unsigned_abs();
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if negative && start > 0 {
        start -= 1;
        buffer[start] = b'-';
    }
    &buffer[start..]
}

/// `"v1,<base64 tag>"`, one entry of `webhook-signature`.
pub(crate) fn format_entry(tag: CtOutput<HmacSha256>) -> String {
    format!("{SCHEME_V1},{}", BASE64.encode(tag.into_bytes()))
}

/// The value of a required header as text; an empty value counts as missing (as in the
/// reference implementation).
fn required_text<'a, H>(headers: &'a H, header: &'static str) -> Result<&'a str, WebhookError>
where
    H: WebhookHeaders + ?Sized,
{
    let bytes = match headers.header_bytes(header) {
        None | Some([]) => return Err(WebhookError::MissingHeader { header }),
        Some(bytes) => bytes,
    };
    std::str::from_utf8(bytes).map_err(|_| WebhookError::InvalidHeader {
        header,
        reason: "the value is not UTF-8 text",
    })
}

/// `webhook-timestamp`: a non-negative integer number of seconds, nothing else.
fn parse_timestamp(text: &str) -> Result<i64, WebhookError> {
    let invalid = |reason| WebhookError::InvalidHeader {
        header: HEADER_TIMESTAMP,
        reason,
    };
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("not a whole number of seconds"));
    }
    text.parse().map_err(|_| invalid("the number is too large"))
}

fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// At most this many `v1` entries are considered (Polar sends one, or a few while a
/// secret is being rotated); more is not a legitimate delivery.
const MAX_ENTRIES: usize = 8;

/// Decode the `v1` entries of `webhook-signature` into `out`; returns how many.
///
/// Entries are separated by spaces; an entry is `<scheme>,<base64>`. Entries of other
/// schemes, malformed entries and ones that do not decode to a 32-byte tag are skipped:
/// they can never match, and skipping them lets a valid entry elsewhere succeed.
fn decode_v1_entries(header: &str, out: &mut [[u8; TAG_LEN]; MAX_ENTRIES]) -> usize {
    let mut count = 0;
    let mut buffer = [0u8; TAG_LEN + 3];
    for entry in header.split_ascii_whitespace() {
        if count == MAX_ENTRIES {
            break;
        }
        let Some((SCHEME_V1, encoded)) = entry.split_once(',') else {
            continue;
        };
        // 32 bytes are 43 or 44 base64 characters; anything longer cannot be a tag.
        if encoded.len() > 44 {
            continue;
        }
        if let Ok(TAG_LEN) = BASE64.decode_slice(encoded, &mut buffer) {
            out[count].copy_from_slice(&buffer[..TAG_LEN]);
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const NOW: i64 = 1_767_225_600;
    const BODY: &[u8] = br#"{"type":"order.paid"}"#;

    fn at(seconds: i64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds as u64)
    }

    fn headers(id: &str, timestamp: &str, signature: &str) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in [
            (HEADER_ID, id),
            (HEADER_TIMESTAMP, timestamp),
            (HEADER_SIGNATURE, signature),
        ] {
            map.insert(name, http::HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn round_trip_with_each_key() {
        let webhook = Webhook::new(SECRET).unwrap();
        for derivation in webhook.secret().derivations() {
            let signature = webhook.sign_with(derivation, "msg_1", NOW, BODY).unwrap();
            let headers = headers("msg_1", &NOW.to_string(), &signature);
            assert_eq!(
                webhook.verify_at(BODY, &headers, at(NOW)).map(drop),
                Ok(()),
                "{derivation:?}"
            );
        }
    }

    #[test]
    fn tolerance_is_inclusive_and_configurable() {
        let webhook = Webhook::new(SECRET).unwrap();
        let signature = webhook.sign("msg_1", NOW, BODY);
        let headers = headers("msg_1", &NOW.to_string(), &signature);
        assert_eq!(
            webhook.verify_at(BODY, &headers, at(NOW + 300)).map(drop),
            Ok(())
        );
        assert_eq!(
            webhook.verify_at(BODY, &headers, at(NOW - 300)).map(drop),
            Ok(())
        );
        assert_eq!(
            webhook.verify_at(BODY, &headers, at(NOW + 301)),
            Err(WebhookError::TimestampTooOld {
                timestamp: NOW,
                now: NOW + 301
            })
        );
        assert_eq!(
            webhook.verify_at(BODY, &headers, at(NOW - 301)),
            Err(WebhookError::TimestampTooNew {
                timestamp: NOW,
                now: NOW - 301
            })
        );
        let lenient = webhook.with_tolerance(Duration::from_secs(3600));
        assert_eq!(
            lenient.verify_at(BODY, &headers, at(NOW + 3000)).map(drop),
            Ok(())
        );
    }

    #[test]
    fn verify_uses_the_system_clock() {
        let webhook = Webhook::new(SECRET).unwrap();
        let now = unix_seconds(SystemTime::now());
        let headers = headers("msg_1", &now.to_string(), &webhook.sign("msg_1", now, BODY));
        assert_eq!(webhook.verify(BODY, &headers).map(drop), Ok(()));
    }

    #[test]
    fn unreadable_headers_are_reported_by_name() {
        let webhook = Webhook::new(SECRET).unwrap();
        let signature = webhook.sign("msg_1", NOW, BODY);
        for timestamp in ["-5", "1.5", "+17", "abc", "99999999999999999999"] {
            let headers = headers("msg_1", timestamp, &signature);
            assert!(
                matches!(
                    webhook.verify_at(BODY, &headers, at(NOW)),
                    Err(WebhookError::InvalidHeader {
                        header: HEADER_TIMESTAMP,
                        ..
                    })
                ),
                "{timestamp}"
            );
        }
        let mut latin1 = headers("msg_1", &NOW.to_string(), &signature);
        latin1.insert(
            HEADER_ID,
            http::HeaderValue::from_bytes(b"caf\xe9").unwrap(),
        );
        assert_eq!(
            webhook.verify_at(BODY, &latin1, at(NOW)),
            Err(WebhookError::InvalidHeader {
                header: HEADER_ID,
                reason: "the value is not UTF-8 text"
            })
        );
    }

    #[test]
    fn entries_are_capped_and_odd_entries_skipped() {
        let webhook = Webhook::new(SECRET).unwrap();
        let good = webhook.sign("msg_1", NOW, BODY);
        let junk = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ".repeat(MAX_ENTRIES);
        let headers = headers("msg_1", &NOW.to_string(), &format!("{junk}{good}"));
        assert_eq!(
            webhook.verify_at(BODY, &headers, at(NOW)),
            Err(WebhookError::NoMatchingSignature)
        );
        let mixed = format!("v1 v1, v2,{0} ,v1 v1,{0}x {good}", &good[3..]);
        let headers = self::headers("msg_1", &NOW.to_string(), &mixed);
        assert_eq!(webhook.verify_at(BODY, &headers, at(NOW)).map(drop), Ok(()));
    }

    #[test]
    fn decimal_matches_display() {
        for value in [0, 7, 10, 1_800_000_000, -1, -42, i64::MAX, i64::MIN] {
            assert_eq!(decimal(value, &mut [0; 20]), value.to_string().as_bytes());
        }
    }

    #[test]
    fn the_last_matching_key_is_tried_first() {
        let webhook = Webhook::new(SECRET).unwrap();
        let raw = webhook
            .sign_with(super::super::KeyDerivation::RawBytes, "msg_1", NOW, BODY)
            .unwrap();
        let decoded = webhook.sign("msg_1", NOW, BODY);
        for (signature, index) in [(&raw, 1), (&raw, 1), (&decoded, 0), (&raw, 1)] {
            let headers = headers("msg_1", &NOW.to_string(), signature);
            assert_eq!(webhook.verify_at(BODY, &headers, at(NOW)).map(drop), Ok(()));
            assert_eq!(webhook.last_matched.load(Ordering::Relaxed), index);
        }
        assert_eq!(webhook.clone().last_matched.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn debug_does_not_show_the_secret() {
        let webhook = Webhook::new(SECRET).unwrap();
        let debug = format!("{webhook:?}");
        assert!(!debug.contains("MfKQ"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
    }
}
