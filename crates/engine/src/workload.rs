//! A synthetic produce → append → fetch workload, the same one the native
//! benchmark (`cargo bench -p engine`) and the in-browser benchmark run, so
//! their figures compare.
//!
//! Records are encoded into RecordBatch v2 batches of up to `batch.size`
//! (16384) bytes as a producer does, appended to a single-broker
//! partition's leader (acks=1), fetched back in 1 MiB fetches and decoded
//! record by record as a consumer does. The reference is a copy of the same
//! key and value bytes into one buffer (a memcpy), measured by the caller.

use bytes::Bytes;

use crate::clock::Millis;
use crate::cluster::{Acks, Cluster, ClusterConfig, NewTopic};
use crate::error::KafkaError;
use crate::record::{decode_batch, encode_batch, Compression, ProducerRecord, ProducerStamp};

/// Bytes per producer batch, Java's default `batch.size`.
pub const BATCH_SIZE: usize = 16_384;

/// `count` records with an 8-byte key and a `value_len`-byte value.
#[must_use]
pub fn records(count: usize, value_len: usize) -> Vec<ProducerRecord> {
    (0..count)
        .map(|i| ProducerRecord {
            key: Some(Bytes::from(format!("k{:07}", i % 10_000_000))),
            value: Some(Bytes::from(vec![(i % 251) as u8; value_len])),
            headers: vec![],
            timestamp: 1_700_000_000_000 + i as i64,
        })
        .collect()
}

/// Key and value bytes of `records`: what the throughput figure counts.
#[must_use]
pub fn payload_bytes(records: &[ProducerRecord]) -> usize {
    records
        .iter()
        .map(|r| r.key.as_ref().map_or(0, Bytes::len) + r.value.as_ref().map_or(0, Bytes::len))
        .sum()
}

/// One produce → append → fetch → decode round over `records`; returns
/// how many records came back.
pub fn round(records: &[ProducerRecord]) -> Result<usize, KafkaError> {
    let config = ClusterConfig {
        broker_count: 1,
        memory_limit_bytes: u64::MAX,
        ..ClusterConfig::default()
    };
    let mut cluster = Cluster::new(config, 1, Millis(0))?;
    cluster.create_topic(NewTopic::new("bench", 1, 1))?;
    let value_len = records
        .first()
        .and_then(|r| r.value.as_ref())
        .map_or(0, Bytes::len);
    let per_batch = (BATCH_SIZE / (value_len + 20)).max(1);
    let corrupt = |e: crate::record::RecordError| {
        KafkaError::new(crate::error::ErrorCode::CorruptMessage, e.to_string())
    };
    for chunk in records.chunks(per_batch) {
        let batch = encode_batch(chunk, ProducerStamp::NONE, Compression::None).map_err(corrupt)?;
        cluster.produce("bench", 0, batch, Acks::Leader, 0)?;
    }
    let mut offset = 0;
    let mut read = 0;
    loop {
        let data = cluster.fetch("bench", 0, offset, 1 << 20)?;
        if data.batches.is_empty() {
            return Ok(read);
        }
        for batch in &data.batches {
            read += decode_batch(&batch.bytes).map_err(corrupt)?.len();
            offset = batch.header.last_offset() + 1;
        }
    }
}

/// The reference: copies the key and value bytes of `records` into `into`.
pub fn memcpy_round(records: &[ProducerRecord], into: &mut Vec<u8>) {
    into.clear();
    for r in records {
        if let Some(k) = &r.key {
            into.extend_from_slice(k);
        }
        if let Some(v) = &r.value {
            into.extend_from_slice(v);
        }
    }
}

/// The assignor benchmark's group: `members` members all subscribed to
/// `topics` topics of `partitions_per_topic` partitions each.
#[must_use]
pub fn assignor_group(
    members: usize,
    topics: usize,
    partitions_per_topic: i32,
) -> (
    crate::group::assignor::PartitionsPerTopic,
    crate::collections::OrdMap<String, crate::group::assignor::Subscription>,
) {
    use crate::group::assignor::{PartitionsPerTopic, Subscription};
    let names: Vec<String> = (0..topics).map(|t| format!("topic-{t:04}")).collect();
    let mut partitions = PartitionsPerTopic::new();
    for name in &names {
        partitions.insert_topic(name.clone(), partitions_per_topic);
    }
    let subscriptions = (0..members)
        .map(|m| {
            (
                format!("consumer-{m:05}"),
                Subscription::new(names.iter().cloned()),
            )
        })
        .collect();
    (partitions, subscriptions)
}

