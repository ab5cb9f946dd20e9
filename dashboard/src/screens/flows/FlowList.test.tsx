import * as React from "react";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";

/** The typed client, stood in for: the flow list and the segment list (for segment triggers' names); duplicate, archive. */
const GET = vi.fn();
const POST = vi.fn();
vi.mock("@/api/client", async () => {
  const { call } = await import("@/api/call");
  return { api: { GET: (...args: unknown[]) => GET(...args), POST: (...args: unknown[]) => POST(...args) }, call };
});
const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push, replace: vi.fn() }) }));
const permissions = { canWriteCampaigns: true };
vi.mock("@/auth/hooks", () => ({ usePermissions: () => permissions }));
vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: React.ReactNode }) => (
    <a href={href} {...rest}>
      {children}
    </a>
  ),
}));

const { FlowList } = await import("./FlowList");

const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) });
const SEGMENT = "5e9e0000-0000-4000-8000-000000000001";

function answer(flows: unknown[]) {
  GET.mockImplementation(async (path: string) => {
    if (path === "/api/flows") return ok({ items: flows, page: 0, size: 200, totalItems: flows.length, totalPages: 1 });
    if (path === "/api/segments") return ok({ items: [{ id: SEGMENT, name: "Pro customers" }] });
    throw new Error(`unexpected GET ${path}`);
  });
}

function mount() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <FlowList />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  GET.mockReset();
  POST.mockReset();
  push.mockReset();
  permissions.canWriteCampaigns = true;
});

const flow = (over: Record<string, unknown>) => ({
  id: "f1",
  name: "Abandoned cart",
  status: "ACTIVE",
  latestVersion: 2,
  trigger: { type: "api" },
  updatedAt: new Date().toISOString(),
  version: 7,
  contactsInFlow: 0,
  sendsSoFar: 0,
  ...over,
});
const answered = (data: unknown, status = 200) => ({
  data: status < 300 ? data : undefined,
  error: status < 300 ? undefined : data,
  response: new Response(null, { status }),
});

