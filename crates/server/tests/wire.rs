//! The listener's handling of bad input, in-process and through sockets:
//! garbage, oversized frames and unknown versions close only their own
//! connection; random bytes into the frame handler never panic (a
//! property test); the live feed's WebSocket streams events and takes
//! commands; and a manual clock moves only by steps.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use engine::clock::Millis;
use engine::cluster::Cluster;
use engine::playground::Playground;
use engine_host::Engine;
use futures_util::{SinkExt, StreamExt};
use kafka_playground_server::hub::Hub;
use kafka_playground_server::kafka::{handle_frame, ConnectionInfo};
use kafka_protocol::messages::{
    ApiKey, ApiVersionsRequest, ApiVersionsResponse, RequestHeader, ResponseHeader,
};
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};
use proptest::prelude::*;
use support::Server;

/// An ApiVersions request frame (with its size prefix) at `version`.
fn api_versions_frame(version: i16, correlation_id: i32) -> Vec<u8> {
    let mut body = BytesMut::new();
    let header = RequestHeader::default()
        .with_request_api_key(ApiKey::ApiVersions as i16)
        .with_request_api_version(version)
        .with_correlation_id(correlation_id)
        .with_client_id(Some(StrBytes::from_static_str("wire-test")));
    header
        .encode(
            &mut body,
            ApiKey::ApiVersions.request_header_version(version.min(3)),
        )
        .expect("header encodes");
    ApiVersionsRequest::default()
        .with_client_software_name(StrBytes::from_static_str("wire-test"))
        .with_client_software_version(StrBytes::from_static_str("1"))
        .encode(&mut body, version.min(3))
        .expect("body encodes");
    let mut frame = Vec::with_capacity(body.len() + 4);
    frame.extend_from_slice(&i32::try_from(body.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&body);
    frame
}

fn read_response(stream: &mut TcpStream) -> std::io::Result<Bytes> {
    let mut size = [0_u8; 4];
    stream.read_exact(&mut size)?;
    let mut body = vec![0_u8; usize::try_from(i32::from_be_bytes(size)).expect("positive")];
    stream.read_exact(&mut body)?;
    Ok(Bytes::from(body))
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(&server.bootstrap).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream
}

/// True once the server has closed `stream` (EOF or reset on read).
fn closed(stream: &mut TcpStream) -> bool {
    let mut byte = [0_u8; 1];
    matches!(stream.read(&mut byte), Ok(0) | Err(_))
}

#[test]
fn api_versions_answers_and_lists_produce_and_fetch() {
    let server = Server::start();
    let mut stream = connect(&server);
    stream.write_all(&api_versions_frame(3, 7)).expect("sent");
    let mut body = read_response(&mut stream).expect("answered");
    let header = ResponseHeader::decode(&mut body, 0).expect("header");
    assert_eq!(header.correlation_id, 7);
    let response = ApiVersionsResponse::decode(&mut body, 3).expect("body");
    assert_eq!(response.error_code, 0);
    let produce = response
        .api_keys
        .iter()
        .find(|k| k.api_key == ApiKey::Produce as i16)
        .expect("Produce listed");
    assert_eq!((produce.min_version, produce.max_version), (3, 11));
    assert!(response
        .api_keys
        .iter()
        .any(|k| k.api_key == ApiKey::Fetch as i16));
    assert!(
        !response
            .api_keys
            .iter()
            .any(|k| k.api_key == ApiKey::SaslHandshake as i16),
        "SASL is not offered"
    );
}

#[test]
fn unknown_api_versions_version_gets_a_v0_unsupported_version_answer() {
    let server = Server::start();
    let mut stream = connect(&server);
    stream.write_all(&api_versions_frame(9, 1)).expect("sent");
    let mut body = read_response(&mut stream).expect("answered");
    ResponseHeader::decode(&mut body, 0).expect("header");
    let response = ApiVersionsResponse::decode(&mut body, 0).expect("v0 body");
    assert_eq!(response.error_code, 35, "UNSUPPORTED_VERSION");
    assert!(!response.api_keys.is_empty(), "the ranges come with it");
}

#[test]
fn garbage_and_oversized_frames_close_only_their_connection() {
    let server = Server::start();
    let mut garbage = connect(&server);
    garbage
        .write_all(&[0, 0, 0, 12, 0x7f, 0x7f, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8])
        .expect("sent");
    assert!(
        closed(&mut garbage),
        "an unknown API key closes the connection"
    );

    let mut oversized = connect(&server);
    oversized
        .write_all(&(104_857_601_i32).to_be_bytes())
        .expect("sent");
    assert!(
        closed(&mut oversized),
        "a frame over socket.request.max.bytes closes the connection"
    );

    let mut negative = connect(&server);
    negative.write_all(&(-5_i32).to_be_bytes()).expect("sent");
    assert!(
        closed(&mut negative),
        "a negative size closes the connection"
    );

    let mut unsupported = connect(&server);
    let mut frame = api_versions_frame(3, 1);
    frame[4..6].copy_from_slice(&(ApiKey::Produce as i16).to_be_bytes());
    frame[6..8].copy_from_slice(&2_i16.to_be_bytes()); // Produce v2: below the range
    unsupported.write_all(&frame).expect("sent");
    assert!(
        closed(&mut unsupported),
        "an unsupported version closes the connection"
    );

    let mut truncated = connect(&server);
    let mut frame = api_versions_frame(3, 1);
    frame.truncate(12);
    frame[..4].copy_from_slice(&8_i32.to_be_bytes());
    truncated.write_all(&frame).expect("sent");
    assert!(
        closed(&mut truncated),
        "a body that does not decode closes the connection"
    );

    // Every bad connection was logged; a good one is still served.
    let mut good = connect(&server);
    good.write_all(&api_versions_frame(3, 42)).expect("sent");
    let mut body = read_response(&mut good).expect("still served");
    assert_eq!(
        ResponseHeader::decode(&mut body, 0)
            .expect("header")
            .correlation_id,
        42
    );
    let log = server.log_text();
    assert!(log.contains("unknown API key 32639"), "{log}");
    assert!(log.contains("socket.request.max.bytes"), "{log}");
    assert!(log.contains("Produce v2 is not supported"), "{log}");
}

fn test_hub() -> Arc<Hub> {
    let mut playground = Playground::new(Cluster::with_defaults(1, Millis(1_700_000_000_000)), 1);
    playground.schema_registry().expect("registry starts");
    playground.serve_real_clients();
    Hub::new(Engine::new(playground, 1), false)
}

fn info() -> ConnectionInfo {
    let addr = "127.0.0.1:9092".parse().expect("address");
    ConnectionInfo {
        local: addr,
        peer: addr,
    }
}

/// A frame that starts like a real request (a known API key and a
/// supported version) so the fuzzing reaches the body decoders.
fn plausible_frame() -> impl Strategy<Value = Vec<u8>> {
    let keys: Vec<i16> = kafka_playground_server::kafka::versions::all()
        .iter()
        .map(|(k, _, _)| *k as i16)
        .collect();
    (
        proptest::sample::select(keys),
        0_i16..14,
        any::<i32>(),
        proptest::collection::vec(any::<u8>(), 0..200),
    )
        .prop_map(|(key, version, correlation, rest)| {
            let mut frame = BytesMut::new();
            frame.put_i16(key);
            frame.put_i16(version);
            frame.put_i32(correlation);
            frame.extend_from_slice(&rest);
            frame.to_vec()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Random bytes, and random bodies behind valid headers, never panic
    /// the frame handler: each is answered or refused with an error.
    #[test]
    fn frame_handler_never_panics(frame in prop_oneof![proptest::collection::vec(any::<u8>(), 0..300), plausible_frame()]) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime");
        let hub = test_hub();
        runtime.block_on(async {
            // Parked requests (a JoinGroup that decoded) may wait: bounded here.
            let _ = tokio::time::timeout(Duration::from_millis(50), handle_frame(&hub, info(), Bytes::from(frame))).await;
        });
    }
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next text message, as JSON.
async fn next_json(ws: &mut Ws) -> serde_json::Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message in time");
        let message = message.expect("open").expect("no error");
        if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
            return serde_json::from_str(&text).expect("JSON");
        }
    }
}

