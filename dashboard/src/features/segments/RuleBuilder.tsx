"use client";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { cn } from "@/lib/utils";
import {
  addChild,
  fieldKind,
  needsValue,
  newCondition,
  newFilter,
  newGroup,
  operatorsFor,
  PROFILE_FIELDS,
  removeNode,
  updateNode,
  withKind,
  type BehaviourOperator,
  type BehaviourWindow,
  type Channel,
  type ConditionKind,
  type ConditionNode,
  type ConsentStatus,
  ENGAGEMENT_ACTIONS,
  type EngagementAction,
  type GroupNode,
  type ProfileField,
  type PropertyFilterNode,
  type RuleNode,
  type RuleProblems,
  type ValueCondition,
  type ValueKind,
  type ValueOperator,
} from "./rules";

export interface SegmentOption {
  id: string;
  name: string;
}

interface Ctx {
  root: GroupNode;
  onChange: (root: GroupNode) => void;
  problems: RuleProblems;
  readOnly: boolean;
  segments: SegmentOption[];
  campaigns: SegmentOption[];
  attributeKeys: string[];
}
const BuilderContext = React.createContext<Ctx | null>(null);
function useBuilder(): Ctx {
  const ctx = React.useContext(BuilderContext);
  if (!ctx) throw new Error("inside RuleBuilder only");
  return ctx;
}

const KIND_LABEL: Record<ConditionKind, string> = {
  attribute: "Attribute",
  field: "Profile field",
  behaviour: "Event",
  consent: "Consent",
  segment: "Segment",
  engagement: "E-mail engagement",
};

const FIELD_LABEL: Record<ProfileField, string> = {
  email: "E-mail",
  externalId: "External id",
  phone: "Phone",
  locale: "Locale",
  timeZone: "Time zone",
  createdAt: "Created",
};

/**
 * A visual editor for a segment's rules: nested AND/OR groups of attribute, profile-field, event,
 * consent, segment and e-mail engagement conditions, each with the inputs its type needs. Keyboard: every control is
 * a native control or a Radix menu; labels name the condition's position ("condition 2.1").
 */
