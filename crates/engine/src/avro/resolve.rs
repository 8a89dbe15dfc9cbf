//! Schema resolution: how data written with one schema is read with
//! another, compiled once into the [`Read`] ops the decoder of
//! [`super::codec`] runs, so the data really goes through the resolution
//! (an old consumer reading new data sees the defaults, the promotions and
//! the skipped fields).
//!
//! The rules are the Avro 1.12 specification's "Schema Resolution" as
//! Java's `org.apache.avro.Resolver` implements them, which is what a Java
//! consumer does: `int` promotes to `long`, `float` and `double`, `long` to
//! `float` and `double`, `float` to `double`, `string` and `bytes` to each
//! other; record fields match by name (or by a reader field's alias),
//! whatever their order; writer-only fields are skipped; reader-only fields
//! take their default, and one without a default makes the pair
//! unresolvable (`MISSING_REQUIRED_FIELD`); an enum symbol the reader lacks
//! becomes the reader's enum default, or fails when read; a writer union
//! equivalent to the reader's maps branch to branch, otherwise each writer
//! branch resolves against the whole reader; a non-union writer read as a
//! union takes the reader's first branch of the same type (for named types,
//! the same full name first, then the first record whose fields resolve),
//! then the first it promotes to. Named types compare by their unqualified
//! names after the reader's aliases rename the writer's types (Java's
//! `Schema.applyAliases`). Where Java differs from the letter of the
//! specification we follow Java: records are not required to have equal
//! names.
//!
//! Errors are lazy as in Java: a mismatch becomes an error op that fails
//! only when data reaches it (inside an array, a union branch or for an enum
//! symbol, the data may never do); [`resolve`] refuses only pairs where
//! every datum would fail. The messages are Java's `ErrorAction` texts
//! (`Found int, expecting string`, `…, missing required field zip`, `No
//! match for RED`), with the JSON-pointer path of the reader's value.

use std::collections::HashMap;

use thiserror::Error;

use super::codec::{Datum, Kind, NodeId, Program, SchemaError, MAX_DEPTH};
use super::json;

/// One step of the resolving decoder.
#[derive(Debug, Clone)]
pub(crate) enum Read {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Fixed(usize),
    IntToLong,
    IntToFloat,
    IntToDouble,
    LongToFloat,
    LongToDouble,
    FloatToDouble,
    StringToBytes,
    BytesToString,
    /// The writer's enum has `symbols` symbols; `map` gives the reader's
    /// index for each (absent when they are the same).
    Enum {
        symbols: usize,
        map: Option<Vec<Result<u32, ResolveError>>>,
    },
    Array {
        items: u32,
        zero_size: bool,
    },
    Map {
        values: u32,
    },
    /// A writer's union.
    Union {
        branches: Vec<ReadBranch>,
    },
    /// A non-union writer read as branch `index` of the reader's union.
    ReaderUnion {
        index: u32,
        read: u32,
    },
    /// A record: the writer's fields in order, then the reader-only fields
    /// from their defaults; `in_order` when the values come out in the
    /// reader's field order.
    Record {
        fields: Vec<ReadField>,
        in_order: bool,
        reader_fields: usize,
        defaults: Vec<(u32, Datum<'static>)>,
    },
    /// A mismatch the data has reached.
    Error(ResolveError),
}

/// How one branch of a writer's union is read.
#[derive(Debug, Clone)]
pub(crate) enum ReadBranch {
    /// Into branch `index` of an equivalent reader union.
    Wrapped { index: u32, read: u32 },
    /// Against the whole reader schema.
    Unwrapped(u32),
}

/// One writer field.
#[derive(Debug, Clone)]
pub(crate) enum ReadField {
    /// Read into the reader's field at `position`.
    Read { position: u32, read: u32 },
    /// Not in the reader: skipped (a writer node).
    Skip(NodeId),
}

/// Why data of a writer's schema cannot be read with a reader's (Java's
/// `Resolver.ErrorAction` types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveErrorKind {
    /// The types neither match nor promote.
    IncompatibleSchemaTypes,
    /// Two enums or fixed types have different names.
    NamesDontMatch,
    /// Two fixed types have different sizes.
    SizesDontMatch,
    /// A reader field is missing in the writer and has no default.
    MissingRequiredField,
    /// No branch of the reader's union matches the writer.
    NoMatchingBranch,
    /// A writer enum symbol the reader has not, with no reader default.
    NoEnumMatch,
    /// A reader field's default does not fit its type.
    InvalidDefault,
}

