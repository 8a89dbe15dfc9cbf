//! The registry through its REST door, as Confluent's `RestApiTest` drives
//! a real one, plus evolution at every level, deletes, references, the
//! `_schemas` records, rebuilds and leader failover.

use super::*;
use crate::cluster::ClusterConfig;
use crate::record::StoredRecord;

fn cluster(brokers: i32) -> Cluster {
    Cluster::new(
        ClusterConfig {
            broker_count: brokers,
            ..ClusterConfig::default()
        },
        7,
        Millis(1_000),
    )
    .unwrap()
}

fn registry(brokers: i32, nodes: i32) -> (Cluster, SchemaRegistry) {
    let mut c = cluster(brokers);
    let r = SchemaRegistry::start(
        &mut c,
        RegistryConfig {
            nodes,
            ..RegistryConfig::default()
        },
    )
    .unwrap();
    (c, r)
}

/// Sends a request and returns status and body.
fn call(
    r: &mut SchemaRegistry,
    c: &mut Cluster,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String) {
    let response = r.handle(c, method, path, body);
    (response.status, response.body)
}

/// The body of a registration request for `schema`.
fn req(schema: &str) -> String {
    ObjectWriterForTests::schema(schema)
}

struct ObjectWriterForTests;

impl ObjectWriterForTests {
    fn schema(schema: &str) -> String {
        json::ObjectWriter::new().string("schema", schema).finish()
    }
}

fn register(r: &mut SchemaRegistry, c: &mut Cluster, subject: &str, schema: &str) -> (u16, String) {
    call(
        r,
        c,
        "POST",
        &format!("/subjects/{subject}/versions"),
        &req(schema),
    )
}

fn error(code: i32, message: &str) -> String {
    json::ObjectWriter::new()
        .number("error_code", i64::from(code))
        .string("message", message)
        .finish()
}

