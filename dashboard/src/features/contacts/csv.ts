/** The first record of a CSV file (its header), with RFC 4180 quoting; the delimiter is guessed. */
export function parseHeader(text: string): { columns: string[]; delimiter: string } {
  const firstLine = text.replace(/^\uFEFF/, "");
  const candidates = [",", ";", "\t", "|"];
  const sample = firstLine.slice(0, firstLine.search(/\r?\n/) >= 0 ? firstLine.search(/\r?\n/) : undefined);
  const delimiter = candidates.reduce((best, d) => (count(sample, d) > count(sample, best) ? d : best), ",");
  const columns: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < firstLine.length; i++) {
    const ch = firstLine[i];
    if (quoted) {
      if (ch === '"' && firstLine[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      columns.push(cell.trim());
      cell = "";
    } else if (ch === "\n" || ch === "\r") break;
    else cell += ch;
  }
  columns.push(cell.trim());
  return { columns: columns.filter((c, i) => c !== "" || i < columns.length - 1), delimiter };
}

function count(s: string, ch: string) {
  return s.split(ch).length - 1;
}

/** Counts data rows (lines after the header, ignoring a trailing empty line); newlines inside quotes are not rows. */
export function countRows(text: string): number {
  let rows = 0;
  let quoted = false;
  let sawContent = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "\n" && !quoted) {
      if (sawContent) rows++;
      sawContent = false;
    } else if (ch !== "\r") sawContent = true;
  }
  if (sawContent) rows++;
  return Math.max(0, rows - 1);
}

export type Target = "skip" | "email" | "externalId" | "phone" | "timeZone" | "locale" | "attribute";
export type AttributeType = "STRING" | "NUMBER" | "BOOLEAN" | "DATE";

export interface ColumnMapping {
  column: string;
  target: Target;
  /** attribute key (defaults to the column name) */
  name: string;
  type: AttributeType;
}

const GUESS: [RegExp, Target][] = [
  [/^e-?mail(_?address)?$/i, "email"],
  [/^(external_?id|user_?id|customer_?id|id)$/i, "externalId"],
  [/^(phone|mobile|phone_?number|msisdn)$/i, "phone"],
  [/^(time_?zone|tz)$/i, "timeZone"],
  [/^(locale|language|lang)$/i, "locale"],
];

export function attributeKey(column: string): string {
  const key = column.trim().replace(/\s+/g, "_").replace(/[^A-Za-z0-9_.$-]/g, "");
  return key.slice(0, 100) || "column";
}

/** A first mapping from the header names: known profile fields by name, the rest as text attributes. */
export function guessMapping(columns: string[]): ColumnMapping[] {
  const used = new Set<Target>();
  return columns.map((column) => {
    const hit = GUESS.find(([re, t]) => re.test(column.trim()) && !used.has(t));
    if (hit) {
      used.add(hit[1]);
      return { column, target: hit[1], name: attributeKey(column), type: "STRING" };
    }
    return { column, target: "attribute", name: attributeKey(column), type: "STRING" };
  });
}

const KEY = /^[A-Za-z0-9_.$-]{1,100}$/;

/** Problems of a mapping, by column (or "_" for the whole). */
export function mappingProblems(mapping: ColumnMapping[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!mapping.some((m) => m.target === "email" || m.target === "externalId")) {
    out._ = "Map a column to E-mail or External id: contacts are matched by one of them.";
  }
  const seen = new Map<string, string>();
  for (const m of mapping) {
    if (m.target !== "skip" && m.target !== "attribute") {
      const other = seen.get(m.target);
      if (other) out[m.column] = `“${other}” is already imported as ${m.target}.`;
      seen.set(m.target, m.column);
    }
    if (m.target === "attribute") {
      if (!KEY.test(m.name)) out[m.column] = "Attribute names use letters, digits and _ . $ - only.";
      const other = seen.get(`attr:${m.name}`);
      if (other) out[m.column] = `“${other}” is already imported as ${m.name}.`;
      seen.set(`attr:${m.name}`, m.column);
    }
  }
  return out;
}

/** The API's mapping JSON: {"email": "Email", "attributes": [{"column", "name", "type"}]} */
export function apiMapping(mapping: ColumnMapping[]) {
  const out: Record<string, unknown> = {};
  const attributes: { column: string; name?: string; type?: AttributeType }[] = [];
  for (const m of mapping) {
    if (m.target === "skip") continue;
    if (m.target === "attribute") {
      attributes.push({ column: m.column, name: m.name !== m.column ? m.name : undefined, type: m.type !== "STRING" ? m.type : undefined });
    } else out[m.target] = m.column;
  }
  if (attributes.length) out.attributes = attributes;
  return out;
}

/** The first `limit` records (header included) of CSV text. */
export function parseRecords(text: string, delimiter: string, limit: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length && rows.length < limit; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (rows.length < limit && (cell || row.length)) {
    row.push(cell.replace(/\r$/, ""));
    rows.push(row);
  }
  return rows;
}
