import { describe, expect, it } from "vitest";
import { countLines, edgeCounts, isContactId, nodeCounts, runPath, stepLabel, type FlowRun, type FlowStats } from "./live";

const stats: FlowStats = {
  runs: { total: 3, active: 0, waiting: 1, completed: 2, exited: 0, stopped: 0 },
  nodes: [
    { nodeId: "start", type: "entry", entered: 3, inNode: 0, passed: 3 },
    { nodeId: "wait-1", type: "wait", entered: 3, inNode: 1, passed: 2 },
    { nodeId: "send-1", type: "send", entered: 1, inNode: 0, passed: 1, sent: 1, failed: 0, skipped: 0, unknown: 0 },
  ],
  edges: [
    { from: "start", field: "next", to: "wait-1", count: 3 },
    { from: "wait-1", field: "next", to: "send-1", count: 2 },
  ],
};

describe("live counts", () => {
  it("gives every node of the definition its counts, zero where nothing arrived yet", () => {
    const counts = nodeCounts(stats, [
      { id: "start", type: "entry" },
      { id: "wait-1", type: "wait" },
      { id: "send-1", type: "send" },
      { id: "hook", type: "webhook" },
      { id: "exit-1", type: "exit" },
    ]);
    expect(counts["wait-1"]).toEqual({ entered: 3, waiting: 1, passed: 2 });
    expect(counts["send-1"]).toEqual({ entered: 1, waiting: 0, passed: 1, sent: 1, failed: 0, skipped: 0, unknown: 0 });
    expect(counts.hook).toEqual({ entered: 0, waiting: 0, passed: 0, sent: 0, failed: 0 });
    expect(counts["exit-1"]).toEqual({ entered: 0, waiting: 0, passed: 0 });
  });

  it("keys edges like the canvas does and words the counts", () => {
    expect(edgeCounts(stats)).toEqual({ "start:next": 3, "wait-1:next": 2 });
    expect(countLines({ entered: 3, waiting: 1, passed: 2 })).toEqual(["3 entered · 1 waiting now"]);
    expect(countLines({ entered: 4, waiting: 0, passed: 4, sent: 2, failed: 1, skipped: 1, unknown: 0 })).toEqual([
      "4 entered · 0 waiting now",
      "2 sent · 1 failed · 1 skipped",
    ]);
    expect(countLines(undefined)).toEqual([]);
  });
});

describe("a run's path", () => {
  const run: FlowRun = {
    runId: "r",
    state: "WAITING",
    nodeId: "ordered",
    steps: [
      { at: "2026-01-01T10:00:00Z", nodeId: "start", kind: "entered", edge: "next" },
      { at: "2026-01-01T10:00:00Z", nodeId: "grace", kind: "waiting", detail: "until 10:00:02", edge: null },
      { at: "2026-01-01T10:00:02Z", nodeId: "grace", kind: "waited", edge: "next" },
    ],
  };

  it("has the nodes in order, the edges left by, and where a live run is now", () => {
    expect(runPath(run)).toEqual({ nodes: ["start", "grace", "ordered"], edges: ["start:next", "grace:next"], current: "ordered" });
  });

  it("has no current node once the run ended", () => {
    expect(runPath({ ...run, state: "COMPLETED", nodeId: "done" }).current).toBeUndefined();
    expect(runPath(undefined)).toEqual({ nodes: [], edges: [] });
  });

  it("words the log's kinds and tells ids from e-mail addresses", () => {
    expect(stepLabel("timed-out")).toBe("Timed out");
    expect(stepLabel("something-new")).toBe("something-new");
    expect(isContactId("0b8f3c2e-1d2a-4c5b-9e8f-7a6b5c4d3e2f")).toBe(true);
    expect(isContactId("ada@example.com")).toBe(false);
  });
});
