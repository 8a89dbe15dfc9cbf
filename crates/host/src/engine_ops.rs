//! [`Engine`]: the playground plus what the port keeps beside it, and the
//! commands applied to it.
//!
//! Every command ends in engine calls that return Kafka's own errors;
//! those become [`CommandError`]s with the error's name
//! (`TOPIC_ALREADY_EXISTS`) and the broker's message. Nothing here panics
//! on a command's content.

use std::collections::VecDeque;

use crate::producers::{self, Producers};
use bytes::Bytes;
use engine::clock::Millis;
use engine::cluster::{Acks, Cluster, NewTopic, OffsetSpec, ProduceOutcome};
use engine::consumer_config::ConsumerConfig;
use engine::error::KafkaError;
use engine::events::TimedEvent;
use engine::group::assignor::TopicPartition;
use engine::group::offsets::OffsetToCommit;
use engine::partitioner::PartitionerKind;
use engine::playground::{ConsumerRef, Playground};
use engine::producer_config::ClientFlavour as EngineFlavour;
use engine::record::{encode_batch, Compression, ProducerRecord, ProducerStamp};
use engine::rng::Rng;
use port::{
    ClientFlavour, Command, CommandError, ConsumerAction, ErrorCode, EventLine, NewRecord, Reply,
    ResetTo,
};

/// How many recent events the engine keeps as sentences.
pub const KEPT_EVENTS: usize = 500;

/// How often simulated consumers poll while time runs (engine ms).
pub const AUTO_POLL_MS: i64 = 100;

/// The longest single step a command may ask for: one day.
pub const MAX_STEP_MS: i64 = 86_400_000;

/// Most records one `Produce` command may carry.
pub const MAX_PRODUCE_RECORDS: usize = 10_000;

/// The fastest workload, records per second of engine time.
pub const MAX_WORKLOAD_RATE: u32 = 100_000;

/// The most records a workload produces in one [`Engine::advance`]: a
/// long step (or a fast clock) at a high rate produces the first ones and
/// skips the rest, so no single call can run for minutes or fill memory.
pub const MAX_WORKLOAD_BURST: u64 = 500_000;

/// The longest step while simulated consumers poll or a workload runs
/// (each 100 ms of it is a poll round): ten minutes.
pub const MAX_BUSY_STEP_MS: i64 = 600_000;

/// A steady produce rate (see [`Command::SetWorkload`]).
#[derive(Debug, Clone)]
struct Workload {
    topic: String,
    per_second: u32,
    /// Records owed but not yet produced (fractions of one).
    owed: f64,
    /// Records produced so far: the next key and value.
    sent: u64,
}

/// The engine as the port sees it.
#[derive(Debug, Clone)]
pub struct Engine {
    playground: Playground,
    /// Records each simulated consumer's polls returned.
    received: Vec<u64>,
    /// Simulated consumers their own client polls
    /// ([`Command::PollRecords`]), which the automatic polls leave alone.
    client_driven: Vec<usize>,
    auto_poll: bool,
    /// Engine time of the last automatic poll round.
    polled_at: Millis,
    /// The newest events as sentences, oldest first.
    events: VecDeque<EventLine>,
    events_total: u64,
    /// The partitioner's randomness for keyless records.
    rng: Rng,
    /// Whether simulated consumers exist in this engine's answers.
    simulated_clients: bool,
    workload: Option<Workload>,
    /// Simulated producers' reports, rates and form defaults.
    producers: Producers,
    /// Broker metrics, sampled every second of engine time.
    metrics: crate::metrics::Sampler,
}

impl Engine {
    /// The port's engine around `playground`.
    #[must_use]
    pub fn new(playground: Playground, seed: u64) -> Self {
        let now = playground.now();
        Self {
            playground,
            received: Vec::new(),
            client_driven: Vec::new(),
            auto_poll: true,
            polled_at: now,
            events: VecDeque::new(),
            events_total: 0,
            rng: Rng::seeded(seed ^ 0x706f_7274),
            simulated_clients: true,
            workload: None,
            producers: Producers::new(),
            metrics: crate::metrics::Sampler::new(now),
        }
    }

    /// The broker metrics of the last minute, oldest first.
    #[must_use]
    pub fn metrics(&self) -> Vec<port::MetricsSample> {
        self.metrics.samples()
    }

