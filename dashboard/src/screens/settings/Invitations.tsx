"use client";
import * as React from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call, ROLES, type Invitation, type IssuedInvitation, type Role } from "@/api/client";
import { ApiError } from "@/api/problem";
import { roleLabel } from "@/components/AppShell";
import { SecretReveal } from "@/components/SecretReveal";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog, Dialog, DialogContent, DialogDescription, DialogFooter, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, NativeSelect } from "@/components/ui/input";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/lib/utils";
import { SettingsFrame } from "./SettingsFrame";
import { ROLE_DESCRIPTIONS } from "./Users";

export function invitationLink(token: string, origin = window.location.origin): string {
  return `${origin}/accept-invitation/?token=${encodeURIComponent(token)}`;
}

export function Invitations() {
  return (
    <SettingsFrame>
      <div className="space-y-6">
        <InviteForm />
        <PendingInvitations />
      </div>
    </SettingsFrame>
  );
}

function InviteForm() {
  const [email, setEmail] = React.useState("");
  const [role, setRole] = React.useState<Role>("MARKETER");
  const [issued, setIssued] = React.useState<IssuedInvitation | null>(null);
  const client = useQueryClient();
  const invite = useMutation({
    mutationFn: () => call(api.POST("/api/users/invitations", { body: { email: email.trim() || undefined, role } })),
    onSuccess: (inv) => {
      setIssued(inv);
      setEmail("");
      void client.invalidateQueries({ queryKey: ["invitations"] });
    },
  });
  const fieldErrors = invite.error instanceof ApiError ? invite.error.fieldErrors : {};
  return (
    <Card>
      <CardHeader>
        <CardTitle>Invite someone</CardTitle>
        <p className="text-sm text-muted-foreground">An invitation is a link that lets one person create an account, valid for 7 days.</p>
      </CardHeader>
      <CardContent>
        <form
          className="grid items-start gap-4 sm:grid-cols-[1fr_14rem_auto]"
          onSubmit={(e) => {
            e.preventDefault();
            invite.mutate();
          }}
        >
          <Field label="E-mail" optional hint="When given, only this address can use the link." error={fieldErrors.email}>
            <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
          </Field>
          <Field label="Role" hint={ROLE_DESCRIPTIONS[role]}>
            <NativeSelect value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Button type="submit" className="sm:mt-6" loading={invite.isPending}>
            Create invitation
          </Button>
        </form>
        {invite.isError ? <ProblemAlert error={invite.error} className="mt-4" title="Could not create the invitation" /> : null}
      </CardContent>
      <Dialog open={!!issued} onOpenChange={(o) => !o && setIssued(null)}>
        <DialogContent>
          <DialogTitle>Invitation created</DialogTitle>
          <DialogDescription>
            Send this link to {issued?.email || "the person you invite"}. It is shown only now; Herald keeps no readable copy.
          </DialogDescription>
          <div className="mt-4 space-y-3">
            {issued?.token ? <SecretReveal label="Invitation link" value={invitationLink(issued.token)} /> : null}
            <Alert tone="info">
              Role: {issued?.role ? roleLabel(issued.role) : "—"} · valid until {formatDateTime(issued?.expiresAt)}
            </Alert>
          </div>
          <DialogFooter>
            <Button onClick={() => setIssued(null)}>Done</Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </Card>
  );
}

function PendingInvitations() {
  const invitations = useQuery({ queryKey: ["invitations"], queryFn: () => call(api.GET("/api/users/invitations")) });
  const [withdrawing, setWithdrawing] = React.useState<Invitation | null>(null);
  const client = useQueryClient();
  const withdraw = useMutation({
    mutationFn: (inv: Invitation) => call(api.DELETE("/api/users/invitations/{id}", { params: { path: { id: inv.id! } } })),
    onSuccess: () => {
      setWithdrawing(null);
      void client.invalidateQueries({ queryKey: ["invitations"] });
    },
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Pending invitations</CardTitle>
      </CardHeader>
      {invitations.isPending ? (
        <TableSkeleton rows={2} />
      ) : invitations.isError ? (
        <CardContent>
          <ProblemAlert error={invitations.error} title="Could not load the invitations" />
        </CardContent>
      ) : (invitations.data ?? []).length === 0 ? (
        <EmptyState title="No pending invitations" />
      ) : (
        <Table>
          <caption className="sr-only">Pending invitations</caption>
          <THead>
            <tr>
              <TH>For</TH>
              <TH>Role</TH>
              <TH>Created</TH>
              <TH>Expires</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {invitations.data!.map((inv) => (
              <TR key={inv.id}>
                <TD>{inv.email || <span className="text-muted-foreground">anyone with the link</span>}</TD>
                <TD>
                  <Badge>{inv.role ? roleLabel(inv.role) : "—"}</Badge>
                </TD>
                <TD title={formatDateTime(inv.createdAt)}>{formatRelative(inv.createdAt)}</TD>
                <TD title={formatDateTime(inv.expiresAt)}>{formatRelative(inv.expiresAt)}</TD>
                <TD className="text-right">
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() => {
                      withdraw.reset();
                      setWithdrawing(inv);
                    }}
                    aria-label={`Withdraw the invitation ${inv.email ? `for ${inv.email}` : "without e-mail"}`}
                  >
                    Withdraw
                  </Button>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <ConfirmDialog
        open={!!withdrawing}
        onOpenChange={(o) => !o && setWithdrawing(null)}
        title="Withdraw this invitation?"
        description="Its link stops working at once."
        confirmLabel="Withdraw"
        destructive
        busy={withdraw.isPending}
        onConfirm={() => withdrawing && withdraw.mutate(withdrawing)}
      >
        {withdraw.isError ? <ProblemAlert error={withdraw.error} /> : null}
      </ConfirmDialog>
    </Card>
  );
}