/// One assignment by `kind` over the group, then a reassignment after the
/// first member left, with every other member announcing what it owns
/// (owned partitions and generation, plus the sticky assignor's user
/// data), as a real rebalance does. Returns the partitions assigned each
/// time, which the caller checks.
///
/// # Errors
///
/// What the assignor reports.
pub fn assignor_round(
    kind: crate::group::assignor::AssignorKind,
    partitions: &crate::group::assignor::PartitionsPerTopic,
    subscriptions: &crate::collections::OrdMap<String, crate::group::assignor::Subscription>,
) -> Result<(usize, usize), crate::group::assignor::AssignorError> {
    use crate::group::assignor::{MemberState, PartitionAssignor};
    let first = kind.assign(partitions, subscriptions)?;
    let first_total = first.values().map(Vec::len).sum();
    let mut next = subscriptions.clone();
    if let Some(gone) = next.keys().next().cloned() {
        next.remove(&gone);
    }
    for (id, subscription) in &mut next {
        let owned = first.get(id).cloned().unwrap_or_default();
        let state = MemberState {
            assigned: owned.clone(),
            generation: 1,
        };
        subscription.user_data = kind.subscription_user_data(Some(&state))?;
        subscription.owned_partitions = owned;
        subscription.generation_id = Some(1);
    }
    let second = kind.assign(partitions, &next)?;
    Ok((first_total, second.values().map(Vec::len).sum()))
}

// ---------------------------------------------------------------------------
// Avro records for the codec benchmark
// ---------------------------------------------------------------------------

/// The small record of the Avro benchmark: one string field.
pub const AVRO_SMALL_SCHEMA: &str =
    r#"{"type":"record","name":"Greeting","fields":[{"name":"message","type":"string"}]}"#;

/// The larger record of the Avro benchmark: a nested record with several
/// strings, a union, an array and a map.
pub const AVRO_LARGE_SCHEMA: &str = r#"{"type":"record","name":"Order","namespace":"shop","fields":[
  {"name":"id","type":"long"},
  {"name":"customer","type":{"type":"record","name":"Customer","fields":[
    {"name":"name","type":"string"},
    {"name":"email","type":"string"},
    {"name":"address","type":{"type":"record","name":"Address","fields":[
      {"name":"street","type":"string"},
      {"name":"city","type":"string"},
      {"name":"zip","type":"string"}]}}]}},
  {"name":"coupon","type":["null","string"],"default":null},
  {"name":"items","type":{"type":"array","items":"string"}},
  {"name":"attributes","type":{"type":"map","values":"string"}}]}"#;

/// The `i`-th small record.
#[must_use]
pub fn avro_small(i: usize) -> crate::avro::Datum<'static> {
    use crate::avro::Datum;
    Datum::Record(vec![Datum::String(
        format!("hello, consumer number {i}").into(),
    )])
}

/// The `i`-th larger record (every other one has a coupon).
#[must_use]
pub fn avro_large(i: usize) -> crate::avro::Datum<'static> {
    use crate::avro::Datum;
    let s = |text: String| Datum::String(text.into());
    Datum::Record(vec![
        Datum::Long(1_000_000 + i as i64),
        Datum::Record(vec![
            s(format!("Customer {i}")),
            s(format!("customer{i}@example.com")),
            Datum::Record(vec![
                s(format!("{} Main Street", i % 1000)),
                s("Springfield".to_owned()),
                s(format!("{:05}", i % 100_000)),
            ]),
        ]),
        if i % 2 == 0 {
            Datum::Union(1, Box::new(s(format!("SAVE{}", i % 50))))
        } else {
            Datum::Union(0, Box::new(Datum::Null))
        },
        Datum::Array(
            (0..3)
                .map(|k| s(format!("sku-{}", (i + k) % 997)))
                .collect(),
        ),
        Datum::Map(vec![
            ("channel".into(), s("web".to_owned())),
            (
                "priority".into(),
                s(if i % 3 == 0 { "high" } else { "normal" }.to_owned()),
            ),
        ]),
    ])
}
