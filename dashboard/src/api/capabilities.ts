"use client";
import { useQuery } from "@tanstack/react-query";
import { API_BASE } from "./public";

/**
 * Which API paths the running Herald offers, read once from its OpenAPI document. Screens whose API
 * arrives with a later issue (contacts, segments) stay hidden on a Herald without it instead of
 * failing with 403. When the document cannot be read, everything is assumed present.
 */
export function useApiPaths() {
  return useQuery({
    queryKey: ["api-paths"],
    queryFn: async () => {
      const response = await fetch(`${API_BASE}/v3/api-docs`, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`GET /v3/api-docs answered ${response.status}`);
      const doc = (await response.json()) as { paths?: Record<string, unknown> };
      return new Set(Object.keys(doc.paths ?? {}));
    },
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
}

/** true / false once known (true when the document is unavailable); undefined while loading. */
export function useHasApi(path: string): boolean | undefined {
  const paths = useApiPaths();
  if (paths.isError) return true;
  return paths.data ? paths.data.has(path) : undefined;
}
