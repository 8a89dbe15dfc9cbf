//! Property tests of the cluster's guarantees under random operations:
//! offsets stay contiguous, no replica's high watermark passes its log end,
//! and with `acks=all`, RF=3 and `min.insync.replicas=2`, no acknowledged
//! record is lost while any single broker is stopped and restarted.

use std::collections::{BTreeSet, HashMap};

use bytes::Bytes;
use engine::clock::Millis;
use engine::cluster::{
    Acks, Cluster, ClusterConfig, NetworkCut, NewTopic, OffsetSpec, ProduceOutcome, RequestId,
};
use engine::record::{decode_batch, encode_batch, Compression, ProducerRecord, ProducerStamp};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Produce { partition: i32, records: usize },
    Stop(i32),
    Isolate(i32, bool),
    Start,
    Advance(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2_i32, 1..4_usize).prop_map(|(partition, records)| Op::Produce { partition, records }),
        1 => (1..=3_i32).prop_map(Op::Stop),
        1 => (1..=3_i32, any::<bool>()).prop_map(|(b, everything)| Op::Isolate(b, everything)),
        1 => Just(Op::Start),
        3 => (0..40_000_i64).prop_map(Op::Advance),
    ]
}

fn values(cluster: &Cluster, partition: i32) -> Vec<String> {
    let start = cluster
        .list_offsets("t", partition, OffsetSpec::Earliest)
        .unwrap()
        .unwrap();
    cluster
        .fetch("t", partition, start, u64::MAX)
        .unwrap()
        .batches
        .iter()
        .flat_map(|b| decode_batch(&b.bytes).unwrap())
        .map(|r| String::from_utf8(r.value.unwrap().to_vec()).unwrap())
        .collect()
}

fn check_logs(cluster: &Cluster) {
    for partition in 0..2 {
        for broker in 1..=3 {
            let log = cluster.replica_log("t", partition, broker).unwrap();
            assert!(
                log.high_watermark() <= log.log_end_offset(),
                "HW <= LEO on broker {broker}"
            );
            assert!(log.log_start_offset() <= log.high_watermark());
            let mut next = log.log_start_offset();
            for batch in log.segments().flat_map(|s| s.batches.iter()) {
                assert_eq!(
                    batch.header.base_offset, next,
                    "offsets contiguous on broker {broker}"
                );
                next = batch.header.last_offset() + 1;
            }
            assert_eq!(next, log.log_end_offset());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn acks_all_with_min_isr_2_never_loses_an_acknowledged_record(ops in prop::collection::vec(op(), 1..60)) {
        let config = ClusterConfig { broker_count: 3, ..ClusterConfig::default() };
        let mut cluster = Cluster::new(config, 11, Millis(0)).unwrap();
        cluster.create_topic(NewTopic::new("t", 2, 3).config("min.insync.replicas", "2")).unwrap();
        let mut waiting: HashMap<RequestId, (i32, Vec<String>)> = HashMap::new();
        let mut acked: Vec<BTreeSet<String>> = vec![BTreeSet::new(), BTreeSet::new()];
        // At most one broker is faulted at a time: (broker, isolated?).
        let mut stopped: Option<(i32, bool)> = None;
        let mut counter = 0;
        for op in ops {
            let done = match op {
                Op::Produce { partition, records } => {
                    let batch_values: Vec<String> = (0..records).map(|_| { counter += 1; format!("v{counter}") }).collect();
                    let records: Vec<ProducerRecord> = batch_values
                        .iter()
                        .map(|v| ProducerRecord { value: Some(Bytes::from(v.clone())), timestamp: cluster.now().0, ..ProducerRecord::default() })
                        .collect();
                    let bytes = encode_batch(&records, ProducerStamp::NONE, Compression::None).unwrap();
                    if let Ok(ProduceOutcome::Pending(id)) = cluster.produce("t", partition, bytes.clone(), Acks::All, 30_000) {
                        waiting.insert(id, (partition, batch_values));
                    }
                    Vec::new()
                }
                Op::Stop(broker) if stopped.is_none() => {
                    cluster.stop_broker(broker).unwrap();
                    stopped = Some((broker, false));
                    Vec::new()
                }
                Op::Isolate(broker, everything) if stopped.is_none() => {
                    let cut = if everything { NetworkCut::Everything } else { NetworkCut::DataOnly };
                    cluster.isolate_broker(broker, cut).unwrap();
                    stopped = Some((broker, true));
                    Vec::new()
                }
                Op::Start => {
                    match stopped.take() {
                        Some((broker, false)) => cluster.start_broker(broker).unwrap(),
                        Some((broker, true)) => cluster.heal_broker(broker).unwrap(),
                        None => {}
                    }
                    Vec::new()
                }
                Op::Stop(_) | Op::Isolate(..) => Vec::new(),
                Op::Advance(ms) => cluster.advance(ms),
            };
            for completion in done {
                if let Some((partition, values)) = waiting.remove(&completion.request) {
                    if completion.result.is_ok() {
                        acked[partition as usize].extend(values);
                    }
                }
            }
            check_logs(&cluster);
            // Whatever is stopped, the current leader holds everything
            // acknowledged (consumers see it once the new leader's high
            // watermark catches up).
            for partition in 0..2 {
                if let Some(leader) = cluster.describe_topic("t").unwrap().partitions[partition as usize].leader {
                    let log = cluster.replica_log("t", partition, leader).unwrap();
                    let readable: BTreeSet<String> = log
                        .read(log.log_start_offset(), u64::MAX, log.log_end_offset())
                        .unwrap()
                        .batches
                        .iter()
                        .flat_map(|b| decode_batch(&b.bytes).unwrap())
                        .map(|r| String::from_utf8(r.value.unwrap().to_vec()).unwrap())
                        .collect();
                    let missing: Vec<&String> = acked[partition as usize].difference(&readable).collect();
                    prop_assert!(missing.is_empty(), "acknowledged but lost: {:?}", missing);
                }
            }
        }
        match stopped {
            Some((broker, false)) => cluster.start_broker(broker).unwrap(),
            Some((broker, true)) => cluster.heal_broker(broker).unwrap(),
            None => {}
        }
        cluster.advance(1);
        for partition in 0..2 {
            let all = values(&cluster, partition);
            let unique: BTreeSet<&String> = all.iter().collect();
            prop_assert_eq!(unique.len(), all.len(), "no duplicates without retries");
            for value in &acked[partition as usize] {
                prop_assert!(all.contains(value), "lost {}", value);
            }
        }
    }
}
