//! The generator never panics or hangs on a broken spec. Starting from the real spec,
//! seeded random mutations (delete a node, change a type, break a `$ref`, swap an
//! object for an array, inject a cycle, a huge string, deep nesting, …) each go through
//! load (from bytes) → the project overlays → normalize → emit, in process. Every
//! result must be a crate or an error naming the file and a JSON pointer.
//!
//! Cost: the full spec takes about 0.2 s through emit even in release, so each case
//! mutates a *pruned* spec (a seeded sample of two operations and a webhook plus the
//! schemas they reach; the overlay adds its eight operations), every case runs through
//! normalize and every [`EMIT_EVERY`]th also through emit (emit reads only the IR,
//! which the normalize cases already vary), and the generator is built with
//! optimisations in the dev profile (root `Cargo.toml`). `POLAR_SPEC_MUTATIONS` sets
//! the number of cases (default 2000), `POLAR_SPEC_MUTATIONS_SEED` the seed.

mod mutations;
// The workspace's test-input helpers (where specs are, and when a missing one fails).
#[allow(dead_code)]
#[path = "../../tests/paths.rs"]
mod paths;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mutations::{prune, Mutator, Rng};
use polar_codegen::error::Error;
use polar_codegen::overlay::{self, Overlay};
use serde_json::Value;

/// A case taking longer than this is reported as a hang.
const CASE_TIME_LIMIT: Duration = Duration::from_secs(20);
const SPEC_FILE: &str = "mutated.openapi.json";
/// One case in this many also runs emit.
const EMIT_EVERY: u64 = 8;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The spec to mutate: `$POLAR_OPENAPI_SPEC`, the shared copy, or the fetched cache.
fn find_spec() -> Option<PathBuf> {
    let root = workspace_root();
    std::env::var_os("POLAR_OPENAPI_SPEC")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .chain([
            root.join("../shared/polar-openapi/2026-10.openapi.json"),
            root.join("spec/cache/openapi.json"),
        ])
        .find(|p| p.is_file())
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

#[derive(Debug)]
enum Outcome {
    Crate,
    CleanError(String),
    /// An error that does not locate the problem (a generator bug, not a panic).
    UnlocatedError(String),
    Panic(String),
}

/// One case, in process: load → overlays → normalize → plan → emit.
fn run_case(bytes: &[u8], overlays: &[Overlay], emit: bool) -> Outcome {
    let path = Path::new(SPEC_FILE);
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<(), Error> {
        let mut spec = polar_codegen::load::parse_json(path, bytes)?;
        polar_codegen::normalize::check_document(&spec).map_err(|source| Error::Spec {
            path: path.to_owned(),
            source,
        })?;
        overlay::apply_all_reporting(&mut spec, overlays)?;
        let api = polar_codegen::api_from_json(path, &spec)?;
        let plan = polar_codegen::plan_api(path, &api)?;
        if emit {
            polar_codegen::emit::emit(&plan)?;
            polar_codegen::test_support::test_support(&plan)?;
        }
        Ok(())
    }));
    match result {
        Ok(Ok(())) => Outcome::Crate,
        Ok(Err(err)) => classify(err),
        Err(payload) => Outcome::Panic(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "non-string panic".to_owned()),
        ),
    }
}

fn classify(err: Error) -> Outcome {
    let text = err.to_string();
    let located = match &err {
        Error::Spec { path, source } => {
            path == Path::new(SPEC_FILE) && source.pointer.starts_with('#')
        }
        Error::Json { path, .. } => path == Path::new(SPEC_FILE),
        // Overlay errors name the overlay file, the action and the spec node.
        Error::Overlay(_) => text.contains("spec/overlays/"),
        _ => false,
    };
    if located {
        Outcome::CleanError(text)
    } else {
        Outcome::UnlocatedError(text)
    }
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[test]
fn mutated_specs_give_a_crate_or_a_located_error() {
    let Some(spec_path) = find_spec().or_else(|| {
        paths::missing_input(
            "spec mutations: no spec (set POLAR_OPENAPI_SPEC, or run `cargo xtask fetch-spec` \
             to cache the pinned one in spec/cache/)",
        )
    }) else {
        return;
    };
    let cases = env_number("POLAR_SPEC_MUTATIONS", 2000);
    let seed = env_number("POLAR_SPEC_MUTATIONS_SEED", 0x5eed_2026);
    let spec: Value = serde_json::from_slice(&std::fs::read(&spec_path).expect("read spec"))
        .expect("spec is JSON");
    let overlays =
        overlay::load_overlays(&workspace_root().join("spec/overlays")).expect("overlays load");

    // Silence the default hook: panics are caught and reported below with their seed.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let (mut tried, mut crates, mut clean, mut panics) = (0u64, 0u64, 0u64, 0u64);
    let mut emitted = 0u64;
    // `POLAR_SPEC_MUTATIONS_VERBOSE=1` prints every error, to review their wording.
    let verbose = std::env::var_os("POLAR_SPEC_MUTATIONS_VERBOSE").is_some();
    let mut failures = Vec::new();
    let mut rng = Rng::new(seed);
    for case in 0..cases {
        tried += 1;
        let case_seed = rng.next_u64();
        let mut case_rng = Rng::new(case_seed);
        let mut doc = prune(&spec, &mut case_rng);
        let applied = Mutator::new(&mut case_rng).mutate(&mut doc);
        let bytes = serde_json::to_vec(&doc).expect("serialize");
        let overlays = overlays.clone();
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .stack_size(8 << 20) // the main thread's size, where the CLI runs
            .spawn(move || {
                let _ = tx.send(run_case(&bytes, &overlays, case % EMIT_EVERY == 0));
            })
            .expect("spawn case");
        let outcome = match rx.recv_timeout(CASE_TIME_LIMIT) {
            Ok(outcome) => outcome,
            Err(_) => {
                failures.push(format!(
                    "case {case} (seed {case_seed:#x}) {applied:?}: no result within {CASE_TIME_LIMIT:?}"
                ));
                panics += 1;
                break;
            }
        };
        match outcome {
            Outcome::Crate if case % EMIT_EVERY == 0 => {
                crates += 1;
                emitted += 1;
            }
            Outcome::Crate => crates += 1,
            Outcome::CleanError(text) => {
                clean += 1;
                if verbose {
                    eprintln!("case {case} {applied:?}: {}", truncate(&text));
                }
            }
            Outcome::UnlocatedError(text) => failures.push(format!(
                "case {case} (seed {case_seed:#x}) {applied:?}: error without a location: {text}"
            )),
            Outcome::Panic(message) => {
                panics += 1;
                failures.push(format!(
                    "case {case} (seed {case_seed:#x}) {applied:?}: panic: {message}"
                ));
            }
        }
    }
    std::panic::set_hook(default_hook);
    println!(
        "spec mutations: {tried} tried, {} ok or clean error, {panics} panics",
        crates + clean
    );
    println!(
        "spec mutations: {crates} generated ({emitted} through emit), {clean} located errors, \
         seed {seed:#x}, pruned samples of {}, {:.1} s",
        spec_path.file_name().unwrap_or_default().to_string_lossy(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {tried} mutated specs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
