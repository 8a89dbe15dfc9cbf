//! Commands: everything a view or the console can ask an engine to do, and
//! the replies. Names follow Kafka's own tools and APIs (`CreateTopics`,
//! `CreatePartitions`, a consumer's `poll()` / `commitSync()` / `close()`),
//! and the REST services pass through as the HTTP calls `curl` would make.

use serde::{Deserialize, Serialize};

use crate::model::ClockModel;

/// Something to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// `kafka-topics --create`; `None` takes the broker's
    /// `num.partitions` / `default.replication.factor`.
    CreateTopic {
        /// The topic's name.
        topic: String,
        /// `--partitions`.
        partitions: Option<i32>,
        /// `--replication-factor`.
        replication_factor: Option<i16>,
        /// `--config k=v`, in order.
        #[serde(default)]
        configs: Vec<(String, String)>,
    },
    /// `kafka-topics --delete`.
    DeleteTopic {
        /// The topic's name.
        topic: String,
    },
    /// `kafka-topics --alter --partitions N`: the new total.
    CreatePartitions {
        /// The topic's name.
        topic: String,
        /// The new partition count.
        total: i32,
    },
    /// Stops a broker: it stops serving, leaders move, ISRs shrink.
    StopBroker {
        /// `node.id`.
        broker: i32,
    },
    /// Starts a stopped broker again.
    StartBroker {
        /// `node.id`.
        broker: i32,
    },
    /// Produces records as `kafka-console-producer` does (`acks=1`, the
    /// default partitioner: murmur2 of the key, or one partition per batch
    /// without a key), unless `partition` is set.
    Produce {
        /// The topic.
        topic: String,
        /// A fixed partition, or the partitioner's choice.
        partition: Option<i32>,
        /// The records, in order.
        records: Vec<NewRecord>,
    },
    /// Produces keyed records at a steady rate while engine time runs, as a
    /// busy application would (`records_per_second: 0` stops it). Keys
    /// cycle through `key-0` … `key-999`.
    SetWorkload {
        /// The topic.
        topic: String,
        /// Records per second of engine time (at most 100,000).
        records_per_second: u32,
    },
    /// Adds a simulated producer client.
    AddProducer {
        /// Java `KafkaProducer` or librdkafka (confluent-kafka).
        client: ClientFlavour,
        /// Its configuration (`acks`, `linger.ms`, `enable.idempotence`,
        /// …) with the client's own names, defaults and validation.
        configs: Vec<(String, String)>,
    },
    /// Something a simulated producer does.
    Producer {
        /// The producer's number, as [`crate::ProducerModel::id`].
        producer: u32,
        /// What it does.
        action: crate::ProducerAction,
    },
    /// Makes the network between clients and brokers misbehave.
    InjectFault(crate::Fault),
    /// Adds a simulated consumer client and subscribes it.
    AddConsumer {
        /// Java `KafkaConsumer` or librdkafka (confluent-kafka).
        client: ClientFlavour,
        /// Its configuration (`group.id`, `partition.assignment.strategy`,
        /// …) with the client's own names and validation.
        configs: Vec<(String, String)>,
        /// `subscribe([...])`.
        topics: Vec<String>,
    },
    /// Something a simulated consumer does.
    Consumer {
        /// The consumer's number, as [`crate::ConsumerModel::id`].
        consumer: u32,
        /// What it does.
        action: ConsumerAction,
    },
    /// One step of a rolling restart, the way a running group changes its
    /// assignor: the consumer is closed (it commits if auto-committing and
    /// leaves the group) and the same application starts again with
    /// `partition.assignment.strategy` set to `strategy`, subscribed to the
    /// same topics. The coordinator picks the first assignor every member
    /// lists and refuses a member that shares none with the group
    /// (`INCONSISTENT_GROUP_PROTOCOL`).
    RestartConsumer {
        /// The consumer's number, as [`crate::ConsumerModel::id`].
        consumer: u32,
        /// The new `partition.assignment.strategy`, in the client's own
        /// syntax (Java class names or librdkafka names, comma-separated).
        strategy: String,
    },
    /// Every setting a producer client knows, with its default as the
    /// client prints it (Java's `ProducerConfig values:` log, librdkafka's
    /// `rd_kafka_conf_dump()`): the full form's rows.
    DescribeProducerConfigs {
        /// Which client.
        client: ClientFlavour,
    },
    /// `kafka-consumer-groups --reset-offsets --execute`: commits new
    /// offsets for every partition of `topic` on behalf of a group that has
    /// no active members (Kafka refuses otherwise).
    ResetOffsets {
        /// `--group`.
        group: String,
        /// `--topic`.
        topic: String,
        /// Where to.
        to: ResetTo,
    },
    /// ListOffsets for one partition, as `kafka-get-offsets --time`
    /// answers: `-1` the latest offset (the high watermark), `-2` the
    /// earliest (the log-start offset), `-3` the record with the largest
    /// timestamp (KIP-734), else the offset of the first record whose
    /// timestamp is at or after `timestamp` (epoch ms).
    ListOffsets {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// `-1`, `-2`, `-3` or epoch milliseconds.
        timestamp: i64,
    },
    /// Searches one partition's records (up to the high watermark, as a
    /// consumer reads them) for those whose key, value or a header contains
    /// `text`: the record browser's search of a whole partition. One call
    /// looks at most [`Command::FIND_SCAN`] offsets and says where to go on
    /// ([`Reply::FoundRecords`]), so a search of millions of records is a
    /// series of short calls that a view can show progress for and stop.
    FindRecords {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// Where to start (below the log-start offset: there).
        from_offset: i64,
        /// What to look for: ASCII letters match either case; not empty.
        text: String,
        /// Where to look.
        #[serde(default)]
        field: RecordField,
        /// At most this many matches (1 ..= [`crate::Query::MAX_WINDOW`]).
        limit: u32,
    },
    /// Whether simulated consumers call `poll()` by themselves as time runs
    /// (as an application's poll loop would).
    SetAutoPoll {
        /// On or off.
        on: bool,
    },
    /// Moves engine time forward by `ms` now (also while paused).
    Step {
        /// Milliseconds, 0 ..= 86,400,000.
        ms: i64,
    },
    /// The clock: play, pause, speed.
    Clock(ClockCommand),
    /// Local mode's whole state as a scenario file ([`crate::scenario`]).
    ExportScenario,
    /// Replaces local mode's state with a scenario's replay; a file that
    /// does not parse, is too large or replays too much is refused and the
    /// state stays as it was.
    ImportScenario {
        /// The scenario file's text.
        text: String,
    },
    /// An HTTP call to the Schema Registry (`curl` against :8081).
    Registry {
        /// `GET`, `POST`, `PUT`, `DELETE`.
        method: String,
        /// Path and query, e.g. `/subjects/orders-value/versions`.
        path: String,
        /// The JSON body, or empty.
        #[serde(default)]
        body: String,
    },
    /// An HTTP call to Kafka Connect's REST API (`curl` against :8083).
    Connect {
        /// `GET`, `POST`, `PUT`, `DELETE`, `PATCH`.
        method: String,
        /// Path and query, e.g. `/connectors?expand=status`.
        path: String,
        /// The JSON body, or empty.
        #[serde(default)]
        body: String,
    },
    /// Describes topics as an admin client's `describeTopics` and
    /// `describeConfigs` do (`kafka-topics --describe`, `--list`): the
    /// named ones, or every topic when none is named. A tools' command
    /// (the `tools` feature; the views do not send it).
    #[cfg(feature = "tools")]
    DescribeTopics {
        /// The topics; empty for all.
        #[serde(default)]
        topics: Vec<String>,
    },
    /// Reads a partition from `offset` as a consumer's fetch does, up to
    /// the high watermark, with no group and no commit
    /// (`kafka-console-consumer --partition --offset`). An offset below the
    /// log-start offset reads from there. A tools' command.
    #[cfg(feature = "tools")]
    Fetch {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// Where to read from.
        offset: i64,
        /// At most this many records (at most [`crate::Query::MAX_WINDOW`]).
        max_records: u32,
    },
    /// Describes consumer groups as an admin client's
    /// `describeConsumerGroups` and `listConsumerGroupOffsets` do
    /// (`kafka-consumer-groups --describe`, `--list`): the named ones, or
    /// every group when none is named. A tools' command.
    #[cfg(feature = "tools")]
    DescribeGroups {
        /// The groups; empty for all.
        #[serde(default)]
        groups: Vec<String>,
    },
    /// Sets a group's committed offsets as `alterConsumerGroupOffsets`
    /// does (`kafka-consumer-groups --reset-offsets --execute`): only while
    /// the group has no active members. A tools' command.
    #[cfg(feature = "tools")]
    AlterGroupOffsets {
        /// `--group`.
        group: String,
        /// `(topic, partition, offset)`, each the next offset to read.
        offsets: Vec<(String, i32, i64)>,
    },
    /// A topic's configs as `describeConfigs` with synonyms answers them
    /// (`kafka-configs --describe --entity-type topics`). A tools' command.
    #[cfg(feature = "tools")]
    DescribeConfigs {
        /// The topic.
        topic: String,
    },
    /// Sets and removes a topic's config overrides, as
    /// `incrementalAlterConfigs` does (`kafka-configs --alter --add-config
    /// / --delete-config`), with the broker's validation. A tools' command.
    #[cfg(feature = "tools")]
    AlterConfigs {
        /// The topic.
        topic: String,
        /// `--add-config k=v`, in order.
        set: Vec<(String, String)>,
        /// `--delete-config k`.
        delete: Vec<String>,
    },
    /// `poll()` of a simulated consumer by its own client (the console
    /// consumer, which subscribes with [`Command::AddConsumer`]): the
    /// records it returns. From then on the engine no longer polls that
    /// consumer by itself. A tools' command.
    #[cfg(feature = "tools")]
    PollRecords {
        /// The consumer's number, as [`crate::ConsumerModel::id`].
        consumer: u32,
        /// `max.poll.records` for this poll (at most
        /// [`crate::Query::MAX_WINDOW`]).
        max_records: u32,
    },
    /// DeleteRecords (`kafka-delete-records`): the partition's log-start
    /// offset moves up to `offset` (`-1`: the high watermark). A tools'
    /// command.
    #[cfg(feature = "tools")]
    DeleteRecords {
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
        /// The new log-start offset, or `-1`.
        offset: i64,
    },
    /// Deletes consumer groups without members (DeleteGroups,
    /// `kafka-consumer-groups --delete`): their offsets get tombstones. A
    /// tools' command.
    #[cfg(feature = "tools")]
    DeleteGroups {
        /// The groups.
        groups: Vec<String>,
    },
}

