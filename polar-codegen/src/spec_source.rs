//! Where the OpenAPI document comes from, and how a download is pinned.
//!
//! The spec is never committed. The generator reads it from, in order:
//! `--spec PATH`, the `POLAR_OPENAPI_SPEC` environment variable, or the git-ignored
//! cache `spec/cache/openapi.json`. The cache is filled by [`fetch_spec`], which
//! downloads the URL named in `spec/openapi.lock` with the `curl` command (no HTTP
//! client in the generator's dependency tree) and accepts the bytes only if their
//! sha256 equals the one pinned in the lock, unless asked to update the lock.
//!
//! The lock is a tiny `key = "value"` file (comments start with `#`), parsed here so
//! that no TOML dependency is needed:
//!
//! ```text
//! url = "https://api.polar.sh/openapi.json"
//! sha256 = "8ac1830be58df3d24270430c2a3fc226eedede5c44ec1675b4a7d491d476ca44"
//! api_version = "2026-10"
//! ```

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// Environment variable naming a spec file.
pub const SPEC_ENV: &str = "POLAR_OPENAPI_SPEC";
/// The download cache, relative to the workspace root (git-ignored).
pub const DEFAULT_CACHE: &str = "spec/cache/openapi.json";
/// The lock file, relative to the workspace root.
pub const LOCK_FILE: &str = "spec/openapi.lock";

#[derive(Debug, thiserror::Error)]
pub enum SpecSourceError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}:{line}: {message}")]
    LockSyntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: missing key `{key}`")]
    LockMissingKey { path: PathBuf, key: &'static str },
    #[error(
        "cannot run `{program}` to download the spec: it is not installed or not on PATH \
         (install curl, or pass --spec PATH / set {SPEC_ENV} to use a local file)"
    )]
    CurlMissing { program: String },
    #[error("downloading {url} failed (curl exit status {status}): {stderr}")]
    Download {
        url: String,
        status: String,
        stderr: String,
    },
    #[error(
        "sha256 mismatch for {source_name}: the lock {lock} expects {expected}, \
         the downloaded document has {actual}; if this new spec is intended, \
         rerun with --update-lock"
    )]
    Mismatch {
        source_name: String,
        lock: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("{source_name}: not a usable OpenAPI document: {message}")]
    InvalidSpec {
        source_name: String,
        message: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> SpecSourceError + '_ {
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

/// The pinned source of the spec (`spec/openapi.lock`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecLock {
    pub url: String,
    /// Lower-case hex sha256 of the exact bytes of the document.
    pub sha256: String,
    /// `info.version` of the pinned document (sent as `Polar-Version`).
    pub api_version: String,
}

impl SpecLock {
    /// Parses the lock text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<SpecLock, SpecSourceError> {
        let syntax = |line: usize, message: String| SpecSourceError::LockSyntax {
            path: path.to_owned(),
            line,
            message,
        };
        let (mut url, mut sha256, mut api_version) = (None, None, None::<(String, usize)>);
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(syntax(line_no, "expected `key = \"value\"`".into()));
            };
            let value = parse_quoted(value.trim()).map_err(|m| syntax(line_no, m))?;
            let slot = match key.trim() {
                "url" => &mut url,
                "sha256" => &mut sha256,
                "api_version" => &mut api_version,
                other => return Err(syntax(line_no, format!("unknown key `{other}`"))),
            };
            if slot.replace((value, line_no)).is_some() {
                return Err(syntax(line_no, format!("duplicate key `{}`", key.trim())));
            }
        }
        let missing = |key| SpecSourceError::LockMissingKey {
            path: path.to_owned(),
            key,
        };
        let (sha256, sha_line) = sha256.ok_or_else(|| missing("sha256"))?;
        if sha256.len() != 64
            || !sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(syntax(
                sha_line,
                format!("`sha256` must be 64 lower-case hex digits, got {sha256:?}"),
            ));
        }
        Ok(SpecLock {
            url: url.ok_or_else(|| missing("url"))?.0,
            sha256,
            api_version: api_version.ok_or_else(|| missing("api_version"))?.0,
        })
    }

    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# The pinned source of Polar's OpenAPI document. The fetch command downloads `url`\n\
             # and accepts it only if its sha256 matches; `--update-lock` rewrites this file.\n",
        );
        for (key, value) in [
            ("url", &self.url),
            ("sha256", &self.sha256),
            ("api_version", &self.api_version),
        ] {
            let _ = writeln!(out, "{key} = {}", quote(value));
        }
        out
    }
}

