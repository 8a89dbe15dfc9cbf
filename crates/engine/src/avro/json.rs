//! Avro data as JSON, both ways: the Avro 1.12 specification's JSON
//! encoding, and the "plain JSON" a learner types in the UI.
//!
//! The JSON encoding ([`Mode::Avro`]) is the one Java's `JsonEncoder` and
//! `JsonDecoder` speak: a union is `null` or `{"branch": value}` where the
//! branch is named by its full name (or its type, `"int"`, `"array"`;
//! logical types by the type they annotate), `bytes` and `fixed` are
//! strings whose characters U+0000–U+00FF are the bytes (ISO-8859-1), an
//! enum its symbol, a record an object of its fields; non-finite floats are
//! the strings `"NaN"`, `"Infinity"` and `"-Infinity"` (as Jackson writes
//! them).
//!
//! Plain JSON ([`Mode::Plain`]) is what people write by hand: a union is
//! just its value, put in the first branch that takes it (as Avro picks a
//! field default's branch; a wrapped `{"branch": value}` is still
//! accepted), and a few logical types may be written readably: a `decimal`
//! as a number or numeric string (`"12.30"`), a `date` as `"2024-02-29"`, a
//! `uuid` on a fixed as its text, a `duration` as `{"months": 1, "days": 2,
//! "millis": 3}`. Reading collects *every* problem, each with the
//! JSON-pointer path of the value (`/address/zip: expected int, got
//! "abc"`): wrong types, numbers out of range, missing fields without a
//! default (a field with a default may be left out), unknown fields, enum
//! symbols not in the list, fixed values of the wrong size.
//!
//! Record field defaults in schemas are plain JSON too (the spec: a union
//! field's default is a value of one of its branches, bytes are ISO-8859-1
//! strings); [`default_datum`] reads them for schema resolution.
//!
//! Output is written as text directly rather than through `serde_json`, so
//! that record fields keep the schema's order.

use std::fmt::Write as _;

use serde_json::Value as Json;
use thiserror::Error;

use super::codec::{
    push_pointer_segment, Datum, EncodeError, Kind, Logical, NodeId, Program, MAX_DEPTH,
};

/// Which JSON dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The Avro specification's JSON encoding.
    Avro,
    /// Hand-written JSON: unions unwrapped, readable logical types.
    Plain,
}

/// One problem with a JSON value, at a JSON-pointer path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonProblem {
    /// Where, as a JSON pointer (`/address/zip`); empty for the root.
    pub path: String,
    /// What is wrong (`expected int, got "abc"`).
    pub message: String,
}

impl std::fmt::Display for JsonProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

/// Why JSON text could not be turned into a datum.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JsonError {
    /// The text is not JSON.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// serde_json's description.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The JSON does not fit the schema: every problem found.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<JsonProblem>),
}

/// Parses JSON text.
///
/// # Errors
///
/// [`JsonError::Syntax`].
pub fn parse(text: &str) -> Result<Json, JsonError> {
    serde_json::from_str(text).map_err(|e| JsonError::Syntax {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })
}

/// The datum `json` describes for node `id` of `program`.
///
/// # Errors
///
/// [`JsonError::Invalid`] with every problem found.
pub fn from_json(
    program: &Program,
    id: NodeId,
    json: &Json,
    mode: Mode,
) -> Result<Datum<'static>, JsonError> {
    let mut reader = FromJson {
        program,
        mode,
        problems: Vec::new(),
        path: String::new(),
    };
    match reader.value(id, json, 0) {
        Some(datum) if reader.problems.is_empty() => Ok(datum),
        _ => Err(JsonError::Invalid(reader.problems)),
    }
}

/// A record field's default (plain JSON, as schemas write defaults) as a
/// datum of the field's node.
///
/// # Errors
///
/// The problems found, joined.
pub(crate) fn default_datum(
    program: &Program,
    id: NodeId,
    json: &Json,
) -> Result<Datum<'static>, String> {
    from_json(program, id, json, Mode::Plain).map_err(|e| e.to_string())
}

/// Writes `datum` (of node `id`) as JSON text.
///
/// # Errors
///
/// [`EncodeError`] when the datum does not fit the node.
pub fn to_json(
    program: &Program,
    id: NodeId,
    datum: &Datum<'_>,
    mode: Mode,
) -> Result<String, EncodeError> {
    let mut out = String::new();
    write_value(program, id, datum, mode, &mut out, 0)?;
    Ok(out)
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

struct FromJson<'p> {
    program: &'p Program,
    mode: Mode,
    problems: Vec<JsonProblem>,
    path: String,
}

