//! Avro Object Container Files (the Avro 1.12 specification's "Object
//! Container Files"), read and written in memory with the `null`,
//! `deflate` and `snappy` codecs, all pure Rust so they work in wasm32.
//!
//! A file is the magic `Obj` 0x01, a metadata map (`map<bytes>`: the
//! writer's schema under `avro.schema`, the codec under `avro.codec`, and
//! any user metadata), a 16-byte sync marker, then blocks: a count of
//! records, the size in bytes of the (compressed) records, the records, and
//! the sync marker again. `deflate` is raw DEFLATE (RFC 1951, no zlib
//! header); `snappy` is a raw Snappy block followed by the big-endian
//! CRC-32 of the uncompressed data, as Java's `SnappyCodec` writes it.
//!
//! [`read_container`] returns, beside the records, what the UI shows of
//! the file's layout: the header's metadata and sync marker and, for every
//! block, its offset, record count, sizes and where its sync marker sits.
//! It reads untrusted bytes: counts and sizes are checked against the bytes
//! present before anything is reserved, a Snappy block may not claim more
//! than Snappy can expand to, inflated blocks stop at
//! [`MAX_BLOCK_BYTES`], and every failure is a [`ContainerError`].
//!
//! The writer takes the sync marker from the caller (the engine has no
//! randomness of its own: use its seeded [`crate::rng::Rng`]).
//!
//! Sources followed: the Avro 1.12 specification; Java's
//! `DataFileWriter`, `DataFileStream`, `DeflateCodec` and `SnappyCodec`.

use std::borrow::Cow;

use apache_avro::Schema;
use thiserror::Error;

use super::codec::{self, Codec, Datum, DecodeError, SchemaError, MAX_ZERO_SIZE_ITEMS};

/// The four bytes every container file starts with.
pub const MAGIC: [u8; 4] = [b'O', b'b', b'j', 1];

/// The largest uncompressed block the reader accepts.
pub const MAX_BLOCK_BYTES: usize = 64 * 1024 * 1024;

/// The length of a sync marker.
pub const SYNC_LEN: usize = 16;

/// A block codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerCodec {
    /// No compression.
    Null,
    /// Raw DEFLATE.
    Deflate,
    /// Snappy with a CRC-32 trailer.
    Snappy,
}

impl ContainerCodec {
    /// The name in `avro.codec`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ContainerCodec::Null => "null",
            ContainerCodec::Deflate => "deflate",
            ContainerCodec::Snappy => "snappy",
        }
    }

    /// The codec named `name`, if supported.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "null" => Some(ContainerCodec::Null),
            "deflate" => Some(ContainerCodec::Deflate),
            "snappy" => Some(ContainerCodec::Snappy),
            _ => None,
        }
    }
}

/// Why a container file could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContainerError {
    /// The first four bytes are not [`MAGIC`] (Java: `Not an Avro data
    /// file.`).
    #[error("Not an Avro data file.")]
    NotAContainer,
    /// The header's metadata map or sync marker is cut short or malformed.
    #[error("invalid header: {0}")]
    Header(DecodeError),
    /// No `avro.schema` in the metadata.
    #[error("the header has no avro.schema")]
    MissingSchema,
    /// `avro.schema` is not a schema.
    #[error("invalid avro.schema: {0}")]
    InvalidSchema(String),
    /// The schema cannot be compiled or resolved.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// An `avro.codec` this implementation does not have.
    #[error("Unrecognized codec: {0}")]
    UnknownCodec(String),
    /// A block's count or size is malformed or larger than the file.
    #[error("invalid block at byte {offset}: {message}")]
    Block {
        /// Where the block starts.
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// The bytes after a block are not the header's sync marker (Java:
    /// `Invalid sync!`).
    #[error("Invalid sync! (at byte {offset})")]
    InvalidSync {
        /// Where the marker should be.
        offset: usize,
    },
    /// A block does not decompress.
    #[error("block at byte {offset} does not decompress: {message}")]
    Decompress {
        /// Where the block starts.
        offset: usize,
        /// The codec's complaint.
        message: String,
    },
    /// A record in a block does not decode.
    #[error("block at byte {offset}, record {record}: {error}")]
    Record {
        /// Where the block starts.
        offset: usize,
        /// The record's index in the block.
        record: usize,
        /// Why.
        error: DecodeError,
    },
    /// A record to write does not fit the schema.
    #[error("record {record}: {error}")]
    Encode {
        /// Its index.
        record: usize,
        /// Why.
        error: codec::EncodeError,
    },
}

