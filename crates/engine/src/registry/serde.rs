//! Confluent's Avro serializer and deserializer — the course notes'
//! `AvroProducer` / `AvroConsumer` — on the engine's registry and codec:
//! Java's `KafkaAvroSerializer` / `KafkaAvroDeserializer` and
//! confluent-kafka-python's `AvroSerializer` / `AvroDeserializer`.
//!
//! Serializing a record picks its subject with the subject name strategy
//! (`<topic>-value` by default), finds the schema id — registering the
//! schema when `auto.register.schemas` is on (the default; the subject's
//! compatibility level may refuse it), else the subject's latest version
//! with `use.latest.version`, else the id the schema already has under the
//! subject — and writes the Confluent wire format: magic byte 0, the id as
//! 4 big-endian bytes, the Avro binary payload. Deserializing reads the id,
//! fetches that writer schema from the registry (cached per id, as the
//! clients cache it) and decodes through schema resolution into the
//! reader's schema when the consumer has one, so an old consumer reads new
//! data. Errors carry the words the Java or Python client would print.

use crate::collections::OrdMap;

use apache_avro::Schema;
use thiserror::Error;

use super::{RegisterSchemaRequest, RegistryError, SchemaRegistry, SubjectNameStrategy, VersionId};
use crate::avro::codec::{Codec, DecodeError, SchemaError};
use crate::avro::json::{JsonError, Mode};
use crate::avro::wire::{self, WireFormatError};
use crate::cluster::Cluster;
use crate::producer_config::ClientFlavour;

/// The serializer's settings, with Confluent's names and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvroSerdeConfig {
    /// `auto.register.schemas` (default `true`).
    pub auto_register_schemas: bool,
    /// `use.latest.version` (default `false`): serialize with the subject's
    /// latest schema instead of registering or looking up our own.
    pub use_latest_version: bool,
    /// `key.subject.name.strategy` / `value.subject.name.strategy`.
    pub subject_name_strategy: SubjectNameStrategy,
    /// Whose words errors use.
    pub flavour: ClientFlavour,
}

impl Default for AvroSerdeConfig {
    fn default() -> Self {
        Self {
            auto_register_schemas: true,
            use_latest_version: false,
            subject_name_strategy: SubjectNameStrategy::TopicName,
            flavour: ClientFlavour::Java,
        }
    }
}

/// What went wrong, with the client's own wording in `Display`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SerdeError {
    /// The schema text is not a valid Avro schema.
    #[error("{}", client_text(*.flavour, "Invalid Avro schema", .message, None))]
    InvalidSchema {
        /// Whose words.
        flavour: ClientFlavour,
        /// The parser's message.
        message: String,
    },
    /// The registry refused the schema (incompatible, read-only mode...)
    /// or does not know it.
    #[error("{}", registry_text(*.flavour, .action, .schema, .error))]
    Registry {
        /// Whose words.
        flavour: ClientFlavour,
        /// `registering` or `retrieving`.
        action: &'static str,
        /// The schema involved.
        schema: String,
        /// The registry's answer.
        error: RegistryError,
    },
    /// The subject name strategy cannot name a subject for this schema.
    #[error("{}", client_text(*.flavour, "Error serializing Avro message", .message, None))]
    Strategy {
        /// Whose words.
        flavour: ClientFlavour,
        /// The strategy's message.
        message: String,
    },
    /// The value does not match the schema: every problem, with its path.
    #[error("{}", client_text(*.flavour, "Error serializing Avro message", &.error.to_string(), None))]
    Value {
        /// Whose words.
        flavour: ClientFlavour,
        /// The problems.
        error: JsonError,
    },
    /// The bytes are not in the Confluent wire format.
    #[error("{}", client_text(*.flavour, "Error deserializing Avro message", &.error.to_string(), None))]
    Wire {
        /// Whose words.
        flavour: ClientFlavour,
        /// What is wrong with the framing.
        error: WireFormatError,
    },
    /// The payload does not decode with the writer schema (or cannot be
    /// resolved to the reader's).
    #[error("{}", client_text(*.flavour, &format!("Error deserializing Avro message for id {}", .schema_id), .message, None))]
    Decode {
        /// Whose words.
        flavour: ClientFlavour,
        /// The writer schema's id.
        schema_id: i32,
        /// What went wrong.
        message: String,
    },
}

