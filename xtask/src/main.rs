//! `cargo xtask`: the command line over `polar-codegen`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use polar_codegen::write::Mode;

#[derive(Parser)]
#[command(name = "xtask", about = "Generate and check the Polar SDK")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `polar-generated` from the spec (or check that it is up to date).
    Regenerate {
        /// Path of the OpenAPI document (else $POLAR_OPENAPI_SPEC, else spec/cache/openapi.json).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Change nothing; exit non-zero if the checked-in crate is stale.
        #[arg(long)]
        check: bool,
    },
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, polar_codegen::Error> {
    let root = workspace_root();
    match cli.command {
        Command::Regenerate { spec, check } => {
            let spec = spec
                .or_else(|| std::env::var_os("POLAR_OPENAPI_SPEC").map(PathBuf::from))
                .unwrap_or_else(|| root.join("spec/cache/openapi.json"));
            let mode = if check { Mode::Check } else { Mode::Write };
            let report = polar_codegen::generate(&spec, &root.join("polar-generated"), mode)?;
            if check && !report.is_clean() {
                eprintln!(
                    "polar-generated is stale; run `cargo xtask regenerate`\n{}",
                    report.summary()
                );
                return Ok(ExitCode::FAILURE);
            }
            println!("{}", report.summary());
            Ok(ExitCode::SUCCESS)
        }
    }
}
