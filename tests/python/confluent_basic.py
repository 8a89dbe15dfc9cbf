"""confluent-kafka-python against the playground: AdminClient create /
list / delete topics, Producer with delivery callbacks and keys, flush(),
Consumer poll() and consume(num_messages), enable.idempotence=True.

Prints `PARTITION <key> <partition>` for each keyed record so the Rust
side can compare with the engine's copy of librdkafka's partitioner."""
import sys

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, ConfigSource, NewTopic,
                                  ResourceType)

from common import check, fail, poll_messages

bootstrap = sys.argv[1]
admin = AdminClient({"bootstrap.servers": bootstrap})

# --- AdminClient: create, list ---------------------------------------------
futures = admin.create_topics([NewTopic("orders", num_partitions=3, replication_factor=2)])
futures["orders"].result(timeout=10)
metadata = admin.list_topics(timeout=10)
check("orders" in metadata.topics, "list_topics shows the created topic")
check(len(metadata.topics["orders"].partitions) == 3, "orders has 3 partitions")
check(len(metadata.brokers) == 3, "three brokers advertised")
again = admin.create_topics([NewTopic("orders", num_partitions=3, replication_factor=1)])
try:
    again["orders"].result(timeout=10)
    fail("creating orders twice succeeded")
except Exception as e:  # KafkaException(TOPIC_ALREADY_EXISTS)
    check("TOPIC_ALREADY_EXISTS" in str(e) or "already exists" in str(e), f"second create refused: {e}")

# --- Producer: delivery callbacks, keys, flush ------------------------------
producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
delivered = []


def on_delivery(err, msg):
    if err is not None:
        fail(f"delivery failed: {err}")
    delivered.append((msg.key().decode(), msg.partition(), msg.offset()))


keys = [f"customer-{i}" for i in range(30)]
for i, key in enumerate(keys):
    producer.produce("orders", key=key, value=f"order {i}", on_delivery=on_delivery)
remaining = producer.flush(10)
check(remaining == 0, "flush() delivered everything")
check(len(delivered) == 30, "30 delivery callbacks")
for key, partition, offset in delivered:
    print(f"PARTITION {key} {partition}")
per_partition = {}
for key, partition, offset in delivered:
    per_partition.setdefault(partition, []).append(offset)
for partition, offsets in per_partition.items():
    check(offsets == list(range(len(offsets))), f"partition {partition} offsets are 0..{len(offsets) - 1} in order")

# --- Consumer: assign + poll(), consume(num_messages) ------------------------
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "basic-reader", "auto.offset.reset": "earliest",
                     "enable.auto.commit": False})
consumer.assign([TopicPartition("orders", p, 0) for p in range(3)])
seen = [(m.key().decode(), m.partition(), m.offset()) for m in poll_messages(consumer, 30, 5, "assigned consumer")]
check(sorted(seen) == sorted(delivered), "poll() read back every record where it was delivered")
consumer.assign([TopicPartition("orders", p, 0) for p in range(3)])
batch = []
while len(batch) < 30:
    got = consumer.consume(num_messages=30, timeout=5)
    if not got:
        fail(f"consume() timed out with {len(batch)} of 30")
    batch.extend(m for m in got if not m.error())
check(len(batch) == 30, "consume(num_messages=30) read 30 records")
low, high = consumer.get_watermark_offsets(TopicPartition("orders", 0), timeout=5)
check(low == 0 and high == len(per_partition.get(0, [])), f"watermarks of orders-0 are ({low}, {high})")
consumer.close()

# --- enable.idempotence=True -------------------------------------------------
idempotent = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
acked = []
for i in range(50):
    idempotent.produce("idem", value=f"v{i}", partition=0,
                       on_delivery=lambda err, msg: acked.append(msg.offset()) if err is None else fail(str(err)))
check(idempotent.flush(10) == 0, "idempotent producer flushed")
check(acked == list(range(50)), "idempotent producer: 50 records at offsets 0..49, in order")

# --- message.max.bytes: the broker refuses a batch over 1048588 bytes --------
big = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": 4000000, "linger.ms": 0})
outcomes = {}


def on_big(err, msg):
    outcomes[msg.topic()] = err


admin.create_topics([NewTopic("roomy", num_partitions=1, replication_factor=1,
                              config={"max.message.bytes": "3000000"})])["roomy"].result(timeout=10)
