import type { Metadata } from "next";
import { Suspense } from "react";
import { AcceptInvitation } from "@/screens/auth/AcceptInvitation";

export const metadata: Metadata = { title: "Accept invitation" };

export default function Page() {
  return (
    <Suspense>
      <AcceptInvitation />
    </Suspense>
  );
}
