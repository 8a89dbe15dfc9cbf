//! Fixtures shared by the translated Java tests: the rack layouts of
//! `AbstractPartitionAssignorTest` (`partitionInfos`, `racks`,
//! `nullRacks`, `verifyRackAssignment`) and the validity check of
//! `AbstractStickyAssignorTest.verifyValidityAndBalance`.

use crate::collections::{OrdMap, OrdSet};

use super::{Assignment, AssignorError, PartitionsPerTopic, Subscription, TopicPartition};

/// `AbstractPartitionAssignorTest.ALL_RACKS`.
pub(crate) const ALL_RACKS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

/// Java's `RackConfig`, over which many tests are parameterized.
// The variants keep Java's names.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RackConfig {
    NoBrokerRack,
    NoConsumerRack,
    BrokerAndConsumerRack,
}

impl RackConfig {
    pub(crate) const ALL: [RackConfig; 3] = [
        Self::NoBrokerRack,
        Self::NoConsumerRack,
        Self::BrokerAndConsumerRack,
    ];
}

pub(crate) fn tp(topic: &str, partition: i32) -> TopicPartition {
    TopicPartition::new(topic, partition)
}

pub(crate) fn tps(list: &[(&str, i32)]) -> Vec<TopicPartition> {
    list.iter().map(|(t, p)| tp(t, *p)).collect()
}

/// `racks(n)`: brokers on racks a, b, c, ...
pub(crate) fn racks(n: usize) -> Vec<Option<String>> {
    (0..n)
        .map(|i| ALL_RACKS.get(i % ALL_RACKS.len()).map(|r| (*r).to_owned()))
        .collect()
}

/// `nullRacks(n)`: brokers without racks.
pub(crate) fn null_racks(n: usize) -> Vec<Option<String>> {
    vec![None; n]
}

/// `partitionInfos(topic, n, replicationFactor, brokerRacks, nextNodeIndex)`:
/// replica `j` of partition `i` is on broker `(i + j + next) % brokers`.
pub(crate) fn add_topic_on_brokers(
    ppt: &mut PartitionsPerTopic,
    topic: &str,
    partitions: i32,
    replication_factor: usize,
    broker_racks: &[Option<String>],
    next_node_index: usize,
) {
    ppt.insert_topic(topic, partitions);
    if broker_racks.is_empty() {
        return;
    }
    for i in 0..usize::try_from(partitions).unwrap_or(0) {
        let replicas = (0..replication_factor)
            .map(|j| broker_racks[(i + j + next_node_index) % broker_racks.len()].clone());
        ppt.set_replica_racks(tp(topic, i32::try_from(i).unwrap()), replicas);
    }
}

/// `partitionInfos(topic, n, replicationFactor, numBrokerRacks, nextNodeIndex)`:
/// `numBrokerRacks * replicationFactor` brokers on racks a, b, ... in turn,
/// or `replicationFactor` brokers without racks when `numBrokerRacks` is 0.
pub(crate) fn add_topic_with_racks(
    ppt: &mut PartitionsPerTopic,
    topic: &str,
    partitions: i32,
    replication_factor: usize,
    num_broker_racks: usize,
    next_node_index: usize,
) {
    let brokers: Vec<Option<String>> = if num_broker_racks == 0 {
        null_racks(replication_factor)
    } else {
        (0..num_broker_racks * replication_factor)
            .map(|i| Some(ALL_RACKS[i % num_broker_racks].to_owned()))
            .collect()
    };
    add_topic_on_brokers(
        ppt,
        topic,
        partitions,
        replication_factor,
        &brokers,
        next_node_index,
    );
}

/// Parses `"t1-0, t1-3"`.
pub(crate) fn parse_partitions(list: &str) -> Vec<TopicPartition> {
    list.split(", ")
        .filter(|s| !s.is_empty())
        .map(|s| {
            let dash = s.rfind('-').unwrap();
            tp(&s[..dash], s[dash + 1..].parse().unwrap())
        })
        .collect()
}

/// `toSortedString`: the partitions' `toString`s, sorted as strings.
pub(crate) fn to_sorted_string(list: &[TopicPartition]) -> String {
    let mut names: Vec<String> = list.iter().map(ToString::to_string).collect();
    names.sort();
    names.join(", ")
}

/// An assignor call, as the Java tests make it (`assignPartitions`).
pub(crate) type AssignFn<'a> = &'a dyn Fn(
    &PartitionsPerTopic,
    &OrdMap<String, Subscription>,
) -> Result<Assignment, AssignorError>;