/// A record schema with `fields` given as JSON.
fn record(fields: &str) -> String {
    format!(r#"{{"type":"record","name":"User","fields":[{fields}]}}"#)
}

const F1: &str = r#"{"name":"f1","type":"string"}"#;
const F2_DEFAULT: &str = r#"{"name":"f2","type":"string","default":"x"}"#;
const F2: &str = r#"{"name":"f2","type":"string"}"#;

fn schemas_records(c: &Cluster) -> Vec<StoredRecord> {
    let data = c.fetch(store::TOPIC, 0, 0, u64::MAX).unwrap();
    data.batches
        .iter()
        .flat_map(|b| decode_batch(&b.bytes).unwrap())
        .collect()
}

fn text(bytes: &Option<Bytes>) -> Option<String> {
    bytes
        .as_ref()
        .map(|b| String::from_utf8(b.to_vec()).unwrap())
}

// ----- registration and identity ---------------------------------------------

#[test]
fn the_same_schema_shares_one_id_across_subjects_and_reregistration_returns_it() {
    let (mut c, mut r) = registry(1, 1);
    assert_eq!(
        register(&mut r, &mut c, "a", r#"{"type": "string"}"#),
        (200, r#"{"id":1}"#.into())
    );
    assert_eq!(
        register(&mut r, &mut c, "b", r#""string""#),
        (200, r#"{"id":1}"#.into()),
        "same schema, other subject"
    );
    assert_eq!(
        register(&mut r, &mut c, "a", "\"string\""),
        (200, r#"{"id":1}"#.into()),
        "already registered"
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/a/versions", ""),
        (200, "[1]".into())
    );
    assert_eq!(
        register(&mut r, &mut c, "c", r#""long""#).1,
        r#"{"id":2}"#,
        "a new schema, a new id"
    );
}

#[test]
fn identity_is_javas_schema_to_string() {
    let (mut c, mut r) = registry(1, 1);
    let compact = r#"{"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"id","type":"int"}]}"#;
    let spaced = r#"{ "fields": [ {"type": {"type":"int"}, "name": "id"} ], "name": "com.acme.User", "type": "record" }"#;
    assert_eq!(register(&mut r, &mut c, "u", compact).1, r#"{"id":1}"#);
    assert_eq!(
        register(&mut r, &mut c, "u", spaced).1,
        r#"{"id":1}"#,
        "member order, spacing, namespace form"
    );
    let (_, body) = call(&mut r, &mut c, "GET", "/subjects/u/versions/latest", "");
    assert_eq!(
        body,
        format!(
            r#"{{"subject":"u","version":1,"id":1,"schema":{}}}"#,
            json::quote(compact)
        )
    );
    let documented = r#"{"type":"record","name":"User","namespace":"com.acme","doc":"a user","fields":[{"name":"id","type":"int"}]}"#;
    assert_eq!(
        register(&mut r, &mut c, "u", documented).1,
        r#"{"id":2}"#,
        "a doc is part of the schema"
    );
}

#[test]
fn version_endpoints_answer_confluents_shapes_and_errors() {
    let (mut c, mut r) = registry(1, 1);
    register(&mut r, &mut c, "s", &record(F1));
    register(&mut r, &mut c, "s", &record(&format!("{F1},{F2_DEFAULT}")));
    let v2 = r#"{"type":"record","name":"User","fields":[{"name":"f1","type":"string"},{"name":"f2","type":"string","default":"x"}]}"#;
    let (status, body) = call(&mut r, &mut c, "GET", "/subjects/s/versions/latest", "");
    assert_eq!(
        (status, body),
        (
            200,
            format!(
                r#"{{"subject":"s","version":2,"id":2,"schema":{}}}"#,
                json::quote(v2)
            )
        )
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions/-1/schema", ""),
        (200, v2.to_owned())
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions/1", "").0,
        200
    );
    let invalid = "The specified version '0' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"";
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions/0", ""),
        (422, error(42202, invalid))
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions/abc", "").1,
        error(42202, &invalid.replace("'0'", "'abc'"))
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions/3", ""),
        (404, error(40402, "Version 3 not found."))
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/nope/versions/1", ""),
        (404, error(40401, "Subject 'nope' not found."))
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/nope/versions", ""),
        (404, error(40401, "Subject 'nope' not found."))
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions", ""),
        (200, "[1,2]".into())
    );
}

#[test]
fn subjects_list_with_prefix_and_deleted_filters() {
    let (mut c, mut r) = registry(1, 1);
    for subject in ["orders-value", "orders-key", "users-value"] {
        register(&mut r, &mut c, subject, "\"string\"");
    }
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects", "").1,
        r#"["orders-key","orders-value","users-value"]"#
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects?subjectPrefix=orders", "").1,
        r#"["orders-key","orders-value"]"#
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/users-value", ""),
        (200, "[1]".into())
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects", "").1,
        r#"["orders-key","orders-value"]"#
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects?deleted=true", "").1,
        r#"["orders-key","orders-value","users-value"]"#
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects?deletedOnly=true", "").1,
        r#"["users-value"]"#
    );
}

#[test]
fn lookup_finds_the_version_a_schema_has_under_a_subject() {
    let (mut c, mut r) = registry(1, 1);
    register(&mut r, &mut c, "s", &record(F1));
    let (status, body) = call(&mut r, &mut c, "POST", "/subjects/s", &req(&record(F1)));
    assert_eq!(status, 200);
    assert!(
        body.starts_with(r#"{"subject":"s","version":1,"id":1,"schema":"#),
        "{body}"
    );
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/s", &req("\"int\"")),
        (404, error(40403, "Schema not found"))
    );
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/other", &req("\"int\"")),
        (404, error(40401, "Subject 'other' not found."))
    );
    let (status, body) = call(
        &mut r,
        &mut c,
        "POST",
        "/subjects/s",
        &req("{\"type\":\"nope\"}"),
    );
    assert_eq!(status, 422);
    assert!(
        body.starts_with(r#"{"error_code":42201,"message":"Invalid schema {subject=s,"#),
        "{body}"
    );
    // Soft-deleted versions are found only with ?deleted=true.
    call(&mut r, &mut c, "DELETE", "/subjects/s/versions/1", "");
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/s", &req(&record(F1))).0,
        404
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "POST",
            "/subjects/s?deleted=true",
            &req(&record(F1))
        )
        .0,
        200
    );
}

#[test]
fn schemas_by_id_and_types() {
    let (mut c, mut r) = registry(1, 1);
    register(&mut r, &mut c, "a", "\"string\"");
    register(&mut r, &mut c, "b", "\"string\"");
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/ids/1", ""),
        (200, r#"{"schema":"\"string\""}"#.into())
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/ids/1/schema", ""),
        (200, r#""string""#.into())
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/ids/1/subjects", "").1,
        r#"["a","b"]"#
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/ids/1/versions", "").1,
        r#"[{"subject":"a","version":1},{"subject":"b","version":1}]"#
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/ids/99", ""),
        (404, error(40403, "Schema 99 not found"))
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/ids/x", ""),
        (404, error(404, "HTTP 404 Not Found"))
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/types", ""),
        (200, r#"["AVRO"]"#.into())
    );
    // A soft-deleted version keeps its id resolvable (old data still decodes).
    call(&mut r, &mut c, "DELETE", "/subjects/a", "");
    call(&mut r, &mut c, "DELETE", "/subjects/b", "");
    assert_eq!(call(&mut r, &mut c, "GET", "/schemas/ids/1", "").0, 200);
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/ids/1/subjects", "").1,
        "[]"
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "GET",
            "/schemas/ids/1/subjects?deleted=true",
            ""
        )
        .1,
        r#"["a","b"]"#
    );
}

// ----- config and mode ----------------------------------------------------------

