//! The opt-in spool file: events are appended before they are sent, and acknowledged
//! once delivered or reported failed, so a restarted process delivers what a killed one
//! had buffered.
//!
//! Format (little-endian): a 12-byte header, `POLARSPL` and format version `1` as `u32`,
//! then records `len: u32, crc32: u32, body: [u8; len]` where the CRC-32 covers the body
//! and the body is a kind byte and its payload:
//!
//! - `1` event: `seq: u64` then the event's JSON;
//! - `2` acknowledgement: one or more `seq: u64` of events delivered or given up on.
//!
//! Records are only appended. On open, a record whose checksum or content is wrong is
//! skipped and reported; a truncated last record (a crash in the middle of a write) is
//! cut off and reported; then the file is rewritten with only the unacknowledged events.
//! A file that does not start with the header is refused, never overwritten.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::event::IngestEvent;

const MAGIC: &[u8; 8] = b"POLARSPL";
const VERSION: u32 = 1;
const HEADER_LEN: usize = 12;
const RECORD_HEAD: usize = 8;
/// No event comes near this; a larger length means the length itself is damaged.
const MAX_RECORD: usize = 16 << 20;
const KIND_EVENT: u8 = 1;
const KIND_ACK: u8 = 2;
/// Rewrite the file with only the pending events once it grows past this.
const COMPACT_AT: u64 = 8 << 20;

/// When the spool is flushed to disk (`fsync`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpoolSync {
    /// After every group of events the background task appends (at most one batch, usually
    /// everything that arrived since its last write): the smallest loss window, one
    /// `fsync` per write.
    PerBatch,
    /// At most once per interval (and at flush and shutdown): events written in the last
    /// interval can be lost if the machine (not just the process) goes down.
    Interval(Duration),
}

/// What was found in the spool when the ingester was opened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpoolRecovery {
    /// Records read intact.
    pub records: u64,
    /// Undelivered events found: they are sent first.
    pub pending: u64,
    /// Records skipped because their checksum or content was wrong.
    pub corrupt_records: u64,
    /// Bytes cut off the end: a truncated last record, or everything after a damaged
    /// record length.
    pub truncated_bytes: u64,
    /// One readable line per problem found (empty when the file was clean).
    pub problems: Vec<String>,
}

/// An open spool file.
#[derive(Debug)]
pub(crate) struct Spool {
    path: PathBuf,
    file: File,
    len: u64,
    sync: SpoolSync,
    last_sync: Instant,
    unsynced: bool,
    /// Reused encoding buffer.
    scratch: Vec<u8>,
}

/// An event and its sequence number in the spool.
pub(crate) type Sequenced = (u64, IngestEvent);

