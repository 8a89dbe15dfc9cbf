//! The typed stream of everything that happens in the engine.
//!
//! Every state change the UI animates and the tests assert on is an
//! [`Event`], stamped with the engine time it happened at. Components push
//! events into an [`EventLog`]; the UI drains it after each step. Names
//! follow Kafka's vocabulary (leader, ISR, high watermark, segment) so a
//! learner can look each one up in Kafka's documentation.

use std::fmt;

use crate::clock::Millis;
use crate::group::assignor::TopicPartition;
use crate::log::RetentionReason;

/// A broker's id (`node.id`).
pub type BrokerId = i32;

/// Why a partition's in-sync replica set changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IsrChangeReason {
    /// A follower did not catch up for `replica.lag.time.max.ms`.
    FollowerLagging,
    /// A follower caught up with the leader's high watermark again.
    FollowerCaughtUp,
    /// The broker was stopped (controlled shutdown removes it at once).
    BrokerStopped,
    /// The controller fenced the broker after `broker.session.timeout.ms`
    /// without hearing from it.
    BrokerFenced,
}

/// Why a member left its consumer group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberRemovedReason {
    /// No heartbeat within `session.timeout.ms`: the consumer crashed or hung.
    SessionExpired {
        /// The member's session timeout.
        session_timeout_ms: i64,
    },
    /// It sent LeaveGroup (close, unsubscribe, poll timeout).
    Left {
        /// The client's reason.
        reason: String,
    },
    /// It did not rejoin before the rebalance timeout (`max.poll.interval.ms`).
    DidNotRejoin,
}

