//! `kafka-topics`: Kafka's `TopicCommand` (Kafka 4), its options, output
//! and errors. `--topic` is a regular expression for everything but
//! `--create`, as in Kafka.

use port::{Command, CommandError, ErrorCode, PartitionModel, Reply, TopicDescription};

use crate::args::{self, OptionSpec};
use crate::{err, log, note, out_line, thrown, Effect, Endpoints, Next, Started, Tool};

/// The options of `kafka-topics` (Kafka 4.0's `TopicCommandOptions`; its
/// `--help` prints [`HELP`], the table joptsimple renders for them).
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec { name: "alter", argument: None, description: "Alter the number of partitions and replica assignment. (To alter topic configurations, the kafka-configs tool can be used.)" },
    OptionSpec { name: "at-min-isr-partitions", argument: None, description: "If set when describing topics, only show partitions whose isr count is equal to the configured minimum." },
    OptionSpec { name: "bootstrap-server", argument: Some("String: server to connect to"), description: "REQUIRED: The Kafka server to connect to." },
    OptionSpec { name: "command-config", argument: Some("String: command config property file"), description: "Property file containing configs to be passed to Admin Client." },
    OptionSpec { name: "config", argument: Some("String: name=value"), description: "A topic configuration override for the topic being created." },
    OptionSpec { name: "create", argument: None, description: "Create a new topic." },
    OptionSpec { name: "delete", argument: None, description: "Delete a topic." },
    OptionSpec { name: "delete-config", argument: Some("String: name"), description: "This option is no longer supported and has been deprecated since 4.0" },
    OptionSpec { name: "describe", argument: None, description: "List details for the given topics." },
    OptionSpec { name: "exclude-internal", argument: None, description: "Exclude internal topics when listing or describing topics. By default, the internal topics are included." },
    OptionSpec { name: "help", argument: None, description: "Print usage information." },
    OptionSpec { name: "if-exists", argument: None, description: "If set when altering or deleting or describing topics, the action will only execute if the topic exists." },
    OptionSpec { name: "if-not-exists", argument: None, description: "If set when creating topics, the action will only execute if the topic does not already exist." },
    OptionSpec { name: "list", argument: None, description: "List all available topics." },
    OptionSpec { name: "partition-size-limit-per-response", argument: Some("Integer: maximum number of partitions per response"), description: "The maximum partition size to be included in one DescribeTopicPartitions response." },
    OptionSpec { name: "partitions", argument: Some("Integer: # of partitions"), description: "The number of partitions for the topic being created or altered." },
    OptionSpec { name: "replica-assignment", argument: Some("String: broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ..."), description: "A list of manual partition-to-broker assignments for the topic being created or altered." },
    OptionSpec { name: "replication-factor", argument: Some("Integer: replication factor"), description: "The replication factor for each partition in the topic being created. If not supplied, the topic uses the cluster default." },
    OptionSpec { name: "topic", argument: Some("String: topic"), description: "The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option." },
    OptionSpec { name: "topic-id", argument: Some("String: topic-id"), description: "The topic-id to describe." },
    OptionSpec { name: "topics-with-overrides", argument: None, description: "If set when describing topics, only show topics that have overridden configs." },
    OptionSpec { name: "unavailable-partitions", argument: None, description: "If set when describing topics, only show partitions whose leader is not available." },
    OptionSpec { name: "under-min-isr-partitions", argument: None, description: "If set when describing topics, only show partitions whose isr count is less than the configured minimum." },
    OptionSpec { name: "under-replicated-partitions", argument: None, description: "If set when describing topics, only show under-replicated partitions." },
    OptionSpec { name: "version", argument: None, description: "Display Kafka version." },
];

/// `kafka-topics --help` as Kafka 4.0 prints it (jopt-simple 5.0.4's
/// table of the options above, trailing blanks trimmed).
const HELP: &str = include_str!("../help/kafka-topics.txt");

/// Kafka's version, for `--version`.
pub const KAFKA_VERSION: &str = "4.0.0";

