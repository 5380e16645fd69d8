//! The one background task per ingester: takes events from the queue, writes them to the
//! spool, and sends them in batches by size and by interval.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

use super::deliver::{Item, Sender};
use super::event::IngestEvent;
use super::failure::FailedEvents;
use super::handle::Shared;
use super::spool::Spool;

/// What the handles ask of the worker, in order.
pub(crate) enum Command {
    Event(IngestEvent),
    /// Send everything queued before this command, then answer.
    Flush(Reply),
    /// Send everything, answer, stop.
    Shutdown(Reply),
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
    pub(crate) rx: UnboundedReceiver<Command>,
    pub(crate) sender: Sender,
    pub(crate) spool: Option<Spool>,
    pub(crate) batch_size: usize,
    pub(crate) flush_interval: Duration,
    /// Events taken from the queue and not yet sent, oldest first.
    pub(crate) pending: Vec<Item>,
    pub(crate) next_seq: u64,
}

impl Worker {
    pub(crate) async fn run(mut self) {
        // Events recovered from the spool go out first.
        let mut due: Option<Instant> = (!self.pending.is_empty()).then(Instant::now);
        let mut next: Option<Command> = None;
        loop {
            let command = match next.take() {
                Some(command) => Some(command),
                None => match due {
                    None => self.rx.recv().await,
                    Some(at) => match tokio::time::timeout_at(at, self.rx.recv()).await {
                        Ok(command) => command,
                        Err(_due) => {
                            self.send_pending(false).await;
                            due = None;
                            continue;
                        }
                    },
                },
            };
            match command {
                Some(Command::Event(event)) => {
                    let was_empty = self.pending.is_empty();
                    next = self.take_events(event);
                    if self.pending.len() >= self.batch_size {
                        self.send_pending(true).await;
                    }
                    if self.pending.is_empty() {
                        due = None;
                    } else if was_empty || due.is_none() {
                        due = Some(Instant::now() + self.flush_interval);
                    }
                }
                Some(Command::Flush(reply)) => {
                    self.send_pending(false).await;
                    due = None;
                    self.sync_spool();
                    reply.send();
                }
                Some(Command::Shutdown(reply)) => {
                    // Events sent concurrently with the shutdown are still in the queue.
                    self.rx.close();
                    while let Ok(command) = self.rx.try_recv() {
                        self.absorb_late(command);
                    }
                    self.send_pending(false).await;
                    self.sync_spool();
                    reply.send();
                    return;
                }
                None => {
                    // Every handle dropped without shutdown: deliver what is left.
                    self.send_pending(false).await;
                    self.sync_spool();
                    return;
                }
            }
        }
    }

    /// Takes `first` and whatever else is queued (up to a batch), spools them, and returns
    /// a non-event command met on the way, to be handled next.
    fn take_events(&mut self, first: IngestEvent) -> Option<Command> {
        let start = self.pending.len();
        self.push(first);
        let mut next = None;
        while self.pending.len() - start < self.batch_size {
            match self.rx.try_recv() {
                Ok(Command::Event(event)) => self.push(event),
                Ok(other) => {
                    next = Some(other);
                    break;
                }
                Err(_) => break,
            }
        }
        self.spool_from(start);
        next
    }

    fn push(&mut self, event: IngestEvent) {
        self.pending.push((self.next_seq, event));
        self.next_seq += 1;
    }

    /// A command found in the queue after shutdown began.
    fn absorb_late(&mut self, command: Command) {
        match command {
            Command::Event(event) => {
                let start = self.pending.len();
                self.push(event);
                self.spool_from(start);
            }
            // Answered once everything is sent, which is what they asked for.
            Command::Flush(reply) | Command::Shutdown(reply) => reply.send(),
        }
    }

    fn spool_from(&mut self, start: usize) {
        if let Some(spool) = &mut self.spool {
            let events = self.pending[start..].iter().map(|(seq, e)| (*seq, e));
            if let Err(err) = spool.append(events) {
                self.shared.spool_error(spool.path(), err);
            }
        }
    }

    fn sync_spool(&mut self) {
        if let Some(spool) = &mut self.spool {
            if let Err(err) = spool.sync_now() {
                self.shared.spool_error(spool.path(), err);
            }
        }
    }

    /// Sends full batches; with `full_only` false, also the last partial one.
    async fn send_pending(&mut self, full_only: bool) {
        while !self.pending.is_empty() && (!full_only || self.pending.len() >= self.batch_size) {
            let take = self.pending.len().min(self.batch_size);
            let batch: Vec<Item> = self.pending.drain(..take).collect();
            let outcome = self.sender.deliver(batch, &self.shared.counters).await;
            let delivered = outcome.delivered.len();
            let failed_seqs = outcome
                .failed
                .iter()
                .flat_map(|failed| failed.items.iter().map(|(seq, _)| *seq));
            if let Some(spool) = &mut self.spool {
                let done = outcome.delivered.iter().copied().chain(failed_seqs);
                let result = spool.acknowledge(done).and_then(|()| {
                    let pending = self.pending.iter().map(|(seq, e)| (*seq, e));
                    spool.compact_if_large(pending)
                });
                if let Err(err) = result {
                    self.shared.spool_error(spool.path(), err);
                }
            }
            self.shared.release(delivered);
            for failed in outcome.failed {
                self.shared.report_failed(FailedEvents {
                    events: failed.items.into_iter().map(|(_, event)| event).collect(),
                    kind: failed.kind,
                    status: failed.status,
                    message: failed.message,
                });
            }
            if let Some(spool) = &mut self.spool {
                if let Err(err) = spool.sync_if_due() {
                    self.shared.spool_error(spool.path(), err);
                }
            }
        }
    }
}
