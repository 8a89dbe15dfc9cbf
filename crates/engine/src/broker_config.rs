//! A broker's own configuration as `kafka-configs --describe --entity-type
//! brokers --entity-name 1 --all` (DescribeConfigs on a `BROKER` resource)
//! shows it: the settings this engine models, each with Kafka 4's name,
//! default, type, source and whether it can be changed at run time.
//!
//! The list is the broker settings a learner meets in the engine — the
//! cluster's (`num.partitions`, `default.replication.factor`,
//! `auto.create.topics.enable`, …), the group coordinator's
//! (`group.initial.rebalance.delay.ms`, …), the request limits of the
//! native backend, and every broker-side synonym of a topic config
//! (`log.retention.ms` for `retention.ms`, `message.max.bytes` for
//! `max.message.bytes`, …), which is where a topic without an override
//! takes its value from. A real broker lists some 200 more (threads,
//! listeners, security) that mean nothing here; they are left out rather
//! than invented.
//!
//! Values are rendered as Kafka renders them: settings whose default is
//! `null` in Kafka (`log.retention.ms`, `log.roll.ms`, … — the `hours`
//! forms supply the value) are `None`. A setting is `STATIC_BROKER_CONFIG`
//! when this cluster was started with a value other than Kafka's default
//! (as if written in `server.properties`), otherwise `DEFAULT_CONFIG`.
//! Topic-config synonyms are dynamically updatable in Kafka (read-only
//! `false`); the others are read-only.

use crate::cluster::ClusterConfig;
use crate::events::BrokerId;
use crate::group::coordinator::CoordinatorConfig;
use crate::topic_config::{ConfigSource, ConfigType, CONFIG_SPECS};

/// Kafka's `socket.request.max.bytes` default.
pub const SOCKET_REQUEST_MAX_BYTES: i64 = 104_857_600;
/// Kafka's `fetch.max.bytes` (broker) default.
pub const FETCH_MAX_BYTES: i64 = 57_671_680;

/// One broker setting as DescribeConfigs reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerConfigEntry {
    /// Kafka's name for it.
    pub name: &'static str,
    /// The value, `None` where Kafka's default is `null`.
    pub value: Option<String>,
    /// Where the value comes from.
    pub source: ConfigSource,
    /// Whether it cannot be changed without a restart.
    pub read_only: bool,
    /// Its type.
    pub config_type: ConfigType,
}

/// Broker-side synonyms whose Kafka default is `null` (the value comes from
/// another setting, named in the comment).
const NULL_DEFAULTS: &[&str] = &[
    "log.flush.interval.ms", // log.flush.scheduler.interval.ms
    "log.retention.ms",      // log.retention.hours
    "log.roll.jitter.ms",    // log.roll.jitter.hours
    "log.roll.ms",           // log.roll.hours
];

/// A broker setting that cannot be applied, in Kafka's words
/// (`ConfigException`'s message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrokerConfigError {
    /// Not a setting this engine models (or not one Kafka has).
    #[error("{0} is not a broker setting the playground models (it takes: {list})", list = OVERRIDABLE.join(", "))]
    Unknown(String),
    /// The value does not parse or is out of range.
    #[error("Invalid value {value} for configuration {name}: {reason}")]
    InvalidValue {
        /// The setting.
        name: String,
        /// The value given.
        value: String,
        /// Why, as Kafka's validator says it.
        reason: String,
    },
}

/// The settings [`apply_override`] takes (as `server.properties` or
/// `kafka-server-start.sh --override name=value` would set them).
pub const OVERRIDABLE: &[&str] = &[
    "auto.create.topics.enable",
    "broker.session.timeout.ms",
    "default.replication.factor",
    "delete.topic.enable",
    "group.initial.rebalance.delay.ms",
    "group.max.session.timeout.ms",
    "group.max.size",
    "group.min.session.timeout.ms",
    "num.partitions",
    "replica.lag.time.max.ms",
];

