"use client";
import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { CAMPAIGN_STATUSES, type CampaignStatus } from "@/api/client";
import { PageHeader } from "@/components/AppShell";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ProblemAlert } from "@/components/ui/alert";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { usePermissions } from "@/auth/hooks";
import { useCampaigns } from "@/features/campaigns/api";
import { FailureReasonLine } from "@/features/campaigns/FailureReason";
import { StatusBadge } from "@/features/campaigns/StatusBadge";
import { TEMPLATE_FILTERS, TemplateBadge, templateFilterOf, templateParamOf, type TemplateFilter } from "@/features/campaigns/template";
import { CHANNEL_LABEL, STATUS_LABEL } from "@/features/campaigns/status";
import { campaignHref } from "@/lib/navigation";
import { formatDateTime, formatRelative } from "@/lib/utils";
import { formatInZone } from "@/lib/timezones";

const PAGE_SIZE = 20;

export function CampaignList() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const { canWriteCampaigns } = usePermissions();
  const statuses = params.getAll("status").filter((s): s is CampaignStatus => (CAMPAIGN_STATUSES as string[]).includes(s));
  const page = Math.max(0, Number.parseInt(params.get("page") ?? "0", 10) || 0);
  const kind = templateFilterOf(params.get("template"));
  const query = useCampaigns(statuses, page, PAGE_SIZE, templateParamOf(kind));

  function navigate(nextStatuses: CampaignStatus[], nextPage: number, nextKind: TemplateFilter = kind) {
    const search = new URLSearchParams();
    for (const s of nextStatuses) search.append("status", s);
    const template = templateParamOf(nextKind);
    if (template !== undefined) search.set("template", String(template));
    if (nextPage > 0) search.set("page", String(nextPage));
    const qs = search.toString();
    router.replace(`${pathname}${qs ? `?${qs}` : ""}`, { scroll: false });
  }

  function toggle(status: CampaignStatus) {
    const next = statuses.includes(status) ? statuses.filter((s) => s !== status) : [...statuses, status];
    navigate(next, 0);
  }

  const data = query.data;
  const items = data?.items ?? [];
  const totalPages = data?.totalPages ?? 0;

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Every campaign, most recently changed first."
        actions={
          canWriteCampaigns ? (
            <Button asChild>
              <Link href="/campaigns/new/">New campaign</Link>
            </Button>
          ) : null
        }
      />

      <fieldset className="mb-4">
        <legend className="mb-2 text-sm font-medium">Show</legend>
        <div className="inline-flex rounded-md border bg-card p-0.5" role="group" aria-label="Templates or campaigns">
          {TEMPLATE_FILTERS.map((f) => {
            const on = kind === f.value;
            return (
              <button
                key={f.value}
                type="button"
                aria-pressed={on}
                onClick={() => navigate(statuses, 0, f.value)}
                className={
                  "rounded px-3 py-1 text-xs font-medium transition-colors " +
                  (on ? "bg-primary text-primary-foreground" : "hover:bg-muted")
                }
              >
                {f.label}
              </button>
            );
          })}
        </div>
      </fieldset>

      <fieldset className="mb-4">
        <legend className="mb-2 text-sm font-medium">Filter by status</legend>
        <div className="flex flex-wrap gap-2">
          {CAMPAIGN_STATUSES.map((s) => {
            const on = statuses.includes(s);
            return (
              <button
                key={s}
                type="button"
                aria-pressed={on}
                onClick={() => toggle(s)}
                className={
                  "rounded-full border px-3 py-1 text-xs font-medium transition-colors " +
                  (on ? "border-primary bg-primary text-primary-foreground" : "bg-card hover:bg-muted")
                }
              >
                {STATUS_LABEL[s]}
              </button>
            );
          })}
          {statuses.length ? (
            <Button variant="link" size="sm" onClick={() => navigate([], 0)}>
              Any status
            </Button>
          ) : null}
        </div>
      </fieldset>

      <Card>
        {query.isPending ? (
          <TableSkeleton />
        ) : query.isError ? (
          <div className="p-4">
            <ProblemAlert error={query.error} title="Could not load the campaigns" />
          </div>
        ) : items.length === 0 ? (
          statuses.length || kind !== "all" ? (
            <EmptyState
              title={
                kind === "all" ? "No campaign has this status" : kind === "templates" && !statuses.length ? "No templates yet" : "No campaign matches these filters"
              }
            >
              {kind === "templates" && !statuses.length ? (
                <p>Mark a campaign “Use as a template” in its editor to have it copied by Duplicate and the daily n8n workflow.</p>
              ) : null}
              <Button variant="link" onClick={() => navigate([], 0, "all")}>
                Show all campaigns
              </Button>
            </EmptyState>
          ) : (
            <EmptyState
              title="No campaigns yet"
              action={
                canWriteCampaigns ? (
                  <Button asChild>
                    <Link href="/campaigns/new/">Create the first campaign</Link>
                  </Button>
                ) : null
              }
            >
              Campaigns send an email, SMS or webhook to a segment of your contacts, now or at a scheduled time.
            </EmptyState>
          )
        ) : (
          <Table aria-busy={query.isFetching || undefined}>
            <caption className="sr-only">Campaigns</caption>
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Status</TH>
                <TH>Channel</TH>
                <TH>Send at</TH>
                <TH>Last change</TH>
              </tr>
            </THead>
            <TBody>
              {items.map((c) => (
                <TR key={c.id}>
                  <TD className="max-w-80">
                    <Link href={campaignHref(c.id!)} className="font-medium text-primary underline-offset-4 hover:underline break-words">
                      {c.name}
                    </Link>
                    {c.template ? (
                      <>
                        {" "}
                        <TemplateBadge template={c.template} />
                      </>
                    ) : null}
                  </TD>
                  <TD>
                    <StatusBadge status={c.status} />
                    <FailureReasonLine campaign={c} />
                  </TD>
                  <TD>{c.channel ? CHANNEL_LABEL[c.channel] : "—"}</TD>
                  <TD className="whitespace-nowrap">
                    {c.sendAt ? (
                      <>
                        {formatInZone(c.sendAt, c.timeZone ?? "UTC")} <span className="text-xs text-muted-foreground">{c.timeZone}</span>
                      </>
                    ) : (
                      <span className="text-muted-foreground">—</span>
                    )}
                  </TD>
                  <TD className="whitespace-nowrap" title={formatDateTime(c.updatedAt)}>
                    {formatRelative(c.updatedAt)}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        {totalPages > 1 ? (
          <nav aria-label="Pages" className="flex items-center justify-between border-t px-4 py-3 text-sm">
            <span className="text-muted-foreground">
              Page {page + 1} of {totalPages} · {data?.totalItems} campaigns
            </span>
            <div className="flex gap-2">
              <Button variant="outline" size="sm" disabled={page === 0} onClick={() => navigate(statuses, page - 1)}>
                Previous
              </Button>
              <Button variant="outline" size="sm" disabled={page + 1 >= totalPages} onClick={() => navigate(statuses, page + 1)}>
                Next
              </Button>
            </div>
          </nav>
        ) : null}
      </Card>
    </>
  );
}
