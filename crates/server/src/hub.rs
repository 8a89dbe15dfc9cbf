//! The one engine every listener shares, and the clock that moves it.
//!
//! **Concurrency.** The engine is a plain, synchronous state machine, so
//! it lives behind one `std::sync::Mutex` ([`Hub::with`]). Every request
//! handler locks it for the few microseconds its engine calls take and
//! never across an `.await`: Kafka requests, Schema Registry calls and
//! feed commands are serialised on the lock, which is exactly the order
//! the engine sees them in. A single engine task fed by a channel would
//! serialise the same way but costs a channel round trip and a boxed reply
//! per request; the lock is simpler and faster at this scale (one
//! learner's clients on loopback).
//!
//! **Time.** The engine never reads a clock. Its time starts at the wall
//! clock's epoch milliseconds when the server starts (or `--start-ms`), so
//! the records' `CreateTime` stamps and `retention.ms` make sense, and is
//! then moved forward from a monotonic clock: a ticker ([`Hub::run_clock`])
//! calls [`Host::catch_up`] every [`TICK`] (requests in between see the
//! time of the last tick, so an `acks=all` answer waits at most one tick).
//! Moving time is the one costly engine call (every partition
//! replicates), which is why requests do not do it themselves. A `Step`
//! command (the port's, or the feed's `step`) adds extra engine time on
//! top; engine time never goes back. With `--manual-clock` the ticker only
//! calls [`Host::advance`] with 0 ms (acknowledgements, replication and
//! groups still progress at the current instant) and engine time moves by
//! `Step` commands alone.
//!
//! **Events.** The engine ([`engine_host::Engine`]) keeps the newest
//! events as sentences for the page's views; after every call
//! [`Hub::with`] publishes the ones that are new to the live feed and, if
//! any appended data or moved a high watermark, wakes waiting fetches.
//!
//! **Delayed answers.** JoinGroup, SyncGroup and `acks=all` Produce are
//! delayed operations in Kafka. A handler parks a oneshot sender here
//! (keyed by group and member id, by `group.instance.id` for a new static
//! member, or by the produce's request id) and awaits it; the coordinator
//! responses and produce completions that any later call or tick returns
//! are routed to those senders ([`Host::dispatch`]). The playground serves
//! real clients (`Playground::serve_real_clients`): whatever the engine's
//! own steps produce that no simulated client of the page claims is taken
//! after every call ([`Host::route_unclaimed`]) and routed the same way.

use std::collections::HashMap;

use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use engine::clock::Millis;
use engine::cluster::{ProduceAck, RequestId};
use engine::error::{ErrorCode, KafkaError};
use engine::group::coordinator::{CoordinatorResponse, JoinGroupResponse};
use engine::playground::Playground;
use engine_host::Engine;
use tokio::sync::{broadcast, oneshot, watch};

use crate::connect_files::FileBridge;

/// How often the clock ticker moves engine time.
pub const TICK: Duration = Duration::from_millis(10);

/// How a parked JoinGroup is found again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JoinKey {
    /// A member that has its id.
    Member(String),
    /// A new static member, by `group.instance.id`.
    Instance(String),
    /// A new dynamic member (its first JoinGroup, answered at once with
    /// `MEMBER_ID_REQUIRED`), by a per-request number.
    New(u64),
}

/// A SyncGroup answer: the assignment bytes or the error.
pub type SyncResult = Result<Vec<u8>, ErrorCode>;

/// How often (engine milliseconds) FileStream connectors' real files are
/// mirrored into and out of the Connect worker.
const CONNECT_FILE_SYNC_MS: i64 = 100;

/// The engine and the requests waiting on it.
pub struct Host {
    /// The port's engine: the playground (cluster, group coordinator,
    /// Schema Registry, Kafka Connect) and what the page's views read.
    engine: Engine,
    /// Whether engine time moves only by port `Step` commands.
    manual_clock: bool,
    /// Monotonic milliseconds already applied to engine time.
    applied_ms: i64,
    joins: HashMap<(String, JoinKey), oneshot::Sender<JoinGroupResponse>>,
    syncs: HashMap<(String, String), oneshot::Sender<SyncResult>>,
    produces: HashMap<RequestId, oneshot::Sender<Result<ProduceAck, KafkaError>>>,
    next_new: u64,
    /// Real files mirrored for the Connect worker's FileStream connectors.
    files: FileBridge,
    /// Engine time of the last file mirroring.
    files_synced_at: Millis,
    /// The number of the newest event already published.
    published: u64,
}

impl Host {
    fn new(engine: Engine, manual_clock: bool) -> Self {
        let (_, published) = engine.events();
        Self {
            engine,
            manual_clock,
            applied_ms: 0,
            joins: HashMap::new(),
            syncs: HashMap::new(),
            produces: HashMap::new(),
            next_new: 0,
            files: FileBridge::default(),
            files_synced_at: Millis(i64::MIN),
            published,
        }
    }

