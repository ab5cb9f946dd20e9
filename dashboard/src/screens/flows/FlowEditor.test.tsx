import * as React from "react";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// React Flow measures with DOMMatrixReadOnly, which jsdom lacks
class DOMMatrixStub {
  m22 = 1;
  constructor(_: string) {}
}
globalThis.DOMMatrixReadOnly ??= DOMMatrixStub as unknown as typeof DOMMatrixReadOnly;

/** The typed client, stood in for: the flow (with ETags), its draft's PUT, publish and the segments. */
const GET = vi.fn();
const PUT = vi.fn();
const POST = vi.fn();
vi.mock("@/api/client", async () => {
  const { call } = await import("@/api/call");
  return {
    api: { GET: (...a: unknown[]) => GET(...a), PUT: (...a: unknown[]) => PUT(...a), POST: (...a: unknown[]) => POST(...a) },
    call,
  };
});
const permissions = { canWriteCampaigns: true, known: true };
vi.mock("@/auth/hooks", () => ({ usePermissions: () => permissions }));
vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: React.ReactNode }) => (
    <a href={href} {...rest}>
      {children}
    </a>
  ),
}));
const address = { search: "id=f1" };
const push = vi.fn();
vi.mock("next/navigation", () => ({
  useSearchParams: () => new URLSearchParams(address.search),
  useRouter: () => ({ push, replace: vi.fn() }),
}));

const { FlowEditor } = await import("./FlowEditor");

const DRAFT = {
  trigger: { type: "api" },
  nodes: [
    { type: "entry", id: "start", next: "wait-1" },
    { type: "wait", id: "wait-1", duration: "PT1H", next: "done" },
    { type: "exit", id: "done" },
  ],
};
const flow = (version: number, draft: unknown = DRAFT) => ({ id: "f1", name: "Cart", status: "DRAFT", latestVersion: 0, version, draft });
const tagged = (data: unknown, etag: string | null, status = 200) => ({
  data: status < 300 ? data : undefined,
  error: status < 300 ? undefined : data,
  response: new Response(null, { status, headers: etag ? { ETag: etag } : {} }),
});

function mount() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <FlowEditor />
    </QueryClientProvider>,
  );
}

async function setDuration(value: string) {
  const card = await within(await screen.findByTestId("flow-editor-canvas")).findByText("For 1 h");
  fireEvent.click(card);
  const panel = await screen.findByRole("complementary", { name: "Step “wait-1”" });
  fireEvent.change(within(panel).getByLabelText(/Duration/), { target: { value } });
}

let getVersion = 0;
beforeEach(() => {
  getVersion = 0;
  GET.mockImplementation(async (path: string) => {
    if (path === "/api/flows/{id}") return tagged(flow(getVersion), `"${getVersion}"`);
    if (path === "/api/segments") return tagged({ items: [] }, null);
    throw new Error(`unexpected GET ${path}`);
  });
});
afterEach(() => {
  address.search = "id=f1";
  push.mockReset();
  GET.mockReset();
  PUT.mockReset();
  POST.mockReset();
  permissions.canWriteCampaigns = true;
});