#[test]
fn config_get_put_delete_use_confluents_member_names() {
    let (mut c, mut r) = registry(1, 1);
    assert_eq!(
        call(&mut r, &mut c, "GET", "/config", ""),
        (200, r#"{"compatibilityLevel":"BACKWARD"}"#.into())
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "PUT",
            "/config",
            r#"{"compatibility":"full"}"#
        ),
        (200, r#"{"compatibility":"FULL"}"#.into())
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/config", "").1,
        r#"{"compatibilityLevel":"FULL"}"#
    );
    let invalid = error(
        42203,
        "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive",
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "PUT",
            "/config",
            r#"{"compatibility":"SIDEWAYS"}"#
        ),
        (422, invalid.clone())
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "PUT",
            "/config",
            r#"{"compatibilityLevel":"FULL"}"#
        ),
        (422, invalid),
        "PUT takes `compatibility`"
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/config/s", ""),
        (
            404,
            error(
                40408,
                "Subject 's' does not have subject-level compatibility configured"
            )
        )
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/config/s?defaultToGlobal=true", "").1,
        r#"{"compatibilityLevel":"FULL"}"#
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "PUT",
            "/config/s",
            r#"{"compatibility":"NONE"}"#
        )
        .1,
        r#"{"compatibility":"NONE"}"#
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/config/s", "").1,
        r#"{"compatibilityLevel":"NONE"}"#
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/config/s", "").1,
        r#"{"compatibilityLevel":"NONE"}"#
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/config/s", ""),
        (404, error(40401, "Subject 's' not found."))
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/config", "").1,
        r#"{"compatibilityLevel":"FULL"}"#
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/config", "").1,
        r#"{"compatibilityLevel":"BACKWARD"}"#,
        "back to the default"
    );
}

