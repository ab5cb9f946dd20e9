/** Only same-app paths are followed after sign-in (no open redirect to another site). */
export function safeNext(next: string | null | undefined, fallback = "/"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  return next;
}

export function campaignHref(id: string) {
  return `/campaigns/view/?id=${encodeURIComponent(id)}`;
}

export function campaignEditHref(id: string) {
  return `/campaigns/edit/?id=${encodeURIComponent(id)}`;
}

export function flowHref(id: string, version?: number) {
  return `/flows/view/?id=${encodeURIComponent(id)}${version ? `&version=${version}` : ""}`;
}

export function flowEditHref(id: string) {
  return `/flows/edit/?id=${encodeURIComponent(id)}`;
}

/** The live page of a flow; with `contactId`, that contact's journey is shown on it. */
export function flowLiveHref(id: string, contactId?: string) {
  return `/flows/live/?id=${encodeURIComponent(id)}${contactId ? `&contact=${encodeURIComponent(contactId)}` : ""}`;
}
