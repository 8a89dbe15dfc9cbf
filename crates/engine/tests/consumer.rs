//! The simulated consumers with assigned partitions: where they start,
//! what poll returns, commits, auto-commit and at-least-once delivery.

use bytes::Bytes;
use engine::clock::Millis;
use engine::cluster::{Cluster, ClusterConfig, NewTopic};
use engine::consumer_config::ConsumerConfig;
use engine::group::assignor::TopicPartition;
use engine::playground::{ConsumerRef, Playground};
use engine::producer_config::{ClientFlavour, ProducerConfig};
use engine::record::ProducerRecord;

fn playground_with_records(count: usize) -> Playground {
    let mut p = Playground::new(
        Cluster::new(ClusterConfig::default(), 1, Millis(0)).unwrap(),
        1,
    );
    p.cluster_mut()
        .create_topic(NewTopic::new("t", 1, 3))
        .unwrap();
    produce(&mut p, 0, count);
    p
}

fn produce(p: &mut Playground, from: usize, count: usize) {
    let (config, _) = ProducerConfig::parse(ClientFlavour::Java, &[("linger.ms", "0")]).unwrap();
    let producer = p.add_producer(config, 1).unwrap();
    for i in from..from + count {
        let now = p.now();
        let record = ProducerRecord {
            value: Some(Bytes::from(format!("m{i}"))),
            timestamp: now.0,
            ..ProducerRecord::default()
        };
        p.send(producer, "t", Some(0), record).unwrap();
    }
    assert_eq!(p.flush(producer, 10_000), 0);
}

fn consumer(p: &mut Playground, flavour: ClientFlavour, settings: &[(&str, &str)]) -> ConsumerRef {
    let (config, _) = ConsumerConfig::parse(flavour, settings).unwrap();
    let c = p.add_consumer(config);
    p.consumer_mut(c)
        .unwrap()
        .assign(vec![TopicPartition::new("t", 0)])
        .unwrap();
    c
}

/// A Java consumer in group `g` from the earliest offset, auto-committing
/// every 5 s.
fn auto_committing(p: &mut Playground) -> ConsumerRef {
    let settings = [
        ("group.id", "g"),
        ("auto.offset.reset", "earliest"),
        ("auto.commit.interval.ms", "5000"),
    ];
    consumer(p, ClientFlavour::Java, &settings)
}

fn values(records: &[engine::consumer::ConsumerRecord]) -> Vec<String> {
    records
        .iter()
        .map(|r| String::from_utf8(r.value.clone().unwrap().to_vec()).unwrap())
        .collect()
}

#[test]
fn auto_offset_reset_decides_where_a_new_consumer_starts() {
    let mut p = playground_with_records(5);
    let early = consumer(
        &mut p,
        ClientFlavour::Java,
        &[("group.id", "a"), ("auto.offset.reset", "earliest")],
    );
    assert_eq!(
        values(&p.poll(early, 500).unwrap()),
        ["m0", "m1", "m2", "m3", "m4"]
    );
    let late = consumer(&mut p, ClientFlavour::Librdkafka, &[("group.id", "b")]);
    assert!(
        p.poll(late, 10).unwrap().is_empty(),
        "librdkafka's default is largest"
    );
    produce(&mut p, 5, 2);
    assert_eq!(values(&p.poll(late, 10).unwrap()), ["m5", "m6"]);

    let strict = consumer(
        &mut p,
        ClientFlavour::Java,
        &[("group.id", "c"), ("auto.offset.reset", "none")],
    );
    let err = p.poll(strict, 10).unwrap_err();
    assert_eq!(err.message, "org.apache.kafka.clients.consumer.NoOffsetForPartitionException: Undefined offset with no reset policy for partitions: [t-0]");
}

#[test]
fn poll_returns_at_most_max_records_and_positions_follow() {
    let mut p = playground_with_records(10);
    let c = consumer(
        &mut p,
        ClientFlavour::Java,
        &[
            ("group.id", "g"),
            ("auto.offset.reset", "earliest"),
            ("max.poll.records", "4"),
        ],
    );
    assert_eq!(values(&p.poll(c, 4).unwrap()), ["m0", "m1", "m2", "m3"]);
    let tp = TopicPartition::new("t", 0);
    assert_eq!(p.consumer(c).unwrap().position(&tp), Some(4));
    assert_eq!(p.consumer(c).unwrap().lag(p.cluster()), [(tp.clone(), 6)]);
    p.consumer_mut(c).unwrap().seek(&tp, 8).unwrap();
    assert_eq!(values(&p.poll(c, 4).unwrap()), ["m8", "m9"]);
    p.consumer_mut(c).unwrap().seek(&tp, 0).unwrap();
    p.consumer_mut(c).unwrap().set_paused(&tp, true);
    assert!(p.poll(c, 4).unwrap().is_empty(), "paused");
    let other = TopicPartition::new("t", 7);
    assert!(p
        .consumer_mut(c)
        .unwrap()
        .seek(&other, 0)
        .unwrap_err()
        .message
        .contains("No current assignment for partition t-7"));
}

