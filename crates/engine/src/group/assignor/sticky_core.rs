//! The algorithm both sticky assignors share
//! (`internals/AbstractStickyAssignor`): balanced first, sticky second,
//! rack-aware (KIP-881).
//!
//! Each member's previous partitions and generation ([`MemberData`]) are
//! validated first: a partition claimed by several members goes to the one
//! with the highest generation, or to nobody if they tie
//! (`allSubscriptionsEqual`). Then one of two builders runs:
//!
//! - all members subscribe to the same topics: the *constrained* builder.
//!   With `P` partitions and `M` members everyone gets `floor(P/M)` or
//!   `ceil(P/M)`; members keep up to that many of their previous
//!   partitions (the first ones by partition number, then topic; which
//!   members may keep `ceil(P/M)` follows the order a Java `HashMap` of
//!   the member ids iterates in), and the rest are dealt round-robin
//!   (within racks first when rack-aware) to the members still under
//!   quota, in member-id order. It also reports which partitions change
//!   owner, for the cooperative assignor: those a member owned but does not
//!   keep (over quota, claimed twice, or on another rack) that go to
//!   someone else. This is trunk's version; releases before the fix
//!   (`maybeRevokedPartitions`, tested by Java's
//!   `testUniformSubscriptionTransferOwnershipListIsRight`) did not count
//!   rack-misaligned partitions and could give one away while still owned.
//! - otherwise the *general* builder: keep every previous partition still
//!   subscribed (and rack-aligned), give each unassigned partition to the
//!   least-loaded member that can take it, then move partitions from members
//!   with 2+ more than some other subscriber of the topic, preferring moves
//!   back to a partition's previous owner and avoiding moving partitions of
//!   one topic back and forth between two members; keep the result only if
//!   it is more balanced.
//!
//! Internally members and topics are numbered in Java's `String` order, so
//! comparing numbers compares ids as Java does.

use crate::collections::{OrdMap, OrdSet};

use super::java_hash::{self, Insertion};
use super::{
    java_string_cmp, use_rack_aware_assignment, Assignment, AssignorError, PartitionsPerTopic,
    Subscription, TopicPartition, DEFAULT_GENERATION,
};
use crate::compact_sort::CollectBTree;

/// A member's previous assignment as the assignor sees it
/// (`AbstractStickyAssignor.MemberData`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MemberData {
    /// The partitions it owned.
    pub partitions: Vec<TopicPartition>,
    /// The generation it owned them in, if known.
    pub generation: Option<i32>,
}

/// What a sticky assignment produced, with what the Java tests inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StickyOutcome {
    /// The assignment, before any cooperative adjustment.
    pub assignment: Assignment,
    /// `partitionsTransferringOwnership`: partitions that move to a new
    /// owner, with the new owner. `None` when the general builder ran (Java
    /// sets the field to null so the cooperative assignor computes it).
    pub transferring: Option<OrdMap<TopicPartition, String>>,
    /// `isSticky()` of the general builder's partition movements: no topic
    /// had partitions moved both ways between two members. `None` when the
    /// constrained builder ran.
    pub sticky: Option<bool>,
}

/// A member: its index in Java `String` order of member ids.
type M = usize;

/// The constrained builder's result: each member's partitions, and the
/// partitions moving to a new owner (by new owner).
type Built = (Vec<Vec<Tp>>, OrdMap<Tp, M>);

/// A partition: topic index (Java `String` order of names), partition.
/// Derived `Ord` is Java's topic-then-partition order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Tp {
    topic: usize,
    partition: i32,
}

/// The members and the subscribed topics with metadata, numbered.
struct Ctx<'a> {
    members: Vec<&'a str>,
    subscriptions: Vec<&'a Subscription>,
    topics: Vec<&'a str>,
    counts: Vec<i32>,
    offsets: Vec<usize>,
    total: usize,
    /// Per member: subscribed topics with metadata, subscription order,
    /// duplicates dropped (`consumer2AllPotentialTopics`).
    member_topics: Vec<Vec<usize>>,
    /// Per member and topic: whether it subscribes.
    subscribes: Vec<Vec<bool>>,
    /// The members in the order Java iterates its `HashMap`s of them
    /// (`subscriptions`, `consumerToOwnedPartitions`).
    java_order: Vec<M>,
}

impl<'a> Ctx<'a> {
    fn new(ppt: &PartitionsPerTopic, subscriptions: &'a OrdMap<String, Subscription>) -> Self {
        let mut members: Vec<(&'a str, &'a Subscription)> =
            subscriptions.iter().map(|(m, s)| (m.as_str(), s)).collect();
        crate::compact_sort::sort_by(&mut members, |a, b| java_string_cmp(a.0, b.0));
        // Only subscribed topics, as `AbstractPartitionAssignor.assign`
        // passes them.
        let mut topics: Vec<&'a str> = subscriptions
            .values()
            .flat_map(|s| s.topics.iter().map(String::as_str))
            .filter(|t| ppt.partition_count(t).is_some())
            .collect_set()
            .into_iter()
            .collect();
        crate::compact_sort::sort_by(&mut topics, |a, b| java_string_cmp(a, b));
        let counts: Vec<i32> = topics
            .iter()
            .map(|t| ppt.partition_count(t).unwrap_or(0))
            .collect();
        let mut offsets = Vec::with_capacity(counts.len());
        let mut total = 0usize;
        for count in &counts {
            offsets.push(total);
            total += usize::try_from(*count).unwrap_or(0);
        }
        // A topic's place in `topics` (few: a search beats a map's code).
        let index = |name: &str| topics.iter().position(|t| *t == name);
        let mut member_topics = Vec::with_capacity(members.len());
        let mut subscribes = Vec::with_capacity(members.len());
        for (_, s) in &members {
            let mut list = Vec::new();
            let mut flags = vec![false; topics.len()];
            for t in &s.topics {
                if let Some(i) = index(t.as_str()) {
                    if let Some(flag) = flags.get_mut(i) {
                        if !*flag {
                            *flag = true;
                            list.push(i);
                        }
                    }
                }
            }
            member_topics.push(list);
            subscribes.push(flags);
        }
        let ids: Vec<&'a str> = members.iter().map(|(m, _)| *m).collect();
        let java_order = java_hash::iteration_order(ids.iter().copied(), Insertion::Put)
            .into_iter()
            .filter_map(|id| ids.iter().position(|m| *m == id))
            .collect();
        Self {
            subscriptions: members.iter().map(|(_, s)| *s).collect(),
            members: ids,
            java_order,
            topics,
            counts,
            offsets,
            total,
            member_topics,
            subscribes,
        }
    }

