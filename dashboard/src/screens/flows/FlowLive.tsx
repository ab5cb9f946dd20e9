"use client";
import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { api, call } from "@/api/client";
import { isApiError } from "@/api/problem";
import { PageHeader } from "@/components/AppShell";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { EmptyState, Loading } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { usePermissions } from "@/auth/hooks";
import { StreamState } from "@/features/delivery/CampaignProgress";
import {
  definitionOf,
  useContactRuns,
  useFlow,
  useFlowAction,
  useFlowStats,
  useFlowVersion,
  type FlowAction,
  type FlowWithTag,
} from "@/features/flows/api";
import { FlowCanvas } from "@/features/flows/FlowCanvas";
import { edgeCounts, isContactId, nodeCounts, runPath, RUN_STATE_LABEL, stepLabel, type FlowRun, type FlowStats } from "@/features/flows/live";
import { useSegmentName } from "@/features/flows/segmentNames";
import { allowedFlowActions } from "@/features/flows/status";
import { FlowStatusBadge } from "@/features/flows/StatusBadge";
import { flowHref } from "@/lib/navigation";
import { cn, formatDateTime } from "@/lib/utils";

/** `/flows/live/?id=…[&contact=…]`: the published graph with live counts, and a contact's journey on it. */
export function FlowLive() {
  const params = useSearchParams();
  const id = params.get("id");
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
        <PageHeader title="Flow, live" breadcrumb={crumb} />
        <ProblemAlert error={flow.error} title="Could not load the flow" />
      </>
    );
  return <LivePage data={flow.data} contact={params.get("contact")} />;
}

const RUN_COUNTS = [
  ["In the flow now", (r: NonNullable<FlowStats["runs"]>) => (r.active ?? 0) + (r.waiting ?? 0)],
  ["Entered in all", (r: NonNullable<FlowStats["runs"]>) => r.total ?? 0],
  ["Completed", (r: NonNullable<FlowStats["runs"]>) => r.completed ?? 0],
  ["Exited early", (r: NonNullable<FlowStats["runs"]>) => r.exited ?? 0],
  ["Stopped", (r: NonNullable<FlowStats["runs"]>) => r.stopped ?? 0],
] as const;

function LivePage({ data, contact }: { data: FlowWithTag; contact: string | null }) {
  const f = data.flow;
  const id = f.id!;
  const router = useRouter();
  const pathname = usePathname();
  const latest = f.latestVersion ?? 0;
  const live = f.status === "ACTIVE" || f.status === "PAUSED";
  const { query: stats, stream } = useFlowStats(id, live);
  const segmentName = useSegmentName();
  const [contactId, setContactId] = React.useState<string | null>(contact && isContactId(contact) ? contact.toLowerCase() : null);
  const runs = useContactRuns(id, contactId);
  const [runId, setRunId] = React.useState<string | undefined>();
  const run: FlowRun | undefined = runs.data?.items?.find((r) => r.runId === runId) ?? runs.data?.items?.[0];
  // the canvas draws the version the run shown is on, else the latest
  const shownVersion = run?.version ?? latest;
  const version = useFlowVersion(id, shownVersion || null);
  const definition = definitionOf(version.data);

  // the journey follows the counts: a new `stats` frame reads the contact's runs again
  const at = stats.data?.at;
  const refetchRuns = runs.refetch;
  React.useEffect(() => {
    if (at && contactId) void refetchRuns();
  }, [at, contactId, refetchRuns]);

  const counts = React.useMemo(
    () => nodeCounts(stats.data, (definition?.nodes ?? []).map((n) => ({ id: n.id, type: n.type }))),
    [stats.data, definition],
  );
  const edges = React.useMemo(() => edgeCounts(stats.data), [stats.data]);
  const path = React.useMemo(() => (run ? runPath(run) : undefined), [run]);

  function showContact(next: string | null) {
    setContactId(next);
    setRunId(undefined);
    const search = new URLSearchParams({ id });
    if (next) search.set("contact", next);
    router.replace(`${pathname}?${search}`, { scroll: false });
  }

  return (
    <>
      <PageHeader
        breadcrumb={
          <>
            <Link href="/flows/" className="hover:underline">
              Flows
            </Link>{" "}
            /{" "}
            <Link href={flowHref(id)} className="hover:underline">
              {f.name}
            </Link>
          </>
        }
        title={
          <span className="flex flex-wrap items-center gap-3">
            {f.name}, live
            <FlowStatusBadge status={f.status} />
          </span>
        }
        description={latest ? `Version ${latest} is the live version. Counts are of every version's runs.` : "Not published yet: nothing runs."}
        actions={<LiveActions data={data} />}
      />

      {!latest ? (
        <EmptyState title="Nothing runs yet">Publish the draft and activate the flow: its runs are counted here as they happen.</EmptyState>
      ) : (
        <div className="space-y-6">
          <Card>
            <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-3">
              <CardTitle>Runs</CardTitle>
              {live ? <StreamState status={stream.status} done={false} /> : <span className="text-xs text-muted-foreground">Not live: the flow is {f.status?.toLowerCase()}.</span>}
            </CardHeader>
            <CardContent>
              {stats.isError ? <ProblemAlert error={stats.error} title="Could not load the counts" /> : null}
              {stream.status === "failed" && stream.error ? <ProblemAlert error={stream.error} title="Live updates stopped" /> : null}
              <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" aria-live="polite" data-testid="run-counts">
                {RUN_COUNTS.map(([label, count]) => (
                  <div key={label} className="rounded-md border p-3">
                    <dt className="text-xs text-muted-foreground">{label}</dt>
                    <dd className="text-2xl font-semibold tabular-nums">{stats.data?.runs ? count(stats.data.runs).toLocaleString() : "…"}</dd>
                  </div>
                ))}
              </dl>
              {stats.data?.at ? <p className="mt-2 text-xs text-muted-foreground">Counted {formatDateTime(stats.data.at)}.</p> : null}
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>{run ? `Version ${shownVersion}, with the journey of the run shown` : `Version ${shownVersion}`}</CardTitle>
              <p className="text-sm text-muted-foreground">
                On each step: how many runs entered it, how many wait there now, and for sends how many were sent and failed; on each edge how many
                runs took it.
              </p>
            </CardHeader>
            <CardContent>
              {version.isPending ? (
                <Loading label={`Loading version ${shownVersion}…`} />
              ) : version.isError ? (
                <ProblemAlert error={version.error} title={`Could not load version ${shownVersion}`} />
              ) : (
                <FlowCanvas
                  definition={definition}
                  segmentName={segmentName}
                  counts={counts}
                  edgeCounts={edges}
                  path={path}
                  label={`Live flow, version ${shownVersion}`}
                />
              )}
            </CardContent>
          </Card>

          <Journey
            flowId={id}
            contactId={contactId}
            initial={contact && !isContactId(contact) ? contact : ""}
            onContact={showContact}
            runs={runs}
            run={run}
            onRun={setRunId}
          />
        </div>
      )}
    </>
  );
}

