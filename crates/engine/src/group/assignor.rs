//! Consumer-group partition assignors, computed as the Java client computes
//! them: `range`, `roundrobin`, `sticky` and `cooperative-sticky`.
//!
//! In a classic rebalance every member sends the coordinator a
//! [`Subscription`] (its topics, its rack, the partitions it owns now and
//! the generation it owned them in, plus opaque assignor user data); the
//! coordinator hands all of them to one member, the leader, which runs the
//! partition assignor the group agreed on and sends back who gets which
//! partitions. Every assignor here implements one trait,
//! [`PartitionAssignor`], and [`AssignorKind`] names them the way
//! `partition.assignment.strategy` does: by Kafka's short names (`range`,
//! `roundrobin`, `sticky`, `cooperative-sticky`, as librdkafka accepts them)
//! or by the Java class names the Java client accepts.
//!
//! - [`RangeAssignor`]: per topic, members in order, the first
//!   `partitions % members` get one extra; rack-aware (KIP-881) when members
//!   and replicas have racks.
//! - [`RoundRobinAssignor`]: all partitions of all subscribed topics in
//!   order, dealt to the members in turn, skipping members not subscribed.
//! - [`StickyAssignor`] (eager) and [`CooperativeStickyAssignor`]: balanced
//!   and sticky (members keep what they owned when balance allows), rack-aware
//!   (KIP-881). The cooperative one never hands a partition to a member while
//!   another still owns it: such a partition is left out of this rebalance,
//!   its owner revokes it, and the follow-up rebalance assigns it.
//!
//! The sans-io shape (one trait, one enum dispatching to it) follows tansu's
//! `consumer/assignor/`; the algorithms follow apache/kafka. Assignors are
//! stateless: where the Java objects remember the member's last assignment
//! (`onAssignment`) to build `subscriptionUserData`, here the caller passes
//! it in ([`MemberState`]).
//!
//! Determinism: Java iterates `HashMap`s in several places. Where that
//! changes the outcome (which sticky members keep the larger quota, the
//! topic order in sticky user data) the order here is the one a Java
//! `HashMap` of those `String`s iterates in, computed from
//! `String.hashCode`; keys that share a bucket, whose order depends on the
//! caller's insertion order, are taken in member-id order. Elsewhere ids
//! are sorted as `String.compareTo` sorts them ([`java_string_cmp`]). No
//! `HashMap` is used, so results never depend on Rust's hashing.
//!
//! Where this differs from the Java client, only for inputs a real group
//! does not produce or where Java's own result is arbitrary:
//!
//! - The eager sticky assignor falls back to `owned_partitions` and
//!   `generation_id` when a subscription has no user data (Java would see
//!   no previous assignment; a real eager member always sends user data).
//! - Every member's topics are compared to decide whether all subscriptions
//!   are equal; Java compares with the first non-empty one in `HashMap`
//!   order, so a member subscribed to nothing could be handed partitions.
//! - Owned partitions that do not exist are ignored, a partition is moved
//!   back to its previous owner only if that member still subscribes to its
//!   topic, and each assignment computes its own maximum generation (Java
//!   keeps it in the assignor object across assignments).
//! - Where Java picks an arbitrary element of a `HashSet` (the partition
//!   to move back in `getTheActualPartitionToBeMoved`) this takes the
//!   smallest.
//! - Only subscribed topics are considered, as the Java client's entry
//!   point (`AbstractPartitionAssignor.assign(Cluster, ...)`) passes them;
//!   topics with no partitions count as unknown.
//!
//! Sources followed (apache/kafka trunk): `RangeAssignor`,
//! `RoundRobinAssignor`, `StickyAssignor`, `CooperativeStickyAssignor`,
//! `ConsumerPartitionAssignor`, `internals/AbstractPartitionAssignor`,
//! `internals/AbstractStickyAssignor`, `internals/Utils`,
//! `common/utils/CollectionUtils`; their tests (`RangeAssignorTest`,
//! `RoundRobinAssignorTest`, `internals/AbstractPartitionAssignorTest`,
//! `internals/AbstractStickyAssignorTest`, `StickyAssignorTest`,
//! `CooperativeStickyAssignorTest`) are translated in the test modules
//! below; librdkafka's `rdkafka_assignor.c` for its error text.

