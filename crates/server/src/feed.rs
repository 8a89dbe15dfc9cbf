//! The feed listener on 127.0.0.1:8080: the built site (`dist/`) as static
//! files, its `index.html` marked as live mode
//! (`<meta name="kplay-engine" content="live">`, so the page speaks the port
//! to this server instead of starting its own engine), the port at
//! `/port` ([`crate::port_socket`], the page's protocol), and a WebSocket at
//! `/events` that streams the engine's events and takes simple commands,
//! for scripts. Both WebSockets check the page's `Origin`
//! ([`crate::origin`]).
//!
//! **Messages from the server**, one JSON object per WebSocket text frame:
//!
//! - `{"type":"hello","now":<engine ms>,"brokers":[{"id":1,"online":true},…]}`
//!   once, on connect;
//! - `{"type":"event","at":<engine ms>,"kind":"<Event variant>","text":"<sentence>"}`
//!   for every engine event, in order (`kind` is the `engine::events::Event`
//!   variant's name, e.g. `TopicCreated`, `BatchAppended`, `MemberJoined`;
//!   `text` is its `Display`, the sentence the browser's event list shows);
//! - `{"type":"lagged","missed":<n>}` when a slow reader missed events;
//! - `{"type":"reply","id":<the command's id>,"ok":true,"result":…}` or
//!   `{"type":"reply","id":…,"ok":false,"error":"<message>"}` for each command.
//!
//! **Commands to the server** (`id` is optional and echoed back):
//!
//! - `{"cmd":"create_topic","topic":"t","partitions":3,"replication_factor":1,"configs":{"k":"v"}}`
//!   (`partitions`/`replication_factor` default to the broker defaults);
//! - `{"cmd":"delete_topic","topic":"t"}`;
//! - `{"cmd":"produce","topic":"t","key":"k","value":"v","partition":0}`: one
//!   record with `acks=1`; without `partition`, librdkafka's default
//!   `consistent_random` partitioner picks it; result `{"partition":…,"offset":…}`;
//! - `{"cmd":"step","ms":1000}`: moves engine time forward now (on top of the
//!   wall clock), so retention and session timeouts can be shown quickly;
//! - `{"cmd":"stop_broker","broker":2}`, `{"cmd":"start_broker","broker":2}`;
//! - `{"cmd":"topics"}`: result `[{"name":…,"partitions":[{"partition":0,"leader":1,"isr":[1],"high_watermark":0}]}]`.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use engine::cluster::{Acks, NewTopic, ProduceOutcome};
use engine::partitioner::PartitionerKind;
use engine::record::{encode_batch, Compression, ProducerRecord, ProducerStamp};
use engine::rng::Rng;
use port::{EngineInfo, EventLine};
use serde_json::{json, Value};
use tokio::sync::broadcast::error::RecvError;
use tower_http::services::ServeDir;

use crate::hub::{Host, Hub};

/// One event as the feed sends it.
#[must_use]
pub fn event_json(event: &EventLine) -> String {
    json!({"type": "event", "at": event.at, "kind": event.kind, "text": event.text}).to_string()
}

/// The line that tells readers events were missed.
#[must_use]
pub fn lagged_json(missed: u64) -> String {
    json!({"type": "lagged", "missed": missed}).to_string()
}

/// How the feed listener serves.
#[derive(Debug, Clone)]
pub struct FeedSettings {
    /// The built site.
    pub dist: PathBuf,
    /// Origins besides the server's own whose pages may open the
    /// WebSockets, [`crate::origin::normalize`]d or not.
    pub allowed_origins: Arc<[String]>,
    /// What the port's welcome says this engine is.
    pub engine: Arc<EngineInfo>,
}

/// The feed listener's shared state.
#[derive(Clone)]
pub struct FeedState {
    /// The engine.
    pub hub: Arc<Hub>,
    /// Its settings, the origins normalised.
    pub settings: FeedSettings,
}

/// The feed listener's routes: the live-mode page, `/port`, `/events` and
/// the static site.
pub fn router(hub: Arc<Hub>, mut settings: FeedSettings) -> Router {
    settings.allowed_origins = settings
        .allowed_origins
        .iter()
        .map(|o| crate::origin::normalize(o))
        .collect();
    let dist = settings.dist.clone();
    Router::new()
        .route("/", get(live_index))
        .route("/index.html", get(live_index))
        .route("/port", get(crate::port_socket::upgrade))
        .route("/events", get(upgrade))
        .fallback_service(ServeDir::new(dist))
        .with_state(FeedState { hub, settings })
}

