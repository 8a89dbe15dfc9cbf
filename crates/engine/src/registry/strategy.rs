//! Subject name strategies: which subject a serializer registers a key's or
//! a value's schema under (`key.subject.name.strategy`,
//! `value.subject.name.strategy`), as Confluent's
//! `io.confluent.kafka.serializers.subject` classes decide.

use std::fmt;
use std::str::FromStr;

use apache_avro::Schema;
use thiserror::Error;

/// A subject name strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SubjectNameStrategy {
    /// `TopicNameStrategy` (the default): `<topic>-key` / `<topic>-value`.
    #[default]
    TopicName,
    /// `RecordNameStrategy`: the record's full name, whatever the topic.
    RecordName,
    /// `TopicRecordNameStrategy`: `<topic>-<record full name>`.
    TopicRecordName,
}

/// Why a strategy could not name a subject.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StrategyError {
    /// A config value that names none of the strategies.
    #[error(
        "Invalid value {0} for configuration subject.name.strategy: Class {0} could not be found."
    )]
    UnknownStrategy(String),
    /// A record-name strategy given a schema that is not a record
    /// (Confluent's `SerializationException` text).
    #[error(
        "In configuration {config} = {class}, the message {part} must only be a record schema"
    )]
    NotARecord {
        /// `key.subject.name.strategy` or `value.subject.name.strategy`.
        config: &'static str,
        /// The strategy's class name.
        class: &'static str,
        /// `key` or `value`.
        part: &'static str,
    },
}

impl SubjectNameStrategy {
    /// The three strategies.
    pub const ALL: [Self; 3] = [Self::TopicName, Self::RecordName, Self::TopicRecordName];

    /// The class name a config gives.
    #[must_use]
    pub const fn class_name(self) -> &'static str {
        match self {
            Self::TopicName => "io.confluent.kafka.serializers.subject.TopicNameStrategy",
            Self::RecordName => "io.confluent.kafka.serializers.subject.RecordNameStrategy",
            Self::TopicRecordName => {
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"
            }
        }
    }

    /// The subject for `topic`'s key (`is_key`) or value with `schema`.
    pub fn subject_name(
        self,
        topic: &str,
        is_key: bool,
        schema: &Schema,
    ) -> Result<String, StrategyError> {
        let part = if is_key { "key" } else { "value" };
        match self {
            Self::TopicName => Ok(format!("{topic}-{part}")),
            Self::RecordName | Self::TopicRecordName => {
                let Schema::Record(record) = schema else {
                    return Err(StrategyError::NotARecord {
                        config: if is_key {
                            "key.subject.name.strategy"
                        } else {
                            "value.subject.name.strategy"
                        },
                        class: self.class_name(),
                        part,
                    });
                };
                let name = record.name.fullname(None);
                Ok(if self == Self::RecordName {
                    name
                } else {
                    format!("{topic}-{name}")
                })
            }
        }
    }
}

impl fmt::Display for SubjectNameStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

impl FromStr for SubjectNameStrategy {
    type Err = StrategyError;

    /// The full class name, or the simple one (`TopicNameStrategy`) as
    /// confluent-kafka-python's helpers are named.
    fn from_str(s: &str) -> Result<Self, StrategyError> {
        let simple = s.rsplit('.').next().unwrap_or(s);
        Self::ALL
            .into_iter()
            .find(|strategy| {
                strategy.class_name() == s
                    || (s == simple && strategy.class_name().ends_with(&format!(".{simple}")))
            })
            .ok_or_else(|| StrategyError::UnknownStrategy(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies_name_subjects_as_confluent_does() {
        let record = Schema::parse_str(
            r#"{"type":"record","name":"Order","namespace":"com.shop","fields":[]}"#,
        )
        .unwrap();
        let string = Schema::parse_str(r#""string""#).unwrap();
        let topic = SubjectNameStrategy::TopicName;
        assert_eq!(
            topic.subject_name("orders", false, &record).unwrap(),
            "orders-value"
        );
        assert_eq!(
            topic.subject_name("orders", true, &string).unwrap(),
            "orders-key"
        );
        assert_eq!(
            SubjectNameStrategy::RecordName
                .subject_name("orders", false, &record)
                .unwrap(),
            "com.shop.Order"
        );
        assert_eq!(
            SubjectNameStrategy::TopicRecordName
                .subject_name("orders", true, &record)
                .unwrap(),
            "orders-com.shop.Order"
        );
        assert_eq!(
            SubjectNameStrategy::RecordName.subject_name("orders", true, &string).unwrap_err().to_string(),
            "In configuration key.subject.name.strategy = io.confluent.kafka.serializers.subject.RecordNameStrategy, the message key must only be a record schema"
        );
    }

    #[test]
    fn strategies_parse_from_class_names() {
        for strategy in SubjectNameStrategy::ALL {
            assert_eq!(
                strategy
                    .class_name()
                    .parse::<SubjectNameStrategy>()
                    .unwrap(),
                strategy
            );
        }
        assert_eq!(
            "TopicRecordNameStrategy"
                .parse::<SubjectNameStrategy>()
                .unwrap(),
            SubjectNameStrategy::TopicRecordName
        );
        assert!("com.example.TopicNameStrategy"
            .parse::<SubjectNameStrategy>()
            .is_err());
        assert!("Nope".parse::<SubjectNameStrategy>().is_err());
        assert_eq!(
            SubjectNameStrategy::default(),
            SubjectNameStrategy::TopicName
        );
    }
}
