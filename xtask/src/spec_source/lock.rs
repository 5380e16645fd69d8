//! `spec/openapi.lock`: the URL, sha256 and API version of the pinned spec, and the
//! live URL that `fetch-spec --latest` reads, as TOML.
//!
//! ```toml
//! url = "https://raw.githubusercontent.com/polarsource/polar/c6c3645e639ee8eeaa05aa0835cf8e39e330382f/docs/openapi/2026-10.openapi.json"
//! sha256 = "8ac1830be58df3d24270430c2a3fc226eedede5c44ec1675b4a7d491d476ca44"
//! api_version = "2026-10"
//! latest_url = "https://api.polar.sh/openapi.json"
//! ```
//!
//! `url` must be immutable: a URL naming a git commit (a path segment of 40 hex
//! digits), so the pinned bytes stay downloadable after Polar's next deploy.
//! `https://api.polar.sh/openapi.json` serves whatever Polar deployed last: it is the
//! `latest_url`, never the pin.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{io_err, SpecSourceError};

/// The comment written above the keys whenever the lock is rewritten.
const HEADER: &str = "\
# The pinned source of Polar's OpenAPI document. `cargo xtask fetch-spec` downloads
# `url` (immutable: it names a commit) and accepts it only if its sha256 matches.
# `fetch-spec --latest` downloads `latest_url` (what Polar serves now) and compares;
# `fetch-spec --update-lock --source URL` pins an immutable URL and rewrites this file.
";

/// What Polar serves now: the default `latest_url`, never a pin.
pub const LIVE_URL: &str = "https://api.polar.sh/openapi.json";

fn live_url() -> String {
    LIVE_URL.to_owned()
}

