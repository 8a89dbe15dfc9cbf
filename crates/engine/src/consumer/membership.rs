//! Group membership of a subscribing consumer: the client half of Kafka's
//! classic group protocol (Java's `ConsumerCoordinator`, librdkafka's
//! `rdkafka_cgrp.c`).
//!
//! A consumer that calls `subscribe()` joins its group: JoinGroup (first
//! without a member id, which the coordinator answers with
//! `MEMBER_ID_REQUIRED` and the id to use), then SyncGroup. The member the
//! coordinator chose as leader decodes every member's
//! `ConsumerProtocolSubscription`, runs the chosen assignor over the
//! cluster's metadata and sends each member its
//! `ConsumerProtocolAssignment`. Once assigned, the member heartbeats every
//! `heartbeat.interval.ms`; a heartbeat answered `REBALANCE_IN_PROGRESS`
//! makes it rejoin.
//!
//! The two rebalance protocols differ in what a member gives up:
//! **eager** assignors (`range`, `roundrobin`, `sticky`) revoke every
//! partition before rejoining; **cooperative** ones (`cooperative-sticky`)
//! keep their partitions, send them as owned partitions, and revoke only
//! those missing from their new assignment, then rejoin at once so that a
//! second rebalance hands them to their new owner.
//!
//! Where the clients differ, each behaves as itself: the Java consumer
//! rejoins only from `poll()` (its heartbeat thread merely notices the
//! rebalance), librdkafka's background thread rejoins on its own. Both
//! leave the group when the application has not polled for
//! `max.poll.interval.ms`, with their own log line.
//!
//! Everything is driven from outside: [`Consumer::group_tick`] when time
//! passes or the application polls, [`Consumer::on_group_response`] when the
//! coordinator answers. Both return the coordinator's answers addressed to
//! other members, which the caller (the playground) delivers.

use crate::collections::OrdMap;

use super::{Consumer, ConsumerError};
use crate::clock::Millis;
use crate::cluster::Cluster;
use crate::compact_sort::CollectBTree;
use crate::error::ErrorCode;
use crate::events::Event;
use crate::group::assignor::{
    AssignorKind, MemberState, PartitionAssignor, PartitionsPerTopic, RebalanceProtocol,
    Subscription, TopicPartition,
};
use crate::group::coordinator::{
    CoordinatorResponse, GroupCoordinator, JoinGroupRequest, JoinGroupResponse,
};
use crate::group::protocol::{ProtocolAssignment, ProtocolSubscription};
use crate::producer_config::ClientFlavour;

/// The `ConsumerProtocolSubscription` version the clients send (3: with
/// the rack id).
const SUBSCRIPTION_VERSION: i16 = 3;
/// The `ConsumerProtocolAssignment` version the leader sends.
const ASSIGNMENT_VERSION: i16 = 3;

/// What a consumer subscribed to: topic names, and patterns matched
/// against the cluster's topics on every (re)join.
#[derive(Debug, Clone)]
pub struct SubscriptionSpec {
    topics: Vec<String>,
    patterns: Vec<(String, regex_lite::Regex)>,
}

impl SubscriptionSpec {
    /// Topic names as given; for librdkafka, entries starting with `^` are
    /// regular expressions, as `rd_kafka_subscribe` treats them.
    pub(crate) fn parse(flavour: ClientFlavour, entries: &[String]) -> Result<Self, ConsumerError> {
        let mut spec = Self {
            topics: Vec::new(),
            patterns: Vec::new(),
        };
        for entry in entries {
            if flavour == ClientFlavour::Librdkafka && entry.starts_with('^') {
                let regex = regex_lite::Regex::new(entry).map_err(|e| {
                    ConsumerError::new(format!(
                        "Local: Invalid argument or configuration: invalid regex {entry}: {e}"
                    ))
                })?;
                spec.patterns.push((entry.clone(), regex));
            } else if entry.is_empty() {
                return Err(ConsumerError::new(match flavour {
                    ClientFlavour::Java => "java.lang.IllegalArgumentException: Topic collection to subscribe to cannot contain null or empty topic".to_owned(),
                    ClientFlavour::Librdkafka => "Local: Invalid argument or configuration".to_owned(),
                }));
            } else if !spec.topics.contains(entry) {
                spec.topics.push(entry.clone());
            }
        }
        Ok(spec)
    }

