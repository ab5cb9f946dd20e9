"use client";
import * as React from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call } from "@/api/client";
import type { Schemas, WithHistory } from "@/api/public";
import { openEventStream, type StreamStatus } from "@/lib/sse";
import type { FlowDefinition } from "./definition";
import type { FlowRun, FlowStats } from "./live";

export type FlowView = Schemas["FlowView"];
export type FlowSummary = Schemas["FlowSummaryView"];
export type FlowVersion = Schemas["FlowVersionView"];
export type FlowStatus = NonNullable<FlowView["status"]>;
/**
 * The generated schema names node and trigger types after Herald's Java records (`"Branch"`),
 * while the wire says `"branch"`: definitions go through the hand-written types of ./definition.
 */
type ApiDefinition = Schemas["FlowDefinition"];

/** A flow as read or written, with the ETag its answer carried (for If-Match on the next write). */
export interface FlowWithTag {
  flow: FlowView;
  etag: string;
}

export const flowKeys = {
  list: (page: number, size: number) => ["flows", "list", page, size] as const,
  one: (id: string) => ["flows", "one", id] as const,
  version: (id: string, n: number) => ["flows", "version", id, n] as const,
  history: (id: string) => ["flows", "history", id] as const,
};

export function draftOf(flow: FlowView | undefined): FlowDefinition | undefined {
  return flow?.draft as FlowDefinition | undefined;
}

export function definitionOf(version: FlowVersion | undefined): FlowDefinition | undefined {
  return version?.definition as FlowDefinition | undefined;
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The flow and its ETag; the ETag is the flow's `version` in quotes when a proxy dropped the header. */
async function withTag(request: Promise<Answer<FlowView>>, id: string): Promise<FlowWithTag> {
  const flow = await call(request);
  const answer = await request;
  if (!flow || !flow.id) return read(id); // 202: the read model was late, read it again
  return { flow, etag: answer.response.headers.get("ETag") ?? `"${flow.version ?? 0}"` };
}

function read(id: string): Promise<FlowWithTag> {
  return withTag(api.GET("/api/flows/{id}", { params: { path: { id } } }), id);
}

export function useFlows(page = 0, size = 50) {
  return useQuery({
    queryKey: flowKeys.list(page, size),
    queryFn: () => call(api.GET("/api/flows", { params: { query: { page, size } } })),
    placeholderData: keepPreviousData,
  });
}

export function useFlow(id: string | null) {
  return useQuery({
    queryKey: flowKeys.one(id ?? ""),
    queryFn: () => read(id!),
    enabled: !!id,
  });
}

export function useFlowVersion(id: string | null, version: number | null) {
  return useQuery({
    queryKey: flowKeys.version(id ?? "", version ?? 0),
    queryFn: () => call(api.GET("/api/flows/{id}/versions/{version}", { params: { path: { id: id!, version: String(version) } } })),
    enabled: !!id && !!version,
    staleTime: Infinity, // published versions never change
  });
}

export function useFlowHistory(id: string | null) {
  return useQuery({
    queryKey: flowKeys.history(id ?? ""),
    queryFn: async () =>
      (await call(api.GET("/api/flows/{id}/history", { params: { path: { id: id! } } }))) as WithHistory<Schemas["FlowHistoryView"]>,
    enabled: !!id,
  });
}

function useRefreshFlow() {
  const client = useQueryClient();
  return (answer: FlowWithTag) => {
    const id = answer.flow.id!;
    client.setQueryData(flowKeys.one(id), answer);
    void client.invalidateQueries({ queryKey: ["flows", "list"] });
    void client.invalidateQueries({ queryKey: flowKeys.history(id) });
  };
}

export type FlowAction = "publish" | "activate" | "pause" | "resume" | "archive" | "stop";

/** A lifecycle command, sent with If-Match: a flow changed elsewhere since it was read is refused (412). */
export function useFlowAction(id: string) {
  const refresh = useRefreshFlow();
  return useMutation({
    mutationFn: ({ action, etag }: { action: FlowAction; etag: string }) => {
      const init = { params: { path: { id } }, headers: { "If-Match": etag } };
      switch (action) {
        case "publish":
          return withTag(api.POST("/api/flows/{id}/publish", init), id);
        case "activate":
          return withTag(api.POST("/api/flows/{id}/activate", init), id);
        case "pause":
          return withTag(api.POST("/api/flows/{id}/pause", init), id);
        case "resume":
          return withTag(api.POST("/api/flows/{id}/resume", init), id);
        case "archive":
          return withTag(api.POST("/api/flows/{id}/archive", init), id);
        case "stop":
          return withTag(api.POST("/api/flows/{id}/stop", init), id);
      }
    },
    onSuccess: refresh,
  });
}

export interface SaveFlowInput {
  /** set when the draft of an existing flow is replaced */
  existingId?: string;
  /** with existingId: the ETag the editor started from */
  etag?: string;
  /** the id a new flow gets (client-chosen, so a retried create is safe) */
  newId: string;
  name: string;
  definition: FlowDefinition;
}

/** Creates a flow, or replaces the draft of one (If-Match: the ETag the editor read). */
export function useSaveFlow() {
  const refresh = useRefreshFlow();
  return useMutation({
    mutationFn: (input: SaveFlowInput): Promise<FlowWithTag> => {
      const definition = input.definition as unknown as ApiDefinition;
      if (input.existingId) {
        const id = input.existingId;
        return withTag(
          api.PUT("/api/flows/{id}/draft", {
            params: { path: { id } },
            headers: input.etag ? { "If-Match": input.etag } : undefined,
            body: { name: input.name, definition },
          }),
          id,
        );
      }
      return withTag(api.POST("/api/flows", { body: { id: input.newId, name: input.name, definition } }), input.newId);
    },
    onSuccess: refresh,
  });
}

/**
 * Copies a flow (any status) into a new draft flow: its draft definition and layout, named `name` or
 * "<name> (copy)". The copy's id is chosen here, so a retried request answers the same copy.
 */
export function useDuplicateFlow() {
  const refresh = useRefreshFlow();
  return useMutation({
    mutationFn: ({ id, copyId, name }: { id: string; copyId: string; name?: string }): Promise<FlowWithTag> =>
      withTag(api.POST("/api/flows/{id}/duplicate", { params: { path: { id } }, body: { id: copyId, name } }), copyId),
    onSuccess: refresh,
  });
}

/** Archives a flow from the list, with If-Match: the version the list showed (a flow changed since is refused, 412). */
export function useArchiveFlow() {
  const refresh = useRefreshFlow();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }): Promise<FlowWithTag> =>
      withTag(api.POST("/api/flows/{id}/archive", { params: { path: { id } }, headers: { "If-Match": `"${version}"` } }), id),
    onSuccess: refresh,
  });
}

