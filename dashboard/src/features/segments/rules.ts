/**
 * The segment rule builder's model: a tree of AND/OR groups and conditions that the person edits,
 * turned into Herald's rule JSON (SegmentRule) and back, with the same checks the API makes so
 * the live count is only asked for rules that can be counted.
 */
import type { components } from "@/api/schema";

/**
 * Herald's rule JSON, by hand: the OpenAPI document describes SegmentRule as a discriminated union
 * whose `type` values are the Java class names ("And"), while the wire says "and"; this is the
 * shape the API really reads and writes (README "Segments").
 */
export interface ApiRule {
  type?: string;
  children?: ApiRule[];
  attribute?: string;
  operator?: string;
  value?: unknown;
  event?: string;
  where?: ApiFilter[];
  count?: number;
  withinLastDays?: number;
  from?: string;
  to?: string;
  channel?: Channel;
  status?: ConsentStatus;
  segmentId?: string;
  action?: EngagementAction;
  campaignId?: string;
  humanOnly?: boolean;
}
export type ApiFilter = components["schemas"]["PropertyFilter"];
export type Channel = "EMAIL" | "SMS" | "WEBHOOK";
export type ConsentStatus = "SUBSCRIBED" | "UNSUBSCRIBED" | "BOUNCED" | "COMPLAINED";
/** What a contact did with an e-mail, for an engagement condition (one more value per recorded kind). */
export const ENGAGEMENT_ACTIONS = ["opened", "clicked"] as const;
export type EngagementAction = (typeof ENGAGEMENT_ACTIONS)[number];

/** How a value is compared (the API's operators, with the way each is entered). */
export type ValueOperator =
  | "eq"
  | "neq"
  | "contains"
  | "starts_with"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "in"
  | "exists"
  | "not_exists"
  | "before"
  | "after"
  | "within_last";

/** What kind of value an attribute (or event property) is compared with. */
export type ValueKind = "text" | "number" | "boolean" | "date";

export interface ValueCondition {
  operator: ValueOperator;
  kind: ValueKind;
  /** as typed: text, a number, "true"/"false", a date (YYYY-MM-DD), a list (one per line or comma-separated) */
  value: string;
}

export const PROFILE_FIELDS = ["email", "externalId", "phone", "locale", "timeZone", "createdAt"] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export type BehaviourOperator = "at_least" | "at_most" | "exactly" | "not_performed";
export type BehaviourWindow = "all" | "last_days" | "between";

export interface PropertyFilterNode extends ValueCondition {
  id: string;
  property: string;
}

export type ConditionNode =
  | ({ kind: "attribute"; id: string; negate: boolean; attribute: string } & { condition: ValueCondition })
  | ({ kind: "field"; id: string; negate: boolean; field: ProfileField } & { condition: ValueCondition })
  | {
      kind: "behaviour";
      id: string;
      negate: boolean;
      event: string;
      operator: BehaviourOperator;
      count: string;
      window: BehaviourWindow;
      days: string;
      from: string;
      to: string;
      where: PropertyFilterNode[];
    }
  | { kind: "consent"; id: string; negate: boolean; channel: Channel; status: ConsentStatus }
  | { kind: "segment"; id: string; negate: boolean; segmentId: string }
  | {
      kind: "engagement";
      id: string;
      negate: boolean;
      action: EngagementAction;
      /** "" for any e-mail */
      campaignId: string;
      window: "all" | "last_days";
      days: string;
      humanOnly: boolean;
    };

export interface GroupNode {
  kind: "group";
  id: string;
  negate: boolean;
  op: "and" | "or";
  children: RuleNode[];
}

export type RuleNode = GroupNode | ConditionNode;
export type ConditionKind = ConditionNode["kind"];

let counter = 0;
export function nodeId(): string {
  counter += 1;
  return `n${counter}`;
}

export function emptyValue(kind: ValueKind = "text"): ValueCondition {
  return { operator: kind === "date" ? "after" : kind === "number" ? "gte" : "eq", kind, value: "" };
}

