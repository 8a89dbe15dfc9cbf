//! `RoundRobinAssignorTest`, all 13 cases.

use crate::collections::OrdMap;

use super::test_support::tps;
use super::{
    Assignment, PartitionAssignor, PartitionsPerTopic, RoundRobinAssignor, Subscription,
    TopicPartition,
};

fn assign(ppt: &PartitionsPerTopic, subs: &OrdMap<String, Subscription>) -> Assignment {
    RoundRobinAssignor.assign(ppt, subs).unwrap()
}

fn subs(list: Vec<(&str, Subscription)>) -> OrdMap<String, Subscription> {
    list.into_iter().map(|(m, s)| (m.to_owned(), s)).collect()
}

fn two_topics(n1: i32, n2: i32) -> PartitionsPerTopic {
    PartitionsPerTopic::new()
        .with_topic("topic1", n1)
        .with_topic("topic2", n2)
}

#[test]
fn test_one_consumer_no_topic() {
    let a = assign(
        &PartitionsPerTopic::new(),
        &subs(vec![("consumer", Subscription::new(Vec::<String>::new()))]),
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
    assert!(a["consumer"].is_empty());
}

#[test]
fn test_one_consumer_nonexistent_topic() {
    let a = assign(
        &PartitionsPerTopic::new(),
        &subs(vec![("consumer", Subscription::new(["topic"]))]),
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
    assert!(a["consumer"].is_empty());
}

#[test]
fn test_one_consumer_one_topic() {
    let ppt = PartitionsPerTopic::new().with_topic("topic", 3);
    let a = assign(
        &ppt,
        &subs(vec![("consumer", Subscription::new(["topic"]))]),
    );
    assert_eq!(
        a["consumer"],
        tps(&[("topic", 0), ("topic", 1), ("topic", 2)])
    );
}

#[test]
fn test_only_assigns_partitions_from_subscribed_topics() {
    let ppt = PartitionsPerTopic::new()
        .with_topic("topic", 3)
        .with_topic("other", 3);
    let a = assign(
        &ppt,
        &subs(vec![("consumer", Subscription::new(["topic"]))]),
    );
    assert_eq!(
        a["consumer"],
        tps(&[("topic", 0), ("topic", 1), ("topic", 2)])
    );
}

#[test]
fn test_one_consumer_multiple_topics() {
    let a = assign(
        &two_topics(1, 2),
        &subs(vec![("consumer", Subscription::new(["topic1", "topic2"]))]),
    );
    assert_eq!(
        a["consumer"],
        tps(&[("topic1", 0), ("topic2", 0), ("topic2", 1)])
    );
}

#[test]
fn test_two_consumers_one_topic_one_partition() {
    let ppt = PartitionsPerTopic::new().with_topic("topic", 1);
    let a = assign(
        &ppt,
        &subs(vec![
            ("consumer1", Subscription::new(["topic"])),
            ("consumer2", Subscription::new(["topic"])),
        ]),
    );
    assert_eq!(a["consumer1"], tps(&[("topic", 0)]));
    assert_eq!(a["consumer2"], Vec::<TopicPartition>::new());
}

#[test]
fn test_two_consumers_one_topic_two_partitions() {
    let ppt = PartitionsPerTopic::new().with_topic("topic", 2);
    let a = assign(
        &ppt,
        &subs(vec![
            ("consumer1", Subscription::new(["topic"])),
            ("consumer2", Subscription::new(["topic"])),
        ]),
    );
    assert_eq!(a["consumer1"], tps(&[("topic", 0)]));
    assert_eq!(a["consumer2"], tps(&[("topic", 1)]));
}

#[test]
fn test_multiple_consumers_mixed_topics() {
    let a = assign(
        &two_topics(3, 2),
        &subs(vec![
            ("consumer1", Subscription::new(["topic1"])),
            ("consumer2", Subscription::new(["topic1", "topic2"])),
            ("consumer3", Subscription::new(["topic1"])),
        ]),
    );
    assert_eq!(a["consumer1"], tps(&[("topic1", 0)]));
    assert_eq!(
        a["consumer2"],
        tps(&[("topic1", 1), ("topic2", 0), ("topic2", 1)])
    );
    assert_eq!(a["consumer3"], tps(&[("topic1", 2)]));
}

#[test]
fn test_two_dynamic_consumers_two_topics_six_partitions() {
    let a = assign(
        &two_topics(3, 3),
        &subs(vec![
            ("consumer1", Subscription::new(["topic1", "topic2"])),
            ("consumer2", Subscription::new(["topic1", "topic2"])),
        ]),
    );
    assert_eq!(
        a["consumer1"],
        tps(&[("topic1", 0), ("topic1", 2), ("topic2", 1)])
    );
    assert_eq!(
        a["consumer2"],
        tps(&[("topic1", 1), ("topic2", 0), ("topic2", 2)])
    );
}

#[test]
fn test_two_static_consumers_two_topics_six_partitions() {
    // consumer-a sorts first by member id, but instance ids decide.
    let a = assign(
        &two_topics(3, 3),
        &subs(vec![
            (
                "consumer-b",
                Subscription::new(["topic1", "topic2"]).with_group_instance_id("instance1"),
            ),
            (
                "consumer-a",
                Subscription::new(["topic1", "topic2"]).with_group_instance_id("instance2"),
            ),
        ]),
    );
    assert_eq!(
        a["consumer-b"],
        tps(&[("topic1", 0), ("topic1", 2), ("topic2", 1)])
    );
    assert_eq!(
        a["consumer-a"],
        tps(&[("topic1", 1), ("topic2", 0), ("topic2", 2)])
    );
}

#[test]
fn test_one_static_consumer_and_one_dynamic_consumer_two_topics_six_partitions() {
    let a = assign(
        &two_topics(3, 3),
        &subs(vec![
            (
                "consumer-b",
                Subscription::new(["topic1", "topic2"]).with_group_instance_id("instance1"),
            ),
            ("consumer-a", Subscription::new(["topic1", "topic2"])),
        ]),
    );
    assert_eq!(
        a["consumer-b"],
        tps(&[("topic1", 0), ("topic1", 2), ("topic2", 1)])
    );
    assert_eq!(
        a["consumer-a"],
        tps(&[("topic1", 1), ("topic2", 0), ("topic2", 2)])
    );
}

#[test]
fn test_static_member_round_robin_assignment_persistent() {
    let both = ["topic1", "topic2"];
    let mut s = subs(vec![
        (
            "consumer1",
            Subscription::new(both).with_group_instance_id("instance1"),
        ),
        (
            "consumer2",
            Subscription::new(both).with_group_instance_id("instance2"),
        ),
        (
            "consumer3",
            Subscription::new(both).with_group_instance_id("instance3"),
        ),
        ("consumer4", Subscription::new(both)),
    ]);
    let mut expected: Assignment = [
        ("consumer1".to_owned(), tps(&[("topic1", 0), ("topic2", 1)])),
        ("consumer2".to_owned(), tps(&[("topic1", 1), ("topic2", 2)])),
        ("consumer3".to_owned(), tps(&[("topic1", 2)])),
        ("consumer4".to_owned(), tps(&[("topic2", 0)])),
    ]
    .into();
    assert_eq!(assign(&two_topics(3, 3), &s), expected);

    s.remove("consumer4");
    s.insert("consumer5".to_owned(), Subscription::new(both));
    let moved = expected.remove("consumer4").unwrap();
    expected.insert("consumer5".to_owned(), moved);
    assert_eq!(assign(&two_topics(3, 3), &s), expected);
}

#[test]
fn test_static_member_round_robin_assignment_persistent_after_member_id_changes() {
    let both = ["topic1", "topic2"];
    let mut s = subs(vec![
        (
            "consumer1",
            Subscription::new(both).with_group_instance_id("instance1"),
        ),
        (
            "consumer2",
            Subscription::new(both).with_group_instance_id("instance2"),
        ),
        (
            "consumer3",
            Subscription::new(both).with_group_instance_id("instance3"),
        ),
    ]);
    let by_instance =
        |a: &Assignment, s: &OrdMap<String, Subscription>| -> OrdMap<String, Vec<TopicPartition>> {
            s.iter()
                .filter_map(|(m, sub)| sub.group_instance_id.clone().map(|i| (i, a[m].clone())))
                .collect()
        };
    let expected: OrdMap<String, Vec<TopicPartition>> = [
        (
            "instance1".to_owned(),
            tps(&[("topic1", 0), ("topic1", 3), ("topic2", 1), ("topic2", 4)]),
        ),
        (
            "instance2".to_owned(),
            tps(&[("topic1", 1), ("topic1", 4), ("topic2", 2)]),
        ),
        (
            "instance3".to_owned(),
            tps(&[("topic1", 2), ("topic2", 0), ("topic2", 3)]),
        ),
    ]
    .into();
    let first = by_instance(&assign(&two_topics(5, 5), &s), &s);
    assert_eq!(first, expected);

    let third = s.remove("consumer3").unwrap();
    s.insert("consumer4".to_owned(), third);
    let second = s.remove("consumer2").unwrap();
    s.insert("consumer5".to_owned(), second);
    assert_eq!(by_instance(&assign(&two_topics(5, 5), &s), &s), first);
}
