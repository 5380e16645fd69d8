//! Benchmark (not a test): `regenerate` on a spec against a bare `serde_json` parse of
//! the same file, in one run. Run with `cargo bench -p polar-codegen --bench regenerate`.
//!
//! Timed: load + overlays + normalize + emit + format + compare with the checked-in
//! crate (check mode, so nothing is written). Prints the median of several runs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let spec = std::env::var_os("POLAR_OPENAPI_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/polar-openapi/2026-10.openapi.json"));
    let Ok(bytes) = std::fs::read(&spec) else {
        println!("no spec at {}: set POLAR_OPENAPI_SPEC", spec.display());
        return;
    };
    let overlays = root.join("spec/overlays");
    let crate_root = root.join("polar-generated");
    let runs = 7;

    let parse = time(runs, || {
        serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
    });
    let normalize = time(runs, || {
        polar_codegen::load_api(&spec, Some(&overlays)).unwrap()
    });
    let regenerate = time(runs, || {
        polar_codegen::generate(
            &spec,
            Some(&overlays),
            &crate_root,
            polar_codegen::write::Mode::Check,
        )
        .unwrap()
    });
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "spec: {} ({} bytes), median of {runs} runs",
        spec.display(),
        bytes.len()
    );
    println!("serde_json parse to Value:          {:8.1} ms", ms(parse));
    println!(
        "load + overlays + normalize (IR):   {:8.1} ms",
        ms(normalize)
    );
    println!(
        "regenerate (all stages, check mode): {:7.1} ms",
        ms(regenerate)
    );
    println!(
        "ratio regenerate / parse:           {:8.1}x",
        ms(regenerate) / ms(parse)
    );
}
