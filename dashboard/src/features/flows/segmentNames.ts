"use client";
import * as React from "react";
import { useSegments } from "@/features/segments/api";

/** Segment names by id, for triggers and branch rules (ids are shown when the list is not readable). */
export function useSegmentName(): (id: string) => string | undefined {
  const segments = useSegments(0, 200);
  const items = segments.data?.items;
  return React.useMemo(() => {
    const names = new Map((items ?? []).map((s) => [String(s.id).toLowerCase(), s.name ?? ""]));
    return (id: string) => {
      const name = names.get(id.toLowerCase());
      return name ? `“${name}”` : undefined;
    };
  }, [items]);
}
