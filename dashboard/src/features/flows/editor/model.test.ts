import { describe, expect, it } from "vitest";
import type { FlowDefinition, FlowNode, FlowTrigger } from "../definition";
import {
  addNode,
  connect,
  disconnect,
  edgesOf,
  layoutPositions,
  newNode,
  newNodeId,
  outFields,
  removeNodes,
  splitLayout,
  toCanvas,
  toDefinition,
  withLayout,
} from "./model";

/** Every node type once, every edge field used, as the API takes it. */
const EVERY_NODE: FlowNode[] = [
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
  { type: "send", id: "reminder", channel: "EMAIL", content: { subject: "Cart", body: "Hi {{ first_name }}" }, transactional: false, next: "is-pro" },
  { type: "webhook", id: "hook", url: "https://example.com/hook", body: '{"cart": "{{ trigger.cartId }}"}', next: "done" },
  { type: "branch", id: "is-pro", rule: { type: "attribute", attribute: "plan", operator: "eq", value: "pro" }, trueNext: "tag", falseNext: "done" },
  { type: "update_contact", id: "tag", set: { cartReminded: true }, remove: ["old"], consent: [{ channel: "EMAIL", status: "GRANTED" }], next: "done" },
  { type: "exit", id: "done" },
];

const TRIGGERS: FlowTrigger[] = [
  { type: "event", event: "Cart Abandoned", where: [{ property: "total", operator: "gt", value: 10 }], dedupKey: "cartId" },
  { type: "segment", segmentId: "3f1e2d4c-0000-4000-8000-000000000001" },
  { type: "api" },
];

function definition(trigger: FlowTrigger): FlowDefinition {
  return { trigger, entry: { concurrency: "PER_DEDUP_KEY", reEntry: "NEVER" }, timeZone: "Europe/Paris", nodes: EVERY_NODE };
}

