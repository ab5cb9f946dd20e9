import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "@/api/client";
import { copyIdOf } from "./api";
import { eventSummary, eventTitle } from "./history";
import { TemplateBadge, templateFilterOf, templateParamOf } from "./template";

describe("campaign template filter", () => {
  it("maps the address's template= to the filter and back to the API's parameter", () => {
    expect(templateFilterOf("true")).toBe("templates");
    expect(templateFilterOf("false")).toBe("campaigns");
    expect(templateFilterOf(null)).toBe("all");
    expect(templateFilterOf("yes")).toBe("all");
    expect(templateParamOf("templates")).toBe(true);
    expect(templateParamOf("campaigns")).toBe(false);
    expect(templateParamOf("all")).toBeUndefined();
  });

  it("shows the badge on templates only", () => {
    const { rerender } = render(<TemplateBadge template />);
    expect(screen.getByText("Template")).toBeInTheDocument();
    rerender(<TemplateBadge template={false} />);
    expect(screen.queryByText("Template")).not.toBeInTheDocument();
    rerender(<TemplateBadge template={undefined} />);
    expect(screen.queryByText("Template")).not.toBeInTheDocument();
  });
});

describe("campaign copies", () => {
  it("reads the copy's id from the Location header", () => {
    expect(copyIdOf("http://localhost:8080/api/campaigns/3f6c-1")).toBe("3f6c-1");
    expect(copyIdOf("/api/campaigns/abc/")).toBe("abc");
    expect(copyIdOf("/api/campaigns/a%20b")).toBe("a b");
    expect(copyIdOf("/api/campaigns/abc/duplicate")).toBeUndefined();
    expect(copyIdOf(null)).toBeUndefined();
  });

  it("tells the copy in both histories", () => {
    const duplicated: HistoryEntry = { type: "CampaignDuplicated", payload: { campaignId: "s", copyId: "c2", copyName: "Digest (copy)" } };
    expect(eventTitle(duplicated.type)).toBe("Duplicated");
    expect(eventSummary(duplicated)).toBe("Copied into the new draft “Digest (copy)” (c2).");
    const created: HistoryEntry = {
      type: "CampaignCreated",
      payload: { campaignId: "c2", copiedFrom: "s", definition: { name: "Digest (copy)", channel: "SMS" } },
    };
    expect(eventSummary(created)).toBe("Created the SMS campaign “Digest (copy)” as a draft, copied from campaign s.");
    const template: HistoryEntry = { type: "CampaignCreated", payload: { definition: { name: "Digest", channel: "SMS", template: true } } };
    expect(eventSummary(template)).toBe("Created the SMS campaign “Digest” as a template.");
  });
});
