"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import type { CampaignView } from "@/api/client";
import { PageHeader } from "@/components/AppShell";
import { HistoryItem } from "@/components/HistoryItem";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { EmptyState, Loading } from "@/components/ui/states";
import { usePermissions } from "@/auth/hooks";
import { useCampaign, useCampaignAction, useCampaignHistory, useDuplicateCampaign } from "@/features/campaigns/api";
import { DuplicateCampaign } from "@/features/campaigns/DuplicateCampaign";
import { TemplateBadge } from "@/features/campaigns/template";
import { useActorName } from "@/features/campaigns/actors";
import { eventSummary, eventTitle, previousDefinitions } from "@/features/campaigns/history";
import { FailureNotice } from "@/features/campaigns/FailureReason";
import { StatusBadge } from "@/features/campaigns/StatusBadge";
import { allowedActions, CHANNEL_LABEL } from "@/features/campaigns/status";
import { CampaignReportCard } from "@/features/campaigns/CampaignReport";
import { campaignEditHref } from "@/lib/navigation";
import { formatDateTime, formatRelative } from "@/lib/utils";
import { formatInZone } from "@/lib/timezones";
import { useCampaignProgress } from "@/features/delivery/api";
import { ProgressCard } from "@/features/delivery/CampaignProgress";
import { DeliveriesTable } from "@/features/delivery/DeliveriesTable";

