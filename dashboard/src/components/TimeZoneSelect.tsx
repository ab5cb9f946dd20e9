"use client";
import * as React from "react";
import { NativeSelect } from "@/components/ui/input";
import { formatOffset, offsetMs, timeZones } from "@/lib/timezones";

/**
 * An IANA time-zone picker: a native select (keyboard type-ahead, screen-reader friendly) grouped by
 * region, each zone with its current UTC offset.
 */
export function TimeZoneSelect({
  value,
  onValueChange,
  ...props
}: Omit<React.SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange"> & {
  value: string;
  onValueChange: (zone: string) => void;
}) {
  const groups = React.useMemo(() => {
    const now = Date.now();
    const byRegion = new Map<string, { zone: string; label: string }[]>();
    const zones = timeZones();
    if (value && !zones.includes(value)) zones.unshift(value);
    for (const zone of zones) {
      const region = zone.includes("/") ? zone.slice(0, zone.indexOf("/")) : "Other";
      let offset = "";
      try {
        offset = formatOffset(offsetMs(now, zone));
      } catch {
        offset = "";
      }
      const list = byRegion.get(region) ?? [];
      list.push({ zone, label: `${zone.replace(/_/g, " ")}${offset ? ` (${offset})` : ""}` });
      byRegion.set(region, list);
    }
    return [...byRegion.entries()].sort(([a], [b]) => (a === "Other" ? -1 : b === "Other" ? 1 : a.localeCompare(b)));
  }, [value]);

  return (
    <NativeSelect value={value} onChange={(e) => onValueChange(e.target.value)} {...props}>
      {groups.map(([region, zones]) => (
        <optgroup key={region} label={region}>
          {zones.map((z) => (
            <option key={z.zone} value={z.zone}>
              {z.label}
            </option>
          ))}
        </optgroup>
      ))}
    </NativeSelect>
  );
}
