// Runs the engine's benchmark workload compiled to wasm in headless
// Chromium and prints MB/s against a memcpy measured in the same page; then
// the Avro codec against avsc in the same page (scripts/bench-avro.mjs).
//   node scripts/bench-web.mjs <dir with bench_web.js and bench_web_bg.wasm>
// KPLAY_BENCH_ONLY=avro (or =throughput, =assignors) runs only that part.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serveDirectory } from "./serve-dist.mjs";
import { prepareAvroBench, runAvroBench } from "./bench-avro.mjs";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/bench-web.mjs <bench-web dir>");
const only = process.env.KPLAY_BENCH_ONLY;
const wanted = (part) => !only || only === part;
prepareAvroBench(dir);
writeFileSync(
  join(dir, "index.html"),
  `<!DOCTYPE html><script type="module">
import init, { throughput, assignor } from "./bench_web.js";
window.bench = async (valueLen, totalBytes, runs) => { await init(); return JSON.parse(throughput(valueLen, totalBytes, runs)); };
window.assignor = async (name, members, topics, perTopic, runs) => { await init(); return JSON.parse(assignor(name, members, topics, perTopic, runs)); };
window.ready = true;
</script>
<script type="module" src="./avro-page.js"></script>`,
);
const server = await serveDirectory({ root: dir, prefix: "/" });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
});
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.ready === true && window.avroReady === true);
  for (const valueLen of wanted("throughput") ? [100, 1024] : []) {
    const r = await page.evaluate(([v]) => window.bench(v, 64 * 1024 * 1024, 3), [valueLen]);
    const mb = r.bytes / 1e6;
    const engine = mb / (r.engine_ms / 1000);
    const copy = mb / (r.memcpy_ms / 1000);
    console.log(
      `wasm   ${String(valueLen).padStart(5)} B records: ${r.records} records, produce→append→fetch ` +
        `${engine.toFixed(1).padStart(8)} MB/s, memcpy ${copy.toFixed(1).padStart(8)} MB/s, ratio ${((100 * engine) / copy).toFixed(1)}%`,
    );
  }
  // Assignment time per assignor, as `cargo bench --bench assignors` measures natively.
  for (const [members, topics, perTopic] of wanted("assignors") ? [[100, 10, 100], [2000, 100, 1000]] : []) {
    for (const name of ["range", "roundrobin", "sticky", "cooperative-sticky"]) {
      const runs = members > 1000 ? 1 : 5;
      const r = await page.evaluate(([n, m, t, p, k]) => window.assignor(n, m, t, p, k), [name, members, topics, perTopic, runs]);
      if (r.partitions !== topics * perTopic) throw new Error(`${name}: ${r.partitions} partitions assigned`);
      console.log(
        `wasm   ${name.padStart(18)}: ${String(members).padStart(5)} members × ${String(topics * perTopic).padStart(6)} partitions: ` +
          `assign + reassign ${r.ms.toFixed(1).padStart(10)} ms`,
      );
    }
  }
  if (wanted("avro")) await runAvroBench(page);
} finally {
  await browser.close();
  await server.close();
}