    /// The engine's current time.
    pub fn now(&self) -> Millis {
        self.engine.playground().now()
    }

    /// The port's engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The port's engine, to apply commands to.
    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// The playground (cluster, coordinator, registry, Connect).
    pub fn playground(&self) -> &Playground {
        self.engine.playground()
    }

    /// The playground, for the listeners' requests.
    pub fn playground_mut(&mut self) -> &mut Playground {
        self.engine.playground_mut()
    }

    /// Whether engine time moves only by port `Step` commands
    /// (`--manual-clock`).
    pub fn manual_clock(&self) -> bool {
        self.manual_clock
    }

    /// Moves engine time to `elapsed_ms` monotonic milliseconds after the
    /// start (never backwards): the cluster replicates and completes
    /// `acks=all` produces, the coordinator's timers fire; their answers
    /// go to the parked requests.
    pub fn catch_up(&mut self, elapsed_ms: i64) {
        let delta = (elapsed_ms - self.applied_ms).max(0);
        self.applied_ms = self.applied_ms.max(elapsed_ms);
        self.advance(delta);
    }

    /// Moves engine time forward by `ms` (0 still lets the cluster
    /// replicate and the groups and Connect's tasks act at the current
    /// instant): `Engine::advance`, which steps the playground (cluster,
    /// groups, Connect) and polls simulated consumers; then the answers no
    /// simulated client claimed go to the parked requests.
    pub fn advance(&mut self, ms: i64) {
        // Kafka Connect's real files in and out every 100 ms, before its
        // tasks run in the step.
        let now = self.now();
        if now.since(self.files_synced_at) >= CONNECT_FILE_SYNC_MS {
            self.files_synced_at = now;
            self.files.sync(self.engine.playground_mut());
        }
        self.engine.advance(ms);
        self.route_unclaimed();
    }

    /// Sends produce completions and group answers that no simulated
    /// client claimed to the real clients' requests parked for them.
    pub fn route_unclaimed(&mut self) {
        let unclaimed = self.engine.playground_mut().take_unclaimed();
        for completion in unclaimed.completions {
            if let Some(waiter) = self.produces.remove(&completion.request) {
                // The request's connection may be gone: nobody to tell.
                let _ = waiter.send(completion.result);
            }
        }
        self.dispatch(unclaimed.responses, None);
    }

    /// The engine's events since the last call, as the feed's JSON lines,
    /// and whether any of them changed data a waiting Fetch may want.
    /// The engine keeps the newest events as sentences (the port's event
    /// list); commands applied through the port take theirs in there
    /// themselves, so the feed reads from that list, not from the
    /// playground. If more happened in one call than the list keeps, a
    /// `lagged` line says how many are missing.
    fn fresh_events(&mut self) -> (Vec<String>, bool) {
        self.engine.collect_events();
        let (recent, total) = self.engine.events();
        let mut fresh: Vec<_> = recent
            .iter()
            .rev()
            .take_while(|line| line.seq > self.published)
            .collect();
        fresh.reverse();
        let shown = u64::try_from(fresh.len()).unwrap_or(u64::MAX);
        let missed = total.saturating_sub(self.published).saturating_sub(shown);
        let mut changed = missed > 0;
        let mut lines = Vec::with_capacity(fresh.len() + 1);
        if missed > 0 {
            lines.push(crate::feed::lagged_json(missed));
        }
        for line in fresh {
            changed |= matches!(
                line.kind.as_str(),
                "BatchAppended" | "HighWatermarkAdvanced"
            );
            lines.push(crate::feed::event_json(line));
        }
        self.published = total;
        (lines, changed)
    }

    /// A fresh key for a new dynamic member's first JoinGroup.
    pub fn new_join_key(&mut self) -> JoinKey {
        self.next_new += 1;
        JoinKey::New(self.next_new)
    }

    /// Parks a JoinGroup until its answer comes.
    pub fn park_join(&mut self, group: &str, key: JoinKey) -> oneshot::Receiver<JoinGroupResponse> {
        let (tx, rx) = oneshot::channel();
        self.joins.insert((group.to_owned(), key), tx);
        rx
    }

    /// Parks a SyncGroup until its answer comes.
    pub fn park_sync(&mut self, group: &str, member: &str) -> oneshot::Receiver<SyncResult> {
        let (tx, rx) = oneshot::channel();
        self.syncs.insert((group.to_owned(), member.to_owned()), tx);
        rx
    }

    /// Parks an `acks=all` produce until the ISR has it.
    pub fn park_produce(
        &mut self,
        request: RequestId,
    ) -> oneshot::Receiver<Result<ProduceAck, KafkaError>> {
        let (tx, rx) = oneshot::channel();
        self.produces.insert(request, tx);
        rx
    }

