import { act, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ContactImportView } from "./api";

/** The typed client, stood in for: GET of the import, and its stream (a body the test writes to). */
const GET = vi.fn();
vi.mock("@/api/client", async () => {
  const { call } = await import("@/api/call");
  return { api: { GET: (...args: unknown[]) => GET(...args) }, call };
});

const { useImportProgress } = await import("./api");

const view = (v: Partial<ContactImportView>): ContactImportView => ({ id: "i1", fileName: "contacts.csv", state: "RUNNING", rowsRead: 0, created: 0, updated: 0, rejected: 0, ...v });
const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) });

/** An SSE body: `send` writes an `import` event, `end` closes it, `drop` breaks the connection. */
function sseBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    body,
    send: (v: Partial<ContactImportView>) => controller.enqueue(encoder.encode(`event:import\ndata:${JSON.stringify(view(v))}\n\n`)),
    end: () => controller.close(),
    drop: () => controller.error(new TypeError("network error")),
  };
}

function Probe({ id }: { id: string }) {
  const { query, stream } = useImportProgress(id);
  return (
    <p data-testid="probe">
      {query.data ? `${query.data.state} ${query.data.rowsRead}` : "loading"} / {stream.status}
    </p>
  );
}

function mount() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <Probe id="i1" />
    </QueryClientProvider>,
  );
}

const calls = (path: string) => GET.mock.calls.filter(([p]) => p === path).length;
const probe = () => screen.getByTestId("probe");

afterEach(() => GET.mockReset());

describe("useImportProgress", () => {
  it("reads the import once, then follows the stream to the end without polling", async () => {
    const streams = [sseBody()];
    GET.mockImplementation(async (path: string, init: { parseAs?: string; params: { path: { id: string } } }) => {
      expect(init.params.path.id).toBe("i1");
      if (path === "/api/contacts/imports/{id}/stream") {
        expect(init.parseAs).toBe("stream");
        return ok(streams.shift()!.body);
      }
      return ok(view({ rowsRead: 0 }));
    });
    const stream = streams[0];
    mount();
    await waitFor(() => expect(probe()).toHaveTextContent("RUNNING 0 / open"));
    act(() => stream.send({ rowsRead: 500 }));
    await waitFor(() => expect(probe()).toHaveTextContent("RUNNING 500 / open"));
    act(() => {
      stream.send({ state: "COMPLETED", rowsRead: 1200, created: 1100, rejected: 100 });
      stream.end();
    });
    await waitFor(() => expect(probe()).toHaveTextContent("COMPLETED 1200 / closed"));
    expect(calls("/api/contacts/imports/{id}")).toBe(1);
    expect(calls("/api/contacts/imports/{id}/stream")).toBe(1);
  });

  it("opens no stream for an import that is already over", async () => {
    GET.mockImplementation(async (path: string) => {
      if (path.endsWith("/stream")) throw new Error("no stream expected");
      return ok(view({ state: "COMPLETED", rowsRead: 4 }));
    });
    mount();
    await waitFor(() => expect(probe()).toHaveTextContent("COMPLETED 4 / closed"));
    expect(calls("/api/contacts/imports/{id}/stream")).toBe(0);
  });

  it("reads the import once when the connection drops, then reconnects", async () => {
    const first = sseBody();
    const second = sseBody();
    const streams = [first, second];
    let reads = 0;
    GET.mockImplementation(async (path: string) => {
      if (path.endsWith("/stream")) return ok(streams.shift()!.body);
      reads += 1;
      return ok(view({ rowsRead: reads === 1 ? 0 : 700 }));
    });
    mount();
    await waitFor(() => expect(probe()).toHaveTextContent("RUNNING 0 / open"));
    act(() => first.drop());
    // the single GET of the fallback, while the stream waits to reconnect
    await waitFor(() => expect(probe()).toHaveTextContent("RUNNING 700 / reconnecting"));
    expect(calls("/api/contacts/imports/{id}")).toBe(2);
    await waitFor(() => expect(probe()).toHaveTextContent("RUNNING 700 / open"), { timeout: 3_000 });
    act(() => {
      second.send({ state: "COMPLETED", rowsRead: 900 });
      second.end();
    });
    await waitFor(() => expect(probe()).toHaveTextContent("COMPLETED 900 / closed"));
    expect(calls("/api/contacts/imports/{id}")).toBe(2);
    expect(calls("/api/contacts/imports/{id}/stream")).toBe(2);
  });
});
