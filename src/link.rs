//! The UI's one handle to "the engine": [`EngineLink`], provided in
//! context. Views subscribe to [`Query`]s and get signals of
//! [`ViewModel`]s, and send [`Command`]s with a callback for the reply;
//! they never see which engine answers.
//!
//! Two transports carry the port's messages in its binary encoding (the
//! page's wasm needs no JSON parser, and reading bytes is quicker than
//! parsing text on the main thread):
//! - **local mode**: the engine's own wasm in a dedicated Web Worker
//!   (`kplay-worker_loader.js`, built by Trunk from the same `index.html`);
//! - **live mode**: the native server's WebSocket at `port` beside the
//!   page, when the server marked the page with
//!   `<meta name="kplay-engine" content="live">`, or any server named by
//!   `?engine=ws://host:port/port` (a hosted site attaching to a learner's
//!   local server). If a named server cannot be reached the page falls back
//!   to local mode and says so.
//!
//! Updates are coalesced: whatever arrives between two animation frames is
//! applied once, at the next frame, one model per subscription.

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use port::{
    decode_binary, encode_binary, Command, CommandError, EngineInfo, FromEngine, Query, Reply,
    ToEngine, ViewModel, VERSION,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, WebSocket, Worker, WorkerOptions, WorkerType};

use port::{WORKER_FAILED, WORKER_READY};
/// The worker's loader, relative to the page.
const WORKER_URL: &str = "kplay-worker_loader.js";

/// Where the link stands.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkStatus {
    /// Starting the worker or opening the socket.
    Connecting,
    /// The engine welcomed us.
    Ready(EngineInfo),
    /// No engine answers, with why.
    Failed(String),
}

type ReplyHandler = Box<dyn FnOnce(Result<Reply, CommandError>)>;

enum Transport {
    Worker(Worker),
    Socket(WebSocket),
}

impl Transport {
    fn send(&self, bytes: &[u8]) {
        // A failed send means the engine is gone; the close handler says so.
        let _ = match self {
            Transport::Worker(worker) => {
                let array = js_sys::Uint8Array::from(bytes);
                let buffer = array.buffer();
                worker.post_message_with_transfer(&buffer, &js_sys::Array::of1(&buffer))
            }
            Transport::Socket(socket) => socket.send_with_u8_array(bytes),
        };
    }
}

/// The bytes of a message event's data (an `ArrayBuffer` from a socket or
/// the worker), if it holds bytes.
fn bytes_of(data: &JsValue) -> Option<Vec<u8>> {
    let buffer = data.dyn_ref::<js_sys::ArrayBuffer>()?;
    Some(js_sys::Uint8Array::new(buffer).to_vec())
}

#[derive(Default)]
struct Inner {
    transport: Option<Rc<Transport>>,
    welcomed: bool,
    next_id: u64,
    pending: HashMap<u64, ReplyHandler>,
    /// Requests made before the engine welcomed us, sent once it has.
    queued: Vec<Vec<u8>>,
    subscriptions: HashMap<u64, (Query, RwSignal<Option<ViewModel>>)>,
    /// Updates waiting for the next animation frame.
    arrived: HashMap<u64, ViewModel>,
    frame_requested: bool,
    /// The live server asked for, `(url, named in the page's address)`,
    /// while the page is trying it.
    trying: Option<(String, bool)>,
    /// Kept alive as long as the transport.
    closures: Vec<Box<dyn std::any::Any>>,
}

/// How long an engine may take to welcome the page before it is given up
/// (a live server that accepted the socket but never answers falls back to
/// local mode; a worker that never loads is reported).
const WELCOME_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// The `Copy` handle views use.
#[derive(Clone, Copy)]
pub struct EngineLink {
    inner: StoredValue<Inner, LocalStorage>,
    status: RwSignal<LinkStatus>,
    notice: RwSignal<Option<String>>,
}

/// Which engine to reach, read from the page.
enum Target {
    Local,
    Live { url: String, named: bool },
}

