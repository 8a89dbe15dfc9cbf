//! Conversions between this codec's [`Datum`]s and `apache-avro`'s
//! [`Value`] model, so data can be built or inspected with the crate's
//! types (and checked against its encoder in the tests).
//!
//! A datum carries no names and no logical types; the schema node supplies
//! them. [`to_value`] gives records their field names, enums their symbols,
//! and logical types their `Value` variants (`Value::Date`,
//! `Value::Decimal`, `Value::Uuid`, `Value::Duration`, the timestamps).
//! [`from_value`] accepts what `apache-avro` itself would encode for the
//! schema: the logical variants or their underlying values, record fields
//! by name in any order (a missing one takes its default), an enum by
//! symbol, a bare value for a union (placed in the first branch that takes
//! it), an `int` where a `long` is wanted and a `float` for a `double`.

use std::collections::HashMap;

use apache_avro::types::Value;
use apache_avro::{Decimal, Duration, Uuid};

use super::codec::{Datum, EncodeError, Kind, Logical, NodeId, Program, MAX_DEPTH};
use super::json;

/// The `Value` of `datum`, a datum of node `id`.
///
/// # Errors
///
/// [`EncodeError`] when the datum does not fit the node.
pub fn to_value(program: &Program, id: NodeId, datum: &Datum<'_>) -> Result<Value, EncodeError> {
    to_value_at(program, id, datum, 0)
}

fn to_value_at(
    program: &Program,
    id: NodeId,
    datum: &Datum<'_>,
    depth: usize,
) -> Result<Value, EncodeError> {
    if depth > MAX_DEPTH {
        return Err(EncodeError::new(format!(
            "nesting deeper than {MAX_DEPTH} levels"
        )));
    }
    let node = program.node(id);
    Ok(match (&node.kind, datum) {
        (Kind::Null, Datum::Null) => Value::Null,
        (Kind::Boolean, Datum::Boolean(b)) => Value::Boolean(*b),
        (Kind::Int, Datum::Int(n)) => match node.logical {
            Logical::Date => Value::Date(*n),
            Logical::TimeMillis => Value::TimeMillis(*n),
            _ => Value::Int(*n),
        },
        (Kind::Long, Datum::Long(n)) => match node.logical {
            Logical::TimeMicros => Value::TimeMicros(*n),
            Logical::TimestampMillis => Value::TimestampMillis(*n),
            Logical::TimestampMicros => Value::TimestampMicros(*n),
            Logical::TimestampNanos => Value::TimestampNanos(*n),
            Logical::LocalTimestampMillis => Value::LocalTimestampMillis(*n),
            Logical::LocalTimestampMicros => Value::LocalTimestampMicros(*n),
            Logical::LocalTimestampNanos => Value::LocalTimestampNanos(*n),
            _ => Value::Long(*n),
        },
        (Kind::Float, Datum::Float(x)) => Value::Float(*x),
        (Kind::Double, Datum::Double(x)) => Value::Double(*x),
        (Kind::Bytes, Datum::Bytes(bytes)) => match node.logical {
            Logical::Decimal { .. } => Value::Decimal(Decimal::from(bytes.as_ref())),
            _ => Value::Bytes(bytes.to_vec()),
        },
        (Kind::String, Datum::String(s)) => match (node.logical, Uuid::parse_str(s)) {
            (Logical::Uuid, Ok(uuid)) => Value::Uuid(uuid),
            _ => Value::String(s.to_string()),
        },
        (Kind::Fixed(size), Datum::Fixed(bytes)) => {
            if bytes.len() != *size {
                return Err(EncodeError::new(format!(
                    "expected {size} bytes for fixed {}, got {}",
                    program.type_name(id),
                    bytes.len()
                )));
            }
            match (
                node.logical,
                <[u8; 16]>::try_from(bytes.as_ref()),
                <[u8; 12]>::try_from(bytes.as_ref()),
            ) {
                (Logical::Decimal { .. }, _, _) => Value::Decimal(Decimal::from(bytes.as_ref())),
                (Logical::Uuid, Ok(sixteen), _) => Value::Uuid(Uuid::from_bytes(sixteen)),
                (Logical::Duration, _, Ok(twelve)) => Value::Duration(Duration::from(twelve)),
                _ => Value::Fixed(*size, bytes.to_vec()),
            }
        }
        (Kind::Enum { symbols, .. }, Datum::Enum(i)) => match symbols.get(*i as usize) {
            Some(symbol) => Value::Enum(*i, symbol.clone()),
            None => {
                return Err(EncodeError::new(format!(
                    "enum index {i} out of range: {} has {} symbols",
                    program.type_name(id),
                    symbols.len()
                )))
            }
        },
        (Kind::Array(items), Datum::Array(values)) => Value::Array(
            values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    to_value_at(program, *items, v, depth + 1).map_err(|e| e.within(&i.to_string()))
                })
                .collect::<Result<_, _>>()?,
        ),
        (Kind::Map(values), Datum::Map(entries)) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    Ok((
                        k.to_string(),
                        to_value_at(program, *values, v, depth + 1).map_err(|e| e.within(k))?,
                    ))
                })
                .collect::<Result<HashMap<_, _>, EncodeError>>()?,
        ),
        (Kind::Union(branches), Datum::Union(index, value)) => {
            match branches.get(*index as usize) {
                Some(&branch) => Value::Union(
                    *index,
                    Box::new(to_value_at(program, branch, value, depth + 1)?),
                ),
                None => {
                    return Err(EncodeError::new(format!(
                        "union branch {index} out of range: the union has {} branches",
                        branches.len()
                    )))
                }
            }
        }
        (Kind::Record(fields), Datum::Record(values)) if fields.len() == values.len() => {
            Value::Record(
                fields
                    .iter()
                    .zip(values)
                    .map(|(field, value)| {
                        Ok((
                            field.name.clone(),
                            to_value_at(program, field.node, value, depth + 1)
                                .map_err(|e| e.within(&field.name))?,
                        ))
                    })
                    .collect::<Result<_, EncodeError>>()?,
            )
        }
        (_, datum) => {
            return Err(EncodeError::new(format!(
                "expected {}, got {}",
                program.type_name(id),
                datum.kind()
            )))
        }
    })
}

