import type { HistoryEntry } from "@/api/client";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/lib/utils";

/**
 * One event of an audit history (a campaign's, a flow's): its title, time, a sentence saying what changed, who did
 * it, and the stored event itself (type, revision, sequence, actor, correlation id, payload) behind "Details".
 */
export function HistoryItem({ entry, title, summary, actor }: { entry: HistoryEntry; title: string; summary: string; actor: string }) {
  return (
    <li className="relative">
      <span aria-hidden className="absolute -left-[1.95rem] top-1 h-3 w-3 rounded-full border-2 border-card bg-primary" />
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <Badge tone="neutral">{title}</Badge>
        <time dateTime={entry.timestamp} className="text-xs text-muted-foreground" title={formatDateTime(entry.timestamp)}>
          {formatDateTime(entry.timestamp)}
        </time>
      </div>
      <p className="mt-1 text-sm">{summary}</p>
      <p className="text-xs text-muted-foreground">by {actor}</p>
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer text-muted-foreground hover:text-foreground">Details</summary>
        <dl className="mt-2 space-y-1 rounded-md bg-muted p-2">
          <div>
            <dt className="inline font-medium">Event: </dt>
            <dd className="inline font-mono">
              {entry.type} (revision {entry.revision ?? "—"}, #{entry.sequence})
            </dd>
          </div>
          <div>
            <dt className="inline font-medium">Actor: </dt>
            <dd className="inline font-mono">{entry.actor ?? "—"}</dd>
          </div>
          <div>
            <dt className="inline font-medium">Correlation id: </dt>
            <dd className="inline font-mono">{entry.correlationId ?? "—"}</dd>
          </div>
          <div>
            <dt className="font-medium">Payload:</dt>
            <dd>
              <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-all font-mono">{JSON.stringify(entry.payload ?? {}, null, 2)}</pre>
            </dd>
          </div>
        </dl>
      </details>
    </li>
  );
}
