import { describe, expect, it, vi } from "vitest";
import { ApiError } from "@/api/problem";
import { openEventStream, SseParser, type SseEvent, type StreamStatus } from "./sse";

describe("SseParser", () => {
  it("parses named events as Spring's SseEmitter writes them", () => {
    const p = new SseParser();
    expect(p.feed('event:progress\ndata:{"sent":1}\n\n')).toEqual([{ event: "progress", data: '{"sent":1}' }]);
  });

  it("drops one space after the colon and defaults the type to message", () => {
    expect(new SseParser().feed("data: hello\n\n")).toEqual([{ event: "message", data: "hello" }]);
    expect(new SseParser().feed("data:  two spaces\n\n")).toEqual([{ event: "message", data: " two spaces" }]);
  });

  it("joins data lines with newlines", () => {
    expect(new SseParser().feed("data: a\ndata: b\ndata\n\n")).toEqual([{ event: "message", data: "a\nb\n" }]);
  });

  it("accepts CRLF, LF and CR line ends, also split across chunks", () => {
    const p = new SseParser();
    expect(p.feed("event: x\r")).toEqual([]);
    expect(p.feed("\ndata: 1\r")).toEqual([]);
    expect(p.feed("\n\r")).toEqual([{ event: "x", data: "1" }]);
    expect(p.feed("\ndata: 2\r\rdata: 3\n\n")).toEqual([
      { event: "message", data: "2" },
      { event: "message", data: "3" },
    ]);
  });

  it("keeps a frame split anywhere until its blank line", () => {
    const frame = 'event: progress\ndata: {"percent": 50}\n\n';
    const p = new SseParser();
    const out: SseEvent[] = [];
    for (const ch of frame) out.push(...p.feed(ch));
    expect(out).toEqual([{ event: "progress", data: '{"percent": 50}' }]);
  });

  it("ignores comments (keep-alives), unknown fields and events without data", () => {
    const p = new SseParser();
    expect(p.feed(":keep-alive\n\nfoo: bar\nevent: nothing\n\n")).toEqual([]);
    // the event type does not leak into the next event
    expect(p.feed("data: x\n\n")).toEqual([{ event: "message", data: "x" }]);
  });

  it("remembers the last id and reads retry", () => {
    const p = new SseParser();
    expect(p.feed("id: 7\nretry: 2500\ndata: a\n\ndata: b\n\n")).toEqual([
      { event: "message", data: "a", id: "7", retry: 2500 },
      { event: "message", data: "b", id: "7" },
    ]);
    expect(p.feed("retry: soon\ndata: c\n\n")).toEqual([{ event: "message", data: "c", id: "7" }]);
  });

  it("does not dispatch an unfinished frame", () => {
    expect(new SseParser().feed("data: half")).toEqual([]);
  });
});

function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("openEventStream", () => {
  it("delivers events and reconnects with backoff after a drop and a server error", async () => {
    const events: string[] = [];
    const statuses: StreamStatus[] = [];
    const delays: number[] = [];
    const connect = vi
      .fn()
      .mockResolvedValueOnce(body("event: progress\ndata: 1\n\n"))
      .mockRejectedValueOnce(new ApiError(503, { detail: "busy" }))
      .mockResolvedValueOnce(body("event: progress\ndata: 2\n\n"))
      .mockImplementation(() => new Promise(() => {}));
    const close = openEventStream({
      connect,
      onEvent: (e) => events.push(e.data),
      onStatus: (s) => statuses.push(s),
      initialDelayMs: 100,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    for (let i = 0; i < 20; i++) await flush();
    close();
    expect(events).toEqual(["1", "2"]);
    expect(connect).toHaveBeenCalledTimes(4);
    expect(statuses).toContain("reconnecting");
    // after a clean end: the initial delay; after an error: backoff with jitter (±25 %)
    expect(delays[0]).toBe(100);
    expect(delays[1]).toBeGreaterThanOrEqual(75);
    expect(delays[1]).toBeLessThanOrEqual(125);
  });

  it("stops after the server ended it when told to (the run is done)", async () => {
    const statuses: StreamStatus[] = [];
    const connect = vi.fn().mockResolvedValue(body('event: progress\ndata: {"state":"DONE"}\n\n'));
    openEventStream({ connect, onEvent: () => {}, onStatus: (s) => statuses.push(s), reconnectAfterEnd: () => false, sleep: async () => {} });
    for (let i = 0; i < 10; i++) await flush();
    expect(connect).toHaveBeenCalledTimes(1);
    expect(statuses.at(-1)).toBe("closed");
  });

  it("gives up on a 4xx answer and reports the problem", async () => {
    let failure: unknown;
    const connect = vi.fn().mockRejectedValue(new ApiError(404, { detail: "No campaign with id x" }));
    openEventStream({ connect, onEvent: () => {}, onStatus: (s, e) => s === "failed" && (failure = e), sleep: async () => {} });
    for (let i = 0; i < 10; i++) await flush();
    expect(connect).toHaveBeenCalledTimes(1);
    expect((failure as ApiError).message).toBe("No campaign with id x");
  });
});
