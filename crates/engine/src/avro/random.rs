//! Random Avro schemas and data from the engine's seeded [`Rng`]: the same
//! seed gives the same schemas and data. The property tests and the
//! cross-implementation tests against fastavro use them, and the UI may use
//! [`random_datum`] to fill a producer form with an example.
//!
//! Schemas cover every type and logical type, named types (with and
//! without namespaces, referenced again by name) and recursion through a
//! `["null", Self]` field. Union branches are chosen so that another
//! implementation can tell them apart by the value alone (at most one
//! number type, one of string and enum, one of bytes and fixed, one of map
//! and record, one array), which is what Python's fastavro needs to pick
//! the same branch when it writes.

use std::fmt::Write as _;

use super::codec::{Datum, Kind, Logical, NodeId, Program};
use crate::rng::Rng;

/// A random schema, as JSON text, nesting at most `max_depth` levels.
#[must_use]
pub fn random_schema(rng: &mut Rng, max_depth: u32) -> String {
    let mut generator = SchemaGenerator {
        rng,
        next_name: 0,
        defined: Vec::new(),
        open_records: Vec::new(),
    };
    // The root is a record most of the time, as on a Kafka topic.
    if generator.rng.below(4) > 0 {
        generator.record(max_depth)
    } else {
        generator.schema(max_depth, false)
    }
}

/// Which group of values a union branch falls in (no two branches of one
/// union share a group).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Null,
    Boolean,
    Number,
    Text,
    Binary,
    Object,
    List,
}

struct SchemaGenerator<'r> {
    rng: &'r mut Rng,
    next_name: u32,
    /// Named types defined so far: full name and group.
    defined: Vec<(String, Group)>,
    /// Records being defined (recursion targets).
    open_records: Vec<String>,
}

