//! Consumer groups in the playground: finding a group's coordinator, and
//! subscribing consumers going through real rebalances (joins, crashes,
//! poll timeouts, static members, patterns, both rebalance protocols).

use engine::clock::Millis;
use engine::cluster::{Cluster, ClusterConfig};
use engine::error::ErrorCode;
use engine::playground::Playground;

#[test]
fn find_coordinator_names_the_leader_of_the_groups_offsets_partition() {
    let mut p = Playground::new(
        Cluster::new(ClusterConfig::default(), 5, Millis(0)).unwrap(),
        9,
    );
    assert!(!p.cluster().has_topic("__consumer_offsets"));
    let coordinator = p.find_coordinator("my-group").unwrap();
    let d = p.cluster().describe_topic("__consumer_offsets").unwrap();
    assert!(d.internal && d.partitions.len() == 50);
    assert_eq!(
        Some(coordinator),
        d.partitions[12].leader,
        "\"my-group\" hashes to partition 12"
    );
    for broker in d.partitions[12].replicas.clone() {
        p.cluster_mut().stop_broker(broker).unwrap();
    }
    let err = p.find_coordinator("my-group").unwrap_err();
    assert_eq!(err.code, ErrorCode::CoordinatorNotAvailable);
    assert_eq!(
        p.find_coordinator("").unwrap_err().code,
        ErrorCode::InvalidGroupId
    );
}

// ---- subscribe(): membership, rebalances, assignors, failures ----

use std::collections::BTreeMap;

use bytes::Bytes;
use engine::cluster::NewTopic;
use engine::consumer::MemberPhase;
use engine::consumer_config::ConsumerConfig;
use engine::events::{Event, MemberRemovedReason};
use engine::group::assignor::TopicPartition;
use engine::group::coordinator::GroupState;
use engine::playground::ConsumerRef;
use engine::producer_config::{ClientFlavour, ProducerConfig};
use engine::record::ProducerRecord;

const GROUP: &str = "orders-app";

fn playground(partitions: i32) -> Playground {
    let mut p = Playground::new(
        Cluster::new(ClusterConfig::default(), 3, Millis(0)).unwrap(),
        7,
    );
    p.cluster_mut()
        .create_topic(NewTopic::new("orders", partitions, 3))
        .unwrap();
    p
}

fn member(p: &mut Playground, flavour: ClientFlavour, settings: &[(&str, &str)]) -> ConsumerRef {
    let mut all = vec![("group.id", GROUP), ("auto.offset.reset", "earliest")];
    all.extend_from_slice(settings);
    let (config, _) = ConsumerConfig::parse(flavour, &all).unwrap();
    let c = p.add_consumer(config);
    p.subscribe(c, &["orders"]).unwrap();
    c
}

fn assignment(p: &Playground, c: ConsumerRef) -> Vec<TopicPartition> {
    let mut a = p.consumer(c).unwrap().assignment().to_vec();
    a.sort();
    a
}

/// No partition is owned by two members at once.
fn assert_exclusive(p: &Playground, members: &[ConsumerRef]) {
    let mut owners: BTreeMap<TopicPartition, ConsumerRef> = BTreeMap::new();
    for &c in members {
        for tp in assignment(p, c) {
            if let Some(other) = owners.insert(tp.clone(), c) {
                panic!("{tp} owned by {other:?} and {c:?}");
            }
        }
    }
}

/// Polls every member, then lets `ms` pass: the Java poll loop.
fn poll_loop(p: &mut Playground, members: &[ConsumerRef], rounds: usize, ms: i64) {
    for _ in 0..rounds {
        for &c in members {
            p.poll(c, 500).unwrap();
            assert_exclusive(p, members);
        }
        p.step(ms);
        assert_exclusive(p, members);
    }
}

fn generation(p: &Playground) -> i32 {
    p.coordinator().describe(GROUP).unwrap().generation_id
}

