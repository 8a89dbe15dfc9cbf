//! One function per Kafka API: a decoded request in, the engine called
//! under the hub's lock, the response out. Field by field these follow
//! what a Kafka 4.x broker (KRaft) answers: which versions carry which
//! fields, the error codes, and what a missing topic or group looks like.
//! Delayed operations (JoinGroup, SyncGroup, `acks=all` Produce, a Fetch
//! waiting for `min_bytes`) await outside the lock.

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use engine::cluster::{Acks, Cluster, NewTopic, OffsetSpec, ProduceAck, ProduceOutcome};
use engine::error::{ErrorCode, KafkaError};
use engine::group::assignor::TopicPartition;
use engine::group::coordinator::{
    GroupState, JoinGroupRequest as EngineJoin, JoinGroupResponse as EngineJoinResponse,
};
use engine::group::offsets::OffsetToCommit;
use engine::topic_config::{AlterConfigOp, TopicConfig};
use kafka_protocol::messages::api_versions_response::ApiVersion;
use kafka_protocol::messages::create_partitions_response::CreatePartitionsTopicResult;
use kafka_protocol::messages::create_topics_response::CreatableTopicResult;
use kafka_protocol::messages::delete_topics_response::DeletableTopicResult;
use kafka_protocol::messages::describe_cluster_response::DescribeClusterBroker;
use kafka_protocol::messages::describe_configs_response::{
    DescribeConfigsResourceResult, DescribeConfigsResult,
};
use kafka_protocol::messages::describe_groups_response::{DescribedGroup, DescribedGroupMember};
use kafka_protocol::messages::fetch_response::{FetchableTopicResponse, PartitionData};
use kafka_protocol::messages::find_coordinator_response::Coordinator;
use kafka_protocol::messages::join_group_response::JoinGroupResponseMember;
use kafka_protocol::messages::leave_group_response::MemberResponse;
use kafka_protocol::messages::list_groups_response::ListedGroup;
use kafka_protocol::messages::list_offsets_response::{
    ListOffsetsPartitionResponse, ListOffsetsTopicResponse,
};
use kafka_protocol::messages::metadata_response::{
    MetadataResponseBroker, MetadataResponsePartition, MetadataResponseTopic,
};
use kafka_protocol::messages::offset_commit_response::{
    OffsetCommitResponsePartition, OffsetCommitResponseTopic,
};
use kafka_protocol::messages::offset_fetch_response::{
    OffsetFetchResponsePartition, OffsetFetchResponseTopic,
};
use kafka_protocol::messages::produce_response::{PartitionProduceResponse, TopicProduceResponse};
use kafka_protocol::messages::{
    AlterConfigsRequest, AlterConfigsResponse, ApiVersionsResponse, BrokerId,
    CreatePartitionsRequest, CreatePartitionsResponse, CreateTopicsRequest, CreateTopicsResponse,
    DeleteGroupsRequest, DeleteGroupsResponse, DeleteRecordsRequest, DeleteRecordsResponse,
    DeleteTopicsRequest, DeleteTopicsResponse, DescribeClusterResponse, DescribeConfigsRequest,
    DescribeConfigsResponse, DescribeGroupsRequest, DescribeGroupsResponse, FetchRequest,
    FetchResponse, FindCoordinatorRequest, FindCoordinatorResponse, GroupId, HeartbeatRequest,
    HeartbeatResponse, IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse,
    InitProducerIdRequest, InitProducerIdResponse, JoinGroupRequest, JoinGroupResponse,
    LeaveGroupRequest, LeaveGroupResponse, ListGroupsRequest, ListGroupsResponse,
    ListOffsetsRequest, ListOffsetsResponse, MetadataRequest, MetadataResponse,
    OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse,
    ProduceRequest, ProduceResponse, ProducerId, RequestKind, ResponseKind, SyncGroupRequest,
    SyncGroupResponse, TopicName,
};
use kafka_protocol::protocol::StrBytes;
use tokio::sync::oneshot;

use super::{versions, ConnectionInfo};
use crate::hub::{Host, Hub, JoinKey};

/// Kafka's `fetch.max.bytes` broker default: the most one Fetch returns.
pub const FETCH_MAX_BYTES: usize = engine::broker_config::FETCH_MAX_BYTES as usize;
/// The longest a Fetch waits for `min_bytes` (clients ask for 500 ms).
const FETCH_MAX_WAIT: Duration = Duration::from_secs(30);
/// The cluster id Metadata and DescribeCluster report (22 characters,
/// like the base64 UUIDs `kafka-storage random-uuid` prints).
pub const CLUSTER_ID: &str = "KafkaPlaygroundCluster";
/// `TRANSACTIONAL_ID_AUTHORIZATION_FAILED`: the playground has no
/// transaction coordinator (the engine's error table stops short of it).
const TRANSACTIONAL_ID_AUTHORIZATION_FAILED: i16 = 53;

fn sb(s: impl Into<String>) -> StrBytes {
    StrBytes::from_string(s.into())
}

fn topic_name(s: &str) -> TopicName {
    TopicName(sb(s))
}

fn code(error: Option<ErrorCode>) -> i16 {
    error.map_or(0, ErrorCode::code)
}

/// Answers one decoded request; `None` when no response is due
/// (`acks=0` Produce) or the API is not served (which the frame handler
/// has already refused).
pub async fn handle(
    hub: &Arc<Hub>,
    info: ConnectionInfo,
    client_id: &str,
    version: i16,
    request: RequestKind,
) -> Option<ResponseKind> {
    let response = match request {
        RequestKind::ApiVersions(_) => ResponseKind::ApiVersions(api_versions(0)),
        RequestKind::Metadata(r) => ResponseKind::Metadata(metadata(hub, info, version, r)),
        RequestKind::Produce(r) => {
            return produce(hub, version, r).await.map(ResponseKind::Produce)
        }
        RequestKind::Fetch(r) => ResponseKind::Fetch(fetch(hub, version, r).await),
        RequestKind::ListOffsets(r) => ResponseKind::ListOffsets(list_offsets(hub, version, r)),
        RequestKind::FindCoordinator(r) => {
            ResponseKind::FindCoordinator(find_coordinator(hub, info, version, r))
        }
        RequestKind::JoinGroup(r) => {
            ResponseKind::JoinGroup(join_group(hub, client_id, version, r).await)
        }
        RequestKind::SyncGroup(r) => ResponseKind::SyncGroup(sync_group(hub, version, r).await),
        RequestKind::Heartbeat(r) => ResponseKind::Heartbeat(heartbeat(hub, r)),
        RequestKind::LeaveGroup(r) => ResponseKind::LeaveGroup(leave_group(hub, version, r)),
        RequestKind::OffsetCommit(r) => ResponseKind::OffsetCommit(offset_commit(hub, r)),
        RequestKind::OffsetFetch(r) => ResponseKind::OffsetFetch(offset_fetch(hub, version, r)),
        RequestKind::DescribeGroups(r) => {
            ResponseKind::DescribeGroups(describe_groups(hub, info, r))
        }
        RequestKind::ListGroups(r) => ResponseKind::ListGroups(list_groups(hub, version, r)),
        RequestKind::DeleteGroups(r) => ResponseKind::DeleteGroups(delete_groups(hub, r)),
        RequestKind::DeleteRecords(r) => ResponseKind::DeleteRecords(delete_records(hub, r)),
        RequestKind::CreateTopics(r) => ResponseKind::CreateTopics(create_topics(hub, version, r)),
        RequestKind::DeleteTopics(r) => ResponseKind::DeleteTopics(delete_topics(hub, version, r)),
        RequestKind::CreatePartitions(r) => {
            ResponseKind::CreatePartitions(create_partitions(hub, r))
        }
        RequestKind::DescribeConfigs(r) => {
            ResponseKind::DescribeConfigs(describe_configs(hub, info, version, r))
        }
        RequestKind::AlterConfigs(r) => ResponseKind::AlterConfigs(alter_configs(hub, r)),
        RequestKind::IncrementalAlterConfigs(r) => {
            ResponseKind::IncrementalAlterConfigs(incremental_alter_configs(hub, r))
        }
        RequestKind::InitProducerId(r) => ResponseKind::InitProducerId(init_producer_id(hub, r)),
        RequestKind::DescribeCluster(_) => {
            ResponseKind::DescribeCluster(describe_cluster(hub, info))
        }
        other => {
            eprintln!("[kafka] no handler for {other:?}");
            return None;
        }
    };
    Some(response)
}

