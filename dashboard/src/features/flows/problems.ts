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

/**
 * A refused definition as the editor pins it: the node, the node's own field (`timeout`,
 * `content.subject`, `paths[0]`: the part after `nodes[…].`, or the problem's `nodeField`), and
 * Herald's message. A trigger or entry field keeps its path (`trigger.event`).
 */
export function pinnedProblem(
  error: unknown,
  definition?: FlowDefinition,
): { nodeId?: string; field?: string; message: string } | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const nodeId = problemNodeId(error, definition);
  let field = problemField(error);
  if (field) {
    const inNode = /(?:^|\.)nodes\[[^\]]+\]\.(.+)$/.exec(field);
    if (inNode) field = inNode[1];
    else field = field.replace(/^definition\./, "");
  }
  const p = error.problem;
  const message = p.detail || p.errors?.[0]?.message || p.title || error.message;
  return { nodeId, field, message: String(message) };
}