/// The file header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerHeader {
    /// Every metadata entry, in file order (`avro.schema` and `avro.codec`
    /// included).
    pub metadata: Vec<(String, Vec<u8>)>,
    /// The writer's schema text (`avro.schema`).
    pub schema: String,
    /// The codec (`avro.codec`; `null` when absent).
    pub codec: ContainerCodec,
    /// The sync marker.
    pub sync: [u8; SYNC_LEN],
    /// The header's length in bytes (where the first block starts).
    pub len: usize,
}

impl ContainerHeader {
    /// Metadata entries other than `avro.*`.
    pub fn user_metadata(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.metadata
            .iter()
            .filter(|(key, _)| !key.starts_with("avro."))
            .map(|(key, value)| (key.as_str(), value.as_slice()))
    }
}

/// Where a block sits and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockInfo {
    /// Where the block (its count) starts.
    pub offset: usize,
    /// How many records it holds.
    pub count: u64,
    /// Where its (compressed) data starts.
    pub data_offset: usize,
    /// The data's size in the file.
    pub size: usize,
    /// The data's size once decompressed.
    pub uncompressed_size: usize,
    /// Where its sync marker starts (it ends 16 bytes later).
    pub sync_offset: usize,
}

/// A container file read: header, blocks and records.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerFile {
    /// The header.
    pub header: ContainerHeader,
    /// Every block, in order.
    pub blocks: Vec<BlockInfo>,
    /// Every record, in the reader's shape.
    pub records: Vec<Datum<'static>>,
}

/// Reads a container file; the records are decoded with the file's schema,
/// or resolved into `reader`'s shape when given.
///
/// # Errors
///
/// [`ContainerError`] for anything malformed.
pub fn read_container(
    bytes: &[u8],
    reader: Option<&Schema>,
) -> Result<ContainerFile, ContainerError> {
    let header = read_header(bytes)?;
    let writer = super::parse::parse_schema(&header.schema)
        .map_err(|e| ContainerError::InvalidSchema(e.to_string()))?;
    let codec = match reader {
        Some(reader) => Codec::resolving(&writer, reader)?,
        None => Codec::new(&writer)?,
    };
    let zero_size_records = codec.writer().root_zero_size();
    let mut blocks = Vec::new();
    let mut records = Vec::new();
    let mut pos = header.len;
    while pos < bytes.len() {
        let offset = pos;
        let block_error = |message: String| ContainerError::Block { offset, message };
        let mut input = &bytes[pos..];
        let count = codec::read_long(&mut input).map_err(|e| block_error(e.to_string()))?;
        let size = codec::read_long(&mut input).map_err(|e| block_error(e.to_string()))?;
        let count = u64::try_from(count)
            .map_err(|_| block_error(format!("negative record count {count}")))?;
        let size = usize::try_from(size)
            .ok()
            .filter(|size| *size <= input.len())
            .ok_or_else(|| {
                block_error(format!(
                    "size {size} exceeds the {} bytes left",
                    input.len()
                ))
            })?;
        let data_offset = bytes.len() - input.len();
        let data = &input[..size];
        let sync_offset = data_offset + size;
        match bytes.get(sync_offset..sync_offset + SYNC_LEN) {
            Some(sync) if sync == header.sync => {}
            _ => {
                return Err(ContainerError::InvalidSync {
                    offset: sync_offset,
                })
            }
        }
        let data = decompress(header.codec, data)
            .map_err(|message| ContainerError::Decompress { offset, message })?;
        let limit = if zero_size_records {
            MAX_ZERO_SIZE_ITEMS
        } else {
            data.len()
        };
        if count > limit as u64 {
            return Err(block_error(format!(
                "{count} records cannot fit in {} bytes",
                data.len()
            )));
        }
        let mut input: &[u8] = &data;
        for record in 0..count as usize {
            let datum = codec
                .decode(&mut input)
                .map_err(|error| ContainerError::Record {
                    offset,
                    record,
                    error,
                })?;
            records.push(datum.into_owned());
        }
        if !input.is_empty() {
            return Err(block_error(format!(
                "{} bytes left after its {count} records",
                input.len()
            )));
        }
        blocks.push(BlockInfo {
            offset,
            count,
            data_offset,
            size,
            uncompressed_size: data.len(),
            sync_offset,
        });
        pos = sync_offset + SYNC_LEN;
    }
    Ok(ContainerFile {
        header,
        blocks,
        records,
    })
}