const ACTION_LABEL: Partial<Record<FlowAction, string>> = { pause: "Pause", resume: "Resume", stop: "Stop" };

/** Pause, resume and stop (stop asks first); sent with If-Match like every flow write. */
function LiveActions({ data }: { data: FlowWithTag }) {
  const { canWriteCampaigns: canWrite } = usePermissions();
  const f = data.flow;
  const mutation = useFlowAction(f.id!);
  const refetch = useFlow(f.id!).refetch;
  const [confirm, setConfirm] = React.useState(false);
  const allowed = allowedFlowActions(f.status, f.latestVersion ?? 0).filter((a) => a === "pause" || a === "resume" || a === "stop");
  const stale = isApiError(mutation.error) && mutation.error.status === 412;
  const run = (action: FlowAction) => mutation.mutate({ action, etag: data.etag }, { onSettled: () => setConfirm(false) });
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="outline" asChild>
          <Link href={flowHref(f.id!)}>Definition and history</Link>
        </Button>
        {canWrite
          ? (["pause", "resume"] as const)
              .filter((a) => allowed.includes(a))
              .map((a) => (
                <Button key={a} loading={mutation.isPending && mutation.variables?.action === a} disabled={mutation.isPending} onClick={() => run(a)}>
                  {ACTION_LABEL[a]}
                </Button>
              ))
          : null}
        {canWrite && allowed.includes("stop") ? (
          <Button variant="destructive" disabled={mutation.isPending} onClick={() => setConfirm(true)}>
            Stop
          </Button>
        ) : null}
      </div>
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
        open={confirm}
        onOpenChange={setConfirm}
        title="Stop this flow?"
        description="A stopped flow starts no more runs, its runs stop where they are, and it cannot be activated again. This cannot be undone."
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

/** Finds a contact by e-mail (GET /api/contacts?email=) or takes an id as it is. */
async function findContact(text: string): Promise<string | null> {
  const value = text.trim();
  if (isContactId(value)) return value.toLowerCase();
  const page = await call(api.GET("/api/contacts", { params: { query: { email: value, page: 0, size: 1 } } }));
  return page?.items?.[0]?.id ?? null;
}

function Journey({
  flowId,
  contactId,
  initial,
  onContact,
  runs,
  run,
  onRun,
}: {
  flowId: string;
  contactId: string | null;
  initial: string;
  onContact: (id: string | null) => void;
  runs: ReturnType<typeof useContactRuns>;
  run: FlowRun | undefined;
  onRun: (runId: string) => void;
}) {
  const [text, setText] = React.useState(initial || contactId || "");
  const [searching, setSearching] = React.useState(false);
  const [error, setError] = React.useState<unknown>();
  const [notFound, setNotFound] = React.useState(false);
  const items = runs.data?.items ?? [];

  async function search(e: React.FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    setSearching(true);
    setError(undefined);
    setNotFound(false);
    try {
      const id = await findContact(text);
      setNotFound(!id);
      onContact(id);
    } catch (err) {
      setError(err);
    } finally {
      setSearching(false);
    }
  }
  // a contact named in the address by e-mail is looked up once
  const looked = React.useRef(false);
  React.useEffect(() => {
    if (looked.current || !initial) return;
    looked.current = true;
    void findContact(initial).then(
      (id) => {
        setNotFound(!id);
        onContact(id);
      },
      setError,
    );
  }, [initial, onContact]);

  return (
    <Card>
      <CardHeader>
        <CardTitle>A contact&apos;s journey</CardTitle>
        <p className="text-sm text-muted-foreground">
          Find a contact by e-mail or id: their run&apos;s path is marked on the canvas above, with the time and the reason of each step below.
        </p>
      </CardHeader>
      <CardContent className="space-y-4">
        <form onSubmit={(e) => void search(e)} className="flex flex-wrap items-end gap-2" role="search" aria-label="Find a contact's journey">
          <Field label="Contact (e-mail or id)" className="min-w-72 flex-1">
            <Input value={text} onChange={(e) => setText(e.target.value)} placeholder="ada@example.com" autoComplete="off" />
          </Field>
          <Button type="submit" loading={searching}>
            Show journey
          </Button>
          {contactId ? (
            <Button type="button" variant="outline" onClick={() => (setText(""), onContact(null))}>
              Clear
            </Button>
          ) : null}
        </form>
        {error ? <ProblemAlert error={error} title="Could not look the contact up" /> : null}
        {notFound ? <Alert tone="warning">No contact has that e-mail address.</Alert> : null}
        {contactId && runs.isPending ? <Loading label="Loading the runs…" /> : null}
        {runs.isError ? <ProblemAlert error={runs.error} title="Could not load the runs" /> : null}
        {contactId && runs.data && items.length === 0 ? <EmptyState title="No runs">This contact has not entered this flow.</EmptyState> : null}
        {items.length > 1 ? (
          <div role="group" aria-label="Runs of this contact" className="flex flex-wrap gap-1">
            {items.map((r) => (
              <button
                key={r.runId}
                type="button"
                aria-pressed={r.runId === run?.runId}
                onClick={() => onRun(r.runId!)}
                className={cn(
                  "rounded-full border px-3 py-1 text-xs font-medium",
                  r.runId === run?.runId ? "border-primary bg-primary text-primary-foreground" : "bg-card hover:bg-muted",
                )}
              >
                {formatDateTime(r.enteredAt)} · {RUN_STATE_LABEL[r.state ?? "ACTIVE"]}
              </button>
            ))}
          </div>
        ) : null}
        {run ? <RunLog run={run} /> : null}
      </CardContent>
    </Card>
  );
}

const stepTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** Steps are often seconds apart: their time is shown to the second. */
function formatStepTime(iso: string | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : stepTime.format(d);
}

function RunLog({ run }: { run: FlowRun }) {
  const live = run.state === "ACTIVE" || run.state === "WAITING";
  return (
    <section aria-label="The run's decision log" className="space-y-3">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={live ? "green" : "slate"} data-testid="journey-state">
          {RUN_STATE_LABEL[run.state ?? "ACTIVE"]}
        </Badge>
        <span>
          Version {run.version}, entered {formatDateTime(run.enteredAt)}
          {live && run.nodeId ? (
            <>
              , now at <code className="font-mono">{run.nodeId}</code>
              {run.reason ? ` (${run.reason})` : ""}
              {run.dueAt ? `, moves on ${formatDateTime(run.dueAt)}` : ""}
            </>
          ) : null}
          {run.dedupKey ? <> · key <code className="font-mono">{run.dedupKey}</code></> : null}
        </span>
      </div>
      <Table aria-label="Steps of the run">
        <THead>
          <TR>
            <TH>Time</TH>
            <TH>Step</TH>
            <TH>What happened</TH>
            <TH>Why</TH>
            <TH>Left by</TH>
          </TR>
        </THead>
        <TBody>
          {(run.steps ?? []).map((s, i) => (
            <TR key={i}>
              <TD className="whitespace-nowrap tabular-nums">{formatStepTime(s.at)}</TD>
              <TD>
                <code className="font-mono text-xs">{s.nodeId}</code>
              </TD>
              <TD>{stepLabel(s.kind)}</TD>
              <TD className="max-w-md break-words text-muted-foreground">{s.detail ?? ""}</TD>
              <TD>{s.edge ? <code className="font-mono text-xs">{s.edge}</code> : ""}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </section>
  );
}
