//! Tests of the compatibility checker: Apache Avro's Java unit tests
//! (`TestSchemaCompatibility*.java` over `TestSchemas.java`) and Confluent's
//! `AvroCompatibilityTest.java`, translated case by case, then the cases
//! where the `apache-avro` crate's own checker disagrees with Java, then the
//! Java quirks and limits this implementation keeps.

use apache_avro::schema::ArraySchema;
use apache_avro::schema_compatibility::{Compatibility, SchemaCompatibility};

use super::*;
use crate::avro::testdata as ts;

use SchemaIncompatibilityType::{
    FixedSizeMismatch, MissingEnumSymbols, MissingUnionBranch, NameMismatch,
    ReaderFieldMissingDefaultValue, TypeMismatch,
};

/// One expected incompatibility: type, message, location.
type Expected<'e> = (SchemaIncompatibilityType, &'e str, &'e str);

fn parse(json: &str) -> Schema {
    parse_schema(json).unwrap_or_else(|e| panic!("{json} does not parse: {e}"))
}

fn check(reader: &str, writer: &str) -> SchemaPairCompatibility {
    check_reader_writer(&parse(reader), &parse(writer))
        .unwrap_or_else(|e| panic!("reader {reader} / writer {writer}: {e}"))
}

fn found(result: &SchemaPairCompatibility) -> Vec<(SchemaIncompatibilityType, String, String)> {
    result
        .incompatibilities
        .iter()
        .map(|i| (i.kind, i.message.clone(), i.location.clone()))
        .collect()
}

fn assert_compatible(reader: &str, writer: &str) {
    let result = check(reader, writer);
    assert!(
        result.is_compatible(),
        "expecting reader {reader} to be compatible with writer {writer}: {:?}",
        found(&result)
    );
    assert!(result.incompatibilities.is_empty());
    assert_eq!(result.description, READER_WRITER_COMPATIBLE_MESSAGE);
}

/// Java's `validateIncompatibleSchemas`: incompatible, with exactly these
/// incompatibilities in this order.
fn assert_incompatible(reader: &str, writer: &str, expected: &[Expected<'_>]) {
    let result = check(reader, writer);
    assert_eq!(
        result.compatibility,
        SchemaCompatibilityType::Incompatible,
        "reader {reader} / writer {writer}"
    );
    let expected: Vec<_> = expected
        .iter()
        .map(|(kind, message, location)| (*kind, (*message).to_owned(), (*location).to_owned()))
        .collect();
    assert_eq!(
        found(&result),
        expected,
        "reader {reader} / writer {writer}"
    );
    let description = format!(
        "Data encoded using writer schema:\n{}\nwill or may fail to decode using reader schema:\n{}\n",
        parse(writer).canonical_form(),
        parse(reader).canonical_form()
    );
    assert_eq!(result.description, description);
}

// ===========================================================================
// TestSchemas.java
// ===========================================================================

#[test]
fn every_java_test_schema_parses() {
    let all = [
        ts::NULL,
        ts::BOOLEAN,
        ts::INT,
        ts::LONG,
        ts::FLOAT,
        ts::DOUBLE,
        ts::STRING,
        ts::BYTES,
        ts::INT_ARRAY,
        ts::LONG_ARRAY,
        ts::STRING_ARRAY,
        ts::INT_MAP,
        ts::LONG_MAP,
        ts::STRING_MAP,
        ts::ENUM1_AB,
        ts::ENUM1_AB_DEFAULT,
        ts::ENUM1_AB_NAMESPACE_1,
        ts::ENUM1_AB_NAMESPACE_2,
        ts::ENUM1_ABC,
        ts::ENUM1_BC,
        ts::ENUM2_AB,
        ts::ENUM_ABC_ENUM_DEFAULT_A,
        ts::ENUM_AB_ENUM_DEFAULT_A,
        ts::ENUM_ABC_ENUM_DEFAULT_A_RECORD,
        ts::ENUM_AB_ENUM_DEFAULT_A_RECORD,
        ts::ENUM_ABC_FIELD_DEFAULT_B_ENUM_DEFAULT_A_RECORD,
        ts::ENUM_AB_FIELD_DEFAULT_A_ENUM_DEFAULT_B_RECORD,
        ts::EMPTY_UNION,
        ts::NULL_UNION,
        ts::INT_UNION,
        ts::LONG_UNION,
        ts::FLOAT_UNION,
        ts::DOUBLE_UNION,
        ts::STRING_UNION,
        ts::BYTES_UNION,
        ts::INT_STRING_UNION,
        ts::STRING_INT_UNION,
        ts::INT_FLOAT_UNION,
        ts::INT_LONG_UNION,
        ts::INT_LONG_FLOAT_DOUBLE_UNION,
        ts::NULL_INT_ARRAY_UNION,
        ts::NULL_INT_MAP_UNION,
        ts::EMPTY_RECORD1,
        ts::EMPTY_RECORD2,
        ts::A_INT_RECORD1,
        ts::A_LONG_RECORD1,
        ts::A_INT_B_INT_RECORD1,
        ts::A_DINT_RECORD1,
        ts::A_INT_B_DINT_RECORD1,
        ts::A_DINT_B_DINT_RECORD1,
        ts::A_DINT_B_DFIXED_4_BYTES_RECORD1,
        ts::A_DINT_B_DFIXED_8_BYTES_RECORD1,
        ts::A_DINT_B_DINT_STRING_UNION_RECORD1,
        ts::A_DINT_B_DINT_UNION_RECORD1,
        ts::A_DINT_B_DENUM_1_RECORD1,
        ts::A_DINT_B_DENUM_2_RECORD1,
        ts::FIXED_4_BYTES,
        ts::FIXED_8_BYTES,
        ts::NS_RECORD1,
        ts::NS_RECORD2,
        ts::WITHOUT_NS,
        ts::WITH_NS,
        ts::INT_LIST_RECORD,
        ts::LONG_LIST_RECORD,
    ];
    for json in all {
        // Every schema reads itself.
        assert_compatible(json, json);
    }
}

// ===========================================================================
// TestSchemaCompatibility.java
// ===========================================================================

/// `COMPATIBLE_READER_WRITER_TEST_CASES`, in Java's order (duplicates
/// included): (reader, writer).
const COMPATIBLE_READER_WRITER_TEST_CASES: [(&str, &str); 73] = [
    (ts::BOOLEAN, ts::BOOLEAN),
    (ts::INT, ts::INT),
    (ts::LONG, ts::INT),
    (ts::LONG, ts::LONG),
    // Avro spec says INT/LONG can be promoted to FLOAT/DOUBLE.
    (ts::FLOAT, ts::INT),
    (ts::FLOAT, ts::LONG),
    (ts::DOUBLE, ts::LONG),
    (ts::DOUBLE, ts::INT),
    (ts::DOUBLE, ts::FLOAT),
    (ts::STRING, ts::STRING),
    (ts::BYTES, ts::BYTES),
    (ts::INT_ARRAY, ts::INT_ARRAY),
    (ts::LONG_ARRAY, ts::INT_ARRAY),
    (ts::INT_MAP, ts::INT_MAP),
    (ts::LONG_MAP, ts::INT_MAP),
    (ts::ENUM1_AB, ts::ENUM1_AB),
    (ts::ENUM1_ABC, ts::ENUM1_AB),
    (ts::ENUM1_AB_DEFAULT, ts::ENUM1_ABC),
    (ts::ENUM1_AB, ts::ENUM1_AB_NAMESPACE_1),
    (ts::ENUM1_AB_NAMESPACE_1, ts::ENUM1_AB),
    (ts::ENUM1_AB_NAMESPACE_1, ts::ENUM1_AB_NAMESPACE_2),
    // String-to/from-bytes, introduced in Avro 1.7.7.
    (ts::STRING, ts::BYTES),
    (ts::BYTES, ts::STRING),
    // Tests involving unions:
    (ts::EMPTY_UNION, ts::EMPTY_UNION),
    (ts::FLOAT_UNION, ts::EMPTY_UNION),
    (ts::FLOAT_UNION, ts::INT_UNION),
    (ts::FLOAT_UNION, ts::LONG_UNION),
    (ts::FLOAT_UNION, ts::INT_LONG_UNION),
    (ts::INT_UNION, ts::INT_UNION),
    (ts::INT_STRING_UNION, ts::STRING_INT_UNION),
    (ts::INT_UNION, ts::EMPTY_UNION),
    (ts::LONG_UNION, ts::EMPTY_UNION),
    (ts::LONG_UNION, ts::INT_UNION),
    (ts::FLOAT_UNION, ts::INT_UNION),
    (ts::DOUBLE_UNION, ts::INT_UNION),
    (ts::FLOAT_UNION, ts::LONG_UNION),
    (ts::DOUBLE_UNION, ts::LONG_UNION),
    (ts::FLOAT_UNION, ts::EMPTY_UNION),
    (ts::DOUBLE_UNION, ts::FLOAT_UNION),
    (ts::STRING_UNION, ts::EMPTY_UNION),
    (ts::STRING_UNION, ts::BYTES_UNION),
    (ts::BYTES_UNION, ts::EMPTY_UNION),
    (ts::BYTES_UNION, ts::STRING_UNION),
    (ts::DOUBLE_UNION, ts::INT_FLOAT_UNION),
    // Readers capable of reading all branches of a union are compatible.
    (ts::FLOAT, ts::INT_FLOAT_UNION),
    (ts::LONG, ts::INT_LONG_UNION),
    (ts::DOUBLE, ts::INT_FLOAT_UNION),
    (ts::DOUBLE, ts::INT_LONG_FLOAT_DOUBLE_UNION),
    // Special case of singleton unions:
    (ts::FLOAT, ts::FLOAT_UNION),
    (ts::INT_UNION, ts::INT),
    (ts::INT, ts::INT_UNION),
    // Fixed types.
    (ts::FIXED_4_BYTES, ts::FIXED_4_BYTES),
    // Tests involving records:
    (ts::EMPTY_RECORD1, ts::EMPTY_RECORD1),
    (ts::EMPTY_RECORD1, ts::A_INT_RECORD1),
    (ts::A_INT_RECORD1, ts::A_INT_RECORD1),
    (ts::A_DINT_RECORD1, ts::A_INT_RECORD1),
    (ts::A_DINT_RECORD1, ts::A_DINT_RECORD1),
    (ts::A_INT_RECORD1, ts::A_DINT_RECORD1),
    (ts::A_LONG_RECORD1, ts::A_INT_RECORD1),
    (ts::A_INT_RECORD1, ts::A_INT_B_INT_RECORD1),
    (ts::A_DINT_RECORD1, ts::A_INT_B_INT_RECORD1),
    (ts::A_INT_B_DINT_RECORD1, ts::A_INT_RECORD1),
    (ts::A_DINT_B_DINT_RECORD1, ts::EMPTY_RECORD1),
    (ts::A_DINT_B_DINT_RECORD1, ts::A_INT_RECORD1),
    (ts::A_INT_B_INT_RECORD1, ts::A_DINT_B_DINT_RECORD1),
    (ts::INT_LIST_RECORD, ts::INT_LIST_RECORD),
    (ts::LONG_LIST_RECORD, ts::LONG_LIST_RECORD),
    (ts::LONG_LIST_RECORD, ts::INT_LIST_RECORD),
    (ts::NULL, ts::NULL),
    (
        ts::ENUM_AB_ENUM_DEFAULT_A_RECORD,
        ts::ENUM_ABC_ENUM_DEFAULT_A_RECORD,
    ),
    (
        ts::ENUM_AB_FIELD_DEFAULT_A_ENUM_DEFAULT_B_RECORD,
        ts::ENUM_ABC_FIELD_DEFAULT_B_ENUM_DEFAULT_A_RECORD,
    ),
    // Two records that have an inner array of records with different
    // namespaces.
    (ts::NS_RECORD1, ts::NS_RECORD2),
    (ts::WITHOUT_NS, ts::WITH_NS),
];

#[test]
fn avro_java_reader_writer_compatibility() {
    for (reader, writer) in COMPATIBLE_READER_WRITER_TEST_CASES {
        assert_compatible(reader, writer);
    }
}

/// Java's `WRITER_SCHEMA` (an anonymous record there; JSON needs a name, the
/// readers below use the same one).
const WRITER_SCHEMA: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"oldfield1","type":"int"},{"name":"oldfield2","type":"string"}]}"#;

