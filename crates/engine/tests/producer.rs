//! The simulated producer clients: batching and linger, partitioners,
//! acks, flush, retries, duplicates and reordering without idempotence,
//! their absence with it, timeouts and the clients' own errors.

use std::collections::BTreeSet;

use bytes::Bytes;
use engine::clock::Millis;
use engine::cluster::{Cluster, ClusterConfig, NewTopic, OffsetSpec};
use engine::events::Event;
use engine::partitioner::{crc32, java_partition_for_key};
use engine::playground::{Playground, ProducerRef};
use engine::producer::DeliveryReport;
use engine::producer_config::{ClientFlavour, ProducerConfig};
use engine::record::{decode_batch, ProducerRecord};
use proptest::prelude::*;

fn playground(brokers: i32) -> Playground {
    let config = ClusterConfig {
        broker_count: brokers,
        ..ClusterConfig::default()
    };
    Playground::new(Cluster::new(config, 5, Millis(1_000_000)).unwrap(), 9)
}

fn producer(p: &mut Playground, flavour: ClientFlavour, settings: &[(&str, &str)]) -> ProducerRef {
    let (config, _) = ProducerConfig::parse(flavour, settings).unwrap();
    p.add_producer(config, 3).unwrap()
}

fn record(key: Option<&str>, value: &str, now: Millis) -> ProducerRecord {
    ProducerRecord {
        key: key.map(|k| Bytes::from(k.to_owned())),
        value: Some(Bytes::from(value.to_owned())),
        headers: vec![],
        timestamp: now.0,
    }
}

fn send(p: &mut Playground, producer: ProducerRef, topic: &str, key: Option<&str>, value: &str) {
    let now = p.now();
    p.send(producer, topic, None, record(key, value, now))
        .unwrap();
}

fn reports(p: &mut Playground, producer: ProducerRef) -> Vec<DeliveryReport> {
    p.producer_mut(producer).unwrap().take_reports()
}

fn log_values(p: &Playground, topic: &str, partition: i32) -> Vec<String> {
    let cluster = p.cluster();
    let start = cluster
        .list_offsets(topic, partition, OffsetSpec::Earliest)
        .unwrap()
        .unwrap();
    cluster
        .fetch(topic, partition, start, u64::MAX)
        .unwrap()
        .batches
        .iter()
        .flat_map(|b| decode_batch(&b.bytes).unwrap())
        .map(|r| String::from_utf8(r.value.unwrap().to_vec()).unwrap())
        .collect()
}

#[test]
fn java_producer_lingers_then_sends_keyed_records_to_murmur2_partitions() {
    let mut p = playground(3);
    p.cluster_mut()
        .create_topic(NewTopic::new("orders", 6, 3))
        .unwrap();
    let producer = producer(&mut p, ClientFlavour::Java, &[]);
    for i in 0..12 {
        send(
            &mut p,
            producer,
            "orders",
            Some(&format!("customer-{i}")),
            "order",
        );
    }
    p.step(4);
    assert!(
        reports(&mut p, producer).is_empty(),
        "linger.ms=5: nothing sent yet"
    );
    p.step(1);
    p.step(1);
    let delivered = reports(&mut p, producer);
    assert_eq!(delivered.len(), 12, "acks=all answered after replication");
    for report in &delivered {
        assert!(report.error.is_none());
        let i = report.handle.0 - 1;
        let expected = java_partition_for_key(format!("customer-{i}").as_bytes(), 6).unwrap();
        assert_eq!(
            report.partition, expected,
            "murmur2 partition for customer-{i}"
        );
    }
    let id = p.producer(producer).unwrap().producer_id();
    assert!(
        id.is_some(),
        "Java's default enable.idempotence=true fetched a producer id"
    );
}