impl Spool {
    /// Opens (or creates) the spool, recovers its undelivered events and rewrites it with
    /// only those.
    pub(crate) fn open(
        path: &Path,
        sync: SpoolSync,
    ) -> io::Result<(Spool, Vec<Sequenced>, SpoolRecovery)> {
        let mut bytes = Vec::new();
        match File::open(path) {
            Ok(mut file) => {
                file.read_to_end(&mut bytes)?;
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
        let (pending, recovery) = recover(&bytes)?;
        let mut spool = Spool {
            path: path.to_owned(),
            // Replaced by `rewrite`.
            file: File::open(path).or_else(|_| create(path))?,
            len: 0,
            sync,
            last_sync: Instant::now(),
            unsynced: false,
            scratch: Vec::new(),
        };
        spool.rewrite(pending.iter().map(|(seq, event)| (*seq, event)))?;
        Ok((spool, pending, recovery))
    }

    /// Appends events; syncs according to the policy.
    pub(crate) fn append<'a>(
        &mut self,
        events: impl Iterator<Item = (u64, &'a IngestEvent)>,
    ) -> io::Result<()> {
        self.scratch.clear();
        for (seq, event) in events {
            encode_event(&mut self.scratch, seq, event)?;
        }
        self.write_scratch()?;
        match self.sync {
            SpoolSync::PerBatch => self.sync_now(),
            SpoolSync::Interval(_) => self.sync_if_due(),
        }
    }

    /// Records that these events were delivered or handed back as failed.
    pub(crate) fn acknowledge(&mut self, seqs: impl Iterator<Item = u64>) -> io::Result<()> {
        self.scratch.clear();
        let mut body = vec![KIND_ACK];
        for seq in seqs {
            body.extend_from_slice(&seq.to_le_bytes());
        }
        if body.len() == 1 {
            return Ok(());
        }
        push_record(&mut self.scratch, &body);
        // Not synced on its own: a lost acknowledgement only means a re-send that Polar
        // de-duplicates by `external_id`.
        self.write_scratch()
    }

    /// Rewrites the file with only `pending` once it has grown large.
    pub(crate) fn compact_if_large<'a>(
        &mut self,
        pending: impl Iterator<Item = (u64, &'a IngestEvent)>,
    ) -> io::Result<()> {
        if self.len >= COMPACT_AT {
            self.rewrite(pending)?;
        }
        Ok(())
    }

    /// Syncs if the interval policy says it is time (or anything is unsynced under
    /// `PerBatch`).
    pub(crate) fn sync_if_due(&mut self) -> io::Result<()> {
        let due = match self.sync {
            SpoolSync::PerBatch => true,
            SpoolSync::Interval(every) => self.last_sync.elapsed() >= every,
        };
        if due {
            self.sync_now()?;
        }
        Ok(())
    }

    /// Syncs whatever was written.
    pub(crate) fn sync_now(&mut self) -> io::Result<()> {
        if self.unsynced {
            self.file.sync_data()?;
            self.unsynced = false;
        }
        self.last_sync = Instant::now();
        Ok(())
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn write_scratch(&mut self) -> io::Result<()> {
        self.file.write_all(&self.scratch)?;
        self.len += self.scratch.len() as u64;
        self.unsynced = true;
        Ok(())
    }

    /// Writes header + `pending` to a temporary file, syncs it and renames it over the
    /// spool, so a crash leaves either the old or the new file, both valid.
    fn rewrite<'a>(
        &mut self,
        pending: impl Iterator<Item = (u64, &'a IngestEvent)>,
    ) -> io::Result<()> {
        let mut bytes = header();
        for (seq, event) in pending {
            encode_event(&mut bytes, seq, event)?;
        }
        let mut temp_name = self.path.as_os_str().to_owned();
        temp_name.push(".tmp");
        let temp = PathBuf::from(temp_name);
        let mut file = create(&temp)?;
        file.write_all(&bytes)?;
        file.sync_data()?;
        std::fs::rename(&temp, &self.path)?;
        if let Some(dir) = self.path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            // Makes the rename durable; not possible on every platform, hence best effort.
            let _ = File::open(dir).and_then(|dir| dir.sync_all());
        }
        self.file = OpenOptions::new().append(true).open(&self.path)?;
        self.len = bytes.len() as u64;
        self.unsynced = false;
        self.last_sync = Instant::now();
        Ok(())
    }
}

fn create(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

fn header() -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER_LEN);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes
}

fn encode_event(out: &mut Vec<u8>, seq: u64, event: &IngestEvent) -> io::Result<()> {
    let mut body = Vec::with_capacity(256);
    body.push(KIND_EVENT);
    body.extend_from_slice(&seq.to_le_bytes());
    serde_json::to_writer(&mut body, event).map_err(io::Error::other)?;
    if body.len() > MAX_RECORD {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("an event of {} bytes is too large to spool", body.len()),
        ));
    }
    push_record(out, &body);
    Ok(())
}

fn push_record(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    out.extend_from_slice(body);
}

