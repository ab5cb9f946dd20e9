"use client";
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call, type CampaignStatus, type CampaignView, type Schemas, type WithHistory } from "@/api/client";
import type { CampaignAction } from "./status";

export const campaignKeys = {
  all: ["campaigns"] as const,
  list: (statuses: CampaignStatus[], page: number, size: number, template?: boolean) =>
    ["campaigns", "list", { statuses, page, size, template }] as const,
  count: (status: CampaignStatus | "ALL") => ["campaigns", "count", status] as const,
  one: (id: string) => ["campaigns", "one", id] as const,
  history: (id: string) => ["campaigns", "history", id] as const,
};

/** `template`: true only templates, false only the others, undefined both. */
export function useCampaigns(statuses: CampaignStatus[], page: number, size = 20, template?: boolean) {
  return useQuery({
    queryKey: campaignKeys.list(statuses, page, size, template),
    queryFn: () =>
      call(api.GET("/api/campaigns", { params: { query: { status: statuses.length ? statuses : undefined, template, page, size } } })),
    placeholderData: keepPreviousData,
  });
}

/** How many campaigns have each status (one item is fetched per status; totalItems is the count). */
export function useCampaignCounts(statuses: CampaignStatus[]) {
  return useQueries({
    queries: statuses.map((status) => ({
      queryKey: campaignKeys.count(status),
      queryFn: async () => {
        const page = await call(api.GET("/api/campaigns", { params: { query: { status: [status], page: 0, size: 1 } } }));
        return page.totalItems ?? 0;
      },
    })),
  });
}

export function useCampaign(id: string | null) {
  return useQuery({
    queryKey: campaignKeys.one(id ?? ""),
    queryFn: () => call(api.GET("/api/campaigns/{id}", { params: { path: { id: id! } } })),
    enabled: !!id,
  });
}

/** Campaign names by id, for lists that name campaigns (each read once and shared with the campaign page). */
export function useCampaignNames(ids: (string | undefined)[]): Map<string, string> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: campaignKeys.one(id),
      queryFn: () => call(api.GET("/api/campaigns/{id}", { params: { path: { id } } })),
      staleTime: 60_000,
      retry: false,
    })),
  });
  const names = new Map<string, string>();
  results.forEach((r, i) => {
    if (r.data?.name) names.set(unique[i], r.data.name);
  });
  return names;
}

export function useCampaignHistory(id: string | null) {
  return useQuery({
    queryKey: campaignKeys.history(id ?? ""),
    queryFn: async () =>
      (await call(api.GET("/api/campaigns/{id}/history", { params: { path: { id: id! } } }))) as WithHistory<Schemas["CampaignHistoryView"]>,
    enabled: !!id,
  });
}

/**
 * After a command the API answers the campaign as its read model shows it, or 202 with no body when
 * the read model is late; then the campaign is read again.
 */
async function settled(id: string, answer: CampaignView | undefined): Promise<CampaignView> {
  if (answer && answer.id) return answer;
  return call(api.GET("/api/campaigns/{id}", { params: { path: { id } } }));
}

export function useRefreshCampaign() {
  const client = useQueryClient();
  return (campaign: CampaignView) => {
    if (campaign.id) client.setQueryData(campaignKeys.one(campaign.id), campaign);
    void client.invalidateQueries({ queryKey: ["campaigns", "list"] });
    void client.invalidateQueries({ queryKey: ["campaigns", "count"] });
    if (campaign.id) void client.invalidateQueries({ queryKey: campaignKeys.history(campaign.id) });
    // the run's state (paused, cancelling…) is read again: the progress stream speaks only when sends are recorded
    if (campaign.id) void client.invalidateQueries({ queryKey: ["delivery", "progress", campaign.id] });
  };
}

type LifecycleAction = Exclude<CampaignAction, "edit" | "schedule">;

/** launch, pause, resume, cancel */
export function useCampaignAction(id: string) {
  const refresh = useRefreshCampaign();
  return useMutation({
    mutationFn: async ({ action, reason }: { action: LifecycleAction; reason?: string }) => {
      const path = { params: { path: { id } } };
      switch (action) {
        case "launch":
          return settled(id, await call(api.POST("/api/campaigns/{id}/launch", path)));
        case "pause":
          return settled(id, await call(api.POST("/api/campaigns/{id}/pause", path)));
        case "resume":
          return settled(id, await call(api.POST("/api/campaigns/{id}/resume", path)));
        case "cancel":
          return settled(
            id,
            await call(api.POST("/api/campaigns/{id}/cancel", { ...path, body: reason?.trim() ? { reason: reason.trim() } : {} })),
          );
      }
    },
    onSuccess: refresh,
  });
}

