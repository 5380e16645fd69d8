//! `cargo xtask diff OLD NEW`: the API-surface diff of two specs, through the IR.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use polar_codegen::tools::diff::{check_polar_like, diff_apis, DiffReport};

/// Exit status when `--fail-on-breaking` is given and the report has breaking changes.
pub const EXIT_BREAKING: u8 = 1;
/// Exit status on bad input (as for clap's usage errors): nothing was printed to stdout.
pub const EXIT_ERROR: u8 = 2;

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The older OpenAPI document.
    old: PathBuf,
    /// The newer OpenAPI document.
    new: PathBuf,
    #[command(flatten)]
    overlays: OverlayArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with status 1 when the report has breaking changes (for CI).
    #[arg(long)]
    fail_on_breaking: bool,
}

/// Which overlays apply to both specs (the same flags as `regenerate`).
#[derive(clap::Args, Clone)]
pub struct OverlayArgs {
    /// Directory of OpenAPI Overlay files applied in name order before normalizing
    /// (a relative path is relative to the workspace root).
    #[arg(long, default_value = "spec/overlays")]
    overlays: PathBuf,
    /// Apply no overlays (the specs exactly as published).
    #[arg(long)]
    no_overlays: bool,
}

impl OverlayArgs {
    pub fn dir(&self, root: &Path) -> Option<PathBuf> {
        (!self.no_overlays).then(|| root.join(&self.overlays))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Human-readable text, breaking changes first.
    Text,
    /// The report as JSON (`summary` and `changes`).
    Json,
}

/// Runs the command; prints errors itself so that they get [`EXIT_ERROR`].
pub fn run(root: &Path, args: &DiffArgs) -> ExitCode {
    match report(root, args) {
        Ok((report, rendered)) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let mut out = std::io::stdout().lock();
            if let Err(err) = out
                .write_all(rendered.as_bytes())
                .and_then(|()| out.flush())
            {
                if err.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("error: cannot write the report: {err}");
                    return ExitCode::from(EXIT_ERROR);
                }
            }
            if args.fail_on_breaking && report.has_breaking() {
                eprintln!(
                    "{} breaking change(s); failing as asked by --fail-on-breaking",
                    report.summary.breaking
                );
                ExitCode::from(EXIT_BREAKING)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Loads both specs and renders the report; prints nothing, so a failure leaves
/// stdout empty.
fn report(root: &Path, args: &DiffArgs) -> Result<(DiffReport, String), polar_codegen::Error> {
    let overlays = args.overlays.dir(root);
    let load = |path: &Path| {
        let api = polar_codegen::load_api(path, overlays.as_deref())?;
        check_polar_like(&api).map_err(|message| {
            polar_codegen::Error::Other(format!("{}: {message}", path.display()))
        })?;
        Ok::<_, polar_codegen::Error>(api)
    };
    let old = load(&args.old)?;
    let new = load(&args.new)?;
    let report = diff_apis(&old, &new);
    let rendered = match args.format {
        Format::Text => report.to_text(),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&report)
                .map_err(|e| polar_codegen::Error::Other(format!("cannot render JSON: {e}")))?;
            json.push('\n');
            json
        }
    };
    Ok((report, rendered))
}
