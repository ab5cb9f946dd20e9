"use client";
import * as React from "react";
import { Field } from "@/components/ui/field";
import { Input, NativeSelect, Textarea } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { useSegments } from "@/features/segments/api";
import { RuleBuilder } from "@/features/segments/RuleBuilder";
import { fromApiRule, toApiRule, validateTree, type ApiRule, type GroupNode } from "@/features/segments/rules";
import type { FlowChannel, FlowDefinition, FlowNode, FlowTrigger } from "../definition";
import { NODE_LABEL } from "../describe";
import { EventNameOptions, PropertyKeyOptions } from "../eventNames";
import { ConsentRows, FilterRows, SetRows } from "./rowForms";

/** The field a refused save names on the node being edited, with Herald's message. */
export interface FieldProblem {
  field?: string;
  message: string;
}

type Patch = Record<string, unknown>;

/** `node` with `patch` applied: a field set to undefined or "" is left out. */
function patched<T extends object>(node: T, patch: Patch): T {
  const copy = { ...node } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === "") delete copy[k];
    else copy[k] = v;
  }
  return copy as T;
}

function errorFor(problem: FieldProblem | undefined, ...fields: string[]): string | undefined {
  if (!problem) return undefined;
  if (!problem.field) return undefined;
  return fields.some((f) => problem.field === f || problem.field!.startsWith(`${f}.`) || problem.field!.startsWith(`${f}[`))
    ? problem.message
    : undefined;
}

/** A text field holding JSON: the value changes only when the text parses; otherwise the field says why. */
function JsonField({
  label,
  value,
  onChange,
  hint,
  error,
  rows = 4,
  optional = true,
}: {
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
  hint?: React.ReactNode;
  error?: string;
  rows?: number;
  optional?: boolean;
}) {
  const format = (v: unknown) => (v === undefined ? "" : JSON.stringify(v, null, 2));
  const [text, setText] = React.useState(() => format(value));
  const [local, setLocal] = React.useState<string>();
  const last = React.useRef(value);
  // a change from elsewhere (undo, another field) shows here
  if (last.current !== value) {
    last.current = value;
    if (local === undefined) {
      const next = format(value);
      if (next !== text) setText(next);
    }
  }
  return (
    <Field label={label} hint={hint} error={local ?? error} optional={optional}>
      <Textarea
        value={text}
        rows={rows}
        spellCheck={false}
        className="min-h-0 font-mono text-xs"
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) {
            setLocal(undefined);
            last.current = undefined;
            onChange(undefined);
            return;
          }
          try {
            const parsed = JSON.parse(e.target.value);
            setLocal(undefined);
            last.current = parsed;
            onChange(parsed);
          } catch {
            setLocal("Not valid JSON yet: the node keeps its last valid value.");
          }
        }}
      />
    </Field>
  );
}

const CHANNELS: { value: FlowChannel; label: string }[] = [
  { value: "EMAIL", label: "Email" },
  { value: "SMS", label: "SMS" },
  { value: "WEBHOOK", label: "Webhook" },
];