export interface SaveInput {
  /** set when editing (or when a create already succeeded and is retried as an edit) */
  existingId?: string;
  /** the id a new campaign gets (client-chosen so a retried create is safe) */
  newId: string;
  definition: {
    name: string;
    channel: "EMAIL" | "SMS" | "WEBHOOK";
    content: Record<string, string | boolean | undefined>;
    segmentId?: string;
    throttlePerSecond?: number;
    /** always sent: an update without it unmarks the campaign */
    template: boolean;
    /** always sent, for the same reason */
    transactional: boolean;
  };
  /** PUT only when the definition changed */
  definitionChanged: boolean;
  schedule?: { sendAt: string; timeZone: string };
}

export type SaveStage = "create" | "update" | "schedule";

export class SaveError extends Error {
  constructor(
    readonly stage: SaveStage,
    readonly cause: unknown,
    readonly campaignId: string | undefined,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Creates or updates a campaign, then schedules it when asked. A failure says which step failed. */
export function useSaveCampaign() {
  const refresh = useRefreshCampaign();
  return useMutation({
    mutationFn: async (input: SaveInput): Promise<CampaignView> => {
      let id = input.existingId;
      let campaign: CampaignView | undefined;
      if (!id) {
        try {
          campaign = await settled(
            input.newId,
            // the OpenAPI document names the campaign's and the flow's create bodies both "Create" and keeps the
            // flow's: hence the cast (see the report to the backend)
            await call(api.POST("/api/campaigns", { body: { id: input.newId, ...input.definition } as never })),
          );
          id = input.newId;
        } catch (e) {
          throw new SaveError("create", e, undefined);
        }
      } else if (input.definitionChanged) {
        try {
          campaign = await settled(id, await call(api.PUT("/api/campaigns/{id}", { params: { path: { id } }, body: input.definition })));
        } catch (e) {
          throw new SaveError("update", e, id);
        }
      }
      if (input.schedule) {
        try {
          campaign = await settled(
            id,
            await call(api.POST("/api/campaigns/{id}/schedule", { params: { path: { id } }, body: input.schedule })),
          );
        } catch (e) {
          throw new SaveError("schedule", e, id);
        }
      }
      return campaign ?? call(api.GET("/api/campaigns/{id}", { params: { path: { id } } }));
    },
    onSuccess: refresh,
  });
}

/**
 * POST /api/campaigns/{id}/duplicate: a new draft (never a template) copying the campaign; named `name`, or the
 * source's name with " (copy)" when blank. Each call makes a new copy (no retry: a retry would copy twice).
 */
export function useDuplicateCampaign(id: string) {
  const refresh = useRefreshCampaign();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ name }: { name?: string } = {}): Promise<CampaignView> => {
      const body = name?.trim() ? { name: name.trim() } : {};
      let location: string | null = null;
      const copy = await call(
        api.POST("/api/campaigns/{id}/duplicate", { params: { path: { id } }, body }).then((answer) => {
          location = answer.response.headers.get("Location");
          return answer;
        }),
      );
      if (copy && copy.id) return copy;
      // no body (the read model is late): the copy is named by the Location header
      const copyId = copyIdOf(location);
      if (!copyId) throw new Error("The copy was made, but Herald did not say where: find it in the campaign list.");
      return call(api.GET("/api/campaigns/{id}", { params: { path: { id: copyId } } }));
    },
    onSuccess: (copy) => {
      refresh(copy);
      // the source's history now records the copy
      void client.invalidateQueries({ queryKey: campaignKeys.history(id) });
    },
  });
}

/** The campaign id at the end of a Location header (`…/api/campaigns/{id}`). */
export function copyIdOf(location: string | null): string | undefined {
  if (!location) return undefined;
  const match = /\/api\/campaigns\/([^/?#]+)\/?(?:[?#].*)?$/.exec(location);
  return match ? decodeURIComponent(match[1]) : undefined;
}

/** The campaign report: delivery counters, opens and clicks (human/all), rates and clicks per link. */
export function useCampaignReport(id: string | null) {
  return useQuery({
    queryKey: ["campaigns", "report", id ?? ""] as const,
    queryFn: async () => (await call(api.GET("/api/campaigns/{id}/report", { params: { path: { id: id! } } }))) as Schemas["CampaignReport"],
    enabled: !!id,
  });
}
