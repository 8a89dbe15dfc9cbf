//! Broker-side idempotence: what each replica remembers of every producer.
//!
//! An idempotent producer stamps each batch with its producer id, epoch
//! and the sequence number of the batch's first record. Per partition, the
//! broker keeps each producer's epoch and the metadata of its last five
//! batches (Kafka's `ProducerStateManager`, `NUM_BATCHES_TO_RETAIN = 5`), so
//! it can recognise a retried batch it already wrote and answer with the
//! original offsets instead of writing a duplicate, refuse a batch that
//! skips sequence numbers (`OUT_OF_ORDER_SEQUENCE_NUMBER`), and fence a
//! producer with an older epoch (`INVALID_PRODUCER_EPOCH`). Followers build
//! the same state from the batches they copy, so a new leader knows it too.

use crate::collections::OrdMap;
use std::collections::VecDeque;

use thiserror::Error;

use crate::record::BatchHeader;

/// How many recent batches per producer a partition remembers.
pub const NUM_BATCHES_TO_RETAIN: usize = 5;

/// Metadata of one batch a producer wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchMetadata {
    /// Sequence number of the first record.
    pub first_seq: i32,
    /// Sequence number of the last record.
    pub last_seq: i32,
    /// Offset of the first record in the log.
    pub first_offset: i64,
    /// Offset of the last record in the log.
    pub last_offset: i64,
    /// The batch's max timestamp.
    pub timestamp: i64,
}

/// What the broker should do with an incoming idempotent batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequenceCheck {
    /// The batch is new and in sequence: append it.
    Append,
    /// The producer sent this exact batch before (a retry): answer with the
    /// original offsets and append nothing.
    Duplicate(BatchMetadata),
}

/// Why an idempotent batch is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SequenceError {
    /// `OUT_OF_ORDER_SEQUENCE_NUMBER`: the batch does not follow the last one.
    #[error("Out of order sequence number for producer {producer_id} in partition {partition}: {incoming} (incoming seq. number), {current_end} (current end sequence number)")]
    OutOfOrder {
        /// The producer.
        producer_id: i64,
        /// `topic-partition`.
        partition: String,
        /// The batch's first sequence number.
        incoming: i32,
        /// The last sequence number the broker has from this producer.
        current_end: i32,
    },
    /// `OUT_OF_ORDER_SEQUENCE_NUMBER` on an epoch bump: a new epoch starts at 0.
    #[error("Invalid sequence number for new epoch of producer {producer_id} in partition {partition}: {epoch} (request epoch), {incoming} (seq. number), {current_epoch} (current producer epoch)")]
    InvalidNewEpochSequence {
        /// The producer.
        producer_id: i64,
        /// `topic-partition`.
        partition: String,
        /// The batch's epoch.
        epoch: i16,
        /// The batch's first sequence number.
        incoming: i32,
        /// The epoch the broker knows.
        current_epoch: i16,
    },
    /// `INVALID_PRODUCER_EPOCH`: a newer instance of the producer fenced it.
    #[error("Epoch of producer {producer_id} in {partition} is {epoch}, which is smaller than the last seen epoch {current_epoch}")]
    FencedEpoch {
        /// The producer.
        producer_id: i64,
        /// `topic-partition`.
        partition: String,
        /// The batch's epoch.
        epoch: i16,
        /// The epoch the broker knows.
        current_epoch: i16,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ProducerEntry {
    epoch: i16,
    batches: VecDeque<BatchMetadata>,
}

/// The producer state of one partition replica.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProducerStateTable {
    producers: OrdMap<i64, ProducerEntry>,
}

