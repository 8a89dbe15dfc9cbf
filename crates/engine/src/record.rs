//! Kafka's on-disk and on-wire record format: RecordBatch v2 (magic 2).
//!
//! Partition logs in the engine hold exactly the bytes a Kafka broker would
//! store: a 61-byte batch header (base offset, length, leader epoch, magic,
//! CRC-32C, attributes, offsets and timestamps, producer id/epoch, base
//! sequence, record count) followed by varint-encoded records, possibly
//! compressed. Records are encoded and decoded by the `kafka-protocol`
//! crate; this module adds what a broker needs on top: reading a batch's
//! header without decoding its records ([`BatchHeader`]), splitting a produce
//! request's record set into batches, assigning offsets in place (the base
//! offset and leader epoch lie outside the CRC, as in Kafka), stamping
//! `LogAppendTime`, and the lz4 and zstd codecs from pure-Rust crates so all
//! five of Kafka's compression types work in the browser.

use bytes::{Bytes, BytesMut};
use thiserror::Error;

mod codec;
#[cfg_attr(not(feature = "compact"), allow(dead_code))]
mod gzip;
mod snappy;

pub use kafka_protocol::records::Compression;

/// Size of the fixed RecordBatch v2 header, in bytes.
pub const BATCH_HEADER_BYTES: usize = 61;
/// Bytes before the `batchLength` field counts: baseOffset and batchLength.
pub const LOG_OVERHEAD: usize = 12;

// Field offsets within the v2 header (DefaultRecordBatch.java).
const BASE_OFFSET_AT: usize = 0;
const LENGTH_AT: usize = 8;
const LEADER_EPOCH_AT: usize = 12;
const MAGIC_AT: usize = 16;
const CRC_AT: usize = 17;
const ATTRIBUTES_AT: usize = 21;
const LAST_OFFSET_DELTA_AT: usize = 23;
const BASE_TIMESTAMP_AT: usize = 27;
const MAX_TIMESTAMP_AT: usize = 35;
const PRODUCER_ID_AT: usize = 43;
const PRODUCER_EPOCH_AT: usize = 51;
const BASE_SEQUENCE_AT: usize = 53;
const RECORD_COUNT_AT: usize = 57;

const COMPRESSION_MASK: i16 = 0x07;
const TIMESTAMP_TYPE_BIT: i16 = 0x08;
const TRANSACTIONAL_BIT: i16 = 0x10;
const CONTROL_BIT: i16 = 0x20;

/// Why bytes are not a valid record batch, or a batch could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RecordError {
    /// The bytes are truncated, have a bad length or CRC, or do not decode:
    /// Kafka answers such a produce request with `CORRUPT_MESSAGE`.
    #[error("corrupt record batch: {0}")]
    Corrupt(String),
    /// Only magic 2 batches exist in Kafka 4.x (older formats are gone).
    #[error("unsupported record batch magic {0}: only v2 (magic 2) is supported")]
    UnsupportedMagic(i8),
    /// A batch with no records: Kafka's producer never sends one.
    #[error("a record batch must contain at least one record")]
    Empty,
    /// The encoder refused the records (for example a batch over 2 GiB).
    #[error("could not encode record batch: {0}")]
    Encode(String),
}

/// How a batch's timestamps were set (attribute bit 3), and a topic's
/// `message.timestamp.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TimestampType {
    /// Set by the producer when the record was created (`CreateTime`).
    #[default]
    CreateTime,
    /// Set by the broker when the batch was appended (`LogAppendTime`).
    LogAppendTime,
}

impl TimestampType {
    /// The config value and the name Kafka's tools print, e.g. `LogAppendTime`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::CreateTime => "CreateTime",
            Self::LogAppendTime => "LogAppendTime",
        }
    }
}

impl std::fmt::Display for TimestampType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A record as a producer hands it over: key, value, headers, timestamp.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProducerRecord {
    /// The record key; `None` is a null key (distinct from an empty one).
    pub key: Option<Bytes>,
    /// The record value; `None` is a tombstone on a compacted topic.
    pub value: Option<Bytes>,
    /// Record headers in order; a header value may be null.
    pub headers: Vec<(String, Option<Bytes>)>,
    /// Creation timestamp in milliseconds since the epoch.
    pub timestamp: i64,
}

