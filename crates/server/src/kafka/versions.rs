//! The API versions this broker implements, as ApiVersions advertises
//! them. Each range is what the handlers were written and tested for,
//! intersected with what the `kafka-protocol` crate can decode; versions
//! that address topics by id only (Produce v13, Fetch v13+) are left out.

use kafka_protocol::messages::ApiKey;

/// The inclusive version range of `api` this broker serves, if any.
#[must_use]
pub fn supported(api: ApiKey) -> Option<(i16, i16)> {
    let (min, max) = match api {
        ApiKey::Produce => (3, 11),
        ApiKey::Fetch => (4, 12),
        ApiKey::ListOffsets => (1, 6),
        ApiKey::Metadata => (0, 12),
        ApiKey::OffsetCommit => (2, 8),
        ApiKey::OffsetFetch => (1, 7),
        ApiKey::FindCoordinator => (0, 4),
        ApiKey::JoinGroup => (0, 9),
        ApiKey::Heartbeat => (0, 4),
        ApiKey::LeaveGroup => (0, 5),
        ApiKey::SyncGroup => (0, 5),
        ApiKey::DescribeGroups => (0, 5),
        ApiKey::ListGroups => (0, 4),
        ApiKey::DeleteGroups => (0, 2),
        ApiKey::ApiVersions => (0, 3),
        ApiKey::CreateTopics => (2, 7),
        ApiKey::DeleteTopics => (1, 6),
        ApiKey::DeleteRecords => (0, 2),
        ApiKey::InitProducerId => (0, 4),
        ApiKey::DescribeConfigs => (1, 4),
        ApiKey::AlterConfigs => (0, 2),
        ApiKey::CreatePartitions => (0, 3),
        ApiKey::IncrementalAlterConfigs => (0, 1),
        ApiKey::DescribeCluster => (0, 1),
        _ => return None,
    };
    let crate_range = api.valid_versions();
    let (min, max) = (min.max(crate_range.min), max.min(crate_range.max));
    (min <= max).then_some((min, max))
}

/// Every API this broker serves, with its range, in API key order.
#[must_use]
pub fn all() -> Vec<(ApiKey, i16, i16)> {
    ApiKey::iter()
        .filter_map(|api| supported(api).map(|(min, max)| (api, min, max)))
        .collect()
}