/// A short description of a JSON value for messages.
fn describe(json: &Json) -> String {
    match json {
        Json::Object(_) => "an object".to_owned(),
        Json::Array(_) => "an array".to_owned(),
        other => {
            let text = other.to_string();
            if text.chars().count() > 40 {
                let cut: String = text.chars().take(37).collect();
                format!("{cut}...")
            } else {
                text
            }
        }
    }
}

impl FromJson<'_> {
    fn problem<T>(&mut self, message: String) -> Option<T> {
        self.problems.push(JsonProblem {
            path: self.path.clone(),
            message,
        });
        None
    }

    fn expected<T>(&mut self, what: &str, json: &Json) -> Option<T> {
        self.problem(format!("expected {what}, got {}", describe(json)))
    }

    fn within<T>(&mut self, segment: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        let before = self.path.len();
        self.path.push('/');
        push_pointer_segment(&mut self.path, segment);
        let result = f(self);
        self.path.truncate(before);
        result
    }

    fn value(&mut self, id: NodeId, json: &Json, depth: usize) -> Option<Datum<'static>> {
        if depth > MAX_DEPTH {
            return self.problem(format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        let program = self.program;
        let node = program.node(id);
        let plain = self.mode == Mode::Plain;
        match &node.kind {
            Kind::Null => match json {
                Json::Null => Some(Datum::Null),
                _ => self.expected("null", json),
            },
            Kind::Boolean => match json {
                Json::Bool(b) => Some(Datum::Boolean(*b)),
                _ => self.expected("boolean", json),
            },
            Kind::Int => {
                if let (true, Logical::Date, Json::String(s)) = (plain, node.logical, json) {
                    return match parse_date(s) {
                        Some(days) => Some(Datum::Int(days)),
                        None => self.expected("a date (YYYY-MM-DD) or days since 1970-01-01", json),
                    };
                }
                match json.as_i64().map(i32::try_from) {
                    Some(Ok(n)) => Some(Datum::Int(n)),
                    Some(Err(_)) => self.problem(format!("{json} is out of range for int")),
                    None if json.is_u64() => {
                        self.problem(format!("{json} is out of range for int"))
                    }
                    None => self.expected("int", json),
                }
            }
            Kind::Long => match json.as_i64() {
                Some(n) => Some(Datum::Long(n)),
                None if json.is_u64() => self.problem(format!("{json} is out of range for long")),
                None => self.expected("long", json),
            },
            Kind::Float => match number(json) {
                Some(x) => Some(Datum::Float(x as f32)),
                None => self.expected("float", json),
            },
            Kind::Double => match number(json) {
                Some(x) => Some(Datum::Double(x)),
                None => self.expected("double", json),
            },
            Kind::Bytes => {
                if let (true, Logical::Decimal { precision, scale }) = (plain, node.logical) {
                    return self
                        .decimal(json, precision, scale, None)
                        .map(|b| Datum::Bytes(b.into()));
                }
                match json {
                    Json::String(s) => match latin1(s) {
                        Some(bytes) => Some(Datum::Bytes(bytes.into())),
                        None => self.problem(
                            "bytes must be a string of characters U+0000 to U+00FF".to_owned(),
                        ),
                    },
                    _ => self.expected("bytes (a string)", json),
                }
            }
            Kind::String => match json {
                Json::String(s) => {
                    if plain && node.logical == Logical::Uuid && parse_uuid(s).is_none() {
                        return self.expected("a UUID", json);
                    }
                    Some(Datum::String(s.clone().into()))
                }
                _ => self.expected("string", json),
            },
            Kind::Fixed(size) => self.fixed(id, *size, json),
            Kind::Enum { symbols, .. } => match json {
                Json::String(s) => match symbols.iter().position(|symbol| symbol == s) {
                    Some(i) => Some(Datum::Enum(u32::try_from(i).ok()?)),
                    None => self.problem(format!(
                        "{} is not a symbol of enum {} ({})",
                        describe(json),
                        program.type_name(id),
                        symbols.join(", ")
                    )),
                },
                _ => self.expected(&format!("a symbol of enum {}", program.type_name(id)), json),
            },
            Kind::Array(items) => match json {
                Json::Array(values) => {
                    let mut out = Vec::with_capacity(values.len());
                    let mut ok = true;
                    for (i, value) in values.iter().enumerate() {
                        match self.within(&i.to_string(), |s| s.value(*items, value, depth + 1)) {
                            Some(datum) => out.push(datum),
                            None => ok = false,
                        }
                    }
                    ok.then_some(Datum::Array(out))
                }
                _ => self.expected("array", json),
            },
            Kind::Map(values) => match json {
                Json::Object(entries) => {
                    let mut out = Vec::with_capacity(entries.len());
                    let mut ok = true;
                    for (key, value) in entries {
                        match self.within(key, |s| s.value(*values, value, depth + 1)) {
                            Some(datum) => out.push((key.clone().into(), datum)),
                            None => ok = false,
                        }
                    }
                    ok.then_some(Datum::Map(out))
                }
                _ => self.expected("map (an object)", json),
            },
            Kind::Union(branches) => self.union(id, branches, json, depth),
            Kind::Record(fields) => {
                let Json::Object(object) = json else {
                    return self.expected(&format!("record {}", program.type_name(id)), json);
                };
                let mut out = Vec::with_capacity(fields.len());
                let mut ok = true;
                for field in fields {
                    let datum = match object.get(&field.name) {
                        Some(value) => {
                            self.within(&field.name, |s| s.value(field.node, value, depth + 1))
                        }
                        None => match &field.default {
                            Some(default) => match default_datum(program, field.node, default) {
                                Ok(datum) => Some(datum),
                                Err(problem) => self.within(&field.name, |s| {
                                    s.problem(format!(
                                        "missing, and its default is invalid: {problem}"
                                    ))
                                }),
                            },
                            None => self.within(&field.name, |s| {
                                s.problem("missing field with no default".to_owned())
                            }),
                        },
                    };
                    match datum {
                        Some(datum) => out.push(datum),
                        None => ok = false,
                    }
                }
                for key in object.keys() {
                    if !fields.iter().any(|field| field.name == *key) {
                        ok = false;
                        let known: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                        let message = format!(
                            "unknown field (record {} has {})",
                            program.type_name(id),
                            if known.is_empty() {
                                "no fields".to_owned()
                            } else {
                                format!("fields {}", known.join(", "))
                            }
                        );
                        self.within(key, |s| s.problem::<()>(message));
                    }
                }
                ok.then_some(Datum::Record(out))
            }
            Kind::Pending => self.problem("unfinished schema node".to_owned()),
        }
    }

    fn union(
        &mut self,
        id: NodeId,
        branches: &[NodeId],
        json: &Json,
        depth: usize,
    ) -> Option<Datum<'static>> {
        let program = self.program;
        let names: Vec<&str> = branches.iter().map(|&b| program.type_name(b)).collect();
        fn wrapped<'j>(names: &[&str], json: &'j Json) -> Option<(usize, &'j Json)> {
            let Json::Object(object) = json else {
                return None;
            };
            if object.len() != 1 {
                return None;
            }
            let (key, value) = object.iter().next()?;
            let i = names.iter().position(|name| name == key).or_else(|| {
                names
                    .iter()
                    .position(|name| name.rsplit('.').next() == Some(key))
            })?;
            Some((i, value))
        }
        let null_branch = branches
            .iter()
            .position(|&b| matches!(program.node(b).kind, Kind::Null));
        let pick = |i: usize, datum: Datum<'static>| {
            Some(Datum::Union(u32::try_from(i).ok()?, Box::new(datum)))
        };
        if self.mode == Mode::Avro {
            if json.is_null() {
                return match null_branch {
                    Some(i) => pick(i, Datum::Null),
                    None => self.expected(&format!("one of [{}]", names.join(", ")), json),
                };
            }
            return match wrapped(&names, json) {
                Some((i, value)) => {
                    let datum = self.within(names[i], |s| s.value(branches[i], value, depth + 1))?;
                    pick(i, datum)
                }
                None => self.problem(format!(
                    "expected a union value: null or an object with one key naming a branch of [{}], got {}",
                    names.join(", "),
                    describe(json)
                )),
            };
        }
        // Plain: the first branch that takes the value without a problem.
        let mut trial_problems = Vec::new();
        for (i, &branch) in branches.iter().enumerate() {
            let saved = std::mem::take(&mut self.problems);
            let datum = self.value(branch, json, depth + 1);
            let problems = std::mem::replace(&mut self.problems, saved);
            match datum {
                Some(datum) if problems.is_empty() => return pick(i, datum),
                _ => trial_problems.push(problems),
            }
        }
        if let Some((i, value)) = wrapped(&names, json) {
            let datum = self.within(names[i], |s| s.value(branches[i], value, depth + 1))?;
            return pick(i, datum);
        }
        // One branch besides null and a non-null value: its own problems say
        // most about what is wrong.
        let others: Vec<usize> = (0..branches.len())
            .filter(|&i| Some(i) != null_branch)
            .collect();
        if let ([only], false) = (others.as_slice(), json.is_null()) {
            if let Some(problems) = trial_problems.get_mut(*only) {
                if !problems.is_empty() {
                    self.problems.append(problems);
                    return None;
                }
            }
        }
        let _ = id;
        self.problem(format!(
            "no branch of union [{}] takes {}",
            names.join(", "),
            describe(json)
        ))
    }

    fn fixed(&mut self, id: NodeId, size: usize, json: &Json) -> Option<Datum<'static>> {
        let program = self.program;
        let node = program.node(id);
        if self.mode == Mode::Plain {
            match (node.logical, json) {
                (Logical::Decimal { precision, scale }, _) => {
                    return self
                        .decimal(json, precision, scale, Some(size))
                        .map(|b| Datum::Fixed(b.into()));
                }
                (Logical::Uuid, Json::String(s)) if size == 16 => {
                    if let Some(bytes) = parse_uuid(s) {
                        return Some(Datum::Fixed(bytes.to_vec().into()));
                    }
                }
                (Logical::Duration, Json::Object(object)) if size == 12 => {
                    let mut bytes = Vec::with_capacity(12);
                    for part in ["months", "days", "millis"] {
                        match object.get(part).and_then(Json::as_u64).map(u32::try_from) {
                            Some(Ok(n)) => bytes.extend_from_slice(&n.to_le_bytes()),
                            _ => {
                                return self.expected(
                                    "a duration {\"months\", \"days\", \"millis\"} of unsigned 32-bit numbers",
                                    json,
                                )
                            }
                        }
                    }
                    if object.len() != 3 {
                        return self.expected("a duration with only months, days and millis", json);
                    }
                    return Some(Datum::Fixed(bytes.into()));
                }
                _ => {}
            }
        }
        match json {
            Json::String(s) => match latin1(s) {
                Some(bytes) if bytes.len() == size => Some(Datum::Fixed(bytes.into())),
                Some(bytes) => self.problem(format!(
                    "fixed {} takes {size} bytes, got {}",
                    program.type_name(id),
                    bytes.len()
                )),
                None => {
                    self.problem("fixed must be a string of characters U+0000 to U+00FF".to_owned())
                }
            },
            _ => self.expected(&format!("fixed {} (a string)", program.type_name(id)), json),
        }
    }

    /// A decimal written as a number or numeric string: its unscaled value
    /// as big-endian two's-complement bytes (sign-extended to `size`).
    fn decimal(
        &mut self,
        json: &Json,
        precision: usize,
        scale: usize,
        size: Option<usize>,
    ) -> Option<Vec<u8>> {
        let text = match json {
            Json::Number(n) => n.to_string(),
            Json::String(s) => s.clone(),
            _ => {
                return self.expected(
                    &format!("decimal({precision},{scale}) as a number or string"),
                    json,
                )
            }
        };
        match decimal_bytes(&text, precision, scale, size) {
            Ok(bytes) => Some(bytes),
            Err(problem) => self.problem(problem),
        }
    }
}

