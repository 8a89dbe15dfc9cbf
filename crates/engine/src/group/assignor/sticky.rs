//! The eager sticky assignor (`sticky`,
//! `org.apache.kafka.clients.consumer.StickyAssignor`).
//!
//! Eager members revoke all their partitions before rejoining, so they send
//! their previous assignment and its generation as subscription user data
//! ([`encode_sticky_user_data`]), and the assignor reads stickiness from
//! there. Java reads *only* the user data; when a subscription has none (or
//! an empty one), this assignor falls back to the subscription's
//! `owned_partitions` and `generation_id`, so stickiness also works for
//! callers that fill those instead. A real Java eager member never sends
//! owned partitions without user data (it has revoked them), so the
//! fallback changes nothing for real clients.
//!
//! The algorithm is [`super::sticky_core`]'s, with no cooperative
//! adjustment: partitions move in one rebalance.

use crate::collections::OrdMap;

use super::sticky_core::{self, MemberData, StickyOutcome};
use super::{
    decode_sticky_user_data, encode_sticky_user_data, Assignment, AssignorError, MemberState,
    PartitionAssignor, PartitionsPerTopic, Subscription,
};

/// The eager sticky assignor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StickyAssignor {
    /// Java's test hook `preferRackAwareLogic`.
    prefer_rack_aware_logic: bool,
}

impl StickyAssignor {
    /// The sticky assignor, as the Java client configures it.
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

    /// `StickyAssignor.memberData`: the previous assignment the member
    /// reports, from user data when it has some.
    pub(crate) fn member_data(subscription: &Subscription) -> MemberData {
        match subscription.user_data.as_deref() {
            Some(data) if !data.is_empty() => {
                let decoded = decode_sticky_user_data(data);
                MemberData {
                    partitions: decoded.partitions,
                    generation: decoded.generation,
                }
            }
            _ => MemberData {
                partitions: subscription.owned_partitions.clone(),
                generation: subscription.generation(),
            },
        }
    }

    /// The assignment with what Java's tests inspect besides it.
    pub(crate) fn assign_detailed(
        &self,
        partitions_per_topic: &PartitionsPerTopic,
        subscriptions: &OrdMap<String, Subscription>,
    ) -> Result<StickyOutcome, AssignorError> {
        sticky_core::assign(
            partitions_per_topic,
            subscriptions,
            Self::member_data,
            self.prefer_rack_aware_logic,
        )
    }
}

impl PartitionAssignor for StickyAssignor {
    fn name(&self) -> &'static str {
        "sticky"
    }

    /// The previous assignment and generation ([`encode_sticky_user_data`]),
    /// or none before the member's first assignment.
    fn subscription_user_data(
        &self,
        last: Option<&MemberState>,
    ) -> Result<Option<Vec<u8>>, AssignorError> {
        last.map(|state| encode_sticky_user_data(&state.assigned, state.generation))
            .transpose()
    }

    fn assign(
        &self,
        partitions_per_topic: &PartitionsPerTopic,
        subscriptions: &OrdMap<String, Subscription>,
    ) -> Result<Assignment, AssignorError> {
        Ok(self
            .assign_detailed(partitions_per_topic, subscriptions)?
            .assignment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::assignor::TopicPartition;

    #[test]
    fn user_data_only_after_an_assignment() {
        assert_eq!(StickyAssignor::new().subscription_user_data(None), Ok(None));
        let state = MemberState {
            assigned: vec![TopicPartition::new("t", 1)],
            generation: 4,
        };
        let data = StickyAssignor::new()
            .subscription_user_data(Some(&state))
            .unwrap()
            .unwrap();
        let md = StickyAssignor::member_data(&Subscription::new(["t"]).with_user_data(data));
        assert_eq!(
            md,
            MemberData {
                partitions: state.assigned.clone(),
                generation: Some(4)
            }
        );
    }

    #[test]
    fn falls_back_to_owned_partitions_without_user_data() {
        let owned = vec![TopicPartition::new("t", 0)];
        let s = Subscription::new(["t"])
            .with_owned_partitions(owned.clone())
            .with_generation(3);
        assert_eq!(
            StickyAssignor::member_data(&s),
            MemberData {
                partitions: owned,
                generation: Some(3)
            }
        );
    }
}
