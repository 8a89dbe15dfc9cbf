//! A Kafka cluster in memory: brokers, topics, partitions and their
//! replicas, driven by calls and an injected clock.
//!
//! This is the broker side of the playground. Topics are created, altered,
//! grown and deleted with Kafka's validation and error codes; each partition
//! has replicas on distinct brokers (placed as Kafka's rack-unaware
//! assignment places them), one leader, a leader epoch and an in-sync
//! replica set. Producers append RecordBatch bytes to the leader with
//! `acks` 0, 1 or all; followers copy the leader's bytes as time advances;
//! the high watermark follows the ISR. Stopping a broker moves leadership
//! to another in-sync replica, or leaves the partition offline when none is
//! left (unless `unclean.leader.election.enable`). Every change is an
//! [`Event`]. Nothing here reads the wall clock or does I/O.

mod snapshot;

pub use snapshot::SnapshotError;

use crate::collections::OrdMap;

use bytes::Bytes;

use crate::clock::{Clock, Millis};
use crate::compact_sort::CollectBTree;
use crate::error::{ErrorCode, KafkaError};
use crate::events::{BrokerId, Event, EventLog, IsrChangeReason, TimedEvent};
use crate::log::{CompactionParams, LogError, LogParams, PartitionLog, StoredBatch};
use crate::producer_state::{ProducerStateTable, SequenceCheck, SequenceError};
use crate::record::BatchHeader;
use crate::record::Compression;
use crate::rng::Rng;
use crate::topic_config::{Compression as TopicCompression, TopicConfig};

/// Most brokers a playground cluster can have.
pub const MAX_BROKERS: i32 = 9;
/// Most partitions one topic can have in the playground (a browser tab's
/// memory is small; Kafka itself has no such per-topic limit).
pub const MAX_PARTITIONS_PER_TOPIC: i32 = 1_000;
/// Kafka's longest legal topic name.
pub const MAX_TOPIC_NAME_LENGTH: usize = 249;

/// Broker settings of the cluster, with Kafka's names and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// How many brokers the cluster starts with (ids 1..=n).
    pub broker_count: i32,
    /// `num.partitions`: partitions of a topic created without a count.
    pub num_partitions: i32,
    /// `default.replication.factor`.
    pub default_replication_factor: i16,
    /// `replica.lag.time.max.ms`: a follower that has not caught up for this
    /// long leaves the ISR.
    pub replica_lag_time_max_ms: i64,
    /// `auto.create.topics.enable`.
    pub auto_create_topics_enable: bool,
    /// `delete.topic.enable`.
    pub delete_topic_enable: bool,
    /// `broker.session.timeout.ms`: a broker the controller has not heard
    /// from for this long is fenced and loses its leaderships.
    pub broker_session_timeout_ms: i64,
    /// The playground's cap on bytes held by all replicas together, so a
    /// long demo cannot exhaust the browser tab (default 256 MiB).
    pub memory_limit_bytes: u64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            broker_count: 3,
            num_partitions: 1,
            default_replication_factor: 1,
            replica_lag_time_max_ms: 30_000,
            broker_session_timeout_ms: 9_000,
            auto_create_topics_enable: true,
            delete_topic_enable: true,
            memory_limit_bytes: 256 * 1024 * 1024,
        }
    }
}

/// A request to create a topic, as CreateTopics carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTopic {
    /// Topic name.
    pub name: String,
    /// Partition count, or -1 for `num.partitions`.
    pub partitions: i32,
    /// Replication factor, or -1 for `default.replication.factor`.
    pub replication_factor: i16,
    /// Topic config overrides (`--config key=value`).
    pub configs: Vec<(String, String)>,
}

impl NewTopic {
    /// A topic with the given partitions and replication factor and no
    /// config overrides.
    #[must_use]
    pub fn new(name: impl Into<String>, partitions: i32, replication_factor: i16) -> Self {
        Self {
            name: name.into(),
            partitions,
            replication_factor,
            configs: Vec::new(),
        }
    }

    /// Adds a config override.
    #[must_use]
    pub fn config(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.configs.push((key.into(), value.into()));
        self
    }
}

/// `acks`: how many replicas must have a batch before the producer hears back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Acks {
    /// `acks=0`: no response at all.
    None,
    /// `acks=1`: the leader has it.
    Leader,
    /// `acks=all` (-1): every in-sync replica has it.
    All,
}

impl Acks {
    /// Parses the wire value: 0, 1 or -1.
    pub fn from_wire(acks: i16) -> Result<Self, KafkaError> {
        match acks {
            0 => Ok(Acks::None),
            1 => Ok(Acks::Leader),
            -1 => Ok(Acks::All),
            other => Err(KafkaError::new(
                ErrorCode::InvalidRequiredAcks,
                format!("Invalid required acks value {other}: must be 0, 1 or -1"),
            )),
        }
    }
}

/// What a network fault cuts a broker off from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworkCut {
    /// Everything: other brokers, clients and the controller. The
    /// controller fences it after `broker.session.timeout.ms`.
    Everything,
    /// Other brokers and clients only: its heartbeats still reach the
    /// controller, so it stays unfenced and, as a follower, leaves the ISR
    /// only after `replica.lag.time.max.ms`.
    DataOnly,
}

/// Identifies a produce request waiting for replication (`acks=all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestId(pub u64);

/// A successful produce response for one partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProduceAck {
    /// Offset of the batch's first record.
    pub base_offset: i64,
    /// Broker time for `LogAppendTime` topics, else -1.
    pub log_append_time: i64,
    /// The partition's log-start offset.
    pub log_start_offset: i64,
}

/// What a produce call gives back straight away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProduceOutcome {
    /// `acks=0`: the leader appended it, and says nothing.
    NoResponse,
    /// `acks=1`: the leader appended it.
    Acknowledged(ProduceAck),
    /// `acks=all`: appended, waiting for the ISR; completes in a later
    /// [`Cluster::advance`].
    Pending(RequestId),
}

/// A delayed (`acks=all`) produce that finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProduceCompletion {
    /// The request.
    pub request: RequestId,
    /// Topic name.
    pub topic: String,
    /// Partition index.
    pub partition: i32,
    /// The response.
    pub result: Result<ProduceAck, KafkaError>,
}

/// What a consumer's fetch from the leader returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchData {
    /// Whole batches from the one holding the requested offset.
    pub batches: Vec<StoredBatch>,
    /// The partition's high watermark.
    pub high_watermark: i64,
    /// The partition's log-start offset.
    pub log_start_offset: i64,
}

/// Which offset ListOffsets asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetSpec {
    /// `-2`: the log-start offset.
    Earliest,
    /// `-1`: the high watermark.
    Latest,
    /// The first offset whose batch has a timestamp at or after this.
    Timestamp(i64),
    /// `-3` (KIP-734): the offset of the record with the largest timestamp
    /// (the first of equals), below the high watermark.
    MaxTimestamp,
}

/// One partition as `kafka-topics --describe` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionDescription {
    /// Partition index.
    pub partition: i32,
    /// Current leader, if any.
    pub leader: Option<BrokerId>,
    /// Leader epoch.
    pub leader_epoch: i32,
    /// Replica brokers, preferred leader first.
    pub replicas: Vec<BrokerId>,
    /// In-sync replicas.
    pub isr: Vec<BrokerId>,
    /// The leader's log-start offset.
    pub log_start_offset: i64,
    /// The high watermark.
    pub high_watermark: i64,
    /// The leader's log-end offset.
    pub log_end_offset: i64,
    /// The leader's log cleaner checkpoint: compaction has cleaned every
    /// offset below it (the log-start offset until a first clean).
    pub cleaned_to: i64,
}

