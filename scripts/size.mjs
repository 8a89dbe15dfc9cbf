// Measures the built app's wasm, raw and gzipped, against the size budget.
//   node scripts/size.mjs [dist]      prints the figures (`make size`)
// The end-to-end suite imports `measureWasm` and fails above the ceiling.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";

/** Goal for the whole app, gzipped. */
export const GOAL_GZIP_BYTES = 350 * 1024;
/** Hard ceiling, gzipped: the e2e suite fails above it. */
export const CEILING_GZIP_BYTES = 500 * 1024;

/** Sizes of the single `.wasm` file in `dist`: `{ file, raw, gzip }`. */
export function measureWasm(dist) {
  const wasm = readdirSync(dist).filter((name) => name.endsWith(".wasm"));
  if (wasm.length !== 1) {
    throw new Error(`expected one .wasm in ${dist}, found ${wasm.length}: run make dist`);
  }
  const bytes = readFileSync(join(dist, wasm[0]));
  const gzip = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
  return { file: wasm[0], raw: bytes.length, gzip };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? "dist";
  const { file, raw, gzip } = measureWasm(dist);
  const verdict =
    gzip > CEILING_GZIP_BYTES ? "OVER THE CEILING" : gzip > GOAL_GZIP_BYTES ? "over the goal" : "within the goal";
  console.log(`${file}: ${kb(raw)} raw, ${kb(gzip)} gzipped`);
  console.log(`goal ${kb(GOAL_GZIP_BYTES)} gzipped, ceiling ${kb(CEILING_GZIP_BYTES)}: ${verdict}`);
  process.exitCode = gzip > CEILING_GZIP_BYTES ? 1 : 0;
}