#[test]
fn librdkafka_consistent_random_hashes_keys_with_crc32() {
    let mut p = playground(1);
    p.cluster_mut()
        .create_topic(NewTopic::new("clicks", 4, 1))
        .unwrap();
    let producer = producer(&mut p, ClientFlavour::Librdkafka, &[]);
    for key in ["alice", "bob", "carol", "dave", "erin"] {
        send(&mut p, producer, "clicks", Some(key), "click");
    }
    assert_eq!(p.flush(producer, 10_000), 0);
    let keys = ["alice", "bob", "carol", "dave", "erin"];
    for report in reports(&mut p, producer) {
        let key = keys[(report.handle.0 - 1) as usize];
        assert_eq!(report.partition as u32, crc32(key.as_bytes()) % 4, "{key}");
        assert!(report.offset >= 0);
    }
}

#[test]
fn a_full_batch_goes_without_waiting_for_linger() {
    let mut p = playground(1);
    p.cluster_mut()
        .create_topic(NewTopic::new("t", 1, 1))
        .unwrap();
    let producer = producer(
        &mut p,
        ClientFlavour::Java,
        &[("batch.size", "1024"), ("linger.ms", "60000")],
    );
    for i in 0..20 {
        send(
            &mut p,
            producer,
            "t",
            Some("k"),
            &format!("value-{i:03}-{}", "x".repeat(80)),
        );
    }
    p.step(1);
    let sent: Vec<usize> = p
        .producer_mut(producer)
        .unwrap()
        .drain_events()
        .into_iter()
        .filter_map(|e| match e.event {
            Event::ProducerBatchSent { records, .. } => Some(records),
            _ => None,
        })
        .collect();
    assert!(
        sent.len() >= 2,
        "full batches were sent despite linger.ms=60000: {sent:?}"
    );
    assert!(sent.iter().all(|&n| n < 20));
    let left = p.producer(producer).unwrap().outstanding();
    assert!(
        left > 0 && left < 20,
        "the last, open batch still lingers ({left} records)"
    );
    assert_eq!(p.flush(producer, 1_000), 0, "flush sends it at once");
    assert_eq!(log_values(&p, "t", 0).len(), 20);
}

#[test]
fn compression_shrinks_what_goes_on_the_wire() {
    let mut p = playground(1);
    p.cluster_mut()
        .create_topic(NewTopic::new("t", 1, 1))
        .unwrap();
    let producer = producer(
        &mut p,
        ClientFlavour::Librdkafka,
        &[("compression.codec", "gzip")],
    );
    for i in 0..50 {
        send(
            &mut p,
            producer,
            "t",
            None,
            &format!("{{\"sensor\": \"s-{}\", \"celsius\": 21.5}}", i % 3),
        );
    }
    p.flush(producer, 1_000);
    let (raw, wire) = p
        .producer_mut(producer)
        .unwrap()
        .drain_events()
        .into_iter()
        .find_map(|e| match e.event {
            Event::ProducerBatchSent {
                uncompressed_bytes,
                wire_bytes,
                ..
            } => Some((uncompressed_bytes, wire_bytes)),
            _ => None,
        })
        .unwrap();
    assert!(
        wire * 3 < raw,
        "gzip: {wire} bytes on the wire for {raw} bytes of records"
    );
    assert_eq!(log_values(&p, "t", 0).len(), 50);
}

#[test]
fn a_lost_response_makes_a_duplicate_only_without_idempotence() {
    for idempotent in [false, true] {
        let mut p = playground(1);
        p.cluster_mut()
            .create_topic(NewTopic::new("t", 1, 1))
            .unwrap();
        let flag = if idempotent { "true" } else { "false" };
        let producer = producer(
            &mut p,
            ClientFlavour::Librdkafka,
            &[("enable.idempotence", flag), ("request.timeout.ms", "5000")],
        );
        send(&mut p, producer, "t", None, "payment-1");
        p.faults_mut().drop_next_responses(1);
        assert_eq!(p.flush(producer, 60_000), 0);
        let report = reports(&mut p, producer).remove(0);
        assert!(report.error.is_none(), "{report:?}");
        let values = log_values(&p, "t", 0);
        if idempotent {
            assert_eq!(values, ["payment-1"], "the broker recognised the retry");
            assert_eq!(
                report.offset, 0,
                "the retry is answered with the original offset"
            );
        } else {
            assert_eq!(
                values,
                ["payment-1", "payment-1"],
                "the retry wrote it twice"
            );
        }
    }
}

