//! Behaviour of the in-memory cluster through its public API: admin
//! operations with Kafka's errors, produce with each `acks`, replication,
//! leader election, ISR changes, retention and the memory cap.

use bytes::Bytes;
use engine::clock::Millis;
use engine::cluster::{
    Acks, Cluster, ClusterConfig, NetworkCut, NewTopic, OffsetSpec, ProduceOutcome,
};
use engine::error::ErrorCode;
use engine::events::{Event, IsrChangeReason};
use engine::partitioner::java_partition_for_key;
use engine::record::{decode_batch, encode_batch, Compression, ProducerRecord, ProducerStamp};

fn cluster(brokers: i32) -> Cluster {
    let config = ClusterConfig {
        broker_count: brokers,
        ..ClusterConfig::default()
    };
    Cluster::new(config, 7, Millis(1_000_000)).unwrap()
}

fn batch(values: &[&str], timestamp: i64) -> Bytes {
    let records: Vec<ProducerRecord> = values
        .iter()
        .map(|v| ProducerRecord {
            key: None,
            value: Some(Bytes::from(v.to_string())),
            headers: vec![],
            timestamp,
        })
        .collect();
    encode_batch(&records, ProducerStamp::NONE, Compression::None).unwrap()
}

fn values_from(cluster: &Cluster, topic: &str, partition: i32) -> Vec<String> {
    let start = cluster
        .list_offsets(topic, partition, OffsetSpec::Earliest)
        .unwrap()
        .unwrap();
    let data = cluster.fetch(topic, partition, start, u64::MAX).unwrap();
    data.batches
        .iter()
        .flat_map(|b| decode_batch(&b.bytes).unwrap())
        .map(|r| String::from_utf8(r.value.unwrap().to_vec()).unwrap())
        .collect()
}

fn code(result: Result<impl std::fmt::Debug, engine::error::KafkaError>) -> ErrorCode {
    result.unwrap_err().code
}

#[test]
fn create_topic_validates_like_kafka() {
    let mut c = cluster(3);
    let cases = [
        (NewTopic::new("", 1, 1), ErrorCode::InvalidTopicException),
        (NewTopic::new("..", 1, 1), ErrorCode::InvalidTopicException),
        (
            NewTopic::new("with space", 1, 1),
            ErrorCode::InvalidTopicException,
        ),
        (
            NewTopic::new("x".repeat(250), 1, 1),
            ErrorCode::InvalidTopicException,
        ),
        (NewTopic::new("t", 0, 1), ErrorCode::InvalidPartitions),
        (
            NewTopic::new("t", 1, 0),
            ErrorCode::InvalidReplicationFactor,
        ),
        (
            NewTopic::new("t", 1, 4),
            ErrorCode::InvalidReplicationFactor,
        ),
        (
            NewTopic::new("t", 1, 1).config("retention.ms", "soon"),
            ErrorCode::InvalidConfig,
        ),
        (
            NewTopic::new("t", 1, 1).config("no.such.config", "1"),
            ErrorCode::InvalidConfig,
        ),
    ];
    for (request, expected) in cases {
        let name = request.name.clone();
        assert_eq!(code(c.create_topic(request)), expected, "topic {name:?}");
    }
    let err = c.create_topic(NewTopic::new("t", 1, 4)).unwrap_err();
    assert!(
        err.message.contains("only 3 broker(s) are registered"),
        "{err}"
    );
    assert!(c.list_topics(true).is_empty(), "nothing half-created");

    c.create_topic(NewTopic::new("x".repeat(249), 1, 1))
        .unwrap();
    c.create_topic(NewTopic::new("orders.v1", -1, -1)).unwrap();
    assert_eq!(c.partition_count("orders.v1").unwrap(), 1, "num.partitions");
    assert_eq!(
        code(c.create_topic(NewTopic::new("orders.v1", 1, 1))),
        ErrorCode::TopicAlreadyExists
    );
    assert_eq!(
        code(c.create_topic(NewTopic::new("orders_v1", 1, 1))),
        ErrorCode::InvalidTopicException
    );
}

