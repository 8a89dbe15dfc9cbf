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
fn certain_failure<'a>(reads: &'a [Read], op: u32, visiting: &mut [bool]) -> Option<&'a ResolveError> {
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
                Kind::Enum {
                    symbols: ws, ..
                },
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
                None => self.error(ResolveErrorKind::NoMatchingBranch, self.found_expecting(w, r)),
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
            let position = rf
                .iter()
                .position(|f| f.name == field.name)
                .or_else(|| rf.iter().position(|f| f.aliases.contains(&field.name)));
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
        let mut next = 0_u32;
        let mut in_order = true;
        for position in fields
            .iter()
            .filter_map(|f| match f {
                ReadField::Read { position, .. } => Some(*position),
                ReadField::Skip(_) => None,
            })
            .chain(defaults.iter().map(|(p, _)| *p))
        {
            in_order &= position == next;
            next += 1;
        }
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
    fn union_equiv(&self, w: NodeId, r: NodeId, seen: &mut HashMap<(NodeId, NodeId), bool>) -> bool {
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