    /// The playground.
    #[must_use]
    pub fn playground(&self) -> &Playground {
        &self.playground
    }

    /// The playground, for what the port has no command for (a server's
    /// Kafka listener).
    pub fn playground_mut(&mut self) -> &mut Playground {
        &mut self.playground
    }

    /// Whether simulated consumers poll as time runs.
    #[must_use]
    pub fn auto_poll(&self) -> bool {
        self.auto_poll
    }

    /// Records each simulated consumer received, by consumer number.
    #[must_use]
    pub fn received(&self, consumer: usize) -> u64 {
        self.received.get(consumer).copied().unwrap_or(0)
    }

    /// The recent events as sentences, oldest first, and how many there
    /// were in all.
    #[must_use]
    pub fn events(&self) -> (&VecDeque<EventLine>, u64) {
        (&self.events, self.events_total)
    }

    /// The steady produce rate running, if any.
    #[must_use]
    pub fn workload(&self) -> Option<port::WorkloadModel> {
        self.workload.as_ref().map(|w| port::WorkloadModel {
            topic: w.topic.clone(),
            records_per_second: w.per_second,
            produced: w.sent,
        })
    }

    /// Every simulated producer and its insides.
    #[must_use]
    pub fn producers(&self) -> port::ProducersModel {
        self.producers.model(&self.playground)
    }

    /// Whether this engine runs simulated clients.
    #[must_use]
    pub fn simulated_clients(&self) -> bool {
        self.simulated_clients
    }

    /// Moves engine time forward by `ms`: simulated consumers poll every
    /// [`AUTO_POLL_MS`] (when auto-poll is on), and the playground steps.
    /// With nobody to poll, time moves in one step (the playground still
    /// stops at every group and Connect timer within it).
    pub fn advance(&mut self, ms: i64) {
        let polling = self.polling();
        if !polling && self.workload.is_none() && !self.producers.busy() {
            self.playground.step(ms.max(0));
            return;
        }
        let end = self.playground.now().plus(ms.max(0));
        let mut budget = MAX_WORKLOAD_BURST;
        loop {
            let now = self.playground.now();
            if polling && now.since(self.polled_at) >= AUTO_POLL_MS {
                self.polled_at = now;
                self.poll_all();
            }
            let chunk = end.since(now).min(AUTO_POLL_MS);
            if chunk <= 0 {
                if ms <= 0 {
                    // A zero step still lets the cluster and groups act.
                    self.playground.step(0);
                }
                return;
            }
            self.run_workload(chunk, &mut budget);
            self.producers
                .run_rates(&mut self.playground, chunk, &mut budget);
            self.playground.step(chunk);
        }
    }

    /// Produces what the workload owes for `ms` of engine time, at most
    /// `budget` records (what is owed beyond it is skipped). A refusal
    /// (the topic was deleted, no leader) stops the workload.
    fn run_workload(&mut self, ms: i64, budget: &mut u64) {
        let Some(workload) = &mut self.workload else {
            return;
        };
        #[allow(clippy::cast_precision_loss)]
        let due = f64::from(workload.per_second) * ms as f64 / 1_000.0 + workload.owed;
        let whole = due.floor();
        workload.owed = due - whole;
        // `whole` ≤ MAX_WORKLOAD_RATE × AUTO_POLL_MS / 1000: small.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let count = (whole as u64).min(*budget);
        *budget -= count;
        if count == 0 {
            return;
        }
        let first = workload.sent;
        workload.sent += count;
        let topic = workload.topic.clone();
        let records: Vec<NewRecord> = (first..first + count)
            .map(|n| NewRecord {
                key: Some(format!("key-{}", n % 1_000)),
                value: Some(format!("record {n}")),
                headers: vec![],
            })
            .collect();
        if self.produce(&topic, None, &records).is_err() {
            self.workload = None;
        }
    }

    /// Whether simulated consumers poll as time runs: auto-poll is on and
    /// one of them is still open.
    fn polling(&self) -> bool {
        self.auto_poll
            && (0..self.playground.consumer_count()).any(|i| {
                self.playground
                    .consumer(ConsumerRef(i))
                    .is_some_and(|c| !c.is_closed())
            })
    }

