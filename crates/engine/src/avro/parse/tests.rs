use super::*;
use crate::avro::codec::{Codec, Datum};
use crate::avro::compatibility::check_reader_writer;

fn parse(json: &str) -> Schema {
    parse_schema(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn record(schema: &Schema) -> &RecordSchema {
    match schema {
        Schema::Record(record) => record,
        other => panic!("not a record: {other:?}"),
    }
}

/// Encodes `datum` with `writer`, decodes it with `reader`.
fn read_as(writer: &str, reader: &str, datum: &Datum<'_>) -> Datum<'static> {
    let codec = Codec::resolving(&parse(writer), &parse(reader)).expect("resolvable");
    let bytes = codec.encode_to_vec(datum).expect("encode");
    codec.decode_slice(&bytes).expect("decode").into_owned()
}

// --- gap 1: a field alias equal to another field's name --------------------

const ALIAS_IS_OTHER_NAME: &str = r#"{"type":"record","name":"r","fields":[
    {"name":"a","type":"int","aliases":["b"]},
    {"name":"b","type":"int","default":7}]}"#;

#[test]
fn field_alias_naming_another_field_parses() {
    assert!(
        Schema::parse_str(ALIAS_IS_OTHER_NAME).is_err(),
        "apache-avro refuses it"
    );
    let schema = parse(ALIAS_IS_OTHER_NAME);
    let r = record(&schema);
    assert_eq!(r.fields[0].aliases, ["b"]);
    assert_eq!(r.fields[1].default, Some(serde_json::json!(7)));
    // Java keys fields by name: "b" is the field b, not a's alias.
    assert_eq!(r.lookup.get("a"), Some(&0));
    assert_eq!(r.lookup.get("b"), Some(&1));
}

#[test]
fn field_alias_naming_another_field_resolves_as_java() {
    // Java's `applyAliases` renames the writer's b to a (the reader field
    // with the alias b); the reader's b takes its default.
    let writer = r#"{"type":"record","name":"r","fields":[{"name":"b","type":"int"}]}"#;
    assert_eq!(
        read_as(
            writer,
            ALIAS_IS_OTHER_NAME,
            &Datum::Record(vec![Datum::Int(42)])
        ),
        Datum::Record(vec![Datum::Int(42), Datum::Int(7)])
    );
    // Java's checker: a finds b by its alias, b finds b by name.
    let verdict = check_reader_writer(&parse(ALIAS_IS_OTHER_NAME), &parse(writer)).expect("checks");
    assert!(verdict.is_compatible(), "{verdict:?}");
}

// --- gap 2: a default for a duration ------------------------------------------

const DURATION_DEFAULT: &str = r#"{"type":"record","name":"r","fields":[
    {"name":"n","type":"int"},
    {"name":"d","default":"abcdefghijkl",
     "type":{"type":"fixed","name":"d12","size":12,"logicalType":"duration"}}]}"#;

#[test]
fn duration_default_parses() {
    assert!(
        Schema::parse_str(DURATION_DEFAULT).is_err(),
        "apache-avro refuses it"
    );
    let schema = parse(DURATION_DEFAULT);
    let r = record(&schema);
    assert!(matches!(r.fields[1].schema, Schema::Duration(_)));
    assert_eq!(r.fields[1].default, Some(serde_json::json!("abcdefghijkl")));
}

#[test]
fn duration_default_is_used_when_a_reader_adds_the_field() {
    let writer = r#"{"type":"record","name":"r","fields":[{"name":"n","type":"int"}]}"#;
    assert_eq!(
        read_as(
            writer,
            DURATION_DEFAULT,
            &Datum::Record(vec![Datum::Int(1)])
        ),
        Datum::Record(vec![
            Datum::Int(1),
            Datum::Fixed(b"abcdefghijkl".to_vec().into())
        ])
    );
}

// --- gap 3: defaults apache-avro cannot validate ------------------------------

#[test]
fn default_reaching_an_enclosing_record_parses() {
    // An empty array of the record being defined: Java checks no element.
    let text = r#"{"type":"record","name":"Node","fields":[
        {"name":"value","type":"int"},
        {"name":"children","type":{"type":"array","items":"Node"},"default":[]},
        {"name":"next","type":["null","Node"],"default":null}]}"#;
    let schema = parse(text);
    let r = record(&schema);
    assert_eq!(r.fields[1].default, Some(serde_json::json!([])));
    // A reader adding `children` reads it as its default.
    let writer = r#"{"type":"record","name":"Node","fields":[
        {"name":"value","type":"int"},
        {"name":"next","type":["null","Node"],"default":null}]}"#;
    assert_eq!(
        read_as(
            writer,
            text,
            &Datum::Record(vec![Datum::Int(3), Datum::Union(0, Box::new(Datum::Null))])
        ),
        Datum::Record(vec![
            Datum::Int(3),
            Datum::Array(Vec::new()),
            Datum::Union(0, Box::new(Datum::Null)),
        ])
    );
}

