//! The port over the server's WebSocket (`/port`, live mode): the same
//! commands give the same view models as local mode's engine; only the
//! server's own page, or origins named with `--allow-origin`, may open
//! it; hostile messages end only their own connection; the clock is the
//! server's; the site's page is served marked as live mode; the page and
//! real clients (confluent-kafka) share one engine; and the Schema
//! Registry refuses request bodies that are not JSON (415).

mod support;

use std::collections::BTreeMap;
use std::process::Command as Process;
use std::time::{Duration, Instant};

use engine_host::{LocalEngine, Session};
use futures_util::{SinkExt, StreamExt};
use port::{
    ClockCommand, Command, EngineInfo, ErrorCode, FromEngine, Mode, NewRecord, Outcome, Query,
    Reply, ToEngine, ViewModel, VERSION,
};
use support::{run_ok, Server};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Local mode's start (2026-01-01T00:00:00Z) and seed.
const START_MS: &str = "1767225600000";
const SEED: u64 = 2026;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn empty_dist() -> std::path::PathBuf {
    let dist = std::env::temp_dir().join("kplay-empty-dist");
    std::fs::create_dir_all(&dist).expect("temp dir");
    dist
}

/// A server with a manual clock at local mode's start and seed, plus `extra` flags.
fn manual_server(extra: &[&str]) -> Server {
    let mut args = vec!["--manual-clock", "--seed", "2026", "--start-ms", START_MS];
    args.extend_from_slice(extra);
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    Server::start_with_args(&empty_dist(), &args)
}

fn hello() -> ToEngine {
    ToEngine::Hello {
        version: VERSION,
        client: "port-test".into(),
    }
}

/// One connection to `/port`, the latest model of each subscription.
struct Port {
    ws: Ws,
    models: BTreeMap<u64, ViewModel>,
    /// Requests [`Port::still_answered`] made.
    served: u64,
}

impl Port {
    /// Connects and says hello; returns the welcome's engine.
    async fn open(server: &Server) -> (Self, EngineInfo) {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/port", server.feed))
            .await
            .expect("connects");
        let mut port = Port {
            ws,
            models: BTreeMap::new(),
            served: 0,
        };
        port.send(&hello()).await;
        match port.next().await {
            FromEngine::Welcome { version, engine } => {
                assert_eq!(version, VERSION);
                (port, engine)
            }
            other => panic!("expected a welcome, got {other:?}"),
        }
    }

    async fn send(&mut self, message: &ToEngine) {
        self.ws
            .send(Message::Text(port::encode(message).into()))
            .await
            .expect("sent");
    }

    /// The next port message (updates are also kept in `models`).
    async fn next(&mut self) -> FromEngine {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), self.ws.next())
                .await
                .expect("a message within 10 s")
                .expect("the connection is open")
                .expect("no error");
            let Message::Text(text) = frame else { continue };
            let message: FromEngine = port::decode(&text).expect("a port message");
            if let FromEngine::Update { id, model } = &message {
                self.models.insert(*id, model.clone());
            }
            return message;
        }
    }

    /// Sends a request and waits for its reply.
    async fn request(&mut self, id: u64, command: Command) -> Outcome {
        self.send(&ToEngine::Request { id, command }).await;
        loop {
            if let FromEngine::Reply { id: got, outcome } = self.next().await {
                assert_eq!(got, id, "replies come in order");
                return outcome;
            }
        }
    }

    /// Subscribes and returns the first model.
    async fn subscribe(&mut self, id: u64, query: Query) -> ViewModel {
        self.send(&ToEngine::Subscribe { id, query }).await;
        loop {
            if let FromEngine::Update { id: got, model } = self.next().await {
                if got == id {
                    return model;
                }
            }
        }
    }

    /// Creates a topic named after a fresh id: the connection is served.
    async fn still_answered(&mut self) {
        self.served += 1;
        let (id, topic) = (10_000 + self.served, format!("still-here-{}", self.served));
        let command = Command::CreateTopic {
            topic,
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![],
        };
        let outcome = self.request(id, command).await;
        assert!(
            matches!(outcome, Outcome::Ok { reply: Reply::Done }),
            "{outcome:?}"
        );
    }

    /// Waits until subscription `id`'s model satisfies `test`.
    async fn wait_for(
        &mut self,
        id: u64,
        within: Duration,
        test: impl Fn(&ViewModel) -> bool,
    ) -> ViewModel {
        let deadline = Instant::now() + within;
        loop {
            if let Some(model) = self.models.get(&id).filter(|m| test(m)) {
                return model.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "subscription {id} never matched within {within:?}; last model: {:?}",
                self.models.get(&id)
            );
            let _ = tokio::time::timeout(left, self.next()).await;
        }
    }
}