#[test]
fn replicas_are_spread_over_distinct_brokers() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("events", 6, 3)).unwrap();
    let description = c.describe_topic("events").unwrap();
    let mut leaders = [0; 4];
    for p in &description.partitions {
        let mut replicas = p.replicas.clone();
        replicas.sort_unstable();
        assert_eq!(replicas, [1, 2, 3], "partition {}", p.partition);
        assert_eq!(p.isr.len(), 3);
        assert_eq!(p.leader, Some(p.replicas[0]), "the preferred replica leads");
        leaders[p.leader.unwrap() as usize] += 1;
    }
    assert_eq!(&leaders[1..], [2, 2, 2], "leadership is balanced");

    let again = cluster(3);
    let mut again = again;
    again.create_topic(NewTopic::new("events", 6, 3)).unwrap();
    assert_eq!(
        again.describe_topic("events").unwrap().partitions,
        description.partitions,
        "same seed, same placement"
    );
}

#[test]
fn acks_1_answers_at_once_and_high_watermark_waits_for_followers() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("t", 1, 3)).unwrap();
    let outcome = c
        .produce("t", 0, batch(&["a", "b"], 5), Acks::Leader, 30_000)
        .unwrap();
    let ProduceOutcome::Acknowledged(ack) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(ack.base_offset, 0);
    assert!(
        values_from(&c, "t", 0).is_empty(),
        "consumers see nothing below the HW yet"
    );
    c.advance(1);
    assert_eq!(values_from(&c, "t", 0), ["a", "b"]);
    let d = c.describe_topic("t").unwrap().partitions.remove(0);
    assert_eq!((d.high_watermark, d.log_end_offset), (2, 2));
    for broker in 1..=3 {
        assert_eq!(
            c.replica_log("t", 0, broker).unwrap().log_end_offset(),
            2,
            "broker {broker}"
        );
    }
    assert_eq!(
        c.produce("t", 0, batch(&["c"], 6), Acks::None, 30_000)
            .unwrap(),
        ProduceOutcome::NoResponse
    );
}

#[test]
fn acks_all_completes_once_the_isr_has_the_batch() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("t", 1, 3).config("min.insync.replicas", "2"))
        .unwrap();
    let outcome = c
        .produce("t", 0, batch(&["a"], 5), Acks::All, 30_000)
        .unwrap();
    let ProduceOutcome::Pending(request) = outcome else {
        panic!("{outcome:?}")
    };
    let done = c.advance(1);
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].request, request);
    assert_eq!(done[0].result.as_ref().unwrap().base_offset, 0);

    c.stop_broker(2).unwrap();
    c.stop_broker(3).unwrap();
    let err = c
        .produce("t", 0, batch(&["b"], 6), Acks::All, 30_000)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotEnoughReplicas, "{err}");
    assert!(matches!(
        c.produce("t", 0, batch(&["b"], 6), Acks::Leader, 30_000),
        Ok(ProduceOutcome::Acknowledged(_))
    ));
}

/// A leader alone in its ISR (one replica, or followers dropped out) has
/// the whole ISR's copy the moment it appends: acks=all is answered at once,
/// as Kafka's DelayedProduce completes on its first try.
#[test]
fn acks_all_with_the_leader_alone_in_the_isr_is_answered_at_once() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("single", 1, 1)).unwrap();
    let outcome = c
        .produce("single", 0, batch(&["a"], 5), Acks::All, 30_000)
        .unwrap();
    assert!(
        matches!(outcome, ProduceOutcome::Acknowledged(ref ack) if ack.base_offset == 0),
        "{outcome:?}"
    );

    c.create_topic(NewTopic::new("replicated", 1, 2)).unwrap();
    let outcome = c
        .produce("replicated", 0, batch(&["a"], 5), Acks::All, 30_000)
        .unwrap();
    assert!(
        matches!(outcome, ProduceOutcome::Pending(_)),
        "a follower still has to fetch: {outcome:?}"
    );
}

#[test]
fn stopping_the_leader_elects_an_in_sync_replica_and_keeps_acked_data() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("t", 1, 3).config("min.insync.replicas", "2"))
        .unwrap();
    c.produce("t", 0, batch(&["a", "b"], 5), Acks::All, 30_000)
        .unwrap();
    assert!(c.advance(1)[0].result.is_ok());
    let before = c.describe_topic("t").unwrap().partitions.remove(0);
    let old_leader = before.leader.unwrap();
    c.drain_events();

    c.stop_broker(old_leader).unwrap();
    let after = c.describe_topic("t").unwrap().partitions.remove(0);
    assert_ne!(after.leader, Some(old_leader));
    assert_eq!(after.leader_epoch, before.leader_epoch + 1);
    assert!(!after.isr.contains(&old_leader));
    let events: Vec<Event> = c.drain_events().into_iter().map(|e| e.event).collect();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::LeaderChanged { unclean: false, .. })));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::IsrChanged {
            reason: IsrChangeReason::BrokerStopped,
            ..
        }
    )));
    // The new leader learns the high watermark from its followers' next fetch.
    c.advance(1);
    assert_eq!(
        values_from(&c, "t", 0),
        ["a", "b"],
        "nothing acknowledged is lost"
    );

    c.produce("t", 0, batch(&["c"], 6), Acks::All, 30_000)
        .unwrap();
    c.advance(1);
    c.start_broker(old_leader).unwrap();
    c.advance(1);
    let healed = c.describe_topic("t").unwrap().partitions.remove(0);
    assert_eq!(
        healed.isr.len(),
        3,
        "the restarted broker caught up and rejoined"
    );
    assert_eq!(
        c.replica_log("t", 0, old_leader).unwrap().log_end_offset(),
        3
    );
}

