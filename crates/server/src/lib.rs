//! Kafka Playground's native backend: the same engine as the browser,
//! served to real tools. `kafka-playground serve` listens on
//!
//! - 127.0.0.1:9092, the Kafka wire protocol ([`kafka`]) for librdkafka
//!   (confluent-kafka-python, kcat), kafka-python and the Java client;
//! - 127.0.0.1:8081, the Schema Registry's REST API ([`rest_http`]);
//! - 127.0.0.1:8083, Kafka Connect's REST API ([`rest_http`]), whose
//!   FileStream connectors read and write real files ([`connect_files`]);
//! - 127.0.0.1:8080, the built site (its page marked as live mode), the
//!   port — the page's protocol, the same messages the browser's worker
//!   answers in local mode — as a WebSocket at `/port` ([`port_socket`]),
//!   and a live WebSocket feed of engine events for scripts at `/events`
//!   ([`feed`]).
//!
//! All of them share one engine ([`hub`], the port's
//! `engine_host::Engine`): the page and real clients see and change the
//! same cluster. Its time follows a monotonic clock, or only steps with
//! `--manual-clock`. State lives in memory; with `--data-dir` a clean stop
//! (Ctrl-C) writes a snapshot of every topic's data there
//! ([`Running::save`], the engine's `Cluster::snapshot`) and the next start
//! restores it, replaying `__consumer_offsets` and `_schemas` so committed
//! offsets and registered schemas come back too.

pub mod alloc;
pub mod connect_files;
pub mod feed;
pub mod hub;
pub mod kafka;
pub mod origin;
pub mod port_socket;
pub mod rest_http;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use engine::clock::Millis;
use engine::cluster::{Cluster, ClusterConfig};
use engine::connect::ConnectConfig;
use engine::group::coordinator::CoordinatorConfig;
use engine::playground::Playground;
use engine_host::Engine;
use port::{EngineInfo, Mode};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::hub::Hub;

// Untrusted array lengths must not abort the process (see `alloc`); a
// global allocator in the library covers the binary and its tests.
#[global_allocator]
static ALLOCATOR: alloc::LazyLargeAlloc = alloc::LazyLargeAlloc;

/// What `serve` listens on and how the engine starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address every listener binds (default 127.0.0.1).
    pub host: IpAddr,
    /// Kafka protocol port of broker 1 (default 9092); broker n listens on
    /// this + n - 1. 0 picks free ports.
    pub kafka_port: u16,
    /// Schema Registry port (default 8081).
    pub registry_port: u16,
    /// Kafka Connect REST port (default 8083).
    pub connect_port: u16,
    /// Live feed port (default 8080).
    pub feed_port: u16,
    /// The built site the feed serves (default `dist`).
    pub dist: PathBuf,
    /// Brokers in the engine's cluster (default 3, like the browser's).
    pub brokers: i32,
    /// The cluster's memory cap in MiB (default 1024).
    pub memory_limit_mb: u64,
    /// Where a clean stop saves the data and a start restores it.
    pub data_dir: Option<PathBuf>,
    /// Broker settings as `server.properties` would set them
    /// (`--override name=value`; see `engine::broker_config::OVERRIDABLE`).
    pub overrides: Vec<(String, String)>,
    /// The seed of every random choice the engine makes (default: the
    /// wall clock's milliseconds at start).
    pub seed: Option<u64>,
    /// Engine time at start, epoch milliseconds (default: the wall clock).
    pub start_ms: Option<i64>,
    /// Engine time moves only by the port's `Step` commands.
    pub manual_clock: bool,
    /// Origins (`https://host[:port]`) whose pages may open the feed's
    /// WebSockets besides the server's own (`--allow-origin`).
    pub allowed_origins: Vec<String>,
}

/// The snapshot file inside `--data-dir`.
const SNAPSHOT_FILE: &str = "cluster.snapshot";

impl Default for Config {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            kafka_port: 9092,
            registry_port: 8081,
            connect_port: 8083,
            feed_port: 8080,
            dist: PathBuf::from("dist"),
            brokers: 3,
            memory_limit_mb: 1024,
            data_dir: None,
            overrides: Vec::new(),
            seed: None,
            start_ms: None,
            manual_clock: false,
            allowed_origins: Vec::new(),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A port could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The engine refused the configuration.
    #[error("{0}")]
    Engine(String),
}

