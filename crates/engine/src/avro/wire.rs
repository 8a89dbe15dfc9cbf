//! The bytes around and inside an Avro record on a Kafka topic: the
//! Confluent wire format (magic byte `0`, a 4-byte big-endian schema id,
//! then the Avro binary encoding), Avro's own single-object encoding (marker
//! `C3 01`, the schema's 8-byte little-endian CRC-64-AVRO fingerprint, then
//! the binary encoding), and an annotator that labels every byte of a
//! Confluent-framed message for the UI's wire inspector.
//!
//! [`encode`] and [`decode`] frame and unframe as Confluent's
//! `KafkaAvroSerializer` and `KafkaAvroDeserializer` do, and fail with the
//! texts the Java deserializer gives: `Unknown magic byte!` for a first byte
//! other than `0` (`AbstractKafkaSchemaSerDe.getByteBuffer`), and, through
//! the lookup hook of [`decode_with`], `Schema 42 not found; error code:
//! 40403` for an id the registry does not know (the registry's
//! `Errors.SCHEMA_NOT_FOUND_MESSAGE_FORMAT`, suffixed as
//! `RestClientException` suffixes its message). Java reads past the end of a
//! message shorter than five bytes (`java.nio.BufferUnderflowException`, no
//! message); [`WireFormatError::TooShort`] says so in words.
//!
//! The single-object functions follow Java's `BinaryMessageEncoder` and
//! `BinaryMessageDecoder`, errors included (`Not enough header bytes`,
//! `Unrecognized header bytes: 0xC3 0x02`, `Cannot resolve schema for
//! fingerprint: …`); their fingerprint is [`canonical::crc64_avro`] of the
//! Parsing Canonical Form, which is not what `apache-avro`'s
//! `RabinFingerprintHeader` writes for schemas with logical types (see
//! [`canonical`]).
//!
//! [`annotate`] walks the Avro binary encoding with the writer's schema and
//! returns one [`Span`] per thing the bytes hold, in byte order, containers
//! before their contents: the magic byte, the schema id, each record, field,
//! union branch index, array or map block count, string length and value,
//! each with its JSON-pointer path (`/address/zip`, `/tags/0`) and the bytes
//! it covers. It reads the bytes as Java's `BinaryDecoder` does (an `int`
//! varint keeps its low 32 bits, any boolean byte but `1` is `false`, a
//! block's byte size is not checked), and says in the label where that
//! departs from the spec. It reads untrusted bytes: a truncated message, a
//! length or block count claiming more than the message holds, an
//! out-of-range union or enum index, a nesting deeper than [`MAX_DEPTH`] or
//! more than [`MAX_SPANS`] spans all end in an [`AnnotateError`] (carrying
//! the spans made until then), never in a panic, and nothing is allocated by
//! a length read from the bytes.
//!
//! Sources followed: the Avro 1.12 specification ("Binary Encoding",
//! "Single-object encoding"); Java's `BinaryDecoder`,
//! `BinaryMessageEncoder` and `BinaryMessageDecoder`; in
//! confluentinc/schema-registry, `AbstractKafkaSchemaSerDe.java`,
//! `AbstractKafkaAvroDeserializer.java`, `RestClientException.java` and
//! `rest/exceptions/Errors.java`.

use crate::collections::OrdMap;
use std::fmt::Write as _;

use apache_avro::schema::{DecimalSchema, FixedSchema, InnerDecimalSchema, UuidSchema};
use apache_avro::Schema;
use thiserror::Error;

use super::canonical::{self, CanonicalError};

// ---------------------------------------------------------------------------
// Confluent wire format
// ---------------------------------------------------------------------------

/// The first byte of every Confluent-framed message
/// (`AbstractKafkaSchemaSerDe.MAGIC_BYTE`).
pub const MAGIC_BYTE: u8 = 0;

/// Magic byte plus schema id: the bytes before the Avro payload.
pub const CONFLUENT_HEADER_LEN: usize = 5;

/// The Schema Registry's error code for an unknown schema id
/// (`Errors.SCHEMA_NOT_FOUND_ERROR_CODE`).
pub const SCHEMA_NOT_FOUND_ERROR_CODE: u32 = 40403;

/// Why a Confluent-framed message could not be unframed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum WireFormatError {
    /// The first byte is not [`MAGIC_BYTE`]: Java's `SerializationException`
    /// text, word for word (client logs show it under `Error deserializing
    /// Avro message for id -1`).
    #[error("Unknown magic byte!")]
    UnknownMagicByte {
        /// The byte found instead.
        found: u8,
    },
    /// Fewer than [`CONFLUENT_HEADER_LEN`] bytes (with a good magic byte,
    /// if any): Java fails reading the id with a
    /// `java.nio.BufferUnderflowException`, which has no message.
    #[error(
        "Too few bytes for the Confluent wire format: {len} (a magic byte and a 4-byte schema id need 5)"
    )]
    TooShort {
        /// How many bytes there were.
        len: usize,
    },
    /// The lookup hook knows no schema with this id: the registry's 404
    /// as the Java client reports it (`RestClientException`'s message).
    #[error("Schema {id} not found; error code: 40403")]
    SchemaNotFound {
        /// The id from the message.
        id: i32,
    },
}

/// The five bytes in front of a payload written with schema `schema_id`.
/// The id is Java's `int`, written big-endian as `ByteBuffer.putInt` does.
#[must_use]
pub fn encode_header(schema_id: i32) -> [u8; CONFLUENT_HEADER_LEN] {
    let id = schema_id.to_be_bytes();
    [MAGIC_BYTE, id[0], id[1], id[2], id[3]]
}

/// A Confluent-framed message: [`MAGIC_BYTE`], the schema id, the payload
/// (what `KafkaAvroSerializer` writes).
#[must_use]
pub fn encode(schema_id: i32, payload: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(CONFLUENT_HEADER_LEN + payload.len());
    message.extend_from_slice(&encode_header(schema_id));
    message.extend_from_slice(payload);
    message
}

/// Splits a Confluent-framed message into its schema id and Avro payload,
/// checking the magic byte first and the length second, as Java does.
///
/// # Errors
///
/// [`WireFormatError::UnknownMagicByte`] or [`WireFormatError::TooShort`].
pub fn decode(message: &[u8]) -> Result<(i32, &[u8]), WireFormatError> {
    match message.first() {
        Some(&MAGIC_BYTE) => {}
        Some(&found) => return Err(WireFormatError::UnknownMagicByte { found }),
        None => return Err(WireFormatError::TooShort { len: 0 }),
    }
    match message {
        [_, a, b, c, d, payload @ ..] => Ok((i32::from_be_bytes([*a, *b, *c, *d]), payload)),
        _ => Err(WireFormatError::TooShort { len: message.len() }),
    }
}

/// [`decode`], then the schema with the message's id from `lookup` (the
/// registry's `GET /schemas/ids/{id}`): returns the id, what `lookup`
/// returned and the payload.
///
/// # Errors
///
/// As [`decode`], and [`WireFormatError::SchemaNotFound`] when `lookup`
/// returns `None`.
pub fn decode_with<T>(
    message: &[u8],
    lookup: impl FnOnce(i32) -> Option<T>,
) -> Result<(i32, T, &[u8]), WireFormatError> {
    let (id, payload) = decode(message)?;
    let schema = lookup(id).ok_or(WireFormatError::SchemaNotFound { id })?;
    Ok((id, schema, payload))
}

// ---------------------------------------------------------------------------
// Single-object encoding
// ---------------------------------------------------------------------------

/// The two bytes that open a single-object encoded message
/// (`BinaryMessageEncoder.V1_HEADER`).
pub const SINGLE_OBJECT_MARKER: [u8; 2] = [0xC3, 0x01];

/// Marker plus fingerprint: the bytes before the Avro payload.
pub const SINGLE_OBJECT_HEADER_LEN: usize = 10;

/// Why a single-object encoded message could not be unframed; the texts are
/// Java's `BinaryMessageDecoder`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SingleObjectError {
    /// Fewer than [`SINGLE_OBJECT_HEADER_LEN`] bytes.
    #[error("Not enough header bytes")]
    TooShort {
        /// How many bytes there were.
        len: usize,
    },
    /// The first two bytes are not [`SINGLE_OBJECT_MARKER`].
    #[error("Unrecognized header bytes: 0x{:02X} 0x{:02X}", found[0], found[1])]
    BadMarker {
        /// The two bytes found instead.
        found: [u8; 2],
    },
    /// The lookup hook knows no schema with this fingerprint.
    #[error("Cannot resolve schema for fingerprint: {fingerprint}")]
    UnknownFingerprint {
        /// The CRC-64-AVRO fingerprint from the message, as Java's `long`.
        fingerprint: i64,
    },
}

/// The ten bytes in front of a payload whose schema has the CRC-64-AVRO
/// `fingerprint` ([`canonical::parsing_fingerprint64`]).
#[must_use]
pub fn single_object_header(fingerprint: i64) -> [u8; SINGLE_OBJECT_HEADER_LEN] {
    let mut header = [0; SINGLE_OBJECT_HEADER_LEN];
    header[..2].copy_from_slice(&SINGLE_OBJECT_MARKER);
    header[2..].copy_from_slice(&fingerprint.to_le_bytes());
    header
}

/// [`single_object_header`] for `schema`, fingerprinting its Parsing
/// Canonical Form.
///
/// # Errors
///
/// As [`canonical::parsing_canonical_form`].
pub fn single_object_header_for(
    schema: &Schema,
) -> Result<[u8; SINGLE_OBJECT_HEADER_LEN], CanonicalError> {
    Ok(single_object_header(canonical::parsing_fingerprint64(
        schema,
    )?))
}

/// A single-object encoded message: marker, fingerprint, payload.
#[must_use]
pub fn encode_single_object(fingerprint: i64, payload: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SINGLE_OBJECT_HEADER_LEN + payload.len());
    message.extend_from_slice(&single_object_header(fingerprint));
    message.extend_from_slice(payload);
    message
}

