//! The group coordinator of Kafka's classic consumer protocol, as a state
//! machine: JoinGroup, SyncGroup, Heartbeat and LeaveGroup in, responses
//! out, time passed in by the caller.
//!
//! A group moves through Kafka's states: `Empty` (no members),
//! `PreparingRebalance` (waiting for every member to (re)join, at most the
//! rebalance timeout; the first rebalance of an empty group also waits
//! `group.initial.rebalance.delay.ms` for more members), `CompletingRebalance`
//! (generation bumped, leader chosen, waiting for the leader's SyncGroup
//! with the assignment it computed) and `Stable`. Members that stop
//! heartbeating for `session.timeout.ms`, or leave, trigger a rebalance;
//! members that do not rejoin in time are dropped. New members first get
//! `MEMBER_ID_REQUIRED` with the id to rejoin with (KIP-394). Static
//! members (`group.instance.id`) rejoin without a rebalance.
//!
//! JoinGroup and SyncGroup are delayed operations in Kafka: their answers
//! come when the rebalance gets that far. Here they come back from the
//! call that completes them or from [`GroupCoordinator::tick`], as
//! [`CoordinatorResponse`]s for the member they are addressed to.

use crate::collections::OrdMap;

use crate::clock::Millis;
use crate::error::ErrorCode;
use crate::events::{Event, EventLog, MemberRemovedReason, TimedEvent};
use crate::group::protocol::ProtocolAssignment;

/// Broker settings of the coordinator, with Kafka's names and defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoordinatorConfig {
    /// `group.initial.rebalance.delay.ms`.
    pub group_initial_rebalance_delay_ms: i64,
    /// `group.min.session.timeout.ms`.
    pub group_min_session_timeout_ms: i64,
    /// `group.max.session.timeout.ms`.
    pub group_max_session_timeout_ms: i64,
    /// `group.max.size`.
    pub group_max_size: usize,
}

impl Default for CoordinatorConfig {
    fn default() -> Self {
        Self {
            group_initial_rebalance_delay_ms: 3_000,
            group_min_session_timeout_ms: 6_000,
            group_max_session_timeout_ms: 1_800_000,
            group_max_size: usize::MAX,
        }
    }
}

/// Kafka's group states (`ClassicGroupState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum GroupState {
    /// No members.
    #[default]
    Empty,
    /// Waiting for members to join.
    PreparingRebalance,
    /// Waiting for the leader's assignment.
    CompletingRebalance,
    /// Every member has its assignment.
    Stable,
    /// Removed.
    Dead,
}

impl GroupState {
    /// The name `kafka-consumer-groups --describe --state` prints.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
            GroupState::Dead => "Dead",
        }
    }
}

/// A JoinGroup request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinGroupRequest {
    /// The group.
    pub group_id: String,
    /// Empty on the first join.
    pub member_id: String,
    /// `group.instance.id` for static membership.
    pub group_instance_id: Option<String>,
    /// The client's `client.id`.
    pub client_id: String,
    /// `session.timeout.ms`.
    pub session_timeout_ms: i64,
    /// `max.poll.interval.ms`: how long a rebalance waits for this member.
    pub rebalance_timeout_ms: i64,
    /// `consumer` for consumers.
    pub protocol_type: String,
    /// Assignor names with their subscription metadata, in preference order.
    pub protocols: Vec<(String, Vec<u8>)>,
}

/// A member as the leader sees it in its JoinGroup response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinedMember {
    /// Member id.
    pub member_id: String,
    /// Static instance id, if any.
    pub group_instance_id: Option<String>,
    /// Its metadata for the chosen protocol.
    pub metadata: Vec<u8>,
}

/// A JoinGroup response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinGroupResponse {
    /// `None` or the error.
    pub error: Option<ErrorCode>,
    /// The new generation.
    pub generation_id: i32,
    /// The assignor every member supports.
    pub protocol_name: Option<String>,
    /// The leader's member id.
    pub leader: String,
    /// This member's id (the one to use from now on).
    pub member_id: String,
    /// Every member, for the leader only (empty for followers).
    pub members: Vec<JoinedMember>,
    /// The static member this answers, if any. Not a field of Kafka's
    /// response (which travels back on the request's connection): the
    /// playground routes with it, since a new static member learns its
    /// member id only from this answer.
    pub group_instance_id: Option<String>,
}

/// Answers the coordinator sends when a delayed operation completes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoordinatorResponse {
    /// The answer to a member's JoinGroup.
    Join {
        /// The group.
        group_id: String,
        /// The response.
        response: JoinGroupResponse,
    },
    /// The answer to a member's SyncGroup: its assignment or an error.
    Sync {
        /// The group.
        group_id: String,
        /// The member.
        member_id: String,
        /// The member's assignment bytes, or the error.
        result: Result<Vec<u8>, ErrorCode>,
    },
}

#[derive(Debug, Clone)]
struct Member {
    group_instance_id: Option<String>,
    client_id: String,
    session_timeout_ms: i64,
    rebalance_timeout_ms: i64,
    protocols: Vec<(String, Vec<u8>)>,
    last_heartbeat: Millis,
    awaiting_join: bool,
    awaiting_sync: bool,
    assignment: Vec<u8>,
}

#[derive(Debug, Clone)]
struct Group {
    state: GroupState,
    generation: i32,
    protocol_type: Option<String>,
    protocol_name: Option<String>,
    leader: Option<String>,
    members: OrdMap<String, Member>,
    /// Ids handed out with MEMBER_ID_REQUIRED, not joined yet.
    pending_members: Vec<(String, Millis)>,
    /// When the current join phase ends at the latest.
    join_deadline: Option<Millis>,
    /// First rebalance of an empty group: not before this.
    initial_delay_until: Option<Millis>,
}