    /// Java's `subscribe(Pattern)`: the whole topic name must match.
    pub(crate) fn pattern(pattern: &str) -> Result<Self, ConsumerError> {
        let regex = regex_lite::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
            ConsumerError::new(format!("java.util.regex.PatternSyntaxException: {e}"))
        })?;
        Ok(Self {
            topics: Vec::new(),
            patterns: vec![(pattern.to_owned(), regex)],
        })
    }

    /// The topics subscribed to now: the names, plus the cluster's
    /// non-internal topics a pattern matches. Sorted, no duplicates.
    #[must_use]
    pub fn resolve(&self, cluster: &Cluster) -> Vec<String> {
        let mut topics = self.topics.clone();
        if !self.patterns.is_empty() {
            for topic in cluster.list_topics(false) {
                if self.patterns.iter().any(|(_, r)| r.is_match(&topic)) && !topics.contains(&topic)
                {
                    topics.push(topic);
                }
            }
        }
        crate::compact_sort::sort(&mut topics);
        topics
    }

    /// The subscription as the application gave it (names and patterns).
    #[must_use]
    pub fn describe(&self) -> Vec<String> {
        self.topics
            .iter()
            .cloned()
            .chain(self.patterns.iter().map(|(p, _)| p.clone()))
            .collect()
    }
}

/// Where a member is in the group protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberPhase {
    /// Not in the group (yet, or any more).
    Unjoined,
    /// JoinGroup sent, waiting for the join phase to complete.
    Joining,
    /// JoinGroup answered, SyncGroup sent, waiting for the assignment.
    AwaitingSync,
    /// Has its assignment; heartbeating.
    Stable,
}

/// A subscribing consumer's state in its group.
#[derive(Debug, Clone)]
pub(crate) struct Membership {
    pub(crate) group_id: String,
    pub(crate) spec: SubscriptionSpec,
    pub(crate) member_id: String,
    pub(crate) generation: i32,
    pub(crate) phase: MemberPhase,
    /// The assignor chosen in the current generation.
    pub(crate) protocol: Option<AssignorKind>,
    pub(crate) leader: Option<String>,
    /// Set when the member must (re)join, with the reason it gives.
    rejoin: Option<String>,
    /// The partitions were taken away without a revoke (removed from the
    /// group): `onPartitionsLost` on the next join.
    lost: bool,
    last_heartbeat: Millis,
    pub(crate) last_poll: Millis,
    /// What the member remembers of its last assignment (sticky user data).
    last_state: Option<MemberState>,
    /// No new attempt before this (backoff after an error).
    next_attempt: Millis,
    /// The topics the member joined with (a pattern's matches change).
    joined_topics: Vec<String>,
    /// The leader's snapshot of the partition counts it assigned: a
    /// change (partitions added, a topic created or deleted) means a new
    /// rebalance, as Java's `assignmentSnapshot` does.
    assignment_snapshot: Option<Vec<(String, i32)>>,
}

impl Membership {
    pub(crate) fn new(group_id: String, spec: SubscriptionSpec, now: Millis) -> Self {
        Self {
            group_id,
            spec,
            member_id: String::new(),
            generation: -1,
            phase: MemberPhase::Unjoined,
            protocol: None,
            leader: None,
            rejoin: Some("the consumer subscribed".to_owned()),
            lost: false,
            last_heartbeat: now,
            last_poll: now,
            last_state: None,
            next_attempt: now,
            joined_topics: Vec::new(),
            assignment_snapshot: None,
        }
    }

    pub(crate) fn request_rejoin(&mut self, reason: &str) {
        if self.rejoin.is_none() {
            self.rejoin = Some(reason.to_owned());
        }
    }

    fn reset_generation(&mut self, forget_member_id: bool) {
        self.generation = -1;
        self.phase = MemberPhase::Unjoined;
        self.leader = None;
        if forget_member_id {
            self.member_id.clear();
        }
    }
}

impl Consumer {
    /// Where the consumer is in its group, if it subscribed.
    #[must_use]
    pub fn member_phase(&self) -> Option<MemberPhase> {
        self.membership.as_ref().map(|m| m.phase)
    }