fn tp_list(partitions: &[TopicPartition]) -> String {
    partitions
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Something that happened, in Kafka's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A Kafka Connect connector was created (its config is in `connect-configs`).
    ConnectorCreated {
        /// The connector.
        connector: String,
        /// Its `connector.class`.
        class: String,
    },
    /// A connector was deleted (tombstones in `connect-configs`).
    ConnectorDeleted {
        /// The connector.
        connector: String,
    },
    /// A connector's status changed (`connect-status`).
    ConnectorStateChanged {
        /// The connector.
        connector: String,
        /// RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING.
        state: String,
    },
    /// A connector task's status changed (`connect-status`).
    ConnectTaskStateChanged {
        /// The connector.
        connector: String,
        /// The task number.
        task: u32,
        /// The new state.
        state: String,
    },
    /// A source task polled records and produced them to a topic.
    ConnectRecordsPolled {
        /// The connector.
        connector: String,
        /// The task number.
        task: u32,
        /// How many records.
        records: usize,
        /// The topic they went to.
        topic: String,
        /// The partition.
        partition: i32,
    },
    /// A sink task wrote records to its file.
    ConnectRecordsWritten {
        /// The connector.
        connector: String,
        /// The task number.
        task: u32,
        /// How many records.
        records: usize,
        /// The file.
        file: String,
    },
    /// A task's offsets were committed (source: `connect-offsets`; sink:
    /// the `connect-<name>` group in `__consumer_offsets`).
    ConnectOffsetsCommitted {
        /// The connector.
        connector: String,
        /// The task number.
        task: u32,
        /// Where and what, e.g. `{"position":42} to connect-offsets`.
        detail: String,
    },
    /// A line a task logged (a WARN the worker's log would show).
    ConnectTaskLog {
        /// The connector.
        connector: String,
        /// The task number.
        task: u32,
        /// The message.
        message: String,
    },
    /// A broker started (or restarted) and joined the cluster.
    BrokerStarted {
        /// The broker.
        broker: BrokerId,
    },
    /// The Schema Registry wrote a new version (`_schemas` has the record).
    SchemaRegistered {
        /// The subject.
        subject: String,
        /// The version under the subject.
        version: i32,
        /// The global schema id.
        id: i32,
        /// Whether the id is new (false: the same schema was already known).
        new_id: bool,
    },
    /// A version was soft- or hard-deleted.
    SchemaVersionDeleted {
        /// The subject.
        subject: String,
        /// The version.
        version: i32,
        /// A hard delete (tombstone) rather than a soft delete.
        permanent: bool,
    },
    /// A subject was soft- or hard-deleted.
    SubjectDeleted {
        /// The subject.
        subject: String,
        /// The versions deleted.
        versions: Vec<i32>,
        /// A hard delete (tombstones) rather than a soft delete.
        permanent: bool,
    },
    /// A compatibility level was set (`level` `Some`) or removed.
    RegistryConfigChanged {
        /// The subject, or `None` for the global level.
        subject: Option<String>,
        /// The new level.
        level: Option<String>,
    },
    /// A mode was set (`mode` `Some`) or removed.
    RegistryModeChanged {
        /// The subject, or `None` for the global mode.
        subject: Option<String>,
        /// The new mode.
        mode: Option<String>,
    },
    /// A registry node became the leader.
    RegistryLeaderElected {
        /// The node.
        node: i32,
        /// The election's generation.
        generation: i32,
    },
    /// No registry node can lead: writes fail until one can.
    RegistryLeaderLost,
    /// A registry node was stopped.
    RegistryNodeStopped {
        /// The node.
        node: i32,
    },
    /// A registry node was started.
    RegistryNodeStarted {
        /// The node.
        node: i32,
    },
    /// A registry node read `_schemas` up to `offset`.
    RegistryCaughtUp {
        /// The node.
        node: i32,
        /// The next offset it will read.
        offset: i64,
    },
    /// A registry node found `_schemas` shorter than what it had read and
    /// rebuilt its state from the start.
    RegistryStateReloaded {
        /// The node.
        node: i32,
    },
    /// A follower passed a write on to the leader.
    RegistryRequestForwarded {
        /// The follower.
        node: i32,
        /// The leader.
        leader: i32,
        /// What was asked.
        request: String,
    },
    /// A write to `_schemas` failed.
    RegistryWriteFailed {
        /// The broker's reason.
        error: String,
    },
    /// A broker was stopped.
    BrokerStopped {
        /// The broker.
        broker: BrokerId,
    },
    /// A broker was cut off from the network (fault injection).
    BrokerIsolated {
        /// The broker.
        broker: BrokerId,
    },
    /// An isolated broker's network came back.
    BrokerHealed {
        /// The broker.
        broker: BrokerId,
    },
    /// The controller fenced a broker it had not heard from.
    BrokerFenced {
        /// The broker.
        broker: BrokerId,
    },
    /// A topic was created.
    TopicCreated {
        /// Topic name.
        topic: String,
        /// Number of partitions.
        partitions: i32,
        /// Replication factor.
        replication_factor: i16,
        /// An internal topic (`__consumer_offsets`, `_schemas`, ...).
        internal: bool,
    },
    /// A topic was deleted with all its data.
    TopicDeleted {
        /// Topic name.
        topic: String,
    },
    /// Partitions were added to a topic (keys may now map elsewhere).
    PartitionsAdded {
        /// Topic name.
        topic: String,
        /// Partition count before.
        from: i32,
        /// Partition count after.
        to: i32,
    },
    /// Topic configs were altered.
    ConfigsAltered {
        /// Topic name.
        topic: String,
    },
    /// A partition got a new leader (or lost it: `leader` is `None`).
    LeaderChanged {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The new leader, if any replica could lead.
        leader: Option<BrokerId>,
        /// The new leader epoch.
        leader_epoch: i32,
        /// Elected from outside the ISR (`unclean.leader.election.enable`):
        /// acknowledged records may be lost.
        unclean: bool,
    },
    /// A partition's in-sync replica set changed.
    IsrChanged {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The new ISR.
        isr: Vec<BrokerId>,
        /// Why.
        reason: IsrChangeReason,
    },
    /// The leader appended a batch.
    BatchAppended {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The leader that appended it.
        broker: BrokerId,
        /// Offset of its first record.
        first_offset: i64,
        /// Offset of its last record.
        last_offset: i64,
        /// Bytes in the log.
        size_bytes: u64,
    },
    /// The leader recompressed a batch to the topic's `compression.type`.
    BatchRecompressed {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The producer's codec.
        from: String,
        /// The topic's codec.
        to: String,
        /// Batch size as produced.
        bytes_before: u64,
        /// Batch size as stored.
        bytes_after: u64,
    },
    /// The leader recognised a retried batch of an idempotent producer and
    /// answered with the original offsets instead of writing it again.
    DuplicateBatch {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The producer.
        producer_id: i64,
        /// Sequence number of the batch's first record.
        first_sequence: i32,
        /// Offset the batch was first written at.
        first_offset: i64,
    },
    /// A follower copied batches from the leader.
    Replicated {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The follower.
        broker: BrokerId,
        /// Its log-end offset afterwards.
        log_end_offset: i64,
    },
    /// A follower removed records the new leader does not have.
    Truncated {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The follower.
        broker: BrokerId,
        /// Its log-end offset afterwards.
        log_end_offset: i64,
        /// How many records went.
        records_removed: i64,
    },
    /// The high watermark moved: records below it are now readable.
    HighWatermarkAdvanced {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The new high watermark.
        high_watermark: i64,
    },
    /// A replica's active segment rolled.
    SegmentRolled {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The replica's broker.
        broker: BrokerId,
        /// Base offset of the segment that closed.
        closed_base_offset: i64,
    },
    /// The log cleaner compacted a replica (`cleanup.policy=compact`).
    Compacted {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The replica's broker.
        broker: BrokerId,
        /// Records removed because a later one has the same key.
        records_removed: u64,
        /// Tombstones removed after `delete.retention.ms`.
        tombstones_removed: u64,
        /// Bytes of the cleaned range before and after.
        bytes_before: u64,
        /// See `bytes_before`.
        bytes_after: u64,
        /// Offsets of the removed records.
        removed_offsets: Vec<i64>,
    },
    /// A producer opened a new batch in its record accumulator.
    ProducerBatchCreated {
        /// The producer's `client.id`.
        client_id: String,
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
    },
    /// A producer sent a batch (first attempt or retry).
    ProducerBatchSent {
        /// The producer's `client.id`.
        client_id: String,
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// Records in the batch.
        records: usize,
        /// Size before compression.
        uncompressed_bytes: u64,
        /// Size on the wire (after `compression.type`).
        wire_bytes: u64,
        /// 1 for the first send, more for retries.
        attempt: u32,
    },
    /// A producer will retry a batch after a retriable error.
    ProducerRetry {
        /// The producer's `client.id`.
        client_id: String,
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The attempt that failed.
        attempt: u32,
        /// Kafka's name of the error.
        error: String,
    },
    /// A producer gave up on a batch; its records' delivery reports fail.
    ProducerDeliveryFailed {
        /// The producer's `client.id`.
        client_id: String,
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// Records in the batch.
        records: usize,
        /// The client's error text.
        error: String,
    },
    /// Fault injection lost a produce request on its way to the broker.
    RequestDropped {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
    },
    /// Fault injection held a produce request up.
    RequestDelayed {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// How late it will arrive.
        delay_ms: i64,
    },
    /// Fault injection lost the broker's response (the batch *was* written).
    ResponseDropped {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
    },
    /// DeleteRecords moved a partition's log-start offset up: the records
    /// below it are gone for every reader.
    RecordsDeleted {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The new log-start offset (the low watermark).
        log_start_offset: i64,
    },
    /// Retention deleted a segment.
    SegmentDeleted {
        /// Topic name.
        topic: String,
        /// Partition index.
        partition: i32,
        /// The replica's broker.
        broker: BrokerId,
        /// The segment's base offset.
        base_offset: i64,
        /// The replica's new log-start offset.
        log_start_offset: i64,
        /// Why it went.
        reason: RetentionReason,
    },
    /// A member joined a consumer group: its JoinGroup was accepted.
    MemberJoined {
        /// `group.id`.
        group: String,
        /// The member id the coordinator gave it.
        member_id: String,
        /// The member's `client.id`.
        client_id: String,
        /// `group.instance.id` of a static member.
        group_instance_id: Option<String>,
    },
    /// The coordinator started a rebalance: every member must rejoin.
    RebalanceStarted {
        /// `group.id`.
        group: String,
        /// Why, in the words Kafka's coordinator logs.
        reason: String,
    },
    /// Every member rejoined (or the rebalance timeout passed): a new
    /// generation with its leader, which now computes the assignment.
    GenerationStarted {
        /// `group.id`.
        group: String,
        /// The new generation id.
        generation: i32,
        /// The leader's member id.
        leader: String,
        /// The chosen assignor (`range`, `cooperative-sticky`, ...).
        protocol: String,
        /// Member ids in the generation.
        members: Vec<String>,
    },
    /// The group leader ran the assignor.
    AssignmentComputed {
        /// `group.id`.
        group: String,
        /// The generation it is for.
        generation: i32,
        /// The leader's member id.
        leader: String,
        /// The assignor.
        assignor: String,
        /// Each member's partitions.
        assignment: Vec<(String, Vec<TopicPartition>)>,
    },
    /// The leader's SyncGroup arrived: every member has its assignment.
    GroupStable {
        /// `group.id`.
        group: String,
        /// The generation.
        generation: i32,
    },
    /// A member was removed from its group.
    MemberRemoved {
        /// `group.id`.
        group: String,
        /// The member id.
        member_id: String,
        /// Why.
        reason: MemberRemovedReason,
    },
    /// The last member left: the group is Empty (its offsets stay).
    GroupEmpty {
        /// `group.id`.
        group: String,
        /// The generation it ended at.
        generation: i32,
    },
    /// A consumer gave up partitions (`onPartitionsRevoked`): eagerly all of
    /// them before rejoining, cooperatively only those that move.
    PartitionsRevoked {
        /// `group.id`.
        group: String,
        /// The consumer's `client.id`.
        client_id: String,
        /// The partitions.
        partitions: Vec<TopicPartition>,
    },
    /// A consumer received partitions (`onPartitionsAssigned`).
    PartitionsAssigned {
        /// `group.id`.
        group: String,
        /// The consumer's `client.id`.
        client_id: String,
        /// The generation.
        generation: i32,
        /// The partitions newly assigned (cooperative) or all of them (eager).
        partitions: Vec<TopicPartition>,
    },
    /// A consumer lost its partitions without a chance to commit
    /// (`onPartitionsLost`): it was removed from the group.
    PartitionsLost {
        /// `group.id`.
        group: String,
        /// The consumer's `client.id`.
        client_id: String,
        /// The partitions.
        partitions: Vec<TopicPartition>,
    },
    /// A consumer left its group on its own, e.g. after
    /// `max.poll.interval.ms` without a `poll()`.
    ConsumerLeftGroup {
        /// `group.id`.
        group: String,
        /// The consumer's `client.id`.
        client_id: String,
        /// The client's own log line.
        reason: String,
    },
    /// A group without members was deleted (DeleteGroups): tombstones for
    /// its offsets and metadata appended to `__consumer_offsets`.
    GroupDeleted {
        /// `group.id`.
        group: String,
        /// The `__consumer_offsets` partition the tombstones went to.
        partition: i32,
        /// How many committed offsets it had.
        offsets: usize,
    },
    /// Offsets were committed: records appended to `__consumer_offsets`.
    OffsetsCommitted {
        /// `group.id`.
        group: String,
        /// The `__consumer_offsets` partition they went to.
        partition: i32,
        /// Each partition's committed offset.
        offsets: Vec<(TopicPartition, i64)>,
    },
}

