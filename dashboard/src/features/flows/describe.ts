import { describeRule } from "@/features/segments/describe";
import type { ApiFilter } from "@/features/segments/rules";
import type { FlowNode, FlowNodeType, FlowTrigger } from "./definition";

export const NODE_LABEL: Record<FlowNodeType, string> = {
  entry: "Start",
  send: "Send",
  wait: "Wait",
  wait_for_event: "Wait for event",
  branch: "Branch",
  split: "Split",
  update_contact: "Update contact",
  webhook: "Webhook",
  exit: "Exit",
};

const CHANNEL: Record<string, string> = { EMAIL: "Email", SMS: "SMS", WEBHOOK: "Webhook" };

const UNITS: [string, string, string][] = [
  ["Y", "year", "years"],
  ["M", "month", "months"],
  ["W", "week", "weeks"],
  ["D", "day", "days"],
];
const TIME_UNITS: [string, string, string][] = [
  ["H", "h", "h"],
  ["M", "min", "min"],
  ["S", "s", "s"],
];

/** `PT1H30M` → “1 h 30 min”, `P2D` → “2 days”, `-P1D` → “-1 day”; anything else as written. */
export function formatDuration(iso: string | undefined): string {
  if (!iso) return "?";
  const m = /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(iso.trim());
  if (!m || m.slice(2).every((v) => v === undefined)) return iso;
  const parts: string[] = [];
  UNITS.forEach(([, one, many], i) => {
    const v = m[2 + i];
    if (v !== undefined && Number(v) !== 0) parts.push(`${Number(v)} ${Number(v) === 1 ? one : many}`);
  });
  TIME_UNITS.forEach(([, one, many], i) => {
    const v = m[6 + i];
    if (v !== undefined && Number(v) !== 0) parts.push(`${Number(v)} ${Number(v) === 1 ? one : many}`);
  });
  const text = parts.length ? parts.join(" ") : "0 s";
  return m[1] === "-" ? `-${text}` : text;
}

function quote(text: string | undefined, max = 60): string {
  if (!text) return "“”";
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return `“${short}”`;
}

function filters(where: ApiFilter[] | undefined): string {
  if (!where?.length) return "";
  // a property filter reads like an attribute condition of a segment rule
  return where.map((f) => describeRule({ type: "attribute", attribute: f.property, operator: f.operator, value: f.value })).join(" and ");
}

/** One line on what starts the flow: `Event “Cart Abandoned”`, `Enters segment …`, `API call`. */
export function describeTrigger(trigger: FlowTrigger | undefined, segmentName?: (id: string) => string | undefined): string {
  if (!trigger) return "No trigger";
  switch (trigger.type) {
    case "event": {
      const where = filters(trigger.where);
      return `Event ${quote(trigger.event)}${where ? ` where ${where}` : ""}`;
    }
    case "segment":
      return `Enters segment ${segmentName?.(trigger.segmentId ?? "") ?? trigger.segmentId ?? "?"}`;
    case "api":
      return "Started through the API";
    default:
      return `Unknown trigger “${(trigger as { type?: string }).type}”`;
  }
}

/** What the trigger's kind leaves to say: the event (and its filters) or the segment; nothing for API triggers. */
export function triggerDetail(trigger: FlowTrigger | undefined, segmentName?: (id: string) => string | undefined): string {
  if (trigger?.type === "event") {
    const where = filters(trigger.where);
    return `${quote(trigger.event)}${where ? ` where ${where}` : ""}`;
  }
  if (trigger?.type === "segment") return `entering ${segmentName?.(trigger.segmentId ?? "") ?? trigger.segmentId ?? "?"}`;
  return "";
}

export const TRIGGER_KIND: Record<string, string> = { event: "Event", segment: "Segment", api: "API" };

function describeSet(set: Record<string, unknown>): string {
  return Object.entries(set)
    .map(([k, v]) => `${k} = ${typeof v === "string" ? `“${v}”` : JSON.stringify(v)}`)
    .join(", ");
}

/** The key settings of a node, one short line each, for its card on the canvas. */
export function describeNode(node: FlowNode, trigger?: FlowTrigger, segmentName?: (id: string) => string | undefined): string[] {
  switch (node.type) {
    case "entry":
      return [describeTrigger(trigger, segmentName)];
    case "send": {
      const lines = [`${CHANNEL[node.channel ?? ""] ?? node.channel ?? "?"}${node.transactional ? " · transactional" : ""}`];
      const c = node.content ?? {};
      if (node.channel === "EMAIL") lines.push(`Subject: ${quote(c.subject)}`);
      else if (node.channel === "SMS") lines.push(quote(c.body));
      else if (node.channel === "WEBHOOK") lines.push(c.url ?? "?");
      return lines;
    }
    case "wait": {
      if (node.duration) return [`For ${formatDuration(node.duration)}`];
      if (node.timeOfDay) {
        const days = node.weekdays?.length ? ` on ${node.weekdays.map((d) => d.slice(0, 1) + d.slice(1, 3).toLowerCase()).join(", ")}` : "";
        return [`Until ${node.timeOfDay}${days}`, "contact's time zone"];
      }
      if (node.dateAttribute) {
        const offset = node.offset ? formatDuration(node.offset) : "";
        const rel = !offset ? "" : offset.startsWith("-") ? `${offset.slice(1)} before ` : `${offset} after `;
        return [`Until ${rel}the date in ${quote(node.dateAttribute)}`];
      }
      return ["?"];
    }
    case "wait_for_event": {
      const where = filters(node.where);
      const lines = [`Event ${quote(node.event)}${where ? ` where ${where}` : ""}`];
      if (node.matchKey) lines.push(`same ${node.matchKey} as the trigger`);
      lines.push(`Timeout after ${formatDuration(node.timeout)}`);
      return lines;
    }
    case "branch":
      return [node.rule ? describeRule(node.rule) || "?" : "?"];
    case "split":
      return [(node.paths ?? []).map((p) => `${p.name ?? "?"} ${p.percent ?? "?"} %`).join(" · ") || "?"];
    case "update_contact": {
      const lines: string[] = [];
      if (node.set && Object.keys(node.set).length) lines.push(`Set ${describeSet(node.set)}`);
      if (node.remove?.length) lines.push(`Remove ${node.remove.join(", ")}`);
      for (const c of node.consent ?? []) lines.push(`${CHANNEL[c.channel ?? ""] ?? c.channel} consent: ${(c.status ?? "?").toLowerCase()}`);
      return lines.length ? lines : ["Nothing to change"];
    }
    case "webhook":
      return [`POST ${node.url ?? "?"}`];
    case "exit":
      return ["The run ends"];
    default:
      return [];
  }
}

/** The card colours of each node type, on the read-only canvas and in the editor. */
export const NODE_STYLE: Record<FlowNodeType, string> = {
  entry: "border-emerald-300 bg-emerald-50",
  send: "border-blue-300 bg-blue-50",
  wait: "border-amber-300 bg-amber-50",
  wait_for_event: "border-amber-300 bg-amber-50",
  branch: "border-violet-300 bg-violet-50",
  split: "border-violet-300 bg-violet-50",
  update_contact: "border-slate-300 bg-slate-50",
  webhook: "border-sky-300 bg-sky-50",
  exit: "border-slate-300 bg-slate-100",
};
