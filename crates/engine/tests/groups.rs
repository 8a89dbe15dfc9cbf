//! Consumer groups in the playground: finding a group's coordinator.

use engine::clock::Millis;
use engine::cluster::{Cluster, ClusterConfig};
use engine::error::ErrorCode;
use engine::playground::Playground;

#[test]
fn find_coordinator_names_the_leader_of_the_groups_offsets_partition() {
    let mut p = Playground::new(Cluster::new(ClusterConfig::default(), 5, Millis(0)).unwrap(), 9);
    assert!(!p.cluster().has_topic("__consumer_offsets"));
    let coordinator = p.find_coordinator("my-group").unwrap();
    let d = p.cluster().describe_topic("__consumer_offsets").unwrap();
    assert!(d.internal && d.partitions.len() == 50);
    assert_eq!(Some(coordinator), d.partitions[12].leader, "\"my-group\" hashes to partition 12");
    for broker in d.partitions[12].replicas.clone() {
        p.cluster_mut().stop_broker(broker).unwrap();
    }
    let err = p.find_coordinator("my-group").unwrap_err();
    assert_eq!(err.code, ErrorCode::CoordinatorNotAvailable);
    assert_eq!(p.find_coordinator("").unwrap_err().code, ErrorCode::InvalidGroupId);
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
    let mut p = Playground::new(Cluster::new(ClusterConfig::default(), 3, Millis(0)).unwrap(), 7);
    p.cluster_mut().create_topic(NewTopic::new("orders", partitions, 3)).unwrap();
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
    let members: Vec<_> = (0..3).map(|_| member(&mut p, ClientFlavour::Java, &[("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor")])).collect();
    p.drain_events();
    // Java joins from poll(): until then nothing happens.
    p.step(5_000);
    assert_eq!(p.coordinator().state(GROUP), GroupState::Dead, "no JoinGroup without poll()");
    for &c in &members {
        assert!(p.poll(c, 500).unwrap().is_empty());
        assert_eq!(p.consumer(c).unwrap().member_phase(), Some(MemberPhase::Joining));
    }
    assert_eq!(p.coordinator().state(GROUP), GroupState::PreparingRebalance);
    p.step(2_999);
    assert_eq!(p.coordinator().state(GROUP), GroupState::PreparingRebalance, "group.initial.rebalance.delay.ms = 3000");
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
    assert_eq!(count(&|e| matches!(e, Event::GenerationStarted { generation: 1, protocol, .. } if protocol == "range")), 1);
    assert_eq!(count(&|e| matches!(e, Event::AssignmentComputed { assignor, .. } if assignor == "range")), 1);
    assert_eq!(count(&|e| matches!(e, Event::GroupStable { generation: 1, .. })), 1);
    assert_eq!(count(&|e| matches!(e, Event::PartitionsAssigned { partitions, .. } if partitions.len() == 2)), 3);
    let started = events.iter().find_map(|e| match e {
        Event::RebalanceStarted { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    assert!(started.unwrap().starts_with("Adding new member consumer-orders-app-"), "Kafka's reason text");
}

#[test]
fn eager_rebalance_revokes_everything_and_waits_for_every_member_to_poll() {
    let mut p = playground(6);
    let mut members: Vec<_> = (0..2).map(|_| member(&mut p, ClientFlavour::Java, &[("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor")])).collect();
    poll_loop(&mut p, &members, 4, 1_000);
    assert_eq!(generation(&p), 1);
    members.push(member(&mut p, ClientFlavour::Java, &[("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor")]));
    p.drain_events();
    // Only the newcomer polls: the others learn of the rebalance from their
    // heartbeats but rejoin only from poll(), so the group waits.
    for _ in 0..5 {
        p.poll(members[2], 500).unwrap();
        p.step(1_000);
    }
    assert_eq!(p.coordinator().state(GROUP), GroupState::PreparingRebalance);
    assert_eq!(assignment(&p, members[0]).len(), 3, "still owned until it polls (eager revokes in onJoinPrepare)");
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
    assert_eq!(revoked, vec![3, 3], "eager: both old members revoke all three partitions");
}

#[test]
fn cooperative_sticky_moves_partitions_in_two_rebalances_without_double_ownership() {
    let mut p = playground(6);
    let strategy = [("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")];
    let mut members: Vec<_> = (0..2).map(|_| member(&mut p, ClientFlavour::Java, &strategy)).collect();
    poll_loop(&mut p, &members, 4, 1_000);
    let before: Vec<_> = members.iter().map(|&c| assignment(&p, c)).collect();
    assert_eq!(before.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3]);
    let start_generation = generation(&p);
    members.push(member(&mut p, ClientFlavour::Java, &strategy));
    p.drain_events();
    poll_loop(&mut p, &members, 12, 500);
    assert_eq!(p.coordinator().state(GROUP), GroupState::Stable);
    assert_eq!(generation(&p), start_generation + 2, "one rebalance revokes, the next assigns");
    let after: Vec<_> = members.iter().map(|&c| assignment(&p, c)).collect();
    assert_eq!(after.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 2]);
    for (old, new) in before.iter().zip(&after) {
        assert!(new.iter().all(|tp| old.contains(tp)), "sticky: old members keep what they keep");
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
        let record = ProducerRecord { key: Some(Bytes::from(format!("k{i}"))), value: Some(Bytes::from(format!("v{i}"))), ..ProducerRecord::default() };
        p.send(producer, "orders", None, record).unwrap();
    }
    assert_eq!(p.flush(producer, 10_000), 0);
}

#[test]
fn a_crashed_member_expires_after_the_session_timeout_and_its_partitions_move() {
    let mut p = playground(4);
    let settings = [("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor"), ("session.timeout.ms", "10000"), ("enable.auto.commit", "false")];
    let members: Vec<_> = (0..2).map(|_| member(&mut p, ClientFlavour::Java, &settings)).collect();
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
        again += records.iter().filter(|r| crashed_partitions.contains(&TopicPartition::new("orders", r.partition))).count();
        p.step(1_000);
        if second == 9 {
            assert_eq!(assignment(&p, members[1]).len(), 2, "not before the session times out");
        }
    }
    assert_eq!(assignment(&p, members[1]).len(), 4);
    let events: Vec<Event> = p.drain_events().into_iter().map(|e| e.event).collect();
    assert!(events.iter().any(|e| matches!(e, Event::MemberRemoved { reason: MemberRemovedReason::SessionExpired { session_timeout_ms: 10_000 }, .. })));
    // Nothing was committed: everything the crashed member read is
    // delivered again (from auto.offset.reset=earliest).
    assert_eq!(again, seen_by_crashed);
}
