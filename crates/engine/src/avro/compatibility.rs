//! Whether data written with one Avro schema can be read with another,
//! decided exactly as the Java implementation decides it: Apache Avro's
//! `org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility`
//! (the check behind every Confluent Schema Registry answer), and on top of
//! it the Schema Registry's seven compatibility levels with the messages its
//! `?verbose=true` answers carry.
//!
//! [`check_reader_writer`] walks a reader schema against a writer schema and
//! returns *every* incompatibility Java would report, in Java's order, each
//! with its type, Java's message (`reader type: INT not compatible with
//! writer type: STRING`, `expected: 8, found: 4`, …) and the JSON-pointer
//! location Java computes (`/fields/1/type/size`). Java's quirks are kept on
//! purpose because the registry's answers depend on them: names compare by
//! their unqualified part (plus the reader's aliases), logical types are
//! ignored (a `decimal(4,2)` reads a `decimal(9,5)`), a union branch is
//! checked against a fresh location whose incompatibilities are then
//! discarded, a missing reader field whose enum type has a default is
//! compared with the writer's whole record, and results are memoised per
//! pair of schema nodes, so a named type used twice reports its problems at
//! the location where it was first met. Recursive schemas terminate the way
//! Java's do: a pair already being checked counts as compatible
//! (`RECURSION_IN_PROGRESS`) until proven otherwise.
//!
//! The `apache-avro` crate parses the schemas, but its own
//! `schema_compatibility` module is not used: it disagrees with Java (the
//! `avro_crate_disagrees_*` tests show where), returns no locations and
//! stops at the first problem.
//!
//! [`check_compatibility`] applies a [`CompatibilityLevel`] to a new schema
//! and the subject's earlier versions the way Confluent's
//! `CompatibilityChecker`, `SchemaValidatorBuilder`, `AvroSchema` and
//! `Difference` do, producing the same strings
//! (`{errorType:'…', description:'…', additionalInfo:'…'}`,
//! `{oldSchemaVersion: 1}`, `{oldSchema: '…'}`).
//!
//! Sources followed: `SchemaCompatibility.java` (Avro 1.12, with its unit
//! tests `TestSchemaCompatibility*.java` and `TestSchemas.java`, translated
//! in the tests) and, in confluentinc/schema-registry,
//! `CompatibilityChecker.java`, `CompatibilityLevel.java`,
//! `SchemaValidatorBuilder.java`, `avro/AvroSchema.java`,
//! `avro/Difference.java` and `AvroCompatibilityTest.java`.

use crate::collections::{OrdMap, OrdSet};
use std::fmt;
use std::str::FromStr;

use crate::compact_sort::CollectBTree;
use apache_avro::schema::{
    DecimalSchema, EnumSchema, FixedSchema, InnerDecimalSchema, RecordField, RecordSchema,
    UuidSchema,
};
use apache_avro::Schema;
use thiserror::Error;

/// Java's `SchemaCompatibility.READER_WRITER_COMPATIBLE_MESSAGE`: the
/// description of a compatible pair.
pub const READER_WRITER_COMPATIBLE_MESSAGE: &str =
    "Reader schema can always successfully decode data written using the writer schema.";

/// How deeply the check may nest before giving up with
/// [`CompatibilityError::TooDeep`]. A parsed schema nests at most about 128
/// levels (the JSON parser's limit); deeper checks come from schemas built
/// in code, or from two recursive types whose unrolling only repeats after
/// many steps. The bound caps the stack the check uses (unoptimised, about
/// 3 KiB per nested array and 5 KiB per nested record; far less
/// optimised), so that no schema can overflow it.
pub const MAX_DEPTH: usize = 256;

/// `SchemaValidatorBuilder.MAX_SCHEMA_SIZE_FOR_LOGGING`: longer old schemas
/// are cut in the `{oldSchema: …}` message (counted in UTF-16 units, as a
/// Java string's length is).
pub const MAX_SCHEMA_SIZE_FOR_LOGGING: usize = 10 * 1024;

/// The location token of the schema root: `""`, which the JSON pointer
/// leaves out.
const ROOT_REFERENCE_TOKEN: &str = "";

/// Why a compatibility check could not be made.
#[derive(Debug, Error)]
pub enum CompatibilityError {
    /// A schema text is not a valid Avro schema ([`crate::avro::parse`]).
    #[error("invalid Avro schema: {0}")]
    Parse(#[from] crate::avro::parse::ParseError),
    /// A reader field matches more than one writer field by its name and
    /// aliases. Java throws an `AvroRuntimeException` with this message
    /// (which the Schema Registry reports as an unexpected exception); the
    /// writer record is printed here in Parsing Canonical Form, where Java
    /// prints its full JSON.
    #[error(
        "Reader record field {field} type:{field_type} pos:{position} matches multiple fields in writer record schema {writer_record}"
    )]
    AmbiguousReaderField {
        /// The reader field's name.
        field: String,
        /// The reader field's type.
        field_type: AvroType,
        /// The reader field's position in its record.
        position: usize,
        /// The writer record.
        writer_record: String,
    },
    /// A schema refers to a named type that neither it nor its references
    /// define (only possible for schemas built in code: the parser refuses
    /// undefined names).
    #[error("the schema refers to an undefined name: {0}")]
    UnresolvedName(String),
    /// The schemas nest deeper than [`MAX_DEPTH`].
    #[error("the schemas are nested more than {MAX_DEPTH} levels deep")]
    TooDeep,
    /// A compatibility level name that is none of the seven.
    #[error("unknown compatibility level: {0}")]
    UnknownLevel(String),
}

// ---------------------------------------------------------------------------
// Result types
// ---------------------------------------------------------------------------

