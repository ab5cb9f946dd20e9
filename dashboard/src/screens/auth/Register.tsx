"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { AuthFrame } from "@/components/AuthFrame";
import { Alert } from "@/components/ui/alert";
import { Loading } from "@/components/ui/states";
import { useSession } from "@/auth/hooks";
import { ApiError } from "@/api/problem";
import { RegisterForm } from "./RegisterForm";

export function Register() {
  const session = useSession();
  const router = useRouter();

  React.useEffect(() => {
    if (session.status === "authenticated") router.replace("/");
  }, [session.status, router]);

  if (session.status !== "anonymous") return <Loading label="Checking your session…" className="min-h-screen justify-center" />;

  return (
    <AuthFrame
      title="Create the first account"
      description="The first account of a new Herald becomes its administrator. Everyone after that joins with an invitation."
    >
      <RegisterForm
        submitLabel="Create account"
        onDone={() => router.replace("/")}
        hint={(error) =>
          error instanceof ApiError && error.code === "auth.registration-closed" ? (
            <Alert tone="info">This Herald already has an administrator. Ask them for an invitation link.</Alert>
          ) : null
        }
      />
      <p className="mt-6 text-center text-sm text-muted-foreground">
        Already have an account?{" "}
        <Link href="/sign-in/" className="font-medium text-primary underline-offset-4 hover:underline">
          Sign in
        </Link>
      </p>
    </AuthFrame>
  );
}