/// The marker that tells the page an engine serves it (live mode).
pub const LIVE_META: &str = r#"<meta name="kplay-engine" content="live">"#;

/// `index.html` with [`LIVE_META`] right before `</head>` (or, without
/// one, after the doctype).
#[must_use]
pub fn mark_live(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let at = lower
        .find("</head>")
        .or_else(|| {
            lower
                .starts_with("<!doctype")
                .then(|| lower.find('>').map_or(0, |i| i + 1))
        })
        .unwrap_or(0);
    let mut out = String::with_capacity(html.len() + LIVE_META.len());
    out.push_str(&html[..at]);
    out.push_str(LIVE_META);
    out.push_str(&html[at..]);
    out
}

/// `/` and `/index.html`: the site's page, marked as live mode (read per
/// request, so a rebuilt `dist/` is served at once). No `index.html`: 404,
/// as the static files answer.
async fn live_index(State(state): State<FeedState>) -> Response {
    let path = state.settings.dist.join("index.html");
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let html = String::from_utf8_lossy(&bytes);
            (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                mark_live(&html),
            )
                .into_response()
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            StatusCode::NOT_FOUND.into_response()
        }
        Err(err) => {
            eprintln!("[feed] cannot read {}: {err}", path.display());
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn upgrade(
    State(state): State<FeedState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if let Some(refusal) = crate::origin::refusal(&headers, &state.settings.allowed_origins) {
        return refusal;
    }
    let hub = state.hub;
    ws.max_message_size(1 << 20)
        .on_upgrade(move |socket| session(hub, socket))
}

async fn session(hub: Arc<Hub>, mut socket: WebSocket) {
    let mut events = hub.events.subscribe();
    let hello = hub.with(|host| {
        let brokers: Vec<Value> = host
            .playground()
            .cluster()
            .brokers()
            .into_iter()
            .map(|(id, online)| json!({"id": id, "online": online}))
            .collect();
        json!({"type": "hello", "now": host.now().0, "brokers": brokers})
    });
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            event = events.recv() => {
                let text = match event {
                    Ok(text) => text.to_string(),
                    Err(RecvError::Lagged(missed)) => json!({"type": "lagged", "missed": missed}).to_string(),
                    Err(RecvError::Closed) => return,
                };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text.to_string(),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                    Some(Ok(_)) => continue,
                };
                let reply = hub.with(|host| command(host, &text));
                if socket.send(Message::Text(reply.to_string().into())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Runs one JSON command and returns the reply object.
pub fn command(host: &mut Host, text: &str) -> Value {
    let parsed: Result<Value, String> =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"));
    let id = parsed
        .as_ref()
        .ok()
        .and_then(|v| v.get("id").cloned())
        .unwrap_or(Value::Null);
    match parsed.and_then(|v| run(host, &v)) {
        Ok(result) => json!({"type": "reply", "id": id, "ok": true, "result": result}),
        Err(error) => json!({"type": "reply", "id": id, "ok": false, "error": error}),
    }
}

fn str_field<'a>(v: &'a Value, name: &str) -> Result<&'a str, String> {
    v.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`{name}` (a string) is required"))
}

fn int_field(v: &Value, name: &str) -> Result<Option<i64>, String> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => x
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("`{name}` must be an integer")),
    }
}

fn small<T: TryFrom<i64>>(value: Option<i64>, default: T, name: &str) -> Result<T, String> {
    match value {
        None => Ok(default),
        Some(v) => T::try_from(v).map_err(|_| format!("`{name}` is out of range")),
    }
}

