import type { Metadata } from "next";
import { Suspense } from "react";
import { Invitations } from "@/screens/settings/Invitations";

export const metadata: Metadata = { title: "Invitations" };

export default function Page() {
  return (
    <Suspense>
      <Invitations />
    </Suspense>
  );
}