/// A resolution mismatch, with the JSON-pointer path of the reader's value
/// it is about.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}: {message}", if path.is_empty() { "/" } else { path })]
pub struct ResolveError {
    /// Where, as a JSON pointer into the reader's datum; empty for the root.
    pub path: String,
    /// Which mismatch.
    pub kind: ResolveErrorKind,
    /// Java's text for it.
    pub message: String,
}

/// Compiles the resolution of `writer` against `reader`: the ops and the
/// root op's id.
///
/// # Errors
///
/// [`SchemaError::Resolve`] when every datum would fail to resolve, and
/// [`SchemaError::TooDeep`].
pub(crate) fn resolve(writer: &Program, reader: &Program) -> Result<(Vec<Read>, u32), SchemaError> {
    let mut aliases = HashMap::new();
    for node in &reader.nodes {
        if let Some(name) = &node.name {
            for alias in &node.aliases {
                aliases.entry(alias.clone()).or_insert_with(|| name.clone());
            }
        }
    }
    let mut resolver = Resolver {
        w: writer,
        r: reader,
        reads: Vec::new(),
        memo: HashMap::new(),
        aliases,
        path: String::new(),
    };
    let root = resolver.resolve(writer.root, reader.root, 0)?;
    let mut visiting = vec![false; resolver.reads.len()];
    if let Some(error) = certain_failure(&resolver.reads, root, &mut visiting) {
        return Err(SchemaError::Resolve(error.clone()));
    }
    Ok((resolver.reads, root))
}

/// The error every datum read through `op` meets, if there is one.
fn certain_failure<'a>(
    reads: &'a [Read],
    op: u32,
    visiting: &mut [bool],
) -> Option<&'a ResolveError> {
    let i = op as usize;
    if visiting.get(i).copied().unwrap_or(true) {
        return None;
    }
    visiting[i] = true;
    let found = match reads.get(i)? {
        Read::Error(error) => Some(error),
        Read::ReaderUnion { read, .. } => certain_failure(reads, *read, visiting),
        Read::Record { fields, .. } => fields.iter().find_map(|field| match field {
            ReadField::Read { read, .. } => certain_failure(reads, *read, visiting),
            ReadField::Skip(_) => None,
        }),
        _ => None,
    };
    visiting[i] = false;
    found
}

struct Resolver<'p> {
    w: &'p Program,
    r: &'p Program,
    reads: Vec<Read>,
    memo: HashMap<(NodeId, NodeId), u32>,
    /// Reader aliases: a writer's full name to the reader's full name.
    aliases: HashMap<String, String>,
    /// The reader path being resolved, as a JSON pointer.
    path: String,
}

fn unqualified(full: &str) -> &str {
    full.rsplit('.').next().unwrap_or(full)
}