#[test]
fn avro_java_validate_schema_pair_missing_field() {
    let reader =
        r#"{"type":"record","name":"Record","fields":[{"name":"oldfield1","type":"int"}]}"#;
    assert_compatible(reader, WRITER_SCHEMA);
}

#[test]
fn avro_java_validate_schema_pair_missing_second_field() {
    let reader =
        r#"{"type":"record","name":"Record","fields":[{"name":"oldfield2","type":"string"}]}"#;
    assert_compatible(reader, WRITER_SCHEMA);
}

#[test]
fn avro_java_validate_schema_pair_all_fields() {
    let reader = r#"{"type":"record","name":"Record","fields":[
        {"name":"oldfield1","type":"int"},{"name":"oldfield2","type":"string"}]}"#;
    assert_compatible(reader, WRITER_SCHEMA);
}

#[test]
fn avro_java_validate_schema_new_field_with_default() {
    let reader = r#"{"type":"record","name":"Record","fields":[
        {"name":"oldfield1","type":"int"},{"name":"newfield1","type":"int","default":42}]}"#;
    assert_compatible(reader, WRITER_SCHEMA);
}

#[test]
fn avro_java_validate_schema_new_field() {
    let reader = r#"{"type":"record","name":"Record","fields":[
        {"name":"oldfield1","type":"int"},{"name":"newfield1","type":"int"}]}"#;
    assert_incompatible(
        reader,
        WRITER_SCHEMA,
        &[(ReaderFieldMissingDefaultValue, "newfield1", "/fields/1")],
    );
    // The fragments are the reader's and the writer's records.
    let result = check(reader, WRITER_SCHEMA);
    assert_eq!(result.incompatibilities[0].reader_fragment, parse(reader));
    assert_eq!(
        result.incompatibilities[0].writer_fragment,
        parse(WRITER_SCHEMA)
    );
}

