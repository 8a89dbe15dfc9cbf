"""The Schema Registry on the playground through confluent-kafka's
SchemaRegistryClient: register and read back a schema, an incompatible
version refused with the registry's error, and SerializingProducer with
AvroSerializer / DeserializingConsumer with AvroDeserializer end to end."""
import json
import sys

from confluent_kafka import DeserializingConsumer, SerializingProducer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import StringDeserializer, StringSerializer

from common import check, fail, poll_messages

bootstrap, registry_url = sys.argv[1], sys.argv[2]
client = SchemaRegistryClient({"url": registry_url})

v1 = json.dumps({"type": "record", "name": "Payment", "namespace": "shop",
                 "fields": [{"name": "id", "type": "string"}, {"name": "amount", "type": "double"}]})
schema_id = client.register_schema("payments-value", Schema(v1, "AVRO"))
check(schema_id >= 1, f"registered with id {schema_id}")
fetched = client.get_schema(schema_id)
check(json.loads(fetched.schema_str) == json.loads(v1), "get_schema(id) returns the schema")
latest = client.get_latest_version("payments-value")
check(latest.version == 1 and latest.schema_id == schema_id, "latest version is 1 with that id")
check(client.get_subjects() == ["payments-value"], "get_subjects lists the subject")

# BACKWARD (the default): a new required field without a default is refused.
incompatible = json.dumps({"type": "record", "name": "Payment", "namespace": "shop",
                           "fields": [{"name": "id", "type": "string"}, {"name": "amount", "type": "double"},
                                      {"name": "currency", "type": "string"}]})
try:
    client.register_schema("payments-value", Schema(incompatible, "AVRO"))
    fail("an incompatible schema was registered")
except SchemaRegistryError as e:
    check(e.http_status_code == 409 and e.error_code == 409, f"incompatible schema refused: {e.error_code} {e.error_message[:80]}")

# SerializingProducer / DeserializingConsumer with Avro
serializer = AvroSerializer(client, v1)
producer = SerializingProducer({"bootstrap.servers": bootstrap, "key.serializer": StringSerializer(),
                                "value.serializer": serializer})
for i in range(5):
    producer.produce("payments", key=f"p{i}", value={"id": f"p{i}", "amount": 10.5 * i})
check(producer.flush(10) == 0, "5 Avro records produced")
consumer = DeserializingConsumer({"bootstrap.servers": bootstrap, "group.id": "payments-reader",
                                  "auto.offset.reset": "earliest", "key.deserializer": StringDeserializer(),
                                  "value.deserializer": AvroDeserializer(client)})
consumer.subscribe(["payments"])
values = [msg.value() for msg in poll_messages(consumer, 5, 10, "DeserializingConsumer")]
consumer.close()
check(sorted(v["id"] for v in values) == [f"p{i}" for i in range(5)], "the DeserializingConsumer decoded all 5 records")
check(all(v["amount"] == 10.5 * int(v["id"][1:]) for v in values), "amounts decoded exactly")
print("DONE")
