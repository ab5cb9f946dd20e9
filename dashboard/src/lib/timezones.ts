/** Time-zone arithmetic with the platform's Intl data only (no library, no download). */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormatters.set(zone, f);
  }
  return f;
}

function wallClock(instantMs: number, zone: string) {
  const p: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(new Date(instantMs))) p[part.type] = part.value;
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour % 24, minute: +p.minute, second: +p.second };
}

export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds (Paris in winter: 3_600_000). */
export function offsetMs(instantMs: number, zone: string): number {
  const w = wallClock(instantMs, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

export function formatOffset(ms: number): string {
  const sign = ms < 0 ? "-" : "+";
  const minutes = Math.round(Math.abs(ms) / 60000);
  return `UTC${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant at which a wall-clock time ("2026-12-24T09:00") happens in a zone. A time skipped by a
 * daylight-saving change moves forward by the gap, as Herald (java.time) does.
 */
export function zonedLocalToInstant(local: string, zone: string): Date | null {
  const m = LOCAL.exec(local);
  if (!m || !isValidTimeZone(zone)) return null;
  const [, y, mo, d, h, mi, s] = m;
  const guess = Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0);
  if (Number.isNaN(guess)) return null;
  const first = offsetMs(guess, zone);
  let instant = guess - first;
  const second = offsetMs(instant, zone);
  if (second !== first) instant = guess - second;
  return new Date(instant);
}

/** "2026-12-24T09:00" for an instant seen in a zone (the value of a datetime-local input). */
export function instantToZonedLocal(iso: string | Date, zone: string): string {
  const ms = typeof iso === "string" ? new Date(iso).getTime() : iso.getTime();
  const w = wallClock(ms, zone);
  const pad = (n: number, l = 2) => String(n).padStart(l, "0");
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** Every IANA zone the platform knows (plus UTC), sorted. */
export function timeZones(): string[] {
  const supported =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC", "Europe/London", "Europe/Paris", "America/New_York"];
  return Array.from(new Set(["UTC", ...supported])).sort();
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** "24 Dec 2026, 09:00" as seen in a zone. */
export function formatInZone(iso: string | Date, zone: string): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(d);
  } catch {
    return d.toISOString();
  }
}