export function newCondition(kind: ConditionKind): ConditionNode {
  const id = nodeId();
  switch (kind) {
    case "attribute":
      return { kind, id, negate: false, attribute: "", condition: emptyValue("text") };
    case "field":
      return { kind, id, negate: false, field: "email", condition: { operator: "contains", kind: "text", value: "" } };
    case "behaviour":
      return { kind, id, negate: false, event: "", operator: "at_least", count: "1", window: "last_days", days: "30", from: "", to: "", where: [] };
    case "consent":
      return { kind, id, negate: false, channel: "EMAIL", status: "SUBSCRIBED" };
    case "segment":
      return { kind, id, negate: false, segmentId: "" };
    case "engagement":
      return { kind, id, negate: false, action: "opened", campaignId: "", window: "last_days", days: "30", humanOnly: false };
  }
}

export function newGroup(op: "and" | "or" = "and", children: RuleNode[] = []): GroupNode {
  return { kind: "group", id: nodeId(), negate: false, op, children };
}

export function newFilter(): PropertyFilterNode {
  return { id: nodeId(), property: "", ...emptyValue("text") };
}

/** Operators offered for a kind of value, with the words shown. */
export const OPERATORS: Record<ValueKind, { op: ValueOperator; label: string }[]> = {
  text: [
    { op: "eq", label: "is" },
    { op: "neq", label: "is not" },
    { op: "contains", label: "contains" },
    { op: "starts_with", label: "starts with" },
    { op: "in", label: "is one of" },
    { op: "exists", label: "is set" },
    { op: "not_exists", label: "is not set" },
  ],
  number: [
    { op: "eq", label: "=" },
    { op: "neq", label: "≠" },
    { op: "gt", label: ">" },
    { op: "gte", label: "≥" },
    { op: "lt", label: "<" },
    { op: "lte", label: "≤" },
    { op: "in", label: "is one of" },
    { op: "exists", label: "is set" },
    { op: "not_exists", label: "is not set" },
  ],
  boolean: [
    { op: "eq", label: "is" },
    { op: "exists", label: "is set" },
    { op: "not_exists", label: "is not set" },
  ],
  date: [
    { op: "before", label: "is before" },
    { op: "after", label: "is after" },
    { op: "within_last", label: "is within the last" },
    { op: "exists", label: "is set" },
    { op: "not_exists", label: "is not set" },
  ],
};

/** Profile fields are text, except createdAt (a date); text fields are not compared by size. */
export function fieldKind(field: ProfileField): ValueKind {
  return field === "createdAt" ? "date" : "text";
}

export function operatorsFor(kind: ValueKind) {
  return OPERATORS[kind];
}

/** Keeps the operator when the new kind offers it, else the kind's first. */
export function withKind(c: ValueCondition, kind: ValueKind): ValueCondition {
  const ops = OPERATORS[kind].map((o) => o.op);
  const operator = ops.includes(c.operator) ? c.operator : ops[0];
  const value = kind === "boolean" ? (c.value === "false" ? "false" : "true") : kind === c.kind ? c.value : "";
  return { operator, kind, value };
}

export function needsValue(op: ValueOperator): boolean {
  return op !== "exists" && op !== "not_exists";
}

const KEY = /^[A-Za-z0-9_.$-]{1,100}$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The problem of a value condition, or undefined. */
export function valueProblem(c: ValueCondition): string | undefined {
  const v = c.value.trim();
  if (!needsValue(c.operator)) return undefined;
  switch (c.operator) {
    case "in": {
      const items = splitList(c.value);
      if (items.length === 0) return "Enter at least one value.";
      if (items.length > 1000) return "At most 1000 values.";
      if (c.kind === "number" && items.some((i) => !Number.isFinite(Number(i)))) return "Every value must be a number.";
      return undefined;
    }
    case "within_last":
      return /^\d+$/.test(v) && +v >= 1 && +v <= 36500 ? undefined : "A whole number of days, 1–36500.";
    case "before":
    case "after":
      return DATE.test(v) ? undefined : "Enter a date.";
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return v !== "" && Number.isFinite(Number(v)) ? undefined : "Enter a number.";
    case "contains":
    case "starts_with":
      if (!v) return "Enter some text.";
      return v.length > 1000 ? "At most 1000 characters." : undefined;
    default:
      if (c.kind === "number") return v !== "" && Number.isFinite(Number(v)) ? undefined : "Enter a number.";
      if (c.kind === "boolean") return v === "true" || v === "false" ? undefined : "Choose yes or no.";
      if (c.kind === "date") return DATE.test(v) ? undefined : "Enter a date.";
      return v ? undefined : "Enter a value.";
  }
}

