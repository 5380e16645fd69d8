//! A scriptable loopback mock of `POST /v1/events/ingest`, shared by the ingester tests,
//! the client load test and the benchmarks. Plain HTTP/1.1 over a `TcpListener` so it can
//! do what a framework would not: drop a connection mid-request.
#![allow(dead_code)] // each test binary uses a different subset

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use polar::models::EventsIngestEvent as IngestEvent;
use polar::models::{EventCreateExternalCustomer, EventCreateExternalCustomerRequired};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How the mock answers one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Store the events (de-duplicated by `external_id`, as Polar does) and answer 200
    /// with `inserted` and `duplicates`.
    Ok,
    /// 429 with `Retry-After: <seconds>`; nothing stored.
    RateLimited(u64),
    /// 500; nothing stored.
    ServerError,
    /// 503 with `Retry-After: <seconds>` (maintenance); nothing stored.
    Unavailable(u64),
    /// Store the events, but answer 200 only after this delay (past the client's timeout:
    /// the client retries a batch that was in fact stored).
    Delay(Duration),
    /// Read the request and close the connection without answering; nothing stored.
    Drop,
    /// 422 naming these event indices (Polar's `detail[].loc`); nothing stored.
    Invalid(Vec<usize>),
    /// Any status with this body; nothing stored.
    Status(u16, String),
    /// Wait until [`Mock::release`] is called, then behave as `Ok`.
    Hold,
}

/// What the mock saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// TCP connections accepted.
    pub connections: usize,
    /// Requests received (complete ones).
    pub requests: usize,
    /// Events received over the wire, retries included.
    pub wire_events: usize,
    /// Times each `external_id` was *stored* (a retried duplicate is not stored twice,
    /// so every value is 1; kept as a count to prove it).
    pub stored: HashMap<String, usize>,
    /// Times each `external_id` was seen on the wire.
    pub on_wire: HashMap<String, usize>,
    /// Events answered as duplicates.
    pub duplicates: usize,
    /// Events stored without an `external_id`.
    pub without_id: usize,
}

/// A running mock.
#[derive(Clone)]
pub struct Mock {
    pub addr: SocketAddr,
    script: Arc<Mutex<VecDeque<Reply>>>,
    then: Arc<Mutex<Reply>>,
    seen: Arc<Mutex<Seen>>,
    released: Arc<watch::Sender<bool>>,
    /// Count events by scanning bytes instead of parsing JSON (benchmarks: an answer as
    /// fast as the server can read).
    counting_only: bool,
}

impl Mock {
    /// Starts a mock on a free loopback port that answers `script` in order, then `then`.
    pub async fn start(script: Vec<Reply>, then: Reply) -> Mock {
        Self::start_with(script, then, false).await
    }

    /// A mock that answers 200 at once and only counts events (no JSON parsing, no
    /// de-duplication): for benchmarks and load tests.
    pub async fn counting() -> Mock {
        Self::start_with(vec![], Reply::Ok, true).await
    }

