import * as React from "react";
import { act, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";

/** The typed client, stood in for: GET and POST of a flow, answering with ETags. */
const GET = vi.fn();
const POST = vi.fn();
vi.mock("@/api/client", async () => {
  const { call } = await import("@/api/call");
  return { api: { GET: (...a: unknown[]) => GET(...a), POST: (...a: unknown[]) => POST(...a) }, call };
});

const { useFlow, useFlowAction } = await import("./api");

const flow = (version: number, status = "DRAFT") => ({ id: "f1", name: "Cart", status, latestVersion: 1, version });
const tagged = (data: unknown, etag: string | null, status = 200) =>
  ({ data, response: new Response(null, { status, headers: etag ? { ETag: etag } : {} }) });

let act_: ReturnType<typeof useFlowAction>;
function Probe() {
  const q = useFlow("f1");
  act_ = useFlowAction("f1");
  return <p data-testid="probe">{q.data ? `${q.data.flow.status} ${q.data.etag}` : "loading"}</p>;
}

function mount() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <Probe />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  GET.mockReset();
  POST.mockReset();
});

describe("flow lifecycle calls", () => {
  it("send the ETag the flow was read with as If-Match, and keep the answer's ETag", async () => {
    GET.mockResolvedValue(tagged(flow(3), '"3"'));
    POST.mockResolvedValue(tagged(flow(4, "ACTIVE"), '"4"'));
    mount();
    await waitFor(() => expect(screen.getByTestId("probe")).toHaveTextContent('DRAFT "3"'));
    await act(() => act_.mutateAsync({ action: "activate", etag: '"3"' }));
    expect(POST).toHaveBeenCalledWith("/api/flows/{id}/activate", { params: { path: { id: "f1" } }, headers: { "If-Match": '"3"' } });
    await waitFor(() => expect(screen.getByTestId("probe")).toHaveTextContent('ACTIVE "4"'));
  });

  it("read the flow again when the answer is 202 without a body, and fall back to its version when no ETag came", async () => {
    GET.mockResolvedValueOnce(tagged(flow(3), '"3"')).mockResolvedValueOnce(tagged(flow(5, "PAUSED"), null));
    POST.mockResolvedValue(tagged(undefined, null, 202));
    mount();
    await waitFor(() => expect(screen.getByTestId("probe")).toHaveTextContent('DRAFT "3"'));
    await act(() => act_.mutateAsync({ action: "pause", etag: '"3"' }));
    await waitFor(() => expect(screen.getByTestId("probe")).toHaveTextContent('PAUSED "5"'));
  });

  it("throw the API's problem on a stale ETag (412)", async () => {
    GET.mockResolvedValue(tagged(flow(3), '"3"'));
    POST.mockResolvedValue({
      error: { status: 412, code: "precondition.failed", detail: "The flow changed since it was read", currentETag: '"4"' },
      response: new Response(null, { status: 412 }),
    });
    mount();
    await waitFor(() => expect(screen.getByTestId("probe")).toHaveTextContent('DRAFT "3"'));
    await expect(act(() => act_.mutateAsync({ action: "publish", etag: '"3"' }))).rejects.toMatchObject({ status: 412, code: "precondition.failed" });
  });
});
