//! No input panics the engine: arbitrary admin requests, record bytes,
//! offsets, broker ids and producer settings give typed errors or work.

use bytes::Bytes;
use engine::clock::Millis;
use engine::cluster::{Acks, Cluster, ClusterConfig, NetworkCut, NewTopic, OffsetSpec};
use engine::playground::Playground;
use engine::producer_config::{ClientFlavour, ProducerConfig};
use engine::record::{encode_batch, Compression, ProducerRecord, ProducerStamp};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Call {
    Create(String, i32, i16, Vec<(String, String)>),
    Alter(String, Vec<(String, String)>, Vec<String>),
    Grow(String, i32),
    Delete(String),
    Produce(String, i32, Vec<u8>, i16, i64),
    ProduceValid(String, i32, usize),
    Fetch(String, i32, i64, u64),
    ListOffsets(String, i32, i64),
    Stop(i32),
    Start(i32),
    Isolate(i32, bool),
    Heal(i32),
    Advance(i64),
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("t".to_owned()),
        1 => Just("__consumer_offsets".to_owned()),
        1 => "[a-zA-Z0-9._-]{0,12}",
        1 => any::<String>(),
    ]
}

fn config() -> impl Strategy<Value = (String, String)> {
    let key = prop_oneof![
        Just("retention.ms".to_owned()),
        Just("segment.bytes".to_owned()),
        Just("cleanup.policy".to_owned()),
        Just("max.message.bytes".to_owned()),
        Just("min.insync.replicas".to_owned()),
        Just("compression.type".to_owned()),
        Just("message.timestamp.type".to_owned()),
        any::<String>(),
    ];
    let value = prop_oneof![
        Just("-1".to_owned()),
        Just("0".to_owned()),
        Just("compact".to_owned()),
        Just("zstd".to_owned()),
        Just("LogAppendTime".to_owned()),
        "-?[0-9]{1,20}",
        any::<String>(),
    ];
    (key, value)
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        (
            name(),
            -2..2000_i32,
            -2..5_i16,
            prop::collection::vec(config(), 0..3)
        )
            .prop_map(|(n, p, r, c)| Call::Create(n, p, r, c)),
        (
            name(),
            prop::collection::vec(config(), 0..3),
            prop::collection::vec(any::<String>(), 0..2)
        )
            .prop_map(|(n, s, d)| Call::Alter(n, s, d)),
        (name(), -5..1200_i32).prop_map(|(n, p)| Call::Grow(n, p)),
        name().prop_map(Call::Delete),
        (
            name(),
            -2..4_i32,
            prop::collection::vec(any::<u8>(), 0..200),
            -3..3_i16,
            -10..1000_i64
        )
            .prop_map(|(n, p, b, a, t)| Call::Produce(n, p, b, a, t)),
        (name(), -1..4_i32, 0..5_usize).prop_map(|(n, p, c)| Call::ProduceValid(n, p, c)),
        (name(), -2..4_i32, any::<i64>(), any::<u64>())
            .prop_map(|(n, p, o, m)| Call::Fetch(n, p, o, m)),
        (name(), -2..4_i32, any::<i64>()).prop_map(|(n, p, t)| Call::ListOffsets(n, p, t)),
        (-1..5_i32).prop_map(Call::Stop),
        (-1..5_i32).prop_map(Call::Start),
        (-1..5_i32, any::<bool>()).prop_map(|(b, e)| Call::Isolate(b, e)),
        (-1..5_i32).prop_map(Call::Heal),
        prop_oneof![any::<i64>(), 0..100_000_i64].prop_map(Call::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_cluster_never_panics(calls in prop::collection::vec(call(), 1..40)) {
        let config = ClusterConfig { broker_count: 3, memory_limit_bytes: 1 << 20, ..ClusterConfig::default() };
        let mut cluster = Cluster::new(config, 1, Millis(0)).unwrap();
        for call in calls {
            match call {
                Call::Create(n, p, r, c) => {
                    let mut topic = NewTopic::new(n, p, r);
                    topic.configs = c;
                    let _ = cluster.create_topic(topic);
                }
                Call::Alter(n, s, d) => { let _ = cluster.alter_topic_configs(&n, &s, &d); }
                Call::Grow(n, p) => { let _ = cluster.create_partitions(&n, p); }
                Call::Delete(n) => { let _ = cluster.delete_topic(&n); }
                Call::Produce(n, p, b, a, t) => {
                    if let Ok(acks) = Acks::from_wire(a) {
                        let _ = cluster.produce(&n, p, Bytes::from(b), acks, t);
                    }
                }
                Call::ProduceValid(n, p, count) => {
                    let records: Vec<ProducerRecord> = (0..count)
                        .map(|i| ProducerRecord { key: (i % 2 == 0).then(|| Bytes::from_static(b"k")), value: Some(Bytes::from_static(b"v")), ..ProducerRecord::default() })
                        .collect();
                    if let Ok(batch) = encode_batch(&records, ProducerStamp::NONE, Compression::Snappy) {
                        let _ = cluster.produce(&n, p, batch, Acks::All, 1_000);
                    }
                }
                Call::Fetch(n, p, o, m) => { let _ = cluster.fetch(&n, p, o, m); }
                Call::ListOffsets(n, p, t) => {
                    let _ = cluster.list_offsets(&n, p, OffsetSpec::Timestamp(t));
                    let _ = cluster.list_offsets(&n, p, OffsetSpec::Earliest);
                }
                Call::Stop(b) => { let _ = cluster.stop_broker(b); }
                Call::Start(b) => { let _ = cluster.start_broker(b); }
                Call::Isolate(b, e) => {
                    let cut = if e { NetworkCut::Everything } else { NetworkCut::DataOnly };
                    let _ = cluster.isolate_broker(b, cut);
                }
                Call::Heal(b) => { let _ = cluster.heal_broker(b); }
                Call::Advance(ms) => { let _ = cluster.advance(ms); }
            }
            prop_assert!(cluster.memory_used() <= 1 << 20, "the memory cap holds");
        }
    }

    #[test]
    fn producers_never_panic(
        flavour in prop_oneof![Just(ClientFlavour::Java), Just(ClientFlavour::Librdkafka)],
        settings in prop::collection::vec(
            (prop_oneof![Just("linger.ms"), Just("batch.size"), Just("acks"), Just("compression.type"), Just("retries"), Just("max.in.flight.requests.per.connection"), Just("request.timeout.ms")],
             prop_oneof![Just("0".to_owned()), Just("1".to_owned()), Just("all".to_owned()), Just("lz4".to_owned()), "[0-9]{1,7}"]),
            0..4),
        sends in prop::collection::vec((name(), prop::option::of(-1..4_i32), prop::collection::vec(any::<u8>(), 0..64)), 1..20),
    ) {
        let cluster = Cluster::new(ClusterConfig::default(), 2, Millis(0)).unwrap();
        let mut playground = Playground::new(cluster, 2);
        let pairs: Vec<(&str, String)> = settings.iter().map(|(k, v)| (*k, v.clone())).collect();
        let Ok((config, _)) = ProducerConfig::parse(flavour, &pairs) else { return Ok(()) };
        let Ok(producer) = playground.add_producer(config, 1) else { return Ok(()) };
        playground.faults_mut().set_loss(100, 100);
        for (topic, partition, value) in sends {
            let record = ProducerRecord { value: Some(Bytes::from(value)), ..ProducerRecord::default() };
            let _ = playground.send(producer, &topic, partition, record);
            playground.step(3);
        }
        playground.flush(producer, 200_000);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Consumers take any seek, pause, poll size, commit, time step and
    /// group call (subscribe, patterns, close, crash) in any order.
    #[test]
    fn consumers_never_panic(
        reset in prop_oneof![Just("earliest"), Just("latest"), Just("none"), Just("by_duration:PT1S")],
        calls in prop::collection::vec((0..14_u8, any::<i64>(), 0..4_i32, 0..600_usize), 1..30),
    ) {
        use engine::consumer_config::ConsumerConfig;
        use engine::group::assignor::TopicPartition;
        let mut playground = Playground::new(Cluster::new(ClusterConfig::default(), 3, Millis(0)).unwrap(), 3);
        playground.cluster_mut().create_topic(NewTopic::new("t", 2, 2)).unwrap();
        let (config, _) = ConsumerConfig::parse(ClientFlavour::Java, &[("group.id", "g"), ("auto.offset.reset", reset)]).unwrap();
        let consumer = playground.add_consumer(config);
        let partitions = vec![TopicPartition::new("t", 0), TopicPartition::new("t", 1), TopicPartition::new("missing", 0)];
        playground.consumer_mut(consumer).unwrap().assign(partitions).unwrap();
        let (config, _) = ConsumerConfig::parse(ClientFlavour::Librdkafka, &[("group.id", "g2"), ("session.timeout.ms", "6000")]).unwrap();
        let member = playground.add_consumer(config);
        for (call, number, partition, size) in calls {
            let tp = TopicPartition::new("t", partition);
            match call {
                0 => { let _ = playground.consumer_mut(consumer).unwrap().seek(&tp, number); }
                1 => playground.consumer_mut(consumer).unwrap().set_paused(&tp, number % 2 == 0),
                2 => { let _ = playground.poll(consumer, size); }
                3 => { let _ = playground.commit(consumer); }
                4 => playground.step(number.rem_euclid(10_000)),
                // Group calls on a second, subscribing consumer: any order,
                // any topic (existing, missing, empty, a bad pattern).
                6 => { let _ = playground.subscribe(member, &[["t", "missing", "", "^t.*", "^(bad"][partition as usize % 5]]); }
                7 => { let _ = playground.subscribe_pattern(member, ["t", ".*", "(bad"][partition as usize % 3]); }
                8 => { let _ = playground.poll(member, size); }
                9 => { let _ = playground.commit_async(member); let _ = playground.commit(member); }
                10 => { let _ = if number % 2 == 0 { playground.unsubscribe(member) } else { playground.close(member) }; }
                11 => { let _ = playground.poll_timeout(member, size, number.rem_euclid(5_000)); }
                12 => playground.crash_consumer(member),
                _ => {
                    let records = vec![ProducerRecord { value: Some(Bytes::from_static(b"v")), ..ProducerRecord::default() }];
                    let batch = encode_batch(&records, ProducerStamp::NONE, Compression::None).unwrap();
                    let _ = playground.cluster_mut().produce("t", partition % 2, batch, Acks::Leader, 1);
                }
            }
        }
    }
}
