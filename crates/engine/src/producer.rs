//! A producer client simulated inside the engine, in the Java client's or
//! librdkafka's flavour.
//!
//! `send()` is asynchronous, as in both clients: it picks the partition
//! (the flavour's partitioner), appends the record to that partition's open
//! batch in the record accumulator and returns a [`DeliveryHandle`]. As
//! engine time advances, [`Producer::tick`] plays the client's sender
//! thread: batches that are full, or whose `linger.ms` has passed, are
//! encoded as RecordBatch v2 (compressed with `compression.type`) and sent
//! to the partition leader with the configured `acks`, at most
//! `max.in.flight.requests.per.connection` at a time. Responses become
//! [`DeliveryReport`]s; retriable errors are retried after
//! `retry.backoff.ms` until `delivery.timeout.ms`. With
//! `enable.idempotence`, the producer gets a producer id and stamps each
//! batch with per-partition sequence numbers, so the broker drops retried
//! duplicates. `flush()` (see [`crate::playground`]) makes it synchronous.
//!
//! The producer never touches the cluster's state except through the
//! requests a real client sends (Metadata, InitProducerId, Produce), and a
//! [`Network`] between them can drop or delay requests and responses.

use crate::collections::OrdMap;
use std::collections::VecDeque;

use bytes::Bytes;

use crate::clock::Millis;
use crate::cluster::{Acks, Cluster, ProduceOutcome, ProducerIdAndEpoch, RequestId};
use crate::error::{ErrorCode, KafkaError};
use crate::events::{BrokerId, Event, EventLog};
use crate::partitioner::{
    JavaPartitioner, JavaPartitionerConfig, LibrdkafkaPartitioner, PartitionQueue,
};
use crate::producer_config::{ClientFlavour, ClientSettings, ProducerConfig, ProducerPartitioner};
use crate::record::{encode_batch, ProducerRecord, ProducerStamp};
use crate::rng::Rng;

/// Bytes a record adds to a batch beyond its key, value and headers: the
/// upper bound Kafka's `DefaultRecord.sizeInBytes` gives for the varint
/// fields (length, attributes, deltas, lengths).
const RECORD_OVERHEAD: usize = 21;
/// The RecordBatch v2 header.
const BATCH_OVERHEAD: usize = crate::record::BATCH_HEADER_BYTES;

/// Identifies one `send()`: its delivery report carries the same handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeliveryHandle(pub u64);

/// Why a record was not delivered, in the words of the producer's client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProducerError {
    /// The broker error behind it, if the broker answered.
    pub code: Option<ErrorCode>,
    /// What the client reports, e.g. Java's exception text or librdkafka's
    /// `Local: Message timed out`.
    pub message: String,
}

impl ProducerError {
    fn local(message: impl Into<String>) -> Self {
        Self {
            code: None,
            message: message.into(),
        }
    }

    fn broker(err: &KafkaError, flavour: ClientFlavour) -> Self {
        let message = match flavour {
            // librdkafka prints broker errors as "Broker: <description>".
            ClientFlavour::Librdkafka => format!("Broker: {}", err.message),
            ClientFlavour::Java => format!(
                "org.apache.kafka.common.errors.{}: {}",
                err.code.exception_name(),
                err.message
            ),
        };
        Self {
            code: Some(err.code),
            message,
        }
    }
}

/// The outcome of one `send()`, as a delivery callback receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// The handle `send()` returned.
    pub handle: DeliveryHandle,
    /// Topic the record was sent to.
    pub topic: String,
    /// Partition it was sent to.
    pub partition: i32,
    /// Its offset, or -1 with `acks=0` (the producer never learns it).
    pub offset: i64,
    /// Its timestamp (the broker's with `LogAppendTime`).
    pub timestamp: i64,
    /// `None` when delivered.
    pub error: Option<ProducerError>,
    /// When the producer learnt the outcome (engine time).
    pub at: Millis,
}

/// What the network between a client and the brokers does to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delivery {
    /// It arrives.
    #[default]
    Deliver,
    /// It is lost; the client notices only when `request.timeout.ms` passes.
    Drop,
    /// It arrives this many milliseconds late (a request only). If that is
    /// past `request.timeout.ms`, the client has given up and retried by
    /// then, and the late original still reaches the broker.
    Delay(i64),
}

/// Decides the fate of each produce request and response: the fault
/// injection a teacher uses to show retries, duplicates and reordering.
pub trait Network {
    /// The fate of a produce request to `topic`-`partition`.
    fn request(&mut self, topic: &str, partition: i32) -> Delivery;
    /// The fate of the broker's response to it.
    fn response(&mut self, topic: &str, partition: i32) -> Delivery;
}

/// A network that loses nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReliableNetwork;