/// Producer identity written into a batch header. Non-idempotent producers
/// write `-1` for all three, as Kafka's clients do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProducerStamp {
    /// `producerId` from InitProducerId, or -1.
    pub producer_id: i64,
    /// `producerEpoch`, or -1.
    pub producer_epoch: i16,
    /// Sequence number of the batch's first record, or -1.
    pub base_sequence: i32,
}

impl ProducerStamp {
    /// The stamp of a producer without idempotence.
    pub const NONE: ProducerStamp = ProducerStamp {
        producer_id: -1,
        producer_epoch: -1,
        base_sequence: -1,
    };

    /// Whether this batch came from an idempotent (or transactional) producer.
    #[must_use]
    pub fn is_idempotent(&self) -> bool {
        self.producer_id >= 0
    }
}

/// A record read back out of a batch, with the offset the log gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// The record's offset in its partition.
    pub offset: i64,
    /// Its timestamp (the batch's `LogAppendTime` when the topic uses that).
    pub timestamp: i64,
    /// Which kind of timestamp `timestamp` is.
    pub timestamp_type: TimestampType,
    /// Key bytes, or `None` for a null key.
    pub key: Option<Bytes>,
    /// Value bytes, or `None` for a tombstone.
    pub value: Option<Bytes>,
    /// Headers in order.
    pub headers: Vec<(String, Option<Bytes>)>,
}

/// The fixed header of a RecordBatch v2, read without touching the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchHeader {
    /// Offset of the first record.
    pub base_offset: i64,
    /// Bytes after the `batchLength` field (the whole batch is this + 12).
    pub batch_length: i32,
    /// Epoch of the leader that appended the batch.
    pub partition_leader_epoch: i32,
    /// Always 2.
    pub magic: i8,
    /// CRC-32C of everything from the attributes to the end.
    pub crc: u32,
    /// Compression, timestamp type, transactional and control bits.
    pub attributes: i16,
    /// Offset of the last record minus the base offset.
    pub last_offset_delta: i32,
    /// Timestamp of the first record.
    pub base_timestamp: i64,
    /// Largest timestamp in the batch (the append time for LogAppendTime).
    pub max_timestamp: i64,
    /// Producer id, epoch and base sequence.
    pub producer: ProducerStamp,
    /// Number of records in the batch.
    pub record_count: i32,
}

impl BatchHeader {
    /// Reads the header at the start of `bytes`, checking the magic byte and
    /// that the length field fits both the header and `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<Self, RecordError> {
        if bytes.len() < BATCH_HEADER_BYTES {
            return Err(RecordError::Corrupt(format!(
                "{} bytes is shorter than the {BATCH_HEADER_BYTES}-byte batch header",
                bytes.len()
            )));
        }
        let magic = i8::from_be_bytes([bytes[MAGIC_AT]]);
        if magic != 2 {
            return Err(RecordError::UnsupportedMagic(magic));
        }
        let header = BatchHeader {
            base_offset: read_i64(bytes, BASE_OFFSET_AT),
            batch_length: read_i32(bytes, LENGTH_AT),
            partition_leader_epoch: read_i32(bytes, LEADER_EPOCH_AT),
            magic,
            crc: u32::from_be_bytes(read_array(bytes, CRC_AT)),
            attributes: i16::from_be_bytes(read_array(bytes, ATTRIBUTES_AT)),
            last_offset_delta: read_i32(bytes, LAST_OFFSET_DELTA_AT),
            base_timestamp: read_i64(bytes, BASE_TIMESTAMP_AT),
            max_timestamp: read_i64(bytes, MAX_TIMESTAMP_AT),
            producer: ProducerStamp {
                producer_id: read_i64(bytes, PRODUCER_ID_AT),
                producer_epoch: i16::from_be_bytes(read_array(bytes, PRODUCER_EPOCH_AT)),
                base_sequence: read_i32(bytes, BASE_SEQUENCE_AT),
            },
            record_count: read_i32(bytes, RECORD_COUNT_AT),
        };
        let total = header.total_size();
        if total < BATCH_HEADER_BYTES || total > bytes.len() {
            return Err(RecordError::Corrupt(format!(
                "batch length {} does not fit the {} bytes given",
                header.batch_length,
                bytes.len()
            )));
        }
        if header.record_count < 1 {
            return Err(RecordError::Empty);
        }
        if header.last_offset_delta < 0 {
            return Err(RecordError::Corrupt(format!(
                "negative last offset delta {}",
                header.last_offset_delta
            )));
        }
        Ok(header)
    }

    /// Size of the whole batch in bytes, including base offset and length.
    #[must_use]
    pub fn total_size(&self) -> usize {
        usize::try_from(self.batch_length).map_or(0, |len| len.saturating_add(LOG_OVERHEAD))
    }

    /// Offset of the last record in the batch.
    #[must_use]
    pub fn last_offset(&self) -> i64 {
        self.base_offset
            .saturating_add(i64::from(self.last_offset_delta))
    }

    /// The batch's compression codec (`None` for an unknown codec id).
    #[must_use]
    pub fn compression(&self) -> Option<Compression> {
        match self.attributes & COMPRESSION_MASK {
            0 => Some(Compression::None),
            1 => Some(Compression::Gzip),
            2 => Some(Compression::Snappy),
            3 => Some(Compression::Lz4),
            4 => Some(Compression::Zstd),
            _ => None,
        }
    }

    /// Whether timestamps are `CreateTime` or `LogAppendTime`.
    #[must_use]
    pub fn timestamp_type(&self) -> TimestampType {
        if self.attributes & TIMESTAMP_TYPE_BIT == 0 {
            TimestampType::CreateTime
        } else {
            TimestampType::LogAppendTime
        }
    }

    /// Whether the batch belongs to a transaction.
    #[must_use]
    pub fn is_transactional(&self) -> bool {
        self.attributes & TRANSACTIONAL_BIT != 0
    }

    /// Whether the batch holds control records (transaction markers).
    #[must_use]
    pub fn is_control(&self) -> bool {
        self.attributes & CONTROL_BIT != 0
    }
}

