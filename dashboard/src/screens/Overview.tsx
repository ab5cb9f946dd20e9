"use client";
import * as React from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "@/api/client";
import type { CampaignStatus } from "@/api/client";
import { PageHeader } from "@/components/AppShell";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ProblemAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState, Skeleton, TableSkeleton } from "@/components/ui/states";
import { usePermissions, useSession } from "@/auth/hooks";
import { useCampaignCounts, useCampaigns } from "@/features/campaigns/api";
import { StatusBadge } from "@/features/campaigns/StatusBadge";
import { CHANNEL_LABEL } from "@/features/campaigns/status";
import { campaignHref } from "@/lib/navigation";
import { useContacts } from "@/features/contacts/api";
import { useHasApi } from "@/api/capabilities";
import { formatRelative } from "@/lib/utils";
import { formatRate, useDeliveryStats } from "@/features/stats/api";
import { DeliveryChart } from "@/features/stats/DeliveryChart";

function ContactsTile() {
  const contacts = useContacts({}, 0, 1);
  return (
    <Card className="relative">
      <CardContent className="pt-5">
        <p className="text-sm font-medium text-muted-foreground">Contacts</p>
        {contacts.isPending ? (
          <Skeleton className="mt-2 h-9 w-16" />
        ) : contacts.isError ? (
          <p className="mt-2 text-sm text-destructive">Unavailable</p>
        ) : (
          <p className="mt-1 text-3xl font-semibold tabular-nums">{(contacts.data.totalItems ?? 0).toLocaleString()}</p>
        )}
        <p className="mt-1 text-xs text-muted-foreground">Everyone Herald can reach</p>
        <Link href="/contacts/" className="absolute inset-0 rounded-lg" aria-label="Contacts: show them" />
      </CardContent>
    </Card>
  );
}

const DAY_MS = 86_400_000;

/**
 * Failed send attempts in the last 24 hours, counted from the failure log (retries included; up to
 * 500, the log's page limit). Final outcomes per day are the "Sending" section's (`/api/stats/deliveries`).
 */
function FailuresTile() {
  // the window is fixed when the overview opens (a stable query key)
  const [from] = React.useState(() => new Date(Date.now() - DAY_MS).toISOString());
  const failures = useQuery({
    queryKey: ["delivery", "failures", "last-day", from],
    queryFn: () => call(api.GET("/api/failures", { params: { query: { from, limit: 500 } } })),
  });
  const count = failures.data?.items?.length ?? 0;
  return (
    <Card className="relative">
      <CardContent className="pt-5">
        <p className="text-sm font-medium text-muted-foreground">Failed attempts</p>
        {failures.isPending ? (
          <Skeleton className="mt-2 h-9 w-16" />
        ) : failures.isError ? (
          <p className="mt-2 text-sm text-destructive">Unavailable</p>
        ) : (
          <p className={`mt-1 text-3xl font-semibold tabular-nums ${count ? "text-red-700" : ""}`}>
            {count.toLocaleString()}
            {failures.data.next != null ? "+" : ""}
          </p>
        )}
        <p className="mt-1 text-xs text-muted-foreground">Last 24 hours, retries included</p>
        <Link href="/failures/" className="absolute inset-0 rounded-lg" aria-label="Failed attempts: show the failure log" />
      </CardContent>
    </Card>
  );
}

function CountTile({ label, statuses, description }: { label: string; statuses: CampaignStatus[]; description: string }) {
  const counts = useCampaignCounts(statuses);
  const pending = counts.some((c) => c.isPending);
  const failed = counts.find((c) => c.isError);
  const total = counts.reduce((n, c) => n + (c.data ?? 0), 0);
  const href = `/campaigns/?${statuses.map((s) => `status=${s}`).join("&")}`;
  return (
    <Card className="relative">
      <CardContent className="pt-5">
        <p className="text-sm font-medium text-muted-foreground">{label}</p>
        {pending ? (
          <Skeleton className="mt-2 h-9 w-16" />
        ) : failed ? (
          <p className="mt-2 text-sm text-destructive">Unavailable</p>
        ) : (
          <p className="mt-1 text-3xl font-semibold tabular-nums">{total.toLocaleString()}</p>
        )}
        <p className="mt-1 text-xs text-muted-foreground">{description}</p>
        <Link href={href} className="absolute inset-0 rounded-lg" aria-label={`${label}: show these campaigns`} />
      </CardContent>
    </Card>
  );
}

const CHART_DAYS = 14;

/**
 * Sends today, today's failure rate and a chart of the last 14 days, from `GET /api/stats/deliveries`
 * (UTC days; "failed" is final FAILED and UNKNOWN outcomes, retries not counted).
 */
