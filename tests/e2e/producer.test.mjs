// End-to-end tests of the Producer view in local mode (the engine in the
// page's Web Worker): a producer configured by its real keys, keyed records
// landing in the partitions Kafka's murmur2 partitioner picks, batches
// lingering in the accumulator, and the duplicate a lost response makes
// without idempotence (and does not make with it).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveDirectory } from "../../scripts/serve-dist.mjs";
import { ENGINE_READY, createProducer, createTopic as createTopicHere, launch, markAt, murmur2, openPage, partitionOf, step, unnamedControls } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "../../dist");
const artifacts = join(here, "artifacts");

let server;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await serveDirectory({ root: dist, prefix: "/play/" });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});


test("murmur2 here is Kafka's (its own test vectors)", () => {
  // From Kafka's UtilsTest.testMurmur2.
  assert.equal(murmur2("21"), -973932308);
  assert.equal(murmur2("foobar"), -790332482);
  assert.equal(murmur2("a-little-bit-long-string"), -985981536);
  assert.equal(murmur2("a-little-bit-longer-string"), -1486304829);
  assert.equal(murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
});

/**
 * A fresh page with the clock paused and `name` (`partitions` partitions)
 * created from the Cluster view, left on the Producer view.
 */
async function createTopic(page, name, partitions) {
  await page.goto(`${server.url}#/cluster`);
  await markAt(page, ENGINE_READY);
  await page.getByRole("button", { name: "Pause" }).click();
  await createTopicHere(page, name, partitions);
  await page.getByRole("link", { name: "Producer", exact: true }).click();
  await page.getByTestId("no-producers").waitFor();
}

async function send(card, { key, value, count = 1, sync = false }) {
  await card.getByLabel("key", { exact: true }).fill(key);
  await card.getByLabel("value", { exact: true }).fill(value);
  await card.getByLabel("How many records").fill(String(count));
  await card.getByLabel(sync ? "sync send() + flush()" : "async send()").check();
  await card.getByRole("button", { name: "Send", exact: true }).click();
  await card.getByTestId("send-outcome").waitFor();
}


test("keyed records batch in the accumulator, linger, and land in murmur2's partitions", async () => {
  const { page, problems } = await openPage(browser);
  await createTopic(page, "orders", 6);
  assert.deepEqual(await unnamedControls(page), [], "every control has an accessible name");

  // Each setting is labelled with its key and says what it does on focus.
  const linger = page.getByLabel("linger.ms", { exact: true });
  assert.equal(await linger.getAttribute("placeholder"), "5", "the Java client's default");
  await linger.focus();
  await page.locator("#help-linger-ms").waitFor({ state: "visible" });
  assert.match(await page.locator("#help-linger-ms").innerText(), /waits for more records/);

  // The client's own refusal for a bad value.
  await page.getByLabel("acks", { exact: true }).selectOption("0");
  await page.getByLabel("enable.idempotence", { exact: true }).selectOption("true");
  await page.getByRole("button", { name: "Create producer" }).click();
  await page.getByTestId("producer-error").waitFor();
  assert.match(await page.getByTestId("producer-error").innerText(), /idempotence/i);
  await page.getByLabel("acks", { exact: true }).selectOption("");
  await page.getByLabel("enable.idempotence", { exact: true }).selectOption("");

  const card = await createProducer(page, { "client.id": "checkout", "linger.ms": "2000" });
  assert.match(await card.getByTestId("effective").innerText(), /linger\.ms=2000/);
  assert.match(await card.getByTestId("producer-id").innerText(), /idempotent/);

  await send(card, { key: "customer-{n}", value: "order {n}", count: 8 });
  // Lingering: the batches wait in the accumulator, nothing is reported.
  await card.getByTestId("batch").first().waitFor();
  await step(page, "Step 1 s");
  assert.ok((await card.getByTestId("batch").count()) > 0, "still lingering after 1 s");
  assert.equal(await card.getByTestId("report").count(), 0);
  await page.screenshot({ path: join(artifacts, "producer-lingering.png"), fullPage: true });
  await step(page, "Step 1 s", 2);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="producer-0"] [data-testid="report"]').length === 8);
  assert.equal(await card.getByTestId("batch").count(), 0);
  const rows = await card.getByTestId("report").evaluateAll((trs) =>
    trs.map((tr) => ({
      key: tr.children[1].textContent,
      partition: Number(tr.querySelector('[data-testid="report-partition"]').textContent),
      offset: Number(tr.querySelector('[data-testid="report-offset"]').textContent),
    })));
  for (const { key, partition, offset } of rows) {
    assert.equal(partition, partitionOf(key, 6), `${key} lands where murmur2 says`);
    assert.ok(offset >= 0);
  }
  assert.match(await card.getByTestId("producer-id").innerText(), /producer id \d+, epoch 0/);
  await page.screenshot({ path: join(artifacts, "producer.png"), fullPage: true });

  // Sync against async, side by side: the same 20 records each way.
  await card.getByLabel("How many records").fill("20");
  await card.getByRole("button", { name: "Compare sync and async" }).click();
  const race = card.getByTestId("race-result");
  await race.waitFor();
  const ms = async (name) => Number((await race.getByTestId(`race-${name}`).locator(".race-figure").innerText()).match(/^(\d+) ms/)[1]);
  const [asynchronous, synchronous] = [await ms("async"), await ms("sync")];
  assert.ok(synchronous > asynchronous, `sync ${synchronous} ms is slower than async ${asynchronous} ms (linger.ms=2000 makes async wait once)`);
  await page.screenshot({ path: join(artifacts, "producer-sync-vs-async.png"), fullPage: true });
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  await page.getByTestId("lineage").waitFor();
  assert.match(await page.getByTestId("lineage").getAttribute("aria-label"), /checkout writes to orders/, "lineage: the producer writes to the topic");
  await page.screenshot({ path: join(artifacts, "lineage.png") });
  await page.close();
  assert.deepEqual(problems, []);
});