impl Group {
    fn new() -> Self {
        Self {
            state: GroupState::Empty,
            generation: 0,
            protocol_type: None,
            protocol_name: None,
            leader: None,
            members: OrdMap::new(),
            pending_members: Vec::new(),
            join_deadline: None,
            initial_delay_until: None,
        }
    }
}

/// A group as `kafka-consumer-groups --describe` shows it (by default, an
/// `Empty` group without members).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupDescription {
    /// The state.
    pub state: GroupState,
    /// The current generation.
    pub generation_id: i32,
    /// The chosen assignor.
    pub protocol_name: Option<String>,
    /// The leader.
    pub leader: Option<String>,
    /// Members: id, client id, instance id, assignment bytes.
    pub members: Vec<(String, String, Option<String>, Vec<u8>)>,
}

/// The coordinator of every group.
#[derive(Debug, Clone, Default)]
pub struct GroupCoordinator {
    config: CoordinatorConfig,
    groups: OrdMap<String, Group>,
    next_member: u64,
    /// Committed offsets per group (see [`super::offsets`]).
    pub(crate) offsets: super::offsets::OffsetCache,
    /// What happened, for the UI to step through.
    pub(crate) events: EventLog,
}

impl GroupCoordinator {
    /// A coordinator with these settings.
    #[must_use]
    pub fn new(config: CoordinatorConfig) -> Self {
        Self {
            config,
            groups: OrdMap::new(),
            next_member: 1,
            offsets: OrdMap::new(),
            events: EventLog::default(),
        }
    }

    /// The coordinator's broker settings.
    #[must_use]
    pub fn config(&self) -> &CoordinatorConfig {
        &self.config
    }

    /// Takes the events since the last call: members joining and leaving,
    /// rebalances with their reasons, generations, commits.
    pub fn drain_events(&mut self) -> Vec<TimedEvent> {
        self.events.drain()
    }

    /// The earliest time at which [`Self::tick`] has something to do: a
    /// session to expire, a join phase to end. `None` when nothing waits.
    #[must_use]
    pub fn next_wakeup(&self) -> Option<Millis> {
        self.groups
            .values()
            .flat_map(|g| {
                let sessions = g
                    .members
                    .values()
                    .filter(|m| !m.awaiting_join)
                    .map(|m| m.last_heartbeat.plus(m.session_timeout_ms + 1));
                let join = if g.state == GroupState::PreparingRebalance {
                    let all_joined = g.members.values().all(|m| m.awaiting_join);
                    match (all_joined, g.initial_delay_until) {
                        (true, Some(t)) => Some(t),
                        _ => g.join_deadline,
                    }
                } else {
                    None
                };
                sessions.chain(join)
            })
            .min()
    }

    /// The state of a group (`Dead` if unknown).
    #[must_use]
    pub fn state(&self, group_id: &str) -> GroupState {
        match self.groups.get(group_id) {
            Some(g) => g.state,
            // Known only by committed offsets: Kafka keeps it as Empty.
            None if self.offsets.contains_key(group_id) => GroupState::Empty,
            None => GroupState::Dead,
        }
    }

    /// Group ids and states (ListGroups), groups known only by committed
    /// offsets included (as `Empty`).
    #[must_use]
    pub fn list_groups(&self) -> Vec<(String, GroupState)> {
        self.known_groups()
            .into_iter()
            .map(|id| {
                let state = self.state(&id);
                (id, state)
            })
            .collect()
    }

    /// Every group id the coordinator knows (ListGroups): groups with
    /// members or a state, and groups known only by committed offsets
    /// (which Kafka lists as `Empty`), sorted.
    #[must_use]
    pub fn known_groups(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .groups
            .keys()
            .chain(self.offsets.keys())
            .cloned()
            .collect();
        crate::compact_sort::sort(&mut ids);
        ids.dedup();
        ids
    }

    /// DescribeGroups for one group.
    #[must_use]
    pub fn describe(&self, group_id: &str) -> Option<GroupDescription> {
        let Some(group) = self.groups.get(group_id) else {
            // Known only by committed offsets (simple commits, or members
            // long gone): an Empty group without members.
            return self
                .offsets
                .contains_key(group_id)
                .then(GroupDescription::default);
        };
        Some(GroupDescription {
            state: group.state,
            generation_id: group.generation,
            protocol_name: group.protocol_name.clone(),
            leader: group.leader.clone(),
            members: group
                .members
                .iter()
                .map(|(id, m)| {
                    (
                        id.clone(),
                        m.client_id.clone(),
                        m.group_instance_id.clone(),
                        m.assignment.clone(),
                    )
                })
                .collect(),
        })
    }

    /// Whether the group has members or a state of its own (not only
    /// committed offsets).
    pub(crate) fn has_group(&self, group_id: &str) -> bool {
        self.groups.contains_key(group_id)
    }

    /// Forgets a group without members (DeleteGroups; its offsets are the
    /// caller's).
    pub(crate) fn forget_group(&mut self, group_id: &str) {
        self.groups.remove(group_id);
    }

