//! Downloading the pinned spec with `curl` and checking it against the lock.
//!
//! Three modes ([`FetchMode`]):
//! - [`FetchMode::Pinned`] (`cargo xtask fetch-spec`): the lock's immutable `url`,
//!   accepted only if its sha256 is the locked one; written to the cache.
//! - [`FetchMode::Latest`] (`--latest`): the lock's `latest_url` (what Polar serves
//!   now), written next to the cache as `latest.openapi.json`; prints whether it is
//!   the pinned document. Never changes the lock or the pinned cache.
//! - [`FetchMode::UpdateLock`] (`--update-lock [--source URL]`): pins `URL` (else the
//!   lock's own `url`), which must be immutable ([`is_immutable_url`]): a mutable URL
//!   is refused, because its hash would stop matching after Polar's next deploy.
//!
//! A download that redirects is followed, and every error names the URL it ended at.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::lock::{
    is_immutable_url, read_lock, read_lock_allowing_mutable, sha256_hex, temp_sibling,
    verify_against_lock, write_lock, SpecLock,
};
use super::{io_err, SpecSourceError};

/// What [`Fetcher::fetch`] does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchMode {
    /// Download the pinned `url` and check its hash.
    Pinned,
    /// Download `latest_url` to `latest.openapi.json` beside the cache and compare.
    Latest,
    /// Pin `source` (else the lock's `url`): it must be immutable.
    UpdateLock { source: Option<String> },
}

/// What [`fetch_spec`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOutcome {
    pub path: PathBuf,
    /// Where the bytes came from (after redirects).
    pub url: String,
    pub sha256: String,
    /// The lock was rewritten (only in [`FetchMode::UpdateLock`]).
    pub lock_updated: bool,
    /// The document is the pinned one (same sha256 as the lock before this run).
    pub matches_lock: bool,
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

/// The file `--latest` writes: `latest.openapi.json` beside the pinned cache `dest`.
pub fn latest_path(dest: &Path) -> PathBuf {
    dest.with_file_name("latest.openapi.json")
}

/// Runs [`Fetcher::fetch`] with [`Fetcher::default`]: the lock at `lock_path`, the
/// pinned cache at `dest` (normally `spec/cache/openapi.json`).
pub fn fetch_spec(
    lock_path: &Path,
    dest: &Path,
    mode: &FetchMode,
) -> Result<FetchOutcome, SpecSourceError> {
    Fetcher::default().fetch(lock_path, dest, mode)
}

impl Fetcher {
    /// Downloads to a temporary file next to the destination, checks it, then renames
    /// it onto the destination; on any error nothing is written and the lock is kept.
    pub fn fetch(
        &self,
        lock_path: &Path,
        dest: &Path,
        mode: &FetchMode,
    ) -> Result<FetchOutcome, SpecSourceError> {
        let mut lock = match mode {
            // A new immutable source replaces whatever `url` the lock has.
            FetchMode::UpdateLock { source: Some(_) } => read_lock_allowing_mutable(lock_path)?,
            _ => read_lock(lock_path)?,
        };
        let dest = match mode {
            FetchMode::Latest => latest_path(dest),
            _ => dest.to_owned(),
        };
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let tmp = temp_sibling(&dest);
        let result = self.download_and_check(&mut lock, lock_path, &tmp, &dest, mode);
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
        mode: &FetchMode,
    ) -> Result<FetchOutcome, SpecSourceError> {
        let url = match mode {
            FetchMode::Pinned => lock.url.clone(),
            FetchMode::Latest => lock.latest_url.clone(),
            FetchMode::UpdateLock { source } => {
                let url = source.clone().unwrap_or_else(|| lock.url.clone());
                if !is_immutable_url(&url) {
                    return Err(SpecSourceError::MutableSource { url });
                }
                url
            }
        };
        let effective = self.download(&url, tmp)?;
        let source_name = if effective == url {
            url.clone()
        } else {
            format!("{url} (redirected to {effective})")
        };
        let bytes = std::fs::read(tmp).map_err(io_err(tmp))?;
        let sha256 = sha256_hex(&bytes);
        let matches_lock = verify_against_lock(lock, &bytes).is_ok();
        let mut lock_updated = false;
        match mode {
            FetchMode::Pinned => {
                if let Err(mismatch) = verify_against_lock(lock, &bytes) {
                    return Err(SpecSourceError::Mismatch {
                        source_name,
                        lock: lock_path.to_owned(),
                        expected: mismatch.expected,
                        actual: mismatch.actual,
                    });
                }
            }
            FetchMode::Latest => {
                // Must at least be a spec: an error page is not "the latest spec".
                api_version_of(&bytes, &source_name)?;
            }
            FetchMode::UpdateLock { .. } => {
                let api_version = api_version_of(&bytes, &source_name)?;
                if lock.url != url || lock.sha256 != sha256 || lock.api_version != api_version {
                    lock.url = url.clone();
                    lock.sha256 = sha256.clone();
                    lock.api_version = api_version;
                    write_lock(lock_path, lock)?;
                    lock_updated = true;
                }
            }
        }
        std::fs::rename(tmp, dest).map_err(io_err(dest))?;
        Ok(FetchOutcome {
            path: dest.to_owned(),
            url: effective,
            sha256,
            lock_updated,
            matches_lock,
        })
    }

