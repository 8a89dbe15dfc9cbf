//! Queries and the view models that answer them: what a view renders,
//! shaped for it. A view subscribes to a [`Query`] and gets a
//! [`ViewModel`] whenever it changes.
//!
//! Models carry only what is shown: a partition's records come as a
//! window ([`Query::Records`]), events as the newest few, and long keys or
//! values are cut ([`Text`]) with their full length stated.

use serde::{Deserialize, Serialize};

/// What a view watches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Query {
    /// The engine clock.
    Clock,
    /// Brokers, topics and partitions (`kafka-topics --describe`).
    Cluster,
    /// Simulated consumers and every consumer group
    /// (`kafka-consumer-groups --describe --members --offsets`).
    Consumers,
    /// Simulated producers and their insides.
    Producers,
    /// The bytes of the record batch holding `offset` (the wire
    /// inspector).
    Batch {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// An offset in the batch.
        offset: i64,
    },
    /// The newest events, as sentences.
    Events {
        /// How many, newest last (at most [`Query::MAX_WINDOW`]).
        limit: u32,
        /// Only events about consumer groups.
        #[serde(default)]
        groups_only: bool,
    },
    /// A window of one partition's records.
    Records {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// The first offset, or `None` for the newest `limit` (a live tail).
        from_offset: Option<i64>,
        /// How many at most (at most [`Query::MAX_WINDOW`]).
        limit: u32,
    },
    /// The broker metrics an operator watches over the last minute: a
    /// sample per second of engine time, so the model changes once a
    /// second (not with every record, as the cluster's does).
    Metrics,
}

impl Query {
    /// The largest window of events or records a subscription gets.
    pub const MAX_WINDOW: u32 = 500;
}

/// What a query answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewModel {
    /// For [`Query::Clock`].
    Clock(ClockModel),
    /// For [`Query::Cluster`].
    Cluster(ClusterModel),
    /// For [`Query::Consumers`].
    Consumers(ConsumersModel),
    /// For [`Query::Events`].
    Events(EventsModel),
    /// For [`Query::Producers`].
    Producers(crate::ProducersModel),
    /// For [`Query::Batch`].
    Batch(crate::BatchBytesModel),
    /// For [`Query::Records`].
    Records(RecordsModel),
    /// For [`Query::Metrics`].
    Metrics(MetricsModel),
    /// The query cannot be answered (an unknown topic); the sentence says
    /// why, and the subscription stays open in case it appears.
    Unavailable {
        /// Why.
        reason: String,
    },
}

/// The engine clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockModel {
    /// Engine time, epoch milliseconds.
    pub now: i64,
    /// Whether time runs by itself.
    pub running: bool,
    /// Engine milliseconds per wall-clock millisecond.
    pub speed: f64,
    /// Whether the page can pause and step it (false on a live server that
    /// follows the wall clock).
    pub controllable: bool,
    /// The seed a local engine started from (the same seed and the same
    /// commands replay exactly); none on a live server.
    #[serde(default)]
    pub seed: Option<u64>,
}

/// Brokers and topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterModel {
    /// Every broker, by id.
    pub brokers: Vec<BrokerModel>,
    /// Every topic, internal ones included (marked), by name.
    pub topics: Vec<TopicModel>,
    /// The steady produce rate running, if any (see
    /// [`crate::Command::SetWorkload`]).
    pub workload: Option<WorkloadModel>,
}

/// The broker metrics an operator watches ([`Query::Metrics`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsModel {
    /// One sample per second of engine time, oldest first (the last
    /// minute).
    pub samples: Vec<MetricsSample>,
}

/// One second of every broker's metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsSample {
    /// Engine time at the end of the second.
    pub at: i64,
    /// Each broker's rates and gauges, by id.
    pub brokers: Vec<BrokerMetrics>,
    /// `OfflinePartitionsCount`: partitions without a leader.
    pub offline_partitions: u32,
}

/// One broker's metrics over one sample, named as in Kafka's JMX
/// (`kafka.server:type=BrokerTopicMetrics`, `type=ReplicaManager`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerMetrics {
    /// `node.id`.
    pub broker: i32,
    /// Running at the end of the sample.
    pub online: bool,
    /// `BytesInPerSec`: produce bytes appended as leader, per second.
    pub bytes_in: u64,
    /// `BytesOutPerSec`: bytes served to consumers' fetches, per second.
    pub bytes_out: u64,
    /// `MessagesInPerSec`.
    pub messages_in: u64,
    /// `UnderReplicatedPartitions`: partitions it leads whose ISR is
    /// smaller than their replica set (a gauge).
    pub under_replicated: u32,
    /// `IsrShrinksPerSec`: followers dropped from the ISR of partitions it
    /// leads, in this sample.
    pub isr_shrinks: u32,
    /// `IsrExpandsPerSec`: followers taken back into an ISR.
    pub isr_expands: u32,
}

