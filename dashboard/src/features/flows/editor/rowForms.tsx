"use client";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import { OPERATORS, needsValue, withKind, type ApiFilter, type ValueKind } from "@/features/segments/rules";
import type { FlowChannel } from "../definition";
import {
  CONSENT_STATUSES,
  consentFromApi,
  consentProblems,
  consentToApi,
  filterProblems,
  filtersFromApi,
  filtersToApi,
  hasProblems,
  setFromApi,
  setProblems,
  setToApi,
  VALUE_KINDS,
  type ConsentRow,
  type FilterRow,
  type SetRow,
} from "./formRows";

/**
 * Rows edited here and sent to the node only when every row passes (else the node keeps its last valid value and
 * the rows say what is wrong); a value changed elsewhere (undo, the JSON view) is read into the rows again.
 */
function useRows<V, R>(value: V, read: (v: V) => R[]) {
  const [rows, setRows] = React.useState<R[]>(() => read(value));
  const [seen, setSeen] = React.useState(value);
  const emitted = React.useRef<V>(value);
  if (seen !== value) {
    setSeen(value);
    if (value !== emitted.current) {
      emitted.current = value;
      setRows(read(value));
    }
  }
  return { rows, setRows, emitted };
}

function RowError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="col-span-full text-xs font-medium text-destructive">
      {message}
    </p>
  ) : null;
}

const CHANNELS: { value: FlowChannel; label: string }[] = [
  { value: "EMAIL", label: "Email" },
  { value: "SMS", label: "SMS" },
  { value: "WEBHOOK", label: "Webhook" },
];

