import type { ApiFilter, ApiRule } from "@/features/segments/rules";

/**
 * A flow definition as Herald reads and writes it (README "Flows (definition)"). Written by hand
 * rather than taken from the generated schema: the JSON editor holds whatever a person types, so
 * every field is optional here and the API is what checks it.
 */
export type FlowChannel = "EMAIL" | "SMS" | "WEBHOOK";

export type FlowTrigger =
  | { type: "event"; event?: string; where?: ApiFilter[]; dedupKey?: string }
  | { type: "segment"; segmentId?: string }
  | { type: "api" };

export interface FlowEntryPolicy {
  concurrency?: "PER_CONTACT" | "PER_DEDUP_KEY";
  reEntry?: "NEVER" | "AFTER_DAYS";
  reEntryAfterDays?: number;
  exitOn?: { event?: string; where?: ApiFilter[] }[];
}

export interface SplitPath {
  name?: string;
  percent?: number;
  next?: string;
}

export type FlowNode =
  | { type: "entry"; id: string; next?: string }
  | {
      type: "send";
      id: string;
      channel?: FlowChannel;
      content?: { subject?: string; body?: string; html?: string; url?: string; payload?: string };
      transactional?: boolean;
      next?: string;
    }
  | {
      type: "wait";
      id: string;
      duration?: string;
      timeOfDay?: string;
      weekdays?: string[];
      dateAttribute?: string;
      offset?: string;
      next?: string;
    }
  | {
      type: "wait_for_event";
      id: string;
      event?: string;
      where?: ApiFilter[];
      matchKey?: string;
      timeout?: string;
      next?: string;
      timeoutNext?: string;
    }
  | { type: "branch"; id: string; rule?: ApiRule; trueNext?: string; falseNext?: string }
  | { type: "split"; id: string; paths?: SplitPath[] }
  | {
      type: "update_contact";
      id: string;
      set?: Record<string, unknown>;
      remove?: string[];
      consent?: { channel?: FlowChannel; status?: string }[];
      next?: string;
    }
  | { type: "webhook"; id: string; url?: string; body?: string; next?: string }
  | { type: "exit"; id: string };

export type FlowNodeType = FlowNode["type"];

export interface FlowDefinition {
  trigger?: FlowTrigger;
  entry?: FlowEntryPolicy;
  timeZone?: string;
  nodes?: FlowNode[];
  /** where the editor drew each node (top-left corners, by node id); optional, never read by the runtime */
  layout?: Record<string, { x: number; y: number }>;
}

export const NODE_TYPES: FlowNodeType[] = ["entry", "send", "wait", "wait_for_event", "branch", "split", "update_contact", "webhook", "exit"];

/** What a new flow starts from in the JSON editor: a trigger, a wait, a send, and the end. */
export const STARTER_DEFINITION: FlowDefinition = {
  trigger: { type: "event", event: "Signed Up" },
  entry: { concurrency: "PER_CONTACT", reEntry: "NEVER" },
  timeZone: "UTC",
  nodes: [
    { type: "entry", id: "start", next: "wait-1d" },
    { type: "wait", id: "wait-1d", duration: "P1D", next: "welcome" },
    {
      type: "send",
      id: "welcome",
      channel: "EMAIL",
      content: { subject: "Welcome aboard", body: "Hi {{ first_name }}, glad you are here." },
      next: "done",
    },
    { type: "exit", id: "done" },
  ],
};

export type ParseResult = { ok: true; definition: FlowDefinition } | { ok: false; error: string; line?: number; column?: number };

/**
 * Reads the editor's text: JSON whose top level is an object with a `nodes` array of objects that
 * each have a string `type` and `id`. Anything finer is left to the API.
 */
export function parseDefinition(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = /position (\d+)/.exec(message);
    if (position) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset).split("\n");
      return { ok: false, error: `Not valid JSON: ${message}`, line: before.length, column: before[before.length - 1].length + 1 };
    }
    return { ok: false, error: `Not valid JSON: ${message}` };
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return { ok: false, error: "The definition must be a JSON object." };
  const nodes = (value as { nodes?: unknown }).nodes;
  if (nodes !== undefined && !Array.isArray(nodes)) return { ok: false, error: "“nodes” must be an array." };
  for (const [i, n] of (nodes ?? []).entries()) {
    if (!n || typeof n !== "object" || Array.isArray(n)) return { ok: false, error: `nodes[${i}] must be an object.` };
    const node = n as { type?: unknown; id?: unknown };
    if (typeof node.type !== "string") return { ok: false, error: `nodes[${i}] needs a “type”.` };
    if (typeof node.id !== "string") return { ok: false, error: `nodes[${i}] needs an “id”.` };
  }
  return { ok: true, definition: value as FlowDefinition };
}

export function formatDefinition(definition: unknown): string {
  return JSON.stringify(definition ?? {}, null, 2);
}
