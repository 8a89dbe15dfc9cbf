//! Consumer groups: the coordinator and the assignors.
//!
//! For now this holds the client-side partition assignors ([`assignor`]):
//! the code a group's leader runs, inside the Java client or librdkafka, to
//! turn the members' subscriptions into an assignment during a classic
//! (`JoinGroup`/`SyncGroup`) rebalance; and the broker's group
//! [`coordinator`] that drives those rebalances.

pub mod assignor;
pub mod coordinator;
pub mod offsets;
pub mod protocol;
