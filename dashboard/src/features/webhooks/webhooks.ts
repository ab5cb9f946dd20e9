/**
 * The pure parts of Settings → Webhooks: the event picker's groups, the form's checks and request, and how a
 * delivery's status reads. No React, no fetching: tested on their own (webhooks.test.ts).
 */

/** One type of the catalogue (GET /api/webhooks/event-types). */
export interface EventTypeInfo {
  type?: string;
  version?: number;
  description?: string;
}

export interface EventGroup {
  group: string;
  label: string;
  types: EventTypeInfo[];
}

const GROUP_LABELS: Record<string, string> = {
  contact: "Contacts",
  import: "Imports",
  campaign: "Campaigns",
  delivery: "Deliveries",
  flow: "Flows",
  webhook: "Webhooks",
};

/** The test event is sent on request, not subscribed to. */
export const TEST_EVENT = "webhook.test";

/** The catalogue grouped by the part before the dot, in a fixed order, without the test event. */
export function groupEventTypes(types: EventTypeInfo[]): EventGroup[] {
  const order = Object.keys(GROUP_LABELS);
  const groups = new Map<string, EventTypeInfo[]>();
  for (const t of types) {
    if (!t.type || t.type === TEST_EVENT) continue;
    const group = t.type.split(".")[0];
    groups.set(group, [...(groups.get(group) ?? []), t]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib) || a.localeCompare(b);
    })
    .map(([group, list]) => ({ group, label: GROUP_LABELS[group] ?? group, types: list }));
}

export interface WebhookForm {
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  /** A percentage as typed ("20"), empty for none. */
  failureRatePercent: string;
}

export const EMPTY_FORM: WebhookForm = { url: "", description: "", eventTypes: [], enabled: true, failureRatePercent: "" };

/** The form's own checks (the server checks again, and refuses internal addresses). */
export function validate(form: WebhookForm): Partial<Record<"url" | "eventTypes" | "failureRatePercent", string>> {
  const errors: Partial<Record<"url" | "eventTypes" | "failureRatePercent", string>> = {};
  const url = form.url.trim();
  if (!url) {
    errors.url = "Where should Herald send the events?";
  } else {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") errors.url = "An http or https URL.";
      else if (parsed.username || parsed.password) errors.url = "No user name or password in the URL.";
    } catch {
      errors.url = "Not a URL (e.g. https://hooks.example.com/herald).";
    }
  }
  if (form.eventTypes.length === 0) errors.eventTypes = "Choose at least one event.";
  if (form.failureRatePercent.trim()) {
    const n = Number(form.failureRatePercent);
    if (!Number.isFinite(n) || n <= 0 || n > 100) errors.failureRatePercent = "A percentage above 0, at most 100.";
  }
  return errors;
}

/** The body of POST/PUT /api/webhooks. */
export function toRequest(form: WebhookForm) {
  const rate = form.failureRatePercent.trim();
  return {
    url: form.url.trim(),
    eventTypes: [...form.eventTypes],
    description: form.description.trim() || undefined,
    enabled: form.enabled,
    campaignFailureRate: rate ? Number(rate) / 100 : undefined,
  };
}

/** Toggles a type in a selection, keeping the catalogue's order. */
export function toggle(selected: string[], type: string, on: boolean, catalogue: string[]): string[] {
  const set = new Set(selected);
  if (on) set.add(type);
  else set.delete(type);
  return catalogue.filter((t) => set.has(t));
}

export type Tone = "green" | "amber" | "red" | "blue" | "slate";

/** A delivery's status as a badge: label and colour. */
export function deliveryBadge(status: string | undefined): { label: string; tone: Tone } {
  switch (status) {
    case "SUCCEEDED":
      return { label: "Delivered", tone: "green" };
    case "PENDING":
      return { label: "Waiting", tone: "amber" };
    case "SENDING":
      return { label: "Sending", tone: "blue" };
    case "FAILED":
      return { label: "Failed", tone: "red" };
    default:
      return { label: status ?? "—", tone: "slate" };
  }
}

/** A subscription's state as a badge. */
export function subscriptionBadge(s: { enabled?: boolean; disabledReason?: string | null }): { label: string; tone: Tone } {
  if (s.enabled) return { label: "Enabled", tone: "green" };
  if (s.disabledReason) return { label: "Disabled by Herald", tone: "red" };
  return { label: "Disabled", tone: "slate" };
}

/** The last attempt of a delivery, summed up: "HTTP 500 · 120 ms", "no answer within 10000 ms", or "". */
export function lastAttemptSummary(attempts: { responseCode?: number | null; durationMillis?: number; error?: string | null }[] | undefined): string {
  const last = attempts && attempts.length > 0 ? attempts[attempts.length - 1] : undefined;
  if (!last) return "";
  if (last.responseCode != null) return `HTTP ${last.responseCode} · ${last.durationMillis ?? 0} ms`;
  return last.error ?? "";
}