impl Resolver<'_> {
    fn push(&mut self, read: Read) -> Result<u32, SchemaError> {
        let id = u32::try_from(self.reads.len()).map_err(|_| SchemaError::TooLarge)?;
        self.reads.push(read);
        Ok(id)
    }

    fn error(&self, kind: ResolveErrorKind, message: String) -> Read {
        Read::Error(ResolveError {
            path: self.path.clone(),
            kind,
            message,
        })
    }

    /// Java's `Found {writer}, expecting {reader}`.
    fn found_expecting(&self, w: NodeId, r: NodeId) -> String {
        format!(
            "Found {}, expecting {}",
            self.writer_name(w).unwrap_or_else(|| self.w.type_name(w)),
            self.r.type_name(r)
        )
    }

    /// The writer node's full name after the reader's aliases.
    fn writer_name(&self, w: NodeId) -> Option<&str> {
        let name = self.w.node(w).name.as_deref()?;
        Some(self.aliases.get(name).map_or(name, String::as_str))
    }

    /// Java's `getName()` comparison: unqualified names after aliasing.
    fn short_names_match(&self, w: NodeId, r: NodeId) -> bool {
        match (self.writer_name(w), self.r.node(r).name.as_deref()) {
            (None, _) => true,
            (Some(wn), Some(rn)) => unqualified(wn) == unqualified(rn),
            (Some(_), None) => false,
        }
    }

    fn resolve(&mut self, w: NodeId, r: NodeId, depth: usize) -> Result<u32, SchemaError> {
        if depth > 2 * MAX_DEPTH {
            return Err(SchemaError::TooDeep);
        }
        if let Some(&id) = self.memo.get(&(w, r)) {
            return Ok(id);
        }
        let id = self.push(Read::Null)?;
        self.memo.insert((w, r), id);
        let read = self.action(w, r, depth)?;
        self.reads[id as usize] = read;
        Ok(id)
    }

    fn action(&mut self, w: NodeId, r: NodeId, depth: usize) -> Result<Read, SchemaError> {
        let (wp, rp) = (self.w, self.r);
        let (wk, rk) = (&wp.node(w).kind, &rp.node(r).kind);
        if let Kind::Union(wb) = wk {
            let equivalent = self.union_equiv(w, r, &mut HashMap::new());
            let mut branches = Vec::with_capacity(wb.len());
            match (equivalent, rk) {
                (true, Kind::Union(rb)) => {
                    for (i, (&wb, &rb)) in wb.iter().zip(rb).enumerate() {
                        let index = u32::try_from(i).map_err(|_| SchemaError::TooLarge)?;
                        let read = self.resolve(wb, rb, depth + 1)?;
                        branches.push(ReadBranch::Wrapped { index, read });
                    }
                }
                _ => {
                    for &wb in wb {
                        branches.push(ReadBranch::Unwrapped(self.resolve(wb, r, depth + 1)?));
                    }
                }
            }
            return Ok(Read::Union { branches });
        }
        Ok(match (wk, rk) {
            (Kind::Null, Kind::Null) => Read::Null,
            (Kind::Boolean, Kind::Boolean) => Read::Boolean,
            (Kind::Int, Kind::Int) => Read::Int,
            (Kind::Long, Kind::Long) => Read::Long,
            (Kind::Float, Kind::Float) => Read::Float,
            (Kind::Double, Kind::Double) => Read::Double,
            (Kind::Bytes, Kind::Bytes) => Read::Bytes,
            (Kind::String, Kind::String) => Read::String,
            (Kind::Fixed(ws), Kind::Fixed(rs)) => {
                if !self.short_names_match(w, r) {
                    self.error(ResolveErrorKind::NamesDontMatch, self.found_expecting(w, r))
                } else if ws != rs {
                    self.error(ResolveErrorKind::SizesDontMatch, self.found_expecting(w, r))
                } else {
                    Read::Fixed(*ws)
                }
            }
            (Kind::Array(wi), Kind::Array(ri)) => {
                let before = self.path.len();
                self.path.push_str("/*");
                let items = self.resolve(*wi, *ri, depth + 1);
                self.path.truncate(before);
                Read::Array {
                    items: items?,
                    zero_size: wp.node(*wi).zero_size,
                }
            }
            (Kind::Map(wv), Kind::Map(rv)) => {
                let before = self.path.len();
                self.path.push_str("/*");
                let values = self.resolve(*wv, *rv, depth + 1);
                self.path.truncate(before);
                Read::Map { values: values? }
            }
            (
                Kind::Enum { symbols: ws, .. },
                Kind::Enum {
                    symbols: rs,
                    default,
                },
            ) => {
                if !self.short_names_match(w, r) {
                    self.error(ResolveErrorKind::NamesDontMatch, self.found_expecting(w, r))
                } else {
                    let map: Vec<Result<u32, ResolveError>> = ws
                        .iter()
                        .map(|symbol| {
                            rs.iter()
                                .position(|s| s == symbol)
                                .and_then(|i| u32::try_from(i).ok())
                                .or(*default)
                                .ok_or_else(|| ResolveError {
                                    path: self.path.clone(),
                                    kind: ResolveErrorKind::NoEnumMatch,
                                    message: format!("No match for {symbol}"),
                                })
                        })
                        .collect();
                    let identity = map
                        .iter()
                        .enumerate()
                        .all(|(i, m)| matches!(m, Ok(j) if *j as usize == i));
                    Read::Enum {
                        symbols: ws.len(),
                        map: (!identity).then_some(map),
                    }
                }
            }
            (Kind::Record(_), Kind::Record(_)) => self.record(w, r, depth)?,
            (_, Kind::Union(rb)) => match self.first_matching_branch(w, rb, depth)? {
                Some(i) => {
                    let index = u32::try_from(i).map_err(|_| SchemaError::TooLarge)?;
                    let read = self.resolve(w, rb[i], depth + 1)?;
                    Read::ReaderUnion { index, read }
                }
                None => self.error(
                    ResolveErrorKind::NoMatchingBranch,
                    self.found_expecting(w, r),
                ),
            },
            (Kind::Int, Kind::Long) => Read::IntToLong,
            (Kind::Int, Kind::Float) => Read::IntToFloat,
            (Kind::Int, Kind::Double) => Read::IntToDouble,
            (Kind::Long, Kind::Float) => Read::LongToFloat,
            (Kind::Long, Kind::Double) => Read::LongToDouble,
            (Kind::Float, Kind::Double) => Read::FloatToDouble,
            (Kind::String, Kind::Bytes) => Read::StringToBytes,
            (Kind::Bytes, Kind::String) => Read::BytesToString,
            _ => self.error(
                ResolveErrorKind::IncompatibleSchemaTypes,
                self.found_expecting(w, r),
            ),
        })
    }

    fn record(&mut self, w: NodeId, r: NodeId, depth: usize) -> Result<Read, SchemaError> {
        let (wp, rp) = (self.w, self.r);
        let (Kind::Record(wf), Kind::Record(rf)) = (&wp.node(w).kind, &rp.node(r).kind) else {
            return Ok(self.error(
                ResolveErrorKind::IncompatibleSchemaTypes,
                self.found_expecting(w, r),
            ));
        };
        let mut matched = vec![false; rf.len()];
        let mut fields = Vec::with_capacity(wf.len());
        for field in wf {
            // Java's `Schema.applyAliases` first renames the writer field to
            // the reader field that has its name as an alias (the last such
            // field), then matches by name.
            let position = rf
                .iter()
                .rposition(|f| f.aliases.contains(&field.name))
                .or_else(|| rf.iter().position(|f| f.name == field.name));
            match position {
                Some(p) => {
                    matched[p] = true;
                    let before = self.path.len();
                    self.path.push('/');
                    super::codec::push_pointer_segment(&mut self.path, &rf[p].name);
                    let read = self.resolve(field.node, rf[p].node, depth + 1);
                    self.path.truncate(before);
                    fields.push(ReadField::Read {
                        position: u32::try_from(p).map_err(|_| SchemaError::TooLarge)?,
                        read: read?,
                    });
                }
                None => fields.push(ReadField::Skip(field.node)),
            }
        }
        let mut defaults = Vec::new();
        for (p, field) in rf.iter().enumerate() {
            if matched[p] {
                continue;
            }
            let Some(default) = &field.default else {
                return Ok(self.error(
                    ResolveErrorKind::MissingRequiredField,
                    format!(
                        "{}, missing required field {}",
                        self.found_expecting(w, r),
                        field.name
                    ),
                ));
            };
            match json::default_datum(rp, field.node, default) {
                Ok(datum) => {
                    defaults.push((u32::try_from(p).map_err(|_| SchemaError::TooLarge)?, datum));
                }
                Err(problem) => {
                    let mut path = self.path.clone();
                    path.push('/');
                    super::codec::push_pointer_segment(&mut path, &field.name);
                    return Ok(Read::Error(ResolveError {
                        path,
                        kind: ResolveErrorKind::InvalidDefault,
                        message: format!("Invalid default for field {}: {problem}", field.name),
                    }));
                }
            }
        }
        let in_order = fields
            .iter()
            .filter_map(|f| match f {
                ReadField::Read { position, .. } => Some(*position),
                ReadField::Skip(_) => None,
            })
            .chain(defaults.iter().map(|(p, _)| *p))
            .zip(0_u32..)
            .all(|(position, next)| position == next);
        Ok(Read::Record {
            fields,
            in_order,
            reader_fields: rf.len(),
            defaults,
        })
    }

    /// Java's `ReaderUnion.firstMatchingBranch`.
    fn first_matching_branch(
        &mut self,
        w: NodeId,
        branches: &[NodeId],
        depth: usize,
    ) -> Result<Option<usize>, SchemaError> {
        let (wp, rp) = (self.w, self.r);
        let wk = &wp.node(w).kind;
        let mut structure_match = None;
        for (j, &b) in branches.iter().enumerate() {
            let bk = &rp.node(b).kind;
            if std::mem::discriminant(wk) != std::mem::discriminant(bk) {
                continue;
            }
            match wk {
                Kind::Record(_) | Kind::Enum { .. } | Kind::Fixed(_) => {
                    let wn = self.writer_name(w).map(str::to_owned);
                    let wn = wn.as_deref();
                    let bn = rp.node(b).name.as_deref();
                    if wn.is_some() && wn == bn {
                        return Ok(Some(j));
                    }
                    if matches!(wk, Kind::Record(_)) {
                        let trial = self.resolve(w, b, depth + 1)?;
                        if !self.has_match_error(trial) {
                            let short_equal = match (wn, bn) {
                                (Some(wn), Some(bn)) => unqualified(wn) == unqualified(bn),
                                _ => false,
                            };
                            if structure_match.is_none() || short_equal {
                                structure_match = Some(j);
                            }
                        }
                    }
                }
                _ => return Ok(Some(j)),
            }
        }
        if structure_match.is_some() {
            return Ok(structure_match);
        }
        Ok(branches.iter().position(|&b| {
            matches!(
                (wk, &rp.node(b).kind),
                (Kind::Int, Kind::Long | Kind::Float | Kind::Double)
                    | (Kind::Long, Kind::Float | Kind::Double)
                    | (Kind::Float, Kind::Double)
                    | (Kind::String, Kind::Bytes)
                    | (Kind::Bytes, Kind::String)
            )
        }))
    }

    /// Java's `hasMatchError`: the record action or one of its field
    /// actions is an error.
    fn has_match_error(&self, op: u32) -> bool {
        match self.reads.get(op as usize) {
            Some(Read::Error(_)) => true,
            Some(Read::Record { fields, .. }) => fields.iter().any(|field| {
                matches!(field, ReadField::Read { read, .. }
                    if matches!(self.reads.get(*read as usize), Some(Read::Error(_))))
            }),
            _ => false,
        }
    }

    /// Java's `unionEquiv`.
    fn union_equiv(
        &self,
        w: NodeId,
        r: NodeId,
        seen: &mut HashMap<(NodeId, NodeId), bool>,
    ) -> bool {
        let (wk, rk) = (&self.w.node(w).kind, &self.r.node(r).kind);
        if std::mem::discriminant(wk) != std::mem::discriminant(rk) {
            return false;
        }
        if matches!(wk, Kind::Record(_) | Kind::Fixed(_) | Kind::Enum { .. })
            && !self.short_names_match(w, r)
        {
            return false;
        }
        match (wk, rk) {
            (Kind::Array(a), Kind::Array(b)) | (Kind::Map(a), Kind::Map(b)) => {
                self.union_equiv(*a, *b, seen)
            }
            (Kind::Fixed(a), Kind::Fixed(b)) => a == b,
            (Kind::Enum { symbols: a, .. }, Kind::Enum { symbols: b, .. }) => a == b,
            (Kind::Union(a), Kind::Union(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(&a, &b)| self.union_equiv(a, b, seen))
            }
            (Kind::Record(a), Kind::Record(b)) => {
                if let Some(&known) = seen.get(&(w, r)) {
                    return known;
                }
                seen.insert((w, r), true);
                let equal = a.len() == b.len()
                    && a.iter().zip(b).all(|(fa, fb)| {
                        fa.name == fb.name && self.union_equiv(fa.node, fb.node, seen)
                    });
                seen.insert((w, r), equal);
                equal
            }
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avro::codec::{Codec, DecodeError};
    use apache_avro::Schema;

    fn parse(json: &str) -> Schema {
        crate::avro::parse::parse_schema(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    /// Encodes `datum` with `writer`, decodes it with `reader`.
    fn read_as(
        writer: &str,
        reader: &str,
        datum: &Datum<'_>,
    ) -> Result<Datum<'static>, DecodeError> {
        let codec = Codec::resolving(&parse(writer), &parse(reader)).expect("resolvable");
        let bytes = codec.encode_to_vec(datum).expect("encode");
        codec.decode_slice(&bytes).map(Datum::into_owned)
    }

    fn unresolvable(writer: &str, reader: &str) -> ResolveError {
        match Codec::resolving(&parse(writer), &parse(reader)) {
            Err(SchemaError::Resolve(error)) => error,
            other => panic!("expected a resolution error, got {other:?}"),
        }
    }

    #[test]
    fn promotions_of_the_spec() {
        let i = Datum::Int(-7);
        assert_eq!(read_as(r#""int""#, r#""long""#, &i), Ok(Datum::Long(-7)));
        assert_eq!(
            read_as(r#""int""#, r#""float""#, &i),
            Ok(Datum::Float(-7.0))
        );
        assert_eq!(
            read_as(r#""int""#, r#""double""#, &i),
            Ok(Datum::Double(-7.0))
        );
        let l = Datum::Long(1 << 40);
        assert_eq!(
            read_as(r#""long""#, r#""float""#, &l),
            Ok(Datum::Float((1_u64 << 40) as f32))
        );
        assert_eq!(
            read_as(r#""long""#, r#""double""#, &l),
            Ok(Datum::Double((1_u64 << 40) as f64))
        );
        assert_eq!(
            read_as(r#""float""#, r#""double""#, &Datum::Float(0.5)),
            Ok(Datum::Double(0.5))
        );
        assert_eq!(
            read_as(r#""string""#, r#""bytes""#, &Datum::String("hé".into())),
            Ok(Datum::Bytes("hé".as_bytes().to_vec().into()))
        );
        assert_eq!(
            read_as(
                r#""bytes""#,
                r#""string""#,
                &Datum::Bytes(b"ok".to_vec().into())
            ),
            Ok(Datum::String("ok".into()))
        );
        // No demotion.
        let error = unresolvable(r#""long""#, r#""int""#);
        assert_eq!(error.kind, ResolveErrorKind::IncompatibleSchemaTypes);
        assert_eq!(error.to_string(), "/: Found long, expecting int");
        assert_eq!(
            unresolvable(r#""double""#, r#""float""#).message,
            "Found double, expecting float"
        );
    }

    const WRITER: &str = r#"{"type":"record","name":"User","namespace":"acme","fields":[
        {"name":"id","type":"int"},
        {"name":"tags","type":{"type":"array","items":"string"}},
        {"name":"name","type":"string"},
        {"name":"extra","type":{"type":"map","values":["null",{"type":"record","name":"X","fields":[{"name":"x","type":"long"}]}]}},
        {"name":"color","type":{"type":"enum","name":"Color","symbols":["RED","GREEN","BLUE"]}}]}"#;

    fn writer_datum(color: u32) -> Datum<'static> {
        Datum::Record(vec![
            Datum::Int(42),
            Datum::Array(vec![Datum::String("a".into()), Datum::String("b".into())]),
            Datum::String("Ada".into()),
            Datum::Map(vec![
                (
                    "k".into(),
                    Datum::Union(1, Box::new(Datum::Record(vec![Datum::Long(9)]))),
                ),
                ("n".into(), Datum::Union(0, Box::new(Datum::Null))),
            ]),
            Datum::Enum(color),
        ])
    }

    #[test]
    fn records_reorder_skip_and_default() {
        let reader = r#"{"type":"record","name":"User","namespace":"acme","fields":[
            {"name":"name","type":"string"},
            {"name":"email","type":["null","string"],"default":null},
            {"name":"id","type":"long"},
            {"name":"color","type":{"type":"enum","name":"Color","symbols":["BLUE","RED"],"default":"RED"}},
            {"name":"score","type":"double","default":1.5},
            {"name":"bin","type":"bytes","default":"\u00ff\u0001"}]}"#;
        assert_eq!(
            read_as(WRITER, reader, &writer_datum(2)),
            Ok(Datum::Record(vec![
                Datum::String("Ada".into()),
                Datum::Union(0, Box::new(Datum::Null)),
                Datum::Long(42),
                Datum::Enum(0),
                Datum::Double(1.5),
                Datum::Bytes(vec![0xff, 0x01].into()),
            ]))
        );
        // GREEN is not in the reader's enum: its default RED.
        let Ok(Datum::Record(fields)) = read_as(WRITER, reader, &writer_datum(1)) else {
            panic!("decodes")
        };
        assert_eq!(fields[3], Datum::Enum(1));
    }

    #[test]
    fn enum_symbol_without_default_fails_only_when_read() {
        let reader = r#"{"type":"record","name":"User","namespace":"acme","fields":[
            {"name":"color","type":{"type":"enum","name":"Color","symbols":["RED","BLUE"]}}]}"#;
        assert_eq!(
            read_as(WRITER, reader, &writer_datum(0)),
            Ok(Datum::Record(vec![Datum::Enum(0)]))
        );
        match read_as(WRITER, reader, &writer_datum(1)) {
            Err(DecodeError::Resolution { error, .. }) => {
                assert_eq!(error.kind, ResolveErrorKind::NoEnumMatch);
                assert_eq!(error.to_string(), "/color: No match for GREEN");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_field_without_default_is_unresolvable() {
        let reader = r#"{"type":"record","name":"User","namespace":"acme","fields":[
            {"name":"id","type":"int"},{"name":"zip","type":"string"}]}"#;
        let error = unresolvable(WRITER, reader);
        assert_eq!(error.kind, ResolveErrorKind::MissingRequiredField);
        assert_eq!(
            error.message,
            "Found acme.User, expecting acme.User, missing required field zip"
        );
        // Nested: the path says where.
        let writer = r#"{"type":"record","name":"R","fields":[{"name":"a","type":
            {"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}}]}"#;
        let reader = r#"{"type":"record","name":"R","fields":[{"name":"a","type":
            {"type":"record","name":"A","fields":[{"name":"x","type":"string"}]}}]}"#;
        assert_eq!(
            unresolvable(writer, reader).to_string(),
            "/a/x: Found int, expecting string"
        );
    }

    #[test]
    fn unions_on_either_side() {
        // Writer not a union, reader a union: first branch of the same type,
        // else the first it promotes to.
        assert_eq!(
            read_as(
                r#""int""#,
                r#"["null","string","int","long"]"#,
                &Datum::Int(3)
            ),
            Ok(Datum::Union(2, Box::new(Datum::Int(3))))
        );
        assert_eq!(
            read_as(r#""int""#, r#"["null","double","long"]"#, &Datum::Int(3)),
            Ok(Datum::Union(1, Box::new(Datum::Double(3.0))))
        );
        assert_eq!(
            unresolvable(r#""int""#, r#"["null","string"]"#).kind,
            ResolveErrorKind::NoMatchingBranch
        );
        // A record finds its branch by full name first, then by structure.
        let a = r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}"#;
        let reader = r#"["null",{"type":"record","name":"B","fields":[{"name":"y","type":"int"}]},{"type":"record","name":"C","fields":[{"name":"x","type":"long"}]}]"#;
        assert_eq!(
            read_as(a, reader, &Datum::Record(vec![Datum::Int(1)])),
            Ok(Datum::Union(
                2,
                Box::new(Datum::Record(vec![Datum::Long(1)]))
            ))
        );
        // Writer a union, reader not: each branch resolves; a branch that
        // cannot fails only when the data takes it.
        let codec =
            Codec::resolving(&parse(r#"["int","string"]"#), &parse(r#""long""#)).expect("lazy");
        let int = codec
            .encode_to_vec(&Datum::Union(0, Box::new(Datum::Int(5))))
            .expect("encode");
        assert_eq!(codec.decode_slice(&int), Ok(Datum::Long(5)));
        let string = codec
            .encode_to_vec(&Datum::Union(1, Box::new(Datum::String("x".into()))))
            .expect("encode");
        assert!(matches!(
            codec.decode_slice(&string),
            Err(DecodeError::Resolution { offset: 1, error }) if error.message == "Found string, expecting long"
        ));
        // Different unions: each writer branch against the whole reader union.
        assert_eq!(
            read_as(
                r#"["null","int"]"#,
                r#"["string","long","null"]"#,
                &Datum::Union(1, Box::new(Datum::Int(4)))
            ),
            Ok(Datum::Union(1, Box::new(Datum::Long(4))))
        );
        assert_eq!(
            read_as(
                r#"["null","int"]"#,
                r#"["string","long","null"]"#,
                &Datum::Union(0, Box::new(Datum::Null))
            ),
            Ok(Datum::Union(2, Box::new(Datum::Null)))
        );
    }

    #[test]
    fn aliases_rename_types_and_fields() {
        let writer = r#"{"type":"record","name":"old.Person","fields":[
            {"name":"fullname","type":"string"},
            {"name":"kind","type":{"type":"enum","name":"old.Kind","symbols":["A"]}}]}"#;
        let reader = r#"{"type":"record","name":"new.Human","aliases":["old.Person"],"fields":[
            {"name":"name","aliases":["fullname"],"type":"string"},
            {"name":"kind","type":{"type":"enum","name":"new.Sort","aliases":["old.Kind"],"symbols":["A"]}}]}"#;
        assert_eq!(
            read_as(
                writer,
                reader,
                &Datum::Record(vec![Datum::String("Ada".into()), Datum::Enum(0)])
            ),
            Ok(Datum::Record(vec![
                Datum::String("Ada".into()),
                Datum::Enum(0)
            ]))
        );
        // Without the alias the enum names do not match.
        let reader = r#"{"type":"record","name":"new.Human","fields":[
            {"name":"kind","type":{"type":"enum","name":"new.Sort","symbols":["A"]}}]}"#;
        let error = unresolvable(writer, reader);
        assert_eq!(error.kind, ResolveErrorKind::NamesDontMatch);
        assert_eq!(
            error.to_string(),
            "/kind: Found old.Kind, expecting new.Sort"
        );
        // Fixed: unqualified names compare, then sizes.
        let error = unresolvable(
            r#"{"type":"fixed","name":"a.F","size":4}"#,
            r#"{"type":"fixed","name":"b.F","size":8}"#,
        );
        assert_eq!(error.kind, ResolveErrorKind::SizesDontMatch);
    }

    #[test]
    fn recursive_types_resolve() {
        let writer = r#"{"type":"record","name":"L","fields":[
            {"name":"v","type":"int"},{"name":"next","type":["null","L"]}]}"#;
        let reader = r#"{"type":"record","name":"L","fields":[
            {"name":"next","type":["null","L"]},{"name":"v","type":"long"},
            {"name":"label","type":"string","default":"none"}]}"#;
        let tail = Datum::Record(vec![Datum::Int(2), Datum::Union(0, Box::new(Datum::Null))]);
        let list = Datum::Record(vec![Datum::Int(1), Datum::Union(1, Box::new(tail))]);
        let expected_tail = Datum::Record(vec![
            Datum::Union(0, Box::new(Datum::Null)),
            Datum::Long(2),
            Datum::String("none".into()),
        ]);
        assert_eq!(
            read_as(writer, reader, &list),
            Ok(Datum::Record(vec![
                Datum::Union(1, Box::new(expected_tail)),
                Datum::Long(1),
                Datum::String("none".into()),
            ]))
        );
    }

    #[test]
    fn invalid_default_is_reported() {
        let writer = r#"{"type":"record","name":"R","fields":[]}"#;
        let reader =
            r#"{"type":"record","name":"R","fields":[{"name":"n","type":"int","default":"x"}]}"#;
        // apache-avro may refuse the schema itself; if it parses, resolution refuses it.
        if let Ok(reader) = Schema::parse_str(reader) {
            match Codec::resolving(&parse(writer), &reader) {
                Err(SchemaError::Resolve(error)) => {
                    assert_eq!(error.kind, ResolveErrorKind::InvalidDefault);
                    assert_eq!(error.path, "/n");
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