/// Java's `Schema.Type`: the type a schema has for the checker. Logical types
/// are invisible to it, so a `decimal` is `BYTES` or `FIXED`, a `date` is
/// `INT` and a `timestamp-millis` is `LONG`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AvroType {
    /// `null`.
    Null,
    /// `boolean`.
    Boolean,
    /// `int`.
    Int,
    /// `long`.
    Long,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `bytes`.
    Bytes,
    /// `string`.
    String,
    /// `array`.
    Array,
    /// `map`.
    Map,
    /// A union.
    Union,
    /// `record`.
    Record,
    /// `enum`.
    Enum,
    /// `fixed`.
    Fixed,
}

impl AvroType {
    /// The name Java prints (`Schema.Type.toString()`), e.g. `INT`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Null => "NULL",
            Self::Boolean => "BOOLEAN",
            Self::Int => "INT",
            Self::Long => "LONG",
            Self::Float => "FLOAT",
            Self::Double => "DOUBLE",
            Self::Bytes => "BYTES",
            Self::String => "STRING",
            Self::Array => "ARRAY",
            Self::Map => "MAP",
            Self::Union => "UNION",
            Self::Record => "RECORD",
            Self::Enum => "ENUM",
            Self::Fixed => "FIXED",
        }
    }
}

impl fmt::Display for AvroType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Java's `SchemaCompatibilityType` as a check returns it. (Java's third
/// value, `RECURSION_IN_PROGRESS`, only exists inside the check.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaCompatibilityType {
    /// The reader can decode everything the writer writes.
    Compatible,
    /// Some data written with the writer schema will or may fail to decode.
    Incompatible,
}

impl SchemaCompatibilityType {
    /// Java's name: `COMPATIBLE` or `INCOMPATIBLE`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Compatible => "COMPATIBLE",
            Self::Incompatible => "INCOMPATIBLE",
        }
    }
}

impl fmt::Display for SchemaCompatibilityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Java's `SchemaIncompatibilityType`: what kind of problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaIncompatibilityType {
    /// Two named types (record, enum, fixed) have different names and no
    /// reader alias names the writer.
    NameMismatch,
    /// Two `fixed` types have different sizes.
    FixedSizeMismatch,
    /// The writer's enum has symbols the reader's lacks, and the reader has
    /// no default symbol.
    MissingEnumSymbols,
    /// A reader field is not in the writer's record and has no default.
    ReaderFieldMissingDefaultValue,
    /// The types differ and no promotion applies.
    TypeMismatch,
    /// A writer type matches no branch of the reader's union.
    MissingUnionBranch,
}

impl SchemaIncompatibilityType {
    /// Java's name, e.g. `TYPE_MISMATCH`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NameMismatch => "NAME_MISMATCH",
            Self::FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
            Self::MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
            Self::ReaderFieldMissingDefaultValue => "READER_FIELD_MISSING_DEFAULT_VALUE",
            Self::TypeMismatch => "TYPE_MISMATCH",
            Self::MissingUnionBranch => "MISSING_UNION_BRANCH",
        }
    }
}

impl fmt::Display for SchemaIncompatibilityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found, as Java's `SchemaCompatibility.Incompatibility`.
#[derive(Debug, Clone)]
pub struct Incompatibility {
    /// What kind of problem.
    pub kind: SchemaIncompatibilityType,
    /// Java's message: the missing field's name, `[B, D]` for missing
    /// symbols, `expected: Enum2`, `expected: 8, found: 4`,
    /// `reader type: INT not compatible with writer type: STRING` or
    /// `reader union lacking writer type: LONG`.
    pub message: String,
    /// Where, as a JSON pointer into the reader schema (`/`,
    /// `/fields/0/type/symbols`), exactly as Java's `getLocation()`.
    pub location: String,
    /// The part of the reader schema that failed (named types referred to by
    /// name are the definition).
    pub reader_fragment: Schema,
    /// The part of the writer schema that failed.
    pub writer_fragment: Schema,
}

/// The outcome of checking one reader against one writer, as Java's
/// `SchemaPairCompatibility`.
#[derive(Debug, Clone)]
pub struct SchemaPairCompatibility {
    /// Compatible or not.
    pub compatibility: SchemaCompatibilityType,
    /// Every problem, in the order Java reports them; empty when compatible.
    pub incompatibilities: Vec<Incompatibility>,
    /// [`READER_WRITER_COMPATIBLE_MESSAGE`], or Java's "Data encoded using
    /// writer schema: … will or may fail to decode using reader schema: …"
    /// (with the schemas in Parsing Canonical Form where Java pretty-prints
    /// its own JSON).
    pub description: String,
}

impl SchemaPairCompatibility {
    /// Whether the reader can decode everything the writer writes.
    #[must_use]
    pub fn is_compatible(&self) -> bool {
        self.compatibility == SchemaCompatibilityType::Compatible
    }
}

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

/// Parses an Avro schema from its JSON text.
///
/// # Errors
///
/// [`CompatibilityError::Parse`] with [`crate::avro::parse::parse_schema`]'s
/// error.
pub fn parse_schema(json: &str) -> Result<Schema, CompatibilityError> {
    Ok(crate::avro::parse::parse_schema(json)?)
}

/// Java's `SchemaCompatibility.checkReaderWriterCompatibility(reader,
/// writer)`: whether `reader` can decode all data written with `writer`,
/// with every incompatibility Java reports.
///
/// # Errors
///
/// [`CompatibilityError::AmbiguousReaderField`] where Java throws,
/// [`CompatibilityError::UnresolvedName`] for a schema built in code that
/// names an undefined type, [`CompatibilityError::TooDeep`] past
/// [`MAX_DEPTH`].
pub fn check_reader_writer(
    reader: &Schema,
    writer: &Schema,
) -> Result<SchemaPairCompatibility, CompatibilityError> {
    check_reader_writer_with_references(reader, &[], writer, &[])
}