fn parse_quoted(value: &str) -> Result<String, String> {
    let inner = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .filter(|_| value.len() >= 2)
        .ok_or_else(|| format!("value must be a double-quoted string, got `{value}`"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | '"')) => out.push(e),
                other => return Err(format!("unsupported escape `\\{}`", other.unwrap_or(' '))),
            },
            '"' => return Err("unescaped `\"` inside a value".into()),
            c => out.push(c),
        }
    }
    Ok(out)
}

fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn read_lock(path: &Path) -> Result<SpecLock, SpecSourceError> {
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    SpecLock::parse(&text, path)
}

/// Writes the lock through a temporary file and a rename.
pub fn write_lock(path: &Path, lock: &SpecLock) -> Result<(), SpecSourceError> {
    write_atomically(path, lock.to_text().as_bytes())
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// The bytes' hash differs from the pinned one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sha256 mismatch: expected {expected}, got {actual}")]
pub struct HashMismatch {
    pub expected: String,
    pub actual: String,
}

pub fn verify_against_lock(lock: &SpecLock, bytes: &[u8]) -> Result<(), HashMismatch> {
    let actual = sha256_hex(bytes);
    if actual == lock.sha256 {
        Ok(())
    } else {
        Err(HashMismatch {
            expected: lock.sha256.clone(),
            actual,
        })
    }
}

/// What [`fetch_spec`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOutcome {
    pub path: PathBuf,
    pub sha256: String,
    /// The lock was rewritten with a new hash (only with `update_lock`).
    pub lock_updated: bool,
}

/// Downloads with the `curl` command; [`Fetcher::default`] runs `curl` from `PATH`.
#[derive(Debug, Clone)]
pub struct Fetcher {
    pub curl: OsString,
    pub timeout_secs: u32,
}

impl Default for Fetcher {
    fn default() -> Self {
        Fetcher {
            curl: "curl".into(),
            timeout_secs: 60,
        }
    }
}

/// Downloads the spec named by the lock at `lock_path` into `dest` (normally
/// `spec/cache/openapi.json`) with [`Fetcher::default`].
pub fn fetch_spec(
    lock_path: &Path,
    dest: &Path,
    update_lock: bool,
) -> Result<FetchOutcome, SpecSourceError> {
    Fetcher::default().fetch(lock_path, dest, update_lock)
}

