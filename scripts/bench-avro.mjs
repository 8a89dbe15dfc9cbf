// The Avro part of `make bench`: the engine's Avro codec compiled to wasm
// against avsc (the JavaScript Avro library, pinned in package.json) in the
// same headless Chromium page and run, on the two records of the Avro
// benchmark (engine::workload::AVRO_SMALL_SCHEMA, one string field, and
// AVRO_LARGE_SCHEMA, a nested record with several strings, a union, an
// array and a map). scripts/bench-web.mjs calls it; the page-side code is
// scripts/bench-avro-page.js.
//
// Fairness rules (printed with the figures):
// - Same records, same bytes: the page builds avsc's JavaScript objects
//   from the engine's records (as plain JSON), once, outside the timing, as
//   the engine builds its Datums once; before timing it checks that avsc and
//   the engine write byte-identical encodings of every record (a
//   cross-implementation check), that each decodes the other's bytes to the
//   same record and that decode(encode(x)) == x on both sides.
// - Same work: a schema compiled once on each side (avsc
//   `Type.forSchema(schema)`, the engine's `Codec::new`); per record, each
//   side's fastest per-record API. avsc's encode is timed both as
//   `type.encode(value, buf, pos)` into one preallocated buffer and as
//   `type.toBuffer(value)`, its decode both as `type.decode(buf, pos)` over
//   the back-to-back records and as `type.fromBuffer(buf)` on each record's
//   own buffer (sliced before timing); avsc's figure is the faster of the
//   two. The engine appends every record to one reused Vec, and decodes
//   each record from the back-to-back bytes.
// - avsc runs as it does in a browser (see the last rule), where its string
//   decoding goes through the `buffer` package's JavaScript UTF-8 decoder;
//   its decode is also timed over a Buffer given a TextDecoder-backed
//   `utf8Slice`, the native path avsc takes when the Buffer has one (as on
//   Node), and avsc's decode figure is the fastest of all four variants.
// - Decode builds a full value on both sides (no lazy skipping): avsc a
//   record object with JavaScript strings, the engine a Datum whose strings
//   are UTF-8-checked slices of the input (the codec's zero-copy decode);
//   the engine's decode with every string copied out (Datum::into_owned) is
//   printed too.
// - Each side loops over all records in its own language: the engine's
//   loop runs inside wasm (one call per timed run, no per-record JS↔wasm
//   crossing), avsc's in JavaScript. Many records per timing (500k small,
//   100k large), best of several runs (the two sides interleaved run by
//   run, so a change of machine load shifts both), records/s.
// - avsc runs as it does in a browser: bundled with the `buffer` package
//   (pinned in package.json) for Node's Buffer, as browserify and the
//   webpack Buffer polyfill do, with avsc's own browser entry point
//   (etc/browser/avsc-types.js) and its browser `crypto` shim; `util` is a
//   few lines here (inherits, format, debuglog, deprecate), used only while
//   schemas are compiled or errors are built.
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const requireHere = createRequire(join(root, "package.json"));

// What the page runs: record kind, how many records, timed runs.
const CASES = [
  ["small", 500_000, 5],
  ["large", 100_000, 5],
];

/** Node's `util` as far as avsc uses it. */
const UTIL_SHIM = `
exports.inherits = function (ctor, superCtor) {
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  Object.setPrototypeOf(ctor, superCtor);
  ctor.super_ = superCtor;
};
exports.format = function (fmt) {
  var args = Array.prototype.slice.call(arguments, 1), i = 0;
  return String(fmt).replace(/%[sdj%]/g, function (m) {
    if (m === '%%') { return '%'; }
    var a = args[i++];
    return m === '%j' ? JSON.stringify(a) : String(a);
  }) + (i < args.length ? ' ' + args.slice(i).join(' ') : '');
};
exports.debuglog = function () { return function () {}; };
exports.deprecate = function (fn) { return fn; };
`;

/**
 * Bundles avsc's browser entry point and its dependencies into one ES
 * module, `avsc.js` in `dir`, exporting `shipped` and `nativeUtf8`, each
 * `{ avsc, Buffer }` (see below): a minimal
 * CommonJS loader (relative requires, npm packages, avsc's `browser`
 * mapping of `crypto`, and the `util` shim above).
 */
