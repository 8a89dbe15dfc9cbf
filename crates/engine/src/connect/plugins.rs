//! The connector plugins a playground worker has on its plugin path —
//! Kafka's `connect-file` (`FileStreamSourceConnector`,
//! `FileStreamSinkConnector`) — with their `ConfigDef`s, the validation
//! Connect runs before accepting a config (the same error texts), and the
//! two converters (`StringConverter`, `JsonConverter` with its
//! `schemas.enable` envelope).

use super::store::Properties;
use crate::registry::json::{self, quote, Json};

/// The Kafka release this worker reports.
pub const VERSION: &str = "4.0.0";
/// That release's commit id (`GET /`).
pub const COMMIT: &str = "985bc99521dd22bb";
/// `FileStreamSourceConnector`.
pub const FILE_SOURCE: &str = "org.apache.kafka.connect.file.FileStreamSourceConnector";
/// `FileStreamSinkConnector`.
pub const FILE_SINK: &str = "org.apache.kafka.connect.file.FileStreamSinkConnector";
/// `StringConverter`.
pub const STRING_CONVERTER: &str = "org.apache.kafka.connect.storage.StringConverter";
/// `JsonConverter`.
pub const JSON_CONVERTER: &str = "org.apache.kafka.connect.json.JsonConverter";
/// `FileStreamSourceConnector.DEFAULT_TASK_BATCH_SIZE`.
pub const DEFAULT_BATCH_SIZE: usize = 2000;

/// Source or sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectorType {
    /// Writes records into Kafka.
    Source,
    /// Reads records from Kafka.
    Sink,
}

impl ConnectorType {
    /// `source` / `sink`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::Sink => "sink",
        }
    }
}

/// A plugin (`PluginDesc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plugin {
    /// Its class.
    pub class: &'static str,
    /// Source or sink.
    pub kind: ConnectorType,
}

/// Every connector plugin, in `GET /connector-plugins` order.
pub const PLUGINS: [Plugin; 2] = [
    Plugin {
        class: FILE_SINK,
        kind: ConnectorType::Sink,
    },
    Plugin {
        class: FILE_SOURCE,
        kind: ConnectorType::Source,
    },
];

/// The plugin a `connector.class` names: the full class name, the simple
/// name, or the simple name without `Connector` (Connect's aliases).
#[must_use]
pub fn find(class: &str) -> Option<Plugin> {
    PLUGINS.into_iter().find(|p| {
        let simple = p.class.rsplit('.').next().unwrap_or(p.class);
        class == p.class || class == simple || Some(class) == simple.strip_suffix("Connector")
    })
}

/// `Failed to find any class that implements Connector…` (400 since Kafka 4).
#[must_use]
pub fn unknown_class_message(class: &str) -> String {
    let available: Vec<String> = PLUGINS
        .iter()
        .map(|p| {
            format!(
                "PluginDesc{{klass=class {c}, name='{c}', version='{VERSION}', encodedVersion={VERSION}, type={t}, typeName='{t}', location='classpath'}}",
                c = p.class,
                t = p.kind.as_str()
            )
        })
        .collect();
    format!(
        "Failed to find any class that implements Connector and which name matches {class}, available connectors are: {}",
        available.join(", ")
    )
}

/// One config's definition and verdict (`ConfigInfo`: `definition` and
/// `value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigResult {
    /// The config's name.
    pub name: &'static str,
    /// `STRING`, `INT`, `LIST`, `CLASS`.
    pub kind: &'static str,
    /// Whether it must be set.
    pub required: bool,
    /// Its default, as text.
    pub default_value: Option<&'static str>,
    /// `HIGH`, `MEDIUM`, `LOW`.
    pub importance: &'static str,
    /// Its documentation.
    pub documentation: &'static str,
    /// Its group (`Common`, `Transforms`…), if any.
    pub group: Option<&'static str>,
    /// The value given, or the default.
    pub value: Option<String>,
    /// What is wrong with it.
    pub errors: Vec<String>,
}