#[test]
fn modes_gate_writes_as_confluent_does() {
    let (mut c, mut r) = registry(1, 1);
    assert_eq!(
        call(&mut r, &mut c, "GET", "/mode", ""),
        (200, r#"{"mode":"READWRITE"}"#.into())
    );
    register(&mut r, &mut c, "s", "\"string\"");
    assert_eq!(
        call(&mut r, &mut c, "PUT", "/mode", r#"{"mode":"READONLY"}"#),
        (200, r#"{"mode":"READONLY"}"#.into())
    );
    assert_eq!(
        register(&mut r, &mut c, "s", "\"int\""),
        (422, error(42205, "Subject s is in read-only mode"))
    );
    assert_eq!(
        register(&mut r, &mut c, "s", "\"string\"").1,
        r#"{"id":1}"#,
        "an existing schema is still answered"
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/s", ""),
        (422, error(42205, "Subject s is in read-only mode"))
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "PUT",
            "/config/s",
            r#"{"compatibility":"NONE"}"#
        )
        .0,
        422
    );
    assert_eq!(
        call(&mut r, &mut c, "PUT", "/mode", r#"{"mode":"WRITEONLY"}"#),
        (
            422,
            error(
                42204,
                "Invalid mode. Valid values are READWRITE, READONLY, and IMPORT."
            )
        )
    );
    assert_eq!(
        call(&mut r, &mut c, "PUT", "/mode", r#"{"mode":"IMPORT"}"#),
        (
            422,
            error(42205, "Cannot import since found existing subjects")
        )
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "PUT",
            "/mode?force=true",
            r#"{"mode":"IMPORT"}"#
        )
        .0,
        200
    );
    assert_eq!(
        call(&mut r, &mut c, "PUT", "/mode", r#"{"mode":"READWRITE"}"#).0,
        200
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/mode/s", ""),
        (
            404,
            error(
                40409,
                "Subject 's' does not have subject-level mode configured"
            )
        )
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/mode/s?defaultToGlobal=true", "").1,
        r#"{"mode":"READWRITE"}"#
    );
    assert_eq!(
        call(&mut r, &mut c, "PUT", "/mode/s", r#"{"mode":"READONLY"}"#).0,
        200
    );
    assert_eq!(register(&mut r, &mut c, "s", "\"int\"").0, 422);
    assert_eq!(
        register(&mut r, &mut c, "t", "\"int\"").0,
        200,
        "only s is read-only"
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/mode/s", "").1,
        r#"{"mode":"READONLY"}"#
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/mode/s", ""),
        (404, error(40401, "Subject 's' not found."))
    );
}

#[test]
fn import_mode_registers_with_given_ids_and_versions() {
    let (mut c, mut r) = registry(1, 1);
    let with_id = r#"{"schema":"\"string\"","id":100,"version":3}"#;
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/s/versions", with_id),
        (422, error(42205, "Subject s is not in import mode"))
    );
    assert_eq!(
        call(&mut r, &mut c, "PUT", "/mode", r#"{"mode":"IMPORT"}"#).0,
        200,
        "an empty registry may import"
    );
    assert_eq!(
        register(&mut r, &mut c, "s", "\"string\""),
        (422, error(42205, "Subject s is not in read-write mode"))
    );
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/s/versions", with_id),
        (200, r#"{"id":100}"#.into())
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions", "").1,
        "[3]"
    );
    let clash = r#"{"schema":"\"int\"","id":100,"version":4}"#;
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/s/versions", clash),
        (
            422,
            error(42205, "Overwrite new schema with id 100 is not permitted.")
        )
    );
    let other_id = r#"{"schema":"\"string\"","id":7,"version":5}"#;
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/t/versions", other_id),
        (
            422,
            error(
                42207,
                "Schema already registered with id 100 instead of input id 7"
            )
        )
    );
    call(&mut r, &mut c, "PUT", "/mode", r#"{"mode":"READWRITE"}"#);
    assert_eq!(
        register(&mut r, &mut c, "t", "\"int\"").1,
        r#"{"id":101}"#,
        "new ids continue after imported ones"
    );
}

// ----- compatibility --------------------------------------------------------------

/// Registers v1 and v2 under a subject at `level`, then tries v3.
fn evolve(level: CompatibilityLevel, versions: [&str; 3]) -> (u16, String) {
    let (mut c, mut r) = registry(1, 1);
    let body = format!(r#"{{"compatibility":"{level}"}}"#);
    assert_eq!(call(&mut r, &mut c, "PUT", "/config/s", &body).0, 200);
    for schema in &versions[..2] {
        assert_eq!(
            register(&mut r, &mut c, "s", schema).0,
            200,
            "{level}: {schema}"
        );
    }
    register(&mut r, &mut c, "s", versions[2])
}

#[test]
fn evolution_across_all_seven_levels_latest_only_versus_transitive() {
    use CompatibilityLevel::*;
    // v3 drops f2's default: it reads v2's data, not v1's.
    let adds_required = [
        record(F1),
        record(&format!("{F1},{F2_DEFAULT}")),
        record(&format!("{F1},{F2}")),
    ];
    // v3 removes f2, which v2 defaulted but v1 required.
    let removes = [
        record(&format!("{F1},{F2}")),
        record(&format!("{F1},{F2_DEFAULT}")),
        record(F1),
    ];
    let expectations = [
        (None, true, true),
        (Backward, true, true),
        (BackwardTransitive, false, true),
        (Forward, true, true),
        (ForwardTransitive, true, false),
        (Full, true, true),
        (FullTransitive, false, false),
    ];
    for (level, adds_ok, removes_ok) in expectations {
        let a = adds_required.each_ref().map(String::as_str);
        let b = removes.each_ref().map(String::as_str);
        assert_eq!(
            evolve(level, a).0 == 200,
            adds_ok,
            "{level} adding a required field"
        );
        assert_eq!(
            evolve(level, b).0 == 200,
            removes_ok,
            "{level} removing a field"
        );
    }
    // A type change breaks every level but NONE.
    let retyped = [
        record(F1),
        record(F1),
        record(r#"{"name":"f1","type":"int"}"#),
    ];
    for level in CompatibilityLevel::ALL {
        let status = evolve(level, retyped.each_ref().map(String::as_str)).0;
        assert_eq!(status == 200, level == None, "{level}");
    }
}

#[test]
fn an_incompatible_registration_is_409_with_confluents_details() {
    let (mut c, mut r) = registry(1, 1);
    register(&mut r, &mut c, "s", &record(F1));
    let (status, body) = register(&mut r, &mut c, "s", &record(&format!("{F1},{F2}")));
    assert_eq!(status, 409);
    let expected = format!(
        "Schema being registered is incompatible with an earlier schema for subject \"s\", details: [{{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'f2'}}, {{oldSchemaVersion: 1}}, {{oldSchema: '{}'}}, {{validateFields: 'false', compatibility: 'BACKWARD'}}]",
        record(F1).replace(' ', "")
    );
    assert_eq!(body, error(409, &expected));
}

#[test]
fn the_compatibility_endpoint_checks_one_version_latest_or_all() {
    let (mut c, mut r) = registry(1, 1);
    call(
        &mut r,
        &mut c,
        "PUT",
        "/config/s",
        r#"{"compatibility":"BACKWARD_TRANSITIVE"}"#,
    );
    register(&mut r, &mut c, "s", &record(F1));
    register(&mut r, &mut c, "s", &record(&format!("{F1},{F2_DEFAULT}")));
    let candidate = req(&record(&format!("{F1},{F2}")));
    let check =
        |r: &mut SchemaRegistry, c: &mut Cluster, path: &str| call(r, c, "POST", path, &candidate);
    assert_eq!(
        check(&mut r, &mut c, "/compatibility/subjects/s/versions/latest"),
        (200, r#"{"is_compatible":true}"#.into())
    );
    assert_eq!(
        check(&mut r, &mut c, "/compatibility/subjects/s/versions/1"),
        (200, r#"{"is_compatible":false}"#.into())
    );
    assert_eq!(
        check(&mut r, &mut c, "/compatibility/subjects/s/versions"),
        (200, r#"{"is_compatible":false}"#.into()),
        "all versions, transitively"
    );
    let (_, verbose) = check(
        &mut r,
        &mut c,
        "/compatibility/subjects/s/versions/1?verbose=true",
    );
    assert!(
        verbose.starts_with(
            r#"{"is_compatible":false,"messages":["{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'"#
        ),
        "{verbose}"
    );
    assert!(
        verbose.ends_with(r#""{validateFields: 'false', compatibility: 'BACKWARD_TRANSITIVE'}"]}"#),
        "{verbose}"
    );
    assert_eq!(
        check(
            &mut r,
            &mut c,
            "/compatibility/subjects/s/versions/latest?verbose=true"
        )
        .1,
        r#"{"is_compatible":true}"#
    );
    assert_eq!(
        check(&mut r, &mut c, "/compatibility/subjects/s/versions/7"),
        (404, error(40402, "Version 7 not found."))
    );
    assert_eq!(
        check(&mut r, &mut c, "/compatibility/subjects/x/versions/1"),
        (404, error(40401, "Subject 'x' not found."))
    );
    assert_eq!(
        check(&mut r, &mut c, "/compatibility/subjects/x/versions/latest").1,
        r#"{"is_compatible":true}"#,
        "nothing to be incompatible with"
    );
    assert_eq!(
        check(&mut r, &mut c, "/compatibility/subjects/s/versions/zero").0,
        422
    );
}

// ----- deletes -----------------------------------------------------------------------

#[test]
fn soft_then_hard_delete_rules_for_versions() {
    let (mut c, mut r) = registry(1, 1);
    register(&mut r, &mut c, "s", "\"string\"");
    register(&mut r, &mut c, "s", "\"bytes\"");
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "DELETE",
            "/subjects/s/versions/1?permanent=true",
            ""
        ),
        (
            404,
            error(
                40407,
                "Subject 's' Version 1 was not deleted first before being permanently deleted"
            )
        )
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/s/versions/1", ""),
        (200, "1".into())
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/s/versions/1", ""),
        (
            404,
            error(
                40406,
                "Subject 's' Version 1 was soft deleted.Set permanent=true to delete permanently"
            )
        )
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions", "").1,
        "[2]"
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "GET",
            "/subjects/s/versions?deleted=true",
            ""
        )
        .1,
        "[1,2]"
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions/1", "").0,
        404
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "GET",
            "/subjects/s/versions/1?deleted=true",
            ""
        )
        .0,
        200
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "DELETE",
            "/subjects/s/versions/1?permanent=true",
            ""
        ),
        (200, "1".into())
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "GET",
            "/subjects/s/versions?deleted=true",
            ""
        )
        .1,
        "[2]"
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "DELETE",
            "/subjects/s/versions/1?permanent=true",
            ""
        ),
        (404, error(40402, "Version 1 not found."))
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/nope/versions/1", ""),
        (404, error(40401, "Subject 'nope' not found."))
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/s/versions/latest", ""),
        (200, "2".into())
    );
    // Re-registering a deleted schema: a new version, the old id.
    assert_eq!(
        register(&mut r, &mut c, "s", "\"string\""),
        (200, r#"{"id":1}"#.into())
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions", "").1,
        "[3]"
    );
}

#[test]
fn soft_then_hard_delete_rules_for_subjects() {
    let (mut c, mut r) = registry(1, 1);
    register(&mut r, &mut c, "s", "\"string\"");
    register(&mut r, &mut c, "s", "\"bytes\"");
    call(
        &mut r,
        &mut c,
        "PUT",
        "/config/s",
        r#"{"compatibility":"NONE"}"#,
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/s?permanent=true", ""),
        (
            404,
            error(
                40405,
                "Subject 's' was not deleted first before being permanently deleted"
            )
        )
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/s", ""),
        (200, "[1,2]".into())
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/config/s", "").0,
        404,
        "a deleted subject loses its config"
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/s", ""),
        (
            404,
            error(
                40404,
                "Subject 's' was soft deleted.Set permanent=true to delete permanently"
            )
        )
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions", ""),
        (404, error(40401, "Subject 's' not found."))
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/s?permanent=true", ""),
        (200, "[1,2]".into())
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/s?permanent=true", ""),
        (404, error(40401, "Subject 's' not found."))
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/ids/1", "").0,
        404,
        "hard-deleted: the id no longer resolves"
    );
    // Versions start again at 1; the schema gets its old id back.
    assert_eq!(
        register(&mut r, &mut c, "s", "\"bytes\""),
        (200, r#"{"id":2}"#.into())
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/s/versions", "").1,
        "[1]"
    );
}

// ----- references --------------------------------------------------------------------

#[test]
fn references_resolve_across_subjects_and_block_deletes() {
    let (mut c, mut r) = registry(1, 1);
    let address = r#"{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"city","type":"string"}]}"#;
    assert_eq!(
        register(&mut r, &mut c, "address", address).1,
        r#"{"id":1}"#
    );
    let user = r#"{"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"home","type":"com.acme.Address"}]}"#;
    let body = format!(
        r#"{{"schema":{},"references":[{{"name":"com.acme.Address","subject":"address","version":1}}]}}"#,
        json::quote(user)
    );
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/user/versions", &body),
        (200, r#"{"id":2}"#.into())
    );
    let stored = r#"{"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"home","type":"Address"}]}"#;
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects/user/versions/1", "").1,
        format!(
            r#"{{"subject":"user","version":1,"id":2,"references":[{{"name":"com.acme.Address","subject":"address","version":1}}],"schema":{}}}"#,
            json::quote(stored)
        )
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "GET",
            "/subjects/address/versions/1/referencedby",
            ""
        )
        .1,
        "[2]"
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/schemas/ids/2", "").1,
        format!(
            r#"{{"schema":{},"references":[{{"name":"com.acme.Address","subject":"address","version":1}}]}}"#,
            json::quote(stored)
        )
    );
    let refused = error(42206, "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=address,version=1}.");
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/address/versions/1", ""),
        (422, refused.clone())
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/address", ""),
        (422, refused)
    );
    // Without its reference the schema does not parse.
    assert_eq!(register(&mut r, &mut c, "user2", user).0, 422);
    // The deserializer's view: the schema parsed with its references.
    let resolved = r.resolve_id(&c, 2).unwrap();
    assert_eq!(resolved.references.len(), 1);
    assert!(matches!(resolved.schema, Schema::Record(_)));
    // Another schema type is refused: only the Avro provider is loaded.
    let json_schema = r#"{"schema":"{}","schemaType":"JSON"}"#;
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/j/versions", json_schema),
        (422, error(42201, "Invalid schema type JSON"))
    );
}

// ----- bodies and routes -----------------------------------------------------------

#[test]
fn malformed_bodies_and_unknown_routes() {
    let (mut c, mut r) = registry(1, 1);
    let (status, body) = call(&mut r, &mut c, "POST", "/subjects/s/versions", "{not json");
    assert_eq!(status, 400);
    assert!(
        body.starts_with(r#"{"error_code":400,"message":"#),
        "{body}"
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "POST",
            "/subjects/s/versions",
            r#"{"schema":{"type":"string"}}"#
        )
        .0,
        400,
        "schema must be a string"
    );
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/s/versions", "").0,
        422
    );
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/s/versions", "{}"),
        (422, error(42201, "Empty schema"))
    );
    assert_eq!(
        call(
            &mut r,
            &mut c,
            "POST",
            "/subjects/s/versions",
            r#"{"schema":"nope"}"#
        )
        .0,
        422
    );
    assert_eq!(
        call(&mut r, &mut c, "GET", "/nowhere", ""),
        (404, error(404, "HTTP 404 Not Found"))
    );
    assert_eq!(
        call(&mut r, &mut c, "PATCH", "/subjects", ""),
        (405, error(405, "HTTP 405 Method Not Allowed"))
    );
    assert_eq!(call(&mut r, &mut c, "GET", "/", ""), (200, "{}".into()));
    // An empty body for a subject with versions re-registers the latest.
    register(&mut r, &mut c, "s", "\"string\"");
    assert_eq!(
        call(&mut r, &mut c, "POST", "/subjects/s/versions", "{}"),
        (200, r#"{"id":1}"#.into())
    );
    // Percent-encoded subjects.
    assert_eq!(register(&mut r, &mut c, "a%20b", "\"int\"").0, 200);
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects", "").1,
        r#"["a b","s"]"#
    );
}

