//! Avro's Parsing Canonical Form and the schema fingerprints computed from
//! it, exactly as Java's `org.apache.avro.SchemaNormalization` produces them
//! (the form the Avro 1.12 specification defines in "Transforming into
//! Parsing Canonical Form", and the fingerprints of its "Schema
//! Fingerprints" section).
//!
//! The canonical form keeps only what a reader needs to parse data: each
//! primitive becomes its bare name (`"int"`, whatever logical type or
//! property it carried: \[PRIMITIVES\]); every named type is written
//! under its full name, namespaces dropped (\[FULLNAMES\]); only `type`,
//! `name`, `fields`, `symbols`, `items`, `values` and `size` survive
//! (\[STRIP\]), in that order with `name` first (\[ORDER\]); strings lose
//! their escapes (\[STRINGS\]), `size` its quotes and leading zeros
//! (\[INTEGERS\]), and no whitespace is left (\[WHITESPACE\]). A named
//! type is written out in full where it first occurs and by its full name
//! everywhere after.
//!
//! Two entry points produce it: [`parsing_canonical_form`] walks a schema
//! parsed by `apache-avro` (as Java walks its `Schema` objects), and
//! [`parsing_canonical_form_json`] transforms schema JSON text directly, with
//! a small JSON reader of its own, checking only what the transformation
//! needs. The text path also accepts schemas `apache-avro` refuses for
//! reasons that do not affect the form, such as an ill-typed field default
//! (case 026 of Avro's `share/test/data/schema-tests.txt`).
//!
//! The `apache-avro` crate's own `Schema::canonical_form()` (and with it
//! `Schema::fingerprint`, its single-object header and everything keyed by
//! them) is not used: it is right for plain schemas but wrong wherever a
//! logical type or a field's sort order appears. It writes a `date` as
//! `{"type":"int"}` instead of `"int"`, keeps a decimal's `precision` and
//! `scale`, and keeps a field's `"order"`; the `avro_crate_*` tests show each
//! case beside the right answer. (Its parser also refuses a short name that
//! Java resolves in the null namespace from inside another namespace; the
//! text path resolves it as Java does.)
//!
//! Fingerprints: [`crc64_avro`] is the spec's 64-bit Rabin fingerprint
//! (`CRC-64-AVRO`, Java's `SchemaNormalization.fingerprint64`, returned as
//! the signed `long` Java prints), and [`md5`] and [`sha256`] are
//! implemented here (RFC 1321 and FIPS 180-4, checked against their
//! published test vectors) because the engine carries no digest crate.
//!
//! Sources followed: the Avro 1.12 specification; Java's
//! `SchemaNormalization.java` and `TestSchemaNormalization.java`; the cases
//! of `share/test/data/schema-tests.txt` (all 34, translated in the tests).

use crate::collections::{OrdMap, OrdSet};
use std::fmt;
use std::str::FromStr;

use apache_avro::schema::{DecimalSchema, FixedSchema, InnerDecimalSchema, Name, UuidSchema};
use apache_avro::Schema;
use thiserror::Error;

/// How deeply a schema may nest before the canonical form gives up with
/// [`CanonicalError::TooDeep`], bounding the stack either walk uses. The
/// JSON parser behind `apache-avro` stops at 128 levels already; deeper
/// schemas can only be built in code or written as text.
pub const MAX_DEPTH: usize = 256;

/// The spec's `EMPTY` (Java's `SchemaNormalization.EMPTY64`): the CRC-64-AVRO
/// polynomial, and the fingerprint of zero bytes.
pub const EMPTY64: u64 = 0xc15d_213a_a4d7_a795;

/// Why a canonical form or fingerprint could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CanonicalError {
    /// The schema text is not JSON.
    #[error("invalid JSON at byte {offset}: {message}")]
    Json {
        /// Where the JSON reader stopped, in bytes from the start.
        offset: usize,
        /// What it found wrong.
        message: &'static str,
    },
    /// The JSON is not an Avro schema (a missing `name`, `fields`,
    /// `symbols`, `items`, `values` or `size`, a value of the wrong JSON
    /// kind, an unknown `type`, ...).
    #[error("invalid Avro schema: {0}")]
    Invalid(String),
    /// A name, namespace, field name or enum symbol breaks the spec's name
    /// rules (`[A-Za-z_][A-Za-z0-9_]*`, dot-separated for namespaces).
    #[error("invalid Avro name: {0:?}")]
    InvalidName(String),
    /// A schema refers to a named type that is not defined before it (or,
    /// for a schema with references, in none of them). Java's parser says
    /// `Undefined name: "x"` for the same schema text.
    #[error("Undefined name: {0:?}")]
    UnresolvedName(String),
    /// The same full name is defined twice (Java's `Can't redefine: x`).
    #[error("Can't redefine: {0}")]
    Redefined(String),
    /// The schema nests more than [`MAX_DEPTH`] levels deep.
    #[error("the schema nests more than {MAX_DEPTH} levels deep")]
    TooDeep,
    /// A fingerprint algorithm name other than `CRC-64-AVRO`, `MD5` and
    /// `SHA-256` (Java's `NoSuchAlgorithmException` message).
    #[error("{0} MessageDigest not available")]
    UnknownAlgorithm(String),
}

// ---------------------------------------------------------------------------
// Fingerprints
// ---------------------------------------------------------------------------

/// The three fingerprints the spec recommends, by the names Java's
/// `SchemaNormalization.fingerprint(fpName, data)` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FingerprintAlgorithm {
    /// `CRC-64-AVRO`: the 64-bit Rabin fingerprint, 8 bytes little-endian
    /// (the single-object encoding's header).
    Crc64Avro,
    /// `MD5`: 16 bytes.
    Md5,
    /// `SHA-256`: 32 bytes.
    Sha256,
}

impl FingerprintAlgorithm {
    /// Every algorithm, in the spec's order.
    pub const ALL: [Self; 3] = [Self::Crc64Avro, Self::Md5, Self::Sha256];

    /// The name Java takes: `CRC-64-AVRO`, `MD5` or `SHA-256`.
    #[must_use]
    pub const fn java_name(self) -> &'static str {
        match self {
            Self::Crc64Avro => "CRC-64-AVRO",
            Self::Md5 => "MD5",
            Self::Sha256 => "SHA-256",
        }
    }

    /// Java's `SchemaNormalization.fingerprint(fpName, data)`: the
    /// fingerprint of `data`, CRC-64-AVRO as its 8 little-endian bytes.
    #[must_use]
    pub fn fingerprint(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Crc64Avro => crc64_avro(data).to_le_bytes().to_vec(),
            Self::Md5 => md5(data).to_vec(),
            Self::Sha256 => sha256(data).to_vec(),
        }
    }
}

impl fmt::Display for FingerprintAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.java_name())
    }
}

impl FromStr for FingerprintAlgorithm {
    type Err = CanonicalError;

    /// Parses Java's name, exactly (`CRC-64-AVRO`, `MD5`, `SHA-256`).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|algorithm| algorithm.java_name() == name)
            .ok_or_else(|| CanonicalError::UnknownAlgorithm(name.to_owned()))
    }
}

/// The CRC-64-AVRO lookup table (the spec's `FP_TABLE`), built at compile
/// time.
static FP_TABLE: [u64; 256] = fp_table();

const fn fp_table() -> [u64; 256] {
    let mut table = [0_u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut fp = i as u64;
        let mut bit = 0;
        while bit < 8 {
            fp = (fp >> 1) ^ (EMPTY64 & 0_u64.wrapping_sub(fp & 1));
            bit += 1;
        }
        table[i] = fp;
        i += 1;
    }
    table
}

/// The spec's 64-bit Rabin fingerprint of `data` (`CRC-64-AVRO`, Java's
/// `SchemaNormalization.fingerprint64`), as the signed `long` Java returns
/// and the spec's test file prints. Its little-endian bytes
/// (`to_le_bytes`) are what the single-object encoding carries.
#[must_use]
pub fn crc64_avro(data: &[u8]) -> i64 {
    let mut fp = EMPTY64;
    for &byte in data {
        // The mask keeps the index below 256.
        let index = ((fp ^ u64::from(byte)) & 0xff) as usize;
        fp = (fp >> 8) ^ FP_TABLE[index];
    }
    // The same 64 bits, read as Java's signed `long`.
    i64::from_ne_bytes(fp.to_ne_bytes())
}