/// `AbstractPartitionAssignorTest.verifyRackAssignment`: members
/// `consumer0..` with the given racks, topics and owned partitions; checks
/// each member's sorted assignment and (if not negative) how many assigned
/// partitions have no replica on their member's rack.
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify_rack_assignment(
    assign: AssignFn<'_>,
    topics_and_counts: &[(&str, i32)],
    replication_factor: usize,
    broker_racks: &[Option<String>],
    consumer_racks: &[Option<&str>],
    consumer_topics: &[Vec<&str>],
    owned: Option<&[&str]>,
    expected: &[&str],
    mismatches: i32,
) {
    let mut ppt = PartitionsPerTopic::new();
    let mut next = 0;
    for (topic, n) in topics_and_counts {
        add_topic_on_brokers(&mut ppt, topic, *n, replication_factor, broker_racks, next);
        next += usize::try_from(*n).unwrap();
    }
    let mut subscriptions = OrdMap::new();
    for (i, rack) in consumer_racks.iter().enumerate() {
        let mut s = Subscription::new(consumer_topics[i].iter().copied());
        if let Some(owned) = owned.and_then(|o| o.get(i)) {
            s.owned_partitions = parse_partitions(owned);
        }
        s.rack_id = rack.map(str::to_owned);
        subscriptions.insert(format!("consumer{i}"), s);
    }
    let assignment = assign(&ppt, &subscriptions).unwrap();
    let actual: Vec<String> = (0..consumer_racks.len())
        .map(|i| to_sorted_string(&assignment[&format!("consumer{i}")]))
        .collect();
    assert_eq!(actual, expected, "assignment of {topics_and_counts:?}, rf {replication_factor}, brokers {broker_racks:?}, consumers {consumer_racks:?}");
    if mismatches >= 0 {
        let mut mismatched = Vec::new();
        for (i, rack) in consumer_racks.iter().enumerate() {
            let Some(rack) = rack else { continue };
            for p in &assignment[&format!("consumer{i}")] {
                if !ppt.replica_racks(p).is_some_and(|r| r.contains(*rack)) {
                    mismatched.push(p.clone());
                }
            }
        }
        assert_eq!(
            mismatched.len(),
            usize::try_from(mismatches).unwrap(),
            "partitions with rack mismatch {mismatched:?}"
        );
    }
}

/// `AbstractStickyAssignorTest.verifyValidityAndBalance`: every member is
/// assigned only partitions of its topics, no partition twice, and members
/// whose counts differ by 2+ share no topic among their partitions.
pub(crate) fn verify_validity_and_balance(
    subscriptions: &OrdMap<String, Subscription>,
    assignment: &Assignment,
    ppt: &PartitionsPerTopic,
) {
    assert_eq!(subscriptions.len(), assignment.len());
    let consumers: Vec<&String> = assignment.keys().collect();
    for (i, consumer) in consumers.iter().enumerate() {
        let partitions = &assignment[*consumer];
        for p in partitions {
            assert!(
                subscriptions[*consumer].topics.contains(&p.topic),
                "{p} is assigned to {consumer}, which does not subscribe to its topic: {assignment:?}"
            );
            assert!(
                ppt.partition_count(&p.topic)
                    .is_some_and(|n| p.partition < n),
                "{p} does not exist"
            );
        }
        for other in consumers.iter().skip(i + 1) {
            let other_partitions = &assignment[*other];
            let mine: OrdSet<&TopicPartition> = partitions.iter().collect();
            let common: Vec<&TopicPartition> = other_partitions
                .iter()
                .filter(|p| mine.contains(p))
                .collect();
            assert!(
                common.is_empty(),
                "{consumer} and {other} share {common:?}: {assignment:?}"
            );
            if partitions.len().abs_diff(other_partitions.len()) <= 1 {
                continue;
            }
            let my_topics: OrdSet<&str> = partitions.iter().map(|p| p.topic.as_str()).collect();
            for p in other_partitions {
                assert!(
                    !my_topics.contains(p.topic.as_str()),
                    "partitions can move between {consumer} and {other} for a better balance: {assignment:?}"
                );
            }
        }
    }
}

/// `isFullyBalanced`: counts differ by at most one.
pub(crate) fn is_fully_balanced(assignment: &Assignment) -> bool {
    let sizes: Vec<usize> = assignment.values().map(Vec::len).collect();
    match (sizes.iter().min(), sizes.iter().max()) {
        (Some(min), Some(max)) => max - min <= 1,
        _ => true,
    }
}

/// A small deterministic generator for the scaled-down randomized tests
/// (Java uses `java.util.Random` without a seed).
pub(crate) struct TestRng(u64);

impl TestRng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A value in `0..bound` (`bound` > 0).
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(bound).unwrap()).unwrap()
    }
}
