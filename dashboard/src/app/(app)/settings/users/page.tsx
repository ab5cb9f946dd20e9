import type { Metadata } from "next";
import { Suspense } from "react";
import { Users } from "@/screens/settings/Users";

export const metadata: Metadata = { title: "Users and roles" };

export default function Page() {
  return (
    <Suspense>
      <Users />
    </Suspense>
  );
}
