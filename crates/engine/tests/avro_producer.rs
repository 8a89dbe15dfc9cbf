//! The course notes' AvroProducer and AvroConsumer in the playground: a
//! producer serializes with the registry (schemas sent once, ids in every
//! record), records travel through the broker, a consumer deserializes by
//! id; the registry is reached with `curl`-shaped calls too.

use bytes::Bytes;
use engine::clock::Millis;
use engine::cluster::{Cluster, ClusterConfig, NewTopic};
use engine::consumer_config::ConsumerConfig;
use engine::group::assignor::TopicPartition;
use engine::playground::Playground;
use engine::producer_config::{ClientFlavour, ProducerConfig};
use engine::record::ProducerRecord;
use engine::registry::serde::{AvroDeserializer, AvroSerdeConfig, AvroSerializer};

const V1: &str = r#"{"type":"record","name":"Customer","fields":[{"name":"first_name","type":"string"},{"name":"age","type":"int"}]}"#;
const V2: &str = r#"{"type":"record","name":"Customer","fields":[{"name":"first_name","type":"string"},{"name":"age","type":"int"},{"name":"height","type":"float","default":0.0}]}"#;

#[test]
fn avro_records_travel_through_the_broker_with_their_schema_ids() {
    let mut p = Playground::new(
        Cluster::new(ClusterConfig::default(), 3, Millis(0)).unwrap(),
        5,
    );
    p.cluster_mut()
        .create_topic(NewTopic::new("customers", 1, 3))
        .unwrap();
    let (config, _) =
        ProducerConfig::parse(ClientFlavour::Librdkafka, &[("linger.ms", "0")]).unwrap();
    let producer = p.add_producer(config, 1).unwrap();

    let mut v1 = AvroSerializer::new(V1, AvroSerdeConfig::default()).unwrap();
    let mut v2 = AvroSerializer::new(V2, AvroSerdeConfig::default()).unwrap();
    let values = [
        (&mut v1, r#"{"first_name":"Ann","age":30}"#),
        (&mut v2, r#"{"first_name":"Bo","age":40,"height":1.8}"#),
    ];
    for (serializer, json) in values {
        let bytes = {
            let (registry, cluster) = p.schema_registry().unwrap();
            serializer
                .serialize_json(registry, cluster, "customers", false, json)
                .unwrap()
        };
        let record = ProducerRecord {
            value: Some(Bytes::from(bytes)),
            ..ProducerRecord::default()
        };
        p.send(producer, "customers", None, record).unwrap();
    }
    assert_eq!(p.flush(producer, 10_000), 0);

    // The registry, as curl sees it: two versions, stored in _schemas.
    let versions = p.registry_request("GET", "/subjects/customers-value/versions", "");
    assert_eq!((versions.status, versions.body.as_str()), (200, "[1,2]"));
    assert!(p.cluster().has_topic("_schemas"));

    let (config, _) = ConsumerConfig::parse(
        ClientFlavour::Librdkafka,
        &[("group.id", "g"), ("auto.offset.reset", "earliest")],
    )
    .unwrap();
    let consumer = p.add_consumer(config);
    p.consumer_mut(consumer)
        .unwrap()
        .assign(vec![TopicPartition::new("customers", 0)])
        .unwrap();
    let records = p.poll(consumer, 10).unwrap();
    assert_eq!(records.len(), 2);
    // An old consumer (reader schema v1) reads both; a new one fills the default.
    let mut old = AvroDeserializer::new(Some(V1), ClientFlavour::Librdkafka).unwrap();
    let mut new = AvroDeserializer::new(Some(V2), ClientFlavour::Librdkafka).unwrap();
    let mut seen = Vec::new();
    for r in &records {
        let value = r.value.clone().unwrap();
        let (registry, cluster) = p.schema_registry().unwrap();
        let a = old.deserialize(registry, cluster, &value).unwrap();
        let b = new.deserialize(registry, cluster, &value).unwrap();
        seen.push((a.schema_id, a.json, b.json));
    }
    assert_eq!(
        seen,
        vec![
            (
                1,
                r#"{"first_name":"Ann","age":30}"#.to_owned(),
                r#"{"first_name":"Ann","age":30,"height":0.0}"#.to_owned()
            ),
            (
                2,
                r#"{"first_name":"Bo","age":40}"#.to_owned(),
                r#"{"first_name":"Bo","age":40,"height":1.8}"#.to_owned()
            ),
        ]
    );
}
