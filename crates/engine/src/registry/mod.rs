//! Confluent Schema Registry on the engine's cluster: subjects, versions
//! and global schema ids, compatibility levels and modes, soft and hard
//! deletes, schema references, every REST endpoint with Confluent's JSON
//! and error codes, and the state kept where Confluent keeps it, in the
//! compacted `_schemas` topic.
//!
//! **One implementation, two doors.** [`SchemaRegistry::handle`] takes a
//! method, a path with its query and a body and answers like Confluent's
//! REST server (status and JSON body, see [`rest`]); the native backend
//! serves it over HTTP and the browser's `curl` console calls it directly.
//! Under it sit typed methods ([`SchemaRegistry::register`],
//! [`SchemaRegistry::schema_by_id`], [`SchemaRegistry::get_version`]…)
//! that the UI and the Avro serializers call without JSON.
//!
//! **Storage.** Every change is a record in `_schemas` (one partition,
//! `cleanup.policy=compact`, replication factor `min(3, brokers)`, created
//! on first start), keyed and valued exactly as Confluent's `KafkaStore`
//! writes them ([`store`]); a permanent delete writes tombstones. A node's
//! state ([`state::RegistryState`]) is nothing but the replay of that topic,
//! so a node started on an existing cluster, or a node that finds the log
//! shorter than what it had read (records lost with an `acks=1`-style
//! leader change), rebuilds from offset 0. Confluent's store produces with
//! `acks=all` and waits until its reader thread has read the record back;
//! the engine is synchronous, so the leader node applies its own record as
//! soon as the partition leader has appended it, and the other nodes read
//! it once it is committed (below the high watermark), at their next
//! request.
//!
//! **Nodes and the leader.** One to three registry nodes share the topic.
//! Confluent elects the leader through Kafka's group protocol (the
//! `schema-registry` group, `leader.eligibility=true` members only); here
//! the election is a deterministic stand-in: the running, eligible node
//! with the lowest id leads, and every change of leader bumps a generation
//! number. A new leader first reads `_schemas` to its end and writes a
//! `NOOP` record, as Confluent's leader does to learn the last offset
//! before it hands out ids. Writes sent to a follower are forwarded to the
//! leader (an event says so); with no eligible node running, writes answer
//! 50004 `Leader not known.` Stopping the leader loses nothing: the next
//! leader's state is the topic.
//!
//! Sources followed (confluentinc/schema-registry): `KafkaSchemaRegistry`
//! (register, lookUp, delete, config and mode rules), `SubjectsResource`,
//! `SubjectVersionsResource`, `SchemasResource`, `ConfigResource`,
//! `ModeResource`, `CompatibilityResource`, `Errors` and the `Rest*Exception`
//! classes, the `storage` key and value classes; rest-utils' JSON exception
//! mappers; `RestApiTest` for the behaviour the tests check.

mod avro_text;
pub mod error;
pub(crate) mod json;
pub mod rest;
pub mod serde;
pub mod state;
pub mod store;
pub mod strategy;

use crate::collections::OrdSet;

use apache_avro::Schema;
use bytes::Bytes;

pub use error::RegistryError;
pub use rest::RestResponse;
pub use state::LookupFilter;
pub use store::{Mode, SchemaReference, SchemaValue};
pub use strategy::SubjectNameStrategy;

use crate::avro::compatibility::{
    check_compatibility_with_references, CompatibilityLevel, PreviousSchema,
};
use crate::clock::Millis;
use crate::cluster::{Acks, Cluster, NewTopic, OffsetSpec};
use crate::events::{Event, EventLog, TimedEvent};
use crate::record::{decode_batch, encode_batch, Compression, ProducerRecord, ProducerStamp};
use state::RegistryState;
use store::{StoreKey, StoreValue, AVRO, TOPIC};

/// Most registry nodes a playground runs.
pub const MAX_NODES: i32 = 3;
/// How long a `_schemas` write may wait for the ISR
/// (`kafkastore.timeout.ms`).
pub const KAFKASTORE_TIMEOUT_MS: i64 = 500;
/// The schema types this registry has a provider for (`GET
/// /schemas/types`). Confluent also ships JSON Schema and Protobuf.
pub const SCHEMA_TYPES: [&str; 1] = [AVRO];

/// Registry settings, with Confluent's names and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryConfig {
    /// How many nodes (1 to 3), ids 1..=n.
    pub nodes: i32,
    /// `schema.compatibility.level` (default `BACKWARD`).
    pub compatibility_level: CompatibilityLevel,
    /// `mode` at start (default `READWRITE`).
    pub mode: Mode,
    /// `kafkastore.topic.replication.factor` (default 3, capped at the
    /// number of brokers).
    pub topic_replication_factor: i16,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        Self {
            nodes: 1,
            compatibility_level: CompatibilityLevel::Backward,
            mode: Mode::ReadWrite,
            topic_replication_factor: store::DEFAULT_REPLICATION_FACTOR,
        }
    }
}

/// One registry node: its replayed state and how far it has read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryNode {
    /// Node id (1..=3).
    pub id: i32,
    /// Whether it is running.
    pub running: bool,
    /// `leader.eligibility`.
    pub leader_eligibility: bool,
    /// The next `_schemas` offset it will read.
    pub next_offset: i64,
    state: RegistryState,
}

impl RegistryNode {
    /// The node's replayed state.
    #[must_use]
    pub fn state(&self) -> &RegistryState {
        &self.state
    }
}

/// `latest` or a version number, as the REST paths take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionId {
    /// The latest live version (`latest` or `-1`).
    Latest,
    /// A version number (1 or more).
    Number(i32),
}

impl VersionId {
    /// `VersionId(String)`: `latest`, `-1` or 1..=2^31-1; anything else is
    /// 42202.
    pub fn parse(text: &str) -> Result<Self, RegistryError> {
        if text == "latest" {
            return Ok(Self::Latest);
        }
        match text.parse::<i32>() {
            Ok(-1) => Ok(Self::Latest),
            Ok(n) if n >= 1 => Ok(Self::Number(n)),
            _ => Err(RegistryError::invalid_version(text)),
        }
    }

    /// The number Confluent reports for it (`-1` for latest).
    #[must_use]
    pub const fn number(self) -> i32 {
        match self {
            Self::Latest => -1,
            Self::Number(n) => n,
        }
    }
}

/// A registration or lookup request (`RegisterSchemaRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterSchemaRequest {
    /// The schema text; `None` or blank re-registers the latest version.
    pub schema: Option<String>,
    /// `schemaType`; `None` is `AVRO`.
    pub schema_type: Option<String>,
    /// References to types registered under other subjects.
    pub references: Vec<SchemaReference>,
    /// The id to register with (IMPORT mode only).
    pub id: Option<i32>,
    /// The version to register as (IMPORT mode).
    pub version: Option<i32>,
}

