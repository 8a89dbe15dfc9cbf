//! View models read straight from the engine: what each [`Query`] answers.
//! Pure functions of the engine's state, so the same state gives the same
//! model in the worker, on the server and in native tests.

use engine::compact_sort;
use engine::consumer_offsets::{OffsetCommitValue, OffsetsKey};
use engine::group::protocol::ProtocolAssignment;
use engine::playground::ConsumerRef;
use engine::record::{decode_batch, records_section, Compression};
use port::{
    AutoCommitModel, BatchBytesModel, BatchSpan, BrokerModel, ClusterModel, ConsumerModel,
    ConsumersModel, EventsModel, GroupMemberModel, GroupModel, GroupOffsetModel, PartitionModel,
    Query, RecordField, RecordModel, RecordsModel, Text, TopicModel, ViewModel,
};

use crate::Engine;

/// The bytes one read of a records window asks for (whole batches, at
/// least one): a window reads again until it has its records, so a small
/// read keeps a 50-record window from copying and decoding megabytes.
const WINDOW_READ_BYTES: u64 = 16 << 10;

/// The model answering `query` (the clock's is the answerer's: this gives
/// `Unavailable` for [`Query::Clock`]).
#[must_use]
pub fn answer(engine: &Engine, query: &Query) -> ViewModel {
    match query {
        Query::Cluster => ViewModel::Cluster(cluster(engine)),
        Query::Metrics => ViewModel::Metrics(port::MetricsModel {
            samples: engine.metrics(),
        }),
        Query::Consumers => ViewModel::Consumers(consumers(engine)),
        Query::Producers => ViewModel::Producers(engine.producers()),
        Query::Batch {
            topic,
            partition,
            offset,
        } => match batch(engine, topic, *partition, *offset) {
            Ok(model) => ViewModel::Batch(model),
            Err(reason) => ViewModel::Unavailable { reason },
        },
        Query::Events { limit, groups_only } => {
            ViewModel::Events(events(engine, *limit, *groups_only))
        }
        Query::Records {
            topic,
            partition,
            from_offset,
            limit,
        } => match records(engine, topic, *partition, *from_offset, *limit) {
            Ok(model) => ViewModel::Records(model),
            Err(reason) => ViewModel::Unavailable { reason },
        },
        Query::Clock => ViewModel::Unavailable {
            reason: "the clock is answered by the engine's host".into(),
        },
    }
}

/// Brokers and every topic with its partitions.
#[must_use]
pub fn cluster(engine: &Engine) -> ClusterModel {
    let cluster = engine.playground().cluster();
    let brokers = cluster
        .brokers()
        .into_iter()
        .map(|(id, online)| BrokerModel { id, online })
        .collect();
    let topics = cluster
        .list_topics(true)
        .into_iter()
        .filter_map(|name| cluster.describe_topic(&name).ok())
        .map(|d| TopicModel {
            name: d.name,
            internal: d.internal,
            partitions: d.partitions.into_iter().map(partition_model).collect(),
        })
        .collect();
    ClusterModel {
        brokers,
        topics,
        workload: engine.workload(),
    }
}

fn partition_model(p: engine::cluster::PartitionDescription) -> PartitionModel {
    PartitionModel {
        partition: p.partition,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        log_start_offset: p.log_start_offset,
        high_watermark: p.high_watermark,
        log_end_offset: p.log_end_offset,
        cleaned_to: p.cleaned_to,
    }
}

/// [`Command::DescribeTopics`](port::Command::DescribeTopics): the named
/// topics (every topic when none is named), by name.
///
/// # Errors
///
/// Kafka's `UNKNOWN_TOPIC_OR_PARTITION` for a topic that does not exist.
pub fn describe_topics(
    engine: &Engine,
    names: &[String],
) -> Result<Vec<port::TopicDescription>, engine::error::KafkaError> {
    let cluster = engine.playground().cluster();
    let mut names = if names.is_empty() {
        cluster.list_topics(true)
    } else {
        names.to_vec()
    };
    names.sort();
    names.dedup();
    names
        .iter()
        .map(|name| {
            let d = cluster.describe_topic(name)?;
            Ok(port::TopicDescription {
                internal: engine::cluster::is_kafka_internal(&d.name),
                name: d.name,
                topic_id: kafka_uuid(&d.topic_id),
                configs: d.config_overrides,
                partitions: d.partitions.into_iter().map(partition_model).collect(),
            })
        })
        .collect()
}

