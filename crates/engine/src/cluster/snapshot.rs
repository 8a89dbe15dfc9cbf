//! Snapshots of a cluster's data, so a server can stop and start again
//! without losing anything acknowledged (`--data-dir`).
//!
//! A snapshot keeps what Kafka keeps on disk: each topic (name, whether it
//! is internal, its id, partition count, replication factor and config
//! overrides) and each partition's log — the leader's RecordBatch bytes
//! exactly as stored, its log start offset and high watermark. Group
//! offsets and Schema Registry state need nothing more: they are records
//! in `__consumer_offsets` and `_schemas`, which the coordinator and the
//! registry replay on start. What Kafka also forgets on a restart is not
//! kept either: in-flight requests, idempotent producers' sequence state
//! (producers re-initialise), the replicas' placement (recomputed).
//!
//! The format is the engine's own: `KPSNAP` and a version byte, then
//! length-prefixed big-endian fields. Reading never trusts a length: a
//! truncated or corrupt snapshot is a typed error, not a panic.

use bytes::Bytes;
use thiserror::Error;

use super::{log_params, Cluster, ClusterConfig, NewTopic};
use crate::clock::Millis;
use crate::log::PartitionLog;
use crate::producer_state::ProducerStateTable;

const MAGIC: &[u8] = b"KPSNAP";
const VERSION: u8 = 1;

/// Why a snapshot could not be restored.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SnapshotError {
    /// Not a snapshot, or one of another version.
    #[error("not a Kafka Playground snapshot (or an unknown version)")]
    NotASnapshot,
    /// The bytes end early or a length is impossible.
    #[error("the snapshot is truncated or corrupt at byte {0}")]
    Corrupt(usize),
    /// The cluster refused to re-create a topic or a batch.
    #[error("could not restore {what}: {message}")]
    Restore {
        /// Which topic or partition.
        what: String,
        /// The engine's message.
        message: String,
    },
}

impl Cluster {
    /// Every topic and its data, as bytes a file can hold.
    #[must_use]
    pub fn snapshot(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        put_i64(&mut out, self.now().0);
        put_i64(&mut out, self.next_producer_id);
        put_u32(&mut out, self.topics.len());
        for (name, topic) in &self.topics {
            put_str(&mut out, name);
            out.push(u8::from(topic.internal));
            out.extend_from_slice(&topic.topic_id);
            let rf = topic.partitions.first().map_or(1, |p| p.replicas.len());
            put_u32(&mut out, rf);
            let overrides: Vec<(&str, &str)> = topic.config.overrides().collect();
            put_u32(&mut out, overrides.len());
            for (key, value) in overrides {
                put_str(&mut out, key);
                put_str(&mut out, value);
            }
            put_u32(&mut out, topic.partitions.len());
            for partition in &topic.partitions {
                // The leader's log, or the longest replica's when offline.
                let log = partition
                    .leader
                    .and_then(|l| partition.logs.get(&l))
                    .or_else(|| {
                        partition
                            .logs
                            .values()
                            .max_by_key(|r| r.log.log_end_offset())
                    })
                    .map(|r| &r.log);
                let Some(log) = log else {
                    put_i64(&mut out, 0);
                    put_i64(&mut out, 0);
                    put_u32(&mut out, 0);
                    continue;
                };
                put_i64(&mut out, log.log_start_offset());
                put_i64(&mut out, log.high_watermark());
                let batches: Vec<&Bytes> = log
                    .segments()
                    .flat_map(|s| s.batches.iter().map(|b| &b.bytes))
                    .collect();
                put_u32(&mut out, batches.len());
                for batch in batches {
                    put_u32(&mut out, batch.len());
                    out.extend_from_slice(batch);
                }
            }
        }
        out
    }

