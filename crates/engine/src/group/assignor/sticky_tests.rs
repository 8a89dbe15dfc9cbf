//! `internals/AbstractStickyAssignorTest` (run for both sticky assignors,
//! as Java runs it through `StickyAssignorTest` and
//! `CooperativeStickyAssignorTest`), plus the cases specific to each.
//!
//! The harness mirrors the Java fixture: `initializeRacks`,
//! `partitionInfos` (each topic's replicas start one broker further),
//! `subscription`, `buildSubscriptionV0/V1/V2Above` per assignor, and the
//! cooperative `verifyValidityAndBalance`, which keeps rebalancing (feeding
//! each result back as owned partitions) while partitions are being
//! revoked, checking that none is assigned while still owned. Java's
//! randomized and very large cases are scaled down and seeded.

use crate::collections::{OrdMap, OrdSet};

use super::sticky_core::MemberData;
use super::test_support::{
    add_topic_with_racks, is_fully_balanced, null_racks, racks, tp, tps, verify_rack_assignment,
    verify_validity_and_balance, RackConfig, TestRng, ALL_RACKS,
};
use super::{
    encode_cooperative_sticky_user_data, encode_sticky_user_data, Assignment,
    CooperativeStickyAssignor, MemberState, PartitionAssignor, PartitionsPerTopic, StickyAssignor,
    Subscription, TopicPartition, DEFAULT_GENERATION,
};

/// `AbstractStickyAssignorTest.generationId`.
const GENERATION_ID: i32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Sticky,
    Cooperative,
}

const FLAVORS: [Flavor; 2] = [Flavor::Sticky, Flavor::Cooperative];

struct H {
    flavor: Flavor,
    prefer: bool,
    replication_factor: usize,
    num_broker_racks: usize,
    has_consumer_rack: bool,
    next_partition_index: usize,
    ppt: PartitionsPerTopic,
    subs: OrdMap<String, Subscription>,
    /// The cooperative assignor's `generation` field, which
    /// `subscriptionUserData` encodes and `onAssignment` sets.
    coop_generation: i32,
    /// `partitionsTransferringOwnership` after the last assignment.
    transferring: Option<OrdMap<TopicPartition, String>>,
    /// `isSticky()` after the last assignment.
    sticky: Option<bool>,
}

impl H {
    fn new(flavor: Flavor) -> Self {
        Self {
            flavor,
            prefer: false,
            replication_factor: 2,
            num_broker_racks: 0,
            has_consumer_rack: false,
            next_partition_index: 0,
            ppt: PartitionsPerTopic::new(),
            subs: OrdMap::new(),
            coop_generation: DEFAULT_GENERATION,
            transferring: None,
            sticky: None,
        }
    }

    fn with_racks(flavor: Flavor, rack_config: RackConfig) -> Self {
        let mut h = Self::new(flavor);
        h.replication_factor = 3;
        h.num_broker_racks = if rack_config == RackConfig::NoBrokerRack {
            0
        } else {
            3
        };
        h.has_consumer_rack = rack_config != RackConfig::NoConsumerRack;
        h.prefer = true;
        h
    }

    fn with_consumer_rack(flavor: Flavor, has: bool) -> Self {
        Self::with_racks(
            flavor,
            if has {
                RackConfig::BrokerAndConsumerRack
            } else {
                RackConfig::NoConsumerRack
            },
        )
    }

    fn partitions(&mut self, topic: &str, n: i32) {
        let next = self.next_partition_index;
        self.next_partition_index += 1;
        add_topic_with_racks(
            &mut self.ppt,
            topic,
            n,
            self.replication_factor,
            self.num_broker_racks,
            next,
        );
    }

    fn rack_id(&self, index: i64) -> Option<String> {
        let num_racks = if self.num_broker_racks > 0 {
            self.num_broker_racks
        } else {
            ALL_RACKS.len()
        };
        let index = usize::try_from(index).ok()?;
        self.has_consumer_rack
            .then(|| ALL_RACKS[index % num_racks].to_owned())
    }

    fn subscription(&self, topics: &[&str], index: i64) -> Subscription {
        Subscription {
            rack_id: self.rack_id(index),
            ..Subscription::new(topics.iter().copied())
        }
    }

    fn v2(
        &self,
        topics: &[&str],
        owned: &[TopicPartition],
        generation: i32,
        index: i64,
    ) -> Subscription {
        let topics: Vec<String> = topics.iter().map(|t| (*t).to_owned()).collect();
        self.v2_owned(topics, owned.to_vec(), generation, index)
    }

    fn v2_owned(
        &self,
        topics: Vec<String>,
        owned: Vec<TopicPartition>,
        generation: i32,
        index: i64,
    ) -> Subscription {
        match self.flavor {
            Flavor::Sticky => Subscription {
                topics,
                user_data: Some(encode_sticky_user_data(&owned, generation).unwrap()),
                owned_partitions: owned,
                generation_id: Some(generation),
                rack_id: None,
                group_instance_id: None,
            },
            Flavor::Cooperative => Subscription {
                topics,
                user_data: Some(encode_cooperative_sticky_user_data(self.coop_generation)),
                owned_partitions: owned,
                generation_id: Some(generation),
                rack_id: self.rack_id(index),
                group_instance_id: None,
            },
        }
    }

    fn v1(&mut self, topics: &[&str], owned: &[TopicPartition], generation: i32) -> Subscription {
        let user_data = match self.flavor {
            Flavor::Sticky => encode_sticky_user_data(owned, generation).unwrap(),
            Flavor::Cooperative => {
                self.coop_generation = generation;
                encode_cooperative_sticky_user_data(generation)
            }
        };
        Subscription {
            user_data: Some(user_data),
            owned_partitions: owned.to_vec(),
            generation_id: Some(DEFAULT_GENERATION),
            ..Subscription::new(topics.iter().copied())
        }
    }

    fn v0(
        &self,
        topics: &[&str],
        owned: &[TopicPartition],
        generation: i32,
        index: i64,
    ) -> Option<Subscription> {
        match self.flavor {
            Flavor::Sticky => Some(Subscription {
                user_data: Some(encode_sticky_user_data(owned, generation).unwrap()),
                generation_id: Some(DEFAULT_GENERATION),
                rack_id: self.rack_id(index),
                ..Subscription::new(topics.iter().copied())
            }),
            // The cooperative assignor needs subscription v1 or later.
            Flavor::Cooperative => None,
        }
    }

    fn member_data(&self, s: &Subscription) -> MemberData {
        match self.flavor {
            Flavor::Sticky => StickyAssignor::member_data(s),
            Flavor::Cooperative => CooperativeStickyAssignor::member_data(s),
        }
    }

    fn put(&mut self, member: &str, s: Subscription) {
        self.subs.insert(member.to_owned(), s);
    }

    /// `assignor.assignPartitions(partitionsPerTopic, subscriptions)`.
    fn assign(&mut self) -> Assignment {
        let ppt = self.ppt.clone();
        self.assign_on(&ppt)
    }

    fn assign_on(&mut self, ppt: &PartitionsPerTopic) -> Assignment {
        let (assignment, outcome) = match self.flavor {
            Flavor::Sticky => {
                let outcome = StickyAssignor::preferring_rack_aware_logic(self.prefer)
                    .assign_detailed(ppt, &self.subs)
                    .unwrap();
                (outcome.assignment.clone(), outcome)
            }
            Flavor::Cooperative => {
                CooperativeStickyAssignor::preferring_rack_aware_logic(self.prefer)
                    .assign_detailed(ppt, &self.subs)
                    .unwrap()
            }
        };
        self.transferring = outcome.transferring;
        if outcome.sticky.is_some() {
            self.sticky = outcome.sticky;
        }
        assignment
    }

    fn transferring_is_empty(&self) -> bool {
        self.transferring.as_ref().is_some_and(OrdMap::is_empty)
    }

    fn transferring_eq(&self, expected: &[((&str, i32), &str)]) -> bool {
        let expected: OrdMap<TopicPartition, String> = expected
            .iter()
            .map(|((t, p), m)| (tp(t, *p), (*m).to_owned()))
            .collect();
        self.transferring.as_ref() == Some(&expected)
    }

    fn is_sticky(&self) -> bool {
        self.sticky.unwrap_or(true)
    }

    /// `verifyValidityAndBalance`; the cooperative one first rebalances
    /// until nothing is being revoked (at most 4 times), checking no
    /// partition is assigned while still owned, and updates `assignment`
    /// and the subscriptions as Java does.
    fn verify(&mut self, assignment: &mut Assignment) {
        if self.flavor == Flavor::Cooperative {
            let mut rebalances = 0;
            while cooperative_revocations(&self.subs, assignment) {
                for (member, assigned) in assignment.iter() {
                    let old = &self.subs[member];
                    let rack_index = old
                        .rack_id
                        .as_deref()
                        .and_then(|r| ALL_RACKS.iter().position(|x| *x == r))
                        .map_or(-1, |i| i64::try_from(i).unwrap());
                    let s = self.v2_owned(
                        old.topics.clone(),
                        assigned.clone(),
                        GENERATION_ID,
                        rack_index,
                    );
                    self.subs.insert(member.clone(), s);
                }
                *assignment = self.assign();
                rebalances += 1;
                assert!(rebalances <= 4, "no convergence in 4 rebalances");
            }
        }
        verify_validity_and_balance(&self.subs, assignment, &self.ppt);
    }
}

