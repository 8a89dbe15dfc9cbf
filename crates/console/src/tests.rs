//! The shell driven against a real engine (engine-host's local engine, as
//! the worker runs it): every command it sends is executed, every reply
//! goes back, and what it prints is compared with what Kafka's tools print.

use engine_host::{Answerer, LocalEngine};

use super::*;

struct Rig {
    shell: Shell,
    engine: LocalEngine,
}

impl Rig {
    fn new() -> Self {
        let engine = match LocalEngine::boot(7) {
            Ok(engine) => engine,
            Err(e) => panic!("the engine did not boot: {e:?}"),
        };
        Self {
            shell: Shell::new(Endpoints::default()),
            engine,
        }
    }

    /// Runs `line` and everything it leads to (at most `wakes` timers),
    /// returning what was printed, echo excluded.
    fn run_waking(&mut self, line: &str, wakes: usize) -> Vec<(Stream, String)> {
        let effects = self.shell.run(line);
        self.drive(effects, wakes)
    }

    fn run(&mut self, line: &str) -> Vec<(Stream, String)> {
        self.run_waking(line, 0)
    }

    /// Stdout lines of `line`.
    fn stdout(&mut self, line: &str) -> Vec<String> {
        self.run(line)
            .into_iter()
            .filter(|(s, _)| *s == Stream::Stdout)
            .map(|(_, t)| t)
            .collect()
    }

    fn drive(&mut self, effects: Vec<Effect>, mut wakes: usize) -> Vec<(Stream, String)> {
        let mut queue: std::collections::VecDeque<Effect> = effects.into();
        let mut printed = Vec::new();
        let mut sends = 0;
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Print(Stream::Echo, _) | Effect::Clear => {}
                Effect::Print(stream, text) => printed.push((stream, text)),
                Effect::Send(id, command) => {
                    sends += 1;
                    assert!(sends < 10_000, "the shell keeps sending");
                    let result = self.engine.execute(command);
                    queue.extend(self.shell.on_reply(id, result));
                }
                Effect::Wake(ms) => {
                    if wakes > 0 {
                        wakes -= 1;
                        self.engine.tick(f64::from(ms));
                        queue.extend(self.shell.on_wake(ms));
                    }
                }
            }
        }
        printed
    }
}

const B: &str = "--bootstrap-server localhost:9092";

fn texts(printed: &[(Stream, String)]) -> Vec<&str> {
    printed.iter().map(|(_, t)| t.as_str()).collect()
}

