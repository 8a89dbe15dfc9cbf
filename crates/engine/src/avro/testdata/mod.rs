//! Apache Avro's Java test schemas (`TestSchemas.java` in
//! `lang/java/avro/src/test/java/org/apache/avro`), as the JSON texts that
//! parse to them, for the avro modules' tests.
//!
//! Java builds these in code and shares objects between them (`INT_SCHEMA`
//! is the same object in every record that uses it); here every constant is
//! a whole schema text, parsed afresh for each test. Java's `Field(name,
//! schema, doc, null)` has no default; `DINT` in a name means an `int` field
//! with default `0`.

/// `NULL_SCHEMA`.
pub const NULL: &str = r#""null""#;
/// `BOOLEAN_SCHEMA`.
pub const BOOLEAN: &str = r#""boolean""#;
/// `INT_SCHEMA`.
pub const INT: &str = r#""int""#;
/// `LONG_SCHEMA`.
pub const LONG: &str = r#""long""#;
/// `FLOAT_SCHEMA`.
pub const FLOAT: &str = r#""float""#;
/// `DOUBLE_SCHEMA`.
pub const DOUBLE: &str = r#""double""#;
/// `STRING_SCHEMA`.
pub const STRING: &str = r#""string""#;
/// `BYTES_SCHEMA`.
pub const BYTES: &str = r#""bytes""#;

/// `INT_ARRAY_SCHEMA`.
pub const INT_ARRAY: &str = r#"{"type":"array","items":"int"}"#;
/// `LONG_ARRAY_SCHEMA`.
pub const LONG_ARRAY: &str = r#"{"type":"array","items":"long"}"#;
/// `STRING_ARRAY_SCHEMA`.
pub const STRING_ARRAY: &str = r#"{"type":"array","items":"string"}"#;

/// `INT_MAP_SCHEMA`.
pub const INT_MAP: &str = r#"{"type":"map","values":"int"}"#;
/// `LONG_MAP_SCHEMA`.
pub const LONG_MAP: &str = r#"{"type":"map","values":"long"}"#;
/// `STRING_MAP_SCHEMA`.
pub const STRING_MAP: &str = r#"{"type":"map","values":"string"}"#;

/// `ENUM1_AB_SCHEMA`.
pub const ENUM1_AB: &str = r#"{"type":"enum","name":"Enum1","symbols":["A","B"]}"#;
/// `ENUM1_AB_SCHEMA_DEFAULT`.
pub const ENUM1_AB_DEFAULT: &str =
    r#"{"type":"enum","name":"Enum1","symbols":["A","B"],"default":"A"}"#;
/// `ENUM1_AB_SCHEMA_NAMESPACE_1`.
pub const ENUM1_AB_NAMESPACE_1: &str =
    r#"{"type":"enum","name":"Enum1","namespace":"namespace1","symbols":["A","B"]}"#;
/// `ENUM1_AB_SCHEMA_NAMESPACE_2`.
pub const ENUM1_AB_NAMESPACE_2: &str =
    r#"{"type":"enum","name":"Enum1","namespace":"namespace2","symbols":["A","B"]}"#;
/// `ENUM1_ABC_SCHEMA`.
pub const ENUM1_ABC: &str = r#"{"type":"enum","name":"Enum1","symbols":["A","B","C"]}"#;
/// `ENUM1_BC_SCHEMA`.
pub const ENUM1_BC: &str = r#"{"type":"enum","name":"Enum1","symbols":["B","C"]}"#;
/// `ENUM2_AB_SCHEMA`.
pub const ENUM2_AB: &str = r#"{"type":"enum","name":"Enum2","symbols":["A","B"]}"#;
/// `ENUM_ABC_ENUM_DEFAULT_A_SCHEMA`.
pub const ENUM_ABC_ENUM_DEFAULT_A: &str =
    r#"{"type":"enum","name":"Enum","symbols":["A","B","C"],"default":"A"}"#;
