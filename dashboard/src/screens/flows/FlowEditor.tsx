"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/AppShell";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Loading } from "@/components/ui/states";
import { usePermissions } from "@/auth/hooks";
import { draftOf, useFlow, useSaveFlow, type FlowWithTag } from "@/features/flows/api";
import { formatDefinition, parseDefinition, STARTER_DEFINITION, type FlowDefinition } from "@/features/flows/definition";
import { FlowCanvas } from "@/features/flows/FlowCanvas";
import { problemField, problemNodeId } from "@/features/flows/problems";
import { useSegmentName } from "@/features/flows/segmentNames";
import { flowHref } from "@/lib/navigation";
import { useDebounced } from "@/lib/useDebounced";
import { uuid } from "@/lib/utils";

/** `/flows/new/` creates a flow; `/flows/edit/?id=…` replaces the draft of one. */
export function FlowEditor() {
  const id = useSearchParams().get("id");
  const flow = useFlow(id);
  const crumb = (
    <Link href="/flows/" className="hover:underline">
      Flows
    </Link>
  );
  if (!id) return <Editor crumb={crumb} />;
  if (flow.isPending) return <Loading label="Loading the flow…" />;
  if (flow.isError)
    return (
      <>
        <PageHeader title="Edit flow" breadcrumb={crumb} />
        <ProblemAlert error={flow.error} title="Could not load the flow" />
      </>
    );
  return <Editor crumb={crumb} existing={flow.data} />;
}

function Editor({ crumb, existing }: { crumb: React.ReactNode; existing?: FlowWithTag }) {
  const router = useRouter();
  const { canWriteCampaigns: canWrite, known } = usePermissions();
  const save = useSaveFlow();
  const segmentName = useSegmentName();
  const newId = React.useRef(uuid());
  // the ETag the editing started from: a draft changed elsewhere since is refused (412), not overwritten
  const [etag] = React.useState(existing?.etag);
  const [name, setName] = React.useState(existing?.flow.name ?? "");
  const [text, setText] = React.useState(() => formatDefinition(existing ? draftOf(existing.flow) : STARTER_DEFINITION));
  const [nameError, setNameError] = React.useState<string>();
  const textarea = React.useRef<HTMLTextAreaElement>(null);

  const settledText = useDebounced(text, 300);
  const parsed = React.useMemo(() => parseDefinition(settledText), [settledText]);
  // the preview keeps the last definition that parsed while the JSON is half typed
  const lastGood = React.useRef<FlowDefinition | undefined>(undefined);
  if (parsed.ok) lastGood.current = parsed.definition;
  const sent = React.useRef<FlowDefinition | undefined>(undefined);
  const problemNode = save.isError ? problemNodeId(save.error, sent.current) : undefined;
  const field = save.isError ? problemField(save.error) : undefined;

  function findNode(nodeId: string) {
    const el = textarea.current;
    if (!el) return;
    const at = el.value.search(new RegExp(`"id"\\s*:\\s*"${nodeId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`));
    if (at < 0) return;
    el.focus();
    el.setSelectionRange(at, at + `"id": "${nodeId}"`.length);
    // bring the selection into view: the line's share of the text's height
    const line = el.value.slice(0, at).split("\n").length;
    el.scrollTop = Math.max(0, (line - 3) * (el.scrollHeight / el.value.split("\n").length));
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const current = parseDefinition(text);
    setNameError(name.trim() ? undefined : "Give the flow a name.");
    if (!name.trim() || !current.ok) return;
    sent.current = current.definition;
    save.mutate(
      { existingId: existing?.flow.id, etag, newId: newId.current, name: name.trim(), definition: current.definition },
      { onSuccess: (answer) => router.push(flowHref(answer.flow.id!)) },
    );
  }

  const title = existing ? `Edit “${existing.flow.name}”` : "New flow";
  if (known && !canWrite) {
    return (
      <>
        <PageHeader title={title} breadcrumb={crumb} />
        <Alert tone="info">Your role can read flows but not change them.</Alert>
      </>
    );
  }
  const localError = parsed.ok ? undefined : parsed;

  return (
    <>
      <PageHeader
        breadcrumb={crumb}
        title={title}
        description="Write the definition as JSON (the format of Herald's API, see the README's “Flows” section); the graph follows as you type. A drag-and-drop canvas comes later."
      />
      <form onSubmit={submit} noValidate className="space-y-6">
        <Card>
          <CardContent className="pt-6">
            <Field label="Name" error={nameError}>
              <Input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
            </Field>
          </CardContent>
        </Card>
        <div className="grid gap-6 xl:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>Definition</CardTitle>
              <p className="text-sm text-muted-foreground">
                A <code className="font-mono">trigger</code>, an optional <code className="font-mono">entry</code> policy and{" "}
                <code className="font-mono">timeZone</code>, and the <code className="font-mono">nodes</code>; Herald checks the whole graph when you save.
              </p>
            </CardHeader>
            <CardContent className="space-y-3">
              <Field
                label="Definition (JSON)"
                error={localError ? `${localError.error}${localError.line ? ` (line ${localError.line}, column ${localError.column})` : ""}` : undefined}
              >
                <Textarea
                  ref={textarea}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  spellCheck={false}
                  rows={28}
                  className="min-h-[560px] font-mono text-xs leading-5"
                />
              </Field>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Preview</CardTitle>
              <p className="text-sm text-muted-foreground">
                {localError ? "The JSON does not parse: the preview shows the last version that did." : "The graph as Herald will draw it."}
              </p>
            </CardHeader>
            <CardContent>
              <FlowCanvas definition={lastGood.current} highlight={problemNode} segmentName={segmentName} label="Preview of the flow" />
            </CardContent>
          </Card>
        </div>
        {save.isError ? (
          <div className="space-y-2">
            <ProblemAlert error={save.error} title={existing ? "The draft was not saved" : "The flow was not created"} />
            {problemNode ? (
              <p className="text-sm">
                Herald names the node <code className="font-mono">{problemNode}</code>
                {field ? (
                  <>
                    {" "}
                    (<code className="font-mono">{field}</code>)
                  </>
                ) : null}
                , marked in red in the preview.{" "}
                <Button type="button" variant="link" size="sm" className="h-auto p-0" onClick={() => findNode(problemNode)}>
                  Find it in the JSON
                </Button>
              </p>
            ) : null}
          </div>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="outline" asChild>
            <Link href={existing ? flowHref(existing.flow.id!) : "/flows/"}>Cancel</Link>
          </Button>
          <Button type="submit" loading={save.isPending}>
            {existing ? "Save draft" : "Create flow"}
          </Button>
        </div>
      </form>
    </>
  );
}