    /// The numbered partition, if its topic is known and it exists.
    fn tp(&self, tp: &TopicPartition) -> Option<Tp> {
        let topic = self
            .topics
            .binary_search_by(|t| java_string_cmp(t, &tp.topic))
            .ok()?;
        let count = *self.counts.get(topic)?;
        (0..count).contains(&tp.partition).then_some(Tp {
            topic,
            partition: tp.partition,
        })
    }

    fn flat(&self, tp: Tp) -> usize {
        self.offsets.get(tp.topic).copied().unwrap_or(0)
            + usize::try_from(tp.partition).unwrap_or(0)
    }

    fn topic_partition(&self, tp: Tp) -> TopicPartition {
        TopicPartition::new(
            self.topics.get(tp.topic).copied().unwrap_or_default(),
            tp.partition,
        )
    }

    fn count(&self, topic: usize) -> i32 {
        self.counts.get(topic).copied().unwrap_or(0)
    }

    fn partitions_of(&self, topic: usize) -> impl Iterator<Item = Tp> {
        (0..self.count(topic)).map(move |partition| Tp { topic, partition })
    }

    fn subscribes(&self, member: M, topic: usize) -> bool {
        self.subscribes
            .get(member)
            .and_then(|f| f.get(topic))
            .copied()
            .unwrap_or(false)
    }

    fn assignment(&self, lists: &[Vec<Tp>]) -> Assignment {
        self.members
            .iter()
            .zip(lists)
            .map(|(m, list)| {
                (
                    (*m).to_owned(),
                    list.iter().map(|tp| self.topic_partition(*tp)).collect(),
                )
            })
            .collect_map()
    }
}

/// `AbstractStickyAssignor.RackInfo`, numbered.
struct RackInfo {
    /// Each member's rack, when rack-aware assignment is used.
    consumer_racks: Vec<Option<String>>,
    /// Whether any member has a rack in `consumer_racks`.
    any_consumer_rack: bool,
    /// Each partition's replica racks (flat index), when rack-aware.
    partition_racks: Vec<OrdSet<String>>,
    /// How many members share a rack with each partition; empty unless
    /// some member has a rack (Java computes it from the rack map before
    /// deciding whether to use it).
    consumers_by_partition: Vec<usize>,
}

impl RackInfo {
    fn new(ctx: &Ctx<'_>, ppt: &PartitionsPerTopic, prefer: bool) -> Self {
        let mut consumers_by_rack: OrdMap<&str, usize> = OrdMap::new();
        for s in &ctx.subscriptions {
            if let Some(rack) = s.rack() {
                *consumers_by_rack.entry(rack).or_insert(0) += 1;
            }
        }
        let mut partition_racks = Vec::new();
        if !consumers_by_rack.is_empty() {
            for topic in 0..ctx.topics.len() {
                for tp in ctx.partitions_of(topic) {
                    let racks = ppt
                        .replica_racks(&ctx.topic_partition(tp))
                        .cloned()
                        .unwrap_or_default();
                    partition_racks.push(racks);
                }
            }
        }
        let all_partition_racks: OrdSet<&str> = partition_racks
            .iter()
            .flatten()
            .map(String::as_str)
            .collect_set();
        let consumer_rack_set: OrdSet<&str> = consumers_by_rack.keys().copied().collect_set();
        let consumers_by_partition: Vec<usize> = partition_racks
            .iter()
            .map(|racks| {
                racks
                    .iter()
                    .map(|r| consumers_by_rack.get(r.as_str()).copied().unwrap_or(0))
                    .sum()
            })
            .collect();
        if use_rack_aware_assignment(
            &consumer_rack_set,
            &all_partition_racks,
            &partition_racks,
            prefer,
        ) {
            let consumer_racks: Vec<Option<String>> = ctx
                .subscriptions
                .iter()
                .map(|s| s.rack().map(str::to_owned))
                .collect();
            Self {
                any_consumer_rack: consumer_racks.iter().any(Option::is_some),
                consumer_racks,
                partition_racks,
                consumers_by_partition,
            }
        } else {
            Self {
                consumer_racks: Vec::new(),
                any_consumer_rack: false,
                partition_racks: Vec::new(),
                consumers_by_partition,
            }
        }
    }

    fn consumer_rack(&self, member: M) -> Option<&str> {
        self.consumer_racks.get(member).and_then(Option::as_deref)
    }

    fn partition_racks(&self, ctx: &Ctx<'_>, tp: Tp) -> Option<&OrdSet<String>> {
        self.partition_racks.get(ctx.flat(tp))
    }

