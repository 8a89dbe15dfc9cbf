//! The user data the sticky assignors put in a member's subscription, byte
//! for byte as the Java client writes and reads it.
//!
//! - `StickyAssignor` (eager) members revoke everything before rejoining, so
//!   they carry their previous assignment in user data:
//!   `STICKY_ASSIGNOR_USER_DATA_V1` is `previous_assignment: [topic: STRING,
//!   partitions: [INT32]]` followed by `generation: INT32` (V0 lacks the
//!   generation). Big-endian, arrays prefixed by an INT32 count, strings by
//!   an INT16 byte length. Java groups the partitions by topic in a
//!   `HashMap` (`CollectionUtils.groupPartitionsByTopic`), so the topics are
//!   written in that map's iteration order, which is reproduced here.
//! - `CooperativeStickyAssignor` only needs the generation
//!   (`COOPERATIVE_STICKY_ASSIGNOR_USER_DATA_V0`: one INT32); the owned
//!   partitions travel in the subscription itself.
//!
//! Reading follows Java's fallbacks: V1, then V0 (no generation), and data
//! neither can read counts as "no previous assignment, generation -1".

use super::java_hash;
use super::{AssignorError, TopicPartition, DEFAULT_GENERATION};

/// A previous assignment as the eager sticky assignor reads it from user
/// data (`AbstractStickyAssignor.MemberData` without the rack).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StickyUserData {
    /// The partitions the member was assigned, in the order encoded.
    pub partitions: Vec<TopicPartition>,
    /// The generation they were assigned in; `None` for V0 data.
    pub generation: Option<i32>,
}

