//! The one background task per ingester: takes events from the queue, writes them to the
//! spool, and sends them in batches by size and by interval.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

use super::deliver::{Item, Sender};
use super::event::IngestEvent;
use super::failure::FailedEvents;
use super::handle::Shared;
use super::spool::Spool;

/// What the handles ask of the worker besides sending events.
pub(crate) enum Command {
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
    pub(crate) commands: UnboundedReceiver<Command>,
    pub(crate) sender: Sender,
    pub(crate) spool: Option<Spool>,
    pub(crate) batch_size: usize,
    pub(crate) flush_interval: Duration,
    /// Events taken from the queue and not yet sent, oldest first.
    pub(crate) pending: VecDeque<Item>,
    pub(crate) next_seq: u64,
}

impl Worker {
    pub(crate) async fn run(mut self) {
        // Events recovered from the spool go out first.
        let mut due: Option<Instant> = (!self.pending.is_empty()).then(Instant::now);
        loop {
            match self.commands.try_recv() {
                Ok(Command::Flush(reply)) => {
                    self.take_queue(false);
                    self.send_pending(false).await;
                    due = None;
                    self.sync_spool();
                    reply.send();
                    continue;
                }
                Ok(Command::Shutdown(reply)) => {
                    self.finish().await;
                    reply.send();
                    // Commands sent meanwhile asked for what is now done.
                    self.commands.close();
                    while let Ok(Command::Flush(reply) | Command::Shutdown(reply)) =
                        self.commands.try_recv()
                    {
                        reply.send();
                    }
                    return;
                }
                Err(TryRecvError::Disconnected) => {
                    // Every handle dropped without shutdown: deliver what is left.
                    self.finish().await;
                    return;
                }
                Err(TryRecvError::Empty) => {}
            }

            let queued = self.shared.queue.len();
            if queued >= self.batch_size || (queued > 0 && self.spool.is_some()) {
                self.take_queue(false);
            }
            if self.pending.len() >= self.batch_size {
                self.send_pending(true).await;
            }
            if self.pending.is_empty() && self.shared.queue.len() == 0 {
                due = None;
            } else {
                let at = *due.get_or_insert_with(|| Instant::now() + self.flush_interval);
                if Instant::now() >= at {
                    self.take_queue(false);
                    self.send_pending(false).await;
                    due = None;
                    continue;
                }
            }
            match due {
                Some(at) => {
                    let _ = tokio::time::timeout_at(at, self.shared.queue.woken()).await;
                }
                None => self.shared.queue.woken().await,
            }
        }
    }

    /// Takes the last events, refuses new ones, sends everything.
    async fn finish(&mut self) {
        self.take_queue(true);
        self.send_pending(false).await;
        self.sync_spool();
    }

    /// Moves queued events to `pending` and writes them to the spool.
    fn take_queue(&mut self, close: bool) {
        let events = if close {
            self.shared.queue.close_and_take()
        } else {
            self.shared.queue.take()
        };
        let start = self.pending.len();
        self.pending.reserve(events.len());
        for event in events {
            self.push(event);
        }
        if let Some(spool) = &mut self.spool {
            let events = self.pending.range(start..).map(|(seq, e)| (*seq, e));
            if let Err(err) = spool.append(events) {
                self.shared.spool_error(spool.path(), err);
            }
        }
    }

    fn push(&mut self, event: IngestEvent) {
        self.pending.push_back((self.next_seq, event));
        self.next_seq += 1;
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