#[test]
fn avro_java_validate_array_writer_schema() {
    assert_compatible(r#"{"type":"array","items":"string"}"#, ts::STRING_ARRAY);
    assert_incompatible(
        r#"{"type":"map","values":"string"}"#,
        ts::STRING_ARRAY,
        &[(
            TypeMismatch,
            "reader type: MAP not compatible with writer type: ARRAY",
            "/",
        )],
    );
}

#[test]
fn avro_java_validate_primitive_writer_schema() {
    assert_compatible(r#""string""#, ts::STRING);
    assert_incompatible(
        ts::INT,
        ts::STRING,
        &[(
            TypeMismatch,
            "reader type: INT not compatible with writer type: STRING",
            "/",
        )],
    );
}

/// Reader union schema must contain all writer union branches.
#[test]
fn avro_java_union_reader_writer_subset_incompatibility() {
    let result = check(r#"["int","string"]"#, r#"["int","string","long"]"#);
    assert_eq!(result.compatibility, SchemaCompatibilityType::Incompatible);
    assert_eq!(result.incompatibilities[0].location, "/2");
}

#[test]
fn avro_java_union_writer_simple_reader_incompatibility() {
    let mandatory = r#"{"type":"record","name":"Account","fields":[{"name":"age","type":"int"}]}"#;
    // SchemaBuilder's optionalInt: ["null","int"] with default null.
    let optional = r#"{"type":"record","name":"Account","fields":[
        {"name":"age","type":["null","int"],"default":null}]}"#;
    let result = check(mandatory, optional);
    assert_eq!(result.compatibility, SchemaCompatibilityType::Incompatible);
    let first = &result.incompatibilities[0];
    assert_eq!(
        first.message,
        "reader type: INT not compatible with writer type: NULL"
    );
    assert_eq!(first.location, "/fields/0/type/0");
}

// ===========================================================================
// TestSchemaCompatibilityTypeMismatch.java
// ===========================================================================

#[test]
fn avro_java_type_mismatch() {
    let cases: [(&str, &str, &str, &str); 29] = [
        (
            ts::NULL,
            ts::INT,
            "reader type: NULL not compatible with writer type: INT",
            "/",
        ),
        (
            ts::NULL,
            ts::LONG,
            "reader type: NULL not compatible with writer type: LONG",
            "/",
        ),
        (
            ts::BOOLEAN,
            ts::INT,
            "reader type: BOOLEAN not compatible with writer type: INT",
            "/",
        ),
        (
            ts::INT,
            ts::NULL,
            "reader type: INT not compatible with writer type: NULL",
            "/",
        ),
        (
            ts::INT,
            ts::BOOLEAN,
            "reader type: INT not compatible with writer type: BOOLEAN",
            "/",
        ),
        (
            ts::INT,
            ts::LONG,
            "reader type: INT not compatible with writer type: LONG",
            "/",
        ),
        (
            ts::INT,
            ts::FLOAT,
            "reader type: INT not compatible with writer type: FLOAT",
            "/",
        ),
        (
            ts::INT,
            ts::DOUBLE,
            "reader type: INT not compatible with writer type: DOUBLE",
            "/",
        ),
        (
            ts::LONG,
            ts::FLOAT,
            "reader type: LONG not compatible with writer type: FLOAT",
            "/",
        ),
        (
            ts::LONG,
            ts::DOUBLE,
            "reader type: LONG not compatible with writer type: DOUBLE",
            "/",
        ),
        (
            ts::FLOAT,
            ts::DOUBLE,
            "reader type: FLOAT not compatible with writer type: DOUBLE",
            "/",
        ),
        (
            ts::DOUBLE,
            ts::STRING,
            "reader type: DOUBLE not compatible with writer type: STRING",
            "/",
        ),
        (
            ts::FIXED_4_BYTES,
            ts::STRING,
            "reader type: FIXED not compatible with writer type: STRING",
            "/",
        ),
        (
            ts::STRING,
            ts::BOOLEAN,
            "reader type: STRING not compatible with writer type: BOOLEAN",
            "/",
        ),
        (
            ts::STRING,
            ts::INT,
            "reader type: STRING not compatible with writer type: INT",
            "/",
        ),
        (
            ts::BYTES,
            ts::NULL,
            "reader type: BYTES not compatible with writer type: NULL",
            "/",
        ),
        (
            ts::BYTES,
            ts::INT,
            "reader type: BYTES not compatible with writer type: INT",
            "/",
        ),
        (
            ts::A_INT_RECORD1,
            ts::INT,
            "reader type: RECORD not compatible with writer type: INT",
            "/",
        ),
        (
            ts::INT_ARRAY,
            ts::LONG_ARRAY,
            "reader type: INT not compatible with writer type: LONG",
            "/items",
        ),
        (
            ts::INT_MAP,
            ts::INT_ARRAY,
            "reader type: MAP not compatible with writer type: ARRAY",
            "/",
        ),
        (
            ts::INT_ARRAY,
            ts::INT_MAP,
            "reader type: ARRAY not compatible with writer type: MAP",
            "/",
        ),
        (
            ts::INT_MAP,
            ts::LONG_MAP,
            "reader type: INT not compatible with writer type: LONG",
            "/values",
        ),
        (
            ts::INT,
            ts::ENUM2_AB,
            "reader type: INT not compatible with writer type: ENUM",
            "/",
        ),
        (
            ts::ENUM2_AB,
            ts::INT,
            "reader type: ENUM not compatible with writer type: INT",
            "/",
        ),
        (
            ts::FLOAT,
            ts::INT_LONG_FLOAT_DOUBLE_UNION,
            "reader type: FLOAT not compatible with writer type: DOUBLE",
            "/3",
        ),
        (
            ts::LONG,
            ts::INT_FLOAT_UNION,
            "reader type: LONG not compatible with writer type: FLOAT",
            "/1",
        ),
        (
            ts::INT,
            ts::INT_FLOAT_UNION,
            "reader type: INT not compatible with writer type: FLOAT",
            "/1",
        ),
        (
            ts::INT_LIST_RECORD,
            ts::LONG_LIST_RECORD,
            "reader type: INT not compatible with writer type: LONG",
            "/fields/0/type",
        ),
        (
            ts::NULL,
            ts::INT,
            "reader type: NULL not compatible with writer type: INT",
            "/",
        ),
    ];
    for (reader, writer, message, location) in cases {
        assert_incompatible(reader, writer, &[(TypeMismatch, message, location)]);
    }
}

// ===========================================================================
// TestSchemaCompatibilityNameMismatch.java
// ===========================================================================

#[test]
fn avro_java_name_mismatch() {
    let fixed_4_another_name = r#"{"type":"fixed","name":"AnotherName","size":4}"#;
    let cases = [
        (ts::ENUM1_AB, ts::ENUM2_AB, "expected: Enum2", "/name"),
        (
            ts::EMPTY_RECORD2,
            ts::EMPTY_RECORD1,
            "expected: Record1",
            "/name",
        ),
        (
            ts::FIXED_4_BYTES,
            fixed_4_another_name,
            "expected: AnotherName",
            "/name",
        ),
        (
            ts::A_DINT_B_DENUM_1_RECORD1,
            ts::A_DINT_B_DENUM_2_RECORD1,
            "expected: Enum2",
            "/fields/1/type/name",
        ),
    ];
    for (reader, writer, message, location) in cases {
        assert_incompatible(reader, writer, &[(NameMismatch, message, location)]);
    }
}

// ===========================================================================
// TestSchemaCompatibilityFixedSizeMismatch.java
// ===========================================================================

#[test]
fn avro_java_fixed_size_mismatch() {
    let cases = [
        (
            ts::FIXED_4_BYTES,
            ts::FIXED_8_BYTES,
            "expected: 8, found: 4",
            "/size",
        ),
        (
            ts::FIXED_8_BYTES,
            ts::FIXED_4_BYTES,
            "expected: 4, found: 8",
            "/size",
        ),
        (
            ts::A_DINT_B_DFIXED_8_BYTES_RECORD1,
            ts::A_DINT_B_DFIXED_4_BYTES_RECORD1,
            "expected: 4, found: 8",
            "/fields/1/type/size",
        ),
        (
            ts::A_DINT_B_DFIXED_4_BYTES_RECORD1,
            ts::A_DINT_B_DFIXED_8_BYTES_RECORD1,
            "expected: 8, found: 4",
            "/fields/1/type/size",
        ),
    ];
    for (reader, writer, message, location) in cases {
        assert_incompatible(reader, writer, &[(FixedSizeMismatch, message, location)]);
    }
}

// ===========================================================================
// TestSchemaCompatibilityMissingEnumSymbols.java
// ===========================================================================

const RECORD1_WITH_ENUM_AB: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field1","type":{"type":"enum","name":"Enum1","symbols":["A","B"]}}]}"#;
const RECORD1_WITH_ENUM_ABC: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"field1","type":{"type":"enum","name":"Enum1","symbols":["A","B","C"]}}]}"#;

#[test]
fn avro_java_missing_enum_symbols() {
    let cases = [
        (ts::ENUM1_AB, ts::ENUM1_ABC, "[C]", "/symbols"),
        (ts::ENUM1_BC, ts::ENUM1_ABC, "[A]", "/symbols"),
        (
            RECORD1_WITH_ENUM_AB,
            RECORD1_WITH_ENUM_ABC,
            "[C]",
            "/fields/0/type/symbols",
        ),
    ];
    for (reader, writer, message, location) in cases {
        assert_incompatible(reader, writer, &[(MissingEnumSymbols, message, location)]);
    }
}

// ===========================================================================
// TestSchemaCompatibilityMissingUnionBranch.java
// ===========================================================================

