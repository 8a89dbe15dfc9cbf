// Measures the built site's wasm files, raw and gzipped, against their
// budgets: the UI (views and the port's client; it does not link the
// engine), the engine's Web Worker (local mode, every engine feature) and
// the Console view's terminal (fetched only when that view first opens).
//   node scripts/size.mjs [dist]      prints the figures (`make size`)
// The end-to-end suite imports `measureWasm` and fails above a budget.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";

/** Budgets, gzipped (KB = 1024 bytes). */
export const BUDGETS = {
  ui: 300 * 1024,
  worker: 500 * 1024,
  console: 150 * 1024,
};

/** The worker's and the console's wasm: Trunk names them after their
 * binaries, unhashed. */
const WORKER_WASM = "kplay-worker_bg.wasm";
const CONSOLE_WASM = "kplay-console_bg.wasm";

/** `{ ui: { file, raw, gzip }, worker: …, console: … }` for `dist`. */
export function measureWasm(dist) {
  const wasm = readdirSync(dist).filter((name) => name.endsWith(".wasm"));
  const ui = wasm.filter((name) => name !== WORKER_WASM && name !== CONSOLE_WASM);
  if (ui.length !== 1 || !wasm.includes(WORKER_WASM) || !wasm.includes(CONSOLE_WASM)) {
    throw new Error(`expected the UI's wasm, ${WORKER_WASM} and ${CONSOLE_WASM} in ${dist}, found ${wasm.join(", ")}: run make dist`);
  }
  const measure = (file) => {
    const bytes = readFileSync(join(dist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length };
  };
  return { ui: measure(ui[0]), worker: measure(WORKER_WASM), console: measure(CONSOLE_WASM) };
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = measureWasm(process.argv[2] ?? "dist");
  let over = false;
  for (const [part, { file, raw, gzip }] of Object.entries(sizes)) {
    const verdict = gzip > BUDGETS[part] ? "OVER BUDGET" : "within budget";
    over ||= gzip > BUDGETS[part];
    console.log(`${part.padEnd(6)} ${file}: ${kb(raw)} raw, ${kb(gzip)} gzipped (budget ${kb(BUDGETS[part])}: ${verdict})`);
  }
  process.exitCode = over ? 1 : 0;
}
