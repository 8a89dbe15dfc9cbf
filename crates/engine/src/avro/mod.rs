//! Avro as the Confluent platform uses it: the binary codec, schema
//! resolution between a writer's and a reader's schema, schema
//! compatibility, canonical form and the Schema Registry wire format
//! (magic byte and schema id in front of each record).
//!
//! Schemas are parsed and represented by the `apache-avro` crate; the
//! modules here add what must behave exactly like the Java implementation
//! that Kafka users meet through the Schema Registry. So far:
//! [`compatibility`], Java's `SchemaCompatibility` and Confluent's seven
//! compatibility levels; [`canonical`], the Parsing Canonical Form and the
//! CRC-64-AVRO, MD5 and SHA-256 fingerprints of Java's
//! `SchemaNormalization`; and [`wire`], the Confluent wire format, Avro's
//! single-object encoding and the byte-by-byte annotation behind the wire
//! inspector.

pub mod canonical;
pub mod codec;
pub mod compatibility;
pub mod json;
pub mod resolve;
pub mod value;
pub mod wire;

pub use codec::{Codec, Datum, DecodeError, EncodeError, Program, SchemaError};
pub use json::{JsonError, JsonProblem, Mode as JsonMode};
pub use resolve::{ResolveError, ResolveErrorKind};

#[cfg(test)]
mod testdata;
