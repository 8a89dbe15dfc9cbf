// The UI under load: with the engine producing 5,000 records/s into a topic
// of 12 partitions read by a group of 3 consumers, how smooth is the page's
// main thread while the Producer, Partitions (the Cluster view with a
// partition's records on live tail) and Consumers views are open, each in
// turn? Measured in local mode (the
// engine in the page's Web Worker) and in live mode (the native server,
// its WebSocket), in headless Chromium: every frame's duration over
// MEASURE_MS (p50, p95, worst) and the longest task (PerformanceObserver
// "longtask", tasks over 50 ms).
//   node scripts/bench-ui.mjs <dist> [<kafka-playground binary>]
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { serveDirectory } from "./serve-dist.mjs";
import { launch, markAt, ENGINE_READY } from "../tests/e2e/support.mjs";

const dist = process.argv[2] ?? "dist";
const binary = process.argv[3];
const MEASURE_MS = Number(process.env.KPLAY_BENCH_UI_MS ?? 10_000);
const RATE = 5_000;

/** Sets the scenario up through the views, as a learner would. */
async function scenario(page, url) {
  await page.goto(`${url}#/cluster`);
  await markAt(page, ENGINE_READY, 20_000);
  await page.getByLabel("Topic", { exact: true }).fill("clicks");
  await page.getByLabel("Partitions", { exact: true }).fill("12");
  await page.getByLabel("Replication factor").fill("3");
  await page.getByRole("button", { name: "Create topic" }).click();
  await page.getByTestId("topic-clicks").waitFor();
  await page.getByRole("link", { name: "Consumers", exact: true }).click();
  await page.getByLabel("subscribe (topic)").fill("clicks");
  await page.getByLabel("group.id").fill("clicks-app");
  for (let i = 0; i < 3; i++) {
    await page.getByRole("button", { name: "Add consumer" }).click();
    await page.getByTestId(`consumer-${i}`).waitFor();
  }
  // A producer client sending on its own beside the workload, so the
  // Producer view's accumulator and reports move.
  await page.getByRole("link", { name: "Producer", exact: true }).click();
  await page.getByLabel("linger.ms", { exact: true }).fill("20");
  await page.getByRole("button", { name: "Create producer" }).click();
  await page.getByTestId("producer-0").getByLabel("topic", { exact: true }).fill("clicks");
  await page.getByTestId("producer-0").getByLabel("records/s").fill("200");
  await page.getByTestId("producer-0").getByRole("button", { name: "Send continuously" }).click();
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  await page.getByTestId("workload-topic").fill("clicks");
  await page.getByLabel("Records per second").fill(String(RATE));
  await page.getByRole("button", { name: "Start producing" }).click();
  await page.getByTestId("workload").waitFor().catch(async (e) => {
    await page.screenshot({ path: "/tmp/bench-fail.png", fullPage: true });
    throw e;
  });
  await page.waitForTimeout(3_000);
}

/** Frame durations and the longest task over `ms`, measured in the page. */
function measure(page, ms) {
  return page.evaluate(async (ms) => {
    let longest = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
    });
    observer.observe({ type: "longtask", buffered: false });
    const frames = [];
    let last = performance.now();
    const end = last + ms;
    await new Promise((done) => {
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    observer.disconnect();
    frames.sort((a, b) => a - b);
    const at = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
    return { frames: frames.length, p50: at(0.5), p95: at(0.95), worst: frames[frames.length - 1], longest };
  }, ms);
}

/** Opens each view in turn and measures it. */
async function views(page, mode) {
  await page.getByRole("link", { name: "Producer", exact: true }).click();
  await page.getByTestId("producer-0").getByTestId("reports").waitFor();
  report(`${mode} Producer`, await measure(page, MEASURE_MS));
  await page.getByRole("link", { name: "Cluster", exact: true }).click();
  await page.getByRole("button", { name: "Show the records of clicks-0" }).click();
  await page.getByTestId("record-browser").locator("tbody tr").first().waitFor();
  report(`${mode} Partitions`, await measure(page, MEASURE_MS));
  await page.getByRole("link", { name: "Consumers", exact: true }).click();
  await page.getByTestId("lag-chart").waitFor();
  report(`${mode} Consumers`, await measure(page, MEASURE_MS));
}

function report(mode, r) {
  console.log(`${mode.padEnd(16)} ${r.frames} frames in ${MEASURE_MS / 1000} s: frame p50 ${r.p50.toFixed(1)} ms, ` +
    `p95 ${r.p95.toFixed(1)} ms, worst ${r.worst.toFixed(1)} ms; longest task ${r.longest ? `${r.longest.toFixed(0)} ms` : "none over 50 ms"}`);
}

function startServer() {
  const child = spawn(binary, ["serve", "--kafka-port", "0", "--registry-port", "0", "--connect-port", "0", "--feed-port", "0", "--dist", dist], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let feed;
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.includes("live feed on http://")) feed = line.split("live feed on http://")[1].split(/\s/)[0];
      if (line.includes("ready")) resolve({ feed, stop: () => child.kill("SIGKILL") });
    });
  });
}

const browser = await launch();
try {
  console.log(`UI under load: ${RATE} records/s into 12 partitions, 3 consumers and a producer at 200/s; each view open ${MEASURE_MS / 1000} s`);
  const hosted = await serveDirectory({ root: dist, prefix: "/play/" });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await scenario(page, hosted.url);
    await views(page, "local");
    await page.close();
  } finally {
    await hosted.close();
  }
  if (binary) {
    const server = await startServer();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await scenario(page, `http://${server.feed}/`);
      await views(page, "live");
      await page.close();
    } finally {
      server.stop();
    }
  }
} finally {
  await browser.close();
}