/// Sets one broker setting for the whole cluster, checking the value as
/// Kafka's `ConfigDef` does (type, then the validator's range).
///
/// # Errors
///
/// [`BrokerConfigError`] for a setting not in [`OVERRIDABLE`] or a bad value.
pub fn apply_override(
    name: &str,
    value: &str,
    cluster: &mut ClusterConfig,
    groups: &mut CoordinatorConfig,
) -> Result<(), BrokerConfigError> {
    let invalid = |reason: &str| BrokerConfigError::InvalidValue {
        name: name.to_owned(),
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = value.trim();
    let int = |min: i64| -> Result<i64, BrokerConfigError> {
        let v: i32 = trimmed
            .parse()
            .map_err(|_| invalid("Not a number of type INT"))?;
        let v = i64::from(v);
        if v < min {
            return Err(invalid(&format!("Value must be at least {min}")));
        }
        Ok(v)
    };
    let long = |min: i64| -> Result<i64, BrokerConfigError> {
        let v: i64 = trimmed
            .parse()
            .map_err(|_| invalid("Not a number of type LONG"))?;
        if v < min {
            return Err(invalid(&format!("Value must be at least {min}")));
        }
        Ok(v)
    };
    let boolean = || -> Result<bool, BrokerConfigError> {
        match trimmed.to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(invalid("Expected value to be either true or false")),
        }
    };
    // The validators' bounds are Kafka's (`atLeast(n)`); ranges are
    // checked against i32, so the narrowing conversions below cannot fail.
    let narrow = |v: i64| i32::try_from(v).map_err(|_| invalid("Not a number of type INT"));
    match name {
        "num.partitions" => cluster.num_partitions = narrow(int(1)?)?,
        "default.replication.factor" => {
            cluster.default_replication_factor =
                i16::try_from(int(1)?).map_err(|_| invalid("Not a number of type SHORT"))?;
        }
        "auto.create.topics.enable" => cluster.auto_create_topics_enable = boolean()?,
        "delete.topic.enable" => cluster.delete_topic_enable = boolean()?,
        "replica.lag.time.max.ms" => cluster.replica_lag_time_max_ms = long(0)?,
        "broker.session.timeout.ms" => cluster.broker_session_timeout_ms = int(0)?,
        "group.initial.rebalance.delay.ms" => groups.group_initial_rebalance_delay_ms = int(0)?,
        "group.min.session.timeout.ms" => groups.group_min_session_timeout_ms = int(0)?,
        "group.max.session.timeout.ms" => groups.group_max_session_timeout_ms = int(0)?,
        "group.max.size" => {
            groups.group_max_size =
                usize::try_from(int(1)?).map_err(|_| invalid("Value must be at least 1"))?
        }
        other => return Err(BrokerConfigError::Unknown(other.to_owned())),
    }
    Ok(())
}

