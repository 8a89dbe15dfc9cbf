//! The Kafka Playground engine: a pure, deterministic model of a Kafka
//! cluster and the Confluent platform around it.
//!
//! The engine does no I/O. It never reads the wall clock, spawns threads or
//! touches the network; callers drive it with method calls and advance its
//! [`clock::Clock`] explicitly. The same calls in the same order always give
//! the same result, which is what lets the browser UI pause, step and replay
//! a scenario, and lets the native server put real Kafka clients in front of
//! exactly the same state machines.
//!
//! The README's engine table says what each module is for.

pub mod avro;
pub mod broker_config;
mod client_config;
pub mod clock;
pub mod cluster;
pub mod collections;
pub mod compact_sort;
#[cfg(feature = "connect")]
pub mod connect;
pub mod consumer;
pub mod consumer_config;
pub mod consumer_offsets;
mod crc;
pub mod error;
pub mod events;
pub mod group;
mod kafka_bytes;
pub mod log;
pub mod partitioner;
pub mod playground;
pub mod producer;
pub mod producer_config;
pub mod producer_state;
pub mod record;
pub mod registry;
pub mod rest;
pub mod rng;
pub mod topic_config;
pub mod workload;