#[test]
fn acks_1_loses_what_only_the_old_leader_had() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("t", 1, 3)).unwrap();
    c.produce("t", 0, batch(&["kept"], 5), Acks::Leader, 30_000)
        .unwrap();
    c.advance(1);
    let leader = c.describe_topic("t").unwrap().partitions[0].leader.unwrap();
    // Acknowledged by the leader alone, which stops before any follower fetches.
    c.produce("t", 0, batch(&["lost"], 6), Acks::Leader, 30_000)
        .unwrap();
    c.stop_broker(leader).unwrap();
    c.advance(1);
    assert_eq!(values_from(&c, "t", 0), ["kept"]);
    c.produce("t", 0, batch(&["new"], 7), Acks::Leader, 30_000)
        .unwrap();
    c.drain_events();
    c.start_broker(leader).unwrap();
    c.advance(1);
    let truncated = c
        .drain_events()
        .into_iter()
        .any(|e| matches!(e.event, Event::Truncated { broker, records_removed: 1, .. } if broker == leader));
    assert!(truncated, "the old leader truncates the record only it had");
    let old = c.replica_log("t", 0, leader).unwrap();
    assert_eq!(old.log_end_offset(), 2);
    assert_eq!(values_from(&c, "t", 0), ["kept", "new"]);
}

#[test]
fn unclean_leader_election_is_off_by_default() {
    for unclean in [false, true] {
        let mut c = cluster(2);
        let topic =
            NewTopic::new("t", 1, 2).config("unclean.leader.election.enable", unclean.to_string());
        c.create_topic(topic).unwrap();
        let d = c.describe_topic("t").unwrap().partitions.remove(0);
        let (leader, follower) = (d.replicas[0], d.replicas[1]);
        c.stop_broker(follower).unwrap();
        c.produce("t", 0, batch(&["only-on-leader"], 5), Acks::Leader, 30_000)
            .unwrap();
        c.stop_broker(leader).unwrap();
        assert_eq!(
            c.describe_topic("t").unwrap().partitions[0].leader,
            None,
            "offline"
        );
        assert_eq!(
            code(c.fetch("t", 0, 0, 100)),
            ErrorCode::NotLeaderOrFollower
        );
        c.start_broker(follower).unwrap();
        let d = c.describe_topic("t").unwrap().partitions.remove(0);
        if unclean {
            assert_eq!(d.leader, Some(follower), "out-of-sync replica elected");
            c.advance(1);
            assert!(
                values_from(&c, "t", 0).is_empty(),
                "the acknowledged record is gone"
            );
        } else {
            assert_eq!(
                d.leader, None,
                "stays offline until an in-sync replica returns"
            );
            c.start_broker(leader).unwrap();
            c.advance(1);
            assert_eq!(values_from(&c, "t", 0), ["only-on-leader"]);
        }
    }
}

#[test]
fn adding_partitions_moves_keys() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("t", 3, 2)).unwrap();
    assert_eq!(
        code(c.create_partitions("t", 2)),
        ErrorCode::InvalidPartitions
    );
    assert_eq!(
        code(c.create_partitions("t", 3)),
        ErrorCode::InvalidPartitions
    );
    assert_eq!(
        code(c.create_partitions("nope", 4)),
        ErrorCode::UnknownTopicOrPartition
    );
    c.create_partitions("t", 6).unwrap();
    assert_eq!(c.partition_count("t").unwrap(), 6);
    let moved = (0..100)
        .map(|i| format!("key-{i}"))
        .filter(|k| {
            java_partition_for_key(k.as_bytes(), 3).unwrap()
                != java_partition_for_key(k.as_bytes(), 6).unwrap()
        })
        .count();
    assert!(
        moved > 20,
        "{moved} of 100 keys map to another partition now"
    );
    let d = c.describe_topic("t").unwrap();
    assert!(d.partitions.iter().all(|p| p.replicas.len() == 2));
}