/// `ENUM_AB_ENUM_DEFAULT_A_SCHEMA`.
pub const ENUM_AB_ENUM_DEFAULT_A: &str =
    r#"{"type":"enum","name":"Enum","symbols":["A","B"],"default":"A"}"#;
/// `ENUM_ABC_ENUM_DEFAULT_A_RECORD`.
pub const ENUM_ABC_ENUM_DEFAULT_A_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Schema","symbols":["A","B","C"],"default":"A"}}]}"#;
/// `ENUM_AB_ENUM_DEFAULT_A_RECORD`.
pub const ENUM_AB_ENUM_DEFAULT_A_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Schema","symbols":["A","B"],"default":"A"}}]}"#;
/// `ENUM_ABC_FIELD_DEFAULT_B_ENUM_DEFAULT_A_RECORD`.
pub const ENUM_ABC_FIELD_DEFAULT_B_ENUM_DEFAULT_A_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Schema","symbols":["A","B","C"],"default":"A"},"default":"B"}]}"#;
/// `ENUM_AB_FIELD_DEFAULT_A_ENUM_DEFAULT_B_RECORD`.
pub const ENUM_AB_FIELD_DEFAULT_A_ENUM_DEFAULT_B_RECORD: &str = r#"{"type":"record","name":"Record","fields":[
    {"name":"Field","type":{"type":"enum","name":"Schema","symbols":["A","B"],"default":"B"},"default":"A"}]}"#;

/// `EMPTY_UNION_SCHEMA`.
pub const EMPTY_UNION: &str = "[]";
/// `NULL_UNION_SCHEMA`.
pub const NULL_UNION: &str = r#"["null"]"#;
/// `INT_UNION_SCHEMA`.
pub const INT_UNION: &str = r#"["int"]"#;
/// `LONG_UNION_SCHEMA`.
pub const LONG_UNION: &str = r#"["long"]"#;
/// `FLOAT_UNION_SCHEMA`.
pub const FLOAT_UNION: &str = r#"["float"]"#;
/// `DOUBLE_UNION_SCHEMA`.
pub const DOUBLE_UNION: &str = r#"["double"]"#;
/// `STRING_UNION_SCHEMA`.
pub const STRING_UNION: &str = r#"["string"]"#;
/// `BYTES_UNION_SCHEMA`.
pub const BYTES_UNION: &str = r#"["bytes"]"#;
/// `INT_STRING_UNION_SCHEMA`.
pub const INT_STRING_UNION: &str = r#"["int","string"]"#;
/// `STRING_INT_UNION_SCHEMA`.
pub const STRING_INT_UNION: &str = r#"["string","int"]"#;
/// `INT_FLOAT_UNION_SCHEMA`.
pub const INT_FLOAT_UNION: &str = r#"["int","float"]"#;
/// `INT_LONG_UNION_SCHEMA`.
pub const INT_LONG_UNION: &str = r#"["int","long"]"#;
/// `INT_LONG_FLOAT_DOUBLE_UNION_SCHEMA`.
pub const INT_LONG_FLOAT_DOUBLE_UNION: &str = r#"["int","long","float","double"]"#;
/// `NULL_INT_ARRAY_UNION_SCHEMA`.
pub const NULL_INT_ARRAY_UNION: &str = r#"["null",{"type":"array","items":"int"}]"#;
/// `NULL_INT_MAP_UNION_SCHEMA`.
pub const NULL_INT_MAP_UNION: &str = r#"["null",{"type":"map","values":"int"}]"#;

/// `EMPTY_RECORD1`.
pub const EMPTY_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[]}"#;
/// `EMPTY_RECORD2`.
pub const EMPTY_RECORD2: &str = r#"{"type":"record","name":"Record2","fields":[]}"#;
/// `A_INT_RECORD1`.
pub const A_INT_RECORD1: &str =
    r#"{"type":"record","name":"Record1","fields":[{"name":"a","type":"int"}]}"#;
