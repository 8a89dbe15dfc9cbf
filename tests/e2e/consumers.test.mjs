// End-to-end tests of the Consumers view's pictures in local mode: a
// group's rebalances step by step (the eager protocol's one round, the
// cooperative protocol's two), lag over time as members crash, and
// kafka-consumer-groups --reset-offsets --to-datetime.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveDirectory } from "../../scripts/serve-dist.mjs";
import { ENGINE_READY, launch, markAt, openPage, step } from "./support.mjs";

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


test("a cooperative group rebalances in two rounds, step by step; lag grows after a crash; offsets reset by time", async () => {
  const { page, problems } = await openPage(browser);
  await page.goto(`${server.url}#/consumers`);
  await markAt(page, ENGINE_READY);
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByTestId("rebalances").getByText("No rebalance yet").waitFor();
  await page.getByRole("button", { name: "Create this topic (6 partitions)" }).click();
  await page.getByRole("button", { name: "Create this topic (6 partitions)" }).waitFor({ state: "detached" });
  await page.getByLabel("partition.assignment.strategy", { exact: true }).selectOption("cooperative-sticky");
  await page.getByRole("button", { name: "Add consumer" }).click();
  await page.getByTestId("consumer-0").waitFor();
  await step(page, "Step 10 s");
  await page.waitForFunction(() => document.querySelector('[data-testid="consumer-0"] [data-testid="phase"]')?.textContent === "Stable");
  const first = page.getByTestId("rebalance").first();
  const text = await first.innerText();
  for (const expected of [/PreparingRebalance/, /JoinGroup answered: new generation\s*\S+\s+generation 1 with 1 member/, /SyncGroup: the leader's assignment/, /onPartitionsAssigned/, /Stable\s*\S+\s+stable at generation 1/]) {
    assert.match(text, expected);
  }

  // A second member: the cooperative protocol revokes first, then assigns.
  await page.getByRole("button", { name: "Add consumer" }).click();
  await page.getByTestId("consumer-1").waitFor();
  await step(page, "Step 10 s");
  await page.waitForFunction(() => document.querySelector('[data-testid="consumer-1"] [data-testid="phase"]')?.textContent === "Stable");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="rebalance"]').length >= 3);
  const all = (await page.getByTestId("rebalances").innerText());
  assert.match(all, /onPartitionsRevoked/, "round one: the first member gives partitions up");
  assert.match(all, /stable at generation 3/, "round two: a generation later, they are assigned");
  await page.screenshot({ path: join(artifacts, "consumers-rebalance.png"), fullPage: true });

  // Records consumed and committed (auto commit), then both members crash:
  // lag grows with every record produced.
  await page.getByRole("button", { name: "Produce 12 records to orders" }).click();
  await step(page, "Step 10 s");
  await page.getByTestId("lag-orders-app").filter({ hasText: "lag 0" }).waitFor();
  await page.getByRole("button", { name: "Crash consumer 0" }).click();
  await page.getByRole("button", { name: "Crash consumer 1" }).click();
  for (let i = 0; i < 3; i++) {
    await page.getByRole("button", { name: "Produce 12 records to orders" }).click();
    await step(page, "Step 1 s");
  }
  await page.getByTestId("lag-orders-app").filter({ hasText: "lag 36" }).waitFor();
  assert.ok(await page.locator(".lag-svg polyline").count() >= 1, "a line per group");
  await page.screenshot({ path: join(artifacts, "consumers-lag.png"), fullPage: true });

  // After session.timeout.ms the group is empty: reset by time, to the start.
  await step(page, "Step 10 s", 5);
  await page.waitForFunction(() => /orders-app\s+Empty/.test(document.querySelector('[data-testid="groups"]').innerText));
  await page.getByLabel("Reset to").selectOption("datetime");
  await page.getByLabel("--to-datetime").fill("2026-01-01T00:00:00.000");
  await page.getByRole("button", { name: "--execute" }).click();
  await page.getByTestId("reset-result").waitFor();
  const lines = (await page.getByTestId("reset-result").innerText()).trim().split("\n").slice(1).sort();
  assert.deepEqual(lines, [0, 1, 2, 3, 4, 5].map((p) => `orders-app orders ${p} 0`));
  await page.getByLabel("--to-datetime").fill("not a time");
  await page.getByRole("button", { name: "--execute" }).click();
  await page.getByTestId("reset-error").filter({ hasText: "YYYY-MM-DDTHH:mm:SS" }).waitFor();
  await page.close();
  assert.deepEqual(problems, []);
});

