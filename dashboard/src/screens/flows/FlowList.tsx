"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { PageHeader } from "@/components/AppShell";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ProblemAlert } from "@/components/ui/alert";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { usePermissions } from "@/auth/hooks";
import { isApiError } from "@/api/problem";
import { useArchiveFlow, useDuplicateFlow, useFlows, type FlowSummary } from "@/features/flows/api";
import type { FlowTrigger } from "@/features/flows/definition";
import { TRIGGER_KIND, triggerDetail } from "@/features/flows/describe";
import { useSegmentName } from "@/features/flows/segmentNames";
import { FlowStatusBadge } from "@/features/flows/StatusBadge";
import { allowedFlowActions } from "@/features/flows/status";
import { flowEditHref, flowHref } from "@/lib/navigation";
import { formatDateTime, formatRelative, uuid } from "@/lib/utils";

const NUMBER = new Intl.NumberFormat("en-US");

/** A count of the list, formatted (1,234); "—" when the API did not give it. */
function count(n: number | null | undefined) {
  return n == null ? "—" : NUMBER.format(n);
}

export function FlowList() {
  const { canWriteCampaigns: canWrite } = usePermissions();
  const flows = useFlows(0, 200);
  const segmentName = useSegmentName();
  const items = flows.data?.items ?? [];
  const router = useRouter();
  const duplicate = useDuplicateFlow();
  const archive = useArchiveFlow();
  const [archiving, setArchiving] = React.useState<FlowSummary | null>(null);
  // one copy id per source until it succeeds: a retried click answers the same copy
  const copyIds = React.useRef(new Map<string, string>());

  function copy(f: FlowSummary) {
    const id = f.id!;
    const copyId = copyIds.current.get(id) ?? uuid();
    copyIds.current.set(id, copyId);
    archive.reset();
    duplicate.mutate(
      { id, copyId },
      {
        onSuccess: (answer) => {
          copyIds.current.delete(id);
          router.push(flowEditHref(answer.flow.id!));
        },
      },
    );
  }

  function archiveConfirmed() {
    if (!archiving) return;
    archive.mutate({ id: archiving.id!, version: archiving.version ?? 0 }, { onSuccess: () => setArchiving(null) });
  }

  return (
    <>
      <PageHeader
        title="Flows"
        description="Automated journeys: a trigger starts a contact on a path of waits, branches and sends."
        actions={
          canWrite ? (
            <Button asChild>
              <Link href="/flows/new/">New flow</Link>
            </Button>
          ) : null
        }
      />
      <Card>
        {flows.isPending ? (
          <TableSkeleton />
        ) : flows.isError ? (
          <div className="p-4">
            <ProblemAlert error={flows.error} title="Could not load the flows" />
          </div>
        ) : items.length === 0 ? (
          <EmptyState
            title="No flows yet"
            action={
              canWrite ? (
                <Button asChild>
                  <Link href="/flows/new/">Create the first flow</Link>
                </Button>
              ) : null
            }
          >
            A flow reacts to an event, a contact entering a segment or an API call, then waits, branches and sends on its own.
          </EmptyState>
        ) : (
          <>
          {duplicate.isError ? (
            <div className="p-4">
              <ProblemAlert error={duplicate.error} title="The flow was not duplicated" />
            </div>
          ) : null}
          {archive.isError && !archiving ? (
            <div className="p-4">
              <ProblemAlert error={archive.error} title={archiveProblemTitle(archive.error)} />
            </div>
          ) : null}
          <Table aria-busy={flows.isFetching || undefined}>
            <caption className="sr-only">Flows</caption>
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Status</TH>
                <TH>Version</TH>
                <TH>Trigger</TH>
                <TH className="text-right">In flow now</TH>
                <TH className="text-right">Sends so far</TH>
                <TH>Last change</TH>
                {canWrite ? (
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                ) : null}
              </tr>
            </THead>
            <TBody>
              {items.map((f) => {
                const trigger = f.trigger as FlowTrigger | undefined;
                return (
                  <TR key={f.id}>
                    <TD className="max-w-72">
                      <Link href={flowHref(f.id!)} className="font-medium text-primary underline-offset-4 hover:underline break-words">
                        {f.name}
                      </Link>
                    </TD>
                    <TD>
                      <FlowStatusBadge status={f.status} />
                    </TD>
                    <TD className="whitespace-nowrap">
                      {f.latestVersion ? `v${f.latestVersion}` : <span className="text-muted-foreground">not published</span>}
                    </TD>
                    <TD className="max-w-md">
                      <span className="font-medium">{trigger ? (TRIGGER_KIND[trigger.type] ?? trigger.type) : "—"}</span>
                      {triggerDetail(trigger, segmentName) ? (
                        <p className="text-xs text-muted-foreground break-words">{triggerDetail(trigger, segmentName)}</p>
                      ) : null}
                    </TD>
                    <TD className="whitespace-nowrap text-right tabular-nums" title="Contacts in the flow now (active or waiting)">
                      {count(f.contactsInFlow)}
                    </TD>
                    <TD className="whitespace-nowrap text-right tabular-nums" title="Messages and webhooks sent by the flow, every version">
                      {count(f.sendsSoFar)}
                    </TD>
                    <TD className="whitespace-nowrap" title={formatDateTime(f.updatedAt)}>
                      {formatRelative(f.updatedAt)}
                    </TD>
                    {canWrite ? (
                      <TD className="whitespace-nowrap text-right">
                        <div className="flex justify-end gap-2">
                          <Button
                            size="sm"
                            variant="outline"
                            aria-label={`Duplicate ${f.name}`}
                            loading={duplicate.isPending && duplicate.variables?.id === f.id}
                            disabled={duplicate.isPending}
                            onClick={() => copy(f)}
                          >
                            Duplicate
                          </Button>
                          {allowedFlowActions(f.status, f.latestVersion ?? 0).includes("archive") ? (
                            <Button
                              size="sm"
                              variant="outline"
                              aria-label={`Archive ${f.name}`}
                              disabled={archive.isPending}
                              onClick={() => {
                                archive.reset();
                                duplicate.reset();
                                setArchiving(f);
                              }}
                            >
                              Archive
                            </Button>
                          ) : null}
                        </div>
                      </TD>
                    ) : null}
                  </TR>
                );
              })}
            </TBody>
          </Table>
          </>
        )}
      </Card>
      <ConfirmDialog
        open={!!archiving}
        onOpenChange={(o) => {
          if (!o) {
            setArchiving(null);
            archive.reset();
          }
        }}
        title={`Archive “${archiving?.name ?? ""}”?`}
        description="An archived flow starts no more runs, and its draft can no longer change. This cannot be undone."
        confirmLabel="Archive flow"
        destructive
        busy={archive.isPending}
        onConfirm={archiveConfirmed}
      >
        {archive.isError ? <ProblemAlert error={archive.error} title={archiveProblemTitle(archive.error)} /> : null}
      </ConfirmDialog>
    </>
  );
}

/** What a refused archive means, in words: the status does not allow it (409), or the flow changed (412). */
function archiveProblemTitle(error: unknown) {
  if (isApiError(error) && error.status === 409) return "This flow cannot be archived in its current status";
  if (isApiError(error) && error.status === 412) return "The flow changed since the list was loaded: reload it and try again";
  return "The flow was not archived";
}