// ----- ApiVersions ---------------------------------------------------------

/// ApiVersions: every API and version range this broker serves.
#[must_use]
pub fn api_versions(error_code: i16) -> ApiVersionsResponse {
    let api_keys = versions::all()
        .into_iter()
        .map(|(api, min, max)| {
            ApiVersion::default()
                .with_api_key(api as i16)
                .with_min_version(min)
                .with_max_version(max)
        })
        .collect();
    ApiVersionsResponse::default()
        .with_error_code(error_code)
        .with_api_keys(api_keys)
}

/// The v0 answer to an ApiVersions version this broker does not know.
#[must_use]
pub fn api_versions_unsupported() -> ResponseKind {
    ResponseKind::ApiVersions(api_versions(ErrorCode::UnsupportedVersion.code()))
}

// ----- Metadata ------------------------------------------------------------

/// Broker `id` as the client should reach it: the host it connected to,
/// and that broker's own listener port.
fn advertised(hub: &Hub, info: ConnectionInfo, id: i32) -> (StrBytes, i32) {
    let port = hub.port_of(id).unwrap_or(info.local.port());
    (sb(info.local.ip().to_string()), i32::from(port))
}

fn metadata_brokers(
    hub: &Hub,
    cluster: &Cluster,
    info: ConnectionInfo,
) -> Vec<MetadataResponseBroker> {
    cluster
        .brokers()
        .into_iter()
        .filter(|(_, online)| *online)
        .map(|(id, _)| {
            let (host, port) = advertised(hub, info, id);
            MetadataResponseBroker::default()
                .with_node_id(BrokerId(id))
                .with_host(host)
                .with_port(port)
        })
        .collect()
}

fn controller_id(cluster: &Cluster) -> i32 {
    cluster
        .brokers()
        .into_iter()
        .find(|(_, online)| *online)
        .map_or(-1, |(id, _)| id)
}

fn metadata(
    hub: &Hub,
    info: ConnectionInfo,
    version: i16,
    request: MetadataRequest,
) -> MetadataResponse {
    hub.with(|host| {
        let cluster = host.playground_mut().cluster_mut();
        let requested: Option<Vec<String>> = match &request.topics {
            None => None,
            Some(list) if list.is_empty() && version == 0 => None,
            Some(list) => Some(
                list.iter()
                    .filter_map(|t| t.name.as_ref().map(|n| n.0.to_string()))
                    .collect(),
            ),
        };
        let auto_create = cluster.config().auto_create_topics_enable
            && (version < 4 || request.allow_auto_topic_creation);
        let names = requested
            .clone()
            .unwrap_or_else(|| cluster.list_topics(true));
        let online: Vec<i32> = cluster
            .brokers()
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(id, _)| id)
            .collect();
        let topics = names
            .into_iter()
            .map(|name| {
                let base = MetadataResponseTopic::default().with_name(Some(topic_name(&name)));
                if !cluster.has_topic(&name) {
                    let error = if auto_create && requested.is_some() {
                        match cluster.create_topic(NewTopic::new(name.clone(), -1, -1)) {
                            // KRaft answers the request that created the topic this way.
                            Ok(()) => ErrorCode::LeaderNotAvailable,
                            Err(e) => e.code,
                        }
                    } else {
                        ErrorCode::UnknownTopicOrPartition
                    };
                    return base.with_error_code(error.code());
                }
                match cluster.describe_topic(&name) {
                    Ok(desc) => base
                        .with_topic_id(if version >= 10 {
                            uuid::Uuid::from_bytes(desc.topic_id)
                        } else {
                            uuid::Uuid::nil()
                        })
                        .with_is_internal(
                            version >= 1 && engine::cluster::is_kafka_internal(&desc.name),
                        )
                        .with_partitions(
                            desc.partitions
                                .iter()
                                .map(|p| {
                                    let leader = p.leader.unwrap_or(-1);
                                    let error = if p.leader.is_none() {
                                        ErrorCode::LeaderNotAvailable.code()
                                    } else {
                                        0
                                    };
                                    MetadataResponsePartition::default()
                                        .with_error_code(error)
                                        .with_partition_index(p.partition)
                                        .with_leader_id(BrokerId(leader))
                                        .with_leader_epoch(if version >= 7 {
                                            p.leader_epoch
                                        } else {
                                            -1
                                        })
                                        .with_replica_nodes(
                                            p.replicas.iter().map(|b| BrokerId(*b)).collect(),
                                        )
                                        .with_isr_nodes(
                                            p.isr.iter().map(|b| BrokerId(*b)).collect(),
                                        )
                                        .with_offline_replicas(if version >= 5 {
                                            p.replicas
                                                .iter()
                                                .filter(|b| !online.contains(b))
                                                .map(|b| BrokerId(*b))
                                                .collect()
                                        } else {
                                            Vec::new()
                                        })
                                })
                                .collect(),
                        ),
                    Err(e) => base.with_error_code(e.code.code()),
                }
            })
            .collect();
        MetadataResponse::default()
            .with_brokers(metadata_brokers(hub, cluster, info))
            .with_cluster_id((version >= 2).then(|| sb(CLUSTER_ID)))
            .with_controller_id(BrokerId(if version >= 1 {
                controller_id(cluster)
            } else {
                -1
            }))
            .with_topics(topics)
    })
}

