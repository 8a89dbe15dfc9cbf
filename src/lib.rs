//! Kafka Playground's browser UI: a Leptos client-side-rendered app that
//! shows what Kafka does.
//!
//! The UI does not link the engine. [`link`] holds the one handle to
//! whichever engine answers — the engine's own wasm in a Web Worker (local
//! mode) or the native server over a WebSocket (live mode) — and speaks the
//! [`port`] crate's messages to it. [`app`] holds the page frame (views,
//! mode badge, clock), [`views`] one folder per view.

pub mod app;
pub mod download;
pub mod link;
pub mod scenario;
pub mod share;
pub mod views;
