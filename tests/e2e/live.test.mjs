// End-to-end tests of live mode: the native server (`kafka-playground serve`,
// started here on free ports) serves the built site and answers the page's
// port over its WebSocket, while real clients (confluent-kafka from the
// project's virtualenv) use the same engine over the Kafka protocol. What
// the clients do shows in the views; what the page does, the clients see.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { createInterface } from "node:readline";
import { request } from "node:http";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { serveDirectory } from "../../scripts/serve-dist.mjs";
import { ENGINE_READY, createProducer, launch, markAt, openPage, partitionOf, sumCells } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const dist = join(root, "dist");
const artifacts = join(here, "artifacts");
const SERVER = process.env.KPLAY_SERVER ?? join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "debug/kafka-playground");
const PYTHON = process.env.KPLAY_PYTHON ?? "python3";
/** A real client's call shows in the page within this (the goal is 200 ms). */
const LIVE_LATENCY_GOAL_MS = 200;
const LIVE_LATENCY_FAIL_MS = 1_000;

let server;
let hosted;
let browser;

/** Starts the server on free ports; resolves with its addresses. */
function startServer(extra = []) {
  const child = spawn(SERVER, ["serve", "--kafka-port", "0", "--registry-port", "0", "--connect-port", "0", "--feed-port", "0", "--dist", dist, ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = [];
  child.stderr.on("data", (d) => log.push(String(d)));
  return new Promise((resolve, reject) => {
    const found = {};
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log.join("")}`)), 20_000);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${log.join("")}`)));
    lines.on("line", (line) => {
      const after = (marker) => line.includes(marker) && line.split(marker)[1].split(/\s/)[0];
      found.bootstrap ??= after("Kafka protocol on ") || undefined;
      found.feed ??= after("live feed on http://") || undefined;
      if (line.includes("ready")) {
        clearTimeout(timer);
        resolve({ ...found, child, log, stop: () => child.kill("SIGKILL") });
      }
    });
  });
}

/** Runs Python code with the project's virtualenv; resolves with its stdout. */
async function python(code, args = []) {
  const { stdout } = await promisify(execFile)(PYTHON, ["-c", code, ...args], { timeout: 60_000 });
  return stdout;
}

/** Creates `topic` with `partitions` partitions, replication factor 3, with confluent-kafka's AdminClient. */
function createTopicWithAdmin(topic, partitions) {
  return python(
    `import sys
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
for f in admin.create_topics([NewTopic(sys.argv[2], int(sys.argv[3]), 3)]).values():
    f.result(10)`,
    [server.bootstrap, topic, String(partitions)],
  );
}