fn describe_cluster(hub: &Hub, info: ConnectionInfo) -> DescribeClusterResponse {
    hub.with(|h| {
        let cluster = h.playground().cluster();
        let brokers = cluster
            .brokers()
            .into_iter()
            .filter(|(_, online)| *online)
            .map(|(id, _)| {
                let (host, port) = advertised(hub, info, id);
                DescribeClusterBroker::default()
                    .with_broker_id(BrokerId(id))
                    .with_host(host)
                    .with_port(port)
            })
            .collect();
        DescribeClusterResponse::default()
            .with_cluster_id(sb(CLUSTER_ID))
            .with_controller_id(BrokerId(controller_id(cluster)))
            .with_brokers(brokers)
    })
}

// ----- Produce -------------------------------------------------------------

enum PartitionWait {
    Done(Result<ProduceAck, KafkaError>),
    Pending(Vec<oneshot::Receiver<Result<ProduceAck, KafkaError>>>),
}

/// Appends each partition's batches; `acks=all` answers wait for the ISR.
async fn produce(hub: &Hub, version: i16, request: ProduceRequest) -> Option<ProduceResponse> {
    let acks = Acks::from_wire(request.acks);
    let timeout_ms = i64::from(request.timeout_ms.max(0));
    let waits: Vec<(String, Vec<(i32, PartitionWait)>)> = hub.with(|host| {
        request
            .topic_data
            .iter()
            .map(|topic| {
                let name = topic.name.0.to_string();
                let partitions = topic
                    .partition_data
                    .iter()
                    .map(|p| {
                        let wait = match &acks {
                            Err(e) => PartitionWait::Done(Err(e.clone())),
                            Ok(acks) => produce_partition(
                                host,
                                &name,
                                p.index,
                                p.records.as_ref(),
                                *acks,
                                timeout_ms,
                            ),
                        };
                        (p.index, wait)
                    })
                    .collect();
                (name, partitions)
            })
            .collect()
    });
    if acks == Ok(Acks::None) {
        return None;
    }
    let mut responses = Vec::with_capacity(waits.len());
    for (name, partitions) in waits {
        let mut out = Vec::with_capacity(partitions.len());
        for (index, wait) in partitions {
            let result = match wait {
                PartitionWait::Done(result) => result,
                PartitionWait::Pending(receivers) => {
                    let mut first: Option<Result<ProduceAck, KafkaError>> = None;
                    for rx in receivers {
                        let limit = Duration::from_millis(u64::try_from(timeout_ms).unwrap_or(0))
                            + Duration::from_secs(5);
                        let result = match tokio::time::timeout(limit, rx).await {
                            Ok(Ok(result)) => result,
                            _ => Err(KafkaError::from_code(ErrorCode::RequestTimedOut)),
                        };
                        first = Some(match (first, result) {
                            (None, r) | (Some(Ok(_)), r @ Err(_)) => r,
                            (Some(f), _) => f,
                        });
                    }
                    first.unwrap_or_else(|| Err(KafkaError::from_code(ErrorCode::CorruptMessage)))
                }
            };
            out.push(match result {
                Ok(ack) => PartitionProduceResponse::default()
                    .with_index(index)
                    .with_base_offset(ack.base_offset)
                    .with_log_append_time_ms(ack.log_append_time)
                    .with_log_start_offset(if version >= 5 {
                        ack.log_start_offset
                    } else {
                        -1
                    }),
                Err(e) => PartitionProduceResponse::default()
                    .with_index(index)
                    .with_error_code(e.code.code())
                    .with_base_offset(-1)
                    .with_log_append_time_ms(-1)
                    .with_log_start_offset(-1)
                    .with_error_message((version >= 8).then(|| sb(e.message))),
            });
        }
        responses.push(
            TopicProduceResponse::default()
                .with_name(topic_name(&name))
                .with_partition_responses(out),
        );
    }
    Some(ProduceResponse::default().with_responses(responses))
}

fn produce_partition(
    host: &mut Host,
    topic: &str,
    partition: i32,
    records: Option<&Bytes>,
    acks: Acks,
    timeout_ms: i64,
) -> PartitionWait {
    let Some(records) = records.filter(|r| !r.is_empty()) else {
        return PartitionWait::Done(Err(KafkaError::new(
            ErrorCode::InvalidRecord,
            "The produce request has no records",
        )));
    };
    let batches = match engine::record::split_batches(records) {
        Ok(batches) if !batches.is_empty() => batches,
        Ok(_) => return PartitionWait::Done(Err(KafkaError::from_code(ErrorCode::CorruptMessage))),
        Err(e) => {
            return PartitionWait::Done(Err(KafkaError::new(
                ErrorCode::CorruptMessage,
                e.to_string(),
            )))
        }
    };
    let mut first: Option<ProduceAck> = None;
    let mut pending = Vec::new();
    for (_, batch) in batches {
        let outcome = host
            .playground_mut()
            .cluster_mut()
            .produce(topic, partition, batch, acks, timeout_ms);
        match outcome {
            Err(e) => return PartitionWait::Done(Err(e)),
            Ok(ProduceOutcome::NoResponse) => {}
            Ok(ProduceOutcome::Acknowledged(ack)) => {
                first.get_or_insert(ack);
            }
            Ok(ProduceOutcome::Pending(id)) => pending.push(host.park_produce(id)),
        }
    }
    if pending.is_empty() {
        PartitionWait::Done(first.ok_or_else(|| KafkaError::from_code(ErrorCode::CorruptMessage)))
    } else {
        PartitionWait::Pending(pending)
    }
}

// ----- Fetch ---------------------------------------------------------------

/// Reads from each partition's leader; waits up to `max_wait_ms` for
/// `min_bytes`, waking whenever data changes.
async fn fetch(hub: &Hub, version: i16, request: FetchRequest) -> FetchResponse {
    let wait =
        Duration::from_millis(u64::try_from(request.max_wait_ms).unwrap_or(0)).min(FETCH_MAX_WAIT);
    let deadline = tokio::time::Instant::now() + wait;
    let min_bytes = usize::try_from(request.min_bytes).unwrap_or(0);
    let max_bytes = usize::try_from(request.max_bytes)
        .unwrap_or(0)
        .clamp(1, FETCH_MAX_BYTES);
    let mut changes = hub.data.subscribe();
    loop {
        changes.borrow_and_update();
        let (response, bytes, errors) =
            hub.with(|host| read_fetch(host.playground().cluster(), version, &request, max_bytes));
        if bytes >= min_bytes.max(1) || errors || tokio::time::Instant::now() >= deadline {
            return response;
        }
        if tokio::time::timeout_at(deadline, changes.changed())
            .await
            .is_err()
        {
            continue; // the deadline: one last read above answers
        }
    }
}

