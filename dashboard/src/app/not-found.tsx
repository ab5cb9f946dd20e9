import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-muted-foreground">There is no page at this address.</p>
      <Link href="/" className="font-medium text-primary underline-offset-4 hover:underline">
        Go to the overview
      </Link>
    </main>
  );
}
