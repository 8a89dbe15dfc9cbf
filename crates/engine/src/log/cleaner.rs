//! Log compaction (`cleanup.policy=compact`), as Kafka's log cleaner does
//! it, so a learner can watch `__consumer_offsets` or `_schemas` keep only
//! the latest value of each key.
//!
//! The cleanable part of a log is its closed segments below the high
//! watermark whose records are older than `min.compaction.lag.ms`. Once the
//! part written since the last cleaning (the dirty part) is at least
//! `min.cleanable.dirty.ratio` of it, or older than
//! `max.compaction.lag.ms`, the cleaner maps each key of the dirty part to
//! its latest offset and rewrites the cleanable batches without the older
//! records. Offsets never change: compaction leaves gaps. A tombstone (null
//! value) stays for `delete.retention.ms` after the cleaning that first saw
//! it, so consumers can still notice the delete, then goes too.
//!
//! Differences from Kafka, none visible to a consumer: a rewritten batch
//! starts at its first kept record (Kafka keeps the original base offset),
//! and the tombstone deadline is kept beside the batch rather than in its
//! `baseTimestamp` with the delete-horizon flag.

use std::collections::HashMap;

use bytes::Bytes;

use super::{LogError, PartitionLog, StoredBatch};
use crate::clock::Millis;
use crate::record::{decode_batch, encode_retained, BatchHeader};

/// The topic configs compaction obeys.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompactionParams {
    /// `min.cleanable.dirty.ratio`.
    pub min_cleanable_dirty_ratio: f64,
    /// `min.compaction.lag.ms`: records younger than this are not cleaned.
    pub min_compaction_lag_ms: i64,
    /// `max.compaction.lag.ms`: dirty records older than this force a
    /// cleaning whatever the ratio.
    pub max_compaction_lag_ms: i64,
    /// `delete.retention.ms`: how long tombstones survive cleaning.
    pub delete_retention_ms: i64,
}

/// What one cleaning did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactionOutcome {
    /// Records removed because a later record has the same key.
    pub records_removed: u64,
    /// Tombstones removed because their `delete.retention.ms` had passed.
    pub tombstones_removed: u64,
    /// Bytes of the cleaned range before.
    pub bytes_before: u64,
    /// Bytes of the cleaned range after.
    pub bytes_after: u64,
    /// The offset cleaning reached (the new cleaner checkpoint).
    pub cleaned_up_to: i64,
    /// Offsets of the records that went, superseded ones and expired
    /// tombstones alike, in order: which records compaction removed.
    pub removed_offsets: Vec<i64>,
}

