//! Committed offsets: OffsetCommit and OffsetFetch on the coordinator,
//! stored as records in the compacted `__consumer_offsets` topic.
//!
//! A commit is validated against the group (member id, generation, state)
//! as Kafka's classic coordinator does, then written as one record per
//! partition (`OffsetCommitKey` v1 → `OffsetCommitValue` v3, see
//! [`crate::consumer_offsets`]) to the group's partition of
//! `__consumer_offsets`, and kept in the coordinator's cache that
//! OffsetFetch answers from. [`GroupCoordinator::load_offsets`] rebuilds
//! the cache by replaying the topic, as a new coordinator does after a
//! leader change, so a learner can see that the topic *is* the state.

use crate::collections::OrdMap;

use bytes::Bytes;

use super::assignor::TopicPartition;
use super::coordinator::{GroupCoordinator, GroupState};
use crate::cluster::{Acks, Cluster, NewTopic, OffsetSpec};
use crate::consumer_offsets::{self, OffsetCommitValue, OffsetsKey};
use crate::error::{ErrorCode, KafkaError};
use crate::events::BrokerId;
use crate::record::{decode_batch, encode_batch, Compression, ProducerRecord, ProducerStamp};

/// One partition's offset in an OffsetCommit request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetToCommit {
    /// The partition.
    pub partition: TopicPartition,
    /// The next offset the group will read.
    pub offset: i64,
    /// Leader epoch of the last consumed record, or -1.
    pub leader_epoch: i32,
    /// Client metadata (often empty).
    pub metadata: String,
}

/// One partition's committed offset, as OffsetFetch returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedOffset {
    /// The partition.
    pub partition: TopicPartition,
    /// The committed offset, or -1 when the group has none.
    pub offset: i64,
    /// Its leader epoch, or -1.
    pub leader_epoch: i32,
    /// Its metadata.
    pub metadata: String,
}

/// The offsets cache of a coordinator.
pub(crate) type OffsetCache = OrdMap<String, OrdMap<TopicPartition, OffsetCommitValue>>;

impl GroupCoordinator {
    /// Creates `__consumer_offsets` if it does not exist yet, with Kafka's
    /// defaults: 50 partitions, compacted, `offsets.topic.replication.factor`
    /// 3 (capped at the cluster's size), 100 MiB segments.
    pub fn ensure_offsets_topic(cluster: &mut Cluster) -> Result<(), KafkaError> {
        if cluster.has_topic(consumer_offsets::TOPIC) {
            return Ok(());
        }
        let topic = NewTopic::new(
            consumer_offsets::TOPIC,
            consumer_offsets::DEFAULT_PARTITIONS,
            3,
        )
        .config("cleanup.policy", "compact")
        .config("segment.bytes", "104857600");
        cluster.create_internal_topic(topic)
    }

    /// FindCoordinator: the broker leading the group's partition of
    /// `__consumer_offsets`, which is created on first use as Kafka does.
    /// `COORDINATOR_NOT_AVAILABLE` while that partition has no leader.
    pub fn find_coordinator(cluster: &mut Cluster, group_id: &str) -> Result<BrokerId, KafkaError> {
        if group_id.is_empty() {
            return Err(KafkaError::from_code(ErrorCode::InvalidGroupId));
        }
        Self::ensure_offsets_topic(cluster)
            .map_err(|e| KafkaError::new(ErrorCode::CoordinatorNotAvailable, e.message))?;
        let partitions = cluster.partition_count(consumer_offsets::TOPIC)?;
        let partition = consumer_offsets::partition_for(group_id, partitions);
        cluster
            .leader_of(consumer_offsets::TOPIC, partition)
            .ok_or_else(|| {
                KafkaError::new(
                    ErrorCode::CoordinatorNotAvailable,
                    format!(
                        "{}-{partition} has no leader, so group {group_id} has no coordinator",
                        consumer_offsets::TOPIC
                    ),
                )
            })
    }

