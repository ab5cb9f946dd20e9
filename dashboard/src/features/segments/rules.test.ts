import { describe, expect, it } from "vitest";
import {
  apiCondition,
  fromApiRule,
  newCondition,
  newGroup,
  problemAt,
  toApiRule,
  validateTree,
  withKind,
  type ApiRule,
  type ConditionNode,
  type GroupNode,
} from "./rules";

function attribute(attributeName: string, operator: string, kind: "text" | "number" | "boolean" | "date", value: string): ConditionNode {
  const c = newCondition("attribute") as Extract<ConditionNode, { kind: "attribute" }>;
  return { ...c, attribute: attributeName, condition: { operator: operator as never, kind, value } };
}

describe("engagement conditions", () => {
  it("read back from the API as written, negated or not, and check the window", () => {
    const api: ApiRule = {
      type: "and",
      children: [
        { type: "engagement", action: "clicked", campaignId: "0e5f6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b", withinLastDays: 14, humanOnly: true },
        { type: "not", children: [{ type: "engagement", action: "opened", withinLastDays: 90 }] },
        { type: "engagement", action: "opened" },
      ],
    };
    const tree = fromApiRule(api);
    expect(toApiRule(tree).rule).toEqual(api);
    expect(validateTree(tree)).toEqual({});
    const e = { ...(newCondition("engagement") as Extract<ConditionNode, { kind: "engagement" }>), days: "0" };
    expect(validateTree(newGroup("and", [e]))[e.id]).toEqual({ days: "A whole number of days, 1–36500." });
    // the API's error on the window lands on the node
    const { index } = toApiRule(newGroup("and", [e]));
    expect(problemAt("rules.children[0].withinLastDays", index)).toEqual({ id: e.id, part: "withinLastDays" });
  });
});

describe("segment rules → API", () => {
  it("writes groups, conditions and negation as Herald's rule tree", () => {
    const behaviour = { ...(newCondition("behaviour") as Extract<ConditionNode, { kind: "behaviour" }>), event: "Order Completed", count: "2", days: "30", negate: true };
    const consent = newCondition("consent");
    const tree: GroupNode = newGroup("and", [attribute("plan", "eq", "text", " pro "), behaviour, newGroup("or", [consent, attribute("orders", "gte", "number", "3")])]);
    expect(toApiRule(tree).rule).toEqual({
      type: "and",
      children: [
        { type: "attribute", attribute: "plan", operator: "eq", value: "pro" },
        { type: "not", children: [{ type: "behaviour", event: "Order Completed", operator: "at_least", count: 2, withinLastDays: 30 }] },
        {
          type: "or",
          children: [
            { type: "consent", channel: "EMAIL", status: "SUBSCRIBED" },
            { type: "attribute", attribute: "orders", operator: "gte", value: 3 },
          ],
        },
      ],
    });
  });

  it("turns each kind of value into the JSON type the API compares with", () => {
    expect(apiCondition({ operator: "eq", kind: "number", value: "42" })).toEqual({ operator: "eq", value: 42 });
    expect(apiCondition({ operator: "eq", kind: "boolean", value: "false" })).toEqual({ operator: "eq", value: false });
    expect(apiCondition({ operator: "in", kind: "text", value: "a, b,\nc" })).toEqual({ operator: "in", value: ["a", "b", "c"] });
    expect(apiCondition({ operator: "in", kind: "number", value: "1,2" })).toEqual({ operator: "in", value: [1, 2] });
    expect(apiCondition({ operator: "exists", kind: "text", value: "x" })).toEqual({ operator: "exists" });
    expect(apiCondition({ operator: "not_exists", kind: "text", value: "" })).toEqual({ operator: "exists", value: false });
    expect(apiCondition({ operator: "within_last", kind: "date", value: "7" })).toEqual({ operator: "within_last", value: 7 });
    expect(apiCondition({ operator: "before", kind: "date", value: "2026-01-01" })).toEqual({ operator: "before", value: "2026-01-01" });
  });

  it("writes an event that never happened without a count, and property filters", () => {
    const b = newCondition("behaviour") as Extract<ConditionNode, { kind: "behaviour" }>;
    const rule = toApiRule(
      newGroup("and", [
        {
          ...b,
          event: "Signed Up",
          operator: "not_performed",
          count: "",
          window: "all",
          where: [{ id: "f1", property: "plan", operator: "eq", kind: "text", value: "pro" }],
        },
      ]),
    ).rule;
    expect(rule.children?.[0]).toEqual({
      type: "behaviour",
      event: "Signed Up",
      operator: "not_performed",
      where: [{ property: "plan", operator: "eq", value: "pro" }],
    });
  });

  it("reads a rule tree back into the same tree", () => {
    const api: ApiRule = {
      type: "or",
      children: [
        { type: "attribute", attribute: "plan", operator: "in", value: ["pro", "team"] },
        { type: "not", children: [{ type: "and", children: [{ type: "field", attribute: "createdAt", operator: "within_last", value: 30 }] }] },
        { type: "behaviour", event: "Order Completed", operator: "exactly", count: 0, where: [{ property: "total", operator: "gt", value: 10 }] },
        { type: "segment", segmentId: "0f0e0d0c-0000-4000-8000-000000000001" },
        { type: "attribute", attribute: "vip", operator: "exists", value: false },
      ],
    };
    const tree = fromApiRule(api);
    expect(tree.op).toBe("or");
    expect(tree.children[1]).toMatchObject({ kind: "group", negate: true });
    expect(toApiRule(tree).rule).toEqual(api);
  });

  it("wraps a lone condition in a group", () => {
    const tree = fromApiRule({ type: "consent", channel: "SMS", status: "UNSUBSCRIBED" });
    expect(tree.kind).toBe("group");
    expect(toApiRule(tree).rule).toEqual({ type: "and", children: [{ type: "consent", channel: "SMS", status: "UNSUBSCRIBED" }] });
  });
});