fn read_fetch(
    cluster: &Cluster,
    version: i16,
    request: &FetchRequest,
    max_bytes: usize,
) -> (FetchResponse, usize, bool) {
    let mut total = 0_usize;
    let mut errors = false;
    let topics = request
        .topics
        .iter()
        .map(|topic| {
            let name = topic.topic.0.to_string();
            let partitions = topic
                .partitions
                .iter()
                .map(|p| {
                    let base = PartitionData::default()
                        .with_partition_index(p.partition)
                        .with_aborted_transactions(Some(Vec::new()))
                        .with_preferred_read_replica(BrokerId(-1));
                    let budget = max_bytes.saturating_sub(total);
                    let partition_max = usize::try_from(p.partition_max_bytes)
                        .unwrap_or(0)
                        .min(budget);
                    // KIP-74: the first partition with data returns at least one batch.
                    let limit = if total == 0 {
                        partition_max.max(1)
                    } else {
                        partition_max
                    };
                    if limit == 0 {
                        let (hw, lso) = high_watermark(cluster, &name, p.partition);
                        return base
                            .with_high_watermark(hw)
                            .with_last_stable_offset(hw)
                            .with_log_start_offset(if version >= 5 { lso } else { -1 })
                            .with_records(Some(Bytes::new()));
                    }
                    match cluster.fetch_for_client(&name, p.partition, p.fetch_offset, limit as u64)
                    {
                        Ok(data) => {
                            let mut records = BytesMut::new();
                            for batch in &data.batches {
                                if total > 0 && total + batch.bytes.len() > max_bytes {
                                    break;
                                }
                                records.extend_from_slice(&batch.bytes);
                                total += batch.bytes.len();
                            }
                            base.with_high_watermark(data.high_watermark)
                                .with_last_stable_offset(data.high_watermark)
                                .with_log_start_offset(if version >= 5 {
                                    data.log_start_offset
                                } else {
                                    -1
                                })
                                .with_records(Some(records.freeze()))
                        }
                        Err(e) => {
                            errors = true;
                            base.with_error_code(e.code.code())
                                .with_high_watermark(-1)
                                .with_last_stable_offset(-1)
                                .with_log_start_offset(-1)
                                .with_records(Some(Bytes::new()))
                        }
                    }
                })
                .collect();
            FetchableTopicResponse::default()
                .with_topic(topic_name(&name))
                .with_partitions(partitions)
        })
        .collect();
    (
        FetchResponse::default().with_responses(topics),
        total,
        errors,
    )
}

fn high_watermark(cluster: &Cluster, topic: &str, partition: i32) -> (i64, i64) {
    let hw = cluster
        .list_offsets(topic, partition, OffsetSpec::Latest)
        .ok()
        .flatten()
        .unwrap_or(-1);
    let start = cluster
        .list_offsets(topic, partition, OffsetSpec::Earliest)
        .ok()
        .flatten()
        .unwrap_or(-1);
    (hw, start)
}

// ----- ListOffsets ---------------------------------------------------------

fn list_offsets(hub: &Hub, version: i16, request: ListOffsetsRequest) -> ListOffsetsResponse {
    hub.with(|host| {
        let cluster = host.playground().cluster();
        let topics = request
            .topics
            .iter()
            .map(|topic| {
                let name = topic.name.0.to_string();
                let partitions = topic
                    .partitions
                    .iter()
                    .map(|p| {
                        let spec = match p.timestamp {
                            -2 => OffsetSpec::Earliest,
                            -1 => OffsetSpec::Latest,
                            -3 => OffsetSpec::MaxTimestamp,
                            ts => OffsetSpec::Timestamp(ts),
                        };
                        let epoch = cluster
                            .describe_topic(&name)
                            .ok()
                            .and_then(|d| {
                                d.partitions
                                    .get(usize::try_from(p.partition_index).ok()?)
                                    .map(|x| x.leader_epoch)
                            })
                            .unwrap_or(-1);
                        let base = ListOffsetsPartitionResponse::default()
                            .with_partition_index(p.partition_index);
                        match cluster.list_offsets_with_timestamp(&name, p.partition_index, spec) {
                            Ok(Some((offset, timestamp))) => base
                                .with_offset(offset)
                                .with_timestamp(timestamp)
                                .with_leader_epoch(if version >= 4 { epoch } else { -1 }),
                            Ok(None) => base
                                .with_offset(-1)
                                .with_timestamp(-1)
                                .with_leader_epoch(-1),
                            Err(e) => base
                                .with_error_code(e.code.code())
                                .with_offset(-1)
                                .with_timestamp(-1)
                                .with_leader_epoch(-1),
                        }
                    })
                    .collect();
                ListOffsetsTopicResponse::default()
                    .with_name(topic_name(&name))
                    .with_partitions(partitions)
            })
            .collect();
        ListOffsetsResponse::default().with_topics(topics)
    })
}

// ----- Groups --------------------------------------------------------------

fn find_coordinator(
    hub: &Hub,
    info: ConnectionInfo,
    version: i16,
    request: FindCoordinatorRequest,
) -> FindCoordinatorResponse {
    let keys: Vec<String> = if version >= 4 {
        request
            .coordinator_keys
            .iter()
            .map(ToString::to_string)
            .collect()
    } else {
        vec![request.key.to_string()]
    };
    let results: Vec<Coordinator> = hub.with(|h| {
        keys.into_iter()
            .map(|key| {
                let base = Coordinator::default().with_key(sb(key.clone()));
                let found = if request.key_type != 0 {
                    Err(KafkaError::new(
                        ErrorCode::CoordinatorNotAvailable,
                        "The playground has no transaction coordinator",
                    ))
                } else {
                    h.playground_mut().find_coordinator(&key)
                };
                match found {
                    Ok(node) => {
                        let (host, port) = advertised(hub, info, node);
                        base.with_node_id(BrokerId(node))
                            .with_host(host)
                            .with_port(port)
                    }
                    Err(e) => base
                        .with_node_id(BrokerId(-1))
                        .with_host(sb(""))
                        .with_port(-1)
                        .with_error_code(e.code.code())
                        .with_error_message((version >= 1).then(|| sb(e.message))),
                }
            })
            .collect()
    });
    if version >= 4 {
        return FindCoordinatorResponse::default().with_coordinators(results);
    }
    let first = results.into_iter().next().unwrap_or_default();
    FindCoordinatorResponse::default()
        .with_error_code(first.error_code)
        .with_error_message(first.error_message)
        .with_node_id(first.node_id)
        .with_host(first.host)
        .with_port(first.port)
}

