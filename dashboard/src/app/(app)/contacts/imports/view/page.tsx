import type { Metadata } from "next";
import { Suspense } from "react";
import { ImportStatus } from "@/screens/contacts/ContactImport";

export const metadata: Metadata = { title: "Import" };

export default function Page() {
  return (
    <Suspense>
      <ImportStatus />
    </Suspense>
  );
}
