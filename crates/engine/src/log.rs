//! One replica of one partition: an append-only log of RecordBatch v2
//! bytes, split into segments, as a Kafka broker keeps it.
//!
//! The log knows Kafka's offsets: the log-start offset (first offset still
//! held), the log-end offset (LEO, the next offset to be written) and the
//! high watermark (HW, the end of what every in-sync replica has, and so
//! what consumers may read). Segments roll on `segment.bytes` and
//! `segment.ms`; retention removes whole closed segments by `retention.ms`
//! and `retention.bytes`, never past the high watermark, and says which
//! segments went and why. A leader assigns offsets on append; a follower
//! appends the leader's bytes unchanged. No I/O: time is passed in.

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use thiserror::Error;

use crate::clock::Millis;
use crate::record::{self, BatchHeader, RecordError, TimestampType};

mod cleaner;
pub use cleaner::{CompactionOutcome, CompactionParams};

/// The topic settings a log obeys, taken from the topic's configs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogParams {
    /// `segment.bytes`: a segment rolls before it would grow past this.
    pub segment_bytes: u64,
    /// `segment.ms`: a segment rolls once its first batch is this old.
    pub segment_ms: i64,
    /// `retention.ms`: closed segments whose newest record is older go;
    /// -1 keeps them forever.
    pub retention_ms: i64,
    /// `retention.bytes`: oldest closed segments go while the log is larger;
    /// -1 means no size limit.
    pub retention_bytes: i64,
    /// `max.message.bytes`: the largest batch the log accepts.
    pub max_message_bytes: u64,
    /// `message.timestamp.type`.
    pub timestamp_type: TimestampType,
}

impl Default for LogParams {
    /// Kafka's topic defaults.
    fn default() -> Self {
        Self {
            segment_bytes: 1_073_741_824,
            segment_ms: 604_800_000,
            retention_ms: 604_800_000,
            retention_bytes: -1,
            max_message_bytes: 1_048_588,
            timestamp_type: TimestampType::CreateTime,
        }
    }
}

/// Why an append or read was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LogError {
    /// The bytes are not a valid batch (`CORRUPT_MESSAGE`, or the magic).
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The batch is larger than `max.message.bytes` (`MESSAGE_TOO_LARGE`).
    #[error("the batch is {size} bytes, larger than max.message.bytes ({max})")]
    MessageTooLarge {
        /// Size of the refused batch.
        size: usize,
        /// The topic's `max.message.bytes`.
        max: u64,
    },
    /// A follower was given a batch that does not start at its log end.
    #[error("batch starts at offset {got}, but the log ends at {expected}")]
    NonContiguous {
        /// The log-end offset the next batch must start at.
        expected: i64,
        /// Where the batch starts.
        got: i64,
    },
    /// The offset is outside the log (`OFFSET_OUT_OF_RANGE`).
    #[error("offset {offset} is out of range: the log holds offsets {log_start_offset} to {log_end_offset}")]
    OffsetOutOfRange {
        /// The offset asked for.
        offset: i64,
        /// First offset still in the log.
        log_start_offset: i64,
        /// Next offset to be written.
        log_end_offset: i64,
    },
}

/// A batch stored in the log with its header read once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBatch {
    /// Its header, with the offsets the leader assigned.
    pub header: BatchHeader,
    /// The batch bytes exactly as a broker stores and serves them.
    pub bytes: Bytes,
    /// Until when the batch's tombstones survive compaction (set by the
    /// first cleaning that kept them; see [`PartitionLog::compact`]).
    pub delete_horizon: Option<i64>,
}

/// A segment: a run of batches from `base_offset` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Offset of the segment's first record (its file name in Kafka).
    pub base_offset: i64,
    /// When the segment was created (engine time).
    pub created_at: Millis,
    /// Batches in offset order.
    pub batches: Vec<StoredBatch>,
    /// Total bytes of the batches.
    pub size_bytes: u64,
    /// The largest record timestamp in the segment, or -1 if empty.
    pub max_timestamp: i64,
}

impl Segment {
    fn new(base_offset: i64, created_at: Millis) -> Self {
        Self {
            base_offset,
            created_at,
            batches: Vec::new(),
            size_bytes: 0,
            max_timestamp: -1,
        }
    }

