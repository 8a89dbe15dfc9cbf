//! A scenario: one cluster, the clients talking to it, and the network
//! between them, stepped through engine time together.
//!
//! This is what the UI holds and what tests drive. [`Playground::step`]
//! advances time: the cluster replicates and completes `acks=all`
//! requests, whose answers go back to the producer that sent them, and
//! each producer's sender runs. [`Playground::flush`] is the producer's
//! `flush()`: it sends everything now, ignoring `linger.ms`, and steps time
//! until every record has its delivery report, which is how the course
//! notes' "synchronous" producer works. Faults (lost requests and
//! responses) come from a seeded [`FaultPlan`], so a run replays exactly.

use std::collections::VecDeque;

use crate::clock::Millis;
use crate::cluster::Cluster;
#[cfg(feature = "connect")]
use crate::connect::{ConnectConfig, ConnectError, ConnectWorker};
use crate::consumer::{Consumer, ConsumerError, ConsumerRecord};
use crate::consumer_config::ConsumerConfig;
use crate::error::KafkaError;
use crate::events::BrokerId;
use crate::group::assignor::AssignorKind;
use crate::group::coordinator::{CoordinatorConfig, CoordinatorResponse, GroupCoordinator};
use crate::producer::{Delivery, DeliveryHandle, Network, Producer, ProducerError};
use crate::producer_config::ProducerConfig;
use crate::record::ProducerRecord;
use crate::registry::{RegistryConfig, RegistryError, RestResponse, SchemaRegistry};
use crate::rng::Rng;

/// How far [`Playground::poll_timeout`] steps time between polls.
const POLL_STEP_MS: i64 = 100;

/// A producer's place in the playground.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProducerRef(pub usize);

/// Faults to inject between clients and brokers: the next N requests or
/// responses lost, or a random loss rate (per mille) from a seeded RNG.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    drop_requests: usize,
    drop_responses: usize,
    delays: VecDeque<i64>,
    request_loss_per_mille: u32,
    response_loss_per_mille: u32,
    rng: Rng,
}

impl FaultPlan {
    /// No faults; `seed` drives random loss once a rate is set.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self {
            drop_requests: 0,
            drop_responses: 0,
            delays: VecDeque::new(),
            request_loss_per_mille: 0,
            response_loss_per_mille: 0,
            rng: Rng::seeded(seed),
        }
    }

    /// Loses the next `n` produce requests.
    pub fn drop_next_requests(&mut self, n: usize) {
        self.drop_requests += n;
    }

    /// Loses the next `n` produce responses (the broker still writes).
    pub fn drop_next_responses(&mut self, n: usize) {
        self.drop_responses += n;
    }

    /// Holds up the next request by `ms` milliseconds.
    pub fn delay_next_request(&mut self, ms: i64) {
        self.delays.push_back(ms);
    }

    /// Requests and responses still to be lost by
    /// [`Self::drop_next_requests`] and [`Self::drop_next_responses`].
    #[must_use]
    pub fn scheduled_drops(&self) -> (usize, usize) {
        (self.drop_requests, self.drop_responses)
    }

    /// Loses each request and response with these chances, in per mille.
    pub fn set_loss(&mut self, request_per_mille: u32, response_per_mille: u32) {
        self.request_loss_per_mille = request_per_mille.min(1_000);
        self.response_loss_per_mille = response_per_mille.min(1_000);
    }

    fn decide(scripted: &mut usize, per_mille: u32, rng: &mut Rng) -> Delivery {
        if *scripted > 0 {
            *scripted -= 1;
            return Delivery::Drop;
        }
        if per_mille > 0 && rng.below(1_000) < per_mille {
            return Delivery::Drop;
        }
        Delivery::Deliver
    }
}

impl Network for FaultPlan {
    fn request(&mut self, _topic: &str, _partition: i32) -> Delivery {
        if let Some(ms) = self.delays.pop_front() {
            return Delivery::Delay(ms);
        }
        Self::decide(
            &mut self.drop_requests,
            self.request_loss_per_mille,
            &mut self.rng,
        )
    }

    fn response(&mut self, _topic: &str, _partition: i32) -> Delivery {
        Self::decide(
            &mut self.drop_responses,
            self.response_loss_per_mille,
            &mut self.rng,
        )
    }
}

