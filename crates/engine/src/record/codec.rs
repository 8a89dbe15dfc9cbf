//! The records inside a RecordBatch v2, written and read by hand.
//!
//! Each record is a varint length, an attributes byte, varlong timestamp
//! delta, varint offset delta, varint-length key and value (-1 = null) and
//! varint-counted headers (`DefaultRecord` in Kafka). kafka-protocol can
//! do this too; this module exists because it was measurably slow in the
//! engine's hot path (an `IndexMap` and several `Bytes` clones per record)
//! and cannot write what a broker writes: the first record's timestamp as
//! the base timestamp (what Kafka's clients write), `LogAppendTime`, or a
//! compacted batch that keeps its original base offset, last offset delta
//! and base sequence. The tests check its bytes against kafka-protocol's
//! where both can express a batch.

use bytes::{BufMut, Bytes, BytesMut};

use super::{
    compress, decompress, BatchHeader, Compression, ProducerStamp, RecordError, StoredRecord,
    TimestampType, ATTRIBUTES_AT, BATCH_HEADER_BYTES, CRC_AT, LENGTH_AT, LOG_OVERHEAD,
};

/// A record to write, borrowed from its owner.
pub(crate) struct RecordRef<'a> {
    pub(crate) offset_delta: i32,
    pub(crate) timestamp: i64,
    pub(crate) key: Option<&'a [u8]>,
    pub(crate) value: Option<&'a [u8]>,
    pub(crate) headers: &'a [(String, Option<Bytes>)],
}

/// The header fields of a batch to write.
pub(crate) struct BatchSpec {
    pub(crate) base_offset: i64,
    pub(crate) partition_leader_epoch: i32,
    /// Attributes except the compression bits.
    pub(crate) flags: i16,
    pub(crate) last_offset_delta: i32,
    pub(crate) base_timestamp: i64,
    pub(crate) max_timestamp: i64,
    pub(crate) producer: ProducerStamp,
}

