"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { PageHeader } from "@/components/AppShell";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { RadioCard, RadioGroup } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input, NativeSelect } from "@/components/ui/input";
import { Loading } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { usePermissions } from "@/auth/hooks";
import { downloadRejections, useImportProgress, useStartImport } from "@/features/contacts/api";
import { StreamState } from "@/features/delivery/CampaignProgress";
import {
  apiMapping,
  attributeKey,
  countRows,
  guessMapping,
  mappingProblems,
  parseHeader,
  parseRecords,
  type AttributeType,
  type ColumnMapping,
  type Target,
} from "@/features/contacts/csv";
import { formatDateTime } from "@/lib/utils";

const TARGETS: { value: Target; label: string }[] = [
  { value: "attribute", label: "Attribute" },
  { value: "email", label: "E-mail" },
  { value: "externalId", label: "External id" },
  { value: "phone", label: "Phone" },
  { value: "timeZone", label: "Time zone" },
  { value: "locale", label: "Locale" },
  { value: "skip", label: "Do not import" },
];

export function importHref(id: string, rows?: number) {
  return `/contacts/imports/view/?id=${encodeURIComponent(id)}${rows != null ? `&rows=${rows}` : ""}`;
}

interface Loaded {
  file: File;
  columns: string[];
  examples: string[][];
  rows?: number;
}