    /// A cluster of `config`'s brokers holding a snapshot's topics and
    /// data, at the snapshot's time or `now`, whichever is later.
    ///
    /// # Errors
    ///
    /// [`SnapshotError`] for bytes that are not a whole snapshot, or data
    /// the cluster cannot hold (more replicas than brokers...).
    pub fn restore(
        config: ClusterConfig,
        seed: u64,
        now: Millis,
        bytes: &[u8],
    ) -> Result<Self, SnapshotError> {
        if !bytes.starts_with(MAGIC) || bytes.get(MAGIC.len()) != Some(&VERSION) {
            return Err(SnapshotError::NotASnapshot);
        }
        let mut r = Reader {
            bytes,
            at: MAGIC.len() + 1,
        };
        let saved_at = Millis(r.i64()?);
        let start = if now > saved_at { now } else { saved_at };
        let restore_error = |what: &str, message: String| SnapshotError::Restore {
            what: what.to_owned(),
            message,
        };
        let mut cluster = Cluster::new(config, seed, start)
            .map_err(|e| restore_error("the cluster", e.to_string()))?;
        cluster.next_producer_id = r.i64()?;
        let topics = r.u32()?;
        for _ in 0..topics {
            let name = r.string()?;
            let internal = r.u8()? != 0;
            let topic_id: [u8; 16] = r
                .take(16)?
                .try_into()
                .map_err(|_| SnapshotError::Corrupt(r.at))?;
            let rf = i16::try_from(r.u32()?).map_err(|_| SnapshotError::Corrupt(r.at))?;
            let mut request = NewTopic::new(name.clone(), 1, rf);
            for _ in 0..r.u32()? {
                let key = r.string()?;
                let value = r.string()?;
                request = request.config(key, value);
            }
            let partitions = r.u32()?;
            // Each partition takes at least 20 bytes: a count that the
            // rest cannot hold is corrupt, not a reason to allocate.
            if partitions > (r.bytes.len() - r.at) / 20 {
                return Err(SnapshotError::Corrupt(r.at));
            }
            request.partitions =
                i32::try_from(partitions).map_err(|_| SnapshotError::Corrupt(r.at))?;
            let created = if internal {
                cluster.create_internal_topic(request)
            } else {
                cluster.create_topic(request)
            };
            created.map_err(|e| restore_error(&name, e.to_string()))?;
            let Some(topic) = cluster.topics.get_mut(&name) else {
                return Err(restore_error(&name, "the topic was not created".to_owned()));
            };
            topic.topic_id = topic_id;
            let params = log_params(&topic.config);
            for index in 0..partitions {
                let log_start = r.i64()?;
                let high_watermark = r.i64()?;
                let mut log = PartitionLog::starting_at(log_start, start);
                for _ in 0..r.u32()? {
                    let len = r.u32()?;
                    let batch = Bytes::copy_from_slice(r.take(len)?);
                    log.restore_batch(batch, start, &params)
                        .map_err(|e| restore_error(&format!("{name}-{index}"), e.to_string()))?;
                }
                log.set_high_watermark(high_watermark);
                // Idempotent producers' state comes back from the log, as
                // Kafka rebuilds it on recovery: each producer's epoch and
                // last five batches, so a producer that outlived the
                // restart carries on with its next sequence number.
                let producers = ProducerStateTable::rebuild(
                    log.segments()
                        .flat_map(|s| s.batches.iter())
                        .map(|b| &b.header),
                );
                if let Some(partition) = topic.partitions.get_mut(index) {
                    for replica in partition.logs.values_mut() {
                        replica.log = log.clone();
                        replica.producers = producers.clone();
                    }
                }
            }
        }
        // Each topic's creation was an event; a restored cluster starts
        // with a clean slate.
        cluster.events.drain();
        Ok(cluster)
    }
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    // Counts and lengths in an in-memory engine stay far below 2^32.
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes());
}

