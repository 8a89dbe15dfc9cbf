//! A consumer client simulated inside the engine, Java or librdkafka
//! flavoured, for partitions it assigns itself (`assign()`).
//!
//! The consumer keeps a position per assigned partition. Without one it
//! starts from the group's committed offset or, with none, from where
//! `auto.offset.reset` says (earliest, latest, a duration ago, or an error
//! in the client's words). `poll` fetches whole batches from each leader up
//! to the high watermark (`max.partition.fetch.bytes` per partition),
//! skips records before the position (a batch can start earlier), and
//! returns at most `max.poll.records` (Java) records; commits go to the
//! group coordinator, which writes them to `__consumer_offsets`, by hand or
//! every `auto.commit.interval.ms` with `enable.auto.commit`.
//!
//! A consumer either assigns partitions itself (`assign()`) or subscribes
//! (`subscribe()`, topics or a pattern) and gets them from its group's
//! rebalances: [`membership`] is that half of the group protocol.

use crate::collections::{OrdMap, OrdSet};
use std::collections::VecDeque;

use bytes::Bytes;

mod membership;

pub use membership::{MemberPhase, SubscriptionSpec};

use crate::clock::Millis;
use crate::cluster::{Cluster, OffsetSpec};
use crate::consumer_config::{AutoOffsetReset, ConsumerConfig};
use crate::error::ErrorCode;
use crate::events::{EventLog, TimedEvent};
use crate::group::assignor::TopicPartition;
use crate::group::coordinator::GroupCoordinator;
use crate::group::offsets::OffsetToCommit;
use crate::producer_config::ClientFlavour;
use crate::record::{decode_batch, TimestampType};

/// A record as the consumer's application sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerRecord {
    /// Topic.
    pub topic: String,
    /// Partition.
    pub partition: i32,
    /// Offset.
    pub offset: i64,
    /// Timestamp and its type.
    pub timestamp: i64,
    /// `CreateTime` or `LogAppendTime`.
    pub timestamp_type: TimestampType,
    /// Key, `None` for a null key.
    pub key: Option<Bytes>,
    /// Value, `None` for a tombstone.
    pub value: Option<Bytes>,
    /// Headers.
    pub headers: Vec<(String, Option<Bytes>)>,
}

/// An error the consumer's client reports, in its own words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConsumerError {
    /// What the client says.
    pub message: String,
}

impl ConsumerError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// One consumer client.
#[derive(Debug, Clone)]
pub struct Consumer {
    config: ConsumerConfig,
    assignment: Vec<TopicPartition>,
    positions: OrdMap<TopicPartition, i64>,
    paused: OrdSet<TopicPartition>,
    buffered: VecDeque<ConsumerRecord>,
    last_auto_commit: Option<Millis>,
    /// Group membership, for a consumer that subscribed.
    membership: Option<membership::Membership>,
    /// An error the next `poll()` raises (a fatal group error).
    fatal: Option<ConsumerError>,
    /// Asynchronous commits' results, for the commit callback.
    commit_results: Vec<CommitResult>,
    events: EventLog,
    closed: bool,
}

/// The outcome of a commit, as the commit callback (`on_commit`,
/// `OffsetCommitCallback`) receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitResult {
    /// When it completed.
    pub at: Millis,
    /// The offsets it committed.
    pub offsets: Vec<(TopicPartition, i64)>,
    /// `None`, or the error in the client's words.
    pub error: Option<ConsumerError>,
}

impl Consumer {
    /// A consumer with `config`.
    #[must_use]
    pub fn new(config: ConsumerConfig) -> Self {
        Self {
            config,
            assignment: Vec::new(),
            positions: OrdMap::new(),
            paused: OrdSet::new(),
            buffered: VecDeque::new(),
            last_auto_commit: None,
            membership: None,
            fatal: None,
            commit_results: Vec::new(),
            events: EventLog::default(),
            closed: false,
        }
    }

    /// Takes the consumer's events (partitions revoked/assigned/lost, the
    /// group left on a poll timeout).
    pub fn drain_events(&mut self) -> Vec<TimedEvent> {
        self.events.drain()
    }

    pub(crate) fn mark_closed(&mut self) {
        self.closed = true;
    }

