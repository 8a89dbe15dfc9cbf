//! `kafka-console-producer` and `kafka-console-consumer`: lines typed into
//! the terminal become records; a topic's records are printed as Kafka's
//! `DefaultMessageFormatter` prints them.

use port::{Command, CommandError, ErrorCode, NewRecord, RecordModel, Reply};

use crate::args::{OptionSpec, Parsed};
use crate::topics::{exception_of, unreachable};
use crate::{err, log, out_line, Effect, Endpoints, Started, Status};

/// The options of `kafka-console-producer` this console knows.
pub const PRODUCER_OPTIONS: &[OptionSpec] = &[
    OptionSpec { name: "batch-size", argument: Some("Integer: size"), description: "Number of messages to send in a single batch if they are not being sent synchronously. please note that this option will be replaced if max-partition-memory-bytes is also set (default: 16384)" },
    OptionSpec { name: "bootstrap-server", argument: Some("String: server to connect to"), description: "REQUIRED unless --broker-list (deprecated) is specified. The server(s) to connect to. The broker list string in the form HOST1:PORT1,HOST2:PORT2." },
    OptionSpec { name: "compression-codec", argument: Some("[String: compression-codec]"), description: "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'. If specified without value, then it defaults to 'gzip'" },
    OptionSpec { name: "help", argument: None, description: "Print usage information." },
    OptionSpec { name: "producer-property", argument: Some("String: producer_prop"), description: "A mechanism to pass user-defined properties in the form key=value to the producer." },
    OptionSpec { name: "property", argument: Some("String: prop"), description: "A mechanism to pass user-defined properties in the form key=value to the message reader. This allows custom configuration for a user-defined message reader.\nDefault properties include:\n parse.key=false\n parse.headers=false\n ignore.error=false\n key.separator=\\t\n headers.delimiter=\\t\n headers.separator=,\n headers.key.separator=:\n null.marker=   When set, any fields (key, value and headers) equal to this will be replaced by null\nDefault parsing pattern when:\n parse.headers=true and parse.key=true:\n  \"h1:v1,h2:v2...\\tkey\\tvalue\"\n parse.key=true:\n  \"key\\tvalue\"\n parse.headers=true:\n  \"h1:v1,h2:v2...\\tvalue\"" },
    OptionSpec { name: "request-required-acks", argument: Some("String: request required acks"), description: "The required `acks` of the producer requests (default: -1)" },
    OptionSpec { name: "sync", argument: None, description: "If set message send requests to the brokers are synchronously, one at a time as they arrive." },
    OptionSpec { name: "topic", argument: Some("String: topic"), description: "REQUIRED: The topic id to produce messages to." },
    OptionSpec { name: "version", argument: None, description: "Display Kafka version." },
];

/// The options of `kafka-console-consumer` this console knows.
pub const CONSUMER_OPTIONS: &[OptionSpec] = &[
    OptionSpec { name: "bootstrap-server", argument: Some("String: server to connect to"), description: "REQUIRED: The server(s) to connect to." },
    OptionSpec { name: "consumer-property", argument: Some("String: consumer_prop"), description: "A mechanism to pass user-defined properties in the form key=value to the consumer." },
    OptionSpec { name: "formatter", argument: Some("String: class"), description: "The name of a class to use for formatting Kafka messages for display. (default: org.apache.kafka.tools.consumer.DefaultMessageFormatter)" },
    OptionSpec { name: "from-beginning", argument: None, description: "If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message." },
    OptionSpec { name: "group", argument: Some("String: consumer group id"), description: "The consumer group id of the consumer." },
    OptionSpec { name: "help", argument: None, description: "Print usage information." },
    OptionSpec { name: "max-messages", argument: Some("Integer: num_messages"), description: "The maximum number of messages to consume before exiting. If not set, consumption is continual." },
    OptionSpec { name: "offset", argument: Some("String: consume offset"), description: "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end (default: latest)" },
    OptionSpec { name: "partition", argument: Some("Integer: partition"), description: "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified." },
    OptionSpec { name: "property", argument: Some("String: prop"), description: "The properties to initialize the message formatter. Default properties include:\n print.timestamp=true|false\n print.key=true|false\n print.offset=true|false\n print.partition=true|false\n print.headers=true|false\n print.value=true|false\n key.separator=<key.separator>\n line.separator=<line.separator>\n headers.separator=<line.separator>\n null.literal=<null.literal>" },
    OptionSpec { name: "skip-message-on-error", argument: None, description: "If there is an error when processing a message, skip it instead of halt." },
    OptionSpec { name: "timeout-ms", argument: Some("Integer: timeout_ms"), description: "If specified, exit if no message is available for consumption for the specified interval." },
    OptionSpec { name: "topic", argument: Some("String: topic"), description: "The topic to consume on." },
    OptionSpec { name: "version", argument: None, description: "Display Kafka version." },
];

