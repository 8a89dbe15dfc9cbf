//! Kafka Connect through the playground: REST shapes and codes, the file
//! source → topic → file sink pipeline, the internal topics' records,
//! pause/resume, worker restarts and a random-request property test.

use proptest::prelude::*;

use super::*;
use crate::clock::Millis;
use crate::playground::Playground;
use crate::record::StoredRecord;

fn playground() -> Playground {
    Playground::new(Cluster::with_defaults(7, Millis(1_700_000_000_000)), 7)
}

fn call(p: &mut Playground, method: &str, path: &str, body: &str) -> (u16, String) {
    let r = p.connect_request(method, path, body);
    (r.status, r.body)
}

fn worker(p: &mut Playground) -> &mut ConnectWorker {
    match p.connect() {
        Ok((w, _, _)) => w,
        Err(e) => panic!("{e}"),
    }
}

fn records(p: &Playground, topic: &str) -> Vec<StoredRecord> {
    let c = p.cluster();
    let mut out = Vec::new();
    // The leader's whole log: the worker's acks=all writes count as made.
    for partition in 0..c.partition_count(topic).unwrap_or(0) {
        let log = c
            .replica_log(topic, partition, c.leader_of(topic, partition).unwrap())
            .unwrap();
        let data = log.read(0, u64::MAX, log.log_end_offset()).unwrap();
        for b in &data.batches {
            out.extend(decode_batch(&b.bytes).unwrap());
        }
    }
    out
}

fn keyed(p: &Playground, topic: &str) -> Vec<(String, Option<String>)> {
    records(p, topic)
        .into_iter()
        .map(|r| {
            (
                String::from_utf8_lossy(r.key.as_deref().unwrap_or_default()).into_owned(),
                r.value.map(|v| String::from_utf8_lossy(&v).into_owned()),
            )
        })
        .collect()
}

const SOURCE: &str = r#"{"name":"src","config":{"connector.class":"FileStreamSource","file":"in.txt","topic":"lines","value.converter":"org.apache.kafka.connect.storage.StringConverter"}}"#;
const SINK: &str = r#"{"name":"dst","config":{"connector.class":"org.apache.kafka.connect.file.FileStreamSinkConnector","file":"out.txt","topics":"lines","tasks.max":"2","value.converter":"org.apache.kafka.connect.storage.StringConverter"}}"#;

#[test]
fn starting_creates_connects_internal_topics() {
    let mut p = playground();
    let (status, body) = call(&mut p, "GET", "/", "");
    assert_eq!(status, 200);
    assert_eq!(
        body,
        r#"{"version":"4.0.0","commit":"985bc99521dd22bb","kafka_cluster_id":"KafkaPlaygroundCluster"}"#
    );
    for (topic, partitions) in [
        ("connect-configs", 1),
        ("connect-offsets", 25),
        ("connect-status", 5),
    ] {
        let d = p.cluster().describe_topic(topic).unwrap();
        assert_eq!(d.partitions.len(), partitions, "{topic}");
        assert_eq!(d.partitions[0].replicas.len(), 3);
        assert!(
            p.cluster()
                .topic_config(topic)
                .unwrap()
                .values()
                .cleanup_policy
                .compact
        );
    }
}