impl Network for ReliableNetwork {
    fn request(&mut self, _: &str, _: i32) -> Delivery {
        Delivery::Deliver
    }
    fn response(&mut self, _: &str, _: i32) -> Delivery {
        Delivery::Deliver
    }
}

#[derive(Debug, Clone)]
struct PendingRecord {
    handle: DeliveryHandle,
    record: ProducerRecord,
}

#[derive(Debug, Clone)]
struct ProducerBatch {
    topic: String,
    partition: i32,
    records: Vec<PendingRecord>,
    size_bytes: usize,
    created_at: Millis,
    /// Closed to new records (full, or being sent).
    closed: bool,
    /// Sends so far.
    attempts: u32,
    /// When the next attempt may go (after `retry.backoff.ms`).
    retry_at: Millis,
    /// The encoded bytes, kept so a retry resends exactly the same batch.
    encoded: Option<Bytes>,
}

#[derive(Debug, Clone)]
enum InFlightState {
    /// Waiting for the broker (`acks=all` in purgatory).
    AwaitingBroker(RequestId),
    /// The request is still on its way (a delay fault); `u64` names it.
    Delayed(u64),
    /// The response was lost or will never come: times out.
    Lost,
}

#[derive(Debug, Clone)]
struct InFlight {
    batch: ProducerBatch,
    /// The broker the request went to (in-flight limits are per connection).
    broker: Option<BrokerId>,
    state: InFlightState,
    deadline: Millis,
    /// Response dropped on the way back although the broker appended.
    response_dropped: bool,
}

/// The record accumulator: each partition's queue of batches, in (topic,
/// partition) order. A sorted vector rather than a map: a producer writes
/// to a handful of partitions, and it compiles to less browser code.
#[derive(Debug, Clone, Default)]
struct Accumulator(Vec<((String, i32), VecDeque<ProducerBatch>)>);

impl Accumulator {
    fn find(&self, topic: &str, partition: i32) -> Result<usize, usize> {
        self.0
            .binary_search_by(|((t, p), _)| (t.as_str(), *p).cmp(&(topic, partition)))
    }

    /// The partition's queue, made empty if it had none.
    fn queue_mut(&mut self, topic: &str, partition: i32) -> &mut VecDeque<ProducerBatch> {
        let at = match self.find(topic, partition) {
            Ok(at) => at,
            Err(at) => {
                self.0
                    .insert(at, ((topic.to_owned(), partition), VecDeque::new()));
                at
            }
        };
        &mut self.0[at].1
    }

    fn get_mut(&mut self, topic: &str, partition: i32) -> Option<&mut VecDeque<ProducerBatch>> {
        let at = self.find(topic, partition).ok()?;
        Some(&mut self.0[at].1)
    }

    /// One topic's queues, by partition.
    fn topic<'a>(
        &'a self,
        topic: &'a str,
    ) -> impl Iterator<Item = &'a ((String, i32), VecDeque<ProducerBatch>)> + 'a {
        self.0.iter().filter(move |((t, _), _)| t == topic)
    }

    fn queues(&self) -> impl Iterator<Item = &VecDeque<ProducerBatch>> {
        self.0.iter().map(|(_, queue)| queue)
    }
}

/// A produce request held up by the network, delivered at `at` whether or
/// not its producer is still waiting for it.
#[derive(Debug, Clone)]
struct DelayedRequest {
    id: u64,
    at: Millis,
    topic: String,
    partition: i32,
    bytes: Bytes,
}

#[derive(Debug, Clone)]
enum Partitioning {
    /// Java's built-in partitioner keeps its sticky state per topic.
    Java {
        config: JavaPartitionerConfig,
        per_topic: OrdMap<String, JavaPartitioner>,
    },
    Librdkafka(LibrdkafkaPartitioner),
    /// A custom `partitioner.class`: the playground cannot run Java
    /// classes, so records are spread round-robin, as the bundled
    /// `RoundRobinPartitioner` does.
    RoundRobin(i32),
}

/// One producer client.
#[derive(Debug, Clone)]
pub struct Producer {
    config: ProducerConfig,
    acks: Acks,
    rng: Rng,
    partitioning: Partitioning,
    producer_id: Option<ProducerIdAndEpoch>,
    /// The next sequence number per partition, sorted by partition.
    next_sequence: Vec<((String, i32), i32)>,
    accumulator: Accumulator,
    in_flight: Vec<InFlight>,
    delayed: Vec<DelayedRequest>,
    next_delayed: u64,
    buffered_bytes: u64,
    buffered_records: u64,
    next_handle: u64,
    reports: Vec<DeliveryReport>,
    events: EventLog,
}

