//! The cooperative sticky assignor (`cooperative-sticky`,
//! `org.apache.kafka.clients.consumer.CooperativeStickyAssignor`).
//!
//! Members keep their partitions through a cooperative rebalance and send
//! them as `owned_partitions` with their `generation_id`; older members
//! (subscription v1) put only the generation in user data
//! ([`encode_cooperative_sticky_user_data`]). The sticky algorithm
//! ([`super::sticky_core`]) computes the target assignment, and then every
//! partition that would change owner is taken out of it: its current owner
//! sees it missing from its assignment and revokes it, which triggers a
//! follow-up rebalance in which nobody owns it and it is assigned. A
//! partition is therefore never owned by two members at once.

use crate::collections::{OrdMap, OrdSet};

use super::sticky_core::{self, MemberData, StickyOutcome};
use super::{
    decode_cooperative_sticky_user_data, encode_cooperative_sticky_user_data, Assignment,
    AssignorError, MemberState, PartitionAssignor, PartitionsPerTopic, RebalanceProtocol,
    Subscription, TopicPartition, DEFAULT_GENERATION,
};
use crate::compact_sort::CollectBTree;

/// The cooperative sticky assignor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CooperativeStickyAssignor {
    /// Java's test hook `preferRackAwareLogic`.
    prefer_rack_aware_logic: bool,
}

impl CooperativeStickyAssignor {
    /// The cooperative sticky assignor, as the Java client configures it.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            prefer_rack_aware_logic: false,
        }
    }

    /// The assignor with Java's test-only `preferRackAwareLogic` set.
    #[cfg(test)]
    pub(crate) const fn preferring_rack_aware_logic(prefer: bool) -> Self {
        Self {
            prefer_rack_aware_logic: prefer,
        }
    }

    /// `CooperativeStickyAssignor.memberData`: the owned partitions, with
    /// the subscription's generation or else the one in user data.
    pub(crate) fn member_data(subscription: &Subscription) -> MemberData {
        let generation = subscription.generation().or_else(|| {
            subscription
                .user_data
                .as_deref()
                .map(decode_cooperative_sticky_user_data)
        });
        MemberData {
            partitions: subscription.owned_partitions.clone(),
            generation,
        }
    }

    /// The cooperative assignment (Java's `assignPartitions`): the sticky
    /// target minus the partitions changing owner, which their owners must
    /// revoke first. Also returns the unadjusted outcome.
    pub(crate) fn assign_detailed(
        &self,
        partitions_per_topic: &PartitionsPerTopic,
        subscriptions: &OrdMap<String, Subscription>,
    ) -> Result<(Assignment, StickyOutcome), AssignorError> {
        let outcome = sticky_core::assign(
            partitions_per_topic,
            subscriptions,
            Self::member_data,
            self.prefer_rack_aware_logic,
        )?;
        let mut assignment = outcome.assignment.clone();
        let transferring = match &outcome.transferring {
            Some(transferring) => transferring.clone(),
            None => partitions_transferring_ownership(subscriptions, &assignment),
        };
        for (tp, member) in &transferring {
            if let Some(list) = assignment.get_mut(member) {
                if let Some(i) = list.iter().position(|x| x == tp) {
                    list.remove(i);
                }
            }
        }
        Ok((assignment, outcome))
    }
}

/// `computePartitionsTransferringOwnership`: partitions newly assigned to a
/// member that some member owns now and loses.
fn partitions_transferring_ownership(
    subscriptions: &OrdMap<String, Subscription>,
    assignment: &Assignment,
) -> OrdMap<TopicPartition, String> {
    let mut added: OrdMap<TopicPartition, String> = OrdMap::new();
    let mut revoked: OrdSet<&TopicPartition> = OrdSet::new();
    for (member, assigned) in assignment {
        let owned: &[TopicPartition] = subscriptions
            .get(member)
            .map_or(&[], |s| s.owned_partitions.as_slice());
        let owned_set: OrdSet<&TopicPartition> = owned.iter().collect_set();
        let assigned_set: OrdSet<&TopicPartition> = assigned.iter().collect_set();
        for tp in assigned.iter().filter(|tp| !owned_set.contains(tp)) {
            added.insert(tp.clone(), member.clone());
        }
        revoked.extend(owned.iter().filter(|tp| !assigned_set.contains(tp)));
    }
    added.retain(|tp, _| revoked.contains(tp));
    added
}

impl PartitionAssignor for CooperativeStickyAssignor {
    fn name(&self) -> &'static str {
        "cooperative-sticky"
    }

    fn supported_protocols(&self) -> &'static [RebalanceProtocol] {
        &[RebalanceProtocol::Cooperative, RebalanceProtocol::Eager]
    }

    /// The generation of the member's last assignment (-1 before its first).
    fn subscription_user_data(
        &self,
        last: Option<&MemberState>,
    ) -> Result<Option<Vec<u8>>, AssignorError> {
        let generation = last.map_or(DEFAULT_GENERATION, |state| state.generation);
        Ok(Some(encode_cooperative_sticky_user_data(generation)))
    }

    fn assign(
        &self,
        partitions_per_topic: &PartitionsPerTopic,
        subscriptions: &OrdMap<String, Subscription>,
    ) -> Result<Assignment, AssignorError> {
        Ok(self.assign_detailed(partitions_per_topic, subscriptions)?.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_comes_from_the_subscription_first() {
        let s = Subscription::new(["t"])
            .with_generation(3)
            .with_user_data(encode_cooperative_sticky_user_data(9));
        assert_eq!(
            CooperativeStickyAssignor::member_data(&s).generation,
            Some(3)
        );
        let s = Subscription::new(["t"]).with_user_data(encode_cooperative_sticky_user_data(9));
        assert_eq!(
            CooperativeStickyAssignor::member_data(&s).generation,
            Some(9)
        );
        let s = Subscription::new(["t"]).with_user_data(vec![1]);
        assert_eq!(
            CooperativeStickyAssignor::member_data(&s).generation,
            Some(DEFAULT_GENERATION)
        );
        assert_eq!(
            CooperativeStickyAssignor::member_data(&Subscription::new(["t"])).generation,
            None
        );
    }

    #[test]
    fn transferring_partitions_are_added_and_revoked_ones() {
        let tp = |p| TopicPartition::new("t", p);
        let subs: OrdMap<String, Subscription> = [
            (
                "a".to_owned(),
                Subscription::new(["t"]).with_owned_partitions(vec![tp(0), tp(1)]),
            ),
            ("b".to_owned(), Subscription::new(["t"])),
        ]
        .into();
        let assignment: Assignment = [
            ("a".to_owned(), vec![tp(0)]),
            ("b".to_owned(), vec![tp(1), tp(2)]),
        ]
        .into();
        let moving = partitions_transferring_ownership(&subs, &assignment);
        assert_eq!(moving, [(tp(1), "b".to_owned())].into());
    }

    #[test]
    fn user_data_is_the_last_generation() {
        let a = CooperativeStickyAssignor::new();
        assert_eq!(
            a.subscription_user_data(None),
            Ok(Some(vec![255, 255, 255, 255]))
        );
        let state = MemberState {
            assigned: Vec::new(),
            generation: 10,
        };
        assert_eq!(
            a.subscription_user_data(Some(&state)),
            Ok(Some(vec![0, 0, 0, 10]))
        );
    }
}