/// Local mode as the worker runs it: a `LocalEngine` and a `Session`,
/// every message through `port::encode`/`port::decode`.
struct Local {
    engine: LocalEngine,
    session: Session,
    models: BTreeMap<u64, ViewModel>,
}

impl Local {
    fn boot() -> Self {
        Local {
            engine: LocalEngine::boot(SEED).expect("boots"),
            session: Session::new(),
            models: BTreeMap::new(),
        }
    }

    /// Sends one message; returns what came back (then one tick's updates).
    fn send(&mut self, message: &ToEngine) -> Vec<FromEngine> {
        let text = port::encode(message);
        let output = self.session.on_text(&text, &mut self.engine);
        assert_eq!(output.close, None, "local mode closed the session");
        let mut out = output.messages;
        out.extend(self.session.updates(&self.engine));
        out.into_iter()
            .map(|m| {
                let m: FromEngine = port::decode(&port::encode(&m)).expect("round-trips");
                if let FromEngine::Update { id, model } = &m {
                    self.models.insert(*id, model.clone());
                }
                m
            })
            .collect()
    }

    fn request(&mut self, id: u64, command: Command) -> Outcome {
        self.send(&ToEngine::Request { id, command })
            .into_iter()
            .find_map(|m| match m {
                FromEngine::Reply { id: got, outcome } if got == id => Some(outcome),
                _ => None,
            })
            .expect("a reply")
    }
}

/// Both values as pretty JSON with the differing lines marked.
macro_rules! diff {
    ($what:expr, $local:expr, $live:expr) => {
        diff_lines(
            &$what,
            &serde_json::to_string_pretty(&$local).expect("serialises"),
            &serde_json::to_string_pretty(&$live).expect("serialises"),
        )
    };
}

fn diff_lines(what: &str, a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut out = format!("{what} differs between local mode (-) and the server (+):\n");
    let mut shown = 0;
    for i in 0..a.len().max(b.len()) {
        let (l, r) = (a.get(i).copied(), b.get(i).copied());
        if l != r {
            // Where it is: the nearest enclosing name and partition.
            let near = |key: &str| {
                a[..i.min(a.len())]
                    .iter()
                    .rev()
                    .find(|l| l.contains(key))
                    .map_or("", |l| l.trim())
            };
            out.push_str(&format!(
                "line {} (after {} {}):\n- {}\n+ {}\n",
                i + 1,
                near("\"name\":"),
                near("\"partition\":"),
                l.unwrap_or("<none>"),
                r.unwrap_or("<none>")
            ));
            shown += 1;
            if shown == 40 {
                out.push_str("…\n");
                break;
            }
        }
    }
    out
}

/// The scripted session both engines run.
fn script() -> Vec<Command> {
    let keyed = (0..20).map(|i| NewRecord {
        key: Some(format!("customer-{}", i % 7)),
        value: Some(format!("order {i}")),
        headers: vec![],
    });
    let keyless = (0..3).map(|i| NewRecord {
        key: None,
        value: Some(format!("payment {i}")),
        headers: vec![("source".into(), "test".into())],
    });
    vec![
        Command::CreateTopic {
            topic: "orders".into(),
            partitions: Some(3),
            replication_factor: Some(3),
            configs: vec![],
        },
        Command::CreateTopic {
            topic: "payments".into(),
            partitions: Some(1),
            replication_factor: Some(1),
            configs: vec![],
        },
        Command::Produce {
            topic: "orders".into(),
            partition: None,
            records: keyed.collect(),
        },
        Command::Produce {
            topic: "payments".into(),
            partition: None,
            records: keyless.collect(),
        },
        Command::Step { ms: 500 },
        Command::StopBroker { broker: 2 },
        Command::Step { ms: 1000 },
        Command::CreatePartitions {
            topic: "orders".into(),
            total: 4,
        },
        Command::StartBroker { broker: 2 },
        Command::Step { ms: 5000 },
        // Refused above while only two brokers ran (RF 3): again, now that
        // broker 2 is back.
        Command::CreatePartitions {
            topic: "orders".into(),
            total: 4,
        },
        Command::DeleteTopic {
            topic: "payments".into(),
        },
        Command::Step { ms: 1000 },
    ]
}

const CLUSTER: u64 = 1;
const RECORDS: u64 = 2;

fn records_query() -> Query {
    Query::Records {
        topic: "orders".into(),
        partition: 0,
        from_offset: None,
        limit: 50,
    }
}

