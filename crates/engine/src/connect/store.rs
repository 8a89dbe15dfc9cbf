//! Kafka Connect's three internal topics, record by record, as a
//! distributed worker writes them with its internal `JsonConverter`
//! (`schemas.enable=false`): string keys and JSON values.
//!
//! - `connect-configs` (`KafkaConfigBackingStore`, 1 partition):
//!   `connector-<name>` → `{"properties":{…}}`, `task-<name>-<n>` →
//!   `{"properties":{…}}`, `commit-<name>` → `{"tasks":N}` (task configs
//!   only count once their commit is read), `target-state-<name>` →
//!   `{"state":"PAUSED","state.v2":"STOPPED"}` (older workers read only
//!   `state`, so STOPPED is written there as PAUSED). Deleting a connector
//!   writes tombstones for `connector-` and `target-state-`.
//! - `connect-status` (`KafkaStatusBackingStore`, 5 partitions):
//!   `status-connector-<name>` / `status-task-<name>-<n>` →
//!   `{"state":…,"trace":…,"worker_id":…,"generation":…}`, and
//!   `status-topic-<topic>:connector-<name>` → `{"topic":{"name":…,
//!   "connector":…,"task":…,"discoverTimestamp":…}}` for the topics a
//!   connector used.
//! - `connect-offsets` (`KafkaOffsetBackingStore`, 25 partitions): key
//!   `["<connector>",{source partition}]`, value the source offset.
//!
//! Each state here is nothing but the replay of its topic ([`ConfigState`],
//! [`StatusState`], [`OffsetState`]); the worker applies its own writes at
//! once and a restarted worker rebuilds by reading the topics.

use crate::collections::{OrdMap, OrdSet};

use crate::compact_sort::CollectBTree;
use crate::registry::json::{self, quote, Json, ObjectWriter};

/// `config.storage.topic`'s usual name.
pub const CONFIG_TOPIC: &str = "connect-configs";
/// `offset.storage.topic`'s usual name.
pub const OFFSET_TOPIC: &str = "connect-offsets";
/// `status.storage.topic`'s usual name.
pub const STATUS_TOPIC: &str = "connect-status";
/// The config topic always has one partition (Connect refuses more).
pub const CONFIG_PARTITIONS: i32 = 1;
/// `offset.storage.partitions` default.
pub const OFFSET_PARTITIONS: i32 = 25;
/// `status.storage.partitions` default.
pub const STATUS_PARTITIONS: i32 = 5;
/// `*.storage.replication.factor` default (capped at the brokers).
pub const REPLICATION_FACTOR: i16 = 3;

/// A connector's `TargetState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetState {
    /// Running.
    Started,
    /// Tasks kept but not polling.
    Paused,
    /// Connector and tasks shut down, task configs emptied.
    Stopped,
}

impl TargetState {
    /// Java's enum name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Started => "STARTED",
            Self::Paused => "PAUSED",
            Self::Stopped => "STOPPED",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "STARTED" => Some(Self::Started),
            "PAUSED" => Some(Self::Paused),
            "STOPPED" => Some(Self::Stopped),
            _ => None,
        }
    }
}

/// Connector or task properties.
pub type Properties = OrdMap<String, String>;

/// A `connect-configs` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigKey {
    /// `connector-<name>`.
    Connector(String),
    /// `task-<name>-<n>`.
    Task(String, u32),
    /// `commit-<name>`.
    Commit(String),
    /// `target-state-<name>`.
    TargetState(String),
}

impl ConfigKey {
    /// The key as Connect writes it.
    #[must_use]
    pub fn text(&self) -> String {
        match self {
            Self::Connector(name) => format!("connector-{name}"),
            Self::Task(name, task) => format!("task-{name}-{task}"),
            Self::Commit(name) => format!("commit-{name}"),
            Self::TargetState(name) => format!("target-state-{name}"),
        }
    }

    /// Reads a key (`None` for one Connect would log and skip).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        if let Some(name) = text.strip_prefix("target-state-") {
            Some(Self::TargetState(name.to_owned()))
        } else if let Some(name) = text.strip_prefix("connector-") {
            Some(Self::Connector(name.to_owned()))
        } else if let Some(rest) = text.strip_prefix("task-") {
            let (name, task) = rest.rsplit_once('-')?;
            Some(Self::Task(name.to_owned(), task.parse().ok()?))
        } else {
            text.strip_prefix("commit-")
                .map(|name| Self::Commit(name.to_owned()))
        }
    }
}

/// `{"properties":{…}}` (`CONNECTOR_CONFIGURATION_V0`, also for tasks).
#[must_use]
pub fn properties_value(properties: &Properties) -> String {
    ObjectWriter::new()
        .raw("properties", &properties_json(properties))
        .finish()
}