/// [`check_reader_writer`] for schemas whose named types may be defined in
/// other schemas (the Schema Registry's schema references): names are looked
/// up in the schema itself first, then in its references in order.
///
/// # Errors
///
/// As [`check_reader_writer`].
pub fn check_reader_writer_with_references(
    reader: &Schema,
    reader_references: &[Schema],
    writer: &Schema,
    writer_references: &[Schema],
) -> Result<SchemaPairCompatibility, CompatibilityError> {
    let mut checker = Checker {
        reader_names: Names::of(reader, reader_references)?,
        writer_names: Names::of(writer, writer_references)?,
        memo: OrdMap::new(),
        depth: 0,
    };
    let mut location = Vec::new();
    let outcome = checker.get(ROOT_REFERENCE_TOKEN, reader, writer, &mut location)?;
    let (compatibility, description) = if outcome.compatible {
        (
            SchemaCompatibilityType::Compatible,
            READER_WRITER_COMPATIBLE_MESSAGE.to_owned(),
        )
    } else {
        (
            SchemaCompatibilityType::Incompatible,
            format!(
                "Data encoded using writer schema:\n{}\nwill or may fail to decode using reader schema:\n{}\n",
                writer.canonical_form(),
                reader.canonical_form()
            ),
        )
    };
    Ok(SchemaPairCompatibility {
        compatibility,
        incompatibilities: outcome
            .incompatibilities
            .into_iter()
            .map(Found::into_incompatibility)
            .collect(),
        description,
    })
}

/// [`check_reader_writer`] on two schema texts.
///
/// # Errors
///
/// [`CompatibilityError::Parse`] if either text is not an Avro schema, and
/// the errors of [`check_reader_writer`].
pub fn check_reader_writer_json(
    reader: &str,
    writer: &str,
) -> Result<SchemaPairCompatibility, CompatibilityError> {
    let reader = parse_schema(reader)?;
    let writer = parse_schema(writer)?;
    check_reader_writer(&reader, &writer)
}

/// Whether `reader` can decode all data written with `writer`: the verdict
/// of [`check_reader_writer`] alone.
///
/// # Errors
///
/// As [`check_reader_writer`].
pub fn can_read(reader: &Schema, writer: &Schema) -> Result<bool, CompatibilityError> {
    Ok(check_reader_writer(reader, writer)?.is_compatible())
}

// ---------------------------------------------------------------------------
// The checker (Java's ReaderWriterCompatibilityChecker)
// ---------------------------------------------------------------------------

/// The named types one side can refer to, by full name.
struct Names<'a> {
    by_name: OrdMap<String, &'a Schema>,
}

impl<'a> Names<'a> {
    /// Collects the named types defined in `schema` and then in
    /// `references`; aliases resolve too, after every real name.
    fn of(schema: &'a Schema, references: &'a [Schema]) -> Result<Self, CompatibilityError> {
        let mut by_name = OrdMap::new();
        let mut aliases = Vec::new();
        for root in std::iter::once(schema).chain(references) {
            collect_names(root, &mut by_name, &mut aliases, 0)?;
        }
        for (alias, definition) in aliases {
            by_name.entry(alias).or_insert(definition);
        }
        Ok(Self { by_name })
    }