#[test]
fn delete_topic_honours_delete_topic_enable() {
    let mut c = cluster(1);
    c.create_topic(NewTopic::new("t", 1, 1)).unwrap();
    c.delete_topic("t").unwrap();
    assert!(!c.has_topic("t"));
    assert_eq!(
        code(c.delete_topic("t")),
        ErrorCode::UnknownTopicOrPartition
    );
    assert_eq!(
        code(c.produce("t", 0, batch(&["x"], 1), Acks::Leader, 1)),
        ErrorCode::UnknownTopicOrPartition
    );

    let config = ClusterConfig {
        broker_count: 1,
        delete_topic_enable: false,
        ..ClusterConfig::default()
    };
    let mut locked = Cluster::new(config, 1, Millis(0)).unwrap();
    locked.create_topic(NewTopic::new("t", 1, 1)).unwrap();
    assert_eq!(
        code(locked.delete_topic("t")),
        ErrorCode::TopicDeletionDisabled
    );
    assert!(locked.has_topic("t"));
}

#[test]
fn internal_topics_are_ordinary_topics_marked_internal() {
    let mut c = cluster(1);
    c.create_internal_topic(
        NewTopic::new("__consumer_offsets", 50, 3).config("cleanup.policy", "compact"),
    )
    .unwrap();
    c.create_topic(NewTopic::new("orders", 1, 1)).unwrap();
    assert_eq!(c.list_topics(false), ["orders"]);
    assert_eq!(c.list_topics(true), ["__consumer_offsets", "orders"]);
    let d = c.describe_topic("__consumer_offsets").unwrap();
    assert!(d.internal);
    assert_eq!(d.partitions.len(), 50);
    assert_eq!(
        d.config_overrides,
        [("cleanup.policy".to_owned(), "compact".to_owned())]
    );
}

#[test]
fn retention_deletes_old_segments_as_time_passes() {
    let mut c = cluster(1);
    let topic = NewTopic::new("t", 1, 1)
        .config("retention.ms", "60000")
        .config("segment.ms", "10000");
    c.create_topic(topic).unwrap();
    let start = c.now().0;
    c.produce("t", 0, batch(&["old"], start), Acks::Leader, 1)
        .unwrap();
    c.advance(20_000);
    c.produce("t", 0, batch(&["new"], start + 20_000), Acks::Leader, 1)
        .unwrap();
    c.advance(1);
    c.drain_events();
    c.advance(50_000);
    let deleted: Vec<Event> = c
        .drain_events()
        .into_iter()
        .map(|e| e.event)
        .filter(|e| matches!(e, Event::SegmentDeleted { .. }))
        .collect();
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert_eq!(values_from(&c, "t", 0), ["new"]);
    assert_eq!(
        c.list_offsets("t", 0, OffsetSpec::Earliest).unwrap(),
        Some(1)
    );
    assert_eq!(c.list_offsets("t", 0, OffsetSpec::Latest).unwrap(), Some(2));
    assert_eq!(
        c.list_offsets("t", 0, OffsetSpec::Timestamp(start + 5))
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        c.list_offsets("t", 0, OffsetSpec::Timestamp(start + 99_999))
            .unwrap(),
        None
    );
}

/// A batch of records with their own timestamps.
fn timed_batch(timestamps: &[i64]) -> Bytes {
    let records: Vec<ProducerRecord> = timestamps
        .iter()
        .map(|&timestamp| ProducerRecord {
            key: None,
            value: Some(Bytes::from(format!("at {timestamp}"))),
            headers: vec![],
            timestamp,
        })
        .collect();
    encode_batch(&records, ProducerStamp::NONE, Compression::None).unwrap()
}