/// `verifyCooperativeValidity`: no partition is both newly assigned and
/// revoked; returns whether anything is revoked.
fn cooperative_revocations(subs: &OrdMap<String, Subscription>, assignment: &Assignment) -> bool {
    let mut added = OrdSet::new();
    let mut revoked = OrdSet::new();
    for (member, assigned) in assignment {
        let owned = &subs[member].owned_partitions;
        revoked.extend(owned.iter().filter(|p| !assigned.contains(p)).cloned());
        added.extend(assigned.iter().filter(|p| !owned.contains(p)).cloned());
    }
    let both: Vec<&TopicPartition> = added.intersection(&revoked).collect();
    assert!(
        both.is_empty(),
        "assigned while still being revoked: {both:?}"
    );
    !revoked.is_empty()
}

fn set(list: &[TopicPartition]) -> OrdSet<TopicPartition> {
    list.iter().cloned().collect()
}

fn contains_all(haystack: &[TopicPartition], needles: &[TopicPartition]) -> bool {
    needles.iter().all(|n| haystack.contains(n))
}

fn each_flavor_and_rack(test: impl Fn(Flavor, RackConfig)) {
    for flavor in FLAVORS {
        for rc in RackConfig::ALL {
            test(flavor, rc);
        }
    }
}

/// `getTopicName` / `getConsumerName`: a prefix and a zero-padded index.
fn name(prefix: &str, i: usize, max: usize) -> String {
    format!("{prefix}{i:0width$}", width = max.to_string().len())
}

// AbstractStickyAssignorTest

#[test]
fn test_member_data() {
    for flavor in FLAVORS {
        let mut h = H::new(flavor);
        let owned = tps(&[("topic1", 0), ("topic2", 1)]);
        let mut subs = vec![h.v0(&["topic"], &owned, GENERATION_ID, 0)];
        subs.push(Some(h.v1(&["topic"], &owned, GENERATION_ID)));
        subs.push(Some(h.v2(&["topic"], &owned, GENERATION_ID, 2)));
        for s in subs.into_iter().flatten() {
            let md = h.member_data(&s);
            assert_eq!(md.partitions, owned, "{flavor:?} {s:?}");
            assert_eq!(md.generation, Some(GENERATION_ID), "{flavor:?} {s:?}");
        }
    }
}

#[test]
fn test_one_consumer_no_topic() {
    for flavor in FLAVORS {
        for has in [false, true] {
            let mut h = H::with_consumer_rack(flavor, has);
            h.put("consumer", h.subscription(&[], 0));
            let mut a = h.assign();
            assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
            assert!(a["consumer"].is_empty());
            assert!(h.transferring_is_empty());
            h.verify(&mut a);
            assert!(is_fully_balanced(&a));
        }
    }
}

#[test]
fn test_one_consumer_nonexistent_topic() {
    for flavor in FLAVORS {
        for has in [false, true] {
            let mut h = H::with_consumer_rack(flavor, has);
            h.ppt.insert_topic("topic", 0);
            h.put("consumer", h.subscription(&["topic"], 0));
            let mut a = h.assign();
            assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
            assert!(a["consumer"].is_empty());
            assert!(h.transferring_is_empty());
            h.verify(&mut a);
            assert!(is_fully_balanced(&a));
        }
    }
}

