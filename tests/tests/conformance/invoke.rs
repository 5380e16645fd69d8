//! Every catalog action invoked by id with JSON arguments (`Client::invoke`) against the
//! mock: the arguments are sampled from the IR like the typed round's, keyed as the
//! action's input schema says (wire names, body fields merged), and must validate against
//! that schema; the mock must report no request violation; the decoded result must
//! validate against the action's output schema.

use polar::catalog::{self, InvokeError};
use polar::Client;
use polar_codegen::ir::{Api, Operation};
use serde_json::{Map, Value};

use crate::observe::Sink;
use crate::operations::arguments;

/// Seed of the invoke round's arguments (different from the typed rounds').
const SEED: u64 = 301;

#[derive(Default)]
pub struct Outcome {
    pub total: usize,
    pub passed: usize,
    /// Arguments accepted by the action's input schema.
    pub inputs_valid: usize,
    /// Results accepted by the action's output schema.
    pub outputs_valid: usize,
    pub failures: Vec<String>,
}

/// The typed round's arguments (keyed by Rust parameter name plus `body`) keyed as the
/// catalog's input schema says.
pub fn invoke_arguments(op: &Operation, typed: &Map<String, Value>) -> Value {
    let action = catalog::action(&op.operation_id).expect("every operation is an action");
    let mut out = Map::new();
    let rust_names = polar_codegen::plan::param_names(op);
    for (param, rust) in op.params.iter().zip(&rust_names) {
        if let Some(value) = typed.get(rust) {
            out.insert(param.name.clone(), value.clone());
        }
    }
    match typed.get("body") {
        Some(body) if action.arguments.contains(&"body") => {
            out.insert("body".to_owned(), body.clone());
        }
        Some(Value::Object(fields)) => out.extend(fields.clone()),
        Some(other) => panic!(
            "{}: a non-object body must be whole: {other}",
            op.operation_id
        ),
        None => {}
    }
    Value::Object(out)
}

pub async fn run(api: &Api, client: &Client, sink: &Sink) -> Outcome {
    let mut outcome = Outcome {
        total: api.operations.len(),
        ..Outcome::default()
    };
    for op in &api.operations {
        let id = op.operation_id.as_str();
        let action = catalog::action(id).expect("every operation is an action");
        let seed = SEED ^ (id.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let arguments = invoke_arguments(op, &arguments(api, op, seed));
        let mut problems = Vec::new();

        let input = jsonschema::validator_for(&action.input_schema()).expect("input schema");
        match input.validate(&arguments) {
            Ok(()) => outcome.inputs_valid += 1,
            Err(err) => problems.push(format!(
                "input schema rejects the arguments at `{}`: {err}",
                err.instance_path()
            )),
        }

        sink.lock().unwrap().clear();
        let result = client.invoke(id, arguments.clone()).await;
        let violations: Vec<String> = sink
            .lock()
            .unwrap()
            .iter()
            .flat_map(|o| o.request_violations().map(|v| v.to_string()))
            .collect();
        if !violations.is_empty() {
            problems.push(format!("request violations: {violations:?}"));
        }
        match &result {
            Ok(value) => {
                let output =
                    jsonschema::validator_for(&action.output_schema()).expect("output schema");
                match output.validate(value) {
                    Ok(()) => outcome.outputs_valid += 1,
                    Err(err) => problems.push(format!(
                        "output schema rejects the result at `{}`: {err}",
                        err.instance_path()
                    )),
                }
            }
            Err(InvokeError::Api(err)) => problems.push(format!("call failed: {err}")),
            Err(err) => problems.push(format!("rejected before sending: {err}")),
        }
        if problems.is_empty() {
            outcome.passed += 1;
        } else {
            let args = arguments.to_string();
            let args: String = args.chars().take(400).collect();
            outcome.failures.push(format!(
                "[invoke] {id} {} {}: {}\n    args: {args}",
                op.http_method.as_str(),
                op.path,
                problems.join("; ")
            ));
        }
    }
    outcome
}