#[test]
fn without_idempotence_a_retried_batch_can_land_after_a_later_one() {
    let mut p = playground(1);
    p.cluster_mut()
        .create_topic(NewTopic::new("t", 1, 1))
        .unwrap();
    let producer = producer(
        &mut p,
        ClientFlavour::Librdkafka,
        &[
            ("linger.ms", "0"),
            ("max.in.flight", "5"),
            ("request.timeout.ms", "1000"),
        ],
    );
    p.faults_mut().drop_next_requests(1);
    send(&mut p, producer, "t", None, "first");
    send(&mut p, producer, "t", None, "second");
    assert_eq!(p.flush(producer, 60_000), 0);
    assert_eq!(
        log_values(&p, "t", 0),
        ["second", "first"],
        "reordered by the retry"
    );
}

#[test]
fn undeliverable_records_time_out_with_each_clients_error() {
    for (flavour, settings, expected) in [
        (
            ClientFlavour::Librdkafka,
            vec![("message.timeout.ms", "3000")],
            "Local: Message timed out",
        ),
        (
            ClientFlavour::Java,
            vec![
                ("delivery.timeout.ms", "3000"),
                ("request.timeout.ms", "1000"),
                ("linger.ms", "0"),
            ],
            "Expiring 1 record(s) for t-0",
        ),
    ] {
        let mut p = playground(1);
        p.cluster_mut()
            .create_topic(NewTopic::new("t", 1, 1))
            .unwrap();
        let producer = producer(&mut p, flavour, &settings);
        p.cluster_mut().stop_broker(1).unwrap();
        send(&mut p, producer, "t", None, "nowhere");
        let left = p.flush(producer, 10_000);
        assert_eq!(
            left, 0,
            "{flavour:?}: a failed record is reported, not outstanding"
        );
        let report = reports(&mut p, producer).remove(0);
        let error = report.error.expect("failed");
        assert!(error.message.contains(expected), "{flavour:?}: {error}");
    }
}

#[test]
fn client_side_errors_use_the_clients_words() {
    let mut p = playground(1);
    p.cluster_mut()
        .create_topic(NewTopic::new("t", 2, 1))
        .unwrap();
    let rd = producer(
        &mut p,
        ClientFlavour::Librdkafka,
        &[("queue.buffering.max.messages", "2"), ("linger.ms", "1000")],
    );
    send(&mut p, rd, "t", None, "a");
    send(&mut p, rd, "t", None, "b");
    let now = p.now();
    let full = p.send(rd, "t", None, record(None, "c", now)).unwrap_err();
    assert_eq!(full.message, "Local: Queue full");
    let other = producer(&mut p, ClientFlavour::Librdkafka, &[]);
    let bad_partition = p
        .send(other, "t", Some(5), record(None, "c", now))
        .unwrap_err();
    assert_eq!(bad_partition.message, "Local: Unknown partition");

    let java = producer(&mut p, ClientFlavour::Java, &[("max.request.size", "1000")]);
    let big = p
        .send(java, "t", None, record(None, &"x".repeat(2_000), now))
        .unwrap_err();
    assert!(
        big.message.contains("RecordTooLargeException") && big.message.contains("max.request.size"),
        "{big}"
    );

    let config = ClusterConfig {
        broker_count: 1,
        auto_create_topics_enable: false,
        ..ClusterConfig::default()
    };
    let mut strict = Playground::new(Cluster::new(config, 1, Millis(0)).unwrap(), 1);
    let java = producer(&mut strict, ClientFlavour::Java, &[]);
    let now = strict.now();
    let missing = strict
        .send(java, "nope", None, record(None, "x", now))
        .unwrap_err();
    assert!(
        missing
            .message
            .contains("Topic nope not present in metadata after 60000 ms."),
        "{missing}"
    );
}