/// `key=value` properties given with `--property`.
fn properties(parsed: &Parsed, option: &str) -> Result<Vec<(String, String)>, String> {
    parsed
        .values(option)
        .into_iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), unescape(v)))
                .ok_or_else(|| format!("Invalid property: {p} (expected key=value)"))
        })
        .collect()
}

/// `\t`, `\n` and `\\` in a property value, as Kafka's tools read them.
fn unescape(value: &str) -> String {
    value
        .replace("\\t", "\t")
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
}

fn flag(props: &[(String, String)], key: &str, default: bool) -> bool {
    props
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map_or(default, |(_, v)| v.trim().eq_ignore_ascii_case("true"))
}

fn prop<'a>(props: &'a [(String, String)], key: &str, default: &'a str) -> &'a str {
    props
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map_or(default, |(_, v)| v.as_str())
}

const PRODUCER_ABOUT: &str =
    "This tool helps to read data from standard input and publish it to Kafka.";
const CONSUMER_ABOUT: &str =
    "This tool helps to read data from Kafka topics and outputs it to standard output.";

/// The console producer: each line typed is a record.
#[derive(Debug)]
pub struct ProducerJob {
    topic: String,
    parse_key: bool,
    key_separator: String,
    /// `parse.headers`: `h1:v1,h2:v2` before `headers.delimiter`.
    parse_headers: bool,
    headers_delimiter: String,
    headers_separator: String,
    headers_key_separator: String,
    null_marker: Option<String>,
    ignore_error: bool,
    /// Lines read so far (for the error that names a line).
    lines: u64,
    /// Sends not yet acknowledged, by request id.
    pending: Vec<u64>,
    ended: bool,
    status: Status,
}

/// Starts `kafka-console-producer`.
pub(crate) fn start_producer(words: &[String], endpoints: &Endpoints) -> Started {
    let parsed = match crate::preamble(words, PRODUCER_OPTIONS, PRODUCER_ABOUT) {
        Ok(parsed) => parsed,
        Err(answer) => return *answer,
    };
    let Some(topic) = parsed.value("topic") else {
        return crate::usage_error("Missing required argument \"[topic]\"", PRODUCER_OPTIONS);
    };
    let Some(server) = parsed.value("bootstrap-server") else {
        return crate::usage_error(
            "Missing required argument \"[bootstrap-server]\"",
            PRODUCER_OPTIONS,
        );
    };
    if let Some(refused) = unreachable(server, endpoints) {
        return refused;
    }
    let props = match properties(&parsed, "property") {
        Ok(props) => props,
        Err(reason) => return crate::usage_error(&reason, PRODUCER_OPTIONS),
    };
    Started::Producer(Box::new(ProducerJob {
        topic: topic.to_owned(),
        parse_key: flag(&props, "parse.key", false),
        key_separator: prop(&props, "key.separator", "\t").to_owned(),
        parse_headers: flag(&props, "parse.headers", false),
        headers_delimiter: prop(&props, "headers.delimiter", "\t").to_owned(),
        headers_separator: prop(&props, "headers.separator", ",").to_owned(),
        headers_key_separator: prop(&props, "headers.key.separator", ":").to_owned(),
        null_marker: props
            .iter()
            .rev()
            .find(|(k, _)| k == "null.marker")
            .map(|(_, v)| v.clone()),
        ignore_error: flag(&props, "ignore.error", false),
        lines: 0,
        pending: Vec::new(),
        ended: false,
        status: 0,
    }))
}