    /// Sends coordinator answers to the requests parked for them. A
    /// JoinGroup answer is found by member id, then by instance id, then
    /// (an answer for an id nobody has yet) by `origin`, the request whose
    /// call produced it.
    pub fn dispatch(
        &mut self,
        responses: Vec<CoordinatorResponse>,
        origin: Option<&(String, JoinKey)>,
    ) {
        for response in responses {
            match response {
                CoordinatorResponse::Join { group_id, response } => {
                    let by_member = (group_id.clone(), JoinKey::Member(response.member_id.clone()));
                    let by_instance = response
                        .group_instance_id
                        .clone()
                        .map(|i| (group_id.clone(), JoinKey::Instance(i)));
                    let waiter = self
                        .joins
                        .remove(&by_member)
                        .or_else(|| by_instance.and_then(|k| self.joins.remove(&k)))
                        .or_else(|| origin.and_then(|k| self.joins.remove(k)));
                    match waiter {
                        Some(tx) => {
                            let _ = tx.send(response);
                        }
                        None => eprintln!(
                            "[kafka] JoinGroup answer for {group_id}/{} has no waiting request",
                            response.member_id
                        ),
                    }
                }
                CoordinatorResponse::Sync { group_id, member_id, result } => {
                    match self.syncs.remove(&(group_id.clone(), member_id.clone())) {
                        Some(tx) => {
                            let _ = tx.send(result);
                        }
                        None => eprintln!("[kafka] SyncGroup answer for {group_id}/{member_id} has no waiting request"),
                    }
                }
            }
        }
    }
}

/// The shared engine, its clock and its outputs.
pub struct Hub {
    host: Mutex<Host>,
    origin: Instant,
    /// Engine events as JSON lines for the live feed.
    pub events: broadcast::Sender<Arc<str>>,
    /// Bumped whenever data a long-polling Fetch may want changed.
    pub data: watch::Sender<u64>,
    /// Each broker's Kafka listener port, set once the listeners are bound.
    pub broker_ports: OnceLock<Vec<(i32, u16)>>,
}

impl Hub {
    /// A hub around the port's engine; with `manual_clock`, engine time
    /// moves only by `Step` commands.
    pub fn new(engine: Engine, manual_clock: bool) -> Arc<Self> {
        let (events, _) = broadcast::channel(4_096);
        let (data, _) = watch::channel(0);
        Arc::new(Self {
            host: Mutex::new(Host::new(engine, manual_clock)),
            origin: Instant::now(),
            events,
            data,
            broker_ports: OnceLock::new(),
        })
    }

    /// The port broker `id` listens on.
    pub fn port_of(&self, id: i32) -> Option<u16> {
        self.broker_ports
            .get()?
            .iter()
            .find(|(b, _)| *b == id)
            .map(|(_, p)| *p)
    }

    /// Whether broker `id` is running in the engine (an unknown id is not).
    pub fn broker_online(&self, id: i32) -> bool {
        self.with(|host| host.playground().cluster().broker_online(id))
    }

    /// Monotonic milliseconds since the server started.
    pub fn elapsed_ms(&self) -> i64 {
        i64::try_from(self.origin.elapsed().as_millis()).unwrap_or(i64::MAX)
    }

    /// Runs `f` on the engine (at the time of the last tick); afterwards
    /// routes the answers it freed to parked requests, publishes the
    /// events it caused and wakes waiting fetches.
    pub fn with<R>(&self, f: impl FnOnce(&mut Host) -> R) -> R {
        let (result, events, changed) = {
            // A panic in another handler must not take the server down:
            // the engine's state is still consistent between calls.
            let mut host = self.host.lock().unwrap_or_else(PoisonError::into_inner);
            let result = f(&mut host);
            // A simulated consumer's call (a port command) can complete a
            // rebalance real clients wait on.
            host.route_unclaimed();
            // Data a waiting Fetch may want: an append or a high watermark
            // move, by anyone (a client, the page, a Connect source task).
            let (events, changed) = host.fresh_events();
            (result, events, changed)
        };
        self.publish(events);
        if changed {
            self.data.send_modify(|n| *n = n.wrapping_add(1));
        }
        result
    }

    fn publish(&self, events: Vec<String>) {
        if self.events.receiver_count() == 0 {
            return;
        }
        for event in events {
            // No receiver left is not an error: nobody is watching.
            let _ = self.events.send(Arc::from(event));
        }
    }

    /// Moves engine time every [`TICK`] until the process ends: by the
    /// monotonic clock, or with a manual clock by nothing (`advance(0)`,
    /// so acknowledgements and groups still progress at the current
    /// instant).
    pub async fn run_clock(self: Arc<Self>) {
        let mut interval = tokio::time::interval(TICK);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            let elapsed = self.elapsed_ms();
            self.with(|host| {
                if host.manual_clock {
                    host.advance(0)
                } else {
                    host.catch_up(elapsed)
                }
            });
        }
    }
}
