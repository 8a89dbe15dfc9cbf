//! Local mode's engine: this wasm runs in a dedicated Web Worker started by
//! the page, owns the engine and its clock, and answers the port's
//! messages (`postMessage`d byte arrays in the port's binary encoding, or
//! JSON strings) exactly as the native server answers them over its
//! WebSocket.
//!
//! On start it posts [`READY`] (messages sent before the wasm has loaded
//! would be lost, so the page waits for it), then handles each message
//! with [`engine_host::Session`], and every [`TICK_MS`] moves the clock
//! and posts the subscriptions whose models changed.
//!
//! The page is one client; others connect through a `MessageChannel`: the
//! page posts [`port::WORKER_CONNECT`] with the channel's other end, and
//! that port gets a session of its own over the same engine (the Console
//! view, a client of the engine as Kafka's command-line tools are clients
//! of a broker).

use std::cell::RefCell;
use std::rc::Rc;

use engine_host::{Answerer, Frame, LocalEngine, Session};
use port::{encode, FromEngine};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, MessagePort};

/// What the worker posts once it can take messages.
const READY: &str = port::WORKER_READY;

/// How often the clock moves and updates go out (wall ms).
const TICK_MS: i32 = 33;

/// The engine's seed: the same seed and the same commands replay exactly.
const SEED: u64 = 2026;

struct Worker {
    engine: LocalEngine,
    session: Session,
    /// Clients connected through a `MessageChannel`, with their sessions.
    channels: Vec<(MessagePort, Session)>,
    last_tick: f64,
}

/// The most channel clients at once (a page opens one per Console view).
const MAX_CHANNELS: usize = 8;

/// Where a session's messages go.
trait Outlet {
    fn post_frame(&self, value: &JsValue, transfer: Option<&js_sys::Array>);
}

impl Outlet for DedicatedWorkerGlobalScope {
    fn post_frame(&self, value: &JsValue, transfer: Option<&js_sys::Array>) {
        // A failed post means the page is gone: nothing to tell.
        let _ = match transfer {
            Some(transfer) => self.post_message_with_transfer(value, transfer),
            None => self.post_message(value),
        };
    }
}

impl Outlet for MessagePort {
    fn post_frame(&self, value: &JsValue, transfer: Option<&js_sys::Array>) {
        let _ = match transfer {
            Some(transfer) => self.post_message_with_transferable(value, transfer),
            None => self.post_message(value),
        };
    }
}

/// The message's bytes or text, handled by `session`; what it answers is
/// posted to `outlet`. False when the session closed (it starts over).
fn handle(
    data: &JsValue,
    session: &mut Session,
    engine: &mut LocalEngine,
    outlet: &dyn Outlet,
) -> bool {
    let output = if let Some(text) = data.as_string() {
        session.on_text(&text, engine)
    } else if let Some(bytes) = data.dyn_ref::<js_sys::Uint8Array>() {
        session.on_bytes(&bytes.to_vec(), engine)
    } else if let Some(buffer) = data.dyn_ref::<js_sys::ArrayBuffer>() {
        session.on_bytes(&js_sys::Uint8Array::new(buffer).to_vec(), engine)
    } else {
        return true;
    };
    let frames: Vec<Frame> = output.messages.iter().map(|m| session.frame(m)).collect();
    post(outlet, frames);
    if output.close.is_some() {
        // A worker's client has no socket to close: "closing" starts the
        // session over, and the client shows the reason it was sent.
        *session = Session::new();
        false
    } else {
        post(outlet, session.encoded_updates(engine));
        true
    }
}

fn main() {
    // See the UI's app::start: no hook runs under immediate-abort.
    #[cfg(not(panic = "immediate-abort"))]
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let engine = match LocalEngine::boot(SEED) {
        Ok(engine) => engine,
        Err(err) => {
            let refused = FromEngine::Refused {
                version: port::VERSION,
                reason: format!("the engine did not start: {err}"),
            };
            let _ = scope.post_message(&JsValue::from_str(&encode(&refused)));
            return;
        }
    };
    let now = scope.performance().map_or(0.0, |p| p.now());
    let worker = Rc::new(RefCell::new(Worker {
        engine,
        session: Session::new(),
        channels: Vec::new(),
        last_tick: now,
    }));

    let on_message = {
        let worker = Rc::clone(&worker);
        let scope = scope.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if data.as_string().as_deref() == Some(port::WORKER_CONNECT) {
                if let Ok(port) = event.ports().get(0).dyn_into::<MessagePort>() {
                    connect(&worker, port);
                }
                return;
            }
            let Ok(mut guard) = worker.try_borrow_mut() else {
                return;
            };
            let Worker {
                engine, session, ..
            } = &mut *guard;
            handle(&data, session, engine, &scope);
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();

    let on_tick = {
        let scope = scope.clone();
        Closure::<dyn Fn()>::new(move || {
            let Ok(mut guard) = worker.try_borrow_mut() else {
                return;
            };
            let Worker {
                engine,
                session,
                channels,
                last_tick,
            } = &mut *guard;
            let now = scope.performance().map_or(*last_tick, |p| p.now());
            engine.tick(now - *last_tick);
            *last_tick = now;
            if session.greeted() {
                post(&scope, session.encoded_updates(engine as &dyn Answerer));
            }
            for (port, session) in channels {
                if session.greeted() {
                    post(port, session.encoded_updates(engine as &dyn Answerer));
                }
            }
        })
    };
    let _ = scope.set_interval_with_callback_and_timeout_and_arguments_0(
        on_tick.as_ref().unchecked_ref(),
        TICK_MS,
    );
    on_tick.forget();

    let _ = scope.post_message(&JsValue::from_str(READY));
}

/// A client connected through a channel: its own session over the
/// engine, answered on `port`. Beyond [`MAX_CHANNELS`] the oldest channel
/// is dropped (its client sees no more answers).
fn connect(worker: &Rc<RefCell<Worker>>, port: MessagePort) {
    let on_message = {
        let worker = Rc::clone(worker);
        let port = port.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Ok(mut guard) = worker.try_borrow_mut() else {
                return;
            };
            let Worker {
                engine, channels, ..
            } = &mut *guard;
            if let Some((_, session)) = channels.iter_mut().find(|(p, _)| *p == port) {
                handle(&event.data(), session, engine, &port);
            }
        })
    };
    port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Lives as long as the worker: a channel is opened once per view.
    on_message.forget();
    let Ok(mut guard) = worker.try_borrow_mut() else {
        return;
    };
    if guard.channels.len() >= MAX_CHANNELS {
        let (old, _) = guard.channels.remove(0);
        old.set_onmessage(None);
        old.close();
    }
    guard.channels.push((port, Session::new()));
}

/// Posts encoded messages: text as a string, bytes as an `ArrayBuffer`
/// handed over (transferred, not copied).
fn post(outlet: &dyn Outlet, frames: Vec<Frame>) {
    for frame in frames {
        match frame {
            Frame::Text(text) => outlet.post_frame(&JsValue::from_str(&text), None),
            Frame::Binary(bytes) => {
                let array = js_sys::Uint8Array::from(bytes.as_slice());
                let buffer = array.buffer();
                outlet.post_frame(&buffer, Some(&js_sys::Array::of1(&buffer)));
            }
        }
    }
}
