"""Kafka Connect on the playground over its REST API (urllib, as curl
would): FileStreamSource reading a real file into a topic, FileStreamSink
writing the topic to another real file, pause/resume, the API's error
codes, delete; confluent-kafka reads what the source produced."""
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request

from confluent_kafka import Consumer
from confluent_kafka.admin import AdminClient

from common import check, fail, poll_messages, wait_for

bootstrap, connect = sys.argv[1], sys.argv[2]
STRING = "org.apache.kafka.connect.storage.StringConverter"


def call(method, path, body=None, content_type="application/json"):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(connect + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        return e.code, json.loads(text) if text else None


work = tempfile.mkdtemp(prefix="kplay-connect-")
source_file, sink_file = os.path.join(work, "in.txt"), os.path.join(work, "out.txt")

status, info = call("GET", "/")
check(status == 200 and "version" in info and "kafka_cluster_id" in info, f"GET / answers the worker's version: {info}")
status, plugins = call("GET", "/connector-plugins")
classes = [p["class"] for p in plugins]
check("org.apache.kafka.connect.file.FileStreamSourceConnector" in classes, "FileStreamSource is a plugin")

source = {"name": "file-source", "config": {"connector.class": "FileStreamSource", "file": source_file,
                                            "topic": "connect-test", "key.converter": STRING, "value.converter": STRING}}
status, created = call("POST", "/connectors", source)
check(status == 201 and created["name"] == "file-source", f"POST /connectors created the source: {status}")
status, again = call("POST", "/connectors", source)
check(status == 409 and again["error_code"] == 409, f"creating it twice: 409 {again}")
status, refused = call("POST", "/connectors", json.dumps(source).encode(), content_type="text/plain")
check(status == 415, f"a text/plain body is refused with 415: {refused}")
status, missing = call("GET", "/connectors/nope/status")
check(status == 404 and missing["message"] == "Connector nope not found", f"unknown connector: {missing}")

with open(source_file, "a") as f:
    f.write("first line\nsecond line\nthird line\n")


def running(name):
    status, body = call("GET", f"/connectors/{name}/status")
    return status == 200 and body["connector"]["state"] == "RUNNING" and body["tasks"] and \
        all(t["state"] == "RUNNING" for t in body["tasks"])


wait_for(lambda: running("file-source"), 10, "the source connector and its task RUNNING")
status, body = call("GET", "/connectors/file-source/status")
worker = connect.removeprefix("http://")
check(body["connector"]["worker_id"] == worker and body["tasks"][0]["worker_id"] == worker,
      f"the worker names itself by its REST address {worker}: {body}")
# The topic appears when the task first produces (auto-creation).
admin = AdminClient({"bootstrap.servers": bootstrap})


def topic_ready(name):
    topic = admin.list_topics(topic=name, timeout=5).topics.get(name)
    return topic is not None and topic.error is None and topic.partitions and \
        all(p.leader >= 0 for p in topic.partitions.values())


wait_for(lambda: topic_ready("connect-test"), 10, "connect-test created by the source task")
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "connect-check", "auto.offset.reset": "earliest"})
consumer.subscribe(["connect-test"])
values = [m.value().decode() for m in poll_messages(consumer, 3, 10, "connect-test")]
check(values == ["first line", "second line", "third line"], f"the file's lines are records in connect-test: {values}")

sink = {"name": "file-sink", "config": {"connector.class": "FileStreamSink", "topics": "connect-test", "file": sink_file,
                                        "key.converter": STRING, "value.converter": STRING}}
status, _ = call("POST", "/connectors", sink)
check(status == 201, "POST /connectors created the sink")


def sink_lines():
    try:
        with open(sink_file) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


wait_for(lambda: sink_lines() == values, 10, "the sink wrote the three lines to its file")
with open(source_file, "a") as f:
    f.write("fourth line\n")
wait_for(lambda: sink_lines()[-1:] == ["fourth line"], 10, "a new line flows file -> topic -> file")

status, _ = call("PUT", "/connectors/file-source/pause")
check(status == 202, "pause answered 202")
wait_for(lambda: call("GET", "/connectors/file-source/status")[1]["connector"]["state"] == "PAUSED", 10, "source PAUSED")
with open(source_file, "a") as f:
    f.write("fifth line\n")
time.sleep(1)
check("fifth line" not in sink_lines(), "nothing flows while the source is paused")
status, _ = call("PUT", "/connectors/file-source/resume")
check(status == 202, "resume answered 202")
wait_for(lambda: sink_lines()[-1:] == ["fifth line"], 10, "after resume the paused line arrives")
check(sink_lines() == ["first line", "second line", "third line", "fourth line", "fifth line"],
      "each line exactly once, in order")

status, topics = call("GET", "/connectors/file-source/topics")
check(status == 200 and topics["file-source"]["topics"] == ["connect-test"], f"active topics: {topics}")
status, _ = call("DELETE", "/connectors/file-source")
check(status == 204, "DELETE answered 204")
status, names = call("GET", "/connectors")
check(names == ["file-sink"], f"only the sink is left: {names}")
consumer.close()
print("DONE")
