//! Consumer client configuration, parsed and validated exactly as the two
//! client families a learner can switch between do it: the Java client
//! (`org.apache.kafka.clients.consumer.ConsumerConfig` and the
//! `KafkaConsumer` constructors, Kafka 4.2) and librdkafka (2.x, the C
//! client under confluent-kafka-python, -go and -dotnet:
//! `rd_kafka_conf_set()` then `rd_kafka_new()`). It is the consumer-side
//! twin of [`crate::producer_config`] and shares its machinery (Java's
//! `ConfigDef`, librdkafka's property table and C parsing) through a
//! private module.
//!
//! The families disagree here too. Java knows every `ConsumerConfig` name
//! and logs unknown ones (`These configurations '[foo]' were supplied but
//! are not used yet.`); librdkafka refuses them (`No such configuration
//! property: "foo"`) and warns about producer properties (`Configuration
//! property queue.buffering.max.ms is a producer property and will be
//! ignored by this consumer instance`). Java defaults `isolation.level` to
//! `read_uncommitted`, librdkafka to `read_committed`; Java's
//! `auto.offset.reset` is `latest`, `earliest`, `none` or
//! `by_duration:<ISO-8601 duration>` (KIP-1106, Kafka 4.0), librdkafka's
//! `smallest`/`earliest`/`beginning`, `largest`/`latest`/`end` or `error`.
//! Java's default assignors are `[RangeAssignor, CooperativeStickyAssignor]`
//! (by class name), librdkafka's `range,roundrobin`, and librdkafka refuses
//! to mix eager and cooperative ones.
//!
//! Neither client needs a `group.id` to be created: without one Java turns
//! `enable.auto.commit` off (and refuses it if explicitly `true`, with
//! `InvalidConfigurationException`), names the client
//! `consumer-null-<n>`, and fails later, at `subscribe()` or `commit*()`,
//! with [`JAVA_MISSING_GROUP_ID_MESSAGE`]; librdkafka creates no group
//! handle and fails those calls with `Local: Unknown group`
//! ([`LIBRDKAFKA_UNKNOWN_GROUP_MESSAGE`]). The language bindings are
//! stricter: confluent-kafka-python raises `ValueError` ([`PYTHON_MISSING_GROUP_ID_MESSAGE`])
//! and confluent-kafka-go returns `ErrInvalidArg`
//! ([`GO_MISSING_GROUP_ID_MESSAGE`]) before librdkafka sees anything;
//! [`ConsumerConfig::parse_strict`] models the Python one.
//!
//! [`ConsumerConfig::parse`] turns `key=value` pairs into one typed
//! [`ConsumerConfig`] for both flavours, plus the [`ConfigNotice`]s the
//! client logs while being built; every other name the client knows is
//! validated with its own type and validator and listed by
//! [`ConsumerConfig::describe`] with its effective value, as the startup log
//! (`ConsumerConfig values:`) or `rd_kafka_conf_dump()` shows it.
//!
//! Deliberate simplifications, as in [`crate::producer_config`]:
//! `bootstrap.servers` and the deserializers are optional in
//! [`ConsumerConfig::parse`] (the playground wires the consumer to its own
//! cluster); Java class names are accepted when well-formed, except
//! `partition.assignment.strategy` entries, which must be one of Kafka's
//! four assignor classes (the playground's class path has no others, so
//! anything else fails as `ClassNotFoundException`); interceptors, metrics
//! reporters, bootstrap address resolution and librdkafka's SSL and OAUTHBEARER
//! finalize checks are not simulated.
//!
//! Sources followed: apache/kafka `clients/.../consumer/ConsumerConfig.java`
//! (definitions, `postProcessParsedConfig`: `maybeOverrideClientId`,
//! `maybeOverrideEnableAutoCommit`, `checkUnsupportedConfigsPostProcess`),
//! `internals/AutoOffsetResetStrategy.java`,
//! `internals/ShareAcknowledgementMode.java`, `ShareAcquireMode.java`,
//! `internals/ClassicKafkaConsumer.java`, `internals/AsyncKafkaConsumer.java`
//! (constructors, `maybeThrowInvalidGroupIdException`,
//! `throwIfNoAssignorsConfigured`), `GroupRebalanceConfig.java`,
//! `internals/Heartbeat.java`, `ConsumerPartitionAssignor.getAssignorInstances`,
//! `requests/JoinGroupRequest.validateGroupInstanceId` and
//! `internals/Topic.validate`; `java.time.Duration.parse`; confluentinc/librdkafka
//! `src/rdkafka_conf.c` (`rd_kafka_conf_finalize`, `rd_kafka_conf_warn`,
//! `rd_kafka_anyconf_warn_deprecated`), `src/rdkafka.c` (`rd_kafka_new`),
//! `src/rdkafka_assignor.c` (`rd_kafka_assignors_init`) and
//! `CONFIGURATION.md`; confluent-kafka-python `Consumer.c` and
//! `confluent_kafka.c` (`common_conf_setup`); confluent-kafka-go
//! `consumer.go` (`NewConsumer`).

use std::fmt;
use std::time::Duration;

use thiserror::Error;

use crate::group::assignor::{AssignorKind, PartitionAssignor, RebalanceProtocol};
pub use crate::producer_config::{ClientFlavour, ConfigNotice, DescribedConfig, NoticeLevel};

/// Java: the `InvalidGroupIdException` message of `subscribe()`,
/// `commitSync()`, `commitAsync()`, `committed()`, `groupMetadata()` and the
/// other group APIs of a consumer created without `group.id`.
pub const JAVA_MISSING_GROUP_ID_MESSAGE: &str = "To use the group management or offset \
     commit APIs, you must provide a valid group.id in the consumer configuration.";

/// Java: the `IllegalStateException` message of `subscribe()` on a classic
/// consumer whose `partition.assignment.strategy` is empty.
pub const JAVA_NO_ASSIGNORS_MESSAGE: &str = "Must configure at least one partition assigner \
     class name to partition.assignment.strategy configuration property";

/// librdkafka: `rd_kafka_err2str(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP)`, what
/// `rd_kafka_subscribe()` and `rd_kafka_commit()` return for a consumer
/// without `group.id` (confluent-kafka-python: `KafkaException` with
/// `Failed to set subscription: Local: Unknown group`).
pub const LIBRDKAFKA_UNKNOWN_GROUP_MESSAGE: &str = "Local: Unknown group";

/// librdkafka: `RD_KAFKA_RESP_ERR__UNKNOWN_GROUP`.
pub const LIBRDKAFKA_UNKNOWN_GROUP_CODE: i32 = -179;

/// confluent-kafka-python: the `ValueError` `Consumer(conf)` raises when
/// `conf` has no `group.id` key (checked before any property is set).
pub const PYTHON_MISSING_GROUP_ID_MESSAGE: &str = "Failed to create consumer: group.id must be set";

/// confluent-kafka-go: the `ErrInvalidArg` error `NewConsumer` returns when
/// the `ConfigMap` has no `group.id`.
pub const GO_MISSING_GROUP_ID_MESSAGE: &str = "Required property group.id not set";

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/// What a consumer does when it has no committed offset for a partition, or
/// its position is out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AutoOffsetReset {
    /// Java `earliest`, librdkafka `smallest`, `earliest` or `beginning`.
    Earliest,
    /// Java `latest`, librdkafka `largest`, `latest` or `end`.
    Latest,
    /// Java `none`, librdkafka `error`: no reset; the consumer reports an
    /// error (Java `NoOffsetForPartitionException`, librdkafka
    /// `RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET`).
    None,
    /// Java `by_duration:<duration>` (Kafka 4.0+): the first offset whose
    /// timestamp is at least now minus the duration.
    ByDuration(Duration),
}

/// Which records a fetch returns from transactional producers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IsolationLevel {
    /// Every record, including those of aborted and open transactions.
    ReadUncommitted,
    /// Only committed records, up to the last stable offset.
    ReadCommitted,
}

impl IsolationLevel {
    /// The config value: `read_uncommitted` or `read_committed`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::ReadUncommitted => "read_uncommitted",
            Self::ReadCommitted => "read_committed",
        }
    }

    /// The `IsolationLevel` byte of `FetchRequest` and `ListOffsetsRequest`.
    #[must_use]
    pub const fn id(self) -> i8 {
        match self {
            Self::ReadUncommitted => 0,
            Self::ReadCommitted => 1,
        }
    }
}

impl fmt::Display for IsolationLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The group protocol a consumer speaks (`group.protocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupProtocol {
    /// `JoinGroup`/`SyncGroup` with client-side assignors.
    Classic,
    /// KIP-848's `ConsumerGroupHeartbeat` with server-side assignors.
    Consumer,
}

impl GroupProtocol {
    /// The config value: `classic` or `consumer`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Classic => "classic",
            Self::Consumer => "consumer",
        }
    }
}

impl fmt::Display for GroupProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The exception a Java `KafkaConsumer` constructor failure carries as its
/// cause (the constructor throws `KafkaException: Failed to construct kafka
/// consumer` around it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JavaCause {
    /// `org.apache.kafka.common.errors.InvalidGroupIdException`.
    InvalidGroupId,
    /// `org.apache.kafka.common.errors.InvalidConfigurationException`.
    InvalidConfiguration,
    /// `java.lang.IllegalArgumentException`.
    IllegalArgument,
    /// `org.apache.kafka.common.KafkaException`.
    Kafka,
}

impl JavaCause {
    /// The exception's fully qualified class name.
    #[must_use]
    pub const fn class_name(self) -> &'static str {
        match self {
            Self::InvalidGroupId => "org.apache.kafka.common.errors.InvalidGroupIdException",
            Self::InvalidConfiguration => {
                "org.apache.kafka.common.errors.InvalidConfigurationException"
            }
            Self::IllegalArgument => "java.lang.IllegalArgumentException",
            Self::Kafka => "org.apache.kafka.common.KafkaException",
        }
    }
}

/// Why a consumer could not be configured, with the client's own message.
///
/// Each variant's `Display` is exactly the client's text. How the
/// application sees it differs: the Java client throws the exception named
/// in the variant; librdkafka returns the text in `errstr`, and
/// confluent-kafka-python raises `KafkaException` with code `_INVALID_ARG`,
/// prefixing `rd_kafka_new()` failures with `Failed to create consumer: `.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConsumerConfigError {
    /// Java: `new ConsumerConfig(...)` (or `appendDeserializerToConfig`)
    /// threw a `ConfigException`.
    #[error("{0}")]
    JavaConfig(String),
    /// Java: `new ConsumerConfig(...)` threw
    /// `InvalidConfigurationException` (`enable.auto.commit=true` without a
    /// group, or an illegal `group.instance.id` while the client id is
    /// generated). It reaches the application unwrapped.
    #[error("{0}")]
    JavaInvalidConfiguration(String),
    /// Java: the `KafkaConsumer` constructor failed; the application sees
    /// `KafkaException: Failed to construct kafka consumer` caused by
    /// `cause` with this message.
    #[error("{message}")]
    JavaConstructor {
        /// The cause's exception class.
        cause: JavaCause,
        /// The cause's message.
        message: String,
    },
    /// librdkafka: `rd_kafka_conf_set()` returned `RD_KAFKA_CONF_UNKNOWN`.
    #[error("{0}")]
    LibrdkafkaUnknownProperty(String),
    /// librdkafka: `rd_kafka_conf_set()` returned `RD_KAFKA_CONF_INVALID`.
    /// Out-of-range texts end with a newline, as librdkafka writes them.
    #[error("{0}")]
    LibrdkafkaInvalidValue(String),
    /// librdkafka: `rd_kafka_new()` failed, in `rd_kafka_conf_finalize()` or
    /// while setting up the assignors.
    #[error("{0}")]
    LibrdkafkaFinalize(String),
    /// confluent-kafka-python (strict parsing only): `Consumer(conf)` with
    /// no `group.id` raises `ValueError`.
    #[error("{0}")]
    LibrdkafkaMissingGroupId(String),
}

