"use client";
import * as React from "react";
import Link from "next/link";
import type { CampaignView } from "@/api/client";
import { ApiError } from "@/api/problem";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, NativeSelect, Textarea } from "@/components/ui/input";
import { CheckboxField, RadioCard, RadioGroup } from "@/components/ui/checkbox";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Card, CardContent } from "@/components/ui/card";
import { TimeZoneSelect } from "@/components/TimeZoneSelect";
import { cn, uuid } from "@/lib/utils";
import { formatInZone, zonedLocalToInstant } from "@/lib/timezones";
import { CHANNEL_LABEL } from "./status";
import {
  STEPS,
  LIMITS,
  definitionChanged,
  definitionOf,
  draftFieldOfApiField,
  firstInvalidStep,
  scheduleOf,
  stepOfField,
  validateDraft,
  validateStep,
  type CampaignDraft,
  type DraftErrors,
  type StepId,
} from "./draft";
import { SaveError, type SaveInput } from "./api";
import { smsParts } from "./sms";
import {
  contactLabel,
  findContactsWithApi,
  previewWithApi,
  useTemplatePreview,
  type ContactFinder,
  type PreviewContact,
  type PreviewState,
  type TemplatePreviewer,
} from "./preview";
import { PreviewAs } from "./PreviewAs";

export interface WizardProps {
  initial: CampaignDraft;
  /** the campaign being edited (absent when creating) */
  campaign?: CampaignView;
  /** performs the save; resolves with the saved campaign */
  onSave: (input: SaveInput) => Promise<CampaignView>;
  onSaved: (campaign: CampaignView) => void;
  cancelHref: string;
  /** the segments to choose from (undefined: a free segment id field) */
  segments?: { id: string; name: string }[];
  /** shown under the chosen segment (e.g. how many contacts it reaches now) */
  audienceInfo?: (segmentId: string) => React.ReactNode;
  /** renders Liquid for the live preview (default: the API's template preview) */
  previewer?: TemplatePreviewer;
  /** finds the contacts to preview as (default: the API's contacts search) */
  findContacts?: ContactFinder;
  /** for tests */
  now?: () => Date;
}

