"use client";
import * as React from "react";
import { api, call } from "@/api/client";
import { errorMessage } from "@/api/problem";

export type TemplateFormat = "TEXT" | "HTML";

/**
 * Renders a Liquid template as a send would (POST /api/templates/preview): for a sample contact, or
 * with exactly the variables a send to `contactId` would use.
 */
export type TemplatePreviewer = (template: string, format: TemplateFormat, signal?: AbortSignal, contactId?: string) => Promise<string>;

export const previewWithApi: TemplatePreviewer = async (template, format, signal, contactId) => {
  const body = contactId ? { template, format, contactId } : { template, format };
  const answer = await call(api.POST("/api/templates/preview", { body, signal }));
  return answer.rendered ?? "";
};

/** A contact to preview as: what the picker shows of it. */
export interface PreviewContact {
  id: string;
  email?: string;
  phone?: string;
  externalId?: string;
}

/** Finds contacts for the "Preview as" picker (the first few matches). */
export type ContactFinder = (text: string, signal?: AbortSignal) => Promise<PreviewContact[]>;

/**
 * The contacts search API (GET /api/contacts): by email (a prefix, or the exact address when it
 * has an @), and by external id when nothing matches the email.
 */
export const findContactsWithApi: ContactFinder = async (text, signal) => {
  const q = text.trim();
  if (!q) return [];
  const byEmail = await call(api.GET("/api/contacts", { params: { query: { email: q, page: 0, size: 8 } }, signal }));
  const items = byEmail.items ?? [];
  if (items.length) return items.filter((c): c is typeof c & { id: string } => !!c.id);
  const byExternalId = await call(api.GET("/api/contacts", { params: { query: { externalId: q, page: 0, size: 8 } }, signal }));
  return (byExternalId.items ?? []).filter((c): c is typeof c & { id: string } => !!c.id);
};

/** How a contact is named to a person: its email, else its phone or external id, else its id. */
export function contactLabel(c: PreviewContact): string {
  return c.email || c.phone || c.externalId || c.id;
}

export interface PreviewState {
  rendered?: string;
  error?: string;
  pending: boolean;
}

/**
 * The rendered template (for a sample contact, or for `contactId`), updated as the text or the contact changes (after a short pause in typing, and only
 * the latest request counts).
 */
export function useTemplatePreview(
  previewer: TemplatePreviewer,
  template: string,
  format: TemplateFormat,
  contactId?: string,
  delayMs = 350,
): PreviewState {
  const [state, setState] = React.useState<PreviewState>({ pending: false });
  React.useEffect(() => {
    if (!template.trim()) {
      setState({ pending: false, rendered: "" });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      previewer(template, format, controller.signal, contactId).then(
        (rendered) => !controller.signal.aborted && setState({ pending: false, rendered }),
        (e) => !controller.signal.aborted && setState({ pending: false, error: errorMessage(e) }),
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [previewer, template, format, contactId, delayMs]);
  return state;
}
