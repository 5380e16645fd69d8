//! Downloading the pinned spec with `curl` and checking it against the lock.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::lock::{read_lock, temp_sibling, verify_against_lock, write_lock, SpecLock};
use super::{io_err, SpecSourceError};

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

#[cfg(test)]
mod tests {
    use super::super::lock::tests::{lock_for, EMPTY_SHA};
    use super::super::lock::{sha256_hex, write_lock};
    use super::*;

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
}
