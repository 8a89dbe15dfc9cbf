//! Property tests of the invariants every assignor keeps, on generated
//! groups:
//!
//! - any input, however malformed, is assigned without panicking or error,
//!   every member gets a list, only partitions that exist of topics the
//!   member subscribes to, and no partition twice;
//! - the eager assignors (range, roundrobin, sticky) assign every partition
//!   of every subscribed topic;
//! - with identical subscriptions, roundrobin and sticky counts differ by at
//!   most one;
//! - after a member joins or leaves a group with identical subscriptions,
//!   each sticky member keeps at least `min(owned, floor(P / members))` of
//!   the partitions it owned;
//! - cooperative-sticky, fed its own result back as the owned partitions
//!   each round, never gives a member a partition another member still
//!   owns, and (without member racks) after the first rebalance and at
//!   most 4 follow-ups reaches an assignment the next rebalance leaves
//!   unchanged: complete and balanced (counts within one for identical
//!   subscriptions, Java's `verifyValidityAndBalance` otherwise).
//!
//! With member racks the cooperative assignor need not settle: a member on
//! a rack holding no replica of what balance makes it take has those
//! partitions dropped from its owned ones at every rebalance (as Java's
//! `GeneralAssignmentBuilder.assignOwnedPartitions` does), so they can keep
//! moving. There only validity and single ownership are checked.

use crate::collections::{OrdMap, OrdSet};

use proptest::prelude::*;

use super::test_support::verify_validity_and_balance;
use super::{
    encode_sticky_user_data, Assignment, AssignorKind, CooperativeStickyAssignor,
    PartitionAssignor, PartitionsPerTopic, Subscription, TopicPartition,
};

const TOPICS: [&str; 4] = ["t0", "t1", "t2", "t3"];
const RACKS: [&str; 3] = ["a", "b", "c"];

/// Topics t0..t3 with 1..=8 partitions each, replicas optionally on racks.
fn cluster() -> impl Strategy<Value = PartitionsPerTopic> {
    (
        prop::collection::vec(1i32..=8, 4),
        any::<bool>(),
        prop::collection::vec(0usize..8, 32),
    )
        .prop_map(|(counts, with_racks, rack_masks)| {
            let mut ppt = PartitionsPerTopic::new();
            let mut masks = rack_masks.into_iter().cycle();
            for (topic, count) in TOPICS.iter().zip(counts) {
                ppt.insert_topic(*topic, count);
                if with_racks {
                    for p in 0..count {
                        let mask = masks.next().unwrap_or(0);
                        let racks = RACKS
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| mask & (1 << i) != 0)
                            .map(|(_, r)| Some(*r));
                        ppt.set_replica_racks(TopicPartition::new(*topic, p), racks);
                    }
                }
            }
            ppt
        })
}

fn topic_subset() -> impl Strategy<Value = Vec<String>> {
    prop::collection::btree_set(prop::sample::select(TOPICS.to_vec()), 1..=4)
        .prop_map(|set| set.into_iter().map(str::to_owned).collect())
}

fn member_id(i: usize) -> String {
    format!("member-{i}")
}

fn rack() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(RACKS.to_vec()).prop_map(str::to_owned))
}

/// Members with identical subscriptions (if `same`) or each its own.
fn group() -> impl Strategy<Value = (PartitionsPerTopic, OrdMap<String, Subscription>, bool)> {
    (cluster(), 1usize..8, any::<bool>(), topic_subset())
        .prop_flat_map(|(ppt, n, same, shared)| {
            let members = prop::collection::vec((topic_subset(), rack()), n);
            (Just(ppt), members, Just(same), Just(shared))
        })
        .prop_map(|(ppt, members, same, shared)| {
            let subs = members
                .into_iter()
                .enumerate()
                .map(|(i, (topics, rack))| {
                    let topics = if same { shared.clone() } else { topics };
                    (
                        member_id(i),
                        Subscription {
                            topics,
                            rack_id: rack,
                            ..Subscription::default()
                        },
                    )
                })
                .collect();
            (ppt, subs, same)
        })
}

