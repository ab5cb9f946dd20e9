import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { CampaignView } from "@/api/client";
import { ApiError } from "@/api/problem";
import { defaultCopyName, DuplicateCampaign } from "./DuplicateCampaign";

const source: CampaignView = { id: "s1", name: "Daily digest", channel: "SMS", status: "DRAFT", template: true };

function setup(duplicate: (name: string | undefined) => Promise<CampaignView>) {
  const onDuplicated = vi.fn();
  const spy = vi.fn(duplicate);
  const user = userEvent.setup();
  render(<DuplicateCampaign campaign={source} duplicate={spy} onDuplicated={onDuplicated} />);
  return { user, duplicate: spy, onDuplicated };
}

describe("duplicate a campaign", () => {
  it("names the copy as the API would when no name is given", () => {
    expect(defaultCopyName("Daily digest")).toBe("Daily digest (copy)");
    const long = defaultCopyName("x".repeat(200));
    expect(long).toHaveLength(200);
    expect(long.endsWith(" (copy)")).toBe(true);
  });

  it("copies straight away with the default name, then hands the copy over", async () => {
    const { user, duplicate, onDuplicated } = setup(async () => ({ id: "c2", name: "Daily digest (copy)", status: "DRAFT" }));
    await user.click(screen.getByRole("button", { name: "Duplicate" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog).toHaveAccessibleDescription(/not a template/);
    expect(screen.getByLabelText(/Name of the copy/)).toHaveAttribute("placeholder", "Daily digest (copy)");
    await user.click(screen.getAllByRole("button", { name: "Duplicate" }).at(-1)!);
    expect(duplicate).toHaveBeenCalledWith(undefined);
    expect(onDuplicated).toHaveBeenCalledWith(expect.objectContaining({ id: "c2" }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
  });

  it("sends the name typed (trimmed), also on Enter", async () => {
    const { user, duplicate } = setup(async () => ({ id: "c3" }));
    await user.click(screen.getByRole("button", { name: "Duplicate" }));
    await user.type(screen.getByLabelText(/Name of the copy/), "  Monday digest {enter}");
    expect(duplicate).toHaveBeenCalledWith("Monday digest");
  });

  it("shows the API's problem and stays open", async () => {
    const { user, onDuplicated } = setup(async () => {
      throw new ApiError(404, { status: 404, code: "campaign.not-found", title: "Not found", detail: "No campaign s1" });
    });
    await user.click(screen.getByRole("button", { name: "Duplicate" }));
    await user.click(screen.getAllByRole("button", { name: "Duplicate" }).at(-1)!);
    expect(await screen.findByText("The campaign was not copied")).toBeInTheDocument();
    expect(screen.getByText("No campaign s1")).toBeInTheDocument();
    expect(screen.getByRole("alertdialog")).toBeInTheDocument();
    expect(onDuplicated).not.toHaveBeenCalled();
  });

  it("refuses a name over 200 characters before asking", async () => {
    const { user, duplicate } = setup(async () => ({ id: "c4" }));
    await user.click(screen.getByRole("button", { name: "Duplicate" }));
    const field = screen.getByLabelText(/Name of the copy/);
    await user.click(field);
    await user.paste("y".repeat(201));
    expect(field).toHaveAccessibleDescription(/At most 200/);
    await user.click(screen.getAllByRole("button", { name: "Duplicate" }).at(-1)!);
    expect(duplicate).not.toHaveBeenCalled();
  });
});
