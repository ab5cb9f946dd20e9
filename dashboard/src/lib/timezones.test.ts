import { describe, expect, it } from "vitest";
import { formatOffset, instantToZonedLocal, isValidTimeZone, offsetMs, timeZones, zonedLocalToInstant } from "./timezones";

describe("time zones", () => {
  it("reads a local time in a zone", () => {
    expect(zonedLocalToInstant("2026-12-24T09:00", "Europe/Paris")?.toISOString()).toBe("2026-12-24T08:00:00.000Z");
    expect(zonedLocalToInstant("2026-07-01T09:00", "Europe/Paris")?.toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(zonedLocalToInstant("2026-07-01T09:00", "Asia/Kolkata")?.toISOString()).toBe("2026-07-01T03:30:00.000Z");
    expect(zonedLocalToInstant("2026-07-01T09:00", "UTC")?.toISOString()).toBe("2026-07-01T09:00:00.000Z");
  });

  it("moves a time skipped by daylight saving forward by the gap, as java.time does", () => {
    // Paris skips 02:00–03:00 on 2026-03-29; 02:30 becomes 03:30 CEST = 01:30 UTC
    expect(zonedLocalToInstant("2026-03-29T02:30", "Europe/Paris")?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
  });

  it("shows an instant as the zone's wall clock", () => {
    expect(instantToZonedLocal("2026-12-24T08:00:00Z", "Europe/Paris")).toBe("2026-12-24T09:00");
    expect(instantToZonedLocal("2026-12-24T08:00:00Z", "America/Los_Angeles")).toBe("2026-12-24T00:00");
  });

  it("knows offsets and valid zones", () => {
    expect(formatOffset(offsetMs(Date.UTC(2026, 0, 1), "Europe/Paris"))).toBe("UTC+01:00");
    expect(formatOffset(offsetMs(Date.UTC(2026, 0, 1), "America/St_Johns"))).toBe("UTC-03:30");
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(zonedLocalToInstant("2026-12-24T09:00", "Mars/Olympus")).toBeNull();
    expect(timeZones()).toContain("UTC");
    expect(timeZones().length).toBeGreaterThan(300);
  });
});