#[test]
fn list_offsets_finds_records_not_batches_and_the_largest_timestamp() {
    let mut c = cluster(1);
    c.create_topic(NewTopic::new("t", 1, 1)).unwrap();
    let start = c.now().0;
    // KIP-734's example: +100, +400, +200 in one batch.
    c.produce(
        "t",
        0,
        timed_batch(&[start + 100, start + 400, start + 200]),
        Acks::Leader,
        1,
    )
    .unwrap();
    c.produce(
        "t",
        0,
        timed_batch(&[start + 300, start + 400]),
        Acks::Leader,
        1,
    )
    .unwrap();
    c.advance(1);
    let at = |spec| c.list_offsets_with_timestamp("t", 0, spec).unwrap();
    // The first of equal largest timestamps: offset 1, not the batch's 0
    // nor the later record 4 with the same time.
    assert_eq!(at(OffsetSpec::MaxTimestamp), Some((1, start + 400)));
    // A time finds the first record at or after it in offset order: in the
    // first batch whose largest timestamp is recent enough, past its older
    // records.
    assert_eq!(
        at(OffsetSpec::Timestamp(start + 150)),
        Some((1, start + 400))
    );
    assert_eq!(at(OffsetSpec::Timestamp(start + 401)), None);
    assert_eq!(at(OffsetSpec::Earliest), Some((0, -1)));
    assert_eq!(at(OffsetSpec::Latest), Some((5, -1)));
    let mut empty = cluster(1);
    empty.create_topic(NewTopic::new("e", 1, 1)).unwrap();
    assert_eq!(
        empty
            .list_offsets("e", 0, OffsetSpec::MaxTimestamp)
            .unwrap(),
        None
    );
}

#[test]
fn delete_records_moves_the_log_start_offset_on_every_replica() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("t", 1, 3)).unwrap();
    let now = c.now().0;
    for i in 0..6 {
        c.produce(
            "t",
            0,
            batch(&[format!("r{i}").as_str()], now),
            Acks::Leader,
            1,
        )
        .unwrap();
    }
    c.advance(1_000);
    assert_eq!(c.list_offsets("t", 0, OffsetSpec::Latest).unwrap(), Some(6));
    assert_eq!(c.delete_records("t", 0, 4).ok(), Some(4));
    assert_eq!(values_from(&c, "t", 0), ["r4", "r5"]);
    assert_eq!(
        c.list_offsets("t", 0, OffsetSpec::Earliest).unwrap(),
        Some(4)
    );
    let describe = c.describe_topic("t").unwrap();
    for broker in &describe.partitions[0].replicas {
        assert_eq!(
            c.replica_log("t", 0, *broker).unwrap().log_start_offset(),
            4,
            "broker {broker}"
        );
    }
    assert_eq!(
        code(c.fetch("t", 0, 2, u64::MAX)),
        ErrorCode::OffsetOutOfRange
    );
    // Lower than the start: nothing changes. Past the high watermark: Kafka's refusal.
    assert_eq!(c.delete_records("t", 0, 1).ok(), Some(4));
    let past = c.delete_records("t", 0, 7).unwrap_err();
    assert_eq!(past.code, ErrorCode::OffsetOutOfRange);
    assert_eq!(
        past.message,
        "Cannot increment the log start offset to 7 of partition t-0 since it is larger than the high watermark 6"
    );
    // -1: up to the high watermark; the log keeps its end.
    assert_eq!(c.delete_records("t", 0, -1).ok(), Some(6));
    assert!(values_from(&c, "t", 0).is_empty());
    assert_eq!(c.list_offsets("t", 0, OffsetSpec::Latest).unwrap(), Some(6));
    c.produce("t", 0, batch(&["after"], now), Acks::Leader, 1)
        .unwrap();
    c.advance(1_000);
    assert_eq!(values_from(&c, "t", 0), ["after"]);
    assert!(c.drain_events().iter().any(|e| matches!(
        &e.event,
        Event::RecordsDeleted {
            log_start_offset: 6,
            ..
        }
    )));
}

#[test]
fn oversized_and_corrupt_batches_and_the_memory_cap_are_errors() {
    let mut c = Cluster::new(
        ClusterConfig {
            broker_count: 1,
            memory_limit_bytes: 4_096,
            ..ClusterConfig::default()
        },
        3,
        Millis(0),
    )
    .unwrap();
    c.create_topic(NewTopic::new("t", 1, 1).config("max.message.bytes", "1000"))
        .unwrap();
    let big = batch(&[&"x".repeat(2_000)], 0);
    assert_eq!(
        code(c.produce("t", 0, big.clone(), Acks::Leader, 1)),
        ErrorCode::MessageTooLarge
    );
    let mut corrupt = batch(&["x"], 0).to_vec();
    let last = corrupt.len() - 1;
    corrupt[last] ^= 0xff;
    assert_eq!(
        code(c.produce("t", 0, Bytes::from(corrupt), Acks::Leader, 1)),
        ErrorCode::CorruptMessage
    );
    assert_eq!(
        code(c.produce("t", 7, batch(&["x"], 0), Acks::Leader, 1)),
        ErrorCode::UnknownTopicOrPartition
    );
    let chunk = batch(&[&"y".repeat(900)], 0);
    let mut stored = 0;
    let err = loop {
        match c.produce("t", 0, chunk.clone(), Acks::Leader, 1) {
            Ok(_) => stored += 1,
            Err(err) => break err,
        }
    };
    assert_eq!(err.code, ErrorCode::KafkaStorageError);
    assert!(err.message.contains("memory limit"), "{err}");
    assert_eq!(stored, 4);
    assert!(c.memory_used() <= 4_096);
    assert!(Cluster::new(
        ClusterConfig {
            broker_count: 0,
            ..ClusterConfig::default()
        },
        1,
        Millis(0)
    )
    .is_err());
}