struct Def {
    name: &'static str,
    kind: &'static str,
    default: Option<&'static str>,
    required: bool,
    importance: &'static str,
    doc: &'static str,
    group: Option<&'static str>,
}

const fn def(
    name: &'static str,
    kind: &'static str,
    default: Option<&'static str>,
    required: bool,
    importance: &'static str,
    doc: &'static str,
    group: Option<&'static str>,
) -> Def {
    Def {
        name,
        kind,
        default,
        required,
        importance,
        doc,
        group,
    }
}

const COMMON: [Def; 5] = [
    def("name", "STRING", None, true, "HIGH", "Globally unique name to use for this connector.", Some("Common")),
    def("connector.class", "STRING", None, true, "HIGH", "Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector.", Some("Common")),
    def("tasks.max", "INT", Some("1"), false, "HIGH", "Maximum number of tasks to use for this connector.", Some("Common")),
    def("key.converter", "CLASS", None, false, "LOW", "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.", Some("Common")),
    def("value.converter", "CLASS", None, false, "LOW", "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.", Some("Common")),
];
const SINK_TOPICS: [Def; 2] = [
    def(
        "topics",
        "LIST",
        Some(""),
        false,
        "HIGH",
        "List of topics to consume, separated by commas",
        Some("Common"),
    ),
    def(
        "topics.regex",
        "STRING",
        Some(""),
        false,
        "HIGH",
        "Regular expression giving topics to consume.",
        Some("Common"),
    ),
];
const SOURCE_DEFS: [Def; 3] = [
    def(
        "file",
        "STRING",
        None,
        false,
        "HIGH",
        "Source filename. If not specified, the standard input will be used",
        None,
    ),
    def(
        "topic",
        "STRING",
        None,
        true,
        "HIGH",
        "The topic to publish data to",
        None,
    ),
    def(
        "batch.size",
        "INT",
        Some("2000"),
        false,
        "LOW",
        "The maximum number of records the Source task can read from file one time",
        None,
    ),
];
const SINK_DEFS: [Def; 1] = [def(
    "file",
    "STRING",
    None,
    false,
    "HIGH",
    "Destination filename. If not specified, the standard output will be used",
    None,
)];

/// `validateConnectorConfig` for a known plugin: every definition with
/// its value and errors, ConfigDef's messages.
#[must_use]
pub fn validate(plugin: Plugin, config: &Properties) -> Vec<ConfigResult> {
    let specific: &[Def] = match plugin.kind {
        ConnectorType::Source => &SOURCE_DEFS,
        ConnectorType::Sink => &SINK_DEFS,
    };
    let sink_topics: &[Def] = match plugin.kind {
        ConnectorType::Source => &[],
        ConnectorType::Sink => &SINK_TOPICS,
    };
    let mut results: Vec<ConfigResult> = COMMON
        .iter()
        .chain(sink_topics)
        .chain(specific)
        .map(|d| check(d, config))
        .collect();
    if plugin.kind == ConnectorType::Sink {
        let set = |n: &str| config.get(n).is_some_and(|v| !v.trim().is_empty());
        let message = match (set("topics"), set("topics.regex")) {
            (false, false) => Some("Must configure one of topics or topics.regex"),
            (true, true) => {
                Some("topics and topics.regex are mutually exclusive options, but both are set.")
            }
            _ => None,
        };
        if let Some(message) = message {
            for r in results.iter_mut().filter(|r| r.name.starts_with("topics")) {
                r.errors.push(message.to_owned());
            }
        }
    }
    results
}

