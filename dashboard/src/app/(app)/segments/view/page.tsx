import type { Metadata } from "next";
import { Suspense } from "react";
import { SegmentPage } from "@/screens/segments/SegmentEditor";

export const metadata: Metadata = { title: "Segment" };

export default function Page() {
  return (
    <Suspense>
      <SegmentPage />
    </Suspense>
  );
}