impl Event {
    /// The variant's name (`TopicCreated`, `MemberJoined`, …): the kind
    /// the UI filters and styles events by.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Event::ConnectorCreated { .. } => "ConnectorCreated",
            Event::ConnectorDeleted { .. } => "ConnectorDeleted",
            Event::ConnectorStateChanged { .. } => "ConnectorStateChanged",
            Event::ConnectTaskStateChanged { .. } => "ConnectTaskStateChanged",
            Event::ConnectRecordsPolled { .. } => "ConnectRecordsPolled",
            Event::ConnectRecordsWritten { .. } => "ConnectRecordsWritten",
            Event::ConnectOffsetsCommitted { .. } => "ConnectOffsetsCommitted",
            Event::ConnectTaskLog { .. } => "ConnectTaskLog",
            Event::BrokerStarted { .. } => "BrokerStarted",
            Event::SchemaRegistered { .. } => "SchemaRegistered",
            Event::SchemaVersionDeleted { .. } => "SchemaVersionDeleted",
            Event::SubjectDeleted { .. } => "SubjectDeleted",
            Event::RegistryConfigChanged { .. } => "RegistryConfigChanged",
            Event::RegistryModeChanged { .. } => "RegistryModeChanged",
            Event::RegistryLeaderElected { .. } => "RegistryLeaderElected",
            Event::RegistryLeaderLost => "RegistryLeaderLost",
            Event::RegistryNodeStopped { .. } => "RegistryNodeStopped",
            Event::RegistryNodeStarted { .. } => "RegistryNodeStarted",
            Event::RegistryCaughtUp { .. } => "RegistryCaughtUp",
            Event::RegistryStateReloaded { .. } => "RegistryStateReloaded",
            Event::RegistryRequestForwarded { .. } => "RegistryRequestForwarded",
            Event::RegistryWriteFailed { .. } => "RegistryWriteFailed",
            Event::BrokerStopped { .. } => "BrokerStopped",
            Event::BrokerIsolated { .. } => "BrokerIsolated",
            Event::BrokerHealed { .. } => "BrokerHealed",
            Event::BrokerFenced { .. } => "BrokerFenced",
            Event::TopicCreated { .. } => "TopicCreated",
            Event::TopicDeleted { .. } => "TopicDeleted",
            Event::PartitionsAdded { .. } => "PartitionsAdded",
            Event::ConfigsAltered { .. } => "ConfigsAltered",
            Event::LeaderChanged { .. } => "LeaderChanged",
            Event::IsrChanged { .. } => "IsrChanged",
            Event::BatchAppended { .. } => "BatchAppended",
            Event::BatchRecompressed { .. } => "BatchRecompressed",
            Event::DuplicateBatch { .. } => "DuplicateBatch",
            Event::Replicated { .. } => "Replicated",
            Event::Truncated { .. } => "Truncated",
            Event::HighWatermarkAdvanced { .. } => "HighWatermarkAdvanced",
            Event::SegmentRolled { .. } => "SegmentRolled",
            Event::Compacted { .. } => "Compacted",
            Event::ProducerBatchCreated { .. } => "ProducerBatchCreated",
            Event::ProducerBatchSent { .. } => "ProducerBatchSent",
            Event::ProducerRetry { .. } => "ProducerRetry",
            Event::ProducerDeliveryFailed { .. } => "ProducerDeliveryFailed",
            Event::RequestDropped { .. } => "RequestDropped",
            Event::RequestDelayed { .. } => "RequestDelayed",
            Event::ResponseDropped { .. } => "ResponseDropped",
            Event::SegmentDeleted { .. } => "SegmentDeleted",
            Event::RecordsDeleted { .. } => "RecordsDeleted",
            Event::MemberJoined { .. } => "MemberJoined",
            Event::RebalanceStarted { .. } => "RebalanceStarted",
            Event::GenerationStarted { .. } => "GenerationStarted",
            Event::AssignmentComputed { .. } => "AssignmentComputed",
            Event::GroupStable { .. } => "GroupStable",
            Event::MemberRemoved { .. } => "MemberRemoved",
            Event::GroupEmpty { .. } => "GroupEmpty",
            Event::PartitionsRevoked { .. } => "PartitionsRevoked",
            Event::PartitionsAssigned { .. } => "PartitionsAssigned",
            Event::PartitionsLost { .. } => "PartitionsLost",
            Event::ConsumerLeftGroup { .. } => "ConsumerLeftGroup",
            Event::OffsetsCommitted { .. } => "OffsetsCommitted",
            Event::GroupDeleted { .. } => "GroupDeleted",
        }
    }
}