/// A JSON number, or a non-finite float spelled as Jackson spells it.
fn number(json: &Json) -> Option<f64> {
    match json {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// The bytes of an ISO-8859-1 string, if every character is below U+0100.
fn latin1(s: &str) -> Option<Vec<u8>> {
    s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

/// A UUID's 16 bytes from its 36-character hyphenated text.
fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    let mut out = [0_u8; 16];
    let mut digits = b.iter().filter(|&&c| c != b'-');
    for byte in &mut out {
        let hi = char::from(*digits.next()?).to_digit(16)?;
        let lo = char::from(*digits.next()?).to_digit(16)?;
        *byte = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

fn format_uuid(b: &[u8]) -> String {
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
fn parse_date(s: &str) -> Option<i32> {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, s),
    };
    let mut parts = rest.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let day: i64 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let year = sign * year;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    i32::try_from(days_from_civil(year, month, day)).ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn format_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(i64::from(days));
    if y < 0 {
        format!("-{:04}-{m:02}-{d:02}", -y)
    } else {
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// The unscaled value of decimal text as minimal big-endian two's
/// complement (or sign-extended to `size` bytes).
pub(crate) fn decimal_bytes(
    text: &str,
    precision: usize,
    scale: usize,
    size: Option<usize>,
) -> Result<Vec<u8>, String> {
    let bad = || format!("{text:?} is not a decimal number");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part
            .bytes()
            .chain(frac_part.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let frac_trimmed = frac_part.trim_end_matches('0');
    if frac_trimmed.len() > scale {
        return Err(format!(
            "{text} has more than {scale} digits after the point (scale {scale})"
        ));
    }
    let mut unscaled: String = int_part.trim_start_matches('0').to_owned();
    unscaled.push_str(frac_part.get(..scale.min(frac_part.len())).unwrap_or(""));
    for _ in frac_part.len().min(scale)..scale {
        unscaled.push('0');
    }
    let unscaled = unscaled.trim_start_matches('0');
    if unscaled.len() > precision {
        return Err(format!(
            "{text} has more than {precision} digits (precision {precision})"
        ));
    }
    // Magnitude as little-endian base-256, built by multiply-and-add.
    let mut magnitude: Vec<u8> = Vec::new();
    for digit in unscaled.bytes() {
        let mut carry = u32::from(digit - b'0');
        for byte in &mut magnitude {
            let v = u32::from(*byte) * 10 + carry;
            *byte = (v & 0xff) as u8;
            carry = v >> 8;
        }
        while carry > 0 {
            magnitude.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    magnitude.push(0); // room for the sign bit
    if negative {
        // Two's complement: invert and add one.
        let mut carry = 1_u16;
        for byte in &mut magnitude {
            let v = u16::from(!*byte) + carry;
            *byte = (v & 0xff) as u8;
            carry = v >> 8;
        }
    }
    magnitude.reverse();
    // Minimal: drop leading bytes that only repeat the sign.
    while magnitude.len() > 1
        && ((magnitude[0] == 0 && magnitude[1] < 0x80)
            || (magnitude[0] == 0xff && magnitude[1] >= 0x80))
    {
        magnitude.remove(0);
    }
    if let Some(size) = size {
        if magnitude.len() > size {
            return Err(format!("{text} does not fit in {size} bytes"));
        }
        let fill = if magnitude.first().is_some_and(|b| *b >= 0x80) {
            0xff
        } else {
            0
        };
        let mut out = vec![fill; size - magnitude.len()];
        out.extend_from_slice(&magnitude);
        return Ok(out);
    }
    Ok(magnitude)
}

/// Decimal text of big-endian two's-complement `bytes` scaled by `scale`.
pub(crate) fn decimal_text(bytes: &[u8], scale: usize) -> String {
    let negative = bytes.first().is_some_and(|b| *b >= 0x80);
    // Magnitude, big-endian.
    let mut magnitude: Vec<u8> = bytes.to_vec();
    if negative {
        for byte in &mut magnitude {
            *byte = !*byte;
        }
        for byte in magnitude.iter_mut().rev() {
            let (v, overflow) = byte.overflowing_add(1);
            *byte = v;
            if !overflow {
                break;
            }
        }
    }
    // Repeated division by 10.
    let mut digits = Vec::new();
    while magnitude.iter().any(|b| *b != 0) {
        let mut remainder = 0_u32;
        for byte in &mut magnitude {
            let v = (remainder << 8) | u32::from(*byte);
            *byte = (v / 10) as u8;
            remainder = v % 10;
        }
        digits.push(b'0' + remainder as u8);
    }
    while digits.len() <= scale {
        digits.push(b'0');
    }
    digits.reverse();
    let (int_part, frac_part) = digits.split_at(digits.len() - scale);
    let mut s = String::with_capacity(digits.len() + 2);
    if negative {
        s.push('-');
    }
    s.push_str(std::str::from_utf8(int_part).unwrap_or("0"));
    if scale > 0 {
        s.push('.');
        s.push_str(std::str::from_utf8(frac_part).unwrap_or(""));
    }
    s
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_latin1(out: &mut String, bytes: &[u8]) {
    let s: String = bytes.iter().map(|&b| char::from(b)).collect();
    write_string(out, &s);
}

fn write_f64(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("\"NaN\"");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 {
            "\"Infinity\""
        } else {
            "\"-Infinity\""
        });
    } else {
        let _ = write!(out, "{x:?}");
    }
}

fn write_f32(out: &mut String, x: f32) {
    if x.is_finite() {
        let _ = write!(out, "{x:?}");
    } else {
        write_f64(out, f64::from(x));
    }
}

fn write_value(
    program: &Program,
    id: NodeId,
    datum: &Datum<'_>,
    mode: Mode,
    out: &mut String,
    depth: usize,
) -> Result<(), EncodeError> {
    if depth > MAX_DEPTH {
        return Err(EncodeError::new(format!(
            "nesting deeper than {MAX_DEPTH} levels"
        )));
    }
    let node = program.node(id);
    let plain = mode == Mode::Plain;
    match (&node.kind, datum) {
        (Kind::Null, Datum::Null) => out.push_str("null"),
        (Kind::Boolean, Datum::Boolean(b)) => out.push_str(if *b { "true" } else { "false" }),
        (Kind::Int, Datum::Int(n)) => {
            if plain && node.logical == Logical::Date {
                write_string(out, &format_date(*n));
            } else {
                let _ = write!(out, "{n}");
            }
        }
        (Kind::Long, Datum::Long(n)) => {
            let _ = write!(out, "{n}");
        }
        (Kind::Float, Datum::Float(x)) => write_f32(out, *x),
        (Kind::Double, Datum::Double(x)) => write_f64(out, *x),
        (Kind::Bytes, Datum::Bytes(bytes)) => match (plain, node.logical) {
            (true, Logical::Decimal { scale, .. }) => {
                write_string(out, &decimal_text(bytes, scale))
            }
            _ => write_latin1(out, bytes),
        },
        (Kind::String, Datum::String(s)) => write_string(out, s),
        (Kind::Fixed(size), Datum::Fixed(bytes)) => {
            if bytes.len() != *size {
                return Err(EncodeError::new(format!(
                    "expected {size} bytes for fixed {}, got {}",
                    program.type_name(id),
                    bytes.len()
                )));
            }
            match (plain, node.logical) {
                (true, Logical::Decimal { scale, .. }) => {
                    write_string(out, &decimal_text(bytes, scale))
                }
                (true, Logical::Uuid) if *size == 16 => write_string(out, &format_uuid(bytes)),
                (true, Logical::Duration) if *size == 12 => {
                    let part = |i: usize| {
                        u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]])
                    };
                    let _ = write!(
                        out,
                        "{{\"months\":{},\"days\":{},\"millis\":{}}}",
                        part(0),
                        part(4),
                        part(8)
                    );
                }
                _ => write_latin1(out, bytes),
            }
        }
        (Kind::Enum { symbols, .. }, Datum::Enum(i)) => match symbols.get(*i as usize) {
            Some(symbol) => write_string(out, symbol),
            None => {
                return Err(EncodeError::new(format!(
                    "enum index {i} out of range: {} has {} symbols",
                    program.type_name(id),
                    symbols.len()
                )))
            }
        },
        (Kind::Array(items), Datum::Array(values)) => {
            out.push('[');
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(program, *items, value, mode, out, depth + 1)
                    .map_err(|e| e.within(&i.to_string()))?;
            }
            out.push(']');
        }
        (Kind::Map(values), Datum::Map(entries)) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(program, *values, value, mode, out, depth + 1)
                    .map_err(|e| e.within(key))?;
            }
            out.push('}');
        }
        (Kind::Union(branches), Datum::Union(index, value)) => {
            let Some(&branch) = branches.get(*index as usize) else {
                return Err(EncodeError::new(format!(
                    "union branch {index} out of range: the union has {} branches",
                    branches.len()
                )));
            };
            if plain || matches!(program.node(branch).kind, Kind::Null) {
                write_value(program, branch, value, mode, out, depth + 1)?;
            } else {
                out.push('{');
                write_string(out, program.type_name(branch));
                out.push(':');
                write_value(program, branch, value, mode, out, depth + 1)?;
                out.push('}');
            }
        }
        (Kind::Record(fields), Datum::Record(values)) => {
            if fields.len() != values.len() {
                return Err(EncodeError::new(format!(
                    "record {} has {} fields, got {} values",
                    program.type_name(id),
                    fields.len(),
                    values.len()
                )));
            }
            out.push('{');
            for (i, (field, value)) in fields.iter().zip(values).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, &field.name);
                out.push(':');
                write_value(program, field.node, value, mode, out, depth + 1)
                    .map_err(|e| e.within(&field.name))?;
            }
            out.push('}');
        }
        (_, datum) => {
            return Err(EncodeError::new(format!(
                "expected {}, got {}",
                program.type_name(id),
                datum.kind()
            )))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avro::codec::Codec;
    use apache_avro::Schema;

    fn codec(schema: &str) -> Codec {
        Codec::new(&Schema::parse_str(schema).expect("schema")).expect("codec")
    }

    const ORDER: &str = r#"{"type":"record","name":"Order","namespace":"shop","fields":[
        {"name":"id","type":"long"},
        {"name":"address","type":{"type":"record","name":"Address","fields":[
            {"name":"street","type":"string"},{"name":"zip","type":"int"}]}},
        {"name":"note","type":["null","string",{"type":"array","items":"int"}],"default":null},
        {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}},
        {"name":"raw","type":"bytes","default":""},
        {"name":"code","type":{"type":"fixed","name":"Code","size":2}},
        {"name":"ratio","type":"float","default":0.5},
        {"name":"attrs","type":{"type":"map","values":"double"},"default":{}},
        {"name":"back","type":["null","Address"],"default":null}]}"#;

    #[test]
    fn avro_json_encoding_both_ways() {
        let codec = codec(ORDER);
        let datum = Datum::Record(vec![
            Datum::Long(7),
            Datum::Record(vec![Datum::String("Main \"1\"".into()), Datum::Int(12345)]),
            Datum::Union(2, Box::new(Datum::Array(vec![Datum::Int(1)]))),
            Datum::Enum(1),
            Datum::Bytes(vec![0, 0x7f, 0xe9, 0xff].into()),
            Datum::Fixed(vec![b'A', 0x80].into()),
            Datum::Float(0.1),
            Datum::Map(vec![("nan".into(), Datum::Double(f64::NAN))]),
            Datum::Union(
                1,
                Box::new(Datum::Record(vec![
                    Datum::String("x".into()),
                    Datum::Int(1),
                ])),
            ),
        ]);
        let text = codec.writer().to_json(&datum, Mode::Avro).expect("json");
        assert_eq!(
            text,
            r#"{"id":7,"address":{"street":"Main \"1\"","zip":12345},"note":{"array":[1]},"status":"PAID","raw":"\u0000\u007fé\u00ff","code":"A\u0080","ratio":0.1,"attrs":{"nan":"NaN"},"back":{"shop.Address":{"street":"x","zip":1}}}"#
                .replace("\\u007f", "\u{7f}")
                .replace("\\u00ff", "\u{ff}")
                .replace("\\u0080", "\u{80}")
        );
        let back = codec
            .writer()
            .from_json_text(&text, Mode::Avro)
            .expect("parse back");
        // NaN != NaN: compare the encodings.
        assert_eq!(codec.encode_to_vec(&back), codec.encode_to_vec(&datum));
        // Avro JSON insists on wrapped unions.
        let unwrapped = text.replace(r#"{"array":[1]}"#, "[1]");
        let err = codec
            .writer()
            .from_json_text(&unwrapped, Mode::Avro)
            .expect_err("unwrapped");
        assert!(
            err.to_string().starts_with("/note: expected a union value"),
            "{err}"
        );
    }

    #[test]
    fn plain_json_takes_unwrapped_unions_and_defaults() {
        let codec = codec(ORDER);
        let bytes = codec
            .encode_json(
                r#"{"id":1,"address":{"street":"S","zip":9},"note":"hi","status":"NEW","code":"ab"}"#,
                Mode::Plain,
            )
            .expect("encodes");
        let datum = codec.decode_slice(&bytes).expect("decodes");
        let Datum::Record(fields) = &datum else {
            panic!("record")
        };
        assert_eq!(
            fields[2],
            Datum::Union(1, Box::new(Datum::String("hi".into())))
        );
        assert_eq!(fields[4], Datum::Bytes(Vec::new().into()));
        assert_eq!(fields[6], Datum::Float(0.5));
        assert_eq!(fields[8], Datum::Union(0, Box::new(Datum::Null)));
        assert_eq!(
            codec.reader().to_json(&datum, Mode::Plain).expect("json"),
            r#"{"id":1,"address":{"street":"S","zip":9},"note":"hi","status":"NEW","raw":"","code":"ab","ratio":0.5,"attrs":{},"back":null}"#
        );
        // An array goes to the array branch; the wrapped form is accepted too.
        let with_array = codec
            .writer()
            .from_json_text(
                r#"{"id":1,"address":{"street":"S","zip":9},"note":[1,2],"status":"NEW","code":"ab","back":{"shop.Address":{"street":"b","zip":2}}}"#,
                Mode::Plain,
            )
            .expect("plain");
        let Datum::Record(fields) = with_array else {
            panic!("record")
        };
        assert_eq!(
            fields[2],
            Datum::Union(
                2,
                Box::new(Datum::Array(vec![Datum::Int(1), Datum::Int(2)]))
            )
        );
        assert!(matches!(&fields[8], Datum::Union(1, _)));
    }

    #[test]
    fn plain_json_reports_every_problem_with_its_path() {
        let codec = codec(ORDER);
        let err = codec
            .encode_json(
                r#"{"id":"x","address":{"street":"S","zip":"abc","floor":3},"note":true,"status":"SHIPPED","code":"abc","attrs":{"a":"b"}}"#,
                Mode::Plain,
            )
            .expect_err("problems");
        let JsonError::Invalid(problems) = &err else {
            panic!("{err}")
        };
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                r#"/id: expected long, got "x""#,
                r#"/address/zip: expected int, got "abc""#,
                "/address/floor: unknown field (record shop.Address has fields street, zip)",
                "/note: no branch of union [null, string, array] takes true",
                r#"/status: "SHIPPED" is not a symbol of enum shop.Status (NEW, PAID)"#,
                "/code: fixed shop.Code takes 2 bytes, got 3",
                r#"/attrs/a: expected double, got "b""#,
            ]
        );
        let err = codec
            .encode_json(r#"{"id":1}"#, Mode::Plain)
            .expect_err("missing");
        assert_eq!(
            err.to_string(),
            "/address: missing field with no default; /status: missing field with no default; /code: missing field with no default"
        );
        let err = codec
            .encode_json(r#"{"id":1,"#, Mode::Plain)
            .expect_err("syntax");
        assert!(matches!(err, JsonError::Syntax { line: 1, .. }), "{err}");
        let int = self::codec(r#""int""#);
        assert_eq!(
            int.encode_json("3000000000", Mode::Plain)
                .expect_err("range")
                .to_string(),
            "/: 3000000000 is out of range for int"
        );
        // A nullable record: the record's own problems, not just "no branch".
        let nullable = self::codec(
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":["null",{"type":"record","name":"A","fields":[{"name":"zip","type":"int"}]}]}]}"#,
        );
        assert_eq!(
            nullable
                .encode_json(r#"{"a":{"zip":"abc"}}"#, Mode::Plain)
                .expect_err("zip")
                .to_string(),
            r#"/a/zip: expected int, got "abc""#
        );
    }

    #[test]
    fn plain_json_logical_types_are_readable() {
        let codec = codec(
            r#"{"type":"record","name":"L","fields":[
            {"name":"d","type":{"type":"int","logicalType":"date"}},
            {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":6,"scale":2}},
            {"name":"fp","type":{"type":"fixed","name":"FP","size":3,"logicalType":"decimal","precision":6,"scale":2}},
            {"name":"id","type":{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}},
            {"name":"s","type":{"type":"string","logicalType":"uuid"}},
            {"name":"dur","type":{"type":"fixed","name":"Dur","size":12,"logicalType":"duration"}}]}"#,
        );
        let text = r#"{"d":"2024-02-29","price":"-12.30","fp":1234.5,"id":"00112233-4455-6677-8899-aabbccddeeff","s":"123e4567-e89b-12d3-a456-426614174000","dur":{"months":1,"days":2,"millis":3}}"#;
        let datum = codec
            .writer()
            .from_json_text(text, Mode::Plain)
            .expect("plain");
        let Datum::Record(fields) = &datum else {
            panic!("record")
        };
        assert_eq!(fields[0], Datum::Int(19_782));
        // -1230 = 0xfb32
        assert_eq!(fields[1], Datum::Bytes(vec![0xfb, 0x32].into()));
        // 123450 = 0x01e23a
        assert_eq!(fields[2], Datum::Fixed(vec![0x01, 0xe2, 0x3a].into()));
        assert_eq!(
            fields[3],
            Datum::Fixed((0..16).map(|i| i * 0x11).collect::<Vec<u8>>().into())
        );
        assert_eq!(
            codec.writer().to_json(&datum, Mode::Plain).expect("json"),
            r#"{"d":"2024-02-29","price":"-12.30","fp":"1234.50","id":"00112233-4455-6677-8899-aabbccddeeff","s":"123e4567-e89b-12d3-a456-426614174000","dur":{"months":1,"days":2,"millis":3}}"#
        );
        let err = codec
            .writer()
            .from_json_text(
                r#"{"d":"2023-02-29","price":"1.234","fp":"99999.99","id":"nope","s":"nope","dur":{"months":-1,"days":2,"millis":3}}"#,
                Mode::Plain,
            )
            .expect_err("bad");
        let JsonError::Invalid(problems) = err else {
            panic!("invalid")
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["/d", "/price", "/fp", "/id", "/s", "/dur"]);
        assert_eq!(
            problems[1].message,
            "1.234 has more than 2 digits after the point (scale 2)"
        );
        assert_eq!(
            problems[2].message,
            "99999.99 has more than 6 digits (precision 6)"
        );
    }

    #[test]
    fn decimal_and_date_arithmetic() {
        for (text, scale, bytes) in [
            ("0", 0, vec![0x00]),
            ("127", 0, vec![0x7f]),
            ("128", 0, vec![0x00, 0x80]),
            ("-128", 0, vec![0x80]),
            ("-129", 0, vec![0xff, 0x7f]),
            ("-0.01", 2, vec![0xff]),
            ("1.5", 3, vec![0x05, 0xdc]),
        ] {
            assert_eq!(
                decimal_bytes(text, 38, scale, None),
                Ok(bytes.clone()),
                "{text}"
            );
            let normal = decimal_text(&bytes, scale);
            assert_eq!(
                decimal_bytes(&normal, 38, scale, None),
                Ok(bytes),
                "{text} -> {normal}"
            );
        }
        assert_eq!(decimal_text(&[0xff], 2), "-0.01");
        assert_eq!(decimal_text(&[0x05, 0xdc], 3), "1.500");
        assert_eq!(
            decimal_bytes("-1", 2, 0, Some(3)),
            Ok(vec![0xff, 0xff, 0xff])
        );
        assert!(decimal_bytes("1e5", 9, 0, None).is_err());
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1969-12-31"), Some(-1));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        for days in [-800_000, -1, 0, 59, 11_016, 19_782, 2_000_000] {
            assert_eq!(parse_date(&format_date(days)), Some(days), "{days}");
        }
        assert_eq!(
            parse_uuid("00112233-4455-6677-8899-aabbccddeeff")
                .map(|b| format_uuid(&b))
                .as_deref(),
            Some("00112233-4455-6677-8899-aabbccddeeff")
        );
    }
}
