"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { ApiError } from "@/api/problem";
import { PageHeader } from "@/components/AppShell";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Loading, Skeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { usePermissions } from "@/auth/hooks";
import { useActorName } from "@/features/campaigns/actors";
import { useCampaigns } from "@/features/campaigns/api";
import { eventTitle } from "@/features/campaigns/history";
import { RuleBuilder } from "@/features/segments/RuleBuilder";
import { useDeleteSegment, useSaveSegment, useSegment, useSegmentHistory, useSegmentPreview, useSegments, type SegmentView } from "@/features/segments/api";
import { countConditions, fromApiRule, newCondition, newGroup, problemAt, toApiRule, validateTree, type GroupNode, type RuleProblems } from "@/features/segments/rules";
import { useDebounced } from "@/lib/useDebounced";
import { formatDateTime, uuid } from "@/lib/utils";
import { segmentHref } from "./SegmentList";

export function NewSegment() {
  const [initial] = React.useState(() => newGroup("and", [newCondition("attribute")]));
  return <SegmentEditor initialRules={initial} />;
}

export function SegmentPage() {
  const id = useSearchParams().get("id");
  const segment = useSegment(id);
  if (!id) return <Alert tone="error">No segment was named in the address.</Alert>;
  if (segment.isPending) return <Loading label="Loading the segment…" />;
  if (segment.isError) return <ProblemAlert error={segment.error} title="Could not load the segment" />;
  return <SegmentEditor key={segment.data.id} segment={segment.data} initialRules={fromApiRule(segment.data.rules)} />;
}

function SegmentEditor({ segment, initialRules }: { segment?: SegmentView; initialRules: GroupNode }) {
  const router = useRouter();
  const { canWriteCampaigns: canWrite, known } = usePermissions();
  const readOnly = known && !canWrite;
  const [name, setName] = React.useState(segment?.name ?? "");
  const [description, setDescription] = React.useState(segment?.description ?? "");
  const [rules, setRules] = React.useState<GroupNode>(initialRules);
  const [attempted, setAttempted] = React.useState(false);
  const [confirmDelete, setConfirmDelete] = React.useState(false);
  const newId = React.useRef(uuid());
  const save = useSaveSegment();
  const remove = useDeleteSegment();
  const others = useSegments(0, 200);
  // the campaigns an engagement condition can name (newest 200, templates left out)
  const campaigns = useCampaigns([], 0, 200, false);

  const problems = React.useMemo(() => validateTree(rules), [rules]);
  const valid = Object.keys(problems).length === 0;
  const { rule, index } = React.useMemo(() => toApiRule(rules), [rules]);
  // ask for the count once the rules stop changing for a moment, and only for rules that can be counted
  const settled = useDebounced(valid ? rule : undefined, 400);
  const preview = useSegmentPreview(settled, 10);

  // the API's complaint about a node is shown on that node
  const serverProblems: RuleProblems = {};
  for (const error of [preview.error, save.error]) {
    if (!(error instanceof ApiError)) continue;
    const path = (error.problem.path as string | undefined) ?? error.problem.errors?.[0]?.field;
    const at = path ? problemAt(path, index) : undefined;
    if (at) (serverProblems[at.id] ??= {})[at.part === "node" ? "value" : at.part] = error.problem.errors?.[0]?.message?.replace(/^[^:]*: /, "") ?? error.message;
  }
  const shownProblems: RuleProblems = { ...(attempted ? problems : {}), ...serverProblems };
  const nameError = attempted && !name.trim() ? "Give the segment a name." : undefined;
  const attributeKeys = React.useMemo(() => {
    const keys = new Set<string>();
    for (const c of preview.data?.sample ?? []) Object.keys(c.attributes ?? {}).forEach((k) => keys.add(k));
    return [...keys].sort();
  }, [preview.data]);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setAttempted(true);
    if (!valid || !name.trim()) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus());
      return;
    }
    save.mutate(
      { existingId: segment?.id, newId: newId.current, name: name.trim(), description: description.trim() || undefined, rules: rule },
      { onSuccess: (s) => !segment && router.push(segmentHref(s.id!)) },
    );
  }

  const crumb = (
    <Link href="/segments/" className="hover:underline">
      Segments
    </Link>
  );
  return (
    <>
      <PageHeader
        breadcrumb={crumb}
        title={segment ? segment.name : "New segment"}
        description={segment ? `Changed ${formatDateTime(segment.updatedAt)}` : "Build the rules; the count of matching contacts follows as you go."}
        actions={
          segment && canWrite ? (
            <Button variant="outline" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          ) : null
        }
      />
      <form onSubmit={submit} noValidate className="grid gap-6 xl:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          {readOnly ? <Alert tone="info">Your role can look at segments but not change them.</Alert> : null}
          <Card>
            <CardContent className="grid gap-4 pt-5 sm:grid-cols-2">
              <Field label="Name" error={nameError ?? (save.error instanceof ApiError ? save.error.fieldErrors.name : undefined)}>
                <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} disabled={readOnly} autoComplete="off" />
              </Field>
              <Field label="Description" optional>
                <Textarea rows={1} className="min-h-9" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} disabled={readOnly} />
              </Field>
            </CardContent>
          </Card>
          <section aria-labelledby="rules-heading">
            <h2 id="rules-heading" className="mb-2 text-base font-semibold">
              Rules
            </h2>
            <RuleBuilder
              value={rules}
              onChange={setRules}
              problems={shownProblems}
              readOnly={readOnly}
              segments={(others.data?.items ?? []).filter((s) => s.id !== segment?.id).map((s) => ({ id: s.id!, name: s.name ?? s.id! }))}
              campaigns={(campaigns.data?.items ?? []).map((c) => ({ id: String(c.id), name: c.name ?? String(c.id) }))}
              attributeKeys={attributeKeys}
            />
          </section>
          {save.isError && !Object.keys(serverProblems).length ? <ProblemAlert error={save.error} title="Could not save the segment" /> : null}
          {save.isSuccess && segment ? <Alert tone="success">Saved.</Alert> : null}
          {!readOnly ? (
            <div className="flex gap-2">
              <Button type="submit" loading={save.isPending}>
                {segment ? "Save changes" : "Create segment"}
              </Button>
              <Button variant="ghost" asChild>
                <Link href={segment ? segmentHref(segment.id!) : "/segments/"}>{segment ? "Undo changes" : "Cancel"}</Link>
              </Button>
            </div>
          ) : null}
          {segment ? <SegmentHistory id={segment.id!} /> : null}
        </div>
        <aside className="xl:sticky xl:top-6 xl:self-start">
          <LivePreview preview={preview} valid={valid} incomplete={Object.keys(problems).length} empty={countConditions(rules) === 0} />
        </aside>
      </form>
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title={`Delete “${segment?.name}”?`}
        description="Campaigns and segments that use it keep it from being deleted."
        confirmLabel="Delete segment"
        destructive
        busy={remove.isPending}
        onConfirm={() => segment && remove.mutate(segment.id!, { onSuccess: () => router.push("/segments/") })}
      >
        {remove.isError ? <ProblemAlert error={remove.error} /> : null}
      </ConfirmDialog>
    </>
  );
}