impl Producer {
    /// A producer with `config`; `seed` drives its random partition choices.
    pub fn new(config: ProducerConfig, seed: u64) -> Result<Self, KafkaError> {
        let acks = Acks::from_wire(config.required_acks)?;
        let partitioning = match &config.partitioner {
            ProducerPartitioner::JavaBuiltIn(settings) => Partitioning::Java {
                config: *settings,
                per_topic: OrdMap::new(),
            },
            ProducerPartitioner::JavaClass { .. } => Partitioning::RoundRobin(0),
            ProducerPartitioner::Librdkafka {
                kind,
                sticky_linger_ms,
            } => Partitioning::Librdkafka(LibrdkafkaPartitioner::new(*kind, *sticky_linger_ms)),
        };
        Ok(Self {
            config,
            acks,
            rng: Rng::seeded(seed),
            partitioning,
            producer_id: None,
            next_sequence: Vec::new(),
            accumulator: Accumulator::default(),
            in_flight: Vec::new(),
            delayed: Vec::new(),
            next_delayed: 0,
            buffered_bytes: 0,
            buffered_records: 0,
            next_handle: 1,
            reports: Vec::new(),
            events: EventLog::default(),
        })
    }

    /// The producer's configuration.
    #[must_use]
    pub fn config(&self) -> &ProducerConfig {
        &self.config
    }

    /// The producer id and epoch, once InitProducerId has run (idempotent
    /// producers only).
    #[must_use]
    pub fn producer_id(&self) -> Option<ProducerIdAndEpoch> {
        self.producer_id
    }

    /// Records waiting in the accumulator or in flight.
    #[must_use]
    pub fn outstanding(&self) -> u64 {
        self.buffered_records
    }

    /// Takes the delivery reports produced so far (what `poll()` hands to
    /// the delivery callbacks in confluent-kafka-python).
    pub fn take_reports(&mut self) -> Vec<DeliveryReport> {
        std::mem::take(&mut self.reports)
    }

    /// Takes the producer's events (batches created, sent, retried...).
    pub fn drain_events(&mut self) -> Vec<crate::events::TimedEvent> {
        self.events.drain()
    }

    /// The batches waiting in the record accumulator, partition by
    /// partition (oldest first within one): what a view of the producer's
    /// insides draws filling against `batch.size` and `linger.ms`.
    #[must_use]
    pub fn accumulated(&self) -> Vec<BatchView> {
        self.accumulator
            .queues()
            .flat_map(|queue| queue.iter().map(BatchView::of))
            .collect()
    }

    /// The produce requests sent and not yet answered, in the order they
    /// went out.
    #[must_use]
    pub fn in_flight(&self) -> Vec<InFlightView> {
        self.in_flight
            .iter()
            .map(|f| InFlightView {
                batch: BatchView::of(&f.batch),
                broker: f.broker,
                state: match f.state {
                    InFlightState::AwaitingBroker(_) => FlightState::AwaitingBroker,
                    InFlightState::Delayed(_) => FlightState::Delayed,
                    InFlightState::Lost => FlightState::Lost,
                },
                deadline: f.deadline,
            })
            .collect()
    }

    /// `send()` / `produce()`: partitions the record and appends it to the
    /// accumulator. `partition` forces a partition, as both clients allow.
    /// Errors are the ones the client raises at once: an unknown topic, a
    /// record over the request size, a full buffer.
    pub fn send(
        &mut self,
        cluster: &mut Cluster,
        topic: &str,
        partition: Option<i32>,
        record: ProducerRecord,
    ) -> Result<DeliveryHandle, ProducerError> {
        let now = cluster.now();
        let partitions = self.metadata(cluster, topic)?;
        let size = record_size(&record);
        if size + BATCH_OVERHEAD > self.config.max_request_size as usize {
            return Err(match self.config.flavour {
                ClientFlavour::Java => ProducerError::local(format!(
                    "org.apache.kafka.common.errors.RecordTooLargeException: The message is {} bytes when serialized which is larger than {}, which is the value of the max.request.size configuration.",
                    size + BATCH_OVERHEAD,
                    self.config.max_request_size
                )),
                ClientFlavour::Librdkafka => ProducerError::local("Broker: Message size too large"),
            });
        }
        self.check_buffer(size)?;
        let partition = match partition {
            Some(p) if (0..partitions).contains(&p) => p,
            Some(p) => {
                return Err(match self.config.flavour {
                    ClientFlavour::Java => ProducerError::local(format!(
                        "java.lang.IllegalArgumentException: Invalid partition given with record: {p} is not in the range [0...{partitions})."
                    )),
                    ClientFlavour::Librdkafka => ProducerError::local("Local: Unknown partition"),
                })
            }
            None => self.choose_partition(cluster, topic, partitions, &record, size, now)?,
        };
        let handle = DeliveryHandle(self.next_handle);
        self.next_handle += 1;
        self.append(
            topic,
            partition,
            PendingRecord { handle, record },
            size,
            now,
        );
        Ok(handle)
    }