fn idempotent_batch(values: &[&str], producer_id: i64, epoch: i16, first_seq: i32) -> Bytes {
    let records: Vec<ProducerRecord> = values
        .iter()
        .map(|v| ProducerRecord {
            value: Some(Bytes::from(v.to_string())),
            ..ProducerRecord::default()
        })
        .collect();
    let stamp = ProducerStamp {
        producer_id,
        producer_epoch: epoch,
        base_sequence: first_seq,
    };
    encode_batch(&records, stamp, Compression::None).unwrap()
}

#[test]
fn idempotent_retries_are_written_once_even_across_a_leader_change() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("t", 1, 3)).unwrap();
    let producer = c.init_producer_id();
    assert_eq!(
        c.init_producer_id().producer_id,
        producer.producer_id + 1,
        "ids are unique"
    );
    let first = idempotent_batch(&["a", "b"], producer.producer_id, producer.epoch, 0);
    c.produce("t", 0, first.clone(), Acks::Leader, 30_000)
        .unwrap();
    // The response was lost; the producer retries the same batch.
    let retry = c
        .produce("t", 0, first.clone(), Acks::Leader, 30_000)
        .unwrap();
    assert!(matches!(retry, ProduceOutcome::Acknowledged(ack) if ack.base_offset == 0));
    assert!(c.drain_events().iter().any(|e| matches!(
        e.event,
        Event::DuplicateBatch {
            first_offset: 0,
            ..
        }
    )));
    c.advance(1);
    assert_eq!(values_from(&c, "t", 0), ["a", "b"]);

    let leader = c.describe_topic("t").unwrap().partitions[0].leader.unwrap();
    c.stop_broker(leader).unwrap();
    c.advance(1);
    let again = c
        .produce("t", 0, first.clone(), Acks::Leader, 30_000)
        .unwrap();
    assert!(
        matches!(again, ProduceOutcome::Acknowledged(ack) if ack.base_offset == 0),
        "new leader knows it"
    );
    let next = idempotent_batch(&["c"], producer.producer_id, producer.epoch, 2);
    c.produce("t", 0, next.clone(), Acks::Leader, 30_000)
        .unwrap();
    c.advance(1);
    assert_eq!(values_from(&c, "t", 0), ["a", "b", "c"]);
}

#[test]
fn sequence_gaps_and_old_epochs_are_refused() {
    let mut c = cluster(1);
    c.create_topic(NewTopic::new("t", 1, 1)).unwrap();
    let p = c.init_producer_id();
    c.produce(
        "t",
        0,
        idempotent_batch(&["a"], p.producer_id, 1, 0),
        Acks::Leader,
        1,
    )
    .unwrap();
    let gap = c.produce(
        "t",
        0,
        idempotent_batch(&["c"], p.producer_id, 1, 2),
        Acks::Leader,
        1,
    );
    assert_eq!(code(gap), ErrorCode::OutOfOrderSequenceNumber);
    let old = c.produce(
        "t",
        0,
        idempotent_batch(&["z"], p.producer_id, 0, 1),
        Acks::Leader,
        1,
    );
    assert_eq!(code(old), ErrorCode::InvalidProducerEpoch);
}

#[test]
fn without_idempotence_a_retry_writes_a_duplicate() {
    let mut c = cluster(1);
    c.create_topic(NewTopic::new("t", 1, 1)).unwrap();
    let plain = batch(&["once"], 1);
    c.produce("t", 0, plain.clone(), Acks::Leader, 1).unwrap();
    c.produce("t", 0, plain.clone(), Acks::Leader, 1).unwrap();
    c.advance(1);
    assert_eq!(values_from(&c, "t", 0), ["once", "once"]);
}