    /// The definition a reference names, or the schema itself.
    fn resolve(&self, schema: &'a Schema) -> Result<&'a Schema, CompatibilityError> {
        match schema {
            Schema::Ref { name } => {
                let full = name.fullname(None);
                self.by_name
                    .get(&full)
                    .copied()
                    .ok_or(CompatibilityError::UnresolvedName(full))
            }
            other => Ok(other),
        }
    }
}

/// Records every named type defined under `schema` (the first definition of
/// a name wins, as the parser allows only one).
fn collect_names<'a>(
    schema: &'a Schema,
    by_name: &mut OrdMap<String, &'a Schema>,
    aliases: &mut Vec<(String, &'a Schema)>,
    depth: usize,
) -> Result<(), CompatibilityError> {
    if depth > MAX_DEPTH {
        return Err(CompatibilityError::TooDeep);
    }
    if !matches!(schema, Schema::Ref { .. }) {
        if let Some(name) = schema.name() {
            by_name.entry(name.fullname(None)).or_insert(schema);
            for alias in schema.aliases().into_iter().flatten() {
                aliases.push((alias.fullname(None), schema));
            }
        }
    }
    match schema {
        Schema::Array(array) => collect_names(&array.items, by_name, aliases, depth + 1),
        Schema::Map(map) => collect_names(&map.types, by_name, aliases, depth + 1),
        Schema::Union(union) => union
            .variants()
            .iter()
            .try_for_each(|branch| collect_names(branch, by_name, aliases, depth + 1)),
        Schema::Record(record) => record
            .fields
            .iter()
            .try_for_each(|field| collect_names(&field.schema, by_name, aliases, depth + 1)),
        _ => Ok(()),
    }
}

/// The `fixed` behind a schema whose Java type is `FIXED` (plain, or carrying
/// a `decimal`, `uuid` or `duration` logical type).
fn fixed_of(schema: &Schema) -> Option<&FixedSchema> {
    match schema {
        Schema::Fixed(fixed)
        | Schema::Duration(fixed)
        | Schema::Uuid(UuidSchema::Fixed(fixed))
        | Schema::Decimal(DecimalSchema {
            inner: InnerDecimalSchema::Fixed(fixed),
            ..
        }) => Some(fixed),
        _ => None,
    }
}

/// Java's `getType()` of a resolved schema: logical types are their
/// underlying type.
fn avro_type(schema: &Schema) -> Result<AvroType, CompatibilityError> {
    Ok(match schema {
        Schema::Null => AvroType::Null,
        Schema::Boolean => AvroType::Boolean,
        Schema::Int | Schema::Date | Schema::TimeMillis => AvroType::Int,
        Schema::Long
        | Schema::TimeMicros
        | Schema::TimestampMillis
        | Schema::TimestampMicros
        | Schema::TimestampNanos
        | Schema::LocalTimestampMillis
        | Schema::LocalTimestampMicros
        | Schema::LocalTimestampNanos => AvroType::Long,
        Schema::Float => AvroType::Float,
        Schema::Double => AvroType::Double,
        Schema::Bytes
        | Schema::BigDecimal
        | Schema::Uuid(UuidSchema::Bytes)
        | Schema::Decimal(DecimalSchema {
            inner: InnerDecimalSchema::Bytes,
            ..
        }) => AvroType::Bytes,
        Schema::String | Schema::Uuid(UuidSchema::String) => AvroType::String,
        Schema::Array(_) => AvroType::Array,
        Schema::Map(_) => AvroType::Map,
        Schema::Union(_) => AvroType::Union,
        Schema::Record(_) => AvroType::Record,
        Schema::Enum(_) => AvroType::Enum,
        Schema::Fixed(_)
        | Schema::Duration(_)
        | Schema::Uuid(UuidSchema::Fixed(_))
        | Schema::Decimal(DecimalSchema {
            inner: InnerDecimalSchema::Fixed(_),
            ..
        }) => AvroType::Fixed,
        // Callers resolve references first; one left here names nothing.
        Schema::Ref { name } => {
            return Err(CompatibilityError::UnresolvedName(name.fullname(None)))
        }
    })
}

/// The identity of a schema node, as Java's identity hash of a `Schema`
/// object: references are resolved to their definition first, so a named
/// type is one node wherever it is used.
fn node_id(schema: &Schema) -> usize {
    // The address is only compared, never dereferenced.
    std::ptr::from_ref(schema) as usize
}

/// A problem found, still pointing into the checked schemas.
#[derive(Clone)]
struct Found<'a> {
    kind: SchemaIncompatibilityType,
    reader: &'a Schema,
    writer: &'a Schema,
    message: String,
    location: String,
}

impl Found<'_> {
    fn into_incompatibility(self) -> Incompatibility {
        Incompatibility {
            kind: self.kind,
            message: self.message,
            location: self.location,
            reader_fragment: self.reader.clone(),
            writer_fragment: self.writer.clone(),
        }
    }
}

/// Java's `SchemaCompatibilityResult` (compatible, or incompatible with the
/// problems found).
#[derive(Clone)]
struct Outcome<'a> {
    compatible: bool,
    incompatibilities: Vec<Found<'a>>,
}

impl<'a> Outcome<'a> {
    fn compatible() -> Self {
        Self {
            compatible: true,
            incompatibilities: Vec::new(),
        }
    }

    /// `SchemaCompatibilityResult.incompatible(...)`, located at the current
    /// position.
    fn incompatible(
        kind: SchemaIncompatibilityType,
        reader: &'a Schema,
        writer: &'a Schema,
        message: String,
        location: &[String],
    ) -> Self {
        Self {
            compatible: false,
            incompatibilities: vec![Found {
                kind,
                reader,
                writer,
                message,
                location: json_pointer(location),
            }],
        }
    }

    /// `mergedWith`: incompatible if either is, problems concatenated.
    fn merged_with(mut self, other: Self) -> Self {
        self.compatible &= other.compatible;
        self.incompatibilities.extend(other.incompatibilities);
        self
    }
}

/// Java's `Incompatibility.getLocation()`: the tokens after the root,
/// escaped and joined as a JSON pointer.
fn json_pointer(location: &[String]) -> String {
    let mut pointer = String::from("/");
    for (i, token) in location.iter().skip(1).enumerate() {
        if i > 0 {
            pointer.push('/');
        }
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    pointer
}

/// One run of Java's `ReaderWriterCompatibilityChecker`.
struct Checker<'a> {
    reader_names: Names<'a>,
    writer_names: Names<'a>,
    /// Results per (reader node, writer node); `None` while that pair is
    /// being checked (Java's `RECURSION_IN_PROGRESS`).
    memo: OrdMap<(usize, usize), Option<Outcome<'a>>>,
    depth: usize,
}

