"""The course notes' own Avro scripts: confluent-kafka-python's
`confluent_kafka.avro.AvroProducer` and `AvroConsumer` (deprecated in 2.x
but still shipped, and what the notes link to) with the
`CachedSchemaRegistryClient` they use, against the playground: produce
keyed Avro records with default key/value schemas, read them back decoded,
evolve the value schema (a field with a default), read old and new records
with a reader schema, check compatibility, change the subject's level."""
import sys
import warnings

from confluent_kafka import avro
from confluent_kafka.avro import AvroConsumer, AvroProducer, CachedSchemaRegistryClient

from common import check, poll_messages

warnings.simplefilter("ignore", DeprecationWarning)
bootstrap, registry_url = sys.argv[1], sys.argv[2]

key_schema = avro.loads('{"type": "string"}')
value_v1 = avro.loads("""
{"namespace": "my.test", "name": "value", "type": "record",
 "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "int"}]}""")
value_v2 = avro.loads("""
{"namespace": "my.test", "name": "value", "type": "record",
 "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "int"},
            {"name": "email", "type": "string", "default": "unknown"}]}""")

producer = AvroProducer({"bootstrap.servers": bootstrap, "schema.registry.url": registry_url},
                        default_key_schema=key_schema, default_value_schema=value_v1)
for i in range(5):
    producer.produce(topic="people", key=f"person-{i}", value={"name": f"Person {i}", "age": 20 + i})
check(producer.flush(10) == 0, "AvroProducer flushed 5 records")

client = CachedSchemaRegistryClient({"url": registry_url})
subject_id, latest, version = client.get_latest_schema("people-value")
check(version == 1 and subject_id >= 1, f"people-value v1 registered with id {subject_id}")
check(client.get_latest_schema("people-key")[2] == 1, "people-key v1 registered")
check(client.get_compatibility() == "BACKWARD", "the global level is BACKWARD")
check(client.test_compatibility("people-value", value_v2), "v2 (a field with a default) is BACKWARD compatible")
broken = avro.loads("""
{"namespace": "my.test", "name": "value", "type": "record",
 "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "string"}]}""")
check(not client.test_compatibility("people-value", broken), "age int -> string is not BACKWARD compatible")

producer_v2 = AvroProducer({"bootstrap.servers": bootstrap, "schema.registry.url": registry_url},
                           default_key_schema=key_schema, default_value_schema=value_v2)
producer_v2.produce(topic="people", key="person-5", value={"name": "Person 5", "age": 25, "email": "p5@example.com"})
check(producer_v2.flush(10) == 0, "AvroProducer (v2) flushed")
check(client.get_latest_schema("people-value")[2] == 2, "people-value is at version 2")

# An old consumer (reader v1) and a new one (reader v2) read all six.
for reader, label in ((value_v1, "v1"), (value_v2, "v2")):
    consumer = AvroConsumer({"bootstrap.servers": bootstrap, "group.id": f"course-{label}",
                             "auto.offset.reset": "earliest", "schema.registry.url": registry_url},
                            reader_value_schema=reader)
    consumer.subscribe(["people"])
    got = [(m.key(), m.value()) for m in poll_messages(consumer, 6, 10, f"reader {label}")]
    consumer.close()
    check([k for k, _ in got] == [f"person-{i}" for i in range(6)], f"reader {label}: keys decoded in order")
    if label == "v1":
        check(all(set(v) == {"name", "age"} for _, v in got), "reader v1: the new field is dropped")
    else:
        check([v["email"] for _, v in got] == ["unknown"] * 5 + ["p5@example.com"],
              "reader v2: old records get the default, the new one its email")

check(client.update_compatibility("FULL", "people-value") == "FULL", "people-value set to FULL")
check(client.get_compatibility("people-value") == "FULL", "people-value reads back FULL")
print("DONE")