/// A cluster, its producers and the network between them.
#[derive(Debug, Clone)]
pub struct Playground {
    cluster: Cluster,
    producers: Vec<Producer>,
    faults: FaultPlan,
    coordinator: GroupCoordinator,
    consumers: Vec<Consumer>,
    /// The Java client's JVM-wide `CLIENT_ID_SEQUENCE` (`consumer-<group>-<n>`).
    java_client_sequence: u32,
    /// The Schema Registry, started on first use (it creates `_schemas`).
    registry: Option<SchemaRegistry>,
    /// The Kafka Connect worker, started on first use (it creates
    /// `connect-configs`, `connect-offsets` and `connect-status`).
    #[cfg(feature = "connect")]
    connect: Option<ConnectWorker>,
    /// Set by [`Playground::serve_real_clients`]: what no simulated client
    /// claims is kept for the caller instead of dropped.
    unclaimed: Option<Unclaimed>,
}

/// Answers that no simulated client claimed: they belong to real clients
/// whose requests a server keeps waiting (see
/// [`Playground::serve_real_clients`]).
#[derive(Debug, Clone, Default)]
pub struct Unclaimed {
    /// `acks=all` produce completions.
    pub completions: Vec<crate::cluster::ProduceCompletion>,
    /// JoinGroup and SyncGroup answers.
    pub responses: Vec<CoordinatorResponse>,
}

/// A consumer's place in the playground.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConsumerRef(pub usize);

impl Playground {
    /// A playground around `cluster` with a reliable network.
    #[must_use]
    pub fn new(cluster: Cluster, seed: u64) -> Self {
        Self::with_coordinator(cluster, seed, CoordinatorConfig::default())
    }

    /// A playground whose group coordinator has these broker settings.
    #[must_use]
    pub fn with_coordinator(cluster: Cluster, seed: u64, groups: CoordinatorConfig) -> Self {
        Self {
            cluster,
            producers: Vec::new(),
            faults: FaultPlan::new(seed),
            coordinator: GroupCoordinator::new(groups),
            consumers: Vec::new(),
            java_client_sequence: 0,
            registry: None,
            #[cfg(feature = "connect")]
            connect: None,
            unclaimed: None,
        }
    }

    /// From now on, produce completions and group answers that none of
    /// this playground's simulated clients claim are kept for
    /// [`Playground::take_unclaimed`] instead of dropped: a server whose
    /// real clients share the engine with simulated ones routes them to
    /// the requests it parked.
    pub fn serve_real_clients(&mut self) {
        self.unclaimed.get_or_insert_with(Unclaimed::default);
    }