impl ConsumerConfigError {
    /// The flavour whose client reports this error.
    #[must_use]
    pub const fn flavour(&self) -> ClientFlavour {
        match self {
            Self::JavaConfig(_)
            | Self::JavaInvalidConfiguration(_)
            | Self::JavaConstructor { .. } => ClientFlavour::Java,
            Self::LibrdkafkaUnknownProperty(_)
            | Self::LibrdkafkaInvalidValue(_)
            | Self::LibrdkafkaFinalize(_)
            | Self::LibrdkafkaMissingGroupId(_) => ClientFlavour::Librdkafka,
        }
    }

    /// The client's message.
    #[must_use]
    pub fn message(&self) -> &str {
        match self {
            Self::JavaConfig(m)
            | Self::JavaInvalidConfiguration(m)
            | Self::JavaConstructor { message: m, .. }
            | Self::LibrdkafkaUnknownProperty(m)
            | Self::LibrdkafkaInvalidValue(m)
            | Self::LibrdkafkaFinalize(m)
            | Self::LibrdkafkaMissingGroupId(m) => m,
        }
    }
}

/// Settings only the Java consumer has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaConsumerSettings {
    /// `key.deserializer`, if configured (the class name, trimmed).
    pub key_deserializer: Option<String>,
    /// `value.deserializer`, if configured.
    pub value_deserializer: Option<String>,
    /// Whether `client.id` was generated (`consumer-<group.id>-<n>` or
    /// `consumer-<group.id>-<group.instance.id>`) rather than configured.
    pub client_id_generated: bool,
    /// `request.timeout.ms`.
    pub request_timeout_ms: u32,
    /// `default.api.timeout.ms`: the timeout of blocking calls given none.
    pub default_api_timeout_ms: u32,
    /// `retry.backoff.ms`.
    pub retry_backoff_ms: u64,
    /// `retry.backoff.max.ms`.
    pub retry_backoff_max_ms: u64,
    /// `exclude.internal.topics`: pattern subscriptions skip internal
    /// topics.
    pub exclude_internal_topics: bool,
    /// `interceptor.classes`, as configured.
    pub interceptor_classes: Vec<String>,
}

/// Settings only librdkafka's consumer has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibrdkafkaConsumerSettings {
    /// `enable.auto.offset.store`: offsets of messages handed to the
    /// application are stored for the next commit automatically.
    pub enable_auto_offset_store: bool,
    /// `queued.min.messages` per partition in the local queue.
    pub queued_min_messages: u32,
    /// `queued.max.messages.kbytes` in the local queue.
    pub queued_max_messages_kbytes: u32,
    /// `fetch.error.backoff.ms`.
    pub fetch_error_backoff_ms: u32,
    /// `fetch.queue.backoff.ms`.
    pub fetch_queue_backoff_ms: u32,
    /// `receive.message.max.bytes` (raised to `fetch.max.bytes` + 512 unless
    /// set).
    pub receive_message_max_bytes: u32,
    /// `socket.timeout.ms`.
    pub socket_timeout_ms: u32,
    /// `coordinator.query.interval.ms`.
    pub coordinator_query_interval_ms: u32,
    /// `retry.backoff.ms`.
    pub retry_backoff_ms: u32,
    /// `retry.backoff.max.ms`.
    pub retry_backoff_max_ms: u32,
}

/// The flavour-specific part of a [`ConsumerConfig`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsumerClientSettings {
    /// The Java client's extra settings.
    Java(JavaConsumerSettings),
    /// librdkafka's extra settings.
    Librdkafka(LibrdkafkaConsumerSettings),
}

/// A consumer's configuration, in one typed form for both flavours.
///
/// The public fields are the effective values after the client's own
/// post-processing (generated client id, `enable.auto.commit` turned off
/// without a group, librdkafka's derived fetch sizes). [`Self::describe`]
/// reports the configuration as it was parsed; editing the fields
/// afterwards does not change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerConfig {
    /// The client flavour.
    pub flavour: ClientFlavour,
    /// `client.id` (Java generates `consumer-<group.id>-<n>`, librdkafka
    /// defaults to `rdkafka`).
    pub client_id: String,
    /// `bootstrap.servers` (librdkafka: `metadata.broker.list`), split into
    /// entries; empty if not configured.
    pub bootstrap_servers: Vec<String>,
    /// `group.id` (`None`: no group; librdkafka treats an empty value as
    /// none, Java refuses it when the consumer is constructed).
    pub group_id: Option<String>,
    /// `group.instance.id`: static membership.
    pub group_instance_id: Option<String>,
    /// `group.protocol`.
    pub group_protocol: GroupProtocol,
    /// `group.remote.assignor`: the server-side assignor a `consumer`
    /// protocol member asks for.
    pub group_remote_assignor: Option<String>,
    /// `auto.offset.reset`.
    pub auto_offset_reset: AutoOffsetReset,
    /// `enable.auto.commit` (effective: Java turns it off without a group).
    pub enable_auto_commit: bool,
    /// `auto.commit.interval.ms`.
    pub auto_commit_interval_ms: u32,
    /// Java `max.poll.records`; librdkafka has no such limit (`None`).
    pub max_poll_records: Option<u32>,
    /// `max.poll.interval.ms`.
    pub max_poll_interval_ms: u32,
    /// `session.timeout.ms` (Java does not validate it: it may be zero or
    /// negative, which the broker then refuses).
    pub session_timeout_ms: i32,
    /// `heartbeat.interval.ms` (Java does not validate it either).
    pub heartbeat_interval_ms: i32,
    /// `fetch.min.bytes`.
    pub fetch_min_bytes: u32,
    /// `fetch.max.bytes` (librdkafka: adjusted to at least
    /// `message.max.bytes` and at most `queued.max.messages.kbytes` unless
    /// set).
    pub fetch_max_bytes: u32,
    /// Java `fetch.max.wait.ms`, librdkafka `fetch.wait.max.ms`.
    pub fetch_max_wait_ms: u32,
    /// Java `max.partition.fetch.bytes`, librdkafka
    /// `fetch.message.max.bytes`.
    pub max_partition_fetch_bytes: u32,
    /// `partition.assignment.strategy`, in preference order (Java: the
    /// classes' assignors; librdkafka: each name once).
    pub assignment_strategies: Vec<AssignorKind>,
    /// `isolation.level`.
    pub isolation_level: IsolationLevel,
    /// librdkafka `enable.partition.eof` (Java never reports the end of a
    /// partition: always `false`).
    pub enable_partition_eof: bool,
    /// `check.crcs`.
    pub check_crcs: bool,
    /// `allow.auto.create.topics` (Java `true`, librdkafka consumers
    /// `false`, by default).
    pub allow_auto_create_topics: bool,
    /// `client.rack` (`None` when empty).
    pub client_rack: Option<String>,
    /// Flavour-specific settings.
    pub client: ConsumerClientSettings,
    described: Vec<DescribedConfig>,
}

impl ConsumerConfig {
    /// Parses `key=value` pairs as the `flavour`'s client does when a
    /// consumer is created, returning the configuration and the lines the
    /// client logs on the way. A name given twice keeps its last value
    /// (librdkafka applies both, in order). `bootstrap.servers`, the Java
    /// deserializers and `group.id` may be left out; see
    /// [`Self::parse_strict`].
    ///
    /// # Errors
    ///
    /// The client's error, see [`ConsumerConfigError`].
    pub fn parse<K: AsRef<str>, V: AsRef<str>>(
        flavour: ClientFlavour,
        pairs: &[(K, V)],
    ) -> Result<(Self, Vec<ConfigNotice>), ConsumerConfigError> {
        Self::parse_with(flavour, pairs, false)
    }

    /// Like [`Self::parse`], but as strict as the real client about the
    /// settings the playground otherwise supplies: Java requires
    /// `key.deserializer`, `value.deserializer` and `bootstrap.servers`;
    /// librdkafka behaves as confluent-kafka-python's `Consumer`, which
    /// requires a `group.id` key, and logs that no `bootstrap.servers` is
    /// configured.
    ///
    /// # Errors
    ///
    /// The client's error, see [`ConsumerConfigError`].
    pub fn parse_strict<K: AsRef<str>, V: AsRef<str>>(
        flavour: ClientFlavour,
        pairs: &[(K, V)],
    ) -> Result<(Self, Vec<ConfigNotice>), ConsumerConfigError> {
        Self::parse_with(flavour, pairs, true)
    }

    fn parse_with<K: AsRef<str>, V: AsRef<str>>(
        flavour: ClientFlavour,
        pairs: &[(K, V)],
        strict: bool,
    ) -> Result<(Self, Vec<ConfigNotice>), ConsumerConfigError> {
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        match flavour {
            ClientFlavour::Java => java::parse(&pairs, strict),
            ClientFlavour::Librdkafka => rdkafka::parse(&pairs, strict),
        }
    }

    /// The configuration of a consumer created with no settings at all (for
    /// Java that means no group: `enable.auto.commit` is off).
    #[must_use]
    pub fn defaults(flavour: ClientFlavour) -> Self {
        let empty: [(&str, &str); 0] = [];
        match Self::parse(flavour, &empty) {
            Ok((config, _)) => config,
            // Invariant: an empty configuration is valid in both flavours
            // (checked by the `defaults_*` tests); this arm is unreachable.
            Err(error) => unreachable!("the default configuration is valid: {error}"),
        }
    }

    /// Every config the flavour's client knows (for librdkafka: every
    /// documented global and topic property, not aliases, callbacks or
    /// hidden ones), with its effective value and whether it was set. Java
    /// configs are sorted by name, as its startup log lists them;
    /// librdkafka's are in its own table order, global then topic.
    #[must_use]
    pub fn describe(&self) -> &[DescribedConfig] {
        &self.described
    }

    /// One described config by name (for a librdkafka name that exists at
    /// both levels, such as `enable.auto.commit`, the global one).
    #[must_use]
    pub fn describe_one(&self, name: &str) -> Option<&DescribedConfig> {
        self.described.iter().find(|d| d.name == name)
    }

    /// The error the client's group APIs (subscribe, commit, committed
    /// offsets, group metadata) report for this configuration: `None` when
    /// a group is configured; otherwise Java's `InvalidGroupIdException`
    /// text ([`JAVA_MISSING_GROUP_ID_MESSAGE`]) or librdkafka's
    /// `RD_KAFKA_RESP_ERR__UNKNOWN_GROUP` text
    /// ([`LIBRDKAFKA_UNKNOWN_GROUP_MESSAGE`]). Manual `assign()` and
    /// fetching work either way.
    #[must_use]
    pub fn missing_group_message(&self) -> Option<&'static str> {
        match (&self.group_id, self.flavour) {
            (Some(_), _) => None,
            (None, ClientFlavour::Java) => Some(JAVA_MISSING_GROUP_ID_MESSAGE),
            (None, ClientFlavour::Librdkafka) => Some(LIBRDKAFKA_UNKNOWN_GROUP_MESSAGE),
        }
    }

    /// The rebalance protocol a classic-protocol member would use: the
    /// newest one every configured assignor supports (Java picks it in
    /// `ConsumerCoordinator`; librdkafka refuses mixed lists, so it is the
    /// list's). `None` with no assignors or with `group.protocol=consumer`,
    /// whose assignment is incremental and server-side. Java's default
    /// `[range, cooperative-sticky]` is eager.
    #[must_use]
    pub fn rebalance_protocol(&self) -> Option<RebalanceProtocol> {
        if self.group_protocol == GroupProtocol::Consumer {
            return None;
        }
        let (first, rest) = self.assignment_strategies.split_first()?;
        first
            .supported_protocols()
            .iter()
            .copied()
            .filter(|protocol| {
                rest.iter()
                    .all(|kind| kind.supported_protocols().contains(protocol))
            })
            .max()
    }

    /// For a Java consumer whose `client.id` was generated from the JVM-wide
    /// sequence (`consumer-<group.id>-1` for the first consumer without a
    /// client id or group instance id), renames it
    /// `consumer-<group.id>-<sequence>`: the playground counts consumers per
    /// simulated JVM. Does nothing otherwise.
    pub fn set_java_client_id_sequence(&mut self, sequence: u32) {
        if let ConsumerClientSettings::Java(java) = &self.client {
            if java.client_id_generated && self.group_instance_id.is_none() {
                self.client_id = format!(
                    "consumer-{}-{sequence}",
                    self.group_id.as_deref().unwrap_or("null")
                );
                if let Some(entry) = self.described.iter_mut().find(|d| d.name == "client.id") {
                    entry.value.clone_from(&self.client_id);
                }
            }
        }
    }
}

