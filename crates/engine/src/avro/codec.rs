//! The Avro binary codec: a schema (or a writer's and a reader's schema,
//! resolved) compiled once into a flat plan, then any number of records
//! encoded and decoded through it without looking at the `apache-avro`
//! [`Schema`] again.
//!
//! A [`Codec`] holds a [`Program`] per schema: every schema node becomes one
//! [`Node`] in a vector, named types once each (so recursive types are
//! plain back-references), logical types reduced to the type they are
//! written as, with the logical type kept beside it for the JSON and
//! `Value` views. Decoding runs the resolution plan of [`super::resolve`]:
//! one [`Read`] op per pair of writer and reader nodes, which for
//! [`Codec::new`] is the identity. Data lives in [`Datum`]s: records are
//! their field values by position (the names live in the plan), enums
//! their symbol index, logical types their underlying value (a `date` is an
//! [`Datum::Int`], a `decimal` its two's-complement bytes).
//!
//! The bytes are the Avro 1.12 specification's "Binary Encoding", read the
//! way Java's `BinaryDecoder` reads them: an `int` varint of up to 5 bytes
//! keeps its low 32 bits, a `long` of up to 10 bytes its low 64, a boolean
//! byte other than `1` is `false`, array and map blocks may have negative
//! counts followed by their size in bytes. Untrusted input never panics and
//! never sizes an allocation: a length or an item count larger than the
//! bytes left is an error before anything is reserved, items that take no
//! bytes at all (`null`, empty records) are capped at
//! [`MAX_ZERO_SIZE_ITEMS`] per datum, and nesting at [`MAX_DEPTH`].
//!
//! Sources followed: the Avro 1.12 specification ("Binary Encoding",
//! "Logical Types", "Schema Resolution"); Java's `BinaryDecoder`,
//! `BinaryEncoder` and `Resolver`.

use crate::collections::OrdMap;
use std::borrow::Cow;
use std::collections::HashMap;

use apache_avro::schema::{DecimalSchema, InnerDecimalSchema, RecordField, UuidSchema};
use apache_avro::Schema;
use thiserror::Error;

use super::json;
use super::resolve::{self, Read, ReadBranch, ReadField, ResolveError};
use super::value;

/// How deeply a schema or a datum may nest (records, arrays, maps, unions)
/// before compiling or decoding gives up with a `TooDeep` error; it bounds
/// the stack the recursive walks use.
pub const MAX_DEPTH: usize = 128;

/// How many array or map items that encode in zero bytes (`null`, a record
/// of nulls, an empty fixed) one datum may hold: their count is the only
/// thing bounding the work and memory, so it is capped.
pub const MAX_ZERO_SIZE_ITEMS: usize = 1 << 20;

/// The most items reserved ahead for one array or map block, whatever its
/// count claims; beyond this, vectors grow as items are really decoded.
const PREALLOC_LIMIT: usize = 1024;

/// An index into [`Program::nodes`].
pub(crate) type NodeId = u32;

// ---------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------

/// One Avro value, shaped by the schema it is encoded or decoded with.
///
/// Logical types hold their underlying value: `date` and `time-millis` an
/// [`Datum::Int`]; `time-micros`, the `timestamp-*` and `local-timestamp-*`
/// types a [`Datum::Long`]; `decimal` the big-endian two's-complement
/// unscaled value as [`Datum::Bytes`] or [`Datum::Fixed`]; `uuid` a
/// [`Datum::String`] (or its 16 bytes as [`Datum::Fixed`]); `duration` its
/// 12 bytes as [`Datum::Fixed`].
#[derive(Debug, Clone, PartialEq)]
pub enum Datum<'a> {
    /// `null`.
    Null,
    /// `boolean`.
    Boolean(bool),
    /// `int` (and `date`, `time-millis`).
    Int(i32),
    /// `long` (and `time-micros`, `timestamp-*`, `local-timestamp-*`).
    Long(i64),
    /// `float`.
    Float(f32),
    /// `double`.
    Double(f64),
    /// `bytes` (and a `decimal` on bytes).
    Bytes(Cow<'a, [u8]>),
    /// `string` (and `uuid` on a string).
    String(Cow<'a, str>),
    /// `fixed`, exactly the schema's size (and `duration`, a `decimal` or
    /// `uuid` on a fixed).
    Fixed(Cow<'a, [u8]>),
    /// `enum`: the index of the symbol in the schema's symbols.
    Enum(u32),
    /// `array`.
    Array(Vec<Datum<'a>>),
    /// `map`, in the order of the data.
    Map(Vec<(Cow<'a, str>, Datum<'a>)>),
    /// `union`: the index of the branch and its value.
    Union(u32, Box<Datum<'a>>),
    /// `record`: the field values in the schema's field order.
    Record(Vec<Datum<'a>>),
}

impl Datum<'_> {
    /// The same datum owning all its strings and bytes.
    #[must_use]
    pub fn into_owned(self) -> Datum<'static> {
        match self {
            Datum::Null => Datum::Null,
            Datum::Boolean(b) => Datum::Boolean(b),
            Datum::Int(n) => Datum::Int(n),
            Datum::Long(n) => Datum::Long(n),
            Datum::Float(x) => Datum::Float(x),
            Datum::Double(x) => Datum::Double(x),
            Datum::Bytes(b) => Datum::Bytes(Cow::Owned(b.into_owned())),
            Datum::String(s) => Datum::String(Cow::Owned(s.into_owned())),
            Datum::Fixed(b) => Datum::Fixed(Cow::Owned(b.into_owned())),
            Datum::Enum(i) => Datum::Enum(i),
            Datum::Array(items) => Datum::Array(items.into_iter().map(Datum::into_owned).collect()),
            Datum::Map(entries) => Datum::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect(),
            ),
            Datum::Union(i, value) => Datum::Union(i, Box::new(value.into_owned())),
            Datum::Record(fields) => {
                Datum::Record(fields.into_iter().map(Datum::into_owned).collect())
            }
        }
    }

    /// The Avro type name of this kind of datum, for error messages.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Datum::Null => "null",
            Datum::Boolean(_) => "boolean",
            Datum::Int(_) => "int",
            Datum::Long(_) => "long",
            Datum::Float(_) => "float",
            Datum::Double(_) => "double",
            Datum::Bytes(_) => "bytes",
            Datum::String(_) => "string",
            Datum::Fixed(_) => "fixed",
            Datum::Enum(_) => "enum",
            Datum::Array(_) => "array",
            Datum::Map(_) => "map",
            Datum::Union(..) => "union",
            Datum::Record(_) => "record",
        }
    }
}

// ---------------------------------------------------------------------------
// Compiled schemas
// ---------------------------------------------------------------------------

/// A schema compiled into a vector of nodes, named types once each.
#[derive(Debug, Clone)]
pub struct Program {
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: NodeId,
}

/// One schema node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) logical: Logical,
    /// The full name of a named type (record, enum, fixed).
    pub(crate) name: Option<String>,
    /// The full names of its aliases.
    pub(crate) aliases: Vec<String>,
    /// Whether a value of this node can encode in zero bytes.
    pub(crate) zero_size: bool,
}

/// The type a node is written as.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Fixed(usize),
    Enum {
        symbols: Vec<String>,
        default: Option<u32>,
    },
    Array(NodeId),
    Map(NodeId),
    Union(Vec<NodeId>),
    Record(Vec<FieldDef>),
    /// A named type being compiled (never left in a finished program).
    Pending,
}

/// A record field.
#[derive(Debug, Clone)]
pub(crate) struct FieldDef {
    pub(crate) name: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) node: NodeId,
    /// The field's default, as written in the schema's JSON.
    pub(crate) default: Option<serde_json::Value>,
}

/// The logical type annotating a node, if any `apache-avro` recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Logical {
    None,
    Decimal { precision: usize, scale: usize },
    BigDecimal,
    Uuid,
    Date,
    TimeMillis,
    TimeMicros,
    TimestampMillis,
    TimestampMicros,
    TimestampNanos,
    LocalTimestampMillis,
    LocalTimestampMicros,
    LocalTimestampNanos,
    Duration,
}

/// Why a schema could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SchemaError {
    /// A name is used that neither the schema nor its references define.
    #[error("unknown type name {0}")]
    UnknownName(String),
    /// The schema nests deeper than [`MAX_DEPTH`].
    #[error("schema nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// More nodes than a `u32` counts (cannot come from a parsed schema).
    #[error("schema too large")]
    TooLarge,
    /// The writer's and reader's schemas cannot be resolved.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
}