fn client_text(flavour: ClientFlavour, what: &str, detail: &str, _code: Option<i32>) -> String {
    match flavour {
        ClientFlavour::Java => {
            format!("org.apache.kafka.common.errors.SerializationException: {what}: {detail}")
        }
        ClientFlavour::Librdkafka => format!("SerializationError: {what}: {detail}"),
    }
}

fn registry_text(
    flavour: ClientFlavour,
    action: &str,
    schema: &str,
    error: &RegistryError,
) -> String {
    match flavour {
        // AbstractKafkaAvroSerializer: "Error registering Avro schema" +
        // the schema, caused by the RestClientException.
        ClientFlavour::Java => format!(
            "org.apache.kafka.common.errors.SerializationException: Error {action} Avro schema{schema}\n\
             Caused by: io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: {}; error code: {}",
            error.message, error.error_code
        ),
        // confluent_kafka.schema_registry.error.SchemaRegistryError's str().
        ClientFlavour::Librdkafka => format!(
            "SchemaRegistryError: {} (HTTP status code {}, SR code {})",
            error.message, error.status, error.error_code
        ),
    }
}

/// A serializer for one schema (`AvroSerializer(schema_registry_client,
/// schema_str)`), for keys or values.
#[derive(Debug, Clone)]
pub struct AvroSerializer {
    config: AvroSerdeConfig,
    schema_text: String,
    schema: Schema,
    codec: Codec,
    /// Subject → (id, the codec to write with), as the clients cache it.
    known: OrdMap<String, (i32, Codec)>,
}

impl AvroSerializer {
    /// A serializer for `schema_text`.
    ///
    /// # Errors
    ///
    /// [`SerdeError::InvalidSchema`].
    pub fn new(schema_text: &str, config: AvroSerdeConfig) -> Result<Self, SerdeError> {
        let invalid = |message: String| SerdeError::InvalidSchema {
            flavour: config.flavour,
            message,
        };
        let schema = crate::avro::compatibility::parse_schema(schema_text)
            .map_err(|e| invalid(e.to_string()))?;
        let codec = Codec::new(&schema).map_err(|e: SchemaError| invalid(e.to_string()))?;
        Ok(Self {
            config,
            schema_text: schema_text.to_owned(),
            schema,
            codec,
            known: OrdMap::new(),
        })
    }

    /// The subject this serializer uses for `topic`'s key or value.
    ///
    /// # Errors
    ///
    /// [`SerdeError::Strategy`] (a record-name strategy with a non-record schema).
    pub fn subject(&self, topic: &str, is_key: bool) -> Result<String, SerdeError> {
        self.config
            .subject_name_strategy
            .subject_name(topic, is_key, &self.schema)
            .map_err(|e| SerdeError::Strategy {
                flavour: self.config.flavour,
                message: e.to_string(),
            })
    }

    /// Serializes a value typed as plain JSON (the UI's form and the
    /// console's producer): the Confluent wire bytes.
    ///
    /// # Errors
    ///
    /// [`SerdeError::Value`] listing every mismatch with its path, or the
    /// registry's refusal ([`SerdeError::Registry`]).
    pub fn serialize_json(
        &mut self,
        registry: &mut SchemaRegistry,
        cluster: &mut Cluster,
        topic: &str,
        is_key: bool,
        json: &str,
    ) -> Result<Vec<u8>, SerdeError> {
        let (id, codec) = self.schema_id(registry, cluster, topic, is_key)?;
        let payload = codec
            .encode_json(json, Mode::Plain)
            .map_err(|error| SerdeError::Value {
                flavour: self.config.flavour,
                error,
            })?;
        Ok(wire::encode(id, &payload))
    }

