"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/AppShell";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Loading } from "@/components/ui/states";
import { usePermissions } from "@/auth/hooks";
import { CampaignWizard } from "@/features/campaigns/CampaignWizard";
import { useCampaign, useSaveCampaign } from "@/features/campaigns/api";
import { draftOf, emptyDraft } from "@/features/campaigns/draft";
import { allowedActions } from "@/features/campaigns/status";
import { campaignHref } from "@/lib/navigation";
import { useSegmentPreview, useSegments } from "@/features/segments/api";
import { Skeleton } from "@/components/ui/states";
import { useHasApi } from "@/api/capabilities";

/** The segments to pick from; undefined when the API has none to offer (then a free id field). */
function useSegmentOptions() {
  const has = useHasApi("/api/segments");
  const segments = useSegments(0, 200, has === true);
  if (has === false || segments.isError) return undefined;
  return (segments.data?.items ?? []).map((s) => ({ id: s.id!, name: s.name ?? s.id! }));
}

function SegmentReach({ segmentId }: { segmentId: string }) {
  const preview = useSegmentPreview({ type: "segment", segmentId }, 0);
  if (preview.isPending) return <Skeleton className="h-4 w-40" />;
  if (preview.isError) return null;
  const n = preview.data.count ?? 0;
  return (
    <p className="text-sm text-muted-foreground">
      Reaches <span className="font-semibold text-foreground">{n.toLocaleString()}</span> contact{n === 1 ? "" : "s"} now (before consent and suppression).
    </p>
  );
}
const audienceInfo = (id: string) => <SegmentReach segmentId={id} />;

export function NewCampaign() {
  const router = useRouter();
  const save = useSaveCampaign();
  const permissions = usePermissions();
  const segments = useSegmentOptions();
  const [initial] = React.useState(() => emptyDraft());
  if (permissions.known && !permissions.canWriteCampaigns) {
    return (
      <>
        <PageHeader title="New campaign" />
        <Alert tone="info">Your role can look at campaigns but not create them.</Alert>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="New campaign"
        breadcrumb={
          <Link href="/campaigns/" className="hover:underline">
            Campaigns
          </Link>
        }
      />
      <CampaignWizard
        initial={initial}
        onSave={(input) => save.mutateAsync(input)}
        onSaved={(c) => router.push(campaignHref(c.id!))}
        cancelHref="/campaigns/"
        segments={segments}
        audienceInfo={audienceInfo}
      />
    </>
  );
}

export function EditCampaign() {
  const id = useSearchParams().get("id");
  const router = useRouter();
  const campaign = useCampaign(id);
  const save = useSaveCampaign();
  const permissions = usePermissions();
  const segments = useSegmentOptions();

  const crumb = (
    <Link href="/campaigns/" className="hover:underline">
      Campaigns
    </Link>
  );
  if (!id) return <Alert tone="error">No campaign was named in the address.</Alert>;
  if (campaign.isPending) return <Loading label="Loading the campaign…" />;
  if (campaign.isError) return <ProblemAlert error={campaign.error} title="Could not load the campaign" />;
  const c = campaign.data;
  if (permissions.known && !permissions.canWriteCampaigns) {
    return <Alert tone="info">Your role can look at campaigns but not change them.</Alert>;
  }
  if (!allowedActions(c.status).includes("edit")) {
    return (
      <>
        <PageHeader title={`Edit ${c.name}`} breadcrumb={crumb} />
        <Alert tone="info" title="This campaign can no longer be edited">
          Only draft and scheduled campaigns can be changed.{" "}
          <Link className="font-medium underline" href={campaignHref(c.id!)}>
            Back to the campaign
          </Link>
        </Alert>
      </>
    );
  }
  return (
    <>
      <PageHeader title={`Edit ${c.name}`} breadcrumb={crumb} />
      <CampaignWizard
        key={c.id}
        initial={draftOf(c)}
        campaign={c}
        onSave={(input) => save.mutateAsync(input)}
        onSaved={(saved) => router.push(campaignHref(saved.id!))}
        cancelHref={campaignHref(c.id!)}
        segments={segments}
        audienceInfo={audienceInfo}
      />
    </>
  );
}
