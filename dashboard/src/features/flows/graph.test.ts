import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/problem";
import { parseDefinition, STARTER_DEFINITION, type FlowDefinition } from "./definition";
import { describeNode, describeTrigger, formatDuration } from "./describe";
import { toGraph } from "./graph";
import { problemNodeId } from "./problems";
import { allowedFlowActions } from "./status";

/** The README's abandoned-cart flow (as FlowApiIT creates it), plus a split. */
const CART: FlowDefinition = {
  trigger: { type: "event", event: "Cart Abandoned", dedupKey: "cartId" },
  entry: { concurrency: "PER_DEDUP_KEY", reEntry: "NEVER" },
  timeZone: "Europe/Paris",
  nodes: [
    { type: "entry", id: "start", next: "wait-1h" },
    { type: "wait", id: "wait-1h", duration: "PT1H", next: "ordered" },
    { type: "wait_for_event", id: "ordered", event: "Order Completed", matchKey: "cartId", timeout: "PT23H", next: "done", timeoutNext: "ab" },
    {
      type: "split",
      id: "ab",
      paths: [
        { name: "A", percent: 70, next: "reminder" },
        { name: "B", percent: 30, next: "hook" },
      ],
    },
    {
      type: "send",
      id: "reminder",
      channel: "EMAIL",
      content: { subject: "You left something in your cart", body: "Hi {{ first_name }}" },
      next: "is-pro",
    },
    { type: "webhook", id: "hook", url: "https://example.com/hooks/cart", body: "{}", next: "done" },
    {
      type: "branch",
      id: "is-pro",
      rule: { type: "attribute", attribute: "plan", operator: "eq", value: "pro" },
      trueNext: "tag",
      falseNext: "done",
    },
    { type: "update_contact", id: "tag", set: { cartReminded: true }, remove: ["cartId"], next: "done" },
    { type: "exit", id: "done" },
  ],
};

describe("definition → graph", () => {
  it("makes one card per node with its type and key settings", () => {
    const { nodes } = toGraph(CART);
    const card = (id: string) => nodes.find((n) => n.id === id)!.data;
    expect(nodes.map((n) => n.id)).toEqual(["start", "wait-1h", "ordered", "ab", "reminder", "hook", "is-pro", "tag", "done"]);
    expect(card("start")).toMatchObject({ title: "Start", lines: ["Event “Cart Abandoned”"] });
    expect(card("wait-1h")).toMatchObject({ title: "Wait", lines: ["For 1 h"] });
    expect(card("ordered").lines).toEqual(["Event “Order Completed”", "same cartId as the trigger", "Timeout after 23 h"]);
    expect(card("ab").lines).toEqual(["A 70 % · B 30 %"]);
    expect(card("reminder").lines).toEqual(["Email", "Subject: “You left something in your cart”"]);
    expect(card("hook").lines).toEqual(["POST https://example.com/hooks/cart"]);
    expect(card("is-pro").lines).toEqual(["plan is “pro”"]);
    expect(card("tag").lines).toEqual(["Set cartReminded = true", "Remove cartId"]);
    expect(card("done")).toMatchObject({ title: "Exit", kind: "exit" });
  });

  it("labels the edges that mean something: event or timeout, split path and share, true and false", () => {
    const { edges, dangling } = toGraph(CART);
    const label = (id: string) => edges.find((e) => e.id === id);
    expect(dangling).toEqual([]);
    expect(label("start:next")).toMatchObject({ source: "start", target: "wait-1h", kind: "default" });
    expect(label("start:next")!.label).toBeUndefined();
    expect(label("ordered:next")).toMatchObject({ target: "done", label: "on Order Completed" });
    expect(label("ordered:timeoutNext")).toMatchObject({ target: "ab", label: "timeout 23 h", kind: "timeout" });
    expect(label("ab:paths[0].next")).toMatchObject({ target: "reminder", label: "A · 70 %", kind: "split" });
    expect(label("ab:paths[1].next")).toMatchObject({ target: "hook", label: "B · 30 %" });
    expect(label("is-pro:trueNext")).toMatchObject({ target: "tag", label: "true", kind: "true" });
    expect(label("is-pro:falseNext")).toMatchObject({ target: "done", label: "false", kind: "false" });
    expect(edges).toHaveLength(11);
  });

  it("lays out top to bottom, the same way every time", () => {
    const a = toGraph(CART);
    const b = toGraph(structuredClone(CART));
    expect(b.nodes.map((n) => n.position)).toEqual(a.nodes.map((n) => n.position));
    const y = (id: string) => a.nodes.find((n) => n.id === id)!.position.y;
    expect(y("start")).toBeLessThan(y("wait-1h"));
    expect(y("wait-1h")).toBeLessThan(y("ordered"));
    expect(y("ordered")).toBeLessThan(y("ab"));
    expect(y("is-pro")).toBeLessThan(y("tag"));
    expect(y("tag")).toBeLessThan(y("done"));
    // the split's two paths below it, side by side
    const reminder = a.nodes.find((n) => n.id === "reminder")!.position;
    const hook = a.nodes.find((n) => n.id === "hook")!.position;
    expect(Math.min(reminder.y, hook.y)).toBeGreaterThan(y("ab"));
    expect(reminder.x).not.toBe(hook.x);
    for (const n of a.nodes) expect(Number.isInteger(n.position.x) && Number.isInteger(n.position.y)).toBe(true);
    // the size holds every card
    for (const n of a.nodes) {
      expect(n.position.x + n.width).toBeLessThanOrEqual(a.size.width);
      expect(n.position.y + n.height).toBeLessThanOrEqual(a.size.height);
    }
  });

  it("draws what it can of a half-written definition: a missing child is reported, not drawn", () => {
    const graph = toGraph({
      nodes: [
        { type: "entry", id: "start", next: "nowhere" },
        { type: "exit", id: "done" },
        { type: "exit", id: "done" },
      ],
    });
    expect(graph.nodes.map((n) => n.id)).toEqual(["start", "done"]);
    expect(graph.edges).toEqual([]);
    expect(graph.dangling).toEqual([{ source: "start", field: "next", target: "nowhere" }]);
    expect(toGraph(undefined)).toEqual({ nodes: [], edges: [], dangling: [], size: { width: 0, height: 0 } });
  });

  it("marks the node an error names", () => {
    const graph = toGraph(CART, { highlight: "ab" });
    expect(graph.nodes.filter((n) => n.data.highlighted).map((n) => n.id)).toEqual(["ab"]);
  });
});

