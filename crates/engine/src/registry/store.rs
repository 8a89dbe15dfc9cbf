//! The records of the `_schemas` topic, byte for byte as Confluent's
//! `KafkaStore` writes them: JSON keys (`SchemaKey`, `ConfigKey`, `ModeKey`,
//! `DeleteSubjectKey`, `ClearSubjectKey`, `NoopKey`) and JSON values
//! (`SchemaValue`, `ConfigValue`, `ModeValue`, `DeleteSubjectValue`,
//! `ClearSubjectValue`), members in Jackson's order, empty ones left out.
//! A tombstone (no value) removes a key, as after a permanent delete.

use std::fmt;
use std::str::FromStr;

use super::json::{self, array, Json, ObjectWriter};
use crate::avro::compatibility::CompatibilityLevel;

/// The registry's topic (`kafkastore.topic`).
pub const TOPIC: &str = "_schemas";
/// `kafkastore.topic.replication.factor`'s default (capped at the number
/// of brokers).
pub const DEFAULT_REPLICATION_FACTOR: i16 = 3;
/// The schema type a request without `schemaType` has.
pub const AVRO: &str = "AVRO";

/// A named type a schema takes from another subject's version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemaReference {
    /// The full name the schema uses for it (`com.acme.Address`).
    pub name: String,
    /// The subject the referenced schema is registered under.
    pub subject: String,
    /// Its version there.
    pub version: i32,
}

impl SchemaReference {
    /// `{"name":…,"subject":…,"version":…}`.
    #[must_use]
    pub fn to_json(&self) -> String {
        ObjectWriter::new()
            .string("name", &self.name)
            .string("subject", &self.subject)
            .number("version", i64::from(self.version))
            .finish()
    }

    /// A JSON array of references.
    #[must_use]
    pub fn list_json(references: &[SchemaReference]) -> String {
        array(references.iter().map(SchemaReference::to_json))
    }

    fn from_json(value: &Json) -> Option<Self> {
        Some(Self {
            name: value.get("name")?.as_str()?.to_owned(),
            subject: value.get("subject")?.as_str()?.to_owned(),
            version: value.get("version")?.as_i32()?,
        })
    }
}

/// One version of a subject: `SchemaValue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaValue {
    /// The subject.
    pub subject: String,
    /// The version under the subject (from 1).
    pub version: i32,
    /// The global schema id.
    pub id: i32,
    /// `AVRO`, `JSON` or `PROTOBUF` (only `AVRO` is registered here).
    pub schema_type: String,
    /// The schema's references.
    pub references: Vec<SchemaReference>,
    /// The schema text as the registry stores it (Java's `toString()`).
    pub schema: String,
    /// Soft-deleted.
    pub deleted: bool,
}

impl SchemaValue {
    /// The value's JSON (`schemaType` only when not AVRO, `references` only
    /// when there are some).
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut w = ObjectWriter::new()
            .string("subject", &self.subject)
            .number("version", i64::from(self.version))
            .number("id", i64::from(self.id));
        if self.schema_type != AVRO {
            w = w.string("schemaType", &self.schema_type);
        }
        if !self.references.is_empty() {
            w = w.raw("references", &SchemaReference::list_json(&self.references));
        }
        w.string("schema", &self.schema)
            .boolean("deleted", self.deleted)
            .finish()
    }
}

/// A registry mode (`io.confluent.kafka.schemaregistry.storage.Mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Registrations and deletes allowed (the default).
    ReadWrite,
    /// No registration, delete or config change.
    ReadOnly,
    /// `READONLY_OVERRIDE`: read-only, and set globally it overrides every
    /// subject's own mode.
    ReadOnlyOverride,
    /// Registrations must carry their id (and may carry their version), as
    /// when copying schemas from another registry; no compatibility check.
    Import,
}

impl Mode {
    /// Confluent's name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ReadWrite => "READWRITE",
            Self::ReadOnly => "READONLY",
            Self::ReadOnlyOverride => "READONLY_OVERRIDE",
            Self::Import => "IMPORT",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = ();

    /// `Mode.valueOf` after upper-casing, as `ModeResource` does.
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.to_uppercase().as_str() {
            "READWRITE" => Ok(Self::ReadWrite),
            "READONLY" => Ok(Self::ReadOnly),
            "READONLY_OVERRIDE" => Ok(Self::ReadOnlyOverride),
            "IMPORT" => Ok(Self::Import),
            _ => Err(()),
        }
    }
}