#[test]
fn avro_java_missing_union_branch() {
    let record1_with_int =
        r#"{"type":"record","name":"Record1","fields":[{"name":"field1","type":"int"}]}"#;
    let record2_with_int =
        r#"{"type":"record","name":"Record2","fields":[{"name":"field1","type":"int"}]}"#;
    let union_int_record1 = format!(r#"["int",{record1_with_int}]"#);
    let union_int_record2 = format!(r#"["int",{record2_with_int}]"#);
    let union_int_enum1_ab = format!(r#"["int",{}]"#, ts::ENUM1_AB);
    let union_int_fixed_4_bytes = format!(r#"["int",{}]"#, ts::FIXED_4_BYTES);
    let union_int_boolean = r#"["int","boolean"]"#;
    let union_int_array_int = format!(r#"["int",{}]"#, ts::INT_ARRAY);
    let union_int_map_int = format!(r#"["int",{}]"#, ts::INT_MAP);
    let union_int_null = r#"["int","null"]"#;

    let cases: [(&str, &str, &[&str], &[&str]); 17] = [
        (
            ts::INT_UNION,
            ts::INT_STRING_UNION,
            &["reader union lacking writer type: STRING"],
            &["/1"],
        ),
        (
            ts::STRING_UNION,
            ts::INT_STRING_UNION,
            &["reader union lacking writer type: INT"],
            &["/0"],
        ),
        (
            ts::INT_UNION,
            &union_int_record1,
            &["reader union lacking writer type: RECORD"],
            &["/1"],
        ),
        (
            ts::INT_UNION,
            &union_int_record2,
            &["reader union lacking writer type: RECORD"],
            &["/1"],
        ),
        // More info in the subset schemas.
        (
            &union_int_record1,
            &union_int_record2,
            &["reader union lacking writer type: RECORD"],
            &["/1"],
        ),
        (
            ts::INT_UNION,
            &union_int_enum1_ab,
            &["reader union lacking writer type: ENUM"],
            &["/1"],
        ),
        (
            ts::INT_UNION,
            &union_int_fixed_4_bytes,
            &["reader union lacking writer type: FIXED"],
            &["/1"],
        ),
        (
            ts::INT_UNION,
            union_int_boolean,
            &["reader union lacking writer type: BOOLEAN"],
            &["/1"],
        ),
        (
            ts::INT_UNION,
            ts::LONG_UNION,
            &["reader union lacking writer type: LONG"],
            &["/0"],
        ),
        (
            ts::INT_UNION,
            ts::FLOAT_UNION,
            &["reader union lacking writer type: FLOAT"],
            &["/0"],
        ),
        (
            ts::INT_UNION,
            ts::DOUBLE_UNION,
            &["reader union lacking writer type: DOUBLE"],
            &["/0"],
        ),
        (
            ts::INT_UNION,
            ts::BYTES_UNION,
            &["reader union lacking writer type: BYTES"],
            &["/0"],
        ),
        (
            ts::INT_UNION,
            &union_int_array_int,
            &["reader union lacking writer type: ARRAY"],
            &["/1"],
        ),
        (
            ts::INT_UNION,
            &union_int_map_int,
            &["reader union lacking writer type: MAP"],
            &["/1"],
        ),
        (
            ts::INT_UNION,
            union_int_null,
            &["reader union lacking writer type: NULL"],
            &["/1"],
        ),
        (
            ts::INT_UNION,
            ts::INT_LONG_FLOAT_DOUBLE_UNION,
            &[
                "reader union lacking writer type: LONG",
                "reader union lacking writer type: FLOAT",
                "reader union lacking writer type: DOUBLE",
            ],
            &["/1", "/2", "/3"],
        ),
        (
            ts::A_DINT_B_DINT_UNION_RECORD1,
            ts::A_DINT_B_DINT_STRING_UNION_RECORD1,
            &["reader union lacking writer type: STRING"],
            &["/fields/1/type/1"],
        ),
    ];
    for (reader, writer, messages, locations) in cases {
        let expected: Vec<Expected<'_>> = messages
            .iter()
            .zip(locations)
            .map(|(message, location)| (MissingUnionBranch, *message, *location))
            .collect();
        assert_incompatible(reader, writer, &expected);
    }
}

// ===========================================================================
// TestSchemaCompatibilityReaderFieldMissingDefaultValue.java
// ===========================================================================

#[test]
fn avro_java_reader_field_missing_default_value() {
    let cases = [
        (ts::A_INT_RECORD1, ts::EMPTY_RECORD1, "a", "/fields/0"),
        (
            ts::A_INT_B_DINT_RECORD1,
            ts::EMPTY_RECORD1,
            "a",
            "/fields/0",
        ),
    ];
    for (reader, writer, message, location) in cases {
        assert_incompatible(
            reader,
            writer,
            &[(ReaderFieldMissingDefaultValue, message, location)],
        );
    }
}

// ===========================================================================
// TestSchemaCompatibilityMultiple.java
// ===========================================================================

#[test]
fn avro_java_multiple_incompatibilities() {
    let reader = r#"{"type":"record","name":"base","fields":[
        {"name":"check_enum_symbols_field","type":{"type":"enum","name":"check_enum_symbols_type","symbols":["A","C"]}},
        {"name":"check_enum_name_field","type":{"type":"enum","name":"check_enum_name_type","symbols":["A","B","C","D"]}},
        {"name":"type_mismatch_field","type":"string"},
        {"name":"sub_record","type":{"type":"record","name":"sub_record_type","fields":[
            {"name":"identical_1_field","type":"long","default":42},
            {"name":"extra_no_default_field","type":"long"},
            {"name":"fixed_length_mismatch_field","type":{"type":"fixed","name":"fixed_length_mismatch_type","size":4}},
            {"name":"union_missing_branches_field","type":["boolean"]},
            {"name":"reader_union_does_not_support_type_field","type":["boolean"]},
            {"name":"record_fqn_mismatch_field","type":{"type":"record","name":"recordA","namespace":"not_nsA","fields":[
                {"name":"A_field_0","type":"boolean","default":true},
                {"name":"array_type_mismatch_field","type":{"type":"array","items":"string"}}]}}]}}]}"#;
    let writer = r#"{"type":"record","name":"base","fields":[
        {"name":"check_enum_symbols_field","type":{"type":"enum","name":"check_enum_symbols_type","symbols":["A","B","C","D"]}},
        {"name":"check_enum_name_field","type":{"type":"enum","name":"check_enum_name_type_ERR","symbols":["A","B","C","D"]}},
        {"name":"type_mismatch_field","type":"long"},
        {"name":"sub_record","type":{"type":"record","name":"sub_record_type","fields":[
            {"name":"identical_1_field","type":"long","default":42},
            {"name":"fixed_length_mismatch_field","type":{"type":"fixed","name":"fixed_length_mismatch_type","size":8}},
            {"name":"union_missing_branches_field","type":["boolean","double","string"]},
            {"name":"reader_union_does_not_support_type_field","type":"long"},
            {"name":"record_fqn_mismatch_field","type":{"type":"record","name":"recordA","namespace":"nsA","fields":[
                {"name":"A_field_0","type":"boolean","default":true},
                {"name":"array_type_mismatch_field","type":{"type":"array","items":"boolean"}}]}}]}}]}"#;
    assert_incompatible(
        reader,
        writer,
        &[
            (MissingEnumSymbols, "[B, D]", "/fields/0/type/symbols"),
            (
                NameMismatch,
                "expected: check_enum_name_type_ERR",
                "/fields/1/type/name",
            ),
            (
                TypeMismatch,
                "reader type: STRING not compatible with writer type: LONG",
                "/fields/2/type",
            ),
            (
                ReaderFieldMissingDefaultValue,
                "extra_no_default_field",
                "/fields/3/type/fields/1",
            ),
            (
                FixedSizeMismatch,
                "expected: 8, found: 4",
                "/fields/3/type/fields/2/type/size",
            ),
            (
                MissingUnionBranch,
                "reader union lacking writer type: DOUBLE",
                "/fields/3/type/fields/3/type/1",
            ),
            (
                MissingUnionBranch,
                "reader union lacking writer type: STRING",
                "/fields/3/type/fields/3/type/2",
            ),
            (
                MissingUnionBranch,
                "reader union lacking writer type: LONG",
                "/fields/3/type/fields/4/type",
            ),
            (
                TypeMismatch,
                "reader type: STRING not compatible with writer type: BOOLEAN",
                "/fields/3/type/fields/5/type/fields/1/type/items",
            ),
        ],
    );
}

// ===========================================================================
// TestSchemaCompatibilityEnumDefaults.java
//
// Java's tests decode data; here the checker's verdict on each pair, which
// agrees with whether Java's decoding succeeds.
// ===========================================================================

#[test]
fn avro_java_enum_default_not_applied_when_writer_field_missing() {
    let writer = format!(
        r#"{{"type":"record","name":"Record1","fields":[{{"name":"field2","type":{}}}]}}"#,
        ts::ENUM2_AB
    );
    let reader = format!(
        r#"{{"type":"record","name":"Record1","fields":[{{"name":"field1","type":{}}}]}}"#,
        ts::ENUM_AB_ENUM_DEFAULT_A
    );
    // Java compares the field's enum with the writer's whole record.
    assert_incompatible(
        &reader,
        &writer,
        &[(
            TypeMismatch,
            "reader type: ENUM not compatible with writer type: RECORD",
            "/fields/0/type",
        )],
    );
}

#[test]
fn avro_java_enum_default_applied() {
    let record = |enum_json: &str, field_default: &str| {
        format!(
            r#"{{"type":"record","name":"Record1","fields":[{{"name":"field1","type":{enum_json}{field_default}}}]}}"#
        )
    };
    // enumDefaultAppliedWhenNoFieldDefaultDefined and
    // enumDefaultNotAppliedWhenCompatibleSymbolIsFound.
    assert_compatible(
        &record(ts::ENUM_AB_ENUM_DEFAULT_A, ""),
        &record(ts::ENUM_ABC_ENUM_DEFAULT_A, ""),
    );
    // enumDefaultAppliedWhenFieldDefaultDefined.
    assert_compatible(
        &record(ts::ENUM_AB_ENUM_DEFAULT_A, r#","default":"B""#),
        &record(ts::ENUM_ABC_ENUM_DEFAULT_A, ""),
    );
    // fieldDefaultNotAppliedForUnknownSymbol: a field default does not help.
    assert_incompatible(
        &record(ts::ENUM1_AB, r#","default":"A""#),
        &record(ts::ENUM1_ABC, ""),
        &[(MissingEnumSymbols, "[C]", "/fields/0/type/symbols")],
    );
}

// ===========================================================================
// Confluent's AvroCompatibilityTest.java
// ===========================================================================

const SCHEMA1: &str =
    r#"{"type":"record","name":"myrecord","fields":[{"type":"string","name":"f1"}]}"#;
const SCHEMA2: &str = r#"{"type":"record","name":"myrecord","fields":[{"type":"string","name":"f1"},
    {"type":"string","name":"f2", "default": "foo"}]}"#;
const SCHEMA3: &str = r#"{"type":"record","name":"myrecord","fields":[{"type":"string","name":"f1"},
    {"type":"string","name":"f2"}]}"#;