async fn join_group(
    hub: &Hub,
    client_id: &str,
    version: i16,
    request: JoinGroupRequest,
) -> JoinGroupResponse {
    let group = request.group_id.0.to_string();
    let member = request.member_id.to_string();
    let instance = request.group_instance_id.as_ref().map(ToString::to_string);
    let rebalance_timeout = if version == 0 {
        request.session_timeout_ms
    } else {
        request.rebalance_timeout_ms
    };
    let join = EngineJoin {
        group_id: group.clone(),
        member_id: member.clone(),
        group_instance_id: instance.clone(),
        client_id: client_id.to_owned(),
        session_timeout_ms: i64::from(request.session_timeout_ms),
        rebalance_timeout_ms: i64::from(rebalance_timeout),
        protocol_type: request.protocol_type.to_string(),
        protocols: request
            .protocols
            .iter()
            .map(|p| (p.name.to_string(), p.metadata.to_vec()))
            .collect(),
    };
    let rx = hub.with(|host| {
        let key = match (member.is_empty(), &instance) {
            (false, _) => JoinKey::Member(member.clone()),
            (true, Some(i)) => JoinKey::Instance(i.clone()),
            (true, None) => host.new_join_key(),
        };
        let origin = (group.clone(), key.clone());
        let rx = host.park_join(&group, key);
        let now = host.now();
        let responses = host
            .playground_mut()
            .coordinator_and_cluster()
            .0
            .join_group(join, now);
        host.dispatch(responses, Some(&origin));
        rx
    });
    // The coordinator answers by the rebalance timeout at the latest.
    let limit = Duration::from_millis(u64::try_from(rebalance_timeout).unwrap_or(0))
        + Duration::from_secs(10);
    let answer = match tokio::time::timeout(limit, rx).await {
        Ok(Ok(answer)) => answer,
        _ => EngineJoinResponse {
            error: Some(ErrorCode::RebalanceInProgress),
            generation_id: -1,
            protocol_name: None,
            leader: String::new(),
            member_id: member,
            members: Vec::new(),
            group_instance_id: instance,
        },
    };
    JoinGroupResponse::default()
        .with_error_code(code(answer.error))
        .with_generation_id(answer.generation_id)
        .with_protocol_type(
            answer
                .protocol_name
                .as_ref()
                .filter(|_| version >= 7)
                .map(|_| request.protocol_type.clone()),
        )
        .with_protocol_name(match answer.protocol_name {
            Some(name) => Some(sb(name)),
            // Non-nullable before v7: Kafka sends an empty name.
            None if version < 7 => Some(sb("")),
            None => None,
        })
        .with_leader(sb(answer.leader))
        .with_member_id(sb(answer.member_id))
        .with_members(
            answer
                .members
                .into_iter()
                .map(|m| {
                    JoinGroupResponseMember::default()
                        .with_member_id(sb(m.member_id))
                        .with_group_instance_id(m.group_instance_id.map(sb))
                        .with_metadata(Bytes::from(m.metadata))
                })
                .collect(),
        )
}

async fn sync_group(hub: &Hub, version: i16, request: SyncGroupRequest) -> SyncGroupResponse {
    let group = request.group_id.0.to_string();
    let member = request.member_id.to_string();
    let assignments: Vec<(String, Vec<u8>)> = request
        .assignments
        .iter()
        .map(|a| (a.member_id.to_string(), a.assignment.to_vec()))
        .collect();
    let rx = hub.with(|host| {
        let rx = host.park_sync(&group, &member);
        let now = host.now();
        let responses = host
            .playground_mut()
            .coordinator_and_cluster()
            .0
            .sync_group(&group, &member, request.generation_id, assignments, now);
        host.dispatch(responses, None);
        rx
    });
    let result = match tokio::time::timeout(Duration::from_secs(300), rx).await {
        Ok(Ok(result)) => result,
        _ => Err(ErrorCode::RebalanceInProgress),
    };
    let response = SyncGroupResponse::default()
        .with_protocol_type(request.protocol_type.clone().filter(|_| version >= 5))
        .with_protocol_name(request.protocol_name.clone().filter(|_| version >= 5));
    match result {
        Ok(assignment) => response.with_assignment(Bytes::from(assignment)),
        Err(e) => response.with_error_code(e.code()),
    }
}

fn heartbeat(hub: &Hub, request: HeartbeatRequest) -> HeartbeatResponse {
    let error = hub.with(|host| {
        let now = host.now();
        host.playground_mut().coordinator_and_cluster().0.heartbeat(
            &request.group_id.0,
            &request.member_id,
            request.generation_id,
            now,
        )
    });
    HeartbeatResponse::default().with_error_code(code(error))
}

fn leave_group(hub: &Hub, version: i16, request: LeaveGroupRequest) -> LeaveGroupResponse {
    let group = request.group_id.0.to_string();
    let members: Vec<(String, Option<StrBytes>, String)> = if version >= 3 {
        request
            .members
            .iter()
            .map(|m| {
                let reason = m
                    .reason
                    .as_ref()
                    .map_or("the consumer is being closed", |r| r.as_str())
                    .to_owned();
                (m.member_id.to_string(), m.group_instance_id.clone(), reason)
            })
            .collect()
    } else {
        vec![(
            request.member_id.to_string(),
            None,
            "the consumer is being closed".to_owned(),
        )]
    };
    let results: Vec<(String, Option<StrBytes>, Option<ErrorCode>)> = hub.with(|host| {
        members
            .into_iter()
            .map(|(member, instance, reason)| {
                let now = host.now();
                let (error, responses) = host
                    .playground_mut()
                    .coordinator_and_cluster()
                    .0
                    .leave_group(&group, &member, &reason, now);
                host.dispatch(responses, None);
                (member, instance, error)
            })
            .collect()
    });
    if version >= 3 {
        let members = results
            .into_iter()
            .map(|(member, instance, error)| {
                MemberResponse::default()
                    .with_member_id(sb(member))
                    .with_group_instance_id(instance)
                    .with_error_code(code(error))
            })
            .collect();
        LeaveGroupResponse::default().with_members(members)
    } else {
        LeaveGroupResponse::default().with_error_code(results.first().map_or(0, |r| code(r.2)))
    }
}

fn offset_commit(hub: &Hub, request: OffsetCommitRequest) -> OffsetCommitResponse {
    let group = request.group_id.0.to_string();
    let offsets: Vec<OffsetToCommit> = request
        .topics
        .iter()
        .flat_map(|t| {
            t.partitions.iter().map(|p| OffsetToCommit {
                partition: TopicPartition::new(t.name.0.to_string(), p.partition_index),
                offset: p.committed_offset,
                leader_epoch: p.committed_leader_epoch,
                metadata: p
                    .committed_metadata
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            })
        })
        .collect();
    let results = hub.with(|host| {
        let (coordinator, cluster) = host.playground_mut().coordinator_and_cluster();
        coordinator.commit_offsets(
            cluster,
            &group,
            &request.member_id,
            request.generation_id_or_member_epoch,
            &offsets,
        )
    });
    let mut topics: Vec<OffsetCommitResponseTopic> = Vec::new();
    for (tp, error) in results {
        let partition = OffsetCommitResponsePartition::default()
            .with_partition_index(tp.partition)
            .with_error_code(code(error));
        match topics.iter_mut().find(|t| t.name.0.as_str() == tp.topic) {
            Some(t) => t.partitions.push(partition),
            None => topics.push(
                OffsetCommitResponseTopic::default()
                    .with_name(topic_name(&tp.topic))
                    .with_partitions(vec![partition]),
            ),
        }
    }
    OffsetCommitResponse::default().with_topics(topics)
}

