//! The range assignor (`range`, `org.apache.kafka.clients.consumer.RangeAssignor`).
//!
//! Per topic: the topic's partitions in order, its subscribers in
//! `MemberInfo` order (static members first by `group.instance.id`, then
//! member ids); each subscriber gets `partitions / subscribers` consecutive
//! partitions and the first `partitions % subscribers` one more. With two
//! members and two three-partition topics that is `C0: [t0-0, t0-1, t1-0,
//! t1-1]`, `C1: [t0-2, t1-2]`.
//!
//! Rack-aware (KIP-881, Kafka 3.5): when some member rack is also a replica
//! rack and some partition is not on every rack, partitions are first given
//! to subscribers on a rack holding a replica, within the same per-member
//! counts, and only the rest by plain ranges. Topics with the same
//! subscribers and the same partition count keep co-partitioning: partition
//! `p` of all of them goes to the same member.
//!
//! Each member's list is sorted by topic, then partition. Java sorts it so
//! only when rack-aware; otherwise it appends topics in `HashMap` order.

use crate::collections::{OrdMap, OrdSet};

use super::{
    member_info_cmp, use_rack_aware_assignment, Assignment, AssignorError, PartitionAssignor,
    PartitionsPerTopic, Subscription, TopicPartition,
};
use crate::compact_sort::CollectBTree;

/// The range assignor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RangeAssignor {
    /// Java's test hook `preferRackAwareLogic`: use rack-aware assignment
    /// even when every partition has a replica on every rack.
    prefer_rack_aware_logic: bool,
}

impl RangeAssignor {
    /// The range assignor, as the Java client configures it.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            prefer_rack_aware_logic: false,
        }
    }

    /// The assignor with Java's test-only `preferRackAwareLogic` set, which
    /// the translated Java tests need.
    #[cfg(test)]
    pub(crate) const fn preferring_rack_aware_logic(prefer: bool) -> Self {
        Self {
            prefer_rack_aware_logic: prefer,
        }
    }
}

/// `RangeAssignor.TopicAssignmentState`: one topic's partitions and
/// subscribers while they are being assigned.
struct TopicState<'a> {
    topic: &'a str,
    /// Subscribers in `MemberInfo` order, each with its rack.
    consumers: Vec<(&'a str, Option<&'a str>)>,
    needs_rack_aware: bool,
    /// Racks of each partition's replicas, by partition index; empty unless
    /// some subscriber has a rack.
    partition_racks: Vec<OrdSet<String>>,
    /// Unassigned partitions, in partition order.
    unassigned: Vec<i32>,
    assigned_count: OrdMap<&'a str, i32>,
    per_consumer: i32,
    remaining_with_extra: i32,
}

