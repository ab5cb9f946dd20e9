"use client";
import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { isApiError } from "@/api/problem";
import { PageHeader } from "@/components/AppShell";
import { HistoryItem } from "@/components/HistoryItem";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, Loading } from "@/components/ui/states";
import { usePermissions } from "@/auth/hooks";
import { useActorName } from "@/features/campaigns/actors";
import {
  definitionOf,
  draftOf,
  useFlow,
  useFlowAction,
  useFlowHistory,
  useFlowVersion,
  useMoveRuns,
  type FlowAction,
  type FlowWithTag,
} from "@/features/flows/api";
import type { FlowDefinition } from "@/features/flows/definition";
import { describeTrigger } from "@/features/flows/describe";
import { describeDiff, diffDefinitions, isEmptyDiff } from "@/features/flows/diff";
import { FlowCanvas } from "@/features/flows/FlowCanvas";
import { flowEventSummary, flowEventTitle } from "@/features/flows/history";
import { problemNodeId } from "@/features/flows/problems";
import { useSegmentName } from "@/features/flows/segmentNames";
import { allowedFlowActions } from "@/features/flows/status";
import { FlowStatusBadge } from "@/features/flows/StatusBadge";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/input";
import { flowEditHref, flowLiveHref } from "@/lib/navigation";
import { cn, formatDateTime } from "@/lib/utils";

export function FlowDetail() {
  const params = useSearchParams();
  const id = params.get("id");
  const requested = Number.parseInt(params.get("version") ?? "", 10);
  const flow = useFlow(id);
  const crumb = (
    <Link href="/flows/" className="hover:underline">
      Flows
    </Link>
  );
  if (!id) return <Alert tone="error">No flow was named in the address.</Alert>;
  if (flow.isPending) return <Loading label="Loading the flow…" />;
  if (flow.isError)
    return (
      <>
        <PageHeader title="Flow" breadcrumb={crumb} />
        <ProblemAlert error={flow.error} title="Could not load the flow" />
      </>
    );
  return <FlowPage data={flow.data} version={Number.isFinite(requested) && requested > 0 ? requested : null} crumb={crumb} />;
}

function FlowPage({ data, version, crumb }: { data: FlowWithTag; version: number | null; crumb: React.ReactNode }) {
  const f = data.flow;
  const router = useRouter();
  const pathname = usePathname();
  const [highlight, setHighlight] = React.useState<string | undefined>();
  const published = useFlowVersion(f.id!, version);
  const segmentName = useSegmentName();
  const versions = f.versions ?? [];

  function show(v: number | null) {
    const search = new URLSearchParams({ id: f.id! });
    if (v) search.set("version", String(v));
    router.replace(`${pathname}?${search}`, { scroll: false });
  }

  const definition: FlowDefinition | undefined = version ? definitionOf(published.data) : draftOf(f);

  return (
    <>
      <PageHeader
        breadcrumb={crumb}
        title={
          <span className="flex flex-wrap items-center gap-3">
            {f.name}
            <FlowStatusBadge status={f.status} />
          </span>
        }
        description={
          <>
            {f.latestVersion ? `Version ${f.latestVersion} published` : "Not published yet"} · created {formatDateTime(f.createdAt)} · last
            change {formatDateTime(f.updatedAt)}
          </>
        }
        actions={
          <div className="flex flex-col items-end gap-2">
            {f.latestVersion ? (
              <Button variant="outline" asChild>
                <Link href={flowLiveHref(f.id!)}>Live view and journeys</Link>
              </Button>
            ) : null}
            <FlowActions
              data={data}
              onProblemNode={(node) => {
                setHighlight(node);
                if (node) show(null); // the problem is in the draft
              }}
            />
          </div>
        }
      />

      <Card>
        <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-3">
          <div>
            <CardTitle>{version ? `Version ${version}` : "Draft"}</CardTitle>
            <p className="text-sm text-muted-foreground">
              {version
                ? published.data
                  ? `Published ${formatDateTime(published.data.publishedAt)}; published versions never change.`
                  : "Loading…"
                : "The definition being edited; publishing makes it the next version."}
            </p>
          </div>
          <div role="group" aria-label="Show the draft or a published version" className="flex flex-wrap gap-1">
            <VersionButton on={!version} onClick={() => show(null)}>
              Draft
            </VersionButton>
            {[...versions]
              .sort((a, b) => (a.version ?? 0) - (b.version ?? 0))
              .map((v) => (
                <VersionButton key={v.version} on={version === v.version} onClick={() => show(v.version ?? null)}>
                  v{v.version}
                </VersionButton>
              ))}
          </div>
        </CardHeader>
        <CardContent className="space-y-3">
          {version && published.isError ? <ProblemAlert error={published.error} title={`Could not load version ${version}`} /> : null}
          {version && published.isPending ? (
            <Loading label={`Loading version ${version}…`} />
          ) : (
            <FlowCanvas
              definition={definition}
              highlight={version ? undefined : highlight}
              segmentName={segmentName}
              label={version ? `Version ${version} of the flow` : "Draft of the flow"}
            />
          )}
          <p className="text-xs text-muted-foreground">
            Read-only canvas: drag to pan, scroll or use the buttons to zoom. “Edit draft” opens the drag-and-drop editor.
          </p>
        </CardContent>
      </Card>

      <div className="mt-6 grid gap-6 lg:grid-cols-[1fr_1.2fr]">
        <div className="space-y-6">
          <Settings definition={definition} segmentName={segmentName} />
          <Versions data={data} />
        </div>
        <History id={f.id!} />
      </div>
    </>
  );
}