#[test]
fn three_java_consumers_share_six_partitions_after_the_initial_delay() {
    let mut p = playground(6);
    let members: Vec<_> = (0..3)
        .map(|_| {
            member(
                &mut p,
                ClientFlavour::Java,
                &[(
                    "partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.RangeAssignor",
                )],
            )
        })
        .collect();
    p.drain_events();
    // Java joins from poll(): until then nothing happens.
    p.step(5_000);
    assert_eq!(
        p.coordinator().state(GROUP),
        GroupState::Dead,
        "no JoinGroup without poll()"
    );
    for &c in &members {
        assert!(p.poll(c, 500).unwrap().is_empty());
        assert_eq!(
            p.consumer(c).unwrap().member_phase(),
            Some(MemberPhase::Joining)
        );
    }
    assert_eq!(p.coordinator().state(GROUP), GroupState::PreparingRebalance);
    p.step(2_999);
    assert_eq!(
        p.coordinator().state(GROUP),
        GroupState::PreparingRebalance,
        "group.initial.rebalance.delay.ms = 3000"
    );
    p.step(1);
    assert_eq!(p.coordinator().state(GROUP), GroupState::Stable);
    assert_eq!(generation(&p), 1);
    let got: Vec<Vec<TopicPartition>> = members.iter().map(|&c| assignment(&p, c)).collect();
    // Range over member ids in order: two partitions each, contiguous.
    for a in &got {
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].partition, a[0].partition + 1);
    }
    assert_exclusive(&p, &members);

    let events: Vec<Event> = p.drain_events().into_iter().map(|e| e.event).collect();
    let count = |f: &dyn Fn(&Event) -> bool| events.iter().filter(|e| f(e)).count();
    assert_eq!(count(&|e| matches!(e, Event::MemberJoined { .. })), 3);
    assert_eq!(count(&|e| matches!(e, Event::RebalanceStarted { .. })), 1);
    assert_eq!(
        count(
            &|e| matches!(e, Event::GenerationStarted { generation: 1, protocol, .. } if protocol == "range")
        ),
        1
    );
    assert_eq!(
        count(&|e| matches!(e, Event::AssignmentComputed { assignor, .. } if assignor == "range")),
        1
    );
    assert_eq!(
        count(&|e| matches!(e, Event::GroupStable { generation: 1, .. })),
        1
    );
    assert_eq!(
        count(
            &|e| matches!(e, Event::PartitionsAssigned { partitions, .. } if partitions.len() == 2)
        ),
        3
    );
    let started = events.iter().find_map(|e| match e {
        Event::RebalanceStarted { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    assert!(
        started
            .unwrap()
            .starts_with("Adding new member consumer-orders-app-"),
        "Kafka's reason text"
    );
}

#[test]
fn eager_rebalance_revokes_everything_and_waits_for_every_member_to_poll() {
    let mut p = playground(6);
    let mut members: Vec<_> = (0..2)
        .map(|_| {
            member(
                &mut p,
                ClientFlavour::Java,
                &[(
                    "partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.RangeAssignor",
                )],
            )
        })
        .collect();
    poll_loop(&mut p, &members, 4, 1_000);
    assert_eq!(generation(&p), 1);
    members.push(member(
        &mut p,
        ClientFlavour::Java,
        &[(
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.RangeAssignor",
        )],
    ));
    p.drain_events();
    // Only the newcomer polls: the others learn of the rebalance from their
    // heartbeats but rejoin only from poll(), so the group waits.
    for _ in 0..5 {
        p.poll(members[2], 500).unwrap();
        p.step(1_000);
    }
    assert_eq!(p.coordinator().state(GROUP), GroupState::PreparingRebalance);
    assert_eq!(
        assignment(&p, members[0]).len(),
        3,
        "still owned until it polls (eager revokes in onJoinPrepare)"
    );
    poll_loop(&mut p, &members, 4, 1_000);
    assert_eq!(p.coordinator().state(GROUP), GroupState::Stable);
    assert_eq!(generation(&p), 2);
    for &c in &members {
        assert_eq!(assignment(&p, c).len(), 2);
    }
    let events: Vec<Event> = p.drain_events().into_iter().map(|e| e.event).collect();
    let revoked: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            Event::PartitionsRevoked { partitions, .. } => Some(partitions.len()),
            _ => None,
        })
        .collect();
    assert_eq!(
        revoked,
        vec![3, 3],
        "eager: both old members revoke all three partitions"
    );
}

