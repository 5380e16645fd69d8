//! The background task of an ingester. It takes events from the queue and writes them to
//! the spool at once, whatever delivery is doing: batches are sent by a separate task, so
//! a batch stuck in minutes of retries never keeps new events in memory only. The spool
//! is synced on a timer, so the sync interval holds during an outage too.

use std::collections::{BTreeMap, VecDeque};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::deliver::{Item, Outcome, Sender};
use super::event::IngestEvent;
use super::failure::FailedEvents;
use super::handle::Shared;
use super::spool::{Spool, SpoolSync};

/// What the handles ask of the worker besides sending events.
pub(crate) enum Command {
    /// Send everything queued before this command, then answer.
    Flush(Reply),
    /// Send everything, answer, stop.
    Shutdown(Reply),
    /// The application took these failed events: they may leave the spool.
    Taken(Vec<u64>),
}

/// How to answer a flush or shutdown: to async or to blocking code.
pub(crate) enum Reply {
    Async(tokio::sync::oneshot::Sender<()>),
    Blocking(std::sync::mpsc::Sender<()>),
}

impl Reply {
    fn send(self) {
        // The caller may have stopped waiting; nothing to do then.
        match self {
            Reply::Async(tx) => drop(tx.send(())),
            Reply::Blocking(tx) => drop(tx.send(())),
        }
    }
}

pub(crate) struct Worker {
    pub(crate) shared: Arc<Shared>,
    pub(crate) commands: UnboundedReceiver<Command>,
    pub(crate) sender: Arc<Sender>,
    pub(crate) spool: Option<Spool>,
    pub(crate) batch_size: usize,
    pub(crate) flush_interval: Duration,
    /// Events taken from the queue and not yet handed to delivery, oldest first.
    pub(crate) pending: VecDeque<Item>,
    pub(crate) next_seq: u64,
}

/// The loop's state besides the configuration.
#[derive(Default)]
struct State {
    /// The batch being delivered, and its oldest sequence number.
    in_flight: Option<(u64, JoinHandle<Outcome>)>,
    /// When the oldest pending event has waited long enough for its batch.
    due: Option<Instant>,
    /// Flushes waiting for every event below their sequence number.
    flushes: Vec<(u64, Reply)>,
    /// Set by shutdown (with its reply) or by the last handle going away (without one).
    stopping: Option<Option<Reply>>,
    /// Failed events handed out and not yet taken, kept for compaction (spool only).
    untaken: BTreeMap<u64, IngestEvent>,
}

impl State {
    /// Whether a partial batch goes now: the ingester is stopping, a flush waits (for
    /// events from `oldest` on, when given), or the oldest event has waited its interval.
    fn must_send(&self, oldest: Option<u64>) -> bool {
        self.stopping.is_some()
            || self
                .flushes
                .iter()
                .any(|(below, _)| oldest.is_none_or(|first| first < *below))
            || self.due.is_some_and(|at| at <= Instant::now())
    }
}

impl Worker {
    pub(crate) async fn run(mut self) {
        let mut state = State::default();
        let mut sync_timer = self.sync_timer();
        loop {
            self.take_queue(&state).await;
            self.start_delivery(&mut state);
            self.answer_flushes(&mut state).await;
            if state.stopping.is_some() && state.in_flight.is_none() && self.pending.is_empty() {
                return self.stop(state).await;
            }
            if self.pending.is_empty() && self.shared.queue.len() == 0 {
                state.due = None;
            } else if state.due.is_none() {
                state.due = Some(Instant::now() + self.flush_interval);
            }
            let due = state.due.filter(|_| state.in_flight.is_none());
            tokio::select! {
                biased;
                outcome = join(&mut state.in_flight), if state.in_flight.is_some() => {
                    state.in_flight = None;
                    let Some(outcome) = outcome else {
                        // The delivery task panicked (a bug): stop, so that sends fail
                        // instead of queueing for nobody. Spooled events are sent after
                        // a restart.
                        return;
                    };
                    self.settle(outcome, &mut state).await;
                }
                command = self.commands.recv(), if state.stopping.is_none() => match command {
                    Some(Command::Flush(reply)) => {
                        state.flushes.push((self.next_seq + self.shared.queue.len() as u64, reply));
                    }
                    Some(Command::Shutdown(reply)) => state.stopping = Some(Some(reply)),
                    Some(Command::Taken(seqs)) => self.taken(seqs, &mut state),
                    // Every handle dropped without shutdown: deliver what is left.
                    None => state.stopping = Some(None),
                },
                () = self.shared.queue.woken() => {}
                () = sleep_until(due), if due.is_some() => {
                    // Sent with the next `start_delivery`, partial or not.
                    state.due = Some(Instant::now());
                }
                () = tick(&mut sync_timer), if sync_timer.is_some() => self.sync_if_due().await,
            }
        }
    }

