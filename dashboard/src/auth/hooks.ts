"use client";
import { useSyncExternalStore } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, call, type Role } from "@/api/client";
import { getSessionState, subscribeSession, type SessionState } from "./session";

const loading: SessionState = { status: "loading" };

export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState, () => loading);
}

/** Who the caller is (GET /api/me): the roles the UI adapts to. The API refuses anyway. */
export function useMe() {
  const session = useSession();
  return useQuery({
    queryKey: ["me"],
    queryFn: () => call(api.GET("/api/me")),
    enabled: session.status === "authenticated",
    staleTime: 60_000,
  });
}

export interface Permissions {
  roles: ReadonlySet<Role>;
  isAdmin: boolean;
  /** create, edit, schedule, pause, resume, cancel */
  canWriteCampaigns: boolean;
  canLaunchCampaigns: boolean;
  /** false until GET /api/me answered (or the session's user is known) */
  known: boolean;
}

export function permissionsOf(roles: Iterable<string>): Permissions {
  const set = new Set([...roles].filter((r): r is Role => r === "ADMIN" || r === "MARKETER" || r === "ANALYST"));
  const writer = set.has("ADMIN") || set.has("MARKETER");
  return { roles: set, isAdmin: set.has("ADMIN"), canWriteCampaigns: writer, canLaunchCampaigns: writer, known: true };
}

export function usePermissions(): Permissions {
  const session = useSession();
  const me = useMe();
  if (me.data?.roles) return permissionsOf(me.data.roles);
  if (session.status === "authenticated" && session.user.roles) return permissionsOf(session.user.roles);
  return { ...permissionsOf([]), known: false };
}