describe("segment rule checks", () => {
  it("flags what the API would refuse, on the node", () => {
    const empty = newGroup("or");
    const attr = attribute("", "gt", "number", "abc");
    const badKey = attribute("first name", "eq", "text", "x");
    const b = { ...(newCondition("behaviour") as Extract<ConditionNode, { kind: "behaviour" }>), event: "", count: "0", days: "0" };
    const problems = validateTree(newGroup("and", [attr, badKey, b, empty]));
    expect(problems[attr.id]).toEqual({ attribute: expect.any(String), value: "Enter a number." });
    expect(problems[badKey.id].attribute).toMatch(/Letters, digits/);
    expect(Object.keys(problems[b.id]).sort()).toEqual(["count", "days", "event"]);
    expect(problems[empty.id].children).toMatch(/Add a condition/);
  });

  it("accepts a complete tree", () => {
    const tree = newGroup("and", [attribute("plan", "eq", "text", "pro"), attribute("orders", "lte", "number", "0"), newCondition("consent")]);
    expect(validateTree(tree)).toEqual({});
  });

  it("keeps the comparison when the value type allows it", () => {
    expect(withKind({ operator: "in", kind: "text", value: "a" }, "number")).toEqual({ operator: "in", kind: "number", value: "" });
    expect(withKind({ operator: "contains", kind: "text", value: "a" }, "number").operator).toBe("eq");
    expect(withKind({ operator: "eq", kind: "text", value: "a" }, "boolean")).toEqual({ operator: "eq", kind: "boolean", value: "true" });
    expect(withKind({ operator: "eq", kind: "text", value: "a" }, "date").operator).toBe("before");
  });

  it("finds the node an API error names", () => {
    const a = attribute("plan", "eq", "text", "pro");
    const b = { ...(newCondition("behaviour") as Extract<ConditionNode, { kind: "behaviour" }>), event: "x", negate: true };
    const { index } = toApiRule(newGroup("and", [a, b]));
    expect(problemAt("rules.children[0].value", index)).toEqual({ id: a.id, part: "value" });
    expect(problemAt("rules.children[1].children[0].event", index)).toEqual({ id: b.id, part: "event" });
    expect(problemAt("rules.children[7]", index)?.part).toBe("children");
  });
});