    /// The id to write, and the codec to write with, for this subject.
    fn schema_id(
        &mut self,
        registry: &mut SchemaRegistry,
        cluster: &mut Cluster,
        topic: &str,
        is_key: bool,
    ) -> Result<(i32, &Codec), SerdeError> {
        let subject = self.subject(topic, is_key)?;
        if !self.known.contains_key(&subject) {
            let flavour = self.config.flavour;
            let registry_error =
                |action: &'static str, schema: &str, error: RegistryError| SerdeError::Registry {
                    flavour,
                    action,
                    schema: schema.to_owned(),
                    error,
                };
            let entry = if self.config.use_latest_version {
                let latest = registry
                    .get_version(cluster, &subject, VersionId::Latest, false)
                    .map_err(|e| registry_error("retrieving", &self.schema_text, e))?;
                let resolved = registry
                    .resolve_id(cluster, latest.id)
                    .map_err(|e| registry_error("retrieving", &latest.schema, e))?;
                let codec = Codec::with_references(&resolved.schema, &resolved.references)
                    .map_err(|e| SerdeError::InvalidSchema {
                        flavour,
                        message: e.to_string(),
                    })?;
                (latest.id, codec)
            } else if self.config.auto_register_schemas {
                let id = registry
                    .register(
                        cluster,
                        &subject,
                        &RegisterSchemaRequest::avro(self.schema_text.clone()),
                    )
                    .map_err(|e| registry_error("registering", &self.schema_text, e))?;
                (id, self.codec.clone())
            } else {
                let found = registry
                    .lookup(
                        cluster,
                        &subject,
                        &RegisterSchemaRequest::avro(self.schema_text.clone()),
                        false,
                    )
                    .map_err(|e| registry_error("retrieving", &self.schema_text, e))?;
                (found.id, self.codec.clone())
            };
            self.known.insert(subject.clone(), entry);
        }
        // Inserted just above when missing.
        let (id, codec) = self
            .known
            .get(&subject)
            .ok_or_else(|| SerdeError::Strategy {
                flavour: self.config.flavour,
                message: format!("no schema id for subject {subject}"),
            })?;
        Ok((*id, codec))
    }
}

/// A record decoded by [`AvroDeserializer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeserializedRecord {
    /// The writer schema's id, from the message's first five bytes.
    pub schema_id: i32,
    /// The record as plain JSON, in the reader's schema when there is one.
    pub json: String,
}

/// A deserializer (`AvroDeserializer(schema_registry_client,
/// schema_str=None)`): with a reader schema it resolves every record to
/// it; without, records come out as written.
#[derive(Debug, Clone)]
pub struct AvroDeserializer {
    flavour: ClientFlavour,
    reader: Option<Schema>,
    /// Writer schema id → its codec (resolving to the reader's schema).
    codecs: OrdMap<i32, Codec>,
}

impl AvroDeserializer {
    /// A deserializer; `reader_schema` is the schema the application reads
    /// with (`None`: the writer's).
    ///
    /// # Errors
    ///
    /// [`SerdeError::InvalidSchema`].
    pub fn new(reader_schema: Option<&str>, flavour: ClientFlavour) -> Result<Self, SerdeError> {
        let reader = reader_schema
            .map(crate::avro::compatibility::parse_schema)
            .transpose()
            .map_err(|e| SerdeError::InvalidSchema {
                flavour,
                message: e.to_string(),
            })?;
        Ok(Self {
            flavour,
            reader,
            codecs: OrdMap::new(),
        })
    }