// ----- storage, rebuild and leaders -----------------------------------------------

#[test]
fn every_change_is_a_schemas_record_in_confluents_format() {
    let (mut c, mut r) = registry(1, 1);
    let topic = c.describe_topic(store::TOPIC).unwrap();
    assert!(topic.internal);
    assert_eq!(topic.partitions.len(), 1);
    assert!(
        c.topic_config(store::TOPIC)
            .unwrap()
            .values()
            .cleanup_policy
            .compact
    );
    register(&mut r, &mut c, "Kafka-key", "\"string\"");
    call(
        &mut r,
        &mut c,
        "PUT",
        "/config",
        r#"{"compatibility":"FULL"}"#,
    );
    call(&mut r, &mut c, "DELETE", "/subjects/Kafka-key", "");
    call(
        &mut r,
        &mut c,
        "DELETE",
        "/subjects/Kafka-key?permanent=true",
        "",
    );
    let records: Vec<(Option<String>, Option<String>)> = schemas_records(&c)
        .iter()
        .map(|rec| (text(&rec.key), text(&rec.value)))
        .collect();
    let expected: Vec<(Option<String>, Option<String>)> = [
        (r#"{"keytype":"NOOP","magic":0}"#, None),
        (
            r#"{"keytype":"SCHEMA","subject":"Kafka-key","version":1,"magic":1}"#,
            Some(r#"{"subject":"Kafka-key","version":1,"id":1,"schema":"\"string\"","deleted":false}"#),
        ),
        (r#"{"keytype":"CONFIG","subject":null,"magic":0}"#, Some(r#"{"compatibilityLevel":"FULL"}"#)),
        (r#"{"keytype":"DELETE_SUBJECT","subject":"Kafka-key","magic":0}"#, Some(r#"{"subject":"Kafka-key","version":1}"#)),
        (r#"{"keytype":"SCHEMA","subject":"Kafka-key","version":1,"magic":1}"#, None),
    ]
    .into_iter()
    .map(|(k, v)| (Some(k.to_owned()), v.map(str::to_owned)))
    .collect();
    assert_eq!(records, expected);
}

#[test]
fn a_new_registry_rebuilds_its_state_from_schemas() {
    let (mut c, mut r) = registry(1, 1);
    register(&mut r, &mut c, "a", "\"string\"");
    register(&mut r, &mut c, "b", &record(F1));
    call(
        &mut r,
        &mut c,
        "PUT",
        "/config/b",
        r#"{"compatibility":"FORWARD"}"#,
    );
    assert_eq!(
        call(&mut r, &mut c, "DELETE", "/subjects/a/versions/1", "").0,
        200
    );
    call(&mut r, &mut c, "PUT", "/mode/b", r#"{"mode":"READONLY"}"#);
    let mut fresh = SchemaRegistry::start(&mut c, RegistryConfig::default()).unwrap();
    assert_eq!(
        fresh.nodes()[0].state(),
        r.nodes()[0].state(),
        "the topic is the state"
    );
    assert_eq!(
        call(&mut fresh, &mut c, "GET", "/subjects", "").1,
        r#"["b"]"#
    );
    assert_eq!(
        call(&mut fresh, &mut c, "GET", "/config/b", "").1,
        r#"{"compatibilityLevel":"FORWARD"}"#
    );
    assert_eq!(
        call(&mut fresh, &mut c, "GET", "/mode/b", "").1,
        r#"{"mode":"READONLY"}"#
    );
    assert_eq!(
        register(&mut fresh, &mut c, "c", "\"int\"").1,
        r#"{"id":3}"#,
        "ids continue"
    );
    // Compaction keeps the latest record per key, and the replay agrees.
    c.advance(1);
    let mut after = SchemaRegistry::start(&mut c, RegistryConfig::default()).unwrap();
    assert_eq!(
        call(&mut after, &mut c, "GET", "/subjects?deleted=true", "").1,
        r#"["a","b","c"]"#
    );
}

#[test]
fn writes_to_a_follower_go_to_the_leader_and_followers_catch_up() {
    let (mut c, mut r) = registry(3, 3);
    assert_eq!((r.leader(), r.generation()), (Some(1), 1));
    let response = r.handle_on(
        &mut c,
        2,
        "POST",
        "/subjects/s/versions",
        &req("\"string\""),
    );
    assert_eq!(
        (response.status, response.body.as_str()),
        (200, r#"{"id":1}"#)
    );
    let events: Vec<String> = r
        .drain_events()
        .iter()
        .map(|e| e.event.to_string())
        .collect();
    assert!(
        events.contains(
            &"Schema Registry node 2 forwarded \"register under s\" to the leader, node 1"
                .to_owned()
        ),
        "{events:?}"
    );
    assert!(
        events.contains(&"Schema registered under subject `s` as version 1 with id 1".to_owned()),
        "{events:?}"
    );
    // Node 3 reads committed records only: the ISR has not fetched yet.
    assert_eq!(r.handle_on(&mut c, 3, "GET", "/subjects", "").body, "[]");
    c.advance(10);
    assert_eq!(
        r.handle_on(&mut c, 3, "GET", "/subjects", "").body,
        r#"["s"]"#
    );
}

#[test]
fn stopping_the_leader_elects_another_and_loses_nothing() {
    let (mut c, mut r) = registry(3, 3);
    register(&mut r, &mut c, "s", "\"string\"");
    register(&mut r, &mut c, "t", "\"int\"");
    c.advance(10);
    r.stop_node(&mut c, 1).unwrap();
    assert_eq!((r.leader(), r.generation()), (Some(2), 2));
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects", "").1,
        r#"["s","t"]"#
    );
    assert_eq!(
        register(&mut r, &mut c, "u", "\"long\"").1,
        r#"{"id":3}"#,
        "the new leader knows the ids handed out"
    );
    r.set_leader_eligibility(&mut c, 3, false).unwrap();
    r.stop_node(&mut c, 2).unwrap();
    assert_eq!(r.leader(), None, "node 3 may not lead");
    assert_eq!(
        register(&mut r, &mut c, "v", "\"float\""),
        (500, error(50004, "Leader not known."))
    );
    c.advance(10);
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects", "").1,
        r#"["s","t","u"]"#,
        "reads still work on node 3"
    );
    r.start_node(&mut c, 1).unwrap();
    assert_eq!((r.leader(), r.generation()), (Some(1), 3));
    assert_eq!(register(&mut r, &mut c, "v", "\"float\"").1, r#"{"id":4}"#);
    // The broker leading _schemas stops: another replica takes over.
    c.advance(10);
    let broker = c.leader_of(store::TOPIC, 0).unwrap();
    c.stop_broker(broker).unwrap();
    c.advance(10);
    assert_eq!(
        call(&mut r, &mut c, "GET", "/subjects", "").1,
        r#"["s","t","u","v"]"#
    );
    assert_eq!(register(&mut r, &mut c, "w", "\"double\"").1, r#"{"id":5}"#);
}

#[test]
fn events_read_as_sentences() {
    let (mut c, mut r) = registry(1, 1);
    r.drain_events();
    register(&mut r, &mut c, "x", "\"string\"");
    register(&mut r, &mut c, "x", "\"bytes\"");
    register(&mut r, &mut c, "y", "\"bytes\"");
    call(&mut r, &mut c, "DELETE", "/subjects/y", "");
    let events: Vec<String> = r
        .drain_events()
        .iter()
        .map(|e| e.event.to_string())
        .collect();
    assert!(
        events.contains(&"Schema registered under subject `x` as version 2 with id 2".to_owned()),
        "{events:?}"
    );
    assert!(events.contains(&"Schema registered under subject `y` as version 1 with id 2 (a schema the registry already had)".to_owned()));
    assert!(events.contains(&"Subject `y` soft-deleted (versions [1])".to_owned()));
}

#[test]
fn typed_calls_are_what_rest_answers() {
    let (mut c, mut r) = registry(1, 1);
    let id = r
        .register(
            &mut c,
            "orders-value",
            &RegisterSchemaRequest::avro(record(F1)),
        )
        .unwrap();
    let latest = r
        .get_version(&c, "orders-value", VersionId::Latest, false)
        .unwrap();
    assert_eq!((latest.id, latest.version), (id, 1));
    assert_eq!(r.schema_by_id(&c, id).unwrap().schema, latest.schema);
    let found = r
        .lookup(
            &c,
            "orders-value",
            &RegisterSchemaRequest::avro(record(F1)),
            false,
        )
        .unwrap();
    assert_eq!(found, latest);
    assert_eq!(
        r.get_config(&c, None, false).unwrap(),
        CompatibilityLevel::Backward
    );
    let err = r
        .register(
            &mut c,
            "orders-value",
            &RegisterSchemaRequest::avro(record(&format!("{F1},{F2}"))),
        )
        .unwrap_err();
    assert_eq!(
        (err.status, err.error_code),
        (409, error::codes::INCOMPATIBLE_SCHEMA)
    );
    assert_eq!(VersionId::parse("latest").unwrap(), VersionId::Latest);
    assert_eq!(VersionId::parse("-1").unwrap(), VersionId::Latest);
    assert_eq!(
        VersionId::parse("0").unwrap_err().error_code,
        error::codes::INVALID_VERSION
    );
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    fn path() -> impl Strategy<Value = String> {
        let segment = prop_oneof![
            Just("subjects".to_owned()),
            Just("versions".to_owned()),
            Just("schemas".to_owned()),
            Just("ids".to_owned()),
            Just("config".to_owned()),
            Just("mode".to_owned()),
            Just("compatibility".to_owned()),
            Just("latest".to_owned()),
            Just("1".to_owned()),
            Just("s".to_owned()),
            "[a-z0-9%.-]{0,6}",
        ];
        (
            proptest::collection::vec(segment, 0..6),
            "(\\?[a-zA-Z=&]{0,20})?",
        )
            .prop_map(|(segments, query)| format!("/{}{query}", segments.join("/")))
    }

    fn body() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just(r#"{"schema":"\"string\""}"#.to_owned()),
            Just(r#"{"compatibility":"NONE"}"#.to_owned()),
            Just(r#"{"mode":"IMPORT"}"#.to_owned()),
            Just(r#"{"schema":"\"int\"","id":5,"version":2}"#.to_owned()),
            Just(r#"{"schema":"{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}","references":[{"name":"x","subject":"s","version":1}]}"#.to_owned()),
            ".{0,40}",
            "[\\[\\]{}\":,0-9a-z ]{0,40}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn no_request_panics(requests in proptest::collection::vec((0..5usize, path(), body()), 1..12)) {
            let (mut c, mut r) = registry(1, 1);
            for (method, path, body) in requests {
                let method = ["GET", "POST", "PUT", "DELETE", "PATCH"][method];
                let response = r.handle(&mut c, method, &path, &body);
                prop_assert!([200, 400, 404, 405, 409, 422, 500].contains(&response.status), "{method} {path} {body} → {response:?}");
                prop_assert!(json::parse(&response.body).is_ok() || response.status == 200, "{response:?}");
            }
        }
    }
}
