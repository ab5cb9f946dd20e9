"use client";
import * as React from "react";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "@/api/client";

/** A tracked event name, as GET /api/tracking/event-names answers it. */
export interface TrackedEventName {
  name?: string;
  count?: number;
  more?: boolean;
  propertyKeys?: string[];
}

/**
 * The names of the events Herald has tracked (up to 100, with their property keys), read once per minute at
 * most and shared by every form that names an event: the inputs filter them as one types (a datalist), so a
 * keystroke costs no request.
 */
export function useEventNames(enabled = true) {
  return useQuery({
    queryKey: ["tracking", "event-names"],
    queryFn: async () =>
      ((await call(api.GET("/api/tracking/event-names", { params: { query: { limit: 100 } } }))).names ?? []) as TrackedEventName[],
    staleTime: 60_000,
    enabled,
  });
}

/** The property keys seen on `event` (all events' keys when it is not a known name), sorted, each once. */
export function propertyKeysOf(names: TrackedEventName[] | undefined, event: string | undefined): string[] {
  const list = names ?? [];
  const known = list.find((n) => n.name === event);
  const keys = known ? (known.propertyKeys ?? []) : list.flatMap((n) => n.propertyKeys ?? []);
  return [...new Set(keys)].sort();
}

/** How an event name is offered: its name and how often it was tracked. */
export function eventNameLabel(n: TrackedEventName): string {
  const count = n.count ?? 0;
  return `${count.toLocaleString()}${n.more ? "+" : ""} tracked`;
}

/** A datalist of the tracked event names, for an input's `list`. */
export function EventNameOptions({ id }: { id: string }) {
  const names = useEventNames();
  return (
    <datalist id={id} data-testid="event-name-options">
      {(names.data ?? []).map((n) => (
        <option key={n.name} value={n.name}>
          {eventNameLabel(n)}
        </option>
      ))}
    </datalist>
  );
}

/** A datalist of the property keys seen on `event`, for an input's `list`. */
export function PropertyKeyOptions({ id, event }: { id: string; event: string | undefined }) {
  const names = useEventNames();
  return (
    <datalist id={id}>
      {propertyKeysOf(names.data, event).map((k) => (
        <option key={k} value={k} />
      ))}
    </datalist>
  );
}
