//! `RangeAssignorTest` (all 20 cases, each over the rack configurations
//! Java parameterizes it with) and the member-ordering and rack-awareness
//! cases of `internals/AbstractPartitionAssignorTest`.

use crate::collections::{OrdMap, OrdSet};

use super::test_support::{
    add_topic_with_racks, null_racks, racks, tp, tps, verify_rack_assignment, RackConfig, TestRng,
    ALL_RACKS,
};
use super::{
    member_info_cmp, use_rack_aware_assignment, Assignment, PartitionAssignor, PartitionsPerTopic,
    RangeAssignor, Subscription, TopicPartition,
};

/// The fixture of `RangeAssignorTest`: `initializeRacks` and its
/// `partitionInfos` / `subscription` helpers.
struct Fixture {
    replication_factor: usize,
    num_broker_racks: usize,
    has_consumer_rack: bool,
    assignor: RangeAssignor,
}

impl Fixture {
    fn new(rack_config: RackConfig) -> Self {
        Self::with_max_consumers(rack_config, 3)
    }

    fn with_max_consumers(rack_config: RackConfig, max_consumers: usize) -> Self {
        Self {
            replication_factor: max_consumers,
            num_broker_racks: if rack_config == RackConfig::NoBrokerRack {
                0
            } else {
                max_consumers
            },
            has_consumer_rack: rack_config != RackConfig::NoConsumerRack,
            // Rack and consumer order are the same in all these tests, so
            // Java forces the rack-aware logic to check it gives the same.
            assignor: RangeAssignor::preferring_rack_aware_logic(true),
        }
    }

    fn partitions(&self, ppt: &mut PartitionsPerTopic, topic: &str, n: i32) {
        add_topic_with_racks(
            ppt,
            topic,
            n,
            self.replication_factor,
            self.num_broker_racks,
            0,
        );
    }

    fn two_topics(&self, n1: i32, n2: i32) -> PartitionsPerTopic {
        let mut ppt = PartitionsPerTopic::new();
        self.partitions(&mut ppt, "topic1", n1);
        self.partitions(&mut ppt, "topic2", n2);
        ppt
    }

    fn subscription(&self, topics: &[&str], index: usize) -> Subscription {
        let num_racks = if self.num_broker_racks > 0 {
            self.num_broker_racks
        } else {
            ALL_RACKS.len()
        };
        let mut s = Subscription::new(topics.iter().copied());
        if self.has_consumer_rack {
            s.rack_id = Some(ALL_RACKS[index % num_racks].to_owned());
        }
        s
    }

    fn assign(&self, ppt: &PartitionsPerTopic, subs: &OrdMap<String, Subscription>) -> Assignment {
        self.assignor.assign(ppt, subs).unwrap()
    }
}

fn set(list: &[TopicPartition]) -> OrdSet<TopicPartition> {
    list.iter().cloned().collect()
}

fn subs(list: Vec<(&str, Subscription)>) -> OrdMap<String, Subscription> {
    list.into_iter().map(|(m, s)| (m.to_owned(), s)).collect()
}

fn with_consumer_rack(has: bool) -> RackConfig {
    if has {
        RackConfig::BrokerAndConsumerRack
    } else {
        RackConfig::NoConsumerRack
    }
}

#[test]
fn test_one_consumer_no_topic() {
    for has in [true, false] {
        let f = Fixture::new(with_consumer_rack(has));
        let a = f.assign(
            &PartitionsPerTopic::new(),
            &subs(vec![("consumer1", f.subscription(&[], 0))]),
        );
        assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer1"]);
        assert!(a["consumer1"].is_empty());
    }
}

#[test]
fn test_one_consumer_nonexistent_topic() {
    for has in [true, false] {
        let f = Fixture::new(with_consumer_rack(has));
        let a = f.assign(
            &PartitionsPerTopic::new(),
            &subs(vec![("consumer1", f.subscription(&["topic1"], 0))]),
        );
        assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer1"]);
        assert!(a["consumer1"].is_empty());
    }
}

#[test]
fn test_one_consumer_one_topic() {
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let mut ppt = PartitionsPerTopic::new();
        f.partitions(&mut ppt, "topic1", 3);
        let a = f.assign(
            &ppt,
            &subs(vec![("consumer1", f.subscription(&["topic1"], 0))]),
        );
        assert_eq!(
            set(&a["consumer1"]),
            set(&tps(&[("topic1", 0), ("topic1", 1), ("topic1", 2)]))
        );
    }
}

