import * as React from "react";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { RuleBuilder } from "./RuleBuilder";
import { newCondition, newGroup, toApiRule, validateTree, type GroupNode } from "./rules";

let latest: GroupNode;

function Harness({ initial, showProblems = false }: { initial: GroupNode; showProblems?: boolean }) {
  const [tree, setTree] = React.useState(initial);
  latest = tree;
  return (
    <RuleBuilder
      value={tree}
      onChange={setTree}
      problems={showProblems ? validateTree(tree) : {}}
      segments={[{ id: "5e9e0000-0000-4000-8000-000000000001", name: "Newsletter readers" }]}
      campaigns={[{ id: "0e5f6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b", name: "Spring sale" }]}
    />
  );
}

const rule = () => toApiRule(latest).rule;

describe("segment rule builder", () => {
  it("builds an attribute condition with the inputs its type needs", async () => {
    const user = userEvent.setup();
    render(<Harness initial={newGroup("and", [newCondition("attribute")])} />);
    await user.type(screen.getByLabelText("Attribute name, condition 1"), "plan");
    await user.type(screen.getByLabelText("Value, condition 1"), "pro");
    expect(rule()).toEqual({ type: "and", children: [{ type: "attribute", attribute: "plan", operator: "eq", value: "pro" }] });

    // a number: the comparisons change, and the value is a number input
    await user.selectOptions(screen.getByLabelText("Value type, condition 1"), "number");
    const comparison = screen.getByLabelText("Comparison, condition 1");
    expect(within(comparison).getAllByRole("option").map((o) => o.textContent)).toEqual(["=", "≠", ">", "≥", "<", "≤", "is one of", "is set", "is not set"]);
    await user.selectOptions(comparison, "gte");
    await user.type(screen.getByLabelText("Number, condition 1"), "3");
    expect(screen.getByLabelText("Number, condition 1")).toHaveAttribute("type", "number");
    expect(rule().children?.[0]).toEqual({ type: "attribute", attribute: "plan", operator: "gte", value: 3 });

    // a date offers before / after / within the last … days
    await user.selectOptions(screen.getByLabelText("Value type, condition 1"), "date");
    await user.selectOptions(screen.getByLabelText("Comparison, condition 1"), "within_last");
    await user.type(screen.getByLabelText("Number of days, condition 1"), "14");
    expect(rule().children?.[0]).toMatchObject({ operator: "within_last", value: 14 });

    // "is not set" needs no value
    await user.selectOptions(screen.getByLabelText("Comparison, condition 1"), "not_exists");
    expect(screen.queryByLabelText(/Number of days|Value, condition 1/)).not.toBeInTheDocument();
    expect(rule().children?.[0]).toEqual({ type: "attribute", attribute: "plan", operator: "exists", value: false });
  });

  it("adds conditions and groups, switches AND/OR, excludes, and removes", async () => {
    const user = userEvent.setup();
    render(<Harness initial={newGroup("and", [])} />);
    await user.click(screen.getByRole("button", { name: "Add a condition to all rules" }));
    await user.click(await screen.findByRole("menuitem", { name: /Event/ }));
    await user.type(screen.getByLabelText("Event name, condition 1"), "Order Completed");
    await user.selectOptions(screen.getByLabelText("How often, condition 1"), "not_performed");
    expect(screen.queryByLabelText("Number of times, condition 1")).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("When, condition 1"), "all");
    expect(rule().children?.[0]).toEqual({ type: "behaviour", event: "Order Completed", operator: "not_performed" });

    await user.click(screen.getByRole("button", { name: "Add a group to all rules" }));
    // a new group holds one attribute condition and combines the other way
    expect(screen.getByLabelText("How the conditions of group 2 combine")).toHaveValue("or");
    await user.click(screen.getByRole("button", { name: "Add a condition to group 2" }));
    await user.click(await screen.findByRole("menuitem", { name: /Consent/ }));
    await user.selectOptions(screen.getByLabelText("Channel, condition 2.2"), "SMS");
    await user.click(screen.getByRole("button", { name: "Remove condition 2.1" }));
    await user.click(screen.getByLabelText("Exclude contacts matching group 2"));
    await user.selectOptions(screen.getByLabelText("How the conditions of all rules combine"), "or");
    expect(rule()).toEqual({
      type: "or",
      children: [
        { type: "behaviour", event: "Order Completed", operator: "not_performed" },
        { type: "not", children: [{ type: "or", children: [{ type: "consent", channel: "SMS", status: "SUBSCRIBED" }] }] },
      ],
    });
  });

  it("filters events by their properties and picks segments by name", async () => {
    const user = userEvent.setup();
    render(<Harness initial={newGroup("and", [newCondition("behaviour"), newCondition("segment")])} />);
    await user.type(screen.getByLabelText("Event name, condition 1"), "Order Completed");
    await user.click(screen.getByRole("button", { name: "Add a property condition to condition 1" }));
    await user.type(screen.getByLabelText("Property, property condition 1 of condition 1"), "total");
    await user.selectOptions(screen.getByLabelText("Value type, property condition 1 of condition 1"), "number");
    await user.selectOptions(screen.getByLabelText("Comparison, property condition 1 of condition 1"), "gt");
    await user.type(screen.getByLabelText("Number, property condition 1 of condition 1"), "100");
    await user.selectOptions(screen.getByLabelText("Segment, condition 2"), "Newsletter readers");
    expect(rule()).toEqual({
      type: "and",
      children: [
        { type: "behaviour", event: "Order Completed", operator: "at_least", count: 1, withinLastDays: 30, where: [{ property: "total", operator: "gt", value: 100 }] },
        { type: "segment", segmentId: "5e9e0000-0000-4000-8000-000000000001" },
      ],
    });
  });

  it("builds an e-mail engagement condition: action, campaign or any, window and people only", async () => {
    const user = userEvent.setup();
    render(<Harness initial={newGroup("and", [newCondition("engagement"), newCondition("engagement")])} />);
    expect(rule()).toEqual({
      type: "and",
      children: [
        { type: "engagement", action: "opened", withinLastDays: 30 },
        { type: "engagement", action: "opened", withinLastDays: 30 },
      ],
    });
    await user.selectOptions(screen.getByLabelText("Action, condition 1"), "clicked");
    await user.selectOptions(screen.getByLabelText("Campaign, condition 1"), "Spring sale");
    await user.selectOptions(screen.getByLabelText("When, condition 1"), "all");
    await user.click(screen.getByLabelText("People only, condition 1"));
    await user.clear(screen.getByLabelText("Days, condition 2"));
    await user.type(screen.getByLabelText("Days, condition 2"), "7");
    expect(rule()).toEqual({
      type: "and",
      children: [
        { type: "engagement", action: "clicked", campaignId: "0e5f6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b", humanOnly: true },
        { type: "engagement", action: "opened", withinLastDays: 7 },
      ],
    });
  });

  it("shows problems on the fields they concern", async () => {
    render(<Harness initial={newGroup("and", [newCondition("attribute")])} showProblems />);
    expect(screen.getByLabelText("Attribute name, condition 1")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Attribute name, condition 1")).toHaveAccessibleDescription("Name the attribute.");
    expect(screen.getByLabelText("Value, condition 1")).toHaveAccessibleDescription("Enter a value.");
  });

  it("is read-only for a role that cannot change segments", () => {
    render(<RuleBuilder value={newGroup("and", [newCondition("attribute")])} onChange={() => {}} readOnly />);
    expect(screen.getByLabelText("Attribute name, condition 1")).toBeDisabled();
    expect(screen.queryByRole("button", { name: /Add a condition/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
  });
});