#[test]
fn kafka_topics_creates_lists_describes_alters_and_deletes() {
    let mut rig = Rig::new();
    assert_eq!(
        rig.stdout(&format!(
            "kafka-topics {B} --create --topic orders --partitions 3 --replication-factor 2 --config cleanup.policy=compact"
        )),
        ["Created topic orders."]
    );
    assert_eq!(rig.shell.status(), 0);
    assert_eq!(
        rig.stdout(&format!("kafka-topics.sh {B} --create --topic clicks")),
        ["Created topic clicks."]
    );
    // Sorted; the registry's and Connect's topics are ordinary topics.
    let listed = rig.stdout(&format!("kafka-topics {B} --list"));
    assert_eq!(
        listed,
        [
            "_schemas",
            "clicks",
            "connect-configs",
            "connect-offsets",
            "connect-status",
            "orders"
        ]
    );
    assert_eq!(
        rig.stdout(&format!("kafka-topics {B} --list --exclude-internal")),
        listed
    );

    let described = rig.stdout(&format!("kafka-topics {B} --describe --topic orders"));
    assert_eq!(described.len(), 4, "{described:?}");
    let fields: Vec<&str> = described[0].split('\t').collect();
    assert_eq!(fields[0], "Topic: orders");
    let id = fields[1].strip_prefix("TopicId: ").unwrap_or_default();
    assert_eq!(id.len(), 22, "a Uuid's base64: {id}");
    assert_eq!(
        &fields[2..],
        [
            "PartitionCount: 3",
            "ReplicationFactor: 2",
            "Configs: cleanup.policy=compact"
        ]
    );
    for (p, line) in described[1..].iter().enumerate() {
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells[0], "");
        assert_eq!(cells[1], "Topic: orders");
        assert_eq!(cells[2], format!("Partition: {p}"));
        let leader = cells[3].strip_prefix("Leader: ").unwrap_or_default();
        let replicas = cells[4].strip_prefix("Replicas: ").unwrap_or_default();
        assert_eq!(replicas.split(',').count(), 2);
        assert!(replicas.split(',').any(|r| r == leader), "{line}");
        assert_eq!(cells[5], format!("Isr: {replicas}"));
        assert_eq!(&cells[6..], ["Elr: ", "LastKnownElr: "]);
    }

    // A regular expression chooses topics, matched whole.
    let both = rig.stdout(&format!(
        "kafka-topics {B} --describe --topic 'ord.*|clicks'"
    ));
    assert_eq!(both.iter().filter(|l| l.starts_with("Topic: ")).count(), 2);
    assert!(rig
        .stdout(&format!("kafka-topics {B} --list --topic ord"))
        .iter()
        .all(|l| l.is_empty()));

    assert!(rig
        .stdout(&format!(
            "kafka-topics {B} --alter --topic orders --partitions 5"
        ))
        .is_empty());
    let grown = rig.stdout(&format!("kafka-topics {B} --describe --topic orders"));
    assert!(grown[0].contains("PartitionCount: 5"), "{grown:?}");
    let shrink = rig.run(&format!(
        "kafka-topics {B} --alter --topic orders --partitions 2"
    ));
    assert_eq!(rig.shell.status(), 1);
    assert!(
        shrink[0]
            .1
            .starts_with("Error while executing topic command : "),
        "{shrink:?}"
    );

    assert!(rig
        .stdout(&format!("kafka-topics {B} --delete --topic clicks"))
        .is_empty());
    assert_eq!(rig.shell.status(), 0);
    assert!(!rig
        .stdout(&format!("kafka-topics {B} --list"))
        .contains(&"clicks".to_owned()));
}

#[test]
fn kafka_topics_errors_read_as_kafkas() {
    let mut rig = Rig::new();
    rig.run(&format!("kafka-topics {B} --create --topic orders"));
    let again = rig.run(&format!("kafka-topics {B} --create --topic orders"));
    assert_eq!(rig.shell.status(), 1);
    assert_eq!(
        again[0],
        (
            Stream::Stdout,
            "Error while executing topic command : Topic 'orders' already exists.".to_owned()
        )
    );
    assert_eq!(again[1].0, Stream::Log);
    assert!(again[1].1.starts_with(
        "ERROR org.apache.kafka.common.errors.TopicExistsException: Topic 'orders' already exists."
    ));
    assert!(rig
        .run(&format!(
            "kafka-topics {B} --create --topic orders --if-not-exists"
        ))
        .is_empty());
    assert_eq!(rig.shell.status(), 0);

    let missing = rig.run(&format!("kafka-topics {B} --describe --topic nope"));
    assert_eq!(
        missing[0].1,
        "Error while executing topic command : Topic 'nope' does not exist as expected"
    );
    assert_eq!(rig.shell.status(), 1);
    assert!(rig
        .run(&format!(
            "kafka-topics {B} --delete --topic nope --if-exists"
        ))
        .is_empty());
    assert_eq!(rig.shell.status(), 0);

    let no_server = rig.run("kafka-topics --list");
    assert_eq!(
        no_server[0],
        (
            Stream::Stderr,
            "--bootstrap-server must be specified".to_owned()
        )
    );
    assert_eq!(rig.shell.status(), 1);

    let zookeeper = rig.run("kafka-topics --zookeeper localhost:2181 --list");
    assert_eq!(zookeeper[0].1, "zookeeper is not a recognized option");
    assert!(zookeeper
        .iter()
        .any(|(s, t)| *s == Stream::Note && t.contains("KRaft")));

    let two = rig.run(&format!("kafka-topics {B} --list --describe"));
    assert_eq!(
        two[0].1,
        "Command must include exactly one action: --list, --describe, --create, --alter or --delete"
    );
    assert!(two
        .iter()
        .any(|(_, t)| t.starts_with("--bootstrap-server <String: server to")));
    let help = rig.run("kafka-topics --help");
    assert_eq!(
        help[0].1,
        "This tool helps to create, delete, describe, or change a topic."
    );
    assert!(help.iter().all(|(s, _)| *s == Stream::Stderr));
    assert_eq!(rig.shell.status(), 1);

    let wrong_server = rig.run("kafka-topics --bootstrap-server elsewhere:9092 --list");
    assert!(wrong_server[0]
        .1
        .contains("Connection to node -1 (elsewhere:9092) could not be established"));
    assert_eq!(rig.shell.status(), 1);

    assert_eq!(
        rig.run("kafka-topcs --list")[0].1,
        "bash: kafka-topcs: command not found"
    );
    assert_eq!(rig.shell.status(), 127);
    assert_eq!(rig.stdout("echo $?"), ["127"]);

    // As the course notes write it: a listener name in front of the address.
    assert_eq!(
        rig.stdout("kafka-topics --bootstrap-server PLAINTEXT://localhost:9092 --create --topic com.udacity.clicks"),
        [
            "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.",
            "Created topic com.udacity.clicks."
        ]
    );
}

