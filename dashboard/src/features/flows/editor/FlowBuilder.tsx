"use client";
import * as React from "react";
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  useUpdateNodeInternals,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
  type NodeProps,
  type EdgeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import { NODE_TYPES, type FlowDefinition, type FlowNode, type FlowNodeType } from "../definition";
import { describeNode, NODE_LABEL, NODE_STYLE } from "../describe";
import { CARD_WIDTH, cardHeight } from "../graph";
import { FlowSettingsForm, NodeForm, type FieldProblem } from "./forms";
import {
  addNode,
  connect,
  disconnect,
  edgesOf,
  layoutPositions,
  mapNode,
  newNode,
  newNodeId,
  outFields,
  removeNodes,
  targetOf,
  type OutField,
  type Positions,
} from "./model";
import type { Snapshot, UndoAction, UndoState } from "./undo";

/** A refusal of the last save, pinned on the node (and field) it names. */
export interface PinnedProblem {
  nodeId?: string;
  field?: string;
  message: string;
}


const HANDLE_COLOR: Record<OutField["kind"], string> = {
  default: "#64748b",
  true: "#059669",
  false: "#dc2626",
  timeout: "#d97706",
  split: "#7c3aed",
};

interface CardData extends Record<string, unknown> {
  node: FlowNode;
  lines: string[];
  fields: OutField[];
  problem?: string;
  readOnly: boolean;
}

type CardNode = Node<CardData, "card">;

const HANDLE_ROW = 22;

function Card({ data, selected }: NodeProps<CardNode>) {
  const { node, fields } = data;
  // handles come and go with a split's paths: the canvas measures them again
  const updateInternals = useUpdateNodeInternals();
  const handles = fields.map((f) => f.field).join(",");
  React.useEffect(() => updateInternals(node.id), [handles, node.id, updateInternals]);
  return (
    <div
      data-testid="flow-node"
      data-node-id={node.id}
      data-highlighted={data.problem ? true : undefined}
      className={cn(
        "relative h-full w-full rounded-lg border-2 px-3 pt-2 text-left shadow-sm",
        NODE_STYLE[node.type] ?? "border-slate-300 bg-white",
        selected && "ring-4 ring-blue-300",
        data.problem && "border-red-500 ring-4 ring-red-300",
      )}
    >
      {node.type !== "entry" ? (
        <Handle type="target" position={Position.Top} isConnectable={!data.readOnly} data-testid={`target-${node.id}`} className="!h-3 !w-3" />
      ) : null}
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-xs font-semibold uppercase tracking-wide text-slate-700">{NODE_LABEL[node.type] ?? node.type}</span>
        <span className="truncate font-mono text-[10px] text-slate-500" title={node.id}>
          {node.id}
        </span>
      </div>
      <ul className="mt-1 space-y-0.5 overflow-hidden text-xs leading-[18px] text-slate-900">
        {data.lines.map((line, i) => (
          <li key={i} className="line-clamp-2 break-words">
            {line}
          </li>
        ))}
      </ul>
      {data.problem ? (
        <p role="note" className="mt-1 line-clamp-2 text-[11px] font-medium text-red-700">
          {data.problem}
        </p>
      ) : null}
      {fields.map((f, i) => {
        const left = `${((i + 1) / (fields.length + 1)) * 100}%`;
        return (
          <React.Fragment key={f.field}>
            <span
              aria-hidden
              className="pointer-events-none absolute bottom-2 -translate-x-1/2 rounded bg-white/80 px-1 text-[10px] font-semibold"
              style={{ left, color: HANDLE_COLOR[f.kind] }}
            >
              {f.label}
            </span>
            <Handle
              type="source"
              id={f.field}
              position={Position.Bottom}
              isConnectable={!data.readOnly}
              data-testid={`handle-${node.id}-${f.field}`}
              title={`${f.label}: drag to the next step`}
              className="!h-3 !w-3"
              style={{ left, background: HANDLE_COLOR[f.kind] }}
            />
          </React.Fragment>
        );
      })}
    </div>
  );
}

