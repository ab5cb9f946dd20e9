"use client";
import * as React from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { AuthFrame } from "@/components/AuthFrame";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { Alert, ProblemAlert } from "@/components/ui/alert";
import { Loading } from "@/components/ui/states";
import { signIn } from "@/auth/session";
import { useSession } from "@/auth/hooks";
import { safeNext } from "@/lib/navigation";

export function SignIn() {
  const session = useSession();
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const [email, setEmail] = React.useState("");
  const [password, setPassword] = React.useState("");
  const [error, setError] = React.useState<unknown>(null);
  const [busy, setBusy] = React.useState(false);

  React.useEffect(() => {
    if (session.status === "authenticated") router.replace(next);
  }, [session.status, next, router]);

  if (session.status === "loading" || session.status === "authenticated") {
    return <Loading label="Checking your session…" className="min-h-screen justify-center" />;
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      router.replace(next);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Sign in" description="Sign in to Herald with your e-mail and password.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        {session.reason === "expired" ? <Alert tone="info">Your session ended. Sign in again to continue.</Alert> : null}
        {session.reason === "unreachable" ? (
          <Alert tone="warning">Herald could not be reached. Check the connection, then sign in.</Alert>
        ) : null}
        <ProblemAlert error={error} title="Could not sign in" />
        <Field label="E-mail">
          <Input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </Field>
        <Field label="Password">
          <Input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <Button type="submit" className="w-full" loading={busy} disabled={!email || !password}>
          Sign in
        </Button>
      </form>
      <p className="mt-6 text-center text-sm text-muted-foreground">
        Setting up a new Herald?{" "}
        <Link href="/register/" className="font-medium text-primary underline-offset-4 hover:underline">
          Create the first account
        </Link>
      </p>
    </AuthFrame>
  );
}
