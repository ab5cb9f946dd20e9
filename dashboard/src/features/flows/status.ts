import type { FlowAction, FlowStatus } from "./api";

export const FLOW_STATUS_LABEL: Record<FlowStatus, string> = {
  DRAFT: "Draft",
  ACTIVE: "Active",
  PAUSED: "Paused",
  ARCHIVED: "Archived",
  STOPPED: "Stopped",
};

export const FLOW_STATUS_TONE = {
  DRAFT: "slate",
  ACTIVE: "green",
  PAUSED: "amber",
  ARCHIVED: "neutral",
  STOPPED: "red",
} as const satisfies Record<FlowStatus, string>;

export type FlowUiAction = FlowAction | "edit";

/**
 * What the status allows (Herald's Flow aggregate; it refuses anything else with 409): the draft
 * can be edited and published until the flow is archived or stopped; a never-activated flow can be
 * activated once it has a published version; DRAFT → ACTIVE ⇄ PAUSED → ARCHIVED, ACTIVE/PAUSED → STOPPED.
 */
export function allowedFlowActions(status: FlowStatus | undefined, latestVersion = 0): FlowUiAction[] {
  switch (status) {
    case "DRAFT":
      return ["edit", "publish", ...(latestVersion > 0 ? (["activate"] as const) : []), "archive"];
    case "ACTIVE":
      return ["edit", "publish", "pause", "stop"];
    case "PAUSED":
      return ["edit", "publish", "resume", "archive", "stop"];
    default:
      return [];
  }
}