    fn racks_mismatch(&self, ctx: &Ctx<'_>, member: M, tp: Tp) -> bool {
        match self.consumer_rack(member) {
            None => false,
            Some(rack) => !self
                .partition_racks(ctx, tp)
                .is_some_and(|r| r.contains(rack)),
        }
    }

    /// `sortPartitionsByRackConsumers`: a stable sort by how many members
    /// share a rack with the partition.
    fn sort_by_rack_consumers(&self, ctx: &Ctx<'_>, partitions: &mut [Tp]) {
        if !self.consumers_by_partition.is_empty() {
            crate::compact_sort::sort_by_key(partitions, |tp| {
                self.consumers_by_partition
                    .get(ctx.flat(*tp))
                    .copied()
                    .unwrap_or(0)
            });
        }
    }

    /// `nextRackConsumer`: the first index from `first` (wrapping) whose
    /// member shares a rack with the partition.
    fn next_rack_consumer(&self, ctx: &Ctx<'_>, tp: Tp, list: &[M], first: usize) -> Option<usize> {
        let racks = self.partition_racks(ctx, tp).filter(|r| !r.is_empty())?;
        (0..list.len())
            .map(|i| (first + i) % list.len())
            .find(|&index| {
                list.get(index)
                    .and_then(|m| self.consumer_rack(*m))
                    .is_some_and(|rack| racks.contains(rack))
            })
    }
}

/// The validated previous ownership (`allSubscriptionsEqual`'s outputs).
struct Ownership {
    all_subscriptions_equal: bool,
    /// Per member: previously owned partitions that are still valid.
    owned: Vec<Vec<Tp>>,
    /// Partitions claimed by several members of the same generation.
    multiple_owners: OrdSet<Tp>,
    max_generation: i32,
}

fn validate_ownership(ctx: &Ctx<'_>, member_data: &[MemberData]) -> Ownership {
    let topic_sets: Vec<OrdSet<&str>> = ctx
        .subscriptions
        .iter()
        .map(|s| s.topics.iter().map(String::as_str).collect_set())
        .collect();
    // Java compares each subscription with the first non-empty one it
    // meets, in HashMap order, so a member subscribed to nothing can pass as
    // "equal"; comparing all of them avoids handing it partitions.
    let all_subscriptions_equal = topic_sets.windows(2).all(|w| w.first() == w.last());

    let mut owned: Vec<Vec<Tp>> = vec![Vec::new(); ctx.members.len()];
    let mut multiple_owners = OrdSet::new();
    let mut previous_owner: OrdMap<Tp, M> = OrdMap::new();
    let mut max_generation = DEFAULT_GENERATION;
    for &member in &ctx.java_order {
        let Some(data) = member_data.get(member) else {
            continue;
        };
        let generation = data.generation.unwrap_or(DEFAULT_GENERATION);
        max_generation = max_generation.max(generation);
        for tp in &data.partitions {
            let Some(tp) = ctx.tp(tp) else { continue };
            match previous_owner.get(&tp).copied() {
                None => {
                    push(&mut owned, member, tp);
                    previous_owner.insert(tp, member);
                }
                Some(other) => {
                    // Java compares with the other member's subscription
                    // generation, not its member data.
                    let other_generation = ctx
                        .subscriptions
                        .get(other)
                        .and_then(|s| s.generation())
                        .unwrap_or(DEFAULT_GENERATION);
                    if generation == other_generation {
                        multiple_owners.insert(tp);
                        remove_first(&mut owned, other, tp);
                        previous_owner.insert(tp, member);
                    } else if generation > other_generation {
                        push(&mut owned, member, tp);
                        remove_first(&mut owned, other, tp);
                        previous_owner.insert(tp, member);
                    }
                }
            }
        }
    }
    Ownership {
        all_subscriptions_equal,
        owned,
        multiple_owners,
        max_generation,
    }
}

fn push(lists: &mut [Vec<Tp>], member: M, tp: Tp) {
    if let Some(list) = lists.get_mut(member) {
        list.push(tp);
    }
}

fn remove_first(lists: &mut [Vec<Tp>], member: M, tp: Tp) {
    if let Some(list) = lists.get_mut(member) {
        if let Some(i) = list.iter().position(|x| *x == tp) {
            list.remove(i);
        }
    }
}

fn len_of(lists: &[Vec<Tp>], member: M) -> usize {
    lists.get(member).map_or(0, Vec::len)
}

/// Runs the sticky algorithm. `member_data` gives each subscription's
/// previous assignment as the flavour of the assignor reads it.
pub(crate) fn assign(
    ppt: &PartitionsPerTopic,
    subscriptions: &OrdMap<String, Subscription>,
    member_data: impl Fn(&Subscription) -> MemberData,
    prefer_rack_aware: bool,
) -> Result<StickyOutcome, AssignorError> {
    let ctx = Ctx::new(ppt, subscriptions);
    if ctx.members.is_empty() {
        return Ok(StickyOutcome {
            assignment: Assignment::new(),
            transferring: Some(OrdMap::new()),
            sticky: None,
        });
    }
    let rack = RackInfo::new(&ctx, ppt, prefer_rack_aware);
    let data: Vec<MemberData> = ctx
        .subscriptions
        .iter()
        .copied()
        .map(&member_data)
        .collect();
    let ownership = validate_ownership(&ctx, &data);
    if ownership.all_subscriptions_equal {
        let (lists, transferring) = Constrained::new(&ctx, &rack, ownership).build()?;
        let transferring = transferring
            .into_iter()
            .map(|(tp, m)| {
                (
                    ctx.topic_partition(tp),
                    ctx.members.get(m).copied().unwrap_or_default().to_owned(),
                )
            })
            .collect_map();
        Ok(StickyOutcome {
            assignment: ctx.assignment(&lists),
            transferring: Some(transferring),
            sticky: None,
        })
    } else {
        let (lists, sticky) =
            General::new(&ctx, &rack, ownership.owned).build(&data, ownership.max_generation);
        Ok(StickyOutcome {
            assignment: ctx.assignment(&lists),
            transferring: None,
            sticky: Some(sticky),
        })
    }
}