#[test]
fn test_only_assigns_partitions_from_subscribed_topics() {
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let mut ppt = PartitionsPerTopic::new();
        f.partitions(&mut ppt, "topic1", 3);
        f.partitions(&mut ppt, "other", 3);
        let a = f.assign(
            &ppt,
            &subs(vec![("consumer1", f.subscription(&["topic1"], 0))]),
        );
        assert_eq!(
            set(&a["consumer1"]),
            set(&tps(&[("topic1", 0), ("topic1", 1), ("topic1", 2)]))
        );
    }
}

#[test]
fn test_one_consumer_multiple_topics() {
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let ppt = f.two_topics(1, 2);
        let a = f.assign(
            &ppt,
            &subs(vec![(
                "consumer1",
                f.subscription(&["topic1", "topic2"], 0),
            )]),
        );
        assert_eq!(
            set(&a["consumer1"]),
            set(&tps(&[("topic1", 0), ("topic2", 0), ("topic2", 1)]))
        );
    }
}

#[test]
fn test_two_consumers_one_topic_one_partition() {
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let mut ppt = PartitionsPerTopic::new();
        f.partitions(&mut ppt, "topic1", 1);
        let s = subs(vec![
            ("consumer1", f.subscription(&["topic1"], 0)),
            ("consumer2", f.subscription(&["topic1"], 1)),
        ]);
        let a = f.assign(&ppt, &s);
        assert_eq!(a["consumer1"], tps(&[("topic1", 0)]));
        assert!(a["consumer2"].is_empty());
    }
}

#[test]
fn test_two_consumers_one_topic_two_partitions() {
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let mut ppt = PartitionsPerTopic::new();
        f.partitions(&mut ppt, "topic1", 2);
        let s = subs(vec![
            ("consumer1", f.subscription(&["topic1"], 0)),
            ("consumer2", f.subscription(&["topic1"], 1)),
        ]);
        let a = f.assign(&ppt, &s);
        assert_eq!(a["consumer1"], tps(&[("topic1", 0)]));
        assert_eq!(a["consumer2"], tps(&[("topic1", 1)]));
    }
}

#[test]
fn test_multiple_consumers_mixed_topics() {
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let ppt = f.two_topics(3, 2);
        let s = subs(vec![
            ("consumer1", f.subscription(&["topic1"], 0)),
            ("consumer2", f.subscription(&["topic1", "topic2"], 1)),
            ("consumer3", f.subscription(&["topic1"], 2)),
        ]);
        let a = f.assign(&ppt, &s);
        assert_eq!(a["consumer1"], tps(&[("topic1", 0)]));
        assert_eq!(
            a["consumer2"],
            tps(&[("topic1", 1), ("topic2", 0), ("topic2", 1)])
        );
        assert_eq!(a["consumer3"], tps(&[("topic1", 2)]));
    }
}

#[test]
fn test_two_consumers_two_topics_six_partitions() {
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let ppt = f.two_topics(3, 3);
        let s = subs(vec![
            ("consumer1", f.subscription(&["topic1", "topic2"], 0)),
            ("consumer2", f.subscription(&["topic1", "topic2"], 1)),
        ]);
        let a = f.assign(&ppt, &s);
        assert_eq!(
            a["consumer1"],
            tps(&[("topic1", 0), ("topic1", 1), ("topic2", 0), ("topic2", 1)])
        );
        assert_eq!(a["consumer2"], tps(&[("topic1", 2), ("topic2", 2)]));
    }
}

#[test]
fn test_two_static_consumers_two_topics_six_partitions() {
    // consumer-b sorts after consumer-a, but instance ids decide.
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let ppt = f.two_topics(3, 3);
        let s = subs(vec![
            (
                "consumer-b",
                f.subscription(&["topic1", "topic2"], 0)
                    .with_group_instance_id("instance1"),
            ),
            (
                "consumer-a",
                f.subscription(&["topic1", "topic2"], 1)
                    .with_group_instance_id("instance2"),
            ),
        ]);
        let a = f.assign(&ppt, &s);
        assert_eq!(
            a["consumer-b"],
            tps(&[("topic1", 0), ("topic1", 1), ("topic2", 0), ("topic2", 1)])
        );
        assert_eq!(a["consumer-a"], tps(&[("topic1", 2), ("topic2", 2)]));
    }
}