impl<'a> TopicState<'a> {
    fn new(
        topic: &'a str,
        count: i32,
        members: Vec<(&'a str, Option<&'a str>, Option<&'a str>)>,
        ppt: &PartitionsPerTopic,
        prefer: bool,
    ) -> Self {
        let mut members = members;
        crate::compact_sort::sort_by(&mut members, |a, b| member_info_cmp(a.0, a.1, b.0, b.1));
        // Sorted by (instance id, member id), so a member listed twice is
        // listed twice in a row.
        let mut consumers: Vec<(&str, Option<&str>)> =
            members.into_iter().map(|(m, _, rack)| (m, rack)).collect();
        consumers.dedup_by(|a, b| a.0 == b.0);
        // A topic has at most i32::MAX partitions and members come from a
        // map, so the member count fits an i32 in any real group.
        let n = i32::try_from(consumers.len()).unwrap_or(i32::MAX);
        let (per_consumer, remaining_with_extra) = if n == 0 {
            (0, 0)
        } else {
            (count / n, count % n)
        };
        let consumer_racks: OrdSet<&str> = consumers.iter().filter_map(|(_, r)| *r).collect_set();
        let mut partition_racks = Vec::new();
        if !consumer_racks.is_empty() {
            partition_racks = (0..count)
                .map(|p| {
                    ppt.replica_racks(&TopicPartition::new(topic, p))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
        }
        let all_partition_racks: OrdSet<&str> = partition_racks
            .iter()
            .flatten()
            .map(String::as_str)
            .collect_set();
        let needs_rack_aware = use_rack_aware_assignment(
            &consumer_racks,
            &all_partition_racks,
            &partition_racks,
            prefer,
        );
        Self {
            topic,
            assigned_count: consumers.iter().map(|(c, _)| (*c, 0)).collect_map(),
            consumers,
            needs_rack_aware,
            partition_racks,
            unassigned: (0..count).collect(),
            per_consumer,
            remaining_with_extra,
        }
    }

    fn racks_match(&self, consumer: &str, partition: i32) -> bool {
        let rack = self
            .consumers
            .iter()
            .find(|(c, _)| *c == consumer)
            .and_then(|(_, r)| *r);
        match rack {
            None => true,
            Some(rack) => usize::try_from(partition)
                .ok()
                .and_then(|p| self.partition_racks.get(p))
                .is_some_and(|racks| racks.contains(rack)),
        }
    }

    fn max_assignable(&self, consumer: &str) -> i32 {
        let assigned = self.assigned_count.get(consumer).copied().unwrap_or(0);
        let extra = i32::from(self.remaining_with_extra > 0);
        (self.per_consumer + extra - assigned).max(0)
    }

    fn on_assigned(&mut self, consumer: &'a str, partitions: &[i32]) {
        let len = i32::try_from(partitions.len()).unwrap_or(i32::MAX);
        let count = self.assigned_count.entry(consumer).or_insert(0);
        *count += len;
        if *count > self.per_consumer {
            self.remaining_with_extra -= 1;
        }
        // Plain ranges take a prefix of the unassigned partitions: drop it
        // without searching (this keeps 2,000 members × 100,000 partitions
        // fast); otherwise remove each, both lists being in order.
        if self.unassigned.starts_with(partitions) {
            self.unassigned.drain(..partitions.len());
        } else {
            let mut sorted = partitions.to_vec();
            crate::compact_sort::sort_unstable(&mut sorted);
            self.unassigned.retain(|p| sorted.binary_search(p).is_err());
        }
    }
}

fn assign_to<'a>(
    owner: &'a str,
    partitions: &[i32],
    state: &mut TopicState<'a>,
    assignment: &mut OrdMap<String, Vec<TopicPartition>>,
) {
    // Every consumer of a topic state is a subscription key, so it has a
    // list; the check only guards the invariant.
    if let Some(list) = assignment.get_mut(owner) {
        list.extend(
            partitions
                .iter()
                .map(|p| TopicPartition::new(state.topic, *p)),
        );
    }
    state.on_assigned(owner, partitions);
}

/// `RangeAssignor.assignRanges`: each consumer in order takes up to its
/// quota of the still-unassigned partitions it may take.
fn assign_ranges<'a>(
    state: &mut TopicState<'a>,
    may_assign: impl Fn(&TopicState<'a>, &str, i32) -> bool,
    assignment: &mut OrdMap<String, Vec<TopicPartition>>,
) {
    let consumers: Vec<&'a str> = state.consumers.iter().map(|(c, _)| *c).collect();
    for consumer in consumers {
        if state.unassigned.is_empty() {
            break;
        }
        let max = usize::try_from(state.max_assignable(consumer)).unwrap_or(0);
        let partitions: Vec<i32> = state
            .unassigned
            .iter()
            .copied()
            .filter(|p| may_assign(state, consumer, *p))
            .take(max)
            .collect();
        if !partitions.is_empty() {
            assign_to(consumer, &partitions, state, assignment);
        }
    }
}

/// `RangeAssignor.assignWithRackMatching`: topics grouped by subscribers and
/// then by partition count; co-partitioned groups keep partition `p` of
/// every topic on one member.
fn assign_with_rack_matching<'a>(
    states: &mut [TopicState<'a>],
    assignment: &mut OrdMap<String, Vec<TopicPartition>>,
) {
    // Group by (subscribers with racks, number of partition racks), keeping
    // the states' order within a group.
    // (consumers with racks, partition racks, indexes into `states`)
    type Group<'a> = (Vec<(&'a str, Option<&'a str>)>, usize, Vec<usize>);
    let mut groups: Vec<Group<'a>> = Vec::new();
    for (i, state) in states.iter().enumerate() {
        let key_len = state.partition_racks.len();
        match groups
            .iter_mut()
            .find(|(c, n, _)| *c == state.consumers && *n == key_len)
        {
            Some((_, _, members)) => members.push(i),
            None => groups.push((state.consumers.clone(), key_len, vec![i])),
        }
    }
    for (consumers, num_partitions, indexes) in groups {
        if indexes.len() > 1 {
            assign_co_partitioned(&consumers, num_partitions, &indexes, states, assignment);
        } else if let Some(&i) = indexes.first() {
            if let Some(state) = states.get_mut(i) {
                if state.needs_rack_aware {
                    assign_ranges(state, |s, c, p| s.racks_match(c, p), assignment);
                }
            }
        }
    }
}

/// `RangeAssignor.assignCoPartitionedWithRackMatching`.
fn assign_co_partitioned<'a>(
    consumers: &[(&'a str, Option<&'a str>)],
    num_partitions: usize,
    indexes: &[usize],
    states: &mut [TopicState<'a>],
    assignment: &mut OrdMap<String, Vec<TopicPartition>>,
) {
    let mut remaining: Vec<&'a str> = consumers.iter().map(|(c, _)| *c).collect();
    for p in 0..num_partitions {
        let Ok(p) = i32::try_from(p) else { break };
        let matching = remaining.iter().copied().find(|c| {
            indexes.iter().all(|&i| {
                states
                    .get(i)
                    .is_some_and(|s| s.racks_match(c, p) && s.max_assignable(c) > 0)
            })
        });
        let Some(consumer) = matching else { continue };
        for &i in indexes {
            if let Some(state) = states.get_mut(i) {
                assign_to(consumer, &[p], state, assignment);
            }
        }
        let exhausted = indexes.iter().all(|&i| {
            states
                .get(i)
                .is_none_or(|s| s.max_assignable(consumer) == 0)
        });
        if exhausted {
            remaining.retain(|c| *c != consumer);
            if remaining.is_empty() {
                break;
            }
        }
    }
}

impl PartitionAssignor for RangeAssignor {
    fn name(&self) -> &'static str {
        "range"
    }

    fn assign(
        &self,
        partitions_per_topic: &PartitionsPerTopic,
        subscriptions: &OrdMap<String, Subscription>,
    ) -> Result<Assignment, AssignorError> {
        let mut assignment: Assignment = subscriptions
            .keys()
            .map(|m| (m.clone(), Vec::new()))
            .collect_map();
        let mut states: Vec<TopicState<'_>> = partitions_per_topic
            .topics()
            .map(|(topic, count)| {
                let members = subscriptions
                    .iter()
                    .filter(|(_, s)| s.subscribes_to(topic))
                    .map(|(m, s)| (m.as_str(), s.group_instance_id.as_deref(), s.rack()))
                    .collect();
                TopicState::new(
                    topic,
                    count,
                    members,
                    partitions_per_topic,
                    self.prefer_rack_aware_logic,
                )
            })
            .collect();

        if states.iter().any(|s| s.needs_rack_aware) {
            assign_with_rack_matching(&mut states, &mut assignment);
        }
        for state in &mut states {
            assign_ranges(state, |_, _, _| true, &mut assignment);
        }
        for list in assignment.values_mut() {
            crate::compact_sort::sort(list);
        }
        Ok(assignment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javadoc_example() {
        let ppt = PartitionsPerTopic::new()
            .with_topic("t0", 3)
            .with_topic("t1", 3);
        let subs: OrdMap<String, Subscription> = [
            ("C0".to_owned(), Subscription::new(["t0", "t1"])),
            ("C1".to_owned(), Subscription::new(["t0", "t1"])),
        ]
        .into();
        let a = RangeAssignor::new().assign(&ppt, &subs).unwrap();
        let names = |m: &str| a[m].iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(names("C0"), ["t0-0", "t0-1", "t1-0", "t1-1"]);
        assert_eq!(names("C1"), ["t0-2", "t1-2"]);
    }
}
