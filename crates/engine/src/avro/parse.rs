//! The engine's one entry point for Avro schema text: it accepts what Java's
//! `Schema.Parser` accepts where `apache-avro` 0.22 wrongly refuses it, and
//! keeps `apache-avro`'s [`Schema`] as the model everything else uses (codec,
//! resolution, compatibility checker, canonical form, registry).
//!
//! It parses leniently, then patches: the JSON text is first cleaned of what
//! `apache-avro` refuses though Java does not — every field's `default` and
//! `aliases` (it refuses a field alias equal to another field's name, and
//! validates defaults by resolving them as values, which fails for a
//! `duration`, an enum symbol or fixed length Java does not check, and a type
//! that reaches a record still being parsed), a record written as
//! `"type": "error"`, and a `logicalType` that is not a string (Java ignores
//! it). `apache-avro` parses the rest; the removed defaults and aliases are
//! then put back into the parsed records, each default validated with Java's
//! own rules (`Schema.isValidDefault` with `validateDefaults` on, as
//! `Schema.Parser` does by default), Java's messages included:
//! `Invalid default for field f: "x" not a "int"`, and `Schema fields not set
//! yet` for a record default whose type is a record still being parsed.
//! Like Java, a textual default of a `float` or `double` field is read as a
//! number (`Double.parseDouble`).

use crate::collections::OrdMap;

use apache_avro::schema::{InnerDecimalSchema, RecordSchema, UnionSchema, UuidSchema};
use apache_avro::Schema;
use serde_json::{Map, Value};

/// Why a schema text is not an Avro schema.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The text is not JSON.
    #[error("Failed to parse schema from JSON: {0}")]
    Json(String),
    /// `apache-avro` refused the schema (with defaults and aliases removed).
    #[error(transparent)]
    Avro(#[from] apache_avro::Error),
    /// A field's default does not match its type (Java's
    /// `AvroTypeException`). `schema` is the field type's JSON, where Java
    /// prints its `Schema.toString()`.
    #[error("Invalid default for field {field}: {default} not a {schema}")]
    InvalidDefault {
        /// The field's name.
        field: String,
        /// The default, as JSON.
        default: String,
        /// The field's type, as JSON.
        schema: String,
    },
    /// A record default whose type is a record still being parsed (an
    /// enclosing record): Java's `RecordSchema.getFields()` throws.
    #[error("Schema fields not set yet")]
    FieldsNotSetYet,
    /// A textual default of a `float` or `double` field that is not a
    /// number: Java's `Double.parseDouble` throws a `NumberFormatException`.
    #[error("For input string: \"{0}\"")]
    NotANumber(String),
    /// A field's `aliases` is not an array (Java's `SchemaParseException`).
    #[error("aliases not an array: {0}")]
    AliasesNotArray(String),
    /// A field alias is not a string (Java's `SchemaParseException`).
    #[error("alias not a string: {0}")]
    AliasNotString(String),
}

/// Parses one schema text, as Java's `new Schema.Parser().parse(text)`.
///
/// # Errors
///
/// [`ParseError`] where Java refuses the schema, or where `apache-avro`
/// still refuses it (see the module documentation for what is patched).
pub fn parse_schema(text: &str) -> Result<Schema, ParseError> {
    let (schema, _) = parse_schema_with_references(text, std::iter::empty::<&str>())?;
    Ok(schema)
}

/// Parses a schema whose named types may be defined in other schema texts
/// (the Schema Registry's references): `apache-avro`'s
/// `Schema::parse_str_with_list`, patched like [`parse_schema`]. Returns the
/// schema and the references, parsed, in their order.
///
/// # Errors
///
/// As [`parse_schema`], for the schema or any reference.
pub fn parse_schema_with_references<I, S>(
    text: &str,
    references: I,
) -> Result<(Schema, Vec<Schema>), ParseError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let root = read(text)?;
    let references = references
        .into_iter()
        .map(|r| read(r.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    let cleaned_root = cleaned_text(&root)?;
    let cleaned_references = references
        .iter()
        .map(cleaned_text)
        .collect::<Result<Vec<_>, _>>()?;
    let (mut schema, mut parsed_references) =
        Schema::parse_str_with_list(&cleaned_root, &cleaned_references)?;
    let mut patch = Patch::default();
    {
        let mut names = OrdMap::new();
        for parsed in parsed_references.iter().chain(std::iter::once(&schema)) {
            collect_names(parsed, &mut names);
        }
        let mut walk = Walk {
            names: &names,
            patch: &mut patch,
            open: Vec::new(),
        };
        for (json, parsed) in references.iter().zip(&parsed_references) {
            walk.schema(json, parsed)?;
        }
        walk.schema(&root, &schema)?;
    }
    patch.apply(&mut schema)?;
    for reference in &mut parsed_references {
        patch.apply(reference)?;
    }
    Ok((schema, parsed_references))
}

/// Parses several schema texts that may refer to each other, as
/// `apache-avro`'s `Schema::parse_list` (patched like [`parse_schema`]).
///
/// # Errors
///
/// As [`parse_schema`].
pub fn parse_schemas<I, S>(texts: I) -> Result<Vec<Schema>, ParseError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let texts: Vec<String> = texts.into_iter().map(|t| t.as_ref().to_owned()).collect();
    let Some((last, rest)) = texts.split_last() else {
        return Ok(Vec::new());
    };
    let (schema, mut references) = parse_schema_with_references(last, rest)?;
    references.push(schema);
    Ok(references)
}