    /// Whether a step of `ms` may be taken now: 0 ..= one day, or ten
    /// minutes while consumers poll or a workload runs (each 100 ms of
    /// those is work). Both answerers check steps with this.
    ///
    /// # Errors
    ///
    /// The refusal, saying the limit.
    pub fn check_step(&self, ms: i64) -> Result<(), CommandError> {
        let busy = self.workload.is_some() || self.producers.busy() || self.polling();
        let limit = if busy { MAX_BUSY_STEP_MS } else { MAX_STEP_MS };
        if (0..=limit).contains(&ms) {
            Ok(())
        } else if busy && ms > 0 {
            Err(CommandError::invalid(format!(
                "a step is at most {limit} ms while consumers poll or records are produced continuously, not {ms}"
            )))
        } else {
            Err(CommandError::invalid(format!(
                "a step is 0 to {limit} ms, not {ms}"
            )))
        }
    }

    /// Takes the playground's new events into the recent list and returns
    /// them (a server also publishes them).
    pub fn collect_events(&mut self) -> Vec<TimedEvent> {
        self.producers.collect(&mut self.playground);
        let fresh = self.playground.drain_events();
        for event in &fresh {
            self.events_total += 1;
            let kind = event.event.kind();
            self.events.push_back(EventLine {
                seq: self.events_total,
                at: event.at.0,
                kind: kind.to_owned(),
                group: is_group_event(kind),
                text: event.event.to_string(),
            });
        }
        let excess = self.events.len().saturating_sub(KEPT_EVENTS);
        self.events.drain(..excess);
        self.metrics.observe(self.playground.cluster(), &fresh);
        fresh
    }