#[test]
fn cooperative_sticky_moves_partitions_in_two_rebalances_without_double_ownership() {
    let mut p = playground(6);
    let strategy = [(
        "partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
    )];
    let mut members: Vec<_> = (0..2)
        .map(|_| member(&mut p, ClientFlavour::Java, &strategy))
        .collect();
    poll_loop(&mut p, &members, 4, 1_000);
    let before: Vec<_> = members.iter().map(|&c| assignment(&p, c)).collect();
    assert_eq!(before.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3]);
    let start_generation = generation(&p);
    members.push(member(&mut p, ClientFlavour::Java, &strategy));
    p.drain_events();
    poll_loop(&mut p, &members, 12, 500);
    assert_eq!(p.coordinator().state(GROUP), GroupState::Stable);
    assert_eq!(
        generation(&p),
        start_generation + 2,
        "one rebalance revokes, the next assigns"
    );
    let after: Vec<_> = members.iter().map(|&c| assignment(&p, c)).collect();
    assert_eq!(after.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 2]);
    for (old, new) in before.iter().zip(&after) {
        assert!(
            new.iter().all(|tp| old.contains(tp)),
            "sticky: old members keep what they keep"
        );
    }
    let events: Vec<Event> = p.drain_events().into_iter().map(|e| e.event).collect();
    let revoked: usize = events
        .iter()
        .map(|e| match e {
            Event::PartitionsRevoked { partitions, .. } => partitions.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(revoked, 2, "only the two partitions that move are revoked");
}

fn produce(p: &mut Playground, count: usize) {
    let (config, _) = ProducerConfig::parse(ClientFlavour::Java, &[("linger.ms", "0")]).unwrap();
    let producer = p.add_producer(config, 1).unwrap();
    for i in 0..count {
        let record = ProducerRecord {
            key: Some(Bytes::from(format!("k{i}"))),
            value: Some(Bytes::from(format!("v{i}"))),
            ..ProducerRecord::default()
        };
        p.send(producer, "orders", None, record).unwrap();
    }
    assert_eq!(p.flush(producer, 10_000), 0);
}

#[test]
fn a_crashed_member_expires_after_the_session_timeout_and_its_partitions_move() {
    let mut p = playground(4);
    let settings = [
        (
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.RangeAssignor",
        ),
        ("session.timeout.ms", "10000"),
        ("enable.auto.commit", "false"),
    ];
    let members: Vec<_> = (0..2)
        .map(|_| member(&mut p, ClientFlavour::Java, &settings))
        .collect();
    poll_loop(&mut p, &members, 4, 1_000);
    produce(&mut p, 40);
    // Member 0 reads but crashes before committing: at-least-once means
    // the survivor reads those records again.
    let mut seen_by_crashed = 0;
    for _ in 0..3 {
        seen_by_crashed += p.poll(members[0], 500).unwrap().len();
    }
    assert!(seen_by_crashed > 0);
    let crashed_partitions = assignment(&p, members[0]);
    p.crash_consumer(members[0]);
    p.drain_events();
    let mut again = 0;
    for second in 1..=15 {
        let records = p.poll(members[1], 500).unwrap();
        again += records
            .iter()
            .filter(|r| crashed_partitions.contains(&TopicPartition::new("orders", r.partition)))
            .count();
        p.step(1_000);
        if second == 9 {
            assert_eq!(
                assignment(&p, members[1]).len(),
                2,
                "not before the session times out"
            );
        }
    }
    assert_eq!(assignment(&p, members[1]).len(), 4);
    let events: Vec<Event> = p.drain_events().into_iter().map(|e| e.event).collect();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::MemberRemoved {
            reason: MemberRemovedReason::SessionExpired {
                session_timeout_ms: 10_000
            },
            ..
        }
    )));
    // Nothing was committed: everything the crashed member read is
    // delivered again (from auto.offset.reset=earliest).
    assert_eq!(again, seen_by_crashed);
}