/// Any input: unknown and empty topics, nonexistent, duplicate and
/// doubly-claimed owned partitions, odd generations, garbage user data,
/// empty racks, static members sharing an instance id.
fn anything() -> impl Strategy<Value = (PartitionsPerTopic, OrdMap<String, Subscription>)> {
    let names = prop::sample::select(vec!["t0", "t1", "t2", "t3", "x", ""]);
    let cluster = prop::collection::vec((names.clone(), -2i32..6), 0..5)
        .prop_map(|topics| topics.into_iter().collect::<PartitionsPerTopic>());
    let owned = prop::collection::vec((names.clone(), -1i32..7), 0..6);
    let member = (
        prop::collection::vec(names, 0..5),
        owned,
        prop::option::of(-3i32..4),
        prop::option::of(prop::sample::select(vec!["a", "b", ""]).prop_map(str::to_owned)),
        prop::option::of(prop::collection::vec(any::<u8>(), 0..24)),
        prop::option::of(prop::sample::select(vec!["i1", "i2"]).prop_map(str::to_owned)),
    );
    (cluster, prop::collection::vec(member, 0..7)).prop_map(|(ppt, members)| {
        let subs = members
            .into_iter()
            .enumerate()
            .map(
                |(i, (topics, owned, generation_id, rack_id, user_data, instance))| {
                    let owned_partitions: Vec<TopicPartition> = owned
                        .into_iter()
                        .map(|(t, p)| TopicPartition::new(t, p))
                        .collect();
                    // Sometimes well-formed sticky user data instead of bytes.
                    let user_data = match user_data {
                        Some(bytes) if bytes.first() == Some(&0) => Some(
                            encode_sticky_user_data(&owned_partitions, generation_id.unwrap_or(-1))
                                .unwrap_or(bytes),
                        ),
                        other => other,
                    };
                    let s = Subscription {
                        topics: topics.into_iter().map(str::to_owned).collect(),
                        user_data,
                        owned_partitions,
                        generation_id,
                        rack_id,
                        group_instance_id: instance,
                    };
                    (member_id(i), s)
                },
            )
            .collect();
        (ppt, subs)
    })
}

/// Only existing partitions of subscribed topics, none twice, every member
/// present.
fn check_valid(ppt: &PartitionsPerTopic, subs: &OrdMap<String, Subscription>, a: &Assignment) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        subs.keys().collect::<Vec<_>>()
    );
    let mut seen = OrdSet::new();
    for (member, list) in a {
        for p in list {
            assert!(
                subs[member].topics.contains(&p.topic),
                "{member} got {p} without subscribing"
            );
            assert!(
                ppt.partition_count(&p.topic)
                    .is_some_and(|n| (0..n).contains(&p.partition)),
                "{p} does not exist"
            );
            assert!(seen.insert(p.clone()), "{p} assigned twice");
        }
    }
}

/// Every partition of every subscribed topic.
fn all_partitions(
    ppt: &PartitionsPerTopic,
    subs: &OrdMap<String, Subscription>,
) -> OrdSet<TopicPartition> {
    let topics: OrdSet<&String> = subs.values().flat_map(|s| &s.topics).collect();
    topics
        .into_iter()
        .flat_map(|t| {
            (0..ppt.partition_count(t).unwrap_or(0)).map(move |p| TopicPartition::new(t.clone(), p))
        })
        .collect()
}

fn assigned(a: &Assignment) -> OrdSet<TopicPartition> {
    a.values().flatten().cloned().collect()
}

fn spread(a: &Assignment) -> usize {
    let sizes: Vec<usize> = a.values().map(Vec::len).collect();
    sizes.iter().max().unwrap_or(&0) - sizes.iter().min().unwrap_or(&0)
}

/// The subscriptions of the next rebalance: each member owns what it was
/// assigned, in generation `generation` (sticky members also say so in
/// user data, as the Java client does).
fn next_round(
    subs: &OrdMap<String, Subscription>,
    a: &Assignment,
    generation: i32,
    kind: AssignorKind,
) -> OrdMap<String, Subscription> {
    subs.iter()
        .map(|(m, s)| {
            let owned = a.get(m).cloned().unwrap_or_default();
            let mut s = s.clone();
            if kind == AssignorKind::Sticky {
                s.user_data = Some(encode_sticky_user_data(&owned, generation).unwrap());
            }
            s.owned_partitions = owned;
            s.generation_id = Some(generation);
            (m.clone(), s)
        })
        .collect()
}

