//! Kafka Connect on the engine's cluster: one distributed-mode worker that
//! loads connector plugins, keeps every config, status and source offset in
//! Kafka topics, runs its connectors' tasks as engine time passes, and is
//! managed entirely through Connect's REST API ([`ConnectWorker::handle`],
//! see [`rest`]).
//!
//! **Storage is the state.** On start the worker creates `connect-configs`
//! (1 partition), `connect-offsets` (25) and `connect-status` (5), all
//! `cleanup.policy=compact`, replication factor `min(3, brokers)`, and
//! reads them ([`store`]). REST calls only write records there (a new
//! config, a target state, a restart request kept in memory as Connect's
//! herder keeps it); the worker's [`ConnectWorker::tick`] — run by
//! `Playground::step` — reconciles what runs with what the topics say, as
//! the herder's rebalance does: it starts a new connector (status RUNNING),
//! generates and commits its task configs (`task-<name>-<n>`,
//! `commit-<name>`), starts the tasks, pauses, resumes and stops them.
//! [`ConnectWorker::restart`] and [`ConnectWorker::crash`] throw the
//! runtime away and rebuild it from the topics, which is how a learner sees
//! that the topics *are* Connect's memory.
//!
//! **Tasks.** The plugins are Kafka's own file connectors ([`plugins`]) over
//! a small in-memory file system the worker owns (the machine's disk: it
//! survives a worker restart). A source task reads complete lines appended
//! since its position, at most `batch.size` per poll, converts each with
//! the value converter and produces them as one RecordBatch v2 (acks=all)
//! to a partition of its topic (rotating per batch, as the sticky
//! partitioner spreads keyless records); its source offset
//! `{"position":<byte>}` for `{"filename":…}` is written to
//! `connect-offsets` every `offset.flush.interval.ms` and when it pauses,
//! stops or is shut down. A sink task reads its share of the topics'
//! partitions (round robin over the tasks) from the group `connect-<name>`'s
//! committed offsets (earliest when none, Connect's
//! `auto.offset.reset=earliest`), writes each value's text as a line, and
//! commits to `__consumer_offsets` on the same schedule. A value its
//! converter cannot read fails the task with Connect's trace, as the
//! default `errors.tolerance=none` does.
//!
//! Simplifications, said plainly: one worker (its group generation still
//! counts each rebalance), sink offsets are committed as a simple
//! (memberless) commit rather than by a member of a rebalancing consumer
//! group, and a produced record counts as written once the leader has
//! appended it.

pub mod plugins;
pub mod rest;
pub mod store;

use crate::collections::{OrdMap, OrdSet};

use bytes::Bytes;

use crate::clock::Millis;
use crate::cluster::{Acks, Cluster, NewTopic, OffsetSpec};
use crate::events::{Event, EventLog, TimedEvent};
use crate::group::assignor::TopicPartition;
use crate::group::coordinator::GroupCoordinator;
use crate::group::offsets::OffsetToCommit;
use crate::record::{decode_batch, encode_batch, Compression, ProducerRecord, ProducerStamp};
use crate::registry::json::ObjectWriter;
pub use crate::rest::RestResponse;
use plugins::{ConnectorType, Converter, Plugin};
use store::{
    ConfigKey, ConfigState, OffsetState, Properties, StatusKey, StatusState, CONFIG_TOPIC,
    OFFSET_TOPIC, STATUS_TOPIC,
};
pub use store::{State, Status, TargetState};

/// How long a write to an internal topic may wait for the ISR.
const WRITE_TIMEOUT_MS: i64 = 30_000;
/// How often running tasks poll (a sink's consumer polls continuously, a
/// file source rests 1 s only when the file has nothing new; 100 ms keeps
/// both lively without stepping the whole cluster every millisecond).
pub const POLL_INTERVAL_MS: i64 = 100;
/// The most bytes one sink fetch reads per partition.
const SINK_FETCH_BYTES: u64 = 1 << 20;

/// Worker settings, with Connect's names and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectConfig {
    /// The worker's id in statuses (its advertised `host:port`).
    pub worker_id: String,
    /// `offset.flush.interval.ms` (60000).
    pub offset_flush_interval_ms: i64,
    /// `config/offset/status.storage.replication.factor` (3, capped).
    pub replication_factor: i16,
    /// The Kafka cluster id `GET /` reports.
    pub kafka_cluster_id: String,
}

impl Default for ConnectConfig {
    fn default() -> Self {
        Self {
            worker_id: "127.0.0.1:8083".to_owned(),
            offset_flush_interval_ms: 60_000,
            replication_factor: store::REPLICATION_FACTOR,
            kafka_cluster_id: "KafkaPlaygroundCluster".to_owned(),
        }
    }
}

/// A Connect error: the HTTP status and Connect's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct ConnectError {
    /// HTTP status (`error_code`).
    pub status: u16,
    /// The message.
    pub message: String,
}

impl ConnectError {
    fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn not_found(connector: &str) -> Self {
        Self::new(404, format!("Connector {connector} not found"))
    }

    /// `{"error_code":…,"message":…}`.
    #[must_use]
    pub fn body(&self) -> String {
        ObjectWriter::new()
            .number("error_code", i64::from(self.status))
            .string("message", &self.message)
            .finish()
    }
}

impl From<ConnectError> for RestResponse {
    fn from(error: ConnectError) -> Self {
        RestResponse::new(error.status, error.body())
    }
}

/// What a running source task keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SourceTask {
    file: Option<String>,
    topic: String,
    batch_size: usize,
    converter: Converter,
    /// Byte position in the file; `None` until the file is opened.
    position: Option<u64>,
    /// The last position written to `connect-offsets`.
    flushed: Option<u64>,
    next_partition: i32,
    warned_missing: bool,
}

