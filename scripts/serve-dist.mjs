// A tiny static server for the built site, to check it works when hosted
// under a sub-path as a static host would serve it (gzip included, as
// static hosts compress wasm, JS and CSS).
//   node scripts/serve-dist.mjs [dist] [--prefix /play/] [--port 8090]
// The end-to-end tests import `serveDirectory` and start it on a free port.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".avsc": "application/json",
  ".md": "text/markdown; charset=utf-8",
};

/** Types a static host compresses (as GitHub Pages, Netlify and nginx's gzip_types do). */
const COMPRESSED = new Set([".html", ".js", ".wasm", ".css", ".svg", ".json"]);
const gzipped = new Map();

/**
 * Serves `root` under URL prefix `prefix` (e.g. "/play/") on 127.0.0.1.
 * Anything outside the prefix is a 404, so a build that used absolute URLs
 * fails to load. Resolves to `{ url, close, requests }` once listening.
 */
export function serveDirectory({ root, prefix = "/", port = 0 }) {
  const base = resolve(root);
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let status = 404;
    let body = "not found";
    let type = "text/plain";
    if (path.startsWith(prefix)) {
      let file = normalize(join(base, path.slice(prefix.length)));
      if (file === base || file.startsWith(base + sep)) {
        try {
          if ((await stat(file)).isDirectory()) file = join(file, "index.html");
          body = await readFile(file);
          type = TYPES[extname(file)] ?? "application/octet-stream";
          status = 200;
        } catch {
          // stays 404
        }
      }
    }
    requests.push({ path, status });
    const headers = { "content-type": type, "cache-control": "no-store" };
    const ext = extname(path.endsWith("/") ? "index.html" : path);
    if (status === 200 && COMPRESSED.has(ext) && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
      const key = createHash("sha1").update(body).digest("hex");
      if (!gzipped.has(key)) gzipped.set(key, gzipSync(body));
      body = gzipped.get(key);
      headers["content-encoding"] = "gzip";
      headers["vary"] = "accept-encoding";
    }
    res.writeHead(status, headers);
    res.end(body);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address();
      resolvePromise({
        url: `http://127.0.0.1:${actual}${prefix}`,
        requests,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : fallback;
  };
  const prefix = flag("--prefix", "/play/");
  const port = Number(flag("--port", "8090"));
  const { url } = await serveDirectory({ root: args[0] ?? "dist", prefix, port });
  console.log(`serving ${args[0] ?? "dist"} at ${url}`);
}