    /// The member id and generation, once the consumer joined its group.
    #[must_use]
    pub fn member_id(&self) -> Option<(&str, i32)> {
        self.membership
            .as_ref()
            .filter(|m| !m.member_id.is_empty())
            .map(|m| (m.member_id.as_str(), m.generation))
    }

    /// The subscription, as the application gave it.
    #[must_use]
    pub fn subscription(&self) -> Vec<String> {
        self.membership
            .as_ref()
            .map(|m| m.spec.describe())
            .unwrap_or_default()
    }

    /// Whether a coordinator answer is addressed to this consumer.
    #[must_use]
    pub fn is_member(&self, group_id: &str, member_id: &str) -> bool {
        self.membership.as_ref().is_some_and(|m| {
            m.group_id == group_id && !m.member_id.is_empty() && m.member_id == member_id
        })
    }

    /// Whether this is a static member of `group_id` with this
    /// `group.instance.id`, waiting for its JoinGroup answer.
    #[must_use]
    pub fn is_joining_static(&self, group_id: &str, group_instance_id: &str) -> bool {
        self.config.group_instance_id.as_deref() == Some(group_instance_id)
            && self
                .membership
                .as_ref()
                .is_some_and(|m| m.group_id == group_id && m.phase == MemberPhase::Joining)
    }

    /// The earliest time the consumer has group work to do (a heartbeat,
    /// the poll timeout), for the playground's stepping.
    #[must_use]
    pub fn next_group_wakeup(&self) -> Option<Millis> {
        let m = self.membership.as_ref()?;
        let poll_timeout = (m.phase != MemberPhase::Unjoined).then(|| {
            m.last_poll
                .plus(i64::from(self.config.max_poll_interval_ms) + 1)
        });
        let heartbeat =
            matches!(m.phase, MemberPhase::AwaitingSync | MemberPhase::Stable).then(|| {
                m.last_heartbeat
                    .plus(i64::from(self.config.heartbeat_interval_ms))
            });
        let rejoin =
            (m.rejoin.is_some() && self.rejoins_in_background() && m.phase != MemberPhase::Joining)
                .then_some(m.next_attempt);
        [poll_timeout, heartbeat, rejoin]
            .into_iter()
            .flatten()
            .min()
    }

    /// librdkafka runs the group protocol on its own thread; the Java
    /// consumer only from `poll()`.
    fn rejoins_in_background(&self) -> bool {
        self.config.flavour == ClientFlavour::Librdkafka
    }

    pub(crate) fn rebalance_protocol_is_eager(&self) -> bool {
        self.rebalance_protocol() == RebalanceProtocol::Eager
    }

    /// The rebalance protocol of the configured assignors.
    fn rebalance_protocol(&self) -> RebalanceProtocol {
        self.config
            .rebalance_protocol()
            .unwrap_or(RebalanceProtocol::Eager)
    }

    /// Group work that is due: the poll timeout, a heartbeat, a (re)join.
    /// `in_poll` says whether the application is in `poll()`.
    pub fn group_tick(
        &mut self,
        now: Millis,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
        in_poll: bool,
    ) -> Vec<CoordinatorResponse> {
        let Some(m) = self.membership.as_mut() else {
            return Vec::new();
        };
        if in_poll {
            m.last_poll = now;
        }
        let mut out = Vec::new();
        let max_poll = i64::from(self.config.max_poll_interval_ms);
        if m.phase != MemberPhase::Unjoined && now.since(m.last_poll) > max_poll {
            out.extend(self.leave_on_poll_timeout(now, coordinator));
        }
        let heartbeat_due = self.membership.as_ref().is_some_and(|m| {
            matches!(m.phase, MemberPhase::AwaitingSync | MemberPhase::Stable)
                && now.since(m.last_heartbeat) >= i64::from(self.config.heartbeat_interval_ms)
        });
        if heartbeat_due {
            self.send_heartbeat(now, coordinator);
        }
        self.check_metadata(cluster);
        let may_join = in_poll || self.rejoins_in_background();
        let join_due = self.membership.as_ref().is_some_and(|m| {
            // AwaitingSync too: a heartbeat said the group moved on.
            m.rejoin.is_some()
                && matches!(
                    m.phase,
                    MemberPhase::Unjoined | MemberPhase::Stable | MemberPhase::AwaitingSync
                )
                && now >= m.next_attempt
        });
        if may_join && join_due {
            out.extend(self.send_join(now, cluster, coordinator));
        }
        out
    }