impl RegisterSchemaRequest {
    /// A request for an Avro schema text.
    #[must_use]
    pub fn avro(schema: impl Into<String>) -> Self {
        Self {
            schema: Some(schema.into()),
            ..Self::default()
        }
    }
}

/// `GET /schemas/ids/{id}`: a schema without subject or version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaString {
    /// `AVRO`…
    pub schema_type: String,
    /// The stored text.
    pub schema: String,
    /// Its references.
    pub references: Vec<SchemaReference>,
}

/// The answer of a compatibility check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompatibilityCheck {
    /// `is_compatible`.
    pub is_compatible: bool,
    /// Why not (the `?verbose=true` messages).
    pub messages: Vec<String>,
}

/// A schema parsed with the schemas its references define, ready for an
/// Avro serializer or deserializer.
#[derive(Debug, Clone)]
pub struct ResolvedSchema {
    /// The id.
    pub id: i32,
    /// The schema.
    pub schema: Schema,
    /// The schemas its references define, dependencies first.
    pub references: Vec<Schema>,
    /// The stored text.
    pub text: String,
}

/// The registry: its nodes, the leader, and the events a learner sees.
#[derive(Debug, Clone)]
pub struct SchemaRegistry {
    config: RegistryConfig,
    nodes: Vec<RegistryNode>,
    leader: Option<i32>,
    generation: i32,
    events: EventLog,
}

/// A schema parsed and in its stored form.
struct Canonical {
    text: String,
    schema: Schema,
    references: Vec<Schema>,
}

impl SchemaRegistry {
    /// Starts the registry on `cluster`: creates `_schemas` if it does not
    /// exist, starts every node (each reads the topic) and elects a leader.
    pub fn start(cluster: &mut Cluster, config: RegistryConfig) -> Result<Self, RegistryError> {
        if !(1..=MAX_NODES).contains(&config.nodes) {
            return Err(RegistryError::not_permitted(format!(
                "A playground registry has 1 to {MAX_NODES} nodes, not {}",
                config.nodes
            )));
        }
        if !cluster.has_topic(TOPIC) {
            let topic = NewTopic::new(TOPIC, 1, config.topic_replication_factor)
                .config("cleanup.policy", "compact");
            cluster.create_internal_topic(topic).map_err(|e| {
                RegistryError::store(&format!(
                    "Failed to create the {TOPIC} topic: {}",
                    e.message
                ))
            })?;
        }
        let nodes = (1..=config.nodes)
            .map(|id| RegistryNode {
                id,
                running: true,
                leader_eligibility: true,
                next_offset: 0,
                state: RegistryState::default(),
            })
            .collect();
        let mut registry = Self {
            config,
            nodes,
            leader: None,
            generation: 0,
            events: EventLog::default(),
        };
        for index in 0..registry.nodes.len() {
            registry.catch_up(cluster, index);
        }
        registry.elect(cluster);
        Ok(registry)
    }

    // ----- nodes and leadership -----------------------------------------

    /// The nodes.
    #[must_use]
    pub fn nodes(&self) -> &[RegistryNode] {
        &self.nodes
    }

    /// The leader's id, if a node leads.
    #[must_use]
    pub fn leader(&self) -> Option<i32> {
        self.leader
    }

    /// Incremented at every change of leader.
    #[must_use]
    pub fn generation(&self) -> i32 {
        self.generation
    }

    /// Takes the registry's events.
    pub fn drain_events(&mut self) -> Vec<TimedEvent> {
        self.events.drain()
    }

    /// Stops a node; if it led, another is elected.
    pub fn stop_node(&mut self, cluster: &mut Cluster, node: i32) -> Result<(), RegistryError> {
        let index = self.node_index(node)?;
        self.nodes[index].running = false;
        self.push(cluster.now(), Event::RegistryNodeStopped { node });
        self.elect(cluster);
        Ok(())
    }

    /// Starts a stopped node: it rebuilds its state from `_schemas` (its
    /// cache did not survive) and joins the election.
    pub fn start_node(&mut self, cluster: &mut Cluster, node: i32) -> Result<(), RegistryError> {
        let index = self.node_index(node)?;
        if !self.nodes[index].running {
            let n = &mut self.nodes[index];
            n.running = true;
            n.state = RegistryState::default();
            n.next_offset = 0;
            self.push(cluster.now(), Event::RegistryNodeStarted { node });
            self.catch_up(cluster, index);
            self.elect(cluster);
        }
        Ok(())
    }

    /// Sets a node's `leader.eligibility` and re-runs the election.
    pub fn set_leader_eligibility(
        &mut self,
        cluster: &mut Cluster,
        node: i32,
        eligible: bool,
    ) -> Result<(), RegistryError> {
        let index = self.node_index(node)?;
        self.nodes[index].leader_eligibility = eligible;
        self.elect(cluster);
        Ok(())
    }

    fn node_index(&self, node: i32) -> Result<usize, RegistryError> {
        self.nodes.iter().position(|n| n.id == node).ok_or_else(|| {
            RegistryError::not_permitted(format!("There is no registry node {node}"))
        })
    }

    /// The deterministic election: the lowest running eligible node.
    fn elect(&mut self, cluster: &mut Cluster) {
        let chosen = self
            .nodes
            .iter()
            .find(|n| n.running && n.leader_eligibility)
            .map(|n| n.id);
        if chosen == self.leader {
            return;
        }
        self.leader = chosen;
        let now = cluster.now();
        let Some(leader) = chosen else {
            self.push(now, Event::RegistryLeaderLost);
            return;
        };
        self.generation += 1;
        self.push(
            now,
            Event::RegistryLeaderElected {
                node: leader,
                generation: self.generation,
            },
        );
        // The new leader reads to the end, then marks the end with a NOOP.
        if let Ok(index) = self.node_index(leader) {
            self.catch_up(cluster, index);
            // A failed NOOP only means the next write finds out the same.
            let _ = self.write(cluster, StoreKey::Noop, None);
        }
    }

    /// The node a request without a node goes to: the leader, else the
    /// first running node.
    fn entry_node(&self) -> Option<i32> {
        self.leader
            .or_else(|| self.nodes.iter().find(|n| n.running).map(|n| n.id))
    }

    // ----- the store ------------------------------------------------------

