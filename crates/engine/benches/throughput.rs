//! Produce → append → fetch throughput of the engine, against a memcpy of
//! the same bytes measured in the same run (`cargo bench -p engine`).
//!
//! Each round encodes records into RecordBatch v2 batches of up to
//! `batch.size` (16384) bytes as a producer does, appends them to a
//! partition leader (acks=1, one broker), then fetches and decodes every
//! record as a consumer does. The figure is payload bytes (keys + values)
//! per second; the ratio compares it with copying those bytes once.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use engine::clock::Millis;
use engine::cluster::{Acks, Cluster, ClusterConfig, NewTopic};
use engine::record::{decode_batch, encode_batch, Compression, ProducerRecord, ProducerStamp};

const BATCH_SIZE: usize = 16_384;
const TOTAL_BYTES: usize = 64 * 1024 * 1024;

fn records(value_len: usize) -> Vec<ProducerRecord> {
    let count = TOTAL_BYTES / (value_len + 8);
    (0..count)
        .map(|i| ProducerRecord {
            key: Some(Bytes::from(format!("k{:07}", i % 10_000_000))),
            value: Some(Bytes::from(vec![(i % 251) as u8; value_len])),
            headers: vec![],
            timestamp: 1_700_000_000_000 + i as i64,
        })
        .collect()
}

fn payload_bytes(records: &[ProducerRecord]) -> usize {
    records
        .iter()
        .map(|r| r.key.as_ref().map_or(0, Bytes::len) + r.value.as_ref().map_or(0, Bytes::len))
        .sum()
}

/// One full produce → append → fetch → decode round; returns records read.
fn round(records: &[ProducerRecord], value_len: usize) -> usize {
    let config = ClusterConfig {
        broker_count: 1,
        memory_limit_bytes: u64::MAX,
        ..ClusterConfig::default()
    };
    let mut cluster = Cluster::new(config, 1, Millis(0)).expect("valid config");
    cluster
        .create_topic(NewTopic::new("bench", 1, 1).config("segment.bytes", "1073741824"))
        .expect("topic");
    let per_batch = (BATCH_SIZE / (value_len + 20)).max(1);
    for chunk in records.chunks(per_batch) {
        let batch = encode_batch(chunk, ProducerStamp::NONE, Compression::None).expect("encode");
        cluster.produce("bench", 0, batch.clone(), Acks::Leader, 0).expect("produce");
    }
    let mut offset = 0;
    let mut read = 0;
    loop {
        let data = cluster.fetch("bench", 0, offset, 1 << 20).expect("fetch");
        if data.batches.is_empty() {
            break;
        }
        for batch in &data.batches {
            let decoded = decode_batch(&batch.bytes).expect("decode");
            read += decoded.len();
            offset = batch.header.last_offset() + 1;
            black_box(decoded);
        }
    }
    read
}

fn memcpy_round(records: &[ProducerRecord], into: &mut Vec<u8>) {
    into.clear();
    for r in records {
        if let Some(k) = &r.key {
            into.extend_from_slice(k);
        }
        if let Some(v) = &r.value {
            into.extend_from_slice(v);
        }
    }
    black_box(&into);
}

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    for value_len in [100_usize, 1024] {
        let records = records(value_len);
        let bytes = payload_bytes(&records);
        let mut sink = Vec::with_capacity(bytes);
        let engine = best_of(5, || {
            let read = round(&records, value_len);
            assert_eq!(read, records.len(), "every record comes back");
        });
        let copy = best_of(5, || memcpy_round(&records, &mut sink));
        let mb = bytes as f64 / 1e6;
        let engine_rate = mb / engine.as_secs_f64();
        let copy_rate = mb / copy.as_secs_f64();
        println!(
            "{value_len:>5} B records: {} records, produce→append→fetch {engine_rate:>8.1} MB/s, memcpy {copy_rate:>8.1} MB/s, ratio {:.1}%",
            records.len(),
            100.0 * engine_rate / copy_rate
        );
    }
}
