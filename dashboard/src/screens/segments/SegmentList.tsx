"use client";
import Link from "next/link";
import { PageHeader } from "@/components/AppShell";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ProblemAlert } from "@/components/ui/alert";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { usePermissions } from "@/auth/hooks";
import { useSegments } from "@/features/segments/api";
import { describeRule } from "@/features/segments/describe";
import { formatDateTime, formatRelative } from "@/lib/utils";

export function segmentHref(id: string) {
  return `/segments/view/?id=${encodeURIComponent(id)}`;
}

export function SegmentList() {
  const { canWriteCampaigns: canWrite } = usePermissions();
  const segments = useSegments(0, 200);
  const items = segments.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Segments"
        description="Groups of contacts defined by rules; campaigns send to a segment."
        actions={
          canWrite ? (
            <Button asChild>
              <Link href="/segments/new/">New segment</Link>
            </Button>
          ) : null
        }
      />
      <Card>
        {segments.isPending ? (
          <TableSkeleton />
        ) : segments.isError ? (
          <div className="p-4">
            <ProblemAlert error={segments.error} title="Could not load the segments" />
          </div>
        ) : items.length === 0 ? (
          <EmptyState
            title="No segments yet"
            action={
              canWrite ? (
                <Button asChild>
                  <Link href="/segments/new/">Build the first segment</Link>
                </Button>
              ) : null
            }
          >
            A segment picks contacts by their attributes, what they did, and their consent. Its size updates as you build it.
          </EmptyState>
        ) : (
          <Table>
            <caption className="sr-only">Segments</caption>
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Rules</TH>
                <TH>Last change</TH>
              </tr>
            </THead>
            <TBody>
              {items.map((s) => (
                <TR key={s.id}>
                  <TD className="max-w-72">
                    <Link href={segmentHref(s.id!)} className="font-medium text-primary underline-offset-4 hover:underline">
                      {s.name}
                    </Link>
                    {s.description ? <p className="truncate text-xs text-muted-foreground">{s.description}</p> : null}
                  </TD>
                  <TD className="max-w-md text-xs text-muted-foreground">{describeRule(s.rules)}</TD>
                  <TD className="whitespace-nowrap" title={formatDateTime(s.updatedAt)}>
                    {formatRelative(s.updatedAt)}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
