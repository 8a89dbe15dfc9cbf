//! No schema text panics the Avro layer: mutated and arbitrary schema JSON
//! through `parse_schema`, `check_reader_writer_json` (both ways against a
//! valid schema), the Parsing Canonical Form and its fingerprint (on the text
//! and on the parsed schema), and `wire::annotate` of arbitrary bytes with
//! every schema that parses, give `Ok` or a typed error.

use engine::avro::canonical::{
    parsing_canonical_form, parsing_canonical_form_json, parsing_fingerprint64_json,
};
use engine::avro::compatibility::{check_reader_writer_json, parse_schema};
use engine::avro::wire::{annotate, annotate_single_object};
use proptest::prelude::*;

/// Valid schemas to mutate: records with defaults and aliases, unions,
/// enums with defaults, fixed with logical types, namespaces, recursion and
/// references.
const SEEDS: [&str; 8] = [
    r#""int""#,
    r#"["null","string",{"type":"array","items":"long"}]"#,
    r#"{"type":"record","name":"User","namespace":"com.example","aliases":["Person"],"fields":[
        {"name":"id","type":"long"},
        {"name":"name","type":"string","default":"x","aliases":["full_name"]},
        {"name":"tags","type":{"type":"map","values":{"type":"array","items":"string"}},"default":{}},
        {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B","C"],"default":"A"}},
        {"name":"other","type":["null","Kind"],"default":null}]}"#,
    r#"{"type":"record","name":"Node","fields":[{"name":"value","type":"int"},
        {"name":"next","type":["null","Node"],"default":null}]}"#,
    r#"{"type":"fixed","name":"Money","size":8,"logicalType":"decimal","precision":18,"scale":2}"#,
    r#"{"type":"record","name":"T","fields":[
        {"name":"d","type":{"type":"int","logicalType":"date"}},
        {"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}},
        {"name":"u","type":{"type":"string","logicalType":"uuid"}},
        {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":3}},
        {"name":"dur","type":{"type":"fixed","name":"D","size":12,"logicalType":"duration"}},
        {"name":"again","type":"D"}]}"#,
    r#"{"type":"enum","name":"Suit","namespace":"cards","symbols":["SPADES","HEARTS"],"aliases":["Old"]}"#,
    r#"{"type":"record","name":"A","fields":[{"name":"b","type":{"type":"record","name":"B",
        "fields":[{"name":"a","type":["null","A"]},{"name":"bs","type":{"type":"array","items":"B"}}]}}]}"#,
];

/// Characters a mutation inserts: JSON structure, Avro keywords' letters,
/// digits, escapes and a few non-ASCII ones.
const ALPHABET: &[char] = &[
    '{',
    '}',
    '[',
    ']',
    '"',
    ':',
    ',',
    ' ',
    '\\',
    'u',
    '0',
    '1',
    '9',
    '-',
    '.',
    'e',
    'a',
    'n',
    't',
    'y',
    'p',
    'l',
    'é',
    '\u{0}',
    '\u{1F600}',
];

/// Keywords and values a mutation may splice in.
const FRAGMENTS: &[&str] = &[
    r#""type""#,
    r#""record""#,
    r#""enum""#,
    r#""fixed""#,
    r#""array""#,
    r#""map""#,
    r#""union""#,
    r#""fields""#,
    r#""symbols""#,
    r#""items""#,
    r#""values""#,
    r#""size""#,
    r#""default""#,
    r#""aliases""#,
    r#""namespace""#,
    r#""name""#,
    r#""logicalType""#,
    r#""decimal""#,
    r#""precision""#,
    r#""scale""#,
    r#""duration""#,
    r#""uuid""#,
    "null",
    "-1",
    "0",
    "2147483648",
    "1e400",
    "[]",
    "{}",
    r#"["null"]"#,
    r#"{"type":"Node"}"#,
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, char),
    Splice(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..8usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 0..ALPHABET.len()).prop_map(|(at, c)| Mutation::Insert(at, ALPHABET[c])),
        (any::<usize>(), 0..FRAGMENTS.len()).prop_map(|(at, f)| Mutation::Splice(at, f)),
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
    ]
}

/// Applies mutations on character boundaries.
fn mutate(seed: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for mutation in mutations {
        let len = chars.len();
        match *mutation {
            Mutation::Delete(at, count) if len > 0 => {
                let at = at % len;
                chars.drain(at..(at + count).min(len));
            }
            Mutation::Insert(at, c) => chars.insert(at % (len + 1), c),
            Mutation::Splice(at, fragment) => {
                let at = at % (len + 1);
                chars.splice(at..at, FRAGMENTS[fragment].chars());
            }
            Mutation::Duplicate(at, count) if len > 0 => {
                let at = at % len;
                let copy: Vec<char> = chars[at..(at + count).min(len)].to_vec();
                chars.splice(at..at, copy);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// Runs every entry point on one schema text; only a panic fails.
fn sweep(text: &str, bytes: &[u8]) {
    let _ = parsing_canonical_form_json(text);
    let _ = parsing_fingerprint64_json(text);
    for seed in [SEEDS[2], SEEDS[3]] {
        let _ = check_reader_writer_json(text, seed);
        let _ = check_reader_writer_json(seed, text);
    }
    let _ = check_reader_writer_json(text, text);
    if let Ok(schema) = parse_schema(text) {
        let _ = parsing_canonical_form(&schema);
        let _ = annotate(&schema, bytes);
        let mut framed = vec![0, 0, 0, 0, 1];
        framed.extend_from_slice(bytes);
        let _ = annotate(&schema, &framed);
        let _ = annotate_single_object(&schema, &[], bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_schemas_give_errors_not_panics(
        seed in 0..SEEDS.len(),
        mutations in prop::collection::vec(mutation(), 1..6),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        sweep(&mutate(SEEDS[seed], &mutations), &bytes);
    }

    #[test]
    fn arbitrary_text_gives_errors_not_panics(
        text in prop_oneof![any::<String>(), "[\\[\\]{}\":, a-z0-9]{0,60}"],
        bytes in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        sweep(&text, &bytes);
    }

    #[test]
    fn deep_nesting_gives_errors_not_panics(depth in 1..400usize, kind in 0..4usize) {
        let mut text = String::new();
        for level in 0..depth {
            text.push_str(&match kind {
                0 => r#"{"type":"array","items":"#.to_owned(),
                1 => r#"{"type":"map","values":"#.to_owned(),
                2 => "[".to_owned(),
                _ => format!(r#"{{"type":"record","name":"R{level}","fields":[{{"name":"f","type":"#),
            });
        }
        text.push_str("\"int\"");
        let close = match kind {
            2 => "]",
            3 => "}]}",
            _ => "}",
        };
        text.push_str(&close.repeat(depth));
        sweep(&text, &[2, 4, 6, 8]);
    }
}

#[test]
fn every_seed_parses() {
    for seed in SEEDS {
        parse_schema(seed).unwrap_or_else(|error| panic!("{seed}: {error}"));
        parsing_canonical_form_json(seed).unwrap_or_else(|error| panic!("{seed}: {error}"));
    }
}