#[test]
fn record_default_of_an_enclosing_record_is_refused_as_java() {
    // Java validates the default while Node's fields are not set yet.
    let text = r#"{"type":"record","name":"Node","fields":[
        {"name":"next","type":["null","Node"],"default":{"next":null}}]}"#;
    assert!(matches!(
        parse_schema(text),
        Err(ParseError::FieldsNotSetYet)
    ));
    // A branch before it that matches stops Java's `anyMatch` first.
    let text = r#"{"type":"record","name":"Node","fields":[
        {"name":"next","type":[{"type":"map","values":"int"},"Node"],"default":{}}]}"#;
    assert!(parse_schema(text).is_ok());
}

#[test]
fn record_default_through_a_union_uses_nested_field_defaults() {
    let text = r#"{"type":"record","name":"Outer","fields":[
        {"name":"inner","default":{"a":1},"type":["null",
            {"type":"record","name":"Inner","fields":[
                {"name":"a","type":"int"},
                {"name":"b","type":"string","default":"x"}]}]}]}"#;
    let schema = parse(text);
    assert_eq!(
        record(&schema).fields[0].default,
        Some(serde_json::json!({"a":1}))
    );
    // Without b's default the record default misses a field.
    let missing = text.replace(r#","default":"x""#, "");
    assert!(matches!(
        parse_schema(&missing),
        Err(ParseError::InvalidDefault { field, .. }) if field == "inner"
    ));
}

#[test]
fn enum_and_fixed_defaults_are_checked_as_text_only() {
    // Java's isValidDefault only asks for text (no symbol or length check).
    let text = r#"{"type":"record","name":"r","fields":[
        {"name":"e","type":{"type":"enum","name":"E","symbols":["A"]},"default":"Z"},
        {"name":"f","type":{"type":"fixed","name":"F","size":4},"default":"ab"}]}"#;
    assert!(Schema::parse_str(text).is_err(), "apache-avro refuses it");
    let schema = parse(text);
    assert_eq!(
        record(&schema).fields[0].default,
        Some(serde_json::json!("Z"))
    );
}

#[test]
fn invalid_defaults_are_refused_with_java_message() {
    let text = r#"{"type":"record","name":"r","fields":[{"name":"n","type":"int","default":"x"}]}"#;
    let error = parse_schema(text).expect_err("refused");
    assert_eq!(
        error.to_string(),
        r#"Invalid default for field n: "x" not a "int""#
    );
    // Out of int range, and a non-integral number.
    for default in ["2147483648", "1.5"] {
        let text = text.replace(r#""x""#, default);
        assert!(
            matches!(parse_schema(&text), Err(ParseError::InvalidDefault { .. })),
            "{text}"
        );
    }
    // Any union branch may match (Java's `isValidValue`).
    let text = r#"{"type":"record","name":"r","fields":[{"name":"u","type":["null","string"],"default":"s"}]}"#;
    assert!(parse_schema(text).is_ok());
}

#[test]
fn textual_double_default_is_read_as_a_number() {
    let text = r#"{"type":"record","name":"r","fields":[{"name":"x","type":"double","default":" 1.5d "}]}"#;
    let schema = parse(text);
    assert_eq!(
        record(&schema).fields[0].default,
        Some(serde_json::json!(1.5))
    );
    let bad = text.replace(" 1.5d ", "one");
    assert_eq!(
        parse_schema(&bad).expect_err("refused").to_string(),
        r#"For input string: "one""#
    );
}

#[test]
fn error_type_and_non_text_logical_type_parse() {
    let text = r#"{"type":"error","name":"Oops","fields":[
        {"name":"n","type":{"type":"int","logicalType":5},"default":1}]}"#;
    let schema = parse(text);
    assert_eq!(record(&schema).name.fullname(None), "Oops");
    assert!(matches!(record(&schema).fields[0].schema, Schema::Int));
}

#[test]
fn bad_field_aliases_are_refused_as_java() {
    let text = r#"{"type":"record","name":"r","fields":[{"name":"n","type":"int","aliases":"m"}]}"#;
    assert!(matches!(
        parse_schema(text),
        Err(ParseError::AliasesNotArray(_))
    ));
    let text = r#"{"type":"record","name":"r","fields":[{"name":"n","type":"int","aliases":[1]}]}"#;
    assert_eq!(
        parse_schema(text).expect_err("refused").to_string(),
        "alias not a string: 1"
    );
}

#[test]
fn references_are_patched_too() {
    let address = r#"{"type":"record","name":"Address","fields":[
        {"name":"zip","type":"string","aliases":["code"]},
        {"name":"code","type":{"type":"fixed","name":"D","size":12,"logicalType":"duration"},"default":"abcdefghijkl"}]}"#;
    let user = r#"{"type":"record","name":"User","fields":[{"name":"home","type":"Address"}]}"#;
    let (schema, references) = parse_schema_with_references(user, [address]).expect("parses");
    assert_eq!(record(&schema).name.fullname(None), "User");
    let address = record(&references[0]);
    assert_eq!(address.fields[0].aliases, ["code"]);
    assert!(address.fields[1].default.is_some());
    assert_eq!(
        parse_schemas([r#""int""#]).expect("parses"),
        vec![Schema::Int]
    );
}

#[test]
fn not_json_is_a_typed_error() {
    assert!(matches!(parse_schema("{"), Err(ParseError::Json(_))));
}
