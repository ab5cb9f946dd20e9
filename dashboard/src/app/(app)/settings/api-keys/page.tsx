import type { Metadata } from "next";
import { Suspense } from "react";
import { ApiKeys } from "@/screens/settings/ApiKeys";

export const metadata: Metadata = { title: "API keys" };

export default function Page() {
  return (
    <Suspense>
      <ApiKeys />
    </Suspense>
  );
}