#[test]
fn test_one_static_consumer_and_one_dynamic_consumer_two_topics_six_partitions() {
    // The static member sorts first whatever its member id.
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let ppt = f.two_topics(3, 3);
        let s = subs(vec![
            (
                "consumer-b",
                f.subscription(&["topic1", "topic2"], 0)
                    .with_group_instance_id("instance1"),
            ),
            ("consumer-a", f.subscription(&["topic1", "topic2"], 1)),
        ]);
        let a = f.assign(&ppt, &s);
        assert_eq!(
            a["consumer-b"],
            tps(&[("topic1", 0), ("topic1", 1), ("topic2", 0), ("topic2", 1)])
        );
        assert_eq!(a["consumer-a"], tps(&[("topic1", 2), ("topic2", 2)]));
    }
}

#[test]
fn test_static_member_range_assignment_persistent() {
    for rc in RackConfig::ALL {
        let f = Fixture::with_max_consumers(rc, 5);
        let ppt = f.two_topics(5, 4);
        let both = ["topic1", "topic2"];
        let mut s = subs(vec![
            (
                "consumer1",
                f.subscription(&both, 0).with_group_instance_id("instance1"),
            ),
            (
                "consumer2",
                f.subscription(&both, 1).with_group_instance_id("instance2"),
            ),
            (
                "consumer3",
                f.subscription(&both, 2).with_group_instance_id("instance3"),
            ),
            ("consumer4", f.subscription(&both, 3)),
        ]);
        let mut expected: Assignment = [
            (
                "consumer1".to_owned(),
                tps(&[("topic1", 0), ("topic1", 1), ("topic2", 0)]),
            ),
            ("consumer2".to_owned(), tps(&[("topic1", 2), ("topic2", 1)])),
            ("consumer3".to_owned(), tps(&[("topic1", 3), ("topic2", 2)])),
            ("consumer4".to_owned(), tps(&[("topic1", 4), ("topic2", 3)])),
        ]
        .into();
        assert_eq!(f.assign(&ppt, &s), expected);

        // A new dynamic member replaces consumer4 and gets its partitions.
        s.remove("consumer4");
        s.insert("consumer5".to_owned(), f.subscription(&both, 4));
        let moved = expected.remove("consumer4").unwrap();
        expected.insert("consumer5".to_owned(), moved);
        assert_eq!(f.assign(&ppt, &s), expected);
    }
}

/// `checkStaticAssignment`: the assignment keyed by `group.instance.id`.
fn by_instance(
    a: &Assignment,
    s: &OrdMap<String, Subscription>,
) -> OrdMap<String, Vec<TopicPartition>> {
    s.iter()
        .filter_map(|(m, sub)| sub.group_instance_id.clone().map(|i| (i, a[m].clone())))
        .collect()
}

/// Swaps member ids: consumer4 takes consumer3's subscription, consumer5
/// consumer2's.
fn rename_members(s: &mut OrdMap<String, Subscription>) {
    let third = s.remove("consumer3").unwrap();
    s.insert("consumer4".to_owned(), third);
    let second = s.remove("consumer2").unwrap();
    s.insert("consumer5".to_owned(), second);
}

#[test]
fn test_static_member_range_assignment_persistent_after_member_id_changes() {
    for rc in RackConfig::ALL {
        let f = Fixture::new(rc);
        let ppt = f.two_topics(5, 5);
        let both = ["topic1", "topic2"];
        let mut s = subs(vec![
            (
                "consumer1",
                f.subscription(&both, 0).with_group_instance_id("instance1"),
            ),
            (
                "consumer2",
                f.subscription(&both, 1).with_group_instance_id("instance2"),
            ),
            (
                "consumer3",
                f.subscription(&both, 2).with_group_instance_id("instance3"),
            ),
        ]);
        let expected: OrdMap<String, Vec<TopicPartition>> = [
            (
                "instance1".to_owned(),
                tps(&[("topic1", 0), ("topic1", 1), ("topic2", 0), ("topic2", 1)]),
            ),
            (
                "instance2".to_owned(),
                tps(&[("topic1", 2), ("topic1", 3), ("topic2", 2), ("topic2", 3)]),
            ),
            ("instance3".to_owned(), tps(&[("topic1", 4), ("topic2", 4)])),
        ]
        .into();
        let first = by_instance(&f.assign(&ppt, &s), &s);
        assert_eq!(first, expected);
        rename_members(&mut s);
        assert_eq!(by_instance(&f.assign(&ppt, &s), &s), first);
    }
}

