import { cn } from "@/lib/utils";

export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2 text-lg font-semibold tracking-tight", className)}>
      <svg aria-hidden viewBox="0 0 32 32" className="h-7 w-7">
        <rect width="32" height="32" rx="8" fill="oklch(0.48 0.2 265)" />
        <path d="M9 22V10m0 6h14m0-6v12" stroke="white" strokeWidth="3" strokeLinecap="round" fill="none" />
      </svg>
      Herald
    </span>
  );
}
