//! Topic-level configuration, parsed and validated exactly as a Kafka 4.2
//! broker does it.
//!
//! Topic configs arrive as string pairs: `kafka-topics --create --config
//! retention.ms=60000`, the `configs` of a CreateTopics request, the SET and
//! DELETE operations of IncrementalAlterConfigs. A broker checks every name
//! against the topic configs it knows (`LogConfig.validateNames`), parses
//! every value with `ConfigDef.parseType` and its validator (in the order
//! `LogConfig` defines them, stopping at the first failure), then runs the
//! cross-config checks of `LogConfig.validate`. Whatever fails comes back as
//! `INVALID_CONFIG` with Kafka's own text, such as `Invalid value abc for
//! configuration retention.ms: Not a number of type LONG`. This module does
//! the same and turns the pairs into a typed [`TopicConfig`] ("parse, don't
//! validate"), so the rest of the engine reads `values().retention_ms` as an
//! `i64` that is already known to be valid.
//!
//! All 33 public topic configs of Kafka 4.2 are accepted and described, with
//! their broker defaults; those the playground does not simulate (flushing,
//! preallocation, tiered storage and the like) are still parsed, validated
//! and shown, because a learner copying a command from the documentation
//! should see what a real broker would say. The engine models a broker
//! started with no `server.properties` overrides, so an unset config is
//! described with source `DEFAULT_CONFIG`, and with tiered storage off
//! (`remote.log.storage.system.enable=false`, its default), so
//! `remote.storage.enable=true` is refused as a real default broker refuses
//! it.
//!
//! Number parsing follows Java, not Rust: values are trimmed of ASCII
//! control characters and spaces (`String.trim`), integers accept a leading
//! `+`, doubles accept `NaN`, `Infinity`, a `d`/`f` suffix and `1.`/`.5`,
//! booleans are case-insensitive, and a double in a message is printed the
//! way `Double.toString` prints it (`2.0`, `1.0E-4`). Two Java corners are
//! not reproduced: non-ASCII decimal digits (Java's `Character.digit`
//! accepts `１２`) and hexadecimal doubles (`0x1p-1`) are rejected as not
//! numbers.
//!
//! Sources followed: `storage/.../log/LogConfig.java` (the config
//! definitions and `validate*`), `clients/.../config/ConfigDef.java`
//! (`parseType`, `Range`, `ValidString`, `ValidList` as changed by KIP-1161
//! in 4.2), `ConfigException.java`, `TopicConfig.java`,
//! `ServerLogConfigs.java` (defaults, with KIP-1030's 4.0 changes),
//! `ServerTopicConfigSynonyms.java`, `ThrottledReplicaListValidator.java`,
//! `CompressionType.java` (level validators) and `metadata/.../controller/
//! ConfigurationControlManager.java` (incremental alter semantics) in
//! apache/kafka.

use crate::collections::{OrdMap, OrdSet};
use std::fmt;

use crate::compact_sort::CollectBTree;
use crate::error::KafkaError;

/// The Kafka release whose topic configs this module reproduces.
pub const KAFKA_VERSION: &str = "4.2";

/// `segment.bytes`: the size at which the active segment is rolled.
pub const SEGMENT_BYTES: &str = "segment.bytes";
/// `segment.ms`: the age at which the active segment is rolled.
pub const SEGMENT_MS: &str = "segment.ms";
/// `segment.jitter.ms`: the maximum random jitter subtracted from `segment.ms`.
pub const SEGMENT_JITTER_MS: &str = "segment.jitter.ms";
/// `segment.index.bytes`: the size of a segment's offset index.
pub const SEGMENT_INDEX_BYTES: &str = "segment.index.bytes";
/// `flush.messages`: force an fsync after this many messages.
pub const FLUSH_MESSAGES: &str = "flush.messages";
/// `flush.ms`: force an fsync after this long.
pub const FLUSH_MS: &str = "flush.ms";
/// `retention.bytes`: the size a partition may grow to before old segments
/// are deleted (`-1`: no limit).
pub const RETENTION_BYTES: &str = "retention.bytes";
/// `retention.ms`: how long a segment is kept (`-1`: forever).
pub const RETENTION_MS: &str = "retention.ms";
/// `max.message.bytes`: the largest record batch the topic accepts.
pub const MAX_MESSAGE_BYTES: &str = "max.message.bytes";
/// `index.interval.bytes`: how often an offset index entry is written.
pub const INDEX_INTERVAL_BYTES: &str = "index.interval.bytes";
/// `delete.retention.ms`: how long tombstones survive compaction.
pub const DELETE_RETENTION_MS: &str = "delete.retention.ms";
/// `min.compaction.lag.ms`: the minimum age before a record may be compacted.
pub const MIN_COMPACTION_LAG_MS: &str = "min.compaction.lag.ms";
/// `max.compaction.lag.ms`: the maximum time a record stays uncompacted.
pub const MAX_COMPACTION_LAG_MS: &str = "max.compaction.lag.ms";
/// `file.delete.delay.ms`: the wait before a deleted segment's files go.
pub const FILE_DELETE_DELAY_MS: &str = "file.delete.delay.ms";
/// `min.cleanable.dirty.ratio`: the dirty share that triggers compaction.
pub const MIN_CLEANABLE_DIRTY_RATIO: &str = "min.cleanable.dirty.ratio";
/// `cleanup.policy`: `delete`, `compact`, both, or (Kafka 4.2) neither.
pub const CLEANUP_POLICY: &str = "cleanup.policy";
/// `unclean.leader.election.enable`: may an out-of-sync replica lead.
pub const UNCLEAN_LEADER_ELECTION_ENABLE: &str = "unclean.leader.election.enable";
/// `min.insync.replicas`: replicas that must have a write for `acks=all`.
pub const MIN_INSYNC_REPLICAS: &str = "min.insync.replicas";
/// `compression.type`: the codec the broker stores batches with.
pub const COMPRESSION_TYPE: &str = "compression.type";
/// `compression.gzip.level`: the gzip level when the broker recompresses.
pub const COMPRESSION_GZIP_LEVEL: &str = "compression.gzip.level";
/// `compression.lz4.level`: the lz4 level when the broker recompresses.
pub const COMPRESSION_LZ4_LEVEL: &str = "compression.lz4.level";
/// `compression.zstd.level`: the zstd level when the broker recompresses.
pub const COMPRESSION_ZSTD_LEVEL: &str = "compression.zstd.level";
/// `preallocate`: preallocate segment files on disk.
pub const PREALLOCATE: &str = "preallocate";
/// `message.timestamp.type`: `CreateTime` or `LogAppendTime`.
pub const MESSAGE_TIMESTAMP_TYPE: &str = "message.timestamp.type";
/// `message.timestamp.before.max.ms`: how far in the past a `CreateTime`
/// timestamp may be.
pub const MESSAGE_TIMESTAMP_BEFORE_MAX_MS: &str = "message.timestamp.before.max.ms";
/// `message.timestamp.after.max.ms`: how far in the future a `CreateTime`
/// timestamp may be.
pub const MESSAGE_TIMESTAMP_AFTER_MAX_MS: &str = "message.timestamp.after.max.ms";
/// `leader.replication.throttled.replicas`: replicas whose leader-side
/// replication is throttled.
pub const LEADER_REPLICATION_THROTTLED_REPLICAS: &str = "leader.replication.throttled.replicas";
/// `follower.replication.throttled.replicas`: replicas whose follower-side
/// replication is throttled.
pub const FOLLOWER_REPLICATION_THROTTLED_REPLICAS: &str = "follower.replication.throttled.replicas";
/// `remote.storage.enable`: tiered storage for the topic.
pub const REMOTE_STORAGE_ENABLE: &str = "remote.storage.enable";
/// `local.retention.ms`: local retention under tiered storage (`-2`: use
/// `retention.ms`).
pub const LOCAL_RETENTION_MS: &str = "local.retention.ms";
/// `local.retention.bytes`: local retention under tiered storage (`-2`: use
/// `retention.bytes`).
pub const LOCAL_RETENTION_BYTES: &str = "local.retention.bytes";
/// `remote.log.copy.disable`: stop copying segments to remote storage.
pub const REMOTE_LOG_COPY_DISABLE: &str = "remote.log.copy.disable";
/// `remote.log.delete.on.disable`: delete remote data when tiered storage
/// is turned off.
pub const REMOTE_LOG_DELETE_ON_DISABLE: &str = "remote.log.delete.on.disable";
/// `internal.segment.bytes`: an internal, testing-only override of
/// `segment.bytes` without its 1 MiB minimum. Accepted but never described
/// unless set.
pub const INTERNAL_SEGMENT_BYTES: &str = "internal.segment.bytes";

/// Whether this broker has tiered storage (`remote.log.storage.system.enable`,
/// default `false`); the playground models a default broker.
const REMOTE_LOG_STORAGE_SYSTEM_ENABLE: bool = false;

/// A config's type, as `ConfigDef.Type` names it and DescribeConfigs (v3+)
/// reports it in `config_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfigType {
    /// `true` or `false`, case-insensitive.
    Boolean,
    /// A string, trimmed.
    String,
    /// A 32-bit integer.
    Int,
    /// A 16-bit integer (no topic config uses it).
    Short,
    /// A 64-bit integer.
    Long,
    /// A double.
    Double,
    /// A comma-separated list.
    List,
    /// A Java class name (no topic config uses it).
    Class,
    /// A secret (no topic config uses it).
    Password,
}

impl ConfigType {
    /// The `config_type` INT8 of DescribeConfigs v3+.
    #[must_use]
    pub const fn id(self) -> i8 {
        match self {
            Self::Boolean => 1,
            Self::String => 2,
            Self::Int => 3,
            Self::Short => 4,
            Self::Long => 5,
            Self::Double => 6,
            Self::List => 7,
            Self::Class => 8,
            Self::Password => 9,
        }
    }

    /// The name `ConfigDef.Type` gives the type, used in messages such as
    /// `Not a number of type LONG`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Boolean => "BOOLEAN",
            Self::String => "STRING",
            Self::Int => "INT",
            Self::Short => "SHORT",
            Self::Long => "LONG",
            Self::Double => "DOUBLE",
            Self::List => "LIST",
            Self::Class => "CLASS",
            Self::Password => "PASSWORD",
        }
    }
}

/// Where a described config value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfigSource {
    /// Set on the topic (wire `TOPIC_CONFIG`; the Admin client and
    /// `kafka-configs` call it `DYNAMIC_TOPIC_CONFIG`).
    DynamicTopicConfig,
    /// Set for this broker at run time.
    DynamicBrokerConfig,
    /// Set for all brokers at run time.
    DynamicDefaultBrokerConfig,
    /// Set in the broker's `server.properties`.
    StaticBrokerConfig,
    /// Kafka's built-in default.
    DefaultConfig,
}

impl ConfigSource {
    /// The `config_source` INT8 of DescribeConfigs v1+.
    #[must_use]
    pub const fn id(self) -> i8 {
        match self {
            Self::DynamicTopicConfig => 1,
            Self::DynamicBrokerConfig => 2,
            Self::DynamicDefaultBrokerConfig => 3,
            Self::StaticBrokerConfig => 4,
            Self::DefaultConfig => 5,
        }
    }

    /// The name the Admin client and `kafka-configs --describe` print.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::DynamicTopicConfig => "DYNAMIC_TOPIC_CONFIG",
            Self::DynamicBrokerConfig => "DYNAMIC_BROKER_CONFIG",
            Self::DynamicDefaultBrokerConfig => "DYNAMIC_DEFAULT_BROKER_CONFIG",
            Self::StaticBrokerConfig => "STATIC_BROKER_CONFIG",
            Self::DefaultConfig => "DEFAULT_CONFIG",
        }
    }
}

impl fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The static description of one topic config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConfigSpec {
    /// The config's name, e.g. `retention.ms`.
    pub name: &'static str,
    /// Its type.
    pub config_type: ConfigType,
    /// The broker default as DescribeConfigs shows it, or `None` for an
    /// internal config without one.
    pub default: Option<&'static str>,
    /// The broker config that supplies the default (the docs' "Server
    /// Default Property"), if any.
    pub server_default_property: Option<&'static str>,
    /// An internal config: accepted, but not documented or described
    /// unless set.
    pub internal: bool,
}

/// Shorthand for the table below.
const fn spec(
    name: &'static str,
    config_type: ConfigType,
    default: &'static str,
    server_default_property: Option<&'static str>,
) -> ConfigSpec {
    ConfigSpec {
        name,
        config_type,
        default: Some(default),
        server_default_property,
        internal: false,
    }
}