use crate::collections::{OrdMap, OrdSet};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::compact_sort::CollectBTree;
use thiserror::Error;

mod cooperative_sticky;
mod java_hash;
mod range;
mod round_robin;
mod sticky;
mod sticky_core;
mod user_data;

pub use cooperative_sticky::CooperativeStickyAssignor;
pub use range::RangeAssignor;
pub use round_robin::RoundRobinAssignor;
pub use sticky::StickyAssignor;
pub use user_data::{
    decode_cooperative_sticky_user_data, decode_sticky_user_data,
    encode_cooperative_sticky_user_data, encode_sticky_user_data, StickyUserData,
};

/// The generation a member reports when it has none
/// (`AbstractStickyAssignor.DEFAULT_GENERATION`).
pub const DEFAULT_GENERATION: i32 = -1;

/// Orders two strings the way Java's `String.compareTo` does: by UTF-16 code
/// units. It differs from Rust's byte-wise `str` order only between
/// characters above U+FFFF and those in U+E000..=U+FFFF.
#[must_use]
pub fn java_string_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// One partition of one topic (`org.apache.kafka.common.TopicPartition`).
///
/// Ordered by topic (as Java orders strings) and then partition, which is
/// `Utils.TopicPartitionComparator`, the order the assignors sort by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TopicPartition {
    /// The topic's name.
    pub topic: String,
    /// The partition index.
    pub partition: i32,
}

impl TopicPartition {
    /// A partition of a topic.
    pub fn new(topic: impl Into<String>, partition: i32) -> Self {
        Self {
            topic: topic.into(),
            partition,
        }
    }
}

impl Ord for TopicPartition {
    fn cmp(&self, other: &Self) -> Ordering {
        java_string_cmp(&self.topic, &other.topic).then(self.partition.cmp(&other.partition))
    }
}

impl PartialOrd for TopicPartition {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for TopicPartition {
    /// `topic-partition`, as Java's `TopicPartition.toString`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// What one member sends when it joins: `ConsumerPartitionAssignor.Subscription`
/// plus the member's `group.instance.id`, which the coordinator attaches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subscription {
    /// The topics the member subscribes to. Order does not matter and
    /// duplicates count once (real clients send a set).
    pub topics: Vec<String>,
    /// Opaque data for the assignor: the sticky assignor's previous
    /// assignment ([`encode_sticky_user_data`]) or the cooperative-sticky
    /// assignor's generation ([`encode_cooperative_sticky_user_data`]).
    pub user_data: Option<Vec<u8>>,
    /// The partitions the member owns now (`ConsumerProtocolSubscription`
    /// v1 and later).
    pub owned_partitions: Vec<TopicPartition>,
    /// The generation in which it owned them (v2 and later). Negative
    /// values mean none, as in Java.
    pub generation_id: Option<i32>,
    /// The member's `client.rack` (v3 and later). Empty means none.
    pub rack_id: Option<String>,
    /// The member's `group.instance.id`, if it is a static member.
    pub group_instance_id: Option<String>,
}

impl Subscription {
    /// A subscription to `topics` with nothing owned, no generation, no
    /// rack and no user data.
    pub fn new<I, S>(topics: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            topics: topics.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// Sets the partitions the member owns.
    #[must_use]
    pub fn with_owned_partitions(mut self, owned: Vec<TopicPartition>) -> Self {
        self.owned_partitions = owned;
        self
    }

    /// Sets the generation the owned partitions belong to.
    #[must_use]
    pub fn with_generation(mut self, generation_id: i32) -> Self {
        self.generation_id = Some(generation_id);
        self
    }

    /// Sets the member's rack.
    #[must_use]
    pub fn with_rack(mut self, rack_id: impl Into<String>) -> Self {
        self.rack_id = Some(rack_id.into());
        self
    }

    /// Sets the assignor user data.
    #[must_use]
    pub fn with_user_data(mut self, user_data: Vec<u8>) -> Self {
        self.user_data = Some(user_data);
        self
    }

    /// Makes the member static, with this `group.instance.id`.
    #[must_use]
    pub fn with_group_instance_id(mut self, id: impl Into<String>) -> Self {
        self.group_instance_id = Some(id.into());
        self
    }

    /// The generation, if any: Java maps negative generations to none.
    pub(crate) fn generation(&self) -> Option<i32> {
        self.generation_id.filter(|g| *g >= 0)
    }

    /// The rack, if any: Java ignores an empty `client.rack`.
    pub(crate) fn rack(&self) -> Option<&str> {
        self.rack_id.as_deref().filter(|r| !r.is_empty())
    }

    /// Whether the member subscribes to `topic`.
    pub(crate) fn subscribes_to(&self, topic: &str) -> bool {
        self.topics.iter().any(|t| t == topic)
    }
}

/// What the leader knows of the subscribed topics: how many partitions each
/// has and, optionally, the racks of each partition's replicas.
///
/// Topics with zero (or a negative number of) partitions count as unknown,
/// as in `AbstractPartitionAssignor.assign`, which skips topics without
/// partition metadata. A partition without rack information counts as having
/// no replica on any rack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartitionsPerTopic {
    counts: OrdMap<String, i32>,
    racks: OrdMap<TopicPartition, OrdSet<String>>,
}

impl PartitionsPerTopic {
    /// No topics.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a topic with `partitions` partitions.
    #[must_use]
    pub fn with_topic(mut self, topic: impl Into<String>, partitions: i32) -> Self {
        self.insert_topic(topic, partitions);
        self
    }