    /// A timer for the interval policy; `PerBatch` syncs after each write instead.
    fn sync_timer(&self) -> Option<tokio::time::Interval> {
        match self.spool.as_ref()?.policy() {
            SpoolSync::PerBatch => None,
            SpoolSync::Interval(every) => {
                let mut timer = tokio::time::interval(every.max(Duration::from_millis(1)));
                timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                Some(timer)
            }
        }
    }

    /// Moves queued events to `pending` and writes them to the spool. Without a spool,
    /// events stay in the queue until a batch is full or due, which is cheaper.
    async fn take_queue(&mut self, state: &State) {
        let queued = self.shared.queue.len();
        let forced = state.must_send(None);
        let events = if state.stopping.is_some() {
            self.shared.queue.close_and_take()
        } else if queued > 0 && (self.spool.is_some() || queued >= self.batch_size || forced) {
            self.shared.queue.take()
        } else {
            return;
        };
        if events.is_empty() {
            return;
        }
        let start = self.pending.len();
        self.pending.reserve(events.len());
        for event in events {
            self.pending.push_back((self.next_seq, event));
            self.next_seq += 1;
        }
        let Some(spool) = &mut self.spool else {
            return;
        };
        let events = self.pending.range(start..).map(|(seq, e)| (*seq, e));
        match spool.append(events) {
            Err(err) => self.shared.spool_error(spool.path(), err),
            // At once under `PerBatch`, else when the interval has passed.
            Ok(()) => self.sync_if_due().await,
        }
    }

    /// Hands the next batch to a delivery task when none is running and a batch is full,
    /// due, flushed or the ingester is stopping.
    fn start_delivery(&mut self, state: &mut State) {
        if state.in_flight.is_some() || self.pending.is_empty() {
            return;
        }
        let first = self.pending[0].0;
        if self.pending.len() < self.batch_size && !state.must_send(Some(first)) {
            return;
        }
        let take = self.pending.len().min(self.batch_size);
        let batch: Vec<Item> = self.pending.drain(..take).collect();
        let sender = Arc::clone(&self.sender);
        let shared = Arc::clone(&self.shared);
        let task = tokio::spawn(async move { sender.deliver(batch, &shared.counters).await });
        state.in_flight = Some((first, task));
        state.due = None;
    }

    /// Records what became of a batch: delivered events leave the spool; failed ones stay
    /// in it until the application has them.
    async fn settle(&mut self, outcome: Outcome, state: &mut State) {
        let delivered = outcome.delivered.len();
        if let Some(spool) = &mut self.spool {
            if let Err(err) = spool.acknowledge(outcome.delivered.iter().copied()) {
                self.shared.spool_error(spool.path(), err);
            }
        }
        self.shared.release(delivered);
        for failed in outcome.failed {
            let seqs: Vec<u64> = failed.items.iter().map(|(seq, _)| *seq).collect();
            if self.spool.is_some() {
                state.untaken.extend(failed.items.iter().cloned());
            }
            let events = FailedEvents {
                events: failed.items.into_iter().map(|(_, event)| event).collect(),
                kind: failed.kind,
                status: failed.status,
                message: failed.message,
            };
            if let Some(seqs) = self.report_failed(seqs, events) {
                self.taken(seqs, state);
            }
        }
        self.compact_if_large(state).await;
    }

    /// Hands failed events to the callback (then returns their sequence numbers: taken) or
    /// keeps them for `take_failed`. A panicking callback does not stop the ingester: its
    /// events are kept for `take_failed` and the shutdown report instead.
    fn report_failed(&self, seqs: Vec<u64>, failed: FailedEvents) -> Option<Vec<u64>> {
        let shared = &*self.shared;
        shared.count_failed(failed.events.len());
        let Some(callback) = &shared.on_failure else {
            shared.keep_failed(seqs, failed);
            return None;
        };
        let n = failed.events.len();
        let copy = failed.clone();
        match std::panic::catch_unwind(AssertUnwindSafe(|| callback(failed))) {
            Ok(()) => {
                shared.release(n);
                Some(seqs)
            }
            Err(_) => {
                shared.keep_failed(seqs, copy);
                None
            }
        }
    }