    /// Reads `_schemas` from the node's position to the high watermark and
    /// applies each record. A log shorter than the position (records lost
    /// in a partition leader change) makes the node reload from 0.
    fn catch_up(&mut self, cluster: &Cluster, index: usize) {
        let now = cluster.now();
        let Some(node) = self.nodes.get_mut(index) else {
            return;
        };
        let (Ok(Some(start)), Ok(Some(end))) = (
            cluster.list_offsets(TOPIC, 0, OffsetSpec::Earliest),
            cluster.list_offsets(TOPIC, 0, OffsetSpec::Latest),
        ) else {
            return;
        };
        let log_end = cluster
            .leader_of(TOPIC, 0)
            .and_then(|b| cluster.replica_log(TOPIC, 0, b).ok())
            .map_or(end, |log| log.log_end_offset());
        if node.next_offset > log_end {
            node.state = RegistryState::default();
            node.next_offset = 0;
            self.events
                .push(now, Event::RegistryStateReloaded { node: node.id });
        }
        let from = node.next_offset.max(start);
        if from >= end {
            return;
        }
        let Ok(data) = cluster.fetch(TOPIC, 0, from, u64::MAX) else {
            return;
        };
        let before = node.next_offset;
        for batch in &data.batches {
            let Ok(records) = decode_batch(&batch.bytes) else {
                continue;
            };
            for record in records
                .into_iter()
                .filter(|r| r.offset >= from && r.offset < end)
            {
                if let Some(key) = record.key.as_deref().and_then(StoreKey::from_bytes) {
                    let value = record
                        .value
                        .as_deref()
                        .and_then(|v| StoreValue::from_bytes(&key, v));
                    node.state.apply(&key, value);
                }
            }
        }
        node.next_offset = end;
        if end > before {
            self.events.push(
                now,
                Event::RegistryCaughtUp {
                    node: node.id,
                    offset: end,
                },
            );
        }
    }

    /// Writes one record to `_schemas` as the leader, and applies it to the
    /// leader's state.
    fn write(
        &mut self,
        cluster: &mut Cluster,
        key: StoreKey,
        value: Option<StoreValue>,
    ) -> Result<(), String> {
        let leader = self.leader.ok_or("no leader")?;
        let index = self.node_index(leader).map_err(|e| e.message)?;
        let record = ProducerRecord {
            key: Some(Bytes::from(key.to_json())),
            value: value.as_ref().map(|v| Bytes::from(v.to_json())),
            headers: vec![],
            timestamp: cluster.now().0,
        };
        let batch = encode_batch(&[record], ProducerStamp::NONE, Compression::None)
            .map_err(|e| e.to_string())?;
        let outcome = cluster
            .produce(TOPIC, 0, batch, Acks::All, KAFKASTORE_TIMEOUT_MS)
            .map_err(|e| e.message)?;
        let base_offset = match outcome {
            crate::cluster::ProduceOutcome::Acknowledged(ack) => Some(ack.base_offset),
            _ => cluster
                .leader_of(TOPIC, 0)
                .and_then(|b| cluster.replica_log(TOPIC, 0, b).ok())
                .map(|log| log.log_end_offset() - 1),
        };
        let node = &mut self.nodes[index];
        node.state.apply(&key, value);
        if base_offset == Some(node.next_offset) {
            node.next_offset += 1;
        }
        Ok(())
    }

    /// [`Self::write`] with Confluent's 50001 on failure.
    fn put(
        &mut self,
        cluster: &mut Cluster,
        key: StoreKey,
        value: Option<StoreValue>,
        operation: &str,
    ) -> Result<(), RegistryError> {
        self.write(cluster, key, value).map_err(|cause| {
            self.events.push(
                cluster.now(),
                Event::RegistryWriteFailed {
                    error: cause.clone(),
                },
            );
            RegistryError::store(operation)
        })
    }

    fn push(&mut self, at: Millis, event: Event) {
        self.events.push(at, event);
    }

    /// The state a request is answered from: the node's, after reading
    /// what is new in `_schemas`.
    fn read_state(
        &mut self,
        cluster: &Cluster,
        node: Option<i32>,
    ) -> Result<&RegistryState, RegistryError> {
        let id = node
            .or_else(|| self.entry_node())
            .ok_or_else(RegistryError::unknown_leader)?;
        let index = self.node_index(id)?;
        if !self.nodes[index].running {
            return Err(RegistryError::unknown_leader());
        }
        self.catch_up(cluster, index);
        Ok(&self.nodes[index].state)
    }

    /// The leader's state for a write, forwarding (with an event) when the
    /// request came to a follower.
    fn leader_state(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        what: &str,
    ) -> Result<&RegistryState, RegistryError> {
        let leader = self.leader.ok_or_else(RegistryError::unknown_leader)?;
        if let Some(via) = via.filter(|v| *v != leader) {
            self.push(
                cluster.now(),
                Event::RegistryRequestForwarded {
                    node: via,
                    leader,
                    request: what.to_owned(),
                },
            );
        }
        let index = self.node_index(leader)?;
        self.catch_up(cluster, index);
        Ok(&self.nodes[index].state)
    }

    fn leader_state_now(&self) -> &RegistryState {
        // Only called after leader_state succeeded, so the leader exists.
        self.leader
            .and_then(|l| self.nodes.iter().find(|n| n.id == l))
            .map_or_else(|| &self.nodes[0].state, |n| &n.state)
    }

    // ----- the API --------------------------------------------------------

    /// `POST /subjects/{subject}/versions`: registers a schema, or returns
    /// the id it already has under the subject. Returns the id.
    pub fn register(
        &mut self,
        cluster: &mut Cluster,
        subject: &str,
        request: &RegisterSchemaRequest,
    ) -> Result<i32, RegistryError> {
        self.register_via(cluster, None, subject, request)
    }