test("partitions show each group's committed offset; the records shown filter, export as JSON and CSV, and produce again", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(err.message));
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(msg.text()); });
  await page.goto(`${server.url}#/consumers`);
  await markAt(page, ENGINE_READY);
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Create this topic (6 partitions)" }).click();
  await page.getByRole("button", { name: "Create this topic (6 partitions)" }).waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Add consumer" }).click();
  await page.getByRole("button", { name: "Produce 12 records to orders" }).click();
  await step(page, "Step 10 s");
  await page.getByTestId("consumer-0").getByRole("button", { name: "commit()" }).click();
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  // A tick per partition where the group committed.
  await page.locator('[data-testid="topic-orders"] [data-testid="committed-orders-app"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="topic-orders"] [data-testid="committed-orders-app"]').count(), 6);
  assert.match(await page.getByTestId("lineage").getAttribute("aria-label"), /orders-app reads orders/, "lineage: the group reads the topic");
  assert.match(await page.locator('[data-testid="topic-orders"] [data-testid="committed-orders-app"]').first().getAttribute("title"), /group orders-app committed offset \d+/);

  // The records of the fullest partition: filter, export, produce again.
  const hws = await page.locator('[data-testid="topic-orders"] td.hw').allInnerTexts();
  const fullest = hws.map(Number).reduce((best, hw, p, all) => (hw > all[best] ? p : best), 0);
  await page.getByRole("button", { name: `Show the records of orders-${fullest}` }).click();
  const panel = page.getByTestId("record-browser");
  await panel.locator("tbody tr").first().waitFor();
  const rows = await panel.locator("tbody tr").count();
  const firstKey = (await panel.locator("tbody tr td.key").first().innerText()).trim();
  // Find by key: a search of the whole partition.
  await panel.getByLabel("Records whose key, value or header contains").fill(firstKey);
  await panel.getByLabel("Records whose key, value or header contains").press("Enter");
  await panel.getByTestId("search-summary").filter({ hasText: "(the whole partition)" }).waitFor();
  const found = await panel.locator("tbody tr td.key").allInnerTexts();
  assert.ok(found.length >= 1 && found.length <= rows && found.every((k) => k.includes(firstKey)), `${found} for ${firstKey}`);
  assert.match(await panel.getByTestId("search-summary").innerText(), new RegExp(`^${found.length} record\\(s\\) match “${firstKey}”`));
  const [json] = await Promise.all([page.waitForEvent("download"), panel.getByRole("button", { name: "Export the records shown as JSON" }).click()]);
  const exported = JSON.parse(await (await json.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8")));
  assert.equal(exported.length, found.length);
  assert.deepEqual([exported[0].topic, exported[0].partition], ["orders", fullest]);
  assert.ok(exported.every((r) => r.key.includes(firstKey)));
  await panel.getByRole("button", { name: "Back to browsing" }).click();
  await panel.getByTestId("records-summary").waitFor();
  const [csv] = await Promise.all([page.waitForEvent("download"), panel.getByRole("button", { name: "Export the records shown as CSV" }).click()]);
  const lines = (await (await csv.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"))).trim().split("\r\n");
  assert.equal(lines[0], "topic,partition,offset,timestamp,key,value,headers");
  assert.equal(lines.length, rows + 1);

  // Produce the first record again, edited: the same key lands in the same partition.
  const firstOffset = Number((await panel.locator("tbody tr td.offset").first().innerText()).match(/^\d+/)[0]);
  await panel.getByRole("button", { name: `Produce offset ${firstOffset} again` }).click();
  await panel.getByLabel("value to produce").fill("corrected order");
  await panel.getByRole("button", { name: "Produce", exact: true }).click();
  await panel.getByTestId("records-notice").filter({ hasText: `Produced again: partition ${fullest}` }).waitFor();
  await step(page, "Step 1 s");
  await panel.getByText("corrected order").waitFor();
  await page.screenshot({ path: join(artifacts, "records-tools.png"), fullPage: true });
  await context.close();
  assert.deepEqual(problems, []);
});

test("librdkafka's poll() returns one message and consume(num_messages) a batch; positions show on the card and the strips; the auto-commit timer runs", async () => {
  const { page, problems } = await openPage(browser);
  await page.goto(`${server.url}#/consumers`);
  await markAt(page, ENGINE_READY);
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Create this topic (6 partitions)" }).click();
  await page.getByRole("button", { name: "Create this topic (6 partitions)" }).waitFor({ state: "detached" });
  await page.getByTestId("keep-polling").uncheck();
  await page.getByLabel("Client").selectOption("librdkafka");
  await page.getByRole("button", { name: "Add consumer" }).click();
  const card = page.getByTestId("consumer-0");
  await card.waitFor();
  await page.getByRole("button", { name: "Produce 12 records to orders" }).click();
  // The group forms as the application polls.
  for (let i = 0; i < 6 && (await card.getByTestId("phase").innerText()) !== "Stable"; i++) {
    await card.getByRole("button", { name: "poll()" }).click();
    await step(page, "Step 1 s");
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="consumer-0"] [data-testid="phase"]')?.textContent === "Stable");
  const received = async () => Number((await card.getByTestId("consumed").innerText()).match(/\d+/)[0]);
  const before = await received();
  await card.getByRole("button", { name: "poll()" }).click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="consumer-0"] [data-testid="consumed"]').textContent.match(/\d+/)[0]) === n + 1, before);
  await card.getByLabel("num_messages").fill("5");
  await card.getByLabel("num_messages").dispatchEvent("change");
  await card.getByRole("button", { name: "consume()" }).click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="consumer-0"] [data-testid="consumed"]').textContent.match(/\d+/)[0]) === n + 6, before);
  // Positions per partition on the card: the offsets of the next records.
  assert.match(await card.getByTestId("positions").innerText(), /orders-\d at \d+, lag \d+/);
  // The auto-commit timer: committed in a poll, then filling towards the interval.
  const timer = card.getByTestId("auto-commit");
  assert.equal(await timer.getAttribute("aria-label"), "auto.commit.interval.ms=5000");
  await step(page, "Step 1 s");
  await page.waitForFunction(() => /auto commit in \d/.test(document.querySelector('[data-testid="auto-commit"]').getAttribute("aria-valuetext")));
  await step(page, "Step 10 s");
  await page.waitForFunction(() => /due/.test(document.querySelector('[data-testid="auto-commit"]').getAttribute("aria-valuetext")));
  await page.screenshot({ path: join(artifacts, "consumers-consume.png"), fullPage: true });
  // The Java client has no consume(): its card offers poll() only.
  await page.getByLabel("Client").selectOption("java");
  await page.getByRole("button", { name: "Add consumer" }).click();
  await page.getByTestId("consumer-1").waitFor();
  assert.equal(await page.getByTestId("consumer-1").getByRole("button", { name: "consume()" }).count(), 0);
  // Each consumer's position on the partitions' strips.
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  const marks = page.locator('[data-testid="topic-orders"] [data-testid^="position-"]');
  await marks.first().waitFor();
  assert.match(await marks.first().getAttribute("title"), /^consumer \S+ position \d+$/);
  await page.screenshot({ path: join(artifacts, "cluster-positions.png"), fullPage: true });
  // A commit is a record of __consumer_offsets, in the partition Kafka
  // picks for the group (the group id's Java hash), decoded.
  await page.getByRole("link", { name: "Consumers", exact: true }).click();
  await card.getByRole("button", { name: "commit()" }).click();
  await step(page, "Step 1 s");
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  const javaHash = [..."orders-app"].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 0);
  const offsetsPartition = (javaHash === -2147483648 ? 0 : Math.abs(javaHash)) % 50; // Utils.abs(hashCode) % 50
  await page.getByLabel("Show internal topics").check();
  await page.getByRole("button", { name: `Show the records of __consumer_offsets-${offsetsPartition}` }).click();
  const decoded = page.getByTestId("topic-__consumer_offsets").getByTestId("decoded").filter({ hasText: '"group":"orders-app","topic":"orders"' });
  await decoded.first().waitFor();
  assert.match(await decoded.first().innerText(), /^\{"key":\{"type":1,"data":\{"group":"orders-app","topic":"orders","partition":\d\}\},"value":\{"version":3,"data":\{"offset":\d+,"leaderEpoch":-?\d+,"metadata":"","commitTimestamp":\d+\}\}\}$/);
  await page.screenshot({ path: join(artifacts, "consumer-offsets-decoded.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test("a running group changes its assignor by restarting its members: refused with no common protocol, then two rounds to cooperative-sticky", async () => {
  const { page, problems } = await openPage(browser);
  await page.goto(`${server.url}#/consumers`);
  await markAt(page, ENGINE_READY);
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Create this topic (6 partitions)" }).click();
  await page.getByRole("button", { name: "Create this topic (6 partitions)" }).waitFor({ state: "detached" });
  await page.getByLabel("partition.assignment.strategy", { exact: true }).selectOption("range");
  await page.getByRole("button", { name: "Add consumer" }).click();
  await page.getByTestId("consumer-0").waitFor();
  await page.getByRole("button", { name: "Add consumer" }).click();
  await page.getByTestId("consumer-1").waitFor();
  await step(page, "Step 10 s");
  const groups = page.getByTestId("groups");
  const stable = async (assignor) => {
    await page.waitForFunction((a) => {
      const phases = [...document.querySelectorAll('[data-testid^="consumer-"] [data-testid="phase"]')].map((p) => p.textContent);
      return phases.length === 2 && phases.every((p) => p === "Stable") && new RegExp(`orders-app\\s+Stable.*${a}`, "s").test(document.querySelector('[data-testid="groups"]').innerText);
    }, assignor);
  };
  await stable("range");
  const card = (n) => page.getByTestId(`consumer-${n}`);
  assert.equal(await card(0).getByTestId("assignors").innerText(), "partition.assignment.strategy=range");

  // Straight to cooperative-sticky: the group shares no protocol with it.
  // (The application's own poll() calls, so the error reaches this card.)
  await page.getByTestId("keep-polling").uncheck();
  await card(0).getByLabel("New partition.assignment.strategy for consumer 0").selectOption("cooperative-sticky");
  await card(0).getByRole("button", { name: "Restart consumer 0 with the new assignor" }).click();
  await card(0).getByTestId("assignors").filter({ hasText: /=cooperative-sticky$/ }).waitFor();
  const refused = card(0).getByRole("alert").filter({ hasText: "InconsistentGroupProtocolException" });
  for (let i = 0; i < 8 && (await refused.count()) === 0; i++) {
    await card(0).getByRole("button", { name: "poll()" }).click();
    await card(1).getByRole("button", { name: "poll()" }).click();
    await step(page, "Step 1 s");
  }
  await refused.waitFor();
  await page.getByTestId("keep-polling").check();

  // Round one lists both (range stays the group's choice until every member
  // prefers cooperative-sticky), round two drops range.
  for (const choice of ["cooperative-sticky,range", "cooperative-sticky"]) {
    for (const n of [0, 1]) {
      await card(n).getByLabel(`New partition.assignment.strategy for consumer ${n}`).selectOption(choice);
      await card(n).getByRole("button", { name: `Restart consumer ${n} with the new assignor` }).click();
      await card(n).getByTestId("assignors").filter({ hasText: `=${choice}` }).waitFor();
      await step(page, "Step 10 s");
      if (choice === "cooperative-sticky,range" && n === 0) await stable("range");
    }
    await stable("cooperative-sticky");
  }
  assert.match(await groups.innerText(), /orders-app\s+Stable.*cooperative-sticky/s);
  await page.screenshot({ path: join(artifacts, "consumers-assignor-changed.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});