// ---------------------------------------------------------------------------
// Cleaning the text for apache-avro
// ---------------------------------------------------------------------------

fn read(text: &str) -> Result<Value, ParseError> {
    serde_json::from_str(text).map_err(|e| ParseError::Json(e.to_string()))
}

/// The schema's JSON without what `apache-avro` wrongly refuses.
fn cleaned_text(json: &Value) -> Result<String, ParseError> {
    let mut json = json.clone();
    clean(&mut json)?;
    Ok(json.to_string())
}

/// Follows the schema structure as `apache-avro`'s parser does: unions'
/// branches, a nested `type`, records' field types, arrays' items and maps'
/// values. serde_json's recursion limit bounds the depth.
fn clean(json: &mut Value) -> Result<(), ParseError> {
    match json {
        Value::Array(branches) => branches.iter_mut().try_for_each(clean),
        Value::Object(object) => {
            if object.get("logicalType").is_some_and(|t| !t.is_string()) {
                object.remove("logicalType");
            }
            if object.get("type").and_then(Value::as_str) == Some("error") {
                object.insert("type".into(), Value::String("record".into()));
            }
            match object.get("type").and_then(Value::as_str) {
                Some("record") => {
                    if let Some(Value::Array(fields)) = object.get_mut("fields") {
                        for field in fields.iter_mut().filter_map(Value::as_object_mut) {
                            field_aliases(field)?;
                            field.remove("aliases");
                            field.remove("default");
                            if let Some(ty) = field.get_mut("type") {
                                clean(ty)?;
                            }
                        }
                    }
                    Ok(())
                }
                Some("array") => object.get_mut("items").map_or(Ok(()), clean),
                Some("map") => object.get_mut("values").map_or(Ok(()), clean),
                _ => match object.get_mut("type") {
                    Some(ty @ (Value::Object(_) | Value::Array(_))) => clean(ty),
                    _ => Ok(()),
                },
            }
        }
        _ => Ok(()),
    }
}

/// A field's aliases, refused as Java's `parseAliases` refuses them.
fn field_aliases(field: &Map<String, Value>) -> Result<Vec<String>, ParseError> {
    match field.get("aliases") {
        None => Ok(Vec::new()),
        Some(Value::Array(aliases)) => aliases
            .iter()
            .map(|alias| match alias {
                Value::String(alias) => Ok(alias.clone()),
                other => Err(ParseError::AliasNotString(other.to_string())),
            })
            .collect(),
        Some(_) => Err(ParseError::AliasesNotArray(
            Value::Object(field.clone()).to_string(),
        )),
    }
}

// ---------------------------------------------------------------------------
// Putting the defaults and aliases back
// ---------------------------------------------------------------------------

/// A record field's removed parts.
#[derive(Debug)]
struct FieldExtras {
    aliases: Vec<String>,
    default: Option<Value>,
}

/// The removed parts of every record, by the record's full name.
#[derive(Debug, Default)]
struct Patch {
    records: OrdMap<String, Vec<FieldExtras>>,
}

/// Named types by full name (and by their aliases' full names, as
/// `apache-avro` may refer to a type by an alias).
type Names<'s> = OrdMap<String, &'s Schema>;