    /// Whether `close()` was called.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// `subscribe(topics)`: joins the consumer's group on the next `poll()`
    /// (Java) or right away (librdkafka). An empty list unsubscribes.
    /// Needs `group.id`; cannot be mixed with `assign()`.
    pub fn subscribe(&mut self, topics: &[String], now: Millis) -> Result<(), ConsumerError> {
        let spec = SubscriptionSpec::parse(self.config.flavour, topics)?;
        self.start_subscription(spec, now)
    }

    /// Java's `subscribe(Pattern)`: every topic whose whole name matches,
    /// re-evaluated at each rebalance.
    pub fn subscribe_pattern(&mut self, pattern: &str, now: Millis) -> Result<(), ConsumerError> {
        let spec = SubscriptionSpec::pattern(pattern)?;
        self.start_subscription(spec, now)
    }

    fn start_subscription(
        &mut self,
        spec: SubscriptionSpec,
        now: Millis,
    ) -> Result<(), ConsumerError> {
        self.check_open()?;
        let Some(group) = self.config.group_id.clone() else {
            return Err(self.missing_group_error());
        };
        if self.membership.is_none() && !self.assignment.is_empty() {
            return Err(self.mutually_exclusive_error());
        }
        match &mut self.membership {
            // A new subscription of a member: rejoin with it.
            Some(m) => {
                m.spec = spec;
                m.request_rejoin("the consumer's subscription changed");
            }
            None => self.membership = Some(membership::Membership::new(group, spec, now)),
        }
        Ok(())
    }

    /// The client's error for a group call without `group.id`.
    fn missing_group_error(&self) -> ConsumerError {
        ConsumerError::new(
            self.config
                .missing_group_message()
                .unwrap_or("group.id is not set"),
        )
    }

    /// The client's error for mixing `subscribe()` and `assign()`.
    fn mutually_exclusive_error(&self) -> ConsumerError {
        ConsumerError::new(match self.config.flavour {
            ClientFlavour::Java => {
                "java.lang.IllegalStateException: Subscription to topics, partitions and pattern are mutually exclusive"
            }
            ClientFlavour::Librdkafka => "Local: Erroneous state",
        })
    }

    /// Each assigned partition's position, where known: what a commit sends.
    fn consumed_positions(&self) -> Vec<(TopicPartition, i64)> {
        self.assignment
            .iter()
            .filter_map(|tp| self.position(tp).map(|o| (tp.clone(), o)))
            .collect()
    }

    fn check_open(&self) -> Result<(), ConsumerError> {
        if self.closed {
            return Err(ConsumerError::new(match self.config.flavour {
                ClientFlavour::Java => {
                    "java.lang.IllegalStateException: This consumer has already been closed."
                }
                ClientFlavour::Librdkafka => "RuntimeError: Consumer closed",
            }));
        }
        Ok(())
    }

    /// Sets the assignment (from `assign()` or a rebalance), keeping the
    /// positions of partitions that stay.
    fn assign_internal(&mut self, partitions: Vec<TopicPartition>) {
        self.positions.retain(|tp, _| partitions.contains(tp));
        self.paused.retain(|tp| partitions.contains(tp));
        self.buffered.retain(|r| {
            partitions
                .iter()
                .any(|tp| tp.topic == r.topic && tp.partition == r.partition)
        });
        self.assignment = partitions;
    }

    /// The same application started again with `config` after this one
    /// closed: a fresh client (no positions, no member id) subscribed to
    /// what this one subscribed to, which joins the group on its first
    /// `poll()`. `None` if this consumer never subscribed (it used
    /// `assign()` or nothing).
    #[must_use]
    pub fn restarted(&self, config: ConsumerConfig, now: Millis) -> Option<Self> {
        let membership = self.membership.as_ref()?;
        let group = config.group_id.clone()?;
        let mut next = Self::new(config);
        next.membership = Some(membership::Membership::new(
            group,
            membership.spec.clone(),
            now,
        ));
        Some(next)
    }

    /// The consumer's configuration.
    #[must_use]
    pub fn config(&self) -> &ConsumerConfig {
        &self.config
    }

    /// `assign()`: reads exactly these partitions, no group rebalancing.
    /// Positions of partitions kept stay; records fetched for dropped ones
    /// are discarded.
    ///
    /// # Errors
    ///
    /// The client's error after `subscribe()` (the two are exclusive) or
    /// `close()`.
    pub fn assign(&mut self, partitions: Vec<TopicPartition>) -> Result<(), ConsumerError> {
        self.check_open()?;
        if self.membership.is_some() {
            return Err(self.mutually_exclusive_error());
        }
        self.assign_internal(partitions);
        Ok(())
    }