    /// Offset after the segment's last record.
    #[must_use]
    pub fn next_offset(&self) -> i64 {
        self.batches
            .last()
            .map_or(self.base_offset, |b| b.header.last_offset() + 1)
    }

    /// The time `segment.ms` counts from: the first batch's timestamp, as
    /// Kafka's `rollingBasedTimestamp`, else the segment's creation time.
    fn rolling_timestamp(&self) -> i64 {
        self.batches
            .first()
            .map_or(self.created_at.0, |b| b.header.max_timestamp)
    }
}

/// What an append did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendInfo {
    /// Offset given to the batch's first record.
    pub first_offset: i64,
    /// Offset given to its last record.
    pub last_offset: i64,
    /// The broker's time stamp for `LogAppendTime` topics, else -1
    /// (what a ProduceResponse carries as `log_append_time_ms`).
    pub log_append_time: i64,
    /// Bytes the batch occupies in the log.
    pub size_bytes: u64,
    /// The segment rolled before this append (old segment's base offset).
    pub rolled_from: Option<i64>,
}

/// Why retention removed a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionReason {
    /// Its newest record was older than `retention.ms`.
    Time {
        /// The segment's largest timestamp.
        max_timestamp: i64,
        /// The topic's `retention.ms`.
        retention_ms: i64,
    },
    /// The log was larger than `retention.bytes`.
    Size {
        /// Log size before the segment went.
        log_bytes: u64,
        /// The topic's `retention.bytes`.
        retention_bytes: i64,
    },
}

/// A segment retention removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeletedSegment {
    /// The segment's base offset.
    pub base_offset: i64,
    /// Offset after its last record: the new log-start offset.
    pub next_offset: i64,
    /// Its size.
    pub size_bytes: u64,
    /// Why it went.
    pub reason: RetentionReason,
}

/// Data returned by a read: whole batches, as a Fetch response carries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadData {
    /// Batches from the one holding the requested offset on.
    pub batches: Vec<StoredBatch>,
    /// Total bytes of `batches`.
    pub size_bytes: u64,
}

/// One partition replica's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionLog {
    segments: VecDeque<Segment>,
    log_start_offset: i64,
    log_end_offset: i64,
    high_watermark: i64,
    size_bytes: u64,
    /// Offset up to which the log cleaner has compacted the log.
    cleaner_checkpoint: i64,
}

impl PartitionLog {
    /// An empty log created at `now`.
    #[must_use]
    pub fn new(now: Millis) -> Self {
        Self::starting_at(0, now)
    }

    /// An empty log whose first offset will be `offset` (a follower that
    /// fell behind the leader's log start begins again there).
    #[must_use]
    pub fn starting_at(offset: i64, now: Millis) -> Self {
        let offset = offset.max(0);
        let mut segments = VecDeque::new();
        segments.push_back(Segment::new(offset, now));
        Self {
            segments,
            log_start_offset: offset,
            log_end_offset: offset,
            high_watermark: offset,
            size_bytes: 0,
            cleaner_checkpoint: offset,
        }
    }

    /// First offset still in the log.
    #[must_use]
    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    /// The log cleaner's checkpoint: compaction has cleaned every offset
    /// below it (Kafka's `cleaner-offset-checkpoint`).
    #[must_use]
    pub fn cleaner_checkpoint(&self) -> i64 {
        self.cleaner_checkpoint
    }

    /// Next offset to be written (LEO).
    #[must_use]
    pub fn log_end_offset(&self) -> i64 {
        self.log_end_offset
    }

    /// The high watermark: consumers read below it.
    #[must_use]
    pub fn high_watermark(&self) -> i64 {
        self.high_watermark
    }

