// Re-fetches the OpenAPI document from a running Herald and writes openapi.json with sorted keys,
// so that a change in the API shows as a readable diff. Then `npm run api:types` regenerates the types.
//   HERALD_URL=http://localhost:8080 npm run api:fetch
import { writeFileSync } from "node:fs";

const base = (process.env.HERALD_URL ?? "http://localhost:8080").replace(/\/$/, "");
const response = await fetch(`${base}/v3/api-docs`);
if (!response.ok) {
  console.error(`GET ${base}/v3/api-docs answered ${response.status}`);
  process.exit(1);
}
const doc = await response.json();
delete doc.servers; // the URL of the instance it was fetched from is not part of the contract

// Spring's /error mapping is not an API endpoint
if (doc.paths) delete doc.paths["/error"];

const sorted = (value) =>
  Array.isArray(value)
    ? value.map(sorted)
    : value && typeof value === "object"
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]))
      : value;

writeFileSync(new URL("../openapi.json", import.meta.url), JSON.stringify(sorted(doc), null, 2) + "\n");
console.log(`openapi.json: ${Object.keys(doc.paths ?? {}).length} paths from ${base}`);
