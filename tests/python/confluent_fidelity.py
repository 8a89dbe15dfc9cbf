"""confluent-kafka-python against the playground where it used to differ
from Kafka (issue 19): ListOffsets with OffsetSpec.max_timestamp()
(KIP-734), DeleteRecords, the committed offsets of a deleted topic, and
DeleteGroups."""
import sys
import time

from confluent_kafka import Consumer, ConsumerGroupTopicPartitions, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic, OffsetSpec

from common import check, fail, poll_messages

bootstrap = sys.argv[1]
admin = AdminClient({"bootstrap.servers": bootstrap})
for f in admin.create_topics([NewTopic("kip734", 1, 1), NewTopic("gone", 2, 1), NewTopic("kept", 1, 1)]).values():
    f.result(10)

# --- ListOffsets max_timestamp: the record with the largest timestamp -------
producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 500})
base = int(time.time() * 1000) - 60_000
for delta in (100, 400, 200):
    producer.produce("kip734", value=f"+{delta}", timestamp=base + delta)
check(producer.flush(10) == 0, "three records in one batch")
found = admin.list_offsets({TopicPartition("kip734", 0): OffsetSpec.max_timestamp()})
result = found[TopicPartition("kip734", 0)].result(10)
check(result.offset == 1, f"max_timestamp finds the record carrying +400 (offset 1, got {result.offset})")
check(result.timestamp == base + 400, f"and its timestamp ({result.timestamp})")
by_time = admin.list_offsets({TopicPartition("kip734", 0): OffsetSpec.for_timestamp(base + 150)})
at = by_time[TopicPartition("kip734", 0)].result(10)
check(at.offset == 1, f"a time finds the first record at or after it, not the batch (got {at.offset})")

# --- DeleteRecords: the log-start offset moves --------------------------------
deleted = admin.delete_records([TopicPartition("kip734", 0, 2)])
low = deleted[TopicPartition("kip734", 0)].result(10).low_watermark
check(low == 2, f"delete_records answers the new low watermark ({low})")
earliest = admin.list_offsets({TopicPartition("kip734", 0): OffsetSpec.earliest()})
check(earliest[TopicPartition("kip734", 0)].result(10).offset == 2, "the earliest offset is now 2")
try:
    admin.delete_records([TopicPartition("kip734", 0, 99)])[TopicPartition("kip734", 0)].result(10)
    fail("deleting past the high watermark succeeded")
except KafkaException as e:
    check(e.args[0].name() == "OFFSET_OUT_OF_RANGE", f"past the high watermark: {e.args[0].name()}")

# --- A deleted topic's committed offsets leave the group --------------------
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "reader", "enable.auto.commit": False})
consumer.commit(offsets=[TopicPartition("gone", 0, 5), TopicPartition("gone", 1, 3), TopicPartition("kept", 0, 1)],
                asynchronous=False)
consumer.close()


def committed_topics(group):
    futures = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)])
    return sorted({tp.topic for tp in futures[group].result(10).topic_partitions})


check(committed_topics("reader") == ["gone", "kept"], "the group committed both topics")
admin.delete_topics(["gone"])["gone"].result(10)
deadline = time.monotonic() + 10
while "gone" in committed_topics("reader") and time.monotonic() < deadline:
    time.sleep(0.1)
check(committed_topics("reader") == ["kept"], "deleting the topic removed its offsets from the group")

# --- DeleteGroups ------------------------------------------------------------
busy = Consumer({"bootstrap.servers": bootstrap, "group.id": "busy", "auto.offset.reset": "earliest"})
busy.subscribe(["kip734"])
poll_messages(busy, 1, 15, "the busy group's records (one is left after DeleteRecords)")
listed = {g.group_id for g in admin.list_consumer_groups().result(10).valid}
check({"reader", "busy"} <= listed, f"both groups are listed: {sorted(listed)}")
try:
    admin.delete_consumer_groups(["busy"])["busy"].result(10)
    fail("a group with a member was deleted")
except KafkaException as e:
    check(e.args[0].name() == "NON_EMPTY_GROUP", f"a group with members is refused: {e.args[0].name()}")
busy.close()
admin.delete_consumer_groups(["reader"])["reader"].result(10)
listed = {g.group_id for g in admin.list_consumer_groups().result(10).valid}
check("reader" not in listed, "the deleted group is gone")
check(committed_topics("reader") == [], "and its offsets with it")
try:
    admin.delete_consumer_groups(["reader"])["reader"].result(10)
    fail("a deleted group was deleted again")
except KafkaException as e:
    check(e.args[0].name() == "GROUP_ID_NOT_FOUND", f"deleting it again: {e.args[0].name()}")
print("DONE")
