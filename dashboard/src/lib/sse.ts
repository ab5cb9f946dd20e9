/**
 * Server-sent events over fetch. Herald's streams need the `Authorization: Bearer` header, which
 * `EventSource` cannot send, so the app reads the body of a normal (authorized) request and parses the
 * `text/event-stream` frames itself, following the WHATWG rules: lines end with CRLF, LF or CR; a blank
 * line dispatches the event; `:` starts a comment; `data` lines are joined with "\n"; one space after
 * the colon is dropped; an event with no data is not dispatched.
 */
import { ApiError } from "@/api/problem";

export interface SseEvent {
  /** "message" when the frame named none */
  event: string;
  data: string;
  id?: string;
  /** the server's `retry:` (reconnection delay, ms) when the frame set one */
  retry?: number;
}

export class SseParser {
  private buffer = "";
  /** the previous chunk ended with CR: a LF starting the next one belongs to the same line end */
  private pendingCr = false;
  private data: string[] = [];
  private eventType = "";
  private lastId: string | undefined;
  private retry: number | undefined;

  /** Feeds decoded text; returns the events completed by it (in order). */
  feed(chunk: string): SseEvent[] {
    if (this.pendingCr && chunk.startsWith("\n")) chunk = chunk.slice(1);
    this.pendingCr = false;
    this.buffer += chunk;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== "\n" && c !== "\r") continue;
      const line = this.buffer.slice(start, i);
      if (c === "\r") {
        if (i + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[i + 1] === "\n") i++;
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined; // comment (Herald's keep-alive)
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.lastId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const data = this.data;
    const eventType = this.eventType;
    const retry = this.retry;
    this.data = [];
    this.eventType = "";
    this.retry = undefined;
    if (data.length === 0) return undefined;
    const event: SseEvent = { event: eventType || "message", data: data.join("\n") };
    if (this.lastId !== undefined) event.id = this.lastId;
    if (retry !== undefined) event.retry = retry;
    return event;
  }
}

export type StreamStatus = "connecting" | "open" | "reconnecting" | "closed" | "failed";

export interface StreamOptions {
  /**
   * Opens the stream: resolves the response body, or throws (an ApiError for an HTTP error). The
   * authorized fetch behind it refreshes the access token once on a 401.
   */
  connect: (signal: AbortSignal) => Promise<ReadableStream<Uint8Array> | null | undefined>;
  onEvent: (event: SseEvent) => void;
  onStatus?: (status: StreamStatus, error?: unknown) => void;
  /** Called when the server ended the stream; return false to stop (e.g. the campaign is done). */
  reconnectAfterEnd?: () => boolean;
  /** first reconnection delay (doubled up to maxDelayMs, with jitter) */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** for tests */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** An HTTP answer after which trying again cannot help (refused, not found, bad request…). */
function isFinal(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Reads an event stream and reconnects with exponential backoff when it drops (network trouble, 5xx,
 * the server's 30-minute limit). Returns a function that closes it for good.
 */
export function openEventStream(options: StreamOptions): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  const sleep = options.sleep ?? defaultSleep;
  const initial = options.initialDelayMs ?? 1_000;
  const max = options.maxDelayMs ?? 30_000;

  void (async () => {
    let failures = 0;
    let serverRetry: number | undefined;
    while (!signal.aborted) {
      options.onStatus?.(failures === 0 ? "connecting" : "reconnecting");
      let ended = false;
      try {
        const body = await options.connect(signal);
        if (!body) throw new ApiError(0, { detail: "The stream answered no body." });
        options.onStatus?.("open");
        failures = 0;
        const reader = body.getReader();
        const decoder = new TextDecoder();
        const parser = new SseParser();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
              if (event.retry !== undefined) serverRetry = event.retry;
              if (!signal.aborted) options.onEvent(event);
            }
          }
        } finally {
          reader.releaseLock();
        }
        ended = true;
      } catch (error) {
        if (signal.aborted) break;
        if (isFinal(error)) {
          options.onStatus?.("failed", error);
          return;
        }
        failures += 1;
        options.onStatus?.("reconnecting", error);
      }
      if (signal.aborted) break;
      if (ended && options.reconnectAfterEnd && !options.reconnectAfterEnd()) {
        options.onStatus?.("closed");
        return;
      }
      const backoff = Math.min(max, (serverRetry ?? initial) * 2 ** Math.max(0, failures - 1));
      await sleep(failures === 0 ? serverRetry ?? initial : backoff * (0.75 + Math.random() * 0.5), signal);
    }
  })();

  return () => controller.abort();
}