impl ProducerJob {
    /// A line typed: sends it as a record (the next request id is
    /// `next_id + 1`).
    pub(crate) fn line(&mut self, line: &str, next_id: &mut u64) -> Vec<Effect> {
        if self.ended {
            return Vec::new();
        }
        self.lines += 1;
        // LineMessageReader: headers, then the key, then the value; a
        // missing delimiter throws and the producer exits.
        let fail = |this: &mut Self, what: String| {
            this.ended = true;
            this.status = 1;
            vec![err(format!(
                "org.apache.kafka.common.KafkaException: {what}"
            ))]
        };
        let mut rest = line;
        let mut headers = Vec::new();
        if self.parse_headers {
            match line.split_once(self.headers_delimiter.as_str()) {
                Some((text, after)) => {
                    rest = after;
                    for pair in text
                        .split(self.headers_separator.as_str())
                        .filter(|p| !p.is_empty())
                    {
                        let Some((k, v)) = pair.split_once(self.headers_key_separator.as_str())
                        else {
                            let what = format!(
                                "No header key separator found in pair '{pair}' on line number {}",
                                self.lines
                            );
                            return fail(self, what);
                        };
                        // A null header value is sent empty (the port's
                        // headers are text).
                        let v = if self.null_marker.as_deref() == Some(v) {
                            ""
                        } else {
                            v
                        };
                        headers.push((k.to_owned(), v.to_owned()));
                    }
                }
                None if self.ignore_error => {}
                None => {
                    let what = format!(
                        "No headers delimiter found on line number {}: '{line}'",
                        self.lines
                    );
                    return fail(self, what);
                }
            }
        }
        let line = rest;
        let (key, value) = if self.parse_key {
            match line.split_once(self.key_separator.as_str()) {
                Some((key, value)) => (Some(key.to_owned()), value.to_owned()),
                None if self.ignore_error => (None, line.to_owned()),
                None => {
                    // LineMessageReader throws; the producer exits.
                    self.ended = true;
                    self.status = 1;
                    return vec![err(format!(
                        "org.apache.kafka.common.KafkaException: No key separator found on line number {}: '{line}'",
                        self.lines
                    ))];
                }
            }
        } else {
            (None, line.to_owned())
        };
        let null = |s: String| match &self.null_marker {
            Some(marker) if *marker == s => None,
            _ => Some(s),
        };
        *next_id += 1;
        self.pending.push(*next_id);
        vec![Effect::Send(
            *next_id,
            Command::Produce {
                topic: self.topic.clone(),
                partition: None,
                records: vec![NewRecord {
                    key: key.and_then(null),
                    value: null(value),
                    headers,
                }],
            },
        )]
    }

    /// A send's acknowledgement: an error is logged as the producer's
    /// `ErrorLoggingCallback` logs it, and the producer goes on.
    pub(crate) fn on_reply(&mut self, id: u64, result: Result<Reply, CommandError>) -> Vec<Effect> {
        let Some(at) = self.pending.iter().position(|p| *p == id) else {
            return Vec::new();
        };
        self.pending.remove(at);
        match result {
            Ok(_) => Vec::new(),
            Err(e) => {
                let exception = match &e.code {
                    ErrorCode::Kafka(code) => exception_of(code),
                    _ => "org.apache.kafka.common.KafkaException".to_owned(),
                };
                vec![log(
                    "ERROR",
                    &format!(
                        "Error when sending message to topic {} with key: null, value: ? bytes with error:\n{exception}: {}\n",
                        self.topic, e.message
                    ),
                    "org.apache.kafka.clients.producer.internals.ErrorLoggingCallback",
                )]
            }
        }
    }

    /// Ctrl-D: no more lines.
    pub(crate) fn end(&mut self) {
        self.ended = true;
    }

    /// Input ended and every send was answered.
    pub(crate) fn finished(&self) -> bool {
        self.ended && self.pending.is_empty()
    }

    pub(crate) fn status(&self) -> Status {
        self.status
    }
}

/// Where the console consumer starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartAt {
    Earliest,
    Latest,
    Offset(i64),
}