const SCHEMA4: &str = r#"{"type":"record","name":"myrecord","fields":[{"type":"string","name":"f1_new", "aliases": ["f1"]}]}"#;
const SCHEMA6: &str = r#"{"type":"record","name":"myrecord","fields":[{"type":["null", "string"],"name":"f1",
    "doc":"doc of f1"}]}"#;
const SCHEMA7: &str = r#"{"type":"record","name":"myrecord","fields":[{"type":["null", "string", "int"],"name":"f1",
    "doc":"doc of f1"}]}"#;
/// Confluent's `schemaString8` is `schemaString2` followed by a stray
/// `, {"type":"string","name":"f3", "default": "bar"}]}`; Java's parser
/// reads the first JSON value and ignores the rest, so it is `SCHEMA2`.
const SCHEMA8: &str = SCHEMA2;

/// `checker.isCompatible(new, previous)`: `previous` oldest first, without
/// versions (as `AvroUtils.parseSchema` makes them).
fn confluent(level: CompatibilityLevel, new: &str, previous: &[&str]) -> Vec<String> {
    let new = parse(new);
    let parsed: Vec<Schema> = previous.iter().map(|text| parse(text)).collect();
    let previous: Vec<PreviousSchema<'_>> = parsed
        .iter()
        .zip(previous)
        .map(|(schema, text)| PreviousSchema {
            schema,
            text,
            version: None,
            references: &[],
        })
        .collect();
    check_compatibility(level, &new, &previous)
}

fn compatible(level: CompatibilityLevel, new: &str, previous: &[&str]) -> bool {
    confluent(level, new, previous).is_empty()
}

#[test]
fn avro_confluent_bad_default_null() {
    let bad_default_null = r#"{"type":"record","name":"myrecord","fields":[
        {"type":["null", "string"],"name":"f1", "default": "null"},
        {"type":"string","name":"f2", "default": "foo"},
        {"type":"string","name":"f3", "default": "bar"}]}"#;
    assert!(parse_schema(bad_default_null).is_ok());
}

/// Backward compatibility: a new schema is backward compatible if it can be
/// used to read the data written in the previous schema.
#[test]
fn avro_confluent_basic_backwards_compatibility() {
    use CompatibilityLevel::Backward;
    assert!(
        compatible(Backward, SCHEMA2, &[SCHEMA1]),
        "adding a field with default"
    );
    assert!(
        !compatible(Backward, SCHEMA3, &[SCHEMA1]),
        "adding a field w/o default"
    );
    assert!(
        compatible(Backward, SCHEMA4, &[SCHEMA1]),
        "changing field name with alias"
    );
    assert!(
        compatible(Backward, SCHEMA6, &[SCHEMA1]),
        "evolving a field type to a union"
    );
    assert!(
        !compatible(Backward, SCHEMA1, &[SCHEMA6]),
        "removing a type from a union"
    );
    assert!(
        compatible(Backward, SCHEMA7, &[SCHEMA6]),
        "adding a new type in union"
    );
    assert!(
        !compatible(Backward, SCHEMA6, &[SCHEMA7]),
        "removing a type from a union"
    );
    // Only schema 2 is checked.
    assert!(
        compatible(Backward, SCHEMA3, &[SCHEMA1, SCHEMA2]),
        "only the latest"
    );
}

/// Backward transitive compatibility: a new schema is backward compatible if
/// it can be used to read the data written in all previous schemas.
#[test]
fn avro_confluent_basic_backwards_transitive_compatibility() {
    use CompatibilityLevel::BackwardTransitive;
    assert!(
        compatible(BackwardTransitive, SCHEMA8, &[SCHEMA1, SCHEMA2]),
        "iteratively adding fields with defaults"
    );
    // 1 == 2, 2 == 3, 3 != 1.
    assert!(
        compatible(BackwardTransitive, SCHEMA2, &[SCHEMA1]),
        "adding a field with default"
    );
    assert!(
        compatible(BackwardTransitive, SCHEMA3, &[SCHEMA2]),
        "removing a default, not transitively"
    );
    assert!(
        !compatible(BackwardTransitive, SCHEMA3, &[SCHEMA2, SCHEMA1]),
        "removing a default transitively"
    );
}

/// Forward compatibility: a new schema is forward compatible if the previous
/// schema can read data written in this schema.
#[test]
fn avro_confluent_basic_forwards_compatibility() {
    use CompatibilityLevel::Forward;
    assert!(compatible(Forward, SCHEMA2, &[SCHEMA1]), "adding a field");
    assert!(compatible(Forward, SCHEMA3, &[SCHEMA1]), "adding a field");
    assert!(compatible(Forward, SCHEMA3, &[SCHEMA2]), "adding a field");
    assert!(compatible(Forward, SCHEMA2, &[SCHEMA3]), "adding a field");
    // Only schema 2 is checked.
    assert!(
        compatible(Forward, SCHEMA1, &[SCHEMA3, SCHEMA2]),
        "only the latest"
    );
}