impl Fetcher {
    /// Downloads the lock's URL to a temporary file next to `dest`, checks its sha256,
    /// then renames it onto `dest`. On a mismatch nothing is written unless
    /// `update_lock` is set, in which case the lock takes the new hash and the
    /// document's `info.version`.
    pub fn fetch(
        &self,
        lock_path: &Path,
        dest: &Path,
        update_lock: bool,
    ) -> Result<FetchOutcome, SpecSourceError> {
        let mut lock = read_lock(lock_path)?;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let tmp = temp_sibling(dest);
        let result = self.download_and_check(&mut lock, lock_path, &tmp, dest, update_lock);
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    fn download_and_check(
        &self,
        lock: &mut SpecLock,
        lock_path: &Path,
        tmp: &Path,
        dest: &Path,
        update_lock: bool,
    ) -> Result<FetchOutcome, SpecSourceError> {
        self.download(&lock.url, tmp)?;
        let bytes = std::fs::read(tmp).map_err(io_err(tmp))?;
        let mut lock_updated = false;
        if let Err(mismatch) = verify_against_lock(lock, &bytes) {
            if !update_lock {
                return Err(SpecSourceError::Mismatch {
                    source_name: lock.url.clone(),
                    lock: lock_path.to_owned(),
                    expected: mismatch.expected,
                    actual: mismatch.actual,
                });
            }
            lock.sha256 = mismatch.actual;
            lock.api_version = api_version_of(&bytes, &lock.url)?;
            write_lock(lock_path, lock)?;
            lock_updated = true;
        }
        std::fs::rename(tmp, dest).map_err(io_err(dest))?;
        Ok(FetchOutcome {
            path: dest.to_owned(),
            sha256: lock.sha256.clone(),
            lock_updated,
        })
    }

    fn download(&self, url: &str, out: &Path) -> Result<(), SpecSourceError> {
        let output = Command::new(&self.curl)
            .args(["-fsSL", "--max-time"])
            .arg(self.timeout_secs.to_string())
            .arg(url)
            .arg("-o")
            .arg(out)
            .output();
        let output = match output {
            Ok(output) => output,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(SpecSourceError::CurlMissing {
                    program: self.curl.to_string_lossy().into_owned(),
                })
            }
            Err(source) => {
                return Err(SpecSourceError::Io {
                    path: PathBuf::from(&self.curl),
                    source,
                })
            }
        };
        if output.status.success() {
            return Ok(());
        }
        Err(SpecSourceError::Download {
            url: url.to_owned(),
            status: output
                .status
                .code()
                .map_or_else(|| "none (killed by a signal)".into(), |c| c.to_string()),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}

/// `info.version` of a downloaded document, for the lock's `api_version`.
fn api_version_of(bytes: &[u8], source_name: &str) -> Result<String, SpecSourceError> {
    let invalid = |message: String| SpecSourceError::InvalidSpec {
        source_name: source_name.to_owned(),
        message,
    };
    let doc: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| invalid(format!("not JSON: {e}")))?;
    doc.pointer("/info/version")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| invalid("no string at /info/version".into()))
}

fn temp_sibling(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SpecSourceError> {
    let tmp = temp_sibling(path);
    std::fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, path).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        SpecSourceError::Io {
            path: path.to_owned(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn lock_for(url: &str, sha256: &str) -> SpecLock {
        SpecLock {
            url: url.to_owned(),
            sha256: sha256.to_owned(),
            api_version: "2026-10".to_owned(),
        }
    }

    /// A served document, a lock pointing at it by `file://` URL, and a cache path.
    struct Setup {
        _dir: tempfile::TempDir,
        served: PathBuf,
        lock_path: PathBuf,
        dest: PathBuf,
    }

    fn setup(doc: &[u8], pinned_sha: &str) -> Setup {
        let dir = tempfile::tempdir().expect("temp dir");
        let served = dir.path().join("served.json");
        std::fs::write(&served, doc).expect("write served doc");
        let lock_path = dir.path().join("openapi.lock");
        let url = format!("file://{}", served.display());
        write_lock(&lock_path, &lock_for(&url, pinned_sha)).expect("write lock");
        let dest = dir.path().join("cache").join("openapi.json");
        Setup {
            _dir: dir,
            served,
            lock_path,
            dest,
        }
    }

    fn curl_available() -> bool {
        Command::new("curl").arg("--version").output().is_ok()
    }

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

    #[test]
    fn sha256_of_known_inputs() {
        assert_eq!(sha256_hex(b""), EMPTY_SHA);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn lock_round_trip_and_errors() {
        let path = Path::new("spec/openapi.lock");
        let lock = lock_for("https://example.test/a \"b\".json", EMPTY_SHA);
        assert_eq!(SpecLock::parse(&lock.to_text(), path).expect("parse"), lock);

        let bad = [
            ("url = https://x\n", "1: value must be a double-quoted"),
            ("colour = \"red\"\n", "1: unknown key `colour`"),
            ("# c\nurl = \"a\"\nurl = \"b\"\n", "3: duplicate key `url`"),
            ("url = \"a\"\napi_version = \"x\"\n", "missing key `sha256`"),
            ("just words\n", "expected `key = \"value\"`"),
        ];
        for (text, expected) in bad {
            let err = SpecLock::parse(text, path).expect_err(text).to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
            assert!(err.starts_with("spec/openapi.lock"), "{err}");
        }
        let short_hash = "url = \"a\"\nsha256 = \"abc\"\napi_version = \"x\"\n";
        let err = SpecLock::parse(short_hash, path).expect_err("short hash");
        assert!(err.to_string().contains("64 lower-case hex"), "{err}");
    }

    #[test]
    fn verify_names_both_hashes() {
        let lock = lock_for("u", EMPTY_SHA);
        assert!(verify_against_lock(&lock, b"").is_ok());
        let err = verify_against_lock(&lock, b"abc").expect_err("mismatch");
        assert_eq!(err.expected, EMPTY_SHA);
        assert!(err.to_string().contains(EMPTY_SHA));
        assert!(err.to_string().contains("ba7816bf"));
    }

    #[test]
    fn fetch_verifies_and_writes_cache() {
        if !curl_available() {
            eprintln!("curl not installed; skipping");
            return;
        }
        let doc = br#"{"openapi":"3.1.0","info":{"version":"2026-10"}}"#;
        let s = setup(doc, &sha256_hex(doc));
        let outcome = fetch_spec(&s.lock_path, &s.dest, false).expect("fetch");
        assert!(!outcome.lock_updated);
        assert_eq!(std::fs::read(&s.dest).expect("cache"), doc);
        let leftovers: Vec<_> = std::fs::read_dir(s.dest.parent().expect("dir"))
            .expect("list")
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn fetch_mismatch_then_update_lock() {
        if !curl_available() {
            eprintln!("curl not installed; skipping");
            return;
        }
        let doc = br#"{"openapi":"3.1.0","info":{"version":"2027-01"}}"#;
        let s = setup(doc, EMPTY_SHA);
        let err = fetch_spec(&s.lock_path, &s.dest, false).expect_err("mismatch");
        let text = err.to_string();
        assert!(matches!(err, SpecSourceError::Mismatch { .. }), "{text}");
        assert!(
            text.contains(EMPTY_SHA) && text.contains(&sha256_hex(doc)),
            "{text}"
        );
        assert!(text.contains("--update-lock"), "{text}");
        assert!(
            !s.dest.exists(),
            "a mismatching download must not reach the cache"
        );

        let outcome = fetch_spec(&s.lock_path, &s.dest, true).expect("update lock");
        assert!(outcome.lock_updated);
        let lock = read_lock(&s.lock_path).expect("reread lock");
        assert_eq!(lock.sha256, sha256_hex(doc));
        assert_eq!(lock.api_version, "2027-01");
        assert_eq!(std::fs::read(&s.dest).expect("cache"), doc);
        // The rewritten lock now verifies the same document without the flag.
        assert!(
            !fetch_spec(&s.lock_path, &s.dest, false)
                .expect("refetch")
                .lock_updated
        );
    }

    #[test]
    fn fetch_reports_curl_errors() {
        if !curl_available() {
            eprintln!("curl not installed; skipping");
            return;
        }
        let s = setup(b"{}", EMPTY_SHA);
        std::fs::remove_file(&s.served).expect("remove served doc");
        let err = fetch_spec(&s.lock_path, &s.dest, false).expect_err("missing file");
        let text = err.to_string();
        assert!(matches!(err, SpecSourceError::Download { .. }), "{text}");
        assert!(
            text.contains("served.json") && text.contains("curl"),
            "{text}"
        );
        assert!(!s.dest.exists());

        let fetcher = Fetcher {
            curl: "curl-that-does-not-exist-here".into(),
            ..Fetcher::default()
        };
        let err = fetcher
            .fetch(&s.lock_path, &s.dest, false)
            .expect_err("no curl");
        assert!(matches!(err, SpecSourceError::CurlMissing { .. }), "{err}");
        assert!(err.to_string().contains("curl-that-does-not-exist-here"));
    }

    #[test]
    fn update_lock_rejects_non_json() {
        if !curl_available() {
            eprintln!("curl not installed; skipping");
            return;
        }
        let s = setup(b"<html>", EMPTY_SHA);
        let err = fetch_spec(&s.lock_path, &s.dest, true).expect_err("not json");
        assert!(matches!(err, SpecSourceError::InvalidSpec { .. }), "{err}");
        assert_eq!(read_lock(&s.lock_path).expect("lock").sha256, EMPTY_SHA);
    }

    #[test]
    fn committed_lock_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(LOCK_FILE);
        let lock = read_lock(&path).expect("spec/openapi.lock");
        assert_eq!(lock.url, "https://api.polar.sh/openapi.json");
        assert_eq!(lock.api_version, "2026-10");
        // Where the reference copy of the pinned spec is available, it must verify.
        let shared = std::env::var_os("POLAR_OPENAPI_DIR")
            .map_or_else(
                || PathBuf::from("/work/shared/polar-openapi"),
                PathBuf::from,
            )
            .join("2026-10.openapi.json");
        match std::fs::read(&shared) {
            Ok(bytes) => verify_against_lock(&lock, &bytes).expect("pinned hash"),
            Err(_) => eprintln!("{} not found; hash not checked", shared.display()),
        }
    }
}
