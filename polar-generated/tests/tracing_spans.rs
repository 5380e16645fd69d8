//! The `tracing` feature: one span per call with operation id, method, path template,
//! status, attempt count and duration; retries and rate-limit waits as events in it; no
//! token or body anywhere. Captured with a minimal in-test subscriber.
#![cfg(feature = "tracing")]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use polar::{Client, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

type Fields = BTreeMap<String, String>;

#[derive(Debug, Clone)]
struct CapturedSpan {
    name: &'static str,
    level: Level,
    fields: Fields,
}

#[derive(Debug, Clone)]
struct CapturedEvent {
    parent: Option<u64>,
    level: Level,
    fields: Fields,
}

/// Records every span (with later `record`ed fields) and event it sees.
#[derive(Default, Clone)]
struct Capture {
    spans: Arc<Mutex<Vec<CapturedSpan>>>,
    events: Arc<Mutex<Vec<CapturedEvent>>>,
}

struct FieldVisitor<'a>(&'a mut Fields);

impl Visit for FieldVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut fields = Fields::new();
        attrs.record(&mut FieldVisitor(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push(CapturedSpan {
            name: attrs.metadata().name(),
            level: *attrs.metadata().level(),
            fields,
        });
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let span = &mut spans[id.into_u64() as usize - 1];
        values.record(&mut FieldVisitor(&mut span.fields));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut FieldVisitor(&mut fields));
        self.events.lock().unwrap().push(CapturedEvent {
            parent: event.parent().map(Id::into_u64),
            level: *event.metadata().level(),
            fields,
        });
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl Capture {
    /// The `polar.request` spans with their ids.
    fn calls(&self) -> Vec<(u64, CapturedSpan)> {
        let spans = self.spans.lock().unwrap();
        (1..)
            .zip(spans.iter().cloned())
            .filter(|(_, s)| s.name == "polar.request")
            .collect()
    }
    fn events_in(&self, span: u64) -> Vec<CapturedEvent> {
        let events = self.events.lock().unwrap();
        events
            .iter()
            .filter(|e| e.parent == Some(span))
            .cloned()
            .collect()
    }
    /// Everything recorded, as one string, to look for secrets.
    fn everything(&self) -> String {
        format!(
            "{:?}{:?}",
            self.spans.lock().unwrap(),
            self.events.lock().unwrap()
        )
    }
}

const PRODUCT_ID: &str = "992fae2a-2a17-4b7a-8d9e-e287cf90131b";
const TOKEN: &str = "polar_oat_tracing_secret";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .access_token(TOKEN)
        .retry_policy(
            RetryPolicy::new()
                .max_retries(2)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .http_client(
            polar::client::reqwest::Client::builder()
                .no_proxy()
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn customer_body() -> String {
    include_str!("fixtures/customer.json").to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn one_span_per_call_with_its_outcome_and_no_secrets() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(customer_body(), "application/json"))
        .mount(&server)
        .await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let id = uuid::Uuid::parse_str(PRODUCT_ID).unwrap();
    client(&server).customers().get(id).await.unwrap();

    let calls = capture.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let (span_id, span) = &calls[0];
    assert_eq!(span.level, Level::INFO);
    let f = &span.fields;
    assert_eq!(f["operation_id"], "customers:get");
    assert_eq!(f["method"], "GET");
    assert_eq!(f["path_template"], "/v1/customers/{id}");
    assert_eq!(f["status"], "200");
    assert_eq!(f["attempt"], "1");
    assert!(f["duration_ms"].parse::<u64>().is_ok(), "{f:?}");
    assert!(capture.events_in(*span_id).is_empty());
    let all = capture.everything();
    assert!(!all.contains(TOKEN), "token leaked: {all}");
    assert!(!all.contains("ada@example.com"), "body leaked: {all}");
    assert!(
        !all.contains(PRODUCT_ID),
        "the path template carries no ids: {all}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn retries_and_rate_limit_waits_are_events_in_the_span() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(customer_body(), "application/json"))
        .with_priority(3)
        .mount(&server)
        .await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    client(&server)
        .customers()
        .get(uuid::Uuid::nil())
        .await
        .unwrap();

    let calls = capture.calls();
    assert_eq!(calls.len(), 1);
    let (span_id, span) = &calls[0];
    assert_eq!(span.fields["status"], "200");
    assert_eq!(span.fields["attempt"], "3");
    let events = capture.events_in(*span_id);
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events.iter().all(|e| e.level == Level::INFO));
    assert_eq!(events[0].fields["status"], "502");
    assert_eq!(events[0].fields["next_attempt"], "2");
    assert!(
        events[0].fields["message"].contains("retrying"),
        "{events:?}"
    );
    assert_eq!(events[1].fields["status"], "429");
    assert_eq!(events[1].fields["next_attempt"], "3");
    assert_eq!(events[1].fields["wait_ms"], "0");
    assert!(
        events[1].fields["message"].contains("rate limited"),
        "{events:?}"
    );
}