/// `AbstractStickyAssignor.ConstrainedAssignmentBuilder`.
struct Constrained<'c, 'a> {
    ctx: &'c Ctx<'a>,
    rack: &'c RackInfo,
    owned: Vec<Vec<Tp>>,
    multiple_owners: OrdSet<Tp>,
    /// Partitions a member owned but does not keep, with that member.
    maybe_revoked: OrdMap<Tp, M>,
    under_min: Vec<M>,
    exactly_min: Vec<M>,
    min_quota: usize,
    max_quota: usize,
    expected_over_min: usize,
    current_over_min: usize,
    assignment: Vec<Vec<Tp>>,
    assigned: Vec<bool>,
    transferring: OrdMap<Tp, M>,
}

impl<'c, 'a> Constrained<'c, 'a> {
    fn new(ctx: &'c Ctx<'a>, rack: &'c RackInfo, ownership: Ownership) -> Self {
        let n = ctx.members.len().max(1);
        Self {
            ctx,
            rack,
            owned: ownership.owned,
            multiple_owners: ownership.multiple_owners,
            maybe_revoked: OrdMap::new(),
            under_min: Vec::new(),
            exactly_min: Vec::new(),
            min_quota: ctx.total / n,
            max_quota: ctx.total.div_ceil(n),
            expected_over_min: ctx.total % n,
            current_over_min: 0,
            assignment: vec![Vec::new(); ctx.members.len()],
            assigned: vec![false; ctx.total],
            transferring: OrdMap::new(),
        }
    }

    fn build(mut self) -> Result<Built, AssignorError> {
        self.assign_owned_partitions();
        let mut unassigned: Vec<Tp> = (0..self.ctx.topics.len())
            .flat_map(|t| self.ctx.partitions_of(t))
            .filter(|tp| {
                !self
                    .assigned
                    .get(self.ctx.flat(*tp))
                    .copied()
                    .unwrap_or(false)
            })
            .collect();
        // Member indexes are in member-id order, so this is Java's sort.
        crate::compact_sort::sort_unstable(&mut self.under_min);
        crate::compact_sort::sort_unstable(&mut self.exactly_min);
        self.rack.sort_by_rack_consumers(self.ctx, &mut unassigned);
        self.assign_rack_aware_round_robin(&mut unassigned);
        self.assign_round_robin(&unassigned)?;
        self.verify_unfilled_members()?;
        Ok((self.assignment, self.transferring))
    }

    fn mark_assigned(&mut self, member: M, partitions: &[Tp]) {
        for tp in partitions {
            if let Some(flag) = self.assigned.get_mut(self.ctx.flat(*tp)) {
                *flag = true;
            }
        }
        if let Some(list) = self.assignment.get_mut(member) {
            list.extend_from_slice(partitions);
        }
    }

    /// Keeps up to the quota of each member's previous partitions.
    fn assign_owned_partitions(&mut self) {
        let ctx = self.ctx;
        for &member in &ctx.java_order {
            let previous = self
                .owned
                .get_mut(member)
                .map(std::mem::take)
                .unwrap_or_default();
            let mut owned = Vec::with_capacity(previous.len());
            for tp in previous {
                if self.rack.racks_mismatch(self.ctx, member, tp) {
                    self.maybe_revoked.insert(tp, member);
                } else {
                    owned.push(tp);
                }
            }
            // By partition, then topic.
            crate::compact_sort::sort_by_key(&mut owned, |tp| (tp.partition, tp.topic));
            owned.retain(|tp| !self.multiple_owners.contains(tp));

            if owned.len() < self.min_quota {
                self.mark_assigned(member, &owned);
                self.under_min.push(member);
            } else if owned.len() >= self.max_quota
                && self.current_over_min < self.expected_over_min
            {
                self.current_over_min += 1;
                if self.current_over_min == self.expected_over_min {
                    self.exactly_min.clear();
                }
                let (keep, revoke) = owned.split_at(self.max_quota);
                self.mark_assigned(member, keep);
                for tp in revoke {
                    self.maybe_revoked.insert(*tp, member);
                }
            } else {
                let (keep, revoke) = owned.split_at(self.min_quota);
                self.mark_assigned(member, keep);
                for tp in revoke {
                    self.maybe_revoked.insert(*tp, member);
                }
                if self.current_over_min < self.expected_over_min {
                    self.exactly_min.push(member);
                }
            }
        }
    }

