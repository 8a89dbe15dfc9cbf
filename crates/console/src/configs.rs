//! `kafka-configs` for topics: Kafka 4.0's `ConfigCommand` — `--describe`
//! (dynamic configs, or `--all`, with sensitivity and synonyms) and
//! `--alter --add-config` / `--delete-config`, with its messages.

use port::{Command, CommandError, ConfigEntryModel, ErrorCode, Reply};

use crate::args::OptionSpec;
use crate::topics::unreachable;
use crate::{err, note, out_line, Endpoints, Next, Started, Tool};

/// The options of `kafka-configs` this console knows (Kafka 4.0's
/// `ConfigCommandOptions`).
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec { name: "add-config", argument: Some("String"), description: "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'." },
    OptionSpec { name: "all", argument: None, description: "List all configs for the given topic, broker, or broker-logger entity (includes static configuration when the entity type is brokers)" },
    OptionSpec { name: "alter", argument: None, description: "Alter the configuration for the entity." },
    OptionSpec { name: "bootstrap-server", argument: Some("String: server to connect to"), description: "The Kafka servers to connect to." },
    OptionSpec { name: "broker", argument: Some("String"), description: "The broker's ID." },
    OptionSpec { name: "delete-config", argument: Some("String"), description: "config keys to remove 'k1,k2'" },
    OptionSpec { name: "describe", argument: None, description: "List configs for the given entity." },
    OptionSpec { name: "entity-default", argument: None, description: "Default entity name for clients/users/brokers/ips (applies to corresponding entity type)" },
    OptionSpec { name: "entity-name", argument: Some("String"), description: "Name of entity (topic name/client id/user principal name/broker id/ip/client metrics/group id)" },
    OptionSpec { name: "entity-type", argument: Some("String"), description: "Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics/groups)" },
    OptionSpec { name: "help", argument: None, description: "Print usage information." },
    OptionSpec { name: "topic", argument: Some("String"), description: "The topic's name." },
    OptionSpec { name: "version", argument: None, description: "Display Kafka version." },
];

const ABOUT: &str = "This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group";

#[derive(Debug)]
enum Action {
    Describe {
        all: bool,
    },
    Alter {
        set: Vec<(String, String)>,
        delete: Vec<String>,
    },
}

/// `kafka-configs` while it waits for the engine.
#[derive(Debug)]
struct Configs {
    topic: String,
    action: Action,
    /// The alter was sent (after the describe that checks --delete-config).
    altering: bool,
}

/// Starts `kafka-configs` with `words`.
pub(crate) fn start(words: &[String], endpoints: &Endpoints) -> Started {
    let parsed = match crate::preamble(words, OPTIONS, ABOUT) {
        Ok(parsed) => parsed,
        Err(answer) => return *answer,
    };
    let actions = ["describe", "alter"]
        .iter()
        .filter(|a| parsed.has(a))
        .count();
    if actions != 1 {
        return crate::usage_error(
            "Command must include exactly one action: --describe, --alter",
            OPTIONS,
        );
    }
    let Some(server) = parsed.value("bootstrap-server") else {
        return Started::Done(
            vec![err(
                "Either --bootstrap-server or --bootstrap-controller must be specified.",
            )],
            1,
        );
    };
    if let Some(refused) = unreachable(server, endpoints) {
        return refused;
    }
    let (entity_type, name) = if let Some(topic) = parsed.value("topic") {
        ("topics", Some(topic))
    } else if let Some(broker) = parsed.value("broker") {
        ("brokers", Some(broker))
    } else {
        (
            parsed.value("entity-type").unwrap_or_default(),
            parsed.value("entity-name"),
        )
    };
    if entity_type != "topics" {
        return Started::Done(
            vec![note(&format!(
                "kafka-configs for {} is not in this console yet: it describes and alters topics (--entity-type topics).",
                if entity_type.is_empty() { "that entity" } else { entity_type }
            ))],
            1,
        );
    }
    let Some(topic) = name else {
        if parsed.has("alter") {
            return Started::Done(
                vec![err(
                    "An entity name must be specified with --alter of topics",
                )],
                1,
            );
        }
        return Started::Done(vec![note("Name the topic: --entity-name <topic> (every topic at once is not in this console yet).")], 1);
    };
    let action = if parsed.has("describe") {
        Action::Describe {
            all: parsed.has("all"),
        }
    } else {
        let mut set = Vec::new();
        for text in parsed.values("add-config") {
            match split_pairs(text) {
                Some(pairs) => set.extend(pairs),
                None => {
                    return Started::Done(
                        vec![err("Invalid entity config: all configs to be added must be in the format \"key=val\" or  \"key=[val1,val2]\" to group values which contain commas.")],
                        1,
                    )
                }
            }
        }
        let delete: Vec<String> = parsed
            .values("delete-config")
            .into_iter()
            .flat_map(|text| text.split(','))
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
        if set.is_empty() && delete.is_empty() {
            return Started::Done(
                vec![err("At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter")],
                1,
            );
        }
        Action::Alter { set, delete }
    };
    Started::Request(
        Vec::new(),
        Command::DescribeConfigs {
            topic: topic.to_owned(),
        },
        Box::new(Configs {
            topic: topic.to_owned(),
            action,
            altering: false,
        }),
    )
}

