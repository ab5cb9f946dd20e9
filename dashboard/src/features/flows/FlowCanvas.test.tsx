import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FlowCanvas } from "./FlowCanvas";
import { STARTER_DEFINITION } from "./definition";

// React Flow measures with DOMMatrixReadOnly, which jsdom lacks
class DOMMatrixStub {
  m22 = 1;
  constructor(_: string) {}
}
globalThis.DOMMatrixReadOnly ??= DOMMatrixStub as unknown as typeof DOMMatrixReadOnly;

describe("FlowCanvas", () => {
  it("draws a card per node, marks the named node, and lists the steps for screen readers", () => {
    render(<FlowCanvas definition={STARTER_DEFINITION} highlight="welcome" label="Draft of the flow" />);
    const canvas = screen.getByRole("group", { name: "Draft of the flow: 4 steps" });
    const cards = within(canvas).getAllByTestId("flow-node");
    expect(cards.map((c) => c.dataset.nodeId)).toEqual(["start", "wait-1d", "welcome", "done"]);
    expect(cards.filter((c) => c.dataset.highlighted).map((c) => c.dataset.nodeId)).toEqual(["welcome"]);
    expect(within(cards[2]).getByText("Subject: “Welcome aboard”")).toBeInTheDocument();
    const steps = screen.getByRole("list", { name: "Draft of the flow, step by step" });
    expect(within(steps).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Start “start”: Event “Signed Up”. Then “wait-1d”.",
      "Wait “wait-1d”: For 1 day. Then “welcome”.",
      "Send “welcome”: Email; Subject: “Welcome aboard”. Then “done”.",
      "Exit “done”: The run ends.",
    ]);
  });

  it("shows the live counts on the cards and a run's path, in the list for screen readers too", () => {
    render(
      <FlowCanvas
        definition={STARTER_DEFINITION}
        label="Live flow"
        counts={{
          start: { entered: 3, waiting: 0, passed: 3 },
          "wait-1d": { entered: 3, waiting: 2, passed: 1 },
          welcome: { entered: 1, waiting: 0, passed: 1, sent: 1, failed: 0, skipped: 0, unknown: 0 },
          done: { entered: 1, waiting: 0, passed: 1 },
        }}
        edgeCounts={{ "start:next": 3, "wait-1d:next": 1 }}
        path={{ nodes: ["start", "wait-1d"], edges: ["start:next"], current: "wait-1d" }}
      />,
    );
    const cards = within(screen.getByRole("group", { name: "Live flow: 4 steps" })).getAllByTestId("flow-node");
    expect(within(cards[1]).getByTestId("node-counts")).toHaveTextContent("3 entered · 2 waiting now");
    expect(within(cards[2]).getByTestId("node-counts")).toHaveTextContent("1 sent · 0 failed");
    expect(cards.filter((c) => c.dataset.onPath).map((c) => c.dataset.nodeId)).toEqual(["start", "wait-1d"]);
    expect(cards.filter((c) => c.dataset.current).map((c) => c.dataset.nodeId)).toEqual(["wait-1d"]);
    const steps = within(screen.getByRole("list", { name: "Live flow, step by step" })).getAllByRole("listitem");
    expect(steps[1].textContent).toBe("Wait “wait-1d”: For 1 day. 3 entered · 2 waiting now. The run is here now. Then “welcome” (1 run).");
    expect(steps[3].textContent).toBe("Exit “done”: The run ends. 1 entered · 0 waiting now.");
  });

  it("says when there is nothing to draw", () => {
    render(<FlowCanvas definition={{ nodes: [] }} />);
    expect(screen.getByText("No nodes to draw.")).toBeInTheDocument();
  });
});