    /// OffsetCommit. `member_id` empty with `generation_id` -1 is a commit
    /// by a consumer that assigns partitions itself, allowed while the
    /// group has no members. Returns each partition's error, if any.
    pub fn commit_offsets(
        &mut self,
        cluster: &mut Cluster,
        group_id: &str,
        member_id: &str,
        generation_id: i32,
        offsets: &[OffsetToCommit],
    ) -> Vec<(TopicPartition, Option<ErrorCode>)> {
        let verdict = self.check_commit(group_id, member_id, generation_id);
        if verdict.is_some() {
            return offsets
                .iter()
                .map(|o| (o.partition.clone(), verdict))
                .collect();
        }
        if let Err(err) = Self::ensure_offsets_topic(cluster) {
            return offsets
                .iter()
                .map(|o| (o.partition.clone(), Some(err.code)))
                .collect();
        }
        let now = cluster.now();
        let values: Vec<OffsetCommitValue> = offsets
            .iter()
            .map(|o| OffsetCommitValue {
                offset: o.offset,
                leader_epoch: o.leader_epoch,
                metadata: o.metadata.clone(),
                commit_timestamp: now.0,
                expire_timestamp: None,
            })
            .collect();
        let records: Vec<ProducerRecord> = offsets
            .iter()
            .zip(&values)
            .map(|(o, value)| {
                let key = OffsetsKey::OffsetCommit {
                    version: 1,
                    group: group_id.to_owned(),
                    topic: o.partition.topic.clone(),
                    partition: o.partition.partition,
                };
                ProducerRecord {
                    key: Some(Bytes::from(key.encode())),
                    value: Some(Bytes::from(value.encode())),
                    headers: vec![],
                    timestamp: now.0,
                }
            })
            .collect();
        let partition = consumer_offsets::partition_for(
            group_id,
            cluster
                .partition_count(consumer_offsets::TOPIC)
                .unwrap_or(1),
        );
        let written = encode_batch(&records, ProducerStamp::NONE, Compression::None)
            .map_err(|e| KafkaError::new(ErrorCode::CorruptMessage, e.to_string()))
            .and_then(|batch| {
                cluster.produce(
                    consumer_offsets::TOPIC,
                    partition,
                    batch,
                    Acks::Leader,
                    5_000,
                )
            });
        if let Err(err) = written {
            return offsets
                .iter()
                .map(|o| (o.partition.clone(), Some(coordinator_error(err.code))))
                .collect();
        }
        let cache = self.offsets.entry(group_id.to_owned()).or_default();
        for (o, value) in offsets.iter().zip(values) {
            cache.insert(o.partition.clone(), value);
        }
        self.events.push(
            now,
            crate::events::Event::OffsetsCommitted {
                group: group_id.to_owned(),
                partition,
                offsets: offsets
                    .iter()
                    .map(|o| (o.partition.clone(), o.offset))
                    .collect(),
            },
        );
        offsets
            .iter()
            .map(|o| (o.partition.clone(), None))
            .collect()
    }

    /// DeleteGroups for one group, as Kafka's coordinator does it: only a
    /// group without members (`Empty`, or known only by its committed
    /// offsets) can be deleted; its offsets and metadata get tombstones in
    /// its `__consumer_offsets` partition, and the group is gone (`Dead`).
    ///
    /// # Errors
    ///
    /// `INVALID_GROUP_ID` for an empty id, `NON_EMPTY_GROUP` while it has
    /// members, `GROUP_ID_NOT_FOUND` for a group the coordinator does not
    /// know, or the log's error if the tombstones cannot be written.
    pub fn delete_group(
        &mut self,
        cluster: &mut Cluster,
        group_id: &str,
    ) -> Result<(), KafkaError> {
        if group_id.is_empty() {
            return Err(KafkaError::new(
                ErrorCode::InvalidGroupId,
                "The group id is empty.",
            ));
        }
        let state = self.state(group_id);
        let known = self.describe(group_id).is_some() || self.offsets.contains_key(group_id);
        // Kafka's own messages: "The group id does not exist.", "The group
        // is not empty."
        if !known {
            return Err(KafkaError::from_code(ErrorCode::GroupIdNotFound));
        }
        if !matches!(state, GroupState::Empty | GroupState::Dead) {
            return Err(KafkaError::from_code(ErrorCode::NonEmptyGroup));
        }
        let now = cluster.now();
        let committed: Vec<TopicPartition> = self
            .offsets
            .get(group_id)
            .map(|cache| cache.keys().cloned().collect())
            .unwrap_or_default();
        let mut keys: Vec<OffsetsKey> = committed
            .iter()
            .map(|tp| offset_key(group_id, tp))
            .collect();
        keys.push(OffsetsKey::GroupMetadata {
            group: group_id.to_owned(),
        });
        let partition = Self::write_tombstones(cluster, group_id, &keys)?;
        self.offsets.remove(group_id);
        self.forget_group(group_id);
        self.events.push(
            now,
            crate::events::Event::GroupDeleted {
                group: group_id.to_owned(),
                partition,
                offsets: committed.len(),
            },
        );
        Ok(())
    }