/** The settings of one node. Edges are drawn on the canvas, not set here. */
export function NodeForm({ node, onChange, problem }: { node: FlowNode; onChange: (node: FlowNode) => void; problem?: FieldProblem }) {
  const set = (patch: Patch) => onChange(patched(node, patch));
  const text = (label: string, field: string, value: string | undefined, hint?: React.ReactNode, placeholder?: string) => (
    <Field label={label} hint={hint} error={errorFor(problem, field)}>
      <Input value={value ?? ""} placeholder={placeholder} onChange={(e) => set({ [field]: e.target.value })} />
    </Field>
  );

  switch (node.type) {
    case "entry":
      return <p className="text-sm text-muted-foreground">Where every run starts. Connect its handle to the first step.</p>;
    case "exit":
      return <p className="text-sm text-muted-foreground">The run ends here.</p>;
    case "send": {
      const content = node.content ?? {};
      const setContent = (patch: Patch) => set({ content: patched(content, patch) });
      const contentText = (label: string, field: keyof typeof content, multiline = false, hint?: string) => (
        <Field label={label} hint={hint} error={errorFor(problem, `content.${field}`)} optional={field === "html"}>
          {multiline ? (
            <Textarea rows={4} className="min-h-0 text-xs" value={content[field] ?? ""} onChange={(e) => setContent({ [field]: e.target.value })} />
          ) : (
            <Input value={content[field] ?? ""} onChange={(e) => setContent({ [field]: e.target.value })} />
          )}
        </Field>
      );
      return (
        <div className="space-y-3">
          <Field label="Channel" error={errorFor(problem, "channel")}>
            <NativeSelect value={node.channel ?? ""} onChange={(e) => set({ channel: e.target.value })}>
              <option value="">Choose…</option>
              {CHANNELS.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </NativeSelect>
          </Field>
          {node.channel === "EMAIL" ? (
            <>
              {contentText("Subject", "subject")}
              {contentText("Body", "body", true, "Liquid: {{ first_name }}, {{ trigger.cartId }}…")}
              {contentText("HTML", "html", true)}
            </>
          ) : null}
          {node.channel === "SMS" ? contentText("Text", "body", true, "Liquid: {{ first_name }}, {{ trigger.* }}") : null}
          {node.channel === "WEBHOOK" ? (
            <>
              {contentText("Webhook URL", "url")}
              {contentText("Payload", "payload", true, "A Liquid JSON template")}
            </>
          ) : null}
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={!!node.transactional} onChange={(e) => set({ transactional: e.target.checked || undefined })} />
            Transactional
          </label>
        </div>
      );
    }
    case "wait":
      return (
        <div className="space-y-3">
          {text("Duration", "duration", node.duration, "ISO-8601: PT1H, P2D", "PT1H")}
          <p className="text-xs text-muted-foreground">Or until a time of day (with optional weekdays), or a date attribute with an offset:</p>
          {text("Time of day", "timeOfDay", node.timeOfDay, "HH:mm in the contact's time zone", "09:00")}
          <Field label="Weekdays" hint="Comma separated: MONDAY, FRIDAY" error={errorFor(problem, "weekdays")}>
            <Input
              value={(node.weekdays ?? []).join(", ")}
              onChange={(e) => {
                const days = e.target.value
                  .split(",")
                  .map((d) => d.trim().toUpperCase())
                  .filter(Boolean);
                set({ weekdays: days.length ? days : undefined });
              }}
            />
          </Field>
          {text("Date attribute", "dateAttribute", node.dateAttribute)}
          {text("Offset", "offset", node.offset, "ISO-8601, e.g. -P1D")}
        </div>
      );
    case "wait_for_event":
      return (
        <div className="space-y-3">
          <Field label="Event" hint="Names Herald has tracked are offered as you type" error={errorFor(problem, "event")}>
            <Input list={`events-${node.id}`} autoComplete="off" value={node.event ?? ""} onChange={(e) => set({ event: e.target.value })} />
          </Field>
          <EventNameOptions id={`events-${node.id}`} />
          <Field label="Match key" hint="A property the event shares with the trigger, e.g. cartId" error={errorFor(problem, "matchKey")}>
            <Input list={`keys-${node.id}`} autoComplete="off" value={node.matchKey ?? ""} onChange={(e) => set({ matchKey: e.target.value })} />
          </Field>
          <PropertyKeyOptions id={`keys-${node.id}`} event={node.event} />
          {text("Timeout", "timeout", node.timeout, "ISO-8601: PT23H")}
          <FilterRows label="Only events where" where={node.where} onChange={(v) => set({ where: v })} keysListId={`keys-${node.id}`} error={errorFor(problem, "where")} />
        </div>
      );
    case "branch":
      return <BranchRule rule={node.rule} onChange={(rule) => set({ rule })} error={errorFor(problem, "rule")} />;
    case "split": {
      const paths = node.paths ?? [];
      const setPath = (i: number, patch: Patch) => set({ paths: paths.map((p, j) => (j === i ? patched(p, patch) : p)) });
      const total = paths.reduce((s, p) => s + (Number(p.percent) || 0), 0);
      return (
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium">Paths ({total} % in all; they must sum to 100)</legend>
          {paths.map((p, i) => (
            <div key={i} className="grid grid-cols-[1fr_5rem_auto] items-end gap-2">
              <Field label={`Path ${i + 1} name`} error={errorFor(problem, `paths[${i}]`)}>
                <Input value={p.name ?? ""} onChange={(e) => setPath(i, { name: e.target.value })} />
              </Field>
              <Field label="%" error={undefined}>
                <Input
                  type="number"
                  min={0}
                  max={100}
                  aria-label={`Path ${i + 1} percent`}
                  value={p.percent ?? ""}
                  onChange={(e) => setPath(i, { percent: e.target.value === "" ? undefined : Number(e.target.value) })}
                />
              </Field>
              <Button type="button" variant="outline" size="sm" aria-label={`Remove path ${i + 1}`} onClick={() => set({ paths: paths.filter((_, j) => j !== i) })}>
                ×
              </Button>
            </div>
          ))}
          {errorFor(problem, "paths") ? <p className="text-xs font-medium text-destructive">{problem?.message}</p> : null}
          <Button type="button" variant="outline" size="sm" onClick={() => set({ paths: [...paths, { name: String.fromCharCode(65 + paths.length), percent: 0 }] })}>
            Add a path
          </Button>
        </fieldset>
      );
    }
    case "update_contact":
      return (
        <div className="space-y-3">
          <SetRows set={node.set} removed={node.remove ?? []} onChange={(v) => set({ set: v && Object.keys(v).length ? v : undefined })} error={errorFor(problem, "set")} />
          <Field label="Remove" hint="Attribute names, comma separated" error={errorFor(problem, "remove")} optional>
            <Input
              value={(node.remove ?? []).join(", ")}
              onChange={(e) => {
                const names = e.target.value
                  .split(",")
                  .map((d) => d.trim())
                  .filter(Boolean);
                set({ remove: names.length ? names : undefined });
              }}
            />
          </Field>
          <ConsentRows consent={node.consent} onChange={(v) => set({ consent: v })} error={errorFor(problem, "consent")} />
          {!(node.set && Object.keys(node.set).length) && !node.remove?.length && !node.consent?.length ? (
            <p className="text-xs font-medium text-destructive">Set or remove an attribute, or change a consent: an update that changes nothing is refused.</p>
          ) : null}
        </div>
      );
    case "webhook":
      return (
        <div className="space-y-3">
          {text("URL", "url", node.url)}
          <Field label="Body" hint="A Liquid JSON template" error={errorFor(problem, "body")}>
            <Textarea rows={4} className="min-h-0 font-mono text-xs" value={node.body ?? ""} onChange={(e) => set({ body: e.target.value })} />
          </Field>
        </div>
      );
    default:
      return null;
  }
}

/** The API's rule for the builder's tree: a lone condition stays a lone condition, not an AND of one. */
function ruleOf(tree: GroupNode): ApiRule {
  if (tree.op === "and" && !tree.negate && tree.children.length === 1) return toApiRule(tree.children[0]).rule;
  return toApiRule(tree).rule;
}

/** A branch's rule: the segments' rule builder (the same conditions a segment has), or JSON. */
function BranchRule({ rule, onChange, error }: { rule: ApiRule | undefined; onChange: (rule: ApiRule | undefined) => void; error?: string }) {
  const [mode, setMode] = React.useState<"builder" | "json">("builder");
  const [tree, setTree] = React.useState<GroupNode>(() => fromApiRule(rule));
  const emitted = React.useRef(rule);
  const [shown, setShown] = React.useState(rule);
  // a rule changed elsewhere (undo, the JSON) is read into the builder again
  if (shown !== rule) {
    setShown(rule);
    if (rule !== emitted.current) setTree(fromApiRule(rule));
  }
  const segments = useSegments(0, 200);
  const problems = React.useMemo(() => validateTree(tree), [tree]);
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between gap-2">
        <span className="text-sm font-medium">Rule: contacts who match go “true”</span>
        <div role="group" aria-label="Edit the rule as" className="flex gap-1">
          {(["builder", "json"] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={mode === m}
              onClick={() => setMode(m)}
              className={`rounded-full border px-2 py-0.5 text-[11px] ${mode === m ? "border-primary bg-primary text-primary-foreground" : "bg-card"}`}
            >
              {m === "builder" ? "Conditions" : "JSON"}
            </button>
          ))}
        </div>
      </div>
      {error ? <p className="text-xs font-medium text-destructive">{error}</p> : null}
      {mode === "builder" ? (
        <div className="text-xs">
          <RuleBuilder
            value={tree}
            problems={problems}
            segments={(segments.data?.items ?? []).map((s) => ({ id: String(s.id), name: s.name ?? String(s.id) }))}
            onChange={(t) => {
              setTree(t);
              const next = ruleOf(t);
              emitted.current = next;
              onChange(next);
            }}
          />
        </div>
      ) : (
        <JsonField
          label="Rule (JSON)"
          rows={8}
          optional={false}
          value={rule}
          onChange={(v) => onChange(v as ApiRule | undefined)}
          error={error}
          hint={'A segment rule, e.g. {"type": "attribute", "attribute": "plan", "operator": "eq", "value": "pro"}'}
        />
      )}
    </div>
  );
}

