import type { Metadata } from "next";
import { Suspense } from "react";
import { FlowEditor } from "@/screens/flows/FlowEditor";

export const metadata: Metadata = { title: "Edit flow" };

export default function Page() {
  return (
    <Suspense>
      <FlowEditor />
    </Suspense>
  );
}
