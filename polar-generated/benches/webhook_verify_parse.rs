//! Throughput of `Webhook::verify_and_parse` against a plain typed
//! `serde_json::from_slice::<WebhookOrderPaidPayload>` of the same bytes, in one run.
//! Target: verify + parse at ≥ 0.8× the plain parse's throughput.
//!
//! ```text
//! cargo bench -p polar-generated --bench webhook_verify_parse [-- PATH]
//! POLAR_WEBHOOK_BENCH_PAYLOAD=PATH cargo bench -p polar-generated --bench webhook_verify_parse
//! ```
//!
//! The payload is a realistic `order.paid` body: PATH, else the environment variable,
//! else `tests/fixtures/order_paid.json`. Without one it prints why and exits 0.
//! Not a timed test: it never fails on speed.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use polar::models::WebhookOrderPaidPayload;
use polar::webhooks::Webhook;
use polar::WebhookEvent;

const ENV_VAR: &str = "POLAR_WEBHOOK_BENCH_PAYLOAD";
const TIMESTAMP: i64 = 1_800_000_000;
/// A Standard Webhooks secret: the first key tried (base64-decoded) matches.
const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ROUNDS: usize = 7;
const ROUND_TIME: Duration = Duration::from_millis(200);

fn payload_path() -> PathBuf {
    // `cargo bench` passes `--bench`; the first other argument is the path.
    std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .or_else(|| std::env::var(ENV_VAR).ok())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/order_paid.json")
        })
}

/// Seconds per call of `f`: the best of several timed rounds (less noise from other
/// processes on a shared machine than the mean).
fn seconds_per_call<T>(mut f: impl FnMut() -> T) -> f64 {
    // Calibrate: calls per round.
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < ROUND_TIME / 4 {
        black_box(f());
        calls += 1;
    }
    let per_round = (calls * 4).max(1);
    let mut best = f64::INFINITY;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for _ in 0..per_round {
            black_box(f());
        }
        best = best.min(start.elapsed().as_secs_f64() / per_round as f64);
    }
    best
}

fn report(label: &str, seconds: f64, bytes: usize, baseline: f64) {
    println!(
        "  {label:<44} {:>9.2} µs/event {:>9.1} MB/s {:>7.0} events/s  {:>5.2}×",
        seconds * 1e6,
        bytes as f64 / seconds / 1e6,
        1.0 / seconds,
        baseline / seconds,
    );
}

fn main() {
    let path = payload_path();
    let body = match std::fs::read(&path) {
        Ok(body) => body,
        Err(err) => {
            println!(
                "webhook_verify_parse: no payload at {} ({err}); pass a realistic order.paid \
                 JSON file as argument or in {ENV_VAR}. Skipping.",
                path.display()
            );
            return;
        }
    };
    if let Err(err) = serde_json::from_slice::<WebhookOrderPaidPayload>(&body) {
        println!(
            "webhook_verify_parse: {} is not an order.paid payload for these models ({err}). Skipping.",
            path.display()
        );
        return;
    }

    let standard = Webhook::new(STANDARD_SECRET).expect("secret");
    // An older `whsec_` secret that also decodes as base64, signed with the raw key: the
    // first delivery tries the decoded key first (two HMACs); the verifier then remembers
    // that the raw key matched, so later ones cost one HMAC like the standard case.
    let legacy = Webhook::new(STANDARD_SECRET).expect("secret");
    let legacy_signature = legacy
        .sign_with(
            polar::webhooks::KeyDerivation::RawBytes,
            "msg_bench",
            TIMESTAMP,
            &body,
        )
        .expect("raw key");
    let headers = standard
        .signed_headers("msg_bench", TIMESTAMP, &body)
        .expect("headers");
    let mut legacy_headers = headers.clone();
    legacy_headers.insert(
        "webhook-signature",
        legacy_signature.parse().expect("value"),
    );
    let now: SystemTime = UNIX_EPOCH + Duration::from_secs(TIMESTAMP as u64);
    for (webhook, headers) in [(&standard, &headers), (&legacy, &legacy_headers)] {
        match webhook.verify_and_parse_at(&body, headers, now) {
            Ok(verified) if matches!(verified.event, WebhookEvent::OrderPaid(_)) => {}
            other => panic!("the payload does not verify and parse as order.paid: {other:?}"),
        }
    }

    println!(
        "webhook_verify_parse: {} ({} bytes), best of {ROUNDS} rounds",
        path.display(),
        body.len()
    );
    let plain = seconds_per_call(|| {
        serde_json::from_slice::<WebhookOrderPaidPayload>(black_box(&body)).expect("parses")
    });
    let full = seconds_per_call(|| {
        standard
            .verify_and_parse_at(black_box(&body), &headers, now)
            .expect("verifies")
    });
    let parse_only =
        seconds_per_call(|| WebhookEvent::from_slice(black_box(&body)).expect("parses"));
    let verify_only = seconds_per_call(|| {
        standard
            .verify_at(black_box(&body), &headers, now)
            .expect("verifies")
    });
    let legacy_full = seconds_per_call(|| {
        legacy
            .verify_and_parse_at(black_box(&body), &legacy_headers, now)
            .expect("verifies")
    });

    report(
        "serde_json::from_slice::<WebhookOrderPaidPayload>",
        plain,
        body.len(),
        plain,
    );
    report(
        "verify_and_parse (whsec_, decoded key)",
        full,
        body.len(),
        plain,
    );
    report(
        "  of which WebhookEvent::from_slice",
        parse_only,
        body.len(),
        plain,
    );
    report("  of which verify", verify_only, body.len(), plain);
    report(
        "verify_and_parse (legacy secret, raw key)",
        legacy_full,
        body.len(),
        plain,
    );
    let ratio = plain / full;
    println!(
        "ratio verify+parse / plain parse throughput: {ratio:.2}× (target ≥ 0.80×){}",
        if ratio >= 0.8 { "" } else { "  BELOW TARGET" }
    );
}