#[test]
fn test_rack_aware_static_member_range_assignment_persistent_after_member_id_changes() {
    let f = Fixture::new(RackConfig::BrokerAndConsumerRack);
    let mut ppt = PartitionsPerTopic::new();
    add_topic_with_racks(&mut ppt, "topic1", 5, 2, 3, 0);
    add_topic_with_racks(&mut ppt, "topic2", 5, 2, 3, 0);
    let both = ["topic1", "topic2"];
    let mut s = subs(vec![
        (
            "consumer1",
            f.subscription(&both, 0).with_group_instance_id("instance1"),
        ),
        (
            "consumer2",
            f.subscription(&both, 1).with_group_instance_id("instance2"),
        ),
        (
            "consumer3",
            f.subscription(&both, 2).with_group_instance_id("instance3"),
        ),
    ]);
    let expected: OrdMap<String, Vec<TopicPartition>> = [
        (
            "instance1".to_owned(),
            tps(&[("topic1", 0), ("topic1", 2), ("topic2", 0), ("topic2", 2)]),
        ),
        (
            "instance2".to_owned(),
            tps(&[("topic1", 1), ("topic1", 3), ("topic2", 1), ("topic2", 3)]),
        ),
        ("instance3".to_owned(), tps(&[("topic1", 4), ("topic2", 4)])),
    ]
    .into();
    let first = by_instance(&f.assign(&ppt, &s), &s);
    assert_eq!(first, expected);
    rename_members(&mut s);
    assert_eq!(by_instance(&f.assign(&ppt, &s), &s), first);
}

/// `verifyRackAssignment` with a fresh range assignor.
#[allow(clippy::too_many_arguments)]
fn verify(
    prefer: bool,
    topics: &[(&str, i32)],
    rf: usize,
    brokers: &[Option<String>],
    consumers: &[Option<&str>],
    consumer_topics: &[Vec<&str>],
    expected: &[&str],
    mismatches: i32,
) {
    let assignor = RangeAssignor::preferring_rack_aware_logic(prefer);
    let assign = |p: &PartitionsPerTopic, s: &OrdMap<String, Subscription>| assignor.assign(p, s);
    verify_rack_assignment(
        &assign,
        topics,
        rf,
        brokers,
        consumers,
        consumer_topics,
        None,
        expected,
        mismatches,
    );
}

fn consumer_racks(n: usize) -> Vec<Option<&'static str>> {
    (0..n)
        .map(|i| Some(ALL_RACKS[i % ALL_RACKS.len()]))
        .collect()
}

/// `verifyNonRackAwareAssignment`: every layout where rack-aware assignment
/// is not used (or cannot matter) gives plain ranges.
fn verify_non_rack_aware(topics: &[(&str, i32)], consumer_topics: &[Vec<&str>], expected: &[&str]) {
    let none3 = [None, None, None];
    verify(
        false,
        topics,
        3,
        &null_racks(3),
        &consumer_racks(3),
        consumer_topics,
        expected,
        -1,
    );
    verify(
        false,
        topics,
        3,
        &racks(3),
        &none3,
        consumer_topics,
        expected,
        -1,
    );
    verify(
        false,
        topics,
        3,
        &racks(3),
        &consumer_racks(3),
        consumer_topics,
        expected,
        0,
    );
    verify(
        false,
        topics,
        4,
        &racks(4),
        &consumer_racks(3),
        consumer_topics,
        expected,
        0,
    );
    verify(
        false,
        topics,
        3,
        &racks(3),
        &[Some("d"), Some("e"), Some("f")],
        consumer_topics,
        expected,
        -1,
    );
    verify(
        false,
        topics,
        3,
        &racks(3),
        &[None, Some("e"), Some("f")],
        consumer_topics,
        expected,
        -1,
    );
    verify(
        true,
        topics,
        3,
        &racks(3),
        &consumer_racks(3),
        consumer_topics,
        expected,
        0,
    );
}

