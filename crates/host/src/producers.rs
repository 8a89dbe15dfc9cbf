//! Simulated producers as the port sees them: [`Command::AddProducer`],
//! [`Command::Producer`] and [`Command::InjectFault`] applied to the
//! playground's producer clients, their delivery reports kept (newest
//! few, with the key and value sent and how long delivery took), and the
//! [`ProducersModel`] of their insides.
//!
//! [`Command::AddProducer`]: port::Command::AddProducer
//! [`Command::Producer`]: port::Command::Producer
//! [`Command::InjectFault`]: port::Command::InjectFault

use std::collections::VecDeque;

use engine::clock::Millis;
use engine::playground::{Playground, ProducerRef};
use engine::producer::{BatchView, FlightState as EngineFlight};
use engine::producer_config::ProducerConfig;
use port::{
    BatchModel, ClientFlavour, CommandError, ConfigDefault, DeliveryReportModel, ErrorCode, Fault,
    FaultsModel, FlightState, InFlightModel, NewRecord, ProducerAction, ProducerModel,
    ProducersModel, Reply, SequenceModel, Text, WorkloadModel,
};

use crate::engine_ops::{
    engine_flavour, producer_record, MAX_BUSY_STEP_MS, MAX_PRODUCE_RECORDS, MAX_WORKLOAD_RATE,
};

/// The settings a producer form shows, in the Java client's names (what
/// [`ProducerModel::effective`] reports for both clients).
pub const FORM_KEYS: [&str; 10] = [
    "client.id",
    "acks",
    "enable.idempotence",
    "linger.ms",
    "batch.size",
    "compression.type",
    "max.in.flight.requests.per.connection",
    "retries",
    "request.timeout.ms",
    "delivery.timeout.ms",
];

/// The most faults one command may schedule.
const MAX_FAULTS: u32 = 1_000;

/// How many characters of a key or value a delivery report keeps.
const REPORT_CHARS: usize = 40;

/// What the port keeps beside one playground producer.
#[derive(Debug, Clone)]
pub struct ProducerSide {
    client: ClientFlavour,
    configured: Vec<(String, String)>,
    notices: Vec<String>,
    closed: bool,
    /// Records without a report yet, by handle (handles grow, so this is
    /// sorted): when they were sent, key and value.
    pending: VecDeque<(u64, Millis, Option<Text>, Option<Text>)>,
    reports: VecDeque<DeliveryReportModel>,
    sent: u64,
    delivered: u64,
    failed: u64,
    rate: Option<Rate>,
}

/// A producer's steady rate.
#[derive(Debug, Clone)]
struct Rate {
    topic: String,
    per_second: u32,
    key: Option<String>,
    value: String,
    /// Thousandths of a record owed but not yet sent.
    owed_milli: u64,
    sent: u64,
}

/// Every simulated producer's side, by producer number.
#[derive(Debug, Clone, Default)]
pub struct Producers {
    sides: Vec<ProducerSide>,
    /// Each flavour's defaults for [`FORM_KEYS`], worked out once.
    defaults: Vec<ConfigDefault>,
}

/// Every setting `client`'s producer knows, with its default as the
/// client prints it (Java's `ProducerConfig values:` log, librdkafka's
/// `rd_kafka_conf_dump()`): the rows of the form's full list.
#[must_use]
pub fn every_default(client: ClientFlavour) -> Vec<ConfigDefault> {
    ProducerConfig::defaults(engine_flavour(client))
        .describe()
        .iter()
        .map(|d| ConfigDefault {
            client,
            key: d.name.to_owned(),
            value: d.value.clone(),
        })
        .collect()
}