/** Create or edit a campaign in five steps; each step is checked before the next one opens. */
export function CampaignWizard({
  initial,
  campaign,
  onSave,
  onSaved,
  cancelHref,
  previewer = previewWithApi,
  findContacts = findContactsWithApi,
  segments,
  audienceInfo,
  now = () => new Date(),
}: WizardProps) {
  const [draft, setDraft] = React.useState<CampaignDraft>(initial);
  const [stepIndex, setStepIndex] = React.useState(0);
  const [reached, setReached] = React.useState(campaign ? STEPS.length - 1 : 0);
  const [shown, setShown] = React.useState<DraftErrors>({});
  const [serverErrors, setServerErrors] = React.useState<DraftErrors>({});
  const [failure, setFailure] = React.useState<{ error: unknown; note?: string } | null>(null);
  const [saving, setSaving] = React.useState(false);
  const [focusToken, setFocusToken] = React.useState(0);
  // the contact the live preview renders for (null: Herald's sample contact); kept across steps
  const [previewContact, setPreviewContact] = React.useState<PreviewContact | null>(null);
  const newId = React.useRef(uuid());
  const createdId = React.useRef<string | undefined>(campaign?.id);
  const headingRef = React.useRef<HTMLHeadingElement>(null);
  const formRef = React.useRef<HTMLFormElement>(null);
  const firstRender = React.useRef(true);

  const step = STEPS[stepIndex].id;
  const editing = !!campaign;

  // move focus to the new step's heading (screen readers announce it), or to the first invalid field
  React.useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [stepIndex]);
  React.useEffect(() => {
    if (focusToken === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusToken]);

  function update<K extends keyof CampaignDraft>(field: K, value: CampaignDraft[K]) {
    setDraft((d) => {
      const next = { ...d, [field]: value };
      // once a field has been flagged, re-check it as the person types
      setShown((s) => {
        if (!Object.keys(s).length) return s;
        const current = validateDraft(next, now());
        const kept: DraftErrors = {};
        for (const f of Object.keys(s) as (keyof CampaignDraft)[]) if (current[f]) kept[f] = current[f];
        return kept;
      });
      return next;
    });
    setServerErrors((s) => (s[field] ? { ...s, [field]: undefined } : s));
  }

  function goTo(index: number) {
    setStepIndex(index);
    setReached((r) => Math.max(r, index));
  }

  function next() {
    const errors = validateStep(draft, step, now());
    setShown(errors);
    if (Object.keys(errors).length) {
      setFocusToken((t) => t + 1);
      return;
    }
    goTo(stepIndex + 1);
  }

  async function save() {
    const errors = validateDraft(draft, now());
    setShown(errors);
    if (Object.keys(errors).length) {
      const s = firstInvalidStep(errors);
      if (s) goTo(STEPS.findIndex((x) => x.id === s));
      setFocusToken((t) => t + 1);
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const saved = await onSave({
        existingId: createdId.current,
        newId: newId.current,
        definition: definitionOf(draft),
        definitionChanged: !campaign || !createdId.current || definitionChanged(draft, campaign) || createdId.current !== campaign.id,
        schedule: scheduleOf(draft),
      });
      onSaved(saved);
    } catch (e) {
      setSaving(false);
      const cause = e instanceof SaveError ? e.cause : e;
      if (e instanceof SaveError && e.campaignId) createdId.current = e.campaignId;
      const note =
        e instanceof SaveError && e.stage === "schedule" && !editing
          ? "The campaign was saved as a draft, but it could not be scheduled."
          : undefined;
      setFailure({ error: cause, note });
      if (cause instanceof ApiError) {
        const mapped: DraftErrors = {};
        for (const [field, message] of Object.entries(cause.fieldErrors)) {
          const f = draftFieldOfApiField(field);
          if (f) mapped[f] = message;
        }
        if (e instanceof SaveError && e.stage === "schedule" && !Object.keys(mapped).length) mapped.sendAt = cause.message;
        setServerErrors(mapped);
        const s = firstInvalidStep(mapped);
        if (s) goTo(STEPS.findIndex((x) => x.id === s));
      }
    }
  }

  const err = (f: keyof CampaignDraft) => shown[f] ?? serverErrors[f];

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (step === "review") void save();
        else next();
      }}
      className="grid gap-6 lg:grid-cols-[12rem_1fr]"
      aria-label={editing ? "Edit campaign" : "New campaign"}
    >
      <nav aria-label="Steps">
        <ol className="flex gap-1 overflow-x-auto lg:flex-col">
          {STEPS.map((s, i) => {
            const hasError = Object.keys({ ...shown, ...serverErrors }).some(
              (f) => (shown[f as keyof CampaignDraft] || serverErrors[f as keyof CampaignDraft]) && stepOfField(f as keyof CampaignDraft) === s.id,
            );
            return (
              <li key={s.id}>
                <button
                  type="button"
                  onClick={() => goTo(i)}
                  disabled={i > reached}
                  aria-current={i === stepIndex ? "step" : undefined}
                  className={cn(
                    "flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm disabled:cursor-not-allowed disabled:opacity-50",
                    i === stepIndex ? "bg-primary/10 font-semibold text-primary" : "hover:bg-muted",
                  )}
                >
                  <span
                    aria-hidden
                    className={cn(
                      "flex h-6 w-6 shrink-0 items-center justify-center rounded-full border text-xs",
                      i === stepIndex && "border-primary bg-primary text-primary-foreground",
                      hasError && "border-destructive bg-destructive text-destructive-foreground",
                    )}
                  >
                    {i + 1}
                  </span>
                  {s.label}
                  {hasError ? <span className="sr-only"> (has errors)</span> : null}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>

      <Card>
        <CardContent className="space-y-5 pt-5">
          <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
            Step {stepIndex + 1} of {STEPS.length}: {STEPS[stepIndex].label}
          </h2>

          {failure ? (
            <div className="space-y-2">
              {failure.note ? <Alert tone="warning">{failure.note}</Alert> : null}
              <ProblemAlert error={failure.error} title="Could not save the campaign" />
            </div>
          ) : null}

          {step === "basics" ? <BasicsStep draft={draft} update={update} err={err} /> : null}
          {step === "content" ? <ContentStep
              draft={draft}
              update={update}
              err={err}
              previewer={previewer}
              findContacts={findContacts}
              previewContact={previewContact}
              setPreviewContact={setPreviewContact}
            /> : null}
          {step === "audience" ? <AudienceStep draft={draft} update={update} err={err} segments={segments} audienceInfo={audienceInfo} /> : null}
          {step === "schedule" ? <ScheduleStep draft={draft} update={update} err={err} campaign={campaign} /> : null}
          {step === "review" ? <ReviewStep draft={draft} campaign={campaign} segments={segments} goTo={(s) => goTo(STEPS.findIndex((x) => x.id === s))} /> : null}

          <div className="flex flex-wrap items-center justify-between gap-2 border-t pt-4">
            <Button variant="ghost" asChild>
              <Link href={cancelHref}>Cancel</Link>
            </Button>
            <div className="flex gap-2">
              {stepIndex > 0 ? (
                <Button variant="outline" onClick={() => goTo(stepIndex - 1)}>
                  Back
                </Button>
              ) : null}
              {step === "review" ? (
                <Button type="submit" loading={saving}>
                  {editing ? "Save changes" : draft.schedule === "at" ? "Create and schedule" : "Create campaign"}
                </Button>
              ) : (
                <Button type="submit">Next</Button>
              )}
            </div>
          </div>
        </CardContent>
      </Card>
    </form>
  );
}

interface StepProps {
  draft: CampaignDraft;
  update: <K extends keyof CampaignDraft>(field: K, value: CampaignDraft[K]) => void;
  err: (field: keyof CampaignDraft) => string | undefined;
}

function BasicsStep({ draft, update, err }: StepProps) {
  const channelError = err("channel");
  return (
    <>
      <Field label="Campaign name" error={err("name")} hint="Only operators see it.">
        <Input value={draft.name} onChange={(e) => update("name", e.target.value)} maxLength={LIMITS.name + 50} autoComplete="off" />
      </Field>
      <fieldset aria-describedby={channelError ? "channel-error" : undefined}>
        <legend className="mb-2 text-sm font-medium">Channel</legend>
        <RadioGroup
          value={draft.channel}
          onValueChange={(v) => update("channel", v as CampaignDraft["channel"])}
          className="sm:grid-cols-3"
          aria-label="Channel"
          aria-invalid={channelError ? true : undefined}
        >
          <RadioCard value="EMAIL" label="Email" description="A subject with a text and/or HTML body." />
          <RadioCard value="SMS" label="SMS" description="A text message of up to 1,600 characters." />
          <RadioCard value="WEBHOOK" label="Webhook" description="An HTTP POST of a JSON payload to a URL." />
        </RadioGroup>
        {channelError ? (
          <p id="channel-error" className="mt-1.5 text-xs font-medium text-destructive">
            {channelError}
          </p>
        ) : null}
      </fieldset>
      <CheckboxField
        label="Use as a template"
        description={TEMPLATE_HINT}
        checked={draft.template}
        onCheckedChange={(v) => update("template", v)}
      />
    </>
  );
}

/** What the template mark does (Herald itself does not refuse to launch a template: the hint says not to). */
export const TEMPLATE_HINT =
  "Kept as a model to copy: Duplicate and the daily n8n workflow make new drafts from it. Launch the copies, not the template.";

const LIQUID_HINT = (
  <>
    Liquid placeholders such as <code className="font-mono">{"{{ first_name }}"}</code> are filled in for each contact when sending.
  </>
);

interface PreviewProps {
  previewer: TemplatePreviewer;
  findContacts: ContactFinder;
  previewContact: PreviewContact | null;
  setPreviewContact: (contact: PreviewContact | null) => void;
}

function ContentStep({ draft, update, err, ...preview }: StepProps & PreviewProps) {
  if (!draft.channel) return <Alert tone="info">Choose a channel in the first step.</Alert>;
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <div className="space-y-4">
        {draft.channel === "EMAIL" ? (
          <>
            <Field label="Subject" error={err("subject")}>
              <Input value={draft.subject} onChange={(e) => update("subject", e.target.value)} autoComplete="off" />
            </Field>
            <Field label="Text body" error={err("body")} hint={LIQUID_HINT}>
              <Textarea rows={8} value={draft.body} onChange={(e) => update("body", e.target.value)} className="font-mono text-xs" />
            </Field>
            <Field label="HTML body" optional error={err("html")} hint="Sent as the HTML part; the text body is the plain-text alternative.">
              <Textarea rows={8} value={draft.html} onChange={(e) => update("html", e.target.value)} className="font-mono text-xs" />
            </Field>
          </>
        ) : null}
        {draft.channel === "SMS" ? <SmsBody draft={draft} update={update} err={err} /> : null}
        {draft.channel === "WEBHOOK" ? (
          <>
            <Field label="URL" error={err("url")} hint="Herald sends an HTTP POST to this address for each contact.">
              <Input type="url" inputMode="url" value={draft.url} onChange={(e) => update("url", e.target.value)} placeholder="https://example.com/hooks/herald" autoComplete="off" />
            </Field>
            <Field label="Payload" optional error={err("payload")} hint={<>A JSON template. {LIQUID_HINT}</>}>
              <Textarea rows={10} value={draft.payload} onChange={(e) => update("payload", e.target.value)} className="font-mono text-xs" spellCheck={false} />
            </Field>
          </>
        ) : null}
      </div>
      <ContentPreview draft={draft} {...preview} />
    </div>
  );
}

function SmsBody({ draft, update, err }: StepProps) {
  const { parts, encoding } = smsParts(draft.body);
  const over = draft.body.length > LIMITS.smsBody;
  return (
    <Field
      label="Message"
      error={err("body")}
      hint={
        <span aria-live="polite">
          <span className={over ? "font-semibold text-destructive" : undefined}>
            {draft.body.length} / {LIMITS.smsBody} characters
          </span>
          {parts > 0 ? ` · ${parts} part${parts > 1 ? "s" : ""} (${encoding})` : ""}. {LIQUID_HINT}
        </span>
      }
    >
      <Textarea rows={6} value={draft.body} onChange={(e) => update("body", e.target.value)} />
    </Field>
  );
}

/**
 * What a contact receives: the templates rendered by Herald, as they are typed, for a sample contact
 * or for the contact chosen under "Preview as" (with exactly the variables a send to them would use).
 */
function ContentPreview({ draft, previewer, findContacts, previewContact, setPreviewContact }: { draft: CampaignDraft } & PreviewProps) {
  const email = draft.channel === "EMAIL";
  const contactId = previewContact?.id;
  const subject = useTemplatePreview(previewer, email ? draft.subject : "", "TEXT", contactId);
  const body = useTemplatePreview(previewer, draft.channel === "WEBHOOK" ? "" : draft.body, "TEXT", contactId);
  const html = useTemplatePreview(previewer, email ? draft.html : "", "HTML", contactId);
  const payload = useTemplatePreview(previewer, draft.channel === "WEBHOOK" ? draft.payload : "", "TEXT", contactId);
  const pending = [subject, body, html, payload].some((p) => p.pending);
  return (
    <div className="space-y-3">
      <PreviewAs value={previewContact} onChange={setPreviewContact} findContacts={findContacts} />
      <section aria-label="Preview" aria-busy={pending || undefined} className="rounded-md border bg-muted/40 p-4">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">Preview</h3>
        <p className="mb-3 text-xs text-muted-foreground">
          Rendered by Herald as it would be sent, {previewContact ? <>to <span className="font-medium text-foreground">{contactLabel(previewContact)}</span></> : "for a sample contact"}.
        </p>
        {draft.channel === "EMAIL" ? (
          <div className="overflow-hidden rounded-md border bg-card">
            <div className="border-b px-4 py-2 text-sm">
              <span className="text-muted-foreground">Subject: </span>
              <Rendered state={subject} empty="—" inline />
            </div>
            {draft.html.trim() ? (
              html.error ? (
                <PreviewError message={html.error} />
              ) : (
                <iframe title="HTML body preview" sandbox="" srcDoc={html.rendered ?? ""} className="h-72 w-full bg-white" />
              )
            ) : (
              <div className="max-h-72 overflow-auto px-4 py-3 text-sm">
                <Rendered state={body} empty="—" />
              </div>
            )}
          </div>
        ) : null}
        {draft.channel === "SMS" ? (
          <div className="max-w-xs rounded-2xl rounded-bl-sm bg-card px-4 py-3 text-sm shadow-sm">
            <Rendered state={body} empty="—" />
          </div>
        ) : null}
        {draft.channel === "WEBHOOK" ? (
          <div className="space-y-2 text-sm">
            <p className="break-all font-mono text-xs">
              <span className="font-semibold">POST</span> {draft.url || "—"}
            </p>
            <div className="max-h-72 overflow-auto rounded-md border bg-card p-3 font-mono text-xs">
              <Rendered mono state={{ ...payload, rendered: payload.rendered === undefined ? undefined : prettyJson(payload.rendered) }} empty="(empty body)" />
            </div>
          </div>
        ) : null}
      </section>
    </div>
  );
}

function Rendered({ state, empty, inline, mono }: { state: PreviewState; empty: string; inline?: boolean; mono?: boolean }) {
  if (state.error) return <PreviewError message={state.error} />;
  const text = state.rendered;
  const Tag = inline ? "span" : "pre";
  return (
    <Tag className={cn(inline ? "font-medium" : "whitespace-pre-wrap", mono ? "font-mono" : "font-sans", state.pending && "opacity-60")}>
      {text ? text : state.pending ? "…" : empty}
    </Tag>
  );
}

function PreviewError({ message }: { message: string }) {
  return (
    <span role="status" className="block px-1 py-1 text-xs font-medium text-destructive">
      {message}
    </span>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function AudienceStep({
  draft,
  update,
  err,
  segments,
  audienceInfo,
}: StepProps & { segments?: { id: string; name: string }[]; audienceInfo?: (segmentId: string) => React.ReactNode }) {
  const chosen = draft.segmentId.trim();
  return (
    <>
      {segments ? (
        <div className="space-y-1.5">
          <Field label="Segment" error={err("segmentId")} hint={segments.length === 0 ? "There are no segments yet: build one under Segments." : "The contacts who receive this campaign."}>
            <NativeSelect value={draft.segmentId} onChange={(e) => update("segmentId", e.target.value)}>
              <option value="">No segment yet</option>
              {segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
              {chosen && !segments.some((s) => s.id === chosen) ? <option value={chosen}>{chosen}</option> : null}
            </NativeSelect>
          </Field>
          {chosen && audienceInfo ? <div aria-live="polite">{audienceInfo(chosen)}</div> : null}
        </div>
      ) : (
        <Field label="Segment id" optional error={err("segmentId")} hint="The segment whose contacts receive this campaign.">
          <Input value={draft.segmentId} onChange={(e) => update("segmentId", e.target.value)} autoComplete="off" className="font-mono" />
        </Field>
      )}
      <Field
        label="Throttle (messages per second)"
        optional
        error={err("throttlePerSecond")}
        hint="The most messages sent per second across all Herald instances. Empty: as fast as the channel allows."
      >
        <Input
          type="number"
          inputMode="numeric"
          min={1}
          max={LIMITS.throttle}
          step={1}
          value={draft.throttlePerSecond}
          onChange={(e) => update("throttlePerSecond", e.target.value)}
          className="max-w-48"
        />
      </Field>
    </>
  );
}

function ScheduleStep({ draft, update, err, campaign }: StepProps & { campaign?: CampaignView }) {
  const scheduled = campaign?.status === "SCHEDULED" && campaign.sendAt;
  const at = draft.schedule === "at" ? zonedLocalToInstant(draft.sendAt, draft.timeZone) : null;
  return (
    <>
      <fieldset>
        <legend className="mb-2 text-sm font-medium">When to send</legend>
        <RadioGroup value={draft.schedule} onValueChange={(v) => update("schedule", v as CampaignDraft["schedule"])} aria-label="When to send">
          <RadioCard
            value="none"
            label={scheduled ? "Keep the current schedule" : "Keep as a draft"}
            description={
              scheduled
                ? `Sends ${formatInZone(campaign.sendAt!, campaign.timeZone ?? "UTC")} (${campaign.timeZone}).`
                : "Launch it by hand from the campaign page when it is ready."
            }
          />
          <RadioCard
            value="at"
            label={scheduled ? "Change the schedule" : "Schedule"}
            description="Herald launches it at a date and time in the time zone you choose."
          />
        </RadioGroup>
      </fieldset>
      {draft.schedule === "at" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Date and time" error={err("sendAt")}>
            <Input type="datetime-local" value={draft.sendAt} onChange={(e) => update("sendAt", e.target.value)} />
          </Field>
          <Field label="Time zone" error={err("timeZone")}>
            <TimeZoneSelect value={draft.timeZone} onValueChange={(z) => update("timeZone", z)} />
          </Field>
          {at ? (
            <p className="text-sm text-muted-foreground sm:col-span-2" aria-live="polite">
              That is {formatInZone(at, "UTC")} UTC
              {Intl.DateTimeFormat().resolvedOptions().timeZone !== draft.timeZone
                ? ` and ${at.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })} where you are`
                : ""}
              .
            </p>
          ) : null}
        </div>
      ) : null}
      {draft.template && (draft.schedule === "at" || scheduled) ? (
        <Alert tone="warning" title="This campaign is a template">
          Scheduled, it sends itself at that time, besides the copies the daily n8n workflow makes of it. Keep a template as a
          draft to send only its copies.
        </Alert>
      ) : null}
    </>
  );
}

function ReviewStep({
  draft,
  campaign,
  goTo,
  segments,
}: {
  draft: CampaignDraft;
  campaign?: CampaignView;
  goTo: (s: StepId) => void;
  segments?: { id: string; name: string }[];
}) {
  const rows: { step: StepId; label: string; value: React.ReactNode }[] = [
    { step: "basics", label: "Name", value: draft.name },
    { step: "basics", label: "Channel", value: draft.channel ? CHANNEL_LABEL[draft.channel] : "—" },
    { step: "basics", label: "Template", value: draft.template ? "yes: copied, not sent itself" : "no" },
  ];
  if (draft.channel === "EMAIL") {
    rows.push({ step: "content", label: "Subject", value: draft.subject });
    rows.push({ step: "content", label: "Body", value: [draft.body.trim() && "text", draft.html.trim() && "HTML"].filter(Boolean).join(" and ") });
  } else if (draft.channel === "SMS") {
    rows.push({ step: "content", label: "Message", value: `${draft.body.length} characters` });
  } else if (draft.channel === "WEBHOOK") {
    rows.push({ step: "content", label: "URL", value: <span className="break-all font-mono text-xs">{draft.url}</span> });
    rows.push({ step: "content", label: "Payload", value: draft.payload.trim() ? `${draft.payload.length} characters` : "empty" });
  }
  rows.push({
    step: "audience",
    label: "Segment",
    value: segments?.find((s) => s.id === draft.segmentId.trim())?.name ?? (draft.segmentId.trim() || "none yet"),
  });
  rows.push({ step: "audience", label: "Throttle", value: draft.throttlePerSecond.trim() ? `${draft.throttlePerSecond} per second` : "none" });
  const at = draft.schedule === "at" ? zonedLocalToInstant(draft.sendAt, draft.timeZone) : null;
  rows.push({
    step: "schedule",
    label: "Schedule",
    value: at
      ? `${formatInZone(at, draft.timeZone)} (${draft.timeZone})`
      : campaign?.status === "SCHEDULED" && campaign.sendAt
        ? `unchanged: ${formatInZone(campaign.sendAt, campaign.timeZone ?? "UTC")} (${campaign.timeZone})`
        : "not scheduled (launch by hand)",
  });
  return (
    <dl className="divide-y rounded-md border">
      {rows.map((r) => (
        <div key={r.label} className="grid grid-cols-[8rem_1fr_auto] items-center gap-3 px-4 py-2.5 text-sm">
          <dt className="text-muted-foreground">{r.label}</dt>
          <dd className="min-w-0">{r.value}</dd>
          <dd>
            <Button variant="link" size="sm" onClick={() => goTo(r.step)} aria-label={`Change ${r.label.toLowerCase()}`}>
              Change
            </Button>
          </dd>
        </div>
      ))}
    </dl>
  );
}
