"""A group of three confluent-kafka consumers rebalancing as members join
and leave, with the assignor given as argv[2] (`range` or
`cooperative-sticky`), then commits and a restart resuming from the
committed offset."""
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from common import check, fail, wait_for

bootstrap, assignor = sys.argv[1], sys.argv[2]
topic = f"rebalance-{assignor}"
group = f"group-{assignor}"
admin = AdminClient({"bootstrap.servers": bootstrap})
admin.create_topics([NewTopic(topic, num_partitions=6, replication_factor=1)])[topic].result(10)


def new_consumer(name):
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "client.id": name,
        "partition.assignment.strategy": assignor,
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 100,
        "auto.offset.reset": "earliest",
    })
    consumer.subscribe([topic])
    return consumer


def poll_all(consumers):
    for c in consumers:
        msg = c.poll(0.05)
        if msg is not None and msg.error():
            fail(f"poll error: {msg.error()}")


def assignments(consumers):
    return [sorted(tp.partition for tp in c.assignment()) for c in consumers]


def balanced(consumers, sizes):
    def predicate():
        parts = assignments(consumers)
        everything = sorted(p for a in parts for p in a)
        return everything == list(range(6)) and sorted(len(a) for a in parts) == sizes
    return predicate


members = [new_consumer("c1")]
wait_for(balanced(members, [6]), 20, "c1 to own all 6 partitions", step=lambda: poll_all(members))
check(True, f"c1 owns {assignments(members)[0]}")
members.append(new_consumer("c2"))
wait_for(balanced(members, [3, 3]), 20, "3/3 after c2 joins", step=lambda: poll_all(members))
check(True, f"after c2 joined: {assignments(members)}")
members.append(new_consumer("c3"))
wait_for(balanced(members, [2, 2, 2]), 20, "2/2/2 after c3 joins", step=lambda: poll_all(members))
check(True, f"after c3 joined: {assignments(members)}")
leaving = members.pop(1)
leaving.close()
wait_for(balanced(members, [3, 3]), 20, "3/3 after c2 leaves", step=lambda: poll_all(members))
check(True, f"after c2 left: {assignments(members)}")
for c in members:
    c.close()

# --- commit, restart, resume ---------------------------------------------
commit_topic = f"commits-{assignor}"
producer = Producer({"bootstrap.servers": bootstrap})
for i in range(10):
    producer.produce(commit_topic, value=f"m{i}", partition=0)
check(producer.flush(10) == 0, "10 records produced for the commit test")
reader = Consumer({"bootstrap.servers": bootstrap, "group.id": f"resume-{assignor}", "auto.offset.reset": "earliest",
                   "enable.auto.commit": False, "partition.assignment.strategy": assignor,
                   "heartbeat.interval.ms": 100})
reader.subscribe([commit_topic])
read = []
deadline = time.monotonic() + 20
while len(read) < 4 and time.monotonic() < deadline:
    msg = reader.poll(0.2)
    if msg is not None and not msg.error():
        read.append(msg.offset())
check(read[:4] == [0, 1, 2, 3], f"first reader got offsets {read[:4]}")
reader.commit(offsets=[TopicPartition(commit_topic, 0, 4)], asynchronous=False)
committed = reader.committed([TopicPartition(commit_topic, 0)], timeout=5)
check(committed[0].offset == 4, "committed offset 4 reads back")
reader.close()
restarted = Consumer({"bootstrap.servers": bootstrap, "group.id": f"resume-{assignor}", "auto.offset.reset": "earliest",
                      "partition.assignment.strategy": assignor, "heartbeat.interval.ms": 100})
restarted.subscribe([commit_topic])
first = None
deadline = time.monotonic() + 20
while first is None and time.monotonic() < deadline:
    msg = restarted.poll(0.2)
    if msg is not None and not msg.error():
        first = msg.offset()
check(first == 4, f"the restarted consumer resumed at the committed offset ({first})")
restarted.close()
print("DONE")
