//! How a producer picks the partition a record goes to, bit for bit as the
//! real clients do it: the Java client (`KafkaProducer` with its built-in
//! partitioner, Kafka 3.3 and later, KIP-794) and librdkafka (the C client
//! under confluent-kafka-python, -go, -dotnet and most other languages),
//! whose `partitioner` setting names seven strategies.
//!
//! Keyed records are hashed: the Java client uses murmur2 of the serialized
//! key, librdkafka by default CRC-32 (`consistent_random`), so the two
//! clients send the same key to *different* partitions unless librdkafka is
//! set to `murmur2_random`. Records without a key (and, in some librdkafka
//! strategies, with an empty key) go to a *sticky* partition that changes
//! only now and then: in Java after `batch.size` bytes, weighted towards
//! partitions with short queues; in librdkafka after
//! `sticky.partitioning.linger.ms`. The functions here are sans-io: they
//! take the key bytes, the topic's partitions (as a slice saying, for each
//! partition id, whether it currently has a leader) and, where the real
//! client would roll a die, a caller-owned [`Rng`], so a scenario replays
//! exactly. They never panic or divide by zero: a topic without partitions
//! is a [`PartitionerError`].
//!
//! Sources followed: `Utils.murmur2`/`toPositive`, `BuiltInPartitioner`,
//! `RecordAccumulator.partitionReady` and `KafkaProducer.partition` in
//! apache/kafka; `rdkafka_msg.c` (`rd_kafka_msg_partitioner_*`,
//! `rd_kafka_msg_sticky_partition`), `rdkafka_topic.c`, `rdkafka_conf.c`,
//! `rdmurmur2.c`, `rdfnv1a.c` and `rdcrc32.h` in librdkafka. Their unit-test
//! vectors are the tests at the bottom of this file.

use std::fmt;
use std::str::FromStr;

use crate::clock::Millis;
use crate::rng::Rng;

/// The Java producer's default `batch.size`, in bytes.
pub const JAVA_DEFAULT_BATCH_SIZE: u32 = 16_384;

/// librdkafka's default `sticky.partitioning.linger.ms`.
pub const LIBRDKAFKA_DEFAULT_STICKY_LINGER_MS: i64 = 10;

/// Why a partition could not be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartitionerError {
    /// The topic was described with this many partitions; a real topic has
    /// between 1 and `i32::MAX` (the partition index is an INT32 on the
    /// wire).
    InvalidPartitionCount(i64),
    /// A `partitioner` value librdkafka does not know. The message is
    /// librdkafka's own, from `rd_kafka_conf_set`.
    UnknownPartitioner(String),
}

impl fmt::Display for PartitionerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPartitionCount(n) => write!(
                f,
                "Invalid partition count {n}: a topic has between 1 and {} partitions",
                i32::MAX
            ),
            Self::UnknownPartitioner(value) => write!(
                f,
                "Invalid value for configuration property \"partitioner\": {value}"
            ),
        }
    }
}

impl std::error::Error for PartitionerError {}

/// Checks a partition count the way every partitioner here needs it: at
/// least one partition, so that `% count` is defined.
fn checked_count(partition_count: i32) -> Result<i32, PartitionerError> {
    if partition_count >= 1 {
        Ok(partition_count)
    } else {
        Err(PartitionerError::InvalidPartitionCount(i64::from(
            partition_count,
        )))
    }
}

/// The partition count of a topic described as one availability flag per
/// partition id.
fn count_of(available: &[bool]) -> Result<i32, PartitionerError> {
    match i32::try_from(available.len()) {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(PartitionerError::InvalidPartitionCount(
            i64::try_from(available.len()).unwrap_or(i64::MAX),
        )),
    }
}

/// Whether `partition` exists and has a leader.
fn is_available(available: &[bool], partition: i32) -> bool {
    usize::try_from(partition)
        .ok()
        .and_then(|i| available.get(i))
        .copied()
        .unwrap_or(false)
}

/// `hash % count` for a count already checked to be in `1..=i32::MAX`: the
/// remainder is below the count, so it fits in an `i32`.
fn unsigned_mod(hash: u32, count: i32) -> i32 {
    let count = count.unsigned_abs();
    i32::try_from(hash % count).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Hash functions
// ---------------------------------------------------------------------------

/// Murmur2, exactly `org.apache.kafka.common.utils.Utils.murmur2`: seed
/// `0x9747b28c`, little-endian 4-byte blocks, Java `int` overflow. librdkafka's
/// `rd_murmur2` computes the same 32 bits (it returns them unsigned).
#[must_use]
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;

    // Java's array length is an int and librdkafka casts its size_t to
    // uint32_t: both keep the low 32 bits, as this cast does.
    let mut h = SEED ^ (data.len() as u32);
    let blocks = data.chunks_exact(4);
    let tail = blocks.remainder();
    for block in blocks {
        let mut k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    // The Java switch falls through from case 3 to case 1.
    match *tail {
        [a, b, c] => {
            h ^= u32::from(c) << 16;
            h ^= u32::from(b) << 8;
            h ^= u32::from(a);
            h = h.wrapping_mul(M);
        }
        [a, b] => {
            h ^= u32::from(b) << 8;
            h ^= u32::from(a);
            h = h.wrapping_mul(M);
        }
        [a] => {
            h ^= u32::from(a);
            h = h.wrapping_mul(M);
        }
        _ => {}
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    // Reinterpreting the bits as a Java int is the point of this cast.
    h as i32
}

/// `Utils.toPositive`: clears the sign bit (`n & 0x7fffffff`). This is not
/// the absolute value: `to_positive(-1)` is `i32::MAX`.
#[must_use]
pub const fn to_positive(n: i32) -> i32 {
    n & 0x7fff_ffff
}

/// CRC-32 (ISO-HDLC, the zlib and Ethernet one): what librdkafka's
/// `rd_crc32` computes, with zlib or with its own table. The CRC of no bytes
/// is 0.
#[must_use]
pub fn crc32(data: &[u8]) -> u32 {
    crate::crc::crc32(data)
}

/// FNV-1a (32-bit) as librdkafka's `rd_fnv1a`: the standard hash, then the
/// absolute value of it read as a signed 32-bit number, to match Sarama's
/// default hash partitioner. An FNV-1a of exactly `0x80000000` has no
/// positive counterpart; C's `-h` leaves it as it is in practice, and so
/// does this function.
#[must_use]
pub fn fnv1a(data: &[u8]) -> u32 {
    const PRIME: u32 = 0x0100_0193;
    const OFFSET_BASIS: u32 = 0x811c_9dc5;
    let mut h = OFFSET_BASIS;
    for &byte in data {
        h ^= u32::from(byte);
        h = h.wrapping_mul(PRIME);
    }
    // Read the bits as librdkafka's int32_t, take |h|, hand them back as
    // uint32_t: both casts only reinterpret bits.
    (h as i32).wrapping_abs() as u32
}

// ---------------------------------------------------------------------------
// Java client
// ---------------------------------------------------------------------------

/// `BuiltInPartitioner.partitionForKey`: the partition of a keyed record in
/// the Java client, `toPositive(murmur2(key)) % partitionCount`. An empty key
/// is a key like any other (it hashes to `0x106e08d9`).
///
/// # Errors
/// [`PartitionerError::InvalidPartitionCount`] if `partition_count < 1`.
pub fn java_partition_for_key(key: &[u8], partition_count: i32) -> Result<i32, PartitionerError> {
    let count = checked_count(partition_count)?;
    Ok(to_positive(murmur2(key)) % count)
}

/// The keyed part of `KafkaProducer.partition` (for a record without an
/// explicit partition and a producer without `partitioner.class`):
/// `Some(partition)` when the key is hashed, `None` (Java's
/// `UNKNOWN_PARTITION`) when the record is left to the
/// [`BuiltInPartitioner`]. That happens for a null key, and for every key
/// when `partitioner.ignore.keys` is true. An empty, non-null key is hashed.
///
/// # Errors
/// [`PartitionerError::InvalidPartitionCount`] if `partition_count < 1`.
pub fn java_keyed_partition(
    key: Option<&[u8]>,
    ignore_keys: bool,
    partition_count: i32,
) -> Result<Option<i32>, PartitionerError> {
    let count = checked_count(partition_count)?;
    match key {
        Some(key) if !ignore_keys => java_partition_for_key(key, count).map(Some),
        _ => Ok(None),
    }
}

/// The Java producer settings that shape partitioning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JavaPartitionerConfig {
    /// `batch.size`: bytes produced to the sticky partition before it may
    /// change. 0 (batching off) counts as 1, as `KafkaProducer` does.
    pub batch_size: u32,
    /// `partitioner.adaptive.partitioning.enable`: weight the next sticky
    /// partition by the inverse of the partitions' queue lengths.
    pub adaptive_partitioning_enable: bool,
    /// `partitioner.availability.timeout.ms`: with adaptive partitioning, a
    /// partition whose leader has had data ready but not been drained for
    /// longer than this is skipped. 0 turns the check off.
    pub availability_timeout_ms: i64,
    /// `partitioner.ignore.keys`: treat keyed records like unkeyed ones.
    pub ignore_keys: bool,
}

impl Default for JavaPartitionerConfig {
    /// The Java producer's defaults: 16 384 bytes, adaptive, no
    /// availability timeout, keys hashed.
    fn default() -> Self {
        Self {
            batch_size: JAVA_DEFAULT_BATCH_SIZE,
            adaptive_partitioning_enable: true,
            availability_timeout_ms: 0,
            ignore_keys: false,
        }
    }
}

/// Latency bookkeeping the Java accumulator keeps per broker
/// (`RecordAccumulator.NodeLatencyStats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeLatencyStats {
    /// Last time the broker had a batch ready to send.
    pub ready_time: Millis,
    /// Last time batches were drained (sent) to the broker.
    pub drain_time: Millis,
}

