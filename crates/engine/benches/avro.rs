//! Records per second through the Avro codec natively (`cargo bench -p
//! engine --bench avro`), for the two records of the benchmark workload
//! (`engine::workload::AVRO_*`), beside apache-avro's generic path on the
//! same data for scale. The in-browser comparison with avsc runs the same
//! records.

use std::hint::black_box;
use std::time::{Duration, Instant};

use apache_avro::writer::datum::GenericDatumWriter;
use apache_avro::Schema;
use engine::avro::Codec;
use engine::workload;

const RECORDS: usize = 200_000;

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

fn bench(name: &str, schema_text: &str, make: fn(usize) -> engine::avro::Datum<'static>) {
    let schema = Schema::parse_str(schema_text).expect("schema");
    let codec = Codec::new(&schema).expect("codec");
    let data: Vec<_> = (0..RECORDS).map(make).collect();
    let mut buf = Vec::with_capacity(RECORDS * 128);
    let mut ends = Vec::with_capacity(RECORDS);
    for datum in &data {
        codec.encode(datum, &mut buf).expect("encode");
        ends.push(buf.len());
    }
    let bytes = buf.len();
    let mut out = Vec::with_capacity(bytes);
    let encode = best_of(5, || {
        out.clear();
        for datum in &data {
            codec.encode(datum, &mut out).expect("encode");
        }
        black_box(&out);
    });
    let decode = best_of(5, || {
        let mut input = buf.as_slice();
        for _ in 0..RECORDS {
            black_box(codec.decode(&mut input).expect("decode"));
        }
    });
    // apache-avro's generic path on the same values, for scale.
    let values: Vec<_> = data
        .iter()
        .map(|d| codec.writer().to_value(d).expect("value"))
        .collect();
    let writer = GenericDatumWriter::builder(&schema)
        .build()
        .expect("writer");
    let apache_encode = best_of(3, || {
        for value in &values {
            black_box(writer.write_value_to_vec(value.clone()).expect("encode"));
        }
    });
    let apache_decode = best_of(3, || {
        let mut input = buf.as_slice();
        for _ in 0..RECORDS {
            #[allow(deprecated)]
            black_box(apache_avro::from_avro_datum(&schema, &mut input, None).expect("decode"));
        }
    });
    let rate = |d: Duration| RECORDS as f64 / d.as_secs_f64() / 1e6;
    println!(
        "avro {name:>5} ({:>3} B/record): encode {:>6.2} M records/s, decode {:>6.2} M records/s | apache-avro encode {:>5.2} M/s (incl. value clone), decode {:>5.2} M/s",
        bytes / RECORDS,
        rate(encode),
        rate(decode),
        rate(apache_encode),
        rate(apache_decode),
    );
}

fn main() {
    bench("small", workload::AVRO_SMALL_SCHEMA, workload::avro_small);
    bench("large", workload::AVRO_LARGE_SCHEMA, workload::avro_large);
}