/// One script through local mode (the worker's engine) and through the
/// server's `/port`: every reply and the final Cluster and Records models
/// are the same.
#[test]
fn the_same_commands_give_the_same_view_models_in_local_mode_and_on_the_server() {
    // Local mode, paused, as the worker runs it.
    let mut local = Local::boot();
    let welcome = local.send(&hello());
    assert!(
        matches!(welcome.first(), Some(FromEngine::Welcome { .. })),
        "{welcome:?}"
    );
    assert!(matches!(
        local.request(100, Command::Clock(ClockCommand::Pause)),
        Outcome::Ok { .. }
    ));
    local.send(&ToEngine::Subscribe {
        id: CLUSTER,
        query: Query::Cluster,
    });
    local.send(&ToEngine::Subscribe {
        id: RECORDS,
        query: records_query(),
    });
    // Local mode's clock also names its seed (a scenario replays from it);
    // the server's does not: that field aside, the replies are the same.
    let local_replies: Vec<Outcome> = script()
        .into_iter()
        .enumerate()
        .map(|(n, c)| match local.request(n as u64 + 1_000, c) {
            Outcome::Ok {
                reply: Reply::Clock(clock),
            } => Outcome::Ok {
                reply: Reply::Clock(port::ClockModel {
                    seed: None,
                    ..clock
                }),
            },
            other => other,
        })
        .collect();

    // The server, manual clock, same seed and start.
    let server = manual_server(&[]);
    let live_replies = runtime().block_on(async {
        let (mut live, engine) = Port::open(&server).await;
        assert_eq!(engine.mode, Mode::Live);
        assert!(engine.clock_control, "a manual clock is the page's to step");
        assert_eq!(engine.bootstrap.as_deref(), Some(server.bootstrap.as_str()));
        assert_eq!(
            engine.schema_registry.as_deref(),
            Some(server.registry.as_str())
        );
        assert_eq!(engine.connect.as_deref(), Some(server.connect.as_str()));
        assert!(matches!(
            live.request(100, Command::Clock(ClockCommand::Pause)).await,
            Outcome::Ok { .. }
        ));
        live.subscribe(CLUSTER, Query::Cluster).await;
        live.subscribe(RECORDS, records_query()).await;
        let mut replies = Vec::new();
        for (n, command) in script().into_iter().enumerate() {
            replies.push(live.request(n as u64 + 1_000, command).await);
        }
        // The streamed updates settle on the final state…
        tokio::time::sleep(Duration::from_millis(300)).await;
        while tokio::time::timeout(Duration::from_millis(100), live.next())
            .await
            .is_ok()
        {}
        let streamed = live.models.clone();
        // …which a fresh subscription also gets.
        let cluster = live.subscribe(CLUSTER, Query::Cluster).await;
        let records = live.subscribe(RECORDS, records_query()).await;
        assert_eq!(
            streamed.get(&CLUSTER),
            Some(&cluster),
            "{}",
            diff!(
                "the streamed Cluster model",
                streamed.get(&CLUSTER),
                Some(&cluster)
            )
        );
        assert_eq!(
            streamed.get(&RECORDS),
            Some(&records),
            "{}",
            diff!(
                "the streamed Records model",
                streamed.get(&RECORDS),
                Some(&records)
            )
        );
        replies
    });

    for (n, (l, r)) in local_replies.iter().zip(&live_replies).enumerate() {
        assert_eq!(
            l,
            r,
            "{}",
            diff!(
                format!("the reply to command {n} ({:?})", script()[n]),
                l,
                r
            )
        );
    }
    // Every command succeeds but the first CreatePartitions, which Kafka
    // refuses while broker 2 is down: 3 replicas cannot be placed on 2.
    for (n, outcome) in local_replies.iter().enumerate() {
        match (n, outcome) {
            (7, Outcome::Err { error }) => assert_eq!(
                error.code,
                ErrorCode::Kafka("INVALID_REPLICATION_FACTOR".into()),
                "{error:?}"
            ),
            (7, other) => panic!("CreatePartitions with a broker down: {other:?}"),
            (_, Outcome::Ok { .. }) => {}
            (n, other) => panic!("command {n} ({:?}) failed: {other:?}", script()[n]),
        }
    }
    let (local_cluster, local_records) = (
        local.models[&CLUSTER].clone(),
        local.models[&RECORDS].clone(),
    );
    let live = runtime().block_on(async {
        let (mut live, _) = Port::open(&server).await;
        (
            live.subscribe(CLUSTER, Query::Cluster).await,
            live.subscribe(RECORDS, records_query()).await,
        )
    });
    assert_eq!(
        local_cluster,
        live.0,
        "{}",
        diff!("the Cluster model", local_cluster, live.0)
    );
    assert_eq!(
        local_records,
        live.1,
        "{}",
        diff!("the Records model", local_records, live.1)
    );

    // Not vacuous: the script's effects are in the models.
    let ViewModel::Cluster(cluster) = &live.0 else {
        panic!("a cluster model: {:?}", live.0)
    };
    let orders = cluster
        .topics
        .iter()
        .find(|t| t.name == "orders")
        .expect("orders listed");
    assert_eq!(orders.partitions.len(), 4);
    assert_eq!(
        orders
            .partitions
            .iter()
            .map(|p| p.high_watermark)
            .sum::<i64>(),
        20
    );
    assert!(
        orders.partitions.iter().all(|p| p.isr.len() == 3),
        "broker 2 caught up: {orders:?}"
    );
    assert!(!cluster.topics.iter().any(|t| t.name == "payments"));
    assert!(cluster.brokers.iter().all(|b| b.online));
    let ViewModel::Records(records) = &live.1 else {
        panic!("a records model: {:?}", live.1)
    };
    assert!(
        !records.records.is_empty(),
        "partition 0 holds some of the keyed records"
    );
    assert!(
        records
            .records
            .iter()
            .all(|r| r.timestamp == 1_767_225_600_000),
        "produced at the start time"
    );
}