/// Splits a single-object encoded message into the schema fingerprint and
/// the payload; like Java, checks the length before the marker.
///
/// # Errors
///
/// [`SingleObjectError::TooShort`] or [`SingleObjectError::BadMarker`].
pub fn decode_single_object(message: &[u8]) -> Result<(i64, &[u8]), SingleObjectError> {
    let [m0, m1, f0, f1, f2, f3, f4, f5, f6, f7, payload @ ..] = message else {
        return Err(SingleObjectError::TooShort { len: message.len() });
    };
    if [*m0, *m1] != SINGLE_OBJECT_MARKER {
        return Err(SingleObjectError::BadMarker { found: [*m0, *m1] });
    }
    let fingerprint = i64::from_le_bytes([*f0, *f1, *f2, *f3, *f4, *f5, *f6, *f7]);
    Ok((fingerprint, payload))
}

/// [`decode_single_object`], then the schema with the message's fingerprint
/// from `lookup` (Java's `SchemaStore.findByFingerprint`).
///
/// # Errors
///
/// As [`decode_single_object`], and
/// [`SingleObjectError::UnknownFingerprint`] when `lookup` returns `None`.
pub fn decode_single_object_with<T>(
    message: &[u8],
    lookup: impl FnOnce(i64) -> Option<T>,
) -> Result<(i64, T, &[u8]), SingleObjectError> {
    let (fingerprint, payload) = decode_single_object(message)?;
    let schema =
        lookup(fingerprint).ok_or(SingleObjectError::UnknownFingerprint { fingerprint })?;
    Ok((fingerprint, schema, payload))
}

// ---------------------------------------------------------------------------
// The wire inspector's annotator
// ---------------------------------------------------------------------------

/// How deeply values may nest (records in records, arrays in unions, ...)
/// before [`annotate`] stops with [`Problem::TooDeep`]: a recursive schema
/// lets the bytes choose the depth, and the walk must not exhaust the
/// stack (a wasm stack is 1 MiB).
pub const MAX_DEPTH: usize = 256;

/// The most spans one annotation makes before stopping with
/// [`Problem::TooManySpans`]: far more than an inspector can show (a record
/// of a few thousand values fits). Arrays of `null` cost no bytes per item,
/// so without a bound a few bytes could demand billions of spans.
pub const MAX_SPANS: usize = 20_000;

/// How many bytes or characters of a value a label shows.
const PREVIEW: usize = 24;

/// What a [`Span`] covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanKind {
    /// The Confluent magic byte.
    MagicByte,
    /// The Confluent 4-byte schema id.
    SchemaId,
    /// The single-object marker `C3 01`.
    Marker,
    /// The single-object 8-byte fingerprint.
    Fingerprint,
    /// A `null`: no bytes (an empty span).
    Null,
    /// A `boolean`: one byte.
    Boolean,
    /// An `int` (zigzag varint, 1 to 5 bytes).
    Int,
    /// A `long` (zigzag varint, 1 to 10 bytes).
    Long,
    /// A `float`: 4 bytes, little-endian.
    Float,
    /// A `double`: 8 bytes, little-endian.
    Double,
    /// A `bytes` value: its [`SpanKind::Length`] and content.
    Bytes,
    /// A `string` value: its [`SpanKind::Length`] and UTF-8 content.
    String,
    /// A `fixed` value: its size in bytes.
    Fixed,
    /// An `enum` value: the symbol's index (zigzag varint).
    Enum,
    /// A record: its fields, in order.
    Record,
    /// An array: its blocks and items.
    Array,
    /// A map: its blocks, keys and values.
    Map,
    /// A union value: its [`SpanKind::UnionBranch`] and the value.
    Union,
    /// The length in front of a `bytes` or `string` (zigzag varint).
    Length,
    /// A union's branch index (zigzag varint).
    UnionBranch,
    /// An array or map block's item count (zigzag varint; `0` ends the
    /// array or map, a negative count is followed by a
    /// [`SpanKind::BlockSize`]).
    BlockCount,
    /// A block's size in bytes, after a negative count.
    BlockSize,
    /// A map entry's key (a string).
    MapKey,
    /// Bytes after the value, which the deserializer never reads.
    Trailing,
}

impl SpanKind {
    /// A stable lower-case name for the UI (`magic-byte`, `union-branch`,
    /// `long`, ...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::MagicByte => "magic-byte",
            Self::SchemaId => "schema-id",
            Self::Marker => "marker",
            Self::Fingerprint => "fingerprint",
            Self::Null => "null",
            Self::Boolean => "boolean",
            Self::Int => "int",
            Self::Long => "long",
            Self::Float => "float",
            Self::Double => "double",
            Self::Bytes => "bytes",
            Self::String => "string",
            Self::Fixed => "fixed",
            Self::Enum => "enum",
            Self::Record => "record",
            Self::Array => "array",
            Self::Map => "map",
            Self::Union => "union",
            Self::Length => "length",
            Self::UnionBranch => "union-branch",
            Self::BlockCount => "block-count",
            Self::BlockSize => "block-size",
            Self::MapKey => "map-key",
            Self::Trailing => "trailing",
        }
    }
}

/// One labelled byte range of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The first byte, from the start of the message.
    pub start: usize,
    /// One past the last byte (`start` for an empty span, as a `null`'s).
    pub end: usize,
    /// What the bytes say, for people: `long 42`, `string "Ann"`,
    /// `branch index 1: string`, `block count 2`.
    pub label: String,
    /// Where the value sits in the datum, as a JSON pointer: `""` for the
    /// top-level value and the framing, `/address/zip` for a field,
    /// `/tags/0` for an array item, `/attributes/color` for a map value and
    /// its key (a key longer than 64 characters is cut, with `…`). A union's
    /// branch index and value share the union's path.
    pub path: String,
    /// What the bytes are.
    pub kind: SpanKind,
}

/// What was wrong with the bytes [`annotate`] was given.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    /// The Confluent framing is wrong (see [`WireFormatError`]).
    #[error(transparent)]
    Framing(#[from] WireFormatError),
    /// The single-object framing is wrong (see [`SingleObjectError`]).
    #[error(transparent)]
    SingleObjectFraming(#[from] SingleObjectError),
    /// The message ends inside a value (Java: `java.io.EOFException`).
    #[error("the message ends early: {needed} bytes needed, {available} left")]
    Truncated {
        /// Bytes the value needs.
        needed: usize,
        /// Bytes left.
        available: usize,
    },
    /// An `int` varint runs past 5 bytes (Java's text).
    #[error("Invalid int encoding")]
    InvalidIntEncoding,
    /// A `long` varint runs past 10 bytes (Java's text).
    #[error("Invalid long encoding")]
    InvalidLongEncoding,
    /// A `bytes` or `string` length below zero (Java's text).
    #[error("Malformed data. Length is negative: {0}")]
    NegativeLength(i64),
    /// A `bytes` or `string` length larger than what is left.
    #[error("length {length} is more than the {available} bytes left")]
    LengthTooLong {
        /// The length read.
        length: i64,
        /// Bytes left after it.
        available: usize,
    },
    /// A block count claiming more items (or map entries) than the bytes
    /// left could hold, each taking at least one byte.
    #[error("block count {count} is more items than the {available} bytes left can hold")]
    BlockCountTooLarge {
        /// The count read (its absolute value for a negative count).
        count: u64,
        /// Bytes left after it.
        available: usize,
    },
    /// A block count of `-2^63`, whose item count cannot be negated.
    #[error("block count {0} is out of range")]
    BlockCountOutOfRange(i64),
    /// A union branch index outside the union.
    #[error("union branch index {index} is out of range: the union has {branches} branches")]
    UnionBranchOutOfRange {
        /// The index read.
        index: i32,
        /// The union's branch count.
        branches: usize,
    },
    /// An enum index outside the symbols.
    #[error("enum index {index} is out of range: the enum has {symbols} symbols")]
    EnumIndexOutOfRange {
        /// The index read.
        index: i32,
        /// The enum's symbol count.
        symbols: usize,
    },
    /// The writer schema refers to a named type it does not define (a
    /// schema built in code, or one whose references were not passed).
    #[error("the schema refers to an undefined name: {0}")]
    UnresolvedName(String),
    /// Values nest more than [`MAX_DEPTH`] levels deep.
    #[error("values nest more than {MAX_DEPTH} levels deep")]
    TooDeep,
    /// More than [`MAX_SPANS`] spans.
    #[error("more than {MAX_SPANS} spans")]
    TooManySpans,
}

/// Why [`annotate`] stopped: the problem, where, and the spans made until
/// then (containers still open end at `offset`), so the inspector can show
/// how far the bytes made sense.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{problem} (at byte {offset}{})", describe_path(.path))]
pub struct AnnotateError {
    /// What was wrong.
    pub problem: Problem,
    /// The byte where the failing item starts.
    pub offset: usize,
    /// The JSON pointer of the value being read (`""` at the top).
    pub path: String,
    /// The spans made before the problem.
    pub partial: Vec<Span>,
}

fn describe_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(", in {path}")
    }
}

/// Labels every byte of a Confluent-framed Avro message written with
/// `schema`: the magic byte, the schema id, then the datum, then any bytes
/// after it.
///
/// # Errors
///
/// [`AnnotateError`] for bad framing, bytes that do not decode with the
/// schema, or the limits [`MAX_DEPTH`] and [`MAX_SPANS`].
pub fn annotate(schema: &Schema, message: &[u8]) -> Result<Vec<Span>, AnnotateError> {
    annotate_with_references(schema, &[], message)
}

