import type { HistoryEntry } from "@/api/client";
import { formatInZone } from "@/lib/timezones";
import { CHANNEL_LABEL, failureReasonLabel, STATUS_LABEL } from "./status";

type Json = Record<string, unknown>;

const TITLES: Record<string, string> = {
  CampaignCreated: "Created",
  CampaignUpdated: "Edited",
  CampaignScheduled: "Scheduled",
  CampaignLaunched: "Launched",
  CampaignPaused: "Paused",
  CampaignResumed: "Resumed",
  CampaignCancelled: "Cancelled",
  CampaignCompleted: "Completed",
  CampaignFailed: "Failed",
  CampaignAudienceFrozen: "Audience frozen",
  CampaignDuplicated: "Duplicated",
};

/** "CampaignCreated" (or a fully qualified "…CampaignCreatedEvent") → "Created". */
export function eventTitle(type: string | undefined): string {
  if (!type) return "Event";
  const short = type.slice(type.lastIndexOf(".") + 1).replace(/Event$/, "");
  return TITLES[short] ?? short.replace(/([a-z])([A-Z])/g, "$1 $2");
}

function eventKind(type: string | undefined) {
  return (type ?? "").slice((type ?? "").lastIndexOf(".") + 1).replace(/Event$/, "");
}

function flatten(value: unknown, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Json)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}

/** The fields of a definition that differ (e.g. ["name", "content.subject"]). */
export function changedFields(before: unknown, after: unknown): string[] {
  const a = flatten(before);
  const b = flatten(after);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)).sort();
}

const FIELD_LABELS: Record<string, string> = {
  name: "name",
  channel: "channel",
  segmentId: "segment",
  throttlePerSecond: "throttle",
  template: "template mark",
  transactional: "transactional mark",
  "content.subject": "subject",
  "content.body": "body",
  "content.html": "HTML body",
  "content.url": "URL",
  "content.payload": "payload",
};

/** One human sentence per event; `previous` is the definition before this event (for edits). */
export function eventSummary(entry: HistoryEntry, previousDefinition?: unknown): string {
  const p = (entry.payload ?? {}) as Json;
  switch (eventKind(entry.type)) {
    case "CampaignCreated": {
      const d = (p.definition ?? {}) as Json;
      const channel = CHANNEL_LABEL[d.channel as keyof typeof CHANNEL_LABEL] ?? d.channel;
      const made = `Created the ${channel ?? ""} campaign “${d.name ?? ""}” as a ${d.template === true ? "template" : "draft"}`.replace("  ", " ");
      return typeof p.copiedFrom === "string" ? `${made}, copied from campaign ${p.copiedFrom}.` : `${made}.`;
    }
    case "CampaignDuplicated":
      return `Copied into the new draft “${typeof p.copyName === "string" ? p.copyName : ""}”${typeof p.copyId === "string" ? ` (${p.copyId})` : ""}.`;
    case "CampaignUpdated": {
      const changed = changedFields(previousDefinition, p.definition).map((f) => FIELD_LABELS[f] ?? f);
      return changed.length ? `Changed the ${joinAnd(changed)}.` : "Saved the definition.";
    }
    case "CampaignScheduled": {
      const zone = typeof p.timeZone === "string" ? p.timeZone : "UTC";
      const when = typeof p.sendAt === "string" ? `${formatInZone(p.sendAt, zone)} (${zone})` : "a later time";
      const before = typeof p.previousSendAt === "string" ? `, instead of ${formatInZone(p.previousSendAt, zone)}` : "";
      return `Scheduled to send ${when}${before}.`;
    }
    case "CampaignLaunched":
      return p.trigger === "SCHEDULE" ? "Launched at its scheduled time." : "Launched by hand.";
    case "CampaignPaused":
      return "Paused sending.";
    case "CampaignResumed":
      return "Resumed sending.";
    case "CampaignCancelled": {
      const was = STATUS_LABEL[p.previousStatus as keyof typeof STATUS_LABEL];
      const reason = typeof p.reason === "string" && p.reason.trim() ? ` Reason: “${p.reason.trim()}”` : "";
      return `Cancelled${was ? ` while ${was.toLowerCase()}` : ""}.${reason}`;
    }
    case "CampaignFailed": {
      const was = STATUS_LABEL[p.previousStatus as keyof typeof STATUS_LABEL];
      const reason = failureReasonLabel(typeof p.reason === "string" ? p.reason : undefined);
      const detail = typeof p.detail === "string" && p.detail.trim() ? ` ${p.detail.trim()}` : "";
      return `Failed${was ? ` while ${was.toLowerCase()}` : ""}: ${reason ? reason.charAt(0).toLowerCase() + reason.slice(1) : "its run could not go on"}.${detail}`;
    }
    case "CampaignAudienceFrozen": {
      const n = Number(p.audience ?? 0);
      const skipped = Number(p.skipped ?? 0);
      return `Froze the audience: ${n.toLocaleString()} recipient${n === 1 ? "" : "s"}${skipped ? `, ${skipped.toLocaleString()} skipped` : ""}.`;
    }
    case "CampaignCompleted": {
      const t = (p.totals ?? null) as Json | null;
      if (!t) return "Finished sending.";
      const parts = (["sent", "failed", "skipped", "unknown"] as const)
        .filter((k) => Number(t[k] ?? 0) > 0 || k === "sent")
        .map((k) => `${Number(t[k] ?? 0).toLocaleString()} ${k}`);
      return `Finished sending: ${parts.join(", ")}.`;
    }
    default:
      return eventTitle(entry.type);
  }
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The definition in force before each entry (for describing edits). */
export function previousDefinitions(entries: HistoryEntry[]): unknown[] {
  let current: unknown = undefined;
  return entries.map((e) => {
    const before = current;
    const kind = eventKind(e.type);
    if (kind === "CampaignCreated" || kind === "CampaignUpdated") current = (e.payload as Json | undefined)?.definition;
    return before;
  });
}
