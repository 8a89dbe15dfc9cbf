//! The `__consumer_offsets` topic: which partition holds a group, and the
//! binary keys and values Kafka writes there.
//!
//! A consumer group's committed offsets are ordinary records in this
//! compacted internal topic (50 partitions by default,
//! `offsets.topic.num.partitions`). The group's partition is
//! `abs(groupId.hashCode()) % 50` with Java's `String.hashCode`, and the
//! leader of that partition is the group's coordinator. Each commit is a
//! record whose key is `OffsetCommitKey` (version 1: group, topic,
//! partition) and whose value is `OffsetCommitValue` (version 3: offset,
//! leader epoch, metadata, commit timestamp; version 1 when an expiry time
//! is given), both in Kafka's big-endian schema encoding; deleting a
//! group's offsets writes a tombstone (null value). Keys of version 2 are
//! group metadata (`GroupMetadataKey`). Decoding these lets the UI show a
//! learner exactly what a commit wrote.

use thiserror::Error;

use crate::kafka_bytes::{self, put_string, ReadError};

/// Kafka's default `offsets.topic.num.partitions`.
pub const DEFAULT_PARTITIONS: i32 = 50;
/// The topic's name.
pub const TOPIC: &str = "__consumer_offsets";

/// Why bytes are not a valid `__consumer_offsets` key or value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OffsetsFormatError {
    /// Fewer bytes than the schema needs.
    #[error("{what} is truncated at byte {at}")]
    Truncated {
        /// The field being read.
        what: &'static str,
        /// Where the bytes ran out.
        at: usize,
    },
    /// A key or value version Kafka does not define.
    #[error("unknown {what} version {version}")]
    UnknownVersion {
        /// Key or value.
        what: &'static str,
        /// The version read.
        version: i16,
    },
    /// A string field holds invalid UTF-8 or a negative length.
    #[error("invalid string in {what}")]
    BadString {
        /// The field being read.
        what: &'static str,
    },
    /// Bytes left over after the last field.
    #[error("{extra} unexpected bytes after the {what}")]
    Trailing {
        /// Key or value.
        what: &'static str,
        /// How many.
        extra: usize,
    },
}

/// Java's `String.hashCode()`: `s[0]*31^(n-1) + … + s[n-1]` over UTF-16
/// code units, wrapping like a Java `int`.
#[must_use]
pub fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0_i32, |hash, unit| {
        hash.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// The `__consumer_offsets` partition of a group: Kafka's
/// `Utils.abs(groupId.hashCode()) % partitions` (where `abs(MIN_VALUE)` is 0).
/// A partition count below 1 is treated as 1.
#[must_use]
pub fn partition_for(group_id: &str, partitions: i32) -> i32 {
    let hash = java_string_hash(group_id);
    let abs = if hash == i32::MIN { 0 } else { hash.abs() };
    abs % partitions.max(1)
}

/// A key in `__consumer_offsets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffsetsKey {
    /// Versions 0 and 1: the committed offset of one partition for a group.
    OffsetCommit {
        /// The key version (1 is what Kafka writes).
        version: i16,
        /// The group id.
        group: String,
        /// The topic.
        topic: String,
        /// The partition.
        partition: i32,
    },
    /// Version 2: the group's metadata (members, generation, assignment).
    GroupMetadata {
        /// The group id.
        group: String,
    },
}

/// The value of an offset commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetCommitValue {
    /// The committed offset: the next record the group will read.
    pub offset: i64,
    /// The leader epoch of the last consumed record, or -1 (version 3).
    pub leader_epoch: i32,
    /// Metadata the client attached to the commit (often empty).
    pub metadata: String,
    /// When the commit happened.
    pub commit_timestamp: i64,
    /// When it expires, if the client asked (version 1 only).
    pub expire_timestamp: Option<i64>,
}