const nodeTypes = { card: Card };

function edgeLabel(node: FlowNode | undefined, field: OutField | undefined): string | undefined {
  if (!node || !field) return undefined;
  if (node.type === "split") {
    const i = Number(/\d+/.exec(field.field)?.[0]);
    return `${field.label} · ${node.paths?.[i]?.percent ?? "?"} %`;
  }
  return field.field === "next" && node.type !== "wait_for_event" ? undefined : field.label;
}

export interface FlowBuilderProps {
  state: UndoState;
  dispatch: React.Dispatch<UndoAction>;
  readOnly?: boolean;
  problem?: PinnedProblem;
  flowId?: string;
  segmentName?: (id: string) => string | undefined;
}

/** The drag-and-drop editor of a flow's definition (the state lives with the screen: see useFlowDraft). */
export function FlowBuilder(props: FlowBuilderProps) {
  return (
    <ReactFlowProvider>
      <Builder {...props} />
    </ReactFlowProvider>
  );
}

const DRAG_TYPE = "application/x-herald-flow-node";

function Builder({ state, dispatch, readOnly = false, problem, flowId, segmentName }: FlowBuilderProps) {
  const flow = useReactFlow();
  const { definition, positions } = state.present;
  const [selected, setSelected] = React.useState<{ nodes: string[]; edges: string[] }>({ nodes: [], edges: [] });
  const wrapper = React.useRef<HTMLDivElement>(null);
  const panelHeading = React.useRef<HTMLHeadingElement>(null);

  const change = React.useCallback((update: (s: Snapshot) => Snapshot) => dispatch({ type: "change", update }), [dispatch]);
  const changeDefinition = React.useCallback(
    (update: (d: FlowDefinition) => FlowDefinition) => change((s) => ({ ...s, definition: update(s.definition) })),
    [change],
  );

  // nodes the canvas draws, reused while their inputs stay the same (a drag redraws one card, not 200)
  const cache = React.useRef(new Map<string, { key: unknown[]; node: CardNode }>());
  const nodes = React.useMemo<CardNode[]>(() => {
    const next = new Map<string, { key: unknown[]; node: CardNode }>();
    const list = (definition.nodes ?? []).map((n) => {
      const position = positions[n.id] ?? { x: 0, y: 0 };
      const isSelected = selected.nodes.includes(n.id);
      const message = problem?.nodeId === n.id ? problem.message : undefined;
      const key = [n, position, isSelected, message, readOnly, n.type === "entry" ? definition.trigger : undefined];
      const old = cache.current.get(n.id);
      if (old && old.key.every((v, i) => v === key[i])) {
        next.set(n.id, old);
        return old.node;
      }
      const lines = describeNode(n, definition.trigger, segmentName);
      const fields = outFields(n);
      const node: CardNode = {
        id: n.id,
        type: "card",
        position,
        width: CARD_WIDTH,
        height: cardHeight(lines) + (fields.length ? HANDLE_ROW : 0) + (message ? 30 : 0),
        selected: isSelected,
        draggable: !readOnly,
        connectable: !readOnly,
        deletable: !readOnly,
        data: { node: n, lines, fields, problem: message, readOnly },
      };
      next.set(n.id, { key, node });
      return node;
    });
    cache.current = next;
    return list;
  }, [definition, positions, selected.nodes, problem, readOnly, segmentName]);

  const edges = React.useMemo<Edge[]>(() => {
    const byId = new Map((definition.nodes ?? []).map((n) => [n.id, n]));
    return edgesOf(definition).map((e) => {
      const source = byId.get(e.source);
      const field = source ? outFields(source).find((f) => f.field === e.field) : undefined;
      const color = HANDLE_COLOR[field?.kind ?? "default"];
      const label = edgeLabel(source, field);
      return {
        id: e.id,
        source: e.source,
        target: e.target,
        sourceHandle: e.field,
        type: "smoothstep",
        label,
        selected: selected.edges.includes(e.id),
        deletable: !readOnly,
        labelStyle: { fill: color, fontWeight: 600, fontSize: 11 },
        labelBgStyle: { fill: "#ffffff" },
        labelBgPadding: [4, 2] as [number, number],
        style: { stroke: color, strokeWidth: selected.edges.includes(e.id) ? 3 : 1.5, strokeDasharray: field?.kind === "timeout" ? "5 4" : undefined },
        markerEnd: { type: MarkerType.ArrowClosed, color },
        data: { field: e.field },
      };
    });
  }, [definition, selected.edges, readOnly]);

  const dragging = React.useRef(false);
  const onNodesChange = React.useCallback(
    (changes: NodeChange<CardNode>[]) => {
      applySelection(changes);
      const moves = changes.filter((c) => c.type === "position" && c.position);
      if (!moves.length || readOnly) return;
      const update = (s: Snapshot): Snapshot => {
        const next: Positions = { ...s.positions };
        for (const c of moves) if (c.type === "position" && c.position) next[c.id] = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
        return { ...s, positions: next };
      };
      if (!dragging.current) {
        // a move without a drag (the keyboard's arrows): a step of its own
        dispatch({ type: "change", update });
        return;
      }
      dispatch({ type: "amend", update });
    },
    [dispatch, readOnly],
  );

  // selection is held here (the canvas is controlled): its select changes say what was clicked
  function applySelection(changes: (NodeChange<CardNode> | EdgeChange)[], kind: "nodes" | "edges" = "nodes") {
    const picks = changes.filter((c): c is Extract<typeof c, { type: "select" }> => c.type === "select");
    if (!picks.length) return;
    setSelected((old) => {
      const set = new Set(old[kind]);
      for (const c of picks) {
        if (c.selected) set.add(c.id);
        else set.delete(c.id);
      }
      const next = { ...old, [kind]: [...set] };
      return JSON.stringify(old) === JSON.stringify(next) ? old : next;
    });
  }

  const onConnect = React.useCallback(
    (c: Connection) => {
      if (readOnly || !c.source || !c.target || !c.sourceHandle) return;
      changeDefinition((d) => connect(d, c.source, c.sourceHandle!, c.target));
    },
    [changeDefinition, readOnly],
  );

  const deleteSelection = React.useCallback(
    (nodeIds: string[], edgeIds: string[]) => {
      if (readOnly || (!nodeIds.length && !edgeIds.length)) return;
      const cut = edgesOf(definition).filter((e) => edgeIds.includes(e.id));
      change((s) => {
        let d = s.definition;
        for (const e of cut) d = disconnect(d, e.source, e.field);
        d = removeNodes(d, nodeIds);
        const positions = { ...s.positions };
        for (const id of nodeIds) delete positions[id];
        return { definition: d, positions };
      });
      setSelected({ nodes: [], edges: [] });
    },
    [change, definition, readOnly],
  );

  const add = React.useCallback(
    (type: FlowNodeType, at?: { x: number; y: number }) => {
      if (readOnly) return;
      const id = newNodeId(definition, type);
      const next = addNode(definition, newNode(type, id));
      if (next === definition) return;
      let position = at;
      if (!position) {
        // the middle of what the canvas shows, a little apart from the last node added there
        const box = wrapper.current?.querySelector(".react-flow")?.getBoundingClientRect();
        const centre = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
        const offset = ((definition.nodes?.length ?? 0) % 5) * 24;
        position = { x: Math.round(centre.x - CARD_WIDTH / 2 + offset), y: Math.round(centre.y - 40 + offset) };
      }
      change((s) => ({ definition: addNode(s.definition, newNode(type, id)), positions: { ...s.positions, [id]: position } }));
      setSelected({ nodes: [id], edges: [] });
      // added with the keyboard (not dropped): its form is where one goes on
      if (!at) requestAnimationFrame(() => panelHeading.current?.focus());
    },
    [change, definition, flow, readOnly],
  );

  const onDrop = React.useCallback(
    (e: React.DragEvent) => {
      const type = e.dataTransfer.getData(DRAG_TYPE) as FlowNodeType;
      if (!type || !NODE_TYPES.includes(type)) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      add(type, { x: Math.round(p.x - CARD_WIDTH / 2), y: Math.round(p.y - 20) });
    },
    [add, flow],
  );

  function autoLayout() {
    change((s) => ({ ...s, positions: layoutPositions(s.definition) }));
    requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1 }));
  }

  // Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) anywhere on the page but in a text field, which keeps its own undo
  React.useEffect(() => {
    if (readOnly) return;
    const onKeyDown = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest?.("input, textarea, select, [contenteditable=true]")) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "z") {
        e.preventDefault();
        dispatch({ type: e.shiftKey ? "redo" : "undo" });
      } else if (mod && e.key.toLowerCase() === "y") {
        e.preventDefault();
        dispatch({ type: "redo" });
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [dispatch, readOnly]);

  const selectedNode = selected.nodes.length === 1 ? definition.nodes?.find((n) => n.id === selected.nodes[0]) : undefined;
  const hasEntry = (definition.nodes ?? []).some((n) => n.type === "entry");
  const nodeProblem: FieldProblem | undefined =
    problem && selectedNode && problem.nodeId === selectedNode.id ? { field: problem.field, message: problem.message } : undefined;

  return (
    <div ref={wrapper} className="grid gap-4 lg:grid-cols-[11rem_minmax(0,1fr)_20rem]">
      <div role="group" aria-label="Steps to add" className="space-y-1.5">
        <p className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">Add a step</p>
        {readOnly ? (
          <p className="text-xs text-muted-foreground">Read-only.</p>
        ) : (
          NODE_TYPES.map((type) => (
            <button
              key={type}
              type="button"
              draggable
              data-testid={`palette-${type}`}
              disabled={type === "entry" && hasEntry}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_TYPE, type);
                e.dataTransfer.effectAllowed = "move";
              }}
              onClick={() => add(type)}
              title="Drag onto the canvas, or press to add it in the middle"
              className={cn(
                "flex w-full cursor-grab items-center rounded-md border-2 px-2 py-1.5 text-left text-xs font-medium disabled:cursor-not-allowed disabled:opacity-40",
                NODE_STYLE[type],
              )}
            >
              Add {NODE_LABEL[type]}
            </button>
          ))
        )}
      </div>

      <div className="min-w-0 space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <Button type="button" variant="outline" size="sm" disabled={readOnly || !state.past.length} onClick={() => dispatch({ type: "undo" })} title="Ctrl+Z">
            Undo
          </Button>
          <Button
            type="button"
            variant="outline"
            size="sm"
            disabled={readOnly || !state.future.length}
            onClick={() => dispatch({ type: "redo" })}
            title="Ctrl+Shift+Z"
          >
            Redo
          </Button>
          <Button type="button" variant="outline" size="sm" disabled={readOnly} onClick={autoLayout}>
            Auto-layout
          </Button>
          <Button type="button" variant="outline" size="sm" onClick={() => void flow.fitView({ padding: 0.15, maxZoom: 1 })}>
            Fit to view
          </Button>
          {!readOnly ? (
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={!selected.nodes.length && !selected.edges.length}
              onClick={() => deleteSelection(selected.nodes, selected.edges)}
              title="Delete or Backspace"
            >
              Delete selected
            </Button>
          ) : null}
        </div>
        <div
          role="group"
          aria-label={`Flow editor canvas: ${definition.nodes?.length ?? 0} step${definition.nodes?.length === 1 ? "" : "s"}`}
          data-testid="flow-editor-canvas"
          className="h-[640px] w-full overflow-hidden rounded-md border bg-card"
          onDragOver={(e) => {
            if (readOnly) return;
            e.preventDefault();
            e.dataTransfer.dropEffect = "move";
          }}
          onDrop={onDrop}
        >
          <ReactFlow<CardNode>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onNodeDragStart={() => {
              dragging.current = true;
              dispatch({ type: "checkpoint" });
            }}
            onNodeDragStop={() => {
              dragging.current = false;
            }}
            onEdgesChange={(changes) => applySelection(changes, "edges")}
            onConnect={onConnect}
            onDelete={({ nodes, edges }) => deleteSelection(nodes.map((n) => n.id), edges.map((e) => e.id))}
            deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            elementsSelectable
            fitView
            fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
            minZoom={0.1}
            maxZoom={1.5}
            onlyRenderVisibleElements={(definition.nodes?.length ?? 0) > 80}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={16} />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable ariaLabel="Overview of the flow" style={{ width: 140, height: 96 }} />
            <ReadyMark count={definition.nodes?.length ?? 0} />
          </ReactFlow>
        </div>
        <p className="text-xs text-muted-foreground">
          Drag a step from the list onto the canvas (or press it), drag from a labelled handle at the bottom of a card to the top of the next one, select
          and press Delete to remove. Ctrl+Z undoes, Ctrl+Shift+Z redoes. Without a pointer: add steps with the buttons, edit and connect
          them from the list below and the side panel.
        </p>
        <StepList
          definition={definition}
          selected={selected.nodes}
          readOnly={readOnly}
          onEdit={(id) => {
            setSelected({ nodes: id ? [id] : [], edges: [] });
            requestAnimationFrame(() => panelHeading.current?.focus());
          }}
          onDelete={(id) => deleteSelection([id], [])}
        />
      </div>

      <aside aria-label={selectedNode ? `Step “${selectedNode.id}”` : "Flow settings"} className="min-w-0 space-y-3 rounded-md border bg-card p-4">
        <h2 ref={panelHeading} tabIndex={-1} className="text-sm font-semibold outline-none focus-visible:ring-2 focus-visible:ring-ring">
          {selectedNode ? (
            <>
              {NODE_LABEL[selectedNode.type]} <code className="font-mono text-xs text-muted-foreground">{selectedNode.id}</code>
            </>
          ) : (
            "Trigger and entry"
          )}
        </h2>
        {problem?.nodeId && problem.nodeId !== selectedNode?.id ? (
          <p className="text-xs text-destructive">
            Herald refused the step <code className="font-mono">{problem.nodeId}</code>
            {problem.field ? ` (${problem.field})` : ""}.{" "}
            <button type="button" className="underline" onClick={() => setSelected({ nodes: [problem.nodeId!], edges: [] })}>
              Show it
            </button>
          </p>
        ) : null}
        {nodeProblem && !nodeProblem.field ? <p className="text-xs font-medium text-destructive">{nodeProblem.message}</p> : null}
        <fieldset disabled={readOnly} className="space-y-3">
          {selectedNode ? (
            <>
              <NodeForm
                key={selectedNode.id}
                node={selectedNode}
                problem={nodeProblem}
                onChange={(n) =>
                  dispatch({
                    type: "change",
                    key: `node:${selectedNode.id}`,
                    at: Date.now(),
                    update: (s) => ({ ...s, definition: mapNode(s.definition, selectedNode.id, () => n) }),
                  })
                }
              />
              <Connections node={selectedNode} definition={definition} problem={nodeProblem} onChange={changeDefinition} />
            </>
          ) : (
            <FlowSettingsForm
              definition={definition}
              flowId={flowId}
              onChange={(update) => dispatch({ type: "change", key: "settings", at: Date.now(), update: (s) => ({ ...s, definition: update(s.definition) }) })}
              problem={problem && !problem.nodeId ? { field: problem.field, message: problem.message } : undefined}
            />
          )}
        </fieldset>
      </aside>
    </div>
  );
}

