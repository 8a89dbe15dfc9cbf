//! Kafka's protocol error codes, and the error type the engine returns when
//! a request fails the way a real broker would fail it.
//!
//! Every response in the Kafka protocol carries an INT16 `error_code`; the
//! broker and the clients agree on what each number means through
//! `org.apache.kafka.common.protocol.Errors` in apache/kafka, which also
//! gives each code an UPPER_SNAKE name, a default message and the exception
//! class the Java client throws. A learner meets all three: the number in a
//! packet capture, the name in the protocol guide and broker logs, the
//! exception in a stack trace. [`ErrorCode`] carries the ones the engine
//! uses, exactly as Errors.java spells them (Kafka 4.x), and [`KafkaError`]
//! pairs a code with the specific message a broker sends back, such as
//! `Unknown topic config name: foo` for `INVALID_CONFIG`.
//!
//! Whether an error is *retriable* is not a field in Errors.java: it is
//! whether the exception class extends `RetriableException`, which is what
//! the Java producer and consumer check before retrying. The flags here
//! follow those class hierarchies; the tests cross-check every code and flag
//! against the `kafka-protocol` crate's independent table.
//!
//! Sources followed: `clients/src/main/java/org/apache/kafka/common/protocol/
//! Errors.java` (a Kafka 4.x trunk copy) and the exception classes in
//! `org.apache.kafka.common.errors`.

use std::fmt;