/// `Origin` on the WebSocket upgrades: a foreign page is refused (403,
/// naming the origin and the flag) on `/port` and `/events`; the server's
/// own page and `--allow-origin` origins are accepted.
#[test]
fn only_the_servers_own_page_and_allowed_origins_may_open_the_websockets() {
    async fn upgrade(feed: &str, path: &str, origin: &str) -> Result<(), (u16, String)> {
        let mut request = format!("ws://{feed}{path}")
            .into_client_request()
            .expect("a request");
        request
            .headers_mut()
            .insert("Origin", HeaderValue::from_str(origin).expect("ascii"));
        match tokio_tungstenite::connect_async(request).await {
            Ok(_) => Ok(()),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                let body = response
                    .body()
                    .as_deref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                Err((response.status().as_u16(), body))
            }
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    let server = manual_server(&["--allow-origin", "https://play.example.org"]);
    runtime().block_on(async {
        for path in ["/port", "/events"] {
            let refused = upgrade(&server.feed, path, "http://evil.example")
                .await
                .expect_err("refused");
            assert_eq!(refused.0, 403, "{path}");
            assert!(
                refused.1.contains("http://evil.example") && refused.1.contains("--allow-origin"),
                "{path}: {}",
                refused.1
            );
            upgrade(&server.feed, path, &format!("http://{}", server.feed))
                .await
                .expect("same origin accepted");
            upgrade(&server.feed, path, "https://play.example.org")
                .await
                .expect("an allowed origin is accepted");
            let other = upgrade(&server.feed, path, "https://play.example.org.evil.example")
                .await
                .expect_err("refused");
            assert_eq!(other.0, 403);
        }
        // Without an Origin (a script, not a page): accepted.
        tokio_tungstenite::connect_async(format!("ws://{}/port", server.feed))
            .await
            .expect("no origin accepted");
    });
}

/// Reads until the server closes; returns its close code and reason, and
/// whether a `protocol_error` message came first.
async fn closed_with(ws: &mut Ws) -> (CloseCode, String, bool) {
    let mut protocol_error = false;
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("closed within 10 s");
        match frame {
            Some(Ok(Message::Text(text))) => {
                protocol_error |= matches!(
                    port::decode::<FromEngine>(&text),
                    Ok(FromEngine::ProtocolError { .. })
                );
            }
            Some(Ok(Message::Close(Some(frame)))) => {
                return (frame.code, frame.reason.to_string(), protocol_error)
            }
            Some(Ok(Message::Close(None))) => panic!("closed without a reason"),
            Some(Ok(_)) => {}
            Some(Err(err)) => panic!("the connection failed instead of closing: {err}"),
            None => panic!("the connection ended without a Close frame"),
        }
    }
}

async fn raw(server: &Server) -> Ws {
    tokio_tungstenite::connect_async(format!("ws://{}/port", server.feed))
        .await
        .expect("connects")
        .0
}