impl EngineLink {
    /// Connects to the engine the page names (see the module docs).
    #[must_use]
    pub fn connect() -> Self {
        let link = Self {
            inner: StoredValue::new_local(Inner::default()),
            status: RwSignal::new(LinkStatus::Connecting),
            notice: RwSignal::new(None),
        };
        match target() {
            Target::Local => link.start_worker(),
            Target::Live { url, named } => link.start_socket(&url, named),
        }
        set_timeout(
            move || {
                if link.status.get_untracked() != LinkStatus::Connecting {
                    return;
                }
                match link
                    .inner
                    .try_update_value(|inner| inner.trying.take())
                    .flatten()
                {
                    Some((url, named)) => {
                        link.fall_back(&url, named, "it did not answer within 15 s")
                    }
                    None => link.fail("the engine's worker did not start within 15 s".into()),
                }
            },
            WELCOME_TIMEOUT,
        );
        link
    }

    /// No engine answers any more: the page says why, and the requests
    /// waiting for a reply get an error instead of waiting forever.
    fn fail(&self, reason: String) {
        let waiting = self.inner.try_update_value(|inner| {
            inner.welcomed = false;
            inner.transport = None;
            inner
                .pending
                .drain()
                .map(|(_, handler)| handler)
                .collect::<Vec<_>>()
        });
        self.status.set(LinkStatus::Failed(reason.clone()));
        for handler in waiting.unwrap_or_default() {
            handler(Err(CommandError::new(
                port::ErrorCode::Unsupported,
                format!("no engine: {reason}"),
            )));
        }
    }

    /// Where the link stands.
    #[must_use]
    pub fn status(&self) -> Signal<LinkStatus> {
        self.status.into()
    }

    /// A sentence about a fallback (a named server that did not answer).
    #[must_use]
    pub fn notice(&self) -> Signal<Option<String>> {
        self.notice.into()
    }

    /// Sends a command; `on_reply` gets the engine's answer.
    /// A command too large for one message is refused here, unsent.
    pub fn request(
        &self,
        command: Command,
        on_reply: impl FnOnce(Result<Reply, CommandError>) + 'static,
    ) {
        // Boxed at once: one copy of the sending code, not one per caller.
        self.request_boxed(command, Box::new(on_reply));
    }

    #[inline(never)]
    fn request_boxed(&self, command: Command, on_reply: ReplyHandler) {
        let id = self.inner.try_update_value(|inner| {
            inner.next_id += 1;
            inner.next_id
        });
        let Some(id) = id else { return };
        let bytes = encode_binary(&ToEngine::Request { id, command });
        if bytes.len() > port::MAX_MESSAGE_BYTES {
            (on_reply)(Err(CommandError::invalid(format!(
                "too large to send: {} bytes, a message holds at most {}",
                bytes.len(),
                port::MAX_MESSAGE_BYTES
            ))));
            return;
        }
        let ready = self.inner.try_update_value(|inner| {
            inner.pending.insert(id, on_reply);
            match inner.welcomed.then(|| inner.transport.clone()).flatten() {
                Some(transport) => Some((transport, bytes)),
                None => {
                    inner.queued.push(bytes);
                    None
                }
            }
        });
        if let Some(Some((transport, bytes))) = ready {
            transport.send(&bytes);
        }
    }

    /// Sends a command whose reply only matters if it is a refusal, which
    /// goes to `on_error`.
    pub fn send(&self, command: Command, on_error: impl Fn(Option<String>) + 'static) {
        self.request(command, move |result| {
            on_error(result.err().map(|e| e.message))
        });
    }

    /// Subscribes to `query` for as long as the calling component lives.
    pub fn subscribe(&self, query: Query) -> Signal<Option<ViewModel>> {
        let model = RwSignal::new(None);
        let link = *self;
        let sent = self.inner.try_update_value(|inner| {
            inner.next_id += 1;
            let id = inner.next_id;
            inner.subscriptions.insert(id, (query.clone(), model));
            let bytes = encode_binary(&ToEngine::Subscribe { id, query });
            (
                id,
                inner
                    .welcomed
                    .then(|| inner.transport.clone())
                    .flatten()
                    .map(|t| (t, bytes)),
            )
        });
        if let Some((id, send)) = sent {
            if let Some((transport, bytes)) = send {
                transport.send(&bytes);
            }
            on_cleanup(move || link.unsubscribe(id));
        }
        model.into()
    }

