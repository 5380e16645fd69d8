//! Every operation, called through the generated client (builders and all) with
//! arguments sampled from the IR, against the mock.

use polar::{Client, Error};
use polar_codegen::ir::{Api, Operation, ParamLocation, ResponseBody, TypeRef};
use polar_codegen::samples::{check, SampleOptions, Sampler};
use serde_json::{Map, Value};

use crate::observe::{Observed, Sink};
use crate::operation_calls::{call, CallError};

/// Where the mock's responses come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responses {
    /// The spec's examples (Prism's static mode).
    Static,
    /// Generated from the schemas by Prism (`Prefer: dynamic=true`, seeded).
    Dynamic,
}

/// An operation that cannot pass against the mock, and why (see tests/conformance/README.md).
pub struct Exception {
    pub operation_id: &'static str,
    /// `None`: in every round.
    pub responses: Option<Responses>,
    pub reason: &'static str,
}

pub const EXCEPTIONS: &[Exception] = &[];

fn exception(operation_id: &str, responses: Responses) -> Option<&'static Exception> {
    EXCEPTIONS.iter().find(|e| {
        e.operation_id == operation_id && (e.responses.is_none() || e.responses == Some(responses))
    })
}

pub struct Round {
    pub name: String,
    pub responses: Responses,
    /// Seed for the request arguments.
    pub seed: u64,
}

#[derive(Default)]
pub struct RoundOutcome {
    pub total: usize,
    pub passed: usize,
    /// Operations listed in [`EXCEPTIONS`] that failed as expected, with the reason.
    pub excepted: Vec<String>,
    /// Operations listed in [`EXCEPTIONS`] that passed anyway.
    pub unexpected_passes: Vec<String>,
    /// Dynamic responses Prism could not generate, or generated against the spec where our
    /// decoder failed, answered from the examples instead.
    pub static_fallbacks: Vec<String>,
    /// Problems Prism reported about its own responses (not counted as failures).
    pub response_violations: usize,
    pub failures: Vec<String>,
}

/// The arguments for one call: every required parameter, about half the optional ones,
/// and the body (an optional body two times in three). Keys are the Rust parameter names
/// the generated dispatcher expects.
pub fn arguments(api: &Api, op: &Operation, seed: u64) -> Map<String, Value> {
    let options = SampleOptions {
        // `minItems: 1` is common in request bodies (prices, products...).
        min_items: 1,
        ..SampleOptions::default()
    };
    let mut sampler = Sampler::with_options(api, seed, options);
    let mut args = Map::new();
    let rust_names = polar_codegen::plan::param_names(op);
    for (param, rust) in op.params.iter().zip(rust_names) {
        if !param.required && sampler.rng().one_in(2) {
            continue;
        }
        let mut value = sampler.named_value(&param.ty, &param.name);
        // Prism reads a lone `name=value` as a string, not as a one-element list, when the
        // parameter's schema is `anyOf: [array, null]`, and rejects it; real servers
        // accept it. List filters are therefore sent with two elements.
        if let (ParamLocation::Query, TypeRef::Array(_), Value::Array(items)) =
            (param.location, &param.ty, &mut value)
        {
            if items.len() == 1 {
                items.push(items[0].clone());
            }
        }
        args.insert(rust, value);
    }
    if let Some(body) = &op.body {
        if body.required || !sampler.rng().one_in(3) {
            args.insert("body".into(), sampler.value(&body.ty));
        }
    }
    args
}

/// A seed for one operation in one round: stable, different per operation.
fn seed_for(operation_id: &str, round_seed: u64) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a
    for byte in operation_id.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash ^ round_seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

type CallResult = Result<Value, CallError>;

async fn call_once(
    client: &Client,
    sink: &Sink,
    op: &Operation,
    args: &Map<String, Value>,
) -> (CallResult, Vec<Observed>) {
    sink.lock().unwrap().clear();
    let result = call(client, &op.operation_id, args)
        .await
        .unwrap_or_else(|| panic!("the dispatcher does not know {}", op.operation_id));
    let observed = std::mem::take(&mut *sink.lock().unwrap());
    (result, observed)
}