/** Property filters (`where`): property, kind of value, operator, value; all must hold. */
export function FilterRows({
  label,
  where,
  onChange,
  keysListId,
  error,
}: {
  label: string;
  where: ApiFilter[] | undefined;
  onChange: (where: ApiFilter[] | undefined) => void;
  /** a datalist of property names to offer */
  keysListId?: string;
  error?: string;
}) {
  const { rows, setRows, emitted } = useRows(where, filtersFromApi);
  const problems = filterProblems(rows);
  const base = React.useId();
  function update(next: FilterRow[]) {
    setRows(next);
    if (hasProblems(filterProblems(next))) return;
    const value = filtersToApi(next);
    emitted.current = value;
    onChange(value);
  }
  const set = (i: number, patch: Partial<FilterRow>) => update(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">{label}</legend>
      {rows.length === 0 ? <p className="text-xs text-muted-foreground">No filter: any event of that name.</p> : null}
      {rows.map((r, i) => {
        const n = i + 1;
        const p = problems[i];
        return (
          <div key={i} className="grid grid-cols-2 gap-1.5 rounded-md border p-2" data-testid={`filter-row-${i}`}>
            <Input
              aria-label={`Filter ${n} property`}
              aria-invalid={p.property ? true : undefined}
              aria-describedby={p.property ? `${base}-p${i}` : undefined}
              list={keysListId}
              autoComplete="off"
              placeholder="property"
              value={r.property}
              onChange={(e) => set(i, { property: e.target.value })}
            />
            <NativeSelect aria-label={`Filter ${n} value type`} value={r.kind} onChange={(e) => set(i, withKind(r, e.target.value as ValueKind))}>
              {VALUE_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </NativeSelect>
            <NativeSelect aria-label={`Filter ${n} operator`} value={r.operator} onChange={(e) => set(i, { operator: e.target.value as FilterRow["operator"] })}>
              {OPERATORS[r.kind].map((o) => (
                <option key={o.op} value={o.op}>
                  {o.label}
                </option>
              ))}
            </NativeSelect>
            {!needsValue(r.operator) ? (
              <span />
            ) : r.kind === "boolean" ? (
              <NativeSelect aria-label={`Filter ${n} value`} value={r.value} onChange={(e) => set(i, { value: e.target.value })}>
                <option value="true">yes</option>
                <option value="false">no</option>
              </NativeSelect>
            ) : (
              <Input
                aria-label={`Filter ${n} value`}
                aria-invalid={p.value ? true : undefined}
                aria-describedby={p.value ? `${base}-v${i}` : undefined}
                type={r.kind === "date" && r.operator !== "within_last" ? "date" : "text"}
                placeholder={r.operator === "in" ? "a, b, c" : r.operator === "within_last" ? "days" : "value"}
                value={r.value}
                onChange={(e) => set(i, { value: e.target.value })}
              />
            )}
            <RowError id={`${base}-p${i}`} message={p.property} />
            <RowError id={`${base}-v${i}`} message={p.value} />
            <Button type="button" variant="ghost" size="sm" className="col-span-full justify-self-end" onClick={() => update(rows.filter((_, j) => j !== i))}>
              Remove filter {n}
            </Button>
          </div>
        );
      })}
      {error ? <p className="text-xs font-medium text-destructive">{error}</p> : null}
      {rows.length < 20 ? (
        <Button type="button" variant="outline" size="sm" onClick={() => update([...rows, { property: "", operator: "eq", kind: "text", value: "" }])}>
          Add a filter
        </Button>
      ) : null}
    </fieldset>
  );
}

/** An update's `set`: attribute names and values (text, number or yes/no). */
export function SetRows({
  set: value,
  removed,
  onChange,
  error,
}: {
  set: Record<string, unknown> | undefined;
  removed: string[];
  onChange: (set: Record<string, unknown> | undefined) => void;
  error?: string;
}) {
  const { rows, setRows, emitted } = useRows(value, setFromApi);
  const problems = setProblems(rows, removed);
  const base = React.useId();
  function update(next: SetRow[]) {
    setRows(next);
    if (hasProblems(setProblems(next, removed))) return;
    const out = setToApi(next);
    emitted.current = out;
    onChange(out);
  }
  const change = (i: number, patch: Partial<SetRow>) => update(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Set attributes</legend>
      {rows.map((r, i) => {
        const n = i + 1;
        const p = problems[i];
        return (
          <div key={i} className="grid grid-cols-[1fr_6rem] gap-1.5 rounded-md border p-2" data-testid={`set-row-${i}`}>
            <Input
              aria-label={`Attribute ${n} name`}
              aria-invalid={p.key ? true : undefined}
              aria-describedby={p.key ? `${base}-k${i}` : undefined}
              placeholder="attribute"
              value={r.key}
              onChange={(e) => change(i, { key: e.target.value })}
            />
            <NativeSelect
              aria-label={`Attribute ${n} type`}
              value={r.kind}
              onChange={(e) => {
                const kind = e.target.value as SetRow["kind"];
                change(i, { kind, value: kind === "boolean" ? "true" : r.kind === "boolean" ? "" : r.value });
              }}
            >
              <option value="text">text</option>
              <option value="number">number</option>
              <option value="boolean">yes/no</option>
            </NativeSelect>
            {r.kind === "boolean" ? (
              <NativeSelect aria-label={`Attribute ${n} value`} value={r.value} onChange={(e) => change(i, { value: e.target.value })}>
                <option value="true">yes</option>
                <option value="false">no</option>
              </NativeSelect>
            ) : (
              <Input
                aria-label={`Attribute ${n} value`}
                aria-invalid={p.value ? true : undefined}
                aria-describedby={p.value ? `${base}-v${i}` : undefined}
                inputMode={r.kind === "number" ? "decimal" : undefined}
                placeholder="value (Liquid is not rendered here)"
                value={r.value}
                onChange={(e) => change(i, { value: e.target.value })}
              />
            )}
            <Button type="button" variant="ghost" size="sm" onClick={() => update(rows.filter((_, j) => j !== i))}>
              Remove {n}
            </Button>
            <RowError id={`${base}-k${i}`} message={p.key} />
            <RowError id={`${base}-v${i}`} message={p.value} />
          </div>
        );
      })}
      {error ? <p className="text-xs font-medium text-destructive">{error}</p> : null}
      <Button type="button" variant="outline" size="sm" onClick={() => update([...rows, { key: "", kind: "text", value: "" }])}>
        Add an attribute
      </Button>
    </fieldset>
  );
}

/** An update's consent changes: a channel and the status it gets. */
export function ConsentRows({
  consent,
  onChange,
  error,
}: {
  consent: { channel?: FlowChannel; status?: string }[] | undefined;
  onChange: (consent: { channel?: FlowChannel; status?: string }[] | undefined) => void;
  error?: string;
}) {
  const { rows, setRows, emitted } = useRows(consent, consentFromApi);
  const problems = consentProblems(rows);
  function update(next: ConsentRow[]) {
    setRows(next);
    if (hasProblems(consentProblems(next))) return;
    const out = consentToApi(next);
    emitted.current = out;
    onChange(out);
  }
  const change = (i: number, patch: Partial<ConsentRow>) => update(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Change consent</legend>
      {rows.map((r, i) => {
        const n = i + 1;
        const p = problems[i];
        return (
          <div key={i} className="grid grid-cols-[1fr_1fr_auto] items-start gap-1.5" data-testid={`consent-row-${i}`}>
            <NativeSelect aria-label={`Consent change ${n} channel`} aria-invalid={p.channel ? true : undefined} value={r.channel} onChange={(e) => change(i, { channel: e.target.value as ConsentRow["channel"] })}>
              <option value="">Channel…</option>
              {CHANNELS.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </NativeSelect>
            <NativeSelect aria-label={`Consent change ${n} status`} aria-invalid={p.status ? true : undefined} value={r.status} onChange={(e) => change(i, { status: e.target.value as ConsentRow["status"] })}>
              <option value="">Status…</option>
              {CONSENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.toLowerCase()}
                </option>
              ))}
            </NativeSelect>
            <Button type="button" variant="ghost" size="sm" aria-label={`Remove consent change ${n}`} onClick={() => update(rows.filter((_, j) => j !== i))}>
              ×
            </Button>
            <RowError id={`consent-${i}-c`} message={p.channel ?? p.status} />
          </div>
        );
      })}
      {error ? <p className="text-xs font-medium text-destructive">{error}</p> : null}
      <Button type="button" variant="outline" size="sm" onClick={() => update([...rows, { channel: "", status: "" }])}>
        Add a consent change
      </Button>
    </fieldset>
  );
}
