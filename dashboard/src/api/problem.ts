/** An RFC 9457 problem as Herald sends it (see README "Errors"). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  correlationId?: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

/** Thrown by the API helpers for every non-2xx answer (and for network failures, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `Request failed (${status || "network error"})`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  /** Field errors by field name (`content.subject` → message). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) if (e?.field) out[e.field] = e.message;
    // domain errors name one field in `field` (e.g. campaign.template.invalid)
    if (typeof this.problem.field === "string" && this.problem.detail && !out[this.problem.field]) {
      out[this.problem.field] = this.problem.detail;
    }
    return out;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Builds an ApiError from whatever came back (problem+json, other JSON, text or nothing). */
export function toApiError(status: number, body: unknown, fallback?: string): ApiError {
  if (body && typeof body === "object") return new ApiError(status, body as Problem);
  const text = typeof body === "string" && body.trim() ? body.trim().slice(0, 300) : undefined;
  return new ApiError(status, { status, detail: text ?? fallback ?? `The server answered ${status}` });
}

/** The message to show a person for any error. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