fn collect_names<'s>(schema: &'s Schema, names: &mut Names<'s>) {
    let (name, aliases) = match schema {
        Schema::Record(r) => (&r.name, &r.aliases),
        Schema::Enum(e) => (&e.name, &e.aliases),
        Schema::Fixed(f) | Schema::Duration(f) | Schema::Uuid(UuidSchema::Fixed(f)) => {
            (&f.name, &f.aliases)
        }
        Schema::Decimal(d) => match &d.inner {
            InnerDecimalSchema::Fixed(f) => (&f.name, &f.aliases),
            InnerDecimalSchema::Bytes => return,
        },
        Schema::Array(a) => return collect_names(&a.items, names),
        Schema::Map(m) => return collect_names(&m.types, names),
        Schema::Union(u) => {
            for branch in u.variants() {
                collect_names(branch, names);
            }
            return;
        }
        _ => return,
    };
    let full = name.fullname(None);
    if names.contains_key(&full) {
        return;
    }
    names.insert(full, schema);
    for alias in aliases.iter().flatten() {
        names
            .entry(alias.fully_qualified_name(name.namespace()).fullname(None))
            .or_insert(schema);
    }
    if let Schema::Record(record) = schema {
        for field in &record.fields {
            collect_names(&field.schema, names);
        }
    }
}

/// The walk over the original JSON and the parsed schema together, in the
/// order both parsers follow.
struct Walk<'a, 's> {
    names: &'a Names<'s>,
    patch: &'a mut Patch,
    /// Full names of the records being parsed (enclosing the current field):
    /// Java has not set their fields yet.
    open: Vec<String>,
}

impl Walk<'_, '_> {
    fn schema(&mut self, json: &Value, parsed: &Schema) -> Result<(), ParseError> {
        match (json, parsed) {
            (Value::Array(branches), Schema::Union(union)) => {
                for (branch, parsed) in branches.iter().zip(union.variants()) {
                    self.schema(branch, parsed)?;
                }
                Ok(())
            }
            (Value::Object(object), _) => {
                let ty = object.get("type");
                match (ty.and_then(Value::as_str), parsed) {
                    (Some("record" | "error"), Schema::Record(record)) => {
                        match object.get("fields") {
                            Some(Value::Array(fields)) => self.record(fields, record),
                            _ => Ok(()),
                        }
                    }
                    (Some("array"), Schema::Array(array)) => match object.get("items") {
                        Some(items) => self.schema(items, &array.items),
                        None => Ok(()),
                    },
                    (Some("map"), Schema::Map(map)) => match object.get("values") {
                        Some(values) => self.schema(values, &map.types),
                        None => Ok(()),
                    },
                    _ => match ty {
                        Some(ty @ (Value::Object(_) | Value::Array(_))) => self.schema(ty, parsed),
                        _ => Ok(()),
                    },
                }
            }
            _ => Ok(()),
        }
    }

    fn record(&mut self, fields: &[Value], record: &RecordSchema) -> Result<(), ParseError> {
        let full = record.name.fullname(None);
        self.open.push(full.clone());
        let mut extras = Vec::with_capacity(record.fields.len());
        let jsons = fields.iter().filter_map(Value::as_object);
        for (json, field) in jsons.zip(&record.fields) {
            if let Some(ty) = json.get("type") {
                self.schema(ty, &field.schema)?;
            }
            let default = match json.get("default") {
                Some(default) => Some(self.default(&field.name, &field.schema, default)?),
                None => None,
            };
            extras.push(FieldExtras {
                aliases: field_aliases(json)?,
                default,
            });
        }
        self.open.pop();
        self.patch.records.insert(full, extras);
        Ok(())
    }

    /// Java's `Schema.Parser` for a field's default: a textual default of a
    /// `float` or `double` becomes a number, then `validateDefault`.
    fn default(&self, field: &str, schema: &Schema, default: &Value) -> Result<Value, ParseError> {
        let default = match (schema, default) {
            (Schema::Float | Schema::Double, Value::String(text)) => java_double(text)?,
            _ => default.clone(),
        };
        if self.is_valid_default(schema, &default)? {
            Ok(default)
        } else {
            Err(ParseError::InvalidDefault {
                field: field.to_owned(),
                default: default.to_string(),
                schema: serde_json::to_string(schema).unwrap_or_else(|_| schema.canonical_form()),
            })
        }
    }

