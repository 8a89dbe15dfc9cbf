"""Shared helpers for the native backend's client tests.

Each script takes the bootstrap address (and, for the registry tests, the
registry URL) as arguments, prints what it checks, and exits non-zero with
the reason on the first failure. crates/server/tests/clients.rs starts the
server on free ports and runs them.
"""
import sys
import time


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"ok: {message}", flush=True)


def wait_for(predicate, timeout, what, step=None):
    """Calls predicate() (step() first, if given) until it is true or
    timeout seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if step is not None:
            step()
        if predicate():
            return
        if step is None:
            time.sleep(0.05)
    fail(f"timed out after {timeout} s waiting for {what}")


def poll_messages(consumer, count, timeout, what):
    """Polls until `count` messages arrived (each poll waiting up to
    `timeout` seconds), failing on a poll that returns nothing or an error.
    A subscribed librdkafka consumer may report a topic created a moment
    ago as not yet available ("Subscribed topic not available"); librdkafka
    documents that as informational and recovers by itself, so it is
    printed, not failed on."""
    from confluent_kafka import KafkaError

    messages = []
    while len(messages) < count:
        msg = consumer.poll(timeout)
        if msg is None:
            fail(f"{what}: poll() timed out with {len(messages)} of {count} records")
        if msg.error():
            if msg.error().code() in (KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_TOPIC):
                print(f"note: {what}: {msg.error()}", flush=True)
                continue
            fail(f"{what}: poll() error: {msg.error()}")
        messages.append(msg)
    return messages
