//! The port over a WebSocket at `GET /port` on the feed listener: live
//! mode. The page speaks the same messages to this server that it speaks
//! to the engine in its Web Worker in local mode (crate `port`): a hello,
//! requests, subscriptions. One message per frame, at most
//! `port::MAX_MESSAGE_BYTES`: JSON in text frames, or the port's binary
//! encoding in binary frames (what the page speaks); the server answers in
//! the kind of frame the hello came in.
//!
//! Each connection is an [`engine_host::Session`] (its handshake and
//! subscriptions) over [`ServerAnswerer`], which answers from the one
//! engine the Kafka listeners, the REST services and every page share
//! (inside [`Hub::with`], never across an `.await`). So a page's
//! `CreateTopic` is what a real client's Metadata lists next, and a real
//! client's produce shows in the page's views within one update period
//! ([`UPDATE_EVERY`]).
//!
//! **The clock** is the server's, not the page's: real clients' timeouts
//! and heartbeats run in real time, so a page cannot pause it or change
//! its speed (`ErrorCode::Unsupported`). `Step` moves it ahead. A server
//! started with `--manual-clock` moves only by steps: there, `Pause` and
//! `Speed` are accepted (it stands still anyway) and `Play` is refused.
//!
//! **Hostile input** ends only its own connection, with a Close frame
//! whose reason says why: a frame that is not a port message (1007), a
//! message before the hello or a version mismatch (1008), a message over
//! the limit (1009).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use engine_host::{models, Answerer, Frame, Session, SessionOutput};
use port::{
    ClockCommand, ClockModel, Command, CommandError, Encoding, EngineInfo, ErrorCode, FromEngine,
    Query, Reply, ToEngine, ViewModel, MAX_MESSAGE_BYTES,
};

use crate::feed::FeedState;
use crate::hub::{Host, Hub};

/// How often a connection's subscriptions are recomputed and the changed
/// models sent.
pub const UPDATE_EVERY: Duration = Duration::from_millis(50);

/// The longest close reason sent, in bytes (a Close frame's payload is
/// at most 125 bytes, 2 of them the code).
pub const MAX_CLOSE_REASON: usize = 120;

/// How long a closing connection waits for the peer's Close.
const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// Close codes (RFC 6455 §7.4.1).
mod code {
    /// Data inconsistent with the message type (not a port message).
    pub const INVALID_DATA: u16 = 1007;
    /// A message that violates the protocol's policy.
    pub const POLICY: u16 = 1008;
    /// A message too big to process.
    pub const TOO_BIG: u16 = 1009;
    /// Any other protocol failure.
    pub const PROTOCOL: u16 = 1002;
}

/// The port's answerer on the server: commands go to the shared engine,
/// the clock is the server's.
pub struct ServerAnswerer<'a> {
    /// The engine and the requests waiting on it.
    pub host: &'a mut Host,
    /// What the welcome says this engine is.
    pub info: &'a EngineInfo,
}

/// The server's clock as the port shows it.
#[must_use]
pub fn clock_model(host: &Host) -> ClockModel {
    let manual = host.manual_clock();
    ClockModel {
        now: host.now().0,
        running: !manual,
        speed: 1.0,
        controllable: manual,
        seed: None,
    }
}

impl ServerAnswerer<'_> {
    fn clock(&self, command: ClockCommand) -> Result<Reply, CommandError> {
        if !self.host.manual_clock() {
            return Err(CommandError::new(
                ErrorCode::Unsupported,
                "this live server's clock follows the wall clock, because the real clients connected to it \
                 (their session timeouts, heartbeats and retries) depend on it: it cannot be paused or sped up; \
                 Step still moves it ahead",
            ));
        }
        match command {
            ClockCommand::Play => Err(CommandError::new(
                ErrorCode::Unsupported,
                "this server's clock is manual: step it (it was started with --manual-clock)",
            )),
            ClockCommand::Pause => Ok(Reply::Clock(clock_model(self.host))),
            ClockCommand::Speed { factor } => {
                engine_host::local::check_speed(factor)?;
                Ok(Reply::Clock(clock_model(self.host)))
            }
        }
    }
}

impl Answerer for ServerAnswerer<'_> {
    fn info(&self) -> EngineInfo {
        self.info.clone()
    }

    fn execute(&mut self, command: Command) -> Result<Reply, CommandError> {
        match command {
            Command::Step { ms } => {
                self.host.engine().check_step(ms)?;
                self.host.advance(ms);
                Ok(Reply::Clock(clock_model(self.host)))
            }
            Command::Clock(command) => self.clock(command),
            other => self.host.engine_mut().apply(other),
        }
    }

    fn answer(&self, query: &Query) -> ViewModel {
        match query {
            Query::Clock => ViewModel::Clock(clock_model(self.host)),
            other => models::answer(self.host.engine(), other),
        }
    }
}

