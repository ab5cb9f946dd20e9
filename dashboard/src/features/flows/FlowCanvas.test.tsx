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

  it("says when there is nothing to draw", () => {
    render(<FlowCanvas definition={{ nodes: [] }} />);
    expect(screen.getByText("No nodes to draw.")).toBeInTheDocument();
  });
});
