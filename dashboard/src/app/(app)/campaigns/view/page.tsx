import type { Metadata } from "next";
import { Suspense } from "react";
import { CampaignDetail } from "@/screens/campaigns/CampaignDetail";

export const metadata: Metadata = { title: "Campaign" };

export default function Page() {
  return (
    <Suspense>
      <CampaignDetail />
    </Suspense>
  );
}