impl PartitionLog {
    /// Runs the log cleaner once at `now`, if the log needs it. `Ok(None)`
    /// means there was nothing (or not enough) to clean.
    pub fn compact(
        &mut self,
        now: Millis,
        params: &CompactionParams,
    ) -> Result<Option<CompactionOutcome>, LogError> {
        let lag_limit = now.0.saturating_sub(params.min_compaction_lag_ms.max(0));
        let closed = self.segments.len().saturating_sub(1);
        let cleanable = self
            .segments
            .iter()
            .take(closed)
            .take_while(|s| s.next_offset() <= self.high_watermark && s.max_timestamp <= lag_limit)
            .count();
        if cleanable == 0 {
            return Ok(None);
        }
        let checkpoint = self.cleaner_checkpoint;
        let range = || {
            self.segments
                .iter()
                .take(cleanable)
                .flat_map(|s| s.batches.iter())
        };
        let total: u64 = range().map(|b| b.bytes.len() as u64).sum();
        let dirty: Vec<&StoredBatch> = range()
            .filter(|b| b.header.last_offset() >= checkpoint)
            .collect();
        let dirty_bytes: u64 = dirty.iter().map(|b| b.bytes.len() as u64).sum();
        if dirty_bytes == 0 {
            return Ok(None);
        }
        let ratio = dirty_bytes as f64 / total.max(1) as f64;
        let overdue = dirty
            .iter()
            .any(|b| now.0.saturating_sub(b.header.max_timestamp) > params.max_compaction_lag_ms);
        if ratio < params.min_cleanable_dirty_ratio && !overdue {
            return Ok(None);
        }

        // The offset map: each key of the dirty part to its latest offset.
        let mut latest: HashMap<Bytes, i64> = HashMap::new();
        for batch in &dirty {
            for record in decode_batch(&batch.bytes)? {
                if let Some(key) = record.key {
                    latest.insert(key, record.offset);
                }
            }
        }
        let cleaned_up_to = self
            .segments
            .get(cleanable - 1)
            .map_or(checkpoint, |s| s.next_offset());

        let mut outcome = CompactionOutcome {
            records_removed: 0,
            tombstones_removed: 0,
            bytes_before: total,
            bytes_after: 0,
            cleaned_up_to,
            removed_offsets: Vec::new(),
        };
        for segment in self.segments.iter_mut().take(cleanable) {
            let mut kept_batches = Vec::with_capacity(segment.batches.len());
            for batch in std::mem::take(&mut segment.batches) {
                let records = decode_batch(&batch.bytes)?;
                let count = records.len();
                let horizon_passed = batch.delete_horizon.is_some_and(|h| now.0 >= h);
                let mut tombstones_kept = false;
                let kept: Vec<_> = records
                    .into_iter()
                    .filter(|r| {
                        let superseded = r
                            .key
                            .as_ref()
                            .and_then(|k| latest.get(k))
                            .is_some_and(|&l| r.offset < l);
                        if superseded {
                            outcome.records_removed += 1;
                            outcome.removed_offsets.push(r.offset);
                            return false;
                        }
                        if r.value.is_none() {
                            if horizon_passed {
                                outcome.tombstones_removed += 1;
                                outcome.removed_offsets.push(r.offset);
                                return false;
                            }
                            tombstones_kept = true;
                        }
                        true
                    })
                    .collect();
                let horizon = if tombstones_kept {
                    batch
                        .delete_horizon
                        .or(Some(now.0.saturating_add(params.delete_retention_ms)))
                } else {
                    None
                };
                if kept.len() == count {
                    kept_batches.push(StoredBatch {
                        delete_horizon: horizon,
                        ..batch
                    });
                } else if !kept.is_empty() {
                    let bytes = encode_retained(&batch.header, &kept)?;
                    let header = BatchHeader::parse(&bytes)?;
                    kept_batches.push(StoredBatch {
                        header,
                        bytes,
                        delete_horizon: horizon,
                    });
                }
            }
            segment.batches = kept_batches;
            segment.size_bytes = segment.batches.iter().map(|b| b.bytes.len() as u64).sum();
            outcome.bytes_after += segment.size_bytes;
        }
        self.size_bytes = self.segments.iter().map(|s| s.size_bytes).sum();
        self.cleaner_checkpoint = cleaned_up_to;
        Ok(Some(outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::LogParams;
    use crate::record::{encode_batch, Compression, ProducerRecord, ProducerStamp};

    const PARAMS: CompactionParams = CompactionParams {
        min_cleanable_dirty_ratio: 0.5,
        min_compaction_lag_ms: 0,
        max_compaction_lag_ms: i64::MAX,
        delete_retention_ms: 1_000,
    };

    fn put(log: &mut PartitionLog, key: &str, value: Option<&str>, at: i64) {
        let record = ProducerRecord {
            key: Some(Bytes::from(key.to_owned())),
            value: value.map(|v| Bytes::from(v.to_owned())),
            headers: vec![],
            timestamp: at,
        };
        let batch = encode_batch(&[record], ProducerStamp::NONE, Compression::Lz4).unwrap();
        // One batch per segment, so every batch but the last is closed.
        let params = LogParams {
            segment_bytes: 1,
            ..LogParams::default()
        };
        log.append_as_leader(batch, 0, Millis(at), &params).unwrap();
        let end = log.log_end_offset();
        log.set_high_watermark(end);
    }

    fn contents(log: &PartitionLog) -> Vec<(i64, String, Option<String>)> {
        log.segments()
            .flat_map(|s| s.batches.iter())
            .flat_map(|b| decode_batch(&b.bytes).unwrap())
            .map(|r| {
                let text = |b: Bytes| String::from_utf8(b.to_vec()).unwrap();
                (r.offset, text(r.key.unwrap()), r.value.map(text))
            })
            .collect()
    }

    #[test]
    fn keeps_the_latest_value_of_each_key_and_the_offsets() {
        let mut log = PartitionLog::new(Millis(0));
        put(&mut log, "k1", Some("a"), 1);
        put(&mut log, "k2", Some("b"), 2);
        put(&mut log, "k1", Some("c"), 3);
        put(&mut log, "k2", Some("d"), 4);
        put(&mut log, "k1", Some("e"), 5); // the active segment: not cleaned
        let outcome = log.compact(Millis(10), &PARAMS).unwrap().unwrap();
        assert_eq!(outcome.records_removed, 2);
        assert_eq!(outcome.removed_offsets, [0, 1]);
        assert!(outcome.bytes_after < outcome.bytes_before);
        assert_eq!(
            contents(&log),
            [
                (2, "k1".into(), Some("c".into())),
                (3, "k2".into(), Some("d".into())),
                (4, "k1".into(), Some("e".into()))
            ],
            "offsets 0 and 1 are gone, the rest keep theirs"
        );
        assert_eq!(log.log_end_offset(), 5);
        assert_eq!(
            log.compact(Millis(11), &PARAMS).unwrap(),
            None,
            "nothing dirty left"
        );
    }

    #[test]
    fn tombstones_stay_for_delete_retention_ms() {
        let mut log = PartitionLog::new(Millis(0));
        put(&mut log, "user", Some("alice"), 1);
        put(&mut log, "user", None, 2);
        put(&mut log, "other", Some("x"), 3);
        put(&mut log, "active", Some("y"), 4);
        log.compact(Millis(10), &PARAMS).unwrap().unwrap();
        assert_eq!(
            contents(&log)[0],
            (1, "user".into(), None),
            "the delete is still visible"
        );
        put(&mut log, "more", Some("z"), 20);
        put(&mut log, "more2", Some("z"), 21);
        let later = log.compact(Millis(2_000), &PARAMS).unwrap().unwrap();
        assert_eq!(later.tombstones_removed, 1);
        assert!(contents(&log).iter().all(|(_, k, _)| k != "user"));
    }

    #[test]
    fn respects_the_dirty_ratio_and_the_compaction_lags() {
        let mut log = PartitionLog::new(Millis(0));
        for i in 0..6 {
            put(&mut log, &format!("k{i}"), Some("v"), i);
        }
        let lagged = CompactionParams {
            min_compaction_lag_ms: 100,
            ..PARAMS
        };
        assert_eq!(
            log.compact(Millis(50), &lagged).unwrap(),
            None,
            "records younger than min.compaction.lag.ms"
        );
        assert!(log.compact(Millis(500), &lagged).unwrap().is_some());
        put(&mut log, "k0", Some("new"), 600);
        put(&mut log, "k9", Some("v"), 601);
        let picky = CompactionParams {
            min_cleanable_dirty_ratio: 0.9,
            ..PARAMS
        };
        assert_eq!(
            log.compact(Millis(700), &picky).unwrap(),
            None,
            "dirty part below the ratio"
        );
        let overdue = CompactionParams {
            max_compaction_lag_ms: 50,
            ..picky
        };
        let outcome = log.compact(Millis(700), &overdue).unwrap().unwrap();
        assert_eq!(
            outcome.records_removed, 1,
            "max.compaction.lag.ms forced it"
        );
    }
}