#[test]
fn test_one_consumer_one_topic() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 3);
        h.put("consumer", h.subscription(&["topic"], 0));
        let mut a = h.assign();
        assert_eq!(
            a["consumer"],
            tps(&[("topic", 0), ("topic", 1), ("topic", 2)])
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_only_assigns_partitions_from_subscribed_topics() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 2);
        let owned = tps(&[("topic", 0), ("topic", 1), ("other", 0), ("other", 1)]);
        h.put("consumer", h.v2(&["topic"], &owned, GENERATION_ID, 0));
        let mut a = h.assign();
        assert_eq!(a["consumer"], tps(&[("topic", 0), ("topic", 1)]));
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_one_consumer_multiple_topics() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic1", 1);
        h.partitions("topic2", 2);
        h.put("consumer", h.subscription(&["topic1", "topic2"], 0));
        let mut a = h.assign();
        assert_eq!(
            a["consumer"],
            tps(&[("topic1", 0), ("topic2", 0), ("topic2", 1)])
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_two_consumers_one_topic_one_partition() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 1);
        h.put("consumer1", h.subscription(&["topic"], 0));
        h.put("consumer2", h.subscription(&["topic"], 1));
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_two_consumers_one_topic_two_partitions() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 2);
        h.put("consumer1", h.subscription(&["topic"], 0));
        h.put("consumer2", h.subscription(&["topic"], 1));
        let mut a = h.assign();
        assert_eq!(a["consumer1"], tps(&[("topic", 0)]));
        assert_eq!(a["consumer2"], tps(&[("topic", 1)]));
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_multiple_consumers_mixed_topic_subscriptions() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic1", 3);
        h.partitions("topic2", 2);
        h.put("consumer1", h.subscription(&["topic1"], 0));
        h.put("consumer2", h.subscription(&["topic1", "topic2"], 1));
        h.put("consumer3", h.subscription(&["topic1"], 2));
        let mut a = h.assign();
        assert_eq!(a["consumer1"], tps(&[("topic1", 0), ("topic1", 2)]));
        assert_eq!(a["consumer2"], tps(&[("topic2", 0), ("topic2", 1)]));
        assert_eq!(a["consumer3"], tps(&[("topic1", 1)]));
        assert_eq!(h.transferring, None);
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_two_consumers_two_topics_six_partitions() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic1", 3);
        h.partitions("topic2", 3);
        h.put("consumer1", h.subscription(&["topic1", "topic2"], 0));
        h.put("consumer2", h.subscription(&["topic1", "topic2"], 1));
        let mut a = h.assign();
        assert_eq!(
            a["consumer1"],
            tps(&[("topic1", 0), ("topic1", 2), ("topic2", 1)])
        );
        assert_eq!(
            a["consumer2"],
            tps(&[("topic1", 1), ("topic2", 0), ("topic2", 2)])
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_consumer_owning_min_quota_expected_max_quota() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic1", 2);
        h.partitions("topic2", 3);
        let both = ["topic1", "topic2"];
        h.put(
            "consumer1",
            h.v2(
                &both,
                &tps(&[("topic1", 0), ("topic2", 1)]),
                GENERATION_ID,
                0,
            ),
        );
        h.put(
            "consumer2",
            h.v2(
                &both,
                &tps(&[("topic1", 1), ("topic2", 2)]),
                GENERATION_ID,
                1,
            ),
        );
        let mut a = h.assign();
        assert_eq!(
            a["consumer1"],
            tps(&[("topic1", 0), ("topic2", 1), ("topic2", 0)])
        );
        assert_eq!(a["consumer2"], tps(&[("topic1", 1), ("topic2", 2)]));
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_max_quota_consumer_more_than_num_expected_max_capacity_members() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic1", 2);
        h.partitions("topic2", 2);
        let both = ["topic1", "topic2"];
        h.put(
            "consumer1",
            h.v2(
                &both,
                &tps(&[("topic1", 0), ("topic2", 0)]),
                GENERATION_ID,
                0,
            ),
        );
        h.put(
            "consumer2",
            h.v2(
                &both,
                &tps(&[("topic1", 1), ("topic2", 1)]),
                GENERATION_ID,
                1,
            ),
        );
        h.put("consumer3", h.v2(&both, &[], GENERATION_ID, 2));
        let mut a = h.assign();
        assert!(
            h.transferring_eq(&[(("topic2", 0), "consumer3")]),
            "{flavor:?} {rc:?} {:?}",
            h.transferring
        );
        h.verify(&mut a);
        assert_eq!(a["consumer1"], tps(&[("topic1", 0)]));
        assert_eq!(a["consumer2"], tps(&[("topic1", 1), ("topic2", 1)]));
        assert_eq!(a["consumer3"], tps(&[("topic2", 0)]));
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_all_consumers_are_under_min_quota() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic1", 2);
        h.partitions("topic2", 3);
        let both = ["topic1", "topic2"];
        h.put(
            "consumer1",
            h.v2(&both, &tps(&[("topic1", 0)]), GENERATION_ID, 0),
        );
        h.put(
            "consumer2",
            h.v2(&both, &tps(&[("topic1", 1)]), GENERATION_ID, 1),
        );
        h.put("consumer3", h.v2(&both, &[], GENERATION_ID, 2));
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert_eq!(a["consumer1"], tps(&[("topic1", 0), ("topic2", 1)]));
        assert_eq!(a["consumer2"], tps(&[("topic1", 1), ("topic2", 2)]));
        assert_eq!(a["consumer3"], tps(&[("topic2", 0)]));
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_add_remove_consumer_one_topic() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 3);
        h.put("consumer1", h.subscription(&["topic"], 0));
        let mut a = h.assign();
        assert_eq!(
            a["consumer1"],
            tps(&[("topic", 0), ("topic", 1), ("topic", 2)])
        );
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));

        h.put(
            "consumer1",
            h.v2(&["topic"], &a["consumer1"], GENERATION_ID, 0),
        );
        h.put("consumer2", h.v2(&["topic"], &[], GENERATION_ID, 1));
        let mut a = h.assign();
        assert!(
            h.transferring_eq(&[(("topic", 2), "consumer2")]),
            "{flavor:?} {rc:?} {:?}",
            h.transferring
        );
        h.verify(&mut a);
        assert_eq!(a["consumer1"], tps(&[("topic", 0), ("topic", 1)]));
        assert_eq!(a["consumer2"], tps(&[("topic", 2)]));
        assert!(is_fully_balanced(&a));

        h.subs.remove("consumer1");
        h.put(
            "consumer2",
            h.v2(&["topic"], &a["consumer2"], GENERATION_ID, 1),
        );
        let mut a = h.assign();
        assert_eq!(
            set(&a["consumer2"]),
            set(&tps(&[("topic", 2), ("topic", 1), ("topic", 0)]))
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_topic_balance_after_reassignment() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        let all = ["topic1", "topic2"];
        h.partitions("topic1", 12);
        h.partitions("topic2", 12);
        let per_topic = |a: &Assignment, n: usize| {
            for list in a.values() {
                assert_eq!(list.iter().filter(|p| p.topic == "topic1").count(), n);
                assert_eq!(list.iter().filter(|p| p.topic == "topic2").count(), n);
            }
        };
        h.put("consumer1", h.subscription(&all, 0));
        let mut a = h.assign();
        h.verify(&mut a);
        per_topic(&a, 12);
        assert!(h.transferring_is_empty());
        assert!(is_fully_balanced(&a));

        h.put("consumer1", h.v2(&all, &a["consumer1"], GENERATION_ID, 0));
        h.put("consumer2", h.v2(&all, &[], GENERATION_ID, 1));
        let mut a = h.assign();
        h.verify(&mut a);
        per_topic(&a, 6);
        assert!(is_fully_balanced(&a));

        h.put("consumer1", h.v2(&all, &a["consumer1"], GENERATION_ID, 0));
        h.put("consumer2", h.v2(&all, &a["consumer2"], GENERATION_ID, 1));
        h.put("consumer3", h.v2(&all, &[], GENERATION_ID, 2));
        h.put("consumer4", h.v2(&all, &[], GENERATION_ID, 3));
        let mut a = h.assign();
        h.verify(&mut a);
        per_topic(&a, 3);
        assert!(is_fully_balanced(&a));

        h.subs.remove("consumer1");
        h.subs.remove("consumer2");
        h.put("consumer3", h.v2(&all, &a["consumer3"], GENERATION_ID, 2));
        h.put("consumer4", h.v2(&all, &a["consumer4"], GENERATION_ID, 3));
        let mut a = h.assign();
        h.verify(&mut a);
        per_topic(&a, 6);
        assert!(h.transferring_is_empty());
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_add_remove_two_consumers_two_topics() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        let all = ["topic1", "topic2"];
        h.partitions("topic1", 3);
        h.partitions("topic2", 4);
        h.put("consumer1", h.subscription(&all, 0));
        h.put("consumer2", h.subscription(&all, 1));
        let mut a = h.assign();
        assert_eq!(
            a["consumer1"],
            tps(&[("topic1", 0), ("topic1", 2), ("topic2", 1), ("topic2", 3)])
        );
        assert_eq!(
            a["consumer2"],
            tps(&[("topic1", 1), ("topic2", 0), ("topic2", 2)])
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));

        h.put("consumer1", h.v2(&all, &a["consumer1"], GENERATION_ID, 0));
        h.put("consumer2", h.v2(&all, &a["consumer2"], GENERATION_ID, 1));
        h.put("consumer3", h.v2(&all, &[], GENERATION_ID, 2));
        h.put("consumer4", h.v2(&all, &[], GENERATION_ID, 3));
        let mut a = h.assign();
        assert!(
            h.transferring_eq(&[
                (("topic1", 2), "consumer3"),
                (("topic2", 3), "consumer3"),
                (("topic2", 2), "consumer4"),
            ]),
            "{flavor:?} {rc:?} {:?}",
            h.transferring
        );
        h.verify(&mut a);
        assert_eq!(a["consumer1"], tps(&[("topic1", 0), ("topic2", 1)]));
        assert_eq!(a["consumer2"], tps(&[("topic2", 0), ("topic1", 1)]));
        assert_eq!(a["consumer3"], tps(&[("topic1", 2), ("topic2", 3)]));
        assert_eq!(a["consumer4"], tps(&[("topic2", 2)]));
        assert!(is_fully_balanced(&a));

        h.subs.remove("consumer1");
        h.subs.remove("consumer2");
        h.put("consumer3", h.v2(&all, &a["consumer3"], GENERATION_ID, 2));
        h.put("consumer4", h.v2(&all, &a["consumer4"], GENERATION_ID, 3));
        let mut a = h.assign();
        assert_eq!(
            a["consumer3"],
            tps(&[("topic1", 2), ("topic2", 3), ("topic1", 0), ("topic2", 1)])
        );
        assert_eq!(
            a["consumer4"],
            tps(&[("topic2", 2), ("topic1", 1), ("topic2", 0)])
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_poor_round_robin_assignment_scenario() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        for i in 1..=5 {
            h.partitions(&format!("topic{i}"), (i % 2) + 1);
        }
        let all5 = ["topic1", "topic2", "topic3", "topic4", "topic5"];
        let odd = ["topic1", "topic3", "topic5"];
        h.put("consumer1", h.subscription(&all5, 0));
        h.put("consumer2", h.subscription(&odd, 1));
        h.put("consumer3", h.subscription(&odd, 2));
        h.put("consumer4", h.subscription(&all5, 3));
        let mut a = h.assign();
        h.verify(&mut a);
    });
}

#[test]
fn test_add_remove_topic_two_consumers() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 3);
        h.put("consumer1", h.subscription(&["topic"], 0));
        h.put("consumer2", h.subscription(&["topic"], 1));
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        assert!(is_fully_balanced(&a));
        h.verify(&mut a);
        let c1_first = a["consumer1"].clone();
        let c2_first = a["consumer2"].clone();
        assert!(
            (c1_first.len() == 1 && c2_first.len() == 2)
                || (c1_first.len() == 2 && c2_first.len() == 1)
        );

        h.partitions("topic2", 3);
        let both = ["topic", "topic2"];
        h.put("consumer1", h.v2(&both, &a["consumer1"], GENERATION_ID, 0));
        h.put("consumer2", h.v2(&both, &a["consumer2"], GENERATION_ID, 1));
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
        let c1_second = a["consumer1"].clone();
        let c2_second = a["consumer2"].clone();
        assert!(c1_second.len() == 3 && c2_second.len() == 3);
        assert!(contains_all(&c1_second, &c1_first));
        assert!(contains_all(&c2_second, &c2_first));

        h.ppt.remove_topic("topic");
        h.put(
            "consumer1",
            h.v2(&["topic2"], &a["consumer1"], GENERATION_ID, 0),
        );
        h.put(
            "consumer2",
            h.v2(&["topic2"], &a["consumer2"], GENERATION_ID, 1),
        );
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
        let c1_third = a["consumer1"].clone();
        let c2_third = a["consumer2"].clone();
        assert!(
            (c1_third.len() == 1 && c2_third.len() == 2)
                || (c1_third.len() == 2 && c2_third.len() == 1)
        );
        assert!(contains_all(&c1_second, &c1_third));
        assert!(contains_all(&c2_second, &c2_third));
    });
}

#[test]
fn test_reassignment_after_one_consumer_leaves() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        for i in 1..20 {
            h.partitions(&name("t", i, 20), i32::try_from(i).unwrap());
        }
        for i in 1..20 {
            let topics: Vec<String> = (1..=i).map(|j| name("t", j, 20)).collect();
            let refs: Vec<&str> = topics.iter().map(String::as_str).collect();
            h.put(
                &name("c", i, 20),
                h.subscription(&refs, i64::try_from(i).unwrap()),
            );
        }
        let mut a = h.assign();
        h.verify(&mut a);

        for i in 1..20 {
            let c = name("c", i, 20);
            let s = h.v2_owned(
                h.subs[&c].topics.clone(),
                a[&c].clone(),
                GENERATION_ID,
                i64::try_from(i).unwrap(),
            );
            h.put(&c, s);
        }
        h.subs.remove("c10");
        let mut a = h.assign();
        h.verify(&mut a);
        assert!(h.is_sticky());
    });
}

#[test]
fn test_reassignment_after_one_consumer_added() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 20);
        for i in 1..10 {
            h.put(
                &name("c", i, 10),
                h.subscription(&["topic"], i64::try_from(i).unwrap()),
            );
        }
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);

        h.put(&name("c", 10, 10), h.subscription(&["topic"], 10));
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
    });
}