    fn unsubscribe(&self, id: u64) {
        let transport = self.inner.try_update_value(|inner| {
            inner.subscriptions.remove(&id);
            inner.arrived.remove(&id);
            inner.welcomed.then(|| inner.transport.clone()).flatten()
        });
        if let Some(Some(transport)) = transport {
            transport.send(&encode_binary(&ToEngine::Unsubscribe { id }));
        }
    }

    fn start_worker(&self) {
        let (worker, early) = match adopt_early_worker() {
            Some(adopted) => adopted,
            None => {
                let options = WorkerOptions::new();
                options.set_type(WorkerType::Module);
                let url = resolve(WORKER_URL).unwrap_or_else(|| WORKER_URL.to_owned());
                match Worker::new_with_options(&url, &options) {
                    Ok(worker) => (worker, Vec::new()),
                    Err(err) => {
                        self.fail(format!("the engine's worker did not start: {err:?}"));
                        return;
                    }
                }
            }
        };
        expose(&worker);
        let transport = Rc::new(Transport::Worker(worker.clone()));
        let link = *self;
        // The worker's own signals are strings; port messages are bytes.
        let on_text = move |text: &str| match text {
            WORKER_READY => link.hello(),
            WORKER_FAILED => link.fail("the engine's worker failed to load".into()),
            _ => {}
        };
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            match data.as_string() {
                Some(text) => on_text(&text),
                None => {
                    if let Some(bytes) = bytes_of(&data) {
                        link.receive(&bytes);
                    }
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn Fn(JsValue)>::new(move |_| on_text(WORKER_FAILED));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.inner.update_value(|inner| {
            inner.transport = Some(transport);
            inner.closures.push(Box::new(on_message));
            inner.closures.push(Box::new(on_error));
        });
        // What the worker said before the UI was listening.
        for text in early {
            on_text(&text);
        }
    }

    fn start_socket(&self, url: &str, named: bool) {
        let socket = match WebSocket::new(url) {
            Ok(socket) => socket,
            Err(_) => return self.fall_back(url, named, "the address is not a WebSocket URL"),
        };
        expose(&JsValue::from_str(url));
        let transport = Rc::new(Transport::Socket(socket.clone()));
        self.inner
            .update_value(|inner| inner.trying = Some((url.to_owned(), named)));
        let link = *self;
        let on_open = Closure::<dyn Fn()>::new(move || link.hello());
        socket.set_binary_type(web_sys::BinaryType::Arraybuffer);
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(bytes) = bytes_of(&event.data()) {
                link.receive(&bytes);
            }
        });
        let address = url.to_owned();
        let on_close = Closure::<dyn Fn(web_sys::CloseEvent)>::new(
            move |event: web_sys::CloseEvent| {
                let trying = link
                    .inner
                    .try_update_value(|inner| inner.trying.take())
                    .flatten();
                if trying.is_some() {
                    link.fall_back(&address, named, "it did not answer");
                } else if !matches!(link.status.get_untracked(), LinkStatus::Failed(_)) {
                    let reason = event.reason();
                    link.fail(if reason.is_empty() {
                    format!("the live server at {address} closed the connection: reload when it runs again")
                } else {
                    format!("the live server closed the connection: {reason}")
                });
                }
            },
        );
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.inner.update_value(|inner| {
            inner.transport = Some(transport);
            inner.closures.push(Box::new(on_open));
            inner.closures.push(Box::new(on_message));
            inner.closures.push(Box::new(on_close));
        });
    }