export function nodeTitle(node: FlowNode): string {
  return NODE_LABEL[node.type] ?? node.type;
}

/** The trigger, the entry policy and the time zone: the flow's settings when no node is selected. */
export function FlowSettingsForm({
  definition,
  onChange,
  flowId,
  problem,
}: {
  definition: FlowDefinition;
  onChange: (update: (d: FlowDefinition) => FlowDefinition) => void;
  flowId?: string;
  problem?: FieldProblem;
}) {
  const trigger = definition.trigger ?? { type: "api" };
  const entry = definition.entry ?? {};
  const segments = useSegments(0, 200, trigger.type === "segment");
  const setTrigger = (t: FlowTrigger) => onChange((d) => ({ ...d, trigger: t }));
  const setEntry = (patch: Patch) => onChange((d) => ({ ...d, entry: patched(d.entry ?? {}, patch) }));
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const curl = [
    `curl -X POST '${origin}/api/flows/${flowId ?? "<flow id, once created>"}/entries' \\`,
    `  -H 'X-API-Key: hk_…' -H 'Content-Type: application/json' \\`,
    `  -H 'Idempotency-Key: <unique per call>' \\`,
    `  -d '{"contacts": [{"email": "ada@example.com"}], "data": {"cartId": "c-1"}}'`,
  ].join("\n");

  return (
    <div className="space-y-3">
      <Field label="Trigger" error={errorFor(problem, "trigger")}>
        <NativeSelect
          value={trigger.type}
          onChange={(e) => {
            const type = e.target.value as FlowTrigger["type"];
            setTrigger(type === "event" ? { type, event: "" } : type === "segment" ? { type } : { type: "api" });
          }}
        >
          <option value="event">An event is tracked</option>
          <option value="segment">A contact enters a segment</option>
          <option value="api">Called through the API</option>
        </NativeSelect>
      </Field>
      {trigger.type === "event" ? (
        <>
          <Field label="Event name" hint="Names Herald has tracked are offered as you type" error={errorFor(problem, "trigger.event")}>
            <Input
              list="trigger-events"
              autoComplete="off"
              value={trigger.event ?? ""}
              onChange={(e) => setTrigger(patched(trigger, { event: e.target.value }) as FlowTrigger)}
            />
          </Field>
          <EventNameOptions id="trigger-events" />
          <Field label="De-duplication key" hint="An event property; messageId when empty" error={errorFor(problem, "trigger.dedupKey")} optional>
            <Input
              list="trigger-keys"
              autoComplete="off"
              value={trigger.dedupKey ?? ""}
              onChange={(e) => setTrigger(patched(trigger, { dedupKey: e.target.value }) as FlowTrigger)}
            />
          </Field>
          <PropertyKeyOptions id="trigger-keys" event={trigger.event} />
          <FilterRows
            label="Only events where"
            where={trigger.where}
            onChange={(v) => setTrigger(patched(trigger, { where: v }) as FlowTrigger)}
            keysListId="trigger-keys"
            error={errorFor(problem, "trigger.where")}
          />
        </>
      ) : null}
      {trigger.type === "segment" ? (
        <Field label="Segment" error={errorFor(problem, "trigger.segmentId")}>
          <NativeSelect value={trigger.segmentId ?? ""} onChange={(e) => setTrigger(patched(trigger, { segmentId: e.target.value }) as FlowTrigger)}>
            <option value="">Choose…</option>
            {(segments.data?.items ?? []).map((s) => (
              <option key={String(s.id)} value={String(s.id)}>
                {s.name}
              </option>
            ))}
            {trigger.segmentId && !(segments.data?.items ?? []).some((s) => String(s.id) === trigger.segmentId) ? (
              <option value={trigger.segmentId}>{trigger.segmentId}</option>
            ) : null}
          </NativeSelect>
        </Field>
      ) : null}
      {trigger.type === "api" ? (
        <div className="space-y-1">
          <p className="text-sm">Contacts enter when a program calls:</p>
          <pre data-testid="entries-curl" className="overflow-x-auto rounded-md bg-slate-900 p-3 text-[11px] leading-4 text-slate-50">
            {curl}
          </pre>
        </div>
      ) : null}
      <Field label="Concurrency" error={errorFor(problem, "entry.concurrency")}>
        <NativeSelect value={entry.concurrency ?? "PER_CONTACT"} onChange={(e) => setEntry({ concurrency: e.target.value })}>
          <option value="PER_CONTACT">One run per contact</option>
          <option value="PER_DEDUP_KEY">One run per de-duplication key</option>
        </NativeSelect>
      </Field>
      <Field label="Re-entry" error={errorFor(problem, "entry.reEntry")}>
        <NativeSelect value={entry.reEntry ?? "NEVER"} onChange={(e) => setEntry({ reEntry: e.target.value, reEntryAfterDays: e.target.value === "AFTER_DAYS" ? entry.reEntryAfterDays ?? 30 : undefined })}>
          <option value="NEVER">Never</option>
          <option value="AFTER_DAYS">After some days</option>
        </NativeSelect>
      </Field>
      {entry.reEntry === "AFTER_DAYS" ? (
        <Field label="Days before re-entry" error={errorFor(problem, "entry.reEntryAfterDays")}>
          <Input type="number" min={1} value={entry.reEntryAfterDays ?? ""} onChange={(e) => setEntry({ reEntryAfterDays: e.target.value === "" ? undefined : Number(e.target.value) })} />
        </Field>
      ) : null}
      <ExitOn exitOn={entry.exitOn ?? []} onChange={(exitOn) => setEntry({ exitOn: exitOn.length ? exitOn : undefined })} problem={problem} />
      <Field label="Time zone" hint="For waits until a time of day, when the contact has none" error={errorFor(problem, "timeZone")} optional>
        <Input value={definition.timeZone ?? ""} onChange={(e) => onChange((d) => patched(d, { timeZone: e.target.value }))} />
      </Field>
    </div>
  );
}

