//! `--data-dir`: a clean stop (Ctrl-C) saves the data and the next start
//! restores it — records produced by a real client, a group's committed
//! offsets, the Schema Registry's schemas and Kafka Connect's connectors
//! with their source offsets.

mod support;

use std::process::Command;

use support::{run_ok, Server};

#[test]
fn a_clean_restart_keeps_records_offsets_and_schemas() {
    let data = std::env::temp_dir().join(format!("kplay-data-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let dist = std::env::temp_dir().join("kplay-empty-dist");
    std::fs::create_dir_all(&dist).expect("temp dir");
    let args = [std::ffi::OsStr::new("--data-dir"), data.as_os_str()];

    let mut first = Server::start_with_args(&dist, &args);
    let input = std::env::temp_dir().join(format!("kplay-persist-{}.txt", std::process::id()));
    let lines: Vec<String> = (0..20).map(|i| format!("key{i}:value {i}")).collect();
    std::fs::write(&input, lines.join("\n") + "\n").expect("input file");
    let b = first.bootstrap.clone();
    run_ok(
        Command::new("kcat")
            .args(["-b", &b, "-P", "-t", "kept", "-K:", "-l"])
            .arg(&input),
        &first,
    );
    // A group reads the first 12 and commits (kcat -G commits as it goes).
    run_ok(
        Command::new("kcat").args([
            "-b",
            &b,
            "-G",
            "keepers",
            "kept",
            "-o",
            "beginning",
            "-e",
            "-c",
            "12",
            "-q",
        ]),
        &first,
    );
    let schema = r#"{"schema":"{\"type\":\"record\",\"name\":\"Kept\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}"}"#;
    let registered = run_ok(
        Command::new("curl")
            .args([
                "-sf",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/vnd.schemaregistry.v1+json",
                "--data",
                schema,
            ])
            .arg(format!("{}/subjects/kept-value/versions", first.registry)),
        &first,
    );
    assert_eq!(registered.trim(), r#"{"id":1}"#);
    // A FileStreamSource connector reads two lines of a real file.
    let source_file =
        std::env::temp_dir().join(format!("kplay-persist-source-{}.txt", std::process::id()));
    std::fs::write(&source_file, "one\ntwo\n").expect("source file");
    let connector = format!(
        r#"{{"name":"lines","config":{{"connector.class":"FileStreamSource","file":"{}","topic":"lines","value.converter":"org.apache.kafka.connect.storage.StringConverter"}}}}"#,
        source_file.display()
    );
    run_ok(
        Command::new("curl")
            .args([
                "-sf",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "--data",
                &connector,
            ])
            .arg(format!("{}/connectors", first.connect)),
        &first,
    );
    // The topic appears once the connector's task has produced: read it
    // (up to `count` records) until it holds them all, for up to 20 s.
    let read = |server: &Server, count: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let out = Command::new("kcat")
                .args([
                    "-b",
                    &server.bootstrap,
                    "-C",
                    "-t",
                    "lines",
                    "-o",
                    "beginning",
                    "-e",
                    "-q",
                    "-f",
                    "%s\n",
                ])
                .output()
                .expect("kcat runs");
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            if (out.status.success() && text.lines().count() >= count)
                || std::time::Instant::now() > deadline
            {
                return text;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    assert_eq!(read(&first, 2), "one\ntwo\n");
    let status = first.interrupt();
    assert!(
        status.success(),
        "Ctrl-C is a clean stop: {status}\n{}",
        first.log_text()
    );
    assert!(data.join("cluster.snapshot").exists());

    let second = Server::start_with_args(&dist, &args);
    let b = second.bootstrap.clone();
    let all = run_ok(
        Command::new("kcat").args([
            "-b",
            &b,
            "-C",
            "-t",
            "kept",
            "-o",
            "beginning",
            "-e",
            "-q",
            "-f",
            "%k\n",
        ]),
        &second,
    );
    let mut keys: Vec<&str> = all.lines().collect();
    keys.sort_unstable();
    let mut expected: Vec<String> = (0..20).map(|i| format!("key{i}")).collect();
    expected.sort_unstable();
    assert_eq!(keys, expected, "every acknowledged record is back");
    let subjects = run_ok(
        Command::new("curl")
            .args(["-sf"])
            .arg(format!("{}/subjects", second.registry)),
        &second,
    );
    assert_eq!(subjects.trim(), r#"["kept-value"]"#);
    // The group resumes after what it committed: the 8 it had not read.
    let rest = run_ok(
        Command::new("kcat").args(["-b", &b, "-G", "keepers", "kept", "-e", "-q"]),
        &second,
    );
    assert_eq!(
        rest.lines().count(),
        8,
        "resumes from the committed offsets:\n{rest}"
    );
    // The connector runs again and goes on after the lines it had read.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&source_file)
        .expect("source file");
    std::io::Write::write_all(&mut file, b"three\n").expect("appended");
    assert_eq!(
        read(&second, 3),
        "one\ntwo\nthree\n",
        "no line lost, none read twice"
    );
    let connectors = run_ok(
        Command::new("curl")
            .args(["-sf"])
            .arg(format!("{}/connectors", second.connect)),
        &second,
    );
    assert_eq!(connectors.trim(), r#"["lines"]"#);
    drop(second);
    let _ = std::fs::remove_file(&source_file);
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_file(&input);
}
