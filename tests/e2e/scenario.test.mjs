// End-to-end tests of scenarios in local mode: the engine's state survives
// a reload, is saved to a file and opened from one, and a hostile or broken
// file is refused with a reason while the state stays as it was.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveDirectory } from "../../scripts/serve-dist.mjs";
import { ENGINE_READY, launch, markAt, openPage, sumCells } from "./support.mjs";

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

const highWatermarks = (page, topic) => sumCells(page, `[data-testid="topic-${topic}"] td.hw`);

/** Waits until the page has kept a scenario holding `text`. */
async function kept(page, text) {
  await page.waitForFunction((t) => (localStorage.getItem("kplay-scenario") ?? "").includes(t), text, { timeout: 10_000 });
}

test("the engine's state survives a reload, is saved to a file and opened again; bad files are refused", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(msg.text()); });
  page.on("pageerror", (err) => problems.push(err.message));
  await page.goto(`${server.url}#/cluster`);
  await markAt(page, ENGINE_READY);
  assert.match(await page.getByTestId("clock-seed").innerText(), /^seed \d+$/);

  // Some state: a topic, records, a producer with a delivery report, time.
  await page.getByTestId("topic-name").fill("kept");
  await page.getByTestId("topic-partitions").fill("2");
  await page.getByRole("button", { name: "Create topic" }).click();
  await page.getByTestId("topic-kept").waitFor();
  await page.getByRole("button", { name: "Produce 5 records to kept" }).click();
  await page.getByRole("button", { name: "Step 1 s" }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="topic-kept"] td.hw')].reduce((s, td) => s + Number(td.textContent), 0) === 5);
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Play" }).waitFor();
  await kept(page, "kept");
  await page.waitForTimeout(1_500); // the clock settles, and one more save after the pause
  const clockBefore = await page.getByTestId("clock-time").innerText();

  // Reload: the same state comes back, the clock where it was.
  await page.reload();
  await markAt(page, ENGINE_READY);
  await page.getByTestId("scenario-message").filter({ hasText: "restored" }).waitFor();
  await page.getByTestId("topic-kept").waitFor();
  assert.equal(await highWatermarks(page, "kept"), 5);
  assert.equal(await page.getByTestId("clock-time").innerText(), clockBefore, "paused time is restored exactly");
  assert.equal(await page.getByRole("button", { name: "Play" }).count(), 1, "the clock is still paused");
  await page.screenshot({ path: join(artifacts, "scenario-restored.png"), fullPage: true });

  // Save to a file.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Save the scenario to a file" }).click()]);
  const saved = join(artifacts, "scenario.json");
  await download.saveAs(saved);
  const scenario = JSON.parse(readFileSync(saved, "utf8"));
  assert.equal(scenario.format, "kafka-playground-scenario");
  assert.ok(scenario.entries.some((e) => e.includes('"create_topic"') && e.includes('"kept"')));

  // New: an empty cluster; the kept scenario follows.
  await page.getByRole("button", { name: "Start a new scenario" }).click();
  await page.getByTestId("topic-kept").waitFor({ state: "detached" });
  await page.waitForFunction(() => !(localStorage.getItem("kplay-scenario") ?? "").includes("kept"), null, { timeout: 10_000 });

  // Open the saved file: the topic and its records are back.
  await page.getByLabel("Open a scenario file").setInputFiles(saved);
  await page.getByTestId("topic-kept").waitFor();
  assert.equal(await highWatermarks(page, "kept"), 5);

  // Hostile and broken files: refused with a reason, nothing changes.
  const bad = [
    ["not-json.json", "this is not JSON {", /not a scenario file/],
    ["other.json", JSON.stringify({ ...scenario, format: "something-else" }), /format/],
    ["truncated.json", JSON.stringify(scenario).slice(0, 40), /not a scenario file/],
    ["hostile.json", JSON.stringify({ ...scenario, entries: [...scenario.entries, '{"subscribe":{"id":1,"query":"cluster"}}'] }), /not a command/],
    ["forever.json", JSON.stringify({ ...scenario, entries: [...scenario.entries, "+100000x100000"] }), /engine time/],
  ];
  for (const [name, text, reason] of bad) {
    const path = join(artifacts, name);
    writeFileSync(path, text);
    await page.getByLabel("Open a scenario file").setInputFiles(path);
    await page.getByTestId("scenario-message").filter({ hasText: reason }).waitFor();
    assert.equal(await page.getByTestId("scenario-message").getAttribute("role"), "alert");
    assert.equal(await highWatermarks(page, "kept"), 5, `${name} changed nothing`);
  }
  const huge = join(artifacts, "huge.json");
  writeFileSync(huge, "x".repeat(800_000));
  await page.getByLabel("Open a scenario file").setInputFiles(huge);
  await page.getByTestId("scenario-message").filter({ hasText: "too large" }).waitFor();
  await page.screenshot({ path: join(artifacts, "scenario-refused.png"), fullPage: true });
  await context.close();
  assert.deepEqual(problems, []);
});