/// A steady produce rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadModel {
    /// The topic it writes to.
    pub topic: String,
    /// Records per second of engine time.
    pub records_per_second: u32,
    /// Records produced so far.
    pub produced: u64,
}

/// One broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerModel {
    /// `node.id`.
    pub id: i32,
    /// Running or stopped.
    pub online: bool,
}

/// One topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicModel {
    /// The name.
    pub name: String,
    /// `__consumer_offsets` and the like.
    pub internal: bool,
    /// Its partitions, by number.
    pub partitions: Vec<PartitionModel>,
}

/// One partition, as `kafka-topics --describe` and the log show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionModel {
    /// The partition number.
    pub partition: i32,
    /// The leader's id, or none (offline).
    pub leader: Option<i32>,
    /// The replica set.
    pub replicas: Vec<i32>,
    /// The in-sync replicas.
    pub isr: Vec<i32>,
    /// The log-start offset.
    pub log_start_offset: i64,
    /// The high watermark: what consumers can read.
    pub high_watermark: i64,
    /// The log-end offset: the next offset the leader assigns.
    pub log_end_offset: i64,
    /// Compaction has cleaned every offset below this (the log cleaner's
    /// checkpoint; the log-start offset until a first clean): there only
    /// each key's newest record is left.
    #[serde(default)]
    pub cleaned_to: i64,
}

/// One config as `describeConfigs` (with synonyms) answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigEntryModel {
    /// The config's name.
    pub name: String,
    /// Its value as the broker renders it.
    pub value: String,
    /// Where the value comes from: `DYNAMIC_TOPIC_CONFIG`,
    /// `STATIC_BROKER_CONFIG`, `DEFAULT_CONFIG`, …
    pub source: String,
    /// Whether the value is secret.
    pub sensitive: bool,
    /// `(source, name, value)` of every place the value could come from,
    /// the winning one first.
    pub synonyms: Vec<(String, String, String)>,
}

/// A topic as an admin client describes it (`kafka-topics --describe`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicDescription {
    /// The name.
    pub name: String,
    /// The topic id as Kafka prints a `Uuid`: URL-safe base64 of its 16
    /// bytes, unpadded (22 characters).
    pub topic_id: String,
    /// Internal to Kafka (`__consumer_offsets`, `__transaction_state`), as
    /// Metadata marks it; `_schemas` and Connect's topics are not.
    pub internal: bool,
    /// The configs set on the topic (not the broker's defaults), as
    /// `Configs:` lists them.
    pub configs: Vec<(String, String)>,
    /// Its partitions, by number.
    pub partitions: Vec<PartitionModel>,
}

/// Simulated consumers and every group the coordinator knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumersModel {
    /// Whether simulated consumers poll by themselves as time runs.
    pub auto_poll: bool,
    /// Whether this engine runs simulated consumers at all.
    pub simulated: bool,
    /// Simulated consumers, in the order they were added.
    pub consumers: Vec<ConsumerModel>,
    /// Every group, real clients' too, by id.
    pub groups: Vec<GroupModel>,
}

/// One simulated consumer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerModel {
    /// Its number, for [`crate::Command::Consumer`].
    pub id: u32,
    /// `client.id`.
    pub client_id: String,
    /// `group.id`, if any.
    pub group_id: Option<String>,
    /// `Joining`, `Syncing`, `Stable`, `closed`, … in a word or two.
    pub phase: String,
    /// Its member id and generation once it has joined.
    pub member: Option<(String, i32)>,
    /// Assigned partitions as `topic-partition`, sorted.
    pub assigned: Vec<String>,
    /// Lag per assigned partition as `(topic-partition, lag)`.
    pub lag: Vec<(String, i64)>,
    /// Its position (the offset of the next record `poll()` returns) per
    /// assigned partition whose position is known, as `(topic-partition,
    /// offset)`.
    #[serde(default)]
    pub positions: Vec<(String, i64)>,
    /// Records its polls returned so far.
    pub received: u64,
    /// The client library it behaves like (librdkafka has `consume()`).
    #[serde(default = "java")]
    pub flavour: crate::ClientFlavour,
    /// `max.poll.records` (Java) or 1 (librdkafka's `poll()` returns one
    /// message).
    #[serde(default)]
    pub max_poll_records: u32,
    /// With `enable.auto.commit=true` (and a group): the interval and when
    /// the last auto commit happened.
    #[serde(default)]
    pub auto_commit: Option<AutoCommitModel>,
    /// `partition.assignment.strategy` as Kafka's short names
    /// (`cooperative-sticky`), in the order the client prefers them.
    #[serde(default)]
    pub assignors: Vec<String>,
}

fn java() -> crate::ClientFlavour {
    crate::ClientFlavour::Java
}