/// How records are printed (`DefaultMessageFormatter`'s properties).
#[derive(Debug, Clone)]
struct Format {
    timestamp: bool,
    key: bool,
    value: bool,
    offset: bool,
    partition: bool,
    headers: bool,
    key_separator: String,
    headers_separator: String,
    null_literal: String,
}

/// The console consumer: finds the topic's partitions, then fetches each
/// in turn and prints what it reads, waiting a little when nothing is new.
#[derive(Debug)]
pub struct ConsumerJob {
    topic: String,
    /// The group it subscribes in (and whether `--group` named it), or
    /// none with `--partition` (assigned, no group).
    group: Option<(String, bool)>,
    from_beginning: bool,
    /// `--consumer-property`.
    consumer_props: Vec<(String, String)>,
    /// The simulated consumer that is this console consumer, once added.
    member: Option<u32>,
    only_partition: Option<i32>,
    start: StartAt,
    format: Format,
    max_messages: Option<u64>,
    timeout_ms: Option<u64>,
    /// Each partition's next offset, once known.
    positions: Vec<(i32, i64)>,
    /// The partition fetched next.
    turn: usize,
    /// Records read since the last wait.
    read_this_round: u64,
    /// Partitions fetched since the last wait.
    fetched_this_round: usize,
    printed: u64,
    /// Time without a record.
    idle_ms: u64,
    /// The request in flight.
    waiting: Option<u64>,
    warned: bool,
}

/// How long the consumer waits when nothing is new: `fetch.max.wait.ms`,
/// 500 ms by default. Each poll of a group member is a command the local
/// engine keeps in its scenario journal, so an idle consumer polls twice a
/// second, not more.
const POLL_WAIT_MS: u32 = 500;

/// Records fetched per request.
const FETCH_RECORDS: u32 = 200;