/// Kafka's own internal topics (`Topic.INTERNAL_TOPICS`): what Metadata
/// marks `isInternal` and `kafka-topics --exclude-internal` leaves out.
/// The Schema Registry's `_schemas` and Connect's topics are ordinary
/// topics to Kafka, though the playground marks them as its services' own
/// ([`TopicDescription::internal`]).
pub const KAFKA_INTERNAL_TOPICS: [&str; 3] = [
    "__consumer_offsets",
    "__transaction_state",
    "__share_group_state",
];

/// Whether Kafka itself calls `topic` internal ([`KAFKA_INTERNAL_TOPICS`]).
#[must_use]
pub fn is_kafka_internal(topic: &str) -> bool {
    KAFKA_INTERNAL_TOPICS.contains(&topic)
}

/// A topic as `kafka-topics --describe` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicDescription {
    /// Topic name.
    pub name: String,
    /// Kafka's topic id (a UUID), as bytes.
    pub topic_id: [u8; 16],
    /// Whether it is an internal topic.
    pub internal: bool,
    /// Partitions in index order.
    pub partitions: Vec<PartitionDescription>,
    /// Config overrides (`Configs:` in the describe output).
    pub config_overrides: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
struct Broker {
    online: bool,
    /// Cut off from the other brokers and clients since then.
    isolated_since: Option<Millis>,
    /// Whether its heartbeats still reach the controller while isolated.
    controller_reachable: bool,
    /// The controller fenced it (isolated for `broker.session.timeout.ms`).
    fenced: bool,
    /// Its traffic so far, as its metrics count it.
    traffic: BrokerTraffic,
}

/// A broker's traffic since it was created, as Kafka's
/// `kafka.server:type=BrokerTopicMetrics` meters count it: produce bytes
/// and messages its partitions' leaders appended (`BytesInPerSec`,
/// `MessagesInPerSec`) and bytes it answered consumers' Fetch requests
/// with ([`Cluster::fetch_for_client`]: `BytesOutPerSec`; replication between
/// brokers and the broker's own reads are not counted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrokerTraffic {
    /// Bytes appended as leader.
    pub bytes_in: u64,
    /// Records appended as leader.
    pub messages_in: u64,
    /// Bytes served to Fetch requests (a cell: a fetch reads the cluster).
    bytes_out: std::cell::Cell<u64>,
}

impl BrokerTraffic {
    /// Bytes served to Fetch requests.
    #[must_use]
    pub fn bytes_out(&self) -> u64 {
        self.bytes_out.get()
    }
}

#[derive(Debug, Clone)]
struct Replica {
    log: PartitionLog,
    /// Last time this follower had everything the leader had.
    last_caught_up: Millis,
    /// Must check for divergence from the leader's log before fetching
    /// (set when the leader epoch changes).
    check_divergence: bool,
    /// Idempotent producers' recent batches in this replica.
    producers: ProducerStateTable,
}

#[derive(Debug, Clone)]
struct Partition {
    replicas: Vec<BrokerId>,
    leader: Option<BrokerId>,
    leader_epoch: i32,
    isr: Vec<BrokerId>,
    logs: OrdMap<BrokerId, Replica>,
}

#[derive(Debug, Clone)]
struct Topic {
    topic_id: [u8; 16],
    internal: bool,
    config: TopicConfig,
    partitions: Vec<Partition>,
}

#[derive(Debug, Clone)]
struct PendingProduce {
    request: RequestId,
    topic: String,
    partition: i32,
    leader_epoch: i32,
    required_offset: i64,
    ack: ProduceAck,
    deadline: Millis,
}

/// The cluster: brokers, topics, partitions, and time.
#[derive(Debug, Clone)]
pub struct Cluster {
    config: ClusterConfig,
    clock: Clock,
    rng: Rng,
    brokers: OrdMap<BrokerId, Broker>,
    topics: OrdMap<String, Topic>,
    pending: Vec<PendingProduce>,
    next_request: u64,
    next_producer_id: i64,
    events: EventLog,
}

/// A producer id and epoch handed out by InitProducerId.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProducerIdAndEpoch {
    /// The producer id.
    pub producer_id: i64,
    /// The epoch.
    pub epoch: i16,
}

impl Cluster {
    /// A cluster of `config.broker_count` running brokers (ids 1..=n) at
    /// engine time `start`; `seed` makes every random choice repeatable.
    pub fn new(config: ClusterConfig, seed: u64, start: Millis) -> Result<Self, KafkaError> {
        if !(1..=MAX_BROKERS).contains(&config.broker_count) {
            return Err(KafkaError::invalid_request(format!(
                "A playground cluster has 1 to {MAX_BROKERS} brokers, not {}",
                config.broker_count
            )));
        }
        if config.num_partitions < 1 || config.default_replication_factor < 1 {
            return Err(KafkaError::invalid_config(
                "num.partitions and default.replication.factor must be at least 1",
            ));
        }
        Ok(Self::build(config, seed, start))
    }

    /// A cluster with [`ClusterConfig::default`]: three brokers and Kafka's
    /// broker defaults. It cannot fail: the default config is valid.
    #[must_use]
    pub fn with_defaults(seed: u64, start: Millis) -> Self {
        Self::build(ClusterConfig::default(), seed, start)
    }

    fn build(config: ClusterConfig, seed: u64, start: Millis) -> Self {
        let brokers = (1..=config.broker_count)
            .map(|id| {
                let broker = Broker {
                    online: true,
                    isolated_since: None,
                    controller_reachable: true,
                    fenced: false,
                    traffic: BrokerTraffic::default(),
                };
                (id, broker)
            })
            .collect_map();
        Self {
            config,
            clock: Clock::starting_at(start),
            rng: Rng::seeded(seed),
            brokers,
            topics: OrdMap::new(),
            pending: Vec::new(),
            next_request: 1,
            next_producer_id: 0,
            events: EventLog::default(),
        }
    }

    /// The cluster's broker settings.
    #[must_use]
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// Current engine time.
    #[must_use]
    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    /// Takes the events that happened since the last call.
    pub fn drain_events(&mut self) -> Vec<TimedEvent> {
        self.events.drain()
    }

    /// Broker ids with whether each is running.
    #[must_use]
    pub fn brokers(&self) -> Vec<(BrokerId, bool)> {
        self.brokers.iter().map(|(id, b)| (*id, b.online)).collect()
    }

    /// Whether broker `id` is running (`false` for an id the cluster
    /// does not have).
    #[must_use]
    pub fn broker_online(&self, id: BrokerId) -> bool {
        self.brokers.get(&id).is_some_and(|b| b.online)
    }

    /// A broker's traffic so far (`None` for an id the cluster does not
    /// have).
    #[must_use]
    pub fn broker_traffic(&self, id: BrokerId) -> Option<&BrokerTraffic> {
        self.brokers.get(&id).map(|b| &b.traffic)
    }

    /// Bytes held by every replica of every partition.
    #[must_use]
    pub fn memory_used(&self) -> u64 {
        self.topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .flat_map(|p| p.logs.values())
            .map(|r| r.log.size_bytes())
            .sum()
    }

    // ----- admin ---------------------------------------------------------

    /// Creates a topic (CreateTopics), validating as Kafka does.
    pub fn create_topic(&mut self, request: NewTopic) -> Result<(), KafkaError> {
        self.create(request, false)
    }

    /// Creates an internal topic such as `__consumer_offsets` or `_schemas`:
    /// an ordinary topic marked internal. The replication factor is capped
    /// at the number of brokers, as the playground's small clusters need.
    pub fn create_internal_topic(&mut self, mut request: NewTopic) -> Result<(), KafkaError> {
        let brokers = i16::try_from(self.config.broker_count).unwrap_or(i16::MAX);
        request.replication_factor = request.replication_factor.min(brokers);
        self.create(request, true)
    }