/// Writes one batch: header, records (compressed with `compression`) and
/// the CRC-32C over everything from the attributes on.
pub(crate) fn write_batch(
    spec: &BatchSpec,
    records: &[RecordRef<'_>],
    compression: Compression,
) -> Result<Bytes, RecordError> {
    let count =
        i32::try_from(records.len()).map_err(|_| RecordError::Encode("too many records".into()))?;
    if count == 0 {
        return Err(RecordError::Empty);
    }
    let estimate: usize = records.iter().map(|r| record_size_hint(r)).sum();
    let mut out = BytesMut::with_capacity(BATCH_HEADER_BYTES + estimate);
    out.put_i64(spec.base_offset);
    out.put_i32(0); // batch length, patched below
    out.put_i32(spec.partition_leader_epoch);
    out.put_i8(2);
    out.put_u32(0); // CRC, patched below
    out.put_i16(spec.flags | compression as i16);
    out.put_i32(spec.last_offset_delta);
    out.put_i64(spec.base_timestamp);
    out.put_i64(spec.max_timestamp);
    out.put_i64(spec.producer.producer_id);
    out.put_i16(spec.producer.producer_epoch);
    out.put_i32(spec.producer.base_sequence);
    out.put_i32(count);
    if compression == Compression::None {
        for record in records {
            write_record(&mut out, record, spec.base_timestamp);
        }
    } else {
        let mut plain = BytesMut::with_capacity(estimate);
        for record in records {
            write_record(&mut plain, record, spec.base_timestamp);
        }
        compress(&mut plain, &mut out, compression).map_err(RecordError::Encode)?;
    }
    let length = i32::try_from(out.len() - LOG_OVERHEAD)
        .map_err(|_| RecordError::Encode("a batch over 2 GiB".into()))?;
    out[LENGTH_AT..LENGTH_AT + 4].copy_from_slice(&length.to_be_bytes());
    let crc = crate::crc::record_batch_crc(&out[ATTRIBUTES_AT..]);
    out[CRC_AT..CRC_AT + 4].copy_from_slice(&crc.to_be_bytes());
    Ok(out.freeze())
}

fn record_size_hint(record: &RecordRef<'_>) -> usize {
    let headers: usize = record
        .headers
        .iter()
        .map(|(k, v)| k.len() + v.as_ref().map_or(0, Bytes::len) + 10)
        .sum();
    24 + record.key.map_or(0, <[u8]>::len) + record.value.map_or(0, <[u8]>::len) + headers
}

fn write_record(out: &mut BytesMut, record: &RecordRef<'_>, base_timestamp: i64) {
    let timestamp_delta = record.timestamp.wrapping_sub(base_timestamp);
    let key_len = record
        .key
        .map_or(-1, |k| i32::try_from(k.len()).unwrap_or(i32::MAX));
    let value_len = record
        .value
        .map_or(-1, |v| i32::try_from(v.len()).unwrap_or(i32::MAX));
    let header_count = i32::try_from(record.headers.len()).unwrap_or(i32::MAX);
    let mut body = 1 // attributes
        + varlong_len(timestamp_delta)
        + varint_len(record.offset_delta)
        + varint_len(key_len)
        + record.key.map_or(0, <[u8]>::len)
        + varint_len(value_len)
        + record.value.map_or(0, <[u8]>::len)
        + varint_len(header_count);
    for (name, value) in record.headers {
        let name_len = i32::try_from(name.len()).unwrap_or(i32::MAX);
        let value_len = value
            .as_ref()
            .map_or(-1, |v| i32::try_from(v.len()).unwrap_or(i32::MAX));
        body += varint_len(name_len)
            + name.len()
            + varint_len(value_len)
            + value.as_ref().map_or(0, Bytes::len);
    }
    put_varint(out, i32::try_from(body).unwrap_or(i32::MAX));
    out.put_u8(0);
    put_varlong(out, timestamp_delta);
    put_varint(out, record.offset_delta);
    put_varint(out, key_len);
    if let Some(key) = record.key {
        out.put_slice(key);
    }
    put_varint(out, value_len);
    if let Some(value) = record.value {
        out.put_slice(value);
    }
    put_varint(out, header_count);
    for (name, value) in record.headers {
        put_varint(out, i32::try_from(name.len()).unwrap_or(i32::MAX));
        out.put_slice(name.as_bytes());
        match value {
            Some(v) => {
                put_varint(out, i32::try_from(v.len()).unwrap_or(i32::MAX));
                out.put_slice(v);
            }
            None => put_varint(out, -1),
        }
    }
}

/// Reads every record of a batch whose header is `header` (`batch` is the
/// whole batch, CRC already checked). Lengths are checked against the bytes
/// actually there before anything is sliced or allocated.
pub(crate) fn read_records(
    header: &BatchHeader,
    batch: &Bytes,
) -> Result<Vec<StoredRecord>, RecordError> {
    let mut section = batch.slice(BATCH_HEADER_BYTES..header.total_size());
    let data = match header.compression() {
        Some(Compression::None) => section,
        Some(codec) => decompress(&mut section, codec).map_err(RecordError::Corrupt)?,
        None => {
            return Err(RecordError::Corrupt(format!(
                "unknown compression codec in attributes {}",
                header.attributes
            )))
        }
    };
    let count = usize::try_from(header.record_count).unwrap_or(0);
    // A record takes at least 7 bytes: never trust the count for memory.
    let mut records = Vec::with_capacity(count.min(data.len() / 7 + 1));
    let timestamp_type = header.timestamp_type();
    let mut reader = Reader { data: &data, at: 0 };
    for _ in 0..count {
        let length =
            usize::try_from(reader.varint()?).map_err(|_| corrupt("negative record length"))?;
        let end = reader
            .at
            .checked_add(length)
            .filter(|&e| e <= data.len())
            .ok_or_else(|| corrupt("record runs past the batch"))?;
        let _attributes = reader.byte()?;
        let timestamp_delta = reader.varlong()?;
        let offset_delta = reader.varint()?;
        let key = reader.nullable_bytes()?;
        let value = reader.nullable_bytes()?;
        let header_count =
            usize::try_from(reader.varint()?).map_err(|_| corrupt("negative header count"))?;
        if header_count > end.saturating_sub(reader.at) {
            return Err(corrupt("more headers than bytes"));
        }
        let mut headers = Vec::with_capacity(header_count);
        for _ in 0..header_count {
            let name = reader
                .nullable_bytes()?
                .ok_or_else(|| corrupt("null header key"))?;
            let name =
                String::from_utf8(name.to_vec()).map_err(|_| corrupt("header key is not UTF-8"))?;
            headers.push((name, reader.nullable_bytes()?));
        }
        if reader.at != end {
            return Err(corrupt("record length does not match its fields"));
        }
        records.push(StoredRecord {
            offset: header.base_offset.wrapping_add(i64::from(offset_delta)),
            timestamp: match timestamp_type {
                TimestampType::CreateTime => header.base_timestamp.wrapping_add(timestamp_delta),
                TimestampType::LogAppendTime => header.max_timestamp,
            },
            timestamp_type,
            key,
            value,
            headers,
        });
    }
    if reader.at != data.len() {
        return Err(corrupt("bytes left after the last record"));
    }
    Ok(records)
}

fn corrupt(what: &str) -> RecordError {
    RecordError::Corrupt(what.to_owned())
}

struct Reader<'a> {
    data: &'a Bytes,
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, RecordError> {
        let b = *self
            .data
            .get(self.at)
            .ok_or_else(|| corrupt("truncated record"))?;
        self.at += 1;
        Ok(b)
    }

    fn unsigned(&mut self, max_bytes: u32) -> Result<u64, RecordError> {
        let mut value = 0_u64;
        for i in 0..max_bytes {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(corrupt("varint too long"))
    }

    fn varint(&mut self) -> Result<i32, RecordError> {
        let raw = u32::try_from(self.unsigned(5)?).map_err(|_| corrupt("varint out of range"))?;
        Ok(((raw >> 1) as i32) ^ -((raw & 1) as i32))
    }

    fn varlong(&mut self) -> Result<i64, RecordError> {
        let raw = self.unsigned(10)?;
        Ok(((raw >> 1) as i64) ^ -((raw & 1) as i64))
    }

    fn nullable_bytes(&mut self) -> Result<Option<Bytes>, RecordError> {
        let len = self.varint()?;
        if len < 0 {
            return Ok(None);
        }
        let len = usize::try_from(len).map_err(|_| corrupt("bad length"))?;
        let end = self
            .at
            .checked_add(len)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| corrupt("field runs past the batch"))?;
        let bytes = self.data.slice(self.at..end);
        self.at = end;
        Ok(Some(bytes))
    }
}

fn put_varint(out: &mut BytesMut, value: i32) {
    put_unsigned(out, u64::from(((value << 1) ^ (value >> 31)) as u32));
}

fn put_varlong(out: &mut BytesMut, value: i64) {
    put_unsigned(out, ((value << 1) ^ (value >> 63)) as u64);
}

fn put_unsigned(out: &mut BytesMut, mut value: u64) {
    while value >= 0x80 {
        out.put_u8((value as u8) | 0x80);
        value >>= 7;
    }
    out.put_u8(value as u8);
}

fn varint_len(value: i32) -> usize {
    unsigned_len(u64::from(((value << 1) ^ (value >> 31)) as u32))
}

fn varlong_len(value: i64) -> usize {
    unsigned_len(((value << 1) ^ (value >> 63)) as u64)
}

fn unsigned_len(value: u64) -> usize {
    let bits = 64 - (value | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}