type ExitCondition = NonNullable<NonNullable<FlowDefinition["entry"]>["exitOn"]>[number];

/** The events that make a contact leave the flow wherever their run is (`entry.exitOn`); their filters are kept. */
function ExitOn({ exitOn, onChange, problem }: { exitOn: ExitCondition[]; onChange: (exitOn: ExitCondition[]) => void; problem?: FieldProblem }) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Leaves the flow on</legend>
      {exitOn.length === 0 ? <p className="text-xs text-muted-foreground">No event: runs go on to an exit step.</p> : null}
      {exitOn.map((condition, i) => (
        <div key={i} className="grid grid-cols-[1fr_auto] items-end gap-2">
          <Field
            label={`Exit event ${i + 1}`}
            hint={condition.where?.length ? `Kept with its ${condition.where.length} filter(s); the JSON view edits them` : undefined}
            error={errorFor(problem, `entry.exitOn[${i}]`)}
          >
            <Input
              list="exit-events"
              autoComplete="off"
              value={condition.event ?? ""}
              onChange={(e) => onChange(exitOn.map((c, j) => (j === i ? { ...c, event: e.target.value } : c)))}
            />
          </Field>
          <Button type="button" variant="outline" size="sm" aria-label={`Remove exit event ${i + 1}`} onClick={() => onChange(exitOn.filter((_, j) => j !== i))}>
            ×
          </Button>
        </div>
      ))}
      <EventNameOptions id="exit-events" />
      <Button type="button" variant="outline" size="sm" onClick={() => onChange([...exitOn, { event: "" }])}>
        Add an exit event
      </Button>
    </fieldset>
  );
}