    /// Partition count from metadata, auto-creating the topic when the
    /// cluster allows it (a Metadata request does that in Kafka).
    fn metadata(&mut self, cluster: &mut Cluster, topic: &str) -> Result<i32, ProducerError> {
        if !cluster.has_topic(topic) && cluster.config().auto_create_topics_enable {
            let defaults = crate::cluster::NewTopic::new(topic, -1, -1);
            // A lost race or invalid name surfaces as the unknown topic below.
            let _ = cluster.create_topic(defaults);
        }
        cluster.partition_count(topic).map_err(|_| match self.config.flavour {
            ClientFlavour::Java => ProducerError::local(format!(
                "org.apache.kafka.common.errors.TimeoutException: Topic {topic} not present in metadata after {} ms.",
                self.max_block_ms().unwrap_or(60_000)
            )),
            ClientFlavour::Librdkafka => ProducerError {
                code: Some(ErrorCode::UnknownTopicOrPartition),
                message: "Broker: Unknown topic or partition".to_owned(),
            },
        })
    }

    /// Whether the accumulator has no room for `record` (`buffer.memory`,
    /// `queue.buffering.max.kbytes` / `.messages`).
    #[must_use]
    pub fn buffer_full_for(&self, record: &ProducerRecord) -> bool {
        self.buffer_full(record_size(record))
    }

    /// How long the Java client's `send()` blocks for buffer space or
    /// metadata (`max.block.ms`); librdkafka never blocks (`None`).
    #[must_use]
    pub fn max_block_ms(&self) -> Option<u64> {
        match &self.config.client {
            ClientSettings::Java(java) => Some(java.max_block_ms),
            ClientSettings::Librdkafka(_) => None,
        }
    }

    fn buffer_full(&self, size: usize) -> bool {
        let over_bytes = self.buffered_bytes + size as u64 > self.config.buffer_memory_bytes;
        let over_count = self
            .config
            .buffer_max_messages
            .is_some_and(|max| self.buffered_records >= u64::from(max));
        over_bytes || over_count
    }

    fn check_buffer(&self, size: usize) -> Result<(), ProducerError> {
        if !self.buffer_full(size) {
            return Ok(());
        }
        Err(match self.config.flavour {
            ClientFlavour::Java => ProducerError::local(format!(
                "org.apache.kafka.common.errors.TimeoutException: Failed to allocate memory within the configured max blocking time {} ms.",
                self.max_block_ms().unwrap_or(60_000)
            )),
            ClientFlavour::Librdkafka => ProducerError::local("Local: Queue full"),
        })
    }

    fn choose_partition(
        &mut self,
        cluster: &Cluster,
        topic: &str,
        partitions: i32,
        record: &ProducerRecord,
        size: usize,
        now: Millis,
    ) -> Result<i32, ProducerError> {
        let available: Vec<bool> = cluster
            .describe_topic(topic)
            .map(|d| d.partitions.iter().map(|p| p.leader.is_some()).collect())
            .unwrap_or_else(|_| vec![true; usize::try_from(partitions).unwrap_or(0)]);
        let key = record.key.as_deref();
        let chosen = match &mut self.partitioning {
            Partitioning::Java { config, per_topic } => {
                let partitioner = per_topic
                    .entry(topic.to_owned())
                    .or_insert_with(|| JavaPartitioner::new(*config));
                if key.is_none() || config.ignore_keys {
                    // Adaptive partitioning (KIP-794) weighs partitions by
                    // how many batches wait in their queues, as the
                    // accumulator reports them.
                    let queues: Vec<PartitionQueue> = self
                        .accumulator
                        .topic(topic)
                        .map(|((_, partition), queue)| PartitionQueue {
                            partition: *partition,
                            has_leader: usize::try_from(*partition)
                                .ok()
                                .and_then(|i| available.get(i))
                                .copied()
                                .unwrap_or(false),
                            queued_batches: u32::try_from(queue.len()).unwrap_or(u32::MAX),
                            leader_latency: None,
                        })
                        .collect();
                    partitioner
                        .built_in_mut()
                        .update_load_stats_from_queues(&queues, partitions, config);
                }
                partitioner.partition(
                    key,
                    u32::try_from(size).unwrap_or(u32::MAX),
                    &available,
                    &mut self.rng,
                )
            }
            Partitioning::Librdkafka(p) => p.partition(key, &available, now, &mut self.rng),
            Partitioning::RoundRobin(next) => {
                let chosen = *next % partitions.max(1);
                *next = next.wrapping_add(1);
                Ok(chosen)
            }
        };
        chosen.map_err(|e| ProducerError::local(e.to_string()))
    }