/// Starts `kafka-console-consumer`.
pub(crate) fn start_consumer(words: &[String], endpoints: &Endpoints, id: u64) -> Started {
    let parsed = match crate::preamble(words, CONSUMER_OPTIONS, CONSUMER_ABOUT) {
        Ok(parsed) => parsed,
        Err(answer) => return *answer,
    };
    let Some(server) = parsed.value("bootstrap-server") else {
        return crate::usage_error(
            "Missing required argument \"[bootstrap-server]\"",
            CONSUMER_OPTIONS,
        );
    };
    let Some(topic) = parsed.value("topic") else {
        return crate::usage_error(
            "Exactly one of whitelist/topic is required.",
            CONSUMER_OPTIONS,
        );
    };
    if let Some(refused) = unreachable(server, endpoints) {
        return refused;
    }
    let props = match properties(&parsed, "property") {
        Ok(props) => props,
        Err(reason) => return crate::usage_error(&reason, CONSUMER_OPTIONS),
    };
    let consumer_props = match properties(&parsed, "consumer-property") {
        Ok(props) => props,
        Err(reason) => return crate::usage_error(&reason, CONSUMER_OPTIONS),
    };
    let only_partition = match parsed.value("partition").map(str::parse::<i32>) {
        None => None,
        Some(Ok(p)) if p >= 0 => Some(p),
        Some(_) => {
            return crate::usage_error(
                &format!(
                    "Cannot parse argument '{}' of option partition",
                    parsed.value("partition").unwrap_or_default()
                ),
                CONSUMER_OPTIONS,
            )
        }
    };
    let from_beginning = parsed.has("from-beginning");
    let start = match parsed.value("offset") {
        None if from_beginning => StartAt::Earliest,
        None => StartAt::Latest,
        Some(_) if only_partition.is_none() => {
            return crate::usage_error("The partition is required when offset is specified.", CONSUMER_OPTIONS)
        }
        Some(_) if from_beginning => {
            return crate::usage_error("Options from-beginning and offset cannot be specified together.", CONSUMER_OPTIONS)
        }
        Some("earliest") => StartAt::Earliest,
        Some("latest") => StartAt::Latest,
        Some(n) => match n.parse::<i64>() {
            Ok(n) if n >= 0 => StartAt::Offset(n),
            _ => {
                return crate::usage_error(&format!("The provided offset value '{n}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."), CONSUMER_OPTIONS)
            }
        },
    };
    let number = |name: &str| -> Result<Option<u64>, String> {
        match parsed.value(name).map(str::parse::<u64>) {
            None => Ok(None),
            Some(Ok(n)) => Ok(Some(n)),
            Some(Err(_)) => Err(format!(
                "Cannot parse argument '{}' of option {name}",
                parsed.value(name).unwrap_or_default()
            )),
        }
    };
    let (max_messages, timeout_ms) = match (number("max-messages"), number("timeout-ms")) {
        (Ok(max), Ok(timeout)) => (max, timeout),
        (Err(reason), _) | (_, Err(reason)) => {
            return crate::usage_error(&reason, CONSUMER_OPTIONS)
        }
    };
    // Without --partition the consumer subscribes in a group, as Kafka's
    // does: --group, or `console-consumer-<random>` without auto commit.
    let group = only_partition
        .is_none()
        .then(|| match parsed.value("group") {
            Some(group) => (group.to_owned(), true),
            None => (
                format!("console-consumer-{}", pseudo_random(id) % 100_000),
                false,
            ),
        });
    let job = ConsumerJob {
        topic: topic.to_owned(),
        group,
        from_beginning,
        consumer_props,
        member: None,
        only_partition,
        start,
        format: Format {
            timestamp: flag(&props, "print.timestamp", false),
            key: flag(&props, "print.key", false),
            value: flag(&props, "print.value", true),
            offset: flag(&props, "print.offset", false),
            partition: flag(&props, "print.partition", false),
            headers: flag(&props, "print.headers", false),
            key_separator: prop(&props, "key.separator", "\t").to_owned(),
            headers_separator: prop(&props, "headers.separator", ",").to_owned(),
            null_literal: prop(&props, "null.literal", "null").to_owned(),
        },
        max_messages,
        timeout_ms,
        positions: Vec::new(),
        turn: 0,
        read_this_round: 0,
        fetched_this_round: 0,
        printed: 0,
        idle_ms: 0,
        waiting: Some(id),
        warned: false,
    };
    let first = Effect::Send(
        id,
        Command::DescribeTopics {
            topics: vec![topic.to_owned()],
        },
    );
    if max_messages == Some(0) {
        return Started::Done(job.summary(), 0);
    }
    Started::Consumer(Box::new(job), vec![first])
}

impl ConsumerJob {
    /// `Processed a total of N messages`, as the consumer prints when it
    /// stops.
    pub(crate) fn summary(&self) -> Vec<Effect> {
        vec![err(format!(
            "Processed a total of {} messages",
            self.printed
        ))]
    }

    /// What stopping sends: `close()` of its group member (it leaves the
    /// group, committing first if auto commit is on), if it has one.
    pub(crate) fn close(&self, next_id: &mut u64) -> Vec<Effect> {
        let Some(consumer) = self.member else {
            return Vec::new();
        };
        *next_id += 1;
        vec![Effect::Send(
            *next_id,
            Command::Consumer {
                consumer,
                action: port::ConsumerAction::Close,
            },
        )]
    }

    /// Stops: the count, and the member's `close()`.
    fn stop(&self, next_id: &mut u64, mut out: Vec<Effect>) -> Vec<Effect> {
        out.extend(self.summary());
        out.extend(self.close(next_id));
        out
    }

    /// Subscribes: a Java consumer in the group, as `ConsoleConsumer`
    /// configures it.
    fn subscribe(&mut self, next_id: &mut u64) -> Vec<Effect> {
        let Some((group, named)) = &self.group else {
            return Vec::new();
        };
        let mut configs = vec![
            ("group.id".to_owned(), group.clone()),
            ("client.id".to_owned(), "console-consumer".to_owned()),
            (
                "auto.offset.reset".to_owned(),
                if self.from_beginning {
                    "earliest"
                } else {
                    "latest"
                }
                .to_owned(),
            ),
        ];
        if !named {
            configs.push(("enable.auto.commit".to_owned(), "false".to_owned()));
        }
        configs.extend(self.consumer_props.iter().cloned());
        *next_id += 1;
        self.waiting = Some(*next_id);
        vec![Effect::Send(
            *next_id,
            Command::AddConsumer {
                client: port::ClientFlavour::Java,
                configs,
                topics: vec![self.topic.clone()],
            },
        )]
    }