    /// A stable member whose pattern now matches other topics, or a leader
    /// whose subscribed topics changed partition counts, rejoins.
    fn check_metadata(&mut self, cluster: &Cluster) {
        let Some(m) = self.membership.as_mut() else {
            return;
        };
        if m.phase != MemberPhase::Stable || m.rejoin.is_some() {
            return;
        }
        let topics = m.spec.resolve(cluster);
        if topics != m.joined_topics {
            m.rejoin = Some("the subscription's topics changed".to_owned());
            return;
        }
        if let Some(snapshot) = &m.assignment_snapshot {
            let now: Vec<(String, i32)> = snapshot
                .iter()
                .map(|(topic, _)| (topic.clone(), cluster.partition_count(topic).unwrap_or(-1)))
                .collect();
            if &now != snapshot {
                m.rejoin = Some("cached metadata has changed".to_owned());
            }
        }
    }

    fn leave_on_poll_timeout(
        &mut self,
        now: Millis,
        coordinator: &mut GroupCoordinator,
    ) -> Vec<CoordinatorResponse> {
        let max_poll = self.config.max_poll_interval_ms;
        let flavour = self.config.flavour;
        let client_id = self.config.client_id.clone();
        let is_static = self.config.group_instance_id.is_some();
        let Some(m) = self.membership.as_mut() else {
            return Vec::new();
        };
        let exceeded = now.since(m.last_poll) - i64::from(max_poll);
        let reason = match flavour {
            ClientFlavour::Java => "consumer poll timeout has expired. This means the time between subsequent calls to poll() \
                was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending \
                too much time processing messages. You can address this either by increasing max.poll.interval.ms or by \
                reducing the maximum size of batches returned in poll() with max.poll.records."
                .to_owned(),
            ClientFlavour::Librdkafka => format!(
                "Application maximum poll interval ({max_poll}ms) exceeded by {exceeded}ms (adjust max.poll.interval.ms for \
                 long-running message processing): leaving group"
            ),
        };
        self.events.push(
            now,
            Event::ConsumerLeftGroup {
                group: m.group_id.clone(),
                client_id,
                reason: reason.clone(),
            },
        );
        let mut out = Vec::new();
        // Static members do not send LeaveGroup: their session must expire.
        if !is_static && !m.member_id.is_empty() {
            let (_, responses) = coordinator.leave_group(&m.group_id, &m.member_id, &reason, now);
            out = responses;
        }
        m.reset_generation(true);
        m.lost = true;
        m.rejoin = Some("the consumer left after the poll timeout".to_owned());
        out
    }

    fn send_heartbeat(&mut self, now: Millis, coordinator: &mut GroupCoordinator) {
        let Some(m) = self.membership.as_mut() else {
            return;
        };
        m.last_heartbeat = now;
        match coordinator.heartbeat(&m.group_id, &m.member_id, m.generation, now) {
            None => {}
            Some(ErrorCode::RebalanceInProgress) => {
                m.rejoin
                    .get_or_insert_with(|| "group is already rebalancing".to_owned());
            }
            Some(ErrorCode::IllegalGeneration) => {
                m.reset_generation(false);
                m.lost = true;
                m.rejoin = Some("encountered IllegalGenerationException from heartbeat".to_owned());
            }
            Some(code) => {
                // UNKNOWN_MEMBER_ID and the rest: the coordinator no longer
                // knows us (session expired); start over.
                m.reset_generation(true);
                m.lost = true;
                m.rejoin = Some(format!(
                    "encountered {} from heartbeat",
                    code.exception_name()
                ));
            }
        }
    }

    /// onJoinPrepare, then JoinGroup.
    fn send_join(
        &mut self,
        now: Millis,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
    ) -> Vec<CoordinatorResponse> {
        let Some(group_id) = self.membership.as_ref().map(|m| m.group_id.clone()) else {
            return Vec::new();
        };
        if GroupCoordinator::find_coordinator(cluster, &group_id).is_err() {
            let backoff = i64::try_from(self.retry_backoff_ms()).unwrap_or(i64::MAX);
            if let Some(m) = self.membership.as_mut() {
                m.next_attempt = now.plus(backoff);
            }
            return Vec::new();
        }
        self.prepare_join(now, cluster, coordinator);
        self.join_request(now, cluster, coordinator)
    }

