//! The consumer protocol's bytes: what a consumer puts in its JoinGroup
//! metadata (`ConsumerProtocolSubscription`) and what the leader hands
//! each member in SyncGroup (`ConsumerProtocolAssignment`).
//!
//! The coordinator never looks inside them; only the clients do. The
//! layouts are Kafka's generated schemas in their non-flexible encoding: a
//! big-endian version, then `int32`-counted arrays, `int16`-length strings
//! and `int32`-length bytes (-1 = null). Subscription v1 added owned
//! partitions, v2 the generation, v3 the rack; Assignment v1–v3 equal v0.
//! The Java client writes the highest version, 3.

use thiserror::Error;

use super::assignor::TopicPartition;
use crate::kafka_bytes::{self, put_nullable_bytes, put_string, ReadError};

/// Highest version the clients write.
pub const VERSION: i16 = 3;

/// Why bytes are not a valid subscription or assignment.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtocolError {
    /// Fewer bytes than the fields need.
    #[error("truncated {what} at byte {at}")]
    Truncated {
        /// Subscription or assignment.
        what: &'static str,
        /// Where the bytes ran out.
        at: usize,
    },
    /// A negative array count, bad length or invalid UTF-8.
    #[error("malformed {what} at byte {at}")]
    Malformed {
        /// Subscription or assignment.
        what: &'static str,
        /// Where.
        at: usize,
    },
    /// A negative version.
    #[error("unsupported {what} version {version}")]
    UnsupportedVersion {
        /// Subscription or assignment.
        what: &'static str,
        /// The version read.
        version: i16,
    },
}

/// `ConsumerProtocolSubscription`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProtocolSubscription {
    /// Subscribed topics.
    pub topics: Vec<String>,
    /// Assignor-specific data (the sticky assignor's previous assignment).
    pub user_data: Option<Vec<u8>>,
    /// Partitions the member owns now (v1+; cooperative rebalancing).
    pub owned_partitions: Vec<TopicPartition>,
    /// The member's generation (v2+), -1 if none.
    pub generation_id: i32,
    /// `client.rack` (v3+).
    pub rack_id: Option<String>,
}

/// `ConsumerProtocolAssignment`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProtocolAssignment {
    /// The member's partitions.
    pub partitions: Vec<TopicPartition>,
    /// Assignor-specific data.
    pub user_data: Option<Vec<u8>>,
}

impl ProtocolSubscription {
    /// Encodes at `version` (0..=3; fields a version lacks are left out).
    #[must_use]
    pub fn encode(&self, version: i16) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&version.to_be_bytes());
        put_array(&mut out, &self.topics, |out, t| put_string(out, t));
        put_nullable_bytes(&mut out, self.user_data.as_deref());
        if version >= 1 {
            put_partitions(&mut out, &self.owned_partitions);
        }
        if version >= 2 {
            out.extend_from_slice(&self.generation_id.to_be_bytes());
        }
        if version >= 3 {
            match &self.rack_id {
                Some(rack) => put_string(&mut out, rack),
                None => out.extend_from_slice(&(-1_i16).to_be_bytes()),
            }
        }
        out
    }

    /// Decodes any version; newer versions' extra bytes are ignored, as
    /// Kafka's clients do for forward compatibility.
    pub fn decode(bytes: &[u8]) -> Result<Self, ProtocolError> {
        let mut r = Reader::new(bytes, "subscription");
        let version = r.version()?;
        let topics = r.topics()?;
        let user_data = r.nullable_bytes()?;
        let owned_partitions = if version >= 1 {
            r.partitions()?
        } else {
            Vec::new()
        };
        let generation_id = if version >= 2 { r.i32()? } else { -1 };
        let rack_id = if version >= 3 {
            r.nullable_string()?
        } else {
            None
        };
        Ok(Self {
            topics,
            user_data,
            owned_partitions,
            generation_id,
            rack_id,
        })
    }
}

impl ProtocolAssignment {
    /// Encodes at `version` (all versions share one layout).
    #[must_use]
    pub fn encode(&self, version: i16) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&version.to_be_bytes());
        put_partitions(&mut out, &self.partitions);
        put_nullable_bytes(&mut out, self.user_data.as_deref());
        out
    }

    /// Decodes any version. An empty buffer is an empty assignment (what a
    /// member gets when the leader assigned it nothing).
    pub fn decode(bytes: &[u8]) -> Result<Self, ProtocolError> {
        if bytes.is_empty() {
            return Ok(Self::default());
        }
        let mut r = Reader::new(bytes, "assignment");
        r.version()?;
        let partitions = r.partitions()?;
        let user_data = r.nullable_bytes()?;
        Ok(Self {
            partitions,
            user_data,
        })
    }
}

fn put_array<T>(out: &mut Vec<u8>, items: &[T], mut each: impl FnMut(&mut Vec<u8>, &T)) {
    out.extend_from_slice(&i32::try_from(items.len()).unwrap_or(i32::MAX).to_be_bytes());
    for item in items {
        each(out, item);
    }
}