/// Encodes `records` as one RecordBatch v2 with base offset 0, as a
/// producer sends it (the first record's timestamp is the base timestamp,
/// as Kafka's clients write it). The broker assigns real offsets on append.
pub fn encode_batch(
    records: &[ProducerRecord],
    producer: ProducerStamp,
    compression: Compression,
) -> Result<Bytes, RecordError> {
    let first = records.first().ok_or(RecordError::Empty)?;
    let count =
        i32::try_from(records.len()).map_err(|_| RecordError::Encode("too many records".into()))?;
    let refs: Vec<codec::RecordRef<'_>> = records
        .iter()
        .zip(0..)
        .map(|(record, offset_delta)| codec::RecordRef {
            offset_delta,
            timestamp: record.timestamp,
            key: record.key.as_deref(),
            value: record.value.as_deref(),
            headers: &record.headers,
        })
        .collect();
    let spec = codec::BatchSpec {
        base_offset: 0,
        partition_leader_epoch: -1,
        flags: 0,
        last_offset_delta: count - 1,
        base_timestamp: first.timestamp,
        max_timestamp: records
            .iter()
            .map(|r| r.timestamp)
            .max()
            .unwrap_or(first.timestamp),
        producer,
    };
    codec::write_batch(&spec, &refs, compression)
}

/// Re-encodes records kept from a stored batch (the log cleaner's rewrite),
/// as Kafka's cleaner does for v2 batches: the base offset, last offset
/// delta, timestamps, producer id, epoch and base sequence, leader epoch,
/// attributes and codec all stay; only the dropped records are gone.
pub fn encode_retained(
    original: &BatchHeader,
    kept: &[StoredRecord],
) -> Result<Bytes, RecordError> {
    encode_like(
        original,
        kept,
        original.compression().unwrap_or(Compression::None),
    )
}

/// Rewrites a producer's batch with another codec, as a broker does when
/// the topic's `compression.type` names one: same records, offsets,
/// timestamps and producer stamp.
pub fn recompress(batch: &Bytes, to: Compression) -> Result<Bytes, RecordError> {
    let header = BatchHeader::parse(batch)?;
    let records = decode_batch(batch)?;
    encode_like(&header, &records, to)
}

