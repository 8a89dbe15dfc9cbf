//! Cross-implementation tests against fastavro, a Python implementation of
//! Avro nobody here wrote: for a few hundred seeded random schemas and
//! values, fastavro decodes the bytes this codec writes to the value that
//! fastavro's own Avro JSON reader makes of this codec's JSON text, and
//! writes exactly the same bytes for it; Object Container Files written by
//! each side with the null, deflate and snappy codecs are read by the
//! other.
//!
//! The Python side runs once for the whole batch, from the virtual
//! environment that `scripts/setup.sh` creates at
//! `$KPLAY_HOME/venv` (`KPLAY_HOME` defaults to `~/.cache/kafka-playground`)
//! with `fastavro`, `avro` and `cramjam` (fastavro's snappy) installed
//! (`KPLAY_PYTHON`, when set, names the interpreter instead).
//! Without it the test fails and says so.
//!
//! fastavro turns logical types into Python objects (dates, decimals,
//! UUIDs); the script strips `logicalType` from the schemas it uses, so
//! both sides compare the values as they are encoded.

use std::path::PathBuf;
use std::process::Command;

use apache_avro::Schema;
use engine::avro::random::{random_datum, random_schema};
use engine::avro::{read_container, write_container, Codec, ContainerCodec, Datum, JsonMode};
use engine::rng::Rng;
use serde_json::{json, Value as Json};

const CASES: u64 = 300;
const OCF_SCHEMAS: u64 = 6;
const CODECS: [ContainerCodec; 3] = [
    ContainerCodec::Null,
    ContainerCodec::Deflate,
    ContainerCodec::Snappy,
];

const SCRIPT: &str = r#"
import io, json, sys
from fastavro import json_reader, parse_schema, reader, schemaless_reader, schemaless_writer, writer

def strip(schema):
    if isinstance(schema, dict):
        return {k: strip(v) for k, v in schema.items() if k != "logicalType"}
    if isinstance(schema, list):
        return [strip(s) for s in schema]
    return schema

def branch_name(schema):
    if isinstance(schema, str):
        return schema
    if schema["type"] in ("record", "enum", "fixed"):
        return schema["name"]
    return schema["type"]

def from_avro_json(schema, value, named):
    # The Avro JSON encoding by hand, for what json_reader cannot do
    # (it fails on recursive named types).
    if isinstance(schema, str):
        if schema in named:
            return from_avro_json(named[schema], value, named)
        if schema == "bytes":
            return value.encode("latin-1")
        return value
    if isinstance(schema, list):
        if value is None:
            return None
        [(key, inner)] = value.items()
        [branch] = [b for b in schema if branch_name(b) == key]
        return from_avro_json(branch, inner, named)
    kind = schema["type"]
    if kind in ("record", "enum", "fixed"):
        named[schema["name"]] = schema
    if kind == "record":
        return {f["name"]: from_avro_json(f["type"], value[f["name"]], named) for f in schema["fields"]}
    if kind == "fixed":
        return value.encode("latin-1")
    if kind == "array":
        return [from_avro_json(schema["items"], v, named) for v in value]
    if kind == "map":
        return {k: from_avro_json(schema["values"], v, named) for k, v in value.items()}
    if kind == "bytes":
        return value.encode("latin-1")
    return value

def expected_records(schema, lines):
    try:
        return list(json_reader(io.StringIO("\n".join(lines) + "\n"), schema))
    except ValueError:
        return [from_avro_json(schema, json.loads(line), {}) for line in lines]

work = sys.argv[1]
batch = json.load(open(work + "/batch.json"))
results = {"cases": [], "ocf": []}
for case in batch["cases"]:
    result = {}
    try:
        schema = parse_schema(strip(json.loads(case["schema"])))
        [expected] = expected_records(schema, [case["json"]])
        ours = schemaless_reader(io.BytesIO(bytes.fromhex(case["bytes"])), schema)
        result["equal"] = ours == expected
        if not result["equal"]:
            result["detail"] = repr((ours, expected))
        out = io.BytesIO()
        schemaless_writer(out, schema, expected)
        result["bytes"] = out.getvalue().hex()
    except Exception as e:
        result["error"] = repr(e)
    results["cases"].append(result)
for case in batch["ocf"]:
    result = {}
    try:
        schema = parse_schema(strip(json.loads(case["schema"])))
        expected = expected_records(schema, case["json"])
        with open(case["ours"], "rb") as f:
            records = list(reader(f, reader_schema=schema))
        result["equal"] = records == expected
        if not result["equal"]:
            result["detail"] = repr((records, expected))
        with open(case["theirs"], "wb") as f:
            writer(f, schema, expected, codec=case["codec"], sync_interval=200)
    except Exception as e:
        result["error"] = repr(e)
    results["ocf"].append(result)
json.dump(results, open(work + "/results.json", "w"))
"#;

fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("KPLAY_PYTHON") {
        return PathBuf::from(python);
    }
    let home = std::env::var_os("KPLAY_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let mut home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
            home.push(".cache/kafka-playground");
            home
        });
    let python = home.join("venv/bin/python");
    assert!(
        python.exists(),
        "fastavro's Python is missing: {} does not exist. Run scripts/setup.sh (it creates \
         $KPLAY_HOME/venv with fastavro, avro and cramjam), or by hand: python3 -m venv {} && \
         {} -m pip install fastavro==1.12.1 avro==1.12.0 cramjam==2.11.0",
        python.display(),
        home.join("venv").display(),
        python.display()
    );
    python
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

