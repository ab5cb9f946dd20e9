"use client";
import * as React from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call, type Schemas } from "@/api/client";
import { ApiError } from "@/api/problem";
import { SecretReveal } from "@/components/SecretReveal";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/checkbox";
import { ConfirmDialog, Dialog, DialogContent, DialogDescription, DialogFooter, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/lib/utils";
import {
  EMPTY_FORM,
  deliveryBadge,
  groupEventTypes,
  lastAttemptSummary,
  subscriptionBadge,
  toRequest,
  toggle,
  validate,
  type WebhookForm,
} from "@/features/webhooks/webhooks";
import { SettingsFrame } from "./SettingsFrame";

type Subscription = Schemas["WebhookSubscriptionView"];

/** Settings → Webhooks: outgoing webhook subscriptions (README, "Webhook subscriptions (outgoing)"). */
export function Webhooks() {
  const [selected, setSelected] = React.useState<string | null>(null);
  return (
    <SettingsFrame>
      <div className="space-y-6">
        <CreateSubscription />
        <SubscriptionTable selected={selected} onSelect={setSelected} />
        {selected ? <Deliveries id={selected} onClose={() => setSelected(null)} /> : null}
      </div>
    </SettingsFrame>
  );
}

function useCatalogue() {
  return useQuery({ queryKey: ["webhook-event-types"], queryFn: () => call(api.GET("/api/webhooks/event-types")) });
}

function CreateSubscription() {
  const [form, setForm] = React.useState<WebhookForm>(EMPTY_FORM);
  const [touched, setTouched] = React.useState(false);
  const [created, setCreated] = React.useState<Schemas["WebhookCreated"] | null>(null);
  const catalogue = useCatalogue();
  const groups = groupEventTypes(catalogue.data?.items ?? []);
  const order = groups.flatMap((g) => g.types.map((t) => t.type!));
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: () => call(api.POST("/api/webhooks", { body: toRequest(form) })),
    onSuccess: (subscription) => {
      setCreated(subscription);
      setForm(EMPTY_FORM);
      setTouched(false);
      void client.invalidateQueries({ queryKey: ["webhooks"] });
    },
  });
  const local = touched ? validate(form) : {};
  const server = create.error instanceof ApiError ? create.error.fieldErrors : {};
  return (
    <Card>
      <CardHeader>
        <CardTitle>Add a webhook</CardTitle>
        <p className="text-sm text-muted-foreground">
          Herald POSTs each chosen event, signed the Standard Webhooks way, to your URL (an n8n workflow, a CRM, an alert hook).
        </p>
      </CardHeader>
      <CardContent>
        <form
          noValidate
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (Object.keys(validate(form)).length > 0) return;
            create.mutate();
          }}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="URL" error={local.url ?? server.url}>
              <Input
                value={form.url}
                onChange={(e) => setForm({ ...form, url: e.target.value })}
                placeholder="https://hooks.example.com/herald"
                autoComplete="off"
                maxLength={2000}
              />
            </Field>
            <Field label="Description" optional error={server.description}>
              <Input value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} maxLength={500} />
            </Field>
          </div>
          <fieldset aria-describedby={local.eventTypes ?? server.eventTypes ? "event-error" : undefined}>
            <legend className="mb-2 text-sm font-medium">Events</legend>
            {catalogue.isError ? <ProblemAlert error={catalogue.error} title="Could not load the event types" /> : null}
            <div className="grid gap-4 sm:grid-cols-3">
              {groups.map((g) => (
                <div key={g.group} className="space-y-2">
                  <p className="text-xs font-semibold uppercase text-muted-foreground">{g.label}</p>
                  {g.types.map((t) => (
                    <CheckboxField
                      key={t.type}
                      label={<span className="font-mono text-xs">{t.type}</span>}
                      description={t.description}
                      checked={form.eventTypes.includes(t.type!)}
                      onCheckedChange={(on) => setForm({ ...form, eventTypes: toggle(form.eventTypes, t.type!, on, order) })}
                    />
                  ))}
                </div>
              ))}
            </div>
            {local.eventTypes ?? server.eventTypes ? (
              <p id="event-error" className="mt-1.5 text-xs font-medium text-destructive">
                {local.eventTypes ?? server.eventTypes}
              </p>
            ) : null}
          </fieldset>
          {form.eventTypes.includes("campaign.failed") ? (
            <Field
              label="Campaign failure rate (%)"
              optional
              hint="Also send campaign.failed when more than this share of a campaign's finished sends failed."
              error={local.failureRatePercent ?? server.campaignFailureRate}
            >
              <Input value={form.failureRatePercent} onChange={(e) => setForm({ ...form, failureRatePercent: e.target.value })} inputMode="decimal" />
            </Field>
          ) : null}
          {create.isError ? <ProblemAlert error={create.error} title="Could not add the webhook" /> : null}
          <Button type="submit" loading={create.isPending}>
            Add webhook
          </Button>
        </form>
      </CardContent>
      <Dialog open={!!created} onOpenChange={(o) => !o && setCreated(null)}>
        <DialogContent>
          <DialogTitle>Webhook added</DialogTitle>
          <DialogDescription>Copy the signing secret now: it is shown only once. Your receiver verifies each message with it.</DialogDescription>
          <div className="mt-4 space-y-3">
            {created?.secret ? <SecretReveal label="Signing secret" value={created.secret} /> : null}
            <Alert tone="info">
              Check <code className="font-mono">webhook-signature</code> against <code className="font-mono">webhook-id.webhook-timestamp.body</code>{" "}
              (HMAC-SHA256, Standard Webhooks).
            </Alert>
          </div>
          <DialogFooter>
            <Button onClick={() => setCreated(null)}>Done</Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </Card>
  );
}