/// Every topic config Kafka 4.2 accepts, in `LogConfig`'s definition order
/// (the order a broker parses them in, so the first failure reported is the
/// same), with the defaults of a broker started without overrides.
pub const CONFIG_SPECS: &[ConfigSpec] = &[
    spec(
        SEGMENT_BYTES,
        ConfigType::Int,
        "1073741824",
        Some("log.segment.bytes"),
    ),
    spec(
        SEGMENT_MS,
        ConfigType::Long,
        "604800000",
        Some("log.roll.ms"),
    ),
    spec(
        SEGMENT_JITTER_MS,
        ConfigType::Long,
        "0",
        Some("log.roll.jitter.ms"),
    ),
    spec(
        SEGMENT_INDEX_BYTES,
        ConfigType::Int,
        "10485760",
        Some("log.index.size.max.bytes"),
    ),
    spec(
        FLUSH_MESSAGES,
        ConfigType::Long,
        "9223372036854775807",
        Some("log.flush.interval.messages"),
    ),
    spec(
        FLUSH_MS,
        ConfigType::Long,
        "9223372036854775807",
        Some("log.flush.interval.ms"),
    ),
    spec(
        RETENTION_BYTES,
        ConfigType::Long,
        "-1",
        Some("log.retention.bytes"),
    ),
    spec(
        RETENTION_MS,
        ConfigType::Long,
        "604800000",
        Some("log.retention.ms"),
    ),
    spec(
        MAX_MESSAGE_BYTES,
        ConfigType::Int,
        "1048588",
        Some("message.max.bytes"),
    ),
    spec(
        INDEX_INTERVAL_BYTES,
        ConfigType::Int,
        "4096",
        Some("log.index.interval.bytes"),
    ),
    spec(
        DELETE_RETENTION_MS,
        ConfigType::Long,
        "86400000",
        Some("log.cleaner.delete.retention.ms"),
    ),
    spec(
        MIN_COMPACTION_LAG_MS,
        ConfigType::Long,
        "0",
        Some("log.cleaner.min.compaction.lag.ms"),
    ),
    spec(
        MAX_COMPACTION_LAG_MS,
        ConfigType::Long,
        "9223372036854775807",
        Some("log.cleaner.max.compaction.lag.ms"),
    ),
    spec(
        FILE_DELETE_DELAY_MS,
        ConfigType::Long,
        "60000",
        Some("log.segment.delete.delay.ms"),
    ),
    spec(
        MIN_CLEANABLE_DIRTY_RATIO,
        ConfigType::Double,
        "0.5",
        Some("log.cleaner.min.cleanable.ratio"),
    ),
    spec(
        CLEANUP_POLICY,
        ConfigType::List,
        "delete",
        Some("log.cleanup.policy"),
    ),
    spec(
        UNCLEAN_LEADER_ELECTION_ENABLE,
        ConfigType::Boolean,
        "false",
        Some("unclean.leader.election.enable"),
    ),
    spec(
        MIN_INSYNC_REPLICAS,
        ConfigType::Int,
        "1",
        Some("min.insync.replicas"),
    ),
    spec(
        COMPRESSION_TYPE,
        ConfigType::String,
        "producer",
        Some("compression.type"),
    ),
    spec(
        COMPRESSION_GZIP_LEVEL,
        ConfigType::Int,
        "-1",
        Some("compression.gzip.level"),
    ),
    spec(
        COMPRESSION_LZ4_LEVEL,
        ConfigType::Int,
        "9",
        Some("compression.lz4.level"),
    ),
    spec(
        COMPRESSION_ZSTD_LEVEL,
        ConfigType::Int,
        "3",
        Some("compression.zstd.level"),
    ),
    spec(
        PREALLOCATE,
        ConfigType::Boolean,
        "false",
        Some("log.preallocate"),
    ),
    spec(
        MESSAGE_TIMESTAMP_TYPE,
        ConfigType::String,
        "CreateTime",
        Some("log.message.timestamp.type"),
    ),
    spec(
        MESSAGE_TIMESTAMP_BEFORE_MAX_MS,
        ConfigType::Long,
        "9223372036854775807",
        Some("log.message.timestamp.before.max.ms"),
    ),
    spec(
        MESSAGE_TIMESTAMP_AFTER_MAX_MS,
        ConfigType::Long,
        "3600000",
        Some("log.message.timestamp.after.max.ms"),
    ),
    spec(
        LEADER_REPLICATION_THROTTLED_REPLICAS,
        ConfigType::List,
        "",
        None,
    ),
    spec(
        FOLLOWER_REPLICATION_THROTTLED_REPLICAS,
        ConfigType::List,
        "",
        None,
    ),
    spec(REMOTE_STORAGE_ENABLE, ConfigType::Boolean, "false", None),
    spec(
        LOCAL_RETENTION_MS,
        ConfigType::Long,
        "-2",
        Some("log.local.retention.ms"),
    ),
    spec(
        LOCAL_RETENTION_BYTES,
        ConfigType::Long,
        "-2",
        Some("log.local.retention.bytes"),
    ),
    spec(REMOTE_LOG_COPY_DISABLE, ConfigType::Boolean, "false", None),
    spec(
        REMOTE_LOG_DELETE_ON_DISABLE,
        ConfigType::Boolean,
        "false",
        None,
    ),
    ConfigSpec {
        name: INTERNAL_SEGMENT_BYTES,
        config_type: ConfigType::Int,
        default: None,
        server_default_property: None,
        internal: true,
    },
];

/// The description of a topic config, or `None` if Kafka would answer
/// `Unknown topic config name`.
#[must_use]
pub fn config_spec(name: &str) -> Option<&'static ConfigSpec> {
    CONFIG_SPECS.iter().find(|spec| spec.name == name)
}

/// Which cleanup a topic's segments get: `cleanup.policy`.
///
/// Since Kafka 4.2 (KIP-1161) the policy may be empty, which keeps every
/// segment, like `delete` with unlimited `retention.ms` and
/// `retention.bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CleanupPolicy {
    /// Old segments are deleted by `retention.ms` and `retention.bytes`.
    pub delete: bool,
    /// Old records are compacted to the latest value per key.
    pub compact: bool,
}

impl CleanupPolicy {
    /// `delete`, Kafka's default.
    pub const DELETE: Self = Self {
        delete: true,
        compact: false,
    };
    /// `compact`.
    pub const COMPACT: Self = Self {
        delete: false,
        compact: true,
    };
}

impl Default for CleanupPolicy {
    fn default() -> Self {
        Self::DELETE
    }
}

impl fmt::Display for CleanupPolicy {
    /// The policy as a config value: `delete`, `compact`, `compact,delete`
    /// or the empty string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match (self.compact, self.delete) {
            (true, true) => "compact,delete",
            (true, false) => "compact",
            (false, true) => "delete",
            (false, false) => "",
        })
    }
}

/// The broker-side codec: `compression.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CompressionType {
    /// Store batches uncompressed.
    Uncompressed,
    /// Recompress with zstd.
    Zstd,
    /// Recompress with lz4.
    Lz4,
    /// Recompress with snappy.
    Snappy,
    /// Recompress with gzip.
    Gzip,
    /// Keep whatever codec the producer used (the default).
    #[default]
    Producer,
}

impl CompressionType {
    /// Every value, in the order Kafka lists them in its error message.
    pub const ALL: [Self; 6] = [
        Self::Uncompressed,
        Self::Zstd,
        Self::Lz4,
        Self::Snappy,
        Self::Gzip,
        Self::Producer,
    ];

    /// The config value, e.g. `lz4`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Uncompressed => "uncompressed",
            Self::Zstd => "zstd",
            Self::Lz4 => "lz4",
            Self::Snappy => "snappy",
            Self::Gzip => "gzip",
            Self::Producer => "producer",
        }
    }
}

impl fmt::Display for CompressionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The codec and level the broker recompresses with (`LogConfig.compression`),
/// for every `compression.type` except `producer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compression {
    /// No compression.
    None,
    /// gzip at `compression.gzip.level` (`-1`: zlib's default, 6).
    Gzip {
        /// The level.
        level: i32,
    },
    /// snappy, which has no levels.
    Snappy,
    /// lz4 at `compression.lz4.level`.
    Lz4 {
        /// The level.
        level: i32,
    },
    /// zstd at `compression.zstd.level`.
    Zstd {
        /// The level.
        level: i32,
    },
}

/// Which timestamp a topic's records keep: `message.timestamp.type`; the
/// same flag a batch carries in its attributes.
pub use crate::record::TimestampType;

/// One `partitionId:brokerId` entry of a replication throttle list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThrottledReplica {
    /// The partition.
    pub partition: i32,
    /// The broker holding the replica.
    pub broker: i32,
}

/// `leader.replication.throttled.replicas` or
/// `follower.replication.throttled.replicas`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottledReplicas {
    /// `*`: every replica of the topic.
    All,
    /// The listed replicas (none by default).
    Replicas(Vec<ThrottledReplica>),
}

impl Default for ThrottledReplicas {
    fn default() -> Self {
        Self::Replicas(Vec::new())
    }
}

/// The typed value of every topic config: what a broker's `LogConfig`
/// holds after parsing.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicConfigValues {
    /// `segment.bytes`.
    pub segment_bytes: i32,
    /// `segment.ms`.
    pub segment_ms: i64,
    /// `segment.jitter.ms`.
    pub segment_jitter_ms: i64,
    /// `segment.index.bytes`.
    pub segment_index_bytes: i32,
    /// `flush.messages`.
    pub flush_messages: i64,
    /// `flush.ms`.
    pub flush_ms: i64,
    /// `retention.bytes` (`-1`: no size limit).
    pub retention_bytes: i64,
    /// `retention.ms` (`-1`: no time limit).
    pub retention_ms: i64,
    /// `max.message.bytes`.
    pub max_message_bytes: i32,
    /// `index.interval.bytes`.
    pub index_interval_bytes: i32,
    /// `delete.retention.ms`.
    pub delete_retention_ms: i64,
    /// `min.compaction.lag.ms`.
    pub min_compaction_lag_ms: i64,
    /// `max.compaction.lag.ms`.
    pub max_compaction_lag_ms: i64,
    /// `file.delete.delay.ms`.
    pub file_delete_delay_ms: i64,
    /// `min.cleanable.dirty.ratio`, between 0 and 1 (Kafka's range check
    /// lets `NaN` through, and so does this).
    pub min_cleanable_dirty_ratio: f64,
    /// `cleanup.policy`.
    pub cleanup_policy: CleanupPolicy,
    /// `unclean.leader.election.enable`.
    pub unclean_leader_election_enable: bool,
    /// `min.insync.replicas`.
    pub min_insync_replicas: i32,
    /// `compression.type`.
    pub compression_type: CompressionType,
    /// `compression.gzip.level`.
    pub compression_gzip_level: i32,
    /// `compression.lz4.level`.
    pub compression_lz4_level: i32,
    /// `compression.zstd.level`.
    pub compression_zstd_level: i32,
    /// `preallocate`.
    pub preallocate: bool,
    /// `message.timestamp.type`.
    pub message_timestamp_type: TimestampType,
    /// `message.timestamp.before.max.ms`.
    pub message_timestamp_before_max_ms: i64,
    /// `message.timestamp.after.max.ms`.
    pub message_timestamp_after_max_ms: i64,
    /// `leader.replication.throttled.replicas`.
    pub leader_replication_throttled_replicas: ThrottledReplicas,
    /// `follower.replication.throttled.replicas`.
    pub follower_replication_throttled_replicas: ThrottledReplicas,
    /// `remote.storage.enable`.
    pub remote_storage_enable: bool,
    /// `local.retention.ms` (`-2`: follow `retention.ms`).
    pub local_retention_ms: i64,
    /// `local.retention.bytes` (`-2`: follow `retention.bytes`).
    pub local_retention_bytes: i64,
    /// `remote.log.copy.disable`.
    pub remote_log_copy_disable: bool,
    /// `remote.log.delete.on.disable`.
    pub remote_log_delete_on_disable: bool,
    /// `internal.segment.bytes`, if set.
    pub internal_segment_bytes: Option<i32>,
}

impl Default for TopicConfigValues {
    /// The Kafka 4.2 broker defaults.
    fn default() -> Self {
        Self {
            segment_bytes: 1024 * 1024 * 1024,
            segment_ms: 7 * 24 * 60 * 60 * 1000,
            segment_jitter_ms: 0,
            segment_index_bytes: 10 * 1024 * 1024,
            flush_messages: i64::MAX,
            flush_ms: i64::MAX,
            retention_bytes: -1,
            retention_ms: 7 * 24 * 60 * 60 * 1000,
            // 1 MiB plus the 12-byte log overhead (offset and size).
            max_message_bytes: 1024 * 1024 + 12,
            index_interval_bytes: 4096,
            delete_retention_ms: 24 * 60 * 60 * 1000,
            min_compaction_lag_ms: 0,
            max_compaction_lag_ms: i64::MAX,
            file_delete_delay_ms: 60_000,
            min_cleanable_dirty_ratio: 0.5,
            cleanup_policy: CleanupPolicy::DELETE,
            unclean_leader_election_enable: false,
            min_insync_replicas: 1,
            compression_type: CompressionType::Producer,
            compression_gzip_level: GZIP_DEFAULT_LEVEL,
            compression_lz4_level: 9,
            compression_zstd_level: 3,
            preallocate: false,
            message_timestamp_type: TimestampType::CreateTime,
            message_timestamp_before_max_ms: i64::MAX,
            message_timestamp_after_max_ms: 60 * 60 * 1000,
            leader_replication_throttled_replicas: ThrottledReplicas::default(),
            follower_replication_throttled_replicas: ThrottledReplicas::default(),
            remote_storage_enable: false,
            local_retention_ms: -2,
            local_retention_bytes: -2,
            remote_log_copy_disable: false,
            remote_log_delete_on_disable: false,
            internal_segment_bytes: None,
        }
    }
}