#[test]
fn a_commit_lets_the_next_consumer_of_the_group_resume() {
    let mut p = playground_with_records(6);
    let first = consumer(
        &mut p,
        ClientFlavour::Librdkafka,
        &[
            ("group.id", "g"),
            ("auto.offset.reset", "earliest"),
            ("enable.auto.commit", "false"),
        ],
    );
    assert_eq!(p.poll(first, 4).unwrap().len(), 4);
    p.commit(first).unwrap();
    let second = consumer(
        &mut p,
        ClientFlavour::Librdkafka,
        &[("group.id", "g"), ("auto.offset.reset", "earliest")],
    );
    assert_eq!(
        values(&p.poll(second, 10).unwrap()),
        ["m4", "m5"],
        "resumed from the committed offset 4"
    );
    let committed = p
        .coordinator()
        .fetch_offsets("g", Some(&[TopicPartition::new("t", 0)]));
    assert_eq!(committed[0].offset, 4);

    let groupless = consumer(
        &mut p,
        ClientFlavour::Java,
        &[("auto.offset.reset", "earliest")],
    );
    p.poll(groupless, 1).unwrap();
    let err = p.commit(groupless).unwrap_err();
    assert!(
        err.message.contains("you must provide a valid group.id"),
        "{err}"
    );
}

#[test]
fn auto_commit_gives_at_least_once_delivery_after_a_crash() {
    let mut p = playground_with_records(6);
    let c = auto_committing(&mut p);
    assert_eq!(
        p.poll(c, 3).unwrap().len(),
        3,
        "processed m0..m2; nothing committed yet"
    );
    p.step(6_000);
    assert_eq!(
        p.poll(c, 2).unwrap().len(),
        2,
        "this poll auto-commits offset 3 first"
    );
    // Crash after processing m3, m4 but before the next auto-commit.
    p.crash_consumer(c);
    p.consumer_mut(c)
        .unwrap()
        .assign(vec![TopicPartition::new("t", 0)])
        .unwrap();
    assert_eq!(
        values(&p.poll(c, 10).unwrap()),
        ["m3", "m4", "m5"],
        "m3 and m4 are delivered twice"
    );
}

/// The auto-commit timer starts with the consumer (Java's
/// ConsumerCoordinator sets nextAutoCommitTimer to the interval when it is
/// made): the first poll commits nothing, the first poll an interval later
/// commits what the application had by then.
#[test]
fn the_first_auto_commit_waits_an_interval() {
    let mut p = playground_with_records(6);
    let c = auto_committing(&mut p);
    let tp = [TopicPartition::new("t", 0)];
    let committed = |p: &Playground| p.consumer(c).unwrap().committed(p.coordinator(), &tp)[0].1;
    assert_eq!(p.poll(c, 3).unwrap().len(), 3);
    assert_eq!(committed(&p), None, "the first poll does not commit");
    p.step(4_000);
    assert_eq!(p.poll(c, 1).unwrap().len(), 1);
    assert_eq!(committed(&p), None, "4 s in: the interval has not passed");
    p.step(1_000);
    assert_eq!(p.poll(c, 1).unwrap().len(), 1);
    assert_eq!(committed(&p), Some(4), "5 s in: the offsets of what it had");
}

#[test]
fn an_out_of_range_position_resets_by_auto_offset_reset() {
    let mut p = playground_with_records(3);
    let tp = TopicPartition::new("t", 0);
    let c = consumer(
        &mut p,
        ClientFlavour::Java,
        &[("group.id", "g"), ("auto.offset.reset", "earliest")],
    );
    p.consumer_mut(c).unwrap().seek(&tp, 100).unwrap();
    assert!(
        p.poll(c, 10).unwrap().is_empty(),
        "OFFSET_OUT_OF_RANGE: reset this poll"
    );
    assert_eq!(
        values(&p.poll(c, 10).unwrap()),
        ["m0", "m1", "m2"],
        "read again from the earliest offset"
    );
    let strict = consumer(
        &mut p,
        ClientFlavour::Java,
        &[("group.id", "h"), ("auto.offset.reset", "none")],
    );
    p.consumer_mut(strict).unwrap().seek(&tp, 100).unwrap();
    assert!(p
        .poll(strict, 10)
        .unwrap_err()
        .message
        .contains("NoOffsetForPartitionException"));
}
