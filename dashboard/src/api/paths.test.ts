/**
 * The client may only call what Herald's OpenAPI document (the checked-in openapi.json snapshot)
 * offers. TypeScript already refuses unknown paths through `paths`; this test also catches a stale
 * schema.d.ts, string-built URLs and raw fetch calls that would bypass the typed client.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const spec = JSON.parse(readFileSync(join(root, "..", "openapi.json"), "utf8")) as {
  paths: Record<string, Record<string, unknown>>;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const CALL = /\b(?:api|publicApi)\s*\.\s*(GET|POST|PUT|DELETE|PATCH)\s*\(\s*(["'`])([^"'`]+)\2/g;

const calls = sources(root).flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(CALL)].map((m) => ({
    file: relative(root, file),
    method: m[1].toLowerCase(),
    path: m[3],
  })),
);

describe("API client against openapi.json", () => {
  it("finds the client's calls", () => {
    expect(calls.length).toBeGreaterThan(15);
  });

  it.each(calls.map((c) => [`${c.method.toUpperCase()} ${c.path}`, c] as const))("%s is in the OpenAPI document", (_, c) => {
    const operations = spec.paths[c.path];
    expect(operations, `${c.file}: ${c.path} is not a path of openapi.json`).toBeDefined();
    expect(Object.keys(operations), `${c.file}: ${c.method.toUpperCase()} ${c.path} is not in openapi.json`).toContain(c.method);
  });

  it("generated types match the snapshot (run `npm run api:types` after `npm run api:fetch`)", () => {
    const types = readFileSync(join(root, "api", "schema.d.ts"), "utf8");
    for (const [path, operations] of Object.entries(spec.paths)) {
      expect(types, `schema.d.ts lacks ${path}`).toContain(`"${path}": {`);
      for (const method of Object.keys(operations)) {
        expect(types).toMatch(new RegExp(`"${path.replace(/[{}]/g, "\\$&")}": \\{[^]*?\\b${method}: operations`));
      }
    }
  });

  it("nothing calls the API around the typed client", () => {
    const offenders = sources(root)
      // capabilities.ts reads /v3/api-docs (public, not an API operation) to hide screens a Herald lacks
      .filter((f) => !["public.ts", "client.ts", "capabilities.ts"].some((n) => f.endsWith(join("api", n))) && !f.endsWith(join("auth", "session.ts")))
      .filter((f) => /\bfetch\s*\(|new\s+(XMLHttpRequest|EventSource|WebSocket)\b/.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });
});