/// `Deflater.BEST_SPEED`, `BEST_COMPRESSION` and `DEFAULT_COMPRESSION`.
const GZIP_MIN_LEVEL: i32 = 1;
const GZIP_MAX_LEVEL: i32 = 9;
const GZIP_DEFAULT_LEVEL: i32 = -1;

/// One described config, as DescribeConfigs returns it and `kafka-configs
/// --describe --all` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConfigEntry {
    /// The config name.
    pub name: &'static str,
    /// The value as the broker renders it (`ConfigDef.convertToString` of
    /// the parsed value, so `" 100"` is shown as `100`).
    pub value: String,
    /// Where the value comes from.
    pub source: ConfigSource,
    /// Whether the value is Kafka's default (source `DEFAULT_CONFIG`).
    pub is_default: bool,
    /// Whether the config cannot be altered (never, for topic configs).
    pub read_only: bool,
    /// Whether the value is secret (never, for topic configs).
    pub sensitive: bool,
    /// The config's type.
    pub config_type: ConfigType,
    /// The broker config that would supply the default, if any.
    pub server_default_property: Option<&'static str>,
}

/// One operation of an IncrementalAlterConfigs request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AlterConfigOp {
    /// `SET`: override the config with a value.
    Set {
        /// The config name.
        name: String,
        /// The new value.
        value: String,
    },
    /// `DELETE`: remove the override, so the default applies again.
    Delete {
        /// The config name.
        name: String,
    },
    /// `APPEND`: add comma-separated entries to a LIST config.
    Append {
        /// The config name.
        name: String,
        /// The entries to add.
        value: String,
    },
    /// `SUBTRACT`: remove comma-separated entries from a LIST config.
    Subtract {
        /// The config name.
        name: String,
        /// The entries to remove.
        value: String,
    },
}

impl AlterConfigOp {
    /// The config the operation changes.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Set { name, .. }
            | Self::Delete { name }
            | Self::Append { name, .. }
            | Self::Subtract { name, .. } => name,
        }
    }
}

/// A topic's configuration: its overrides as given, and the typed values
/// they produce over the broker defaults.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TopicConfig {
    values: TopicConfigValues,
    /// Name to value as the user gave it, for every overridden config.
    overrides: OrdMap<String, String>,
}

impl TopicConfig {
    /// A topic's configuration from `--config`/CreateTopics pairs. Every
    /// name must be a topic config; a name given twice keeps its last value
    /// (as `kafka-topics` and the broker's property map do).
    ///
    /// # Errors
    ///
    /// `INVALID_CONFIG` with the broker's message for the first unknown
    /// name, else the first invalid value in Kafka's parse order, else a
    /// failed cross-config check.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<Self, KafkaError> {
        for (name, _) in pairs {
            check_name(name.as_ref())?;
        }
        let overrides: OrdMap<String, String> = pairs
            .iter()
            .map(|(name, value)| (name.as_ref().to_owned(), value.as_ref().to_owned()))
            .collect_map();
        Self::validated(overrides, &OrdMap::new(), REMOTE_LOG_STORAGE_SYSTEM_ENABLE)
    }

    /// Applies IncrementalAlterConfigs `SET` and `DELETE` operations: each
    /// `set` pair overrides a config, each `delete` name drops its override
    /// so the default applies again (deleting a config that is not
    /// overridden, or not a topic config at all, changes nothing). All or
    /// nothing: on error the configuration is unchanged.
    ///
    /// # Errors
    ///
    /// As [`TopicConfig::incremental_alter`].
    pub fn apply_alter<K, V, D>(&mut self, set: &[(K, V)], delete: &[D]) -> Result<(), KafkaError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
        D: AsRef<str>,
    {
        let ops: Vec<AlterConfigOp> = set
            .iter()
            .map(|(name, value)| AlterConfigOp::Set {
                name: name.as_ref().to_owned(),
                value: value.as_ref().to_owned(),
            })
            .chain(delete.iter().map(|name| AlterConfigOp::Delete {
                name: name.as_ref().to_owned(),
            }))
            .collect();
        self.incremental_alter(&ops)
    }

    /// Applies an IncrementalAlterConfigs request to the topic, as the
    /// KRaft controller does (`ConfigurationControlManager`): `APPEND` and
    /// `SUBTRACT` work on the current value or, without an override, on the
    /// default, splitting on bare commas; then the resulting overrides are
    /// validated as a whole. All or nothing: on error the configuration is
    /// unchanged.
    ///
    /// # Errors
    ///
    /// `INVALID_REQUEST` if a config is named twice; `INVALID_CONFIG` for an
    /// `APPEND`/`SUBTRACT` on a config that is not a LIST, an unknown name
    /// in a `SET`, or any value or cross-config check that fails.
    pub fn incremental_alter(&mut self, ops: &[AlterConfigOp]) -> Result<(), KafkaError> {
        let mut seen = OrdSet::new();
        if !ops.iter().all(|op| seen.insert(op.name())) {
            return Err(KafkaError::invalid_request(
                "Error due to duplicate config keys",
            ));
        }
        let mut overrides = self.overrides.clone();
        for op in ops {
            match op {
                AlterConfigOp::Set { name, value } => {
                    overrides.insert(name.clone(), value.clone());
                }
                AlterConfigOp::Delete { name } => {
                    overrides.remove(name);
                }
                AlterConfigOp::Append { name, value } | AlterConfigOp::Subtract { name, value } => {
                    let is_append = matches!(op, AlterConfigOp::Append { .. });
                    let spec =
                        config_spec(name).filter(|spec| spec.config_type == ConfigType::List);
                    let Some(spec) = spec else {
                        return Err(KafkaError::invalid_config(format!(
                            "Can't {} to key {name} because its type is not LIST.",
                            if is_append { "APPEND" } else { "SUBTRACT" }
                        )));
                    };
                    let current = overrides
                        .get(name.as_str())
                        .map(String::as_str)
                        .or(spec.default)
                        .unwrap_or("");
                    let mut parts: Vec<&str> =
                        current.split(',').filter(|part| !part.is_empty()).collect();
                    for entry in java_split_on_comma(value) {
                        if is_append {
                            if !parts.contains(&entry) {
                                parts.push(entry);
                            }
                        } else if let Some(at) = parts.iter().position(|part| *part == entry) {
                            parts.remove(at);
                        }
                    }
                    let joined = parts.join(",");
                    overrides.insert(name.clone(), joined);
                }
            }
        }
        for op in ops {
            if let AlterConfigOp::Set { name, .. } = op {
                check_name(name)?;
            }
        }
        *self = Self::validated(overrides, &self.overrides, REMOTE_LOG_STORAGE_SYSTEM_ENABLE)?;
        Ok(())
    }

    /// Every topic config with its value and source, sorted by name, as
    /// DescribeConfigs reports them (`kafka-configs --describe --all`).
    /// The internal `internal.segment.bytes` is listed only when set.
    #[must_use]
    pub fn describe(&self) -> Vec<ConfigEntry> {
        let mut entries: Vec<ConfigEntry> = CONFIG_SPECS
            .iter()
            .filter_map(|spec| self.entry_for(spec))
            .collect();
        crate::compact_sort::sort_by(&mut entries, |a, b| a.name.cmp(b.name));
        entries
    }

    /// One config as [`TopicConfig::describe`] reports it, or `None` for a
    /// name Kafka does not describe.
    #[must_use]
    pub fn entry(&self, name: &str) -> Option<ConfigEntry> {
        config_spec(name).and_then(|spec| self.entry_for(spec))
    }

    /// The typed values.
    #[must_use]
    pub fn values(&self) -> &TopicConfigValues {
        &self.values
    }

    /// The overridden configs and their values exactly as given, by name.
    pub fn overrides(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.overrides
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// Whether `name` is overridden on this topic.
    #[must_use]
    pub fn is_overridden(&self, name: &str) -> bool {
        self.overrides.contains_key(name)
    }

    /// The cleanup policy.
    #[must_use]
    pub fn cleanup_policy(&self) -> CleanupPolicy {
        self.values.cleanup_policy
    }

    /// The size at which segments roll: `internal.segment.bytes` if set,
    /// else `segment.bytes` (`LogConfig.segmentSize`).
    #[must_use]
    pub fn segment_size(&self) -> i32 {
        self.values
            .internal_segment_bytes
            .unwrap_or(self.values.segment_bytes)
    }

    /// The age at which segments roll: on a compacted topic no later than
    /// `max.compaction.lag.ms` (`LogConfig.maxSegmentMs`).
    #[must_use]
    pub fn max_segment_ms(&self) -> i64 {
        let values = &self.values;
        if values.cleanup_policy.compact && values.max_compaction_lag_ms > 0 {
            values.max_compaction_lag_ms.min(values.segment_ms)
        } else {
            values.segment_ms
        }
    }

    /// `local.retention.ms` with `-2` resolved to `retention.ms`.
    #[must_use]
    pub fn effective_local_retention_ms(&self) -> i64 {
        match self.values.local_retention_ms {
            -2 => self.values.retention_ms,
            ms => ms,
        }
    }

    /// `local.retention.bytes` with `-2` resolved to `retention.bytes`.
    #[must_use]
    pub fn effective_local_retention_bytes(&self) -> i64 {
        match self.values.local_retention_bytes {
            -2 => self.values.retention_bytes,
            bytes => bytes,
        }
    }

    /// The codec and level the broker stores batches with, or `None` for
    /// `compression.type=producer` (keep the producer's).
    #[must_use]
    pub fn compression(&self) -> Option<Compression> {
        let values = &self.values;
        match values.compression_type {
            CompressionType::Producer => None,
            CompressionType::Uncompressed => Some(Compression::None),
            CompressionType::Gzip => Some(Compression::Gzip {
                level: values.compression_gzip_level,
            }),
            CompressionType::Snappy => Some(Compression::Snappy),
            CompressionType::Lz4 => Some(Compression::Lz4 {
                level: values.compression_lz4_level,
            }),
            CompressionType::Zstd => Some(Compression::Zstd {
                level: values.compression_zstd_level,
            }),
        }
    }

    /// Parses `overrides` (names already known) and runs the checks of
    /// `LogConfig.validate` against the topic's previous overrides.
    fn validated(
        overrides: OrdMap<String, String>,
        previous: &OrdMap<String, String>,
        remote_storage_system_enabled: bool,
    ) -> Result<Self, KafkaError> {
        let values = TopicConfigValues::parse(&overrides)?;
        validate_values(&values)?;
        // `Boolean.parseBoolean` of the previous raw value: no trimming.
        let was_remote_enabled = previous
            .get(REMOTE_STORAGE_ENABLE)
            .is_some_and(|value| java_equals_ignore_case(value, "true"));
        validate_remote_storage(&values, was_remote_enabled, remote_storage_system_enabled)?;
        Ok(Self { values, overrides })
    }

    fn entry_for(&self, spec: &'static ConfigSpec) -> Option<ConfigEntry> {
        let (value, source) = match self.overrides.get(spec.name) {
            Some(raw) => {
                // Internal configs are shown from the raw originals.
                let value = if spec.internal {
                    raw.clone()
                } else {
                    canonical_value(spec.config_type, raw)
                };
                (value, ConfigSource::DynamicTopicConfig)
            }
            None => (spec.default?.to_owned(), ConfigSource::DefaultConfig),
        };
        Some(ConfigEntry {
            name: spec.name,
            value,
            source,
            is_default: source == ConfigSource::DefaultConfig,
            read_only: false,
            sensitive: false,
            config_type: spec.config_type,
            server_default_property: spec.server_default_property,
        })
    }
}

/// `LogConfig.validateNames`.
fn check_name(name: &str) -> Result<(), KafkaError> {
    if config_spec(name).is_some() {
        Ok(())
    } else {
        Err(KafkaError::invalid_config(format!(
            "Unknown topic config name: {name}"
        )))
    }
}

/// `ConfigException(name, value, message)`.
fn invalid_value(name: &str, value: impl fmt::Display, message: impl fmt::Display) -> KafkaError {
    KafkaError::invalid_config(format!(
        "Invalid value {value} for configuration {name}: {message}"
    ))
}