function scalar(kind: ValueKind, text: string): string | number | boolean {
  const t = text.trim();
  if (kind === "number") return Number(t);
  if (kind === "boolean") return t === "true";
  return t;
}

/** The API's operator and value for a value condition. */
export function apiCondition(c: ValueCondition): { operator: string; value?: unknown } {
  switch (c.operator) {
    case "exists":
      return { operator: "exists" };
    case "not_exists":
      return { operator: "exists", value: false };
    case "in":
      return { operator: "in", value: splitList(c.value).map((v) => scalar(c.kind, v)) };
    case "within_last":
      return { operator: "within_last", value: Number(c.value.trim()) };
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return { operator: c.operator, value: Number(c.value.trim()) };
    case "before":
    case "after":
    case "contains":
    case "starts_with":
      return { operator: c.operator, value: c.value.trim() };
    default:
      return { operator: c.operator, value: scalar(c.kind, c.value) };
  }
}

/** A value condition from the API's operator and value (the kind is guessed from the value). */
export function fromApiCondition(operator: string | undefined, value: unknown, dateField = false): ValueCondition {
  const op = (operator ?? "eq") as ValueOperator;
  if (op === "exists") return { operator: value === false ? "not_exists" : "exists", kind: dateField ? "date" : "text", value: "" };
  if (op === "before" || op === "after") return { operator: op, kind: "date", value: String(value ?? "").slice(0, 10) };
  if (op === "within_last") return { operator: op, kind: "date", value: String(value ?? "") };
  if (op === "gt" || op === "gte" || op === "lt" || op === "lte") return { operator: op, kind: "number", value: String(value ?? "") };
  if (op === "in" && Array.isArray(value)) {
    const kind: ValueKind = value.length > 0 && value.every((v) => typeof v === "number") ? "number" : "text";
    return { operator: "in", kind, value: value.join(", ") };
  }
  const kind: ValueKind = typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "text";
  return { operator: op, kind, value: value === undefined || value === null ? "" : String(value) };
}

// ---------------------------------------------------------------------------------------------
// checks

/** Problems by node id, then by part of the node ("attribute", "value", "event", …). */
export type RuleProblems = Record<string, Record<string, string>>;