impl fmt::Display for Event {
    /// One sentence in Kafka's vocabulary, for the UI's event list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids = |list: &[BrokerId]| {
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        match self {
            Event::ConnectorCreated { connector, class } => write!(f, "Kafka Connect: connector {connector} created ({class}); its config is in connect-configs"),
            Event::ConnectorDeleted { connector } => write!(f, "Kafka Connect: connector {connector} deleted (tombstones written to connect-configs)"),
            Event::ConnectorStateChanged { connector, state } => write!(f, "Kafka Connect: connector {connector} is {state}"),
            Event::ConnectTaskStateChanged { connector, task, state } => write!(f, "Kafka Connect: task {connector}-{task} is {state}"),
            Event::ConnectRecordsPolled { connector, task, records, topic, partition } => write!(f, "Kafka Connect: source task {connector}-{task} polled {records} record(s) and produced them to {topic}-{partition}"),
            Event::ConnectRecordsWritten { connector, task, records, file } => write!(f, "Kafka Connect: sink task {connector}-{task} wrote {records} record(s) to {file}"),
            Event::ConnectOffsetsCommitted { connector, task, detail } => write!(f, "Kafka Connect: task {connector}-{task} committed offsets: {detail}"),
            Event::ConnectTaskLog { connector, task, message } => write!(f, "Kafka Connect: task {connector}-{task} WARN {message}"),
            Event::BrokerStarted { broker } => write!(f, "broker {broker} started"),
            Event::BrokerStopped { broker } => write!(f, "broker {broker} stopped"),
            Event::BrokerIsolated { broker } => write!(f, "broker {broker} cut off from the network"),
            Event::BrokerHealed { broker } => write!(f, "broker {broker} reachable again"),
            Event::BrokerFenced { broker } => write!(f, "controller fenced broker {broker}"),
            Event::TopicCreated { topic, partitions, replication_factor, internal } => write!(
                f,
                "created {}topic {topic}: {partitions} partition(s), replication factor {replication_factor}",
                if *internal { "internal " } else { "" }
            ),
            Event::TopicDeleted { topic } => write!(f, "deleted topic {topic}"),
            Event::PartitionsAdded { topic, from, to } => write!(f, "{topic} grew from {from} to {to} partitions"),
            Event::SchemaRegistered { subject, version, id, new_id } => write!(
                f,
                "Schema registered under subject `{subject}` as version {version} with id {id}{}",
                if *new_id { "" } else { " (a schema the registry already had)" }
            ),
            Event::SchemaVersionDeleted { subject, version, permanent } => write!(
                f,
                "Version {version} of subject `{subject}` {}",
                if *permanent { "permanently deleted (tombstone written to _schemas)" } else { "soft-deleted: its id still resolves" }
            ),
            Event::SubjectDeleted { subject, versions, permanent } => write!(
                f,
                "Subject `{subject}` {} (versions [{}])",
                if *permanent { "permanently deleted" } else { "soft-deleted" },
                ids(versions)
            ),
            Event::RegistryConfigChanged { subject, level } => {
                let scope = subject.as_ref().map_or_else(|| "Global".to_owned(), |s| format!("Subject `{s}`"));
                match level {
                    Some(level) => write!(f, "{scope} compatibility level set to {level}"),
                    None => write!(f, "{scope} compatibility level removed"),
                }
            }
            Event::RegistryModeChanged { subject, mode } => {
                let scope = subject.as_ref().map_or_else(|| "Global".to_owned(), |s| format!("Subject `{s}`"));
                match mode {
                    Some(mode) => write!(f, "{scope} mode set to {mode}"),
                    None => write!(f, "{scope} mode removed"),
                }
            }
            Event::RegistryLeaderElected { node, generation } => {
                write!(f, "Schema Registry node {node} is the leader (generation {generation})")
            }
            Event::RegistryLeaderLost => write!(f, "No Schema Registry node can lead: registrations fail until one starts"),
            Event::RegistryNodeStopped { node } => write!(f, "Schema Registry node {node} stopped"),
            Event::RegistryNodeStarted { node } => write!(f, "Schema Registry node {node} started"),
            Event::RegistryCaughtUp { node, offset } => {
                write!(f, "Schema Registry node {node} read _schemas up to offset {offset}")
            }
            Event::RegistryStateReloaded { node } => write!(
                f,
                "Schema Registry node {node} found _schemas shorter than what it had read and reloaded it from the start"
            ),
            Event::RegistryRequestForwarded { node, leader, request } => {
                write!(f, "Schema Registry node {node} forwarded \"{request}\" to the leader, node {leader}")
            }
            Event::RegistryWriteFailed { error } => write!(f, "Schema Registry could not write to _schemas: {error}"),
            Event::ConfigsAltered { topic } => write!(f, "altered the configs of {topic}"),
            Event::LeaderChanged { topic, partition, leader, leader_epoch, unclean } => match leader {
                Some(leader) => write!(
                    f,
                    "{topic}-{partition}: broker {leader} is leader (epoch {leader_epoch}){}",
                    if *unclean { ", elected uncleanly: acknowledged records may be lost" } else { "" }
                ),
                None => write!(f, "{topic}-{partition}: no leader, the partition is offline"),
            },
            Event::IsrChanged { topic, partition, isr, reason } => {
                let why = match reason {
                    IsrChangeReason::FollowerLagging => "a follower fell behind",
                    IsrChangeReason::FollowerCaughtUp => "a follower caught up",
                    IsrChangeReason::BrokerStopped => "a broker stopped",
                    IsrChangeReason::BrokerFenced => "a broker was fenced",
                };
                write!(f, "{topic}-{partition}: ISR is now [{}] ({why})", ids(isr))
            }
            Event::BatchAppended { topic, partition, broker, first_offset, last_offset, size_bytes } => write!(
                f,
                "{topic}-{partition}: leader {broker} appended offsets {first_offset}..={last_offset} ({size_bytes} bytes)"
            ),
            Event::BatchRecompressed { topic, partition, from, to, bytes_before, bytes_after } => write!(
                f,
                "{topic}-{partition}: recompressed {from} to {to}, {bytes_before} → {bytes_after} bytes"
            ),
            Event::DuplicateBatch { topic, partition, producer_id, first_sequence, first_offset } => write!(
                f,
                "{topic}-{partition}: duplicate batch from producer {producer_id} (sequence {first_sequence}) answered with offset {first_offset}"
            ),
            Event::Replicated { topic, partition, broker, log_end_offset } => {
                write!(f, "{topic}-{partition}: follower {broker} fetched up to offset {log_end_offset}")
            }
            Event::Truncated { topic, partition, broker, log_end_offset, records_removed } => write!(
                f,
                "{topic}-{partition}: broker {broker} truncated {records_removed} record(s) the leader does not have (log end {log_end_offset})"
            ),
            Event::HighWatermarkAdvanced { topic, partition, high_watermark } => {
                write!(f, "{topic}-{partition}: high watermark {high_watermark}")
            }
            Event::SegmentRolled { topic, partition, broker, closed_base_offset } => {
                write!(f, "{topic}-{partition}: broker {broker} rolled a new segment after {closed_base_offset}")
            }
            Event::Compacted { topic, partition, broker, records_removed, tombstones_removed, bytes_before, bytes_after, .. } => write!(
                f,
                "{topic}-{partition}: broker {broker} compacted away {records_removed} record(s) and {tombstones_removed} tombstone(s), {bytes_before} → {bytes_after} bytes"
            ),
            Event::ProducerBatchCreated { client_id, topic, partition } => {
                write!(f, "{client_id}: new batch for {topic}-{partition}")
            }
            Event::ProducerBatchSent { client_id, topic, partition, records, wire_bytes, attempt, .. } => write!(
                f,
                "{client_id}: sent {records} record(s) to {topic}-{partition}, {wire_bytes} bytes{}",
                if *attempt > 1 { format!(" (attempt {attempt})") } else { String::new() }
            ),
            Event::ProducerRetry { client_id, topic, partition, attempt, error } => {
                write!(f, "{client_id}: attempt {attempt} to {topic}-{partition} failed with {error}, retrying")
            }
            Event::ProducerDeliveryFailed { client_id, topic, partition, records, error } => {
                write!(f, "{client_id}: {records} record(s) to {topic}-{partition} failed: {error}")
            }
            Event::RequestDropped { topic, partition } => write!(f, "network lost a produce request to {topic}-{partition}"),
            Event::RequestDelayed { topic, partition, delay_ms } => {
                write!(f, "network held a produce request to {topic}-{partition} for {delay_ms} ms")
            }
            Event::ResponseDropped { topic, partition } => {
                write!(f, "network lost the response from {topic}-{partition} (the batch was written)")
            }
            Event::RecordsDeleted { topic, partition, log_start_offset } => write!(
                f,
                "{topic}-{partition}: records before offset {log_start_offset} deleted (DeleteRecords); the log-start offset is now {log_start_offset}"
            ),
            Event::SegmentDeleted { topic, partition, broker, base_offset, log_start_offset, reason } => {
                let why = match reason {
                    RetentionReason::Time { retention_ms, .. } => format!("older than retention.ms={retention_ms}"),
                    RetentionReason::Size { retention_bytes, .. } => format!("over retention.bytes={retention_bytes}"),
                };
                write!(
                    f,
                    "{topic}-{partition}: broker {broker} deleted the segment at {base_offset} ({why}); log now starts at {log_start_offset}"
                )
            }
            Event::MemberJoined { group, member_id, client_id, group_instance_id } => write!(
                f,
                "group {group}: {client_id} joined as member {member_id}{}",
                group_instance_id.as_ref().map_or(String::new(), |i| format!(" (static, group.instance.id={i})"))
            ),
            Event::RebalanceStarted { group, reason } => write!(f, "group {group}: preparing to rebalance ({reason})"),
            Event::GenerationStarted { group, generation, leader, protocol, members } => write!(
                f,
                "group {group}: generation {generation} with {} member(s), leader {leader}, assignor {protocol}",
                members.len()
            ),
            Event::AssignmentComputed { group, generation, leader, assignor, assignment } => {
                let parts: Vec<String> = assignment
                    .iter()
                    .map(|(member, tps)| format!("{member}: [{}]", tp_list(tps)))
                    .collect();
                write!(f, "group {group}: leader {leader} ran {assignor} for generation {generation}: {}", parts.join("; "))
            }
            Event::GroupStable { group, generation } => write!(f, "group {group}: stable at generation {generation}"),
            Event::MemberRemoved { group, member_id, reason } => {
                let why = match reason {
                    MemberRemovedReason::SessionExpired { session_timeout_ms } => {
                        format!("no heartbeat for session.timeout.ms={session_timeout_ms}")
                    }
                    MemberRemovedReason::Left { reason } => format!("it left: {reason}"),
                    MemberRemovedReason::DidNotRejoin => "it did not rejoin before the rebalance timeout".to_owned(),
                };
                write!(f, "group {group}: removed member {member_id} ({why})")
            }
            Event::GroupEmpty { group, generation } => {
                write!(f, "group {group}: no members left at generation {generation}; the group is Empty")
            }
            Event::PartitionsRevoked { group, client_id, partitions } => {
                write!(f, "group {group}: {client_id} revoked [{}]", tp_list(partitions))
            }
            Event::PartitionsAssigned { group, client_id, generation, partitions } => {
                write!(f, "group {group}: {client_id} assigned [{}] in generation {generation}", tp_list(partitions))
            }
            Event::PartitionsLost { group, client_id, partitions } => {
                write!(f, "group {group}: {client_id} lost [{}] without committing", tp_list(partitions))
            }
            Event::ConsumerLeftGroup { group, client_id, reason } => write!(f, "group {group}: {client_id} left: {reason}"),
            Event::OffsetsCommitted { group, partition, offsets } => {
                let list: Vec<String> = offsets.iter().map(|(tp, o)| format!("{tp}@{o}")).collect();
                write!(f, "group {group}: committed {} to __consumer_offsets-{partition}", list.join(", "))
            }
            Event::GroupDeleted { group, partition, offsets } => write!(
                f,
                "group {group} deleted: tombstones for its {offsets} committed offset(s) and its metadata written to __consumer_offsets-{partition}"
            ),
        }
    }
}