    fn retry_backoff_ms(&self) -> u64 {
        match &self.config.client {
            crate::consumer_config::ConsumerClientSettings::Java(java) => java.retry_backoff_ms,
            crate::consumer_config::ConsumerClientSettings::Librdkafka(rdk) => {
                u64::from(rdk.retry_backoff_ms)
            }
        }
    }

    /// Java's `onJoinPrepare`: commit if auto-committing, then give up
    /// partitions: all of them (eager), those lost, or (cooperative) only
    /// those of topics no longer subscribed.
    fn prepare_join(
        &mut self,
        now: Millis,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
    ) {
        let Some(m) = self.membership.as_ref() else {
            return;
        };
        let lost = m.lost;
        let group = m.group_id.clone();
        if self.config.enable_auto_commit && !lost && m.generation >= 0 {
            let _ = self.commit(cluster, coordinator);
        }
        let owned = self.assignment.clone();
        let client_id = self.config.client_id.clone();
        if lost {
            if !owned.is_empty() {
                self.events.push(
                    now,
                    Event::PartitionsLost {
                        group,
                        client_id,
                        partitions: owned,
                    },
                );
            }
            self.assign_internal(Vec::new());
        } else if self.rebalance_protocol() == RebalanceProtocol::Eager {
            if !owned.is_empty() {
                self.events.push(
                    now,
                    Event::PartitionsRevoked {
                        group,
                        client_id,
                        partitions: owned,
                    },
                );
            }
            self.assign_internal(Vec::new());
        } else {
            let topics = self
                .membership
                .as_ref()
                .map(|m| m.spec.resolve(cluster))
                .unwrap_or_default();
            let (keep, drop): (Vec<_>, Vec<_>) =
                owned.into_iter().partition(|tp| topics.contains(&tp.topic));
            if !drop.is_empty() {
                self.events.push(
                    now,
                    Event::PartitionsRevoked {
                        group,
                        client_id,
                        partitions: drop,
                    },
                );
                self.assign_internal(keep);
            }
        }
        if let Some(m) = self.membership.as_mut() {
            m.lost = false;
        }
    }

    fn join_request(
        &mut self,
        now: Millis,
        cluster: &Cluster,
        coordinator: &mut GroupCoordinator,
    ) -> Vec<CoordinatorResponse> {
        let owned = self.assignment.clone();
        let rack = self.config.client_rack.clone();
        let strategies = self.config.assignment_strategies.clone();
        let Some(m) = self.membership.as_mut() else {
            return Vec::new();
        };
        let topics = m.spec.resolve(cluster);
        m.joined_topics = topics.clone();
        let protocols = strategies
            .iter()
            .map(|kind| {
                let user_data = kind
                    .subscription_user_data(m.last_state.as_ref())
                    .unwrap_or(None);
                let subscription = ProtocolSubscription {
                    topics: topics.clone(),
                    user_data,
                    owned_partitions: owned.clone(),
                    generation_id: m.generation,
                    rack_id: rack.clone(),
                };
                (
                    kind.name().to_owned(),
                    subscription.encode(SUBSCRIPTION_VERSION),
                )
            })
            .collect();
        m.phase = MemberPhase::Joining;
        let request = JoinGroupRequest {
            group_id: m.group_id.clone(),
            member_id: m.member_id.clone(),
            group_instance_id: self.config.group_instance_id.clone(),
            client_id: self.config.client_id.clone(),
            session_timeout_ms: i64::from(self.config.session_timeout_ms),
            rebalance_timeout_ms: i64::from(self.config.max_poll_interval_ms),
            protocol_type: "consumer".to_owned(),
            protocols,
        };
        coordinator.join_group(request, now)
    }

    /// An answer from the coordinator addressed to this consumer.
    pub fn on_group_response(
        &mut self,
        response: CoordinatorResponse,
        now: Millis,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
    ) -> Vec<CoordinatorResponse> {
        match response {
            CoordinatorResponse::Join { response, .. } => {
                self.on_join_response(response, now, cluster, coordinator)
            }
            CoordinatorResponse::Sync { result, .. } => {
                self.on_sync_response(result, now);
                Vec::new()
            }
        }
    }

