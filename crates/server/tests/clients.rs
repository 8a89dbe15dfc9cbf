//! Real, unmodified clients against the server binary: confluent-kafka
//! (librdkafka), kafka-python and kcat, each test on its own server with
//! free ports.

mod support;

use std::process::Command;

use engine::partitioner::PartitionerKind;
use engine::rng::Rng;
use support::{run_ok, run_python, Server};

#[test]
fn confluent_admin_producer_consumer_idempotence() {
    let server = Server::start();
    let out = run_python("confluent_basic.py", &[&server.bootstrap], &server);
    // Keyed records landed where librdkafka's default partitioner
    // (consistent_random: CRC-32 of the key) put them, as the engine's
    // copy of that partitioner computes.
    let mut checked = 0;
    for line in out.lines().filter_map(|l| l.strip_prefix("PARTITION ")) {
        let (key, partition) = line.split_once(' ').expect("key and partition");
        let expected = PartitionerKind::ConsistentRandom
            .partition(Some(key.as_bytes()), &[true; 3], &mut Rng::seeded(0))
            .expect("3 partitions");
        assert_eq!(
            partition.parse::<i32>().expect("a number"),
            expected,
            "partition of key {key}"
        );
        checked += 1;
    }
    assert_eq!(checked, 30);
}

#[test]
fn confluent_group_rebalances_with_range() {
    let server = Server::start();
    run_python("confluent_group.py", &[&server.bootstrap, "range"], &server);
}

#[test]
fn confluent_group_rebalances_with_cooperative_sticky() {
    let server = Server::start();
    run_python(
        "confluent_group.py",
        &[&server.bootstrap, "cooperative-sticky"],
        &server,
    );
}

#[test]
fn confluent_list_offsets_by_time_deleted_topics_and_delete_groups() {
    let server = Server::start();
    run_python("confluent_fidelity.py", &[&server.bootstrap], &server);
}

#[test]
fn confluent_schema_registry_and_avro() {
    let server = Server::start();
    run_python(
        "confluent_registry.py",
        &[&server.bootstrap, &server.registry],
        &server,
    );
}

#[test]
fn kafka_python_producer_group_admin() {
    let server = Server::start();
    run_python("kafka_python_clients.py", &[&server.bootstrap], &server);
}

#[test]
fn kcat_metadata_produce_consume_group() {
    let server = Server::start();
    let b = server.bootstrap.as_str();
    let input = std::env::temp_dir().join(format!("kcat-input-{}.txt", std::process::id()));
    let lines: Vec<String> = (0..100)
        .map(|i| format!("user{}:click {i}", i % 7))
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").expect("input file");

    run_ok(
        Command::new("kcat")
            .args(["-b", b, "-P", "-t", "clicks", "-K:", "-l"])
            .arg(&input),
        &server,
    );
    let listing = run_ok(Command::new("kcat").args(["-b", b, "-L"]), &server);
    assert!(listing.contains("3 brokers:"), "{listing}");
    assert!(
        listing.contains("topic \"clicks\" with 1 partitions"),
        "{listing}"
    );

    let consumed = run_ok(
        Command::new("kcat").args([
            "-b",
            b,
            "-C",
            "-t",
            "clicks",
            "-o",
            "beginning",
            "-e",
            "-f",
            "%k=%s\n",
        ]),
        &server,
    );
    let got: Vec<&str> = consumed.lines().collect();
    let want: Vec<String> = lines.iter().map(|l| l.replacen(':', "=", 1)).collect();
    assert_eq!(got, want);

    let grouped = run_ok(
        Command::new("timeout").args([
            "30",
            "kcat",
            "-b",
            b,
            "-G",
            "kcat-group",
            "clicks",
            "-o",
            "beginning",
            "-c",
            "100",
            "-f",
            "%o\n",
        ]),
        &server,
    );
    let offsets: Vec<i64> = grouped
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    assert_eq!(offsets, (0..100).collect::<Vec<i64>>());
    let _ = std::fs::remove_file(&input);
}

#[test]
fn course_notes_avro_producer_and_consumer() {
    let server = Server::start();
    let out = run_python(
        "course_avro_producer.py",
        &[&server.bootstrap, &server.registry],
        &server,
    );
    assert!(out.contains("DONE"), "{out}");
}

/// `--override` sets broker settings as server.properties would: with
/// `auto.create.topics.enable=false` Metadata no longer creates topics,
/// `num.partitions=4` is what CreateTopics without a count gets, and
/// DescribeConfigs reports both as STATIC_BROKER_CONFIG (confluent-kafka's
/// admin client; `NewTopic` without a count sends num_partitions=-1).
#[test]
fn broker_overrides_change_what_clients_see() {
    let dist = std::env::temp_dir().join(format!("kplay-dist-override-{}", std::process::id()));
    std::fs::create_dir_all(&dist).expect("dist");
    let args: Vec<std::ffi::OsString> = [
        "--override",
        "auto.create.topics.enable=false",
        "--override",
        "num.partitions=4",
    ]
    .iter()
    .map(std::ffi::OsString::from)
    .collect();
    let refs: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsString::as_os_str).collect();
    let server = Server::start_with_args(&dist, &refs);
    run_python("broker_overrides.py", &[&server.bootstrap], &server);
    let _ = std::fs::remove_dir_all(&dist);
}

#[test]
fn a_bad_override_stops_the_start_with_kafkas_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_kafka-playground"))
        .args([
            "serve",
            "--kafka-port",
            "0",
            "--registry-port",
            "0",
            "--connect-port",
            "0",
            "--feed-port",
            "0",
            "--override",
            "num.partitions=0",
        ])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("Invalid value 0 for configuration num.partitions: Value must be at least 1"),
        "{stderr}"
    );
}

#[test]
fn kafka_connect_filestream_source_and_sink_over_rest() {
    let server = Server::start();
    let out = run_python(
        "connect_filestream.py",
        &[&server.bootstrap, &server.connect],
        &server,
    );
    assert!(out.contains("DONE"), "{out}");
}