fn encode_like(
    original: &BatchHeader,
    kept: &[StoredRecord],
    compression: Compression,
) -> Result<Bytes, RecordError> {
    if kept.is_empty() {
        return Err(RecordError::Empty);
    }
    let refs = kept
        .iter()
        .map(|record| {
            let delta = i32::try_from(record.offset - original.base_offset).map_err(|_| {
                RecordError::Encode(format!("offset {} is outside the batch", record.offset))
            })?;
            Ok(codec::RecordRef {
                offset_delta: delta,
                timestamp: record.timestamp,
                key: record.key.as_deref(),
                value: record.value.as_deref(),
                headers: &record.headers,
            })
        })
        .collect::<Result<Vec<_>, RecordError>>()?;
    let spec = codec::BatchSpec {
        base_offset: original.base_offset,
        partition_leader_epoch: original.partition_leader_epoch,
        flags: original.attributes & !COMPRESSION_MASK,
        last_offset_delta: original.last_offset_delta,
        base_timestamp: original.base_timestamp,
        max_timestamp: original.max_timestamp,
        producer: original.producer,
    };
    codec::write_batch(&spec, &refs, compression)
}

/// Decodes one batch (checking its CRC) into records with their offsets.
pub fn decode_batch(batch: &Bytes) -> Result<Vec<StoredRecord>, RecordError> {
    let header = BatchHeader::parse(batch)?;
    verify_crc(batch)?;
    codec::read_records(&header, batch)
}

/// The records section of one batch (checking its CRC), decompressed if
/// the batch is compressed: what the wire inspector labels record by
/// record.
pub fn records_section(batch: &Bytes) -> Result<Bytes, RecordError> {
    let header = BatchHeader::parse(batch)?;
    verify_crc(batch)?;
    let mut section = batch.slice(BATCH_HEADER_BYTES..header.total_size());
    match header.compression() {
        Some(Compression::None) => Ok(section),
        Some(codec) => decompress(&mut section, codec).map_err(RecordError::Corrupt),
        None => Err(RecordError::Corrupt(format!(
            "unknown compression codec in attributes {}",
            header.attributes
        ))),
    }
}

/// Splits a record set (a produce request's `records`, a fetch response)
/// into its batches, reading only the headers.
pub fn split_batches(records: &Bytes) -> Result<Vec<(BatchHeader, Bytes)>, RecordError> {
    let mut batches = Vec::new();
    let mut at = 0;
    while at < records.len() {
        let header = BatchHeader::parse(&records[at..])?;
        let end = at + header.total_size();
        batches.push((header, records.slice(at..end)));
        at = end;
    }
    Ok(batches)
}

/// Checks a batch's CRC-32C, as a broker does before appending it.
pub fn verify_crc(batch: &[u8]) -> Result<(), RecordError> {
    let header = BatchHeader::parse(batch)?;
    let actual = crate::crc::record_batch_crc(&batch[ATTRIBUTES_AT..header.total_size()]);
    if actual == header.crc {
        Ok(())
    } else {
        Err(RecordError::Corrupt(format!(
            "record is corrupt (stored crc = {}, computed crc = {actual})",
            header.crc
        )))
    }
}

/// Gives a batch its place in a log: writes `base_offset` and the leader's
/// `partition_leader_epoch`. Both fields lie before the CRC-covered part of
/// the header, so, as in Kafka, the CRC stays valid.
pub fn assign_offsets(batch: &mut [u8], base_offset: i64, partition_leader_epoch: i32) {
    write(batch, BASE_OFFSET_AT, &base_offset.to_be_bytes());
    write(
        batch,
        LEADER_EPOCH_AT,
        &partition_leader_epoch.to_be_bytes(),
    );
}

/// Marks a batch as `LogAppendTime` stamped `append_time` (the broker does
/// this when the topic's `message.timestamp.type` is `LogAppendTime`) and
/// recomputes the CRC, which covers both fields.
pub fn stamp_log_append_time(batch: &mut [u8], append_time: i64) -> Result<(), RecordError> {
    let header = BatchHeader::parse(batch)?;
    let attributes = header.attributes | TIMESTAMP_TYPE_BIT;
    write(batch, ATTRIBUTES_AT, &attributes.to_be_bytes());
    write(batch, MAX_TIMESTAMP_AT, &append_time.to_be_bytes());
    let crc = crate::crc::record_batch_crc(&batch[ATTRIBUTES_AT..header.total_size()]);
    write(batch, CRC_AT, &crc.to_be_bytes());
    Ok(())
}

fn write(batch: &mut [u8], at: usize, bytes: &[u8]) {
    if let Some(slot) = batch.get_mut(at..at + bytes.len()) {
        slot.copy_from_slice(bytes);
    }
}