    /// What Kafka's coordinator does once a topic is deleted: every group's
    /// committed offsets of its partitions get tombstones in that group's
    /// `__consumer_offsets` partition, so OffsetFetch no longer lists them.
    /// Returns how many offsets went.
    pub fn remove_topic_offsets(&mut self, cluster: &mut Cluster, topic: &str) -> usize {
        let mut removed = 0;
        let groups: Vec<String> = self.offsets.keys().cloned().collect();
        for group_id in groups {
            let gone: Vec<TopicPartition> = self
                .offsets
                .get(&group_id)
                .map(|cache| {
                    cache
                        .keys()
                        .filter(|tp| tp.topic == topic)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            if gone.is_empty() {
                continue;
            }
            let keys: Vec<OffsetsKey> = gone.iter().map(|tp| offset_key(&group_id, tp)).collect();
            // The cache follows Kafka's even if the log is unavailable: a
            // deleted topic's offsets are gone for the coordinator.
            let _ = Self::write_tombstones(cluster, &group_id, &keys);
            let emptied = self.offsets.get_mut(&group_id).is_some_and(|cache| {
                for tp in &gone {
                    cache.remove(tp);
                }
                cache.is_empty()
            });
            // A group without members and without offsets is gone (Kafka's
            // cleanup turns it Dead).
            if emptied && !self.has_group(&group_id) {
                self.offsets.remove(&group_id);
            }
            removed += gone.len();
        }
        removed
    }

    /// Appends a tombstone for each of `keys` to the group's partition of
    /// `__consumer_offsets` (created first if need be); returns the
    /// partition.
    fn write_tombstones(
        cluster: &mut Cluster,
        group_id: &str,
        keys: &[OffsetsKey],
    ) -> Result<i32, KafkaError> {
        let now = cluster.now();
        let records: Vec<ProducerRecord> = keys
            .iter()
            .map(|key| ProducerRecord {
                key: Some(Bytes::from(key.encode())),
                value: None,
                headers: vec![],
                timestamp: now.0,
            })
            .collect();
        Self::ensure_offsets_topic(cluster)?;
        let partition = consumer_offsets::partition_for(
            group_id,
            cluster
                .partition_count(consumer_offsets::TOPIC)
                .unwrap_or(1),
        );
        let batch = encode_batch(&records, ProducerStamp::NONE, Compression::None)
            .map_err(|e| KafkaError::new(ErrorCode::CorruptMessage, e.to_string()))?;
        cluster
            .produce(
                consumer_offsets::TOPIC,
                partition,
                batch,
                Acks::Leader,
                5_000,
            )
            .map_err(|e| KafkaError::new(coordinator_error(e.code), e.message))?;
        Ok(partition)
    }

    fn check_commit(
        &self,
        group_id: &str,
        member_id: &str,
        generation_id: i32,
    ) -> Option<ErrorCode> {
        if group_id.is_empty() {
            return Some(ErrorCode::InvalidGroupId);
        }
        let Some(group) = self.describe(group_id) else {
            // An unknown group: only a simple (non-member) commit creates it.
            return (generation_id >= 0 || !member_id.is_empty())
                .then_some(ErrorCode::IllegalGeneration);
        };
        if generation_id < 0 && member_id.is_empty() {
            return (group.state != GroupState::Empty).then_some(ErrorCode::UnknownMemberId);
        }
        if !group.members.iter().any(|m| m.0 == member_id) {
            return Some(ErrorCode::UnknownMemberId);
        }
        if generation_id != group.generation_id {
            return Some(ErrorCode::IllegalGeneration);
        }
        match group.state {
            GroupState::PreparingRebalance | GroupState::CompletingRebalance => {
                Some(ErrorCode::RebalanceInProgress)
            }
            GroupState::Stable => None,
            GroupState::Empty | GroupState::Dead => Some(ErrorCode::UnknownMemberId),
        }
    }

    /// OffsetFetch: the committed offsets of `partitions`, or of every
    /// partition the group has committed when `partitions` is `None`.
    #[must_use]
    pub fn fetch_offsets(
        &self,
        group_id: &str,
        partitions: Option<&[TopicPartition]>,
    ) -> Vec<CommittedOffset> {
        let cache = self.offsets.get(group_id);
        let describe = |partition: &TopicPartition| {
            let value = cache.and_then(|c| c.get(partition));
            CommittedOffset {
                partition: partition.clone(),
                offset: value.map_or(-1, |v| v.offset),
                leader_epoch: value.map_or(-1, |v| v.leader_epoch),
                metadata: value.map(|v| v.metadata.clone()).unwrap_or_default(),
            }
        };
        match partitions {
            Some(list) => list.iter().map(describe).collect(),
            None => cache
                .map(|c| c.keys().map(describe).collect())
                .unwrap_or_default(),
        }
    }

    /// Rebuilds the offsets cache from `__consumer_offsets` (what a broker
    /// does when it becomes a group's coordinator): the latest record of
    /// each key wins, tombstones delete.
    pub fn load_offsets(&mut self, cluster: &Cluster) -> Result<usize, KafkaError> {
        let mut cache = OffsetCache::new();
        let partitions = cluster.partition_count(consumer_offsets::TOPIC)?;
        for partition in 0..partitions {
            let start = cluster
                .list_offsets(consumer_offsets::TOPIC, partition, OffsetSpec::Earliest)?
                .unwrap_or(0);
            let data = cluster.fetch(consumer_offsets::TOPIC, partition, start, u64::MAX)?;
            for batch in &data.batches {
                let records = decode_batch(&batch.bytes)
                    .map_err(|e| KafkaError::new(ErrorCode::CorruptMessage, e.to_string()))?;
                for record in records.into_iter().filter(|r| r.offset >= start) {
                    let Some(Ok(OffsetsKey::OffsetCommit {
                        group,
                        topic,
                        partition,
                        ..
                    })) = record.key.as_deref().map(OffsetsKey::decode)
                    else {
                        continue;
                    };
                    let key = TopicPartition::new(topic, partition);
                    match record.value.as_deref().map(OffsetCommitValue::decode) {
                        Some(Ok(value)) => {
                            cache.entry(group).or_default().insert(key, value);
                        }
                        None => {
                            if let Some(group) = cache.get_mut(&group) {
                                group.remove(&key);
                            }
                        }
                        Some(Err(_)) => {}
                    }
                }
            }
        }
        let count = cache.values().map(OrdMap::len).sum();
        self.offsets = cache;
        Ok(count)
    }
}

/// Errors a produce to `__consumer_offsets` maps to in an OffsetCommit
/// response (`GroupMetadataManager` does the same translation).
/// The `__consumer_offsets` key of `group`'s committed offset of `tp`.
fn offset_key(group: &str, tp: &TopicPartition) -> OffsetsKey {
    OffsetsKey::OffsetCommit {
        version: 1,
        group: group.to_owned(),
        topic: tp.topic.clone(),
        partition: tp.partition,
    }
}

fn coordinator_error(code: ErrorCode) -> ErrorCode {
    match code {
        ErrorCode::UnknownTopicOrPartition
        | ErrorCode::NotEnoughReplicas
        | ErrorCode::RequestTimedOut => ErrorCode::CoordinatorNotAvailable,
        ErrorCode::NotLeaderOrFollower | ErrorCode::NetworkException => ErrorCode::NotCoordinator,
        ErrorCode::MessageTooLarge | ErrorCode::RecordListTooLarge => {
            ErrorCode::InvalidCommitOffsetSize
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Millis;
    use crate::cluster::ClusterConfig;
    use crate::group::coordinator::{CoordinatorConfig, CoordinatorResponse, JoinGroupRequest};

    fn tp(p: i32) -> TopicPartition {
        TopicPartition::new("orders", p)
    }

    fn commit(offset: i64, p: i32) -> OffsetToCommit {
        OffsetToCommit {
            partition: tp(p),
            offset,
            leader_epoch: 0,
            metadata: String::new(),
        }
    }

    #[test]
    fn commits_land_in_the_groups_partition_and_survive_a_reload() {
        let mut cluster = Cluster::new(ClusterConfig::default(), 1, Millis(1_000)).unwrap();
        let mut coordinator = GroupCoordinator::new(CoordinatorConfig::default());
        let result = coordinator.commit_offsets(
            &mut cluster,
            "my-group",
            "",
            -1,
            &[commit(10, 0), commit(7, 1)],
        );
        assert!(result.iter().all(|(_, e)| e.is_none()), "{result:?}");
        cluster.advance(1);
        coordinator.commit_offsets(&mut cluster, "my-group", "", -1, &[commit(12, 0)]);
        cluster.advance(1);

        // "my-group" lives in partition 12 of __consumer_offsets.
        let log = cluster
            .fetch(consumer_offsets::TOPIC, 12, 0, u64::MAX)
            .unwrap();
        let records: Vec<_> = log
            .batches
            .iter()
            .flat_map(|b| decode_batch(&b.bytes).unwrap())
            .collect();
        assert_eq!(records.len(), 3, "one record per committed partition");
        let key = OffsetsKey::decode(records[0].key.as_deref().unwrap()).unwrap();
        assert_eq!(
            key,
            OffsetsKey::OffsetCommit {
                version: 1,
                group: "my-group".into(),
                topic: "orders".into(),
                partition: 0
            }
        );
        assert!(
            cluster
                .describe_topic(consumer_offsets::TOPIC)
                .unwrap()
                .internal
        );

        let fetched = coordinator.fetch_offsets("my-group", Some(&[tp(0), tp(1), tp(2)]));
        let offsets: Vec<i64> = fetched.iter().map(|c| c.offset).collect();
        assert_eq!(offsets, [12, 7, -1]);

        let mut fresh = GroupCoordinator::new(CoordinatorConfig::default());
        assert_eq!(fresh.load_offsets(&cluster).unwrap(), 2);
        assert_eq!(
            fresh.fetch_offsets("my-group", None),
            coordinator.fetch_offsets("my-group", None)
        );
    }

    #[test]
    fn deleting_a_group_tombstones_its_offsets_and_only_an_empty_group_goes() {
        let mut cluster = Cluster::new(ClusterConfig::default(), 1, Millis(1_000)).unwrap();
        let mut coordinator = GroupCoordinator::new(CoordinatorConfig {
            group_initial_rebalance_delay_ms: 0,
            ..CoordinatorConfig::default()
        });
        coordinator.commit_offsets(
            &mut cluster,
            "my-group",
            "",
            -1,
            &[commit(10, 0), commit(7, 1)],
        );
        cluster.advance(1);
        assert_eq!(
            coordinator.known_groups(),
            ["my-group"],
            "known by its offsets"
        );
        assert_eq!(
            coordinator
                .delete_group(&mut cluster, "my-group")
                .map_err(|e| e.code),
            Ok(())
        );
        cluster.advance(1);
        assert!(coordinator.fetch_offsets("my-group", None).is_empty());
        assert!(coordinator.known_groups().is_empty());
        // The topic says so too: a new coordinator replaying it finds nothing.
        let mut fresh = GroupCoordinator::new(CoordinatorConfig::default());
        assert_eq!(fresh.load_offsets(&cluster).unwrap(), 0);
        let records: Vec<_> = cluster
            .fetch(consumer_offsets::TOPIC, 12, 0, u64::MAX)
            .unwrap()
            .batches
            .iter()
            .flat_map(|b| decode_batch(&b.bytes).unwrap())
            .collect();
        assert_eq!(
            records.len(),
            5,
            "2 commits, 2 offset tombstones, 1 metadata tombstone"
        );
        assert!(records[2..].iter().all(|r| r.value.is_none()));
        assert_eq!(
            coordinator
                .delete_group(&mut cluster, "my-group")
                .map_err(|e| e.code),
            Err(ErrorCode::GroupIdNotFound)
        );

        let join = JoinGroupRequest {
            group_id: "busy".into(),
            member_id: String::new(),
            group_instance_id: None,
            client_id: "c".into(),
            session_timeout_ms: 45_000,
            rebalance_timeout_ms: 300_000,
            protocol_type: "consumer".into(),
            protocols: vec![("range".into(), vec![])],
        };
        let CoordinatorResponse::Join { response, .. } =
            &coordinator.join_group(join.clone(), Millis(0))[0]
        else {
            panic!()
        };
        let member = response.member_id.clone();
        coordinator.join_group(
            JoinGroupRequest {
                member_id: member,
                ..join
            },
            Millis(0),
        );
        assert_eq!(
            coordinator
                .delete_group(&mut cluster, "busy")
                .map_err(|e| e.code),
            Err(ErrorCode::NonEmptyGroup)
        );
    }

    #[test]
    fn a_deleted_topics_offsets_leave_every_group() {
        let mut cluster = Cluster::new(ClusterConfig::default(), 1, Millis(1_000)).unwrap();
        let mut coordinator = GroupCoordinator::new(CoordinatorConfig::default());
        let other = OffsetToCommit {
            partition: TopicPartition::new("other", 0),
            ..commit(3, 0)
        };
        coordinator.commit_offsets(
            &mut cluster,
            "a",
            "",
            -1,
            &[commit(10, 0), commit(7, 1), other.clone()],
        );
        coordinator.commit_offsets(&mut cluster, "b", "", -1, &[commit(1, 0)]);
        cluster.advance(1);
        assert_eq!(coordinator.remove_topic_offsets(&mut cluster, "orders"), 3);
        cluster.advance(1);
        let left = |c: &GroupCoordinator, g: &str| -> Vec<String> {
            c.fetch_offsets(g, None)
                .iter()
                .map(|o| o.partition.to_string())
                .collect()
        };
        assert_eq!(left(&coordinator, "a"), ["other-0"]);
        assert!(left(&coordinator, "b").is_empty());
        let mut fresh = GroupCoordinator::new(CoordinatorConfig::default());
        fresh.load_offsets(&cluster).unwrap();
        assert_eq!(left(&fresh, "a"), ["other-0"]);
        assert!(
            left(&fresh, "b").is_empty(),
            "the tombstones are in the topic"
        );
        assert_eq!(
            coordinator.known_groups(),
            ["a"],
            "b had nothing else: it is gone"
        );
    }

    #[test]
    fn commits_are_checked_against_the_group() {
        let mut cluster = Cluster::new(
            ClusterConfig {
                broker_count: 1,
                ..ClusterConfig::default()
            },
            1,
            Millis(0),
        )
        .unwrap();
        let mut c = GroupCoordinator::new(CoordinatorConfig {
            group_initial_rebalance_delay_ms: 0,
            ..CoordinatorConfig::default()
        });
        let join = |id: &str| JoinGroupRequest {
            group_id: "g".into(),
            member_id: id.into(),
            group_instance_id: None,
            client_id: "c".into(),
            session_timeout_ms: 45_000,
            rebalance_timeout_ms: 300_000,
            protocol_type: "consumer".into(),
            protocols: vec![("range".into(), vec![])],
        };
        let CoordinatorResponse::Join { response, .. } = &c.join_group(join(""), Millis(0))[0]
        else {
            panic!()
        };
        let member = response.member_id.clone();
        c.join_group(join(&member), Millis(0));
        let err = |r: Vec<(TopicPartition, Option<ErrorCode>)>| r[0].1;
        assert_eq!(
            err(c.commit_offsets(&mut cluster, "g", &member, 1, &[commit(1, 0)])),
            Some(ErrorCode::RebalanceInProgress),
            "before SyncGroup"
        );
        c.sync_group("g", &member, 1, vec![], Millis(0));
        assert_eq!(
            err(c.commit_offsets(&mut cluster, "g", &member, 1, &[commit(1, 0)])),
            None
        );
        assert_eq!(
            err(c.commit_offsets(&mut cluster, "g", &member, 0, &[commit(1, 0)])),
            Some(ErrorCode::IllegalGeneration)
        );
        assert_eq!(
            err(c.commit_offsets(&mut cluster, "g", "stranger", 1, &[commit(1, 0)])),
            Some(ErrorCode::UnknownMemberId)
        );
        assert_eq!(
            err(c.commit_offsets(&mut cluster, "g", "", -1, &[commit(1, 0)])),
            Some(ErrorCode::UnknownMemberId),
            "the group is not empty"
        );
        assert_eq!(
            err(c.commit_offsets(&mut cluster, "", "", -1, &[commit(1, 0)])),
            Some(ErrorCode::InvalidGroupId)
        );
    }
}
