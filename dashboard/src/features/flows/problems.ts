import { ApiError } from "@/api/problem";
import type { FlowDefinition } from "./definition";

/**
 * The node a refused definition names: the problem's `nodeId` (422 flow.*), or the node in the
 * field path: `definition.nodes[<id>].<field>` (422) or `definition.nodes[<index>].<field>` (400,
 * for JSON Herald could not read; the index is looked up in the definition that was sent).
 */
export function problemNodeId(error: unknown, definition?: FlowDefinition): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const p = error.problem;
  if (typeof p.nodeId === "string" && p.nodeId) return p.nodeId;
  const fields = [typeof p.field === "string" ? p.field : undefined, ...(p.errors ?? []).map((e) => e?.field)].filter(
    (f): f is string => !!f,
  );
  for (const field of fields) {
    const m = /(?:^|\.)nodes\[([^\]]+)\]/.exec(field);
    if (!m) continue;
    const key = m[1];
    if (/^\d+$/.test(key)) {
      const node = definition?.nodes?.[Number(key)];
      if (node && typeof node.id === "string") return node.id;
      // a numeric id is possible too
      if (definition?.nodes?.some((n) => n?.id === key)) return key;
      continue;
    }
    return key;
  }
  return undefined;
}

/** The field a refused definition names, e.g. `timeout` or `paths`, for the message next to the editor. */
export function problemField(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const p = error.problem;
  if (typeof p.nodeField === "string") return p.nodeField;
  const field = (typeof p.field === "string" ? p.field : undefined) ?? p.errors?.[0]?.field;
  return field;
}
