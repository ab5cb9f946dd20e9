"use client";
import * as React from "react";
import Link from "next/link";
import { ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/input";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/utils";
import { DELIVERY_STATUSES, useDeliveries, type Delivery, type DeliveryStatus } from "./api";
import { DELIVERY_STATUS_LABEL, DELIVERY_STATUS_TONE } from "./format";

export function contactHref(id: string) {
  return `/contacts/view/?id=${encodeURIComponent(id)}`;
}

export function campaignLink(id: string) {
  return `/campaigns/view/?id=${encodeURIComponent(id)}`;
}

export function DeliveryStatusBadge({ status }: { status?: DeliveryStatus }) {
  if (!status) return <Badge>—</Badge>;
  return <Badge tone={DELIVERY_STATUS_TONE[status]}>{DELIVERY_STATUS_LABEL[status]}</Badge>;
}

/** Why a delivery did not (yet) go: its reason code and the last error, if any. */
export function DeliveryProblem({ delivery: d }: { delivery: Delivery }) {
  if (!d.reason && !d.lastError) return <span className="text-muted-foreground">—</span>;
  return (
    <div className="min-w-0 max-w-sm">
      {d.reason ? <span className="font-mono text-xs">{d.reason}</span> : null}
      {d.lastError ? <p className="break-words text-xs text-muted-foreground">{d.lastError}</p> : null}
    </div>
  );
}

/** Every recipient's delivery record for a campaign: status filter and keyset "Load more". */
export function DeliveriesTable({ campaignId }: { campaignId: string }) {
  const [status, setStatus] = React.useState<DeliveryStatus | "">("");
  const query = useDeliveries(campaignId, status);
  const items = query.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-end justify-between gap-3">
        <div>
          <CardTitle>Deliveries</CardTitle>
          <p className="text-sm text-muted-foreground">One record per recipient of the frozen audience.</p>
        </div>
        <Field label="Delivery status" className="w-44">
          <NativeSelect value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | "")}>
            <option value="">All statuses</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {DELIVERY_STATUS_LABEL[s]}
              </option>
            ))}
          </NativeSelect>
        </Field>
      </CardHeader>
      {query.isPending ? (
        <TableSkeleton rows={3} />
      ) : query.isError ? (
        <CardContent>
          <ProblemAlert error={query.error} title="Could not load the deliveries" />
        </CardContent>
      ) : items.length === 0 ? (
        <EmptyState title={status ? "No delivery has this status" : "No deliveries yet"}>
          {status ? null : "Deliveries appear once the campaign is launched and its audience is frozen."}
        </EmptyState>
      ) : (
        <>
          <Table aria-busy={query.isFetching || undefined}>
            <caption className="sr-only">Deliveries</caption>
            <THead>
              <tr>
                <TH>Contact</TH>
                <TH>Status</TH>
                <TH>Attempts</TH>
                <TH>Reason / last error</TH>
                <TH>Updated</TH>
              </tr>
            </THead>
            <TBody>
              {items.map((d) => (
                <TR key={`${d.contactId}-${d.channel}`}>
                  <TD>
                    <Link href={contactHref(d.contactId!)} className="font-mono text-xs text-primary underline-offset-4 hover:underline">
                      {d.contactId}
                    </Link>
                  </TD>
                  <TD>
                    <DeliveryStatusBadge status={d.status} />
                  </TD>
                  <TD className="tabular-nums">{d.attempts ?? 0}</TD>
                  <TD>
                    <DeliveryProblem delivery={d} />
                  </TD>
                  <TD className="whitespace-nowrap text-xs text-muted-foreground">
                    {formatDateTime(d.sentAt ?? d.updatedAt)}
                    {d.nextAttemptAt && d.status === "PENDING" ? <span className="block">next try {formatDateTime(d.nextAttemptAt)}</span> : null}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          {query.hasNextPage ? (
            <div className="border-t p-3">
              <Button variant="outline" size="sm" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                Load more
              </Button>
            </div>
          ) : null}
        </>
      )}
    </Card>
  );
}