impl<'a> Checker<'a> {
    /// `getCompatibility(referenceToken, reader, writer, location)`.
    fn get(
        &mut self,
        token: &str,
        reader: &'a Schema,
        writer: &'a Schema,
        location: &mut Vec<String>,
    ) -> Result<Outcome<'a>, CompatibilityError> {
        location.push(token.to_owned());
        let outcome = self.get_memoised(reader, writer, location);
        location.pop();
        outcome
    }

    /// `getCompatibility(reader, writer)`: the check from a fresh root
    /// location, as Java does for union branches.
    fn get_fresh(
        &mut self,
        reader: &'a Schema,
        writer: &'a Schema,
    ) -> Result<Outcome<'a>, CompatibilityError> {
        let mut location = Vec::new();
        self.get(ROOT_REFERENCE_TOKEN, reader, writer, &mut location)
    }

    fn get_memoised(
        &mut self,
        reader: &'a Schema,
        writer: &'a Schema,
        location: &mut Vec<String>,
    ) -> Result<Outcome<'a>, CompatibilityError> {
        let reader = self.reader_names.resolve(reader)?;
        let writer = self.writer_names.resolve(writer)?;
        let key = (node_id(reader), node_id(writer));
        match self.memo.get(&key) {
            Some(Some(done)) => return Ok(done.clone()),
            // Break the recursion: compatible unless proven otherwise.
            Some(None) => return Ok(Outcome::compatible()),
            None => {}
        }
        if self.depth >= MAX_DEPTH {
            return Err(CompatibilityError::TooDeep);
        }
        self.memo.insert(key, None);
        self.depth += 1;
        let outcome = self.calculate(reader, writer, location);
        self.depth -= 1;
        let outcome = outcome?;
        self.memo.insert(key, Some(outcome.clone()));
        Ok(outcome)
    }

    /// `calculateCompatibility` for two resolved schemas. The recursive
    /// path (this, [`Self::same_type`], [`Self::get`]) keeps few locals; the
    /// rest lives in separate functions so that deep schemas need little
    /// stack.
    fn calculate(
        &mut self,
        reader: &'a Schema,
        writer: &'a Schema,
        location: &mut Vec<String>,
    ) -> Result<Outcome<'a>, CompatibilityError> {
        let reader_type = avro_type(reader)?;
        let writer_type = avro_type(writer)?;
        if reader_type == writer_type {
            self.same_type(reader, writer, reader_type, location)
        } else if let Schema::Union(union) = writer {
            self.writer_union(reader, union.variants(), location)
        } else if let Schema::Union(union) = reader {
            self.reader_union(reader, union.variants(), writer, writer_type, location)
        } else {
            Ok(promote(reader, writer, reader_type, writer_type, location))
        }
    }

    /// The same-type half of `calculateCompatibility`.
    fn same_type(
        &mut self,
        reader: &'a Schema,
        writer: &'a Schema,
        avro: AvroType,
        location: &mut Vec<String>,
    ) -> Result<Outcome<'a>, CompatibilityError> {
        match (reader, writer) {
            (Schema::Array(r), Schema::Array(w)) => self.get("items", &r.items, &w.items, location),
            (Schema::Map(r), Schema::Map(w)) => self.get("values", &r.types, &w.types, location),
            (Schema::Record(r), Schema::Record(w)) => {
                let names = check_names(reader, writer, location);
                self.check_fields(names, reader, r, writer, w, location)
            }
            (Schema::Union(_), Schema::Union(w)) => {
                self.union_union(reader, writer, w.variants(), location)
            }
            (Schema::Enum(r), Schema::Enum(w)) => Ok(check_enum(reader, r, writer, w, location)),
            _ => Ok(check_fixed(reader, writer, avro, location)),
        }
    }

    /// A reader compatible with every branch of a writer union is
    /// compatible with the union; each branch is checked at its index.
    fn writer_union(
        &mut self,
        reader: &'a Schema,
        branches: &'a [Schema],
        location: &mut Vec<String>,
    ) -> Result<Outcome<'a>, CompatibilityError> {
        let mut result = Outcome::compatible();
        for (index, branch) in branches.iter().enumerate() {
            let branch_result = self.get(&index.to_string(), reader, branch, location)?;
            result = result.merged_with(branch_result);
        }
        Ok(result)
    }

    /// A reader union reads a non-union writer if one of its branches does
    /// (each tried from a fresh location).
    fn reader_union(
        &mut self,
        reader: &'a Schema,
        branches: &'a [Schema],
        writer: &'a Schema,
        writer_type: AvroType,
        location: &[String],
    ) -> Result<Outcome<'a>, CompatibilityError> {
        for branch in branches {
            if self.get_fresh(branch, writer)?.compatible {
                return Ok(Outcome::compatible());
            }
        }
        Ok(missing_union_branch(reader, writer, writer_type, location))
    }

    /// Both unions: each branch of the writer's must be readable by the
    /// reader's union (checked from a fresh location; only a
    /// MISSING_UNION_BRANCH at the branch's index is reported).
    fn union_union(
        &mut self,
        reader: &'a Schema,
        writer: &'a Schema,
        branches: &'a [Schema],
        location: &mut Vec<String>,
    ) -> Result<Outcome<'a>, CompatibilityError> {
        let mut result = Outcome::compatible();
        for (index, branch) in branches.iter().enumerate() {
            location.push(index.to_string());
            if !self.get_fresh(reader, branch)?.compatible {
                let branch_type = avro_type(self.writer_names.resolve(branch)?)?;
                let missing = missing_union_branch(reader, writer, branch_type, location);
                result = result.merged_with(missing);
            }
            location.pop();
        }
        Ok(result)
    }

    /// `checkReaderWriterRecordFields`, merged into the result of the name
    /// check.
    fn check_fields(
        &mut self,
        names: Outcome<'a>,
        reader: &'a Schema,
        r: &'a RecordSchema,
        writer: &'a Schema,
        w: &'a RecordSchema,
        location: &mut Vec<String>,
    ) -> Result<Outcome<'a>, CompatibilityError> {
        let mut result = names;
        location.push("fields".to_owned());
        for (position, field) in r.fields.iter().enumerate() {
            location.push(position.to_string());
            match self.lookup_writer_field(w, writer, field, position)? {
                Some(writer_field) => {
                    let field_result =
                        self.get("type", &field.schema, &writer_field.schema, location)?;
                    result = result.merged_with(field_result);
                }
                None if field.default.is_none() => {
                    let field_schema = self.reader_names.resolve(&field.schema)?;
                    if matches!(
                        field_schema,
                        Schema::Enum(EnumSchema {
                            default: Some(_),
                            ..
                        })
                    ) {
                        // Java compares the field's enum with the writer's
                        // whole record here (a TYPE_MISMATCH at
                        // `/fields/N/type`).
                        let enum_result = self.get("type", &field.schema, writer, location)?;
                        result = result.merged_with(enum_result);
                    } else {
                        result = result.merged_with(Outcome::incompatible(
                            SchemaIncompatibilityType::ReaderFieldMissingDefaultValue,
                            reader,
                            writer,
                            field.name.clone(),
                            location,
                        ));
                    }
                }
                None => {}
            }
            location.pop();
        }
        location.pop();
        Ok(result)
    }

    /// `lookupWriterField`: the writer field named like the reader field or
    /// one of its aliases; more than one is Java's `AvroRuntimeException`.
    fn lookup_writer_field(
        &self,
        w: &'a RecordSchema,
        writer: &'a Schema,
        field: &'a RecordField,
        position: usize,
    ) -> Result<Option<&'a RecordField>, CompatibilityError> {
        let by_name = |name: &str| w.fields.iter().find(|candidate| candidate.name == name);
        let mut found: Vec<&'a RecordField> = by_name(&field.name).into_iter().collect();
        // Java keeps a field's aliases in a set: a repeated alias counts once
        // (but an alias equal to the field's own name matches twice).
        let mut aliases = OrdSet::new();
        found.extend(
            field
                .aliases
                .iter()
                .filter(|alias| aliases.insert(alias.as_str()))
                .filter_map(|alias| by_name(alias)),
        );
        match found.as_slice() {
            [] => Ok(None),
            [only] => Ok(Some(*only)),
            _ => Err(CompatibilityError::AmbiguousReaderField {
                field: field.name.clone(),
                field_type: avro_type(self.reader_names.resolve(&field.schema)?)?,
                position,
                writer_record: writer.canonical_form(),
            }),
        }
    }
}

