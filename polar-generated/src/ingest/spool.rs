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
use std::sync::Arc;
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
    /// Records skipped because their checksum was wrong (damaged on disk).
    pub corrupt_records: u64,
    /// Intact records this version cannot read (written by another SDK version): moved to
    /// `<spool path>.undecodable` with the same format, never deleted.
    pub undecodable_records: u64,
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
    /// Shared with the blocking pool, where `fsync` runs.
    file: Arc<File>,
    /// Length of the file up to the last complete record.
    len: u64,
    sync: SpoolSync,
    last_sync: Instant,
    unsynced: bool,
    /// A failed write could not be cut back: the next write tries again first.
    torn: bool,
    /// Held for the spool's life: a second ingester on the same path is refused.
    _lock: File,
    /// Reused encoding buffer.
    scratch: Vec<u8>,
    #[cfg(test)]
    pub(crate) fault: Option<tests::Fault>,
}

/// An event and its sequence number in the spool.
pub(crate) type Sequenced = (u64, IngestEvent);

/// Why a spool could not be opened.
#[derive(Debug)]
pub(crate) enum OpenError {
    /// Another ingester (in this or another process) has the spool open.
    InUse,
    Io(io::Error),
}

impl From<io::Error> for OpenError {
    fn from(err: io::Error) -> Self {
        OpenError::Io(err)
    }
}

impl Spool {
    /// Opens (or creates) the spool, recovers its undelivered events and rewrites it with
    /// only those. Records that are intact but cannot be read by this build (written by
    /// another version) are moved to `<path>.undecodable`, never deleted.
    pub(crate) fn open(
        path: &Path,
        sync: SpoolSync,
    ) -> Result<(Spool, Vec<Sequenced>, SpoolRecovery), OpenError> {
        let lock = take_lock(path)?;
        let mut bytes = Vec::new();
        match File::open(path) {
            Ok(mut file) => {
                file.read_to_end(&mut bytes)?;
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(err.into()),
        }
        let (pending, mut recovery, unreadable) = recover(&bytes)?;
        if !unreadable.is_empty() {
            let side = side_path(path, ".undecodable");
            keep_unreadable(&side, &unreadable)?;
            recovery.problems.push(format!(
                "{} intact record(s) this version cannot read were moved to {}",
                unreadable.len(),
                side.display()
            ));
        }
        let encoded = encode_all(pending.iter().map(|(seq, event)| (*seq, event)))?;
        let file = install(path, &encoded)?;
        let spool = Spool {
            path: path.to_owned(),
            file: Arc::new(file),
            len: encoded.len() as u64,
            sync,
            last_sync: Instant::now(),
            unsynced: false,
            torn: false,
            _lock: lock,
            scratch: Vec::new(),
            #[cfg(test)]
            fault: None,
        };
        Ok((spool, pending, recovery))
    }

    /// Appends events (to the page cache: syncing is [`Spool::sync`]'s job).
    pub(crate) fn append<'a>(
        &mut self,
        events: impl Iterator<Item = (u64, &'a IngestEvent)>,
    ) -> io::Result<()> {
        self.scratch.clear();
        for (seq, event) in events {
            encode_event(&mut self.scratch, seq, event)?;
        }
        self.write_scratch()
    }

    /// Records that these events were delivered or taken by the application.
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
        // Synced with the next events or on the timer: a lost acknowledgement only means
        // a re-send that Polar de-duplicates by `external_id`.
        self.write_scratch()
    }

    /// Whether the file has grown enough to be rewritten with only what is pending.
    pub(crate) fn wants_compaction(&self) -> bool {
        self.len >= COMPACT_AT
    }

    /// Rewrites the file with only `pending` (encoded here, written on the blocking pool).
    pub(crate) async fn compact<'a>(
        &mut self,
        pending: impl Iterator<Item = (u64, &'a IngestEvent)>,
    ) -> io::Result<()> {
        let encoded = encode_all(pending)?;
        let path = self.path.clone();
        let len = encoded.len() as u64;
        let file = blocking(move || install(&path, &encoded)).await?;
        self.file = Arc::new(file);
        self.len = len;
        self.torn = false;
        self.unsynced = false;
        self.last_sync = Instant::now();
        Ok(())
    }

    /// Whether the interval policy says it is time to sync.
    pub(crate) fn sync_due(&self) -> bool {
        self.unsynced
            && match self.sync {
                SpoolSync::PerBatch => true,
                SpoolSync::Interval(every) => self.last_sync.elapsed() >= every,
            }
    }

    /// Syncs whatever was written, on the blocking pool (an `fsync` can take a while).
    pub(crate) async fn sync(&mut self) -> io::Result<()> {
        if self.unsynced {
            let file = Arc::clone(&self.file);
            blocking(move || file.sync_data()).await?;
            self.unsynced = false;
        }
        self.last_sync = Instant::now();
        Ok(())
    }