    /// Round-robin within racks: members under quota first, then members at
    /// the minimum that may still take one more.
    fn assign_rack_aware_round_robin(&mut self, unassigned: &mut Vec<Tp>) {
        if !self.rack.any_consumer_rack {
            return;
        }
        let mut next_unfilled = 0usize;
        let mut remaining = Vec::with_capacity(unassigned.len());
        for tp in unassigned.drain(..) {
            let mut consumer = None;
            if let Some(mut next) =
                self.rack
                    .next_rack_consumer(self.ctx, tp, &self.under_min, next_unfilled)
            {
                if let Some(&member) = self.under_min.get(next) {
                    consumer = Some(member);
                    let count = len_of(&self.assignment, member) + 1;
                    if count >= self.min_quota {
                        self.under_min.retain(|m| *m != member);
                        if count < self.max_quota && self.current_over_min < self.expected_over_min
                        {
                            self.exactly_min.push(member);
                        }
                    } else {
                        next += 1;
                    }
                }
                next_unfilled = if self.under_min.is_empty() {
                    0
                } else {
                    next % self.under_min.len()
                };
            } else if !self.exactly_min.is_empty() {
                if let Some(first) =
                    self.rack
                        .next_rack_consumer(self.ctx, tp, &self.exactly_min, 0)
                {
                    if let Some(&member) = self.exactly_min.get(first) {
                        consumer = Some(member);
                        if len_of(&self.assignment, member) + 1 == self.max_quota {
                            self.exactly_min.remove(first);
                            self.current_over_min += 1;
                            if self.current_over_min == self.expected_over_min {
                                self.exactly_min.clear();
                            }
                        }
                    }
                }
            }
            match consumer {
                Some(member) => {
                    self.assign_new_partition(tp, member);
                }
                None => remaining.push(tp),
            }
        }
        *unassigned = remaining;
    }

    /// Round-robin over the members under quota, then one more each to the
    /// members at the minimum, in order.
    fn assign_round_robin(&mut self, unassigned: &[Tp]) -> Result<(), AssignorError> {
        // A Java ArrayList iterator over `under_min`: `cursor` is the next
        // index, `last` the index `remove()` would remove.
        let mut cursor = 0usize;
        let mut last: Option<usize> = None;
        for &tp in unassigned {
            let member = if let Some(&m) = self.under_min.get(cursor) {
                last = Some(cursor);
                cursor += 1;
                m
            } else if self.under_min.is_empty() && self.exactly_min.is_empty() {
                return Err(AssignorError::IllegalState(
                    "No more unfilled consumers to be assigned.".into(),
                ));
            } else if self.under_min.is_empty() {
                self.exactly_min.remove(0)
            } else {
                cursor = 1;
                last = Some(0);
                // Non-empty: checked just above.
                self.under_min.first().copied().unwrap_or_default()
            };
            let count = self.assign_new_partition(tp, member);
            if count == self.min_quota {
                if let Some(i) = last.take() {
                    if i < self.under_min.len() {
                        self.under_min.remove(i);
                        cursor = i;
                    }
                }
                self.exactly_min.push(member);
            } else if count == self.max_quota {
                self.current_over_min += 1;
            }
        }
        Ok(())
    }

    fn assign_new_partition(&mut self, tp: Tp, member: M) -> usize {
        if let Some(list) = self.assignment.get_mut(member) {
            list.push(tp);
        }
        if let Some(flag) = self.assigned.get_mut(self.ctx.flat(tp)) {
            *flag = true;
        }
        let previous_owner = self.maybe_revoked.get(&tp).copied();
        if previous_owner.is_some_and(|owner| owner != member) || self.multiple_owners.contains(&tp)
        {
            self.transferring.insert(tp, member);
        }
        len_of(&self.assignment, member)
    }

    fn verify_unfilled_members(&self) -> Result<(), AssignorError> {
        if self.under_min.is_empty() {
            return Ok(());
        }
        if self.current_over_min != self.expected_over_min {
            return Err(AssignorError::IllegalState(
                "We haven't reached the expected number of members with more than the minQuota partitions, but no more partitions to be assigned".into(),
            ));
        }
        for &member in &self.under_min {
            if len_of(&self.assignment, member) != self.min_quota {
                return Err(AssignorError::IllegalState(format!(
                    "Consumer: [{}] doesn't reach minQuota partitions, and no more partitions to be assigned",
                    self.ctx.members.get(member).copied().unwrap_or_default()
                )));
            }
        }
        Ok(())
    }
}

/// `AbstractStickyAssignor.PartitionMovements`: which partitions moved from
/// which member to which during the general builder's balancing.
#[derive(Default)]
struct Movements {
    by_topic: OrdMap<usize, OrdMap<(M, M), OrdSet<Tp>>>,
    moves: OrdMap<Tp, (M, M)>,
}

impl Movements {
    fn remove_record(&mut self, tp: Tp) -> Option<(M, M)> {
        let pair = self.moves.remove(&tp)?;
        if let Some(pairs) = self.by_topic.get_mut(&tp.topic) {
            if let Some(set) = pairs.get_mut(&pair) {
                set.remove(&tp);
                if set.is_empty() {
                    pairs.remove(&pair);
                }
            }
            if pairs.is_empty() {
                self.by_topic.remove(&tp.topic);
            }
        }
        Some(pair)
    }

    fn add_record(&mut self, tp: Tp, pair: (M, M)) {
        self.moves.insert(tp, pair);
        self.by_topic
            .entry(tp.topic)
            .or_default()
            .entry(pair)
            .or_default()
            .insert(tp);
    }

    fn move_partition(&mut self, tp: Tp, old: M, new: M) {
        match self.remove_record(tp) {
            // Moved before: record it from its first owner, or forget it if
            // it goes back there.
            Some((source, _)) => {
                if source != new {
                    self.add_record(tp, (source, new));
                }
            }
            None => self.add_record(tp, (old, new)),
        }
    }

