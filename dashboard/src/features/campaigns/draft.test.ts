import { describe, expect, it } from "vitest";
import type { CampaignView } from "@/api/client";
import {
  definitionChanged,
  definitionOf,
  draftOf,
  emptyDraft,
  firstInvalidStep,
  scheduleOf,
  validateDraft,
  validateStep,
  type CampaignDraft,
} from "./draft";

const NOW = new Date("2026-06-01T12:00:00Z");
const draft = (over: Partial<CampaignDraft>): CampaignDraft => ({ ...emptyDraft("Europe/Paris"), ...over });

describe("campaign draft validation", () => {
  it("needs a name and a channel", () => {
    const e = validateDraft(emptyDraft("UTC"), NOW);
    expect(e.name).toBeTruthy();
    expect(e.channel).toBeTruthy();
    expect(firstInvalidStep(e)).toBe("basics");
  });

  it("limits the name to 200 characters", () => {
    expect(validateStep(draft({ name: "x".repeat(201), channel: "SMS" }), "basics", NOW).name).toMatch(/200/);
    expect(validateStep(draft({ name: "x".repeat(200), channel: "SMS" }), "basics", NOW)).toEqual({});
  });

  it("wants a subject and a text or HTML body for email", () => {
    const base = draft({ name: "n", channel: "EMAIL" });
    expect(validateStep(base, "content", NOW)).toEqual({
      subject: expect.any(String),
      body: expect.any(String),
    });
    expect(validateStep({ ...base, subject: "Hi", html: "<p>x</p>" }, "content", NOW)).toEqual({});
    expect(validateStep({ ...base, subject: "Hi", body: "x" }, "content", NOW)).toEqual({});
    expect(validateStep({ ...base, subject: "   ", body: "x" }, "content", NOW).subject).toBeTruthy();
  });

  it("caps an SMS at 1600 characters", () => {
    const base = draft({ name: "n", channel: "SMS" });
    expect(validateStep(base, "content", NOW).body).toBeTruthy();
    expect(validateStep({ ...base, body: "a".repeat(1600) }, "content", NOW)).toEqual({});
    expect(validateStep({ ...base, body: "a".repeat(1601) }, "content", NOW).body).toMatch(/1600/);
  });

  it("wants an absolute http(s) URL for a webhook", () => {
    const base = draft({ name: "n", channel: "WEBHOOK" });
    expect(validateStep(base, "content", NOW).url).toBeTruthy();
    for (const bad of ["example.com/hook", "ftp://example.com/x", "/relative", "http://"]) {
      expect(validateStep({ ...base, url: bad }, "content", NOW).url, bad).toBeTruthy();
    }
    expect(validateStep({ ...base, url: "https://example.com/hook" }, "content", NOW)).toEqual({});
    expect(validateStep({ ...base, url: "http://127.0.0.1:9000/sink" }, "content", NOW)).toEqual({});
  });

  it("checks only the current channel's content", () => {
    const d = draft({ name: "n", channel: "WEBHOOK", url: "https://x.test/", subject: "", body: "a".repeat(5000) });
    expect(validateDraft(d, NOW)).toEqual({});
    expect(definitionOf(d).content).toEqual({ url: "https://x.test/", payload: undefined });
  });

  it("wants a positive whole throttle up to 100000", () => {
    const base = draft({ name: "n", channel: "SMS", body: "x" });
    for (const bad of ["0", "-1", "1.5", "abc", "100001"]) {
      expect(validateStep({ ...base, throttlePerSecond: bad }, "audience", NOW).throttlePerSecond, bad).toBeTruthy();
    }
    expect(validateStep({ ...base, throttlePerSecond: "" }, "audience", NOW)).toEqual({});
    expect(validateStep({ ...base, throttlePerSecond: "100000" }, "audience", NOW)).toEqual({});
    expect(definitionOf({ ...base, throttlePerSecond: " 25 " }).throttlePerSecond).toBe(25);
  });

  it("limits the segment id to 64 characters and leaves an empty one out", () => {
    const base = draft({ name: "n", channel: "SMS", body: "x" });
    expect(validateStep({ ...base, segmentId: "s".repeat(65) }, "audience", NOW).segmentId).toBeTruthy();
    expect(definitionOf({ ...base, segmentId: "  " }).segmentId).toBeUndefined();
  });

  describe("schedule", () => {
    const base = draft({ name: "n", channel: "SMS", body: "x", schedule: "at" });

    it("needs a date and a valid zone", () => {
      expect(validateStep(base, "schedule", NOW).sendAt).toBeTruthy();
      expect(validateStep({ ...base, sendAt: "2026-07-01T09:00", timeZone: "Mars/Olympus" }, "schedule", NOW).timeZone).toBeTruthy();
    });

    it("reads the time in the chosen zone: 13:30 in Paris is before noon UTC + 1h30", () => {
      // 2026-06-01 13:30 Paris = 11:30 UTC, before NOW (12:00 UTC): in the past
      expect(validateStep({ ...base, sendAt: "2026-06-01T13:30", timeZone: "Europe/Paris" }, "schedule", NOW).sendAt).toMatch(/future/);
      // 13:30 in New York = 17:30 UTC: in the future
      expect(validateStep({ ...base, sendAt: "2026-06-01T13:30", timeZone: "America/New_York" }, "schedule", NOW)).toEqual({});
    });

    it("refuses more than a year ahead", () => {
      expect(validateStep({ ...base, sendAt: "2027-06-02T12:00", timeZone: "UTC" }, "schedule", NOW).sendAt).toMatch(/year/);
      expect(validateStep({ ...base, sendAt: "2027-05-31T12:00", timeZone: "UTC" }, "schedule", NOW)).toEqual({});
    });

    it("sends the local time and the zone, as the API reads them", () => {
      expect(scheduleOf({ ...base, sendAt: "2026-12-24T09:00", timeZone: "Europe/Paris" })).toEqual({
        sendAt: "2026-12-24T09:00",
        timeZone: "Europe/Paris",
      });
      expect(scheduleOf({ ...base, schedule: "none" })).toBeUndefined();
    });

    it("is not checked when not scheduling", () => {
      expect(validateStep({ ...base, schedule: "none", sendAt: "2000-01-01T00:00" }, "schedule", NOW)).toEqual({});
    });
  });
});