/// One partition's entry in the Java accumulator's batch map, as
/// `RecordAccumulator.partitionReady` sees it when it computes the load
/// statistics for adaptive partitioning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionQueue {
    /// The partition id.
    pub partition: i32,
    /// Whether the partition currently has a leader.
    pub has_leader: bool,
    /// Batches waiting in the partition's queue (`deque.size()`).
    pub queued_batches: u32,
    /// The leader broker's latency stats, if the accumulator has any yet.
    pub leader_latency: Option<NodeLatencyStats>,
}

/// The cumulative frequency table adaptive partitioning draws from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PartitionLoadStats {
    /// Strictly increasing running sums of `maxSize + 1 - queueSize`.
    cumulative_frequency_table: Vec<i64>,
    /// The partition each entry stands for.
    partition_ids: Vec<i32>,
}

/// The sticky partition and how many bytes have gone to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StickyPartitionInfo {
    partition: i32,
    produced_bytes: i64,
}

/// The Java client's built-in partitioner for records without a key
/// (`org.apache.kafka.clients.producer.internals.BuiltInPartitioner`, one
/// per topic): a sticky partition that changes once `batch.size` bytes have
/// been produced to it, the next one drawn uniformly among partitions with a
/// leader or, once load statistics exist, weighted by inverse queue length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltInPartitioner {
    sticky_batch_size: i64,
    load_stats: Option<PartitionLoadStats>,
    sticky: Option<StickyPartitionInfo>,
}

impl BuiltInPartitioner {
    /// A partitioner for one topic with `batch.size` = `batch_size` bytes.
    /// `BuiltInPartitioner`'s own constructor rejects 0, but
    /// `KafkaProducer` passes it `max(1, batch.size)`, and so does this.
    #[must_use]
    pub fn new(batch_size: u32) -> Self {
        Self {
            sticky_batch_size: i64::from(batch_size.max(1)),
            load_stats: None,
            sticky: None,
        }
    }

    /// The current sticky partition, if one has been chosen.
    #[must_use]
    pub fn sticky_partition(&self) -> Option<i32> {
        self.sticky.map(|s| s.partition)
    }

    /// Bytes produced to the current sticky partition so far.
    #[must_use]
    pub fn produced_bytes(&self) -> i64 {
        self.sticky.map_or(0, |s| s.produced_bytes)
    }

    /// The cumulative frequency table adaptive partitioning currently draws
    /// from, with the partition of each entry; `None` when the next
    /// partition is drawn uniformly.
    #[must_use]
    pub fn load_stats(&self) -> Option<(&[i64], &[i32])> {
        self.load_stats.as_ref().map(|s| {
            (
                s.cumulative_frequency_table.as_slice(),
                s.partition_ids.as_slice(),
            )
        })
    }

    /// `peekCurrentPartitionInfo`: the sticky partition, choosing the first
    /// one if there is none yet. `available` has one entry per partition id
    /// of the topic, true where the partition has a leader.
    ///
    /// # Errors
    /// [`PartitionerError::InvalidPartitionCount`] if `available` is empty.
    pub fn current_partition(
        &mut self,
        available: &[bool],
        rng: &mut Rng,
    ) -> Result<i32, PartitionerError> {
        self.current_partition_with(available, &mut || rng.next_non_negative_i32())
    }

    /// `updatePartitionInfo`: counts `appended_bytes` against the sticky
    /// partition and, once `batch.size` bytes have gone to it (and
    /// `enable_switch`, which the accumulator sets when every batch in the
    /// partition's queue is full) or twice that in any case, chooses the next
    /// one. Returns the new sticky partition when it switched (possibly to
    /// the same id, with its byte count reset), `None` otherwise or when no
    /// sticky partition had been chosen.
    ///
    /// # Errors
    /// [`PartitionerError::InvalidPartitionCount`] if `available` is empty.
    pub fn update_partition_info(
        &mut self,
        appended_bytes: u32,
        enable_switch: bool,
        available: &[bool],
        rng: &mut Rng,
    ) -> Result<Option<i32>, PartitionerError> {
        self.update_partition_info_with(appended_bytes, enable_switch, available, &mut || {
            rng.next_non_negative_i32()
        })
    }

