//! Broker metrics over time: once per second of engine time, each
//! broker's meters as Kafka's JMX names them (`BytesInPerSec`,
//! `BytesOutPerSec`, `MessagesInPerSec`, `UnderReplicatedPartitions`,
//! `IsrShrinksPerSec`, `IsrExpandsPerSec`) and the controller's
//! `OfflinePartitionsCount`, kept for the last minute so the Cluster view
//! can draw what an operator's dashboard shows when a broker stops.
//!
//! The byte and message meters are the engine's own counters
//! ([`engine::cluster::Cluster::broker_traffic`]); ISR changes come from
//! the engine's events; the gauges are read from the partitions at the
//! sample. Derived state only: a replayed scenario samples again.

use std::collections::VecDeque;

use engine::clock::Millis;
use engine::cluster::Cluster;
use engine::events::{Event, IsrChangeReason, TimedEvent};
use port::{BrokerMetrics, MetricsSample};

/// How many samples are kept: one minute.
pub const KEPT_SAMPLES: usize = 60;

/// How often a sample is taken, in engine milliseconds.
pub const SAMPLE_EVERY_MS: i64 = 1_000;

/// The sampler: the last totals, the ISR changes since, the samples.
#[derive(Debug, Clone)]
pub struct Sampler {
    last_at: Millis,
    /// Per broker: bytes in, bytes out, messages in at the last sample.
    totals: Vec<(i32, u64, u64, u64)>,
    /// Per leader broker: ISR shrinks and expands since the last sample.
    isr_changes: Vec<(i32, u32, u32)>,
    samples: VecDeque<MetricsSample>,
}

impl Sampler {
    /// A sampler whose first second starts at `now`.
    #[must_use]
    pub fn new(now: Millis) -> Self {
        Self {
            last_at: now,
            totals: Vec::new(),
            isr_changes: Vec::new(),
            samples: VecDeque::new(),
        }
    }

    /// The samples, oldest first.
    #[must_use]
    pub fn samples(&self) -> Vec<MetricsSample> {
        self.samples.iter().cloned().collect()
    }

    /// Counts ISR changes in `events`, then samples every whole second
    /// that has passed (a long step yields one sample with its average
    /// rates, not a minute of copies).
    pub fn observe(&mut self, cluster: &Cluster, events: &[TimedEvent]) {
        for event in events {
            if let Event::IsrChanged {
                topic,
                partition,
                reason,
                ..
            } = &event.event
            {
                let Some(leader) = cluster.leader_of(topic, *partition) else {
                    continue;
                };
                let slot = match self.isr_changes.iter().position(|(b, _, _)| *b == leader) {
                    Some(i) => i,
                    None => {
                        self.isr_changes.push((leader, 0, 0));
                        self.isr_changes.len() - 1
                    }
                };
                if *reason == IsrChangeReason::FollowerCaughtUp {
                    self.isr_changes[slot].2 += 1;
                } else {
                    self.isr_changes[slot].1 += 1;
                }
            }
        }
        let now = cluster.now();
        let elapsed = now.0 - self.last_at.0;
        if elapsed >= SAMPLE_EVERY_MS {
            self.sample(cluster, now, elapsed);
        }
    }

    fn sample(&mut self, cluster: &Cluster, now: Millis, elapsed: i64) {
        let per_second = |delta: u64| {
            u64::try_from(u128::from(delta) * 1_000 / u128::from(elapsed.unsigned_abs().max(1)))
                .unwrap_or(u64::MAX)
        };
        let mut under_replicated: Vec<(i32, u32)> = Vec::new();
        let mut offline_partitions = 0u32;
        for topic in cluster.list_topics(true) {
            let Ok(description) = cluster.describe_topic(&topic) else {
                continue;
            };
            for p in &description.partitions {
                match p.leader {
                    None => offline_partitions += 1,
                    Some(leader) if p.isr.len() < p.replicas.len() => {
                        match under_replicated.iter_mut().find(|(b, _)| *b == leader) {
                            Some((_, n)) => *n += 1,
                            None => under_replicated.push((leader, 1)),
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        let mut brokers = Vec::new();
        let mut totals = Vec::new();
        for (id, online) in cluster.brokers() {
            let Some(traffic) = cluster.broker_traffic(id) else {
                continue;
            };
            let now_totals = (traffic.bytes_in, traffic.bytes_out(), traffic.messages_in);
            let before = self
                .totals
                .iter()
                .find(|(b, ..)| *b == id)
                .map_or((0, 0, 0), |&(_, i, o, m)| (i, o, m));
            let (shrinks, expands) = self
                .isr_changes
                .iter()
                .find(|(b, ..)| *b == id)
                .map_or((0, 0), |&(_, s, e)| (s, e));
            brokers.push(BrokerMetrics {
                broker: id,
                online,
                bytes_in: per_second(now_totals.0.saturating_sub(before.0)),
                bytes_out: per_second(now_totals.1.saturating_sub(before.1)),
                messages_in: per_second(now_totals.2.saturating_sub(before.2)),
                under_replicated: under_replicated
                    .iter()
                    .find(|(b, _)| *b == id)
                    .map_or(0, |(_, n)| *n),
                isr_shrinks: shrinks,
                isr_expands: expands,
            });
            totals.push((id, now_totals.0, now_totals.1, now_totals.2));
        }
        self.totals = totals;
        self.isr_changes.clear();
        self.last_at = now;
        self.samples.push_back(MetricsSample {
            at: now.0,
            brokers,
            offline_partitions,
        });
        if self.samples.len() > KEPT_SAMPLES {
            self.samples.pop_front();
        }
    }
}