/// `kafka-topics` while it waits for the engine.
#[derive(Debug)]
pub struct Then {
    action: Action,
    /// `--topic` as given.
    topic: Option<String>,
    /// `--topic` as the regular expression Kafka's `TopicFilter` makes of
    /// it (trimmed, `,` as `|`, blanks and surrounding quotes removed).
    pattern: Option<String>,
    if_exists: bool,
    if_not_exists: bool,
    exclude_internal: bool,
    under_replicated: bool,
    unavailable: bool,
    under_min_isr: bool,
    at_min_isr: bool,
    with_overrides: bool,
    /// `--alter --partitions N`.
    partitions: Option<i32>,
    /// The topics the first step found, for a second step over each.
    queue: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    List,
    Describe,
    /// Listing first, then deleting each match.
    Delete,
    /// Listing first, then growing each match.
    Alter,
}

/// Starts `kafka-topics` with `words` (its arguments), checking them in
/// the order Kafka's `checkArgs` does.
pub(crate) fn start(words: &[String], endpoints: &Endpoints) -> Started {
    let parsed = match args::parse(words, OPTIONS) {
        Ok(parsed) => parsed,
        Err(e) => {
            let mut lines = thrown(&e.to_string(), e.exception());
            if matches!(&e, args::OptionError::Unrecognized(name) if name == "zookeeper") {
                lines.push(note(
                    "Kafka 4 has no ZooKeeper: the cluster keeps its metadata in KRaft controllers, and the tools reach it through a broker. Use --bootstrap-server localhost:9092.",
                ));
            }
            return Started::Done(lines, 1);
        }
    };
    if words.is_empty() {
        return usage_error("Create, delete, describe, or change a topic.");
    }
    if parsed.has("help") {
        return usage_error(HELP.lines().next().unwrap_or_default());
    }
    if parsed.has("version") {
        return Started::Done(vec![out_line(KAFKA_VERSION)], 0);
    }
    let actions: Vec<Action> = [
        ("create", Action::Create),
        ("list", Action::List),
        ("describe", Action::Describe),
        ("delete", Action::Delete),
        ("alter", Action::Alter),
    ]
    .into_iter()
    .filter(|(name, _)| parsed.has(name))
    .map(|(_, action)| action)
    .collect();
    let [action] = actions[..] else {
        return usage_error(
            "Command must include exactly one action: --list, --describe, --create, --alter or --delete",
        );
    };
    let mut notes = Vec::new();
    if parsed.has("delete-config") {
        notes.push(err("delete-config option is no longer supported and deprecated since version 4.0. The config will be fully removed in future releases."));
    }
    let Some(server) = parsed.value("bootstrap-server") else {
        notes.extend(thrown(
            "--bootstrap-server must be specified",
            "java.lang.IllegalArgumentException",
        ));
        return Started::Done(notes, 1);
    };
    if let Some(refused) = unreachable(server, endpoints) {
        return refused;
    }
    let topic = parsed.value("topic").map(str::to_owned);
    if action == Action::Describe && parsed.has("if-exists") && topic.is_none() {
        return usage_error("--topic or --topic-id is required to describe a topic");
    }
    if !matches!(action, Action::List | Action::Describe) && topic.is_none() {
        return usage_error("Missing required argument \"[topic]\"");
    }
    if action == Action::Alter && !parsed.has("partitions") {
        return usage_error("Missing required argument \"[partitions]\"");
    }
    for (option, only) in [
        ("if-not-exists", &[Action::Create][..]),
        (
            "if-exists",
            &[Action::Alter, Action::Delete, Action::Describe][..],
        ),
        ("config", &[Action::Create][..]),
        ("replication-factor", &[Action::Create][..]),
        ("partitions", &[Action::Create, Action::Alter][..]),
    ] {
        if parsed.has(option) && !only.contains(&action) {
            let name = match action {
                Action::Create => "create",
                Action::List => "list",
                Action::Describe => "describe",
                Action::Delete => "delete",
                Action::Alter => "alter",
            };
            return usage_error(&format!(
                "Option \"[{option}]\" can't be used with option \"[{name}]\""
            ));
        }
    }
    if parsed.has("replica-assignment") {
        notes.push(note(
            "--replica-assignment is not in this playground: the controller places replicas.",
        ));
        return Started::Done(notes, 1);
    }
    let number = |name: &str| parsed.value(name).map(|v| (v, v.parse::<i64>()));
    let partitions = match number("partitions") {
        None => None,
        Some((_, Ok(n))) if n >= 1 && n <= i64::from(i32::MAX) => i32::try_from(n).ok(),
        Some((_, Ok(_))) => {
            notes.push(out_line(
                "Error while executing topic command : The partitions must be greater than 0",
            ));
            return Started::Done(notes, 1);
        }
        Some((v, Err(_))) => {
            return usage_error(&format!("Cannot parse argument '{v}' of option partitions"))
        }
    };
    let replication = match number("replication-factor") {
        None => None,
        Some((_, Ok(n))) if (1..=i64::from(i16::MAX)).contains(&n) => i16::try_from(n).ok(),
        Some((_, Ok(_))) => {
            notes.push(out_line("Error while executing topic command : The replication factor must be between 1 and 32767 inclusive"));
            return Started::Done(notes, 1);
        }
        Some((v, Err(_))) => {
            return usage_error(&format!(
                "Cannot parse argument '{v}' of option replication-factor"
            ))
        }
    };
    let mut configs = Vec::new();
    for pair in parsed.values("config") {
        match pair.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                configs.push((k.trim().to_owned(), v.trim().to_owned()));
            }
            _ => {
                notes.extend(error_lines(
                    "java.lang.IllegalArgumentException",
                    "requirement failed: Invalid topic config: all configs to be added must be in the format \"key=val\".",
                ));
                return Started::Done(notes, 1);
            }
        }
    }
    if action == Action::Create {
        let name = topic.as_deref().unwrap_or_default();
        if name.contains('.') || name.contains('_') {
            notes.push(out_line("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both."));
        }
    }
    let pattern = topic.as_deref().map(|t| {
        let t = t.trim().replace(',', "|").replace(' ', "");
        t.trim_matches(|c| c == '"' || c == '\'').to_owned()
    });
    let then = Then {
        action,
        topic: topic.clone(),
        pattern,
        if_exists: parsed.has("if-exists"),
        if_not_exists: parsed.has("if-not-exists"),
        exclude_internal: parsed.has("exclude-internal"),
        under_replicated: parsed.has("under-replicated-partitions"),
        unavailable: parsed.has("unavailable-partitions"),
        under_min_isr: parsed.has("under-min-isr-partitions"),
        at_min_isr: parsed.has("at-min-isr-partitions"),
        with_overrides: parsed.has("topics-with-overrides"),
        partitions,
        queue: Vec::new(),
    };
    let command = match action {
        Action::Create => Command::CreateTopic {
            topic: topic.unwrap_or_default(),
            partitions,
            replication_factor: replication,
            configs,
        },
        Action::List | Action::Describe | Action::Delete | Action::Alter => {
            Command::DescribeTopics { topics: Vec::new() }
        }
    };
    Started::Request(notes, command, Box::new(then))
}

