"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { isApiError } from "@/api/problem";
import { PageHeader } from "@/components/AppShell";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Loading } from "@/components/ui/states";
import { usePermissions } from "@/auth/hooks";
import { definitionOf, draftOf, useFlow, useFlowAction, useFlowVersion, useSaveFlow, type FlowWithTag } from "@/features/flows/api";
import { describeDiff, diffDefinitions } from "@/features/flows/diff";
import { formatDefinition, parseDefinition, type FlowDefinition } from "@/features/flows/definition";
import { FlowBuilder } from "@/features/flows/editor/FlowBuilder";
import { layoutPositions, splitLayout, withLayout, type Positions } from "@/features/flows/editor/model";
import { initialUndo, undoReducer, type UndoAction, type UndoState } from "@/features/flows/editor/undo";
import { pinnedProblem } from "@/features/flows/problems";
import { useSegmentName } from "@/features/flows/segmentNames";
import { allowedFlowActions } from "@/features/flows/status";
import { flowHref } from "@/lib/navigation";
import { useDebounced } from "@/lib/useDebounced";
import { cn, uuid } from "@/lib/utils";

/** What a new flow starts from on the canvas: an event trigger to name and the entry step. */
export const NEW_FLOW: FlowDefinition = {
  trigger: { type: "event", event: "" },
  entry: { concurrency: "PER_CONTACT", reEntry: "NEVER" },
  timeZone: "UTC",
  nodes: [{ type: "entry", id: "start" }],
};

/** How long the draft waits after the last change before it saves itself. */
const AUTOSAVE_MS = 800;

/** `/flows/new/` creates a flow; `/flows/edit/?id=…` edits the draft of one (it saves itself). */
export function FlowEditor() {
  const id = useSearchParams().get("id");
  const flow = useFlow(id);
  const crumb = (
    <Link href="/flows/" className="hover:underline">
      Flows
    </Link>
  );
  if (!id) return <Editor crumb={crumb} />;
  if (flow.isPending) return <Loading label="Loading the flow…" />;
  if (flow.isError)
    return (
      <>
        <PageHeader title="Edit flow" breadcrumb={crumb} />
        <ProblemAlert error={flow.error} title="Could not load the flow" />
      </>
    );
  return <Editor crumb={crumb} existing={flow.data} />;
}

/** The editor's starting point: the definition apart from its layout, and the positions of its nodes. */
function snapshotOf(definition: FlowDefinition) {
  return splitLayout(definition);
}

function Editor({ crumb, existing }: { crumb: React.ReactNode; existing?: FlowWithTag }) {
  const { canWriteCampaigns: canWrite, known } = usePermissions();
  const readOnly = known && !canWrite;
  const flowId = existing?.flow.id;
  const [name, setName] = React.useState(existing?.flow.name ?? "");
  const [state, dispatch] = React.useReducer(undoReducer, undefined, () =>
    initialUndo(snapshotOf(existing ? (draftOf(existing.flow) ?? { nodes: [] }) : NEW_FLOW)),
  );
  const [view, setView] = React.useState<"canvas" | "json">("canvas");
  const segmentName = useSegmentName();
  const definition = state.present.definition;

  const title = existing ? `Edit “${existing.flow.name}”` : "New flow";
  return (
    <>
      <PageHeader
        breadcrumb={crumb}
        title={title}
        description={
          readOnly
            ? "Your role can read flows but not change them."
            : "Drag steps onto the canvas and connect their handles; select a step to set it up. The JSON view shows the definition as Herald's API takes it."
        }
      />
      <div className="space-y-4">
        <Card>
          <CardContent className="flex flex-wrap items-end gap-4 pt-6">
            <Field label="Name" className="min-w-72 flex-1" error={!readOnly && !name.trim() ? "Give the flow a name." : undefined}>
              <Input value={name} maxLength={200} disabled={readOnly} onChange={(e) => setName(e.target.value)} />
            </Field>
            <div role="group" aria-label="Editor view" className="flex gap-1">
              {(["canvas", "json"] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  aria-pressed={view === v}
                  onClick={() => setView(v)}
                  className={cn(
                    "rounded-full border px-3 py-1 text-xs font-medium",
                    view === v ? "border-primary bg-primary text-primary-foreground" : "bg-card hover:bg-muted",
                  )}
                >
                  {v === "canvas" ? "Canvas" : "JSON"}
                </button>
              ))}
            </div>
          </CardContent>
        </Card>
        {existing ? (
          <DraftSaver existing={existing} name={name} state={state} dispatch={dispatch} readOnly={readOnly}>
            {(problem) => <Body view={view} state={state} dispatch={dispatch} readOnly={readOnly} problem={problem} flowId={flowId} segmentName={segmentName} />}
          </DraftSaver>
        ) : (
          <Creator name={name} definition={definition} positions={state.present.positions}>
            {(problem) => <Body view={view} state={state} dispatch={dispatch} readOnly={readOnly} problem={problem} segmentName={segmentName} />}
          </Creator>
        )}
      </div>
    </>
  );
}

