"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call } from "@/api/client";
import type { Schemas, WithHistory } from "@/api/public";
import type { ApiRule } from "./rules";

export type SegmentView = Schemas["SegmentView"];
export type SegmentPreview = Schemas["SegmentPreviewView"];

export const segmentKeys = {
  list: (page: number, size: number) => ["segments", "list", page, size] as const,
  one: (id: string) => ["segments", "one", id] as const,
  history: (id: string) => ["segments", "history", id] as const,
  preview: (rules: string, size: number) => ["segments", "preview", rules, size] as const,
};

export function useSegments(page = 0, size = 200, enabled = true) {
  return useQuery({
    queryKey: segmentKeys.list(page, size),
    queryFn: () => call(api.GET("/api/segments", { params: { query: { page, size } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useSegment(id: string | null) {
  return useQuery({
    queryKey: segmentKeys.one(id ?? ""),
    queryFn: () => call(api.GET("/api/segments/{id}", { params: { path: { id: id! } } })),
    enabled: !!id,
  });
}

export function useSegmentHistory(id: string | null) {
  return useQuery({
    queryKey: segmentKeys.history(id ?? ""),
    queryFn: async () =>
      (await call(api.GET("/api/segments/{id}/history", { params: { path: { id: id! } } }))) as WithHistory<Schemas["SegmentHistoryView"]>,
    enabled: !!id,
  });
}

/**
 * How many contacts the rules match now, and a sample of them. Asked again when the rules change
 * (the caller debounces them), never on a timer.
 */
export function useSegmentPreview(rule: ApiRule | undefined, sampleSize = 10) {
  const key = rule ? JSON.stringify(rule) : "";
  return useQuery({
    queryKey: segmentKeys.preview(key, sampleSize),
    // rules as never: the OpenAPI document types a rule's `type` by Java class name ("And"), the wire by "and" (see ApiRule)
    queryFn: ({ signal }) => call(api.POST("/api/segments/preview", { body: { rules: rule! as never, sampleSize }, signal })),
    enabled: !!rule,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
    retry: false,
  });
}

export function useSaveSegment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: { existingId?: string; newId: string; name: string; description?: string; rules: ApiRule }) => {
      // rules as never: see useSegmentPreview
      const body = { name: input.name, description: input.description, rules: input.rules as never };
      const saved = input.existingId
        ? await call(api.PUT("/api/segments/{id}", { params: { path: { id: input.existingId } }, body }))
        : await call(api.POST("/api/segments", { body: { id: input.newId, ...body } }));
      const id = input.existingId ?? input.newId;
      return saved?.id ? saved : call(api.GET("/api/segments/{id}", { params: { path: { id } } }));
    },
    onSuccess: (segment) => {
      if (segment.id) client.setQueryData(segmentKeys.one(segment.id), segment);
      void client.invalidateQueries({ queryKey: ["segments", "list"] });
      if (segment.id) void client.invalidateQueries({ queryKey: segmentKeys.history(segment.id) });
    },
  });
}

export function useDeleteSegment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE("/api/segments/{id}", { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["segments"] }),
  });
}