/// [`annotate`] for a schema whose named types may be defined in
/// `references` (the Schema Registry's schema references).
///
/// # Errors
///
/// As [`annotate`].
pub fn annotate_with_references(
    schema: &Schema,
    references: &[Schema],
    message: &[u8],
) -> Result<Vec<Span>, AnnotateError> {
    let mut annotator = Annotator::new(schema, references, message)?;
    annotator.run(|a| {
        let (id, _) = decode(message).map_err(|e| a.fail(0, e.into()))?;
        a.push(
            0,
            1,
            format!("magic byte 0x{MAGIC_BYTE:02x}"),
            SpanKind::MagicByte,
        )?;
        a.push(
            1,
            CONFLUENT_HEADER_LEN,
            format!("schema id {id}"),
            SpanKind::SchemaId,
        )?;
        a.pos = CONFLUENT_HEADER_LEN;
        a.datum(schema)
    })
}

/// Labels a single-object encoded message written with `schema`: marker,
/// fingerprint (with whether it is `schema`'s), datum, trailing bytes.
///
/// # Errors
///
/// As [`annotate`].
pub fn annotate_single_object(
    schema: &Schema,
    references: &[Schema],
    message: &[u8],
) -> Result<Vec<Span>, AnnotateError> {
    let mut annotator = Annotator::new(schema, references, message)?;
    let own = canonical::parsing_canonical_form_with_references(schema, references)
        .ok()
        .map(|form| canonical::crc64_avro(form.as_bytes()));
    annotator.run(|a| {
        let (fingerprint, _) = decode_single_object(message).map_err(|e| a.fail(0, e.into()))?;
        a.push(
            0,
            2,
            "single-object marker C3 01".to_owned(),
            SpanKind::Marker,
        )?;
        let whose = if own == Some(fingerprint) {
            "the writer schema's"
        } else {
            "not the writer schema's"
        };
        a.push(
            2,
            SINGLE_OBJECT_HEADER_LEN,
            format!("CRC-64-AVRO fingerprint {fingerprint} ({whose})"),
            SpanKind::Fingerprint,
        )?;
        a.pos = SINGLE_OBJECT_HEADER_LEN;
        a.datum(schema)
    })
}

/// Labels bare Avro binary data (no framing) written with `schema`.
///
/// # Errors
///
/// As [`annotate`].
pub fn annotate_datum(
    schema: &Schema,
    references: &[Schema],
    datum: &[u8],
) -> Result<Vec<Span>, AnnotateError> {
    let mut annotator = Annotator::new(schema, references, datum)?;
    annotator.run(|a| a.datum(schema))
}

/// A failure inside the walk: the problem and the byte where the failing
/// item starts (the path is the annotator's at that moment).
struct Fail {
    problem: Problem,
    offset: usize,
}

/// The walk over the bytes.
struct Annotator<'s, 'b> {
    names: OrdMap<String, &'s Schema>,
    bytes: &'b [u8],
    pos: usize,
    spans: Vec<Span>,
    /// Indices of container spans whose end is not known yet.
    open: Vec<usize>,
    path: String,
    /// [`encodes_in_zero_bytes`]'s answers for named records.
    zero_size: OrdMap<String, Option<bool>>,
}

impl<'s, 'b> Annotator<'s, 'b> {
    fn new(
        schema: &'s Schema,
        references: &'s [Schema],
        bytes: &'b [u8],
    ) -> Result<Self, AnnotateError> {
        let mut names = OrdMap::new();
        for root in std::iter::once(schema).chain(references) {
            canonical::collect_definitions(root, &mut names, 0).map_err(|_| AnnotateError {
                problem: Problem::TooDeep,
                offset: 0,
                path: String::new(),
                partial: Vec::new(),
            })?;
        }
        Ok(Self {
            names,
            bytes,
            pos: 0,
            spans: Vec::new(),
            open: Vec::new(),
            path: String::new(),
            zero_size: OrdMap::new(),
        })
    }

    /// Runs `walk` and packs its failure, if any, into an [`AnnotateError`].
    fn run(
        &mut self,
        walk: impl FnOnce(&mut Self) -> Result<(), Fail>,
    ) -> Result<Vec<Span>, AnnotateError> {
        match walk(self) {
            Ok(()) => Ok(std::mem::take(&mut self.spans)),
            Err(Fail { problem, offset }) => {
                for index in std::mem::take(&mut self.open) {
                    if let Some(span) = self.spans.get_mut(index) {
                        span.end = offset.max(span.start);
                        span.label.push_str(" (incomplete)");
                    }
                }
                Err(AnnotateError {
                    problem,
                    offset,
                    path: std::mem::take(&mut self.path),
                    partial: std::mem::take(&mut self.spans),
                })
            }
        }
    }

    fn fail(&self, offset: usize, problem: Problem) -> Fail {
        Fail { problem, offset }
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// The top-level value, then any bytes after it.
    fn datum(&mut self, schema: &'s Schema) -> Result<(), Fail> {
        self.value(schema, 0)?;
        let trailing = self.remaining();
        if trailing > 0 {
            let plural = if trailing == 1 { "" } else { "s" };
            self.push(
                self.pos,
                self.bytes.len(),
                format!("{trailing} byte{plural} after the value (never read)"),
                SpanKind::Trailing,
            )?;
        }
        Ok(())
    }

    /// Adds a finished span at the current path.
    fn push(
        &mut self,
        start: usize,
        end: usize,
        label: String,
        kind: SpanKind,
    ) -> Result<usize, Fail> {
        if self.spans.len() >= MAX_SPANS {
            return Err(self.fail(start, Problem::TooManySpans));
        }
        self.spans.push(Span {
            start,
            end,
            label,
            path: self.path.clone(),
            kind,
        });
        Ok(self.spans.len() - 1)
    }

    /// Adds a container span whose end and final label [`Self::close`]
    /// sets (`label` stands until then, marked incomplete if the walk fails
    /// first).
    fn open(&mut self, kind: SpanKind, label: String) -> Result<usize, Fail> {
        let index = self.push(self.pos, self.pos, label, kind)?;
        self.open.push(index);
        Ok(index)
    }

    fn close(&mut self, index: usize, label: String) {
        self.open.pop();
        let end = self.pos;
        if let Some(span) = self.spans.get_mut(index) {
            span.end = end;
            span.label = label;
        }
    }

    /// Appends a JSON-pointer segment; returns the length to truncate back
    /// to.
    fn enter(&mut self, segment: &str) -> usize {
        let before = self.path.len();
        self.path.push('/');
        for c in segment.chars() {
            match c {
                '~' => self.path.push_str("~0"),
                '/' => self.path.push_str("~1"),
                c => self.path.push(c),
            }
        }
        before
    }

    fn leave(&mut self, before: usize) {
        self.path.truncate(before);
    }

    /// Takes `n` bytes (checked against what is left before any use).
    fn take(&mut self, n: usize) -> Result<&'b [u8], Fail> {
        let available = self.remaining();
        if n > available {
            return Err(self.fail(
                self.pos,
                Problem::Truncated {
                    needed: n,
                    available,
                },
            ));
        }
        let bytes: &'b [u8] = self.bytes;
        let taken = bytes.get(self.pos..self.pos + n).unwrap_or_default();
        self.pos += n;
        Ok(taken)
    }