fn keyed_batch(pairs: &[(&str, Option<&str>)], timestamp: i64) -> Bytes {
    let records: Vec<ProducerRecord> = pairs
        .iter()
        .map(|(k, v)| ProducerRecord {
            key: Some(Bytes::from(k.to_string())),
            value: v.map(|v| Bytes::from(v.to_string())),
            headers: vec![],
            timestamp,
        })
        .collect();
    encode_batch(&records, ProducerStamp::NONE, Compression::None).unwrap()
}

#[test]
fn compacted_topics_keep_the_latest_value_per_key_on_every_replica() {
    let mut c = cluster(3);
    let topic = NewTopic::new("profiles", 1, 3)
        .config("cleanup.policy", "compact")
        .config("segment.ms", "100")
        .config("min.cleanable.dirty.ratio", "0.01");
    c.create_topic(topic).unwrap();
    assert_eq!(
        code(c.produce(
            "profiles",
            0,
            batch(&["keyless"], c.now().0),
            Acks::Leader,
            1
        )),
        ErrorCode::InvalidRecord
    );
    for round in 0..4 {
        let now = c.now().0;
        let v = format!("v{round}");
        c.produce(
            "profiles",
            0,
            keyed_batch(&[("alice", Some(&v)), ("bob", Some(&v))], now),
            Acks::Leader,
            1,
        )
        .unwrap();
        c.advance(200);
    }
    c.produce(
        "profiles",
        0,
        keyed_batch(&[("carol", Some("x"))], c.now().0),
        Acks::Leader,
        1,
    )
    .unwrap();
    c.advance(1);
    let events = c.drain_events();
    let compactions = events
        .iter()
        .filter(|e| matches!(e.event, Event::Compacted { .. }))
        .count();
    assert!(
        compactions >= 3,
        "each replica's cleaner ran ({compactions} compactions)"
    );
    for broker in 1..=3 {
        let log = c.replica_log("profiles", 0, broker).unwrap();
        let kept: Vec<(String, String)> = log
            .segments()
            .flat_map(|s| s.batches.iter())
            .flat_map(|b| decode_batch(&b.bytes).unwrap())
            .map(|r| {
                let text = |b: Bytes| String::from_utf8(b.to_vec()).unwrap();
                (text(r.key.unwrap()), text(r.value.unwrap()))
            })
            .collect();
        assert_eq!(
            kept,
            [
                ("alice".into(), "v3".into()),
                ("bob".into(), "v3".into()),
                ("carol".into(), "x".into())
            ],
            "broker {broker}"
        );
        assert_eq!(log.log_end_offset(), 9, "offsets are never reused");
    }
}

#[test]
fn an_isolated_follower_leaves_the_isr_after_replica_lag_time_max_ms() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("t", 1, 3).config("min.insync.replicas", "2"))
        .unwrap();
    let d = c.describe_topic("t").unwrap().partitions.remove(0);
    let follower = d.replicas[2];
    c.isolate_broker(follower, NetworkCut::DataOnly).unwrap();
    let ProduceOutcome::Pending(request) = c
        .produce("t", 0, batch(&["slow"], c.now().0), Acks::All, 60_000)
        .unwrap()
    else {
        panic!("acks=all waits")
    };
    assert!(
        c.advance(10_000).is_empty(),
        "the ISR still includes the silent follower"
    );
    assert!(c.advance(19_000).is_empty());
    let done = c.advance(1_001);
    assert_eq!(
        done.len(),
        1,
        "completed once the follower left the ISR (30 s)"
    );
    assert_eq!(done[0].request, request);
    assert!(done[0].result.is_ok());
    let events = c.drain_events();
    assert!(events.iter().any(|e| matches!(&e.event, Event::IsrChanged { reason: IsrChangeReason::FollowerLagging, isr, .. } if !isr.contains(&follower))));

    c.heal_broker(follower).unwrap();
    c.advance(1);
    c.advance(1);
    assert_eq!(
        c.describe_topic("t").unwrap().partitions[0].isr.len(),
        3,
        "caught up and back in the ISR"
    );
    assert_eq!(c.replica_log("t", 0, follower).unwrap().log_end_offset(), 1);
}