/// A Kafka `Uuid` as Kafka prints it (`Uuid.toString()`): URL-safe base64
/// of its 16 bytes without padding.
#[must_use]
pub fn kafka_uuid(bytes: &[u8; 16]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(22);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Simulated consumers and every group with members and committed offsets.
#[must_use]
pub fn consumers(engine: &Engine) -> ConsumersModel {
    let playground = engine.playground();
    let cluster = playground.cluster();
    let consumers = (0..playground.consumer_count())
        .filter_map(|index| {
            let c = playground.consumer(ConsumerRef(index))?;
            let phase = if c.is_closed() {
                "closed".to_owned()
            } else {
                match c.member_phase() {
                    Some(phase) => format!("{phase:?}"),
                    None => "not subscribed".to_owned(),
                }
            };
            let mut assigned: Vec<String> =
                c.assignment().iter().map(ToString::to_string).collect();
            compact_sort::sort(&mut assigned);
            let mut lag: Vec<(String, i64)> = c
                .lag(cluster)
                .into_iter()
                .map(|(tp, lag)| (tp.to_string(), lag))
                .collect();
            compact_sort::sort(&mut lag);
            let mut positions: Vec<(String, i64)> = c
                .assignment()
                .iter()
                .filter_map(|tp| Some((tp.to_string(), c.position(tp)?)))
                .collect();
            compact_sort::sort(&mut positions);
            let config = c.config();
            let flavour = crate::engine_ops::port_flavour(config.flavour);
            let auto_commit =
                (config.enable_auto_commit && config.group_id.is_some()).then(|| AutoCommitModel {
                    interval_ms: config.auto_commit_interval_ms,
                    last_at: c.last_auto_commit().map(|at| at.0),
                });
            Some(ConsumerModel {
                id: u32::try_from(index).ok()?,
                client_id: c.config().client_id.clone(),
                group_id: c.config().group_id.clone(),
                phase,
                member: c
                    .member_id()
                    .map(|(id, generation)| (id.to_owned(), generation)),
                assigned,
                lag,
                positions,
                received: engine.received(index),
                flavour,
                max_poll_records: crate::engine_ops::poll_records(config),
                auto_commit,
                assignors: config
                    .assignment_strategies
                    .iter()
                    .map(|a| a.name().to_owned())
                    .collect(),
            })
        })
        .collect();
    ConsumersModel {
        auto_poll: engine.auto_poll(),
        simulated: engine.simulated_clients(),
        consumers,
        groups: group_models(engine, &[]),
    }
}

/// Every group the coordinator knows (or the named ones), by id, with
/// members, assignments and committed offsets.
#[must_use]
pub fn group_models(engine: &Engine, named: &[String]) -> Vec<GroupModel> {
    let playground = engine.playground();
    let cluster = playground.cluster();
    let coordinator = playground.coordinator();
    coordinator
        .known_groups()
        .into_iter()
        .filter(|group_id| named.is_empty() || named.contains(group_id))
        .map(|group_id| {
            let d = coordinator.describe(&group_id).unwrap_or_default();
            let mut members: Vec<GroupMemberModel> = d
                .members
                .iter()
                .map(|(member_id, client_id, instance_id, bytes)| {
                    let mut partitions: Vec<String> = ProtocolAssignment::decode(bytes)
                        .map(|a| a.partitions.iter().map(ToString::to_string).collect())
                        .unwrap_or_default();
                    compact_sort::sort(&mut partitions);
                    GroupMemberModel {
                        member_id: member_id.clone(),
                        client_id: client_id.clone(),
                        instance_id: instance_id.clone(),
                        partitions,
                    }
                })
                .collect();
            compact_sort::sort_by_key(&mut members, |m| m.member_id.clone());
            let mut offsets: Vec<GroupOffsetModel> = coordinator
                .fetch_offsets(&group_id, None)
                .into_iter()
                .filter(|c| c.offset >= 0)
                .map(|c| {
                    let high_watermark = cluster
                        .describe_topic(&c.partition.topic)
                        .ok()
                        .and_then(|t| {
                            t.partitions
                                .into_iter()
                                .find(|p| p.partition == c.partition.partition)
                        })
                        .map_or(c.offset, |p| p.high_watermark);
                    GroupOffsetModel {
                        topic: c.partition.topic,
                        partition: c.partition.partition,
                        committed: c.offset,
                        high_watermark,
                        lag: (high_watermark - c.offset).max(0),
                    }
                })
                .collect();
            compact_sort::sort_by_key(&mut offsets, |o| (o.topic.clone(), o.partition));
            GroupModel {
                group_id,
                state: d.state.name().to_owned(),
                generation: d.generation_id,
                assignor: d.protocol_name,
                leader: d.leader,
                members,
                offsets,
            }
        })
        .collect()
}

/// The newest `limit` events (of consumer groups only, if asked).
#[must_use]
pub fn events(engine: &Engine, limit: u32, groups_only: bool) -> EventsModel {
    let (recent, total) = engine.events();
    let limit = usize::try_from(limit.min(Query::MAX_WINDOW)).unwrap_or(0);
    let mut events: Vec<_> = recent
        .iter()
        .rev()
        .filter(|e| !groups_only || e.group)
        .take(limit)
        .cloned()
        .collect();
    events.reverse();
    EventsModel { total, events }
}

/// The bytes of the batch holding `offset`, as its leader stores them, and
/// its records decompressed if it is compressed.
///
/// # Errors
///
/// A sentence: no such partition or offset, or a batch that does not
/// decode.
pub fn batch(
    engine: &Engine,
    topic: &str,
    partition: i32,
    offset: i64,
) -> Result<BatchBytesModel, String> {
    let cluster = engine.playground().cluster();
    let data = cluster
        .fetch(topic, partition, offset, 1)
        .map_err(|e| e.message)?;
    let found = data
        .batches
        .iter()
        .find(|b| (b.header.base_offset..=b.header.last_offset()).contains(&offset))
        .ok_or_else(|| format!("no batch of {topic}-{partition} holds offset {offset}"))?;
    let bytes = &found.bytes[..found.header.total_size().min(found.bytes.len())];
    let records = match found.header.compression() {
        Some(Compression::None) => None,
        _ => Some(records_section(&found.bytes).map_err(|e| e.to_string())?),
    };
    let max = BatchBytesModel::MAX_BYTES;
    let cut = bytes.len() > max || records.as_ref().is_some_and(|r| r.len() > max);
    Ok(BatchBytesModel {
        topic: topic.to_owned(),
        partition,
        offset,
        batch: port::wire::hex(&bytes[..bytes.len().min(max)]),
        records: records.map(|r| port::wire::hex(&r[..r.len().min(max)])),
        cut,
    })
}

/// Kafka's internal topic of committed offsets and group metadata.
const CONSUMER_OFFSETS: &str = "__consumer_offsets";

/// A `__consumer_offsets` record as Kafka 4's `OffsetsMessageFormatter`
/// (`kafka-console-consumer --formatter …`) prints it: the key's type and
/// fields, the value's version and fields (`null` for a tombstone). A
/// group-metadata value is summarised by its version and size.
fn offsets_record(key: Option<&[u8]>, value: Option<&[u8]>) -> String {
    let json = json_string;
    let key = key.map(OffsetsKey::decode);
    let is_commit = matches!(key, Some(Ok(OffsetsKey::OffsetCommit { .. })));
    let key_text = match key {
        Some(Ok(OffsetsKey::OffsetCommit {
            version,
            group,
            topic,
            partition,
        })) => format!(
            r#"{{"type":{version},"data":{{"group":{},"topic":{},"partition":{partition}}}}}"#,
            json(&group),
            json(&topic)
        ),
        Some(Ok(OffsetsKey::GroupMetadata { group })) => {
            format!(r#"{{"type":2,"data":{{"group":{}}}}}"#, json(&group))
        }
        Some(Err(e)) => format!("{{\"error\":{}}}", json(&e.to_string())),
        None => "null".to_owned(),
    };
    let value_text = match value {
        None => "null".to_owned(),
        Some(bytes) if is_commit => match OffsetCommitValue::decode(bytes) {
            Ok(v) => {
                let expire = v
                    .expire_timestamp
                    .map(|e| format!(r#","expireTimestamp":{e}"#))
                    .unwrap_or_default();
                format!(
                    r#"{{"version":{},"data":{{"offset":{},"leaderEpoch":{},"metadata":{},"commitTimestamp":{}{expire}}}}}"#,
                    v.version(),
                    v.offset,
                    v.leader_epoch,
                    json(&v.metadata),
                    v.commit_timestamp
                )
            }
            Err(e) => format!("{{\"error\":{}}}", json(&e.to_string())),
        },
        Some(bytes) => {
            let version = bytes
                .get(..2)
                .map_or(-1, |b| i16::from_be_bytes([b[0], b[1]]));
            format!(r#"{{"version":{version},"bytes":{}}}"#, bytes.len())
        }
    };
    format!(r#"{{"key":{key_text},"value":{value_text}}}"#)
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A window of one partition's records, read from its leader up to the
/// high watermark (what a consumer could read).
///
/// # Errors
///
/// A sentence: no such topic or partition, or no leader to read from.
pub fn records(
    engine: &Engine,
    topic: &str,
    partition: i32,
    from_offset: Option<i64>,
    limit: u32,
) -> Result<RecordsModel, String> {
    let limit = i64::from(limit.min(Query::MAX_WINDOW));
    let (start, hw) = bounds(engine, topic, partition)?;
    let from = from_offset.unwrap_or(hw - limit).max(start);
    let end = from.saturating_add(limit).min(hw);
    let mut records = Vec::new();
    scan(engine, topic, partition, from, end, |r, batch| {
        records.push(record_model(topic, r, batch));
        true
    })?;
    Ok(RecordsModel {
        topic: topic.to_owned(),
        partition,
        log_start_offset: start,
        high_watermark: hw,
        records,
    })
}

/// One [`Command::FindRecords`](port::Command::FindRecords): the records
/// from `from_offset` on whose `field` contains `text` (ASCII letters in
/// either case), at most `limit` of them, looking at no more than
/// [`port::Command::FIND_SCAN`] offsets.
///
/// # Errors
///
/// A sentence: an empty text, a limit out of range, no such topic or
/// partition, or no leader to read from.
pub fn find_records(
    engine: &Engine,
    topic: &str,
    partition: i32,
    from_offset: i64,
    text: &str,
    field: RecordField,
    limit: u32,
) -> Result<port::Reply, String> {
    if text.is_empty() {
        return Err("a search needs a text to look for".to_owned());
    }
    if limit == 0 || limit > Query::MAX_WINDOW {
        return Err(format!(
            "a search finds 1 to {} records at a time",
            Query::MAX_WINDOW
        ));
    }
    let (start, hw) = bounds(engine, topic, partition)?;
    let from = from_offset.clamp(start, hw);
    let end = from.saturating_add(port::Command::FIND_SCAN).min(hw);
    let needle = text.as_bytes();
    let has = |bytes: Option<&[u8]>| {
        bytes.is_some_and(|b| {
            b.windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle))
        })
    };
    let mut found = Vec::new();
    let wanted = usize::try_from(limit).unwrap_or(usize::MAX);
    let next = scan(engine, topic, partition, from, end, |r, batch| {
        let headers = || {
            r.headers
                .iter()
                .any(|(k, v)| has(Some(k.as_bytes())) || has(v.as_deref()))
        };
        let hit = match field {
            RecordField::Any => has(r.key.as_deref()) || has(r.value.as_deref()) || headers(),
            RecordField::Key => has(r.key.as_deref()),
            RecordField::Value => has(r.value.as_deref()),
            RecordField::Headers => headers(),
        };
        if hit {
            found.push(record_model(topic, r, batch));
        }
        found.len() < wanted
    })?;
    Ok(port::Reply::FoundRecords {
        records: found,
        next_offset: next,
        log_start_offset: start,
        high_watermark: hw,
    })
}

/// The log-start offset and high watermark of a partition's leader.
fn bounds(engine: &Engine, topic: &str, partition: i32) -> Result<(i64, i64), String> {
    let description = engine
        .playground()
        .cluster()
        .describe_topic(topic)
        .map_err(|e| e.message)?;
    let p = description
        .partitions
        .iter()
        .find(|p| p.partition == partition)
        .ok_or_else(|| format!("{topic} has no partition {partition}"))?;
    Ok((p.log_start_offset, p.high_watermark))
}

/// Calls `each` with the records of `topic`-`partition` in `from..end`, in
/// offset order, until it answers `false`. Returns the offset after the last
/// record looked at (`end` when all were). Reads a few batches at a time, so
/// a window of 50 records in a log of millions decodes only what it shows.
fn scan(
    engine: &Engine,
    topic: &str,
    partition: i32,
    from: i64,
    end: i64,
    mut each: impl FnMut(&engine::record::StoredRecord, &BatchSpan) -> bool,
) -> Result<i64, String> {
    let cluster = engine.playground().cluster();
    let mut next = from;
    while next < end {
        let before = next;
        let data = cluster
            .fetch(topic, partition, next, WINDOW_READ_BYTES)
            .map_err(|e| e.message)?;
        if data.batches.is_empty() {
            // Nothing more below the high watermark.
            return Ok(end);
        }
        for batch in &data.batches {
            let after = batch
                .header
                .base_offset
                .saturating_add(i64::from(batch.header.last_offset_delta))
                .saturating_add(1);
            // A batch that does not decode is skipped, not retried.
            let Ok(stored) = decode_batch(&batch.bytes) else {
                next = next.max(after);
                continue;
            };
            let span = BatchSpan {
                base_offset: batch.header.base_offset,
                last_offset: batch.header.last_offset(),
                records: batch.header.record_count,
                // The codec is the attributes' low three bits.
                compression: usize::try_from(batch.header.attributes & 7)
                    .ok()
                    .and_then(|codec| port::wire::CODECS.get(codec))
                    .map_or("unknown", |name| *name)
                    .to_owned(),
            };
            for r in stored.iter().filter(|r| r.offset >= next && r.offset < end) {
                if !each(r, &span) {
                    return Ok(r.offset + 1);
                }
            }
            next = next.max(after);
            if next >= end {
                break;
            }
        }
        if next == before {
            return Ok(end);
        }
    }
    Ok(next.min(end).max(from))
}

/// A topic's configs with their synonyms, as `describeConfigs` with
/// `includeSynonyms` answers them: a topic override, then the broker
/// setting that supplies the default with Kafka's default value.
#[must_use]
pub fn config_entries(config: &engine::topic_config::TopicConfig) -> Vec<port::ConfigEntryModel> {
    let defaults = engine::topic_config::TopicConfig::default();
    config
        .describe()
        .into_iter()
        .map(|e| {
            let mut synonyms = Vec::new();
            if !e.is_default {
                synonyms.push((
                    e.source.name().to_owned(),
                    e.name.to_owned(),
                    e.value.clone(),
                ));
            }
            let default = defaults
                .entry(e.name)
                .map_or_else(|| e.value.clone(), |d| d.value);
            synonyms.push((
                "DEFAULT_CONFIG".to_owned(),
                e.server_default_property.unwrap_or(e.name).to_owned(),
                default,
            ));
            port::ConfigEntryModel {
                name: e.name.to_owned(),
                value: e.value,
                source: e.source.name().to_owned(),
                sensitive: e.sensitive,
                synonyms,
            }
        })
        .collect()
}

/// A record a consumer's `poll()` returned, as the views show it.
#[must_use]
pub fn consumer_record_model(r: &engine::consumer::ConsumerRecord) -> RecordModel {
    record_fields(
        r.offset,
        r.timestamp,
        r.key.as_deref(),
        r.value.as_deref(),
        &r.headers,
    )
}

/// A record's offset, timestamp, key, value and headers as the views show
/// them (cut to [`Text::MAX_CHARS`]), with nothing decoded and no batch.
fn record_fields(
    offset: i64,
    timestamp: i64,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    headers: &[(String, Option<bytes::Bytes>)],
) -> RecordModel {
    RecordModel {
        offset,
        timestamp,
        key: key.map(Text::of),
        value: value.map(Text::of),
        headers: headers
            .iter()
            .map(|(k, v)| (k.clone(), Text::of(v.as_deref().unwrap_or_default())))
            .collect(),
        decoded: None,
        batch: None,
    }
}

/// A stored record as the views show it.
fn record_model(topic: &str, r: &engine::record::StoredRecord, batch: &BatchSpan) -> RecordModel {
    RecordModel {
        decoded: (topic == CONSUMER_OFFSETS)
            .then(|| offsets_record(r.key.as_deref(), r.value.as_deref())),
        batch: Some(batch.clone()),
        ..record_fields(
            r.offset,
            r.timestamp,
            r.key.as_deref(),
            r.value.as_deref(),
            &r.headers,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::kafka_uuid;

    #[test]
    fn a_topic_id_prints_as_kafka_prints_a_uuid() {
        // org.apache.kafka.common.Uuid: new Uuid(0, 1).toString(), and
        // Uuid.fromString("xqhMj1MdRiqAIRCNcRrYkw") round-tripped.
        let mut one = [0_u8; 16];
        one[15] = 1;
        assert_eq!(kafka_uuid(&one), "AAAAAAAAAAAAAAAAAAAAAQ");
        assert_eq!(kafka_uuid(&[0; 16]), "AAAAAAAAAAAAAAAAAAAAAA");
        let bytes = [
            0xc6, 0xa8, 0x4c, 0x8f, 0x53, 0x1d, 0x46, 0x2a, 0x80, 0x21, 0x10, 0x8d, 0x71, 0x1a,
            0xd8, 0x93,
        ];
        assert_eq!(kafka_uuid(&bytes), "xqhMj1MdRiqAIRCNcRrYkw");
    }
}