/// Reads every record; returns the unacknowledged events in sequence order.
fn recover(bytes: &[u8]) -> io::Result<(Vec<Sequenced>, SpoolRecovery)> {
    let mut report = SpoolRecovery::default();
    if bytes.len() < HEADER_LEN {
        // Empty, or a crash while the header was being written.
        if !header().starts_with(bytes) {
            return Err(not_a_spool());
        }
        return Ok((Vec::new(), report));
    }
    if &bytes[..8] != MAGIC {
        return Err(not_a_spool());
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != VERSION {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("spool format version {version}, this build reads version {VERSION}"),
        ));
    }
    let mut pending: BTreeMap<u64, IngestEvent> = BTreeMap::new();
    let mut at = HEADER_LEN;
    while at < bytes.len() {
        let rest = &bytes[at..];
        if rest.len() < RECORD_HEAD {
            truncated(&mut report, at, rest.len(), "a record header");
            break;
        }
        let len = u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
        let crc = u32::from_le_bytes(rest[4..8].try_into().expect("4 bytes"));
        if len == 0 || len > MAX_RECORD {
            report.truncated_bytes += rest.len() as u64;
            report.problems.push(format!(
                "offset {at}: damaged record length {len}; skipped the last {} bytes",
                rest.len()
            ));
            break;
        }
        if rest.len() < RECORD_HEAD + len {
            truncated(&mut report, at, rest.len(), "a record");
            break;
        }
        let body = &rest[RECORD_HEAD..RECORD_HEAD + len];
        at += RECORD_HEAD + len;
        if crc32fast::hash(body) != crc {
            corrupt(&mut report, at - len - RECORD_HEAD, "checksum mismatch");
            continue;
        }
        match read_body(body) {
            Ok(Body::Event(seq, event)) => {
                pending.insert(seq, event);
            }
            Ok(Body::Ack(seqs)) => {
                for seq in seqs {
                    pending.remove(&seq);
                }
            }
            Err(why) => {
                corrupt(&mut report, at - len - RECORD_HEAD, &why);
                continue;
            }
        }
        report.records += 1;
    }
    report.pending = pending.len() as u64;
    Ok((pending.into_iter().collect(), report))
}

enum Body {
    Event(u64, IngestEvent),
    Ack(Vec<u64>),
}

fn read_body(body: &[u8]) -> Result<Body, String> {
    let seq_at = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
    match body[0] {
        KIND_EVENT if body.len() > 9 => {
            let event = serde_json::from_slice(&body[9..])
                .map_err(|err| format!("event that does not decode: {err}"))?;
            Ok(Body::Event(seq_at(&body[1..9]), event))
        }
        KIND_ACK if (body.len() - 1) % 8 == 0 => {
            Ok(Body::Ack(body[1..].chunks_exact(8).map(seq_at).collect()))
        }
        kind => Err(format!(
            "unknown record kind {kind} of {} bytes",
            body.len()
        )),
    }
}

fn truncated(report: &mut SpoolRecovery, at: usize, len: usize, what: &str) {
    report.truncated_bytes += len as u64;
    report.problems.push(format!(
        "offset {at}: {what} cut short ({len} bytes left); skipped"
    ));
}

fn corrupt(report: &mut SpoolRecovery, at: usize, why: &str) {
    report.corrupt_records += 1;
    report
        .problems
        .push(format!("offset {at}: record skipped: {why}"));
}

