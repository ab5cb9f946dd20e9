import type { Metadata } from "next";
import { Suspense } from "react";
import { Webhooks } from "@/screens/settings/Webhooks";

export const metadata: Metadata = { title: "Webhooks" };

export default function Page() {
  return (
    <Suspense>
      <Webhooks />
    </Suspense>
  );
}
