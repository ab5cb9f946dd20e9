/**
 * The live side of a flow: its statistics (GET /api/flows/{id}/stats and its stream) drawn on the canvas,
 * and one run's decision log as a path on it. Pure functions; the live page and its tests use them.
 */

/** Per node, as `GET /api/flows/{id}/stats` counts it (README "Flows (runs)"). */
export interface NodeStats {
  nodeId?: string;
  type?: string | null;
  entered?: number;
  inNode?: number;
  passed?: number;
  sent?: number;
  failed?: number;
  skipped?: number;
  unknown?: number;
}

export interface EdgeStats {
  from?: string;
  field?: string;
  to?: string | null;
  count?: number;
}

export interface FlowStats {
  flowId?: string;
  version?: number | null;
  runs?: { total?: number; active?: number; waiting?: number; completed?: number; exited?: number; stopped?: number };
  nodes?: NodeStats[];
  edges?: EdgeStats[];
  at?: string;
}

export interface RunStep {
  at?: string;
  nodeId?: string;
  kind?: string;
  detail?: string | null;
  edge?: string | null;
}

export interface FlowRun {
  runId?: string;
  flowId?: string;
  version?: number;
  contactId?: string;
  nodeId?: string;
  state?: "ACTIVE" | "WAITING" | "COMPLETED" | "EXITED" | "STOPPED";
  reason?: string | null;
  dueAt?: string | null;
  data?: Record<string, unknown> | null;
  dedupKey?: string | null;
  enteredAt?: string;
  updatedAt?: string;
  steps?: RunStep[];
}

/** What a card shows under its settings on the live canvas. */
export interface NodeCounts {
  entered: number;
  /** live runs at the node now (waiting there, or being moved on) */
  waiting: number;
  passed: number;
  /** send and webhook nodes only */
  sent?: number;
  failed?: number;
  skipped?: number;
  unknown?: number;
}

const SENDS = new Set(["send", "webhook"]);

/** The stats per node id (nodes the stats lack count zero: nothing reached them yet). */
export function nodeCounts(stats: FlowStats | undefined, nodes: { id: string; type: string }[]): Record<string, NodeCounts> {
  const byId = new Map((stats?.nodes ?? []).filter((n) => n.nodeId).map((n) => [n.nodeId!, n]));
  const out: Record<string, NodeCounts> = {};
  for (const node of nodes) {
    const s = byId.get(node.id) ?? {};
    const counts: NodeCounts = { entered: s.entered ?? 0, waiting: s.inNode ?? 0, passed: s.passed ?? 0 };
    if (SENDS.has(node.type)) {
      counts.sent = s.sent ?? 0;
      counts.failed = s.failed ?? 0;
      if (node.type === "send") {
        counts.skipped = s.skipped ?? 0;
        counts.unknown = s.unknown ?? 0;
      }
    }
    out[node.id] = counts;
  }
  return out;
}

/** How many runs left by each edge, keyed `source:field` (the canvas's edge ids). */
export function edgeCounts(stats: FlowStats | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of stats?.edges ?? []) if (e.from && e.field) out[`${e.from}:${e.field}`] = (out[`${e.from}:${e.field}`] ?? 0) + (e.count ?? 0);
  return out;
}

/** A card's counts in words, one short line each: “3 entered · 1 waiting now”, “2 sent · 1 failed”. */
export function countLines(c: NodeCounts | undefined): string[] {
  if (!c) return [];
  const lines = [`${c.entered} entered · ${c.waiting} waiting now`];
  if (c.sent !== undefined) {
    const parts = [`${c.sent} sent`, `${c.failed ?? 0} failed`];
    if (c.skipped) parts.push(`${c.skipped} skipped`);
    if (c.unknown) parts.push(`${c.unknown} unknown`);
    lines.push(parts.join(" · "));
  }
  return lines;
}

/** The nodes a run went through (in order, each once) and the edges it left them by (`source:field`). */
export function runPath(run: FlowRun | undefined): { nodes: string[]; edges: string[]; current?: string } {
  if (!run) return { nodes: [], edges: [] };
  const nodes: string[] = [];
  const edges: string[] = [];
  for (const s of run.steps ?? []) {
    if (s.nodeId && !nodes.includes(s.nodeId)) nodes.push(s.nodeId);
    if (s.nodeId && s.edge && !edges.includes(`${s.nodeId}:${s.edge}`)) edges.push(`${s.nodeId}:${s.edge}`);
  }
  const live = run.state === "ACTIVE" || run.state === "WAITING";
  if (live && run.nodeId && !nodes.includes(run.nodeId)) nodes.push(run.nodeId);
  return { nodes, edges, current: live ? run.nodeId : undefined };
}

const STEP_LABEL: Record<string, string> = {
  entered: "Entered",
  waiting: "Waiting",
  waited: "Waited",
  "waiting-for-event": "Waiting for the event",
  "event-received": "Event received",
  "timed-out": "Timed out",
  branch: "Branch decided",
  split: "Split",
  "contact-updated": "Contact updated",
  sending: "Sending",
  sent: "Sent",
  "send-retry": "Send to be retried",
  "send-failed": "Send failed",
  "send-skipped": "Send skipped",
  "send-unknown": "Send outcome unknown",
  "webhook-sending": "Calling the webhook",
  webhook: "Webhook called",
  "webhook-retry": "Webhook to be retried",
  "webhook-failed": "Webhook failed",
  moved: "Moved to another version",
  exited: "Exited",
  stopped: "Stopped",
};

/** A decision-log kind in words (an unknown kind as written). */
export function stepLabel(kind: string | undefined): string {
  return (kind && STEP_LABEL[kind]) ?? kind ?? "?";
}

export const RUN_STATE_LABEL: Record<NonNullable<FlowRun["state"]>, string> = {
  ACTIVE: "Moving on",
  WAITING: "Waiting",
  COMPLETED: "Completed",
  EXITED: "Exited",
  STOPPED: "Stopped",
};

/** True when `text` reads as a contact id (a UUID) rather than an e-mail address. */
export function isContactId(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text.trim());
}