    pub(crate) fn register_via(
        &mut self,
        cluster: &mut Cluster,
        via: Option<i32>,
        subject: &str,
        request: &RegisterSchemaRequest,
    ) -> Result<i32, RegistryError> {
        // registerOrForward: an existing schema is answered by any node,
        // whatever the mode.
        if request.version.unwrap_or(0) == 0 {
            let state = self.read_state(cluster, via)?;
            if let Ok(existing) = lookup_in(state, subject, request, false) {
                if request.id.is_none_or(|id| id < 0 || id == existing.id) {
                    return Ok(existing.id);
                }
            }
        }
        let default_mode = self.config.mode;
        let default_level = self.config.compatibility_level;
        let state = self.leader_state(cluster, via, &format!("register under {subject}"))?;
        state.ensure_writable(Some(subject), default_mode)?;
        let mode = state.mode_in_scope(Some(subject), default_mode);
        let requested_id = request.id.filter(|id| *id >= 0);
        match mode {
            Mode::ReadWrite if requested_id.is_some() => {
                return Err(RegistryError::not_permitted(format!(
                    "Subject {subject} is not in import mode"
                )))
            }
            Mode::Import if requested_id.is_none() => {
                return Err(RegistryError::not_permitted(format!(
                    "Subject {subject} is not in read-write mode"
                )))
            }
            _ => {}
        }
        let all: Vec<&SchemaValue> = state
            .versions(subject, LookupFilter::IncludeDeleted)
            .collect();
        let new_version = all.iter().map(|v| v.version + 1).max().unwrap_or(1);
        let undeleted: Vec<&SchemaValue> = all.iter().copied().filter(|v| !v.deleted).collect();
        let mut request = request.clone();
        if mode != Mode::Import
            && request
                .schema
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            // maybePopulateFromPrevious
            let latest = undeleted
                .last()
                .ok_or_else(|| RegistryError::invalid_schema("Empty schema"))?;
            request.schema = Some(latest.schema.clone());
            request.schema_type = Some(latest.schema_type.clone());
            request.references = latest.references.clone();
        }
        let canonical = canonicalize(state, subject, &request)?;
        let schema_type = request
            .schema_type
            .clone()
            .unwrap_or_else(|| AVRO.to_owned());
        let references = resolve_reference_versions(state, &request.references);
        let identity = (
            schema_type.clone(),
            canonical.text.clone(),
            references.clone(),
        );
        let mut schema_id = requested_id;
        if let Some(&existing_id) = state.ids.get(&identity) {
            if let Some(requested) = requested_id.filter(|r| *r != existing_id) {
                return Err(RegistryError::id_does_not_match(existing_id, requested));
            }
            let live_here = undeleted.iter().find(|v| v.id == existing_id);
            if request.version.unwrap_or(0) == 0 {
                if let Some(v) = live_here {
                    return Ok(v.id);
                }
            }
            schema_id = Some(existing_id);
        }
        let level = state.level_in_scope(Some(subject), default_level);
        if mode != Mode::Import {
            let previous = parse_previous(state, &undeleted)?;
            let views: Vec<PreviousSchema<'_>> = previous
                .iter()
                .map(|(value, parsed)| PreviousSchema {
                    schema: &parsed.schema,
                    text: &value.schema,
                    version: Some(value.version),
                    references: &parsed.references,
                })
                .collect();
            let mut messages = check_compatibility_with_references(
                level,
                &canonical.schema,
                &canonical.references,
                &views,
            );
            if !messages.is_empty() {
                messages.push(format!(
                    "{{validateFields: 'false', compatibility: '{level}'}}"
                ));
                return Err(RegistryError::incompatible(subject, &messages));
            }
        }
        let version = match request.version.filter(|v| *v > 0) {
            None => new_version,
            Some(v) if v != new_version && mode != Mode::Import => {
                return Err(RegistryError::invalid_schema(
                    "Version is not one more than previous version",
                ))
            }
            Some(v) => v,
        };
        let id = match schema_id {
            Some(id) => {
                // checkIfSchemaWithIdExist
                if let Some(other) = state.by_id(id) {
                    if (
                        other.schema_type.as_str(),
                        other.schema.as_str(),
                        &other.references,
                    ) != (schema_type.as_str(), canonical.text.as_str(), &references)
                    {
                        return Err(RegistryError::not_permitted(format!(
                            "Overwrite new schema with id {id} is not permitted."
                        )));
                    }
                }
                id
            }
            None => state.max_id + 1,
        };
        let is_new_id = !state.ids.values().any(|known| *known == id);
        let stale: Vec<i32> = all
            .iter()
            .filter(|v| v.deleted && v.id == id && v.version < version)
            .map(|v| v.version)
            .collect();
        for old in stale {
            self.put(
                cluster,
                StoreKey::Schema {
                    subject: subject.to_owned(),
                    version: old,
                },
                None,
                REGISTER_FAILED,
            )?;
        }
        let value = SchemaValue {
            subject: subject.to_owned(),
            version,
            id,
            schema_type,
            references,
            schema: canonical.text,
            deleted: false,
        };
        self.put(
            cluster,
            StoreKey::Schema {
                subject: subject.to_owned(),
                version,
            },
            Some(StoreValue::Schema(value)),
            REGISTER_FAILED,
        )?;
        self.push(
            cluster.now(),
            Event::SchemaRegistered {
                subject: subject.to_owned(),
                version,
                id,
                new_id: is_new_id,
            },
        );
        Ok(id)
    }

    /// `POST /subjects/{subject}`: the version a schema has under a
    /// subject (`deleted` also finds soft-deleted versions).
    pub fn lookup(
        &mut self,
        cluster: &Cluster,
        subject: &str,
        request: &RegisterSchemaRequest,
        deleted: bool,
    ) -> Result<SchemaValue, RegistryError> {
        self.lookup_via(cluster, None, subject, request, deleted)
    }

    pub(crate) fn lookup_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        subject: &str,
        request: &RegisterSchemaRequest,
        deleted: bool,
    ) -> Result<SchemaValue, RegistryError> {
        let state = self.read_state(cluster, via)?;
        lookup_in(state, subject, request, deleted).cloned()
    }

    /// `GET /subjects`: subjects, sorted, optionally with a prefix.
    pub fn subjects(
        &mut self,
        cluster: &Cluster,
        prefix: Option<&str>,
        filter: LookupFilter,
    ) -> Result<Vec<String>, RegistryError> {
        self.subjects_via(cluster, None, prefix, filter)
    }

    pub(crate) fn subjects_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        prefix: Option<&str>,
        filter: LookupFilter,
    ) -> Result<Vec<String>, RegistryError> {
        let state = self.read_state(cluster, via)?;
        let mut subjects = state.subjects(filter);
        if let Some(prefix) = prefix.filter(|p| *p != ":*:") {
            subjects.retain(|s| s.starts_with(prefix));
        }
        Ok(subjects)
    }

    /// `GET /subjects/{subject}/versions`.
    pub fn list_versions(
        &mut self,
        cluster: &Cluster,
        subject: &str,
        filter: LookupFilter,
    ) -> Result<Vec<i32>, RegistryError> {
        self.list_versions_via(cluster, None, subject, filter)
    }

    pub(crate) fn list_versions_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        subject: &str,
        filter: LookupFilter,
    ) -> Result<Vec<i32>, RegistryError> {
        let state = self.read_state(cluster, via)?;
        if !state.has_subject(subject, filter != LookupFilter::Default) {
            return Err(RegistryError::subject_not_found(subject));
        }
        Ok(state.versions(subject, filter).map(|v| v.version).collect())
    }

    /// `GET /subjects/{subject}/versions/{version}` (`deleted` finds
    /// soft-deleted numbered versions; `latest` is the latest live one).
    pub fn get_version(
        &mut self,
        cluster: &Cluster,
        subject: &str,
        version: VersionId,
        deleted: bool,
    ) -> Result<SchemaValue, RegistryError> {
        self.get_version_via(cluster, None, subject, version, deleted)
    }

    pub(crate) fn get_version_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        subject: &str,
        version: VersionId,
        deleted: bool,
    ) -> Result<SchemaValue, RegistryError> {
        let state = self.read_state(cluster, via)?;
        get_in(state, subject, version, deleted).cloned()
    }

    /// `GET /subjects/{subject}/versions/{version}/referencedby`.
    pub fn referenced_by(
        &mut self,
        cluster: &Cluster,
        subject: &str,
        version: VersionId,
    ) -> Result<Vec<i32>, RegistryError> {
        self.referenced_by_via(cluster, None, subject, version)
    }

    pub(crate) fn referenced_by_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        subject: &str,
        version: VersionId,
    ) -> Result<Vec<i32>, RegistryError> {
        let state = self.read_state(cluster, via)?;
        let schema = get_in(state, subject, version, true)?;
        Ok(state.referenced_by(&schema.subject, schema.version))
    }

    /// `DELETE /subjects/{subject}/versions/{version}`: a soft delete, or
    /// with `permanent` the hard delete of a soft-deleted version. Returns
    /// the version.
    pub fn delete_version(
        &mut self,
        cluster: &mut Cluster,
        subject: &str,
        version: VersionId,
        permanent: bool,
    ) -> Result<i32, RegistryError> {
        self.delete_version_via(cluster, None, subject, version, permanent)
    }

    pub(crate) fn delete_version_via(
        &mut self,
        cluster: &mut Cluster,
        via: Option<i32>,
        subject: &str,
        version: VersionId,
        permanent: bool,
    ) -> Result<i32, RegistryError> {
        let default_mode = self.config.mode;
        let version_text = version.number().to_string();
        let state = self.leader_state(
            cluster,
            via,
            &format!("delete {subject} version {version_text}"),
        )?;
        if let VersionId::Number(n) = version {
            if state.version(subject, n, true).is_some()
                && !permanent
                && state.version(subject, n, false).is_none()
            {
                return Err(RegistryError::version_soft_deleted(subject, &version_text));
            }
        }
        let schema = get_in(state, subject, version, true).map_err(|e| {
            if e.error_code == error::codes::SUBJECT_NOT_FOUND || state.has_subject(subject, true) {
                e
            } else {
                RegistryError::subject_not_found(subject)
            }
        })?;
        let schema = schema.clone();
        state.ensure_writable(Some(subject), default_mode)?;
        if !state.referenced_by(subject, schema.version).is_empty() {
            return Err(RegistryError::reference_exists(subject, schema.version));
        }
        if permanent && !schema.deleted {
            return Err(RegistryError::version_not_soft_deleted(
                subject,
                &schema.version.to_string(),
            ));
        }
        let key = StoreKey::Schema {
            subject: subject.to_owned(),
            version: schema.version,
        };
        if permanent {
            self.put(cluster, key, None, DELETE_VERSION_FAILED)?;
        } else {
            let deleted = SchemaValue {
                deleted: true,
                ..schema.clone()
            };
            self.put(
                cluster,
                key,
                Some(StoreValue::Schema(deleted)),
                DELETE_VERSION_FAILED,
            )?;
            let state = self.leader_state_now();
            if !state.has_subject(subject, false) {
                self.drop_subject_settings(cluster, subject, DELETE_VERSION_FAILED)?;
            }
        }
        self.push(
            cluster.now(),
            Event::SchemaVersionDeleted {
                subject: subject.to_owned(),
                version: schema.version,
                permanent,
            },
        );
        Ok(schema.version)
    }

    /// `DELETE /subjects/{subject}`: soft-deletes every live version, or
    /// with `permanent` hard-deletes a soft-deleted subject. Returns the
    /// versions deleted.
    pub fn delete_subject(
        &mut self,
        cluster: &mut Cluster,
        subject: &str,
        permanent: bool,
    ) -> Result<Vec<i32>, RegistryError> {
        self.delete_subject_via(cluster, None, subject, permanent)
    }

    pub(crate) fn delete_subject_via(
        &mut self,
        cluster: &mut Cluster,
        via: Option<i32>,
        subject: &str,
        permanent: bool,
    ) -> Result<Vec<i32>, RegistryError> {
        let default_mode = self.config.mode;
        let state = self.leader_state(cluster, via, &format!("delete subject {subject}"))?;
        if !state.has_subject(subject, true) {
            return Err(RegistryError::subject_not_found(subject));
        }
        if !permanent && !state.has_subject(subject, false) {
            return Err(RegistryError::subject_soft_deleted(subject));
        }
        state.ensure_writable(Some(subject), default_mode)?;
        let filter = if permanent {
            LookupFilter::IncludeDeleted
        } else {
            LookupFilter::Default
        };
        let mut versions = Vec::new();
        for value in state.versions(subject, filter) {
            if !state.referenced_by(subject, value.version).is_empty() {
                return Err(RegistryError::reference_exists(subject, value.version));
            }
            if permanent && !value.deleted {
                return Err(RegistryError::subject_not_soft_deleted(subject));
            }
            versions.push(value.version);
        }
        if permanent {
            for version in &versions {
                self.put(
                    cluster,
                    StoreKey::Schema {
                        subject: subject.to_owned(),
                        version: *version,
                    },
                    None,
                    DELETE_SUBJECT_FAILED,
                )?;
            }
        } else {
            let last = versions.last().copied().unwrap_or(0);
            let value = StoreValue::DeleteSubject {
                subject: subject.to_owned(),
                version: last,
            };
            self.put(
                cluster,
                StoreKey::DeleteSubject {
                    subject: subject.to_owned(),
                },
                Some(value),
                DELETE_SUBJECT_FAILED,
            )?;
            self.drop_subject_settings(cluster, subject, DELETE_SUBJECT_FAILED)?;
        }
        self.push(
            cluster.now(),
            Event::SubjectDeleted {
                subject: subject.to_owned(),
                versions: versions.clone(),
                permanent,
            },
        );
        Ok(versions)
    }

    /// Tombstones a subject's mode and config, as a delete that leaves no
    /// live version does.
    fn drop_subject_settings(
        &mut self,
        cluster: &mut Cluster,
        subject: &str,
        operation: &str,
    ) -> Result<(), RegistryError> {
        let state = self.leader_state_now();
        let key = Some(subject.to_owned());
        let has_mode = state.modes.contains_key(&key);
        let has_config = state.configs.contains_key(&key);
        if has_mode {
            self.put(
                cluster,
                StoreKey::Mode {
                    subject: key.clone(),
                },
                None,
                operation,
            )?;
        }
        if has_config {
            self.put(cluster, StoreKey::Config { subject: key }, None, operation)?;
        }
        Ok(())
    }

    /// `GET /schemas/ids/{id}`.
    pub fn schema_by_id(
        &mut self,
        cluster: &Cluster,
        id: i32,
    ) -> Result<SchemaString, RegistryError> {
        self.schema_by_id_via(cluster, None, id)
    }

    pub(crate) fn schema_by_id_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        id: i32,
    ) -> Result<SchemaString, RegistryError> {
        let state = self.read_state(cluster, via)?;
        let value = state
            .by_id(id)
            .ok_or_else(|| RegistryError::schema_id_not_found(id))?;
        Ok(SchemaString {
            schema_type: value.schema_type.clone(),
            schema: value.schema.clone(),
            references: value.references.clone(),
        })
    }

    /// The schema with `id`, parsed with its references: what a
    /// deserializer needs for a record's writer schema.
    pub fn resolve_id(
        &mut self,
        cluster: &Cluster,
        id: i32,
    ) -> Result<ResolvedSchema, RegistryError> {
        let state = self.read_state(cluster, None)?;
        let value = state
            .by_id(id)
            .ok_or_else(|| RegistryError::schema_id_not_found(id))?;
        let parsed = parse_stored(state, value)?;
        Ok(ResolvedSchema {
            id,
            schema: parsed.schema,
            references: parsed.references,
            text: value.schema.clone(),
        })
    }

    /// `GET /schemas/ids/{id}/versions` (subject and version pairs).
    pub fn versions_for_id(
        &mut self,
        cluster: &Cluster,
        id: i32,
        deleted: bool,
    ) -> Result<Vec<(String, i32)>, RegistryError> {
        self.versions_for_id_via(cluster, None, id, deleted)
    }

    pub(crate) fn versions_for_id_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        id: i32,
        deleted: bool,
    ) -> Result<Vec<(String, i32)>, RegistryError> {
        let state = self.read_state(cluster, via)?;
        if state.by_id(id).is_none() {
            return Err(RegistryError::schema_id_not_found(id));
        }
        Ok(state
            .versions_with_id(id, deleted)
            .into_iter()
            .map(|v| (v.subject.clone(), v.version))
            .collect())
    }

    /// `GET /config` (`subject` `None`) or `GET /config/{subject}`.
    pub fn get_config(
        &mut self,
        cluster: &Cluster,
        subject: Option<&str>,
        default_to_global: bool,
    ) -> Result<CompatibilityLevel, RegistryError> {
        self.get_config_via(cluster, None, subject, default_to_global)
    }

    pub(crate) fn get_config_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        subject: Option<&str>,
        default_to_global: bool,
    ) -> Result<CompatibilityLevel, RegistryError> {
        let default = self.config.compatibility_level;
        let state = self.read_state(cluster, via)?;
        scoped_setting(
            &state.configs,
            subject,
            default_to_global,
            |scope| state.level_in_scope(scope, default),
            RegistryError::compatibility_not_configured,
        )
    }

    /// `PUT /config[/{subject}]`.
    pub fn set_config(
        &mut self,
        cluster: &mut Cluster,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<(), RegistryError> {
        self.set_config_via(cluster, None, subject, level)
    }

    pub(crate) fn set_config_via(
        &mut self,
        cluster: &mut Cluster,
        via: Option<i32>,
        subject: Option<&str>,
        level: CompatibilityLevel,
    ) -> Result<(), RegistryError> {
        let default_mode = self.config.mode;
        let state = self.leader_state(cluster, via, "update config")?;
        state.ensure_writable(subject, default_mode)?;
        let key = StoreKey::Config {
            subject: subject.map(str::to_owned),
        };
        self.put(
            cluster,
            key,
            Some(StoreValue::Config(level)),
            "Failed to update compatibility level",
        )?;
        self.push(
            cluster.now(),
            Event::RegistryConfigChanged {
                subject: subject.map(str::to_owned),
                level: Some(level.as_str().to_owned()),
            },
        );
        Ok(())
    }

    /// `DELETE /config[/{subject}]`: returns the level removed.
    pub fn delete_config(
        &mut self,
        cluster: &mut Cluster,
        subject: Option<&str>,
    ) -> Result<CompatibilityLevel, RegistryError> {
        self.delete_config_via(cluster, None, subject)
    }

    pub(crate) fn delete_config_via(
        &mut self,
        cluster: &mut Cluster,
        via: Option<i32>,
        subject: Option<&str>,
    ) -> Result<CompatibilityLevel, RegistryError> {
        let default_mode = self.config.mode;
        let default_level = self.config.compatibility_level;
        let state = self.leader_state(cluster, via, "delete config")?;
        let key = subject.map(str::to_owned);
        let removed = match subject {
            Some(s) => *state
                .configs
                .get(&key)
                .ok_or_else(|| RegistryError::subject_not_found(s))?,
            None => state.level_in_scope(None, default_level),
        };
        state.ensure_writable(subject, default_mode)?;
        self.put(
            cluster,
            StoreKey::Config {
                subject: key.clone(),
            },
            None,
            "Failed to delete compatibility level",
        )?;
        self.push(
            cluster.now(),
            Event::RegistryConfigChanged {
                subject: key,
                level: None,
            },
        );
        Ok(removed)
    }

    /// `GET /mode` or `GET /mode/{subject}`.
    pub fn get_mode(
        &mut self,
        cluster: &Cluster,
        subject: Option<&str>,
        default_to_global: bool,
    ) -> Result<Mode, RegistryError> {
        self.get_mode_via(cluster, None, subject, default_to_global)
    }

    pub(crate) fn get_mode_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        subject: Option<&str>,
        default_to_global: bool,
    ) -> Result<Mode, RegistryError> {
        let default = self.config.mode;
        let state = self.read_state(cluster, via)?;
        scoped_setting(
            &state.modes,
            subject,
            default_to_global,
            |scope| state.mode_in_scope(scope, default),
            RegistryError::mode_not_configured,
        )
    }

    /// `PUT /mode[/{subject}]`. Switching to IMPORT needs an empty scope
    /// unless `force`; it then hard-deletes what soft deletes left.
    pub fn set_mode(
        &mut self,
        cluster: &mut Cluster,
        subject: Option<&str>,
        mode: Mode,
        force: bool,
    ) -> Result<(), RegistryError> {
        self.set_mode_via(cluster, None, subject, mode, force)
    }

    pub(crate) fn set_mode_via(
        &mut self,
        cluster: &mut Cluster,
        via: Option<i32>,
        subject: Option<&str>,
        mode: Mode,
        force: bool,
    ) -> Result<(), RegistryError> {
        let default_mode = self.config.mode;
        let state = self.leader_state(cluster, via, "update mode")?;
        const FAILED: &str = "Failed to update mode";
        if mode == Mode::Import
            && state.mode_in_scope(subject, default_mode) != Mode::Import
            && !force
        {
            let in_scope = |s: &str| subject.is_none_or(|wanted| s == wanted);
            let live = state
                .subjects(LookupFilter::Default)
                .into_iter()
                .any(|s| in_scope(&s));
            if live {
                return Err(RegistryError::not_permitted(
                    "Cannot import since found existing subjects",
                ));
            }
            let leftovers: Vec<(String, i32)> = state
                .schemas
                .keys()
                .filter(|(s, _)| in_scope(s))
                .cloned()
                .collect();
            for (s, v) in &leftovers {
                if !state.referenced_by(s, *v).is_empty() {
                    return Err(RegistryError::reference_exists(s, *v));
                }
            }
            for (s, v) in leftovers {
                self.put(
                    cluster,
                    StoreKey::Schema {
                        subject: s,
                        version: v,
                    },
                    None,
                    FAILED,
                )?;
            }
            let subject = subject.map(str::to_owned);
            self.put(
                cluster,
                StoreKey::ClearSubject {
                    subject: subject.clone(),
                },
                Some(StoreValue::ClearSubject { subject }),
                FAILED,
            )?;
        }
        self.put(
            cluster,
            StoreKey::Mode {
                subject: subject.map(str::to_owned),
            },
            Some(StoreValue::Mode(mode)),
            FAILED,
        )?;
        self.push(
            cluster.now(),
            Event::RegistryModeChanged {
                subject: subject.map(str::to_owned),
                mode: Some(mode.as_str().to_owned()),
            },
        );
        Ok(())
    }

    /// `DELETE /mode/{subject}`: returns the mode removed.
    pub fn delete_mode(
        &mut self,
        cluster: &mut Cluster,
        subject: &str,
    ) -> Result<Mode, RegistryError> {
        self.delete_mode_via(cluster, None, subject)
    }

    pub(crate) fn delete_mode_via(
        &mut self,
        cluster: &mut Cluster,
        via: Option<i32>,
        subject: &str,
    ) -> Result<Mode, RegistryError> {
        let state = self.leader_state(cluster, via, "delete mode")?;
        let key = Some(subject.to_owned());
        let removed = *state
            .modes
            .get(&key)
            .ok_or_else(|| RegistryError::subject_not_found(subject))?;
        self.put(
            cluster,
            StoreKey::Mode {
                subject: key.clone(),
            },
            None,
            "Failed to delete mode",
        )?;
        self.push(
            cluster.now(),
            Event::RegistryModeChanged {
                subject: key,
                mode: None,
            },
        );
        Ok(removed)
    }

    /// `POST /compatibility/subjects/{subject}/versions/{version}` (against
    /// that version only; `latest` against the latest) or, with `version`
    /// `None`, `…/versions` (against every live version, as a registration
    /// would be checked). An incompatible schema is an answer, not an error.
    pub fn test_compatibility(
        &mut self,
        cluster: &Cluster,
        subject: &str,
        version: Option<VersionId>,
        request: &RegisterSchemaRequest,
    ) -> Result<CompatibilityCheck, RegistryError> {
        self.test_compatibility_via(cluster, None, subject, version, request)
    }

    pub(crate) fn test_compatibility_via(
        &mut self,
        cluster: &Cluster,
        via: Option<i32>,
        subject: &str,
        version: Option<VersionId>,
        request: &RegisterSchemaRequest,
    ) -> Result<CompatibilityCheck, RegistryError> {
        let default_level = self.config.compatibility_level;
        let state = self.read_state(cluster, via)?;
        let previous: Vec<&SchemaValue> = match version {
            None => state.versions(subject, LookupFilter::Default).collect(),
            Some(VersionId::Latest) => state.latest(subject).into_iter().collect(),
            Some(VersionId::Number(n)) => match state.version(subject, n, false) {
                Some(v) => vec![v],
                None if !state.has_subject(subject, false) => {
                    return Err(RegistryError::subject_not_found(subject))
                }
                None => return Err(RegistryError::version_not_found(n)),
            },
        };
        if request
            .schema
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            return Err(RegistryError::invalid_schema("Empty schema"));
        }
        let canonical = canonicalize(state, subject, request)?;
        let level = state.level_in_scope(Some(subject), default_level);
        let parsed = parse_previous(state, &previous)?;
        let views: Vec<PreviousSchema<'_>> = parsed
            .iter()
            .map(|(value, p)| PreviousSchema {
                schema: &p.schema,
                text: &value.schema,
                version: Some(value.version),
                references: &p.references,
            })
            .collect();
        let mut messages = check_compatibility_with_references(
            level,
            &canonical.schema,
            &canonical.references,
            &views,
        );
        if !messages.is_empty() {
            messages.push(format!(
                "{{validateFields: 'false', compatibility: '{level}'}}"
            ));
        }
        Ok(CompatibilityCheck {
            is_compatible: messages.is_empty(),
            messages,
        })
    }

    /// `POST /subjects/{subject}/versions` through REST on a chosen node
    /// (the UI's "send to node 2").
    pub fn handle_on(
        &mut self,
        cluster: &mut Cluster,
        node: i32,
        method: &str,
        path_and_query: &str,
        body: &str,
    ) -> RestResponse {
        rest::handle(self, cluster, Some(node), method, path_and_query, body)
    }

    /// Answers one REST request as Confluent's server would, on the leader
    /// (or the first running node).
    pub fn handle(
        &mut self,
        cluster: &mut Cluster,
        method: &str,
        path_and_query: &str,
        body: &str,
    ) -> RestResponse {
        rest::handle(self, cluster, None, method, path_and_query, body)
    }
}