    fn on_join_response(
        &mut self,
        response: JoinGroupResponse,
        now: Millis,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
    ) -> Vec<CoordinatorResponse> {
        let backoff = i64::try_from(self.retry_backoff_ms()).unwrap_or(i64::MAX);
        let flavour = self.config.flavour;
        let Some(m) = self.membership.as_mut() else {
            return Vec::new();
        };
        if m.phase != MemberPhase::Joining {
            return Vec::new();
        }
        match response.error {
            None => {}
            Some(ErrorCode::MemberIdRequired) => {
                // KIP-394: rejoin at once with the id we were given.
                m.member_id = response.member_id;
                return self.join_request(now, cluster, coordinator);
            }
            Some(ErrorCode::UnknownMemberId) => {
                m.reset_generation(true);
                m.next_attempt = now;
                return Vec::new();
            }
            Some(code) => {
                m.phase = MemberPhase::Unjoined;
                m.next_attempt = now.plus(backoff);
                if matches!(
                    code,
                    ErrorCode::InconsistentGroupProtocol
                        | ErrorCode::InvalidSessionTimeout
                        | ErrorCode::GroupMaxSizeReached
                        | ErrorCode::InvalidGroupId
                        | ErrorCode::FencedInstanceId
                ) {
                    self.fatal = Some(ConsumerError::new(match flavour {
                        ClientFlavour::Java => format!(
                            "org.apache.kafka.common.errors.{}: {}",
                            code.exception_name(),
                            code.message()
                        ),
                        ClientFlavour::Librdkafka => {
                            format!("JoinGroup failed: Broker: {}", code.message())
                        }
                    }));
                }
                return Vec::new();
            }
        }
        m.member_id = response.member_id.clone();
        m.generation = response.generation_id;
        m.protocol = response
            .protocol_name
            .as_deref()
            .and_then(|p| p.parse().ok());
        m.leader = Some(response.leader.clone());
        m.phase = MemberPhase::AwaitingSync;
        m.last_heartbeat = now;
        let group_id = m.group_id.clone();
        let member_id = m.member_id.clone();
        let generation = m.generation;
        m.assignment_snapshot = None;
        let assignments = if response.leader == response.member_id {
            self.compute_assignment(&response, cluster)
        } else {
            Vec::new()
        };
        coordinator.sync_group(&group_id, &member_id, generation, assignments, now)
    }

    /// The leader's part: every member's subscription in, each member's
    /// encoded assignment out (Java's `onLeaderElected`).
    fn compute_assignment(
        &mut self,
        response: &JoinGroupResponse,
        cluster: &Cluster,
    ) -> Vec<(String, Vec<u8>)> {
        let Some(kind) = response
            .protocol_name
            .as_deref()
            .and_then(|p| p.parse::<AssignorKind>().ok())
        else {
            return Vec::new();
        };
        let mut subscriptions = OrdMap::new();
        let mut partitions = PartitionsPerTopic::new();
        for member in &response.members {
            // A member whose metadata cannot be read subscribes to nothing.
            let decoded = ProtocolSubscription::decode(&member.metadata).unwrap_or_default();
            for topic in &decoded.topics {
                if let Ok(count) = cluster.partition_count(topic) {
                    partitions.insert_topic(topic.clone(), count);
                }
            }
            let mut subscription = Subscription::new(decoded.topics)
                .with_owned_partitions(decoded.owned_partitions)
                .with_generation(decoded.generation_id);
            subscription.user_data = decoded.user_data;
            subscription.rack_id = decoded.rack_id;
            subscription.group_instance_id = member.group_instance_id.clone();
            subscriptions.insert(member.member_id.clone(), subscription);
        }
        if let Some(m) = self.membership.as_mut() {
            let mut topics: Vec<&String> = subscriptions.values().flat_map(|s| &s.topics).collect();
            crate::compact_sort::sort(&mut topics);
            topics.dedup();
            m.assignment_snapshot = Some(
                topics
                    .into_iter()
                    .map(|t| (t.clone(), partitions.partition_count(t).unwrap_or(-1)))
                    .collect(),
            );
        }
        let assignment = kind
            .assign(&partitions, &subscriptions)
            .unwrap_or_else(|_| {
                subscriptions
                    .keys()
                    .map(|id| (id.clone(), Vec::new()))
                    .collect_map()
            });
        // The coordinator tells what the assignor decided when this
        // leader's SyncGroup arrives (Event::AssignmentComputed).
        assignment
            .into_iter()
            .map(|(id, tps)| {
                let bytes = ProtocolAssignment {
                    partitions: tps,
                    user_data: None,
                }
                .encode(ASSIGNMENT_VERSION);
                (id, bytes)
            })
            .collect()
    }