/// A small deterministic generator (xorshift) for the fuzz loop.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Malformed JSON, a request before the hello, a message over 1 MiB and a
/// binary frame that is not a port message each end their own connection with a Close frame and a
/// reason; another open connection keeps being answered. Then 50 random
/// byte strings and truncated requests on fresh connections: the server
/// still welcomes a hello afterwards.
#[test]
fn hostile_messages_close_only_their_own_connection() {
    let server = manual_server(&[]);
    runtime().block_on(async {
        let (mut good, _) = Port::open(&server).await;

        let mut ws = raw(&server).await;
        ws.send(Message::Text("{not json".into()))
            .await
            .expect("sent");
        let (code, reason, error) = closed_with(&mut ws).await;
        assert_eq!(u16::from(code), 1007, "{reason}");
        assert!(error && reason.contains("malformed"), "{reason}");
        good.still_answered().await;

        let mut ws = raw(&server).await;
        let before_hello = ToEngine::Request {
            id: 1,
            command: Command::DeleteTopic {
                topic: "orders".into(),
            },
        };
        ws.send(Message::Text(port::encode(&before_hello).into()))
            .await
            .expect("sent");
        let (code, reason, error) = closed_with(&mut ws).await;
        assert_eq!(u16::from(code), 1008, "{reason}");
        assert!(error && reason.contains("hello"), "{reason}");
        good.still_answered().await;

        let mut ws = raw(&server).await;
        ws.send(Message::Text(port::encode(&hello()).into()))
            .await
            .expect("sent");
        let oversized = format!("\"{}\"", "x".repeat(port::MAX_MESSAGE_BYTES));
        ws.send(Message::Text(oversized.into()))
            .await
            .expect("sent");
        let (code, reason, _) = closed_with(&mut ws).await;
        assert_eq!(u16::from(code), 1009, "{reason}");
        assert!(reason.contains("at most"), "{reason}");
        good.still_answered().await;

        let mut ws = raw(&server).await;
        ws.send(Message::Binary(vec![0x7b, 0x7d].into()))
            .await
            .expect("sent");
        let (code, reason, error) = closed_with(&mut ws).await;
        assert_eq!(u16::from(code), 1007, "{reason}");
        assert!(error && reason.contains("malformed"), "{reason}");
        good.still_answered().await;

        // Fuzz: random bytes (as text, lossily, or binary) and every kind
        // of truncated request, each on a fresh connection, half after a hello.
        let valid = port::encode(&ToEngine::Request {
            id: 9,
            command: Command::CreateTopic {
                topic: "fuzzed".into(),
                partitions: Some(2),
                replication_factor: Some(1),
                configs: vec![],
            },
        });
        let mut rng = Xorshift(0x2026_0101);
        for case in 0..100_u64 {
            let mut ws = raw(&server).await;
            if case % 2 == 0 {
                ws.send(Message::Text(port::encode(&hello()).into()))
                    .await
                    .expect("sent");
            }
            let message = if case < 50 {
                let len = usize::try_from(rng.next() % 300).expect("small");
                let bytes: Vec<u8> = (0..len).map(|_| rng.next().to_le_bytes()[0]).collect();
                if case % 5 == 0 {
                    Message::Binary(bytes.into())
                } else {
                    Message::Text(String::from_utf8_lossy(&bytes).into_owned().into())
                }
            } else {
                let cut = usize::try_from(rng.next()).expect("fits") % valid.len();
                Message::Text(valid[..cut].to_owned().into())
            };
            // The server may close before the send completes: either is fine.
            let _ = ws.send(message).await;
            let _ = tokio::time::timeout(Duration::from_secs(5), async {
                while let Some(Ok(_)) = ws.next().await {}
            })
            .await;
        }
        let (mut fresh, engine) = Port::open(&server).await;
        assert_eq!(engine.mode, Mode::Live);
        let cluster = fresh.subscribe(1, Query::Cluster).await;
        let ViewModel::Cluster(cluster) = cluster else {
            panic!("{cluster:?}")
        };
        assert!(
            !cluster.topics.iter().any(|t| t.name == "fuzzed"),
            "no truncated request ran"
        );
        good.still_answered().await;
    });
    assert!(
        !server.log_text().contains("panicked"),
        "{}",
        server.log_text()
    );
}

/// The binary encoding: a hello in a binary frame is answered in binary
/// frames (the welcome, replies, updates), and a request made that way
/// changes the engine as the JSON one does.
#[test]
fn a_binary_hello_is_answered_in_binary_frames() {
    let server = manual_server(&[]);
    runtime().block_on(async {
        let mut ws = raw(&server).await;
        let send = |m: &ToEngine| Message::Binary(port::encode_binary(m).into());
        ws.send(send(&hello())).await.expect("sent");
        assert!(matches!(
            next_binary(&mut ws).await,
            FromEngine::Welcome { .. }
        ));
        ws.send(send(&ToEngine::Request {
            id: 4,
            command: Command::CreateTopic {
                topic: "bytes".into(),
                partitions: Some(2),
                replication_factor: Some(1),
                configs: vec![],
            },
        }))
        .await
        .expect("sent");
        let reply = next_binary(&mut ws).await;
        assert!(
            matches!(
                &reply,
                FromEngine::Reply {
                    id: 4,
                    outcome: Outcome::Ok { .. }
                }
            ),
            "{reply:?}"
        );
        ws.send(send(&ToEngine::Subscribe {
            id: 5,
            query: Query::Cluster,
        }))
        .await
        .expect("sent");
        let FromEngine::Update {
            id: 5,
            model: ViewModel::Cluster(cluster),
        } = next_binary(&mut ws).await
        else {
            panic!("expected the cluster model")
        };
        assert!(cluster.topics.iter().any(|t| t.name == "bytes"));
    });
}