/// Checks `--bootstrap-server` against the cluster's address: another
/// address gets what the real tool prints when nothing answers there.
pub(crate) fn unreachable(server: &str, endpoints: &Endpoints) -> Option<Started> {
    let accepted = |s: &str| {
        s == endpoints.bootstrap
            || matches!(
                s,
                "localhost:9092" | "127.0.0.1:9092" | "broker:9092" | "kafka:9092"
            )
    };
    // A listener name in front (`PLAINTEXT://localhost:9092`, as the
    // course notes write it) is accepted, as Kafka's clients accept it.
    let address = |s: &str| s.trim().rsplit("://").next().unwrap_or_default().to_owned();
    if server.split(',').any(|s| accepted(&address(s))) {
        return None;
    }
    Some(Started::Done(
        vec![
            log(
                "WARN",
                &format!("[AdminClient clientId=adminclient-1] Connection to node -1 ({server}) could not be established. Node may not be available."),
                "org.apache.kafka.clients.NetworkClient",
            ),
            note(&format!("This playground's cluster is at --bootstrap-server {}.", endpoints.bootstrap)),
        ],
        1,
    ))
}

impl Tool for Then {
    fn on_reply(&mut self, result: Result<Reply, CommandError>) -> Next {
        finish(self, result)
    }
}

