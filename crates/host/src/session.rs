//! One connection's side of the port: the handshake, requests and
//! subscriptions, over whichever [`Answerer`] owns the engine.
//!
//! A [`Session`] reads text ([`Session::on_text`]) or bytes
//! ([`Session::on_bytes`]) and gives back the messages to send and whether
//! to close; it answers in the [`Encoding`] of the hello
//! ([`Session::frame`]). [`Session::updates`] recomputes
//! every subscription and returns only the models that changed since they
//! were last sent; the transport calls it once per tick (the worker's
//! clock, the server's frame timer), which is what coalesces a burst of
//! engine changes into one update per view.

use port::{
    decode, decode_binary, encode, encode_binary, handshake, Command, CommandError, Encoding,
    EngineInfo, FromEngine, PortError, Query, Reply, ToEngine, ViewModel,
};

/// Whoever owns the engine: executes commands and answers queries.
pub trait Answerer {
    /// What kind of engine this is, for the welcome.
    fn info(&self) -> EngineInfo;
    /// Does a command.
    ///
    /// # Errors
    ///
    /// The refusal, with Kafka's reason.
    fn execute(&mut self, command: Command) -> Result<Reply, CommandError>;
    /// Does a command that arrived as `text` (its whole request message):
    /// an answerer that journals what it is asked (local mode's scenarios)
    /// keeps the text. By default, [`Answerer::execute`].
    ///
    /// # Errors
    ///
    /// The refusal, with Kafka's reason.
    fn execute_text(&mut self, command: Command, text: &str) -> Result<Reply, CommandError> {
        let _ = text;
        self.execute(command)
    }
    /// The model for a query now.
    fn answer(&self, query: &Query) -> ViewModel;
}

/// What handling one incoming message gave.
#[derive(Debug, Default, PartialEq)]
pub struct SessionOutput {
    /// Messages to send, in order.
    pub messages: Vec<FromEngine>,
    /// Close the connection after sending them, with this reason.
    pub close: Option<String>,
}

/// One message to send, encoded as the connection's hello chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// JSON text: a text frame or a `postMessage`d string.
    Text(String),
    /// The binary encoding: a binary frame or a `postMessage`d byte array.
    Binary(Vec<u8>),
}

/// One connection's state.
#[derive(Debug, Default)]
pub struct Session {
    greeted: bool,
    encoding: Encoding,
    /// By id, in the order they were made (at most
    /// [`MAX_SUBSCRIPTIONS`]: a vector is small and quick enough).
    subscriptions: Vec<Subscription>,
}

#[derive(Debug)]
struct Subscription {
    id: u64,
    query: Query,
    /// The binary encoding of the model last sent (compared as bytes: no
    /// model is kept or cloned).
    last: Vec<u8>,
}

/// Most subscriptions one connection may hold.
pub const MAX_SUBSCRIPTIONS: usize = 64;

impl Session {
    /// A connection that has not said hello yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the handshake succeeded.
    #[must_use]
    pub fn greeted(&self) -> bool {
        self.greeted
    }

    /// Sets the encoding of the answers: a transport that parses messages
    /// itself (and calls [`Session::on_message`]) says what its hello came
    /// as.
    pub fn choose_encoding(&mut self, encoding: Encoding) {
        self.encoding = encoding;
    }

    /// `message` encoded for this connection.
    #[must_use]
    pub fn frame(&self, message: &FromEngine) -> Frame {
        match self.encoding {
            Encoding::Json => Frame::Text(encode(message)),
            Encoding::Binary => Frame::Binary(encode_binary(message)),
        }
    }

    /// Handles one message of untrusted JSON text. Malformed text, anything
    /// before a hello, or a version mismatch ends the connection with a
    /// reason; the engine's state is untouched by all of them.
    pub fn on_text(&mut self, text: &str, answerer: &mut dyn Answerer) -> SessionOutput {
        self.on_decoded(decode(text), Encoding::Json, Some(text), answerer)
    }

    /// Handles one message of untrusted bytes in the binary encoding, as
    /// [`Session::on_text`] handles text. A hello in bytes makes the
    /// engine answer in bytes.
    pub fn on_bytes(&mut self, bytes: &[u8], answerer: &mut dyn Answerer) -> SessionOutput {
        self.on_decoded(decode_binary(bytes), Encoding::Binary, None, answerer)
    }