    /// Applies a command that is not about time (the answerer handles
    /// [`Command::Step`] and [`Command::Clock`], which differ between a
    /// worker and a server).
    ///
    /// # Errors
    ///
    /// Kafka's or the client's refusal, as a [`CommandError`].
    pub fn apply(&mut self, command: Command) -> Result<Reply, CommandError> {
        let result = match command {
            Command::CreateTopic {
                topic,
                partitions,
                replication_factor,
                configs,
            } => {
                let mut request = NewTopic::new(
                    topic,
                    partitions.unwrap_or(-1),
                    replication_factor.unwrap_or(-1),
                );
                request.configs = configs;
                self.playground
                    .cluster_mut()
                    .create_topic(request)
                    .map(|()| Reply::Done)
                    .map_err(kafka)
            }
            Command::DeleteTopic { topic } => self
                .playground
                .delete_topic(&topic)
                .map(|()| Reply::Done)
                .map_err(kafka),
            Command::CreatePartitions { topic, total } => self
                .playground
                .cluster_mut()
                .create_partitions(&topic, total)
                .map(|()| Reply::Done)
                .map_err(kafka),
            Command::StopBroker { broker } => self
                .playground
                .cluster_mut()
                .stop_broker(broker)
                .map(|()| Reply::Done)
                .map_err(kafka),
            Command::StartBroker { broker } => self
                .playground
                .cluster_mut()
                .start_broker(broker)
                .map(|()| Reply::Done)
                .map_err(kafka),
            Command::Produce {
                topic,
                partition,
                records,
            } => self.produce(&topic, partition, &records),
            Command::SetWorkload {
                topic,
                records_per_second,
            } => self.set_workload(topic, records_per_second),
            Command::AddProducer { client, configs } => {
                let seed = self.rng.next_u64();
                self.producers
                    .add(&mut self.playground, client, &configs, seed)
            }
            Command::Producer { producer, action } => {
                self.producers.act(&mut self.playground, producer, action)
            }
            Command::InjectFault(fault) => producers::inject(&mut self.playground, fault),
            Command::AddConsumer {
                client,
                configs,
                topics,
            } => self.add_consumer(client, &configs, &topics),
            Command::Consumer { consumer, action } => self.consumer_action(consumer, action),
            Command::RestartConsumer { consumer, strategy } => {
                self.restart_consumer(consumer, &strategy)
            }
            Command::ResetOffsets { group, topic, to } => self.reset_offsets(&group, &topic, to),
            Command::DescribeProducerConfigs { client } => Ok(Reply::ConfigDefaults {
                configs: producers::every_default(client),
            }),
            Command::ListOffsets {
                topic,
                partition,
                timestamp,
            } => self.list_offsets(&topic, partition, timestamp),
            Command::FindRecords {
                topic,
                partition,
                from_offset,
                text,
                field,
                limit,
            } => crate::models::find_records(
                self,
                &topic,
                partition,
                from_offset,
                &text,
                field,
                limit,
            )
            .map_err(CommandError::invalid),
            Command::DescribeTopics { topics } => crate::models::describe_topics(self, &topics)
                .map(|topics| Reply::TopicsDescribed { topics })
                .map_err(kafka),
            Command::Fetch {
                topic,
                partition,
                offset,
                max_records,
            } => crate::models::records(self, &topic, partition, Some(offset), max_records)
                .map(Reply::Fetched)
                .map_err(CommandError::invalid),
            Command::DescribeGroups { groups } => Ok(Reply::GroupsDescribed {
                groups: crate::models::group_models(self, &groups),
            }),
            Command::AlterGroupOffsets { group, offsets } => {
                let offsets: Vec<OffsetToCommit> = offsets
                    .into_iter()
                    .map(|(topic, partition, offset)| OffsetToCommit {
                        partition: TopicPartition { topic, partition },
                        offset,
                        leader_epoch: -1,
                        metadata: String::new(),
                    })
                    .collect();
                self.alter_group_offsets(&group, &offsets)
                    .map(|()| Reply::Done)
            }
            Command::DescribeConfigs { topic } => self
                .playground
                .cluster()
                .topic_config(&topic)
                .map(|config| Reply::ConfigsDescribed {
                    entries: crate::models::config_entries(config),
                })
                .map_err(kafka),
            Command::AlterConfigs { topic, set, delete } => self
                .playground
                .cluster_mut()
                .alter_topic_configs(&topic, &set, &delete)
                .map(|()| Reply::Done)
                .map_err(kafka),
            Command::PollRecords {
                consumer,
                max_records,
            } => {
                let index = usize::try_from(consumer).unwrap_or(usize::MAX);
                if !self.client_driven.contains(&index) {
                    self.client_driven.push(index);
                }
                let max =
                    usize::try_from(max_records.clamp(1, port::Query::MAX_WINDOW)).unwrap_or(1);
                let records = self
                    .playground
                    .poll(ConsumerRef(index), max)
                    .map_err(|e| CommandError::new(ErrorCode::Client, e.to_string()))?;
                if self.received.len() <= index {
                    self.received.resize(index + 1, 0);
                }
                self.received[index] += records.len() as u64;
                Ok(Reply::PolledRecords {
                    records: records
                        .into_iter()
                        .map(|r| {
                            let model = crate::models::consumer_record_model(&r);
                            (r.topic, r.partition, model)
                        })
                        .collect(),
                })
            }
            Command::DeleteRecords {
                topic,
                partition,
                offset,
            } => self
                .playground
                .cluster_mut()
                .delete_records(&topic, partition, offset)
                .map(|low_watermark| Reply::RecordsDeleted { low_watermark })
                .map_err(kafka),
            Command::DeleteGroups { groups } => {
                let (coordinator, cluster) = self.playground.coordinator_and_cluster();
                let results = groups
                    .into_iter()
                    .map(|group| {
                        let error = coordinator.delete_group(cluster, &group).err().map(kafka);
                        (group, error)
                    })
                    .collect();
                Ok(Reply::GroupsDeleted { results })
            }
            Command::SetAutoPoll { on } => {
                self.auto_poll = on;
                Ok(Reply::Done)
            }
            Command::Registry { method, path, body } => {
                let response = self.playground.registry_request(&method, &path, &body);
                Ok(Reply::Rest {
                    status: response.status,
                    body: response.body,
                })
            }
            Command::Connect { method, path, body } => self.connect(&method, &path, &body),
            Command::ExportScenario | Command::ImportScenario { .. } => Err(CommandError::new(
                ErrorCode::Unsupported,
                "scenarios are local mode's: a live server's state is its own",
            )),
            Command::Step { .. } | Command::Clock(_) => Err(CommandError::new(
                ErrorCode::Unsupported,
                "the clock is the answerer's: send Step and Clock through it",
            )),
        };
        self.collect_events();
        result
    }