#[test]
fn topics_are_auto_created_with_broker_defaults() {
    let mut p = playground(1);
    let producer = producer(&mut p, ClientFlavour::Librdkafka, &[]);
    send(&mut p, producer, "created-on-first-use", None, "hello");
    assert_eq!(p.flush(producer, 1_000), 0);
    assert_eq!(
        p.cluster().partition_count("created-on-first-use").unwrap(),
        1
    );
    assert_eq!(log_values(&p, "created-on-first-use", 0), ["hello"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Under random loss of requests and responses, an idempotent producer
    /// writes every record it reports as delivered exactly once, in order.
    #[test]
    fn idempotent_producer_never_writes_a_duplicate(
        request_loss in 0_u32..400,
        response_loss in 0_u32..400,
        count in 1_usize..40,
        seed in any::<u64>(),
    ) {
        let mut p = Playground::new(
            Cluster::new(ClusterConfig { broker_count: 3, ..ClusterConfig::default() }, seed, Millis(0)).unwrap(),
            seed,
        );
        p.cluster_mut().create_topic(NewTopic::new("t", 2, 3)).unwrap();
        let producer = producer(&mut p, ClientFlavour::Java, &[("linger.ms", "0"), ("request.timeout.ms", "500")]);
        p.faults_mut().set_loss(request_loss, response_loss);
        for i in 0..count {
            let now = p.now();
            p.send(producer, "t", None, record(Some(&format!("k{}", i % 7)), &format!("v{i}"), now)).unwrap();
            p.step(1);
        }
        p.flush(producer, 600_000);
        let delivered: BTreeSet<String> = reports(&mut p, producer)
            .into_iter()
            .filter(|r| r.error.is_none())
            .map(|r| format!("v{}", r.handle.0 - 1))
            .collect();
        for partition in 0..2 {
            let values = log_values(&p, "t", partition);
            let unique: BTreeSet<&String> = values.iter().collect();
            prop_assert_eq!(unique.len(), values.len(), "a duplicate in partition {}: {:?}", partition, values);
            let numbers: Vec<usize> = values.iter().map(|v| v[1..].parse().unwrap()).collect();
            prop_assert!(numbers.windows(2).all(|w| w[0] < w[1]), "out of order: {:?}", values);
        }
        let written: BTreeSet<String> = (0..2).flat_map(|partition| log_values(&p, "t", partition)).collect();
        prop_assert!(delivered.is_subset(&written), "delivered but missing");
    }
}

#[test]
fn a_request_delayed_past_the_timeout_arrives_after_its_retry() {
    for idempotent in [false, true] {
        let mut p = playground(1);
        p.cluster_mut()
            .create_topic(NewTopic::new("t", 1, 1))
            .unwrap();
        let flag = if idempotent { "true" } else { "false" };
        let settings = [
            ("enable.idempotence", flag),
            ("request.timeout.ms", "1000"),
            ("linger.ms", "0"),
        ];
        let producer = producer(&mut p, ClientFlavour::Librdkafka, &settings);
        p.faults_mut().delay_next_request(5_000);
        send(&mut p, producer, "t", None, "late");
        assert_eq!(p.flush(producer, 60_000), 0);
        // The retry is answered first; the late original lands afterwards.
        p.step(10_000);
        let values = log_values(&p, "t", 0);
        if idempotent {
            assert_eq!(values, ["late"], "the broker drops the late duplicate");
        } else {
            assert_eq!(values, ["late", "late"], "the late original is written too");
        }
        assert!(reports(&mut p, producer)[0].error.is_none());
    }
}

#[test]
fn a_full_buffer_blocks_java_send_until_batches_free_space() {
    // Three replicas: acks=all waits for the followers to fetch, so batches
    // take engine time to complete (a leader alone in its ISR would answer
    // at once, as Kafka does).
    let mut p = playground(3);
    p.cluster_mut()
        .create_topic(NewTopic::new("t", 1, 3))
        .unwrap();
    let java = producer(
        &mut p,
        ClientFlavour::Java,
        &[
            ("buffer.memory", "2000"),
            ("batch.size", "1000"),
            ("linger.ms", "50"),
        ],
    );
    let start = p.now();
    for i in 0..30 {
        send(&mut p, java, "t", None, &format!("{i:0>100}"));
    }
    assert!(
        p.now().since(start) > 0,
        "send() blocked while the buffer drained"
    );
    assert_eq!(p.flush(java, 10_000), 0);
    assert_eq!(
        log_values(&p, "t", 0).len(),
        30,
        "nothing was lost while blocking"
    );

    // With the brokers gone, nothing drains: send() gives up after max.block.ms.
    for broker in 1..=3 {
        p.cluster_mut().stop_broker(broker).unwrap();
    }
    let stuck = producer(
        &mut p,
        ClientFlavour::Java,
        &[("buffer.memory", "300"), ("max.block.ms", "2000")],
    );
    let now = p.now();
    p.send(stuck, "t", None, record(None, &"x".repeat(200), now))
        .unwrap();
    let before = p.now();
    let err = p
        .send(stuck, "t", None, record(None, &"y".repeat(200), now))
        .unwrap_err();
    assert!(
        err.message
            .contains("Failed to allocate memory within the configured max blocking time 2000 ms."),
        "{err}"
    );
    assert_eq!(p.now().since(before), 2_000, "it blocked for max.block.ms");
}

#[test]
fn java_sticks_to_one_partition_per_batch_for_null_keys_per_topic() {
    let mut p = playground(1);
    p.cluster_mut()
        .create_topic(NewTopic::new("a", 4, 1))
        .unwrap();
    p.cluster_mut()
        .create_topic(NewTopic::new("b", 3, 1))
        .unwrap();
    let java = producer(
        &mut p,
        ClientFlavour::Java,
        &[("batch.size", "2000"), ("linger.ms", "1000")],
    );
    for i in 0..60 {
        send(
            &mut p,
            java,
            if i % 2 == 0 { "a" } else { "b" },
            None,
            &"x".repeat(100),
        );
    }
    p.flush(java, 10_000);
    let delivered = reports(&mut p, java);
    for topic in ["a", "b"] {
        let partitions: Vec<i32> = delivered
            .iter()
            .filter(|r| r.topic == topic)
            .map(|r| r.partition)
            .collect();
        let switches = partitions.windows(2).filter(|w| w[0] != w[1]).count();
        // 30 records of ~120 bytes: a switch after every ~2000 bytes.
        assert!(
            (1..=3).contains(&switches),
            "{topic}: sticky runs, {switches} switches in {partitions:?}"
        );
    }
}

#[test]
fn the_playground_merges_cluster_and_producer_events_in_time_order() {
    let mut p = playground(1);
    p.cluster_mut()
        .create_topic(NewTopic::new("t", 1, 1))
        .unwrap();
    let producer = producer(&mut p, ClientFlavour::Librdkafka, &[]);
    send(&mut p, producer, "t", None, "x");
    p.flush(producer, 1_000);
    let events = p.drain_events();
    assert!(
        events.windows(2).all(|w| w[0].at <= w[1].at),
        "in time order"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e.event, Event::TopicCreated { .. })),
        "a cluster event"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e.event, Event::ProducerBatchSent { .. })),
        "a producer event"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e.event, Event::BatchAppended { .. })));
    assert!(p.drain_events().is_empty(), "drained");
}
