"use client";
import * as React from "react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call } from "@/api/client";
import type { Schemas } from "@/api/public";
import { ApiError, toApiError } from "@/api/problem";
import { openEventStream, type StreamStatus } from "@/lib/sse";

export type ContactView = Schemas["ContactView"];
export type ContactImportView = Schemas["ContactImportView"];
export type ConsentStatus = "SUBSCRIBED" | "UNSUBSCRIBED" | "BOUNCED" | "COMPLAINED";

export interface ContactSearch {
  email?: string;
  externalId?: string;
  attribute?: string;
  value?: string;
}

export function useContacts(search: ContactSearch, page: number, size = 25) {
  return useQuery({
    queryKey: ["contacts", "list", search, page, size],
    queryFn: () =>
      call(
        api.GET("/api/contacts", {
          params: {
            query: {
              email: search.email || undefined,
              externalId: search.externalId || undefined,
              attribute: search.attribute || undefined,
              value: search.attribute && search.value ? search.value : undefined,
              page,
              size,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useContact(id: string | null) {
  return useQuery({
    queryKey: ["contacts", "one", id],
    queryFn: () => call(api.GET("/api/contacts/{id}", { params: { path: { id: id! } } })),
    enabled: !!id,
  });
}

export function useContactTimeline(id: string | null, after?: number) {
  return useQuery({
    queryKey: ["contacts", "timeline", id, after ?? null],
    queryFn: () => call(api.GET("/api/contacts/{id}/timeline", { params: { path: { id: id! }, query: { after, limit: 50 } } })),
    enabled: !!id,
  });
}

export function useChangeConsent(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { channel: "EMAIL" | "SMS" | "WEBHOOK"; status: ConsentStatus; reason?: string }) =>
      // the OpenAPI document names two records "Consent" (this request and the contact's consent view) and keeps
      // one: the request's `channel` is missing from it, hence the cast (see the report to the backend)
      call(
        api.POST("/api/contacts/{id}/consent", {
          params: { path: { id } },
          body: { channel: input.channel, status: input.status, reason: input.reason || undefined } as never,
        }),
      ),
    onSuccess: (contact) => {
      client.setQueryData(["contacts", "one", id], contact);
      void client.invalidateQueries({ queryKey: ["contacts", "timeline", id] });
    },
  });
}

export const importKey = (id: string | null) => ["imports", id] as const;

const finished = (view: ContactImportView | undefined) => view?.state === "COMPLETED" || view?.state === "FAILED";

export function useImport(id: string | null) {
  return useQuery({
    queryKey: importKey(id),
    queryFn: () => call(api.GET("/api/contacts/imports/{id}", { params: { path: { id: id! } } })),
    enabled: !!id,
    // kept current by the stream (useImportProgress), not by refetching
    staleTime: Infinity,
  });
}

/**
 * An import, read once and then, while it runs, kept current by `GET …/imports/{id}/stream`: an `import` event (the same
 * body as the GET) at once and whenever a batch is recorded; the server ends the stream when the
 * import is COMPLETED or FAILED. Nothing polls. When the connection drops, the import is read once
 * (the page stays right while the stream reconnects) and the stream is opened again unless the import
 * has ended meanwhile.
 */
export function useImportProgress(id: string | null) {
  const client = useQueryClient();
  const query = useImport(id);
  const [stream, setStream] = React.useState<{ status: StreamStatus; error?: unknown }>({ status: "closed" });
  // the stream opens once the import is known to be running (one opened after its end needs none)
  const live = !!id && query.data?.state === "RUNNING";

  React.useEffect(() => {
    if (!id || !live) return;
    let connected = false;
    let lost = false;
    const close = openEventStream({
      connect: async (signal) =>
        (await call(
          api.GET("/api/contacts/imports/{id}/stream", { params: { path: { id } }, parseAs: "stream", signal }),
        )) as unknown as ReadableStream<Uint8Array>,
      onEvent: (event) => {
        if (event.event !== "import") return;
        let view: ContactImportView;
        try {
          view = JSON.parse(event.data) as ContactImportView;
        } catch {
          return;
        }
        client.setQueryData(importKey(id), view);
      },
      onStatus: (status, error) => {
        if (status === "open") {
          connected = true;
          lost = false;
        }
        // the connection dropped (not a refusal): one GET, then the stream's own reconnection
        if (status === "reconnecting" && connected && !lost) {
          lost = true;
          void client.invalidateQueries({ queryKey: importKey(id) });
        }
        setStream({ status, error });
      },
      // the server ends the stream with the import; an end before that (its time limit) reconnects
      reconnectAfterEnd: () => !finished(client.getQueryData<ContactImportView>(importKey(id))),
    });
    return () => {
      close();
      setStream({ status: "closed" });
    };
  }, [id, live, client]);

  return { query, stream };
}

/** Starts an import: the file with its column mapping (multipart). */
export function useStartImport() {
  return useMutation({
    mutationFn: async (input: { file: File; mapping: object; mode: "UPSERT" | "CREATE_ONLY" }) => {
      const form = new FormData();
      form.set("file", input.file, input.file.name);
      form.set("mapping", JSON.stringify(input.mapping));
      form.set("mode", input.mode);
      const answer = await api.POST("/api/contacts/imports", {
        // mapping and mode travel as form fields next to the file (the API reads either)
        params: { query: {} as never },
        body: form as never,
        bodySerializer: (body: unknown) => body as FormData,
      });
      if (!answer.response.ok) throw toApiError(answer.response.status, answer.error);
      return answer.data as ContactImportView;
    },
  });
}

/** Downloads the rejected rows as CSV (the request needs the access token, so it is fetched, then saved). */
export async function downloadRejections(id: string, fileName = "rejected-rows.csv") {
  const answer = await api.GET("/api/contacts/imports/{id}/rejections.csv", { params: { path: { id } }, parseAs: "blob" });
  if (!answer.response.ok) throw toApiError(answer.response.status, answer.error);
  const blob = answer.data as unknown as Blob;
  if (!(blob instanceof Blob)) throw new ApiError(500, { detail: "The download was empty" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
