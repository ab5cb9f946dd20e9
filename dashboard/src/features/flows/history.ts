import type { HistoryEntry } from "@/api/client";
import { FLOW_STATUS_LABEL } from "./status";
import type { FlowStatus } from "./api";

type Json = Record<string, unknown>;

const TITLES: Record<string, string> = {
  FlowCreated: "Created",
  FlowDraftUpdated: "Draft edited",
  FlowPublished: "Published",
  FlowActivated: "Activated",
  FlowPaused: "Paused",
  FlowResumed: "Resumed",
  FlowArchived: "Archived",
  FlowStopped: "Stopped",
  FlowRunsMoved: "Runs moved",
};

function kind(type: string | undefined) {
  return (type ?? "").slice((type ?? "").lastIndexOf(".") + 1).replace(/Event$/, "");
}

export function flowEventTitle(type: string | undefined): string {
  const k = kind(type);
  return TITLES[k] ?? (k.replace(/([a-z])([A-Z])/g, "$1 $2") || "Event");
}

function nodeCount(definition: unknown): number {
  const nodes = (definition as Json | undefined)?.nodes;
  return Array.isArray(nodes) ? nodes.length : 0;
}

/** One sentence per event of a flow's history. */
export function flowEventSummary(entry: HistoryEntry): string {
  const p = (entry.payload ?? {}) as Json;
  const was = FLOW_STATUS_LABEL[p.previousStatus as FlowStatus];
  switch (kind(entry.type)) {
    case "FlowCreated":
      return `Created the flow “${p.name ?? ""}” with ${nodeCount(p.draft)} nodes.`;
    case "FlowDraftUpdated":
      return `Saved the draft “${p.name ?? ""}” (${nodeCount(p.draft)} nodes).`;
    case "FlowPublished":
      return `Published the draft as version ${p.version}.`;
    case "FlowActivated":
      return `Activated version ${p.version}.`;
    case "FlowPaused":
      return "Paused the flow.";
    case "FlowResumed":
      return "Resumed the flow.";
    case "FlowArchived":
      return `Archived the flow${was ? ` (it was ${was.toLowerCase()})` : ""}.`;
    case "FlowStopped":
      return `Stopped the flow${was ? ` (it was ${was.toLowerCase()})` : ""}.`;
    case "FlowRunsMoved":
      return `Moved ${p.moved} runs from version ${p.fromVersion} to version ${p.toVersion}${
        Number(p.stayed) > 0 ? ` (${p.stayed} stayed on version ${p.fromVersion})` : ""
      }.`;
    default:
      return flowEventTitle(entry.type);
  }
}