impl Producers {
    /// No producers yet.
    #[must_use]
    pub fn new() -> Self {
        let defaults = [ClientFlavour::Java, ClientFlavour::Librdkafka]
            .into_iter()
            .flat_map(|client| {
                let config = ProducerConfig::defaults(engine_flavour(client));
                FORM_KEYS
                    .iter()
                    .filter_map(|key| setting(&config, key).map(|value| (*key, value)))
                    .map(|(key, value)| ConfigDefault {
                        client,
                        key: key.to_owned(),
                        value,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        Self {
            sides: Vec::new(),
            defaults,
        }
    }

    /// Whether some producer sends at a steady rate.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.sides.iter().any(|s| s.rate.is_some())
    }

    /// `new KafkaProducer(props)` / `Producer(conf)`.
    pub fn add(
        &mut self,
        playground: &mut Playground,
        client: ClientFlavour,
        configs: &[(String, String)],
        seed: u64,
    ) -> Result<Reply, CommandError> {
        let (mut config, notices) = ProducerConfig::parse(engine_flavour(client), configs)
            .map_err(|e| CommandError::new(ErrorCode::Client, e.message()))?;
        let notices: Vec<String> = notices.into_iter().map(|n| n.message).collect();
        let number = playground.producer_count() as u64;
        // The Java client numbers generated ids per JVM: producer-1, -2, …
        config.set_java_client_id_sequence(u32::try_from(number + 1).unwrap_or(u32::MAX));
        let producer = playground
            .add_producer(config, seed ^ number)
            .map_err(crate::engine_ops::kafka)?;
        self.sides.push(ProducerSide {
            client,
            configured: configs.to_vec(),
            notices: notices.clone(),
            closed: false,
            pending: VecDeque::new(),
            reports: VecDeque::new(),
            sent: 0,
            delivered: 0,
            failed: 0,
            rate: None,
        });
        Ok(Reply::ProducerAdded {
            producer: u32::try_from(producer.0).unwrap_or(u32::MAX),
            notices,
        })
    }

    /// A producer's action.
    pub fn act(
        &mut self,
        playground: &mut Playground,
        producer: u32,
        action: ProducerAction,
    ) -> Result<Reply, CommandError> {
        let index = usize::try_from(producer).unwrap_or(usize::MAX);
        if index >= self.sides.len() || playground.producer(ProducerRef(index)).is_none() {
            return Err(CommandError::new(
                ErrorCode::NotFound,
                format!("there is no producer {producer}"),
            ));
        }
        if self.sides[index].closed {
            return Err(closed_error(self.sides[index].client));
        }
        match action {
            ProducerAction::Send {
                topic,
                partition,
                records,
                flush,
                then_flush,
            } => {
                if records.is_empty() {
                    return Err(CommandError::invalid(
                        "nothing to send: give at least one record",
                    ));
                }
                if records.len() > MAX_PRODUCE_RECORDS {
                    return Err(CommandError::invalid(format!(
                        "{} records in one command: at most {MAX_PRODUCE_RECORDS}",
                        records.len()
                    )));
                }
                let started = playground.now();
                let mut handles = Vec::with_capacity(records.len());
                for (n, record) in records.iter().enumerate() {
                    match self.send(playground, index, &topic, partition, record) {
                        Ok(handle) => {
                            handles.push(handle);
                            if flush {
                                playground.flush(ProducerRef(index), MAX_BUSY_STEP_MS);
                            }
                        }
                        Err(message) if n == 0 => return Err(CommandError::new(ErrorCode::Client, message)),
                        Err(message) => {
                            return Err(CommandError::new(
                                ErrorCode::Client,
                                format!("record {} of {} was refused (the ones before it were sent): {message}", n + 1, records.len()),
                            ))
                        }
                    }
                }
                let waited_ms = (flush || then_flush).then(|| {
                    playground.flush(ProducerRef(index), MAX_BUSY_STEP_MS);
                    playground.now().since(started)
                });
                self.collect(playground);
                let outstanding = playground
                    .producer(ProducerRef(index))
                    .map_or(0, engine::producer::Producer::outstanding);
                Ok(Reply::Sent {
                    handles,
                    outstanding,
                    waited_ms,
                })
            }
            ProducerAction::SetRate {
                topic,
                records_per_second,
                key,
                value,
            } => {
                if records_per_second == 0 {
                    self.sides[index].rate = None;
                    return Ok(Reply::Done);
                }
                if records_per_second > MAX_WORKLOAD_RATE {
                    return Err(CommandError::invalid(format!(
                        "at most {MAX_WORKLOAD_RATE} records per second"
                    )));
                }
                if topic.trim().is_empty() {
                    return Err(CommandError::invalid("name a topic to send to"));
                }
                let sent = self.sides[index]
                    .rate
                    .as_ref()
                    .filter(|r| r.topic == topic)
                    .map_or(0, |r| r.sent);
                self.sides[index].rate = Some(Rate {
                    topic,
                    per_second: records_per_second,
                    key,
                    value,
                    owed_milli: 0,
                    sent,
                });
                Ok(Reply::Done)
            }
            ProducerAction::Flush => {
                playground.flush(ProducerRef(index), MAX_BUSY_STEP_MS);
                self.collect(playground);
                Ok(Reply::Done)
            }
            ProducerAction::Close => {
                playground.flush(ProducerRef(index), MAX_BUSY_STEP_MS);
                self.collect(playground);
                let side = &mut self.sides[index];
                side.closed = true;
                side.rate = None;
                Ok(Reply::Done)
            }
        }
    }

    fn send(
        &mut self,
        playground: &mut Playground,
        index: usize,
        topic: &str,
        partition: Option<i32>,
        record: &NewRecord,
    ) -> Result<u64, String> {
        let now = playground.now();
        let handle = playground
            .send(
                ProducerRef(index),
                topic,
                partition,
                producer_record(record, now),
            )
            .map_err(|e| e.message)?;
        let side = &mut self.sides[index];
        side.sent += 1;
        let short = |text: &Option<String>| text.as_deref().map(|t| cut(t.as_bytes()));
        side.pending
            .push_back((handle.0, now, short(&record.key), short(&record.value)));
        Ok(handle.0)
    }

    /// Sends what each steady rate owes for `ms` of engine time, at most
    /// `budget` records in all. A refusal stops that rate, and the client's
    /// message joins the producer's notices.
    pub fn run_rates(&mut self, playground: &mut Playground, ms: i64, budget: &mut u64) {
        for index in 0..self.sides.len() {
            let Some(rate) = &mut self.sides[index].rate else {
                continue;
            };
            let due = u64::from(rate.per_second) * u64::try_from(ms).unwrap_or(0) + rate.owed_milli;
            rate.owed_milli = due % 1_000;
            let count = (due / 1_000).min(*budget);
            *budget -= count;
            let (topic, key, value, first) = (
                rate.topic.clone(),
                rate.key.clone(),
                rate.value.clone(),
                rate.sent,
            );
            rate.sent += count;
            for n in first..first + count {
                let fill = |template: &str| template.replace("{n}", &n.to_string());
                let record = NewRecord {
                    key: key.as_deref().map(fill),
                    value: Some(fill(&value)),
                    headers: Vec::new(),
                };
                if let Err(message) = self.send(playground, index, &topic, None, &record) {
                    let side = &mut self.sides[index];
                    side.rate = None;
                    side.notices
                        .push(format!("the steady rate stopped: {message}"));
                    break;
                }
            }
        }
    }

    /// Takes every producer's new delivery reports.
    pub fn collect(&mut self, playground: &mut Playground) {
        let now = playground.now();
        for (index, side) in self.sides.iter_mut().enumerate() {
            let Some(producer) = playground.producer_mut(ProducerRef(index)) else {
                continue;
            };
            for report in producer.take_reports() {
                let (_, sent_at, key, value) = side
                    .pending
                    .binary_search_by_key(&report.handle.0, |p| p.0)
                    .ok()
                    .and_then(|at| side.pending.remove(at))
                    .unwrap_or((report.handle.0, now, None, None));
                if report.error.is_some() {
                    side.failed += 1;
                } else {
                    side.delivered += 1;
                }
                side.reports.push_back(DeliveryReportModel {
                    handle: report.handle.0,
                    topic: report.topic,
                    partition: report.partition,
                    offset: report.offset,
                    timestamp: report.timestamp,
                    key,
                    value,
                    latency_ms: report.at.since(sent_at),
                    error: report.error.map(|e| e.message),
                });
            }
            let excess = side
                .reports
                .len()
                .saturating_sub(ProducerModel::MAX_REPORTS);
            side.reports.drain(..excess);
        }
    }

    /// The model of every producer.
    #[must_use]
    pub fn model(&self, playground: &Playground) -> ProducersModel {
        let now = playground.now();
        let (drop_requests, drop_responses) = playground.faults().scheduled_drops();
        let producers = self
            .sides
            .iter()
            .enumerate()
            .filter_map(|(index, side)| {
                let producer = playground.producer(ProducerRef(index))?;
                let config = producer.config();
                Some(ProducerModel {
                    id: u32::try_from(index).ok()?,
                    client: side.client,
                    client_id: config.client_id.clone(),
                    closed: side.closed,
                    configured: side.configured.clone(),
                    effective: FORM_KEYS
                        .iter()
                        .filter_map(|key| {
                            setting(config, key).map(|value| ((*key).to_owned(), value))
                        })
                        .collect(),
                    notices: side.notices.clone(),
                    producer_id: producer.producer_id().map(|p| (p.producer_id, p.epoch)),
                    batch_size: config.batch_size_bytes,
                    linger_ms: config.linger_ms,
                    max_in_flight: config.max_in_flight,
                    batches: producer
                        .accumulated()
                        .iter()
                        .map(|b| batch(b, now))
                        .collect(),
                    in_flight: producer
                        .in_flight()
                        .iter()
                        .map(|f| InFlightModel {
                            batch: batch(&f.batch, now),
                            broker: f.broker,
                            state: match f.state {
                                EngineFlight::AwaitingBroker => FlightState::AwaitingBroker,
                                EngineFlight::Delayed => FlightState::Delayed,
                                EngineFlight::Lost => FlightState::Lost,
                            },
                            timeout_in_ms: f.deadline.since(now).max(0),
                        })
                        .collect(),
                    reports: side.reports.iter().cloned().collect(),
                    sent: side.sent,
                    delivered: side.delivered,
                    failed: side.failed,
                    outstanding: producer.outstanding(),
                    rate: side.rate.as_ref().map(|r| WorkloadModel {
                        topic: r.topic.clone(),
                        records_per_second: r.per_second,
                        produced: r.sent,
                    }),
                })
            })
            .collect();
        ProducersModel {
            producers,
            faults: FaultsModel {
                drop_requests: drop_requests as u64,
                drop_responses: drop_responses as u64,
            },
            defaults: self.defaults.clone(),
        }
    }
}

/// Schedules a fault.
pub fn inject(playground: &mut Playground, fault: Fault) -> Result<Reply, CommandError> {
    let (count, drop): (u32, fn(&mut engine::playground::FaultPlan, usize)) = match fault {
        Fault::DropRequests { count } => (count, engine::playground::FaultPlan::drop_next_requests),
        Fault::DropResponses { count } => {
            (count, engine::playground::FaultPlan::drop_next_responses)
        }
    };
    if !(1..=MAX_FAULTS).contains(&count) {
        return Err(CommandError::invalid(format!(
            "drop 1 to {MAX_FAULTS} at a time, not {count}"
        )));
    }
    drop(playground.faults_mut(), count as usize);
    Ok(Reply::Done)
}

fn batch(view: &BatchView, now: Millis) -> BatchModel {
    BatchModel {
        topic: view.topic.clone(),
        partition: view.partition,
        records: u32::try_from(view.records).unwrap_or(u32::MAX),
        bytes: u32::try_from(view.size_bytes).unwrap_or(u32::MAX),
        age_ms: now.since(view.created_at).max(0),
        closed: view.closed,
        attempts: view.attempts,
        backoff_ms: view.retry_at.since(now).max(0),
        wire_bytes: view
            .wire_bytes
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        sequence: view.stamp.map(|s| SequenceModel {
            producer_id: s.producer_id,
            epoch: s.producer_epoch,
            base_sequence: s.base_sequence,
        }),
    }
}

/// A form setting's effective value: the config itself, or for librdkafka
/// the property the Java name is an alias of (`linger.ms` is
/// `queue.buffering.max.ms`).
fn setting(config: &ProducerConfig, key: &str) -> Option<String> {
    config
        .describe()
        .iter()
        .find(|d| d.name == key || d.aliases.contains(&key))
        .map(|d| d.value.clone())
}

/// What each client says when a closed producer is asked to send.
fn closed_error(client: ClientFlavour) -> CommandError {
    let message = match client {
        ClientFlavour::Java => "java.lang.IllegalStateException: Cannot perform operation after producer has been closed",
        ClientFlavour::Librdkafka => "this producer was closed: create a new one to produce again",
    };
    CommandError::new(ErrorCode::Client, message)
}

fn cut(bytes: &[u8]) -> Text {
    let mut text = Text::of(bytes);
    if let Some((at, _)) = text.text.char_indices().nth(REPORT_CHARS) {
        text.text.truncate(at);
        text.cut = true;
    }
    text
}