/** The status code of a WebSocket upgrade of `path` sent with `origin`. */
function upgradeStatus(host, path, origin) {
  return new Promise((resolve, reject) => {
    const [hostname, port] = host.split(":");
    const headers = { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" };
    if (origin) headers.Origin = origin;
    const req = request({ hostname, port, path, headers });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", reject);
    req.end();
  });
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  hosted = await serveDirectory({ root: dist, prefix: "/play/" });
  // The hosted copy of the site may attach to this server.
  server = await startServer(["--allow-origin", new URL(hosted.url).origin]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  await hosted?.close();
});

test("live mode: what real clients do shows in the views, and the page acts on the real server", async () => {
  const { page, problems } = await openPage(browser);
  await page.goto(`http://${server.feed}/#/cluster`);
  await markAt(page, ENGINE_READY);
  assert.equal((await page.getByTestId("mode-badge").innerText()).trim(), `Live: bootstrap.servers=${server.bootstrap}`);
  assert.match(await page.getByTestId("clock").innerText(), /follows the wall clock/, "a live server's clock is not the page's to pause");

  // A real producer: confluent-kafka, acks=all, 10 keyed records.
  const produced = await python(
    `import sys, time
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": sys.argv[1], "linger.ms": 0})
for i in range(10):
    p.produce("course-orders", key=f"user-{i}", value=f"order {i}")
p.flush(10)
print(int(time.time() * 1000))`,
    [server.bootstrap],
  );
  const flushedAt = Number(produced.trim());
  const seenAt = await page.evaluate(async () => {
    const cells = () => [...document.querySelectorAll('[data-testid="topic-course-orders"] td.hw')];
    const deadline = Date.now() + 10_000;
    while (cells().reduce((s, td) => s + Number(td.textContent), 0) !== 10) {
      if (Date.now() > deadline) throw new Error("the producer's 10 records did not show within 10 s");
      await new Promise(requestAnimationFrame);
    }
    return Date.now();
  });
  const latency = Math.max(0, seenAt - flushedAt);
  console.log(`# live: 10 records flushed by confluent-kafka appeared in the Cluster view ${latency} ms later ` +
    `(goal ${LIVE_LATENCY_GOAL_MS} ms; includes the Python process's exit)`);
  assert.ok(latency < LIVE_LATENCY_FAIL_MS, `${latency} ms`);
  assert.equal(await sumCells(page, '[data-testid="topic-course-orders"] td.hw'), 10);
  await page.screenshot({ path: join(artifacts, "live-cluster.png"), fullPage: true });

  // A real consumer group, polling in the background while the page looks.
  const consumer = spawn(PYTHON, ["-c", `import sys, time
from confluent_kafka import Consumer
c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "course-group", "auto.offset.reset": "earliest", "client.id": "course-consumer"})
c.subscribe(["course-orders"])
end = time.time() + 25
while time.time() < end:
    c.poll(0.2)
c.close()`, server.bootstrap], { stdio: "ignore" });
  try {
    await page.getByRole("link", { name: "Consumers", exact: true }).click();
    await page.getByTestId("no-consumers").waitFor();
    await page.waitForFunction(() => {
      const row = document.querySelector('[data-testid="group-course-group"]');
      return row && /Stable/.test(row.textContent) && /course-consumer/.test(row.textContent);
    }, null, { timeout: 20_000 });
    assert.match(await page.getByTestId("groups").innerText(), /course-group\s+Stable\s+1\s+range/);
    await page.waitForFunction(() => /course-group: .* joined as member/.test(document.querySelector('[data-testid="group-events"]').textContent));
    await page.screenshot({ path: join(artifacts, "live-consumers.png"), fullPage: true });
  } finally {
    consumer.kill();
  }

  // Record content is untrusted: what a client wrote shows as text.
  await python(
    `import sys
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": sys.argv[1]})
p.produce("course-orders", key="<b>user</b>", value='<img src=x onerror="window.pwned=1">', headers=[("trace", b"<script>window.pwned=2</script>")])
p.flush(10)`,
    [server.bootstrap],
  );
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  await page.getByRole("button", { name: "Show the records of course-orders-0" }).click();
  const hostile = page.getByTestId("record-browser").getByTestId("record-10");
  await hostile.waitFor();
  assert.match(await hostile.innerText(), /<b>user<\/b>\s+<img src=x onerror="window\.pwned=1">\s+trace=<script>window\.pwned=2<\/script>/);
  assert.equal(await page.getByTestId("record-browser").locator("img, b, script").count(), 0, "no element was made from record content");
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.screenshot({ path: join(artifacts, "live-records.png"), fullPage: true });

  // The page creates a topic: the real AdminClient lists it.
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  await page.getByLabel("Topic", { exact: true }).fill("made-in-the-page");
  await page.getByLabel("Partitions", { exact: true }).fill("2");
  await page.getByLabel("Replication factor").fill("3");
  await page.getByRole("button", { name: "Create topic" }).click();
  await page.getByTestId("topic-made-in-the-page").waitFor();
  const listed = await python(
    `import sys
from confluent_kafka.admin import AdminClient
md = AdminClient({"bootstrap.servers": sys.argv[1]}).list_topics(timeout=10)
t = md.topics["made-in-the-page"]
print(len(t.partitions), len(t.partitions[0].replicas))`,
    [server.bootstrap],
  );
  assert.equal(listed.trim(), "2 3", "AdminClient sees the page's topic with its partitions and replicas");
  await page.close();
  assert.deepEqual(problems, []);
});

test("live mode: the page's producer writes to the real server, and confluent-kafka reads what it wrote", async () => {
  const { page, problems } = await openPage(browser);
  await createTopicWithAdmin("page-orders", 3);
  await page.goto(`http://${server.feed}/#/producer`);
  await markAt(page, ENGINE_READY);
  await page.getByTestId("no-producers").waitFor();
  await page.getByLabel("client.id", { exact: true }).fill("page-producer");
  await page.getByLabel("linger.ms", { exact: true }).fill("0");
  await page.getByRole("button", { name: "Create producer" }).click();
  const card = page.getByTestId("producer-0");
  await card.waitFor();
  await card.getByLabel("topic", { exact: true }).fill("page-orders");
  await card.getByLabel("key", { exact: true }).fill("user-{n}");
  await card.getByLabel("value", { exact: true }).fill("order {n}");
  await card.getByLabel("How many records").fill("6");
  await card.getByLabel("sync send() + flush()").check();
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await card.getByTestId("send-outcome").filter({ hasText: "0 without a report" }).waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="producer-0"] [data-testid="report"]').length === 6);
  const reported = await card.getByTestId("report").evaluateAll((trs) =>
    trs.map((tr) => `${tr.children[1].textContent} ${tr.querySelector('[data-testid="report-partition"]').textContent} ${tr.querySelector('[data-testid="report-offset"]').textContent}`).sort());
  const read = await python(
    `import sys
from confluent_kafka import Consumer
c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "page-orders-reader", "auto.offset.reset": "earliest"})
c.subscribe(["page-orders"])
got = []
while len(got) < 6:
    m = c.poll(10)
    if m is None:
        break
    if m.error() is None:
        got.append(f"{m.key().decode()} {m.partition()} {m.offset()}")
c.close()
print("\\n".join(sorted(got)))`,
    [server.bootstrap],
  );
  const lines = read.trim().split("\n");
  assert.deepEqual(lines, reported, "confluent-kafka reads each record where the page's delivery report put it");
  for (const line of lines) {
    const [key, partition] = line.split(" ");
    assert.equal(Number(partition), partitionOf(key, 3), `${key}: the Java producer's murmur2`);
  }
  await page.screenshot({ path: join(artifacts, "live-producer.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test("live mode: the Console's tools and confluent-kafka see the same cluster", async () => {
  const { page, problems } = await openPage(browser);
  await page.goto(`http://${server.feed}/#/console`);
  await markAt(page, ENGINE_READY);
  const input = page.getByRole("textbox", { name: "Command" });
  await input.waitFor();
  const B = `--bootstrap-server ${server.bootstrap}`;
  const lines = () => page.getByTestId("console-output").locator(".console-line").allInnerTexts();
  const waitForLine = async (predicate, what) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const now = await lines();
      const found = now.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) assert.fail(`no line ${what} in:\n${now.join("\n")}`);
      await page.waitForTimeout(50);
    }
  };
  const type = async (line) => {
    await input.fill(line);
    await input.press("Enter");
  };

  // A topic a real admin client made, described by the console with the
  // id confluent-kafka reports for it.
  const topicId = (
    await python(
      `import sys
from confluent_kafka import TopicCollection
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
for f in admin.create_topics([NewTopic("console-live", 2, 3, config={"retention.ms": "60000"})]).values():
    f.result(10)
for f in admin.describe_topics(TopicCollection(["console-live"])).values():
    # librdkafka prints a Uuid in standard base64; Kafka's Java tools in
    # the URL-safe alphabet (Uuid.toString()): the same 16 bytes.
    print(str(f.result(10).topic_id).replace("/", "_").replace("+", "-"))`,
      [server.bootstrap],
    )
  ).trim();
  await type(`kafka-topics ${B} --describe --topic console-live`);
  const topicLine = await waitForLine((l) => l.startsWith("Topic: console-live"), "the topic line");
  assert.equal(topicLine, `Topic: console-live\tTopicId: ${topicId}\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: retention.ms=60000`);

  // What confluent-kafka produces, the console consumer prints.
  await python(
    `import sys
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": sys.argv[1]})
for i in range(3):
    p.produce("console-live", key=f"py-{i}", value=f"from python {i}")
p.flush(10)`,
    [server.bootstrap],
  );
  await type(`kafka-console-consumer ${B} --topic console-live --from-beginning --property print.key=true --max-messages 3`);
  await waitForLine((l) => l === "Processed a total of 3 messages", "the count");
  const printed = (await lines()).filter((l) => l.startsWith("py-")).sort();
  assert.deepEqual(printed, ["py-0\tfrom python 0", "py-1\tfrom python 1", "py-2\tfrom python 2"]);

  // What the console producer writes, confluent-kafka reads.
  await type(`kafka-console-producer ${B} --topic console-live --property parse.key=true`);
  await page.getByTestId("console-prompt").filter({ hasText: ">" }).waitFor();
  await type("console-key\tfrom the console");
  await input.press("Control+d");
  await page.getByTestId("console-prompt").filter({ hasText: "$" }).waitFor();
  const read = await python(
    `import sys
from confluent_kafka import Consumer
c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "console-live-reader", "auto.offset.reset": "earliest"})
c.subscribe(["console-live"])
got = []
while len(got) < 4:
    m = c.poll(10)
    if m is None:
        break
    if m.error() is None:
        got.append(f"{m.key().decode()}={m.value().decode()}")
c.close()
print("\\n".join(sorted(got)))`,
    [server.bootstrap],
  );
  assert.ok(read.split("\n").includes("console-key=from the console"), read);
  await page.screenshot({ path: join(artifacts, "live-console.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test("live mode: confluent-kafka consumers rebalance, one crashes and the group recovers; the page resets their offsets; a real client's batch down to its bytes; a reload finds the server's state", async () => {
  const { page, problems } = await openPage(browser);
  await createTopicWithAdmin("live-lag", 3);
  await python(
    `import sys
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": sys.argv[1], "compression.type": "gzip", "linger.ms": 50})
for i in range(30):
    p.produce("live-lag", key=f"user-{i}", value=f"order {i}")
p.flush(10)`,
    [server.bootstrap],
  );
  // A consumer application: cooperative-sticky, auto commit every second,
  // a short session so a crash is noticed within the test.
  const consumerCode = `import sys, time
from confluent_kafka import Consumer
c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "live-group", "client.id": sys.argv[2],
              "auto.offset.reset": "earliest", "partition.assignment.strategy": "cooperative-sticky",
              "session.timeout.ms": 6000, "heartbeat.interval.ms": 500, "auto.commit.interval.ms": 500})
c.subscribe(["live-lag"])
end = time.time() + float(sys.argv[3])
while time.time() < end:
    c.poll(0.1)
c.close()`;
  const consumers = [];
  const start = (name, seconds) => {
    const child = spawn(PYTHON, ["-c", consumerCode, server.bootstrap, name, String(seconds)], { stdio: "ignore" });
    consumers.push(child);
    return child;
  };
  const groupRows = async () => (await page.getByTestId("group-live-group").allInnerTexts()).join("\n");
  try {
    await page.goto(`http://${server.feed}/#/consumers`);
    await markAt(page, ENGINE_READY);
    const first = start("consumer-a", 40);
    await page.waitForFunction(() => /Stable/.test([...document.querySelectorAll('[data-testid="group-live-group"]')].map((r) => r.textContent).join(" ")), null, { timeout: 20_000 });
    assert.match(await groupRows(), /consumer-a/);
    // A second member: the group rebalances (cooperative: two rounds) and
    // the steps show it.
    const second = start("consumer-b", 40);
    await page.waitForFunction(() => {
      const row = [...document.querySelectorAll('[data-testid="group-live-group"]')].map((r) => r.textContent).join(" ");
      return /Stable/.test(row) && /consumer-a/.test(row) && /consumer-b/.test(row);
    }, null, { timeout: 20_000 });
    // Cooperative: generation 2 hands out what nobody must give up, then
    // a second round (generation 3) moves what was revoked.
    const round = (generation) => page.getByTestId("rebalance").filter({ has: page.getByRole("heading", { name: `group live-group → generation ${generation}`, exact: true }) });
    await round(2).waitFor();
    assert.match(await round(2).innerText(), /JoinGroup[\s\S]*generation 2 with 2 member\(s\)[\s\S]*SyncGroup: the leader's assignment[\s\S]*consumer-a-\d+: \[[^\]]*\][\s\S]*Stable/);
    await round(3).waitFor();
    await page.screenshot({ path: join(artifacts, "live-rebalance.png"), fullPage: true });

    // consumer-b crashes (SIGKILL: no LeaveGroup). What it owned is read by
    // nobody until session.timeout.ms passes: new records there are lag.
    second.kill("SIGKILL");
    await python(
      `import sys
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": sys.argv[1]})
for i in range(30, 90):
    p.produce("live-lag", key=f"user-{i}", value=f"order {i}")
p.flush(10)`,
      [server.bootstrap],
    );
    await page.waitForFunction(() => Number((document.querySelector('[data-testid="lag-live-group"]')?.textContent ?? "").match(/lag (\d+)/)?.[1] ?? 0) > 0, null, { timeout: 10_000 });
    await page.screenshot({ path: join(artifacts, "live-lag-after-crash.png"), fullPage: true });
    // The coordinator removes it; consumer-a takes everything and catches up.
    await page.waitForFunction(() => {
      const row = [...document.querySelectorAll('[data-testid="group-live-group"]')].map((r) => r.textContent).join(" ");
      const lag = (document.querySelector('[data-testid="lag-live-group"]')?.textContent ?? "").match(/lag (\d+)/)?.[1];
      return /Stable/.test(row) && !/consumer-b/.test(row) && lag === "0";
    }, null, { timeout: 30_000 });
    assert.match(await page.getByTestId("group-events").innerText(), /live-group[\s\S]*session\.timeout\.ms=6000/);
    await page.screenshot({ path: join(artifacts, "live-recovered.png"), fullPage: true });

    // The application stops; the page resets the group's offsets as
    // kafka-consumer-groups --reset-offsets --to-earliest --execute would,
    // and the AdminClient sees them.
    first.kill("SIGTERM");
    await page.waitForFunction(() => /Empty/.test([...document.querySelectorAll('[data-testid="group-live-group"]')].map((r) => r.textContent).join(" ")), null, { timeout: 20_000 });
    await page.getByLabel("--group").fill("live-group");
    await page.getByLabel("--topic").fill("live-lag");
    await page.getByLabel("Reset to").selectOption("earliest");
    await page.getByTestId("reset-execute").click();
    await page.getByTestId("reset-result").waitFor();
    assert.deepEqual((await page.getByTestId("reset-result").innerText()).trim().split("\n").slice(1).sort(), ["live-group live-lag 0 0", "live-group live-lag 1 0", "live-group live-lag 2 0"]);
    const committed = await python(
      `import sys
from confluent_kafka import ConsumerGroupTopicPartitions
from confluent_kafka.admin import AdminClient
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
f = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions("live-group")])["live-group"]
print(" ".join(f"{tp.partition}:{tp.offset}" for tp in sorted(f.result(10).topic_partitions, key=lambda tp: tp.partition)))`,
      [server.bootstrap],
    );
    assert.equal(committed.trim(), "0:0 1:0 2:0", "the AdminClient reads the offsets the page committed");
  } finally {
    for (const c of consumers) c.kill("SIGKILL");
  }

  // A batch confluent-kafka compressed with gzip, down to its bytes.
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  await page.getByRole("button", { name: "Show the records of live-lag-0" }).click();
  await page.getByLabel("Jump to offset").fill("0");
  await page.getByRole("button", { name: "Go" }).click();
  await page.getByTestId("record-0").waitFor();
  await page.getByRole("button", { name: "Show the bytes of offset 0" }).click();
  const wire = page.getByTestId("wire-inspector");
  await wire.getByTestId("wire-summary").waitFor();
  assert.match(await wire.getByTestId("wire-summary").innerText(), /RecordBatch v2: \d+ bytes, \d+ record\(s\), compression gzip/);
  assert.match(await wire.locator('tr[data-field="attributes"]').first().innerText(), /gzip, CreateTime/);
  assert.equal(await wire.getByRole("heading", { name: "The records inside, decompressed" }).count(), 1);
  await page.screenshot({ path: join(artifacts, "live-wire.png"), fullPage: true });

  // The state is the server's: a reload finds it as it was.
  await page.reload();
  await markAt(page, ENGINE_READY);
  await page.getByTestId("topic-live-lag").waitFor();
  assert.equal(await sumCells(page, '[data-testid="topic-live-lag"] td.hw'), 90);
  await page.getByRole("link", { name: "Consumers", exact: true }).click();
  await page.waitForFunction(() => /live-group\s+Empty/.test(document.querySelector('[data-testid="groups"]')?.innerText ?? ""));
  await page.close();
  assert.deepEqual(problems, []);
});

test("live mode: a lost produce response duplicates a record without idempotence, which confluent-kafka reads twice; with idempotence it reads it once", async () => {
  const { page, problems } = await openPage(browser);
  await createTopicWithAdmin("live-payments", 1);
  await page.goto(`http://${server.feed}/#/producer`);
  await markAt(page, ENGINE_READY);
  // The server is shared with the other tests: producers they made are
  // listed too.
  await page.getByTestId("producer").getByRole("form", { name: "Create a producer" }).waitFor();
  // The server's clock is the wall clock: the lost response's
  // request.timeout.ms (1 s) passes in real time, then the client retries.
  const lostThenRetried = async (card, value) => {
    await page.getByRole("button", { name: "Lose the next produce response" }).click();
    await page.waitForFunction(() => /^1 response/.test(document.querySelector('[data-testid="faults-pending"]').textContent));
    await card.getByLabel("topic", { exact: true }).fill("live-payments");
    await card.getByLabel("key", { exact: true }).fill("p-1");
    await card.getByLabel("value", { exact: true }).fill(value);
    await card.getByLabel("How many records").fill("1");
    await card.getByLabel("async send()").check();
    await card.getByRole("button", { name: "Send", exact: true }).click();
    await card.getByTestId("report").first().waitFor({ timeout: 15_000 });
    await card.getByTestId("partition-tail").waitFor();
  };
  const settings = { acks: "all", "linger.ms": "0", "request.timeout.ms": "1000", "delivery.timeout.ms": "20000" };
  const readValues = () => python(
    `import sys
from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": sys.argv[2], "enable.auto.commit": False})
low, high = c.get_watermark_offsets(TopicPartition("live-payments", 0), timeout=10)
c.assign([TopicPartition("live-payments", 0, OFFSET_BEGINNING)])
got, position = [], low
while position < high:
    m = c.poll(10)
    if m is None:
        break
    if m.error() is None:
        got.append(m.value().decode())
        position = m.offset() + 1
c.close()
print("\\n".join(got))`,
    [server.bootstrap, `reader-${Date.now()}`],
  );

  const plain = await createProducer(page, { ...settings, "client.id": "plain", "enable.idempotence": "false" });
  await lostThenRetried(plain, "pay 10 EUR");
  await plain.getByTestId("tail-record").filter({ hasText: "pay 10 EUR" }).nth(1).waitFor();
  assert.ok((await plain.getByTestId("tail-record").filter({ hasText: "pay 10 EUR" }).evaluateAll((lis) => lis.map((li) => li.classList.contains("duplicate")))).every(Boolean), "both copies are marked");
  assert.deepEqual((await readValues()).trim().split("\n"), ["pay 10 EUR", "pay 10 EUR"], "a real consumer reads the duplicate");
  await page.screenshot({ path: join(artifacts, "live-producer-duplicate.png"), fullPage: true });

  const safe = await createProducer(page, { ...settings, "client.id": "safe", "enable.idempotence": "true" });
  await lostThenRetried(safe, "pay 20 EUR");
  assert.match(await safe.getByTestId("producer-id").innerText(), /producer id \d+, epoch 0/);
  assert.deepEqual((await readValues()).trim().split("\n"), ["pay 10 EUR", "pay 10 EUR", "pay 20 EUR"], "the broker dropped the idempotent retry");
  await page.close();
  assert.deepEqual(problems, []);
});

test("the WebSockets refuse a foreign Origin", async () => {
  for (const path of ["/port", "/events"]) {
    assert.equal(await upgradeStatus(server.feed, path, "http://evil.example"), 403, `${path} refuses a foreign page`);
    assert.equal(await upgradeStatus(server.feed, path, `http://${server.feed}`), 101, `${path} accepts its own page`);
  }
  assert.equal(await upgradeStatus(server.feed, "/port", new URL(hosted.url).origin), 101, "--allow-origin admits the hosted site");
});

test("a hosted copy of the site attaches to a live server by URL, and falls back to local mode when none answers", async () => {
  const { page, problems } = await openPage(browser);
  await page.goto(`${hosted.url}?engine=ws://${server.feed}/port#/cluster`);
  await markAt(page, ENGINE_READY);
  assert.equal((await page.getByTestId("mode-badge").innerText()).trim(), `Live: bootstrap.servers=${server.bootstrap}`);
  await page.getByTestId("topic-course-orders").waitFor();
  await page.close();
  assert.deepEqual(problems, []);

  const fallback = await openPage(browser);
  await fallback.page.goto(`${hosted.url}?engine=ws://127.0.0.1:9/port#/cluster`);
  await markAt(fallback.page, ENGINE_READY);
  assert.match(await fallback.page.getByTestId("mode-badge").innerText(), /Local: engine in this tab/);
  assert.match(await fallback.page.getByTestId("notice").innerText(), /Could not reach the engine named in the address at ws:\/\/127\.0\.0\.1:9\/port/);
  await fallback.page.close();
  // The refused connection is logged by the browser; nothing else may go wrong.
  assert.deepEqual(fallback.problems.filter((p) => !/127\.0\.0\.1:9\/port/.test(p)), []);
});