/// Forward transitive compatibility: a new schema is forward compatible if
/// all previous schemas can read data written in this schema.
#[test]
fn avro_confluent_basic_forwards_transitive_compatibility() {
    use CompatibilityLevel::ForwardTransitive;
    assert!(
        compatible(ForwardTransitive, SCHEMA1, &[SCHEMA8, SCHEMA2]),
        "iteratively removing fields with defaults"
    );
    // 1 == 2, 2 == 3, 3 != 1.
    assert!(
        compatible(ForwardTransitive, SCHEMA2, &[SCHEMA3]),
        "adding default to a field"
    );
    assert!(
        compatible(ForwardTransitive, SCHEMA1, &[SCHEMA2]),
        "removing a field with a default"
    );
    assert!(
        !compatible(ForwardTransitive, SCHEMA1, &[SCHEMA2, SCHEMA3]),
        "removing a default transitively"
    );
}

/// Full compatibility: a new schema is fully compatible if it's both
/// backward and forward compatible.
#[test]
fn avro_confluent_basic_full_compatibility() {
    use CompatibilityLevel::Full;
    assert!(
        compatible(Full, SCHEMA2, &[SCHEMA1]),
        "adding a field with default"
    );
    // Only schema 2 is checked!
    assert!(
        compatible(Full, SCHEMA3, &[SCHEMA1, SCHEMA2]),
        "only the latest"
    );
    // Only schema 2 is checked!
    assert!(
        compatible(Full, SCHEMA1, &[SCHEMA3, SCHEMA2]),
        "only the latest"
    );
}

/// Full transitive compatibility: a new schema is fully compatible if it's
/// both transitively backward and transitively forward compatible with the
/// entire schema history.
#[test]
fn avro_confluent_basic_full_transitive_compatibility() {
    use CompatibilityLevel::FullTransitive;
    assert!(
        compatible(FullTransitive, SCHEMA8, &[SCHEMA1, SCHEMA2]),
        "iteratively adding fields with defaults"
    );
    assert!(
        compatible(FullTransitive, SCHEMA1, &[SCHEMA8, SCHEMA2]),
        "iteratively removing fields with defaults"
    );
    assert!(
        compatible(FullTransitive, SCHEMA2, &[SCHEMA3]),
        "adding default to a field"
    );
    assert!(
        compatible(FullTransitive, SCHEMA1, &[SCHEMA2]),
        "removing a field with a default"
    );
    assert!(
        compatible(FullTransitive, SCHEMA2, &[SCHEMA1]),
        "adding a field with default"
    );
    assert!(
        compatible(FullTransitive, SCHEMA3, &[SCHEMA2]),
        "removing a default from a field"
    );
    assert!(
        !compatible(FullTransitive, SCHEMA3, &[SCHEMA2, SCHEMA1]),
        "transitively adding a field without a default"
    );
    assert!(
        !compatible(FullTransitive, SCHEMA1, &[SCHEMA2, SCHEMA3]),
        "transitively removing a field without a default"
    );
}

// ---------------------------------------------------------------------------
// Confluent's messages (as the registry returns them with ?verbose=true)
// ---------------------------------------------------------------------------

/// `previous` with versions 1, 2, … oldest first.
fn confluent_versioned(level: CompatibilityLevel, new: &str, previous: &[&str]) -> Vec<String> {
    let new = parse(new);
    let parsed: Vec<Schema> = previous.iter().map(|text| parse(text)).collect();
    let previous: Vec<PreviousSchema<'_>> = parsed
        .iter()
        .zip(previous)
        .zip(1..)
        .map(|((schema, text), version)| PreviousSchema {
            schema,
            text,
            version: Some(version),
            references: &[],
        })
        .collect();
    check_compatibility(level, &new, &previous)
}

#[test]
fn avro_confluent_backward_messages() {
    assert_eq!(
        confluent_versioned(CompatibilityLevel::Backward, SCHEMA3, &[SCHEMA1]),
        [
            "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'f2'}".to_owned(),
            "{oldSchemaVersion: 1}".to_owned(),
            format!("{{oldSchema: '{SCHEMA1}'}}"),
        ]
    );
    assert_eq!(
        confluent_versioned(CompatibilityLevel::Backward, r#""boolean""#, &[r#""int""#]),
        [
            "{errorType:'TYPE_MISMATCH', description:'The type (path '/') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: BOOLEAN not compatible with writer type: INT'}",
            "{oldSchemaVersion: 1}",
            "{oldSchema: '\"int\"'}",
        ]
    );
}

#[test]
fn avro_confluent_forward_messages() {
    // The old schema reads: it misses the new schema's f2.
    assert_eq!(
        confluent_versioned(CompatibilityLevel::Forward, SCHEMA1, &[SCHEMA3]),
        [
            "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the old schema has no default value and is missing in the new schema', additionalInfo:'f2'}".to_owned(),
            "{oldSchemaVersion: 1}".to_owned(),
            format!("{{oldSchema: '{SCHEMA3}'}}"),
        ]
    );
}

#[test]
fn avro_confluent_full_messages() {
    let old = r#"{"type":"record","name":"r","fields":[{"name":"f","type":"string"}]}"#;
    let new = r#"{"type":"record","name":"r","fields":[{"name":"f","type":"int"}]}"#;
    // The old-reads-new half first, without the old schema, then the
    // new-reads-old half with it.
    assert_eq!(
        confluent_versioned(CompatibilityLevel::Full, new, &[old]),
        [
            "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: STRING not compatible with writer type: INT'}".to_owned(),
            "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}".to_owned(),
            "{oldSchemaVersion: 1}".to_owned(),
            format!("{{oldSchema: '{old}'}}"),
        ]
    );
    // Only the old-reads-new half fails: no old schema appended.
    assert_eq!(
        confluent_versioned(CompatibilityLevel::Full, SCHEMA1, &[SCHEMA3]),
        ["{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the old schema has no default value and is missing in the new schema', additionalInfo:'f2'}"]
    );
}

#[test]
fn avro_confluent_other_difference_messages() {
    let enum_ab = check(ts::ENUM1_AB, ts::ENUM1_ABC);
    assert_eq!(
        difference_message(&enum_ab.incompatibilities[0], "new", "old"),
        "{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema is missing enum symbols '[C]' at path '/symbols' in the old schema', additionalInfo:'[C]'}"
    );
    let union = check(ts::INT_UNION, ts::INT_STRING_UNION);
    assert_eq!(
        difference_message(&union.incompatibilities[0], "old", "new"),
        "{errorType:'MISSING_UNION_BRANCH', description:'The old schema is missing a type inside a union field at path '/1' in the new schema', additionalInfo:'reader union lacking writer type: STRING'}"
    );
    let fixed = check(ts::FIXED_4_BYTES, ts::FIXED_8_BYTES);
    assert_eq!(
        difference_message(&fixed.incompatibilities[0], "new", "old"),
        "{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type field at path '/size' in the new schema does not match with the old schema', additionalInfo:'expected: 8, found: 4'}"
    );
    let name = check(ts::EMPTY_RECORD2, ts::EMPTY_RECORD1);
    assert_eq!(
        difference_message(&name.incompatibilities[0], "new", "old"),
        "{errorType:'NAME_MISMATCH', description:'The name of the schema has changed (path '/name')', additionalInfo:'expected: Record1'}"
    );
}

#[test]
fn avro_confluent_transitive_reports_the_newest_failing_version() {
    // Version 2 (SCHEMA2) passes, version 1 (SCHEMA1) fails.
    let messages = confluent_versioned(
        CompatibilityLevel::BackwardTransitive,
        SCHEMA3,
        &[SCHEMA1, SCHEMA2],
    );
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[1], "{oldSchemaVersion: 1}");
    assert_eq!(messages[2], format!("{{oldSchema: '{SCHEMA1}'}}"));
    // Both fail: the latest is reported.
    let messages = confluent_versioned(
        CompatibilityLevel::BackwardTransitive,
        ts::INT,
        &[ts::STRING, ts::BOOLEAN],
    );
    assert_eq!(messages[1], "{oldSchemaVersion: 2}");
}