    /// The assigned partitions.
    #[must_use]
    pub fn assignment(&self) -> &[TopicPartition] {
        &self.assignment
    }

    /// When the auto-commit timer last started: at the first `poll()` (the
    /// Java client starts it when the consumer is made, librdkafka when it
    /// is assigned partitions), then at each auto commit. The next auto
    /// commit comes with the first `poll()` at least
    /// `auto.commit.interval.ms` later; none before.
    #[must_use]
    pub fn last_auto_commit(&self) -> Option<Millis> {
        self.last_auto_commit
    }

    /// The offset of the next record the application will get, once known.
    #[must_use]
    pub fn position(&self, partition: &TopicPartition) -> Option<i64> {
        let buffered = self
            .buffered
            .iter()
            .find(|r| r.topic == partition.topic && r.partition == partition.partition)
            .map(|r| r.offset);
        buffered.or_else(|| self.positions.get(partition).copied())
    }

    /// `seek()`: the next poll reads `partition` from `offset`.
    pub fn seek(&mut self, partition: &TopicPartition, offset: i64) -> Result<(), ConsumerError> {
        if !self.assignment.contains(partition) {
            return Err(ConsumerError::new(match self.config.flavour {
                ClientFlavour::Java => format!("java.lang.IllegalStateException: No current assignment for partition {partition}"),
                ClientFlavour::Librdkafka => "Local: Erroneous state".to_owned(),
            }));
        }
        self.buffered
            .retain(|r| !(r.topic == partition.topic && r.partition == partition.partition));
        self.positions.insert(partition.clone(), offset.max(0));
        Ok(())
    }

    /// `pause()` / `resume()`: a paused partition is not fetched.
    pub fn set_paused(&mut self, partition: &TopicPartition, paused: bool) {
        if paused {
            self.paused.insert(partition.clone());
        } else {
            self.paused.remove(partition);
        }
    }

    /// Fetches and returns up to `max` records (the Java client's
    /// `poll()` with `max.poll.records`, librdkafka's `poll()` with 1 or
    /// `consume(num_messages)`), committing on the auto-commit interval.
    pub fn poll(
        &mut self,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
        max: usize,
    ) -> Result<Vec<ConsumerRecord>, ConsumerError> {
        self.check_open()?;
        if let Some(error) = self.fatal.take() {
            return Err(error);
        }
        if self.membership.is_some()
            && self.member_phase() != Some(MemberPhase::Stable)
            && self.rebalance_protocol_is_eager()
        {
            // Eager rebalancing: no partitions until the group is stable.
            return Ok(Vec::new());
        }
        self.maybe_auto_commit(cluster, coordinator);
        if self.buffered.len() < max {
            self.fetch(cluster, coordinator)?;
        }
        let take = max.min(self.buffered.len());
        Ok(self.buffered.drain(..take).collect())
    }