/// Defines [`ErrorCode`] and its lookup tables from one list, so the code,
/// name, message, exception class and retriable flag of a variant can never
/// drift apart, and [`ErrorCode::ALL`] always lists every variant.
macro_rules! error_codes {
    ($(
        $variant:ident = $code:literal, $name:literal, $exception:literal, $retriable:literal,
            $message:literal;
    )*) => {
        /// A Kafka protocol error code, as listed in Errors.java.
        ///
        /// `NONE` (0, success) is deliberately not a variant: a result that
        /// succeeded has no error. Each variant's documentation is the default
        /// message Kafka sends with it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $(
                #[doc = $message]
                $variant,
            )*
        }

        impl ErrorCode {
            /// Every error code the engine knows, in ascending code order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The INT16 sent on the wire.
            #[must_use]
            pub const fn code(self) -> i16 {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }

            /// Kafka's name for the code, as in Errors.java and the protocol
            /// guide (for example `NOT_LEADER_OR_FOLLOWER`).
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }

            /// The default message Errors.java gives the code: what a Java
            /// client shows when the broker sent no more specific message.
            #[must_use]
            pub const fn message(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $message,)*
                }
            }

            /// The simple name of the exception the Java client throws for
            /// the code (package `org.apache.kafka.common.errors`), e.g.
            /// `RecordTooLargeException` for `MESSAGE_TOO_LARGE`.
            #[must_use]
            pub const fn exception_name(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $exception,)*
                }
            }

            /// Whether the Java client treats the error as transient (its
            /// exception extends `RetriableException`), so a producer or
            /// consumer retries instead of failing the call.
            #[must_use]
            pub const fn is_retriable(self) -> bool {
                match self {
                    $(ErrorCode::$variant => $retriable,)*
                }
            }

            /// The error for a wire code, or `None` for 0 (`NONE`) and for
            /// codes the engine does not model.
            #[must_use]
            pub const fn from_code(code: i16) -> Option<Self> {
                match code {
                    $($code => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    UnknownServerError = -1, "UNKNOWN_SERVER_ERROR", "UnknownServerException", false,
        "The server experienced an unexpected error when processing the request.";
    OffsetOutOfRange = 1, "OFFSET_OUT_OF_RANGE", "OffsetOutOfRangeException", false,
        "The requested offset is not within the range of offsets maintained by the server.";
    CorruptMessage = 2, "CORRUPT_MESSAGE", "CorruptRecordException", true,
        "This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.";
    UnknownTopicOrPartition = 3, "UNKNOWN_TOPIC_OR_PARTITION", "UnknownTopicOrPartitionException", true,
        "This server does not host this topic-partition.";
    LeaderNotAvailable = 5, "LEADER_NOT_AVAILABLE", "LeaderNotAvailableException", true,
        "There is no leader for this topic-partition as we are in the middle of a leadership election.";
    NotLeaderOrFollower = 6, "NOT_LEADER_OR_FOLLOWER", "NotLeaderOrFollowerException", true,
        "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.";
    RequestTimedOut = 7, "REQUEST_TIMED_OUT", "TimeoutException", true,
        "The request timed out.";
    BrokerNotAvailable = 8, "BROKER_NOT_AVAILABLE", "BrokerNotAvailableException", false,
        "The broker is not available.";
    ReplicaNotAvailable = 9, "REPLICA_NOT_AVAILABLE", "ReplicaNotAvailableException", true,
        "The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition.";
    MessageTooLarge = 10, "MESSAGE_TOO_LARGE", "RecordTooLargeException", false,
        "The request included a message larger than the max message size the server will accept.";
    OffsetMetadataTooLarge = 12, "OFFSET_METADATA_TOO_LARGE", "OffsetMetadataTooLarge", false,
        "The metadata field of the offset request was too large.";
    NetworkException = 13, "NETWORK_EXCEPTION", "NetworkException", true,
        "The server disconnected before a response was received.";
    CoordinatorLoadInProgress = 14, "COORDINATOR_LOAD_IN_PROGRESS", "CoordinatorLoadInProgressException", true,
        "The coordinator is loading and hence can't process requests.";
    CoordinatorNotAvailable = 15, "COORDINATOR_NOT_AVAILABLE", "CoordinatorNotAvailableException", true,
        "The coordinator is not available.";
    NotCoordinator = 16, "NOT_COORDINATOR", "NotCoordinatorException", true,
        "This is not the correct coordinator.";
    InvalidTopicException = 17, "INVALID_TOPIC_EXCEPTION", "InvalidTopicException", false,
        "The request attempted to perform an operation on an invalid topic.";
    RecordListTooLarge = 18, "RECORD_LIST_TOO_LARGE", "RecordBatchTooLargeException", false,
        "The request included message batch larger than the configured segment size on the server.";
    NotEnoughReplicas = 19, "NOT_ENOUGH_REPLICAS", "NotEnoughReplicasException", true,
        "Messages are rejected since there are fewer in-sync replicas than required.";
    NotEnoughReplicasAfterAppend = 20, "NOT_ENOUGH_REPLICAS_AFTER_APPEND", "NotEnoughReplicasAfterAppendException", true,
        "Messages are written to the log, but to fewer in-sync replicas than required.";
    InvalidRequiredAcks = 21, "INVALID_REQUIRED_ACKS", "InvalidRequiredAcksException", false,
        "Produce request specified an invalid value for required acks.";
    IllegalGeneration = 22, "ILLEGAL_GENERATION", "IllegalGenerationException", false,
        "Specified group generation id is not valid.";
    InconsistentGroupProtocol = 23, "INCONSISTENT_GROUP_PROTOCOL", "InconsistentGroupProtocolException", false,
        "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.";
    InvalidGroupId = 24, "INVALID_GROUP_ID", "InvalidGroupIdException", false,
        "The group id is invalid.";
    UnknownMemberId = 25, "UNKNOWN_MEMBER_ID", "UnknownMemberIdException", false,
        "The coordinator is not aware of this member.";
    InvalidSessionTimeout = 26, "INVALID_SESSION_TIMEOUT", "InvalidSessionTimeoutException", false,
        "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).";
    RebalanceInProgress = 27, "REBALANCE_IN_PROGRESS", "RebalanceInProgressException", false,
        "The group is rebalancing, so a rejoin is needed.";
    InvalidCommitOffsetSize = 28, "INVALID_COMMIT_OFFSET_SIZE", "InvalidCommitOffsetSizeException", false,
        "The committing offset data size is not valid.";
    TopicAuthorizationFailed = 29, "TOPIC_AUTHORIZATION_FAILED", "TopicAuthorizationException", false,
        "Topic authorization failed.";
    GroupAuthorizationFailed = 30, "GROUP_AUTHORIZATION_FAILED", "GroupAuthorizationException", false,
        "Group authorization failed.";
    InvalidTimestamp = 32, "INVALID_TIMESTAMP", "InvalidTimestampException", false,
        "The timestamp of the message is out of acceptable range.";
    UnsupportedVersion = 35, "UNSUPPORTED_VERSION", "UnsupportedVersionException", false,
        "The version of API is not supported.";
    TopicAlreadyExists = 36, "TOPIC_ALREADY_EXISTS", "TopicExistsException", false,
        "Topic with this name already exists.";
    InvalidPartitions = 37, "INVALID_PARTITIONS", "InvalidPartitionsException", false,
        "Number of partitions is below 1.";
    InvalidReplicationFactor = 38, "INVALID_REPLICATION_FACTOR", "InvalidReplicationFactorException", false,
        "Replication factor is below 1 or larger than the number of available brokers.";
    InvalidReplicaAssignment = 39, "INVALID_REPLICA_ASSIGNMENT", "InvalidReplicaAssignmentException", false,
        "Replica assignment is invalid.";
    InvalidConfig = 40, "INVALID_CONFIG", "InvalidConfigurationException", false,
        "Configuration is invalid.";
    NotController = 41, "NOT_CONTROLLER", "NotControllerException", true,
        "This is not the correct controller for this cluster.";
    InvalidRequest = 42, "INVALID_REQUEST", "InvalidRequestException", false,
        "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.";
    PolicyViolation = 44, "POLICY_VIOLATION", "PolicyViolationException", false,
        "Request parameters do not satisfy the configured policy.";
    OutOfOrderSequenceNumber = 45, "OUT_OF_ORDER_SEQUENCE_NUMBER", "OutOfOrderSequenceException", false,
        "The broker received an out of order sequence number.";
    DuplicateSequenceNumber = 46, "DUPLICATE_SEQUENCE_NUMBER", "DuplicateSequenceException", false,
        "The broker received a duplicate sequence number.";
    InvalidProducerEpoch = 47, "INVALID_PRODUCER_EPOCH", "InvalidProducerEpochException", false,
        "Producer attempted to produce with an old epoch.";
    InvalidTxnState = 48, "INVALID_TXN_STATE", "InvalidTxnStateException", false,
        "The producer attempted a transactional operation in an invalid state.";
    InvalidProducerIdMapping = 49, "INVALID_PRODUCER_ID_MAPPING", "InvalidPidMappingException", false,
        "The producer attempted to use a producer id which is not currently assigned to its transactional id.";
    InvalidTransactionTimeout = 50, "INVALID_TRANSACTION_TIMEOUT", "InvalidTxnTimeoutException", false,
        "The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms).";
    KafkaStorageError = 56, "KAFKA_STORAGE_ERROR", "KafkaStorageException", true,
        "Disk error when trying to access log file on the disk.";
    UnknownProducerId = 59, "UNKNOWN_PRODUCER_ID", "UnknownProducerIdException", false,
        "This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception.";
    ReassignmentInProgress = 60, "REASSIGNMENT_IN_PROGRESS", "ReassignmentInProgressException", false,
        "A partition reassignment is in progress.";
    NonEmptyGroup = 68, "NON_EMPTY_GROUP", "GroupNotEmptyException", false,
        "The group is not empty.";
    GroupIdNotFound = 69, "GROUP_ID_NOT_FOUND", "GroupIdNotFoundException", false,
        "The group id does not exist.";
    TopicDeletionDisabled = 73, "TOPIC_DELETION_DISABLED", "TopicDeletionDisabledException", false,
        "Topic deletion is disabled.";
    FencedLeaderEpoch = 74, "FENCED_LEADER_EPOCH", "FencedLeaderEpochException", true,
        "The leader epoch in the request is older than the epoch on the broker.";
    UnknownLeaderEpoch = 75, "UNKNOWN_LEADER_EPOCH", "UnknownLeaderEpochException", true,
        "The leader epoch in the request is newer than the epoch on the broker.";
    UnsupportedCompressionType = 76, "UNSUPPORTED_COMPRESSION_TYPE", "UnsupportedCompressionTypeException", false,
        "The requesting client does not support the compression type of given partition.";
    OffsetNotAvailable = 78, "OFFSET_NOT_AVAILABLE", "OffsetNotAvailableException", true,
        "The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing.";
    MemberIdRequired = 79, "MEMBER_ID_REQUIRED", "MemberIdRequiredException", false,
        "The group member needs to have a valid member id before actually entering a consumer group.";
    GroupMaxSizeReached = 81, "GROUP_MAX_SIZE_REACHED", "GroupMaxSizeReachedException", false,
        "The group has reached its maximum size.";
    FencedInstanceId = 82, "FENCED_INSTANCE_ID", "FencedInstanceIdException", false,
        "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id.";
    GroupSubscribedToTopic = 86, "GROUP_SUBSCRIBED_TO_TOPIC", "GroupSubscribedToTopicException", false,
        "Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.";
    InvalidRecord = 87, "INVALID_RECORD", "InvalidRecordException", false,
        "This record has failed the validation on broker and hence will be rejected.";
    UnstableOffsetCommit = 88, "UNSTABLE_OFFSET_COMMIT", "UnstableOffsetCommitException", true,
        "There are unstable offsets that need to be cleared.";
    ThrottlingQuotaExceeded = 89, "THROTTLING_QUOTA_EXCEEDED", "ThrottlingQuotaExceededException", true,
        "The throttling quota has been exceeded.";
    ProducerFenced = 90, "PRODUCER_FENCED", "ProducerFencedException", false,
        "There is a newer producer with the same transactionalId which fences the current one.";
    UnknownTopicId = 100, "UNKNOWN_TOPIC_ID", "UnknownTopicIdException", true,
        "This server does not host this topic ID.";
    TransactionalIdNotFound = 105, "TRANSACTIONAL_ID_NOT_FOUND", "TransactionalIdNotFoundException", false,
        "The transactionalId could not be found.";
    FencedMemberEpoch = 110, "FENCED_MEMBER_EPOCH", "FencedMemberEpochException", false,
        "The member epoch is fenced by the group coordinator. The member must abandon all its partitions and rejoin.";
    UnreleasedInstanceId = 111, "UNRELEASED_INSTANCE_ID", "UnreleasedInstanceIdException", false,
        "The instance ID is still used by another member in the consumer group. That member must leave first.";
    UnsupportedAssignor = 112, "UNSUPPORTED_ASSIGNOR", "UnsupportedAssignorException", false,
        "The assignor or its version range is not supported by the consumer group.";
    StaleMemberEpoch = 113, "STALE_MEMBER_EPOCH", "StaleMemberEpochException", false,
        "The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API.";
    TransactionAbortable = 120, "TRANSACTION_ABORTABLE", "TransactionAbortableException", false,
        "The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID.";
    InvalidRegularExpression = 128, "INVALID_REGULAR_EXPRESSION", "InvalidRegularExpression", false,
        "The regular expression is not valid.";
}

impl fmt::Display for ErrorCode {
    /// The UPPER_SNAKE name, e.g. `INVALID_CONFIG`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A failed request: the protocol error code plus the specific message the
/// broker sends with it (the `error_message` field of most responses).
///
/// Displays as `NAME (code): message`, e.g.
/// `INVALID_CONFIG (40): Unknown topic config name: foo`, so a learner can
/// look up both the code and the exact text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{} ({}): {message}", code.name(), code.code())]
pub struct KafkaError {
    /// The protocol error code.
    pub code: ErrorCode,
    /// The message, as the broker words it.
    pub message: String,
}

impl KafkaError {
    /// An error with a specific message.
    #[must_use]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// An error carrying the code's default message from Errors.java, as a
    /// broker sends when it has nothing more specific to say.
    #[must_use]
    pub fn from_code(code: ErrorCode) -> Self {
        Self::new(code, code.message())
    }

    /// An `INVALID_CONFIG` error: how brokers answer a topic or broker
    /// configuration they reject.
    #[must_use]
    pub fn invalid_config(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidConfig, message)
    }

    /// An `INVALID_REQUEST` error: a request that is malformed as a whole.
    #[must_use]
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }

    /// Whether the Java client would retry the request (see
    /// [`ErrorCode::is_retriable`]).
    #[must_use]
    pub fn is_retriable(&self) -> bool {
        self.code.is_retriable()
    }
}

impl From<ErrorCode> for KafkaError {
    fn from(code: ErrorCode) -> Self {
        Self::from_code(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_protocol::error::ResponseError;

    /// `NotEnoughReplicasAfterAppend` -> `NOT_ENOUGH_REPLICAS_AFTER_APPEND`.
    fn upper_snake(camel: &str) -> String {
        let mut out = String::new();
        for (i, c) in camel.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        }
        out
    }

    #[test]
    fn the_codes_the_engine_needs_have_kafkas_numbers() {
        let expected: &[(ErrorCode, i16)] = &[
            (ErrorCode::UnknownServerError, -1),
            (ErrorCode::OffsetOutOfRange, 1),
            (ErrorCode::CorruptMessage, 2),
            (ErrorCode::UnknownTopicOrPartition, 3),
            (ErrorCode::LeaderNotAvailable, 5),
            (ErrorCode::NotLeaderOrFollower, 6),
            (ErrorCode::RequestTimedOut, 7),
            (ErrorCode::BrokerNotAvailable, 8),
            (ErrorCode::MessageTooLarge, 10),
            (ErrorCode::NetworkException, 13),
            (ErrorCode::CoordinatorLoadInProgress, 14),
            (ErrorCode::CoordinatorNotAvailable, 15),
            (ErrorCode::NotCoordinator, 16),
            (ErrorCode::InvalidTopicException, 17),
            (ErrorCode::RecordListTooLarge, 18),
            (ErrorCode::NotEnoughReplicas, 19),
            (ErrorCode::NotEnoughReplicasAfterAppend, 20),
            (ErrorCode::InvalidRequiredAcks, 21),
            (ErrorCode::IllegalGeneration, 22),
            (ErrorCode::InconsistentGroupProtocol, 23),
            (ErrorCode::InvalidGroupId, 24),
            (ErrorCode::UnknownMemberId, 25),
            (ErrorCode::InvalidSessionTimeout, 26),
            (ErrorCode::RebalanceInProgress, 27),
            (ErrorCode::InvalidCommitOffsetSize, 28),
            (ErrorCode::InvalidTimestamp, 32),
            (ErrorCode::TopicAlreadyExists, 36),
            (ErrorCode::InvalidPartitions, 37),
            (ErrorCode::InvalidReplicationFactor, 38),
            (ErrorCode::InvalidReplicaAssignment, 39),
            (ErrorCode::InvalidConfig, 40),
            (ErrorCode::InvalidRequest, 42),
            (ErrorCode::PolicyViolation, 44),
            (ErrorCode::OutOfOrderSequenceNumber, 45),
            (ErrorCode::DuplicateSequenceNumber, 46),
            (ErrorCode::InvalidProducerEpoch, 47),
            (ErrorCode::UnknownProducerId, 59),
            (ErrorCode::GroupIdNotFound, 69),
            (ErrorCode::TopicDeletionDisabled, 73),
            (ErrorCode::MemberIdRequired, 79),
            (ErrorCode::GroupMaxSizeReached, 81),
            (ErrorCode::FencedInstanceId, 82),
            (ErrorCode::InvalidRecord, 87),
            (ErrorCode::UnstableOffsetCommit, 88),
            (ErrorCode::ProducerFenced, 90),
            (ErrorCode::UnknownTopicId, 100),
        ];
        for &(error, code) in expected {
            assert_eq!(error.code(), code, "{error:?}");
        }
    }

    #[test]
    fn every_code_and_retriable_flag_agrees_with_the_kafka_protocol_crate() {
        for &error in ErrorCode::ALL {
            let theirs = ResponseError::try_from_code(error.code())
                .unwrap_or_else(|| panic!("{error:?} has code 0"));
            assert!(
                !matches!(theirs, ResponseError::Unknown(_)),
                "kafka-protocol does not know code {} ({error:?})",
                error.code()
            );
            assert_eq!(theirs.code(), error.code(), "{error:?}");
            assert_eq!(
                theirs.is_retriable(),
                error.is_retriable(),
                "retriable flag of {error:?}"
            );
            // Both crates name the variant after Errors.java's enum constant.
            assert_eq!(theirs.to_string(), format!("{error:?}"));
            assert_eq!(upper_snake(&theirs.to_string()), error.name());
        }
    }

    #[test]
    fn from_code_round_trips_and_rejects_none_and_unknown_codes() {
        for &error in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(error.code()), Some(error));
        }
        assert_eq!(ErrorCode::from_code(0), None);
        assert_eq!(ErrorCode::from_code(-2), None);
        assert_eq!(ErrorCode::from_code(i16::MAX), None);
        assert_eq!(ErrorCode::from_code(i16::MIN), None);
        let known = (i16::MIN..=i16::MAX)
            .filter(|&code| ErrorCode::from_code(code).is_some())
            .count();
        assert_eq!(known, ErrorCode::ALL.len());
    }

    #[test]
    fn all_is_sorted_by_code_without_duplicates() {
        for pair in ErrorCode::ALL.windows(2) {
            assert!(pair[0].code() < pair[1].code(), "{pair:?}");
        }
    }

    #[test]
    fn names_messages_and_exceptions_follow_errors_java() {
        assert_eq!(
            ErrorCode::NotLeaderOrFollower.name(),
            "NOT_LEADER_OR_FOLLOWER"
        );
        assert_eq!(
            ErrorCode::InvalidConfig.message(),
            "Configuration is invalid."
        );
        assert_eq!(
            ErrorCode::MessageTooLarge.exception_name(),
            "RecordTooLargeException"
        );
        assert_eq!(
            ErrorCode::RequestTimedOut.exception_name(),
            "TimeoutException"
        );
        assert_eq!(
            ErrorCode::UnknownTopicOrPartition.message(),
            "This server does not host this topic-partition."
        );
        for &error in ErrorCode::ALL {
            assert!(!error.message().is_empty(), "{error:?}");
            assert!(error
                .name()
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_'));
            assert!(error
                .exception_name()
                .chars()
                .all(|c| c.is_ascii_alphanumeric()));
        }
    }

    #[test]
    fn retriable_errors_are_the_transient_ones() {
        assert!(ErrorCode::NotLeaderOrFollower.is_retriable());
        assert!(ErrorCode::NotEnoughReplicas.is_retriable());
        assert!(ErrorCode::CoordinatorLoadInProgress.is_retriable());
        assert!(!ErrorCode::BrokerNotAvailable.is_retriable());
        assert!(!ErrorCode::MessageTooLarge.is_retriable());
        assert!(!ErrorCode::RebalanceInProgress.is_retriable());
        assert!(!ErrorCode::InvalidConfig.is_retriable());
    }

    #[test]
    fn kafka_error_displays_name_code_and_message() {
        let error = KafkaError::invalid_config("Unknown topic config name: foo");
        assert_eq!(
            error.to_string(),
            "INVALID_CONFIG (40): Unknown topic config name: foo"
        );
        assert_eq!(error.code, ErrorCode::InvalidConfig);
        assert!(!error.is_retriable());

        let default = KafkaError::from(ErrorCode::UnknownServerError);
        assert_eq!(
            default.to_string(),
            "UNKNOWN_SERVER_ERROR (-1): The server experienced an unexpected error when \
             processing the request."
        );
        assert_eq!(ErrorCode::InvalidRequest.to_string(), "INVALID_REQUEST");
        assert!(KafkaError::new(ErrorCode::NotCoordinator, "x").is_retriable());
        assert_eq!(
            KafkaError::invalid_request("Error due to duplicate config keys").code,
            ErrorCode::InvalidRequest
        );
    }
}