/// The different-type half of `calculateCompatibility` for a non-union
/// reader and writer: Avro's promotions, or a TYPE_MISMATCH.
#[inline(never)]
fn promote<'a>(
    reader: &'a Schema,
    writer: &'a Schema,
    reader_type: AvroType,
    writer_type: AvroType,
    location: &[String],
) -> Outcome<'a> {
    let promoted = match reader_type {
        AvroType::Long => writer_type == AvroType::Int,
        AvroType::Float => matches!(writer_type, AvroType::Int | AvroType::Long),
        AvroType::Double => matches!(
            writer_type,
            AvroType::Int | AvroType::Long | AvroType::Float
        ),
        AvroType::Bytes => writer_type == AvroType::String,
        AvroType::String => writer_type == AvroType::Bytes,
        _ => false,
    };
    if promoted {
        Outcome::compatible()
    } else {
        // `typeMismatch`.
        Outcome::incompatible(
            SchemaIncompatibilityType::TypeMismatch,
            reader,
            writer,
            format!("reader type: {reader_type} not compatible with writer type: {writer_type}"),
            location,
        )
    }
}

/// A MISSING_UNION_BRANCH for a writer type no reader branch reads.
#[inline(never)]
fn missing_union_branch<'a>(
    reader: &'a Schema,
    writer: &'a Schema,
    writer_type: AvroType,
    location: &[String],
) -> Outcome<'a> {
    Outcome::incompatible(
        SchemaIncompatibilityType::MissingUnionBranch,
        reader,
        writer,
        format!("reader union lacking writer type: {writer_type}"),
        location,
    )
}

/// Names, then symbols.
#[inline(never)]
fn check_enum<'a>(
    reader: &'a Schema,
    r: &EnumSchema,
    writer: &'a Schema,
    w: &EnumSchema,
    location: &mut Vec<String>,
) -> Outcome<'a> {
    check_names(reader, writer, location)
        .merged_with(check_enum_symbols(reader, r, writer, w, location))
}

/// Names, then size, for two `FIXED` schemas; other equal types
/// (`NULL` … `STRING`) are compatible.
#[inline(never)]
fn check_fixed<'a>(
    reader: &'a Schema,
    writer: &'a Schema,
    avro: AvroType,
    location: &mut Vec<String>,
) -> Outcome<'a> {
    match (avro, fixed_of(reader), fixed_of(writer)) {
        (AvroType::Fixed, Some(r), Some(w)) => check_names(reader, writer, location)
            .merged_with(check_fixed_size(reader, r, writer, w, location)),
        _ => Outcome::compatible(),
    }
}

/// `checkSchemaNames` with `schemaNameEquals`: the unqualified names are
/// equal, or a reader alias is the writer's full name.
fn check_names<'a>(
    reader: &'a Schema,
    writer: &'a Schema,
    location: &mut Vec<String>,
) -> Outcome<'a> {
    location.push("name".to_owned());
    let reader_name = reader.name();
    let writer_full_name = writer.name().map(|name| name.fullname(None));
    let equal = reader_name.map(|name| name.name()) == writer.name().map(|name| name.name())
        || writer_full_name.as_ref().is_some_and(|full| {
            reader
                .aliases()
                .into_iter()
                .flatten()
                .any(|alias| alias.fullname(None) == *full)
        });
    let result = if equal {
        Outcome::compatible()
    } else {
        Outcome::incompatible(
            SchemaIncompatibilityType::NameMismatch,
            reader,
            writer,
            format!("expected: {}", writer_full_name.unwrap_or_default()),
            location,
        )
    };
    location.pop();
    result
}