/// Every modelled setting of broker `broker`, sorted by name.
#[must_use]
pub fn describe_broker(
    broker: BrokerId,
    cluster: &ClusterConfig,
    groups: &CoordinatorConfig,
) -> Vec<BrokerConfigEntry> {
    let mut entries = Vec::new();
    let mut own = |name: &'static str,
                   config_type: ConfigType,
                   value: Option<String>,
                   kafka_default: Option<&str>| {
        let source = if value.as_deref() == kafka_default {
            ConfigSource::DefaultConfig
        } else {
            ConfigSource::StaticBrokerConfig
        };
        entries.push(BrokerConfigEntry {
            name,
            value,
            source,
            read_only: true,
            config_type,
        });
    };
    let text = |v: i64| Some(v.to_string());
    // Set in every broker's server.properties.
    own("broker.id", ConfigType::Int, text(i64::from(broker)), None);
    own("node.id", ConfigType::Int, text(i64::from(broker)), None);
    own(
        "num.partitions",
        ConfigType::Int,
        text(i64::from(cluster.num_partitions)),
        Some("1"),
    );
    own(
        "default.replication.factor",
        ConfigType::Int,
        text(i64::from(cluster.default_replication_factor)),
        Some("1"),
    );
    own(
        "auto.create.topics.enable",
        ConfigType::Boolean,
        Some(cluster.auto_create_topics_enable.to_string()),
        Some("true"),
    );
    own(
        "delete.topic.enable",
        ConfigType::Boolean,
        Some(cluster.delete_topic_enable.to_string()),
        Some("true"),
    );
    own(
        "replica.lag.time.max.ms",
        ConfigType::Long,
        text(cluster.replica_lag_time_max_ms),
        Some("30000"),
    );
    own(
        "broker.session.timeout.ms",
        ConfigType::Int,
        text(cluster.broker_session_timeout_ms),
        Some("9000"),
    );
    own(
        "group.initial.rebalance.delay.ms",
        ConfigType::Int,
        text(groups.group_initial_rebalance_delay_ms),
        Some("3000"),
    );
    own(
        "group.min.session.timeout.ms",
        ConfigType::Int,
        text(groups.group_min_session_timeout_ms),
        Some("6000"),
    );
    own(
        "group.max.session.timeout.ms",
        ConfigType::Int,
        text(groups.group_max_session_timeout_ms),
        Some("1800000"),
    );
    // Kafka's default is Integer.MAX_VALUE; the engine's "no limit" is usize::MAX.
    let max_size = i64::try_from(groups.group_max_size)
        .unwrap_or(i64::MAX)
        .min(i64::from(i32::MAX));
    own(
        "group.max.size",
        ConfigType::Int,
        text(max_size),
        Some("2147483647"),
    );
    own(
        "offsets.topic.num.partitions",
        ConfigType::Int,
        text(i64::from(crate::consumer_offsets::DEFAULT_PARTITIONS)),
        Some("50"),
    );
    own(
        "offsets.topic.replication.factor",
        ConfigType::Short,
        text(3),
        Some("3"),
    );
    own(
        "socket.request.max.bytes",
        ConfigType::Int,
        text(SOCKET_REQUEST_MAX_BYTES),
        Some("104857600"),
    );
    own(
        "fetch.max.bytes",
        ConfigType::Int,
        text(FETCH_MAX_BYTES),
        Some("57671680"),
    );
    own(
        "log.retention.hours",
        ConfigType::Int,
        text(168),
        Some("168"),
    );
    own("log.retention.minutes", ConfigType::Int, None, None);
    own("log.roll.hours", ConfigType::Int, text(168), Some("168"));
    own("log.roll.jitter.hours", ConfigType::Int, text(0), Some("0"));
    for spec in CONFIG_SPECS {
        let Some(name) = spec.server_default_property else {
            continue;
        };
        let value = if NULL_DEFAULTS.contains(&name) {
            None
        } else {
            spec.default.map(str::to_owned)
        };
        entries.push(BrokerConfigEntry {
            name,
            value,
            source: ConfigSource::DefaultConfig,
            read_only: false,
            config_type: spec.config_type,
        });
    }
    crate::compact_sort::sort_by(&mut entries, |a, b| a.name.cmp(b.name));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(entries: &'a [BrokerConfigEntry], name: &str) -> &'a BrokerConfigEntry {
        entries
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("{name} is listed"))
    }

    #[test]
    fn defaults_read_as_kafka_4_renders_them() {
        let entries = describe_broker(2, &ClusterConfig::default(), &CoordinatorConfig::default());
        let broker_id = entry(&entries, "broker.id");
        assert_eq!(broker_id.value.as_deref(), Some("2"));
        assert_eq!(broker_id.source, ConfigSource::StaticBrokerConfig);
        assert!(broker_id.read_only);
        let max = entry(&entries, "message.max.bytes");
        assert_eq!(
            (max.value.as_deref(), max.source, max.read_only),
            (Some("1048588"), ConfigSource::DefaultConfig, false)
        );
        assert_eq!(entry(&entries, "log.retention.ms").value, None);
        assert_eq!(
            entry(&entries, "log.retention.hours").value.as_deref(),
            Some("168")
        );
        assert_eq!(
            entry(&entries, "log.cleanup.policy").value.as_deref(),
            Some("delete")
        );
        assert_eq!(
            entry(&entries, "group.max.size").value.as_deref(),
            Some("2147483647")
        );
        assert_eq!(
            entry(&entries, "num.partitions").source,
            ConfigSource::DefaultConfig
        );
        // Sorted, each once.
        assert!(entries.windows(2).all(|w| w[0].name < w[1].name));
        // Every topic config with a broker synonym is there.
        let synonyms = CONFIG_SPECS
            .iter()
            .filter(|s| s.server_default_property.is_some())
            .count();
        assert_eq!(entries.iter().filter(|e| !e.read_only).count(), synonyms);
    }

    #[test]
    fn overrides_are_checked_as_kafka_checks_them() {
        let (mut cluster, mut groups) = (ClusterConfig::default(), CoordinatorConfig::default());
        apply_override("num.partitions", " 3", &mut cluster, &mut groups).expect("valid");
        apply_override(
            "auto.create.topics.enable",
            "FALSE",
            &mut cluster,
            &mut groups,
        )
        .expect("valid");
        apply_override(
            "group.initial.rebalance.delay.ms",
            "0",
            &mut cluster,
            &mut groups,
        )
        .expect("valid");
        assert_eq!(
            (cluster.num_partitions, cluster.auto_create_topics_enable),
            (3, false)
        );
        assert_eq!(groups.group_initial_rebalance_delay_ms, 0);
        let message = |name: &str, value: &str| {
            apply_override(
                name,
                value,
                &mut ClusterConfig::default(),
                &mut CoordinatorConfig::default(),
            )
            .expect_err("refused")
            .to_string()
        };
        assert_eq!(
            message("num.partitions", "abc"),
            "Invalid value abc for configuration num.partitions: Not a number of type INT"
        );
        assert_eq!(
            message("num.partitions", "0"),
            "Invalid value 0 for configuration num.partitions: Value must be at least 1"
        );
        assert_eq!(
            message("num.partitions", "3000000000"),
            "Invalid value 3000000000 for configuration num.partitions: Not a number of type INT"
        );
        assert_eq!(
            message("delete.topic.enable", "yes"),
            "Invalid value yes for configuration delete.topic.enable: Expected value to be either true or false"
        );
        assert!(message("log.dirs", "/tmp")
            .starts_with("log.dirs is not a broker setting the playground models"));
        let entries = describe_broker(1, &cluster, &groups);
        assert_eq!(
            entry(&entries, "num.partitions").source,
            ConfigSource::StaticBrokerConfig
        );
    }

    #[test]
    fn settings_other_than_kafkas_defaults_are_static_broker_config() {
        let cluster = ClusterConfig {
            num_partitions: 6,
            auto_create_topics_enable: false,
            ..ClusterConfig::default()
        };
        let groups = CoordinatorConfig {
            group_initial_rebalance_delay_ms: 0,
            ..CoordinatorConfig::default()
        };
        let entries = describe_broker(1, &cluster, &groups);
        for (name, value) in [
            ("num.partitions", "6"),
            ("auto.create.topics.enable", "false"),
            ("group.initial.rebalance.delay.ms", "0"),
        ] {
            let e = entry(&entries, name);
            assert_eq!(
                (e.value.as_deref(), e.source),
                (Some(value), ConfigSource::StaticBrokerConfig),
                "{name}"
            );
        }
        assert_eq!(
            entry(&entries, "delete.topic.enable").source,
            ConfigSource::DefaultConfig
        );
    }
}
