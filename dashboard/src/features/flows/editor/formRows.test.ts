import { describe, expect, it } from "vitest";
import {
  consentFromApi,
  consentProblems,
  consentToApi,
  filterProblems,
  filtersFromApi,
  filtersToApi,
  setFromApi,
  setProblems,
  setToApi,
  updateProblem,
  type FilterRow,
} from "./formRows";

describe("where filters as rows", () => {
  it("round-trips the API's filters of every kind", () => {
    const where = [
      { property: "total", operator: "gt", value: 20 },
      { property: "coupon", operator: "eq", value: "X" },
      { property: "gift", operator: "eq", value: true },
      { property: "sku", operator: "in", value: ["a", "b"] },
      { property: "note", operator: "exists" },
      { property: "old", operator: "exists", value: false },
      { property: "placedAt", operator: "before", value: "2026-05-01" },
    ];
    const rows = filtersFromApi(where);
    expect(rows.map((r) => r.kind)).toEqual(["number", "text", "boolean", "text", "text", "text", "date"]);
    expect(filterProblems(rows).every((p) => Object.keys(p).length === 0)).toBe(true);
    expect(filtersToApi(rows)).toEqual(where);
    expect(filtersToApi([])).toBeUndefined();
  });

  it("says what is wrong with a row: its property name, its value for the operator", () => {
    const rows: FilterRow[] = [
      { property: "", operator: "eq", kind: "text", value: "x" },
      { property: "bad name!", operator: "eq", kind: "text", value: "x" },
      { property: "total", operator: "gt", kind: "number", value: "ten" },
      { property: "total", operator: "eq", kind: "text", value: "" },
      { property: "note", operator: "exists", kind: "text", value: "" },
    ];
    expect(filterProblems(rows)).toEqual([
      { property: "Name the property." },
      { property: "Letters, digits, _ . $ - (at most 100)." },
      { value: "Enter a number." },
      { value: "Enter a value." },
      {},
    ]);
  });
});

describe("an update's set and consent as rows", () => {
  it("round-trips set values by kind", () => {
    const set = { plan: "pro", orders: 3, reminded: true };
    const rows = setFromApi(set);
    expect(rows).toEqual([
      { key: "plan", kind: "text", value: "pro" },
      { key: "orders", kind: "number", value: "3" },
      { key: "reminded", kind: "boolean", value: "true" },
    ]);
    expect(setToApi(rows)).toEqual(set);
    expect(setToApi([])).toBeUndefined();
  });

  it("refuses bad, repeated and removed names and numbers that are not", () => {
    const problems = setProblems(
      [
        { key: "", kind: "text", value: "" },
        { key: "a", kind: "text", value: "1" },
        { key: "a", kind: "number", value: "x" },
        { key: "gone", kind: "text", value: "" },
      ],
      ["gone"],
    );
    expect(problems).toEqual([{ key: "Name the attribute." }, { key: "Set once only." }, { key: "Set once only.", value: "Enter a number." }, { key: "Both set and removed." }]);
  });

  it("round-trips consent changes and wants a channel (once) and a status", () => {
    const consent = [{ channel: "EMAIL" as const, status: "SUBSCRIBED" }];
    expect(consentToApi(consentFromApi(consent))).toEqual(consent);
    expect(consentProblems([{ channel: "", status: "" }, { channel: "SMS", status: "BOUNCED" }, { channel: "SMS", status: "SUBSCRIBED" }])).toEqual([
      { channel: "Choose a channel.", status: "Choose a status." },
      {},
      { channel: "One change per channel." },
    ]);
    // a status Herald does not know is shown as not chosen
    expect(consentFromApi([{ channel: "EMAIL", status: "GRANTED" }])).toEqual([{ channel: "EMAIL", status: "" }]);
  });

  it("wants an update to change something", () => {
    expect(updateProblem([], [], [])).toBe("Set or remove an attribute, or change a consent.");
    expect(updateProblem([], ["a"], [])).toBeUndefined();
  });
});