#[test]
fn create_shapes_codes_and_config_records() {
    let mut p = playground();
    let (status, body) = call(&mut p, "POST", "/connectors", SOURCE);
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body,
        r#"{"name":"src","config":{"connector.class":"FileStreamSource","file":"in.txt","name":"src","topic":"lines","value.converter":"org.apache.kafka.connect.storage.StringConverter"},"tasks":[],"type":"source"}"#
    );
    assert_eq!(
        call(&mut p, "POST", "/connectors", SOURCE),
        (
            409,
            r#"{"error_code":409,"message":"Connector src already exists"}"#.to_owned()
        )
    );
    // No status until the worker has started it.
    assert_eq!(call(&mut p, "GET", "/connectors/src/status", "").0, 404);
    p.step(10);
    let (_, body) = call(&mut p, "GET", "/connectors/src/status", "");
    assert_eq!(
        body,
        r#"{"name":"src","connector":{"state":"RUNNING","worker_id":"127.0.0.1:8083"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:8083"}],"type":"source"}"#
    );
    assert!(call(&mut p, "GET", "/connectors/src", "")
        .1
        .contains(r#""tasks":[{"connector":"src","task":0}]"#));
    let (_, tasks) = call(&mut p, "GET", "/connectors/src/tasks", "");
    assert!(
        tasks.starts_with(r#"[{"id":{"connector":"src","task":0},"config":{"connector.class""#),
        "{tasks}"
    );
    assert_eq!(
        call(&mut p, "GET", "/connectors/src/tasks/0/status", "").1,
        r#"{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:8083"}"#
    );
    assert_eq!(call(&mut p, "GET", "/connectors", "").1, r#"["src"]"#);
    let (_, expanded) = call(&mut p, "GET", "/connectors?expand=status&expand=info", "");
    assert!(
        expanded.starts_with(r#"{"src":{"status":{"name":"src","connector":{"state":"RUNNING""#),
        "{expanded}"
    );
    assert!(expanded.contains(r#""info":{"name":"src","config":"#));
    p.step(1000);
    let keys: Vec<String> = keyed(&p, "connect-configs")
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, ["connector-src", "task-src-0", "commit-src"]);
    assert_eq!(
        keyed(&p, "connect-configs")[2].1.as_deref(),
        Some(r#"{"tasks":1}"#)
    );
    let status: Vec<(String, Option<String>)> = keyed(&p, "connect-status");
    assert!(
        status.contains(&(
            "status-connector-src".into(),
            Some(
                r#"{"state":"RUNNING","trace":null,"worker_id":"127.0.0.1:8083","generation":1}"#
                    .into()
            )
        )),
        "{status:?}"
    );
    let cluster = p.cluster().clone();
    assert!(worker(&mut p).matches_topics(&cluster));
}

#[test]
fn bad_requests_answer_connects_errors() {
    let mut p = playground();
    assert_eq!(
        call(&mut p, "GET", "/connectors/foo", ""),
        (
            404,
            r#"{"error_code":404,"message":"Connector foo not found"}"#.to_owned()
        )
    );
    let (status, body) = call(
        &mut p,
        "POST",
        "/connectors",
        r#"{"name":"x","config":{"topic":"t"}}"#,
    );
    assert_eq!(
        (status, body.as_str()),
        (
            400,
            r#"{"error_code":400,"message":"Connector config {name=x, topic=t} contains no connector type"}"#
        )
    );
    let (status, body) = call(
        &mut p,
        "POST",
        "/connectors",
        r#"{"name":"x","config":{"connector.class":"Nope"}}"#,
    );
    assert_eq!(status, 400);
    assert!(body.contains(
        "Failed to find any class that implements Connector and which name matches Nope"
    ));
    let (status, body) = call(
        &mut p,
        "POST",
        "/connectors",
        r#"{"name":"x","config":{"connector.class":"FileStreamSource"}}"#,
    );
    assert_eq!(status, 400);
    assert!(body.contains(r#"contains the following 1 error(s):\nMissing required configuration \"topic\" which has no default value.\nYou can also"#), "{body}");
    assert_eq!(call(&mut p, "POST", "/connectors", "{nope").0, 400);
    assert_eq!(call(&mut p, "GET", "/nowhere", "").0, 404);
    assert_eq!(call(&mut p, "DELETE", "/connector-plugins", "").0, 405);
    let (_, plugins) = call(&mut p, "GET", "/connector-plugins", "");
    assert_eq!(
        plugins,
        r#"[{"class":"org.apache.kafka.connect.file.FileStreamSinkConnector","type":"sink","version":"4.0.0"},{"class":"org.apache.kafka.connect.file.FileStreamSourceConnector","type":"source","version":"4.0.0"}]"#
    );
    let (status, body) = call(
        &mut p,
        "PUT",
        "/connector-plugins/FileStreamSink/config/validate",
        r#"{"connector.class":"FileStreamSink","name":"k","tasks.max":"0"}"#,
    );
    assert_eq!(status, 200);
    assert!(body.starts_with(r#"{"name":"org.apache.kafka.connect.file.FileStreamSinkConnector","error_count":3,"groups":["Common"],"configs":[{"definition":{"name":"name","type":"STRING","required":true"#), "{body}");
    assert!(body.contains("Invalid value 0 for configuration tasks.max: Value must be at least 1"));
}

#[test]
fn file_source_to_topic_to_file_sink_end_to_end() {
    let mut p = playground();
    assert_eq!(call(&mut p, "POST", "/connectors", SOURCE).0, 201);
    assert_eq!(call(&mut p, "POST", "/connectors", SINK).0, 201);
    worker(&mut p).append_to_file("in.txt", "one\ntwo\r\nthree\npartial");
    p.step(200);
    let out = worker(&mut p).read_file("out.txt").unwrap_or_default();
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort_unstable();
    assert_eq!(lines, ["one", "three", "two"]);
    worker(&mut p).append_to_file("in.txt", " line\n");
    p.step(200);
    let out = worker(&mut p).read_file("out.txt").unwrap_or_default();
    assert_eq!(out.lines().filter(|l| *l == "partial line").count(), 1);
    assert_eq!(out.lines().count(), 4);
    // Offsets flush on the interval: the source's position, the sink's group.
    p.step(60_000);
    let (_, offsets) = call(&mut p, "GET", "/connectors/src/offsets", "");
    assert_eq!(
        offsets,
        r#"{"offsets":[{"partition":{"filename":"in.txt"},"offset":{"position":28}}]}"#
    );
    let (_, sink_offsets) = call(&mut p, "GET", "/connectors/dst/offsets", "");
    let committed: i64 = p
        .coordinator()
        .fetch_offsets("connect-dst", None)
        .iter()
        .map(|c| c.offset)
        .sum();
    assert_eq!(committed, 4);
    assert!(sink_offsets.contains(r#"{"partition":{"kafka_topic":"lines","kafka_partition":"#));
    let offset_records = keyed(&p, "connect-offsets");
    assert_eq!(
        offset_records,
        [(
            r#"["src",{"filename":"in.txt"}]"#.to_owned(),
            Some(r#"{"position":28}"#.to_owned())
        )]
    );
    assert_eq!(
        call(&mut p, "GET", "/connectors/src/topics", "").1,
        r#"{"src":{"topics":["lines"]}}"#
    );
    let events: Vec<String> = p
        .drain_events()
        .iter()
        .map(|e| e.event.to_string())
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e.contains("source task src-0 polled 3 record(s)")),
        "{events:?}"
    );
    assert!(events
        .iter()
        .any(|e| e.contains("committed offsets") && e.contains("connect-offsets")));
}

#[test]
fn json_converter_writes_the_schema_envelope() {
    let mut p = playground();
    let body =
        r#"{"name":"j","config":{"connector.class":"FileStreamSource","file":"f","topic":"jt"}}"#;
    assert_eq!(call(&mut p, "POST", "/connectors", body).0, 201);
    worker(&mut p).append_to_file("f", "hello \"world\"\n");
    p.step(100);
    let values: Vec<Option<String>> = keyed(&p, "jt").into_iter().map(|(_, v)| v).collect();
    assert_eq!(
        values,
        [Some(
            r#"{"schema":{"type":"string","optional":false},"payload":"hello \"world\""}"#
                .to_owned()
        )]
    );
    assert!(records(&p, "jt")[0].key.is_none());
}

#[test]
fn a_sink_that_cannot_convert_fails_with_connects_trace_and_restarts() {
    let mut p = playground();
    p.cluster_mut()
        .create_topic(crate::cluster::NewTopic::new("raw", 1, 1))
        .unwrap();
    let producer_record = ProducerRecord {
        key: None,
        value: Some(Bytes::from_static(b"\"plain\"")),
        headers: vec![],
        timestamp: p.now().0,
    };
    let batch = encode_batch(&[producer_record], ProducerStamp::NONE, Compression::None).unwrap();
    p.cluster_mut()
        .produce("raw", 0, batch, Acks::Leader, 1000)
        .unwrap();
    let body =
        r#"{"name":"k","config":{"connector.class":"FileStreamSink","file":"o","topics":"raw"}}"#;
    call(&mut p, "POST", "/connectors", body);
    p.step(100);
    let (_, status) = call(&mut p, "GET", "/connectors/k/tasks/0/status", "");
    assert!(status.starts_with(r#"{"id":0,"state":"FAILED","worker_id":"127.0.0.1:8083","trace":"org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler"#), "{status}");
    assert!(status.contains("JsonConverter with schemas.enable requires"));
    let (code, body) = call(
        &mut p,
        "POST",
        "/connectors/k/restart?includeTasks=true&onlyFailed=true",
        "",
    );
    assert_eq!(code, 202);
    assert!(
        body.contains(r#""connector":{"state":"RUNNING""#)
            && body.contains(r#"{"id":0,"state":"RESTARTING""#),
        "{body}"
    );
    // With a converter that reads it, the restarted task succeeds.
    let fixed = r#"{"connector.class":"FileStreamSink","file":"o","topics":"raw","value.converter":"org.apache.kafka.connect.json.JsonConverter","value.converter.schemas.enable":"false"}"#;
    assert_eq!(call(&mut p, "PUT", "/connectors/k/config", fixed).0, 200);
    p.step(100);
    assert_eq!(worker(&mut p).read_file("o").as_deref(), Some("plain\n"));
    assert_eq!(call(&mut p, "POST", "/connectors/k/restart", "").0, 204);
    assert_eq!(
        call(&mut p, "POST", "/connectors/k/tasks/0/restart", "").0,
        204
    );
    assert_eq!(
        call(&mut p, "POST", "/connectors/k/tasks/9/restart", "").0,
        404
    );
}

#[test]
fn pause_stops_the_flow_and_resume_continues_without_loss_or_duplicates() {
    let mut p = playground();
    call(&mut p, "POST", "/connectors", SOURCE);
    call(&mut p, "POST", "/connectors", SINK);
    worker(&mut p).append_to_file("in.txt", "a\nb\n");
    p.step(100);
    assert_eq!(
        call(&mut p, "PUT", "/connectors/src/pause", ""),
        (202, String::new())
    );
    p.step(100);
    assert!(call(&mut p, "GET", "/connectors/src/status", "")
        .1
        .contains(r#""tasks":[{"id":0,"state":"PAUSED""#));
    // Pausing flushed the position.
    assert!(keyed(&p, "connect-offsets")
        .iter()
        .any(|(_, v)| v.as_deref() == Some(r#"{"position":4}"#)));
    worker(&mut p).append_to_file("in.txt", "c\n");
    p.step(500);
    assert_eq!(
        worker(&mut p)
            .read_file("out.txt")
            .unwrap_or_default()
            .lines()
            .count(),
        2
    );
    assert_eq!(call(&mut p, "PUT", "/connectors/src/resume", "").0, 202);
    p.step(500);
    let out = worker(&mut p).read_file("out.txt").unwrap_or_default();
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort_unstable();
    assert_eq!(lines, ["a", "b", "c"]);
    assert!(keyed(&p, "connect-configs").contains(&(
        "target-state-src".to_owned(),
        Some(r#"{"state":"STARTED","state.v2":"STARTED"}"#.to_owned())
    )));
}

#[test]
fn worker_restarts_rebuild_from_the_topics() {
    let mut p = playground();
    call(&mut p, "POST", "/connectors", SOURCE);
    worker(&mut p).append_to_file("in.txt", "1\n2\n");
    p.step(100);
    {
        let (w, c, g) = p.connect().unwrap();
        w.restart(c, g); // graceful: flushes {"position":4}
    }
    assert!(worker(&mut p).config_state().connectors.contains_key("src"));
    worker(&mut p).append_to_file("in.txt", "3\n");
    p.step(100);
    let values: Vec<String> = keyed(&p, "lines")
        .into_iter()
        .filter_map(|(_, v)| v)
        .collect();
    assert_eq!(values, ["1", "2", "3"]);
    // A crash loses the unflushed position: line 3 is read again.
    p.step(100);
    {
        let (w, c, _) = p.connect().unwrap();
        w.crash(c);
    }
    p.step(100);
    let values: Vec<String> = keyed(&p, "lines")
        .into_iter()
        .filter_map(|(_, v)| v)
        .collect();
    assert_eq!(values, ["1", "2", "3", "3"]);
    let status = call(&mut p, "GET", "/connectors/src/status", "").1;
    assert!(status.contains(r#""connector":{"state":"RUNNING""#));
    let cluster = p.cluster().clone();
    assert!(worker(&mut p).matches_topics(&cluster));
}

#[test]
fn stop_and_delete_write_tombstones() {
    let mut p = playground();
    call(&mut p, "POST", "/connectors", SOURCE);
    p.step(100);
    assert_eq!(call(&mut p, "PUT", "/connectors/src/stop", "").0, 202);
    p.step(100);
    assert_eq!(
        call(&mut p, "GET", "/connectors/src/status", "").1,
        r#"{"name":"src","connector":{"state":"STOPPED","worker_id":"127.0.0.1:8083"},"tasks":[],"type":"source"}"#
    );
    assert!(keyed(&p, "connect-configs").contains(&(
        "target-state-src".to_owned(),
        Some(r#"{"state":"PAUSED","state.v2":"STOPPED"}"#.to_owned())
    )));
    assert_eq!(
        call(&mut p, "DELETE", "/connectors/src", ""),
        (204, String::new())
    );
    p.step(100);
    let configs = keyed(&p, "connect-configs");
    assert!(configs.contains(&("connector-src".to_owned(), None)));
    assert!(configs.contains(&("target-state-src".to_owned(), None)));
    assert!(keyed(&p, "connect-status").contains(&("status-connector-src".to_owned(), None)));
    assert_eq!(call(&mut p, "GET", "/connectors", "").1, "[]");
    assert_eq!(call(&mut p, "GET", "/connectors/src/status", "").0, 404);
    let cluster = p.cluster().clone();
    assert!(worker(&mut p).matches_topics(&cluster));
}

#[test]
fn a_missing_file_logs_connects_warning_and_waits() {
    let mut p = playground();
    call(&mut p, "POST", "/connectors", SOURCE);
    p.step(100);
    let events: Vec<String> = p
        .drain_events()
        .iter()
        .map(|e| e.event.to_string())
        .collect();
    assert!(events.iter().any(|e| e.ends_with("WARN Couldn't find file in.txt for FileStreamSourceTask, sleeping to wait for it to be created")), "{events:?}");
    worker(&mut p).append_to_file("in.txt", "late\n");
    p.step(100);
    assert_eq!(keyed(&p, "lines").len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn random_requests_never_panic(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH"]),
        segments in prop::collection::vec(prop::sample::select(vec!["connectors", "src", "x%2", "tasks", "0", "-1", "99999999999", "status", "restart", "pause", "resume", "stop", "config", "validate", "connector-plugins", "FileStreamSink", "offsets", "topics", ""]), 0..6),
        query in prop::sample::select(vec!["", "?expand=status", "?expand=info&expand=x", "?includeTasks=true&onlyFailed=true", "?includeTasks"]),
        body in prop::sample::select(vec!["", "{", "[]", "null", r#"{"name":"src","config":{"connector.class":"FileStreamSource","topic":"t","file":"f"}}"#, r#"{"connector.class":"FileStreamSink","topics":"t"}"#, r#"{"a":[1,{"b":null}]}"#, r#"{"name":"","config":{}}"#]),
    ) {
        let mut p = playground();
        let path = format!("/{}{query}", segments.join("/"));
        let r = p.connect_request(method, &path, body);
        prop_assert!((200..600).contains(&r.status));
        p.step(10);
        let r = p.connect_request(method, &path, body);
        prop_assert!((200..600).contains(&r.status));
    }
}