    /// Adds (or replaces) a topic with `partitions` partitions.
    pub fn insert_topic(&mut self, topic: impl Into<String>, partitions: i32) {
        self.counts.insert(topic.into(), partitions);
    }

    /// Removes a topic (and the racks recorded for its partitions).
    pub fn remove_topic(&mut self, topic: &str) {
        self.counts.remove(topic);
        self.racks.retain(|tp, _| tp.topic != topic);
    }

    /// Records the racks of a partition's replicas, one entry per replica:
    /// `None` for a broker without `broker.rack`.
    pub fn set_replica_racks<I, S>(&mut self, partition: TopicPartition, replica_racks: I)
    where
        I: IntoIterator<Item = Option<S>>,
        S: Into<String>,
    {
        let racks: OrdSet<String> = replica_racks
            .into_iter()
            .flatten()
            .map(Into::into)
            .collect_set();
        self.racks.insert(partition, racks);
    }

    /// The number of partitions of `topic`, if it has any.
    #[must_use]
    pub fn partition_count(&self, topic: &str) -> Option<i32> {
        self.counts.get(topic).copied().filter(|n| *n > 0)
    }

    /// The topics with at least one partition, with their partition counts,
    /// in byte-wise name order.
    pub fn topics(&self) -> impl Iterator<Item = (&str, i32)> + '_ {
        self.counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(t, n)| (t.as_str(), *n))
    }

    /// The racks holding a replica of `partition` (empty when unknown).
    #[must_use]
    pub fn replica_racks(&self, partition: &TopicPartition) -> Option<&OrdSet<String>> {
        self.racks.get(partition)
    }
}

impl From<OrdMap<String, i32>> for PartitionsPerTopic {
    fn from(counts: OrdMap<String, i32>) -> Self {
        Self {
            counts,
            racks: OrdMap::new(),
        }
    }
}

impl<S: Into<String>> FromIterator<(S, i32)> for PartitionsPerTopic {
    fn from_iter<T: IntoIterator<Item = (S, i32)>>(iter: T) -> Self {
        Self {
            counts: iter.into_iter().map(|(t, n)| (t.into(), n)).collect(),
            racks: OrdMap::new(),
        }
    }
}

