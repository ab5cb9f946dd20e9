"use client";
import * as React from "react";
import { ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Loading } from "@/components/ui/states";
import type { StreamStatus } from "@/lib/sse";
import { formatDateTime } from "@/lib/utils";
import type { CampaignProgress } from "./api";
import { formatDuration, formatRate, RUN_STATE_LABEL, RUN_STATE_TONE, wholePercent } from "./format";

const COUNTS = [
  ["Sent", "sent", "text-emerald-700"],
  ["Failed", "failed", "text-red-700"],
  ["Skipped", "skipped", "text-amber-800"],
  ["Unknown", "unknown", "text-violet-700"],
] as const;

/** The live state of the stream, in words (announced politely to screen readers). */
export function StreamState({ status, done }: { status: StreamStatus; done: boolean }) {
  if (done) return null;
  const [text, dot] =
    status === "open"
      ? ["Live", "bg-emerald-500"]
      : status === "connecting"
        ? ["Connecting…", "bg-slate-400"]
        : status === "reconnecting"
          ? ["Connection lost, reconnecting…", "bg-amber-500"]
          : ["Not live", "bg-slate-400"];
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-muted-foreground">
      <span aria-hidden className={`h-2 w-2 rounded-full ${dot} ${status === "open" ? "animate-pulse" : ""}`} />
      {text}
    </span>
  );
}

/**
 * A campaign's sending progress: counts, a progress bar with its percentage, rate, ETA and the run's
 * state. Pure: the data comes from `useCampaignProgress` (the progress stream).
 */
/**
 * The run's state, squared with the campaign's status: pausing and resuming are the campaign's, and the
 * run's copy of them can lag a moment behind (it is updated by another event processor).
 */
export function runState(progress: CampaignProgress, campaignStatus?: string): string {
  const state = progress.state ?? "NOT_STARTED";
  if (campaignStatus === "PAUSED" && (state === "SENDING" || state === "FREEZING" || state === "NOT_STARTED")) return "PAUSED";
  if (campaignStatus === "RUNNING" && (state === "PAUSED" || state === "NOT_STARTED")) return progress.frozen ? "SENDING" : "FREEZING";
  return state;
}

export function ProgressPanel({
  progress,
  campaignStatus,
  stream = "closed",
  streamError,
}: {
  progress: CampaignProgress;
  /** the campaign's status, which has the last word on paused / running */
  campaignStatus?: string;
  stream?: StreamStatus;
  streamError?: unknown;
}) {
  const state = runState(progress, campaignStatus);
  const percent = wholePercent(progress.percent);
  const done = state === "DONE";
  const audience = progress.audience ?? 0;
  const processed = (progress.sent ?? 0) + (progress.failed ?? 0) + (progress.skipped ?? 0) + (progress.unknown ?? 0);
  const eta = formatDuration(progress.etaSeconds);
  const labelId = React.useId();
  return (
    <section aria-label="Sending progress" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Badge tone={RUN_STATE_TONE[state] ?? "neutral"} data-testid="run-state">
          {RUN_STATE_LABEL[state] ?? state}
        </Badge>
        <StreamState status={stream} done={done} />
      </div>
      <div>
        <div className="mb-1 flex justify-between text-sm">
          <span id={labelId}>Progress</span>
          <span className="tabular-nums" data-testid="progress-text">
            {processed.toLocaleString()} of {progress.frozen || audience ? audience.toLocaleString() : "…"} · {percent} %
          </span>
        </div>
        <div
          role="progressbar"
          aria-labelledby={labelId}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${percent} %, ${processed} of ${audience} recipients`}
          className="h-3 overflow-hidden rounded-full bg-muted"
        >
          <div className={`h-full rounded-full transition-all ${done ? "bg-emerald-600" : "bg-primary"}`} style={{ width: `${percent}%` }} />
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {COUNTS.map(([label, key, color]) => (
          <div key={key} className="rounded-md border p-3">
            <dt className="text-xs text-muted-foreground">{label}</dt>
            <dd className={`text-2xl font-semibold tabular-nums ${(progress[key] ?? 0) > 0 ? color : ""}`}>{(progress[key] ?? 0).toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted-foreground">Audience</dt>
        <dd className="tabular-nums">{progress.frozen ? audience.toLocaleString() : <span className="text-muted-foreground">not frozen yet</span>}</dd>
        <dt className="text-muted-foreground">Remaining</dt>
        <dd className="tabular-nums">{(progress.remaining ?? 0).toLocaleString()}</dd>
        <dt className="text-muted-foreground">Rate</dt>
        <dd>{formatRate(progress.ratePerSecond)}</dd>
        <dt className="text-muted-foreground">Time left</dt>
        <dd>{done ? "none" : eta ? `about ${eta}` : <span className="text-muted-foreground">unknown</span>}</dd>
        {progress.finishedAt ? (
          <>
            <dt className="text-muted-foreground">Finished</dt>
            <dd>{formatDateTime(progress.finishedAt)}</dd>
          </>
        ) : null}
      </dl>
      {stream === "failed" && streamError ? <ProblemAlert error={streamError} title="Live updates stopped" /> : null}
    </section>
  );
}

/** The card on the campaign page (loading and error states around the panel). */
export function ProgressCard({
  query,
  stream,
  campaignStatus,
}: {
  campaignStatus?: string;
  query: { isPending: boolean; isError: boolean; error: unknown; data?: CampaignProgress };
  stream: { status: StreamStatus; error?: unknown };
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sending</CardTitle>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <Loading label="Loading the progress…" />
        ) : query.isError || !query.data ? (
          <ProblemAlert error={query.error} title="Could not load the progress" />
        ) : (
          <ProgressPanel progress={query.data} campaignStatus={campaignStatus} stream={stream.status} streamError={stream.error} />
        )}
      </CardContent>
    </Card>
  );
}
