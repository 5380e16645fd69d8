//! Sending one batch through the generated `events().ingest()`: retries with backoff and
//! jitter, `Retry-After`, and events Polar rejects singled out from the rest.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use super::event::IngestEvent;
use super::failure::FailureKind;
use super::stats::{Counter, Counters};
use crate::models::EventsIngest;
use crate::runtime::retry::backoff;
use crate::{Client, Error, RequestOptions, RetryPolicy};

/// An event with its sequence number (its position in the spool).
pub(crate) type Item = (u64, IngestEvent);

/// Events given up on, before they are handed to the caller.
pub(crate) struct Failed {
    pub(crate) items: Vec<Item>,
    pub(crate) kind: FailureKind,
    pub(crate) status: Option<u16>,
    pub(crate) message: String,
}

/// What became of a batch: every item ends up in exactly one of the two.
#[derive(Default)]
pub(crate) struct Outcome {
    pub(crate) delivered: Vec<u64>,
    pub(crate) failed: Vec<Failed>,
}

/// How to send batches.
pub(crate) struct Sender {
    pub(crate) client: Client,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
}

/// What to do after one failed attempt.
enum Next {
    /// Retry the same events after this wait (`None`: computed backoff).
    Retry(Option<Duration>),
    /// The events were accepted even though the answer could not be read.
    Delivered,
    /// Polar rejected some events: these indices (into the batch) with their messages.
    Invalid(BTreeMap<usize, Vec<String>>),
    /// Not retried, not the events' fault.
    Refused,
}

/// Most requests spent singling out bad events when Polar rejects a batch without naming
/// any (halving finds one bad event among 500 in about 18): past it, the parts still
/// unresolved fail as a whole instead of costing up to 2N-1 requests.
pub(crate) const MAX_SPLIT_REQUESTS: u32 = 24;

impl Sender {
    /// Sends `batch`; returns once every event is delivered or failed.
    pub(crate) async fn deliver(&self, batch: Vec<Item>, counters: &Counters) -> Outcome {
        let mut outcome = Outcome::default();
        let mut parts = VecDeque::from([batch]);
        let mut splits = 0;
        while let Some(part) = parts.pop_front() {
            if splits > 0 {
                // A request after a rejection: back off as after any failed attempt.
                tokio::time::sleep(backoff(&self.retry, 0)).await;
            }
            self.deliver_part(part, counters, &mut outcome, &mut parts, &mut splits)
                .await;
        }
        outcome
    }

