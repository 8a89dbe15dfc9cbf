//! Whole requests on arbitrary bytes: whatever decodes is handed to the
//! engine through the same handler real connections use (a one-broker
//! cluster per input, so every run starts alike). A handler may answer,
//! answer nothing (`acks=0`) or refuse; it must not panic. Requests that
//! park (a JoinGroup waiting for its rebalance, a long-polling Fetch) are
//! cut off after 20 ms of a paused clock.
#![no_main]

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use engine::clock::Millis;
use engine::cluster::Cluster;
use engine::playground::Playground;
use engine::registry::{RegistryConfig, SchemaRegistry};
use kafka_playground_server::hub::Hub;
use kafka_playground_server::kafka::{handle_frame, ConnectionInfo};
use libfuzzer_sys::fuzz_target;

fn hub() -> Option<Arc<Hub>> {
    let mut cluster = Cluster::with_defaults(1, Millis(1_700_000_000_000));
    let registry = SchemaRegistry::start(&mut cluster, RegistryConfig::default()).ok()?;
    Some(Hub::new(Playground::new(cluster, 1), registry))
}

fuzz_target!(|data: &[u8]| {
    let (Some(hub), Ok(runtime)) = (hub(), tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build()) else {
        return;
    };
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 9092));
    let info = ConnectionInfo { local: addr, peer: addr };
    runtime.block_on(async {
        let _ = tokio::time::timeout(Duration::from_millis(20), handle_frame(&hub, info, Bytes::copy_from_slice(data))).await;
    });
});