type Problem = ReturnType<typeof pinnedProblem>;

function Body({
  view,
  state,
  dispatch,
  readOnly,
  problem,
  flowId,
  segmentName,
}: {
  view: "canvas" | "json";
  state: UndoState;
  dispatch: React.Dispatch<UndoAction>;
  readOnly: boolean;
  problem: Problem;
  flowId?: string;
  segmentName: (id: string) => string | undefined;
}) {
  if (view === "json") return <JsonView state={state} dispatch={dispatch} readOnly={readOnly} />;
  return <FlowBuilder state={state} dispatch={dispatch} readOnly={readOnly} problem={problem} flowId={flowId} segmentName={segmentName} />;
}

/** The definition as JSON: edits that parse replace the canvas's definition (one undo step each). */
function JsonView({ state, dispatch, readOnly }: { state: UndoState; dispatch: React.Dispatch<UndoAction>; readOnly: boolean }) {
  const [text, setText] = React.useState(() => formatDefinition(state.present.definition));
  const parsed = parseDefinition(text);
  return (
    <Field
      label="Definition (JSON)"
      hint="The format of Herald's API (README “Flows”). Changes that parse go to the canvas."
      error={parsed.ok ? undefined : `${parsed.error}${parsed.line ? ` (line ${parsed.line}, column ${parsed.column})` : ""}`}
    >
      <Textarea
        value={text}
        readOnly={readOnly}
        spellCheck={false}
        rows={28}
        className="min-h-[560px] font-mono text-xs leading-5"
        onChange={(e) => {
          setText(e.target.value);
          const p = parseDefinition(e.target.value);
          if (p.ok)
            dispatch({
              type: "change",
              key: "json",
              at: Date.now(),
              update: (s) => ({ definition: p.definition, positions: layoutPositions(p.definition, s.positions) }),
            });
        }}
      />
    </Field>
  );
}

/** A new flow: created (POST) when asked; a refusal is pinned on the node it names. */
function Creator({
  name,
  definition,
  positions,
  children,
}: {
  name: string;
  definition: FlowDefinition;
  positions: Positions;
  children: (problem: Problem) => React.ReactNode;
}) {
  const router = useRouter();
  const save = useSaveFlow();
  const newId = React.useRef(uuid());
  const sent = React.useRef<FlowDefinition | undefined>(undefined);
  const refusal = save.isError ? pinnedProblem(save.error, sent.current) : undefined;
  // the pin stays while the step it names is as it was sent
  const named = (d: FlowDefinition | undefined) => JSON.stringify(d?.nodes?.find((n) => n.id === refusal?.nodeId));
  const problem = refusal && (!refusal.nodeId || named(definition) === named(sent.current)) ? refusal : undefined;
  return (
    <>
      {children(problem)}
      {save.isError ? <ProblemAlert error={save.error} title="The flow was not created" /> : null}
      <div className="flex justify-end gap-2">
        <Button variant="outline" asChild>
          <Link href="/flows/">Cancel</Link>
        </Button>
        <Button
          type="button"
          loading={save.isPending}
          disabled={!name.trim()}
          onClick={() => {
            sent.current = definition;
            // the positions go with the definition, as its layout
            save.mutate(
              { newId: newId.current, name: name.trim(), definition: withLayout(definition, positions) },
              { onSuccess: (answer) => router.push(flowHref(answer.flow.id!)) },
            );
          }}
        >
          Create flow
        </Button>
      </div>
    </>
  );
}