fn put_i64(out: &mut Vec<u8>, n: i64) {
    out.extend_from_slice(&n.to_be_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(SnapshotError::Corrupt(self.at))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, SnapshotError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<usize, SnapshotError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn i64(&mut self) -> Result<i64, SnapshotError> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(i64::from_be_bytes(a))
    }

    fn string(&mut self) -> Result<String, SnapshotError> {
        let len = self.u32()?;
        let at = self.at;
        String::from_utf8(self.take(len)?.to_vec()).map_err(|_| SnapshotError::Corrupt(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Acks, OffsetSpec, ProduceOutcome};
    use crate::record::{encode_batch, Compression, ProducerRecord, ProducerStamp};

    fn batch(values: &[&str]) -> Bytes {
        let records: Vec<ProducerRecord> = values
            .iter()
            .map(|v| ProducerRecord {
                key: Some(Bytes::from(v.to_string())),
                value: Some(Bytes::from(v.to_string())),
                ..ProducerRecord::default()
            })
            .collect();
        encode_batch(&records, ProducerStamp::NONE, Compression::None).unwrap()
    }

    #[test]
    fn topics_configs_and_every_acknowledged_record_survive_a_restart() {
        let mut cluster = Cluster::new(ClusterConfig::default(), 1, Millis(1_000)).unwrap();
        cluster
            .create_topic(NewTopic::new("orders", 2, 3).config("retention.ms", "60000"))
            .unwrap();
        cluster
            .create_internal_topic(
                NewTopic::new("_schemas", 1, 3).config("cleanup.policy", "compact"),
            )
            .unwrap();
        for p in 0..2 {
            cluster
                .produce("orders", p, batch(&["a", "b"]), Acks::Leader, 1_000)
                .unwrap();
            cluster
                .produce("orders", p, batch(&["c"]), Acks::Leader, 1_000)
                .unwrap();
        }
        cluster
            .produce("_schemas", 0, batch(&["s"]), Acks::Leader, 1_000)
            .unwrap();
        cluster.advance(100);
        let bytes = cluster.snapshot();

        let restored =
            Cluster::restore(ClusterConfig::default(), 1, Millis(5_000), &bytes).unwrap();
        assert_eq!(restored.list_topics(true), cluster.list_topics(true));
        assert_eq!(
            restored
                .topic_config("orders")
                .unwrap()
                .overrides()
                .collect::<Vec<_>>(),
            vec![("retention.ms", "60000")]
        );
        assert!(restored.describe_topic("_schemas").unwrap().internal);
        for p in 0..2 {
            assert_eq!(
                restored
                    .list_offsets("orders", p, OffsetSpec::Latest)
                    .unwrap(),
                Some(3)
            );
            let before = cluster.fetch("orders", p, 0, 1 << 20).unwrap();
            let after = restored.fetch("orders", p, 0, 1 << 20).unwrap();
            let bytes = |d: &crate::cluster::FetchData| {
                d.batches
                    .iter()
                    .map(|b| b.bytes.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(bytes(&after), bytes(&before), "the same RecordBatch bytes");
        }
        assert!(restored.now() >= Millis(5_000));
    }

    #[test]
    fn idempotent_producers_carry_on_after_a_restart() {
        let stamped = |v: &str, producer_id: i64, base_sequence: i32| {
            let record = ProducerRecord {
                value: Some(Bytes::from(v.to_owned())),
                ..ProducerRecord::default()
            };
            let stamp = ProducerStamp {
                producer_id,
                producer_epoch: 0,
                base_sequence,
            };
            encode_batch(&[record], stamp, Compression::None).unwrap()
        };
        let mut cluster = Cluster::new(ClusterConfig::default(), 1, Millis(1_000)).unwrap();
        cluster.create_topic(NewTopic::new("t", 1, 3)).unwrap();
        let producer = cluster.init_producer_id();
        let last = stamped("b", producer.producer_id, 1);
        cluster
            .produce(
                "t",
                0,
                stamped("a", producer.producer_id, 0),
                Acks::Leader,
                1_000,
            )
            .unwrap();
        cluster
            .produce("t", 0, last.clone(), Acks::Leader, 1_000)
            .unwrap();
        cluster.advance(10);
        let mut restored = Cluster::restore(
            ClusterConfig::default(),
            1,
            Millis(5_000),
            &cluster.snapshot(),
        )
        .unwrap();

        // A retry of the last acknowledged batch is recognised, not written twice.
        let retry = restored.produce("t", 0, last, Acks::Leader, 1_000).unwrap();
        assert!(
            matches!(retry, ProduceOutcome::Acknowledged(ack) if ack.base_offset == 1),
            "{retry:?}"
        );
        // A gap is still refused, and the next sequence number is accepted.
        let gap = restored.produce(
            "t",
            0,
            stamped("x", producer.producer_id, 5),
            Acks::Leader,
            1_000,
        );
        assert!(
            matches!(gap, Err(e) if e.code == crate::error::ErrorCode::OutOfOrderSequenceNumber)
        );
        let next = restored
            .produce(
                "t",
                0,
                stamped("c", producer.producer_id, 2),
                Acks::Leader,
                1_000,
            )
            .unwrap();
        assert!(
            matches!(next, ProduceOutcome::Acknowledged(ack) if ack.base_offset == 2),
            "{next:?}"
        );
        // And a new producer gets a new id.
        assert!(restored.init_producer_id().producer_id > producer.producer_id);
    }

    #[test]
    fn corrupt_snapshots_are_errors() {
        let mut cluster = Cluster::new(ClusterConfig::default(), 1, Millis(0)).unwrap();
        cluster.create_topic(NewTopic::new("t", 1, 1)).unwrap();
        cluster
            .produce("t", 0, batch(&["x"]), Acks::Leader, 1_000)
            .unwrap();
        let bytes = cluster.snapshot();
        assert_eq!(
            Cluster::restore(ClusterConfig::default(), 1, Millis(0), b"nope").unwrap_err(),
            SnapshotError::NotASnapshot
        );
        for cut in 7..bytes.len() {
            assert!(
                Cluster::restore(ClusterConfig::default(), 1, Millis(0), &bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut flipped = bytes.clone();
        for i in 7..flipped.len() {
            flipped[i] ^= 0xff;
            // Any outcome but a panic.
            let _ = Cluster::restore(ClusterConfig::default(), 1, Millis(0), &flipped);
            flipped[i] ^= 0xff;
        }
    }
}