    pub(crate) fn policy(&self) -> SpoolSync {
        self.sync
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the scratch buffer as one append. On failure (a full disk, an I/O error)
    /// the file is cut back to its last complete record, so that a torn write never sits
    /// in front of later records.
    fn write_scratch(&mut self) -> io::Result<()> {
        if self.torn {
            self.file.set_len(self.len)?;
            self.torn = false;
        }
        if let Err(err) = self.write_all_scratch() {
            if self.file.set_len(self.len).is_err() {
                self.torn = true;
            }
            return Err(err);
        }
        self.len += self.scratch.len() as u64;
        self.unsynced = true;
        Ok(())
    }

    #[cfg(not(test))]
    fn write_all_scratch(&mut self) -> io::Result<()> {
        (&*self.file).write_all(&self.scratch)
    }

    /// The same write, with a scripted disk fault.
    #[cfg(test)]
    fn write_all_scratch(&mut self) -> io::Result<()> {
        match &mut self.fault {
            Some(fault) => fault.write(&self.file, &self.scratch),
            None => (&*self.file).write_all(&self.scratch),
        }
    }
}

/// Runs blocking file work off the async runtime's threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(io::Error::other)?
}

/// `<path>.lock`, locked exclusively. Not the spool itself: that is replaced by rename.
fn take_lock(path: &Path) -> Result<File, OpenError> {
    let lock_path = side_path(path, ".lock");
    let file = private_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(OpenError::InUse),
        Err(std::fs::TryLockError::Error(err)) => Err(err.into()),
    }
}

fn side_path(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Appends intact records this build cannot read to the side file, synced.
fn keep_unreadable(side: &Path, records: &[Vec<u8>]) -> io::Result<()> {
    let mut bytes = Vec::new();
    let fresh = !side.exists();
    if fresh {
        bytes.extend_from_slice(&header());
    }
    for body in records {
        push_record(&mut bytes, body);
    }
    let mut file = private_options().create(true).append(true).open(side)?;
    file.write_all(&bytes)?;
    file.sync_data()?;
    if fresh {
        sync_dir(side);
    }
    Ok(())
}

fn encode_all<'a>(events: impl Iterator<Item = (u64, &'a IngestEvent)>) -> io::Result<Vec<u8>> {
    let mut bytes = header();
    for (seq, event) in events {
        encode_event(&mut bytes, seq, event)?;
    }
    Ok(bytes)
}

/// Writes `bytes` to a temporary file, syncs it and renames it over the spool, so a crash
/// leaves either the old or the new file, both valid. Returns the new file, for appending.
fn install(path: &Path, bytes: &[u8]) -> io::Result<File> {
    let temp = side_path(path, ".tmp");
    let mut file = create(&temp)?;
    file.write_all(bytes)?;
    file.sync_data()?;
    std::fs::rename(&temp, path)?;
    sync_dir(path);
    private_options().append(true).open(path)
}

/// Makes a rename or a new file durable by syncing its directory (`.` for a bare file
/// name). Not possible on every platform, hence best effort.
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let _ = File::open(dir).and_then(|dir| dir.sync_all());
}

/// Spool files hold customers' usage: readable by their owner only.
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

