"use client";
import * as React from "react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/AppShell";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, NativeSelect } from "@/components/ui/input";
import { EmptyState, Loading } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { usePermissions } from "@/auth/hooks";
import { useActorName } from "@/features/campaigns/actors";
import { useChangeConsent, useContact, useContactTimeline, type ConsentStatus, type ContactView } from "@/features/contacts/api";
import { formatDateTime } from "@/lib/utils";
import { useCampaignNames } from "@/features/campaigns/api";
import { campaignLink, DeliveryProblem, DeliveryStatusBadge } from "@/features/delivery/DeliveriesTable";
import { ContactFlowRuns } from "@/features/flows/ContactFlowRuns";

const CHANNELS = ["EMAIL", "SMS", "WEBHOOK"] as const;
type Channel = (typeof CHANNELS)[number];
/** A contact's consent on one channel (GET /api/contacts/{id}), by hand: see the cast where it is read. */
type ConsentView = { status?: ConsentStatus; changedAt?: string; source?: string; reason?: string };
const CHANNEL_LABEL: Record<Channel, string> = { EMAIL: "Email", SMS: "SMS", WEBHOOK: "Webhook" };
const STATUS_TONE = { SUBSCRIBED: "green", UNSUBSCRIBED: "slate", BOUNCED: "amber", COMPLAINED: "red" } as const;

export function ContactPage() {
  const id = useSearchParams().get("id");
  const contact = useContact(id);
  const crumb = (
    <Link href="/contacts/" className="hover:underline">
      Contacts
    </Link>
  );
  if (!id) return <Alert tone="error">No contact was named in the address.</Alert>;
  if (contact.isPending) return <Loading label="Loading the contact…" />;
  if (contact.isError)
    return (
      <>
        <PageHeader title="Contact" breadcrumb={crumb} />
        <ProblemAlert error={contact.error} title="Could not load the contact" />
      </>
    );
  const c = contact.data;
  return (
    <>
      <PageHeader breadcrumb={crumb} title={c.email || c.externalId || c.phone || c.id} description={`In Herald since ${formatDateTime(c.createdAt)}`} />
      <div className="grid gap-6 lg:grid-cols-[1fr_1.2fr]">
        <div className="space-y-6">
          <Profile contact={c} />
          <Consent contact={c} />
          <Attributes contact={c} />
        </div>
        <div className="space-y-6">
          <Deliveries id={c.id!} />
          <ContactFlowRuns contactId={c.id!} />
          <Timeline id={c.id!} />
        </div>
      </div>
    </>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-3 py-2 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children ?? <span className="text-muted-foreground">—</span>}</dd>
    </div>
  );
}

function Profile({ contact: c }: { contact: ContactView }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Profile</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="divide-y">
          <Row label="E-mail">{c.email}</Row>
          <Row label="External id">{c.externalId ? <span className="font-mono text-xs">{c.externalId}</span> : null}</Row>
          <Row label="Phone">{c.phone}</Row>
          <Row label="Time zone">{c.timeZone}</Row>
          <Row label="Locale">{c.locale}</Row>
          <Row label="Id">
            <span className="font-mono text-xs">{c.id}</span>
          </Row>
        </dl>
      </CardContent>
    </Card>
  );
}