    /// JoinGroup. An immediate error or `MEMBER_ID_REQUIRED` comes back at
    /// once; otherwise the member's answer is among the responses of this
    /// or a later call, when the rebalance completes.
    pub fn join_group(
        &mut self,
        request: JoinGroupRequest,
        now: Millis,
    ) -> Vec<CoordinatorResponse> {
        let reject = |error: ErrorCode, member_id: &str| {
            vec![CoordinatorResponse::Join {
                group_id: request.group_id.clone(),
                response: JoinGroupResponse {
                    error: Some(error),
                    generation_id: -1,
                    protocol_name: None,
                    leader: String::new(),
                    member_id: member_id.to_owned(),
                    members: Vec::new(),
                    group_instance_id: request.group_instance_id.clone(),
                },
            }]
        };
        if request.group_id.is_empty() {
            return reject(ErrorCode::InvalidGroupId, &request.member_id);
        }
        if request.session_timeout_ms < self.config.group_min_session_timeout_ms
            || request.session_timeout_ms > self.config.group_max_session_timeout_ms
        {
            return reject(ErrorCode::InvalidSessionTimeout, &request.member_id);
        }
        let config = self.config;
        let events = &mut self.events;
        let group = self
            .groups
            .entry(request.group_id.clone())
            .or_insert_with(Group::new);
        if request.protocols.is_empty()
            || group
                .protocol_type
                .as_ref()
                .is_some_and(|t| t != &request.protocol_type && !group.members.is_empty())
            || (!group.members.is_empty() && !supports_common_protocol(group, &request.protocols))
        {
            return reject(ErrorCode::InconsistentGroupProtocol, &request.member_id);
        }

        // Static member rejoining with a new member id: take over the old
        // one's place without a rebalance (KIP-345).
        if request.member_id.is_empty() {
            if let Some(instance) = &request.group_instance_id {
                let old = group
                    .members
                    .iter()
                    .find(|(_, m)| m.group_instance_id.as_ref() == Some(instance))
                    .map(|(id, _)| id.clone());
                if let Some(old_id) = old {
                    let new_id = format!("{}-{}", instance, self.next_member);
                    self.next_member += 1;
                    if let Some(mut member) = group.members.remove(&old_id) {
                        member.last_heartbeat = now;
                        member.protocols = request.protocols.clone();
                        group.members.insert(new_id.clone(), member);
                        if group.leader.as_deref() == Some(old_id.as_str()) {
                            group.leader = Some(new_id.clone());
                        }
                    }
                    if group.state == GroupState::Stable {
                        return vec![CoordinatorResponse::Join {
                            group_id: request.group_id.clone(),
                            response: join_response(group, &new_id),
                        }];
                    }
                    return Self::add_or_update(group, &new_id, request, now, config, events);
                }
            } else {
                // KIP-394: hand out an id, and expect the member back with it.
                let new_id = format!("{}-{}", request.client_id, self.next_member);
                self.next_member += 1;
                group.pending_members.push((new_id.clone(), now));
                return reject(ErrorCode::MemberIdRequired, &new_id);
            }
        }
        let member_id = if request.member_id.is_empty() {
            let id = format!(
                "{}-{}",
                request.group_instance_id.clone().unwrap_or_default(),
                self.next_member
            );
            self.next_member += 1;
            id
        } else {
            request.member_id.clone()
        };
        // A new static member joins at once; a dynamic one must use the id
        // it was given with MEMBER_ID_REQUIRED.
        let known = request.member_id.is_empty()
            || group.members.contains_key(&member_id)
            || match group
                .pending_members
                .iter()
                .position(|(id, _)| *id == member_id)
            {
                Some(at) => {
                    group.pending_members.swap_remove(at);
                    true
                }
                None => false,
            };
        if !known {
            return reject(ErrorCode::UnknownMemberId, &member_id);
        }
        if !group.members.contains_key(&member_id) && group.members.len() >= config.group_max_size {
            return reject(ErrorCode::GroupMaxSizeReached, &member_id);
        }
        Self::add_or_update(group, &member_id, request, now, config, events)
    }

    fn add_or_update(
        group: &mut Group,
        member_id: &str,
        request: JoinGroupRequest,
        now: Millis,
        config: CoordinatorConfig,
        events: &mut EventLog,
    ) -> Vec<CoordinatorResponse> {
        let group_id = request.group_id;
        let unchanged = group
            .members
            .get(member_id)
            .is_some_and(|m| m.protocols == request.protocols);
        let is_new = !group.members.contains_key(member_id);
        if is_new {
            events.push(
                now,
                Event::MemberJoined {
                    group: group_id.clone(),
                    member_id: member_id.to_owned(),
                    client_id: request.client_id.clone(),
                    group_instance_id: request.group_instance_id.clone(),
                },
            );
        }
        let member = group
            .members
            .entry(member_id.to_owned())
            .or_insert_with(|| Member {
                group_instance_id: request.group_instance_id.clone(),
                client_id: request.client_id.clone(),
                session_timeout_ms: request.session_timeout_ms,
                rebalance_timeout_ms: request.rebalance_timeout_ms,
                protocols: Vec::new(),
                last_heartbeat: now,
                awaiting_join: false,
                awaiting_sync: false,
                assignment: Vec::new(),
            });
        member.protocols = request.protocols;
        member.session_timeout_ms = request.session_timeout_ms;
        member.rebalance_timeout_ms = request.rebalance_timeout_ms;
        member.last_heartbeat = now;
        group.protocol_type = Some(request.protocol_type);
        let is_leader = group.leader.as_deref() == Some(member_id);
        match group.state {
            // A follower rejoining a stable group with the same metadata
            // gets the current generation back: no rebalance.
            GroupState::Stable if unchanged && !is_leader => vec![CoordinatorResponse::Join {
                group_id,
                response: join_response(group, member_id),
            }],
            GroupState::PreparingRebalance => {
                if let Some(m) = group.members.get_mut(member_id) {
                    m.awaiting_join = true;
                }
                Self::try_complete_join(group, &group_id, now, events)
            }
            GroupState::Empty
            | GroupState::Stable
            | GroupState::CompletingRebalance
            | GroupState::Dead => {
                // Kafka's reasons, as its coordinator logs them.
                let reason = if is_new {
                    format!(
                        "Adding new member {member_id} with group instance id {}",
                        group
                            .members
                            .get(member_id)
                            .and_then(|m| m.group_instance_id.clone())
                            .map_or("None".to_owned(), |i| format!("Some({i})"))
                    )
                } else if is_leader && group.state == GroupState::Stable {
                    format!("Leader {member_id} re-joining group during Stable")
                } else {
                    format!(
                        "Updating metadata for member {member_id} during {}",
                        group.state.name()
                    )
                };
                let mut responses =
                    Self::prepare_rebalance(group, &group_id, now, config, reason, events);
                if let Some(m) = group.members.get_mut(member_id) {
                    m.awaiting_join = true;
                }
                responses.extend(Self::try_complete_join(group, &group_id, now, events));
                responses
            }
        }
    }