const REGISTER_FAILED: &str = "Register schema operation failed while writing to the Kafka store";
const DELETE_VERSION_FAILED: &str =
    "Delete Schema Version operation failed while writing to the Kafka store";
const DELETE_SUBJECT_FAILED: &str =
    "Delete Subject operation failed while writing to the Kafka store";

/// `get(subject, version, lookupDeleted)` with the resource's 40401/40402.
fn get_in<'s>(
    state: &'s RegistryState,
    subject: &str,
    version: VersionId,
    deleted: bool,
) -> Result<&'s SchemaValue, RegistryError> {
    let found = match version {
        VersionId::Latest => state.latest(subject),
        VersionId::Number(n) => state.version(subject, n, deleted),
    };
    found.ok_or_else(|| {
        if state.has_subject(subject, deleted) {
            RegistryError::version_not_found(version.number())
        } else {
            RegistryError::subject_not_found(subject)
        }
    })
}

/// `lookUpSchemaUnderSubject` with the resource's errors.
fn lookup_in<'s>(
    state: &'s RegistryState,
    subject: &str,
    request: &RegisterSchemaRequest,
    deleted: bool,
) -> Result<&'s SchemaValue, RegistryError> {
    if request
        .schema
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        return Err(RegistryError::invalid_schema("Empty schema"));
    }
    let canonical = canonicalize(state, subject, request)?;
    let schema_type = request.schema_type.as_deref().unwrap_or(AVRO);
    let references = resolve_reference_versions(state, &request.references);
    let found = state
        .versions(
            subject,
            if deleted {
                LookupFilter::IncludeDeleted
            } else {
                LookupFilter::Default
            },
        )
        .find(|v| {
            v.schema_type == schema_type && v.schema == canonical.text && v.references == references
        });
    match found {
        Some(v) => Ok(v),
        None if !state.has_subject(subject, deleted) => {
            Err(RegistryError::subject_not_found(subject))
        }
        None => Err(RegistryError::schema_not_found()),
    }
}

