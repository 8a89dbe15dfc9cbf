// Shared helpers of the end-to-end suites: headless Chromium, a page that
// records problems, and the app's load marks.
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A fresh page that records console errors, page errors and failed requests. */
export async function openPage(browser, { viewport = { width: 1280, height: 800 } } = {}) {
  const page = await browser.newPage({ viewport });
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

/** Milliseconds from navigation start to a performance mark of the app. */
export async function markAt(page, name, timeout = 10_000) {
  await page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout });
  return page.evaluate((n) => performance.getEntriesByName(n)[0].startTime, name);
}

/** When the shell is mounted (UI wasm running). */
export const INTERACTIVE = "kplay:interactive";
/** When the engine (worker or server) welcomed the page: it can be used. */
export const ENGINE_READY = "kplay:engine-ready";

/** Every form control on the page that has no accessible name. */
export async function unnamedControls(page) {
  return page.evaluate(() => {
    const named = (el) => {
      if (el.getAttribute("aria-label")?.trim()) return true;
      if (el.labels && [...el.labels].some((l) => l.textContent.trim())) return true;
      if (el.tagName === "BUTTON" && el.textContent.trim()) return true;
      return false;
    };
    return [...document.querySelectorAll("input, select, button, textarea")]
      .filter((el) => !named(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

/** Sum of the numbers in the cells matching `selector`. */
export function sumCells(page, selector) {
  return page.evaluate(
    (s) => [...document.querySelectorAll(s)].reduce((sum, td) => sum + Number(td.textContent), 0),
    selector,
  );
}

/** Kafka's `Utils.murmur2` (the Java client's key hash), written from its source. */
export function murmur2(text) {
  const data = new TextEncoder().encode(text);
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length >> 2;
  for (let i = 0; i < whole; i++) {
    const at = i * 4;
    let k = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  switch (length % 4) {
    case 3:
      h ^= data[tail + 2] << 16;
    // falls through
    case 2:
      h ^= data[tail + 1] << 8;
    // falls through
    case 1:
      h ^= data[tail];
      h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's Java client picks for a key: `toPositive(murmur2(key)) % partitions`. */
export const partitionOf = (key, partitions) => (murmur2(key) & 0x7fffffff) % partitions;

/**
 * A fresh page on `view` (a hash such as `#/cluster`) of the app at `url`,
 * once the engine answers; with `pause` the clock is paused first, so only
 * the test's steps move engine time. Returns `{ page, problems }`.
 */
export async function openView(browser, url, view, { pause = true } = {}) {
  const opened = await openPage(browser);
  await opened.page.goto(`${url}${view}`);
  await markAt(opened.page, ENGINE_READY);
  if (pause) await opened.page.getByRole("button", { name: "Pause" }).click();
  return opened;
}

/**
 * Creates `name` with `partitions` from the Cluster view's form, as a
 * learner would (the view must be shown), with `--config` text if given.
 */
export async function createTopic(page, name, partitions, { config } = {}) {
  await page.getByTestId("topic-name").fill(name);
  await page.getByTestId("topic-partitions").fill(String(partitions));
  if (config) await page.getByLabel("--config").fill(config);
  await page.getByRole("button", { name: "Create topic" }).click();
  await page.getByTestId(`topic-${name}`).waitFor();
}

/** Clicks the clock's `label` step button (`Step 1 s`, `Step 10 s`) `times` times. */
export async function step(page, label, times = 1) {
  for (let i = 0; i < times; i++) await page.getByRole("button", { name: label }).click();
}

/**
 * Creates a producer from the Producer view's form with `settings` (each
 * control found by its Kafka key); resolves with the new producer's card.
 */
export async function createProducer(page, settings) {
  const form = page.getByTestId("producer").getByRole("form", { name: "Create a producer" });
  for (const [key, value] of Object.entries(settings)) {
    const control = form.getByLabel(key, { exact: true });
    if ((await control.evaluate((el) => el.tagName)) === "SELECT") await control.selectOption(value);
    else await control.fill(value);
  }
  const before = await page.locator('[data-testid^="producer-"][aria-label^="Producer"]').count();
  await page.getByRole("button", { name: "Create producer" }).click();
  const card = page.getByTestId(`producer-${before}`);
  await card.waitFor();
  return card;
}
