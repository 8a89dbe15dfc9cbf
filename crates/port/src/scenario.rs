//! A scenario: local mode's whole engine state as the seed it started from
//! and everything that happened to it since — each command as the request
//! text the page sent, and each stretch of engine time the clock moved.
//! The engine is deterministic, so replaying a scenario rebuilds the same
//! cluster, records, groups, registry, connectors and clock. The page
//! keeps one in `localStorage` (the state survives a reload), saves it as a
//! file and opens one ([`crate::Command::ImportScenario`], which refuses a
//! malformed, oversized or hostile file with a reason and leaves the
//! current state untouched).
//!
//! The file is JSON:
//!
//! ```json
//! {"format":"kafka-playground-scenario","version":1,"seed":2026,"running":true,"speed":1.0,
//!  "entries":["+33x12","{\"request\":{\"id\":4,\"command\":{\"create_topic\":{\"topic\":\"orders\",\"partitions\":3,\"replication_factor\":3,\"configs\":[]}}}}","+34"]}
//! ```
//!
//! An entry `+MS` moves engine time by `MS` milliseconds (`+MSxN`: `N`
//! times); any other entry is a port request message.

use serde::{Deserialize, Serialize};

/// The `format` every scenario file names.
pub const FORMAT: &str = "kafka-playground-scenario";

/// The scenario version this release reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

/// A scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`SCENARIO_VERSION`].
    pub version: u32,
    /// The engine's seed.
    pub seed: u64,
    /// Whether the clock runs after the replay.
    pub running: bool,
    /// The clock's speed after the replay.
    pub speed: f64,
    /// What happened, in order (see the module docs).
    pub entries: Vec<String>,
}

impl Scenario {
    /// A fresh engine from `seed`, its clock running at 1×.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self {
            format: FORMAT.to_owned(),
            version: SCENARIO_VERSION,
            seed,
            running: true,
            speed: 1.0,
            entries: Vec::new(),
        }
    }
}