    fn append(
        &mut self,
        topic: &str,
        partition: i32,
        record: PendingRecord,
        size: usize,
        now: Millis,
    ) {
        self.buffered_bytes += size as u64;
        self.buffered_records += 1;
        let max_records = self
            .config
            .batch_num_messages
            .map_or(usize::MAX, |n| n as usize);
        let batch_size = self.config.batch_size_bytes as usize;
        let queue = self.accumulator.queue_mut(topic, partition);
        if let Some(open) = queue.back_mut().filter(|b| !b.closed) {
            let fits = open.size_bytes + size <= batch_size && open.records.len() < max_records;
            if fits {
                open.size_bytes += size;
                open.records.push(record);
                if open.size_bytes + RECORD_OVERHEAD >= batch_size
                    || open.records.len() >= max_records
                {
                    open.closed = true;
                }
                return;
            }
            open.closed = true;
        }
        queue.push_back(ProducerBatch {
            topic: topic.to_owned(),
            partition,
            records: vec![record],
            size_bytes: BATCH_OVERHEAD + size,
            created_at: now,
            closed: BATCH_OVERHEAD + size >= batch_size || max_records <= 1,
            attempts: 0,
            retry_at: now,
            encoded: None,
        });
        self.events.push(
            now,
            Event::ProducerBatchCreated {
                client_id: self.config.client_id.clone(),
                topic: topic.to_owned(),
                partition,
            },
        );
    }

    /// The sender thread's step at the cluster's current time: expires
    /// batches past `delivery.timeout.ms`, times out lost requests, and
    /// sends ready batches. `flushing` makes every batch ready at once (what
    /// `flush()` does to `linger.ms`).
    pub fn tick(&mut self, cluster: &mut Cluster, network: &mut dyn Network, flushing: bool) {
        let now = cluster.now();
        self.deliver_delayed(cluster, network, now);
        self.time_out_in_flight(now);
        self.expire_batches(now);
        if self.config.enable_idempotence && self.producer_id.is_none() && self.buffered_records > 0
        {
            self.producer_id = Some(cluster.init_producer_id());
        }
        let linger = self.config.linger_ms;
        let max_in_flight = self.config.max_in_flight as usize;
        let keys: Vec<(String, i32)> = self
            .accumulator
            .0
            .iter()
            .map(|(key, _)| key.clone())
            .collect();
        for key in keys {
            let broker = cluster.leader_of(&key.0, key.1);
            loop {
                let busy = self.in_flight.iter().filter(|f| f.broker == broker).count();
                if busy >= max_in_flight {
                    break;
                }
                // With idempotence, one partition's batches go in order: a
                // retry must not overtake (Kafka keeps at most 5 in flight
                // and the broker checks sequences).
                let Some(queue) = self.accumulator.get_mut(&key.0, key.1) else {
                    break;
                };
                let Some(front) = queue.front() else { break };
                let lingered = now.since(front.created_at) as f64 >= linger;
                let ready = (front.closed || lingered || flushing || queue.len() > 1)
                    && now >= front.retry_at;
                if !ready {
                    break;
                }
                let Some(batch) = queue.pop_front() else {
                    break;
                };
                self.send_batch(batch, broker, cluster, network, now);
            }
        }
        self.accumulator.0.retain(|(_, q)| !q.is_empty());
    }

    fn send_batch(
        &mut self,
        mut batch: ProducerBatch,
        broker: Option<BrokerId>,
        cluster: &mut Cluster,
        network: &mut dyn Network,
        now: Millis,
    ) {
        batch.closed = true;
        batch.attempts += 1;
        let encoded = match &batch.encoded {
            Some(bytes) => bytes.clone(),
            None => {
                let stamp = self.stamp_for(&batch);
                let records: Vec<ProducerRecord> =
                    batch.records.iter().map(|r| r.record.clone()).collect();
                match encode_batch(&records, stamp, self.config.compression) {
                    Ok(bytes) => bytes,
                    Err(err) => {
                        self.fail(batch, &ProducerError::local(err.to_string()), now);
                        return;
                    }
                }
            }
        };
        batch.encoded = Some(encoded.clone());
        self.events.push(
            now,
            Event::ProducerBatchSent {
                client_id: self.config.client_id.clone(),
                topic: batch.topic.clone(),
                partition: batch.partition,
                records: batch.records.len(),
                uncompressed_bytes: batch.size_bytes as u64,
                wire_bytes: encoded.len() as u64,
                attempt: batch.attempts,
            },
        );
        let deadline = now.plus(i64::from(self.config.request_timeout_ms));
        match network.request(&batch.topic, batch.partition) {
            Delivery::Drop => {
                self.events.push(
                    now,
                    Event::RequestDropped {
                        topic: batch.topic.clone(),
                        partition: batch.partition,
                    },
                );
                self.in_flight.push(InFlight {
                    batch,
                    broker,
                    state: InFlightState::Lost,
                    deadline,
                    response_dropped: false,
                });
            }
            Delivery::Delay(ms) => {
                self.events.push(
                    now,
                    Event::RequestDelayed {
                        topic: batch.topic.clone(),
                        partition: batch.partition,
                        delay_ms: ms,
                    },
                );
                let id = self.next_delayed;
                self.next_delayed += 1;
                self.delayed.push(DelayedRequest {
                    id,
                    at: now.plus(ms.max(0)),
                    topic: batch.topic.clone(),
                    partition: batch.partition,
                    bytes: encoded,
                });
                self.in_flight.push(InFlight {
                    batch,
                    broker,
                    state: InFlightState::Delayed(id),
                    deadline,
                    response_dropped: false,
                });
            }
            Delivery::Deliver => {
                let outcome = self.deliver(cluster, &batch.topic, batch.partition, encoded);
                let response_lost =
                    network.response(&batch.topic, batch.partition) == Delivery::Drop;
                self.on_outcome(batch, broker, outcome, response_lost, deadline, now);
            }
        }
    }

