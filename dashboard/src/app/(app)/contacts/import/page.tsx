import type { Metadata } from "next";
import { Suspense } from "react";
import { ContactImport } from "@/screens/contacts/ContactImport";

export const metadata: Metadata = { title: "Import contacts" };

export default function Page() {
  return (
    <Suspense>
      <ContactImport />
    </Suspense>
  );
}
