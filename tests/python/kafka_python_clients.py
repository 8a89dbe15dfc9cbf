"""kafka-python against the playground: admin create/list/delete, a
producer waiting for each record's metadata, a consumer group that reads
and commits, and a second consumer resuming from the commit."""
import sys

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic

from common import check

bootstrap = sys.argv[1]
admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="kp-admin")
admin.create_topics([NewTopic("kp-events", num_partitions=2, replication_factor=1)])
check("kp-events" in admin.list_topics(), "kafka-python admin created kp-events")

producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
offsets = {}
for i in range(20):
    meta = producer.send("kp-events", key=f"k{i % 4}".encode(), value=f"event {i}".encode()).get(timeout=10)
    offsets.setdefault(meta.partition, []).append(meta.offset)
producer.close()
for partition, got in offsets.items():
    check(got == list(range(len(got))), f"kp-events-{partition} offsets contiguous from 0")

consumer = KafkaConsumer("kp-events", bootstrap_servers=bootstrap, group_id="kp-group", auto_offset_reset="earliest",
                         enable_auto_commit=False, consumer_timeout_ms=10000, heartbeat_interval_ms=200)
seen = []
for msg in consumer:
    seen.append((msg.partition, msg.offset))
    if len(seen) == 20:
        break
check(len(seen) == 20, "the group consumer read all 20 records")
consumer.commit()
committed = {p: consumer.committed(TopicPartition("kp-events", p)) for p in offsets}
check(all(committed[p] == len(offsets[p]) for p in offsets), f"committed offsets {committed}")
consumer.close()

again = KafkaConsumer("kp-events", bootstrap_servers=bootstrap, group_id="kp-group", auto_offset_reset="earliest",
                      consumer_timeout_ms=3000, heartbeat_interval_ms=200)
rest = list(again)
check(rest == [], "a restarted member of kp-group has nothing left to read")
again.close()

groups = [g[0] if isinstance(g, tuple) else g.group for g in admin.list_consumer_groups()]
check("kp-group" in groups, f"list_consumer_groups shows kp-group ({groups})")
admin.delete_topics(["kp-events"])
check("kp-events" not in admin.list_topics(), "kafka-python admin deleted kp-events")
admin.close()
print("DONE")