    /// `getTheActualPartitionToBeMoved`: rather than moving a partition of
    /// a topic from `old` to `new` when another partition of that topic
    /// already moved from `new` to `old`, move that one back. Java takes an
    /// arbitrary one from a `HashSet`; this takes the smallest.
    fn actual_partition_to_move(&self, tp: Tp, old: M, new: M) -> Tp {
        let Some(pairs) = self.by_topic.get(&tp.topic) else {
            return tp;
        };
        let old = self.moves.get(&tp).map_or(old, |(source, _)| *source);
        pairs
            .get(&(new, old))
            .and_then(|set| set.first().copied())
            .unwrap_or(tp)
    }

    /// `isSticky`: no topic had partitions moved both ways between two
    /// members (Java looks for cycles and fails on those of length two).
    fn is_sticky(&self) -> bool {
        self.by_topic.values().all(|pairs| {
            pairs
                .keys()
                .all(|&(a, b)| a == b || !pairs.contains_key(&(b, a)))
        })
    }
}

/// `AbstractStickyAssignor.GeneralAssignmentBuilder`.
struct General<'c, 'a> {
    ctx: &'c Ctx<'a>,
    rack: &'c RackInfo,
    /// Per topic: its subscribers (`topic2AllPotentialConsumers`).
    topic_consumers: Vec<Vec<M>>,
    assignment: Vec<Vec<Tp>>,
    /// False while a member is set aside as unable to take part.
    in_current: Vec<bool>,
    /// Owner of each partition (flat index): `currentPartitionConsumer`.
    owner: Vec<Option<M>>,
    sorted_all: Vec<Tp>,
    /// Members by (assigned count, member id): `sortedCurrentSubscriptions`.
    by_load: OrdSet<(usize, M)>,
    revocation_required: bool,
    movements: Movements,
}

impl<'c, 'a> General<'c, 'a> {
    fn new(ctx: &'c Ctx<'a>, rack: &'c RackInfo, owned: Vec<Vec<Tp>>) -> Self {
        let mut topic_consumers = vec![Vec::new(); ctx.topics.len()];
        for (member, topics) in ctx.member_topics.iter().enumerate() {
            for &t in topics {
                if let Some(list) = topic_consumers.get_mut(t) {
                    list.push(member);
                }
            }
        }
        let mut owner = vec![None; ctx.total];
        for (member, list) in owned.iter().enumerate() {
            for tp in list {
                if let Some(slot) = owner.get_mut(ctx.flat(*tp)) {
                    *slot = Some(member);
                }
            }
        }
        // Topics by number of subscribers, then name.
        let mut topic_order: Vec<usize> = (0..ctx.topics.len()).collect();
        crate::compact_sort::sort_by_key(&mut topic_order, |t| {
            (topic_consumers.get(*t).map_or(0, Vec::len), *t)
        });
        let sorted_all = topic_order
            .into_iter()
            .flat_map(|t| ctx.partitions_of(t))
            .collect();
        Self {
            ctx,
            rack,
            topic_consumers,
            in_current: vec![true; owned.len()],
            assignment: owned,
            owner,
            sorted_all,
            by_load: OrdSet::new(),
            revocation_required: false,
            movements: Movements::default(),
        }
    }

    fn build(mut self, member_data: &[MemberData], max_generation: i32) -> (Vec<Vec<Tp>>, bool) {
        let previous = self.previous_assignment(member_data, max_generation);
        self.assign_owned_partitions();
        let mut unassigned: Vec<Tp> = self
            .sorted_all
            .iter()
            .copied()
            .filter(|tp| {
                self.owner
                    .get(self.ctx.flat(*tp))
                    .copied()
                    .flatten()
                    .is_none()
            })
            .collect();
        self.by_load = (0..self.assignment.len())
            .map(|m| (len_of(&self.assignment, m), m))
            .collect_set();
        self.balance(&previous, &mut unassigned);
        (self.assignment, self.movements.is_sticky())
    }

    /// `prepopulateCurrentAssignments`: for each partition, the member that
    /// owned it in the latest generation below the current one.
    fn previous_assignment(
        &self,
        member_data: &[MemberData],
        max_generation: i32,
    ) -> OrdMap<Tp, (M, i32)> {
        let mut previous: OrdMap<Tp, (M, i32)> = OrdMap::new();
        for &member in &self.ctx.java_order {
            let Some(data) = member_data.get(member) else {
                continue;
            };
            let generation = match data.generation {
                Some(g) if g < max_generation => g,
                None if max_generation > DEFAULT_GENERATION => DEFAULT_GENERATION,
                _ => continue,
            };
            for tp in data.partitions.iter().filter_map(|tp| self.ctx.tp(tp)) {
                match previous.get(&tp) {
                    Some((_, g)) if generation <= *g => {}
                    _ => {
                        previous.insert(tp, (member, generation));
                    }
                }
            }
        }
        previous
    }

    /// Drops previous partitions the member no longer subscribes to (or
    /// that are on another rack).
    fn assign_owned_partitions(&mut self) {
        for member in 0..self.assignment.len() {
            let list = self
                .assignment
                .get_mut(member)
                .map(std::mem::take)
                .unwrap_or_default();
            let mut keep = Vec::with_capacity(list.len());
            for tp in list {
                if !self.ctx.subscribes(member, tp.topic)
                    || self.rack.racks_mismatch(self.ctx, member, tp)
                {
                    self.revocation_required = true;
                    self.set_owner(tp, None);
                } else {
                    keep.push(tp);
                }
            }
            if let Some(slot) = self.assignment.get_mut(member) {
                *slot = keep;
            }
        }
    }

    fn set_owner(&mut self, tp: Tp, member: Option<M>) {
        if let Some(slot) = self.owner.get_mut(self.ctx.flat(tp)) {
            *slot = member;
        }
    }