    /// Java's `BinaryDecoder.readInt`: up to 5 bytes, bits past 32 dropped.
    fn read_int(&mut self) -> Result<i32, Fail> {
        let start = self.pos;
        let mut n: u32 = 0;
        for i in 0..5 {
            let Some(&byte) = self.bytes.get(self.pos) else {
                self.pos = start;
                return Err(self.fail(
                    start,
                    Problem::Truncated {
                        needed: i + 1,
                        available: i,
                    },
                ));
            };
            self.pos += 1;
            n |= u32::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(i32::from_ne_bytes(
                    ((n >> 1) ^ (n & 1).wrapping_neg()).to_ne_bytes(),
                ));
            }
        }
        self.pos = start;
        Err(self.fail(start, Problem::InvalidIntEncoding))
    }

    /// Java's `BinaryDecoder.readLong`: up to 10 bytes, bits past 64
    /// dropped.
    fn read_long(&mut self) -> Result<i64, Fail> {
        let start = self.pos;
        let mut n: u64 = 0;
        for i in 0..10 {
            let Some(&byte) = self.bytes.get(self.pos) else {
                self.pos = start;
                return Err(self.fail(
                    start,
                    Problem::Truncated {
                        needed: i + 1,
                        available: i,
                    },
                ));
            };
            self.pos += 1;
            n |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(i64::from_ne_bytes(
                    ((n >> 1) ^ (n & 1).wrapping_neg()).to_ne_bytes(),
                ));
            }
        }
        self.pos = start;
        Err(self.fail(start, Problem::InvalidLongEncoding))
    }

    /// A value of `schema` at the current position.
    fn value(&mut self, schema: &'s Schema, depth: usize) -> Result<(), Fail> {
        if depth > MAX_DEPTH {
            return Err(self.fail(self.pos, Problem::TooDeep));
        }
        let start = self.pos;
        match schema {
            Schema::Null => {
                self.push(start, start, "null".to_owned(), SpanKind::Null)?;
            }
            Schema::Boolean => {
                // Java's `BinaryDecoder.readBoolean`: 1 is true, any other
                // byte false; the label points out bytes other than 0 and 1.
                let byte = self.take(1)?.first().copied().unwrap_or_default();
                let label = match byte {
                    0 => "boolean false".to_owned(),
                    1 => "boolean true".to_owned(),
                    other => format!(
                        "boolean false (byte 0x{other:02x}: the spec allows only 0 and 1; Java reads any byte but 1 as false)"
                    ),
                };
                self.push(start, self.pos, label, SpanKind::Boolean)?;
            }
            Schema::Int | Schema::Date | Schema::TimeMillis => {
                let value = self.read_int()?;
                let label = format!("int {value}{}", logical_suffix(schema));
                self.push(start, self.pos, label, SpanKind::Int)?;
            }
            Schema::Long
            | Schema::TimeMicros
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::TimestampNanos
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros
            | Schema::LocalTimestampNanos => {
                let value = self.read_long()?;
                let label = format!("long {value}{}", logical_suffix(schema));
                self.push(start, self.pos, label, SpanKind::Long)?;
            }
            Schema::Float => {
                let bytes = self.take(4)?;
                let mut raw = [0; 4];
                raw.copy_from_slice(bytes);
                let value = f32::from_le_bytes(raw);
                self.push(start, self.pos, format!("float {value:?}"), SpanKind::Float)?;
            }
            Schema::Double => {
                let bytes = self.take(8)?;
                let mut raw = [0; 8];
                raw.copy_from_slice(bytes);
                let value = f64::from_le_bytes(raw);
                self.push(
                    start,
                    self.pos,
                    format!("double {value:?}"),
                    SpanKind::Double,
                )?;
            }
            Schema::Bytes
            | Schema::BigDecimal
            | Schema::Uuid(UuidSchema::Bytes)
            | Schema::Decimal(DecimalSchema {
                inner: InnerDecimalSchema::Bytes,
                ..
            }) => {
                let index = self.open(SpanKind::Bytes, "bytes".to_owned())?;
                let content = self.length_prefixed()?;
                let label = format!(
                    "bytes ({} byte{}){}: {}",
                    content.len(),
                    if content.len() == 1 { "" } else { "s" },
                    logical_suffix(schema),
                    hex_preview(content)
                );
                self.close(index, label);
            }
            Schema::String | Schema::Uuid(UuidSchema::String) => {
                let index = self.open(SpanKind::String, "string".to_owned())?;
                let content = self.length_prefixed()?;
                let label = format!("string {}{}", text_preview(content), logical_suffix(schema));
                self.close(index, label);
            }
            Schema::Fixed(fixed)
            | Schema::Duration(fixed)
            | Schema::Uuid(UuidSchema::Fixed(fixed))
            | Schema::Decimal(DecimalSchema {
                inner: InnerDecimalSchema::Fixed(fixed),
                ..
            }) => self.fixed(schema, fixed)?,
            Schema::Enum(enumeration) => {
                let index = self.read_int()?;
                let symbol = usize::try_from(index)
                    .ok()
                    .and_then(|i| enumeration.symbols.get(i))
                    .ok_or_else(|| {
                        self.fail(
                            start,
                            Problem::EnumIndexOutOfRange {
                                index,
                                symbols: enumeration.symbols.len(),
                            },
                        )
                    })?;
                let label = format!(
                    "enum {} index {index}: {symbol}",
                    enumeration.name.fullname(None)
                );
                self.push(start, self.pos, label, SpanKind::Enum)?;
            }
            Schema::Union(union) => {
                let index = self.open(SpanKind::Union, "union".to_owned())?;
                let branch_index = self.read_int()?;
                let variants = union.variants();
                let branch = usize::try_from(branch_index)
                    .ok()
                    .and_then(|i| variants.get(i))
                    .ok_or_else(|| {
                        self.fail(
                            start,
                            Problem::UnionBranchOutOfRange {
                                index: branch_index,
                                branches: variants.len(),
                            },
                        )
                    })?;
                let name = type_name(branch);
                self.push(
                    start,
                    self.pos,
                    format!("branch index {branch_index}: {name}"),
                    SpanKind::UnionBranch,
                )?;
                self.value(branch, depth + 1)?;
                self.close(index, format!("union, branch {branch_index}: {name}"));
            }
            Schema::Record(record) => {
                let label = format!("record {}", record.name.fullname(None));
                let index = self.open(SpanKind::Record, label.clone())?;
                for field in &record.fields {
                    let before = self.enter(&field.name);
                    self.value(&field.schema, depth + 1)?;
                    self.leave(before);
                }
                self.close(index, label);
            }
            Schema::Array(array) => {
                let index = self.open(SpanKind::Array, "array".to_owned())?;
                let items = self.blocks(&array.items, false, depth)?;
                let plural = if items == 1 { "" } else { "s" };
                self.close(index, format!("array of {items} item{plural}"));
            }
            Schema::Map(map) => {
                let index = self.open(SpanKind::Map, "map".to_owned())?;
                let entries = self.blocks(&map.types, true, depth)?;
                let plural = if entries == 1 { "y" } else { "ies" };
                self.close(index, format!("map of {entries} entr{plural}"));
            }
            Schema::Ref { name } => {
                let full = name.fullname(None);
                let definition = self
                    .names
                    .get(&full)
                    .copied()
                    .ok_or_else(|| self.fail(start, Problem::UnresolvedName(full)))?;
                self.value(definition, depth + 1)?;
            }
        }
        Ok(())
    }

    fn fixed(&mut self, schema: &'s Schema, fixed: &FixedSchema) -> Result<(), Fail> {
        let start = self.pos;
        let content = self.take(fixed.size)?;
        let label = format!(
            "fixed {} ({} byte{}){}: {}",
            fixed.name.fullname(None),
            fixed.size,
            if fixed.size == 1 { "" } else { "s" },
            logical_suffix(schema),
            hex_preview(content)
        );
        self.push(start, self.pos, label, SpanKind::Fixed)?;
        Ok(())
    }

    /// A zigzag length, then that many bytes; the length gets its own span.
    fn length_prefixed(&mut self) -> Result<&'b [u8], Fail> {
        let start = self.pos;
        let (length_end, length, content) = self.read_length_prefixed()?;
        self.push(
            start,
            length_end,
            format!("length {length}"),
            SpanKind::Length,
        )?;
        Ok(content)
    }

    /// A zigzag length, then that many bytes: returns where the length
    /// ends, the length, and the bytes.
    fn read_length_prefixed(&mut self) -> Result<(usize, i64, &'b [u8]), Fail> {
        let start = self.pos;
        let length = self.read_long()?;
        if length < 0 {
            return Err(self.fail(start, Problem::NegativeLength(length)));
        }
        let length_end = self.pos;
        let available = self.remaining();
        let size = usize::try_from(length)
            .ok()
            .filter(|&size| size <= available)
            .ok_or_else(|| self.fail(start, Problem::LengthTooLong { length, available }))?;
        let content = self.take(size)?;
        Ok((length_end, length, content))
    }

    /// An array's or map's blocks; returns how many items (entries) there
    /// were.
    fn blocks(&mut self, items: &'s Schema, map: bool, depth: usize) -> Result<u64, Fail> {
        // Whether an item can take no bytes at all (a `null`, an empty
        // record): only then may a count exceed the bytes left.
        let free_items = !map && encodes_in_zero_bytes(items, &self.names, &mut self.zero_size, 0);
        let mut total: u64 = 0;
        loop {
            let start = self.pos;
            let count = self.read_long()?;
            if count == 0 {
                let what = if map { "map" } else { "array" };
                self.push(
                    start,
                    self.pos,
                    format!("block count 0: end of {what}"),
                    SpanKind::BlockCount,
                )?;
                return Ok(total);
            }
            let items_in_block = count
                .checked_abs()
                .map(i64::unsigned_abs)
                .ok_or_else(|| self.fail(start, Problem::BlockCountOutOfRange(count)))?;
            let label = if count < 0 {
                format!("block count {count}: {items_in_block} items, byte size follows")
            } else {
                format!("block count {count}")
            };
            self.push(start, self.pos, label, SpanKind::BlockCount)?;
            // A negative count's byte size lets a reader skip the block;
            // Java's reader reads the items and ignores it, so a wrong size
            // is pointed out in its label, not refused.
            let size_span = if count < 0 {
                let size_start = self.pos;
                let size = self.read_long()?;
                let index = self.push(
                    size_start,
                    self.pos,
                    format!("block size {size} bytes"),
                    SpanKind::BlockSize,
                )?;
                Some((index, size))
            } else {
                None
            };
            let available = self.remaining();
            if !free_items && u64::try_from(available).is_ok_and(|a| items_in_block > a) {
                return Err(self.fail(
                    start,
                    Problem::BlockCountTooLarge {
                        count: items_in_block,
                        available,
                    },
                ));
            }
            let items_start = self.pos;
            for _ in 0..items_in_block {
                if map {
                    let key_start = self.pos;
                    let (length_end, length, content) = self.read_length_prefixed()?;
                    let before = self.enter(&key_segment(content));
                    self.push(
                        key_start,
                        self.pos,
                        format!("key {}", text_preview(content)),
                        SpanKind::MapKey,
                    )?;
                    self.push(
                        key_start,
                        length_end,
                        format!("length {length}"),
                        SpanKind::Length,
                    )?;
                    self.value(items, depth + 1)?;
                    self.leave(before);
                } else {
                    let before = self.enter(&total.to_string());
                    self.value(items, depth + 1)?;
                    self.leave(before);
                }
                total += 1;
            }
            if let Some((index, size)) = size_span {
                let actual = self.pos - items_start;
                if usize::try_from(size) != Ok(actual) {
                    if let Some(span) = self.spans.get_mut(index) {
                        span.label = format!(
                            "block size {size} bytes (wrong: the items take {actual}; Java's reader ignores it, a reader skipping the block would not)"
                        );
                    }
                }
            }
        }
    }
}

/// Whether a value of `schema` can take no bytes: `null`, a zero-size
/// `fixed`, or a record of such fields. `memo` remembers each named record
/// (`None` while it is being decided: a record inside itself is never
/// free), so shared named types cost one visit, however the schema nests.
fn encodes_in_zero_bytes(
    schema: &Schema,
    names: &OrdMap<String, &Schema>,
    memo: &mut OrdMap<String, Option<bool>>,
    depth: usize,
) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match schema {
        Schema::Null => true,
        Schema::Fixed(fixed)
        | Schema::Duration(fixed)
        | Schema::Uuid(UuidSchema::Fixed(fixed))
        | Schema::Decimal(DecimalSchema {
            inner: InnerDecimalSchema::Fixed(fixed),
            ..
        }) => fixed.size == 0,
        Schema::Record(record) => {
            let full = record.name.fullname(None);
            if let Some(known) = memo.get(&full) {
                return known.unwrap_or(false);
            }
            memo.insert(full.clone(), None);
            let free = record
                .fields
                .iter()
                .all(|field| encodes_in_zero_bytes(&field.schema, names, memo, depth + 1));
            memo.insert(full, Some(free));
            free
        }
        Schema::Ref { name } => names
            .get(&name.fullname(None))
            .is_some_and(|definition| encodes_in_zero_bytes(definition, names, memo, depth + 1)),
        _ => false,
    }
}

