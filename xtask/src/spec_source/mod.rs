//! Where the OpenAPI document comes from, and how a download is pinned.
//!
//! The spec is never committed. The generator reads it from, in order:
//! `--spec PATH`, the `POLAR_OPENAPI_SPEC` environment variable, or the git-ignored
//! cache `spec/cache/openapi.json`. The cache is filled by [`fetch_spec`], which
//! downloads the immutable URL named in `spec/openapi.lock` ([`lock`]) with the `curl`
//! command (no HTTP client in the build) and accepts the bytes only if their sha256
//! equals the one pinned in the lock. `--latest` reads the live URL instead and only
//! compares; `--update-lock --source URL` pins another immutable URL.

use std::io;
use std::path::{Path, PathBuf};

mod fetch;
pub mod lock;

pub use fetch::{fetch_spec, FetchMode};

/// Environment variable naming a spec file.
pub const SPEC_ENV: &str = "POLAR_OPENAPI_SPEC";
/// The download cache, relative to the workspace root (git-ignored).
pub const DEFAULT_CACHE: &str = "spec/cache/openapi.json";
/// The lock file, relative to the workspace root.
pub const LOCK_FILE: &str = "spec/openapi.lock";

/// Why the spec could not be located, fetched or pinned.
#[derive(Debug, thiserror::Error)]
pub enum SpecSourceError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: {message}")]
    Lock { path: PathBuf, message: String },
    #[error(
        "cannot run `{program}` to download the spec: it is not installed or not on PATH \
         (install curl, or pass --spec PATH / set {SPEC_ENV} to use a local file)"
    )]
    CurlMissing { program: String },
    #[error("downloading {url} failed (HTTP {http_status}, curl exit status {status}): {stderr}; the document may have moved or been removed")]
    Download {
        url: String,
        status: String,
        /// `000` when there was no HTTP response.
        http_status: String,
        stderr: String,
    },
    #[error(
        "sha256 mismatch for {source_name}: the lock {lock} expects {expected}, \
         the downloaded document has {actual}: the URL now serves other bytes than the \
         ones pinned; to pin a new spec, rerun with --update-lock --source IMMUTABLE_URL"
    )]
    Mismatch {
        source_name: String,
        lock: PathBuf,
        expected: String,
        actual: String,
    },
    #[error(
        "refusing to pin {url}: it does not name a commit, so what it serves changes with \
         every deploy and the hash would stop matching; pass --source with an immutable \
         URL, e.g. https://raw.githubusercontent.com/polarsource/polar/<commit>/docs/openapi/\
         <version>.openapi.json (find the commit whose document has the sha256 that \
         `fetch-spec --latest` prints)"
    )]
    MutableSource { url: String },
    #[error("{source_name}: not a usable OpenAPI document: {message}")]
    InvalidSpec {
        source_name: String,
        message: String,
    },
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> SpecSourceError + '_ {
    move |source| SpecSourceError::Io {
        path: path.to_owned(),
        source,
    }
}

/// How the spec path was chosen; shown to users so they know which file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecOrigin {
    /// `--spec PATH`.
    Flag,
    /// The `POLAR_OPENAPI_SPEC` environment variable.
    Env,
    /// The download cache `spec/cache/openapi.json`.
    Cache,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecLocation {
    pub path: PathBuf,
    pub origin: SpecOrigin,
}

/// Chooses the spec file: `--spec` first, then `POLAR_OPENAPI_SPEC` (an empty value
/// counts as unset), then the cache under `workspace_root`.
pub fn resolve_spec_path(
    workspace_root: &Path,
    flag: Option<PathBuf>,
    env: Option<String>,
) -> SpecLocation {
    if let Some(path) = flag {
        return SpecLocation {
            path,
            origin: SpecOrigin::Flag,
        };
    }
    if let Some(value) = env.filter(|v| !v.trim().is_empty()) {
        return SpecLocation {
            path: PathBuf::from(value),
            origin: SpecOrigin::Env,
        };
    }
    SpecLocation {
        path: workspace_root.join(DEFAULT_CACHE),
        origin: SpecOrigin::Cache,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_order() {
        let root = Path::new("/ws");
        let flag = Some(PathBuf::from("a.json"));
        let env = Some("b.json".to_owned());
        let cases = [
            (flag.clone(), env.clone(), "a.json", SpecOrigin::Flag),
            (None, env.clone(), "b.json", SpecOrigin::Env),
            (
                None,
                Some(" ".into()),
                "/ws/spec/cache/openapi.json",
                SpecOrigin::Cache,
            ),
            (None, None, "/ws/spec/cache/openapi.json", SpecOrigin::Cache),
        ];
        for (flag, env, path, origin) in cases {
            let loc = resolve_spec_path(root, flag, env);
            assert_eq!(loc.path, PathBuf::from(path));
            assert_eq!(loc.origin, origin);
        }
    }
}