#[test]
fn test_same_subscriptions() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        for i in 1..15 {
            h.partitions(&name("t", i, 15), i32::try_from(i).unwrap());
        }
        let topics: Vec<String> = (1..15).map(|j| name("t", j, 15)).collect();
        let refs: Vec<&str> = topics.iter().map(String::as_str).collect();
        for i in 1..9 {
            h.put(
                &name("c", i, 9),
                h.subscription(&refs, i64::try_from(i).unwrap()),
            );
        }
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);

        for i in 1..9 {
            let c = name("c", i, 9);
            let s = h.v2_owned(
                h.subs[&c].topics.clone(),
                a[&c].clone(),
                GENERATION_ID,
                i64::try_from(i).unwrap(),
            );
            h.put(&c, s);
        }
        h.subs.remove(&name("c", 5, 9));
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
    });
}

/// `testLargeAssignmentAndGroupWithUniformSubscription` and
/// `...NonEqualSubscription`, scaled from 500 topics × 2000 partitions and
/// 2000 members down to 10 × 20 and 40 members.
#[test]
fn test_large_assignment_and_group_scaled_down() {
    for flavor in FLAVORS {
        for has in [false, true] {
            for non_equal in [false, true] {
                let mut h = H::with_consumer_rack(flavor, has);
                let (topic_count, partition_count, consumer_count) = (10, 20, 40);
                let topics: Vec<String> = (0..topic_count)
                    .map(|i| name("t", i, topic_count))
                    .collect();
                for t in &topics {
                    h.partitions(t, partition_count);
                }
                let refs: Vec<&str> = topics.iter().map(String::as_str).collect();
                let subscribed = |i: usize| {
                    if non_equal && i == consumer_count - 1 {
                        &refs[..1]
                    } else {
                        &refs[..]
                    }
                };
                for i in 0..consumer_count {
                    h.put(
                        &name("c", i, consumer_count),
                        h.subscription(subscribed(i), i64::try_from(i).unwrap()),
                    );
                }
                let a = h.assign();
                for i in 1..consumer_count {
                    let c = name("c", i, consumer_count);
                    h.put(
                        &c,
                        h.v2(
                            subscribed(i),
                            &a[&c],
                            GENERATION_ID,
                            i64::try_from(i).unwrap(),
                        ),
                    );
                }
                let mut a = h.assign();
                h.verify(&mut a);
            }
        }
    }
}

/// `testAssignmentAndGroupWithNonEqualSubscriptionNotTimeout`, scaled from
/// 100 topics × 200 partitions and 500 members down to 10 × 10 and 50.
#[test]
fn test_assignment_and_group_with_non_equal_subscription_scaled_down() {
    for flavor in FLAVORS {
        for has in [false, true] {
            let mut h = H::with_consumer_rack(flavor, has);
            let (topic_count, partition_count, consumer_count) = (10, 10, 50);
            let topics: Vec<String> = (0..topic_count)
                .map(|i| name("t", i, topic_count))
                .collect();
            for t in &topics {
                h.partitions(t, partition_count);
            }
            let refs: Vec<&str> = topics.iter().map(String::as_str).collect();
            let subscribed = |i: usize| {
                if i % 4 == 0 {
                    &refs[..topic_count / 2]
                } else {
                    &refs[topic_count / 2..]
                }
            };
            for i in 0..consumer_count {
                h.put(
                    &name("c", i, consumer_count),
                    h.subscription(subscribed(i), i64::try_from(i).unwrap()),
                );
            }
            let a = h.assign();
            for i in 1..consumer_count {
                let c = name("c", i, consumer_count);
                h.put(
                    &c,
                    h.v2(
                        subscribed(i),
                        &a[&c],
                        GENERATION_ID,
                        i64::try_from(i).unwrap(),
                    ),
                );
            }
            let mut a = h.assign();
            h.verify(&mut a);
        }
    }
}

#[test]
fn test_subscription_not_equal_and_assign_same_partition_with_3_generation() {
    for flavor in FLAVORS {
        for seq in [
            [1, 2, 3],
            [1, 3, 2],
            [2, 1, 3],
            [2, 3, 1],
            [3, 1, 2],
            [3, 2, 1],
        ] {
            let mut h = H::new(flavor);
            h.partitions("topic", 6);
            h.partitions("topic1", 1);
            h.put(
                "consumer1",
                h.v2(&["topic"], &tps(&[("topic", 0), ("topic", 2)]), seq[0], 0),
            );
            h.put(
                "consumer2",
                h.v2(
                    &["topic"],
                    &tps(&[("topic", 1), ("topic", 2), ("topic", 3)]),
                    seq[1],
                    1,
                ),
            );
            h.put(
                "consumer3",
                h.v2(
                    &["topic"],
                    &tps(&[("topic", 2), ("topic", 4), ("topic", 5)]),
                    seq[2],
                    2,
                ),
            );
            h.put("consumer4", h.v2(&["topic1"], &tps(&[("topic1", 0)]), 2, 3));
            let a = h.assign();
            let all: Vec<&TopicPartition> = a.values().flatten().collect();
            let distinct: OrdSet<&TopicPartition> = all.iter().copied().collect();
            assert_eq!(all.len(), distinct.len());
            for list in a.values() {
                assert!((1..=2).contains(&list.len()), "{flavor:?} {seq:?} {a:?}");
            }
        }
    }
}

/// `testLargeAssignmentWithMultipleConsumersLeavingAndRandomSubscription`,
/// seeded and scaled from 200 members to 60.
#[test]
fn test_large_assignment_with_multiple_consumers_leaving_and_random_subscription() {
    for flavor in FLAVORS {
        for has in [false, true] {
            let mut rng = TestRng::new(11 + u64::from(has));
            let mut h = H::with_consumer_rack(flavor, has);
            let (topic_count, consumer_count) = (40, 60);
            for i in 0..topic_count {
                let n = i32::try_from(rng.below(10) + 1).unwrap();
                h.partitions(&name("t", i, topic_count), n);
            }
            for i in 0..consumer_count {
                let n = rng.below(20);
                let topics: Vec<String> = (0..n)
                    .map(|_| name("t", rng.below(topic_count), topic_count))
                    .collect();
                let refs: Vec<&str> = topics.iter().map(String::as_str).collect();
                h.put(
                    &name("c", i, consumer_count),
                    h.subscription(&refs, i64::try_from(i).unwrap()),
                );
            }
            let mut a = h.assign();
            h.verify(&mut a);

            for i in 1..consumer_count {
                let c = name("c", i, consumer_count);
                let s = h.v2_owned(
                    h.subs[&c].topics.clone(),
                    a[&c].clone(),
                    GENERATION_ID,
                    i64::try_from(i).unwrap(),
                );
                h.put(&c, s);
            }
            for _ in 0..15 {
                h.subs
                    .remove(&name("c", rng.below(consumer_count), consumer_count));
            }
            let mut a = h.assign();
            h.verify(&mut a);
            assert!(h.is_sticky());
        }
    }
}

#[test]
fn test_new_subscription() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        for i in 1..5 {
            h.partitions(&name("t", i, 5), 1);
        }
        for i in 0..3 {
            // Java: for (j = i; j <= 3 * i - 2; j++), which is empty for i = 0.
            let topics: Vec<String> = if i == 0 {
                Vec::new()
            } else {
                (i..=3 * i - 2).map(|j| name("t", j, 5)).collect()
            };
            let refs: Vec<&str> = topics.iter().map(String::as_str).collect();
            h.put(
                &name("c", i, 3),
                h.subscription(&refs, i64::try_from(i).unwrap()),
            );
        }
        let mut a = h.assign();
        h.verify(&mut a);

        let c0 = name("c", 0, 3);
        let mut s = h.subs[&c0].clone();
        s.topics.push(name("t", 1, 5));
        h.put(&c0, s);
        let mut a = h.assign();
        h.verify(&mut a);
        assert!(h.is_sticky());
    });
}

#[test]
fn test_move_existing_assignments() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        for i in 1..=6 {
            h.partitions(&format!("topic{i}"), 1);
        }
        h.put(
            "consumer1",
            h.v2(
                &["topic1", "topic2"],
                &tps(&[("topic1", 0)]),
                GENERATION_ID,
                0,
            ),
        );
        h.put(
            "consumer2",
            h.v2(
                &["topic1", "topic2", "topic3", "topic4"],
                &tps(&[("topic2", 0), ("topic3", 0)]),
                GENERATION_ID,
                1,
            ),
        );
        h.put(
            "consumer3",
            h.v2(
                &["topic2", "topic3", "topic4", "topic5", "topic6"],
                &tps(&[("topic4", 0), ("topic5", 0), ("topic6", 0)]),
                GENERATION_ID,
                2,
            ),
        );
        let mut a = h.assign();
        assert_eq!(h.transferring, None);
        h.verify(&mut a);
    });
}