/// One record to produce. Keys, values and headers are text (UTF-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRecord {
    /// The key, or none (`null`).
    pub key: Option<String>,
    /// The value, or none (a tombstone).
    pub value: Option<String>,
    /// Headers, in order.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

impl Command {
    /// The most offsets one [`Command::FindRecords`] looks at.
    pub const FIND_SCAN: i64 = 100_000;
}

/// Which part of a record a search looks in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordField {
    /// The key, the value and every header's key and value.
    #[default]
    Any,
    /// The key.
    Key,
    /// The value.
    Value,
    /// Headers' keys and values.
    Headers,
}

/// Which client library a simulated client behaves like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientFlavour {
    /// The Java client (`KafkaConsumer`, `KafkaProducer`).
    Java,
    /// librdkafka (confluent-kafka-python, kcat).
    Librdkafka,
}

/// Where `kafka-consumer-groups --reset-offsets` moves a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetTo {
    /// `--to-earliest`: the log-start offset.
    Earliest,
    /// `--to-latest`: the high watermark.
    Latest,
    /// `--to-offset N`, clamped to the partition's range as the tool does.
    Offset(i64),
    /// `--to-datetime`: the first offset at or after this time (epoch ms),
    /// or the high watermark if none is that recent.
    Timestamp(i64),
}

