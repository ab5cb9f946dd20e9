import * as React from "react";
import { cn } from "@/lib/utils";
import { ApiError, errorMessage } from "@/api/problem";

export function Alert({
  tone = "error",
  title,
  children,
  className,
}: {
  tone?: "error" | "info" | "success" | "warning";
  title?: React.ReactNode;
  children?: React.ReactNode;
  className?: string;
}) {
  const styles = {
    error: "border-red-200 bg-red-50 text-red-900",
    info: "border-blue-200 bg-blue-50 text-blue-900",
    success: "border-emerald-200 bg-emerald-50 text-emerald-900",
    warning: "border-amber-200 bg-amber-50 text-amber-900",
  }[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cn("rounded-md border px-4 py-3 text-sm", styles, className)}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
    </div>
  );
}

/** Shows an error as the API explained it: the problem's detail, field errors, and the correlation id. */
export function ProblemAlert({ error, title, className }: { error: unknown; title?: string; className?: string }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  const fieldErrors = problem?.errors?.filter((e) => e?.field) ?? [];
  return (
    <Alert tone="error" title={title ?? problem?.title ?? "Something went wrong"} className={className}>
      <p>{errorMessage(error)}</p>
      {fieldErrors.length > 0 ? (
        <ul className="mt-1 list-disc pl-5">
          {fieldErrors.map((e) => (
            <li key={e.field}>
              <span className="font-mono text-xs">{e.field}</span>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problem?.correlationId ? (
        <p className="mt-1 text-xs opacity-70">Reference: {problem.correlationId}</p>
      ) : null}
    </Alert>
  );
}
