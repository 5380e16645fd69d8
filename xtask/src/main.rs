//! `cargo xtask`: a thin command line over `polar-codegen`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use polar_codegen::write::Mode;
use spec_source::SpecOrigin;

mod diff_cmd;
mod spec_source;

/// Any failure of a command, printed as `error: …`.
type AnyError = Box<dyn std::error::Error>;

#[derive(Parser)]
#[command(name = "xtask", about = "Generate and check the Polar SDK")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the spec comes from and which overlays apply (shared by every command).
#[derive(clap::Args, Clone)]
struct SpecArgs {
    /// The OpenAPI document. Default: $POLAR_OPENAPI_SPEC, else spec/cache/openapi.json
    /// (downloaded from the URL pinned in spec/openapi.lock when missing).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Directory of OpenAPI Overlay files applied in name order before normalizing.
    #[arg(long, default_value = "spec/overlays")]
    overlays: PathBuf,
    /// Apply no overlays (the spec exactly as published).
    #[arg(long)]
    no_overlays: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `polar-generated` from the spec (or check that it is up to date).
    Regenerate {
        #[command(flatten)]
        spec: SpecArgs,
        /// Change nothing; exit non-zero if the checked-in crate is stale.
        #[arg(long)]
        check: bool,
    },
    /// Download the spec pinned in spec/openapi.lock (an immutable URL, sha256-checked)
    /// to spec/cache/openapi.json.
    FetchSpec {
        /// Download what Polar serves now (the lock's `latest_url`) to
        /// spec/cache/latest.openapi.json and say whether it is the pinned spec.
        /// Changes neither the lock nor the pinned cache.
        #[arg(long, conflicts_with = "update_lock")]
        latest: bool,
        /// Pin a new spec: download --source (default: the lock's own url), which must
        /// be an immutable URL naming a commit, and record its sha256 and API version.
        #[arg(long)]
        update_lock: bool,
        /// The immutable URL to pin with --update-lock, e.g.
        /// https://raw.githubusercontent.com/polarsource/polar/<commit>/docs/openapi/2026-10.openapi.json
        #[arg(long, requires = "update_lock", value_name = "URL")]
        source: Option<String>,
    },
    /// Compare the API surface of two specs and classify each change as breaking or
    /// not for users of the Rust crate.
    ///
    /// Exit status: 0 when the report was printed (and, with --fail-on-breaking, has
    /// no breaking change); 1 with --fail-on-breaking when it has breaking changes;
    /// 2 on bad input (unreadable spec or overlay, unknown option). On error nothing
    /// is printed to stdout.
    Diff(diff_cmd::DiffArgs),
}

pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The spec path to read, fetching the pinned spec when the default cache is empty.
fn spec_path(root: &Path, args: &SpecArgs) -> Result<PathBuf, AnyError> {
    let env = std::env::var(spec_source::SPEC_ENV).ok();
    let location = spec_source::resolve_spec_path(root, args.spec.clone(), env);
    if location.origin == SpecOrigin::Cache && !location.path.exists() {
        eprintln!("no spec given and none cached: fetching the pinned spec first");
        spec_source::fetch_spec(
            &root.join(spec_source::LOCK_FILE),
            &location.path,
            &spec_source::FetchMode::Pinned,
        )?;
    }
    Ok(location.path)
}

fn overlay_dir(root: &Path, args: &SpecArgs) -> Option<PathBuf> {
    (!args.no_overlays).then(|| root.join(&args.overlays))
}

fn run(cli: Cli) -> Result<ExitCode, AnyError> {
    let root = workspace_root();
    match cli.command {
        Command::Regenerate { spec, check } => {
            let path = spec_path(&root, &spec)?;
            let mode = if check { Mode::Check } else { Mode::Write };
            let overlays = overlay_dir(&root, &spec);
            let report = polar_codegen::generate(
                &path,
                overlays.as_deref(),
                &root.join("polar-generated"),
                mode,
            )?;
            if check && !report.is_clean() {
                eprintln!(
                    "polar-generated is stale; run `cargo xtask regenerate`\n{}",
                    report.summary()
                );
                return Ok(ExitCode::FAILURE);
            }
            say(&report.summary());
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff(args) => Ok(diff_cmd::run(&root, &args)),
        Command::FetchSpec {
            latest,
            update_lock,
            source,
        } => {
            let dest = root.join(spec_source::DEFAULT_CACHE);
            let mode = if latest {
                spec_source::FetchMode::Latest
            } else if update_lock {
                spec_source::FetchMode::UpdateLock { source }
            } else {
                spec_source::FetchMode::Pinned
            };
            let outcome =
                spec_source::fetch_spec(&root.join(spec_source::LOCK_FILE), &dest, &mode)?;
            say(&format!(
                "fetched {} from {} (sha256 {})",
                outcome.path.display(),
                outcome.url,
                outcome.sha256
            ));
            if latest {
                say(if outcome.matches_lock {
                    "the latest spec is the pinned one"
                } else {
                    "the latest spec differs from the pinned one: to pin it, rerun with \
                     --update-lock --source <immutable URL of this document>"
                });
            }
            if outcome.lock_updated {
                say(&format!("updated {}", spec_source::LOCK_FILE));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Print a line to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn say(text: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout(), "{text}");
}
