//! The engine's Avro codec ([`engine::avro::Codec`]) on the two records of
//! the Avro benchmark ([`workload::AVRO_SMALL_SCHEMA`] and
//! [`workload::AVRO_LARGE_SCHEMA`]), timed inside wasm so the page can set
//! it beside avsc on the same records (`scripts/bench-avro.mjs`).
//!
//! The data are built once, outside the timing, in the codec's own value
//! model ([`engine::avro::Datum`]), as avsc gets JavaScript objects built
//! once. The page receives the same records as plain JSON (to build its
//! objects), the schema text and the engine's encodings (to check that
//! avsc writes the same bytes).

use std::hint::black_box;

use engine::avro::{Codec, Datum, JsonMode};
use engine::workload;
use wasm_bindgen::prelude::*;

/// One benchmark record kind with its data, encoded once.
#[wasm_bindgen]
pub struct AvroBench {
    schema: &'static str,
    codec: Codec,
    data: Vec<Datum<'static>>,
    /// Every record's encoding, back to back.
    encoded: Vec<u8>,
    /// Where each record's encoding ends in `encoded`.
    ends: Vec<u32>,
    /// The encode loop's output buffer, reused from run to run.
    out: Vec<u8>,
}

fn js_error(e: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&e.to_string())
}

#[wasm_bindgen]
impl AvroBench {
    /// `count` records of kind `record` (`small` or `large`), compiled
    /// schema and data ready, every record encoded once.
    #[wasm_bindgen(constructor)]
    pub fn new(record: &str, count: usize) -> Result<AvroBench, JsValue> {
        let (schema, make): (&'static str, fn(usize) -> Datum<'static>) = match record {
            "small" => (workload::AVRO_SMALL_SCHEMA, workload::avro_small),
            "large" => (workload::AVRO_LARGE_SCHEMA, workload::avro_large),
            other => return Err(JsValue::from_str(&format!("unknown record kind {other}"))),
        };
        let parsed = apache_avro::Schema::parse_str(schema).map_err(js_error)?;
        let codec = Codec::new(&parsed).map_err(js_error)?;
        let data: Vec<_> = (0..count).map(make).collect();
        let mut encoded = Vec::new();
        let mut ends = Vec::with_capacity(count);
        for datum in &data {
            codec.encode(datum, &mut encoded).map_err(js_error)?;
            ends.push(u32::try_from(encoded.len()).map_err(js_error)?);
        }
        let out = Vec::with_capacity(encoded.len());
        Ok(AvroBench {
            schema,
            codec,
            data,
            encoded,
            ends,
            out,
        })
    }

    /// The schema's JSON text.
    pub fn schema(&self) -> String {
        self.schema.to_owned()
    }

    /// The records as one JSON array of plain JSON values (unions
    /// unwrapped, maps as objects): what avsc takes.
    pub fn records_json(&self) -> Result<String, JsValue> {
        let mut text = String::from("[");
        for (i, datum) in self.data.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(
                &self
                    .codec
                    .writer()
                    .to_json(datum, JsonMode::Plain)
                    .map_err(js_error)?,
            );
        }
        text.push(']');
        Ok(text)
    }

    /// Every record's encoding, back to back.
    pub fn encoded(&self) -> Vec<u8> {
        self.encoded.clone()
    }

    /// Where each record's encoding ends in [`AvroBench::encoded`].
    pub fn ends(&self) -> Vec<u32> {
        self.ends.clone()
    }

    /// Checks that every record decodes back to itself, through the
    /// back-to-back stream and one record at a time.
    pub fn check_round_trip(&self) -> Result<(), JsValue> {
        let mut input = self.encoded.as_slice();
        let mut start = 0;
        for (datum, &end) in self.data.iter().zip(&self.ends) {
            let decoded = self.codec.decode(&mut input).map_err(js_error)?;
            let alone = self
                .codec
                .decode_slice(&self.encoded[start..end as usize])
                .map_err(js_error)?;
            if decoded != *datum || alone != *datum {
                return Err(JsValue::from_str("a record did not decode back to itself"));
            }
            start = end as usize;
        }
        if input.is_empty() {
            Ok(())
        } else {
            Err(JsValue::from_str("bytes left after the last record"))
        }
    }

    /// Best of `runs` times (ms) to encode every record, appended to one
    /// reused buffer (cleared before each run).
    pub fn encode_ms(&mut self, runs: u32) -> Result<f64, JsValue> {
        let clock = performance()?;
        let mut best = f64::INFINITY;
        for _ in 0..runs.max(1) {
            let start = clock.now();
            self.out.clear();
            for datum in &self.data {
                self.codec.encode(datum, &mut self.out).map_err(js_error)?;
            }
            black_box(&self.out);
            best = best.min(clock.now() - start);
        }
        if self.out != self.encoded {
            return Err(JsValue::from_str("the timed encoding differs"));
        }
        Ok(best)
    }

    /// Best of `runs` times (ms) to decode every record from the
    /// back-to-back stream into a full [`Datum`] (strings borrow the input,
    /// as the codec decodes them), each dropped before the next.
    pub fn decode_ms(&self, runs: u32) -> Result<f64, JsValue> {
        let clock = performance()?;
        let mut best = f64::INFINITY;
        for _ in 0..runs.max(1) {
            let start = clock.now();
            let mut input = self.encoded.as_slice();
            for _ in 0..self.ends.len() {
                black_box(self.codec.decode(&mut input).map_err(js_error)?);
            }
            best = best.min(clock.now() - start);
        }
        Ok(best)
    }

    /// [`AvroBench::decode_ms`] with every string copied out of the input
    /// ([`Datum::into_owned`]): what a caller that keeps the values after
    /// the bytes are gone pays.
    pub fn decode_owned_ms(&self, runs: u32) -> Result<f64, JsValue> {
        let clock = performance()?;
        let mut best = f64::INFINITY;
        for _ in 0..runs.max(1) {
            let start = clock.now();
            let mut input = self.encoded.as_slice();
            for _ in 0..self.ends.len() {
                black_box(
                    self.codec
                        .decode(&mut input)
                        .map_err(js_error)?
                        .into_owned(),
                );
            }
            best = best.min(clock.now() - start);
        }
        Ok(best)
    }
}

fn performance() -> Result<web_sys::Performance, JsValue> {
    web_sys::window()
        .and_then(|w| w.performance())
        .ok_or_else(|| JsValue::from_str("no performance clock"))
}