struct Case {
    schema: String,
    codec: Codec,
    datum: Datum<'static>,
    bytes: Vec<u8>,
}

struct OcfCase {
    codec: Codec,
    records: Vec<Datum<'static>>,
    theirs: PathBuf,
    label: String,
}

#[test]
fn fastavro_reads_and_writes_what_we_do() {
    let python = python();
    let work = std::env::temp_dir().join(format!("kplay-avro-fastavro-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("temp dir");

    let mut cases = Vec::new();
    let mut batch_cases = Vec::new();
    for seed in 0..CASES {
        let mut rng = Rng::seeded(seed);
        let schema = random_schema(&mut rng, 3);
        let codec = Codec::new(&Schema::parse_str(&schema).expect("schema")).expect("codec");
        let datum = random_datum(codec.writer(), &mut rng);
        let bytes = codec.encode_to_vec(&datum).expect("encode");
        let text = codec
            .writer()
            .to_json(&datum, JsonMode::Avro)
            .expect("json");
        batch_cases.push(json!({"schema": schema, "json": text, "bytes": hex(&bytes)}));
        cases.push(Case {
            schema,
            codec,
            datum,
            bytes,
        });
    }

    let mut ocf = Vec::new();
    let mut batch_ocf = Vec::new();
    for seed in 0..OCF_SCHEMAS {
        let mut rng = Rng::seeded(1000 + seed);
        let schema = if seed == 0 {
            engine::workload::AVRO_LARGE_SCHEMA.to_owned()
        } else {
            random_schema(&mut rng, 3)
        };
        let codec = Codec::new(&Schema::parse_str(&schema).expect("schema")).expect("codec");
        let records: Vec<Datum<'static>> = if seed == 0 {
            (0..500).map(engine::workload::avro_large).collect()
        } else {
            (0..40)
                .map(|_| random_datum(codec.writer(), &mut rng))
                .collect()
        };
        let lines: Vec<String> = records
            .iter()
            .map(|r| codec.writer().to_json(r, JsonMode::Avro).expect("json"))
            .collect();
        for container_codec in CODECS {
            let name = container_codec.name();
            let ours = work.join(format!("ours-{seed}-{name}.avro"));
            let theirs = work.join(format!("theirs-{seed}-{name}.avro"));
            let bytes = write_container(
                &schema,
                container_codec,
                [seed as u8; 16],
                &[],
                &records,
                64,
            )
            .expect("write container");
            std::fs::write(&ours, bytes).expect("write file");
            batch_ocf.push(json!({
                "schema": schema, "json": lines, "codec": name,
                "ours": ours, "theirs": theirs,
            }));
            ocf.push(OcfCase {
                codec: codec.clone(),
                records: records.clone(),
                theirs,
                label: format!("schema {seed} codec {name}"),
            });
        }
    }

    std::fs::write(
        work.join("batch.json"),
        json!({"cases": batch_cases, "ocf": batch_ocf}).to_string(),
    )
    .expect("batch");
    std::fs::write(work.join("check.py"), SCRIPT).expect("script");
    let output = Command::new(&python)
        .arg(work.join("check.py"))
        .arg(&work)
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "the fastavro script failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Json =
        serde_json::from_slice(&std::fs::read(work.join("results.json")).expect("results"))
            .expect("results json");

    let case_results = results["cases"].as_array().expect("cases");
    let ocf_results = results["ocf"].as_array().expect("ocf");
    assert_eq!(
        (case_results.len(), ocf_results.len()),
        (cases.len(), ocf.len())
    );
    let mut failures = Vec::new();
    for (case, result) in cases.iter().zip(case_results) {
        if let Some(error) = result.get("error") {
            failures.push(format!("{}: fastavro failed: {error}", case.schema));
            continue;
        }
        if result["equal"] != json!(true) {
            failures.push(format!(
                "{}: fastavro decoded differently: {}",
                case.schema, result["detail"]
            ));
        }
        let theirs = unhex(result["bytes"].as_str().expect("bytes"));
        if theirs != case.bytes {
            failures.push(format!(
                "{}: fastavro wrote {} for our {}",
                case.schema,
                hex(&theirs),
                hex(&case.bytes)
            ));
        }
        match case.codec.decode_slice(&theirs) {
            Ok(datum) if datum == case.datum => {}
            other => failures.push(format!(
                "{}: we decode fastavro's bytes as {other:?}",
                case.schema
            )),
        }
    }
    for (case, result) in ocf.iter().zip(ocf_results) {
        if let Some(error) = result.get("error") {
            failures.push(format!("{}: fastavro failed: {error}", case.label));
            continue;
        }
        if result["equal"] != json!(true) {
            failures.push(format!(
                "{}: fastavro read our file differently: {}",
                case.label, result["detail"]
            ));
        }
        let bytes = std::fs::read(&case.theirs).expect("fastavro's file");
        match read_container(&bytes, None) {
            Ok(file) => {
                // fastavro's file carries the schema without logical types:
                // compare the encodings.
                let ours: Vec<Vec<u8>> = case
                    .records
                    .iter()
                    .map(|r| case.codec.encode_to_vec(r).expect("encode"))
                    .collect();
                let theirs: Vec<Vec<u8>> = file
                    .records
                    .iter()
                    .map(|r| case.codec.encode_to_vec(r).expect("encode"))
                    .collect();
                if ours != theirs {
                    failures.push(format!(
                        "{}: we read fastavro's file differently",
                        case.label
                    ));
                }
            }
            Err(e) => failures.push(format!(
                "{}: we cannot read fastavro's file: {e}",
                case.label
            )),
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