    /// Decodes one message in the Confluent wire format.
    ///
    /// # Errors
    ///
    /// [`SerdeError::Wire`] (magic byte, short buffer), the registry's
    /// 40403 for an unknown id, or [`SerdeError::Decode`].
    pub fn deserialize(
        &mut self,
        registry: &mut SchemaRegistry,
        cluster: &Cluster,
        message: &[u8],
    ) -> Result<DeserializedRecord, SerdeError> {
        let flavour = self.flavour;
        let (schema_id, payload) =
            wire::decode(message).map_err(|error| SerdeError::Wire { flavour, error })?;
        if !self.codecs.contains_key(&schema_id) {
            let writer =
                registry
                    .resolve_id(cluster, schema_id)
                    .map_err(|error| SerdeError::Registry {
                        flavour,
                        action: "retrieving",
                        schema: format!(" with id {schema_id}"),
                        error,
                    })?;
            let codec = match &self.reader {
                Some(reader) => Codec::resolving_with_references(
                    &writer.schema,
                    &writer.references,
                    reader,
                    &[],
                ),
                None => Codec::with_references(&writer.schema, &writer.references),
            }
            .map_err(|e| SerdeError::Decode {
                flavour,
                schema_id,
                message: e.to_string(),
            })?;
            self.codecs.insert(schema_id, codec);
        }
        let codec = self
            .codecs
            .get(&schema_id)
            .ok_or_else(|| SerdeError::Decode {
                flavour,
                schema_id,
                message: "no codec".to_owned(),
            })?;
        let json = codec
            .decode_to_json(payload, Mode::Plain)
            .map_err(|e: DecodeError| SerdeError::Decode {
                flavour,
                schema_id,
                message: e.to_string(),
            })?;
        Ok(DeserializedRecord { schema_id, json })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avro::compatibility::CompatibilityLevel;
    use crate::clock::Millis;
    use crate::cluster::ClusterConfig;
    use crate::registry::RegistryConfig;

    const V1: &str = r#"{"type":"record","name":"Customer","namespace":"com.example","fields":[
        {"name":"first_name","type":"string"},{"name":"age","type":"int"}]}"#;
    /// V1 plus an optional field with a default: BACKWARD and FORWARD compatible.
    const V2: &str = r#"{"type":"record","name":"Customer","namespace":"com.example","fields":[
        {"name":"first_name","type":"string"},{"name":"age","type":"int"},
        {"name":"email","type":["null","string"],"default":null}]}"#;
    /// Drops `age` and adds a required field: not BACKWARD compatible.
    const BAD: &str = r#"{"type":"record","name":"Customer","namespace":"com.example","fields":[
        {"name":"first_name","type":"string"},{"name":"height","type":"float"}]}"#;

    fn setup() -> (Cluster, SchemaRegistry) {
        let mut cluster = Cluster::new(ClusterConfig::default(), 3, Millis(0)).unwrap();
        let registry = SchemaRegistry::start(&mut cluster, RegistryConfig::default()).unwrap();
        (cluster, registry)
    }

    #[test]
    fn the_wire_bytes_are_magic_byte_id_and_avro_payload() {
        let (mut cluster, mut registry) = setup();
        let mut serializer = AvroSerializer::new(V1, AvroSerdeConfig::default()).unwrap();
        let bytes = serializer
            .serialize_json(
                &mut registry,
                &mut cluster,
                "customers",
                false,
                r#"{"first_name":"Ann","age":30}"#,
            )
            .unwrap();
        // 0, id 1 big-endian, then "Ann" (len 3 zigzag = 6) and 30 (zigzag 60).
        assert_eq!(bytes, [0, 0, 0, 0, 1, 6, b'A', b'n', b'n', 60]);
        assert_eq!(
            registry
                .list_versions(
                    &cluster,
                    "customers-value",
                    crate::registry::LookupFilter::Default
                )
                .unwrap(),
            vec![1]
        );
        // The same schema for the key subject shares the id.
        let key = serializer
            .serialize_json(
                &mut registry,
                &mut cluster,
                "customers",
                true,
                r#"{"first_name":"Bo","age":1}"#,
            )
            .unwrap();
        assert_eq!(&key[..5], &[0, 0, 0, 0, 1]);

        let mut deserializer = AvroDeserializer::new(None, ClientFlavour::Java).unwrap();
        let record = deserializer
            .deserialize(&mut registry, &cluster, &bytes)
            .unwrap();
        assert_eq!(record.schema_id, 1);
        assert_eq!(record.json, r#"{"first_name":"Ann","age":30}"#);
    }

    #[test]
    fn an_old_consumer_reads_new_data_and_a_new_one_reads_old_data() {
        let (mut cluster, mut registry) = setup();
        let mut v1 = AvroSerializer::new(V1, AvroSerdeConfig::default()).unwrap();
        let mut v2 = AvroSerializer::new(V2, AvroSerdeConfig::default()).unwrap();
        let old = v1
            .serialize_json(
                &mut registry,
                &mut cluster,
                "c",
                false,
                r#"{"first_name":"Ann","age":30}"#,
            )
            .unwrap();
        let new = v2
            .serialize_json(
                &mut registry,
                &mut cluster,
                "c",
                false,
                r#"{"first_name":"Bo","age":4,"email":"b@x"}"#,
            )
            .unwrap();
        assert_eq!(&new[..5], &[0, 0, 0, 0, 2], "v2 got id 2");
        let mut old_reader = AvroDeserializer::new(Some(V1), ClientFlavour::Java).unwrap();
        assert_eq!(
            old_reader
                .deserialize(&mut registry, &cluster, &new)
                .unwrap()
                .json,
            r#"{"first_name":"Bo","age":4}"#
        );
        let mut new_reader = AvroDeserializer::new(Some(V2), ClientFlavour::Java).unwrap();
        assert_eq!(
            new_reader
                .deserialize(&mut registry, &cluster, &old)
                .unwrap()
                .json,
            r#"{"first_name":"Ann","age":30,"email":null}"#,
            "the reader's default fills the missing field"
        );
    }

    #[test]
    fn an_incompatible_schema_is_refused_in_each_clients_words() {
        let (mut cluster, mut registry) = setup();
        let mut v1 = AvroSerializer::new(V1, AvroSerdeConfig::default()).unwrap();
        v1.serialize_json(
            &mut registry,
            &mut cluster,
            "c",
            false,
            r#"{"first_name":"Ann","age":30}"#,
        )
        .unwrap();
        for flavour in [ClientFlavour::Java, ClientFlavour::Librdkafka] {
            let config = AvroSerdeConfig {
                flavour,
                ..AvroSerdeConfig::default()
            };
            let mut bad = AvroSerializer::new(BAD, config).unwrap();
            let err = bad
                .serialize_json(
                    &mut registry,
                    &mut cluster,
                    "c",
                    false,
                    r#"{"first_name":"Ann","height":1.8}"#,
                )
                .unwrap_err();
            let SerdeError::Registry { error, .. } = &err else {
                panic!("{err}")
            };
            assert_eq!(error.status, 409);
            let text = err.to_string();
            assert!(text.contains("Schema being registered is incompatible with an earlier schema for subject \"c-value\""), "{text}");
            match flavour {
                ClientFlavour::Java => assert!(text.starts_with("org.apache.kafka.common.errors.SerializationException: Error registering Avro schema{")),
                ClientFlavour::Librdkafka => assert!(text.starts_with("SchemaRegistryError: ") && text.ends_with("(HTTP status code 409, SR code 409)"), "{text}"),
            }
        }
        // With NONE, anything goes.
        registry
            .set_config(&mut cluster, Some("c-value"), CompatibilityLevel::None)
            .unwrap();
        let mut bad = AvroSerializer::new(BAD, AvroSerdeConfig::default()).unwrap();
        let result = bad.serialize_json(
            &mut registry,
            &mut cluster,
            "c",
            false,
            r#"{"first_name":"Ann","height":1.8}"#,
        );
        assert!(result.is_ok(), "{result:?}");
    }

    #[test]
    fn values_that_do_not_match_list_every_problem_with_its_path() {
        let (mut cluster, mut registry) = setup();
        let mut serializer = AvroSerializer::new(V1, AvroSerdeConfig::default()).unwrap();
        let err = serializer
            .serialize_json(
                &mut registry,
                &mut cluster,
                "c",
                false,
                r#"{"first_name":7,"age":"abc"}"#,
            )
            .unwrap_err();
        let SerdeError::Value {
            error: JsonError::Invalid(problems),
            ..
        } = &err
        else {
            panic!("{err}")
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["/first_name", "/age"]);
        assert!(err.to_string().starts_with("org.apache.kafka.common.errors.SerializationException: Error serializing Avro message: /first_name: "));
    }

    #[test]
    fn subject_strategies_lookup_and_latest_version() {
        let (mut cluster, mut registry) = setup();
        let record_name = AvroSerdeConfig {
            subject_name_strategy: SubjectNameStrategy::RecordName,
            ..AvroSerdeConfig::default()
        };
        let mut s = AvroSerializer::new(V1, record_name).unwrap();
        s.serialize_json(
            &mut registry,
            &mut cluster,
            "t",
            false,
            r#"{"first_name":"A","age":1}"#,
        )
        .unwrap();
        assert_eq!(
            registry
                .subjects(&cluster, None, crate::registry::LookupFilter::Default)
                .unwrap(),
            vec!["com.example.Customer".to_owned()]
        );
        let topic_record = AvroSerdeConfig {
            subject_name_strategy: SubjectNameStrategy::TopicRecordName,
            ..AvroSerdeConfig::default()
        };
        assert_eq!(
            AvroSerializer::new(V1, topic_record)
                .unwrap()
                .subject("t", false)
                .unwrap(),
            "t-com.example.Customer"
        );

        // auto.register.schemas=false: only a schema the subject has works.
        let lookup_only = AvroSerdeConfig {
            auto_register_schemas: false,
            ..AvroSerdeConfig::default()
        };
        let err = AvroSerializer::new(V1, lookup_only.clone())
            .unwrap()
            .serialize_json(
                &mut registry,
                &mut cluster,
                "unknown",
                false,
                r#"{"first_name":"A","age":1}"#,
            )
            .unwrap_err();
        let SerdeError::Registry { error, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(error.error_code, 40401);

        // use.latest.version: writes with the subject's latest schema.
        let mut v2 = AvroSerializer::new(V2, AvroSerdeConfig::default()).unwrap();
        v2.serialize_json(
            &mut registry,
            &mut cluster,
            "u",
            false,
            r#"{"first_name":"A","age":1,"email":null}"#,
        )
        .unwrap();
        let latest = AvroSerdeConfig {
            auto_register_schemas: false,
            use_latest_version: true,
            ..AvroSerdeConfig::default()
        };
        let mut with_latest = AvroSerializer::new(V1, latest).unwrap();
        let bytes = with_latest
            .serialize_json(
                &mut registry,
                &mut cluster,
                "u",
                false,
                r#"{"first_name":"A","age":1,"email":"e"}"#,
            )
            .unwrap();
        let mut reader = AvroDeserializer::new(None, ClientFlavour::Java).unwrap();
        assert_eq!(
            reader
                .deserialize(&mut registry, &cluster, &bytes)
                .unwrap()
                .json,
            r#"{"first_name":"A","age":1,"email":"e"}"#
        );
    }

    #[test]
    fn bad_messages_get_the_wire_formats_errors() {
        let (cluster, mut registry) = setup();
        let mut reader = AvroDeserializer::new(None, ClientFlavour::Java).unwrap();
        let err = reader
            .deserialize(&mut registry, &cluster, &[1, 0, 0, 0, 1, 2])
            .unwrap_err();
        assert!(err.to_string().contains("Unknown magic byte!"), "{err}");
        assert!(matches!(
            reader.deserialize(&mut registry, &cluster, &[0, 0]),
            Err(SerdeError::Wire { .. })
        ));
        let err = reader
            .deserialize(&mut registry, &cluster, &[0, 0, 0, 0, 9, 2])
            .unwrap_err();
        let SerdeError::Registry { error, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(error.error_code, 40403);
        assert!(AvroSerializer::new("{\"type\":\"nope\"}", AvroSerdeConfig::default()).is_err());
    }
}