/// The datum of node `id` that `value` stands for.
///
/// # Errors
///
/// [`EncodeError`] with the path of the first value that does not fit.
pub fn from_value(
    program: &Program,
    id: NodeId,
    value: &Value,
) -> Result<Datum<'static>, EncodeError> {
    from_value_at(program, id, value, 0)
}

fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Boolean(_) => "boolean",
        Value::Int(_) => "int",
        Value::Long(_) => "long",
        Value::Float(_) => "float",
        Value::Double(_) => "double",
        Value::Bytes(_) => "bytes",
        Value::String(_) => "string",
        Value::Fixed(..) => "fixed",
        Value::Enum(..) => "enum",
        Value::Union(..) => "union",
        Value::Array(_) => "array",
        Value::Map(_) => "map",
        Value::Record(_) => "record",
        Value::Date(_) => "date",
        Value::Decimal(_) => "decimal",
        Value::BigDecimal(_) => "big-decimal",
        Value::TimeMillis(_) => "time-millis",
        Value::TimeMicros(_) => "time-micros",
        Value::TimestampMillis(_) => "timestamp-millis",
        Value::TimestampMicros(_) => "timestamp-micros",
        Value::TimestampNanos(_) => "timestamp-nanos",
        Value::LocalTimestampMillis(_) => "local-timestamp-millis",
        Value::LocalTimestampMicros(_) => "local-timestamp-micros",
        Value::LocalTimestampNanos(_) => "local-timestamp-nanos",
        Value::Duration(_) => "duration",
        Value::Uuid(_) => "uuid",
    }
}

fn decimal_bytes(decimal: &Decimal) -> Result<Vec<u8>, EncodeError> {
    Vec::<u8>::try_from(decimal).map_err(|e| EncodeError::new(format!("invalid decimal: {e}")))
}

/// Sign-extends big-endian two's-complement `bytes` to `size` bytes.
fn sign_extend(bytes: &[u8], size: usize) -> Result<Vec<u8>, EncodeError> {
    let negative = bytes.first().is_some_and(|b| *b >= 0x80);
    let fill = if negative { 0xff } else { 0 };
    let significant = bytes
        .iter()
        .position(|&b| b != fill)
        .map_or(&bytes[bytes.len()..], |i| &bytes[i..]);
    // Keep one fill byte if the first significant byte has the wrong sign.
    let needs_sign = significant
        .first()
        .is_some_and(|b| (*b >= 0x80) != negative);
    let len = significant.len() + usize::from(needs_sign);
    if len > size {
        return Err(EncodeError::new(format!(
            "decimal does not fit in {size} bytes"
        )));
    }
    let mut out = vec![fill; size - significant.len()];
    out.extend_from_slice(significant);
    Ok(out)
}

