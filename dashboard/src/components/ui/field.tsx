"use client";
import * as React from "react";
import { Label } from "./label";
import { cn } from "@/lib/utils";

/**
 * A labelled form control with an optional hint and error, wired with aria-describedby and
 * aria-invalid. The child must be a single control; it receives id, aria-* props.
 */
export function Field({
  label,
  hint,
  error,
  className,
  children,
  optional,
}: {
  label: React.ReactNode;
  hint?: React.ReactNode;
  error?: string;
  className?: string;
  optional?: boolean;
  children: React.ReactElement<Record<string, unknown>>;
}) {
  const id = React.useId();
  const controlId = (children.props.id as string | undefined) ?? `f${id}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1.5", className)}>
      <Label htmlFor={controlId} className="block">
        {label}
        {optional ? <span className="ml-1 font-normal text-muted-foreground">(optional)</span> : null}
      </Label>
      {React.cloneElement(children, {
        id: controlId,
        "aria-describedby": describedBy,
        "aria-invalid": error ? true : undefined,
      })}
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}