    fn owner_of(&self, tp: Tp) -> Option<M> {
        self.owner.get(self.ctx.flat(tp)).copied().flatten()
    }

    fn len(&self, member: M) -> usize {
        len_of(&self.assignment, member)
    }

    fn max_assignment_size(&self, member: M) -> usize {
        let topics = self
            .ctx
            .member_topics
            .get(member)
            .map_or(&[][..], Vec::as_slice);
        if topics.len() == self.ctx.topics.len() {
            self.ctx.total
        } else {
            topics
                .iter()
                .map(|t| usize::try_from(self.ctx.count(*t)).unwrap_or(0))
                .sum()
        }
    }

    /// `isBalanced`: counts differ by at most one, or no member could take
    /// a partition from a member with 2+ more.
    fn is_balanced(&self) -> bool {
        let (Some(&(min, _)), Some(&(max, _))) = (self.by_load.first(), self.by_load.last()) else {
            return true;
        };
        if min + 1 >= max {
            return true;
        }
        for &(size, member) in &self.by_load {
            if size == self.max_assignment_size(member) {
                continue;
            }
            let topics = self
                .ctx
                .member_topics
                .get(member)
                .map_or(&[][..], Vec::as_slice);
            for &topic in topics {
                for tp in self.ctx.partitions_of(topic) {
                    match self.owner_of(tp) {
                        Some(other) if other != member && size + 1 < self.len(other) => {
                            return false;
                        }
                        _ => {}
                    }
                }
            }
        }
        true
    }

    /// Sum over pairs of members of the difference of their counts.
    fn balance_score(&self, assignment: &[Vec<Tp>]) -> usize {
        let mut sizes: Vec<usize> = (0..assignment.len())
            .filter(|m| self.in_current.get(*m).copied().unwrap_or(false))
            .map(|m| len_of(assignment, m))
            .collect();
        crate::compact_sort::sort_unstable(&mut sizes);
        let mut score = 0usize;
        let mut prefix = 0usize;
        for (i, size) in sizes.iter().enumerate() {
            score += size * i - prefix;
            prefix += size;
        }
        score
    }

    fn add_to(&mut self, member: M, tp: Tp) {
        let size = self.len(member);
        self.by_load.remove(&(size, member));
        if let Some(list) = self.assignment.get_mut(member) {
            list.push(tp);
        }
        self.set_owner(tp, Some(member));
        self.by_load.insert((size + 1, member));
    }

    /// `maybeAssignPartition`: to the least-loaded subscriber (on a
    /// matching rack, if `with_rack`).
    fn maybe_assign_partition(&mut self, tp: Tp, with_rack: bool) -> bool {
        let chosen = self.by_load.iter().map(|(_, m)| *m).find(|&m| {
            self.ctx.subscribes(m, tp.topic)
                && (!with_rack || !self.rack.racks_mismatch(self.ctx, m, tp))
        });
        match chosen {
            Some(member) => {
                self.add_to(member, tp);
                true
            }
            None => false,
        }
    }

    fn maybe_assign(&mut self, partitions: &mut Vec<Tp>, with_rack: bool, remove_assigned: bool) {
        let mut kept = Vec::with_capacity(partitions.len());
        for tp in partitions.drain(..) {
            let has_consumers = self
                .topic_consumers
                .get(tp.topic)
                .is_some_and(|c| !c.is_empty());
            if has_consumers && self.maybe_assign_partition(tp, with_rack) && remove_assigned {
                continue;
            }
            kept.push(tp);
        }
        *partitions = kept;
    }

    fn topic_can_participate(&self, topic: usize) -> bool {
        self.topic_consumers.get(topic).map_or(0, Vec::len) >= 2
    }

    fn member_can_participate(&self, member: M) -> bool {
        if self.len(member) < self.max_assignment_size(member) {
            return true;
        }
        self.assignment
            .get(member)
            .is_some_and(|list| list.iter().any(|tp| self.topic_can_participate(tp.topic)))
    }

    fn balance(&mut self, previous: &OrdMap<Tp, (M, i32)>, unassigned: &mut Vec<Tp>) {
        let initializing = self.by_load.last().is_none_or(|(size, _)| *size == 0);

        // First with rack matching, then without.
        let mut to_assign = unassigned.clone();
        if self.rack.any_consumer_rack {
            self.maybe_assign(&mut to_assign, true, true);
        }
        self.maybe_assign(&mut to_assign, false, false);

        // Only partitions of topics with 2+ subscribers can move...
        let fixed_topics: Vec<bool> = (0..self.ctx.topics.len())
            .map(|t| !self.topic_can_participate(t))
            .collect();
        let movable = |tp: &Tp| !fixed_topics.get(tp.topic).copied().unwrap_or(true);
        self.sorted_all.retain(movable);
        unassigned.retain(movable);

        // ...and only members that could get or give one take part.
        let fixed_members: Vec<M> = (0..self.assignment.len())
            .filter(|m| !self.member_can_participate(*m))
            .collect();
        for &member in &fixed_members {
            let size = self.len(member);
            self.by_load.remove(&(size, member));
            if let Some(flag) = self.in_current.get_mut(member) {
                *flag = false;
            }
        }

        let pre_assignment = self.assignment.clone();
        let pre_owner = self.owner.clone();

        if !self.revocation_required {
            let newly_assigned = unassigned.clone();
            self.perform_reassignments(&newly_assigned, previous);
        }
        let all = self.sorted_all.clone();
        let performed = self.perform_reassignments(&all, previous);

        // Keep the moves only if they made the assignment more balanced.
        if !initializing
            && performed
            && self.balance_score(&self.assignment) >= self.balance_score(&pre_assignment)
        {
            self.assignment = pre_assignment;
            self.owner = pre_owner;
            self.by_load = (0..self.assignment.len())
                .filter(|m| self.in_current.get(*m).copied().unwrap_or(false))
                .map(|m| (self.len(m), m))
                .collect_set();
        }

        for member in fixed_members {
            if let Some(flag) = self.in_current.get_mut(member) {
                *flag = true;
            }
            let size = self.len(member);
            self.by_load.insert((size, member));
        }
    }