/// ` (date)`, ` (decimal(9,2))`, ...: the logical type a label mentions.
fn logical_suffix(schema: &Schema) -> String {
    let name = match schema {
        Schema::Date => "date".to_owned(),
        Schema::TimeMillis => "time-millis".to_owned(),
        Schema::TimeMicros => "time-micros".to_owned(),
        Schema::TimestampMillis => "timestamp-millis".to_owned(),
        Schema::TimestampMicros => "timestamp-micros".to_owned(),
        Schema::TimestampNanos => "timestamp-nanos".to_owned(),
        Schema::LocalTimestampMillis => "local-timestamp-millis".to_owned(),
        Schema::LocalTimestampMicros => "local-timestamp-micros".to_owned(),
        Schema::LocalTimestampNanos => "local-timestamp-nanos".to_owned(),
        Schema::BigDecimal => "big-decimal".to_owned(),
        Schema::Uuid(_) => "uuid".to_owned(),
        Schema::Duration(_) => "duration".to_owned(),
        Schema::Decimal(decimal) => format!("decimal({},{})", decimal.precision, decimal.scale),
        _ => return String::new(),
    };
    format!(" ({name})")
}

/// A short name for a schema, as a union branch label shows it.
fn type_name(schema: &Schema) -> String {
    match schema {
        Schema::Null => "null".to_owned(),
        Schema::Boolean => "boolean".to_owned(),
        Schema::Int => "int".to_owned(),
        Schema::Long => "long".to_owned(),
        Schema::Float => "float".to_owned(),
        Schema::Double => "double".to_owned(),
        Schema::Bytes => "bytes".to_owned(),
        Schema::String => "string".to_owned(),
        Schema::Array(_) => "array".to_owned(),
        Schema::Map(_) => "map".to_owned(),
        Schema::Union(_) => "union".to_owned(),
        other => match other.name() {
            Some(name) => name.fullname(None),
            None => logical_suffix(other)
                .trim_start_matches(" (")
                .trim_end_matches(')')
                .to_owned(),
        },
    }
}

/// The longest map key a path shows in full, in characters.
const MAX_KEY_SEGMENT: usize = 64;

/// A map key as a path segment: UTF-8 (invalid sequences replaced), cut to
/// [`MAX_KEY_SEGMENT`] characters with `…` after, so that a huge key does
/// not make every span below it carry a huge path.
fn key_segment(key: &[u8]) -> String {
    let prefix = key.get(..MAX_KEY_SEGMENT * 4).unwrap_or(key);
    let text = String::from_utf8_lossy(prefix);
    let mut chars = text.chars();
    let mut segment: String = chars.by_ref().take(MAX_KEY_SEGMENT).collect();
    if chars.next().is_some() || prefix.len() < key.len() {
        segment.push('…');
    }
    segment
}

/// Up to [`PREVIEW`] bytes in hex, `…` after if there are more.
fn hex_preview(bytes: &[u8]) -> String {
    let mut preview = String::new();
    for (i, byte) in bytes.iter().take(PREVIEW).enumerate() {
        if i > 0 {
            preview.push(' ');
        }
        // Writing to a String cannot fail.
        let _ = write!(preview, "{byte:02x}");
    }
    if bytes.len() > PREVIEW {
        preview.push_str(" …");
    }
    preview
}

/// Up to [`PREVIEW`] characters of UTF-8 (invalid sequences replaced),
/// quoted and escaped, `…` after if there are more.
fn text_preview(bytes: &[u8]) -> String {
    // Decoding a bounded prefix keeps the work independent of the length;
    // a character cut at the boundary shows as a replacement character.
    let prefix = bytes.get(..PREVIEW * 4).unwrap_or(bytes);
    let text = String::from_utf8_lossy(prefix);
    let mut chars = text.chars();
    let shown: String = chars.by_ref().take(PREVIEW).collect();
    let more = chars.next().is_some() || prefix.len() < bytes.len();
    format!("{shown:?}{}", if more { "…" } else { "" })
}

#[cfg(test)]
mod tests {
    //! Framing (Confluent and single-object, against Java's texts and
    //! `apache-avro`'s own single-object writer), the annotator's spans for
    //! hand-assembled messages, its errors, and a no-panic loop over
    //! truncated and mutated messages.

    use std::collections::HashMap;

    use apache_avro::headers::{HeaderBuilder, RabinFingerprintHeader};
    use apache_avro::types::Value;
    use apache_avro::writer::datum::GenericDatumWriter;
    use apache_avro::{Decimal, GenericSingleObjectWriter};

    use super::*;

    fn parse(json: &str) -> Schema {
        crate::avro::parse::parse_schema(json)
            .unwrap_or_else(|e| panic!("{json} does not parse: {e}"))
    }

    /// The Avro binary encoding of `value` (apache-avro's writer).
    fn to_avro_datum(schema: &Schema, value: Value) -> Vec<u8> {
        GenericDatumWriter::builder(schema)
            .build()
            .and_then(|writer| writer.write_value_to_vec(value))
            .unwrap_or_else(|e| panic!("the value does not fit the schema: {e}"))
    }

    /// A span as a comparable tuple.
    fn row(span: &Span) -> (usize, usize, SpanKind, &str, &str) {
        (
            span.start,
            span.end,
            span.kind,
            span.path.as_str(),
            span.label.as_str(),
        )
    }

    fn rows(spans: &[Span]) -> Vec<(usize, usize, SpanKind, &str, &str)> {
        spans.iter().map(row).collect()
    }

    /// The zigzag varint of `n`, as Avro writes a long.
    fn zigzag(n: i64) -> Vec<u8> {
        let mut z = u64::from_ne_bytes(((n << 1) ^ (n >> 63)).to_ne_bytes());
        let mut out = Vec::new();
        loop {
            let byte = u8::try_from(z & 0x7f).expect("7 bits");
            z >>= 7;
            if z == 0 {
                out.push(byte);
                return out;
            }
            out.push(byte | 0x80);
        }
    }

    fn framed(id: i32, parts: &[&[u8]]) -> Vec<u8> {
        encode(id, &parts.concat())
    }

