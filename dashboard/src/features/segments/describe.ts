import type { ApiRule } from "./rules";

const OP: Record<string, string> = {
  eq: "is",
  neq: "is not",
  contains: "contains",
  starts_with: "starts with",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  in: "is one of",
  before: "before",
  after: "after",
  within_last: "within the last",
};

function value(v: unknown): string {
  if (Array.isArray(v)) return v.map(value).join(", ");
  if (typeof v === "string") return `“${v}”`;
  return String(v);
}

/** A one-line summary of a rule tree: `plan is “pro” and did “Order Completed” ≥ 1× in 30 days`. */
export function describeRule(rule: ApiRule | undefined, depth = 0): string {
  if (!rule) return "";
  switch (rule.type) {
    case "and":
    case "or": {
      const parts = (rule.children ?? []).map((c) => describeRule(c, depth + 1));
      const text = parts.join(` ${rule.type} `);
      return depth > 0 && parts.length > 1 ? `(${text})` : text;
    }
    case "not":
      return `not ${describeRule(rule.children?.[0], depth + 1)}`;
    case "attribute":
    case "field":
      if (rule.operator === "exists") return `${rule.attribute} ${rule.value === false ? "is not set" : "is set"}`;
      if (rule.operator === "within_last") return `${rule.attribute} within the last ${rule.value} days`;
      return `${rule.attribute} ${OP[rule.operator ?? ""] ?? rule.operator} ${value(rule.value)}`;
    case "behaviour": {
      const how =
        rule.operator === "not_performed"
          ? "never did"
          : `did ${rule.operator === "at_most" ? "≤" : rule.operator === "exactly" ? "exactly" : "≥"} ${rule.count ?? 1}×`;
      const when = rule.withinLastDays ? ` in ${rule.withinLastDays} days` : rule.from || rule.to ? " in a date range" : "";
      return `${how} “${rule.event}”${when}${rule.where?.length ? ` (${rule.where.length} filter${rule.where.length > 1 ? "s" : ""})` : ""}`;
    }
    case "consent":
      return `${rule.channel?.toLowerCase()} consent ${rule.status?.toLowerCase()}`;
    case "segment":
      return "in another segment";
    case "engagement": {
      const what = rule.action === "clicked" ? "clicked in" : "opened";
      const which = rule.campaignId ? "a campaign" : "any e-mail";
      const when = rule.withinLastDays ? ` in ${rule.withinLastDays} days` : "";
      return `${what} ${which}${when}${rule.humanOnly ? " (people only)" : ""}`;
    }
    default:
      return rule.type ?? "";
  }
}