#[test]
fn the_console_producer_writes_lines_the_console_consumer_prints() {
    let mut rig = Rig::new();
    rig.run(&format!(
        "kafka-topics {B} --create --topic orders --partitions 1"
    ));
    assert!(rig
        .run(&format!(
            "kafka-console-producer {B} --topic orders --property parse.key=true --property key.separator=:"
        ))
        .is_empty());
    assert_eq!(rig.shell.prompt(), ">");
    assert!(rig.run("user-1:first order").is_empty());
    assert!(rig.run("user-2:second: with a colon").is_empty());
    let ended = rig.shell.end_of_input();
    assert!(rig.drive(ended, 0).is_empty());
    assert_eq!(rig.shell.prompt(), "$ ");
    assert_eq!(rig.shell.status(), 0);

    let printed = rig.run_waking(
        &format!(
            "kafka-console-consumer {B} --topic orders --from-beginning --property print.key=true --property print.offset=true --max-messages 2"
        ),
        100,
    );
    assert_eq!(
        texts(&printed),
        [
            "Offset:0\tuser-1\tfirst order",
            "Offset:1\tuser-2\tsecond: with a colon",
            "Processed a total of 2 messages"
        ]
    );
    assert_eq!(printed[2].0, Stream::Stderr);
    assert!(!rig.shell.busy());

    // Without --from-beginning it starts at the end: nothing yet, until
    // --timeout-ms ends it.
    let waited = rig.run_waking(
        &format!("kafka-console-consumer {B} --topic orders --timeout-ms 1000"),
        20,
    );
    assert!(waited[0].1.contains("TimeoutException"), "{waited:?}");
    assert_eq!(
        waited.last().map(|(_, t)| t.as_str()),
        Some("Processed a total of 0 messages")
    );
    assert_eq!(rig.shell.status(), 0);

    // A line without the separator ends the producer, as LineMessageReader
    // throws.
    rig.run(&format!(
        "kafka-console-producer {B} --topic orders --property parse.key=true"
    ));
    let bad = rig.run("no separator here");
    assert_eq!(
        bad[0].1,
        "org.apache.kafka.common.KafkaException: No key separator found on line number 1: 'no separator here'"
    );
    assert!(!rig.shell.busy());
    assert_eq!(rig.shell.status(), 1);
}