    /// Sends one part until it is delivered, failed, or split into `parts`.
    async fn deliver_part(
        &self,
        part: Vec<Item>,
        counters: &Counters,
        outcome: &mut Outcome,
        parts: &mut VecDeque<Vec<Item>>,
        splits: &mut u32,
    ) {
        let mut retries = 0;
        loop {
            counters.add(Counter::Requests, 1);
            let body = EventsIngest {
                events: part.iter().map(|(_, event)| event.clone()).collect(),
            };
            let options = RequestOptions::new().timeout(self.timeout).max_retries(0);
            let result = self
                .client
                .events()
                .ingest(body)
                .options(options)
                .send()
                .await;
            let err = match result {
                Ok(response) => {
                    counters.add(Counter::Sent, part.len() as u64);
                    counters.add(Counter::Inserted, response.inserted.max(0) as u64);
                    let duplicates = response.duplicates.unwrap_or(0).max(0) as u64;
                    counters.add(Counter::Duplicates, duplicates);
                    outcome.delivered.extend(part.iter().map(|(seq, _)| *seq));
                    return;
                }
                Err(err) => err,
            };
            let fail = |kind, outcome: &mut Outcome, items: Vec<Item>, message: String| {
                outcome.failed.push(Failed {
                    items,
                    kind,
                    status: err.status(),
                    message,
                })
            };
            match classify(&err, part.len()) {
                Next::Delivered => {
                    counters.add(Counter::Sent, part.len() as u64);
                    outcome.delivered.extend(part.iter().map(|(seq, _)| *seq));
                    return;
                }
                Next::Retry(_) if retries >= self.retry.max_retries => {
                    let message = err.to_string();
                    return fail(FailureKind::RetriesExhausted, outcome, part, message);
                }
                Next::Retry(asked) => {
                    let wait = asked
                        .map(|asked| asked.min(self.retry.max_retry_after))
                        .unwrap_or_else(|| backoff(&self.retry, retries));
                    tokio::time::sleep(wait).await;
                    retries += 1;
                    counters.add(Counter::Retried, part.len() as u64);
                }
                Next::Refused => {
                    let message = err.to_string();
                    return fail(FailureKind::Refused, outcome, part, message);
                }
                Next::Invalid(named) if named.is_empty() => {
                    // Polar did not say which events: halve until each bad one is alone,
                    // within a budget of requests.
                    if part.len() == 1 {
                        let message = err.to_string();
                        return fail(FailureKind::Invalid, outcome, part, message);
                    }
                    if *splits + 2 > MAX_SPLIT_REQUESTS {
                        let message = format!(
                            "{err} (rejected without naming events; gave up singling them \
                             out after {MAX_SPLIT_REQUESTS} requests)"
                        );
                        return fail(FailureKind::Invalid, outcome, part, message);
                    }
                    *splits += 2;
                    let mut first = part;
                    let second = first.split_off(first.len() / 2);
                    parts.push_front(second);
                    parts.push_front(first);
                    return;
                }
                Next::Invalid(named) => {
                    let message = named
                        .iter()
                        .map(|(index, messages)| {
                            format!("events[{index}]: {}", messages.join("; "))
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    let (bad, good): (Vec<_>, Vec<_>) = part
                        .into_iter()
                        .enumerate()
                        .partition(|(index, _)| named.contains_key(index));
                    let strip = |items: Vec<(usize, Item)>| {
                        items.into_iter().map(|(_, item)| item).collect::<Vec<_>>()
                    };
                    fail(FailureKind::Invalid, outcome, strip(bad), message);
                    let good = strip(good);
                    if !good.is_empty() {
                        // The request was rejected as a whole: the others were not stored.
                        parts.push_front(good);
                    }
                    return;
                }
            }
        }
    }
}

/// Sorts a failed attempt into retry, reject or give up.
fn classify(err: &Error, batch_len: usize) -> Next {
    match err {
        Error::RateLimited { retry_after, .. } => Next::Retry(*retry_after),
        Error::Timeout { .. } | Error::Network { .. } => Next::Retry(None),
        Error::Api {
            status,
            retry_after,
            ..
        } if *status >= 500 || *status == 408 => Next::Retry(*retry_after),
        // The token provider failed (e.g. a refresh that hit a network error): it may
        // well work next time, and the events are not at fault.
        Error::Credential { .. } => Next::Retry(None),
        Error::Api {
            status: 400 | 413 | 422,
            raw,
            ..
        } => Next::Invalid(named_events(raw, batch_len)),
        Error::Decode { status, .. } if (200..300).contains(status) => Next::Delivered,
        _ => Next::Refused,
    }
}

/// The events a validation error names: `detail[].loc` = `["body", "events", i, …]`.
/// Empty when the body names none (or names an index outside the batch).
fn named_events(raw: &str, batch_len: usize) -> BTreeMap<usize, Vec<String>> {
    let mut named: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let Ok(body) = serde_json::from_str::<serde_json::Value>(raw) else {
        return named;
    };
    let Some(details) = body.get("detail").and_then(|d| d.as_array()) else {
        return named;
    };
    for detail in details {
        let loc = detail.get("loc").and_then(|l| l.as_array());
        let index = loc.and_then(|loc| match loc.as_slice() {
            [body, events, index, ..] if body == "body" && events == "events" => index.as_u64(),
            _ => None,
        });
        let Some(index) = index.map(|i| i as usize).filter(|i| *i < batch_len) else {
            // Something outside the events (or unreadable): cannot single anyone out.
            return BTreeMap::new();
        };
        let field = loc
            .map(|loc| {
                loc.iter()
                    .skip(3)
                    .map(|part| part.as_str().map(str::to_owned).unwrap_or(part.to_string()))
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .unwrap_or_default();
        let msg = detail
            .get("msg")
            .and_then(|m| m.as_str())
            .unwrap_or("invalid");
        let text = if field.is_empty() {
            msg.to_owned()
        } else {
            format!("{field}: {msg}")
        };
        named.entry(index).or_default().push(text);
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_name_their_events() {
        let raw = r#"{"detail":[
            {"loc":["body","events",2,"name"],"msg":"Field required","type":"missing"},
            {"loc":["body","events",0,"metadata","k"],"msg":"too long","type":"x"},
            {"loc":["body","events",2,"timestamp"],"msg":"in the future","type":"x"}]}"#;
        let named = named_events(raw, 3);
        assert_eq!(named.keys().copied().collect::<Vec<_>>(), [0, 2]);
        assert_eq!(
            named[&2],
            ["name: Field required", "timestamp: in the future"]
        );
        assert_eq!(named[&0], ["metadata.k: too long"]);
    }

    #[test]
    fn unattributable_errors_name_nobody() {
        for raw in [
            "not json",
            r#"{"detail":"Payload too large"}"#,
            r#"{"detail":[{"loc":["body"],"msg":"bad","type":"x"}]}"#,
            r#"{"detail":[{"loc":["body","events",9],"msg":"bad","type":"x"}]}"#,
            r#"{"detail":[{"loc":["body","events",0],"msg":"a","type":"x"},{"loc":["query","x"],"msg":"b","type":"x"}]}"#,
        ] {
            assert!(named_events(raw, 3).is_empty(), "{raw}");
        }
    }
}