#[test]
fn test_stickiness() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic1", 3);
        for (i, c) in ["consumer1", "consumer2", "consumer3", "consumer4"]
            .into_iter()
            .enumerate()
        {
            h.put(c, h.subscription(&["topic1"], i64::try_from(i).unwrap()));
        }
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        let mut first: OrdMap<String, TopicPartition> = OrdMap::new();
        for (c, list) in &a {
            assert!(list.len() <= 1, "{c} has more than expected");
            if let Some(p) = list.first() {
                first.insert(c.clone(), p.clone());
            }
        }

        // The potential group leader leaves.
        h.subs.remove("consumer1");
        for (i, c) in ["consumer2", "consumer3", "consumer4"]
            .into_iter()
            .enumerate()
        {
            h.put(
                c,
                h.v2(
                    &["topic1"],
                    &a[c],
                    GENERATION_ID,
                    i64::try_from(i + 1).unwrap(),
                ),
            );
        }
        let mut a = h.assign();
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        for (c, list) in &a {
            assert_eq!(list.len(), 1, "{c}");
            assert!(
                first.get(c).is_none_or(|p| list.contains(p)),
                "stickiness not honoured for {c}"
            );
        }
    });
}

#[test]
fn test_assignment_updated_for_deleted_topic() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic1", 1);
        h.partitions("topic3", 100);
        h.put(
            "consumer",
            h.subscription(&["topic1", "topic2", "topic3"], 0),
        );
        let a = h.assign();
        assert!(h.transferring_is_empty());
        assert_eq!(a.values().map(Vec::len).sum::<usize>(), 1 + 100);
        assert_eq!(a.keys().collect::<Vec<_>>(), ["consumer"]);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_no_exception_thrown_when_only_subscribed_topic_deleted() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 3);
        h.put("consumer", h.subscription(&["topic"], 0));
        let a = h.assign();
        assert!(h.transferring_is_empty());
        h.put(
            "consumer",
            h.v2(&["topic"], &a["consumer"], GENERATION_ID, 0),
        );
        let a = h.assign_on(&PartitionsPerTopic::new());
        assert!(h.transferring_is_empty());
        assert_eq!(a.len(), 1);
        assert!(a["consumer"].is_empty());
    });
}

/// `testReassignmentWithRandomSubscriptionsAndChanges`, seeded and with 10
/// rounds instead of 100.
#[test]
fn test_reassignment_with_random_subscriptions_and_changes() {
    each_flavor_and_rack(|flavor, rc| {
        let mut rng = TestRng::new(5 + rc as u64);
        for _ in 0..10 {
            let mut h = H::with_racks(flavor, rc);
            let num_topics = 10 + rng.below(10);
            let topics: Vec<String> = (0..num_topics).map(|i| name("t", i, 20)).collect();
            for (i, t) in topics.iter().enumerate() {
                h.partitions(t, i32::try_from(i + 1).unwrap());
            }
            let num_consumers = 20 + rng.below(20);
            let random_sublist = |rng: &mut TestRng| -> Vec<String> {
                let mut selected = topics.clone();
                let remove = rng.below(selected.len());
                for _ in 0..remove {
                    let i = rng.below(selected.len());
                    selected.remove(i);
                }
                selected.sort();
                selected
            };
            for i in 0..num_consumers {
                let sub = random_sublist(&mut rng);
                let refs: Vec<&str> = sub.iter().map(String::as_str).collect();
                h.put(
                    &name("c", i, 40),
                    h.subscription(&refs, i64::try_from(i).unwrap()),
                );
            }
            let mut a = h.assign();
            h.verify(&mut a);

            h.subs.clear();
            for i in 0..num_consumers {
                let c = name("c", i, 40);
                let sub = random_sublist(&mut rng);
                let s = h.v2_owned(sub, a[&c].clone(), GENERATION_ID, i64::try_from(i).unwrap());
                h.put(&c, s);
            }
            let mut a = h.assign();
            h.verify(&mut a);
            assert!(h.is_sticky());
        }
    });
}

