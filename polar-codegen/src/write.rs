//! The one write path for generated files (after rust-analyzer's
//! `ensure_file_contents`): write mode updates only what changed and removes stale
//! generated files; check mode changes nothing and reports what is out of date.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::GeneratedFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// What differs between the generated files and the crate on disk.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Files whose contents differ (or are missing).
    pub changed: Vec<PathBuf>,
    /// Files in the generated directory that generation no longer produces.
    pub removed: Vec<PathBuf>,
    /// Files compared.
    pub total: usize,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    pub fn summary(&self) -> String {
        let mut lines = vec![format!(
            "{} of {} generated files out of date, {} stale",
            self.changed.len(),
            self.total,
            self.removed.len()
        )];
        for path in self.changed.iter().take(20) {
            lines.push(format!("  changed: {}", path.display()));
        }
        for path in self.removed.iter().take(20) {
            lines.push(format!("  stale:   {}", path.display()));
        }
        let more = (self.changed.len() + self.removed.len()).saturating_sub(40);
        if more > 0 {
            lines.push(format!("  ... and {more} more"));
        }
        lines.join("\n")
    }
}

/// Bring `crate_root` in line with `files` (or only compare, in check mode). Files under
/// `owned_dir` (relative to `crate_root`) that `files` does not list are stale: reported,
/// and removed in write mode.
pub fn ensure_files(
    crate_root: &Path,
    owned_dir: &str,
    files: &[GeneratedFile],
    mode: Mode,
) -> Result<Report> {
    let mut report = Report {
        total: files.len(),
        ..Report::default()
    };
    for file in files {
        let path = crate_root.join(&file.path);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() != Some(file.contents.as_str()) {
            report.changed.push(path);
        }
    }
    let generated_dir = crate_root.join(owned_dir);
    let expected: std::collections::BTreeSet<PathBuf> =
        files.iter().map(|f| crate_root.join(&f.path)).collect();
    for existing in list_files(&generated_dir)? {
        if !expected.contains(&existing) {
            report.removed.push(existing);
        }
    }
    if mode == Mode::Write {
        for file in files {
            let path = crate_root.join(&file.path);
            if report.changed.contains(&path) {
                write_atomic(&path, &file.contents)?;
            }
        }
        for path in &report.removed {
            std::fs::remove_file(path).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        }
        remove_empty_dirs(&generated_dir);
    }
    Ok(report)
}

fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let io = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, contents).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(Error::Read { path: dir, source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read {
                path: dir.clone(),
                source,
            })?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.path().is_dir() {
                remove_empty_dirs(&entry.path());
                let _ = std::fs::remove_dir(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERATED_DIR: &str = "src/generated";

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn check_reports_and_write_fixes() {
        let dir = std::env::temp_dir().join(format!("polar-write-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let stale = dir.join(GENERATED_DIR).join("old.rs");
        std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
        std::fs::write(&stale, "old").unwrap();
        let files = vec![
            file(&format!("{GENERATED_DIR}/a.rs"), "a"),
            file("Cargo.toml", "x"),
        ];

        let report = ensure_files(&dir, GENERATED_DIR, &files, Mode::Check).unwrap();
        assert_eq!(report.changed.len(), 2);
        assert_eq!(report.removed, vec![stale.clone()]);
        assert!(stale.exists(), "check mode must not touch files");

        let report = ensure_files(&dir, GENERATED_DIR, &files, Mode::Write).unwrap();
        assert!(!report.is_clean());
        assert!(!stale.exists());
        assert!(ensure_files(&dir, GENERATED_DIR, &files, Mode::Check)
            .unwrap()
            .is_clean());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