function SendingSection() {
  const stats = useDeliveryStats(CHART_DAYS);
  const data = stats.data;
  const value = (content: React.ReactNode) =>
    stats.isPending ? (
      <Skeleton className="mt-2 h-9 w-16" />
    ) : stats.isError ? (
      <p className="mt-2 text-sm text-destructive">Unavailable</p>
    ) : (
      content
    );
  const sent = data?.sentToday ?? 0;
  const failed = data?.failedToday ?? 0;
  return (
    <section aria-label="Sending" className="mt-6 grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,3fr)]">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-1">
        <Card>
          <CardContent className="pt-5">
            <p className="text-sm font-medium text-muted-foreground">Sends today</p>
            {value(<p className="mt-1 text-3xl font-semibold tabular-nums" data-testid="sends-today">{sent.toLocaleString()}</p>)}
            <p className="mt-1 text-xs text-muted-foreground">Delivered since midnight UTC</p>
          </CardContent>
        </Card>
        <Card>
          <CardContent className="pt-5">
            <p className="text-sm font-medium text-muted-foreground">Failure rate (today)</p>
            {value(
              <p className={`mt-1 text-3xl font-semibold tabular-nums ${failed ? "text-red-700" : ""}`} data-testid="failure-rate-today">
                {formatRate(data?.failureRateToday)}
              </p>,
            )}
            <p className="mt-1 text-xs text-muted-foreground">
              {data && data.failureRateToday != null ? `${failed.toLocaleString()} failed, ${sent.toLocaleString()} sent` : "Nothing sent yet today"}
            </p>
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Sends and failures, last {CHART_DAYS} days</CardTitle>
        </CardHeader>
        <CardContent>
          {stats.isPending ? (
            <Skeleton className="h-48 w-full" />
          ) : stats.isError ? (
            <ProblemAlert error={stats.error} title="Could not load the sending statistics" />
          ) : (
            <DeliveryChart days={stats.data.days ?? []} />
          )}
        </CardContent>
      </Card>
    </section>
  );
}

export function Overview() {
  const session = useSession();
  const { canWriteCampaigns } = usePermissions();
  const recent = useCampaigns([], 0, 5);
  const hasContacts = useHasApi("/api/contacts");
  const hasFailures = useHasApi("/api/failures");
  const hasStats = useHasApi("/api/stats/deliveries");
  const tiles = 4 + (hasContacts ? 1 : 0) + (hasFailures ? 1 : 0);
  const name = session.status === "authenticated" ? session.user.displayName || session.user.email : "";
  return (
    <>
      <PageHeader title="Overview" description={name ? `Signed in as ${name}.` : undefined} />
      <section aria-label="Contacts and campaigns by status" className={`grid gap-4 sm:grid-cols-2 ${tiles === 6 ? "lg:grid-cols-3" : tiles === 5 ? "lg:grid-cols-5" : "lg:grid-cols-4"}`}>
        {hasContacts ? <ContactsTile /> : null}
        <CountTile label="Active campaigns" statuses={["RUNNING", "PAUSED"]} description="Running or paused" />
        <CountTile label="Scheduled" statuses={["SCHEDULED"]} description="Waiting for their send time" />
        <CountTile label="Drafts" statuses={["DRAFT"]} description="Not launched yet" />
        <CountTile label="Finished" statuses={["COMPLETED", "CANCELLED", "FAILED"]} description="Completed, cancelled or failed" />
        {hasFailures ? <FailuresTile /> : null}
      </section>
      {hasStats ? <SendingSection /> : null}
      <Card className="mt-6">
        <CardHeader className="flex-row items-center justify-between">
          <CardTitle>Recently changed campaigns</CardTitle>
          <Button variant="link" asChild>
            <Link href="/campaigns/">All campaigns</Link>
          </Button>
        </CardHeader>
        <CardContent>
          {recent.isPending ? (
            <TableSkeleton rows={3} />
          ) : recent.isError ? (
            <ProblemAlert error={recent.error} title="Could not load the campaigns" />
          ) : (recent.data.items ?? []).length === 0 ? (
            <EmptyState
              title="No campaigns yet"
              action={
                canWriteCampaigns ? (
                  <Button asChild>
                    <Link href="/campaigns/new/">Create a campaign</Link>
                  </Button>
                ) : null
              }
            />
          ) : (
            <ul className="divide-y">
              {recent.data.items!.map((c) => (
                <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2.5">
                  <div className="min-w-0">
                    <Link href={campaignHref(c.id!)} className="font-medium text-primary underline-offset-4 hover:underline">
                      {c.name}
                    </Link>
                    <p className="text-xs text-muted-foreground">
                      {c.channel ? CHANNEL_LABEL[c.channel] : ""} · changed {formatRelative(c.updatedAt)}
                    </p>
                  </div>
                  <StatusBadge status={c.status} />
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </>
  );
}