    #[cfg(feature = "connect")]
    fn connect(&mut self, method: &str, path: &str, body: &str) -> Result<Reply, CommandError> {
        let response = self.playground.connect_request(method, path, body);
        Ok(Reply::Rest {
            status: response.status,
            body: response.body,
        })
    }

    #[cfg(not(feature = "connect"))]
    fn connect(&mut self, _method: &str, _path: &str, _body: &str) -> Result<Reply, CommandError> {
        Err(CommandError::new(
            ErrorCode::Unsupported,
            "this engine was built without Kafka Connect",
        ))
    }

    /// `kafka-console-producer`: murmur2 of the key picks the partition
    /// (the Java default); keyless records of one command share one
    /// partition, as one sticky batch would. One batch per partition,
    /// `acks=1`.
    fn produce(
        &mut self,
        topic: &str,
        partition: Option<i32>,
        records: &[NewRecord],
    ) -> Result<Reply, CommandError> {
        if records.is_empty() {
            return Err(CommandError::invalid(
                "nothing to produce: give at least one record",
            ));
        }
        if records.len() > MAX_PRODUCE_RECORDS {
            return Err(CommandError::invalid(format!(
                "{} records in one command: at most {MAX_PRODUCE_RECORDS}",
                records.len()
            )));
        }
        let now = self.playground.now();
        let cluster = self.playground.cluster_mut();
        let count = cluster.partition_count(topic).map_err(kafka)?;
        if partition.is_some_and(|p| !(0..count).contains(&p)) {
            return Err(CommandError::new(
                ErrorCode::Kafka("UNKNOWN_TOPIC_OR_PARTITION".into()),
                "This server does not host this topic-partition.",
            ));
        }
        let available: Vec<bool> = (0..count)
            .map(|p| cluster.leader_of(topic, p).is_some())
            .collect();
        let mut sticky: Option<i32> = None;
        let mut targets = Vec::with_capacity(records.len());
        for record in records {
            let target = match (partition, &record.key) {
                (Some(p), _) => p,
                (None, Some(key)) => PartitionerKind::Murmur2Random
                    .partition(Some(key.as_bytes()), &available, &mut self.rng)
                    .map_err(|e| CommandError::new(ErrorCode::Client, e.to_string()))?,
                (None, None) => match sticky {
                    Some(p) => p,
                    None => {
                        let p = PartitionerKind::Random
                            .partition(None, &available, &mut self.rng)
                            .map_err(|e| CommandError::new(ErrorCode::Client, e.to_string()))?;
                        sticky = Some(p);
                        p
                    }
                },
            };
            targets.push(target);
        }
        let mut deliveries = vec![(0, None); records.len()];
        let mut partitions: Vec<i32> = targets.clone();
        engine::compact_sort::sort_unstable(&mut partitions);
        partitions.dedup();
        for p in partitions {
            let indices: Vec<usize> = (0..records.len()).filter(|i| targets[*i] == p).collect();
            let batch: Vec<ProducerRecord> = indices
                .iter()
                .map(|i| producer_record(&records[*i], now))
                .collect();
            let bytes = encode_batch(&batch, ProducerStamp::NONE, Compression::None)
                .map_err(|e| CommandError::new(ErrorCode::Client, e.to_string()))?;
            let outcome = self
                .playground
                .cluster_mut()
                .produce(topic, p, bytes, Acks::Leader, 30_000)
                .map_err(kafka)?;
            let base = match outcome {
                ProduceOutcome::Acknowledged(ack) => Some(ack.base_offset),
                ProduceOutcome::NoResponse | ProduceOutcome::Pending(_) => None,
            };
            for (n, i) in indices.iter().enumerate() {
                let n = i64::try_from(n).unwrap_or(i64::MAX);
                deliveries[*i] = (p, base.map(|b| b + n));
            }
        }
        Ok(Reply::Produced { deliveries })
    }

    fn set_workload(&mut self, topic: String, per_second: u32) -> Result<Reply, CommandError> {
        if per_second == 0 {
            self.workload = None;
            return Ok(Reply::Done);
        }
        if per_second > MAX_WORKLOAD_RATE {
            return Err(CommandError::invalid(format!(
                "at most {MAX_WORKLOAD_RATE} records per second"
            )));
        }
        self.playground
            .cluster()
            .partition_count(&topic)
            .map_err(kafka)?;
        let sent = self
            .workload
            .as_ref()
            .filter(|w| w.topic == topic)
            .map_or(0, |w| w.sent);
        self.workload = Some(Workload {
            topic,
            per_second,
            owed: 0.0,
            sent,
        });
        Ok(Reply::Done)
    }