#[test]
fn a_consumer_that_stops_polling_leaves_after_max_poll_interval_and_its_commit_fails() {
    let mut p = playground(4);
    let range = (
        "partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.RangeAssignor",
    );
    let slow = member(
        &mut p,
        ClientFlavour::Java,
        &[
            range,
            ("max.poll.interval.ms", "10000"),
            ("enable.auto.commit", "false"),
        ],
    );
    let fast = member(&mut p, ClientFlavour::Java, &[range]);
    poll_loop(&mut p, &[slow, fast], 4, 1_000);
    produce(&mut p, 20);
    assert!(!p.poll(slow, 500).unwrap().is_empty());
    p.drain_events();
    // The slow consumer "processes" for 11 s while the other keeps polling.
    poll_loop(&mut p, &[fast], 15, 1_000);
    let events: Vec<Event> = p.drain_events().into_iter().map(|e| e.event).collect();
    let left = events.iter().find_map(|e| match e {
        Event::ConsumerLeftGroup { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    assert!(left
        .unwrap()
        .starts_with("consumer poll timeout has expired."));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::MemberRemoved {
            reason: MemberRemovedReason::Left { .. },
            ..
        }
    )));
    assert_eq!(
        assignment(&p, fast).len(),
        4,
        "the group went on without it"
    );
    let err = p.commit(slow).unwrap_err();
    assert!(
        err.message.starts_with(
            "org.apache.kafka.clients.consumer.CommitFailedException: Commit cannot be completed"
        ),
        "{}",
        err.message
    );
    // Its next poll rejoins; the partitions are shared again.
    poll_loop(&mut p, &[slow, fast], 6, 1_000);
    assert_eq!(
        (assignment(&p, slow).len(), assignment(&p, fast).len()),
        (2, 2)
    );
}