/**
 * Where each outgoing field of the selected step leads, as selects: the keyboard's way to connect
 * (the canvas's handles need a pointer). The same change as drawing or deleting an edge.
 */
function Connections({
  node,
  definition,
  problem,
  onChange,
}: {
  node: FlowNode;
  definition: FlowDefinition;
  problem?: FieldProblem;
  onChange: (update: (d: FlowDefinition) => FlowDefinition) => void;
}) {
  const fields = outFields(node);
  if (!fields.length) return null;
  const others = (definition.nodes ?? []).filter((n) => n.id !== node.id && n.type !== "entry");
  return (
    <fieldset className="space-y-2 border-t pt-3">
      <legend className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">Leads to</legend>
      {fields.map((f) => {
        const target = targetOf(node, f.field) ?? "";
        const error = problem?.field === f.field || problem?.field?.startsWith(`${f.field}.`) ? problem.message : undefined;
        return (
          <Field key={f.field} label={`Then (${f.label})`} error={error}>
            <NativeSelect
              value={target}
              onChange={(e) =>
                onChange((d) => (e.target.value ? connect(d, node.id, f.field, e.target.value) : disconnect(d, node.id, f.field)))
              }
            >
              <option value="">Nowhere yet</option>
              {others.map((n) => (
                <option key={n.id} value={n.id}>
                  {NODE_LABEL[n.type] ?? n.type} “{n.id}”
                </option>
              ))}
              {target && !others.some((n) => n.id === target) ? <option value={target}>{target} (missing)</option> : null}
            </NativeSelect>
          </Field>
        );
      })}
    </fieldset>
  );
}