    /// `kafka-consumer-groups --reset-offsets --execute`, as Kafka's
    /// `ConsumerGroupCommand` does it: only for an inactive group, an
    /// offset out of range clamped to the partition's, a time past the
    /// newest record meaning the high watermark.
    fn reset_offsets(
        &mut self,
        group: &str,
        topic: &str,
        to: ResetTo,
    ) -> Result<Reply, CommandError> {
        let cluster = self.playground.cluster();
        let count = cluster.partition_count(topic).map_err(kafka)?;
        let mut offsets = Vec::new();
        for partition in 0..count {
            let at = |spec| cluster.list_offsets(topic, partition, spec).map_err(kafka);
            let earliest = at(OffsetSpec::Earliest)?.unwrap_or(0);
            let latest = at(OffsetSpec::Latest)?.unwrap_or(earliest);
            let target = match to {
                ResetTo::Earliest => earliest,
                ResetTo::Latest => latest,
                ResetTo::Offset(offset) => offset.clamp(earliest, latest),
                ResetTo::Timestamp(ms) => at(OffsetSpec::Timestamp(ms))?.unwrap_or(latest),
            };
            offsets.push(OffsetToCommit {
                partition: TopicPartition {
                    topic: topic.to_owned(),
                    partition,
                },
                offset: target,
                leader_epoch: -1,
                metadata: String::new(),
            });
        }
        self.alter_group_offsets(group, &offsets)?;
        Ok(Reply::OffsetsReset {
            offsets: offsets
                .iter()
                .map(|o| (o.partition.partition, o.offset))
                .collect(),
        })
    }

    /// `alterConsumerGroupOffsets`: commits `offsets` for a group without
    /// active members (a simple commit: no member id, generation -1).
    fn alter_group_offsets(
        &mut self,
        group: &str,
        offsets: &[OffsetToCommit],
    ) -> Result<(), CommandError> {
        let (coordinator, cluster) = self.playground.coordinator_and_cluster();
        let state = coordinator.state(group);
        if !matches!(state.name(), "Empty" | "Dead") {
            return Err(CommandError::new(
                ErrorCode::Client,
                format!(
                    "Assignments can only be reset if the group '{group}' is inactive, but the current state is {}.",
                    state.name()
                ),
            ));
        }
        let results = coordinator.commit_offsets(cluster, group, "", -1, offsets);
        if let Some((tp, Some(code))) = results.iter().find(|(_, error)| error.is_some()) {
            return Err(CommandError::new(
                ErrorCode::Kafka(code.name().to_owned()),
                format!("committing {tp} failed: {}", code.name()),
            ));
        }
        Ok(())
    }

    fn add_consumer(
        &mut self,
        client: ClientFlavour,
        configs: &[(String, String)],
        topics: &[String],
    ) -> Result<Reply, CommandError> {
        let flavour = engine_flavour(client);
        let (config, _notices) = ConsumerConfig::parse(flavour, configs)
            .map_err(|e| CommandError::new(ErrorCode::Client, e.to_string()))?;
        let topics: Vec<&str> = topics
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if topics.is_empty() {
            return Err(CommandError::invalid("subscribe to at least one topic"));
        }
        // What subscribe() would refuse is refused before the consumer
        // exists: the playground keeps every consumer it was given.
        let owned: Vec<String> = topics.iter().map(|t| (*t).to_owned()).collect();
        engine::consumer::Consumer::new(config.clone())
            .subscribe(&owned, self.playground.now())
            .map_err(|e| CommandError::new(ErrorCode::Client, e.message))?;
        let consumer = self.playground.add_consumer(config);
        self.playground
            .subscribe(consumer, &topics)
            .map_err(|e| CommandError::new(ErrorCode::Client, e.message))?;
        self.received.resize(self.playground.consumer_count(), 0);
        Ok(Reply::ConsumerAdded {
            consumer: u32::try_from(consumer.0).unwrap_or(u32::MAX),
        })
    }