#[test]
fn librdkafka_consumers_join_in_the_background_and_word_the_poll_timeout_their_way() {
    let mut p = playground(3);
    let c = member(
        &mut p,
        ClientFlavour::Librdkafka,
        &[
            ("max.poll.interval.ms", "8000"),
            ("session.timeout.ms", "6000"),
        ],
    );
    p.step(3_500);
    assert_eq!(
        assignment(&p, c).len(),
        3,
        "librdkafka's own thread joined without a poll()"
    );
    p.drain_events();
    p.step(5_000);
    let events: Vec<Event> = p.drain_events().into_iter().map(|e| e.event).collect();
    let left = events.iter().find_map(|e| match e {
        Event::ConsumerLeftGroup { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    assert_eq!(
        left.as_deref(),
        Some("Application maximum poll interval (8000ms) exceeded by 1ms (adjust max.poll.interval.ms for long-running message processing): leaving group")
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::PartitionsLost { .. }))
            || assignment(&p, c).is_empty()
    );
}

#[test]
fn a_static_member_restarting_within_its_session_keeps_its_partitions_without_a_rebalance() {
    let mut p = playground(4);
    let range = (
        "partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.RangeAssignor",
    );
    let a = member(
        &mut p,
        ClientFlavour::Java,
        &[range, ("group.instance.id", "host-a")],
    );
    let b = member(
        &mut p,
        ClientFlavour::Java,
        &[range, ("group.instance.id", "host-b")],
    );
    poll_loop(&mut p, &[a, b], 5, 1_000);
    let before = assignment(&p, a);
    let generation_before = generation(&p);
    assert_eq!(before.len(), 2);
    // Restart: close() of a static member sends no LeaveGroup.
    p.close(a).unwrap();
    assert_eq!(
        p.coordinator().describe(GROUP).unwrap().members.len(),
        2,
        "still a member"
    );
    let (config, _) = ConsumerConfig::parse(
        ClientFlavour::Java,
        &[
            ("group.id", GROUP),
            range,
            ("group.instance.id", "host-a"),
            ("auto.offset.reset", "earliest"),
        ],
    )
    .unwrap();
    let a2 = p.add_consumer(config);
    p.subscribe(a2, &["orders"]).unwrap();
    poll_loop(&mut p, &[a2, b], 5, 1_000);
    assert_eq!(assignment(&p, a2), before);
    assert_eq!(
        generation(&p),
        generation_before,
        "no rebalance for a returning static member"
    );
}

#[test]
fn pattern_subscriptions_follow_topics_as_they_are_created() {
    let mut p = playground(2);
    p.cluster_mut()
        .create_topic(NewTopic::new("payments", 2, 1))
        .unwrap();
    let (config, _) = ConsumerConfig::parse(ClientFlavour::Java, &[("group.id", GROUP)]).unwrap();
    let c = p.add_consumer(config);
    p.subscribe_pattern(c, "ord.*").unwrap();
    poll_loop(&mut p, &[c], 5, 1_000);
    assert_eq!(
        assignment(&p, c),
        vec![
            TopicPartition::new("orders", 0),
            TopicPartition::new("orders", 1)
        ]
    );
    p.cluster_mut()
        .create_topic(NewTopic::new("orders-eu", 1, 1))
        .unwrap();
    poll_loop(&mut p, &[c], 5, 1_000);
    assert!(assignment(&p, c).contains(&TopicPartition::new("orders-eu", 0)));
    assert!(!assignment(&p, c).iter().any(|tp| tp.topic == "payments"));

    // librdkafka: a topic starting with ^ is a regex.
    let (config, _) =
        ConsumerConfig::parse(ClientFlavour::Librdkafka, &[("group.id", "other")]).unwrap();
    let r = p.add_consumer(config);
    p.subscribe(r, &["^pay.*"]).unwrap();
    p.step(4_000);
    assert_eq!(assignment(&p, r).len(), 2);
    assert!(p.subscribe(r, &["^(unclosed"]).is_err());
}

#[test]
fn partitions_added_to_a_subscribed_topic_trigger_a_rebalance_by_the_leader() {
    let mut p = playground(2);
    let a = member(&mut p, ClientFlavour::Java, &[]);
    poll_loop(&mut p, &[a], 5, 1_000);
    assert_eq!(assignment(&p, a).len(), 2);
    p.cluster_mut().create_partitions("orders", 5).unwrap();
    poll_loop(&mut p, &[a], 3, 1_000);
    assert_eq!(assignment(&p, a).len(), 5);
}

#[test]
fn misuse_gets_the_clients_own_errors() {
    let mut p = playground(2);
    let (config, _) = ConsumerConfig::parse::<&str, &str>(ClientFlavour::Java, &[]).unwrap();
    let no_group = p.add_consumer(config);
    let err = p.subscribe(no_group, &["orders"]).unwrap_err();
    assert!(
        err.message.contains("you must provide a valid group.id"),
        "{}",
        err.message
    );

    let c = member(&mut p, ClientFlavour::Java, &[]);
    let err = p
        .consumer_mut(c)
        .unwrap()
        .assign(vec![TopicPartition::new("orders", 0)])
        .unwrap_err();
    assert_eq!(err.message, "java.lang.IllegalStateException: Subscription to topics, partitions and pattern are mutually exclusive");
    assert!(p.subscribe(c, &[""]).is_err());
    p.close(c).unwrap();
    assert_eq!(
        p.poll(c, 1).unwrap_err().message,
        "java.lang.IllegalStateException: This consumer has already been closed."
    );
    assert!(p.poll(ConsumerRef(99), 1).is_err());

    // A group whose members cannot agree on an assignor.
    let x = member(
        &mut p,
        ClientFlavour::Java,
        &[(
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.RangeAssignor",
        )],
    );
    poll_loop(&mut p, &[x], 4, 1_000);
    let y = member(
        &mut p,
        ClientFlavour::Java,
        &[(
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.RoundRobinAssignor",
        )],
    );
    let err = p.poll(y, 1).unwrap_err();
    assert!(
        err.message.contains("InconsistentGroupProtocolException"),
        "{}",
        err.message
    );
}

#[test]
fn close_commits_revokes_and_leaves_so_the_rest_rebalance_at_once() {
    let mut p = playground(4);
    let range = (
        "partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.RangeAssignor",
    );
    let a = member(&mut p, ClientFlavour::Java, &[range]);
    let b = member(&mut p, ClientFlavour::Java, &[range]);
    poll_loop(&mut p, &[a, b], 4, 1_000);
    produce(&mut p, 12);
    let read = p.poll(a, 500).unwrap().len();
    assert!(read > 0);
    let owned = assignment(&p, a);
    p.close(a).unwrap();
    // Auto-commit committed what `a` had read before it left.
    let committed: i64 = p
        .consumer(b)
        .unwrap()
        .committed(p.coordinator(), &owned)
        .iter()
        .filter_map(|(_, o)| *o)
        .sum();
    assert_eq!(committed, read as i64);
    // `b` hears of the rebalance from its next heartbeat (every 3 s), not
    // after a session timeout.
    poll_loop(&mut p, &[b], 4, 1_000);
    assert_eq!(assignment(&p, b).len(), 4);
    let events: Vec<Event> = p.drain_events().into_iter().map(|e| e.event).collect();
    assert!(events.iter().any(|e| matches!(e, Event::MemberRemoved { reason: MemberRemovedReason::Left { reason }, .. } if reason == "the consumer is being closed")));
}

#[test]
fn async_commits_report_to_the_commit_callback() {
    let mut p = playground(1);
    let c = member(
        &mut p,
        ClientFlavour::Librdkafka,
        &[("enable.auto.commit", "false")],
    );
    p.step(3_500);
    produce(&mut p, 3);
    assert_eq!(p.poll(c, 10).unwrap().len(), 3);
    p.commit_async(c).unwrap();
    let results = p.consumer_mut(c).unwrap().take_commit_results();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0].offsets,
        vec![(TopicPartition::new("orders", 0), 3)]
    );
    assert_eq!(results[0].error, None);
    let events: Vec<Event> = p.drain_events().into_iter().map(|e| e.event).collect();
    assert!(events.iter().any(|e| matches!(e, Event::OffsetsCommitted { offsets, .. } if offsets == &vec![(TopicPartition::new("orders", 0), 3)])));
}

