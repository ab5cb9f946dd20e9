"use client";
import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useMe, usePermissions, useSession } from "@/auth/hooks";
import { signOut } from "@/auth/session";
import { useApiPaths } from "@/api/capabilities";
import { Loading } from "@/components/ui/states";
import { Button } from "@/components/ui/button";
import { Logo } from "./Logo";
import { cn } from "@/lib/utils";

interface NavItem {
  href: string;
  label: string;
  match: (path: string) => boolean;
  adminOnly?: boolean;
  /** shown only when the API offers this path */
  requires?: string;
}

const NAV: NavItem[] = [
  { href: "/", label: "Overview", match: (p) => p === "/" },
  { href: "/contacts/", label: "Contacts", match: (p) => p.startsWith("/contacts"), requires: "/api/contacts" },
  { href: "/segments/", label: "Segments", match: (p) => p.startsWith("/segments"), requires: "/api/segments" },
  { href: "/campaigns/", label: "Campaigns", match: (p) => p.startsWith("/campaigns") },
  { href: "/flows/", label: "Flows", match: (p) => p.startsWith("/flows"), requires: "/api/flows" },
  { href: "/failures/", label: "Failures", match: (p) => p.startsWith("/failures"), requires: "/api/failures" },
  { href: "/settings/users/", label: "Settings", match: (p) => p.startsWith("/settings"), adminOnly: true },
];

/** The signed-in frame: navigation, who is signed in, and a guard that sends visitors to sign in. */
export function AppShell({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const router = useRouter();
  const pathname = usePathname() ?? "/";

  React.useEffect(() => {
    if (session.status === "anonymous") {
      const here = window.location.pathname + window.location.search;
      const next = here === "/" || session.reason === "signed-out" ? "" : `?next=${encodeURIComponent(here)}`;
      router.replace(`/sign-in/${next}`);
    }
  }, [session, router]);

  if (session.status !== "authenticated") {
    return <Loading label={session.status === "loading" ? "Checking your session…" : "Redirecting to sign in…"} className="min-h-screen justify-center" />;
  }

  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-card focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <Sidebar pathname={pathname} />
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 md:px-8 md:py-8 focus:outline-none">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}

function Sidebar({ pathname }: { pathname: string }) {
  const permissions = usePermissions();
  const me = useMe();
  const apiPaths = useApiPaths();
  const offers = (path?: string) => !path || apiPaths.isError || (apiPaths.data?.has(path) ?? false);
  const session = useSession();
  const user = session.status === "authenticated" ? session.user : undefined;
  const [busy, setBusy] = React.useState(false);
  return (
    <div className="shrink-0 bg-sidebar md:w-60">
    <aside className="flex flex-col text-sidebar-foreground md:sticky md:top-0 md:h-screen">
      <div className="px-5 py-5">
        <Link href="/" className="rounded-md">
          <Logo />
        </Link>
      </div>
      <nav aria-label="Main" className="flex-1 px-3">
        <ul className="flex gap-1 md:flex-col">
          {NAV.filter((item) => (!item.adminOnly || permissions.isAdmin) && offers(item.requires)).map((item) => {
            const active = item.match(pathname);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "block rounded-md px-3 py-2 text-sm font-medium text-sidebar-foreground/80 hover:bg-white/10 hover:text-white",
                    active && "bg-white/15 text-white",
                  )}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="border-t border-white/10 p-4 text-sm">
        <p className="truncate font-medium text-white" title={user?.email}>
          {user?.displayName || user?.email || me.data?.name}
        </p>
        {user?.displayName ? <p className="truncate text-xs text-sidebar-foreground/70">{user.email}</p> : null}
        <p className="mt-1 text-xs text-sidebar-foreground/70">{[...permissions.roles].map(roleLabel).join(", ")}</p>
        <Button
          variant="outline"
          size="sm"
          className="mt-3 w-full border-white/20 bg-transparent text-sidebar-foreground hover:bg-white/10"
          loading={busy}
          onClick={async () => {
            setBusy(true);
            await signOut();
          }}
        >
          Sign out
        </Button>
      </div>
    </aside>
    </div>
  );
}

export function roleLabel(role: string) {
  return { ADMIN: "Admin", MARKETER: "Marketer", ANALYST: "Analyst" }[role] ?? role;
}

/** Page title row with optional actions on the right. */
export function PageHeader({
  title,
  description,
  actions,
  breadcrumb,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  breadcrumb?: React.ReactNode;
}) {
  return (
    <div className="mb-6">
      {breadcrumb ? <div className="mb-2 text-sm text-muted-foreground">{breadcrumb}</div> : null}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight break-words">{title}</h1>
          {description ? <div className="mt-1 text-sm text-muted-foreground">{description}</div> : null}
        </div>
        {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      </div>
    </div>
  );
}