    /// A live server that cannot be reached: run the engine here instead.
    fn fall_back(&self, url: &str, named: bool, why: &str) {
        let whose = if named {
            "the engine named in the address"
        } else {
            "the live server"
        };
        self.notice.set(Some(format!(
            "Could not reach {whose} at {url} ({why}): the engine runs in this browser tab instead."
        )));
        let old = self.inner.try_update_value(|inner| {
            inner.welcomed = false;
            inner.trying = None;
            inner.transport.take()
        });
        // The socket given up on must not report its close later.
        if let Some(Some(old)) = old {
            if let Transport::Socket(socket) = &*old {
                socket.set_onopen(None);
                socket.set_onmessage(None);
                socket.set_onclose(None);
                let _ = socket.close();
            }
        }
        self.start_worker();
    }

    fn hello(&self) {
        let transport = self
            .inner
            .try_with_value(|inner| inner.transport.clone())
            .flatten();
        if let Some(transport) = transport {
            transport.send(&encode_binary(&ToEngine::Hello {
                version: VERSION,
                client: concat!("kafka-playground-ui ", env!("CARGO_PKG_VERSION")).to_owned(),
            }));
        }
    }

    fn receive(&self, bytes: &[u8]) {
        let message = match decode_binary::<FromEngine>(bytes) {
            Ok(message) => message,
            Err(err) => {
                self.fail(format!(
                    "the engine sent a message this page cannot read: {err}"
                ));
                return;
            }
        };
        match message {
            FromEngine::Welcome { engine, .. } => self.welcome(engine),
            FromEngine::Refused { reason, .. } | FromEngine::ProtocolError { reason } => {
                self.fail(reason)
            }
            FromEngine::Reply { id, outcome } => {
                let handler = self
                    .inner
                    .try_update_value(|inner| inner.pending.remove(&id))
                    .flatten();
                if let Some(handler) = handler {
                    handler(Result::<Reply, CommandError>::from(outcome));
                }
            }
            FromEngine::Update { id, model } => self.arrive(id, model),
        }
    }

    /// The handshake succeeded: (re)send every subscription, then the
    /// requests made meanwhile, in order.
    fn welcome(&self, engine: EngineInfo) {
        let resend = self.inner.try_update_value(|inner| {
            inner.welcomed = true;
            inner.trying = None;
            // In any order: each subscription stands alone.
            let mut frames: Vec<Vec<u8>> = inner
                .subscriptions
                .iter()
                .map(|(id, (query, _))| {
                    encode_binary(&ToEngine::Subscribe {
                        id: *id,
                        query: query.clone(),
                    })
                })
                .collect();
            frames.append(&mut inner.queued);
            (inner.transport.clone(), frames)
        });
        if let Some((Some(transport), frames)) = resend {
            for bytes in frames {
                transport.send(&bytes);
            }
        }
        self.status.set(LinkStatus::Ready(engine));
    }

    /// Keeps the newest model per subscription until the next frame.
    fn arrive(&self, id: u64, model: ViewModel) {
        let schedule = self
            .inner
            .try_update_value(|inner| {
                inner.arrived.insert(id, model);
                !std::mem::replace(&mut inner.frame_requested, true)
            })
            .unwrap_or(false);
        if schedule {
            let link = *self;
            request_animation_frame(move || link.apply_arrived());
        }
    }

    fn apply_arrived(&self) {
        let ready = self.inner.try_update_value(|inner| {
            inner.frame_requested = false;
            let arrived: Vec<(u64, ViewModel)> = inner.arrived.drain().collect();
            arrived
                .into_iter()
                .filter_map(|(id, model)| {
                    inner
                        .subscriptions
                        .get(&id)
                        .map(|(_, signal)| (*signal, model))
                })
                .collect::<Vec<_>>()
        });
        for (signal, model) in ready.unwrap_or_default() {
            signal.try_set(Some(model));
        }
    }
}