    /// The simulated consumer numbered `consumer`, or NotFound.
    fn consumer_ref(&self, consumer: u32) -> Result<ConsumerRef, CommandError> {
        usize::try_from(consumer)
            .ok()
            .filter(|index| *index < self.playground.consumer_count())
            .map(ConsumerRef)
            .ok_or_else(|| {
                CommandError::new(
                    ErrorCode::NotFound,
                    format!("there is no consumer {consumer}"),
                )
            })
    }

    fn consumer_action(
        &mut self,
        consumer: u32,
        action: ConsumerAction,
    ) -> Result<Reply, CommandError> {
        let consumer = self.consumer_ref(consumer)?;
        let client =
            |e: engine::consumer::ConsumerError| CommandError::new(ErrorCode::Client, e.message);
        match action {
            ConsumerAction::Poll => {
                let max = self
                    .playground
                    .consumer(consumer)
                    .map_or(1, |c| poll_records(c.config()));
                self.poll_one(consumer, max as usize)
                    .map(|records| Reply::Polled { records })
                    .map_err(client)
            }
            ConsumerAction::Consume { num_messages } => {
                let is_java = self
                    .playground
                    .consumer(consumer)
                    .is_some_and(|c| c.config().flavour == EngineFlavour::Java);
                if is_java {
                    return Err(CommandError::new(
                        ErrorCode::InvalidRequest,
                        "The Java KafkaConsumer has no consume(); poll() returns up to max.poll.records records",
                    ));
                }
                if !(1..=1_000_000).contains(&num_messages) {
                    return Err(CommandError::new(
                        ErrorCode::InvalidRequest,
                        format!("consume(num_messages={num_messages}): num_messages must be between 1 and 1000000"),
                    ));
                }
                self.poll_one(consumer, num_messages as usize)
                    .map(|records| Reply::Polled { records })
                    .map_err(client)
            }
            ConsumerAction::Commit => self
                .playground
                .commit(consumer)
                .map(|()| Reply::Done)
                .map_err(client),
            ConsumerAction::Close => self
                .playground
                .close(consumer)
                .map(|()| Reply::Done)
                .map_err(client),
            ConsumerAction::Crash => {
                self.playground.crash_consumer(consumer);
                Ok(Reply::Done)
            }
        }
    }

    /// A rolling restart's step with a new `partition.assignment.strategy`,
    /// validated as the consumer's client validates it.
    fn restart_consumer(&mut self, consumer: u32, strategy: &str) -> Result<Reply, CommandError> {
        let consumer = self.consumer_ref(consumer)?;
        let flavour = self
            .playground
            .consumer(consumer)
            .map_or(EngineFlavour::Java, |c| c.config().flavour);
        let (parsed, _notices) =
            ConsumerConfig::parse(flavour, &[("partition.assignment.strategy", strategy)])
                .map_err(|e| CommandError::new(ErrorCode::Client, e.to_string()))?;
        self.playground
            .restart_consumer(consumer, parsed.assignment_strategies)
            .map(|()| Reply::Done)
            .map_err(|e| CommandError::new(ErrorCode::Client, e.message))
    }

    /// ListOffsets as the broker answers it (`-3`: the record with the
    /// largest timestamp; a time: the first record, not just the first
    /// batch, whose timestamp is at or after it).
    fn list_offsets(
        &self,
        topic: &str,
        partition: i32,
        timestamp: i64,
    ) -> Result<Reply, CommandError> {
        let spec = match timestamp {
            -1 => OffsetSpec::Latest,
            -2 => OffsetSpec::Earliest,
            -3 => OffsetSpec::MaxTimestamp,
            t if t >= 0 => OffsetSpec::Timestamp(t),
            t => {
                return Err(CommandError::new(
                    ErrorCode::InvalidRequest,
                    format!(
                        "timestamp {t}: -1 (latest), -2 (earliest), -3 (max timestamp) or a time in epoch milliseconds"
                    ),
                ))
            }
        };
        let offset = self
            .playground
            .cluster()
            .list_offsets(topic, partition, spec)
            .map_err(kafka)?;
        Ok(Reply::ListedOffset { offset })
    }

