"use client";
import * as React from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call, type ApiKey, type CreatedApiKey } from "@/api/client";
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
import { SettingsFrame } from "./SettingsFrame";

/** The scopes Herald knows (README "API keys"). */
export const SCOPES: { scope: string; description: string }[] = [
  { scope: "read", description: "Read campaigns and their history." },
  { scope: "events:write", description: "Send tracking events." },
  { scope: "contacts:write", description: "Create, change and import contacts." },
  { scope: "campaigns:write", description: "Create, edit, schedule, pause, resume and cancel campaigns." },
  { scope: "campaigns:launch", description: "Launch campaigns." },
  { scope: "flows:write", description: "Create, edit, publish, activate, pause, resume, archive and stop flows." },
  { scope: "flows:enter", description: "Enter contacts into active flows (POST /api/flows/{id}/entries)." },
  { scope: "webhooks:write", description: "Manage webhook subscriptions and read their deliveries (the n8n Trigger node)." },
];

export function ApiKeys() {
  return (
    <SettingsFrame>
      <div className="space-y-6">
        <CreateKey />
        <KeyTable />
      </div>
    </SettingsFrame>
  );
}

function CreateKey() {
  const [label, setLabel] = React.useState("");
  const [scopes, setScopes] = React.useState<Set<string>>(new Set(["read"]));
  const [expires, setExpires] = React.useState("");
  const [created, setCreated] = React.useState<CreatedApiKey | null>(null);
  const [touched, setTouched] = React.useState(false);
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/api-keys", {
          body: {
            label: label.trim(),
            scopes: [...scopes],
            expiresAt: expires ? new Date(expires).toISOString() : undefined,
          },
        }),
      ),
    onSuccess: (key) => {
      setCreated(key);
      setLabel("");
      setExpires("");
      setTouched(false);
      void client.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });
  const server = create.error instanceof ApiError ? create.error.fieldErrors : {};
  const labelError = touched && !label.trim() ? "Name the key after what uses it." : server.label;
  const scopeError = touched && scopes.size === 0 ? "Choose at least one scope." : server.scopes;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Create an API key</CardTitle>
        <p className="text-sm text-muted-foreground">For machines such as n8n or your back end. Give each the fewest scopes it needs.</p>
      </CardHeader>
      <CardContent>
        <form
          noValidate
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (!label.trim() || scopes.size === 0) return;
            create.mutate();
          }}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Label" error={labelError}>
              <Input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} placeholder="n8n production" autoComplete="off" />
            </Field>
            <Field label="Expires" optional hint="In your time zone. Empty: never." error={server.expiresAt}>
              <Input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
            </Field>
          </div>
          <fieldset aria-describedby={scopeError ? "scope-error" : undefined}>
            <legend className="mb-2 text-sm font-medium">Scopes</legend>
            <div className="grid gap-3 sm:grid-cols-2">
              {SCOPES.map((s) => (
                <CheckboxField
                  key={s.scope}
                  label={<span className="font-mono text-xs">{s.scope}</span>}
                  description={s.description}
                  checked={scopes.has(s.scope)}
                  onCheckedChange={(on) =>
                    setScopes((set) => {
                      const next = new Set(set);
                      if (on) next.add(s.scope);
                      else next.delete(s.scope);
                      return next;
                    })
                  }
                />
              ))}
            </div>
            {scopeError ? (
              <p id="scope-error" className="mt-1.5 text-xs font-medium text-destructive">
                {scopeError}
              </p>
            ) : null}
          </fieldset>
          {create.isError ? <ProblemAlert error={create.error} title="Could not create the key" /> : null}
          <Button type="submit" loading={create.isPending}>
            Create key
          </Button>
        </form>
      </CardContent>
      <Dialog open={!!created} onOpenChange={(o) => !o && setCreated(null)}>
        <DialogContent>
          <DialogTitle>API key created</DialogTitle>
          <DialogDescription>Copy the key now: it is shown only once. Herald stores only its prefix and a hash.</DialogDescription>
          <div className="mt-4 space-y-3">
            {created?.key ? <SecretReveal label={`Key “${created.label}”`} value={created.key} /> : null}
            <Alert tone="info">
              Send it as <code className="font-mono">Authorization: Bearer …</code> or <code className="font-mono">X-API-Key: …</code>.
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

function keyState(k: ApiKey, now = Date.now()): { label: string; tone: "green" | "slate" | "red" } {
  if (k.revokedAt) return { label: "Revoked", tone: "red" };
  if (k.expiresAt && new Date(k.expiresAt).getTime() <= now) return { label: "Expired", tone: "slate" };
  return { label: "Active", tone: "green" };
}

function KeyTable() {
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => call(api.GET("/api/api-keys")) });
  const [revoking, setRevoking] = React.useState<ApiKey | null>(null);
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: (k: ApiKey) => call(api.DELETE("/api/api-keys/{id}", { params: { path: { id: k.id! } } })),
    onSuccess: () => {
      setRevoking(null);
      void client.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Keys</CardTitle>
      </CardHeader>
      {keys.isPending ? (
        <TableSkeleton rows={2} />
      ) : keys.isError ? (
        <CardContent>
          <ProblemAlert error={keys.error} title="Could not load the keys" />
        </CardContent>
      ) : (keys.data ?? []).length === 0 ? (
        <EmptyState title="No API keys yet" />
      ) : (
        <Table>
          <caption className="sr-only">API keys</caption>
          <THead>
            <tr>
              <TH>Key</TH>
              <TH>Scopes</TH>
              <TH>Status</TH>
              <TH>Last used</TH>
              <TH>Expires</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {keys.data!.map((k) => {
              const state = keyState(k);
              return (
                <TR key={k.id}>
                  <TD>
                    <p className="font-medium">{k.label}</p>
                    <p className="font-mono text-xs text-muted-foreground">{k.prefix}…</p>
                  </TD>
                  <TD>
                    <div className="flex max-w-64 flex-wrap gap-1">
                      {(k.scopes ?? []).map((s) => (
                        <Badge key={s} className="font-mono">
                          {s}
                        </Badge>
                      ))}
                    </div>
                  </TD>
                  <TD>
                    <Badge tone={state.tone}>{state.label}</Badge>
                  </TD>
                  <TD title={formatDateTime(k.lastUsedAt)}>{k.lastUsedAt ? formatRelative(k.lastUsedAt) : "never"}</TD>
                  <TD title={formatDateTime(k.expiresAt)}>{k.expiresAt ? formatDateTime(k.expiresAt) : "never"}</TD>
                  <TD className="text-right">
                    {!k.revokedAt ? (
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => {
                          revoke.reset();
                          setRevoking(k);
                        }}
                        aria-label={`Revoke the key ${k.label}`}
                      >
                        Revoke
                      </Button>
                    ) : null}
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      <ConfirmDialog
        open={!!revoking}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={`Revoke “${revoking?.label}”?`}
        description="Requests with this key are refused from the very next one. This cannot be undone."
        confirmLabel="Revoke key"
        destructive
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        {revoke.isError ? <ProblemAlert error={revoke.error} /> : null}
      </ConfirmDialog>
    </Card>
  );
}
