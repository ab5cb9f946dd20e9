import { Badge } from "@/components/ui/badge";
import type { CampaignStatus } from "@/api/client";
import { STATUS_LABEL, STATUS_TONE } from "./status";

export function StatusBadge({ status }: { status: CampaignStatus | undefined }) {
  if (!status) return null;
  return (
    <Badge tone={STATUS_TONE[status]}>
      <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-current" />
      {STATUS_LABEL[status]}
    </Badge>
  );
}
