//! The port: every message between Kafka Playground's UI and the engine
//! that answers it, as serde types both sides depend on.
//!
//! The UI never touches engine types. It opens a connection to *an engine*
//! — the in-browser engine in a Web Worker (local mode), the native server
//! over its WebSocket (live mode), or one day a bridge to a real cluster —
//! and speaks this vocabulary, shaped like LSP:
//!
//! 1. **Handshake.** The UI sends [`ToEngine::Hello`] with the
//!    [`VERSION`] it speaks; the engine answers [`FromEngine::Welcome`]
//!    (its version, what it is: [`EngineInfo`]) or [`FromEngine::Refused`]
//!    with a sentence the page shows. Nothing else is answered before.
//! 2. **Requests.** [`ToEngine::Request`] carries a [`Command`] and an id;
//!    exactly one [`FromEngine::Reply`] with that id answers it.
//! 3. **Subscriptions.** [`ToEngine::Subscribe`] names a [`Query`]; the
//!    engine sends [`FromEngine::Update`] with the [`ViewModel`] at once and
//!    again whenever it changes (never the same model twice in a row, at
//!    most one per tick), until [`ToEngine::Unsubscribe`]. Queries are
//!    windowed: a view asks for what it displays, never a whole log.
//!
//! Messages travel in one of two [`Encoding`]s, chosen by the hello: **JSON
//! text** ([`encode`], [`decode`]) in WebSocket text frames or worker
//! `postMessage` strings, readable and what scripts and tests speak; or
//! **binary** ([`encode_binary`], [`decode_binary`]: postcard, the same
//! serde types laid out by position) in binary frames or `postMessage`d
//! byte arrays, which the page speaks: it is smaller and quicker to read,
//! and the page's wasm carries no JSON parser. The engine answers in the
//! encoding of the hello. Either way a message is at most
//! [`MAX_MESSAGE_BYTES`]; decoding untrusted input never panics; a message
//! that does not parse is a [`PortError`] with a reason, and the receiver
//! closes that connection. Binary is positional, so any change to a port
//! type changes [`VERSION`] (a test pins the encoding of a sample of every
//! message to the version).
//!
//! Nothing here assumes the engine is ours: an answerer that cannot do a
//! command (a real cluster has no simulated consumers) replies with
//! [`ErrorCode::Unsupported`].

pub mod command;
pub mod model;
pub mod producer;
pub mod scenario;
pub mod time;
pub mod wire;

use serde::{Deserialize, Serialize};

pub use command::{
    ClientFlavour, ClockCommand, Command, CommandError, ConsumerAction, ErrorCode, NewRecord,
    Outcome, RecordField, Reply, ResetTo,
};
pub use model::{
    AutoCommitModel, BatchSpan, BrokerMetrics, BrokerModel, ClockModel, ClusterModel,
    ConfigEntryModel, ConsumerModel, ConsumersModel, EventLine, EventsModel, GroupMemberModel,
    GroupModel, GroupOffsetModel, MetricsModel, MetricsSample, PartitionModel, Query, RecordModel,
    RecordsModel, Text, TopicDescription, TopicModel, ViewModel, WorkloadModel,
};
pub use producer::{
    BatchModel, ConfigDefault, DeliveryReportModel, Fault, FaultsModel, FlightState, InFlightModel,
    ProducerAction, ProducerModel, ProducersModel, SequenceModel,
};
pub use wire::BatchBytesModel;

/// The port's version. A change that an older peer would misread bumps it
/// (with the binary encoding, any change to a type's fields).
pub const VERSION: u32 = 16;

/// How a connection's messages are encoded; the client's hello chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// JSON text.
    #[default]
    Json,
    /// postcard bytes.
    Binary,
}

/// What local mode's worker posts once it can take messages (a worker
/// drops what is posted to it before its wasm has loaded, so the page
/// waits for this before its hello). Not a port message: the transport's.
pub const WORKER_READY: &str = "kplay-worker-ready";

/// What the page posts to local mode's worker, with one end of a
/// `MessageChannel` transferred beside it, to connect another client (the
/// Console view): the worker answers the port's messages on that channel
/// in a session of its own. Not a port message: the transport's.
pub const WORKER_CONNECT: &str = "kplay-worker-connect";