impl OffsetsKey {
    /// Encodes the key as Kafka does.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            OffsetsKey::OffsetCommit {
                version,
                group,
                topic,
                partition,
            } => {
                out.extend_from_slice(&version.to_be_bytes());
                put_string(&mut out, group);
                put_string(&mut out, topic);
                out.extend_from_slice(&partition.to_be_bytes());
            }
            OffsetsKey::GroupMetadata { group } => {
                out.extend_from_slice(&2_i16.to_be_bytes());
                put_string(&mut out, group);
            }
        }
        out
    }

    /// Decodes a key read from the topic.
    pub fn decode(bytes: &[u8]) -> Result<Self, OffsetsFormatError> {
        let mut r = Reader::new(bytes, "key");
        let version = r.i16()?;
        let key = match version {
            0 | 1 => OffsetsKey::OffsetCommit {
                version,
                group: r.string()?,
                topic: r.string()?,
                partition: r.i32()?,
            },
            2 => OffsetsKey::GroupMetadata { group: r.string()? },
            _ => {
                return Err(OffsetsFormatError::UnknownVersion {
                    what: "key",
                    version,
                })
            }
        };
        r.finish()?;
        Ok(key)
    }
}

impl OffsetCommitValue {
    /// The version Kafka writes for this value: 1 with an expiry time,
    /// else 3 (`MetadataVersion.offsetCommitValueVersion`).
    #[must_use]
    pub fn version(&self) -> i16 {
        if self.expire_timestamp.is_some() {
            1
        } else {
            3
        }
    }

    /// Encodes the value in [`Self::version`].
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let version = self.version();
        out.extend_from_slice(&version.to_be_bytes());
        out.extend_from_slice(&self.offset.to_be_bytes());
        if version == 3 {
            out.extend_from_slice(&self.leader_epoch.to_be_bytes());
        }
        put_string(&mut out, &self.metadata);
        out.extend_from_slice(&self.commit_timestamp.to_be_bytes());
        if let Some(expire) = self.expire_timestamp {
            out.extend_from_slice(&expire.to_be_bytes());
        }
        out
    }

    /// Decodes a value of version 0 to 3.
    pub fn decode(bytes: &[u8]) -> Result<Self, OffsetsFormatError> {
        let mut r = Reader::new(bytes, "value");
        let version = r.i16()?;
        if !(0..=3).contains(&version) {
            return Err(OffsetsFormatError::UnknownVersion {
                what: "value",
                version,
            });
        }
        let offset = r.i64()?;
        let leader_epoch = if version == 3 { r.i32()? } else { -1 };
        let metadata = r.string()?;
        let commit_timestamp = r.i64()?;
        let expire_timestamp = if version == 1 { Some(r.i64()?) } else { None };
        r.finish()?;
        Ok(Self {
            offset,
            leader_epoch,
            metadata,
            commit_timestamp,
            expire_timestamp,
        })
    }
}