fn offset_fetch(hub: &Hub, version: i16, request: OffsetFetchRequest) -> OffsetFetchResponse {
    let group = request.group_id.0.to_string();
    let wanted: Option<Vec<TopicPartition>> = request.topics.as_ref().map(|topics| {
        topics
            .iter()
            .flat_map(|t| {
                t.partition_indexes
                    .iter()
                    .map(|p| TopicPartition::new(t.name.0.to_string(), *p))
            })
            .collect()
    });
    let offsets = hub.with(|host| {
        host.playground()
            .coordinator()
            .fetch_offsets(&group, wanted.as_deref())
    });
    let mut topics: Vec<OffsetFetchResponseTopic> = Vec::new();
    for committed in offsets {
        let partition = OffsetFetchResponsePartition::default()
            .with_partition_index(committed.partition.partition)
            .with_committed_offset(committed.offset)
            .with_committed_leader_epoch(if version >= 5 {
                committed.leader_epoch
            } else {
                -1
            })
            .with_metadata(Some(sb(committed.metadata)));
        let name = committed.partition.topic;
        match topics.iter_mut().find(|t| t.name.0.as_str() == name) {
            Some(t) => t.partitions.push(partition),
            None => topics.push(
                OffsetFetchResponseTopic::default()
                    .with_name(topic_name(&name))
                    .with_partitions(vec![partition]),
            ),
        }
    }
    OffsetFetchResponse::default().with_topics(topics)
}

fn describe_groups(
    hub: &Hub,
    info: ConnectionInfo,
    request: DescribeGroupsRequest,
) -> DescribeGroupsResponse {
    let client_host = sb(format!("/{}", info.peer.ip()));
    let groups = hub.with(|host| {
        request
            .groups
            .iter()
            .map(|id| {
                let base = DescribedGroup::default().with_group_id(id.clone());
                match host.playground().coordinator().describe(&id.0) {
                    None => base.with_group_state(sb(GroupState::Dead.name())),
                    Some(d) => base
                        .with_group_state(sb(d.state.name()))
                        .with_protocol_type(sb(if d.state == GroupState::Dead {
                            ""
                        } else {
                            "consumer"
                        }))
                        .with_protocol_data(sb(d.protocol_name.unwrap_or_default()))
                        .with_members(
                            d.members
                                .into_iter()
                                .map(|(member, client, instance, assignment)| {
                                    DescribedGroupMember::default()
                                        .with_member_id(sb(member))
                                        .with_client_id(sb(client))
                                        .with_group_instance_id(instance.map(sb))
                                        .with_client_host(client_host.clone())
                                        .with_member_assignment(Bytes::from(assignment))
                                })
                                .collect(),
                        ),
                }
            })
            .collect()
    });
    DescribeGroupsResponse::default().with_groups(groups)
}

/// DeleteGroups: each group without members is deleted (its offsets get
/// tombstones); one with members answers `NON_EMPTY_GROUP`, an unknown one
/// `GROUP_ID_NOT_FOUND`.
fn delete_groups(hub: &Hub, request: DeleteGroupsRequest) -> DeleteGroupsResponse {
    let results = hub.with(|host| {
        let (coordinator, cluster) = host.playground_mut().coordinator_and_cluster();
        request
            .groups_names
            .iter()
            .map(|id| {
                let code = match coordinator.delete_group(cluster, &id.0) {
                    Ok(()) => 0,
                    Err(e) => e.code.code(),
                };
                kafka_protocol::messages::delete_groups_response::DeletableGroupResult::default()
                    .with_group_id(id.clone())
                    .with_error_code(code)
            })
            .collect()
    });
    DeleteGroupsResponse::default().with_results(results)
}

fn list_groups(hub: &Hub, version: i16, request: ListGroupsRequest) -> ListGroupsResponse {
    let groups = hub.with(|host| {
        host.playground()
            .coordinator()
            .list_groups()
            .into_iter()
            .filter(|(_, state)| {
                request.states_filter.is_empty()
                    || request
                        .states_filter
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case(state.name()))
            })
            .map(|(id, state)| {
                ListedGroup::default()
                    .with_group_id(GroupId(sb(id)))
                    .with_protocol_type(sb("consumer"))
                    .with_group_state(sb(if version >= 4 { state.name() } else { "" }))
                    .with_group_type(sb(if version >= 5 { "classic" } else { "" }))
            })
            .collect()
    });
    ListGroupsResponse::default().with_groups(groups)
}

// ----- Admin ---------------------------------------------------------------

fn create_topics(hub: &Hub, version: i16, request: CreateTopicsRequest) -> CreateTopicsResponse {
    let topics = hub.with(|host| {
        let cluster = host.playground_mut().cluster_mut();
        request
            .topics
            .iter()
            .map(|t| {
                let name = t.name.0.to_string();
                let base = CreatableTopicResult::default().with_name(t.name.clone());
                let configs: Vec<(String, String)> =
                    t.configs.iter().filter_map(|c| c.value.as_ref().map(|v| (c.name.to_string(), v.to_string()))).collect();
                let result = if !t.assignments.is_empty() {
                    Err(KafkaError::new(ErrorCode::InvalidRequest, "The playground places replicas itself: manual replica assignments are not supported"))
                } else if request.validate_only {
                    if cluster.has_topic(&name) {
                        Err(KafkaError::new(ErrorCode::TopicAlreadyExists, format!("Topic '{name}' already exists.")))
                    } else {
                        TopicConfig::from_pairs(&configs).map(|_| ())
                    }
                } else {
                    let mut topic = NewTopic::new(name.clone(), t.num_partitions, t.replication_factor);
                    topic.configs = configs;
                    cluster.create_topic(topic)
                };
                match result {
                    Err(e) => base
                        .with_error_code(e.code.code())
                        .with_error_message(Some(sb(e.message))),
                    Ok(()) if version < 5 => base,
                    Ok(()) => match cluster.describe_topic(&name) {
                        Ok(d) => base
                            .with_topic_id(if version >= 7 { uuid::Uuid::from_bytes(d.topic_id) } else { uuid::Uuid::nil() })
                            .with_num_partitions(i32::try_from(d.partitions.len()).unwrap_or(-1))
                            .with_replication_factor(d.partitions.first().map_or(-1, |p| i16::try_from(p.replicas.len()).unwrap_or(-1))),
                        Err(_) => base.with_num_partitions(t.num_partitions).with_replication_factor(t.replication_factor),
                    },
                }
            })
            .collect()
    });
    CreateTopicsResponse::default().with_topics(topics)
}