/**
 * The draft of an existing flow saves itself once changes settle (PUT with If-Match). A 412 (changed
 * elsewhere) asks whether to load the other version or overwrite it; a refusal (422/400) is pinned on
 * the node it names and Publish waits for a save that passes.
 */
function DraftSaver({
  existing,
  name,
  state,
  dispatch,
  readOnly,
  children,
}: {
  existing: FlowWithTag;
  name: string;
  state: UndoState;
  dispatch: React.Dispatch<UndoAction>;
  readOnly: boolean;
  children: (problem: Problem) => React.ReactNode;
}) {
  const id = existing.flow.id!;
  const save = useSaveFlow();
  const publish = useFlowAction(id);
  const refetch = useFlow(id).refetch;
  const etag = React.useRef(existing.etag);
  const [conflict, setConflict] = React.useState(false);
  const [published, setPublished] = React.useState<number>();
  // what Herald holds: the draft as opened (with the positions the editor gave nodes the layout lacked, so
  // opening a draft saves nothing)
  const sent = React.useRef<{ body: string; definition?: FlowDefinition }>({
    body: JSON.stringify({ name: (existing.flow.name ?? "").trim(), definition: withLayout(state.present.definition, state.present.positions) }),
  });
  const payload = JSON.stringify({ name: name.trim(), definition: withLayout(state.present.definition, state.present.positions) });
  const settled = useDebounced(payload, AUTOSAVE_MS);
  const dirty = payload !== sent.current.body;

  const send = React.useCallback(
    (body: string) => {
      const { name, definition } = JSON.parse(body) as { name: string; definition: FlowDefinition };
      sent.current = { body, definition };
      setPublished(undefined);
      save.mutate(
        { existingId: id, etag: etag.current, newId: id, name, definition },
        {
          onSuccess: (answer) => {
            etag.current = answer.etag;
          },
          onError: (e) => {
            if (isApiError(e) && e.status === 412) setConflict(true);
          },
        },
      );
    },
    [id, save],
  );

  React.useEffect(() => {
    if (readOnly || conflict || save.isPending || settled !== payload || settled === sent.current.body) return;
    if (!JSON.parse(settled).name) return;
    send(settled);
  }, [settled, payload, readOnly, conflict, save.isPending, send]);

  // leaving with changes not yet sent: they are sent now (the request outlives the page), and a
  // reload or a closed tab is asked about first
  const pending = React.useRef<{ dirty: boolean; blocked: boolean; payload: string; send: (body: string) => void }>(null!);
  pending.current = { dirty, blocked: readOnly || conflict || (save.isError && !dirty) || !name.trim(), payload, send };
  React.useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (pending.current.dirty && !readOnly) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => {
      window.removeEventListener("beforeunload", warn);
      const p = pending.current;
      if (p.dirty && !p.blocked) p.send(p.payload);
    };
  }, [readOnly]);

  async function loadTheirs() {
    const latest = await refetch();
    if (!latest.data) return;
    etag.current = latest.data.etag;
    const theirs = splitLayout(draftOf(latest.data.flow) ?? { nodes: [] });
    sent.current = { body: JSON.stringify({ name: name.trim(), definition: withLayout(theirs.definition, theirs.positions) }) };
    dispatch({ type: "reset", snapshot: theirs });
    save.reset();
    setConflict(false);
  }

  async function overwrite() {
    const latest = await refetch();
    if (!latest.data) return;
    etag.current = latest.data.etag;
    setConflict(false);
    send(payload);
  }

  const refused = save.isError && !conflict;
  const problem = refused ? pinnedProblem(save.error, sent.current.definition) : undefined;
  const flow = existing.flow;
  const canPublish = allowedFlowActions(flow.status, flow.latestVersion ?? 0).includes("publish");
  const liveVersion = useFlowVersion(id, flow.latestVersion || null);
  const changes = React.useMemo(() => {
    const live = flow.latestVersion ? definitionOf(liveVersion.data) : undefined;
    if (flow.latestVersion && !live) return undefined;
    const diff = diffDefinitions(live, state.present.definition);
    const count = diff.added.length + diff.removed.length + diff.changed.length + diff.settings.length;
    return { count, lines: describeDiff(diff, state.present.definition, live) };
  }, [flow.latestVersion, liveVersion.data, state.present.definition]);
  const status = conflict
    ? "Not saved: changed elsewhere"
    : save.isPending
      ? "Saving…"
      : dirty
        ? "Unsaved changes"
        : refused
          ? "Not saved: Herald refused the draft"
          : "All changes saved";

  return (
    <>
      {!readOnly ? (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border bg-card px-4 py-2">
          <p role="status" aria-live="polite" data-testid="save-status" className={cn("text-sm", refused || conflict ? "text-destructive" : "text-muted-foreground")}>
            {status}
          </p>
          <div className="flex flex-wrap items-center gap-2">
            {refused && !dirty ? (
              <Button type="button" variant="outline" size="sm" onClick={() => send(payload)}>
                Try again
              </Button>
            ) : null}
            <Button variant="outline" size="sm" asChild>
              <Link href={flowHref(id)}>Back to the flow</Link>
            </Button>
            {canPublish ? (
              <Button
                type="button"
                size="sm"
                loading={publish.isPending}
                disabled={refused || conflict || dirty || save.isPending}
                title={refused ? "Publish waits for a draft Herald accepts" : undefined}
                onClick={() =>
                  publish.mutate(
                    { action: "publish", etag: etag.current },
                    {
                      onSuccess: (answer) => {
                        etag.current = answer.etag;
                        setPublished(answer.flow.latestVersion);
                      },
                      onError: (e) => {
                        if (isApiError(e) && e.status === 412) setConflict(true);
                      },
                    },
                  )
                }
              >
                Publish
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
      {canPublish && !readOnly && changes && !published ? (
        <details className="rounded-md border bg-card px-4 py-2 text-sm" data-testid="draft-changes">
          <summary className="cursor-pointer">
            {flow.latestVersion
              ? changes.count
                ? `Publishing makes ${changes.count} change${changes.count === 1 ? "" : "s"} against version ${flow.latestVersion}, the live version`
                : `No step changes against version ${flow.latestVersion}, the live version`
              : "Not published yet: publishing makes version 1"}
          </summary>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {changes.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {published ? <Alert tone="success">Published as version {published}.</Alert> : null}
      {publish.isError && !(isApiError(publish.error) && publish.error.status === 412) ? (
        <ProblemAlert error={publish.error} title="The draft was not published" />
      ) : null}
      {conflict ? (
        <Alert tone="warning" title="This draft was changed elsewhere since you opened it">
          <p>Your last changes are not saved. Load the other version (your changes here are dropped), or overwrite it with yours.</p>
          <div className="mt-2 flex gap-2">
            <Button type="button" size="sm" variant="outline" onClick={() => void loadTheirs()}>
              Reload their version
            </Button>
            <Button type="button" size="sm" variant="destructive" onClick={() => void overwrite()}>
              Overwrite with mine
            </Button>
          </div>
        </Alert>
      ) : null}
      {refused ? <ProblemAlert error={save.error} title="The draft was not saved" /> : null}
      {children(problem)}
    </>
  );
}