export function validateTree(root: RuleNode): RuleProblems {
  const problems: RuleProblems = {};
  const add = (id: string, part: string, message: string) => {
    (problems[id] ??= {})[part] = message;
  };
  const visit = (node: RuleNode) => {
    switch (node.kind) {
      case "group":
        if (node.children.length === 0) add(node.id, "children", "Add a condition to this group.");
        if (node.children.length > 100) add(node.id, "children", "A group holds at most 100 conditions.");
        node.children.forEach(visit);
        break;
      case "attribute": {
        if (!node.attribute.trim()) add(node.id, "attribute", "Name the attribute.");
        else if (!KEY.test(node.attribute.trim())) add(node.id, "attribute", "Letters, digits and _ . $ - only.");
        const p = valueProblem(node.condition);
        if (p) add(node.id, "value", p);
        break;
      }
      case "field": {
        const p = valueProblem(node.condition);
        if (p) add(node.id, "value", p);
        break;
      }
      case "behaviour": {
        if (!node.event.trim()) add(node.id, "event", "Name the event.");
        else if (node.event.trim().length > 200) add(node.id, "event", "At most 200 characters.");
        if (node.operator !== "not_performed") {
          const c = node.count.trim();
          const min = node.operator === "at_least" ? 1 : 0;
          if (!/^\d+$/.test(c) || +c < min || +c > 1_000_000) add(node.id, "count", `A whole number, ${min}–1000000.`);
        }
        if (node.window === "last_days") {
          const d = node.days.trim();
          if (!/^\d+$/.test(d) || +d < 1 || +d > 36500) add(node.id, "days", "A whole number of days, 1–36500.");
        }
        if (node.window === "between") {
          if (!node.from || !node.to) add(node.id, "window", "Choose both dates.");
          else if (new Date(node.from).getTime() >= new Date(node.to).getTime()) add(node.id, "window", "The end must be after the start.");
        }
        if (node.where.length > 20) add(node.id, "where", "At most 20 property conditions.");
        for (const f of node.where) {
          if (!f.property.trim()) add(f.id, "property", "Name the property.");
          else if (!KEY.test(f.property.trim())) add(f.id, "property", "Letters, digits and _ . $ - only.");
          const p = valueProblem(f);
          if (p) add(f.id, "value", p);
        }
        break;
      }
      case "consent":
        break;
      case "segment":
        if (!node.segmentId) add(node.id, "segmentId", "Choose a segment.");
        break;
      case "engagement":
        if (node.window === "last_days") {
          const d = node.days.trim();
          if (!/^\d+$/.test(d) || +d < 1 || +d > 36500) add(node.id, "days", "A whole number of days, 1–36500.");
        }
        break;
    }
  };
  visit(root);
  return problems;
}

export function countConditions(root: RuleNode): number {
  return root.kind === "group" ? root.children.reduce((n, c) => n + countConditions(c), 0) : 1;
}

// ---------------------------------------------------------------------------------------------
// to and from the API

/** Where each API path (rules.children[0]…) came from, to show the API's errors on the right node. */
export type PathIndex = Record<string, string>;