fn delete_topics(hub: &Hub, version: i16, request: DeleteTopicsRequest) -> DeleteTopicsResponse {
    let responses = hub.with(|host| {
        let playground = host.playground_mut();
        let targets: Vec<(Option<String>, uuid::Uuid)> = if version >= 6 {
            request
                .topics
                .iter()
                .map(|t| (t.name.as_ref().map(|n| n.0.to_string()), t.topic_id))
                .collect()
        } else {
            request
                .topic_names
                .iter()
                .map(|n| (Some(n.0.to_string()), uuid::Uuid::nil()))
                .collect()
        };
        targets
            .into_iter()
            .map(|(name, id)| {
                let cluster = playground.cluster();
                let name = name.or_else(|| {
                    cluster.list_topics(true).into_iter().find(|t| {
                        cluster
                            .describe_topic(t)
                            .is_ok_and(|d| d.topic_id == *id.as_bytes())
                    })
                });
                let base = DeletableTopicResult::default()
                    .with_name(name.as_deref().map(topic_name))
                    .with_topic_id(id);
                let result = match &name {
                    Some(n) => playground.delete_topic(n),
                    None => Err(KafkaError::from_code(ErrorCode::UnknownTopicId)),
                };
                match result {
                    Ok(()) => base,
                    Err(e) => base
                        .with_error_code(e.code.code())
                        .with_error_message((version >= 5).then(|| sb(e.message))),
                }
            })
            .collect()
    });
    DeleteTopicsResponse::default().with_responses(responses)
}

/// DeleteRecords: each partition's log-start offset moves up to the offset
/// asked (`-1`: the high watermark); the answer's `low_watermark` is the new
/// log-start offset, `OFFSET_OUT_OF_RANGE` past the high watermark.
fn delete_records(hub: &Hub, request: DeleteRecordsRequest) -> DeleteRecordsResponse {
    use kafka_protocol::messages::delete_records_response::{
        DeleteRecordsPartitionResult, DeleteRecordsTopicResult,
    };
    let topics = hub.with(|host| {
        let cluster = host.playground_mut().cluster_mut();
        request
            .topics
            .iter()
            .map(|topic| {
                let name = topic.name.0.to_string();
                let partitions = topic
                    .partitions
                    .iter()
                    .map(|p| {
                        let base = DeleteRecordsPartitionResult::default()
                            .with_partition_index(p.partition_index);
                        match cluster.delete_records(&name, p.partition_index, p.offset) {
                            Ok(low) => base.with_low_watermark(low),
                            Err(e) => base.with_low_watermark(-1).with_error_code(e.code.code()),
                        }
                    })
                    .collect();
                DeleteRecordsTopicResult::default()
                    .with_name(topic.name.clone())
                    .with_partitions(partitions)
            })
            .collect()
    });
    DeleteRecordsResponse::default().with_topics(topics)
}

fn create_partitions(hub: &Hub, request: CreatePartitionsRequest) -> CreatePartitionsResponse {
    let results = hub.with(|host| {
        let cluster = host.playground_mut().cluster_mut();
        request
            .topics
            .iter()
            .map(|t| {
                let name = t.name.0.to_string();
                let result = if t.assignments.is_some() {
                    Err(KafkaError::new(ErrorCode::InvalidReplicaAssignment, "The playground places replicas itself: manual replica assignments are not supported"))
                } else if request.validate_only {
                    cluster.partition_count(&name).and_then(|current| {
                        if t.count > current {
                            Ok(())
                        } else {
                            Err(KafkaError::new(ErrorCode::InvalidPartitions, format!("Topic currently has {current} partitions, which is higher than the requested {}.", t.count)))
                        }
                    })
                } else {
                    cluster.create_partitions(&name, t.count)
                };
                let base = CreatePartitionsTopicResult::default().with_name(t.name.clone());
                match result {
                    Ok(()) => base,
                    Err(e) => base.with_error_code(e.code.code()).with_error_message(Some(sb(e.message))),
                }
            })
            .collect()
    });
    CreatePartitionsResponse::default().with_results(results)
}

/// DescribeConfigs resource types (`ConfigResource.Type`).
const RESOURCE_TOPIC: i8 = 2;
const RESOURCE_BROKER: i8 = 4;

fn describe_configs(
    hub: &Hub,
    info: ConnectionInfo,
    version: i16,
    request: DescribeConfigsRequest,
) -> DescribeConfigsResponse {
    // The broker this connection reached (its listener's port), as a broker
    // answers for itself only; `None` when not served from a listener.
    let this_broker = hub.broker_ports.get().and_then(|ports| {
        ports
            .iter()
            .find(|(_, p)| *p == info.local.port())
            .map(|(id, _)| *id)
    });
    let results = hub.with(|host| {
        let cluster = host.playground().cluster();
        request
            .resources
            .iter()
            .map(|r| {
                let base = DescribeConfigsResult::default()
                    .with_resource_type(r.resource_type)
                    .with_resource_name(r.resource_name.clone());
                match r.resource_type {
                    RESOURCE_TOPIC => match cluster.topic_config(&r.resource_name) {
                        Ok(config) => {
                            let wanted = |name: &str| {
                                r.configuration_keys
                                    .as_ref()
                                    .is_none_or(|keys| keys.iter().any(|k| k.as_str() == name))
                            };
                            let configs = config
                                .describe()
                                .into_iter()
                                .filter(|e| wanted(e.name))
                                .map(|e| {
                                    DescribeConfigsResourceResult::default()
                                        .with_name(sb(e.name))
                                        .with_value(Some(sb(e.value)))
                                        .with_read_only(e.read_only)
                                        .with_config_source(e.source.id())
                                        .with_is_sensitive(e.sensitive)
                                        .with_config_type(if version >= 3 {
                                            e.config_type.id()
                                        } else {
                                            0
                                        })
                                })
                                .collect();
                            base.with_configs(configs)
                        }
                        Err(e) => base
                            .with_error_code(e.code.code())
                            .with_error_message(Some(sb(e.message))),
                    },
                    RESOURCE_BROKER => describe_broker_configs(host, this_broker, version, r, base),
                    other => base
                        .with_error_code(ErrorCode::InvalidRequest.code())
                        .with_error_message(Some(sb(format!("Unsupported resource type {other}")))),
                }
            })
            .collect()
    });
    DescribeConfigsResponse::default().with_results(results)
}