export function CampaignDetail() {
  const id = useSearchParams().get("id");
  const campaign = useCampaign(id);
  const crumb = (
    <Link href="/campaigns/" className="hover:underline">
      Campaigns
    </Link>
  );
  if (!id) return <Alert tone="error">No campaign was named in the address.</Alert>;
  if (campaign.isPending) return <Loading label="Loading the campaign…" />;
  if (campaign.isError)
    return (
      <>
        <PageHeader title="Campaign" breadcrumb={crumb} />
        <ProblemAlert error={campaign.error} title="Could not load the campaign" />
      </>
    );
  const c = campaign.data;
  return (
    <>
      <PageHeader
        breadcrumb={crumb}
        title={
          <span className="flex flex-wrap items-center gap-3">
            {c.name}
            <StatusBadge status={c.status} />
            <TemplateBadge template={c.template} />
          </span>
        }
        description={
          <>
            {c.channel ? CHANNEL_LABEL[c.channel] : ""} campaign · created {formatDateTime(c.createdAt)}
          </>
        }
        actions={<CampaignActions campaign={c} />}
      />
      {c.status === "FAILED" ? (
        <div className="mb-6">
          <FailureNotice campaign={c} />
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[1fr_1.2fr]">
        <div className="space-y-6">
          {showsDelivery(c) ? <Progress campaign={c} /> : null}
          {c.launchedAt ? <CampaignReportCard campaignId={c.id!} /> : null}
          <Definition campaign={c} />
        </div>
        <History id={c.id!} />
      </div>
      {showsDelivery(c) && c.launchedAt ? (
        <div className="mt-6">
          <DeliveriesTable campaignId={c.id!} />
        </div>
      ) : null}
    </>
  );
}

/** Progress shows from the moment a campaign can start sending (scheduled) on. */
function showsDelivery(c: CampaignView) {
  return c.status === "SCHEDULED" || c.status === "RUNNING" || c.status === "PAUSED" || !!c.launchedAt;
}

function Progress({ campaign: c }: { campaign: CampaignView }) {
  const live = c.status === "SCHEDULED" || c.status === "RUNNING" || c.status === "PAUSED";
  const { query, stream } = useCampaignProgress(c.id!, live);
  return (
    <div className="space-y-2">
      <ProgressCard query={query} stream={stream} campaignStatus={c.status} />
      {c.launchedAt ? (
        <p className="text-right text-sm">
          <Link href={`/failures/?campaignId=${encodeURIComponent(c.id!)}`} className="text-primary underline-offset-4 hover:underline">
            This campaign&apos;s failure log
          </Link>
        </p>
      ) : null}
    </div>
  );
}

type Action = "launch" | "pause" | "resume" | "cancel";

function CampaignActions({ campaign }: { campaign: CampaignView }) {
  const { canWriteCampaigns, canLaunchCampaigns } = usePermissions();
  const mutation = useCampaignAction(campaign.id!);
  const duplicate = useDuplicateCampaign(campaign.id!);
  const router = useRouter();
  const [confirm, setConfirm] = React.useState<Action | null>(null);
  const [reason, setReason] = React.useState("");
  const allowed = allowedActions(campaign.status);

  if (!canWriteCampaigns && !canLaunchCampaigns) return null;

  function run(action: Action) {
    mutation.mutate(
      { action, reason: action === "cancel" ? reason : undefined },
      {
        onSettled: () => setConfirm(null),
        onSuccess: () => setReason(""),
      },
    );
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap gap-2">
        {canWriteCampaigns && allowed.includes("edit") ? (
          <Button variant="outline" asChild>
            <Link href={campaignEditHref(campaign.id!)}>{campaign.status === "SCHEDULED" ? "Edit or reschedule" : "Edit"}</Link>
          </Button>
        ) : null}
        {canWriteCampaigns ? (
          <DuplicateCampaign
            campaign={campaign}
            duplicate={(name) => duplicate.mutateAsync({ name })}
            onDuplicated={(copy) => router.push(campaignEditHref(copy.id!))}
          />
        ) : null}
        {canLaunchCampaigns && allowed.includes("launch") ? <Button onClick={() => setConfirm("launch")}>Launch now</Button> : null}
        {canWriteCampaigns && allowed.includes("pause") ? (
          <Button variant="secondary" loading={mutation.isPending && mutation.variables?.action === "pause"} onClick={() => run("pause")}>
            Pause
          </Button>
        ) : null}
        {canWriteCampaigns && allowed.includes("resume") ? (
          <Button loading={mutation.isPending && mutation.variables?.action === "resume"} onClick={() => run("resume")}>
            Resume
          </Button>
        ) : null}
        {canWriteCampaigns && allowed.includes("cancel") ? (
          <Button variant="destructive" onClick={() => setConfirm("cancel")}>
            Cancel campaign
          </Button>
        ) : null}
      </div>
      {mutation.isError && !confirm ? <ProblemAlert error={mutation.error} title="The campaign did not change" className="max-w-md" /> : null}

      <ConfirmDialog
        open={confirm === "launch"}
        onOpenChange={(o) => !o && setConfirm(null)}
        title="Launch this campaign now?"
        description={
          <>
            {campaign.status === "SCHEDULED"
              ? "It starts sending now instead of at its scheduled time."
              : "It starts sending to its audience now."}
            {campaign.template ? (
              <span className="mt-2 block font-medium text-foreground">
                This campaign is a template: the daily n8n workflow copies it each morning. Launching it sends the template itself;
                to send a copy instead, use Duplicate.
              </span>
            ) : null}
          </>
        }
        confirmLabel="Launch now"
        busy={mutation.isPending}
        onConfirm={() => run("launch")}
      >
        {mutation.isError ? <ProblemAlert error={mutation.error} /> : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "cancel"}
        onOpenChange={(o) => !o && setConfirm(null)}
        title="Cancel this campaign?"
        description="A cancelled campaign sends nothing more and cannot be restarted."
        confirmLabel="Cancel campaign"
        destructive
        busy={mutation.isPending}
        onConfirm={() => run("cancel")}
      >
        <div className="space-y-3">
          <Field label="Reason" optional hint="Kept in the campaign's history.">
            <Textarea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          {mutation.isError ? <ProblemAlert error={mutation.error} /> : null}
        </div>
      </ConfirmDialog>
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

function Definition({ campaign: c }: { campaign: CampaignView }) {
  const content = c.content ?? {};
  const waiting = c.status === "SCHEDULED";
  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>Schedule</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="divide-y">
            <Row label={waiting ? "Sends at" : "Scheduled for"}>
              {c.sendAt ? (
                <>
                  {formatInZone(c.sendAt, c.timeZone ?? "UTC")} <span className="text-muted-foreground">({c.timeZone})</span>
                  {waiting ? <span className="block text-xs text-muted-foreground">{formatRelative(c.sendAt)}</span> : null}
                </>
              ) : (
                <span className="text-muted-foreground">not scheduled</span>
              )}
            </Row>
            <Row label="Launched">{formatDateTime(c.launchedAt)}</Row>
            <Row label={c.status === "FAILED" ? "Failed" : "Finished"}>{formatDateTime(c.finishedAt)}</Row>
            <Row label="Last change">{formatDateTime(c.updatedAt)}</Row>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Definition</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="divide-y">
            <Row label="Channel">{c.channel ? CHANNEL_LABEL[c.channel] : "—"}</Row>
            <Row label="Template">
              {c.template ? "yes: copied by Duplicate and the daily n8n workflow" : <span className="text-muted-foreground">no</span>}
            </Row>
            <Row label="Segment">{c.segmentId ? <span className="font-mono text-xs">{c.segmentId}</span> : <span className="text-muted-foreground">none</span>}</Row>
            <Row label="Throttle">{c.throttlePerSecond ? `${c.throttlePerSecond} per second` : <span className="text-muted-foreground">none</span>}</Row>
            {c.channel === "EMAIL" ? (
              <>
                <Row label="Subject">{content.subject}</Row>
                <Row label="Text body">
                  <ContentText text={content.body} />
                </Row>
                <Row label="HTML body">
                  <ContentText text={content.html} />
                </Row>
              </>
            ) : null}
            {c.channel === "SMS" ? (
              <Row label="Message">
                <ContentText text={content.body} />
              </Row>
            ) : null}
            {c.channel === "WEBHOOK" ? (
              <>
                <Row label="URL">
                  <span className="break-all font-mono text-xs">{content.url}</span>
                </Row>
                <Row label="Payload">
                  <ContentText text={content.payload} />
                </Row>
              </>
            ) : null}
          </dl>
        </CardContent>
      </Card>
    </>
  );
}

function ContentText({ text }: { text?: string }) {
  if (!text) return <span className="text-muted-foreground">—</span>;
  return <pre className="max-h-48 overflow-auto whitespace-pre-wrap rounded-md bg-muted p-2 font-mono text-xs">{text}</pre>;
}

function History({ id }: { id: string }) {
  const history = useCampaignHistory(id);
  const actorName = useActorName();
  const entries = history.data?.events ?? [];
  const previous = React.useMemo(() => previousDefinitions(entries), [entries]);
  return (
    <Card>
      <CardHeader>
        <CardTitle>History</CardTitle>
        <p className="text-sm text-muted-foreground">Everything that happened to this campaign, from its event store, oldest first.</p>
      </CardHeader>
      <CardContent>
        {history.isPending ? (
          <Loading label="Loading the history…" />
        ) : history.isError ? (
          <ProblemAlert error={history.error} title="Could not load the history" />
        ) : entries.length === 0 ? (
          <EmptyState title="No events yet" />
        ) : (
          <ol className="relative space-y-5 border-l pl-6" aria-label="Campaign history">
            {entries.map((entry, i) => (
              <HistoryItem key={entry.sequence ?? i} entry={entry} title={eventTitle(entry.type)} summary={eventSummary(entry, previous[i])} actor={actorName(entry.actor)} />
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
