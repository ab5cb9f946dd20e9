"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { AuthFrame } from "@/components/AuthFrame";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Loading } from "@/components/ui/states";
import { useSession } from "@/auth/hooks";
import { signOut } from "@/auth/session";
import { RegisterForm } from "./RegisterForm";

export function AcceptInvitation() {
  const session = useSession();
  const router = useRouter();
  const token = useSearchParams().get("token") ?? "";
  const [done, setDone] = React.useState(false);

  if (session.status === "loading") return <Loading label="Checking your session…" className="min-h-screen justify-center" />;

  if (session.status === "authenticated" && !done) {
    return (
      <AuthFrame title="Accept an invitation">
        <div className="space-y-4">
          <Alert tone="info">
            You are signed in as {session.user.email}. Sign out first to accept this invitation with another account.
          </Alert>
          <div className="flex gap-2">
            <Button onClick={() => void signOut()}>Sign out</Button>
            <Button variant="outline" onClick={() => router.replace("/")}>
              Go to Herald
            </Button>
          </div>
        </div>
      </AuthFrame>
    );
  }

  if (!token) {
    return (
      <AuthFrame title="Accept an invitation">
        <Alert tone="error" title="This link has no invitation token">
          Open the full link you were sent, or ask an administrator for a new invitation.
        </Alert>
        <p className="mt-6 text-center text-sm">
          <Link href="/sign-in/" className="font-medium text-primary underline-offset-4 hover:underline">
            Go to sign in
          </Link>
        </p>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title="Accept your invitation" description="Choose how you sign in to Herald. Use the e-mail the invitation was sent to.">
      <RegisterForm
        invitationToken={token}
        submitLabel="Join Herald"
        onDone={() => {
          setDone(true);
          router.replace("/");
        }}
      />
    </AuthFrame>
  );
}
