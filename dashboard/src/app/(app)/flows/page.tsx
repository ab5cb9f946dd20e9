import type { Metadata } from "next";
import { Suspense } from "react";
import { FlowList } from "@/screens/flows/FlowList";

export const metadata: Metadata = { title: "Flows" };

export default function Page() {
  return (
    <Suspense>
      <FlowList />
    </Suspense>
  );
}