test("a lost response makes a duplicate without idempotence and none with it", async () => {
  const { page, problems } = await openPage(browser);
  await createTopic(page, "payments", 1);
  const settings = { acks: "all", "linger.ms": "0", "request.timeout.ms": "3000", "compression.type": "gzip" };
  const plain = await createProducer(page, { ...settings, "client.id": "plain", "enable.idempotence": "false" });
  assert.match(await plain.getByTestId("producer-id").innerText(), /not idempotent/);

  const lostThenRetried = async (card, value) => {
    await page.getByRole("button", { name: "Lose the next produce response" }).click();
    await page.waitForFunction(() => /^1 response/.test(document.querySelector('[data-testid="faults-pending"]').textContent));
    await card.getByLabel("topic", { exact: true }).fill("payments");
    await send(card, { key: "p-1", value });
    await step(page, "Step 1 s");
    await card.getByTestId("flight").filter({ hasText: "lost" }).waitFor();
    // The request carries the batch compressed: its size before and after.
    assert.match(await card.getByTestId("flight").first().innerText(), /\d+ B → \d+ B with gzip/);
    await step(page, "Step 10 s");
    await card.getByTestId("report").first().waitFor();
    await card.getByTestId("tail-record").filter({ hasText: value }).first().waitFor();
    // The tail is made again at most every 200 ms (link::SLOW_TICK): the
    // clock is paused, so after one more tick it is final.
    await page.waitForTimeout(300);
    return card.getByTestId("tail-record").evaluateAll((lis) =>
      lis.map((li) => ({ text: li.textContent, duplicate: li.classList.contains("duplicate") })));
  };

  const tail = await lostThenRetried(plain, "pay 10 EUR");
  const copies = tail.filter((r) => r.text.includes("pay 10 EUR"));
  assert.equal(copies.length, 2, "the retry wrote the record again");
  assert.ok(copies.every((r) => r.duplicate), "both copies are marked");
  await page.screenshot({ path: join(artifacts, "producer-duplicate.png"), fullPage: true });

  const safe = await createProducer(page, { ...settings, "client.id": "safe", "enable.idempotence": "true" });
  const after = await lostThenRetried(safe, "pay 20 EUR");
  const safeCopies = after.filter((r) => r.text.includes("pay 20 EUR"));
  assert.equal(safeCopies.length, 1, "the broker dropped the retried duplicate");
  assert.ok(!safeCopies[0].duplicate);
  assert.match(await safe.getByTestId("producer-id").innerText(), /producer id \d+, epoch 0/);

  // Synchronous: send() then flush() returns when the report is in.
  await send(safe, { key: "p-2", value: "pay 30 EUR", sync: true });
  await safe.getByTestId("send-outcome").filter({ hasText: "flush()" }).waitFor();
  assert.match(await safe.getByTestId("send-outcome").innerText(), /send\(\) and flush\(\) × 1: returned after \d+ ms of engine time; 0 without a report/);
  // The table is made again at most every 200 ms (link::SLOW_TICK).
  await safe.getByTestId("report").filter({ hasText: "pay 30 EUR" }).waitFor();
  assert.match(await safe.getByTestId("report").first().innerText(), /p-2\s+pay 30 EUR/, "its report is in when flush() returns");
  await page.screenshot({ path: join(artifacts, "producer-idempotent.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test("click a record and read its batch's bytes, every byte labelled, compressed and inside", async () => {
  const { page, problems } = await openPage(browser);
  await createTopic(page, "clicks", 1);
  const card = await createProducer(page, { "compression.type": "gzip", "linger.ms": "50" });
  await card.getByLabel("topic", { exact: true }).fill("clicks");
  // Ten asynchronous sends share one batch; flush() sends it at once.
  await send(card, { key: "user-{n}", value: "clicked the same button", count: 10 });
  await card.getByRole("button", { name: "flush()" }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="producer-0"] [data-testid="report"]').length === 10);
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  await page.getByRole("button", { name: "Show the records of clicks-0" }).click();
  await page.getByRole("button", { name: "Show the bytes of offset 3" }).click();
  const wire = page.getByTestId("wire-inspector");
  await wire.getByTestId("wire-summary").waitFor();
  assert.match(await wire.getByTestId("wire-summary").innerText(), /RecordBatch v2: \d+ bytes, 10 record\(s\), compression gzip \(\d+ bytes decompressed\)/);
  const cells = async (field, nth = 0) =>
    wire.locator(`tr[data-field="${field}"]`).nth(nth).locator("td").allInnerTexts();
  const [, magicHex, , magic] = await cells("magic");
  assert.deepEqual([magicHex, magic], ["02", "2"]);
  assert.match((await cells("attributes"))[3], /^gzip, CreateTime/);
  assert.match((await cells("records"))[3], /10 records, gzip-compressed/);
  // The chosen record's key, inside the decompressed section: its bytes and its text.
  const key = wire.locator('tr.chosen[data-field="key"]');
  assert.deepEqual((await key.locator("td").allInnerTexts()).slice(1), ["75 73 65 72 2d 33", "key", '"user-3"']);
  assert.match((await wire.locator('tr.chosen[data-field="offsetDelta"] td').allInnerTexts())[3], /^\+3 \(offset 3\)$/);
  assert.equal(await wire.locator("tr.other").count(), 9, "the other nine records, one row each");
  await page.screenshot({ path: join(artifacts, "wire-inspector.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test("the event log under every view filters by area and text and links to what it concerns", async () => {
  const { page, problems } = await openPage(browser);
  await createTopic(page, "logged", 2);
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  await page.getByRole("button", { name: "Produce 5 records to logged" }).click();
  await page.getByRole("button", { name: "Step 1 s" }).click();
  await page.getByRole("link", { name: "Producer", exact: true }).click();
  // Under the Producer view too, as under every view.
  const panel = page.getByTestId("view-producer").getByTestId("event-log-panel");
  await panel.waitFor();
  await panel.getByLabel("Event area").selectOption("cluster");
  await panel.getByLabel("Events containing").fill("logged-1");
  await page.waitForFunction(() => {
    const items = [...document.querySelectorAll('[data-testid="event-log"] li')];
    return items.length > 0 && items.every((li) => li.textContent.includes("logged-1"));
  });
  await panel.getByLabel("Event area").selectOption("groups");
  await panel.getByText("No events match").waitFor();
  await panel.getByLabel("Event area").selectOption("cluster");
  await panel.getByRole("link", { name: "Open in Cluster" }).first().click();
  await page.getByTestId("record-browser").waitFor();
  assert.equal(new URL(page.url()).hash, "#/cluster?topic=logged&partition=1");
  assert.match(await page.getByTestId("record-browser").innerText(), /Records of\s+logged-1/);
  await page.getByRole("link", { name: "Schemas", exact: true }).click();
  await page.getByTestId("view-schemas").getByTestId("event-log-panel").waitFor();
  await page.close();
  assert.deepEqual(problems, []);
});

test("every setting the client knows is in the form, with its default; a bad value gets the client's own message", async () => {
  const { page, problems } = await openPage(browser);
  await createTopic(page, "configured", 1);
  const form = page.getByTestId("producer").getByRole("form", { name: "Create a producer" });
  await form.getByText("Every other setting of this client").click();
  await form.getByText(/Every other setting of this client \(\d+\)/).waitFor();
  const javaCount = Number((await form.locator(".all-settings summary").innerText()).match(/\((\d+)\)/)[1]);
  assert.ok(javaCount > 90, `the Java producer's other settings: ${javaCount}`);
  await form.getByLabel("Find a setting").fill("retry.backoff");
  const backoff = form.getByLabel("retry.backoff.ms", { exact: true });
  assert.equal(await backoff.getAttribute("placeholder"), "100", "Java's default");
  await backoff.fill("soon");
  await page.getByRole("button", { name: "Create producer" }).click();
  await page.getByTestId("producer-error").filter({ hasText: "Invalid value soon for configuration retry.backoff.ms" }).waitFor();
  await backoff.fill("250");
  await page.getByRole("button", { name: "Create producer" }).click();
  await page.getByTestId("producer-0").waitFor();
  // librdkafka's list is its own: its names and its defaults.
  await page.getByTestId("producer-flavour").selectOption("librdkafka");
  await form.getByLabel("Find a setting").fill("queue.buffering.max.messages");
  await form.getByLabel("queue.buffering.max.messages", { exact: true }).waitFor();
  assert.equal(await form.getByLabel("queue.buffering.max.messages", { exact: true }).getAttribute("placeholder"), "100000");
  await page.screenshot({ path: join(artifacts, "producer-all-settings.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test("a lost request overtaken by the next batch is written out of order without idempotence, and in order with it", async () => {
  const { page, problems } = await openPage(browser);
  await createTopic(page, "ordered", 1);
  const card = await createProducer(page, {
    "client.id": "reorderer", "enable.idempotence": "false", acks: "all", "linger.ms": "0",
    "max.in.flight.requests.per.connection": "5", "request.timeout.ms": "3000",
  });
  await card.getByLabel("topic", { exact: true }).fill("ordered");
  await page.getByRole("button", { name: "Lose the next produce request" }).click();
  await page.waitForFunction(() => /1 request/.test(document.querySelector('[data-testid="faults-pending"]').textContent));
  await send(card, { key: "acct-1", value: "first: open account" });
  await send(card, { key: "acct-1", value: "second: deposit 10" });
  await page.getByRole("button", { name: "Step 10 s" }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="producer-0"] [data-testid="report"]').length === 2);
  const marked = card.getByTestId("reordered");
  await marked.waitFor();
  assert.match(await marked.innerText(), /out of order: sent before offset 0, written after it/);
  const tail = await card.getByTestId("tail-record").allInnerTexts();
  assert.match(tail[0], /second: deposit 10/, "the second send was written first");
  assert.match(tail[1], /first: open account/);
  await page.screenshot({ path: join(artifacts, "producer-reordered.png"), fullPage: true });

  // With idempotence the broker refuses the later batch until the lost one
  // is in (OUT_OF_ORDER_SEQUENCE), and the producer resends both in order.
  const safe = await createProducer(page, {
    "client.id": "in-order", "enable.idempotence": "true", acks: "all", "linger.ms": "0",
    "max.in.flight.requests.per.connection": "5", "request.timeout.ms": "3000",
  });
  await safe.getByLabel("topic", { exact: true }).fill("ordered");
  await page.getByRole("button", { name: "Lose the next produce request" }).click();
  await page.waitForFunction(() => /1 request/.test(document.querySelector('[data-testid="faults-pending"]').textContent));
  await send(safe, { key: "acct-2", value: "first: open account 2" });
  await send(safe, { key: "acct-2", value: "second: deposit 20" });
  await page.getByRole("button", { name: "Step 10 s" }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="producer-1"] [data-testid="report"]').length === 2);
  await safe.getByTestId("tail-record").filter({ hasText: "second: deposit 20" }).waitFor();
  const safeTail = await safe.getByTestId("tail-record").allInnerTexts();
  const at = (text) => safeTail.findIndex((t) => t.includes(text));
  assert.ok(at("first: open account 2") < at("second: deposit 20"), `written in the order sent: ${safeTail}`);
  assert.equal(await safe.getByTestId("reordered").count(), 0);
  await page.close();
  assert.deepEqual(problems, []);
});
