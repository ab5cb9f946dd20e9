/**
 * The campaign wizard's form state, its validation (the same rules the API applies, so most
 * mistakes are caught before a request), and the conversion to the API's request bodies.
 */
import type { CampaignContent, CampaignView, Channel } from "@/api/client";
import { browserTimeZone, instantToZonedLocal, isValidTimeZone, zonedLocalToInstant } from "@/lib/timezones";

export interface CampaignDraft {
  name: string;
  channel: Channel | "";
  subject: string;
  body: string;
  html: string;
  url: string;
  payload: string;
  segmentId: string;
  throttlePerSecond: string;
  /** kept to be copied (by Duplicate and the daily n8n workflow) rather than sent */
  template: boolean;
  /**
   * not edited here, but sent back as it is: an update without it unmarks the campaign (as it does a template),
   * so the editor carries the campaign's current value
   */
  transactional: boolean;
  /**
   * e-mail open and click tracking (absent in the API: on). Not edited here either, but sent back as they are:
   * an update without them would turn tracking back on for a campaign that had it off
   */
  trackOpens: boolean;
  trackClicks: boolean;
  /** "none": stays a draft (or keeps its schedule when editing); "at": schedule for sendAt in timeZone */
  schedule: "none" | "at";
  sendAt: string;
  timeZone: string;
}

export const STEPS = [
  { id: "basics", label: "Basics" },
  { id: "content", label: "Content" },
  { id: "audience", label: "Audience" },
  { id: "schedule", label: "Schedule" },
  { id: "review", label: "Review" },
] as const;
export type StepId = (typeof STEPS)[number]["id"];

export type DraftErrors = Partial<Record<keyof CampaignDraft, string>>;

export const LIMITS = {
  name: 200,
  subject: 998,
  body: 200_000,
  smsBody: 1600,
  html: 500_000,
  url: 2048,
  payload: 200_000,
  segmentId: 64,
  throttle: 100_000,
} as const;

export function emptyDraft(timeZone = browserTimeZone()): CampaignDraft {
  return {
    name: "",
    channel: "",
    subject: "",
    body: "",
    html: "",
    url: "",
    payload: "",
    segmentId: "",
    throttlePerSecond: "",
    template: false,
    transactional: false,
    trackOpens: true,
    trackClicks: true,
    schedule: "none",
    sendAt: "",
    timeZone,
  };
}

/** The draft of an existing campaign, for editing. */
export function draftOf(c: CampaignView, fallbackZone = browserTimeZone()): CampaignDraft {
  const zone = c.timeZone && isValidTimeZone(c.timeZone) ? c.timeZone : fallbackZone;
  return {
    name: c.name ?? "",
    channel: c.channel ?? "",
    subject: c.content?.subject ?? "",
    body: c.content?.body ?? "",
    html: c.content?.html ?? "",
    url: c.content?.url ?? "",
    payload: c.content?.payload ?? "",
    segmentId: c.segmentId ?? "",
    throttlePerSecond: c.throttlePerSecond != null ? String(c.throttlePerSecond) : "",
    template: c.template === true,
    transactional: c.transactional === true,
    trackOpens: c.content?.trackOpens !== false,
    trackClicks: c.content?.trackClicks !== false,
    schedule: "none",
    sendAt: c.sendAt ? instantToZonedLocal(c.sendAt, zone) : "",
    timeZone: zone,
  };
}

const STEP_OF_FIELD: Record<keyof CampaignDraft, StepId> = {
  name: "basics",
  channel: "basics",
  subject: "content",
  body: "content",
  html: "content",
  url: "content",
  payload: "content",
  segmentId: "audience",
  throttlePerSecond: "audience",
  template: "basics",
  transactional: "basics",
  trackOpens: "content",
  trackClicks: "content",
  schedule: "schedule",
  sendAt: "schedule",
  timeZone: "schedule",
};

export function stepOfField(field: keyof CampaignDraft): StepId {
  return STEP_OF_FIELD[field];
}

/** The wizard field an API error names (`content.subject` → subject). */
export function draftFieldOfApiField(field: string): keyof CampaignDraft | undefined {
  const f = field.replace(/^definition\./, "").replace(/^content\./, "");
  return f in STEP_OF_FIELD ? (f as keyof CampaignDraft) : undefined;
}

