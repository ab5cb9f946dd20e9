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


type CardNode = Node<FlowCardData, "flowCard">;

function FlowCard({ data }: NodeProps<CardNode>) {
  return (
    <div
      data-testid="flow-node"
      data-node-id={data.node.id}
      data-highlighted={data.highlighted || undefined}
      className={cn(
        "h-full w-full overflow-hidden rounded-lg border-2 px-3 py-2 text-left shadow-sm",
        NODE_STYLE[data.kind] ?? "border-slate-300 bg-white",
        data.highlighted && "border-red-500 ring-4 ring-red-300",
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

function toFlowEdge(e: GraphEdge): Edge {
  const color = EDGE_COLOR[e.kind];
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    type: "smoothstep",
    label: e.label,
    labelStyle: { fill: color, fontWeight: 600, fontSize: 11 },
    labelBgStyle: { fill: "#ffffff" },
    labelBgPadding: [4, 2],
    style: { stroke: color, strokeWidth: 1.5, strokeDasharray: e.kind === "timeout" ? "5 4" : undefined },
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
}: {
  definition: FlowDefinition | undefined;
  highlight?: string;
  segmentName?: (id: string) => string | undefined;
  label?: string;
  className?: string;
}) {
  const graph = React.useMemo(() => toGraph(definition, { highlight, segmentName }), [definition, highlight, segmentName]);
  const nodes = React.useMemo<CardNode[]>(
    () =>
      graph.nodes.map((n) => ({
        id: n.id,
        type: "flowCard",
        position: n.position,
        width: n.width,
        height: n.height,
        data: n.data,
        draggable: false,
        connectable: false,
        selectable: false,
      })),
    [graph],
  );
  const edges = React.useMemo(() => graph.edges.map(toFlowEdge), [graph]);
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
            {graph.edges
              .filter((e) => e.source === n.id)
              .map((e) => ` ${e.label ? `${e.label}: ` : "Then "}“${e.target}”.`)
              .join("")}
          </li>
        ))}
      </ol>
    </div>
  );
}