/// The MD5 digest of `data` (RFC 1321).
#[must_use]
pub fn md5(data: &[u8]) -> [u8; 16] {
    md5::digest(data)
}

/// The SHA-256 digest of `data` (FIPS 180-4).
#[must_use]
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha256::digest(data)
}

/// Lower-case hexadecimal, two digits a byte (as fingerprints are usually
/// shown).
#[must_use]
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

/// Java's `SchemaNormalization.parsingFingerprint64(schema)`: the
/// CRC-64-AVRO fingerprint of the schema's Parsing Canonical Form.
///
/// # Errors
///
/// As [`parsing_canonical_form`].
pub fn parsing_fingerprint64(schema: &Schema) -> Result<i64, CanonicalError> {
    Ok(crc64_avro(parsing_canonical_form(schema)?.as_bytes()))
}

/// Java's `SchemaNormalization.parsingFingerprint(fpName, schema)`: the
/// fingerprint of the schema's Parsing Canonical Form with `algorithm`.
///
/// # Errors
///
/// As [`parsing_canonical_form`].
pub fn parsing_fingerprint(
    algorithm: FingerprintAlgorithm,
    schema: &Schema,
) -> Result<Vec<u8>, CanonicalError> {
    Ok(algorithm.fingerprint(parsing_canonical_form(schema)?.as_bytes()))
}

// ---------------------------------------------------------------------------
// Canonical form of a parsed schema
// ---------------------------------------------------------------------------

/// Java's `SchemaNormalization.toParsingForm(schema)`: the Parsing Canonical
/// Form of a schema parsed by `apache-avro`.
///
/// Logical types vanish into their underlying type (`date` is `"int"`, a
/// `decimal` on `fixed` is that `fixed`); names are written with JSON
/// escaping, which changes nothing for the names the spec allows.
///
/// # Errors
///
/// [`CanonicalError::UnresolvedName`] for a reference to a named type the
/// schema does not define before it (possible only for schemas built in
/// code or parsed with others: see
/// [`parsing_canonical_form_with_references`]); [`CanonicalError::TooDeep`]
/// past [`MAX_DEPTH`].
pub fn parsing_canonical_form(schema: &Schema) -> Result<String, CanonicalError> {
    parsing_canonical_form_with_references(schema, &[])
}

/// [`parsing_canonical_form`] for a schema whose named types may be defined
/// in other schemas (the Schema Registry's schema references, or
/// `Schema::parse_list`). A referenced type is written out in full where it
/// is first used, as Java does for the `Schema` object graph it builds from
/// references.
///
/// # Errors
///
/// As [`parsing_canonical_form`]; a name none of the schemas defines is
/// [`CanonicalError::UnresolvedName`].
pub fn parsing_canonical_form_with_references(
    schema: &Schema,
    references: &[Schema],
) -> Result<String, CanonicalError> {
    let mut definitions = OrdMap::new();
    for root in std::iter::once(schema).chain(references) {
        collect_definitions(root, &mut definitions, 0)?;
    }
    let mut writer = SchemaWriter {
        definitions,
        written: OrdSet::new(),
        out: String::new(),
    };
    writer.write(schema, 0)?;
    Ok(writer.out)
}

/// Records every named type defined under `schema`, by full name; the first
/// definition of a name wins.
pub(crate) fn collect_definitions<'a>(
    schema: &'a Schema,
    definitions: &mut OrdMap<String, &'a Schema>,
    depth: usize,
) -> Result<(), CanonicalError> {
    if depth > MAX_DEPTH {
        return Err(CanonicalError::TooDeep);
    }
    if !matches!(schema, Schema::Ref { .. }) {
        if let Some(name) = schema.name() {
            definitions.entry(name.fullname(None)).or_insert(schema);
        }
    }
    match schema {
        Schema::Array(array) => collect_definitions(&array.items, definitions, depth + 1),
        Schema::Map(map) => collect_definitions(&map.types, definitions, depth + 1),
        Schema::Union(union) => union
            .variants()
            .iter()
            .try_for_each(|branch| collect_definitions(branch, definitions, depth + 1)),
        Schema::Record(record) => record
            .fields
            .iter()
            .try_for_each(|field| collect_definitions(&field.schema, definitions, depth + 1)),
        _ => Ok(()),
    }
}

/// Java's `SchemaNormalization.build` over `apache-avro`'s schema model.
struct SchemaWriter<'a> {
    /// Every named type the schema and its references define.
    definitions: OrdMap<String, &'a Schema>,
    /// Full names already written out (Java's `env`).
    written: OrdSet<String>,
    out: String,
}

