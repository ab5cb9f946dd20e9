import type { Metadata } from "next";
import { Suspense } from "react";
import { FlowLive } from "@/screens/flows/FlowLive";

export const metadata: Metadata = { title: "Flow, live" };

export default function Page() {
  return (
    <Suspense>
      <FlowLive />
    </Suspense>
  );
}