    fn deliver(
        &self,
        cluster: &mut Cluster,
        topic: &str,
        partition: i32,
        bytes: Bytes,
    ) -> Result<ProduceOutcome, KafkaError> {
        cluster.produce(
            topic,
            partition,
            bytes,
            self.acks,
            i64::from(self.config.request_timeout_ms),
        )
    }

    /// Delivers delayed requests that are due. The broker handles each one;
    /// its answer reaches the producer only if it is still waiting for it.
    fn deliver_delayed(&mut self, cluster: &mut Cluster, network: &mut dyn Network, now: Millis) {
        let (due, later): (Vec<DelayedRequest>, Vec<DelayedRequest>) =
            std::mem::take(&mut self.delayed)
                .into_iter()
                .partition(|d| d.at <= now);
        self.delayed = later;
        for request in due {
            let outcome = self.deliver(cluster, &request.topic, request.partition, request.bytes);
            let waiting = self
                .in_flight
                .iter()
                .position(|f| matches!(f.state, InFlightState::Delayed(id) if id == request.id));
            if let Some(index) = waiting {
                let flight = self.in_flight.remove(index);
                let response_lost =
                    network.response(&request.topic, request.partition) == Delivery::Drop;
                self.on_outcome(
                    flight.batch,
                    flight.broker,
                    outcome,
                    response_lost,
                    flight.deadline,
                    now,
                );
            }
        }
    }

    fn on_outcome(
        &mut self,
        batch: ProducerBatch,
        broker: Option<BrokerId>,
        outcome: Result<ProduceOutcome, KafkaError>,
        response_lost: bool,
        deadline: Millis,
        now: Millis,
    ) {
        match outcome {
            Ok(ProduceOutcome::Pending(request)) => {
                let state = InFlightState::AwaitingBroker(request);
                self.in_flight.push(InFlight {
                    batch,
                    broker,
                    state,
                    deadline,
                    response_dropped: response_lost,
                });
            }
            _ if response_lost && self.acks != Acks::None => {
                self.events.push(
                    now,
                    Event::ResponseDropped {
                        topic: batch.topic.clone(),
                        partition: batch.partition,
                    },
                );
                self.in_flight.push(InFlight {
                    batch,
                    broker,
                    state: InFlightState::Lost,
                    deadline,
                    response_dropped: true,
                });
            }
            Ok(ProduceOutcome::NoResponse) => self.succeed(batch, -1, -1, now),
            Ok(ProduceOutcome::Acknowledged(ack)) => {
                self.succeed(batch, ack.base_offset, ack.log_append_time, now)
            }
            Err(err) => self.handle_error(batch, &err, now),
        }
    }

    fn stamp_for(&mut self, batch: &ProducerBatch) -> ProducerStamp {
        let Some(id) = self.producer_id.filter(|_| self.config.enable_idempotence) else {
            return ProducerStamp::NONE;
        };
        let key = (batch.topic.as_str(), batch.partition);
        let at = match self
            .next_sequence
            .binary_search_by(|((t, p), _)| (t.as_str(), *p).cmp(&key))
        {
            Ok(at) => at,
            Err(at) => {
                self.next_sequence
                    .insert(at, ((batch.topic.clone(), batch.partition), 0));
                at
            }
        };
        let next = &mut self.next_sequence[at].1;
        let base_sequence = *next;
        let count = i32::try_from(batch.records.len()).unwrap_or(i32::MAX);
        *next = next.wrapping_add(count) & i32::MAX;
        ProducerStamp {
            producer_id: id.producer_id,
            producer_epoch: id.epoch,
            base_sequence,
        }
    }