    /// Failed events the application now has: acknowledged in the spool.
    fn taken(&mut self, seqs: Vec<u64>, state: &mut State) {
        for seq in &seqs {
            state.untaken.remove(seq);
        }
        if let Some(spool) = &mut self.spool {
            if let Err(err) = spool.acknowledge(seqs.into_iter()) {
                self.shared.spool_error(spool.path(), err);
            }
        }
    }

    /// Rewrites a large spool with what is still owed: pending events and failed ones not
    /// yet taken. Only called between deliveries, so nothing is in flight.
    async fn compact_if_large(&mut self, state: &State) {
        let Some(spool) = &mut self.spool else {
            return;
        };
        if !spool.wants_compaction() {
            return;
        }
        let mut owed: Vec<(u64, &IngestEvent)> = self
            .pending
            .iter()
            .map(|(seq, event)| (*seq, event))
            .chain(state.untaken.iter().map(|(seq, event)| (*seq, event)))
            .collect();
        owed.sort_by_key(|(seq, _)| *seq);
        if let Err(err) = spool.compact(owed.into_iter()).await {
            self.shared.spool_error(spool.path(), err);
        }
    }

    /// Answers every flush whose events have all been delivered or reported, once synced.
    async fn answer_flushes(&mut self, state: &mut State) {
        if state.flushes.is_empty() {
            return;
        }
        let oldest_owed = state
            .in_flight
            .as_ref()
            .map(|(first, _)| *first)
            .or_else(|| self.pending.front().map(|(seq, _)| *seq))
            .unwrap_or(u64::MAX);
        // Events still in the queue arrived after the flush: `take_queue` ran first and
        // gave everything queued before it a number below the flush's.
        if !state.flushes.iter().any(|(below, _)| *below <= oldest_owed) {
            return;
        }
        self.sync().await;
        let (done, waiting) = std::mem::take(&mut state.flushes)
            .into_iter()
            .partition::<Vec<_>, _>(|(below, _)| *below <= oldest_owed);
        state.flushes = waiting;
        for (_, reply) in done {
            reply.send();
        }
    }

    /// Everything is delivered or reported: sync, close the spool (releasing its lock
    /// before anyone is told, so the same file can be opened again at once), answer, and
    /// refuse later commands.
    async fn stop(mut self, mut state: State) {
        let reply = state.stopping.take().flatten();
        if reply.is_some() {
            // Failed events not yet taken go out in the shutdown report right after this.
            let untaken: Vec<u64> = state.untaken.keys().copied().collect();
            self.taken(untaken, &mut state);
        }
        self.sync().await;
        self.spool = None;
        self.shared.finished();
        for (_, reply) in state.flushes.drain(..) {
            reply.send();
        }
        if let Some(reply) = reply {
            reply.send();
        }
        // Commands sent meanwhile asked for what is now done.
        self.commands.close();
        while let Some(command) = self.commands.recv().await {
            if let Command::Flush(reply) | Command::Shutdown(reply) = command {
                reply.send();
            }
        }
    }

    async fn sync(&mut self) {
        if let Some(spool) = &mut self.spool {
            if let Err(err) = spool.sync().await {
                self.shared.spool_error(spool.path(), err);
            }
        }
    }

    async fn sync_if_due(&mut self) {
        if self.spool.as_ref().is_some_and(Spool::sync_due) {
            self.sync().await;
        }
    }
}

impl Drop for Worker {
    /// However the task ends (a panic included), later sends fail instead of waiting for a
    /// task that is gone.
    fn drop(&mut self) {
        self.shared.worker_gone();
    }
}

async fn join(in_flight: &mut Option<(u64, JoinHandle<Outcome>)>) -> Option<Outcome> {
    match in_flight {
        Some((_, task)) => task.await.ok(),
        None => std::future::pending().await,
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

async fn tick(timer: &mut Option<tokio::time::Interval>) {
    match timer {
        Some(timer) => {
            timer.tick().await;
        }
        None => std::future::pending().await,
    }
}
