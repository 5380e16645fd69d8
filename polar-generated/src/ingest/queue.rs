//! Where accepted events wait for the background task: a plain vector behind a mutex,
//! and a wake-up that fires per batch, not per event (waking a parked task for every
//! event would cost more than everything else `send` does).

use std::sync::{Mutex, MutexGuard};

use tokio::sync::Notify;

use super::event::IngestEvent;

pub(crate) struct Queue {
    state: Mutex<State>,
    wake: Notify,
    batch_size: usize,
    /// With a spool, the task writes each event as soon as it can.
    wake_every_event: bool,
}

struct State {
    events: Vec<IngestEvent>,
    /// Set by the task once it stops taking events.
    closed: bool,
}

impl Queue {
    pub(crate) fn new(batch_size: usize, wake_every_event: bool) -> Queue {
        Queue {
            state: Mutex::new(State {
                events: Vec::new(),
                closed: false,
            }),
            wake: Notify::new(),
            batch_size,
            wake_every_event,
        }
    }

    /// Adds an event; hands it back once the queue is closed.
    pub(crate) fn push(&self, event: IngestEvent) -> Result<(), IngestEvent> {
        let len = {
            let mut state = self.lock();
            if state.closed {
                return Err(event);
            }
            state.events.push(event);
            state.events.len()
        };
        // The first event lets an idle task start its interval; a full batch sends.
        if self.wake_every_event || len == 1 || len % self.batch_size == 0 {
            self.wake.notify_one();
        }
        Ok(())
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().events.len()
    }

    /// Everything queued, oldest first.
    pub(crate) fn take(&self) -> Vec<IngestEvent> {
        std::mem::take(&mut self.lock().events)
    }

    /// Everything queued; later pushes are refused.
    pub(crate) fn close_and_take(&self) -> Vec<IngestEvent> {
        let mut state = self.lock();
        state.closed = true;
        std::mem::take(&mut state.events)
    }

    /// Wakes the task (a command is waiting, or the last handle is gone).
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }

    /// Resolves at the next wake-up (or at once if one happened since the last wait).
    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }

    /// A poisoned lock only means a thread panicked while pushing; the vector is intact.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
