//! `kafka-delete-records`: Kafka's `DeleteRecordsCommand`, reading its
//! `--offset-json-file` from the terminal's files.

use port::{Command, CommandError, ErrorCode, Reply};

use crate::args::OptionSpec;
use crate::topics::exception_of;
use crate::{out_line, thrown, Endpoints, Next, Started, Tool};

/// The options of `kafka-delete-records` (Kafka 4.0).
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec { name: "bootstrap-server", argument: Some("String: server(s) to use for bootstrapping"), description: "REQUIRED: The server to connect to." },
    OptionSpec { name: "command-config", argument: Some("String: command config property file path"), description: "A property file containing configs to be passed to Admin Client." },
    OptionSpec { name: "help", argument: None, description: "Print usage information." },
    OptionSpec { name: "offset-json-file", argument: Some("String: Offset json file path"), description: "REQUIRED: The JSON file with offset per partition. The format to use is:\n{\"partitions\":\n  [{\"topic\": \"foo\", \"partition\": 1, \"offset\": 1}],\n \"version\":1\n}" },
    OptionSpec { name: "version", argument: None, description: "Display Kafka version." },
];

/// `kafka-delete-records` while it waits for the engine.
#[derive(Debug)]
struct DeleteRecords {
    queue: Vec<(String, i32, i64)>,
    asking: Option<(String, i32)>,
    lines: Vec<String>,
}

/// Starts `kafka-delete-records` with `words`, reading the offsets from
/// `files`.
pub(crate) fn start(
    words: &[String],
    endpoints: &Endpoints,
    files: &[(String, String)],
) -> Started {
    let parsed = match crate::preamble(
        words,
        OPTIONS,
        "This tool helps to delete records of the given partitions down to the specified offset.",
    ) {
        Ok(parsed) => parsed,
        Err(answer) => return *answer,
    };
    if let Err(answer) = crate::bootstrap(&parsed, OPTIONS, endpoints) {
        return *answer;
    }
    let Some(path) = parsed.value("offset-json-file") else {
        return crate::usage_error("Missing required argument \"[offset-json-file]\"", OPTIONS);
    };
    let Some((_, text)) = files.iter().find(|(name, _)| name == path) else {
        return Started::Done(thrown(path, "java.nio.file.NoSuchFileException"), 1);
    };
    let queue = match parse_offsets(text) {
        Ok(queue) => queue,
        Err(reason) => {
            return Started::Done(
                thrown(
                    &reason,
                    "org.apache.kafka.common.utils.AdminCommandFailedException",
                ),
                1,
            )
        }
    };
    let mut tool = DeleteRecords {
        queue,
        asking: None,
        lines: vec![
            "Executing records delete operation".to_owned(),
            "Records delete operation completed:".to_owned(),
        ],
    };
    match tool.ask_next() {
        Next::Send(command) => Started::Request(Vec::new(), command, Box::new(tool)),
        Next::Done(lines, status, _) => Started::Done(lines, status),
    }
}

/// The offset JSON file: `{"partitions": [{"topic", "partition",
/// "offset"}], "version": 1}`, with Kafka's refusals.
fn parse_offsets(text: &str) -> Result<Vec<(String, i32, i64)>, String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| "The input string is not a valid JSON".to_owned())?;
    match value.get("version") {
        None => {}
        Some(v) if v.as_i64() == Some(1) => {}
        Some(v) => return Err(format!("Not supported version field value {v}")),
    }
    let partitions = value
        .get("partitions")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| "Missing partitions field".to_owned())?;
    let mut out: Vec<(String, i32, i64)> = Vec::new();
    for p in partitions {
        let topic = p.get("topic").and_then(serde_json::Value::as_str);
        let partition = p
            .get("partition")
            .and_then(serde_json::Value::as_i64)
            .and_then(|n| i32::try_from(n).ok());
        let offset = p.get("offset").and_then(serde_json::Value::as_i64);
        let (Some(topic), Some(partition), Some(offset)) = (topic, partition, offset) else {
            return Err("Missing topic, partition or offset field in a partition entry".to_owned());
        };
        if out.iter().any(|(t, q, _)| t == topic && *q == partition) {
            return Err(format!(
                "Offset json file contains duplicate topic partitions: {topic}-{partition}"
            ));
        }
        out.push((topic.to_owned(), partition, offset));
    }
    Ok(out)
}

impl DeleteRecords {
    fn ask_next(&mut self) -> Next {
        if self.queue.is_empty() {
            let lines = std::mem::take(&mut self.lines)
                .into_iter()
                .map(out_line)
                .collect();
            return Next::Done(lines, 0, None);
        }
        let (topic, partition, offset) = self.queue.remove(0);
        self.asking = Some((topic.clone(), partition));
        Next::Send(Command::DeleteRecords {
            topic,
            partition,
            offset,
        })
    }
}

impl Tool for DeleteRecords {
    fn on_reply(&mut self, result: Result<Reply, CommandError>) -> Next {
        let Some((topic, partition)) = self.asking.take() else {
            return Next::Done(Vec::new(), 1, None);
        };
        // One line per partition: its low watermark, or its error (the
        // command still exits 0, as Kafka's does).
        self.lines.push(match result {
            Ok(Reply::RecordsDeleted { low_watermark }) => {
                format!("partition: {topic}-{partition}\tlow_watermark: {low_watermark}")
            }
            Ok(other) => {
                format!("partition: {topic}-{partition}\terror: unexpected answer {other:?}")
            }
            Err(e) => {
                let exception = match &e.code {
                    ErrorCode::Kafka(code) => exception_of(code),
                    _ => "org.apache.kafka.common.KafkaException".to_owned(),
                };
                format!(
                    "partition: {topic}-{partition}\terror: {exception}: {}",
                    e.message
                )
            }
        });
        self.ask_next()
    }
}