/// Partitions grouped by topic, topics in first-seen order, as Kafka's
/// `ConsumerProtocol` writes `TopicPartition` lists.
fn put_partitions(out: &mut Vec<u8>, partitions: &[TopicPartition]) {
    let mut topics: Vec<(&str, Vec<i32>)> = Vec::new();
    for tp in partitions {
        match topics.iter_mut().find(|(t, _)| *t == tp.topic) {
            Some((_, list)) => list.push(tp.partition),
            None => topics.push((&tp.topic, vec![tp.partition])),
        }
    }
    put_array(out, &topics, |out, (topic, list)| {
        put_string(out, topic);
        put_array(out, list, |out, p| out.extend_from_slice(&p.to_be_bytes()));
    });
}

/// Reads a subscription or assignment, naming it in errors.
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

    fn error(&self, error: ReadError) -> ProtocolError {
        match error {
            ReadError::Truncated { at } => ProtocolError::Truncated {
                what: self.what,
                at,
            },
            ReadError::Malformed { at } => ProtocolError::Malformed {
                what: self.what,
                at,
            },
        }
    }

    fn version(&mut self) -> Result<i16, ProtocolError> {
        let version = self.inner.i16().map_err(|e| self.error(e))?;
        if version < 0 {
            return Err(ProtocolError::UnsupportedVersion {
                what: self.what,
                version,
            });
        }
        Ok(version)
    }

    fn i32(&mut self) -> Result<i32, ProtocolError> {
        self.inner.i32().map_err(|e| self.error(e))
    }

    fn topics(&mut self) -> Result<Vec<String>, ProtocolError> {
        self.inner
            .array_of(kafka_bytes::Reader::string)
            .map_err(|e| self.error(e))
    }

    fn nullable_bytes(&mut self) -> Result<Option<Vec<u8>>, ProtocolError> {
        self.inner.nullable_bytes().map_err(|e| self.error(e))
    }

    fn nullable_string(&mut self) -> Result<Option<String>, ProtocolError> {
        self.inner.nullable_string().map_err(|e| self.error(e))
    }

    fn partitions(&mut self) -> Result<Vec<TopicPartition>, ProtocolError> {
        let topics = self
            .inner
            .array_of(|r| Ok((r.string()?, r.array_of(kafka_bytes::Reader::i32)?)))
            .map_err(|e| self.error(e))?;
        Ok(topics
            .into_iter()
            .flat_map(|(topic, partitions)| {
                partitions
                    .into_iter()
                    .map(move |p| TopicPartition::new(topic.clone(), p))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscription() -> ProtocolSubscription {
        ProtocolSubscription {
            topics: vec!["orders".into(), "payments".into()],
            user_data: None,
            owned_partitions: vec![
                TopicPartition::new("orders", 0),
                TopicPartition::new("orders", 2),
            ],
            generation_id: 4,
            rack_id: Some("eu-1a".into()),
        }
    }

    #[test]
    fn subscription_bytes_follow_kafkas_schema() {
        let v0 = ProtocolSubscription {
            topics: vec!["t".into()],
            ..ProtocolSubscription::default()
        }
        .encode(0);
        assert_eq!(v0, [0, 0, 0, 0, 0, 1, 0, 1, b't', 0xff, 0xff, 0xff, 0xff]);
        for version in 0..=VERSION {
            let decoded = ProtocolSubscription::decode(&subscription().encode(version)).unwrap();
            assert_eq!(decoded.topics, subscription().topics);
            assert_eq!(
                decoded.owned_partitions.len(),
                if version >= 1 { 2 } else { 0 }
            );
            assert_eq!(decoded.generation_id, if version >= 2 { 4 } else { -1 });
            assert_eq!(decoded.rack_id.is_some(), version >= 3);
        }
        assert_eq!(
            ProtocolSubscription::decode(&subscription().encode(3)).unwrap(),
            subscription()
        );
    }

    #[test]
    fn assignment_round_trips_and_groups_partitions_by_topic() {
        let assignment = ProtocolAssignment {
            partitions: vec![
                TopicPartition::new("a", 1),
                TopicPartition::new("b", 0),
                TopicPartition::new("a", 3),
            ],
            user_data: Some(vec![9]),
        };
        let bytes = assignment.encode(VERSION);
        assert_eq!(&bytes[2..6], [0, 0, 0, 2], "two topics");
        let decoded = ProtocolAssignment::decode(&bytes).unwrap();
        assert_eq!(
            decoded.partitions,
            [
                TopicPartition::new("a", 1),
                TopicPartition::new("a", 3),
                TopicPartition::new("b", 0)
            ]
        );
        assert_eq!(decoded.user_data, Some(vec![9]));
        assert_eq!(
            ProtocolAssignment::decode(&[]).unwrap(),
            ProtocolAssignment::default()
        );
    }

    #[test]
    fn bad_bytes_are_errors_not_panics_or_huge_allocations() {
        assert!(matches!(
            ProtocolSubscription::decode(&[0]),
            Err(ProtocolError::Truncated { .. })
        ));
        assert!(matches!(
            ProtocolSubscription::decode(&[0xff, 0xff]),
            Err(ProtocolError::UnsupportedVersion { .. })
        ));
        assert!(matches!(
            ProtocolSubscription::decode(&[0, 0, 0x7f, 0xff, 0xff, 0xff]),
            Err(ProtocolError::Malformed { .. })
        ));
        let good = subscription().encode(3);
        for cut in 0..good.len() {
            assert!(
                ProtocolSubscription::decode(&good[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0xff;
            let _ = ProtocolSubscription::decode(&bad);
        }
    }
}
