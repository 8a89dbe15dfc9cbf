// End-to-end tests of the built site (dist/) in headless Chromium, driven by
// Playwright. The site is served from a sub-directory (/play/) by a static
// server on a free 127.0.0.1 port, as a static host would serve it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveDirectory } from "../../scripts/serve-dist.mjs";
import { CEILING_GZIP_BYTES, GOAL_GZIP_BYTES, measureWasm } from "../../scripts/size.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "../../dist");
const artifacts = join(here, "artifacts");
const INTERACTIVE_BUDGET_MS = 500;
const VIEWS = ["cluster", "producer", "consumers", "schemas", "connect", "console", "lessons"];

let server;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await serveDirectory({ root: dist, prefix: "/play/" });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page that records console errors, page errors and failed requests. */
async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${res.url()}`);
  });
  page.on("requestfailed", (req) => {
    // ERR_ABORTED is the browser cancelling a request because the page
    // navigated or closed (a favicon fetch during reload): not a failure.
    const reason = req.failure()?.errorText ?? "unknown";
    if (reason !== "net::ERR_ABORTED") problems.push(`request failed (${reason}): ${req.url()}`);
  });
  return { page, problems };
}

/** Milliseconds from navigation start to the app's interactive mark. */
async function interactiveAt(page) {
  await page.waitForFunction(() => performance.getEntriesByName("kplay:interactive").length > 0, null, {
    timeout: 10_000,
  });
  return page.evaluate(() => performance.getEntriesByName("kplay:interactive")[0].startTime);
}

test("the wasm stays under the size ceiling", () => {
  const { file, raw, gzip } = measureWasm(dist);
  console.log(`# size: ${file} ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzipped ` +
    `(goal ${GOAL_GZIP_BYTES / 1024} KB, ceiling ${CEILING_GZIP_BYTES / 1024} KB)`);
  assert.ok(gzip <= CEILING_GZIP_BYTES, `${gzip} bytes gzipped is over the ${CEILING_GZIP_BYTES} ceiling`);
});

test("the shell loads from a sub-path, interactive and without errors", async () => {
  // Three fresh loads; the figure is the fastest, which is the app's own
  // cost (a busy build on the same 2 cores only ever adds to a load).
  const loads = [];
  for (let i = 0; i < 3; i++) {
    const attempt = await openPage();
    await attempt.page.goto(server.url);
    loads.push(await interactiveAt(attempt.page));
    await attempt.page.close();
  }
  const ms = Math.min(...loads);
  console.log(`# load: interactive ${ms.toFixed(0)} ms after navigation start ` +
    `(loads: ${loads.map((l) => l.toFixed(0)).join(", ")} ms; budget ${INTERACTIVE_BUDGET_MS} ms)`);

  const { page, problems } = await openPage();
  await page.goto(server.url);
  await interactiveAt(page);
  await assert.doesNotReject(page.getByTestId("app").waitFor());
  assert.match(await page.locator("header h1").innerText(), /Kafka Playground/);
  const links = page.getByTestId("nav").locator("a");
  assert.deepEqual(
    (await links.allInnerTexts()).map((t) => t.trim()),
    ["Cluster", "Producer", "Consumers", "Schemas", "Connect", "Console", "Lessons"],
  );
  await page.getByTestId("view-cluster").waitFor();
  const icon = server.requests.find((r) => r.path.startsWith("/play/favicon"));
  assert.equal(icon?.status, 200, "the favicon is served from the sub-path");
  await page.screenshot({ path: join(artifacts, "shell.png"), fullPage: true });
  await page.close();

  assert.deepEqual(problems, [], "no console errors and no failed requests");
  assert.ok(
    server.requests.every((r) => r.path.startsWith("/play/")),
    `every request stays under /play/: ${JSON.stringify(server.requests.filter((r) => !r.path.startsWith("/play/")))}`,
  );
  assert.ok(ms < INTERACTIVE_BUDGET_MS, `interactive after ${ms.toFixed(0)} ms`);
});

test("navigation reaches every view, and deep links open the named view", async () => {
  const { page, problems } = await openPage();
  await page.goto(server.url);
  await interactiveAt(page);
  for (const view of VIEWS) {
    await page.getByTestId(`nav-${view}`).click();
    await page.getByTestId(`view-${view}`).waitFor();
    assert.equal(new URL(page.url()).hash, `#/${view}`);
    assert.equal(await page.getByTestId(`nav-${view}`).getAttribute("aria-current"), "page");
    if (!["cluster", "consumers"].includes(view)) {
      assert.match(await page.getByTestId(`view-${view}`).innerText(), /coming soon/i);
    }
  }
  await page.goBack();
  await page.getByTestId("view-console").waitFor();

  await page.goto(`${server.url}#/schemas`);
  await page.reload();
  await page.getByTestId("view-schemas").waitFor();
  assert.equal(await page.getByTestId("nav-schemas").getAttribute("aria-current"), "page");
  await page.close();
  assert.deepEqual(problems, []);
});