    /// Downloads `url` to `out`, following redirects; returns the URL it ended at.
    fn download(&self, url: &str, out: &Path) -> Result<String, SpecSourceError> {
        let output = Command::new(&self.curl)
            .args(["-fsSL", "--proto", "=https,http", "--max-redirs", "5"])
            // Loopback never goes through a proxy (the tests serve on 127.0.0.1).
            .args(["--noproxy", "127.0.0.1,localhost,::1"])
            .args(["--write-out", "%{http_code} %{url_effective}", "--max-time"])
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
        let written = String::from_utf8_lossy(&output.stdout);
        let (http_status, effective) = written
            .trim()
            .split_once(' ')
            .map_or(("000", url), |(code, at)| (code, at));
        let effective = if effective.is_empty() { url } else { effective };
        if output.status.success() {
            return Ok(effective.to_owned());
        }
        let url = if effective == url {
            url.to_owned()
        } else {
            format!("{url} (redirected to {effective})")
        };
        Err(SpecSourceError::Download {
            url,
            status: output
                .status
                .code()
                .map_or_else(|| "none (killed by a signal)".into(), |c| c.to_string()),
            http_status: http_status.to_owned(),
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

// The workspace's test-input helpers: a missing curl fails under CI like a missing spec.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../../tests/paths.rs"]
mod test_paths;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use super::super::lock::tests::{lock_for, EMPTY_SHA};
    use super::super::lock::{write_lock, LIVE_URL};
    use super::*;

    use super::test_paths as paths;

    const COMMIT: &str = "c6c3645e639ee8eeaa05aa0835cf8e39e330382f";

    /// One canned response: status line code, extra headers, body.
    #[derive(Clone)]
    struct Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    fn ok(body: &[u8]) -> Reply {
        Reply {
            status: 200,
            headers: Vec::new(),
            body: body.to_vec(),
        }
    }

    fn redirect(to: &str) -> Reply {
        Reply {
            status: 302,
            headers: vec![("Location".into(), to.into())],
            body: Vec::new(),
        }
    }

    /// A tiny HTTP/1.1 server on 127.0.0.1 (a thread, one connection at a time):
    /// answers each path from `routes`, 404 for any other, and records the paths asked.
    struct Server {
        base: String,
        routes: Arc<Mutex<BTreeMap<String, Reply>>>,
        requests: Arc<Mutex<Vec<String>>>,
    }

    impl Server {
        fn start() -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
            let base = format!("http://{}", listener.local_addr().expect("addr"));
            let routes: Arc<Mutex<BTreeMap<String, Reply>>> = Arc::default();
            let requests: Arc<Mutex<Vec<String>>> = Arc::default();
            let (r, q) = (routes.clone(), requests.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).is_err() {
                        continue;
                    }
                    // Skip the headers.
                    let mut line = String::new();
                    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                        line.clear();
                    }
                    let path = request_line
                        .split_whitespace()
                        .nth(1)
                        .unwrap_or("/")
                        .to_owned();
                    q.lock().expect("requests").push(path.clone());
                    let reply = r
                        .lock()
                        .expect("routes")
                        .get(&path)
                        .cloned()
                        .unwrap_or(Reply {
                            status: 404,
                            headers: Vec::new(),
                            body: b"Not Found".to_vec(),
                        });
                    let mut head = format!(
                        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                        reply.status,
                        reply.body.len()
                    );
                    for (name, value) in &reply.headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&reply.body);
                }
            });
            Server {
                base,
                routes,
                requests,
            }
        }

        fn url(&self, path: &str) -> String {
            format!("{}{path}", self.base)
        }

        fn serve(&self, path: &str, reply: Reply) {
            self.routes
                .lock()
                .expect("routes")
                .insert(path.to_owned(), reply);
        }

        fn requests(&self) -> Vec<String> {
            self.requests.lock().expect("requests").clone()
        }
    }

    /// The immutable path of a served spec (it names a commit).
    fn pinned_path(name: &str) -> String {
        format!("/polarsource/polar/{COMMIT}/docs/openapi/{name}")
    }

    /// A lock pinning `pinned` on the server (with `sha`), its live URL at `/live.json`.
    struct Setup {
        _dir: tempfile::TempDir,
        server: Server,
        lock_path: PathBuf,
        dest: PathBuf,
    }

    fn setup(pinned: &str, sha: &str) -> Setup {
        let dir = tempfile::tempdir().expect("temp dir");
        let server = Server::start();
        let lock_path = dir.path().join("openapi.lock");
        let mut lock = lock_for(&server.url(pinned), sha);
        lock.latest_url = server.url("/live.json");
        write_lock(&lock_path, &lock).expect("write lock");
        let dest = dir.path().join("cache").join("openapi.json");
        Setup {
            _dir: dir,
            server,
            lock_path,
            dest,
        }
    }

    fn fetcher() -> Option<Fetcher> {
        if Command::new("curl").arg("--version").output().is_ok() {
            Some(Fetcher {
                timeout_secs: 10,
                ..Fetcher::default()
            })
        } else {
            paths::missing_input("curl is not installed: the fetch tests download with it")
        }
    }

    fn cache_dir_entries(dest: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dest.parent().expect("dir"))
            .map(|dir| {
                dir.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    const DOC: &[u8] = br#"{"openapi":"3.1.0","info":{"version":"2026-10"}}"#;

    #[test]
    fn pinned_hash_match_is_cached() {
        let Some(fetcher) = fetcher() else { return };
        let path = pinned_path("2026-10.openapi.json");
        let s = setup(&path, &sha256_hex(DOC));
        s.server.serve(&path, ok(DOC));
        let outcome = fetcher
            .fetch(&s.lock_path, &s.dest, &FetchMode::Pinned)
            .expect("fetch");
        assert!(outcome.matches_lock && !outcome.lock_updated);
        assert_eq!(outcome.sha256, sha256_hex(DOC));
        assert_eq!(std::fs::read(&s.dest).expect("cache"), DOC);
        assert_eq!(
            cache_dir_entries(&s.dest),
            ["openapi.json"],
            "no temporary file left behind"
        );
        assert_eq!(s.server.requests(), [path]);
    }

    #[test]
    fn pinned_hash_mismatch_names_both_hashes_and_writes_nothing() {
        let Some(fetcher) = fetcher() else { return };
        let path = pinned_path("2026-10.openapi.json");
        let s = setup(&path, EMPTY_SHA);
        s.server.serve(&path, ok(DOC));
        let err = fetcher
            .fetch(&s.lock_path, &s.dest, &FetchMode::Pinned)
            .expect_err("mismatch");
        let text = err.to_string();
        assert!(matches!(err, SpecSourceError::Mismatch { .. }), "{text}");
        assert!(
            text.contains(&format!("expects {EMPTY_SHA}"))
                && text.contains(&format!("has {}", sha256_hex(DOC)))
                && text.contains(&s.server.url(&path)),
            "{text}"
        );
        assert!(text.contains("--update-lock"), "{text}");
        assert!(!s.dest.exists(), "a mismatch must not reach the cache");
        assert_eq!(cache_dir_entries(&s.dest), Vec::<String>::new());
    }

    #[test]
    fn moved_content_is_a_clear_error() {
        let Some(fetcher) = fetcher() else { return };
        let path = pinned_path("2026-10.openapi.json");
        let s = setup(&path, &sha256_hex(DOC));
        let fetch = || fetcher.fetch(&s.lock_path, &s.dest, &FetchMode::Pinned);

        // Gone: 404, named with the URL and the HTTP status.
        let err = fetch().expect_err("404");
        let text = err.to_string();
        assert!(matches!(err, SpecSourceError::Download { .. }), "{text}");
        assert!(
            text.contains(&s.server.url(&path)) && text.contains("HTTP 404"),
            "{text}"
        );

        // Redirected to other bytes: the mismatch names where it ended.
        s.server.serve(&path, redirect("/moved.json"));
        s.server
            .serve("/moved.json", ok(br#"{"info":{"version":"2027-01"}}"#));
        let err = fetch().expect_err("redirect to other bytes");
        let text = err.to_string();
        assert!(matches!(err, SpecSourceError::Mismatch { .. }), "{text}");
        assert!(
            text.contains(&format!("(redirected to {})", s.server.url("/moved.json"))),
            "{text}"
        );

        // Redirected to nothing: the 404 names both URLs.
        s.server.serve(&path, redirect("/nowhere.json"));
        let text = fetch().expect_err("redirect to 404").to_string();
        assert!(
            text.contains(&s.server.url("/nowhere.json")) && text.contains("HTTP 404"),
            "{text}"
        );

        // Redirected to the same bytes: accepted (the hash is what counts).
        s.server.serve(&path, redirect("/same.json"));
        s.server.serve("/same.json", ok(DOC));
        let outcome = fetch().expect("same bytes elsewhere");
        assert_eq!(outcome.url, s.server.url("/same.json"));
        assert!(!s.dest.with_file_name("openapi.json.tmp").exists());
    }

    #[test]
    fn latest_compares_without_touching_the_lock() {
        let Some(fetcher) = fetcher() else { return };
        let path = pinned_path("2026-10.openapi.json");
        let s = setup(&path, &sha256_hex(DOC));
        let lock_before = std::fs::read_to_string(&s.lock_path).expect("lock");
        let newer = br#"{"openapi":"3.1.0","info":{"version":"2027-01"}}"#;
        s.server.serve("/live.json", ok(newer));
        let outcome = fetcher
            .fetch(&s.lock_path, &s.dest, &FetchMode::Latest)
            .expect("latest");
        assert!(!outcome.matches_lock && !outcome.lock_updated);
        assert_eq!(outcome.path, latest_path(&s.dest));
        assert_eq!(std::fs::read(latest_path(&s.dest)).expect("latest"), newer);
        assert!(!s.dest.exists(), "the pinned cache is not the latest spec");
        assert_eq!(
            std::fs::read_to_string(&s.lock_path).expect("lock"),
            lock_before
        );
        // An error page is not a spec.
        s.server
            .serve("/live.json", ok(b"<html>maintenance</html>"));
        let err = fetcher
            .fetch(&s.lock_path, &s.dest, &FetchMode::Latest)
            .expect_err("not a spec");
        assert!(matches!(err, SpecSourceError::InvalidSpec { .. }), "{err}");
    }

    #[test]
    fn update_lock_pins_only_immutable_sources() {
        let Some(fetcher) = fetcher() else { return };
        let path = pinned_path("2026-10.openapi.json");
        let s = setup(&path, EMPTY_SHA);
        let lock_before = std::fs::read_to_string(&s.lock_path).expect("lock");
        let newer_path = pinned_path("2027-01.openapi.json");
        let newer = br#"{"openapi":"3.1.0","info":{"version":"2027-01"}}"#;
        s.server.serve(&newer_path, ok(newer));
        s.server.serve("/live.json", ok(newer));

        // The live URL (or any URL without a commit) is refused before downloading.
        for source in [s.server.url("/live.json"), LIVE_URL.to_owned()] {
            let mode = FetchMode::UpdateLock {
                source: Some(source.clone()),
            };
            let err = fetcher
                .fetch(&s.lock_path, &s.dest, &mode)
                .expect_err("mutable");
            let text = err.to_string();
            assert!(
                matches!(err, SpecSourceError::MutableSource { .. }),
                "{text}"
            );
            assert!(
                text.contains(&source) && text.contains("--source"),
                "{text}"
            );
        }
        assert!(!s.server.requests().contains(&"/live.json".to_owned()));
        assert_eq!(
            std::fs::read_to_string(&s.lock_path).expect("lock"),
            lock_before
        );

        let mode = FetchMode::UpdateLock {
            source: Some(s.server.url(&newer_path)),
        };
        let outcome = fetcher.fetch(&s.lock_path, &s.dest, &mode).expect("pin");
        assert!(outcome.lock_updated);
        let lock = read_lock(&s.lock_path).expect("reread");
        assert_eq!(lock.url, s.server.url(&newer_path));
        assert_eq!(lock.sha256, sha256_hex(newer));
        assert_eq!(lock.api_version, "2027-01");
        assert_eq!(lock.latest_url, s.server.url("/live.json"), "kept");
        assert_eq!(std::fs::read(&s.dest).expect("cache"), newer);
        // The new pin verifies without the flag; pinning it again changes nothing.
        let again = fetcher
            .fetch(&s.lock_path, &s.dest, &FetchMode::Pinned)
            .expect("refetch");
        assert!(again.matches_lock);
        let same = fetcher
            .fetch(
                &s.lock_path,
                &s.dest,
                &FetchMode::UpdateLock { source: None },
            )
            .expect("re-pin");
        assert!(!same.lock_updated && same.matches_lock);

        // A source that is not a spec leaves the lock as it was.
        let html = pinned_path("broken.json");
        s.server.serve(&html, ok(b"<html>"));
        let before = std::fs::read_to_string(&s.lock_path).expect("lock");
        let err = fetcher
            .fetch(
                &s.lock_path,
                &s.dest,
                &FetchMode::UpdateLock {
                    source: Some(s.server.url(&html)),
                },
            )
            .expect_err("not json");
        assert!(matches!(err, SpecSourceError::InvalidSpec { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&s.lock_path).expect("lock"), before);
    }

    /// A lock from before immutable pins (`url` the live URL) is refused by a plain
    /// fetch, naming the fix, and repaired by `--update-lock --source`.
    #[test]
    fn a_lock_pinning_the_live_url_is_refused_and_can_be_repaired() {
        let Some(fetcher) = fetcher() else { return };
        let s = setup(&pinned_path("2026-10.openapi.json"), &sha256_hex(DOC));
        s.server.serve("/live.json", ok(DOC));
        let mut old = read_lock(&s.lock_path).expect("lock");
        old.url = s.server.url("/live.json");
        std::fs::write(&s.lock_path, old.to_text()).expect("write old lock");
        for mode in [FetchMode::Pinned, FetchMode::UpdateLock { source: None }] {
            let err = fetcher
                .fetch(&s.lock_path, &s.dest, &mode)
                .expect_err("mutable pin");
            let text = err.to_string();
            assert!(
                text.contains("must be immutable") && text.contains("--update-lock --source"),
                "{mode:?}: {text}"
            );
        }
        let path = pinned_path("2026-10.openapi.json");
        s.server.serve(&path, ok(DOC));
        let source = Some(s.server.url(&path));
        let outcome = fetcher
            .fetch(&s.lock_path, &s.dest, &FetchMode::UpdateLock { source })
            .expect("repair");
        assert!(outcome.lock_updated && outcome.matches_lock);
        assert_eq!(
            read_lock(&s.lock_path).expect("lock").url,
            s.server.url(&path)
        );
    }

    #[test]
    fn missing_curl_is_named() {
        let s = setup(&pinned_path("a.json"), EMPTY_SHA);
        let fetcher = Fetcher {
            curl: "curl-that-does-not-exist-here".into(),
            ..Fetcher::default()
        };
        let err = fetcher
            .fetch(&s.lock_path, &s.dest, &FetchMode::Pinned)
            .expect_err("no curl");
        assert!(matches!(err, SpecSourceError::CurlMissing { .. }), "{err}");
        assert!(err.to_string().contains("curl-that-does-not-exist-here"));
    }
}
