//! The wire inspector's bytes: the batch holding an offset as the engine
//! stores it, labelled field by field by `port::wire::annotate`, for plain
//! and compressed batches and Confluent-framed values.

use engine_host::{Answerer, LocalEngine};
use port::wire::{annotate, unhex, Anatomy, Part, Span};
use port::{ClientFlavour, ClockCommand, Command, NewRecord, ProducerAction, Query, ViewModel};

fn engine() -> LocalEngine {
    let mut engine = LocalEngine::boot(3).expect("boots");
    engine
        .execute(Command::Clock(ClockCommand::Pause))
        .expect("pauses");
    engine
        .execute(Command::CreateTopic {
            topic: "orders".into(),
            partitions: Some(1),
            replication_factor: Some(3),
            configs: vec![],
        })
        .expect("created");
    engine
}

fn inspect(engine: &LocalEngine, offset: i64) -> (Vec<u8>, Option<Vec<u8>>, Anatomy) {
    let model = match engine.answer(&Query::Batch {
        topic: "orders".into(),
        partition: 0,
        offset,
    }) {
        ViewModel::Batch(model) => model,
        other => panic!("expected a batch, got {other:?}"),
    };
    assert!(!model.cut);
    let batch = unhex(&model.batch).expect("hex");
    let records = model.records.as_deref().map(|r| unhex(r).expect("hex"));
    let anatomy = annotate(&batch, records.as_deref());
    (batch, records, anatomy)
}

fn field<'a>(spans: &'a [Span], name: &str) -> &'a Span {
    spans
        .iter()
        .find(|s| s.field == name)
        .unwrap_or_else(|| panic!("no {name} in {spans:#?}"))
}

#[test]
fn a_plain_batch_is_labelled_byte_by_byte_with_kafkas_field_names() {
    let mut engine = engine();
    let records = vec![
        NewRecord {
            key: Some("user-1".into()),
            value: Some("first".into()),
            headers: vec![("source".into(), "web".into())],
        },
        NewRecord {
            key: Some("user-2".into()),
            value: Some("\u{0}\u{0}\u{0}\u{0}\u{7}avro".into()),
            headers: vec![],
        },
    ];
    engine
        .execute(Command::Produce {
            topic: "orders".into(),
            partition: Some(0),
            records,
        })
        .expect("produced");
    // Followers fetch: the high watermark passes the records.
    engine.execute(Command::Step { ms: 500 }).expect("steps");
    let (batch, records, anatomy) = inspect(&engine, 1);
    assert!(
        records.is_none(),
        "an uncompressed batch needs no second section"
    );
    assert_eq!(anatomy.problem, None);
    assert_eq!(anatomy.codec, "none");
    let header: Vec<&str> = anatomy
        .batch
        .iter()
        .take(13)
        .map(|s| s.field.as_str())
        .collect();
    assert_eq!(
        header,
        [
            "baseOffset",
            "batchLength",
            "partitionLeaderEpoch",
            "magic",
            "crc",
            "attributes",
            "lastOffsetDelta",
            "baseTimestamp",
            "maxTimestamp",
            "producerId",
            "producerEpoch",
            "baseSequence",
            "recordsCount"
        ]
    );
    assert_eq!(field(&anatomy.batch, "magic").value, "2");
    assert_eq!(field(&anatomy.batch, "recordsCount").value, "2");
    assert_eq!(
        field(&anatomy.batch, "batchLength").value,
        format!("{} bytes follow", batch.len() - 12)
    );
    // Every byte belongs to exactly one span, in order.
    let mut at = 0;
    for span in &anatomy.batch {
        assert_eq!(span.start, at, "{span:?}");
        at += span.len;
    }
    assert_eq!(at, batch.len());
    let key = anatomy
        .batch
        .iter()
        .find(|s| s.part == Part::Key && s.record == Some(0))
        .expect("the first key");
    assert_eq!(&batch[key.start..key.start + key.len], b"user-1");
    assert_eq!(key.value, "\"user-1\"");
    let header_value = anatomy
        .batch
        .iter()
        .find(|s| s.field == "headerValue")
        .expect("a header value");
    assert_eq!(
        (header_value.value.as_str(), header_value.record),
        ("\"web\"", Some(0))
    );
    // The second value is in the Confluent wire format: magic byte 0, schema id 7.
    let id = anatomy
        .batch
        .iter()
        .find(|s| s.field == "schema id")
        .expect("framed");
    assert_eq!(
        (id.value.as_str(), id.part, id.record),
        ("7", Part::Confluent, Some(1))
    );
    assert_eq!(field(&anatomy.batch, "offsetDelta").value, "+0 (offset 0)");
}

#[test]
fn a_compressed_batch_shows_its_compressed_bytes_and_the_records_inside() {
    let mut engine = engine();
    let id = match engine.execute(Command::AddProducer {
        client: ClientFlavour::Java,
        configs: vec![
            ("compression.type".into(), "gzip".into()),
            ("linger.ms".into(), "100".into()),
        ],
    }) {
        Ok(port::Reply::ProducerAdded { producer, .. }) => producer,
        other => panic!("{other:?}"),
    };
    let records = (0..20)
        .map(|i| NewRecord {
            key: Some(format!("k-{i}")),
            value: Some("the same value again".into()),
            headers: vec![],
        })
        .collect();
    engine
        .execute(Command::Producer {
            producer: id,
            action: ProducerAction::Send {
                topic: "orders".into(),
                partition: None,
                records,
                flush: false,
                then_flush: true,
            },
        })
        .expect("sent");
    let (batch, records, anatomy) = inspect(&engine, 7);
    let records = records.expect("the decompressed records");
    assert_eq!(anatomy.problem, None, "{anatomy:#?}");
    assert_eq!(anatomy.codec, "gzip");
    assert!(field(&anatomy.batch, "attributes")
        .value
        .starts_with("gzip, CreateTime"));
    let compressed = field(&anatomy.batch, "records");
    assert_eq!(compressed.part, Part::Compressed);
    assert_eq!(compressed.start + compressed.len, batch.len());
    assert!(
        records.len() > compressed.len,
        "20 alike records compress: {} → {}",
        records.len(),
        compressed.len
    );
    assert!(
        field(&anatomy.batch, "producerId")
            .value
            .parse::<i64>()
            .is_ok_and(|p| p >= 0),
        "Java is idempotent by default"
    );
    let key = anatomy
        .records
        .iter()
        .find(|s| s.part == Part::Key && s.record == Some(7))
        .expect("offset 7's key");
    assert_eq!(&records[key.start..key.start + key.len], b"k-7");
    assert_eq!(
        anatomy
            .records
            .iter()
            .filter(|s| s.field == "length")
            .count(),
        20
    );
}

#[test]
fn an_offset_outside_the_log_is_unavailable_with_a_reason() {
    let engine = engine();
    match engine.answer(&Query::Batch {
        topic: "orders".into(),
        partition: 0,
        offset: 5,
    }) {
        ViewModel::Unavailable { reason } => assert!(!reason.is_empty()),
        other => panic!("expected unavailable, got {other:?}"),
    }
    match engine.answer(&Query::Batch {
        topic: "nope".into(),
        partition: 0,
        offset: 0,
    }) {
        ViewModel::Unavailable { reason } => assert!(reason.contains("does not host"), "{reason}"),
        other => panic!("expected unavailable, got {other:?}"),
    }
}
