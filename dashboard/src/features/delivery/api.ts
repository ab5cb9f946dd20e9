"use client";
import * as React from "react";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call } from "@/api/client";
import type { Schemas } from "@/api/public";
import { openEventStream, type StreamStatus } from "@/lib/sse";
import { campaignKeys } from "@/features/campaigns/api";

export type CampaignProgress = Schemas["CampaignProgressView"];
export type Delivery = Schemas["DeliveryView"];
export type DeliveryStatus = NonNullable<Delivery["status"]>;
export type Failure = Schemas["FailureView"];

export const DELIVERY_STATUSES: DeliveryStatus[] = ["PENDING", "SENDING", "SENT", "FAILED", "SKIPPED", "UNKNOWN"];

export const deliveryKeys = {
  progress: (id: string) => ["delivery", "progress", id] as const,
  deliveries: (id: string, status: DeliveryStatus | "") => ["delivery", "deliveries", id, status] as const,
  allDeliveries: (id: string) => ["delivery", "deliveries", id] as const,
  failures: (filters: FailureFilters) => ["delivery", "failures", filters] as const,
  allFailures: ["delivery", "failures"] as const,
};

/** Runs `fn` at most once per `ms` (the last call of a burst is not lost). */
function useThrottled(fn: () => void, ms: number) {
  const last = React.useRef(0);
  const timer = React.useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = React.useRef(fn);
  React.useEffect(() => {
    latest.current = fn;
  });
  React.useEffect(() => () => clearTimeout(timer.current), []);
  return React.useCallback(() => {
    const wait = last.current + ms - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      latest.current();
    } else if (!timer.current) {
      timer.current = setTimeout(() => {
        timer.current = undefined;
        last.current = Date.now();
        latest.current();
      }, wait);
    }
  }, [ms]);
}

/**
 * A campaign's progress: read once, then kept current by `GET …/progress/stream` while `live` (the
 * campaign is scheduled, running or paused). Nothing polls: every change arrives as a `progress` event.
 */
export function useCampaignProgress(id: string, live: boolean) {
  const client = useQueryClient();
  const [stream, setStream] = React.useState<{ status: StreamStatus; error?: unknown }>({ status: "closed" });
  const query = useQuery({
    queryKey: deliveryKeys.progress(id),
    queryFn: () => call(api.GET("/api/campaigns/{id}/progress", { params: { path: { id } } })),
    staleTime: live ? Infinity : 0,
  });
  // a run that is still under way (e.g. cancelling) stays live until it is done
  const state = query.data?.state;
  live = live || (state !== undefined && state !== "DONE" && state !== "NOT_STARTED");
  const refreshDeliveries = useThrottled(() => void client.invalidateQueries({ queryKey: deliveryKeys.allDeliveries(id) }), 3_000);

  React.useEffect(() => {
    if (!live) return;
    let done = false;
    let processed = -1;
    let frozen = true; // until the first event says otherwise (the table was just read)
    // Every recipient is settled but the run is not DONE yet: Herald completes the campaign right after,
    // and the stream's last word may predate it (it is pushed from another event processor). The
    // campaign and its progress are read again, once shortly after and once later if still needed.
    const settleTimers: ReturnType<typeof setTimeout>[] = [];
    const settle = () => {
      if (settleTimers.length) return;
      for (const delay of [1_500, 5_000]) {
        settleTimers.push(
          setTimeout(() => {
            const current = client.getQueryData<CampaignProgress>(deliveryKeys.progress(id));
            if (current?.state === "DONE") return;
            void client.invalidateQueries({ queryKey: campaignKeys.one(id) });
            void client.invalidateQueries({ queryKey: deliveryKeys.progress(id) });
          }, delay),
        );
      }
    };
    const close = openEventStream({
      connect: async (signal) =>
        (await call(
          api.GET("/api/campaigns/{id}/progress/stream", { params: { path: { id } }, parseAs: "stream", signal }),
        )) as unknown as ReadableStream<Uint8Array>,
      onEvent: (event) => {
        if (event.event !== "progress") return;
        let view: CampaignProgress;
        try {
          view = JSON.parse(event.data) as CampaignProgress;
        } catch {
          return;
        }
        client.setQueryData(deliveryKeys.progress(id), view);
        const now = (view.sent ?? 0) + (view.failed ?? 0) + (view.skipped ?? 0) + (view.unknown ?? 0);
        // new records (the audience was frozen) or new outcomes: the deliveries table follows
        if ((processed >= 0 && now !== processed) || (view.frozen && !frozen)) refreshDeliveries();
        processed = now;
        frozen = !!view.frozen;
        if (view.state !== "DONE" && view.frozen && (view.remaining ?? 1) === 0 && (view.audience ?? 0) > 0) settle();
        if (view.state === "DONE") done = true;
      },
      onStatus: (status, error) => setStream({ status, error }),
      reconnectAfterEnd: () => !done,
    });
    return () => {
      close();
      settleTimers.forEach(clearTimeout);
      setStream({ status: "closed" });
    };
  }, [id, live, client, refreshDeliveries]);

  // when the run ends (said by the stream or by a read), the campaign's status (completed), its history
  // and the deliveries follow
  const runState = query.data?.state;
  const previousState = React.useRef(runState);
  React.useEffect(() => {
    const before = previousState.current;
    previousState.current = runState;
    if (runState !== "DONE" || before === undefined || before === "DONE") return;
    const refresh = () => {
      void client.invalidateQueries({ queryKey: campaignKeys.one(id) });
      void client.invalidateQueries({ queryKey: campaignKeys.history(id) });
      void client.invalidateQueries({ queryKey: ["campaigns", "list"] });
      void client.invalidateQueries({ queryKey: ["campaigns", "count"] });
    };
    refresh();
    void client.invalidateQueries({ queryKey: deliveryKeys.allDeliveries(id) });
    // the campaign's own view is another projection, which may record the completion a moment after the
    // run's: read again, a few times at most, while it still says running or paused
    const timers = [1_500, 4_000, 10_000].map((delay) =>
      setTimeout(() => {
        const status = client.getQueryData<{ status?: string }>(campaignKeys.one(id))?.status;
        if (status === "RUNNING" || status === "PAUSED") refresh();
      }, delay),
    );
    return () => timers.forEach(clearTimeout);
  }, [runState, id, client]);

  return { query, stream };
}