const blank = (s: string) => s.trim().length === 0;

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value.trim());
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Every problem of the draft, by field. `now` is injectable for tests. */
export function validateDraft(d: CampaignDraft, now: Date = new Date()): DraftErrors {
  const e: DraftErrors = {};

  if (blank(d.name)) e.name = "Give the campaign a name.";
  else if (d.name.trim().length > LIMITS.name) e.name = `At most ${LIMITS.name} characters.`;
  if (!d.channel) e.channel = "Choose a channel.";

  switch (d.channel) {
    case "EMAIL":
      if (blank(d.subject)) e.subject = "An email needs a subject.";
      else if (d.subject.length > LIMITS.subject) e.subject = `At most ${LIMITS.subject} characters.`;
      if (blank(d.body) && blank(d.html)) e.body = "Write a text body, an HTML body or both.";
      else if (d.body.length > LIMITS.body) e.body = `At most ${LIMITS.body.toLocaleString("en")} characters.`;
      if (d.html.length > LIMITS.html) e.html = `At most ${LIMITS.html.toLocaleString("en")} characters.`;
      break;
    case "SMS":
      if (blank(d.body)) e.body = "An SMS needs a text.";
      else if (d.body.length > LIMITS.smsBody) e.body = `An SMS is at most ${LIMITS.smsBody} characters (now ${d.body.length}).`;
      break;
    case "WEBHOOK":
      if (blank(d.url)) e.url = "A webhook needs the URL to call.";
      else if (d.url.trim().length > LIMITS.url) e.url = `At most ${LIMITS.url} characters.`;
      else if (!isHttpUrl(d.url)) e.url = "Use an absolute http:// or https:// URL.";
      if (d.payload.length > LIMITS.payload) e.payload = `At most ${LIMITS.payload.toLocaleString("en")} characters.`;
      break;
  }

  if (d.segmentId.trim().length > LIMITS.segmentId) e.segmentId = `At most ${LIMITS.segmentId} characters.`;

  if (!blank(d.throttlePerSecond)) {
    const t = d.throttlePerSecond.trim();
    if (!/^\d+$/.test(t) || +t < 1) e.throttlePerSecond = "A whole number of messages per second, at least 1.";
    else if (+t > LIMITS.throttle) e.throttlePerSecond = `At most ${LIMITS.throttle.toLocaleString("en")} per second.`;
  }

  if (d.schedule === "at") {
    if (!isValidTimeZone(d.timeZone)) e.timeZone = "Choose a time zone.";
    if (blank(d.sendAt)) e.sendAt = "Choose the date and time to send.";
    else if (!e.timeZone) {
      const at = zonedLocalToInstant(d.sendAt, d.timeZone);
      if (!at) e.sendAt = "Enter a date and time.";
      else if (at.getTime() <= now.getTime()) e.sendAt = "Choose a time in the future.";
      else {
        const limit = new Date(now);
        limit.setUTCFullYear(limit.getUTCFullYear() + 1);
        if (at.getTime() > limit.getTime()) e.sendAt = "Schedule at most one year ahead.";
      }
    }
  }
  return e;
}

/** The problems of one step only (what "Next" checks). */
export function validateStep(d: CampaignDraft, step: StepId, now: Date = new Date()): DraftErrors {
  if (step === "review") return validateDraft(d, now);
  const all = validateDraft(d, now);
  return Object.fromEntries(Object.entries(all).filter(([field]) => stepOfField(field as keyof CampaignDraft) === step));
}

export function firstInvalidStep(errors: DraftErrors): StepId | undefined {
  const steps = Object.keys(errors).map((f) => stepOfField(f as keyof CampaignDraft));
  return STEPS.map((s) => s.id).find((s) => steps.includes(s));
}

const opt = (s: string) => (blank(s) ? undefined : s);

/** The content the API stores for the draft's channel (fields of other channels are left out). */
export function contentOf(d: CampaignDraft): CampaignContent {
  switch (d.channel) {
    case "EMAIL":
      return { subject: d.subject, body: opt(d.body), html: opt(d.html), trackOpens: d.trackOpens, trackClicks: d.trackClicks };
    case "SMS":
      return { body: d.body };
    case "WEBHOOK":
      return { url: d.url.trim(), payload: opt(d.payload) };
    default:
      return {};
  }
}

/**
 * The body of POST /api/campaigns and PUT /api/campaigns/{id}. `template` and `transactional` are always sent:
 * a PUT without them unmarks the campaign.
 */
export function definitionOf(d: CampaignDraft) {
  return {
    name: d.name.trim(),
    channel: d.channel as Channel,
    content: contentOf(d),
    segmentId: opt(d.segmentId.trim()),
    throttlePerSecond: blank(d.throttlePerSecond) ? undefined : Number(d.throttlePerSecond.trim()),
    template: d.template,
    transactional: d.transactional,
  };
}

/** The body of POST /api/campaigns/{id}/schedule, or undefined when not scheduling. */
export function scheduleOf(d: CampaignDraft): { sendAt: string; timeZone: string } | undefined {
  return d.schedule === "at" ? { sendAt: d.sendAt, timeZone: d.timeZone } : undefined;
}

/** True when the definition differs from the campaign's (so an edit needs a PUT). */
export function definitionChanged(d: CampaignDraft, c: CampaignView): boolean {
  const a = definitionOf(d);
  const cc = c.content ?? {};
  const bc = a.content;
  return (
    a.name !== c.name ||
    a.channel !== c.channel ||
    (a.segmentId ?? null) !== (c.segmentId ?? null) ||
    (a.throttlePerSecond ?? null) !== (c.throttlePerSecond ?? null) ||
    a.template !== (c.template === true) ||
    a.transactional !== (c.transactional === true) ||
    (["subject", "body", "html", "url", "payload"] as const).some((k) => (bc[k] ?? null) !== (cc[k] ?? null)) ||
    (a.channel === "EMAIL" && ((bc.trackOpens !== false) !== (cc.trackOpens !== false) || (bc.trackClicks !== false) !== (cc.trackClicks !== false)))
  );
}
