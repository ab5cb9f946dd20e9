import { Badge } from "@/components/ui/badge";
import type { FlowStatus } from "./api";
import { FLOW_STATUS_LABEL, FLOW_STATUS_TONE } from "./status";

export function FlowStatusBadge({ status }: { status: FlowStatus | undefined }) {
  if (!status) return null;
  return (
    <Badge tone={FLOW_STATUS_TONE[status]}>
      <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-current" />
      {FLOW_STATUS_LABEL[status]}
    </Badge>
  );
}
