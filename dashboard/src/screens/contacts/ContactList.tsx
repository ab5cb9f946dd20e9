"use client";
import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/AppShell";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { ProblemAlert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { EmptyState, TableSkeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { usePermissions } from "@/auth/hooks";
import { useContacts, type ContactSearch } from "@/features/contacts/api";
import { formatDateTime, formatRelative } from "@/lib/utils";

export function contactHref(id: string) {
  return `/contacts/view/?id=${encodeURIComponent(id)}`;
}

const PAGE_SIZE = 25;

export function ContactList() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const { canWriteCampaigns: canWrite } = usePermissions();
  const search: ContactSearch = {
    email: params.get("email") ?? "",
    externalId: params.get("externalId") ?? "",
    attribute: params.get("attribute") ?? "",
    value: params.get("value") ?? "",
  };
  const page = Math.max(0, Number.parseInt(params.get("page") ?? "0", 10) || 0);
  const [form, setForm] = React.useState(search);
  const contacts = useContacts(search, page, PAGE_SIZE);
  const filtered = Object.values(search).some(Boolean);

  function go(next: ContactSearch, nextPage = 0) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v?.trim()) q.set(k, v.trim());
    if (nextPage) q.set("page", String(nextPage));
    router.replace(`${pathname}${q.size ? `?${q}` : ""}`, { scroll: false });
  }

  const items = contacts.data?.items ?? [];
  const totalPages = contacts.data?.totalPages ?? 0;
  return (
    <>
      <PageHeader
        title="Contacts"
        description="Everyone Herald can send to, with their attributes and consent."
        actions={
          canWrite ? (
            <Button asChild>
              <Link href="/contacts/import/">Import CSV</Link>
            </Button>
          ) : null
        }
      />
      <Card className="mb-4">
        <CardContent className="pt-5">
          <form
            role="search"
            aria-label="Search contacts"
            className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_10rem_10rem_auto]"
            onSubmit={(e) => {
              e.preventDefault();
              go(form);
            }}
          >
            <Field label="E-mail">
              <Input type="search" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} autoComplete="off" />
            </Field>
            <Field label="External id">
              <Input type="search" value={form.externalId} onChange={(e) => setForm({ ...form, externalId: e.target.value })} autoComplete="off" />
            </Field>
            <Field label="Attribute">
              <Input value={form.attribute} onChange={(e) => setForm({ ...form, attribute: e.target.value })} placeholder="plan" className="font-mono text-xs" autoComplete="off" />
            </Field>
            <Field label="Attribute value">
              <Input value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} placeholder="pro" disabled={!form.attribute} autoComplete="off" />
            </Field>
            <div className="flex gap-2">
              <Button type="submit">Search</Button>
              {filtered ? (
                <Button
                  variant="ghost"
                  onClick={() => {
                    const empty = { email: "", externalId: "", attribute: "", value: "" };
                    setForm(empty);
                    go(empty);
                  }}
                >
                  Clear
                </Button>
              ) : null}
            </div>
          </form>
        </CardContent>
      </Card>
      <Card>
        {contacts.isPending ? (
          <TableSkeleton />
        ) : contacts.isError ? (
          <div className="p-4">
            <ProblemAlert error={contacts.error} title="Could not load the contacts" />
          </div>
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState title="No contact matches this search" />
          ) : (
            <EmptyState
              title="No contacts yet"
              action={
                canWrite ? (
                  <Button asChild>
                    <Link href="/contacts/import/">Import a CSV file</Link>
                  </Button>
                ) : null
              }
            >
              Import them from a CSV file, or send them from your systems through the tracking API.
            </EmptyState>
          )
        ) : (
          <Table aria-busy={contacts.isFetching || undefined}>
            <caption className="sr-only">Contacts</caption>
            <THead>
              <tr>
                <TH>Contact</TH>
                <TH>External id</TH>
                <TH>Phone</TH>
                <TH>Attributes</TH>
                <TH>Last change</TH>
              </tr>
            </THead>
            <TBody>
              {items.map((c) => (
                <TR key={c.id}>
                  <TD>
                    <Link href={contactHref(c.id!)} className="font-medium text-primary underline-offset-4 hover:underline">
                      {c.email || c.externalId || c.phone || c.id}
                    </Link>
                  </TD>
                  <TD className="font-mono text-xs">{c.externalId ?? "—"}</TD>
                  <TD>{c.phone ?? "—"}</TD>
                  <TD className="max-w-72 truncate text-xs text-muted-foreground">
                    {Object.entries(c.attributes ?? {})
                      .slice(0, 4)
                      .map(([k, v]) => `${k}: ${String(v)}`)
                      .join(" · ")}
                  </TD>
                  <TD className="whitespace-nowrap" title={formatDateTime(c.updatedAt)}>
                    {formatRelative(c.updatedAt)}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        {totalPages > 1 ? (
          <nav aria-label="Pages" className="flex items-center justify-between border-t px-4 py-3 text-sm">
            <span className="text-muted-foreground">
              Page {page + 1} of {totalPages} · {contacts.data?.totalItems?.toLocaleString()} contacts
            </span>
            <div className="flex gap-2">
              <Button variant="outline" size="sm" disabled={page === 0} onClick={() => go(search, page - 1)}>
                Previous
              </Button>
              <Button variant="outline" size="sm" disabled={page + 1 >= totalPages} onClick={() => go(search, page + 1)}>
                Next
              </Button>
            </div>
          </nav>
        ) : contacts.data ? (
          <p className="border-t px-4 py-3 text-sm text-muted-foreground">{contacts.data.totalItems?.toLocaleString()} contacts</p>
        ) : null}
      </Card>
    </>
  );
}