/// A started server: where it listens, and its tasks.
pub struct Running {
    /// Each broker's Kafka listener, broker 1 (the bootstrap) first.
    pub kafka: Vec<SocketAddr>,
    /// The Schema Registry's address.
    pub registry: SocketAddr,
    /// Kafka Connect's REST address.
    pub connect: SocketAddr,
    /// The live feed's address.
    pub feed: SocketAddr,
    /// The shared engine.
    pub hub: Arc<Hub>,
    tasks: Vec<JoinHandle<()>>,
    data_dir: Option<PathBuf>,
}

impl Running {
    /// Writes the cluster's snapshot into `--data-dir` (a temporary file
    /// renamed over the old one, so a crash mid-write keeps the last good
    /// snapshot). Does nothing without a data dir.
    ///
    /// # Errors
    ///
    /// The file system's.
    pub fn save(&self) -> std::io::Result<Option<PathBuf>> {
        let Some(dir) = &self.data_dir else {
            return Ok(None);
        };
        // Connect's source tasks flush their offsets first, as a worker
        // does on a clean shutdown, so nothing is read twice after it.
        let bytes = self.hub.with(|host| {
            host.playground_mut().restart_connect();
            host.playground().cluster().snapshot()
        });
        std::fs::create_dir_all(dir)?;
        let path = dir.join(SNAPSHOT_FILE);
        let tmp = dir.join(format!("{SNAPSHOT_FILE}.tmp"));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)?;
        Ok(Some(path))
    }

    /// Stops every listener and the clock.
    pub fn stop(self) {
        for task in self.tasks {
            task.abort();
        }
    }
}

async fn bind(host: IpAddr, port: u16) -> Result<TcpListener, StartError> {
    let addr = SocketAddr::new(host, port);
    TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })
}