#[test]
fn test_rack_aware_assignment_with_uniform_subscription() {
    let topics = [("t1", 6), ("t2", 7), ("t3", 2)];
    let all = vec!["t1", "t2", "t3"];
    let ct = vec![all.clone(), all.clone(), all];
    verify_non_rack_aware(
        &topics,
        &ct,
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-2, t3-0",
            "t1-2, t1-3, t2-3, t2-4, t3-1",
            "t1-4, t1-5, t2-5, t2-6",
        ],
    );
    verify(
        false,
        &topics,
        1,
        &racks(3),
        &consumer_racks(3),
        &ct,
        &[
            "t1-0, t1-3, t2-0, t2-3, t2-6",
            "t1-1, t1-4, t2-1, t2-4, t3-0",
            "t1-2, t1-5, t2-2, t2-5, t3-1",
        ],
        0,
    );
    verify(
        false,
        &topics,
        2,
        &racks(3),
        &consumer_racks(3),
        &ct,
        &[
            "t1-0, t1-2, t2-0, t2-2, t2-3, t3-1",
            "t1-1, t1-3, t2-1, t2-4, t3-0",
            "t1-4, t1-5, t2-5, t2-6",
        ],
        1,
    );
    // One consumer on a rack with no partitions.
    verify(
        false,
        &topics,
        3,
        &racks(2),
        &consumer_racks(3),
        &ct,
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-2, t3-0",
            "t1-2, t1-3, t2-3, t2-4, t3-1",
            "t1-4, t1-5, t2-5, t2-6",
        ],
        4,
    );
}

#[test]
fn test_rack_aware_assignment_with_non_equal_subscription() {
    let topics = [("t1", 6), ("t2", 7), ("t3", 2)];
    let all = vec!["t1", "t2", "t3"];
    let ct = vec![all.clone(), all, vec!["t1", "t3"]];
    verify_non_rack_aware(
        &topics,
        &ct,
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0",
            "t1-2, t1-3, t2-4, t2-5, t2-6, t3-1",
            "t1-4, t1-5",
        ],
    );
    verify(
        false,
        &topics,
        1,
        &racks(3),
        &consumer_racks(3),
        &ct,
        &[
            "t1-0, t1-3, t2-0, t2-2, t2-3, t2-6",
            "t1-1, t1-4, t2-1, t2-4, t2-5, t3-0",
            "t1-2, t1-5, t3-1",
        ],
        2,
    );
    verify(
        false,
        &topics,
        2,
        &racks(3),
        &consumer_racks(3),
        &ct,
        &[
            "t1-0, t1-2, t2-0, t2-2, t2-3, t2-5, t3-1",
            "t1-1, t1-3, t2-1, t2-4, t2-6, t3-0",
            "t1-4, t1-5",
        ],
        0,
    );
    verify(
        false,
        &topics,
        3,
        &racks(2),
        &consumer_racks(3),
        &ct,
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0",
            "t1-2, t1-3, t2-4, t2-5, t2-6, t3-1",
            "t1-4, t1-5",
        ],
        2,
    );
}

#[test]
fn test_rack_aware_assignment_with_uniform_partitions() {
    let topics = [("t1", 5), ("t2", 5), ("t3", 5)];
    let all = vec!["t1", "t2", "t3"];
    let ct = vec![all.clone(), all.clone(), all];
    let plain = [
        "t1-0, t1-1, t2-0, t2-1, t3-0, t3-1",
        "t1-2, t1-3, t2-2, t2-3, t3-2, t3-3",
        "t1-4, t2-4, t3-4",
    ];
    verify_non_rack_aware(&topics, &ct, &plain);
    // Co-partitioning wins over rack alignment.
    verify(
        false,
        &topics,
        1,
        &racks(3),
        &consumer_racks(3),
        &ct,
        &plain,
        10,
    );
    verify(
        false,
        &topics,
        2,
        &racks(3),
        &consumer_racks(3),
        &ct,
        &plain,
        5,
    );
    verify(
        false,
        &topics,
        3,
        &racks(2),
        &consumer_racks(3),
        &ct,
        &plain,
        3,
    );
}