/// The next step after a reply.
fn finish(then: &mut Then, result: Result<Reply, CommandError>) -> Next {
    let result = match result {
        Ok(reply) => reply,
        Err(e) => {
            if then.action == Action::Create
                && then.if_not_exists
                && e.code == ErrorCode::Kafka("TOPIC_ALREADY_EXISTS".into())
            {
                return Next::Done(Vec::new(), 0, None);
            }
            return Next::Done(kafka_error(&e), 1, None);
        }
    };
    match (then.action, result) {
        (Action::Create, _) => Next::Done(
            vec![out_line(format!(
                "Created topic {}.",
                then.topic.as_deref().unwrap_or_default()
            ))],
            0,
            None,
        ),
        (Action::List, Reply::TopicsDescribed { topics }) => {
            let names = names(&topics);
            let listed: Vec<String> = matching(then, &topics).map(|t| t.name.clone()).collect();
            // `println(String.join("\n", topics))`: an empty list prints an
            // empty line.
            let lines = if listed.is_empty() {
                vec![out_line("")]
            } else {
                listed.into_iter().map(out_line).collect()
            };
            Next::Done(lines, 0, Some(names))
        }
        (Action::Describe, Reply::TopicsDescribed { topics }) => {
            let names = names(&topics);
            let chosen: Vec<&TopicDescription> = matching(then, &topics).collect();
            if chosen.is_empty() && then.topic.is_some() && !then.if_exists {
                return Next::Done(missing(then), 1, Some(names));
            }
            let mut lines = Vec::new();
            for t in chosen {
                lines.extend(describe(then, t).into_iter().map(out_line));
            }
            Next::Done(lines, 0, Some(names))
        }
        (Action::Delete | Action::Alter, Reply::TopicsDescribed { topics }) => {
            let names = names(&topics);
            let chosen: Vec<String> = matching(then, &topics).map(|t| t.name.clone()).collect();
            if chosen.is_empty() {
                if then.if_exists {
                    return Next::Done(Vec::new(), 0, Some(names));
                }
                return Next::Done(missing(then), 1, Some(names));
            }
            then.queue = chosen;
            next_in_queue(then)
        }
        (Action::Delete | Action::Alter, Reply::Done) => next_in_queue(then),
        (_, other) => Next::Done(
            vec![err(format!("unexpected answer from the engine: {other:?}"))],
            1,
            None,
        ),
    }
}

/// Deletes or grows the next topic in the queue, or ends.
fn next_in_queue(then: &mut Then) -> Next {
    if then.queue.is_empty() {
        return Next::Done(Vec::new(), 0, None);
    }
    let topic = then.queue.remove(0);
    Next::Send(match then.action {
        Action::Alter => Command::CreatePartitions {
            topic,
            total: then.partitions.unwrap_or_default(),
        },
        _ => Command::DeleteTopic { topic },
    })
}

fn names(topics: &[TopicDescription]) -> Vec<String> {
    topics.iter().map(|t| t.name.clone()).collect()
}

/// The topics `--topic` (a regular expression, matched whole) and
/// `--exclude-internal` choose, by name.
fn matching<'a>(
    then: &'a Then,
    topics: &'a [TopicDescription],
) -> impl Iterator<Item = &'a TopicDescription> + 'a {
    topics.iter().filter(move |t| {
        !(then.exclude_internal && t.internal)
            && then
                .pattern
                .as_deref()
                .is_none_or(|pattern| regex_matches(pattern, &t.name))
    })
}

/// `Topic 'x' does not exist as expected`, as Kafka's `ensureTopicExists`
/// throws it (Kafka 4.0 prints the name as `Optional[x]`, a bug later
/// releases fixed; this prints the name).
fn missing(then: &Then) -> Vec<Effect> {
    error_lines(
        "java.lang.IllegalArgumentException",
        &format!(
            "Topic '{}' does not exist as expected",
            then.topic.as_deref().unwrap_or_default()
        ),
    )
}