    fn prepare_rebalance(
        group: &mut Group,
        group_id: &str,
        now: Millis,
        config: CoordinatorConfig,
        reason: String,
        events: &mut EventLog,
    ) -> Vec<CoordinatorResponse> {
        events.push(
            now,
            Event::RebalanceStarted {
                group: group_id.to_owned(),
                reason,
            },
        );
        let was_empty = matches!(group.state, GroupState::Empty | GroupState::Dead);
        // Every member must join again. Followers waiting in SyncGroup are
        // answered REBALANCE_IN_PROGRESS; the others learn of the
        // rebalance from their next heartbeat.
        let mut responses = Vec::new();
        for (id, member) in &mut group.members {
            if member.awaiting_sync {
                responses.push(CoordinatorResponse::Sync {
                    group_id: group_id.to_owned(),
                    member_id: id.clone(),
                    result: Err(ErrorCode::RebalanceInProgress),
                });
            }
            member.awaiting_join = false;
            member.awaiting_sync = false;
        }
        group.state = GroupState::PreparingRebalance;
        let timeout = group
            .members
            .values()
            .map(|m| m.rebalance_timeout_ms)
            .max()
            .unwrap_or(0);
        group.join_deadline = Some(now.plus(timeout));
        group.initial_delay_until = if was_empty && config.group_initial_rebalance_delay_ms > 0 {
            Some(now.plus(config.group_initial_rebalance_delay_ms.min(timeout.max(0))))
        } else {
            None
        };
        responses
    }

    /// Completes the join phase once every member has rejoined (and the
    /// initial delay passed), or at the deadline without the stragglers.
    fn try_complete_join(
        group: &mut Group,
        group_id: &str,
        now: Millis,
        events: &mut EventLog,
    ) -> Vec<CoordinatorResponse> {
        if group.state != GroupState::PreparingRebalance {
            return Vec::new();
        }
        let all_joined = group.members.values().all(|m| m.awaiting_join);
        let delay_over = group.initial_delay_until.is_none_or(|t| now >= t);
        let deadline_passed = group.join_deadline.is_some_and(|t| now >= t);
        if !(deadline_passed || (all_joined && delay_over)) {
            return Vec::new();
        }
        let stragglers: Vec<String> = group
            .members
            .iter()
            .filter(|(_, m)| !m.awaiting_join)
            .map(|(id, _)| id.clone())
            .collect();
        for id in stragglers {
            group.members.remove(&id);
            events.push(
                now,
                Event::MemberRemoved {
                    group: group_id.to_owned(),
                    member_id: id,
                    reason: MemberRemovedReason::DidNotRejoin,
                },
            );
        }
        if group.members.is_empty() {
            group.state = GroupState::Empty;
            group.generation += 1;
            group.leader = None;
            group.protocol_name = None;
            events.push(
                now,
                Event::GroupEmpty {
                    group: group_id.to_owned(),
                    generation: group.generation,
                },
            );
            return Vec::new();
        }
        group.generation += 1;
        group.protocol_name = choose_protocol(group);
        if group
            .leader
            .as_ref()
            .is_none_or(|l| !group.members.contains_key(l))
        {
            group.leader = group.members.keys().next().cloned();
        }
        group.state = GroupState::CompletingRebalance;
        group.join_deadline = None;
        group.initial_delay_until = None;
        let ids: Vec<String> = group.members.keys().cloned().collect();
        events.push(
            now,
            Event::GenerationStarted {
                group: group_id.to_owned(),
                generation: group.generation,
                leader: group.leader.clone().unwrap_or_default(),
                protocol: group.protocol_name.clone().unwrap_or_default(),
                members: ids.clone(),
            },
        );
        let mut responses = Vec::new();
        for id in ids {
            if let Some(member) = group.members.get_mut(&id) {
                member.awaiting_join = false;
                member.last_heartbeat = now;
            }
            responses.push(CoordinatorResponse::Join {
                group_id: group_id.to_owned(),
                response: join_response(group, &id),
            });
        }
        responses
    }