describe("the flow editor", () => {
  it("draws the draft and saves a change by itself, with If-Match, then publishes with the new ETag", async () => {
    PUT.mockImplementation(async (_: string, init: { body: { definition: unknown } }) => tagged(flow(1, init.body.definition), '"1"'));
    POST.mockResolvedValue(tagged({ ...flow(2), latestVersion: 1 }, '"2"'));
    mount();
    await screen.findByRole("group", { name: "Flow editor canvas: 3 steps" });
    expect(screen.getByTestId("save-status")).toHaveTextContent("All changes saved");
    await setDuration("PT2H");
    await waitFor(() => expect(PUT).toHaveBeenCalledTimes(1), { timeout: 3000 });
    const [path, init] = PUT.mock.calls[0];
    expect(path).toBe("/api/flows/{id}/draft");
    expect(init.headers).toEqual({ "If-Match": '"0"' });
    expect(init.body.definition.nodes[1]).toEqual({ type: "wait", id: "wait-1", duration: "PT2H", next: "done" });
    await waitFor(() => expect(screen.getByTestId("save-status")).toHaveTextContent("All changes saved"));
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    await screen.findByText("Published as version 1.");
    expect(POST.mock.calls[0][1].headers).toEqual({ "If-Match": '"1"' });
  });

  it("pins a refusal on the node and field it names, and holds Publish back until a save passes", async () => {
    PUT.mockResolvedValueOnce(
      tagged({ status: 422, code: "flow.duration.invalid", detail: "The duration is not ISO-8601.", nodeId: "wait-1", nodeField: "duration" }, null, 422),
    );
    mount();
    await setDuration("soon");
    await screen.findByText("The draft was not saved");
    await waitFor(() => expect(document.querySelector('[data-node-id="wait-1"][data-highlighted]')).not.toBeNull());
    const panel = screen.getByRole("complementary", { name: "Step “wait-1”" });
    expect(within(panel).getByLabelText(/Duration/)).toHaveAttribute("aria-invalid", "true");
    expect(within(panel).getAllByText("The duration is not ISO-8601.").length).toBeGreaterThan(0);
    expect(screen.getByRole("button", { name: "Publish" })).toBeDisabled();
    PUT.mockImplementation(async (_: string, init: { body: { definition: unknown } }) => tagged(flow(1, init.body.definition), '"1"'));
    fireEvent.change(within(panel).getByLabelText(/Duration/), { target: { value: "PT3H" } });
    await waitFor(() => expect(screen.getByRole("button", { name: "Publish" })).toBeEnabled(), { timeout: 3000 });
    expect(document.querySelector("[data-highlighted]")).toBeNull();
  });

  it("offers to reload or overwrite when the draft changed elsewhere (412)", async () => {
    PUT.mockResolvedValueOnce(tagged({ status: 412, code: "precondition.failed", detail: "The flow changed." }, null, 412));
    mount();
    await setDuration("PT2H");
    await screen.findByText("This draft was changed elsewhere since you opened it");
    expect(screen.getByTestId("save-status")).toHaveTextContent("Not saved: changed elsewhere");
    // overwrite: the latest ETag is read, then the draft is sent again with it
    getVersion = 5;
    PUT.mockImplementation(async (_: string, init: { body: { definition: unknown } }) => tagged(flow(6, init.body.definition), '"6"'));
    fireEvent.click(screen.getByRole("button", { name: "Overwrite with mine" }));
    await waitFor(() => expect(PUT).toHaveBeenCalledTimes(2));
    expect(PUT.mock.calls[1][1].headers).toEqual({ "If-Match": '"5"' });
    expect(PUT.mock.calls[1][1].body.definition.nodes[1].duration).toBe("PT2H");
    await waitFor(() => expect(screen.getByTestId("save-status")).toHaveTextContent("All changes saved"));
  });

  it("reloads the other version when asked", async () => {
    PUT.mockResolvedValueOnce(tagged({ status: 412, code: "precondition.failed", detail: "The flow changed." }, null, 412));
    mount();
    await setDuration("PT2H");
    await screen.findByText("This draft was changed elsewhere since you opened it");
    getVersion = 7;
    GET.mockImplementation(async (path: string) => {
      if (path === "/api/flows/{id}")
        return tagged(flow(7, { ...DRAFT, nodes: [DRAFT.nodes[0], { ...DRAFT.nodes[1], duration: "PT5H" }, DRAFT.nodes[2]] }), '"7"');
      return tagged({ items: [] }, null);
    });
    fireEvent.click(screen.getByRole("button", { name: "Reload their version" }));
    await within(screen.getByTestId("flow-editor-canvas")).findByText("For 5 h");
    expect(screen.getByTestId("save-status")).toHaveTextContent("All changes saved");
    expect(PUT).toHaveBeenCalledTimes(1);
  });

  it("adds a step with the keyboard-usable palette button, deletes it with Delete, and undoes", async () => {
    mount();
    await screen.findByRole("group", { name: "Flow editor canvas: 3 steps" });
    fireEvent.click(screen.getByRole("button", { name: "Add Webhook" }));
    await screen.findByRole("group", { name: "Flow editor canvas: 4 steps" });
    expect(await screen.findByRole("complementary", { name: "Step “webhook-1”" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Delete selected" }));
    await screen.findByRole("group", { name: "Flow editor canvas: 3 steps" });
    fireEvent.keyDown(screen.getByTestId("flow-editor-canvas"), { key: "z", ctrlKey: true });
    await screen.findByRole("group", { name: "Flow editor canvas: 4 steps" });
    fireEvent.keyDown(screen.getByTestId("flow-editor-canvas"), { key: "z", ctrlKey: true, shiftKey: true });
    await screen.findByRole("group", { name: "Flow editor canvas: 3 steps" });
  });

  it("opens a step from the list of steps (keyboard and screen readers) and moves the focus to its form; the draft keeps the positions as its layout", async () => {
    const laidOut = { ...DRAFT, layout: { start: { x: 0, y: 0 }, "wait-1": { x: 0, y: 150 }, done: { x: 0, y: 300 } } };
    GET.mockImplementation(async (path: string) => {
      if (path === "/api/flows/{id}") return tagged(flow(0, laidOut), '"0"');
      return tagged({ items: [], names: [] }, null);
    });
    PUT.mockImplementation(async (_: string, init: { body: { definition: unknown } }) => tagged(flow(1, init.body.definition), '"1"'));
    mount();
    const list = await screen.findByRole("list", { name: "Steps of the flow" });
    expect(within(list).getByText("Leads to next: “done”")).toBeInTheDocument();
    fireEvent.click(within(list).getByRole("button", { name: "Edit Wait “wait-1”" }));
    const panel = await screen.findByRole("complementary", { name: "Step “wait-1”" });
    await waitFor(() => expect(document.activeElement).toBe(within(panel).getByRole("heading", { level: 2 })));
    // opening saves nothing: the layout is what Herald holds
    expect(screen.getByTestId("save-status")).toHaveTextContent("All changes saved");
    fireEvent.change(within(panel).getByLabelText(/Duration/), { target: { value: "PT3H" } });
    await waitFor(() => expect(PUT).toHaveBeenCalledTimes(1), { timeout: 3000 });
    expect(PUT.mock.calls[0][1].body.definition.layout).toEqual(laidOut.layout);
    // and a step goes from the list too
    fireEvent.click(within(list).getByRole("button", { name: "Delete Wait “wait-1”" }));
    await screen.findByRole("group", { name: "Flow editor canvas: 2 steps" });
    await waitFor(() => expect(PUT).toHaveBeenCalledTimes(2), { timeout: 3000 });
    expect(Object.keys(PUT.mock.calls[1][1].body.definition.layout)).toEqual(["start", "done"]);
    await waitFor(() => expect(screen.getByTestId("save-status")).toHaveTextContent("All changes saved"));
  });

  it("connects with the keyboard through the step's “Then” selects, the same change as an edge", async () => {
    PUT.mockImplementation(async (_: string, init: { body: { definition: unknown } }) => tagged(flow(1, init.body.definition), '"1"'));
    mount();
    fireEvent.click(await within(await screen.findByTestId("flow-editor-canvas")).findByText("For 1 h"));
    const panel = await screen.findByRole("complementary", { name: "Step “wait-1”" });
    const then = within(panel).getByLabelText("Then (next)");
    expect(then).toHaveValue("done");
    expect(within(then).getAllByRole("option").map((o) => o.textContent)).toEqual(["Nowhere yet", "Exit “done”"]);
    fireEvent.change(then, { target: { value: "" } });
    await waitFor(() => expect(PUT).toHaveBeenCalledTimes(1), { timeout: 3000 });
    expect(PUT.mock.calls[0][1].body.definition.nodes[1]).toEqual({ type: "wait", id: "wait-1", duration: "PT1H" });
  });

  it("edits a branch's rule with the segments' rule builder; a lone condition stays a lone condition", async () => {
    const branchy = {
      trigger: { type: "api" },
      nodes: [
        { type: "entry", id: "start", next: "is-pro" },
        { type: "branch", id: "is-pro", rule: { type: "attribute", attribute: "plan", operator: "eq", value: "pro" }, trueNext: "done", falseNext: "done" },
        { type: "exit", id: "done" },
      ],
    };
    GET.mockImplementation(async (path: string) => {
      if (path === "/api/flows/{id}") return tagged(flow(0, branchy), '"0"');
      return tagged({ items: [] }, null);
    });
    PUT.mockImplementation(async (_: string, init: { body: { definition: unknown } }) => tagged(flow(1, init.body.definition), '"1"'));
    mount();
    const card = await within(await screen.findByTestId("flow-editor-canvas")).findByText(/plan/);
    fireEvent.click(card);
    const panel = await screen.findByRole("complementary", { name: "Step “is-pro”" });
    const value = within(panel).getByLabelText("Value, condition 1");
    expect(value).toHaveValue("pro");
    fireEvent.change(value, { target: { value: "enterprise" } });
    await waitFor(() => expect(PUT).toHaveBeenCalledTimes(1), { timeout: 3000 });
    expect(PUT.mock.calls[0][1].body.definition.nodes[1].rule).toEqual({ type: "attribute", attribute: "plan", operator: "eq", value: "enterprise" });
    // and as JSON
    fireEvent.click(within(panel).getByRole("button", { name: "JSON" }));
    expect(within(panel).getByLabelText(/Rule \(JSON\)/)).toHaveValue(JSON.stringify(PUT.mock.calls[0][1].body.definition.nodes[1].rule, null, 2));
  });

  it("creates a new flow when asked; a refusal is pinned on the step until that step changes", async () => {
    address.search = "";
    POST.mockResolvedValueOnce(
      tagged({ status: 422, code: "flow.node.next-missing", detail: "the id of the next node is required", nodeId: "start", nodeField: "next" }, null, 422),
    );
    mount();
    await screen.findByRole("group", { name: "Flow editor canvas: 1 step" });
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Welcome" } });
    fireEvent.click(screen.getByRole("button", { name: "Add Exit" }));
    await screen.findByRole("group", { name: "Flow editor canvas: 2 steps" });
    fireEvent.click(screen.getByRole("button", { name: "Create flow" }));
    await screen.findByText("The flow was not created");
    expect(POST.mock.calls[0][1].body.definition.nodes).toEqual([{ type: "entry", id: "start" }, { type: "exit", id: "exit-1" }]);
    await waitFor(() => expect(document.querySelector('[data-node-id="start"][data-highlighted]')).not.toBeNull());
    // connected with the keyboard: the step changed, the pin goes
    fireEvent.click(screen.getByText("Show it"));
    const panel = await screen.findByRole("complementary", { name: "Step “start”" });
    fireEvent.change(within(panel).getByLabelText("Then (next)"), { target: { value: "exit-1" } });
    await waitFor(() => expect(document.querySelector("[data-highlighted]")).toBeNull());
    POST.mockResolvedValueOnce(tagged(flow(0), '"0"', 201));
    fireEvent.click(screen.getByRole("button", { name: "Create flow" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith(expect.stringContaining("f1")));
    expect(POST.mock.calls[1][1].body).toMatchObject({ name: "Welcome", definition: { nodes: [{ type: "entry", id: "start", next: "exit-1" }, { type: "exit", id: "exit-1" }] } });
  });

  it("sends changes not yet saved when the editor is left", async () => {
    PUT.mockImplementation(async (_: string, init: { body: { definition: unknown } }) => tagged(flow(1, init.body.definition), '"1"'));
    const view = mount();
    await setDuration("PT4H");
    expect(PUT).not.toHaveBeenCalled();
    view.unmount();
    await waitFor(() => expect(PUT).toHaveBeenCalledTimes(1));
    expect(PUT.mock.calls[0][1].body.definition.nodes[1].duration).toBe("PT4H");
  });

  it("is read-only for a role that cannot write: no palette, no saving", async () => {
    permissions.canWriteCampaigns = false;
    mount();
    await screen.findByRole("group", { name: "Flow editor canvas: 3 steps" });
    expect(screen.queryByRole("button", { name: "Add Wait" })).toBeNull();
    expect(screen.queryByTestId("save-status")).toBeNull();
    expect(screen.getByLabelText("Name", { exact: true } as never)).toBeDisabled();
  });
});
