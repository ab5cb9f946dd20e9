import type { Metadata } from "next";
import { Suspense } from "react";
import { NewSegment } from "@/screens/segments/SegmentEditor";

export const metadata: Metadata = { title: "New segment" };

export default function Page() {
  return (
    <Suspense>
      <NewSegment />
    </Suspense>
  );
}
