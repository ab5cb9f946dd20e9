"use client";
import * as React from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ApiError } from "@/api/problem";
import { bootstrapSession, subscribeSession, getSessionState } from "@/auth/session";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // a 4xx will not get better by asking again
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = React.useState(makeQueryClient);

  React.useEffect(() => {
    bootstrapSession();
    // nothing of one account may be shown to the next: drop every cached answer on sign-out
    let previous = getSessionState().status;
    return subscribeSession(() => {
      const status = getSessionState().status;
      if (status === "anonymous" && previous !== "anonymous") client.clear();
      previous = status;
    });
  }, [client]);

  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
