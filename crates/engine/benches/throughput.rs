//! Produce → append → fetch throughput of the engine natively, against a
//! memcpy of the same bytes in the same run (`cargo bench -p engine`). The
//! workload is `engine::workload`, which the in-browser benchmark runs too.

use std::hint::black_box;
use std::time::{Duration, Instant};

use engine::workload;

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

fn main() {
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
