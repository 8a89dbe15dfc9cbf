//! Simulated producers through the port: the client's own config
//! validation, Kafka's partitioner, the accumulator's batches lingering,
//! synchronous sends, steady rates, and the duplicate a lost response
//! makes without idempotence (and does not make with it).

use engine_host::{Answerer, LocalEngine};
use port::{
    ClientFlavour, ClockCommand, Command, ErrorCode, Fault, FlightState, NewRecord, ProducerAction,
    ProducerModel, ProducersModel, Query, RecordsModel, Reply, ViewModel,
};

fn engine() -> LocalEngine {
    let mut engine = LocalEngine::boot(11).expect("boots");
    engine
        .execute(Command::Clock(ClockCommand::Pause))
        .expect("pauses");
    engine
}

fn create(engine: &mut LocalEngine, topic: &str, partitions: i32) {
    engine
        .execute(Command::CreateTopic {
            topic: topic.into(),
            partitions: Some(partitions),
            replication_factor: Some(3),
            configs: vec![],
        })
        .expect("topic created");
}

fn add(engine: &mut LocalEngine, client: ClientFlavour, configs: &[(&str, &str)]) -> u32 {
    let configs = configs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    match engine.execute(Command::AddProducer { client, configs }) {
        Ok(Reply::ProducerAdded { producer, .. }) => producer,
        other => panic!("expected a producer, got {other:?}"),
    }
}

fn send(
    engine: &mut LocalEngine,
    producer: u32,
    topic: &str,
    records: Vec<NewRecord>,
    then_flush: bool,
) -> Reply {
    engine
        .execute(Command::Producer {
            producer,
            action: ProducerAction::Send {
                topic: topic.into(),
                partition: None,
                records,
                flush: false,
                then_flush,
            },
        })
        .expect("sent")
}

fn record(key: Option<&str>, value: &str) -> NewRecord {
    NewRecord {
        key: key.map(Into::into),
        value: Some(value.into()),
        headers: vec![],
    }
}

fn model(engine: &LocalEngine) -> ProducersModel {
    match engine.answer(&Query::Producers) {
        ViewModel::Producers(model) => model,
        other => panic!("expected producers, got {other:?}"),
    }
}

fn producer(engine: &LocalEngine, id: u32) -> ProducerModel {
    model(engine)
        .producers
        .into_iter()
        .find(|p| p.id == id)
        .expect("the producer is in the model")
}

fn step(engine: &mut LocalEngine, ms: i64) {
    engine.execute(Command::Step { ms }).expect("steps");
}

fn window(engine: &LocalEngine, topic: &str, partition: i32) -> RecordsModel {
    match engine.answer(&Query::Records {
        topic: topic.into(),
        partition,
        from_offset: Some(0),
        limit: 500,
    }) {
        ViewModel::Records(model) => model,
        other => panic!("expected records, got {other:?}"),
    }
}