/// The next port message, which must come in a binary frame.
async fn next_binary(ws: &mut Ws) -> FromEngine {
    loop {
        match ws.next().await {
            Some(Ok(Message::Binary(bytes))) => {
                return port::decode_binary::<FromEngine>(&bytes).expect("a port message");
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            other => panic!("expected a binary frame, got {other:?}"),
        }
    }
}

/// The clock: a manual one is stepped (the reply shows the new time) and
/// paused, not played; a wall-clock server refuses every clock command
/// with a reason, while a step still moves it ahead.
#[test]
fn the_page_steps_a_manual_clock_and_cannot_stop_a_wall_clock() {
    let manual = manual_server(&[]);
    runtime().block_on(async {
        let (mut port, _) = Port::open(&manual).await;
        let stepped = port.request(1, Command::Step { ms: 1_500 }).await;
        let Outcome::Ok {
            reply: Reply::Clock(clock),
        } = stepped
        else {
            panic!("{stepped:?}")
        };
        assert_eq!(
            (clock.now, clock.running, clock.controllable),
            (1_767_225_601_500, false, true)
        );
        assert!(matches!(
            port.request(2, Command::Clock(ClockCommand::Pause)).await,
            Outcome::Ok { .. }
        ));
        let played = port.request(3, Command::Clock(ClockCommand::Play)).await;
        let Outcome::Err { error } = played else {
            panic!("{played:?}")
        };
        assert_eq!(error.code, ErrorCode::Unsupported);
        assert!(error.message.contains("manual"), "{}", error.message);
        let too_far = port.request(4, Command::Step { ms: 86_400_001 }).await;
        assert!(
            matches!(too_far, Outcome::Err { error } if error.code == ErrorCode::InvalidRequest)
        );
        let ViewModel::Clock(clock) = port.subscribe(5, Query::Clock).await else {
            panic!("a clock")
        };
        assert_eq!(
            clock.now, 1_767_225_601_500,
            "only steps move a manual clock"
        );
    });
    drop(manual);
    let wall = Server::start();
    runtime().block_on(async {
        let (mut port, engine) = Port::open(&wall).await;
        assert!(!engine.clock_control);
        for (n, command) in [
            ClockCommand::Pause,
            ClockCommand::Play,
            ClockCommand::Speed { factor: 2.0 },
        ]
        .into_iter()
        .enumerate()
        {
            let outcome = port.request(n as u64, Command::Clock(command)).await;
            let Outcome::Err { error } = outcome else {
                panic!("{outcome:?}")
            };
            assert_eq!(error.code, ErrorCode::Unsupported);
            assert!(error.message.contains("wall clock"), "{}", error.message);
        }
        let ViewModel::Clock(before) = port.subscribe(10, Query::Clock).await else {
            panic!("a clock")
        };
        assert!(before.running && !before.controllable);
        let stepped = port.request(11, Command::Step { ms: 60_000 }).await;
        let Outcome::Ok {
            reply: Reply::Clock(after),
        } = stepped
        else {
            panic!("{stepped:?}")
        };
        assert!(after.now >= before.now + 60_000, "{before:?} → {after:?}");
    });
}

/// `GET path` on the feed listener: the status line and the whole response.
fn http_get(server: &Server, path: &str) -> String {
    use std::io::{Read, Write};
    let mut http = std::net::TcpStream::connect(&server.feed).expect("feed connects");
    write!(
        http,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.feed
    )
    .expect("sent");
    let mut response = String::new();
    http.read_to_string(&mut response).expect("read");
    response
}

/// `/` and `/index.html` carry `<meta name="kplay-engine" content="live">`
/// right before `</head>`; other files are served as they are; without an
/// `index.html` the page is a 404.
#[test]
fn the_page_is_served_marked_as_live_mode() {
    let dist = std::env::temp_dir().join(format!("kplay-dist-live-{}", std::process::id()));
    std::fs::create_dir_all(&dist).expect("dist");
    let page = "<!doctype html>\n<html>\n  <head>\n    <title>Kafka Playground</title>\n  </head>\n  <body></body>\n</html>\n";
    std::fs::write(dist.join("index.html"), page).expect("index");
    std::fs::write(dist.join("app.js"), "console.log('</head>')").expect("js");
    let server = Server::start_with_dist(&dist);
    let marked = page.replace(
        "  </head>",
        "  <meta name=\"kplay-engine\" content=\"live\"></head>",
    );
    for path in ["/", "/index.html"] {
        let response = http_get(&server, path);
        assert!(response.starts_with("HTTP/1.1 200"), "{path}: {response}");
        assert!(
            response
                .to_ascii_lowercase()
                .contains("content-type: text/html"),
            "{path}: {response}"
        );
        assert!(response.ends_with(&marked), "{path}: {response}");
    }
    let script = http_get(&server, "/app.js");
    assert!(
        script.starts_with("HTTP/1.1 200") && script.ends_with("console.log('</head>')"),
        "{script}"
    );
    assert!(!script.contains("kplay-engine"), "{script}");
    std::fs::remove_file(dist.join("index.html")).expect("removed");
    assert!(http_get(&server, "/").starts_with("HTTP/1.1 404"));
    assert!(http_get(&server, "/index.html").starts_with("HTTP/1.1 404"));
    let _ = std::fs::remove_dir_all(&dist);
}

/// `curl -X method` with a body of `content_type`: the status and body.
fn curl(server: &Server, method: &str, url: &str, content_type: &str, body: &str) -> (u16, String) {
    let out = run_ok(
        Process::new("curl")
            .args([
                "-s",
                "-w",
                "\n%{http_code}",
                "-X",
                method,
                "-H",
                &format!("Content-Type: {content_type}"),
                "--data",
                body,
            ])
            .arg(url),
        server,
    );
    let (body, status) = out.rsplit_once('\n').expect("a status line");
    (status.trim().parse().expect("a status"), body.to_owned())
}

/// The Schema Registry reads request bodies only as JSON (its own types or
/// `application/json`), as Confluent's does; anything else is 415 with
/// Confluent's body. Kafka Connect likewise takes only `application/json`.
#[test]
fn the_registry_refuses_bodies_that_are_not_json() {
    let server = manual_server(&[]);
    let schema = r#"{"schema":"{\"type\":\"string\"}"}"#;
    let url = format!("{}/subjects/x/versions", server.registry);
    let refused = curl(&server, "POST", &url, "text/plain", schema);
    assert_eq!(
        refused,
        (
            415,
            r#"{"error_code":415,"message":"HTTP 415 Unsupported Media Type"}"#.to_owned()
        )
    );
    let form = curl(
        &server,
        "POST",
        &url,
        "application/x-www-form-urlencoded",
        schema,
    );
    assert_eq!(form.0, 415, "{form:?}");
    let config = curl(
        &server,
        "PUT",
        &format!("{}/config", server.registry),
        "text/plain",
        r#"{"compatibility":"NONE"}"#,
    );
    assert_eq!(config.0, 415, "{config:?}");
    // Nothing was registered by the refused requests.
    let listed = run_ok(
        Process::new("curl")
            .args(["-s"])
            .arg(format!("{}/subjects", server.registry)),
        &server,
    );
    assert_eq!(listed.trim(), "[]");
    let registered = curl(
        &server,
        "POST",
        &url,
        "application/vnd.schemaregistry.v1+json",
        schema,
    );
    assert_eq!(registered, (200, r#"{"id":1}"#.to_owned()));
    let json = curl(
        &server,
        "POST",
        &url,
        "application/json; charset=utf-8",
        schema,
    );
    assert_eq!(
        json,
        (200, r#"{"id":1}"#.to_owned()),
        "the same schema again: its id"
    );
    let connector = curl(
        &server,
        "POST",
        &format!("{}/connectors", server.connect),
        "text/plain",
        r#"{"name":"x","config":{}}"#,
    );
    assert_eq!(connector.0, 415, "{connector:?}");
}

/// confluent-kafka: 5 records to `live-orders` (auto-created), acks=all.
const PRODUCE: &str = r#"
import sys
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": sys.argv[1]})
for i in range(5):
    p.produce("live-orders", key=b"k%d" % i, value=b"v%d" % i)
assert p.flush(10) == 0, "not all delivered"
print("DONE")
"#;

/// confluent-kafka's AdminClient: the partitions of `argv[2]`.
const LIST_TOPICS: &str = r#"
import sys
from confluent_kafka.admin import AdminClient
topics = AdminClient({"bootstrap.servers": sys.argv[1]}).list_topics(timeout=10).topics
print("PARTITIONS", len(topics[sys.argv[2]].partitions) if sys.argv[2] in topics else "missing")
print("DONE")
"#;

/// A consumer in group `course-group` polling `course-topic` for 60 s.
const CONSUME: &str = r#"
import sys, time
from confluent_kafka import Consumer
c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "course-group", "client.id": "course-consumer",
              "auto.offset.reset": "earliest"})
c.subscribe(["course-topic"])
end = time.time() + 60
while time.time() < end:
    c.poll(0.2)
c.close()
"#;

fn python_inline(script: &str, args: &[&str], server: &Server) -> String {
    let out = run_ok(
        Process::new(support::python())
            .arg("-c")
            .arg(script)
            .args(args),
        server,
    );
    assert!(out.contains("DONE"), "the script did not finish:\n{out}");
    out
}

/// Live mode: what a real client produces shows in the page's
/// subscription within a second, and a topic the page creates is listed
/// to a real client's AdminClient (on a manual clock: the ticker's 0 ms
/// steps still acknowledge `acks=all`).
#[test]
fn the_page_and_real_clients_share_one_engine() {
    let server = manual_server(&[]);
    runtime().block_on(async {
        let (mut page, _) = Port::open(&server).await;
        page.subscribe(1, Query::Cluster).await;
        python_inline(PRODUCE, &[&server.bootstrap], &server);
        let produced = Instant::now();
        page.wait_for(1, Duration::from_secs(1), |model| {
            matches!(model, ViewModel::Cluster(c) if c.topics.iter().any(|t| t.name == "live-orders"
                && t.partitions.iter().map(|p| p.high_watermark).sum::<i64>() == 5))
        })
        .await;
        eprintln!(
            "the produce showed in the page {:?} after the client finished",
            produced.elapsed()
        );

        let command = Command::CreateTopic {
            topic: "from-the-page".into(),
            partitions: Some(3),
            replication_factor: Some(2),
            configs: vec![],
        };
        assert!(matches!(page.request(2, command).await, Outcome::Ok { .. }));
        let listed = python_inline(LIST_TOPICS, &[&server.bootstrap, "from-the-page"], &server);
        assert!(listed.contains("PARTITIONS 3"), "{listed}");
    });
}

/// Live mode, wall clock: a confluent-kafka consumer's group, with its
/// member and assignment, shows in the page's Consumers view.
#[test]
fn a_real_consumer_group_shows_in_the_page() {
    let server = Server::start();
    runtime().block_on(async {
        let (mut page, _) = Port::open(&server).await;
        let command = Command::CreateTopic { topic: "course-topic".into(), partitions: Some(2), replication_factor: Some(1), configs: vec![] };
        assert!(matches!(page.request(1, command).await, Outcome::Ok { .. }));
        page.subscribe(2, Query::Consumers).await;
        let mut consumer = Process::new(support::python())
            .arg("-c")
            .arg(CONSUME)
            .arg(&server.bootstrap)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("python starts");
        let model = page
            .wait_for(2, Duration::from_secs(15), |model| {
                matches!(model, ViewModel::Consumers(c) if c.groups.iter().any(|g| g.group_id == "course-group"
                    && g.state == "Stable"
                    && g.members.len() == 1
                    && g.members[0].client_id == "course-consumer"
                    && g.members[0].partitions == ["course-topic-0", "course-topic-1"]))
            })
            .await;
        let _ = consumer.kill();
        let _ = consumer.wait();
        let ViewModel::Consumers(consumers) = model else { unreachable!("matched above") };
        assert!(consumers.consumers.is_empty(), "no simulated consumers: {consumers:?}");
    });
}

/// A page whose DNS name was rebound to this machine sends same-origin
/// requests (its `Origin` matches the `Host`): the REST services and the
/// WebSockets refuse them unless the host is `localhost` or an IP address.
/// Command-line clients (no `Origin`) are served as before.
#[test]
fn pages_under_a_rebound_dns_name_are_refused() {
    let server = manual_server(&[]);
    let connect_port = server.connect.rsplit(':').next().expect("a port");
    let rebound = format!("evil.example:{connect_port}");
    let out = run_ok(
        Process::new("curl")
            .args(["-s", "-w", "\n%{http_code}", "-X", "POST", "-H", "Content-Type: application/json"])
            .args(["-H", &format!("Host: {rebound}"), "-H", &format!("Origin: http://{rebound}")])
            .args(["--data", r#"{"name":"steal","config":{"connector.class":"FileStreamSource","file":"/etc/passwd","topic":"loot"}}"#])
            .arg(format!("{}/connectors", server.connect)),
        &server,
    );
    let (body, status) = out.rsplit_once('\n').expect("a status line");
    assert_eq!(status.trim(), "403", "{body}");
    assert!(body.contains("--allow-origin"), "{body}");
    let listed = run_ok(
        Process::new("curl")
            .args(["-s"])
            .arg(format!("{}/connectors", server.connect)),
        &server,
    );
    assert_eq!(listed.trim(), "[]", "nothing was created");
    // A rebound page's same-origin GET carries no Origin: the Host gives it away.
    let read = run_ok(
        Process::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                &format!("Host: {rebound}"),
            ])
            .arg(format!("{}/connectors?expand=info", server.connect)),
        &server,
    );
    assert_eq!(
        read.trim(),
        "403",
        "a rebound name cannot read connector configs either"
    );
    let registry_port = server.registry.rsplit(':').next().expect("a port");
    let out = run_ok(
        Process::new("curl")
            .args(["-s", "-o", "/dev/null", "-w", "%{http_code}"])
            .args([
                "-H",
                &format!("Host: localhost:{registry_port}"),
                "-H",
                &format!("Origin: http://localhost:{registry_port}"),
            ])
            .arg(format!("{}/subjects", server.registry)),
        &server,
    );
    assert_eq!(
        out.trim(),
        "200",
        "a page served from localhost itself is same-origin"
    );
}