/// `A_LONG_RECORD1`.
pub const A_LONG_RECORD1: &str =
    r#"{"type":"record","name":"Record1","fields":[{"name":"a","type":"long"}]}"#;
/// `A_INT_B_INT_RECORD1`.
pub const A_INT_B_INT_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int"},{"name":"b","type":"int"}]}"#;
/// `A_DINT_RECORD1`.
pub const A_DINT_RECORD1: &str =
    r#"{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0}]}"#;
/// `A_INT_B_DINT_RECORD1`.
pub const A_INT_B_DINT_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}"#;
/// `A_DINT_B_DINT_RECORD1`.
pub const A_DINT_B_DINT_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":"int","default":0}]}"#;
/// `A_DINT_B_DFIXED_4_BYTES_RECORD1` (despite its name, `b` has no default).
pub const A_DINT_B_DFIXED_4_BYTES_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":{"type":"fixed","name":"Fixed","size":4}}]}"#;
/// `A_DINT_B_DFIXED_8_BYTES_RECORD1` (despite its name, `b` has no default).
pub const A_DINT_B_DFIXED_8_BYTES_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":{"type":"fixed","name":"Fixed","size":8}}]}"#;
/// `A_DINT_B_DINT_STRING_UNION_RECORD1`.
pub const A_DINT_B_DINT_STRING_UNION_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":["int","string"],"default":0}]}"#;
/// `A_DINT_B_DINT_UNION_RECORD1`.
pub const A_DINT_B_DINT_UNION_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":["int"],"default":0}]}"#;
/// `A_DINT_B_DENUM_1_RECORD1` (despite its name, `b` has no default).
pub const A_DINT_B_DENUM_1_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":{"type":"enum","name":"Enum1","symbols":["A","B"]}}]}"#;
/// `A_DINT_B_DENUM_2_RECORD1` (despite its name, `b` has no default).
pub const A_DINT_B_DENUM_2_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"a","type":"int","default":0},{"name":"b","type":{"type":"enum","name":"Enum2","symbols":["A","B"]}}]}"#;

/// `FIXED_4_BYTES`.
pub const FIXED_4_BYTES: &str = r#"{"type":"fixed","name":"Fixed","size":4}"#;
/// `FIXED_8_BYTES`.
pub const FIXED_8_BYTES: &str = r#"{"type":"fixed","name":"Fixed","size":8}"#;

/// `NS_RECORD1`: a record with an array of `ns1.InnerRecord1`.
pub const NS_RECORD1: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"f1","type":["null",{"type":"array","items":{"type":"record","name":"InnerRecord1","namespace":"ns1",
        "fields":[{"name":"a","type":"int"}]}}]}]}"#;
/// `NS_RECORD2`: the same with `ns2.InnerRecord1`.
pub const NS_RECORD2: &str = r#"{"type":"record","name":"Record1","fields":[
    {"name":"f1","type":["null",{"type":"array","items":{"type":"record","name":"InnerRecord1","namespace":"ns2",
        "fields":[{"name":"a","type":"int"}]}}]}]}"#;

/// `WITHOUT_NS`.
pub const WITHOUT_NS: &str =
    r#"{"type":"record","name":"Record","fields":[{"name":"f1","type":"int"}]}"#;
/// `WITH_NS`.
pub const WITH_NS: &str =
    r#"{"type":"record","name":"ns.Record","fields":[{"name":"f1","type":"int"}]}"#;

/// `INT_LIST_RECORD`: a recursive list of `int`.
pub const INT_LIST_RECORD: &str = r#"{"type":"record","name":"List","fields":[
    {"name":"head","type":"int"},{"name":"tail","type":"List"}]}"#;
/// `LONG_LIST_RECORD`: a recursive list of `long`.
pub const LONG_LIST_RECORD: &str = r#"{"type":"record","name":"List","fields":[
    {"name":"head","type":"long"},{"name":"tail","type":"List"}]}"#;