    const USER: &str = r#"{"type":"record","name":"User","namespace":"acme","fields":[
        {"name":"id","type":"long"},
        {"name":"name","type":"string"},
        {"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"zip","type":"string"}]}},
        {"name":"email","type":["null","string"]},
        {"name":"tags","type":{"type":"array","items":"string"}}]}"#;

    /// A schema with every kind of value, recursive through a union.
    const ORDER: &str = r#"{"type":"record","name":"Order","namespace":"shop","fields":[
        {"name":"id","type":"long"},
        {"name":"customer","type":"string"},
        {"name":"paid","type":"boolean"},
        {"name":"total","type":"double"},
        {"name":"weight","type":"float"},
        {"name":"count","type":"int"},
        {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","SHIPPED"]}},
        {"name":"hash","type":{"type":"fixed","name":"Hash","size":4}},
        {"name":"raw","type":"bytes"},
        {"name":"address","type":{"type":"record","name":"Address","fields":[
            {"name":"street","type":"string"},{"name":"zip","type":["null","string"]}]}},
        {"name":"billing","type":["null","Address"]},
        {"name":"tags","type":{"type":"array","items":"string"}},
        {"name":"attributes","type":{"type":"map","values":"int"}},
        {"name":"day","type":{"type":"int","logicalType":"date"}},
        {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
        {"name":"flags","type":{"type":"array","items":"null"}},
        {"name":"next","type":["null","Order"]}]}"#;

    fn address(street: &str, zip: Option<&str>) -> Value {
        Value::Record(vec![
            ("street".into(), Value::String(street.into())),
            (
                "zip".into(),
                match zip {
                    Some(zip) => Value::Union(1, Box::new(Value::String(zip.into()))),
                    None => Value::Union(0, Box::new(Value::Null)),
                },
            ),
        ])
    }

    fn order(id: i64, next: Option<Value>) -> Value {
        Value::Record(vec![
            ("id".into(), Value::Long(id)),
            ("customer".into(), Value::String("Zoë Ünal".into())),
            ("paid".into(), Value::Boolean(true)),
            ("total".into(), Value::Double(1234.5)),
            ("weight".into(), Value::Float(-0.25)),
            ("count".into(), Value::Int(-300)),
            ("status".into(), Value::Enum(2, "SHIPPED".into())),
            ("hash".into(), Value::Fixed(4, vec![0xde, 0xad, 0xbe, 0xef])),
            ("raw".into(), Value::Bytes(vec![0, 1, 2, 0xff])),
            ("address".into(), address("1 Main St", Some("12345"))),
            (
                "billing".into(),
                Value::Union(1, Box::new(address("PO Box 9", None))),
            ),
            (
                "tags".into(),
                Value::Array(vec![
                    Value::String("gift".into()),
                    Value::String("rush".into()),
                ]),
            ),
            (
                "attributes".into(),
                Value::Map(HashMap::from([("color/hue".to_owned(), Value::Int(7))])),
            ),
            ("day".into(), Value::Date(19_000)),
            (
                "amount".into(),
                Value::Decimal(Decimal::from(vec![0x30, 0x39])),
            ),
            (
                "flags".into(),
                Value::Array(vec![Value::Null, Value::Null, Value::Null]),
            ),
            (
                "next".into(),
                match next {
                    Some(next) => Value::Union(1, Box::new(next)),
                    None => Value::Union(0, Box::new(Value::Null)),
                },
            ),
        ])
    }

    /// A valid Confluent-framed ORDER message, two orders deep.
    fn order_message(schema: &Schema) -> Vec<u8> {
        let value = order(7, Some(order(8, None)));
        let payload = to_avro_datum(schema, value);
        encode(3, &payload)
    }

    /// Spans lie inside the message, and start in order.
    fn assert_well_formed(spans: &[Span], len: usize) {
        for span in spans {
            assert!(
                span.start <= span.end && span.end <= len,
                "{span:?} in {len} bytes"
            );
        }
        for pair in spans.windows(2) {
            assert!(
                pair[0].start <= pair[1].start,
                "{:?} then {:?}",
                pair[0],
                pair[1]
            );
        }
    }

    // --- Confluent framing ---------------------------------------------------

    #[test]
    fn confluent_round_trip() {
        let message = encode(42, &[0xaa, 0xbb]);
        assert_eq!(message, [0, 0, 0, 0, 42, 0xaa, 0xbb]);
        assert_eq!(decode(&message), Ok((42, &[0xaa_u8, 0xbb][..])));
        assert_eq!(encode_header(0x0102_0304), [0, 1, 2, 3, 4]);
        assert_eq!(encode_header(-1), [0, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(decode(&encode(i32::MAX, &[])), Ok((i32::MAX, &[][..])));
        // An empty payload (a `null` value, an empty record) is fine.
        assert_eq!(decode(&[0, 0, 0, 0, 1]), Ok((1, &[][..])));
    }

    #[test]
    fn confluent_errors_are_javas() {
        assert_eq!(decode(&[]), Err(WireFormatError::TooShort { len: 0 }));
        assert_eq!(
            decode(&[0, 0, 0]),
            Err(WireFormatError::TooShort { len: 3 })
        );
        // The magic byte is checked first, as Java does.
        assert_eq!(
            decode(&[7]),
            Err(WireFormatError::UnknownMagicByte { found: 7 })
        );
        assert_eq!(
            decode(b"{\"json\":true}"),
            Err(WireFormatError::UnknownMagicByte { found: b'{' })
        );
        assert_eq!(
            WireFormatError::UnknownMagicByte { found: 1 }.to_string(),
            "Unknown magic byte!"
        );
        assert_eq!(
            WireFormatError::TooShort { len: 3 }.to_string(),
            "Too few bytes for the Confluent wire format: 3 (a magic byte and a 4-byte schema id need 5)"
        );
    }

    #[test]
    fn confluent_lookup_hook() {
        let message = encode(7, &[2]);
        let found = decode_with(&message, |id| (id == 7).then_some("schema seven"));
        assert_eq!(found, Ok((7, "schema seven", &[2_u8][..])));
        let missing = decode_with(&message, |_| None::<()>);
        assert_eq!(missing, Err(WireFormatError::SchemaNotFound { id: 7 }));
        assert_eq!(
            missing.map_err(|e| e.to_string()),
            Err("Schema 7 not found; error code: 40403".to_owned())
        );
        // Framing errors come before the lookup, which is not called.
        assert_eq!(
            decode_with(&[1, 0, 0, 0, 7], |_| -> Option<()> { panic!("no lookup") }),
            Err(WireFormatError::UnknownMagicByte { found: 1 })
        );
    }

    // --- Single-object encoding ---------------------------------------------

    #[test]
    fn single_object_round_trip_and_errors() {
        let message = encode_single_object(-2, &[9]);
        assert_eq!(
            message,
            [0xc3, 0x01, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 9]
        );
        assert_eq!(decode_single_object(&message), Ok((-2, &[9_u8][..])));
        assert_eq!(
            decode_single_object(&message[..9]),
            Err(SingleObjectError::TooShort { len: 9 })
        );
        // Java checks the length before the marker.
        assert_eq!(
            decode_single_object(&[0, 0]).map_err(|e| e.to_string()),
            Err("Not enough header bytes".to_owned())
        );
        let mut bad = message.clone();
        bad[1] = 0x02;
        assert_eq!(
            decode_single_object(&bad),
            Err(SingleObjectError::BadMarker {
                found: [0xc3, 0x02]
            })
        );
        assert_eq!(
            decode_single_object(&bad).map_err(|e| e.to_string()),
            Err("Unrecognized header bytes: 0xC3 0x02".to_owned())
        );
        assert_eq!(
            decode_single_object_with(&message, |fp| (fp == -2).then_some("s")),
            Ok((-2, "s", &[9_u8][..]))
        );
        assert_eq!(
            decode_single_object_with(&message, |_| None::<()>).map_err(|e| e.to_string()),
            Err("Cannot resolve schema for fingerprint: -2".to_owned())
        );
    }

    /// For a plain schema the header is apache-avro's; with a logical type
    /// apache-avro fingerprints a wrong canonical form, so a Java reader
    /// would not recognise its header.
    #[test]
    fn single_object_header_against_apache_avro() {
        let plain = parse(USER);
        let header = single_object_header_for(&plain).expect("header");
        assert_eq!(
            header.to_vec(),
            RabinFingerprintHeader::from_schema(&plain).build_header()
        );
        let value = Value::Record(vec![
            ("id".into(), Value::Long(1)),
            ("name".into(), Value::String("Ann".into())),
            (
                "address".into(),
                Value::Record(vec![("zip".into(), Value::String("12".into()))]),
            ),
            ("email".into(), Value::Union(0, Box::new(Value::Null))),
            ("tags".into(), Value::Array(vec![])),
        ]);
        let payload = to_avro_datum(&plain, value.clone());
        let mut written = Vec::new();
        GenericSingleObjectWriter::new_with_capacity(&plain, 64)
            .expect("writer")
            .write_value(value, &mut written)
            .expect("write");
        let fingerprint = canonical::parsing_fingerprint64(&plain).expect("fingerprint");
        assert_eq!(written, encode_single_object(fingerprint, &payload));

        let dated = parse(
            r#"{"type":"record","name":"E","fields":[{"name":"d","type":{"type":"int","logicalType":"date"}}]}"#,
        );
        let header = single_object_header_for(&dated).expect("header");
        assert_eq!(
            canonical::parsing_canonical_form(&dated).as_deref(),
            Ok(r#"{"name":"E","type":"record","fields":[{"name":"d","type":"int"}]}"#)
        );
        assert_ne!(
            header.to_vec(),
            RabinFingerprintHeader::from_schema(&dated).build_header()
        );
    }

    // --- The annotator -------------------------------------------------------

    #[test]
    fn annotates_a_confluent_message_field_by_field() {
        let schema = parse(USER);
        let message = framed(
            42,
            &[
                &[0x02],                   // id 1
                &[0x06, b'A', b'n', b'n'], // name "Ann"
                &[0x04, b'1', b'2'],       // address.zip "12"
                &[0x02, 0x02, b'a'],       // email: branch 1, "a"
                &[0x02, 0x02, b'x', 0x00], // tags: 1 item, "x", end
            ],
        );
        let spans = annotate(&schema, &message).expect("annotate");
        assert_eq!(
            rows(&spans),
            [
                (0, 1, SpanKind::MagicByte, "", "magic byte 0x00"),
                (1, 5, SpanKind::SchemaId, "", "schema id 42"),
                (5, 20, SpanKind::Record, "", "record acme.User"),
                (5, 6, SpanKind::Long, "/id", "long 1"),
                (6, 10, SpanKind::String, "/name", "string \"Ann\""),
                (6, 7, SpanKind::Length, "/name", "length 3"),
                (10, 13, SpanKind::Record, "/address", "record acme.Address"),
                (10, 13, SpanKind::String, "/address/zip", "string \"12\""),
                (10, 11, SpanKind::Length, "/address/zip", "length 2"),
                (13, 16, SpanKind::Union, "/email", "union, branch 1: string"),
                (
                    13,
                    14,
                    SpanKind::UnionBranch,
                    "/email",
                    "branch index 1: string"
                ),
                (14, 16, SpanKind::String, "/email", "string \"a\""),
                (14, 15, SpanKind::Length, "/email", "length 1"),
                (16, 20, SpanKind::Array, "/tags", "array of 1 item"),
                (16, 17, SpanKind::BlockCount, "/tags", "block count 1"),
                (17, 19, SpanKind::String, "/tags/0", "string \"x\""),
                (17, 18, SpanKind::Length, "/tags/0", "length 1"),
                (
                    19,
                    20,
                    SpanKind::BlockCount,
                    "/tags",
                    "block count 0: end of array"
                ),
            ]
        );
        assert_well_formed(&spans, message.len());
    }

    #[test]
    fn annotates_every_primitive_and_logical_type() {
        let schema = parse(
            r#"{"type":"record","name":"T","fields":[
                {"name":"n","type":"null"},
                {"name":"b","type":"boolean"},
                {"name":"f","type":"float"},
                {"name":"d","type":"double"},
                {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
                {"name":"x","type":{"type":"fixed","name":"X","size":2}},
                {"name":"y","type":"bytes"},
                {"name":"day","type":{"type":"int","logicalType":"date"}},
                {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
                {"name":"big","type":"long"}]}"#,
        );
        let datum = [
            &[0x01][..],
            &1.5_f32.to_le_bytes(),
            &2.25_f64.to_le_bytes(),
            &[0x02],
            &[0xab, 0xcd],
            &[0x04, 0x01, 0x02],
            &zigzag(19_000),
            &[0x02],
            &zigzag(i64::MIN),
        ]
        .concat();
        // Two bytes more than the record takes.
        let message = [&datum[..], &[0, 0]].concat();
        let spans = annotate_datum(&schema, &[], &message).expect("annotate");
        assert_eq!(
            rows(&spans),
            [
                (0, 33, SpanKind::Record, "", "record T"),
                (0, 0, SpanKind::Null, "/n", "null"),
                (0, 1, SpanKind::Boolean, "/b", "boolean true"),
                (1, 5, SpanKind::Float, "/f", "float 1.5"),
                (5, 13, SpanKind::Double, "/d", "double 2.25"),
                (13, 14, SpanKind::Enum, "/e", "enum E index 1: B"),
                (14, 16, SpanKind::Fixed, "/x", "fixed X (2 bytes): ab cd"),
                (16, 19, SpanKind::Bytes, "/y", "bytes (2 bytes): 01 02"),
                (16, 17, SpanKind::Length, "/y", "length 2"),
                (19, 22, SpanKind::Int, "/day", "int 19000 (date)"),
                (22, 23, SpanKind::Long, "/ts", "long 1 (timestamp-millis)"),
                (23, 33, SpanKind::Long, "/big", "long -9223372036854775808"),
                (
                    33,
                    35,
                    SpanKind::Trailing,
                    "",
                    "2 bytes after the value (never read)"
                ),
            ]
        );
    }

    #[test]
    fn annotates_maps_with_sized_blocks_and_escapes_keys() {
        let schema = parse(r#"{"type":"map","values":"int"}"#);
        // One block of -2 entries (so a byte size follows), then the end.
        let datum = [
            0x03, 0x10, 0x02, b'a', 0x02, 0x06, b'a', b'/', b'~', 0x01, 0x00,
        ];
        let spans = annotate_datum(&schema, &[], &datum).expect("annotate");
        assert_eq!(
            rows(&spans),
            [
                (0, 11, SpanKind::Map, "", "map of 2 entries"),
                (
                    0,
                    1,
                    SpanKind::BlockCount,
                    "",
                    "block count -2: 2 items, byte size follows"
                ),
                (1, 2, SpanKind::BlockSize, "", "block size 8 bytes"),
                (2, 4, SpanKind::MapKey, "/a", "key \"a\""),
                (2, 3, SpanKind::Length, "/a", "length 1"),
                (4, 5, SpanKind::Int, "/a", "int 1"),
                (5, 9, SpanKind::MapKey, "/a~1~0", "key \"a/~\""),
                (5, 6, SpanKind::Length, "/a~1~0", "length 3"),
                (9, 10, SpanKind::Int, "/a~1~0", "int -1"),
                (
                    10,
                    11,
                    SpanKind::BlockCount,
                    "",
                    "block count 0: end of map"
                ),
            ]
        );
    }

    #[test]
    fn annotates_single_objects_and_recursive_types() {
        let schema = parse(
            r#"{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}"#,
        );
        let fingerprint = canonical::parsing_fingerprint64(&schema).expect("fingerprint");
        let message = encode_single_object(fingerprint, &[0x02, 0x02, 0x04, 0x00]);
        let spans = annotate_single_object(&schema, &[], &message).expect("annotate");
        let fingerprint_label =
            format!("CRC-64-AVRO fingerprint {fingerprint} (the writer schema's)");
        assert_eq!(
            rows(&spans),
            [
                (0, 2, SpanKind::Marker, "", "single-object marker C3 01"),
                (2, 10, SpanKind::Fingerprint, "", fingerprint_label.as_str()),
                (10, 14, SpanKind::Record, "", "record Node"),
                (10, 11, SpanKind::Int, "/v", "int 1"),
                (11, 14, SpanKind::Union, "/next", "union, branch 1: Node"),
                (
                    11,
                    12,
                    SpanKind::UnionBranch,
                    "/next",
                    "branch index 1: Node"
                ),
                (12, 14, SpanKind::Record, "/next", "record Node"),
                (12, 13, SpanKind::Int, "/next/v", "int 2"),
                (
                    13,
                    14,
                    SpanKind::Union,
                    "/next/next",
                    "union, branch 0: null"
                ),
                (
                    13,
                    14,
                    SpanKind::UnionBranch,
                    "/next/next",
                    "branch index 0: null"
                ),
                (14, 14, SpanKind::Null, "/next/next", "null"),
            ]
        );
        let other = encode_single_object(fingerprint ^ 1, &[0x02, 0x00]);
        let spans = annotate_single_object(&schema, &[], &other).expect("annotate");
        assert!(
            spans[1].label.ends_with("(not the writer schema's)"),
            "{}",
            spans[1].label
        );
    }

    #[test]
    fn annotates_with_schema_references() {
        let schemas = Schema::parse_list([
            r#"{"type":"record","name":"Address","namespace":"acme","fields":[{"name":"zip","type":"string"}]}"#,
            r#"{"type":"record","name":"Customer","namespace":"acme","fields":[{"name":"home","type":"Address"}]}"#,
        ])
        .expect("parse_list");
        let message = framed(5, &[&[0x02, b'9']]);
        let error = annotate(&schemas[1], &message).expect_err("Address is undefined alone");
        assert_eq!(
            error.problem,
            Problem::UnresolvedName("acme.Address".into())
        );
        assert_eq!(error.path, "/home");
        let spans =
            annotate_with_references(&schemas[1], &schemas[..1], &message).expect("annotate");
        assert_eq!(
            rows(&spans[2..]),
            [
                (5, 7, SpanKind::Record, "", "record acme.Customer"),
                (5, 7, SpanKind::Record, "/home", "record acme.Address"),
                (5, 7, SpanKind::String, "/home/zip", "string \"9\""),
                (5, 6, SpanKind::Length, "/home/zip", "length 1"),
            ]
        );
    }

    #[test]
    fn a_valid_message_is_fully_annotated() {
        let schema = parse(ORDER);
        let message = order_message(&schema);
        let spans = annotate(&schema, &message).expect("annotate");
        assert_well_formed(&spans, message.len());
        assert!(spans.iter().all(|span| span.kind != SpanKind::Trailing));
        assert_eq!(spans[2].end, message.len(), "the record covers the payload");
        let find = |path: &str, kind: SpanKind| {
            spans
                .iter()
                .find(|span| span.path == path && span.kind == kind)
                .unwrap_or_else(|| panic!("no {kind:?} at {path}"))
                .label
                .clone()
        };
        assert_eq!(find("/customer", SpanKind::String), "string \"Zoë Ünal\"");
        assert_eq!(find("/count", SpanKind::Int), "int -300");
        assert_eq!(
            find("/status", SpanKind::Enum),
            "enum shop.Status index 2: SHIPPED"
        );
        assert_eq!(
            find("/hash", SpanKind::Fixed),
            "fixed shop.Hash (4 bytes): de ad be ef"
        );
        assert_eq!(
            find("/billing", SpanKind::UnionBranch),
            "branch index 1: shop.Address"
        );
        assert_eq!(find("/billing/zip", SpanKind::Null), "null");
        assert_eq!(find("/tags/1", SpanKind::String), "string \"rush\"");
        assert_eq!(find("/attributes/color~1hue", SpanKind::Int), "int 7");
        assert_eq!(find("/day", SpanKind::Int), "int 19000 (date)");
        assert_eq!(
            find("/amount", SpanKind::Bytes),
            "bytes (2 bytes) (decimal(9,2)): 30 39"
        );
        assert_eq!(find("/flags", SpanKind::Array), "array of 3 items");
        assert_eq!(find("/flags/2", SpanKind::Null), "null");
        assert_eq!(find("/next/id", SpanKind::Long), "long 8");
        assert_eq!(
            find("/next/next", SpanKind::UnionBranch),
            "branch index 0: null"
        );
    }

    fn problem(schema: &Schema, message: &[u8]) -> AnnotateError {
        annotate(schema, message).expect_err("the message is bad")
    }

    #[test]
    fn framing_problems() {
        let schema = parse(r#""string""#);
        let error = problem(&schema, &[1, 0, 0, 0, 1, 0]);
        assert_eq!(
            error.problem,
            Problem::Framing(WireFormatError::UnknownMagicByte { found: 1 })
        );
        assert_eq!(error.to_string(), "Unknown magic byte! (at byte 0)");
        assert!(error.partial.is_empty());
        let error = problem(&schema, &[0, 0]);
        assert_eq!(
            error.problem,
            Problem::Framing(WireFormatError::TooShort { len: 2 })
        );
    }

    #[test]
    fn truncation_and_lengths() {
        let schema = parse(USER);
        // The name says 3 bytes, 2 follow.
        let error = problem(&schema, &framed(1, &[&[0x02, 0x06, b'A', b'n']]));
        assert_eq!(
            error.problem,
            Problem::LengthTooLong {
                length: 3,
                available: 2
            }
        );
        assert_eq!((error.offset, error.path.as_str()), (6, "/name"));
        assert_eq!(
            error.to_string(),
            "length 3 is more than the 2 bytes left (at byte 6, in /name)"
        );
        // The record and the string opened before the problem end there.
        assert_eq!(
            rows(&error.partial),
            [
                (0, 1, SpanKind::MagicByte, "", "magic byte 0x00"),
                (1, 5, SpanKind::SchemaId, "", "schema id 1"),
                (5, 6, SpanKind::Record, "", "record acme.User (incomplete)"),
                (5, 6, SpanKind::Long, "/id", "long 1"),
                (6, 6, SpanKind::String, "/name", "string (incomplete)"),
            ]
        );
        // A length of 2^62: refused before anything is allocated.
        let error = problem(&schema, &framed(1, &[&[0x02], &zigzag(1 << 62)]));
        assert_eq!(
            error.problem,
            Problem::LengthTooLong {
                length: 1 << 62,
                available: 0
            }
        );
        let error = problem(&schema, &framed(1, &[&[0x02], &zigzag(-3)]));
        assert_eq!(error.problem, Problem::NegativeLength(-3));
        assert_eq!(
            error.problem.to_string(),
            "Malformed data. Length is negative: -3"
        );
        // The id's varint stops in the middle.
        let error = problem(&schema, &framed(1, &[&[0x80, 0x80]]));
        assert_eq!(
            error.problem,
            Problem::Truncated {
                needed: 3,
                available: 2
            }
        );
        assert_eq!((error.offset, error.path.as_str()), (5, "/id"));
        // Nothing at all after the header.
        let error = problem(&schema, &framed(1, &[]));
        assert_eq!(
            error.problem,
            Problem::Truncated {
                needed: 1,
                available: 0
            }
        );
        let error = problem(&parse(r#""double""#), &framed(1, &[&[0; 7]]));
        assert_eq!(
            error.problem,
            Problem::Truncated {
                needed: 8,
                available: 7
            }
        );
    }

    #[test]
    fn varint_encodings() {
        let error = problem(&parse(r#""long""#), &framed(1, &[&[0xff; 11]]));
        assert_eq!(error.problem, Problem::InvalidLongEncoding);
        assert_eq!(error.problem.to_string(), "Invalid long encoding");
        let error = problem(&parse(r#""int""#), &framed(1, &[&[0xff; 6]]));
        assert_eq!(error.problem, Problem::InvalidIntEncoding);
        // As Java, a 5-byte int keeps its low 32 bits; a 10-byte long its 64.
        let spans = annotate(
            &parse(r#""int""#),
            &framed(1, &[&[0xff, 0xff, 0xff, 0xff, 0x7f]]),
        )
        .expect("annotate");
        assert_eq!(spans[2].label, "int -2147483648");
        let spans = annotate(
            &parse(r#""long""#),
            &framed(
                1,
                &[&[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
            ),
        )
        .expect("annotate");
        assert_eq!(spans[2].label, "long 9223372036854775807");
    }

    #[test]
    fn block_counts() {
        let strings = parse(r#"{"type":"array","items":"string"}"#);
        let error = problem(&strings, &framed(1, &[&zigzag(1 << 62)]));
        assert_eq!(
            error.problem,
            Problem::BlockCountTooLarge {
                count: 1 << 62,
                available: 0
            }
        );
        let error = problem(&strings, &framed(1, &[&zigzag(i64::MIN)]));
        assert_eq!(error.problem, Problem::BlockCountOutOfRange(i64::MIN));
        // A negative count is followed by its block's byte size.
        let spans =
            annotate(&strings, &framed(1, &[&[0x01, 0x04, 0x02, b'a', 0x00]])).expect("annotate");
        assert_eq!(
            rows(&spans[2..5]),
            [
                (5, 10, SpanKind::Array, "", "array of 1 item"),
                (
                    5,
                    6,
                    SpanKind::BlockCount,
                    "",
                    "block count -1: 1 items, byte size follows"
                ),
                (6, 7, SpanKind::BlockSize, "", "block size 2 bytes"),
            ]
        );
        // A byte size that is wrong: Java reads the items anyway.
        for (size, shown) in [(0x06, "3"), (0x7e, "63"), (0x01, "-1")] {
            let spans = annotate(&strings, &framed(1, &[&[0x01, size, 0x02, b'a', 0x00]]))
                .expect("annotate");
            assert_eq!(
                spans[4].label,
                format!(
                    "block size {shown} bytes (wrong: the items take 2; Java's reader ignores it, a reader skipping the block would not)"
                )
            );
        }
        // Maps: every entry has a key, so the count is bounded by the bytes.
        let map = parse(r#"{"type":"map","values":"null"}"#);
        let error = problem(&map, &framed(1, &[&zigzag(5), &[0x00]]));
        assert_eq!(
            error.problem,
            Problem::BlockCountTooLarge {
                count: 5,
                available: 1
            }
        );
    }

    #[test]
    fn items_that_take_no_bytes() {
        // Five nulls in one byte of count: legal, annotated.
        let nulls = parse(r#"{"type":"array","items":"null"}"#);
        let spans = annotate(&nulls, &framed(1, &[&[0x0a, 0x00]])).expect("annotate");
        assert_eq!(
            spans
                .iter()
                .filter(|span| span.kind == SpanKind::Null)
                .count(),
            5
        );
        assert_eq!(spans[2].label, "array of 5 items");
        // 2^62 of them: stopped by the span budget, not by memory or time.
        let error = problem(&nulls, &framed(1, &[&zigzag(1 << 62), &[0x00]]));
        assert_eq!(error.problem, Problem::TooManySpans);
        assert_eq!(error.partial.len(), MAX_SPANS);
        // Empty records take no bytes either.
        let empty = parse(
            r#"{"type":"array","items":{"type":"record","name":"Nothing","fields":[{"name":"n","type":"null"}]}}"#,
        );
        let spans = annotate(&empty, &framed(1, &[&[0x06, 0x00]])).expect("annotate");
        assert_eq!(spans[2].label, "array of 3 items");
        // Named records shared down 30 levels: 2^30 nulls per item. Deciding
        // that they take no bytes visits each name once, and the walk stops
        // at the span budget.
        let mut schema =
            r#"{"type":"record","name":"R30","fields":[{"name":"n","type":"null"}]}"#.to_owned();
        for level in (0..30).rev() {
            let next = level + 1;
            schema = format!(
                r#"{{"type":"record","name":"R{level}","fields":[{{"name":"a","type":{schema}}},{{"name":"b","type":"R{next}"}}]}}"#
            );
        }
        let shared = parse(&format!(r#"{{"type":"array","items":{schema}}}"#));
        let error = problem(&shared, &framed(1, &[&[0x02, 0x00]]));
        assert_eq!(error.problem, Problem::TooManySpans);
    }

    #[test]
    fn indices_and_booleans() {
        let spans = annotate(&parse(r#""boolean""#), &framed(1, &[&[0x00]])).expect("annotate");
        assert_eq!(spans[2].label, "boolean false");
        let union = parse(r#"["null","string"]"#);
        let error = problem(&union, &framed(1, &[&[0x04]]));
        assert_eq!(
            error.problem,
            Problem::UnionBranchOutOfRange {
                index: 2,
                branches: 2
            }
        );
        let error = problem(&union, &framed(1, &[&[0x01]]));
        assert_eq!(
            error.problem,
            Problem::UnionBranchOutOfRange {
                index: -1,
                branches: 2
            }
        );
        let enumeration = parse(r#"{"type":"enum","name":"E","symbols":["A"]}"#);
        let error = problem(&enumeration, &framed(1, &[&[0x02]]));
        assert_eq!(
            error.problem,
            Problem::EnumIndexOutOfRange {
                index: 1,
                symbols: 1
            }
        );
        let spans = annotate(&parse(r#""boolean""#), &framed(1, &[&[0x02]])).expect("annotate");
        assert_eq!(
            spans[2].label,
            "boolean false (byte 0x02: the spec allows only 0 and 1; Java reads any byte but 1 as false)"
        );
    }

    #[test]
    fn deep_recursion_stops_at_max_depth() {
        let schema = parse(
            r#"{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}"#,
        );
        let list = |nodes: usize| {
            let mut datum = [0x02, 0x02].repeat(nodes);
            datum.extend_from_slice(&[0x02, 0x00]);
            encode(1, &datum)
        };
        let spans = annotate(&schema, &list(50)).expect("50 nodes");
        assert!(spans
            .iter()
            .any(|span| span.path.matches("/next").count() == 50));
        let error = problem(&schema, &list(1000));
        assert_eq!(error.problem, Problem::TooDeep);
    }

    /// No input makes the annotator panic: every truncation and many
    /// mutations of valid messages give spans or a typed error, and spans
    /// always lie inside the message.
    #[test]
    fn no_panic_on_truncations_and_mutations() {
        let schema = parse(ORDER);
        let message = order_message(&schema);
        let check = |bytes: &[u8]| match annotate(&schema, bytes) {
            Ok(spans) => assert_well_formed(&spans, bytes.len()),
            Err(error) => {
                assert!(error.offset <= bytes.len(), "{error}");
                assert_well_formed(&error.partial, bytes.len());
            }
        };
        for len in 0..message.len() {
            let error = annotate(&schema, &message[..len]).expect_err("a truncated message");
            assert_well_formed(&error.partial, len);
        }
        for i in 0..message.len() {
            for value in [0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff, message[i] ^ 0x40] {
                let mut mutated = message.clone();
                mutated[i] = value;
                check(&mutated);
            }
        }
        // Deterministic pseudo-random multi-byte mutations, insertions and
        // deletions (a 64-bit LCG: no randomness crate).
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(state >> 33).expect("31 bits") % bound.max(1)
        };
        for _ in 0..20_000 {
            let mut mutated = message.clone();
            for _ in 0..=next(4) {
                let at = next(mutated.len());
                let byte = u8::try_from(next(256)).expect("a byte");
                match next(3) {
                    0 => mutated[at] = byte,
                    1 => mutated.insert(at, byte),
                    _ => {
                        mutated.remove(at);
                    }
                }
            }
            check(&mutated);
        }
    }

    #[test]
    fn long_map_keys_are_cut_in_paths() {
        let schema = parse(r#"{"type":"map","values":{"type":"array","items":"null"}}"#);
        let key = "k".repeat(10_000);
        let datum = [
            &[0x02][..],
            &zigzag(10_000),
            key.as_bytes(),
            &[0x06, 0x00, 0x00],
        ]
        .concat();
        let spans = annotate_datum(&schema, &[], &datum).expect("annotate");
        let path = format!("/{}…", "k".repeat(64));
        assert_eq!(spans[2].path, path);
        assert_eq!(spans[2].label, format!("key \"{}\"…", "k".repeat(24)));
        assert_eq!(spans[6].path, format!("{path}/0"));
        assert!(spans.iter().all(|span| span.path.len() < 80));
    }

    #[test]
    fn span_kind_names() {
        assert_eq!(SpanKind::MagicByte.as_str(), "magic-byte");
        assert_eq!(SpanKind::UnionBranch.as_str(), "union-branch");
        assert_eq!(SpanKind::Trailing.as_str(), "trailing");
    }
}