#[test]
fn the_console_consumer_formats_as_the_default_formatter_and_stops_on_ctrl_c() {
    let mut rig = Rig::new();
    rig.run(&format!(
        "kafka-topics {B} --create --topic t --partitions 2"
    ));
    rig.run(&format!("kafka-console-producer {B} --topic t"));
    rig.run("hello");
    let ended = rig.shell.end_of_input();
    rig.drive(ended, 0);
    let printed = rig.run_waking(
        &format!(
            "kafka-console-consumer {B} --topic t --from-beginning --property print.timestamp=true --property print.partition=true --property print.headers=true --property print.key=true"
        ),
        60,
    );
    assert_eq!(printed.len(), 1, "{printed:?}");
    let cells: Vec<&str> = printed[0].1.split('\t').collect();
    assert!(cells[0].starts_with("CreateTime:1767225600"), "{cells:?}");
    assert!(cells[1] == "Partition:0" || cells[1] == "Partition:1");
    assert_eq!(&cells[2..], ["NO_HEADERS", "null", "hello"]);
    assert!(rig.shell.busy(), "the consumer keeps waiting for records");
    let stopped = rig.shell.interrupt();
    let stopped = rig.drive(stopped, 0);
    assert_eq!(texts(&stopped), ["Processed a total of 1 messages"]);
    assert!(!rig.shell.busy());
    assert_eq!(rig.shell.status(), 130);
    // It was a member of a group of its own, console-consumer-<n>, and
    // left it on Ctrl-C.
    let listed = rig.stdout(&format!("kafka-consumer-groups {B} --list --state"));
    let row = listed
        .iter()
        .find(|l| l.starts_with("console-consumer-"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(row.split_whitespace().nth(1), Some("Empty"), "{listed:?}");
}

#[test]
fn curl_reaches_the_schema_registry() {
    let mut rig = Rig::new();
    let registered = rig.stdout(
        r#"curl -s -X POST -H "Content-Type: application/vnd.schemaregistry.v1+json" --data '{"schema": "{\"type\": \"string\"}"}' http://localhost:8081/subjects/orders-value/versions"#,
    );
    assert_eq!(registered, [r#"{"id":1}"#]);
    assert_eq!(
        rig.stdout("curl http://localhost:8081/subjects"),
        [r#"["orders-value"]"#]
    );
    let included = rig.stdout("curl -i http://localhost:8081/subjects/nope/versions");
    assert_eq!(included[0], "HTTP/1.1 404 Not Found");
    assert!(
        included.last().is_some_and(|l| l.contains("40401")),
        "{included:?}"
    );
    let refused = rig.run("curl http://localhost:9999/");
    assert_eq!(
        refused[0].1,
        "curl: (7) Failed to connect to localhost port 9999 after 0 ms: Couldn't connect to server"
    );
    assert_eq!(rig.shell.status(), 7);
}

#[test]
fn tab_completes_commands_options_and_topics() {
    let mut rig = Rig::new();
    rig.run(&format!("kafka-topics {B} --create --topic orders"));
    rig.run(&format!("kafka-topics {B} --create --topic other"));
    assert_eq!(
        rig.shell.complete("kafka-cons"),
        [
            "kafka-console-consumer",
            "kafka-console-producer",
            "kafka-consumer-groups"
        ]
    );
    assert_eq!(
        rig.shell.complete("kafka-topics --boot"),
        ["--bootstrap-server"]
    );
    assert_eq!(
        rig.shell.complete("kafka-topics --describe --topic o"),
        ["orders", "other"]
    );
    assert!(rig.shell.complete("nothing-like-it").is_empty());
}

#[test]
fn kafka_get_offsets_prints_each_partitions_offset() {
    let mut rig = Rig::new();
    rig.run(&format!(
        "kafka-topics {B} --create --topic t --partitions 2"
    ));
    rig.run(&format!(
        "kafka-console-producer {B} --topic t --property parse.key=true"
    ));
    for line in ["a\t1", "b\t2", "c\t3"] {
        rig.run(line);
    }
    let ended = rig.shell.end_of_input();
    rig.drive(ended, 0);
    let latest = rig.stdout(&format!("kafka-get-offsets {B} --topic t"));
    assert_eq!(latest.len(), 2, "{latest:?}");
    let offset = |line: &str, prefix: &str| -> i64 {
        line.strip_prefix(prefix)
            .and_then(|o| o.parse().ok())
            .unwrap_or(-100)
    };
    assert_eq!(offset(&latest[0], "t:0:") + offset(&latest[1], "t:1:"), 3);
    assert_eq!(
        rig.stdout(&format!(
            "kafka-get-offsets {B} --topic t --time earliest --partitions 1"
        )),
        ["t:1:0"]
    );
    // KIP-734: the record with the largest timestamp; here the last one
    // written to each partition that has records.
    let max = rig.stdout(&format!("kafka-get-offsets {B} --topic t --time -3"));
    assert_eq!(max.len(), 2);
    let missing = rig.run(&format!("kafka-get-offsets {B} --topic nope"));
    assert_eq!(
        missing[0].1,
        "Error occurred: Could not match any topic-partitions with the specified filters"
    );
    assert_eq!(rig.shell.status(), 1);
}

#[test]
fn kafka_consumer_groups_lists_describes_resets_and_deletes() {
    let mut rig = Rig::new();
    rig.run(&format!(
        "kafka-topics {B} --create --topic orders --partitions 2"
    ));
    rig.run(&format!(
        "kafka-console-producer {B} --topic orders --property parse.key=true"
    ));
    for line in ["a\t1", "b\t2", "c\t3", "d\t4", "e\t5"] {
        rig.run(line);
    }
    let ended = rig.shell.end_of_input();
    rig.drive(ended, 0);
    // An application's group: two members of a Java consumer.
    for _ in 0..2 {
        let added = rig.engine.execute(Command::AddConsumer {
            client: port::ClientFlavour::Java,
            configs: vec![
                ("group.id".into(), "app".into()),
                ("auto.offset.reset".into(), "earliest".into()),
            ],
            topics: vec!["orders".into()],
        });
        assert!(added.is_ok(), "{added:?}");
    }
    for _ in 0..10 {
        rig.engine.tick(1_000.0);
    }
    assert_eq!(
        rig.stdout(&format!("kafka-consumer-groups {B} --list")),
        ["app"]
    );
    let states = rig.stdout(&format!("kafka-consumer-groups {B} --list --state"));
    assert_eq!(
        states[0].split_whitespace().collect::<Vec<_>>(),
        ["GROUP", "STATE"]
    );
    assert_eq!(
        states[1].split_whitespace().collect::<Vec<_>>(),
        ["app", "Stable"]
    );

    let described = rig.stdout(&format!("kafka-consumer-groups {B} --describe --group app"));
    assert_eq!(described[0], "", "the table starts with a blank line");
    let header: Vec<&str> = described[1].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "GROUP",
            "TOPIC",
            "PARTITION",
            "CURRENT-OFFSET",
            "LOG-END-OFFSET",
            "LAG",
            "CONSUMER-ID",
            "HOST",
            "CLIENT-ID"
        ]
    );
    assert_eq!(described.len(), 4, "one row per partition: {described:?}");
    let ends: i64 = described[2..]
        .iter()
        .map(|r| {
            r.split_whitespace()
                .nth(4)
                .and_then(|e| e.parse::<i64>().ok())
                .unwrap_or(-100)
        })
        .sum();
    assert_eq!(ends, 5, "LOG-END-OFFSET adds up to the records written");
    for r in &described[2..] {
        let cells: Vec<&str> = r.split_whitespace().collect();
        assert_eq!(cells[0], "app");
        assert!(cells[6].starts_with("consumer-app-"), "{r}");
        assert_eq!(cells[7], "/127.0.0.1");
    }
    let members = rig.stdout(&format!(
        "kafka-consumer-groups {B} --describe --group app --members"
    ));
    assert_eq!(
        members[1].split_whitespace().collect::<Vec<_>>(),
        ["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"]
    );
    assert_eq!(members.len(), 4);
    let state = rig.stdout(&format!(
        "kafka-consumer-groups {B} --describe --group app --state"
    ));
    assert!(state[3].starts_with("app "), "{state:?}");
    assert!(
        state[3].contains("range")
            && state[3].contains("Stable")
            && state[3].trim_end().ends_with(" 2"),
        "{state:?}"
    );

    // An active group cannot be reset, deleted, nor is an unknown one found.
    let refused = rig.stdout(&format!("kafka-consumer-groups {B} --reset-offsets --group app --topic orders --to-earliest --execute"));
    assert_eq!(refused[1], "Error: Assignments can only be reset if the group 'app' is inactive, but the current state is Stable.");
    let busy = rig.stdout(&format!("kafka-consumer-groups {B} --delete --group app"));
    assert_eq!(busy[1], "Error: Deletion of some consumer groups failed:");
    assert_eq!(busy[2], "* Group 'app' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.");
    let missing = rig.stdout(&format!(
        "kafka-consumer-groups {B} --describe --group nope"
    ));
    assert_eq!(missing[1], "Error: Executing consumer group command failed due to org.apache.kafka.common.errors.GroupIdNotFoundException: Group nope not found.");

    // An inactive group: a dry run shows, --execute commits, --delete removes.
    let dry = rig.run(&format!(
        "kafka-consumer-groups {B} --reset-offsets --group batch --topic orders --to-latest"
    ));
    assert!(dry[0]
        .1
        .starts_with("WARN: No action will be performed as the --execute option is missing."));
    let rows: Vec<&str> = dry
        .iter()
        .map(|(_, t)| t.as_str())
        .filter(|t| t.starts_with("batch "))
        .collect();
    assert_eq!(rows.len(), 2, "{dry:?}");
    assert!(
        rig.stdout(&format!("kafka-consumer-groups {B} --list"))
            .iter()
            .all(|g| g != "batch"),
        "a dry run commits nothing"
    );
    let done = rig.stdout(&format!("kafka-consumer-groups {B} --reset-offsets --group batch --topic orders:1 --to-offset 1 --execute"));
    assert_eq!(
        done[1].split_whitespace().collect::<Vec<_>>(),
        ["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"]
    );
    assert_eq!(
        done[2].split_whitespace().collect::<Vec<_>>(),
        ["batch", "orders", "1", "1"]
    );
    let shifted = rig.stdout(&format!("kafka-consumer-groups {B} --reset-offsets --group batch --topic orders:1 --shift-by -5 --execute"));
    assert_eq!(
        shifted[2].split_whitespace().nth(3),
        Some("0"),
        "clamped to the log start"
    );
    let empty = rig.run(&format!(
        "kafka-consumer-groups {B} --describe --group batch"
    ));
    assert_eq!(
        empty[1],
        (
            Stream::Stderr,
            "Consumer group 'batch' has no active members.".to_owned()
        )
    );
    assert!(empty
        .iter()
        .any(|(_, t)| t.starts_with("batch ") && t.split_whitespace().nth(6) == Some("-")));
    assert_eq!(
        rig.stdout(&format!("kafka-consumer-groups {B} --delete --group batch")),
        ["Deletion of requested consumer groups ('batch') was successful."]
    );
    assert_eq!(
        rig.stdout(&format!("kafka-consumer-groups {B} --list")),
        ["app"]
    );
}

#[test]
fn files_and_kafka_delete_records() {
    let mut rig = Rig::new();
    rig.run(&format!(
        "kafka-topics {B} --create --topic t --partitions 1"
    ));
    rig.run(&format!("kafka-console-producer {B} --topic t"));
    for i in 0..5 {
        rig.run(&format!("record {i}"));
    }
    let ended = rig.shell.end_of_input();
    rig.drive(ended, 0);
    // A file written with echo, another with cat > file until Ctrl-D.
    rig.run(r#"echo '{"partitions": [{"topic": "t", "partition": 0, "offset": 3}], "version": 1}' > offsets.json"#);
    assert!(rig.run("cat > past.json").is_empty());
    rig.run(r#"{"partitions": [{"topic": "t", "partition": 0, "offset": 99}]}"#);
    let ended = rig.shell.end_of_input();
    rig.drive(ended, 0);
    assert_eq!(rig.stdout("ls"), ["offsets.json", "past.json"]);
    assert_eq!(rig.shell.complete("cat off"), ["offsets.json"]);
    assert_eq!(
        rig.stdout("cat past.json"),
        [r#"{"partitions": [{"topic": "t", "partition": 0, "offset": 99}]}"#]
    );

    assert_eq!(
        rig.stdout(&format!(
            "kafka-delete-records {B} --offset-json-file offsets.json"
        )),
        [
            "Executing records delete operation",
            "Records delete operation completed:",
            "partition: t-0\tlow_watermark: 3"
        ]
    );
    assert_eq!(
        rig.stdout(&format!("kafka-get-offsets {B} --topic t --time earliest")),
        ["t:0:3"]
    );
    let past = rig.stdout(&format!(
        "kafka-delete-records {B} --offset-json-file past.json"
    ));
    assert_eq!(
        past[2],
        "partition: t-0\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: Cannot increment the log start offset to 99 of partition t-0 since it is larger than the high watermark 5"
    );
    assert_eq!(
        rig.shell.status(),
        0,
        "a partition's error does not fail the command"
    );
    rig.run("echo 'not json' > bad.json");
    let bad = rig.run(&format!(
        "kafka-delete-records {B} --offset-json-file bad.json"
    ));
    assert_eq!(bad[0].1, "The input string is not a valid JSON");
    let missing = rig.run(&format!(
        "kafka-delete-records {B} --offset-json-file nope.json"
    ));
    assert_eq!(missing[1].1, "java.nio.file.NoSuchFileException: nope.json");
    assert_eq!(
        rig.run("cat nope.json")[0].1,
        "cat: nope.json: No such file or directory"
    );
    rig.run("rm bad.json");
    assert_eq!(rig.stdout("ls"), ["offsets.json", "past.json"]);
    assert!(rig.shell.changed_files().is_some());
    assert!(rig.shell.changed_files().is_none(), "reported once");
}

#[test]
fn the_console_consumer_joins_its_group_and_commits() {
    let mut rig = Rig::new();
    rig.run(&format!(
        "kafka-topics {B} --create --topic orders --partitions 3"
    ));
    rig.run(&format!(
        "kafka-console-producer {B} --topic orders --property parse.key=true"
    ));
    for i in 0..6 {
        rig.run(&format!("key-{i}\tvalue {i}"));
    }
    let ended = rig.shell.end_of_input();
    rig.drive(ended, 0);
    let printed = rig.run_waking(
        &format!("kafka-console-consumer {B} --topic orders --group course --from-beginning --max-messages 6"),
        100,
    );
    assert_eq!(
        printed.last().map(|(_, t)| t.as_str()),
        Some("Processed a total of 6 messages")
    );
    let mut values: Vec<&str> = printed[..6].iter().map(|(_, t)| t.as_str()).collect();
    values.sort_unstable();
    assert_eq!(
        values,
        ["value 0", "value 1", "value 2", "value 3", "value 4", "value 5"]
    );
    // Its close() committed what it read (auto commit is on with --group).
    let described = rig.stdout(&format!(
        "kafka-consumer-groups {B} --describe --group course"
    ));
    let lags: Vec<&str> = described[2..]
        .iter()
        .filter_map(|r| r.split_whitespace().nth(5))
        .collect();
    assert_eq!(lags, ["0", "0", "0"], "{described:?}");
    // A second run in the same group starts where the first stopped.
    let again = rig.run_waking(
        &format!("kafka-console-consumer {B} --topic orders --group course --from-beginning --timeout-ms 6000"),
        100,
    );
    assert_eq!(
        again.last().map(|(_, t)| t.as_str()),
        Some("Processed a total of 0 messages"),
        "{again:?}"
    );
}

#[test]
fn kafka_configs_describes_and_alters_a_topic() {
    let mut rig = Rig::new();
    rig.run(&format!(
        "kafka-topics {B} --create --topic t --config retention.ms=60000"
    ));
    assert_eq!(
        rig.stdout(&format!("kafka-configs {B} --describe --entity-type topics --entity-name t")),
        [
            "Dynamic configs for topic t are:",
            "  retention.ms=60000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=60000, DEFAULT_CONFIG:log.retention.ms=604800000}"
        ]
    );
    assert_eq!(
        rig.stdout(&format!("kafka-configs {B} --alter --topic t --add-config cleanup.policy=[compact,delete],segment.ms=100000 --delete-config retention.ms")),
        ["Completed updating config for topic t."]
    );
    let described = rig.stdout(&format!(
        "kafka-configs {B} --describe --entity-type topics --entity-name t"
    ));
    assert_eq!(described.len(), 3, "{described:?}");
    assert!(described[1].starts_with("  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}"), "{described:?}");
    assert!(
        described[2].starts_with("  segment.ms=100000 "),
        "{described:?}"
    );
    let all = rig.stdout(&format!("kafka-configs {B} --describe --all --topic t"));
    assert_eq!(all[0], "All configs for topic t are:");
    assert!(all.iter().any(|l| l.starts_with("  retention.ms=604800000 sensitive=false synonyms={DEFAULT_CONFIG:log.retention.ms=604800000}")), "{all:?}");
    // Kafka's refusals.
    let missing = rig.run(&format!(
        "kafka-configs {B} --alter --topic t --delete-config retention.ms"
    ));
    assert_eq!(missing[0].1, "Invalid config(s): retention.ms");
    let bad = rig.run(&format!(
        "kafka-configs {B} --alter --topic t --add-config retention.ms=soon"
    ));
    assert!(bad[0].1.contains("retention.ms"), "{bad:?}");
    assert_eq!(rig.shell.status(), 1);
    assert_eq!(
        rig.shell
            .complete("kafka-configs --describe --entity-name t"),
        ["t"]
    );
}

#[test]
fn help_lists_every_tool_and_each_tool_has_its_help() {
    let mut rig = Rig::new();
    let help = rig.stdout("help").join("\n");
    for tool in [
        "kafka-topics",
        "kafka-console-producer",
        "kafka-console-consumer",
        "kafka-consumer-groups",
        "kafka-get-offsets",
        "kafka-configs",
        "kafka-delete-records",
        "curl",
    ] {
        assert!(help.contains(tool), "help lists {tool}");
        let usage = rig.run(&format!("{tool} --help"));
        assert!(
            usage.len() > 3,
            "{tool} --help prints its options: {usage:?}"
        );
    }
}

#[test]
fn a_long_value_is_cut_with_its_length_said() {
    let mut rig = Rig::new();
    rig.run(&format!(
        "kafka-topics {B} --create --topic long --partitions 1"
    ));
    rig.run(&format!("kafka-console-producer {B} --topic long"));
    rig.run(&"x".repeat(500));
    let ended = rig.shell.end_of_input();
    rig.drive(ended, 0);
    let printed = rig.stdout(&format!(
        "kafka-console-consumer {B} --topic long --partition 0 --offset 0 --max-messages 1"
    ));
    assert_eq!(printed, [format!("{}… (500 bytes)", "x".repeat(200))]);
}

#[test]
fn the_console_producer_parses_headers_as_line_message_reader_does() {
    let mut rig = Rig::new();
    rig.run(&format!(
        "kafka-topics {B} --create --topic h --partitions 1"
    ));
    rig.run(&format!(
        "kafka-console-producer {B} --topic h --property parse.headers=true --property parse.key=true"
    ));
    rig.run("source:web,trace:42\tuser-1\tclicked");
    let ended = rig.shell.end_of_input();
    rig.drive(ended, 0);
    assert_eq!(
        rig.stdout(&format!(
            "kafka-console-consumer {B} --topic h --partition 0 --offset 0 --max-messages 1 --property print.headers=true --property print.key=true"
        )),
        ["source:web,trace:42\tuser-1\tclicked"]
    );
    rig.run(&format!(
        "kafka-console-producer {B} --topic h --property parse.headers=true"
    ));
    let bad = rig.run("nodelimiter");
    assert_eq!(
        bad[0].1,
        "org.apache.kafka.common.KafkaException: No headers delimiter found on line number 1: 'nodelimiter'"
    );
    assert_eq!(rig.shell.status(), 1);
}