/// What a simulated consumer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerAction {
    /// `poll(500 ms)`: up to `max.poll.records` records from the Java
    /// client, one message from librdkafka's.
    Poll,
    /// librdkafka's `consume(num_messages, timeout=0.5)`: up to
    /// `num_messages` at once (the Java client has no `consume()`).
    Consume {
        /// At most this many (1 ..= 1,000,000, as librdkafka allows).
        num_messages: u32,
    },
    /// `commitSync()`.
    Commit,
    /// `close()`: leaves the group at once.
    Close,
    /// The process dies: no LeaveGroup, the coordinator notices after
    /// `session.timeout.ms`.
    Crash,
}

/// The engine clock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockCommand {
    /// Time runs at the set speed.
    Play,
    /// Time stands still (steps still move it).
    Pause,
    /// Engine milliseconds per wall-clock millisecond (0.1 ..= 100).
    Speed {
        /// The factor.
        factor: f64,
    },
}

/// The answer to a command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It was done.
    Ok {
        /// What came of it.
        reply: Reply,
    },
    /// It was refused, with Kafka's reason.
    Err {
        /// Why.
        error: CommandError,
    },
}

impl From<Result<Reply, CommandError>> for Outcome {
    fn from(result: Result<Reply, CommandError>) -> Self {
        match result {
            Ok(reply) => Outcome::Ok { reply },
            Err(error) => Outcome::Err { error },
        }
    }
}

impl From<Outcome> for Result<Reply, CommandError> {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Ok { reply } => Ok(reply),
            Outcome::Err { error } => Err(error),
        }
    }
}

