import dagre from "@dagrejs/dagre";
import type { FlowDefinition, FlowNode, FlowNodeType } from "./definition";
import { describeNode, formatDuration, NODE_LABEL } from "./describe";

/** What a card on the canvas shows. */
export interface FlowCardData extends Record<string, unknown> {
  node: FlowNode;
  kind: FlowNodeType;
  title: string;
  lines: string[];
  /** the node a validation error names */
  highlighted: boolean;
}

export interface GraphNode {
  id: string;
  type: "flowCard";
  position: { x: number; y: number };
  width: number;
  height: number;
  data: FlowCardData;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** the field of the source node that holds the edge: next, trueNext, paths[1].next… */
  field: string;
  label?: string;
  kind: "default" | "true" | "false" | "timeout" | "split";
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** edges that name a node the definition lacks (the API refuses them too) */
  dangling: { source: string; field: string; target: string }[];
  /** the laid-out graph's size (0 × 0 without nodes) */
  size: { width: number; height: number };
}

export const CARD_WIDTH = 248;
const CARD_BASE_HEIGHT = 58;
const LINE_HEIGHT = 18;

/** A card's height: a header and one line per setting (lines wrap on the canvas; this is the layout's estimate). */
export function cardHeight(lines: string[]): number {
  const wrapped = lines.reduce((n, l) => n + Math.max(1, Math.ceil(l.length / 34)), 0);
  return CARD_BASE_HEIGHT + LINE_HEIGHT * Math.min(wrapped, 5);
}

function outgoing(node: FlowNode): Omit<GraphEdge, "id" | "source">[] {
  switch (node.type) {
    case "entry":
    case "send":
    case "wait":
    case "update_contact":
    case "webhook":
      return node.next ? [{ field: "next", target: node.next, kind: "default" }] : [];
    case "wait_for_event":
      return [
        ...(node.next ? [{ field: "next", target: node.next, kind: "default" as const, label: node.event ? `on ${node.event}` : undefined }] : []),
        ...(node.timeoutNext
          ? [{ field: "timeoutNext", target: node.timeoutNext, kind: "timeout" as const, label: `timeout ${formatDuration(node.timeout)}` }]
          : []),
      ];
    case "branch":
      return [
        ...(node.trueNext ? [{ field: "trueNext", target: node.trueNext, kind: "true" as const, label: "true" }] : []),
        ...(node.falseNext ? [{ field: "falseNext", target: node.falseNext, kind: "false" as const, label: "false" }] : []),
      ];
    case "split":
      return (node.paths ?? []).flatMap((p, i) =>
        p?.next ? [{ field: `paths[${i}].next`, target: p.next, kind: "split" as const, label: `${p.name ?? `path ${i + 1}`} · ${p.percent ?? "?"} %` }] : [],
      );
    default:
      return [];
  }
}

/**
 * A definition as canvas nodes and edges, laid out top to bottom with dagre. The same definition
 * always gives the same layout (node order and edge order come from the definition).
 */
export function toGraph(
  definition: FlowDefinition | undefined,
  options: {
    highlight?: string;
    segmentName?: (id: string) => string | undefined;
    /** room (px) below each card's settings, e.g. for the live counts */
    extraHeight?: number;
  } = {},
): FlowGraph {
  const defined = (definition?.nodes ?? []).filter((n): n is FlowNode => !!n && typeof n.id === "string");
  // a duplicate id is drawn once (the API names it); the first one wins
  const seen = new Set<string>();
  const flowNodes = defined.filter((n) => (seen.has(n.id) ? false : (seen.add(n.id), true)));

  const nodes: GraphNode[] = flowNodes.map((node) => {
    const lines = describeNode(node, definition?.trigger, options.segmentName);
    return {
      id: node.id,
      type: "flowCard",
      position: { x: 0, y: 0 },
      width: CARD_WIDTH,
      height: cardHeight(lines) + (options.extraHeight ?? 0),
      data: {
        node,
        kind: node.type,
        title: NODE_LABEL[node.type] ?? node.type,
        lines,
        highlighted: options.highlight === node.id,
      },
    };
  });

  const edges: GraphEdge[] = [];
  const dangling: FlowGraph["dangling"] = [];
  for (const node of flowNodes) {
    for (const e of outgoing(node)) {
      if (!seen.has(e.target)) {
        dangling.push({ source: node.id, field: e.field, target: e.target });
        continue;
      }
      edges.push({ id: `${node.id}:${e.field}`, source: node.id, ...e });
    }
  }

  const size = layout(nodes, edges);
  return { nodes, edges, dangling, size };
}

function layout(nodes: GraphNode[], edges: GraphEdge[]): FlowGraph["size"] {
  if (!nodes.length) return { width: 0, height: 0 };
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 48, ranksep: 72, edgesep: 24, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const e of edges) {
    // labelled edges get room for their label between the ranks
    g.setEdge(e.source, e.target, e.label ? { width: e.label.length * 7, height: 20, labelpos: "c" } : {}, e.id);
  }
  dagre.layout(g);
  for (const n of nodes) {
    const placed = g.node(n.id);
    // dagre gives centres; the canvas wants top-left corners (rounded so layouts compare exactly)
    n.position = { x: Math.round(placed.x - n.width / 2), y: Math.round(placed.y - n.height / 2) };
  }
  const { width = 0, height = 0 } = g.graph();
  return { width: Math.round(width), height: Math.round(height) };
}
