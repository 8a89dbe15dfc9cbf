// Page side of scripts/bench-avro.mjs (copied next to bench_web.js as
// avro-page.js): the engine's Avro codec in wasm and avsc on the same
// records in the same page. See bench-avro.mjs for the fairness rules.
import init, { AvroBench } from "./bench_web.js";
import { shipped, nativeUtf8 } from "./avsc.js";

const { avsc, Buffer } = shipped;

/** Deep equality of plain JSON-like values and avsc's decoded records. */
function same(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => k === kb[i] && same(a[k], b[k]));
}

function fail(message) {
  throw new Error(message);
}

/**
 * Checks both implementations against each other on every record, then
 * times each. Returns the timings (ms, best of `runs`) and the byte count.
 */
window.avroBench = async (record, count, runs) => {
  await init();
  const engine = new AvroBench(record, count);
  try {
    const type = avsc.Type.forSchema(JSON.parse(engine.schema()));
    const values = JSON.parse(engine.records_json());
    const encoded = Buffer.from(engine.encoded());
    const ends = engine.ends();
    if (values.length !== count || ends.length !== count) fail("wrong record count");

    // Cross-implementation and round-trip checks, once, before timing.
    engine.check_round_trip();
    const slices = [];
    let start = 0;
    for (let i = 0; i < count; i++) {
      const theirs = encoded.subarray(start, ends[i]);
      const ours = type.toBuffer(values[i]);
      if (!ours.equals(theirs)) fail(`${record} record ${i}: avsc and the engine encode differently`);
      if (!same(type.fromBuffer(theirs), values[i])) fail(`${record} record ${i}: avsc decodes the engine's bytes differently`);
      slices.push(theirs);
      start = ends[i];
    }
    const bytes = encoded.length;
    // The same, through avsc loaded over a Buffer with a native utf8Slice.
    const fastType = nativeUtf8.avsc.Type.forSchema(JSON.parse(engine.schema()));
    const fastEncoded = nativeUtf8.Buffer.from(engine.encoded());
    const fastSlices = Array.from(ends, (end, i) => fastEncoded.subarray(i === 0 ? 0 : ends[i - 1], end));
    for (let i = 0; i < count; i++) {
      if (!same(fastType.fromBuffer(fastSlices[i]), values[i])) fail(`${record} record ${i}: avsc (TextDecoder) decodes differently`);
    }

    // Each run times every variant once, the two sides interleaved, so a
    // change of machine load shifts both; each variant keeps its best run.
    let sink;
    const out = Buffer.alloc(bytes);
    const variants = {
      avsc_encode_ms: () => {
        let pos = 0;
        for (let i = 0; i < count; i++) pos = type.encode(values[i], out, pos);
        if (pos !== bytes) fail("avsc encoded the wrong length");
      },
      avsc_to_buffer_ms: () => {
        for (let i = 0; i < count; i++) sink = type.toBuffer(values[i]);
      },
      engine_encode_ms: () => engine.encode_ms(1),
      avsc_decode_ms: () => {
        let pos = 0;
        for (let i = 0; i < count; i++) {
          const r = type.decode(encoded, pos);
          sink = r.value;
          pos = r.offset;
        }
        if (pos !== bytes) fail("avsc decoded the wrong length");
      },
      avsc_from_buffer_ms: () => {
        for (let i = 0; i < count; i++) sink = type.fromBuffer(slices[i]);
      },
      avsc_native_utf8_decode_ms: () => {
        let pos = 0;
        for (let i = 0; i < count; i++) {
          const r = fastType.decode(fastEncoded, pos);
          sink = r.value;
          pos = r.offset;
        }
        if (pos !== bytes) fail("avsc decoded the wrong length");
      },
      avsc_native_utf8_from_buffer_ms: () => {
        for (let i = 0; i < count; i++) sink = fastType.fromBuffer(fastSlices[i]);
      },
      engine_decode_ms: () => engine.decode_ms(1),
      engine_decode_owned_ms: () => engine.decode_owned_ms(1),
    };
    const best = Object.fromEntries(Object.keys(variants).map((k) => [k, Infinity]));
    for (let r = 0; r < runs; r++) {
      for (const [name, body] of Object.entries(variants)) {
        const t0 = performance.now();
        // The engine's variants time themselves inside wasm.
        const inner = body();
        best[name] = Math.min(best[name], typeof inner === "number" ? inner : performance.now() - t0);
      }
    }
    if (!out.equals(encoded)) fail("avsc's timed encoding differs from the engine's");
    if (!same(sink, values[count - 1])) fail("avsc's last decoded record differs");
    const engineTimes = {
      encode_ms: best.engine_encode_ms,
      decode_ms: best.engine_decode_ms,
      decode_owned_ms: best.engine_decode_owned_ms,
    };
    const avscTimes = {
      encode_ms: best.avsc_encode_ms,
      to_buffer_ms: best.avsc_to_buffer_ms,
      decode_ms: best.avsc_decode_ms,
      from_buffer_ms: best.avsc_from_buffer_ms,
      native_utf8_decode_ms: best.avsc_native_utf8_decode_ms,
      native_utf8_from_buffer_ms: best.avsc_native_utf8_from_buffer_ms,
    };
    return { bytes, engine: engineTimes, avsc: avscTimes };
  } finally {
    engine.free();
  }
};
window.avroReady = true;