/** A campaign's delivery records, keyset-paged (`next` → `after`). */
export function useDeliveries(id: string, status: DeliveryStatus | "", limit = 50) {
  return useInfiniteQuery({
    queryKey: deliveryKeys.deliveries(id, status),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(
        api.GET("/api/campaigns/{id}/deliveries", {
          params: { path: { id }, query: { status: status || undefined, after: pageParam, limit } },
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export interface FailureFilters {
  campaignId?: string;
  channel?: string;
  reason?: string;
  /** ISO-8601 instants */
  from?: string;
  to?: string;
}

/** The failure log, newest first, keyset-paged (`next` → `before`). */
export function useFailures(filters: FailureFilters, limit = 50) {
  return useInfiniteQuery({
    queryKey: deliveryKeys.failures(filters),
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      call(
        api.GET("/api/failures", {
          params: {
            query: {
              campaignId: filters.campaignId || undefined,
              channel: filters.channel || undefined,
              reason: filters.reason || undefined,
              from: filters.from || undefined,
              to: filters.to || undefined,
              before: pageParam,
              limit,
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/**
 * `GET /api/failures/stream`: a `failures` event whenever entries are added; the log is read again
 * then (at most every 2 s), and after a reconnection (entries may have come in the meantime).
 */
export function useFailureStream(campaignId: string | undefined) {
  const client = useQueryClient();
  const [stream, setStream] = React.useState<{ status: StreamStatus; error?: unknown }>({ status: "closed" });
  const [updatedAt, setUpdatedAt] = React.useState<number | null>(null);
  const refetch = useThrottled(() => {
    setUpdatedAt(Date.now());
    void client.invalidateQueries({ queryKey: deliveryKeys.allFailures });
  }, 2_000);

  React.useEffect(() => {
    let connections = 0;
    const close = openEventStream({
      connect: async (signal) =>
        (await call(
          api.GET("/api/failures/stream", { params: { query: { campaignId: campaignId || undefined } }, parseAs: "stream", signal }),
        )) as unknown as ReadableStream<Uint8Array>,
      onEvent: (event) => {
        if (event.event === "failures") refetch();
        if (event.event === "ready" && connections++ > 0) refetch();
      },
      onStatus: (status, error) => setStream({ status, error }),
    });
    return () => {
      close();
      setStream({ status: "closed" });
    };
  }, [campaignId, refetch]);

  return { stream, updatedAt };
}