/// Reads the fields of a key or value, naming it in errors.
struct Reader<'a> {
    inner: kafka_bytes::Reader<'a>,
    what: &'static str,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Self {
            inner: kafka_bytes::Reader::new(bytes),
            what,
        }
    }

    fn error(&self, error: ReadError) -> OffsetsFormatError {
        match error {
            ReadError::Truncated { at } => OffsetsFormatError::Truncated {
                what: self.what,
                at,
            },
            ReadError::Malformed { .. } => OffsetsFormatError::BadString { what: self.what },
        }
    }

    fn i16(&mut self) -> Result<i16, OffsetsFormatError> {
        self.inner.i16().map_err(|e| self.error(e))
    }

    fn i32(&mut self) -> Result<i32, OffsetsFormatError> {
        self.inner.i32().map_err(|e| self.error(e))
    }

    fn i64(&mut self) -> Result<i64, OffsetsFormatError> {
        self.inner.i64().map_err(|e| self.error(e))
    }

    fn string(&mut self) -> Result<String, OffsetsFormatError> {
        self.inner.string().map_err(|e| self.error(e))
    }

    fn finish(self) -> Result<(), OffsetsFormatError> {
        match self.inner.remaining() {
            0 => Ok(()),
            extra => Err(OffsetsFormatError::Trailing {
                what: self.what,
                extra,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_matches_java() {
        // Values of java.lang.String#hashCode.
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        assert_eq!(
            java_string_hash("Aa"),
            java_string_hash("BB"),
            "Java's classic collision"
        );
        assert_eq!(
            java_string_hash("polygenelubricants"),
            i32::MIN,
            "the hash whose abs overflows"
        );
        assert_eq!(java_string_hash("é"), 233, "UTF-16 code units, not bytes");
        assert_eq!(
            java_string_hash("😀"),
            0xd83d * 31 + 0xde00,
            "a surrogate pair is two units"
        );
    }

    #[test]
    fn groups_map_to_partitions_as_kafka_does() {
        assert_eq!(
            partition_for("polygenelubricants", 50),
            0,
            "Utils.abs(MIN_VALUE) is 0"
        );
        assert_eq!(partition_for("hello", 50), 99_162_322 % 50);
        // "my-group".hashCode() == -1906497762 in Java.
        assert_eq!(java_string_hash("my-group"), -1_906_497_762);
        assert_eq!(partition_for("my-group", 50), 12);
        assert_eq!(partition_for("anything", 0), 0, "no division by zero");
        for group in ["a", "console-consumer-1234", "orders-service", "ÄÖÜ"] {
            assert!((0..50).contains(&partition_for(group, DEFAULT_PARTITIONS)));
        }
    }

    #[test]
    fn keys_and_values_have_kafkas_bytes() {
        let key = OffsetsKey::OffsetCommit {
            version: 1,
            group: "g".into(),
            topic: "t".into(),
            partition: 2,
        };
        assert_eq!(key.encode(), [0, 1, 0, 1, b'g', 0, 1, b't', 0, 0, 0, 2]);
        assert_eq!(OffsetsKey::decode(&key.encode()), Ok(key));
        let meta = OffsetsKey::GroupMetadata { group: "g".into() };
        assert_eq!(meta.encode(), [0, 2, 0, 1, b'g']);
        assert_eq!(OffsetsKey::decode(&meta.encode()), Ok(meta));

        let value = OffsetCommitValue {
            offset: 42,
            leader_epoch: 5,
            metadata: String::new(),
            commit_timestamp: 1_700_000_000_000,
            expire_timestamp: None,
        };
        let bytes = value.encode();
        assert_eq!(&bytes[..2], [0, 3], "version 3");
        assert_eq!(&bytes[2..10], 42_i64.to_be_bytes());
        assert_eq!(&bytes[10..14], 5_i32.to_be_bytes());
        assert_eq!(&bytes[14..16], [0, 0], "empty metadata");
        assert_eq!(bytes.len(), 24);
        assert_eq!(OffsetCommitValue::decode(&bytes), Ok(value.clone()));

        let expiring = OffsetCommitValue {
            expire_timestamp: Some(9),
            leader_epoch: -1,
            ..value
        };
        assert_eq!(expiring.version(), 1);
        assert_eq!(OffsetCommitValue::decode(&expiring.encode()), Ok(expiring));
    }

    #[test]
    fn bad_bytes_are_typed_errors() {
        assert!(matches!(
            OffsetsKey::decode(&[0]),
            Err(OffsetsFormatError::Truncated { .. })
        ));
        assert!(matches!(
            OffsetsKey::decode(&[0, 9]),
            Err(OffsetsFormatError::UnknownVersion { version: 9, .. })
        ));
        assert!(matches!(
            OffsetsKey::decode(&[0, 2, 0xff, 0xff]),
            Err(OffsetsFormatError::BadString { .. })
        ));
        assert!(matches!(
            OffsetsKey::decode(&[0, 2, 0, 5, b'a']),
            Err(OffsetsFormatError::Truncated { .. })
        ));
        assert!(matches!(
            OffsetsKey::decode(&[0, 2, 0, 1, b'a', 7]),
            Err(OffsetsFormatError::Trailing { extra: 1, .. })
        ));
        assert!(matches!(
            OffsetCommitValue::decode(&[0, 4]),
            Err(OffsetsFormatError::UnknownVersion { .. })
        ));
        let good = OffsetCommitValue {
            offset: 1,
            leader_epoch: 0,
            metadata: "m".into(),
            commit_timestamp: 2,
            expire_timestamp: None,
        }
        .encode();
        for cut in 0..good.len() {
            assert!(
                OffsetCommitValue::decode(&good[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }
}
