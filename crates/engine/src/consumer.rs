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
//! every `auto.commit.interval.ms` with `enable.auto.commit`. Group
//! membership (`subscribe()` and rebalances) builds on this next.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use bytes::Bytes;

use crate::clock::Millis;
use crate::cluster::{Cluster, OffsetSpec};
use crate::consumer_config::{AutoOffsetReset, ConsumerConfig};
use crate::error::ErrorCode;
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
        Self { message: message.into() }
    }
}

/// One consumer client.
#[derive(Debug, Clone)]
pub struct Consumer {
    config: ConsumerConfig,
    assignment: Vec<TopicPartition>,
    positions: BTreeMap<TopicPartition, i64>,
    paused: BTreeSet<TopicPartition>,
    buffered: VecDeque<ConsumerRecord>,
    last_auto_commit: Option<Millis>,
}

impl Consumer {
    /// A consumer with `config`.
    #[must_use]
    pub fn new(config: ConsumerConfig) -> Self {
        Self {
            config,
            assignment: Vec::new(),
            positions: BTreeMap::new(),
            paused: BTreeSet::new(),
            buffered: VecDeque::new(),
            last_auto_commit: None,
        }
    }

    /// The consumer's configuration.
    #[must_use]
    pub fn config(&self) -> &ConsumerConfig {
        &self.config
    }

    /// `assign()`: reads exactly these partitions, no group rebalancing.
    /// Positions of partitions kept stay; records fetched for dropped ones
    /// are discarded.
    pub fn assign(&mut self, partitions: Vec<TopicPartition>) {
        self.positions.retain(|tp, _| partitions.contains(tp));
        self.paused.retain(|tp| partitions.contains(tp));
        self.buffered.retain(|r| partitions.iter().any(|tp| tp.topic == r.topic && tp.partition == r.partition));
        self.assignment = partitions;
    }

    /// The assigned partitions.
    #[must_use]
    pub fn assignment(&self) -> &[TopicPartition] {
        &self.assignment
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
        self.buffered.retain(|r| !(r.topic == partition.topic && r.partition == partition.partition));
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
        self.maybe_auto_commit(cluster, coordinator);
        if self.buffered.len() < max {
            self.fetch(cluster, coordinator)?;
        }
        let take = max.min(self.buffered.len());
        Ok(self.buffered.drain(..take).collect())
    }

    fn fetch(&mut self, cluster: &Cluster, coordinator: &GroupCoordinator) -> Result<(), ConsumerError> {
        let mut missing = Vec::new();
        for partition in self.assignment.clone() {
            if self.paused.contains(&partition) || self.buffered.iter().any(|r| r.topic == partition.topic && r.partition == partition.partition) {
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
            let data = match cluster.fetch(&partition.topic, partition.partition, position, max_bytes) {
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
                let Ok(records) = decode_batch(&batch.bytes) else { continue };
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
        let list = missing.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        Err(ConsumerError::new(match self.config.flavour {
            ClientFlavour::Java => format!(
                "org.apache.kafka.clients.consumer.NoOffsetForPartitionException: Undefined offset with no reset policy for partitions: [{list}]"
            ),
            ClientFlavour::Librdkafka => format!("Local: No offset to automatically reset to: {list}"),
        }))
    }

    /// The group's committed offset, else [`Self::reset_position`].
    fn initial_position(&self, cluster: &Cluster, coordinator: &GroupCoordinator, partition: &TopicPartition) -> Option<i64> {
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
            Ok(None) => cluster.list_offsets(&partition.topic, partition.partition, OffsetSpec::Latest).ok().flatten(),
            Err(_) => None,
        }
    }

    /// `commitSync()` / `commit(asynchronous=False)`: commits the current
    /// positions. Needs a `group.id` (the client's own error otherwise).
    pub fn commit(&mut self, cluster: &mut Cluster, coordinator: &mut GroupCoordinator) -> Result<(), ConsumerError> {
        let Some(group) = self.config.group_id.clone() else {
            return Err(ConsumerError::new(self.config.missing_group_message().unwrap_or("group.id is not set")));
        };
        let offsets: Vec<OffsetToCommit> = self
            .assignment
            .iter()
            .filter_map(|tp| {
                self.position(tp).map(|offset| OffsetToCommit {
                    partition: tp.clone(),
                    offset,
                    leader_epoch: -1,
                    metadata: String::new(),
                })
            })
            .collect();
        if offsets.is_empty() {
            return Ok(());
        }
        let results = coordinator.commit_offsets(cluster, &group, "", -1, &offsets);
        match results.iter().find_map(|(_, e)| *e) {
            None => Ok(()),
            Some(code) => Err(ConsumerError::new(format!("Commit failed: {}", code.name()))),
        }
    }

    fn maybe_auto_commit(&mut self, cluster: &mut Cluster, coordinator: &mut GroupCoordinator) {
        if !self.config.enable_auto_commit || self.config.group_id.is_none() {
            return;
        }
        let now = cluster.now();
        let due = self
            .last_auto_commit
            .is_none_or(|last| now.since(last) >= i64::from(self.config.auto_commit_interval_ms));
        if due {
            self.last_auto_commit = Some(now);
            // Auto-commit is asynchronous in both clients: a failure is
            // only logged, and the next interval tries again.
            let _ = self.commit(cluster, coordinator);
        }
    }

    /// Lag per assigned partition: high watermark minus position.
    #[must_use]
    pub fn lag(&self, cluster: &Cluster) -> Vec<(TopicPartition, i64)> {
        self.assignment
            .iter()
            .filter_map(|tp| {
                let position = self.position(tp)?;
                let end = cluster.list_offsets(&tp.topic, tp.partition, OffsetSpec::Latest).ok().flatten()?;
                Some((tp.clone(), (end - position).max(0)))
            })
            .collect()
    }
}
