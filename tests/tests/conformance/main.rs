//! Conformance: every operation of the generated client, and every webhook event,
//! proven against Polar's spec, with Prism as a spec-driven mock server that validates
//! every request (see tests/conformance/README.md for the design and the exceptions).
//!
//! One test, so that the mock starts once per seed and the summary is one line:
//! `conformance: 194/194 operations, 41/41 events`.

// Generated code: rustfmt must not touch it (`regenerate --check` would fail).
#[rustfmt::skip]
#[path = "../../../polar-generated/tests/support/operation_calls.rs"]
mod operation_calls;

mod invalid;
mod invoke;
mod observe;
mod operations;
mod prism;
mod spec;
mod webhooks;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use operations::{Responses, Round, RoundOutcome};
use prism::Prism;

/// Prism seeds for dynamic responses: one mock process per seed.
const DYNAMIC_SEEDS: [u64; 3] = [1, 2, 3];
/// Request-argument seeds for the rounds served from the spec's examples.
const STATIC_SEEDS: [u64; 2] = [101, 102];

#[test]
fn conformance() {
    let started = Instant::now();
    let spec = spec::load();
    let api = &spec.api;
    println!(
        "conformance: spec {} ({} operations, {} webhook events); served to the mock with \
         {} uuid4 formats, {} tuples and {} UUID-keyed maps shimmed",
        spec.source.display(),
        api.operations.len(),
        api.webhooks.len(),
        spec.shims.uuid4_formats,
        spec.shims.tuples,
        spec.shims.uuid_keyed_maps
    );
    let mut failures = Vec::new();

    // Every IR operation is reachable through the generated dispatcher, and nothing else.
    let ir_ids: Vec<&str> = api
        .operations
        .iter()
        .map(|op| op.operation_id.as_str())
        .collect();
    let mut sorted = ir_ids.clone();
    sorted.sort_unstable();
    let mut dispatched = operation_calls::OPERATION_IDS.to_vec();
    dispatched.sort_unstable();
    assert_eq!(
        sorted, dispatched,
        "the dispatcher and the spec disagree; run `cargo xtask regenerate`"
    );

    let events = webhooks::run(api);
    println!(
        "conformance: webhooks {}/{} events ({} payloads)",
        events.passed, events.events, events.payloads
    );
    failures.extend(events.failures.iter().cloned());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sink: observe::Sink = Arc::new(Mutex::new(Vec::new()));
    let mut rounds: Vec<(Round, RoundOutcome)> = Vec::new();
    let mut invalid_outcome = None;
    let mut invoke_outcome = None;
    for (index, prism_seed) in DYNAMIC_SEEDS.into_iter().enumerate() {
        let mock_started = Instant::now();
        let prism = Prism::start(spec.served.path(), prism_seed);
        let mock_start_time = mock_started.elapsed();
        let static_client = observe::client(&prism.base_url, false, &sink);
        let dynamic_client = observe::client(&prism.base_url, true, &sink);
        let mut plan = Vec::new();
        if index == 0 {
            plan.extend(STATIC_SEEDS.map(|seed| Round {
                name: format!("static-{seed}"),
                responses: Responses::Static,
                seed,
            }));
        }
        plan.push(Round {
            name: format!("dynamic-{prism_seed}"),
            responses: Responses::Dynamic,
            seed: prism_seed,
        });
        runtime.block_on(async {
            if index == 0 {
                invalid_outcome = Some(invalid::run(&static_client, &sink).await);
                invoke_outcome = Some(invoke::run(api, &static_client, &sink).await);
            }
            for round in plan {
                let round_started = Instant::now();
                let outcome =
                    operations::run_round(api, &round, &static_client, &dynamic_client, &sink)
                        .await;
                println!(
                    "conformance: round {}: {}/{} operations passed, {} excepted, \
                     {} static fallbacks, {} response violations by the mock \
                     (mock start {:.1?}, round {:.1?})",
                    round.name,
                    outcome.passed,
                    outcome.total,
                    outcome.excepted.len(),
                    outcome.static_fallbacks.len(),
                    outcome.response_violations,
                    mock_start_time,
                    round_started.elapsed()
                );
                for excepted in &outcome.excepted {
                    println!("conformance:   exception (tests/conformance/README.md): {excepted}");
                }
                for fallback in &outcome.static_fallbacks {
                    println!("conformance:   answered from examples instead: {fallback}");
                }
                if !outcome.unexpected_passes.is_empty() {
                    println!(
                        "conformance:   listed as exceptions but passed (update the list): {:?}",
                        outcome.unexpected_passes
                    );
                }
                failures.extend(outcome.failures.iter().cloned());
                rounds.push((round, outcome));
            }
        });
        drop(prism);
    }

    let invalid = invalid_outcome.expect("the invalid-request cases ran");
    failures.extend(invalid.failures.iter().cloned());
    let invoked = invoke_outcome.expect("the invoke round ran");
    failures.extend(invoked.failures.iter().cloned());
    println!(
        "conformance: invoke by id: {}/{} input schemas accept the arguments sent, \
         {}/{} output schemas accept the decoded results",
        invoked.inputs_valid, invoked.total, invoked.outputs_valid, invoked.total
    );

    // An operation counts as passed when it passed in every round.
    let total = api.operations.len();
    let failed_ops: std::collections::BTreeSet<&str> = api
        .operations
        .iter()
        .map(|op| op.operation_id.as_str())
        .filter(|id| {
            rounds.iter().any(|(_, o)| {
                o.failures
                    .iter()
                    .any(|f| f.split_whitespace().nth(1) == Some(*id))
            })
        })
        .collect();
    let excepted: std::collections::BTreeSet<&str> = rounds
        .iter()
        .flat_map(|(_, o)| o.excepted.iter().filter_map(|e| e.split(": ").next()))
        .collect();
    let passed = total - failed_ops.len() - excepted.difference(&failed_ops).count();
    println!(
        "conformance: {passed}/{total} operations, invoke {}/{}, {}/{} events, {}/{} invalid \
         requests rejected as Error::Api; {} exceptions; {} rounds in {:.1?}",
        invoked.passed,
        invoked.total,
        events.passed,
        events.events,
        invalid.passed,
        invalid.cases,
        excepted.len(),
        rounds.len(),
        started.elapsed()
    );
    if !failures.is_empty() {
        for failure in &failures {
            eprintln!("{failure}");
        }
        panic!(
            "{} conformance failures ({} operations); see above",
            failures.len(),
            failed_ops.len()
        );
    }
}
