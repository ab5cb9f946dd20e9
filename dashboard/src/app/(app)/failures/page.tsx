import type { Metadata } from "next";
import { Suspense } from "react";
import { FailureLog } from "@/screens/failures/FailureLog";

export const metadata: Metadata = { title: "Failures" };

export default function Page() {
  return (
    <Suspense>
      <FailureLog />
    </Suspense>
  );
}