/// `k1=v1,k2=[a,b],k3=v3` as pairs (square brackets group values with
/// commas); `None` for a pair without `=`.
fn split_pairs(text: &str) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    let mut parts = Vec::new();
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    for part in parts.iter().filter(|p| !p.trim().is_empty()) {
        let (key, value) = part.split_once('=')?;
        let value = value.trim().trim_start_matches('[').trim_end_matches(']');
        pairs.push((key.trim().to_owned(), value.to_owned()));
    }
    Some(pairs)
}

/// One entry as `ConfigCommand` prints it.
fn entry_line(e: &ConfigEntryModel) -> String {
    let synonyms: Vec<String> = e
        .synonyms
        .iter()
        .map(|(source, name, value)| format!("{source}:{name}={value}"))
        .collect();
    format!(
        "  {}={} sensitive={} synonyms={{{}}}",
        e.name,
        e.value,
        e.sensitive,
        synonyms.join(", ")
    )
}

impl Tool for Configs {
    fn on_reply(&mut self, result: Result<Reply, CommandError>) -> Next {
        let reply = match result {
            Ok(reply) => reply,
            Err(e) => {
                // ConfigCommand: configuration errors print their message;
                // others the command line and the error.
                let message = match &e.code {
                    ErrorCode::Kafka(code) if code == "INVALID_CONFIG" => e.message.clone(),
                    _ => format!(
                        "Error while executing config command with args '--entity-name {}'\n{}",
                        self.topic, e.message
                    ),
                };
                return Next::Done(vec![err(message)], 1, None);
            }
        };
        match (&self.action, reply) {
            (Action::Describe { all }, Reply::ConfigsDescribed { entries }) => {
                let mut lines = vec![out_line(format!(
                    "{} configs for topic {} are:",
                    if *all { "All" } else { "Dynamic" },
                    self.topic
                ))];
                lines.extend(
                    entries
                        .iter()
                        .filter(|e| *all || e.source == "DYNAMIC_TOPIC_CONFIG")
                        .map(|e| out_line(entry_line(e))),
                );
                Next::Done(lines, 0, None)
            }
            (Action::Alter { set, delete }, Reply::ConfigsDescribed { entries }) => {
                // --delete-config takes keys set on the topic only.
                let missing: Vec<&str> = delete
                    .iter()
                    .filter(|k| {
                        !entries
                            .iter()
                            .any(|e| e.name == **k && e.source == "DYNAMIC_TOPIC_CONFIG")
                    })
                    .map(String::as_str)
                    .collect();
                if !missing.is_empty() {
                    return Next::Done(
                        vec![err(format!("Invalid config(s): {}", missing.join(",")))],
                        1,
                        None,
                    );
                }
                self.altering = true;
                Next::Send(Command::AlterConfigs {
                    topic: self.topic.clone(),
                    set: set.clone(),
                    delete: delete.clone(),
                })
            }
            (Action::Alter { .. }, Reply::Done) if self.altering => Next::Done(
                vec![out_line(format!(
                    "Completed updating config for topic {}.",
                    self.topic
                ))],
                0,
                None,
            ),
            (_, other) => Next::Done(vec![err(format!("unexpected answer: {other:?}"))], 1, None),
        }
    }
}