/// A `_schemas` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreKey {
    /// `SCHEMA` (magic 1): one version of a subject.
    Schema {
        /// The subject.
        subject: String,
        /// The version.
        version: i32,
    },
    /// `CONFIG`: the compatibility level, global when `subject` is `None`.
    Config {
        /// The subject.
        subject: Option<String>,
    },
    /// `MODE`: the mode, global when `subject` is `None`.
    Mode {
        /// The subject.
        subject: Option<String>,
    },
    /// `DELETE_SUBJECT`: a soft delete of a whole subject.
    DeleteSubject {
        /// The subject.
        subject: String,
    },
    /// `CLEAR_SUBJECT`: forget a subject's deleted versions (before IMPORT).
    ClearSubject {
        /// The subject.
        subject: Option<String>,
    },
    /// `NOOP`: written to learn the log's end (a new leader catching up).
    Noop,
}

impl StoreKey {
    /// The key's JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        let typed = |kind: &str| ObjectWriter::new().string("keytype", kind);
        match self {
            Self::Schema { subject, version } => typed("SCHEMA")
                .string("subject", subject)
                .number("version", i64::from(*version))
                .number("magic", 1)
                .finish(),
            Self::Config { subject } => typed("CONFIG")
                .string_or_null("subject", subject.as_deref())
                .number("magic", 0)
                .finish(),
            Self::Mode { subject } => typed("MODE")
                .string_or_null("subject", subject.as_deref())
                .number("magic", 0)
                .finish(),
            Self::DeleteSubject { subject } => typed("DELETE_SUBJECT")
                .string("subject", subject)
                .number("magic", 0)
                .finish(),
            Self::ClearSubject { subject } => typed("CLEAR_SUBJECT")
                .string_or_null("subject", subject.as_deref())
                .number("magic", 0)
                .finish(),
            Self::Noop => typed("NOOP").number("magic", 0).finish(),
        }
    }

    /// Reads a key; `None` for bytes that are no registry key (Confluent
    /// logs and skips those).
    #[must_use]
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let value = json::parse(std::str::from_utf8(bytes).ok()?).ok()?;
        let subject = || {
            value
                .get("subject")
                .and_then(Json::as_str)
                .map(str::to_owned)
        };
        Some(match value.get("keytype")?.as_str()? {
            "SCHEMA" => Self::Schema {
                subject: subject()?,
                version: value.get("version")?.as_i32()?,
            },
            "CONFIG" => Self::Config { subject: subject() },
            "MODE" => Self::Mode { subject: subject() },
            "DELETE_SUBJECT" => Self::DeleteSubject {
                subject: subject()?,
            },
            "CLEAR_SUBJECT" => Self::ClearSubject { subject: subject() },
            "NOOP" => Self::Noop,
            _ => return None,
        })
    }
}

/// A `_schemas` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreValue {
    /// `SchemaValue`.
    Schema(SchemaValue),
    /// `ConfigValue`: `{"compatibilityLevel":"FULL"}`.
    Config(CompatibilityLevel),
    /// `ModeValue`: `{"mode":"IMPORT"}`.
    Mode(Mode),
    /// `DeleteSubjectValue`: every version up to `version` is deleted.
    DeleteSubject {
        /// The subject.
        subject: String,
        /// The highest version deleted.
        version: i32,
    },
    /// `ClearSubjectValue`.
    ClearSubject {
        /// The subject.
        subject: Option<String>,
    },
}