/// What a running sink task keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SinkTask {
    file: Option<String>,
    topics: Vec<String>,
    converter: Converter,
    /// Next offset to read per partition.
    positions: OrdMap<TopicPartition, i64>,
    /// The last offsets committed.
    committed: OrdMap<TopicPartition, i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TaskKind {
    Source(SourceTask),
    Sink(SinkTask),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct TaskRuntime {
    state: State,
    kind: TaskKind,
    last_flush: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ConnectorRuntime {
    /// The config it was started with (a new one restarts it).
    config: Properties,
    state: State,
    tasks: OrdMap<u32, TaskRuntime>,
}

/// A Kafka Connect worker (distributed mode, one node).
#[derive(Debug, Clone)]
pub struct ConnectWorker {
    config: ConnectConfig,
    configs: ConfigState,
    statuses: StatusState,
    offsets: OffsetState,
    generation: i32,
    running: OrdMap<String, ConnectorRuntime>,
    /// Pending restarts: connector, and `Some(task)` for one task.
    restarts: OrdSet<(String, Option<u32>)>,
    files: OrdMap<String, Vec<u8>>,
    events: EventLog,
}

impl ConnectWorker {
    /// Starts a worker on `cluster`: creates the three internal topics if
    /// they do not exist and reads them.
    pub fn start(cluster: &mut Cluster, config: ConnectConfig) -> Result<Self, ConnectError> {
        for (topic, partitions) in [
            (CONFIG_TOPIC, store::CONFIG_PARTITIONS),
            (OFFSET_TOPIC, store::OFFSET_PARTITIONS),
            (STATUS_TOPIC, store::STATUS_PARTITIONS),
        ] {
            if !cluster.has_topic(topic) {
                let new = NewTopic::new(topic, partitions, config.replication_factor)
                    .config("cleanup.policy", "compact");
                cluster.create_internal_topic(new).map_err(|e| {
                    ConnectError::new(
                        500,
                        format!("Unable to create topic {topic}: {}", e.message),
                    )
                })?;
            }
        }
        let mut worker = Self {
            config,
            configs: ConfigState::default(),
            statuses: StatusState::default(),
            offsets: OffsetState::default(),
            generation: 0,
            running: OrdMap::new(),
            restarts: OrdSet::new(),
            files: OrdMap::new(),
            events: EventLog::default(),
        };
        worker.read_topics(cluster);
        Ok(worker)
    }

    /// Reads the three topics from the start (up to their high watermarks).
    fn read_topics(&mut self, cluster: &Cluster) {
        self.configs = ConfigState::default();
        self.statuses = StatusState::default();
        self.offsets = OffsetState::default();
        let mut generation = 0;
        for (key, value) in read_topic(cluster, CONFIG_TOPIC) {
            if let Some(key) = key.as_deref().and_then(|k| std::str::from_utf8(k).ok()) {
                self.configs.apply(key, value.as_deref());
            }
        }
        for (key, value) in read_topic(cluster, STATUS_TOPIC) {
            if let Some(key) = key.as_deref().and_then(|k| std::str::from_utf8(k).ok()) {
                self.statuses.apply(key, value.as_deref());
            }
        }
        for status in self
            .statuses
            .connectors
            .values()
            .chain(self.statuses.tasks.values())
        {
            generation = generation.max(status.generation);
        }
        for (key, value) in read_topic(cluster, OFFSET_TOPIC) {
            if let Some(key) = key.as_deref() {
                self.offsets.apply(key, value.as_deref());
            }
        }
        self.generation = generation;
    }

    /// A graceful restart (the worker process stopped and started again):
    /// tasks flush their offsets and are marked UNASSIGNED, then the
    /// runtime is rebuilt from the internal topics alone. Files survive.
    pub fn restart(&mut self, cluster: &mut Cluster, coordinator: &mut GroupCoordinator) {
        let names: Vec<String> = self.running.keys().cloned().collect();
        for name in names {
            self.stop_connector_runtime(cluster, coordinator, &name, Some(State::Unassigned));
        }
        self.rebuild(cluster);
    }

    /// The worker's process killed: nothing flushed. What was read since
    /// the last offset commit is read again after the rebuild (Connect's
    /// at-least-once delivery).
    pub fn crash(&mut self, cluster: &Cluster) {
        self.rebuild(cluster);
    }

    fn rebuild(&mut self, cluster: &Cluster) {
        self.running.clear();
        self.restarts.clear();
        self.read_topics(cluster);
        self.generation += 1;
    }

    /// Takes the worker's events.
    pub fn drain_events(&mut self) -> Vec<TimedEvent> {
        self.events.drain()
    }

    /// The worker's settings.
    #[must_use]
    pub fn config(&self) -> &ConnectConfig {
        &self.config
    }

    /// The replayed `connect-configs`.
    #[must_use]
    pub fn config_state(&self) -> &ConfigState {
        &self.configs
    }

    /// The replayed `connect-status`.
    #[must_use]
    pub fn status_state(&self) -> &StatusState {
        &self.statuses
    }

    /// The replayed `connect-offsets`.
    #[must_use]
    pub fn offset_state(&self) -> &OffsetState {
        &self.offsets
    }

    /// The worker's group generation.
    #[must_use]
    pub fn generation(&self) -> i32 {
        self.generation
    }

    /// Whether the state equals a fresh replay of the topics (what a new
    /// worker would read).
    #[must_use]
    pub fn matches_topics(&self, cluster: &Cluster) -> bool {
        let mut fresh = self.clone();
        fresh.read_topics(cluster);
        fresh.configs == self.configs
            && fresh.statuses == self.statuses
            && fresh.offsets == self.offsets
    }

    // ----- the virtual file system --------------------------------------

    /// Appends text to a file (created if missing), as `echo >> file`.
    pub fn append_to_file(&mut self, path: &str, text: &str) {
        self.files
            .entry(path.to_owned())
            .or_default()
            .extend_from_slice(text.as_bytes());
    }

    /// Appends raw bytes to a file (created if missing): what a shell that
    /// mirrors real files into the worker (the native server) hands over.
    pub fn append_bytes_to_file(&mut self, path: &str, bytes: &[u8]) {
        self.files
            .entry(path.to_owned())
            .or_default()
            .extend_from_slice(bytes);
    }

    /// A file's raw bytes, if it exists.
    #[must_use]
    pub fn file_bytes(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// A file's contents, if it exists.
    #[must_use]
    pub fn read_file(&self, path: &str) -> Option<String> {
        self.files
            .get(path)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// Every file's path.
    #[must_use]
    pub fn files(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    // ----- writes to the internal topics --------------------------------

    fn write(
        &mut self,
        cluster: &mut Cluster,
        topic: &str,
        key: &str,
        value: Option<String>,
    ) -> Result<(), ConnectError> {
        let partitions = cluster.partition_count(topic).unwrap_or(1);
        let partition =
            crate::partitioner::java_partition_for_key(key.as_bytes(), partitions).unwrap_or(0);
        let record = ProducerRecord {
            key: Some(Bytes::from(key.to_owned())),
            value: value.as_ref().map(|v| Bytes::from(v.clone())),
            headers: vec![],
            timestamp: cluster.now().0,
        };
        let batch = encode_batch(&[record], ProducerStamp::NONE, Compression::None)
            .map_err(|e| ConnectError::new(500, e.to_string()))?;
        cluster
            .produce(topic, partition, batch, Acks::All, WRITE_TIMEOUT_MS)
            .map_err(|e| {
                ConnectError::new(
                    500,
                    format!("Error writing to Kafka topic {topic}: {}", e.message),
                )
            })?;
        let bytes = value.as_deref().map(str::as_bytes);
        match topic {
            CONFIG_TOPIC => self.configs.apply(key, bytes),
            STATUS_TOPIC => self.statuses.apply(key, bytes),
            _ => self.offsets.apply(key.as_bytes(), bytes),
        }
        Ok(())
    }

    fn put_status(
        &mut self,
        cluster: &mut Cluster,
        connector: &str,
        task: Option<u32>,
        state: State,
        trace: Option<String>,
    ) {
        let key = match task {
            Some(t) => StatusKey::Task(connector.to_owned(), t),
            None => StatusKey::Connector(connector.to_owned()),
        };
        let value = (state != State::Destroyed).then(|| {
            Status {
                state,
                trace,
                worker_id: self.config.worker_id.clone(),
                generation: self.generation,
            }
            .to_json()
        });
        // A failed status write is retried by the next change.
        let _ = self.write(cluster, STATUS_TOPIC, &key.text(), value);
        let now = cluster.now();
        let name = connector.to_owned();
        let state = state.as_str().to_owned();
        self.events.push(
            now,
            match task {
                Some(task) => Event::ConnectTaskStateChanged {
                    connector: name,
                    task,
                    state,
                },
                None => Event::ConnectorStateChanged {
                    connector: name,
                    state,
                },
            },
        );
    }

    // ----- the herder's operations (REST calls end here) -----------------

    /// The connectors, by name.
    #[must_use]
    pub fn connectors(&self) -> Vec<String> {
        self.configs.connectors.keys().cloned().collect()
    }

    /// A connector's config.
    pub fn connector_config(&self, name: &str) -> Result<&Properties, ConnectError> {
        self.configs
            .connectors
            .get(name)
            .ok_or_else(|| ConnectError::not_found(name))
    }

    /// Validates a config (`validateConnectorConfig`): 400 without
    /// `connector.class` or with an unknown one.
    pub fn validate(
        config: &Properties,
    ) -> Result<(Plugin, Vec<plugins::ConfigResult>), ConnectError> {
        let class = config.get("connector.class").ok_or_else(|| {
            ConnectError::new(
                400,
                format!(
                    "Connector config {} contains no connector type",
                    java_map(config)
                ),
            )
        })?;
        let plugin = plugins::find(class.trim())
            .ok_or_else(|| ConnectError::new(400, plugins::unknown_class_message(class)))?;
        let results = plugins::validate(plugin, config);
        Ok((plugin, results))
    }

    /// Creates or updates a connector (`putConnectorConfig`): returns
    /// whether it was created. `allow_replace` false is POST's 409.
    pub fn put_connector_config(
        &mut self,
        cluster: &mut Cluster,
        name: &str,
        mut config: Properties,
        allow_replace: bool,
        initial_state: Option<TargetState>,
    ) -> Result<bool, ConnectError> {
        if name.trim().is_empty() {
            return Err(ConnectError::new(400, "Connector name cannot be empty"));
        }
        if name.chars().any(char::is_control) {
            return Err(ConnectError::new(
                400,
                format!("Connector name {name} contains ISO control characters"),
            ));
        }
        config.insert("name".to_owned(), name.to_owned());
        let exists = self.configs.connectors.contains_key(name);
        if exists && !allow_replace {
            return Err(ConnectError::new(
                409,
                format!("Connector {name} already exists"),
            ));
        }
        let (plugin, results) = Self::validate(&config)?;
        if let Some(message) = plugins::invalid_config_message(&results) {
            return Err(ConnectError::new(400, message));
        }
        if !exists {
            if let Some(state) = initial_state.filter(|s| *s != TargetState::Started) {
                let key = ConfigKey::TargetState(name.to_owned()).text();
                self.write(
                    cluster,
                    CONFIG_TOPIC,
                    &key,
                    Some(store::target_state_value(state)),
                )?;
            }
        }
        let key = ConfigKey::Connector(name.to_owned()).text();
        self.write(
            cluster,
            CONFIG_TOPIC,
            &key,
            Some(store::properties_value(&config)),
        )?;
        if !exists {
            self.events.push(
                cluster.now(),
                Event::ConnectorCreated {
                    connector: name.to_owned(),
                    class: plugin.class.to_owned(),
                },
            );
        }
        Ok(!exists)
    }

    /// Deletes a connector: tombstones for its config and target state;
    /// its tasks stop at the next tick.
    pub fn delete_connector(
        &mut self,
        cluster: &mut Cluster,
        name: &str,
    ) -> Result<(), ConnectError> {
        self.connector_config(name)?;
        for key in [
            ConfigKey::Connector(name.to_owned()),
            ConfigKey::TargetState(name.to_owned()),
        ] {
            self.write(cluster, CONFIG_TOPIC, &key.text(), None)?;
        }
        self.events.push(
            cluster.now(),
            Event::ConnectorDeleted {
                connector: name.to_owned(),
            },
        );
        Ok(())
    }

    /// Pauses, resumes or stops a connector (its target state). Stopping
    /// also empties its task configs, as Connect does.
    pub fn set_target_state(
        &mut self,
        cluster: &mut Cluster,
        name: &str,
        state: TargetState,
    ) -> Result<(), ConnectError> {
        self.connector_config(name)?;
        if state == TargetState::Stopped {
            self.write(
                cluster,
                CONFIG_TOPIC,
                &ConfigKey::Commit(name.to_owned()).text(),
                Some(store::commit_value(0)),
            )?;
        }
        let key = ConfigKey::TargetState(name.to_owned()).text();
        self.write(
            cluster,
            CONFIG_TOPIC,
            &key,
            Some(store::target_state_value(state)),
        )
    }

    /// Requests a restart of the connector and, with `include_tasks`, its
    /// tasks (only the failed ones with `only_failed`). Returns whether
    /// anything will restart; what will is marked RESTARTING.
    pub fn restart_connector(
        &mut self,
        cluster: &mut Cluster,
        name: &str,
        include_tasks: bool,
        only_failed: bool,
    ) -> Result<(), ConnectError> {
        self.connector_config(name)?;
        let connector_failed =
            self.statuses.connectors.get(name).map(|s| s.state) == Some(State::Failed);
        if !only_failed || connector_failed {
            self.restarts.insert((name.to_owned(), None));
            if include_tasks {
                self.put_status(cluster, name, None, State::Restarting, None);
            }
        }
        if include_tasks {
            let tasks: Vec<(u32, State)> = self
                .statuses
                .tasks
                .iter()
                .filter(|((c, _), _)| c == name)
                .map(|((_, t), s)| (*t, s.state))
                .collect();
            for (task, state) in tasks {
                if !only_failed || state == State::Failed {
                    self.restarts.insert((name.to_owned(), Some(task)));
                    self.put_status(cluster, name, Some(task), State::Restarting, None);
                }
            }
        }
        Ok(())
    }

    /// Requests a restart of one task.
    pub fn restart_task(&mut self, name: &str, task: u32) -> Result<(), ConnectError> {
        self.connector_config(name)?;
        let exists = self
            .configs
            .tasks
            .get(name)
            .is_some_and(|t| (task as usize) < t.len());
        if !exists {
            return Err(ConnectError::new(
                404,
                format!("Task {name}-{task} not found"),
            ));
        }
        self.restarts.insert((name.to_owned(), Some(task)));
        Ok(())
    }

    // ----- time: the herder's reconciliation and the tasks' work ---------

    /// Runs the worker once at the cluster's current time: connectors and
    /// tasks are started, paused, resumed, stopped and restarted to match
    /// the config topic, and running tasks poll, write and flush.
    pub fn tick(&mut self, cluster: &mut Cluster, coordinator: &mut GroupCoordinator) {
        let gone: Vec<String> = self
            .running
            .keys()
            .filter(|n| !self.configs.connectors.contains_key(*n))
            .cloned()
            .collect();
        for name in gone {
            self.generation += 1;
            self.stop_connector_runtime(cluster, coordinator, &name, Some(State::Destroyed));
            let topics: Vec<String> = self
                .statuses
                .topics
                .get(&name)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            for topic in topics {
                let key = StatusKey::Topic {
                    topic,
                    connector: name.clone(),
                }
                .text();
                let _ = self.write(cluster, STATUS_TOPIC, &key, None);
            }
        }
        let names: Vec<String> = self.configs.connectors.keys().cloned().collect();
        for name in names {
            self.reconcile(cluster, coordinator, &name);
        }
        let names: Vec<String> = self.running.keys().cloned().collect();
        for name in names {
            let tasks: Vec<u32> = self
                .running
                .get(&name)
                .map(|c| c.tasks.keys().copied().collect())
                .unwrap_or_default();
            for task in tasks {
                self.run_task(cluster, coordinator, &name, task);
            }
        }
    }

    fn reconcile(&mut self, cluster: &mut Cluster, coordinator: &mut GroupCoordinator, name: &str) {
        let Some(config) = self.configs.connectors.get(name).cloned() else {
            return;
        };
        let target = self.configs.target_state(name);
        let restart_connector = self.restarts.remove(&(name.to_owned(), None));
        let changed = self.running.get(name).is_some_and(|r| r.config != config);
        if restart_connector || changed {
            let keep = if restart_connector && !changed {
                None
            } else {
                Some(State::Unassigned)
            };
            if changed {
                self.stop_connector_runtime(cluster, coordinator, name, keep);
            } else if let Some(runtime) = self.running.get_mut(name) {
                // Restarting only the connector leaves its tasks running.
                runtime.state = State::Unassigned;
            }
        }
        if target == TargetState::Stopped {
            let stopped = self.running.get(name).map(|r| r.state) == Some(State::Stopped);
            if !stopped {
                self.stop_connector_runtime(cluster, coordinator, name, None);
                let tasks: Vec<u32> = self
                    .statuses
                    .tasks
                    .keys()
                    .filter(|(c, _)| c == name)
                    .map(|(_, t)| *t)
                    .collect();
                for task in tasks {
                    self.put_status(cluster, name, Some(task), State::Destroyed, None);
                }
                self.put_status(cluster, name, None, State::Stopped, None);
                self.running.insert(
                    name.to_owned(),
                    ConnectorRuntime {
                        config,
                        state: State::Stopped,
                        tasks: OrdMap::new(),
                    },
                );
            }
            return;
        }
        let wanted = if target == TargetState::Paused {
            State::Paused
        } else {
            State::Running
        };
        let Some(plugin) = config
            .get("connector.class")
            .and_then(|c| plugins::find(c.trim()))
        else {
            return;
        };
        let current = self.running.get(name).map(|r| r.state);
        if current != Some(wanted) {
            if current.is_none()
                || current == Some(State::Stopped)
                || current == Some(State::Unassigned)
            {
                self.generation += 1;
            }
            let runtime = self
                .running
                .entry(name.to_owned())
                .or_insert_with(|| ConnectorRuntime {
                    config: config.clone(),
                    state: State::Unassigned,
                    tasks: OrdMap::new(),
                });
            runtime.state = wanted;
            runtime.config = config.clone();
            self.put_status(cluster, name, None, wanted, None);
        }
        // The connector's task configs (`taskConfigs(tasks.max)`).
        let tasks_max: usize = config
            .get("tasks.max")
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 64);
        let generated: Vec<Properties> = match plugin.kind {
            ConnectorType::Source => vec![config.clone()],
            ConnectorType::Sink => vec![config.clone(); tasks_max],
        };
        if self.configs.tasks.get(name) != Some(&generated) {
            for (i, props) in generated.iter().enumerate() {
                let key =
                    ConfigKey::Task(name.to_owned(), u32::try_from(i).unwrap_or(u32::MAX)).text();
                let _ = self.write(
                    cluster,
                    CONFIG_TOPIC,
                    &key,
                    Some(store::properties_value(props)),
                );
            }
            let count = u32::try_from(generated.len()).unwrap_or(u32::MAX);
            let _ = self.write(
                cluster,
                CONFIG_TOPIC,
                &ConfigKey::Commit(name.to_owned()).text(),
                Some(store::commit_value(count)),
            );
        }
        let task_configs = self.configs.tasks.get(name).cloned().unwrap_or_default();
        let count = u32::try_from(task_configs.len()).unwrap_or(u32::MAX);
        // Tasks beyond the count stop.
        let extra: Vec<u32> = self
            .running
            .get(name)
            .map(|r| r.tasks.keys().copied().filter(|t| *t >= count).collect())
            .unwrap_or_default();
        for task in extra {
            self.stop_task(cluster, coordinator, name, task, Some(State::Destroyed));
        }
        for (task, props) in (0..count).zip(task_configs) {
            let restart = self.restarts.remove(&(name.to_owned(), Some(task)));
            if restart {
                self.stop_task(cluster, coordinator, name, task, None);
            }
            let state = self
                .running
                .get(name)
                .and_then(|r| r.tasks.get(&task))
                .map(|t| t.state);
            match state {
                None => self.start_task(cluster, name, task, plugin, &props, wanted),
                Some(State::Failed) => {}
                Some(s) if s != wanted => {
                    if wanted == State::Paused {
                        self.flush_task(cluster, coordinator, name, task);
                    }
                    if let Some(t) = self
                        .running
                        .get_mut(name)
                        .and_then(|r| r.tasks.get_mut(&task))
                    {
                        t.state = wanted;
                    }
                    self.put_status(cluster, name, Some(task), wanted, None);
                }
                Some(_) => {}
            }
        }
    }

    fn start_task(
        &mut self,
        cluster: &mut Cluster,
        name: &str,
        task: u32,
        plugin: Plugin,
        props: &Properties,
        state: State,
    ) {
        let file = props.get("file").filter(|f| !f.is_empty()).cloned();
        let kind = match plugin.kind {
            ConnectorType::Source => TaskKind::Source(SourceTask {
                file,
                topic: props.get("topic").cloned().unwrap_or_default(),
                batch_size: props
                    .get("batch.size")
                    .and_then(|b| b.trim().parse::<usize>().ok())
                    .unwrap_or(plugins::DEFAULT_BATCH_SIZE)
                    .max(1),
                converter: Converter::from_config(props, "value"),
                position: None,
                flushed: None,
                next_partition: 0,
                warned_missing: false,
            }),
            ConnectorType::Sink => TaskKind::Sink(SinkTask {
                file,
                topics: props
                    .get("topics")
                    .map(|t| {
                        t.split(',')
                            .map(|s| s.trim().to_owned())
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
                converter: Converter::from_config(props, "value"),
                positions: OrdMap::new(),
                committed: OrdMap::new(),
            }),
        };
        let now = cluster.now();
        if let Some(runtime) = self.running.get_mut(name) {
            runtime.tasks.insert(
                task,
                TaskRuntime {
                    state,
                    kind,
                    last_flush: now,
                },
            );
        }
        self.put_status(cluster, name, Some(task), state, None);
    }

    /// Stops every task (flushing offsets), then writes the connector's
    /// status (`None`: leave it) and forgets its runtime.
    fn stop_connector_runtime(
        &mut self,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
        name: &str,
        status: Option<State>,
    ) {
        let tasks: Vec<u32> = self
            .running
            .get(name)
            .map(|r| r.tasks.keys().copied().collect())
            .unwrap_or_default();
        for task in tasks {
            self.stop_task(cluster, coordinator, name, task, status);
        }
        if self.running.remove(name).is_some() {
            if let Some(state) = status {
                self.put_status(cluster, name, None, state, None);
            }
        }
    }

    fn stop_task(
        &mut self,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
        name: &str,
        task: u32,
        status: Option<State>,
    ) {
        self.flush_task(cluster, coordinator, name, task);
        let removed = self
            .running
            .get_mut(name)
            .and_then(|r| r.tasks.remove(&task))
            .is_some();
        if let (true, Some(state)) = (removed, status) {
            self.put_status(cluster, name, Some(task), state, None);
        }
    }

    fn fail_task(&mut self, cluster: &mut Cluster, name: &str, task: u32, trace: String) {
        if let Some(t) = self
            .running
            .get_mut(name)
            .and_then(|r| r.tasks.get_mut(&task))
        {
            t.state = State::Failed;
        }
        self.put_status(cluster, name, Some(task), State::Failed, Some(trace));
    }

    fn run_task(
        &mut self,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
        name: &str,
        task: u32,
    ) {
        let now = cluster.now();
        let Some(runtime) = self
            .running
            .get(name)
            .and_then(|r| r.tasks.get(&task))
            .cloned()
        else {
            return;
        };
        if runtime.state != State::Running {
            return;
        }
        match runtime.kind {
            TaskKind::Source(source) => self.poll_source(cluster, name, task, source),
            TaskKind::Sink(sink) => self.poll_sink(cluster, coordinator, name, task, sink),
        }
        let due = self
            .running
            .get(name)
            .and_then(|r| r.tasks.get(&task))
            .is_some_and(|t| now.since(t.last_flush) >= self.config.offset_flush_interval_ms);
        if due {
            self.flush_task(cluster, coordinator, name, task);
        }
    }

    fn set_kind(&mut self, name: &str, task: u32, kind: TaskKind) {
        if let Some(t) = self
            .running
            .get_mut(name)
            .and_then(|r| r.tasks.get_mut(&task))
        {
            t.kind = kind;
        }
    }

    fn poll_source(
        &mut self,
        cluster: &mut Cluster,
        name: &str,
        task: u32,
        mut source: SourceTask,
    ) {
        let now = cluster.now();
        // No file: Connect would read stdin, which a playground worker has not.
        let Some(file) = source.file.clone() else {
            return;
        };
        let Some(content) = self.files.get(&file) else {
            if !source.warned_missing {
                source.warned_missing = true;
                self.events.push(
                    now,
                    Event::ConnectTaskLog {
                        connector: name.to_owned(),
                        task,
                        message: format!("Couldn't find file {file} for FileStreamSourceTask, sleeping to wait for it to be created"),
                    },
                );
                self.set_kind(name, task, TaskKind::Source(source));
            }
            return;
        };
        let partition_key = ObjectWriter::new().string("filename", &file).finish();
        let start = match source.position {
            Some(p) => p,
            None => {
                let committed = self
                    .offsets
                    .get(name, &partition_key)
                    .and_then(|o| crate::registry::json::parse(o).ok())
                    .and_then(|o| {
                        o.get("position").and_then(|p| match p {
                            crate::registry::json::Json::Number(n) => n.parse::<u64>().ok(),
                            _ => None,
                        })
                    });
                source.flushed = committed;
                committed.unwrap_or(0)
            }
        };
        let (lines, end) = extract_lines(content, start, source.batch_size);
        source.position = Some(end);
        if lines.is_empty() {
            self.set_kind(name, task, TaskKind::Source(source));
            return;
        }
        let topic = source.topic.clone();
        if !cluster.has_topic(&topic) && cluster.config().auto_create_topics_enable {
            let _ = cluster.create_topic(NewTopic::new(topic.clone(), -1, -1));
        }
        let partitions = cluster.partition_count(&topic).unwrap_or(0);
        if partitions < 1 {
            // The producer would block waiting for metadata; lines stay unread.
            source.position = Some(start);
            self.set_kind(name, task, TaskKind::Source(source));
            return;
        }
        let partition = source.next_partition.rem_euclid(partitions);
        source.next_partition = partition + 1;
        let records: Vec<ProducerRecord> = lines
            .iter()
            .map(|line| ProducerRecord {
                key: None,
                value: Some(Bytes::from(source.converter.from_string(line))),
                headers: vec![],
                timestamp: now.0,
            })
            .collect();
        let produced = encode_batch(&records, ProducerStamp::NONE, Compression::None)
            .map_err(|e| e.to_string())
            .and_then(|batch| {
                cluster
                    .produce(&topic, partition, batch, Acks::All, WRITE_TIMEOUT_MS)
                    .map_err(|e| e.message)
            });
        if let Err(error) = produced {
            // Retried at the next poll from the same position.
            source.position = Some(start);
            self.set_kind(name, task, TaskKind::Source(source));
            self.events.push(
                now,
                Event::ConnectTaskLog {
                    connector: name.to_owned(),
                    task,
                    message: format!("Failed to send records to {topic}: {error}"),
                },
            );
            return;
        }
        self.set_kind(name, task, TaskKind::Source(source));
        self.events.push(
            now,
            Event::ConnectRecordsPolled {
                connector: name.to_owned(),
                task,
                records: lines.len(),
                topic: topic.clone(),
                partition,
            },
        );
        self.note_topic(cluster, name, task, &topic);
    }

    /// `status-topic-<topic>:connector-<name>` the first time a connector
    /// uses a topic.
    fn note_topic(&mut self, cluster: &mut Cluster, name: &str, task: u32, topic: &str) {
        if self
            .statuses
            .topics
            .get(name)
            .is_some_and(|t| t.contains(topic))
        {
            return;
        }
        let key = StatusKey::Topic {
            topic: topic.to_owned(),
            connector: name.to_owned(),
        }
        .text();
        let value = store::topic_status_value(topic, name, task, cluster.now().0);
        let _ = self.write(cluster, STATUS_TOPIC, &key, Some(value));
    }

    fn poll_sink(
        &mut self,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
        name: &str,
        task: u32,
        mut sink: SinkTask,
    ) {
        let now = cluster.now();
        let group = format!("connect-{name}");
        let task_count = self.configs.tasks.get(name).map_or(1, Vec::len).max(1);
        let mut all: Vec<TopicPartition> = Vec::new();
        for topic in &sink.topics {
            if let Ok(count) = cluster.partition_count(topic) {
                all.extend((0..count).map(|partition| TopicPartition {
                    topic: topic.clone(),
                    partition,
                }));
            }
        }
        let mine: Vec<TopicPartition> = all
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % task_count == task as usize)
            .map(|(_, tp)| tp)
            .collect();
        let mut lines: Vec<String> = Vec::new();
        let mut failure = None;
        let mut used_topics = OrdSet::new();
        'partitions: for tp in &mine {
            let position = match sink.positions.get(tp) {
                Some(p) => *p,
                None => {
                    let committed = coordinator
                        .fetch_offsets(&group, Some(std::slice::from_ref(tp)))
                        .first()
                        .map_or(-1, |c| c.offset);
                    let p = if committed >= 0 {
                        committed
                    } else {
                        cluster
                            .list_offsets(&tp.topic, tp.partition, OffsetSpec::Earliest)
                            .ok()
                            .flatten()
                            .unwrap_or(0)
                    };
                    sink.committed.insert(tp.clone(), p);
                    p
                }
            };
            let mut next = position;
            if let Ok(data) =
                cluster.fetch_for_client(&tp.topic, tp.partition, position, SINK_FETCH_BYTES)
            {
                let from = position;
                for batch in &data.batches {
                    let Ok(records) = decode_batch(&batch.bytes) else {
                        continue;
                    };
                    for record in records
                        .into_iter()
                        .filter(|r| r.offset >= from && r.offset < data.high_watermark)
                    {
                        match sink.converter.to_text(record.value.as_deref()) {
                            Ok(text) => {
                                lines.push(text);
                                used_topics.insert(tp.topic.clone());
                                next = record.offset + 1;
                            }
                            Err(message) => {
                                failure = Some(message);
                                sink.positions.insert(tp.clone(), next);
                                break 'partitions;
                            }
                        }
                    }
                }
            }
            sink.positions.insert(tp.clone(), next);
        }
        if !lines.is_empty() {
            let file = sink.file.clone().unwrap_or_else(|| "stdout".to_owned());
            let out = self.files.entry(file.clone()).or_default();
            for line in &lines {
                out.extend_from_slice(line.as_bytes());
                out.push(b'\n');
            }
            self.events.push(
                now,
                Event::ConnectRecordsWritten {
                    connector: name.to_owned(),
                    task,
                    records: lines.len(),
                    file,
                },
            );
        }
        self.set_kind(name, task, TaskKind::Sink(sink));
        for topic in used_topics {
            self.note_topic(cluster, name, task, &topic);
        }
        if let Some(message) = failure {
            let trace = format!(
                "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\n\
                 \tat org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator.execAndHandleError(RetryWithToleranceOperator.java:260)\n\
                 \tat org.apache.kafka.connect.runtime.WorkerSinkTask.convertAndTransformRecord(WorkerSinkTask.java:538)\n\
                 Caused by: org.apache.kafka.connect.errors.DataException: {message}\n\
                 \tat org.apache.kafka.connect.json.JsonConverter.toConnectData(JsonConverter.java:333)\n"
            );
            self.fail_task(cluster, name, task, trace);
        }
    }

    /// Commits a task's offsets if they moved: a source task's position to
    /// `connect-offsets`, a sink task's to the `connect-<name>` group.
    fn flush_task(
        &mut self,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
        name: &str,
        task: u32,
    ) {
        let now = cluster.now();
        let Some(runtime) = self
            .running
            .get_mut(name)
            .and_then(|r| r.tasks.get_mut(&task))
        else {
            return;
        };
        runtime.last_flush = now;
        match &mut runtime.kind {
            TaskKind::Source(source) => {
                let (Some(file), Some(position)) = (source.file.clone(), source.position) else {
                    return;
                };
                if source.flushed == Some(position) {
                    return;
                }
                source.flushed = Some(position);
                let partition = ObjectWriter::new().string("filename", &file).finish();
                let offset = ObjectWriter::new()
                    .number("position", i64::try_from(position).unwrap_or(i64::MAX))
                    .finish();
                let key = store::offset_key(name, &partition);
                if self
                    .write(cluster, OFFSET_TOPIC, &key, Some(offset.clone()))
                    .is_ok()
                {
                    self.events.push(
                        now,
                        Event::ConnectOffsetsCommitted {
                            connector: name.to_owned(),
                            task,
                            detail: format!("{key} → {offset} in {OFFSET_TOPIC}"),
                        },
                    );
                }
            }
            TaskKind::Sink(sink) => {
                let moved: Vec<OffsetToCommit> = sink
                    .positions
                    .iter()
                    .filter(|(tp, p)| sink.committed.get(*tp) != Some(*p))
                    .map(|(tp, p)| OffsetToCommit {
                        partition: tp.clone(),
                        offset: *p,
                        leader_epoch: -1,
                        metadata: String::new(),
                    })
                    .collect();
                if moved.is_empty() {
                    return;
                }
                let group = format!("connect-{name}");
                let results = coordinator.commit_offsets(cluster, &group, "", -1, &moved);
                for ((tp, error), o) in results.iter().zip(&moved) {
                    if error.is_none() {
                        sink.committed.insert(tp.clone(), o.offset);
                    }
                }
                let detail = moved
                    .iter()
                    .map(|o| format!("{}={}", o.partition, o.offset))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.events.push(
                    now,
                    Event::ConnectOffsetsCommitted {
                        connector: name.to_owned(),
                        task,
                        detail: format!("{detail} for group {group} in __consumer_offsets"),
                    },
                );
            }
        }
    }

    /// When the worker next has work: its tasks poll every
    /// [`POLL_INTERVAL_MS`] while any runs, and a restart or a new target
    /// state is acted on at once.
    #[must_use]
    pub fn next_wakeup(&self, now: Millis) -> Option<Millis> {
        let pending = !self.restarts.is_empty()
            || self.configs.connectors.len() != self.running.len()
            || self.running.iter().any(|(name, r)| {
                let wanted = match self.configs.target_state(name) {
                    TargetState::Started => State::Running,
                    TargetState::Paused => State::Paused,
                    TargetState::Stopped => State::Stopped,
                };
                r.state != wanted
                    || r.tasks
                        .values()
                        .any(|t| t.state != wanted && t.state != State::Failed)
                    || self.configs.connectors.get(name) != Some(&r.config)
            });
        if pending {
            return Some(now);
        }
        let polling = self
            .running
            .values()
            .any(|r| r.tasks.values().any(|t| t.state == State::Running));
        polling.then(|| now.plus(POLL_INTERVAL_MS))
    }

    /// The running state of a connector's task (for the UI), if running.
    #[must_use]
    pub fn task_runtime_state(&self, name: &str, task: u32) -> Option<State> {
        self.running
            .get(name)
            .and_then(|r| r.tasks.get(&task))
            .map(|t| t.state)
    }

    /// The connector's type, from its class.
    #[must_use]
    pub fn connector_type(&self, name: &str) -> Option<ConnectorType> {
        self.configs
            .connectors
            .get(name)
            .and_then(|c| c.get("connector.class"))
            .and_then(|c| plugins::find(c.trim()))
            .map(|p| p.kind)
    }

    /// REST: see [`rest`].
    pub fn handle(
        &mut self,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
        method: &str,
        path_and_query: &str,
        body: &str,
    ) -> RestResponse {
        rest::handle(self, cluster, coordinator, method, path_and_query, body)
    }
}

/// Every record of a topic's partitions, read from each leader's log to
/// its end: Connect writes its internal topics with `acks=all` and waits,
/// so what its own worker wrote counts as written.
fn read_topic(cluster: &Cluster, topic: &str) -> Vec<(Option<Bytes>, Option<Bytes>)> {
    let mut out = Vec::new();
    let partitions = cluster.partition_count(topic).unwrap_or(0);
    for partition in 0..partitions {
        let Some(log) = cluster
            .leader_of(topic, partition)
            .and_then(|b| cluster.replica_log(topic, partition, b).ok())
        else {
            continue;
        };
        let (start, end) = (log.log_start_offset(), log.log_end_offset());
        let Ok(data) = log.read(start, u64::MAX, end) else {
            continue;
        };
        for batch in &data.batches {
            let Ok(records) = decode_batch(&batch.bytes) else {
                continue;
            };
            out.extend(
                records
                    .into_iter()
                    .filter(|r| r.offset >= start && r.offset < end)
                    .map(|r| (r.key, r.value)),
            );
        }
    }
    out
}

/// Complete lines from `start` (`\n`, `\r\n` or `\r` ends one, as
/// `FileStreamSourceTask.extractLine`; a `\r` at the very end waits for
/// the next byte), at most `max`; returns them and the position after.
fn extract_lines(content: &[u8], start: u64, max: usize) -> (Vec<String>, u64) {
    let mut lines = Vec::new();
    let Ok(mut at) = usize::try_from(start) else {
        return (lines, start);
    };
    if at > content.len() {
        return (lines, start);
    }
    let mut begin = at;
    while at < content.len() && lines.len() < max {
        match content[at] {
            b'\n' => {
                lines.push(String::from_utf8_lossy(&content[begin..at]).into_owned());
                at += 1;
                begin = at;
            }
            b'\r' => {
                if at + 1 >= content.len() {
                    break;
                }
                lines.push(String::from_utf8_lossy(&content[begin..at]).into_owned());
                at += if content[at + 1] == b'\n' { 2 } else { 1 };
                begin = at;
            }
            _ => at += 1,
        }
    }
    (lines, begin as u64)
}

/// A Java `Map.toString()` (`{a=1, b=2}`), as Connect's messages print configs.
fn java_map(config: &Properties) -> String {
    let parts: Vec<String> = config.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests;