describe("campaign template and transactional marks", () => {
  const campaign: CampaignView = { id: "c", name: "n", channel: "SMS", content: { body: "b" }, template: true, transactional: true };

  it("reads both marks from the campaign and always sends them", () => {
    const d = draftOf(campaign, "UTC");
    expect(d.template).toBe(true);
    expect(d.transactional).toBe(true);
    expect(definitionOf(d)).toMatchObject({ template: true, transactional: true });
    expect(definitionOf(draftOf({ ...campaign, template: undefined, transactional: undefined }, "UTC"))).toMatchObject({
      template: false,
      transactional: false,
    });
  });

  it("counts a changed mark as a changed definition, and an untouched one as none", () => {
    const d = draftOf(campaign, "UTC");
    expect(definitionChanged(d, campaign)).toBe(false);
    expect(definitionChanged({ ...d, template: false }, campaign)).toBe(true);
    expect(definitionChanged({ ...d, transactional: false }, campaign)).toBe(true);
    expect(definitionChanged(draftOf({ ...campaign, template: undefined }, "UTC"), { ...campaign, template: undefined })).toBe(false);
  });
});

describe("e-mail tracking switches", () => {
  const campaign: CampaignView = {
    id: "c",
    name: "n",
    channel: "EMAIL",
    content: { subject: "s", body: "b", trackOpens: false, trackClicks: true },
  };

  it("sends back the campaign's switches on an edit, so tracking turned off stays off", () => {
    const d = draftOf(campaign, "UTC");
    expect(definitionOf(d).content).toMatchObject({ trackOpens: false, trackClicks: true });
    expect(definitionChanged(d, campaign)).toBe(false);
    expect(definitionChanged({ ...d, trackOpens: true }, campaign)).toBe(true);
  });

  it("tracks a new e-mail campaign, and reads absent switches as on", () => {
    expect(definitionOf(draft({ name: "x", channel: "EMAIL", subject: "s", body: "b" })).content).toMatchObject({
      trackOpens: true,
      trackClicks: true,
    });
    const untouched = { ...campaign, content: { subject: "s", body: "b" } };
    expect(definitionChanged(draftOf(untouched, "UTC"), untouched)).toBe(false);
  });
});