/// An event and when it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedEvent {
    /// Engine time of the event.
    pub at: Millis,
    /// What happened.
    pub event: Event,
}

/// Events not yet taken by the UI or a test, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventLog {
    pending: Vec<TimedEvent>,
}

impl EventLog {
    /// Records `event` as happening at `at`.
    pub fn push(&mut self, at: Millis, event: Event) {
        self.pending.push(TimedEvent { at, event });
    }

    /// Takes every pending event, leaving the log empty.
    pub fn drain(&mut self) -> Vec<TimedEvent> {
        std::mem::take(&mut self.pending)
    }

    /// Pending events, without taking them.
    #[must_use]
    pub fn pending(&self) -> &[TimedEvent] {
        &self.pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_sentences() {
        let leader = Event::LeaderChanged {
            topic: "orders".into(),
            partition: 0,
            leader: Some(2),
            leader_epoch: 1,
            unclean: false,
        };
        assert_eq!(leader.to_string(), "orders-0: broker 2 is leader (epoch 1)");
        let offline = Event::LeaderChanged {
            topic: "orders".into(),
            partition: 1,
            leader: None,
            leader_epoch: 2,
            unclean: false,
        };
        assert_eq!(
            offline.to_string(),
            "orders-1: no leader, the partition is offline"
        );
        let isr = Event::IsrChanged {
            topic: "t".into(),
            partition: 3,
            isr: vec![1, 3],
            reason: IsrChangeReason::FollowerLagging,
        };
        assert_eq!(
            isr.to_string(),
            "t-3: ISR is now [1,3] (a follower fell behind)"
        );
        let deleted = Event::SegmentDeleted {
            topic: "t".into(),
            partition: 0,
            broker: 1,
            base_offset: 0,
            log_start_offset: 42,
            reason: RetentionReason::Time {
                max_timestamp: 0,
                retention_ms: 60_000,
            },
        };
        assert_eq!(deleted.to_string(), "t-0: broker 1 deleted the segment at 0 (older than retention.ms=60000); log now starts at 42");
    }
}
