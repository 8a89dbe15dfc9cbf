//! Producer client configuration, parsed and validated exactly as the two
//! client families a learner can switch between do it: the Java client
//! (`org.apache.kafka.clients.producer.ProducerConfig` and the
//! `KafkaProducer` constructor, Kafka 4.2) and librdkafka (2.x, the C client
//! under confluent-kafka-python, -go and -dotnet: `rd_kafka_conf_set()`
//! then `rd_kafka_new()`).
//!
//! The two families disagree on almost everything, and a learner should see
//! each one's behaviour, not a blend. The Java client knows 113
//! configs, ignores unknown names (it logs `These configurations '[foo]'
//! were supplied but are not used yet.` once the producer is built), reports
//! the first bad value in `ConfigDef` definition order with texts such as
//! `Invalid value abc for configuration linger.ms: Not a number of type
//! LONG`, enables idempotence by default and silently turns it off when
//! `acks` or `retries` conflict unless `enable.idempotence` was set
//! explicitly. librdkafka refuses unknown names (`No such configuration
//! property: "foo"`), applies properties one at a time in the order given
//! (so the first bad pair wins), resolves aliases before it reports (an out
//! of range `linger.ms` is reported against `queue.buffering.max.ms`),
//! parses numbers with C's `strtol`/`strtod` (so `0x10` is 16 and `5ms` is
//! 5), and checks idempotence only when `rd_kafka_new()` finalizes the
//! configuration, adjusting whatever the user did not set.
//!
//! [`ProducerConfig::parse`] turns `key=value` pairs into one typed
//! [`ProducerConfig`] that both flavours map into ("parse, don't
//! validate"), plus the [`ConfigNotice`]s the real client would log while
//! being built. Values the engine simulates (acks, batching, linger,
//! compression, retries, timeouts, idempotence, the partitioner) become
//! typed fields; every other name the client knows is still accepted,
//! validated with its own type and validator, and listed by
//! [`ProducerConfig::describe`] with its effective value, as a client's
//! startup log (Java's `ProducerConfig values:`) or `rd_kafka_conf_dump()`
//! shows it.
//!
//! Java number parsing reuses the helpers of [`crate::topic_config`]
//! (`String.trim`, `Long.parseLong`, `Double.parseDouble`,
//! `Double.toString`). C parsing follows glibc: `isspace`, `strtol` with
//! base 0 (saturating at `LONG_MAX`, then truncated to `int`),
//! `strtod` (decimal, hexadecimal, `inf`, `nan`) and `%g`.
//!
//! Deliberate simplifications: `bootstrap.servers` and the serializers are
//! optional in [`ProducerConfig::parse`] because the playground wires the
//! producer to its own cluster ([`ProducerConfig::parse_strict`] requires
//! them as the real clients do); a Java class name is accepted if it is a
//! well-formed binary name (the playground has no classpath to load it
//! from); librdkafka plugins, interceptors and regex compilation of
//! `topic.blacklist` are not simulated; the model is a Linux build with
//! every optional feature (the Python wheels' build).
//!
//! Sources followed: apache/kafka `clients/.../producer/ProducerConfig.java`
//! (definitions, `postProcessAndValidateIdempotenceConfigs` with
//! KAFKA-17927's 4.0 in-flight rule, `maybeOverrideClientId`),
//! `KafkaProducer.java` (`configureDeliveryTimeout`,
//! `configureTransactionState`), `CommonClientConfigs.java`,
//! `config/ConfigDef.java` (`parseType`, `Range`, `ValidString`,
//! `CaseInsensitiveValidString`, `ValidList`, `NonEmptyString`),
//! `AbstractConfig.java` (`logUnused`), `SaslConfigs.java`,
//! `SslConfigs.java`; confluentinc/librdkafka `src/rdkafka_conf.c`
//! (`rd_kafka_properties[]`, `rd_kafka_anyconf_set_prop`,
//! `rd_kafka_conf_set`, `rd_kafka_conf_finalize`,
//! `rd_kafka_topic_conf_finalize`, `rd_kafka_conf_warn`), `src/rdkafka.c`
//! (`rd_kafka_new`) and `CONFIGURATION.md` (ranges and defaults of 2.x).

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::cluster::Acks;
use crate::partitioner::{JavaPartitionerConfig, PartitionerKind};
use crate::record::Compression;
use crate::topic_config::java_equals_ignore_case;

/// The Kafka release whose Java producer configuration this module
/// reproduces.
pub const JAVA_CLIENT_VERSION: &str = "4.2";

/// The librdkafka release line whose configuration this module reproduces.
pub const LIBRDKAFKA_VERSION: &str = "2.x";

/// The most requests an idempotent producer may have in flight per
/// connection, in both clients (the broker keeps state for five batches).
pub const IDEMPOTENT_MAX_IN_FLIGHT: u32 = 5;

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/// Which producer client a configuration is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClientFlavour {
    /// The Java client (`KafkaProducer`), Kafka 4.2.
    Java,
    /// librdkafka 2.x, the C client under confluent-kafka-python, -go,
    /// -dotnet and others.
    Librdkafka,
}

impl ClientFlavour {
    /// Both flavours.
    pub const ALL: [Self; 2] = [Self::Java, Self::Librdkafka];

    /// The flavour's name: `java` or `librdkafka`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Java => "java",
            Self::Librdkafka => "librdkafka",
        }
    }
}

impl fmt::Display for ClientFlavour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A client flavour name that is neither `java` nor `librdkafka`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown client flavour {0:?}: expected \"java\" or \"librdkafka\"")]
pub struct UnknownClientFlavour(pub String);

impl FromStr for ClientFlavour {
    type Err = UnknownClientFlavour;

    /// Parses `java` or `librdkafka`, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|flavour| flavour.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownClientFlavour(s.to_owned()))
    }
}

/// Why a producer could not be configured, with the client's own message.
///
/// Each variant's `Display` is exactly the client's text. How the
/// application sees it differs: the Java client throws
/// `org.apache.kafka.common.config.ConfigException` (wrapped in
/// `KafkaException: Failed to construct kafka producer` for
/// [`Self::JavaConstructor`]); librdkafka returns the text in `errstr`, and
/// confluent-kafka-python raises `KafkaException` with code `_INVALID_ARG`,
/// prefixing finalize errors with `Failed to create producer: `.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProducerConfigError {
    /// Java: `new ProducerConfig(...)` (or `appendSerializerToConfig`)
    /// threw a `ConfigException`.
    #[error("{0}")]
    JavaConfig(String),
    /// Java: the `KafkaProducer` constructor threw a `ConfigException`,
    /// which reaches the application as the cause of `KafkaException:
    /// Failed to construct kafka producer`.
    #[error("{0}")]
    JavaConstructor(String),
    /// librdkafka: `rd_kafka_conf_set()` returned `RD_KAFKA_CONF_UNKNOWN`.
    #[error("{0}")]
    LibrdkafkaUnknownProperty(String),
    /// librdkafka: `rd_kafka_conf_set()` returned `RD_KAFKA_CONF_INVALID`.
    /// Out-of-range texts end with a newline, as librdkafka writes them.
    #[error("{0}")]
    LibrdkafkaInvalidValue(String),
    /// librdkafka: `rd_kafka_new()` failed in `rd_kafka_conf_finalize()`.
    #[error("{0}")]
    LibrdkafkaFinalize(String),
}

impl ProducerConfigError {
    /// The flavour whose client reports this error.
    #[must_use]
    pub const fn flavour(&self) -> ClientFlavour {
        match self {
            Self::JavaConfig(_) | Self::JavaConstructor(_) => ClientFlavour::Java,
            Self::LibrdkafkaUnknownProperty(_)
            | Self::LibrdkafkaInvalidValue(_)
            | Self::LibrdkafkaFinalize(_) => ClientFlavour::Librdkafka,
        }
    }

    /// The client's message.
    #[must_use]
    pub fn message(&self) -> &str {
        match self {
            Self::JavaConfig(m)
            | Self::JavaConstructor(m)
            | Self::LibrdkafkaUnknownProperty(m)
            | Self::LibrdkafkaInvalidValue(m)
            | Self::LibrdkafkaFinalize(m) => m,
        }
    }
}

/// The level a client logs a [`ConfigNotice`] at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeLevel {
    /// Java `INFO`.
    Info,
    /// librdkafka `LOG_NOTICE`.
    Notice,
    /// Java `WARN`, librdkafka `LOG_WARNING`.
    Warning,
}

/// A line the client logs while it is being configured, in the order it
/// logs them: unknown Java names, idempotence silently disabled, deprecated
/// or consumer-only librdkafka properties and the like.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConfigNotice {
    /// The log level.
    pub level: NoticeLevel,
    /// The message, as the client formats it.
    pub message: String,
}

impl ConfigNotice {
    /// A notice at `level`.
    pub(crate) fn new(level: NoticeLevel, message: impl Into<String>) -> Self {
        Self {
            level,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// How a producer picks partitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProducerPartitioner {
    /// Java with `partitioner.class` unset: the built-in partitioner
    /// (murmur2 of keys unless `partitioner.ignore.keys`, sticky batches of
    /// `batch.size` otherwise).
    JavaBuiltIn(JavaPartitionerConfig),
    /// Java with `partitioner.class` set: that class decides, and
    /// `partitioner.ignore.keys` and adaptive partitioning do not apply.
    JavaClass {
        /// The class name as configured (trimmed), e.g.
        /// `org.apache.kafka.clients.producer.RoundRobinPartitioner`.
        class: String,
    },
    /// librdkafka's `partitioner` with its sticky partitioning linger.
    Librdkafka {
        /// The `partitioner` strategy.
        kind: PartitionerKind,
        /// The effective `sticky.partitioning.linger.ms` (twice `linger.ms`
        /// unless set; 0 turns sticky partitioning off).
        sticky_linger_ms: i64,
    },
}

/// Settings only the Java client has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaSettings {
    /// `max.block.ms`: how long `send()` may block on metadata or buffer
    /// space.
    pub max_block_ms: u64,
    /// `key.serializer`, if configured (the class name, trimmed).
    pub key_serializer: Option<String>,
    /// `value.serializer`, if configured.
    pub value_serializer: Option<String>,
    /// `compression.gzip.level` (-1: zlib's default).
    pub compression_gzip_level: i32,
    /// `compression.lz4.level`.
    pub compression_lz4_level: i32,
    /// `compression.zstd.level`.
    pub compression_zstd_level: i32,
    /// Whether `client.id` was generated (`producer-N` or
    /// `producer-<transactional.id>`) rather than configured.
    pub client_id_generated: bool,
    /// `linger.ms` as configured (the accumulator uses at most
    /// `Integer.MAX_VALUE`).
    pub linger_ms: i64,
    /// `transaction.two.phase.commit.enable`.
    pub transaction_two_phase_commit: bool,
}

/// Settings only librdkafka has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibrdkafkaSettings {
    /// `socket.timeout.ms`, adjusted for transactional producers.
    pub socket_timeout_ms: i32,
    /// `queue.buffering.backpressure.threshold` (1 for idempotent
    /// producers).
    pub queue_buffering_backpressure_threshold: i32,
    /// `enable.gapless.guarantee`.
    pub enable_gapless_guarantee: bool,
    /// `allow.auto.create.topics` (a producer defaults it to true).
    pub allow_auto_create_topics: bool,
}

/// The flavour-specific part of a [`ProducerConfig`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientSettings {
    /// The Java client's extra settings.
    Java(JavaSettings),
    /// librdkafka's extra settings.
    Librdkafka(LibrdkafkaSettings),
}