/// The URL cannot change what it serves: one of its path segments is a full git commit
/// hash (40 hex digits), as in
/// `https://raw.githubusercontent.com/polarsource/polar/<commit>/docs/openapi/…`.
pub fn is_immutable_url(url: &str) -> bool {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/')
        .any(|segment| segment.len() == 40 && segment.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The pinned source of the spec (`spec/openapi.lock`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecLock {
    /// Where the pinned document is downloaded from: an immutable URL.
    pub url: String,
    /// Lower-case hex sha256 of the exact bytes of the document.
    pub sha256: String,
    /// `info.version` of the pinned document (sent as `Polar-Version`).
    pub api_version: String,
    /// What Polar serves now (`fetch-spec --latest`); [`LIVE_URL`] when absent.
    #[serde(default = "live_url")]
    pub latest_url: String,
}

impl SpecLock {
    /// Parses the lock text; `path` is only used in error messages. A `url` that is
    /// not immutable is an error.
    pub fn parse(text: &str, path: &Path) -> Result<SpecLock, SpecSourceError> {
        let lock = SpecLock::parse_allowing_mutable(text, path)?;
        if !is_immutable_url(&lock.url) {
            return Err(SpecSourceError::Lock {
                path: path.to_owned(),
                message: format!(
                    "`url` must be immutable (name a commit, e.g. \
                     https://raw.githubusercontent.com/polarsource/polar/<commit>/docs/openapi/\
                     <version>.openapi.json), not {:?}: a URL that serves whatever was \
                     deployed last fails the hash check after the next deploy; `latest_url` \
                     is for that one (`fetch-spec --update-lock --source URL` rewrites it)",
                    lock.url
                ),
            });
        }
        Ok(lock)
    }

    /// [`SpecLock::parse`] without the immutability check: for `--update-lock --source`,
    /// which replaces `url` (so an old lock pinning the live URL can be repaired).
    pub fn parse_allowing_mutable(text: &str, path: &Path) -> Result<SpecLock, SpecSourceError> {
        let error = |message: String| SpecSourceError::Lock {
            path: path.to_owned(),
            message,
        };
        let lock: SpecLock = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        let hex = |b: u8| matches!(b, b'0'..=b'9' | b'a'..=b'f');
        if lock.sha256.len() != 64 || !lock.sha256.bytes().all(hex) {
            return Err(error(format!(
                "`sha256` must be 64 lower-case hex digits, got {:?}",
                lock.sha256
            )));
        }
        Ok(lock)
    }

    /// The lock file's text: the header comment, then the keys.
    pub fn to_text(&self) -> String {
        // Four string keys: serializing them cannot fail.
        let keys = toml::to_string(self).unwrap_or_default();
        format!("{HEADER}{keys}")
    }
}

/// Reads and parses the lock at `path`.
pub fn read_lock(path: &Path) -> Result<SpecLock, SpecSourceError> {
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    SpecLock::parse(&text, path)
}

/// Reads the lock at `path` with [`SpecLock::parse_allowing_mutable`].
pub fn read_lock_allowing_mutable(path: &Path) -> Result<SpecLock, SpecSourceError> {
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    SpecLock::parse_allowing_mutable(&text, path)
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
    /// The hash in the lock.
    pub expected: String,
    /// The hash of the bytes.
    pub actual: String,
}

/// Checks `bytes` against the lock's sha256.
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

pub(super) fn temp_sibling(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SpecSourceError> {
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
pub(super) mod tests {
    use super::*;

    /// SHA-256 of no bytes.
    pub(crate) const EMPTY_SHA: &str =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// A lock for API version 2026-10.
    pub(crate) fn lock_for(url: &str, sha256: &str) -> SpecLock {
        SpecLock {
            url: url.to_owned(),
            sha256: sha256.to_owned(),
            api_version: "2026-10".to_owned(),
            latest_url: LIVE_URL.to_owned(),
        }
    }

    const COMMIT: &str = "c6c3645e639ee8eeaa05aa0835cf8e39e330382f";

    #[test]
    fn immutable_urls_name_a_commit() {
        let pinned = format!(
            "https://raw.githubusercontent.com/polarsource/polar/{COMMIT}/docs/openapi/2026-10.openapi.json"
        );
        for (url, immutable) in [
            (pinned.as_str(), true),
            ("http://127.0.0.1:4000/x/c6c3645e639ee8eeaa05aa0835cf8e39e330382f/a.json", true),
            (LIVE_URL, false),
            ("https://raw.githubusercontent.com/polarsource/polar/main/docs/openapi/2026-10.openapi.json", false),
            ("https://example.test/a.json?rev=c6c3645e639ee8eeaa05aa0835cf8e39e330382f", false),
            ("https://c6c3645e639ee8eeaa05aa0835cf8e39e330382f/a.json", false),
            ("https://example.test/c6c3645e639ee8eeaa05aa0835cf8e39e330382", false),
        ] {
            assert_eq!(is_immutable_url(url), immutable, "{url}");
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
        let lock = lock_for(
            &format!("https://example.test/{COMMIT}/a \"b\".json"),
            EMPTY_SHA,
        );
        let text = lock.to_text();
        assert!(text.starts_with("# The pinned source"), "{text}");
        assert_eq!(SpecLock::parse(&text, path).expect("parse"), lock);

        let bad = [
            ("url = https://x\n", "line 1"),
            ("colour = \"red\"\n", "unknown field `colour`"),
            ("# c\nurl = \"a\"\nurl = \"b\"\n", "duplicate key"),
            (
                "url = \"a\"\napi_version = \"x\"\n",
                "missing field `sha256`",
            ),
            ("just words\n", "line 1"),
        ];
        for (text, expected) in bad {
            let err = SpecLock::parse(text, path).expect_err(text).to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
            assert!(err.starts_with("spec/openapi.lock"), "{err}");
        }
        let short_hash = "url = \"a\"\nsha256 = \"abc\"\napi_version = \"x\"\n";
        let err = SpecLock::parse(short_hash, path).expect_err("short hash");
        assert!(err.to_string().contains("64 lower-case hex"), "{err}");
        // The pin must be immutable; `latest_url` defaults to the live URL.
        let live = format!("url = \"{LIVE_URL}\"\nsha256 = \"{EMPTY_SHA}\"\napi_version = \"x\"\n");
        let err = SpecLock::parse(&live, path)
            .expect_err("mutable url")
            .to_string();
        assert!(
            err.contains("must be immutable") && err.contains(LIVE_URL),
            "{err}"
        );
        let old_format = format!(
            "url = \"https://h.test/{COMMIT}/a.json\"\nsha256 = \"{EMPTY_SHA}\"\napi_version = \"x\"\n"
        );
        let lock = SpecLock::parse(&old_format, path).expect("no latest_url");
        assert_eq!(lock.latest_url, LIVE_URL);
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
    fn committed_lock_parses_and_pins_the_shared_spec() {
        let root = crate::workspace_root();
        let lock = read_lock(&root.join(super::super::LOCK_FILE)).expect("spec/openapi.lock");
        assert_eq!(
            lock.url,
            format!("https://raw.githubusercontent.com/polarsource/polar/{COMMIT}/docs/openapi/2026-10.openapi.json")
        );
        assert_eq!(lock.latest_url, LIVE_URL);
        assert_eq!(lock.api_version, "2026-10");
        // The team's reference copy of the pinned spec must verify against the lock.
        let shared = root.join("../shared/polar-openapi/2026-10.openapi.json");
        let bytes = std::fs::read(&shared).unwrap_or_else(|err| {
            panic!(
                "{}: {err}: this test needs the shared reference spec next to the workspace",
                shared.display()
            )
        });
        verify_against_lock(&lock, &bytes).expect("pinned hash");
    }
}