/// `LogConfig.validateValues`.
fn validate_values(values: &TopicConfigValues) -> Result<(), KafkaError> {
    if values.min_compaction_lag_ms > values.max_compaction_lag_ms {
        return Err(KafkaError::invalid_config(format!(
            "conflict topic config setting {MIN_COMPACTION_LAG_MS} ({}) > {MAX_COMPACTION_LAG_MS} ({})",
            values.min_compaction_lag_ms, values.max_compaction_lag_ms
        )));
    }
    Ok(())
}

/// The tiered-storage checks of `LogConfig.validateTopicLogConfigValues`.
fn validate_remote_storage(
    values: &TopicConfigValues,
    was_remote_enabled: bool,
    system_enabled: bool,
) -> Result<(), KafkaError> {
    if !values.remote_storage_enable {
        if was_remote_enabled && !values.remote_log_delete_on_disable {
            return Err(KafkaError::invalid_config(
                "It is invalid to disable remote storage without deleting remote data. If you \
                 want to keep the remote data and turn to read only, please set \
                 `remote.storage.enable=true,remote.log.copy.disable=true`. If you want to \
                 disable remote storage and delete all remote data, please set \
                 `remote.storage.enable=false,remote.log.delete.on.disable=true`.",
            ));
        }
        return Ok(());
    }
    if !system_enabled {
        return Err(KafkaError::invalid_config(
            "Tiered Storage functionality is disabled in the broker. Topic cannot be configured \
             with remote log storage.",
        ));
    }
    let policy = values.cleanup_policy;
    if policy.compact {
        return Err(KafkaError::invalid_config(
            "Remote log storage only supports topics with cleanup.policy=delete or \
             cleanup.policy being an empty list.",
        ));
    }
    let (retention_bytes, local_bytes) = (values.retention_bytes, values.local_retention_bytes);
    if retention_bytes > -1 && local_bytes != -2 {
        if local_bytes == -1 {
            return Err(invalid_value(
                LOCAL_RETENTION_BYTES,
                local_bytes,
                format!(
                    "Value must not be -1 as {RETENTION_BYTES} value is set as {retention_bytes}."
                ),
            ));
        }
        if local_bytes > retention_bytes {
            return Err(invalid_value(
                LOCAL_RETENTION_BYTES,
                local_bytes,
                format!("Value must not be more than {RETENTION_BYTES} property value: {retention_bytes}"),
            ));
        }
    }
    let (retention_ms, local_ms) = (values.retention_ms, values.local_retention_ms);
    if retention_ms != -1 && local_ms != -2 {
        if local_ms == -1 {
            return Err(invalid_value(
                LOCAL_RETENTION_MS,
                local_ms,
                format!("Value must not be -1 as {RETENTION_MS} value is set as {retention_ms}."),
            ));
        }
        if local_ms > retention_ms {
            return Err(invalid_value(
                LOCAL_RETENTION_MS,
                local_ms,
                format!(
                    "Value must not be more than {RETENTION_MS} property value: {retention_ms}"
                ),
            ));
        }
    }
    if values.remote_log_copy_disable {
        if local_bytes != -2 && local_bytes != retention_bytes {
            return Err(KafkaError::invalid_config(
                "When `remote.log.copy.disable` is set to true, the `local.retention.bytes` and \
                 `retention.bytes` must be set to the identical value because there will be no \
                 more logs copied to the remote storage.",
            ));
        }
        if local_ms != -2 && local_ms != retention_ms {
            return Err(KafkaError::invalid_config(
                "When `remote.log.copy.disable` is set to true, the `local.retention.ms` and \
                 `retention.ms` must be set to the identical value because there will be no \
                 more logs copied to the remote storage.",
            ));
        }
    }
    Ok(())
}

/// A numeric validator (`ConfigDef.Range` or a compression level check).
#[derive(Debug, Clone, Copy)]
enum Check {
    /// No validator.
    Any,
    /// `Range.atLeast(min)`.
    AtLeast(i64),
    /// `Range.between(min, max)`.
    Between(i64, i64),
    /// gzip's levels: 1 to 9, or -1 for the default.
    GzipLevel,
}