    fn poll(&mut self, next_id: &mut u64) -> Vec<Effect> {
        let Some(consumer) = self.member else {
            return Vec::new();
        };
        *next_id += 1;
        self.waiting = Some(*next_id);
        vec![Effect::Send(
            *next_id,
            Command::PollRecords {
                consumer,
                max_records: FETCH_RECORDS,
            },
        )]
    }

    /// A reply: the topic's partitions, or a fetch's records. Returns the
    /// effects and, when the consumer stops, its exit status.
    pub(crate) fn on_reply(
        &mut self,
        id: u64,
        result: Result<Reply, CommandError>,
        next_id: &mut u64,
    ) -> (Vec<Effect>, Option<Status>) {
        if self.waiting != Some(id) {
            return (Vec::new(), None);
        }
        self.waiting = None;
        match result {
            Ok(Reply::TopicsDescribed { topics }) => {
                let Some(topic) = topics.into_iter().next() else {
                    return (Vec::new(), None);
                };
                if let Some(p) = self.only_partition {
                    if !topic.partitions.iter().any(|x| x.partition == p) {
                        return (
                            vec![terminating(&format!(
                                "java.lang.IllegalArgumentException: Partition {p} does not exist in topic {}",
                                self.topic
                            ))]
                            .into_iter()
                            .chain(self.summary())
                            .collect(),
                            Some(1),
                        );
                    }
                }
                if self.group.is_some() {
                    return (self.subscribe(next_id), None);
                }
                self.positions = topic
                    .partitions
                    .iter()
                    .filter(|p| self.only_partition.is_none_or(|only| only == p.partition))
                    .map(|p| {
                        let at = match self.start {
                            StartAt::Earliest => p.log_start_offset,
                            StartAt::Latest => p.high_watermark,
                            StartAt::Offset(n) => n,
                        };
                        (p.partition, at)
                    })
                    .collect();
                (self.fetch_next(next_id), None)
            }
            Ok(Reply::Fetched(window)) => {
                let mut out = Vec::new();
                if let Some(position) = self
                    .positions
                    .iter_mut()
                    .find(|(p, _)| *p == window.partition)
                {
                    let mut next = position.1.max(window.log_start_offset);
                    for record in &window.records {
                        out.push(out_line(self.format.line(window.partition, record)));
                        self.printed += 1;
                        self.read_this_round += 1;
                        next = record.offset + 1;
                        if self.max_messages.is_some_and(|max| self.printed >= max) {
                            return (self.stop(next_id, out), Some(0));
                        }
                    }
                    position.1 = next;
                }
                if !window.records.is_empty() {
                    self.idle_ms = 0;
                }
                out.extend(self.fetch_next(next_id));
                (out, None)
            }
            Ok(Reply::ConsumerAdded { consumer }) => {
                self.member = Some(consumer);
                (self.poll(next_id), None)
            }
            Ok(Reply::PolledRecords { records }) => {
                let mut out = Vec::new();
                for (_, partition, record) in &records {
                    out.push(out_line(self.format.line(*partition, record)));
                    self.printed += 1;
                    if self.max_messages.is_some_and(|max| self.printed >= max) {
                        return (self.stop(next_id, out), Some(0));
                    }
                }
                if records.is_empty() {
                    out.push(Effect::Wake(POLL_WAIT_MS));
                } else {
                    self.idle_ms = 0;
                    out.extend(self.poll(next_id));
                }
                (out, None)
            }
            Err(e) if e.code == ErrorCode::Kafka("UNKNOWN_TOPIC_OR_PARTITION".into()) => {
                // The topic may be created later: warn once, look again.
                let mut out = Vec::new();
                if !self.warned {
                    self.warned = true;
                    out.push(log(
                        "WARN",
                        &format!(
                            "[Consumer clientId=console-consumer, groupId=console-consumer] Error while fetching metadata with correlation id 2 : {{{}=UNKNOWN_TOPIC_OR_PARTITION}}",
                            self.topic
                        ),
                        "org.apache.kafka.clients.NetworkClient",
                    ));
                }
                out.push(Effect::Wake(1_000));
                (out, None)
            }
            Err(e) => (self.stop(next_id, vec![terminating(&e.message)]), Some(1)),
            Ok(_) => (Vec::new(), None),
        }
    }