/// Runs cooperative rebalances from an ownership given by `owners` (each
/// partition owned by at most one member, possibly of a topic that member
/// no longer subscribes to), feeding each result back as the owned
/// partitions. Every round must be valid and give no member a partition
/// another still owns. With `converge`, after the first rebalance and at
/// most 4 follow-ups a rebalance must change nothing, at a complete and
/// balanced assignment; otherwise 8 rounds are run.
fn cooperative_rounds(
    ppt: &PartitionsPerTopic,
    subs: &OrdMap<String, Subscription>,
    owners: &[usize],
    same: bool,
    converge: bool,
) -> Result<(), TestCaseError> {
    let members: Vec<String> = subs.keys().cloned().collect();
    let mut owned: Assignment = members.iter().map(|m| (m.clone(), Vec::new())).collect();
    let all: Vec<TopicPartition> = TOPICS
        .iter()
        .flat_map(|t| (0..ppt.partition_count(t).unwrap_or(0)).map(|p| TopicPartition::new(*t, p)))
        .collect();
    for (p, owner) in all.into_iter().zip(owners.iter().cycle()) {
        if let Some(list) = members.get(*owner).and_then(|m| owned.get_mut(m)) {
            list.push(p);
        }
    }
    let assignor = CooperativeStickyAssignor::new();
    let as_sets = |a: &Assignment| -> OrdMap<String, OrdSet<TopicPartition>> {
        a.iter()
            .map(|(m, l)| (m.clone(), l.iter().cloned().collect()))
            .collect()
    };
    let mut current = next_round(subs, &owned, 1, AssignorKind::CooperativeSticky);
    let mut changed_rounds = 0;
    loop {
        let a = assignor.assign(ppt, &current).unwrap();
        check_valid(ppt, &current, &a);
        for (member, list) in &a {
            let mine = &current[member].owned_partitions;
            for p in list.iter().filter(|p| !mine.contains(p)) {
                let other = current
                    .iter()
                    .find(|(m, s)| *m != member && s.owned_partitions.contains(p));
                prop_assert!(
                    other.is_none(),
                    "{p} given to {member} while {other:?} owns it"
                );
            }
        }
        let owned_now: Assignment = current
            .iter()
            .map(|(m, s)| (m.clone(), s.owned_partitions.clone()))
            .collect();
        if as_sets(&a) == as_sets(&owned_now) {
            prop_assert_eq!(assigned(&a), all_partitions(ppt, &current));
            if same {
                prop_assert!(spread(&a) <= 1, "unbalanced: {a:?}");
            } else {
                verify_validity_and_balance(&current, &a, ppt);
            }
            return Ok(());
        }
        changed_rounds += 1;
        if changed_rounds > 5 {
            prop_assert!(!converge, "not stable after 4 follow-up rebalances: {a:?}");
            return Ok(());
        }
        let generation = changed_rounds + 1;
        current = next_round(&current, &a, generation, AssignorKind::CooperativeSticky);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_input_is_assigned_validly((ppt, subs) in anything()) {
        for kind in AssignorKind::ALL {
            let a = kind.assign(&ppt, &subs);
            prop_assert!(a.is_ok(), "{kind}: {a:?}");
            if let Ok(a) = a {
                check_valid(&ppt, &subs, &a);
            }
        }
    }

    #[test]
    fn eager_assignors_assign_everything((ppt, subs, same) in group()) {
        for kind in [AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::Sticky, AssignorKind::CooperativeSticky] {
            let a = kind.assign(&ppt, &subs).unwrap();
            check_valid(&ppt, &subs, &a);
            // With nothing owned, nothing moves: cooperative assigns all too.
            prop_assert_eq!(assigned(&a), all_partitions(&ppt, &subs), "{}", kind);
            if same && kind != AssignorKind::Range {
                prop_assert!(spread(&a) <= 1, "{kind} unbalanced: {a:?}");
            }
        }
    }

    #[test]
    fn sticky_members_keep_what_they_owned(
        (ppt, subs, _) in group(),
        join in any::<bool>(),
        leaver in any::<prop::sample::Index>(),
    ) {
        // Identical subscriptions, no racks: balance allows keeping.
        let shared = subs.values().next().map(|s| s.topics.clone()).unwrap_or_default();
        let subs: OrdMap<String, Subscription> =
            subs.keys().map(|m| (m.clone(), Subscription::new(shared.clone()))).collect();
        for kind in [AssignorKind::Sticky, AssignorKind::CooperativeSticky] {
            let before = kind.assign(&ppt, &subs).unwrap();
            let mut next = next_round(&subs, &before, 1, kind);
            if join {
                next.insert("member-new".into(), Subscription::new(shared.clone()));
            } else {
                let gone = leaver.get(&next.keys().cloned().collect::<Vec<_>>()).clone();
                next.remove(&gone);
            }
            let after = kind.assign(&ppt, &next).unwrap();
            check_valid(&ppt, &next, &after);
            let total = all_partitions(&ppt, &next).len();
            let quota = if next.is_empty() { 0 } else { total / next.len() };
            for (member, owned) in &before {
                let Some(now) = after.get(member) else { continue };
                let kept = owned.iter().filter(|p| now.contains(p)).count();
                prop_assert!(kept >= owned.len().min(quota), "{kind}: {member} kept {kept} of {owned:?}: {after:?}");
            }
        }
    }

    #[test]
    fn cooperative_rebalances_converge(
        (ppt, subs, same) in group(),
        owners in prop::collection::vec(0usize..10, 32),
    ) {
        // Without member racks: rack-aware assignment is off.
        let subs: OrdMap<String, Subscription> =
            subs.into_iter().map(|(m, s)| (m, Subscription { rack_id: None, ..s })).collect();
        cooperative_rounds(&ppt, &subs, &owners, same, true)?;
    }

    #[test]
    fn cooperative_rack_aware_rebalances_never_double_own(
        (ppt, subs, same) in group(),
        owners in prop::collection::vec(0usize..10, 32),
    ) {
        cooperative_rounds(&ppt, &subs, &owners, same, false)?;
    }
}
