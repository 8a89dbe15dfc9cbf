//! The engine behind the port: what both answerers share.
//!
//! - [`Engine`] wraps the I/O-free [`engine::playground::Playground`] with
//!   what the port needs beside it: simulated clients' bookkeeping, the
//!   recent events as sentences, and [`Engine::apply`], which turns a
//!   [`port::Command`] into engine calls with Kafka's errors.
//! - [`models`] reads [`port::ViewModel`]s straight from the engine.
//! - [`Session`] is one connection's side of the protocol: handshake,
//!   requests, subscriptions, and updates only when a model changed. It
//!   talks to an [`Answerer`]: the Web Worker's [`LocalEngine`] (which owns
//!   the clock: play, pause, speed) or the native server's host.
//!
//! Nothing here does I/O or reads a clock; the worker and the server feed
//! text and elapsed time in and send what comes out.

pub mod engine_ops;
pub mod local;
pub mod metrics;
pub mod models;
pub mod producers;
pub mod session;

pub use engine_ops::Engine;
pub use local::LocalEngine;
pub use session::{Answerer, Frame, Session, SessionOutput};