export const flowLiveKeys = {
  stats: (id: string) => ["flows", "stats", id] as const,
  runs: (id: string, contactId: string) => ["flows", "runs", id, contactId] as const,
};

/**
 * A flow's statistics: read once, then kept current by `GET …/stats/stream` (Herald sends `stats` again
 * whenever the counts change) while `live`. Nothing polls. The stream reconnects with backoff.
 */
export function useFlowStats(id: string, live: boolean) {
  const client = useQueryClient();
  const [stream, setStream] = React.useState<{ status: StreamStatus; error?: unknown }>({ status: "closed" });
  const query = useQuery({
    queryKey: flowLiveKeys.stats(id),
    queryFn: async () => (await call(api.GET("/api/flows/{id}/stats", { params: { path: { id } } }))) as FlowStats,
    staleTime: live ? Infinity : 0,
  });
  React.useEffect(() => {
    if (!live) return;
    const close = openEventStream({
      connect: async (signal) =>
        (await call(
          api.GET("/api/flows/{id}/stats/stream", { params: { path: { id } }, parseAs: "stream", signal }),
        )) as unknown as ReadableStream<Uint8Array>,
      onEvent: (event) => {
        if (event.event !== "stats") return;
        try {
          client.setQueryData(flowLiveKeys.stats(id), JSON.parse(event.data) as FlowStats);
        } catch {
          // a frame that is not JSON changes nothing; the next one will
        }
      },
      onStatus: (status, error) => setStream({ status, error }),
    });
    return () => {
      close();
      setStream({ status: "closed" });
    };
  }, [client, id, live]);
  return { query, stream };
}

/** One contact's runs of the flow, newest first, each with its decision log. */
export function useContactRuns(id: string, contactId: string | null, refreshMs?: number) {
  return useQuery({
    queryKey: flowLiveKeys.runs(id, contactId ?? ""),
    queryFn: async () =>
      (await call(api.GET("/api/flows/{id}/runs", { params: { path: { id }, query: { contactId: contactId!, page: 0, size: 20 } } }))) as {
        items?: FlowRun[];
        totalItems?: number;
      },
    enabled: !!contactId,
    refetchInterval: refreshMs,
  });
}

export type MoveResult = { moved?: number; stayed?: number; stayedAt?: Record<string, number>; fromVersion?: number; toVersion?: number };

/** Moves the live runs of one published version to a later one (audited: the flow's history records it). */
export function useMoveRuns(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: { fromVersion: number; toVersion: number }) =>
      (await call(api.POST("/api/flows/{id}/runs/move", { params: { path: { id } }, body: input }))) as MoveResult,
    onSuccess: () => {
      // the move is an event of the flow: its version (the ETag of the next write) moved on
      void client.invalidateQueries({ queryKey: flowKeys.one(id) });
      void client.invalidateQueries({ queryKey: flowKeys.history(id) });
      void client.invalidateQueries({ queryKey: flowLiveKeys.stats(id) });
    },
  });
}
