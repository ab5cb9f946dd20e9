"use client";
import * as React from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call, ROLES, type Role, type User } from "@/api/client";
import { roleLabel } from "@/components/AppShell";
import { ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/checkbox";
import { ConfirmDialog, Dialog, DialogContent, DialogDescription, DialogFooter, DialogTitle } from "@/components/ui/dialog";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useSession } from "@/auth/hooks";
import { formatDateTime, formatRelative } from "@/lib/utils";
import { SettingsFrame } from "./SettingsFrame";

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  ADMIN: "Everything, including users, invitations and API keys.",
  MARKETER: "Creates, edits, schedules and launches campaigns.",
  ANALYST: "Reads campaigns and their history; changes nothing.",
};

export function Users() {
  return (
    <SettingsFrame>
      <UserTable />
    </SettingsFrame>
  );
}

function UserTable() {
  const users = useQuery({ queryKey: ["users"], queryFn: () => call(api.GET("/api/users")) });
  const session = useSession();
  const myId = session.status === "authenticated" ? session.user.id : undefined;
  const [editing, setEditing] = React.useState<User | null>(null);
  const [toggling, setToggling] = React.useState<User | null>(null);
  const client = useQueryClient();
  const toggle = useMutation({
    mutationFn: (u: User) =>
      u.active
        ? call(api.POST("/api/users/{id}/deactivate", { params: { path: { id: u.id! } } }))
        : call(api.POST("/api/users/{id}/activate", { params: { path: { id: u.id! } } })),
    onSuccess: () => {
      setToggling(null);
      void client.invalidateQueries({ queryKey: ["users"] });
    },
  });

  if (users.isPending) return <TableSkeleton />;
  if (users.isError) return <ProblemAlert error={users.error} title="Could not load the users" />;
  const list = users.data ?? [];
  return (
    <Card>
      {list.length === 0 ? (
        <EmptyState title="No users" />
      ) : (
        <Table>
          <caption className="sr-only">Users</caption>
          <THead>
            <tr>
              <TH>User</TH>
              <TH>Roles</TH>
              <TH>Status</TH>
              <TH>Last sign-in</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {list.map((u) => (
              <TR key={u.id}>
                <TD>
                  <p className="font-medium">
                    {u.displayName || u.email}
                    {u.id === myId ? <span className="ml-1 text-xs font-normal text-muted-foreground">(you)</span> : null}
                  </p>
                  {u.displayName ? <p className="text-xs text-muted-foreground">{u.email}</p> : null}
                </TD>
                <TD>
                  <div className="flex flex-wrap gap-1">
                    {(u.roles ?? []).map((r) => (
                      <Badge key={r} tone={r === "ADMIN" ? "violet" : r === "MARKETER" ? "blue" : "neutral"}>
                        {roleLabel(r)}
                      </Badge>
                    ))}
                  </div>
                </TD>
                <TD>{u.active ? <Badge tone="green">Active</Badge> : <Badge tone="slate">Deactivated</Badge>}</TD>
                <TD className="whitespace-nowrap" title={formatDateTime(u.lastLoginAt)}>
                  {u.lastLoginAt ? formatRelative(u.lastLoginAt) : "never"}
                </TD>
                <TD className="text-right whitespace-nowrap">
                  <Button variant="outline" size="sm" onClick={() => setEditing(u)} aria-label={`Change roles of ${u.email}`}>
                    Roles
                  </Button>{" "}
                  <Button
                    variant={u.active ? "ghost" : "outline"}
                    size="sm"
                    onClick={() => {
                      toggle.reset();
                      setToggling(u);
                    }}
                    aria-label={`${u.active ? "Deactivate" : "Activate"} ${u.email}`}
                  >
                    {u.active ? "Deactivate" : "Activate"}
                  </Button>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {editing ? <RolesDialog user={editing} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={!!toggling}
        onOpenChange={(o) => !o && setToggling(null)}
        title={toggling?.active ? `Deactivate ${toggling?.email}?` : `Activate ${toggling?.email}?`}
        description={
          toggling?.active
            ? "They are signed out at once and cannot sign in until activated again. Their history stays."
            : "They can sign in again with their password."
        }
        confirmLabel={toggling?.active ? "Deactivate" : "Activate"}
        destructive={toggling?.active}
        busy={toggle.isPending}
        onConfirm={() => toggling && toggle.mutate(toggling)}
      >
        {toggle.isError ? <ProblemAlert error={toggle.error} /> : null}
      </ConfirmDialog>
    </Card>
  );
}

function RolesDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const [roles, setRoles] = React.useState<Set<Role>>(new Set(user.roles ?? []));
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: () => call(api.PUT("/api/users/{id}/roles", { params: { path: { id: user.id! } }, body: { roles: [...roles] } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["users"] });
      void client.invalidateQueries({ queryKey: ["me"] });
      onClose();
    },
  });
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent>
        <DialogTitle>Roles of {user.displayName || user.email}</DialogTitle>
        <DialogDescription>The change applies to their very next request.</DialogDescription>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <fieldset className="mt-4 space-y-3">
            <legend className="sr-only">Roles</legend>
            {ROLES.map((r) => (
              <CheckboxField
                key={r}
                label={roleLabel(r)}
                description={ROLE_DESCRIPTIONS[r]}
                checked={roles.has(r)}
                onCheckedChange={(on) =>
                  setRoles((s) => {
                    const next = new Set(s);
                    if (on) next.add(r);
                    else next.delete(r);
                    return next;
                  })
                }
              />
            ))}
          </fieldset>
          {roles.size === 0 ? <p className="mt-3 text-xs text-destructive">Choose at least one role.</p> : null}
          {save.isError ? <ProblemAlert error={save.error} className="mt-4" /> : null}
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Back
            </Button>
            <Button type="submit" disabled={roles.size === 0} loading={save.isPending}>
              Save roles
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
