//! Scenarios: local mode's state as its seed and journal, exported and
//! replayed to the same state; malformed, truncated, oversized and hostile
//! files refused with a reason, the current state untouched.

use engine_host::{Answerer, LocalEngine, Session};
use port::scenario::{Scenario, FORMAT};
use port::{
    encode, ClientFlavour, ClockCommand, Command, ConsumerAction, ErrorCode, NewRecord,
    ProducerAction, Query, Reply, ToEngine, ViewModel, VERSION,
};
use proptest::prelude::*;

/// Sends `command` through a session, as the page does (so the engine
/// journals the request text).
fn send(
    session: &mut Session,
    engine: &mut LocalEngine,
    id: u64,
    command: Command,
) -> Result<Reply, port::CommandError> {
    let text = encode(&ToEngine::Request { id, command });
    let out = session.on_text(&text, engine);
    match out.messages.into_iter().next() {
        Some(port::FromEngine::Reply { outcome, .. }) => outcome.into(),
        other => panic!("expected a reply, got {other:?}"),
    }
}

fn greeted(engine: &mut LocalEngine) -> Session {
    let mut session = Session::new();
    let hello = encode(&ToEngine::Hello {
        version: VERSION,
        client: "test".into(),
    });
    session.on_text(&hello, engine);
    assert!(session.greeted());
    session
}

/// A session with a topic, records, a producer, a consumer group and
/// clock ticks of uneven lengths.
fn busy_engine() -> (LocalEngine, Session) {
    let mut engine = LocalEngine::boot(42).expect("boots");
    let mut session = greeted(&mut engine);
    let mut id = 0;
    let mut run = |engine: &mut LocalEngine, session: &mut Session, command: Command| {
        id += 1;
        send(session, engine, id, command)
    };
    run(
        &mut engine,
        &mut session,
        Command::CreateTopic {
            topic: "orders".into(),
            partitions: Some(3),
            replication_factor: Some(3),
            configs: vec![],
        },
    )
    .expect("created");
    run(
        &mut engine,
        &mut session,
        Command::CreateTopic {
            topic: "orders".into(),
            partitions: Some(3),
            replication_factor: Some(3),
            configs: vec![],
        },
    )
    .expect_err("a refusal is journaled too");
    let records = (0..20)
        .map(|i| NewRecord {
            key: Some(format!("k{i}")),
            value: Some(format!("v{i}")),
            headers: vec![],
        })
        .collect();
    run(
        &mut engine,
        &mut session,
        Command::Produce {
            topic: "orders".into(),
            partition: None,
            records,
        },
    )
    .expect("produced");
    run(
        &mut engine,
        &mut session,
        Command::AddProducer {
            client: ClientFlavour::Librdkafka,
            configs: vec![("linger.ms".into(), "20".into())],
        },
    )
    .expect("producer");
    run(
        &mut engine,
        &mut session,
        Command::Producer {
            producer: 0,
            action: ProducerAction::SetRate {
                topic: "orders".into(),
                records_per_second: 40,
                key: None,
                value: "tick {n}".into(),
            },
        },
    )
    .expect("rate");
    run(
        &mut engine,
        &mut session,
        Command::AddConsumer {
            client: ClientFlavour::Java,
            configs: vec![("group.id".into(), "g".into())],
            topics: vec!["orders".into()],
        },
    )
    .expect("consumer");
    for wall in [33.0, 34.0, 33.0, 33.0, 1_000.0, 16.7, 16.6] {
        engine.tick(wall);
    }
    run(&mut engine, &mut session, Command::Step { ms: 4_000 }).expect("stepped");
    run(
        &mut engine,
        &mut session,
        Command::Consumer {
            consumer: 0,
            action: ConsumerAction::Commit,
        },
    )
    .expect("committed");
    for _ in 0..40 {
        engine.tick(33.0);
    }
    run(
        &mut engine,
        &mut session,
        Command::Clock(ClockCommand::Speed { factor: 5.0 }),
    )
    .expect("speed");
    engine.tick(20.0);
    (engine, session)
}

/// Every model a page could show, to compare two engines.
fn state(engine: &LocalEngine) -> Vec<ViewModel> {
    [
        Query::Clock,
        Query::Cluster,
        Query::Consumers,
        Query::Producers,
        Query::Events {
            limit: 500,
            groups_only: false,
        },
    ]
    .iter()
    .chain(
        &(0..3)
            .map(|p| Query::Records {
                topic: "orders".into(),
                partition: p,
                from_offset: Some(0),
                limit: 500,
            })
            .collect::<Vec<_>>(),
    )
    .map(|q| engine.answer(q))
    .collect()
}

fn export(engine: &mut LocalEngine) -> String {
    match engine.execute(Command::ExportScenario) {
        Ok(Reply::Scenario { text }) => text,
        other => panic!("expected a scenario, got {other:?}"),
    }
}

