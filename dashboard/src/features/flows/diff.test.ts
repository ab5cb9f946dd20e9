import { describe, expect, it } from "vitest";
import type { FlowDefinition } from "./definition";
import { canonical, describeDiff, diffDefinitions, isEmptyDiff } from "./diff";

const live: FlowDefinition = {
  trigger: { type: "event", event: "Cart Abandoned", dedupKey: "cartId" },
  entry: { concurrency: "PER_DEDUP_KEY", reEntry: "NEVER" },
  timeZone: "Europe/Paris",
  nodes: [
    { type: "entry", id: "start", next: "wait-1" },
    { type: "wait", id: "wait-1", duration: "PT1H", next: "send-1" },
    { type: "send", id: "send-1", channel: "WEBHOOK", content: { url: "https://example.com/a", payload: "{}" }, next: "exit-1" },
    { type: "exit", id: "exit-1" },
  ],
};

describe("diffDefinitions", () => {
  it("finds nothing between a definition and a copy with its keys in another order", () => {
    const copy = JSON.parse(JSON.stringify(live)) as FlowDefinition;
    copy.nodes![2] = { next: "exit-1", content: { payload: "{}", url: "https://example.com/a" }, channel: "WEBHOOK", id: "send-1", type: "send" };
    const diff = diffDefinitions(live, copy);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(canonical(copy.nodes![2])).toBe(canonical(live.nodes![2]));
  });

  it("names added, removed and changed nodes with the fields that differ", () => {
    const draft: FlowDefinition = {
      ...live,
      nodes: [
        { type: "entry", id: "start", next: "wait-1" },
        { type: "wait", id: "wait-1", duration: "PT2H", next: "branch-1" },
        { type: "branch", id: "branch-1", rule: { type: "attribute", attribute: "plan", operator: "eq", value: "pro" }, trueNext: "exit-1", falseNext: "exit-1" },
        { type: "exit", id: "exit-1" },
      ],
    };
    const diff = diffDefinitions(live, draft);
    expect(diff.added).toEqual(["branch-1"]);
    expect(diff.removed).toEqual(["send-1"]);
    expect(diff.changed).toEqual([{ id: "wait-1", fields: ["duration", "next"] }]);
    expect(diff.settings).toEqual([]);
    expect(describeDiff(diff, draft, live)).toEqual([
      "Added: Branch “branch-1”",
      "Removed: Send “send-1”",
      "Changed: Wait “wait-1” (duration, next)",
    ]);
  });

  it("lists a node whose type changed by its type alone, and flow settings that changed", () => {
    const draft: FlowDefinition = {
      ...live,
      trigger: { type: "api" },
      timeZone: "UTC",
      nodes: live.nodes!.map((n) => (n.id === "wait-1" ? { type: "webhook", id: "wait-1", url: "https://example.com/h", next: "send-1" } : n)),
    };
    const diff = diffDefinitions(live, draft);
    expect(diff.changed).toEqual([{ id: "wait-1", fields: ["type"] }]);
    expect(diff.settings).toEqual(["trigger", "timeZone"]);
    expect(describeDiff(diff, draft, live)).toContain("Also changed: the trigger, the time zone");
  });

  it("counts every node as added when nothing is live", () => {
    const diff = diffDefinitions(undefined, live);
    expect(diff.added).toEqual(["start", "wait-1", "send-1", "exit-1"]);
    expect(diff.removed).toEqual([]);
    expect(diff.settings).toEqual(["trigger", "entry", "timeZone"]);
  });
});