/// Reads only the header.
///
/// # Errors
///
/// [`ContainerError`] for a bad magic, metadata or sync marker, or an
/// unknown codec.
pub fn read_header(bytes: &[u8]) -> Result<ContainerHeader, ContainerError> {
    if bytes.get(..4) != Some(&MAGIC[..]) {
        return Err(ContainerError::NotAContainer);
    }
    let metadata_codec = metadata_codec()?;
    let mut input = &bytes[4..];
    let map = metadata_codec
        .decode(&mut input)
        .map_err(ContainerError::Header)?;
    let Datum::Map(entries) = map else {
        return Err(ContainerError::Header(DecodeError::UnexpectedEnd {
            offset: 4,
            needed: 1,
        }));
    };
    let metadata: Vec<(String, Vec<u8>)> = entries
        .into_iter()
        .map(|(key, value)| match value {
            Datum::Bytes(bytes) => (key.into_owned(), bytes.into_owned()),
            _ => (key.into_owned(), Vec::new()),
        })
        .collect();
    let sync_start = bytes.len() - input.len();
    let sync: [u8; SYNC_LEN] = input
        .get(..SYNC_LEN)
        .and_then(|s| s.try_into().ok())
        .ok_or(ContainerError::Header(DecodeError::UnexpectedEnd {
            offset: sync_start,
            needed: SYNC_LEN - input.len().min(SYNC_LEN),
        }))?;
    let find = |key: &str| {
        metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    };
    let schema = find("avro.schema").ok_or(ContainerError::MissingSchema)?;
    let schema = String::from_utf8(schema.to_vec())
        .map_err(|_| ContainerError::InvalidSchema("not UTF-8".to_owned()))?;
    let codec = match find("avro.codec") {
        None => ContainerCodec::Null,
        Some(name) => {
            let name = String::from_utf8_lossy(name);
            ContainerCodec::from_name(&name)
                .ok_or_else(|| ContainerError::UnknownCodec(name.into_owned()))?
        }
    };
    Ok(ContainerHeader {
        metadata,
        schema,
        codec,
        sync,
        len: sync_start + SYNC_LEN,
    })
}

fn metadata_codec() -> Result<Codec, ContainerError> {
    let schema = Schema::Map(apache_avro::schema::MapSchema {
        types: Box::new(Schema::Bytes),
        attributes: Default::default(),
    });
    Ok(Codec::new(&schema)?)
}

fn decompress(codec: ContainerCodec, data: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    match codec {
        ContainerCodec::Null => Ok(Cow::Borrowed(data)),
        ContainerCodec::Deflate => {
            miniz_oxide::inflate::decompress_to_vec_with_limit(data, MAX_BLOCK_BYTES)
                .map(Cow::Owned)
                .map_err(|e| format!("{:?}", e.status))
        }
        ContainerCodec::Snappy => {
            let Some(split) = data.len().checked_sub(4) else {
                return Err("shorter than its CRC-32".to_owned());
            };
            let (compressed, crc) = data.split_at(split);
            let claimed = snap::raw::decompress_len(compressed).map_err(|e| e.to_string())?;
            // Snappy expands at most about 21 times (a 3-byte copy of 64).
            if claimed > MAX_BLOCK_BYTES || claimed > compressed.len().saturating_mul(22) + 64 {
                return Err(format!("claims {claimed} uncompressed bytes"));
            }
            let out = snap::raw::Decoder::new()
                .decompress_vec(compressed)
                .map_err(|e| e.to_string())?;
            let expected = u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]);
            if crate::crc::block_crc32(&out) != expected {
                return Err("CRC-32 mismatch".to_owned());
            }
            Ok(Cow::Owned(out))
        }
    }
}

fn compress(codec: ContainerCodec, data: &[u8]) -> Result<Vec<u8>, String> {
    match codec {
        ContainerCodec::Null => Ok(data.to_vec()),
        ContainerCodec::Deflate => Ok(miniz_oxide::deflate::compress_to_vec(data, 6)),
        ContainerCodec::Snappy => {
            let mut out = snap::raw::Encoder::new()
                .compress_vec(data)
                .map_err(|e| e.to_string())?;
            out.extend_from_slice(&crate::crc::block_crc32(data).to_be_bytes());
            Ok(out)
        }
    }
}