#[test]
fn test_all_consumers_reach_expected_quota_and_are_considered_filled() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 4);
        h.put(
            "consumer1",
            h.v2(
                &["topic"],
                &tps(&[("topic", 0), ("topic", 1)]),
                GENERATION_ID,
                0,
            ),
        );
        h.put(
            "consumer2",
            h.v2(&["topic"], &tps(&[("topic", 2)]), GENERATION_ID, 1),
        );
        h.put("consumer3", h.v2(&["topic"], &[], GENERATION_ID, 2));
        let mut a = h.assign();
        assert_eq!(a["consumer1"], tps(&[("topic", 0), ("topic", 1)]));
        assert_eq!(a["consumer2"], tps(&[("topic", 2)]));
        assert_eq!(a["consumer3"], tps(&[("topic", 3)]));
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_owned_partitions_are_invalidated_for_consumer_with_stale_generation() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 3);
        h.partitions("topic2", 3);
        let both = ["topic", "topic2"];
        let owned = tps(&[("topic", 0), ("topic", 2), ("topic2", 1)]);
        h.put("consumer1", h.v2(&both, &owned, 10, 0));
        h.put("consumer2", h.v2(&both, &owned, 9, 1));
        let mut a = h.assign();
        assert_eq!(set(&a["consumer1"]), set(&owned));
        assert_eq!(
            set(&a["consumer2"]),
            set(&tps(&[("topic", 1), ("topic2", 0), ("topic2", 2)]))
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_owned_partitions_are_invalidated_for_consumer_with_no_generation() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 3);
        h.partitions("topic2", 3);
        let both = ["topic", "topic2"];
        let owned = tps(&[("topic", 0), ("topic", 2), ("topic2", 1)]);
        h.put("consumer1", h.v2(&both, &owned, 10, 0));
        h.put("consumer2", h.v2(&both, &owned, DEFAULT_GENERATION, 1));
        let mut a = h.assign();
        assert_eq!(set(&a["consumer1"]), set(&owned));
        assert_eq!(
            set(&a["consumer2"]),
            set(&tps(&[("topic", 1), ("topic2", 0), ("topic2", 2)]))
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_partitions_transferring_ownership_include_the_partition_claimed_by_multiple_consumers_in_same_generation(
) {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 3);
        h.put(
            "consumer1",
            h.v2(
                &["topic"],
                &tps(&[("topic", 0), ("topic", 1)]),
                GENERATION_ID,
                0,
            ),
        );
        h.put(
            "consumer2",
            h.v2(
                &["topic"],
                &tps(&[("topic", 0), ("topic", 2)]),
                GENERATION_ID,
                1,
            ),
        );
        h.put("consumer3", h.v2(&["topic"], &[], GENERATION_ID, 2));
        let mut a = h.assign();
        assert!(
            h.transferring_eq(&[(("topic", 0), "consumer3")]),
            "{flavor:?} {rc:?} {:?}",
            h.transferring
        );
        h.verify(&mut a);
        assert_eq!(a["consumer1"], tps(&[("topic", 1)]));
        assert_eq!(a["consumer2"], tps(&[("topic", 2)]));
        assert_eq!(a["consumer3"], tps(&[("topic", 0)]));
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_ensure_partitions_assigned_to_highest_generation() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 3);
        h.partitions("topic2", 3);
        h.partitions("topic3", 3);
        let all = ["topic", "topic2", "topic3"];
        h.put(
            "consumer1",
            h.v2(
                &all,
                &tps(&[("topic", 0), ("topic2", 0), ("topic3", 0)]),
                10,
                0,
            ),
        );
        h.put(
            "consumer2",
            h.v2(
                &all,
                &tps(&[("topic", 1), ("topic2", 1), ("topic3", 1)]),
                9,
                1,
            ),
        );
        h.put(
            "consumer3",
            h.v2(
                &all,
                &tps(&[("topic2", 1), ("topic3", 0), ("topic3", 2)]),
                8,
                1,
            ),
        );
        let mut a = h.assign();
        assert_eq!(
            set(&a["consumer1"]),
            set(&tps(&[("topic", 0), ("topic2", 0), ("topic3", 0)]))
        );
        assert_eq!(
            set(&a["consumer2"]),
            set(&tps(&[("topic", 1), ("topic2", 1), ("topic3", 1)]))
        );
        assert_eq!(
            set(&a["consumer3"]),
            set(&tps(&[("topic", 2), ("topic2", 2), ("topic3", 2)]))
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_no_reassignment_on_current_members() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        for t in ["topic", "topic1", "topic2", "topic3"] {
            h.partitions(t, 3);
        }
        let all = ["topic", "topic2", "topic3", "topic1"];
        h.put("consumer1", h.v2(&all, &[], DEFAULT_GENERATION, 0));
        h.put(
            "consumer2",
            h.v2(
                &all,
                &tps(&[("topic", 0), ("topic2", 0), ("topic1", 0)]),
                9,
                1,
            ),
        );
        h.put(
            "consumer3",
            h.v2(
                &all,
                &tps(&[("topic3", 2), ("topic2", 2), ("topic1", 1)]),
                8,
                2,
            ),
        );
        h.put(
            "consumer4",
            h.v2(
                &all,
                &tps(&[("topic3", 1), ("topic", 1), ("topic", 2)]),
                7,
                3,
            ),
        );
        let mut a = h.assign();
        assert_eq!(
            set(&a["consumer1"]),
            set(&tps(&[("topic1", 2), ("topic2", 1), ("topic3", 0)]))
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_owned_partitions_are_invalidated_for_consumer_with_multiple_generation() {
    each_flavor_and_rack(|flavor, rc| {
        let mut h = H::with_racks(flavor, rc);
        h.partitions("topic", 3);
        h.partitions("topic2", 3);
        let both = ["topic", "topic2"];
        h.put(
            "consumer1",
            h.v2(
                &both,
                &tps(&[("topic", 0), ("topic2", 1), ("topic", 1)]),
                10,
                0,
            ),
        );
        h.put(
            "consumer2",
            h.v2(
                &both,
                &tps(&[("topic", 0), ("topic2", 1), ("topic2", 2)]),
                8,
                1,
            ),
        );
        let mut a = h.assign();
        assert_eq!(
            set(&a["consumer1"]),
            set(&tps(&[("topic", 0), ("topic2", 1), ("topic", 1)]))
        );
        assert_eq!(
            set(&a["consumer2"]),
            set(&tps(&[("topic", 2), ("topic2", 2), ("topic2", 0)]))
        );
        assert!(h.transferring_is_empty());
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

/// `verifyRackAssignment` with the flavor's assignor. Java's eager
/// `StickyAssignor` reads ownership from user data only, and these Java
/// cases pass owned partitions without user data, so it sees none: the
/// owned partitions are dropped for it here to give it the same input.
#[allow(clippy::too_many_arguments)]
fn verify_rack(
    flavor: Flavor,
    prefer: bool,
    topics: &[(&str, i32)],
    rf: usize,
    brokers: &[Option<String>],
    consumers: &[Option<&str>],
    consumer_topics: &[Vec<&str>],
    owned: Option<&[&str]>,
    expected: &[&str],
    mismatches: i32,
) {
    let owned = if flavor == Flavor::Sticky {
        None
    } else {
        owned
    };
    match flavor {
        Flavor::Sticky => {
            let assignor = StickyAssignor::preferring_rack_aware_logic(prefer);
            let f =
                |p: &PartitionsPerTopic, s: &OrdMap<String, Subscription>| assignor.assign(p, s);
            verify_rack_assignment(
                &f,
                topics,
                rf,
                brokers,
                consumers,
                consumer_topics,
                owned,
                expected,
                mismatches,
            );
        }
        Flavor::Cooperative => {
            let assignor = CooperativeStickyAssignor::preferring_rack_aware_logic(prefer);
            let f =
                |p: &PartitionsPerTopic, s: &OrdMap<String, Subscription>| assignor.assign(p, s);
            verify_rack_assignment(
                &f,
                topics,
                rf,
                brokers,
                consumers,
                consumer_topics,
                owned,
                expected,
                mismatches,
            );
        }
    }
}

/// `verifyUniformSubscription` / `verifyNonEqualSubscription`: once from
/// scratch, once with the expected assignment already owned.
#[allow(clippy::too_many_arguments)]
fn verify_twice(
    flavor: Flavor,
    prefer: bool,
    topics: &[(&str, i32)],
    rf: usize,
    brokers: &[Option<String>],
    consumers: &[Option<&str>],
    consumer_topics: &[Vec<&str>],
    expected: &[&str],
    mismatches: i32,
) {
    verify_rack(
        flavor,
        prefer,
        topics,
        rf,
        brokers,
        consumers,
        consumer_topics,
        None,
        expected,
        mismatches,
    );
    verify_rack(
        flavor,
        prefer,
        topics,
        rf,
        brokers,
        consumers,
        consumer_topics,
        Some(expected),
        expected,
        mismatches,
    );
}

const ABC: [Option<&str>; 3] = [Some("a"), Some("b"), Some("c")];

#[test]
fn test_rack_aware_assignment_with_uniform_subscription() {
    let topics = [("t1", 6), ("t2", 7), ("t3", 2)];
    let all = vec!["t1", "t2", "t3"];
    let ct = vec![all.clone(), all.clone(), all];
    let plain = [
        "t1-0, t1-3, t2-0, t2-3, t2-6",
        "t1-1, t1-4, t2-1, t2-4, t3-0",
        "t1-2, t1-5, t2-2, t2-5, t3-1",
    ];
    for flavor in FLAVORS {
        verify_twice(
            flavor,
            false,
            &topics,
            3,
            &null_racks(3),
            &ABC,
            &ct,
            &plain,
            -1,
        );
        verify_twice(
            flavor,
            false,
            &topics,
            3,
            &racks(3),
            &[None, None, None],
            &ct,
            &plain,
            -1,
        );
        verify_twice(flavor, true, &topics, 3, &racks(3), &ABC, &ct, &plain, 0);
        verify_twice(flavor, true, &topics, 4, &racks(4), &ABC, &ct, &plain, 0);
        verify_twice(flavor, false, &topics, 3, &racks(3), &ABC, &ct, &plain, 0);
        verify_twice(
            flavor,
            false,
            &topics,
            3,
            &racks(3),
            &[Some("d"), Some("e"), Some("f")],
            &ct,
            &plain,
            -1,
        );
        verify_twice(
            flavor,
            false,
            &topics,
            3,
            &racks(3),
            &[None, Some("e"), Some("f")],
            &ct,
            &plain,
            -1,
        );

        // Rack-aligned with a lower replication factor.
        verify_twice(flavor, false, &topics, 1, &racks(3), &ABC, &ct, &plain, 0);
        verify_twice(flavor, false, &topics, 2, &racks(3), &ABC, &ct, &plain, 0);
        // One consumer on a rack with no partitions: balance wins.
        verify_twice(flavor, false, &topics, 3, &racks(2), &ABC, &ct, &plain, 5);

        // Misaligned owned partitions are realigned...
        let owned = [
            "t1-0, t1-1, t1-2, t1-3, t1-4",
            "t1-5, t2-0, t2-1, t2-2, t2-3",
            "t2-4, t2-5, t2-6, t3-0, t3-1",
        ];
        match flavor {
            Flavor::Sticky => verify_rack(
                flavor,
                false,
                &topics,
                1,
                &racks(3),
                &ABC,
                &ct,
                Some(&owned),
                &plain,
                0,
            ),
            Flavor::Cooperative => {
                // The Java test in the index predates the fix that records
                // rack-misaligned owned partitions as transferring (which
                // `testUniformSubscriptionTransferOwnershipListIsRight`
                // checks): with it, the cooperative assignor first keeps
                // only the aligned ones and assigns the rest next time, as
                // it already did for non-equal subscriptions.
                let intermediate = ["t1-0, t1-3", "t2-1", "t2-5, t3-1"];
                verify_rack(
                    flavor,
                    false,
                    &topics,
                    1,
                    &racks(3),
                    &ABC,
                    &ct,
                    Some(&owned),
                    &intermediate,
                    0,
                );
                verify_rack(
                    flavor,
                    false,
                    &topics,
                    1,
                    &racks(3),
                    &ABC,
                    &ct,
                    Some(&intermediate),
                    &plain,
                    0,
                );
            }
        }
        // ...and aligned ones kept.
        verify_rack(
            flavor,
            true,
            &topics,
            3,
            &racks(3),
            &ABC,
            &ct,
            Some(&plain),
            &plain,
            0,
        );
    }
}

#[test]
fn test_rack_aware_assignment_with_non_equal_subscription() {
    let topics = [("t1", 6), ("t2", 7), ("t3", 2)];
    let all = vec!["t1", "t2", "t3"];
    let ct = vec![all.clone(), all, vec!["t1", "t3"]];
    let plain = [
        "t1-5, t2-0, t2-2, t2-4, t2-6",
        "t1-3, t2-1, t2-3, t2-5, t3-0",
        "t1-0, t1-1, t1-2, t1-4, t3-1",
    ];
    for flavor in FLAVORS {
        verify_twice(
            flavor,
            false,
            &topics,
            3,
            &null_racks(3),
            &ABC,
            &ct,
            &plain,
            -1,
        );
        verify_twice(
            flavor,
            false,
            &topics,
            3,
            &racks(3),
            &[None, None, None],
            &ct,
            &plain,
            -1,
        );
        verify_twice(flavor, true, &topics, 3, &racks(3), &ABC, &ct, &plain, 0);
        verify_twice(flavor, true, &topics, 4, &racks(4), &ABC, &ct, &plain, 0);
        verify_twice(flavor, false, &topics, 3, &racks(3), &ABC, &ct, &plain, 0);
        verify_twice(
            flavor,
            false,
            &topics,
            3,
            &racks(3),
            &[Some("d"), Some("e"), Some("f")],
            &ct,
            &plain,
            -1,
        );
        verify_twice(
            flavor,
            false,
            &topics,
            3,
            &racks(3),
            &[None, Some("e"), Some("f")],
            &ct,
            &plain,
            -1,
        );

        // Best-effort alignment with a lower replication factor.
        let rf1 = [
            "t1-3, t2-0, t2-2, t2-3, t2-6",
            "t1-4, t2-1, t2-4, t2-5, t3-0",
            "t1-0, t1-1, t1-2, t1-5, t3-1",
        ];
        verify_twice(flavor, false, &topics, 1, &racks(3), &ABC, &ct, &rf1, 4);
        let rf2 = [
            "t1-3, t2-0, t2-2, t2-5, t2-6",
            "t1-0, t2-1, t2-3, t2-4, t3-0",
            "t1-1, t1-2, t1-4, t1-5, t3-1",
        ];
        verify_twice(flavor, false, &topics, 2, &racks(3), &ABC, &ct, &rf2, 0);
        // One consumer on a rack with no partitions: balance wins.
        verify_twice(flavor, false, &topics, 3, &racks(2), &ABC, &ct, &plain, 5);

        let owned = [
            "t1-0, t1-1, t1-2, t1-3, t1-4",
            "t1-5, t2-0, t2-1, t2-2, t2-3",
            "t2-4, t2-5, t2-6, t3-0, t3-1",
        ];
        match flavor {
            Flavor::Sticky => {
                verify_rack(
                    flavor,
                    false,
                    &topics,
                    1,
                    &racks(3),
                    &ABC,
                    &ct,
                    Some(&owned),
                    &rf1,
                    4,
                );
                verify_rack(
                    flavor,
                    false,
                    &topics,
                    3,
                    &racks(3),
                    &ABC,
                    &ct,
                    Some(&owned),
                    &plain,
                    0,
                );
                verify_rack(
                    flavor,
                    true,
                    &topics,
                    3,
                    &racks(3),
                    &ABC,
                    &ct,
                    Some(&owned),
                    &plain,
                    0,
                );
            }
            Flavor::Cooperative => {
                // Misaligned partitions are revoked first, then reassigned.
                let intermediate = ["t1-3", "t2-1", "t3-1"];
                verify_rack(
                    flavor,
                    false,
                    &topics,
                    1,
                    &racks(3),
                    &ABC,
                    &ct,
                    Some(&owned),
                    &intermediate,
                    0,
                );
                verify_rack(
                    flavor,
                    false,
                    &topics,
                    1,
                    &racks(3),
                    &ABC,
                    &ct,
                    Some(&intermediate),
                    &rf1,
                    4,
                );

                let target = [
                    "t1-2, t1-3, t1-4, t2-4, t2-5",
                    "t2-0, t2-1, t2-2, t2-3, t2-6",
                    "t1-0, t1-1, t1-5, t3-0, t3-1",
                ];
                let intermediate = ["t1-2, t1-3, t1-4", "t2-0, t2-1, t2-2, t2-3", "t3-0, t3-1"];
                for prefer in [false, true] {
                    verify_rack(
                        flavor,
                        prefer,
                        &topics,
                        3,
                        &racks(3),
                        &ABC,
                        &ct,
                        Some(&owned),
                        &intermediate,
                        0,
                    );
                    verify_rack(
                        flavor,
                        prefer,
                        &topics,
                        3,
                        &racks(3),
                        &ABC,
                        &ct,
                        Some(&intermediate),
                        &target,
                        0,
                    );
                }
            }
        }
    }
}

// StickyAssignorTest

fn rack_and_subscription_combinations(test: impl Fn(RackConfig, bool)) {
    for equal in [true, false] {
        for rc in RackConfig::ALL {
            test(rc, equal);
        }
    }
}

#[test]
fn test_all_consumers_have_owned_partition_invalidated_when_claimed_by_multiple_consumers_in_same_generation(
) {
    // WithEqualPartitionsPerConsumer (3 partitions) and
    // WithUnequalPartitionsPerConsumer (4), in both assignors.
    each_flavor_and_rack(|flavor, rc| {
        for partitions in [3, 4] {
            let mut h = H::with_racks(flavor, rc);
            h.partitions("topic", partitions);
            h.put(
                "consumer1",
                h.v2(
                    &["topic"],
                    &tps(&[("topic", 0), ("topic", 1)]),
                    GENERATION_ID,
                    0,
                ),
            );
            h.put(
                "consumer2",
                h.v2(
                    &["topic"],
                    &tps(&[("topic", 0), ("topic", 2)]),
                    GENERATION_ID,
                    1,
                ),
            );
            h.put("consumer3", h.v2(&["topic"], &[], GENERATION_ID, 2));
            let mut a = h.assign();
            let first = if partitions == 3 {
                tps(&[("topic", 1)])
            } else {
                tps(&[("topic", 1), ("topic", 3)])
            };
            assert_eq!(a["consumer1"], first, "{flavor:?} {rc:?}");
            assert_eq!(a["consumer2"], tps(&[("topic", 2)]));
            match flavor {
                Flavor::Sticky => assert_eq!(a["consumer3"], tps(&[("topic", 0)])),
                // topic-0 counts as owned until both claimants revoke it.
                Flavor::Cooperative => assert!(a["consumer3"].is_empty()),
            }
            h.verify(&mut a);
            assert!(is_fully_balanced(&a));
        }
    });
}

#[test]
fn test_assignment_with_multiple_generations_1() {
    // StickyAssignorTest only: the cooperative assignor moves partitions in two steps.
    let flavor = Flavor::Sticky;
    rack_and_subscription_combinations(|rc, equal| {
        let mut h = H::with_racks(flavor, rc);
        let all = ["topic", "topic2"];
        let c2_topics: &[&str] = if equal { &all } else { &["topic"] };
        h.partitions("topic", 6);
        h.partitions("topic2", 6);
        h.put("consumer1", h.subscription(&all, 0));
        h.put("consumer2", h.subscription(c2_topics, 1));
        h.put("consumer3", h.subscription(&all, 2));
        let mut a = h.assign();
        let (r1p1, r1p2, r1p3) = (
            a["consumer1"].clone(),
            a["consumer2"].clone(),
            a["consumer3"].clone(),
        );
        assert!(r1p1.len() == 4 && r1p2.len() == 4 && r1p3.len() == 4);
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));

        h.put("consumer1", h.v2(&all, &r1p1, GENERATION_ID, 0));
        h.put("consumer2", h.v2(c2_topics, &r1p2, GENERATION_ID, 1));
        h.subs.remove("consumer3");
        let mut a = h.assign();
        let (r2p1, r2p2) = (a["consumer1"].clone(), a["consumer2"].clone());
        assert!(r2p1.len() == 6 && r2p2.len() == 6);
        if equal {
            assert!(contains_all(&r2p1, &r1p1));
        }
        assert!(contains_all(&r2p2, &r1p2));
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
        assert!(r2p2.iter().any(|p| r1p3.contains(p)));

        h.subs.remove("consumer1");
        h.put("consumer2", h.v2(c2_topics, &r2p2, 2, 1));
        h.put("consumer3", h.v2(&all, &r1p3, 1, 2));
        let mut a = h.assign();
        let (r3p2, r3p3) = (a["consumer2"].clone(), a["consumer3"].clone());
        assert!(r3p2.len() == 6 && r3p3.len() == 6);
        assert!(!r3p2.iter().any(|p| r3p3.contains(p)));
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_assignment_with_multiple_generations_2() {
    // StickyAssignorTest only: the cooperative assignor moves partitions in two steps.
    let flavor = Flavor::Sticky;
    rack_and_subscription_combinations(|rc, equal| {
        let mut h = H::with_racks(flavor, rc);
        let all = ["topic", "topic2", "topic3"];
        let c1_topics: &[&str] = if equal { &all } else { &["topic"] };
        let c3_topics: &[&str] = if equal { &all } else { &["topic", "topic2"] };
        for t in all {
            h.partitions(t, 4);
        }
        h.put("consumer1", h.subscription(c1_topics, 0));
        h.put("consumer2", h.subscription(&all, 1));
        h.put("consumer3", h.subscription(c3_topics, 2));
        let mut a = h.assign();
        let (r1p1, r1p2, r1p3) = (
            a["consumer1"].clone(),
            a["consumer2"].clone(),
            a["consumer3"].clone(),
        );
        assert!(r1p1.len() == 4 && r1p2.len() == 4 && r1p3.len() == 4);
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));

        h.subs.remove("consumer1");
        h.put("consumer2", h.v2(&all, &r1p2, 1, 1));
        h.subs.remove("consumer3");
        let mut a = h.assign();
        let r2p2 = a["consumer2"].clone();
        assert_eq!(r2p2.len(), 12);
        assert!(contains_all(&r2p2, &r1p2));
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));

        h.put("consumer1", h.v2(c1_topics, &r1p1, 1, 0));
        h.put("consumer2", h.v2(&all, &r2p2, 2, 1));
        h.put("consumer3", h.v2(c3_topics, &r1p3, 1, 2));
        let mut a = h.assign();
        assert!(
            a.values().all(|l| l.len() == 4),
            "{flavor:?} {rc:?} {equal} {a:?}"
        );
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_assignment_with_conflicting_previous_generations() {
    // StickyAssignorTest only: the cooperative assignor moves partitions in two steps.
    let flavor = Flavor::Sticky;
    rack_and_subscription_combinations(|rc, equal| {
        let mut h = H::with_racks(flavor, rc);
        for t in ["topic", "topic2", "topic3"] {
            h.partitions(t, 4);
        }
        let all = ["topic", "topic2", "topic3"];
        let c1_topics: &[&str] = if equal { &all } else { &["topic"] };
        let c2_topics: &[&str] = if equal { &all } else { &["topic", "topic2"] };
        let c1p0 = if equal {
            tps(&[
                ("topic", 0),
                ("topic", 1),
                ("topic", 2),
                ("topic2", 2),
                ("topic2", 3),
                ("topic3", 0),
            ])
        } else {
            tps(&[("topic", 0), ("topic", 1), ("topic", 2), ("topic", 3)])
        };
        let c2p0 = tps(&[
            ("topic", 0),
            ("topic", 1),
            ("topic2", 0),
            ("topic2", 1),
            ("topic2", 2),
            ("topic2", 3),
        ]);
        let c3p0 = tps(&[
            ("topic", 2),
            ("topic", 3),
            ("topic3", 0),
            ("topic3", 1),
            ("topic3", 2),
            ("topic3", 3),
        ]);
        h.put("consumer1", h.v2(c1_topics, &c1p0, 1, 0));
        h.put("consumer2", h.v2(c2_topics, &c2p0, 2, 1));
        h.put("consumer3", h.v2(&all, &c3p0, 2, 2));
        let mut a = h.assign();
        let (c1, c2, c3) = (
            a["consumer1"].clone(),
            a["consumer2"].clone(),
            a["consumer3"].clone(),
        );
        assert!(
            c1.len() == 4 && c2.len() == 4 && c3.len() == 4,
            "{flavor:?} {rc:?} {equal} {a:?}"
        );
        assert!(contains_all(&c2p0, &c2));
        assert!(contains_all(&c3p0, &c3));
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    });
}

#[test]
fn test_schema_backward_compatibility() {
    for rc in RackConfig::ALL {
        let mut h = H::with_racks(Flavor::Sticky, rc);
        h.partitions("topic", 3);
        h.put("consumer1", h.subscription(&["topic"], 0));
        h.put("consumer2", h.subscription(&["topic"], 1));
        h.put("consumer3", h.subscription(&["topic"], 2));
        let c1p0 = tps(&[("topic", 0), ("topic", 2)]);
        let c2p0 = tps(&[("topic", 1)]);
        h.put("consumer1", h.v2(&["topic"], &c1p0, 1, 0));
        // User data in the V0 schema: no generation.
        let mut v0 = vec![0, 0, 0, 1, 0, 5];
        v0.extend_from_slice(b"topic");
        v0.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1]);
        let old = Subscription {
            user_data: Some(v0),
            rack_id: h.rack_id(1),
            ..Subscription::new(["topic"])
        };
        h.put("consumer2", old);
        let mut a = h.assign();
        let (c1, c2, c3) = (
            a["consumer1"].clone(),
            a["consumer2"].clone(),
            a["consumer3"].clone(),
        );
        assert!(c1.len() == 1 && c2.len() == 1 && c3.len() == 1);
        assert!(contains_all(&c1p0, &c1));
        assert!(contains_all(&c2p0, &c2));
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    }
}

#[test]
fn test_member_data_with_inconsistent_data() {
    // Sticky: the user data (from onAssignment) wins over ownedPartitions.
    let in_user_data = tps(&[("topic", 1)]);
    let in_subscription = tps(&[("topic", 0)]);
    let state = MemberState {
        assigned: in_user_data.clone(),
        generation: GENERATION_ID,
    };
    let data = StickyAssignor::new()
        .subscription_user_data(Some(&state))
        .unwrap()
        .unwrap();
    let s = Subscription {
        user_data: Some(data),
        owned_partitions: in_subscription.clone(),
        ..Subscription::new(["topic"])
    };
    let md = StickyAssignor::member_data(&s);
    assert_eq!(md.partitions, in_user_data);
    assert_eq!(md.generation, Some(GENERATION_ID));

    // Cooperative: owned partitions from the subscription, generation from
    // user data when the subscription has none.
    let data = CooperativeStickyAssignor::new()
        .subscription_user_data(Some(&state))
        .unwrap()
        .unwrap();
    let s = Subscription {
        user_data: Some(data),
        owned_partitions: in_subscription.clone(),
        ..Subscription::new(["topic"])
    };
    let md = CooperativeStickyAssignor::member_data(&s);
    assert_eq!(md.partitions, in_subscription);
    assert_eq!(md.generation, Some(GENERATION_ID));
}

#[test]
fn test_member_data_will_honor_user_data() {
    let owned = tps(&[("topic1", 0), ("topic2", 1)]);
    let s = Subscription {
        user_data: Some(encode_sticky_user_data(&owned, GENERATION_ID - 1).unwrap()),
        generation_id: Some(GENERATION_ID),
        ..Subscription::new(["topic"])
    };
    let md = StickyAssignor::member_data(&s);
    assert_eq!(md.partitions, owned);
    assert_eq!(md.generation, Some(GENERATION_ID - 1));
}

#[test]
fn test_assignor_with_old_version_subscriptions() {
    for flavor in FLAVORS {
        let mut h = H::new(flavor);
        h.partitions("topic1", 3);
        let t = ["topic1"];
        match flavor {
            Flavor::Sticky => {
                let s = h.v0(&t, &tps(&[("topic1", 0)]), GENERATION_ID, 0).unwrap();
                h.put("consumer1", s);
                let s = h.v1(&t, &tps(&[("topic1", 1)]), GENERATION_ID);
                h.put("consumer2", s);
            }
            Flavor::Cooperative => {
                let s = h.v1(&t, &tps(&[("topic1", 0)]), GENERATION_ID);
                h.put("consumer1", s);
                let s = h.v1(&t, &tps(&[("topic1", 1)]), GENERATION_ID);
                h.put("consumer2", s);
            }
        }
        h.put("consumer3", h.v2(&t, &[], GENERATION_ID, 2));
        let mut a = h.assign();
        assert_eq!(a["consumer1"], tps(&[("topic1", 0)]));
        assert_eq!(a["consumer2"], tps(&[("topic1", 1)]));
        assert_eq!(a["consumer3"], tps(&[("topic1", 2)]));
        h.verify(&mut a);
        assert!(is_fully_balanced(&a));
    }
}

// CooperativeStickyAssignorTest

#[test]
fn test_encode_and_decode_generation() {
    let a = CooperativeStickyAssignor::new();
    let data = a.subscription_user_data(None).unwrap().unwrap();
    let s = Subscription::new(["topic"]).with_user_data(data);
    assert_eq!(
        CooperativeStickyAssignor::member_data(&s).generation,
        Some(DEFAULT_GENERATION)
    );
    let state = MemberState {
        assigned: Vec::new(),
        generation: 10,
    };
    let data = a.subscription_user_data(Some(&state)).unwrap().unwrap();
    let s = Subscription::new(["topic"]).with_user_data(data);
    assert_eq!(
        CooperativeStickyAssignor::member_data(&s).generation,
        Some(10)
    );
}

#[test]
fn test_decode_generation() {
    assert_eq!(
        CooperativeStickyAssignor::member_data(&Subscription::new(["topic"])).generation,
        None
    );
}

#[test]
fn test_member_data_with_empty_partitions_and_equal_or_higher_generation() {
    // WithEmptyPartitionsAndEqualGeneration and ...HigherGeneration: the
    // subscription's (empty) owned partitions and generation win.
    let owned = tps(&[("topic1", 0), ("topic2", 1)]);
    for user_data_generation in [GENERATION_ID, GENERATION_ID - 1] {
        let mut h = H::new(Flavor::Cooperative);
        let _ = h.v1(&["topic"], &owned, user_data_generation);
        let s = h.v2(&["topic"], &[], GENERATION_ID, 0);
        let md = CooperativeStickyAssignor::member_data(&s);
        assert!(md.partitions.is_empty());
        assert_eq!(md.generation, Some(GENERATION_ID));
    }
}

#[test]
fn test_uniform_subscription_transfer_ownership_list_is_right() {
    let mut h = H::new(Flavor::Cooperative);
    h.replication_factor = 1;
    h.num_broker_racks = 2;
    h.has_consumer_rack = true;
    h.partitions("topic1", 4);
    h.put(
        "c0",
        h.v2(
            &["topic1"],
            &tps(&[("topic1", 0), ("topic1", 1)]),
            GENERATION_ID,
            0,
        ),
    );
    h.put(
        "c1",
        h.v2(
            &["topic1"],
            &tps(&[("topic1", 2), ("topic1", 3)]),
            GENERATION_ID,
            1,
        ),
    );
    let _ = h.assign();
    assert_eq!(h.transferring.as_ref().map(OrdMap::len), Some(2));
}

#[test]
fn java_test_helper_names() {
    assert_eq!(name("c", 5, 20), "c05");
    assert_eq!(name("t", 10, 10), "t10");
    assert_eq!(tp("t", 1).to_string(), "t-1");
}