export function RuleBuilder({
  value,
  onChange,
  problems = {},
  readOnly = false,
  segments = [],
  campaigns = [],
  attributeKeys = [],
}: {
  value: GroupNode;
  onChange: (root: GroupNode) => void;
  problems?: RuleProblems;
  readOnly?: boolean;
  segments?: SegmentOption[];
  /** the campaigns an engagement condition can name (id and name) */
  campaigns?: SegmentOption[];
  attributeKeys?: string[];
}) {
  const listId = React.useId();
  return (
    <BuilderContext.Provider value={{ root: value, onChange, problems, readOnly, segments, campaigns, attributeKeys }}>
      <datalist id={`attr${listId}`}>
        {attributeKeys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <AttrListId.Provider value={`attr${listId}`}>
        <Group node={value} path="" depth={0} />
      </AttrListId.Provider>
    </BuilderContext.Provider>
  );
}
const AttrListId = React.createContext("");

function useEdit() {
  const { root, onChange } = useBuilder();
  return {
    update: (id: string, change: (n: RuleNode) => RuleNode) => onChange(updateNode(root, id, change) as GroupNode),
    remove: (id: string) => onChange(removeNode(root, id)),
    add: (groupId: string, child: RuleNode) => onChange(addChild(root, groupId, child)),
  };
}

function Problem({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-xs font-medium text-destructive">
      {message}
    </p>
  );
}

function Group({ node, path, depth }: { node: GroupNode; path: string; depth: number }) {
  const { readOnly, problems } = useBuilder();
  const { update, remove, add } = useEdit();
  const label = path ? `group ${path}` : "all rules";
  const matchId = React.useId();
  const problem = problems[node.id]?.children;
  return (
    <fieldset
      className={cn("rounded-lg border p-3", depth === 0 ? "bg-card" : depth % 2 ? "bg-muted/50" : "bg-card", node.negate && "border-dashed border-destructive/60")}
      aria-describedby={problem ? `${node.id}-children` : undefined}
    >
      <legend className="sr-only">{path ? `Group ${path}` : "Rules"}</legend>
      <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        <label htmlFor={matchId} className="font-medium">
          {node.negate ? "Exclude contacts matching" : "Contacts matching"}
        </label>
        <NativeSelect
          id={matchId}
          aria-label={`How the conditions of ${label} combine`}
          className="h-8 w-auto"
          value={node.op}
          disabled={readOnly}
          onChange={(e) => update(node.id, (n) => ({ ...(n as GroupNode), op: e.target.value as "and" | "or" }))}
        >
          <option value="and">all of</option>
          <option value="or">any of</option>
        </NativeSelect>
        <span className="text-muted-foreground">these conditions</span>
        <div className="ml-auto flex items-center gap-3">
          <NegateToggle node={node} label={label} />
          {depth > 0 && !readOnly ? (
            <Button variant="ghost" size="sm" onClick={() => remove(node.id)} aria-label={`Remove ${label}`}>
              Remove group
            </Button>
          ) : null}
        </div>
      </div>
      <ol className="space-y-2">
        {node.children.map((child, i) => {
          const childPath = path ? `${path}.${i + 1}` : `${i + 1}`;
          return (
            <li key={child.id} className="relative">
              {i > 0 ? (
                <span aria-hidden className="mb-1 inline-block rounded bg-secondary px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide text-secondary-foreground">
                  {node.op}
                </span>
              ) : null}
              {child.kind === "group" ? <Group node={child} path={childPath} depth={depth + 1} /> : <Condition node={child} path={childPath} />}
            </li>
          );
        })}
      </ol>
      <Problem id={`${node.id}-children`} message={problem} />
      {!readOnly ? (
        <div className="mt-3 flex flex-wrap gap-2">
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="outline" size="sm" aria-label={`Add a condition to ${label}`}>
                + Condition
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="start">
              {(Object.keys(KIND_LABEL) as ConditionKind[]).map((k) => (
                <DropdownMenuItem key={k} onSelect={() => add(node.id, newCondition(k))}>
                  {KIND_LABEL[k]}
                  <span className="ml-auto text-xs text-muted-foreground">{KIND_HINT[k]}</span>
                </DropdownMenuItem>
              ))}
            </DropdownMenuContent>
          </DropdownMenu>
          {depth < 5 ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => add(node.id, newGroup(node.op === "and" ? "or" : "and", [newCondition("attribute")]))}
              aria-label={`Add a group to ${label}`}
            >
              + Group
            </Button>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}

const KIND_HINT: Record<ConditionKind, string> = {
  attribute: "plan, city…",
  field: "e-mail, created…",
  behaviour: "did something",
  consent: "may receive",
  segment: "in another",
  engagement: "opened, clicked",
};

function NegateToggle({ node, label }: { node: RuleNode; label: string }) {
  const { readOnly } = useBuilder();
  const { update } = useEdit();
  const id = React.useId();
  return (
    <span className="inline-flex items-center gap-1.5 text-xs">
      <input
        id={id}
        type="checkbox"
        className="h-3.5 w-3.5 accent-[var(--color-destructive)]"
        checked={node.negate}
        disabled={readOnly}
        onChange={(e) => update(node.id, (n) => ({ ...n, negate: e.target.checked }))}
      />
      <label htmlFor={id}>
        Exclude<span className="sr-only"> contacts matching {label}</span>
      </label>
    </span>
  );
}

function Condition({ node, path }: { node: ConditionNode; path: string }) {
  const { readOnly, problems } = useBuilder();
  const { remove } = useEdit();
  const label = `condition ${path}`;
  const messages = Object.values(problems[node.id] ?? {});
  return (
    <div
      role="group"
      aria-label={`${KIND_LABEL[node.kind]} ${label}`}
      className={cn("rounded-md border bg-card p-3", node.negate && "border-dashed border-destructive/60", messages.length && "border-destructive")}
    >
      <div className="mb-2 flex items-center gap-2">
        <span className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">
          {node.negate ? "Not: " : ""}
          {KIND_LABEL[node.kind]}
        </span>
        <div className="ml-auto flex items-center gap-3">
          <NegateToggle node={node} label={label} />
          {!readOnly ? (
            <Button variant="ghost" size="sm" onClick={() => remove(node.id)} aria-label={`Remove ${label}`}>
              Remove
            </Button>
          ) : null}
        </div>
      </div>
      {node.kind === "attribute" ? <AttributeEditor node={node} label={label} /> : null}
      {node.kind === "field" ? <FieldEditor node={node} label={label} /> : null}
      {node.kind === "behaviour" ? <BehaviourEditor node={node} label={label} /> : null}
      {node.kind === "consent" ? <ConsentEditor node={node} label={label} /> : null}
      {node.kind === "segment" ? <SegmentEditor node={node} label={label} /> : null}
      {node.kind === "engagement" ? <EngagementEditor node={node} label={label} /> : null}
    </div>
  );
}

function ids(nodeId: string, part: string) {
  return `${nodeId}-${part}`;
}

function AttributeEditor({ node, label }: { node: Extract<ConditionNode, { kind: "attribute" }>; label: string }) {
  const { readOnly, problems } = useBuilder();
  const { update } = useEdit();
  const listId = React.useContext(AttrListId);
  const p = problems[node.id] ?? {};
  const set = (change: Partial<typeof node>) => update(node.id, (n) => ({ ...(n as typeof node), ...change }));
  return (
    <div className="flex flex-wrap items-start gap-2">
      <div>
        <Input
          aria-label={`Attribute name, ${label}`}
          placeholder="attribute, e.g. plan"
          list={listId}
          className="h-8 w-44 font-mono text-xs"
          value={node.attribute}
          disabled={readOnly}
          aria-invalid={p.attribute ? true : undefined}
          aria-describedby={p.attribute ? ids(node.id, "attribute") : undefined}
          onChange={(e) => set({ attribute: e.target.value })}
        />
        <Problem id={ids(node.id, "attribute")} message={p.attribute} />
      </div>
      <KindSelect value={node.condition.kind} label={label} disabled={readOnly} onChange={(kind) => set({ condition: withKind(node.condition, kind) })} />
      <ValueEditor condition={node.condition} label={label} nodeId={node.id} problem={p.value} onChange={(condition) => set({ condition })} />
    </div>
  );
}

function KindSelect({ value, label, disabled, onChange }: { value: ValueKind; label: string; disabled?: boolean; onChange: (k: ValueKind) => void }) {
  return (
    <NativeSelect aria-label={`Value type, ${label}`} className="h-8 w-auto" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as ValueKind)}>
      <option value="text">text</option>
      <option value="number">number</option>
      <option value="boolean">yes/no</option>
      <option value="date">date</option>
    </NativeSelect>
  );
}

/** The operator and the value input its type needs. */
function ValueEditor({
  condition,
  label,
  nodeId,
  problem,
  onChange,
}: {
  condition: ValueCondition;
  label: string;
  nodeId: string;
  problem?: string;
  onChange: (c: ValueCondition) => void;
}) {
  const { readOnly } = useBuilder();
  const c = condition;
  const errorId = ids(nodeId, "value");
  const common = {
    disabled: readOnly,
    "aria-invalid": problem ? true : undefined,
    "aria-describedby": problem ? errorId : undefined,
  } as const;
  let input: React.ReactNode = null;
  // a different kind of input is a new element (switching an input's type in place confuses browsers' value tracking)
  const variant =
    c.operator === "in" ? "list" : c.operator === "within_last" ? "days" : c.kind === "date" || c.operator === "before" || c.operator === "after" ? "date" : c.kind;
  if (needsValue(c.operator)) {
    if (c.operator === "in") {
      input = (
        <Input
          {...common}
          aria-label={`Values, comma-separated, ${label}`}
          placeholder="a, b, c"
          className="h-8 w-56"
          value={c.value}
          onChange={(e) => onChange({ ...c, value: e.target.value })}
        />
      );
    } else if (c.operator === "within_last") {
      input = (
        <span className="inline-flex items-center gap-1.5 text-sm">
          <Input
            {...common}
            type="number"
            min={1}
            max={36500}
            aria-label={`Number of days, ${label}`}
            className="h-8 w-24"
            value={c.value}
            onChange={(e) => onChange({ ...c, value: e.target.value })}
          />
          days
        </span>
      );
    } else if (c.kind === "date" || c.operator === "before" || c.operator === "after") {
      input = (
        <Input {...common} type="date" aria-label={`Date, ${label}`} className="h-8 w-40" value={c.value} onChange={(e) => onChange({ ...c, value: e.target.value })} />
      );
    } else if (c.kind === "boolean") {
      input = (
        <NativeSelect {...common} aria-label={`Value, ${label}`} className="h-8 w-auto" value={c.value || "true"} onChange={(e) => onChange({ ...c, value: e.target.value })}>
          <option value="true">yes</option>
          <option value="false">no</option>
        </NativeSelect>
      );
    } else if (c.kind === "number") {
      input = (
        <Input {...common} type="number" step="any" aria-label={`Number, ${label}`} className="h-8 w-32" value={c.value} onChange={(e) => onChange({ ...c, value: e.target.value })} />
      );
    } else {
      input = <Input {...common} aria-label={`Value, ${label}`} className="h-8 w-56" value={c.value} onChange={(e) => onChange({ ...c, value: e.target.value })} />;
    }
  }
  return (
    <>
      <NativeSelect
        aria-label={`Comparison, ${label}`}
        className="h-8 w-auto"
        value={c.operator}
        disabled={readOnly}
        onChange={(e) => {
          const operator = e.target.value as ValueOperator;
          onChange({ ...c, operator, value: c.kind === "boolean" && !c.value ? "true" : c.value });
        }}
      >
        {operatorsFor(c.kind).map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
      {input ? (
        <div key={variant}>
          {input}
          <Problem id={errorId} message={problem} />
        </div>
      ) : null}
    </>
  );
}

function FieldEditor({ node, label }: { node: Extract<ConditionNode, { kind: "field" }>; label: string }) {
  const { readOnly, problems } = useBuilder();
  const { update } = useEdit();
  const set = (change: Partial<typeof node>) => update(node.id, (n) => ({ ...(n as typeof node), ...change }));
  return (
    <div className="flex flex-wrap items-start gap-2">
      <NativeSelect
        aria-label={`Profile field, ${label}`}
        className="h-8 w-auto"
        value={node.field}
        disabled={readOnly}
        onChange={(e) => {
          const field = e.target.value as ProfileField;
          set({ field, condition: withKind(node.condition, fieldKind(field)) });
        }}
      >
        {PROFILE_FIELDS.map((f) => (
          <option key={f} value={f}>
            {FIELD_LABEL[f]}
          </option>
        ))}
      </NativeSelect>
      <ValueEditor condition={node.condition} label={label} nodeId={node.id} problem={problems[node.id]?.value} onChange={(condition) => set({ condition })} />
    </div>
  );
}

const BEHAVIOUR_LABEL: Record<BehaviourOperator, string> = {
  at_least: "at least",
  at_most: "at most",
  exactly: "exactly",
  not_performed: "never",
};

function BehaviourEditor({ node, label }: { node: Extract<ConditionNode, { kind: "behaviour" }>; label: string }) {
  const { readOnly, problems } = useBuilder();
  const { update } = useEdit();
  const p = problems[node.id] ?? {};
  const set = (change: Partial<typeof node>) => update(node.id, (n) => ({ ...(n as typeof node), ...change }));
  const setFilter = (id: string, change: Partial<PropertyFilterNode>) =>
    set({ where: node.where.map((f) => (f.id === id ? { ...f, ...change } : f)) });
  return (
    <div className="space-y-2 text-sm">
      <div className="flex flex-wrap items-start gap-2">
        <span className="pt-1.5">Did</span>
        <div>
          <Input
            aria-label={`Event name, ${label}`}
            placeholder="event, e.g. Order Completed"
            className="h-8 w-52"
            value={node.event}
            disabled={readOnly}
            aria-invalid={p.event ? true : undefined}
            aria-describedby={p.event ? ids(node.id, "event") : undefined}
            onChange={(e) => set({ event: e.target.value })}
          />
          <Problem id={ids(node.id, "event")} message={p.event} />
        </div>
        <NativeSelect
          aria-label={`How often, ${label}`}
          className="h-8 w-auto"
          value={node.operator}
          disabled={readOnly}
          onChange={(e) => {
            const operator = e.target.value as BehaviourOperator;
            set({ operator, count: operator === "not_performed" ? "" : node.count || "1" });
          }}
        >
          {(Object.keys(BEHAVIOUR_LABEL) as BehaviourOperator[]).map((o) => (
            <option key={o} value={o}>
              {BEHAVIOUR_LABEL[o]}
            </option>
          ))}
        </NativeSelect>
        {node.operator !== "not_performed" ? (
          <div className="inline-flex items-start gap-1.5">
            <div>
              <Input
                type="number"
                min={node.operator === "at_least" ? 1 : 0}
                aria-label={`Number of times, ${label}`}
                className="h-8 w-20"
                value={node.count}
                disabled={readOnly}
                aria-invalid={p.count ? true : undefined}
                aria-describedby={p.count ? ids(node.id, "count") : undefined}
                onChange={(e) => set({ count: e.target.value })}
              />
              <Problem id={ids(node.id, "count")} message={p.count} />
            </div>
            <span className="pt-1.5">times</span>
          </div>
        ) : null}
        <NativeSelect
          aria-label={`When, ${label}`}
          className="h-8 w-auto"
          value={node.window}
          disabled={readOnly}
          onChange={(e) => set({ window: e.target.value as BehaviourWindow })}
        >
          <option value="all">ever</option>
          <option value="last_days">in the last</option>
          <option value="between">between</option>
        </NativeSelect>
        {node.window === "last_days" ? (
          <div className="inline-flex items-start gap-1.5">
            <div>
              <Input
                type="number"
                min={1}
                max={36500}
                aria-label={`Days, ${label}`}
                className="h-8 w-20"
                value={node.days}
                disabled={readOnly}
                aria-invalid={p.days ? true : undefined}
                aria-describedby={p.days ? ids(node.id, "days") : undefined}
                onChange={(e) => set({ days: e.target.value })}
              />
              <Problem id={ids(node.id, "days")} message={p.days} />
            </div>
            <span className="pt-1.5">days</span>
          </div>
        ) : null}
        {node.window === "between" ? (
          <div>
            <span className="inline-flex flex-wrap items-center gap-1.5">
              <Input type="datetime-local" aria-label={`From, ${label}`} className="h-8 w-48" value={node.from} disabled={readOnly} onChange={(e) => set({ from: e.target.value })} />
              and
              <Input type="datetime-local" aria-label={`To, ${label}`} className="h-8 w-48" value={node.to} disabled={readOnly} onChange={(e) => set({ to: e.target.value })} />
            </span>
            <Problem id={ids(node.id, "window")} message={p.window} />
          </div>
        ) : null}
      </div>
      {node.where.map((f, i) => {
        const fp = problems[f.id] ?? {};
        const flabel = `property condition ${i + 1} of ${label}`;
        return (
          <div key={f.id} className="ml-6 flex flex-wrap items-start gap-2 border-l-2 pl-3">
            <span className="pt-1.5 text-muted-foreground">{i === 0 ? "where" : "and"}</span>
            <div>
              <Input
                aria-label={`Property, ${flabel}`}
                placeholder="property, e.g. total"
                className="h-8 w-40 font-mono text-xs"
                value={f.property}
                disabled={readOnly}
                aria-invalid={fp.property ? true : undefined}
                aria-describedby={fp.property ? ids(f.id, "property") : undefined}
                onChange={(e) => setFilter(f.id, { property: e.target.value })}
              />
              <Problem id={ids(f.id, "property")} message={fp.property} />
            </div>
            <KindSelect value={f.kind} label={flabel} disabled={readOnly} onChange={(kind) => setFilter(f.id, withKind(f, kind))} />
            <ValueEditor condition={f} label={flabel} nodeId={f.id} problem={fp.value} onChange={(c) => setFilter(f.id, c)} />
            {!readOnly ? (
              <Button variant="ghost" size="sm" onClick={() => set({ where: node.where.filter((x) => x.id !== f.id) })} aria-label={`Remove ${flabel}`}>
                Remove
              </Button>
            ) : null}
          </div>
        );
      })}
      <Problem id={ids(node.id, "where")} message={p.where} />
      {!readOnly && node.where.length < 20 ? (
        <Button variant="link" size="sm" className="ml-4" onClick={() => set({ where: [...node.where, newFilter()] })} aria-label={`Add a property condition to ${label}`}>
          + where the event&apos;s property…
        </Button>
      ) : null}
    </div>
  );
}

const CHANNELS: Channel[] = ["EMAIL", "SMS", "WEBHOOK"];
const STATUSES: ConsentStatus[] = ["SUBSCRIBED", "UNSUBSCRIBED", "BOUNCED", "COMPLAINED"];

function ConsentEditor({ node, label }: { node: Extract<ConditionNode, { kind: "consent" }>; label: string }) {
  const { readOnly } = useBuilder();
  const { update } = useEdit();
  const set = (change: Partial<typeof node>) => update(node.id, (n) => ({ ...(n as typeof node), ...change }));
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <NativeSelect aria-label={`Channel, ${label}`} className="h-8 w-auto" value={node.channel} disabled={readOnly} onChange={(e) => set({ channel: e.target.value as Channel })}>
        {CHANNELS.map((c) => (
          <option key={c} value={c}>
            {c === "EMAIL" ? "Email" : c === "SMS" ? "SMS" : "Webhook"}
          </option>
        ))}
      </NativeSelect>
      <span>consent is</span>
      <NativeSelect aria-label={`Consent status, ${label}`} className="h-8 w-auto" value={node.status} disabled={readOnly} onChange={(e) => set({ status: e.target.value as ConsentStatus })}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s.toLowerCase()}
          </option>
        ))}
      </NativeSelect>
      <span className="text-xs text-muted-foreground">(no record counts as subscribed)</span>
    </div>
  );
}