/// Writes a container file: `schema` (its text goes into `avro.schema` as
/// given), the codec, `metadata` (user entries), the sync marker, then the
/// records in blocks of at most `records_per_block`.
///
/// # Errors
///
/// [`ContainerError::InvalidSchema`] or [`ContainerError::Schema`] for the
/// schema, [`ContainerError::Encode`] for a record that does not fit.
pub fn write_container(
    schema: &str,
    codec: ContainerCodec,
    sync: [u8; SYNC_LEN],
    metadata: &[(String, Vec<u8>)],
    records: &[Datum<'_>],
    records_per_block: usize,
) -> Result<Vec<u8>, ContainerError> {
    let parsed = super::parse::parse_schema(schema)
        .map_err(|e| ContainerError::InvalidSchema(e.to_string()))?;
    let data_codec = Codec::new(&parsed)?;
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    let mut entries: Vec<(Cow<'_, str>, Datum<'_>)> = vec![
        ("avro.schema".into(), Datum::Bytes(schema.as_bytes().into())),
        (
            "avro.codec".into(),
            Datum::Bytes(codec.name().as_bytes().into()),
        ),
    ];
    for (key, value) in metadata {
        entries.push((key.as_str().into(), Datum::Bytes(value.as_slice().into())));
    }
    metadata_codec()?
        .encode(&Datum::Map(entries), &mut out)
        .map_err(|error| ContainerError::Encode { record: 0, error })?;
    out.extend_from_slice(&sync);
    let mut block = Vec::new();
    for (chunk_index, chunk) in records.chunks(records_per_block.max(1)).enumerate() {
        block.clear();
        for (i, record) in chunk.iter().enumerate() {
            data_codec
                .encode(record, &mut block)
                .map_err(|error| ContainerError::Encode {
                    record: chunk_index * records_per_block.max(1) + i,
                    error,
                })?;
        }
        let data = compress(codec, &block).map_err(|message| ContainerError::Decompress {
            offset: out.len(),
            message,
        })?;
        codec::write_long(&mut out, i64::try_from(chunk.len()).unwrap_or(i64::MAX));
        codec::write_long(&mut out, i64::try_from(data.len()).unwrap_or(i64::MAX));
        out.extend_from_slice(&data);
        out.extend_from_slice(&sync);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"{"type":"record","name":"Reading","namespace":"iot","fields":[
        {"name":"sensor","type":"string"},{"name":"value","type":"double"},
        {"name":"tags","type":{"type":"array","items":"string"}}]}"#;
    const SYNC: [u8; 16] = *b"0123456789abcdef";

    fn records(n: usize) -> Vec<Datum<'static>> {
        (0..n)
            .map(|i| {
                Datum::Record(vec![
                    Datum::String(format!("sensor-{}", i % 3).into()),
                    Datum::Double(i as f64 / 4.0),
                    Datum::Array(vec![Datum::String("x".into()); i % 4]),
                ])
            })
            .collect()
    }

    #[test]
    fn round_trip_with_each_codec_and_layout() {
        let data = records(25);
        let user = vec![("owner".to_owned(), b"course".to_vec())];
        for codec in [
            ContainerCodec::Null,
            ContainerCodec::Deflate,
            ContainerCodec::Snappy,
        ] {
            let bytes = write_container(SCHEMA, codec, SYNC, &user, &data, 10).expect("write");
            assert_eq!(&bytes[..4], b"Obj\x01");
            let file = read_container(&bytes, None).expect("read");
            assert_eq!(file.records, data, "{codec:?}");
            assert_eq!(file.header.codec, codec);
            assert_eq!(file.header.schema, SCHEMA);
            assert_eq!(file.header.sync, SYNC);
            assert_eq!(
                file.header.user_metadata().collect::<Vec<_>>(),
                [("owner", &b"course"[..])]
            );
            let counts: Vec<u64> = file.blocks.iter().map(|b| b.count).collect();
            assert_eq!(counts, [10, 10, 5]);
            assert_eq!(file.blocks[0].offset, file.header.len);
            for block in &file.blocks {
                assert_eq!(&bytes[block.sync_offset..block.sync_offset + 16], SYNC);
                assert_eq!(block.data_offset + block.size, block.sync_offset);
            }
            assert_eq!(file.blocks[2].sync_offset + 16, bytes.len());
            if codec == ContainerCodec::Null {
                assert_eq!(file.blocks[0].size, file.blocks[0].uncompressed_size);
            }
            // apache-avro reads what we write.
            let reader = apache_avro::Reader::new(&bytes[..]).expect("apache reader");
            assert_eq!(reader.count(), 25);
        }
    }

    #[test]
    fn reads_what_apache_avro_writes_and_resolves() {
        let schema = Schema::parse_str(SCHEMA).expect("schema");
        let codec = Codec::new(&schema).expect("codec");
        for apache_codec in [
            apache_avro::Codec::Null,
            apache_avro::Codec::Deflate(apache_avro::DeflateSettings::default()),
            apache_avro::Codec::Snappy,
        ] {
            let mut writer =
                apache_avro::Writer::with_codec(&schema, Vec::new(), apache_codec).expect("writer");
            for datum in records(7) {
                writer
                    .append_value(codec.writer().to_value(&datum).expect("value"))
                    .expect("append");
            }
            let bytes = writer.into_inner().expect("bytes");
            let file = read_container(&bytes, None).expect("read");
            assert_eq!(file.records, records(7), "{apache_codec:?}");
            // Through a reader's schema: an old consumer that knows only the sensor.
            let reader = Schema::parse_str(
                r#"{"type":"record","name":"Reading","namespace":"iot","fields":[{"name":"sensor","type":"string"},{"name":"unit","type":"string","default":"C"}]}"#,
            )
            .expect("reader");
            let file = read_container(&bytes, Some(&reader)).expect("resolved");
            assert_eq!(
                file.records[1],
                Datum::Record(vec![
                    Datum::String("sensor-1".into()),
                    Datum::String("C".into())
                ])
            );
        }
    }

    #[test]
    fn malformed_files_are_errors() {
        let bytes = write_container(SCHEMA, ContainerCodec::Snappy, SYNC, &[], &records(5), 5)
            .expect("write");
        assert_eq!(
            read_container(b"Obj\x02", None),
            Err(ContainerError::NotAContainer)
        );
        assert!(matches!(
            read_container(&bytes[..20], None),
            Err(ContainerError::Header(_))
        ));
        let file = read_container(&bytes, None).expect("read");
        let block = file.blocks[0];
        // A wrong sync marker.
        let mut bad = bytes.clone();
        bad[block.sync_offset] ^= 1;
        assert_eq!(
            read_container(&bad, None),
            Err(ContainerError::InvalidSync {
                offset: block.sync_offset
            })
        );
        // A corrupted CRC.
        let mut bad = bytes.clone();
        bad[block.sync_offset - 1] ^= 1;
        assert!(matches!(
            read_container(&bad, None),
            Err(ContainerError::Decompress { message, .. }) if message == "CRC-32 mismatch"
        ));
        // A block claiming more bytes than the file has.
        let mut bad = bytes[..block.offset].to_vec();
        codec::write_long(&mut bad, 1);
        codec::write_long(&mut bad, 1 << 40);
        assert!(matches!(
            read_container(&bad, None),
            Err(ContainerError::Block { .. })
        ));
        // A block claiming 2^40 records in a few bytes.
        let plain =
            write_container(SCHEMA, ContainerCodec::Null, SYNC, &[], &[], 5).expect("write");
        let mut bad = plain.clone();
        codec::write_long(&mut bad, 1 << 40);
        codec::write_long(&mut bad, 0);
        bad.extend_from_slice(&SYNC);
        assert!(matches!(
            read_container(&bad, None),
            Err(ContainerError::Block { .. })
        ));
        // An unknown codec.
        let mut renamed = bytes.clone();
        let at = renamed
            .windows(6)
            .position(|w| w == b"snappy")
            .expect("codec name");
        renamed[at..at + 6].copy_from_slice(b"zzzzzz");
        assert!(matches!(
            read_header(&renamed),
            Err(ContainerError::UnknownCodec(name)) if name == "zzzzzz"
        ));
        // Snappy claiming a huge length in a tiny block.
        assert!(decompress(
            ContainerCodec::Snappy,
            &[0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0, 0]
        )
        .is_err());
    }
}