/// Prism's answer when its response generator fails (HTTP 500, a problem document).
fn is_generation_failure(result: &CallResult) -> bool {
    matches!(result, Err(CallError::Api(Error::Api { status: 500, raw, .. }))
        if raw.contains("stoplight.io/prism/errors"))
}

/// A decode failure on a body that does not have the shape the spec gives the
/// operation's result (checked against the IR by `samples::check`), e.g. an object
/// missing required fields where json-schema-faker cut a recursive `$ref`
/// (`Filter.clauses`): the mock's fault, not the decoder's. Returns the mismatch.
fn invalid_mock_response(api: &Api, op: &Operation, result: &CallResult) -> Option<String> {
    let Err(CallError::Api(Error::Decode { raw, .. })) = result else {
        return None;
    };
    let ResponseBody::Json(ty) = &op.success.body else {
        return None;
    };
    let body: Value = serde_json::from_str(raw).ok()?;
    check(api, ty, &body).err()
}

pub async fn run_round(
    api: &Api,
    round: &Round,
    static_client: &Client,
    dynamic_client: &Client,
    sink: &Sink,
) -> RoundOutcome {
    let client = match round.responses {
        Responses::Static => static_client,
        Responses::Dynamic => dynamic_client,
    };
    let mut outcome = RoundOutcome {
        total: api.operations.len(),
        ..RoundOutcome::default()
    };
    for op in &api.operations {
        let args = arguments(api, op, seed_for(&op.operation_id, round.seed));
        let (mut result, mut observed) = call_once(client, sink, op, &args).await;
        let fallback = match round.responses {
            Responses::Static => None,
            Responses::Dynamic if is_generation_failure(&result) => {
                Some("Prism could not generate a response".to_owned())
            }
            Responses::Dynamic => invalid_mock_response(api, op, &result)
                .map(|mismatch| format!("Prism's response breaks the spec at {mismatch}")),
        };
        if let Some(reason) = fallback {
            outcome.static_fallbacks.push(format!(
                "{}: {}",
                op.operation_id,
                truncate(&reason, 160)
            ));
            (result, observed) = call_once(static_client, sink, op, &args).await;
        }
        outcome.response_violations += observed
            .iter()
            .map(|o| o.response_violations().count())
            .sum::<usize>();
        let request_violations: Vec<String> = observed
            .iter()
            .flat_map(|o| o.request_violations().map(|v| v.to_string()))
            .collect();
        let problem = match (&result, request_violations.is_empty()) {
            (Ok(_), true) => None,
            (Ok(_), false) => Some(format!(
                "the mock reported request violations: {request_violations:?}"
            )),
            (Err(err), _) => Some(describe(err, &request_violations)),
        };
        match (problem, exception(&op.operation_id, round.responses)) {
            (None, None) => outcome.passed += 1,
            (None, Some(_)) => {
                outcome.passed += 1;
                outcome.unexpected_passes.push(op.operation_id.clone());
            }
            (Some(_), Some(exception)) => outcome
                .excepted
                .push(format!("{}: {}", op.operation_id, exception.reason)),
            (Some(problem), None) => outcome.failures.push(format!(
                "[{}] {} {} {}: {problem}\n    args: {}",
                round.name,
                op.operation_id,
                op.http_method.as_str(),
                op.path,
                truncate(&Value::Object(args).to_string(), 600)
            )),
        }
    }
    outcome
}

fn describe(err: &CallError, request_violations: &[String]) -> String {
    match err {
        CallError::Argument { name, message } => {
            format!("sampled argument `{name}` did not decode: {message}")
        }
        CallError::Encode(message) => format!("typed result did not re-encode: {message}"),
        CallError::Api(Error::Decode {
            path, message, raw, ..
        }) => format!(
            "response did not decode at `{path}`: {message}\n    body: {}",
            truncate(raw, 600)
        ),
        CallError::Api(Error::Api { status, raw, .. }) if !request_violations.is_empty() => {
            format!("rejected with {status}, request violations: {request_violations:?}")
                + &format!(" (body {})", truncate(raw, 200))
        }
        CallError::Api(other) => format!("{other}"),
    }
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