    fn perform_reassignments(
        &mut self,
        partitions: &[Tp],
        previous: &OrdMap<Tp, (M, i32)>,
    ) -> bool {
        // Copies of the shared references, so what they lend does not
        // borrow `self`.
        let (ctx, rack_info) = (self.ctx, self.rack);
        let mut performed = false;
        loop {
            let mut modified = false;
            for &tp in partitions {
                if self.is_balanced() {
                    break;
                }
                let Some(consumer) = self.owner_of(tp) else {
                    continue;
                };

                // Back to the previous owner, if that evens things out. (Java
                // does not check that the previous owner still subscribes to
                // the topic, nor that it takes part; both would be invalid.)
                if let Some(&(previous_owner, _)) = previous.get(&tp) {
                    if self
                        .in_current
                        .get(previous_owner)
                        .copied()
                        .unwrap_or(false)
                        && ctx.subscribes(previous_owner, tp.topic)
                        && self.len(consumer) > self.len(previous_owner) + 1
                    {
                        self.reassign_to(tp, previous_owner);
                        performed = true;
                        modified = true;
                        continue;
                    }
                }

                // Otherwise to a better-suited member, within the rack first.
                let racks = rack_info.partition_racks(ctx, tp);
                let mut found_rack_consumer = false;
                if let (Some(rack), Some(racks)) = (rack_info.consumer_rack(consumer), racks) {
                    if !racks.is_empty() && racks.contains(rack) {
                        let candidates = self
                            .topic_consumers
                            .get(tp.topic)
                            .cloned()
                            .unwrap_or_default();
                        for other in candidates {
                            let same_rack = rack_info
                                .consumer_rack(other)
                                .is_some_and(|r| racks.contains(r));
                            if same_rack && self.len(consumer) > self.len(other) + 1 {
                                self.reassign_to_least_loaded(tp);
                                performed = true;
                                modified = true;
                                found_rack_consumer = true;
                                break;
                            }
                        }
                    }
                }
                if !found_rack_consumer {
                    let candidates = self
                        .topic_consumers
                        .get(tp.topic)
                        .cloned()
                        .unwrap_or_default();
                    if candidates
                        .iter()
                        .any(|&other| self.len(consumer) > self.len(other) + 1)
                    {
                        self.reassign_to_least_loaded(tp);
                        performed = true;
                        modified = true;
                    }
                }
            }
            if !modified {
                return performed;
            }
        }
    }

    fn reassign_to_least_loaded(&mut self, tp: Tp) {
        let new = self
            .by_load
            .iter()
            .map(|(_, m)| *m)
            .find(|&m| self.ctx.subscribes(m, tp.topic));
        if let Some(new) = new {
            self.reassign_to(tp, new);
        }
    }

    fn reassign_to(&mut self, tp: Tp, new: M) {
        let Some(consumer) = self.owner_of(tp) else {
            return;
        };
        let actual = self.movements.actual_partition_to_move(tp, consumer, new);
        self.process_partition_movement(actual, new);
    }

    fn process_partition_movement(&mut self, tp: Tp, new: M) {
        let Some(old) = self.owner_of(tp) else { return };
        let (old_size, new_size) = (self.len(old), self.len(new));
        self.by_load.remove(&(old_size, old));
        self.by_load.remove(&(new_size, new));
        self.movements.move_partition(tp, old, new);
        remove_first(&mut self.assignment, old, tp);
        push(&mut self.assignment, new, tp);
        self.set_owner(tp, Some(new));
        let (old_size, new_size) = (self.len(old), self.len(new));
        self.by_load.insert((new_size, new));
        self.by_load.insert((old_size, old));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movements_detect_two_way_moves() {
        let mut moves = Movements::default();
        let a = Tp {
            topic: 0,
            partition: 0,
        };
        let b = Tp {
            topic: 0,
            partition: 1,
        };
        moves.move_partition(a, 0, 1);
        assert!(moves.is_sticky());
        // Moving b from 1 to 0 should move a back instead.
        assert_eq!(moves.actual_partition_to_move(b, 1, 0), a);
        moves.move_partition(b, 1, 0);
        assert!(!moves.is_sticky());
        // A partition moving back to where it came from leaves no record.
        moves.move_partition(a, 1, 0);
        assert!(moves.is_sticky());
        assert!(!moves.moves.contains_key(&a));
    }

    #[test]
    fn empty_group_and_no_topics() {
        let out = assign(
            &PartitionsPerTopic::new(),
            &OrdMap::new(),
            |_| MemberData::default(),
            false,
        )
        .unwrap();
        assert!(out.assignment.is_empty());
        let subs: OrdMap<String, Subscription> =
            [("a".to_owned(), Subscription::new(["t"]))].into();
        let out = assign(
            &PartitionsPerTopic::new(),
            &subs,
            |_| MemberData::default(),
            false,
        )
        .unwrap();
        assert_eq!(out.assignment["a"], []);
    }
}