describe("the flow list", () => {
  it("shows contacts in the flow now and sends so far, formatted and right-aligned", async () => {
    answer([
      flow({ id: "f1", contactsInFlow: 1234567, sendsSoFar: 89012 }),
      flow({ id: "f2", name: "Quiet", status: "DRAFT", latestVersion: 0, contactsInFlow: 0, sendsSoFar: 0 }),
    ]);
    mount();
    const table = await screen.findByRole("table", { name: "Flows" });
    const rows = within(table).getAllByRole("row").slice(1);
    const cells = within(rows[0]).getAllByRole("cell");
    expect(cells[4]).toHaveTextContent("1,234,567");
    expect(cells[5]).toHaveTextContent("89,012");
    expect(cells[4].className).toContain("text-right");
    expect(cells[5].className).toContain("text-right");
    expect(within(rows[1]).getAllByRole("cell")[4]).toHaveTextContent("0");
    const headers = within(table).getAllByRole("columnheader");
    expect(headers[4].className).toContain("text-right");
  });

  it("duplicates a flow and opens the copy's editor", async () => {
    answer([flow({ id: "f1", name: "Abandoned cart" })]);
    POST.mockResolvedValue(
      answered({ id: "copy-1", name: "Abandoned cart (copy)", status: "DRAFT", latestVersion: 0, version: 0 }, 201),
    );
    mount();
    fireEvent.click(await screen.findByRole("button", { name: "Duplicate Abandoned cart" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/flows/edit/?id=copy-1"));
    expect(POST).toHaveBeenCalledTimes(1);
    const [path, init] = POST.mock.calls[0];
    expect(path).toBe("/api/flows/{id}/duplicate");
    expect(init.params.path.id).toBe("f1");
    expect(init.body.id).toMatch(/^[0-9a-f-]{36}$/); // chosen here: a retry answers the same copy
  });

  it("says why a duplicate failed, and retries with the same copy id", async () => {
    answer([flow({ id: "f1", name: "Abandoned cart" })]);
    POST.mockResolvedValueOnce(
      answered({ status: 422, code: "flow.segment.unknown", detail: "trigger.segmentId: no such segment" }, 422),
    );
    mount();
    const button = await screen.findByRole("button", { name: "Duplicate Abandoned cart" });
    fireEvent.click(button);
    expect(await screen.findByText("The flow was not duplicated")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("no such segment");
    expect(push).not.toHaveBeenCalled();
    POST.mockResolvedValueOnce(answered({ id: "copy-2", name: "Abandoned cart (copy)", version: 0 }, 201));
    fireEvent.click(button);
    await waitFor(() => expect(push).toHaveBeenCalledWith("/flows/edit/?id=copy-2"));
    expect(POST.mock.calls[1][1].body.id).toBe(POST.mock.calls[0][1].body.id);
  });

  it("archives after a confirmation, with If-Match, only where the status allows it", async () => {
    answer([
      flow({ id: "f1", name: "Live one", status: "ACTIVE" }),
      flow({ id: "f2", name: "Paused one", status: "PAUSED", version: 9 }),
      flow({ id: "f3", name: "A draft", status: "DRAFT", latestVersion: 0 }),
      flow({ id: "f4", name: "Done", status: "ARCHIVED" }),
    ]);
    POST.mockResolvedValue(answered({ id: "f2", name: "Paused one", status: "ARCHIVED", version: 10 }));
    mount();
    await screen.findByRole("table", { name: "Flows" });
    expect(screen.queryByRole("button", { name: "Archive Live one" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Archive Done" })).toBeNull();
    expect(screen.getByRole("button", { name: "Archive A draft" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Archive Paused one" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog).toHaveTextContent("Archive “Paused one”?");
    expect(POST).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole("button", { name: "Archive flow" }));
    await waitFor(() => expect(POST).toHaveBeenCalledTimes(1));
    const [path, init] = POST.mock.calls[0];
    expect(path).toBe("/api/flows/{id}/archive");
    expect(init.params.path.id).toBe("f2");
    expect(init.headers).toEqual({ "If-Match": '"9"' });
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
  });

  it("shows the API's 409 on archive as a clear message", async () => {
    answer([flow({ id: "f2", name: "Paused one", status: "PAUSED" })]);
    POST.mockResolvedValue(
      answered({ status: 409, code: "flow.illegal-transition", detail: "Flow f2 cannot move from ACTIVE to ARCHIVED" }, 409),
    );
    mount();
    fireEvent.click(await screen.findByRole("button", { name: "Archive Paused one" }));
    const dialog = await screen.findByRole("alertdialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Archive flow" }));
    expect(await within(dialog).findByText("This flow cannot be archived in its current status")).toBeInTheDocument();
    expect(dialog).toHaveTextContent("cannot move from ACTIVE to ARCHIVED");
  });

  it("shows an analyst the counts but no duplicate or archive", async () => {
    permissions.canWriteCampaigns = false;
    answer([flow({ id: "f2", name: "Paused one", status: "PAUSED", contactsInFlow: 3, sendsSoFar: 12 })]);
    mount();
    const table = await screen.findByRole("table", { name: "Flows" });
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent("12");
    expect(screen.queryByRole("button", { name: /Duplicate|Archive/ })).toBeNull();
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).not.toContain("Actions");
  });

  it("shows each flow's name, status, latest version, trigger and link", async () => {
    const now = new Date().toISOString();
    answer([
      { id: "f1", name: "Abandoned cart", status: "ACTIVE", latestVersion: 2, trigger: { type: "event", event: "Cart Abandoned" }, updatedAt: now },
      { id: "f2", name: "Welcome pros", status: "DRAFT", latestVersion: 0, trigger: { type: "segment", segmentId: SEGMENT }, updatedAt: now },
      { id: "f3", name: "By hand", status: "STOPPED", latestVersion: 1, trigger: { type: "api" }, updatedAt: now },
    ]);
    mount();
    const table = await screen.findByRole("table", { name: "Flows" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    const cells = (i: number) => within(rows[i]).getAllByRole("cell").map((c) => c.textContent);
    expect(cells(0).slice(0, 4)).toEqual(["Abandoned cart", "Active", "v2", "Event“Cart Abandoned”"]);
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "Name", "Status", "Version", "Trigger", "In flow now", "Sends so far", "Last change", "Actions",
    ]);
    expect(within(rows[0]).getByRole("link", { name: "Abandoned cart" })).toHaveAttribute("href", "/flows/view/?id=f1");
    expect(cells(1).slice(1, 3)).toEqual(["Draft", "not published"]);
    expect(await within(rows[1]).findByText("entering “Pro customers”")).toBeInTheDocument();
    expect(cells(2).slice(1, 4)).toEqual(["Stopped", "v1", "API"]);
    expect(screen.getByRole("link", { name: "New flow" })).toHaveAttribute("href", "/flows/new/");
  });

  it("says when there is no flow yet, and offers to create one to writers only", async () => {
    answer([]);
    mount();
    expect(await screen.findByText("No flows yet")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Create the first flow" })).toHaveAttribute("href", "/flows/new/");
  });

  it("shows an analyst no button that would change anything", async () => {
    permissions.canWriteCampaigns = false;
    answer([]);
    mount();
    expect(await screen.findByText("No flows yet")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /New flow|Create the first flow/ })).toBeNull();
  });

  it("shows the API's problem when the list cannot be read", async () => {
    GET.mockImplementation(async (path: string) => {
      if (path === "/api/flows")
        return { error: { status: 403, detail: "Not allowed", code: "auth.forbidden" }, response: new Response(null, { status: 403 }) };
      return ok({ items: [] });
    });
    mount();
    expect(await screen.findByRole("alert")).toHaveTextContent("Not allowed");
  });
});
