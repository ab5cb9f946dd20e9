import type { DeliveryStatus } from "./api";

export const RUN_STATE_LABEL: Record<string, string> = {
  NOT_STARTED: "Not started",
  FREEZING: "Preparing the audience",
  SENDING: "Sending",
  PAUSED: "Paused",
  CANCELLING: "Cancelling",
  FAILING: "Stopping: the campaign failed",
  DONE: "Done",
};

export const RUN_STATE_TONE: Record<string, "slate" | "violet" | "blue" | "amber" | "red" | "green"> = {
  NOT_STARTED: "slate",
  FREEZING: "violet",
  SENDING: "blue",
  PAUSED: "amber",
  CANCELLING: "red",
  FAILING: "red",
  DONE: "green",
};

export const DELIVERY_STATUS_LABEL: Record<DeliveryStatus, string> = {
  PENDING: "Pending",
  SENDING: "Sending",
  SENT: "Sent",
  FAILED: "Failed",
  SKIPPED: "Skipped",
  UNKNOWN: "Unknown",
};

export const DELIVERY_STATUS_TONE = {
  PENDING: "slate",
  SENDING: "blue",
  SENT: "green",
  FAILED: "red",
  SKIPPED: "amber",
  UNKNOWN: "violet",
} as const satisfies Record<DeliveryStatus, string>;

export const OUTCOME_LABEL: Record<string, string> = {
  RETRY_SCHEDULED: "Retry scheduled",
  FAILED: "Failed",
  UNKNOWN: "Unknown",
};

export const OUTCOME_TONE: Record<string, "amber" | "red" | "violet"> = {
  RETRY_SCHEDULED: "amber",
  FAILED: "red",
  UNKNOWN: "violet",
};

/** 0–100, whole numbers, never 100 before the end (99.7 shows 99). */
export function wholePercent(percent: number | undefined | null): number {
  if (percent == null || Number.isNaN(percent)) return 0;
  return Math.max(0, Math.min(100, Math.floor(percent)));
}

/** "12 s", "4 min 05 s", "2 h 10 min" */
export function formatDuration(seconds: number | null | undefined): string | null {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return `${h} h ${String(m).padStart(2, "0")} min`;
}

export function formatRate(rate: number | null | undefined): string {
  if (rate == null || !Number.isFinite(rate) || rate <= 0) return "—";
  return `${rate >= 10 ? Math.round(rate).toLocaleString() : rate.toFixed(1)} per second`;
}

/** Turns a `<input type="datetime-local">` value (the browser's time zone) into an ISO instant. */
export function localToInstant(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