fn run(host: &mut Host, v: &Value) -> Result<Value, String> {
    let cmd = str_field(v, "cmd")?;
    match cmd {
        "create_topic" => {
            let mut topic = NewTopic::new(
                str_field(v, "topic")?,
                small(int_field(v, "partitions")?, -1_i32, "partitions")?,
                small(
                    int_field(v, "replication_factor")?,
                    -1_i16,
                    "replication_factor",
                )?,
            );
            if let Some(configs) = v.get("configs").and_then(Value::as_object) {
                for (k, value) in configs {
                    let value = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    topic.configs.push((k.clone(), value));
                }
            }
            host.playground_mut()
                .cluster_mut()
                .create_topic(topic)
                .map_err(|e| e.to_string())?;
            Ok(Value::Null)
        }
        "delete_topic" => {
            host.playground_mut()
                .delete_topic(str_field(v, "topic")?)
                .map_err(|e| e.to_string())?;
            Ok(Value::Null)
        }
        "produce" => produce(host, v),
        "step" => {
            let ms = int_field(v, "ms")?.unwrap_or(0);
            if !(0..=86_400_000).contains(&ms) {
                return Err("`ms` must be between 0 and 86400000".into());
            }
            host.advance(ms);
            Ok(json!({"now": host.now().0}))
        }
        "stop_broker" | "start_broker" => {
            let broker = small(int_field(v, "broker")?, 0_i32, "broker")?;
            let cluster = host.playground_mut().cluster_mut();
            let result = if cmd == "stop_broker" {
                cluster.stop_broker(broker)
            } else {
                cluster.start_broker(broker)
            };
            result.map_err(|e| e.to_string())?;
            Ok(Value::Null)
        }
        "topics" => {
            let cluster = host.playground().cluster();
            let topics: Vec<Value> = cluster
                .list_topics(true)
                .into_iter()
                .filter_map(|name| cluster.describe_topic(&name).ok())
                .map(|d| {
                    let partitions: Vec<Value> = d
                        .partitions
                        .iter()
                        .map(|p| json!({"partition": p.partition, "leader": p.leader, "isr": p.isr, "high_watermark": p.high_watermark}))
                        .collect();
                    json!({"name": d.name, "internal": d.internal, "partitions": partitions})
                })
                .collect();
            Ok(Value::Array(topics))
        }
        other => Err(format!("unknown command `{other}`")),
    }
}

fn produce(host: &mut Host, v: &Value) -> Result<Value, String> {
    let topic = str_field(v, "topic")?;
    let key = v
        .get("key")
        .and_then(Value::as_str)
        .map(|k| Bytes::copy_from_slice(k.as_bytes()));
    let value = v
        .get("value")
        .and_then(Value::as_str)
        .map(|k| Bytes::copy_from_slice(k.as_bytes()));
    let now = host.now();
    let cluster = host.playground_mut().cluster_mut();
    let partition = match int_field(v, "partition")? {
        Some(p) => i32::try_from(p).map_err(|_| "`partition` is out of range".to_owned())?,
        None => {
            let count = cluster.partition_count(topic).map_err(|e| e.to_string())?;
            let available: Vec<bool> = (0..count)
                .map(|p| cluster.leader_of(topic, p).is_some())
                .collect();
            let mut rng = Rng::seeded(u64::try_from(now.0).unwrap_or(0));
            PartitionerKind::ConsistentRandom
                .partition(key.as_deref(), &available, &mut rng)
                .map_err(|e| e.to_string())?
        }
    };
    let record = ProducerRecord {
        key,
        value,
        headers: vec![],
        timestamp: now.0,
    };
    let batch = encode_batch(&[record], ProducerStamp::NONE, Compression::None)
        .map_err(|e| e.to_string())?;
    let outcome = cluster
        .produce(topic, partition, batch, Acks::Leader, 30_000)
        .map_err(|e| e.to_string())?;
    match outcome {
        ProduceOutcome::Acknowledged(ack) => {
            Ok(json!({"partition": partition, "offset": ack.base_offset}))
        }
        ProduceOutcome::NoResponse | ProduceOutcome::Pending(_) => {
            Ok(json!({"partition": partition}))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_live_marker_goes_right_before_the_head_ends() {
        let page = "<!doctype html>\n<html><head><title>K</title>\n</HEAD><body></body></html>";
        assert_eq!(
            mark_live(page),
            format!("<!doctype html>\n<html><head><title>K</title>\n{LIVE_META}</HEAD><body></body></html>")
        );
        assert_eq!(
            mark_live("<!DOCTYPE html><title>K</title>"),
            format!("<!DOCTYPE html>{LIVE_META}<title>K</title>")
        );
        assert_eq!(mark_live("<p>hi"), format!("{LIVE_META}<p>hi"));
    }
}