    fn fetch(
        &mut self,
        cluster: &Cluster,
        coordinator: &GroupCoordinator,
    ) -> Result<(), ConsumerError> {
        let mut missing = Vec::new();
        for partition in self.assignment.clone() {
            if self.paused.contains(&partition)
                || self
                    .buffered
                    .iter()
                    .any(|r| r.topic == partition.topic && r.partition == partition.partition)
            {
                continue;
            }
            let position = match self.positions.get(&partition) {
                Some(p) => *p,
                None => match self.initial_position(cluster, coordinator, &partition) {
                    Some(p) => p,
                    None => {
                        missing.push(partition.clone());
                        continue;
                    }
                },
            };
            self.positions.insert(partition.clone(), position);
            let max_bytes = u64::from(self.config.max_partition_fetch_bytes);
            let data = match cluster.fetch_for_client(
                &partition.topic,
                partition.partition,
                position,
                max_bytes,
            ) {
                Ok(data) => data,
                Err(err) if err.code == ErrorCode::OffsetOutOfRange => {
                    // Out of range (seeked past the end, or retention took
                    // it): reset by auto.offset.reset, as the clients do.
                    match self.reset_position(cluster, &partition) {
                        Some(reset) => {
                            self.positions.insert(partition.clone(), reset);
                        }
                        None => missing.push(partition.clone()),
                    }
                    continue;
                }
                // No leader right now: try again on the next poll.
                Err(_) => continue,
            };
            let mut next = position;
            for batch in &data.batches {
                let Ok(records) = decode_batch(&batch.bytes) else {
                    continue;
                };
                for record in records.into_iter().filter(|r| r.offset >= position) {
                    next = record.offset + 1;
                    self.buffered.push_back(ConsumerRecord {
                        topic: partition.topic.clone(),
                        partition: partition.partition,
                        offset: record.offset,
                        timestamp: record.timestamp,
                        timestamp_type: record.timestamp_type,
                        key: record.key,
                        value: record.value,
                        headers: record.headers,
                    });
                }
            }
            self.positions.insert(partition, next);
        }
        if missing.is_empty() {
            return Ok(());
        }
        let list = missing
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        Err(ConsumerError::new(match self.config.flavour {
            ClientFlavour::Java => format!(
                "org.apache.kafka.clients.consumer.NoOffsetForPartitionException: Undefined offset with no reset policy for partitions: [{list}]"
            ),
            ClientFlavour::Librdkafka => format!("Local: No offset to automatically reset to: {list}"),
        }))
    }

    /// The group's committed offset, else [`Self::reset_position`].
    fn initial_position(
        &self,
        cluster: &Cluster,
        coordinator: &GroupCoordinator,
        partition: &TopicPartition,
    ) -> Option<i64> {
        if let Some(group) = &self.config.group_id {
            let committed = coordinator.fetch_offsets(group, Some(std::slice::from_ref(partition)));
            if let Some(offset) = committed.first().map(|c| c.offset).filter(|o| *o >= 0) {
                return Some(offset);
            }
        }
        self.reset_position(cluster, partition)
    }

    /// Where `auto.offset.reset` puts a partition; `None` for `none`.
    fn reset_position(&self, cluster: &Cluster, partition: &TopicPartition) -> Option<i64> {
        let spec = match self.config.auto_offset_reset {
            AutoOffsetReset::Earliest => OffsetSpec::Earliest,
            AutoOffsetReset::Latest => OffsetSpec::Latest,
            AutoOffsetReset::ByDuration(ago) => {
                let ms = i64::try_from(ago.as_millis()).unwrap_or(i64::MAX);
                OffsetSpec::Timestamp(cluster.now().0.saturating_sub(ms))
            }
            AutoOffsetReset::None => return None,
        };
        match cluster.list_offsets(&partition.topic, partition.partition, spec) {
            Ok(Some(offset)) => Some(offset),
            // No record that recent: start at the end.
            Ok(None) => cluster
                .list_offsets(&partition.topic, partition.partition, OffsetSpec::Latest)
                .ok()
                .flatten(),
            Err(_) => None,
        }
    }

    /// `commitSync()` / `commit(asynchronous=False)`: commits the current
    /// positions. Needs a `group.id` (the client's own error otherwise).
    pub fn commit(
        &mut self,
        cluster: &mut Cluster,
        coordinator: &mut GroupCoordinator,
    ) -> Result<(), ConsumerError> {
        let Some(group) = self.config.group_id.clone() else {
            return Err(self.missing_group_error());
        };
        let offsets: Vec<OffsetToCommit> = self
            .consumed_positions()
            .into_iter()
            .map(|(partition, offset)| OffsetToCommit {
                partition,
                offset,
                leader_epoch: -1,
                metadata: String::new(),
            })
            .collect();
        if offsets.is_empty() {
            return Ok(());
        }
        let (member_id, generation) = match &self.membership {
            Some(m) => (m.member_id.clone(), m.generation),
            None => (String::new(), -1),
        };
        let results = coordinator.commit_offsets(cluster, &group, &member_id, generation, &offsets);
        match results.iter().find_map(|(_, e)| *e) {
            None => Ok(()),
            Some(code) => Err(self.commit_error(code)),
        }
    }