    /// The next engine time at which [`Producer::tick`] has something to
    /// do on its own (a linger or backoff ends, a request times out), so a
    /// driver can jump there instead of stepping every millisecond.
    #[must_use]
    pub fn next_wakeup(&self) -> Option<Millis> {
        let linger = self.config.linger_ms.ceil() as i64;
        let delivery_timeout = i64::from(self.config.delivery_timeout_ms);
        let batches = self
            .accumulator
            .queues()
            .filter_map(VecDeque::front)
            .flat_map(|b| {
                [
                    b.retry_at.max(b.created_at.plus(linger)),
                    b.created_at.plus(delivery_timeout),
                ]
            });
        let flights = self.in_flight.iter().map(|f| f.deadline);
        let delayed = self.delayed.iter().map(|d| d.at);
        batches.chain(flights).chain(delayed).min()
    }

    /// Whether any request is waiting for the broker's answer.
    #[must_use]
    pub fn has_in_flight(&self) -> bool {
        !self.in_flight.is_empty() || !self.delayed.is_empty()
    }

    /// Routes the completion of an `acks=all` produce to this producer.
    /// Returns false if the request was not this producer's.
    pub fn on_completion(
        &mut self,
        completion: &crate::cluster::ProduceCompletion,
        now: Millis,
    ) -> bool {
        let Some(index) = self.in_flight.iter().position(
            |f| matches!(f.state, InFlightState::AwaitingBroker(request) if request == completion.request),
        ) else {
            return false;
        };
        let flight = self.in_flight.remove(index);
        if flight.response_dropped {
            self.events.push(
                now,
                Event::ResponseDropped {
                    topic: completion.topic.clone(),
                    partition: completion.partition,
                },
            );
            self.in_flight.push(InFlight {
                state: InFlightState::Lost,
                ..flight
            });
            return true;
        }
        match &completion.result {
            Ok(ack) => self.succeed(flight.batch, ack.base_offset, ack.log_append_time, now),
            Err(err) => self.handle_error(flight.batch, err, now),
        }
        true
    }

    fn time_out_in_flight(&mut self, now: Millis) {
        let (expired, waiting): (Vec<InFlight>, Vec<InFlight>) =
            std::mem::take(&mut self.in_flight)
                .into_iter()
                .partition(|f| now >= f.deadline);
        self.in_flight = waiting;
        for flight in expired {
            let err = KafkaError::new(
                ErrorCode::RequestTimedOut,
                "Disconnected while requesting: request timed out",
            );
            self.handle_error(flight.batch, &err, now);
        }
    }

    /// Batches that have waited longer than `delivery.timeout.ms` since
    /// they were created fail without another attempt.
    fn expire_batches(&mut self, now: Millis) {
        let timeout = i64::from(self.config.delivery_timeout_ms);
        let mut expired = Vec::new();
        for (_, queue) in &mut self.accumulator.0 {
            while queue
                .front()
                .is_some_and(|b| now.since(b.created_at) >= timeout)
            {
                if let Some(batch) = queue.pop_front() {
                    expired.push(batch);
                }
            }
        }
        for batch in expired {
            let err = self.timeout_error(&batch, timeout);
            self.fail(batch, &err, now);
        }
    }

    fn timeout_error(&self, batch: &ProducerBatch, timeout: i64) -> ProducerError {
        match self.config.flavour {
            ClientFlavour::Java => ProducerError::local(format!(
                "org.apache.kafka.common.errors.TimeoutException: Expiring {} record(s) for {}-{}:{timeout} ms has passed since batch creation",
                batch.records.len(),
                batch.topic,
                batch.partition
            )),
            ClientFlavour::Librdkafka => ProducerError::local("Local: Message timed out"),
        }
    }

    fn handle_error(&mut self, mut batch: ProducerBatch, err: &KafkaError, now: Millis) {
        let timeout = i64::from(self.config.delivery_timeout_ms);
        let within_timeout = now.since(batch.created_at) < timeout;
        let may_retry =
            err.is_retriable() && batch.attempts <= self.config.retries && within_timeout;
        if !may_retry {
            let error = if err.is_retriable() && !within_timeout {
                self.timeout_error(&batch, timeout)
            } else {
                ProducerError::broker(err, self.config.flavour)
            };
            self.fail(batch, &error, now);
            return;
        }
        let backoff = retry_backoff(&self.config, batch.attempts);
        batch.retry_at = now.plus(backoff);
        self.events.push(
            now,
            Event::ProducerRetry {
                client_id: self.config.client_id.clone(),
                topic: batch.topic.clone(),
                partition: batch.partition,
                attempt: batch.attempts,
                error: err.code.name().to_owned(),
            },
        );
        // Back at the front: it goes before anything queued after it.
        self.accumulator
            .queue_mut(&batch.topic.clone(), batch.partition)
            .push_front(batch);
    }