#[test]
fn avro_confluent_none_and_empty_history() {
    assert!(confluent(CompatibilityLevel::None, ts::INT, &[ts::STRING]).is_empty());
    for level in CompatibilityLevel::ALL {
        assert!(confluent(level, ts::INT, &[]).is_empty(), "{level}");
    }
}

#[test]
fn avro_confluent_long_old_schema_is_truncated() {
    let doc = "é".repeat(MAX_SCHEMA_SIZE_FOR_LOGGING);
    let old = format!(
        r#"{{"type":"record","name":"r","doc":"{doc}","fields":[{{"name":"f","type":"int"}}]}}"#
    );
    let new = r#"{"type":"record","name":"r","fields":[{"name":"f","type":"string"}]}"#;
    let messages = confluent(CompatibilityLevel::Backward, new, &[&old]);
    let last = messages.last().map(String::as_str).unwrap_or_default();
    let kept: String = old.chars().take(MAX_SCHEMA_SIZE_FOR_LOGGING).collect();
    assert_eq!(last, format!("{{oldSchema: <truncated> '{kept}...'}}"));
}

#[test]
fn avro_confluent_java_exception_becomes_a_message() {
    // Java's lookupWriterField throws when a reader field matches two
    // writer fields; Confluent turns the exception into a message.
    let reader =
        r#"{"type":"record","name":"r","fields":[{"name":"a","type":"int","aliases":["b"]}]}"#;
    let writer = r#"{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#;
    let messages = confluent(CompatibilityLevel::Backward, reader, &[writer]);
    assert_eq!(
        messages[0],
        format!(
            "Unexpected exception during compatibility check: Reader record field a type:INT pos:0 matches multiple fields in writer record schema {}",
            parse(writer).canonical_form()
        )
    );
    assert!(matches!(
        check_reader_writer(&parse(reader), &parse(writer)),
        Err(CompatibilityError::AmbiguousReaderField { ref field, position: 0, .. }) if field == "a"
    ));
}

#[test]
fn avro_confluent_level_names() {
    for level in CompatibilityLevel::ALL {
        assert_eq!(
            level.as_str().parse::<CompatibilityLevel>().ok(),
            Some(level)
        );
        assert_eq!(level.to_string(), level.as_str());
    }
    assert_eq!(
        "full_transitive".parse::<CompatibilityLevel>().ok(),
        Some(CompatibilityLevel::FullTransitive)
    );
    assert_eq!(
        "Backward".parse::<CompatibilityLevel>().ok(),
        Some(CompatibilityLevel::Backward)
    );
    assert!(matches!(
        "SIDEWAYS".parse::<CompatibilityLevel>(),
        Err(CompatibilityError::UnknownLevel(name)) if name == "SIDEWAYS"
    ));
    assert!(CompatibilityLevel::FullTransitive.is_transitive());
    assert!(!CompatibilityLevel::Full.is_transitive());
}

// ===========================================================================
// Where the apache-avro crate's SchemaCompatibility disagrees with Java
//
// `SchemaCompatibility::can_read(writer, reader)` in apache-avro 0.22 answers
// Ok(Full), Ok(Partial) ("resolving may error") or Err. Each test shows the
// crate's answer and Java's verdict, which this module gives.
// ===========================================================================

fn crate_says(reader: &str, writer: &str) -> Option<Compatibility> {
    SchemaCompatibility::can_read(&parse(writer), &parse(reader)).ok()
}

#[test]
fn avro_crate_disagrees_union_writer_read_by_one_branch() {
    // The crate: Ok(Partial). Java: INCOMPATIBLE, the string branch cannot
    // be read (a TYPE_MISMATCH at the branch, not a MISSING_UNION_BRANCH).
    assert_eq!(
        crate_says(ts::INT, ts::INT_STRING_UNION),
        Some(Compatibility::Partial)
    );
    assert_incompatible(
        ts::INT,
        ts::INT_STRING_UNION,
        &[(
            TypeMismatch,
            "reader type: INT not compatible with writer type: STRING",
            "/1",
        )],
    );
}

#[test]
fn avro_crate_disagrees_enum_symbols_missing_without_default() {
    // The crate: Ok(Partial). Java: INCOMPATIBLE.
    assert_eq!(
        crate_says(ts::ENUM1_AB, ts::ENUM1_ABC),
        Some(Compatibility::Partial)
    );
    assert_incompatible(
        ts::ENUM1_AB,
        ts::ENUM1_ABC,
        &[(MissingEnumSymbols, "[C]", "/symbols")],
    );
    // With a reader default both say compatible (the crate: Ok(Full)).
    assert_eq!(
        crate_says(ts::ENUM1_AB_DEFAULT, ts::ENUM1_ABC),
        Some(Compatibility::Full)
    );
    assert_compatible(ts::ENUM1_AB_DEFAULT, ts::ENUM1_ABC);
}

#[test]
fn avro_crate_disagrees_reader_alias_names_the_writer() {
    let writer = r#"{"type":"record","name":"Original","fields":[{"name":"a","type":"int"}]}"#;
    let reader = r#"{"type":"record","name":"Renamed","aliases":["Original"],"fields":[{"name":"a","type":"int"}]}"#;
    // The crate: Err(NameMismatch). Java: COMPATIBLE (schemaNameEquals
    // applies the reader's aliases).
    assert_eq!(crate_says(reader, writer), None);
    assert_compatible(reader, writer);
    // An alias is qualified with the reader's namespace, and must equal the
    // writer's full name.
    let namespaced_reader = r#"{"type":"record","name":"Renamed","namespace":"ns","aliases":["Original"],
        "fields":[{"name":"a","type":"int"}]}"#;
    let namespaced_writer =
        r#"{"type":"record","name":"ns.Original","fields":[{"name":"a","type":"int"}]}"#;
    assert_compatible(namespaced_reader, namespaced_writer);
    assert_incompatible(
        namespaced_reader,
        writer,
        &[(NameMismatch, "expected: Original", "/name")],
    );
}

#[test]
fn avro_crate_disagrees_named_type_inline_on_one_side_referenced_on_the_other() {
    // Inner is defined in field a of the reader but in field b of the
    // writer, so each side refers to it by name where the other defines it.
    let reader = r#"{"type":"record","name":"Outer","fields":[
        {"name":"a","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]}},
        {"name":"b","type":"Inner"}]}"#;
    let writer = r#"{"type":"record","name":"Outer","fields":[
        {"name":"b","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]}},
        {"name":"a","type":"Inner"}]}"#;
    // The crate: Err (a Ref does not match a record). Java: COMPATIBLE.
    assert_eq!(crate_says(reader, writer), None);
    assert_compatible(reader, writer);
}

