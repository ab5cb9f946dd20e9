"use client";
import Link from "next/link";
import { PageHeader } from "@/components/AppShell";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ProblemAlert } from "@/components/ui/alert";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { usePermissions } from "@/auth/hooks";
import { useFlows } from "@/features/flows/api";
import type { FlowTrigger } from "@/features/flows/definition";
import { TRIGGER_KIND, triggerDetail } from "@/features/flows/describe";
import { useSegmentName } from "@/features/flows/segmentNames";
import { FlowStatusBadge } from "@/features/flows/StatusBadge";
import { flowHref } from "@/lib/navigation";
import { formatDateTime, formatRelative } from "@/lib/utils";

export function FlowList() {
  const { canWriteCampaigns: canWrite } = usePermissions();
  const flows = useFlows(0, 200);
  const segmentName = useSegmentName();
  const items = flows.data?.items ?? [];
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
          <Table aria-busy={flows.isFetching || undefined}>
            <caption className="sr-only">Flows</caption>
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Status</TH>
                <TH>Version</TH>
                <TH>Trigger</TH>
                <TH>Last change</TH>
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
                    <TD className="whitespace-nowrap" title={formatDateTime(f.updatedAt)}>
                      {formatRelative(f.updatedAt)}
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
