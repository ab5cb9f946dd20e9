// Serves the static export (out/) the way api-gateway should, and passes API paths through to a
// running Herald, so the exported app can be tried (and tested end to end) on one origin:
//   HERALD_URL=http://localhost:8080 PORT=3001 npm run serve
// What it does, which is what the Spring side must do:
//   - GET /foo/ → out/foo/index.html; GET /foo (a directory) → 308 to /foo/; files as they are
//   - unknown paths → out/404.html with status 404
//   - /_next/static/* immutable for a year; HTML no-cache
//   - Content-Security-Policy with script-src 'self' plus the hashes of the inline scripts
//     (out/csp-hashes.json), the rest as Herald sends it
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import { extname, join, normalize } from "node:path";

const root = new URL("../out", import.meta.url).pathname;
const herald = new URL(process.env.HERALD_URL ?? "http://localhost:8080");
const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? "127.0.0.1";
const API_PREFIXES = ["/api/", "/v3/api-docs", "/actuator/", "/.well-known/", "/swagger-ui"];

if (!existsSync(join(root, "index.html"))) {
  console.error("out/index.html is missing: run `npm run build` first");
  process.exit(1);
}
const hashes = JSON.parse(readFileSync(join(root, "csp-hashes.json"), "utf8")).all.join(" ");
// SERVE_CSP overrides the policy (e.g. to see what Herald's current API policy does to the app)
const CSP =
  process.env.SERVE_CSP ??
  `default-src 'self'; script-src 'self' ${hashes}; img-src 'self' data:; style-src 'self' 'unsafe-inline'; ` +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

function securityHeaders(res) {
  res.setHeader("Content-Security-Policy", CSP);
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
}

// The Host header is passed as it came, so Herald sees the browser's requests as same-origin (as they
// are when it serves the app itself) and its CORS check does not apply.
function proxy(req, res) {
  const upstream = http.request(
    { host: herald.hostname, port: herald.port || 80, method: req.method, path: req.url, headers: { ...req.headers, "x-forwarded-proto": "http" } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    res.writeHead(502, { "Content-Type": "application/problem+json" });
    res.end(JSON.stringify({ status: 502, title: "Bad Gateway", detail: `Herald at ${herald.origin} did not answer` }));
  });
  req.pipe(upstream);
}

function send(res, file, status = 200) {
  const type = TYPES[extname(file)] ?? "application/octet-stream";
  securityHeaders(res);
  res.setHeader("Content-Type", type);
  res.setHeader("Cache-Control", file.includes(`${join(root, "_next", "static")}`) ? "public, max-age=31536000, immutable" : "no-cache");
  res.writeHead(status);
  createReadStream(file).pipe(res);
}

http
  .createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (API_PREFIXES.some((p) => url.pathname.startsWith(p))) return proxy(req, res);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" });
      return res.end();
    }
    let path;
    try {
      path = normalize(decodeURIComponent(url.pathname));
    } catch {
      res.writeHead(400);
      return res.end();
    }
    if (path.includes("\0") || path.split("/").includes("..")) {
      res.writeHead(400);
      return res.end();
    }
    const file = join(root, path);
    if (existsSync(file) && statSync(file).isFile()) return send(res, file);
    if (existsSync(join(file, "index.html"))) {
      if (!url.pathname.endsWith("/")) {
        res.writeHead(308, { Location: `${url.pathname}/${url.search}` });
        return res.end();
      }
      return send(res, join(file, "index.html"));
    }
    return send(res, join(root, "404.html"), 404);
  })
  .listen(port, host, () => console.log(`dashboard on http://${host}:${port}/ (API → ${herald.origin})`));