impl ProducerStateTable {
    /// Checks an incoming batch from an idempotent producer, as the leader
    /// does before appending (`ProducerAppendInfo`). Batches without a
    /// producer id always append.
    pub fn check(
        &self,
        header: &BatchHeader,
        partition: &str,
    ) -> Result<SequenceCheck, SequenceError> {
        let stamp = header.producer;
        if stamp.producer_id < 0 {
            return Ok(SequenceCheck::Append);
        }
        let first_seq = stamp.base_sequence;
        let last_seq = last_sequence(first_seq, header.last_offset_delta);
        let Some(entry) = self.producers.get(&stamp.producer_id) else {
            // Unknown producer (new, or its state expired): Kafka accepts
            // whatever sequence it starts with.
            return Ok(SequenceCheck::Append);
        };
        if stamp.producer_epoch < entry.epoch {
            return Err(SequenceError::FencedEpoch {
                producer_id: stamp.producer_id,
                partition: partition.to_owned(),
                epoch: stamp.producer_epoch,
                current_epoch: entry.epoch,
            });
        }
        if stamp.producer_epoch == entry.epoch {
            if let Some(dup) = entry
                .batches
                .iter()
                .find(|b| b.first_seq == first_seq && b.last_seq == last_seq)
            {
                return Ok(SequenceCheck::Duplicate(*dup));
            }
            let current_end = entry.batches.back().map_or(-1, |b| b.last_seq);
            if !in_sequence(current_end, first_seq) {
                return Err(SequenceError::OutOfOrder {
                    producer_id: stamp.producer_id,
                    partition: partition.to_owned(),
                    incoming: first_seq,
                    current_end,
                });
            }
        } else if first_seq != 0 {
            return Err(SequenceError::InvalidNewEpochSequence {
                producer_id: stamp.producer_id,
                partition: partition.to_owned(),
                epoch: stamp.producer_epoch,
                incoming: first_seq,
                current_epoch: entry.epoch,
            });
        }
        Ok(SequenceCheck::Append)
    }

    /// Remembers a batch that was appended (on the leader or a follower),
    /// with the offsets it was given.
    pub fn record(&mut self, header: &BatchHeader) {
        let stamp = header.producer;
        if stamp.producer_id < 0 {
            return;
        }
        let entry = self
            .producers
            .entry(stamp.producer_id)
            .or_insert_with(|| ProducerEntry {
                epoch: stamp.producer_epoch,
                batches: VecDeque::new(),
            });
        if stamp.producer_epoch != entry.epoch {
            entry.epoch = stamp.producer_epoch;
            entry.batches.clear();
        }
        entry.batches.push_back(BatchMetadata {
            first_seq: stamp.base_sequence,
            last_seq: last_sequence(stamp.base_sequence, header.last_offset_delta),
            first_offset: header.base_offset,
            last_offset: header.last_offset(),
            timestamp: header.max_timestamp,
        });
        while entry.batches.len() > NUM_BATCHES_TO_RETAIN {
            entry.batches.pop_front();
        }
    }

    /// Rebuilds the table from batch headers in log order (after a
    /// follower truncates its log, as Kafka reloads producer state).
    pub fn rebuild<'a>(headers: impl IntoIterator<Item = &'a BatchHeader>) -> Self {
        let mut table = Self::default();
        for header in headers {
            table.record(header);
        }
        table
    }

    /// The producer ids the partition has seen, with their current epochs.
    #[must_use]
    pub fn producers(&self) -> Vec<(i64, i16)> {
        self.producers
            .iter()
            .map(|(id, e)| (*id, e.epoch))
            .collect()
    }
}

/// Sequence numbers wrap from `i32::MAX` to 0.
fn last_sequence(first: i32, delta: i32) -> i32 {
    let last = i64::from(first) + i64::from(delta);
    if last > i64::from(i32::MAX) {
        i32::try_from(last - i64::from(i32::MAX) - 1).unwrap_or(0)
    } else {
        i32::try_from(last).unwrap_or(i32::MAX)
    }
}

