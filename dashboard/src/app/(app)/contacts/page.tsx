import type { Metadata } from "next";
import { Suspense } from "react";
import { ContactList } from "@/screens/contacts/ContactList";

export const metadata: Metadata = { title: "Contacts" };

export default function Page() {
  return (
    <Suspense>
      <ContactList />
    </Suspense>
  );
}