fn read_array<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    let mut out = [0; N];
    if let Some(slice) = bytes.get(at..at + N) {
        out.copy_from_slice(slice);
    }
    out
}

fn read_i32(bytes: &[u8], at: usize) -> i32 {
    i32::from_be_bytes(read_array(bytes, at))
}

fn read_i64(bytes: &[u8], at: usize) -> i64 {
    i64::from_be_bytes(read_array(bytes, at))
}

/// Compresses encoded records for the batch encoder. gzip uses
/// kafka-protocol's own (pure-Rust) codec (through [`gzip`], the same bytes
/// without flate2, in the compact build); snappy is [`snappy`], the bytes
/// kafka-protocol's codec writes; lz4 (frame format, as Kafka's
/// `KafkaLZ4BlockOutputStream` writes it) and zstd come from lz4_flex and
/// ruzstd, since kafka-protocol's lz4/zstd features need C libraries.
///
/// Errors are plain text: kafka-protocol's codecs return `anyhow` errors,
/// which capture a backtrace, and calling them would link std's backtrace
/// printer into the browser's wasm (only the native build's gzip does).
fn compress(records: &mut BytesMut, out: &mut BytesMut, codec: Compression) -> Result<(), String> {
    let plain = records.split().freeze();
    match codec {
        Compression::None => out.extend_from_slice(&plain),
        #[cfg(feature = "compact")]
        Compression::Gzip => out.extend_from_slice(&gzip::compress(&plain)),
        #[cfg(not(feature = "compact"))]
        Compression::Gzip => {
            use kafka_protocol::compression::{Compressor, Gzip};
            Gzip::compress(out, |b| {
                b.extend_from_slice(&plain);
                Ok(())
            })
            .map_err(|e| e.to_string())?;
        }
        Compression::Snappy => out.extend_from_slice(&snappy::compress(&plain)?),
        Compression::Lz4 => {
            let mut encoder = lz4_flex::frame::FrameEncoder::new(Vec::new());
            std::io::Write::write_all(&mut encoder, &plain).map_err(|e| e.to_string())?;
            let compressed = encoder.finish().map_err(|e| e.to_string())?;
            out.extend_from_slice(&compressed);
        }
        Compression::Zstd => {
            let compressed = ruzstd::encoding::compress_to_vec(
                plain.as_ref(),
                ruzstd::encoding::CompressionLevel::Fastest,
            );
            out.extend_from_slice(&compressed);
        }
    }
    Ok(())
}

