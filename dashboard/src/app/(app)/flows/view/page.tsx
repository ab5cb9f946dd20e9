import type { Metadata } from "next";
import { Suspense } from "react";
import { FlowDetail } from "@/screens/flows/FlowDetail";

export const metadata: Metadata = { title: "Flow" };

export default function Page() {
  return (
    <Suspense>
      <FlowDetail />
    </Suspense>
  );
}