#[test]
fn test_rack_aware_assignment_with_uniform_partitions_non_equal_subscription() {
    let topics = [("t1", 5), ("t2", 5), ("t3", 5)];
    let all = vec!["t1", "t2", "t3"];
    let ct = vec![all.clone(), all, vec!["t1", "t3"]];
    verify_non_rack_aware(
        &topics,
        &ct,
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1",
            "t1-2, t1-3, t2-3, t2-4, t3-2, t3-3",
            "t1-4, t3-4",
        ],
    );
    verify(
        false,
        &topics,
        1,
        &racks(3),
        &consumer_racks(3),
        &ct,
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-4, t3-0, t3-1",
            "t1-2, t1-3, t2-2, t2-3, t3-2, t3-3",
            "t1-4, t3-4",
        ],
        9,
    );
    verify(
        false,
        &topics,
        2,
        &racks(3),
        &consumer_racks(3),
        &ct,
        &[
            "t1-2, t2-0, t2-1, t2-3, t3-2",
            "t1-0, t1-3, t2-2, t2-4, t3-0, t3-3",
            "t1-1, t1-4, t3-1, t3-4",
        ],
        0,
    );
    verify(
        false,
        &topics,
        3,
        &racks(2),
        &consumer_racks(3),
        &ct,
        &[
            "t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1",
            "t1-2, t1-3, t2-3, t2-4, t3-2, t3-3",
            "t1-4, t3-4",
        ],
        2,
    );
}

#[test]
fn test_rack_aware_assignment_with_co_partitioning() {
    let topics = [("t1", 6), ("t2", 6), ("t3", 2), ("t4", 2)];
    let ct = vec![
        vec!["t1", "t2"],
        vec!["t1", "t2"],
        vec!["t3", "t4"],
        vec!["t3", "t4"],
    ];
    let cr = [Some("a"), Some("b"), Some("b"), Some("a")];
    let plain = [
        "t1-0, t1-1, t1-2, t2-0, t2-1, t2-2",
        "t1-3, t1-4, t1-5, t2-3, t2-4, t2-5",
        "t3-0, t4-0",
        "t3-1, t4-1",
    ];
    verify(false, &topics, 3, &racks(2), &cr, &ct, &plain, -1);
    verify(false, &topics, 3, &racks(2), &cr, &ct, &plain, -1);
    verify(false, &topics, 2, &racks(2), &cr, &ct, &plain, 0);
    verify(
        false,
        &topics,
        1,
        &racks(2),
        &cr,
        &ct,
        &[
            "t1-0, t1-2, t1-4, t2-0, t2-2, t2-4",
            "t1-1, t1-3, t1-5, t2-1, t2-3, t2-5",
            "t3-1, t4-1",
            "t3-0, t4-0",
        ],
        0,
    );

    let all = vec!["t1", "t2", "t3", "t4"];
    let ct = vec![all.clone(), all.clone(), all.clone(), all];
    let plain = [
        "t1-0, t1-1, t2-0, t2-1, t3-0, t4-0",
        "t1-2, t1-3, t2-2, t2-3, t3-1, t4-1",
        "t1-4, t2-4",
        "t1-5, t2-5",
    ];
    verify(false, &topics, 3, &racks(2), &cr, &ct, &plain, -1);
    verify(false, &topics, 3, &racks(2), &cr, &ct, &plain, -1);
    verify(false, &topics, 2, &racks(2), &cr, &ct, &plain, 0);
    verify(
        false,
        &topics,
        1,
        &racks(2),
        &cr,
        &ct,
        &[
            "t1-0, t1-2, t2-0, t2-2, t3-0, t4-0",
            "t1-1, t1-3, t2-1, t2-3, t3-1, t4-1",
            "t1-5, t2-5",
            "t1-4, t2-4",
        ],
        0,
    );
    verify(
        false,
        &topics,
        1,
        &racks(3),
        &cr,
        &ct,
        &[
            "t1-0, t1-3, t2-0, t2-3, t3-0, t4-0",
            "t1-1, t1-4, t2-1, t2-4, t3-1, t4-1",
            "t1-2, t2-2",
            "t1-5, t2-5",
        ],
        6,
    );
}

#[test]
fn test_co_partitioned_assignment_with_same_subscription() {
    let topics = [
        ("t1", 6),
        ("t2", 6),
        ("t3", 2),
        ("t4", 2),
        ("t5", 4),
        ("t6", 4),
    ];
    let list = vec!["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"];
    let ct = vec![list.clone(), list.clone(), list];
    let cr = consumer_racks(3);
    let plain = [
        "t1-0, t1-1, t2-0, t2-1, t3-0, t4-0, t5-0, t5-1, t6-0, t6-1",
        "t1-2, t1-3, t2-2, t2-3, t3-1, t4-1, t5-2, t6-2",
        "t1-4, t1-5, t2-4, t2-5, t5-3, t6-3",
    ];
    verify(false, &topics, 3, &null_racks(3), &cr, &ct, &plain, -1);
    verify(true, &topics, 3, &racks(3), &cr, &ct, &plain, 0);
    let rack_aware = [
        "t1-0, t1-2, t2-0, t2-2, t3-0, t4-0, t5-1, t6-1",
        "t1-1, t1-3, t2-1, t2-3, t3-1, t4-1, t5-2, t6-2",
        "t1-4, t1-5, t2-4, t2-5, t5-0, t5-3, t6-0, t6-3",
    ];
    verify(true, &topics, 2, &racks(3), &cr, &ct, &rack_aware, 0);
}