/// `checkReaderEnumContainsAllWriterEnumSymbols`: the writer's symbols the
/// reader lacks, sorted (Java's `TreeSet`), unless the reader has a default.
fn check_enum_symbols<'a>(
    reader: &'a Schema,
    r: &EnumSchema,
    writer: &'a Schema,
    w: &EnumSchema,
    location: &mut Vec<String>,
) -> Outcome<'a> {
    location.push("symbols".to_owned());
    let missing: OrdSet<&str> = w
        .symbols
        .iter()
        .filter(|symbol| !r.symbols.contains(symbol))
        .map(String::as_str)
        .collect_set();
    let has_default = r
        .default
        .as_ref()
        .is_some_and(|default| r.symbols.contains(default));
    let result = if missing.is_empty() || has_default {
        Outcome::compatible()
    } else {
        let listed: Vec<&str> = missing.into_iter().collect();
        Outcome::incompatible(
            SchemaIncompatibilityType::MissingEnumSymbols,
            reader,
            writer,
            format!("[{}]", listed.join(", ")),
            location,
        )
    };
    location.pop();
    result
}

/// `checkFixedSize`.
fn check_fixed_size<'a>(
    reader: &'a Schema,
    r: &FixedSchema,
    writer: &'a Schema,
    w: &FixedSchema,
    location: &mut Vec<String>,
) -> Outcome<'a> {
    location.push("size".to_owned());
    let result = if r.size == w.size {
        Outcome::compatible()
    } else {
        Outcome::incompatible(
            SchemaIncompatibilityType::FixedSizeMismatch,
            reader,
            writer,
            format!("expected: {}, found: {}", w.size, r.size),
            location,
        )
    };
    location.pop();
    result
}

// ---------------------------------------------------------------------------
// Confluent's compatibility levels
// ---------------------------------------------------------------------------

/// A subject's compatibility level in the Confluent Schema Registry
/// (`io.confluent.kafka.schemaregistry.CompatibilityLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompatibilityLevel {
    /// No check.
    None,
    /// The new schema can read data written with the latest version.
    Backward,
    /// The new schema can read data written with every earlier version.
    BackwardTransitive,
    /// The latest version can read data written with the new schema.
    Forward,
    /// Every earlier version can read data written with the new schema.
    ForwardTransitive,
    /// Both [`Self::Backward`] and [`Self::Forward`].
    Full,
    /// Both [`Self::BackwardTransitive`] and [`Self::ForwardTransitive`].
    FullTransitive,
}

impl CompatibilityLevel {
    /// The seven levels, in Confluent's declaration order.
    pub const ALL: [Self; 7] = [
        Self::None,
        Self::Backward,
        Self::BackwardTransitive,
        Self::Forward,
        Self::ForwardTransitive,
        Self::Full,
        Self::FullTransitive,
    ];

    /// The registry's name, e.g. `BACKWARD_TRANSITIVE`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "NONE",
            Self::Backward => "BACKWARD",
            Self::BackwardTransitive => "BACKWARD_TRANSITIVE",
            Self::Forward => "FORWARD",
            Self::ForwardTransitive => "FORWARD_TRANSITIVE",
            Self::Full => "FULL",
            Self::FullTransitive => "FULL_TRANSITIVE",
        }
    }

    /// Whether the new schema is checked against every earlier version
    /// rather than only the latest.
    #[must_use]
    pub const fn is_transitive(self) -> bool {
        matches!(
            self,
            Self::BackwardTransitive | Self::ForwardTransitive | Self::FullTransitive
        )
    }
}

impl fmt::Display for CompatibilityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CompatibilityLevel {
    type Err = CompatibilityError;

    /// `CompatibilityLevel.forName`: the name in any case.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let upper = name.to_uppercase();
        Self::ALL
            .into_iter()
            .find(|level| level.as_str() == upper)
            .ok_or_else(|| CompatibilityError::UnknownLevel(name.to_owned()))
    }
}

/// A version already registered under the subject, as the registry holds
/// it.
#[derive(Debug, Clone, Copy)]
pub struct PreviousSchema<'a> {
    /// The parsed schema.
    pub schema: &'a Schema,
    /// The text Confluent prints in `{oldSchema: '…'}`: the version's
    /// canonical string as the registry stores and returns it
    /// (`AvroSchema.toString()`).
    pub text: &'a str,
    /// The version number printed in `{oldSchemaVersion: …}`; `None` leaves
    /// that message out, as Confluent does for a schema without a version.
    pub version: Option<i32>,
    /// The schemas its references define (the Schema Registry's schema
    /// references), empty for a self-contained schema.
    pub references: &'a [Schema],
}

/// Which reads a level checks, as `SchemaValidatorBuilder`'s strategies.
// The variants keep the names of Confluent's strategies.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy)]
enum Strategy {
    /// `canReadStrategy`: the new schema reads the old.
    CanRead,
    /// `canBeReadStrategy`: the old schema reads the new.
    CanBeRead,
    /// `mutualReadStrategy`: both.
    MutualRead,
}