    /// Java's `Schema.isValidDefault`.
    fn is_valid_default(&self, schema: &Schema, value: &Value) -> Result<bool, ParseError> {
        Ok(match schema {
            Schema::Null => value.is_null(),
            Schema::Boolean => value.is_boolean(),
            Schema::Int | Schema::Date | Schema::TimeMillis => {
                value.as_i64().is_some_and(|n| i32::try_from(n).is_ok())
            }
            Schema::Long
            | Schema::TimeMicros
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::TimestampNanos
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros
            | Schema::LocalTimestampNanos => value.is_i64(),
            Schema::Float | Schema::Double => value.is_number(),
            Schema::Bytes
            | Schema::String
            | Schema::Enum(_)
            | Schema::Fixed(_)
            | Schema::Decimal(_)
            | Schema::BigDecimal
            | Schema::Uuid(_)
            | Schema::Duration(_) => value.is_string(),
            Schema::Array(array) => match value {
                Value::Array(items) => {
                    for item in items {
                        if !self.is_valid_default(&array.items, item)? {
                            return Ok(false);
                        }
                    }
                    true
                }
                _ => false,
            },
            Schema::Map(map) => match value {
                Value::Object(values) => {
                    for value in values.values() {
                        if !self.is_valid_default(&map.types, value)? {
                            return Ok(false);
                        }
                    }
                    true
                }
                _ => false,
            },
            // Any branch, in order (Java's `anyMatch` over `isValidValue`).
            Schema::Union(union) => {
                for branch in union.variants() {
                    if self.is_valid_default(branch, value)? {
                        return Ok(true);
                    }
                }
                false
            }
            Schema::Record(record) => self.is_valid_record_default(record, value)?,
            Schema::Ref { name } => match self.names.get(&name.fullname(None)) {
                Some(Schema::Record(record)) => self.is_valid_record_default(record, value)?,
                Some(named) => self.is_valid_default(named, value)?,
                // apache-avro refuses undefined names before this.
                None => false,
            },
        })
    }

    fn is_valid_record_default(
        &self,
        record: &RecordSchema,
        value: &Value,
    ) -> Result<bool, ParseError> {
        let Value::Object(object) = value else {
            return Ok(false);
        };
        let full = record.name.fullname(None);
        if self.open.contains(&full) {
            return Err(ParseError::FieldsNotSetYet);
        }
        let extras = self.patch.records.get(&full);
        for (position, field) in record.fields.iter().enumerate() {
            let value = object.get(&field.name).or_else(|| {
                extras
                    .and_then(|e| e.get(position))
                    .and_then(|e| e.default.as_ref())
            });
            let Some(value) = value else {
                return Ok(false);
            };
            if !self.is_valid_default(&field.schema, value)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

impl Patch {
    /// Puts the defaults and aliases back into every record of `schema`
    /// (`apache-avro` may hold a record more than once), with a field lookup
    /// keyed by name first, then by the aliases no name takes.
    fn apply(&self, schema: &mut Schema) -> Result<(), ParseError> {
        match schema {
            Schema::Record(record) => {
                if let Some(extras) = self.records.get(&record.name.fullname(None)) {
                    for (field, extra) in record.fields.iter_mut().zip(extras) {
                        field.aliases.clone_from(&extra.aliases);
                        field.default.clone_from(&extra.default);
                    }
                    // apache-avro's own map type (one insert per field
                    // rather than `collect()`'s sort: less code in the wasm).
                    let mut lookup = std::collections::BTreeMap::new();
                    for (position, field) in record.fields.iter().enumerate() {
                        lookup.insert(field.name.clone(), position);
                    }
                    for (position, field) in record.fields.iter().enumerate() {
                        for alias in &field.aliases {
                            lookup.entry(alias.clone()).or_insert(position);
                        }
                    }
                    record.lookup = lookup;
                }
                for field in &mut record.fields {
                    self.apply(&mut field.schema)?;
                }
                Ok(())
            }
            Schema::Array(array) => self.apply(&mut array.items),
            Schema::Map(map) => self.apply(&mut map.types),
            Schema::Union(union) => {
                let mut branches = union.variants().to_vec();
                for branch in &mut branches {
                    self.apply(branch)?;
                }
                *union = UnionSchema::new(branches)?;
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// Java's `Double.parseDouble` on a default's text, as a JSON number. NaN
/// and the infinities have no JSON number: they stay text. Hexadecimal
/// floating-point literals are not read.
fn java_double(text: &str) -> Result<Value, ParseError> {
    let not_a_number = || ParseError::NotANumber(text.to_owned());
    // Java trims every character up to the space.
    let trimmed = text.trim_matches(|c: char| c <= ' ');
    let unsigned = trimmed.trim_start_matches(['+', '-']);
    if unsigned.len() + 1 < trimmed.len() {
        return Err(not_a_number());
    }
    if unsigned == "NaN" || unsigned == "Infinity" {
        return Ok(Value::String(trimmed.to_owned()));
    }
    let digits = unsigned
        .strip_suffix(['f', 'F', 'd', 'D'])
        .unwrap_or(unsigned);
    let is_literal = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    let sign = &trimmed[..trimmed.len() - unsigned.len()];
    let number: f64 = if is_literal {
        format!("{sign}{digits}")
            .parse()
            .map_err(|_| not_a_number())?
    } else {
        return Err(not_a_number());
    };
    Ok(serde_json::Number::from_f64(number)
        .map_or_else(|| Value::String(trimmed.to_owned()), Value::Number))
}

#[cfg(test)]
mod tests;