/// `JoinGroupRequest.validateGroupInstanceId`: `Topic.validate` with the
/// prefix `Group instance id`.
fn validate_group_instance_id(id: &str) -> Result<(), String> {
    const MAX_NAME_LENGTH: usize = 249;
    let prefix = "Group instance id";
    if id.is_empty() {
        return Err(format!("{prefix} is illegal, it can't be empty"));
    }
    if id == "." || id == ".." {
        return Err(format!("{prefix} cannot be \".\" or \"..\""));
    }
    // `String.length()` counts UTF-16 code units.
    if id.encode_utf16().count() > MAX_NAME_LENGTH {
        return Err(format!(
            "{prefix} is illegal, it can't be longer than {MAX_NAME_LENGTH} characters, \
             {prefix}: {id}"
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
    {
        return Err(format!(
            "{prefix} \"{id}\" is illegal, it contains a character other than ASCII \
             alphanumerics, '.', '_' and '-'"
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The Java client
// ---------------------------------------------------------------------------

/// `ConsumerConfig` and the checks of the `KafkaConsumer` constructors.
mod java {
    use super::{
        validate_group_instance_id, AutoOffsetReset, ConsumerClientSettings, ConsumerConfig,
        ConsumerConfigError, GroupProtocol, IsolationLevel, JavaCause, JavaConsumerSettings,
    };
    use crate::client_config::java::{
        concat_specs, parse_java_duration, post_process_common, spec, v, Accepts, Check, Fallback,
        Parsed, Spec, Type, Value, DNS_LOOKUPS, RECORDING_LEVELS, RECOVERY_STRATEGIES,
        SECURITY_PROTOCOLS, SECURITY_SPECS,
    };
    use crate::group::assignor::AssignorKind;
    use crate::producer_config::{to_u32, to_u64, ClientFlavour, ConfigNotice};
    use crate::topic_config::{java_equals_ignore_case, java_trim};
    use std::time::Duration;

    use Check as C;
    use Fallback as D;
    use Type as T;

    /// The default `partition.assignment.strategy`:
    /// `List.of(RangeAssignor.class, CooperativeStickyAssignor.class)`.
    const DEFAULT_ASSIGNORS: &str = "org.apache.kafka.clients.consumer.RangeAssignor,\
         org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
    /// `IsolationLevel.toString()` of both levels, in definition order.
    const ISOLATION_LEVELS: &[&str] = &["read_committed", "read_uncommitted"];
    /// `GroupProtocol` names in their `HashSet` iteration order.
    const GROUP_PROTOCOLS: &[&str] = &["CONSUMER", "CLASSIC"];
    const OFFSET_RESET_EXPECTED: &str = "The value must be either 'earliest', 'latest', 'none' \
         or of the format 'by_duration:<PnDTnHnMn.nS.>'.";

    /// `ConsumerConfig`'s own configs before `withClientSslSupport()`.
    const HEAD: &[Spec] = &[
        spec(
            "bootstrap.servers",
            T::List,
            D::Required,
            C::List {
                empty_allowed: false,
            },
        ),
        spec(
            "client.dns.lookup",
            T::Str,
            v("use_all_dns_ips"),
            C::OneOf(DNS_LOOKUPS),
        ),
        spec("group.id", T::Str, D::Null, C::None),
        spec("group.instance.id", T::Str, D::Null, C::NonEmpty),
        spec("session.timeout.ms", T::Int, v("45000"), C::None),
        spec("heartbeat.interval.ms", T::Int, v("3000"), C::None),
        spec(
            "partition.assignment.strategy",
            T::List,
            v(DEFAULT_ASSIGNORS),
            C::List {
                empty_allowed: true,
            },
        ),
        spec("metadata.max.age.ms", T::Long, v("300000"), C::AtLeast(0)),
        spec("enable.auto.commit", T::Boolean, v("true"), C::None),
        spec("auto.commit.interval.ms", T::Int, v("5000"), C::AtLeast(0)),
        spec("client.id", T::Str, v(""), C::None),
        spec("client.rack", T::Str, v(""), C::None),
        spec(
            "max.partition.fetch.bytes",
            T::Int,
            v("1048576"),
            C::AtLeast(0),
        ),
        spec("send.buffer.bytes", T::Int, v("131072"), C::AtLeast(-1)),
        spec("receive.buffer.bytes", T::Int, v("65536"), C::AtLeast(-1)),
        spec("fetch.min.bytes", T::Int, v("1"), C::AtLeast(0)),
        spec("fetch.max.bytes", T::Int, v("52428800"), C::AtLeast(0)),
        spec("fetch.max.wait.ms", T::Int, v("500"), C::AtLeast(0)),
        spec("reconnect.backoff.ms", T::Long, v("50"), C::AtLeast(0)),
        spec(
            "reconnect.backoff.max.ms",
            T::Long,
            v("1000"),
            C::AtLeast(0),
        ),
        spec("retry.backoff.ms", T::Long, v("100"), C::AtLeast(0)),
        spec("retry.backoff.max.ms", T::Long, v("1000"), C::AtLeast(0)),
        spec("enable.metrics.push", T::Boolean, v("true"), C::None),
        spec(
            "auto.offset.reset",
            T::Str,
            v("latest"),
            C::Restated {
                accepts: Accepts::OffsetResetStrategy,
                expected: OFFSET_RESET_EXPECTED,
            },
        ),
        spec("check.crcs", T::Boolean, v("true"), C::None),
        spec(
            "metrics.sample.window.ms",
            T::Long,
            v("30000"),
            C::AtLeast(0),
        ),
        spec("metrics.num.samples", T::Int, v("2"), C::AtLeast(1)),
        spec(
            "metrics.recording.level",
            T::Str,
            v("INFO"),
            C::OneOf(RECORDING_LEVELS),
        ),
        spec(
            "metric.reporters",
            T::List,
            v("org.apache.kafka.common.metrics.JmxReporter"),
            C::List {
                empty_allowed: true,
            },
        ),
        spec("key.deserializer", T::Class, D::Required, C::None),
        spec("value.deserializer", T::Class, D::Required, C::None),
        spec("request.timeout.ms", T::Int, v("30000"), C::AtLeast(0)),
        spec("default.api.timeout.ms", T::Int, v("60000"), C::AtLeast(0)),
        spec(
            "socket.connection.setup.timeout.ms",
            T::Long,
            v("10000"),
            C::None,
        ),
        spec(
            "socket.connection.setup.timeout.max.ms",
            T::Long,
            v("30000"),
            C::None,
        ),
        spec("connections.max.idle.ms", T::Long, v("540000"), C::None),
        spec(
            "interceptor.classes",
            T::List,
            v(""),
            C::List {
                empty_allowed: true,
            },
        ),
        spec("max.poll.records", T::Int, v("500"), C::AtLeast(1)),
        spec("max.poll.interval.ms", T::Int, v("300000"), C::AtLeast(1)),
        spec("exclude.internal.topics", T::Boolean, v("true"), C::None),
        // defineInternal: not documented, but parsed and logged.
        spec(
            "internal.throw.on.fetch.stable.offset.unsupported",
            T::Boolean,
            v("false"),
            C::None,
        ),
        spec(
            "isolation.level",
            T::Str,
            v("read_uncommitted"),
            C::OneOf(ISOLATION_LEVELS),
        ),
        spec("allow.auto.create.topics", T::Boolean, v("true"), C::None),
        spec(
            "group.protocol",
            T::Str,
            v("classic"),
            C::OneOfIgnoreCase(GROUP_PROTOCOLS),
        ),
        spec("group.remote.assignor", T::Str, D::Null, C::None),
        spec("security.providers", T::Str, D::Null, C::None),
        spec(
            "security.protocol",
            T::Str,
            v("PLAINTEXT"),
            C::OneOfIgnoreCase(SECURITY_PROTOCOLS),
        ),
    ];

    /// `ConsumerConfig`'s configs after `withClientSaslSupport()`.
    const TAIL: &[Spec] = &[
        spec(
            "metadata.recovery.strategy",
            T::Str,
            v("rebootstrap"),
            C::OneOfIgnoreCase(RECOVERY_STRATEGIES),
        ),
        spec(
            "metadata.recovery.rebootstrap.trigger.ms",
            T::Long,
            v("300000"),
            C::AtLeast(0),
        ),
        spec(
            "share.acknowledgement.mode",
            T::Str,
            v("implicit"),
            C::Restated {
                accepts: Accepts::Exactly(&["implicit", "explicit"]),
                expected: "The value must either be 'implicit' or 'explicit'.",
            },
        ),
        spec(
            "share.acquire.mode",
            T::Str,
            v("batch_optimized"),
            C::Restated {
                accepts: Accepts::UpperCased(&["BATCH_OPTIMIZED", "RECORD_LIMIT"]),
                expected: "The value must either be 'batch_optimized' or 'record_limit'.",
            },
        ),
        spec(
            "config.providers",
            T::List,
            v(""),
            C::List {
                empty_allowed: true,
            },
        ),
    ];

    const LEN: usize = HEAD.len() + SECURITY_SPECS.len() + TAIL.len();
    const ALL: [Spec; LEN] = concat_specs(&[HEAD, SECURITY_SPECS, TAIL]);

    /// Every consumer config of Kafka 4.2 in `ConsumerConfig`'s definition
    /// order, which is the order `ConfigDef.parse` checks them in.
    pub(super) const SPECS: &[Spec] = &ALL;

    // `share.acquire.mode` (KIP-1206, 4.2) is listed with
    // `share.acknowledgement.mode` in both lists below and defined after it;
    // the 4.2 source of that placement was not available, the rest is
    // `ConsumerConfig`'s.

    /// `CLASSIC_PROTOCOL_UNSUPPORTED_CONFIGS`.
    const CLASSIC_UNSUPPORTED: &[&str] = &[
        "group.remote.assignor",
        "share.acknowledgement.mode",
        "share.acquire.mode",
    ];
    /// `CONSUMER_PROTOCOL_UNSUPPORTED_CONFIGS`.
    const CONSUMER_UNSUPPORTED: &[&str] = &[
        "partition.assignment.strategy",
        "heartbeat.interval.ms",
        "session.timeout.ms",
        "share.acknowledgement.mode",
        "share.acquire.mode",
    ];

    /// `new KafkaConsumer<>(props)`, as far as configuration goes.
    pub(super) fn parse(
        pairs: &[(&str, &str)],
        strict: bool,
    ) -> Result<(ConsumerConfig, Vec<ConfigNotice>), ConsumerConfigError> {
        let config_error = ConsumerConfigError::JavaConfig;
        let invalid_configuration = ConsumerConfigError::JavaInvalidConfiguration;
        let constructor = |cause, message| ConsumerConfigError::JavaConstructor { cause, message };

        // ConsumerConfig.appendDeserializerToConfig, then ConfigDef.parse.
        let mut cfg = Parsed::parse(
            SPECS,
            pairs,
            strict,
            ["key.deserializer", "value.deserializer"],
        )
        .map_err(config_error)?;
        let mut notices = Vec::new();

        // ConsumerConfig.postProcessParsedConfig
        // 1.-3. The CommonClientConfigs steps.
        post_process_common(&mut cfg, &mut notices).map_err(config_error)?;
        // 4. maybeOverrideClientId: a null or empty client.id is generated.
        let group_id = cfg.string("group.id").map(str::to_owned);
        let group_instance_id = cfg.string("group.instance.id").map(str::to_owned);
        let configured_client_id = cfg.string("client.id").unwrap_or("").to_owned();
        let client_id_generated = configured_client_id.is_empty();
        let client_id = if client_id_generated {
            if let Some(id) = &group_instance_id {
                validate_group_instance_id(id).map_err(invalid_configuration)?;
            }
            // String.format("consumer-%s-%s", groupId, ...) prints null.
            format!(
                "consumer-{}-{}",
                group_id.as_deref().unwrap_or("null"),
                group_instance_id.as_deref().unwrap_or("1")
            )
        } else {
            configured_client_id
        };
        cfg.set("client.id", Value::Str(client_id.clone()));
        // 5. maybeOverrideEnableAutoCommit: only for the default (null) group.
        if group_id.is_none() {
            if !cfg.is_set("enable.auto.commit") {
                cfg.set("enable.auto.commit", Value::Bool(false));
            } else if cfg.boolean("enable.auto.commit") {
                return Err(invalid_configuration(
                    "enable.auto.commit cannot be set to true when default group id (null) is \
                     used."
                        .to_owned(),
                ));
            }
        }
        // 6. checkUnsupportedConfigsPostProcess
        let group_protocol = match cfg.string("group.protocol") {
            Some(p) if java_equals_ignore_case(p, "consumer") => GroupProtocol::Consumer,
            _ => GroupProtocol::Classic,
        };
        let (unsupported, protocol_name) = match group_protocol {
            GroupProtocol::Classic => (CLASSIC_UNSUPPORTED, "CLASSIC"),
            GroupProtocol::Consumer => (CONSUMER_UNSUPPORTED, "CONSUMER"),
        };
        let invalid: Vec<&str> = unsupported
            .iter()
            .copied()
            .filter(|name| cfg.original(name).is_some_and(|v| !java_trim(v).is_empty()))
            .collect();
        if !invalid.is_empty() {
            return Err(config_error(format!(
                "{} cannot be set when group.protocol={protocol_name}",
                invalid.join(", ")
            )));
        }

        // The ClassicKafkaConsumer / AsyncKafkaConsumer constructor.
        // GroupRebalanceConfig validates the instance id again.
        if let Some(id) = &group_instance_id {
            validate_group_instance_id(id)
                .map_err(|m| constructor(JavaCause::InvalidConfiguration, m))?;
        }
        if group_id.as_deref() == Some("") {
            return Err(constructor(
                JavaCause::InvalidGroupId,
                "The configured group.id should not be an empty string or whitespace.".to_owned(),
            ));
        }
        let mut assignment_strategies = Vec::new();
        for class in cfg.list("partition.assignment.strategy") {
            // ConsumerPartitionAssignor.getAssignorInstances: Class.forName.
            match class
                .parse::<AssignorKind>()
                .ok()
                .filter(|kind| kind.java_class_name() == class)
            {
                Some(kind) => assignment_strategies.push(kind),
                // The consumer protocol never loads the classes.
                None if group_protocol == GroupProtocol::Consumer => {}
                None => {
                    return Err(constructor(
                        JavaCause::Kafka,
                        format!("{class} ClassNotFoundException exception occurred"),
                    ))
                }
            }
        }
        let session_timeout_ms = cfg.int("session.timeout.ms");
        let heartbeat_interval_ms = cfg.int("heartbeat.interval.ms");
        // A classic consumer with a group builds a ConsumerCoordinator, whose
        // Heartbeat checks the interval.
        if group_protocol == GroupProtocol::Classic
            && group_id.is_some()
            && heartbeat_interval_ms >= session_timeout_ms
        {
            return Err(constructor(
                JavaCause::IllegalArgument,
                "Heartbeat must be set lower than the session timeout".to_owned(),
            ));
        }
        // AbstractConfig.logUnused
        notices.extend(cfg.unused_notice());

        let described = cfg.describe(|spec, value| {
            if spec.name == "partition.assignment.strategy" && !cfg.is_set(spec.name) {
                // The default is a list of Class objects.
                let classes: Vec<String> = DEFAULT_ASSIGNORS
                    .split(',')
                    .map(|class| format!("class {class}"))
                    .collect();
                format!("[{}]", classes.join(", "))
            } else {
                value.to_string()
            }
        });
        let auto_offset_reset = match cfg.string("auto.offset.reset") {
            Some("earliest") => AutoOffsetReset::Earliest,
            Some("none") => AutoOffsetReset::None,
            Some(other) => match other
                .strip_prefix("by_duration:")
                .and_then(parse_java_duration)
            {
                // The validator only lets non-negative durations through.
                Some((seconds, nanos)) => AutoOffsetReset::ByDuration(Duration::new(
                    u64::try_from(seconds).unwrap_or(0),
                    u32::try_from(nanos).unwrap_or(0),
                )),
                None => AutoOffsetReset::Latest,
            },
            None => AutoOffsetReset::Latest,
        };
        let config = ConsumerConfig {
            flavour: ClientFlavour::Java,
            client_id,
            bootstrap_servers: cfg.list("bootstrap.servers"),
            group_id,
            group_instance_id,
            group_protocol,
            group_remote_assignor: cfg.string("group.remote.assignor").map(str::to_owned),
            auto_offset_reset,
            enable_auto_commit: cfg.boolean("enable.auto.commit"),
            auto_commit_interval_ms: to_u32(cfg.long("auto.commit.interval.ms")),
            max_poll_records: Some(to_u32(cfg.long("max.poll.records"))),
            max_poll_interval_ms: to_u32(cfg.long("max.poll.interval.ms")),
            session_timeout_ms,
            heartbeat_interval_ms,
            fetch_min_bytes: to_u32(cfg.long("fetch.min.bytes")),
            fetch_max_bytes: to_u32(cfg.long("fetch.max.bytes")),
            fetch_max_wait_ms: to_u32(cfg.long("fetch.max.wait.ms")),
            max_partition_fetch_bytes: to_u32(cfg.long("max.partition.fetch.bytes")),
            assignment_strategies,
            isolation_level: if cfg.string("isolation.level") == Some("read_committed") {
                IsolationLevel::ReadCommitted
            } else {
                IsolationLevel::ReadUncommitted
            },
            enable_partition_eof: false,
            check_crcs: cfg.boolean("check.crcs"),
            allow_auto_create_topics: cfg.boolean("allow.auto.create.topics"),
            client_rack: cfg
                .string("client.rack")
                .filter(|rack| !rack.is_empty())
                .map(str::to_owned),
            client: ConsumerClientSettings::Java(JavaConsumerSettings {
                key_deserializer: cfg.string("key.deserializer").map(str::to_owned),
                value_deserializer: cfg.string("value.deserializer").map(str::to_owned),
                client_id_generated,
                request_timeout_ms: to_u32(cfg.long("request.timeout.ms")),
                default_api_timeout_ms: to_u32(cfg.long("default.api.timeout.ms")),
                retry_backoff_ms: to_u64(cfg.long("retry.backoff.ms")),
                retry_backoff_max_ms: to_u64(cfg.long("retry.backoff.max.ms")),
                exclude_internal_topics: cfg.boolean("exclude.internal.topics"),
                interceptor_classes: cfg.list("interceptor.classes"),
            }),
            described,
        };
        Ok((config, notices))
    }
}

// ---------------------------------------------------------------------------
// librdkafka
// ---------------------------------------------------------------------------

/// `rd_kafka_conf_finalize()` and `rd_kafka_new()` for a consumer.
mod rdkafka {
    use super::{
        AutoOffsetReset, ConsumerClientSettings, ConsumerConfig, ConsumerConfigError,
        GroupProtocol, IsolationLevel, LibrdkafkaConsumerSettings, PYTHON_MISSING_GROUP_ID_MESSAGE,
    };
    use crate::client_config::rdkafka::{apply, brokers, Conf, Role, SetError, Val};
    use crate::group::assignor::{AssignorKind, PartitionAssignor};
    use crate::producer_config::{to_u32, ClientFlavour, ConfigNotice};

    /// `RD_KAFKA_OFFSET_INVALID`, the value of `auto.offset.reset=error`.
    const OFFSET_ERROR: i32 = -1001;
    /// `RD_KAFKA_OFFSET_BEGINNING`.
    const OFFSET_BEGINNING: i32 = -2;

    impl Conf {
        /// `rd_kafka_conf_finalize()` for a consumer.
        fn finalize_consumer(&mut self) -> Result<(), String> {
            let message_max = self.int(false, "message.max.bytes");
            if self.is_modified(false, "fetch.max.bytes") {
                if self.int(false, "fetch.max.bytes") < message_max {
                    return Err("`fetch.max.bytes` must be >= `message.max.bytes`".into());
                }
            } else {
                // At most 2097151 KiB, which fits an int.
                let queued = self
                    .int(false, "queued.max.messages.kbytes")
                    .saturating_mul(1024);
                let adjusted = self
                    .int(false, "fetch.max.bytes")
                    .min(queued)
                    .max(message_max);
                self.put(false, "fetch.max.bytes", Val::Int(adjusted));
            }
            // fetch.max.bytes is at most INT_MAX - 512, so + 512 fits.
            let framed = self.int(false, "fetch.max.bytes").saturating_add(512);
            let receive_max = self.int(false, "receive.message.max.bytes");
            if self.is_modified(false, "receive.message.max.bytes") {
                if framed > receive_max {
                    return Err(
                        "`receive.message.max.bytes` must be >= `fetch.max.bytes` + 512".into(),
                    );
                }
            } else {
                self.put(
                    false,
                    "receive.message.max.bytes",
                    Val::Int(receive_max.max(framed)),
                );
            }
            if self.int(false, "group.protocol") == 0 {
                if self.int(false, "max.poll.interval.ms") < self.int(false, "session.timeout.ms") {
                    return Err("`max.poll.interval.ms`must be >= `session.timeout.ms`".into());
                }
            } else {
                // KIP-848 (librdkafka 2.10+): the classic group settings are
                // refused. Texts as librdkafka reports them; their order here
                // is an assumption.
                for (name, hint) in [
                    ("session.timeout.ms", ". It is defined broker side"),
                    (
                        "partition.assignment.strategy",
                        ". Use `group.remote.assignor` instead",
                    ),
                    ("group.protocol.type", ""),
                    ("heartbeat.interval.ms", ". It is defined broker side"),
                ] {
                    if self.is_modified(false, name) {
                        return Err(format!(
                            "`{name}` is not supported for `group.protocol=consumer`{hint}"
                        ));
                    }
                }
            }
            // Simplifies rd_kafka_is_idempotent(), which is producer-only.
            self.put(false, "enable.idempotence", Val::Bool(false));
            // rd_kafka_topic_conf_finalize() checks nothing for a consumer.
            self.finalize_common(Role::Consumer)
        }

        /// `rd_kafka_assignors_init()`: the enabled assignors in the order
        /// first named. Tokens are split on `,`, left-trimmed of spaces and
        /// commas and, as librdkafka's `rtrim()` starts at the terminator,
        /// never right-trimmed.
        fn assignors(&self) -> Result<Vec<AssignorKind>, String> {
            let wanted = self
                .string(false, "partition.assignment.strategy")
                .unwrap_or("");
            let mut enabled = Vec::new();
            let mut rest = wanted;
            while !rest.is_empty() {
                let s = rest.trim_start_matches([' ', ',']);
                let (token, next) = s.split_once(',').unwrap_or((s, ""));
                rest = next;
                if token.is_empty() {
                    break;
                }
                // librdkafka's built-ins: range, roundrobin and
                // cooperative-sticky (it has no eager sticky assignor).
                let kind = token
                    .parse::<AssignorKind>()
                    .ok()
                    .filter(|kind| kind.name() == token && *kind != AssignorKind::Sticky)
                    .ok_or_else(|| format!("Unsupported partition.assignment.strategy: {token}"))?;
                if !enabled.contains(&kind) {
                    enabled.push(kind);
                }
            }
            let protocol = |kind: &AssignorKind| kind.supported_protocols().first().copied();
            let first = enabled.first().map(protocol);
            if enabled.iter().any(|kind| Some(protocol(kind)) != first) {
                return Err(format!(
                    "All partition.assignment.strategy ({wanted}) assignors must have the same \
                     protocol type, online migration between assignors with different protocol \
                     types is not supported"
                ));
            }
            Ok(enabled)
        }
    }

    /// `rd_kafka_conf_set()` for each pair in order, then
    /// `rd_kafka_new(RD_KAFKA_CONSUMER, ...)`.
    pub(super) fn parse(
        pairs: &[(&str, &str)],
        strict: bool,
    ) -> Result<(ConsumerConfig, Vec<ConfigNotice>), ConsumerConfigError> {
        // confluent-kafka-python's common_conf_setup, before any conf_set.
        if strict && !pairs.iter().any(|(name, _)| *name == "group.id") {
            return Err(ConsumerConfigError::LibrdkafkaMissingGroupId(
                PYTHON_MISSING_GROUP_ID_MESSAGE.to_owned(),
            ));
        }
        let mut conf = apply(pairs).map_err(|e| match e {
            SetError::Unknown(m) => ConsumerConfigError::LibrdkafkaUnknownProperty(m),
            SetError::Invalid(m) => ConsumerConfigError::LibrdkafkaInvalidValue(m),
        })?;
        conf.finalize_consumer()
            .map_err(ConsumerConfigError::LibrdkafkaFinalize)?;
        let assignment_strategies = conf
            .assignors()
            .map_err(ConsumerConfigError::LibrdkafkaFinalize)?;
        let notices = conf.warnings(Role::Consumer, strict);
        Ok((build(&conf, assignment_strategies), notices))
    }

    fn build(conf: &Conf, assignment_strategies: Vec<AssignorKind>) -> ConsumerConfig {
        let int = |name: &str| to_u32(i64::from(conf.int(false, name)));
        let string = |name: &str| conf.string(false, name).map(str::to_owned);
        ConsumerConfig {
            flavour: ClientFlavour::Librdkafka,
            client_id: string("client.id").unwrap_or_else(|| "rdkafka".to_owned()),
            bootstrap_servers: brokers(conf.string(false, "metadata.broker.list")),
            group_id: string("group.id"),
            group_instance_id: string("group.instance.id"),
            group_protocol: if conf.int(false, "group.protocol") == 1 {
                GroupProtocol::Consumer
            } else {
                GroupProtocol::Classic
            },
            group_remote_assignor: string("group.remote.assignor"),
            auto_offset_reset: match conf.int(true, "auto.offset.reset") {
                OFFSET_BEGINNING => AutoOffsetReset::Earliest,
                OFFSET_ERROR => AutoOffsetReset::None,
                _ => AutoOffsetReset::Latest,
            },
            enable_auto_commit: conf.boolean(false, "enable.auto.commit"),
            auto_commit_interval_ms: int("auto.commit.interval.ms"),
            max_poll_records: None,
            max_poll_interval_ms: int("max.poll.interval.ms"),
            session_timeout_ms: conf.int(false, "session.timeout.ms"),
            heartbeat_interval_ms: conf.int(false, "heartbeat.interval.ms"),
            fetch_min_bytes: int("fetch.min.bytes"),
            fetch_max_bytes: int("fetch.max.bytes"),
            fetch_max_wait_ms: int("fetch.wait.max.ms"),
            max_partition_fetch_bytes: int("fetch.message.max.bytes"),
            assignment_strategies,
            isolation_level: if conf.int(false, "isolation.level") == 1 {
                IsolationLevel::ReadCommitted
            } else {
                IsolationLevel::ReadUncommitted
            },
            enable_partition_eof: conf.boolean(false, "enable.partition.eof"),
            check_crcs: conf.boolean(false, "check.crcs"),
            allow_auto_create_topics: conf.boolean(false, "allow.auto.create.topics"),
            client_rack: string("client.rack").filter(|rack| !rack.is_empty()),
            client: ConsumerClientSettings::Librdkafka(LibrdkafkaConsumerSettings {
                enable_auto_offset_store: conf.boolean(false, "enable.auto.offset.store"),
                queued_min_messages: int("queued.min.messages"),
                queued_max_messages_kbytes: int("queued.max.messages.kbytes"),
                fetch_error_backoff_ms: int("fetch.error.backoff.ms"),
                fetch_queue_backoff_ms: int("fetch.queue.backoff.ms"),
                receive_message_max_bytes: int("receive.message.max.bytes"),
                socket_timeout_ms: int("socket.timeout.ms"),
                coordinator_query_interval_ms: int("coordinator.query.interval.ms"),
                retry_backoff_ms: int("retry.backoff.ms"),
                retry_backoff_max_ms: int("retry.backoff.max.ms"),
            }),
            described: conf.described(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client_config::java::parse_java_duration;
    use proptest::prelude::*;

    fn java(pairs: &[(&str, &str)]) -> (ConsumerConfig, Vec<ConfigNotice>) {
        match ConsumerConfig::parse(ClientFlavour::Java, pairs) {
            Ok(parsed) => parsed,
            Err(e) => panic!("{pairs:?} was refused: {e:?}"),
        }
    }

    fn rdkafka(pairs: &[(&str, &str)]) -> (ConsumerConfig, Vec<ConfigNotice>) {
        match ConsumerConfig::parse(ClientFlavour::Librdkafka, pairs) {
            Ok(parsed) => parsed,
            Err(e) => panic!("{pairs:?} was refused: {e:?}"),
        }
    }

    fn error(flavour: ClientFlavour, pairs: &[(&str, &str)]) -> ConsumerConfigError {
        match ConsumerConfig::parse(flavour, pairs) {
            Ok((config, _)) => panic!("{pairs:?} was accepted: {config:?}"),
            Err(e) => e,
        }
    }

    fn java_error(pairs: &[(&str, &str)]) -> String {
        let e = error(ClientFlavour::Java, pairs);
        assert!(matches!(e, ConsumerConfigError::JavaConfig(_)), "{e:?}");
        e.message().to_owned()
    }

    fn rd_error(pairs: &[(&str, &str)]) -> ConsumerConfigError {
        error(ClientFlavour::Librdkafka, pairs)
    }

    fn messages(notices: &[ConfigNotice]) -> Vec<&str> {
        notices.iter().map(|n| n.message.as_str()).collect()
    }

    fn described<'a>(config: &'a ConsumerConfig, name: &str) -> &'a DescribedConfig {
        match config.describe_one(name) {
            Some(d) => d,
            None => panic!("{name} is not described"),
        }
    }

    // -- Defaults -----------------------------------------------------------

    #[test]
    fn defaults_java_match_kafka_4_2() {
        let (config, notices) = java(&[]);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(config, ConsumerConfig::defaults(ClientFlavour::Java));
        assert_eq!(config.flavour, ClientFlavour::Java);
        // No group: the client id names the null group, auto-commit is off.
        assert_eq!(config.client_id, "consumer-null-1");
        assert!(config.bootstrap_servers.is_empty());
        assert_eq!(config.group_id, None);
        assert_eq!(config.group_instance_id, None);
        assert_eq!(config.group_protocol, GroupProtocol::Classic);
        assert_eq!(config.group_remote_assignor, None);
        assert_eq!(config.auto_offset_reset, AutoOffsetReset::Latest);
        assert!(!config.enable_auto_commit);
        assert_eq!(config.auto_commit_interval_ms, 5000);
        assert_eq!(config.max_poll_records, Some(500));
        assert_eq!(config.max_poll_interval_ms, 300_000);
        assert_eq!(config.session_timeout_ms, 45_000);
        assert_eq!(config.heartbeat_interval_ms, 3000);
        assert_eq!(config.fetch_min_bytes, 1);
        assert_eq!(config.fetch_max_bytes, 52_428_800);
        assert_eq!(config.fetch_max_wait_ms, 500);
        assert_eq!(config.max_partition_fetch_bytes, 1_048_576);
        assert_eq!(
            config.assignment_strategies,
            [AssignorKind::Range, AssignorKind::CooperativeSticky]
        );
        assert_eq!(config.rebalance_protocol(), Some(RebalanceProtocol::Eager));
        assert_eq!(config.isolation_level, IsolationLevel::ReadUncommitted);
        assert!(!config.enable_partition_eof);
        assert!(config.check_crcs);
        assert!(config.allow_auto_create_topics);
        assert_eq!(config.client_rack, None);
        assert_eq!(
            config.client,
            ConsumerClientSettings::Java(JavaConsumerSettings {
                key_deserializer: None,
                value_deserializer: None,
                client_id_generated: true,
                request_timeout_ms: 30_000,
                default_api_timeout_ms: 60_000,
                retry_backoff_ms: 100,
                retry_backoff_max_ms: 1000,
                exclude_internal_topics: true,
                interceptor_classes: Vec::new(),
            })
        );
        assert_eq!(
            config.missing_group_message(),
            Some(JAVA_MISSING_GROUP_ID_MESSAGE)
        );

        // With a group, enable.auto.commit keeps its default.
        let (config, _) = java(&[("group.id", "orders")]);
        assert!(config.enable_auto_commit);
        assert_eq!(config.client_id, "consumer-orders-1");
        assert_eq!(config.group_id.as_deref(), Some("orders"));
        assert_eq!(config.missing_group_message(), None);
    }

    #[test]
    fn defaults_librdkafka_match_2x() {
        let (config, notices) = rdkafka(&[]);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(config, ConsumerConfig::defaults(ClientFlavour::Librdkafka));
        assert_eq!(config.flavour, ClientFlavour::Librdkafka);
        assert_eq!(config.client_id, "rdkafka");
        assert_eq!(config.group_id, None);
        assert_eq!(config.group_protocol, GroupProtocol::Classic);
        assert_eq!(config.auto_offset_reset, AutoOffsetReset::Latest);
        assert!(config.enable_auto_commit);
        assert_eq!(config.auto_commit_interval_ms, 5000);
        assert_eq!(config.max_poll_records, None);
        assert_eq!(config.max_poll_interval_ms, 300_000);
        assert_eq!(config.session_timeout_ms, 45_000);
        assert_eq!(config.heartbeat_interval_ms, 3000);
        assert_eq!(config.fetch_min_bytes, 1);
        assert_eq!(config.fetch_max_bytes, 52_428_800);
        assert_eq!(config.fetch_max_wait_ms, 500);
        assert_eq!(config.max_partition_fetch_bytes, 1_048_576);
        assert_eq!(
            config.assignment_strategies,
            [AssignorKind::Range, AssignorKind::RoundRobin]
        );
        assert_eq!(config.rebalance_protocol(), Some(RebalanceProtocol::Eager));
        // librdkafka reads committed data by default, unlike Java.
        assert_eq!(config.isolation_level, IsolationLevel::ReadCommitted);
        assert!(!config.enable_partition_eof);
        assert!(!config.check_crcs);
        assert!(!config.allow_auto_create_topics);
        assert_eq!(config.client_rack, None);
        assert_eq!(
            config.client,
            ConsumerClientSettings::Librdkafka(LibrdkafkaConsumerSettings {
                enable_auto_offset_store: true,
                queued_min_messages: 100_000,
                queued_max_messages_kbytes: 65_536,
                fetch_error_backoff_ms: 500,
                fetch_queue_backoff_ms: 1000,
                receive_message_max_bytes: 100_000_000,
                socket_timeout_ms: 60_000,
                coordinator_query_interval_ms: 600_000,
                retry_backoff_ms: 100,
                retry_backoff_max_ms: 1000,
            })
        );
        assert_eq!(
            config.missing_group_message(),
            Some(LIBRDKAFKA_UNKNOWN_GROUP_MESSAGE)
        );
        for (name, value) in [
            ("auto.offset.reset", "largest"),
            ("isolation.level", "read_committed"),
            ("partition.assignment.strategy", "range,roundrobin"),
            ("group.protocol", "classic"),
            ("enable.idempotence", "false"),
            ("allow.auto.create.topics", "false"),
        ] {
            assert_eq!(described(&config, name).value, value, "{name}");
        }
    }

    #[test]
    fn every_java_default_parses_and_setting_it_changes_nothing_else() {
        use crate::client_config::java::{ensure_valid, parse_type, Fallback};
        let defaults = java(&[("group.id", "g")]).0;
        for spec in java::SPECS {
            let Fallback::Value(default) = spec.default else {
                continue;
            };
            let value = parse_type(spec.name, default, spec.ty)
                .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            ensure_valid(spec, &value).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            let result = ConsumerConfig::parse(
                ClientFlavour::Java,
                &[("group.id", "g"), (spec.name, default)],
            );
            if ["share.acknowledgement.mode", "share.acquire.mode"].contains(&spec.name) {
                // Share-group configs are refused on a classic consumer.
                let message = result.map(|_| ()).unwrap_err().message().to_owned();
                assert!(message.ends_with("cannot be set when group.protocol=CLASSIC"));
                continue;
            }
            let (config, _) = result.unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            assert!(described(&config, spec.name).is_set, "{}", spec.name);
            if spec.name != "client.id" {
                assert_eq!(
                    (config.enable_auto_commit, config.max_poll_records),
                    (defaults.enable_auto_commit, defaults.max_poll_records),
                    "{}",
                    spec.name
                );
            }
        }
        let names: crate::collections::OrdSet<&str> = java::SPECS.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), java::SPECS.len(), "a name is defined twice");
        assert_eq!(java::SPECS.len(), 116);
    }

    // -- Unknown names ------------------------------------------------------

    #[test]
    fn java_logs_unknown_names_librdkafka_refuses_them() {
        let (config, notices) = java(&[("foo", "1"), ("group.id", "g"), ("linger.ms", "5")]);
        assert_eq!(config.group_id.as_deref(), Some("g"));
        assert_eq!(
            notices.last().map(|n| (n.level, n.message.as_str())),
            Some((
                NoticeLevel::Info,
                "These configurations '[foo, linger.ms]' were supplied but are not used yet."
            ))
        );
        assert_eq!(
            rd_error(&[("group.id", "g"), ("foo", "1")]),
            ConsumerConfigError::LibrdkafkaUnknownProperty(
                "No such configuration property: \"foo\"".to_owned()
            )
        );
        // Java-only names are unknown to librdkafka, and the reverse.
        assert_eq!(
            rd_error(&[("max.poll.records", "10")]).message(),
            "No such configuration property: \"max.poll.records\""
        );
        let (_, notices) = java(&[("enable.partition.eof", "true")]);
        assert_eq!(
            messages(&notices),
            ["These configurations '[enable.partition.eof]' were supplied but are not used yet."]
        );
    }

    // -- Java values --------------------------------------------------------

    #[test]
    fn java_value_errors_use_config_exception_texts() {
        for (pairs, expected) in [
            (
                vec![("auto.offset.reset", "smallest")],
                "Invalid value smallest for configuration auto.offset.reset: Invalid value \
                 `smallest` for configuration auto.offset.reset. The value must be either \
                 'earliest', 'latest', 'none' or of the format 'by_duration:<PnDTnHnMn.nS.>'.",
            ),
            (
                vec![("auto.offset.reset", "Earliest")],
                "Invalid value Earliest for configuration auto.offset.reset: Invalid value \
                 `Earliest` for configuration auto.offset.reset. The value must be either \
                 'earliest', 'latest', 'none' or of the format 'by_duration:<PnDTnHnMn.nS.>'.",
            ),
            (
                vec![("auto.offset.reset", "by_duration:-PT1H")],
                "Invalid value by_duration:-PT1H for configuration auto.offset.reset: Invalid \
                 value `by_duration:-PT1H` for configuration auto.offset.reset. The value must \
                 be either 'earliest', 'latest', 'none' or of the format \
                 'by_duration:<PnDTnHnMn.nS.>'.",
            ),
            (
                vec![("isolation.level", "READ_COMMITTED")],
                "Invalid value READ_COMMITTED for configuration isolation.level: String must be \
                 one of: read_committed, read_uncommitted",
            ),
            (
                vec![("group.protocol", "kip848")],
                "Invalid value kip848 for configuration group.protocol: String must be one of \
                 (case insensitive): CONSUMER, CLASSIC",
            ),
            (
                vec![("group.instance.id", " ")],
                "Invalid value  for configuration group.instance.id: String must be non-empty",
            ),
            (
                vec![("max.poll.records", "0")],
                "Invalid value 0 for configuration max.poll.records: Value must be at least 1",
            ),
            (
                vec![("session.timeout.ms", "45s")],
                "Invalid value 45s for configuration session.timeout.ms: Not a number of type INT",
            ),
            (
                vec![("enable.auto.commit", "yes")],
                "Invalid value yes for configuration enable.auto.commit: Expected value to be \
                 either true or false",
            ),
            (
                vec![(
                    "partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.RangeAssignor, \
                     org.apache.kafka.clients.consumer.RangeAssignor",
                )],
                "Configuration 'partition.assignment.strategy' values must not be duplicated.",
            ),
            (
                vec![("share.acknowledgement.mode", "IMPLICIT")],
                "Invalid value IMPLICIT for configuration share.acknowledgement.mode: Invalid \
                 value `IMPLICIT` for configuration share.acknowledgement.mode. The value must \
                 either be 'implicit' or 'explicit'.",
            ),
            (
                vec![("share.acquire.mode", "strict")],
                "Invalid value strict for configuration share.acquire.mode: Invalid value \
                 `strict` for configuration share.acquire.mode. The value must either be \
                 'batch_optimized' or 'record_limit'.",
            ),
            (
                vec![("key.deserializer", "not a class")],
                "Invalid value not a class for configuration key.deserializer: Class not a \
                 class could not be found.",
            ),
            (
                vec![("security.protocol", "SASL_SSL"), ("sasl.mechanism", "")],
                "Invalid value null for configuration sasl.mechanism: When the \
                 security.protocol configuration enables SASL, mechanism must be non-null and \
                 non-empty string.",
            ),
        ] {
            assert_eq!(java_error(&pairs), expected, "{pairs:?}");
        }
        // The first error in definition order wins: group.instance.id is
        // defined before max.poll.records.
        assert_eq!(
            java_error(&[("max.poll.records", "0"), ("group.instance.id", "")]),
            "Invalid value  for configuration group.instance.id: String must be non-empty"
        );
        // Case-insensitive where Java is: share.acquire.mode passes its
        // validator, then a classic consumer refuses it.
        let (config, _) = java(&[("group.protocol", " CONSUMER "), ("group.id", "g")]);
        assert_eq!(config.group_protocol, GroupProtocol::Consumer);
        assert_eq!(
            java_error(&[("share.acquire.mode", "Record_Limit")]),
            "share.acquire.mode cannot be set when group.protocol=CLASSIC"
        );
    }

    #[test]
    fn java_auto_offset_reset_accepts_iso_durations() {
        for (value, expected) in [
            ("earliest", AutoOffsetReset::Earliest),
            (" latest ", AutoOffsetReset::Latest),
            ("none", AutoOffsetReset::None),
            (
                "by_duration:PT1H",
                AutoOffsetReset::ByDuration(Duration::from_secs(3600)),
            ),
            (
                "by_duration:P1DT2M3.5S",
                AutoOffsetReset::ByDuration(Duration::from_millis(86_523_500)),
            ),
            (
                "by_duration:pt0s",
                AutoOffsetReset::ByDuration(Duration::ZERO),
            ),
            (
                "by_duration:-PT-5S",
                AutoOffsetReset::ByDuration(Duration::from_secs(5)),
            ),
            (
                "by_duration:PT1,000000001S",
                AutoOffsetReset::ByDuration(Duration::new(1, 1)),
            ),
        ] {
            let (config, _) = java(&[("auto.offset.reset", value)]);
            assert_eq!(config.auto_offset_reset, expected, "{value}");
            assert_eq!(described(&config, "auto.offset.reset").value, value.trim());
        }
        for bad in [
            "by_duration",
            "by_duration:",
            "by_duration: PT1H",
            "BY_DURATION:PT1H",
            "by_duration:PT",
            "by_duration:P1DT",
            "by_duration:P1H",
            "by_duration:PT1M1H",
            "by_duration:PT1.0000000001S",
            "by_duration:PT-0.5S",
            "by_duration:P9223372036854775807D",
        ] {
            let e = error(ClientFlavour::Java, &[("auto.offset.reset", bad)]);
            assert!(
                e.message().contains("'by_duration:<PnDTnHnMn.nS.>'"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn java_duration_parser_follows_java_time() {
        for (text, expected) in [
            ("PT0S", Some((0, 0))),
            ("P2D", Some((172_800, 0))),
            ("PT-1.5S", Some((-2, 500_000_000))),
            ("-PT1.5S", Some((-2, 500_000_000))),
            ("+P1DT1H1M1.1S", Some((90_061, 100_000_000))),
            ("PT1.S", Some((1, 0))),
            ("pt2m", Some((120, 0))),
            ("PT9223372036854775807S", Some((i64::MAX, 0))),
            ("PT9223372036854775808S", None),
            ("P", None),
            ("PT", None),
            ("", None),
            ("PT1H ", None),
            ("P1W", None),
            ("PT1S1M", None),
            ("PT١S", None),
        ] {
            assert_eq!(parse_java_duration(text), expected, "{text}");
        }
    }

    #[test]
    fn java_enable_auto_commit_needs_a_group() {
        let e = error(ClientFlavour::Java, &[("enable.auto.commit", "true")]);
        assert_eq!(
            e,
            ConsumerConfigError::JavaInvalidConfiguration(
                "enable.auto.commit cannot be set to true when default group id (null) is used."
                    .to_owned()
            )
        );
        assert_eq!(e.flavour(), ClientFlavour::Java);
        let (config, _) = java(&[("enable.auto.commit", "false")]);
        assert!(!config.enable_auto_commit);
        let (config, _) = java(&[]);
        assert_eq!(described(&config, "enable.auto.commit").value, "false");
        assert!(!described(&config, "enable.auto.commit").is_set);
        let (config, _) = java(&[("group.id", "g"), ("enable.auto.commit", "TRUE")]);
        assert!(config.enable_auto_commit);
    }

    #[test]
    fn java_client_id_is_generated_from_group_and_instance() {
        let (config, _) = java(&[("group.id", "g"), ("group.instance.id", "i-1")]);
        assert_eq!(config.client_id, "consumer-g-i-1");
        // Neither client requires a group for an instance id.
        let (config, _) = java(&[("group.instance.id", "i-1")]);
        assert_eq!(config.client_id, "consumer-null-i-1");
        let (config, _) = rdkafka(&[("group.instance.id", "i-1")]);
        assert_eq!(config.group_instance_id.as_deref(), Some("i-1"));
        let (mut config, _) = java(&[("group.id", "g"), ("client.id", "  ")]);
        assert_eq!(config.client_id, "consumer-g-1");
        config.set_java_client_id_sequence(7);
        assert_eq!(config.client_id, "consumer-g-7");
        assert_eq!(described(&config, "client.id").value, "consumer-g-7");
        let (mut config, _) = java(&[("client.id", "app")]);
        config.set_java_client_id_sequence(7);
        assert_eq!(config.client_id, "app");
        let (mut config, _) = rdkafka(&[]);
        config.set_java_client_id_sequence(7);
        assert_eq!(config.client_id, "rdkafka");
        // An illegal instance id fails in ConsumerConfig while the client id
        // is generated, and in the constructor otherwise.
        assert_eq!(
            error(ClientFlavour::Java, &[("group.instance.id", "a b")]),
            ConsumerConfigError::JavaInvalidConfiguration(
                "Group instance id \"a b\" is illegal, it contains a character other than ASCII \
                 alphanumerics, '.', '_' and '-'"
                    .to_owned()
            )
        );
        assert_eq!(
            error(
                ClientFlavour::Java,
                &[("group.instance.id", ".."), ("client.id", "c")]
            ),
            ConsumerConfigError::JavaConstructor {
                cause: JavaCause::InvalidConfiguration,
                message: "Group instance id cannot be \".\" or \"..\"".to_owned(),
            }
        );
        let long = "x".repeat(250);
        assert_eq!(
            error(ClientFlavour::Java, &[("group.instance.id", &long)]).message(),
            format!(
                "Group instance id is illegal, it can't be longer than 249 characters, Group \
                 instance id: {long}"
            )
        );
        assert!(
            ConsumerConfig::parse(ClientFlavour::Java, &[("group.instance.id", &long[1..])])
                .is_ok()
        );
    }

    #[test]
    fn java_group_protocol_refuses_the_other_protocols_configs() {
        assert_eq!(
            java_error(&[
                ("group.protocol", "consumer"),
                ("session.timeout.ms", "10000"),
                (
                    "partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.RangeAssignor"
                ),
            ]),
            "partition.assignment.strategy, session.timeout.ms cannot be set when \
             group.protocol=CONSUMER"
        );
        assert_eq!(
            java_error(&[("group.remote.assignor", "uniform")]),
            "group.remote.assignor cannot be set when group.protocol=CLASSIC"
        );
        // Blank values do not count.
        let (config, _) = java(&[("group.remote.assignor", "  ")]);
        assert_eq!(config.group_remote_assignor.as_deref(), Some(""));
        let (config, _) = java(&[
            ("group.protocol", "Consumer"),
            ("group.id", "g"),
            ("group.remote.assignor", "uniform"),
            ("partition.assignment.strategy", "  "),
        ]);
        assert_eq!(config.group_protocol, GroupProtocol::Consumer);
        assert_eq!(config.group_remote_assignor.as_deref(), Some("uniform"));
        assert_eq!(config.rebalance_protocol(), None);
        assert_eq!(described(&config, "group.protocol").value, "Consumer");
    }

    #[test]
    fn java_constructor_checks() {
        let constructor = |pairs: &[(&str, &str)]| match error(ClientFlavour::Java, pairs) {
            ConsumerConfigError::JavaConstructor { cause, message } => (cause, message),
            other => panic!("{other:?}"),
        };
        for protocol in ["classic", "consumer"] {
            assert_eq!(
                constructor(&[("group.id", " "), ("group.protocol", protocol)]),
                (
                    JavaCause::InvalidGroupId,
                    "The configured group.id should not be an empty string or whitespace."
                        .to_owned()
                )
            );
        }
        assert_eq!(
            constructor(&[("group.id", "g"), ("heartbeat.interval.ms", "45000")]),
            (
                JavaCause::IllegalArgument,
                "Heartbeat must be set lower than the session timeout".to_owned()
            )
        );
        // No coordinator without a group, no heartbeat check either.
        assert!(
            ConsumerConfig::parse(ClientFlavour::Java, &[("session.timeout.ms", "-1")]).is_ok()
        );
        for strategy in ["range", "com.example.FairAssignor"] {
            assert_eq!(
                constructor(&[("partition.assignment.strategy", strategy)]),
                (
                    JavaCause::Kafka,
                    format!("{strategy} ClassNotFoundException exception occurred")
                )
            );
        }
        assert_eq!(
            JavaCause::InvalidGroupId.class_name(),
            "org.apache.kafka.common.errors.InvalidGroupIdException"
        );
        let e = error(ClientFlavour::Java, &[("group.id", "")]);
        assert_eq!(e.to_string(), e.message());
    }

    #[test]
    fn java_assignment_strategies_are_assignor_classes() {
        let (config, _) = java(&[(
            "partition.assignment.strategy",
            " org.apache.kafka.clients.consumer.CooperativeStickyAssignor ",
        )]);
        assert_eq!(
            config.assignment_strategies,
            [AssignorKind::CooperativeSticky]
        );
        assert_eq!(
            config.rebalance_protocol(),
            Some(RebalanceProtocol::Cooperative)
        );
        assert_eq!(
            described(&config, "partition.assignment.strategy").value,
            "[org.apache.kafka.clients.consumer.CooperativeStickyAssignor]"
        );
        let all: Vec<&str> = AssignorKind::ALL
            .iter()
            .map(|k| k.java_class_name())
            .collect();
        let (config, _) = java(&[("partition.assignment.strategy", &all.join(","))]);
        assert_eq!(config.assignment_strategies, AssignorKind::ALL);
        assert_eq!(config.rebalance_protocol(), Some(RebalanceProtocol::Eager));
        // An empty list is accepted; subscribe() then fails.
        let (config, _) = java(&[("partition.assignment.strategy", "")]);
        assert!(config.assignment_strategies.is_empty());
        assert_eq!(config.rebalance_protocol(), None);
        assert_eq!(
            JAVA_NO_ASSIGNORS_MESSAGE,
            "Must configure at least one partition assigner class name to \
             partition.assignment.strategy configuration property"
        );
    }

    #[test]
    fn java_strict_parsing_requires_deserializers_then_bootstrap_servers() {
        let strict = |pairs: &[(&str, &str)]| {
            ConsumerConfig::parse_strict(ClientFlavour::Java, pairs).map(|(c, _)| c)
        };
        assert_eq!(
            strict(&[("bootstrap.servers", "b:9092")]).map(|_| ()),
            Err(ConsumerConfigError::JavaConfig(
                "Invalid value null for configuration key.deserializer: must be non-null."
                    .to_owned()
            ))
        );
        let deserializer = "org.apache.kafka.common.serialization.StringDeserializer";
        assert_eq!(
            strict(&[
                ("key.deserializer", deserializer),
                ("value.deserializer", deserializer)
            ])
            .map(|_| ()),
            Err(ConsumerConfigError::JavaConfig(
                "Missing required configuration \"bootstrap.servers\" which has no default value."
                    .to_owned()
            ))
        );
        let config = strict(&[
            ("bootstrap.servers", "b1:9092, b2:9092"),
            ("key.deserializer", deserializer),
            ("value.deserializer", deserializer),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.bootstrap_servers, ["b1:9092", "b2:9092"]);
        assert_eq!(
            described(&config, "key.deserializer").value,
            format!("class {deserializer}")
        );
    }

    #[test]
    fn java_describe_lists_every_config_sorted_as_the_startup_log() {
        let (config, _) = java(&[("group.id", "g"), ("sasl.jaas.config", "secret")]);
        let names: Vec<&str> = config.describe().iter().map(|d| d.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), java::SPECS.len());
        for (name, value) in [
            (
                "partition.assignment.strategy",
                "[class org.apache.kafka.clients.consumer.RangeAssignor, class \
                 org.apache.kafka.clients.consumer.CooperativeStickyAssignor]",
            ),
            ("group.id", "g"),
            ("group.instance.id", "null"),
            ("client.id", "consumer-g-1"),
            ("client.rack", ""),
            ("internal.throw.on.fetch.stable.offset.unsupported", "false"),
            (
                "metric.reporters",
                "[org.apache.kafka.common.metrics.JmxReporter]",
            ),
            ("sasl.jaas.config", "[hidden]"),
            ("auto.offset.reset", "latest"),
            ("isolation.level", "read_uncommitted"),
            ("group.protocol", "classic"),
            ("share.acquire.mode", "batch_optimized"),
        ] {
            assert_eq!(described(&config, name).value, value, "{name}");
        }
        assert!(described(&config, "sasl.jaas.config").sensitive);
        assert!(!described(&config, "client.id").is_set);
    }

    #[test]
    fn java_backoff_warnings_are_shared_with_the_producer() {
        let (_, notices) = java(&[("retry.backoff.ms", "2000"), ("reconnect.backoff.ms", "10")]);
        assert_eq!(
            messages(&notices),
            [
                "Configuration 'retry.backoff.ms' with value '2000' is greater than configuration \
                 'retry.backoff.max.ms' with value '1000'. A static backoff with value '1000' \
                 will be applied.",
                "Disabling exponential reconnect backoff because reconnect.backoff.ms is set, but \
                 reconnect.backoff.max.ms is not.",
            ]
        );
        assert!(notices.iter().all(|n| n.level == NoticeLevel::Warning));
    }

    // -- librdkafka ---------------------------------------------------------

    #[test]
    fn librdkafka_value_errors_use_its_texts() {
        for (pairs, expected) in [
            (
                vec![("auto.offset.reset", "oldest")],
                ConsumerConfigError::LibrdkafkaInvalidValue(
                    "Invalid value \"oldest\" for configuration property \"auto.offset.reset\""
                        .to_owned(),
                ),
            ),
            (
                vec![("session.timeout.ms", "0")],
                ConsumerConfigError::LibrdkafkaInvalidValue(
                    "Configuration property \"session.timeout.ms\" value 0 is outside allowed \
                     range 1..3600000\n"
                        .to_owned(),
                ),
            ),
            (
                vec![("isolation.level", "serializable")],
                ConsumerConfigError::LibrdkafkaInvalidValue(
                    "Invalid value \"serializable\" for configuration property \"isolation.level\""
                        .to_owned(),
                ),
            ),
            (
                vec![("enable.partition.eof", "maybe")],
                ConsumerConfigError::LibrdkafkaInvalidValue(
                    "Expected bool value for \"enable.partition.eof\": true or false".to_owned(),
                ),
            ),
            (
                vec![("max.partition.fetch.bytes", "0")],
                ConsumerConfigError::LibrdkafkaInvalidValue(
                    "Configuration property \"fetch.message.max.bytes\" value 0 is outside \
                     allowed range 1..1000000000\n"
                        .to_owned(),
                ),
            ),
            (
                vec![("consume_cb", "x")],
                ConsumerConfigError::LibrdkafkaInvalidValue(
                    "Property \"consume_cb\" must be set through dedicated .._set_..() function"
                        .to_owned(),
                ),
            ),
        ] {
            assert_eq!(rd_error(&pairs), expected, "{pairs:?}");
        }
        // Pairs apply in order: the first bad one wins.
        assert_eq!(
            rd_error(&[("foo", "1"), ("session.timeout.ms", "0")]).message(),
            "No such configuration property: \"foo\""
        );
    }

    #[test]
    fn librdkafka_aliases_and_names() {
        let (config, _) = rdkafka(&[
            ("bootstrap.servers", "b1:9092,b2:9092"),
            ("max.partition.fetch.bytes", "0x100000"),
            ("topic.auto.offset.reset", "beginning"),
            ("enable.auto.commit", "f"),
            ("group.id", "g"),
            ("group.instance.id", "i"),
            ("client.rack", "r1"),
            ("isolation.level", "READ_UNCOMMITTED"),
            ("enable.partition.eof", "1"),
        ]);
        assert_eq!(config.bootstrap_servers, ["b1:9092", "b2:9092"]);
        assert_eq!(config.max_partition_fetch_bytes, 1_048_576);
        assert_eq!(config.auto_offset_reset, AutoOffsetReset::Earliest);
        assert!(!config.enable_auto_commit);
        assert_eq!(config.group_id.as_deref(), Some("g"));
        assert_eq!(config.group_instance_id.as_deref(), Some("i"));
        assert_eq!(config.client_rack.as_deref(), Some("r1"));
        assert_eq!(config.isolation_level, IsolationLevel::ReadUncommitted);
        assert!(config.enable_partition_eof);
        let fetch = described(&config, "fetch.message.max.bytes");
        assert_eq!(fetch.aliases, ["max.partition.fetch.bytes"]);
        assert!(fetch.is_set);
        let reset = described(&config, "auto.offset.reset");
        assert!(reset.topic_level && reset.is_set);
        assert_eq!(reset.value, "smallest");
        for (value, expected) in [
            ("smallest", AutoOffsetReset::Earliest),
            ("earliest", AutoOffsetReset::Earliest),
            ("largest", AutoOffsetReset::Latest),
            ("latest", AutoOffsetReset::Latest),
            ("End", AutoOffsetReset::Latest),
            ("error", AutoOffsetReset::None),
        ] {
            let (config, _) = rdkafka(&[("auto.offset.reset", value)]);
            assert_eq!(config.auto_offset_reset, expected, "{value}");
        }
        // An empty group.id is no group at all.
        let (config, _) = rdkafka(&[("group.id", "")]);
        assert_eq!(config.group_id, None);
    }

    #[test]
    fn librdkafka_finalize_checks_and_adjustments() {
        for (pairs, expected) in [
            (
                vec![("fetch.max.bytes", "999999")],
                "`fetch.max.bytes` must be >= `message.max.bytes`",
            ),
            (
                vec![("receive.message.max.bytes", "52429311")],
                "`receive.message.max.bytes` must be >= `fetch.max.bytes` + 512",
            ),
            (
                vec![("max.poll.interval.ms", "10000")],
                "`max.poll.interval.ms`must be >= `session.timeout.ms`",
            ),
            (
                vec![
                    ("group.protocol", "consumer"),
                    ("session.timeout.ms", "10000"),
                ],
                "`session.timeout.ms` is not supported for `group.protocol=consumer`. It is \
                 defined broker side",
            ),
            (
                vec![
                    ("group.protocol", "consumer"),
                    ("partition.assignment.strategy", "range"),
                ],
                "`partition.assignment.strategy` is not supported for \
                 `group.protocol=consumer`. Use `group.remote.assignor` instead",
            ),
            (
                vec![
                    ("group.protocol", "consumer"),
                    ("heartbeat.interval.ms", "100"),
                ],
                "`heartbeat.interval.ms` is not supported for `group.protocol=consumer`. It is \
                 defined broker side",
            ),
            (
                vec![("reconnect.backoff.ms", "20000")],
                "`reconnect.backoff.max.ms` must be >= `reconnect.max.ms`",
            ),
        ] {
            assert_eq!(
                rd_error(&pairs),
                ConsumerConfigError::LibrdkafkaFinalize(expected.to_owned()),
                "{pairs:?}"
            );
        }
        // fetch.max.bytes is kept between message.max.bytes and the queue.
        let (config, _) = rdkafka(&[("queued.max.messages.kbytes", "1024")]);
        assert_eq!(config.fetch_max_bytes, 1_048_576);
        let (config, _) = rdkafka(&[("queued.max.messages.kbytes", "1")]);
        assert_eq!(config.fetch_max_bytes, 1_000_000);
        let (config, _) = rdkafka(&[("fetch.max.bytes", "200000000")]);
        match config.client {
            ConsumerClientSettings::Librdkafka(settings) => {
                assert_eq!(settings.receive_message_max_bytes, 200_000_512);
            }
            ConsumerClientSettings::Java(_) => panic!("a librdkafka consumer"),
        }
        // The consumer protocol takes the remote assignor instead.
        let (config, _) = rdkafka(&[
            ("group.protocol", "consumer"),
            ("group.remote.assignor", "uniform"),
            ("max.poll.interval.ms", "1000"),
        ]);
        assert_eq!(config.group_protocol, GroupProtocol::Consumer);
        assert_eq!(config.group_remote_assignor.as_deref(), Some("uniform"));
        assert_eq!(config.rebalance_protocol(), None);
    }

    #[test]
    fn librdkafka_assignment_strategies_are_its_three_assignors() {
        for (value, expected) in [
            ("range", vec![AssignorKind::Range]),
            (
                "roundrobin, range",
                vec![AssignorKind::RoundRobin, AssignorKind::Range],
            ),
            (",range,,range,", vec![AssignorKind::Range]),
            ("cooperative-sticky", vec![AssignorKind::CooperativeSticky]),
        ] {
            let (config, _) = rdkafka(&[("partition.assignment.strategy", value)]);
            assert_eq!(config.assignment_strategies, expected, "{value}");
        }
        let (config, _) = rdkafka(&[("partition.assignment.strategy", "cooperative-sticky")]);
        assert_eq!(
            config.rebalance_protocol(),
            Some(RebalanceProtocol::Cooperative)
        );
        for (value, expected) in [
            (
                "sticky",
                "Unsupported partition.assignment.strategy: sticky",
            ),
            // librdkafka never trims the right side of a name.
            (
                "range ,roundrobin",
                "Unsupported partition.assignment.strategy: range ",
            ),
            (
                "org.apache.kafka.clients.consumer.RangeAssignor",
                "Unsupported partition.assignment.strategy: \
                 org.apache.kafka.clients.consumer.RangeAssignor",
            ),
            (
                "range,cooperative-sticky",
                "All partition.assignment.strategy (range,cooperative-sticky) assignors must \
                 have the same protocol type, online migration between assignors with \
                 different protocol types is not supported",
            ),
        ] {
            assert_eq!(
                rd_error(&[("partition.assignment.strategy", value)]),
                ConsumerConfigError::LibrdkafkaFinalize(expected.to_owned()),
                "{value}"
            );
        }
    }

    #[test]
    fn librdkafka_warns_about_producer_and_deprecated_properties() {
        let (_, notices) = rdkafka(&[
            ("linger.ms", "5"),
            ("acks", "all"),
            ("offset.store.method", "broker"),
            ("fetch.wait.max.ms", "59500"),
        ]);
        assert_eq!(
            messages(&notices),
            [
                // Global properties in table order, then topic properties.
                "Configuration property offset.store.method is deprecated: Offset commit store \
                 method: 'file' - DEPRECATED: local file store (offset.store.path, et.al), \
                 'broker' - broker commit store (requires Apache Kafka 0.8.2 or later on the \
                 broker).",
                "Configuration property queue.buffering.max.ms is a producer property and will \
                 be ignored by this consumer instance",
                "Configuration property request.required.acks is a producer property and will \
                 be ignored by this consumer instance",
                "Configuration property `fetch.wait.max.ms` (59500) should be set lower than \
                 `socket.timeout.ms` (60000) by at least 1000ms to avoid blocking and timing \
                 out sub-sequent requests",
            ]
        );
        assert!(notices.iter().all(|n| n.level == NoticeLevel::Warning));
        // A consumer property warns nothing on a consumer.
        let (_, notices) = rdkafka(&[("enable.partition.eof", "true")]);
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn missing_group_id_in_each_client() {
        assert_eq!(
            JAVA_MISSING_GROUP_ID_MESSAGE,
            "To use the group management or offset commit APIs, you must provide a valid \
             group.id in the consumer configuration."
        );
        // confluent-kafka-python refuses the consumer before librdkafka runs.
        let strict = ConsumerConfig::parse_strict(ClientFlavour::Librdkafka, &[("foo", "1")]);
        assert_eq!(
            strict.map(|_| ()),
            Err(ConsumerConfigError::LibrdkafkaMissingGroupId(
                "Failed to create consumer: group.id must be set".to_owned()
            ))
        );
        let (config, notices) =
            ConsumerConfig::parse_strict(ClientFlavour::Librdkafka, &[("group.id", "")])
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            config.missing_group_message(),
            Some(LIBRDKAFKA_UNKNOWN_GROUP_MESSAGE)
        );
        assert_eq!(
            messages(&notices),
            [
                "No `bootstrap.servers` configured: client will not be able to connect to Kafka \
              cluster"
            ]
        );
        assert_eq!(LIBRDKAFKA_UNKNOWN_GROUP_CODE, -179);
        assert_eq!(
            GO_MISSING_GROUP_ID_MESSAGE,
            "Required property group.id not set"
        );
    }

    #[test]
    fn librdkafka_describe_shows_effective_values() {
        let (config, _) = rdkafka(&[("group.id", "g"), ("sasl.password", "s")]);
        let described_names: Vec<&str> = config.describe().iter().map(|d| d.name).collect();
        for name in [
            "group.id",
            "enable.auto.offset.store",
            "queued.min.messages",
            "check.crcs",
        ] {
            assert!(described_names.contains(&name), "{name}");
        }
        assert!(!described_names.contains(&"max.partition.fetch.bytes"));
        assert_eq!(described(&config, "group.id").value, "g");
        assert!(described(&config, "sasl.password").sensitive);
        assert_eq!(
            described(&config, "receive.message.max.bytes").value,
            "100000000"
        );
    }

    #[test]
    fn names_of_the_value_types() {
        assert_eq!(IsolationLevel::ReadCommitted.to_string(), "read_committed");
        assert_eq!(IsolationLevel::ReadUncommitted.id(), 0);
        assert_eq!(IsolationLevel::ReadCommitted.id(), 1);
        assert_eq!(GroupProtocol::Consumer.to_string(), "consumer");
        assert_eq!(GroupProtocol::Classic.name(), "classic");
    }

    // -- Robustness ---------------------------------------------------------

    const NAMES: &[&str] = &[
        "group.id",
        "group.instance.id",
        "client.id",
        "auto.offset.reset",
        "enable.auto.commit",
        "session.timeout.ms",
        "heartbeat.interval.ms",
        "max.poll.interval.ms",
        "fetch.max.bytes",
        "fetch.min.bytes",
        "partition.assignment.strategy",
        "isolation.level",
        "group.protocol",
        "group.remote.assignor",
        "queued.max.messages.kbytes",
        "receive.message.max.bytes",
        "linger.ms",
        "topic.auto.offset.reset",
        "bogus",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn odd_input_never_panics(
            pairs in proptest::collection::vec(
                (
                    prop_oneof![
                        proptest::sample::select(NAMES).prop_map(str::to_owned),
                        ".{0,12}",
                    ],
                    prop_oneof![
                        ".{0,16}",
                        "-?[0-9]{1,12}",
                        "(by_duration:)?[-+]?[pP]([0-9]{1,3}[dD])?([tT]([0-9]{1,3}[hHmMsS]){0,3})?",
                        "(range|roundrobin|cooperative-sticky|sticky| |,){0,4}",
                    ],
                ),
                0..6,
            )
        ) {
            for flavour in ClientFlavour::ALL {
                for strict in [false, true] {
                    let result = if strict {
                        ConsumerConfig::parse_strict(flavour, &pairs)
                    } else {
                        ConsumerConfig::parse(flavour, &pairs)
                    };
                    match result {
                        Ok((config, _)) => {
                            prop_assert_eq!(config.flavour, flavour);
                            prop_assert!(!config.describe().is_empty());
                            let _ = config.rebalance_protocol();
                        }
                        Err(e) => {
                            prop_assert_eq!(e.flavour(), flavour);
                            prop_assert!(!e.message().is_empty());
                        }
                    }
                }
            }
        }
    }
}