/// What a command produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// Done; nothing to report.
    Done,
    /// Where each produced record went, in order.
    Produced {
        /// `(partition, offset)`; the offset is `None` if not yet known.
        deliveries: Vec<(i32, Option<i64>)>,
    },
    /// The new producer's number and what its client logged.
    ProducerAdded {
        /// As [`crate::ProducerModel::id`].
        producer: u32,
        /// The client's log lines about its configuration.
        notices: Vec<String>,
    },
    /// Records handed to a producer.
    Sent {
        /// Their numbers in the producer, in order (as
        /// [`crate::DeliveryReportModel::handle`]).
        handles: Vec<u64>,
        /// Records still without a delivery report (0 after a `flush()`
        /// that finished).
        outstanding: u64,
        /// With `flush`: how long the send and flush took, engine ms.
        waited_ms: Option<i64>,
    },
    /// The new consumer's number.
    ConsumerAdded {
        /// As [`crate::ConsumerModel::id`].
        consumer: u32,
    },
    /// The offsets a reset committed: `(partition, new offset)`, as the
    /// tool's `NEW-OFFSET` column.
    OffsetsReset {
        /// By partition.
        offsets: Vec<(i32, i64)>,
    },
    /// A client's settings and their defaults, in the client's order.
    ConfigDefaults {
        /// Each setting.
        configs: Vec<crate::ConfigDefault>,
    },
    /// What ListOffsets found: `None` when no record is that recent.
    ListedOffset {
        /// The offset.
        offset: Option<i64>,
    },
    /// What one [`Command::FindRecords`] found.
    FoundRecords {
        /// The matching records, in offset order.
        records: Vec<crate::RecordModel>,
        /// Where a search that goes on starts: the high watermark once
        /// everything up to it was searched.
        next_offset: i64,
        /// The partition's log-start offset.
        log_start_offset: i64,
        /// The partition's high watermark.
        high_watermark: i64,
    },
    /// How many records a `poll()` returned.
    Polled {
        /// The count.
        records: u64,
    },
    /// An HTTP answer from a REST service.
    Rest {
        /// The status code.
        status: u16,
        /// The JSON body.
        body: String,
    },
    /// The clock after a clock command or a step.
    Clock(ClockModel),
    /// A scenario file's text.
    Scenario {
        /// The JSON.
        text: String,
    },
    /// The topics [`Command::DescribeTopics`] asked for, by name.
    #[cfg(feature = "tools")]
    TopicsDescribed {
        /// Each topic.
        topics: Vec<crate::TopicDescription>,
    },
    /// What [`Command::Fetch`] read.
    #[cfg(feature = "tools")]
    Fetched(crate::RecordsModel),
    /// The groups [`Command::DescribeGroups`] asked for, by id.
    #[cfg(feature = "tools")]
    GroupsDescribed {
        /// Each group.
        groups: Vec<crate::GroupModel>,
    },
    /// Every config of the topic [`Command::DescribeConfigs`] named, by
    /// name.
    #[cfg(feature = "tools")]
    ConfigsDescribed {
        /// Each config.
        entries: Vec<crate::ConfigEntryModel>,
    },
    /// What [`Command::PollRecords`] returned: `(topic, partition,
    /// record)` in the order the consumer returned them.
    #[cfg(feature = "tools")]
    PolledRecords {
        /// The records.
        records: Vec<(String, i32, crate::RecordModel)>,
    },
    /// What [`Command::DeleteRecords`] left: the new log-start offset.
    #[cfg(feature = "tools")]
    RecordsDeleted {
        /// The low watermark.
        low_watermark: i64,
    },
    /// Each group [`Command::DeleteGroups`] named, with Kafka's error if it
    /// was not deleted.
    #[cfg(feature = "tools")]
    GroupsDeleted {
        /// `(group, error)`: `None` when deleted, else Kafka's error name
        /// and message.
        results: Vec<(String, Option<CommandError>)>,
    },
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    /// What kind of refusal.
    pub code: ErrorCode,
    /// The sentence Kafka (or the client) would give.
    pub message: String,
}

impl CommandError {
    /// A refusal with this code and message.
    #[must_use]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// An invalid argument.
    #[must_use]
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Kinds of refusal. Kafka's own error names travel in [`ErrorCode::Kafka`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A Kafka protocol error, by its name (`TOPIC_ALREADY_EXISTS`, …).
    Kafka(String),
    /// A client-side error (a bad config value, a closed consumer).
    Client,
    /// The command's arguments are out of range or inconsistent.
    InvalidRequest,
    /// This engine cannot do that (e.g. a bridge to a real cluster has no
    /// simulated clients; a live server's wall clock cannot be paused).
    Unsupported,
    /// Something named does not exist (a consumer number).
    NotFound,
}
