//! `kafka-get-offsets`: Kafka's `GetOffsetShell`, one ListOffsets per
//! partition, printed `topic:partition:offset`.

use port::{Command, CommandError, Reply, TopicDescription};

use crate::args::OptionSpec;
use crate::topics::regex_matches;
use crate::{err, out_line, Next, Started, Tool};

/// The options of `kafka-get-offsets` (Kafka 4.0's `GetOffsetShell`).
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec { name: "bootstrap-server", argument: Some("String: HOST1:PORT1,...,HOST3:PORT3"), description: "REQUIRED. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2." },
    OptionSpec { name: "command-config", argument: Some("String: config file"), description: "Property file containing configs to be passed to Admin Client." },
    OptionSpec { name: "exclude-internal-topics", argument: None, description: "By default, internal topics are included. If specified, internal topics are excluded." },
    OptionSpec { name: "help", argument: None, description: "Print usage information." },
    OptionSpec { name: "partitions", argument: Some("String: partition ids"), description: "Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present." },
    OptionSpec { name: "time", argument: Some("String: <timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered"), description: "timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.] (default: latest)" },
    OptionSpec { name: "topic", argument: Some("String: topic"), description: "The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present." },
    OptionSpec { name: "topic-partitions", argument: Some("String: topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3"), description: "Comma separated list of topic-partition patterns to get the offsets for, with the format of '^(.+)(:([0-9]+)?-?([0-9]+)?)?$'. The first group is an optional regex for the topic name, if omitted, it matches any topic name. The section after ':' describes a partition pattern, which can be: a number, a range in the format of 'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions." },
    OptionSpec { name: "version", argument: None, description: "Display Kafka version." },
];

/// `kafka-get-offsets` while it waits for the engine.
#[derive(Debug)]
struct GetOffsets {
    pattern: Option<String>,
    partitions: Option<Vec<i32>>,
    exclude_internal: bool,
    time: i64,
    /// The partitions still to ask, in order.
    queue: Vec<(String, i32)>,
    /// The one asked last.
    asking: Option<(String, i32)>,
    lines: Vec<String>,
}

/// Starts `kafka-get-offsets` with `words`.
pub(crate) fn start(words: &[String], endpoints: &crate::Endpoints) -> Started {
    let parsed = match crate::preamble(
        words,
        OPTIONS,
        "An interactive shell for getting topic-partition offsets.",
    ) {
        Ok(parsed) => parsed,
        Err(answer) => return *answer,
    };
    if let Err(answer) = crate::bootstrap(&parsed, OPTIONS, endpoints) {
        return *answer;
    }
    if parsed.has("topic-partitions") {
        return Started::Done(
            vec![err(
                "--topic-partitions is not in this console yet: use --topic and --partitions.",
            )],
            1,
        );
    }
    let time = match parsed.value("time").unwrap_or("latest") {
        "latest" => -1,
        "earliest" => -2,
        "max-timestamp" => -3,
        "earliest-local" => -4,
        "latest-tiered" => -5,
        other => match other.parse::<i64>() {
            Ok(t) if t >= -5 => t,
            _ => {
                return Started::Done(
                    vec![err(format!(
                        "Error occurred: Malformed time argument {other}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp"
                    ))],
                    1,
                )
            }
        },
    };
    if time < -3 {
        return Started::Done(
            vec![err("This playground's logs are not tiered: -4 (earliest-local) and -5 (latest-tiered) are the same as -2 and -1 here; use those.")],
            1,
        );
    }
    let partitions = match parsed.value("partitions") {
        None => None,
        Some(list) => match list
            .split(',')
            .map(|p| p.trim().parse::<i32>())
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(ids) => Some(ids),
            Err(_) => {
                return Started::Done(
                    vec![err(format!("Error occurred: --partitions expects a comma separated list of numeric partition ids, but received: {list}"))],
                    1,
                )
            }
        },
    };
    let tool = GetOffsets {
        pattern: parsed.value("topic").map(str::to_owned),
        partitions,
        exclude_internal: parsed.has("exclude-internal-topics"),
        time,
        queue: Vec::new(),
        asking: None,
        lines: Vec::new(),
    };
    Started::Request(
        Vec::new(),
        Command::DescribeTopics { topics: Vec::new() },
        Box::new(tool),
    )
}

impl GetOffsets {
    fn chosen(&self, topics: &[TopicDescription]) -> Vec<(String, i32)> {
        let mut chosen: Vec<(String, i32)> = topics
            .iter()
            .filter(|t| !(self.exclude_internal && t.internal))
            .filter(|t| {
                self.pattern
                    .as_deref()
                    .is_none_or(|p| regex_matches(p, &t.name))
            })
            .flat_map(|t| {
                t.partitions
                    .iter()
                    .filter(|p| {
                        self.partitions
                            .as_ref()
                            .is_none_or(|ids| ids.contains(&p.partition))
                    })
                    .map(|p| (t.name.clone(), p.partition))
            })
            .collect();
        chosen.sort();
        chosen
    }

    fn ask_next(&mut self) -> Next {
        if self.queue.is_empty() {
            let lines = std::mem::take(&mut self.lines)
                .into_iter()
                .map(out_line)
                .collect();
            return Next::Done(lines, 0, None);
        }
        let (topic, partition) = self.queue.remove(0);
        self.asking = Some((topic.clone(), partition));
        Next::Send(Command::ListOffsets {
            topic,
            partition,
            timestamp: self.time,
        })
    }
}

impl Tool for GetOffsets {
    fn on_reply(&mut self, result: Result<Reply, CommandError>) -> Next {
        match result {
            Ok(Reply::TopicsDescribed { topics }) => {
                self.queue = self.chosen(&topics);
                if self.queue.is_empty() {
                    return Next::Done(
                        vec![err("Error occurred: Could not match any topic-partitions with the specified filters")],
                        1,
                        None,
                    );
                }
                self.ask_next()
            }
            Ok(Reply::ListedOffset { offset }) => {
                if let Some((topic, partition)) = self.asking.take() {
                    // GetOffsetShell prints nothing after the second colon
                    // when there is no such offset.
                    let offset = offset.map(|o| o.to_string()).unwrap_or_default();
                    self.lines.push(format!("{topic}:{partition}:{offset}"));
                }
                self.ask_next()
            }
            Ok(other) => Next::Done(vec![err(format!("unexpected answer: {other:?}"))], 1, None),
            Err(e) => Next::Done(vec![err(format!("Error occurred: {}", e.message))], 1, None),
        }
    }
}
