//! Starts the `kafka-playground` binary on free ports for a test and stops
//! it when the test ends; finds the project's Python virtualenv and kcat.

// Each test crate uses part of these helpers.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A running server and where it listens.
pub struct Server {
    child: Child,
    /// `host:port` of broker 1 (the bootstrap server).
    pub bootstrap: String,
    /// `http://host:port` of the Schema Registry.
    pub registry: String,
    /// `http://host:port` of Kafka Connect.
    pub connect: String,
    /// `host:port` of the live feed.
    pub feed: String,
    /// The server's stderr so far is in this file.
    pub log: PathBuf,
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.split_once(marker)
        .map(|(_, rest)| rest.split_whitespace().next().unwrap_or(""))
}

impl Server {
    /// Starts a server with every port chosen by the OS, serving `dist`
    /// (a directory) as the site.
    pub fn start_with_dist(dist: &std::path::Path) -> Self {
        Self::start_with_args(dist, &[])
    }

    /// Starts a server with extra `serve` flags (e.g. `--data-dir`).
    pub fn start_with_args(dist: &std::path::Path, extra: &[&std::ffi::OsStr]) -> Self {
        let log = std::env::temp_dir().join(format!(
            "kplay-server-{}-{}.log",
            std::process::id(),
            rand_suffix()
        ));
        let stderr = std::fs::File::create(&log).expect("log file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_kafka-playground"))
            .args([
                "serve",
                "--kafka-port",
                "0",
                "--registry-port",
                "0",
                "--connect-port",
                "0",
                "--feed-port",
                "0",
                "--dist",
            ])
            .arg(dist)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("the kafka-playground binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let (mut bootstrap, mut registry, mut connect, mut feed) = (None, None, None, None);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(a) = after(&line, "Kafka protocol on ") {
                bootstrap = Some(a.to_owned());
            }
            if let Some(a) = after(&line, "Schema Registry on ") {
                registry = Some(a.to_owned());
            }
            if let Some(a) = after(&line, "Kafka Connect on ") {
                connect = Some(a.to_owned());
            }
            if let Some(a) = after(&line, "live feed on http://") {
                feed = Some(a.to_owned());
            }
            if line.contains("ready") {
                break;
            }
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            bootstrap: bootstrap.expect("the server printed its Kafka address"),
            registry: registry.expect("the server printed its registry address"),
            connect: connect.expect("the server printed its Connect address"),
            feed: feed.expect("the server printed its feed address"),
            log,
        }
    }

    /// Starts a server serving an empty site.
    pub fn start() -> Self {
        let dist = std::env::temp_dir().join("kplay-empty-dist");
        std::fs::create_dir_all(&dist).expect("temp dir");
        Self::start_with_dist(&dist)
    }

    /// Ctrl-C: SIGINT, then waits for the process to exit (it saves its
    /// data first when it has a `--data-dir`). Returns its exit status.
    pub fn interrupt(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGINT sent");
        self.child.wait().expect("the server exits")
    }

    /// The server's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// `$KPLAY_PYTHON`, else `$KPLAY_HOME/venv/bin/python` (KPLAY_HOME defaults to
/// ~/.cache/kafka-playground), where `scripts/setup.sh test` installs the
/// clients from tests/python/requirements.txt.
pub fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("KPLAY_PYTHON") {
        return PathBuf::from(python);
    }
    let home = std::env::var_os("KPLAY_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
                .join(".cache/kafka-playground")
        });
    let python = home.join("venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `bash scripts/setup.sh test`",
        python.display()
    );
    python
}

/// Runs a command, failing the test with its output unless it succeeds.
pub fn run_ok(command: &mut Command, server: &Server) -> String {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the command starts");
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    assert!(
        status.success(),
        "{command:?} failed ({status})\n--- stdout\n{stdout}\n--- stderr\n{}\n--- server log\n{}",
        String::from_utf8_lossy(&stderr),
        server.log_text()
    );
    stdout
}

/// Runs one of tests/python/*.py with the server's addresses.
pub fn run_python(script: &str, args: &[&str], server: &Server) -> String {
    let dir = repo_root().join("tests/python");
    let mut command = Command::new(python());
    command.current_dir(&dir).arg(dir.join(script)).args(args);
    let out = run_ok(&mut command, server);
    assert!(out.contains("DONE"), "{script} did not finish:\n{out}");
    out
}