/// A JSON object of string properties.
#[must_use]
pub fn properties_json(properties: &Properties) -> String {
    let mut w = ObjectWriter::new();
    for (k, v) in properties {
        w = w.string(k, v);
    }
    w.finish()
}

/// `{"tasks":N}` (`CONNECTOR_TASKS_COMMIT_V0`).
#[must_use]
pub fn commit_value(tasks: u32) -> String {
    ObjectWriter::new()
        .number("tasks", i64::from(tasks))
        .finish()
}

/// `TARGET_STATE_V1`: `state` for older workers (no STOPPED there),
/// `state.v2` the real one.
#[must_use]
pub fn target_state_value(state: TargetState) -> String {
    let legacy = match state {
        TargetState::Stopped => TargetState::Paused,
        other => other,
    };
    ObjectWriter::new()
        .string("state", legacy.as_str())
        .string("state.v2", state.as_str())
        .finish()
}

/// The replay of `connect-configs` (`ClusterConfigState`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigState {
    /// Connector configs by name.
    pub connectors: OrdMap<String, Properties>,
    /// Target states (STARTED for a connector without a record).
    pub target_states: OrdMap<String, TargetState>,
    /// Committed task configs, by connector then task.
    pub tasks: OrdMap<String, Vec<Properties>>,
    /// Task configs read but not yet committed.
    deferred: OrdMap<String, OrdMap<u32, Properties>>,
    /// How many records were applied.
    pub offset: i64,
}

impl ConfigState {
    /// Applies one record, as `KafkaConfigBackingStore`'s consume callback.
    pub fn apply(&mut self, key: &str, value: Option<&[u8]>) {
        self.offset += 1;
        let Some(key) = ConfigKey::parse(key) else {
            return;
        };
        let value = value
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| json::parse(v).ok());
        match (key, value) {
            (ConfigKey::Connector(name), None) => {
                self.connectors.remove(&name);
                self.tasks.remove(&name);
                self.deferred.remove(&name);
            }
            (ConfigKey::Connector(name), Some(v)) => {
                if let Some(props) = read_properties(&v) {
                    self.target_states
                        .entry(name.clone())
                        .or_insert(TargetState::Started);
                    self.connectors.insert(name, props);
                }
            }
            (ConfigKey::TargetState(name), None) => {
                self.target_states.remove(&name);
                if self.connectors.contains_key(&name) {
                    self.target_states.insert(name, TargetState::Started);
                }
            }
            (ConfigKey::TargetState(name), Some(v)) => {
                let state = v
                    .get("state.v2")
                    .and_then(Json::as_str)
                    .or_else(|| v.get("state").and_then(Json::as_str))
                    .and_then(TargetState::parse);
                if let Some(state) = state {
                    self.target_states.insert(name, state);
                }
            }
            (ConfigKey::Task(name, task), Some(v)) => {
                if let Some(props) = read_properties(&v) {
                    self.deferred.entry(name).or_default().insert(task, props);
                }
            }
            (ConfigKey::Task(..), None) => {}
            (ConfigKey::Commit(name), value) => {
                let count = value
                    .as_ref()
                    .and_then(|v| v.get("tasks"))
                    .and_then(Json::as_i32)
                    .and_then(|n| u32::try_from(n).ok());
                let Some(count) = count else { return };
                let mut deferred = self.deferred.remove(&name).unwrap_or_default();
                let previous = self.tasks.remove(&name).unwrap_or_default();
                let tasks = (0..count)
                    .map(|i| {
                        deferred
                            .remove(&i)
                            .or_else(|| previous.get(i as usize).cloned())
                            .unwrap_or_default()
                    })
                    .collect();
                self.tasks.insert(name, tasks);
            }
        }
    }

    /// A connector's target state.
    #[must_use]
    pub fn target_state(&self, connector: &str) -> TargetState {
        self.target_states
            .get(connector)
            .copied()
            .unwrap_or(TargetState::Started)
    }
}

fn read_properties(value: &Json) -> Option<Properties> {
    match value.get("properties")? {
        Json::Object(members) => Some(
            members
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                .collect_map(),
        ),
        _ => None,
    }
}

/// A connector's or task's state (`AbstractStatus.State`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Known but not running on any worker.
    Unassigned,
    /// Running.
    Running,
    /// Paused by its target state.
    Paused,
    /// Stopped by its target state (connectors only).
    Stopped,
    /// Failed; the status carries the trace.
    Failed,
    /// A restart was requested and has not happened yet.
    Restarting,
    /// Deleted.
    Destroyed,
}

