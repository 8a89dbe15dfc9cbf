//! The port's view models straight from the engine, without a browser:
//! commands through [`LocalEngine`], models read back, and a session's
//! handshake, subscriptions and change-only updates.

use engine_host::{Answerer, Frame, LocalEngine, Session};
use port::{
    encode, ClientFlavour, ClockCommand, Command, ConsumerAction, ErrorCode, FromEngine, NewRecord,
    Query, Reply, ToEngine, ViewModel, VERSION,
};
use proptest::prelude::*;

fn engine() -> LocalEngine {
    let mut engine = LocalEngine::boot(7).expect("boots");
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

fn record(key: &str, value: &str) -> NewRecord {
    NewRecord {
        key: Some(key.into()),
        value: Some(value.into()),
        headers: vec![("source".into(), "test".into())],
    }
}

fn cluster(engine: &LocalEngine) -> port::ClusterModel {
    match engine.answer(&Query::Cluster) {
        ViewModel::Cluster(model) => model,
        other => panic!("expected a cluster model, got {other:?}"),
    }
}

fn metrics_samples(engine: &LocalEngine) -> Vec<port::MetricsSample> {
    match engine.answer(&Query::Metrics) {
        ViewModel::Metrics(model) => model.samples,
        other => panic!("expected a metrics model, got {other:?}"),
    }
}

fn consumers(engine: &LocalEngine) -> port::ConsumersModel {
    match engine.answer(&Query::Consumers) {
        ViewModel::Consumers(model) => model,
        other => panic!("expected a consumers model, got {other:?}"),
    }
}

#[test]
fn local_mode_boots_like_the_server_with_the_registry_and_connect_topics() {
    let model = cluster(&engine());
    assert_eq!(
        model
            .brokers
            .iter()
            .map(|b| (b.id, b.online))
            .collect::<Vec<_>>(),
        vec![(1, true), (2, true), (3, true)]
    );
    let names: Vec<&str> = model.topics.iter().map(|t| t.name.as_str()).collect();
    for expected in [
        "_schemas",
        "connect-configs",
        "connect-offsets",
        "connect-status",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
}

#[test]
fn produced_records_move_the_high_watermark_and_show_in_a_window() {
    let mut engine = engine();
    create(&mut engine, "orders", 3);
    let reply = engine
        .execute(Command::Produce {
            topic: "orders".into(),
            partition: None,
            records: (0..30)
                .map(|i| record(&format!("customer-{i}"), &format!("order {i}")))
                .collect(),
        })
        .expect("produced");
    let Reply::Produced { deliveries } = reply else {
        panic!("expected deliveries, got {reply:?}")
    };
    assert_eq!(deliveries.len(), 30);
    // Java's murmur2 partitioner: the same key always lands on the same partition.
    let again = engine
        .execute(Command::Produce {
            topic: "orders".into(),
            partition: None,
            records: vec![record("customer-0", "again")],
        })
        .expect("produced");
    let Reply::Produced { deliveries: second } = again else {
        panic!()
    };
    assert_eq!(second[0].0, deliveries[0].0);
    engine.execute(Command::Step { ms: 500 }).expect("steps");
    let orders = cluster(&engine)
        .topics
        .into_iter()
        .find(|t| t.name == "orders")
        .expect("orders listed");
    let total: i64 = orders.partitions.iter().map(|p| p.high_watermark).sum();
    assert_eq!(total, 31, "{orders:?}");
    assert!(orders
        .partitions
        .iter()
        .all(|p| p.isr.len() == 3 && p.leader.is_some()));

    let p = second[0].0;
    let window = engine.answer(&Query::Records {
        topic: "orders".into(),
        partition: p,
        from_offset: None,
        limit: 2,
    });
    let ViewModel::Records(window) = window else {
        panic!("expected records, got {window:?}")
    };
    assert_eq!(window.records.len(), 2);
    let last = window.records.last().expect("a record");
    assert_eq!(last.value.as_ref().map(|v| v.text.as_str()), Some("again"));
    assert_eq!(
        last.key.as_ref().map(|k| k.text.as_str()),
        Some("customer-0")
    );
    assert_eq!(last.headers[0].0, "source");
    assert_eq!(last.offset, window.high_watermark - 1);
}

#[test]
fn kafka_refusals_carry_the_error_name_and_leave_state_alone() {
    let mut engine = engine();
    create(&mut engine, "orders", 3);
    let before = cluster(&engine);
    let err = engine
        .execute(Command::CreateTopic {
            topic: "orders".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![],
        })
        .expect_err("exists");
    assert_eq!(err.code, ErrorCode::Kafka("TOPIC_ALREADY_EXISTS".into()));
    assert!(err.message.contains("orders"), "{}", err.message);
    let err = engine
        .execute(Command::CreateTopic {
            topic: "bad name!".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![],
        })
        .expect_err("invalid");
    assert_eq!(err.code, ErrorCode::Kafka("INVALID_TOPIC_EXCEPTION".into()));
    assert!(engine
        .execute(Command::Produce {
            topic: "orders".into(),
            partition: Some(9),
            records: vec![record("k", "v")]
        })
        .is_err());
    assert!(engine.execute(Command::Step { ms: -1 }).is_err());
    assert!(engine
        .execute(Command::Clock(ClockCommand::Speed { factor: f64::NAN }))
        .is_err());
    assert_eq!(cluster(&engine), before);
}

#[test]
fn consumers_join_a_group_get_partitions_and_commit() {
    let mut engine = engine();
    create(&mut engine, "orders", 6);
    engine
        .execute(Command::Produce {
            topic: "orders".into(),
            partition: None,
            records: (0..12).map(|i| record(&format!("c-{i}"), "v")).collect(),
        })
        .expect("produced");
    for _ in 0..2 {
        engine
            .execute(Command::AddConsumer {
                client: ClientFlavour::Java,
                configs: vec![
                    ("group.id".into(), "orders-app".into()),
                    ("auto.offset.reset".into(), "earliest".into()),
                    ("enable.auto.commit".into(), "false".into()),
                ],
                topics: vec!["orders".into()],
            })
            .expect("consumer added");
    }
    engine.execute(Command::Step { ms: 10_000 }).expect("steps");
    let model = consumers(&engine);
    assert_eq!(model.consumers.len(), 2);
    assert!(
        model.consumers.iter().all(|c| c.phase == "Stable"),
        "{:?}",
        model.consumers
    );
    let assigned: usize = model.consumers.iter().map(|c| c.assigned.len()).sum();
    assert_eq!(assigned, 6, "{:?}", model.consumers);
    let received: u64 = model.consumers.iter().map(|c| c.received).sum();
    assert_eq!(received, 12);
    let group = model
        .groups
        .iter()
        .find(|g| g.group_id == "orders-app")
        .expect("group listed");
    assert_eq!(group.state, "Stable");
    assert_eq!(group.members.len(), 2);
    assert_eq!(group.assignor.as_deref(), Some("range"));

    for consumer in 0..2 {
        engine
            .execute(Command::Consumer {
                consumer,
                action: ConsumerAction::Commit,
            })
            .expect("committed");
    }
    let group = consumers(&engine)
        .groups
        .into_iter()
        .find(|g| g.group_id == "orders-app")
        .expect("group");
    assert_eq!(group.offsets.iter().map(|o| o.committed).sum::<i64>(), 12);
    assert!(group.offsets.iter().all(|o| o.lag == 0));

    // The commits are records of __consumer_offsets, decoded as Kafka's
    // OffsetsMessageFormatter prints them (once the followers have them:
    // the window ends at the high watermark).
    engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    let partition = engine::consumer_offsets::partition_for(
        "orders-app",
        engine::consumer_offsets::DEFAULT_PARTITIONS,
    );
    let ViewModel::Records(window) = engine.answer(&Query::Records {
        topic: "__consumer_offsets".into(),
        partition,
        from_offset: Some(0),
        limit: 100,
    }) else {
        panic!("a records window")
    };
    assert!(!window.records.is_empty(), "{window:?}");
    let decoded: Vec<&str> = window
        .records
        .iter()
        .filter_map(|r| r.decoded.as_deref())
        .filter(|d| d.starts_with(r#"{"key":{"type":1,"#))
        .collect();
    assert_eq!(decoded.len(), 6, "one commit per partition: {decoded:?}");
    assert!(
        decoded.iter().any(|d| d.contains(
            r#""data":{"group":"orders-app","topic":"orders","partition":0}},"value":{"version":3,"data":{"offset":"#
        )),
        "{decoded:?}"
    );

    engine
        .execute(Command::Consumer {
            consumer: 1,
            action: ConsumerAction::Crash,
        })
        .expect("crashed");
    engine.execute(Command::Step { ms: 60_000 }).expect("steps");
    let model = consumers(&engine);
    let group = model
        .groups
        .iter()
        .find(|g| g.group_id == "orders-app")
        .expect("group");
    assert_eq!(
        group.members.len(),
        1,
        "the crashed member is removed after session.timeout.ms"
    );
    assert_eq!(model.consumers[0].assigned.len(), 6);
    let err = engine
        .execute(Command::Consumer {
            consumer: 9,
            action: ConsumerAction::Poll,
        })
        .expect_err("no such consumer");
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[test]
fn a_workload_produces_at_its_rate_while_time_runs() {
    let mut engine = engine();
    create(&mut engine, "clicks", 12);
    let err = engine
        .execute(Command::SetWorkload {
            topic: "nope".into(),
            records_per_second: 10,
        })
        .expect_err("no topic");
    assert_eq!(
        err.code,
        ErrorCode::Kafka("UNKNOWN_TOPIC_OR_PARTITION".into())
    );
    engine
        .execute(Command::SetWorkload {
            topic: "clicks".into(),
            records_per_second: 5_000,
        })
        .expect("set");
    engine.execute(Command::Step { ms: 2_000 }).expect("steps");
    let total = |engine: &LocalEngine| -> i64 {
        cluster(engine)
            .topics
            .into_iter()
            .find(|t| t.name == "clicks")
            .map_or(0, |t| t.partitions.iter().map(|p| p.log_end_offset).sum())
    };
    assert_eq!(total(&engine), 10_000);
    let clicks = cluster(&engine)
        .topics
        .into_iter()
        .find(|t| t.name == "clicks")
        .expect("clicks");
    assert!(
        clicks.partitions.iter().all(|p| p.log_end_offset > 0),
        "keys spread over every partition: {clicks:?}"
    );
    engine
        .execute(Command::SetWorkload {
            topic: "clicks".into(),
            records_per_second: 0,
        })
        .expect("stopped");
    engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    assert_eq!(total(&engine), 10_000);
}

#[test]
fn events_come_as_sentences_with_their_kind() {
    let mut engine = engine();
    create(&mut engine, "payments", 1);
    let ViewModel::Events(few) = engine.answer(&Query::Events {
        limit: 3,
        groups_only: false,
    }) else {
        panic!()
    };
    assert_eq!(few.events.len(), 3);
    let ViewModel::Events(events) = engine.answer(&Query::Events {
        limit: 100,
        groups_only: false,
    }) else {
        panic!()
    };
    assert_eq!(events.events.last(), few.events.last(), "newest last");
    let created = events
        .events
        .iter()
        .rev()
        .find(|e| e.kind == "TopicCreated")
        .expect("a TopicCreated event");
    assert!(created.text.contains("payments"), "{}", created.text);
    assert!(events.total >= events.events.len() as u64);
}

#[test]
fn the_clock_pauses_steps_and_runs_at_a_speed() {
    let mut engine = engine();
    let start = engine.clock().now;
    engine.tick(1_000.0);
    assert_eq!(engine.clock().now, start, "paused");
    engine.execute(Command::Step { ms: 250 }).expect("steps");
    assert_eq!(engine.clock().now, start + 250);
    engine
        .execute(Command::Clock(ClockCommand::Speed { factor: 10.0 }))
        .expect("speed");
    engine
        .execute(Command::Clock(ClockCommand::Play))
        .expect("plays");
    engine.tick(50.0);
    assert_eq!(engine.clock().now, start + 750);
}

fn hello() -> String {
    encode(&ToEngine::Hello {
        version: VERSION,
        client: "test".into(),
    })
}

#[test]
fn a_session_greets_subscribes_and_sends_only_changes() {
    let mut engine = engine();
    let mut session = Session::new();
    let early = session.on_text(
        &encode(&ToEngine::Subscribe {
            id: 1,
            query: Query::Cluster,
        }),
        &mut engine,
    );
    assert!(early.close.is_some(), "nothing before hello");
    let welcome = session.on_text(&hello(), &mut engine);
    assert!(
        matches!(welcome.messages[..], [FromEngine::Welcome { .. }]),
        "{welcome:?}"
    );
    let first = session.on_text(
        &encode(&ToEngine::Subscribe {
            id: 1,
            query: Query::Cluster,
        }),
        &mut engine,
    );
    assert!(matches!(
        first.messages[..],
        [FromEngine::Update { id: 1, .. }]
    ));
    assert!(
        session.updates(&engine).is_empty(),
        "unchanged: nothing sent"
    );
    let reply = session.on_text(
        &encode(&ToEngine::Request {
            id: 5,
            command: Command::CreateTopic {
                topic: "t".into(),
                partitions: Some(2),
                replication_factor: Some(1),
                configs: vec![],
            },
        }),
        &mut engine,
    );
    assert!(
        matches!(
            &reply.messages[..],
            [FromEngine::Reply {
                id: 5,
                outcome: port::Outcome::Ok { .. }
            }]
        ),
        "{reply:?}"
    );
    let updates = session.updates(&engine);
    assert_eq!(updates.len(), 1);
    let FromEngine::Update {
        model: ViewModel::Cluster(model),
        ..
    } = &updates[0]
    else {
        panic!()
    };
    assert!(model.topics.iter().any(|t| t.name == "t"));
    session.on_text(&encode(&ToEngine::Unsubscribe { id: 1 }), &mut engine);
    engine
        .execute(Command::DeleteTopic { topic: "t".into() })
        .expect("deleted");
    assert!(session.updates(&engine).is_empty(), "unsubscribed");
}

#[test]
fn a_version_mismatch_closes_the_session() {
    let mut engine = engine();
    let mut session = Session::new();
    let out = session.on_text(
        &encode(&ToEngine::Hello {
            version: VERSION + 1,
            client: "old".into(),
        }),
        &mut engine,
    );
    assert!(out.close.is_some());
    assert!(matches!(out.messages[..], [FromEngine::Refused { .. }]));
    assert!(!session.greeted());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random text, and every cut of a valid message, reach a greeted
    /// session: no panic, and the engine's state stays as it was.
    #[test]
    fn hostile_messages_never_panic_nor_change_state(noise in ".{0,200}", cut in 0usize..400) {
        let mut engine = engine();
        create(&mut engine, "orders", 2);
        let before = cluster(&engine);
        let mut session = Session::new();
        session.on_text(&hello(), &mut engine);
        let valid = encode(&ToEngine::Request { id: 1, command: Command::Produce { topic: "orders".into(), partition: Some(1), records: vec![record("k", "a value")] } });
        let end = valid.char_indices().map(|(i, _)| i).rfind(|i| *i <= cut).unwrap_or(0);
        for text in [noise.as_str(), &valid[..end.min(valid.len() - 1)]] {
            let out = session.on_text(text, &mut engine);
            prop_assert!(out.close.is_some() || !out.messages.is_empty(), "{text:?} gave {out:?}");
            prop_assert_eq!(cluster(&engine), before.clone());
            session = Session::new();
            session.on_text(&hello(), &mut engine);
        }
    }
}

/// Commands with extreme values: refused or done, never a panic, and never
/// minutes of work in one call.
#[test]
fn extreme_commands_are_refused_or_bounded() {
    let mut engine = engine();
    create(&mut engine, "orders", 3);
    for command in [
        Command::Step { ms: i64::MAX },
        Command::Step { ms: i64::MIN },
        Command::Consumer {
            consumer: u32::MAX,
            action: ConsumerAction::Poll,
        },
        Command::CreatePartitions {
            topic: "orders".into(),
            total: i32::MIN,
        },
        Command::CreateTopic {
            topic: "x".repeat(300),
            partitions: Some(i32::MAX),
            replication_factor: Some(i16::MAX),
            configs: vec![],
        },
        Command::Produce {
            topic: "orders".into(),
            partition: Some(-1),
            records: vec![record("k", "v")],
        },
        Command::SetWorkload {
            topic: "orders".into(),
            records_per_second: u32::MAX,
        },
        Command::StopBroker { broker: i32::MIN },
        Command::Clock(ClockCommand::Speed {
            factor: f64::INFINITY,
        }),
        Command::Registry {
            method: "DELETE".into(),
            path: "/subjects/%ff%00?permanent=maybe".into(),
            body: "{".into(),
        },
        Command::Connect {
            method: "PUT".into(),
            path: "/connectors/../../etc".into(),
            body: "[]".into(),
        },
    ] {
        let shown = format!("{command:?}");
        let result = engine.execute(command);
        assert!(
            result.is_err() || matches!(result, Ok(Reply::Rest { status, .. }) if status >= 400),
            "{shown}: {result:?}"
        );
    }
    let ViewModel::Records(window) = engine.answer(&Query::Records {
        topic: "orders".into(),
        partition: 0,
        from_offset: Some(i64::MIN),
        limit: u32::MAX,
    }) else {
        panic!("a window of an existing partition")
    };
    assert!(window.records.is_empty());
    assert!(matches!(
        engine.answer(&Query::Records {
            topic: "orders".into(),
            partition: i32::MAX,
            from_offset: Some(i64::MAX),
            limit: 5
        }),
        ViewModel::Unavailable { .. }
    ));

    // The fastest workload and the longest step it allows: bounded.
    engine
        .execute(Command::SetWorkload {
            topic: "orders".into(),
            records_per_second: 100_000,
        })
        .expect("set");
    let err = engine
        .execute(Command::Step { ms: 86_400_000 })
        .expect_err("a day is too long while producing");
    assert!(err.message.contains("600000"), "{}", err.message);
    let started = std::time::Instant::now();
    engine
        .execute(Command::Step { ms: 600_000 })
        .expect("ten minutes");
    let produced: i64 = cluster(&engine)
        .topics
        .iter()
        .find(|t| t.name == "orders")
        .map_or(0, |t| t.partitions.iter().map(|p| p.log_end_offset).sum());
    assert_eq!(
        produced, 500_000,
        "one step produces at most MAX_WORKLOAD_BURST records"
    );
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_consumer_whose_subscription_is_refused_is_not_added() {
    let mut engine = engine();
    let err = engine
        .execute(Command::AddConsumer {
            client: ClientFlavour::Java,
            configs: vec![],
            topics: vec!["orders".into()],
        })
        .expect_err("Java needs a group.id to subscribe");
    assert_eq!(err.code, ErrorCode::Client);
    assert!(consumers(&engine).consumers.is_empty());
}

/// `kafka-consumer-groups --reset-offsets`: refused while the group is
/// active, then earliest, latest, a clamped offset and a time.
#[test]
fn a_group_resets_its_offsets_only_while_inactive() {
    let mut engine = engine();
    create(&mut engine, "orders", 2);
    engine
        .execute(Command::Produce {
            topic: "orders".into(),
            partition: Some(0),
            records: (0..10).map(|i| record("k", &i.to_string())).collect(),
        })
        .expect("produced");
    engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    let late = engine.clock().now;
    engine
        .execute(Command::Produce {
            topic: "orders".into(),
            partition: Some(0),
            records: vec![record("k", "late")],
        })
        .expect("produced");
    engine
        .execute(Command::AddConsumer {
            client: ClientFlavour::Java,
            configs: vec![
                ("group.id".into(), "app".into()),
                ("auto.offset.reset".into(), "earliest".into()),
            ],
            topics: vec!["orders".into()],
        })
        .expect("added");
    engine.execute(Command::Step { ms: 10_000 }).expect("steps");
    let err = engine
        .execute(Command::ResetOffsets {
            group: "app".into(),
            topic: "orders".into(),
            to: port::ResetTo::Earliest,
        })
        .expect_err("active group");
    assert_eq!(err.message, "Assignments can only be reset if the group 'app' is inactive, but the current state is Stable.");
    engine
        .execute(Command::Consumer {
            consumer: 0,
            action: ConsumerAction::Close,
        })
        .expect("closed");

    let committed = |engine: &LocalEngine| -> Vec<(i32, i64, i64)> {
        consumers(engine)
            .groups
            .into_iter()
            .find(|g| g.group_id == "app")
            .map_or(vec![], |g| {
                g.offsets
                    .iter()
                    .map(|o| (o.partition, o.committed, o.lag))
                    .collect()
            })
    };
    let reset = |engine: &mut LocalEngine, to| {
        engine.execute(Command::ResetOffsets {
            group: "app".into(),
            topic: "orders".into(),
            to,
        })
    };
    assert_eq!(
        reset(&mut engine, port::ResetTo::Earliest).expect("reset"),
        Reply::OffsetsReset {
            offsets: vec![(0, 0), (1, 0)]
        }
    );
    assert_eq!(
        committed(&engine),
        vec![(0, 0, 11), (1, 0, 0)],
        "lag is the whole log again"
    );
    assert_eq!(
        reset(&mut engine, port::ResetTo::Latest).expect("reset"),
        Reply::OffsetsReset {
            offsets: vec![(0, 11), (1, 0)]
        }
    );
    assert_eq!(
        reset(&mut engine, port::ResetTo::Offset(500)).expect("reset"),
        Reply::OffsetsReset {
            offsets: vec![(0, 11), (1, 0)]
        },
        "clamped to the high watermark"
    );
    assert_eq!(
        reset(&mut engine, port::ResetTo::Offset(4)).expect("reset"),
        Reply::OffsetsReset {
            offsets: vec![(0, 4), (1, 0)]
        }
    );
    assert_eq!(
        reset(&mut engine, port::ResetTo::Timestamp(late)).expect("reset"),
        Reply::OffsetsReset {
            offsets: vec![(0, 10), (1, 0)]
        },
        "the first record at or after the time"
    );
    assert_eq!(committed(&engine), vec![(0, 10, 1), (1, 0, 0)]);
    let err = reset(&mut engine, port::ResetTo::Earliest).and_then(|_| {
        engine.execute(Command::ResetOffsets {
            group: "app".into(),
            topic: "nope".into(),
            to: port::ResetTo::Earliest,
        })
    });
    assert_eq!(
        err.expect_err("no topic").code,
        ErrorCode::Kafka("UNKNOWN_TOPIC_OR_PARTITION".into())
    );
}

#[test]
fn encoded_updates_are_exactly_the_update_messages() {
    let mut engine = engine();
    let mut session = Session::new();
    session.on_text(&hello(), &mut engine);
    session.on_text(
        &encode(&ToEngine::Subscribe {
            id: 7,
            query: Query::Cluster,
        }),
        &mut engine,
    );
    session.on_text(
        &encode(&ToEngine::Subscribe {
            id: 8,
            query: Query::Consumers,
        }),
        &mut engine,
    );
    assert!(session.encoded_updates(&engine).is_empty());
    engine
        .execute(Command::CreateTopic {
            topic: "t".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![],
        })
        .expect("created");
    let texts = session.encoded_updates(&engine);
    assert_eq!(
        texts,
        vec![Frame::Text(encode(&FromEngine::Update {
            id: 7,
            model: engine.answer(&Query::Cluster)
        }))]
    );
    assert!(session.encoded_updates(&engine).is_empty());
}

/// A hello in bytes: the session answers in the binary encoding, and a
/// request that came as bytes is journaled as its JSON text (a scenario
/// stays readable).
#[test]
fn a_binary_session_answers_in_bytes_and_journals_text() {
    let mut engine = engine();
    let mut session = Session::new();
    let hello = port::encode_binary(&port::decode::<ToEngine>(&hello()).expect("a hello"));
    let out = session.on_bytes(&hello, &mut engine);
    assert!(matches!(
        session.frame(&out.messages[0]),
        Frame::Binary(bytes) if matches!(port::decode_binary(&bytes), Ok(FromEngine::Welcome { .. }))
    ));
    let subscribe = ToEngine::Subscribe {
        id: 3,
        query: Query::Cluster,
    };
    session.on_bytes(&port::encode_binary(&subscribe), &mut engine);
    let request = ToEngine::Request {
        id: 4,
        command: Command::CreateTopic {
            topic: "bytes".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![],
        },
    };
    let out = session.on_bytes(&port::encode_binary(&request), &mut engine);
    assert!(matches!(
        &out.messages[..],
        [FromEngine::Reply {
            id: 4,
            outcome: port::Outcome::Ok { .. }
        }]
    ));
    assert_eq!(
        session.encoded_updates(&engine),
        vec![Frame::Binary(port::encode_binary(&FromEngine::Update {
            id: 3,
            model: engine.answer(&Query::Cluster)
        }))]
    );
    let Ok(port::Reply::Scenario { text }) = engine.execute(Command::ExportScenario) else {
        panic!("a scenario")
    };
    assert!(
        text.contains(r#"\"create_topic\":{\"topic\":\"bytes\""#),
        "{text}"
    );
    let scenario: port::scenario::Scenario = port::decode(&text).expect("a scenario");
    assert!(
        scenario.entries.contains(&encode(&request)),
        "journaled as the request's own JSON: {:?}",
        scenario.entries
    );
    // Garbage bytes close the session with a reason.
    let out = session.on_bytes(&[0xff, 0xff, 0xff], &mut engine);
    assert!(out.close.is_some_and(|reason| reason.contains("malformed")));
}

/// ListOffsets as `kafka-get-offsets --time` answers it: -2 earliest, -1
/// latest, else the first record at or after the time (none if none is).
#[test]
fn list_offsets_finds_the_first_record_at_or_after_a_time() {
    let mut engine = engine();
    create(&mut engine, "clicks", 1);
    let produce = |engine: &mut LocalEngine| {
        engine
            .execute(Command::Produce {
                topic: "clicks".into(),
                partition: Some(0),
                records: (0..3).map(|i| record(&format!("k{i}"), "v")).collect(),
            })
            .expect("produced");
    };
    produce(&mut engine);
    engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    produce(&mut engine);
    engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    let ViewModel::Records(window) = engine.answer(&Query::Records {
        topic: "clicks".into(),
        partition: 0,
        from_offset: Some(0),
        limit: 10,
    }) else {
        panic!("a window")
    };
    assert_eq!(window.records.len(), 6);
    let second = window.records[3].timestamp;
    assert!(second > window.records[2].timestamp);
    let list =
        |engine: &mut LocalEngine, timestamp: i64| match engine.execute(Command::ListOffsets {
            topic: "clicks".into(),
            partition: 0,
            timestamp,
        }) {
            Ok(port::Reply::ListedOffset { offset }) => offset,
            other => panic!("{other:?}"),
        };
    assert_eq!(list(&mut engine, -2), Some(0));
    assert_eq!(list(&mut engine, -1), Some(6));
    assert_eq!(list(&mut engine, 0), Some(0));
    assert_eq!(list(&mut engine, second - 1), Some(3));
    assert_eq!(list(&mut engine, second), Some(3));
    assert_eq!(list(&mut engine, second + 10_000), None);
    assert!(engine
        .execute(Command::ListOffsets {
            topic: "clicks".into(),
            partition: 0,
            timestamp: -7,
        })
        .is_err());
}

/// Changing a running group's assignor: a consumer restarts with the new
/// `partition.assignment.strategy` in its client's syntax, keeps its
/// number and subscription, and the group's protocol follows once every
/// member prefers the new one; a bad value gets the client's message.
#[test]
fn a_restarted_consumer_brings_its_new_assignor_into_the_group() {
    let mut engine = engine();
    create(&mut engine, "orders", 4);
    for _ in 0..2 {
        engine
            .execute(Command::AddConsumer {
                client: ClientFlavour::Librdkafka,
                configs: vec![
                    ("group.id".into(), "app".into()),
                    ("partition.assignment.strategy".into(), "range".into()),
                ],
                topics: vec!["orders".into()],
            })
            .expect("added");
    }
    engine
        .execute(Command::SetAutoPoll { on: true })
        .expect("polls");
    engine.execute(Command::Step { ms: 10_000 }).expect("steps");
    let group = |engine: &LocalEngine| {
        consumers(engine)
            .groups
            .into_iter()
            .find(|g| g.group_id == "app")
            .expect("the group")
    };
    assert_eq!(group(&engine).assignor.as_deref(), Some("range"));
    assert_eq!(consumers(&engine).consumers[0].assignors, ["range"]);

    let err = engine
        .execute(Command::RestartConsumer {
            consumer: 0,
            strategy: "fastest".into(),
        })
        .expect_err("librdkafka knows no such assignor");
    assert_eq!(err.code, ErrorCode::Client);
    assert!(err.message.contains("fastest"), "{}", err.message);

    for consumer in 0..2 {
        engine
            .execute(Command::RestartConsumer {
                consumer,
                strategy: "roundrobin,range".into(),
            })
            .expect("restarted");
        engine.execute(Command::Step { ms: 10_000 }).expect("steps");
    }
    let model = consumers(&engine);
    assert_eq!(
        model.consumers.len(),
        2,
        "a restart keeps the consumer's number"
    );
    assert_eq!(model.consumers[1].assignors, ["roundrobin", "range"]);
    let g = group(&engine);
    assert_eq!(g.assignor.as_deref(), Some("roundrobin"));
    assert_eq!(g.state, "Stable");
    assert_eq!(
        g.members.iter().map(|m| m.partitions.len()).sum::<usize>(),
        4
    );
    let err = engine
        .execute(Command::RestartConsumer {
            consumer: 9,
            strategy: "range".into(),
        })
        .expect_err("no such consumer");
    assert_eq!(err.code, ErrorCode::NotFound);
}

/// Broker metrics over time: bytes and messages in at the leaders each
/// second, and when a broker stops, ISR shrinks and under-replicated
/// partitions on the brokers that lead, then expands when it is back.
#[test]
fn broker_metrics_are_sampled_every_second_and_show_a_stopped_broker() {
    let mut engine = engine();
    create(&mut engine, "orders", 3);
    engine
        .execute(Command::Produce {
            topic: "orders".into(),
            partition: Some(0),
            records: (0..10).map(|i| record("k", &i.to_string())).collect(),
        })
        .expect("produced");
    engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    let model = cluster(&engine);
    let samples = metrics_samples(&engine);
    let sample = samples.last().expect("a sample after a second");
    let leader = model
        .topics
        .iter()
        .find(|t| t.name == "orders")
        .and_then(|t| t.partitions[0].leader)
        .expect("a leader");
    let at_leader = sample
        .brokers
        .iter()
        .find(|b| b.broker == leader)
        .expect("the leader's metrics");
    assert_eq!(at_leader.messages_in, 10);
    assert!(at_leader.bytes_in > 10, "{at_leader:?}");
    assert_eq!(sample.brokers.len(), 3);
    assert_eq!(sample.offline_partitions, 0);

    let stopped = if leader == 1 { 2 } else { 1 };
    engine
        .execute(Command::StopBroker { broker: stopped })
        .expect("stops");
    for _ in 0..3 {
        engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    }
    let metrics = metrics_samples(&engine);
    let shrinks: u32 = metrics
        .iter()
        .flat_map(|s| &s.brokers)
        .map(|b| b.isr_shrinks)
        .sum();
    assert!(
        shrinks >= 3,
        "every partition the stopped broker followed shrank: {shrinks}"
    );
    let now = metrics.last().expect("samples");
    let urp: u32 = now.brokers.iter().map(|b| b.under_replicated).sum();
    assert!(
        urp >= 3,
        "orders' three partitions (and more) are under-replicated: {urp}"
    );
    assert!(
        !now.brokers
            .iter()
            .find(|b| b.broker == stopped)
            .expect("listed")
            .online
    );

    engine
        .execute(Command::StartBroker { broker: stopped })
        .expect("starts");
    for _ in 0..30 {
        engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    }
    let metrics = metrics_samples(&engine);
    assert!(metrics.len() <= 60, "a minute is kept");
    let expands: u32 = metrics
        .iter()
        .flat_map(|s| &s.brokers)
        .map(|b| b.isr_expands)
        .sum();
    assert!(expands >= 3, "the follower caught up again: {expands}");
    let urp: u32 = metrics
        .last()
        .expect("samples")
        .brokers
        .iter()
        .map(|b| b.under_replicated)
        .sum();
    assert_eq!(urp, 0);
}

#[test]
fn a_search_covers_the_whole_partition_in_calls_of_at_most_find_scan_offsets() {
    let mut engine = engine();
    create(&mut engine, "big", 1);
    engine
        .execute(Command::SetWorkload {
            topic: "big".into(),
            records_per_second: 100_000,
        })
        .expect("set");
    engine.execute(Command::Step { ms: 1_500 }).expect("steps");
    engine
        .execute(Command::SetWorkload {
            topic: "big".into(),
            records_per_second: 0,
        })
        .expect("stopped");
    engine
        .execute(Command::Produce {
            topic: "big".into(),
            partition: None,
            records: vec![NewRecord {
                key: Some("Needle-7".into()),
                value: Some("the one".into()),
                headers: vec![("trace".into(), "abc-123".into())],
            }],
        })
        .expect("produced");
    engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    let find =
        |engine: &mut LocalEngine, from: i64, text: &str, field: port::RecordField| match engine
            .execute(Command::FindRecords {
                topic: "big".into(),
                partition: 0,
                from_offset: from,
                text: text.into(),
                field,
                limit: 50,
            }) {
            Ok(Reply::FoundRecords {
                records,
                next_offset,
                high_watermark,
                ..
            }) => (records, next_offset, high_watermark),
            other => panic!("expected found records, got {other:?}"),
        };
    // Every call looks at no more than FIND_SCAN offsets; calls go on from
    // where the last one stopped until the high watermark.
    let (mut from, mut calls, mut hits) = (0, 0, Vec::new());
    loop {
        let (records, next, hw) = find(&mut engine, from, "needle", port::RecordField::Any);
        assert_eq!(hw, 150_001);
        assert!(
            next > from && next - from <= Command::FIND_SCAN,
            "{from} -> {next}"
        );
        hits.extend(
            records
                .into_iter()
                .map(|r| (r.offset, r.key.map(|k| k.text))),
        );
        calls += 1;
        from = next;
        if next == hw {
            break;
        }
    }
    assert_eq!(calls, 2);
    assert_eq!(
        hits,
        vec![(150_000, Some("Needle-7".to_owned()))],
        "ASCII case ignored"
    );
    // By field: the header's value, not the value; the key by key.
    assert_eq!(
        find(&mut engine, 100_000, "ABC-1", port::RecordField::Headers)
            .0
            .len(),
        1
    );
    assert!(
        find(&mut engine, 100_000, "abc-1", port::RecordField::Value)
            .0
            .is_empty()
    );
    assert_eq!(
        find(&mut engine, 100_000, "the one", port::RecordField::Value)
            .0
            .len(),
        1
    );
    // The limit stops a call early, at the offset after its last match.
    let (records, next, _) = find(&mut engine, 0, "key-1", port::RecordField::Key);
    assert_eq!(records.len(), 50);
    assert_eq!(next, records[49].offset + 1);
    assert!(records
        .iter()
        .all(|r| r.key.as_ref().is_some_and(|k| k.text.starts_with("key-1"))));
    // Refusals change nothing.
    for (text, limit) in [("", 50), ("x", 0), ("x", 501)] {
        let err = engine
            .execute(Command::FindRecords {
                topic: "big".into(),
                partition: 0,
                from_offset: 0,
                text: text.into(),
                field: port::RecordField::Any,
                limit,
            })
            .expect_err("refused");
        assert_eq!(err.code, ErrorCode::InvalidRequest, "{err}");
    }
    // A window anywhere in the log reads only its own records.
    match engine.answer(&Query::Records {
        topic: "big".into(),
        partition: 0,
        from_offset: Some(123_456),
        limit: 14,
    }) {
        ViewModel::Records(w) => {
            assert_eq!(w.records.len(), 14);
            assert_eq!(w.records[0].offset, 123_456);
        }
        other => panic!("expected records, got {other:?}"),
    }
}

#[test]
fn records_carry_their_batch_and_compaction_shows_in_the_cleaner_checkpoint() {
    let mut engine = engine();
    engine
        .execute(Command::CreateTopic {
            topic: "latest".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![
                ("cleanup.policy".into(), "compact".into()),
                ("segment.ms".into(), "1000".into()),
                ("min.cleanable.dirty.ratio".into(), "0.01".into()),
            ],
        })
        .expect("created");
    let produce = |engine: &mut LocalEngine, round: u32| {
        let records = (0..5)
            .map(|k| record(&format!("k{k}"), &format!("v{round}")))
            .collect();
        engine
            .execute(Command::Produce {
                topic: "latest".into(),
                partition: Some(0),
                records,
            })
            .expect("produced");
        engine.execute(Command::Step { ms: 1_000 }).expect("steps");
    };
    let partition = |engine: &LocalEngine| {
        cluster(engine)
            .topics
            .into_iter()
            .find(|t| t.name == "latest")
            .expect("topic")
            .partitions
            .remove(0)
    };
    let window = |engine: &LocalEngine| match engine.answer(&Query::Records {
        topic: "latest".into(),
        partition: 0,
        from_offset: Some(0),
        limit: 50,
    }) {
        ViewModel::Records(w) => w,
        other => panic!("expected records, got {other:?}"),
    };
    produce(&mut engine, 0);
    let before = partition(&engine);
    assert_eq!(
        before.cleaned_to, before.log_start_offset,
        "nothing cleaned yet"
    );
    // The produce was one batch of five.
    let spans: Vec<_> = window(&engine)
        .records
        .iter()
        .map(|r| r.batch.clone().expect("batch"))
        .collect();
    assert_eq!(spans.len(), 5);
    assert!(
        spans
            .iter()
            .all(|b| (b.base_offset, b.last_offset, b.records) == (0, 4, 5)
                && b.compression == "none"),
        "{spans:?}"
    );
    produce(&mut engine, 1);
    produce(&mut engine, 2);
    for _ in 0..6 {
        engine.execute(Command::Step { ms: 10_000 }).expect("steps");
    }
    let after = partition(&engine);
    assert!(
        after.cleaned_to > after.log_start_offset,
        "the cleaner ran: {after:?}"
    );
    let left = window(&engine).records;
    assert!(
        left.len() < 15,
        "older values are gone: {} left",
        left.len()
    );
    // Offsets never move: what the cleaner removed leaves a gap (here the
    // whole first batch, every key of which was written again), which the
    // record browser draws between rows.
    assert!(left[0].offset > after.log_start_offset, "{left:?}");
    assert!(left.iter().all(|r| r
        .batch
        .as_ref()
        .is_some_and(|b| (b.base_offset..=b.last_offset).contains(&r.offset))));
    let mut keys: Vec<_> = left
        .iter()
        .filter_map(|r| r.key.as_ref().map(|k| k.text.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 5, "every key is still there");
}
