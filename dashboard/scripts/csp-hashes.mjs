// After `next build`: lists the SHA-256 of every inline <script> of every exported page, so the
// server can allow exactly those scripts in its Content-Security-Policy instead of 'unsafe-inline'.
// Writes out/csp-hashes.json: { "all": [...], "pages": { "/campaigns/index.html": [...] } }.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const outDir = new URL("../out", import.meta.url).pathname;
const INLINE = /<script(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

function* htmlFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* htmlFiles(path);
    else if (name.endsWith(".html")) yield path;
  }
}

const pages = {};
const all = new Set();
for (const file of htmlFiles(outDir)) {
  const html = readFileSync(file, "utf8");
  const hashes = new Set();
  for (const [, body] of html.matchAll(INLINE)) {
    if (!body) continue;
    hashes.add(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
  }
  const key = "/" + relative(outDir, file).split(sep).join("/");
  pages[key] = [...hashes].sort();
  hashes.forEach((h) => all.add(h));
}
writeFileSync(join(outDir, "csp-hashes.json"), JSON.stringify({ all: [...all].sort(), pages }, null, 2) + "\n");
console.log(`csp-hashes.json: ${Object.keys(pages).length} pages, ${all.size} distinct inline scripts`);
