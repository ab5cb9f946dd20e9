import type { FlowDefinition, FlowNode } from "./definition";
import { NODE_LABEL } from "./describe";

/** What publishing a draft changes against the live (latest published) version. */
export interface DefinitionDiff {
  /** ids of nodes the draft has and the live version lacks */
  added: string[];
  /** ids of nodes the live version has and the draft lacks */
  removed: string[];
  /** nodes of both whose settings or edges differ, with the top-level fields that differ (`type` when it changed) */
  changed: { id: string; fields: string[] }[];
  /** flow-wide settings that differ: trigger, entry, timeZone */
  settings: ("trigger" | "entry" | "timeZone")[];
}

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as Record<string, unknown>)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

function byId(nodes: FlowNode[] | undefined): Map<string, FlowNode> {
  const map = new Map<string, FlowNode>();
  for (const n of nodes ?? []) if (n && typeof n.id === "string" && !map.has(n.id)) map.set(n.id, n);
  return map;
}

/**
 * The draft against the live version, node by node (ids are stable across versions): added, removed,
 * changed (with the fields that differ), in the order of the draft (removed: of the live version).
 * Without a live version every node is added.
 */
export function diffDefinitions(live: FlowDefinition | undefined, draft: FlowDefinition | undefined): DefinitionDiff {
  const before = byId(live?.nodes);
  const after = byId(draft?.nodes);
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed: DefinitionDiff["changed"] = [];
  for (const [id, node] of after) {
    const old = before.get(id);
    if (!old || canonical(old) === canonical(node)) continue;
    const a = old as unknown as Record<string, unknown>;
    const b = node as unknown as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => canonical(a[k]) !== canonical(b[k])).sort();
    // a node whose type changed is listed by its type alone
    changed.push({ id, fields: fields.includes("type") ? ["type"] : fields });
  }
  const settings = (["trigger", "entry", "timeZone"] as const).filter((k) => canonical(live?.[k] ?? null) !== canonical(draft?.[k] ?? null));
  return { added, removed, changed, settings };
}

export function isEmptyDiff(diff: DefinitionDiff): boolean {
  return !diff.added.length && !diff.removed.length && !diff.changed.length && !diff.settings.length;
}

const SETTING_LABEL = { trigger: "the trigger", entry: "the entry policy", timeZone: "the time zone" } as const;

/** The diff in sentences, one per kind of change, for the publish summary (and screen readers). */
export function describeDiff(diff: DefinitionDiff, draft: FlowDefinition | undefined, live: FlowDefinition | undefined): string[] {
  const label = (id: string, d: FlowDefinition | undefined) => {
    const type = byId(d?.nodes).get(id)?.type;
    return `${type ? (NODE_LABEL[type] ?? type) : "Step"} “${id}”`;
  };
  const lines: string[] = [];
  if (diff.added.length) lines.push(`Added: ${diff.added.map((id) => label(id, draft)).join(", ")}`);
  if (diff.removed.length) lines.push(`Removed: ${diff.removed.map((id) => label(id, live)).join(", ")}`);
  if (diff.changed.length)
    lines.push(`Changed: ${diff.changed.map((c) => `${label(c.id, draft)} (${c.fields.join(", ")})`).join(", ")}`);
  if (diff.settings.length) lines.push(`Also changed: ${diff.settings.map((s) => SETTING_LABEL[s]).join(", ")}`);
  return lines;
}