/// A consumer's auto commit: offsets are committed inside `poll()` once
/// `auto.commit.interval.ms` has passed since the timer started (the
/// consumer's first `poll()`) or since the last auto commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoCommitModel {
    /// `auto.commit.interval.ms`.
    pub interval_ms: u32,
    /// Engine time the timer last started: the first `poll()`, then each
    /// auto commit (none before the first `poll()`).
    pub last_at: Option<i64>,
}

/// One consumer group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupModel {
    /// `group.id`.
    pub group_id: String,
    /// `Empty`, `PreparingRebalance`, `CompletingRebalance`, `Stable`, `Dead`.
    pub state: String,
    /// The generation.
    pub generation: i32,
    /// The chosen assignor (`range`, `cooperative-sticky`, …).
    pub assignor: Option<String>,
    /// The leader's member id.
    pub leader: Option<String>,
    /// Members with their assignments.
    pub members: Vec<GroupMemberModel>,
    /// Committed offsets with the log end and lag.
    pub offsets: Vec<GroupOffsetModel>,
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMemberModel {
    /// The member id.
    pub member_id: String,
    /// Its `client.id`.
    pub client_id: String,
    /// `group.instance.id` of a static member.
    pub instance_id: Option<String>,
    /// Assigned partitions as `topic-partition`, sorted.
    pub partitions: Vec<String>,
}

/// A committed offset and how far behind it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupOffsetModel {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The committed offset.
    pub committed: i64,
    /// The partition's high watermark.
    pub high_watermark: i64,
    /// `high_watermark - committed`.
    pub lag: i64,
}

/// The newest events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsModel {
    /// How many events happened since the engine started.
    pub total: u64,
    /// The newest ones, oldest first.
    pub events: Vec<EventLine>,
}

/// One event: when, what kind, and a sentence in Kafka's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLine {
    /// Its number since the engine started (for keys and "new" marks).
    pub seq: u64,
    /// Engine time, epoch milliseconds.
    pub at: i64,
    /// The event's kind, e.g. `TopicCreated`, `MemberJoined`.
    pub kind: String,
    /// Whether it is about a consumer group.
    pub group: bool,
    /// The sentence.
    pub text: String,
}

/// A window of one partition's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsModel {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The log-start offset.
    pub log_start_offset: i64,
    /// The high watermark.
    pub high_watermark: i64,
    /// The records in the window, by offset.
    pub records: Vec<RecordModel>,
}

/// One record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordModel {
    /// Its offset.
    pub offset: i64,
    /// Its timestamp, epoch milliseconds.
    pub timestamp: i64,
    /// The key, or none.
    pub key: Option<Text>,
    /// The value, or none (a tombstone).
    pub value: Option<Text>,
    /// Headers, in order.
    pub headers: Vec<(String, Text)>,
    /// What the record means, for an internal topic whose bytes are a
    /// format: a `__consumer_offsets` record as Kafka's
    /// `OffsetsMessageFormatter` prints it (`{"key":{"type":1,"data":
    /// {"group":…,"topic":…,"partition":…}},"value":{"version":3,"data":
    /// {"offset":…,…}}}`).
    #[serde(default)]
    pub decoded: Option<String>,
    /// The record batch it is stored in.
    #[serde(default)]
    pub batch: Option<BatchSpan>,
}

/// A record batch as the log stores it: its offsets keep their places
/// after compaction empties some of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSpan {
    /// `baseOffset`.
    pub base_offset: i64,
    /// `baseOffset + lastOffsetDelta`.
    pub last_offset: i64,
    /// The records it still holds.
    pub records: i32,
    /// Its codec: `none`, `gzip`, `snappy`, `lz4`, `zstd`.
    pub compression: String,
}

/// Untrusted bytes for display: as text (lossy UTF-8), cut to
/// [`Text::MAX_CHARS`], with the full length stated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The (possibly cut) text. Views render it as text, never as HTML.
    pub text: String,
    /// The full length in bytes.
    pub bytes: u64,
    /// Whether `text` is cut.
    pub cut: bool,
}

impl Text {
    /// How many characters a value keeps.
    pub const MAX_CHARS: usize = 200;

    /// The display form of `bytes`.
    #[must_use]
    pub fn of(bytes: &[u8]) -> Self {
        let full = String::from_utf8_lossy(bytes);
        let (text, cut) = match full.char_indices().nth(Self::MAX_CHARS) {
            Some((at, _)) => (full[..at].to_owned(), true),
            None => (full.into_owned(), false),
        };
        Self {
            text,
            bytes: bytes.len() as u64,
            cut,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_with_their_length_stated() {
        let long = "é".repeat(300);
        let text = Text::of(long.as_bytes());
        assert!(text.cut);
        assert_eq!(text.text.chars().count(), Text::MAX_CHARS);
        assert_eq!(text.bytes, 600);
        let short = Text::of(b"hi \xff");
        assert!(!short.cut);
        assert_eq!(short.text, "hi \u{fffd}");
    }
}
