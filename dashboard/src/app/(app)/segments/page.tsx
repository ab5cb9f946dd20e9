import type { Metadata } from "next";
import { Suspense } from "react";
import { SegmentList } from "@/screens/segments/SegmentList";

export const metadata: Metadata = { title: "Segments" };

export default function Page() {
  return (
    <Suspense>
      <SegmentList />
    </Suspense>
  );
}