#[test]
fn avro_crate_disagrees_recursive_types_in_other_namespaces() {
    let list = |namespace: &str, tail: &str| {
        format!(
            r#"{{"type":"record","name":"List","namespace":"{namespace}","fields":[
                {{"name":"head","type":"int"}},{{"name":"tail","type":{tail}}}]}}"#
        )
    };
    // The crate compares references by full name (ns1.List is not
    // ns2.List); Java compares unqualified names: COMPATIBLE.
    let (reader, writer) = (
        list("ns1", r#"["null","List"]"#),
        list("ns2", r#"["null","List"]"#),
    );
    // Only the null branch matches: Ok(Partial).
    assert_eq!(crate_says(&reader, &writer), Some(Compatibility::Partial));
    assert_compatible(&reader, &writer);
    let (reader, writer) = (list("ns1", r#""List""#), list("ns2", r#""List""#));
    // Err(NameMismatch).
    assert_eq!(crate_says(&reader, &writer), None);
    assert_compatible(&reader, &writer);
}

#[test]
fn avro_crate_disagrees_decimal_precision_and_scale() {
    let writer = r#"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#;
    let reader = r#"{"type":"bytes","logicalType":"decimal","precision":9,"scale":5}"#;
    // The crate: Err(DecimalMismatch). Java ignores logical types:
    // COMPATIBLE.
    assert_eq!(crate_says(reader, writer), None);
    assert_compatible(reader, writer);
    let fixed_writer =
        r#"{"type":"fixed","name":"D","size":8,"logicalType":"decimal","precision":4,"scale":2}"#;
    let fixed_reader =
        r#"{"type":"fixed","name":"D","size":8,"logicalType":"decimal","precision":9,"scale":5}"#;
    assert_eq!(crate_says(fixed_reader, fixed_writer), None);
    assert_compatible(fixed_reader, fixed_writer);
}

// ===========================================================================
// Java's quirks and this implementation's limits
// ===========================================================================

#[test]
fn avro_logical_types_are_their_underlying_types() {
    let date = r#"{"type":"int","logicalType":"date"}"#;
    let timestamp = r#"{"type":"long","logicalType":"timestamp-millis"}"#;
    let uuid = r#"{"type":"string","logicalType":"uuid"}"#;
    assert_compatible(timestamp, date);
    assert_compatible(ts::STRING, uuid);
    assert_compatible(ts::BYTES, uuid);
    assert_incompatible(
        date,
        timestamp,
        &[(
            TypeMismatch,
            "reader type: INT not compatible with writer type: LONG",
            "/",
        )],
    );
    let duration = r#"{"type":"fixed","name":"Fixed","size":12,"logicalType":"duration"}"#;
    assert_incompatible(
        ts::FIXED_4_BYTES,
        duration,
        &[(FixedSizeMismatch, "expected: 12, found: 4", "/size")],
    );
}

#[test]
fn avro_named_type_used_twice_reports_its_first_location() {
    // Java memoises the (reader Inner, writer Inner) pair: its second use
    // repeats the result with the first use's location.
    let inner = |x: &str| {
        format!(
            r#"{{"type":"record","name":"Outer","fields":[
                {{"name":"a","type":{{"type":"record","name":"Inner","fields":[{{"name":"x","type":"{x}"}}]}}}},
                {{"name":"b","type":"Inner"}}]}}"#
        )
    };
    let message = "reader type: INT not compatible with writer type: STRING";
    assert_incompatible(
        &inner("int"),
        &inner("string"),
        &[
            (TypeMismatch, message, "/fields/0/type/fields/0/type"),
            (TypeMismatch, message, "/fields/0/type/fields/0/type"),
        ],
    );
}

#[test]
fn avro_mutually_recursive_types_terminate() {
    let schema = |head: &str| {
        format!(
            r#"{{"type":"record","name":"A","fields":[{{"name":"head","type":"{head}"}},
                {{"name":"b","type":["null",{{"type":"record","name":"B","fields":[
                    {{"name":"a","type":["null","A"]}},{{"name":"m","type":{{"type":"map","values":"B"}}}}]}}]}}]}}"#
        )
    };
    assert_compatible(&schema("long"), &schema("int"));
    assert_incompatible(
        &schema("int"),
        &schema("long"),
        &[(
            TypeMismatch,
            "reader type: INT not compatible with writer type: LONG",
            "/fields/0/type",
        )],
    );
}

#[test]
fn avro_null_default_is_a_default() {
    // `"default": null` is a default (Java's hasDefaultValue()).
    let reader = r#"{"type":"record","name":"r","fields":[{"name":"a","type":["null","int"],"default":null}]}"#;
    assert_compatible(reader, r#"{"type":"record","name":"r","fields":[]}"#);
}

#[test]
fn avro_field_aliases_are_a_set() {
    let writer = r#"{"type":"record","name":"r","fields":[{"name":"old","type":"int"}]}"#;
    // A repeated alias matches once.
    assert_compatible(
        r#"{"type":"record","name":"r","fields":[{"name":"new","type":"int","aliases":["old","old"]}]}"#,
        writer,
    );
    // An alias equal to the field's name matches the same writer field twice:
    // Java throws.
    let reader =
        r#"{"type":"record","name":"r","fields":[{"name":"old","type":"int","aliases":["old"]}]}"#;
    assert!(matches!(
        check_reader_writer(&parse(reader), &parse(writer)),
        Err(CompatibilityError::AmbiguousReaderField { .. })
    ));
}

#[test]
fn avro_json_pointer_escapes() {
    assert_eq!(json_pointer(&[String::new()]), "/");
    assert_eq!(
        json_pointer(&[String::new(), "a/b".into(), "c~d".into()]),
        "/a~1b/c~0d"
    );
}

#[test]
fn avro_references_resolve_in_other_schemas() {
    let inner = parse(r#"{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]}"#);
    let outer = Schema::Record(
        apache_avro::schema::RecordSchema::builder()
            .name(apache_avro::schema::Name::new("Outer").unwrap_or_else(|e| panic!("{e}")))
            .fields(vec![RecordField::builder()
                .name("i")
                .schema(Schema::Ref {
                    name: apache_avro::schema::Name::new("Inner").unwrap_or_else(|e| panic!("{e}")),
                })
                .build()])
            .build(),
    );
    assert!(matches!(
        check_reader_writer(&outer, &outer),
        Err(CompatibilityError::UnresolvedName(name)) if name == "Inner"
    ));
    let result = check_reader_writer_with_references(
        &outer,
        std::slice::from_ref(&inner),
        &outer,
        std::slice::from_ref(&inner),
    );
    assert!(result.is_ok_and(|r| r.is_compatible()));
}

fn nested_arrays(depth: usize) -> Schema {
    let mut schema = Schema::Int;
    for _ in 0..depth {
        schema = Schema::Array(ArraySchema {
            items: Box::new(schema),
            attributes: std::collections::BTreeMap::new(),
        });
    }
    schema
}

/// Records nested `depth` deep (each with one field), built in code.
fn nested_records(depth: usize) -> Schema {
    let mut schema = Schema::Int;
    for level in 0..depth {
        let name =
            apache_avro::schema::Name::new(format!("R{level}")).unwrap_or_else(|e| panic!("{e}"));
        let field = RecordField::builder().name("f").schema(schema).build();
        schema = Schema::Record(
            RecordSchema::builder()
                .name(name)
                .fields(vec![field])
                .build(),
        );
    }
    schema
}

#[test]
fn avro_deep_schemas_are_refused_not_overflowed() {
    for deep in [nested_arrays(MAX_DEPTH + 1), nested_records(MAX_DEPTH + 1)] {
        assert!(matches!(
            check_reader_writer(&deep, &deep),
            Err(CompatibilityError::TooDeep)
        ));
        assert!(matches!(
            check_reader_writer(&Schema::Int, &deep),
            Err(CompatibilityError::TooDeep)
        ));
    }
    // Just inside the bound the check runs to the end, in a stack of a few
    // MiB even unoptimised (1 MiB is wasm32's default; optimised frames are
    // several times smaller than these).
    let stack = if cfg!(debug_assertions) {
        4 << 20
    } else {
        1 << 20
    };
    let handle = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(|| {
            let arrays = nested_arrays(MAX_DEPTH - 1);
            let records = nested_records(MAX_DEPTH - 1);
            [
                can_read(&arrays, &arrays).ok(),
                can_read(&records, &records).ok(),
            ]
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(handle.join().ok(), Some([Some(true), Some(true)]));
}

#[test]
fn avro_parse_errors_are_typed() {
    assert!(matches!(
        parse_schema("{"),
        Err(CompatibilityError::Parse(_))
    ));
    assert!(matches!(
        check_reader_writer_json(ts::INT, r#"{"type":"nope"}"#),
        Err(CompatibilityError::Parse(_))
    ));
    assert!(check_reader_writer_json(ts::LONG, ts::INT).is_ok_and(|r| r.is_compatible()));
}