/// Kafka's `inSequence`: the next sequence, wrapping at `i32::MAX`.
fn in_sequence(last: i32, next: i32) -> bool {
    i64::from(next) == i64::from(last) + 1 || (next == 0 && last == i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::ProducerStamp;

    fn header(
        producer_id: i64,
        epoch: i16,
        first_seq: i32,
        records: i32,
        base_offset: i64,
    ) -> BatchHeader {
        BatchHeader {
            base_offset,
            batch_length: 100,
            partition_leader_epoch: 0,
            magic: 2,
            crc: 0,
            attributes: 0,
            last_offset_delta: records - 1,
            base_timestamp: 0,
            max_timestamp: 0,
            producer: ProducerStamp {
                producer_id,
                producer_epoch: epoch,
                base_sequence: first_seq,
            },
            record_count: records,
        }
    }

    #[test]
    fn in_sequence_batches_append_and_retries_are_duplicates() {
        let mut table = ProducerStateTable::default();
        let first = header(7, 0, 0, 3, 10);
        assert_eq!(table.check(&first, "t-0"), Ok(SequenceCheck::Append));
        table.record(&first);
        let second = header(7, 0, 3, 2, 13);
        assert_eq!(table.check(&second, "t-0"), Ok(SequenceCheck::Append));
        table.record(&second);
        let retry = header(7, 0, 0, 3, -1);
        let Ok(SequenceCheck::Duplicate(original)) = table.check(&retry, "t-0") else {
            panic!()
        };
        assert_eq!((original.first_offset, original.last_offset), (10, 12));
    }

    #[test]
    fn gaps_are_out_of_order_and_old_epochs_are_fenced() {
        let mut table = ProducerStateTable::default();
        table.record(&header(7, 1, 0, 2, 0));
        let gap = table.check(&header(7, 1, 5, 1, -1), "t-0").unwrap_err();
        assert!(
            matches!(
                gap,
                SequenceError::OutOfOrder {
                    incoming: 5,
                    current_end: 1,
                    ..
                }
            ),
            "{gap}"
        );
        assert!(gap
            .to_string()
            .starts_with("Out of order sequence number for producer 7"));
        let fenced = table.check(&header(7, 0, 2, 1, -1), "t-0").unwrap_err();
        assert!(matches!(
            fenced,
            SequenceError::FencedEpoch {
                epoch: 0,
                current_epoch: 1,
                ..
            }
        ));
        let bumped = table.check(&header(7, 2, 3, 1, -1), "t-0").unwrap_err();
        assert!(matches!(
            bumped,
            SequenceError::InvalidNewEpochSequence { .. }
        ));
        assert_eq!(
            table.check(&header(7, 2, 0, 1, -1), "t-0"),
            Ok(SequenceCheck::Append)
        );
    }

    #[test]
    fn remembers_only_the_last_five_batches() {
        let mut table = ProducerStateTable::default();
        for i in 0..7 {
            table.record(&header(1, 0, i, 1, i64::from(i)));
        }
        assert!(matches!(
            table.check(&header(1, 0, 2, 1, -1), "t-0"),
            Ok(SequenceCheck::Duplicate(_))
        ));
        // Sequence 1 is no longer cached: it looks out of order, as in Kafka.
        assert!(matches!(
            table.check(&header(1, 0, 1, 1, -1), "t-0"),
            Err(SequenceError::OutOfOrder { .. })
        ));
    }

    #[test]
    fn sequences_wrap_at_i32_max() {
        assert_eq!(last_sequence(i32::MAX, 0), i32::MAX);
        assert_eq!(last_sequence(i32::MAX, 1), 0);
        assert!(in_sequence(i32::MAX, 0));
        let mut table = ProducerStateTable::default();
        table.record(&header(3, 0, i32::MAX - 1, 2, 0));
        assert_eq!(
            table.check(&header(3, 0, 0, 1, -1), "t-0"),
            Ok(SequenceCheck::Append)
        );
    }

    #[test]
    fn non_idempotent_batches_are_not_tracked() {
        let mut table = ProducerStateTable::default();
        let plain = header(-1, -1, -1, 4, 0);
        assert_eq!(table.check(&plain, "t-0"), Ok(SequenceCheck::Append));
        table.record(&plain);
        assert!(table.producers().is_empty());
        let rebuilt = ProducerStateTable::rebuild([&header(9, 0, 0, 1, 0), &header(9, 0, 1, 1, 1)]);
        assert_eq!(rebuilt.producers(), [(9, 0)]);
    }
}
