import {
  apiCondition,
  fromApiCondition,
  needsValue,
  valueProblem,
  type ApiFilter,
  type ValueCondition,
  type ValueKind,
} from "@/features/segments/rules";
import type { FlowChannel } from "../definition";

/**
 * The rows of the flow forms that replace JSON text fields: property filters (`where`), an update's `set` and
 * its `consent` changes. Each converts from and to the definition's JSON and says what is wrong with a row,
 * with the same rules Herald checks (README "Flows (definition)"), so a refusal is shown before the save.
 */

/** Property and attribute names: 1–100 of letters, digits, _ . $ - (Herald's rule). */
export const KEY = /^[A-Za-z0-9_.$-]{1,100}$/;

export interface FilterRow extends ValueCondition {
  property: string;
}

export function filtersFromApi(where: ApiFilter[] | undefined): FilterRow[] {
  return (where ?? []).map((f) => ({ property: f.property ?? "", ...fromApiCondition(f.operator, f.value) }));
}

export function filtersToApi(rows: FilterRow[]): ApiFilter[] | undefined {
  if (!rows.length) return undefined;
  return rows.map((r) => ({ property: r.property.trim(), ...apiCondition(r) }) as ApiFilter);
}

/** Per row: what is wrong with its property and its value (nothing: no key). */
export function filterProblems(rows: FilterRow[]): { property?: string; value?: string }[] {
  return rows.map((r) => {
    const out: { property?: string; value?: string } = {};
    if (!KEY.test(r.property.trim())) out.property = r.property.trim() ? "Letters, digits, _ . $ - (at most 100)." : "Name the property.";
    const value = needsValue(r.operator) ? valueProblem(r) : undefined;
    if (value) out.value = value;
    return out;
  });
}

export type SetKind = "text" | "number" | "boolean";

export interface SetRow {
  key: string;
  kind: SetKind;
  /** as typed; "true"/"false" for booleans */
  value: string;
}

/** `set` as rows: strings as text, numbers as numbers, booleans as yes/no; anything else as its JSON text. */
export function setFromApi(set: Record<string, unknown> | undefined): SetRow[] {
  return Object.entries(set ?? {}).map(([key, v]) =>
    typeof v === "number"
      ? { key, kind: "number", value: String(v) }
      : typeof v === "boolean"
        ? { key, kind: "boolean", value: String(v) }
        : { key, kind: "text", value: typeof v === "string" ? v : JSON.stringify(v) },
  );
}

export function setToApi(rows: SetRow[]): Record<string, unknown> | undefined {
  if (!rows.length) return undefined;
  return Object.fromEntries(
    rows.map((r) => [r.key.trim(), r.kind === "number" ? Number(r.value.trim()) : r.kind === "boolean" ? r.value === "true" : r.value]),
  );
}

/** Per row: a bad or repeated name, a value that is not a number; `removed`: names the update also removes. */
export function setProblems(rows: SetRow[], removed: string[] = []): { key?: string; value?: string }[] {
  const seen = new Map<string, number>();
  rows.forEach((r) => seen.set(r.key.trim(), (seen.get(r.key.trim()) ?? 0) + 1));
  return rows.map((r) => {
    const out: { key?: string; value?: string } = {};
    const key = r.key.trim();
    if (!KEY.test(key)) out.key = key ? "Letters, digits, _ . $ - (at most 100)." : "Name the attribute.";
    else if ((seen.get(key) ?? 0) > 1) out.key = "Set once only.";
    else if (removed.includes(key)) out.key = "Both set and removed.";
    if (r.kind === "number" && (r.value.trim() === "" || !Number.isFinite(Number(r.value.trim())))) out.value = "Enter a number.";
    if (r.kind === "boolean" && r.value !== "true" && r.value !== "false") out.value = "Choose yes or no.";
    return out;
  });
}

export const CONSENT_STATUSES = ["SUBSCRIBED", "UNSUBSCRIBED", "BOUNCED", "COMPLAINED"] as const;
export type ConsentRow = { channel: FlowChannel | ""; status: (typeof CONSENT_STATUSES)[number] | "" };

export function consentFromApi(consent: { channel?: FlowChannel; status?: string }[] | undefined): ConsentRow[] {
  return (consent ?? []).map((c) => ({
    channel: c.channel ?? "",
    status: (CONSENT_STATUSES as readonly string[]).includes(c.status ?? "") ? (c.status as ConsentRow["status"]) : "",
  }));
}

export function consentToApi(rows: ConsentRow[]): { channel?: FlowChannel; status?: string }[] | undefined {
  if (!rows.length) return undefined;
  return rows.map((r) => ({ ...(r.channel ? { channel: r.channel } : {}), ...(r.status ? { status: r.status } : {}) }));
}

/** Per row: a missing channel or status, a channel changed twice. */
export function consentProblems(rows: ConsentRow[]): { channel?: string; status?: string }[] {
  return rows.map((r, i) => {
    const out: { channel?: string; status?: string } = {};
    if (!r.channel) out.channel = "Choose a channel.";
    else if (rows.findIndex((o) => o.channel === r.channel) !== i) out.channel = "One change per channel.";
    if (!r.status) out.status = "Choose a status.";
    return out;
  });
}

/** An update that changes nothing is refused by Herald: say so on the form. */
export function updateProblem(set: SetRow[], remove: string[], consent: ConsentRow[]): string | undefined {
  return set.length || remove.length || consent.length ? undefined : "Set or remove an attribute, or change a consent.";
}

export function hasProblems(problems: Record<string, string | undefined>[]): boolean {
  return problems.some((p) => Object.values(p).some(Boolean));
}

export const VALUE_KINDS: { kind: ValueKind; label: string }[] = [
  { kind: "text", label: "text" },
  { kind: "number", label: "number" },
  { kind: "boolean", label: "yes/no" },
  { kind: "date", label: "date" },
];
