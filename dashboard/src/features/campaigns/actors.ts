"use client";
import { useQuery } from "@tanstack/react-query";
import { api, call } from "@/api/client";
import { usePermissions, useSession } from "@/auth/hooks";

/**
 * Turns an actor (`user:<id>`, `api-key:<id>`, `oidc-user:<sub>`, `system:<part>`) into a name.
 * Admins can read the user and key lists, so they see e-mails and key labels; others see "you"
 * for themselves and the kind of actor otherwise.
 */
export function useActorName(): (actor: string | undefined) => string {
  const session = useSession();
  const { isAdmin } = usePermissions();
  const users = useQuery({
    queryKey: ["users"],
    queryFn: () => call(api.GET("/api/users")),
    enabled: isAdmin,
    staleTime: 60_000,
  });
  const keys = useQuery({
    queryKey: ["api-keys"],
    queryFn: () => call(api.GET("/api/api-keys")),
    enabled: isAdmin,
    staleTime: 60_000,
  });
  const myId = session.status === "authenticated" ? session.user.id : undefined;

  return (actor) => {
    if (!actor) return "unknown";
    const [kind, ...rest] = actor.split(":");
    const id = rest.join(":");
    if (kind === "user") {
      const user = users.data?.find((u) => u.id === id);
      const name = user ? user.displayName || user.email || id : undefined;
      if (id === myId) return name ? `you (${name})` : "you";
      return name ?? `user ${id.slice(0, 8)}`;
    }
    if (kind === "api-key") {
      const key = keys.data?.find((k) => k.id === id);
      return key ? `API key “${key.label}” (${key.prefix})` : `API key ${id.slice(0, 8)}`;
    }
    if (kind === "oidc-user") return `single sign-on user ${id}`;
    if (kind === "system") return id === "scheduler" ? "Herald's scheduler" : `Herald (${id})`;
    return actor;
  };
}