/// What the page's early loader (`www/index.html`) records when the worker
/// fails to load.
pub const WORKER_FAILED: &str = "kplay-worker-failed";

/// The largest message either side accepts, in bytes of JSON text.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// What the UI sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToEngine {
    /// The first message of a connection.
    Hello {
        /// The port version the UI speaks ([`VERSION`]).
        version: u32,
        /// Who is asking, for logs (e.g. `kafka-playground-ui 0.1.0`).
        client: String,
    },
    /// A command, answered by one [`FromEngine::Reply`] with the same id.
    Request {
        /// Chosen by the UI, echoed in the reply.
        id: u64,
        /// What to do.
        command: Command,
    },
    /// Starts (or, with an id in use, replaces) a subscription.
    Subscribe {
        /// Chosen by the UI, echoed in every update.
        id: u64,
        /// What to watch.
        query: Query,
    },
    /// Ends a subscription; unknown ids are ignored.
    Unsubscribe {
        /// The subscription's id.
        id: u64,
    },
}

/// What the engine sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromEngine {
    /// The handshake succeeded.
    Welcome {
        /// The port version the engine speaks (equal to the UI's).
        version: u32,
        /// What kind of engine answers.
        engine: EngineInfo,
    },
    /// The handshake failed (a version mismatch, a missing hello); the
    /// connection ends after this.
    Refused {
        /// The engine's port version.
        version: u32,
        /// A sentence for the page.
        reason: String,
    },
    /// The answer to a request.
    Reply {
        /// The request's id.
        id: u64,
        /// What happened.
        outcome: Outcome,
    },
    /// A subscription's current view model.
    Update {
        /// The subscription's id.
        id: u64,
        /// What the view renders.
        model: ViewModel,
    },
    /// A message could not be read; the engine closes the connection.
    ProtocolError {
        /// Why, in a sentence.
        reason: String,
    },
}

/// Which engine answers, for the page's mode badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineInfo {
    /// Local (in this browser tab) or live (a server real clients use).
    pub mode: Mode,
    /// A name for people, e.g. `kafka-playground 0.1.0 (in this tab)`.
    pub name: String,
    /// `bootstrap.servers` that real clients use, in live mode.
    pub bootstrap: Option<String>,
    /// The Schema Registry's URL, in live mode.
    pub schema_registry: Option<String>,
    /// Kafka Connect's REST URL, in live mode.
    pub connect: Option<String>,
    /// Whether the engine's clock can be paused and stepped by the page
    /// (local mode, or a live server started with a manual clock).
    pub clock_control: bool,
}

/// Where the engine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// In a Web Worker of this page.
    Local,
    /// On a server that real clients also use.
    Live,
}

/// Why a message could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortError {
    /// Longer than [`MAX_MESSAGE_BYTES`].
    TooLarge {
        /// Its length.
        bytes: usize,
    },
    /// Not a message of this port.
    Malformed {
        /// What serde said, with line and column.
        reason: String,
    },
}

impl std::fmt::Display for PortError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortError::TooLarge { bytes } => {
                write!(f, "message of {bytes} bytes refused: the port accepts at most {MAX_MESSAGE_BYTES}")
            }
            PortError::Malformed { reason } => write!(f, "malformed message: {reason}"),
        }
    }
}

impl std::error::Error for PortError {}

/// Reads one message of type `T` from untrusted text.
///
/// # Errors
///
/// [`PortError::TooLarge`] above [`MAX_MESSAGE_BYTES`], else
/// [`PortError::Malformed`] for anything that is not a `T`.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, PortError> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(PortError::TooLarge { bytes: text.len() });
    }
    serde_json::from_str(text).map_err(|e| PortError::Malformed {
        reason: e.to_string(),
    })
}

/// Writes one message as JSON text.
#[must_use]
pub fn encode<T: Serialize>(message: &T) -> String {
    // The port's types serialise infallibly: string keys, no non-finite
    // floats reach them (speeds are clamped), no custom serialisers.
    serde_json::to_string(message).unwrap_or_else(|e| {
        serde_json::json!({"protocol_error": {"reason": format!("cannot encode: {e}")}}).to_string()
    })
}

