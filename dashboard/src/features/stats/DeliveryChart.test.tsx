import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { DeliveryChart, formatDay, niceMax } from "./DeliveryChart";
import { formatRate } from "./api";

/** 14 UTC days ending 2026-11-27, with sends on a few of them */
const days = Array.from({ length: 14 }, (_, i) => {
  const date = new Date(Date.UTC(2026, 10, 14 + i)).toISOString().slice(0, 10);
  return { date, sent: i === 13 ? 120 : i === 10 ? 40 : 0, failed: i === 13 ? 6 : 0 };
});

describe("DeliveryChart", () => {
  it("draws one bar per day, oldest first, labelled with days and today", () => {
    render(<DeliveryChart days={days} />);
    const chart = screen.getByTestId("delivery-chart");
    const bars = within(chart as unknown as HTMLElement).getAllByTestId("chart-day");
    expect(bars).toHaveLength(14);
    expect(bars[0]).toHaveAttribute("data-date", "2026-11-14");
    expect(bars[13]).toHaveAttribute("data-date", "2026-11-27");
    // the bars' heights follow the counts (axis up to 200 for a busiest day of 126)
    const sent = within(bars[13] as unknown as HTMLElement).getByTestId("bar-sent");
    const failed = within(bars[13] as unknown as HTMLElement).getByTestId("bar-failed");
    expect(Number(sent.getAttribute("height"))).toBeCloseTo((120 / 200) * 164, 5);
    expect(Number(failed.getAttribute("height"))).toBeCloseTo((6 / 200) * 164, 5);
    expect(Number(within(bars[0] as unknown as HTMLElement).getByTestId("bar-sent").getAttribute("height"))).toBe(0);
    // every other day is labelled, counted back from today
    const labels = screen.getAllByTestId("chart-label").map((l) => l.textContent);
    expect(labels).toHaveLength(7);
    expect(labels.at(-1)).toBe("Today");
    expect(labels[0]).toBe(formatDay("2026-11-15"));
    expect(bars[13].querySelector("title")?.textContent).toBe(`${formatDay("2026-11-27", true)}: 120 sent, 6 failed`);
  });

  it("is hidden from screen readers, which get a summary and a table instead", () => {
    render(<DeliveryChart days={days} />);
    expect(screen.getByTestId("delivery-chart")).toHaveAttribute("aria-hidden", "true");
    expect(screen.getByRole("figure")).toHaveAccessibleName(
      `Sends and failures per day, ${formatDay("2026-11-14")} to ${formatDay("2026-11-27")}: 160 sent, 6 failed in all.`,
    );
    const table = screen.getByRole("table", { name: "Sends and failures per day (UTC days)" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(15); // header + 14 days
    expect(within(rows[14]).getByRole("rowheader")).toHaveTextContent(formatDay("2026-11-27", true));
    expect(within(rows[14]).getAllByRole("cell").map((c) => c.textContent)).toEqual(["120", "6"]);
  });

  it("copes with days without any send", () => {
    render(<DeliveryChart days={days.map((d) => ({ ...d, sent: 0, failed: 0 }))} />);
    expect(screen.getAllByTestId("chart-day")).toHaveLength(14);
    expect(screen.getAllByTestId("bar-sent").every((b) => b.getAttribute("height") === "0")).toBe(true);
  });
});

describe("chart helpers", () => {
  it("rounds the axis up", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(126)).toBe(200);
    expect(niceMax(1000)).toBe(1000);
    expect(niceMax(1001)).toBe(2000);
  });

  it("formats UTC days without shifting them", () => {
    expect(formatDay("2026-11-27")).toBe(new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" }).format(Date.UTC(2026, 10, 27)));
    expect(formatDay(undefined)).toBe("");
  });

  it("formats the failure rate", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatRate(0)).toBe("0 %");
    expect(formatRate(0.5)).toBe("50 %");
    expect(formatRate(0.0317)).toBe(`${(3.2).toLocaleString()} %`);
    expect(formatRate(0.0004)).toBe("<0.1 %");
  });
});