    /// The next fetch in turn, or a wait when a whole round read nothing.
    fn fetch_next(&mut self, next_id: &mut u64) -> Vec<Effect> {
        if self.positions.is_empty() {
            return vec![Effect::Wake(POLL_WAIT_MS)];
        }
        if self.fetched_this_round >= self.positions.len() {
            let quiet = self.read_this_round == 0;
            self.fetched_this_round = 0;
            self.read_this_round = 0;
            if quiet {
                return vec![Effect::Wake(POLL_WAIT_MS)];
            }
        }
        let (partition, offset) = self.positions[self.turn % self.positions.len()];
        self.turn = (self.turn + 1) % self.positions.len();
        self.fetched_this_round += 1;
        *next_id += 1;
        self.waiting = Some(*next_id);
        vec![Effect::Send(
            *next_id,
            Command::Fetch {
                topic: self.topic.clone(),
                partition,
                offset,
                max_records: FETCH_RECORDS,
            },
        )]
    }

    /// The wait ended: look again (or stop at `--timeout-ms`).
    pub(crate) fn on_wake(
        &mut self,
        elapsed_ms: u32,
        next_id: &mut u64,
    ) -> (Vec<Effect>, Option<Status>) {
        if self.waiting.is_some() {
            return (Vec::new(), None);
        }
        self.idle_ms += u64::from(elapsed_ms);
        if self.timeout_ms.is_some_and(|t| self.idle_ms >= t) {
            let out = vec![terminating(
                "org.apache.kafka.common.errors.TimeoutException",
            )];
            return (self.stop(next_id, out), Some(0));
        }
        if self.member.is_some() {
            return (self.poll(next_id), None);
        }
        if self.positions.is_empty() {
            *next_id += 1;
            self.waiting = Some(*next_id);
            return (
                vec![Effect::Send(
                    *next_id,
                    Command::DescribeTopics {
                        topics: vec![self.topic.clone()],
                    },
                )],
                None,
            );
        }
        (self.fetch_next(next_id), None)
    }
}

/// A number that looks random, from `seed` (the console consumer's group
/// suffix; Kafka's is `new Random().nextInt(100000)`).
fn pseudo_random(seed: u64) -> u64 {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^ (x >> 33)
}

/// What `ConsoleConsumer.process` logs when it stops on an error.
fn terminating(trace: &str) -> Effect {
    log(
        "ERROR",
        &format!("Error processing message, terminating consumer process: \n{trace}\n"),
        "org.apache.kafka.tools.consumer.ConsoleConsumer",
    )
}

impl Format {
    /// One record as `DefaultMessageFormatter` writes it.
    fn line(&self, partition: i32, r: &RecordModel) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.timestamp {
            parts.push(format!("CreateTime:{}", r.timestamp));
        }
        if self.partition {
            parts.push(format!("Partition:{partition}"));
        }
        if self.offset {
            parts.push(format!("Offset:{}", r.offset));
        }
        if self.headers {
            parts.push(if r.headers.is_empty() {
                "NO_HEADERS".to_owned()
            } else {
                r.headers
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", v.text))
                    .collect::<Vec<_>>()
                    .join(&self.headers_separator)
            });
        }
        // The port carries at most Text::MAX_CHARS of a key or value; a
        // longer one ends in an ellipsis and its length in bytes.
        let text = |t: &Option<port::Text>| {
            t.as_ref().map_or(self.null_literal.clone(), |t| {
                if t.cut {
                    format!("{}… ({} bytes)", t.text, t.bytes)
                } else {
                    t.text.clone()
                }
            })
        };
        if self.key {
            parts.push(text(&r.key));
        }
        if self.value {
            parts.push(text(&r.value));
        }
        parts.join(&self.key_separator)
    }
}