    /// SyncGroup. The leader's call carries the assignment; every member's
    /// answer comes once the leader has synced.
    pub fn sync_group(
        &mut self,
        group_id: &str,
        member_id: &str,
        generation_id: i32,
        assignments: Vec<(String, Vec<u8>)>,
        now: Millis,
    ) -> Vec<CoordinatorResponse> {
        let fail = |error| {
            vec![CoordinatorResponse::Sync {
                group_id: group_id.to_owned(),
                member_id: member_id.to_owned(),
                result: Err(error),
            }]
        };
        let Some(group) = self.groups.get_mut(group_id) else {
            return fail(ErrorCode::UnknownMemberId);
        };
        if !group.members.contains_key(member_id) {
            return fail(ErrorCode::UnknownMemberId);
        }
        if generation_id != group.generation {
            return fail(ErrorCode::IllegalGeneration);
        }
        match group.state {
            GroupState::PreparingRebalance => fail(ErrorCode::RebalanceInProgress),
            GroupState::Stable => {
                let assignment = group
                    .members
                    .get(member_id)
                    .map(|m| m.assignment.clone())
                    .unwrap_or_default();
                vec![CoordinatorResponse::Sync {
                    group_id: group_id.to_owned(),
                    member_id: member_id.to_owned(),
                    result: Ok(assignment),
                }]
            }
            GroupState::Empty | GroupState::Dead => fail(ErrorCode::UnknownMemberId),
            GroupState::CompletingRebalance => {
                if let Some(member) = group.members.get_mut(member_id) {
                    member.awaiting_sync = true;
                }
                if group.leader.as_deref() != Some(member_id) {
                    return Vec::new();
                }
                for member in group.members.values_mut() {
                    member.assignment.clear();
                }
                for (id, bytes) in assignments {
                    if let Some(member) = group.members.get_mut(&id) {
                        member.assignment = bytes;
                    }
                }
                // What the leader's assignor decided, as the coordinator
                // receives it: for every consumer group, whichever client
                // led it (a simulated consumer or a real one over the
                // Kafka protocol).
                if group.protocol_type.as_deref() == Some("consumer") {
                    let decoded: Option<Vec<_>> = group
                        .members
                        .iter()
                        .map(|(id, m)| {
                            let partitions = if m.assignment.is_empty() {
                                Vec::new()
                            } else {
                                ProtocolAssignment::decode(&m.assignment).ok()?.partitions
                            };
                            Some((id.clone(), partitions))
                        })
                        .collect();
                    if let Some(assignment) = decoded {
                        self.events.push(
                            now,
                            Event::AssignmentComputed {
                                group: group_id.to_owned(),
                                generation: group.generation,
                                leader: member_id.to_owned(),
                                assignor: group.protocol_name.clone().unwrap_or_default(),
                                assignment,
                            },
                        );
                    }
                }
                group.state = GroupState::Stable;
                self.events.push(
                    now,
                    Event::GroupStable {
                        group: group_id.to_owned(),
                        generation: group.generation,
                    },
                );
                let mut responses = Vec::new();
                for (id, member) in &mut group.members {
                    if member.awaiting_sync {
                        member.awaiting_sync = false;
                        responses.push(CoordinatorResponse::Sync {
                            group_id: group_id.to_owned(),
                            member_id: id.clone(),
                            result: Ok(member.assignment.clone()),
                        });
                    }
                }
                responses
            }
        }
    }

    /// Heartbeat: keeps the member's session alive, and tells it to rejoin
    /// when a rebalance is under way.
    pub fn heartbeat(
        &mut self,
        group_id: &str,
        member_id: &str,
        generation_id: i32,
        now: Millis,
    ) -> Option<ErrorCode> {
        let Some(group) = self.groups.get_mut(group_id) else {
            return Some(ErrorCode::UnknownMemberId);
        };
        let Some(member) = group.members.get_mut(member_id) else {
            return Some(ErrorCode::UnknownMemberId);
        };
        member.last_heartbeat = now;
        if generation_id != group.generation {
            return Some(ErrorCode::IllegalGeneration);
        }
        match group.state {
            GroupState::PreparingRebalance => Some(ErrorCode::RebalanceInProgress),
            GroupState::CompletingRebalance | GroupState::Stable => None,
            GroupState::Empty | GroupState::Dead => Some(ErrorCode::UnknownMemberId),
        }
    }

    /// LeaveGroup: the member goes now, and the others rebalance.
    ///
    /// `reason` is the client's (LeaveGroup v5+), e.g. "the consumer is
    /// being closed".
    pub fn leave_group(
        &mut self,
        group_id: &str,
        member_id: &str,
        reason: &str,
        now: Millis,
    ) -> (Option<ErrorCode>, Vec<CoordinatorResponse>) {
        let config = self.config;
        let Some(group) = self.groups.get_mut(group_id) else {
            return (Some(ErrorCode::UnknownMemberId), Vec::new());
        };
        if group.members.remove(member_id).is_none() {
            return (Some(ErrorCode::UnknownMemberId), Vec::new());
        }
        self.events.push(
            now,
            Event::MemberRemoved {
                group: group_id.to_owned(),
                member_id: member_id.to_owned(),
                reason: MemberRemovedReason::Left {
                    reason: reason.to_owned(),
                },
            },
        );
        let why = format!("removing member {member_id} on LeaveGroup; client reason: {reason}");
        (
            None,
            Self::after_member_removed(group, group_id, now, config, why, &mut self.events),
        )
    }

    fn after_member_removed(
        group: &mut Group,
        group_id: &str,
        now: Millis,
        config: CoordinatorConfig,
        reason: String,
        events: &mut EventLog,
    ) -> Vec<CoordinatorResponse> {
        if group.members.is_empty() {
            group.state = GroupState::Empty;
            group.leader = None;
            group.generation += 1;
            events.push(
                now,
                Event::GroupEmpty {
                    group: group_id.to_owned(),
                    generation: group.generation,
                },
            );
            return Vec::new();
        }
        match group.state {
            GroupState::Stable | GroupState::CompletingRebalance => {
                let mut responses =
                    Self::prepare_rebalance(group, group_id, now, config, reason, events);
                responses.extend(Self::try_complete_join(group, group_id, now, events));
                responses
            }
            GroupState::PreparingRebalance => Self::try_complete_join(group, group_id, now, events),
            GroupState::Empty | GroupState::Dead => Vec::new(),
        }
    }

    /// Time passes: sessions expire, rebalances time out or complete.
    pub fn tick(&mut self, now: Millis) -> Vec<CoordinatorResponse> {
        let config = self.config;
        let mut responses = Vec::new();
        for (group_id, group) in &mut self.groups {
            // A member waiting in JoinGroup is alive; the others must heartbeat.
            let expired: Vec<String> = group
                .members
                .iter()
                .filter(|(_, m)| {
                    !m.awaiting_join && now.since(m.last_heartbeat) > m.session_timeout_ms
                })
                .map(|(id, _)| id.clone())
                .collect();
            for id in &expired {
                if let Some(member) = group.members.remove(id) {
                    self.events.push(
                        now,
                        Event::MemberRemoved {
                            group: group_id.clone(),
                            member_id: id.clone(),
                            reason: MemberRemovedReason::SessionExpired {
                                session_timeout_ms: member.session_timeout_ms,
                            },
                        },
                    );
                }
            }
            if !expired.is_empty() {
                let why = format!(
                    "removing member {} on heartbeat expiration",
                    expired.join(", ")
                );
                responses.extend(Self::after_member_removed(
                    group,
                    group_id,
                    now,
                    config,
                    why,
                    &mut self.events,
                ));
            }
            responses.extend(Self::try_complete_join(
                group,
                group_id,
                now,
                &mut self.events,
            ));
        }
        responses
    }
}

