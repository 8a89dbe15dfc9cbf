//! A record batch's bytes with every byte labelled: the wire inspector.
//!
//! The engine answers [`crate::Query::Batch`] with the bytes of the
//! RecordBatch (v2, as stored and fetched) that holds an offset, and, for a
//! compressed batch, its records section decompressed
//! ([`BatchBytesModel`]). [`annotate`] reads those bytes field by field, as
//! Kafka's `DefaultRecordBatch` and `DefaultRecord` lay them out, into
//! [`Span`]s named as Kafka's protocol guide names them (`baseOffset`,
//! `attributes`, `timestampDelta`, `keyLength`, …). It is pure, takes
//! untrusted bytes, and never panics: what does not parse ends the spans
//! with a [`Anatomy::problem`] and the rest labelled as unread.

use crate::time::utc;
use serde::{Deserialize, Serialize};

/// The RecordBatch v2 header's length.
pub const BATCH_HEADER_BYTES: usize = 61;

/// The bytes of the batch holding an offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchBytesModel {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The offset asked about.
    pub offset: i64,
    /// The whole batch as stored, hex (at most [`BatchBytesModel::MAX_BYTES`]).
    pub batch: String,
    /// For a compressed batch, its records section decompressed, hex (at
    /// most [`BatchBytesModel::MAX_BYTES`]).
    pub records: Option<String>,
    /// Whether either was cut at [`BatchBytesModel::MAX_BYTES`].
    pub cut: bool,
}

impl BatchBytesModel {
    /// The most bytes of a batch (or its decompressed records) a model
    /// carries: 256 KiB, 512 KiB as hex.
    pub const MAX_BYTES: usize = 256 << 10;
}

/// Which part of the format a span belongs to (its colour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// A field of the batch header.
    Header,
    /// The compressed records section.
    Compressed,
    /// A record's framing: length, attributes, deltas, lengths, counts.
    Record,
    /// A record's key.
    Key,
    /// A record's value.
    Value,
    /// A record header's key or value.
    Headers,
    /// The Confluent wire format's magic byte and schema id.
    Confluent,
    /// Bytes that could not be read.
    Unread,
}

/// A run of bytes and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Where it starts in its section.
    pub start: usize,
    /// How many bytes.
    pub len: usize,
    /// What kind of bytes.
    pub part: Part,
    /// Kafka's name for the field (`baseOffset`, `valueLength`).
    pub field: String,
    /// What the bytes mean (`2`, `gzip, CreateTime`, `"user-42"`).
    pub value: String,
    /// The offset of the record the span belongs to.
    pub record: Option<i64>,
}

/// A batch read field by field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Anatomy {
    /// Spans over the batch's bytes, in order, covering all of them.
    pub batch: Vec<Span>,
    /// For a compressed batch: spans over the decompressed records.
    pub records: Vec<Span>,
    /// The codec (`none`, `gzip`, `snappy`, `lz4`, `zstd`).
    pub codec: String,
    /// The first thing that did not parse, if any.
    pub problem: Option<String>,
}

