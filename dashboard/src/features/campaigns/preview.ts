"use client";
import * as React from "react";
import { api, call } from "@/api/client";
import { errorMessage } from "@/api/problem";

export type TemplateFormat = "TEXT" | "HTML";

/** Renders a Liquid template as a send would (POST /api/templates/preview; a sample contact without variables). */
export type TemplatePreviewer = (template: string, format: TemplateFormat, signal?: AbortSignal) => Promise<string>;

export const previewWithApi: TemplatePreviewer = async (template, format, signal) => {
  const answer = await call(api.POST("/api/templates/preview", { body: { template, format }, signal }));
  return answer.rendered ?? "";
};

export interface PreviewState {
  rendered?: string;
  error?: string;
  pending: boolean;
}

/**
 * The rendered template, updated as the text changes (after a short pause in typing, and only
 * the latest request counts).
 */
export function useTemplatePreview(previewer: TemplatePreviewer, template: string, format: TemplateFormat, delayMs = 350): PreviewState {
  const [state, setState] = React.useState<PreviewState>({ pending: false });
  React.useEffect(() => {
    if (!template.trim()) {
      setState({ pending: false, rendered: "" });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      previewer(template, format, controller.signal).then(
        (rendered) => !controller.signal.aborted && setState({ pending: false, rendered }),
        (e) => !controller.signal.aborted && setState({ pending: false, error: errorMessage(e) }),
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [previewer, template, format, delayMs]);
  return state;
}