function Consent({ contact: c }: { contact: ContactView }) {
  const { canWriteCampaigns: canWrite } = usePermissions();
  const [editing, setEditing] = React.useState<Channel | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Consent</CardTitle>
        <p className="text-sm text-muted-foreground">Whether Herald may send on each channel. No record counts as subscribed.</p>
      </CardHeader>
      <CardContent>
        <ul className="divide-y">
          {CHANNELS.map((ch) => {
            // the OpenAPI document gives the name "Consent" to three records; this is the contact's consent view
            const consent = c.consent?.[ch] as ConsentView | undefined;
            const status = consent?.status as ConsentStatus | undefined;
            return (
              <li key={ch} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                <span className="w-20 font-medium">{CHANNEL_LABEL[ch]}</span>
                {status ? <Badge tone={STATUS_TONE[status]}>{status.toLowerCase()}</Badge> : <Badge tone="neutral">no record</Badge>}
                {consent?.changedAt ? (
                  <span className="text-xs text-muted-foreground">
                    {formatDateTime(consent.changedAt)}
                    {consent.source ? ` · ${consent.source}` : ""}
                    {consent.reason ? ` · “${consent.reason}”` : ""}
                  </span>
                ) : null}
                {canWrite ? (
                  <Button variant="ghost" size="sm" className="ml-auto" onClick={() => setEditing(ch)} aria-label={`Change ${CHANNEL_LABEL[ch]} consent`}>
                    Change
                  </Button>
                ) : null}
              </li>
            );
          })}
        </ul>
      </CardContent>
      {editing ? <ConsentDialog contact={c} channel={editing} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

function ConsentDialog({ contact, channel, onClose }: { contact: ContactView; channel: Channel; onClose: () => void }) {
  const current = (contact.consent?.[channel]?.status as ConsentStatus | undefined) ?? "SUBSCRIBED";
  const [status, setStatus] = React.useState<ConsentStatus>(current === "SUBSCRIBED" ? "UNSUBSCRIBED" : "SUBSCRIBED");
  const [reason, setReason] = React.useState("");
  const change = useChangeConsent(contact.id!);
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent>
        <DialogTitle>{CHANNEL_LABEL[channel]} consent</DialogTitle>
        <DialogDescription>Recorded in the contact&apos;s history with your name.</DialogDescription>
        <form
          className="mt-4 space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate({ channel, status, reason }, { onSuccess: onClose });
          }}
        >
          <Field label="Status">
            <NativeSelect value={status} onChange={(e) => setStatus(e.target.value as ConsentStatus)}>
              <option value="SUBSCRIBED">subscribed</option>
              <option value="UNSUBSCRIBED">unsubscribed</option>
              <option value="BOUNCED">bounced</option>
              <option value="COMPLAINED">complained</option>
            </NativeSelect>
          </Field>
          <Field label="Reason" optional>
            <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          </Field>
          {change.isError ? <ProblemAlert error={change.error} /> : null}
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Back
            </Button>
            <Button type="submit" loading={change.isPending}>
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function Attributes({ contact: c }: { contact: ContactView }) {
  const entries = Object.entries(c.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Attributes</CardTitle>
      </CardHeader>
      {entries.length === 0 ? (
        <EmptyState title="No attributes" />
      ) : (
        <Table>
          <caption className="sr-only">Attributes</caption>
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Value</TH>
            </tr>
          </THead>
          <TBody>
            {entries.map(([k, v]) => (
              <TR key={k}>
                <TD className="font-mono text-xs">{k}</TD>
                <TD className="break-all">
                  {typeof v === "object" ? <code className="text-xs">{JSON.stringify(v)}</code> : String(v)}
                  <span className="ml-2 text-xs text-muted-foreground">{typeof v === "number" ? "number" : typeof v === "boolean" ? "yes/no" : ""}</span>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

/** What Herald sent this contact (the timeline's first page carries the deliveries). */
function Deliveries({ id }: { id: string }) {
  const timeline = useContactTimeline(id);
  const deliveries = timeline.data?.deliveries ?? [];
  const names = useCampaignNames(deliveries.map((d) => d.campaignId));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Deliveries</CardTitle>
        <p className="text-sm text-muted-foreground">The campaigns sent to this contact and how each send went.</p>
      </CardHeader>
      {timeline.isPending ? (
        <CardContent>
          <Loading label="Loading the deliveries…" />
        </CardContent>
      ) : timeline.isError ? (
        <CardContent>
          <ProblemAlert error={timeline.error} title="Could not load the deliveries" />
        </CardContent>
      ) : deliveries.length === 0 ? (
        <EmptyState title="Nothing sent yet" />
      ) : (
        <Table>
          <caption className="sr-only">Deliveries</caption>
          <THead>
            <tr>
              <TH>Campaign</TH>
              <TH>Channel</TH>
              <TH>Status</TH>
              <TH>Attempts</TH>
              <TH>Reason / last error</TH>
              <TH>Updated</TH>
            </tr>
          </THead>
          <TBody>
            {deliveries.map((d) => (
              <TR key={`${d.campaignId}-${d.channel}`}>
                <TD>
                  <Link href={campaignLink(d.campaignId!)} className="text-primary underline-offset-4 hover:underline">
                    {names.get(d.campaignId!) ?? <span className="font-mono text-xs">{d.campaignId}</span>}
                  </Link>
                </TD>
                <TD>{d.channel ? CHANNEL_LABEL[d.channel] : "—"}</TD>
                <TD>
                  <DeliveryStatusBadge status={d.status} />
                </TD>
                <TD className="tabular-nums">{d.attempts ?? 0}</TD>
                <TD>
                  <DeliveryProblem delivery={d} />
                </TD>
                <TD className="whitespace-nowrap text-xs text-muted-foreground">{formatDateTime(d.sentAt ?? d.updatedAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

type TimelineEntry = {
  position?: number;
  sequence?: number;
  type?: string;
  timestamp?: string;
  payload?: Record<string, unknown>;
  actor?: string;
  correlationId?: string;
};

function summary(e: TimelineEntry): string {
  const p = e.payload ?? {};
  const type = (e.type ?? "").replace(/Event$/, "");
  const keys = (o: unknown) => (o && typeof o === "object" ? Object.keys(o as object) : []);
  switch (type) {
    case "ContactCreated":
      return `Created${typeof p.source === "string" ? (p.source.startsWith("import:") ? " by an import" : ` (${p.source})`) : ""}.`;
    case "ContactProfileChanged": {
      const changed = Array.isArray(p.changed) ? (p.changed as string[]) : [];
      return changed.length ? `Changed ${changed.join(", ")}.` : "Profile changed.";
    }
    case "ContactAttributesChanged": {
      const set = keys(p.set);
      const removed = Array.isArray(p.removed) ? (p.removed as string[]) : [];
      return [set.length ? `Set ${set.join(", ")}` : "", removed.length ? `removed ${removed.join(", ")}` : ""].filter(Boolean).join("; ") + ".";
    }
    case "ContactConsentChanged": {
      const consent = (p.consent ?? {}) as Record<string, unknown>;
      const status = String(consent.status ?? p.status ?? "").toLowerCase();
      const was = p.previous ? ` (was ${String(p.previous).toLowerCase()})` : "";
      const reason = consent.reason ? `: “${String(consent.reason)}”` : "";
      return `${CHANNEL_LABEL[p.channel as Channel] ?? String(p.channel ?? "")} consent ${status}${was}${reason}.`;
    }
    case "EventTracked":
      return `Did “${String(p.event ?? "an event")}”${p.contactId ? "" : " (as an anonymous visitor)"}.`;
    case "ContactAnonymousIdLinked":
      return `Signed in as the anonymous visitor “${String(p.anonymousId ?? "")}”: the visitor's events are this contact's.`;
    default:
      return type.replace(/([a-z])([A-Z])/g, "$1 $2");
  }
}

function Timeline({ id }: { id: string }) {
  const [after, setAfter] = React.useState<number | undefined>(undefined);
  const [older, setOlder] = React.useState<TimelineEntry[]>([]);
  const timeline = useContactTimeline(id, after);
  const actorName = useActorName();
  const page = (timeline.data?.entries ?? []) as TimelineEntry[];
  const entries = [...older, ...page];
  const next = timeline.data?.next;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Timeline</CardTitle>
        <p className="text-sm text-muted-foreground">What happened to and with this contact, oldest first.</p>
      </CardHeader>
      <CardContent>
        {timeline.isPending && entries.length === 0 ? (
          <Loading />
        ) : timeline.isError ? (
          <ProblemAlert error={timeline.error} title="Could not load the timeline" />
        ) : entries.length === 0 ? (
          <EmptyState title="Nothing yet" />
        ) : (
          <ol className="relative space-y-4 border-l pl-6" aria-label="Contact timeline">
            {entries.map((e, i) => (
              <li key={`${e.position ?? e.sequence ?? i}-${e.type}`} className="relative">
                <span aria-hidden className="absolute -left-[1.95rem] top-1 h-3 w-3 rounded-full border-2 border-card bg-primary" />
                <div className="flex flex-wrap items-baseline gap-2">
                  <Badge>{(e.type ?? "").replace(/^Contact/, "").replace(/([a-z])([A-Z])/g, "$1 $2") || "Event"}</Badge>
                  <time dateTime={e.timestamp} className="text-xs text-muted-foreground">
                    {formatDateTime(e.timestamp)}
                  </time>
                </div>
                <p className="mt-1 text-sm">{summary(e)}</p>
                <p className="text-xs text-muted-foreground">by {actorName(e.actor)}</p>
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer text-muted-foreground hover:text-foreground">Details</summary>
                  <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded-md bg-muted p-2 font-mono">
                    {JSON.stringify(e.payload ?? {}, null, 2)}
                  </pre>
                </details>
              </li>
            ))}
          </ol>
        )}
        {next != null && page.length > 0 ? (
          <Button
            variant="outline"
            size="sm"
            className="mt-4"
            loading={timeline.isFetching}
            onClick={() => {
              setOlder(entries);
              setAfter(next);
            }}
          >
            Show more
          </Button>
        ) : null}
      </CardContent>
    </Card>
  );
}