    async fn start_with(script: Vec<Reply>, then: Reply, counting_only: bool) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let mock = Mock {
            addr: listener.local_addr().unwrap(),
            script: Arc::new(Mutex::new(script.into())),
            then: Arc::new(Mutex::new(then)),
            seen: Arc::new(Mutex::new(Seen::default())),
            released: Arc::new(watch::channel(false).0),
            counting_only,
        };
        let server = mock.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = server.clone();
                server.seen.lock().unwrap().connections += 1;
                tokio::spawn(async move { server.serve(stream).await });
            }
        });
        mock
    }

    /// The base URL for `ClientBuilder::base_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client for this mock with a token, no client-level retries.
    pub fn client(&self) -> polar::Client {
        polar::Client::builder()
            .base_url(self.url())
            .access_token("polar_oat_test")
            .max_retries(0)
            .build()
            .expect("client")
    }

    /// Lets held requests (and later ones) through.
    pub fn release(&self) {
        self.released.send_replace(true);
    }

    /// Replaces what the mock answers once the script is used up.
    pub fn then(&self, reply: Reply) {
        *self.then.lock().unwrap() = reply;
    }

    /// Runs `f` on what the mock saw so far.
    pub fn seen<T>(&self, f: impl FnOnce(&Seen) -> T) -> T {
        f(&self.seen.lock().unwrap())
    }

    fn next_reply(&self) -> Reply {
        let scripted = self.script.lock().unwrap().pop_front();
        scripted.unwrap_or_else(|| self.then.lock().unwrap().clone())
    }

    async fn serve(&self, mut stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let mut buffer = Vec::with_capacity(64 * 1024);
        loop {
            let Some(body) = read_request(&mut stream, &mut buffer).await else {
                return;
            };
            let reply = self.next_reply();
            let reply = match reply {
                Reply::Hold => {
                    let mut released = self.released.subscribe();
                    if released.wait_for(|released| *released).await.is_err() {
                        return;
                    }
                    Reply::Ok
                }
                other => other,
            };
            let (status, extra, text) = match reply {
                Reply::Drop => {
                    self.count(&body, false);
                    return;
                }
                Reply::Ok | Reply::Hold => (200, String::new(), self.count(&body, true)),
                Reply::Delay(wait) => {
                    let text = self.count(&body, true);
                    tokio::time::sleep(wait).await;
                    (200, String::new(), text)
                }
                Reply::RateLimited(seconds) => {
                    self.count(&body, false);
                    (
                        429,
                        format!("retry-after: {seconds}\r\n"),
                        r#"{"detail":"slow down"}"#.to_owned(),
                    )
                }
                Reply::ServerError => {
                    self.count(&body, false);
                    (500, String::new(), r#"{"detail":"boom"}"#.to_owned())
                }
                Reply::Unavailable(seconds) => {
                    self.count(&body, false);
                    (
                        503,
                        format!("retry-after: {seconds}\r\n"),
                        r#"{"detail":"maintenance"}"#.to_owned(),
                    )
                }
                Reply::Invalid(indices) => {
                    self.count(&body, false);
                    let detail: Vec<_> = indices
                        .iter()
                        .map(|i| serde_json::json!({"loc": ["body", "events", i, "name"], "msg": "String should have at most 400 characters", "type": "string_too_long"}))
                        .collect();
                    (
                        422,
                        String::new(),
                        serde_json::json!({"detail": detail}).to_string(),
                    )
                }
                Reply::Status(status, text) => {
                    self.count(&body, false);
                    (status, String::new(), text)
                }
            };
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n",
                text.len()
            );
            if stream.write_all(head.as_bytes()).await.is_err()
                || stream.write_all(text.as_bytes()).await.is_err()
            {
                return;
            }
        }
    }

    /// Records the request; with `store`, stores its events and returns the 200 body.
    fn count(&self, body: &[u8], store: bool) -> String {
        let mut seen = self.seen.lock().unwrap();
        seen.requests += 1;
        if self.counting_only {
            let events = count_events(body);
            seen.wire_events += events;
            return format!(r#"{{"inserted":{events},"duplicates":0}}"#);
        }
        let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let events = value["events"].as_array().cloned().unwrap_or_default();
        seen.wire_events += events.len();
        let (mut inserted, mut duplicates) = (0, 0);
        for event in &events {
            let Some(id) = event["external_id"].as_str() else {
                if store {
                    seen.without_id += 1;
                    inserted += 1;
                }
                continue;
            };
            *seen.on_wire.entry(id.to_owned()).or_default() += 1;
            if !store {
                continue;
            }
            if seen.stored.contains_key(id) {
                duplicates += 1;
            } else {
                seen.stored.insert(id.to_owned(), 1);
                inserted += 1;
            }
        }
        seen.duplicates += duplicates;
        format!(r#"{{"inserted":{inserted},"duplicates":{duplicates}}}"#)
    }
}

/// Events in a request body without parsing it: each has one `"name":` key.
fn count_events(body: &[u8]) -> usize {
    const KEY: &[u8] = b"\"name\":";
    body.windows(KEY.len())
        .filter(|window| *window == KEY)
        .count()
}

/// Reads one request; returns its body, or `None` when the connection closed.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            while buffer.len() < total {
                if read_more(stream, buffer).await == 0 {
                    return None;
                }
            }
            let body = buffer[end + 4..total].to_vec();
            buffer.drain(..total);
            return Some(body);
        }
        if read_more(stream, buffer).await == 0 {
            return None;
        }
    }
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> usize {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await.unwrap_or(0);
    buffer.extend_from_slice(&chunk[..n]);
    n
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// A usage event for external customer `user_<n % 50>`, without an `external_id` (the
/// ingester assigns one) unless `external_id` is given.
pub fn event(n: usize, external_id: Option<String>) -> IngestEvent {
    let mut event = EventCreateExternalCustomer::new(EventCreateExternalCustomerRequired {
        name: "api_call".to_owned(),
        external_customer_id: format!("user_{}", n % 50),
    });
    if let Some(external_id) = external_id {
        event = event.external_id(external_id);
    }
    IngestEvent::EventCreateExternalCustomer(Box::new(event))
}

/// Peak resident memory of this process (`VmHWM`), in KiB; `None` off Linux.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU time used by this process so far (all threads, user + system), from
/// `/proc/self/stat` in clock ticks of 10 ms; `None` off Linux.
pub fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at state, field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Fails the test instead of hanging.
pub async fn within<T>(seconds: u64, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(seconds), future)
        .await
        .expect("took far too long")
}
