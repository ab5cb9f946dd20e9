"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { PageHeader } from "@/components/AppShell";
import { Alert } from "@/components/ui/alert";
import { Loading } from "@/components/ui/states";
import { usePermissions } from "@/auth/hooks";
import { cn } from "@/lib/utils";

const TABS = [
  { href: "/settings/users/", label: "Users and roles" },
  { href: "/settings/invitations/", label: "Invitations" },
  { href: "/settings/api-keys/", label: "API keys" },
  { href: "/settings/webhooks/", label: "Webhooks" },
];

export function SettingsFrame({ children }: { children: React.ReactNode }) {
  const pathname = usePathname() ?? "";
  const permissions = usePermissions();
  return (
    <>
      <PageHeader title="Settings" description="Who can use Herald, the keys machines use, and the webhooks Herald calls." />
      <nav aria-label="Settings" className="mb-6 border-b">
        <ul className="-mb-px flex gap-4 overflow-x-auto">
          {TABS.map((t) => {
            const active = pathname.startsWith(t.href.replace(/\/$/, ""));
            return (
              <li key={t.href}>
                <Link
                  href={t.href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "inline-block border-b-2 px-1 pb-2 text-sm font-medium",
                    active ? "border-primary text-primary" : "border-transparent text-muted-foreground hover:text-foreground",
                  )}
                >
                  {t.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {!permissions.known ? <Loading /> : permissions.isAdmin ? children : <Alert tone="info">Only administrators can see and change settings.</Alert>}
    </>
  );
}