    /// One message as it parsed from `encoding`; `text` is its JSON if it
    /// came as JSON (a request is journaled as that text).
    fn on_decoded(
        &mut self,
        decoded: Result<ToEngine, PortError>,
        encoding: Encoding,
        text: Option<&str>,
        answerer: &mut dyn Answerer,
    ) -> SessionOutput {
        match decoded {
            Ok(ToEngine::Request { id, command }) if self.greeted => {
                // Journals keep requests as JSON text (a scenario is
                // readable): a request that came as bytes is written as
                // `ToEngine::Request`'s JSON around its command's.
                let written;
                let text = match text {
                    Some(text) => text,
                    None => {
                        written = format!(
                            "{{\"request\":{{\"id\":{id},\"command\":{}}}}}",
                            encode(&command)
                        );
                        &written
                    }
                };
                let outcome = answerer.execute_text(command, text).into();
                SessionOutput {
                    messages: vec![FromEngine::Reply { id, outcome }],
                    close: None,
                }
            }
            Ok(message) => {
                if matches!(message, ToEngine::Hello { .. }) {
                    self.encoding = encoding;
                }
                self.on_message(message, answerer)
            }
            Err(err) => {
                // A message that did not parse: said, and the connection
                // closes.
                let reason = err.to_string();
                SessionOutput {
                    messages: vec![FromEngine::ProtocolError {
                        reason: reason.clone(),
                    }],
                    close: Some(reason),
                }
            }
        }
    }

    /// Handles one decoded message.
    pub fn on_message(&mut self, message: ToEngine, answerer: &mut dyn Answerer) -> SessionOutput {
        let mut out = SessionOutput::default();
        match message {
            ToEngine::Hello { version, .. } => {
                let answer = handshake(version, answerer.info());
                if let FromEngine::Refused { reason, .. } = &answer {
                    out.close = Some(reason.clone());
                } else {
                    self.greeted = true;
                }
                out.messages.push(answer);
            }
            _ if !self.greeted => {
                let reason = "the first message must be a hello with the port version".to_owned();
                out.messages.push(FromEngine::ProtocolError {
                    reason: reason.clone(),
                });
                out.close = Some(reason);
            }
            ToEngine::Request { id, command } => {
                let outcome = answerer.execute(command).into();
                out.messages.push(FromEngine::Reply { id, outcome });
            }
            ToEngine::Subscribe { id, query } => {
                let existing = self.subscriptions.iter().position(|s| s.id == id);
                if self.subscriptions.len() >= MAX_SUBSCRIPTIONS && existing.is_none() {
                    let reason =
                        format!("at most {MAX_SUBSCRIPTIONS} subscriptions per connection");
                    out.messages.push(FromEngine::ProtocolError {
                        reason: reason.clone(),
                    });
                    out.close = Some(reason);
                } else {
                    let model = answerer.answer(&query);
                    let last = encode_binary(&model);
                    out.messages.push(FromEngine::Update { id, model });
                    let subscription = Subscription { id, query, last };
                    match existing {
                        Some(at) => self.subscriptions[at] = subscription,
                        None => self.subscriptions.push(subscription),
                    }
                }
            }
            ToEngine::Unsubscribe { id } => {
                self.subscriptions.retain(|s| s.id != id);
            }
        }
        out
    }

    /// Every subscription whose model changed since it was last sent.
    pub fn updates(&mut self, answerer: &dyn Answerer) -> Vec<FromEngine> {
        self.changed(answerer, |id, model, _| FromEngine::Update { id, model })
    }

    /// [`Session::updates`] as the frames to send, in this connection's
    /// encoding.
    pub fn encoded_updates(&mut self, answerer: &dyn Answerer) -> Vec<Frame> {
        let encoding = self.encoding;
        self.changed(answerer, |id, model, _| match encoding {
            Encoding::Json => Frame::Text(encode(&FromEngine::Update { id, model })),
            Encoding::Binary => Frame::Binary(encode_binary(&FromEngine::Update { id, model })),
        })
    }

    /// Each subscription whose model's encoding differs from the last one
    /// sent, as `out(id, model, bytes)`; those bytes are remembered.
    fn changed<T>(
        &mut self,
        answerer: &dyn Answerer,
        out: impl Fn(u64, ViewModel, &[u8]) -> T,
    ) -> Vec<T> {
        let mut changed = Vec::new();
        for subscription in &mut self.subscriptions {
            let model = answerer.answer(&subscription.query);
            let bytes = encode_binary(&model);
            if subscription.last != bytes {
                changed.push(out(subscription.id, model, &bytes));
                subscription.last = bytes;
            }
        }
        changed
    }

    /// The queries subscribed now (for an answerer that wants to know
    /// whether anyone watches).
    pub fn queries(&self) -> impl Iterator<Item = &Query> {
        self.subscriptions.iter().map(|s| &s.query)
    }
}