    fn poll_one(
        &mut self,
        consumer: ConsumerRef,
        max: usize,
    ) -> Result<u64, engine::consumer::ConsumerError> {
        let got = self.playground.poll(consumer, max)?.len() as u64;
        if self.received.len() <= consumer.0 {
            self.received.resize(consumer.0 + 1, 0);
        }
        self.received[consumer.0] += got;
        Ok(got)
    }

    /// Every open simulated consumer's `poll()`; a poll error (an assignor
    /// mismatch, say) shows in the events and the consumer's card.
    fn poll_all(&mut self) {
        for index in 0..self.playground.consumer_count() {
            let consumer = ConsumerRef(index);
            // A consumer its own client polls (the console consumer) is
            // left to it.
            if self.client_driven.contains(&index) {
                continue;
            }
            if self
                .playground
                .consumer(consumer)
                .is_some_and(|c| !c.is_closed())
            {
                // An application's poll loop runs many times per tick:
                // one tick's worth is a full Java-sized poll for either
                // flavour.
                let _ = self.poll_one(consumer, 500);
            }
        }
    }
}

pub(crate) fn producer_record(record: &NewRecord, now: Millis) -> ProducerRecord {
    let bytes = |s: &String| Bytes::copy_from_slice(s.as_bytes());
    ProducerRecord {
        key: record.key.as_ref().map(bytes),
        value: record.value.as_ref().map(bytes),
        headers: record
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Some(bytes(v))))
            .collect(),
        timestamp: now.0,
    }
}

/// How many records one `poll()` returns at most: `max.poll.records` for
/// the Java client, one message for librdkafka's `poll()`.
#[must_use]
pub fn poll_records(config: &engine::consumer_config::ConsumerConfig) -> u32 {
    match config.flavour {
        EngineFlavour::Java => config.max_poll_records.unwrap_or(500),
        EngineFlavour::Librdkafka => 1,
    }
}

/// The port's client flavour for the engine's.
#[must_use]
pub fn port_flavour(engine: EngineFlavour) -> ClientFlavour {
    match engine {
        EngineFlavour::Java => ClientFlavour::Java,
        EngineFlavour::Librdkafka => ClientFlavour::Librdkafka,
    }
}

/// The engine's client flavour for the port's.
#[must_use]
pub fn engine_flavour(client: ClientFlavour) -> EngineFlavour {
    match client {
        ClientFlavour::Java => EngineFlavour::Java,
        ClientFlavour::Librdkafka => EngineFlavour::Librdkafka,
    }
}

/// A Kafka error as a refusal: its name and the broker's message.
#[must_use]
pub fn kafka(error: KafkaError) -> CommandError {
    CommandError::new(
        ErrorCode::Kafka(error.code.name().to_owned()),
        error.message,
    )
}

/// Whether an event kind is about consumer groups.
#[must_use]
pub fn is_group_event(kind: &str) -> bool {
    matches!(
        kind,
        "MemberJoined"
            | "RebalanceStarted"
            | "GenerationStarted"
            | "AssignmentComputed"
            | "GroupStable"
            | "MemberRemoved"
            | "GroupEmpty"
            | "PartitionsRevoked"
            | "PartitionsAssigned"
            | "PartitionsLost"
            | "ConsumerLeftGroup"
            | "OffsetsCommitted"
            | "GroupDeleted"
    )
}

/// A three-broker cluster with Kafka's defaults, the Schema Registry and a
/// Kafka Connect worker started, as the native server starts them: the
/// engine local mode runs.
///
/// # Errors
///
/// The engine's, if the registry or Connect cannot start.
pub fn boot_local(seed: u64, start: Millis) -> Result<Engine, CommandError> {
    let cluster = Cluster::with_defaults(seed, start);
    let mut playground = Playground::new(cluster, seed);
    playground
        .schema_registry()
        .map_err(|e| CommandError::new(ErrorCode::Client, e.body()))?;
    #[cfg(feature = "connect")]
    playground
        .start_connect(engine::connect::ConnectConfig {
            worker_id: LOCAL_CONNECT_WORKER.into(),
            ..Default::default()
        })
        .map_err(|e| CommandError::new(ErrorCode::Client, e.to_string()))?;
    let mut engine = Engine::new(playground, seed);
    engine.collect_events();
    Ok(engine)
}

/// The local Connect worker's id, as a server names its by REST address.
pub const LOCAL_CONNECT_WORKER: &str = "127.0.0.1:8083";