impl Check {
    fn apply(self, name: &str, value: i64) -> Result<(), KafkaError> {
        match self {
            Self::Any => Ok(()),
            Self::AtLeast(min) => check_range(name, value, Some(min), None),
            Self::Between(min, max) => check_range(name, value, Some(min), Some(max)),
            Self::GzipLevel => {
                let level = value;
                if level > i64::from(GZIP_MAX_LEVEL)
                    || (level < i64::from(GZIP_MIN_LEVEL) && level != i64::from(GZIP_DEFAULT_LEVEL))
                {
                    Err(invalid_value(
                        name,
                        value,
                        format!(
                            "Value must be between {GZIP_MIN_LEVEL} and {GZIP_MAX_LEVEL} or equal \
                             to {GZIP_DEFAULT_LEVEL}"
                        ),
                    ))
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// `Range.ensureValid` for whole numbers.
fn check_range(
    name: &str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), KafkaError> {
    if let Some(min) = min {
        if value < min {
            return Err(invalid_value(
                name,
                value,
                format!("Value must be at least {min}"),
            ));
        }
    }
    if let Some(max) = max {
        if value > max {
            return Err(invalid_value(
                name,
                value,
                format!("Value must be no more than {max}"),
            ));
        }
    }
    Ok(())
}

/// Reads override values with `ConfigDef.parseType` and a validator,
/// falling back to the default (always valid) when a config is not set.
struct Parser<'a> {
    overrides: &'a OrdMap<String, String>,
}

impl Parser<'_> {
    fn raw(&self, name: &str) -> Option<&str> {
        self.overrides.get(name).map(String::as_str)
    }

    fn int(&self, name: &str, default: i32, check: Check) -> Result<i32, KafkaError> {
        match self.raw(name) {
            None => Ok(default),
            Some(raw) => {
                let value = parse_int(name, raw)?;
                check.apply(name, i64::from(value))?;
                Ok(value)
            }
        }
    }

    fn long(&self, name: &str, default: i64, check: Check) -> Result<i64, KafkaError> {
        match self.raw(name) {
            None => Ok(default),
            Some(raw) => {
                let value = parse_long(name, raw)?;
                check.apply(name, value)?;
                Ok(value)
            }
        }
    }

    /// A DOUBLE with `Range.between(min, max)`.
    fn double(&self, name: &str, default: f64, min: f64, max: f64) -> Result<f64, KafkaError> {
        let Some(raw) = self.raw(name) else {
            return Ok(default);
        };
        let value = parse_java_double(raw)
            .ok_or_else(|| invalid_value(name, raw, "Not a number of type DOUBLE"))?;
        // Java compares doubles, so NaN passes both bounds.
        if value < min {
            return Err(invalid_value(
                name,
                java_double_to_string(value),
                format!("Value must be at least {}", java_double_bound(min)),
            ));
        }
        if value > max {
            return Err(invalid_value(
                name,
                java_double_to_string(value),
                format!("Value must be no more than {}", java_double_bound(max)),
            ));
        }
        Ok(value)
    }

    fn boolean(&self, name: &str, default: bool) -> Result<bool, KafkaError> {
        match self.raw(name) {
            None => Ok(default),
            Some(raw) => parse_bool(name, raw),
        }
    }

    /// A STRING with `ValidString.in(...)`: exact, case-sensitive.
    fn choice<T: Copy>(
        &self,
        name: &str,
        default: T,
        valid: &[(&str, T)],
    ) -> Result<T, KafkaError> {
        let Some(raw) = self.raw(name) else {
            return Ok(default);
        };
        let trimmed = java_trim(raw);
        match valid.iter().find(|(text, _)| *text == trimmed) {
            Some(&(_, value)) => Ok(value),
            None => {
                let names: Vec<&str> = valid.iter().map(|(text, _)| *text).collect();
                Err(invalid_value(
                    name,
                    trimmed,
                    format!("String must be one of: {}", names.join(", ")),
                ))
            }
        }
    }

    /// `cleanup.policy`: a LIST with `ValidList.in("compact", "delete")`,
    /// which since Kafka 4.2 allows an empty list but no duplicate and no
    /// empty entry.
    fn cleanup_policy(&self, default: CleanupPolicy) -> Result<CleanupPolicy, KafkaError> {
        let Some(raw) = self.raw(CLEANUP_POLICY) else {
            return Ok(default);
        };
        let entries = split_list(raw);
        let distinct: OrdSet<&str> = entries.iter().copied().collect_set();
        if distinct.len() != entries.len() {
            return Err(KafkaError::invalid_config(format!(
                "Configuration '{CLEANUP_POLICY}' values must not be duplicated."
            )));
        }
        let mut policy = CleanupPolicy {
            delete: false,
            compact: false,
        };
        for entry in entries {
            match entry {
                "" => {
                    return Err(KafkaError::invalid_config(format!(
                        "Configuration '{CLEANUP_POLICY}' values must not be empty."
                    )))
                }
                "compact" => policy.compact = true,
                "delete" => policy.delete = true,
                other => {
                    return Err(invalid_value(
                        CLEANUP_POLICY,
                        other,
                        "String must be one of: compact, delete",
                    ))
                }
            }
        }
        Ok(policy)
    }

    /// A LIST checked by `ThrottledReplicaListValidator`.
    fn throttled(&self, name: &str) -> Result<ThrottledReplicas, KafkaError> {
        let Some(raw) = self.raw(name) else {
            return Ok(ThrottledReplicas::default());
        };
        let entries = split_list(raw);
        let proposed: Vec<&str> = entries.iter().map(|entry| java_trim(entry)).collect();
        if proposed == ["*"] {
            return Ok(ThrottledReplicas::All);
        }
        match parse_replica_list(&proposed) {
            Some(replicas) => Ok(ThrottledReplicas::Replicas(replicas)),
            // The value is shown as Java prints a List: `[a, b]`.
            None => Err(invalid_value(
                name,
                format!("[{}]", entries.join(", ")),
                format!(
                    "{name} must be the literal '*' or a list of replicas in the following \
                     format: [partitionId]:[brokerId],[partitionId]:[brokerId],..."
                ),
            )),
        }
    }
}

impl TopicConfigValues {
    /// Parses every config in `LogConfig`'s definition order, so the first
    /// error is the one a broker reports.
    fn parse(overrides: &OrdMap<String, String>) -> Result<Self, KafkaError> {
        let p = Parser { overrides };
        let d = Self::default();
        Ok(Self {
            segment_bytes: p.int(SEGMENT_BYTES, d.segment_bytes, Check::AtLeast(1024 * 1024))?,
            segment_ms: p.long(SEGMENT_MS, d.segment_ms, Check::AtLeast(1))?,
            segment_jitter_ms: p.long(SEGMENT_JITTER_MS, d.segment_jitter_ms, Check::AtLeast(0))?,
            segment_index_bytes: p.int(
                SEGMENT_INDEX_BYTES,
                d.segment_index_bytes,
                Check::AtLeast(4),
            )?,
            flush_messages: p.long(FLUSH_MESSAGES, d.flush_messages, Check::AtLeast(1))?,
            flush_ms: p.long(FLUSH_MS, d.flush_ms, Check::AtLeast(0))?,
            retention_bytes: p.long(RETENTION_BYTES, d.retention_bytes, Check::Any)?,
            retention_ms: p.long(RETENTION_MS, d.retention_ms, Check::AtLeast(-1))?,
            max_message_bytes: p.int(MAX_MESSAGE_BYTES, d.max_message_bytes, Check::AtLeast(0))?,
            index_interval_bytes: p.int(
                INDEX_INTERVAL_BYTES,
                d.index_interval_bytes,
                Check::AtLeast(0),
            )?,
            delete_retention_ms: p.long(
                DELETE_RETENTION_MS,
                d.delete_retention_ms,
                Check::AtLeast(0),
            )?,
            min_compaction_lag_ms: p.long(
                MIN_COMPACTION_LAG_MS,
                d.min_compaction_lag_ms,
                Check::AtLeast(0),
            )?,
            max_compaction_lag_ms: p.long(
                MAX_COMPACTION_LAG_MS,
                d.max_compaction_lag_ms,
                Check::AtLeast(1),
            )?,
            file_delete_delay_ms: p.long(
                FILE_DELETE_DELAY_MS,
                d.file_delete_delay_ms,
                Check::AtLeast(0),
            )?,
            min_cleanable_dirty_ratio: p.double(
                MIN_CLEANABLE_DIRTY_RATIO,
                d.min_cleanable_dirty_ratio,
                0.0,
                1.0,
            )?,
            cleanup_policy: p.cleanup_policy(d.cleanup_policy)?,
            unclean_leader_election_enable: p.boolean(
                UNCLEAN_LEADER_ELECTION_ENABLE,
                d.unclean_leader_election_enable,
            )?,
            min_insync_replicas: p.int(
                MIN_INSYNC_REPLICAS,
                d.min_insync_replicas,
                Check::AtLeast(1),
            )?,
            compression_type: p.choice(
                COMPRESSION_TYPE,
                d.compression_type,
                &CompressionType::ALL.map(|kind| (kind.name(), kind)),
            )?,
            compression_gzip_level: p.int(
                COMPRESSION_GZIP_LEVEL,
                d.compression_gzip_level,
                Check::GzipLevel,
            )?,
            compression_lz4_level: p.int(
                COMPRESSION_LZ4_LEVEL,
                d.compression_lz4_level,
                Check::Between(1, 17),
            )?,
            compression_zstd_level: p.int(
                COMPRESSION_ZSTD_LEVEL,
                d.compression_zstd_level,
                Check::Between(-131_072, 22),
            )?,
            preallocate: p.boolean(PREALLOCATE, d.preallocate)?,
            message_timestamp_type: p.choice(
                MESSAGE_TIMESTAMP_TYPE,
                d.message_timestamp_type,
                &[
                    ("CreateTime", TimestampType::CreateTime),
                    ("LogAppendTime", TimestampType::LogAppendTime),
                ],
            )?,
            message_timestamp_before_max_ms: p.long(
                MESSAGE_TIMESTAMP_BEFORE_MAX_MS,
                d.message_timestamp_before_max_ms,
                Check::AtLeast(0),
            )?,
            message_timestamp_after_max_ms: p.long(
                MESSAGE_TIMESTAMP_AFTER_MAX_MS,
                d.message_timestamp_after_max_ms,
                Check::AtLeast(0),
            )?,
            leader_replication_throttled_replicas: p
                .throttled(LEADER_REPLICATION_THROTTLED_REPLICAS)?,
            follower_replication_throttled_replicas: p
                .throttled(FOLLOWER_REPLICATION_THROTTLED_REPLICAS)?,
            remote_storage_enable: p.boolean(REMOTE_STORAGE_ENABLE, d.remote_storage_enable)?,
            local_retention_ms: p.long(
                LOCAL_RETENTION_MS,
                d.local_retention_ms,
                Check::AtLeast(-2),
            )?,
            local_retention_bytes: p.long(
                LOCAL_RETENTION_BYTES,
                d.local_retention_bytes,
                Check::AtLeast(-2),
            )?,
            remote_log_copy_disable: p
                .boolean(REMOTE_LOG_COPY_DISABLE, d.remote_log_copy_disable)?,
            remote_log_delete_on_disable: p
                .boolean(REMOTE_LOG_DELETE_ON_DISABLE, d.remote_log_delete_on_disable)?,
            internal_segment_bytes: match p.raw(INTERNAL_SEGMENT_BYTES) {
                None => None,
                Some(raw) => Some(parse_int(INTERNAL_SEGMENT_BYTES, raw)?),
            },
        })
    }
}

/// `ThrottledReplicaListValidator.isValidReplicaList`: `p:b` entries of
/// ASCII digits that fit an `int`, with empty entries allowed only at the
/// end.
fn parse_replica_list(proposed: &[&str]) -> Option<Vec<ThrottledReplica>> {
    let mut replicas = Vec::new();
    let mut found_empty = false;
    for entry in proposed {
        if entry.is_empty() {
            found_empty = true;
            continue;
        }
        if found_empty {
            return None;
        }
        let (partition, broker) = entry.split_once(':')?;
        let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !is_digits(partition) || !is_digits(broker) {
            return None;
        }
        replicas.push(ThrottledReplica {
            partition: partition.parse().ok()?,
            broker: broker.parse().ok()?,
        });
    }
    Some(replicas)
}

/// The value DescribeConfigs shows for an override: the parsed value
/// converted back to a string (`ConfigDef.convertToString`). Overrides are
/// validated before they are stored, so parsing cannot fail here; if it
/// somehow did, the raw value is shown rather than panicking.
fn canonical_value(config_type: ConfigType, raw: &str) -> String {
    let canonical = match config_type {
        ConfigType::Int | ConfigType::Short => {
            java_trim(raw).parse::<i32>().ok().map(|v| v.to_string())
        }
        ConfigType::Long => java_trim(raw).parse::<i64>().ok().map(|v| v.to_string()),
        ConfigType::Double => parse_java_double(raw).map(java_double_to_string),
        ConfigType::Boolean => parse_bool("", raw).ok().map(|v| v.to_string()),
        ConfigType::String | ConfigType::Class | ConfigType::Password => {
            Some(java_trim(raw).to_owned())
        }
        ConfigType::List => Some(split_list(raw).join(",")),
    };
    canonical.unwrap_or_else(|| raw.to_owned())
}

/// `Integer.parseInt` of the trimmed value.
fn parse_int(name: &str, raw: &str) -> Result<i32, KafkaError> {
    java_trim(raw)
        .parse::<i32>()
        .map_err(|_| invalid_value(name, raw, "Not a number of type INT"))
}

/// `Long.parseLong` of the trimmed value.
fn parse_long(name: &str, raw: &str) -> Result<i64, KafkaError> {
    java_trim(raw)
        .parse::<i64>()
        .map_err(|_| invalid_value(name, raw, "Not a number of type LONG"))
}

/// ConfigDef's BOOLEAN: `true` or `false`, ignoring case, after trimming.
fn parse_bool(name: &str, raw: &str) -> Result<bool, KafkaError> {
    let trimmed = java_trim(raw);
    if java_equals_ignore_case(trimmed, "true") {
        Ok(true)
    } else if java_equals_ignore_case(trimmed, "false") {
        Ok(false)
    } else {
        Err(invalid_value(
            name,
            raw,
            "Expected value to be either true or false",
        ))
    }
}

/// Java's `String.trim`: strips every char up to U+0020 (spaces and ASCII
/// control characters) from both ends, and nothing else.
pub(crate) fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// The characters of Java's regex `\s`.
fn is_java_regex_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
}

/// ConfigDef's LIST parsing: the trimmed value split on `\s*,\s*`, keeping
/// empty entries (`split(..., -1)`); an empty value is an empty list.
pub(crate) fn split_list(raw: &str) -> Vec<&str> {
    let trimmed = java_trim(raw);
    if trimmed.is_empty() {
        return Vec::new();
    }
    trimmed
        .split(',')
        .map(|entry| entry.trim_matches(is_java_regex_space))
        .collect()
}

/// Java's `value.split(",")`: like Rust's, but trailing empty entries are
/// dropped, except that a value without commas is returned whole (so `""`
/// gives `[""]`).
fn java_split_on_comma(value: &str) -> Vec<&str> {
    if !value.contains(',') {
        return vec![value];
    }
    let mut parts: Vec<&str> = value.split(',').collect();
    while parts.last().is_some_and(|part| part.is_empty()) {
        parts.pop();
    }
    parts
}

/// Java's `String.equalsIgnoreCase`, char by char: equal, or equal after
/// upper-casing, or after upper- then lower-casing (so `falſe`, with a long
/// s, is `false` to Java too).
pub(crate) fn java_equals_ignore_case(a: &str, b: &str) -> bool {
    fn single(mut mapped: impl Iterator<Item = char>, original: char) -> char {
        match (mapped.next(), mapped.next()) {
            (Some(c), None) => c,
            _ => original,
        }
    }
    fn upper(c: char) -> char {
        single(c.to_uppercase(), c)
    }
    fn lower(c: char) -> char {
        single(c.to_lowercase(), c)
    }
    a.chars().count() == b.chars().count()
        && a.chars()
            .zip(b.chars())
            .all(|(x, y)| x == y || upper(x) == upper(y) || lower(upper(x)) == lower(upper(y)))
}

/// `Double.parseDouble`: an optional sign, then `NaN`, `Infinity`, or a
/// decimal (`1`, `1.`, `.5`, `1e-3`) with an optional `d`/`D`/`f`/`F`
/// suffix. Hexadecimal doubles are not supported.
pub(crate) fn parse_java_double(raw: &str) -> Option<f64> {
    let trimmed = java_trim(raw);
    let (negative, body) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let magnitude = match body {
        "NaN" => f64::NAN,
        "Infinity" => f64::INFINITY,
        _ => {
            let body = body.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(body);
            let (mantissa, exponent) = match body.find(['e', 'E']) {
                Some(at) => (&body[..at], Some(&body[at + 1..])),
                None => (body, None),
            };
            let (int_digits, frac_digits) = mantissa.split_once('.').unwrap_or((mantissa, ""));
            let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            if !all_digits(int_digits)
                || !all_digits(frac_digits)
                || (int_digits.is_empty() && frac_digits.is_empty())
            {
                return None;
            }
            let exponent = match exponent {
                None => "0",
                Some(exp) => {
                    let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
                    if digits.is_empty() || !all_digits(digits) {
                        return None;
                    }
                    exp
                }
            };
            let int_digits = if int_digits.is_empty() {
                "0"
            } else {
                int_digits
            };
            let frac_digits = if frac_digits.is_empty() {
                "0"
            } else {
                frac_digits
            };
            format!("{int_digits}.{frac_digits}e{exponent}")
                .parse::<f64>()
                .ok()?
        }
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// A `Range` bound as Java prints the `Number` it was built from: the
/// bounds here are whole numbers given as `int`s, so `0` and `1`.
fn java_double_bound(bound: f64) -> String {
    format!("{bound}")
}

/// `Double.toString`: `NaN`, `Infinity`, plain decimals with at least one
/// fractional digit for magnitudes in [10^-3, 10^7), and computerized
/// scientific notation (`1.0E7`, `1.0E-4`) otherwise, always with the
/// shortest digits that round-trip.
pub(crate) fn java_double_to_string(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value == 0.0 {
        return format!("{sign}0.0");
    }
    let magnitude = value.abs();
    // Rust's `{:e}` gives the shortest round-trip digits: `1.5e-7`, `1e7`.
    let scientific = format!("{magnitude:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let (first, rest) = digits.split_at(1.min(digits.len()));
    if (1e-3..1e7).contains(&magnitude) {
        if exponent >= 0 {
            // `exponent` < 7 here, so the cast is lossless.
            let int_len = exponent.unsigned_abs() as usize + 1;
            let padded = format!("{digits:0<int_len$}");
            let (int_part, frac_part) = padded.split_at(int_len);
            let frac_part = if frac_part.is_empty() { "0" } else { frac_part };
            format!("{sign}{int_part}.{frac_part}")
        } else {
            let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
            format!("{sign}0.{zeros}{digits}")
        }
    } else {
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exponent}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn parse(pairs: &[(&str, &str)]) -> Result<TopicConfig, KafkaError> {
        TopicConfig::from_pairs(pairs)
    }

    /// The message of the error `pairs` produce, which must be INVALID_CONFIG.
    fn error(pairs: &[(&str, &str)]) -> String {
        match parse(pairs) {
            Ok(config) => panic!("{pairs:?} was accepted: {config:?}"),
            Err(err) => {
                assert_eq!(err.code, ErrorCode::InvalidConfig, "{err}");
                err.message
            }
        }
    }

    fn value(config: &TopicConfig, name: &str) -> String {
        config
            .entry(name)
            .map(|entry| entry.value)
            .unwrap_or_default()
    }

    #[test]
    fn defaults_are_kafka_4_2s() {
        let d = TopicConfig::default();
        let v = d.values();
        assert_eq!(v.segment_bytes, 1_073_741_824);
        assert_eq!(v.segment_ms, 604_800_000);
        assert_eq!(v.segment_jitter_ms, 0);
        assert_eq!(v.segment_index_bytes, 10_485_760);
        assert_eq!(v.flush_messages, i64::MAX);
        assert_eq!(v.flush_ms, i64::MAX);
        assert_eq!(v.retention_bytes, -1);
        assert_eq!(v.retention_ms, 604_800_000);
        assert_eq!(v.max_message_bytes, 1_048_588);
        assert_eq!(v.index_interval_bytes, 4096);
        assert_eq!(v.delete_retention_ms, 86_400_000);
        assert_eq!(v.min_compaction_lag_ms, 0);
        assert_eq!(v.max_compaction_lag_ms, i64::MAX);
        assert_eq!(v.file_delete_delay_ms, 60_000);
        assert_eq!(v.min_cleanable_dirty_ratio, 0.5);
        assert_eq!(v.cleanup_policy, CleanupPolicy::DELETE);
        assert!(!v.unclean_leader_election_enable);
        assert_eq!(v.min_insync_replicas, 1);
        assert_eq!(v.compression_type, CompressionType::Producer);
        assert_eq!(v.compression_gzip_level, -1);
        assert_eq!(v.compression_lz4_level, 9);
        assert_eq!(v.compression_zstd_level, 3);
        assert!(!v.preallocate);
        assert_eq!(v.message_timestamp_type, TimestampType::CreateTime);
        assert_eq!(v.message_timestamp_before_max_ms, i64::MAX);
        assert_eq!(v.message_timestamp_after_max_ms, 3_600_000);
        assert_eq!(
            v.leader_replication_throttled_replicas,
            ThrottledReplicas::Replicas(vec![])
        );
        assert_eq!(
            v.follower_replication_throttled_replicas,
            ThrottledReplicas::Replicas(vec![])
        );
        assert!(!v.remote_storage_enable);
        assert_eq!(v.local_retention_ms, -2);
        assert_eq!(v.local_retention_bytes, -2);
        assert!(!v.remote_log_copy_disable);
        assert!(!v.remote_log_delete_on_disable);
        assert_eq!(v.internal_segment_bytes, None);
        assert_eq!(d.overrides().count(), 0);
    }

    #[test]
    fn parsing_nothing_gives_the_defaults() {
        let empty: &[(&str, &str)] = &[];
        assert_eq!(TopicConfig::from_pairs(empty), Ok(TopicConfig::default()));
    }

    #[test]
    fn every_described_default_parses_back_to_the_default_value() {
        for spec in CONFIG_SPECS {
            let Some(default) = spec.default else {
                assert!(spec.internal, "{} has no default", spec.name);
                continue;
            };
            let config = parse(&[(spec.name, default)])
                .unwrap_or_else(|err| panic!("default of {}: {err}", spec.name));
            assert_eq!(
                config.values(),
                TopicConfig::default().values(),
                "{}",
                spec.name
            );
            assert_eq!(value(&config, spec.name), default, "{}", spec.name);
        }
    }

    #[test]
    fn every_config_is_read_by_the_parser() {
        // A value no config accepts must be rejected for every config but
        // the LIST ones whose validator accepts anything list-shaped.
        for spec in CONFIG_SPECS {
            let message = error(&[(spec.name, "x y")]);
            assert!(message.contains(spec.name), "{}: {message}", spec.name);
        }
    }

    #[test]
    fn the_spec_table_lists_33_public_configs_plus_one_internal() {
        assert_eq!(
            CONFIG_SPECS.iter().filter(|spec| !spec.internal).count(),
            33
        );
        assert_eq!(CONFIG_SPECS.iter().filter(|spec| spec.internal).count(), 1);
        let names: OrdSet<&str> = CONFIG_SPECS.iter().map(|spec| spec.name).collect();
        assert_eq!(names.len(), CONFIG_SPECS.len());
        assert!(config_spec("retention.ms").is_some());
        assert!(config_spec("log.retention.ms").is_none());
        // Removed in Kafka 4.0.
        assert!(config_spec("message.format.version").is_none());
        assert!(config_spec("message.timestamp.difference.max.ms").is_none());
    }

    #[test]
    fn unknown_names_are_rejected_with_kafkas_text_before_any_value() {
        assert_eq!(error(&[("foo", "1")]), "Unknown topic config name: foo");
        assert_eq!(
            error(&[("retention.ms", "abc"), ("log.retention.ms", "1")]),
            "Unknown topic config name: log.retention.ms"
        );
        assert_eq!(
            error(&[("Retention.ms", "1")]),
            "Unknown topic config name: Retention.ms"
        );
        assert_eq!(error(&[("", "1")]), "Unknown topic config name: ");
    }

    #[test]
    fn long_values_parse_like_long_parse_long() {
        assert_eq!(
            error(&[("retention.ms", "abc")]),
            "Invalid value abc for configuration retention.ms: Not a number of type LONG"
        );
        assert_eq!(
            error(&[("retention.ms", "")]),
            "Invalid value  for configuration retention.ms: Not a number of type LONG"
        );
        assert_eq!(
            error(&[("retention.ms", "1.5")]),
            "Invalid value 1.5 for configuration retention.ms: Not a number of type LONG"
        );
        assert_eq!(
            error(&[("retention.ms", "9223372036854775808")]),
            "Invalid value 9223372036854775808 for configuration retention.ms: Not a number of \
             type LONG"
        );
        assert_eq!(
            error(&[("retention.ms", "1_000")]),
            "Invalid value 1_000 for configuration retention.ms: Not a number of type LONG"
        );
        // The raw value, untrimmed, is what the message shows.
        assert_eq!(
            error(&[("segment.ms", " 1x ")]),
            "Invalid value  1x  for configuration segment.ms: Not a number of type LONG"
        );
        let ok = parse(&[("retention.ms", " +60000\t"), ("retention.bytes", "-5")]).unwrap();
        assert_eq!(ok.values().retention_ms, 60_000);
        assert_eq!(ok.values().retention_bytes, -5);
        assert_eq!(value(&ok, "retention.ms"), "60000");
        let max = parse(&[("flush.ms", "9223372036854775807")]).unwrap();
        assert_eq!(max.values().flush_ms, i64::MAX);
    }

    #[test]
    fn long_ranges_use_kafkas_minimums() {
        assert_eq!(
            parse(&[("retention.ms", "-1")])
                .unwrap()
                .values()
                .retention_ms,
            -1
        );
        assert_eq!(
            error(&[("retention.ms", "-2")]),
            "Invalid value -2 for configuration retention.ms: Value must be at least -1"
        );
        assert_eq!(
            error(&[("segment.ms", "0")]),
            "Invalid value 0 for configuration segment.ms: Value must be at least 1"
        );
        assert_eq!(
            error(&[("max.compaction.lag.ms", "0")]),
            "Invalid value 0 for configuration max.compaction.lag.ms: Value must be at least 1"
        );
        assert_eq!(
            error(&[("flush.messages", "0")]),
            "Invalid value 0 for configuration flush.messages: Value must be at least 1"
        );
        assert_eq!(
            error(&[("local.retention.ms", "-3")]),
            "Invalid value -3 for configuration local.retention.ms: Value must be at least -2"
        );
        // The parsed number is shown, not the raw text.
        assert_eq!(
            error(&[("delete.retention.ms", " -0005 ")]),
            "Invalid value -5 for configuration delete.retention.ms: Value must be at least 0"
        );
        // retention.bytes has no validator at all.
        assert_eq!(
            parse(&[("retention.bytes", "-9223372036854775808")])
                .unwrap()
                .values()
                .retention_bytes,
            i64::MIN
        );
    }

    #[test]
    fn int_values_parse_like_integer_parse_int() {
        assert_eq!(
            error(&[("min.insync.replicas", "0")]),
            "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"
        );
        assert_eq!(
            error(&[("min.insync.replicas", "two")]),
            "Invalid value two for configuration min.insync.replicas: Not a number of type INT"
        );
        assert_eq!(
            error(&[("max.message.bytes", "2147483648")]),
            "Invalid value 2147483648 for configuration max.message.bytes: Not a number of type INT"
        );
        assert_eq!(
            error(&[("max.message.bytes", "-1")]),
            "Invalid value -1 for configuration max.message.bytes: Value must be at least 0"
        );
        assert_eq!(
            error(&[("segment.index.bytes", "3")]),
            "Invalid value 3 for configuration segment.index.bytes: Value must be at least 4"
        );
        assert_eq!(
            parse(&[("min.insync.replicas", "+2")])
                .unwrap()
                .values()
                .min_insync_replicas,
            2
        );
    }

    #[test]
    fn segment_bytes_has_kafka_4s_one_mebibyte_minimum() {
        assert_eq!(
            error(&[("segment.bytes", "1048575")]),
            "Invalid value 1048575 for configuration segment.bytes: Value must be at least 1048576"
        );
        let config = parse(&[("segment.bytes", "1048576")]).unwrap();
        assert_eq!(config.values().segment_bytes, 1_048_576);
        assert_eq!(config.segment_size(), 1_048_576);
        // The internal override has no minimum and wins.
        let internal = parse(&[("internal.segment.bytes", "1024")]).unwrap();
        assert_eq!(internal.segment_size(), 1024);
        assert_eq!(
            error(&[("internal.segment.bytes", "1k")]),
            "Invalid value 1k for configuration internal.segment.bytes: Not a number of type INT"
        );
    }

    #[test]
    fn double_values_parse_like_double_parse_double() {
        let ratio = |raw: &str| {
            parse(&[("min.cleanable.dirty.ratio", raw)])
                .map(|c| c.values().min_cleanable_dirty_ratio)
        };
        assert_eq!(ratio("0.25"), Ok(0.25));
        assert_eq!(ratio(" .5 "), Ok(0.5));
        assert_eq!(ratio("1."), Ok(1.0));
        assert_eq!(ratio("1e-1"), Ok(0.1));
        assert_eq!(ratio("5E-1d"), Ok(0.5));
        assert_eq!(ratio("0.75F"), Ok(0.75));
        assert_eq!(ratio("+0"), Ok(0.0));
        assert_eq!(ratio("-0"), Ok(-0.0));
        assert!(ratio("NaN").unwrap().is_nan());
        assert_eq!(
            error(&[("min.cleanable.dirty.ratio", "abc")]),
            "Invalid value abc for configuration min.cleanable.dirty.ratio: Not a number of type \
             DOUBLE"
        );
        for odd in [
            "", ".", "e5", "1e", "1e+", "inf", "nan", "infinity", "0x1p-1", "1.5.5", "1 5", "d",
        ] {
            assert_eq!(
                error(&[("min.cleanable.dirty.ratio", odd)]),
                format!(
                    "Invalid value {odd} for configuration min.cleanable.dirty.ratio: Not a \
                     number of type DOUBLE"
                ),
                "{odd:?}"
            );
        }
        assert_eq!(
            error(&[("min.cleanable.dirty.ratio", "1.5")]),
            "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no \
             more than 1"
        );
        assert_eq!(
            error(&[("min.cleanable.dirty.ratio", "2")]),
            "Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no \
             more than 1"
        );
        assert_eq!(
            error(&[("min.cleanable.dirty.ratio", "-1e-4")]),
            "Invalid value -1.0E-4 for configuration min.cleanable.dirty.ratio: Value must be \
             at least 0"
        );
        assert_eq!(
            error(&[("min.cleanable.dirty.ratio", "Infinity")]),
            "Invalid value Infinity for configuration min.cleanable.dirty.ratio: Value must be \
             no more than 1"
        );
        let described = parse(&[("min.cleanable.dirty.ratio", "0.50")]).unwrap();
        assert_eq!(value(&described, "min.cleanable.dirty.ratio"), "0.5");
    }

    #[test]
    fn java_double_to_string_matches_java() {
        let cases: &[(f64, &str)] = &[
            (0.5, "0.5"),
            (1.0, "1.0"),
            (2.0, "2.0"),
            (0.001, "0.001"),
            (1.0e-4, "1.0E-4"),
            (123.456, "123.456"),
            (1_234_567.0, "1234567.0"),
            (1.0e7, "1.0E7"),
            (1.5e10, "1.5E10"),
            (-0.25, "-0.25"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (f64::MAX, "1.7976931348623157E308"),
            (f64::MIN_POSITIVE, "2.2250738585072014E-308"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for &(input, expected) in cases {
            assert_eq!(java_double_to_string(input), expected, "{input:e}");
        }
    }

    #[test]
    fn booleans_ignore_case_like_java() {
        let unclean = |raw: &str| {
            parse(&[("unclean.leader.election.enable", raw)])
                .map(|c| c.values().unclean_leader_election_enable)
        };
        assert_eq!(unclean("true"), Ok(true));
        assert_eq!(unclean(" TRUE "), Ok(true));
        assert_eq!(unclean("False"), Ok(false));
        // Java upper-cases the long s to S, so this is "false" to Kafka.
        assert_eq!(unclean("falſe"), Ok(false));
        assert_eq!(
            error(&[("preallocate", "yes")]),
            "Invalid value yes for configuration preallocate: Expected value to be either true \
             or false"
        );
        assert_eq!(
            error(&[("preallocate", "1")]),
            "Invalid value 1 for configuration preallocate: Expected value to be either true or \
             false"
        );
        let described = parse(&[("preallocate", "TRUE")]).unwrap();
        assert_eq!(value(&described, "preallocate"), "true");
    }

    #[test]
    fn string_choices_are_exact_and_listed_in_kafkas_order() {
        assert_eq!(
            error(&[("compression.type", "GZIP")]),
            "Invalid value GZIP for configuration compression.type: String must be one of: \
             uncompressed, zstd, lz4, snappy, gzip, producer"
        );
        assert_eq!(
            error(&[("compression.type", "none")]),
            "Invalid value none for configuration compression.type: String must be one of: \
             uncompressed, zstd, lz4, snappy, gzip, producer"
        );
        assert_eq!(
            error(&[("message.timestamp.type", "createtime")]),
            "Invalid value createtime for configuration message.timestamp.type: String must be \
             one of: CreateTime, LogAppendTime"
        );
        for kind in CompressionType::ALL {
            let raw = format!(" {} ", kind.name());
            let config = parse(&[("compression.type", raw.as_str())]).unwrap();
            assert_eq!(config.values().compression_type, kind);
            assert_eq!(value(&config, "compression.type"), kind.name());
        }
        let log_append = parse(&[("message.timestamp.type", "LogAppendTime")]).unwrap();
        assert_eq!(
            log_append.values().message_timestamp_type,
            TimestampType::LogAppendTime
        );
    }

    #[test]
    fn cleanup_policy_accepts_both_list_orders_and_the_empty_list() {
        let policy = |raw: &str| parse(&[("cleanup.policy", raw)]).map(|c| c.cleanup_policy());
        assert_eq!(policy("delete"), Ok(CleanupPolicy::DELETE));
        assert_eq!(policy("compact"), Ok(CleanupPolicy::COMPACT));
        let both = CleanupPolicy {
            delete: true,
            compact: true,
        };
        assert_eq!(policy("delete,compact"), Ok(both));
        assert_eq!(policy("compact,delete"), Ok(both));
        assert_eq!(policy(" compact ,\tdelete "), Ok(both));
        let neither = CleanupPolicy {
            delete: false,
            compact: false,
        };
        assert_eq!(policy(""), Ok(neither));
        assert_eq!(policy("  "), Ok(neither));
        assert_eq!(both.to_string(), "compact,delete");
        assert_eq!(neither.to_string(), "");

        // Described as the parsed list, in the order given.
        let spaced = parse(&[("cleanup.policy", "delete , compact")]).unwrap();
        assert_eq!(value(&spaced, "cleanup.policy"), "delete,compact");
        let empty = parse(&[("cleanup.policy", "")]).unwrap();
        assert_eq!(value(&empty, "cleanup.policy"), "");
        assert_eq!(
            empty.entry("cleanup.policy").unwrap().source,
            ConfigSource::DynamicTopicConfig
        );
    }

    #[test]
    fn cleanup_policy_errors_use_kafka_4_2_list_texts() {
        assert_eq!(
            error(&[("cleanup.policy", "foo")]),
            "Invalid value foo for configuration cleanup.policy: String must be one of: \
             compact, delete"
        );
        assert_eq!(
            error(&[("cleanup.policy", "Delete")]),
            "Invalid value Delete for configuration cleanup.policy: String must be one of: \
             compact, delete"
        );
        assert_eq!(
            error(&[("cleanup.policy", "compact,foo")]),
            "Invalid value foo for configuration cleanup.policy: String must be one of: \
             compact, delete"
        );
        assert_eq!(
            error(&[("cleanup.policy", "delete,delete")]),
            "Configuration 'cleanup.policy' values must not be duplicated."
        );
        assert_eq!(
            error(&[("cleanup.policy", "delete,")]),
            "Configuration 'cleanup.policy' values must not be empty."
        );
        assert_eq!(
            error(&[("cleanup.policy", "delete, ,compact")]),
            "Configuration 'cleanup.policy' values must not be empty."
        );
        // The duplicate check runs before the entries are checked.
        assert_eq!(
            error(&[("cleanup.policy", "foo,foo")]),
            "Configuration 'cleanup.policy' values must not be duplicated."
        );
    }

    #[test]
    fn compression_levels_use_each_codecs_range() {
        assert_eq!(
            error(&[("compression.gzip.level", "0")]),
            "Invalid value 0 for configuration compression.gzip.level: Value must be between 1 \
             and 9 or equal to -1"
        );
        assert_eq!(
            error(&[("compression.gzip.level", "10")]),
            "Invalid value 10 for configuration compression.gzip.level: Value must be between 1 \
             and 9 or equal to -1"
        );
        assert!(parse(&[("compression.gzip.level", "-1")]).is_ok());
        assert!(parse(&[("compression.gzip.level", "9")]).is_ok());
        assert_eq!(
            error(&[("compression.lz4.level", "0")]),
            "Invalid value 0 for configuration compression.lz4.level: Value must be at least 1"
        );
        assert_eq!(
            error(&[("compression.lz4.level", "18")]),
            "Invalid value 18 for configuration compression.lz4.level: Value must be no more \
             than 17"
        );
        assert_eq!(
            error(&[("compression.zstd.level", "-131073")]),
            "Invalid value -131073 for configuration compression.zstd.level: Value must be at \
             least -131072"
        );
        assert_eq!(
            error(&[("compression.zstd.level", "23")]),
            "Invalid value 23 for configuration compression.zstd.level: Value must be no more \
             than 22"
        );
        let config = parse(&[
            ("compression.type", "zstd"),
            ("compression.zstd.level", "-5"),
        ])
        .unwrap();
        assert_eq!(config.compression(), Some(Compression::Zstd { level: -5 }));
        assert_eq!(TopicConfig::default().compression(), None);
        let gzip = parse(&[("compression.type", "gzip")]).unwrap();
        assert_eq!(gzip.compression(), Some(Compression::Gzip { level: -1 }));
    }

    #[test]
    fn throttled_replica_lists_follow_the_validator() {
        let leader = |raw: &str| {
            parse(&[("leader.replication.throttled.replicas", raw)])
                .map(|c| c.values().leader_replication_throttled_replicas.clone())
        };
        assert_eq!(leader("*"), Ok(ThrottledReplicas::All));
        assert_eq!(leader(" * "), Ok(ThrottledReplicas::All));
        let replica = |partition, broker| ThrottledReplica { partition, broker };
        assert_eq!(
            leader("0:101, 1:102"),
            Ok(ThrottledReplicas::Replicas(vec![
                replica(0, 101),
                replica(1, 102)
            ]))
        );
        assert_eq!(
            leader("0:1,"),
            Ok(ThrottledReplicas::Replicas(vec![replica(0, 1)]))
        );
        assert_eq!(leader(""), Ok(ThrottledReplicas::Replicas(vec![])));
        let text = "must be the literal '*' or a list of replicas in the following format: \
                    [partitionId]:[brokerId],[partitionId]:[brokerId],...";
        for (raw, shown) in [
            ("foo", "[foo]"),
            (",0:1", "[, 0:1]"),
            ("*,0:1", "[*, 0:1]"),
            ("0:1,foo", "[0:1, foo]"),
            ("0:99999999999", "[0:99999999999]"),
            ("-1:1", "[-1:1]"),
        ] {
            assert_eq!(
                error(&[("follower.replication.throttled.replicas", raw)]),
                format!(
                    "Invalid value {shown} for configuration follower.replication.throttled.replicas: \
                     follower.replication.throttled.replicas {text}"
                ),
                "{raw:?}"
            );
        }
        let described = parse(&[("leader.replication.throttled.replicas", "0:1 , 1:2")]).unwrap();
        assert_eq!(
            value(&described, "leader.replication.throttled.replicas"),
            "0:1,1:2"
        );
    }

    #[test]
    fn min_compaction_lag_may_not_exceed_max() {
        assert_eq!(
            error(&[
                ("min.compaction.lag.ms", "10"),
                ("max.compaction.lag.ms", "5")
            ]),
            "conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)"
        );
        assert!(parse(&[
            ("min.compaction.lag.ms", "5"),
            ("max.compaction.lag.ms", "5")
        ])
        .is_ok());
        // A single value errors before the cross check.
        assert_eq!(
            error(&[
                ("min.compaction.lag.ms", "10"),
                ("max.compaction.lag.ms", "x")
            ]),
            "Invalid value x for configuration max.compaction.lag.ms: Not a number of type LONG"
        );
    }

    #[test]
    fn the_first_error_in_kafkas_definition_order_wins() {
        // segment.bytes is defined before retention.ms, whatever the input order.
        assert_eq!(
            error(&[("retention.ms", "x"), ("segment.bytes", "y")]),
            "Invalid value y for configuration segment.bytes: Not a number of type INT"
        );
        assert_eq!(
            error(&[("min.insync.replicas", "0"), ("cleanup.policy", "foo")]),
            "Invalid value foo for configuration cleanup.policy: String must be one of: \
             compact, delete"
        );
    }

    #[test]
    fn tiered_storage_is_refused_on_a_default_broker() {
        assert_eq!(
            error(&[("remote.storage.enable", "true")]),
            "Tiered Storage functionality is disabled in the broker. Topic cannot be configured \
             with remote log storage."
        );
        let off = parse(&[
            ("remote.storage.enable", "false"),
            ("local.retention.ms", "1000"),
            ("remote.log.copy.disable", "true"),
        ])
        .unwrap();
        assert_eq!(off.effective_local_retention_ms(), 1000);
        assert_eq!(
            TopicConfig::default().effective_local_retention_ms(),
            604_800_000
        );
        assert_eq!(TopicConfig::default().effective_local_retention_bytes(), -1);
    }

    #[test]
    fn tiered_storage_checks_on_a_broker_that_has_it() {
        let check = |pairs: &[(&str, &str)], previous: &[(&str, &str)]| {
            let owned = |pairs: &[(&str, &str)]| -> OrdMap<String, String> {
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect()
            };
            TopicConfig::validated(owned(pairs), &owned(previous), true).map_err(|e| e.message)
        };
        assert!(check(&[("remote.storage.enable", "true")], &[]).is_ok());
        assert_eq!(
            check(
                &[
                    ("remote.storage.enable", "true"),
                    ("cleanup.policy", "compact,delete")
                ],
                &[]
            )
            .unwrap_err(),
            "Remote log storage only supports topics with cleanup.policy=delete or \
             cleanup.policy being an empty list."
        );
        assert!(check(
            &[("remote.storage.enable", "true"), ("cleanup.policy", "")],
            &[]
        )
        .is_ok());
        assert_eq!(
            check(
                &[
                    ("remote.storage.enable", "true"),
                    ("retention.bytes", "100"),
                    ("local.retention.bytes", "-1")
                ],
                &[]
            )
            .unwrap_err(),
            "Invalid value -1 for configuration local.retention.bytes: Value must not be -1 as \
             retention.bytes value is set as 100."
        );
        assert_eq!(
            check(
                &[
                    ("remote.storage.enable", "true"),
                    ("retention.bytes", "100"),
                    ("local.retention.bytes", "200")
                ],
                &[]
            )
            .unwrap_err(),
            "Invalid value 200 for configuration local.retention.bytes: Value must not be more \
             than retention.bytes property value: 100"
        );
        assert_eq!(
            check(
                &[
                    ("remote.storage.enable", "true"),
                    ("local.retention.ms", "604800001")
                ],
                &[]
            )
            .unwrap_err(),
            "Invalid value 604800001 for configuration local.retention.ms: Value must not be \
             more than retention.ms property value: 604800000"
        );
        assert_eq!(
            check(
                &[
                    ("remote.storage.enable", "true"),
                    ("remote.log.copy.disable", "true"),
                    ("local.retention.ms", "1000")
                ],
                &[]
            )
            .unwrap_err(),
            "When `remote.log.copy.disable` is set to true, the `local.retention.ms` and \
             `retention.ms` must be set to the identical value because there will be no more \
             logs copied to the remote storage."
        );
        let was_on = [("remote.storage.enable", "true")];
        assert!(check(&[("remote.storage.enable", "false")], &was_on)
            .unwrap_err()
            .starts_with("It is invalid to disable remote storage without deleting remote data."));
        assert!(check(
            &[
                ("remote.storage.enable", "false"),
                ("remote.log.delete.on.disable", "true")
            ],
            &was_on
        )
        .is_ok());
    }

    #[test]
    fn a_name_given_twice_keeps_its_last_value() {
        let config = parse(&[("retention.ms", "1000"), ("retention.ms", "2000")]).unwrap();
        assert_eq!(config.values().retention_ms, 2000);
        assert_eq!(
            config.overrides().collect::<Vec<_>>(),
            vec![("retention.ms", "2000")]
        );
    }

    #[test]
    fn describe_lists_every_public_config_with_its_source() {
        let config = parse(&[
            ("retention.ms", " 86400000 "),
            ("cleanup.policy", "compact"),
        ])
        .unwrap();
        let entries = config.describe();
        assert_eq!(entries.len(), 33);
        let names: Vec<&str> = entries.iter().map(|entry| entry.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert!(!names.contains(&INTERNAL_SEGMENT_BYTES));

        let retention = config.entry("retention.ms").unwrap();
        assert_eq!(retention.value, "86400000");
        assert_eq!(retention.source, ConfigSource::DynamicTopicConfig);
        assert_eq!(retention.source.id(), 1);
        assert_eq!(retention.source.name(), "DYNAMIC_TOPIC_CONFIG");
        assert!(!retention.is_default);
        assert_eq!(retention.config_type, ConfigType::Long);
        assert_eq!(retention.config_type.id(), 5);
        assert_eq!(retention.server_default_property, Some("log.retention.ms"));

        let segment = config.entry("segment.bytes").unwrap();
        assert_eq!(segment.value, "1073741824");
        assert_eq!(segment.source, ConfigSource::DefaultConfig);
        assert_eq!(segment.source.id(), 5);
        assert!(segment.is_default);
        for entry in &entries {
            assert!(!entry.read_only && !entry.sensitive, "{}", entry.name);
            assert_eq!(
                entry.is_default,
                !config.is_overridden(entry.name),
                "{}",
                entry.name
            );
        }
        assert_eq!(config.entry("foo"), None);
        assert_eq!(config.entry(INTERNAL_SEGMENT_BYTES), None);

        // The internal config appears, as given, once it is set.
        let internal = parse(&[("internal.segment.bytes", " 1024")]).unwrap();
        assert_eq!(internal.describe().len(), 34);
        assert_eq!(
            internal.entry(INTERNAL_SEGMENT_BYTES).unwrap().value,
            " 1024"
        );
    }

    #[test]
    fn describe_shows_kafkas_default_values() {
        let config = TopicConfig::default();
        let expected = [
            ("cleanup.policy", "delete"),
            ("compression.gzip.level", "-1"),
            ("compression.lz4.level", "9"),
            ("compression.type", "producer"),
            ("compression.zstd.level", "3"),
            ("delete.retention.ms", "86400000"),
            ("file.delete.delay.ms", "60000"),
            ("flush.messages", "9223372036854775807"),
            ("flush.ms", "9223372036854775807"),
            ("follower.replication.throttled.replicas", ""),
            ("index.interval.bytes", "4096"),
            ("leader.replication.throttled.replicas", ""),
            ("local.retention.bytes", "-2"),
            ("local.retention.ms", "-2"),
            ("max.compaction.lag.ms", "9223372036854775807"),
            ("max.message.bytes", "1048588"),
            ("message.timestamp.after.max.ms", "3600000"),
            ("message.timestamp.before.max.ms", "9223372036854775807"),
            ("message.timestamp.type", "CreateTime"),
            ("min.cleanable.dirty.ratio", "0.5"),
            ("min.compaction.lag.ms", "0"),
            ("min.insync.replicas", "1"),
            ("preallocate", "false"),
            ("remote.log.copy.disable", "false"),
            ("remote.log.delete.on.disable", "false"),
            ("remote.storage.enable", "false"),
            ("retention.bytes", "-1"),
            ("retention.ms", "604800000"),
            ("segment.bytes", "1073741824"),
            ("segment.index.bytes", "10485760"),
            ("segment.jitter.ms", "0"),
            ("segment.ms", "604800000"),
            ("unclean.leader.election.enable", "false"),
        ];
        let described: Vec<(&str, String)> = config
            .describe()
            .into_iter()
            .map(|entry| {
                assert_eq!(entry.source, ConfigSource::DefaultConfig, "{}", entry.name);
                (entry.name, entry.value)
            })
            .collect();
        let expected: Vec<(&str, String)> = expected
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned()))
            .collect();
        assert_eq!(described, expected);
    }

    #[test]
    fn set_then_delete_reverts_to_the_default() {
        let mut config = TopicConfig::default();
        config
            .apply_alter(&[("retention.ms", "1000")], &[] as &[&str])
            .unwrap();
        assert_eq!(config.values().retention_ms, 1000);
        assert_eq!(
            config.entry("retention.ms").unwrap().source,
            ConfigSource::DynamicTopicConfig
        );

        config
            .apply_alter(&[("cleanup.policy", "compact")], &["retention.ms"])
            .unwrap();
        assert_eq!(config.values().retention_ms, 604_800_000);
        assert_eq!(
            config.entry("retention.ms").unwrap().source,
            ConfigSource::DefaultConfig
        );
        assert_eq!(config.cleanup_policy(), CleanupPolicy::COMPACT);
        assert_eq!(
            config.overrides().collect::<Vec<_>>(),
            vec![("cleanup.policy", "compact")]
        );

        // Deleting what is not overridden, or not a config, changes nothing.
        let before = config.clone();
        config
            .apply_alter(&[] as &[(&str, &str)], &["segment.ms", "nonsense"])
            .unwrap();
        assert_eq!(config, before);
    }

    #[test]
    fn a_failed_alter_changes_nothing() {
        let mut config = parse(&[("retention.ms", "1000")]).unwrap();
        let before = config.clone();
        let err = config
            .apply_alter(
                &[("segment.ms", "5000"), ("min.insync.replicas", "0")],
                &["retention.ms"],
            )
            .unwrap_err();
        assert_eq!(
            err.message,
            "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"
        );
        assert_eq!(config, before);

        let err = config
            .apply_alter(&[("foo", "1")], &[] as &[&str])
            .unwrap_err();
        assert_eq!(err.message, "Unknown topic config name: foo");
        assert_eq!(err.code, ErrorCode::InvalidConfig);
        assert_eq!(config, before);

        // A cross check against a value already set.
        let err = config
            .apply_alter(
                &[
                    ("min.compaction.lag.ms", "10"),
                    ("max.compaction.lag.ms", "9"),
                ],
                &[] as &[&str],
            )
            .unwrap_err();
        assert_eq!(
            err.message,
            "conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (9)"
        );
        assert_eq!(config, before);
    }

    #[test]
    fn naming_a_config_twice_in_one_alter_is_an_invalid_request() {
        let mut config = TopicConfig::default();
        let err = config
            .apply_alter(&[("retention.ms", "1")], &["retention.ms"])
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRequest);
        assert_eq!(err.message, "Error due to duplicate config keys");
        let err = config
            .apply_alter(
                &[("retention.ms", "1"), ("retention.ms", "2")],
                &[] as &[&str],
            )
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRequest);
        assert_eq!(config, TopicConfig::default());
    }

    #[test]
    fn append_and_subtract_edit_list_configs() {
        let mut config = TopicConfig::default();
        let append = |value: &str| AlterConfigOp::Append {
            name: CLEANUP_POLICY.to_owned(),
            value: value.to_owned(),
        };
        let subtract = |value: &str| AlterConfigOp::Subtract {
            name: CLEANUP_POLICY.to_owned(),
            value: value.to_owned(),
        };
        // Appending to the default works on "delete".
        config.incremental_alter(&[append("compact")]).unwrap();
        assert_eq!(value(&config, CLEANUP_POLICY), "delete,compact");
        // Appending what is there already changes nothing.
        config.incremental_alter(&[append("delete")]).unwrap();
        assert_eq!(value(&config, CLEANUP_POLICY), "delete,compact");
        config.incremental_alter(&[subtract("delete")]).unwrap();
        assert_eq!(config.cleanup_policy(), CleanupPolicy::COMPACT);
        // Subtracting the last entry leaves the empty policy, overridden.
        config.incremental_alter(&[subtract("compact")]).unwrap();
        assert_eq!(
            config.cleanup_policy(),
            CleanupPolicy {
                delete: false,
                compact: false
            }
        );
        assert!(config.is_overridden(CLEANUP_POLICY));
        // An appended empty entry is caught by the list validator.
        let err = config.incremental_alter(&[append(",delete")]).unwrap_err();
        assert_eq!(
            err.message,
            "Configuration 'cleanup.policy' values must not be empty."
        );

        let err = config
            .incremental_alter(&[AlterConfigOp::Append {
                name: "retention.ms".to_owned(),
                value: "1".to_owned(),
            }])
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidConfig);
        assert_eq!(
            err.message,
            "Can't APPEND to key retention.ms because its type is not LIST."
        );
        let err = config
            .incremental_alter(&[AlterConfigOp::Subtract {
                name: "foo".to_owned(),
                value: "1".to_owned(),
            }])
            .unwrap_err();
        assert_eq!(
            err.message,
            "Can't SUBTRACT to key foo because its type is not LIST."
        );

        let mut throttled = TopicConfig::default();
        throttled
            .incremental_alter(&[AlterConfigOp::Append {
                name: LEADER_REPLICATION_THROTTLED_REPLICAS.to_owned(),
                value: "0:1,1:2".to_owned(),
            }])
            .unwrap();
        assert_eq!(
            value(&throttled, LEADER_REPLICATION_THROTTLED_REPLICAS),
            "0:1,1:2"
        );
    }

    #[test]
    fn derived_values_follow_log_config() {
        let compacted = parse(&[
            ("cleanup.policy", "compact"),
            ("max.compaction.lag.ms", "1000"),
            ("segment.ms", "5000"),
        ])
        .unwrap();
        assert_eq!(compacted.max_segment_ms(), 1000);
        let deleting = parse(&[("max.compaction.lag.ms", "1000"), ("segment.ms", "5000")]).unwrap();
        assert_eq!(deleting.max_segment_ms(), 5000);
    }

    #[test]
    fn java_helpers_behave_like_java() {
        assert_eq!(java_trim("\u{1}\t x \n"), "x");
        assert_eq!(java_trim("\u{a0}x\u{a0}"), "\u{a0}x\u{a0}");
        assert_eq!(split_list(" a , b ,c "), vec!["a", "b", "c"]);
        assert_eq!(split_list("a,,b"), vec!["a", "", "b"]);
        assert_eq!(split_list("a,"), vec!["a", ""]);
        assert!(split_list(" ").is_empty());
        assert_eq!(java_split_on_comma(""), vec![""]);
        assert_eq!(java_split_on_comma("a,b,,"), vec!["a", "b"]);
        assert_eq!(java_split_on_comma(",a"), vec!["", "a"]);
        assert!(java_split_on_comma(",,").is_empty());
        assert!(java_equals_ignore_case("TrUe", "true"));
        assert!(!java_equals_ignore_case("tru", "true"));
        assert!(!java_equals_ignore_case("truee", "true"));
    }

    #[test]
    fn type_and_source_ids_match_the_protocol() {
        let types = [
            (ConfigType::Boolean, 1, "BOOLEAN"),
            (ConfigType::String, 2, "STRING"),
            (ConfigType::Int, 3, "INT"),
            (ConfigType::Short, 4, "SHORT"),
            (ConfigType::Long, 5, "LONG"),
            (ConfigType::Double, 6, "DOUBLE"),
            (ConfigType::List, 7, "LIST"),
            (ConfigType::Class, 8, "CLASS"),
            (ConfigType::Password, 9, "PASSWORD"),
        ];
        for (kind, id, name) in types {
            assert_eq!((kind.id(), kind.name()), (id, name));
        }
        let sources = [
            (ConfigSource::DynamicTopicConfig, 1),
            (ConfigSource::DynamicBrokerConfig, 2),
            (ConfigSource::DynamicDefaultBrokerConfig, 3),
            (ConfigSource::StaticBrokerConfig, 4),
            (ConfigSource::DefaultConfig, 5),
        ];
        for (source, id) in sources {
            assert_eq!(source.id(), id);
        }
        assert_eq!(ConfigSource::DefaultConfig.to_string(), "DEFAULT_CONFIG");
    }

    #[test]
    fn odd_input_never_panics() {
        let odd = [
            "",
            " ",
            "\u{0}",
            "\t\n",
            "-",
            "+",
            "--1",
            "1e309",
            "-1e309",
            "1e-400",
            "NaN",
            "-NaN",
            "Infinity",
            "+Infinity",
            "9999999999999999999999",
            "-9223372036854775809",
            "0x10",
            "１２",
            "٣",
            "ß",
            "ſ",
            "İ",
            "\u{feff}1",
            "1\u{0}",
            ",",
            ",,,",
            "*",
            "*,*",
            ":",
            "1:",
            ":1",
            "1:1:1",
            "compact,,",
            "😀",
            "e",
            ".",
            "..",
            "1.2.3",
            "1e5e5",
            "d",
            "5d5",
            "\u{7f}",
            "true\u{0}",
            "a\u{301}",
            &"9".repeat(400),
            &",".repeat(300),
        ];
        for spec in CONFIG_SPECS {
            for raw in odd {
                let parsed = parse(&[(spec.name, raw)]);
                if let Ok(config) = &parsed {
                    let entries = config.describe();
                    assert!(entries.iter().all(|entry| !entry.name.is_empty()));
                }
                let mut config = TopicConfig::default();
                let _ = config.apply_alter(&[(spec.name, raw)], &[raw]);
                let _ = config.incremental_alter(&[AlterConfigOp::Append {
                    name: spec.name.to_owned(),
                    value: raw.to_owned(),
                }]);
                let _ = config.incremental_alter(&[AlterConfigOp::Subtract {
                    name: raw.to_owned(),
                    value: raw.to_owned(),
                }]);
                let _ = config.describe();
                let _ = parse(&[(raw, raw)]);
            }
        }
        for raw in odd {
            if let Some(double) = parse_java_double(raw) {
                let _ = java_double_to_string(double);
            }
        }
        let mut bits: u64 = 0x0123_4567_89ab_cdef;
        for _ in 0..2000 {
            bits = bits
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let double = f64::from_bits(bits);
            let text = java_double_to_string(double);
            if double.is_finite() {
                // Java's text parses back to the same double.
                assert_eq!(
                    parse_java_double(&text).map(f64::to_bits),
                    Some(double.to_bits()),
                    "{text}"
                );
            }
        }
    }
}
