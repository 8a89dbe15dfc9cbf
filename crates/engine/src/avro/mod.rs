//! Avro as the Confluent platform uses it: the binary codec, schema
//! resolution between a writer's and a reader's schema, schema
//! compatibility, canonical form and the Schema Registry wire format
//! (magic byte and schema id in front of each record).
//!
//! Schemas are parsed and represented by the `apache-avro` crate; the
//! modules here add what must behave exactly like the Java implementation
//! that Kafka users meet through the Schema Registry, and what must be
//! fast: [`codec`], the binary codec, each schema compiled once into a
//! plan ([`Codec`], data as [`Datum`]s); [`resolve`], schema resolution
//! between a writer's and a reader's schema as Java's `Resolver` does it,
//! compiled into the same plan; [`json`], the Avro JSON encoding and the
//! "plain JSON" a learner types, with every problem's path; [`value`],
//! conversions to and from `apache-avro`'s `Value`; [`container`], Object
//! Container Files with the null, deflate and snappy codecs; [`random`],
//! seeded random schemas and data for tests and examples;
//! [`compatibility`], Java's `SchemaCompatibility` and Confluent's seven
//! compatibility levels; [`canonical`], the Parsing Canonical Form and the
//! CRC-64-AVRO, MD5 and SHA-256 fingerprints of Java's
//! `SchemaNormalization`; and [`wire`], the Confluent wire format, Avro's
//! single-object encoding and the byte-by-byte annotation behind the wire
//! inspector. Every schema text goes through [`parse`], which accepts what
//! Java's `Schema.Parser` accepts where `apache-avro` wrongly refuses it.

pub mod canonical;
pub mod codec;
pub mod compatibility;
pub mod container;
pub mod json;
pub mod parse;
pub mod random;
pub mod resolve;
pub mod value;
pub mod wire;

pub use codec::{Codec, Datum, DecodeError, EncodeError, Program, SchemaError};
pub use container::{
    read_container, write_container, BlockInfo, ContainerCodec, ContainerError, ContainerFile,
    ContainerHeader,
};
pub use json::{JsonError, JsonProblem, Mode as JsonMode};
pub use parse::{parse_schema, parse_schema_with_references, parse_schemas, ParseError};
pub use resolve::{ResolveError, ResolveErrorKind};

#[cfg(test)]
mod testdata;