    /// `updatePartitionLoadStats` with Java's arguments: the queue sizes of
    /// the topic's partitions that have a leader, their ids, and the logical
    /// `length` (partitions past it were excluded by
    /// `partitioner.availability.timeout.ms`). `queue_sizes.len()` stands
    /// for all partitions of the topic. Fewer than two partitions, or equal
    /// queues with none excluded, clear the statistics (uniform choice).
    /// Slices of different lengths, or a `length` past them, are cut to the
    /// shortest (Java only asserts).
    pub fn update_partition_load_stats(
        &mut self,
        queue_sizes: &[u32],
        partition_ids: &[i32],
        length: usize,
    ) {
        let all = queue_sizes.len().min(partition_ids.len());
        let length = length.min(all);
        if length < 1 || all < 2 {
            self.load_stats = None;
            return;
        }
        let sizes = &queue_sizes[..length];
        let max_size_plus_1 = i64::from(sizes.iter().copied().max().unwrap_or(0)) + 1;
        let all_equal = sizes.iter().all(|&s| s == sizes[0]);
        if all_equal && length == all {
            self.load_stats = None;
            return;
        }
        let mut running = 0_i64;
        let cumulative_frequency_table = sizes
            .iter()
            .map(|&s| {
                running += max_size_plus_1 - i64::from(s);
                running
            })
            .collect();
        self.load_stats = Some(PartitionLoadStats {
            cumulative_frequency_table,
            partition_ids: partition_ids[..length].to_vec(),
        });
    }

    /// Clears the load statistics (Java's `updatePartitionLoadStats(null,
    /// ..)`), so the next partition is drawn uniformly.
    pub fn clear_partition_load_stats(&mut self) {
        self.load_stats = None;
    }

    /// What `RecordAccumulator.partitionReady` does for this topic before
    /// calling `updatePartitionLoadStats`: `queues` are the accumulator's
    /// batch-map entries in iteration order (a partition has one once a
    /// record has been appended to it), `partition_count` the topic's size.
    ///
    /// It reproduces Java's bookkeeping exactly, quirks included: adaptive
    /// statistics only exist once every partition has an entry; partitions
    /// without a leader are left out; a partition whose leader's
    /// `ready_time - drain_time` exceeds the availability timeout is dropped
    /// (its slot is reused by the next partition), but only if its queue is
    /// not empty, since Java skips empty queues before that check.
    pub fn update_load_stats_from_queues(
        &mut self,
        queues: &[PartitionQueue],
        partition_count: i32,
        config: &JavaPartitionerConfig,
    ) {
        let collect = config.adaptive_partitioning_enable
            && i64::try_from(queues.len()).unwrap_or(i64::MAX) >= i64::from(partition_count);
        if !collect {
            self.load_stats = None;
            return;
        }
        let mut queue_sizes = vec![0_u32; queues.len()];
        let mut partition_ids = vec![0_i32; queues.len()];
        // Java's queueSizesIndex, which starts at -1: `next` is it plus one.
        let mut next = 0_usize;
        for queue in queues {
            if queue.has_leader {
                // next < queues.len(): it grows at most once per entry.
                partition_ids[next] = queue.partition;
                next += 1;
            }
            if queue.queued_batches == 0 || !queue.has_leader {
                continue;
            }
            // has_leader, so `next` was just incremented and is at least 1.
            queue_sizes[next - 1] = queue.queued_batches;
            if config.availability_timeout_ms > 0 {
                if let Some(stats) = queue.leader_latency {
                    if stats.ready_time.since(stats.drain_time) > config.availability_timeout_ms {
                        next -= 1;
                    }
                }
            }
        }
        self.update_partition_load_stats(&queue_sizes, &partition_ids, next);
    }

    fn current_partition_with(
        &mut self,
        available: &[bool],
        random: &mut dyn FnMut() -> i32,
    ) -> Result<i32, PartitionerError> {
        let count = count_of(available)?;
        if let Some(sticky) = self.sticky {
            return Ok(sticky.partition);
        }
        let partition = self.next_partition(available, count, random());
        self.sticky = Some(StickyPartitionInfo {
            partition,
            produced_bytes: 0,
        });
        Ok(partition)
    }

    fn update_partition_info_with(
        &mut self,
        appended_bytes: u32,
        enable_switch: bool,
        available: &[bool],
        random: &mut dyn FnMut() -> i32,
    ) -> Result<Option<i32>, PartitionerError> {
        let count = count_of(available)?;
        let Some(sticky) = self.sticky.as_mut() else {
            return Ok(None);
        };
        sticky.produced_bytes += i64::from(appended_bytes);
        let produced = sticky.produced_bytes;
        let batch = self.sticky_batch_size;
        if (produced >= batch && enable_switch) || produced >= batch * 2 {
            let partition = self.next_partition(available, count, random());
            self.sticky = Some(StickyPartitionInfo {
                partition,
                produced_bytes: 0,
            });
            return Ok(Some(partition));
        }
        Ok(None)
    }

    /// `nextPartition`, given the non-negative random number Java draws
    /// first (`Utils.toPositive(ThreadLocalRandom.current().nextInt())`).
    fn next_partition(&self, available: &[bool], count: i32, random: i32) -> i32 {
        let random = to_positive(random);
        if let Some(stats) = &self.load_stats {
            // The table is non-empty and strictly increasing by construction.
            let end = stats
                .cumulative_frequency_table
                .last()
                .copied()
                .unwrap_or(1);
            let weighted = i64::from(random) % end.max(1);
            // The first entry strictly greater than the draw.
            let index = stats
                .cumulative_frequency_table
                .partition_point(|&v| v <= weighted);
            return stats
                .partition_ids
                .get(index)
                .copied()
                .unwrap_or_else(|| random % count);
        }
        let leaders: Vec<i32> = (0..count).filter(|&p| is_available(available, p)).collect();
        if leaders.is_empty() {
            // No partition has a leader: pick among all of them.
            return random % count;
        }
        // random is non-negative, so the conversion cannot fail.
        let r = usize::try_from(random).unwrap_or(0);
        leaders[r % leaders.len()]
    }
}

/// The whole Java producer decision for one record without an explicit
/// partition: hash the key if there is one (and keys are not ignored),
/// otherwise use the topic's [`BuiltInPartitioner`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaPartitioner {
    config: JavaPartitionerConfig,
    built_in: BuiltInPartitioner,
}

impl JavaPartitioner {
    /// A partitioner for one topic.
    #[must_use]
    pub fn new(config: JavaPartitionerConfig) -> Self {
        Self {
            config,
            built_in: BuiltInPartitioner::new(config.batch_size),
        }
    }

    /// The settings in force.
    #[must_use]
    pub fn config(&self) -> &JavaPartitionerConfig {
        &self.config
    }

    /// The built-in sticky partitioner, to feed it load statistics or
    /// inspect it.
    pub fn built_in_mut(&mut self) -> &mut BuiltInPartitioner {
        &mut self.built_in
    }

    /// The built-in sticky partitioner.
    #[must_use]
    pub fn built_in(&self) -> &BuiltInPartitioner {
        &self.built_in
    }

    /// The partition a record of `record_bytes` bytes goes to. Unkeyed
    /// records go to the sticky partition and count against it; this
    /// simplification of the accumulator always allows the switch (as when
    /// every batch in the queue is full). Callers that model batches call
    /// [`BuiltInPartitioner::update_partition_info`] themselves.
    ///
    /// # Errors
    /// [`PartitionerError::InvalidPartitionCount`] if `available` is empty.
    pub fn partition(
        &mut self,
        key: Option<&[u8]>,
        record_bytes: u32,
        available: &[bool],
        rng: &mut Rng,
    ) -> Result<i32, PartitionerError> {
        let count = count_of(available)?;
        if let Some(p) = java_keyed_partition(key, self.config.ignore_keys, count)? {
            return Ok(p);
        }
        let partition = self.built_in.current_partition(available, rng)?;
        self.built_in
            .update_partition_info(record_bytes, true, available, rng)?;
        Ok(partition)
    }
}

