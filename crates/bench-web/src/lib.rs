//! The engine's produce → append → fetch workload ([`engine::workload`])
//! compiled to wasm, with a memcpy of the same bytes timed in the same page,
//! so `make bench` can compare the browser with the native figures; and the
//! Avro codec beside avsc ([`avro`]).

use wasm_bindgen::prelude::*;

mod avro;

use engine::workload;

/// Runs the workload on `total_bytes` of records with `value_len`-byte
/// values, best of `runs`, and returns
/// `{"records":…,"bytes":…,"engine_ms":…,"memcpy_ms":…}` as JSON text.
#[wasm_bindgen]
pub fn throughput(value_len: usize, total_bytes: usize, runs: u32) -> Result<String, JsValue> {
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or_else(|| JsValue::from_str("no performance clock"))?;
    let records = workload::records(total_bytes / (value_len + 8), value_len);
    let bytes = workload::payload_bytes(&records);
    let mut engine_ms = f64::INFINITY;
    for _ in 0..runs.max(1) {
        let start = performance.now();
        let read = workload::round(&records).map_err(|e| JsValue::from_str(&e.to_string()))?;
        engine_ms = engine_ms.min(performance.now() - start);
        if read != records.len() {
            return Err(JsValue::from_str("records went missing"));
        }
    }
    let mut sink = Vec::with_capacity(bytes);
    let mut memcpy_ms = f64::INFINITY;
    for _ in 0..runs.max(1) * 6 {
        let start = performance.now();
        workload::memcpy_round(&records, &mut sink);
        memcpy_ms = memcpy_ms.min(performance.now() - start);
    }
    if sink.len() != bytes {
        return Err(JsValue::from_str("memcpy copied the wrong amount"));
    }
    Ok(format!(
        "{{\"records\":{},\"bytes\":{bytes},\"engine_ms\":{engine_ms},\"memcpy_ms\":{memcpy_ms}}}",
        records.len()
    ))
}

/// Assignment time of one assignor (`range`, `roundrobin`, `sticky`,
/// `cooperative-sticky`) for `members` members subscribed to `topics`
/// topics of `partitions_per_topic` partitions: a first assignment and a
/// reassignment after one member left ([`workload::assignor_round`]), best
/// of `runs`. Returns `{"ms":…,"partitions":…}` as JSON text.
#[wasm_bindgen]
pub fn assignor(
    name: &str,
    members: usize,
    topics: usize,
    partitions_per_topic: i32,
    runs: u32,
) -> Result<String, JsValue> {
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or_else(|| JsValue::from_str("no performance clock"))?;
    let kind: engine::group::assignor::AssignorKind = name
        .parse()
        .map_err(|e: engine::group::assignor::AssignorError| JsValue::from_str(&e.to_string()))?;
    let (partitions, subscriptions) =
        workload::assignor_group(members, topics, partitions_per_topic);
    let mut best = f64::INFINITY;
    let mut assigned = 0;
    for _ in 0..runs.max(1) {
        let start = performance.now();
        let (first, _) = workload::assignor_round(kind, &partitions, &subscriptions)
            .map_err(|e| JsValue::from_str(&e.to_string()))?;
        best = best.min(performance.now() - start);
        assigned = first;
    }
    Ok(format!("{{\"ms\":{best},\"partitions\":{assigned}}}"))
}