describe("summaries", () => {
  it("reads ISO-8601 durations", () => {
    expect(formatDuration("PT1H30M")).toBe("1 h 30 min");
    expect(formatDuration("P2D")).toBe("2 days");
    expect(formatDuration("P1D")).toBe("1 day");
    expect(formatDuration("-P1D")).toBe("-1 day");
    expect(formatDuration("soon")).toBe("soon");
  });

  it("describes waits until a time of day or a date, and triggers", () => {
    expect(describeNode({ type: "wait", id: "w", timeOfDay: "09:00", weekdays: ["MONDAY", "FRIDAY"] })).toEqual([
      "Until 09:00 on Mon, Fri",
      "contact's time zone",
    ]);
    expect(describeNode({ type: "wait", id: "w", dateAttribute: "birthday", offset: "-P1D" })).toEqual(["Until 1 day before the date in “birthday”"]);
    expect(describeNode({ type: "send", id: "s", channel: "SMS", content: { body: "Hi" }, transactional: true })).toEqual(["SMS · transactional", "“Hi”"]);
    expect(describeTrigger({ type: "segment", segmentId: "s1" }, (id) => (id === "s1" ? "“Pro customers”" : undefined))).toBe(
      "Enters segment “Pro customers”",
    );
    expect(describeTrigger({ type: "api" })).toBe("Started through the API");
    expect(describeTrigger({ type: "event", event: "Signed Up", where: [{ property: "plan", operator: "eq", value: "pro" }] })).toBe(
      "Event “Signed Up” where plan is “pro”",
    );
  });
});

describe("the JSON editor's checks", () => {
  it("accepts the starter and says where JSON breaks", () => {
    expect(parseDefinition(JSON.stringify(STARTER_DEFINITION))).toMatchObject({ ok: true });
    const broken = parseDefinition('{\n  "nodes": [\n    { "type": "exit", "id": "done", }\n  ]\n}');
    expect(broken.ok).toBe(false);
    expect(parseDefinition("[]")).toEqual({ ok: false, error: "The definition must be a JSON object." });
    expect(parseDefinition('{"nodes": [{"id": "x"}]}')).toEqual({ ok: false, error: "nodes[0] needs a “type”." });
  });

  it("finds the node a problem names: nodeId, a field path with the id, or one with an index", () => {
    const byId = new ApiError(422, { code: "flow.node.unreachable", nodeId: "tag", errors: [{ field: "definition.nodes[tag].id", message: "x" }] });
    expect(problemNodeId(byId, CART)).toBe("tag");
    const byPath = new ApiError(422, { code: "flow.split.percent-sum", errors: [{ field: "definition.nodes[ab].paths", message: "x" }] });
    expect(problemNodeId(byPath, CART)).toBe("ab");
    const byIndex = new ApiError(400, { code: "flow.node.unknown-type", field: "definition.nodes[3].type" });
    expect(problemNodeId(byIndex, CART)).toBe("ab");
    expect(problemNodeId(new ApiError(422, { code: "flow.trigger.invalid", errors: [{ field: "definition.trigger.event", message: "x" }] }), CART)).toBe(
      undefined,
    );
    expect(problemNodeId(new Error("network"), CART)).toBe(undefined);
  });

  it("offers the lifecycle moves the status allows", () => {
    expect(allowedFlowActions("DRAFT", 0)).toEqual(["edit", "publish", "archive"]);
    expect(allowedFlowActions("DRAFT", 1)).toEqual(["edit", "publish", "activate", "archive"]);
    expect(allowedFlowActions("ACTIVE", 1)).toEqual(["edit", "publish", "pause", "stop"]);
    expect(allowedFlowActions("PAUSED", 1)).toEqual(["edit", "publish", "resume", "archive", "stop"]);
    expect(allowedFlowActions("STOPPED", 1)).toEqual([]);
    expect(allowedFlowActions("ARCHIVED", 1)).toEqual([]);
  });
});
