"use client";
import * as React from "react";
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Edge,
  type Node,
  type NodeProps,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { cn } from "@/lib/utils";
import type { FlowDefinition } from "./definition";
import { NODE_STYLE } from "./describe";
import { toGraph, type FlowCardData, type GraphEdge } from "./graph";
import { countLines, type NodeCounts } from "./live";


interface LiveCardData extends FlowCardData {
  /** the live counts (live page) */
  counts?: NodeCounts;
  /** on the path of the run shown (journey); `current`: where that run is now */
  onPath?: boolean;
  current?: boolean;
}

type CardNode = Node<LiveCardData, "flowCard">;

function FlowCard({ data }: NodeProps<CardNode>) {
  const counts = countLines(data.counts);
  return (
    <div
      data-testid="flow-node"
      data-node-id={data.node.id}
      data-highlighted={data.highlighted || undefined}
      data-on-path={data.onPath || undefined}
      data-current={data.current || undefined}
      className={cn(
        "h-full w-full overflow-hidden rounded-lg border-2 px-3 py-2 text-left shadow-sm",
        NODE_STYLE[data.kind] ?? "border-slate-300 bg-white",
        data.highlighted && "border-red-500 ring-4 ring-red-300",
        data.onPath && "border-indigo-600 ring-4 ring-indigo-200",
        data.current && "ring-indigo-400",
      )}
    >
      {data.kind !== "entry" ? <Handle type="target" position={Position.Top} isConnectable={false} /> : null}
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-xs font-semibold uppercase tracking-wide text-slate-700">{data.title}</span>
        <span className="truncate font-mono text-[10px] text-slate-500" title={data.node.id}>
          {data.node.id}
        </span>
      </div>
      <ul className="mt-1 space-y-0.5 text-xs leading-[18px] text-slate-900">
        {data.lines.map((line, i) => (
          <li key={i} className="line-clamp-2 break-words">
            {line}
          </li>
        ))}
      </ul>
      {counts.length ? (
        <ul data-testid="node-counts" className="mt-1 border-t border-slate-300/70 pt-1 text-xs font-semibold leading-[18px] tabular-nums text-slate-900">
          {counts.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {data.kind !== "exit" ? <Handle type="source" position={Position.Bottom} isConnectable={false} /> : null}
    </div>
  );
}

const nodeTypes = { flowCard: FlowCard };

const EDGE_COLOR: Record<GraphEdge["kind"], string> = {
  default: "#64748b",
  true: "#059669",
  false: "#dc2626",
  timeout: "#d97706",
  split: "#7c3aed",
};

function toFlowEdge(e: GraphEdge, count?: number, onPath?: boolean): Edge {
  const color = onPath ? "#4f46e5" : EDGE_COLOR[e.kind];
  const label = count === undefined ? e.label : `${e.label ? `${e.label} · ` : ""}${count} run${count === 1 ? "" : "s"}`;
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    type: "smoothstep",
    label,
    labelStyle: { fill: color, fontWeight: 600, fontSize: 11 },
    labelBgStyle: { fill: "#ffffff" },
    labelBgPadding: [4, 2],
    style: { stroke: color, strokeWidth: onPath ? 3 : 1.5, strokeDasharray: e.kind === "timeout" ? "5 4" : undefined },
    markerEnd: { type: MarkerType.ArrowClosed, color },
    focusable: false,
  };
}

/**
 * A flow's graph, read-only: pan and zoom, cards laid out top to bottom. `highlight` marks the node
 * a validation error names. A list of the steps follows for screen readers.
 */
export function FlowCanvas({
  definition,
  highlight,
  segmentName,
  label = "Flow graph",
  className,
  counts,
  edgeCounts,
  path,
}: {
  definition: FlowDefinition | undefined;
  highlight?: string;
  segmentName?: (id: string) => string | undefined;
  label?: string;
  className?: string;
  /** live counts per node id (the live page): shown on each card */
  counts?: Record<string, NodeCounts>;
  /** runs per edge (`source:field`): shown on each edge's label */
  edgeCounts?: Record<string, number>;
  /** one run's path (a contact's journey): its nodes and edges are marked */
  path?: { nodes: string[]; edges: string[]; current?: string };
}) {
  const live = !!counts;
  const graph = React.useMemo(
    () => toGraph(definition, { highlight, segmentName, extraHeight: live ? 44 : 0 }),
    [definition, highlight, segmentName, live],
  );
  const nodes = React.useMemo<CardNode[]>(
    () =>
      graph.nodes.map((n) => ({
        id: n.id,
        type: "flowCard",
        position: n.position,
        width: n.width,
        height: n.height,
        data: {
          ...n.data,
          counts: counts?.[n.id],
          onPath: path?.nodes.includes(n.id),
          current: path?.current === n.id,
        },
        draggable: false,
        connectable: false,
        selectable: false,
      })),
    [graph, counts, path],
  );
  const edges = React.useMemo(
    () => graph.edges.map((e) => toFlowEdge(e, edgeCounts ? (edgeCounts[e.id] ?? 0) : undefined, path?.edges.includes(e.id))),
    [graph, edgeCounts, path],
  );
  // a new shape is fitted into view again
  const shape = graph.nodes.map((n) => n.id).join(",");
  // tall enough to show the graph at full size when it fits on a screen
  const height = Math.min(880, Math.max(320, graph.size.height + 48));

  return (
    <div className={cn("relative w-full overflow-hidden rounded-md border bg-card", className)} style={{ height }}>
      <div role="group" aria-label={`${label}: ${graph.nodes.length} steps`} className="h-full w-full" data-testid="flow-canvas">
        {graph.nodes.length ? (
          <ReactFlow
            key={shape}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            fitView
            fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
            minZoom={0.2}
            maxZoom={1.5}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={16} />
            <Controls showInteractive={false} />
          </ReactFlow>
        ) : (
          <p className="flex h-full items-center justify-center text-sm text-muted-foreground">No nodes to draw.</p>
        )}
      </div>
      <ol className="sr-only" aria-label={`${label}, step by step`}>
        {graph.nodes.map((n) => (
          <li key={n.id}>
            {n.data.title} “{n.id}”: {n.data.lines.join("; ")}.
            {counts ? ` ${countLines(counts[n.id]).join("; ")}.` : ""}
            {path?.nodes.includes(n.id) ? (path.current === n.id ? " The run is here now." : " On the run's path.") : ""}
            {graph.edges
              .filter((e) => e.source === n.id)
              .map((e) => ` ${e.label ? `${e.label}: ` : "Then "}“${e.target}”${edgeCounts ? ` (${edgeCounts[e.id] ?? 0} run${edgeCounts[e.id] === 1 ? "" : "s"})` : ""}.`)
              .join("")}
          </li>
        ))}
      </ol>
    </div>
  );
}