#[test]
fn live_feed_streams_events_and_takes_commands() {
    let dist = std::env::temp_dir().join(format!("kplay-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).expect("dist");
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Kafka Playground</title>",
    )
    .expect("index");
    let server = Server::start_with_dist(&dist);

    // The site is served statically.
    let mut http = TcpStream::connect(&server.feed).expect("feed connects");
    http.write_all(b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("sent");
    let mut page = String::new();
    http.read_to_string(&mut page).expect("read");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("<title>Kafka Playground</title>"), "{page}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let url = format!("ws://{}/events", server.feed);
        let (mut ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("WebSocket connects");
        let hello = next_json(&mut ws).await;
        assert_eq!(hello["type"], "hello");
        assert_eq!(hello["brokers"].as_array().map(Vec::len), Some(3));

        let send = |text: String| tokio_tungstenite::tungstenite::Message::Text(text.into());
        ws.send(send(
            r#"{"id":1,"cmd":"create_topic","topic":"feed-demo","partitions":2}"#.into(),
        ))
        .await
        .expect("sent");
        ws.send(send(
            r#"{"id":2,"cmd":"produce","topic":"feed-demo","key":"k","value":"hello"}"#.into(),
        ))
        .await
        .expect("sent");
        ws.send(send(r#"{"id":3,"cmd":"step","ms":1000}"#.into()))
            .await
            .expect("sent");
        ws.send(send(
            r#"{"id":4,"cmd":"create_topic","topic":"feed-demo"}"#.into(),
        ))
        .await
        .expect("sent");
        ws.send(send(r#"{"id":5,"cmd":"launch"}"#.into()))
            .await
            .expect("sent");

        let mut replies = std::collections::BTreeMap::new();
        let mut kinds = Vec::new();
        while replies.len() < 5 {
            let message = next_json(&mut ws).await;
            match message["type"].as_str() {
                Some("reply") => {
                    replies.insert(message["id"].as_i64().expect("id echoed"), message);
                }
                Some("event") => {
                    assert!(message["text"].as_str().is_some_and(|t| !t.is_empty()));
                    kinds.push(message["kind"].as_str().expect("kind").to_owned());
                }
                other => panic!("unexpected message {other:?}: {message}"),
            }
        }
        assert_eq!(replies[&1]["ok"], true);
        let produced = &replies[&2];
        assert_eq!(produced["ok"], true, "{produced}");
        // librdkafka's consistent_random: CRC-32 of "k" modulo 2.
        let expected = engine::partitioner::PartitionerKind::ConsistentRandom
            .partition(Some(b"k"), &[true, true], &mut engine::rng::Rng::seeded(0))
            .expect("2 partitions");
        assert_eq!(produced["result"]["partition"], expected);
        assert_eq!(produced["result"]["offset"], 0);
        assert_eq!(replies[&3]["ok"], true);
        assert!(replies[&3]["result"]["now"].as_i64().is_some());
        assert_eq!(replies[&4]["ok"], false);
        assert!(
            replies[&4]["error"]
                .as_str()
                .is_some_and(|e| e.contains("TOPIC_ALREADY_EXISTS")),
            "{}",
            replies[&4]
        );
        assert_eq!(replies[&5]["ok"], false);
        // Events stream in as they happen (some may trail the replies).
        while !kinds.iter().any(|k| k == "BatchAppended") {
            let message = next_json(&mut ws).await;
            if message["type"] == "event" {
                kinds.push(message["kind"].as_str().expect("kind").to_owned());
            }
        }
        assert!(kinds.iter().any(|k| k == "TopicCreated"), "{kinds:?}");
    });
    let _ = std::fs::remove_dir_all(&dist);
}

/// An array length of 2^31 - 1 in a tiny frame: the decoder must not
/// reserve memory for it.
#[test]
fn huge_array_length_in_a_small_frame_is_refused() {
    let hub = test_hub();
    let mut frame = BytesMut::new();
    frame.put_i16(ApiKey::Metadata as i16);
    frame.put_i16(1);
    frame.put_i32(5);
    frame.put_i16(-1); // null client id
    frame.put_i32(i32::MAX); // topics array length
    frame.put_slice(&[0, 1, b'a']);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let result = runtime.block_on(handle_frame(&hub, info(), frame.freeze()));
    assert!(result.is_err(), "refused, not answered");
}

/// Sends one feed command and waits for its reply.
async fn feed_command(ws: &mut Ws, id: i64, command: &str) -> serde_json::Value {
    let text = format!(r#"{{"id":{id},{command}}}"#);
    ws.send(tokio_tungstenite::tungstenite::Message::Text(text.into()))
        .await
        .expect("sent");
    loop {
        let message = next_json(ws).await;
        if message["type"] == "reply" && message["id"] == id {
            return message;
        }
    }
}

/// `kcat -L -t topic`'s leader of partition 0 and the broker addresses.
fn leader_and_brokers(server: &Server, topic: &str) -> (i32, Vec<(i32, String)>) {
    let listing = support::run_ok(
        std::process::Command::new("kcat").args(["-b", &server.bootstrap, "-L", "-t", topic]),
        server,
    );
    let brokers = listing
        .lines()
        .filter_map(|l| l.trim().strip_prefix("broker "))
        .filter_map(|rest| {
            let (id, addr) = rest.split_once(" at ")?;
            Some((id.parse().ok()?, addr.split_whitespace().next()?.to_owned()))
        })
        .collect();
    let leader = listing
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("partition 0, leader ")?
                .split(',')
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no leader in {listing}"));
    (leader, brokers)
}

/// A stopped broker stops serving: its port resets new connections, an
/// open connection is closed before its next request, Metadata leaves it
/// out, and a client carries on with the new leader. Started again, the
/// port serves again.
#[test]
fn a_stopped_brokers_port_stops_serving() {
    let dist = std::env::temp_dir().join(format!("kplay-dist-stop-{}", std::process::id()));
    std::fs::create_dir_all(&dist).expect("dist");
    let mut server = Server::start_with_dist(&dist);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut ws = runtime.block_on(async {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/events", server.feed))
            .await
            .expect("WebSocket connects");
        ws
    });
    let created = runtime.block_on(feed_command(
        &mut ws,
        1,
        r#""cmd":"create_topic","topic":"failover","partitions":1,"replication_factor":3"#,
    ));
    assert_eq!(created["ok"], true, "{created}");
    produce_through(&server, 0);

    let (leader, brokers) = leader_and_brokers(&server, "failover");
    assert_eq!(brokers.len(), 3);
    let leader_addr = brokers
        .iter()
        .find(|(id, _)| *id == leader)
        .map(|(_, a)| a.clone())
        .expect("leader listed");
    let mut open = TcpStream::connect(&leader_addr).expect("connects while running");
    open.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    open.write_all(&api_versions_frame(3, 1)).expect("sent");
    assert!(read_response(&mut open).is_ok(), "served while running");

    let stopped = runtime.block_on(feed_command(
        &mut ws,
        2,
        &format!(r#""cmd":"stop_broker","broker":{leader}"#),
    ));
    assert_eq!(stopped["ok"], true, "{stopped}");
    // The open connection is closed before its next request is answered.
    open.write_all(&api_versions_frame(3, 2)).expect("sent");
    assert!(
        read_response(&mut open).is_err(),
        "a stopped broker answered on an open connection"
    );
    // New connections are reset at once.
    let mut fresh = TcpStream::connect(&leader_addr).expect("the port is still bound");
    fresh
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let _ = fresh.write_all(&api_versions_frame(3, 3));
    assert!(
        read_response(&mut fresh).is_err(),
        "a stopped broker answered a new connection"
    );

    // Metadata (through a running broker) lists two brokers and a new leader.
    let bootstrap_alive = brokers
        .iter()
        .find(|(id, _)| *id != leader)
        .map(|(_, a)| a.clone())
        .expect("another broker");
    let listing = support::run_ok(
        std::process::Command::new("kcat").args(["-b", &bootstrap_alive, "-L", "-t", "failover"]),
        &server,
    );
    assert!(listing.contains(" 2 brokers:"), "{listing}");
    assert!(
        !listing.contains(&format!("partition 0, leader {leader},")),
        "{listing}"
    );

    // A client carries on through the survivors: nothing acknowledged is lost.
    server.bootstrap = bootstrap_alive;
    produce_through(&server, 20);
    let consumed = support::run_ok(
        std::process::Command::new("kcat").args([
            "-b",
            &server.bootstrap,
            "-C",
            "-t",
            "failover",
            "-o",
            "beginning",
            "-e",
            "-f",
            "%s\n",
        ]),
        &server,
    );
    let want: Vec<String> = (0..40).map(|i| format!("record {i}")).collect();
    assert_eq!(consumed.lines().collect::<Vec<_>>(), want);

    let started = runtime.block_on(feed_command(
        &mut ws,
        3,
        &format!(r#""cmd":"start_broker","broker":{leader}"#),
    ));
    assert_eq!(started["ok"], true, "{started}");
    let mut again = TcpStream::connect(&leader_addr).expect("connects");
    again
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    again.write_all(&api_versions_frame(3, 4)).expect("sent");
    assert!(
        read_response(&mut again).is_ok(),
        "a restarted broker serves again"
    );
    let _ = std::fs::remove_dir_all(&dist);
}

/// kcat produces `record {from}` … `record {from + 19}` with `acks=all`.
fn produce_through(server: &Server, from: usize) {
    let lines: String = (from..from + 20).map(|i| format!("record {i}\n")).collect();
    let input =
        std::env::temp_dir().join(format!("kplay-failover-{}-{from}.txt", std::process::id()));
    std::fs::write(&input, lines).expect("input");
    support::run_ok(
        std::process::Command::new("kcat")
            .args([
                "-b",
                &server.bootstrap,
                "-P",
                "-t",
                "failover",
                "-X",
                "acks=all",
                "-l",
            ])
            .arg(&input),
        server,
    );
}

/// `--start-ms` and `--manual-clock`: engine time starts where it is told
/// and moves only by steps (the feed's `step` here).
#[test]
fn a_manual_clock_starts_at_start_ms_and_moves_only_by_steps() {
    let dist = std::env::temp_dir().join(format!("kplay-dist-manual-{}", std::process::id()));
    std::fs::create_dir_all(&dist).expect("dist");
    let args = [
        "--manual-clock",
        "--seed",
        "2026",
        "--start-ms",
        "1767225600000",
    ]
    .map(std::ffi::OsStr::new);
    let server = Server::start_with_args(&dist, &args);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/events", server.feed))
            .await
            .expect("connects");
        let hello = next_json(&mut ws).await;
        assert_eq!(hello["now"], 1_767_225_600_000_i64, "{hello}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let stepped = feed_command(&mut ws, 1, r#""cmd":"step","ms":1000"#).await;
        assert_eq!(
            stepped["result"]["now"], 1_767_225_601_000_i64,
            "wall time did not move it: {stepped}"
        );
    });
    let _ = std::fs::remove_dir_all(&dist);
}