impl<'a> SchemaWriter<'a> {
    fn write(&mut self, schema: &'a Schema, depth: usize) -> Result<(), CanonicalError> {
        if depth > MAX_DEPTH {
            return Err(CanonicalError::TooDeep);
        }
        match schema {
            Schema::Null => self.primitive("null"),
            Schema::Boolean => self.primitive("boolean"),
            Schema::Int | Schema::Date | Schema::TimeMillis => self.primitive("int"),
            Schema::Long
            | Schema::TimeMicros
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::TimestampNanos
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros
            | Schema::LocalTimestampNanos => self.primitive("long"),
            Schema::Float => self.primitive("float"),
            Schema::Double => self.primitive("double"),
            Schema::Bytes
            | Schema::BigDecimal
            | Schema::Uuid(UuidSchema::Bytes)
            | Schema::Decimal(DecimalSchema {
                inner: InnerDecimalSchema::Bytes,
                ..
            }) => self.primitive("bytes"),
            Schema::String | Schema::Uuid(UuidSchema::String) => self.primitive("string"),
            Schema::Fixed(fixed)
            | Schema::Duration(fixed)
            | Schema::Uuid(UuidSchema::Fixed(fixed))
            | Schema::Decimal(DecimalSchema {
                inner: InnerDecimalSchema::Fixed(fixed),
                ..
            }) => self.fixed(fixed),
            Schema::Array(array) => {
                self.out.push_str(r#"{"type":"array","items":"#);
                self.write(&array.items, depth + 1)?;
                self.out.push('}');
            }
            Schema::Map(map) => {
                self.out.push_str(r#"{"type":"map","values":"#);
                self.write(&map.types, depth + 1)?;
                self.out.push('}');
            }
            Schema::Union(union) => {
                self.out.push('[');
                for (i, branch) in union.variants().iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.write(branch, depth + 1)?;
                }
                self.out.push(']');
            }
            Schema::Record(record) => {
                if self.open_named(&record.name, "record") {
                    self.out.push_str(r#","fields":["#);
                    for (i, field) in record.fields.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        self.out.push_str(r#"{"name":"#);
                        push_json_string(&mut self.out, &field.name);
                        self.out.push_str(r#","type":"#);
                        self.write(&field.schema, depth + 1)?;
                        self.out.push('}');
                    }
                    self.out.push_str("]}");
                }
            }
            Schema::Enum(enumeration) => {
                if self.open_named(&enumeration.name, "enum") {
                    self.out.push_str(r#","symbols":["#);
                    for (i, symbol) in enumeration.symbols.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        push_json_string(&mut self.out, symbol);
                    }
                    self.out.push_str("]}");
                }
            }
            Schema::Ref { name } => {
                let full = name.fullname(None);
                if self.written.contains(&full) {
                    push_json_string(&mut self.out, &full);
                } else {
                    // Not written yet: defined later in the same schema (built
                    // in code) or in a reference. Java's object graph has the
                    // definition itself here, so it is written here in full.
                    let definition = self
                        .definitions
                        .get(&full)
                        .copied()
                        .ok_or(CanonicalError::UnresolvedName(full))?;
                    self.write(definition, depth + 1)?;
                }
            }
        }
        Ok(())
    }

    fn primitive(&mut self, name: &str) {
        self.out.push('"');
        self.out.push_str(name);
        self.out.push('"');
    }

    fn fixed(&mut self, fixed: &FixedSchema) {
        if self.open_named(&fixed.name, "fixed") {
            self.out.push_str(r#","size":"#);
            self.out.push_str(&fixed.size.to_string());
            self.out.push('}');
        }
    }

    /// Writes `{"name":"full","type":"kind"` and returns `true` the first
    /// time a name is met (the caller writes the rest and the closing
    /// brace); writes `"full"` and returns `false` after that.
    fn open_named(&mut self, name: &Name, kind: &str) -> bool {
        let full = name.fullname(None);
        if self.written.contains(&full) {
            push_json_string(&mut self.out, &full);
            return false;
        }
        self.out.push_str(r#"{"name":"#);
        push_json_string(&mut self.out, &full);
        self.out.push_str(r#","type":""#);
        self.out.push_str(kind);
        self.out.push('"');
        self.written.insert(full);
        true
    }
}

/// Appends `text` as a JSON string. Names the spec allows need no escape,
/// so this writes them exactly as Java does; anything else (possible only
/// in schemas built in code) still yields valid JSON.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------
// Canonical form of schema text
// ---------------------------------------------------------------------------

/// The Parsing Canonical Form of schema JSON text, by the spec's
/// transformation applied to the text itself.
///
/// Only what the transformation needs is checked: the JSON, the attributes
/// it keeps, names (against the spec's rules) and references (each name
/// must be defined before it is used, and only once). Defaults, docs,
/// aliases, logical types and other properties are dropped unread, so a
/// schema `apache-avro` or Java refuses for one of those still has a form
/// here. A reference resolves as Java's parser resolves it: against the
/// enclosing namespace first, then as written.
///
/// # Errors
///
/// [`CanonicalError::Json`] for text that is not JSON; `Invalid`,
/// `InvalidName`, `UnresolvedName` or `Redefined` for JSON that is not an
/// Avro schema; `TooDeep` past [`MAX_DEPTH`].
pub fn parsing_canonical_form_json(text: &str) -> Result<String, CanonicalError> {
    let json = JsonReader::read_document(text)?;
    let mut writer = TextWriter {
        defined: OrdSet::new(),
        out: String::new(),
    };
    writer.write(&json, "", 0)?;
    Ok(writer.out)
}

/// [`crc64_avro`] of [`parsing_canonical_form_json`].
///
/// # Errors
///
/// As [`parsing_canonical_form_json`].
pub fn parsing_fingerprint64_json(text: &str) -> Result<i64, CanonicalError> {
    Ok(crc64_avro(parsing_canonical_form_json(text)?.as_bytes()))
}

/// The primitive type names.
const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// The spec's transformation over JSON: each value written as its canonical
/// form.
struct TextWriter {
    /// Full names defined so far.
    defined: OrdSet<String>,
    out: String,
}

impl TextWriter {
    /// Writes the schema `json`, whose enclosing namespace is `namespace`
    /// (`""` for none).
    fn write(&mut self, json: &Json, namespace: &str, depth: usize) -> Result<(), CanonicalError> {
        if depth > MAX_DEPTH {
            return Err(CanonicalError::TooDeep);
        }
        match json {
            Json::String(name) => self.reference(name, namespace),
            Json::Array(branches) => {
                self.out.push('[');
                for (i, branch) in branches.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.write(branch, namespace, depth + 1)?;
                }
                self.out.push(']');
                Ok(())
            }
            Json::Object(members) => self.object(members, namespace, depth),
            other => Err(CanonicalError::Invalid(format!(
                "a schema is a string, an array or an object, not {}",
                other.kind()
            ))),
        }
    }

    /// A type named by a string: a primitive, or a named type defined
    /// earlier.
    fn reference(&mut self, name: &str, namespace: &str) -> Result<(), CanonicalError> {
        if PRIMITIVES.contains(&name) {
            push_json_string(&mut self.out, name);
            return Ok(());
        }
        let qualified = qualify(name, namespace);
        let full = if self.defined.contains(&qualified) {
            qualified
        } else if self.defined.contains(name) {
            name.to_owned()
        } else {
            return Err(CanonicalError::UnresolvedName(qualified));
        };
        push_json_string(&mut self.out, &full);
        Ok(())
    }

    fn object(
        &mut self,
        members: &[(String, Json)],
        namespace: &str,
        depth: usize,
    ) -> Result<(), CanonicalError> {
        let kind = match member(members, "type") {
            Some(Json::String(kind)) => kind.as_str(),
            Some(_) => {
                return Err(CanonicalError::Invalid(
                    "\"type\" must be a string in a schema object".to_owned(),
                ))
            }
            None => return Err(CanonicalError::Invalid("No type".to_owned())),
        };
        match kind {
            "record" | "error" => {
                let (full, inner) = self.define(members, namespace)?;
                let fields = match member(members, "fields") {
                    Some(Json::Array(fields)) => fields,
                    _ => return Err(invalid_attribute("record", "fields", "an array")),
                };
                self.open_named(&full, "record");
                self.out.push_str(r#","fields":["#);
                for (i, field) in fields.iter().enumerate() {
                    let Json::Object(field) = field else {
                        return Err(CanonicalError::Invalid(format!(
                            "a field of record {full} is not an object"
                        )));
                    };
                    let name = match member(field, "name") {
                        Some(Json::String(name)) => name,
                        _ => return Err(invalid_attribute("field", "name", "a string")),
                    };
                    check_name(name)?;
                    let field_type = member(field, "type").ok_or_else(|| {
                        CanonicalError::Invalid(format!("No field type: field {name} of {full}"))
                    })?;
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.out.push_str(r#"{"name":"#);
                    push_json_string(&mut self.out, name);
                    self.out.push_str(r#","type":"#);
                    self.write(field_type, &inner, depth + 1)?;
                    self.out.push('}');
                }
                self.out.push_str("]}");
            }
            "enum" => {
                let (full, _) = self.define(members, namespace)?;
                let symbols = match member(members, "symbols") {
                    Some(Json::Array(symbols)) => symbols,
                    _ => return Err(invalid_attribute("enum", "symbols", "an array")),
                };
                self.open_named(&full, "enum");
                self.out.push_str(r#","symbols":["#);
                for (i, symbol) in symbols.iter().enumerate() {
                    let Json::String(symbol) = symbol else {
                        return Err(invalid_attribute("enum", "symbols", "an array of strings"));
                    };
                    check_name(symbol)?;
                    if i > 0 {
                        self.out.push(',');
                    }
                    push_json_string(&mut self.out, symbol);
                }
                self.out.push_str("]}");
            }
            "fixed" => {
                let (full, _) = self.define(members, namespace)?;
                let size = fixed_size(member(members, "size"))?;
                self.open_named(&full, "fixed");
                self.out.push_str(r#","size":"#);
                self.out.push_str(&size.to_string());
                self.out.push('}');
            }
            "array" => {
                let items = member(members, "items")
                    .ok_or_else(|| invalid_attribute("array", "items", "a schema"))?;
                self.out.push_str(r#"{"type":"array","items":"#);
                self.write(items, namespace, depth + 1)?;
                self.out.push('}');
            }
            "map" => {
                let values = member(members, "values")
                    .ok_or_else(|| invalid_attribute("map", "values", "a schema"))?;
                self.out.push_str(r#"{"type":"map","values":"#);
                self.write(values, namespace, depth + 1)?;
                self.out.push('}');
            }
            // A primitive in full form, whatever else it carries.
            primitive if PRIMITIVES.contains(&primitive) => {
                push_json_string(&mut self.out, primitive);
            }
            // Java reads `{"type":"Name"}` as a reference to a defined type.
            other => self.reference(other, namespace)?,
        }
        Ok(())
    }

    /// Defines the named type `members` describes: returns its full name
    /// and the namespace its nested definitions inherit.
    fn define(
        &mut self,
        members: &[(String, Json)],
        namespace: &str,
    ) -> Result<(String, String), CanonicalError> {
        let name = match member(members, "name") {
            Some(Json::String(name)) => name.as_str(),
            _ => return Err(CanonicalError::Invalid("No name in schema".to_owned())),
        };
        let own_namespace = match member(members, "namespace") {
            Some(Json::String(own)) => Some(own.as_str()),
            Some(Json::Null) | None => None,
            Some(_) => return Err(invalid_attribute("named type", "namespace", "a string")),
        };
        let full = if name.contains('.') {
            name.to_owned()
        } else {
            qualify(name, own_namespace.unwrap_or(namespace))
        };
        let (inner, short) = match full.rfind('.') {
            Some(dot) => (&full[..dot], &full[dot + 1..]),
            None => ("", full.as_str()),
        };
        check_name(short)?;
        if !inner.is_empty() {
            inner.split('.').try_for_each(check_name)?;
        }
        let inner = inner.to_owned();
        if !self.defined.insert(full.clone()) {
            return Err(CanonicalError::Redefined(full));
        }
        Ok((full, inner))
    }

    fn open_named(&mut self, full: &str, kind: &str) {
        self.out.push_str(r#"{"name":"#);
        push_json_string(&mut self.out, full);
        self.out.push_str(r#","type":""#);
        self.out.push_str(kind);
        self.out.push('"');
    }
}

/// `name` in `namespace` (`""` for none), unless it is already qualified.
fn qualify(name: &str, namespace: &str) -> String {
    if name.contains('.') || namespace.is_empty() {
        name.to_owned()
    } else {
        format!("{namespace}.{name}")
    }
}

/// The spec's name rule: `[A-Za-z_][A-Za-z0-9_]*`.
fn check_name(name: &str) -> Result<(), CanonicalError> {
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(CanonicalError::InvalidName(name.to_owned()))
    }
}

/// A fixed's `size`: a JSON integer, or (the spec's \[INTEGERS\] rule) a
/// string of digits; either way a Java `int` that is not negative.
fn fixed_size(size: Option<&Json>) -> Result<u32, CanonicalError> {
    let digits = match size {
        Some(Json::Number(raw)) => raw.as_str(),
        Some(Json::String(text))
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) =>
        {
            text.as_str()
        }
        _ => return Err(invalid_attribute("fixed", "size", "an integer")),
    };
    digits
        .parse::<i32>()
        .ok()
        .and_then(|size| u32::try_from(size).ok())
        .ok_or_else(|| invalid_attribute("fixed", "size", "an integer from 0 to 2147483647"))
}

fn invalid_attribute(kind: &str, attribute: &str, expected: &str) -> CanonicalError {
    CanonicalError::Invalid(format!("{kind} needs \"{attribute}\" as {expected}"))
}

/// The value of `key` in a JSON object; the last one where the key repeats,
/// as Jackson (Java) and serde_json keep the last.
fn member<'j>(members: &'j [(String, Json)], key: &str) -> Option<&'j Json> {
    members
        .iter()
        .rev()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value)
}

// ---------------------------------------------------------------------------
// A minimal JSON reader (RFC 8259), for schema text
// ---------------------------------------------------------------------------

/// A JSON value. Numbers keep their text; objects keep their members in
/// order, repeated keys included.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn kind(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "a boolean",
            Self::Number(_) => "a number",
            Self::String(_) => "a string",
            Self::Array(_) => "an array",
            Self::Object(_) => "an object",
        }
    }
}

struct JsonReader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
}

/// Reads one JSON document with the reader above (the Schema Registry
/// parses its request bodies and `_schemas` records with it too).
pub(crate) fn read_json(text: &str) -> Result<Json, CanonicalError> {
    JsonReader::read_document(text)
}

impl<'t> JsonReader<'t> {
    fn read_document(text: &'t str) -> Result<Json, CanonicalError> {
        let mut reader = Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        };
        reader.skip_whitespace();
        let value = reader.value(0)?;
        reader.skip_whitespace();
        if reader.pos != reader.bytes.len() {
            return Err(reader.error("unexpected text after the value"));
        }
        Ok(value)
    }

    fn error(&self, message: &'static str) -> CanonicalError {
        CanonicalError::Json {
            offset: self.pos,
            message,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, CanonicalError> {
        if depth > MAX_DEPTH {
            return Err(CanonicalError::TooDeep);
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of text")),
        }
    }

    fn literal(&mut self, word: &'static str, value: Json) -> Result<Json, CanonicalError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, CanonicalError> {
        self.pos += 1; // '{'
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':'"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, CanonicalError> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn number(&mut self) -> Result<Json, CanonicalError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit"));
            }
            self.digits();
        }
        Ok(Json::Number(self.text[start..self.pos].to_owned()))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// A string, escapes decoded (the spec's \[STRINGS\] rule).
    fn string(&mut self) -> Result<String, CanonicalError> {
        self.pos += 1; // '"'
        let mut value = String::new();
        let mut run = self.pos;
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    // Runs start and end at ASCII bytes: always char boundaries.
                    value.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return Ok(value);
                }
                Some(b'\\') => {
                    value.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    let simple = match self.peek() {
                        Some(b'"') => Some('"'),
                        Some(b'\\') => Some('\\'),
                        Some(b'/') => Some('/'),
                        Some(b'b') => Some('\u{8}'),
                        Some(b'f') => Some('\u{c}'),
                        Some(b'n') => Some('\n'),
                        Some(b'r') => Some('\r'),
                        Some(b't') => Some('\t'),
                        Some(b'u') => None,
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.pos += 1;
                    let escaped = match simple {
                        Some(c) => c,
                        None => self.unicode_escape()?,
                    };
                    value.push(escaped);
                    run = self.pos;
                }
                Some(byte) if byte < 0x20 => return Err(self.error("control character in string")),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// The character of a `\u` escape whose `u` has been read, joining a
    /// surrogate pair; leaves the position after the last hex digit.
    fn unicode_escape(&mut self) -> Result<char, CanonicalError> {
        let high = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&high) {
            if !self.bytes[self.pos..].starts_with(b"\\u") {
                return Err(self.error("unpaired surrogate in \\u escape"));
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xdc00..0xe000).contains(&low) {
                return Err(self.error("unpaired surrogate in \\u escape"));
            }
            0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.error("unpaired surrogate in \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, CanonicalError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|byte| char::from(byte).to_digit(16))
                .ok_or_else(|| self.error("expected 4 hex digits after \\u"))?;
            code = code * 16 + digit;
            self.pos += 1;
        }
        Ok(code)
    }
}

// ---------------------------------------------------------------------------
// MD5 (RFC 1321)
// ---------------------------------------------------------------------------

mod md5 {
    /// Per-round left rotations.
    #[rustfmt::skip]
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, //
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, //
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, //
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];

    /// `floor(abs(sin(i + 1)) * 2^32)`.
    #[rustfmt::skip]
    const K: [u32; 64] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a,
        0xa830_4613, 0xfd46_9501, 0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be,
        0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821, 0xf61e_2562, 0xc040_b340,
        0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8,
        0x676f_02d9, 0x8d2a_4c8a, 0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c,
        0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70, 0x289b_7ec6, 0xeaa1_27fa,
        0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92,
        0xffef_f47d, 0x8584_5dd1, 0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1,
        0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ];

    pub(super) fn digest(data: &[u8]) -> [u8; 16] {
        let mut state: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            compress(&mut state, block);
        }
        // usize is at most 64 bits on every target Rust supports.
        let bit_length = (data.len() as u64).wrapping_mul(8);
        for block in
            super::final_blocks(blocks.remainder(), &bit_length.to_le_bytes()).chunks_exact(64)
        {
            compress(&mut state, block);
        }
        let mut out = [0_u8; 16];
        for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
            bytes.copy_from_slice(&word.to_le_bytes());
        }
        out
    }