/// `GET /port`: the origin check, then the WebSocket.
pub async fn upgrade(
    State(state): State<FeedState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if let Some(refusal) = crate::origin::refusal(&headers, &state.settings.allowed_origins) {
        return refusal;
    }
    let (hub, info) = (state.hub, Arc::clone(&state.settings.engine));
    ws.max_message_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| serve(hub, info, socket))
}

/// `reason` cut to at most [`MAX_CLOSE_REASON`] bytes on a character
/// boundary.
#[must_use]
pub fn close_reason(reason: &str) -> &str {
    if reason.len() <= MAX_CLOSE_REASON {
        return reason;
    }
    let mut end = MAX_CLOSE_REASON;
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    &reason[..end]
}

async fn send(socket: &mut WebSocket, session: &Session, message: &FromEngine) -> bool {
    socket
        .send(to_message(session.frame(message)))
        .await
        .is_ok()
}

/// A port frame as a WebSocket message: text or binary, as the hello was.
fn to_message(frame: Frame) -> Message {
    match frame {
        Frame::Text(text) => Message::Text(text.into()),
        Frame::Binary(bytes) => Message::Binary(bytes.into()),
    }
}

/// Sends a Close frame and waits (briefly) for the peer's, so the reason
/// arrives before the connection ends.
async fn close(mut socket: WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: close_reason(reason).into(),
    };
    if socket.send(Message::Close(Some(frame))).await.is_err() {
        return;
    }
    let _ = tokio::time::timeout(CLOSE_WAIT, async {
        while let Some(Ok(message)) = socket.recv().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

/// A message as it arrived, before parsing.
enum Incoming {
    Text(String),
    Binary(Vec<u8>),
}

/// One connection: its session until it closes.
async fn serve(hub: Arc<Hub>, info: Arc<EngineInfo>, mut socket: WebSocket) {
    let mut session = Session::new();
    let mut ticker = tokio::time::interval(UPDATE_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                if session.queries().next().is_none() {
                    continue;
                }
                let updates = hub.with(|host| session.encoded_updates(&ServerAnswerer { host, info: &info }));
                for update in updates {
                    if socket.send(to_message(update)).await.is_err() {
                        return;
                    }
                }
            }
            incoming = socket.recv() => {
                let incoming = match incoming {
                    Some(Ok(Message::Text(text))) => Incoming::Text(text.to_string()),
                    Some(Ok(Message::Binary(bytes))) => Incoming::Binary(bytes.to_vec()),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | None => return,
                    Some(Err(err)) => {
                        // A message over the limit (tungstenite's "Message
                        // too long"), or a broken frame.
                        let text = err.to_string();
                        let (code, reason) = if text.contains("too long") {
                            (code::TOO_BIG, format!("message refused: the port accepts at most {MAX_MESSAGE_BYTES} bytes"))
                        } else {
                            (code::PROTOCOL, format!("cannot read the frame: {text}"))
                        };
                        return close(socket, code, &reason).await;
                    }
                };
                // Parsed outside the lock: a message may be up to 1 MiB.
                let decoded = match &incoming {
                    Incoming::Text(text) => port::decode::<ToEngine>(text),
                    Incoming::Binary(bytes) => port::decode_binary::<ToEngine>(bytes),
                };
                let (output, code) = match decoded {
                    Ok(message) => {
                        if matches!(message, ToEngine::Hello { .. }) {
                            session.choose_encoding(match incoming {
                                Incoming::Text(_) => Encoding::Json,
                                Incoming::Binary(_) => Encoding::Binary,
                            });
                        }
                        let output = hub.with(|host| session.on_message(message, &mut ServerAnswerer { host, info: &info }));
                        (output, code::POLICY)
                    }
                    Err(err) => {
                        let reason = err.to_string();
                        let messages = vec![FromEngine::ProtocolError { reason: reason.clone() }];
                        (SessionOutput { messages, close: Some(reason) }, code::INVALID_DATA)
                    }
                };
                for message in &output.messages {
                    if !send(&mut socket, &session, message).await {
                        return;
                    }
                }
                if let Some(reason) = output.close {
                    return close(socket, code, &reason).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_reasons_are_cut_on_a_character_boundary() {
        assert_eq!(close_reason("short"), "short");
        let long = "é".repeat(100);
        let cut = close_reason(&long);
        assert!(cut.len() <= MAX_CLOSE_REASON);
        assert_eq!(cut.chars().count(), 60);
        let mixed = format!("a{}", "é".repeat(100));
        assert_eq!(close_reason(&mixed).len(), 119);
    }
}
