import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FailureNotice, FailureReasonLine } from "./FailureReason";
import { eventSummary, eventTitle } from "./history";
import { allowedActions, failureReasonLabel, STATUS_LABEL, STATUS_TONE } from "./status";

const FAILED = {
  status: "FAILED" as const,
  failureReason: "channel-not-configured",
  failureDetail: "The email channel is not configured: no send can go out",
};

describe("a FAILED campaign", () => {
  it("is labelled Failed, in red, and allows no action (the API answers 409)", () => {
    expect(STATUS_LABEL.FAILED).toBe("Failed");
    expect(STATUS_TONE.FAILED).toBe("red");
    expect(allowedActions("FAILED")).toEqual([]);
  });

  it("names its reason in words, and an unknown code as it is", () => {
    expect(failureReasonLabel("channel-not-configured")).toBe("The channel is not configured");
    expect(failureReasonLabel("segment-deleted")).toBe("The segment was deleted");
    expect(failureReasonLabel("something-new")).toBe("something-new");
    expect(failureReasonLabel(null)).toBe("");
  });

  it("shows the reason and the detail on its page", () => {
    render(<FailureNotice campaign={FAILED} />);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("This campaign failed: the channel is not configured");
    expect(alert).toHaveTextContent("The email channel is not configured: no send can go out");
    expect(alert).toHaveTextContent("channel-not-configured");
  });

  it("shows the reason under its status in the list, with the detail as the tooltip", () => {
    render(<FailureReasonLine campaign={FAILED} />);
    const line = screen.getByText("The channel is not configured");
    expect(line).toHaveAttribute("title", FAILED.failureDetail);
  });

  it("shows nothing of the kind for a campaign that did not fail", () => {
    const { container } = render(
      <>
        <FailureNotice campaign={{ status: "CANCELLED" }} />
        <FailureReasonLine campaign={{ status: "COMPLETED" }} />
      </>,
    );
    expect(container).toBeEmptyDOMElement();
  });

  it("tells in its history why it failed and from which status", () => {
    const entry = {
      type: "CampaignFailed",
      payload: { previousStatus: "RUNNING", reason: "segment-deleted", detail: "Segment 6f1c… no longer exists." },
    };
    expect(eventTitle(entry.type)).toBe("Failed");
    expect(eventSummary(entry)).toBe("Failed while running: the segment was deleted. Segment 6f1c… no longer exists.");
  });
});
