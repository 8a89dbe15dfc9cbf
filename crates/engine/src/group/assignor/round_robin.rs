//! The round-robin assignor (`roundrobin`,
//! `org.apache.kafka.clients.consumer.RoundRobinAssignor`).
//!
//! All partitions of all subscribed topics, topics in name order, are dealt
//! to the members in `MemberInfo` order (static members first by
//! `group.instance.id`, then member ids), one at a time, going round; a
//! member not subscribed to a partition's topic is skipped. With identical
//! subscriptions the counts differ by at most one; with different ones the
//! result can be lopsided (the sticky assignors fix that).

use crate::collections::OrdMap;

use super::{
    java_string_cmp, member_info_cmp, Assignment, AssignorError, PartitionAssignor,
    PartitionsPerTopic, Subscription, TopicPartition,
};
use crate::compact_sort::CollectBTree;

/// The round-robin assignor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoundRobinAssignor;

impl PartitionAssignor for RoundRobinAssignor {
    fn name(&self) -> &'static str {
        "roundrobin"
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
        let mut members: Vec<(&String, &Subscription)> = subscriptions.iter().collect();
        crate::compact_sort::sort_by(&mut members, |a, b| {
            member_info_cmp(
                a.0,
                a.1.group_instance_id.as_deref(),
                b.0,
                b.1.group_instance_id.as_deref(),
            )
        });

        // Java collects the topics in a TreeSet, ordered by String.compareTo.
        let mut topics: Vec<&str> = subscriptions
            .values()
            .flat_map(|s| s.topics.iter().map(String::as_str))
            .collect_set()
            .into_iter()
            .collect();
        crate::compact_sort::sort_by(&mut topics, |a, b| java_string_cmp(a, b));

        // The CircularIterator over the sorted members: `next` is the member
        // `peek` would return.
        let mut next = 0usize;
        for topic in topics {
            let Some(count) = partitions_per_topic.partition_count(topic) else {
                continue;
            };
            for partition in 0..count {
                // Skip members not subscribed to the topic. Some member is
                // (the topic came from a subscription), so this finds one
                // within one lap; the lap bound only guards that.
                let mut chosen = None;
                for _ in 0..members.len() {
                    let index = next % members.len();
                    next = index + 1;
                    if let Some((member, subscription)) = members.get(index) {
                        if subscription.subscribes_to(topic) {
                            chosen = Some(*member);
                            break;
                        }
                    }
                }
                if let Some(list) = chosen.and_then(|m| assignment.get_mut(m)) {
                    list.push(TopicPartition::new(topic, partition));
                }
            }
        }
        Ok(assignment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(a: &Assignment, m: &str) -> Vec<String> {
        a[m].iter().map(ToString::to_string).collect()
    }

    #[test]
    fn javadoc_examples() {
        let ppt = PartitionsPerTopic::new()
            .with_topic("t0", 3)
            .with_topic("t1", 3);
        let subs: OrdMap<String, Subscription> = [
            ("C0".to_owned(), Subscription::new(["t0", "t1"])),
            ("C1".to_owned(), Subscription::new(["t0", "t1"])),
        ]
        .into();
        let a = RoundRobinAssignor.assign(&ppt, &subs).unwrap();
        assert_eq!(names(&a, "C0"), ["t0-0", "t0-2", "t1-1"]);
        assert_eq!(names(&a, "C1"), ["t0-1", "t1-0", "t1-2"]);

        let ppt = PartitionsPerTopic::new()
            .with_topic("t0", 1)
            .with_topic("t1", 2)
            .with_topic("t2", 3);
        let subs: OrdMap<String, Subscription> = [
            ("C0".to_owned(), Subscription::new(["t0"])),
            ("C1".to_owned(), Subscription::new(["t0", "t1"])),
            ("C2".to_owned(), Subscription::new(["t0", "t1", "t2"])),
        ]
        .into();
        let a = RoundRobinAssignor.assign(&ppt, &subs).unwrap();
        assert_eq!(names(&a, "C0"), ["t0-0"]);
        assert_eq!(names(&a, "C1"), ["t1-0"]);
        assert_eq!(names(&a, "C2"), ["t1-1", "t2-0", "t2-1", "t2-2"]);
    }
}
