"use client";
import * as React from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "@/api/client";
import { Badge } from "@/components/ui/badge";
import { ProblemAlert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Loading } from "@/components/ui/states";
import { flowLiveHref } from "@/lib/navigation";
import { formatDateTime } from "@/lib/utils";
import { useFlows } from "./api";
import { RUN_STATE_LABEL, type FlowRun } from "./live";

/** A contact's runs in every flow (GET /api/contacts/{id}/flow-runs), newest first. */
export function useContactFlowRuns(contactId: string) {
  return useQuery({
    queryKey: ["contacts", "flow-runs", contactId],
    queryFn: async () =>
      (await call(api.GET("/api/contacts/{id}/flow-runs", { params: { path: { id: contactId }, query: { page: 0, size: 50 } } }))) as {
        items?: FlowRun[];
        totalItems?: number;
      },
  });
}

/** The contact page's card: each flow run the contact has, linked to its journey on the flow's live page. */
export function ContactFlowRuns({ contactId }: { contactId: string }) {
  const runs = useContactFlowRuns(contactId);
  const flows = useFlows(0, 100);
  const names = React.useMemo(() => new Map((flows.data?.items ?? []).map((f) => [f.id, f.name])), [flows.data]);
  const items = runs.data?.items ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Flows</CardTitle>
        <p className="text-sm text-muted-foreground">The flows this contact entered, newest first; each run&apos;s journey shows every step and why.</p>
      </CardHeader>
      <CardContent>
        {runs.isPending ? (
          <Loading label="Loading the flow runs…" />
        ) : runs.isError ? (
          <ProblemAlert error={runs.error} title="Could not load the flow runs" />
        ) : items.length === 0 ? (
          <p className="text-sm text-muted-foreground">In no flow yet.</p>
        ) : (
          <ul className="divide-y text-sm" aria-label="Flow runs of this contact">
            {items.map((r) => {
              const live = r.state === "ACTIVE" || r.state === "WAITING";
              const name = names.get(r.flowId) ?? r.flowId;
              return (
                <li key={r.runId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span className="min-w-0">
                    <span className="font-medium">{name}</span>{" "}
                    <span className="text-muted-foreground">
                      v{r.version} · entered {formatDateTime(r.enteredAt)}
                      {live && r.nodeId ? ` · at “${r.nodeId}”` : ""}
                    </span>
                  </span>
                  <span className="flex items-center gap-2">
                    <Badge tone={live ? "green" : "slate"}>{RUN_STATE_LABEL[r.state ?? "ACTIVE"]}</Badge>
                    <Link className="underline" href={flowLiveHref(r.flowId!, contactId)} aria-label={`Journey in ${name}, entered ${formatDateTime(r.enteredAt)}`}>
                      Journey
                    </Link>
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