fn from_value_at(
    program: &Program,
    id: NodeId,
    value: &Value,
    depth: usize,
) -> Result<Datum<'static>, EncodeError> {
    if depth > MAX_DEPTH {
        return Err(EncodeError::new(format!(
            "nesting deeper than {MAX_DEPTH} levels"
        )));
    }
    let node = program.node(id);
    Ok(match (&node.kind, value) {
        (Kind::Null, Value::Null) => Datum::Null,
        (Kind::Boolean, Value::Boolean(b)) => Datum::Boolean(*b),
        (Kind::Int, Value::Int(n) | Value::Date(n) | Value::TimeMillis(n)) => Datum::Int(*n),
        (Kind::Long, Value::Int(n)) => Datum::Long(i64::from(*n)),
        (
            Kind::Long,
            Value::Long(n)
            | Value::TimeMicros(n)
            | Value::TimestampMillis(n)
            | Value::TimestampMicros(n)
            | Value::TimestampNanos(n)
            | Value::LocalTimestampMillis(n)
            | Value::LocalTimestampMicros(n)
            | Value::LocalTimestampNanos(n),
        ) => Datum::Long(*n),
        (Kind::Float, Value::Float(x)) => Datum::Float(*x),
        (Kind::Double, Value::Double(x)) => Datum::Double(*x),
        (Kind::Double, Value::Float(x)) => Datum::Double(f64::from(*x)),
        (Kind::Bytes, Value::Bytes(b)) => Datum::Bytes(b.clone().into()),
        (Kind::Bytes, Value::Decimal(d)) => Datum::Bytes(decimal_bytes(d)?.into()),
        (Kind::Bytes, Value::Uuid(u)) => Datum::Bytes(u.as_bytes().to_vec().into()),
        (Kind::String, Value::String(s)) => Datum::String(s.clone().into()),
        (Kind::String, Value::Uuid(u)) => Datum::String(u.as_hyphenated().to_string().into()),
        (Kind::Fixed(size), Value::Fixed(_, b) | Value::Bytes(b)) => {
            if b.len() != *size {
                return Err(EncodeError::new(format!(
                    "expected {size} bytes for fixed {}, got {}",
                    program.type_name(id),
                    b.len()
                )));
            }
            Datum::Fixed(b.clone().into())
        }
        (Kind::Fixed(size), Value::Decimal(d)) => {
            Datum::Fixed(sign_extend(&decimal_bytes(d)?, *size)?.into())
        }
        (Kind::Fixed(16), Value::Uuid(u)) => Datum::Fixed(u.as_bytes().to_vec().into()),
        (Kind::Fixed(12), Value::Duration(d)) => Datum::Fixed(<[u8; 12]>::from(*d).to_vec().into()),
        (Kind::Enum { symbols, .. }, Value::Enum(_, s) | Value::String(s)) => {
            match symbols.iter().position(|symbol| symbol == s) {
                Some(i) => {
                    Datum::Enum(u32::try_from(i).map_err(|_| EncodeError::new("too many symbols"))?)
                }
                None => {
                    return Err(EncodeError::new(format!(
                        "{s:?} is not a symbol of enum {} ({})",
                        program.type_name(id),
                        symbols.join(", ")
                    )))
                }
            }
        }
        (Kind::Array(items), Value::Array(values)) => Datum::Array(
            values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    from_value_at(program, *items, v, depth + 1)
                        .map_err(|e| e.within(&i.to_string()))
                })
                .collect::<Result<_, _>>()?,
        ),
        (Kind::Map(values), Value::Map(entries)) => {
            let mut keys: Vec<&String> = entries.keys().collect();
            crate::compact_sort::sort(&mut keys);
            Datum::Map(
                keys.into_iter()
                    .map(|k| {
                        Ok((
                            k.clone().into(),
                            from_value_at(program, *values, &entries[k], depth + 1)
                                .map_err(|e| e.within(k))?,
                        ))
                    })
                    .collect::<Result<_, EncodeError>>()?,
            )
        }
        (Kind::Union(branches), Value::Union(index, inner)) => {
            match branches.get(*index as usize) {
                Some(&branch) => Datum::Union(
                    *index,
                    Box::new(from_value_at(program, branch, inner, depth + 1)?),
                ),
                None => {
                    return Err(EncodeError::new(format!(
                        "union branch {index} out of range: the union has {} branches",
                        branches.len()
                    )))
                }
            }
        }
        (Kind::Union(branches), other) => {
            for (i, &branch) in branches.iter().enumerate() {
                if let Ok(datum) = from_value_at(program, branch, other, depth + 1) {
                    return Ok(Datum::Union(
                        u32::try_from(i).map_err(|_| EncodeError::new("too many branches"))?,
                        Box::new(datum),
                    ));
                }
            }
            return Err(EncodeError::new(format!(
                "no branch of union takes a {}",
                value_kind(other)
            )));
        }
        (Kind::Record(fields), Value::Record(values)) => {
            let mut out = Vec::with_capacity(fields.len());
            for field in fields {
                let datum = match values.iter().find(|(name, _)| *name == field.name) {
                    Some((_, v)) => from_value_at(program, field.node, v, depth + 1)
                        .map_err(|e| e.within(&field.name))?,
                    None => match &field.default {
                        Some(default) => json::default_datum(program, field.node, default)
                            .map_err(|problem| {
                                EncodeError::new(format!("invalid default: {problem}"))
                                    .within(&field.name)
                            })?,
                        None => {
                            return Err(EncodeError::new("missing field with no default")
                                .within(&field.name))
                        }
                    },
                };
                out.push(datum);
            }
            if let Some((name, _)) = values
                .iter()
                .find(|(name, _)| !fields.iter().any(|f| f.name == *name))
            {
                return Err(EncodeError::new(format!(
                    "unknown field of record {}",
                    program.type_name(id)
                ))
                .within(name));
            }
            Datum::Record(out)
        }
        (_, value) => {
            return Err(EncodeError::new(format!(
                "expected {}, got {}",
                program.type_name(id),
                value_kind(value)
            )))
        }
    })
}