/// Checks `new_schema` against the subject's earlier versions (`previous`,
/// oldest first) at `level`, returning the messages Confluent's
/// `CompatibilityChecker` returns: empty when compatible, otherwise the
/// incompatibilities as `{errorType:'…', description:'…',
/// additionalInfo:'…'}` followed by `{oldSchemaVersion: N}` and
/// `{oldSchema: '…'}` for the version that failed. Non-transitive levels
/// look at the latest version only; transitive ones go from the latest to
/// the oldest and stop at the first that fails. (The registry itself then
/// appends `{validateFields: '…', compatibility: '…'}`.)
#[must_use]
pub fn check_compatibility(
    level: CompatibilityLevel,
    new_schema: &Schema,
    previous: &[PreviousSchema<'_>],
) -> Vec<String> {
    check_compatibility_with_references(level, new_schema, &[], previous)
}

/// [`check_compatibility`] for a new schema whose named types may come from
/// its references (`new_references`), the earlier versions carrying their
/// own in [`PreviousSchema::references`].
#[must_use]
pub fn check_compatibility_with_references(
    level: CompatibilityLevel,
    new_schema: &Schema,
    new_references: &[Schema],
    previous: &[PreviousSchema<'_>],
) -> Vec<String> {
    let new_schema = (new_schema, new_references);
    let strategy = match level {
        CompatibilityLevel::None => return Vec::new(),
        CompatibilityLevel::Backward | CompatibilityLevel::BackwardTransitive => Strategy::CanRead,
        CompatibilityLevel::Forward | CompatibilityLevel::ForwardTransitive => Strategy::CanBeRead,
        CompatibilityLevel::Full | CompatibilityLevel::FullTransitive => Strategy::MutualRead,
    };
    let mut latest_first = previous.iter().rev();
    if !level.is_transitive() {
        return latest_first
            .next()
            .map(|existing| validate(strategy, new_schema, existing))
            .unwrap_or_default();
    }
    latest_first
        .map(|existing| validate(strategy, new_schema, existing))
        .find(|messages| !messages.is_empty())
        .unwrap_or_default()
}

/// One strategy against one earlier version, with
/// `formatErrorMessages`'s labels and appended old schema.
fn validate(
    strategy: Strategy,
    new_schema: (&Schema, &[Schema]),
    existing: &PreviousSchema<'_>,
) -> Vec<String> {
    let old_schema = (existing.schema, existing.references);
    match strategy {
        Strategy::CanRead => formatted(
            backward_differences(new_schema, old_schema, "new", "old"),
            existing,
            true,
        ),
        Strategy::CanBeRead => formatted(
            backward_differences(old_schema, new_schema, "old", "new"),
            existing,
            true,
        ),
        Strategy::MutualRead => {
            let mut messages = formatted(
                backward_differences(old_schema, new_schema, "old", "new"),
                existing,
                false,
            );
            messages.extend(formatted(
                backward_differences(new_schema, old_schema, "new", "old"),
                existing,
                true,
            ));
            messages
        }
    }
}

/// `formatErrorMessages`: after a failure, the old schema's version and
/// text.
fn formatted(
    mut messages: Vec<String>,
    existing: &PreviousSchema<'_>,
    append_schema: bool,
) -> Vec<String> {
    if !messages.is_empty() && append_schema {
        if let Some(version) = existing.version {
            messages.push(format!("{{oldSchemaVersion: {version}}}"));
        }
        messages.push(old_schema_message(existing.text));
    }
    messages
}

/// `{oldSchema: '…'}`, cut after [`MAX_SCHEMA_SIZE_FOR_LOGGING`] UTF-16
/// units as Java's `substring` does (never inside a character).
fn old_schema_message(text: &str) -> String {
    if text.encode_utf16().count() <= MAX_SCHEMA_SIZE_FOR_LOGGING {
        return format!("{{oldSchema: '{text}'}}");
    }
    let mut units = 0;
    let mut end = 0;
    for (index, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_SCHEMA_SIZE_FOR_LOGGING {
            break;
        }
        end = index + c.len_utf8();
    }
    let cut = text.get(..end).unwrap_or_default();
    format!("{{oldSchema: <truncated> '{cut}...'}}")
}

/// `AvroSchema.isBackwardCompatible` on `reader` with `writer`, each
/// difference formatted by `Difference` with the `%s` placeholders filled
/// as `formatErrorMessages` fills them (reader label first).
fn backward_differences(
    reader: (&Schema, &[Schema]),
    writer: (&Schema, &[Schema]),
    reader_label: &str,
    writer_label: &str,
) -> Vec<String> {
    match check_reader_writer_with_references(reader.0, reader.1, writer.0, writer.1) {
        Ok(result) => result
            .incompatibilities
            .iter()
            .map(|incompatibility| difference_message(incompatibility, reader_label, writer_label))
            .collect(),
        Err(error) => vec![format!(
            "Unexpected exception during compatibility check: {error}"
        )],
    }
}

/// Confluent's `Difference.toString()` for one incompatibility, with the
/// reader's and writer's labels (`new`/`old`) in place of its `%s`.
#[must_use]
pub fn difference_message(
    incompatibility: &Incompatibility,
    reader_label: &str,
    writer_label: &str,
) -> String {
    let path = &incompatibility.location;
    let info = &incompatibility.message;
    let description = match incompatibility.kind {
        SchemaIncompatibilityType::FixedSizeMismatch => format!(
            "The size of FIXED type field at path '{path}' in the {reader_label} schema does not match with the {writer_label} schema"
        ),
        SchemaIncompatibilityType::TypeMismatch => format!(
            "The type (path '{path}') of a field in the {reader_label} schema does not match with the {writer_label} schema"
        ),
        SchemaIncompatibilityType::NameMismatch => {
            format!("The name of the schema has changed (path '{path}')")
        }
        SchemaIncompatibilityType::MissingEnumSymbols => format!(
            "The {reader_label} schema is missing enum symbols '{info}' at path '{path}' in the {writer_label} schema"
        ),
        SchemaIncompatibilityType::MissingUnionBranch => format!(
            "The {reader_label} schema is missing a type inside a union field at path '{path}' in the {writer_label} schema"
        ),
        SchemaIncompatibilityType::ReaderFieldMissingDefaultValue => format!(
            "The field '{info}' at path '{path}' in the {reader_label} schema has no default value and is missing in the {writer_label} schema"
        ),
    };
    format!(
        "{{errorType:'{}', description:'{description}', additionalInfo:'{info}'}}",
        incompatibility.kind
    )
}

#[cfg(test)]
mod tests;