/// Lower-case hex of `bytes`.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// The bytes of hex text.
///
/// # Errors
///
/// A sentence if the text has an odd length or a non-hex character.
pub fn unhex(text: &str) -> Result<Vec<u8>, String> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(format!("{:?} is not a hex digit", char::from(c))),
    };
    let text = text.as_bytes();
    if text.len() % 2 != 0 {
        return Err("hex text has an odd number of digits".to_owned());
    }
    text.chunks_exact(2)
        .map(|pair| Ok(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// The codecs by their id in a batch's attributes (its low three bits), as
/// `compression.type` names them.
pub const CODECS: [&str; 5] = ["none", "gzip", "snappy", "lz4", "zstd"];

/// Reads `batch` (and, if it is compressed, its decompressed `records`)
/// into labelled spans.
#[must_use]
pub fn annotate(batch: &[u8], records: Option<&[u8]>) -> Anatomy {
    let mut anatomy = Anatomy::default();
    let mut r = Cursor {
        bytes: batch,
        at: 0,
        spans: Vec::new(),
        record: None,
    };
    let header = r.header();
    anatomy.codec = header.as_ref().map_or_else(
        |_| "?".to_owned(),
        |h| (*CODECS.get(usize::from(h.codec)).unwrap_or(&"?")).to_owned(),
    );
    match header {
        Err(problem) => anatomy.problem = Some(problem),
        Ok(h) if h.codec == 0 => {
            if let Err(problem) = r.records(&h) {
                anatomy.problem = Some(problem);
            }
        }
        Ok(h) => {
            let len = batch.len() - r.at;
            r.push(
                len,
                Part::Compressed,
                "records",
                format!(
                    "{} records, {}-compressed ({len} bytes)",
                    h.count, anatomy.codec
                ),
            );
            let mut inner = Cursor {
                bytes: records.unwrap_or_default(),
                at: 0,
                spans: Vec::new(),
                record: None,
            };
            if records.is_none() {
                anatomy.problem = Some("the decompressed records were not sent".to_owned());
            } else if let Err(problem) = inner.records(&h) {
                anatomy.problem = Some(problem);
            }
            inner.rest();
            anatomy.records = inner.spans;
        }
    }
    r.rest();
    anatomy.batch = r.spans;
    anatomy
}

/// The header fields the records need.
#[derive(Debug, Clone, Copy)]
struct Header {
    base_offset: i64,
    base_timestamp: i64,
    codec: u8,
    count: i32,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    spans: Vec<Span>,
    record: Option<i64>,
}

impl Cursor<'_> {
    fn push(&mut self, len: usize, part: Part, field: &str, value: String) {
        self.spans.push(Span {
            start: self.at,
            len,
            part,
            field: field.to_owned(),
            value,
            record: self.record,
        });
        self.at += len;
    }

    fn take(&self, len: usize, what: &str) -> Result<&[u8], String> {
        self.bytes
            .get(self.at..self.at.saturating_add(len))
            .ok_or_else(|| {
                format!(
                    "{what} at byte {} runs past the {} bytes there",
                    self.at,
                    self.bytes.len()
                )
            })
    }

    fn int(&mut self, len: usize, field: &str) -> Result<i64, String> {
        let bytes = self.take(len, field)?;
        let mut value = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
            -1_i64
        } else {
            0
        };
        for b in bytes {
            value = value << 8 | i64::from(*b);
        }
        Ok(value)
    }

    fn field(
        &mut self,
        len: usize,
        field: &str,
        show: impl Fn(i64) -> String,
    ) -> Result<i64, String> {
        let value = self.int(len, field)?;
        self.push(len, Part::Header, field, show(value));
        Ok(value)
    }

    fn header(&mut self) -> Result<Header, String> {
        let plain = |v: i64| v.to_string();
        let base_offset = self.field(8, "baseOffset", plain)?;
        self.field(4, "batchLength", |v| format!("{v} bytes follow"))?;
        self.field(4, "partitionLeaderEpoch", plain)?;
        let magic = self.field(1, "magic", plain)?;
        if magic != 2 {
            return Err(format!(
                "magic {magic}: only RecordBatch v2 (magic 2) is read here"
            ));
        }
        self.field(4, "crc", |v| format!("CRC-32C {:08x}", v & 0xffff_ffff))?;
        let attributes = self.int(2, "attributes")?;
        let codec = u8::try_from(attributes & 7).unwrap_or(0);
        let mut meaning = vec![
            (*CODECS.get(usize::from(codec)).unwrap_or(&"unknown codec")).to_owned(),
            if attributes & 8 == 0 {
                "CreateTime"
            } else {
                "LogAppendTime"
            }
            .to_owned(),
        ];
        if attributes & 16 != 0 {
            meaning.push("transactional".to_owned());
        }
        if attributes & 32 != 0 {
            meaning.push("control batch".to_owned());
        }
        self.push(2, Part::Header, "attributes", meaning.join(", "));
        self.field(4, "lastOffsetDelta", |v| {
            format!("{v} (last offset {})", base_offset.saturating_add(v))
        })?;
        let base_timestamp = self.field(8, "baseTimestamp", |v| format!("{v} ({})", utc(v)))?;
        self.field(8, "maxTimestamp", |v| format!("{v} ({})", utc(v)))?;
        self.field(8, "producerId", |v| {
            if v < 0 {
                "-1 (no producer id: not idempotent)".to_owned()
            } else {
                v.to_string()
            }
        })?;
        self.field(2, "producerEpoch", plain)?;
        self.field(4, "baseSequence", |v| {
            if v < 0 {
                "-1".to_owned()
            } else {
                format!("{v} (records {v}…)")
            }
        })?;
        let count = self.field(4, "recordsCount", plain)?;
        Ok(Header {
            base_offset,
            base_timestamp,
            codec,
            count: i32::try_from(count).unwrap_or(0),
        })
    }

    fn varint(
        &mut self,
        field: &str,
        part: Part,
        show: impl Fn(i64) -> String,
    ) -> Result<i64, String> {
        let start = self.at;
        let mut raw: u64 = 0;
        let mut shift = 0;
        loop {
            let byte = *self
                .bytes
                .get(self.at)
                .ok_or_else(|| format!("{field} at byte {start} runs past the end"))?;
            self.at += 1;
            raw |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return Err(format!("{field} at byte {start} is longer than a varlong"));
            }
        }
        // ZigZag.
        let value = (raw >> 1) as i64 ^ -((raw & 1) as i64);
        let len = self.at - start;
        self.at = start;
        self.push(len, part, field, show(value));
        Ok(value)
    }

    fn bytes_field(
        &mut self,
        len_field: &str,
        field: &str,
        part: Part,
    ) -> Result<Option<Vec<u8>>, String> {
        let len = self.varint(len_field, Part::Record, |v| {
            if v < 0 {
                format!("{v} (null)")
            } else {
                format!("{v} bytes")
            }
        })?;
        let Ok(len) = usize::try_from(len) else {
            return Ok(None);
        };
        let bytes = self.take(len, field)?.to_vec();
        if part == Part::Value && len >= 5 && bytes[0] == 0 {
            let id = i32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
            self.push(
                1,
                Part::Confluent,
                "magic byte",
                "0 (Confluent wire format)".to_owned(),
            );
            self.push(4, Part::Confluent, "schema id", id.to_string());
            self.push(
                len - 5,
                Part::Value,
                "payload",
                format!("{} bytes, e.g. Avro binary", len - 5),
            );
        } else {
            self.push(len, part, field, text(&bytes));
        }
        Ok(Some(bytes))
    }

    fn records(&mut self, header: &Header) -> Result<(), String> {
        for _ in 0..header.count.max(0) {
            self.record = None;
            let length = self.varint("length", Part::Record, |v| format!("{v} bytes follow"))?;
            let body = self.at;
            let attributes = self.int(1, "attributes")?;
            self.push(
                1,
                Part::Record,
                "attributes",
                format!("{attributes} (unused)"),
            );
            let base_timestamp = header.base_timestamp;
            self.varint("timestampDelta", Part::Record, |v| {
                format!("+{v} ms ({})", utc(base_timestamp.saturating_add(v)))
            })?;
            let base_offset = header.base_offset;
            let delta = self.varint("offsetDelta", Part::Record, |v| {
                format!("+{v} (offset {})", base_offset.saturating_add(v))
            })?;
            let offset = base_offset.saturating_add(delta);
            for span in self.spans.iter_mut().rev().take(4) {
                span.record = Some(offset);
            }
            self.record = Some(offset);
            self.bytes_field("keyLength", "key", Part::Key)?;
            self.bytes_field("valueLength", "value", Part::Value)?;
            let count = self.varint("headersCount", Part::Record, |v| v.to_string())?;
            for _ in 0..count.max(0) {
                self.bytes_field("headerKeyLength", "headerKey", Part::Headers)?;
                self.bytes_field("headerValueLength", "headerValue", Part::Headers)?;
            }
            let read = i64::try_from(self.at - body).unwrap_or(i64::MAX);
            if read != length {
                return Err(format!("the record at offset {offset} has {read} bytes of fields but its length says {length}"));
            }
        }
        self.record = None;
        Ok(())
    }

    /// Labels whatever is left as unread.
    fn rest(&mut self) {
        if self.at < self.bytes.len() {
            self.record = None;
            let len = self.bytes.len() - self.at;
            self.push(len, Part::Unread, "unread", format!("{len} bytes"));
        }
    }
}

/// Bytes as text when they are printable UTF-8, else as a byte count.
fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') => {
            let cut: String = s.chars().take(80).collect();
            if cut.len() < s.len() {
                format!("\"{cut}…\"")
            } else {
                format!("\"{cut}\"")
            }
        }
        _ => format!("{} bytes (binary)", bytes.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(unhex(&hex(&bytes)), Ok(bytes));
        assert!(unhex("abc").is_err());
        assert!(unhex("zz").is_err());
    }

    #[test]
    fn utc_matches_known_instants() {}

    #[test]
    fn garbage_never_panics_and_every_byte_is_labelled() {
        let mut seed = 7_u64;
        for len in 0..300 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    (seed >> 56) as u8
                })
                .collect();
            let mut framed = bytes.clone();
            if framed.len() > 16 {
                framed[16] = 2;
            }
            for input in [&bytes, &framed] {
                let anatomy = annotate(input, Some(input));
                let covered: usize = anatomy.batch.iter().map(|s| s.len).sum();
                assert_eq!(covered, input.len());
            }
        }
    }
}