test("a scenario travels as a link: Share puts it in the URL fragment, a fresh browser opens it; damaged links are refused and change nothing", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(msg.text()); });
  page.on("pageerror", (err) => problems.push(err.message));
  await page.goto(`${server.url}#/cluster`);
  await markAt(page, ENGINE_READY);
  await page.getByTestId("topic-name").fill("linked");
  await page.getByTestId("topic-partitions").fill("3");
  await page.getByRole("button", { name: "Create topic" }).click();
  await page.getByTestId("topic-linked").waitFor();
  await page.getByRole("button", { name: "Produce 5 records to linked" }).click();
  await page.getByRole("button", { name: "Step 1 s" }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="topic-linked"] td.hw')].reduce((s, td) => s + Number(td.textContent), 0) === 5);
  await page.getByRole("button", { name: "Share the scenario as a link" }).click();
  const link = await page.getByLabel("Link to this scenario").inputValue();
  assert.match(link, /^http:\/\/[^#]+\/play\/#\/cluster\?scenario=[A-Za-z0-9_-]+$/);
  assert.ok(link.length < 4_000, `a small scenario makes a short link (${link.length} characters)`);
  await page.getByTestId("scenario-message").filter({ hasText: "copied" }).waitFor();
  await context.close();

  // Another browser (nothing kept) opens the link: the same topic and records.
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const opened = await other.newPage();
  opened.on("pageerror", (err) => problems.push(err.message));
  await opened.goto(link);
  await markAt(opened, ENGINE_READY);
  await opened.getByTestId("scenario-message").filter({ hasText: "Opened the scenario from the link" }).waitFor();
  await opened.getByTestId("topic-linked").waitFor();
  assert.equal(await highWatermarks(opened, "linked"), 5);
  assert.equal(new URL(opened.url()).hash, "#/cluster", "the link's scenario leaves the address bar once opened");
  await opened.screenshot({ path: join(artifacts, "scenario-from-link.png"), fullPage: true });

  // Damaged links, pasted into the same tab: a reason, and nothing changes.
  const encoded = link.split("scenario=")[1];
  const bad = [
    [encoded.slice(0, Math.floor(encoded.length / 2)), /could not be opened/],
    ["not*base64url", /base64url does not use/],
    [Buffer.from("plain text, not deflate").toString("base64url"), /could not be opened/],
    ["A".repeat(32_001), /at most 32000/],
  ];
  for (const [payload, reason] of bad) {
    await opened.evaluate((p) => { location.hash = `#/cluster?scenario=${p}`; }, payload);
    await opened.getByTestId("scenario-message").filter({ hasText: reason }).waitFor();
    assert.equal(await opened.getByTestId("scenario-message").getAttribute("role"), "alert");
    assert.match(await opened.getByTestId("scenario-message").innerText(), /Nothing was changed/);
    assert.equal(await highWatermarks(opened, "linked"), 5, `${payload.slice(0, 20)}… changed nothing`);
  }
  await opened.screenshot({ path: join(artifacts, "scenario-link-refused.png"), fullPage: true });
  await other.close();
  assert.deepEqual(problems, []);
});