    /// One 64-byte block (the caller passes exactly 64 bytes).
    fn compress(state: &mut [u32; 4], block: &[u8]) {
        let mut m = [0_u32; 16];
        for (word, bytes) in m.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        let [mut a, mut b, mut c, mut d] = *state;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(K[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        for (word, add) in state.iter_mut().zip([a, b, c, d]) {
            *word = word.wrapping_add(add);
        }
    }
}

// ---------------------------------------------------------------------------
// SHA-256 (FIPS 180-4)
// ---------------------------------------------------------------------------

mod sha256 {
    /// The first 32 bits of the fractional parts of the cube roots of the
    /// first 64 primes.
    #[rustfmt::skip]
    const K: [u32; 64] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1,
        0x923f_82a4, 0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3,
        0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786,
        0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147,
        0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13,
        0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
        0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a,
        0x5b9c_ca4f, 0x682e_6ff3, 0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208,
        0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ];

    /// The first 32 bits of the fractional parts of the square roots of the
    /// first 8 primes.
    #[rustfmt::skip]
    const H: [u32; 8] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c,
        0x1f83_d9ab, 0x5be0_cd19,
    ];

    pub(super) fn digest(data: &[u8]) -> [u8; 32] {
        let mut state = H;
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            compress(&mut state, block);
        }
        // usize is at most 64 bits on every target Rust supports.
        let bit_length = (data.len() as u64).wrapping_mul(8);
        for block in
            super::final_blocks(blocks.remainder(), &bit_length.to_be_bytes()).chunks_exact(64)
        {
            compress(&mut state, block);
        }
        let mut out = [0_u8; 32];
        for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        out
    }

    /// One 64-byte block (the caller passes exactly 64 bytes).
    fn compress(state: &mut [u32; 8], block: &[u8]) {
        let mut w = [0_u32; 64];
        for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        for (k, w) in K.iter().zip(w) {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(*k)
                .wrapping_add(w);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (word, add) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *word = word.wrapping_add(add);
        }
    }
}