big.produce("idem", value=b"x" * 2_000_000, partition=0, on_delivery=on_big)
big.produce("roomy", value=b"x" * 2_000_000, partition=0, on_delivery=on_big)
check(big.flush(15) == 0, "big producer flushed")
err = outcomes.get("idem")
check(err is not None and err.code() == KafkaError.MSG_SIZE_TOO_LARGE,
      f"2 MB to a default topic refused with MESSAGE_TOO_LARGE: {err}")
check(outcomes.get("roomy") is None and "roomy" in outcomes, "2 MB to a topic with max.message.bytes=3000000 accepted")

# --- AdminClient: describe_configs of a topic and of a broker ----------------
topic_configs = admin.describe_configs([ConfigResource(ResourceType.TOPIC, "idem")])
for resource, future in topic_configs.items():
    entries = future.result(timeout=10)
    check(entries["cleanup.policy"].value == "delete", "topic idem: cleanup.policy=delete")
    check(entries["cleanup.policy"].source == ConfigSource.DEFAULT_CONFIG.value, "topic idem: cleanup.policy is a default")
broker_configs = admin.describe_configs([ConfigResource(ResourceType.BROKER, "1")])
for resource, future in broker_configs.items():
    entries = future.result(timeout=10)
    check(entries["broker.id"].value == "1" and entries["broker.id"].is_read_only, "broker 1: broker.id=1, read-only")
    check(entries["message.max.bytes"].value == "1048588", "broker 1: message.max.bytes=1048588")
    check(entries["message.max.bytes"].source == ConfigSource.DEFAULT_CONFIG.value, "broker 1: message.max.bytes is a default")
    check(entries["log.retention.ms"].value is None, "broker 1: log.retention.ms is null (log.retention.hours=168)")
    check(entries["log.retention.hours"].value == "168", "broker 1: log.retention.hours=168")

# --- AdminClient: incremental_alter_configs and alter_configs ----------------
inc = ConfigResource(ResourceType.TOPIC, "idem", incremental_configs=[
    ConfigEntry("retention.ms", "60000", incremental_operation=AlterConfigOpType.SET)])
for _, future in admin.incremental_alter_configs([inc]).items():
    future.result(timeout=10)
entries = admin.describe_configs([ConfigResource(ResourceType.TOPIC, "idem")])
for _, future in entries.items():
    configs = future.result(timeout=10)
    check(configs["retention.ms"].value == "60000" and configs["retention.ms"].source == ConfigSource.DYNAMIC_TOPIC_CONFIG.value,
          "incremental_alter_configs set retention.ms=60000 on idem")
bad = ConfigResource(ResourceType.TOPIC, "idem", incremental_configs=[
    ConfigEntry("retention.ms", "soon", incremental_operation=AlterConfigOpType.SET)])
for _, future in admin.incremental_alter_configs([bad]).items():
    try:
        future.result(timeout=10)
        fail("retention.ms=soon was accepted")
    except Exception as e:
        check("INVALID_CONFIG" in str(e) or "Invalid value" in str(e), f"retention.ms=soon refused: {e}")
broker = ConfigResource(ResourceType.BROKER, "1", incremental_configs=[
    ConfigEntry("num.partitions", "3", incremental_operation=AlterConfigOpType.SET)])
for _, future in admin.incremental_alter_configs([broker]).items():
    try:
        future.result(timeout=10)
        fail("a broker config was altered")
    except Exception as e:
        check("INVALID_REQUEST" in str(e) or "cannot be altered" in str(e), f"broker configs are fixed: {e}")
whole = ConfigResource(ResourceType.TOPIC, "idem", set_config={"cleanup.policy": "compact"})
for _, future in admin.alter_configs([whole]).items():
    future.result(timeout=10)
for _, future in admin.describe_configs([ConfigResource(ResourceType.TOPIC, "idem")]).items():
    configs = future.result(timeout=10)
    check(configs["cleanup.policy"].value == "compact", "alter_configs set cleanup.policy=compact")
    check(configs["retention.ms"].source == ConfigSource.DEFAULT_CONFIG.value,
          "alter_configs replaced the overrides: retention.ms is back to its default")

# --- AdminClient: delete ------------------------------------------------------
admin.delete_topics(["orders"])["orders"].result(timeout=10)
check("orders" not in admin.list_topics(timeout=10).topics, "orders is deleted")
print("DONE")
