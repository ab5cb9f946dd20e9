import type { CampaignView } from "@/api/client";
import { Alert } from "@/components/ui/alert";
import { failureReasonLabel } from "./status";

/** Why a FAILED campaign stopped, on the campaign's page: its reason and what Herald said about it. */
export function FailureNotice({ campaign }: { campaign: Pick<CampaignView, "status" | "failureReason" | "failureDetail"> }) {
  if (campaign.status !== "FAILED") return null;
  return (
    <Alert tone="error" title={`This campaign failed: ${failureReasonLabel(campaign.failureReason).toLowerCase() || "its run could not go on"}`}>
      <p>
        {campaign.failureDetail ?? "Its run could not go on."} Nothing more is sent, and a failed campaign cannot be resumed.
      </p>
      {campaign.failureReason ? (
        <p className="mt-1 text-xs text-muted-foreground">
          Reason code: <span className="font-mono">{campaign.failureReason}</span>
        </p>
      ) : null}
    </Alert>
  );
}

/** The reason in a line, under the status in the campaign list (the detail as its tooltip). */
export function FailureReasonLine({ campaign }: { campaign: Pick<CampaignView, "status" | "failureReason" | "failureDetail"> }) {
  if (campaign.status !== "FAILED" || !campaign.failureReason) return null;
  return (
    <span className="mt-1 block text-xs text-muted-foreground" title={campaign.failureDetail ?? undefined}>
      {failureReasonLabel(campaign.failureReason)}
    </span>
  );
}
