//! The one place the UI keeps the engine: a [`Playground`] in a Leptos
//! `StoredValue`, reached through context as a `Copy` handle, with a
//! revision signal that views read so they re-render after each change.

use engine::clock::Millis;
use engine::cluster::Cluster;
use engine::events::TimedEvent;
use engine::playground::Playground;
use leptos::prelude::*;

/// Engine time the playground starts at (2026-01-01T00:00:00Z), so record
/// timestamps look like real ones.
const START: Millis = Millis(1_767_225_600_000);

/// How many recent events the UI keeps for its event list.
const KEPT_EVENTS: usize = 200;

/// A `Copy` handle to the engine, provided as context by the app.
#[derive(Clone, Copy)]
pub struct EngineHandle {
    playground: StoredValue<Playground>,
    events: StoredValue<Vec<TimedEvent>>,
    revision: RwSignal<u64>,
}

impl EngineHandle {
    /// A three-broker cluster with Kafka's defaults, seeded so a session
    /// replays exactly.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self {
            playground: StoredValue::new(Playground::new(Cluster::with_defaults(seed, START), seed)),
            events: StoredValue::new(Vec::new()),
            revision: RwSignal::new(0),
        }
    }

    /// Reads the engine, re-running the caller after every change.
    pub fn read<T>(&self, f: impl FnOnce(&Playground) -> T) -> Option<T> {
        self.revision.track();
        self.playground.try_with_value(f)
    }

    /// Changes the engine, keeps the events it produced, and notifies the
    /// views. `None` only if the app is being torn down.
    pub fn update<T>(&self, f: impl FnOnce(&mut Playground) -> T) -> Option<T> {
        let result = self.playground.try_update_value(f);
        let fresh = self
            .playground
            .try_update_value(Playground::drain_events)
            .unwrap_or_default();
        self.events.update_value(|events| {
            events.extend(fresh);
            let excess = events.len().saturating_sub(KEPT_EVENTS);
            events.drain(..excess);
        });
        self.revision.update(|r| *r += 1);
        result
    }

    /// The most recent events, newest last.
    pub fn events(&self) -> Vec<TimedEvent> {
        self.revision.track();
        self.events.try_get_value().unwrap_or_default()
    }
}