fn setting(model: &ProducerModel, key: &str) -> String {
    model
        .effective
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Kafka's `Utils.toPositive(Utils.murmur2(key)) % partitions`.
fn kafka_partition(key: &str, partitions: i32) -> i32 {
    (engine::partitioner::murmur2(key.as_bytes()) & 0x7fff_ffff) % partitions
}

#[test]
fn an_invalid_setting_gets_the_clients_own_message_and_adds_nothing() {
    let mut engine = engine();
    let refused = engine
        .execute(Command::AddProducer {
            client: ClientFlavour::Java,
            configs: vec![("acks".into(), "2".into())],
        })
        .expect_err("Java refuses acks=2");
    assert_eq!(refused.code, ErrorCode::Client);
    assert!(
        refused
            .message
            .contains("Invalid value 2 for configuration acks"),
        "{}",
        refused.message
    );
    let refused = engine
        .execute(Command::AddProducer {
            client: ClientFlavour::Librdkafka,
            configs: vec![("linger.ms".into(), "-5".into())],
        })
        .expect_err("librdkafka refuses a negative linger");
    assert!(
        refused.message.contains("linger.ms") || refused.message.contains("queue.buffering.max.ms"),
        "{}",
        refused.message
    );
    assert!(model(&engine).producers.is_empty());
}

#[test]
fn each_flavour_reports_its_own_defaults_for_the_form() {
    let engine = engine();
    let defaults = model(&engine).defaults;
    let default = |client, key: &str| {
        defaults
            .iter()
            .find(|d| d.client == client && d.key == key)
            .map(|d| d.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(default(ClientFlavour::Java, "batch.size"), "16384");
    assert_eq!(default(ClientFlavour::Java, "enable.idempotence"), "true");
    assert_eq!(
        default(ClientFlavour::Librdkafka, "enable.idempotence"),
        "false"
    );
    assert_eq!(default(ClientFlavour::Librdkafka, "batch.size"), "1000000");
    assert_eq!(default(ClientFlavour::Java, "linger.ms"), "5");
}

#[test]
fn keyed_records_go_to_the_partitions_murmur2_picks_and_report_offsets() {
    let mut engine = engine();
    create(&mut engine, "orders", 6);
    let id = add(
        &mut engine,
        ClientFlavour::Java,
        &[("client.id", "checkout")],
    );
    let keys: Vec<String> = (0..24).map(|i| format!("customer-{i}")).collect();
    let reply = send(
        &mut engine,
        id,
        "orders",
        keys.iter().map(|k| record(Some(k), "order")).collect(),
        true,
    );
    let Reply::Sent {
        handles,
        outstanding,
        waited_ms,
    } = reply
    else {
        panic!("expected Sent, got {reply:?}")
    };
    assert_eq!((handles.len(), outstanding), (24, 0));
    assert!(waited_ms.is_some_and(|ms| ms >= 0));
    let model = producer(&engine, id);
    assert_eq!(model.client_id, "checkout");
    assert_eq!((model.sent, model.delivered, model.failed), (24, 24, 0));
    assert_eq!(
        model.reports.len(),
        ProducerModel::MAX_REPORTS,
        "only the newest reports are kept"
    );
    for report in &model.reports {
        let key = &report.key.as_ref().expect("keyed").text;
        assert_eq!(report.partition, kafka_partition(key, 6), "{key}");
        assert!(report.offset >= 0 && report.error.is_none());
        let stored = window(&engine, "orders", report.partition);
        let at = stored
            .records
            .iter()
            .find(|r| r.offset == report.offset)
            .expect("the reported offset holds the record");
        assert_eq!(at.key.as_ref().map(|k| k.text.as_str()), Some(key.as_str()));
    }
}

#[test]
fn a_batch_lingers_in_the_accumulator_then_goes_and_is_reported() {
    let mut engine = engine();
    create(&mut engine, "clicks", 1);
    let id = add(
        &mut engine,
        ClientFlavour::Java,
        &[("linger.ms", "1000"), ("enable.idempotence", "false")],
    );
    send(
        &mut engine,
        id,
        "clicks",
        (0..3)
            .map(|i| record(None, &format!("click {i}")))
            .collect(),
        false,
    );
    let held = producer(&engine, id);
    assert_eq!(held.batches.len(), 1, "{:?}", held.batches);
    assert_eq!(
        (held.batches[0].records, held.batches[0].closed),
        (3, false)
    );
    assert!(held.reports.is_empty() && held.outstanding == 3);
    step(&mut engine, 400);
    let older = producer(&engine, id);
    assert_eq!(
        older.batches.first().map(|b| b.age_ms),
        Some(400),
        "the linger timer runs"
    );
    step(&mut engine, 700);
    let sent = producer(&engine, id);
    assert!(sent.batches.is_empty(), "{:?}", sent.batches);
    assert_eq!(
        sent.reports.iter().map(|r| r.offset).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert!(
        sent.reports.iter().all(|r| r.latency_ms >= 1_000),
        "{:?}",
        sent.reports
    );
    assert_eq!(window(&engine, "clicks", 0).high_watermark, 3);
}

#[test]
fn a_full_batch_goes_without_waiting_for_linger() {
    let mut engine = engine();
    create(&mut engine, "clicks", 1);
    let id = add(
        &mut engine,
        ClientFlavour::Java,
        &[("linger.ms", "60000"), ("batch.size", "200")],
    );
    send(
        &mut engine,
        id,
        "clicks",
        (0..20)
            .map(|i| record(None, &format!("click number {i:04}")))
            .collect(),
        false,
    );
    step(&mut engine, 10);
    let model = producer(&engine, id);
    assert!(model.delivered > 0, "full batches were sent: {model:?}");
    assert!(model.batches.iter().all(|b| b.bytes <= 200));
}

/// Drops one produce response, lets the producer time out and retry, and
/// returns the values the partition holds.
fn values_after_a_lost_response(idempotence: &str) -> (Vec<String>, ProducerModel) {
    let mut engine = engine();
    create(&mut engine, "payments", 1);
    let id = add(
        &mut engine,
        ClientFlavour::Java,
        &[
            ("enable.idempotence", idempotence),
            ("acks", "all"),
            ("request.timeout.ms", "1000"),
            ("linger.ms", "0"),
        ],
    );
    engine
        .execute(Command::InjectFault(Fault::DropResponses { count: 1 }))
        .expect("scheduled");
    assert_eq!(model(&engine).faults.drop_responses, 1);
    send(
        &mut engine,
        id,
        "payments",
        vec![record(Some("p-1"), "pay 10 EUR")],
        false,
    );
    step(&mut engine, 50);
    let waiting = producer(&engine, id);
    assert_eq!(
        waiting.in_flight.len(),
        1,
        "the request waits for an answer that will not come"
    );
    assert_eq!(waiting.in_flight[0].state, FlightState::Lost);
    step(&mut engine, 3_000);
    let values = window(&engine, "payments", 0)
        .records
        .into_iter()
        .filter_map(|r| r.value.map(|v| v.text))
        .collect();
    (values, producer(&engine, id))
}

#[test]
fn without_idempotence_a_lost_response_writes_a_duplicate() {
    let (values, model) = values_after_a_lost_response("false");
    assert_eq!(values, vec!["pay 10 EUR", "pay 10 EUR"]);
    assert_eq!(model.producer_id, None);
    assert_eq!(model.reports.len(), 1);
    assert_eq!(model.reports[0].offset, 1, "the retry's offset is reported");
    assert!(
        (1_000..3_000).contains(&model.reports[0].latency_ms),
        "a request timeout and a retry: {:?}",
        model.reports[0]
    );
}

#[test]
fn with_idempotence_the_broker_drops_the_retried_duplicate() {
    let (values, model) = values_after_a_lost_response("true");
    assert_eq!(values, vec!["pay 10 EUR"]);
    assert!(
        model
            .producer_id
            .is_some_and(|(id, epoch)| id >= 0 && epoch >= 0),
        "{model:?}"
    );
    assert_eq!(model.reports.len(), 1);
    assert_eq!(
        (model.reports[0].offset, model.reports[0].error.as_deref()),
        (0, None)
    );
    assert_eq!(setting(&model, "enable.idempotence"), "true");
}

#[test]
fn in_flight_batches_carry_the_idempotent_producers_sequence_numbers() {
    let mut engine = engine();
    create(&mut engine, "payments", 1);
    let id = add(
        &mut engine,
        ClientFlavour::Java,
        &[
            ("acks", "all"),
            ("request.timeout.ms", "1000"),
            ("linger.ms", "0"),
        ],
    );
    send(
        &mut engine,
        id,
        "payments",
        vec![record(None, "a"), record(None, "b")],
        true,
    );
    engine
        .execute(Command::InjectFault(Fault::DropResponses { count: 1 }))
        .expect("scheduled");
    send(&mut engine, id, "payments", vec![record(None, "c")], false);
    step(&mut engine, 10);
    let model = producer(&engine, id);
    let flight = model.in_flight.first().expect("in flight");
    let sequence = flight.batch.sequence.expect("stamped");
    assert_eq!(sequence.base_sequence, 2, "two records went before it");
    assert_eq!(
        Some((sequence.producer_id, sequence.epoch)),
        model.producer_id
    );
}

#[test]
fn a_steady_rate_sends_while_time_runs_and_stops_on_zero() {
    let mut engine = engine();
    create(&mut engine, "metrics", 3);
    let id = add(&mut engine, ClientFlavour::Librdkafka, &[]);
    engine
        .execute(Command::Producer {
            producer: id,
            action: ProducerAction::SetRate {
                topic: "metrics".into(),
                records_per_second: 250,
                key: Some("host-{n}".into()),
                value: "cpu {n}".into(),
            },
        })
        .expect("rate set");
    step(&mut engine, 2_000);
    let model = producer(&engine, id);
    assert_eq!(model.sent, 500);
    assert_eq!(model.rate.as_ref().map(|r| r.produced), Some(500));
    assert!(model.delivered > 400, "{}", model.delivered);
    engine
        .execute(Command::Producer {
            producer: id,
            action: ProducerAction::SetRate {
                topic: "metrics".into(),
                records_per_second: 0,
                key: None,
                value: String::new(),
            },
        })
        .expect("stopped");
    step(&mut engine, 1_000);
    assert_eq!(producer(&engine, id).sent, 500);
}

#[test]
fn a_closed_producer_refuses_to_send_and_unknown_numbers_are_not_found() {
    let mut engine = engine();
    create(&mut engine, "orders", 1);
    let id = add(&mut engine, ClientFlavour::Java, &[]);
    send(&mut engine, id, "orders", vec![record(None, "last")], false);
    engine
        .execute(Command::Producer {
            producer: id,
            action: ProducerAction::Close,
        })
        .expect("closes");
    let closed = producer(&engine, id);
    assert!(closed.closed);
    assert_eq!(
        (closed.outstanding, closed.delivered),
        (0, 1),
        "close() flushes first"
    );
    let refused = engine
        .execute(Command::Producer {
            producer: id,
            action: ProducerAction::Flush,
        })
        .expect_err("closed");
    assert!(
        refused.message.contains("after producer has been closed"),
        "{}",
        refused.message
    );
    let missing = engine
        .execute(Command::Producer {
            producer: 9,
            action: ProducerAction::Flush,
        })
        .expect_err("no such producer");
    assert_eq!(missing.code, ErrorCode::NotFound);
    let refused = engine
        .execute(Command::InjectFault(Fault::DropRequests { count: 0 }))
        .expect_err("nothing to drop");
    assert_eq!(refused.code, ErrorCode::InvalidRequest);
}

#[test]
fn sending_to_an_unknown_topic_gets_the_clients_error() {
    let mut engine = engine();
    let java = add(&mut engine, ClientFlavour::Java, &[]);
    engine
        .execute(Command::CreateTopic {
            topic: "x".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![],
        })
        .expect("created");
    let refused = engine
        .execute(Command::Producer {
            producer: java,
            action: ProducerAction::Send {
                topic: "orders".into(),
                partition: Some(7),
                records: vec![record(None, "v")],
                flush: false,
                then_flush: false,
            },
        })
        .expect_err("partition 7 of a topic that auto-creates with one partition");
    assert_eq!(refused.code, ErrorCode::Client);
    assert!(
        refused
            .message
            .contains("Invalid partition given with record: 7"),
        "{}",
        refused.message
    );
}

/// Sync is `flush()` after each `send()`: one record per batch and request,
/// each waiting for its report; async sends them all and one `flush()`
/// waits for the batches the accumulator made. The same records take
/// longer the synchronous way.
#[test]
fn sync_sends_one_record_per_request_and_takes_longer_than_async() {
    let mut engine = engine();
    create(&mut engine, "orders", 3);
    let producer = add(&mut engine, ClientFlavour::Java, &[("linger.ms", "5")]);
    let records = |n: usize| {
        (0..n)
            .map(|i| record(Some("same-key"), &format!("v{i}")))
            .collect::<Vec<_>>()
    };
    let timed = |engine: &mut LocalEngine, flush: bool, then_flush: bool| match engine
        .execute(Command::Producer {
            producer,
            action: ProducerAction::Send {
                topic: "orders".into(),
                partition: None,
                records: records(10),
                flush,
                then_flush,
            },
        })
        .expect("sent")
    {
        Reply::Sent {
            outstanding: 0,
            waited_ms: Some(ms),
            ..
        } => ms,
        other => panic!("expected every report after the flush, got {other:?}"),
    };
    let asynchronous = timed(&mut engine, false, true);
    let batches_before = batch_count(&engine);
    let synchronous = timed(&mut engine, true, false);
    assert_eq!(
        batch_count(&engine) - batches_before,
        10,
        "one batch per synchronous send"
    );
    assert!(
        synchronous > asynchronous,
        "sync {synchronous} ms, async {asynchronous} ms"
    );
}

/// Batches the leaders of `orders` appended so far (from the event log).
fn batch_count(engine: &LocalEngine) -> usize {
    match engine.answer(&Query::Events {
        limit: 500,
        groups_only: false,
    }) {
        ViewModel::Events(m) => m
            .events
            .iter()
            .filter(|e| e.text.starts_with("orders-") && e.text.contains("appended offsets"))
            .count(),
        _ => 0,
    }
}

/// The full form lists every setting each client knows, with its default
/// as that client prints it.
#[test]
fn each_clients_settings_are_listed_with_their_defaults() {
    let mut engine = engine();
    let listed = |engine: &mut LocalEngine, client| match engine
        .execute(Command::DescribeProducerConfigs { client })
        .expect("described")
    {
        Reply::ConfigDefaults { configs } => configs
            .into_iter()
            .map(|c| (c.key, c.value))
            .collect::<Vec<_>>(),
        other => panic!("expected the settings, got {other:?}"),
    };
    let java = listed(&mut engine, ClientFlavour::Java);
    assert!(
        java.len() > 100,
        "the Java producer knows {} settings",
        java.len()
    );
    assert!(java.contains(&("linger.ms".to_owned(), "5".to_owned())));
    assert!(java.contains(&("enable.idempotence".to_owned(), "true".to_owned())));
    let rdkafka = listed(&mut engine, ClientFlavour::Librdkafka);
    assert!(
        rdkafka.iter().any(|(k, _)| k == "queue.buffering.max.ms"),
        "librdkafka names its own properties"
    );
    assert!(
        !rdkafka.iter().any(|(k, _)| k == "buffer.memory"),
        "a Java-only setting"
    );
}
