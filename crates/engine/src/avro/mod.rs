//! Avro as the Confluent platform uses it: the binary codec, schema
//! resolution between a writer's and a reader's schema, schema
//! compatibility, canonical form and the Schema Registry wire format
//! (magic byte and schema id in front of each record).
//!
//! Schemas are parsed and represented by the `apache-avro` crate; the
//! modules here add what must behave exactly like the Java implementation
//! that Kafka users meet through the Schema Registry. So far:
//! [`compatibility`], Java's `SchemaCompatibility` and Confluent's seven
//! compatibility levels.

pub mod compatibility;

#[cfg(test)]
mod testdata;
