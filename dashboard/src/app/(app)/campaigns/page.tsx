import type { Metadata } from "next";
import { Suspense } from "react";
import { CampaignList } from "@/screens/campaigns/CampaignList";

export const metadata: Metadata = { title: "Campaigns" };

export default function Page() {
  return (
    <Suspense>
      <CampaignList />
    </Suspense>
  );
}