/// One config as [`ProducerConfig::describe`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribedConfig {
    /// The config's name (for librdkafka the real property, not an alias).
    pub name: &'static str,
    /// The effective value as the client prints it: Java's `ProducerConfig
    /// values:` log (`[a, b]` lists, `class X`, `null`, `[hidden]`),
    /// librdkafka's `rd_kafka_conf_get()` (canonical enum names, `%g`
    /// floats, empty for unset strings).
    pub value: String,
    /// Whether the user set it (for librdkafka, directly or through an
    /// alias; setting an empty string counts).
    pub is_set: bool,
    /// Whether it is a librdkafka topic-level property.
    pub topic_level: bool,
    /// Whether the value is secret (a Java `PASSWORD`, a librdkafka
    /// `_RK_SENSITIVE` property).
    pub sensitive: bool,
    /// librdkafka aliases of the property (`linger.ms` for
    /// `queue.buffering.max.ms`).
    pub aliases: Vec<&'static str>,
}

/// A producer's configuration, in one typed form for both flavours.
///
/// The public fields are the effective values after the client's own
/// post-processing (idempotence adjustments, generated client id, derived
/// timeouts). [`Self::describe`] reports the configuration as it was
/// parsed; editing the fields afterwards does not change it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProducerConfig {
    /// The client flavour.
    pub flavour: ClientFlavour,
    /// `client.id` (Java generates `producer-N`, librdkafka defaults to
    /// `rdkafka`).
    pub client_id: String,
    /// `bootstrap.servers` (librdkafka: `metadata.broker.list`), split into
    /// entries; empty if not configured.
    pub bootstrap_servers: Vec<String>,
    /// `acks` as sent in ProduceRequest: -1 (all), 0 or 1; librdkafka also
    /// accepts 2 to 1000, which brokers refuse with `INVALID_REQUIRED_ACKS`.
    pub required_acks: i16,
    /// Whether the producer is idempotent (effective, after the client's
    /// adjustments).
    pub enable_idempotence: bool,
    /// `linger.ms` (librdkafka: `queue.buffering.max.ms`, a float). For
    /// Java at most `Integer.MAX_VALUE`, as the accumulator uses it.
    pub linger_ms: f64,
    /// `batch.size` in bytes (Java: 0 disables batching, i.e. batches of
    /// one record).
    pub batch_size_bytes: u32,
    /// librdkafka's `batch.num.messages`.
    pub batch_num_messages: Option<u32>,
    /// Java `buffer.memory`, librdkafka `queue.buffering.max.kbytes` × 1024.
    pub buffer_memory_bytes: u64,
    /// librdkafka's `queue.buffering.max.messages` (`None`: no limit, for
    /// Java always).
    pub buffer_max_messages: Option<u32>,
    /// The codec batches are compressed with.
    pub compression: Compression,
    /// The level for that codec (`None` for none and snappy; -1 means the
    /// codec's default).
    pub compression_level: Option<i32>,
    /// `retries` (librdkafka: `message.send.max.retries`).
    pub retries: u32,
    /// `retry.backoff.ms`.
    pub retry_backoff_ms: u64,
    /// `retry.backoff.max.ms`.
    pub retry_backoff_max_ms: u64,
    /// Java `delivery.timeout.ms` (raised to `linger.ms` +
    /// `request.timeout.ms` if left at a smaller default), librdkafka
    /// `message.timeout.ms` (0: infinite).
    pub delivery_timeout_ms: u32,
    /// `request.timeout.ms`.
    pub request_timeout_ms: u32,
    /// `max.in.flight.requests.per.connection` (effective).
    pub max_in_flight: u32,
    /// Java `max.request.size`, librdkafka `message.max.bytes`.
    pub max_request_size: u32,
    /// How partitions are chosen.
    pub partitioner: ProducerPartitioner,
    /// `transactional.id`, if set.
    pub transactional_id: Option<String>,
    /// `transaction.timeout.ms`.
    pub transaction_timeout_ms: i32,
    /// Flavour-specific settings.
    pub client: ClientSettings,
    described: Vec<DescribedConfig>,
}

impl ProducerConfig {
    /// Parses `key=value` pairs as the `flavour`'s client does when a
    /// producer is created, returning the configuration and the lines the
    /// client logs on the way. A name given twice keeps its last value.
    /// `bootstrap.servers` and the Java serializers may be left out (the
    /// playground supplies them); see [`Self::parse_strict`].
    ///
    /// # Errors
    ///
    /// The client's error, see [`ProducerConfigError`].
    pub fn parse<K: AsRef<str>, V: AsRef<str>>(
        flavour: ClientFlavour,
        pairs: &[(K, V)],
    ) -> Result<(Self, Vec<ConfigNotice>), ProducerConfigError> {
        Self::parse_with(flavour, pairs, false)
    }

    /// Like [`Self::parse`], but as strict as the real client about the
    /// settings the playground otherwise supplies: Java requires
    /// `key.serializer`, `value.serializer` and `bootstrap.servers`;
    /// librdkafka only logs that no `bootstrap.servers` is configured.
    ///
    /// # Errors
    ///
    /// The client's error, see [`ProducerConfigError`].
    pub fn parse_strict<K: AsRef<str>, V: AsRef<str>>(
        flavour: ClientFlavour,
        pairs: &[(K, V)],
    ) -> Result<(Self, Vec<ConfigNotice>), ProducerConfigError> {
        Self::parse_with(flavour, pairs, true)
    }

    fn parse_with<K: AsRef<str>, V: AsRef<str>>(
        flavour: ClientFlavour,
        pairs: &[(K, V)],
        strict: bool,
    ) -> Result<(Self, Vec<ConfigNotice>), ProducerConfigError> {
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        match flavour {
            ClientFlavour::Java => java::parse(&pairs, strict),
            ClientFlavour::Librdkafka => rdkafka::parse(&pairs, strict),
        }
    }

    /// The configuration of a producer created with no settings at all.
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
    /// both levels, such as `compression.codec`, the global one).
    #[must_use]
    pub fn describe_one(&self, name: &str) -> Option<&DescribedConfig> {
        self.described.iter().find(|d| d.name == name)
    }

    /// `acks` as the broker's [`Acks`], or `None` for librdkafka's 2 to
    /// 1000, which a broker refuses.
    #[must_use]
    pub fn acks(&self) -> Option<Acks> {
        Acks::from_wire(self.required_acks).ok()
    }

    /// For a Java producer whose `client.id` was generated from the JVM-wide
    /// sequence (`producer-1` for the first producer without a client id or
    /// transactional id), renames it `producer-<sequence>`: the playground
    /// counts producers per simulated JVM. Does nothing otherwise.
    pub fn set_java_client_id_sequence(&mut self, sequence: u32) {
        if let ClientSettings::Java(java) = &self.client {
            if java.client_id_generated && self.transactional_id.is_none() {
                self.client_id = format!("producer-{sequence}");
                if let Some(entry) = self.described.iter_mut().find(|d| d.name == "client.id") {
                    entry.value.clone_from(&self.client_id);
                }
            }
        }
    }
}

fn compression_from_id(id: i32) -> Compression {
    match id {
        1 => Compression::Gzip,
        2 => Compression::Snappy,
        3 => Compression::Lz4,
        4 => Compression::Zstd,
        _ => Compression::None,
    }
}

/// Saturating conversions for values a validator has already bounded.
pub(crate) fn to_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