impl State {
    /// Java's enum name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unassigned => "UNASSIGNED",
            Self::Running => "RUNNING",
            Self::Paused => "PAUSED",
            Self::Stopped => "STOPPED",
            Self::Failed => "FAILED",
            Self::Restarting => "RESTARTING",
            Self::Destroyed => "DESTROYED",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "UNASSIGNED" => Self::Unassigned,
            "RUNNING" => Self::Running,
            "PAUSED" => Self::Paused,
            "STOPPED" => Self::Stopped,
            "FAILED" => Self::Failed,
            "RESTARTING" => Self::Restarting,
            "DESTROYED" => Self::Destroyed,
            _ => return None,
        })
    }
}

/// A `connect-status` value (`STATUS_SCHEMA_V0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The state.
    pub state: State,
    /// The failure's stack trace (FAILED only).
    pub trace: Option<String>,
    /// The worker that reported it.
    pub worker_id: String,
    /// The worker's group generation when it did.
    pub generation: i32,
}

impl Status {
    /// The value's JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        ObjectWriter::new()
            .string("state", self.state.as_str())
            .string_or_null("trace", self.trace.as_deref())
            .string("worker_id", &self.worker_id)
            .number("generation", i64::from(self.generation))
            .finish()
    }

    fn from_json(value: &Json) -> Option<Self> {
        Some(Self {
            state: State::parse(value.get("state")?.as_str()?)?,
            trace: value.get("trace").and_then(Json::as_str).map(str::to_owned),
            worker_id: value.get("worker_id")?.as_str()?.to_owned(),
            generation: value.get("generation")?.as_i32()?,
        })
    }
}

/// A `connect-status` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusKey {
    /// `status-connector-<name>`.
    Connector(String),
    /// `status-task-<name>-<n>`.
    Task(String, u32),
    /// `status-topic-<topic>:connector-<name>`.
    Topic {
        /// The topic.
        topic: String,
        /// The connector.
        connector: String,
    },
}

impl StatusKey {
    /// The key as Connect writes it.
    #[must_use]
    pub fn text(&self) -> String {
        match self {
            Self::Connector(name) => format!("status-connector-{name}"),
            Self::Task(name, task) => format!("status-task-{name}-{task}"),
            Self::Topic { topic, connector } => {
                format!("status-topic-{topic}:connector-{connector}")
            }
        }
    }

    /// Reads a key.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        if let Some(name) = text.strip_prefix("status-connector-") {
            Some(Self::Connector(name.to_owned()))
        } else if let Some(rest) = text.strip_prefix("status-task-") {
            let (name, task) = rest.rsplit_once('-')?;
            Some(Self::Task(name.to_owned(), task.parse().ok()?))
        } else {
            let rest = text.strip_prefix("status-topic-")?;
            let (topic, connector) = rest.split_once(":connector-")?;
            Some(Self::Topic {
                topic: topic.to_owned(),
                connector: connector.to_owned(),
            })
        }
    }
}

/// `{"topic":{"name":…,"connector":…,"task":…,"discoverTimestamp":…}}`.
#[must_use]
pub fn topic_status_value(topic: &str, connector: &str, task: u32, at: i64) -> String {
    let inner = ObjectWriter::new()
        .string("name", topic)
        .string("connector", connector)
        .number("task", i64::from(task))
        .number("discoverTimestamp", at)
        .finish();
    ObjectWriter::new().raw("topic", &inner).finish()
}

/// The replay of `connect-status`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusState {
    /// Connector statuses.
    pub connectors: OrdMap<String, Status>,
    /// Task statuses.
    pub tasks: OrdMap<(String, u32), Status>,
    /// Topics each connector has used.
    pub topics: OrdMap<String, OrdSet<String>>,
}

impl StatusState {
    /// Applies one record.
    pub fn apply(&mut self, key: &str, value: Option<&[u8]>) {
        let Some(key) = StatusKey::parse(key) else {
            return;
        };
        let value = value
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| json::parse(v).ok());
        match key {
            StatusKey::Connector(name) => {
                match value.as_ref().and_then(Status::from_json) {
                    Some(status) => self.connectors.insert(name, status),
                    None => self.connectors.remove(&name),
                };
            }
            StatusKey::Task(name, task) => {
                match value.as_ref().and_then(Status::from_json) {
                    Some(status) => self.tasks.insert((name, task), status),
                    None => self.tasks.remove(&(name, task)),
                };
            }
            StatusKey::Topic { topic, connector } => {
                if value.is_some() {
                    self.topics.entry(connector).or_default().insert(topic);
                } else if let Some(set) = self.topics.get_mut(&connector) {
                    set.remove(&topic);
                    if set.is_empty() {
                        self.topics.remove(&connector);
                    }
                }
            }
        }
    }
}

