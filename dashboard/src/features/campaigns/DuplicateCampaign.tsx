"use client";
import * as React from "react";
import type { CampaignView } from "@/api/client";
import { ProblemAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LIMITS } from "./draft";

/** The name the API gives a copy when none is asked for (the source's name with " (copy)", cut to 200 characters). */
export function defaultCopyName(name: string): string {
  const suffix = " (copy)";
  return name.length + suffix.length > LIMITS.name ? name.slice(0, LIMITS.name - suffix.length) + suffix : name + suffix;
}

/**
 * "Duplicate": asks for the copy's name (blank keeps the default), makes the copy, then hands it to `onDuplicated`
 * (the campaign page opens the copy's editor). The copy is a new draft, never a template.
 */
export function DuplicateCampaign({
  campaign,
  duplicate,
  onDuplicated,
}: {
  campaign: CampaignView;
  /** POST /api/campaigns/{id}/duplicate; resolves with the copy */
  duplicate: (name: string | undefined) => Promise<CampaignView>;
  onDuplicated: (copy: CampaignView) => void;
}) {
  const [open, setOpen] = React.useState(false);
  const [name, setName] = React.useState("");
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const tooLong = name.trim().length > LIMITS.name;

  async function run() {
    if (busy || tooLong) return;
    setBusy(true);
    setError(null);
    try {
      const copy = await duplicate(name.trim() || undefined);
      setOpen(false);
      setName("");
      onDuplicated(copy);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button variant="outline" onClick={() => setOpen(true)}>
        Duplicate
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          if (busy) return;
          setOpen(o);
          if (!o) setError(null);
        }}
        title="Duplicate this campaign?"
        description={
          campaign.template
            ? "The copy is a new draft with the same channel, content, segment and throttle. It is not a template: edit it and launch it."
            : "The copy is a new draft with the same channel, content, segment and throttle. Its editor opens next."
        }
        confirmLabel="Duplicate"
        busy={busy}
        onConfirm={() => void run()}
      >
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <Field label="Name of the copy" optional error={tooLong ? `At most ${LIMITS.name} characters.` : undefined}>
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={defaultCopyName(campaign.name ?? "")}
              autoComplete="off"
              maxLength={LIMITS.name + 50}
            />
          </Field>
          {error ? <ProblemAlert error={error} title="The campaign was not copied" /> : null}
        </form>
      </ConfirmDialog>
    </>
  );
}