/// DescribeConfigs of a `BROKER` resource: the engine's modelled broker
/// settings ([`engine::broker_config`]). As in Kafka, an empty name asks
/// for the cluster-wide dynamic defaults (none here), and a broker answers
/// only for itself.
fn describe_broker_configs(
    host: &crate::hub::Host,
    this_broker: Option<i32>,
    version: i16,
    r: &kafka_protocol::messages::describe_configs_request::DescribeConfigsResource,
    base: DescribeConfigsResult,
) -> DescribeConfigsResult {
    let name = r.resource_name.as_str();
    if name.is_empty() {
        return base;
    }
    let invalid = |message: String| {
        base.clone()
            .with_error_code(ErrorCode::InvalidRequest.code())
            .with_error_message(Some(sb(message)))
    };
    let Ok(id) = name.parse::<i32>() else {
        return invalid(format!("Broker id must be an integer, but it is: {name}"));
    };
    let cluster = host.playground().cluster();
    let known = cluster.brokers().iter().any(|(b, _)| *b == id);
    match this_broker {
        Some(me) if me != id => return invalid(format!("Unexpected broker id, expected {me} or empty string, but received {name}")),
        None if !known => return invalid(format!("Unexpected broker id, expected a broker of this cluster or empty string, but received {name}")),
        _ => {}
    }
    let wanted = |n: &str| {
        r.configuration_keys
            .as_ref()
            .is_none_or(|keys| keys.iter().any(|k| k.as_str() == n))
    };
    let configs = engine::broker_config::describe_broker(
        id,
        cluster.config(),
        host.playground().coordinator().config(),
    )
    .into_iter()
    .filter(|e| wanted(e.name))
    .map(|e| {
        DescribeConfigsResourceResult::default()
            .with_name(sb(e.name))
            .with_value(e.value.map(sb))
            .with_read_only(e.read_only)
            .with_config_source(e.source.id())
            .with_is_sensitive(false)
            .with_config_type(if version >= 3 { e.config_type.id() } else { 0 })
    })
    .collect();
    base.with_configs(configs)
}

/// Replaces a topic's overrides with `target` (what AlterConfigs does),
/// or only checks that it could.
fn set_overrides(
    cluster: &mut Cluster,
    topic: &str,
    target: &TopicConfig,
    validate_only: bool,
) -> Result<(), KafkaError> {
    let current = cluster.topic_config(topic)?;
    let set: Vec<(String, String)> = target
        .overrides()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let delete: Vec<String> = current
        .overrides()
        .filter(|(k, _)| !target.is_overridden(k))
        .map(|(k, _)| k.to_owned())
        .collect();
    if validate_only {
        return Ok(());
    }
    cluster.alter_topic_configs(topic, &set, &delete)
}

fn not_a_topic(resource_type: i8) -> KafkaError {
    KafkaError::new(ErrorCode::InvalidRequest, format!("The playground's broker configs are fixed; resource type {resource_type} cannot be altered"))
}

/// What AlterConfigs and IncrementalAlterConfigs share: for each resource,
/// a TOPIC's new configuration (from `target`, given its current one) is
/// validated and, unless `validate_only`, applied; other resource types are
/// refused. The results come in request order.
fn alter_topic_configs<R>(
    hub: &Hub,
    resources: &[R],
    validate_only: bool,
    resource: impl Fn(&R) -> (i8, &str),
    target: impl Fn(&Cluster, &R) -> Result<TopicConfig, KafkaError>,
) -> Vec<Result<(), KafkaError>> {
    hub.with(|host| {
        let cluster = host.playground_mut().cluster_mut();
        resources
            .iter()
            .map(|r| match resource(r) {
                (RESOURCE_TOPIC, topic) => target(cluster, r)
                    .and_then(|t| set_overrides(cluster, topic, &t, validate_only)),
                (other, _) => Err(not_a_topic(other)),
            })
            .collect()
    })
}

/// A resource's error code and message in an alter response (`None`: success).
fn alter_error(result: Result<(), KafkaError>) -> (i16, Option<StrBytes>) {
    match result {
        Ok(()) => (0, None),
        Err(e) => (e.code.code(), Some(sb(e.message))),
    }
}

fn alter_configs(hub: &Hub, request: AlterConfigsRequest) -> AlterConfigsResponse {
    use kafka_protocol::messages::alter_configs_response::AlterConfigsResourceResponse;
    let results = alter_topic_configs(
        hub,
        &request.resources,
        request.validate_only,
        |r| (r.resource_type, r.resource_name.as_str()),
        |_, r| {
            let pairs: Vec<(String, String)> = r
                .configs
                .iter()
                .filter_map(|c| {
                    c.value
                        .as_ref()
                        .map(|v| (c.name.to_string(), v.to_string()))
                })
                .collect();
            TopicConfig::from_pairs(&pairs)
        },
    );
    let responses = request
        .resources
        .iter()
        .zip(results)
        .map(|(r, result)| {
            let (code, message) = alter_error(result);
            AlterConfigsResourceResponse::default()
                .with_resource_type(r.resource_type)
                .with_resource_name(r.resource_name.clone())
                .with_error_code(code)
                .with_error_message(message)
        })
        .collect();
    AlterConfigsResponse::default().with_responses(responses)
}

fn incremental_alter_configs(
    hub: &Hub,
    request: IncrementalAlterConfigsRequest,
) -> IncrementalAlterConfigsResponse {
    use kafka_protocol::messages::incremental_alter_configs_response::AlterConfigsResourceResponse;
    let results = alter_topic_configs(
        hub,
        &request.resources,
        request.validate_only,
        |r| (r.resource_type, r.resource_name.as_str()),
        |cluster, r| {
            let ops = r
                .configs
                .iter()
                .map(|c| {
                    let name = c.name.to_string();
                    let value = c
                        .value
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    match c.config_operation {
                        0 => Ok(AlterConfigOp::Set { name, value }),
                        1 => Ok(AlterConfigOp::Delete { name }),
                        2 => Ok(AlterConfigOp::Append { name, value }),
                        3 => Ok(AlterConfigOp::Subtract { name, value }),
                        other => Err(KafkaError::invalid_request(format!(
                            "Unknown config operation {other}"
                        ))),
                    }
                })
                .collect::<Result<Vec<AlterConfigOp>, KafkaError>>()?;
            let mut target = cluster.topic_config(&r.resource_name)?.clone();
            target.incremental_alter(&ops)?;
            Ok(target)
        },
    );
    let responses = request
        .resources
        .iter()
        .zip(results)
        .map(|(r, result)| {
            let (code, message) = alter_error(result);
            AlterConfigsResourceResponse::default()
                .with_resource_type(r.resource_type)
                .with_resource_name(r.resource_name.clone())
                .with_error_code(code)
                .with_error_message(message)
        })
        .collect();
    IncrementalAlterConfigsResponse::default().with_responses(responses)
}

fn init_producer_id(hub: &Hub, request: InitProducerIdRequest) -> InitProducerIdResponse {
    if request
        .transactional_id
        .as_ref()
        .is_some_and(|t| !t.0.is_empty())
    {
        return InitProducerIdResponse::default()
            .with_error_code(TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
            .with_producer_id(ProducerId(-1))
            .with_producer_epoch(-1);
    }
    let id = hub.with(|host| host.playground_mut().cluster_mut().init_producer_id());
    InitProducerIdResponse::default()
        .with_producer_id(ProducerId(id.producer_id))
        .with_producer_epoch(id.epoch)
}