function VersionButton({ on, onClick, children }: { on: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={onClick}
      className={cn(
        "rounded-full border px-3 py-1 text-xs font-medium transition-colors",
        on ? "border-primary bg-primary text-primary-foreground" : "bg-card hover:bg-muted",
      )}
    >
      {children}
    </button>
  );
}

const ACTION_LABEL: Record<FlowAction, string> = {
  publish: "Publish",
  activate: "Activate",
  pause: "Pause",
  resume: "Resume",
  archive: "Archive",
  stop: "Stop",
};

function FlowActions({ data, onProblemNode }: { data: FlowWithTag; onProblemNode: (nodeId: string | undefined) => void }) {
  const { canWriteCampaigns: canWrite } = usePermissions();
  const f = data.flow;
  const mutation = useFlowAction(f.id!);
  const refetch = useFlow(f.id!).refetch;
  const latest = useFlowVersion(f.id!, f.latestVersion || null);
  const [confirm, setConfirm] = React.useState<"archive" | "stop" | "publish" | null>(null);
  // publishing a draft unchanged since the latest version makes nothing new: no button then
  const unchanged =
    !!latest.data && latest.data.name === f.name && JSON.stringify(latest.data.definition) === JSON.stringify(f.draft);
  const allowed = allowedFlowActions(f.status, f.latestVersion ?? 0).filter((a) => a !== "publish" || !unchanged);
  if (!canWrite || allowed.length === 0) return null;

  function run(action: FlowAction) {
    onProblemNode(undefined);
    mutation.mutate(
      { action, etag: data.etag },
      {
        onSettled: () => setConfirm(null),
        onError: (e) => onProblemNode(problemNodeId(e, draftOf(f))),
      },
    );
  }
  const busy = (a: FlowAction) => mutation.isPending && mutation.variables?.action === a;
  const stale = isApiError(mutation.error) && mutation.error.status === 412;

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        {allowed.includes("edit") ? (
          <Button variant="outline" asChild>
            <Link href={flowEditHref(f.id!)}>Edit draft</Link>
          </Button>
        ) : null}
        {(["publish", "activate", "pause", "resume"] as const)
          .filter((a) => allowed.includes(a))
          .map((a) => (
            <Button
              key={a}
              variant={a === "publish" ? "secondary" : "default"}
              loading={busy(a)}
              disabled={mutation.isPending}
              onClick={() => (a === "publish" ? setConfirm("publish") : run(a))}
            >
              {a === "publish" ? `Publish version ${(f.latestVersion ?? 0) + 1}` : ACTION_LABEL[a]}
            </Button>
          ))}
        {(["archive", "stop"] as const)
          .filter((a) => allowed.includes(a))
          .map((a) => (
            <Button key={a} variant="destructive" disabled={mutation.isPending} onClick={() => setConfirm(a)}>
              {ACTION_LABEL[a]}
            </Button>
          ))}
      </div>
      {unchanged ? <p className="text-xs text-muted-foreground">The draft is version {f.latestVersion} as published.</p> : null}
      {mutation.isError && !confirm ? (
        <div className="max-w-md space-y-2">
          <ProblemAlert error={mutation.error} title="The flow did not change" />
          {stale ? (
            <Button variant="outline" size="sm" onClick={() => void refetch().then(() => mutation.reset())}>
              Load the latest version of the flow
            </Button>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirm === "publish"}
        onOpenChange={(o) => !o && setConfirm(null)}
        title={`Publish version ${(f.latestVersion ?? 0) + 1}?`}
        description={
          f.latestVersion
            ? `What changes against version ${f.latestVersion}, the live version. Runs already in the flow stay on their version unless they are moved.`
            : "The first version: every step is new."
        }
        confirmLabel={`Publish version ${(f.latestVersion ?? 0) + 1}`}
        busy={mutation.isPending}
        onConfirm={() => run("publish")}
      >
        <PublishSummary live={f.latestVersion ? definitionOf(latest.data) : undefined} draft={draftOf(f)} loading={!!f.latestVersion && latest.isPending} />
        {mutation.isError ? <ProblemAlert error={mutation.error} /> : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "archive"}
        onOpenChange={(o) => !o && setConfirm(null)}
        title="Archive this flow?"
        description="An archived flow starts no more runs, and its draft can no longer change. This cannot be undone."
        confirmLabel="Archive flow"
        destructive
        busy={mutation.isPending}
        onConfirm={() => run("archive")}
      >
        {mutation.isError ? <ProblemAlert error={mutation.error} /> : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "stop"}
        onOpenChange={(o) => !o && setConfirm(null)}
        title="Stop this flow?"
        description="A stopped flow starts no more runs and cannot be activated again. This cannot be undone."
        confirmLabel="Stop flow"
        destructive
        busy={mutation.isPending}
        onConfirm={() => run("stop")}
      >
        {mutation.isError ? <ProblemAlert error={mutation.error} /> : null}
      </ConfirmDialog>
    </div>
  );
}

/** The draft against the live version: steps added, removed and changed (and flow settings changed). */
export function PublishSummary({ live, draft, loading }: { live: FlowDefinition | undefined; draft: FlowDefinition | undefined; loading?: boolean }) {
  if (loading) return <Loading label="Comparing with the live version…" />;
  const diff = diffDefinitions(live, draft);
  const lines = describeDiff(diff, draft, live);
  return (
    <div data-testid="publish-summary" className="rounded-md border bg-muted/40 p-3 text-sm">
      {isEmptyDiff(diff) ? (
        <p>No step changes against the live version (the name may have changed).</p>
      ) : (
        <ul className="list-disc space-y-1 pl-5" aria-label="Changes against the live version">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-3 py-2 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function Settings({ definition: d, segmentName }: { definition: FlowDefinition | undefined; segmentName: (id: string) => string | undefined }) {
  const entry = d?.entry;
  const exitOn = entry?.exitOn ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Trigger and entry</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="divide-y">
          <Row label="Trigger">{describeTrigger(d?.trigger, segmentName)}</Row>
          {d?.trigger?.type === "event" ? <Row label="De-duplicated by">{d.trigger.dedupKey || "messageId (the event's own id)"}</Row> : null}
          <Row label="Runs at once">{entry?.concurrency === "PER_DEDUP_KEY" ? "One per de-duplication key" : "One per contact"}</Row>
          <Row label="Re-entry">
            {entry?.reEntry === "AFTER_DAYS" ? `Again ${entry.reEntryAfterDays ?? "?"} days after the last entry` : "Never"}
          </Row>
          <Row label="Leaves on">{exitOn.length ? exitOn.map((e) => `“${e.event}”`).join(", ") : <span className="text-muted-foreground">no event</span>}</Row>
          <Row label="Time zone">{d?.timeZone ?? "UTC"} (for contacts without one)</Row>
        </dl>
      </CardContent>
    </Card>
  );
}

function Versions({ data }: { data: FlowWithTag }) {
  const actorName = useActorName();
  const versions = data.flow.versions ?? [];
  const { canWriteCampaigns: canWrite } = usePermissions();
  const latest = data.flow.latestVersion ?? 0;
  const movable = canWrite && latest > 1 && data.flow.status !== "STOPPED" && data.flow.status !== "ARCHIVED";
  return (
    <Card>
      <CardHeader>
        <CardTitle>Published versions</CardTitle>
      </CardHeader>
      <CardContent>
        {versions.length === 0 ? (
          <p className="text-sm text-muted-foreground">None yet. Publishing the draft makes version 1; a flow is activated with its latest version.</p>
        ) : (
          <ul className="divide-y text-sm" aria-label="Published versions">
            {versions.map((v) => (
              <li key={v.version} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
                <span className="font-medium">Version {v.version}</span>
                <span className="text-muted-foreground">
                  {formatDateTime(v.publishedAt)} by {actorName(v.publishedBy)}
                </span>
              </li>
            ))}
          </ul>
        )}
        {movable ? <MoveRuns flowId={data.flow.id!} latest={latest} /> : null}
      </CardContent>
    </Card>
  );
}

/**
 * Moves the runs waiting on an earlier version to the latest one (POST …/runs/move, recorded in the
 * flow's history with who did it); answers how many moved and how many stayed, by node.
 */
function MoveRuns({ flowId, latest }: { flowId: string; latest: number }) {
  const move = useMoveRuns(flowId);
  const [from, setFrom] = React.useState(latest - 1);
  const [confirm, setConfirm] = React.useState(false);
  const result = move.data;
  return (
    <div className="mt-4 space-y-3 border-t pt-4">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Move the waiting runs of" className="w-44">
          <NativeSelect value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {Array.from({ length: latest - 1 }, (_, i) => latest - 1 - i).map((v) => (
              <option key={v} value={v}>
                version {v}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Button type="button" variant="outline" onClick={() => setConfirm(true)} disabled={move.isPending}>
          Move waiting runs to version {latest}
        </Button>
      </div>
      {result ? (
        <Alert tone="success" title={`Moved ${result.moved ?? 0} run${result.moved === 1 ? "" : "s"} from version ${result.fromVersion} to version ${result.toVersion}`}>
          {result.stayed ? (
            <p>
              {result.stayed} stayed on version {result.fromVersion}:{" "}
              {Object.entries(result.stayedAt ?? {})
                .map(([node, n]) => `${n} at “${node}”`)
                .join(", ")}{" "}
              (a step version {result.toVersion} lacks, or a send under way).
            </p>
          ) : (
            <p>None stayed behind.</p>
          )}
        </Alert>
      ) : null}
      {move.isError && !confirm ? <ProblemAlert error={move.error} title="No runs were moved" /> : null}
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={`Move the waiting runs of version ${from} to version ${latest}?`}
        description={`Each run goes on at the step of the same id in version ${latest}, keeping its due time and trigger data; runs at a step version ${latest} lacks stay. The move is recorded in the flow's history.`}
        confirmLabel="Move runs"
        busy={move.isPending}
        onConfirm={() => move.mutate({ fromVersion: from, toVersion: latest }, { onSuccess: () => setConfirm(false) })}
      >
        {move.isError ? <ProblemAlert error={move.error} /> : null}
      </ConfirmDialog>
    </div>
  );
}

function History({ id }: { id: string }) {
  const history = useFlowHistory(id);
  const actorName = useActorName();
  const entries = history.data?.events ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>History</CardTitle>
        <p className="text-sm text-muted-foreground">Everything that happened to this flow, from its event store, oldest first.</p>
      </CardHeader>
      <CardContent>
        {history.isPending ? (
          <Loading label="Loading the history…" />
        ) : history.isError ? (
          <ProblemAlert error={history.error} title="Could not load the history" />
        ) : entries.length === 0 ? (
          <EmptyState title="No events yet" />
        ) : (
          <ol className="relative space-y-5 border-l pl-6" aria-label="Flow history">
            {entries.map((entry, i) => (
              <HistoryItem key={entry.sequence ?? i} entry={entry} title={flowEventTitle(entry.type)} summary={flowEventSummary(entry)} actor={actorName(entry.actor)} />
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