/// Builds the engine and starts every listener on the current runtime.
pub async fn start(config: Config) -> Result<Running, StartError> {
    let wall_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0));
    let mut cluster_config = ClusterConfig {
        broker_count: config.brokers,
        memory_limit_bytes: config.memory_limit_mb.saturating_mul(1024 * 1024),
        ..ClusterConfig::default()
    };
    let mut group_config = CoordinatorConfig::default();
    for (name, value) in &config.overrides {
        engine::broker_config::apply_override(name, value, &mut cluster_config, &mut group_config)
            .map_err(|e| StartError::Engine(e.to_string()))?;
    }
    let start_ms = config.start_ms.unwrap_or(wall_ms);
    let seed = config
        .seed
        .unwrap_or_else(|| u64::try_from(wall_ms).unwrap_or(0));
    let snapshot = match &config.data_dir {
        Some(dir) => match std::fs::read(dir.join(SNAPSHOT_FILE)) {
            Ok(bytes) => Some(bytes),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => {
                return Err(StartError::Engine(format!(
                    "cannot read the snapshot in {}: {err}",
                    dir.display()
                )))
            }
        },
        None => None,
    };
    let cluster = match &snapshot {
        Some(bytes) => Cluster::restore(cluster_config, seed, Millis(start_ms), bytes)
            .map_err(|e| StartError::Engine(format!("cannot restore the snapshot: {e}")))?,
        None => Cluster::new(cluster_config, seed, Millis(start_ms))
            .map_err(|e| StartError::Engine(e.to_string()))?,
    };
    // As local mode boots it (engine_host::engine_ops::boot_local): the
    // Schema Registry first (it creates `_schemas`, or replays it after a
    // restore), Kafka Connect once its REST address is known (below).
    let mut playground = Playground::with_coordinator(cluster, seed, group_config);
    playground
        .schema_registry()
        .map_err(|e| StartError::Engine(e.to_string()))?;
    // Answers that the page's simulated clients do not claim belong to the
    // real clients' parked requests (hub::Host::route_unclaimed).
    playground.serve_real_clients();
    if snapshot.is_some() {
        let (coordinator, cluster) = playground.coordinator_and_cluster();
        if cluster.has_topic(engine::consumer_offsets::TOPIC) {
            coordinator
                .load_offsets(cluster)
                .map_err(|e| StartError::Engine(e.to_string()))?;
        }
    }
    let hub = Hub::new(Engine::new(playground, seed), config.manual_clock);

    // Broker 1 on `kafka_port`, the others on the ports after it (or on
    // free ports when `kafka_port` is 0).
    let mut kafka_listeners = Vec::new();
    for id in 1..=config.brokers {
        let port = if config.kafka_port == 0 {
            0
        } else {
            u16::try_from(i32::from(config.kafka_port) + id - 1)
                .map_err(|_| StartError::Engine("broker ports past 65535".into()))?
        };
        let listener = bind(config.host, port).await?;
        let bound = listener.local_addr().map_err(|source| StartError::Bind {
            addr: SocketAddr::new(config.host, port),
            source,
        })?;
        kafka_listeners.push((id, bound, listener));
    }
    let kafka_addrs: Vec<SocketAddr> = kafka_listeners.iter().map(|(_, addr, _)| *addr).collect();
    let _ = hub.broker_ports.set(
        kafka_listeners
            .iter()
            .map(|(id, addr, _)| (*id, addr.port()))
            .collect(),
    );
    let registry = bind(config.host, config.registry_port).await?;
    let connect = bind(config.host, config.connect_port).await?;
    let feed = bind(config.host, config.feed_port).await?;
    let local = |listener: &TcpListener, port: u16| {
        listener.local_addr().map_err(|source| StartError::Bind {
            addr: SocketAddr::new(config.host, port),
            source,
        })
    };
    let addrs = (
        local(&registry, config.registry_port)?,
        local(&feed, config.feed_port)?,
        local(&connect, config.connect_port)?,
    );
    // Kafka Connect boots with the server, as a worker does: it creates (or,
    // after a restart, replays) connect-configs, -offsets and -status, and
    // names itself by its REST address.
    let connect_config = ConnectConfig {
        worker_id: addrs.2.to_string(),
        ..ConnectConfig::default()
    };
    hub.with(|host| host.playground_mut().start_connect(connect_config))
        .map_err(|e| StartError::Engine(format!("cannot start Kafka Connect: {e}")))?;
    let origins: Arc<[String]> = config
        .allowed_origins
        .iter()
        .map(|o| origin::normalize(o))
        .collect();
    let registry_app = rest_http::registry_router(Arc::clone(&hub), Arc::clone(&origins));
    let connect_app = rest_http::connect_router(Arc::clone(&hub), origins);
    let engine_info = EngineInfo {
        mode: Mode::Live,
        name: format!(
            "kafka-playground {} on {}",
            env!("CARGO_PKG_VERSION"),
            config.host
        ),
        bootstrap: kafka_addrs.first().map(ToString::to_string),
        schema_registry: Some(format!("http://{}", addrs.0)),
        connect: Some(format!("http://{}", addrs.2)),
        clock_control: config.manual_clock,
    };
    let feed_app = feed::router(
        Arc::clone(&hub),
        feed::FeedSettings {
            dist: config.dist.clone(),
            allowed_origins: Arc::from(config.allowed_origins.clone()),
            engine: Arc::new(engine_info),
        },
    );
    let mut tasks = vec![tokio::spawn(Arc::clone(&hub).run_clock())];
    for (id, _, listener) in kafka_listeners {
        tasks.push(tokio::spawn(kafka::serve(Arc::clone(&hub), listener, id)));
    }
    tasks.extend([
        tokio::spawn(async move {
            if let Err(err) = axum::serve(registry, registry_app).await {
                eprintln!("[registry] stopped: {err}");
            }
        }),
        tokio::spawn(async move {
            if let Err(err) = axum::serve(connect, connect_app).await {
                eprintln!("[connect] stopped: {err}");
            }
        }),
        tokio::spawn(async move {
            if let Err(err) = axum::serve(feed, feed_app).await {
                eprintln!("[feed] stopped: {err}");
            }
        }),
    ]);
    Ok(Running {
        kafka: kafka_addrs,
        registry: addrs.0,
        connect: addrs.2,
        feed: addrs.1,
        hub,
        tasks,
        data_dir: config.data_dir.clone(),
    })
}
