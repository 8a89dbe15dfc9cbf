//! `kafka-playground serve`: starts the native backend (see the library
//! docs) and runs until Ctrl-C.

use std::process::ExitCode;

use kafka_playground_server::{start, Config};

const USAGE: &str = "usage: kafka-playground serve [--host 127.0.0.1] [--kafka-port 9092] [--registry-port 8081]
                              [--connect-port 8083]
                              [--feed-port 8080] [--dist dist] [--brokers 3] [--memory-limit-mb 1024]
                              [--data-dir DIR] [--override name=value ...]
                              [--seed N] [--start-ms MS] [--manual-clock]
                              [--allow-origin URL ...]
Ports may be 0 to pick free ones; the chosen addresses are printed.
--seed N          the seed of the engine's random choices (default: the wall clock)
--start-ms MS     engine time at start, epoch milliseconds (default: the wall clock)
--manual-clock    engine time moves only when the page steps it (the port's Step)
--allow-origin URL  a page origin (https://host[:port]) besides the server's own that
                  may open the WebSockets /port and /events (repeatable)
--override sets a broker setting as server.properties would (repeatable), one of:";

fn usage() -> String {
    format!(
        "{USAGE}\n  {}",
        engine::broker_config::OVERRIDABLE.join(", ")
    )
}

fn parse(args: &[String]) -> Result<Config, String> {
    let mut config = Config::default();
    let mut rest = args.iter();
    match rest.next().map(String::as_str) {
        Some("serve") => {}
        _ => return Err(usage()),
    }
    while let Some(flag) = rest.next() {
        if flag == "--manual-clock" {
            config.manual_clock = true;
            continue;
        }
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{}", usage()))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--host" => config.host = value.parse().map_err(|e| bad(&e))?,
            "--kafka-port" => config.kafka_port = value.parse().map_err(|e| bad(&e))?,
            "--registry-port" => config.registry_port = value.parse().map_err(|e| bad(&e))?,
            "--connect-port" => config.connect_port = value.parse().map_err(|e| bad(&e))?,
            "--feed-port" => config.feed_port = value.parse().map_err(|e| bad(&e))?,
            "--dist" => config.dist = value.into(),
            "--brokers" => config.brokers = value.parse().map_err(|e| bad(&e))?,
            "--memory-limit-mb" => config.memory_limit_mb = value.parse().map_err(|e| bad(&e))?,
            "--data-dir" => config.data_dir = Some(value.into()),
            "--seed" => config.seed = Some(value.parse().map_err(|e| bad(&e))?),
            "--start-ms" => config.start_ms = Some(value.parse().map_err(|e| bad(&e))?),
            "--allow-origin" => {
                let (scheme, rest) = value.split_once("://").ok_or_else(|| {
                    format!("--allow-origin {value}: expected scheme://host[:port]")
                })?;
                if !matches!(scheme, "http" | "https")
                    || rest.trim_end_matches('/').is_empty()
                    || rest.trim_end_matches('/').contains('/')
                {
                    return Err(format!("--allow-origin {value}: expected http(s)://host[:port], an origin without a path"));
                }
                config.allowed_origins.push(value.clone());
            }
            "--override" => {
                let (name, setting) = value
                    .split_once('=')
                    .ok_or_else(|| format!("--override {value}: expected name=value"))?;
                config
                    .overrides
                    .push((name.trim().to_owned(), setting.to_owned()));
            }
            _ => return Err(format!("unknown flag {flag}\n{}", usage())),
        }
    }
    Ok(config)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let running = match start(config).await {
            Ok(running) => running,
            Err(err) => {
                eprintln!("kafka-playground: {err}");
                return ExitCode::FAILURE;
            }
        };
        let brokers: Vec<String> = running.kafka.iter().map(ToString::to_string).collect();
        println!(
            "kafka-playground: Kafka protocol on {} (bootstrap; brokers at {})",
            brokers.first().map_or("", String::as_str),
            brokers.join(", ")
        );
        println!(
            "kafka-playground: Schema Registry on http://{}",
            running.registry
        );
        println!(
            "kafka-playground: Kafka Connect on http://{}",
            running.connect
        );
        println!(
            "kafka-playground: live feed on http://{} (the page; WebSockets /port and /events)",
            running.feed
        );
        println!("kafka-playground: ready (Ctrl-C stops)");
        if let Err(err) = tokio::signal::ctrl_c().await {
            eprintln!("kafka-playground: cannot wait for Ctrl-C: {err}");
        }
        match running.save() {
            Ok(Some(path)) => println!("kafka-playground: saved the data to {}", path.display()),
            Ok(None) => {}
            Err(err) => eprintln!("kafka-playground: cannot save the data: {err}"),
        }
        running.stop();
        println!("kafka-playground: stopped");
        ExitCode::SUCCESS
    })
}
