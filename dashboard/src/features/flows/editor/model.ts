import type { FlowDefinition, FlowNode, FlowNodeType } from "../definition";
import { toGraph } from "../graph";

/**
 * The flow editor's model: a definition as nodes with positions and edges named by the field of the
 * source node they fill, and back. Pure functions; the canvas (FlowBuilder) and its tests use them.
 * The definition is what Herald stores; positions travel in its optional `layout` (node id → x, y): the
 * editor holds them apart from the definition (see `splitLayout`) and puts them back on save (`withLayout`).
 */
export interface Position {
  x: number;
  y: number;
}

export type Positions = Record<string, Position>;

/** A node on the canvas: the node's own settings, without the fields that hold edges. */
export interface CanvasNode {
  id: string;
  type: FlowNodeType;
  position: Position;
  /** the node as the definition has it, minus next/trueNext/falseNext/timeoutNext and the paths' next */
  settings: FlowNode;
}

/** An edge: `field` is where the source holds it (next, trueNext, falseNext, timeoutNext, paths[i].next). */
export interface CanvasEdge {
  id: string;
  source: string;
  target: string;
  field: string;
}

export interface CanvasModel {
  trigger: FlowDefinition["trigger"];
  entry: FlowDefinition["entry"];
  timeZone: FlowDefinition["timeZone"];
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

/** An outgoing field of a node: one source handle on the canvas. */
export interface OutField {
  field: string;
  label: string;
  kind: "default" | "true" | "false" | "timeout" | "split";
}

const SINGLE_NEXT: FlowNodeType[] = ["entry", "send", "wait", "update_contact", "webhook"];

/** The fields a node can point from, in the order its handles are drawn. */
export function outFields(node: FlowNode): OutField[] {
  if (SINGLE_NEXT.includes(node.type)) return [{ field: "next", label: "next", kind: "default" }];
  switch (node.type) {
    case "wait_for_event":
      return [
        { field: "next", label: "event", kind: "default" },
        { field: "timeoutNext", label: "timeout", kind: "timeout" },
      ];
    case "branch":
      return [
        { field: "trueNext", label: "true", kind: "true" },
        { field: "falseNext", label: "false", kind: "false" },
      ];
    case "split":
      return (node.paths ?? []).map((p, i) => ({ field: `paths[${i}].next`, label: p?.name || `path ${i + 1}`, kind: "split" as const }));
    default:
      return [];
  }
}

const PATH_FIELD = /^paths\[(\d+)\]\.next$/;

/** The node a field of `node` points to, if any. */
export function targetOf(node: FlowNode, field: string): string | undefined {
  const m = PATH_FIELD.exec(field);
  if (m) return node.type === "split" ? node.paths?.[Number(m[1])]?.next : undefined;
  const value = (node as unknown as Record<string, unknown>)[field];
  return typeof value === "string" ? value : undefined;
}

/** The node with `field` set to `target` (undefined clears it); a field the node lacks changes nothing. */
export function withTarget(node: FlowNode, field: string, target: string | undefined): FlowNode {
  if (!outFields(node).some((f) => f.field === field)) return node;
  const m = PATH_FIELD.exec(field);
  if (m && node.type === "split") {
    const i = Number(m[1]);
    const paths = (node.paths ?? []).map((p, j) => {
      if (j !== i) return p;
      const { next: _old, ...rest } = p ?? {};
      return target === undefined ? rest : { ...rest, next: target };
    });
    return { ...node, paths };
  }
  const copy = { ...node } as Record<string, unknown>;
  if (target === undefined) delete copy[field];
  else copy[field] = target;
  return copy as unknown as FlowNode;
}

/** The node without any of its edges. */
export function withoutEdges(node: FlowNode): FlowNode {
  return outFields(node).reduce((n, f) => withTarget(n, f.field, undefined), node);
}

export function edgeId(source: string, field: string): string {
  return `${source}:${field}`;
}

/** The edges a definition holds (edges to a node it lacks are left out: the API names those). */
export function edgesOf(definition: FlowDefinition): CanvasEdge[] {
  const nodes = definition.nodes ?? [];
  const ids = new Set(nodes.map((n) => n.id));
  return nodes.flatMap((n) =>
    outFields(n).flatMap((f) => {
      const target = targetOf(n, f.field);
      return target !== undefined && ids.has(target) ? [{ id: edgeId(n.id, f.field), source: n.id, target, field: f.field }] : [];
    }),
  );
}

/** Top-left corners from dagre (the layout of the read-only canvas), for the nodes that have none in `known`. */
export function layoutPositions(definition: FlowDefinition, known: Positions = {}): Positions {
  const nodes = definition.nodes ?? [];
  const missing = nodes.some((n) => !known[n.id]);
  if (!missing) return Object.fromEntries(nodes.map((n) => [n.id, known[n.id]]));
  const laid: Positions = Object.fromEntries(toGraph(definition).nodes.map((n) => [n.id, n.position]));
  return Object.fromEntries(nodes.map((n) => [n.id, known[n.id] ?? laid[n.id] ?? { x: 0, y: 0 }]));
}

/** The definition without its layout, and the positions of its nodes (the layout's, dagre's for nodes it lacks). */
export function splitLayout(definition: FlowDefinition): { definition: FlowDefinition; positions: Positions } {
  const { layout, ...rest } = definition;
  const known: Positions = {};
  for (const [id, p] of Object.entries(layout ?? {})) {
    if (p && Number.isFinite(p.x) && Number.isFinite(p.y)) known[id] = { x: p.x, y: p.y };
  }
  return { definition: rest, positions: layoutPositions(rest, known) };
}

/** The definition with the positions of its own nodes as its layout (positions of nodes it lacks are left out). */
export function withLayout(definition: FlowDefinition, positions: Positions): FlowDefinition {
  const layout: NonNullable<FlowDefinition["layout"]> = {};
  for (const n of definition.nodes ?? []) {
    const p = positions[n.id];
    if (p) layout[n.id] = { x: Math.round(p.x), y: Math.round(p.y) };
  }
  const { layout: _old, ...rest } = definition;
  return Object.keys(layout).length ? { ...rest, layout } : rest;
}

/** A definition as the canvas draws it: at the given positions, else its layout's, else dagre's. */
export function toCanvas(definition: FlowDefinition, positions?: Positions): CanvasModel {
  const split = splitLayout(definition);
  const placed = positions ? layoutPositions(split.definition, positions) : split.positions;
  return {
    trigger: definition.trigger,
    entry: definition.entry,
    timeZone: definition.timeZone,
    nodes: (definition.nodes ?? []).map((n) => ({ id: n.id, type: n.type, position: placed[n.id], settings: withoutEdges(n) })),
    edges: edgesOf(definition),
  };
}

/** The canvas as the definition Herald takes: nodes in canvas order, each edge in its source's field, positions as its layout. */
export function toDefinition(model: CanvasModel): FlowDefinition {
  const nodes = model.nodes.map((n) =>
    model.edges.filter((e) => e.source === n.id).reduce((node, e) => withTarget(node, e.field, e.target), withoutEdges(n.settings)),
  );
  const definition: FlowDefinition = {};
  if (model.trigger !== undefined) definition.trigger = model.trigger;
  if (model.entry !== undefined) definition.entry = model.entry;
  if (model.timeZone !== undefined) definition.timeZone = model.timeZone;
  definition.nodes = nodes;
  return withLayout(definition, Object.fromEntries(model.nodes.map((n) => [n.id, n.position])));
}

/** `source`'s `field` now points to `target` (replacing what it pointed to). */
export function connect(definition: FlowDefinition, source: string, field: string, target: string): FlowDefinition {
  if (source === target) return definition;
  return mapNode(definition, source, (n) => withTarget(n, field, target));
}

/** `source`'s `field` points nowhere. */
export function disconnect(definition: FlowDefinition, source: string, field: string): FlowDefinition {
  return mapNode(definition, source, (n) => withTarget(n, field, undefined));
}

export function mapNode(definition: FlowDefinition, id: string, f: (node: FlowNode) => FlowNode): FlowDefinition {
  return { ...definition, nodes: (definition.nodes ?? []).map((n) => (n.id === id ? f(n) : n)) };
}

/** The definition without the nodes named, and without every edge that led to them. */
export function removeNodes(definition: FlowDefinition, ids: Iterable<string>): FlowDefinition {
  const gone = new Set(ids);
  const nodes = (definition.nodes ?? [])
    .filter((n) => !gone.has(n.id))
    .map((n) => outFields(n).reduce((node, f) => (gone.has(targetOf(node, f.field) ?? "") ? withTarget(node, f.field, undefined) : node), n));
  return { ...definition, nodes };
}

const ID_PREFIX: Record<FlowNodeType, string> = {
  entry: "start",
  send: "send",
  wait: "wait",
  wait_for_event: "wait-event",
  branch: "branch",
  split: "split",
  update_contact: "update",
  webhook: "webhook",
  exit: "exit",
};

/** A fresh id for a node of `type`: its prefix and the first number not taken (`wait-1`, `wait-2`…). */
export function newNodeId(definition: FlowDefinition, type: FlowNodeType): string {
  const taken = new Set((definition.nodes ?? []).map((n) => n.id));
  for (let i = 1; ; i++) {
    const id = `${ID_PREFIX[type]}-${i}`;
    if (!taken.has(id)) return id;
  }
}

/** What a node of `type` starts with when it is dropped on the canvas. */
export function newNode(type: FlowNodeType, id: string): FlowNode {
  switch (type) {
    case "send":
      return { type, id, channel: "EMAIL", content: { subject: "", body: "" } };
    case "wait":
      return { type, id, duration: "P1D" };
    case "wait_for_event":
      return { type, id, event: "", timeout: "P1D" };
    case "branch":
      return { type, id, rule: { type: "attribute", attribute: "", operator: "eq", value: "" } };
    case "split":
      return { type, id, paths: [{ name: "A", percent: 50 }, { name: "B", percent: 50 }] };
    case "update_contact":
      return { type, id, set: {} };
    case "webhook":
      return { type, id, url: "https://", body: "{}" };
    default:
      return { type, id } as FlowNode;
  }
}

/** The definition with a node added (a second entry is refused: a flow has exactly one). */
export function addNode(definition: FlowDefinition, node: FlowNode): FlowDefinition {
  if (node.type === "entry" && (definition.nodes ?? []).some((n) => n.type === "entry")) return definition;
  return { ...definition, nodes: [...(definition.nodes ?? []), node] };
}