#[test]
fn a_replayed_scenario_is_the_same_engine() {
    let (mut engine, _) = busy_engine();
    let text = export(&mut engine);
    let scenario: Scenario = port::decode(&text).expect("a scenario");
    assert_eq!(
        (scenario.format.as_str(), scenario.seed, scenario.speed),
        (FORMAT, 42, 5.0)
    );
    assert!(
        scenario.entries.iter().any(|e| e == "+33x40"),
        "equal ticks are run-length coded: {:?}",
        scenario.entries
    );
    assert!(!scenario
        .entries
        .iter()
        .any(|e| e.contains("export_scenario") || e.contains("\"clock\"")));
    let replayed = LocalEngine::replay(&text, &mut || true).expect("replays");
    assert_eq!(state(&replayed), state(&engine));
    // And it goes on the same way.
    let (mut a, mut b) = (engine, replayed);
    for _ in 0..10 {
        a.tick(33.0);
        b.tick(33.0);
    }
    assert_eq!(state(&a), state(&b));
    assert_eq!(export(&mut a), export(&mut b));
}

#[test]
fn importing_through_the_port_replaces_the_state_and_sets_the_clock() {
    let (mut engine, _) = busy_engine();
    let text = export(&mut engine);
    let mut other = LocalEngine::boot(1).expect("boots");
    let reply = other
        .execute(Command::ImportScenario { text })
        .expect("imported");
    let Reply::Clock(clock) = reply else {
        panic!("{reply:?}")
    };
    assert_eq!(
        (clock.seed, clock.speed, clock.running),
        (Some(42), 5.0, true)
    );
    assert_eq!(state(&other), state(&engine));
}

fn refused(engine: &mut LocalEngine, text: &str) -> String {
    let before = state(engine);
    let error = engine
        .execute(Command::ImportScenario {
            text: text.to_owned(),
        })
        .expect_err("refused");
    assert_eq!(error.code, ErrorCode::InvalidRequest);
    assert_eq!(
        state(engine),
        before,
        "a refused import leaves the state as it was"
    );
    error.message
}

#[test]
fn bad_files_are_refused_with_a_reason() {
    let (mut engine, _) = busy_engine();
    let good: Scenario = port::decode(&export(&mut engine)).expect("scenario");
    let with = |f: &dyn Fn(&mut Scenario)| {
        let mut s = good.clone();
        f(&mut s);
        encode(&s)
    };
    assert!(refused(&mut engine, "").contains("not a scenario file"));
    assert!(refused(&mut engine, "{\"format\":").contains("not a scenario file"));
    assert!(
        refused(&mut engine, &with(&|s| s.format = "something-else".into())).contains("format")
    );
    assert!(refused(&mut engine, &with(&|s| s.version = 99)).contains("version 99"));
    assert!(refused(&mut engine, &with(&|s| s.speed = 1e9)).contains("speed"));
    assert!(
        refused(&mut engine, &with(&|s| s.entries.push("+0".into()))).contains("1 to 100000 ms")
    );
    assert!(
        refused(&mut engine, &with(&|s| s.entries.push("rm -rf /".into())))
            .contains("not a port request")
    );
    let subscribe = encode(&ToEngine::Subscribe {
        id: 1,
        query: Query::Cluster,
    });
    assert!(
        refused(&mut engine, &with(&|s| s.entries.push(subscribe.clone())))
            .contains("not a command")
    );
    let nested = encode(&ToEngine::Request {
        id: 1,
        command: Command::ImportScenario { text: "{}".into() },
    });
    assert!(
        refused(&mut engine, &with(&|s| s.entries.push(nested.clone()))).contains("not a command")
    );
    assert!(refused(
        &mut engine,
        &with(&|s| s.entries.push("+100000x1000".into()))
    )
    .contains("engine time"));
    assert!(refused(
        &mut engine,
        &with(&|s| s.entries = vec!["+1".into(); 200_001])
    )
    .contains("entries"));
    // A workload at 100,000 records/s for a minute: refused once the
    // replay holds more records than allowed.
    let workload = encode(&ToEngine::Request {
        id: 1,
        command: Command::SetWorkload {
            topic: "orders".into(),
            records_per_second: 100_000,
        },
    });
    let flood = with(&|s| s.entries.extend([workload.clone(), "+1000x60".to_owned()]));
    let error =
        LocalEngine::replay_with(&flood, 50_000, &mut || true).expect_err("too many records");
    assert!(
        error.message.contains("more than 50000 records"),
        "{}",
        error.message
    );
    let mut calls = 0;
    let slow = LocalEngine::replay(&export(&mut engine), &mut || {
        calls += 1;
        calls < 3
    });
    assert!(slow
        .expect_err("out of time")
        .message
        .contains("took too long"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_text_is_refused_or_replayed_never_a_panic(text in ".{0,400}") {
        let mut engine = LocalEngine::boot(5).expect("boots");
        let before = state(&engine);
        if engine.execute(Command::ImportScenario { text }).is_err() {
            prop_assert_eq!(state(&engine), before);
        }
    }

    #[test]
    fn a_damaged_scenario_is_refused_or_replayed_never_a_panic(cut in 0.0f64..1.0, flip in 0usize..5_000, byte in any::<u8>()) {
        let (mut engine, _) = busy_engine();
        let text = export(&mut engine);
        let mut bytes = text.into_bytes();
        let at = flip % bytes.len();
        bytes[at] = byte;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        bytes.truncate(((bytes.len() as f64) * (0.5 + cut / 2.0)) as usize);
        let damaged = String::from_utf8_lossy(&bytes).into_owned();
        let before = state(&engine);
        if engine.execute(Command::ImportScenario { text: damaged }).is_err() {
            prop_assert_eq!(state(&engine), before);
        }
    }
}