/// References with `-1` (latest) replaced by the latest version's number.
fn resolve_reference_versions(
    state: &RegistryState,
    references: &[SchemaReference],
) -> Vec<SchemaReference> {
    references
        .iter()
        .map(|r| {
            let version = if r.version == -1 {
                state.latest(&r.subject).map_or(-1, |v| v.version)
            } else {
                r.version
            };
            SchemaReference {
                version,
                ..r.clone()
            }
        })
        .collect()
}

/// The schema texts a schema's references stand for, dependencies first,
/// each once.
fn reference_texts(
    state: &RegistryState,
    references: &[SchemaReference],
    out: &mut Vec<(SchemaReference, String)>,
    depth: usize,
) -> Result<(), String> {
    if depth > 32 {
        return Err("schema references nest more than 32 deep".to_owned());
    }
    for reference in references {
        let version = if reference.version == -1 {
            state.latest(&reference.subject).map(|v| v.version)
        } else {
            Some(reference.version)
        };
        let value = version
            .and_then(|v| state.version(&reference.subject, v, true))
            .ok_or_else(|| {
                format!(
                    "No schema reference found for subject \"{}\" and version {}",
                    reference.subject, reference.version
                )
            })?;
        if out
            .iter()
            .any(|(r, _)| r.subject == value.subject && r.version == value.version)
        {
            continue;
        }
        reference_texts(state, &value.references, out, depth + 1)?;
        let resolved = SchemaReference {
            name: reference.name.clone(),
            subject: value.subject.clone(),
            version: value.version,
        };
        out.push((resolved, value.schema.clone()));
    }
    Ok(())
}