/**
 * Marks (performance.mark) when the canvas first shows its nodes, and measures the time from the
 * page's start: `herald:flow-editor-open` (the end-to-end run prints it for a 200-node flow).
 */
function ReadyMark({ count }: { count: number }) {
  const initialized = useNodesInitialized();
  const done = React.useRef(false);
  React.useEffect(() => {
    if (done.current || (!initialized && count > 0)) return;
    done.current = true;
    requestAnimationFrame(() => {
      if (typeof performance === "undefined" || !performance.mark) return;
      performance.mark("herald:flow-editor-ready", { detail: { nodes: count } });
      performance.measure("herald:flow-editor-open", { start: 0, end: "herald:flow-editor-ready", detail: { nodes: count } });
    });
  }, [initialized, count]);
  return null;
}

/**
 * The graph as a list, for keyboard and screen-reader users: each step with its settings and where each of its
 * outgoing fields leads; “Edit” opens its form (and its connections) in the side panel, “Delete” removes it.
 */
function StepList({
  definition,
  selected,
  readOnly,
  onEdit,
  onDelete,
}: {
  definition: FlowDefinition;
  selected: string[];
  readOnly: boolean;
  onEdit: (id: string | null) => void;
  onDelete: (id: string) => void;
}) {
  const nodes = definition.nodes ?? [];
  return (
    <section aria-labelledby="flow-step-list" className="rounded-md border bg-card p-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="flow-step-list" className="text-sm font-semibold">
          Steps as a list ({nodes.length})
        </h2>
        <Button type="button" variant="outline" size="sm" onClick={() => onEdit(null)}>
          Edit the trigger and entry
        </Button>
      </div>
      <ol className="mt-2 divide-y text-sm" aria-label="Steps of the flow">
        {nodes.map((node) => {
          const label = `${NODE_LABEL[node.type] ?? node.type} “${node.id}”`;
          const leads = outFields(node).map((f) => {
            const target = targetOf(node, f.field);
            return `${f.label}: ${target ? `“${target}”` : "nowhere yet"}`;
          });
          return (
            <li key={node.id} className="flex flex-wrap items-start justify-between gap-2 py-2" data-step-id={node.id}>
              <div className="min-w-0">
                <p className="font-medium">{label}</p>
                <p className="text-xs text-muted-foreground">{describeNode(node, definition.trigger).join("; ")}</p>
                {leads.length ? <p className="text-xs">Leads to {leads.join(", ")}</p> : null}
              </div>
              <div className="flex gap-1">
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  aria-pressed={selected.includes(node.id)}
                  aria-label={`Edit ${label}`}
                  onClick={() => onEdit(node.id)}
                >
                  {readOnly ? "Show" : "Edit"}
                </Button>
                {!readOnly && node.type !== "entry" ? (
                  <Button type="button" variant="outline" size="sm" aria-label={`Delete ${label}`} onClick={() => onDelete(node.id)}>
                    Delete
                  </Button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