    fn succeed(
        &mut self,
        batch: ProducerBatch,
        base_offset: i64,
        log_append_time: i64,
        now: Millis,
    ) {
        self.release(&batch);
        for (record, delta) in batch.records.into_iter().zip(0_i64..) {
            self.reports.push(DeliveryReport {
                handle: record.handle,
                topic: batch.topic.clone(),
                partition: batch.partition,
                offset: if base_offset < 0 {
                    -1
                } else {
                    base_offset + delta
                },
                timestamp: if log_append_time >= 0 {
                    log_append_time
                } else {
                    record.record.timestamp
                },
                error: None,
                at: now,
            });
        }
    }

    fn fail(&mut self, batch: ProducerBatch, error: &ProducerError, now: Millis) {
        self.release(&batch);
        self.events.push(
            now,
            Event::ProducerDeliveryFailed {
                client_id: self.config.client_id.clone(),
                topic: batch.topic.clone(),
                partition: batch.partition,
                records: batch.records.len(),
                error: error.message.clone(),
            },
        );
        for record in batch.records {
            self.reports.push(DeliveryReport {
                handle: record.handle,
                topic: batch.topic.clone(),
                partition: batch.partition,
                offset: -1,
                timestamp: record.record.timestamp,
                error: Some(error.clone()),
                at: now,
            });
        }
    }

    fn release(&mut self, batch: &ProducerBatch) {
        let bytes: u64 = batch
            .records
            .iter()
            .map(|r| record_size(&r.record) as u64)
            .sum();
        self.buffered_bytes = self.buffered_bytes.saturating_sub(bytes);
        self.buffered_records = self
            .buffered_records
            .saturating_sub(batch.records.len() as u64);
    }
}

/// A batch as the producer holds it, for a view of its insides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchView {
    /// Its topic.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// Records in it.
    pub records: usize,
    /// Its size as the accumulator counts it against `batch.size`.
    pub size_bytes: usize,
    /// When its first record arrived (its `linger.ms` runs from here).
    pub created_at: Millis,
    /// Whether it takes no more records (full, or sent once).
    pub closed: bool,
    /// Sends so far (more than one: retried).
    pub attempts: u32,
    /// When the next attempt may go (`retry.backoff.ms` after a failure).
    pub retry_at: Millis,
    /// Its encoded (compressed) size, once it has been sent.
    pub wire_bytes: Option<usize>,
    /// Its producer id, epoch and base sequence once sent by an idempotent
    /// producer.
    pub stamp: Option<ProducerStamp>,
}

impl BatchView {
    fn of(batch: &ProducerBatch) -> Self {
        Self {
            topic: batch.topic.clone(),
            partition: batch.partition,
            records: batch.records.len(),
            size_bytes: batch.size_bytes,
            created_at: batch.created_at,
            closed: batch.closed,
            attempts: batch.attempts,
            retry_at: batch.retry_at,
            wire_bytes: batch.encoded.as_ref().map(Bytes::len),
            stamp: batch.encoded.as_deref().and_then(stamp_of),
        }
    }
}

/// The producer id, epoch and base sequence of an encoded batch, if it
/// carries a producer id.
fn stamp_of(batch: &[u8]) -> Option<ProducerStamp> {
    crate::record::BatchHeader::parse(batch)
        .ok()
        .map(|header| header.producer)
        .filter(ProducerStamp::is_idempotent)
}

/// Where a sent produce request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlightState {
    /// The broker has it (an `acks=all` request waits for the ISR).
    AwaitingBroker,
    /// The network holds it up (a delay fault).
    Delayed,
    /// The request or its response was lost: it times out after
    /// `request.timeout.ms`.
    Lost,
}

/// A produce request in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlightView {
    /// The batch it carries.
    pub batch: BatchView,
    /// The broker it went to.
    pub broker: Option<BrokerId>,
    /// Where it stands.
    pub state: FlightState,
    /// When the producer gives up waiting (`request.timeout.ms`).
    pub deadline: Millis,
}

/// Java's exponential retry backoff: `retry.backoff.ms * 2^(attempts-1)`,
/// capped at `retry.backoff.max.ms` (KIP-580; jitter left out so runs
/// replay exactly).
fn retry_backoff(config: &ProducerConfig, attempts: u32) -> i64 {
    let base = config.retry_backoff_ms.max(1);
    let exp = attempts.saturating_sub(1).min(20);
    let backoff = base.saturating_mul(1_u64 << exp);
    let capped = backoff.min(config.retry_backoff_max_ms.max(base));
    i64::try_from(capped).unwrap_or(i64::MAX)
}

/// Upper bound of a record's size in a batch.
fn record_size(record: &ProducerRecord) -> usize {
    let headers: usize = record
        .headers
        .iter()
        .map(|(k, v)| k.len() + v.as_ref().map_or(0, Bytes::len) + 10)
        .sum();
    RECORD_OVERHEAD
        + record.key.as_ref().map_or(0, Bytes::len)
        + record.value.as_ref().map_or(0, Bytes::len)
        + headers
}
