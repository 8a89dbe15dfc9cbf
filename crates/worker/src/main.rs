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

use std::cell::RefCell;
use std::rc::Rc;

use engine_host::{Answerer, Frame, LocalEngine, Session};
use port::{encode, FromEngine};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// What the worker posts once it can take messages.
const READY: &str = port::WORKER_READY;

/// How often the clock moves and updates go out (wall ms).
const TICK_MS: i32 = 33;

/// The engine's seed: the same seed and the same commands replay exactly.
const SEED: u64 = 2026;

struct Worker {
    engine: LocalEngine,
    session: Session,
    last_tick: f64,
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
        last_tick: now,
    }));

    let on_message = {
        let worker = Rc::clone(&worker);
        let scope = scope.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Ok(mut guard) = worker.try_borrow_mut() else {
                return;
            };
            let Worker {
                engine, session, ..
            } = &mut *guard;
            let data = event.data();
            let output = if let Some(text) = data.as_string() {
                session.on_text(&text, engine)
            } else if let Some(bytes) = data.dyn_ref::<js_sys::Uint8Array>() {
                session.on_bytes(&bytes.to_vec(), engine)
            } else if let Some(buffer) = data.dyn_ref::<js_sys::ArrayBuffer>() {
                session.on_bytes(&js_sys::Uint8Array::new(buffer).to_vec(), engine)
            } else {
                return;
            };
            let frames: Vec<Frame> = output.messages.iter().map(|m| session.frame(m)).collect();
            post(&scope, frames);
            if output.close.is_some() {
                // A worker has one page: "closing" starts the session over,
                // and the page shows the reason it was sent.
                *session = Session::new();
            } else {
                post(&scope, session.encoded_updates(engine));
            }
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
                last_tick,
            } = &mut *guard;
            let now = scope.performance().map_or(*last_tick, |p| p.now());
            engine.tick(now - *last_tick);
            *last_tick = now;
            if session.greeted() {
                post(&scope, session.encoded_updates(engine as &dyn Answerer));
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

/// Posts encoded messages: text as a string, bytes as an `ArrayBuffer`
/// handed over (transferred, not copied).
fn post(scope: &DedicatedWorkerGlobalScope, frames: Vec<Frame>) {
    for frame in frames {
        // A failed post means the page is gone: nothing to tell.
        let _ = match frame {
            Frame::Text(text) => scope.post_message(&JsValue::from_str(&text)),
            Frame::Binary(bytes) => {
                let array = js_sys::Uint8Array::from(bytes.as_slice());
                let buffer = array.buffer();
                scope.post_message_with_transfer(&buffer, &js_sys::Array::of1(&buffer))
            }
        };
    }
}
