"use client";
import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { CHANNELS } from "@/api/client";
import { PageHeader } from "@/components/AppShell";
import { ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, NativeSelect } from "@/components/ui/input";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useCampaignNames, useCampaigns } from "@/features/campaigns/api";
import { CHANNEL_LABEL } from "@/features/campaigns/status";
import { useFailures, useFailureStream, type Failure, type FailureFilters } from "@/features/delivery/api";
import { campaignLink, contactHref } from "@/features/delivery/DeliveriesTable";
import { localToInstant, OUTCOME_LABEL, OUTCOME_TONE } from "@/features/delivery/format";
import { useDebounced } from "@/lib/useDebounced";
import { formatDateTime, formatRelative } from "@/lib/utils";

const FILTERS = ["campaignId", "channel", "reason", "from", "to"] as const;
type FilterName = (typeof FILTERS)[number];

/** The failure log: every failed attempt, newest first, filterable, updated live. */
export function FailureLog() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const value = (name: FilterName) => params.get(name) ?? "";
  const [reason, setReason] = React.useState(value("reason"));
  const debouncedReason = useDebounced(reason.trim(), 400);

  const setFilter = React.useCallback(
    (name: FilterName, next: string) => {
      const search = new URLSearchParams(window.location.search);
      if (next) search.set(name, next);
      else search.delete(name);
      const qs = search.toString();
      router.replace(`${pathname}${qs ? `?${qs}` : ""}`, { scroll: false });
    },
    [router, pathname],
  );

  React.useEffect(() => {
    if (debouncedReason !== (params.get("reason") ?? "")) setFilter("reason", debouncedReason);
  }, [debouncedReason, params, setFilter]);

  const filters: FailureFilters = {
    campaignId: value("campaignId") || undefined,
    channel: value("channel") || undefined,
    reason: value("reason") || undefined,
    from: localToInstant(value("from")),
    to: localToInstant(value("to")),
  };
  const query = useFailures(filters);
  const live = useFailureStream(filters.campaignId);
  const campaigns = useCampaigns([], 0, 100);
  const items = query.data?.pages.flatMap((p) => p.items ?? []) ?? [];
  const campaignName = useCampaignNames([...items.map((f) => f.campaignId), value("campaignId")]);
  const listed = new Set((campaigns.data?.items ?? []).map((c) => c.id));
  const filtered = FILTERS.some((f) => value(f));

  return (
    <>
      <PageHeader
        title="Failures"
        description="Every failed send attempt, newest first: retries scheduled, final failures and sends whose outcome is unknown."
        actions={<LiveState status={live.stream.status} updatedAt={live.updatedAt} />}
      />
      <Card className="mb-4">
        <CardContent className="pt-5">
          <form
            className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5"
            aria-label="Filter the failure log"
            onSubmit={(e) => e.preventDefault()}
          >
            <Field label="Campaign">
              <NativeSelect value={value("campaignId")} onChange={(e) => setFilter("campaignId", e.target.value)}>
                <option value="">All campaigns</option>
                {value("campaignId") && !listed.has(value("campaignId")) ? (
                  <option value={value("campaignId")}>{campaignName.get(value("campaignId")) ?? value("campaignId")}</option>
                ) : null}
                {(campaigns.data?.items ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field label="Channel">
              <NativeSelect value={value("channel")} onChange={(e) => setFilter("channel", e.target.value)}>
                <option value="">All channels</option>
                {CHANNELS.map((ch) => (
                  <option key={ch} value={ch}>
                    {CHANNEL_LABEL[ch]}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field label="Reason" hint="The exact reason code, e.g. http.500">
              <Input value={reason} onChange={(e) => setReason(e.target.value)} spellCheck={false} autoComplete="off" />
            </Field>
            <Field label="From">
              <Input type="datetime-local" value={value("from")} onChange={(e) => setFilter("from", e.target.value)} />
            </Field>
            <Field label="To">
              <Input type="datetime-local" value={value("to")} onChange={(e) => setFilter("to", e.target.value)} />
            </Field>
          </form>
          {filtered ? (
            <Button
              variant="link"
              size="sm"
              className="mt-2 px-0"
              onClick={() => {
                setReason("");
                router.replace(pathname, { scroll: false });
              }}
            >
              Clear the filters
            </Button>
          ) : null}
        </CardContent>
      </Card>
      {live.stream.status === "failed" ? <ProblemAlert error={live.stream.error} title="Live updates stopped" className="mb-4" /> : null}
      <Card>
        {query.isPending ? (
          <TableSkeleton />
        ) : query.isError ? (
          <div className="p-4">
            <ProblemAlert error={query.error} title="Could not load the failure log" />
          </div>
        ) : items.length === 0 ? (
          <EmptyState title={filtered ? "No failure matches these filters" : "No failures"}>
            {filtered ? null : "Failed send attempts appear here as they happen."}
          </EmptyState>
        ) : (
          <>
            <Table aria-busy={query.isFetching || undefined}>
              <caption className="sr-only">Failure log</caption>
              <THead>
                <tr>
                  <TH className="w-10">
                    <span className="sr-only">Details</span>
                  </TH>
                  <TH>When</TH>
                  <TH>Campaign</TH>
                  <TH>Contact</TH>
                  <TH>Channel</TH>
                  <TH>Reason</TH>
                  <TH>Outcome</TH>
                </tr>
              </THead>
              <TBody>
                {items.map((f) => (
                  <FailureRow key={f.id} failure={f} campaignName={campaignName.get(f.campaignId ?? "")} />
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
    </>
  );
}

function LiveState({ status, updatedAt }: { status: string; updatedAt: number | null }) {
  const [text, dot] =
    status === "open"
      ? ["Live", "bg-emerald-500"]
      : status === "reconnecting"
        ? ["Connection lost, reconnecting…", "bg-amber-500"]
        : status === "failed"
          ? ["Not live", "bg-red-500"]
          : ["Connecting…", "bg-slate-400"];
  return (
    <p role="status" aria-live="polite" className="inline-flex items-center gap-1.5 text-sm text-muted-foreground">
      <span aria-hidden className={`h-2 w-2 rounded-full ${dot}`} />
      {text}
      {updatedAt ? <span className="text-xs">· updated {formatRelative(new Date(updatedAt).toISOString())}</span> : null}
    </p>
  );
}

function FailureRow({ failure: f, campaignName }: { failure: Failure; campaignName?: string }) {
  const [open, setOpen] = React.useState(false);
  const detailsId = `failure-${f.id}-details`;
  return (
    <>
      <TR>
        <TD>
          <Button
            variant="ghost"
            size="sm"
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={`${open ? "Hide" : "Show"} details of failure ${f.id}`}
            onClick={() => setOpen((o) => !o)}
          >
            <span aria-hidden>{open ? "▾" : "▸"}</span>
          </Button>
        </TD>
        <TD className="whitespace-nowrap text-xs">
          <time dateTime={f.occurredAt}>{formatDateTime(f.occurredAt)}</time>
        </TD>
        <TD>
          {f.campaignId ? (
            <Link href={campaignLink(f.campaignId)} className="text-primary underline-offset-4 hover:underline">
              {campaignName ?? <span className="font-mono text-xs">{f.campaignId}</span>}
            </Link>
          ) : f.source === "webhook" ? (
            <Link href="/settings/webhooks/" className="text-primary underline-offset-4 hover:underline" title={f.webhookSubscriptionId}>
              Webhook subscription
            </Link>
          ) : (
            "—"
          )}
        </TD>
        <TD>
          {f.contactId ? (
            <Link href={contactHref(f.contactId)} className="font-mono text-xs text-primary underline-offset-4 hover:underline">
              {f.contactId}
            </Link>
          ) : (
            "—"
          )}
        </TD>
        <TD>{f.channel ? CHANNEL_LABEL[f.channel] : "—"}</TD>
        <TD className="font-mono text-xs">{f.reason ?? "—"}</TD>
        <TD>
          <Badge tone={OUTCOME_TONE[f.outcome ?? ""] ?? "neutral"}>{OUTCOME_LABEL[f.outcome ?? ""] ?? f.outcome ?? "—"}</Badge>
        </TD>
      </TR>
      {open ? (
        <tr id={detailsId} className="bg-muted/30">
          <td colSpan={7} className="px-3 py-3">
            <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[8rem_1fr]">
              <dt className="text-muted-foreground">Error</dt>
              <dd>
                <pre className="max-h-48 overflow-auto whitespace-pre-wrap break-all rounded-md bg-muted p-2 font-mono text-xs">{f.error || "—"}</pre>
              </dd>
              <dt className="text-muted-foreground">Attempt</dt>
              <dd className="tabular-nums">{f.attempt ?? "—"}</dd>
              <dt className="text-muted-foreground">Outcome</dt>
              <dd>{OUTCOME_LABEL[f.outcome ?? ""] ?? f.outcome ?? "—"}</dd>
              <dt className="text-muted-foreground">Next try</dt>
              <dd>{f.retryAt ? `${formatDateTime(f.retryAt)} (${formatRelative(f.retryAt)})` : "none"}</dd>
              <dt className="text-muted-foreground">Worker</dt>
              <dd className="font-mono text-xs">{f.workerId ?? "—"}</dd>
              <dt className="text-muted-foreground">Entry</dt>
              <dd className="font-mono text-xs">#{f.id}</dd>
            </dl>
          </td>
        </tr>
      ) : null}
    </>
  );
}