fn decompress(compressed: &mut Bytes, codec: Compression) -> Result<Bytes, String> {
    match codec {
        Compression::None => Ok(compressed.split_to(compressed.len())),
        // kafka-protocol's message for any gzip failure.
        #[cfg(feature = "compact")]
        Compression::Gzip => gzip::decompress(compressed)
            .map(Bytes::from)
            .ok_or_else(|| "Failed to decompress gzip".to_owned()),
        #[cfg(not(feature = "compact"))]
        Compression::Gzip => {
            use kafka_protocol::compression::{Decompressor, Gzip};
            Gzip::decompress(compressed, |b| Ok(b.split_to(b.len()))).map_err(|e| e.to_string())
        }
        Compression::Snappy => Ok(Bytes::from(snappy::decompress(compressed)?)),
        Compression::Lz4 => {
            let mut decoder = lz4_flex::frame::FrameDecoder::new(compressed.as_ref());
            let mut plain = Vec::new();
            std::io::Read::read_to_end(&mut decoder, &mut plain).map_err(|e| e.to_string())?;
            Ok(Bytes::from(plain))
        }
        Compression::Zstd => {
            let mut decoder = ruzstd::decoding::StreamingDecoder::new(compressed.as_ref())
                .map_err(|e| e.to_string())?;
            let mut plain = Vec::new();
            std::io::Read::read_to_end(&mut decoder, &mut plain).map_err(|e| e.to_string())?;
            Ok(Bytes::from(plain))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_CODECS: [Compression; 5] = [
        Compression::None,
        Compression::Gzip,
        Compression::Snappy,
        Compression::Lz4,
        Compression::Zstd,
    ];

    fn sample() -> Vec<ProducerRecord> {
        vec![
            ProducerRecord {
                key: Some(Bytes::from_static(b"user-1")),
                value: Some(Bytes::from_static(b"{\"clicks\":1}")),
                headers: vec![
                    ("trace".into(), Some(Bytes::from_static(b"abc"))),
                    ("empty".into(), None),
                ],
                timestamp: 1_700_000_000_000,
            },
            ProducerRecord {
                key: None,
                value: Some(Bytes::from(vec![b'x'; 300])),
                headers: vec![],
                timestamp: 1_700_000_000_007,
            },
            ProducerRecord {
                key: Some(Bytes::from_static(b"")),
                value: None,
                headers: vec![],
                timestamp: 1_700_000_000_003,
            },
        ]
    }

    #[test]
    fn round_trips_with_every_codec() {
        let records = sample();
        for codec in ALL_CODECS {
            let batch = encode_batch(&records, ProducerStamp::NONE, codec).unwrap();
            let header = BatchHeader::parse(&batch).unwrap();
            assert_eq!(header.total_size(), batch.len(), "{codec:?}");
            assert_eq!(header.compression(), Some(codec));
            assert_eq!(header.record_count, 3);
            assert_eq!(header.last_offset_delta, 2);
            assert_eq!(header.base_timestamp, 1_700_000_000_000);
            assert_eq!(header.max_timestamp, 1_700_000_000_007);
            assert_eq!(
                header.producer,
                ProducerStamp::NONE,
                "one batch, base sequence -1"
            );
            assert_eq!(header.timestamp_type(), TimestampType::CreateTime);
            verify_crc(&batch).unwrap();

            let decoded = decode_batch(&batch).unwrap();
            assert_eq!(decoded.len(), 3);
            for (offset, (got, want)) in decoded.iter().zip(&records).enumerate() {
                assert_eq!(got.offset, offset as i64);
                assert_eq!(got.key, want.key);
                assert_eq!(got.value, want.value);
                assert_eq!(got.headers, want.headers);
                assert_eq!(got.timestamp, want.timestamp);
            }
        }
    }

    #[test]
    fn compression_really_shrinks_repetitive_records() {
        let records: Vec<ProducerRecord> = (0..50)
            .map(|i| ProducerRecord {
                key: Some(Bytes::from(format!("sensor-{}", i % 5))),
                value: Some(Bytes::from(format!(
                    "{{\"temperature\": 21.{}, \"unit\": \"celsius\"}}",
                    i % 10
                ))),
                headers: vec![],
                timestamp: 1_700_000_000_000 + i,
            })
            .collect();
        let plain = encode_batch(&records, ProducerStamp::NONE, Compression::None)
            .unwrap()
            .len();
        for codec in [
            Compression::Gzip,
            Compression::Snappy,
            Compression::Lz4,
            Compression::Zstd,
        ] {
            let size = encode_batch(&records, ProducerStamp::NONE, codec)
                .unwrap()
                .len();
            assert!(
                size * 2 < plain,
                "{codec:?}: {size} bytes vs {plain} uncompressed"
            );
        }
    }

    #[test]
    fn idempotent_stamp_lands_in_the_header() {
        let stamp = ProducerStamp {
            producer_id: 4_000,
            producer_epoch: 2,
            base_sequence: 17,
        };
        let batch = encode_batch(&sample(), stamp, Compression::Lz4).unwrap();
        let header = BatchHeader::parse(&batch).unwrap();
        assert_eq!(header.producer, stamp);
        assert!(header.producer.is_idempotent());
        assert!(!header.is_transactional() && !header.is_control());
    }

    #[test]
    fn offsets_are_assigned_outside_the_crc() {
        let batch = encode_batch(&sample(), ProducerStamp::NONE, Compression::Gzip).unwrap();
        let mut stored = batch.to_vec();
        assign_offsets(&mut stored, 1_000, 7);
        verify_crc(&stored).unwrap();
        let header = BatchHeader::parse(&stored).unwrap();
        assert_eq!((header.base_offset, header.last_offset()), (1_000, 1_002));
        assert_eq!(header.partition_leader_epoch, 7);
        let offsets: Vec<i64> = decode_batch(&Bytes::from(stored))
            .unwrap()
            .iter()
            .map(|r| r.offset)
            .collect();
        assert_eq!(offsets, [1_000, 1_001, 1_002]);
    }

    #[test]
    fn log_append_time_rewrites_timestamps_and_crc() {
        let mut stored = encode_batch(&sample(), ProducerStamp::NONE, Compression::None)
            .unwrap()
            .to_vec();
        stamp_log_append_time(&mut stored, 1_800_000_000_000).unwrap();
        verify_crc(&stored).unwrap();
        let header = BatchHeader::parse(&stored).unwrap();
        assert_eq!(header.timestamp_type(), TimestampType::LogAppendTime);
        for record in decode_batch(&Bytes::from(stored)).unwrap() {
            assert_eq!(record.timestamp, 1_800_000_000_000);
            assert_eq!(record.timestamp_type, TimestampType::LogAppendTime);
        }
    }

    #[test]
    fn splits_a_record_set_into_batches() {
        let first = encode_batch(&sample(), ProducerStamp::NONE, Compression::None).unwrap();
        let second =
            encode_batch(&sample()[..1], ProducerStamp::NONE, Compression::Snappy).unwrap();
        let mut set = BytesMut::new();
        set.extend_from_slice(&first);
        set.extend_from_slice(&second);
        let batches = split_batches(&set.freeze()).unwrap();
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[0].1, first);
        assert_eq!(batches[1].1, second);
        assert_eq!(batches[1].0.record_count, 1);
    }

    #[test]
    fn bad_bytes_are_typed_errors() {
        assert!(matches!(
            BatchHeader::parse(&[0; 10]),
            Err(RecordError::Corrupt(_))
        ));
        let batch = encode_batch(&sample(), ProducerStamp::NONE, Compression::None).unwrap();
        assert!(matches!(
            split_batches(&batch.slice(..batch.len() - 1)),
            Err(RecordError::Corrupt(_))
        ));
        let mut old_magic = batch.to_vec();
        old_magic[MAGIC_AT] = 1;
        assert_eq!(
            BatchHeader::parse(&old_magic),
            Err(RecordError::UnsupportedMagic(1))
        );
        let mut flipped = batch.to_vec();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert!(matches!(verify_crc(&flipped), Err(RecordError::Corrupt(_))));
        assert!(matches!(
            decode_batch(&Bytes::from(flipped)),
            Err(RecordError::Corrupt(_))
        ));
        assert_eq!(
            encode_batch(&[], ProducerStamp::NONE, Compression::None),
            Err(RecordError::Empty)
        );
    }

    #[test]
    fn no_single_byte_corruption_panics_the_decoder() {
        // Flip each byte of each codec's batch and fix the CRC up, so the
        // damage reaches the record parser and the decompressors.
        for codec in ALL_CODECS {
            let batch = encode_batch(&sample(), ProducerStamp::NONE, codec).unwrap();
            for at in 0..batch.len() {
                for flip in [0x01_u8, 0x80, 0xff] {
                    let mut bad = batch.to_vec();
                    bad[at] ^= flip;
                    if let Ok(header) = BatchHeader::parse(&bad) {
                        let crc =
                            crate::crc::record_batch_crc(&bad[ATTRIBUTES_AT..header.total_size()]);
                        write(&mut bad, CRC_AT, &crc.to_be_bytes());
                    }
                    let _ = decode_batch(&Bytes::from(bad));
                }
            }
        }
    }

    // ----- differential tests against kafka-protocol -----------------------

    use kafka_protocol::indexmap::IndexMap;
    use kafka_protocol::protocol::StrBytes;
    use kafka_protocol::records::{
        Record as WireRecord, RecordBatchDecoder, RecordBatchEncoder, RecordEncodeOptions,
        TimestampType as WireTimestampType,
    };

    fn wire(
        records: &[ProducerRecord],
        stamp: ProducerStamp,
        sequences_rise: bool,
    ) -> Vec<WireRecord> {
        records
            .iter()
            .zip(0..)
            .map(|(r, i)| WireRecord {
                transactional: false,
                control: false,
                delete_horizon: false,
                partition_leader_epoch: -1,
                producer_id: stamp.producer_id,
                producer_epoch: stamp.producer_epoch,
                timestamp_type: WireTimestampType::Creation,
                offset: i64::from(i),
                sequence: if sequences_rise {
                    stamp.base_sequence.wrapping_add(i)
                } else {
                    stamp.base_sequence
                },
                timestamp: r.timestamp,
                key: r.key.clone(),
                value: r.value.clone(),
                headers: r
                    .headers
                    .iter()
                    .map(|(k, v)| (StrBytes::from_string(k.clone()), v.clone()))
                    .collect::<IndexMap<_, _>>(),
            })
            .collect()
    }

    fn ascending() -> Vec<ProducerRecord> {
        let mut records = sample();
        for (i, r) in records.iter_mut().enumerate() {
            r.timestamp = 1_700_000_000_000 + i as i64;
        }
        records
    }

    #[test]
    fn our_bytes_equal_kafka_protocols_where_both_can_write_the_batch() {
        let stamp = ProducerStamp {
            producer_id: 42,
            producer_epoch: 3,
            base_sequence: 100,
        };
        for codec in [Compression::None, Compression::Gzip, Compression::Snappy] {
            let ours = encode_batch(&ascending(), stamp, codec).unwrap();
            let mut theirs = BytesMut::new();
            let options = RecordEncodeOptions {
                version: 2,
                compression: codec,
            };
            RecordBatchEncoder::encode(&mut theirs, &wire(&ascending(), stamp, true), &options)
                .unwrap();
            if codec == Compression::None {
                assert_eq!(ours, theirs.freeze(), "byte for byte");
            } else {
                // Compressed bytes depend on the codec's settings; the
                // decoded records must agree.
                let decoded = RecordBatchDecoder::decode(&mut ours.clone()).unwrap();
                assert_eq!(decoded.records.len(), 3);
                for (theirs, mine) in decoded.records.iter().zip(decode_batch(&ours).unwrap()) {
                    assert_eq!(
                        (theirs.offset, theirs.timestamp),
                        (mine.offset, mine.timestamp)
                    );
                    assert_eq!((&theirs.key, &theirs.value), (&mine.key, &mine.value));
                    assert_eq!(theirs.headers.len(), mine.headers.len());
                }
            }
        }
    }

    #[test]
    fn we_read_what_kafka_protocol_writes() {
        let stamp = ProducerStamp {
            producer_id: 7,
            producer_epoch: 0,
            base_sequence: 0,
        };
        for codec in [Compression::None, Compression::Gzip, Compression::Snappy] {
            let mut theirs = BytesMut::new();
            let options = RecordEncodeOptions {
                version: 2,
                compression: codec,
            };
            RecordBatchEncoder::encode(&mut theirs, &wire(&ascending(), stamp, true), &options)
                .unwrap();
            let decoded = decode_batch(&theirs.freeze()).unwrap();
            let values: Vec<_> = decoded.iter().map(|r| r.value.clone()).collect();
            let expected: Vec<_> = ascending().into_iter().map(|r| r.value).collect();
            assert_eq!(values, expected, "{codec:?}");
            assert_eq!(decoded[0].headers, ascending()[0].headers);
        }
    }

    #[test]
    fn kafka_protocol_splits_a_non_idempotent_producers_batch() {
        // Why the engine writes records itself: given what a producer
        // without idempotence sends (every sequence -1), kafka-protocol
        // writes one batch per record instead of one batch.
        let mut theirs = BytesMut::new();
        let options = RecordEncodeOptions {
            version: 2,
            compression: Compression::None,
        };
        RecordBatchEncoder::encode(
            &mut theirs,
            &wire(&ascending(), ProducerStamp::NONE, false),
            &options,
        )
        .unwrap();
        assert_eq!(split_batches(&theirs.freeze()).unwrap().len(), 3);
        let ours = encode_batch(&ascending(), ProducerStamp::NONE, Compression::None).unwrap();
        assert_eq!(split_batches(&ours).unwrap().len(), 1);
    }

    #[test]
    fn the_base_timestamp_is_the_first_records_as_kafkas_clients_write_it() {
        let records = sample(); // timestamps 0, +7, +3 ms
        let batch = encode_batch(&records, ProducerStamp::NONE, Compression::None).unwrap();
        let header = BatchHeader::parse(&batch).unwrap();
        assert_eq!(header.base_timestamp, records[0].timestamp);
        assert_eq!(header.max_timestamp, 1_700_000_000_007);
        let decoded = decode_batch(&batch).unwrap();
        assert_eq!(
            decoded[2].timestamp, 1_700_000_000_003,
            "negative deltas are fine"
        );
    }
}