test("the cluster view drives the engine: topics, produce, broker failure, Kafka's errors", async () => {
  const { page, problems } = await openPage();
  await page.goto(`${server.url}#/cluster`);
  await interactiveAt(page);
  await page.getByTestId("no-topics").waitFor();
  for (const id of [1, 2, 3]) await page.getByTestId(`broker-${id}`).waitFor();

  // Kafka's own error, in words.
  await page.getByTestId("topic-rf").fill("4");
  await page.getByTestId("create-topic").click();
  assert.match(await page.getByTestId("create-error").innerText(), /INVALID_REPLICATION_FACTOR \(38\).*only 3 broker\(s\)/);

  await page.getByTestId("topic-rf").fill("3");
  await page.getByTestId("create-topic").click();
  const topic = page.getByTestId("topic-orders");
  await topic.waitFor();
  assert.equal(await topic.locator("tbody tr").count(), 3, "three partitions");
  assert.equal((await topic.locator("td.isr").first().innerText()).split(",").length, 3, "all replicas in sync");

  await page.getByTestId("produce-orders").click();
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('[data-testid="topic-orders"] td.hw')];
    return cells.reduce((sum, td) => sum + Number(td.textContent), 0) === 5;
  });

  // Stop the leader of partition 0: another in-sync replica takes over.
  const leaderBefore = (await topic.getByTestId("partition-0").locator("td.leader").innerText()).trim();
  await page.getByTestId(`broker-${leaderBefore}-toggle`).click();
  await page.waitForFunction((before) => {
    const cell = document.querySelector('[data-testid="topic-orders"] [data-testid="partition-0"] td.leader');
    return cell && cell.textContent.trim() !== before;
  }, leaderBefore);
  const isr = (await topic.getByTestId("partition-0").locator("td.isr").innerText()).trim();
  assert.ok(!isr.split(",").includes(leaderBefore), `the stopped broker left the ISR (${isr})`);
  assert.match(await page.getByTestId("events").innerText(), /orders-0: broker \d is leader \(epoch 1\)/);
  await page.screenshot({ path: join(artifacts, "cluster.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test("the consumers view runs a group: join, rebalance, crash and session timeout", async () => {
  const { page, problems } = await openPage();
  await page.goto(`${server.url}#/consumers`);
  await interactiveAt(page);
  await page.getByTestId("no-consumers").waitFor();
  await page.getByTestId("create-subscribed-topic").click();
  await page.getByTestId("add-consumer").click();
  await page.getByTestId("add-consumer").click();
  await page.getByTestId("consumer-1").waitFor();
  // The first rebalance waits group.initial.rebalance.delay.ms (3 s).
  await page.getByTestId("advance-10").click();
  const assigned = async (i) => (await page.getByTestId(`consumer-${i}`).getByTestId("assignment").innerText()).trim();
  await page.waitForFunction(() => document.querySelector('[data-testid="consumer-1"] [data-testid="phase"]')?.textContent === "Stable");
  for (const i of [0, 1]) assert.match(await assigned(i), /^Assigned: orders-\d, orders-\d, orders-\d$/);
  assert.match(await page.getByTestId("consumers").innerText(), /consumer-orders-app-1 Stable[\s\S]*consumer-orders-app-2 Stable/, "Java's client.id sequence");
  await page.getByTestId("produce-12").click();
  await page.getByTestId("advance-1").click();
  const received = async (i) => Number((await page.getByTestId(`consumer-${i}`).getByTestId("consumed").innerText()).match(/\d+/)[0]);
  assert.equal((await received(0)) + (await received(1)), 12, "each record reaches exactly one member");
  const groups = page.getByTestId("groups");
  assert.match(await groups.innerText(), /orders-app\s+Stable\s+1\s+range/);
  const events = await page.getByTestId("group-events").innerText();
  assert.match(events, /generation 1 with 2 member\(s\)/);
  assert.match(events, /ran range for generation 1/);

  // A crashed member is removed after session.timeout.ms (45 s), and the
  // survivor takes all six partitions.
  await page.getByTestId("consumer-0").getByTestId("crash").click();
  for (let i = 0; i < 6; i++) await page.getByTestId("advance-10").click();
  assert.equal((await assigned(1)).split(",").length, 6);
  assert.match(await page.getByTestId("group-events").innerText(), /no heartbeat for session\.timeout\.ms=45000/);
  await page.screenshot({ path: join(artifacts, "consumers.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});
