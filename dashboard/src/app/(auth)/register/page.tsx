import type { Metadata } from "next";
import { Suspense } from "react";
import { Register } from "@/screens/auth/Register";

export const metadata: Metadata = { title: "Create the first account" };

export default function Page() {
  return (
    <Suspense>
      <Register />
    </Suspense>
  );
}
