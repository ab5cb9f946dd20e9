"use client";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "@/api/client";
import type { Schemas } from "@/api/public";

export type DeliveryStats = Schemas["DeliveryStatsView"];
export type DailyDeliveries = NonNullable<DeliveryStats["days"]>[number];

/**
 * `GET /api/stats/deliveries`: sends and failures (final FAILED and UNKNOWN) per UTC day, oldest first,
 * the last entry being today, with today's totals and failure rate.
 */
export function useDeliveryStats(days = 14) {
  return useQuery({
    queryKey: ["delivery", "stats", days],
    queryFn: () => call(api.GET("/api/stats/deliveries", { params: { query: { days } } })),
  });
}

/** "3.2 %", "<0.1 %", "—" when nothing was sent (rate null). */
export function formatRate(rate: number | null | undefined): string {
  if (rate == null || !Number.isFinite(rate)) return "—";
  const percent = Math.max(0, Math.min(1, rate)) * 100;
  if (percent > 0 && percent < 0.1) return "<0.1 %";
  return `${Number(percent.toFixed(1)).toLocaleString()} %`;
}