impl Program {
    /// Compiles `schema`, whose named types may be defined in `references`.
    ///
    /// # Errors
    ///
    /// [`SchemaError::UnknownName`] or [`SchemaError::TooDeep`].
    pub fn compile(schema: &Schema, references: &[Schema]) -> Result<Self, SchemaError> {
        let mut definitions = OrdMap::new();
        for root in std::iter::once(schema).chain(references) {
            super::canonical::collect_definitions(root, &mut definitions, 0)
                .map_err(|_| SchemaError::TooDeep)?;
        }
        let mut compiler = Compiler {
            definitions,
            named: HashMap::new(),
            nodes: Vec::new(),
        };
        let root = compiler.node(schema, 0)?;
        let mut program = Program {
            nodes: compiler.nodes,
            root,
        };
        program.mark_zero_size();
        Ok(program)
    }

    /// `datum` (of this schema) as JSON text in `mode`.
    ///
    /// # Errors
    ///
    /// [`EncodeError`] when the datum does not fit the schema.
    pub fn to_json(&self, datum: &Datum<'_>, mode: json::Mode) -> Result<String, EncodeError> {
        json::to_json(self, self.root, datum, mode)
    }

    /// The datum a JSON value describes, in `mode`.
    ///
    /// # Errors
    ///
    /// [`json::JsonError::Invalid`] with every problem and its path.
    pub fn from_json(
        &self,
        value: &serde_json::Value,
        mode: json::Mode,
    ) -> Result<Datum<'static>, json::JsonError> {
        json::from_json(self, self.root, value, mode)
    }

    /// [`Program::from_json`] from JSON text.
    ///
    /// # Errors
    ///
    /// [`json::JsonError::Syntax`] for text that is not JSON, else as
    /// [`Program::from_json`].
    pub fn from_json_text(
        &self,
        text: &str,
        mode: json::Mode,
    ) -> Result<Datum<'static>, json::JsonError> {
        self.from_json(&json::parse(text)?, mode)
    }

    /// `datum` as an `apache-avro` [`apache_avro::types::Value`].
    ///
    /// # Errors
    ///
    /// [`EncodeError`] when the datum does not fit the schema.
    pub fn to_value(&self, datum: &Datum<'_>) -> Result<apache_avro::types::Value, EncodeError> {
        value::to_value(self, self.root, datum)
    }

    /// The datum an `apache-avro` value stands for.
    ///
    /// # Errors
    ///
    /// [`EncodeError`] with the path of the first part that does not fit.
    pub fn from_value(
        &self,
        value: &apache_avro::types::Value,
    ) -> Result<Datum<'static>, EncodeError> {
        value::from_value(self, self.root, value)
    }

    /// Whether a datum of the whole schema can take zero bytes.
    pub(crate) fn root_zero_size(&self) -> bool {
        self.node(self.root).zero_size
    }

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        // Invariant: every NodeId stored in a program indexes its nodes.
        &self.nodes[id as usize]
    }

    /// The least fixpoint of "can encode in zero bytes": null, an empty
    /// fixed, and records whose every field can.
    fn mark_zero_size(&mut self) {
        loop {
            let mut changed = false;
            for i in 0..self.nodes.len() {
                if self.nodes[i].zero_size {
                    continue;
                }
                let zero = match &self.nodes[i].kind {
                    Kind::Null => true,
                    Kind::Fixed(0) => true,
                    Kind::Record(fields) => fields
                        .iter()
                        .all(|field| self.nodes[field.node as usize].zero_size),
                    _ => false,
                };
                if zero {
                    self.nodes[i].zero_size = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// The Avro type name of a node as a union branch is named in the JSON
    /// encoding: the full name of a named type, else the type's name
    /// (logical types are named by the type they annotate).
    pub(crate) fn type_name(&self, id: NodeId) -> &str {
        let node = self.node(id);
        if let Some(name) = &node.name {
            return name;
        }
        match node.kind {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Int => "int",
            Kind::Long => "long",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::Bytes => "bytes",
            Kind::String => "string",
            Kind::Fixed(_) => "fixed",
            Kind::Enum { .. } => "enum",
            Kind::Array(_) => "array",
            Kind::Map(_) => "map",
            Kind::Union(_) => "union",
            Kind::Record(_) | Kind::Pending => "record",
        }
    }
}

/// Walks a schema once, giving each named type one node.
struct Compiler<'s> {
    definitions: OrdMap<String, &'s Schema>,
    named: HashMap<String, NodeId>,
    nodes: Vec<Node>,
}

impl<'s> Compiler<'s> {
    fn push(&mut self, kind: Kind, logical: Logical) -> Result<NodeId, SchemaError> {
        let id = NodeId::try_from(self.nodes.len()).map_err(|_| SchemaError::TooLarge)?;
        self.nodes.push(Node {
            kind,
            logical,
            name: None,
            aliases: Vec::new(),
            zero_size: false,
        });
        Ok(id)
    }

    fn node(&mut self, schema: &'s Schema, depth: usize) -> Result<NodeId, SchemaError> {
        if depth > MAX_DEPTH {
            return Err(SchemaError::TooDeep);
        }
        if let Some(name) = schema.name() {
            let full = name.fullname(None);
            if let Some(&id) = self.named.get(&full) {
                return Ok(id);
            }
            let definition = if let Schema::Ref { .. } = schema {
                *self
                    .definitions
                    .get(&full)
                    .ok_or_else(|| SchemaError::UnknownName(full.clone()))?
            } else {
                schema
            };
            let id = self.push(Kind::Pending, Logical::None)?;
            self.named.insert(full.clone(), id);
            let (kind, logical) = self.named_kind(definition, depth)?;
            let aliases = definition
                .aliases()
                .into_iter()
                .flatten()
                .map(|alias| alias.fullname(None))
                .collect();
            // Ids returned by `push` index `self.nodes`.
            let node = &mut self.nodes[id as usize];
            node.kind = kind;
            node.logical = logical;
            node.name = Some(full);
            node.aliases = aliases;
            return Ok(id);
        }
        let (kind, logical) = match schema {
            Schema::Null => (Kind::Null, Logical::None),
            Schema::Boolean => (Kind::Boolean, Logical::None),
            Schema::Int => (Kind::Int, Logical::None),
            Schema::Long => (Kind::Long, Logical::None),
            Schema::Float => (Kind::Float, Logical::None),
            Schema::Double => (Kind::Double, Logical::None),
            Schema::Bytes => (Kind::Bytes, Logical::None),
            Schema::String => (Kind::String, Logical::None),
            Schema::Date => (Kind::Int, Logical::Date),
            Schema::TimeMillis => (Kind::Int, Logical::TimeMillis),
            Schema::TimeMicros => (Kind::Long, Logical::TimeMicros),
            Schema::TimestampMillis => (Kind::Long, Logical::TimestampMillis),
            Schema::TimestampMicros => (Kind::Long, Logical::TimestampMicros),
            Schema::TimestampNanos => (Kind::Long, Logical::TimestampNanos),
            Schema::LocalTimestampMillis => (Kind::Long, Logical::LocalTimestampMillis),
            Schema::LocalTimestampMicros => (Kind::Long, Logical::LocalTimestampMicros),
            Schema::LocalTimestampNanos => (Kind::Long, Logical::LocalTimestampNanos),
            Schema::BigDecimal => (Kind::Bytes, Logical::BigDecimal),
            Schema::Uuid(UuidSchema::String) => (Kind::String, Logical::Uuid),
            Schema::Uuid(UuidSchema::Bytes) => (Kind::Bytes, Logical::Uuid),
            Schema::Decimal(DecimalSchema {
                precision, scale, ..
            }) => (
                Kind::Bytes,
                Logical::Decimal {
                    precision: *precision,
                    scale: *scale,
                },
            ),
            Schema::Array(array) => {
                let id = self.push(Kind::Pending, Logical::None)?;
                let items = self.node(&array.items, depth + 1)?;
                self.nodes[id as usize].kind = Kind::Array(items);
                return Ok(id);
            }
            Schema::Map(map) => {
                let id = self.push(Kind::Pending, Logical::None)?;
                let values = self.node(&map.types, depth + 1)?;
                self.nodes[id as usize].kind = Kind::Map(values);
                return Ok(id);
            }
            Schema::Union(union) => {
                let id = self.push(Kind::Pending, Logical::None)?;
                let branches = union
                    .variants()
                    .iter()
                    .map(|branch| self.node(branch, depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                self.nodes[id as usize].kind = Kind::Union(branches);
                return Ok(id);
            }
            // Named types were handled above; these arms cannot be reached
            // but keep the match total.
            Schema::Record(_)
            | Schema::Enum(_)
            | Schema::Fixed(_)
            | Schema::Duration(_)
            | Schema::Uuid(UuidSchema::Fixed(_))
            | Schema::Ref { .. } => return self.named_node(schema, depth),
        };
        self.push(kind, logical)
    }

    /// A named schema met without a name (cannot happen with apache-avro's
    /// model; compiled anonymously for totality).
    fn named_node(&mut self, schema: &'s Schema, depth: usize) -> Result<NodeId, SchemaError> {
        let (kind, logical) = self.named_kind(schema, depth)?;
        self.push(kind, logical)
    }

    fn named_kind(
        &mut self,
        schema: &'s Schema,
        depth: usize,
    ) -> Result<(Kind, Logical), SchemaError> {
        Ok(match schema {
            Schema::Record(record) => {
                let fields = record
                    .fields
                    .iter()
                    .map(|field| self.field(field, depth))
                    .collect::<Result<Vec<_>, _>>()?;
                (Kind::Record(fields), Logical::None)
            }
            Schema::Enum(enumeration) => {
                let default = enumeration.default.as_ref().and_then(|default| {
                    enumeration
                        .symbols
                        .iter()
                        .position(|symbol| symbol == default)
                        .and_then(|i| u32::try_from(i).ok())
                });
                (
                    Kind::Enum {
                        symbols: enumeration.symbols.clone(),
                        default,
                    },
                    Logical::None,
                )
            }
            Schema::Fixed(fixed) => (Kind::Fixed(fixed.size), Logical::None),
            Schema::Duration(fixed) => (Kind::Fixed(fixed.size), Logical::Duration),
            Schema::Uuid(UuidSchema::Fixed(fixed)) => (Kind::Fixed(fixed.size), Logical::Uuid),
            Schema::Decimal(DecimalSchema {
                precision,
                scale,
                inner: InnerDecimalSchema::Fixed(fixed),
            }) => (
                Kind::Fixed(fixed.size),
                Logical::Decimal {
                    precision: *precision,
                    scale: *scale,
                },
            ),
            Schema::Ref { name } => return Err(SchemaError::UnknownName(name.fullname(None))),
            other => {
                // Not a named type: compile it as an ordinary node's kind.
                let id = self.node(other, depth + 1)?;
                let node = &self.nodes[id as usize];
                (node.kind.clone(), node.logical)
            }
        })
    }

    fn field(&mut self, field: &'s RecordField, depth: usize) -> Result<FieldDef, SchemaError> {
        Ok(FieldDef {
            name: field.name.clone(),
            aliases: field.aliases.clone(),
            node: self.node(&field.schema, depth + 1)?,
            default: field.default.clone(),
        })
    }
}

// ---------------------------------------------------------------------------
// The codec
// ---------------------------------------------------------------------------

/// A compiled schema, or a compiled writer/reader pair, ready to encode and
/// decode any number of data.
#[derive(Debug, Clone)]
pub struct Codec {
    writer: Program,
    /// The reader's program when it differs from the writer's.
    reader: Option<Program>,
    reads: Vec<Read>,
    read_root: u32,
}

impl Codec {
    /// A codec that writes and reads data with one schema.
    ///
    /// # Errors
    ///
    /// [`SchemaError`] for a name no definition gives or too deep a schema.
    pub fn new(schema: &Schema) -> Result<Self, SchemaError> {
        Self::with_references(schema, &[])
    }

    /// [`Codec::new`] for a schema whose named types may be defined in
    /// `references` (the Schema Registry's schema references).
    ///
    /// # Errors
    ///
    /// As [`Codec::new`].
    pub fn with_references(schema: &Schema, references: &[Schema]) -> Result<Self, SchemaError> {
        let writer = Program::compile(schema, references)?;
        let (reads, read_root) = resolve::resolve(&writer, &writer)?;
        Ok(Self {
            writer,
            reader: None,
            reads,
            read_root,
        })
    }

    /// A codec that decodes data written with `writer` into the shape of
    /// `reader`, by Avro's schema resolution ([`super::resolve`]), and
    /// encodes with `writer`.
    ///
    /// # Errors
    ///
    /// [`SchemaError::Resolve`] when no datum written with `writer` could be
    /// read with `reader` (the root types do not match, a reader field has
    /// no default, ...). Mismatches that only some data meet (an array's
    /// items, a union branch, an enum symbol) fail when such data is read,
    /// as in Java.
    pub fn resolving(writer: &Schema, reader: &Schema) -> Result<Self, SchemaError> {
        Self::resolving_with_references(writer, &[], reader, &[])
    }

    /// [`Codec::resolving`] with schema references on either side.
    ///
    /// # Errors
    ///
    /// As [`Codec::resolving`].
    pub fn resolving_with_references(
        writer: &Schema,
        writer_references: &[Schema],
        reader: &Schema,
        reader_references: &[Schema],
    ) -> Result<Self, SchemaError> {
        let writer = Program::compile(writer, writer_references)?;
        let reader = Program::compile(reader, reader_references)?;
        let (reads, read_root) = resolve::resolve(&writer, &reader)?;
        Ok(Self {
            writer,
            reader: Some(reader),
            reads,
            read_root,
        })
    }

    /// The compiled writer's schema: what [`Codec::encode`] takes.
    #[must_use]
    pub fn writer(&self) -> &Program {
        &self.writer
    }

    /// The compiled reader's schema: what [`Codec::decode`] returns.
    #[must_use]
    pub fn reader(&self) -> &Program {
        self.reader.as_ref().unwrap_or(&self.writer)
    }

    /// Encodes JSON text (in `mode`) with the writer's schema: the bytes, or
    /// every problem with its path. What the UI's producer form calls.
    ///
    /// # Errors
    ///
    /// [`json::JsonError`].
    pub fn encode_json(&self, text: &str, mode: json::Mode) -> Result<Vec<u8>, json::JsonError> {
        let datum = self.writer.from_json_text(text, mode)?;
        self.encode_to_vec(&datum).map_err(|e| {
            json::JsonError::Invalid(vec![json::JsonProblem {
                path: e.path,
                message: e.problem,
            }])
        })
    }

    /// Decodes one datum from `bytes` (nothing may follow it) and writes it
    /// as JSON in the reader's shape.
    ///
    /// # Errors
    ///
    /// As [`Codec::decode_slice`].
    pub fn decode_to_json(&self, bytes: &[u8], mode: json::Mode) -> Result<String, DecodeError> {
        let datum = self.decode_slice(bytes)?;
        // A decoded datum always fits the reader's schema.
        Ok(self.reader().to_json(&datum, mode).unwrap_or_default())
    }

    /// Appends the binary encoding of `datum` (shaped by the writer's
    /// schema) to `out`.
    ///
    /// # Errors
    ///
    /// [`EncodeError`] when `datum` does not fit the schema; `out` may then
    /// hold part of the encoding.
    pub fn encode(&self, datum: &Datum<'_>, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        encode_node(&self.writer, self.writer.root, datum, out, 0)
    }

    /// The binary encoding of `datum` in a new vector.
    ///
    /// # Errors
    ///
    /// As [`Codec::encode`].
    pub fn encode_to_vec(&self, datum: &Datum<'_>) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode(datum, &mut out)?;
        Ok(out)
    }

    /// Decodes one datum from the front of `input`, advancing it past the
    /// bytes read; the datum has the reader's shape.
    ///
    /// # Errors
    ///
    /// [`DecodeError`] for bytes that are not a datum of the writer's
    /// schema, or meet a mismatch of the resolution.
    pub fn decode<'b>(&self, input: &mut &'b [u8]) -> Result<Datum<'b>, DecodeError> {
        let mut decoder = Decoder {
            buf: input,
            start: input.len(),
            reads: &self.reads,
            writer: &self.writer,
            zero_size_items: 0,
        };
        let datum = decoder.read(self.read_root, 0)?;
        *input = decoder.buf;
        Ok(datum)
    }

    /// Decodes exactly one datum from `bytes`: bytes left over are an error.
    ///
    /// # Errors
    ///
    /// As [`Codec::decode`], and [`DecodeError::TrailingBytes`].
    pub fn decode_slice<'b>(&self, bytes: &'b [u8]) -> Result<Datum<'b>, DecodeError> {
        let mut input = bytes;
        let datum = self.decode(&mut input)?;
        if input.is_empty() {
            Ok(datum)
        } else {
            Err(DecodeError::TrailingBytes {
                offset: bytes.len() - input.len(),
                count: input.len(),
            })
        }
    }

    /// Skips one datum of the writer's schema at the front of `input`.
    ///
    /// # Errors
    ///
    /// As [`Codec::decode`].
    pub fn skip(&self, input: &mut &[u8]) -> Result<(), DecodeError> {
        let mut decoder = Decoder {
            buf: input,
            start: input.len(),
            reads: &self.reads,
            writer: &self.writer,
            zero_size_items: 0,
        };
        decoder.skip(self.writer.root, 0)?;
        *input = decoder.buf;
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------

/// Why a datum could not be encoded (or converted into a datum): the
/// problem and the JSON-pointer path of the value it is about.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}: {problem}", if path.is_empty() { "/" } else { path })]
pub struct EncodeError {
    /// Where, as a JSON pointer (`/address/zip`, `/tags/0`); empty for the
    /// root.
    pub path: String,
    /// What is wrong there.
    pub problem: String,
}

impl EncodeError {
    pub(crate) fn new(problem: impl Into<String>) -> Self {
        Self {
            path: String::new(),
            problem: problem.into(),
        }
    }

    /// Puts `segment` in front of the path (used while unwinding).
    pub(crate) fn within(mut self, segment: &str) -> Self {
        let mut path = String::with_capacity(segment.len() + 1 + self.path.len());
        path.push('/');
        push_pointer_segment(&mut path, segment);
        path.push_str(&self.path);
        self.path = path;
        self
    }
}

/// Appends a JSON-pointer segment, escaping `~` and `/` (RFC 6901).
pub(crate) fn push_pointer_segment(path: &mut String, segment: &str) {
    for c in segment.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

fn mismatch(expected: &str, datum: &Datum<'_>) -> EncodeError {
    EncodeError::new(format!("expected {expected}, got {}", datum.kind()))
}

fn encode_node(
    program: &Program,
    id: NodeId,
    datum: &Datum<'_>,
    out: &mut Vec<u8>,
    depth: usize,
) -> Result<(), EncodeError> {
    let node = program.node(id);
    match (&node.kind, datum) {
        (Kind::Null, Datum::Null) => {}
        (Kind::Boolean, Datum::Boolean(b)) => out.push(u8::from(*b)),
        (Kind::Int, Datum::Int(n)) => write_long(out, i64::from(*n)),
        (Kind::Long, Datum::Long(n)) => write_long(out, *n),
        (Kind::Float, Datum::Float(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Kind::Double, Datum::Double(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Kind::Bytes, Datum::Bytes(bytes)) => write_bytes(out, bytes),
        (Kind::String, Datum::String(s)) => write_bytes(out, s.as_bytes()),
        (Kind::Fixed(size), Datum::Fixed(bytes)) => {
            if bytes.len() != *size {
                return Err(EncodeError::new(format!(
                    "expected {size} bytes for fixed {}, got {}",
                    program.type_name(id),
                    bytes.len()
                )));
            }
            out.extend_from_slice(bytes);
        }
        (Kind::Enum { symbols, .. }, Datum::Enum(index)) => {
            if *index as usize >= symbols.len() {
                return Err(EncodeError::new(format!(
                    "enum index {index} out of range: {} has {} symbols",
                    program.type_name(id),
                    symbols.len()
                )));
            }
            write_long(out, i64::from(*index));
        }
        (Kind::Array(items), Datum::Array(values)) => {
            let depth = deeper(depth)?;
            if !values.is_empty() {
                write_long(out, len_i64(values.len()));
                for (i, value) in values.iter().enumerate() {
                    encode_node(program, *items, value, out, depth)
                        .map_err(|e| e.within(&i.to_string()))?;
                }
            }
            out.push(0);
        }
        (Kind::Map(values), Datum::Map(entries)) => {
            let depth = deeper(depth)?;
            if !entries.is_empty() {
                write_long(out, len_i64(entries.len()));
                for (key, value) in entries {
                    write_bytes(out, key.as_bytes());
                    encode_node(program, *values, value, out, depth).map_err(|e| e.within(key))?;
                }
            }
            out.push(0);
        }
        (Kind::Union(branches), Datum::Union(index, value)) => {
            let depth = deeper(depth)?;
            let Some(&branch) = branches.get(*index as usize) else {
                return Err(EncodeError::new(format!(
                    "union branch {index} out of range: the union has {} branches",
                    branches.len()
                )));
            };
            write_long(out, i64::from(*index));
            encode_node(program, branch, value, out, depth)?;
        }
        (Kind::Record(fields), Datum::Record(values)) => {
            let depth = deeper(depth)?;
            if fields.len() != values.len() {
                return Err(EncodeError::new(format!(
                    "record {} has {} fields, got {} values",
                    program.type_name(id),
                    fields.len(),
                    values.len()
                )));
            }
            for (field, value) in fields.iter().zip(values) {
                encode_node(program, field.node, value, out, depth)
                    .map_err(|e| e.within(&field.name))?;
            }
        }
        (_, datum) => return Err(mismatch(program.type_name(id), datum)),
    }
    Ok(())
}

fn deeper(depth: usize) -> Result<usize, EncodeError> {
    if depth >= MAX_DEPTH {
        Err(EncodeError::new(format!(
            "nesting deeper than {MAX_DEPTH} levels"
        )))
    } else {
        Ok(depth + 1)
    }
}

fn len_i64(len: usize) -> i64 {
    // A Vec's length never exceeds isize::MAX.
    i64::try_from(len).unwrap_or(i64::MAX)
}

/// Appends `n` as a zigzag varint (the encoding of both `int` and `long`).
#[inline]
pub(crate) fn write_long(out: &mut Vec<u8>, n: i64) {
    let mut z = ((n << 1) ^ (n >> 63)) as u64;
    if z < 0x80 {
        out.push(z as u8);
        return;
    }
    while z >= 0x80 {
        out.push((z as u8) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

/// Reads a zigzag varint `long` from the front of `input`.
///
/// # Errors
///
/// [`DecodeError::UnexpectedEnd`] or [`DecodeError::InvalidVarint`].
pub(crate) fn read_long(input: &mut &[u8]) -> Result<i64, DecodeError> {
    let mut decoder = Decoder {
        buf: input,
        start: input.len(),
        reads: &[],
        writer: &EMPTY_PROGRAM,
        zero_size_items: 0,
    };
    let n = decoder.read_long()?;
    *input = decoder.buf;
    Ok(n)
}

static EMPTY_PROGRAM: Program = Program {
    nodes: Vec::new(),
    root: 0,
};

/// Appends a length-prefixed byte string.
#[inline]
pub(crate) fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_long(out, len_i64(bytes.len()));
    out.extend_from_slice(bytes);
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

/// Why bytes could not be decoded. Offsets count from the start of the
/// input given to [`Codec::decode`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The data ends before the datum does.
    #[error("unexpected end of data at byte {offset}: {needed} more byte(s) needed")]
    UnexpectedEnd {
        /// Where the missing bytes should start.
        offset: usize,
        /// How many were needed.
        needed: usize,
    },
    /// A varint runs longer than an `int` (5 bytes) or `long` (10 bytes)
    /// may: Java's `Invalid int encoding` / `Invalid long encoding`.
    #[error("invalid {kind} encoding at byte {offset}")]
    InvalidVarint {
        /// Where the varint starts.
        offset: usize,
        /// `int` or `long`.
        kind: &'static str,
    },
    /// A string or bytes length is negative (Java's `Malformed data.
    /// Length is negative`).
    #[error("malformed data at byte {offset}: length is negative: {length}")]
    NegativeLength {
        /// Where the length starts.
        offset: usize,
        /// The length read.
        length: i64,
    },
    /// A length claims more bytes than are left.
    #[error("length {length} at byte {offset} exceeds the {remaining} byte(s) left")]
    LengthExceedsInput {
        /// Where the length starts.
        offset: usize,
        /// The length read.
        length: i64,
        /// How many bytes follow it.
        remaining: usize,
    },
    /// An array or map block claims more items than the bytes left could
    /// hold, or more zero-byte items than [`MAX_ZERO_SIZE_ITEMS`].
    #[error("block of {count} items at byte {offset} is more than the data can hold")]
    TooManyItems {
        /// Where the block count starts.
        offset: usize,
        /// The count read.
        count: i64,
    },
    /// A string is not UTF-8.
    #[error("invalid UTF-8 in the string at byte {offset}")]
    InvalidUtf8 {
        /// Where the string's bytes start.
        offset: usize,
    },
    /// A union branch index outside the union.
    #[error(
        "union index {index} at byte {offset} out of range: the union has {branches} branches"
    )]
    UnionIndex {
        /// Where the index starts.
        offset: usize,
        /// The index read.
        index: i64,
        /// How many branches the writer's union has.
        branches: usize,
    },
    /// An enum index outside the enum's symbols.
    #[error("enum index {index} at byte {offset} out of range: the enum has {symbols} symbols")]
    EnumIndex {
        /// Where the index starts.
        offset: usize,
        /// The index read.
        index: i64,
        /// How many symbols the writer's enum has.
        symbols: usize,
    },
    /// The data reaches a part of the writer's schema that the reader's
    /// cannot read (Java's `AvroTypeException` from the resolving decoder).
    #[error("at byte {offset}: {error}")]
    Resolution {
        /// Where the datum starts.
        offset: usize,
        /// The mismatch.
        error: ResolveError,
    },
    /// The datum nests deeper than [`MAX_DEPTH`].
    #[error("data nests deeper than {MAX_DEPTH} levels at byte {offset}")]
    TooDeep {
        /// Where the level that is too deep starts.
        offset: usize,
    },
    /// [`Codec::decode_slice`]: bytes follow the datum.
    #[error("{count} byte(s) left after the datum at byte {offset}")]
    TrailingBytes {
        /// Where the datum ended.
        offset: usize,
        /// How many bytes follow.
        count: usize,
    },
}

/// The decoding state: the bytes not yet read and the plan.
pub(crate) struct Decoder<'b, 'p> {
    pub(crate) buf: &'b [u8],
    pub(crate) start: usize,
    pub(crate) reads: &'p [Read],
    pub(crate) writer: &'p Program,
    pub(crate) zero_size_items: usize,
}

impl<'b> Decoder<'b, '_> {
    #[inline]
    fn offset(&self) -> usize {
        self.start - self.buf.len()
    }

    #[inline]
    fn end(&self, needed: usize) -> DecodeError {
        DecodeError::UnexpectedEnd {
            offset: self.offset(),
            needed: needed - self.buf.len(),
        }
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<&'b [u8], DecodeError> {
        if self.buf.len() < n {
            return Err(self.end(n));
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Ok(head)
    }

    #[inline]
    fn read_long(&mut self) -> Result<i64, DecodeError> {
        if let Some(&b) = self.buf.first() {
            if b < 0x80 {
                self.buf = &self.buf[1..];
                return Ok(i64::from(b >> 1) ^ -i64::from(b & 1));
            }
        }
        let mut z: u64 = 0;
        for (i, &b) in self.buf.iter().enumerate().take(10) {
            z |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                self.buf = &self.buf[i + 1..];
                return Ok(((z >> 1) as i64) ^ -((z & 1) as i64));
            }
        }
        if self.buf.len() >= 10 {
            Err(DecodeError::InvalidVarint {
                offset: self.offset(),
                kind: "long",
            })
        } else {
            Err(self.end(self.buf.len() + 1))
        }
    }

    #[inline]
    fn read_int(&mut self) -> Result<i32, DecodeError> {
        if let Some(&b) = self.buf.first() {
            if b < 0x80 {
                self.buf = &self.buf[1..];
                return Ok(i32::from(b >> 1) ^ -i32::from(b & 1));
            }
        }
        let mut z: u32 = 0;
        for (i, &b) in self.buf.iter().enumerate().take(5) {
            z |= u32::from(b & 0x7f).wrapping_shl(7 * i as u32);
            if b < 0x80 {
                self.buf = &self.buf[i + 1..];
                return Ok(((z >> 1) as i32) ^ -((z & 1) as i32));
            }
        }
        if self.buf.len() >= 5 {
            Err(DecodeError::InvalidVarint {
                offset: self.offset(),
                kind: "int",
            })
        } else {
            Err(self.end(self.buf.len() + 1))
        }
    }

    /// A length prefix, checked against the bytes left.
    #[inline]
    fn read_len(&mut self) -> Result<usize, DecodeError> {
        let offset = self.offset();
        let length = self.read_long()?;
        if length < 0 {
            return Err(DecodeError::NegativeLength { offset, length });
        }
        match usize::try_from(length) {
            Ok(n) if n <= self.buf.len() => Ok(n),
            _ => Err(DecodeError::LengthExceedsInput {
                offset,
                length,
                remaining: self.buf.len(),
            }),
        }
    }

    #[inline]
    fn read_bytes(&mut self) -> Result<&'b [u8], DecodeError> {
        let n = self.read_len()?;
        self.take(n)
    }

    #[inline]
    fn read_string(&mut self) -> Result<&'b str, DecodeError> {
        let n = self.read_len()?;
        let offset = self.offset();
        let bytes = self.take(n)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s),
            Err(_) => Err(DecodeError::InvalidUtf8 { offset }),
        }
    }

    #[inline]
    fn read_f32(&mut self) -> Result<f32, DecodeError> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    #[inline]
    fn read_f64(&mut self) -> Result<f64, DecodeError> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    /// The item count of the next array or map block (0 at the end),
    /// checked against the bytes left, or against
    /// [`MAX_ZERO_SIZE_ITEMS`] for items that may take no bytes.
    fn block_count(&mut self, zero_size_items: bool) -> Result<usize, DecodeError> {
        let offset = self.offset();
        let mut count = self.read_long()?;
        if count < 0 {
            // A negative count is followed by the block's size in bytes.
            count = count
                .checked_neg()
                .ok_or(DecodeError::TooManyItems { offset, count })?;
            self.read_long()?;
        }
        let too_many = DecodeError::TooManyItems { offset, count };
        let n = usize::try_from(count).map_err(|_| too_many.clone())?;
        if zero_size_items {
            self.zero_size_items = self.zero_size_items.saturating_add(n);
            if self.zero_size_items > MAX_ZERO_SIZE_ITEMS {
                return Err(too_many);
            }
        } else if n > self.buf.len() {
            return Err(too_many);
        }
        Ok(n)
    }

    fn enum_index(&mut self, symbols: usize) -> Result<u32, DecodeError> {
        let offset = self.offset();
        let index = self.read_int()?;
        match u32::try_from(index) {
            Ok(i) if (i as usize) < symbols => Ok(i),
            _ => Err(DecodeError::EnumIndex {
                offset,
                index: i64::from(index),
                symbols,
            }),
        }
    }

    fn union_index(&mut self, branches: usize) -> Result<usize, DecodeError> {
        let offset = self.offset();
        let index = self.read_int()?;
        match usize::try_from(index) {
            Ok(i) if i < branches => Ok(i),
            _ => Err(DecodeError::UnionIndex {
                offset,
                index: i64::from(index),
                branches,
            }),
        }
    }

    fn check_depth(&self, depth: usize) -> Result<usize, DecodeError> {
        if depth >= MAX_DEPTH {
            Err(DecodeError::TooDeep {
                offset: self.offset(),
            })
        } else {
            Ok(depth + 1)
        }
    }

    /// Reads one datum through resolution op `op`.
    pub(crate) fn read(&mut self, op: u32, depth: usize) -> Result<Datum<'b>, DecodeError> {
        let reads = self.reads;
        // Invariant: op ids come from the resolution plan, which only
        // stores ids of its own ops.
        Ok(match &reads[op as usize] {
            Read::Null => Datum::Null,
            Read::Boolean => Datum::Boolean(self.take(1)?[0] == 1),
            Read::Int => Datum::Int(self.read_int()?),
            Read::Long => Datum::Long(self.read_long()?),
            Read::Float => Datum::Float(self.read_f32()?),
            Read::Double => Datum::Double(self.read_f64()?),
            Read::Bytes => Datum::Bytes(Cow::Borrowed(self.read_bytes()?)),
            Read::String => Datum::String(Cow::Borrowed(self.read_string()?)),
            Read::Fixed(size) => Datum::Fixed(Cow::Borrowed(self.take(*size)?)),
            Read::IntToLong => Datum::Long(i64::from(self.read_int()?)),
            Read::IntToFloat => Datum::Float(self.read_int()? as f32),
            Read::IntToDouble => Datum::Double(f64::from(self.read_int()?)),
            Read::LongToFloat => Datum::Float(self.read_long()? as f32),
            Read::LongToDouble => Datum::Double(self.read_long()? as f64),
            Read::FloatToDouble => Datum::Double(f64::from(self.read_f32()?)),
            Read::StringToBytes => Datum::Bytes(Cow::Borrowed(self.read_bytes()?)),
            Read::BytesToString => Datum::String(Cow::Borrowed(self.read_string()?)),
            Read::Enum { symbols, map } => {
                let offset = self.offset();
                let index = self.enum_index(*symbols)?;
                match map {
                    None => Datum::Enum(index),
                    Some(map) => match map.get(index as usize) {
                        Some(Ok(reader_index)) => Datum::Enum(*reader_index),
                        Some(Err(error)) => {
                            return Err(DecodeError::Resolution {
                                offset,
                                error: error.clone(),
                            })
                        }
                        None => {
                            return Err(DecodeError::EnumIndex {
                                offset,
                                index: i64::from(index),
                                symbols: *symbols,
                            })
                        }
                    },
                }
            }
            Read::Array { items, zero_size } => {
                let depth = self.check_depth(depth)?;
                let mut values = Vec::new();
                loop {
                    let n = self.block_count(*zero_size)?;
                    if n == 0 {
                        break;
                    }
                    values.reserve(n.min(PREALLOC_LIMIT));
                    for _ in 0..n {
                        values.push(self.read(*items, depth)?);
                    }
                }
                Datum::Array(values)
            }
            Read::Map { values } => {
                let depth = self.check_depth(depth)?;
                let mut entries = Vec::new();
                loop {
                    // A key takes at least its length byte.
                    let n = self.block_count(false)?;
                    if n == 0 {
                        break;
                    }
                    entries.reserve(n.min(PREALLOC_LIMIT));
                    for _ in 0..n {
                        let key = Cow::Borrowed(self.read_string()?);
                        entries.push((key, self.read(*values, depth)?));
                    }
                }
                Datum::Map(entries)
            }
            Read::Union { branches } => {
                let depth = self.check_depth(depth)?;
                let index = self.union_index(branches.len())?;
                match &branches[index] {
                    ReadBranch::Wrapped { index, read } => {
                        Datum::Union(*index, Box::new(self.read(*read, depth)?))
                    }
                    ReadBranch::Unwrapped(read) => self.read(*read, depth)?,
                }
            }
            Read::ReaderUnion { index, read } => {
                let depth = self.check_depth(depth)?;
                Datum::Union(*index, Box::new(self.read(*read, depth)?))
            }
            Read::Record {
                fields,
                in_order,
                reader_fields,
                defaults,
            } => {
                let depth = self.check_depth(depth)?;
                if *in_order {
                    let mut values = Vec::with_capacity(*reader_fields);
                    for field in fields.iter() {
                        match field {
                            ReadField::Read { read, .. } => values.push(self.read(*read, depth)?),
                            ReadField::Skip(node) => self.skip(*node, depth)?,
                        }
                    }
                    for (_, default) in defaults.iter() {
                        values.push(default.clone());
                    }
                    Datum::Record(values)
                } else {
                    let mut values = vec![Datum::Null; *reader_fields];
                    for field in fields.iter() {
                        match field {
                            ReadField::Read { position, read } => {
                                let value = self.read(*read, depth)?;
                                if let Some(slot) = values.get_mut(*position as usize) {
                                    *slot = value;
                                }
                            }
                            ReadField::Skip(node) => self.skip(*node, depth)?,
                        }
                    }
                    for (position, default) in defaults.iter() {
                        if let Some(slot) = values.get_mut(*position as usize) {
                            *slot = default.clone();
                        }
                    }
                    Datum::Record(values)
                }
            }
            Read::Error(error) => {
                return Err(DecodeError::Resolution {
                    offset: self.offset(),
                    error: error.clone(),
                })
            }
        })
    }

    /// Skips one datum of writer node `id`.
    pub(crate) fn skip(&mut self, id: NodeId, depth: usize) -> Result<(), DecodeError> {
        let writer = self.writer;
        let node = writer.node(id);
        match &node.kind {
            Kind::Null | Kind::Pending => {}
            Kind::Boolean => {
                self.take(1)?;
            }
            Kind::Int => {
                self.read_int()?;
            }
            Kind::Long => {
                self.read_long()?;
            }
            Kind::Float => {
                self.take(4)?;
            }
            Kind::Double => {
                self.take(8)?;
            }
            Kind::Bytes => {
                self.read_bytes()?;
            }
            Kind::String => {
                let n = self.read_len()?;
                let offset = self.offset();
                let bytes = self.take(n)?;
                if std::str::from_utf8(bytes).is_err() {
                    return Err(DecodeError::InvalidUtf8 { offset });
                }
            }
            Kind::Fixed(size) => {
                self.take(*size)?;
            }
            Kind::Enum { symbols, .. } => {
                self.enum_index(symbols.len())?;
            }
            Kind::Array(items) => {
                let depth = self.check_depth(depth)?;
                let zero = writer.node(*items).zero_size;
                self.skip_blocks(depth, zero, |d, depth| d.skip(*items, depth))?;
            }
            Kind::Map(values) => {
                let depth = self.check_depth(depth)?;
                self.skip_blocks(depth, false, |d, depth| {
                    d.read_bytes()?;
                    d.skip(*values, depth)
                })?;
            }
            Kind::Union(branches) => {
                let depth = self.check_depth(depth)?;
                let index = self.union_index(branches.len())?;
                self.skip(branches[index], depth)?;
            }
            Kind::Record(fields) => {
                let depth = self.check_depth(depth)?;
                for field in fields {
                    self.skip(field.node, depth)?;
                }
            }
        }
        Ok(())
    }

    /// Skips array or map blocks; a block with a byte size is jumped over.
    fn skip_blocks(
        &mut self,
        depth: usize,
        zero_size_items: bool,
        mut item: impl FnMut(&mut Self, usize) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        loop {
            let offset = self.offset();
            let count = self.read_long()?;
            if count == 0 {
                return Ok(());
            }
            if count < 0 {
                let size_offset = self.offset();
                let size = self.read_long()?;
                match usize::try_from(size) {
                    Ok(n) if n <= self.buf.len() => {
                        self.take(n)?;
                        continue;
                    }
                    _ if size < 0 => {
                        return Err(DecodeError::NegativeLength {
                            offset: size_offset,
                            length: size,
                        })
                    }
                    _ => {
                        return Err(DecodeError::LengthExceedsInput {
                            offset: size_offset,
                            length: size,
                            remaining: self.buf.len(),
                        })
                    }
                }
            }
            let too_many = DecodeError::TooManyItems { offset, count };
            let n = usize::try_from(count).map_err(|_| too_many.clone())?;
            if zero_size_items {
                self.zero_size_items = self.zero_size_items.saturating_add(n);
                if self.zero_size_items > MAX_ZERO_SIZE_ITEMS {
                    return Err(too_many);
                }
            } else if n > self.buf.len() {
                return Err(too_many);
            }
            for _ in 0..n {
                item(self, depth)?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use apache_avro::types::Value;

    pub(crate) fn codec(schema: &str) -> Codec {
        Codec::new(&Schema::parse_str(schema).expect("schema")).expect("codec")
    }

    fn encode(codec: &Codec, datum: &Datum) -> Vec<u8> {
        codec.encode_to_vec(datum).expect("encode")
    }

    /// The same datum through apache-avro's encoder (via Value).
    fn apache_encoding(schema: &str, codec: &Codec, datum: &Datum) -> Vec<u8> {
        let schema = Schema::parse_str(schema).expect("schema");
        let value = codec.writer().to_value(datum).expect("to_value");
        apache_avro::writer::datum::GenericDatumWriter::builder(&schema)
            .build()
            .and_then(|writer| writer.write_value_to_vec(value))
            .expect("apache encode")
    }

    fn round_trip(schema: &str, datum: &Datum) -> Vec<u8> {
        let codec = codec(schema);
        let bytes = encode(&codec, datum);
        assert_eq!(
            &codec.decode_slice(&bytes).expect("decode"),
            datum,
            "{schema}"
        );
        assert_eq!(bytes, apache_encoding(schema, &codec, datum), "{schema}");
        bytes
    }

    #[test]
    fn zigzag_varints_from_the_spec() {
        let long = codec(r#""long""#);
        for (n, bytes) in [
            (0_i64, vec![0x00]),
            (-1, vec![0x01]),
            (1, vec![0x02]),
            (-2, vec![0x03]),
            (2, vec![0x04]),
            (-64, vec![0x7f]),
            (64, vec![0x80, 0x01]),
            (
                i64::MAX,
                vec![0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
            (
                i64::MIN,
                vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
        ] {
            assert_eq!(encode(&long, &Datum::Long(n)), bytes, "{n}");
            assert_eq!(long.decode_slice(&bytes), Ok(Datum::Long(n)));
        }
        let int = codec(r#""int""#);
        for (n, bytes) in [
            (-64_i32, vec![0x7f]),
            (i32::MAX, vec![0xfe, 0xff, 0xff, 0xff, 0x0f]),
            (i32::MIN, vec![0xff, 0xff, 0xff, 0xff, 0x0f]),
        ] {
            assert_eq!(encode(&int, &Datum::Int(n)), bytes, "{n}");
            assert_eq!(int.decode_slice(&bytes), Ok(Datum::Int(n)));
        }
        // Java's readInt: a sixth byte is an error, bits past 32 are dropped.
        assert!(matches!(
            int.decode_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
            Err(DecodeError::InvalidVarint { kind: "int", .. })
        ));
        assert_eq!(
            int.decode_slice(&[0x80, 0x80, 0x80, 0x80, 0x70]),
            Ok(Datum::Int(0))
        );
        assert!(matches!(
            long.decode_slice(&[0xff; 11]),
            Err(DecodeError::InvalidVarint { kind: "long", .. })
        ));
        assert_eq!(
            long.decode_slice(&[0x80, 0x80]),
            Err(DecodeError::UnexpectedEnd {
                offset: 0,
                needed: 1
            })
        );
    }

    #[test]
    fn primitives_byte_exact() {
        assert_eq!(round_trip(r#""null""#, &Datum::Null), Vec::<u8>::new());
        assert_eq!(round_trip(r#""boolean""#, &Datum::Boolean(true)), [1]);
        assert_eq!(round_trip(r#""boolean""#, &Datum::Boolean(false)), [0]);
        // The spec's example: "foo" is 06 66 6f 6f.
        assert_eq!(
            round_trip(r#""string""#, &Datum::String("foo".into())),
            [0x06, 0x66, 0x6f, 0x6f]
        );
        assert_eq!(
            round_trip(r#""bytes""#, &Datum::Bytes(vec![0, 255].into())),
            [0x04, 0, 255]
        );
        assert_eq!(
            round_trip(r#""float""#, &Datum::Float(1.0)),
            1.0_f32.to_le_bytes()
        );
        assert_eq!(
            round_trip(r#""double""#, &Datum::Double(-2.5)),
            (-2.5_f64).to_le_bytes()
        );
        // Java reads any boolean byte but 1 as false.
        assert_eq!(
            codec(r#""boolean""#).decode_slice(&[7]),
            Ok(Datum::Boolean(false))
        );
    }

    #[test]
    fn complex_types_byte_exact() {
        // The spec's record example: {"a": 27, "b": "foo"} is 36 06 66 6f 6f.
        let record = r#"{"type":"record","name":"test","fields":[
            {"name":"a","type":"long"},{"name":"b","type":"string"}]}"#;
        assert_eq!(
            round_trip(
                record,
                &Datum::Record(vec![Datum::Long(27), Datum::String("foo".into())])
            ),
            [0x36, 0x06, 0x66, 0x6f, 0x6f]
        );
        // The spec's array example: [3, 27] is 04 06 36 00.
        assert_eq!(
            round_trip(
                r#"{"type":"array","items":"long"}"#,
                &Datum::Array(vec![Datum::Long(3), Datum::Long(27)])
            ),
            [0x04, 0x06, 0x36, 0x00]
        );
        assert_eq!(
            round_trip(r#"{"type":"array","items":"long"}"#, &Datum::Array(vec![])),
            [0x00]
        );
        assert_eq!(
            round_trip(
                r#"{"type":"map","values":"long"}"#,
                &Datum::Map(vec![("a".into(), Datum::Long(1))])
            ),
            [0x02, 0x02, 0x61, 0x02, 0x00]
        );
        // The spec's union example: ["null","string"], null is 00, "a" is 02 02 61.
        let union = r#"["null","string"]"#;
        assert_eq!(
            round_trip(union, &Datum::Union(0, Box::new(Datum::Null))),
            [0x00]
        );
        assert_eq!(
            round_trip(union, &Datum::Union(1, Box::new(Datum::String("a".into())))),
            [0x02, 0x02, 0x61]
        );
        assert_eq!(
            round_trip(
                r#"{"type":"enum","name":"E","symbols":["A","B","C"]}"#,
                &Datum::Enum(2)
            ),
            [0x04]
        );
        assert_eq!(
            round_trip(
                r#"{"type":"fixed","name":"F","size":3}"#,
                &Datum::Fixed(vec![1, 2, 3].into())
            ),
            [1, 2, 3]
        );
    }

    #[test]
    fn negative_block_counts_carry_byte_sizes() {
        let array = codec(r#"{"type":"array","items":"long"}"#);
        // count -2, size 2 bytes, 3, 27, then a positive block of 1, end.
        assert_eq!(
            array.decode_slice(&[0x03, 0x04, 0x06, 0x36, 0x02, 0x02, 0x00]),
            Ok(Datum::Array(vec![
                Datum::Long(3),
                Datum::Long(27),
                Datum::Long(1)
            ]))
        );
        let map = codec(r#"{"type":"map","values":"int"}"#);
        assert_eq!(
            map.decode_slice(&[0x01, 0x06, 0x02, 0x61, 0x08, 0x00]),
            Ok(Datum::Map(vec![("a".into(), Datum::Int(4))]))
        );
        // Skipping uses the size to jump over the block.
        let record = Schema::parse_str(
            r#"{"type":"record","name":"R","fields":[
                {"name":"xs","type":{"type":"array","items":"long"}},{"name":"b","type":"int"}]}"#,
        )
        .expect("schema");
        let reader = Schema::parse_str(
            r#"{"type":"record","name":"R","fields":[{"name":"b","type":"int"}]}"#,
        )
        .expect("schema");
        let resolving = Codec::resolving(&record, &reader).expect("resolve");
        assert_eq!(
            resolving.decode_slice(&[0x03, 0x04, 0x06, 0x36, 0x00, 0x0e]),
            Ok(Datum::Record(vec![Datum::Int(7)]))
        );
    }

    #[test]
    fn logical_types_encode_as_apache_avro_and_round_trip() {
        let schema = r#"{"type":"record","name":"L","namespace":"n","fields":[
            {"name":"date","type":{"type":"int","logicalType":"date"}},
            {"name":"tm","type":{"type":"int","logicalType":"time-millis"}},
            {"name":"tu","type":{"type":"long","logicalType":"time-micros"}},
            {"name":"tsm","type":{"type":"long","logicalType":"timestamp-millis"}},
            {"name":"tsu","type":{"type":"long","logicalType":"timestamp-micros"}},
            {"name":"tsn","type":{"type":"long","logicalType":"timestamp-nanos"}},
            {"name":"lsm","type":{"type":"long","logicalType":"local-timestamp-millis"}},
            {"name":"lsu","type":{"type":"long","logicalType":"local-timestamp-micros"}},
            {"name":"lsn","type":{"type":"long","logicalType":"local-timestamp-nanos"}},
            {"name":"db","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
            {"name":"df","type":{"type":"fixed","name":"D","size":4,"logicalType":"decimal","precision":9,"scale":2}},
            {"name":"us","type":{"type":"string","logicalType":"uuid"}},
            {"name":"uf","type":{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}},
            {"name":"dur","type":{"type":"fixed","name":"Dur","size":12,"logicalType":"duration"}}]}"#;
        let codec = codec(schema);
        let program = codec.writer();
        let Kind::Record(fields) = &program.node(program.root).kind else {
            panic!("record")
        };
        let logicals: Vec<Logical> = fields
            .iter()
            .map(|f| program.node(f.node).logical)
            .collect();
        assert_eq!(
            logicals,
            [
                Logical::Date,
                Logical::TimeMillis,
                Logical::TimeMicros,
                Logical::TimestampMillis,
                Logical::TimestampMicros,
                Logical::TimestampNanos,
                Logical::LocalTimestampMillis,
                Logical::LocalTimestampMicros,
                Logical::LocalTimestampNanos,
                Logical::Decimal {
                    precision: 9,
                    scale: 2
                },
                Logical::Decimal {
                    precision: 9,
                    scale: 2
                },
                Logical::Uuid,
                Logical::Uuid,
                Logical::Duration,
            ]
        );
        let datum = Datum::Record(vec![
            Datum::Int(19_000),
            Datum::Int(3_600_000),
            Datum::Long(3_600_000_000),
            Datum::Long(1_700_000_000_000),
            Datum::Long(1_700_000_000_000_000),
            Datum::Long(-1),
            Datum::Long(5),
            Datum::Long(6),
            Datum::Long(7),
            Datum::Bytes(vec![0x04, 0xd2].into()),
            Datum::Fixed(vec![0xff, 0xff, 0xfb, 0x2e].into()),
            Datum::String("123e4567-e89b-12d3-a456-426614174000".into()),
            Datum::Fixed((0..16).collect::<Vec<u8>>().into()),
            Datum::Fixed(vec![1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0].into()),
        ]);
        let value = codec.writer().to_value(&datum).expect("value");
        let Value::Record(values) = &value else {
            panic!("record value")
        };
        assert_eq!(values[0].1, Value::Date(19_000));
        assert_eq!(values[5].1, Value::TimestampNanos(-1));
        assert!(matches!(values[11].1, Value::Uuid(_)));
        assert!(matches!(values[13].1, Value::Duration(_)));
        assert_eq!(codec.writer().from_value(&value), Ok(datum.clone()));
        round_trip(schema, &datum);
    }

    #[test]
    fn named_types_namespaces_and_recursion() {
        let schema = r#"{"type":"record","name":"Node","namespace":"com.acme","fields":[
            {"name":"value","type":"int"},
            {"name":"kind","type":{"type":"enum","name":"Kind","namespace":"other","symbols":["A","B"]}},
            {"name":"again","type":"other.Kind"},
            {"name":"next","type":["null","Node"]}]}"#;
        let leaf = Datum::Record(vec![
            Datum::Int(2),
            Datum::Enum(1),
            Datum::Enum(0),
            Datum::Union(0, Box::new(Datum::Null)),
        ]);
        let list = Datum::Record(vec![
            Datum::Int(1),
            Datum::Enum(0),
            Datum::Enum(1),
            Datum::Union(1, Box::new(leaf)),
        ]);
        let bytes = round_trip(schema, &list);
        assert_eq!(bytes, [0x02, 0x00, 0x02, 0x02, 0x04, 0x02, 0x00, 0x00]);
        let codec = codec(schema);
        assert_eq!(
            codec.writer().type_name(codec.writer().root),
            "com.acme.Node"
        );
    }

    #[test]
    fn schema_references_define_names() {
        let address = Schema::parse_str(
            r#"{"type":"record","name":"Address","namespace":"acme","fields":[{"name":"zip","type":"string"}]}"#,
        )
        .expect("address");
        let customer = Schema::parse_str_with_list(
            r#"{"type":"record","name":"Customer","namespace":"acme","fields":[{"name":"home","type":"Address"}]}"#,
            [r#"{"type":"record","name":"Address","namespace":"acme","fields":[{"name":"zip","type":"string"}]}"#],
        )
        .expect("customer")
        .0;
        assert!(matches!(
            Codec::new(&customer),
            Err(SchemaError::UnknownName(name)) if name == "acme.Address"
        ));
        let codec = Codec::with_references(&customer, &[address]).expect("codec");
        let datum = Datum::Record(vec![Datum::Record(vec![Datum::String("9".into())])]);
        let bytes = codec.encode_to_vec(&datum).expect("encode");
        assert_eq!(bytes, [0x02, b'9']);
        assert_eq!(codec.decode_slice(&bytes), Ok(datum));
    }

    #[test]
    fn encode_errors_name_the_path() {
        let codec = codec(
            r#"{"type":"record","name":"R","fields":[
                {"name":"address","type":{"type":"record","name":"A","fields":[{"name":"zip","type":"int"}]}},
                {"name":"tags","type":{"type":"array","items":"string"}},
                {"name":"e","type":{"type":"enum","name":"E","symbols":["X"]}},
                {"name":"f","type":{"type":"fixed","name":"F","size":2}}]}"#,
        );
        let good = |address: Datum, tags: Datum, e: Datum, f: Datum| {
            codec.encode_to_vec(&Datum::Record(vec![address, tags, e, f]))
        };
        let address = Datum::Record(vec![Datum::Int(1)]);
        let tags = Datum::Array(vec![Datum::String("a".into())]);
        let err = good(
            Datum::Record(vec![Datum::String("abc".into())]),
            tags.clone(),
            Datum::Enum(0),
            Datum::Fixed(vec![0, 0].into()),
        )
        .expect_err("zip");
        assert_eq!(err.to_string(), "/address/zip: expected int, got string");
        let err = good(
            address.clone(),
            Datum::Array(vec![Datum::String("a".into()), Datum::Int(1)]),
            Datum::Enum(0),
            Datum::Fixed(vec![0, 0].into()),
        )
        .expect_err("tags");
        assert_eq!(err.to_string(), "/tags/1: expected string, got int");
        let err = good(
            address.clone(),
            tags.clone(),
            Datum::Enum(1),
            Datum::Fixed(vec![0, 0].into()),
        )
        .expect_err("enum");
        assert_eq!(err.path, "/e");
        let err =
            good(address, tags, Datum::Enum(0), Datum::Fixed(vec![0].into())).expect_err("fixed");
        assert_eq!(err.to_string(), "/f: expected 2 bytes for fixed F, got 1");
    }

    #[test]
    fn untrusted_lengths_are_errors_not_allocations() {
        // A 10-byte buffer claiming 2^31 items of long.
        let longs = codec(r#"{"type":"array","items":"long"}"#);
        let mut claim = Vec::new();
        write_long(&mut claim, 1 << 31);
        claim.resize(10, 0);
        assert!(matches!(
            longs.decode_slice(&claim),
            Err(DecodeError::TooManyItems { offset: 0, count }) if count == 1 << 31
        ));
        // Items that take no bytes are capped by count instead.
        let nulls = codec(r#"{"type":"array","items":"null"}"#);
        let mut claim = Vec::new();
        write_long(&mut claim, 1 << 40);
        assert!(matches!(
            nulls.decode_slice(&claim),
            Err(DecodeError::TooManyItems { .. })
        ));
        let mut small = Vec::new();
        write_long(&mut small, 1000);
        small.push(0);
        assert_eq!(
            nulls.decode_slice(&small),
            Ok(Datum::Array(vec![Datum::Null; 1000]))
        );
        // A 2 GB string in 6 bytes.
        let string = codec(r#""string""#);
        let mut claim = Vec::new();
        write_long(&mut claim, 2_000_000_000);
        claim.push(b'a');
        assert!(matches!(
            string.decode_slice(&claim),
            Err(DecodeError::LengthExceedsInput {
                length: 2_000_000_000,
                remaining: 1,
                ..
            })
        ));
        assert!(matches!(
            string.decode_slice(&[0x01]),
            Err(DecodeError::NegativeLength { length: -1, .. })
        ));
        assert!(matches!(
            string.decode_slice(&[0x02, 0xff]),
            Err(DecodeError::InvalidUtf8 { offset: 1 })
        ));
        let map = codec(r#"{"type":"map","values":"null"}"#);
        assert!(matches!(
            map.decode_slice(&[0x80, 0x80, 0x80, 0x80, 0x10]),
            Err(DecodeError::TooManyItems { .. })
        ));
    }

    #[test]
    fn bad_indices_and_trailing_bytes() {
        let union = codec(r#"["null","int"]"#);
        assert_eq!(
            union.decode_slice(&[0x04]),
            Err(DecodeError::UnionIndex {
                offset: 0,
                index: 2,
                branches: 2
            })
        );
        assert_eq!(
            union.decode_slice(&[0x01]),
            Err(DecodeError::UnionIndex {
                offset: 0,
                index: -1,
                branches: 2
            })
        );
        let enumeration = codec(r#"{"type":"enum","name":"E","symbols":["A"]}"#);
        assert_eq!(
            enumeration.decode_slice(&[0x02]),
            Err(DecodeError::EnumIndex {
                offset: 0,
                index: 1,
                symbols: 1
            })
        );
        assert_eq!(
            codec(r#""int""#).decode_slice(&[0x02, 0x00]),
            Err(DecodeError::TrailingBytes {
                offset: 1,
                count: 1
            })
        );
        let mut input: &[u8] = &[0x02, 0x04];
        let int = codec(r#""int""#);
        assert_eq!(int.decode(&mut input), Ok(Datum::Int(1)));
        assert_eq!(int.decode(&mut input), Ok(Datum::Int(2)));
        assert!(input.is_empty());
    }

    #[test]
    fn deep_data_is_an_error_not_a_stack_overflow() {
        let list =
            codec(r#"{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}"#);
        // 100_000 levels of "branch 1" and a final null.
        let mut bytes = vec![0x02; 100_000];
        bytes.push(0x00);
        assert!(matches!(
            list.decode_slice(&bytes),
            Err(DecodeError::TooDeep { .. })
        ));
        let mut input: &[u8] = &bytes;
        assert!(matches!(
            list.skip(&mut input),
            Err(DecodeError::TooDeep { .. })
        ));
        // Within the limit it decodes.
        let mut shallow = vec![0x02; 40];
        shallow.push(0x00);
        assert!(list.decode_slice(&shallow).is_ok());
    }
}