/// The course notes' delivery semantics, shown by crashing a consumer
/// between processing and committing.
#[test]
fn commit_before_processing_is_at_most_once_and_after_is_at_least_once() {
    for commit_first in [true, false] {
        let mut p = playground(1);
        let settings = [
            ("enable.auto.commit", "false"),
            ("session.timeout.ms", "6000"),
        ];
        let first = member(&mut p, ClientFlavour::Java, &settings);
        poll_loop(&mut p, &[first], 4, 1_000);
        produce(&mut p, 10);
        let batch = p.poll(first, 4).unwrap();
        assert_eq!(batch.len(), 4);
        let mut processed = Vec::new();
        if commit_first {
            p.commit(first).unwrap();
            // Crash before processing: records 0..4 are never processed.
        } else {
            processed.extend(batch.iter().map(|r| r.offset));
            // Crash before committing.
        }
        p.crash_consumer(first);
        let second = member(&mut p, ClientFlavour::Java, &settings);
        for _ in 0..20 {
            processed.extend(p.poll(second, 100).unwrap().iter().map(|r| r.offset));
            p.step(1_000);
        }
        if commit_first {
            assert_eq!(
                processed,
                (4..10).collect::<Vec<i64>>(),
                "at most once: 0..4 lost"
            );
        } else {
            assert_eq!(
                processed,
                [0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
                "at least once: 0..4 twice"
            );
        }
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Join(u8),
        Crash(usize),
        Close(usize),
        PollAll,
        Step(u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..4).prop_map(Op::Join),
            (0usize..8).prop_map(Op::Crash),
            (0usize..8).prop_map(Op::Close),
            Just(Op::PollAll),
            (1u16..8_000).prop_map(Op::Step),
        ]
    }

    const STRATEGIES: [&str; 4] = [
        "org.apache.kafka.clients.consumer.RangeAssignor",
        "org.apache.kafka.clients.consumer.RoundRobinAssignor",
        "org.apache.kafka.clients.consumer.StickyAssignor",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Whatever joins, crashes or leaves: no partition is ever owned by
        /// two live members, and once everybody polls for a while every
        /// partition is owned and the load is balanced (max - min <= 1).
        #[test]
        fn groups_never_double_assign_and_settle_balanced(strategy in 0usize..4, partitions in 1i32..12, ops in proptest::collection::vec(op(), 1..30)) {
            let mut p = playground(partitions);
            let settings = [("partition.assignment.strategy", STRATEGIES[strategy]), ("session.timeout.ms", "6000")];
            let mut live: Vec<ConsumerRef> = vec![member(&mut p, ClientFlavour::Java, &settings)];
            for op in ops {
                match op {
                    Op::Join(n) => for _ in 0..n { live.push(member(&mut p, ClientFlavour::Java, &settings)); },
                    Op::Crash(i) if live.len() > 1 => { let c = live.remove(i % live.len()); p.crash_consumer(c); }
                    Op::Close(i) if live.len() > 1 => { let c = live.remove(i % live.len()); p.close(c).unwrap(); }
                    Op::Crash(_) | Op::Close(_) => {}
                    Op::PollAll => for &c in &live { p.poll(c, 100).unwrap(); },
                    Op::Step(ms) => p.step(i64::from(ms)),
                }
                assert_exclusive(&p, &live);
            }
            // Settle: everybody polls for a while (crashed sessions expire).
            for _ in 0..40 {
                for &c in &live { p.poll(c, 100).unwrap(); }
                p.step(500);
                assert_exclusive(&p, &live);
            }
            let sizes: Vec<usize> = live.iter().map(|&c| assignment(&p, c).len()).collect();
            prop_assert_eq!(sizes.iter().sum::<usize>(), partitions as usize, "every partition owned: {:?}", sizes);
            let (min, max) = (sizes.iter().min().copied().unwrap_or(0), sizes.iter().max().copied().unwrap_or(0));
            prop_assert!(max - min <= 1, "balanced: {:?}", sizes);
            prop_assert_eq!(p.coordinator().state(GROUP), GroupState::Stable);
        }
    }
}