/// The worker `index.html` started before the UI's wasm loaded, with the
/// messages it posted meanwhile (`window.kplayEarlyWorker`), if any.
fn adopt_early_worker() -> Option<(Worker, Vec<String>)> {
    let global = JsValue::from(window());
    let early = js_sys::Reflect::get(&global, &JsValue::from_str("kplayEarlyWorker")).ok()?;
    if early.is_undefined() || early.is_null() {
        return None;
    }
    // Adopted once: a second link (a test remounting the app) starts its own.
    let _ = js_sys::Reflect::delete_property(
        global.unchecked_ref::<js_sys::Object>(),
        &JsValue::from_str("kplayEarlyWorker"),
    );
    let worker: Worker = js_sys::Reflect::get(&early, &JsValue::from_str("worker"))
        .ok()?
        .dyn_into()
        .ok()?;
    let messages = js_sys::Reflect::get(&early, &JsValue::from_str("early")).ok()?;
    let messages: Vec<String> = js_sys::Array::from(&messages)
        .iter()
        .filter_map(|m| m.as_string())
        .collect();
    Some((worker, messages))
}

/// Lets the page's other clients of the engine (the Console's terminal,
/// its own wasm) reach the same one: `window.kplayEngine` is the worker in
/// local mode, the server's WebSocket URL in live mode.
fn expose(engine: &JsValue) {
    // Without it the Console says it cannot connect; nothing else depends on it.
    let _ = js_sys::Reflect::set(&window(), &JsValue::from_str("kplayEngine"), engine);
}

/// `url` resolved against the page's base URL.
fn resolve(url: &str) -> Option<String> {
    let base = document().base_uri().ok().flatten()?;
    web_sys::Url::new_with_base(url, &base)
        .ok()
        .map(|u| u.href())
}

/// Which engine the page asks for: `?engine=local`, `?engine=ws://…`, the
/// live server's `<meta name="kplay-engine" content="live">`, else local.
fn target() -> Target {
    let search = window().location().search().unwrap_or_default();
    let named = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("engine"));
    match named.as_deref() {
        Some("local") => return Target::Local,
        Some(url) if url.starts_with("ws://") || url.starts_with("wss://") => {
            return Target::Live {
                url: url.to_owned(),
                named: true,
            };
        }
        _ => {}
    }
    let live = document()
        .query_selector("meta[name=kplay-engine]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .is_some_and(|content| content == "live");
    if !live {
        return Target::Local;
    }
    match resolve("port") {
        Some(http) => Target::Live {
            url: http.replacen("http", "ws", 1),
            named: false,
        },
        None => Target::Local,
    }
}

/// `source`, passed on at most once per `every`: the first model at once,
/// then a change starts the period, and when it ends the latest value is
/// published (so nothing is lost, only coalesced). For views whose readers cannot follow every
/// frame, such as a table of records on live tail.
pub fn at_most_every(
    source: Signal<Option<ViewModel>>,
    every: std::time::Duration,
) -> Signal<Option<ViewModel>> {
    let out = RwSignal::new(source.get_untracked());
    let waiting = StoredValue::new(false);
    Effect::new(move |_| {
        source.track();
        // The first model passes at once: a new subscription (a record
        // window scrolled to) shows without waiting a period.
        if out.with_untracked(Option::is_none) {
            out.set(source.get_untracked());
            return;
        }
        if waiting.try_get_value() == Some(false) {
            waiting.set_value(true);
            set_timeout(
                move || {
                    // The view may be gone by then: nothing to update.
                    if waiting.try_set_value(false).is_none() {
                        if let Some(latest) = source.try_get_untracked() {
                            out.try_set(latest);
                        }
                    }
                },
                every,
            );
        }
    });
    out.into()
}

/// How often [`slow_tick`] ticks.
pub const SLOW_TICK: std::time::Duration = std::time::Duration::from_millis(200);

thread_local! {
    static SLOW: std::cell::OnceCell<RwSignal<u32>> = const { std::cell::OnceCell::new() };
}

/// A signal that changes every [`SLOW_TICK`], for parts people read
/// rather than watch (a producer's delivery reports, a partition's tail):
/// a view tracks it and reads its model untracked, so the part is made
/// again at most five times a second however fast records flow, while the
/// rest of the view follows every frame.
pub fn slow_tick() -> RwSignal<u32> {
    SLOW.with(|cell| {
        *cell.get_or_init(|| {
            let tick = RwSignal::new(0_u32);
            let _ = set_interval_with_handle(
                move || tick.update(|t| *t = t.wrapping_add(1)),
                SLOW_TICK,
            );
            tick
        })
    })
}