/// The result of an assignment: each member's partitions, for every member
/// that sent a subscription (possibly none).
pub type Assignment = OrdMap<String, Vec<TopicPartition>>;

/// A rebalance protocol an assignor supports
/// (`ConsumerPartitionAssignor.RebalanceProtocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RebalanceProtocol {
    /// Every member revokes everything before rejoining.
    Eager,
    /// Members keep their partitions through the rebalance and revoke only
    /// those that move, which a follow-up rebalance then assigns.
    Cooperative,
}

impl fmt::Display for RebalanceProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Eager => "EAGER",
            Self::Cooperative => "COOPERATIVE",
        })
    }
}

/// What a member remembers of the last rebalance it completed: the Java
/// assignors keep it from `onAssignment` to build their subscription user
/// data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberState {
    /// The partitions the member was assigned.
    pub assigned: Vec<TopicPartition>,
    /// The generation it was assigned them in.
    pub generation: i32,
}

/// Why an assignment (or an assignor name) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AssignorError {
    /// A `partition.assignment.strategy` entry no client knows. A Java class
    /// name (one with a `.`) gets the Java client's message, anything else
    /// librdkafka's.
    #[error("{}", unknown_assignor_message(.0))]
    UnknownAssignor(String),
    /// A topic name too long to encode in user data (a Kafka STRING holds
    /// at most 32767 bytes); the Java client throws `SchemaException`.
    #[error("String length {0} is larger than the maximum string length.")]
    StringTooLong(usize),
    /// The sticky algorithm reached a state Java reports with
    /// `IllegalStateException`; the message is Java's. It does not happen
    /// for any input the tests have found.
    #[error("{0}")]
    IllegalState(String),
}

fn unknown_assignor_message(name: &str) -> String {
    if name.contains('.') {
        format!("{name} ClassNotFoundException exception occurred")
    } else {
        format!("Unsupported partition.assignment.strategy: {name}")
    }
}

/// A partition assignor: the strategy a group leader runs to assign
/// partitions to members.
pub trait PartitionAssignor {
    /// The name members announce in `JoinGroup` (`range`, `roundrobin`,
    /// `sticky`, `cooperative-sticky`).
    fn name(&self) -> &'static str;

    /// The rebalance protocols the assignor supports, preferred first.
    fn supported_protocols(&self) -> &'static [RebalanceProtocol] {
        &[RebalanceProtocol::Eager]
    }

    /// The user data a member puts in its subscription, given what it
    /// remembers of its last rebalance (`None` before its first):
    /// Java's `subscriptionUserData` after `onAssignment`.
    ///
    /// # Errors
    ///
    /// [`AssignorError::StringTooLong`] if a topic name cannot be encoded.
    fn subscription_user_data(
        &self,
        last: Option<&MemberState>,
    ) -> Result<Option<Vec<u8>>, AssignorError> {
        let _ = last;
        Ok(None)
    }

    /// Assigns the partitions of `partitions_per_topic` to the members of
    /// `subscriptions` (keyed by member id). Every member appears in the
    /// result, with an empty list if it gets nothing.
    ///
    /// # Errors
    ///
    /// [`AssignorError::IllegalState`] where Java's sticky algorithm would
    /// throw `IllegalStateException`.
    fn assign(
        &self,
        partitions_per_topic: &PartitionsPerTopic,
        subscriptions: &OrdMap<String, Subscription>,
    ) -> Result<Assignment, AssignorError>;
}

/// The built-in assignors, by the names `partition.assignment.strategy`
/// uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AssignorKind {
    /// `range` / `org.apache.kafka.clients.consumer.RangeAssignor`.
    Range,
    /// `roundrobin` / `org.apache.kafka.clients.consumer.RoundRobinAssignor`.
    RoundRobin,
    /// `sticky` / `org.apache.kafka.clients.consumer.StickyAssignor`.
    Sticky,
    /// `cooperative-sticky` /
    /// `org.apache.kafka.clients.consumer.CooperativeStickyAssignor`.
    CooperativeSticky,
}

