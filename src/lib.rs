//! Kafka Playground's browser UI: a Leptos client-side-rendered app that
//! drives the I/O-free [`engine`] and shows what Kafka does.
//!
//! The UI is a thin shell: [`app`] holds the page frame and navigation,
//! [`views`] one module per view. Engine state will live in one place and be
//! reached through Leptos context.

pub mod app;
pub mod engine_state;
pub mod views;
