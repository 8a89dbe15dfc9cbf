//! Consumer groups in the playground: finding a group's coordinator.

use engine::clock::Millis;
use engine::cluster::{Cluster, ClusterConfig};
use engine::error::ErrorCode;
use engine::playground::Playground;

#[test]
fn find_coordinator_names_the_leader_of_the_groups_offsets_partition() {
    let mut p = Playground::new(Cluster::new(ClusterConfig::default(), 5, Millis(0)).unwrap(), 9);
    assert!(!p.cluster().has_topic("__consumer_offsets"));
    let coordinator = p.find_coordinator("my-group").unwrap();
    let d = p.cluster().describe_topic("__consumer_offsets").unwrap();
    assert!(d.internal && d.partitions.len() == 50);
    assert_eq!(Some(coordinator), d.partitions[12].leader, "\"my-group\" hashes to partition 12");
    for broker in d.partitions[12].replicas.clone() {
        p.cluster_mut().stop_broker(broker).unwrap();
    }
    let err = p.find_coordinator("my-group").unwrap_err();
    assert_eq!(err.code, ErrorCode::CoordinatorNotAvailable);
    assert_eq!(p.find_coordinator("").unwrap_err().code, ErrorCode::InvalidGroupId);
}
