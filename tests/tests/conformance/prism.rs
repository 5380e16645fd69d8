//! The mock server: Prism, installed from `tests/conformance/package-lock.json`, started
//! on a free loopback port in its own process group and stopped (the whole group) when
//! the handle is dropped, also when a test panics.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long Prism may take to load the spec and listen (about 5–10 s measured).
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// How long Prism may take to exit after SIGTERM before the group gets SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// Lines of Prism output kept for failure messages.
const LOG_LINES: usize = 200;

/// A running Prism mock server.
pub struct Prism {
    child: Child,
    pub base_url: String,
    log: Arc<Mutex<VecDeque<String>>>,
}

impl Prism {
    /// Starts `prism mock SPEC` with request validation (always on in Prism) and `seed` for
    /// dynamic responses, and waits until it accepts connections.
    pub fn start(spec: &Path, seed: u64) -> Prism {
        let bin = ensure_installed();
        let port = free_port();
        let mut child = Command::new(&bin)
            .arg("mock")
            .arg(spec)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--seed", &seed.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so that stopping it also stops anything it forked.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|err| panic!("could not start {}: {err}", bin.display()));
        let log = Arc::new(Mutex::new(VecDeque::new()));
        drain(child.stdout.take().expect("piped"), Arc::clone(&log));
        drain(child.stderr.take().expect("piped"), Arc::clone(&log));
        let prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        };
        prism.wait_until_listening(port);
        prism
    }

    fn wait_until_listening(&self, port: u16) {
        let started = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            if started.elapsed() > START_TIMEOUT {
                panic!(
                    "Prism did not listen on port {port} within {START_TIMEOUT:?}:\n{}",
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The last lines Prism printed.
    pub fn log_tail(&self) -> String {
        let log = self.log.lock().unwrap();
        log.iter().cloned().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let group = -(self.child.id() as i32);
        // SAFETY: kill(2) with a negative pid signals the process group we created.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                // Anything left in the group (nothing, normally) goes too.
                unsafe { libc::kill(group, libc::SIGKILL) };
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // SAFETY: as above.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// Keeps the last lines of a Prism output stream (and keeps the pipe from filling up).
fn drain(stream: impl Read + Send + 'static, log: Arc<Mutex<VecDeque<String>>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut log = log.lock().unwrap();
            if log.len() == LOG_LINES {
                log.pop_front();
            }
            log.push_back(line);
        }
    });
}

/// A port that was free a moment ago (the OS picks it; Prism binds it right after).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

/// `tests/conformance/node_modules/.bin/prism`, installed by `scripts/install-prism.sh`
/// (from the committed lock file) if it is missing.
fn ensure_installed() -> PathBuf {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _once = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let root = workspace_root();
    let bin = root.join("tests/conformance/node_modules/.bin/prism");
    if bin.exists() {
        return bin;
    }
    let script = root.join("scripts/install-prism.sh");
    eprintln!(
        "conformance: Prism is not installed; running {}",
        script.display()
    );
    let status = Command::new("bash").arg(&script).status();
    match status {
        Ok(status) if status.success() && bin.exists() => bin,
        other => panic!(
            "the conformance test needs the Prism mock server, and installing it failed \
             ({other:?}). Install Node.js and npm, then run scripts/install-prism.sh \
             (it runs `npm ci` in tests/conformance, which needs the npm registry)."
        ),
    }
}
