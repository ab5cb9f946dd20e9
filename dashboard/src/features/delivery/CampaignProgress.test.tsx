import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/problem";
import { ProgressPanel, ProgressCard, runState } from "./CampaignProgress";
import type { CampaignProgress } from "./api";

const base: CampaignProgress = {
  campaignId: "c1",
  channel: "WEBHOOK",
  state: "SENDING",
  frozen: true,
  audience: 200,
  sent: 120,
  failed: 3,
  skipped: 2,
  unknown: 1,
  remaining: 74,
  percent: 63.4,
  ratePerSecond: 12.5,
  etaSeconds: 150,
};

describe("ProgressPanel", () => {
  it("shows counts, the bar with its percentage, rate, ETA and state", () => {
    render(<ProgressPanel progress={base} stream="open" />);
    const bar = screen.getByRole("progressbar", { name: "Progress" });
    expect(bar).toHaveAttribute("aria-valuenow", "63");
    expect(screen.getByTestId("progress-text")).toHaveTextContent("126 of 200 · 63 %");
    expect(screen.getByTestId("run-state")).toHaveTextContent("Sending");
    for (const [label, n] of [["Sent", "120"], ["Failed", "3"], ["Skipped", "2"], ["Unknown", "1"]]) {
      expect(screen.getByText(label).nextElementSibling).toHaveTextContent(n);
    }
    expect(screen.getByText("13 per second")).toBeInTheDocument();
    expect(screen.getByText("about 2 min 30 s")).toBeInTheDocument();
    expect(screen.getByText("Live")).toBeInTheDocument();
  });

  it("never shows 100 % before the end, and shows done at the end", () => {
    const { rerender } = render(<ProgressPanel progress={{ ...base, percent: 99.9 }} />);
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "99");
    rerender(
      <ProgressPanel
        progress={{ ...base, state: "DONE", percent: 100, sent: 194, remaining: 0, etaSeconds: undefined, finishedAt: "2026-11-27T10:00:00Z" }}
        stream="closed"
      />,
    );
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
    expect(screen.getByTestId("run-state")).toHaveTextContent("Done");
    expect(screen.queryByText("Live")).not.toBeInTheDocument();
    expect(screen.getByText("Time left").nextElementSibling).toHaveTextContent("none");
  });

  it("before launch: no audience yet, no rate, unknown ETA", () => {
    render(
      <ProgressPanel
        progress={{ campaignId: "c1", state: "NOT_STARTED", frozen: false, audience: 0, sent: 0, failed: 0, skipped: 0, unknown: 0, remaining: 0, percent: 0 }}
        stream="reconnecting"
      />,
    );
    expect(screen.getByTestId("run-state")).toHaveTextContent("Not started");
    expect(screen.getByText("not frozen yet")).toBeInTheDocument();
    expect(screen.getByText("Rate").nextElementSibling).toHaveTextContent("—");
    expect(screen.getByText("unknown")).toBeInTheDocument();
    expect(screen.getByText("Connection lost, reconnecting…")).toBeInTheDocument();
  });

  it("says when live updates stopped, with the problem's detail", () => {
    render(<ProgressPanel progress={base} stream="failed" streamError={new ApiError(403, { detail: "Not allowed here" })} />);
    expect(within(screen.getByRole("alert")).getByText("Not allowed here")).toBeInTheDocument();
  });
});

describe("runState", () => {
  it("lets the campaign's status decide paused or running while the run's copy lags", () => {
    expect(runState({ ...base, state: "PAUSED" }, "RUNNING")).toBe("SENDING");
    expect(runState({ ...base, state: "PAUSED", frozen: false }, "RUNNING")).toBe("FREEZING");
    expect(runState({ ...base, state: "SENDING" }, "PAUSED")).toBe("PAUSED");
    expect(runState({ ...base, state: "DONE" }, "PAUSED")).toBe("DONE");
    expect(runState({ ...base, state: "CANCELLING" }, "CANCELLED")).toBe("CANCELLING");
    expect(runState({ ...base, state: undefined })).toBe("NOT_STARTED");
    // launched, but the run's row is not written yet
    expect(runState({ ...base, state: "NOT_STARTED", frozen: false }, "RUNNING")).toBe("FREEZING");
    expect(runState({ ...base, state: "NOT_STARTED", frozen: false }, "SCHEDULED")).toBe("NOT_STARTED");
  });

  it("shows the squared state", () => {
    render(<ProgressPanel progress={{ ...base, state: "SENDING" }} campaignStatus="PAUSED" />);
    expect(screen.getByTestId("run-state")).toHaveTextContent("Paused");
  });
});

describe("ProgressCard", () => {
  it("shows loading and the problem's detail", () => {
    const { rerender } = render(<ProgressCard query={{ isPending: true, isError: false, error: null }} stream={{ status: "connecting" }} />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading the progress…");
    rerender(
      <ProgressCard query={{ isPending: false, isError: true, error: new ApiError(404, { detail: "No campaign with id c1" }) }} stream={{ status: "closed" }} />,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("No campaign with id c1");
  });
});
