import type { Metadata } from "next";
import { Suspense } from "react";
import { EditCampaign } from "@/screens/campaigns/CampaignEditor";

export const metadata: Metadata = { title: "Edit campaign" };

export default function Page() {
  return (
    <Suspense>
      <EditCampaign />
    </Suspense>
  );
}