impl AssignorKind {
    /// Every built-in assignor.
    pub const ALL: [AssignorKind; 4] = [
        Self::Range,
        Self::RoundRobin,
        Self::Sticky,
        Self::CooperativeSticky,
    ];

    /// Kafka's short name for the assignor.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Range => "range",
            Self::RoundRobin => "roundrobin",
            Self::Sticky => "sticky",
            Self::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// The Java client's class for the assignor.
    #[must_use]
    pub const fn java_class_name(self) -> &'static str {
        match self {
            Self::Range => "org.apache.kafka.clients.consumer.RangeAssignor",
            Self::RoundRobin => "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            Self::Sticky => "org.apache.kafka.clients.consumer.StickyAssignor",
            Self::CooperativeSticky => {
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"
            }
        }
    }

    fn assignor(self) -> &'static dyn PartitionAssignor {
        static RANGE: RangeAssignor = RangeAssignor::new();
        static ROUND_ROBIN: RoundRobinAssignor = RoundRobinAssignor;
        static STICKY: StickyAssignor = StickyAssignor::new();
        static COOPERATIVE_STICKY: CooperativeStickyAssignor = CooperativeStickyAssignor::new();
        match self {
            Self::Range => &RANGE,
            Self::RoundRobin => &ROUND_ROBIN,
            Self::Sticky => &STICKY,
            Self::CooperativeSticky => &COOPERATIVE_STICKY,
        }
    }
}

impl fmt::Display for AssignorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for AssignorKind {
    type Err = AssignorError;

    /// Parses one `partition.assignment.strategy` entry: a short name or a
    /// Java class name, surrounding whitespace ignored (both clients trim).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.name() == s || k.java_class_name() == s)
            .ok_or_else(|| AssignorError::UnknownAssignor(s.to_owned()))
    }
}

impl PartitionAssignor for AssignorKind {
    fn name(&self) -> &'static str {
        AssignorKind::name(*self)
    }

    fn supported_protocols(&self) -> &'static [RebalanceProtocol] {
        self.assignor().supported_protocols()
    }

    fn subscription_user_data(
        &self,
        last: Option<&MemberState>,
    ) -> Result<Option<Vec<u8>>, AssignorError> {
        self.assignor().subscription_user_data(last)
    }

    fn assign(
        &self,
        partitions_per_topic: &PartitionsPerTopic,
        subscriptions: &OrdMap<String, Subscription>,
    ) -> Result<Assignment, AssignorError> {
        self.assignor().assign(partitions_per_topic, subscriptions)
    }
}

/// `AbstractPartitionAssignor.MemberInfo` ordering: static members first, by
/// `group.instance.id`, then dynamic members by member id. Java sorts with a
/// stable sort, so ties keep their order.
pub(crate) fn member_info_cmp(
    a_member: &str,
    a_instance: Option<&str>,
    b_member: &str,
    b_instance: Option<&str>,
) -> Ordering {
    match (a_instance, b_instance) {
        (Some(a), Some(b)) => java_string_cmp(a, b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => java_string_cmp(a_member, b_member),
    }
}

/// `AbstractPartitionAssignor.useRackAwareAssignment`: rack-aware assignment
/// is used when some member rack is also a replica rack and (unless the test
/// hook `prefer` is set) some partition is not on every rack.
pub(crate) fn use_rack_aware_assignment<'a>(
    consumer_racks: &OrdSet<&'a str>,
    partition_racks: &OrdSet<&'a str>,
    racks_per_partition: impl IntoIterator<Item = &'a OrdSet<String>>,
    prefer: bool,
) -> bool {
    if consumer_racks.is_empty() || consumer_racks.is_disjoint(partition_racks) {
        false
    } else if prefer {
        true
    } else {
        !racks_per_partition.into_iter().all(|racks| {
            racks.len() == partition_racks.len()
                && racks.iter().all(|r| partition_racks.contains(r.as_str()))
        })
    }
}