/// Reads one message of untrusted bytes in the binary encoding: all of
/// them, at most [`MAX_MESSAGE_BYTES`].
///
/// # Errors
///
/// [`PortError::TooLarge`] or [`PortError::Malformed`] with the reason.
pub fn decode_binary<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, PortError> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(PortError::TooLarge { bytes: bytes.len() });
    }
    let malformed = |reason: String| PortError::Malformed { reason };
    match postcard::take_from_bytes(bytes) {
        Ok((message, [])) => Ok(message),
        Ok((_, rest)) => Err(malformed(format!(
            "{} bytes left over after the message",
            rest.len()
        ))),
        Err(e) => Err(malformed(e.to_string())),
    }
}

/// A message in the binary encoding.
#[must_use]
pub fn encode_binary<T: Serialize>(message: &T) -> Vec<u8> {
    // As `encode`: the port's types serialise infallibly (postcard fails
    // only on sequences of unknown length, which serde's derive never
    // makes); an empty message would be refused by the peer as malformed.
    postcard::to_allocvec(message).unwrap_or_default()
}

/// The engine's answer to a [`ToEngine::Hello`]: welcome if the versions
/// match, else the sentence the page shows.
#[must_use]
pub fn handshake(hello_version: u32, engine: EngineInfo) -> FromEngine {
    if hello_version == VERSION {
        FromEngine::Welcome {
            version: VERSION,
            engine,
        }
    } else {
        FromEngine::Refused {
            version: VERSION,
            reason: format!(
                "This page speaks port version {hello_version} but the engine speaks version {VERSION}: \
                 reload the page, or run a kafka-playground server built from the same release."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_request_round_trips_through_json() {
        let message = ToEngine::Request {
            id: 7,
            command: Command::CreateTopic {
                topic: "orders".into(),
                partitions: Some(3),
                replication_factor: Some(3),
                configs: vec![("cleanup.policy".into(), "compact".into())],
            },
        };
        let text = encode(&message);
        assert!(
            text.starts_with(r#"{"request":{"id":7,"command":{"create_topic":{"topic":"orders""#),
            "{text}"
        );
        assert_eq!(decode::<ToEngine>(&text), Ok(message));
    }

    #[test]
    fn a_version_mismatch_is_refused_with_both_versions_named() {
        let info = EngineInfo {
            mode: Mode::Local,
            name: "test".into(),
            bootstrap: None,
            schema_registry: None,
            connect: None,
            clock_control: true,
        };
        match handshake(VERSION + 1, info.clone()) {
            FromEngine::Refused { reason, version } => {
                assert_eq!(version, VERSION);
                assert!(
                    reason.contains(&format!("version {}", VERSION + 1)),
                    "{reason}"
                );
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(matches!(
            handshake(VERSION, info),
            FromEngine::Welcome { .. }
        ));
    }

    #[test]
    fn oversized_and_malformed_text_is_an_error() {
        let big = format!("\"{}\"", "x".repeat(MAX_MESSAGE_BYTES));
        assert!(matches!(
            decode::<ToEngine>(&big),
            Err(PortError::TooLarge { .. })
        ));
        assert!(matches!(
            decode::<ToEngine>(r#"{"request":{"id":1}}"#),
            Err(PortError::Malformed { .. })
        ));
        assert!(matches!(
            decode::<ToEngine>(r#"{"launch_missiles":{}}"#),
            Err(PortError::Malformed { .. })
        ));
    }

    /// Every example in PROTOCOL.md is a message of this port.
    #[test]
    fn protocol_reference_examples_parse() {
        let reference = include_str!("../PROTOCOL.md");
        let mut checked = 0;
        for (fence, direction) in [
            ("```json to-engine\n", true),
            ("```json from-engine\n", false),
        ] {
            for block in reference.split(fence).skip(1) {
                let json = block.split("```").next().unwrap_or_default().trim();
                if direction {
                    assert!(
                        decode::<ToEngine>(json).is_ok(),
                        "{json}: {:?}",
                        decode::<ToEngine>(json)
                    );
                } else {
                    assert!(
                        decode::<FromEngine>(json).is_ok(),
                        "{json}: {:?}",
                        decode::<FromEngine>(json)
                    );
                }
                checked += 1;
            }
        }
        assert!(checked >= 15, "only {checked} examples found");
    }

    /// Every example in PROTOCOL.md, in both directions, as JSON.
    fn reference_examples() -> (Vec<ToEngine>, Vec<FromEngine>) {
        let reference = include_str!("../PROTOCOL.md");
        let blocks = |fence: &str| -> Vec<String> {
            reference
                .split(fence)
                .skip(1)
                .map(|b| b.split("```").next().unwrap_or_default().trim().to_owned())
                .collect()
        };
        let to: Vec<ToEngine> = blocks("```json to-engine\n")
            .iter()
            .filter_map(|j| decode(j).ok())
            .collect();
        let from: Vec<FromEngine> = blocks("```json from-engine\n")
            .iter()
            .filter_map(|j| decode(j).ok())
            .collect();
        (to, from)
    }

    #[test]
    fn every_reference_message_round_trips_through_the_binary_encoding() {
        let (to, from) = reference_examples();
        assert!(to.len() + from.len() >= 15);
        for message in &to {
            let bytes = encode_binary(message);
            assert_eq!(decode_binary::<ToEngine>(&bytes).as_ref(), Ok(message));
        }
        for message in &from {
            let bytes = encode_binary(message);
            assert_eq!(decode_binary::<FromEngine>(&bytes).as_ref(), Ok(message));
        }
    }

    /// The binary encoding is positional: a peer built with other fields
    /// misreads it. So the encoding of every reference example is pinned to
    /// [`VERSION`]: a change to a port type (or to the examples) fails here
    /// until the version is bumped and the pin updated with it.
    #[test]
    fn the_binary_layout_is_pinned_to_the_version() {
        let (to, from) = reference_examples();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let bytes = to
            .iter()
            .map(encode_binary)
            .chain(from.iter().map(encode_binary));
        for b in bytes.flatten() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let pinned = (16, 0xa632_5de3_e865_221c_u64);
        assert_eq!(
            (VERSION, hash),
            pinned,
            "the port's binary layout changed: bump VERSION and pin ({}, {hash:#018x})",
            VERSION + u32::from(VERSION == pinned.0)
        );
    }

    #[test]
    fn binary_with_bytes_left_over_or_cut_short_is_refused() {
        let mut bytes = encode_binary(&ToEngine::Unsubscribe { id: 9 });
        assert_eq!(decode_binary(&bytes), Ok(ToEngine::Unsubscribe { id: 9 }));
        bytes.push(0);
        assert!(matches!(
            decode_binary::<ToEngine>(&bytes),
            Err(PortError::Malformed { reason }) if reason.contains("1 bytes left over")
        ));
        assert!(matches!(
            decode_binary::<ToEngine>(&bytes[..1]),
            Err(PortError::Malformed { .. })
        ));
        assert!(matches!(
            decode_binary::<ToEngine>(&vec![0; MAX_MESSAGE_BYTES + 1]),
            Err(PortError::TooLarge { .. })
        ));
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = decode_binary::<ToEngine>(&bytes);
            let _ = decode_binary::<FromEngine>(&bytes);
        }

        #[test]
        fn random_text_never_panics(text in ".{0,300}") {
            let _ = decode::<ToEngine>(&text);
            let _ = decode::<FromEngine>(&text);
        }

        #[test]
        fn every_prefix_of_a_valid_message_is_handled(cut in 0usize..200) {
            let text = encode(&ToEngine::Subscribe { id: 3, query: Query::Records { topic: "orders".into(), partition: 1, from_offset: Some(5), limit: 50 } });
            let end = text.char_indices().map(|(i, _)| i).rfind(|i| *i <= cut).unwrap_or(0);
            let prefix = &text[..end];
            let parsed = decode::<ToEngine>(prefix);
            prop_assert!(parsed.is_err() || prefix == text);
        }
    }
}