fn check(d: &Def, config: &Properties) -> ConfigResult {
    let given = config.get(d.name).cloned();
    let mut errors = Vec::new();
    let invalid =
        |v: &str, why: &str| format!("Invalid value {v} for configuration {}: {why}", d.name);
    match given.as_deref() {
        None if d.required => errors.push(format!(
            "Missing required configuration \"{}\" which has no default value.",
            d.name
        )),
        None => {}
        Some(v) => match d.kind {
            "INT" => match v.trim().parse::<i32>() {
                Err(_) => errors.push(invalid(v, "Not a number of type INT")),
                Ok(n) if d.name == "tasks.max" && n < 1 => {
                    errors.push(invalid(v, "Value must be at least 1"));
                }
                Ok(n) if d.name == "batch.size" && n < 1 => {
                    // The connector takes any int; 0 would never poll a line.
                    errors.push(invalid(v, "Value must be at least 1"));
                }
                Ok(_) => {}
            },
            "CLASS" if converter(v.trim()).is_none() => {
                errors.push(invalid(v, &format!("Class {v} could not be found.")));
            }
            "CLASS" => {}
            _ if d.name == "topic" && v.is_empty() => {
                errors.push(invalid(v, "String must be non-empty"));
            }
            _ if d.name == "name" && v.trim().is_empty() => {
                errors.push(invalid(v, "String may not be empty"));
            }
            _ => {}
        },
    }
    ConfigResult {
        name: d.name,
        kind: d.kind,
        required: d.required,
        default_value: d.default,
        importance: d.importance,
        documentation: d.doc,
        group: d.group,
        value: given.or_else(|| d.default.map(str::to_owned)),
        errors,
    }
}

/// The connector-level message of a config with errors (400 on create).
#[must_use]
pub fn invalid_config_message(results: &[ConfigResult]) -> Option<String> {
    let errors: Vec<&String> = results.iter().flat_map(|r| &r.errors).collect();
    if errors.is_empty() {
        return None;
    }
    let mut message = format!(
        "Connector configuration is invalid and contains the following {} error(s):",
        errors.len()
    );
    for e in errors {
        message.push('\n');
        message.push_str(e);
    }
    message.push_str("\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`");
    Some(message)
}

/// A converter (`key.converter` / `value.converter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Converter {
    /// `StringConverter`: UTF-8 text.
    String,
    /// `JsonConverter`; `schemas` is `schemas.enable`.
    Json {
        /// Whether values travel in `{"schema":…,"payload":…}`.
        schemas: bool,
    },
}

fn converter(class: &str) -> Option<Converter> {
    match class {
        STRING_CONVERTER | "StringConverter" => Some(Converter::String),
        JSON_CONVERTER | "JsonConverter" => Some(Converter::Json { schemas: true }),
        _ => None,
    }
}

impl Converter {
    /// The converter a connector config picks for `key` or `value`
    /// (`<which>.converter`, `<which>.converter.schemas.enable`); the
    /// worker's default is `JsonConverter` with schemas.
    #[must_use]
    pub fn from_config(config: &Properties, which: &str) -> Self {
        let class = config.get(&format!("{which}.converter"));
        match class.and_then(|c| converter(c.trim())) {
            Some(Converter::Json { .. }) | None => Converter::Json {
                schemas: !config
                    .get(&format!("{which}.converter.schemas.enable"))
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("false")),
            },
            Some(other) => other,
        }
    }

    /// `fromConnectData` for a `Schema.STRING_SCHEMA` value (what the file
    /// source produces).
    #[must_use]
    pub fn from_string(self, value: &str) -> Vec<u8> {
        match self {
            Self::String => value.as_bytes().to_vec(),
            Self::Json { schemas: false } => quote(value).into_bytes(),
            Self::Json { schemas: true } => format!(
                r#"{{"schema":{{"type":"string","optional":false}},"payload":{}}}"#,
                quote(value)
            )
            .into_bytes(),
        }
    }

    /// `toConnectData` then the value's Java `toString()`, which is what
    /// `FileStreamSinkTask` prints. Errors are the `DataException` texts.
    pub fn to_text(self, bytes: Option<&[u8]>) -> Result<String, String> {
        let Some(bytes) = bytes else {
            return Ok("null".to_owned());
        };
        match self {
            Self::String => Ok(String::from_utf8_lossy(bytes).into_owned()),
            Self::Json { schemas } => {
                let parsed = std::str::from_utf8(bytes)
                    .map_err(|e| e.to_string())
                    .and_then(json::parse)
                    .map_err(|e| {
                        format!("Converting byte[] to Kafka Connect data failed due to serialization error: {e}")
                    })?;
                if !schemas {
                    return Ok(java_text(&parsed, false));
                }
                match &parsed {
                    Json::Object(members)
                        if members.len() == 2
                            && parsed.get("schema").is_some()
                            && parsed.get("payload").is_some() =>
                    {
                        let is_struct = parsed
                            .get("schema")
                            .and_then(|s| s.get("type"))
                            .and_then(Json::as_str)
                            == Some("struct");
                        Ok(parsed
                            .get("payload")
                            .map_or_else(|| "null".to_owned(), |p| java_text(p, is_struct)))
                    }
                    _ => Err("JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.".to_owned()),
                }
            }
        }
    }
}