impl StoreValue {
    /// The value's JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        match self {
            Self::Schema(value) => value.to_json(),
            Self::Config(level) => ObjectWriter::new()
                .string("compatibilityLevel", level.as_str())
                .finish(),
            Self::Mode(mode) => ObjectWriter::new().string("mode", mode.as_str()).finish(),
            Self::DeleteSubject { subject, version } => ObjectWriter::new()
                .string("subject", subject)
                .number("version", i64::from(*version))
                .finish(),
            Self::ClearSubject { subject } => match subject {
                Some(s) => ObjectWriter::new().string("subject", s).finish(),
                None => "{}".to_owned(),
            },
        }
    }

    /// Reads the value stored under `key`; `None` when it is not one.
    #[must_use]
    pub fn from_bytes(key: &StoreKey, bytes: &[u8]) -> Option<Self> {
        let value = json::parse(std::str::from_utf8(bytes).ok()?).ok()?;
        let text = |name: &str| value.get(name).and_then(Json::as_str).map(str::to_owned);
        Some(match key {
            StoreKey::Schema { .. } => {
                let references = match value.get("references") {
                    Some(Json::Array(items)) => items
                        .iter()
                        .map(SchemaReference::from_json)
                        .collect::<Option<Vec<_>>>()?,
                    _ => Vec::new(),
                };
                Self::Schema(SchemaValue {
                    subject: text("subject")?,
                    version: value.get("version")?.as_i32()?,
                    id: value.get("id")?.as_i32()?,
                    schema_type: text("schemaType").unwrap_or_else(|| AVRO.to_owned()),
                    references,
                    schema: text("schema")?,
                    deleted: matches!(value.get("deleted"), Some(Json::Bool(true))),
                })
            }
            StoreKey::Config { .. } => Self::Config(text("compatibilityLevel")?.parse().ok()?),
            StoreKey::Mode { .. } => Self::Mode(text("mode")?.parse().ok()?),
            StoreKey::DeleteSubject { .. } => Self::DeleteSubject {
                subject: text("subject")?,
                version: value.get("version")?.as_i32()?,
            },
            StoreKey::ClearSubject { .. } => Self::ClearSubject {
                subject: text("subject"),
            },
            StoreKey::Noop => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_confluents_json() {
        let schema = StoreKey::Schema {
            subject: "Kafka-key".into(),
            version: 1,
        };
        assert_eq!(
            schema.to_json(),
            r#"{"keytype":"SCHEMA","subject":"Kafka-key","version":1,"magic":1}"#
        );
        assert_eq!(
            StoreKey::Config { subject: None }.to_json(),
            r#"{"keytype":"CONFIG","subject":null,"magic":0}"#
        );
        assert_eq!(
            StoreKey::Config {
                subject: Some("t".into())
            }
            .to_json(),
            r#"{"keytype":"CONFIG","subject":"t","magic":0}"#
        );
        assert_eq!(
            StoreKey::Mode {
                subject: Some("t".into())
            }
            .to_json(),
            r#"{"keytype":"MODE","subject":"t","magic":0}"#
        );
        assert_eq!(
            StoreKey::DeleteSubject {
                subject: "t".into()
            }
            .to_json(),
            r#"{"keytype":"DELETE_SUBJECT","subject":"t","magic":0}"#
        );
        assert_eq!(
            StoreKey::ClearSubject {
                subject: Some("t".into())
            }
            .to_json(),
            r#"{"keytype":"CLEAR_SUBJECT","subject":"t","magic":0}"#
        );
        assert_eq!(StoreKey::Noop.to_json(), r#"{"keytype":"NOOP","magic":0}"#);
        for key in [
            schema,
            StoreKey::Config { subject: None },
            StoreKey::Noop,
            StoreKey::Mode { subject: None },
        ] {
            assert_eq!(StoreKey::from_bytes(key.to_json().as_bytes()), Some(key));
        }
        // Karapace's older member order reads the same.
        assert_eq!(
            StoreKey::from_bytes(br#"{"subject":"test","version":1,"magic":1,"keytype":"SCHEMA"}"#),
            Some(StoreKey::Schema {
                subject: "test".into(),
                version: 1
            })
        );
        assert_eq!(StoreKey::from_bytes(b"not json"), None);
    }

    #[test]
    fn values_are_confluents_json() {
        let mut value = SchemaValue {
            subject: "Kafka-key".into(),
            version: 1,
            id: 1,
            schema_type: AVRO.into(),
            references: vec![],
            schema: "\"string\"".into(),
            deleted: false,
        };
        assert_eq!(
            value.to_json(),
            r#"{"subject":"Kafka-key","version":1,"id":1,"schema":"\"string\"","deleted":false}"#
        );
        value.references.push(SchemaReference {
            name: "a.B".into(),
            subject: "b".into(),
            version: 2,
        });
        value.deleted = true;
        assert_eq!(
            value.to_json(),
            r#"{"subject":"Kafka-key","version":1,"id":1,"references":[{"name":"a.B","subject":"b","version":2}],"schema":"\"string\"","deleted":true}"#
        );
        let key = StoreKey::Schema {
            subject: "Kafka-key".into(),
            version: 1,
        };
        assert_eq!(
            StoreValue::from_bytes(&key, value.to_json().as_bytes()),
            Some(StoreValue::Schema(value))
        );
        let config = StoreValue::Config(CompatibilityLevel::Full);
        assert_eq!(config.to_json(), r#"{"compatibilityLevel":"FULL"}"#);
        assert_eq!(
            StoreValue::Mode(Mode::Import).to_json(),
            r#"{"mode":"IMPORT"}"#
        );
        let delete = StoreValue::DeleteSubject {
            subject: "t".into(),
            version: 3,
        };
        assert_eq!(delete.to_json(), r#"{"subject":"t","version":3}"#);
        assert_eq!(
            StoreValue::from_bytes(
                &StoreKey::DeleteSubject {
                    subject: "t".into()
                },
                delete.to_json().as_bytes()
            ),
            Some(delete)
        );
    }
}