    fn create(&mut self, request: NewTopic, internal: bool) -> Result<(), KafkaError> {
        validate_topic_name(&request.name)?;
        if self.topics.contains_key(&request.name) {
            return Err(KafkaError::new(
                ErrorCode::TopicAlreadyExists,
                format!("Topic '{}' already exists.", request.name),
            ));
        }
        if let Some(existing) = self.topics.keys().find(|t| collides(t, &request.name)) {
            return Err(KafkaError::new(
                ErrorCode::InvalidTopicException,
                format!(
                    "Topic '{}' collides with existing topic: {existing}",
                    request.name
                ),
            ));
        }
        let partitions = match request.partitions {
            -1 => self.config.num_partitions,
            n if n < 1 => {
                return Err(KafkaError::new(
                    ErrorCode::InvalidPartitions,
                    "Number of partitions was set to an invalid non-positive value.",
                ))
            }
            n if n > MAX_PARTITIONS_PER_TOPIC => {
                return Err(KafkaError::new(
                    ErrorCode::InvalidPartitions,
                    format!("The playground allows at most {MAX_PARTITIONS_PER_TOPIC} partitions per topic, not {n}."),
                ))
            }
            n => n,
        };
        let replication_factor = match request.replication_factor {
            -1 => self.config.default_replication_factor,
            n if n < 1 => {
                return Err(KafkaError::new(
                    ErrorCode::InvalidReplicationFactor,
                    "Replication factor must be larger than 0, or -1 to use the default value.",
                ))
            }
            n => n,
        };
        let config = TopicConfig::from_pairs(&request.configs)?;
        let online = self.electable_brokers();
        let assignment =
            assign_replicas(&online, partitions, replication_factor, 0, &mut self.rng)?;
        let now = self.now();
        let partition_list = assignment
            .into_iter()
            .map(|replicas| new_partition(replicas, now, 0))
            .collect();
        let mut topic_id = [0_u8; 16];
        for chunk in topic_id.chunks_mut(8) {
            chunk.copy_from_slice(&self.rng.next_u64().to_be_bytes());
        }
        self.topics.insert(
            request.name.clone(),
            Topic {
                topic_id,
                internal,
                config,
                partitions: partition_list,
            },
        );
        self.events.push(
            now,
            Event::TopicCreated {
                topic: request.name,
                partitions,
                replication_factor,
                internal,
            },
        );
        Ok(())
    }