/// A Connect value's Java `toString()`: a `Struct{a=1,b=x}` for a struct,
/// `{a=1, b=x}` for a map, `[1, 2]` for a list.
fn java_text(value: &Json, is_struct: bool) -> String {
    match value {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.clone(),
        Json::String(s) => s.clone(),
        Json::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| java_text(i, false))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Json::Object(members) => {
            let parts: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{k}={}", java_text(v, false)))
                .collect();
            if is_struct {
                format!("Struct{{{}}}", parts.join(","))
            } else {
                format!("{{{}}}", parts.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, &str)]) -> Properties {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn aliases_resolve_as_connect_resolves_them() {
        for alias in [FILE_SOURCE, "FileStreamSourceConnector", "FileStreamSource"] {
            assert_eq!(find(alias).map(|p| p.class), Some(FILE_SOURCE));
        }
        assert_eq!(
            find("FileStreamSink").map(|p| p.kind),
            Some(ConnectorType::Sink)
        );
        assert_eq!(find("Nope"), None);
    }

    #[test]
    fn validation_reports_configdef_messages() {
        let source = find(FILE_SOURCE).unwrap();
        let results = validate(
            source,
            &props(&[
                ("name", "s"),
                ("connector.class", FILE_SOURCE),
                ("tasks.max", "x"),
            ]),
        );
        let message = invalid_config_message(&results).unwrap();
        assert_eq!(
            message,
            "Connector configuration is invalid and contains the following 2 error(s):\n\
             Invalid value x for configuration tasks.max: Not a number of type INT\n\
             Missing required configuration \"topic\" which has no default value.\n\
             You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`"
        );
        let sink = find(FILE_SINK).unwrap();
        let results = validate(
            sink,
            &props(&[("name", "k"), ("connector.class", FILE_SINK)]),
        );
        assert!(invalid_config_message(&results)
            .unwrap()
            .contains("Must configure one of topics or topics.regex"));
    }

    #[test]
    fn json_converter_envelope_and_plain() {
        let with = Converter::Json { schemas: true };
        assert_eq!(
            String::from_utf8(with.from_string("a\"b")).unwrap(),
            r#"{"schema":{"type":"string","optional":false},"payload":"a\"b"}"#
        );
        assert_eq!(with.to_text(Some(&with.from_string("x"))).unwrap(), "x");
        assert!(with
            .to_text(Some(b"\"x\""))
            .unwrap_err()
            .contains("schemas.enable"));
        let plain = Converter::Json { schemas: false };
        assert_eq!(plain.from_string("x"), b"\"x\"");
        assert_eq!(
            plain.to_text(Some(br#"{"a":1,"b":[true]}"#)).unwrap(),
            "{a=1, b=[true]}"
        );
        assert!(plain
            .to_text(Some(b"nope"))
            .unwrap_err()
            .starts_with("Converting byte[]"));
        assert_eq!(Converter::String.to_text(Some(b"x")).unwrap(), "x");
        assert_eq!(
            Converter::from_config(
                &props(&[
                    ("value.converter", JSON_CONVERTER),
                    ("value.converter.schemas.enable", "false")
                ]),
                "value"
            ),
            plain
        );
    }
}
