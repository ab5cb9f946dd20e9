/**
 * The signed-in session, kept outside React so the API client can reach it.
 *
 * - The access token lives in this module's memory only (never in storage).
 * - The refresh token is an httpOnly, SameSite=Strict cookie set by Herald on /api/auth; a reload
 *   calls POST /api/auth/refresh, which answers a new access token and rotates the cookie.
 * - Herald revokes the whole sign-in when an already-rotated refresh token is presented, so refreshes
 *   never overlap: one in flight per page, and one at a time across tabs (Web Locks), each using
 *   the cookie the previous one set.
 */
import { publicApi, type SessionResponse, type User } from "@/api/public";
import { ApiError, toApiError } from "@/api/problem";

export type SessionState =
  | { status: "loading" }
  | { status: "anonymous"; reason?: "signed-out" | "expired" | "unreachable" }
  | { status: "authenticated"; user: User };

const REFRESH_MARGIN_MS = 60_000;
const LOCK_NAME = "herald-auth-refresh";

let state: SessionState = { status: "loading" };
let accessToken: string | null = null;
let accessTokenExpiresAt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

const channel: BroadcastChannel | null =
  typeof window !== "undefined" && typeof BroadcastChannel !== "undefined" ? new BroadcastChannel("herald-auth") : null;

channel?.addEventListener("message", (event: MessageEvent) => {
  if (event.data === "signed-out") forget("signed-out");
  // another tab signed in: the cookie it got is ours too
  if (event.data === "signed-in" && state.status !== "authenticated") void refresh();
});

function set(next: SessionState) {
  state = next;
  listeners.forEach((listener) => listener());
}

export function getSessionState(): SessionState {
  return state;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current access token, or null when there is none or it has expired. */
export function currentAccessToken(): string | null {
  return accessToken && Date.now() < accessTokenExpiresAt - 5_000 ? accessToken : null;
}

function accept(session: SessionResponse) {
  if (!session.accessToken || !session.user) throw new ApiError(500, { detail: "Herald answered no session" });
  accessToken = session.accessToken;
  const expiresInMs = (session.expiresIn ?? 900) * 1000;
  accessTokenExpiresAt = Date.now() + expiresInMs;
  scheduleRefresh(Math.max(5_000, expiresInMs - REFRESH_MARGIN_MS));
  set({ status: "authenticated", user: session.user });
}

function scheduleRefresh(delayMs: number) {
  clearTimeout(timer);
  if (typeof window === "undefined") return;
  timer = setTimeout(() => void refresh(), delayMs);
}

/** reason: "signed-out" after signing out here or in another tab, "expired" when a session ended, none at first visit */
function forget(reason?: "signed-out" | "expired" | "unreachable") {
  clearTimeout(timer);
  accessToken = null;
  accessTokenExpiresAt = 0;
  if (state.status !== "anonymous" || state.reason !== reason) set(reason ? { status: "anonymous", reason } : { status: "anonymous" });
}

function withLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  return locks ? (locks.request(LOCK_NAME, task) as unknown as Promise<T>) : task();
}

/**
 * Gets a new access token with the refresh cookie. Resolves true when signed in afterwards.
 * Concurrent callers share one request.
 */
export function refresh(): Promise<boolean> {
  inflight ??= withLock(async () => {
    try {
      const { data, response } = await publicApi.POST("/api/auth/refresh", {});
      if (response.ok && data) {
        accept(data);
        return true;
      }
      forget(state.status === "authenticated" ? "expired" : state.status === "anonymous" ? state.reason : undefined);
      return false;
    } catch {
      // network trouble: keep a still-valid token and try again shortly
      if (currentAccessToken()) {
        scheduleRefresh(15_000);
        return true;
      }
      forget("unreachable");
      return false;
    }
  }).finally(() => {
    inflight = null;
  });
  return inflight;
}

/** Called once when the app starts: a reload keeps the session through the refresh cookie. */
let bootstrapped = false;
export function bootstrapSession(): void {
  if (bootstrapped) return;
  bootstrapped = true;
  void refresh();
}

export async function signIn(email: string, password: string): Promise<User> {
  const { data, error, response } = await publicApi.POST("/api/auth/login", { body: { email, password } });
  if (!response.ok || !data) throw toApiError(response.status, error);
  accept(data);
  channel?.postMessage("signed-in");
  return data.user!;
}

export async function signOut(): Promise<void> {
  try {
    await publicApi.POST("/api/auth/logout", {});
  } catch {
    // signed out locally anyway; the refresh cookie expires on its own
  }
  forget("signed-out");
  channel?.postMessage("signed-out");
}

/**
 * fetch for the authenticated client: adds the bearer token, refreshes it first when it is about
 * to expire, and on a 401 refreshes once and retries once.
 */
export async function authorizedFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  if (!currentAccessToken()) await refresh();
  const first = await fetch(authorize(request));
  if (first.status !== 401) return first;
  if (!(await refresh())) return first;
  return fetch(authorize(retry));
}

function authorize(request: Request): Request {
  const token = currentAccessToken();
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  return request;
}

/** For tests. */
export function resetSessionForTests(): void {
  clearTimeout(timer);
  accessToken = null;
  accessTokenExpiresAt = 0;
  inflight = null;
  bootstrapped = false;
  state = { status: "loading" };
}