export function ContactImport() {
  const router = useRouter();
  const { canWriteCampaigns: canWrite, known } = usePermissions();
  const [loaded, setLoaded] = React.useState<Loaded | null>(null);
  const [readError, setReadError] = React.useState<string | null>(null);
  const [mapping, setMapping] = React.useState<ColumnMapping[]>([]);
  const [mode, setMode] = React.useState<"UPSERT" | "CREATE_ONLY">("UPSERT");
  const [attempted, setAttempted] = React.useState(false);
  const start = useStartImport();

  async function choose(file: File | undefined) {
    setLoaded(null);
    setReadError(null);
    setAttempted(false);
    start.reset();
    if (!file) return;
    try {
      const head = await file.slice(0, 64 * 1024).text();
      const { columns, delimiter } = parseHeader(head);
      if (columns.length === 0 || (columns.length === 1 && !columns[0])) throw new Error("The file has no header row.");
      const examples = parseRecords(head, delimiter, 4).slice(1);
      // counting rows reads the whole file: only for files of a reasonable size
      const rows = file.size <= 50 * 1024 * 1024 ? countRows(await file.text()) : undefined;
      setLoaded({ file, columns, examples, rows });
      setMapping(guessMapping(columns));
    } catch (e) {
      setReadError(e instanceof Error ? e.message : String(e));
    }
  }

  const problems = mappingProblems(mapping);
  const valid = Object.keys(problems).length === 0;

  if (known && !canWrite) return <Alert tone="info">Your role can look at contacts but not import them.</Alert>;

  return (
    <>
      <PageHeader
        title="Import contacts"
        breadcrumb={
          <Link href="/contacts/" className="hover:underline">
            Contacts
          </Link>
        }
        description="From a CSV file with a header row. Contacts are matched by external id, then e-mail."
      />
      <form
        className="space-y-6"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setAttempted(true);
          if (!loaded || !valid) return;
          start.mutate(
            { file: loaded.file, mapping: apiMapping(mapping), mode },
            { onSuccess: (view) => view?.id && router.push(importHref(view.id, loaded.rows)) },
          );
        }}
      >
        <Card>
          <CardHeader>
            <CardTitle>1. The file</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3">
            <Field label="CSV file" hint="Up to 16 MiB per upload; UTF-8, comma, semicolon or tab separated." error={readError ?? (attempted && !loaded ? "Choose a file." : undefined)}>
              <Input type="file" accept=".csv,text/csv,text/plain" className="h-auto py-1.5" onChange={(e) => void choose(e.target.files?.[0])} />
            </Field>
            {loaded ? (
              <p className="text-sm text-muted-foreground" role="status">
                {loaded.file.name}: {loaded.columns.length} columns{loaded.rows != null ? `, ${loaded.rows.toLocaleString()} rows` : ""}.
              </p>
            ) : null}
          </CardContent>
        </Card>

        {loaded ? (
          <Card>
            <CardHeader>
              <CardTitle>2. What each column holds</CardTitle>
            </CardHeader>
            <CardContent className="space-y-3">
              {problems._ ? <Alert tone={attempted ? "error" : "info"}>{problems._}</Alert> : null}
              <Table>
                <caption className="sr-only">Column mapping</caption>
                <THead>
                  <tr>
                    <TH>Column</TH>
                    <TH>Example</TH>
                    <TH>Import as</TH>
                    <TH>Attribute name</TH>
                    <TH>Type</TH>
                  </tr>
                </THead>
                <TBody>
                  {mapping.map((m, i) => {
                    const set = (change: Partial<ColumnMapping>) => setMapping((all) => all.map((x, j) => (j === i ? { ...x, ...change } : x)));
                    const problem = problems[m.column];
                    return (
                      <TR key={`${m.column}-${i}`}>
                        <TD className="font-mono text-xs">{m.column}</TD>
                        <TD className="max-w-40 truncate text-xs text-muted-foreground">{loaded.examples.map((r) => r[i]).filter(Boolean)[0] ?? ""}</TD>
                        <TD>
                          <NativeSelect aria-label={`Import column ${m.column} as`} className="h-8 w-40" value={m.target} onChange={(e) => set({ target: e.target.value as Target })}>
                            {TARGETS.map((t) => (
                              <option key={t.value} value={t.value}>
                                {t.label}
                              </option>
                            ))}
                          </NativeSelect>
                          {problem ? <p className="mt-1 text-xs font-medium text-destructive">{problem}</p> : null}
                        </TD>
                        <TD>
                          {m.target === "attribute" ? (
                            <Input
                              aria-label={`Attribute name for column ${m.column}`}
                              className="h-8 w-40 font-mono text-xs"
                              value={m.name}
                              aria-invalid={problem ? true : undefined}
                              onChange={(e) => set({ name: e.target.value })}
                              onBlur={(e) => !e.target.value.trim() && set({ name: attributeKey(m.column) })}
                            />
                          ) : null}
                        </TD>
                        <TD>
                          {m.target === "attribute" ? (
                            <NativeSelect aria-label={`Type of column ${m.column}`} className="h-8 w-32" value={m.type} onChange={(e) => set({ type: e.target.value as AttributeType })}>
                              <option value="STRING">text</option>
                              <option value="NUMBER">number</option>
                              <option value="BOOLEAN">yes/no</option>
                              <option value="DATE">date</option>
                            </NativeSelect>
                          ) : null}
                        </TD>
                      </TR>
                    );
                  })}
                </TBody>
              </Table>
            </CardContent>
          </Card>
        ) : null}

        {loaded ? (
          <Card>
            <CardHeader>
              <CardTitle>3. Existing contacts</CardTitle>
            </CardHeader>
            <CardContent>
              <RadioGroup value={mode} onValueChange={(v) => setMode(v as typeof mode)} aria-label="Existing contacts" className="sm:grid-cols-2">
                <RadioCard value="UPSERT" label="Create new and update existing" description="A row that matches a contact updates it." />
                <RadioCard value="CREATE_ONLY" label="Only create new contacts" description="A row that matches a contact is rejected." />
              </RadioGroup>
            </CardContent>
          </Card>
        ) : null}

        {start.isError ? <ProblemAlert error={start.error} title="The import did not start" /> : null}
        <div className="flex gap-2">
          <Button type="submit" loading={start.isPending} disabled={!loaded}>
            Start import
          </Button>
          <Button variant="ghost" asChild>
            <Link href="/contacts/">Cancel</Link>
          </Button>
        </div>
      </form>
    </>
  );
}