#[test]
fn an_isolated_leader_is_fenced_and_replaced_after_the_session_timeout() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("t", 1, 3)).unwrap();
    c.produce("t", 0, batch(&["before"], c.now().0), Acks::All, 30_000)
        .unwrap();
    c.advance(1);
    let leader = c.describe_topic("t").unwrap().partitions[0].leader.unwrap();
    c.isolate_broker(leader, NetworkCut::Everything).unwrap();
    assert_eq!(
        code(c.produce("t", 0, batch(&["x"], 0), Acks::Leader, 1)),
        ErrorCode::NetworkException
    );
    assert_eq!(code(c.fetch("t", 0, 0, 100)), ErrorCode::NetworkException);
    c.advance(8_999);
    assert_eq!(
        c.describe_topic("t").unwrap().partitions[0].leader,
        Some(leader),
        "not yet fenced"
    );
    c.advance(1);
    let now_leader = c.describe_topic("t").unwrap().partitions[0].leader.unwrap();
    assert_ne!(
        now_leader, leader,
        "broker.session.timeout.ms passed: fenced"
    );
    assert!(c
        .drain_events()
        .iter()
        .any(|e| matches!(e.event, Event::BrokerFenced { broker } if broker == leader)));
    c.advance(1);
    assert_eq!(values_from(&c, "t", 0), ["before"]);
    c.heal_broker(leader).unwrap();
    c.advance(1);
    c.advance(1);
    assert_eq!(c.describe_topic("t").unwrap().partitions[0].isr.len(), 3);
}

#[test]
fn the_broker_recompresses_to_the_topics_compression_type() {
    let mut c = cluster(1);
    c.create_topic(NewTopic::new("zipped", 1, 1).config("compression.type", "zstd"))
        .unwrap();
    c.create_topic(NewTopic::new("as-sent", 1, 1)).unwrap();
    let values: Vec<String> = (0..40)
        .map(|i| format!("{{\"reading\": {}, \"unit\": \"celsius\"}}", i % 4))
        .collect();
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    c.produce("zipped", 0, batch(&refs, 1), Acks::Leader, 1)
        .unwrap();
    c.produce("as-sent", 0, batch(&refs, 1), Acks::Leader, 1)
        .unwrap();
    let stored = |c: &Cluster, topic: &str| {
        c.replica_log(topic, 0, 1)
            .unwrap()
            .segments()
            .next()
            .unwrap()
            .batches[0]
            .clone()
    };
    let zipped = stored(&c, "zipped");
    assert_eq!(zipped.header.compression(), Some(Compression::Zstd));
    assert_eq!(
        stored(&c, "as-sent").header.compression(),
        Some(Compression::None),
        "compression.type=producer keeps it"
    );
    assert!(zipped.bytes.len() * 3 < stored(&c, "as-sent").bytes.len());
    assert!(c
        .drain_events()
        .iter()
        .any(|e| matches!(&e.event, Event::BatchRecompressed { to, .. } if to == "zstd")));
    c.advance(1);
    assert_eq!(values_from(&c, "zipped", 0), values);
}

#[test]
fn brokers_meter_bytes_and_messages_in_as_leader_and_bytes_out_to_fetches() {
    let mut c = cluster(3);
    c.create_topic(NewTopic::new("metered", 1, 3)).unwrap();
    let leader = c.leader_of("metered", 0).unwrap();
    let bytes = batch(&["a", "bb", "ccc"], 1_000_000);
    let size = bytes.len() as u64;
    c.produce("metered", 0, bytes, Acks::Leader, 30_000)
        .unwrap();
    let t = c.broker_traffic(leader).unwrap();
    assert_eq!((t.bytes_in, t.messages_in, t.bytes_out()), (size, 3, 0));
    c.advance(1_000); // the followers replicate: the high watermark moves
    assert_eq!(
        c.broker_traffic(leader).unwrap().bytes_out(),
        0,
        "replication is not BytesOut"
    );
    assert_eq!(values_from(&c, "metered", 0), ["a", "bb", "ccc"]);
    assert_eq!(
        c.broker_traffic(leader).unwrap().bytes_out(),
        0,
        "the broker's own reads are not BytesOut"
    );
    let served = c.fetch_for_client("metered", 0, 0, u64::MAX).unwrap();
    assert_eq!(served.batches.len(), 1);
    assert_eq!(
        c.broker_traffic(leader).unwrap().bytes_out(),
        size,
        "a client's fetch served the batch"
    );
    for (id, _) in c.brokers() {
        if id != leader {
            let t = c.broker_traffic(id).unwrap();
            assert_eq!(
                (t.bytes_in, t.bytes_out()),
                (0, 0),
                "followers meter no client traffic"
            );
        }
    }
    assert!(c.broker_traffic(99).is_none());
}
