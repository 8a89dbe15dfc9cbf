//! Produce → append → fetch throughput of the engine natively, against a
//! memcpy of the same bytes in the same run (`cargo bench -p engine`). The
//! workload is `engine::workload`, which the in-browser benchmark runs too.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use engine::record::{decode_batch, encode_batch, Compression, ProducerRecord, ProducerStamp};
use engine::workload;
use kafka_protocol::indexmap::IndexMap;
use kafka_protocol::records::{
    Record as WireRecord, RecordBatchDecoder, RecordBatchEncoder, RecordEncodeOptions,
    TimestampType,
};

const TOTAL_BYTES: usize = 64 * 1024 * 1024;

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

/// Encode + decode of the same batches by the engine's record codec and by
/// kafka-protocol's: why the engine writes records itself.
fn codec_comparison(value_len: usize) {
    let records = workload::records(TOTAL_BYTES / 4 / (value_len + 8), value_len);
    let per_batch = (workload::BATCH_SIZE / (value_len + 20)).max(1);
    let wire: Vec<Vec<WireRecord>> = records
        .chunks(per_batch)
        .map(|chunk| {
            chunk
                .iter()
                .zip(0..)
                .map(|(r, i): (&ProducerRecord, i64)| WireRecord {
                    transactional: false,
                    control: false,
                    delete_horizon: false,
                    partition_leader_epoch: -1,
                    producer_id: 1,
                    producer_epoch: 0,
                    timestamp_type: TimestampType::Creation,
                    offset: i,
                    sequence: i32::try_from(i).unwrap_or(0),
                    timestamp: r.timestamp,
                    key: r.key.clone(),
                    value: r.value.clone(),
                    headers: IndexMap::new(),
                })
                .collect()
        })
        .collect();
    let stamp = ProducerStamp {
        producer_id: 1,
        producer_epoch: 0,
        base_sequence: 0,
    };
    let ours = best_of(5, || {
        for chunk in records.chunks(per_batch) {
            let batch = encode_batch(chunk, stamp, Compression::None).expect("encode");
            black_box(decode_batch(&batch).expect("decode"));
        }
    });
    let options = RecordEncodeOptions {
        version: 2,
        compression: Compression::None,
    };
    let theirs = best_of(5, || {
        for chunk in &wire {
            let mut buf = BytesMut::new();
            RecordBatchEncoder::encode(&mut buf, chunk, &options).expect("encode");
            black_box(RecordBatchDecoder::decode(&mut buf.freeze()).expect("decode"));
        }
    });
    let mb = workload::payload_bytes(&records) as f64 / 1e6;
    println!(
        "codec  {value_len:>5} B records: engine {:>8.1} MB/s, kafka-protocol {:>8.1} MB/s (encode + decode), {:.2}x",
        mb / ours.as_secs_f64(),
        mb / theirs.as_secs_f64(),
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
}

fn main() {
    for value_len in [100_usize, 1024] {
        codec_comparison(value_len);
    }
    for value_len in [100_usize, 1024] {
        let records = workload::records(TOTAL_BYTES / (value_len + 8), value_len);
        let bytes = workload::payload_bytes(&records);
        let mut sink = Vec::with_capacity(bytes);
        let engine = best_of(5, || {
            let read = workload::round(&records).expect("the workload runs");
            assert_eq!(read, records.len(), "every record comes back");
        });
        // memcpy is cheap and noisy here: take its best of many runs.
        let copy = best_of(30, || {
            workload::memcpy_round(&records, &mut sink);
            black_box(&sink);
        });
        let mb = bytes as f64 / 1e6;
        let engine_rate = mb / engine.as_secs_f64();
        let copy_rate = mb / copy.as_secs_f64();
        println!(
            "native {value_len:>5} B records: {} records, produce→append→fetch {engine_rate:>8.1} MB/s, memcpy {copy_rate:>8.1} MB/s, ratio {:.1}%",
            records.len(),
            100.0 * engine_rate / copy_rate
        );
    }
}
