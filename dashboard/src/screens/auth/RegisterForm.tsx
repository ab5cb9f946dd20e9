"use client";
import * as React from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { ProblemAlert } from "@/components/ui/alert";
import { call, publicApi } from "@/api/client";
import { ApiError } from "@/api/problem";
import { signIn } from "@/auth/session";
import { passwordProblem } from "@/lib/passwords";

/** Registers an account (optionally with an invitation) and signs it in. */
export function RegisterForm({
  invitationToken,
  submitLabel,
  onDone,
  hint,
}: {
  invitationToken?: string;
  submitLabel: string;
  onDone: () => void;
  hint?: (error: unknown) => React.ReactNode;
}) {
  const [email, setEmail] = React.useState("");
  const [displayName, setDisplayName] = React.useState("");
  const [password, setPassword] = React.useState("");
  const [confirm, setConfirm] = React.useState("");
  const [touched, setTouched] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const [busy, setBusy] = React.useState(false);

  const emailError = touched && !/^[^\s@]+@[^\s@]+$/.test(email.trim()) ? "Enter an e-mail address." : undefined;
  const passwordError = touched ? passwordProblem(password, email) : undefined;
  const confirmError = touched && confirm !== password ? "The passwords differ." : undefined;
  const server = error instanceof ApiError ? error.fieldErrors : {};

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim()) || passwordProblem(password, email) || confirm !== password) return;
    setBusy(true);
    setError(null);
    try {
      await call(
        publicApi.POST("/api/auth/register", {
          body: {
            email: email.trim(),
            password,
            displayName: displayName.trim() || undefined,
            invitationToken: invitationToken || undefined,
          },
        }),
      );
      await signIn(email.trim(), password);
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <ProblemAlert error={error} title="Could not create the account" />
      {error && hint ? hint(error) : null}
      <Field label="E-mail" error={emailError ?? server.email}>
        <Input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
      </Field>
      <Field label="Name" optional>
        <Input autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={200} />
      </Field>
      <Field
        label="Password"
        hint="At least 12 characters. A long phrase is easy to remember and hard to guess."
        error={passwordError ?? server.password}
      >
        <Input type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      <Field label="Repeat the password" error={confirmError}>
        <Input type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </Field>
      <Button type="submit" className="w-full" loading={busy}>
        {submitLabel}
      </Button>
    </form>
  );
}
