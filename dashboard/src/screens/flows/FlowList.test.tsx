import * as React from "react";
import { render, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";

/** The typed client, stood in for: the flow list and the segment list (for segment triggers' names). */
const GET = vi.fn();
vi.mock("@/api/client", async () => {
  const { call } = await import("@/api/call");
  return { api: { GET: (...args: unknown[]) => GET(...args) }, call };
});
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
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <FlowList />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  GET.mockReset();
  permissions.canWriteCampaigns = true;
});

describe("the flow list", () => {
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