    /// Topic names in order; internal topics only if asked for.
    #[must_use]
    pub fn list_topics(&self, include_internal: bool) -> Vec<String> {
        self.topics
            .iter()
            .filter(|(_, t)| include_internal || !t.internal)
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Whether a topic exists.
    #[must_use]
    pub fn has_topic(&self, topic: &str) -> bool {
        self.topics.contains_key(topic)
    }

    /// The topic's configs.
    pub fn topic_config(&self, topic: &str) -> Result<&TopicConfig, KafkaError> {
        Ok(&self.topic(topic)?.config)
    }

    /// Number of partitions of a topic.
    pub fn partition_count(&self, topic: &str) -> Result<i32, KafkaError> {
        Ok(i32::try_from(self.topic(topic)?.partitions.len()).unwrap_or(i32::MAX))
    }

    /// The current leader of a partition (what Metadata tells a client).
    #[must_use]
    pub fn leader_of(&self, topic: &str, partition: i32) -> Option<BrokerId> {
        self.partition(topic, partition).ok().and_then(|p| p.leader)
    }

    /// Describes a topic: partitions, leaders, replicas, ISR and offsets.
    pub fn describe_topic(&self, name: &str) -> Result<TopicDescription, KafkaError> {
        let topic = self.topic(name)?;
        let partitions = topic
            .partitions
            .iter()
            .zip(0..)
            .map(|(p, index)| {
                let leader_log = p.leader.and_then(|l| p.logs.get(&l)).map(|r| &r.log);
                PartitionDescription {
                    partition: index,
                    leader: p.leader,
                    leader_epoch: p.leader_epoch,
                    replicas: p.replicas.clone(),
                    isr: p.isr.clone(),
                    log_start_offset: leader_log.map_or(-1, PartitionLog::log_start_offset),
                    high_watermark: leader_log.map_or(-1, PartitionLog::high_watermark),
                    log_end_offset: leader_log.map_or(-1, PartitionLog::log_end_offset),
                    cleaned_to: leader_log
                        .map_or(-1, |l| l.cleaner_checkpoint().max(l.log_start_offset())),
                }
            })
            .collect();
        Ok(TopicDescription {
            name: name.to_owned(),
            topic_id: topic.topic_id,
            internal: topic.internal,
            partitions,
            config_overrides: topic
                .config
                .overrides()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        })
    }

    /// Alters topic configs: `set` overrides, `delete` reverts to defaults.
    pub fn alter_topic_configs(
        &mut self,
        topic: &str,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<(), KafkaError> {
        let now = self.now();
        let entry = self.topic_mut(topic)?;
        entry.config.apply_alter(set, delete)?;
        self.events.push(
            now,
            Event::ConfigsAltered {
                topic: topic.to_owned(),
            },
        );
        Ok(())
    }

    /// Grows a topic to `total` partitions (CreatePartitions). Existing
    /// data stays where it is, but keys hash to new partitions from now on.
    pub fn create_partitions(&mut self, topic: &str, total: i32) -> Result<(), KafkaError> {
        let online = self.electable_brokers();
        let now = self.now();
        let entry = self
            .topics
            .get_mut(topic)
            .ok_or_else(|| unknown_topic(topic))?;
        let current = i32::try_from(entry.partitions.len()).unwrap_or(i32::MAX);
        if total < current {
            return Err(KafkaError::new(
                ErrorCode::InvalidPartitions,
                format!("Topic currently has {current} partitions, which is higher than the requested {total}."),
            ));
        }
        if total == current {
            return Err(KafkaError::new(
                ErrorCode::InvalidPartitions,
                format!("Topic already has {current} partitions."),
            ));
        }
        if total > MAX_PARTITIONS_PER_TOPIC {
            return Err(KafkaError::new(
                ErrorCode::InvalidPartitions,
                format!("The playground allows at most {MAX_PARTITIONS_PER_TOPIC} partitions per topic, not {total}."),
            ));
        }
        let replication_factor = entry
            .partitions
            .first()
            .map_or(1, |p| i16::try_from(p.replicas.len()).unwrap_or(i16::MAX));
        let added = assign_replicas(
            &online,
            total - current,
            replication_factor,
            current,
            &mut self.rng,
        )?;
        entry.partitions.extend(
            added
                .into_iter()
                .map(|replicas| new_partition(replicas, now, 0)),
        );
        self.events.push(
            now,
            Event::PartitionsAdded {
                topic: topic.to_owned(),
                from: current,
                to: total,
            },
        );
        Ok(())
    }

    /// Deletes a topic and all its data, if `delete.topic.enable` allows.
    pub fn delete_topic(&mut self, topic: &str) -> Result<(), KafkaError> {
        if !self.config.delete_topic_enable {
            return Err(KafkaError::new(
                ErrorCode::TopicDeletionDisabled,
                "Topic deletion is disabled.",
            ));
        }
        if self.topics.remove(topic).is_none() {
            return Err(unknown_topic(topic));
        }
        let now = self.now();
        // Produces still waiting on the topic complete with
        // UNKNOWN_TOPIC_OR_PARTITION at the next `advance`.
        self.events.push(
            now,
            Event::TopicDeleted {
                topic: topic.to_owned(),
            },
        );
        Ok(())
    }

    // ----- brokers -------------------------------------------------------

    /// Stops a broker (a controlled shutdown): it leaves every ISR at once,
    /// and its partitions elect new leaders from the remaining ISR. A
    /// partition whose only in-sync replica it was goes offline, unless the
    /// topic allows unclean leader election.
    pub fn stop_broker(&mut self, broker: BrokerId) -> Result<(), KafkaError> {
        let state = self
            .brokers
            .get_mut(&broker)
            .ok_or_else(|| unknown_broker(broker))?;
        if !state.online {
            return Ok(());
        }
        state.online = false;
        let now = self.now();
        self.events.push(now, Event::BrokerStopped { broker });
        self.leave_partitions(broker, IsrChangeReason::BrokerStopped);
        Ok(())
    }

    /// Starts a stopped broker. Its replicas catch up from their leaders as
    /// time advances and rejoin the ISR; an offline partition whose last
    /// in-sync replica this was gets it back as leader.
    pub fn start_broker(&mut self, broker: BrokerId) -> Result<(), KafkaError> {
        let state = self
            .brokers
            .get_mut(&broker)
            .ok_or_else(|| unknown_broker(broker))?;
        if state.online {
            return Ok(());
        }
        state.online = true;
        let now = self.now();
        self.events.push(now, Event::BrokerStarted { broker });
        self.rejoin_partitions(broker);
        Ok(())
    }

    /// Cuts a running broker off from the others and from clients (a
    /// network partition). Its followers stop fetching: cut off from
    /// everything, the controller fences it after
    /// `broker.session.timeout.ms`, removing it from ISRs and moving its
    /// leaderships; cut off from data traffic only, its followers drop out
    /// of ISRs after `replica.lag.time.max.ms`. Clients cannot reach it.
    pub fn isolate_broker(&mut self, broker: BrokerId, cut: NetworkCut) -> Result<(), KafkaError> {
        let now = self.now();
        let state = self
            .brokers
            .get_mut(&broker)
            .ok_or_else(|| unknown_broker(broker))?;
        if state.online && state.isolated_since.is_none() {
            state.isolated_since = Some(now);
            state.controller_reachable = cut == NetworkCut::DataOnly;
            self.events.push(now, Event::BrokerIsolated { broker });
        }
        Ok(())
    }

    /// Ends a broker's isolation: it is unfenced, its replicas truncate to
    /// their leaders' logs and catch up, and rejoin the ISR.
    pub fn heal_broker(&mut self, broker: BrokerId) -> Result<(), KafkaError> {
        let now = self.now();
        let state = self
            .brokers
            .get_mut(&broker)
            .ok_or_else(|| unknown_broker(broker))?;
        if state.isolated_since.take().is_none() {
            return Ok(());
        }
        state.fenced = false;
        self.events.push(now, Event::BrokerHealed { broker });
        self.rejoin_partitions(broker);
        Ok(())
    }

    /// The controller fences brokers isolated for longer than
    /// `broker.session.timeout.ms`: they leave every ISR they are not alone
    /// in, and partitions they led elect a reachable in-sync replica.
    fn fence_isolated(&mut self) {
        let now = self.now();
        let timeout = self.config.broker_session_timeout_ms;
        let newly: Vec<BrokerId> = self
            .brokers
            .iter_mut()
            .filter(|(_, b)| {
                !b.fenced
                    && !b.controller_reachable
                    && b.isolated_since.is_some_and(|t| now.since(t) >= timeout)
            })
            .map(|(id, b)| {
                b.fenced = true;
                *id
            })
            .collect();
        for broker in newly {
            self.events.push(now, Event::BrokerFenced { broker });
            self.leave_partitions(broker, IsrChangeReason::BrokerFenced);
        }
    }

    /// A broker leaves (stopped or fenced): it drops out of every ISR it is
    /// not alone in, and partitions it led elect another leader.
    fn leave_partitions(&mut self, broker: BrokerId, reason: IsrChangeReason) {
        let now = self.now();
        let electable = self.electable_brokers();
        for (name, topic) in &mut self.topics {
            let unclean_allowed = topic.config.values().unclean_leader_election_enable;
            for (partition, index) in topic.partitions.iter_mut().zip(0..) {
                if !partition.replicas.contains(&broker) {
                    continue;
                }
                if partition.isr.len() > 1 && partition.isr.contains(&broker) {
                    partition.isr.retain(|b| *b != broker);
                    self.events.push(
                        now,
                        Event::IsrChanged {
                            topic: name.clone(),
                            partition: index,
                            isr: partition.isr.clone(),
                            reason,
                        },
                    );
                }
                if partition.leader == Some(broker) {
                    elect_leader(
                        name,
                        index,
                        partition,
                        &electable,
                        unclean_allowed,
                        now,
                        &mut self.events,
                    );
                }
            }
        }
    }

    /// A broker comes back (started or healed): its replicas check their
    /// logs against their leaders' before fetching again, and an offline
    /// partition it belongs to may elect it.
    fn rejoin_partitions(&mut self, broker: BrokerId) {
        let now = self.now();
        let electable = self.electable_brokers();
        for (name, topic) in &mut self.topics {
            let unclean_allowed = topic.config.values().unclean_leader_election_enable;
            for (partition, index) in topic.partitions.iter_mut().zip(0..) {
                if let Some(replica) = partition.logs.get_mut(&broker) {
                    replica.check_divergence = true;
                    replica.last_caught_up = now;
                }
                if partition.leader.is_none() && partition.replicas.contains(&broker) {
                    elect_leader(
                        name,
                        index,
                        partition,
                        &electable,
                        unclean_allowed,
                        now,
                        &mut self.events,
                    );
                }
            }
        }
    }

    // ----- data ----------------------------------------------------------

    /// InitProducerId for an idempotent producer (no `transactional.id`):
    /// a fresh producer id at epoch 0.
    pub fn init_producer_id(&mut self) -> ProducerIdAndEpoch {
        let producer_id = self.next_producer_id;
        self.next_producer_id += 1;
        ProducerIdAndEpoch {
            producer_id,
            epoch: 0,
        }
    }

    /// Appends a producer's batch to a partition's leader (Produce).
    pub fn produce(
        &mut self,
        topic: &str,
        partition: i32,
        batch: Bytes,
        acks: Acks,
        timeout_ms: i64,
    ) -> Result<ProduceOutcome, KafkaError> {
        let now = self.now();
        let header = BatchHeader::parse(&batch).map_err(log_error)?;
        let size = header.total_size() as u64;
        let limit = self.config.memory_limit_bytes;
        let used = self.memory_used();
        let brokers = &self.brokers;
        let entry = self
            .topics
            .get_mut(topic)
            .ok_or_else(|| unknown_topic(topic))?;
        let params = log_params(&entry.config);
        let min_isr = entry.config.values().min_insync_replicas;
        let compacted = entry.config.values().cleanup_policy.compact;
        let topic_codec = entry.config.compression().map(codec_of);
        let state = entry
            .partitions
            .get_mut(usize::try_from(partition).unwrap_or(usize::MAX))
            .ok_or_else(|| unknown_partition(topic, partition))?;
        let Some(leader) = state.leader else {
            return Err(KafkaError::new(
                ErrorCode::NotLeaderOrFollower,
                format!("Partition {topic}-{partition} has no leader: all its in-sync replicas are stopped"),
            ));
        };
        if brokers
            .get(&leader)
            .is_some_and(|b| b.isolated_since.is_some())
        {
            return Err(network_error(leader));
        }
        if acks == Acks::All && i32::try_from(state.isr.len()).unwrap_or(i32::MAX) < min_isr {
            return Err(KafkaError::new(
                ErrorCode::NotEnoughReplicas,
                format!(
                    "The size of the current ISR {:?} is insufficient to satisfy the min.isr requirement of {min_isr} for partition {topic}-{partition}",
                    state.isr
                ),
            ));
        }
        let copies = state.replicas.len() as u64;
        if used.saturating_add(size.saturating_mul(copies)) > limit {
            return Err(KafkaError::new(
                ErrorCode::KafkaStorageError,
                format!(
                    "The playground's memory limit of {} MiB is reached ({used} bytes held): delete topics or lower retention",
                    limit / (1024 * 1024)
                ),
            ));
        }
        if compacted {
            let records = crate::record::decode_batch(&batch).map_err(log_error)?;
            if records.iter().any(|r| r.key.is_none()) {
                return Err(KafkaError::new(
                    ErrorCode::InvalidRecord,
                    format!("Compacted topic cannot accept message without key in topic partition {topic}-{partition}."),
                ));
            }
        }
        // compression.type other than `producer`: the broker stores the
        // batch with the topic's codec, recompressing when they differ.
        let batch = match topic_codec {
            Some(codec) if header.compression() != Some(codec) => {
                let recompressed = crate::record::recompress(&batch, codec).map_err(log_error)?;
                self.events.push(
                    now,
                    Event::BatchRecompressed {
                        topic: topic.to_owned(),
                        partition,
                        from: header
                            .compression()
                            .map_or("unknown", compression_name)
                            .to_owned(),
                        to: compression_name(codec).to_owned(),
                        bytes_before: size,
                        bytes_after: recompressed.len() as u64,
                    },
                );
                recompressed
            }
            _ => batch,
        };
        let leader_epoch = state.leader_epoch;
        let replica = state
            .logs
            .get_mut(&leader)
            .ok_or_else(|| KafkaError::new(ErrorCode::UnknownServerError, "leader has no log"))?;
        let check = replica
            .producers
            .check(&header, &format!("{topic}-{partition}"))
            .map_err(sequence_error)?;
        if let SequenceCheck::Duplicate(original) = check {
            self.events.push(
                now,
                Event::DuplicateBatch {
                    topic: topic.to_owned(),
                    partition,
                    producer_id: header.producer.producer_id,
                    first_sequence: original.first_seq,
                    first_offset: original.first_offset,
                },
            );
            let ack = ProduceAck {
                base_offset: original.first_offset,
                log_append_time: -1,
                log_start_offset: replica.log.log_start_offset(),
            };
            return Ok(self.respond(
                acks,
                ack,
                topic,
                partition,
                leader_epoch,
                original.last_offset + 1,
                now,
                timeout_ms,
            ));
        }
        let info = replica
            .log
            .append_as_leader(batch, leader_epoch, now, &params)
            .map_err(log_error)?;
        let mut stored = header;
        stored.base_offset = info.first_offset;
        replica.producers.record(&stored);
        if let Some(closed) = info.rolled_from {
            self.events.push(
                now,
                Event::SegmentRolled {
                    topic: topic.to_owned(),
                    partition,
                    broker: leader,
                    closed_base_offset: closed,
                },
            );
        }
        if let Some(broker) = self.brokers.get_mut(&leader) {
            broker.traffic.bytes_in += info.size_bytes;
            broker.traffic.messages_in +=
                u64::try_from(info.last_offset - info.first_offset + 1).unwrap_or(0);
        }
        self.events.push(
            now,
            Event::BatchAppended {
                topic: topic.to_owned(),
                partition,
                broker: leader,
                first_offset: info.first_offset,
                last_offset: info.last_offset,
                size_bytes: info.size_bytes,
            },
        );
        let ack = ProduceAck {
            base_offset: info.first_offset,
            log_append_time: info.log_append_time,
            log_start_offset: replica.log.log_start_offset(),
        };
        // A leader alone in its ISR is the whole ISR: its HW moves at once.
        update_high_watermark(topic, partition, state, now, &mut self.events);
        Ok(self.respond(
            acks,
            ack,
            topic,
            partition,
            leader_epoch,
            info.last_offset + 1,
            now,
            timeout_ms,
        ))
    }

    /// The answer to a produce whose batch is in the leader's log: at once
    /// for `acks` 0 and 1, once the ISR has it for `acks=all` — which is at
    /// once too when the high watermark is already past the batch (a leader
    /// alone in its ISR), as Kafka's `DelayedProduce` completes on its first
    /// try.
    #[allow(clippy::too_many_arguments)]
    fn respond(
        &mut self,
        acks: Acks,
        ack: ProduceAck,
        topic: &str,
        partition: i32,
        leader_epoch: i32,
        required_offset: i64,
        now: Millis,
        timeout_ms: i64,
    ) -> ProduceOutcome {
        match acks {
            Acks::None => ProduceOutcome::NoResponse,
            Acks::Leader => ProduceOutcome::Acknowledged(ack),
            Acks::All => {
                let replicated = self
                    .leader_log(topic, partition)
                    .is_ok_and(|(_, log)| log.high_watermark() >= required_offset);
                if replicated {
                    return ProduceOutcome::Acknowledged(ack);
                }
                let request = RequestId(self.next_request);
                self.next_request += 1;
                self.pending.push(PendingProduce {
                    request,
                    topic: topic.to_owned(),
                    partition,
                    leader_epoch,
                    required_offset,
                    ack,
                    deadline: now.plus(timeout_ms.max(0)),
                });
                ProduceOutcome::Pending(request)
            }
        }
    }

    /// Reads from a partition's leader up to the high watermark, as a
    /// consumer's Fetch does.
    pub fn fetch(
        &self,
        topic: &str,
        partition: i32,
        offset: i64,
        max_bytes: u64,
    ) -> Result<FetchData, KafkaError> {
        let (leader, log) = self.leader_log(topic, partition)?;
        if self.unreachable(leader) {
            return Err(network_error(leader));
        }
        let data = log
            .read(offset, max_bytes, log.high_watermark())
            .map_err(log_error)?;
        Ok(FetchData {
            batches: data.batches,
            high_watermark: log.high_watermark(),
            log_start_offset: log.log_start_offset(),
        })
    }

    /// A client's Fetch request: [`Self::fetch`], metered as the leader's
    /// `BytesOutPerSec` (see [`BrokerTraffic`]). The broker's own readers
    /// (the group coordinator loading offsets, the registry, the views)
    /// use [`Self::fetch`] and are not counted, as in Kafka.
    pub fn fetch_for_client(
        &self,
        topic: &str,
        partition: i32,
        offset: i64,
        max_bytes: u64,
    ) -> Result<FetchData, KafkaError> {
        let data = self.fetch(topic, partition, offset, max_bytes)?;
        if let Some(broker) = self
            .leader_of(topic, partition)
            .and_then(|leader| self.brokers.get(&leader))
        {
            let served: u64 = data.batches.iter().map(|b| b.bytes.len() as u64).sum();
            let out = &broker.traffic.bytes_out;
            out.set(out.get() + served);
        }
        Ok(data)
    }

    /// ListOffsets: the offset `spec` names in a partition's leader log, or
    /// `None` when no record matches (an empty log, a time after every
    /// record).
    pub fn list_offsets(
        &self,
        topic: &str,
        partition: i32,
        spec: OffsetSpec,
    ) -> Result<Option<i64>, KafkaError> {
        Ok(self
            .list_offsets_with_timestamp(topic, partition, spec)?
            .map(|(offset, _)| offset))
    }

    /// ListOffsets as the broker answers it: the offset and, for a time or
    /// `MaxTimestamp`, the timestamp of the record found (`-1` for the
    /// earliest and latest offsets). A time finds the first record (not
    /// just the first batch) whose timestamp is at or after it, below the
    /// high watermark.
    pub fn list_offsets_with_timestamp(
        &self,
        topic: &str,
        partition: i32,
        spec: OffsetSpec,
    ) -> Result<Option<(i64, i64)>, KafkaError> {
        let (_, log) = self.leader_log(topic, partition)?;
        let hw = log.high_watermark();
        let start = log.log_start_offset();
        let readable = |b: &&StoredBatch| b.header.base_offset < hw;
        // The first record in `b` at or after `start` (and below the high
        // watermark) that `wanted` accepts, with its timestamp.
        let record_in = |b: &StoredBatch, wanted: &dyn Fn(i64) -> bool| {
            crate::record::decode_batch(&b.bytes)
                .ok()
                .and_then(|records| {
                    records
                        .iter()
                        .find(|r| r.offset >= start && r.offset < hw && wanted(r.timestamp))
                        .map(|r| (r.offset, r.timestamp))
                })
        };
        Ok(match spec {
            OffsetSpec::Earliest => Some((start, -1)),
            OffsetSpec::Latest => Some((hw, -1)),
            OffsetSpec::Timestamp(ts) => log
                .segments()
                .flat_map(|s| s.batches.iter())
                .filter(readable)
                .filter(|b| b.header.max_timestamp >= ts)
                .find_map(|b| record_in(b, &|t| t >= ts)),
            OffsetSpec::MaxTimestamp => {
                // The batch whose largest timestamp is largest (the first of
                // equals), then the record in it that carries it.
                let mut best: Option<&StoredBatch> = None;
                for b in log
                    .segments()
                    .flat_map(|s| s.batches.iter())
                    .filter(readable)
                {
                    if best.is_none_or(|x| b.header.max_timestamp > x.header.max_timestamp) {
                        best = Some(b);
                    }
                }
                best.and_then(|b| {
                    let max = b.header.max_timestamp;
                    record_in(b, &|t| t == max)
                })
            }
        })
    }

    /// DeleteRecords for one partition (`AdminClient.deleteRecords`,
    /// `kafka-delete-records`): every replica's log-start offset moves up
    /// to `offset` (`-1`: the high watermark) and whole segments below it
    /// are deleted. Returns the new low watermark (the leader's log-start
    /// offset).
    ///
    /// # Errors
    ///
    /// `OFFSET_OUT_OF_RANGE` past the high watermark (Kafka's message),
    /// `NOT_LEADER_OR_FOLLOWER` without a leader, an unknown topic or
    /// partition.
    pub fn delete_records(
        &mut self,
        topic: &str,
        partition: i32,
        offset: i64,
    ) -> Result<i64, KafkaError> {
        let now = self.now();
        let (_, leader_log) = self.leader_log(topic, partition)?;
        let hw = leader_log.high_watermark();
        let target = if offset == -1 { hw } else { offset };
        if target < 0 || target > hw {
            return Err(KafkaError::new(
                ErrorCode::OffsetOutOfRange,
                format!(
                    "Cannot increment the log start offset to {target} of partition {topic}-{partition} since it is larger than the high watermark {hw}"
                ),
            ));
        }
        let index = usize::try_from(partition).unwrap_or(usize::MAX);
        let state = self
            .topic_mut(topic)?
            .partitions
            .get_mut(index)
            .ok_or_else(|| unknown_partition(topic, partition))?;
        let leader = state.leader;
        let mut low = target;
        for (broker, replica) in state.logs.iter_mut() {
            let start = replica.log.delete_records_before(target, now);
            if Some(*broker) == leader {
                low = start;
            }
        }
        self.events.push(
            now,
            Event::RecordsDeleted {
                topic: topic.to_owned(),
                partition,
                log_start_offset: low,
            },
        );
        Ok(low)
    }

    /// The log of one replica, for the UI's partition view and for tests.
    pub fn replica_log(
        &self,
        topic: &str,
        partition: i32,
        broker: BrokerId,
    ) -> Result<&PartitionLog, KafkaError> {
        self.partition(topic, partition)?
            .logs
            .get(&broker)
            .map(|r| &r.log)
            .ok_or_else(|| {
                KafkaError::new(
                    ErrorCode::NotLeaderOrFollower,
                    format!("Broker {broker} is not a replica of {topic}-{partition}"),
                )
            })
    }

    // ----- time ----------------------------------------------------------

    /// Moves engine time forward by `ms` and lets the cluster act: followers
    /// fetch from their leaders, ISRs shrink and grow, high watermarks move,
    /// retention runs, and waiting `acks=all` produces complete or time out.
    pub fn advance(&mut self, ms: i64) -> Vec<ProduceCompletion> {
        self.clock.advance(ms);
        self.fence_isolated();
        self.replicate();
        self.apply_retention();
        self.complete_pending()
    }

    fn replicate(&mut self) {
        let now = self.now();
        let lag_max = self.config.replica_lag_time_max_ms;
        let online = self.reachable_brokers();
        for (name, topic) in &mut self.topics {
            let params = log_params(&topic.config);
            for (partition, index) in topic.partitions.iter_mut().zip(0..) {
                sync_partition(
                    name,
                    index,
                    partition,
                    &online,
                    &params,
                    lag_max,
                    now,
                    &mut self.events,
                );
            }
        }
    }

    fn apply_retention(&mut self) {
        let now = self.now();
        for (name, topic) in &mut self.topics {
            let values = topic.config.values();
            let policy = values.cleanup_policy;
            let compaction = CompactionParams {
                min_cleanable_dirty_ratio: values.min_cleanable_dirty_ratio,
                min_compaction_lag_ms: values.min_compaction_lag_ms,
                max_compaction_lag_ms: values.max_compaction_lag_ms,
                delete_retention_ms: values.delete_retention_ms,
            };
            let params = log_params(&topic.config);
            for (partition, index) in topic.partitions.iter_mut().zip(0..) {
                for (broker, replica) in &mut partition.logs {
                    if policy.compact {
                        // A batch that fails to decode stays as it is; the
                        // log still serves it and the cleaner skips it.
                        if let Ok(Some(done)) = replica.log.compact(now, &compaction) {
                            self.events.push(
                                now,
                                Event::Compacted {
                                    topic: name.clone(),
                                    partition: index,
                                    broker: *broker,
                                    records_removed: done.records_removed,
                                    tombstones_removed: done.tombstones_removed,
                                    bytes_before: done.bytes_before,
                                    bytes_after: done.bytes_after,
                                    removed_offsets: done.removed_offsets,
                                },
                            );
                        }
                    }
                    if !policy.delete {
                        continue;
                    }
                    for gone in replica.log.apply_retention(now, &params) {
                        self.events.push(
                            now,
                            Event::SegmentDeleted {
                                topic: name.clone(),
                                partition: index,
                                broker: *broker,
                                base_offset: gone.base_offset,
                                log_start_offset: replica.log.log_start_offset(),
                                reason: gone.reason,
                            },
                        );
                    }
                }
            }
        }
    }

    fn complete_pending(&mut self) -> Vec<ProduceCompletion> {
        let now = self.now();
        let mut done = Vec::new();
        let mut still = Vec::new();
        for waiting in std::mem::take(&mut self.pending) {
            let result = self.check_pending(&waiting, now);
            match result {
                Some(result) => done.push(ProduceCompletion {
                    request: waiting.request,
                    topic: waiting.topic,
                    partition: waiting.partition,
                    result,
                }),
                None => still.push(waiting),
            }
        }
        self.pending = still;
        done
    }

    /// `DelayedProduce.tryComplete`: done once the HW passes the batch, with
    /// an error if the ISR shrank below `min.insync.replicas` meanwhile, the
    /// leader changed, or the request timed out.
    fn check_pending(
        &self,
        waiting: &PendingProduce,
        now: Millis,
    ) -> Option<Result<ProduceAck, KafkaError>> {
        let Ok(topic) = self.topic(&waiting.topic) else {
            return Some(Err(unknown_topic(&waiting.topic)));
        };
        let partition = topic
            .partitions
            .get(usize::try_from(waiting.partition).unwrap_or(usize::MAX))?;
        if partition.leader_epoch != waiting.leader_epoch || partition.leader.is_none() {
            return Some(Err(KafkaError::new(
                ErrorCode::NotLeaderOrFollower,
                "The leader changed before the batch was replicated to the ISR",
            )));
        }
        let hw = partition
            .leader
            .and_then(|l| partition.logs.get(&l))
            .map_or(0, |r| r.log.high_watermark());
        if hw >= waiting.required_offset {
            let min_isr = topic.config.values().min_insync_replicas;
            if i32::try_from(partition.isr.len()).unwrap_or(i32::MAX) < min_isr {
                return Some(Err(KafkaError::from_code(
                    ErrorCode::NotEnoughReplicasAfterAppend,
                )));
            }
            return Some(Ok(waiting.ack));
        }
        if now >= waiting.deadline {
            return Some(Err(KafkaError::new(
                ErrorCode::RequestTimedOut,
                "The in-sync replicas did not replicate the batch within the request timeout",
            )));
        }
        None
    }

    // ----- lookups -------------------------------------------------------

    /// Brokers the controller may place replicas on and elect: running
    /// and not fenced.
    fn electable_brokers(&self) -> Vec<BrokerId> {
        self.brokers
            .iter()
            .filter(|(_, b)| b.online && !b.fenced)
            .map(|(id, _)| *id)
            .collect()
    }

    /// Brokers that can talk to each other and to clients right now.
    fn reachable_brokers(&self) -> Vec<BrokerId> {
        self.brokers
            .iter()
            .filter(|(_, b)| b.online && b.isolated_since.is_none())
            .map(|(id, _)| *id)
            .collect()
    }

    fn unreachable(&self, broker: BrokerId) -> bool {
        self.brokers
            .get(&broker)
            .is_some_and(|b| b.isolated_since.is_some())
    }

    fn topic(&self, topic: &str) -> Result<&Topic, KafkaError> {
        self.topics.get(topic).ok_or_else(|| unknown_topic(topic))
    }

    fn topic_mut(&mut self, topic: &str) -> Result<&mut Topic, KafkaError> {
        self.topics
            .get_mut(topic)
            .ok_or_else(|| unknown_topic(topic))
    }

    fn partition(&self, topic: &str, partition: i32) -> Result<&Partition, KafkaError> {
        self.topic(topic)?
            .partitions
            .get(usize::try_from(partition).unwrap_or(usize::MAX))
            .ok_or_else(|| unknown_partition(topic, partition))
    }

    fn leader_log(
        &self,
        topic: &str,
        partition: i32,
    ) -> Result<(BrokerId, &PartitionLog), KafkaError> {
        let state = self.partition(topic, partition)?;
        let leader = state.leader.ok_or_else(|| {
            KafkaError::new(
                ErrorCode::NotLeaderOrFollower,
                format!("Partition {topic}-{partition} has no leader"),
            )
        })?;
        let log =
            state.logs.get(&leader).map(|r| &r.log).ok_or_else(|| {
                KafkaError::new(ErrorCode::UnknownServerError, "leader has no log")
            })?;
        Ok((leader, log))
    }
}

/// The log settings a topic's configs give.
fn log_params(config: &TopicConfig) -> LogParams {
    let values = config.values();
    LogParams {
        segment_bytes: u64::try_from(config.segment_size()).unwrap_or(1),
        segment_ms: config.max_segment_ms(),
        retention_ms: values.retention_ms,
        retention_bytes: values.retention_bytes,
        max_message_bytes: u64::try_from(values.max_message_bytes).unwrap_or(0),
        timestamp_type: values.message_timestamp_type,
    }
}

fn new_partition(replicas: Vec<BrokerId>, now: Millis, start_offset: i64) -> Partition {
    let logs = replicas
        .iter()
        .map(|b| {
            (
                *b,
                Replica {
                    log: PartitionLog::starting_at(start_offset, now),
                    last_caught_up: now,
                    check_divergence: false,
                    producers: ProducerStateTable::default(),
                },
            )
        })
        .collect_map();
    Partition {
        leader: replicas.first().copied(),
        leader_epoch: 0,
        isr: replicas.clone(),
        replicas,
        logs,
    }
}

/// Elects a leader for `partition` among online ISR members, in replica
/// order (the preferred replica first); with none, an online out-of-sync
/// replica if unclean election is allowed; else no leader.
fn elect_leader(
    topic: &str,
    index: i32,
    partition: &mut Partition,
    online: &[BrokerId],
    unclean_allowed: bool,
    now: Millis,
    events: &mut EventLog,
) {
    let clean = partition
        .replicas
        .iter()
        .find(|b| online.contains(b) && partition.isr.contains(b))
        .copied();
    let unclean = if clean.is_none() && unclean_allowed {
        partition
            .replicas
            .iter()
            .find(|b| online.contains(b))
            .copied()
    } else {
        None
    };
    let leader = clean.or(unclean);
    if leader == partition.leader {
        return;
    }
    partition.leader = leader;
    partition.leader_epoch += 1;
    if let Some(new_leader) = unclean {
        partition.isr = vec![new_leader];
    }
    for (broker, replica) in &mut partition.logs {
        if Some(*broker) != leader {
            replica.check_divergence = true;
        }
    }
    events.push(
        now,
        Event::LeaderChanged {
            topic: topic.to_owned(),
            partition: index,
            leader,
            leader_epoch: partition.leader_epoch,
            unclean: unclean.is_some(),
        },
    );
}

/// One round of follower fetching for a partition, then ISR and HW upkeep.
#[allow(clippy::too_many_arguments)]
fn sync_partition(
    topic: &str,
    index: i32,
    partition: &mut Partition,
    online: &[BrokerId],
    params: &LogParams,
    lag_max: i64,
    now: Millis,
    events: &mut EventLog,
) {
    let Some(leader) = partition.leader else {
        return;
    };
    if !online.contains(&leader) {
        // Cut off: no follower can fetch, and the leader cannot reach the
        // controller to change the ISR.
        return;
    }
    // Take the leader's replica out while followers read from it.
    let Some(leader_replica) = partition.logs.remove(&leader) else {
        return;
    };
    let leader_log = &leader_replica.log;
    for (broker, replica) in &mut partition.logs {
        if !online.contains(broker) {
            continue;
        }
        if replica.check_divergence {
            replica.check_divergence = false;
            let before = replica.log.log_end_offset();
            let keep = divergence_point(&replica.log, leader_log);
            if keep < before {
                replica.log.truncate_to(keep, now);
                replica.producers = ProducerStateTable::rebuild(
                    replica
                        .log
                        .segments()
                        .flat_map(|s| s.batches.iter())
                        .map(|b| &b.header),
                );
                events.push(
                    now,
                    Event::Truncated {
                        topic: topic.to_owned(),
                        partition: index,
                        broker: *broker,
                        log_end_offset: replica.log.log_end_offset(),
                        records_removed: before - replica.log.log_end_offset(),
                    },
                );
            }
        }
        if replica.log.log_end_offset() < leader_log.log_start_offset() {
            replica.log = PartitionLog::starting_at(leader_log.log_start_offset(), now);
        }
        let from = replica.log.log_end_offset();
        if from < leader_log.log_end_offset() {
            let Ok(data) = leader_log.read(from, u64::MAX, leader_log.log_end_offset()) else {
                continue;
            };
            for batch in &data.batches {
                if replica.log.append_as_follower(batch, now, params).is_err() {
                    break;
                }
                replica.producers.record(&batch.header);
            }
            events.push(
                now,
                Event::Replicated {
                    topic: topic.to_owned(),
                    partition: index,
                    broker: *broker,
                    log_end_offset: replica.log.log_end_offset(),
                },
            );
        }
        if replica.log.log_end_offset() >= leader_log.log_end_offset() {
            replica.last_caught_up = now;
        }
        replica.log.set_high_watermark(
            leader_log
                .high_watermark()
                .min(replica.log.log_end_offset()),
        );
    }

    let leader_hw = leader_log.high_watermark();
    partition.logs.insert(leader, leader_replica);

    // ISR upkeep on the leader: shrink laggards, re-admit caught-up replicas.
    let before = partition.isr.clone();
    let logs = &partition.logs;
    partition.isr.retain(|b| {
        *b == leader
            || logs
                .get(b)
                .is_some_and(|r| now.since(r.last_caught_up) <= lag_max)
    });
    let shrank = partition.isr != before;
    if shrank {
        events.push(
            now,
            Event::IsrChanged {
                topic: topic.to_owned(),
                partition: index,
                isr: partition.isr.clone(),
                reason: IsrChangeReason::FollowerLagging,
            },
        );
    }
    for broker in partition.replicas.clone() {
        let caught_up = online.contains(&broker)
            && !partition.isr.contains(&broker)
            && partition.logs.get(&broker).is_some_and(|r| {
                r.log.log_end_offset() >= leader_hw && now.since(r.last_caught_up) <= lag_max
            });
        if caught_up {
            partition.isr.push(broker);
            crate::compact_sort::sort_by_key(&mut partition.isr, |b| {
                partition.replicas.iter().position(|r| r == b)
            });
            events.push(
                now,
                Event::IsrChanged {
                    topic: topic.to_owned(),
                    partition: index,
                    isr: partition.isr.clone(),
                    reason: IsrChangeReason::FollowerCaughtUp,
                },
            );
        }
    }
    update_high_watermark(topic, index, partition, now, events);
}

/// The leader's HW: the smallest log-end offset in the ISR.
fn update_high_watermark(
    topic: &str,
    index: i32,
    partition: &mut Partition,
    now: Millis,
    events: &mut EventLog,
) {
    let Some(leader) = partition.leader else {
        return;
    };
    let hw = partition
        .isr
        .iter()
        .filter_map(|b| partition.logs.get(b))
        .map(|r| r.log.log_end_offset())
        .min();
    let Some(replica) = partition.logs.get_mut(&leader) else {
        return;
    };
    let Some(hw) = hw else { return };
    if hw > replica.log.high_watermark() {
        replica.log.set_high_watermark(hw);
        events.push(
            now,
            Event::HighWatermarkAdvanced {
                topic: topic.to_owned(),
                partition: index,
                high_watermark: replica.log.high_watermark(),
            },
        );
    }
}

/// Where a follower's log stops agreeing with the leader's: the first
/// batch that differs in offsets or leader epoch (what Kafka finds with
/// OffsetsForLeaderEpoch). Everything from there on must go.
fn divergence_point(follower: &PartitionLog, leader: &PartitionLog) -> i64 {
    let mut theirs = leader
        .segments()
        .flat_map(|s| s.batches.iter())
        .map(|b| {
            (
                b.header.base_offset,
                b.header.last_offset(),
                b.header.partition_leader_epoch,
            )
        })
        .peekable();
    for mine in follower.segments().flat_map(|s| s.batches.iter()) {
        let key = (
            mine.header.base_offset,
            mine.header.last_offset(),
            mine.header.partition_leader_epoch,
        );
        while theirs.peek().is_some_and(|t| t.0 < key.0) {
            theirs.next();
        }
        if mine.header.base_offset < leader.log_start_offset() {
            continue;
        }
        if theirs.peek() != Some(&key) {
            return key.0;
        }
    }
    follower.log_end_offset()
}

/// Kafka's rack-unaware replica assignment (`assignReplicasToBrokers`):
/// the first replica of each partition goes round-robin from a random
/// start, the others follow at a shift that changes once per lap.
fn assign_replicas(
    brokers: &[BrokerId],
    partitions: i32,
    replication_factor: i16,
    first_partition: i32,
    rng: &mut Rng,
) -> Result<Vec<Vec<BrokerId>>, KafkaError> {
    let n = i32::try_from(brokers.len()).unwrap_or(i32::MAX);
    let rf = i32::from(replication_factor);
    if rf > n {
        return Err(KafkaError::new(
            ErrorCode::InvalidReplicationFactor,
            format!(
                "Unable to replicate the partition {rf} time(s): The target replication factor of {rf} cannot be reached because only {n} broker(s) are registered."
            ),
        ));
    }
    let count = u32::try_from(n).unwrap_or(0);
    let start_index = i32::try_from(rng.below(count)).unwrap_or(0);
    let mut next_replica_shift = i32::try_from(rng.below(count)).unwrap_or(0);
    let mut assignment = Vec::new();
    for partition in first_partition..first_partition + partitions {
        if partition > 0 && partition % n == 0 {
            next_replica_shift += 1;
        }
        let first = (partition + start_index) % n;
        let mut replicas = vec![brokers[index(first)]];
        for j in 0..rf - 1 {
            let shift = 1 + (next_replica_shift + j) % (n - 1);
            replicas.push(brokers[index((first + shift) % n)]);
        }
        assignment.push(replicas);
    }
    Ok(assignment)
}

/// An index already reduced modulo the broker count (so in range).
fn index(i: i32) -> usize {
    usize::try_from(i).unwrap_or(0)
}

/// Kafka's topic-name rules (`Topic.validate`).
fn validate_topic_name(name: &str) -> Result<(), KafkaError> {
    let problem = if name.is_empty() {
        Some("Topic name is illegal, it can't be empty".to_owned())
    } else if name == "." || name == ".." {
        Some("Topic name cannot be \".\" or \"..\"".to_owned())
    } else if name.len() > MAX_TOPIC_NAME_LENGTH {
        Some(format!(
            "Topic name is illegal, it can't be longer than {MAX_TOPIC_NAME_LENGTH} characters, topic name: {name}"
        ))
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
    {
        Some(format!(
            "Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"
        ))
    } else {
        None
    };
    match problem {
        Some(message) => Err(KafkaError::new(ErrorCode::InvalidTopicException, message)),
        None => Ok(()),
    }
}

/// Topics whose names differ only in '.' versus '_' collide in metrics.
fn collides(a: &str, b: &str) -> bool {
    a != b && a.replace('.', "_") == b.replace('.', "_")
}

fn unknown_topic(topic: &str) -> KafkaError {
    KafkaError::new(
        ErrorCode::UnknownTopicOrPartition,
        format!("This server does not host this topic-partition: topic '{topic}' does not exist"),
    )
}

fn unknown_partition(topic: &str, partition: i32) -> KafkaError {
    KafkaError::new(
        ErrorCode::UnknownTopicOrPartition,
        format!("This server does not host this topic-partition: {topic}-{partition}"),
    )
}

fn network_error(broker: BrokerId) -> KafkaError {
    KafkaError::new(
        ErrorCode::NetworkException,
        format!("Disconnected from broker {broker}: it is cut off from the network"),
    )
}

fn unknown_broker(broker: BrokerId) -> KafkaError {
    KafkaError::invalid_request(format!("There is no broker with id {broker}"))
}

/// The record codec for a topic's `compression.type` (levels apply to the
/// real codecs' tuning, which the playground's pure-Rust codecs ignore).
fn codec_of(compression: TopicCompression) -> Compression {
    match compression {
        TopicCompression::None => Compression::None,
        TopicCompression::Gzip { .. } => Compression::Gzip,
        TopicCompression::Snappy => Compression::Snappy,
        TopicCompression::Lz4 { .. } => Compression::Lz4,
        TopicCompression::Zstd { .. } => Compression::Zstd,
    }
}

/// Kafka's name of a codec, as `compression.type` spells it.
fn compression_name(codec: Compression) -> &'static str {
    match codec {
        Compression::None => "none",
        Compression::Gzip => "gzip",
        Compression::Snappy => "snappy",
        Compression::Lz4 => "lz4",
        Compression::Zstd => "zstd",
    }
}

/// Maps an idempotence check's refusal to Kafka's error code.
fn sequence_error(err: SequenceError) -> KafkaError {
    let code = match err {
        SequenceError::FencedEpoch { .. } => ErrorCode::InvalidProducerEpoch,
        SequenceError::OutOfOrder { .. } | SequenceError::InvalidNewEpochSequence { .. } => {
            ErrorCode::OutOfOrderSequenceNumber
        }
    };
    KafkaError::new(code, err.to_string())
}

/// Maps a log's refusal to the error code Kafka answers with.
fn log_error(err: impl Into<LogError>) -> KafkaError {
    let err = err.into();
    let code = match &err {
        LogError::Record(_) => ErrorCode::CorruptMessage,
        LogError::MessageTooLarge { .. } => ErrorCode::MessageTooLarge,
        LogError::NonContiguous { .. } => ErrorCode::UnknownServerError,
        LogError::OffsetOutOfRange { .. } => ErrorCode::OffsetOutOfRange,
    };
    KafkaError::new(code, err.to_string())
}
