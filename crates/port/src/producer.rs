//! Producer clients the engine simulates: what a view asks of them and
//! the model of their insides.
//!
//! A simulated producer is Kafka's own: `send()` puts a record in the
//! record accumulator's open batch for its partition; a batch goes when it
//! is full (`batch.size`) or has waited `linger.ms`; at most
//! `max.in.flight.requests.per.connection` requests wait for each broker;
//! every record ends in a delivery report. [`ProducerModel`] shows each of
//! those stages, so a view can draw batches filling and requests flying.

use serde::{Deserialize, Serialize};

use crate::command::{ClientFlavour, NewRecord};
use crate::model::{Text, WorkloadModel};

/// What a simulated producer does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProducerAction {
    /// `send()` each record (Java) / `produce()` (librdkafka). With
    /// `flush`, each send is followed by `flush()`: the synchronous style,
    /// one record at a time, each waiting for its delivery report. With
    /// `then_flush`, the sends are asynchronous and one `flush()` waits
    /// for all of them at the end (how long that takes is what async
    /// buys).
    Send {
        /// The topic.
        topic: String,
        /// A fixed partition, or the producer's partitioner's choice.
        partition: Option<i32>,
        /// The records, in order.
        records: Vec<NewRecord>,
        /// `flush()` after each send: synchronous.
        #[serde(default)]
        flush: bool,
        /// One `flush()` after all the sends.
        #[serde(default)]
        then_flush: bool,
    },
    /// Sends at a steady rate while engine time runs (`records_per_second:
    /// 0` stops). `{n}` in the key or value is replaced by the record's
    /// number.
    SetRate {
        /// The topic.
        topic: String,
        /// Records per second of engine time (at most 100,000).
        records_per_second: u32,
        /// The key template, or none (keyless records).
        key: Option<String>,
        /// The value template.
        value: String,
    },
    /// `flush()`: sends every batch now and waits for their reports.
    Flush,
    /// `close()`: flushes, then takes no more records.
    Close,
}

/// A fault injected between the clients and the brokers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// The next `count` produce requests are lost on the way to the broker.
    DropRequests {
        /// How many (at most 1,000).
        count: u32,
    },
    /// The brokers' next `count` produce responses are lost on the way
    /// back: the broker has written the batch, the producer does not know.
    DropResponses {
        /// How many (at most 1,000).
        count: u32,
    },
}

/// Every simulated producer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProducersModel {
    /// The producers, by number.
    pub producers: Vec<ProducerModel>,
    /// Faults still to happen.
    pub faults: FaultsModel,
    /// Each flavour's default for the settings a producer form shows.
    pub defaults: Vec<ConfigDefault>,
}

/// A client's default for one setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigDefault {
    /// The client.
    pub client: ClientFlavour,
    /// The setting's name (`linger.ms`).
    pub key: String,
    /// Its default, as the client prints it.
    pub value: String,
}

/// Faults scheduled and not yet happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultsModel {
    /// Produce requests still to be lost.
    pub drop_requests: u64,
    /// Produce responses still to be lost.
    pub drop_responses: u64,
}

/// One simulated producer and its insides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProducerModel {
    /// Its number (for [`crate::Command::Producer`]).
    pub id: u32,
    /// Which client it behaves like.
    pub client: ClientFlavour,
    /// `client.id`.
    pub client_id: String,
    /// Whether `close()` was called.
    pub closed: bool,
    /// The settings it was created with, as given.
    pub configured: Vec<(String, String)>,
    /// The form's settings as the client ended up with them (its defaults
    /// and adjustments applied, e.g. `enable.idempotence` turned off).
    pub effective: Vec<(String, String)>,
    /// What the client logged while it was configured.
    pub notices: Vec<String>,
    /// With idempotence: the producer id and epoch from InitProducerId.
    pub producer_id: Option<(i64, i16)>,
    /// `batch.size` in bytes.
    pub batch_size: u32,
    /// `linger.ms`.
    pub linger_ms: f64,
    /// `max.in.flight.requests.per.connection`.
    pub max_in_flight: u32,
    /// Batches in the record accumulator, by partition, oldest first.
    pub batches: Vec<BatchModel>,
    /// Produce requests waiting for an answer, oldest first.
    pub in_flight: Vec<InFlightModel>,
    /// The newest delivery reports, oldest first (at most
    /// [`ProducerModel::MAX_REPORTS`]).
    pub reports: Vec<DeliveryReportModel>,
    /// Records given to `send()`.
    pub sent: u64,
    /// Records delivered.
    pub delivered: u64,
    /// Records whose delivery failed.
    pub failed: u64,
    /// Records in the accumulator or in flight.
    pub outstanding: u64,
    /// A steady rate, if set.
    pub rate: Option<WorkloadModel>,
}

impl ProducerModel {
    /// How many delivery reports a model keeps.
    pub const MAX_REPORTS: usize = 20;
}

/// A batch in the accumulator or in flight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchModel {
    /// Its topic.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// Records in it.
    pub records: u32,
    /// Its size against `batch.size`.
    pub bytes: u32,
    /// How long since its first record arrived (its `linger.ms` timer).
    pub age_ms: i64,
    /// Whether it takes no more records.
    pub closed: bool,
    /// Sends so far.
    pub attempts: u32,
    /// Until its retry may go (`retry.backoff.ms`), or 0.
    pub backoff_ms: i64,
    /// Its compressed size on the wire, once sent.
    pub wire_bytes: Option<u32>,
    /// Its producer id, epoch and base sequence (idempotent producers).
    pub sequence: Option<SequenceModel>,
}

/// What an idempotent producer stamps on a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceModel {
    /// The producer id.
    pub producer_id: i64,
    /// The epoch.
    pub epoch: i16,
    /// The sequence number of the batch's first record.
    pub base_sequence: i32,
}

/// A produce request waiting for its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InFlightModel {
    /// The batch it carries.
    pub batch: BatchModel,
    /// The broker it went to.
    pub broker: Option<i32>,
    /// Where it stands.
    pub state: FlightState,
    /// Until `request.timeout.ms` gives up on it.
    pub timeout_in_ms: i64,
}

/// Where a produce request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlightState {
    /// The broker has it (with `acks=all`, waiting for the ISR).
    AwaitingBroker,
    /// The network holds it up.
    Delayed,
    /// It or its answer was lost: it will time out.
    Lost,
}

/// One record's delivery report, as the delivery callback gets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryReportModel {
    /// The record's number in this producer (1, 2, …).
    pub handle: u64,
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The offset, or -1 (failed, or `acks=0`).
    pub offset: i64,
    /// The record's timestamp.
    pub timestamp: i64,
    /// The key sent.
    pub key: Option<Text>,
    /// The value sent.
    pub value: Option<Text>,
    /// Engine milliseconds from `send()` to the report.
    pub latency_ms: i64,
    /// The client's error, if it was not delivered.
    pub error: Option<String>,
}