// ---------------------------------------------------------------------------
// librdkafka
// ---------------------------------------------------------------------------

/// librdkafka's built-in partitioners, named as its `partitioner` topic
/// setting names them. The default is `consistent_random`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PartitionerKind {
    /// `random`: a random partition, retried once if it has no leader.
    Random,
    /// `consistent`: CRC-32 of the key; no key hashes like an empty one.
    Consistent,
    /// `consistent_random`: CRC-32 of a non-empty key, random otherwise.
    #[default]
    ConsistentRandom,
    /// `murmur2`: Java-compatible murmur2 of the key; no key hashes like an
    /// empty one.
    Murmur2,
    /// `murmur2_random`: Java-compatible murmur2 of the key (an empty key
    /// too), random when there is no key.
    Murmur2Random,
    /// `fnv1a`: FNV-1a of the key (Sarama-compatible); no key hashes like an
    /// empty one.
    Fnv1a,
    /// `fnv1a_random`: FNV-1a of the key (an empty key too), random when
    /// there is no key.
    Fnv1aRandom,
}

impl PartitionerKind {
    /// Every strategy, in librdkafka's documentation order.
    pub const ALL: [Self; 7] = [
        Self::Random,
        Self::Consistent,
        Self::ConsistentRandom,
        Self::Murmur2,
        Self::Murmur2Random,
        Self::Fnv1a,
        Self::Fnv1aRandom,
    ];

    /// The `partitioner` setting value.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Random => "random",
            Self::Consistent => "consistent",
            Self::ConsistentRandom => "consistent_random",
            Self::Murmur2 => "murmur2",
            Self::Murmur2Random => "murmur2_random",
            Self::Fnv1a => "fnv1a",
            Self::Fnv1aRandom => "fnv1a_random",
        }
    }

    /// Whether librdkafka sends records of this kind that have no key to the
    /// sticky partition instead of calling the partitioner
    /// (`rkt_conf.random_partitioner` is false): for every kind except the
    /// three purely hashing ones, and only while
    /// `sticky.partitioning.linger.ms` is above 0.
    #[must_use]
    pub const fn uses_sticky_partitioning(self, sticky_linger_ms: i64) -> bool {
        sticky_linger_ms > 0 && !matches!(self, Self::Consistent | Self::Murmur2 | Self::Fnv1a)
    }

    /// The partitioner function itself (`rd_kafka_msg_partitioner_*`),
    /// without the sticky step in front of it (see [`LibrdkafkaPartitioner`]).
    /// `available` has one entry per partition id, true where the partition
    /// has a leader; only `random` looks at it.
    ///
    /// # Errors
    /// [`PartitionerError::InvalidPartitionCount`] if `available` is empty.
    pub fn partition(
        self,
        key: Option<&[u8]>,
        available: &[bool],
        rng: &mut Rng,
    ) -> Result<i32, PartitionerError> {
        let count = count_of(available)?;
        // librdkafka passes a NULL key with length 0.
        let bytes = key.unwrap_or(&[]);
        let p = match self {
            Self::Random => random_partition(available, count, rng),
            Self::Consistent => unsigned_mod(crc32(bytes), count),
            Self::ConsistentRandom => {
                if bytes.is_empty() {
                    random_partition(available, count, rng)
                } else {
                    unsigned_mod(crc32(bytes), count)
                }
            }
            Self::Murmur2 => librdkafka_murmur2(bytes, count),
            Self::Murmur2Random => match key {
                None => random_partition(available, count, rng),
                Some(k) => librdkafka_murmur2(k, count),
            },
            Self::Fnv1a => unsigned_mod(fnv1a(bytes), count),
            Self::Fnv1aRandom => match key {
                None => random_partition(available, count, rng),
                Some(k) => unsigned_mod(fnv1a(k), count),
            },
        };
        Ok(p)
    }
}

/// `rd_kafka_msg_partitioner_murmur2`: `(rd_murmur2(key) & 0x7fffffff) %
/// partition_cnt`, parenthesised as written, so the same as Java's.
fn librdkafka_murmur2(key: &[u8], count: i32) -> i32 {
    // Bit reinterpretation of the Java int as C's uint32_t.
    unsigned_mod(murmur2(key) as u32 & 0x7fff_ffff, count)
}

/// `rd_kafka_msg_partitioner_random`: `rd_jitter(0, cnt - 1)`, and if that
/// partition has no leader one more draw, taken whatever it is.
fn random_partition(available: &[bool], count: i32, rng: &mut Rng) -> i32 {
    let n = count.unsigned_abs();
    let draw = |rng: &mut Rng| i32::try_from(rng.below(n)).unwrap_or(0);
    let p = draw(rng);
    if is_available(available, p) {
        p
    } else {
        draw(rng)
    }
}

impl fmt::Display for PartitionerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PartitionerKind {
    type Err = PartitionerError;

    /// Parses a `partitioner` value exactly as librdkafka does: the seven
    /// names, case-sensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == s)
            .ok_or_else(|| PartitionerError::UnknownPartitioner(s.to_owned()))
    }
}

/// librdkafka's whole decision for one record without an explicit
/// partition (`rd_kafka_msg_partitioner`): records without a key, and for
/// `consistent_random` records with an empty key, go to a sticky partition
/// that is redrawn at random once `sticky.partitioning.linger.ms` has passed
/// or as soon as it loses its leader; everything else goes through the
/// configured [`PartitionerKind`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibrdkafkaPartitioner {
    kind: PartitionerKind,
    sticky_linger_ms: i64,
    sticky_partition: Option<i32>,
    last_switch: Option<Millis>,
}

impl LibrdkafkaPartitioner {
    /// A partitioner for one topic, with `partitioner` = `kind` and
    /// `sticky.partitioning.linger.ms` = `sticky_linger_ms` (0 turns sticky
    /// partitioning off).
    #[must_use]
    pub fn new(kind: PartitionerKind, sticky_linger_ms: i64) -> Self {
        Self {
            kind,
            sticky_linger_ms,
            sticky_partition: None,
            last_switch: None,
        }
    }

    /// The configured strategy.
    #[must_use]
    pub fn kind(&self) -> PartitionerKind {
        self.kind
    }

    /// The current sticky partition, if one has been drawn.
    #[must_use]
    pub fn sticky_partition(&self) -> Option<i32> {
        self.sticky_partition
    }

    /// Whether a record with this key goes to the sticky partition.
    #[must_use]
    pub fn is_sticky_for(&self, key: Option<&[u8]>) -> bool {
        self.kind.uses_sticky_partitioning(self.sticky_linger_ms)
            && match key {
                None => true,
                Some(k) => k.is_empty() && self.kind == PartitionerKind::ConsistentRandom,
            }
    }

