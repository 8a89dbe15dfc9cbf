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
use crate::topic_config::{
    java_double_to_string, java_equals_ignore_case, java_trim, parse_java_double, split_list,
};

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
    fn new(level: NoticeLevel, message: impl Into<String>) -> Self {
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
fn to_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v.max(0)).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// The Java client
// ---------------------------------------------------------------------------

/// `ProducerConfig`, `ConfigDef` and the checks of the `KafkaProducer`
/// constructor.
mod java {
    use super::{
        compression_from_id, java_double_to_string, java_equals_ignore_case, java_trim,
        parse_java_double, split_list, to_u32, to_u64, ClientFlavour, ClientSettings, ConfigNotice,
        DescribedConfig, JavaPartitionerConfig, JavaSettings, NoticeLevel, ProducerConfig,
        ProducerConfigError, ProducerPartitioner, IDEMPOTENT_MAX_IN_FLIGHT,
    };
    use std::fmt;

    /// `ConfigDef.Type`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Type {
        Boolean,
        Str,
        Int,
        Short,
        Long,
        Double,
        List,
        Class,
        Password,
    }

    impl Type {
        /// The name in `Not a number of type LONG`.
        const fn name(self) -> &'static str {
            match self {
                Self::Boolean => "BOOLEAN",
                Self::Str => "STRING",
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

    /// A config's default.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(super) enum Fallback {
        /// `NO_DEFAULT_VALUE`: the config is required.
        Required,
        /// `null`.
        Null,
        /// A value, parsed with the config's type.
        Value(&'static str),
    }

    /// A `ConfigDef.Validator`.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(super) enum Check {
        None,
        /// `Range.atLeast`.
        AtLeast(i64),
        /// `Range.between`.
        Between(i64, i64),
        /// `Range.between` with `Double` bounds.
        DoubleBetween(f64, f64),
        /// `ValidString.in`, case-sensitive, listed in this order.
        OneOf(&'static [&'static str]),
        /// `CaseInsensitiveValidString.in`: upper-case names, listed in the
        /// iteration order of the `HashSet` Kafka keeps them in.
        OneOfIgnoreCase(&'static [&'static str]),
        /// `NonEmptyString`.
        NonEmpty,
        /// `ValidList.anyNonDuplicateValues(isEmptyAllowed, false)`.
        List {
            empty_allowed: bool,
        },
        /// `GzipCompression`'s level validator.
        GzipLevel,
    }

    /// One `ConfigDef.define(...)` of `ProducerConfig`.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(super) struct Spec {
        pub(super) name: &'static str,
        pub(super) ty: Type,
        pub(super) default: Fallback,
        pub(super) check: Check,
    }

    const fn spec(name: &'static str, ty: Type, default: Fallback, check: Check) -> Spec {
        Spec {
            name,
            ty,
            default,
            check,
        }
    }

    const fn v(value: &'static str) -> Fallback {
        Fallback::Value(value)
    }

    use Check as C;
    use Fallback as D;
    use Type as T;

    const ACKS_VALUES: &[&str] = &["all", "-1", "0", "1"];
    /// `Utils.enumOptions(CompressionType.class)`.
    const COMPRESSION_TYPES: &[&str] = &["none", "gzip", "snappy", "lz4", "zstd"];
    const DNS_LOOKUPS: &[&str] = &[
        "use_all_dns_ips",
        "resolve_canonical_bootstrap_servers_only",
    ];
    const RECORDING_LEVELS: &[&str] = &["INFO", "DEBUG", "TRACE"];
    /// `SecurityProtocol` names in their `HashSet` iteration order.
    const SECURITY_PROTOCOLS: &[&str] = &["SASL_SSL", "PLAINTEXT", "SSL", "SASL_PLAINTEXT"];
    /// `MetadataRecoveryStrategy` names in their `HashSet` iteration order.
    const RECOVERY_STRATEGIES: &[&str] = &["REBOOTSTRAP", "NONE"];
    /// The assertion algorithms in their `HashSet` iteration order.
    const ASSERTION_ALGORITHMS: &[&str] = &["ES256", "RS256"];

    /// Every producer config of Kafka 4.2 in `ProducerConfig`'s definition
    /// order, which is the order `ConfigDef.parse` checks them in (its keys
    /// are a `LinkedHashMap`), SSL and SASL configs included where
    /// `withClientSslSupport()` and `withClientSaslSupport()` add them.
    pub(super) const SPECS: &[Spec] = &[
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
        // SslConfigs.addClientSslSupport
        spec("ssl.protocol", T::Str, v("TLSv1.3"), C::None),
        spec("ssl.provider", T::Str, D::Null, C::None),
        spec("ssl.cipher.suites", T::List, D::Null, C::None),
        spec(
            "ssl.enabled.protocols",
            T::List,
            v("TLSv1.2,TLSv1.3"),
            C::None,
        ),
        spec("ssl.keystore.type", T::Str, v("JKS"), C::None),
        spec("ssl.keystore.location", T::Str, D::Null, C::None),
        spec("ssl.keystore.password", T::Password, D::Null, C::None),
        spec("ssl.key.password", T::Password, D::Null, C::None),
        spec("ssl.keystore.key", T::Password, D::Null, C::None),
        spec(
            "ssl.keystore.certificate.chain",
            T::Password,
            D::Null,
            C::None,
        ),
        spec("ssl.truststore.certificates", T::Password, D::Null, C::None),
        spec("ssl.truststore.type", T::Str, v("JKS"), C::None),
        spec("ssl.truststore.location", T::Str, D::Null, C::None),
        spec("ssl.truststore.password", T::Password, D::Null, C::None),
        spec("ssl.keymanager.algorithm", T::Str, v("SunX509"), C::None),
        spec("ssl.trustmanager.algorithm", T::Str, v("PKIX"), C::None),
        spec(
            "ssl.endpoint.identification.algorithm",
            T::Str,
            v("https"),
            C::None,
        ),
        spec("ssl.secure.random.implementation", T::Str, D::Null, C::None),
        spec("ssl.engine.factory.class", T::Class, D::Null, C::None),
        // SaslConfigs.addClientSaslSupport
        spec("sasl.kerberos.service.name", T::Str, D::Null, C::None),
        spec(
            "sasl.kerberos.kinit.cmd",
            T::Str,
            v("/usr/bin/kinit"),
            C::None,
        ),
        spec(
            "sasl.kerberos.ticket.renew.window.factor",
            T::Double,
            v("0.8"),
            C::None,
        ),
        spec(
            "sasl.kerberos.ticket.renew.jitter",
            T::Double,
            v("0.05"),
            C::None,
        ),
        spec(
            "sasl.kerberos.min.time.before.relogin",
            T::Long,
            v("60000"),
            C::None,
        ),
        spec(
            "sasl.login.refresh.window.factor",
            T::Double,
            v("0.8"),
            C::DoubleBetween(0.5, 1.0),
        ),
        spec(
            "sasl.login.refresh.window.jitter",
            T::Double,
            v("0.05"),
            C::DoubleBetween(0.0, 0.25),
        ),
        spec(
            "sasl.login.refresh.min.period.seconds",
            T::Short,
            v("60"),
            C::Between(0, 900),
        ),
        spec(
            "sasl.login.refresh.buffer.seconds",
            T::Short,
            v("300"),
            C::Between(0, 3600),
        ),
        spec("sasl.mechanism", T::Str, v("GSSAPI"), C::None),
        spec("sasl.jaas.config", T::Password, D::Null, C::None),
        spec(
            "sasl.client.callback.handler.class",
            T::Class,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.login.callback.handler.class",
            T::Class,
            D::Null,
            C::None,
        ),
        spec("sasl.login.class", T::Class, D::Null, C::None),
        spec("sasl.login.connect.timeout.ms", T::Int, D::Null, C::None),
        spec("sasl.login.read.timeout.ms", T::Int, D::Null, C::None),
        spec(
            "sasl.login.retry.backoff.max.ms",
            T::Long,
            v("10000"),
            C::None,
        ),
        spec("sasl.login.retry.backoff.ms", T::Long, v("100"), C::None),
        spec(
            "sasl.oauthbearer.jwt.retriever.class",
            T::Class,
            v("org.apache.kafka.common.security.oauthbearer.DefaultJwtRetriever"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwt.validator.class",
            T::Class,
            v("org.apache.kafka.common.security.oauthbearer.DefaultJwtValidator"),
            C::None,
        ),
        spec("sasl.oauthbearer.scope", T::Str, D::Null, C::None),
        spec(
            "sasl.oauthbearer.client.credentials.client.id",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.client.credentials.client.secret",
            T::Password,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.algorithm",
            T::Str,
            v("RS256"),
            C::OneOfIgnoreCase(ASSERTION_ALGORITHMS),
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.aud",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.exp.seconds",
            T::Int,
            v("300"),
            C::Between(0, 86_400),
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.iss",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.jti.include",
            T::Boolean,
            v("false"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.nbf.seconds",
            T::Int,
            v("60"),
            C::Between(0, 3600),
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.sub",
            T::Str,
            D::Null,
            C::None,
        ),
        spec("sasl.oauthbearer.assertion.file", T::Str, D::Null, C::None),
        spec(
            "sasl.oauthbearer.assertion.private.key.file",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.private.key.passphrase",
            T::Password,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.template.file",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.scope.claim.name",
            T::Str,
            v("scope"),
            C::None,
        ),
        spec("sasl.oauthbearer.sub.claim.name", T::Str, v("sub"), C::None),
        spec(
            "sasl.oauthbearer.token.endpoint.url",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwks.endpoint.url",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwks.endpoint.refresh.ms",
            T::Long,
            v("3600000"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms",
            T::Long,
            v("10000"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms",
            T::Long,
            v("100"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.clock.skew.seconds",
            T::Int,
            v("30"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.expected.audience",
            T::List,
            v(""),
            C::List {
                empty_allowed: true,
            },
        ),
        spec("sasl.oauthbearer.expected.issuer", T::Str, D::Null, C::None),
        spec(
            "sasl.oauthbearer.header.urlencode",
            T::Boolean,
            v("false"),
            C::None,
        ),
        // Back in ProducerConfig
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

    /// A parsed config value, as `ConfigDef.parseType` returns it.
    #[derive(Debug, Clone, PartialEq)]
    pub(super) enum Value {
        Null,
        Bool(bool),
        Str(String),
        Int(i32),
        Short(i16),
        Long(i64),
        Double(f64),
        List(Vec<String>),
        Class(String),
        Password(String),
    }

    impl fmt::Display for Value {
        /// As the `ProducerConfig values:` startup log prints it.
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::Null => f.write_str("null"),
                Self::Bool(b) => write!(f, "{b}"),
                Self::Str(s) => f.write_str(s),
                Self::Int(n) => write!(f, "{n}"),
                Self::Short(n) => write!(f, "{n}"),
                Self::Long(n) => write!(f, "{n}"),
                Self::Double(d) => f.write_str(&java_double_to_string(*d)),
                Self::List(items) => write!(f, "[{}]", items.join(", ")),
                Self::Class(name) => write!(f, "class {name}"),
                Self::Password(_) => f.write_str("[hidden]"),
            }
        }
    }

    /// `ConfigException(name, value, message)`.
    fn invalid(name: &str, value: impl fmt::Display, message: impl fmt::Display) -> String {
        format!("Invalid value {value} for configuration {name}: {message}")
    }

    /// `ConfigDef.parseType` of a string value.
    pub(super) fn parse_type(name: &str, raw: &str, ty: Type) -> Result<Value, String> {
        let trimmed = java_trim(raw);
        let not_a_number = || invalid(name, raw, format!("Not a number of type {}", ty.name()));
        Ok(match ty {
            Type::Boolean => {
                if java_equals_ignore_case(trimmed, "true") {
                    Value::Bool(true)
                } else if java_equals_ignore_case(trimmed, "false") {
                    Value::Bool(false)
                } else {
                    return Err(invalid(
                        name,
                        raw,
                        "Expected value to be either true or false",
                    ));
                }
            }
            Type::Str => Value::Str(trimmed.to_owned()),
            Type::Password => Value::Password(trimmed.to_owned()),
            Type::Int => Value::Int(trimmed.parse().map_err(|_| not_a_number())?),
            Type::Short => Value::Short(trimmed.parse().map_err(|_| not_a_number())?),
            Type::Long => Value::Long(trimmed.parse().map_err(|_| not_a_number())?),
            Type::Double => Value::Double(parse_java_double(raw).ok_or_else(not_a_number)?),
            Type::List => Value::List(split_list(raw).into_iter().map(str::to_owned).collect()),
            Type::Class => {
                if is_binary_class_name(trimmed) {
                    Value::Class(trimmed.to_owned())
                } else {
                    return Err(invalid(
                        name,
                        raw,
                        format!("Class {raw} could not be found."),
                    ));
                }
            }
        })
    }

    /// Whether `name` could be a class `ClassLoader.loadClass` finds: a
    /// dot-separated sequence of Java identifiers. The playground has no
    /// classpath, so any well-formed name is taken to exist.
    pub(super) fn is_binary_class_name(name: &str) -> bool {
        !name.is_empty()
            && name.split('.').all(|part| {
                let mut chars = part.chars();
                match chars.next() {
                    Some(first) if first.is_alphabetic() || first == '_' || first == '$' => {
                        chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                    }
                    _ => false,
                }
            })
    }

    /// The validator's `ensureValid`.
    pub(super) fn ensure_valid(spec: &Spec, value: &Value) -> Result<(), String> {
        let name = spec.name;
        let number = match value {
            Value::Int(n) => Some(i64::from(*n)),
            Value::Short(n) => Some(i64::from(*n)),
            Value::Long(n) => Some(*n),
            _ => None,
        };
        match spec.check {
            Check::None => Ok(()),
            Check::AtLeast(min) => check_range(name, number, Some(min), None),
            Check::Between(min, max) => check_range(name, number, Some(min), Some(max)),
            Check::DoubleBetween(min, max) => match value {
                // Java compares doubles, so NaN passes both bounds.
                Value::Double(d) if *d < min => Err(invalid(
                    name,
                    java_double_to_string(*d),
                    format!("Value must be at least {}", java_double_to_string(min)),
                )),
                Value::Double(d) if *d > max => Err(invalid(
                    name,
                    java_double_to_string(*d),
                    format!("Value must be no more than {}", java_double_to_string(max)),
                )),
                _ => Ok(()),
            },
            Check::OneOf(valid) => match value {
                Value::Str(s) if !valid.contains(&s.as_str()) => Err(invalid(
                    name,
                    s,
                    format!("String must be one of: {}", valid.join(", ")),
                )),
                _ => Ok(()),
            },
            Check::OneOfIgnoreCase(valid) => match value {
                Value::Str(s) if !valid.contains(&s.to_uppercase().as_str()) => Err(invalid(
                    name,
                    s,
                    format!(
                        "String must be one of (case insensitive): {}",
                        valid.join(", ")
                    ),
                )),
                _ => Ok(()),
            },
            Check::NonEmpty => match value {
                Value::Str(s) if s.is_empty() => Err(invalid(name, s, "String must be non-empty")),
                _ => Ok(()),
            },
            Check::List { empty_allowed } => match value {
                Value::List(items) => {
                    if !empty_allowed && items.is_empty() {
                        return Err(format!(
                            "Configuration '{name}' must not be empty. Valid values include: \
                             any non-empty value"
                        ));
                    }
                    let distinct: std::collections::BTreeSet<&String> = items.iter().collect();
                    if distinct.len() != items.len() {
                        return Err(format!(
                            "Configuration '{name}' values must not be duplicated."
                        ));
                    }
                    if items.iter().any(String::is_empty) {
                        return Err(format!("Configuration '{name}' values must not be empty."));
                    }
                    Ok(())
                }
                _ => Err(format!("Configuration '{name}' values must not be null.")),
            },
            Check::GzipLevel => {
                match value {
                    Value::Int(level) if *level > 9 || (*level < 1 && *level != -1) => Err(
                        invalid(name, level, "Value must be between 1 and 9 or equal to -1"),
                    ),
                    _ => Ok(()),
                }
            }
        }
    }

    /// `Range.ensureValid`.
    fn check_range(
        name: &str,
        value: Option<i64>,
        min: Option<i64>,
        max: Option<i64>,
    ) -> Result<(), String> {
        let Some(n) = value else {
            return Err(invalid(name, "null", "Value must be non-null"));
        };
        if let Some(min) = min {
            if n < min {
                return Err(invalid(name, n, format!("Value must be at least {min}")));
            }
        }
        if let Some(max) = max {
            if n > max {
                return Err(invalid(
                    name,
                    n,
                    format!("Value must be no more than {max}"),
                ));
            }
        }
        Ok(())
    }

    /// The parsed values, one per [`SPECS`] entry, and the user's pairs.
    struct Parsed<'a> {
        values: Vec<Value>,
        /// Distinct names in first-seen order, each with its last value.
        originals: Vec<(&'a str, &'a str)>,
    }

    impl Parsed<'_> {
        fn is_set(&self, name: &str) -> bool {
            self.originals.iter().any(|(n, _)| *n == name)
        }

        fn get(&self, name: &str) -> &Value {
            SPECS
                .iter()
                .position(|s| s.name == name)
                .and_then(|i| self.values.get(i))
                .unwrap_or(&Value::Null)
        }

        fn set(&mut self, name: &str, value: Value) {
            if let Some(slot) = SPECS
                .iter()
                .position(|s| s.name == name)
                .and_then(|i| self.values.get_mut(i))
            {
                *slot = value;
            }
        }

        // The typed getters fall back to a neutral value for a name or type
        // the table does not have; the defaults tests pin every one of them.
        fn long(&self, name: &str) -> i64 {
            match self.get(name) {
                Value::Long(n) => *n,
                Value::Int(n) => i64::from(*n),
                Value::Short(n) => i64::from(*n),
                _ => 0,
            }
        }

        fn int(&self, name: &str) -> i32 {
            match self.get(name) {
                Value::Int(n) => *n,
                _ => 0,
            }
        }

        fn boolean(&self, name: &str) -> bool {
            matches!(self.get(name), Value::Bool(true))
        }

        fn string(&self, name: &str) -> Option<&str> {
            match self.get(name) {
                Value::Str(s) | Value::Class(s) => Some(s),
                _ => None,
            }
        }

        fn list(&self, name: &str) -> Vec<String> {
            match self.get(name) {
                Value::List(items) => items.clone(),
                _ => Vec::new(),
            }
        }
    }

    /// `new KafkaProducer<>(props)`, as far as configuration goes.
    pub(super) fn parse(
        pairs: &[(&str, &str)],
        strict: bool,
    ) -> Result<(ProducerConfig, Vec<ConfigNotice>), ProducerConfigError> {
        let config_error = ProducerConfigError::JavaConfig;
        let mut originals: Vec<(&str, &str)> = Vec::new();
        for &(name, value) in pairs {
            match originals.iter_mut().find(|(n, _)| *n == name) {
                Some(entry) => entry.1 = value,
                None => originals.push((name, value)),
            }
        }
        let original = |name: &str| originals.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);

        // ProducerConfig.appendSerializerToConfig, before anything is parsed.
        if strict {
            for key in ["key.serializer", "value.serializer"] {
                if original(key).is_none() {
                    return Err(config_error(format!(
                        "Invalid value null for configuration {key}: must be non-null."
                    )));
                }
            }
        }

        // ConfigDef.parse: every config in definition order.
        let mut values = Vec::with_capacity(SPECS.len());
        for spec in SPECS {
            let value = match (original(spec.name), spec.default) {
                (Some(raw), _) => {
                    let value = parse_type(spec.name, raw, spec.ty).map_err(config_error)?;
                    ensure_valid(spec, &value).map_err(config_error)?;
                    value
                }
                (None, Fallback::Required) if strict => {
                    return Err(config_error(format!(
                        "Missing required configuration \"{}\" which has no default value.",
                        spec.name
                    )));
                }
                (None, Fallback::Required | Fallback::Null) => Value::Null,
                // Defaults are valid (the defaults tests parse every one).
                (None, Fallback::Value(default)) => {
                    parse_type(spec.name, default, spec.ty).unwrap_or(Value::Null)
                }
            };
            values.push(value);
        }
        let mut cfg = Parsed { values, originals };
        let mut notices = Vec::new();
        let info = |m: String| ConfigNotice::new(NoticeLevel::Info, m);
        let warn = |m: String| ConfigNotice::new(NoticeLevel::Warning, m);

        // ProducerConfig.postProcessParsedConfig
        // 1. CommonClientConfigs.postValidateSaslMechanismConfig
        let protocol = cfg.string("security.protocol").unwrap_or("").to_uppercase();
        if (protocol == "SASL_PLAINTEXT" || protocol == "SASL_SSL")
            && cfg.string("sasl.mechanism").is_none_or(str::is_empty)
        {
            return Err(config_error(
                "Invalid value null for configuration sasl.mechanism: When the security.protocol \
                 configuration enables SASL, mechanism must be non-null and non-empty string."
                    .to_owned(),
            ));
        }
        // 2. CommonClientConfigs.warnDisablingExponentialBackoff
        for (base, max, what) in [
            ("retry.backoff.ms", "retry.backoff.max.ms", "backoff"),
            (
                "socket.connection.setup.timeout.ms",
                "socket.connection.setup.timeout.max.ms",
                "connection setup timeout",
            ),
        ] {
            let (b, m) = (cfg.long(base), cfg.long(max));
            if b > m {
                notices.push(warn(format!(
                    "Configuration '{base}' with value '{b}' is greater than configuration \
                     '{max}' with value '{m}'. A static {what} with value '{m}' will be applied."
                )));
            }
        }
        // 3. CommonClientConfigs.postProcessReconnectBackoffConfigs
        if !cfg.is_set("reconnect.backoff.max.ms") && cfg.is_set("reconnect.backoff.ms") {
            notices.push(warn(
                "Disabling exponential reconnect backoff because reconnect.backoff.ms is set, but \
                 reconnect.backoff.max.ms is not."
                    .to_owned(),
            ));
            let base = cfg.long("reconnect.backoff.ms");
            cfg.set("reconnect.backoff.max.ms", Value::Long(base));
        }
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
        let unknown: Vec<&str> = cfg
            .originals
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| !SPECS.iter().any(|s| s.name == *name))
            .collect();
        if !unknown.is_empty() {
            let ordered = java_hash_set_order(&unknown, cfg.originals.len());
            notices.push(info(format!(
                "These configurations '[{}]' were supplied but are not used yet.",
                ordered.join(", ")
            )));
        }

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
        let mut described: Vec<DescribedConfig> = SPECS
            .iter()
            .zip(&cfg.values)
            .map(|(spec, value)| DescribedConfig {
                name: spec.name,
                value: if spec.name == "delivery.timeout.ms" {
                    delivery_timeout.to_string()
                } else {
                    value.to_string()
                },
                is_set: cfg.is_set(spec.name),
                topic_level: false,
                sensitive: spec.ty == Type::Password,
                aliases: Vec::new(),
            })
            .collect();
        described.sort_by_key(|d| d.name);
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

    /// `String.hashCode`, over UTF-16 code units.
    pub(super) fn java_string_hash(s: &str) -> i32 {
        s.encode_utf16().fold(0i32, |h, unit| {
            h.wrapping_mul(31).wrapping_add(i32::from(unit))
        })
    }

    /// The iteration order of `new HashSet<>(originals.keySet())` after
    /// `removeAll(used)`: bucket order of a table sized for `source_size`
    /// keys (`max(n / .75f + 1, 16)` rounded up to a power of two), bucket
    /// index `(h ^ (h >>> 16)) & (size - 1)`. Keys sharing a bucket keep the
    /// order given.
    pub(super) fn java_hash_set_order<'a>(items: &[&'a str], source_size: usize) -> Vec<&'a str> {
        // Java computes `(int) (size / .75f) + 1` in float arithmetic; any
        // realistic number of configs is exact in f32.
        let wanted = ((source_size as f32 / 0.75) as usize + 1).max(16);
        let table = wanted.next_power_of_two();
        let bucket = |s: &str| {
            // Bit reinterpretation of Java's int hash.
            let h = java_string_hash(s) as u32;
            ((h ^ (h >> 16)) as usize) & (table - 1)
        };
        let mut ordered = items.to_vec();
        ordered.sort_by_key(|s| bucket(s));
        ordered
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
        ConfigNotice, DescribedConfig, LibrdkafkaSettings, NoticeLevel, PartitionerKind,
        ProducerConfig, ProducerConfigError, ProducerPartitioner, IDEMPOTENT_MAX_IN_FLIGHT,
    };

    /// Which clients a property applies to (the `C/P` column).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Role {
        Both,
        Producer,
        Consumer,
    }

    /// A string property's `validate` function.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Validate {
        None,
        /// `rd_kafka_conf_validate_single`: no `,` and no space.
        Single,
        /// `rd_kafka_conf_validate_partitioner`.
        Partitioner,
    }

    /// A property's `_RK_C_*` type with its range and default.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(super) enum Kind {
        /// `_RK_C_STR` (left-trimmed) or `_RK_C_KSTR` (`trim: false`).
        Str {
            default: Option<&'static str>,
            validate: Validate,
            trim: bool,
        },
        /// `_RK_C_INT`, with optional names (`all` for `acks`).
        Int {
            min: i32,
            max: i32,
            default: i32,
            names: &'static [(&'static str, i32)],
        },
        /// `_RK_C_DBL`.
        Dbl { min: f64, max: f64, default: f64 },
        /// `_RK_C_BOOL`.
        Bool { default: bool },
        /// `_RK_C_S2I`: one of the names, ignoring ASCII case.
        Enum {
            values: &'static [(&'static str, i32)],
            default: i32,
        },
        /// `_RK_C_S2F`: comma-separated flags, `+`/`-` to add or remove.
        Flags {
            values: &'static [&'static str],
            default: u32,
        },
        /// `_RK_C_PATLIST`.
        Patterns,
        /// `_RK_C_PTR`: set through a dedicated function only.
        Callback,
        /// `_RK_C_INTERNAL`.
        Internal,
        /// `_RK_C_INVALID`: a Java property librdkafka explains instead.
        Invalid { message: &'static str },
        /// `_RK_C_ALIAS`.
        Alias { target: &'static str },
    }

    const DEPRECATED: u8 = 1;
    const EXPERIMENTAL: u8 = 2;
    const HIDDEN: u8 = 4;
    const SENSITIVE: u8 = 8;

    /// One entry of `rd_kafka_properties[]`.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(super) struct Prop {
        pub(super) name: &'static str,
        pub(super) topic: bool,
        pub(super) role: Role,
        pub(super) kind: Kind,
        flags: u8,
        unsupported: Option<&'static str>,
        /// The description, kept for deprecated and experimental properties,
        /// whose warning quotes it.
        desc: &'static str,
    }

    impl Prop {
        const fn producer(mut self) -> Self {
            self.role = Role::Producer;
            self
        }
        const fn consumer(mut self) -> Self {
            self.role = Role::Consumer;
            self
        }
        const fn deprecated(mut self, desc: &'static str) -> Self {
            self.flags |= DEPRECATED;
            self.desc = desc;
            self
        }
        const fn experimental(mut self, desc: &'static str) -> Self {
            self.flags |= EXPERIMENTAL;
            self.desc = desc;
            self
        }
        const fn hidden(mut self) -> Self {
            self.flags |= HIDDEN;
            self
        }
        const fn sensitive(mut self) -> Self {
            self.flags |= SENSITIVE;
            self
        }
        const fn unsupported(mut self, why: &'static str) -> Self {
            self.unsupported = Some(why);
            self
        }
        pub(super) const fn is_hidden(&self) -> bool {
            self.flags & HIDDEN != 0
        }
    }

    /// A global property.
    const fn g(name: &'static str, kind: Kind) -> Prop {
        Prop {
            name,
            topic: false,
            role: Role::Both,
            kind,
            flags: 0,
            unsupported: None,
            desc: "",
        }
    }

    /// A topic property.
    const fn t(name: &'static str, kind: Kind) -> Prop {
        Prop {
            topic: true,
            ..g(name, kind)
        }
    }

    const fn s() -> Kind {
        Kind::Str {
            default: None,
            validate: Validate::None,
            trim: true,
        }
    }
    const fn sd(default: &'static str) -> Kind {
        Kind::Str {
            default: Some(default),
            validate: Validate::None,
            trim: true,
        }
    }
    const fn ks(default: &'static str) -> Kind {
        Kind::Str {
            default: Some(default),
            validate: Validate::None,
            trim: false,
        }
    }
    const fn i(min: i32, max: i32, default: i32) -> Kind {
        Kind::Int {
            min,
            max,
            default,
            names: &[],
        }
    }
    const fn b(default: bool) -> Kind {
        Kind::Bool { default }
    }
    const fn e(values: &'static [(&'static str, i32)], default: i32) -> Kind {
        Kind::Enum { values, default }
    }
    const fn alias(target: &'static str) -> Kind {
        Kind::Alias { target }
    }
    const CB: Kind = Kind::Callback;
    const MAX: i32 = i32::MAX;

    const FEATURES: &[&str] = &[
        "gzip",
        "snappy",
        "ssl",
        "sasl",
        "regex",
        "lz4",
        "sasl_gssapi",
        "sasl_plain",
        "sasl_scram",
        "plugins",
        "zstd",
        "sasl_oauthbearer",
        "http",
        "oidc",
    ];
    /// `RD_KAFKA_DBG_*`, one bit each; `all` sets every bit.
    const DEBUG_CONTEXTS: &[&str] = &[
        "generic",
        "broker",
        "topic",
        "metadata",
        "feature",
        "queue",
        "msg",
        "protocol",
        "cgrp",
        "security",
        "fetch",
        "interceptor",
        "plugin",
        "consumer",
        "admin",
        "eos",
        "mock",
        "assignor",
        "conf",
        "telemetry",
        "all",
    ];
    pub(super) const CODECS: &[(&str, i32)] = &[
        ("none", 0),
        ("gzip", 1),
        ("snappy", 2),
        ("lz4", 3),
        ("zstd", 4),
    ];
    /// `RD_KAFKA_COMPRESSION_INHERIT`.
    pub(super) const INHERIT: i32 = 5;
    const TOPIC_CODECS: &[(&str, i32)] = &[
        ("none", 0),
        ("gzip", 1),
        ("snappy", 2),
        ("lz4", 3),
        ("zstd", 4),
        ("inherit", INHERIT),
    ];
    const JAAS_NOTE: &str = "Java JAAS configuration is not supported, see \
         https://github.com/confluentinc/librdkafka/wiki/Using-SASL-with-librdkafka \
         for more information.";
    const TRUSTSTORE_NOTE: &str =
        "Java TrustStores are not supported, use `ssl.ca.location` and a certificate file \
         instead. See https://github.com/confluentinc/librdkafka/wiki/Using-SSL-with-librdkafka \
         for more information.";
    const NO_LONGER_USED: &str = "No longer used.";
    const OFFSET_STORE_METHOD_DESC: &str =
        "Offset commit store method: 'file' - DEPRECATED: local file store (offset.store.path, \
         et.al), 'broker' - broker commit store (requires Apache Kafka 0.8.2 or later on the \
         broker).";

    /// The librdkafka 2.x property table, in its own order: global
    /// properties, then topic properties.
    pub(super) const PROPS: &[Prop] = &[
        g("builtin.features", Kind::Flags { values: FEATURES, default: 0xffff }),
        g("client.id", sd("rdkafka")),
        g("client.software.name", sd("librdkafka")).hidden(),
        g("client.software.version", s()).hidden(),
        g("metadata.broker.list", s()),
        g("bootstrap.servers", alias("metadata.broker.list")),
        g("message.max.bytes", i(1000, 1_000_000_000, 1_000_000)),
        g("message.copy.max.bytes", i(0, 1_000_000_000, 65_535)),
        g("receive.message.max.bytes", i(1000, MAX, 100_000_000)),
        g("max.in.flight.requests.per.connection", i(1, 1_000_000, 1_000_000)),
        g("max.in.flight", alias("max.in.flight.requests.per.connection")),
        g("metadata.recovery.strategy", e(&[("none", 0), ("rebootstrap", 1)], 1)),
        g("metadata.recovery.rebootstrap.trigger.ms", i(0, MAX, 300_000)),
        g("metadata.request.timeout.ms", i(10, 900_000, 10)).hidden().deprecated("Not used."),
        g("topic.metadata.refresh.interval.ms", i(-1, 3_600_000, 300_000)),
        g("metadata.max.age.ms", i(1, 86_400_000, 900_000)),
        g("topic.metadata.refresh.fast.interval.ms", i(1, 60_000, 100)),
        g("topic.metadata.refresh.fast.cnt", i(0, 1000, 10)).deprecated(NO_LONGER_USED),
        g("topic.metadata.refresh.sparse", b(true)),
        g("topic.metadata.propagation.max.ms", i(0, 3_600_000, 30_000)),
        g("topic.blacklist", Kind::Patterns),
        g("debug", Kind::Flags { values: DEBUG_CONTEXTS, default: 0 }),
        g("socket.timeout.ms", i(10, 300_000, 60_000)),
        g("socket.blocking.max.ms", i(1, 60_000, 1000)).deprecated(NO_LONGER_USED),
        g("socket.send.buffer.bytes", i(0, 100_000_000, 0)),
        g("socket.receive.buffer.bytes", i(0, 100_000_000, 0)),
        g("socket.keepalive.enable", b(false)),
        g("socket.nagle.disable", b(true)),
        g("socket.max.fails", i(0, 1_000_000, 1)),
        g("broker.address.ttl", i(0, 86_400_000, 1000)),
        g("broker.address.family", e(&[("any", 0), ("v4", 2), ("v6", 10)], 0)),
        g("socket.connection.setup.timeout.ms", i(1000, MAX, 30_000)),
        g("connections.max.idle.ms", i(0, MAX, 0)),
        g("enable.sparse.connections", b(true)).hidden(),
        g("reconnect.backoff.jitter.ms", i(0, 3_600_000, 0)).deprecated(
            "No longer used. See `reconnect.backoff.ms` and `reconnect.backoff.max.ms`.",
        ),
        g("reconnect.backoff.ms", i(0, 3_600_000, 100)),
        g("reconnect.backoff.max.ms", i(0, 3_600_000, 10_000)),
        g("statistics.interval.ms", i(0, 86_400_000, 0)),
        g("enabled_events", i(0, MAX, 0)),
        g("error_cb", CB),
        g("throttle_cb", CB),
        g("stats_cb", CB),
        g("log_cb", CB),
        g("log_level", i(0, 7, 6)),
        g("log.queue", b(false)),
        g("log.thread.name", b(true)),
        g("enable.random.seed", b(true)),
        g("log.connection.close", b(true)),
        g("background_event_cb", CB),
        g("socket_cb", CB),
        g("connect_cb", CB),
        g("closesocket_cb", CB),
        g("open_cb", CB),
        g("resolve_cb", CB),
        g("opaque", CB),
        g("default_topic_conf", CB),
        g("internal.termination.signal", i(0, 128, 0)),
        g("api.version.request", b(true)).deprecated(
            "Request broker's supported API versions to adjust functionality to available \
             protocol features. If set to false, or the ApiVersionRequest fails, the fallback \
             version `broker.version.fallback` will be used. **NOTE**: Depends on broker version \
             >=0.10.0. If the request is not supported by (an older) broker the \
             `broker.version.fallback` fallback is used.",
        ),
        g("api.version.request.timeout.ms", i(1, 300_000, 10_000)),
        g("api.version.fallback.ms", i(0, 604_800_000, 0)).deprecated(
            "Dictates how long the `broker.version.fallback` fallback is used in the case the \
             ApiVersionRequest fails. **NOTE**: The ApiVersionRequest is only issued when a new \
             connection to the broker is made (such as after an upgrade).",
        ),
        g("broker.version.fallback", sd("0.10.0")).deprecated(
            "Older broker versions (before 0.10.0) provide no way for a client to query for \
             supported protocol features (ApiVersionRequest, see `api.version.request`) making \
             it impossible for the client to know what features it may use. As a workaround a \
             user may set this property to the expected broker version and the client will \
             automatically adjust its feature set accordingly if the ApiVersionRequest fails (or \
             is disabled). The fallback broker version will be used for \
             `api.version.fallback.ms`. Valid values are: 0.9.0, 0.8.2, 0.8.1, 0.8.0. Any other \
             value >= 0.10, such as 0.10.2.1, enables ApiVersionRequests.",
        ),
        g("allow.auto.create.topics", b(false)),
        g(
            "security.protocol",
            e(
                &[("plaintext", 0), ("ssl", 1), ("sasl_plaintext", 2), ("sasl_ssl", 3)],
                0,
            ),
        ),
        g("ssl.cipher.suites", s()),
        g("ssl.curves.list", s()),
        g("ssl.sigalgs.list", s()),
        g("ssl.key.location", s()).sensitive(),
        g("ssl.key.password", s()).sensitive(),
        g("ssl.key.pem", s()).sensitive(),
        g("ssl_key", Kind::Internal).sensitive(),
        g("ssl.certificate.location", s()),
        g("ssl.certificate.pem", s()),
        g("ssl_certificate", Kind::Internal),
        g("ssl.ca.location", s()),
        g("https.ca.location", s()),
        g("https.ca.pem", s()),
        g("ssl.ca.pem", s()).sensitive(),
        g("ssl_ca", Kind::Internal),
        g("ssl.ca.certificate.stores", sd("Root")).unsupported("configuration only valid on Windows"),
        g("ssl.crl.location", s()),
        g("ssl.keystore.location", s()),
        g("ssl.keystore.password", s()).sensitive(),
        g("ssl.providers", s()),
        g("ssl.engine.location", s()).deprecated(
            "Path to OpenSSL engine library. OpenSSL >= 1.1.x required. DEPRECATED: OpenSSL \
             engine support is deprecated and should be replaced by OpenSSL 3 providers.",
        ),
        g("ssl.engine.id", sd("dynamic")),
        g("ssl_engine_callback_data", CB),
        g("enable.ssl.certificate.verification", b(true)),
        g("ssl.endpoint.identification.algorithm", e(&[("none", 0), ("https", 1)], 1)),
        g("ssl.certificate.verify_cb", CB),
        g("ssl.truststore.location", Kind::Invalid { message: TRUSTSTORE_NOTE }),
        g("sasl.jaas.config", Kind::Invalid { message: JAAS_NOTE }),
        g(
            "sasl.mechanisms",
            Kind::Str {
                default: Some("GSSAPI"),
                validate: Validate::Single,
                trim: true,
            },
        ),
        g("sasl.mechanism", alias("sasl.mechanisms")),
        g("sasl.kerberos.service.name", sd("kafka")),
        g("sasl.kerberos.principal", sd("kafkaclient")),
        g(
            "sasl.kerberos.kinit.cmd",
            sd("kinit -R -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal} || \
                kinit -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal}"),
        ),
        g("sasl.kerberos.keytab", s()),
        g("sasl.kerberos.min.time.before.relogin", i(0, 86_400_000, 60_000)),
        g("sasl.username", s()).sensitive(),
        g("sasl.password", s()).sensitive(),
        g("sasl.oauthbearer.config", s()).sensitive(),
        g("enable.sasl.oauthbearer.unsecure.jwt", b(false)),
        g("oauthbearer_token_refresh_cb", CB),
        g("enable_sasl_queue", b(false)).hidden(),
        g("sasl.oauthbearer.method", e(&[("default", 0), ("oidc", 1)], 0)),
        g("sasl.oauthbearer.client.id", s()),
        g(
            "sasl.oauthbearer.client.credentials.client.id",
            alias("sasl.oauthbearer.client.id"),
        ),
        g(
            "sasl.oauthbearer.client.credentials.client.secret",
            alias("sasl.oauthbearer.client.secret"),
        ),
        g("sasl.oauthbearer.client.secret", s()).sensitive(),
        g("sasl.oauthbearer.scope", s()),
        g("sasl.oauthbearer.extensions", s()),
        g("sasl.oauthbearer.token.endpoint.url", s()),
        g(
            "sasl.oauthbearer.grant.type",
            e(
                &[
                    ("client_credentials", 0),
                    ("urn:ietf:params:oauth:grant-type:jwt-bearer", 1),
                ],
                0,
            ),
        ),
        g("sasl.oauthbearer.assertion.algorithm", e(&[("RS256", 0), ("ES256", 1)], 0)),
        g("sasl.oauthbearer.assertion.private.key.file", s()),
        g("sasl.oauthbearer.assertion.private.key.passphrase", s()).sensitive(),
        g("sasl.oauthbearer.assertion.private.key.pem", s()).sensitive(),
        g("sasl.oauthbearer.assertion.file", s()),
        g("sasl.oauthbearer.assertion.claim.aud", s()),
        g("sasl.oauthbearer.assertion.claim.exp.seconds", i(1, MAX, 300)),
        g("sasl.oauthbearer.assertion.claim.iss", s()),
        g("sasl.oauthbearer.assertion.claim.jti.include", b(false)),
        g("sasl.oauthbearer.assertion.claim.nbf.seconds", i(0, MAX, 60)),
        g("sasl.oauthbearer.assertion.claim.sub", s()),
        g("sasl.oauthbearer.assertion.jwt.template.file", s()),
        g(
            "sasl.oauthbearer.metadata.authentication.type",
            e(&[("none", 0), ("azure_imds", 1)], 0),
        ),
        g("plugin.library.paths", s()),
        g("interceptors", Kind::Internal),
        g("test.mock.num.brokers", i(0, 10_000, 0)).hidden(),
        g("test.mock.broker.rtt", i(0, 3_600_000, 0)).hidden(),
        g("ut_handle_ProduceResponse", CB).hidden(),
        // Global consumer group and consumer properties.
        g("group.id", s()).consumer(),
        g("group.instance.id", s()).consumer(),
        g("partition.assignment.strategy", sd("range,roundrobin")).consumer(),
        g("session.timeout.ms", i(1, 3_600_000, 45_000)).consumer(),
        g("heartbeat.interval.ms", i(1, 3_600_000, 3000)).consumer(),
        g("group.protocol.type", ks("consumer")).consumer(),
        g("group.protocol", e(&[("classic", 0), ("consumer", 1)], 0)).consumer(),
        g("group.remote.assignor", s()).consumer(),
        g("coordinator.query.interval.ms", i(1, 3_600_000, 600_000)).consumer(),
        g("max.poll.interval.ms", i(1, 86_400_000, 300_000)).consumer(),
        g("enable.auto.commit", b(true)).consumer(),
        g("auto.commit.interval.ms", i(0, 86_400_000, 5000)).consumer(),
        g("enable.auto.offset.store", b(true)).consumer(),
        g("queued.min.messages", i(1, 10_000_000, 100_000)).consumer(),
        g("queued.max.messages.kbytes", i(1, 2_097_151, 65_536)).consumer(),
        g("fetch.wait.max.ms", i(0, 300_000, 500)).consumer(),
        g("fetch.queue.backoff.ms", i(0, 300_000, 1000)).consumer(),
        g("fetch.message.max.bytes", i(1, 1_000_000_000, 1_048_576)).consumer(),
        g("max.partition.fetch.bytes", alias("fetch.message.max.bytes")).consumer(),
        g("fetch.max.bytes", i(0, MAX - 512, 52_428_800)).consumer(),
        g("fetch.min.bytes", i(1, 100_000_000, 1)).consumer(),
        g("fetch.error.backoff.ms", i(0, 300_000, 500)).consumer(),
        g("offset.store.method", e(&[("none", 0), ("file", 1), ("broker", 2)], 2))
            .consumer()
            .deprecated(OFFSET_STORE_METHOD_DESC),
        g("isolation.level", e(&[("read_uncommitted", 0), ("read_committed", 1)], 1)).consumer(),
        g("consume_cb", CB).consumer(),
        g("rebalance_cb", CB).consumer(),
        g("offset_commit_cb", CB).consumer(),
        g("enable.partition.eof", b(false)).consumer(),
        g("check.crcs", b(false)).consumer(),
        g("client.rack", ks("")),
        // Global producer properties.
        g("transactional.id", s()).producer(),
        g("transaction.timeout.ms", i(1000, MAX, 60_000)).producer(),
        g("enable.idempotence", b(false)).producer(),
        g("enable.gapless.guarantee", b(false)).producer().experimental(
            "When set to `true`, any error that could result in a gap in the produced message \
             series when a batch of messages fails, will raise a fatal error \
             (ERR__GAPLESS_GUARANTEE) and stop the producer. Messages failing due to \
             `message.timeout.ms` are not covered by this guarantee. Requires \
             `enable.idempotence=true`.",
        ),
        g("queue.buffering.max.messages", i(0, MAX, 100_000)).producer(),
        g("queue.buffering.max.kbytes", i(1, MAX, 1_048_576)).producer(),
        g(
            "queue.buffering.max.ms",
            Kind::Dbl {
                min: 0.0,
                max: 900_000.0,
                default: 5.0,
            },
        )
        .producer(),
        g("linger.ms", alias("queue.buffering.max.ms")).producer(),
        g("message.send.max.retries", i(0, MAX, MAX)).producer(),
        g("retries", alias("message.send.max.retries")).producer(),
        g("retry.backoff.ms", i(1, 300_000, 100)),
        g("retry.backoff.max.ms", i(1, 300_000, 1000)),
        g("queue.buffering.backpressure.threshold", i(1, 1_000_000, 1)).producer(),
        g("compression.codec", e(CODECS, 0)).producer(),
        g("compression.type", alias("compression.codec")).producer(),
        g("batch.num.messages", i(1, 1_000_000, 10_000)).producer(),
        g("batch.size", i(1, MAX, 1_000_000)).producer(),
        g("delivery.report.only.error", b(false)).producer(),
        g("dr_cb", CB).producer(),
        g("dr_msg_cb", CB).producer(),
        g("sticky.partitioning.linger.ms", i(0, 900_000, 10)).producer(),
        g(
            "client.dns.lookup",
            e(
                &[("use_all_dns_ips", 0), ("resolve_canonical_bootstrap_servers_only", 1)],
                0,
            ),
        ),
        g("enable.metrics.push", b(true)),
        // Topic producer properties.
        t(
            "request.required.acks",
            Kind::Int {
                min: -1,
                max: 1000,
                default: -1,
                names: &[("all", -1)],
            },
        )
        .producer(),
        t("acks", alias("request.required.acks")).producer(),
        t("request.timeout.ms", i(1, 900_000, 30_000)).producer(),
        t("message.timeout.ms", i(0, MAX, 300_000)).producer(),
        t("delivery.timeout.ms", alias("message.timeout.ms")).producer(),
        t("queuing.strategy", e(&[("fifo", 0), ("lifo", 1)], 0))
            .producer()
            .deprecated("")
            .experimental(
                "Producer queuing strategy. FIFO preserves produce ordering, while LIFO \
                 prioritizes new messages.",
            ),
        t("produce.offset.report", b(false)).producer().deprecated(NO_LONGER_USED),
        t(
            "partitioner",
            Kind::Str {
                default: Some("consistent_random"),
                validate: Validate::Partitioner,
                trim: true,
            },
        )
        .producer(),
        t("partitioner_cb", CB).producer(),
        t("msg_order_cmp", CB).producer(),
        t("opaque", CB),
        t("compression.codec", e(TOPIC_CODECS, INHERIT)).producer(),
        t("compression.type", alias("compression.codec")).producer(),
        t("compression.level", i(-1, 12, -1)).producer(),
        // Topic consumer properties (the legacy simple consumer's).
        t("auto.commit.enable", b(true)).consumer().deprecated(
            "[**LEGACY PROPERTY:** This property is used by the simple legacy consumer only. \
             When using the high-level KafkaConsumer, the global `enable.auto.commit` property \
             must be used instead]. If true, periodically commit offset of the last message \
             handed to the application. This committed offset will be used when the process \
             restarts to pick up where it left off. If false, the application will have to call \
             `rd_kafka_offset_store()` to store an offset (optional). Offsets will be written to \
             broker or local file according to offset.store.method.",
        ),
        t("enable.auto.commit", alias("auto.commit.enable")).consumer(),
        t("auto.commit.interval.ms", i(10, 86_400_000, 60_000)).consumer(),
        t(
            "auto.offset.reset",
            e(
                &[
                    ("smallest", -2),
                    ("earliest", -2),
                    ("beginning", -2),
                    ("largest", -1),
                    ("latest", -1),
                    ("end", -1),
                    ("error", -1001),
                ],
                -1,
            ),
        )
        .consumer(),
        t("offset.store.path", sd(".")).consumer().deprecated(
            "Path to local file for storing offsets. If the path is a directory a filename will \
             be automatically generated in that directory based on the topic and partition. \
             File-based offset storage will be removed in a future version.",
        ),
        t("offset.store.sync.interval.ms", i(-1, 86_400_000, -1)).consumer().deprecated(
            "fsync() interval for the offset file, in milliseconds. Use -1 to disable syncing, \
             and 0 for immediate sync after each write. File-based offset storage will be \
             removed in a future version.",
        ),
        t("offset.store.method", e(&[("file", 1), ("broker", 2)], 2)).consumer().deprecated(
            "Offset commit store method: 'file' - DEPRECATED: local file store \
             (offset.store.path, et.al), 'broker' - broker commit store (requires \"group.id\" \
             to be configured and Apache Kafka 0.8.2 or later on the broker.).",
        ),
        t("consume.callback.max.messages", i(0, 1_000_000, 0)).consumer(),
    ];

    /// A stored property value.
    #[derive(Debug, Clone, PartialEq)]
    enum Val {
        None,
        Str(Option<String>),
        Int(i32),
        Dbl(f64),
        Bool(bool),
        Flags(u32),
    }

    fn default_value(kind: Kind) -> Val {
        match kind {
            Kind::Str { default, .. } => Val::Str(default.map(str::to_owned)),
            Kind::Int { default, .. } | Kind::Enum { default, .. } => Val::Int(default),
            Kind::Dbl { default, .. } => Val::Dbl(default),
            Kind::Bool { default } => Val::Bool(default),
            Kind::Flags { default, .. } => Val::Flags(default),
            Kind::Patterns => Val::Str(None),
            Kind::Callback | Kind::Internal | Kind::Invalid { .. } | Kind::Alias { .. } => {
                Val::None
            }
        }
    }

    /// Why `rd_kafka_anyconf_set` failed.
    enum SetError {
        Unknown(String),
        Invalid(String),
    }

    /// A global configuration with its default topic configuration, as
    /// `rd_kafka_conf_t` holds them. `values` and `modified` have one slot
    /// per [`PROPS`] entry, and every index used with them comes from
    /// [`find`], [`resolve`] or an enumeration of [`PROPS`], so indexing
    /// cannot go out of bounds.
    struct Conf {
        values: Vec<Val>,
        modified: Vec<bool>,
        /// Whether the default topic configuration exists (it is created
        /// the first time a name falls through to the topic scope).
        topic_conf: bool,
    }

    fn find(topic: bool, name: &str) -> Option<usize> {
        PROPS
            .iter()
            .position(|p| p.topic == topic && p.name == name)
    }

    /// Follows aliases to the real property.
    fn resolve(topic: bool, name: &str) -> Option<usize> {
        let mut name = name;
        // The table has no alias of an alias; the bound only guards loops.
        for _ in 0..4 {
            let index = find(topic, name)?;
            match PROPS[index].kind {
                Kind::Alias { target } => name = target,
                _ => return Some(index),
            }
        }
        None
    }

    impl Conf {
        fn new() -> Self {
            Self {
                values: PROPS.iter().map(|p| default_value(p.kind)).collect(),
                modified: vec![false; PROPS.len()],
                topic_conf: false,
            }
        }

        /// `rd_kafka_conf_set()`: the global scope first, then the default
        /// topic configuration (without a `topic.` prefix).
        fn conf_set(&mut self, name: &str, value: &str) -> Result<(), SetError> {
            let value = if value.is_empty() { None } else { Some(value) };
            match self.anyconf_set(false, name, value) {
                Err(SetError::Unknown(_)) => {}
                other => return other,
            }
            self.topic_conf = true;
            let name = name.strip_prefix("topic.").unwrap_or(name);
            self.anyconf_set(true, name, value)
        }

        /// `rd_kafka_anyconf_set()`.
        fn anyconf_set(
            &mut self,
            topic: bool,
            name: &str,
            value: Option<&str>,
        ) -> Result<(), SetError> {
            if find(topic, name).is_none() {
                return Err(SetError::Unknown(format!(
                    "No such configuration property: \"{name}\""
                )));
            }
            match resolve(topic, name) {
                Some(index) => self.set_prop(index, value).map_err(SetError::Invalid),
                None => Err(SetError::Unknown(format!(
                    "No such configuration property: \"{name}\""
                ))),
            }
        }

        /// `rd_kafka_anyconf_set_prop()` (and `_prop0`'s bookkeeping).
        fn set_prop(&mut self, index: usize, value: Option<&str>) -> Result<(), String> {
            let prop = PROPS[index];
            let name = prop.name;
            if let Some(why) = prop.unsupported {
                return Err(format!(
                    "Configuration property \"{name}\" not supported in this build: {why}"
                ));
            }
            let new = match prop.kind {
                Kind::Str {
                    default,
                    validate,
                    trim,
                } => {
                    let value = value.map(|v| if trim { c_ltrim(v) } else { v });
                    let valid = match (validate, value) {
                        (Validate::None, _) => true,
                        (_, None) => false,
                        (Validate::Single, Some(v)) => !v.contains(',') && !v.contains(' '),
                        (Validate::Partitioner, Some(v)) => v.parse::<PartitionerKind>().is_ok(),
                    };
                    if !valid {
                        // glibc prints a NULL `%s` as `(null)`.
                        return Err(format!(
                            "Invalid value for configuration property \"{name}\": {}",
                            value.unwrap_or("(null)")
                        ));
                    }
                    Val::Str(value.or(default).map(str::to_owned))
                }
                Kind::Patterns => Val::Str(value.map(str::to_owned)),
                Kind::Callback => {
                    if prop.is_hidden() {
                        // A hidden test hook: accepted, nothing to simulate.
                        Val::None
                    } else {
                        return Err(format!(
                            "Property \"{name}\" must be set through dedicated .._set_..() function"
                        ));
                    }
                }
                Kind::Bool { .. } => {
                    let Some(v) = value else {
                        return Err(format!(
                            "Bool configuration property \"{name}\" cannot be set to empty value"
                        ));
                    };
                    if ["true", "t"].iter().any(|s| s.eq_ignore_ascii_case(v)) || v == "1" {
                        Val::Bool(true)
                    } else if ["false", "f"].iter().any(|s| s.eq_ignore_ascii_case(v)) || v == "0" {
                        Val::Bool(false)
                    } else {
                        return Err(format!("Expected bool value for \"{name}\": true or false"));
                    }
                }
                Kind::Int {
                    min, max, names, ..
                } => {
                    let Some(v) = value else {
                        return Err(format!(
                            "Integer configuration property \"{name}\" cannot be set to empty value"
                        ));
                    };
                    let n = match c_strtol(v) {
                        // C's `(int)` conversion keeps the low 32 bits.
                        Some(n) => n as i32,
                        None => match names.iter().find(|(s, _)| s.eq_ignore_ascii_case(v)) {
                            Some(&(_, n)) => n,
                            None => {
                                return Err(format!(
                                    "Invalid value for configuration property \"{name}\""
                                ))
                            }
                        },
                    };
                    if n < min || n > max {
                        return Err(format!(
                            "Configuration property \"{name}\" value {n} is outside allowed \
                             range {min}..{max}\n"
                        ));
                    }
                    Val::Int(n)
                }
                Kind::Dbl { min, max, .. } => {
                    let Some(v) = value else {
                        return Err(format!(
                            "Float configuration property \"{name}\" cannot be set to empty value"
                        ));
                    };
                    let Some(d) = c_strtod(v) else {
                        return Err(format!(
                            "Invalid value for configuration property \"{name}\""
                        ));
                    };
                    // C compares doubles, so NaN passes both bounds.
                    if d < min || d > max {
                        return Err(format!(
                            "Configuration property \"{name}\" value {} is outside allowed range \
                             {}..{}\n",
                            c_format_g(d),
                            c_format_g(min),
                            c_format_g(max)
                        ));
                    }
                    Val::Dbl(d)
                }
                Kind::Enum { values, .. } => {
                    return self.set_tokens(index, value, |tok| {
                        values
                            .iter()
                            .find(|(s, _)| s.eq_ignore_ascii_case(tok))
                            .map(|&(_, n)| n)
                    })
                }
                Kind::Flags { values, .. } => {
                    let all = (1u32 << values.len().min(31)) - 1;
                    return self.set_tokens(index, value, |tok| {
                        values
                            .iter()
                            .position(|s| s.eq_ignore_ascii_case(tok))
                            .map(|bit| {
                                if values[bit] == "all" {
                                    // Bit reinterpretation: the flag word is an int.
                                    all as i32
                                } else {
                                    1i32 << bit
                                }
                            })
                    });
                }
                Kind::Internal => {
                    return Err(format!("Internal property \"{name}\" not settable"));
                }
                Kind::Invalid { message } => return Err(message.to_owned()),
                Kind::Alias { .. } => return Ok(()),
            };
            self.values[index] = new;
            self.modified[index] = true;
            Ok(())
        }

        /// The `_RK_C_S2I`/`_RK_C_S2F` branch: only left-trimmed tokens
        /// (librdkafka's right trim starts at the terminator and never
        /// trims), empty tokens skipped, so an all-blank value changes
        /// nothing.
        fn set_tokens(
            &mut self,
            index: usize,
            value: Option<&str>,
            lookup: impl Fn(&str) -> Option<i32>,
        ) -> Result<(), String> {
            let prop = PROPS[index];
            let name = prop.name;
            let flags = matches!(prop.kind, Kind::Flags { .. });
            let Some(value) = value else {
                return Err(format!(
                    "Configuration property \"{name}\" cannot be set to empty value"
                ));
            };
            let mut rest = Some(value);
            while let Some(current) = rest.filter(|r| !r.is_empty()) {
                let (token, next) = match current.find(',') {
                    Some(at) if flags => (&current[..at], Some(&current[at + 1..])),
                    _ => (current, None),
                };
                rest = next;
                let token = c_ltrim(token);
                let (remove, token) = if flags {
                    match token.as_bytes().first() {
                        Some(b'+') => (false, &token[1..]),
                        Some(b'-') => (true, &token[1..]),
                        _ => (false, token),
                    }
                } else {
                    (false, token)
                };
                if token.is_empty() {
                    continue;
                }
                let Some(n) = lookup(token) else {
                    return Err(format!(
                        "Invalid value \"{token}\" for configuration property \"{name}\""
                    ));
                };
                self.modified[index] = true;
                if flags {
                    // Bit reinterpretation of the flag word.
                    let bits = n as u32;
                    let current = match self.values[index] {
                        Val::Flags(f) => f,
                        _ => 0,
                    };
                    self.values[index] = Val::Flags(if remove {
                        current & !bits
                    } else {
                        current | bits
                    });
                } else {
                    self.values[index] = Val::Int(n);
                    return Ok(());
                }
            }
            Ok(())
        }

        fn is_modified(&self, topic: bool, name: &str) -> bool {
            resolve(topic, name).is_some_and(|i| self.modified[i])
        }

        fn value(&self, topic: bool, name: &str) -> &Val {
            resolve(topic, name)
                .and_then(|i| self.values.get(i))
                .unwrap_or(&Val::None)
        }

        fn put(&mut self, topic: bool, name: &str, value: Val) {
            if let Some(slot) = resolve(topic, name).and_then(|i| self.values.get_mut(i)) {
                *slot = value;
            }
        }

        // Typed getters; a name or type the table lacks gives a neutral
        // value, and the defaults tests pin every one used.
        fn int(&self, topic: bool, name: &str) -> i32 {
            match self.value(topic, name) {
                Val::Int(n) => *n,
                _ => 0,
            }
        }

        fn dbl(&self, topic: bool, name: &str) -> f64 {
            match self.value(topic, name) {
                Val::Dbl(d) => *d,
                _ => 0.0,
            }
        }

        fn boolean(&self, topic: bool, name: &str) -> bool {
            matches!(self.value(topic, name), Val::Bool(true))
        }

        fn string(&self, topic: bool, name: &str) -> Option<&str> {
            match self.value(topic, name) {
                Val::Str(s) => s.as_deref(),
                _ => None,
            }
        }

        /// `rd_kafka_conf_finalize()` for a producer.
        fn finalize(&mut self) -> Result<(), String> {
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
            let refresh = self.int(false, "topic.metadata.refresh.interval.ms");
            if !self.is_modified(false, "metadata.max.age.ms") && refresh > 0 {
                self.put(
                    false,
                    "metadata.max.age.ms",
                    Val::Int(refresh.saturating_mul(3)),
                );
            }
            if self.int(false, "reconnect.backoff.max.ms") < self.int(false, "reconnect.backoff.ms")
            {
                return Err("`reconnect.backoff.max.ms` must be >= `reconnect.max.ms`".into());
            }
            if !self.is_modified(false, "topic.metadata.refresh.fast.interval.ms") {
                let backoff = self.int(false, "retry.backoff.ms");
                self.put(
                    false,
                    "topic.metadata.refresh.fast.interval.ms",
                    Val::Int(backoff),
                );
            }
            let azure = self
                .string(false, "metadata.broker.list")
                .is_some_and(|list| list.to_ascii_lowercase().contains("azure"));
            if !self.is_modified(false, "connections.max.idle.ms") && azure {
                self.put(
                    false,
                    "connections.max.idle.ms",
                    Val::Int((4 * 60 - 10) * 1000),
                );
            }
            if !self.is_modified(false, "allow.auto.create.topics") {
                self.put(false, "allow.auto.create.topics", Val::Bool(true));
            }
            if self.topic_conf {
                let timeout = self.int(true, "message.timeout.ms");
                if timeout != 0 && f64::from(timeout) <= self.dbl(false, "linger.ms") {
                    if self.is_modified(false, "linger.ms") {
                        return Err("`message.timeout.ms` must be greater than `linger.ms`".into());
                    }
                    self.put(false, "linger.ms", Val::Dbl(f64::from(timeout) - 0.1));
                }
                self.topic_finalize()?;
            } else {
                // Without a default topic configuration at rd_kafka_new()
                // time, each topic's configuration is finalized when it is
                // first used; its adjustments are what the producer runs
                // with (a failure there fails that topic, not the producer).
                let _ = self.topic_finalize();
            }
            Ok(())
        }

        /// `rd_kafka_topic_conf_finalize()` for a producer.
        fn topic_finalize(&mut self) -> Result<(), String> {
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

        /// `rd_kafka_conf_warn()` for a producer.
        fn warnings(&self, strict: bool) -> Vec<ConfigNotice> {
            let mut notices = Vec::new();
            let warn = |m: String| ConfigNotice::new(NoticeLevel::Warning, m);
            for topic in [false, true] {
                if topic && !self.topic_conf {
                    continue;
                }
                for (index, prop) in PROPS.iter().enumerate() {
                    if prop.topic != topic || !self.modified[index] {
                        continue;
                    }
                    let deprecated = prop.flags & DEPRECATED != 0;
                    let experimental = prop.flags & EXPERIMENTAL != 0;
                    let consumer = prop.role == Role::Consumer;
                    if deprecated || experimental {
                        // librdkafka puts " and " only when a property is
                        // all three (deprecated, experimental, consumer).
                        notices.push(warn(format!(
                            "Configuration property {} is {}{}{}: {}",
                            prop.name,
                            if deprecated { "deprecated" } else { "" },
                            if deprecated && experimental && consumer {
                                " and "
                            } else {
                                ""
                            },
                            if experimental { "experimental" } else { "" },
                            prop.desc
                        )));
                    }
                    if consumer {
                        notices.push(warn(format!(
                            "Configuration property {} is a consumer property and will be \
                             ignored by this producer instance",
                            prop.name
                        )));
                    }
                }
            }
            let backoff = self.int(false, "retry.backoff.ms");
            let backoff_max = self.int(false, "retry.backoff.max.ms");
            if backoff > backoff_max {
                notices.push(warn(format!(
                    "Configuration `retry.backoff.ms` with value {backoff} is greater than \
                     configuration `retry.backoff.max.ms` with value {backoff_max}. A static \
                     backoff with value `retry.backoff.max.ms` will be applied."
                )));
            }
            let fast = self.int(false, "topic.metadata.refresh.fast.interval.ms");
            if self.is_modified(false, "topic.metadata.refresh.fast.interval.ms")
                && fast > backoff_max
            {
                notices.push(warn(format!(
                    "Configuration `topic.metadata.refresh.fast.interval.ms` with value {fast} is \
                     greater than configuration `retry.backoff.max.ms` with value {backoff_max}. \
                     A static backoff with value `retry.backoff.max.ms` will be applied."
                )));
            }
            let mechanism = self.string(false, "sasl.mechanisms").unwrap_or("");
            let sasl_protocol = matches!(self.int(false, "security.protocol"), 2 | 3);
            if self.is_modified(false, "sasl.mechanisms") && !sasl_protocol {
                notices.push(warn(format!(
                    "Configuration property `sasl.mechanism` set to `{mechanism}` but \
                     `security.protocol` is not configured for SASL: recommend setting \
                     `security.protocol` to SASL_SSL or SASL_PLAINTEXT"
                )));
            }
            if self.is_modified(false, "sasl.username")
                && !(mechanism.starts_with("SCRAM") || mechanism == "PLAIN")
            {
                notices.push(warn(
                    "Configuration property `sasl.username` only applies when `sasl.mechanism` \
                     is set to PLAIN or SCRAM-SHA-.."
                        .to_owned(),
                ));
            }
            if strict && brokers(self.string(false, "metadata.broker.list")).is_empty() {
                notices.push(ConfigNotice::new(
                    NoticeLevel::Notice,
                    "No `bootstrap.servers` configured: client will not be able to connect to \
                     Kafka cluster",
                ));
            }
            notices
        }

        /// The value `rd_kafka_conf_get()` returns.
        fn display(&self, index: usize) -> String {
            let prop = PROPS[index];
            match (&self.values[index], prop.kind) {
                (Val::Str(s), _) => s.clone().unwrap_or_default(),
                (Val::Int(n), Kind::Enum { values, .. }) => values
                    .iter()
                    .find(|(_, v)| v == n)
                    .map(|(s, _)| (*s).to_owned())
                    .unwrap_or_default(),
                (Val::Int(n), _) => n.to_string(),
                (Val::Dbl(d), _) => c_format_g(*d),
                (Val::Bool(v), _) => v.to_string(),
                (Val::Flags(bits), Kind::Flags { values, .. }) => values
                    .iter()
                    .enumerate()
                    .filter(|(bit, name)| {
                        let mask = if **name == "all" {
                            (1u32 << values.len().min(31)) - 1
                        } else {
                            1u32 << bit
                        };
                        bits & mask == mask
                    })
                    .map(|(_, name)| *name)
                    .collect::<Vec<_>>()
                    .join(","),
                _ => String::new(),
            }
        }
    }

    fn clamp_i32(n: i64) -> i32 {
        i32::try_from(n.clamp(i64::from(i32::MIN), i64::from(i32::MAX))).unwrap_or(0)
    }

    /// `metadata.broker.list` split as `rd_kafka_brokers_add()` does, on
    /// commas and spaces.
    fn brokers(list: Option<&str>) -> Vec<String> {
        list.unwrap_or("")
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// `rd_kafka_conf_set()` for each pair in order, then `rd_kafka_new()`.
    pub(super) fn parse(
        pairs: &[(&str, &str)],
        strict: bool,
    ) -> Result<(ProducerConfig, Vec<ConfigNotice>), ProducerConfigError> {
        let mut conf = Conf::new();
        for &(name, value) in pairs {
            conf.conf_set(name, value).map_err(|e| match e {
                SetError::Unknown(m) => ProducerConfigError::LibrdkafkaUnknownProperty(m),
                SetError::Invalid(m) => ProducerConfigError::LibrdkafkaInvalidValue(m),
            })?;
        }
        conf.finalize()
            .map_err(ProducerConfigError::LibrdkafkaFinalize)?;
        let notices = conf.warnings(strict);
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
        let described = PROPS
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                !p.is_hidden()
                    && !matches!(
                        p.kind,
                        Kind::Callback | Kind::Internal | Kind::Invalid { .. } | Kind::Alias { .. }
                    )
            })
            .map(|(index, p)| DescribedConfig {
                name: p.name,
                value: conf.display(index),
                is_set: conf.modified[index],
                topic_level: p.topic,
                sensitive: p.flags & SENSITIVE != 0,
                aliases: PROPS
                    .iter()
                    .filter(|a| a.topic == p.topic && a.kind == Kind::Alias { target: p.name })
                    .map(|a| a.name)
                    .collect(),
            })
            .collect();
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

    // -----------------------------------------------------------------------
    // C library behaviour (glibc, "C" locale)
    // -----------------------------------------------------------------------

    /// `isspace()`.
    pub(super) fn c_isspace(c: char) -> bool {
        matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
    }

    /// Skips leading `isspace()` characters.
    pub(super) fn c_ltrim(s: &str) -> &str {
        s.trim_start_matches(c_isspace)
    }

    /// `strtol(s, &end, 0)`: `None` when no digits were converted, else the
    /// value of the longest valid prefix, saturated to `long` (64-bit).
    pub(super) fn c_strtol(s: &str) -> Option<i64> {
        let bytes = c_ltrim(s).as_bytes();
        let (negative, digits) = match bytes.first() {
            Some(b'-') => (true, &bytes[1..]),
            Some(b'+') => (false, &bytes[1..]),
            _ => (false, bytes),
        };
        let hex_prefix = digits.len() > 2
            && digits[0] == b'0'
            && (digits[1] | 0x20) == b'x'
            && digits[2].is_ascii_hexdigit();
        let (radix, digits) = if hex_prefix {
            (16, &digits[2..])
        } else if digits.first() == Some(&b'0') {
            (8, digits)
        } else {
            (10, digits)
        };
        let limit = i128::from(i64::MAX) + 1;
        let mut value: i128 = 0;
        let mut any = false;
        for &byte in digits {
            let Some(digit) = char::from(byte).to_digit(radix) else {
                break;
            };
            any = true;
            value = (value * i128::from(radix) + i128::from(digit)).min(limit);
        }
        if !any {
            return None;
        }
        let value = if negative { -value } else { value };
        let clamped = value.clamp(i128::from(i64::MIN), i128::from(i64::MAX));
        Some(i64::try_from(clamped).unwrap_or(0))
    }

    /// `strtod(s, &end)`: `None` when nothing was converted, else the value
    /// of the longest valid prefix (decimal, hexadecimal, `inf`,
    /// `infinity`, `nan`).
    pub(super) fn c_strtod(s: &str) -> Option<f64> {
        let s = c_ltrim(s);
        let (negative, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let lower = body.get(..3).map(str::to_ascii_lowercase);
        let magnitude = if lower.as_deref() == Some("inf") {
            f64::INFINITY
        } else if lower.as_deref() == Some("nan") {
            f64::NAN
        } else if body.len() > 2
            && body.as_bytes()[0] == b'0'
            && (body.as_bytes()[1] | 0x20) == b'x'
            && (body.as_bytes()[2].is_ascii_hexdigit()
                || (body.as_bytes()[2] == b'.'
                    && body.as_bytes().get(3).is_some_and(u8::is_ascii_hexdigit)))
        {
            parse_hex_float(&body[2..])
        } else {
            parse_decimal_prefix(body)?
        };
        Some(if negative { -magnitude } else { magnitude })
    }

    /// The longest `digits[.digits][e[sign]digits]` prefix, at least one
    /// digit in the mantissa.
    fn parse_decimal_prefix(body: &str) -> Option<f64> {
        let bytes = body.as_bytes();
        let mut end = 0;
        let mut mantissa_digits = 0;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
            mantissa_digits += 1;
        }
        if end < bytes.len() && bytes[end] == b'.' {
            end += 1;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
                mantissa_digits += 1;
            }
        }
        if mantissa_digits == 0 {
            return None;
        }
        let mantissa = &body[..end];
        let mut exponent = "0";
        if end < bytes.len() && (bytes[end] | 0x20) == b'e' {
            let mut e = end + 1;
            if e < bytes.len() && (bytes[e] == b'+' || bytes[e] == b'-') {
                e += 1;
            }
            let start = e;
            while e < bytes.len() && bytes[e].is_ascii_digit() {
                e += 1;
            }
            if e > start {
                exponent = &body[end + 1..e];
            }
        }
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let int_part = if int_part.is_empty() { "0" } else { int_part };
        let frac_part = if frac_part.is_empty() { "0" } else { frac_part };
        format!("{int_part}.{frac_part}e{exponent}").parse().ok()
    }

    /// The digits after `0x` of a hexadecimal float, with an optional
    /// binary exponent (`p`).
    fn parse_hex_float(body: &str) -> f64 {
        let bytes = body.as_bytes();
        let mut value = 0.0f64;
        let mut scale = 0i32;
        let mut at = 0;
        while at < bytes.len() && bytes[at].is_ascii_hexdigit() {
            value = value * 16.0 + f64::from(char::from(bytes[at]).to_digit(16).unwrap_or(0));
            at += 1;
        }
        if at < bytes.len() && bytes[at] == b'.' {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_hexdigit() {
                value = value * 16.0 + f64::from(char::from(bytes[at]).to_digit(16).unwrap_or(0));
                scale = scale.saturating_sub(4);
                at += 1;
            }
        }
        if at < bytes.len() && (bytes[at] | 0x20) == b'p' {
            let rest = &body[at + 1..];
            let (sign, digits) = match rest.as_bytes().first() {
                Some(b'-') => (-1, &rest[1..]),
                Some(b'+') => (1, &rest[1..]),
                _ => (1, rest),
            };
            let len = digits.bytes().take_while(u8::is_ascii_digit).count();
            if len > 0 {
                let exponent: i32 = digits[..len].parse().unwrap_or(i32::MAX);
                scale = scale.saturating_add(sign * exponent);
            }
        }
        value * 2f64.powi(scale)
    }

    /// `printf("%g", v)`: six significant digits, trailing zeros removed,
    /// exponent form (`1e+06`) below 1e-4 or from 1e6.
    pub(super) fn c_format_g(v: f64) -> String {
        if v.is_nan() {
            return if v.is_sign_negative() { "-nan" } else { "nan" }.to_owned();
        }
        if v.is_infinite() {
            return if v < 0.0 { "-inf" } else { "inf" }.to_owned();
        }
        if v == 0.0 {
            return if v.is_sign_negative() { "-0" } else { "0" }.to_owned();
        }
        let scientific = format!("{v:.5e}");
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let strip = |s: &str| -> String {
            if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_owned()
            } else {
                s.to_owned()
            }
        };
        if (-4..6).contains(&exponent) {
            let precision = usize::try_from(5 - exponent).unwrap_or(0);
            strip(&format!("{v:.precision$}"))
        } else {
            let sign = if exponent < 0 { '-' } else { '+' };
            format!("{}e{sign}{:02}", strip(mantissa), exponent.unsigned_abs())
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
        let names: std::collections::BTreeSet<&str> = JAVA_SPECS.iter().map(|s| s.name).collect();
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