fn supports_common_protocol(group: &Group, protocols: &[(String, Vec<u8>)]) -> bool {
    protocols.iter().any(|(name, _)| {
        group
            .members
            .values()
            .all(|m| m.protocols.iter().any(|(n, _)| n == name))
    })
}

/// Kafka's `selectProtocol`: among protocols every member supports, each
/// member votes for the first of them in its own preference order; the
/// most votes wins (ties: the first candidate in the first member's list).
fn choose_protocol(group: &Group) -> Option<String> {
    let first = group.members.values().next()?;
    let candidates: Vec<&String> = first
        .protocols
        .iter()
        .map(|(n, _)| n)
        .filter(|n| {
            group
                .members
                .values()
                .all(|m| m.protocols.iter().any(|(p, _)| p == *n))
        })
        .collect();
    let mut votes: OrdMap<&String, usize> = OrdMap::new();
    for member in group.members.values() {
        if let Some((name, _)) = member
            .protocols
            .iter()
            .find(|(n, _)| candidates.contains(&n))
        {
            *votes.entry(name).or_default() += 1;
        }
    }
    let best = votes.values().copied().max()?;
    candidates
        .into_iter()
        .find(|c| votes.get(c) == Some(&best))
        .cloned()
}

fn join_response(group: &Group, member_id: &str) -> JoinGroupResponse {
    let leader = group.leader.clone().unwrap_or_default();
    let protocol = group.protocol_name.clone();
    let members = if leader == member_id {
        group
            .members
            .iter()
            .map(|(id, m)| JoinedMember {
                member_id: id.clone(),
                group_instance_id: m.group_instance_id.clone(),
                metadata: m
                    .protocols
                    .iter()
                    .find(|(n, _)| Some(n) == protocol.as_ref())
                    .map(|(_, bytes)| bytes.clone())
                    .unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    JoinGroupResponse {
        error: None,
        generation_id: group.generation,
        protocol_name: protocol,
        leader,
        member_id: member_id.to_owned(),
        members,
        group_instance_id: group
            .members
            .get(member_id)
            .and_then(|m| m.group_instance_id.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = "orders-app";

    fn request(member_id: &str, client: &str, protocols: &[&str]) -> JoinGroupRequest {
        JoinGroupRequest {
            group_id: G.into(),
            member_id: member_id.into(),
            group_instance_id: None,
            client_id: client.into(),
            session_timeout_ms: 45_000,
            rebalance_timeout_ms: 300_000,
            protocol_type: "consumer".into(),
            protocols: protocols
                .iter()
                .map(|p| ((*p).to_owned(), p.as_bytes().to_vec()))
                .collect(),
        }
    }

    fn joins(responses: &[CoordinatorResponse]) -> Vec<&JoinGroupResponse> {
        responses
            .iter()
            .filter_map(|r| match r {
                CoordinatorResponse::Join { response, .. } => Some(response),
                CoordinatorResponse::Sync { .. } => None,
            })
            .collect()
    }

    /// Joins a new member the KIP-394 way and returns its id.
    fn join_new(
        c: &mut GroupCoordinator,
        client: &str,
        protocols: &[&str],
        now: Millis,
    ) -> (String, Vec<CoordinatorResponse>) {
        let first = c.join_group(request("", client, protocols), now);
        let required = joins(&first)[0];
        assert_eq!(required.error, Some(ErrorCode::MemberIdRequired));
        let id = required.member_id.clone();
        assert!(id.starts_with(client));
        let responses = c.join_group(request(&id, client, protocols), now);
        (id, responses)
    }

    #[test]
    fn first_rebalance_waits_the_initial_delay_then_elects_a_leader() {
        let mut c = GroupCoordinator::new(CoordinatorConfig::default());
        let (a, r) = join_new(&mut c, "consumer-a", &["range"], Millis(0));
        assert!(
            r.is_empty(),
            "group.initial.rebalance.delay.ms holds the first rebalance"
        );
        assert_eq!(c.state(G), GroupState::PreparingRebalance);
        let (b, r) = join_new(&mut c, "consumer-b", &["range"], Millis(1_000));
        assert!(r.is_empty());
        assert!(c.tick(Millis(2_999)).is_empty());
        let done = c.tick(Millis(3_000));
        let answers = joins(&done);
        assert_eq!(answers.len(), 2);
        assert!(answers
            .iter()
            .all(|j| j.generation_id == 1 && j.protocol_name.as_deref() == Some("range")));
        let leader = answers
            .iter()
            .find(|j| j.member_id == j.leader)
            .expect("a leader");
        assert_eq!(
            leader.members.len(),
            2,
            "the leader sees every subscription"
        );
        let follower = answers
            .iter()
            .find(|j| j.member_id != j.leader)
            .expect("a follower");
        assert!(follower.members.is_empty());
        assert_eq!(c.state(G), GroupState::CompletingRebalance);

        // Followers wait in SyncGroup until the leader sends the assignment.
        let (leader_id, follower_id) = (leader.member_id.clone(), follower.member_id.clone());
        assert!(c
            .sync_group(G, &follower_id, 1, vec![], Millis(0))
            .is_empty());
        let synced = c.sync_group(
            G,
            &leader_id,
            1,
            vec![(a.clone(), b"A".to_vec()), (b.clone(), b"B".to_vec())],
            Millis(0),
        );
        assert_eq!(synced.len(), 2);
        for response in &synced {
            let CoordinatorResponse::Sync {
                member_id, result, ..
            } = response
            else {
                panic!()
            };
            let expected = if *member_id == a {
                b"A".to_vec()
            } else {
                b"B".to_vec()
            };
            assert_eq!(result.as_ref().ok(), Some(&expected));
        }
        assert_eq!(c.state(G), GroupState::Stable);
        assert_eq!(c.heartbeat(G, &a, 1, Millis(4_000)), None);
    }

    #[test]
    fn a_new_member_triggers_a_rebalance_that_waits_for_everyone() {
        let mut c = GroupCoordinator::new(CoordinatorConfig {
            group_initial_rebalance_delay_ms: 0,
            ..CoordinatorConfig::default()
        });
        let (a, r) = join_new(&mut c, "a", &["range"], Millis(0));
        assert_eq!(joins(&r)[0].generation_id, 1, "no delay: done at once");
        c.sync_group(G, &a, 1, vec![(a.clone(), vec![1])], Millis(0));
        let (b, r) = join_new(&mut c, "b", &["range"], Millis(10));
        assert!(r.is_empty(), "waits for a to rejoin");
        assert_eq!(
            c.heartbeat(G, &a, 1, Millis(20)),
            Some(ErrorCode::RebalanceInProgress)
        );
        let r = c.join_group(request(&a, "a", &["range"]), Millis(30));
        let answers = joins(&r);
        assert_eq!(answers.len(), 2);
        assert!(answers.iter().all(|j| j.generation_id == 2));
        assert_eq!(
            c.heartbeat(G, &b, 1, Millis(40)),
            Some(ErrorCode::IllegalGeneration)
        );
        assert_eq!(
            c.sync_group(G, &b, 1, vec![], Millis(0)),
            vec![CoordinatorResponse::Sync {
                group_id: G.into(),
                member_id: b.clone(),
                result: Err(ErrorCode::IllegalGeneration),
            }]
        );
    }

    #[test]
    fn silent_members_expire_and_stragglers_are_dropped() {
        let mut c = GroupCoordinator::new(CoordinatorConfig {
            group_initial_rebalance_delay_ms: 0,
            ..CoordinatorConfig::default()
        });
        let (a, _) = join_new(&mut c, "a", &["range"], Millis(0));
        let (b, _) = join_new(&mut c, "b", &["range"], Millis(0));
        c.join_group(request(&a, "a", &["range"]), Millis(0));
        let desc = c.describe(G).unwrap();
        assert_eq!(desc.members.len(), 2);
        c.sync_group(
            G,
            desc.leader.as_deref().unwrap(),
            desc.generation_id,
            vec![],
            Millis(0),
        );
        // b stops heartbeating; a keeps going.
        for t in (5_000..=45_000).step_by(5_000) {
            assert_eq!(c.heartbeat(G, &a, desc.generation_id, Millis(t)), None);
            c.tick(Millis(t));
        }
        c.heartbeat(G, &a, desc.generation_id, Millis(45_001));
        c.tick(Millis(45_001));
        assert_eq!(
            c.state(G),
            GroupState::PreparingRebalance,
            "b's session.timeout.ms passed"
        );
        assert_eq!(
            c.heartbeat(G, &b, desc.generation_id, Millis(45_002)),
            Some(ErrorCode::UnknownMemberId)
        );
        let r = c.join_group(request(&a, "a", &["range"]), Millis(45_010));
        assert_eq!(joins(&r)[0].members.len(), 1, "a alone now");

        // A member that heartbeats but does not rejoin within the rebalance
        // timeout (max.poll.interval.ms: it is stuck processing) is dropped.
        let (_, _) = join_new(&mut c, "c", &["range"], Millis(50_000));
        let generation = c.describe(G).unwrap().generation_id;
        for t in (55_000..350_000).step_by(5_000) {
            assert_eq!(
                c.heartbeat(G, &a, generation, Millis(t)),
                Some(ErrorCode::RebalanceInProgress)
            );
            assert!(c.tick(Millis(t)).is_empty(), "still waiting for a at {t}");
        }
        let done = c.tick(Millis(350_000));
        let answers = joins(&done);
        assert_eq!(answers.len(), 1, "only c rejoined; a was dropped");
        assert_eq!(c.describe(G).unwrap().members.len(), 1);
    }

    #[test]
    fn leaving_rebalances_and_the_last_member_empties_the_group() {
        let mut c = GroupCoordinator::new(CoordinatorConfig {
            group_initial_rebalance_delay_ms: 0,
            ..CoordinatorConfig::default()
        });
        let (a, _) = join_new(&mut c, "a", &["range"], Millis(0));
        let (b, _) = join_new(&mut c, "b", &["range"], Millis(0));
        c.join_group(request(&a, "a", &["range"]), Millis(0));
        let (error, responses) = c.leave_group(G, &b, "the consumer is being closed", Millis(5));
        assert_eq!(error, None);
        assert!(responses.is_empty(), "a must rejoin first");
        assert_eq!(c.state(G), GroupState::PreparingRebalance);
        c.join_group(request(&a, "a", &["range"]), Millis(6));
        assert_eq!(c.state(G), GroupState::CompletingRebalance);
        assert_eq!(
            c.leave_group(G, &a, "the consumer is being closed", Millis(7))
                .0,
            None
        );
        assert_eq!(c.state(G), GroupState::Empty);
        assert_eq!(
            c.leave_group(G, &a, "the consumer is being closed", Millis(8))
                .0,
            Some(ErrorCode::UnknownMemberId)
        );
    }

    #[test]
    fn static_members_rejoin_without_a_rebalance() {
        let mut c = GroupCoordinator::new(CoordinatorConfig {
            group_initial_rebalance_delay_ms: 0,
            ..CoordinatorConfig::default()
        });
        let mut req = request("", "a", &["range"]);
        req.group_instance_id = Some("host-1".into());
        let r = c.join_group(req.clone(), Millis(0));
        let first = joins(&r)[0].clone();
        assert_eq!(
            first.error, None,
            "static members need no MEMBER_ID_REQUIRED round"
        );
        c.sync_group(
            G,
            &first.member_id,
            first.generation_id,
            vec![(first.member_id.clone(), b"p0".to_vec())],
            Millis(0),
        );
        // The process restarts and joins again with the same instance id.
        let r = c.join_group(req, Millis(10_000));
        let again = joins(&r)[0];
        assert_eq!(
            again.generation_id, first.generation_id,
            "no new generation"
        );
        assert_ne!(again.member_id, first.member_id);
        assert_eq!(c.state(G), GroupState::Stable);
        assert_eq!(
            c.describe(G).unwrap().members[0].3,
            b"p0".to_vec(),
            "keeps its assignment"
        );
    }

    #[test]
    fn bad_requests_get_kafkas_errors_and_the_common_protocol_wins() {
        let mut c = GroupCoordinator::new(CoordinatorConfig {
            group_initial_rebalance_delay_ms: 0,
            ..CoordinatorConfig::default()
        });
        let mut short = request("", "a", &["range"]);
        short.session_timeout_ms = 1_000;
        assert_eq!(
            joins(&c.join_group(short, Millis(0)))[0].error,
            Some(ErrorCode::InvalidSessionTimeout)
        );
        assert_eq!(
            joins(&c.join_group(request("ghost", "a", &["range"]), Millis(0)))[0].error,
            Some(ErrorCode::UnknownMemberId)
        );
        let mut nameless = request("", "a", &["range"]);
        nameless.group_id = String::new();
        assert_eq!(
            joins(&c.join_group(nameless, Millis(0)))[0].error,
            Some(ErrorCode::InvalidGroupId)
        );

        let (a, _) = join_new(&mut c, "a", &["range", "roundrobin"], Millis(0));
        let r = c.join_group(request("", "b", &["sticky"]), Millis(0));
        assert_eq!(
            joins(&r)[0].error,
            Some(ErrorCode::InconsistentGroupProtocol),
            "no assignor in common"
        );
        let (_, _) = join_new(&mut c, "c", &["roundrobin", "range"], Millis(0));
        let r = c.join_group(request(&a, "a", &["range", "roundrobin"]), Millis(1));
        let chosen: Vec<_> = joins(&r).iter().map(|j| j.protocol_name.clone()).collect();
        assert!(!chosen.is_empty());
        assert!(chosen.iter().all(|p| p.is_some()), "{chosen:?}");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        enum Call {
            Join(usize, bool),
            Sync(usize, i32),
            Heartbeat(usize, i32),
            Leave(usize),
            Tick(i64),
        }

        fn call() -> impl Strategy<Value = Call> {
            prop_oneof![
                (0..4_usize, any::<bool>()).prop_map(|(m, fresh)| Call::Join(m, fresh)),
                (0..4_usize, -1..4_i32).prop_map(|(m, g)| Call::Sync(m, g)),
                (0..4_usize, -1..4_i32).prop_map(|(m, g)| Call::Heartbeat(m, g)),
                (0..4_usize).prop_map(Call::Leave),
                (0..400_000_i64).prop_map(Call::Tick),
            ]
        }

        proptest! {
            /// Any sequence of requests keeps the group consistent: one
            /// leader among the members, never two join answers with
            /// different generations in one batch, and no panic.
            #[test]
            fn the_coordinator_stays_consistent(calls in prop::collection::vec(call(), 1..60)) {
                let mut c = GroupCoordinator::new(CoordinatorConfig::default());
                let mut ids: Vec<String> = vec![String::new(); 4];
                let mut now = Millis(0);
                for call in calls {
                    let responses = match call {
                        Call::Join(m, fresh) => {
                            let id = if fresh { String::new() } else { ids[m].clone() };
                            let r = c.join_group(request(&id, &format!("c{m}"), &["range"]), now);
                            for j in joins(&r) {
                                if j.member_id.starts_with(&format!("c{m}")) {
                                    ids[m] = j.member_id.clone();
                                }
                            }
                            r
                        }
                        Call::Sync(m, g) => {
                            let all: Vec<(String, Vec<u8>)> = ids.iter().map(|i| (i.clone(), vec![1])).collect();
                            c.sync_group(G, &ids[m], g, all, Millis(0))
                        }
                        Call::Heartbeat(m, g) => { c.heartbeat(G, &ids[m], g, now); Vec::new() }
                        Call::Leave(m) => c.leave_group(G, &ids[m], "the consumer is being closed", now).1,
                        Call::Tick(ms) => { now = now.plus(ms); c.tick(now) }
                    };
                    let generations: crate::collections::OrdSet<i32> = joins(&responses)
                        .iter()
                        .filter(|j| j.error.is_none())
                        .map(|j| j.generation_id)
                        .collect();
                    prop_assert!(generations.len() <= 1, "one generation per completion: {:?}", generations);
                    if let Some(desc) = c.describe(G) {
                        match desc.state {
                            GroupState::CompletingRebalance | GroupState::Stable => {
                                let leader = desc.leader.clone().unwrap_or_default();
                                prop_assert!(desc.members.iter().any(|m| m.0 == leader), "the leader is a member");
                            }
                            GroupState::Empty => prop_assert!(desc.members.is_empty()),
                            GroupState::PreparingRebalance | GroupState::Dead => {}
                        }
                    }
                }
            }
        }
    }
}