/// Encodes `StickyAssignor` user data (V1), as
/// `StickyAssignor.serializeTopicPartitionAssignment` does.
///
/// # Errors
///
/// [`AssignorError::StringTooLong`] for a topic name over 32767 bytes of
/// UTF-8 (Java throws `SchemaException`).
pub fn encode_sticky_user_data(
    partitions: &[TopicPartition],
    generation: i32,
) -> Result<Vec<u8>, AssignorError> {
    let topics = java_hash::iteration_order(
        partitions.iter().map(|tp| tp.topic.as_str()),
        java_hash::Insertion::ComputeIfAbsent,
    );
    let mut out = Vec::new();
    put_len(&mut out, topics.len());
    for topic in topics {
        let bytes = topic.as_bytes();
        let len =
            i16::try_from(bytes.len()).map_err(|_| AssignorError::StringTooLong(bytes.len()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(bytes);
        let of_topic: Vec<i32> = partitions
            .iter()
            .filter(|tp| tp.topic == topic)
            .map(|tp| tp.partition)
            .collect();
        put_len(&mut out, of_topic.len());
        for p in of_topic {
            out.extend_from_slice(&p.to_be_bytes());
        }
    }
    out.extend_from_slice(&generation.to_be_bytes());
    Ok(out)
}

/// An array length; a list of more than `i32::MAX` partitions cannot exist
/// in memory alongside its encoding, so the clamp never applies.
fn put_len(out: &mut Vec<u8>, len: usize) {
    out.extend_from_slice(&i32::try_from(len).unwrap_or(i32::MAX).to_be_bytes());
}

/// Decodes `StickyAssignor` user data as `StickyAssignor.memberData` does:
/// empty data is no previous assignment and no generation; V1, else V0;
/// data neither schema reads is no previous assignment with generation -1.
#[must_use]
pub fn decode_sticky_user_data(data: &[u8]) -> StickyUserData {
    if data.is_empty() {
        return StickyUserData::default();
    }
    let mut reader = Reader { data, pos: 0 };
    if let Some(partitions) = reader.read_assignment() {
        if let Some(generation) = reader.read_i32() {
            return StickyUserData {
                partitions,
                generation: Some(generation),
            };
        }
    }
    let mut reader = Reader { data, pos: 0 };
    match reader.read_assignment() {
        Some(partitions) => StickyUserData {
            partitions,
            generation: None,
        },
        None => StickyUserData {
            partitions: Vec::new(),
            generation: Some(DEFAULT_GENERATION),
        },
    }
}

/// Encodes `CooperativeStickyAssignor` user data: the generation.
#[must_use]
pub fn encode_cooperative_sticky_user_data(generation: i32) -> Vec<u8> {
    generation.to_be_bytes().to_vec()
}

/// Decodes `CooperativeStickyAssignor` user data: the generation, or -1 if
/// the data is too short (Java catches the read failure).
#[must_use]
pub fn decode_cooperative_sticky_user_data(data: &[u8]) -> i32 {
    Reader { data, pos: 0 }
        .read_i32()
        .unwrap_or(DEFAULT_GENERATION)
}

/// A cursor over Kafka protocol primitives; every read fails (`None`) where
/// Java's `Schema.read` throws.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let end = self.pos.checked_add(N)?;
        let bytes: [u8; N] = self.data.get(self.pos..end)?.try_into().ok()?;
        self.pos = end;
        Some(bytes)
    }

    fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    fn read_i32(&mut self) -> Option<i32> {
        self.take::<4>().map(i32::from_be_bytes)
    }

    /// An ARRAY's count: negative and larger-than-remaining counts are
    /// errors, as in `ArrayOf.read`.
    fn read_count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.read_i32()?).ok()?;
        (n <= self.remaining()).then_some(n)
    }

    /// A STRING, decoded as Java's `new String(bytes, UTF_8)` does
    /// (malformed sequences become U+FFFD).
    fn read_string(&mut self) -> Option<String> {
        let len = usize::try_from(i16::from_be_bytes(self.take::<2>()?)).ok()?;
        let end = self.pos.checked_add(len)?;
        let bytes = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(String::from_utf8_lossy(bytes).into_owned())
    }

    fn read_assignment(&mut self) -> Option<Vec<TopicPartition>> {
        let topics = self.read_count()?;
        let mut partitions = Vec::new();
        for _ in 0..topics {
            let topic = self.read_string()?;
            let count = self.read_count()?;
            for _ in 0..count {
                partitions.push(TopicPartition::new(topic.clone(), self.read_i32()?));
            }
        }
        Some(partitions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tps(list: &[(&str, i32)]) -> Vec<TopicPartition> {
        list.iter()
            .map(|(t, p)| TopicPartition::new(*t, *p))
            .collect()
    }

    #[test]
    fn sticky_user_data_round_trips() {
        let partitions = tps(&[("topic1", 0), ("topic2", 1), ("topic1", 3)]);
        let bytes = encode_sticky_user_data(&partitions, 7).unwrap();
        let decoded = decode_sticky_user_data(&bytes);
        assert_eq!(decoded.generation, Some(7));
        let mut got = decoded.partitions.clone();
        got.sort();
        let mut want = partitions.clone();
        want.sort();
        assert_eq!(got, want);
        // Grouped by topic, partitions in their original order.
        assert_eq!(
            decoded.partitions,
            tps(&[("topic1", 0), ("topic1", 3), ("topic2", 1)])
        );
    }

    #[test]
    fn sticky_user_data_bytes() {
        // One topic "t" with partitions [0, 2], generation 5.
        let bytes = encode_sticky_user_data(&tps(&[("t", 0), ("t", 2)]), 5).unwrap();
        assert_eq!(
            bytes,
            [0, 0, 0, 1, 0, 1, b't', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 5]
        );
        assert_eq!(
            encode_sticky_user_data(&[], -1).unwrap(),
            [0, 0, 0, 0, 255, 255, 255, 255]
        );
    }

    #[test]
    fn sticky_user_data_v0_and_garbage() {
        // V0: the same without the generation.
        let v0 = [0, 0, 0, 1, 0, 1, b't', 0, 0, 0, 1, 0, 0, 0, 4];
        assert_eq!(
            decode_sticky_user_data(&v0),
            StickyUserData {
                partitions: tps(&[("t", 4)]),
                generation: None
            }
        );
        assert_eq!(decode_sticky_user_data(&[]), StickyUserData::default());
        for garbage in [
            &[1u8][..],
            &[0, 0, 0, 9],
            &[255, 255, 255, 255],
            &[0, 0, 0, 1, 255, 255],
        ] {
            assert_eq!(
                decode_sticky_user_data(garbage),
                StickyUserData {
                    partitions: Vec::new(),
                    generation: Some(DEFAULT_GENERATION)
                }
            );
        }
        let long = "x".repeat(40_000);
        assert_eq!(
            encode_sticky_user_data(&[TopicPartition::new(long, 0)], 1),
            Err(AssignorError::StringTooLong(40_000))
        );
    }

    #[test]
    fn cooperative_user_data() {
        assert_eq!(encode_cooperative_sticky_user_data(10), [0, 0, 0, 10]);
        assert_eq!(decode_cooperative_sticky_user_data(&[0, 0, 0, 10, 99]), 10);
        assert_eq!(
            decode_cooperative_sticky_user_data(&[0, 0]),
            DEFAULT_GENERATION
        );
        assert_eq!(decode_cooperative_sticky_user_data(&[]), DEFAULT_GENERATION);
    }
}