/// Parses a request's schema with its references and computes the text
/// the registry stores (`canonicalizeSchema`); 42201 when it is no schema.
fn canonicalize(
    state: &RegistryState,
    subject: &str,
    request: &RegisterSchemaRequest,
) -> Result<Canonical, RegistryError> {
    let text = request.schema.as_deref().unwrap_or_default();
    let schema_type = request.schema_type.as_deref().unwrap_or(AVRO);
    if schema_type != AVRO {
        return Err(RegistryError::invalid_schema(format!(
            "Invalid schema type {schema_type}"
        )));
    }
    let invalid = |details: &str| {
        let refs = request
            .references
            .iter()
            .map(|r| {
                format!(
                    "{{name='{}', subject='{}', version={}}}",
                    r.name, r.subject, r.version
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        RegistryError::invalid_schema(format!(
            "Invalid schema {{subject={subject},version={},id={},schemaType={schema_type},references=[{refs}],schema={text}}} with refs [{refs}] of type {schema_type}, details: {details}",
            request.version.unwrap_or(0),
            request.id.unwrap_or(-1),
        ))
    };
    parse_with_references(state, text, &request.references).map_err(|e| invalid(&e))
}

/// Parses `text` against its references and prints Java's form.
fn parse_with_references(
    state: &RegistryState,
    text: &str,
    references: &[SchemaReference],
) -> Result<Canonical, String> {
    let mut texts = Vec::new();
    reference_texts(state, references, &mut texts, 0)?;
    let (schema, reference_schemas) = crate::avro::parse::parse_schema_with_references(
        text,
        texts.iter().map(|(_, t)| t.as_str()),
    )
    .map_err(|e| e.to_string())?;
    let mut known = OrdSet::new();
    for (_, reference_text) in &texts {
        if let Ok(json) = json::parse(reference_text) {
            avro_text::defined_names(&json, None, &mut known, 0);
        }
    }
    let json = json::parse(text)?;
    let text = avro_text::java_schema_string(&json, &known)?;
    Ok(Canonical {
        text,
        schema,
        references: reference_schemas,
    })
}

/// A stored version parsed with its references.
fn parse_stored(state: &RegistryState, value: &SchemaValue) -> Result<Canonical, RegistryError> {
    parse_with_references(state, &value.schema, &value.references).map_err(|e| {
        RegistryError::store(&format!(
            "Error while retrieving schema with id {} from the backend Kafka store: {e}",
            value.id
        ))
    })
}

/// Earlier versions parsed for a compatibility check.
fn parse_previous<'s>(
    state: &RegistryState,
    versions: &[&'s SchemaValue],
) -> Result<Vec<(&'s SchemaValue, Canonical)>, RegistryError> {
    versions
        .iter()
        .map(|v| parse_stored(state, v).map(|c| (*v, c)))
        .collect()
}

/// `GET /config[/{subject}]` and `GET /mode[/{subject}]` alike: the global
/// setting, the one in effect for a subject (`defaultToGlobal=true`), or
/// the subject's own, `not_configured` when it has none.
fn scoped_setting<T: Copy>(
    own: &state::Scoped<T>,
    subject: Option<&str>,
    default_to_global: bool,
    in_scope: impl Fn(Option<&str>) -> T,
    not_configured: impl Fn(&str) -> RegistryError,
) -> Result<T, RegistryError> {
    match subject {
        None => Ok(in_scope(None)),
        Some(s) if default_to_global => Ok(in_scope(Some(s))),
        Some(s) => own
            .get(&Some(s.to_owned()))
            .copied()
            .ok_or_else(|| not_configured(s)),
    }
}

#[cfg(test)]
mod tests;