/// A topic's lines in `--describe`: the topic line, then one line per
/// partition. A partition filter (`--under-replicated-partitions`,
/// `--unavailable-partitions`, `--under-min-isr-partitions`,
/// `--at-min-isr-partitions`) prints matching partition lines only;
/// `--topics-with-overrides` prints the topic lines of topics with configs
/// set, only.
fn describe(then: &Then, t: &TopicDescription) -> Vec<String> {
    let partition_filter =
        then.under_replicated || then.unavailable || then.under_min_isr || then.at_min_isr;
    let mut lines = Vec::new();
    if then.with_overrides {
        if !t.configs.is_empty() && !partition_filter {
            lines.push(topic_line(t));
        }
        return lines;
    }
    if !partition_filter {
        lines.push(topic_line(t));
    }
    let min_isr = t
        .configs
        .iter()
        .find(|(k, _)| k == "min.insync.replicas")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(1);
    for p in &t.partitions {
        let keep = !partition_filter
            || (then.under_replicated && p.isr.len() < p.replicas.len())
            || (then.unavailable && p.leader.is_none())
            || (then.under_min_isr && (p.leader.is_none() || p.isr.len() < min_isr))
            || (then.at_min_isr && p.isr.len() == min_isr);
        if keep {
            lines.push(partition_line(&t.name, p));
        }
    }
    lines
}

/// `TopicDescription.printDescription`'s line.
fn topic_line(t: &TopicDescription) -> String {
    let replication = t.partitions.first().map_or(0, |p| p.replicas.len());
    let configs: Vec<String> = t.configs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "Topic: {}\tTopicId: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}",
        t.name,
        t.topic_id,
        t.partitions.len(),
        replication,
        configs.join(",")
    )
}

/// One partition's line, as `PartitionDescription.printDescription` prints
/// it (eligible leader replicas are off, so `Elr` and `LastKnownElr` are
/// empty, as a Kafka 4 broker describes them by default).
fn partition_line(topic: &str, p: &PartitionModel) -> String {
    let ids = |ids: &[i32]| ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",");
    let leader = p.leader.map_or("none".to_owned(), |l| l.to_string());
    format!(
        "\tTopic: {topic}\tPartition: {}\tLeader: {leader}\tReplicas: {}\tIsr: {}\tElr: \tLastKnownElr: ",
        p.partition,
        ids(&p.replicas),
        ids(&p.isr)
    )
}

/// How `TopicCommand` reports a failure: the message on stdout, and the
/// exception logged at ERROR on stderr.
pub(crate) fn kafka_error(e: &CommandError) -> Vec<Effect> {
    let exception = match &e.code {
        ErrorCode::Kafka(name) => exception_of(name),
        _ => "java.lang.IllegalArgumentException".to_owned(),
    };
    error_lines(&exception, &e.message)
}

/// `printException`: the message on stdout, the exception logged at
/// ERROR on stderr (a broker's exception has no stack frames).
fn error_lines(exception: &str, message: &str) -> Vec<Effect> {
    vec![
        out_line(format!("Error while executing topic command : {message}")),
        log(
            "ERROR",
            &format!("{exception}: {message}\n"),
            "org.apache.kafka.tools.TopicCommand",
        ),
    ]
}

/// The Java exception a Kafka error code is thrown as.
pub(crate) fn exception_of(code: &str) -> String {
    let class = match code {
        "TOPIC_ALREADY_EXISTS" => "TopicExistsException",
        "UNKNOWN_TOPIC_OR_PARTITION" => "UnknownTopicOrPartitionException",
        "INVALID_TOPIC_EXCEPTION" => "InvalidTopicException",
        "INVALID_PARTITIONS" => "InvalidPartitionsException",
        "INVALID_REPLICATION_FACTOR" => "InvalidReplicationFactorException",
        "INVALID_CONFIG" => "InvalidConfigurationException",
        "POLICY_VIOLATION" => "PolicyViolationException",
        "TOPIC_DELETION_DISABLED" => "TopicDeletionDisabledException",
        "NON_EMPTY_GROUP" => "GroupNotEmptyException",
        "GROUP_ID_NOT_FOUND" => "GroupIdNotFoundException",
        "OFFSET_OUT_OF_RANGE" => "OffsetOutOfRangeException",
        "INVALID_REQUEST" => "InvalidRequestException",
        other => return format!("org.apache.kafka.common.errors.{}Exception", camel(other)),
    };
    format!("org.apache.kafka.common.errors.{class}")
}