describe("the editor's model", () => {
  it.each(TRIGGERS.map((t) => [t.type, t] as const))("gives back the definition it was given (%s trigger)", (_, trigger) => {
    const d = definition(trigger);
    const model = toCanvas(d);
    expect(model.nodes.map((n) => n.id)).toEqual(EVERY_NODE.map((n) => n.id));
    // the same definition, with the positions the canvas gave its nodes as its layout
    const { layout, ...rest } = toDefinition(model);
    expect(rest).toEqual(d);
    expect(layout).toEqual(Object.fromEntries(model.nodes.map((n) => [n.id, n.position])));
    // a definition with a layout comes back exactly as it was, also through JSON, as it is sent
    const laidOut = toDefinition(model);
    expect(toDefinition(toCanvas(laidOut))).toEqual(laidOut);
    expect(JSON.parse(JSON.stringify(toDefinition(toCanvas(JSON.parse(JSON.stringify(laidOut))))))).toEqual(laidOut);
  });

  it("takes node positions from the definition's layout, lays out with dagre only the nodes it lacks, and drops positions of nodes it lacks", () => {
    const d: FlowDefinition = { ...definition({ type: "api" }), layout: { start: { x: 1000, y: -50 }, gone: { x: 3, y: 4 } } };
    const { definition: bare, positions } = splitLayout(d);
    expect(bare.layout).toBeUndefined();
    expect(positions.start).toEqual({ x: 1000, y: -50 });
    expect(positions["wait-1h"]).toEqual(layoutPositions(bare)["wait-1h"]);
    expect(Object.keys(positions)).toEqual(EVERY_NODE.map((n) => n.id));
    const back = withLayout(bare, { ...positions, gone: { x: 3, y: 4 }, done: { x: 10.6, y: 20.2 } });
    expect(back.layout!.start).toEqual({ x: 1000, y: -50 });
    expect(back.layout!.done).toEqual({ x: 11, y: 20 });
    expect(back.layout!.gone).toBeUndefined();
    expect(toCanvas(d).nodes[0].position).toEqual({ x: 1000, y: -50 });
    // no nodes, no layout key
    expect(withLayout({ nodes: [] }, { a: { x: 1, y: 1 } })).toEqual({ nodes: [] });
  });

  it.each(EVERY_NODE.map((n) => [n.type, n] as const))("keeps a %s node whole, id unchanged", (_, node) => {
    const d = definition({ type: "api" });
    const back = toDefinition(toCanvas(d)).nodes!.find((n) => n.id === node.id);
    expect(back).toEqual(node);
  });

  it("holds the node settings apart from the edges, which are named by field", () => {
    const model = toCanvas(definition({ type: "api" }));
    const split = model.nodes.find((n) => n.id === "ab")!;
    expect(split.settings).toEqual({ type: "split", id: "ab", paths: [{ name: "A", percent: 70 }, { name: "B", percent: 30 }] });
    expect(model.edges.map((e) => `${e.source} ${e.field} ${e.target}`)).toEqual([
      "start next wait-1h",
      "wait-1h next ordered",
      "ordered next done",
      "ordered timeoutNext ab",
      "ab paths[0].next reminder",
      "ab paths[1].next hook",
      "reminder next is-pro",
      "hook next done",
      "is-pro trueNext tag",
      "is-pro falseNext done",
      "tag next done",
    ]);
    expect(model.edges[0].id).toBe("start:next");
  });

  it("lays out with dagre when no positions are known, and keeps the positions it is given", () => {
    const d = definition({ type: "api" });
    const laid = layoutPositions(d);
    expect(Object.keys(laid)).toEqual(EVERY_NODE.map((n) => n.id));
    expect(laid["start"].y).toBeLessThan(laid["wait-1h"].y);
    expect(laid["wait-1h"].y).toBeLessThan(laid["ordered"].y);
    const moved = toCanvas(d, { ...laid, done: { x: 5, y: 7 } });
    expect(moved.nodes.find((n) => n.id === "done")!.position).toEqual({ x: 5, y: 7 });
    expect(moved.nodes.find((n) => n.id === "start")!.position).toEqual(laid["start"]);
    // the same definition, the same layout
    expect(layoutPositions(d)).toEqual(laid);
  });

  it.each([
    ["wait-1h", "next", "done", (n: FlowNode) => n.type === "wait" && n.next],
    ["ordered", "timeoutNext", "done", (n: FlowNode) => n.type === "wait_for_event" && n.timeoutNext],
    ["ordered", "next", "hook", (n: FlowNode) => n.type === "wait_for_event" && n.next],
    ["is-pro", "trueNext", "hook", (n: FlowNode) => n.type === "branch" && n.trueNext],
    ["is-pro", "falseNext", "tag", (n: FlowNode) => n.type === "branch" && n.falseNext],
    ["ab", "paths[1].next", "tag", (n: FlowNode) => n.type === "split" && n.paths?.[1].next],
  ])("connecting %s's %s sets that field, disconnecting clears it", (source, field, target, read) => {
    const d = definition({ type: "api" });
    const connected = connect(d, source, field, target);
    const node = (x: FlowDefinition) => x.nodes!.find((n) => n.id === source)!;
    expect(read(node(connected))).toBe(target);
    // the other nodes are untouched
    expect(connected.nodes!.filter((n) => n.id !== source)).toEqual(d.nodes!.filter((n) => n.id !== source));
    const cut = disconnect(connected, source, field);
    expect(read(node(cut))).toBeFalsy();
    expect(edgesOf(cut).some((e) => e.source === source && e.field === field)).toBe(false);
    // the other fields of the node stay
    expect(outFields(node(cut)).filter((f) => f.field !== field).map((f) => edgesOf(cut).find((e) => e.source === source && e.field === f.field)?.target)).toEqual(
      outFields(node(d)).filter((f) => f.field !== field).map((f) => edgesOf(d).find((e) => e.source === source && e.field === f.field)?.target),
    );
  });

  it("connects only through a field the node has, never to itself", () => {
    const d = definition({ type: "api" });
    expect(connect(d, "done", "next", "start")).toEqual(d); // an exit has no next
    expect(connect(d, "wait-1h", "trueNext", "done")).toEqual(d);
    expect(connect(d, "wait-1h", "next", "wait-1h")).toEqual(d);
  });

  it("removes a node with the edges that led to it", () => {
    const d = removeNodes(definition({ type: "api" }), ["done"]);
    expect(d.nodes!.map((n) => n.id)).not.toContain("done");
    expect(edgesOf(d).some((e) => e.target === "done")).toBe(false);
    expect(d.nodes!.find((n) => n.id === "is-pro")).toEqual({
      type: "branch",
      id: "is-pro",
      rule: { type: "attribute", attribute: "plan", operator: "eq", value: "pro" },
      trueNext: "tag",
    });
  });

  it("gives new nodes free ids and allows one entry", () => {
    let d: FlowDefinition = { trigger: { type: "api" }, nodes: [{ type: "entry", id: "start-1" }] };
    expect(newNodeId(d, "wait")).toBe("wait-1");
    d = addNode(d, newNode("wait", newNodeId(d, "wait")));
    expect(newNodeId(d, "wait")).toBe("wait-2");
    expect(newNodeId(d, "entry")).toBe("start-2");
    expect(addNode(d, newNode("entry", "start-2"))).toBe(d);
    expect(newNodeId(d, "wait_for_event")).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});
