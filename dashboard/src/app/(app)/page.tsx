import type { Metadata } from "next";
import { Suspense } from "react";
import { Overview } from "@/screens/Overview";

export const metadata: Metadata = { title: "Overview" };

export default function Page() {
  return (
    <Suspense>
      <Overview />
    </Suspense>
  );
}