    /// Bytes held by all segments.
    #[must_use]
    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    /// The segments, oldest first; the last is the active one.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.segments.iter()
    }

    /// Appends a producer's batch as the leader: checks it, rolls the
    /// segment if needed, gives it offsets from the log end and the leader
    /// epoch, and stamps `LogAppendTime` if the topic uses it.
    ///
    /// The batch's buffer is taken over: when the caller holds the only
    /// reference (a producer's freshly encoded batch), offsets are written
    /// into it in place and no byte is copied, as a broker writes a request's
    /// records straight to its log.
    pub fn append_as_leader(
        &mut self,
        batch: Bytes,
        leader_epoch: i32,
        now: Millis,
        params: &LogParams,
    ) -> Result<AppendInfo, LogError> {
        let header = BatchHeader::parse(&batch)?;
        let size = header.total_size();
        if size as u64 > params.max_message_bytes {
            return Err(LogError::MessageTooLarge {
                size,
                max: params.max_message_bytes,
            });
        }
        record::verify_crc(&batch[..size])?;
        let mut batch = batch;
        batch.truncate(size);
        let mut bytes = batch
            .try_into_mut()
            .unwrap_or_else(|shared| BytesMut::from(&shared[..]));
        record::assign_offsets(&mut bytes, self.log_end_offset, leader_epoch);
        let log_append_time = match params.timestamp_type {
            TimestampType::LogAppendTime => {
                record::stamp_log_append_time(&mut bytes, now.0)?;
                now.0
            }
            TimestampType::CreateTime => -1,
        };
        let first_offset = self.log_end_offset;
        let rolled_from = self.push(bytes.freeze(), now, params)?;
        Ok(AppendInfo {
            first_offset,
            last_offset: first_offset + i64::from(header.last_offset_delta),
            log_append_time,
            size_bytes: size as u64,
            rolled_from,
        })
    }

    /// Appends a batch fetched from the leader, bytes unchanged. It must
    /// start exactly at this log's end.
    pub fn append_as_follower(
        &mut self,
        batch: &StoredBatch,
        now: Millis,
        params: &LogParams,
    ) -> Result<(), LogError> {
        if batch.header.base_offset != self.log_end_offset {
            return Err(LogError::NonContiguous {
                expected: self.log_end_offset,
                got: batch.header.base_offset,
            });
        }
        self.push(batch.bytes.clone(), now, params).map(|_| ())
    }

    fn push(
        &mut self,
        bytes: Bytes,
        now: Millis,
        params: &LogParams,
    ) -> Result<Option<i64>, LogError> {
        let header = BatchHeader::parse(&bytes)?;
        let size = bytes.len() as u64;
        let rolled_from = self.maybe_roll(size, header.max_timestamp, now, params);
        let Some(active) = self.segments.back_mut() else {
            // `new` and `maybe_roll` always leave an active segment; recover
            // anyway rather than lose the batch.
            self.segments
                .push_back(Segment::new(self.log_end_offset, now));
            return self.push(bytes, now, params);
        };
        active.max_timestamp = active.max_timestamp.max(header.max_timestamp);
        active.size_bytes += size;
        active.batches.push(StoredBatch {
            header,
            bytes,
            delete_horizon: None,
        });
        self.size_bytes += size;
        self.log_end_offset = header.last_offset() + 1;
        Ok(rolled_from)
    }

    /// Rolls the active segment, as `UnifiedLog.maybeRoll` does, when the
    /// next batch would push it past `segment.bytes` or it is older than
    /// `segment.ms`. An empty segment never rolls.
    fn maybe_roll(
        &mut self,
        next_size: u64,
        next_timestamp: i64,
        now: Millis,
        params: &LogParams,
    ) -> Option<i64> {
        let active = self.segments.back()?;
        if active.batches.is_empty() {
            return None;
        }
        let full = active.size_bytes + next_size > params.segment_bytes;
        let reference = if next_timestamp >= 0 {
            now.0.max(next_timestamp)
        } else {
            now.0
        };
        let old = reference.saturating_sub(active.rolling_timestamp()) > params.segment_ms;
        if !(full || old) {
            return None;
        }
        let from = active.base_offset;
        self.segments
            .push_back(Segment::new(self.log_end_offset, now));
        Some(from)
    }

    /// Puts back a batch saved by a snapshot: like a follower's append, but
    /// a compacted log's gaps between batches are kept.
    pub(crate) fn restore_batch(
        &mut self,
        bytes: Bytes,
        now: Millis,
        params: &LogParams,
    ) -> Result<(), LogError> {
        let header = BatchHeader::parse(&bytes)?;
        if header.base_offset < self.log_end_offset {
            return Err(LogError::NonContiguous {
                expected: self.log_end_offset,
                got: header.base_offset,
            });
        }
        self.push(bytes, now, params).map(|_| ())
    }

    /// Moves the high watermark (the leader does this as followers catch
    /// up). It never passes the log end, nor goes below the log start.
    pub fn set_high_watermark(&mut self, offset: i64) {
        self.high_watermark = offset.clamp(self.log_start_offset, self.log_end_offset);
    }

    /// Removes everything from `offset` on (a follower truncating to the new
    /// leader's log after an election). Whole batches only: a batch that
    /// straddles `offset` goes too, as in Kafka's truncation to a batch
    /// boundary.
    pub fn truncate_to(&mut self, offset: i64, now: Millis) {
        while let Some(active) = self.segments.back_mut() {
            while active
                .batches
                .last()
                .is_some_and(|b| b.header.last_offset() >= offset)
            {
                if let Some(gone) = active.batches.pop() {
                    active.size_bytes -= gone.bytes.len() as u64;
                    self.size_bytes -= gone.bytes.len() as u64;
                }
            }
            active.max_timestamp = active
                .batches
                .iter()
                .map(|b| b.header.max_timestamp)
                .max()
                .unwrap_or(-1);
            if active.batches.is_empty() && self.segments.len() > 1 {
                self.segments.pop_back();
            } else {
                break;
            }
        }
        let end = self
            .segments
            .back()
            .map_or(self.log_start_offset, Segment::next_offset);
        self.log_end_offset = end.max(self.log_start_offset);
        if self.segments.is_empty() {
            self.segments
                .push_back(Segment::new(self.log_end_offset, now));
        }
        self.high_watermark = self.high_watermark.min(self.log_end_offset);
    }

    /// Reads whole batches from the one holding `offset`, up to `max_bytes`
    /// but always at least one batch (KIP-74), and only below `limit` (the
    /// high watermark for consumers, the log end for followers).
    pub fn read(&self, offset: i64, max_bytes: u64, limit: i64) -> Result<ReadData, LogError> {
        if offset < self.log_start_offset || offset > self.log_end_offset {
            return Err(LogError::OffsetOutOfRange {
                offset,
                log_start_offset: self.log_start_offset,
                log_end_offset: self.log_end_offset,
            });
        }
        let mut data = ReadData::default();
        // Segments and their batches are in offset order: both are found
        // by binary search, as Kafka finds a segment by its base offset
        // and a position through the offset index.
        let first = self.segments.partition_point(|s| s.next_offset() <= offset);
        let batches = self.segments.range(first..).enumerate().flat_map(|(i, s)| {
            let skip = if i == 0 {
                s.batches
                    .partition_point(|b| b.header.last_offset() < offset)
            } else {
                0
            };
            s.batches[skip..].iter()
        });
        for batch in batches {
            if batch.header.base_offset >= limit || batch.header.last_offset() >= limit {
                break;
            }
            let size = batch.bytes.len() as u64;
            if !data.batches.is_empty() && data.size_bytes + size > max_bytes {
                break;
            }
            data.size_bytes += size;
            data.batches.push(batch.clone());
        }
        Ok(data)
    }

    /// DeleteRecords on this replica: the log-start offset moves up to
    /// `offset` (at most the log end) and the segments entirely below it
    /// go, as Kafka's `maybeIncrementLogStartOffset` and the
    /// `deleteOldSegments` after it do. Records below the new start stay in
    /// a segment that straddles it but are no longer served. Returns the
    /// log-start offset (the partition's low watermark).
    pub fn delete_records_before(&mut self, offset: i64, now: Millis) -> i64 {
        let target = offset.min(self.log_end_offset);
        if target <= self.log_start_offset {
            return self.log_start_offset;
        }
        self.log_start_offset = target;
        while let Some(oldest) = self.segments.front() {
            if oldest.batches.is_empty() || oldest.next_offset() > target {
                break;
            }
            if self.segments.len() == 1 {
                // Everything went: the log keeps its end in a fresh segment.
                self.segments
                    .push_back(Segment::new(self.log_end_offset, now));
            }
            let Some(gone) = self.segments.pop_front() else {
                break;
            };
            self.size_bytes -= gone.size_bytes;
        }
        self.high_watermark = self.high_watermark.max(self.log_start_offset);
        self.log_start_offset
    }

    /// Applies `retention.ms` and `retention.bytes` at `now`, as Kafka's
    /// log retention does: removes whole segments, oldest first, that lie
    /// entirely below the high watermark and whose newest record is older
    /// than `retention.ms`, or without which the log is still at least
    /// `retention.bytes`. When every segment goes, a new empty one is rolled
    /// first, so the log keeps its end offset. Returns what went and why.
    pub fn apply_retention(&mut self, now: Millis, params: &LogParams) -> Vec<DeletedSegment> {
        let mut deleted = Vec::new();
        while let Some(oldest) = self.segments.front() {
            if oldest.batches.is_empty() || oldest.next_offset() > self.high_watermark {
                break;
            }
            let by_time = params.retention_ms >= 0
                && now.0.saturating_sub(oldest.max_timestamp) > params.retention_ms;
            let by_size = u64::try_from(params.retention_bytes)
                .is_ok_and(|limit| self.size_bytes - oldest.size_bytes >= limit);
            let reason = if by_time {
                RetentionReason::Time {
                    max_timestamp: oldest.max_timestamp,
                    retention_ms: params.retention_ms,
                }
            } else if by_size {
                RetentionReason::Size {
                    log_bytes: self.size_bytes,
                    retention_bytes: params.retention_bytes,
                }
            } else {
                break;
            };
            if self.segments.len() == 1 {
                self.segments
                    .push_back(Segment::new(self.log_end_offset, now));
            }
            let Some(gone) = self.segments.pop_front() else {
                break;
            };
            self.size_bytes -= gone.size_bytes;
            self.log_start_offset = gone.next_offset();
            deleted.push(DeletedSegment {
                base_offset: gone.base_offset,
                next_offset: gone.next_offset(),
                size_bytes: gone.size_bytes,
                reason,
            });
        }
        deleted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{decode_batch, encode_batch, Compression, ProducerRecord, ProducerStamp};

    fn batch(count: usize, value_len: usize, timestamp: i64) -> Bytes {
        let records: Vec<ProducerRecord> = (0..count)
            .map(|i| ProducerRecord {
                key: Some(Bytes::from(format!("k{i}"))),
                value: Some(Bytes::from(vec![b'v'; value_len])),
                headers: vec![],
                timestamp,
            })
            .collect();
        encode_batch(&records, ProducerStamp::NONE, Compression::None).unwrap()
    }

    fn leader_with(batches: &[Bytes], params: &LogParams) -> PartitionLog {
        let mut log = PartitionLog::new(Millis(0));
        for b in batches {
            log.append_as_leader(b.clone(), 0, Millis(0), params)
                .unwrap();
        }
        log
    }

    #[test]
    fn leader_assigns_contiguous_offsets() {
        let params = LogParams::default();
        let mut log = PartitionLog::new(Millis(0));
        let first = log
            .append_as_leader(batch(3, 10, 5), 4, Millis(10), &params)
            .unwrap();
        let second = log
            .append_as_leader(batch(2, 10, 6), 4, Millis(11), &params)
            .unwrap();
        assert_eq!((first.first_offset, first.last_offset), (0, 2));
        assert_eq!((second.first_offset, second.last_offset), (3, 4));
        assert_eq!(first.log_append_time, -1);
        assert_eq!(log.log_end_offset(), 5);
        assert_eq!(
            log.high_watermark(),
            0,
            "HW moves only when replicas catch up"
        );
        let stored = &log.segments().next().unwrap().batches[1];
        assert_eq!(stored.header.partition_leader_epoch, 4);
        let offsets: Vec<i64> = decode_batch(&stored.bytes)
            .unwrap()
            .iter()
            .map(|r| r.offset)
            .collect();
        assert_eq!(offsets, [3, 4]);
        assert_eq!(log.size_bytes(), first.size_bytes + second.size_bytes);
    }

    #[test]
    fn high_watermark_bounds_what_is_read() {
        let log_params = LogParams::default();
        let mut log = leader_with(
            &[batch(2, 1, 0), batch(2, 1, 0), batch(2, 1, 0)],
            &log_params,
        );
        assert!(log
            .read(0, 1 << 20, log.high_watermark())
            .unwrap()
            .batches
            .is_empty());
        log.set_high_watermark(4);
        let data = log.read(0, 1 << 20, log.high_watermark()).unwrap();
        assert_eq!(data.batches.len(), 2);
        let follower_view = log.read(0, 1 << 20, log.log_end_offset()).unwrap();
        assert_eq!(follower_view.batches.len(), 3);
        log.set_high_watermark(99);
        assert_eq!(log.high_watermark(), 6, "HW never passes the log end");
    }

    #[test]
    fn reads_whole_batches_and_at_least_one() {
        let params = LogParams::default();
        let mut log = leader_with(&[batch(3, 500, 0), batch(3, 500, 0)], &params);
        log.set_high_watermark(6);
        let from_middle = log.read(1, 10, 6).unwrap();
        assert_eq!(
            from_middle.batches.len(),
            1,
            "one batch even over max_bytes"
        );
        assert_eq!(
            from_middle.batches[0].header.base_offset, 0,
            "the batch holding offset 1"
        );
        assert!(
            log.read(6, 1 << 20, 6).unwrap().batches.is_empty(),
            "reading at the end is empty"
        );
        assert!(matches!(
            log.read(7, 100, 6),
            Err(LogError::OffsetOutOfRange { offset: 7, .. })
        ));
        assert!(matches!(
            log.read(-1, 100, 6),
            Err(LogError::OffsetOutOfRange { .. })
        ));
    }

    #[test]
    fn refuses_batches_over_max_message_bytes() {
        let params = LogParams {
            max_message_bytes: 200,
            ..LogParams::default()
        };
        let mut log = PartitionLog::new(Millis(0));
        let err = log
            .append_as_leader(batch(1, 300, 0), 0, Millis(0), &params)
            .unwrap_err();
        assert!(
            matches!(err, LogError::MessageTooLarge { max: 200, .. }),
            "{err}"
        );
        assert_eq!(log.log_end_offset(), 0, "nothing was written");
        assert!(log
            .append_as_leader(batch(1, 10, 0), 0, Millis(0), &params)
            .is_ok());
    }

    #[test]
    fn rejects_corrupt_batches() {
        let mut bad = batch(2, 10, 0).to_vec();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        let mut log = PartitionLog::new(Millis(0));
        let err = log
            .append_as_leader(Bytes::from(bad), 0, Millis(0), &LogParams::default())
            .unwrap_err();
        assert!(
            matches!(err, LogError::Record(RecordError::Corrupt(_))),
            "{err}"
        );
        assert!(log
            .append_as_leader(
                Bytes::from_static(&[1, 2, 3]),
                0,
                Millis(0),
                &LogParams::default()
            )
            .is_err());
    }

    #[test]
    fn segments_roll_on_size_and_age() {
        let one = batch(1, 100, 0).len() as u64;
        let by_size = LogParams {
            segment_bytes: one * 2,
            ..LogParams::default()
        };
        let log = leader_with(
            &[batch(1, 100, 0), batch(1, 100, 0), batch(1, 100, 0)],
            &by_size,
        );
        let bases: Vec<i64> = log.segments().map(|s| s.base_offset).collect();
        assert_eq!(bases, [0, 2], "third batch did not fit the first segment");

        let by_age = LogParams {
            segment_ms: 1_000,
            ..LogParams::default()
        };
        let mut log = PartitionLog::new(Millis(0));
        log.append_as_leader(batch(1, 1, 0), 0, Millis(0), &by_age)
            .unwrap();
        let info = log
            .append_as_leader(batch(1, 1, 500), 0, Millis(500), &by_age)
            .unwrap();
        assert_eq!(info.rolled_from, None);
        let info = log
            .append_as_leader(batch(1, 1, 1_500), 0, Millis(1_500), &by_age)
            .unwrap();
        assert_eq!(
            info.rolled_from,
            Some(0),
            "segment older than segment.ms rolled"
        );
        assert_eq!(log.segments().count(), 2);
    }

    #[test]
    fn retention_by_time_removes_old_segments_below_the_high_watermark() {
        let params = LogParams {
            segment_ms: 100,
            retention_ms: 1_000,
            ..LogParams::default()
        };
        let mut log = PartitionLog::new(Millis(0));
        for t in [0, 200, 400] {
            log.append_as_leader(batch(2, 10, t), 0, Millis(t), &params)
                .unwrap();
        }
        assert_eq!(log.segments().count(), 3);
        assert!(
            log.apply_retention(Millis(5_000), &params).is_empty(),
            "nothing below the HW"
        );
        log.set_high_watermark(6);
        assert!(
            log.apply_retention(Millis(1_000), &params).is_empty(),
            "none older than 1 s"
        );
        let gone = log.apply_retention(Millis(1_300), &params);
        assert_eq!(gone.len(), 2, "segments with records at 0 and 200 ms");
        assert!(matches!(
            gone[0].reason,
            RetentionReason::Time {
                max_timestamp: 0,
                retention_ms: 1_000
            }
        ));
        assert_eq!(log.log_start_offset(), 4);
        assert!(matches!(
            log.read(0, 100, 6),
            Err(LogError::OffsetOutOfRange {
                log_start_offset: 4,
                ..
            })
        ));

        let gone = log.apply_retention(Millis(10_000), &params);
        assert_eq!(gone.len(), 1, "the active segment goes too once expired");
        assert_eq!((log.log_start_offset(), log.log_end_offset()), (6, 6));
        assert_eq!(log.size_bytes(), 0);
        let next = log
            .append_as_leader(batch(1, 1, 10_000), 0, Millis(10_000), &params)
            .unwrap();
        assert_eq!(
            next.first_offset, 6,
            "offsets continue after everything expired"
        );
    }

    #[test]
    fn retention_by_size_keeps_at_least_retention_bytes() {
        let size = batch(1, 100, 0).len() as i64;
        let params = LogParams {
            segment_bytes: size as u64,
            retention_ms: -1,
            retention_bytes: size * 2,
            ..LogParams::default()
        };
        let mut log = leader_with(
            &[
                batch(1, 100, 0),
                batch(1, 100, 0),
                batch(1, 100, 0),
                batch(1, 100, 0),
            ],
            &params,
        );
        log.set_high_watermark(4);
        let gone = log.apply_retention(Millis(0), &params);
        assert_eq!(gone.len(), 2);
        assert!(matches!(gone[0].reason, RetentionReason::Size { .. }));
        assert_eq!(log.size_bytes(), (size * 2) as u64);
        assert_eq!(log.log_start_offset(), 2);
    }

    #[test]
    fn followers_copy_bytes_and_truncate() {
        let params = LogParams::default();
        let mut leader = leader_with(&[batch(2, 5, 0), batch(3, 5, 0), batch(1, 5, 0)], &params);
        leader.set_high_watermark(6);
        let mut follower = PartitionLog::new(Millis(0));
        for b in leader.read(0, u64::MAX, 6).unwrap().batches {
            follower.append_as_follower(&b, Millis(0), &params).unwrap();
        }
        assert_eq!(follower.log_end_offset(), 6);
        let copied: Vec<Bytes> = follower
            .segments()
            .flat_map(|s| s.batches.iter().map(|b| b.bytes.clone()))
            .collect();
        let original: Vec<Bytes> = leader
            .segments()
            .flat_map(|s| s.batches.iter().map(|b| b.bytes.clone()))
            .collect();
        assert_eq!(copied, original, "byte-identical replicas");
        let stray = leader.read(2, 1, 6).unwrap().batches.remove(0);
        assert_eq!(
            follower.append_as_follower(&stray, Millis(0), &params),
            Err(LogError::NonContiguous {
                expected: 6,
                got: 2
            })
        );
        follower.set_high_watermark(6);
        follower.truncate_to(3, Millis(0));
        assert_eq!(
            follower.log_end_offset(),
            2,
            "the batch holding offset 3 went whole"
        );
        assert_eq!(follower.high_watermark(), 2);
        assert_eq!(follower.size_bytes(), original[0].len() as u64);
    }

    #[test]
    fn log_append_time_topics_stamp_the_broker_time() {
        let params = LogParams {
            timestamp_type: TimestampType::LogAppendTime,
            ..LogParams::default()
        };
        let mut log = PartitionLog::new(Millis(0));
        let info = log
            .append_as_leader(batch(2, 5, 42), 0, Millis(9_000), &params)
            .unwrap();
        assert_eq!(info.log_append_time, 9_000);
        log.set_high_watermark(2);
        let stored = log.read(0, 100, 2).unwrap().batches.remove(0);
        let records = decode_batch(&stored.bytes).unwrap();
        assert!(records
            .iter()
            .all(|r| r.timestamp == 9_000 && r.timestamp_type == TimestampType::LogAppendTime));
    }
}