// internals/AbstractPartitionAssignorTest

fn sorted_members(list: &[(&'static str, Option<&'static str>)]) -> Vec<&'static str> {
    let mut list = list.to_vec();
    list.sort_by(|a, b| member_info_cmp(a.0, a.1, b.0, b.1));
    list.into_iter().map(|(m, _)| m).collect()
}

#[test]
fn test_member_info_sorting_without_group_instance_id() {
    assert_eq!(
        sorted_members(&[("a", None), ("b", None), ("c", None)]),
        ["a", "b", "c"]
    );
}

#[test]
fn test_member_info_sorting_with_all_group_instance_id() {
    assert_eq!(
        sorted_members(&[("a", Some("y")), ("b", Some("z")), ("c", Some("x"))]),
        ["c", "a", "b"]
    );
}

#[test]
fn test_member_info_sorting_some_group_instance_id() {
    assert_eq!(
        sorted_members(&[("a", None), ("b", Some("y")), ("c", Some("x"))]),
        ["c", "b", "a"]
    );
}

#[test]
fn test_merge_sort_many_member_info() {
    let mut rng = TestRng::new(7);
    let mut members: Vec<(String, Option<String>)> = (100..200)
        .map(|i| {
            let id = i.to_string();
            let instance = (rng.below(2) == 0).then(|| id.clone());
            (id, instance)
        })
        .collect();
    let mut expected: Vec<String> = members
        .iter()
        .filter(|(_, i)| i.is_some())
        .map(|(m, _)| m.clone())
        .collect();
    expected.extend(
        members
            .iter()
            .filter(|(_, i)| i.is_none())
            .map(|(m, _)| m.clone()),
    );
    for i in (1..members.len()).rev() {
        members.swap(i, rng.below(i + 1));
    }
    members.sort_by(|a, b| member_info_cmp(&a.0, a.1.as_deref(), &b.0, b.1.as_deref()));
    assert_eq!(
        members.into_iter().map(|(m, _)| m).collect::<Vec<_>>(),
        expected
    );
}

#[test]
fn test_use_rack_aware_assignment() {
    let all: OrdSet<&str> = ["a", "b", "c"].into();
    let two: OrdSet<&str> = ["a", "b"].into();
    let none: OrdSet<&str> = OrdSet::new();
    let on_all: Vec<OrdSet<String>> = (0..10)
        .map(|_| all.iter().map(|r| (*r).to_owned()).collect())
        .collect();
    let on_subset: Vec<OrdSet<String>> = (0..10)
        .map(|i| [["a", "b", "c"][i % 3].to_owned()].into())
        .collect();
    let d: OrdSet<&str> = ["d"].into();
    let ad: OrdSet<&str> = ["a", "d"].into();
    for prefer in [false, true] {
        assert!(!use_rack_aware_assignment(&none, &none, &on_all, prefer));
        assert!(!use_rack_aware_assignment(&none, &all, &on_all, prefer));
        assert!(!use_rack_aware_assignment(&all, &none, &[], prefer));
        assert!(!use_rack_aware_assignment(&d, &all, &on_all, prefer));
        assert_eq!(
            use_rack_aware_assignment(&all, &all, &on_all, prefer),
            prefer
        );
        assert_eq!(
            use_rack_aware_assignment(&two, &all, &on_all, prefer),
            prefer
        );
        assert!(use_rack_aware_assignment(&all, &all, &on_subset, prefer));
        assert!(use_rack_aware_assignment(&two, &all, &on_subset, prefer));
    }
    assert!(!use_rack_aware_assignment(&ad, &all, &on_all, false));
    assert!(use_rack_aware_assignment(&ad, &all, &on_subset, false));
}

#[test]
fn range_tp_helper_is_java_to_string() {
    assert_eq!(tp("t1", 3).to_string(), "t1-3");
}