pub(crate) fn to_u64(v: i64) -> u64 {
    u64::try_from(v.max(0)).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// The Java client
// ---------------------------------------------------------------------------

/// `ProducerConfig`, `ConfigDef` and the checks of the `KafkaProducer`
/// constructor.
mod java {
    use super::{
        compression_from_id, java_equals_ignore_case, to_u32, to_u64, ClientFlavour,
        ClientSettings, ConfigNotice, JavaPartitionerConfig, JavaSettings, NoticeLevel,
        ProducerConfig, ProducerConfigError, ProducerPartitioner, IDEMPOTENT_MAX_IN_FLIGHT,
    };
    pub(super) use crate::client_config::java::Fallback;
    use crate::client_config::java::{
        concat_specs, post_process_common, spec, v, Check, Parsed, Spec, Type, Value, DNS_LOOKUPS,
        RECORDING_LEVELS, RECOVERY_STRATEGIES, SECURITY_PROTOCOLS, SECURITY_SPECS,
    };
    #[cfg(test)]
    pub(super) use crate::client_config::java::{
        ensure_valid, is_binary_class_name, java_hash_set_order, java_string_hash, parse_type,
    };

    use Check as C;
    use Fallback as D;
    use Type as T;

    const ACKS_VALUES: &[&str] = &["all", "-1", "0", "1"];
    /// `Utils.enumOptions(CompressionType.class)`.
    const COMPRESSION_TYPES: &[&str] = &["none", "gzip", "snappy", "lz4", "zstd"];
    /// `ProducerConfig`'s own configs before `withClientSslSupport()`.
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
        spec("buffer.memory", T::Long, v("33554432"), C::AtLeast(0)),
        spec(
            "retries",
            T::Int,
            v("2147483647"),
            C::Between(0, 2_147_483_647),
        ),
        spec("acks", T::Str, v("all"), C::OneOf(ACKS_VALUES)),
        spec(
            "compression.type",
            T::Str,
            v("none"),
            C::OneOf(COMPRESSION_TYPES),
        ),
        spec("compression.gzip.level", T::Int, v("-1"), C::GzipLevel),
        spec("compression.lz4.level", T::Int, v("9"), C::Between(1, 17)),
        spec(
            "compression.zstd.level",
            T::Int,
            v("3"),
            C::Between(-131_072, 22),
        ),
        spec("batch.size", T::Int, v("16384"), C::AtLeast(0)),
        spec(
            "partitioner.adaptive.partitioning.enable",
            T::Boolean,
            v("true"),
            C::None,
        ),
        spec(
            "partitioner.availability.timeout.ms",
            T::Long,
            v("0"),
            C::AtLeast(0),
        ),
        spec("partitioner.ignore.keys", T::Boolean, v("false"), C::None),
        spec("linger.ms", T::Long, v("5"), C::AtLeast(0)),
        spec("delivery.timeout.ms", T::Int, v("120000"), C::AtLeast(0)),
        spec("client.id", T::Str, v(""), C::None),
        spec("send.buffer.bytes", T::Int, v("131072"), C::AtLeast(-1)),
        spec("receive.buffer.bytes", T::Int, v("32768"), C::AtLeast(-1)),
        spec("max.request.size", T::Int, v("1048576"), C::AtLeast(0)),
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
        spec("max.block.ms", T::Long, v("60000"), C::AtLeast(0)),
        spec("request.timeout.ms", T::Int, v("30000"), C::AtLeast(0)),
        spec("metadata.max.age.ms", T::Long, v("300000"), C::AtLeast(0)),
        spec(
            "metadata.max.idle.ms",
            T::Long,
            v("300000"),
            C::AtLeast(5000),
        ),
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
        spec(
            "max.in.flight.requests.per.connection",
            T::Int,
            v("5"),
            C::AtLeast(1),
        ),
        spec("key.serializer", T::Class, D::Required, C::None),
        spec("value.serializer", T::Class, D::Required, C::None),
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
        spec("partitioner.class", T::Class, D::Null, C::None),
        spec(
            "interceptor.classes",
            T::List,
            v(""),
            C::List {
                empty_allowed: true,
            },
        ),
        spec(
            "security.protocol",
            T::Str,
            v("PLAINTEXT"),
            C::OneOfIgnoreCase(SECURITY_PROTOCOLS),
        ),
        spec("security.providers", T::Str, D::Null, C::None),
    ];

    /// `ProducerConfig`'s configs after `withClientSaslSupport()`.
    const TAIL: &[Spec] = &[
        spec("enable.idempotence", T::Boolean, v("true"), C::None),
        spec("transaction.timeout.ms", T::Int, v("60000"), C::None),
        spec("transactional.id", T::Str, D::Null, C::NonEmpty),
        spec(
            "transaction.two.phase.commit.enable",
            T::Boolean,
            v("false"),
            C::None,
        ),
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

    /// Every producer config of Kafka 4.2 in `ProducerConfig`'s definition
    /// order, which is the order `ConfigDef.parse` checks them in (its keys
    /// are a `LinkedHashMap`), SSL and SASL configs included where
    /// `withClientSslSupport()` and `withClientSaslSupport()` add them.
    pub(super) const SPECS: &[Spec] = &ALL;

    /// `new KafkaProducer<>(props)`, as far as configuration goes.
    pub(super) fn parse(
        pairs: &[(&str, &str)],
        strict: bool,
    ) -> Result<(ProducerConfig, Vec<ConfigNotice>), ProducerConfigError> {
        let config_error = ProducerConfigError::JavaConfig;
        // ProducerConfig.appendSerializerToConfig, then ConfigDef.parse.
        let mut cfg = Parsed::parse(SPECS, pairs, strict, ["key.serializer", "value.serializer"])
            .map_err(config_error)?;
        let mut notices = Vec::new();
        let info = |m: String| ConfigNotice::new(NoticeLevel::Info, m);
        let warn = |m: String| ConfigNotice::new(NoticeLevel::Warning, m);

        // ProducerConfig.postProcessParsedConfig
        // 1.-3. The CommonClientConfigs steps.
        post_process_common(&mut cfg, &mut notices).map_err(config_error)?;
        // 4. postProcessAndValidateIdempotenceConfigs
        let acks: i16 = match cfg.string("acks") {
            Some(s) if java_equals_ignore_case(s, "all") => -1,
            // The validator allows only all, -1, 0 and 1.
            Some(s) => s.parse().unwrap_or(-1),
            None => -1,
        };
        cfg.set("acks", Value::Str(acks.to_string()));
        let user_configured_idempotence = cfg.is_set("enable.idempotence");
        let mut idempotence = cfg.boolean("enable.idempotence");
        let mut disable_idempotence = false;
        if idempotence {
            if cfg.int("retries") == 0 {
                if user_configured_idempotence {
                    return Err(config_error(
                        "Must set retries to non-zero when using the idempotent producer."
                            .to_owned(),
                    ));
                }
                notices.push(info(
                    "Idempotence will be disabled because retries is set to 0.".to_owned(),
                ));
                disable_idempotence = true;
            }
            if acks != -1 {
                if user_configured_idempotence {
                    return Err(config_error(
                        "Must set acks to all in order to use the idempotent producer. Otherwise \
                         we cannot guarantee idempotence."
                            .to_owned(),
                    ));
                }
                notices.push(info(format!(
                    "Idempotence will be disabled because acks is set to {acks}, not set to 'all'."
                )));
                disable_idempotence = true;
            }
            let in_flight = cfg.int("max.in.flight.requests.per.connection");
            if i64::from(in_flight) > i64::from(IDEMPOTENT_MAX_IN_FLIGHT) {
                return Err(config_error(format!(
                    "To use the idempotent producer, max.in.flight.requests.per.connection must be \
                     set to at most 5. Current value is {in_flight}."
                )));
            }
        }
        if disable_idempotence {
            cfg.set("enable.idempotence", Value::Bool(false));
            idempotence = false;
        }
        if !idempotence && cfg.is_set("transactional.id") {
            return Err(config_error(
                "Cannot set a transactional.id without also enabling idempotence.".to_owned(),
            ));
        }
        if cfg.boolean("transaction.two.phase.commit.enable")
            && cfg.is_set("transaction.timeout.ms")
        {
            return Err(config_error(
                "Cannot set transaction.timeout.ms when transaction.two.phase.commit.enable is set \
                 to true. Transactions will not expire with two-phase commit enabled."
                    .to_owned(),
            ));
        }
        // 5. maybeOverrideClientId
        let transactional_id = cfg.string("transactional.id").map(str::to_owned);
        let client_id_generated = !cfg.is_set("client.id");
        let client_id = if client_id_generated {
            format!("producer-{}", transactional_id.as_deref().unwrap_or("1"))
        } else {
            cfg.string("client.id").unwrap_or("").to_owned()
        };
        cfg.set("client.id", Value::Str(client_id.clone()));

        // The KafkaProducer constructor.
        let log_prefix = match &transactional_id {
            None => format!("[Producer clientId={client_id}] "),
            Some(id) => format!("[Producer clientId={client_id}, transactionalId={id}] "),
        };
        // configureDeliveryTimeout
        let linger_configured = cfg.long("linger.ms");
        let linger = linger_configured.min(i64::from(i32::MAX));
        let request_timeout = i64::from(cfg.int("request.timeout.ms"));
        let linger_and_request = (linger + request_timeout).min(i64::from(i32::MAX));
        let mut delivery_timeout = i64::from(cfg.int("delivery.timeout.ms"));
        if delivery_timeout < linger_and_request {
            if cfg.is_set("delivery.timeout.ms") {
                return Err(ProducerConfigError::JavaConstructor(
                    "delivery.timeout.ms should be equal to or larger than linger.ms + \
                     request.timeout.ms"
                        .to_owned(),
                ));
            }
            delivery_timeout = linger_and_request;
            notices.push(warn(format!(
                "{log_prefix}delivery.timeout.ms should be equal to or larger than linger.ms + \
                 request.timeout.ms. Setting it to {delivery_timeout}."
            )));
        }
        // configureTransactionState
        if idempotence {
            notices.push(info(format!(
                "{log_prefix}Instantiated {}.",
                if transactional_id.is_some() {
                    "a transactional producer"
                } else {
                    "an idempotent producer"
                }
            )));
        }
        // AbstractConfig.logUnused
        notices.extend(cfg.unused_notice());

        let config = build(
            &cfg,
            idempotence,
            client_id,
            client_id_generated,
            delivery_timeout,
        );
        Ok((config, notices))
    }

    fn build(
        cfg: &Parsed<'_>,
        idempotence: bool,
        client_id: String,
        client_id_generated: bool,
        delivery_timeout: i64,
    ) -> ProducerConfig {
        let gzip = cfg.int("compression.gzip.level");
        let lz4 = cfg.int("compression.lz4.level");
        let zstd = cfg.int("compression.zstd.level");
        let (codec, compression_level) = match cfg.string("compression.type") {
            Some("gzip") => (1, Some(gzip)),
            Some("snappy") => (2, None),
            Some("lz4") => (3, Some(lz4)),
            Some("zstd") => (4, Some(zstd)),
            _ => (0, None),
        };
        let linger_ms = cfg.long("linger.ms");
        let partitioner = match cfg.string("partitioner.class") {
            Some(class) => ProducerPartitioner::JavaClass {
                class: class.to_owned(),
            },
            None => ProducerPartitioner::JavaBuiltIn(JavaPartitionerConfig {
                batch_size: to_u32(cfg.long("batch.size")),
                adaptive_partitioning_enable: cfg
                    .boolean("partitioner.adaptive.partitioning.enable"),
                availability_timeout_ms: cfg.long("partitioner.availability.timeout.ms"),
                ignore_keys: cfg.boolean("partitioner.ignore.keys"),
            }),
        };
        let described = cfg.describe(|spec, value| {
            if spec.name == "delivery.timeout.ms" {
                delivery_timeout.to_string()
            } else {
                value.to_string()
            }
        });
        ProducerConfig {
            flavour: ClientFlavour::Java,
            client_id,
            bootstrap_servers: cfg.list("bootstrap.servers"),
            required_acks: match cfg.string("acks") {
                Some(s) => s.parse().unwrap_or(-1),
                None => -1,
            },
            enable_idempotence: idempotence,
            // At most Integer.MAX_VALUE, which an f64 holds exactly.
            linger_ms: linger_ms.min(i64::from(i32::MAX)) as f64,
            batch_size_bytes: to_u32(cfg.long("batch.size")),
            batch_num_messages: None,
            buffer_memory_bytes: to_u64(cfg.long("buffer.memory")),
            buffer_max_messages: None,
            compression: compression_from_id(codec),
            compression_level,
            retries: to_u32(cfg.long("retries")),
            retry_backoff_ms: to_u64(cfg.long("retry.backoff.ms")),
            retry_backoff_max_ms: to_u64(cfg.long("retry.backoff.max.ms")),
            delivery_timeout_ms: to_u32(delivery_timeout),
            request_timeout_ms: to_u32(cfg.long("request.timeout.ms")),
            max_in_flight: to_u32(cfg.long("max.in.flight.requests.per.connection")),
            max_request_size: to_u32(cfg.long("max.request.size")),
            partitioner,
            transactional_id: cfg.string("transactional.id").map(str::to_owned),
            transaction_timeout_ms: cfg.int("transaction.timeout.ms"),
            client: ClientSettings::Java(JavaSettings {
                max_block_ms: to_u64(cfg.long("max.block.ms")),
                key_serializer: cfg.string("key.serializer").map(str::to_owned),
                value_serializer: cfg.string("value.serializer").map(str::to_owned),
                compression_gzip_level: gzip,
                compression_lz4_level: lz4,
                compression_zstd_level: zstd,
                client_id_generated,
                linger_ms,
                transaction_two_phase_commit: cfg.boolean("transaction.two.phase.commit.enable"),
            }),
            described,
        }
    }
}

// ---------------------------------------------------------------------------
// librdkafka
// ---------------------------------------------------------------------------

/// `rd_kafka_properties[]`, `rd_kafka_conf_set()` and
/// `rd_kafka_conf_finalize()`.
mod rdkafka {
    use super::{
        compression_from_id, to_u32, to_u64, ClientFlavour, ClientSettings, Compression,
        ConfigNotice, LibrdkafkaSettings, ProducerConfig, ProducerConfigError, ProducerPartitioner,
        IDEMPOTENT_MAX_IN_FLIGHT,
    };
    use crate::client_config::rdkafka::{
        apply, brokers, clamp_i32, Conf, Role, SetError, Val, INHERIT,
    };
    #[cfg(test)]
    pub(super) use crate::client_config::rdkafka::{c_format_g, c_strtod, c_strtol, Kind, PROPS};

    impl Conf {
        /// `rd_kafka_conf_finalize()` for a producer.
        fn finalize_producer(&mut self) -> Result<(), String> {
            let transactional = self.string(false, "transactional.id").is_some();
            if transactional {
                if !self.boolean(false, "enable.idempotence") {
                    if self.is_modified(false, "enable.idempotence") {
                        return Err("`transactional.id` requires `enable.idempotence=true`".into());
                    }
                    self.put(false, "enable.idempotence", Val::Bool(true));
                }
                let txn_timeout = i64::from(self.int(false, "transaction.timeout.ms"));
                if !self.is_modified(false, "socket.timeout.ms") {
                    let adjusted = (txn_timeout - 100).max(900);
                    self.put(false, "socket.timeout.ms", Val::Int(clamp_i32(adjusted)));
                } else if txn_timeout + 100 < i64::from(self.int(false, "socket.timeout.ms")) {
                    return Err(
                        "`socket.timeout.ms` must be set <= `transaction.timeout.ms` + 100".into(),
                    );
                }
            }
            if self.boolean(false, "enable.idempotence") {
                let idempotent_max = clamp_i32(i64::from(IDEMPOTENT_MAX_IN_FLIGHT));
                let in_flight = self.int(false, "max.in.flight");
                if self.is_modified(false, "max.in.flight") {
                    if in_flight > idempotent_max {
                        return Err(
                            "`max.in.flight` must be set <= 5 when `enable.idempotence` is true"
                                .into(),
                        );
                    }
                } else {
                    self.put(
                        false,
                        "max.in.flight",
                        Val::Int(in_flight.min(idempotent_max)),
                    );
                }
                if self.is_modified(false, "retries") {
                    if self.int(false, "retries") < 1 {
                        return Err(
                            "`retries` must be set >= 1 when `enable.idempotence` is true".into(),
                        );
                    }
                } else {
                    self.put(false, "retries", Val::Int(i32::MAX));
                }
                let threshold = "queue.buffering.backpressure.threshold";
                if self.is_modified(false, threshold) && self.int(false, threshold) > 1 {
                    return Err(
                        "`queue.buffering.backpressure.threshold` must be set to 1 when \
                                `enable.idempotence` is true"
                            .into(),
                    );
                }
                self.put(false, threshold, Val::Int(1));
            } else if self.boolean(false, "enable.gapless.guarantee")
                && self.is_modified(false, "enable.gapless.guarantee")
            {
                return Err(
                    "`enable.gapless.guarantee` requires `enable.idempotence` to be enabled".into(),
                );
            }
            if !self.is_modified(false, "sticky.partitioning.linger.ms") {
                // `(rd_ts_t)` of the double, then `RD_MIN` with 900000: Rust's
                // saturating cast and C's give the same result here.
                let twice = (2.0 * self.dbl(false, "linger.ms")) as i64;
                self.put(
                    false,
                    "sticky.partitioning.linger.ms",
                    Val::Int(clamp_i32(twice.min(900_000))),
                );
            }
            self.finalize_common(Role::Producer)?;
            if self.topic_conf {
                let timeout = self.int(true, "message.timeout.ms");
                if timeout != 0 && f64::from(timeout) <= self.dbl(false, "linger.ms") {
                    if self.is_modified(false, "linger.ms") {
                        return Err("`message.timeout.ms` must be greater than `linger.ms`".into());
                    }
                    self.put(false, "linger.ms", Val::Dbl(f64::from(timeout) - 0.1));
                }
                self.topic_finalize_producer()?;
            } else {
                // Without a default topic configuration at rd_kafka_new()
                // time, each topic's configuration is finalized when it is
                // first used; its adjustments are what the producer runs
                // with (a failure there fails that topic, not the producer).
                let _ = self.topic_finalize_producer();
            }
            Ok(())
        }

        /// `rd_kafka_topic_conf_finalize()` for a producer.
        fn topic_finalize_producer(&mut self) -> Result<(), String> {
            if self.boolean(false, "enable.idempotence") {
                if self.is_modified(true, "acks") {
                    if self.int(true, "acks") != -1 {
                        return Err(
                            "`acks` must be set to `all` when `enable.idempotence` is true".into(),
                        );
                    }
                } else {
                    self.put(true, "acks", Val::Int(-1));
                }
                if self.is_modified(true, "queuing.strategy") {
                    if self.int(true, "queuing.strategy") != 0 {
                        return Err("`queuing.strategy` must be set to `fifo` when \
                                    `enable.idempotence` is true"
                            .into());
                    }
                } else {
                    self.put(true, "queuing.strategy", Val::Int(0));
                }
                if self.string(false, "transactional.id").is_some() {
                    let txn_timeout = self.int(false, "transaction.timeout.ms");
                    if !self.is_modified(true, "message.timeout.ms") {
                        self.put(true, "message.timeout.ms", Val::Int(txn_timeout));
                    } else if self.int(true, "message.timeout.ms") > txn_timeout {
                        return Err(
                            "`message.timeout.ms` must be set <= `transaction.timeout.ms`".into(),
                        );
                    }
                }
            }
            let timeout = self.int(true, "message.timeout.ms");
            if timeout != 0
                && f64::from(timeout) <= self.dbl(false, "linger.ms")
                && self.is_modified(false, "linger.ms")
            {
                return Err("`message.timeout.ms` must be greater than `linger.ms`".into());
            }
            Ok(())
        }
    }

    /// `rd_kafka_conf_set()` for each pair in order, then `rd_kafka_new()`.
    pub(super) fn parse(
        pairs: &[(&str, &str)],
        strict: bool,
    ) -> Result<(ProducerConfig, Vec<ConfigNotice>), ProducerConfigError> {
        let mut conf = apply(pairs).map_err(|e| match e {
            SetError::Unknown(m) => ProducerConfigError::LibrdkafkaUnknownProperty(m),
            SetError::Invalid(m) => ProducerConfigError::LibrdkafkaInvalidValue(m),
        })?;
        conf.finalize_producer()
            .map_err(ProducerConfigError::LibrdkafkaFinalize)?;
        let notices = conf.warnings(Role::Producer, strict);
        Ok((build(&conf), notices))
    }

    fn build(conf: &Conf) -> ProducerConfig {
        let topic_codec = conf.int(true, "compression.codec");
        let codec = if topic_codec == INHERIT {
            conf.int(false, "compression.codec")
        } else {
            topic_codec
        };
        let compression = compression_from_id(codec);
        let compression_level = match compression {
            Compression::None | Compression::Snappy => None,
            _ => Some(conf.int(true, "compression.level")),
        };
        let max_messages = conf.int(false, "queue.buffering.max.messages");
        let described = conf.described();
        ProducerConfig {
            flavour: ClientFlavour::Librdkafka,
            client_id: conf
                .string(false, "client.id")
                .unwrap_or("rdkafka")
                .to_owned(),
            bootstrap_servers: brokers(conf.string(false, "metadata.broker.list")),
            // The range is -1..1000.
            required_acks: i16::try_from(conf.int(true, "acks")).unwrap_or(-1),
            enable_idempotence: conf.boolean(false, "enable.idempotence"),
            linger_ms: conf.dbl(false, "linger.ms"),
            batch_size_bytes: to_u32(i64::from(conf.int(false, "batch.size"))),
            batch_num_messages: Some(to_u32(i64::from(conf.int(false, "batch.num.messages")))),
            buffer_memory_bytes: to_u64(i64::from(conf.int(false, "queue.buffering.max.kbytes")))
                * 1024,
            buffer_max_messages: (max_messages > 0).then(|| to_u32(i64::from(max_messages))),
            compression,
            compression_level,
            retries: to_u32(i64::from(conf.int(false, "retries"))),
            retry_backoff_ms: to_u64(i64::from(conf.int(false, "retry.backoff.ms"))),
            retry_backoff_max_ms: to_u64(i64::from(conf.int(false, "retry.backoff.max.ms"))),
            delivery_timeout_ms: to_u32(i64::from(conf.int(true, "message.timeout.ms"))),
            request_timeout_ms: to_u32(i64::from(conf.int(true, "request.timeout.ms"))),
            max_in_flight: to_u32(i64::from(conf.int(false, "max.in.flight"))),
            max_request_size: to_u32(i64::from(conf.int(false, "message.max.bytes"))),
            partitioner: ProducerPartitioner::Librdkafka {
                // Validated when set; the default is consistent_random.
                kind: conf
                    .string(true, "partitioner")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_default(),
                sticky_linger_ms: i64::from(conf.int(false, "sticky.partitioning.linger.ms")),
            },
            transactional_id: conf.string(false, "transactional.id").map(str::to_owned),
            transaction_timeout_ms: conf.int(false, "transaction.timeout.ms"),
            client: ClientSettings::Librdkafka(LibrdkafkaSettings {
                socket_timeout_ms: conf.int(false, "socket.timeout.ms"),
                queue_buffering_backpressure_threshold: conf
                    .int(false, "queue.buffering.backpressure.threshold"),
                enable_gapless_guarantee: conf.boolean(false, "enable.gapless.guarantee"),
                allow_auto_create_topics: conf.boolean(false, "allow.auto.create.topics"),
            }),
            described,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::java::{java_hash_set_order, java_string_hash, SPECS as JAVA_SPECS};
    use super::rdkafka::{c_format_g, c_strtod, c_strtol, Kind, PROPS};
    use super::*;
    use proptest::prelude::*;

    fn java(pairs: &[(&str, &str)]) -> (ProducerConfig, Vec<ConfigNotice>) {
        match ProducerConfig::parse(ClientFlavour::Java, pairs) {
            Ok(parsed) => parsed,
            Err(e) => panic!("{pairs:?} was refused: {e}"),
        }
    }

    fn rdkafka(pairs: &[(&str, &str)]) -> (ProducerConfig, Vec<ConfigNotice>) {
        match ProducerConfig::parse(ClientFlavour::Librdkafka, pairs) {
            Ok(parsed) => parsed,
            Err(e) => panic!("{pairs:?} was refused: {e:?}"),
        }
    }

    fn error(flavour: ClientFlavour, pairs: &[(&str, &str)]) -> ProducerConfigError {
        match ProducerConfig::parse(flavour, pairs) {
            Ok((config, _)) => panic!("{pairs:?} was accepted: {config:?}"),
            Err(e) => e,
        }
    }

    fn java_error(pairs: &[(&str, &str)]) -> String {
        let e = error(ClientFlavour::Java, pairs);
        assert!(matches!(e, ProducerConfigError::JavaConfig(_)), "{e:?}");
        e.message().to_owned()
    }

    fn rd_error(pairs: &[(&str, &str)]) -> ProducerConfigError {
        error(ClientFlavour::Librdkafka, pairs)
    }

    fn messages(notices: &[ConfigNotice]) -> Vec<&str> {
        notices.iter().map(|n| n.message.as_str()).collect()
    }

    fn described<'a>(config: &'a ProducerConfig, name: &str) -> &'a DescribedConfig {
        match config.describe_one(name) {
            Some(d) => d,
            None => panic!("{name} is not described"),
        }
    }

    // -- Defaults -----------------------------------------------------------

    #[test]
    fn defaults_java_match_kafka_4_2() {
        let (config, notices) = java(&[]);
        assert_eq!(config, ProducerConfig::defaults(ClientFlavour::Java));
        assert_eq!(config.flavour, ClientFlavour::Java);
        assert_eq!(config.client_id, "producer-1");
        assert!(config.bootstrap_servers.is_empty());
        assert_eq!(config.required_acks, -1);
        assert_eq!(config.acks(), Some(Acks::All));
        assert!(config.enable_idempotence);
        assert_eq!(config.linger_ms, 5.0); // KIP-1030: 0 before Kafka 4.0
        assert_eq!(config.batch_size_bytes, 16_384);
        assert_eq!(config.batch_num_messages, None);
        assert_eq!(config.buffer_memory_bytes, 33_554_432);
        assert_eq!(config.buffer_max_messages, None);
        assert_eq!(config.compression, Compression::None);
        assert_eq!(config.compression_level, None);
        assert_eq!(config.retries, 2_147_483_647);
        assert_eq!(config.retry_backoff_ms, 100);
        assert_eq!(config.retry_backoff_max_ms, 1000);
        assert_eq!(config.delivery_timeout_ms, 120_000);
        assert_eq!(config.request_timeout_ms, 30_000);
        assert_eq!(config.max_in_flight, 5);
        assert_eq!(config.max_request_size, 1_048_576);
        assert_eq!(
            config.partitioner,
            ProducerPartitioner::JavaBuiltIn(JavaPartitionerConfig::default())
        );
        assert_eq!(config.transactional_id, None);
        assert_eq!(config.transaction_timeout_ms, 60_000);
        assert_eq!(
            config.client,
            ClientSettings::Java(JavaSettings {
                max_block_ms: 60_000,
                key_serializer: None,
                value_serializer: None,
                compression_gzip_level: -1,
                compression_lz4_level: 9,
                compression_zstd_level: 3,
                client_id_generated: true,
                linger_ms: 5,
                transaction_two_phase_commit: false,
            })
        );
        assert_eq!(
            messages(&notices),
            ["[Producer clientId=producer-1] Instantiated an idempotent producer."]
        );
        assert_eq!(notices[0].level, NoticeLevel::Info);
    }

    #[test]
    fn defaults_librdkafka_match_2x() {
        let (config, notices) = rdkafka(&[]);
        assert_eq!(config, ProducerConfig::defaults(ClientFlavour::Librdkafka));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(config.flavour, ClientFlavour::Librdkafka);
        assert_eq!(config.client_id, "rdkafka");
        assert_eq!(config.required_acks, -1);
        assert!(!config.enable_idempotence);
        assert_eq!(config.linger_ms, 5.0);
        assert_eq!(config.batch_size_bytes, 1_000_000);
        assert_eq!(config.batch_num_messages, Some(10_000));
        assert_eq!(config.buffer_memory_bytes, 1_048_576 * 1024);
        assert_eq!(config.buffer_max_messages, Some(100_000));
        assert_eq!(config.compression, Compression::None);
        assert_eq!(config.compression_level, None);
        assert_eq!(config.retries, 2_147_483_647);
        assert_eq!(config.retry_backoff_ms, 100);
        assert_eq!(config.retry_backoff_max_ms, 1000);
        assert_eq!(config.delivery_timeout_ms, 300_000);
        assert_eq!(config.request_timeout_ms, 30_000);
        assert_eq!(config.max_in_flight, 1_000_000);
        assert_eq!(config.max_request_size, 1_000_000);
        assert_eq!(
            config.partitioner,
            ProducerPartitioner::Librdkafka {
                kind: PartitionerKind::ConsistentRandom,
                sticky_linger_ms: 10,
            }
        );
        assert_eq!(config.transactional_id, None);
        assert_eq!(config.transaction_timeout_ms, 60_000);
        assert_eq!(
            config.client,
            ClientSettings::Librdkafka(LibrdkafkaSettings {
                socket_timeout_ms: 60_000,
                queue_buffering_backpressure_threshold: 1,
                enable_gapless_guarantee: false,
                allow_auto_create_topics: true,
            })
        );
    }

    #[test]
    fn every_java_default_parses_and_passes_its_validator() {
        for spec in JAVA_SPECS {
            if let java::Fallback::Value(default) = spec.default {
                let value = java::parse_type(spec.name, default, spec.ty)
                    .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
                java::ensure_valid(spec, &value).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
                // Setting the default explicitly changes nothing but `is_set`.
                let (config, _) = java(&[(spec.name, default)]);
                let described = described(&config, spec.name);
                assert!(described.is_set, "{}", spec.name);
            }
        }
        let names: crate::collections::OrdSet<&str> = JAVA_SPECS.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), JAVA_SPECS.len(), "a name is defined twice");
    }

    #[test]
    fn every_librdkafka_default_is_in_range_and_settable() {
        for prop in PROPS {
            match prop.kind {
                Kind::Int {
                    min, max, default, ..
                } => {
                    assert!((min..=max).contains(&default), "{}", prop.name);
                }
                Kind::Dbl { min, max, default } => {
                    assert!((min..=max).contains(&default), "{}", prop.name);
                }
                Kind::Enum { values, default } => {
                    assert!(values.iter().any(|(_, v)| *v == default), "{}", prop.name);
                }
                Kind::Alias { target } => {
                    assert!(
                        PROPS.iter().any(|p| p.topic == prop.topic
                            && p.name == target
                            && !matches!(p.kind, Kind::Alias { .. })),
                        "{} -> {target}",
                        prop.name
                    );
                }
                _ => {}
            }
        }
        // Every described value, set back, is accepted.
        let defaults = ProducerConfig::defaults(ClientFlavour::Librdkafka);
        for d in defaults.describe() {
            if d.value.is_empty() || d.name == "ssl.ca.certificate.stores" {
                continue;
            }
            let key = if d.topic_level {
                format!("topic.{}", d.name)
            } else {
                d.name.to_owned()
            };
            let result = ProducerConfig::parse(
                ClientFlavour::Librdkafka,
                &[(key.as_str(), d.value.as_str())],
            );
            assert!(result.is_ok(), "{key}={}: {result:?}", d.value);
        }
    }

    // -- Unknown names ------------------------------------------------------

    #[test]
    fn java_logs_unknown_names_librdkafka_refuses_them() {
        let (config, notices) = java(&[("foo", "1"), ("linger.ms", "7")]);
        assert_eq!(config.linger_ms, 7.0);
        let last = notices.last().map(|n| (n.level, n.message.as_str()));
        assert_eq!(
            last,
            Some((
                NoticeLevel::Info,
                "These configurations '[foo]' were supplied but are not used yet."
            ))
        );
        assert_eq!(
            rd_error(&[("foo", "1")]),
            ProducerConfigError::LibrdkafkaUnknownProperty(
                "No such configuration property: \"foo\"".to_owned()
            )
        );
        // Names are case-sensitive in both clients.
        assert!(ProducerConfig::parse(ClientFlavour::Librdkafka, &[("Linger.ms", "1")]).is_err());
        let (config, _) = java(&[("Linger.ms", "1")]);
        assert_eq!(config.linger_ms, 5.0);
    }

    #[test]
    fn java_lists_unknown_names_in_hash_set_order() {
        // String.hashCode vectors, computed independently over UTF-16.
        for (s, hash) in [
            ("", 0),
            ("a", 97),
            ("PLAINTEXT", 464_861_655),
            ("linger.ms", -1_733_383_087),
            ("😀", 1_772_899),
        ] {
            assert_eq!(java_string_hash(s), hash, "{s}");
        }
        // The case-insensitive validators list their names in HashSet order.
        assert_eq!(
            java_hash_set_order(&["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"], 4),
            ["SASL_SSL", "PLAINTEXT", "SSL", "SASL_PLAINTEXT"]
        );
        assert_eq!(
            java_hash_set_order(&["NONE", "REBOOTSTRAP"], 2),
            ["REBOOTSTRAP", "NONE"]
        );
        assert_eq!(
            java_hash_set_order(&["ES256", "RS256"], 2),
            ["ES256", "RS256"]
        );
        assert_eq!(
            java_error(&[("security.protocol", "x")]),
            "Invalid value x for configuration security.protocol: String must be one of (case \
             insensitive): SASL_SSL, PLAINTEXT, SSL, SASL_PLAINTEXT"
        );
        // The unknown names' line, in the order Java's HashSet prints them.
        let (_, notices) = java(&[("beta", "3"), ("alpha", "2"), ("zeta", "1")]);
        assert_eq!(
            notices.last().map(|n| n.message.as_str()),
            Some("These configurations '[zeta, alpha, beta]' were supplied but are not used yet.")
        );
    }

    // -- Java values --------------------------------------------------------

    #[test]
    fn java_value_errors_use_config_exception_texts() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("linger.ms", "abc")],
                "Invalid value abc for configuration linger.ms: Not a number of type LONG",
            ),
            (
                &[("linger.ms", "-1")],
                "Invalid value -1 for configuration linger.ms: Value must be at least 0",
            ),
            (
                &[("linger.ms", " -1 ")],
                "Invalid value -1 for configuration linger.ms: Value must be at least 0",
            ),
            (
                &[("acks", "2")],
                "Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1",
            ),
            (
                &[("acks", "ALL")],
                "Invalid value ALL for configuration acks: String must be one of: all, -1, 0, 1",
            ),
            (
                &[("compression.type", "GZIP")],
                "Invalid value GZIP for configuration compression.type: String must be one of: \
                 none, gzip, snappy, lz4, zstd",
            ),
            (
                &[("retries", "-1")],
                "Invalid value -1 for configuration retries: Value must be at least 0",
            ),
            (
                &[("retries", "2147483648")],
                "Invalid value 2147483648 for configuration retries: Not a number of type INT",
            ),
            (
                &[("batch.size", "16k")],
                "Invalid value 16k for configuration batch.size: Not a number of type INT",
            ),
            (
                &[("enable.idempotence", "yes")],
                "Invalid value yes for configuration enable.idempotence: Expected value to be \
                 either true or false",
            ),
            (
                &[("max.in.flight.requests.per.connection", "0")],
                "Invalid value 0 for configuration max.in.flight.requests.per.connection: Value \
                 must be at least 1",
            ),
            (
                &[("compression.gzip.level", "0")],
                "Invalid value 0 for configuration compression.gzip.level: Value must be between \
                 1 and 9 or equal to -1",
            ),
            (
                &[("compression.lz4.level", "18")],
                "Invalid value 18 for configuration compression.lz4.level: Value must be no more \
                 than 17",
            ),
            (
                &[("compression.zstd.level", "-131073")],
                "Invalid value -131073 for configuration compression.zstd.level: Value must be \
                 at least -131072",
            ),
            (
                &[("metadata.max.idle.ms", "10")],
                "Invalid value 10 for configuration metadata.max.idle.ms: Value must be at least \
                 5000",
            ),
            (
                &[("sasl.login.refresh.window.factor", "0.4")],
                "Invalid value 0.4 for configuration sasl.login.refresh.window.factor: Value must \
                 be at least 0.5",
            ),
            (
                &[("sasl.login.refresh.buffer.seconds", "70000")],
                "Invalid value 70000 for configuration sasl.login.refresh.buffer.seconds: Not a \
                 number of type SHORT",
            ),
            (
                &[("key.serializer", "String Serializer")],
                "Invalid value String Serializer for configuration key.serializer: Class String \
                 Serializer could not be found.",
            ),
            (
                &[("partitioner.class", "")],
                "Invalid value  for configuration partitioner.class: Class  could not be found.",
            ),
            (
                &[("transactional.id", "  ")],
                "Invalid value  for configuration transactional.id: String must be non-empty",
            ),
            (
                &[("client.dns.lookup", "default")],
                "Invalid value default for configuration client.dns.lookup: String must be one \
                 of: use_all_dns_ips, resolve_canonical_bootstrap_servers_only",
            ),
            (
                &[("metadata.recovery.strategy", "x")],
                "Invalid value x for configuration metadata.recovery.strategy: String must be \
                 one of (case insensitive): REBOOTSTRAP, NONE",
            ),
            (
                &[("bootstrap.servers", "")],
                "Configuration 'bootstrap.servers' must not be empty. Valid values include: any \
                 non-empty value",
            ),
            (
                &[("bootstrap.servers", "a:9092, a:9092")],
                "Configuration 'bootstrap.servers' values must not be duplicated.",
            ),
            (
                &[("bootstrap.servers", "a:9092,,b:9092")],
                "Configuration 'bootstrap.servers' values must not be empty.",
            ),
            (
                &[("security.protocol", "SASL_SSL"), ("sasl.mechanism", "")],
                "Invalid value null for configuration sasl.mechanism: When the security.protocol \
                 configuration enables SASL, mechanism must be non-null and non-empty string.",
            ),
        ];
        for (pairs, expected) in cases {
            assert_eq!(java_error(pairs), *expected, "{pairs:?}");
        }
    }

    #[test]
    fn java_reports_the_first_error_in_definition_order() {
        // buffer.memory is defined before linger.ms, whatever the input order.
        assert_eq!(
            java_error(&[("linger.ms", "x"), ("buffer.memory", "y")]),
            "Invalid value y for configuration buffer.memory: Not a number of type LONG"
        );
        // A name given twice keeps its last value.
        let (config, _) = java(&[("linger.ms", "x"), ("linger.ms", "20")]);
        assert_eq!(config.linger_ms, 20.0);
    }

    #[test]
    fn java_parses_numbers_and_booleans_like_java() {
        let (config, _) = java(&[
            ("linger.ms", " +20\t"),
            ("enable.idempotence", "TRUE"),
            ("batch.size", "0"),
            ("acks", " all "),
            ("compression.type", "zstd"),
            ("compression.zstd.level", "-7"),
            ("security.protocol", "ssl"),
        ]);
        assert_eq!(config.linger_ms, 20.0);
        assert!(config.enable_idempotence);
        assert_eq!(config.batch_size_bytes, 0);
        assert_eq!(config.required_acks, -1);
        assert_eq!(config.compression, Compression::Zstd);
        assert_eq!(config.compression_level, Some(-7));
        // The accumulator caps linger at Integer.MAX_VALUE.
        let (config, _) = java(&[
            ("linger.ms", "9223372036854775807"),
            ("delivery.timeout.ms", "2147483647"),
        ]);
        assert_eq!(config.linger_ms, 2_147_483_647.0);
        assert_eq!(config.acks(), Some(Acks::All));
        let (config, _) = java(&[("acks", "0"), ("enable.idempotence", "false")]);
        assert_eq!(config.acks(), Some(Acks::None));
        let (config, _) = java(&[("acks", "1"), ("enable.idempotence", "false")]);
        assert_eq!(config.acks(), Some(Acks::Leader));
    }

    #[test]
    fn java_keeps_serializers_and_partitioner_classes_as_names() {
        let (config, _) = java(&[
            (
                "key.serializer",
                " org.apache.kafka.common.serialization.StringSerializer ",
            ),
            (
                "value.serializer",
                "io.confluent.kafka.serializers.KafkaAvroSerializer",
            ),
            (
                "partitioner.class",
                "org.apache.kafka.clients.producer.RoundRobinPartitioner",
            ),
            ("bootstrap.servers", "broker-1:9092, broker-2:9092"),
        ]);
        let ClientSettings::Java(settings) = &config.client else {
            panic!("not a Java config");
        };
        assert_eq!(
            settings.key_serializer.as_deref(),
            Some("org.apache.kafka.common.serialization.StringSerializer")
        );
        assert_eq!(
            described(&config, "key.serializer").value,
            "class org.apache.kafka.common.serialization.StringSerializer"
        );
        assert_eq!(
            config.partitioner,
            ProducerPartitioner::JavaClass {
                class: "org.apache.kafka.clients.producer.RoundRobinPartitioner".to_owned()
            }
        );
        assert_eq!(config.bootstrap_servers, ["broker-1:9092", "broker-2:9092"]);
        assert_eq!(
            described(&config, "bootstrap.servers").value,
            "[broker-1:9092, broker-2:9092]"
        );
        let (config, _) = java(&[("partitioner.ignore.keys", "true"), ("batch.size", "100")]);
        assert_eq!(
            config.partitioner,
            ProducerPartitioner::JavaBuiltIn(JavaPartitionerConfig {
                batch_size: 100,
                ignore_keys: true,
                ..JavaPartitionerConfig::default()
            })
        );
    }

    #[test]
    fn java_strict_parsing_requires_serializers_then_bootstrap_servers() {
        let strict = |pairs: &[(&str, &str)]| {
            ProducerConfig::parse_strict(ClientFlavour::Java, pairs).map(|(c, _)| c)
        };
        let message = |pairs: &[(&str, &str)]| match strict(pairs) {
            Ok(_) => panic!("{pairs:?} accepted"),
            Err(e) => e.message().to_owned(),
        };
        assert_eq!(
            message(&[("linger.ms", "x")]),
            "Invalid value null for configuration key.serializer: must be non-null."
        );
        assert_eq!(
            message(&[("key.serializer", "a.B")]),
            "Invalid value null for configuration value.serializer: must be non-null."
        );
        assert_eq!(
            message(&[
                ("key.serializer", "a.B"),
                ("value.serializer", "a.B"),
                ("linger.ms", "x")
            ]),
            "Missing required configuration \"bootstrap.servers\" which has no default value."
        );
        let ok = strict(&[
            ("key.serializer", "a.B"),
            ("value.serializer", "a.B"),
            ("bootstrap.servers", "localhost:9092"),
        ]);
        assert!(ok.is_ok(), "{ok:?}");
    }

    // -- Java idempotence ---------------------------------------------------

    #[test]
    fn java_explicit_idempotence_refuses_conflicts() {
        let explicit = ("enable.idempotence", "true");
        assert_eq!(
            java_error(&[explicit, ("acks", "1")]),
            "Must set acks to all in order to use the idempotent producer. Otherwise we cannot \
             guarantee idempotence."
        );
        assert_eq!(
            java_error(&[explicit, ("retries", "0")]),
            "Must set retries to non-zero when using the idempotent producer."
        );
        // retries is checked before acks.
        assert_eq!(
            java_error(&[explicit, ("retries", "0"), ("acks", "0")]),
            "Must set retries to non-zero when using the idempotent producer."
        );
        assert_eq!(
            java_error(&[explicit, ("max.in.flight.requests.per.connection", "6")]),
            "To use the idempotent producer, max.in.flight.requests.per.connection must be set \
             to at most 5. Current value is 6."
        );
        let (config, _) = java(&[explicit, ("max.in.flight.requests.per.connection", "5")]);
        assert!(config.enable_idempotence);
    }

    #[test]
    fn java_default_idempotence_is_disabled_silently_by_acks_or_retries() {
        let (config, notices) = java(&[("acks", "1")]);
        assert!(!config.enable_idempotence);
        assert_eq!(config.required_acks, 1);
        assert_eq!(
            messages(&notices),
            ["Idempotence will be disabled because acks is set to 1, not set to 'all'."]
        );
        assert_eq!(described(&config, "enable.idempotence").value, "false");
        assert!(!described(&config, "enable.idempotence").is_set);

        let (config, notices) = java(&[("retries", "0"), ("acks", "0")]);
        assert!(!config.enable_idempotence);
        assert_eq!(
            messages(&notices),
            [
                "Idempotence will be disabled because retries is set to 0.",
                "Idempotence will be disabled because acks is set to 0, not set to 'all'.",
            ]
        );
        // Since Kafka 4.0 (KAFKA-17927) more than five in flight is an
        // error even when idempotence is only on by default...
        assert_eq!(
            java_error(&[("max.in.flight.requests.per.connection", "6")]),
            "To use the idempotent producer, max.in.flight.requests.per.connection must be set \
             to at most 5. Current value is 6."
        );
        // ... and even when acks already disabled it.
        assert!(ProducerConfig::parse(
            ClientFlavour::Java,
            &[
                ("acks", "1"),
                ("max.in.flight.requests.per.connection", "6")
            ]
        )
        .is_err());
        // Explicitly off: no checks.
        let (config, notices) = java(&[
            ("enable.idempotence", "false"),
            ("acks", "0"),
            ("retries", "0"),
            ("max.in.flight.requests.per.connection", "10"),
        ]);
        assert!(!config.enable_idempotence);
        assert_eq!(config.max_in_flight, 10);
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn java_transactions_need_idempotence() {
        let (config, notices) = java(&[("transactional.id", "tx-1")]);
        assert!(config.enable_idempotence);
        assert_eq!(config.transactional_id.as_deref(), Some("tx-1"));
        assert_eq!(config.client_id, "producer-tx-1");
        assert_eq!(
            messages(&notices),
            [
                "[Producer clientId=producer-tx-1, transactionalId=tx-1] Instantiated a \
              transactional producer."
            ]
        );
        assert_eq!(
            java_error(&[
                ("transactional.id", "tx-1"),
                ("enable.idempotence", "false")
            ]),
            "Cannot set a transactional.id without also enabling idempotence."
        );
        // Implicitly disabled by acks=1, then refused because of the id.
        assert_eq!(
            java_error(&[("transactional.id", "tx-1"), ("acks", "1")]),
            "Cannot set a transactional.id without also enabling idempotence."
        );
        assert_eq!(
            java_error(&[
                ("transaction.two.phase.commit.enable", "true"),
                ("transaction.timeout.ms", "1000")
            ]),
            "Cannot set transaction.timeout.ms when transaction.two.phase.commit.enable is set to \
             true. Transactions will not expire with two-phase commit enabled."
        );
    }

    #[test]
    fn java_delivery_timeout_must_cover_linger_and_request_timeout() {
        let e = error(
            ClientFlavour::Java,
            &[
                ("delivery.timeout.ms", "1000"),
                ("enable.idempotence", "false"),
            ],
        );
        assert_eq!(
            e,
            ProducerConfigError::JavaConstructor(
                "delivery.timeout.ms should be equal to or larger than linger.ms + \
                 request.timeout.ms"
                    .to_owned()
            )
        );
        let (config, notices) = java(&[("linger.ms", "100000"), ("enable.idempotence", "false")]);
        assert_eq!(config.delivery_timeout_ms, 130_000);
        assert_eq!(
            messages(&notices),
            [
                "[Producer clientId=producer-1] delivery.timeout.ms should be equal to or larger \
              than linger.ms + request.timeout.ms. Setting it to 130000."
            ]
        );
        assert_eq!(notices[0].level, NoticeLevel::Warning);
    }

    #[test]
    fn java_backoff_warnings_and_reconnect_adjustment() {
        let (config, notices) = java(&[
            ("retry.backoff.ms", "2000"),
            ("reconnect.backoff.ms", "70"),
            ("enable.idempotence", "false"),
        ]);
        assert_eq!(
            messages(&notices),
            [
                "Configuration 'retry.backoff.ms' with value '2000' is greater than \
                 configuration 'retry.backoff.max.ms' with value '1000'. A static backoff with \
                 value '1000' will be applied.",
                "Disabling exponential reconnect backoff because reconnect.backoff.ms is set, but \
                 reconnect.backoff.max.ms is not.",
            ]
        );
        assert_eq!(described(&config, "reconnect.backoff.max.ms").value, "70");
    }

    #[test]
    fn java_client_id_and_its_sequence() {
        let (mut config, _) = java(&[]);
        config.set_java_client_id_sequence(3);
        assert_eq!(config.client_id, "producer-3");
        assert_eq!(described(&config, "client.id").value, "producer-3");
        let (mut config, _) = java(&[("client.id", " app ")]);
        config.set_java_client_id_sequence(3);
        assert_eq!(config.client_id, "app");
        let (config, _) = java(&[("client.id", "")]);
        assert_eq!(config.client_id, "");
    }

    #[test]
    fn java_describe_lists_every_config_sorted_as_the_startup_log() {
        let (config, _) = java(&[
            ("acks", "all"),
            ("ssl.key.password", "secret"),
            ("sasl.kerberos.ticket.renew.jitter", "0.1"),
        ]);
        let described = config.describe();
        assert_eq!(described.len(), JAVA_SPECS.len());
        let names: Vec<&str> = described.iter().map(|d| d.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        let acks = described.iter().find(|d| d.name == "acks");
        assert_eq!(
            acks.map(|d| (d.value.as_str(), d.is_set)),
            Some(("-1", true))
        );
        let password = described.iter().find(|d| d.name == "ssl.key.password");
        assert_eq!(
            password.map(|d| (d.value.as_str(), d.sensitive)),
            Some(("[hidden]", true))
        );
        for (name, value) in [
            ("linger.ms", "5"),
            ("partitioner.class", "null"),
            ("interceptor.classes", "[]"),
            (
                "metric.reporters",
                "[org.apache.kafka.common.metrics.JmxReporter]",
            ),
            ("ssl.enabled.protocols", "[TLSv1.2, TLSv1.3]"),
            ("sasl.kerberos.ticket.renew.jitter", "0.1"),
            ("sasl.kerberos.ticket.renew.window.factor", "0.8"),
            ("client.id", "producer-1"),
            ("enable.idempotence", "true"),
            ("compression.type", "none"),
            ("metadata.recovery.strategy", "rebootstrap"),
        ] {
            assert_eq!(self::described(&config, name).value, value, "{name}");
        }
        assert!(!self::described(&config, "linger.ms").is_set);
    }

    // -- librdkafka values --------------------------------------------------

    #[test]
    fn librdkafka_value_errors_use_its_texts() {
        use ProducerConfigError::{
            LibrdkafkaInvalidValue as Invalid, LibrdkafkaUnknownProperty as Unknown,
        };
        let s = str::to_owned;
        let cases: &[(&[(&str, &str)], ProducerConfigError)] = &[
            (
                &[("linger.ms", "abc")],
                Invalid(s(
                    "Invalid value for configuration property \"queue.buffering.max.ms\"",
                )),
            ),
            (
                &[("linger.ms", "900001")],
                Invalid(s(
                    "Configuration property \"queue.buffering.max.ms\" value 900001 is outside \
                     allowed range 0..900000\n",
                )),
            ),
            (
                &[("linger.ms", "1e7")],
                Invalid(s(
                    "Configuration property \"queue.buffering.max.ms\" value 1e+07 is outside \
                     allowed range 0..900000\n",
                )),
            ),
            (
                &[("linger.ms", "-0.5")],
                Invalid(s(
                    "Configuration property \"queue.buffering.max.ms\" value -0.5 is outside \
                     allowed range 0..900000\n",
                )),
            ),
            (
                &[("acks", "2000")],
                Invalid(s(
                    "Configuration property \"request.required.acks\" value 2000 is outside \
                     allowed range -1..1000\n",
                )),
            ),
            (
                &[("acks", "most")],
                Invalid(s(
                    "Invalid value for configuration property \"request.required.acks\"",
                )),
            ),
            (
                &[("batch.num.messages", "0")],
                Invalid(s(
                    "Configuration property \"batch.num.messages\" value 0 is outside allowed \
                     range 1..1000000\n",
                )),
            ),
            (
                &[("enable.idempotence", "yes")],
                Invalid(s(
                    "Expected bool value for \"enable.idempotence\": true or false",
                )),
            ),
            (
                &[("enable.idempotence", "")],
                Invalid(s(
                    "Bool configuration property \"enable.idempotence\" cannot be set to empty \
                     value",
                )),
            ),
            (
                &[("retries", "")],
                Invalid(s(
                    "Integer configuration property \"message.send.max.retries\" cannot be set to \
                     empty value",
                )),
            ),
            (
                &[("linger.ms", "")],
                Invalid(s(
                    "Float configuration property \"queue.buffering.max.ms\" cannot be set to \
                     empty value",
                )),
            ),
            (
                &[("compression.type", "")],
                Invalid(s(
                    "Configuration property \"compression.codec\" cannot be set to empty value",
                )),
            ),
            (
                &[("compression.type", "brotli")],
                Invalid(s(
                    "Invalid value \"brotli\" for configuration property \"compression.codec\"",
                )),
            ),
            (
                &[("compression.codec", "inherit")],
                Invalid(s(
                    "Invalid value \"inherit\" for configuration property \"compression.codec\"",
                )),
            ),
            (
                &[("compression.type", "gzip ")],
                Invalid(s(
                    "Invalid value \"gzip \" for configuration property \"compression.codec\"",
                )),
            ),
            (
                &[("debug", "msg,nope")],
                Invalid(s(
                    "Invalid value \"nope\" for configuration property \"debug\"",
                )),
            ),
            (
                &[("partitioner", "round_robin")],
                Invalid(s(
                    "Invalid value for configuration property \"partitioner\": round_robin",
                )),
            ),
            (
                &[("partitioner", "")],
                Invalid(s(
                    "Invalid value for configuration property \"partitioner\": (null)",
                )),
            ),
            (
                &[("sasl.mechanisms", "PLAIN SCRAM-SHA-256")],
                Invalid(s(
                    "Invalid value for configuration property \"sasl.mechanisms\": PLAIN \
                     SCRAM-SHA-256",
                )),
            ),
            (
                &[("dr_cb", "x")],
                Invalid(s(
                    "Property \"dr_cb\" must be set through dedicated .._set_..() function",
                )),
            ),
            (
                &[("interceptors", "x")],
                Invalid(s("Internal property \"interceptors\" not settable")),
            ),
            (
                &[("ssl.ca.certificate.stores", "Root")],
                Invalid(s(
                    "Configuration property \"ssl.ca.certificate.stores\" not supported in this \
                     build: configuration only valid on Windows",
                )),
            ),
            (
                &[("ssl.truststore.location", "/x")],
                Invalid(s(
                    "Java TrustStores are not supported, use `ssl.ca.location` and a certificate \
                     file instead. See \
                     https://github.com/confluentinc/librdkafka/wiki/Using-SSL-with-librdkafka \
                     for more information.",
                )),
            ),
            (
                &[(
                    "key.serializer",
                    "org.apache.kafka.common.serialization.StringSerializer",
                )],
                Unknown(s("No such configuration property: \"key.serializer\"")),
            ),
            // A `topic.` prefix is stripped before the topic lookup, and the
            // error names what is left.
            (
                &[("topic.linger.ms", "5")],
                Unknown(s("No such configuration property: \"linger.ms\"")),
            ),
        ];
        for (pairs, expected) in cases {
            assert_eq!(&rd_error(pairs), expected, "{pairs:?}");
        }
    }

    #[test]
    fn librdkafka_applies_pairs_in_order_and_stops_at_the_first_error() {
        assert_eq!(
            rd_error(&[("foo", "1"), ("linger.ms", "x")]).message(),
            "No such configuration property: \"foo\""
        );
        assert_eq!(
            rd_error(&[("linger.ms", "x"), ("foo", "1")]).message(),
            "Invalid value for configuration property \"queue.buffering.max.ms\""
        );
        let (config, _) = rdkafka(&[("linger.ms", "1"), ("queue.buffering.max.ms", "2")]);
        assert_eq!(config.linger_ms, 2.0);
    }

    #[test]
    fn librdkafka_parses_numbers_with_strtol_and_strtod() {
        let (config, _) = rdkafka(&[
            ("batch.num.messages", "0x10"),
            ("queue.buffering.max.messages", "010"),
            ("message.max.bytes", "5000ms"),
            ("linger.ms", " 0.5"),
            ("retries", " +7"),
            ("acks", "ALL"),
        ]);
        assert_eq!(config.batch_num_messages, Some(16));
        assert_eq!(config.buffer_max_messages, Some(8));
        assert_eq!(config.max_request_size, 5000);
        assert_eq!(config.linger_ms, 0.5);
        assert_eq!(config.retries, 7);
        assert_eq!(config.required_acks, -1);
        // strtol saturates at LONG_MAX, whose low 32 bits are -1.
        let (config, _) = rdkafka(&[("acks", "99999999999999999999")]);
        assert_eq!(config.required_acks, -1);
        // 2..1000 is accepted but is not an acks a broker takes.
        let (config, _) = rdkafka(&[("acks", "2")]);
        assert_eq!(config.required_acks, 2);
        assert_eq!(config.acks(), None);
        let (config, _) = rdkafka(&[("acks", "0")]);
        assert_eq!(config.acks(), Some(Acks::None));
        // Booleans: true/t/1 and false/f/0, ignoring case.
        let (config, _) = rdkafka(&[("enable.idempotence", "T")]);
        assert!(config.enable_idempotence);
        // An all-blank enum value is skipped without effect.
        let (config, _) = rdkafka(&[("compression.codec", "  ")]);
        assert_eq!(config.compression, Compression::None);
        assert!(!described(&config, "compression.codec").is_set);
    }

    #[test]
    fn librdkafka_aliases_and_topic_properties() {
        let (config, _) = rdkafka(&[
            ("bootstrap.servers", "a:9092,b:9092"),
            ("max.in.flight", "3"),
            ("delivery.timeout.ms", "60000"),
            ("compression.type", "lz4"),
            ("compression.level", "4"),
            ("partitioner", " murmur2_random"),
            ("sticky.partitioning.linger.ms", "0"),
        ]);
        assert_eq!(config.bootstrap_servers, ["a:9092", "b:9092"]);
        assert_eq!(config.max_in_flight, 3);
        assert_eq!(config.delivery_timeout_ms, 60_000);
        assert_eq!(config.compression, Compression::Lz4);
        assert_eq!(config.compression_level, Some(4));
        assert_eq!(
            config.partitioner,
            ProducerPartitioner::Librdkafka {
                kind: PartitionerKind::Murmur2Random,
                sticky_linger_ms: 0,
            }
        );
        let broker_list = described(&config, "metadata.broker.list");
        assert_eq!(broker_list.aliases, ["bootstrap.servers"]);
        assert!(broker_list.is_set);
        // `topic.compression.codec` sets the topic level, which wins over
        // the global codec unless it is `inherit`.
        let (config, _) = rdkafka(&[
            ("compression.codec", "gzip"),
            ("topic.compression.codec", "snappy"),
        ]);
        assert_eq!(config.compression, Compression::Snappy);
        assert_eq!(config.compression_level, None);
        let (config, _) = rdkafka(&[
            ("compression.codec", "gzip"),
            ("topic.compression.codec", "inherit"),
        ]);
        assert_eq!(config.compression, Compression::Gzip);
        assert_eq!(config.compression_level, Some(-1));
    }

    #[test]
    fn librdkafka_sticky_linger_follows_linger_unless_set() {
        let (config, _) = rdkafka(&[("linger.ms", "100")]);
        assert_eq!(
            config.partitioner,
            ProducerPartitioner::Librdkafka {
                kind: PartitionerKind::ConsistentRandom,
                sticky_linger_ms: 200,
            }
        );
        let (config, _) = rdkafka(&[("linger.ms", "600000")]);
        let ProducerPartitioner::Librdkafka {
            sticky_linger_ms, ..
        } = config.partitioner
        else {
            panic!("not librdkafka");
        };
        assert_eq!(sticky_linger_ms, 900_000);
    }

    // -- librdkafka idempotence ---------------------------------------------

    #[test]
    fn librdkafka_idempotence_adjusts_what_was_not_set() {
        let (config, _) = rdkafka(&[("enable.idempotence", "true")]);
        assert!(config.enable_idempotence);
        assert_eq!(config.max_in_flight, 5);
        assert_eq!(config.retries, 2_147_483_647);
        assert_eq!(config.required_acks, -1);
        assert_eq!(
            described(&config, "max.in.flight.requests.per.connection").value,
            "5"
        );
        let (config, _) = rdkafka(&[
            ("enable.idempotence", "true"),
            ("max.in.flight", "2"),
            ("acks", "all"),
        ]);
        assert_eq!(config.max_in_flight, 2);
    }

    #[test]
    fn librdkafka_idempotence_refuses_explicit_conflicts() {
        let finalize = |m: &str| ProducerConfigError::LibrdkafkaFinalize(m.to_owned());
        let on = ("enable.idempotence", "true");
        assert_eq!(
            rd_error(&[on, ("acks", "1")]),
            finalize("`acks` must be set to `all` when `enable.idempotence` is true")
        );
        assert_eq!(
            rd_error(&[on, ("max.in.flight.requests.per.connection", "6")]),
            finalize("`max.in.flight` must be set <= 5 when `enable.idempotence` is true")
        );
        assert_eq!(
            rd_error(&[on, ("retries", "0")]),
            finalize("`retries` must be set >= 1 when `enable.idempotence` is true")
        );
        // Global checks come before the topic's acks check.
        assert_eq!(
            rd_error(&[on, ("acks", "0"), ("retries", "0"), ("max.in.flight", "9")]),
            finalize("`max.in.flight` must be set <= 5 when `enable.idempotence` is true")
        );
        assert_eq!(
            rd_error(&[on, ("queue.buffering.backpressure.threshold", "2")]),
            finalize(
                "`queue.buffering.backpressure.threshold` must be set to 1 when \
                 `enable.idempotence` is true"
            )
        );
        assert_eq!(
            rd_error(&[on, ("queuing.strategy", "lifo")]),
            finalize("`queuing.strategy` must be set to `fifo` when `enable.idempotence` is true")
        );
        assert_eq!(
            rd_error(&[("enable.gapless.guarantee", "true")]),
            finalize("`enable.gapless.guarantee` requires `enable.idempotence` to be enabled")
        );
        // Without idempotence, anything goes.
        let (config, _) = rdkafka(&[("acks", "1"), ("retries", "0"), ("max.in.flight", "100")]);
        assert_eq!(
            (config.required_acks, config.retries, config.max_in_flight),
            (1, 0, 100)
        );
    }

    #[test]
    fn librdkafka_transactional_id_enables_idempotence() {
        let (config, _) = rdkafka(&[
            ("transactional.id", "tx"),
            ("transaction.timeout.ms", "10000"),
        ]);
        assert!(config.enable_idempotence);
        assert_eq!(config.transactional_id.as_deref(), Some("tx"));
        // message.timeout.ms follows the transaction timeout, socket.timeout.ms
        // is 100 ms below it.
        assert_eq!(config.delivery_timeout_ms, 10_000);
        let ClientSettings::Librdkafka(settings) = &config.client else {
            panic!("not librdkafka");
        };
        assert_eq!(settings.socket_timeout_ms, 9_900);
        assert_eq!(
            rd_error(&[("transactional.id", "tx"), ("enable.idempotence", "false")]),
            ProducerConfigError::LibrdkafkaFinalize(
                "`transactional.id` requires `enable.idempotence=true`".to_owned()
            )
        );
        assert_eq!(
            rd_error(&[("transactional.id", "tx"), ("message.timeout.ms", "70000")]).message(),
            "`message.timeout.ms` must be set <= `transaction.timeout.ms`"
        );
        assert_eq!(
            rd_error(&[("transactional.id", "tx"), ("socket.timeout.ms", "70000")]).message(),
            "`socket.timeout.ms` must be set <= `transaction.timeout.ms` + 100"
        );
    }

    #[test]
    fn librdkafka_message_timeout_must_exceed_linger() {
        assert_eq!(
            rd_error(&[("linger.ms", "1000"), ("message.timeout.ms", "1000")]).message(),
            "`message.timeout.ms` must be greater than `linger.ms`"
        );
        // linger.ms left at its default is lowered instead.
        let (config, _) = rdkafka(&[("message.timeout.ms", "3")]);
        assert!(
            (config.linger_ms - 2.9).abs() < 1e-9,
            "{}",
            config.linger_ms
        );
        // 0 means no timeout.
        let (config, _) = rdkafka(&[("message.timeout.ms", "0"), ("linger.ms", "1000")]);
        assert_eq!(config.delivery_timeout_ms, 0);
    }

    #[test]
    fn librdkafka_warns_about_consumer_deprecated_and_experimental_properties() {
        let (_, notices) = rdkafka(&[
            ("group.id", "g"),
            ("api.version.request", "true"),
            ("enable.idempotence", "true"),
            ("enable.gapless.guarantee", "true"),
            ("retry.backoff.ms", "2000"),
            ("topic.produce.offset.report", "true"),
        ]);
        let messages = messages(&notices);
        assert_eq!(messages.len(), 5, "{messages:#?}");
        assert!(messages[0].starts_with(
            "Configuration property api.version.request is deprecated: Request broker's"
        ));
        assert_eq!(
            messages[1],
            "Configuration property group.id is a consumer property and will be ignored by this \
             producer instance"
        );
        assert!(messages[2]
            .starts_with("Configuration property enable.gapless.guarantee is experimental: When"));
        assert_eq!(
            messages[3],
            "Configuration property produce.offset.report is deprecated: No longer used."
        );
        assert_eq!(
            messages[4],
            "Configuration `retry.backoff.ms` with value 2000 is greater than configuration \
             `retry.backoff.max.ms` with value 1000. A static backoff with value \
             `retry.backoff.max.ms` will be applied."
        );
        let (_, notices) =
            ProducerConfig::parse_strict(ClientFlavour::Librdkafka, &[("acks", "1")])
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            notices.last().map(|n| (n.level, n.message.as_str())),
            Some((
                NoticeLevel::Notice,
                "No `bootstrap.servers` configured: client will not be able to connect to Kafka \
                 cluster"
            ))
        );
    }

    #[test]
    fn librdkafka_describe_shows_effective_values() {
        let (config, _) = rdkafka(&[
            ("linger.ms", "0.25"),
            ("debug", "msg, broker"),
            ("acks", "all"),
        ]);
        let linger = described(&config, "queue.buffering.max.ms");
        assert_eq!(linger.value, "0.25");
        assert!(linger.is_set);
        assert_eq!(linger.aliases, ["linger.ms"]);
        assert_eq!(described(&config, "debug").value, "broker,msg");
        let acks = described(&config, "request.required.acks");
        assert_eq!(
            (acks.value.as_str(), acks.topic_level, acks.is_set),
            ("-1", true, true)
        );
        assert_eq!(described(&config, "allow.auto.create.topics").value, "true");
        assert_eq!(described(&config, "metadata.max.age.ms").value, "900000");
        assert_eq!(described(&config, "security.protocol").value, "plaintext");
        assert_eq!(
            described(&config, "builtin.features")
                .value
                .split(',')
                .count(),
            14
        );
        assert!(described(&config, "sasl.password").sensitive);
        // Topic and global compression.codec are both listed.
        let codecs: Vec<(&str, bool)> = config
            .describe()
            .iter()
            .filter(|d| d.name == "compression.codec")
            .map(|d| (d.value.as_str(), d.topic_level))
            .collect();
        assert_eq!(codecs, [("none", false), ("inherit", true)]);
        // Aliases, callbacks and hidden properties are not listed.
        for name in [
            "linger.ms",
            "dr_cb",
            "client.software.name",
            "ssl_key",
            "sasl.jaas.config",
        ] {
            assert!(config.describe_one(name).is_none(), "{name}");
        }
        // auto.offset.reset shows the first name of its value.
        let (config, _) = rdkafka(&[("auto.offset.reset", "earliest")]);
        assert_eq!(described(&config, "auto.offset.reset").value, "smallest");
    }

    // -- Helpers ------------------------------------------------------------

    #[test]
    fn c_helpers_behave_like_glibc() {
        assert_eq!(c_strtol("42"), Some(42));
        assert_eq!(c_strtol("  -42xyz"), Some(-42));
        assert_eq!(c_strtol("0x1f"), Some(31));
        assert_eq!(c_strtol("0X1F"), Some(31));
        assert_eq!(c_strtol("0x"), Some(0));
        assert_eq!(c_strtol("0xg"), Some(0));
        assert_eq!(c_strtol("0755"), Some(493));
        assert_eq!(c_strtol("089"), Some(0));
        assert_eq!(c_strtol("-"), None);
        assert_eq!(c_strtol(""), None);
        assert_eq!(c_strtol("all"), None);
        assert_eq!(c_strtol("99999999999999999999999"), Some(i64::MAX));
        assert_eq!(c_strtol("-99999999999999999999999"), Some(i64::MIN));
        assert_eq!(c_strtod("1.5"), Some(1.5));
        assert_eq!(c_strtod(" .5x"), Some(0.5));
        assert_eq!(c_strtod("5."), Some(5.0));
        assert_eq!(c_strtod("1e3"), Some(1000.0));
        assert_eq!(c_strtod("1e"), Some(1.0));
        assert_eq!(c_strtod("-2E-1"), Some(-0.2));
        assert_eq!(c_strtod("0x10"), Some(16.0));
        assert_eq!(c_strtod("0x1p4"), Some(16.0));
        assert_eq!(c_strtod("0x.8"), Some(0.5));
        assert_eq!(c_strtod("INF"), Some(f64::INFINITY));
        assert_eq!(c_strtod("-infinity"), Some(f64::NEG_INFINITY));
        assert!(c_strtod("nan").is_some_and(f64::is_nan));
        assert_eq!(c_strtod("."), None);
        assert_eq!(c_strtod("e5"), None);
        assert_eq!(c_format_g(900_000.0), "900000");
        assert_eq!(c_format_g(900_001.0), "900001");
        assert_eq!(c_format_g(1e6), "1e+06");
        assert_eq!(c_format_g(1_234_567.0), "1.23457e+06");
        assert_eq!(c_format_g(5.0), "5");
        assert_eq!(c_format_g(0.25), "0.25");
        assert_eq!(c_format_g(0.0001), "0.0001");
        assert_eq!(c_format_g(0.00001), "1e-05");
        assert_eq!(c_format_g(-0.5), "-0.5");
        assert_eq!(c_format_g(0.0), "0");
        assert_eq!(c_format_g(f64::INFINITY), "inf");
        assert_eq!(c_format_g(123.456_789), "123.457");
    }

    #[test]
    fn java_class_names_are_binary_names() {
        for ok in ["a", "a.B", "org.x.Outer$Inner", "_x.$y", "é.Ü"] {
            assert!(java::is_binary_class_name(ok), "{ok}");
        }
        for bad in ["", ".", "a.", ".a", "a..b", "1a", "a b", "a-b", "a/b"] {
            assert!(!java::is_binary_class_name(bad), "{bad}");
        }
    }

    #[test]
    fn flavour_names_round_trip() {
        for flavour in ClientFlavour::ALL {
            assert_eq!(flavour.to_string().parse::<ClientFlavour>(), Ok(flavour));
        }
        assert_eq!("JAVA".parse::<ClientFlavour>(), Ok(ClientFlavour::Java));
        assert_eq!(
            "python".parse::<ClientFlavour>(),
            Err(UnknownClientFlavour("python".to_owned()))
        );
        let e = error(ClientFlavour::Java, &[("linger.ms", "x")]);
        assert_eq!(e.flavour(), ClientFlavour::Java);
        assert_eq!(e.to_string(), e.message());
    }

    // -- Robustness -----------------------------------------------------------

    const ODD: &[&str] = &[
        "",
        " ",
        "\u{0}",
        "\t\n",
        "-",
        "+",
        "--1",
        "0x",
        "0x-1",
        "1e309",
        "-1e309",
        "NaN",
        "nan",
        "-nan",
        "inf",
        "Infinity",
        "9999999999999999999999",
        "-9223372036854775809",
        "0x10",
        "１２",
        "ß",
        "İ",
        "\u{feff}1",
        "1\u{0}",
        ",",
        ",,,",
        "+,-",
        "-all",
        "all",
        "ALL",
        "*",
        "😀",
        ".",
        "1.2.3",
        "1e5e5",
        "\u{7f}",
        "true\u{0}",
        "a\u{301}",
        "(null)",
        "topic.",
    ];

    #[test]
    fn odd_input_never_panics() {
        let long_nines = "9".repeat(400);
        let long_commas = ",".repeat(300);
        let mut values: Vec<&str> = ODD.to_vec();
        values.push(&long_nines);
        values.push(&long_commas);
        let java_names = JAVA_SPECS.iter().map(|s| s.name);
        let rd_names = PROPS.iter().map(|p| p.name);
        let mut names: Vec<String> = java_names.chain(rd_names).map(str::to_owned).collect();
        names.extend(
            PROPS
                .iter()
                .filter(|p| p.topic)
                .map(|p| format!("topic.{}", p.name)),
        );
        names.extend(["", "topic.", "😀"].map(str::to_owned));
        for flavour in ClientFlavour::ALL {
            for name in &names {
                for value in &values {
                    for pairs in [
                        vec![(name.as_str(), *value)],
                        vec![("enable.idempotence", "true"), (name.as_str(), *value)],
                    ] {
                        if let Ok((config, _)) = ProducerConfig::parse_strict(flavour, &pairs) {
                            assert!(config.describe().iter().all(|d| !d.name.is_empty()));
                        }
                        let _ = ProducerConfig::parse(flavour, &pairs);
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_pairs_never_panic(
            pairs in prop::collection::vec((any::<String>(), any::<String>()), 0..6),
            known in prop::collection::vec((0usize..200, any::<String>()), 0..6),
        ) {
            for flavour in ClientFlavour::ALL {
                let mut all: Vec<(String, String)> = pairs.clone();
                for (index, value) in &known {
                    let name = match flavour {
                        ClientFlavour::Java => JAVA_SPECS[index % JAVA_SPECS.len()].name,
                        ClientFlavour::Librdkafka => PROPS[index % PROPS.len()].name,
                    };
                    all.push((name.to_owned(), value.clone()));
                }
                let _ = ProducerConfig::parse(flavour, &all);
                let _ = ProducerConfig::parse_strict(flavour, &all);
            }
        }
    }
}