fn not_a_spool() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "not a spool file (no POLARSPL header); refusing to overwrite it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: u64) -> IngestEvent {
        serde_json::from_value(serde_json::json!({
            "name": "api_call",
            "external_customer_id": format!("user_{n}"),
            "external_id": format!("id-{n}"),
        }))
        .unwrap()
    }

    fn temp_path(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("polar-spool-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("events.spool")
    }

    fn ids(pending: &[Sequenced]) -> Vec<String> {
        pending
            .iter()
            .map(|(_, e)| super::super::event::external_id(e).unwrap().to_owned())
            .collect()
    }

    /// Writes events 0..n and acknowledges `acked`, then closes the file.
    fn write(path: &Path, n: u64, acked: &[u64]) {
        let (mut spool, pending, _) = Spool::open(path, SpoolSync::PerBatch).unwrap();
        assert!(pending.is_empty());
        let events: Vec<_> = (0..n).map(event).collect();
        spool
            .append(events.iter().enumerate().map(|(i, e)| (i as u64, e)))
            .unwrap();
        spool.acknowledge(acked.iter().copied()).unwrap();
        spool.sync_now().unwrap();
    }

    #[test]
    fn unacknowledged_events_survive_a_reopen() {
        let path = temp_path("reopen");
        write(&path, 5, &[1, 3]);
        let (_, pending, report) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert_eq!(ids(&pending), ["id-0", "id-2", "id-4"]);
        assert_eq!(report.records, 6);
        assert_eq!(report.pending, 3);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        // The reopen compacted the file to the three pending events.
        let (_, again, report) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert_eq!(ids(&again), ["id-0", "id-2", "id-4"]);
        assert_eq!(report.records, 3);
    }

    #[test]
    fn a_truncated_last_record_is_skipped_and_reported() {
        let path = temp_path("truncated");
        write(&path, 4, &[]);
        let len = std::fs::metadata(&path).unwrap().len();
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(len - 5).unwrap();
        let (_, pending, report) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert_eq!(ids(&pending), ["id-0", "id-1", "id-2"]);
        assert_eq!(report.corrupt_records, 0);
        assert!(report.truncated_bytes > 0);
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert!(
            report.problems[0].contains("cut short"),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn a_damaged_record_is_skipped_and_the_rest_read() {
        let path = temp_path("damaged");
        write(&path, 3, &[]);
        let mut bytes = std::fs::read(&path).unwrap();
        // A byte inside the first event's JSON.
        bytes[HEADER_LEN + RECORD_HEAD + 12] ^= 0x55;
        std::fs::write(&path, &bytes).unwrap();
        let (_, pending, report) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert_eq!(ids(&pending), ["id-1", "id-2"]);
        assert_eq!(report.corrupt_records, 1);
        assert!(
            report.problems[0].contains("checksum"),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn a_damaged_length_drops_the_rest_with_a_report() {
        let path = temp_path("length");
        write(&path, 3, &[]);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[HEADER_LEN + 3] = 0xff; // first record's length: far past the limit
        std::fs::write(&path, &bytes).unwrap();
        let (_, pending, report) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert!(pending.is_empty());
        assert!(report.truncated_bytes > 0);
        assert!(report.problems[0].contains("damaged record length"));
    }

    #[test]
    fn another_file_is_refused_not_overwritten() {
        let path = temp_path("foreign");
        std::fs::write(&path, b"my precious data, not a spool").unwrap();
        let err = Spool::open(&path, SpoolSync::PerBatch).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("not a spool"), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"my precious data, not a spool"
        );
    }

    #[test]
    fn large_files_are_compacted_to_the_pending_events() {
        let path = temp_path("compact");
        let (mut spool, _, _) =
            Spool::open(&path, SpoolSync::Interval(Duration::from_secs(60))).unwrap();
        let big = event(0);
        let mut seq = 0;
        while spool.len < COMPACT_AT {
            spool.append((0..1000).map(|i| (seq + i, &big))).unwrap();
            spool.acknowledge(seq..seq + 1000).unwrap();
            seq += 1000;
        }
        let keep = event(7);
        spool
            .compact_if_large(std::iter::once((seq, &keep)))
            .unwrap();
        assert!(spool.len < 1024, "{}", spool.len);
        drop(spool);
        let (_, pending, _) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert_eq!(ids(&pending), ["id-7"]);
        assert_eq!(pending[0].0, seq);
    }
}