#[cfg(test)]
mod test_support;

#[cfg(test)]
mod range_tests;

#[cfg(test)]
mod round_robin_tests;

#[cfg(test)]
mod sticky_tests;

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_and_java_class_names() {
        for kind in AssignorKind::ALL {
            assert_eq!(kind.name().parse::<AssignorKind>(), Ok(kind));
            assert_eq!(kind.java_class_name().parse::<AssignorKind>(), Ok(kind));
            assert_eq!(
                format!(" {} ", kind.java_class_name()).parse::<AssignorKind>(),
                Ok(kind)
            );
            assert_eq!(kind.to_string(), kind.name());
            assert_eq!(PartitionAssignor::name(&kind), kind.name());
        }
    }

    #[test]
    fn unknown_names_get_the_clients_messages() {
        let err = "fair".parse::<AssignorKind>().unwrap_err();
        assert_eq!(err, AssignorError::UnknownAssignor("fair".into()));
        assert_eq!(
            err.to_string(),
            "Unsupported partition.assignment.strategy: fair"
        );
        let err = "com.example.FairAssignor"
            .parse::<AssignorKind>()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "com.example.FairAssignor ClassNotFoundException exception occurred"
        );
        // Names are case-sensitive in both clients.
        assert!("Range".parse::<AssignorKind>().is_err());
        assert!("".parse::<AssignorKind>().is_err());
    }

    #[test]
    fn supported_protocols() {
        use RebalanceProtocol::*;
        assert_eq!(AssignorKind::Range.supported_protocols(), &[Eager]);
        assert_eq!(AssignorKind::RoundRobin.supported_protocols(), &[Eager]);
        assert_eq!(AssignorKind::Sticky.supported_protocols(), &[Eager]);
        assert_eq!(
            AssignorKind::CooperativeSticky.supported_protocols(),
            &[Cooperative, Eager]
        );
        assert_eq!(Cooperative.to_string(), "COOPERATIVE");
    }

    #[test]
    fn java_string_order_is_utf16() {
        assert_eq!(java_string_cmp("a", "b"), Ordering::Less);
        assert_eq!(java_string_cmp("topic10", "topic2"), Ordering::Less);
        // U+FFFD sorts after U+1F600 in UTF-8 but before it in UTF-16.
        assert_eq!("\u{1F600}".cmp("\u{FFFD}"), Ordering::Greater);
        assert_eq!(java_string_cmp("\u{1F600}", "\u{FFFD}"), Ordering::Less);
        let mut tps = [
            TopicPartition::new("b", 0),
            TopicPartition::new("a", 2),
            TopicPartition::new("a", 1),
        ];
        tps.sort();
        assert_eq!(
            tps.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["a-1", "a-2", "b-0"]
        );
    }

    #[test]
    fn partitions_per_topic_ignores_empty_topics() {
        let ppt = PartitionsPerTopic::new()
            .with_topic("a", 2)
            .with_topic("b", 0)
            .with_topic("c", -1);
        assert_eq!(ppt.topics().collect::<Vec<_>>(), [("a", 2)]);
        assert_eq!(ppt.partition_count("b"), None);
        let mut ppt = ppt;
        ppt.set_replica_racks(TopicPartition::new("a", 0), [Some("r1"), None, Some("r1")]);
        assert_eq!(
            ppt.replica_racks(&TopicPartition::new("a", 0))
                .map(OrdSet::len),
            Some(1)
        );
        ppt.remove_topic("a");
        assert_eq!(ppt.replica_racks(&TopicPartition::new("a", 0)), None);
    }

    #[test]
    fn subscription_normalises_generation_and_rack() {
        let s = Subscription::new(["t"]).with_generation(-1).with_rack("");
        assert_eq!(s.generation(), None);
        assert_eq!(s.rack(), None);
        let s = Subscription::new(["t"]).with_generation(3).with_rack("a");
        assert_eq!(s.generation(), Some(3));
        assert_eq!(s.rack(), Some("a"));
    }
}