fn create(path: &Path) -> io::Result<File> {
    private_options()
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

/// Intact record bodies this build cannot read.
type Unreadable = Vec<Vec<u8>>;

/// Reads every record; returns the unacknowledged events in sequence order, and the
/// bodies of intact records that did not decode.
fn recover(bytes: &[u8]) -> io::Result<(Vec<Sequenced>, SpoolRecovery, Unreadable)> {
    let mut report = SpoolRecovery::default();
    let mut unreadable = Vec::new();
    if bytes.len() < HEADER_LEN {
        // Empty, or a crash while the header was being written.
        if !header().starts_with(bytes) {
            return Err(not_a_spool());
        }
        return Ok((Vec::new(), report, unreadable));
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
                report.undecodable_records += 1;
                report.problems.push(format!(
                    "offset {}: intact record kept aside: {why}",
                    at - len - RECORD_HEAD
                ));
                unreadable.push(body.to_vec());
                continue;
            }
        }
        report.records += 1;
    }
    report.pending = pending.len() as u64;
    Ok((pending.into_iter().collect(), report, unreadable))
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
        KIND_ACK if (body.len() - 1).is_multiple_of(8) => {
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
pub(crate) mod tests {
    use super::*;

    /// A scripted disk fault: the write that crosses byte `at` (counted over all appends)
    /// writes only up to it and fails with `kind` (`StorageFull` is ENOSPC).
    #[derive(Debug)]
    pub(crate) struct Fault {
        pub(crate) at: u64,
        pub(crate) kind: io::ErrorKind,
        pub(crate) written: u64,
        pub(crate) fired: bool,
    }

    impl Fault {
        pub(crate) fn new(at: u64, kind: io::ErrorKind) -> Fault {
            Fault {
                at,
                kind,
                written: 0,
                fired: false,
            }
        }

        pub(crate) fn write(&mut self, mut file: &File, bytes: &[u8]) -> io::Result<()> {
            let end = self.written + bytes.len() as u64;
            if self.fired || end <= self.at {
                self.written = end;
                return file.write_all(bytes);
            }
            let keep = (self.at - self.written) as usize;
            file.write_all(&bytes[..keep])?;
            self.fired = true;
            self.written = end;
            Err(io::Error::new(self.kind, "scripted disk fault"))
        }
    }

    impl Spool {
        fn sync_blocking(&mut self) {
            self.file.sync_data().unwrap();
            self.unsynced = false;
        }
    }

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
        spool.sync_blocking();
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
        let Err(OpenError::Io(err)) = Spool::open(&path, SpoolSync::PerBatch) else {
            panic!("a foreign file must be refused with an I/O error");
        };
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("not a spool"), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"my precious data, not a spool"
        );
    }

    #[tokio::test]
    async fn large_files_are_compacted_to_the_pending_events() {
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
        assert!(spool.wants_compaction());
        let keep = event(7);
        spool.compact(std::iter::once((seq, &keep))).await.unwrap();
        assert!(spool.len < 1024, "{}", spool.len);
        drop(spool);
        let (_, pending, _) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert_eq!(ids(&pending), ["id-7"]);
        assert_eq!(pending[0].0, seq);
    }

    /// For seeded fault points across a run of appends, a torn write is cut back: every
    /// append that succeeded, before or after the fault, reads back intact.
    #[test]
    fn a_torn_append_is_cut_back_and_later_records_survive() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..40 {
            let path = temp_path(&format!("torn-{round}"));
            let (mut spool, _, _) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
            let kind = if round % 2 == 0 {
                io::ErrorKind::StorageFull
            } else {
                io::ErrorKind::Other
            };
            spool.fault = Some(Fault::new(next() % 4000, kind));
            let mut kept = Vec::new();
            let mut failures = 0;
            for group in 0..12u64 {
                let events: Vec<_> = (group * 3..group * 3 + 3).map(event).collect();
                let items = events
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (group * 3 + i as u64, e));
                match spool.append(items) {
                    Ok(()) => kept.extend((group * 3..group * 3 + 3).map(|n| format!("id-{n}"))),
                    Err(err) => {
                        assert_eq!(err.kind(), kind, "the error is reported as it happened");
                        failures += 1;
                    }
                }
            }
            assert!(failures <= 1, "one scripted fault, {failures} failures");
            drop(spool);
            let (_, pending, report) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
            assert_eq!(ids(&pending), kept, "round {round}");
            assert!(
                report.problems.is_empty(),
                "round {round}: {:?}",
                report.problems
            );
        }
    }

    #[test]
    fn a_second_open_of_the_same_spool_is_refused_until_the_first_closes() {
        let path = temp_path("locked");
        let (first, _, _) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert!(matches!(
            Spool::open(&path, SpoolSync::PerBatch),
            Err(OpenError::InUse)
        ));
        drop(first);
        assert!(Spool::open(&path, SpoolSync::PerBatch).is_ok());
    }

    #[test]
    fn intact_records_of_another_version_are_kept_aside_not_deleted() {
        let path = temp_path("undecodable");
        write(&path, 2, &[]);
        // An intact record (good checksum) this build cannot decode: a future event shape.
        let mut bytes = std::fs::read(&path).unwrap();
        let mut body = vec![KIND_EVENT];
        body.extend_from_slice(&99u64.to_le_bytes());
        body.extend_from_slice(br#"{"future":"shape"}"#);
        push_record(&mut bytes, &body);
        std::fs::write(&path, &bytes).unwrap();

        let (spool, pending, report) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert_eq!(ids(&pending), ["id-0", "id-1"]);
        assert_eq!(report.undecodable_records, 1);
        assert_eq!(report.corrupt_records, 0);
        assert!(
            report.problems.iter().any(|p| p.contains(".undecodable")),
            "{:?}",
            report.problems
        );
        drop(spool);
        let side = std::fs::read(side_path(&path, ".undecodable")).unwrap();
        assert!(side.starts_with(MAGIC));
        assert!(side.ends_with(&body), "the record is kept byte for byte");
        // Compacting again (a reopen) does not lose it either.
        let (_, _, again) = Spool::open(&path, SpoolSync::PerBatch).unwrap();
        assert_eq!(again.undecodable_records, 0);
        assert!(std::fs::read(side_path(&path, ".undecodable"))
            .unwrap()
            .ends_with(&body));
    }

    #[cfg(unix)]
    #[test]
    fn spool_files_are_private_to_their_owner() {
        use std::os::unix::fs::PermissionsExt;
        let path = temp_path("mode");
        write(&path, 1, &[]);
        for file in [path.clone(), side_path(&path, ".lock")] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
}