function dateTime(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function toApiNode(node: RuleNode, path: string, index: PathIndex): ApiRule {
  // a negated node is wrapped in {type: "not"}; the node itself is one level down
  if (node.negate) {
    index[path] = node.id;
    return { type: "not", children: [toApiNode({ ...node, negate: false }, `${path}.children[0]`, index)] };
  }
  index[path] = node.id;
  switch (node.kind) {
    case "group":
      return { type: node.op, children: node.children.map((c, i) => toApiNode(c, `${path}.children[${i}]`, index)) };
    case "attribute":
      return { type: "attribute", attribute: node.attribute.trim(), ...apiCondition(node.condition) };
    case "field":
      return { type: "field", attribute: node.field, ...apiCondition(node.condition) };
    case "behaviour": {
      const rule: ApiRule = { type: "behaviour", event: node.event.trim(), operator: node.operator };
      if (node.operator !== "not_performed") rule.count = Number(node.count.trim());
      if (node.window === "last_days") rule.withinLastDays = Number(node.days.trim());
      if (node.window === "between") {
        rule.from = dateTime(node.from);
        rule.to = dateTime(node.to);
      }
      if (node.where.length) {
        rule.where = node.where.map((f, i) => {
          index[`${path}.where[${i}]`] = f.id;
          return { property: f.property.trim(), ...apiCondition(f) };
        });
      }
      return rule;
    }
    case "consent":
      return { type: "consent", channel: node.channel, status: node.status };
    case "segment":
      return { type: "segment", segmentId: node.segmentId };
    case "engagement": {
      const rule: ApiRule = { type: "engagement", action: node.action };
      if (node.campaignId) rule.campaignId = node.campaignId;
      if (node.window === "last_days") rule.withinLastDays = Number(node.days.trim());
      if (node.humanOnly) rule.humanOnly = true;
      return rule;
    }
  }
}

/** The API's rule tree for the builder's tree; `index` maps API paths to node ids. */
export function toApiRule(root: RuleNode, rootPath = "rules"): { rule: ApiRule; index: PathIndex } {
  const index: PathIndex = {};
  const rule = toApiNode(root, rootPath, index);
  return { rule, index };
}

function localDateTime(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The builder's tree for an API rule tree (the root is always a group). */
export function fromApiRule(rule: ApiRule | undefined): GroupNode {
  const node = fromApiNode(rule);
  return node.kind === "group" ? node : newGroup("and", [node]);
}

function fromApiNode(rule: ApiRule | undefined): RuleNode {
  if (!rule) return newGroup();
  switch (rule.type) {
    case "and":
    case "or":
      return { kind: "group", id: nodeId(), negate: false, op: rule.type, children: (rule.children ?? []).map(fromApiNode) };
    case "not": {
      const inner = fromApiNode(rule.children?.[0]);
      return { ...inner, negate: !inner.negate };
    }
    case "attribute":
      return { kind: "attribute", id: nodeId(), negate: false, attribute: rule.attribute ?? "", condition: fromApiCondition(rule.operator, rule.value) };
    case "field": {
      const field = (PROFILE_FIELDS as readonly string[]).includes(rule.attribute ?? "") ? (rule.attribute as ProfileField) : "email";
      return { kind: "field", id: nodeId(), negate: false, field, condition: fromApiCondition(rule.operator, rule.value, field === "createdAt") };
    }
    case "behaviour":
      return {
        kind: "behaviour",
        id: nodeId(),
        negate: false,
        event: rule.event ?? "",
        operator: (rule.operator as BehaviourOperator) ?? "at_least",
        count: rule.count != null ? String(rule.count) : rule.operator === "not_performed" ? "" : "1",
        window: rule.withinLastDays != null ? "last_days" : rule.from || rule.to ? "between" : "all",
        days: rule.withinLastDays != null ? String(rule.withinLastDays) : "30",
        from: localDateTime(rule.from),
        to: localDateTime(rule.to),
        where: (rule.where ?? []).map((f) => ({ id: nodeId(), property: f.property ?? "", ...fromApiCondition(f.operator, f.value) })),
      };
    case "consent":
      return { kind: "consent", id: nodeId(), negate: false, channel: rule.channel ?? "EMAIL", status: rule.status ?? "SUBSCRIBED" };
    case "segment":
      return { kind: "segment", id: nodeId(), negate: false, segmentId: rule.segmentId ?? "" };
    case "engagement":
      return {
        kind: "engagement",
        id: nodeId(),
        negate: false,
        action: (ENGAGEMENT_ACTIONS as readonly string[]).includes(rule.action ?? "") ? (rule.action as EngagementAction) : "opened",
        campaignId: rule.campaignId ?? "",
        window: rule.withinLastDays != null ? "last_days" : "all",
        days: rule.withinLastDays != null ? String(rule.withinLastDays) : "30",
        humanOnly: rule.humanOnly === true,
      };
    default:
      return newGroup();
  }
}

/** The node an API error path points at (`rules.children[1].value` → that node's id and "value"). */
export function problemAt(path: string, index: PathIndex): { id: string; part: string } | undefined {
  let p = path;
  let part = "";
  while (p) {
    if (index[p]) return { id: index[p], part: part || "node" };
    const dot = p.lastIndexOf(".");
    if (dot < 0) break;
    part = p.slice(dot + 1).replace(/\[\d+\]$/, "");
    p = p.slice(0, dot);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// tree edits (immutable)

export function updateNode(root: RuleNode, id: string, change: (n: RuleNode) => RuleNode): RuleNode {
  if (root.id === id) return change(root);
  if (root.kind !== "group") return root;
  let changed = false;
  const children = root.children.map((c) => {
    const next = updateNode(c, id, change);
    if (next !== c) changed = true;
    return next;
  });
  return changed ? { ...root, children } : root;
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  const visit = (g: GroupNode): GroupNode => ({
    ...g,
    children: g.children.filter((c) => c.id !== id).map((c) => (c.kind === "group" ? visit(c) : c)),
  });
  return visit(root);
}

export function addChild(root: GroupNode, groupId: string, child: RuleNode): GroupNode {
  return updateNode(root, groupId, (g) => (g.kind === "group" ? { ...g, children: [...g.children, child] } : g)) as GroupNode;
}