export function ImportStatus() {
  const params = useSearchParams();
  const id = params.get("id");
  const total = params.get("rows") ? Number(params.get("rows")) : undefined;
  const { query: job, stream } = useImportProgress(id);
  const client = useQueryClient();
  const progress = `${job.data?.state}:${job.data?.rowsRead}`;
  // what the import changed shows everywhere: contact lists and segment counts are read again
  React.useEffect(() => {
    void client.invalidateQueries({ queryKey: ["contacts"] });
    void client.invalidateQueries({ queryKey: ["segments", "preview"] });
  }, [client, progress]);
  const [downloading, setDownloading] = React.useState(false);
  const [downloadError, setDownloadError] = React.useState<unknown>(null);
  if (!id) return <Alert tone="error">No import was named in the address.</Alert>;
  if (job.isPending) return <Loading label="Loading the import…" />;
  if (job.isError) return <ProblemAlert error={job.error} title="Could not load the import" />;
  const j = job.data;
  const read = j.rowsRead ?? 0;
  const done = j.state !== "RUNNING";
  const percent = done ? 100 : total ? Math.min(99, Math.floor((read / Math.max(total, 1)) * 100)) : undefined;
  const tone = j.state === "FAILED" ? "red" : j.state === "COMPLETED" ? "green" : "blue";
  return (
    <>
      <PageHeader
        title={`Import of ${j.fileName ?? "a file"}`}
        breadcrumb={
          <Link href="/contacts/" className="hover:underline">
            Contacts
          </Link>
        }
        description={`Started ${formatDateTime(j.startedAt)} · ${j.mode === "CREATE_ONLY" ? "only new contacts" : "create and update"}`}
      />
      <Card className="mb-6">
        <CardContent className="space-y-4 pt-5">
          <div className="flex flex-wrap items-center gap-3">
            <Badge tone={tone}>{(j.state ?? "").toLowerCase()}</Badge>
            <span className="text-sm text-muted-foreground">as of {formatDateTime(j.updatedAt)}</span>
            <span className="ml-auto">
              <StreamState status={stream.status} done={done} />
            </span>
          </div>
          {!done && stream.status === "failed" && stream.error ? <ProblemAlert error={stream.error} title="Live updates stopped" /> : null}
          <div>
            <div className="mb-1 flex justify-between text-sm">
              <span id="import-progress-label">Progress</span>
              <span className="tabular-nums">
                {read.toLocaleString()}
                {total != null ? ` of ${total.toLocaleString()}` : ""} rows{percent != null ? ` · ${percent} %` : ""}
              </span>
            </div>
            <div
              role="progressbar"
              aria-labelledby="import-progress-label"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              aria-valuetext={percent != null ? `${percent} %` : `${read} rows read`}
              className="h-3 overflow-hidden rounded-full bg-muted"
            >
              <div
                className={`h-full rounded-full transition-all ${j.state === "FAILED" ? "bg-destructive" : "bg-primary"} ${percent == null ? "w-1/3 animate-pulse" : ""}`}
                style={percent != null ? { width: `${percent}%` } : undefined}
              />
            </div>
          </div>
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
            {[
              ["Read", j.rowsRead],
              ["Created", j.created],
              ["Updated", j.updated],
              ["Rejected", j.rejected],
            ].map(([label, n]) => (
              <div key={label as string} className="rounded-md border p-3">
                <dt className="text-xs text-muted-foreground">{label}</dt>
                <dd className="text-2xl font-semibold tabular-nums">{Number(n ?? 0).toLocaleString()}</dd>
              </div>
            ))}
          </dl>
          {j.failureReason ? <Alert tone="error" title="The import failed">{j.failureReason}</Alert> : null}
        </CardContent>
      </Card>
      {(j.rejected ?? 0) > 0 ? (
        <Card>
          <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
            <CardTitle>Rejected rows</CardTitle>
            <Button
              variant="outline"
              size="sm"
              loading={downloading}
              onClick={async () => {
                setDownloading(true);
                setDownloadError(null);
                try {
                  await downloadRejections(j.id!, `${(j.fileName ?? "import").replace(/\.csv$/i, "")}-rejected.csv`);
                } catch (e) {
                  setDownloadError(e);
                } finally {
                  setDownloading(false);
                }
              }}
            >
              Download rejected rows (CSV)
            </Button>
          </CardHeader>
          <CardContent>
            {downloadError ? <ProblemAlert error={downloadError} className="mb-3" /> : null}
            <Table>
              <caption className="sr-only">Rejected rows</caption>
              <THead>
                <tr>
                  <TH>Row</TH>
                  <TH>Why</TH>
                </tr>
              </THead>
              <TBody>
                {(j.rejectedRows ?? []).map((r) => (
                  <TR key={r.rowNumber}>
                    <TD className="tabular-nums">{r.rowNumber}</TD>
                    <TD>
                      {r.reason} <span className="font-mono text-xs text-muted-foreground">{r.code}</span>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            {(j.rejectedRows?.length ?? 0) < (j.rejected ?? 0) ? (
              <p className="mt-2 text-xs text-muted-foreground">The first {j.rejectedRows?.length} are shown; the download has all of them.</p>
            ) : null}
          </CardContent>
        </Card>
      ) : null}
      <p className="mt-6">
        <Link href="/contacts/" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
          Go to the contacts
        </Link>
      </p>
    </>
  );
}