/// The padded tail MD5 and SHA-256 share: the last partial block (under 64
/// bytes), the `0x80` byte, zeros, and the 8-byte bit length, as one or two
/// 64-byte blocks.
fn final_blocks(rest: &[u8], length: &[u8; 8]) -> Vec<u8> {
    // `rest` is a `chunks_exact(64)` remainder, under 64 bytes, so the
    // indices below stay inside `tail`.
    let total = if rest.len() < 56 { 64 } else { 128 };
    let mut tail = vec![0_u8; total];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    tail[total - 8..].copy_from_slice(length);
    tail
}

#[cfg(test)]
mod tests {
    //! The 34 cases of Avro's `share/test/data/schema-tests.txt` (through
    //! both entry points, and through `apache-avro`'s own canonical form),
    //! the cases where `apache-avro` is wrong, names and references, the text
    //! path's errors, and the digests against their published test vectors.

    use apache_avro::rabin::Rabin;
    use apache_avro::schema::ArraySchema;

    use super::*;

    /// One case of `schema-tests.txt`: number, input, canonical form, and
    /// the CRC-64-AVRO fingerprint where the file gives one.
    type Case = (&'static str, &'static str, &'static str, Option<i64>);

    /// `share/test/data/schema-tests.txt`, every case, in order.
    const SCHEMA_TESTS: [Case; 34] = [
        ("000", r#""null""#, r#""null""#, Some(7_195_948_357_588_979_594)),
        ("001", r#"{"type":"null"}"#, r#""null""#, None),
        ("002", r#""boolean""#, r#""boolean""#, Some(-6_970_731_678_124_411_036)),
        ("003", r#"{"type":"boolean"}"#, r#""boolean""#, None),
        ("004", r#""int""#, r#""int""#, Some(8_247_732_601_305_521_295)),
        ("005", r#"{"type":"int"}"#, r#""int""#, None),
        ("006", r#""long""#, r#""long""#, Some(-3_434_872_931_120_570_953)),
        ("007", r#"{"type":"long"}"#, r#""long""#, None),
        ("008", r#""float""#, r#""float""#, Some(5_583_340_709_985_441_680)),
        ("009", r#"{"type":"float"}"#, r#""float""#, None),
        ("010", r#""double""#, r#""double""#, Some(-8_181_574_048_448_539_266)),
        ("011", r#"{"type":"double"}"#, r#""double""#, None),
        ("012", r#""bytes""#, r#""bytes""#, Some(5_746_618_253_357_095_269)),
        ("013", r#"{"type":"bytes"}"#, r#""bytes""#, None),
        ("014", r#""string""#, r#""string""#, Some(-8_142_146_995_180_207_161)),
        ("015", r#"{"type":"string"}"#, r#""string""#, None),
        ("016", r#"[  ]"#, r#"[]"#, Some(-1_241_056_759_729_112_623)),
        ("017", r#"[ "int"  ]"#, r#"["int"]"#, Some(-5_232_228_896_498_058_493)),
        (
            "018",
            r#"[ "int" , {"type":"boolean"} ]"#,
            r#"["int","boolean"]"#,
            Some(5_392_556_393_470_105_090),
        ),
        (
            "019",
            r#"{"fields":[], "type":"record", "name":"foo"}"#,
            r#"{"name":"foo","type":"record","fields":[]}"#,
            Some(-4_824_392_279_771_201_922),
        ),
        (
            "020",
            r#"{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}"#,
            r#"{"name":"x.y.foo","type":"record","fields":[]}"#,
            Some(5_916_914_534_497_305_771),
        ),
        (
            "021",
            r#"{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}"#,
            r#"{"name":"a.b.foo","type":"record","fields":[]}"#,
            Some(-4_616_218_487_480_524_110),
        ),
        (
            "022",
            r#"{"fields":[], "type":"record", "name":"foo", "doc":"Useful info"}"#,
            r#"{"name":"foo","type":"record","fields":[]}"#,
            Some(-4_824_392_279_771_201_922),
        ),
        (
            "023",
            r#"{"fields":[], "type":"record", "name":"foo", "aliases":["foo","bar"]}"#,
            r#"{"name":"foo","type":"record","fields":[]}"#,
            Some(-4_824_392_279_771_201_922),
        ),
        (
            "024",
            r#"{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}"#,
            r#"{"name":"foo","type":"record","fields":[]}"#,
            Some(-4_824_392_279_771_201_922),
        ),
        (
            "025",
            r#"{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}"#,
            r#"{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}"#,
            Some(7_843_277_075_252_814_651),
        ),
        (
            "026",
            "{ \"fields\":[{\"type\":\"boolean\", \"aliases\":[], \"name\":\"f1\", \"default\":\"true\"},\n            {\"order\":\"descending\",\"name\":\"f2\",\"doc\":\"Hello\",\"type\":\"int\"}],\n  \"type\":\"record\", \"name\":\"foo\"\n}",
            r#"{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}"#,
            Some(-4_860_222_112_080_293_046),
        ),
        (
            "027",
            r#"{"type":"enum", "name":"foo", "symbols":["A1"]}"#,
            r#"{"name":"foo","type":"enum","symbols":["A1"]}"#,
            Some(-6_342_190_197_741_309_591),
        ),
        (
            "028",
            r#"{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}"#,
            r#"{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}"#,
            Some(-4_448_647_247_586_288_245),
        ),
        (
            "029",
            r#"{"name":"foo","type":"fixed","size":15}"#,
            r#"{"name":"foo","type":"fixed","size":15}"#,
            Some(1_756_455_273_707_447_556),
        ),
        (
            "030",
            r#"{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}"#,
            r#"{"name":"x.y.z.foo","type":"fixed","size":32}"#,
            Some(-3_064_184_465_700_546_786),
        ),
        (
            "031",
            r#"{ "items":{"type":"null"}, "type":"array"}"#,
            r#"{"type":"array","items":"null"}"#,
            Some(-589_620_603_366_471_059),
        ),
        (
            "032",
            r#"{ "values":"string", "type":"map"}"#,
            r#"{"type":"map","values":"string"}"#,
            Some(-8_732_877_298_790_414_990),
        ),
        (
            "033",
            "  {\"name\":\"PigValue\",\"type\":\"record\",\n   \"fields\":[{\"name\":\"value\", \"type\":[\"null\", \"int\", \"long\", \"PigValue\"]}]}",
            r#"{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}"#,
            Some(-1_759_257_747_318_642_341),
        ),
    ];

    fn parse(json: &str) -> Schema {
        crate::avro::parse::parse_schema(json)
            .unwrap_or_else(|e| panic!("{json} does not parse: {e}"))
    }

    fn pcf(json: &str) -> String {
        parsing_canonical_form(&parse(json)).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    fn pcf_text(json: &str) -> String {
        parsing_canonical_form_json(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    /// The fingerprint `apache-avro` computes, as Java's signed long.
    fn avro_crate_fingerprint(schema: &Schema) -> i64 {
        let bytes = schema.fingerprint::<Rabin>().bytes;
        let bytes: [u8; 8] = bytes.try_into().expect("a Rabin fingerprint has 8 bytes");
        i64::from_le_bytes(bytes)
    }

    /// Java's `TestSchemaNormalization.altFingerprint`: the Rabin
    /// fingerprint computed bit by bit (Broder's algorithm), an independent
    /// check of the table-driven one.
    fn alt_fingerprint(data: &[u8]) -> i64 {
        const ONE: u64 = 0x8000_0000_0000_0000;
        fn extend(mut fp: u64, bytes: &[u8]) -> u64 {
            for &byte in bytes {
                let mut bit = 1_u32;
                while bit < 129 {
                    let overflow = fp & 1 != 0;
                    fp >>= 1;
                    if u32::from(byte) & bit != 0 {
                        fp |= ONE;
                    }
                    if overflow {
                        fp ^= EMPTY64;
                    }
                    bit <<= 1;
                }
            }
            fp
        }
        // Java's altExtend(EMPTY64, 64, ONE, data), then eight zero bytes.
        let fp = extend(ONE, data);
        i64::from_le_bytes(extend(fp, &[0; 8]).to_le_bytes())
    }

    #[test]
    fn schema_tests_txt_has_34_cases_26_with_fingerprints() {
        assert_eq!(SCHEMA_TESTS.len(), 34);
        let with_fingerprint = SCHEMA_TESTS.iter().filter(|case| case.3.is_some()).count();
        assert_eq!(with_fingerprint, 26);
    }

    #[test]
    fn schema_tests_txt_from_text() {
        for (number, input, canonical, fingerprint) in SCHEMA_TESTS {
            assert_eq!(pcf_text(input), canonical, "case {number}");
            let fp = parsing_fingerprint64_json(input).expect("fingerprint");
            assert_eq!(fp, crc64_avro(canonical.as_bytes()), "case {number}");
            if let Some(expected) = fingerprint {
                assert_eq!(fp, expected, "case {number}");
                assert_eq!(
                    alt_fingerprint(canonical.as_bytes()),
                    expected,
                    "case {number}"
                );
            }
        }
    }

    #[test]
    fn schema_tests_txt_from_parsed_schemas() {
        for (number, input, canonical, fingerprint) in SCHEMA_TESTS {
            let schema = match Schema::parse_str(input) {
                Ok(schema) => schema,
                Err(e) => {
                    // Only case 026 fails: its `"default":"true"` is a string
                    // for a boolean field, which apache-avro (like Java's
                    // parser with default validation on) refuses.
                    assert_eq!(number, "026", "case {number} does not parse: {e}");
                    assert!(e.to_string().contains("default"), "{e}");
                    continue;
                }
            };
            assert_eq!(
                parsing_canonical_form(&schema).as_deref(),
                Ok(canonical),
                "case {number}"
            );
            if let Some(expected) = fingerprint {
                assert_eq!(
                    parsing_fingerprint64(&schema),
                    Ok(expected),
                    "case {number}"
                );
                assert_eq!(
                    parsing_fingerprint(FingerprintAlgorithm::Crc64Avro, &schema),
                    Ok(expected.to_le_bytes().to_vec()),
                    "case {number}"
                );
            }
        }
    }

    /// `apache-avro`'s `canonical_form()` and `fingerprint::<Rabin>()` get
    /// every case of the file right (the file has no logical type and no
    /// parseable `order`).
    #[test]
    fn avro_crate_agrees_on_schema_tests_txt() {
        for (number, input, canonical, fingerprint) in SCHEMA_TESTS {
            let Ok(schema) = Schema::parse_str(input) else {
                assert_eq!(number, "026");
                continue;
            };
            assert_eq!(schema.canonical_form(), canonical, "case {number}");
            assert_eq!(
                avro_crate_fingerprint(&schema),
                crc64_avro(canonical.as_bytes()),
                "case {number}"
            );
            if let Some(expected) = fingerprint {
                assert_eq!(avro_crate_fingerprint(&schema), expected, "case {number}");
            }
        }
    }

    /// Case 026 with its default made a real boolean, so apache-avro parses
    /// it: apache-avro keeps the field's `"order"`, which \[STRIP\] removes,
    /// and so its fingerprint differs from the file's.
    #[test]
    fn avro_crate_keeps_field_order() {
        let input = r#"{"fields":[{"type":"boolean","aliases":[],"name":"f1","default":true},
            {"order":"descending","name":"f2","doc":"Hello","type":"int"}],
            "type":"record","name":"foo"}"#;
        let right = r#"{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}"#;
        let schema = parse(input);
        assert_eq!(parsing_canonical_form(&schema).as_deref(), Ok(right));
        assert_eq!(pcf_text(input), right);
        assert_eq!(
            parsing_fingerprint64(&schema),
            Ok(-4_860_222_112_080_293_046)
        );
        assert_eq!(
            schema.canonical_form(),
            r#"{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int","order":"descending"}]}"#
        );
        assert_eq!(avro_crate_fingerprint(&schema), -7_242_147_678_329_468_439);
    }

    /// Logical types: Java (and the spec's \[PRIMITIVES\] and \[STRIP\] rules)
    /// reduce them to the underlying type; apache-avro leaves a `{"type":…}`
    /// object behind and keeps a decimal's precision and scale. Each row:
    /// input, right form, apache-avro's form.
    #[test]
    fn avro_crate_differs_on_logical_types() {
        let rows = [
            (
                r#"{"type":"int","logicalType":"date"}"#,
                r#""int""#,
                r#"{"type":"int"}"#,
            ),
            (
                r#"{"type":"int","logicalType":"time-millis"}"#,
                r#""int""#,
                r#"{"type":"int"}"#,
            ),
            (
                r#"{"type":"long","logicalType":"time-micros"}"#,
                r#""long""#,
                r#"{"type":"long"}"#,
            ),
            (
                r#"{"type":"long","logicalType":"timestamp-millis"}"#,
                r#""long""#,
                r#"{"type":"long"}"#,
            ),
            (
                r#"{"type":"long","logicalType":"timestamp-micros"}"#,
                r#""long""#,
                r#"{"type":"long"}"#,
            ),
            (
                r#"{"type":"long","logicalType":"timestamp-nanos"}"#,
                r#""long""#,
                r#"{"type":"long"}"#,
            ),
            (
                r#"{"type":"long","logicalType":"local-timestamp-millis"}"#,
                r#""long""#,
                r#"{"type":"long"}"#,
            ),
            (
                r#"{"type":"long","logicalType":"local-timestamp-micros"}"#,
                r#""long""#,
                r#"{"type":"long"}"#,
            ),
            (
                r#"{"type":"long","logicalType":"local-timestamp-nanos"}"#,
                r#""long""#,
                r#"{"type":"long"}"#,
            ),
            (
                r#"{"type":"string","logicalType":"uuid"}"#,
                r#""string""#,
                r#"{"type":"string"}"#,
            ),
            (
                r#"{"type":"bytes","logicalType":"big-decimal"}"#,
                r#""bytes""#,
                r#"{"type":"bytes"}"#,
            ),
            (
                r#"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#,
                r#""bytes""#,
                r#"{"type":"bytes","precision":4,"scale":2}"#,
            ),
            (
                r#"{"type":"fixed","name":"d","size":8,"logicalType":"decimal","precision":4,"scale":2}"#,
                r#"{"name":"d","type":"fixed","size":8}"#,
                r#"{"name":"d","type":"fixed","size":8,"precision":4,"scale":2}"#,
            ),
            (
                r#"{"type":"record","name":"Event","namespace":"shop","fields":[
                    {"name":"day","type":{"type":"int","logicalType":"date"}},
                    {"name":"at","type":["null",{"type":"long","logicalType":"timestamp-millis"}]}]}"#,
                r#"{"name":"shop.Event","type":"record","fields":[{"name":"day","type":"int"},{"name":"at","type":["null","long"]}]}"#,
                r#"{"name":"shop.Event","type":"record","fields":[{"name":"day","type":{"type":"int"}},{"name":"at","type":["null",{"type":"long"}]}]}"#,
            ),
        ];
        for (input, right, avro_crate) in rows {
            let schema = parse(input);
            assert_eq!(
                parsing_canonical_form(&schema).as_deref(),
                Ok(right),
                "{input}"
            );
            assert_eq!(pcf_text(input), right, "{input}");
            assert_eq!(schema.canonical_form(), avro_crate, "{input}");
            assert_ne!(
                avro_crate_fingerprint(&schema),
                crc64_avro(right.as_bytes()),
                "{input}"
            );
        }
    }

    /// Where apache-avro is right about logical types: on named `fixed`
    /// types (`uuid`, `duration`), whose `logicalType` it strips.
    #[test]
    fn avro_crate_agrees_on_logical_fixed_types() {
        let rows = [
            (
                r#"{"type":"fixed","name":"u","size":16,"logicalType":"uuid"}"#,
                r#"{"name":"u","type":"fixed","size":16}"#,
            ),
            (
                r#"{"type":"fixed","name":"dur","namespace":"t","size":12,"logicalType":"duration"}"#,
                r#"{"name":"t.dur","type":"fixed","size":12}"#,
            ),
        ];
        for (input, right) in rows {
            let schema = parse(input);
            assert_eq!(parsing_canonical_form(&schema).as_deref(), Ok(right));
            assert_eq!(pcf_text(input), right);
            assert_eq!(schema.canonical_form(), right);
            assert_eq!(
                avro_crate_fingerprint(&schema),
                crc64_avro(right.as_bytes())
            );
        }
    }

    #[test]
    fn properties_and_primitives_in_full_form_are_stripped() {
        for (input, right) in [
            (
                r#"{"type":"string","avro.java.string":"String"}"#,
                r#""string""#,
            ),
            (
                r#"{"type":"array","items":"int","custom":1}"#,
                r#"{"type":"array","items":"int"}"#,
            ),
            (
                r#"{"type":"map","values":{"type":"long","connect.type":"int64"}}"#,
                r#"{"type":"map","values":"long"}"#,
            ),
            (
                r#"{"type":"enum","name":"E","symbols":["A","B"],"default":"A","doc":"d","x":[1]}"#,
                r#"{"name":"E","type":"enum","symbols":["A","B"]}"#,
            ),
        ] {
            assert_eq!(pcf(input), right, "{input}");
            assert_eq!(pcf_text(input), right, "{input}");
        }
    }

    /// \[FULLNAMES\]: namespaces inherited by nested definitions, a dotted name
    /// setting its own namespace, `""` meaning none, and every later use
    /// written as the full name.
    #[test]
    fn names_are_written_in_full_once_then_by_reference() {
        let input = r#"{"type":"record","name":"R","namespace":"a.b","fields":[
            {"name":"e","type":{"type":"enum","name":"E","symbols":["X"]}},
            {"name":"e2","type":"E"},
            {"name":"o","type":{"type":"record","name":"c.Inner","fields":[
                {"name":"i","type":["null","a.b.R","Inner","a.b.E"]},
                {"name":"f","type":{"type":"fixed","name":"F","size":2}},
                {"name":"g","type":{"type":"fixed","name":"G","namespace":"","size":3}}]}},
            {"name":"f2","type":"c.F"},
            {"name":"g2","type":{"type":"array","items":{"type":"map","values":"c.F"}}}]}"#;
        let right = concat!(
            r#"{"name":"a.b.R","type":"record","fields":["#,
            r#"{"name":"e","type":{"name":"a.b.E","type":"enum","symbols":["X"]}},"#,
            r#"{"name":"e2","type":"a.b.E"},"#,
            r#"{"name":"o","type":{"name":"c.Inner","type":"record","fields":["#,
            r#"{"name":"i","type":["null","a.b.R","c.Inner","a.b.E"]},"#,
            r#"{"name":"f","type":{"name":"c.F","type":"fixed","size":2}},"#,
            r#"{"name":"g","type":{"name":"G","type":"fixed","size":3}}]}},"#,
            r#"{"name":"f2","type":"c.F"},"#,
            r#"{"name":"g2","type":{"type":"array","items":{"type":"map","values":"c.F"}}}]}"#,
        );
        assert_eq!(pcf(input), right);
        assert_eq!(pcf_text(input), right);
        assert_eq!(parse(input).canonical_form(), right);
    }

    /// Java's parser resolves a short name in the enclosing namespace first,
    /// then as written (a type in no namespace, used from inside one).
    /// apache-avro's parser does not try the second, and refuses the schema.
    #[test]
    fn references_fall_back_to_the_null_namespace() {
        let input = r#"[{"type":"fixed","name":"Hash","size":4},
            {"type":"record","name":"Block","namespace":"chain","fields":[{"name":"h","type":"Hash"}]}]"#;
        let right = r#"[{"name":"Hash","type":"fixed","size":4},{"name":"chain.Block","type":"record","fields":[{"name":"h","type":"Hash"}]}]"#;
        assert_eq!(pcf_text(input), right);
        let refused = Schema::parse_str(input).map_err(|e| e.to_string());
        assert_eq!(
            refused.err().as_deref(),
            Some("Unknown primitive type: chain.Hash")
        );
    }

    #[test]
    fn error_type_and_type_name_objects() {
        // A protocol's `error` is a record; `{"type":"Name"}` refers to a
        // defined type, as in Java.
        let input = r#"[{"type":"error","name":"Oops","fields":[{"name":"m","type":"string"}]},{"type":"Oops"}]"#;
        assert_eq!(
            pcf_text(input),
            r#"[{"name":"Oops","type":"record","fields":[{"name":"m","type":"string"}]},"Oops"]"#
        );
    }

    /// Schema references: a type defined in another schema is written out in
    /// full where it is first used.
    #[test]
    fn references_are_inlined_at_first_use() {
        let address = r#"{"type":"record","name":"Address","namespace":"acme","fields":[{"name":"zip","type":"string"}]}"#;
        let user = r#"{"type":"record","name":"User","namespace":"acme","fields":[
            {"name":"home","type":"Address"},{"name":"work","type":["null","Address"]}]}"#;
        let schemas = Schema::parse_list([address, user]).expect("parse_list");
        let (address, user) = (&schemas[0], &schemas[1]);
        let right = concat!(
            r#"{"name":"acme.User","type":"record","fields":["#,
            r#"{"name":"home","type":{"name":"acme.Address","type":"record","fields":[{"name":"zip","type":"string"}]}},"#,
            r#"{"name":"work","type":["null","acme.Address"]}]}"#,
        );
        assert_eq!(
            parsing_canonical_form_with_references(user, std::slice::from_ref(address)).as_deref(),
            Ok(right)
        );
        assert_eq!(
            parsing_canonical_form(user),
            Err(CanonicalError::UnresolvedName("acme.Address".to_owned()))
        );
    }

    /// \[STRINGS\] and \[INTEGERS\]: escapes decoded, a quoted size unquoted and
    /// its leading zeros dropped.
    #[test]
    fn strings_and_integers() {
        assert_eq!(
            pcf_text(r#"{"type":"enum","name":"\u0066o\u006F","symbols":["A\u0031","\u0042"]}"#),
            r#"{"name":"foo","type":"enum","symbols":["A1","B"]}"#
        );
        assert_eq!(
            pcf_text(r#"{"type":"fixed","name":"f","size":"015"}"#),
            r#"{"name":"f","type":"fixed","size":15}"#
        );
        assert_eq!(
            pcf_text(r#"{"type":"fixed","name":"f","size":0}"#),
            r#"{"name":"f","type":"fixed","size":0}"#
        );
        // Escaped text outside names is dropped with its attribute.
        assert_eq!(
            pcf_text("{\"type\":\"record\",\"name\":\"r\",\"doc\":\"\\ud83d\\ude00 \\\"quoted\\\"\\n\",\"fields\":[]}"),
            r#"{"name":"r","type":"record","fields":[]}"#
        );
    }

    #[test]
    fn repeated_keys_keep_the_last_value() {
        assert_eq!(
            pcf_text(r#"{"type":"fixed","name":"a","name":"b","size":1,"size":2}"#),
            r#"{"name":"b","type":"fixed","size":2}"#
        );
    }

    #[test]
    fn text_errors() {
        let json = |offset, message| CanonicalError::Json { offset, message };
        let cases: [(&str, CanonicalError); 20] = [
            ("", json(0, "unexpected end of text")),
            (r#""int" x"#, json(6, "unexpected text after the value")),
            (
                r#"{"type":"fixed","name":"f","size":015}"#,
                json(35, "expected ',' or '}'"),
            ),
            (r#"["int",]"#, json(7, "expected a JSON value")),
            (r#"{"type" "int"}"#, json(8, "expected ':'")),
            ("\"in\nt\"", json(3, "control character in string")),
            (r#""\x""#, json(2, "invalid escape")),
            (r#""\ud800""#, json(7, "unpaired surrogate in \\u escape")),
            (r#""\u12""#, json(5, "expected 4 hex digits after \\u")),
            (
                "42",
                CanonicalError::Invalid(
                    "a schema is a string, an array or an object, not a number".into(),
                ),
            ),
            (r#"{"name":"x"}"#, CanonicalError::Invalid("No type".into())),
            (r#""Nope""#, CanonicalError::UnresolvedName("Nope".into())),
            (
                r#"{"type":"record","name":"r","namespace":"n","fields":[{"name":"a","type":"Nope"}]}"#,
                CanonicalError::UnresolvedName("n.Nope".into()),
            ),
            (
                r#"[{"type":"fixed","name":"F","size":1},{"type":"fixed","name":"F","size":2}]"#,
                CanonicalError::Redefined("F".into()),
            ),
            (
                r#"{"type":"fixed","name":"1F","size":1}"#,
                CanonicalError::InvalidName("1F".into()),
            ),
            (
                r#"{"type":"fixed","name":"F","namespace":"a..b","size":1}"#,
                CanonicalError::InvalidName(String::new()),
            ),
            (
                r#"{"type":"enum","name":"E","symbols":["ok","not-ok"]}"#,
                CanonicalError::InvalidName("not-ok".into()),
            ),
            (
                r#"{"type":"fixed","name":"F","size":1.5}"#,
                invalid_attribute("fixed", "size", "an integer from 0 to 2147483647"),
            ),
            (
                r#"{"type":"fixed","name":"F","size":-1}"#,
                invalid_attribute("fixed", "size", "an integer from 0 to 2147483647"),
            ),
            (
                r#"{"type":"array"}"#,
                invalid_attribute("array", "items", "a schema"),
            ),
        ];
        for (input, error) in cases {
            assert_eq!(parsing_canonical_form_json(input), Err(error), "{input:?}");
        }
        assert!(matches!(
            parsing_canonical_form_json(r#"{"type":"record","name":"r"}"#),
            Err(CanonicalError::Invalid(_))
        ));
        assert!(matches!(
            parsing_canonical_form_json(r#"{"type":{"type":"int"}}"#),
            Err(CanonicalError::Invalid(_))
        ));
    }

    #[test]
    fn deep_schemas_stop_at_max_depth() {
        let deep = format!(
            "{}\"int\"{}",
            "[".repeat(MAX_DEPTH + 2),
            "]".repeat(MAX_DEPTH + 2)
        );
        assert_eq!(
            parsing_canonical_form_json(&deep),
            Err(CanonicalError::TooDeep)
        );
        let ok = format!("{}\"int\"{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(parsing_canonical_form_json(&ok), Ok(ok.replace(' ', "")));

        let mut schema = Schema::Int;
        for _ in 0..=MAX_DEPTH + 1 {
            schema = Schema::Array(ArraySchema {
                items: Box::new(schema),
                attributes: std::collections::BTreeMap::new(),
            });
        }
        assert_eq!(
            parsing_canonical_form(&schema),
            Err(CanonicalError::TooDeep)
        );
    }

    #[test]
    fn crc64_avro_matches_java() {
        assert_eq!(crc64_avro(b""), i64::from_le_bytes(EMPTY64.to_le_bytes()));
        for text in [
            "",
            "a",
            "hello world",
            r#"{"type":"map","values":"string"}"#,
        ] {
            assert_eq!(
                crc64_avro(text.as_bytes()),
                alt_fingerprint(text.as_bytes()),
                "{text}"
            );
        }
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(crc64_avro(&bytes), alt_fingerprint(&bytes));
        // apache-avro's own doc example: "hello world" is 60335ba6d0415528 (LE).
        assert_eq!(
            to_hex(&crc64_avro(b"hello world").to_le_bytes()),
            "60335ba6d0415528"
        );
    }

    #[test]
    fn md5_rfc_1321_test_suite() {
        let vectors = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (
                "abcdefghijklmnopqrstuvwxyz",
                "c3fcd3d76192e4007dfb496cca67e13b",
            ),
            (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "d174ab98d277d9f5a5611c2c9f419d9f",
            ),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
        ];
        for (input, digest) in vectors {
            assert_eq!(to_hex(&md5(input.as_bytes())), digest, "{input}");
        }
        // Padding boundaries (values from Python's hashlib).
        for (length, digest) in [
            (55, "ef1772b6dff9a122358552954ad0df65"),
            (56, "3b0c8ac703f828b04c6c197006d17218"),
            (64, "014842d480b571495a4a0363793f7367"),
            (1000, "cabe45dcc9ae5b66ba86600cca6b8ba8"),
        ] {
            assert_eq!(to_hex(&md5(&vec![b'a'; length])), digest, "{length}");
        }
    }

    #[test]
    fn sha256_fips_180_test_vectors() {
        let vectors: [(&[u8], &str); 4] = [
            (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
            (
                b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
            ),
        ];
        for (input, digest) in vectors {
            assert_eq!(to_hex(&sha256(input)), digest);
        }
        assert_eq!(
            to_hex(&sha256(&vec![b'a'; 1_000_000])),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        for (length, digest) in [
            (
                55,
                "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            ),
            (
                56,
                "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            ),
            (
                64,
                "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            ),
        ] {
            assert_eq!(to_hex(&sha256(&vec![b'a'; length])), digest, "{length}");
        }
    }

    /// MD5 and SHA-256 of canonical forms (expected values from Python's
    /// hashlib over the same canonical text).
    #[test]
    fn schema_fingerprints_md5_and_sha256() {
        let rows = [
            (
                r#""int""#,
                "ef524ea1b91e73173d938ade36c1db32",
                "3f2b87a9fe7cc9b13835598c3981cd45e3e355309e5090aa0933d7becb6fba45",
            ),
            (
                r#"{"fields":[], "type":"record", "name":"foo", "doc":"Useful info"}"#,
                "aea8d9d0e93c3a26749ee0373dc49d35",
                "ac35c07ecd88fe52d0a310135a01329b012c45ade36dd8b4880effb55b7f725c",
            ),
            (
                SCHEMA_TESTS[33].1,
                "112b8fd4b847e005ecaecb6c41cb4a76",
                "7844d3a484ec5fc907e35c8a9fd69ae0af4ff70b241835efbd0acdaf62433ec7",
            ),
        ];
        for (input, md5_hex, sha256_hex) in rows {
            let schema = parse(input);
            let md5 = parsing_fingerprint(FingerprintAlgorithm::Md5, &schema).expect("md5");
            let sha = parsing_fingerprint(FingerprintAlgorithm::Sha256, &schema).expect("sha");
            assert_eq!(to_hex(&md5), md5_hex, "{input}");
            assert_eq!(to_hex(&sha), sha256_hex, "{input}");
            // apache-avro's `SchemaFingerprint` prints the same hex.
            assert_eq!(
                schema.fingerprint::<Rabin>().to_string(),
                to_hex(
                    &parsing_fingerprint(FingerprintAlgorithm::Crc64Avro, &schema).expect("crc")
                )
            );
        }
    }

    #[test]
    fn algorithm_names_are_javas() {
        for algorithm in FingerprintAlgorithm::ALL {
            assert_eq!(algorithm.java_name().parse(), Ok(algorithm));
            assert_eq!(algorithm.to_string(), algorithm.java_name());
        }
        assert_eq!(
            FingerprintAlgorithm::Crc64Avro.fingerprint(b"").len()
                + FingerprintAlgorithm::Md5.fingerprint(b"").len()
                + FingerprintAlgorithm::Sha256.fingerprint(b"").len(),
            8 + 16 + 32
        );
        let unknown = "SHA-1".parse::<FingerprintAlgorithm>();
        assert_eq!(
            unknown,
            Err(CanonicalError::UnknownAlgorithm("SHA-1".to_owned()))
        );
        assert_eq!(
            unknown.map_err(|e| e.to_string()),
            Err("SHA-1 MessageDigest not available".to_owned())
        );
    }
}
