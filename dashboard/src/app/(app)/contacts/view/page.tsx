import type { Metadata } from "next";
import { Suspense } from "react";
import { ContactPage } from "@/screens/contacts/ContactPage";

export const metadata: Metadata = { title: "Contact" };

export default function Page() {
  return (
    <Suspense>
      <ContactPage />
    </Suspense>
  );
}