    /// The partition for a record with `key` produced at `now`.
    ///
    /// The sticky interval follows `rd_interval`: the partition is redrawn
    /// on first use, when `now` is strictly later than the last draw plus the
    /// linger, or at once when the sticky partition has no leader.
    /// librdkafka measures in microseconds; the engine's clock has
    /// milliseconds.
    ///
    /// # Errors
    /// [`PartitionerError::InvalidPartitionCount`] if `available` is empty.
    pub fn partition(
        &mut self,
        key: Option<&[u8]>,
        available: &[bool],
        now: Millis,
        rng: &mut Rng,
    ) -> Result<i32, PartitionerError> {
        let count = count_of(available)?;
        if !self.is_sticky_for(key) {
            return self.kind.partition(key, available, rng);
        }
        let current = self
            .sticky_partition
            .filter(|&p| is_available(available, p));
        let due = match (current, self.last_switch) {
            (Some(_), Some(last)) => now.since(last) > self.sticky_linger_ms,
            _ => true,
        };
        match current {
            Some(p) if !due => Ok(p),
            _ => {
                let p = random_partition(available, count, rng);
                self.sticky_partition = Some(p);
                self.last_switch = Some(now);
                Ok(p)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_up(n: usize) -> Vec<bool> {
        vec![true; n]
    }

    // --- Java: UtilsTest.testMurmur2 -------------------------------------

    #[test]
    fn java_murmur2_vectors() {
        let cases: [(&[u8], i32); 6] = [
            (b"21", -973_932_308),
            (b"foobar", -790_332_482),
            (b"a-little-bit-long-string", -985_981_536),
            (b"a-little-bit-longer-string", -1_486_304_829),
            (
                b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58_897_971,
            ),
            (b"abc", 479_470_107),
        ];
        for (key, want) in cases {
            assert_eq!(murmur2(key), want, "{:?}", String::from_utf8_lossy(key));
        }
    }

    #[test]
    fn to_positive_clears_the_sign_bit_only() {
        assert_eq!(to_positive(5), 5);
        assert_eq!(to_positive(-1), i32::MAX);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(-973_932_308), -973_932_308 & 0x7fff_ffff);
    }

    // --- librdkafka: unittest_murmur2 and unittest_fnv1a ------------------

    /// The keys of librdkafka's hash unit tests: the unaligned ones are
    /// suffixes of two strings, and the last two are "" and NULL.
    fn librdkafka_test_keys() -> [Option<&'static [u8]>; 12] {
        const SHORT: &[u8] = b"1234";
        const LONG: &[u8] = b"PreAmbleWillBeRemoved,ThePrePartThatIs";
        [
            Some(b"kafka"),
            Some(b"giberish123456789"),
            Some(SHORT),
            Some(&SHORT[1..]),
            Some(&SHORT[2..]),
            Some(&SHORT[3..]),
            Some(LONG),
            Some(&LONG[1..]),
            Some(&LONG[2..]),
            Some(&LONG[3..]),
            Some(b""),
            None,
        ]
    }

    #[test]
    fn librdkafka_murmur2_vectors() {
        let expected: [u32; 12] = [
            0xd067_cf64,
            0x8f55_2b0c,
            0x9fc9_7b14,
            0xe7c0_09ca,
            0x8739_30da,
            0x5a4b_5ca1,
            0x7842_4f1c,
            0x4a62_b377,
            0xe0e4_e09e,
            0x62b8_b43f,
            0x106e_08d9,
            0x106e_08d9,
        ];
        for (key, want) in librdkafka_test_keys().into_iter().zip(expected) {
            // rd_murmur2(NULL, 0) hashes no bytes, like "".
            let got = murmur2(key.unwrap_or(&[])) as u32;
            assert_eq!(got, want, "{key:?}");
        }
    }

    #[test]
    fn librdkafka_murmurhashneutral2_vectors() {
        // An older librdkafka unit test compares the sign-cleared hash.
        let cases: [(&[u8], i32); 3] = [
            (b"kafka", 1_348_980_580),
            (b"amqp", 767_747_138),
            (b"giberish123456789", 257_239_820),
        ];
        for (key, want) in cases {
            assert_eq!(to_positive(murmur2(key)), want);
        }
    }

    #[test]
    fn librdkafka_fnv1a_vectors() {
        let expected: [u32; 12] = [
            0x0d33_c4e1,
            0x77a5_8295,
            0x023b_dd03,
            0x2dea_3cd2,
            0x740f_a83e,
            0x310c_a263,
            0x65cb_d69c,
            0x6e49_c79a,
            0x69ee_d356,
            0x6abc_c023,
            0x7ee3_623b,
            0x7ee3_623b,
        ];
        for (key, want) in librdkafka_test_keys().into_iter().zip(expected) {
            assert_eq!(fnv1a(key.unwrap_or(&[])), want, "{key:?}");
        }
    }

    // --- CRC-32 / consistent ----------------------------------------------

    #[test]
    fn crc32_is_iso_hdlc() {
        // The catalogue check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
        // Python: zlib.crc32(b"kafka") == 1539077399.
        assert_eq!(crc32(b"kafka"), 1_539_077_399);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414f_a339
        );
    }

    #[test]
    fn consistent_partitions_by_crc32() {
        let mut rng = Rng::seeded(1);
        let up = all_up(12);
        // 1539077399 % 12 == 11, % 7 == 6.
        assert_eq!(
            PartitionerKind::Consistent.partition(Some(b"kafka"), &up, &mut rng),
            Ok(11)
        );
        assert_eq!(
            PartitionerKind::Consistent.partition(Some(b"kafka"), &all_up(7), &mut rng),
            Ok(6)
        );
        // 0xcbf43926 == 3421780262, above i32::MAX: the modulo is unsigned.
        assert_eq!(
            PartitionerKind::Consistent.partition(Some(b"123456789"), &up, &mut rng),
            Ok(i32::try_from(3_421_780_262_u32 % 12).unwrap())
        );
        // No key and an empty key both hash to CRC 0: partition 0.
        for n in [1, 3, 12] {
            for key in [None, Some(&b""[..])] {
                assert_eq!(
                    PartitionerKind::Consistent.partition(key, &all_up(n), &mut rng),
                    Ok(0)
                );
            }
        }
        // consistent_random hashes non-empty keys the same way.
        assert_eq!(
            PartitionerKind::ConsistentRandom.partition(Some(b"kafka"), &up, &mut rng),
            Ok(11)
        );
    }

    // --- Java and librdkafka agree on murmur2 -----------------------------

    #[test]
    fn java_and_librdkafka_murmur2_agree_on_keyed_records() {
        let mut rng = Rng::seeded(3);
        for i in 0..2_000 {
            let key = format!("user-{i}");
            for n in [1, 2, 3, 6, 10, 64, 1_000] {
                let java = java_partition_for_key(key.as_bytes(), n).unwrap();
                let up = all_up(usize::try_from(n).unwrap());
                for kind in [PartitionerKind::Murmur2, PartitionerKind::Murmur2Random] {
                    assert_eq!(
                        kind.partition(Some(key.as_bytes()), &up, &mut rng),
                        Ok(java)
                    );
                }
            }
        }
        // The empty key too; and librdkafka's murmur2 hashes a missing key
        // like the empty one.
        let empty = java_partition_for_key(b"", 6).unwrap();
        assert_eq!(empty, 0x106e_08d9 % 6);
        assert_eq!(
            PartitionerKind::Murmur2.partition(None, &all_up(6), &mut rng),
            Ok(empty)
        );
    }

    #[test]
    fn java_keyed_partition_null_empty_and_ignore_keys() {
        assert_eq!(java_keyed_partition(None, false, 6), Ok(None));
        assert_eq!(
            java_keyed_partition(Some(b""), false, 6),
            Ok(Some(0x106e_08d9 % 6))
        );
        assert_eq!(java_keyed_partition(Some(b"foobar"), true, 6), Ok(None));
        assert_eq!(
            java_keyed_partition(Some(b"foobar"), false, 6),
            Ok(Some(to_positive(-790_332_482) % 6))
        );
    }

    // --- Java BuiltInPartitioner (BuiltInPartitionerTest) ------------------

    /// Java's test mock: `mockRandom.getAndAdd(1)`.
    fn sequential() -> impl FnMut() -> i32 {
        let mut next = 0;
        move || {
            let r = next;
            next += 1;
            r
        }
    }

    #[test]
    fn sticky_partitioning_switches_after_batch_size() {
        let up = all_up(3);
        let mut random = sequential();
        let mut p = BuiltInPartitioner::new(3);
        let part_a = p.current_partition_with(&up, &mut random).unwrap();
        for _ in 0..2 {
            assert_eq!(
                p.update_partition_info_with(1, true, &up, &mut random),
                Ok(None)
            );
            assert_eq!(p.current_partition_with(&up, &mut random), Ok(part_a));
        }
        let switched = p
            .update_partition_info_with(1, true, &up, &mut random)
            .unwrap();
        assert!(switched.is_some());
        assert_ne!(p.current_partition_with(&up, &mut random), Ok(part_a));

        // Switching works with a single partition too.
        let mut b = BuiltInPartitioner::new(1);
        for _ in 0..10 {
            assert_eq!(b.current_partition_with(&[true], &mut random), Ok(0));
            b.update_partition_info_with(1, true, &[true], &mut random)
                .unwrap();
        }
    }

    #[test]
    fn sticky_switch_waits_for_full_batches_up_to_twice_batch_size() {
        let up = all_up(4);
        let mut rng = Rng::seeded(11);
        let mut p = BuiltInPartitioner::new(100);
        p.current_partition(&up, &mut rng).unwrap();
        // Enough bytes, but the accumulator's last batch is not full.
        assert_eq!(p.update_partition_info(150, false, &up, &mut rng), Ok(None));
        assert_eq!(p.produced_bytes(), 150);
        // Twice batch.size switches regardless.
        assert!(p
            .update_partition_info(50, false, &up, &mut rng)
            .unwrap()
            .is_some());
        assert_eq!(p.produced_bytes(), 0);
        // The accumulator's "complete a disabled switch" call: 0 bytes.
        p.update_partition_info(120, false, &up, &mut rng).unwrap();
        assert!(p
            .update_partition_info(0, true, &up, &mut rng)
            .unwrap()
            .is_some());
    }

    #[test]
    fn java_partitioner_sticks_for_batch_size_bytes_then_moves() {
        let up = all_up(6);
        let mut rng = Rng::seeded(2024);
        let config = JavaPartitionerConfig {
            batch_size: 1_000,
            ..JavaPartitionerConfig::default()
        };
        let mut p = JavaPartitioner::new(config);
        let mut runs = Vec::new();
        let mut last = None;
        for _ in 0..400 {
            let part = p.partition(None, 100, &up, &mut rng).unwrap();
            if last != Some(part) {
                runs.push((part, 0));
                last = Some(part);
            }
            if let Some(run) = runs.last_mut() {
                run.1 += 1;
            }
        }
        // Every complete stint is exactly batch.size / record size = 10
        // records, or a multiple of it when the draw repeated a partition.
        for &(_, len) in &runs[..runs.len() - 1] {
            assert_eq!(len % 10, 0, "{runs:?}");
        }
        let used: crate::collections::OrdSet<i32> = runs.iter().map(|r| r.0).collect();
        assert!(used.len() >= 4, "{runs:?}");
        // Keyed records ignore the sticky partition.
        assert_eq!(
            p.partition(Some(b"foobar"), 100, &up, &mut rng),
            java_partition_for_key(b"foobar", 6)
        );
    }

    #[test]
    fn unavailable_partitions_are_never_chosen() {
        let mut random = sequential();
        // Topic A: partition 1 has no leader.
        let topic_a = [true, false, true];
        let mut a = BuiltInPartitioner::new(1);
        let first = a.current_partition_with(&topic_a, &mut random).unwrap();
        a.update_partition_info_with(1, true, &topic_a, &mut random)
            .unwrap();
        assert_ne!(first, 1);
        let mut other = false;
        for _ in 0..100 {
            let p = a.current_partition_with(&topic_a, &mut random).unwrap();
            a.update_partition_info_with(1, true, &topic_a, &mut random)
                .unwrap();
            assert_ne!(p, 1);
            other |= p != first;
        }
        assert!(other);

        // Topic B: only partition 1 has a leader.
        let topic_b = [false, true];
        let mut b = BuiltInPartitioner::new(1);
        for _ in 0..100 {
            assert_eq!(b.current_partition_with(&topic_b, &mut random), Ok(1));
            b.update_partition_info_with(1, true, &topic_b, &mut random)
                .unwrap();
        }

        // Topic C: nothing has a leader; a partition is still chosen.
        let topic_c = [false];
        let mut c = BuiltInPartitioner::new(1);
        assert_eq!(c.current_partition_with(&topic_c, &mut random), Ok(0));
        c.update_partition_info_with(1, true, &topic_c, &mut random)
            .unwrap();
        assert_eq!(c.current_partition_with(&topic_c, &mut random), Ok(0));
    }

    #[test]
    fn adaptive_frequencies_are_reciprocal_to_queue_sizes() {
        let mut random = sequential();
        let mut p = BuiltInPartitioner::new(1);
        let queue_sizes = [5, 0, 3, 0, 1];
        let ids = [0, 1, 2, 3, 4];
        p.update_partition_load_stats(&queue_sizes, &ids, queue_sizes.len());
        let (cft, _) = p.load_stats().unwrap();
        assert_eq!(cft, &[1, 7, 10, 16, 21]);
        let up = all_up(5);
        let cycles = 2;
        let iterations = 21 * cycles;
        let mut frequencies = [0_u32; 5];
        for _ in 0..iterations {
            let part = p.current_partition_with(&up, &mut random).unwrap();
            frequencies[usize::try_from(part).unwrap()] += 1;
            p.update_partition_info_with(1, true, &up, &mut random)
                .unwrap();
        }
        let expected: Vec<u32> = queue_sizes.iter().map(|&q| (6 - q) * 2).collect();
        assert_eq!(frequencies.to_vec(), expected);
    }

    #[test]
    fn adaptive_choice_avoids_a_partition_with_a_huge_queue() {
        let up = all_up(4);
        let mut rng = Rng::seeded(0x5eed);
        let mut p = BuiltInPartitioner::new(1);
        // Partition 2 has 1 000 batches queued, the others 0, 1 and 2.
        p.update_partition_load_stats(&[0, 1, 1_000, 2], &[0, 1, 2, 3], 4);
        let mut counts = [0_u32; 4];
        let draws = 10_000;
        for _ in 0..draws {
            let part = p.current_partition(&up, &mut rng).unwrap();
            counts[usize::try_from(part).unwrap()] += 1;
            p.update_partition_info(1, true, &up, &mut rng).unwrap();
        }
        // Weights 1001, 1000, 1, 999 out of 3001: partition 2 gets about
        // 3 draws in 10 000; the others about a third each.
        assert!(counts[2] < 50, "{counts:?}");
        for i in [0, 1, 3] {
            assert!((2_900..=3_800).contains(&counts[i]), "{counts:?}");
        }
    }

    #[test]
    fn load_stats_are_dropped_when_not_useful() {
        let mut p = BuiltInPartitioner::new(1);
        p.update_partition_load_stats(&[3, 3, 3], &[0, 1, 2], 3);
        assert!(p.load_stats().is_none(), "equal queues: uniform");
        p.update_partition_load_stats(&[3, 3, 3], &[0, 1, 2], 2);
        let (cft, ids) = p.load_stats().unwrap();
        assert_eq!((cft, ids), (&[1_i64, 2][..], &[0, 1][..]), "one excluded");
        p.update_partition_load_stats(&[7], &[0], 1);
        assert!(p.load_stats().is_none(), "a single partition");
        p.update_partition_load_stats(&[1, 2], &[0, 1], 0);
        assert!(p.load_stats().is_none(), "all excluded");
    }

    #[test]
    fn availability_timeout_excludes_slow_leaders() {
        let slow = Some(NodeLatencyStats {
            ready_time: Millis(10_000),
            drain_time: Millis(1_000),
        });
        let fast = Some(NodeLatencyStats {
            ready_time: Millis(10_000),
            drain_time: Millis(9_990),
        });
        let queue = |partition, queued_batches, leader_latency| PartitionQueue {
            partition,
            has_leader: true,
            queued_batches,
            leader_latency,
        };
        let queues = [queue(0, 2, fast), queue(1, 2, slow), queue(2, 2, fast)];
        let config = JavaPartitionerConfig {
            availability_timeout_ms: 5_000,
            ..JavaPartitionerConfig::default()
        };
        let mut p = BuiltInPartitioner::new(1);
        p.update_load_stats_from_queues(&queues, 3, &config);
        let (cft, ids) = p.load_stats().unwrap();
        assert_eq!(ids, &[0, 2]);
        assert_eq!(cft, &[1, 2]);
        let mut rng = Rng::seeded(8);
        let up = all_up(3);
        for _ in 0..500 {
            assert_ne!(p.current_partition(&up, &mut rng), Ok(1));
            p.update_partition_info(1, true, &up, &mut rng).unwrap();
        }

        // Without the timeout, equal queues: uniform.
        p.update_load_stats_from_queues(&queues, 3, &JavaPartitionerConfig::default());
        assert!(p.load_stats().is_none());
        // Adaptive off: never any statistics.
        let off = JavaPartitionerConfig {
            adaptive_partitioning_enable: false,
            ..config
        };
        p.update_load_stats_from_queues(&queues, 3, &off);
        assert!(p.load_stats().is_none());
        // Not every partition has a queue yet: uniform.
        p.update_load_stats_from_queues(&queues[..2], 3, &config);
        assert!(p.load_stats().is_none());
        // A partition without a leader is left out of the table.
        let mut leaderless = queues;
        leaderless[1] = PartitionQueue {
            has_leader: false,
            leader_latency: None,
            ..queues[1]
        };
        p.update_load_stats_from_queues(&leaderless, 3, &JavaPartitionerConfig::default());
        let (cft, ids) = p.load_stats().unwrap();
        assert_eq!((cft, ids), (&[1_i64, 2][..], &[0, 2][..]));
    }

    #[test]
    fn an_empty_queue_after_an_excluded_one_inherits_its_size_as_in_java() {
        // Java writes the excluded partition's size into the slot it then
        // hands to the next partition, and skips empty queues before
        // writing theirs, so partition 1 below is weighted as if it had
        // partition 0's two batches.
        let slow = Some(NodeLatencyStats {
            ready_time: Millis(60_000),
            drain_time: Millis(0),
        });
        let queues = [
            PartitionQueue {
                partition: 0,
                has_leader: true,
                queued_batches: 2,
                leader_latency: slow,
            },
            PartitionQueue {
                partition: 1,
                has_leader: true,
                queued_batches: 0,
                leader_latency: None,
            },
            PartitionQueue {
                partition: 2,
                has_leader: true,
                queued_batches: 1,
                leader_latency: None,
            },
        ];
        let config = JavaPartitionerConfig {
            availability_timeout_ms: 1_000,
            ..JavaPartitionerConfig::default()
        };
        let mut p = BuiltInPartitioner::new(1);
        p.update_load_stats_from_queues(&queues, 3, &config);
        let (cft, ids) = p.load_stats().unwrap();
        assert_eq!(ids, &[1, 2]);
        // Sizes [2, 1]: weights 3 - 2 = 1 and 3 - 1 = 2.
        assert_eq!(cft, &[1, 3]);
    }

    #[test]
    fn batch_size_zero_means_one() {
        let up = all_up(2);
        let mut rng = Rng::seeded(4);
        let mut p = BuiltInPartitioner::new(0);
        p.current_partition(&up, &mut rng).unwrap();
        assert!(p
            .update_partition_info(1, true, &up, &mut rng)
            .unwrap()
            .is_some());
    }

    // --- librdkafka: null vs empty keys, sticky linger -------------------

    #[test]
    fn librdkafka_random_kinds_hash_keys_and_randomise_missing_ones() {
        let up = all_up(8);
        let mut rng = Rng::seeded(99);
        // Non-random flavours of the same hash give the same partition.
        for key in [&b"kafka"[..], &b"a"[..], &b"giberish123456789"[..]] {
            let m = PartitionerKind::Murmur2.partition(Some(key), &up, &mut rng);
            let f = PartitionerKind::Fnv1a.partition(Some(key), &up, &mut rng);
            assert_eq!(
                PartitionerKind::Murmur2Random.partition(Some(key), &up, &mut rng),
                m
            );
            assert_eq!(
                PartitionerKind::Fnv1aRandom.partition(Some(key), &up, &mut rng),
                f
            );
        }
        // An empty key is hashed by murmur2_random and fnv1a_random ...
        assert_eq!(
            PartitionerKind::Murmur2Random.partition(Some(b""), &up, &mut rng),
            Ok(0x106e_08d9 % 8)
        );
        assert_eq!(
            PartitionerKind::Fnv1aRandom.partition(Some(b""), &up, &mut rng),
            Ok(0x7ee3_623b % 8)
        );
        assert_eq!(
            PartitionerKind::Fnv1a.partition(None, &up, &mut rng),
            Ok(0x7ee3_623b % 8)
        );
        // ... but spread at random by consistent_random, and a missing key
        // is spread at random by every *_random kind and by random.
        let random_kinds = [
            (PartitionerKind::ConsistentRandom, Some(&b""[..])),
            (PartitionerKind::ConsistentRandom, None),
            (PartitionerKind::Murmur2Random, None),
            (PartitionerKind::Fnv1aRandom, None),
            (PartitionerKind::Random, None),
            (PartitionerKind::Random, Some(&b"kafka"[..])),
        ];
        for (kind, key) in random_kinds {
            let seen: crate::collections::OrdSet<i32> = (0..200)
                .map(|_| kind.partition(key, &up, &mut rng).unwrap())
                .collect();
            assert_eq!(seen.len(), 8, "{kind} {key:?}");
        }
    }

    #[test]
    fn librdkafka_random_retries_once_on_a_leaderless_partition() {
        let mut rng = Rng::seeded(12);
        // Half the partitions lack a leader: one retry makes a leaderless
        // pick a quarter as likely, not impossible.
        let avail = [true, false, true, false];
        let mut bad = 0;
        for _ in 0..8_000 {
            let p = PartitionerKind::Random
                .partition(None, &avail, &mut rng)
                .unwrap();
            assert!((0..4).contains(&p));
            bad += usize::from(!avail[usize::try_from(p).unwrap()]);
        }
        assert!((1_600..=2_400).contains(&bad), "{bad}");
    }

    #[test]
    fn librdkafka_sticky_decision_per_kind() {
        let linger = LIBRDKAFKA_DEFAULT_STICKY_LINGER_MS;
        let sticky =
            |kind, key: Option<&[u8]>| LibrdkafkaPartitioner::new(kind, linger).is_sticky_for(key);
        for kind in PartitionerKind::ALL {
            let hashing_only = matches!(
                kind,
                PartitionerKind::Consistent | PartitionerKind::Murmur2 | PartitionerKind::Fnv1a
            );
            assert_eq!(sticky(kind, None), !hashing_only, "{kind}");
            assert!(!sticky(kind, Some(b"k")), "{kind}");
            assert_eq!(
                sticky(kind, Some(b"")),
                kind == PartitionerKind::ConsistentRandom,
                "{kind}"
            );
            // sticky.partitioning.linger.ms=0 turns it off for everyone.
            assert!(!LibrdkafkaPartitioner::new(kind, 0).is_sticky_for(None));
        }
    }

    #[test]
    fn librdkafka_sticky_partition_changes_after_linger() {
        let up = all_up(16);
        let mut rng = Rng::seeded(77);
        let mut p = LibrdkafkaPartitioner::new(PartitionerKind::default(), 10);
        let t0 = Millis(1_000);
        let first = p.partition(None, &up, t0, &mut rng).unwrap();
        // Within the linger (and at exactly the linger) it sticks.
        for dt in [0, 3, 10] {
            assert_eq!(p.partition(None, &up, t0.plus(dt), &mut rng), Ok(first));
            assert_eq!(
                p.partition(Some(b""), &up, t0.plus(dt), &mut rng),
                Ok(first)
            );
        }
        // Keyed records are hashed meanwhile, without touching it.
        assert_eq!(
            p.partition(Some(b"kafka"), &up, t0, &mut rng),
            Ok(1_539_077_399 % 16)
        );
        // After it, a new draw; over many lingers several partitions.
        let mut seen = crate::collections::OrdSet::new();
        let mut t = t0;
        for _ in 0..50 {
            t = t.plus(11);
            seen.insert(p.partition(None, &up, t, &mut rng).unwrap());
        }
        assert!(seen.len() > 5, "{seen:?}");
        // Losing the leader forces a redraw at once.
        let current = p.sticky_partition().unwrap();
        let mut down = up.clone();
        down[usize::try_from(current).unwrap()] = false;
        let soon = t.plus(1);
        let next = p.partition(None, &down, soon, &mut rng).unwrap();
        assert_eq!(p.sticky_partition(), Some(next));
        assert_eq!(p.last_switch, Some(soon));
        // While it has a leader, one millisecond later it still sticks.
        if down[usize::try_from(next).unwrap()] {
            assert_eq!(p.partition(None, &down, soon.plus(1), &mut rng), Ok(next));
            assert_eq!(p.last_switch, Some(soon));
        }
    }

    #[test]
    fn librdkafka_hashing_kinds_never_stick() {
        let up = all_up(5);
        let mut rng = Rng::seeded(5);
        let mut p = LibrdkafkaPartitioner::new(PartitionerKind::Murmur2, 10);
        for t in 0..20 {
            assert_eq!(
                p.partition(None, &up, Millis(t), &mut rng),
                Ok(0x106e_08d9 % 5)
            );
        }
        assert_eq!(p.sticky_partition(), None);
        let mut c = LibrdkafkaPartitioner::new(PartitionerKind::Consistent, 10);
        assert_eq!(c.partition(None, &up, Millis(0), &mut rng), Ok(0));
        assert_eq!(c.partition(Some(b""), &up, Millis(0), &mut rng), Ok(0));
    }

    // --- names, errors, determinism ---------------------------------------

    #[test]
    fn partitioner_names_round_trip() {
        let names = [
            "random",
            "consistent",
            "consistent_random",
            "murmur2",
            "murmur2_random",
            "fnv1a",
            "fnv1a_random",
        ];
        for (kind, name) in PartitionerKind::ALL.into_iter().zip(names) {
            assert_eq!(kind.to_string(), name);
            assert_eq!(name.parse::<PartitionerKind>(), Ok(kind));
        }
        assert_eq!(
            PartitionerKind::default(),
            PartitionerKind::ConsistentRandom
        );
    }

    #[test]
    fn unknown_partitioner_name_is_an_error_with_librdkafkas_text() {
        for bad in ["", "Murmur2", "murmur3", "round_robin", "murmur2 "] {
            let err = bad.parse::<PartitionerKind>().unwrap_err();
            assert_eq!(err, PartitionerError::UnknownPartitioner(bad.to_owned()));
            assert_eq!(
                err.to_string(),
                format!("Invalid value for configuration property \"partitioner\": {bad}")
            );
        }
    }

    #[test]
    fn zero_partitions_is_an_error_everywhere() {
        let mut rng = Rng::seeded(0);
        let err = PartitionerError::InvalidPartitionCount(0);
        assert_eq!(java_partition_for_key(b"k", 0), Err(err.clone()));
        assert_eq!(
            java_partition_for_key(b"k", -3),
            Err(PartitionerError::InvalidPartitionCount(-3))
        );
        assert_eq!(java_keyed_partition(None, false, 0), Err(err.clone()));
        for kind in PartitionerKind::ALL {
            for key in [None, Some(&b""[..]), Some(&b"k"[..])] {
                assert_eq!(kind.partition(key, &[], &mut rng), Err(err.clone()));
                let mut p = LibrdkafkaPartitioner::new(kind, 10);
                assert_eq!(p.partition(key, &[], Millis(0), &mut rng), Err(err.clone()));
            }
        }
        let mut b = BuiltInPartitioner::new(10);
        assert_eq!(b.current_partition(&[], &mut rng), Err(err.clone()));
        assert_eq!(
            b.update_partition_info(1, true, &[], &mut rng),
            Err(err.clone())
        );
        let mut j = JavaPartitioner::new(JavaPartitionerConfig::default());
        assert_eq!(j.partition(Some(b"k"), 1, &[], &mut rng), Err(err.clone()));
        assert!(err.to_string().contains("Invalid partition count 0"));
    }

    #[test]
    fn same_seed_same_partitions() {
        let up = all_up(9);
        let run = |seed| {
            let mut rng = Rng::seeded(seed);
            let mut java = JavaPartitioner::new(JavaPartitionerConfig {
                batch_size: 300,
                ..JavaPartitionerConfig::default()
            });
            let mut rd = LibrdkafkaPartitioner::new(PartitionerKind::Random, 10);
            (0..500_i64)
                .map(|i| {
                    let a = java.partition(None, 100, &up, &mut rng).unwrap();
                    let b = rd.partition(None, &up, Millis(i * 3), &mut rng).unwrap();
                    let c = PartitionerKind::Random
                        .partition(Some(b"k"), &up, &mut rng)
                        .unwrap();
                    (a, b, c)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(run(31), run(31));
        assert_ne!(run(31), run(32));
    }
}
