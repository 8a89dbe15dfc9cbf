"""A server started with --override auto.create.topics.enable=false
--override num.partitions=4, through confluent-kafka."""
import sys

from confluent_kafka import KafkaError, Producer
from confluent_kafka.admin import AdminClient, ConfigResource, ConfigSource, NewTopic, ResourceType

from common import check

bootstrap = sys.argv[1]
admin = AdminClient({"bootstrap.servers": bootstrap})

# Metadata for an unknown topic no longer creates it.
metadata = admin.list_topics(topic="not-created", timeout=10)
topic = metadata.topics["not-created"]
check(topic.error is not None and topic.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART,
      f"metadata of an unknown topic: {topic.error}")
check("not-created" not in admin.list_topics(timeout=10).topics, "the topic was not auto-created")
producer = Producer({"bootstrap.servers": bootstrap, "message.timeout.ms": 2000})
errors = []
producer.produce("not-created", b"x", on_delivery=lambda err, msg: errors.append(err))
producer.flush(10)
check(len(errors) == 1 and errors[0] is not None, f"producing to it fails: {errors}")

# CreateTopics without a partition count (-1) takes num.partitions.
admin.create_topics([NewTopic("defaulted")])["defaulted"].result(timeout=10)
partitions = admin.list_topics(topic="defaulted", timeout=10).topics["defaulted"].partitions
check(len(partitions) == 4, f"a topic created without a count has num.partitions=4 partitions: {len(partitions)}")

entries = admin.describe_configs([ConfigResource(ResourceType.BROKER, "1")])
for _, future in entries.items():
    configs = future.result(timeout=10)
    for name, value in (("auto.create.topics.enable", "false"), ("num.partitions", "4")):
        check(configs[name].value == value and configs[name].source == ConfigSource.STATIC_BROKER_CONFIG.value,
              f"{name}={value} from STATIC_BROKER_CONFIG")
    check(configs["delete.topic.enable"].source == ConfigSource.DEFAULT_CONFIG.value, "delete.topic.enable is a default")
print("DONE")