/// `NOT_ENOUGH_REPLICAS` → `NotEnoughReplicas`.
fn camel(code: &str) -> String {
    code.split('_')
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or(String::new(), |c| {
                c.to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect()
}

/// A wrong command line (`printUsageAndExit`): the reason and the usage,
/// on stderr, status 1.
fn usage_error(reason: &str) -> Started {
    let mut lines = vec![err(reason.to_owned())];
    lines.extend(HELP.lines().skip(1).map(err));
    Started::Done(lines, 1)
}

/// Whether `name` matches `pattern` as a whole, as Java's
/// `Pattern.matches` would for the expressions topics use: literal
/// characters, `.`, `\x` escapes, `[…]` classes, `*`, `+`, `?` and `|`.
#[must_use]
pub fn regex_matches(pattern: &str, name: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    pattern
        .split('|')
        .any(|alternative| match parse_regex(alternative) {
            Some(atoms) => match_here(&atoms, &name),
            None => alternative == name.iter().collect::<String>(),
        })
}

#[derive(Debug, Clone)]
enum Atom {
    Any,
    Char(char),
    Class(Vec<(char, char)>, bool),
}

#[derive(Debug, Clone)]
struct Piece {
    atom: Atom,
    min: usize,
    max: usize,
}

fn parse_regex(pattern: &str) -> Option<Vec<Piece>> {
    let mut chars = pattern.chars().peekable();
    let mut pieces = Vec::new();
    while let Some(c) = chars.next() {
        let atom = match c {
            '.' => Atom::Any,
            '\\' => Atom::Char(chars.next()?),
            '[' => {
                let negated = chars.peek() == Some(&'^');
                if negated {
                    chars.next();
                }
                let mut ranges = Vec::new();
                loop {
                    let c = chars.next()?;
                    if c == ']' {
                        break;
                    }
                    let c = if c == '\\' { chars.next()? } else { c };
                    if chars.peek() == Some(&'-') {
                        chars.next();
                        let end = chars.next()?;
                        if end == ']' {
                            ranges.push((c, c));
                            ranges.push(('-', '-'));
                            break;
                        }
                        ranges.push((c, end));
                    } else {
                        ranges.push((c, c));
                    }
                }
                Atom::Class(ranges, negated)
            }
            '*' | '+' | '?' | '(' | ')' | '{' | '}' => return None,
            c => Atom::Char(c),
        };
        let (min, max) = match chars.peek() {
            Some('*') => (0, usize::MAX),
            Some('+') => (1, usize::MAX),
            Some('?') => (0, 1),
            _ => (1, 1),
        };
        if (min, max) != (1, 1) {
            chars.next();
        }
        pieces.push(Piece { atom, min, max });
    }
    Some(pieces)
}

fn match_here(pieces: &[Piece], name: &[char]) -> bool {
    let Some((piece, rest)) = pieces.split_first() else {
        return name.is_empty();
    };
    let fits = |c: char| match &piece.atom {
        Atom::Any => true,
        Atom::Char(x) => *x == c,
        Atom::Class(ranges, negated) => {
            ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)) != *negated
        }
    };
    let mut taken = 0;
    while taken < piece.min {
        match name.get(taken) {
            Some(&c) if fits(c) => taken += 1,
            _ => return false,
        }
    }
    loop {
        if match_here(rest, &name[taken..]) {
            return true;
        }
        if taken >= piece.max {
            return false;
        }
        match name.get(taken) {
            Some(&c) if fits(c) => taken += 1,
            _ => return false,
        }
    }
}