#[test]
fn a_rolling_restart_moves_a_running_group_from_range_to_cooperative_sticky_in_two_rounds() {
    use engine::group::assignor::AssignorKind::{CooperativeSticky, Range};
    let mut p = playground(6);
    let range = [(
        "partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.RangeAssignor",
    )];
    let members: Vec<_> = (0..2)
        .map(|_| member(&mut p, ClientFlavour::Java, &range))
        .collect();
    poll_loop(&mut p, &members, 4, 1_000);
    let protocol = |p: &Playground| p.coordinator().describe(GROUP).unwrap().protocol_name;
    assert_eq!(protocol(&p).as_deref(), Some("range"));
    let client_id = p.consumer(members[0]).unwrap().config().client_id.clone();

    // Straight to cooperative-sticky: the group shares no protocol with
    // the restarted member, which the coordinator refuses.
    p.restart_consumer(members[0], vec![CooperativeSticky])
        .unwrap();
    assert_eq!(
        p.consumer(members[0]).unwrap().config().client_id,
        client_id
    );
    let mut refused = None;
    for _ in 0..6 {
        if let Err(e) = p.poll(members[0], 500) {
            refused = Some(e.message);
            break;
        }
        p.poll(members[1], 500).unwrap();
        p.step(500);
    }
    let refused = refused.expect("the coordinator refuses a member with no common protocol");
    assert!(
        refused.contains("InconsistentGroupProtocolException"),
        "{refused}"
    );

    // The first round: both assignors, cooperative-sticky preferred.
    // Range stays the group's protocol while a member knows only range.
    p.restart_consumer(members[0], vec![CooperativeSticky, Range])
        .unwrap();
    poll_loop(&mut p, &members, 8, 1_000);
    assert_eq!(protocol(&p).as_deref(), Some("range"));
    p.restart_consumer(members[1], vec![CooperativeSticky, Range])
        .unwrap();
    poll_loop(&mut p, &members, 8, 1_000);
    assert_eq!(
        protocol(&p).as_deref(),
        Some("cooperative-sticky"),
        "every member now prefers cooperative-sticky"
    );
    // The second round drops range.
    for &c in &members {
        p.restart_consumer(c, vec![CooperativeSticky]).unwrap();
        poll_loop(&mut p, &members, 8, 1_000);
    }
    assert_eq!(protocol(&p).as_deref(), Some("cooperative-sticky"));
    assert_eq!(p.coordinator().state(GROUP), GroupState::Stable);
    let sizes: Vec<usize> = members.iter().map(|&c| assignment(&p, c).len()).collect();
    assert_eq!(sizes, [3, 3]);

    // A closed consumer, or one that never subscribed, cannot rejoin.
    p.close(members[1]).unwrap();
    assert!(p.restart_consumer(members[1], vec![Range]).is_err());
    let (config, _) = ConsumerConfig::parse(ClientFlavour::Java, &[("group.id", GROUP)]).unwrap();
    let lone = p.add_consumer(config);
    assert!(p.restart_consumer(lone, vec![Range]).is_err());
}
