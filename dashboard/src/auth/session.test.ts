import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

function session(accessToken: string, expiresIn = 900) {
  return new Response(
    JSON.stringify({ tokenType: "Bearer", accessToken, expiresIn, user: { id: "u1", email: "a@b.c", roles: ["ADMIN"] } }),
    { status: 200, headers: { "Content-Type": "application/json" } },
  );
}
const problem = (status: number, code: string) =>
  new Response(JSON.stringify({ status, code, detail: code }), { status, headers: { "Content-Type": "application/problem+json" } });

async function freshModules() {
  vi.resetModules();
  const s = await import("./session");
  const c = await import("@/api/client");
  return { ...s, ...c };
}

describe("session", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const urls = () => fetchMock.mock.calls.map(([r]) => `${(r as Request).method} ${new URL((r as Request).url, "http://x").pathname}`);

  it("refreshes once however many ask at the same time (a second use of a rotated token would sign everyone out)", async () => {
    const { refresh, getSessionState } = await freshModules();
    fetchMock.mockImplementation(async () => session("t1"));
    const results = await Promise.all([refresh(), refresh(), refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(urls()).toEqual(["POST /api/auth/refresh"]);
    expect((fetchMock.mock.calls[0][0] as Request).credentials).toBe("include");
    expect(getSessionState()).toMatchObject({ status: "authenticated", user: { email: "a@b.c" } });
  });

  it("is anonymous when the refresh cookie is missing or revoked", async () => {
    const { bootstrapSession, getSessionState, subscribeSession } = await freshModules();
    fetchMock.mockImplementation(async () => problem(401, "auth.refresh-token-missing"));
    const settled = new Promise<void>((resolve) => subscribeSession(() => resolve()));
    bootstrapSession();
    bootstrapSession(); // React's strict mode runs effects twice
    await settled;
    expect(getSessionState()).toEqual({ status: "anonymous" });
    expect(urls()).toEqual(["POST /api/auth/refresh"]);
  });

  it("sends the access token, and on a 401 refreshes once and retries once", async () => {
    const { refresh, api, call } = await freshModules();
    fetchMock.mockImplementationOnce(async () => session("old"));
    await refresh();
    const seen: (string | null)[] = [];
    fetchMock.mockImplementation(async (r: Request) => {
      const path = new URL(r.url, "http://x").pathname;
      if (path === "/api/auth/refresh") return session("new");
      seen.push(r.headers.get("Authorization"));
      return r.headers.get("Authorization") === "Bearer new"
        ? new Response(JSON.stringify({ kind: "USER", roles: ["ADMIN"] }), { status: 200, headers: { "Content-Type": "application/json" } })
        : problem(401, "auth.invalid-token");
    });
    const me = await call(api.GET("/api/me"));
    expect(me).toMatchObject({ kind: "USER" });
    expect(seen).toEqual(["Bearer old", "Bearer new"]);
    expect(urls().slice(1)).toEqual(["GET /api/me", "POST /api/auth/refresh", "GET /api/me"]);
  });

  it("retries a request with a body after refreshing", async () => {
    const { refresh, api, call } = await freshModules();
    fetchMock.mockImplementationOnce(async () => session("old"));
    await refresh();
    const bodies: string[] = [];
    fetchMock.mockImplementation(async (r: Request) => {
      const path = new URL(r.url, "http://x").pathname;
      if (path === "/api/auth/refresh") return session("new");
      bodies.push(await r.text());
      return r.headers.get("Authorization") === "Bearer new"
        ? new Response(JSON.stringify({ id: "k1", key: "hk_x" }), { status: 201, headers: { "Content-Type": "application/json" } })
        : problem(401, "auth.invalid-token");
    });
    const created = await call(api.POST("/api/api-keys", { body: { label: "n8n", scopes: ["read"] } }));
    expect(created).toMatchObject({ key: "hk_x" });
    expect(bodies).toEqual([JSON.stringify({ label: "n8n", scopes: ["read"] }), JSON.stringify({ label: "n8n", scopes: ["read"] })]);
  });

  it("signs out when the refresh after a 401 fails, and shows the problem's detail", async () => {
    const { refresh, api, call, getSessionState } = await freshModules();
    fetchMock.mockImplementationOnce(async () => session("old"));
    await refresh();
    fetchMock.mockImplementation(async (r: Request) =>
      new URL(r.url, "http://x").pathname === "/api/auth/refresh" ? problem(401, "auth.refresh-token-reused") : problem(401, "auth.invalid-token"),
    );
    await expect(call(api.GET("/api/me"))).rejects.toMatchObject({ status: 401, message: "auth.invalid-token" });
    expect(getSessionState()).toEqual({ status: "anonymous", reason: "expired" });
  });

  it("signs out on the server and forgets the token", async () => {
    const { refresh, signOut, getSessionState, currentAccessToken } = await freshModules();
    fetchMock.mockImplementationOnce(async () => session("t"));
    await refresh();
    fetchMock.mockImplementation(async () => new Response(null, { status: 204 }));
    await signOut();
    expect(urls()).toEqual(["POST /api/auth/refresh", "POST /api/auth/logout"]);
    expect(currentAccessToken()).toBeNull();
    expect(getSessionState()).toEqual({ status: "anonymous", reason: "signed-out" });
  });
});