function SubscriptionTable({ selected, onSelect }: { selected: string | null; onSelect: (id: string | null) => void }) {
  const list = useQuery({ queryKey: ["webhooks"], queryFn: () => call(api.GET("/api/webhooks")) });
  const client = useQueryClient();
  const [deleting, setDeleting] = React.useState<Subscription | null>(null);
  const [secret, setSecret] = React.useState<Schemas["WebhookSecretView"] | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: ["webhooks"] });
  const switchOn = useMutation({
    mutationFn: ({ s, enabled }: { s: Subscription; enabled: boolean }) =>
      call(
        api.PUT("/api/webhooks/{id}", {
          params: { path: { id: s.id! }, header: { "If-Match": `"${s.version}"` } },
          body: {
            url: s.url!,
            eventTypes: s.eventTypes ?? [],
            description: s.description ?? undefined,
            enabled,
            campaignFailureRate: s.campaignFailureRate ?? undefined,
          },
        }),
      ),
    onSuccess: refresh,
  });
  const test = useMutation({
    mutationFn: (s: Subscription) => call(api.POST("/api/webhooks/{id}/test", { params: { path: { id: s.id! } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["webhook-deliveries"] }),
  });
  const rotate = useMutation({
    mutationFn: (s: Subscription) => call(api.POST("/api/webhooks/{id}/rotate-secret", { params: { path: { id: s.id! } } })),
    onSuccess: setSecret,
  });
  const remove = useMutation({
    mutationFn: (s: Subscription) => call(api.DELETE("/api/webhooks/{id}", { params: { path: { id: s.id! } } })),
    onSuccess: (_, s) => {
      setDeleting(null);
      if (selected === s.id) onSelect(null);
      refresh();
    },
  });
  const error = switchOn.error ?? test.error ?? rotate.error;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Webhooks</CardTitle>
      </CardHeader>
      {error ? (
        <CardContent>
          <ProblemAlert error={error} />
        </CardContent>
      ) : null}
      {list.isPending ? (
        <TableSkeleton rows={2} />
      ) : list.isError ? (
        <CardContent>
          <ProblemAlert error={list.error} title="Could not load the webhooks" />
        </CardContent>
      ) : (list.data?.items ?? []).length === 0 ? (
        <EmptyState title="No webhooks yet" />
      ) : (
        <Table>
          <caption className="sr-only">Webhooks</caption>
          <THead>
            <tr>
              <TH>URL</TH>
              <TH>Events</TH>
              <TH>Status</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {list.data!.items!.map((s) => {
              const badge = subscriptionBadge(s);
              return (
                <TR key={s.id} aria-selected={selected === s.id}>
                  <TD>
                    <p className="max-w-80 truncate font-mono text-xs" title={s.url}>
                      {s.url}
                    </p>
                    {s.description ? <p className="text-xs text-muted-foreground">{s.description}</p> : null}
                  </TD>
                  <TD>
                    <div className="flex max-w-72 flex-wrap gap-1">
                      {(s.eventTypes ?? []).map((t) => (
                        <Badge key={t} className="font-mono">
                          {t}
                        </Badge>
                      ))}
                    </div>
                  </TD>
                  <TD>
                    <Badge tone={badge.tone} title={s.disabledReason ?? undefined}>
                      {badge.label}
                    </Badge>
                  </TD>
                  <TD className="text-right whitespace-nowrap">
                    <Button variant="ghost" size="sm" onClick={() => onSelect(s.id!)}>
                      Deliveries
                    </Button>
                    <Button variant="ghost" size="sm" onClick={() => test.mutate(s)} loading={test.isPending && test.variables?.id === s.id}>
                      Send test
                    </Button>
                    <Button variant="ghost" size="sm" onClick={() => switchOn.mutate({ s, enabled: !s.enabled })}>
                      {s.enabled ? "Disable" : "Enable"}
                    </Button>
                    <Button variant="ghost" size="sm" onClick={() => rotate.mutate(s)}>
                      Rotate secret
                    </Button>
                    <Button variant="ghost" size="sm" onClick={() => setDeleting(s)} aria-label={`Delete the webhook to ${s.url}`}>
                      Delete
                    </Button>
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      <Dialog open={!!secret} onOpenChange={(o) => !o && setSecret(null)}>
        <DialogContent>
          <DialogTitle>New signing secret</DialogTitle>
          <DialogDescription>
            Shown only once. The previous secret keeps signing until {formatDateTime(secret?.previousSecretExpiresAt)}: messages carry both signatures
            until then.
          </DialogDescription>
          <div className="mt-4">{secret?.secret ? <SecretReveal label="Signing secret" value={secret.secret} /> : null}</div>
          <DialogFooter>
            <Button onClick={() => setSecret(null)}>Done</Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
      <ConfirmDialog
        open={!!deleting}
        onOpenChange={(o) => !o && setDeleting(null)}
        title="Delete this webhook?"
        description="Nothing more is sent to it; its queued messages and delivery log are removed."
        confirmLabel="Delete webhook"
        destructive
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      >
        {remove.isError ? <ProblemAlert error={remove.error} /> : null}
      </ConfirmDialog>
    </Card>
  );
}

function Deliveries({ id, onClose }: { id: string; onClose: () => void }) {
  const client = useQueryClient();
  const deliveries = useQuery({
    queryKey: ["webhook-deliveries", id],
    queryFn: () => call(api.GET("/api/webhooks/{id}/deliveries", { params: { path: { id }, query: { limit: 50 } } })),
    refetchInterval: 5000,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ["webhook-deliveries", id] });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      call(api.POST("/api/webhooks/{id}/deliveries/{deliveryId}/redeliver", { params: { path: { id, deliveryId } } })),
    onSuccess: refresh,
  });
  const redeliverFailed = useMutation({
    mutationFn: () => call(api.POST("/api/webhooks/{id}/redeliver-failed", { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const items = deliveries.data?.items ?? [];
  return (
    <Card>
      <CardHeader className="flex flex-row items-center justify-between gap-2">
        <CardTitle>Deliveries</CardTitle>
        <div className="flex gap-2">
          <Button variant="outline" size="sm" onClick={() => redeliverFailed.mutate()} loading={redeliverFailed.isPending}>
            Redeliver all failed
          </Button>
          <Button variant="ghost" size="sm" onClick={onClose}>
            Close
          </Button>
        </div>
      </CardHeader>
      {redeliver.isError || redeliverFailed.isError ? (
        <CardContent>
          <ProblemAlert error={redeliver.error ?? redeliverFailed.error} />
        </CardContent>
      ) : null}
      {deliveries.isPending ? (
        <TableSkeleton rows={3} />
      ) : deliveries.isError ? (
        <CardContent>
          <ProblemAlert error={deliveries.error} title="Could not load the deliveries" />
        </CardContent>
      ) : items.length === 0 ? (
        <EmptyState title="Nothing sent yet" />
      ) : (
        <Table>
          <caption className="sr-only">Deliveries</caption>
          <THead>
            <tr>
              <TH>Event</TH>
              <TH>Status</TH>
              <TH>Attempts</TH>
              <TH>Last answer</TH>
              <TH>Next attempt</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {items.map((d) => {
              const badge = deliveryBadge(d.status);
              return (
                <TR key={d.id}>
                  <TD>
                    <p className="font-mono text-xs">{d.eventType}</p>
                    <p className="font-mono text-xs text-muted-foreground" title={formatDateTime(d.createdAt)}>
                      {d.id} · {formatRelative(d.createdAt)}
                    </p>
                  </TD>
                  <TD>
                    <Badge tone={badge.tone}>{badge.label}</Badge>
                  </TD>
                  <TD>{d.attempts}</TD>
                  <TD className="max-w-64 truncate text-xs" title={d.attemptLog?.at(-1)?.responseBody ?? undefined}>
                    {lastAttemptSummary(d.attemptLog)}
                  </TD>
                  <TD title={formatDateTime(d.nextAttemptAt)}>{d.nextAttemptAt ? formatRelative(d.nextAttemptAt) : "—"}</TD>
                  <TD className="text-right">
                    {d.status !== "SENDING" ? (
                      <Button variant="ghost" size="sm" onClick={() => redeliver.mutate(d.id!)}>
                        Redeliver
                      </Button>
                    ) : null}
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