function SegmentEditor({ node, label }: { node: Extract<ConditionNode, { kind: "segment" }>; label: string }) {
  const { readOnly, segments, problems } = useBuilder();
  const { update } = useEdit();
  const problem = problems[node.id]?.segmentId;
  return (
    <div className="flex flex-wrap items-start gap-2 text-sm">
      <span className="pt-1.5">Is in the segment</span>
      <div>
        <NativeSelect
          aria-label={`Segment, ${label}`}
          className="h-8 w-auto min-w-48"
          value={node.segmentId}
          disabled={readOnly}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? ids(node.id, "segmentId") : undefined}
          onChange={(e) => update(node.id, (n) => ({ ...(n as typeof node), segmentId: e.target.value }))}
        >
          <option value="">Choose…</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          {node.segmentId && !segments.some((s) => s.id === node.segmentId) ? <option value={node.segmentId}>{node.segmentId}</option> : null}
        </NativeSelect>
        <Problem id={ids(node.id, "segmentId")} message={problem} />
      </div>
    </div>
  );
}

const ACTION_LABEL: Record<EngagementAction, string> = { opened: "Opened", clicked: "Clicked a link in" };

function EngagementEditor({ node, label }: { node: Extract<ConditionNode, { kind: "engagement" }>; label: string }) {
  const { readOnly, campaigns, problems } = useBuilder();
  const { update } = useEdit();
  const p = problems[node.id] ?? {};
  const set = (change: Partial<typeof node>) => update(node.id, (n) => ({ ...(n as typeof node), ...change }));
  return (
    <div className="space-y-2 text-sm">
      <div className="flex flex-wrap items-start gap-2">
        <NativeSelect aria-label={`Action, ${label}`} className="h-8 w-auto" value={node.action} disabled={readOnly} onChange={(e) => set({ action: e.target.value as EngagementAction })}>
          {ENGAGEMENT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {ACTION_LABEL[a]}
            </option>
          ))}
        </NativeSelect>
        <div>
          <NativeSelect
            aria-label={`Campaign, ${label}`}
            className="h-8 w-auto min-w-48"
            value={node.campaignId}
            disabled={readOnly}
            aria-invalid={p.campaignId ? true : undefined}
            aria-describedby={p.campaignId ? ids(node.id, "campaignId") : undefined}
            onChange={(e) => set({ campaignId: e.target.value })}
          >
            <option value="">any e-mail</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            {node.campaignId && !campaigns.some((c) => c.id === node.campaignId) ? <option value={node.campaignId}>{node.campaignId}</option> : null}
          </NativeSelect>
          <Problem id={ids(node.id, "campaignId")} message={p.campaignId} />
        </div>
        <NativeSelect
          aria-label={`When, ${label}`}
          className="h-8 w-auto"
          value={node.window}
          disabled={readOnly}
          onChange={(e) => set({ window: e.target.value as "all" | "last_days" })}
        >
          <option value="all">ever</option>
          <option value="last_days">in the last</option>
        </NativeSelect>
        {node.window === "last_days" ? (
          <div className="inline-flex items-start gap-1.5">
            <div>
              <Input
                type="number"
                min={1}
                max={36500}
                aria-label={`Days, ${label}`}
                className="h-8 w-20"
                value={node.days}
                disabled={readOnly}
                aria-invalid={p.days ? true : undefined}
                aria-describedby={p.days ? ids(node.id, "days") : undefined}
                onChange={(e) => set({ days: e.target.value })}
              />
              <Problem id={ids(node.id, "days")} message={p.days ?? p.withinLastDays} />
            </div>
            <span className="pt-1.5">days</span>
          </div>
        ) : null}
      </div>
      <label className="flex items-center gap-2 text-xs text-muted-foreground">
        <input type="checkbox" checked={node.humanOnly} disabled={readOnly} onChange={(e) => set({ humanOnly: e.target.checked })} aria-label={`People only, ${label}`} />
        People only: leave out opens and clicks taken for a machine&apos;s (image proxies, Apple Mail Privacy Protection, link scanners)
      </label>
    </div>
  );
}