impl SchemaGenerator<'_> {
    fn name(&mut self) -> (String, String) {
        self.next_name += 1;
        let short = format!("T{}", self.next_name);
        // Always a namespace, so that references by full name resolve
        // wherever they are (a bare name would take the enclosing one).
        let namespace = format!(r#","namespace":"ns{}.sub""#, self.rng.below(3));
        (short, namespace)
    }

    fn full_name(short: &str, namespace: &str) -> String {
        match namespace.split('"').nth(3) {
            Some(ns) => format!("{ns}.{short}"),
            None => short.to_owned(),
        }
    }

    /// A schema of any type; `in_union` leaves unions out.
    fn schema(&mut self, depth: u32, in_union: bool) -> String {
        let leaf = depth == 0;
        let choice = self.rng.below(if leaf { 12 } else { 17 });
        match choice {
            0 => r#""null""#.to_owned(),
            1 => r#""boolean""#.to_owned(),
            2 => r#""int""#.to_owned(),
            3 => r#""long""#.to_owned(),
            4 => r#""float""#.to_owned(),
            5 => r#""double""#.to_owned(),
            6 => r#""bytes""#.to_owned(),
            7 => r#""string""#.to_owned(),
            8 => self.logical(),
            9 => self.enumeration(),
            10 => self.fixed(),
            11 => match self.defined.len() {
                0 => r#""string""#.to_owned(),
                n => {
                    let i = self.rng.below(u32::try_from(n).unwrap_or(u32::MAX)) as usize;
                    format!("{:?}", self.defined[i].0)
                }
            },
            12 => format!(
                r#"{{"type":"array","items":{}}}"#,
                self.schema(depth - 1, false)
            ),
            13 => format!(
                r#"{{"type":"map","values":{}}}"#,
                self.schema(depth - 1, false)
            ),
            14 | 15 if !in_union => self.union(depth - 1),
            _ => self.record(depth - 1),
        }
    }

    fn logical(&mut self) -> String {
        match self.rng.below(13) {
            0 => r#"{"type":"int","logicalType":"date"}"#.to_owned(),
            1 => r#"{"type":"int","logicalType":"time-millis"}"#.to_owned(),
            2 => r#"{"type":"long","logicalType":"time-micros"}"#.to_owned(),
            3 => r#"{"type":"long","logicalType":"timestamp-millis"}"#.to_owned(),
            4 => r#"{"type":"long","logicalType":"timestamp-micros"}"#.to_owned(),
            5 => r#"{"type":"long","logicalType":"timestamp-nanos"}"#.to_owned(),
            6 => r#"{"type":"long","logicalType":"local-timestamp-millis"}"#.to_owned(),
            7 => r#"{"type":"long","logicalType":"local-timestamp-micros"}"#.to_owned(),
            8 => r#"{"type":"long","logicalType":"local-timestamp-nanos"}"#.to_owned(),
            9 => r#"{"type":"string","logicalType":"uuid"}"#.to_owned(),
            10 => r#"{"type":"bytes","logicalType":"decimal","precision":12,"scale":3}"#.to_owned(),
            11 => {
                let (short, namespace) = self.name();
                self.defined
                    .push((Self::full_name(&short, &namespace), Group::Binary));
                format!(
                    r#"{{"type":"fixed","name":"{short}"{namespace},"size":6,"logicalType":"decimal","precision":10,"scale":2}}"#
                )
            }
            _ => {
                let (short, namespace) = self.name();
                self.defined
                    .push((Self::full_name(&short, &namespace), Group::Binary));
                format!(
                    r#"{{"type":"fixed","name":"{short}"{namespace},"size":12,"logicalType":"duration"}}"#
                )
            }
        }
    }

    fn enumeration(&mut self) -> String {
        let (short, namespace) = self.name();
        self.defined
            .push((Self::full_name(&short, &namespace), Group::Text));
        let count = 1 + self.rng.below(4);
        let symbols: Vec<String> = (0..count).map(|i| format!(r#""S{i}""#)).collect();
        let default = if self.rng.below(2) == 0 {
            r#","default":"S0""#
        } else {
            ""
        };
        format!(
            r#"{{"type":"enum","name":"{short}"{namespace},"symbols":[{}]{default}}}"#,
            symbols.join(",")
        )
    }

    fn fixed(&mut self) -> String {
        let (short, namespace) = self.name();
        self.defined
            .push((Self::full_name(&short, &namespace), Group::Binary));
        let size = self.rng.below(5);
        format!(r#"{{"type":"fixed","name":"{short}"{namespace},"size":{size}}}"#)
    }

    fn record(&mut self, depth: u32) -> String {
        let (short, namespace) = self.name();
        let full = Self::full_name(&short, &namespace);
        self.open_records.push(full.clone());
        let count = self.rng.below(5);
        let mut fields = Vec::new();
        for i in 0..count {
            let schema = if depth > 0 && self.rng.below(8) == 0 {
                // Recursion through a nullable field.
                format!(r#"["null",{full:?}]"#)
            } else {
                self.schema(depth, false)
            };
            fields.push(format!(r#"{{"name":"f{i}","type":{schema}}}"#));
        }
        self.open_records.pop();
        self.defined.push((full, Group::Object));
        format!(
            r#"{{"type":"record","name":"{short}"{namespace},"fields":[{}]}}"#,
            fields.join(",")
        )
    }

    fn union(&mut self, depth: u32) -> String {
        let count = 1 + self.rng.below(4);
        let mut groups: Vec<Group> = Vec::new();
        let mut branches = Vec::new();
        for _ in 0..count * 3 {
            if branches.len() as u32 == count {
                break;
            }
            let before = self.defined.len();
            let branch = self.schema(depth, true);
            let Some(group) = self.group_of(&branch, before) else {
                continue;
            };
            if groups.contains(&group) {
                // Keep the names it defined out of later references.
                self.defined.truncate(before);
                continue;
            }
            groups.push(group);
            branches.push(branch);
        }
        if branches.is_empty() {
            branches.push(r#""null""#.to_owned());
        }
        format!("[{}]", branches.join(","))
    }

    /// The group of a generated branch (None for a nested union).
    fn group_of(&self, branch: &str, defined_before: usize) -> Option<Group> {
        if branch.starts_with('[') {
            return None;
        }
        if let Some(name) = branch.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            return Some(match name {
                "null" => Group::Null,
                "boolean" => Group::Boolean,
                "int" | "long" | "float" | "double" => Group::Number,
                "string" => Group::Text,
                "bytes" => Group::Binary,
                reference => self.defined.iter().find(|(n, _)| n == reference)?.1,
            });
        }
        if branch.starts_with(r#"{"type":"array""#) {
            return Some(Group::List);
        }
        if branch.starts_with(r#"{"type":"map""#) {
            return Some(Group::Object);
        }
        if branch.starts_with(r#"{"type":"int""#) || branch.starts_with(r#"{"type":"long""#) {
            return Some(Group::Number);
        }
        if branch.starts_with(r#"{"type":"string""#) {
            return Some(Group::Text);
        }
        if branch.starts_with(r#"{"type":"bytes""#) {
            return Some(Group::Binary);
        }
        // A named type just defined: the last definition made for it.
        self.defined
            .get(defined_before..)?
            .last()
            .map(|(_, group)| *group)
    }
}

/// A random datum of `program`'s schema.
#[must_use]
pub fn random_datum(program: &Program, rng: &mut Rng) -> Datum<'static> {
    datum(program, program.root, rng, 0)
}

const TEXT: [&str; 12] = [
    "a", "b", "z", "é", "€", "\"", "\\", "\n", " ", "0", "κ", "🦀",
];

fn small(rng: &mut Rng, n: u32) -> usize {
    rng.below(n) as usize
}

fn datum(program: &Program, id: NodeId, rng: &mut Rng, depth: u32) -> Datum<'static> {
    let node = program.node(id);
    match &node.kind {
        Kind::Null | Kind::Pending => Datum::Null,
        Kind::Boolean => Datum::Boolean(rng.below(2) == 1),
        Kind::Int => Datum::Int(match (node.logical, rng.below(4)) {
            (Logical::Date, _) => rng.below(40_000) as i32 - 10_000,
            (Logical::TimeMillis, _) => rng.below(86_400_000) as i32,
            (_, 0) => rng.next_u32() as i32,
            _ => rng.below(200) as i32 - 100,
        }),
        Kind::Long => Datum::Long(match rng.below(3) {
            0 => rng.next_u64() as i64,
            1 => i64::from(rng.below(1 << 20)) - (1 << 19),
            _ => 1_700_000_000_000 + i64::from(rng.below(1 << 30)),
        }),
        // Values a decimal text shows exactly, so JSON carries them intact.
        Kind::Float => Datum::Float((rng.below(4000) as f32 - 2000.0) / 8.0),
        Kind::Double => Datum::Double((f64::from(rng.next_u32()) - 2e9) / 16.0),
        Kind::Bytes => {
            let len = small(rng, 8) + usize::from(matches!(node.logical, Logical::Decimal { .. }));
            Datum::Bytes(
                (0..len)
                    .map(|_| rng.below(256) as u8)
                    .collect::<Vec<u8>>()
                    .into(),
            )
        }
        Kind::String => {
            if node.logical == Logical::Uuid {
                let b: Vec<u8> = (0..16).map(|_| rng.below(256) as u8).collect();
                let mut s = String::new();
                for (i, byte) in b.iter().enumerate() {
                    if matches!(i, 4 | 6 | 8 | 10) {
                        s.push('-');
                    }
                    let _ = write!(s, "{byte:02x}");
                }
                return Datum::String(s.into());
            }
            let len = small(rng, 6);
            Datum::String(
                (0..len)
                    .map(|_| TEXT[small(rng, 12)])
                    .collect::<String>()
                    .into(),
            )
        }
        Kind::Fixed(size) => Datum::Fixed(
            (0..*size)
                .map(|_| rng.below(256) as u8)
                .collect::<Vec<u8>>()
                .into(),
        ),
        Kind::Enum { symbols, .. } => {
            Datum::Enum(rng.below(u32::try_from(symbols.len()).unwrap_or(1).max(1)))
        }
        Kind::Array(items) => {
            let len = if depth > 6 { 0 } else { small(rng, 4) };
            Datum::Array(
                (0..len)
                    .map(|_| datum(program, *items, rng, depth + 1))
                    .collect(),
            )
        }
        Kind::Map(values) => {
            let len = if depth > 6 { 0 } else { small(rng, 4) };
            Datum::Map(
                (0..len)
                    .map(|i| {
                        (
                            format!("k{i}").into(),
                            datum(program, *values, rng, depth + 1),
                        )
                    })
                    .collect(),
            )
        }
        Kind::Union(branches) => {
            let null = branches
                .iter()
                .position(|&b| matches!(program.node(b).kind, Kind::Null));
            let index = match null {
                Some(null) if depth > 4 => null,
                _ => small(rng, u32::try_from(branches.len()).unwrap_or(1).max(1)),
            };
            let value = datum(program, branches[index], rng, depth + 1);
            Datum::Union(u32::try_from(index).unwrap_or(0), Box::new(value))
        }
        Kind::Record(fields) => Datum::Record(
            fields
                .iter()
                .map(|field| datum(program, field.node, rng, depth + 1))
                .collect(),
        ),
    }
}