function LivePreview({
  preview,
  valid,
  incomplete,
  empty,
}: {
  preview: ReturnType<typeof useSegmentPreview>;
  valid: boolean;
  incomplete: number;
  empty: boolean;
}) {
  const data = preview.data;
  const stale = !valid || preview.isFetching;
  return (
    <Card aria-labelledby="preview-heading">
      <CardHeader>
        <CardTitle id="preview-heading">Who matches now</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4">
        <div aria-live="polite" aria-atomic="true">
          {data ? (
            <p className={stale ? "opacity-50 transition-opacity" : undefined}>
              <span className="text-4xl font-semibold tabular-nums" data-testid="segment-count">
                {(data.count ?? 0).toLocaleString()}
              </span>{" "}
              <span className="text-sm text-muted-foreground">contact{data.count === 1 ? "" : "s"}</span>
            </p>
          ) : preview.isFetching ? (
            <Skeleton className="h-10 w-24" />
          ) : null}
          {!valid ? (
            <p className="mt-1 text-sm text-muted-foreground">
              {empty ? "Add a condition to count contacts." : `Complete ${incomplete === 1 ? "the highlighted condition" : `${incomplete} conditions`} to update the count.`}
            </p>
          ) : data?.tookMillis != null ? (
            <p className="mt-1 text-xs text-muted-foreground">counted in {data.tookMillis} ms</p>
          ) : null}
        </div>
        {preview.isError && !(preview.error instanceof ApiError && preview.error.problem.path) ? <ProblemAlert error={preview.error} title="Could not count" /> : null}
        {data?.sample?.length ? (
          <div>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted-foreground">Sample</h3>
            <Table>
              <caption className="sr-only">Sample of matching contacts</caption>
              <THead>
                <tr>
                  <TH>Contact</TH>
                  <TH>Attributes</TH>
                </tr>
              </THead>
              <TBody>
                {data.sample.map((c) => (
                  <TR key={c.id}>
                    <TD className="max-w-40 truncate">
                      <Link href={`/contacts/view/?id=${encodeURIComponent(c.id!)}`} className="text-primary underline-offset-4 hover:underline">
                        {c.email || c.externalId || c.phone || c.id}
                      </Link>
                    </TD>
                    <TD className="max-w-40 truncate text-xs text-muted-foreground">
                      {Object.entries(c.attributes ?? {})
                        .slice(0, 3)
                        .map(([k, v]) => `${k}: ${String(v)}`)
                        .join(", ")}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </div>
        ) : data && valid ? (
          <p className="text-sm text-muted-foreground">No contact matches these rules yet.</p>
        ) : null}
      </CardContent>
    </Card>
  );
}

function SegmentHistory({ id }: { id: string }) {
  const history = useSegmentHistory(id);
  const actorName = useActorName();
  const entries = history.data?.events ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>History</CardTitle>
      </CardHeader>
      <CardContent>
        {history.isPending ? (
          <Loading />
        ) : history.isError ? (
          <ProblemAlert error={history.error} title="Could not load the history" />
        ) : (
          <ol className="space-y-2 text-sm">
            {entries.map((e, i) => (
              <li key={e.sequence ?? i} className="flex flex-wrap items-baseline gap-2">
                <Badge>{eventTitle(e.type).replace(/^Segment /, "")}</Badge>
                <time dateTime={e.timestamp} className="text-xs text-muted-foreground">
                  {formatDateTime(e.timestamp)}
                </time>
                <span className="text-xs text-muted-foreground">by {actorName(e.actor)}</span>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