    /// Java's `onJoinComplete`.
    fn on_sync_response(&mut self, result: Result<Vec<u8>, ErrorCode>, now: Millis) {
        let protocol = self.rebalance_protocol();
        let client_id = self.config.client_id.clone();
        let Some(m) = self.membership.as_mut() else {
            return;
        };
        if m.phase != MemberPhase::AwaitingSync {
            return;
        }
        let bytes = match result {
            Ok(bytes) => bytes,
            Err(ErrorCode::RebalanceInProgress) => {
                m.phase = MemberPhase::Unjoined;
                m.rejoin = Some("group is already rebalancing".to_owned());
                return;
            }
            Err(ErrorCode::IllegalGeneration) => {
                m.reset_generation(false);
                m.lost = true;
                m.rejoin = Some("encountered IllegalGenerationException from SyncGroup".to_owned());
                return;
            }
            Err(code) => {
                m.reset_generation(true);
                m.lost = true;
                m.rejoin = Some(format!(
                    "encountered {} from SyncGroup",
                    code.exception_name()
                ));
                return;
            }
        };
        let Ok(assignment) = ProtocolAssignment::decode(&bytes) else {
            m.phase = MemberPhase::Unjoined;
            m.rejoin = Some("the assignment could not be read".to_owned());
            return;
        };
        let group = m.group_id.clone();
        let generation = m.generation;
        m.phase = MemberPhase::Stable;
        m.rejoin = None;
        m.last_state = Some(MemberState {
            assigned: assignment.partitions.clone(),
            generation,
        });
        let owned = self.assignment.clone();
        let new = assignment.partitions;
        let added: Vec<TopicPartition> = new
            .iter()
            .filter(|tp| !owned.contains(tp))
            .cloned()
            .collect();
        let revoked: Vec<TopicPartition> = owned
            .iter()
            .filter(|tp| !new.contains(tp))
            .cloned()
            .collect();
        if !revoked.is_empty() {
            self.events.push(
                now,
                Event::PartitionsRevoked {
                    group: group.clone(),
                    client_id: client_id.clone(),
                    partitions: revoked.clone(),
                },
            );
        }
        self.events.push(
            now,
            Event::PartitionsAssigned {
                group,
                client_id,
                generation,
                partitions: added,
            },
        );
        self.assign_internal(new);
        if protocol == RebalanceProtocol::Cooperative && !revoked.is_empty() {
            if let Some(m) = self.membership.as_mut() {
                let list = revoked
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                m.rejoin = Some(format!("need to revoke partitions [{list}] as indicated by the current assignment and re-join"));
            }
        }
    }

    /// `close()` / `unsubscribe()`: commit (auto-commit), revoke, and
    /// LeaveGroup — except a static member, which leaves silently and
    /// keeps its place for `session.timeout.ms`.
    pub(crate) fn leave_group(
        &mut self,
        now: Millis,
        reason: &str,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
    ) -> Vec<CoordinatorResponse> {
        let Some(m) = self.membership.as_ref() else {
            return Vec::new();
        };
        let group = m.group_id.clone();
        let member_id = m.member_id.clone();
        let joined = m.generation >= 0;
        if self.config.enable_auto_commit && joined {
            let _ = self.commit(cluster, coordinator);
        }
        let owned = self.assignment.clone();
        if !owned.is_empty() {
            self.events.push(
                now,
                Event::PartitionsRevoked {
                    group: group.clone(),
                    client_id: self.config.client_id.clone(),
                    partitions: owned,
                },
            );
        }
        self.assign_internal(Vec::new());
        self.membership = None;
        if self.config.group_instance_id.is_some() || member_id.is_empty() {
            return Vec::new();
        }
        coordinator.leave_group(&group, &member_id, reason, now).1
    }
}
