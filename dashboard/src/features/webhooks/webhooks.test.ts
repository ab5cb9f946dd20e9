import { describe, expect, it } from "vitest";
import {
  EMPTY_FORM,
  deliveryBadge,
  groupEventTypes,
  lastAttemptSummary,
  subscriptionBadge,
  toRequest,
  toggle,
  validate,
} from "./webhooks";

const CATALOGUE = [
  { type: "campaign.launched" },
  { type: "contact.created" },
  { type: "webhook.test" },
  { type: "webhook.disabled" },
  { type: "contact.updated" },
  { type: "flow.entered" },
  { type: "delivery.failed" },
];

describe("groupEventTypes", () => {
  it("groups by prefix in a fixed order and leaves out the test event", () => {
    const groups = groupEventTypes(CATALOGUE);
    expect(groups.map((g) => g.label)).toEqual(["Contacts", "Campaigns", "Deliveries", "Flows", "Webhooks"]);
    expect(groups[0].types.map((t) => t.type)).toEqual(["contact.created", "contact.updated"]);
    expect(groups.flatMap((g) => g.types).some((t) => t.type === "webhook.test")).toBe(false);
  });
});

describe("validate", () => {
  it("asks for a URL and at least one event", () => {
    expect(validate(EMPTY_FORM)).toEqual({ url: "Where should Herald send the events?", eventTypes: "Choose at least one event." });
  });

  it("refuses URLs that are not http(s), carry credentials, or do not parse", () => {
    const form = { ...EMPTY_FORM, eventTypes: ["contact.created"] };
    expect(validate({ ...form, url: "ftp://x.example.com" }).url).toBe("An http or https URL.");
    expect(validate({ ...form, url: "https://u:p@x.example.com" }).url).toBe("No user name or password in the URL.");
    expect(validate({ ...form, url: "hooks" }).url).toMatch(/^Not a URL/);
    expect(validate({ ...form, url: "https://hooks.example.com/in" })).toEqual({});
  });

  it("takes a failure rate from just above 0 to 100 percent", () => {
    const form = { ...EMPTY_FORM, url: "https://x.example.com", eventTypes: ["campaign.failed"] };
    expect(validate({ ...form, failureRatePercent: "0" }).failureRatePercent).toBeDefined();
    expect(validate({ ...form, failureRatePercent: "101" }).failureRatePercent).toBeDefined();
    expect(validate({ ...form, failureRatePercent: "abc" }).failureRatePercent).toBeDefined();
    expect(validate({ ...form, failureRatePercent: "12.5" })).toEqual({});
  });
});

describe("toRequest", () => {
  it("trims, drops an empty description and turns the percentage into a share", () => {
    expect(
      toRequest({ url: " https://x.example.com/in ", description: "  ", eventTypes: ["contact.created"], enabled: false, failureRatePercent: "20" }),
    ).toEqual({ url: "https://x.example.com/in", eventTypes: ["contact.created"], description: undefined, enabled: false, campaignFailureRate: 0.2 });
    expect(toRequest({ ...EMPTY_FORM, url: "https://x.example.com" }).campaignFailureRate).toBeUndefined();
  });
});

describe("toggle", () => {
  it("keeps the catalogue's order", () => {
    const order = ["a", "b", "c"];
    expect(toggle(["c"], "a", true, order)).toEqual(["a", "c"]);
    expect(toggle(["a", "c"], "a", false, order)).toEqual(["c"]);
  });
});

describe("badges and summaries", () => {
  it("names each delivery status", () => {
    expect(deliveryBadge("SUCCEEDED")).toEqual({ label: "Delivered", tone: "green" });
    expect(deliveryBadge("FAILED")).toEqual({ label: "Failed", tone: "red" });
    expect(deliveryBadge("PENDING").tone).toBe("amber");
    expect(deliveryBadge(undefined).label).toBe("—");
  });

  it("tells a subscription Herald switched off from one switched off by hand", () => {
    expect(subscriptionBadge({ enabled: true })).toEqual({ label: "Enabled", tone: "green" });
    expect(subscriptionBadge({ enabled: false, disabledReason: "failing" }).label).toBe("Disabled by Herald");
    expect(subscriptionBadge({ enabled: false, disabledReason: null }).label).toBe("Disabled");
  });

  it("sums up the last attempt", () => {
    expect(lastAttemptSummary([])).toBe("");
    expect(lastAttemptSummary([{ responseCode: 500, durationMillis: 12 }, { responseCode: 200, durationMillis: 40 }])).toBe("HTTP 200 · 40 ms");
    expect(lastAttemptSummary([{ responseCode: null, durationMillis: 10000, error: "no answer within 10000 ms" }])).toBe(
      "no answer within 10000 ms",
    );
  });
});