    /// What no simulated client claimed since the last call (empty unless
    /// [`Playground::serve_real_clients`] was called).
    pub fn take_unclaimed(&mut self) -> Unclaimed {
        self.unclaimed
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The cluster.
    #[must_use]
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The cluster, for admin operations and broker faults.
    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// Adds a consumer client.
    /// A Java consumer without a `client.id` is named from the JVM-wide
    /// sequence, as in one Java process: `consumer-<group.id>-1`, `-2`...
    pub fn add_consumer(&mut self, mut config: ConsumerConfig) -> ConsumerRef {
        let generated = matches!(&config.client, crate::consumer_config::ConsumerClientSettings::Java(java) if java.client_id_generated)
            && config.group_instance_id.is_none();
        if generated {
            self.java_client_sequence += 1;
            config.set_java_client_id_sequence(self.java_client_sequence);
        }
        self.consumers.push(Consumer::new(config));
        ConsumerRef(self.consumers.len() - 1)
    }

    /// How many consumers were added (crashed and closed ones included):
    /// `ConsumerRef(0..count)`.
    #[must_use]
    pub fn consumer_count(&self) -> usize {
        self.consumers.len()
    }

    /// A consumer, if `consumer` names one.
    #[must_use]
    pub fn consumer(&self, consumer: ConsumerRef) -> Option<&Consumer> {
        self.consumers.get(consumer.0)
    }

    /// A consumer, mutably (to assign, seek, pause).
    pub fn consumer_mut(&mut self, consumer: ConsumerRef) -> Option<&mut Consumer> {
        self.consumers.get_mut(consumer.0)
    }

    /// Removes a consumer without a commit or a goodbye: a crash. Its
    /// group notices when its session times out. What remains is a fresh,
    /// unsubscribed client with the same configuration: the restarted
    /// process.
    pub fn crash_consumer(&mut self, consumer: ConsumerRef) {
        if let Some(slot) = self.consumers.get_mut(consumer.0) {
            let config = slot.config().clone();
            *slot = Consumer::new(config);
        }
    }

    fn no_consumer(consumer: ConsumerRef) -> ConsumerError {
        ConsumerError {
            message: format!("there is no consumer {}", consumer.0),
        }
    }

    /// `subscribe(topics)`; librdkafka treats entries starting with `^`
    /// as regular expressions.
    pub fn subscribe(
        &mut self,
        consumer: ConsumerRef,
        topics: &[&str],
    ) -> Result<(), ConsumerError> {
        let now = self.now();
        let topics: Vec<String> = topics.iter().map(|t| (*t).to_owned()).collect();
        let client = self
            .consumers
            .get_mut(consumer.0)
            .ok_or_else(|| Self::no_consumer(consumer))?;
        client.subscribe(&topics, now)?;
        self.run_group(consumer, false);
        Ok(())
    }

    /// Java's `subscribe(Pattern)`.
    pub fn subscribe_pattern(
        &mut self,
        consumer: ConsumerRef,
        pattern: &str,
    ) -> Result<(), ConsumerError> {
        let now = self.now();
        let client = self
            .consumers
            .get_mut(consumer.0)
            .ok_or_else(|| Self::no_consumer(consumer))?;
        client.subscribe_pattern(pattern, now)?;
        self.run_group(consumer, false);
        Ok(())
    }

    /// `unsubscribe()`: revokes everything and leaves the group.
    pub fn unsubscribe(&mut self, consumer: ConsumerRef) -> Result<(), ConsumerError> {
        self.leave(consumer, "the consumer unsubscribed from all topics")
    }

    /// `close()`: commits if auto-committing, revokes, leaves the group
    /// (static members leave silently), and refuses further calls.
    pub fn close(&mut self, consumer: ConsumerRef) -> Result<(), ConsumerError> {
        self.leave(consumer, "the consumer is being closed")?;
        if let Some(client) = self.consumers.get_mut(consumer.0) {
            client.mark_closed();
        }
        Ok(())
    }

    fn leave(&mut self, consumer: ConsumerRef, reason: &str) -> Result<(), ConsumerError> {
        let now = self.now();
        let client = self
            .consumers
            .get_mut(consumer.0)
            .ok_or_else(|| Self::no_consumer(consumer))?;
        let responses = client.leave_group(now, reason, &mut self.cluster, &mut self.coordinator);
        self.route(responses.into_iter().map(|r| (None, r)).collect());
        Ok(())
    }

    /// One step of a rolling restart, the way a running group changes its
    /// assignor: the consumer is closed (auto commit, revoke, LeaveGroup),
    /// and the same application starts again with `strategies` as its
    /// `partition.assignment.strategy`, subscribed to the same topics. The
    /// coordinator picks the first protocol every member supports; a member
    /// that shares none with the group is refused with
    /// `INCONSISTENT_GROUP_PROTOCOL`, which is why moving from an eager
    /// assignor to `cooperative-sticky` takes two rounds of restarts
    /// (first `[cooperative-sticky, range]`, then `[cooperative-sticky]`).
    ///
    /// # Errors
    ///
    /// The client's error if it is already closed, or if it never
    /// subscribed (there is no group to rejoin).
    pub fn restart_consumer(
        &mut self,
        consumer: ConsumerRef,
        strategies: Vec<AssignorKind>,
    ) -> Result<(), ConsumerError> {
        let Some(client) = self.consumers.get(consumer.0) else {
            return Err(Self::no_consumer(consumer));
        };
        if client.is_closed() {
            return Err(ConsumerError {
                message: "this consumer is closed: add a new one instead".into(),
            });
        }
        let mut config = client.config().clone();
        config.assignment_strategies = strategies;
        let now = self.now();
        let Some(next) = client.restarted(config, now) else {
            return Err(ConsumerError {
                message: "only a consumer that subscribed to topics can rejoin its group".into(),
            });
        };
        self.close(consumer)?;
        self.consumers[consumer.0] = next;
        self.run_group(consumer, false);
        Ok(())
    }

    /// `poll()` / `consume(num_messages)` with a zero timeout: the group's
    /// work first (joining, rebalancing), then up to `max` records.
    pub fn poll(
        &mut self,
        consumer: ConsumerRef,
        max: usize,
    ) -> Result<Vec<ConsumerRecord>, ConsumerError> {
        if consumer.0 >= self.consumers.len() {
            return Err(Self::no_consumer(consumer));
        }
        self.run_group(consumer, true);
        let client = self
            .consumers
            .get_mut(consumer.0)
            .ok_or_else(|| Self::no_consumer(consumer))?;
        client.poll(&mut self.cluster, &mut self.coordinator, max)
    }

    /// `poll(timeout)`: like [`Self::poll`], but when nothing is there
    /// time runs (the whole playground steps) until records arrive or
    /// `timeout_ms` has passed, as a blocked `poll()` lets it.
    pub fn poll_timeout(
        &mut self,
        consumer: ConsumerRef,
        max: usize,
        timeout_ms: i64,
    ) -> Result<Vec<ConsumerRecord>, ConsumerError> {
        let deadline = self.now().plus(timeout_ms.max(0));
        loop {
            let records = self.poll(consumer, max)?;
            let now = self.now();
            if !records.is_empty() || now >= deadline {
                return Ok(records);
            }
            self.step(deadline.since(now).min(POLL_STEP_MS));
        }
    }

    /// `commitAsync()` / `commit(asynchronous=True)`.
    pub fn commit_async(&mut self, consumer: ConsumerRef) -> Result<(), ConsumerError> {
        let client = self
            .consumers
            .get_mut(consumer.0)
            .ok_or_else(|| Self::no_consumer(consumer))?;
        client.commit_async(&mut self.cluster, &mut self.coordinator);
        Ok(())
    }

    /// Runs one consumer's due group work and delivers every answer the
    /// coordinator gives.
    fn run_group(&mut self, consumer: ConsumerRef, in_poll: bool) {
        let now = self.now();
        let Some(client) = self.consumers.get_mut(consumer.0) else {
            return;
        };
        let responses = client.group_tick(now, &mut self.cluster, &mut self.coordinator, in_poll);
        self.route(
            responses
                .into_iter()
                .map(|r| (Some(consumer.0), r))
                .collect(),
        );
    }

    /// Delivers coordinator answers to the members they are for; answers
    /// for an id nobody has yet (a new static member's) go back to the
    /// consumer whose call produced them. Answers can cause more (the
    /// leader's SyncGroup answers its followers): this runs until quiet.
    fn route(&mut self, responses: Vec<(Option<usize>, CoordinatorResponse)>) {
        let now = self.now();
        let mut queue: VecDeque<(Option<usize>, CoordinatorResponse)> = responses.into();
        while let Some((origin, response)) = queue.pop_front() {
            let (group, member, instance) = match &response {
                CoordinatorResponse::Join { group_id, response } => (
                    group_id,
                    &response.member_id,
                    response.group_instance_id.as_deref(),
                ),
                CoordinatorResponse::Sync {
                    group_id,
                    member_id,
                    ..
                } => (group_id, member_id, None),
            };
            let target = self
                .consumers
                .iter()
                .position(|c| c.is_member(group, member))
                .or_else(|| {
                    instance.and_then(|i| {
                        self.consumers
                            .iter()
                            .position(|c| c.is_joining_static(group, i))
                    })
                })
                .or(origin);
            let Some(index) = target else {
                if let Some(unclaimed) = &mut self.unclaimed {
                    unclaimed.responses.push(response);
                }
                continue;
            };
            let Some(client) = self.consumers.get_mut(index) else {
                continue;
            };
            let more =
                client.on_group_response(response, now, &mut self.cluster, &mut self.coordinator);
            queue.extend(more.into_iter().map(|r| (Some(index), r)));
        }
    }

    /// `commitSync()` / `commit(asynchronous=False)`.
    pub fn commit(&mut self, consumer: ConsumerRef) -> Result<(), ConsumerError> {
        let Some(client) = self.consumers.get_mut(consumer.0) else {
            return Err(ConsumerError {
                message: format!("there is no consumer {}", consumer.0),
            });
        };
        client.commit(&mut self.cluster, &mut self.coordinator)
    }

    /// The group coordinator (consumer groups and their committed offsets).
    #[must_use]
    pub fn coordinator(&self) -> &GroupCoordinator {
        &self.coordinator
    }

    /// The group coordinator and the cluster together, for requests that
    /// need both (OffsetCommit writes to `__consumer_offsets`).
    pub fn coordinator_and_cluster(&mut self) -> (&mut GroupCoordinator, &mut Cluster) {
        (&mut self.coordinator, &mut self.cluster)
    }

    /// DeleteTopics for one topic: the cluster drops it, and the group
    /// coordinator drops every group's committed offsets of it (tombstones
    /// in `__consumer_offsets`), as Kafka does.
    ///
    /// # Errors
    ///
    /// The cluster's: no such topic, `delete.topic.enable=false`.
    pub fn delete_topic(&mut self, topic: &str) -> Result<(), KafkaError> {
        self.cluster.delete_topic(topic)?;
        self.coordinator
            .remove_topic_offsets(&mut self.cluster, topic);
        Ok(())
    }

    /// FindCoordinator: the broker leading the group's partition of
    /// `__consumer_offsets`, which is created on first use as Kafka does.
    /// `COORDINATOR_NOT_AVAILABLE` while that partition has no leader.
    pub fn find_coordinator(&mut self, group_id: &str) -> Result<BrokerId, KafkaError> {
        GroupCoordinator::find_coordinator(&mut self.cluster, group_id)
    }

    /// The Schema Registry and the cluster it stores `_schemas` in,
    /// starting one node with Confluent's defaults on first use.
    ///
    /// # Errors
    ///
    /// The registry's error when `_schemas` cannot be created.
    pub fn schema_registry(
        &mut self,
    ) -> Result<(&mut SchemaRegistry, &mut Cluster), RegistryError> {
        if self.registry.is_none() {
            self.registry = Some(SchemaRegistry::start(
                &mut self.cluster,
                RegistryConfig::default(),
            )?);
        }
        match self.registry.as_mut() {
            Some(registry) => Ok((registry, &mut self.cluster)),
            // Set just above.
            None => Err(RegistryError::store("the registry did not start")),
        }
    }

    /// A REST call to the Schema Registry, as `curl` would make it:
    /// `registry_request("POST", "/subjects/orders-value/versions", body)`.
    pub fn registry_request(
        &mut self,
        method: &str,
        path_and_query: &str,
        body: &str,
    ) -> RestResponse {
        match self.schema_registry() {
            Ok((registry, cluster)) => registry.handle(cluster, method, path_and_query, body),
            Err(err) => RestResponse {
                status: err.status,
                body: err.body(),
            },
        }
    }

    #[cfg(feature = "connect")]
    /// The Kafka Connect worker, started with Connect's defaults on first
    /// use, with the cluster and the group coordinator its sink tasks
    /// commit to.
    ///
    /// # Errors
    ///
    /// Connect's error when its internal topics cannot be created.
    pub fn connect(
        &mut self,
    ) -> Result<(&mut ConnectWorker, &mut Cluster, &mut GroupCoordinator), ConnectError> {
        self.start_connect(ConnectConfig::default())?;
        match self.connect.as_mut() {
            Some(worker) => Ok((worker, &mut self.cluster, &mut self.coordinator)),
            // Set just above.
            None => Err(ConnectError {
                status: 500,
                message: "the Connect worker did not start".to_owned(),
            }),
        }
    }

    #[cfg(feature = "connect")]
    /// Starts the Kafka Connect worker with these settings (creating its
    /// internal topics, as a worker does when it boots) unless it runs
    /// already.
    ///
    /// # Errors
    ///
    /// Connect's error when its internal topics cannot be created.
    pub fn start_connect(&mut self, config: ConnectConfig) -> Result<(), ConnectError> {
        if self.connect.is_none() {
            self.connect = Some(ConnectWorker::start(&mut self.cluster, config)?);
        }
        Ok(())
    }

    #[cfg(feature = "connect")]
    /// The Kafka Connect worker if it has started.
    #[must_use]
    pub fn connect_worker(&self) -> Option<&ConnectWorker> {
        self.connect.as_ref()
    }

    #[cfg(feature = "connect")]
    /// The Connect worker, if started, to change (its files).
    pub fn connect_worker_mut(&mut self) -> Option<&mut ConnectWorker> {
        self.connect.as_mut()
    }

    #[cfg(feature = "connect")]
    /// Stops the Connect worker gracefully, if started (tasks flush their
    /// source offsets, statuses become UNASSIGNED) and rebuilds it from its
    /// topics: what a clean shutdown writes before the process ends.
    pub fn restart_connect(&mut self) {
        if let Some(worker) = &mut self.connect {
            worker.restart(&mut self.cluster, &mut self.coordinator);
        }
    }

    #[cfg(feature = "connect")]
    /// Runs the Connect worker's tasks at the current time, if it was
    /// started: what [`Playground::step`] does after each sub-step, for a
    /// shell that moves the cluster's time itself (the native server).
    pub fn tick_connect(&mut self) {
        if let Some(worker) = &mut self.connect {
            worker.tick(&mut self.cluster, &mut self.coordinator);
        }
    }

    #[cfg(feature = "connect")]
    /// A REST call to Kafka Connect, as `curl` would make it:
    /// `connect_request("POST", "/connectors", body)`.
    pub fn connect_request(
        &mut self,
        method: &str,
        path_and_query: &str,
        body: &str,
    ) -> RestResponse {
        match self.connect() {
            Ok((worker, cluster, coordinator)) => {
                worker.handle(cluster, coordinator, method, path_and_query, body)
            }
            Err(err) => err.into(),
        }
    }

    /// The faults scheduled between clients and brokers.
    #[must_use]
    pub fn faults(&self) -> &FaultPlan {
        &self.faults
    }

    /// The network faults to inject.
    pub fn faults_mut(&mut self) -> &mut FaultPlan {
        &mut self.faults
    }

    /// Adds a producer client.
    pub fn add_producer(
        &mut self,
        config: ProducerConfig,
        seed: u64,
    ) -> Result<ProducerRef, KafkaError> {
        self.producers.push(Producer::new(config, seed)?);
        Ok(ProducerRef(self.producers.len() - 1))
    }

    /// How many producers were added.
    #[must_use]
    pub fn producer_count(&self) -> usize {
        self.producers.len()
    }

    /// A producer, if `producer` names one.
    #[must_use]
    pub fn producer(&self, producer: ProducerRef) -> Option<&Producer> {
        self.producers.get(producer.0)
    }

    /// A producer, mutably (to take its delivery reports).
    pub fn producer_mut(&mut self, producer: ProducerRef) -> Option<&mut Producer> {
        self.producers.get_mut(producer.0)
    }

    /// `producer.send(record)` / `produce(topic, value, key)`: asynchronous.
    /// When the buffer is full, the Java client's `send()` blocks: time
    /// runs until sent batches free enough space or `max.block.ms` passes
    /// (then it fails with the client's TimeoutException). librdkafka's
    /// `produce()` fails at once with `Local: Queue full`.
    pub fn send(
        &mut self,
        producer: ProducerRef,
        topic: &str,
        partition: Option<i32>,
        record: ProducerRecord,
    ) -> Result<DeliveryHandle, ProducerError> {
        let missing = || ProducerError {
            code: None,
            message: format!("there is no producer {}", producer.0),
        };
        let client = self.producers.get(producer.0).ok_or_else(missing)?;
        if let Some(max_block) = client
            .max_block_ms()
            .filter(|_| client.buffer_full_for(&record))
        {
            let deadline = self
                .now()
                .plus(i64::try_from(max_block).unwrap_or(i64::MAX));
            while self
                .producers
                .get(producer.0)
                .is_some_and(|c| c.buffer_full_for(&record))
                && self.now() < deadline
            {
                self.step(1);
            }
        }
        let client = self.producers.get_mut(producer.0).ok_or_else(missing)?;
        let result = client.send(&mut self.cluster, topic, partition, record);
        client.tick(&mut self.cluster, &mut self.faults, false);
        result
    }

    /// Advances time by `ms`: the cluster acts, answers go to their
    /// producers, every producer's sender runs, and the groups' timers
    /// (heartbeats, session and poll timeouts, join phases) fire at their
    /// own instants within the step.
    pub fn step(&mut self, ms: i64) {
        self.step_with(ms, None);
    }

    fn step_with(&mut self, ms: i64, flushing: Option<ProducerRef>) {
        let end = self.now().plus(ms.max(0));
        self.run_groups();
        loop {
            let now = self.now();
            let wake = self
                .next_group_wakeup()
                .filter(|w| *w > now && *w < end)
                .unwrap_or(end);
            self.step_once(wake.since(now), flushing);
            #[cfg(feature = "connect")]
            if let Some(worker) = &mut self.connect {
                worker.tick(&mut self.cluster, &mut self.coordinator);
            }
            self.run_groups();
            if self.now() >= end {
                return;
            }
        }
    }

    /// The coordinator's, every consumer's and every producer's next timer.
    fn next_group_wakeup(&self) -> Option<Millis> {
        let consumers = self
            .consumers
            .iter()
            .filter_map(Consumer::next_group_wakeup);
        #[cfg(feature = "connect")]
        let connect = self
            .connect
            .as_ref()
            .and_then(|w| w.next_wakeup(self.now()))
            .map(|w| w.max(self.now().plus(1)));
        #[cfg(not(feature = "connect"))]
        let connect = None;
        // A producer's linger, retry backoff or request timeout ends.
        let now = self.now();
        let producers = self
            .producers
            .iter()
            .filter_map(Producer::next_wakeup)
            .filter(|w| *w > now);
        consumers
            .chain(self.coordinator.next_wakeup())
            .chain(connect)
            .chain(producers)
            .min()
    }

    /// The coordinator's timers, then each consumer's background group work.
    fn run_groups(&mut self) {
        let now = self.now();
        let responses = self.coordinator.tick(now);
        self.route(responses.into_iter().map(|r| (None, r)).collect());
        for index in 0..self.consumers.len() {
            self.run_group(ConsumerRef(index), false);
        }
    }

    fn step_once(&mut self, ms: i64, flushing: Option<ProducerRef>) {
        let completions = self.cluster.advance(ms);
        let now = self.cluster.now();
        for completion in completions {
            let claimed = self
                .producers
                .iter_mut()
                .any(|producer| producer.on_completion(&completion, now));
            if let (false, Some(unclaimed)) = (claimed, &mut self.unclaimed) {
                unclaimed.completions.push(completion);
            }
        }
        for (index, producer) in self.producers.iter_mut().enumerate() {
            let flush = flushing == Some(ProducerRef(index));
            producer.tick(&mut self.cluster, &mut self.faults, flush);
        }
    }

    /// `flush(timeout)`: sends `producer`'s batches now and steps time
    /// until each record has a delivery report or `timeout_ms` of engine
    /// time has passed. Returns how many records are still outstanding
    /// (0 = flushed), as confluent-kafka-python's `flush()` does.
    pub fn flush(&mut self, producer: ProducerRef, timeout_ms: i64) -> u64 {
        let deadline = self.cluster.now().plus(timeout_ms.max(0));
        loop {
            let Some(client) = self.producers.get(producer.0) else {
                return 0;
            };
            if client.outstanding() == 0 {
                return 0;
            }
            let now = self.cluster.now();
            if now >= deadline {
                return client.outstanding();
            }
            // Replication needs a step; otherwise jump to the producer's
            // next timer (a retry backoff, a request timeout).
            let wake = if client.has_in_flight() {
                now.plus(1)
            } else {
                now
            };
            let next = client
                .next_wakeup()
                .map_or(wake, |w| w.min(wake).max(now.plus(1)));
            self.step_with(next.min(deadline).since(now).max(1), Some(producer));
        }
    }

    /// Takes every event since the last call, the cluster's and the
    /// producers', in time order.
    pub fn drain_events(&mut self) -> Vec<crate::events::TimedEvent> {
        let mut events = self.cluster.drain_events();
        for producer in &mut self.producers {
            events.extend(producer.drain_events());
        }
        events.extend(self.coordinator.drain_events());
        if let Some(registry) = &mut self.registry {
            events.extend(registry.drain_events());
        }
        #[cfg(feature = "connect")]
        if let Some(worker) = &mut self.connect {
            events.extend(worker.drain_events());
        }
        for consumer in &mut self.consumers {
            events.extend(consumer.drain_events());
        }
        // Stable: events at the same instant keep their order per source.
        crate::compact_sort::sort_by_key(&mut events, |e| e.at);
        events
    }

    /// The current engine time.
    #[must_use]
    pub fn now(&self) -> Millis {
        self.cluster.now()
    }
}