export function bundleAvsc(dir) {
  const entry = requireHere.resolve("avsc/etc/browser/avsc-types.js");
  const bufferEntry = requireHere.resolve("buffer/");
  const avscBrowserCrypto = requireHere.resolve("avsc/etc/browser/lib/crypto.js");
  const modules = new Map(); // file → { id, deps: {spec: id}, source }
  const resolveSpec = (from, spec) => {
    if (spec === "util") return "<util>";
    if (spec === "buffer") return bufferEntry;
    if (spec === "crypto") return avscBrowserCrypto;
    return createRequire(from).resolve(spec);
  };
  const visit = (file) => {
    if (modules.has(file)) return modules.get(file).id;
    const mod = { id: modules.size, deps: {}, source: file === "<util>" ? UTIL_SHIM : readFileSync(file, "utf8") };
    modules.set(file, mod);
    for (const [, spec] of mod.source.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      mod.deps[spec] = visit(resolveSpec(file, spec));
    }
    return mod.id;
  };
  const entryId = visit(entry);
  const bufferId = visit(bufferEntry);
  const parts = [...modules.entries()].map(
    ([file, m]) =>
      `// ${file === "<util>" ? "util (shim)" : file.slice(root.length + 1)}\n` +
      `${m.id}: [${JSON.stringify(m.deps)}, function (require, module, exports) {\n${m.source}\n}]`,
  );
  // Two independent instances: avsc as shipped, and avsc loaded over a
  // Buffer whose prototype has `utf8Slice` (backed by TextDecoder), the
  // fast string-decoding path avsc takes when it finds one (as on Node).
  writeFileSync(
    join(dir, "avsc.js"),
    `// Generated by scripts/bench-avro.mjs: avsc for the browser.\n` +
      `const defs = {\n${parts.join(",\n")}\n};\n` +
      `function instance(nativeUtf8) {\n` +
      `  const cache = {};\n` +
      `  const load = (id) => {\n` +
      `    if (cache[id]) return cache[id].exports;\n` +
      `    const module = (cache[id] = { exports: {} });\n` +
      `    const [deps, body] = defs[id];\n` +
      `    body((spec) => { if (!(spec in deps)) throw new Error("unbundled: " + spec); return load(deps[spec]); }, module, module.exports);\n` +
      `    return module.exports;\n` +
      `  };\n` +
      `  const { Buffer } = load(${bufferId});\n` +
      `  if (nativeUtf8) {\n` +
      `    const decoder = new TextDecoder();\n` +
      `    Buffer.prototype.utf8Slice = function (start, end) { return decoder.decode(this.subarray(start, end)); };\n` +
      `  }\n` +
      `  return { avsc: load(${entryId}), Buffer };\n` +
      `}\n` +
      `export const shipped = instance(false);\n` +
      `export const nativeUtf8 = instance(true);\n`,
  );
}

/** Writes what the page needs into `dir` (next to bench_web.js). */
export function prepareAvroBench(dir) {
  bundleAvsc(dir);
  copyFileSync(join(here, "bench-avro-page.js"), join(dir, "avro-page.js"));
}

/** Runs the cases in `page` (which imported avro-page.js) and prints. */
export async function runAvroBench(page) {
  const avscVersion = JSON.parse(readFileSync(requireHere.resolve("avsc/package.json"), "utf8")).version;
  console.log(
    `avro: engine codec (wasm) vs avsc ${avscVersion} in the same page. Same records, byte-identical encodings checked ` +
      `before timing (both ways, and round trips); schema compiled once per side; per record each side's fastest API ` +
      `(avsc: faster of encode-into-buffer / toBuffer, fastest of decode(buf, pos) / fromBuffer, each as shipped for browsers and with a TextDecoder-backed Buffer#utf8Slice); decode builds a full value on ` +
      `both sides (engine: strings borrow the input; "owned" copies them); loops run inside wasm / in JS; best of ${CASES[0][2]} runs, the two sides interleaved.`,
  );
  const rate = (count, ms) => count / (ms / 1000);
  const m = (r) => `${(r / 1e6).toFixed(2).padStart(6)} M records/s`;
  for (const [record, count, runs] of CASES) {
    const r = await page.evaluate(([k, n, runs]) => window.avroBench(k, n, runs), [record, count, runs]);
    const engineEncode = rate(count, r.engine.encode_ms);
    const engineDecode = rate(count, r.engine.decode_ms);
    const engineOwned = rate(count, r.engine.decode_owned_ms);
    const avscEncode = rate(count, Math.min(r.avsc.encode_ms, r.avsc.to_buffer_ms));
    const avscDecode = rate(
      count,
      Math.min(r.avsc.decode_ms, r.avsc.from_buffer_ms, r.avsc.native_utf8_decode_ms, r.avsc.native_utf8_from_buffer_ms),
    );
    const head = `avro ${record.padStart(5)} (${Math.round(r.bytes / count)} B/record, ${count} records)`;
    console.log(
      `${head}: encode engine ${m(engineEncode)}, avsc ${m(avscEncode)}` +
        ` (encode ${m(rate(count, r.avsc.encode_ms))}, toBuffer ${m(rate(count, r.avsc.to_buffer_ms))}),` +
        ` ratio ${(engineEncode / avscEncode).toFixed(2)}×`,
    );
    console.log(
      `${" ".repeat(head.length)}: decode engine ${m(engineDecode)}, avsc ${m(avscDecode)}` +
        ` (decode ${m(rate(count, r.avsc.decode_ms))}, fromBuffer ${m(rate(count, r.avsc.from_buffer_ms))};` +
        ` with TextDecoder: decode ${m(rate(count, r.avsc.native_utf8_decode_ms))}, fromBuffer ${m(rate(count, r.avsc.native_utf8_from_buffer_ms))}),` +
        ` ratio ${(engineDecode / avscDecode).toFixed(2)}×; owned ${m(engineOwned)}, ratio ${(engineOwned / avscDecode).toFixed(2)}×`,
    );
  }
}