    /// A failed commit in the client's words.
    fn commit_error(&self, code: ErrorCode) -> ConsumerError {
        ConsumerError::new(match (self.config.flavour, code) {
            (ClientFlavour::Java, ErrorCode::UnknownMemberId | ErrorCode::IllegalGeneration | ErrorCode::FencedInstanceId) => {
                "org.apache.kafka.clients.consumer.CommitFailedException: Commit cannot be completed since the group has                  already rebalanced and assigned the partitions to another member. This means that the time between                  subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies                  that the poll loop is spending too much time message processing. You can address this either by                  increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with                  max.poll.records."
                    .to_owned()
            }
            (ClientFlavour::Java, ErrorCode::RebalanceInProgress) => {
                "org.apache.kafka.common.errors.RebalanceInProgressException: Offset commit cannot be completed since the                  consumer is undergoing a rebalance for auto partition assignment. You can try completing the rebalance                  by calling poll() and then retry the operation."
                    .to_owned()
            }
            (ClientFlavour::Java, code) => format!("org.apache.kafka.common.errors.{}: {}", code.exception_name(), code.message()),
            (ClientFlavour::Librdkafka, code) => format!("Commit failed: Broker: {} ({})", code.message(), code.name()),
        })
    }

    /// `commitAsync()` / `commit(asynchronous=True)`: the commit is sent
    /// and the application carries on; its outcome reaches the commit
    /// callback ([`Self::take_commit_results`]) on a later poll.
    pub fn commit_async(&mut self, cluster: &mut Cluster, coordinator: &mut GroupCoordinator) {
        let offsets = self.consumed_positions();
        let error = self.commit(cluster, coordinator).err();
        self.commit_results.push(CommitResult {
            at: cluster.now(),
            offsets,
            error,
        });
    }

    /// Takes the outcomes of asynchronous commits (and auto-commits), as
    /// the commit callback would receive them.
    pub fn take_commit_results(&mut self) -> Vec<CommitResult> {
        std::mem::take(&mut self.commit_results)
    }

    /// `committed(partitions)`: the group's committed offsets.
    #[must_use]
    pub fn committed(
        &self,
        coordinator: &GroupCoordinator,
        partitions: &[TopicPartition],
    ) -> Vec<(TopicPartition, Option<i64>)> {
        let Some(group) = &self.config.group_id else {
            return partitions.iter().map(|tp| (tp.clone(), None)).collect();
        };
        coordinator
            .fetch_offsets(group, Some(partitions))
            .into_iter()
            .map(|c| (c.partition, (c.offset >= 0).then_some(c.offset)))
            .collect()
    }

    /// `seekToBeginning()` / `seekToEnd()` for assigned partitions.
    pub fn seek_to(
        &mut self,
        cluster: &Cluster,
        partitions: &[TopicPartition],
        end: bool,
    ) -> Result<(), ConsumerError> {
        let spec = if end {
            OffsetSpec::Latest
        } else {
            OffsetSpec::Earliest
        };
        for tp in partitions {
            let offset = cluster
                .list_offsets(&tp.topic, tp.partition, spec)
                .ok()
                .flatten()
                .unwrap_or(0);
            self.seek(tp, offset)?;
        }
        Ok(())
    }

    fn maybe_auto_commit(&mut self, cluster: &mut Cluster, coordinator: &mut GroupCoordinator) {
        if !self.config.enable_auto_commit || self.config.group_id.is_none() {
            return;
        }
        let now = cluster.now();
        // The timer starts with the consumer: the first auto commit is an
        // interval later, not at the first poll (Java's
        // ConsumerCoordinator sets nextAutoCommitTimer to the interval
        // when it is made).
        let Some(last) = self.last_auto_commit else {
            self.last_auto_commit = Some(now);
            return;
        };
        if now.since(last) >= i64::from(self.config.auto_commit_interval_ms) {
            self.last_auto_commit = Some(now);
            // Auto-commit is asynchronous in both clients: a failure goes
            // to the commit callback, and the next interval tries again.
            if !self.assignment.is_empty() {
                self.commit_async(cluster, coordinator);
            }
        }
    }

    /// Lag per assigned partition: high watermark minus position.
    #[must_use]
    pub fn lag(&self, cluster: &Cluster) -> Vec<(TopicPartition, i64)> {
        self.assignment
            .iter()
            .filter_map(|tp| {
                let position = self.position(tp)?;
                let end = cluster
                    .list_offsets(&tp.topic, tp.partition, OffsetSpec::Latest)
                    .ok()
                    .flatten()?;
                Some((tp.clone(), (end - position).max(0)))
            })
            .collect()
    }
}