/// An offsets key: `["<connector>",<partition>]`.
#[must_use]
pub fn offset_key(connector: &str, partition: &str) -> String {
    format!("[{},{partition}]", quote(connector))
}

/// The replay of `connect-offsets`: per connector, each source partition's
/// JSON text and its offset's JSON text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetState {
    /// Offsets by connector, then partition JSON.
    pub offsets: OrdMap<String, OrdMap<String, String>>,
}

impl OffsetState {
    /// Applies one record (keys that are not `[name, partition]` skipped).
    pub fn apply(&mut self, key: &[u8], value: Option<&[u8]>) {
        let Some(Json::Array(items)) = std::str::from_utf8(key)
            .ok()
            .and_then(|k| json::parse(k).ok())
        else {
            return;
        };
        let [Json::String(connector), partition] = items.as_slice() else {
            return;
        };
        let mut partition_text = String::new();
        partition.write_to(&mut partition_text);
        let value = value
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| json::parse(v).ok());
        match value {
            Some(Json::Null) | None => {
                if let Some(map) = self.offsets.get_mut(connector) {
                    map.remove(&partition_text);
                }
            }
            Some(offset) => {
                let mut text = String::new();
                offset.write_to(&mut text);
                self.offsets
                    .entry(connector.clone())
                    .or_default()
                    .insert(partition_text, text);
            }
        }
    }

    /// The offset committed for a connector's source partition.
    #[must_use]
    pub fn get(&self, connector: &str, partition: &str) -> Option<&str> {
        self.offsets
            .get(connector)
            .and_then(|m| m.get(partition))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys_round_trip_with_dashes_in_names() {
        for key in [
            ConfigKey::Connector("a-b".into()),
            ConfigKey::Task("a-b".into(), 12),
            ConfigKey::Commit("x".into()),
            ConfigKey::TargetState("y-1".into()),
        ] {
            assert_eq!(ConfigKey::parse(&key.text()), Some(key));
        }
        assert_eq!(ConfigKey::parse("task-nonumber"), None);
        assert_eq!(ConfigKey::parse("garbage"), None);
    }

    #[test]
    fn task_configs_count_only_once_committed() {
        let mut state = ConfigState::default();
        let props: Properties = [("a".to_owned(), "1".to_owned())].into();
        state.apply("connector-c", Some(properties_value(&props).as_bytes()));
        state.apply("task-c-0", Some(properties_value(&props).as_bytes()));
        assert!(!state.tasks.contains_key("c"));
        state.apply("commit-c", Some(commit_value(1).as_bytes()));
        assert_eq!(state.tasks["c"], vec![props.clone()]);
        state.apply(
            "target-state-c",
            Some(target_state_value(TargetState::Stopped).as_bytes()),
        );
        assert_eq!(state.target_state("c"), TargetState::Stopped);
        // An old worker's record has only `state`.
        state.apply("target-state-c", Some(br#"{"state":"PAUSED"}"#));
        assert_eq!(state.target_state("c"), TargetState::Paused);
        state.apply("connector-c", None);
        assert!(state.connectors.is_empty() && state.tasks.is_empty());
    }

    #[test]
    fn target_state_v1_writes_stopped_as_paused_for_old_workers() {
        assert_eq!(
            target_state_value(TargetState::Stopped),
            r#"{"state":"PAUSED","state.v2":"STOPPED"}"#
        );
    }

    #[test]
    fn status_values_are_connects_json() {
        let status = Status {
            state: State::Running,
            trace: None,
            worker_id: "127.0.0.1:8083".into(),
            generation: 2,
        };
        assert_eq!(
            status.to_json(),
            r#"{"state":"RUNNING","trace":null,"worker_id":"127.0.0.1:8083","generation":2}"#
        );
        let mut state = StatusState::default();
        state.apply("status-task-a-b-3", Some(status.to_json().as_bytes()));
        assert_eq!(state.tasks[&("a-b".to_owned(), 3)], status);
        state.apply("status-topic-t:connector-a-b", Some(b"{}"));
        assert!(state.topics["a-b"].contains("t"));
    }

    #[test]
    fn offsets_are_keyed_by_connector_and_partition() {
        let mut state = OffsetState::default();
        let key = offset_key("src", r#"{"filename":"in.txt"}"#);
        assert_eq!(key, r#"["src",{"filename":"in.txt"}]"#);
        state.apply(key.as_bytes(), Some(br#"{"position":12}"#));
        assert_eq!(
            state.get("src", r#"{"filename":"in.txt"}"#),
            Some(r#"{"position":12}"#)
        );
        state.apply(key.as_bytes(), None);
        assert_eq!(state.get("src", r#"{"filename":"in.txt"}"#), None);
    }
}
