import type { Metadata } from "next";
import { Suspense } from "react";
import { NewCampaign } from "@/screens/campaigns/CampaignEditor";

export const metadata: Metadata = { title: "New campaign" };

export default function Page() {
  return (
    <Suspense>
      <NewCampaign />
    </Suspense>
  );
}
