import type { CampaignStatus, Channel } from "@/api/client";

export const STATUS_LABEL: Record<CampaignStatus, string> = {
  DRAFT: "Draft",
  SCHEDULED: "Scheduled",
  RUNNING: "Running",
  PAUSED: "Paused",
  COMPLETED: "Completed",
  CANCELLED: "Cancelled",
  FAILED: "Failed",
};

export const STATUS_TONE = {
  DRAFT: "slate",
  SCHEDULED: "violet",
  RUNNING: "blue",
  PAUSED: "amber",
  COMPLETED: "green",
  CANCELLED: "red",
  FAILED: "red",
} as const satisfies Record<CampaignStatus, string>;

export const CHANNEL_LABEL: Record<Channel, string> = { EMAIL: "Email", SMS: "SMS", WEBHOOK: "Webhook" };

/** What a FAILED campaign's reason code means (the API's codes; anything else is shown as sent). */
export const FAILURE_REASON_LABEL: Record<string, string> = {
  "channel-not-configured": "The channel is not configured",
  "segment-deleted": "The segment was deleted",
};

/** "The channel is not configured" for "channel-not-configured"; unknown codes as they are; "" for none. */
export function failureReasonLabel(reason: string | null | undefined): string {
  if (!reason) return "";
  return FAILURE_REASON_LABEL[reason] ?? reason;
}

export type CampaignAction = "edit" | "schedule" | "launch" | "pause" | "resume" | "cancel";

/** What the campaign's status allows (the API's state machine; the API refuses anything else with 409). */
export function allowedActions(status: CampaignStatus | undefined): CampaignAction[] {
  switch (status) {
    case "DRAFT":
      return ["edit", "schedule", "launch", "cancel"];
    case "SCHEDULED":
      return ["edit", "schedule", "launch", "cancel"];
    case "RUNNING":
      return ["pause", "cancel"];
    case "PAUSED":
      return ["resume", "cancel"];
    default:
      return [];
  }
}
