import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { CampaignView } from "@/api/client";
import { ApiError } from "@/api/problem";
import { CampaignWizard } from "./CampaignWizard";
import { emptyDraft, draftOf } from "./draft";
import { SaveError, type SaveInput } from "./api";

vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: React.ReactNode }) => (
    <a href={href} {...rest}>
      {children}
    </a>
  ),
}));

const NOW = new Date("2026-06-01T12:00:00Z");

/** Stands in for POST /api/templates/preview: fills {{ first_name }}, refuses an unclosed tag. */
const previewer = vi.fn(async (template: string) => {
  if (template.includes("{{") && !template.includes("}}")) {
    throw new ApiError(422, { status: 422, code: "template.invalid", detail: "Unclosed tag (line 1, column 4)" });
  }
  return template.replace(/\{\{\s*first_name\s*\}\}/g, "Ada");
});

function setup(opts: { onSave?: (i: SaveInput) => Promise<CampaignView>; campaign?: CampaignView } = {}) {
  const onSave = vi.fn(opts.onSave ?? (async () => ({ id: "c1", name: "x" }) as CampaignView));
  const onSaved = vi.fn();
  const user = userEvent.setup();
  render(
    <CampaignWizard
      initial={opts.campaign ? draftOf(opts.campaign, "UTC") : emptyDraft("Europe/Paris")}
      campaign={opts.campaign}
      onSave={onSave}
      onSaved={onSaved}
      cancelHref="/campaigns/"
      previewer={previewer}
      now={() => NOW}
    />,
  );
  return { user, onSave, onSaved };
}

const next = () => screen.getByRole("button", { name: "Next" });
const heading = () => screen.getByRole("heading", { level: 2 });

describe("campaign wizard", () => {
  it("does not leave the first step until it has a name and a channel", async () => {
    const { user } = setup();
    await user.click(next());
    expect(heading()).toHaveTextContent("Basics");
    expect(screen.getByLabelText("Campaign name")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Campaign name")).toHaveAccessibleDescription(/Give the campaign a name/);
    expect(screen.getByText("Choose a channel.")).toBeInTheDocument();
    // focus goes to the first invalid field
    expect(screen.getByLabelText("Campaign name")).toHaveFocus();

    await user.type(screen.getByLabelText("Campaign name"), "Winter sale");
    // the error goes away as soon as the field is fixed
    expect(screen.getByLabelText("Campaign name")).not.toHaveAttribute("aria-invalid");
    await user.click(screen.getByRole("radio", { name: "Webhook" }));
    await user.click(next());
    expect(heading()).toHaveTextContent("Content");
  });

  it("shows the fields of the chosen channel and checks them", async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText("Campaign name"), "Sale");
    await user.click(screen.getByRole("radio", { name: "SMS" }));
    await user.click(next());
    expect(screen.queryByLabelText("Subject")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("URL")).not.toBeInTheDocument();
    const message = screen.getByLabelText("Message");
    await user.click(next());
    expect(message).toHaveAccessibleDescription(/An SMS needs a text/);
    await user.click(message);
    await user.paste("a".repeat(1601));
    await user.click(next());
    expect(message).toHaveAccessibleDescription(/at most 1600 characters/);
    expect(heading()).toHaveTextContent("Content");

    // switch to email: subject and bodies appear, and an email needs a subject
    await user.click(screen.getByRole("button", { name: /Basics/ }));
    await user.click(screen.getByRole("radio", { name: "Email" }));
    await user.click(next());
    expect(screen.getByLabelText("Subject")).toBeInTheDocument();
    expect(screen.getByLabelText(/HTML body/)).toBeInTheDocument();
    await user.click(next());
    expect(screen.getByLabelText("Subject")).toHaveAccessibleDescription(/needs a subject/);
  });

  it("previews the message as Herald renders it, and shows a template error", async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText("Campaign name"), "Sale");
    await user.click(screen.getByRole("radio", { name: "SMS" }));
    await user.click(next());
    await user.type(screen.getByLabelText("Message"), "Hi {{{{ first_name }}, sale!");
    const preview = screen.getByRole("region", { name: "Preview" });
    expect(await within(preview).findByText("Hi Ada, sale!")).toBeInTheDocument();
    await user.clear(screen.getByLabelText("Message"));
    await user.type(screen.getByLabelText("Message"), "Hi {{{{ first_name");
    expect(await within(preview).findByText(/Unclosed tag \(line 1, column 4\)/)).toBeInTheDocument();
  });

  it("refuses a URL that is not absolute http(s), and a bad throttle", async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText("Campaign name"), "Hook");
    await user.click(screen.getByRole("radio", { name: "Webhook" }));
    await user.click(next());
    await user.type(screen.getByLabelText("URL"), "example.com/hook");
    await user.click(next());
    expect(screen.getByLabelText("URL")).toHaveAccessibleDescription(/absolute http/);
    await user.clear(screen.getByLabelText("URL"));
    await user.type(screen.getByLabelText("URL"), "http://127.0.0.1:9000/sink");
    await user.click(next());
    expect(heading()).toHaveTextContent("Audience");
    await user.type(screen.getByLabelText(/Throttle/), "0");
    await user.click(next());
    expect(screen.getByLabelText(/Throttle/)).toHaveAccessibleDescription(/at least 1/);
    await user.clear(screen.getByLabelText(/Throttle/));
    await user.type(screen.getByLabelText(/Throttle/), "50");
    await user.click(next());
    expect(heading()).toHaveTextContent("Schedule");
  });

  it("checks the schedule in the chosen time zone and saves the campaign", async () => {
    const { user, onSave, onSaved } = setup();
    await user.type(screen.getByLabelText("Campaign name"), "Hook");
    await user.click(screen.getByRole("radio", { name: "Webhook" }));
    await user.click(next());
    await user.type(screen.getByLabelText("URL"), "https://example.com/hook");
    await user.click(next());
    await user.click(next());
    await user.click(screen.getByRole("radio", { name: "Schedule" }));
    const when = screen.getByLabelText("Date and time");
    const zone = screen.getByLabelText("Time zone");
    expect(zone).toHaveValue("Europe/Paris");
    await user.click(next());
    expect(when).toHaveAccessibleDescription(/Choose the date and time/);
    // 13:30 in Paris is 11:30 UTC: before "now" (12:00 UTC)
    await user.type(when, "2026-06-01T13:30");
    await user.click(next());
    expect(when).toHaveAccessibleDescription(/in the future/);
    // the same wall-clock time in New York is 17:30 UTC
    await user.selectOptions(zone, "America/New_York");
    await user.click(next());
    expect(heading()).toHaveTextContent("Review");
    expect(screen.getByText(/America\/New_York/)).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Create and schedule" }));
    expect(onSave).toHaveBeenCalledTimes(1);
    const input = onSave.mock.calls[0][0];
    expect(input.existingId).toBeUndefined();
    expect(input.newId).toMatch(/^[0-9a-f-]{36}$/);
    expect(input.definition).toEqual({
      name: "Hook",
      channel: "WEBHOOK",
      content: { url: "https://example.com/hook", payload: undefined },
      segmentId: undefined,
      throttlePerSecond: undefined,
      template: false,
      transactional: false,
    });
    expect(input.schedule).toEqual({ sendAt: "2026-06-01T13:30", timeZone: "America/New_York" });
    expect(onSaved).toHaveBeenCalled();
  });

  it("shows the API's refusal on the field it names, and retries a half-done create as an edit", async () => {
    const refusal = new ApiError(400, {
      status: 400,
      code: "campaign.schedule.in-past",
      detail: "sendAt must be in the future",
      errors: [{ field: "sendAt", message: "sendAt must be in the future" }],
    });
    let calls = 0;
    const { user, onSave } = setup({
      onSave: async () => {
        calls += 1;
        if (calls === 1) throw new SaveError("schedule", refusal, "created-id");
        return { id: "created-id" } as CampaignView;
      },
    });
    await user.type(screen.getByLabelText("Campaign name"), "Hook");
    await user.click(screen.getByRole("radio", { name: "Webhook" }));
    await user.click(next());
    await user.type(screen.getByLabelText("URL"), "https://example.com/hook");
    await user.click(next());
    await user.click(next());
    await user.click(screen.getByRole("radio", { name: "Schedule" }));
    await user.type(screen.getByLabelText("Date and time"), "2026-08-01T09:00");
    await user.click(next());
    await user.click(screen.getByRole("button", { name: "Create and schedule" }));

    // back on the schedule step, with the API's words under the field and in the alert
    expect(heading()).toHaveTextContent("Schedule");
    expect(screen.getByLabelText("Date and time")).toHaveAccessibleDescription(/sendAt must be in the future/);
    const alert = screen.getAllByRole("alert").find((a) => within(a).queryByText("Could not save the campaign"));
    expect(alert).toBeTruthy();
    expect(screen.getByText(/saved as a draft, but it could not be scheduled/)).toBeInTheDocument();

    await user.click(next());
    await user.click(screen.getByRole("button", { name: "Create and schedule" }));
    expect(onSave).toHaveBeenCalledTimes(2);
    expect(onSave.mock.calls[1][0].existingId).toBe("created-id");
  });

  it("opens an existing campaign on any step and keeps its schedule unless asked", async () => {
    const campaign: CampaignView = {
      id: "c9",
      name: "Existing",
      channel: "EMAIL",
      content: { subject: "Hi", body: "Hello" },
      status: "SCHEDULED",
      sendAt: "2026-12-24T08:00:00Z",
      timeZone: "Europe/Paris",
    };
    const { user, onSave } = setup({ campaign });
    await user.click(screen.getByRole("button", { name: /Review/ }));
    expect(screen.getByText(/unchanged: .*Europe\/Paris/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    const input = onSave.mock.calls[0][0];
    expect(input.existingId).toBe("c9");
    expect(input.definitionChanged).toBe(false);
    expect(input.schedule).toBeUndefined();
  });

  it("marks a new campaign as a template and says so in the review", async () => {
    const { user, onSave } = setup();
    await user.type(screen.getByLabelText("Campaign name"), "Daily digest");
    await user.click(screen.getByRole("radio", { name: "SMS" }));
    const box = screen.getByRole("checkbox", { name: "Use as a template" });
    expect(box).not.toBeChecked();
    expect(box).toHaveAccessibleDescription(/daily n8n workflow/);
    await user.click(box);
    expect(box).toBeChecked();
    await user.click(next());
    await user.type(screen.getByLabelText("Message"), "Hi {{ first_name }}");
    await user.click(next());
    await user.click(next());
    expect(heading()).toHaveTextContent("Schedule");
    // a scheduled template would send itself: said before it is saved
    expect(screen.queryByText("This campaign is a template")).not.toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: "Schedule" }));
    expect(screen.getByText("This campaign is a template")).toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: "Keep as a draft" }));
    expect(screen.queryByText("This campaign is a template")).not.toBeInTheDocument();
    await user.click(next());
    expect(heading()).toHaveTextContent("Review");
    expect(screen.getByText("yes: copied, not sent itself")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Create campaign" }));
    expect(onSave.mock.calls[0][0].definition).toMatchObject({ name: "Daily digest", template: true, transactional: false });
  });

  it("keeps a template's and a transactional campaign's marks on an edit, and unmarks only when asked", async () => {
    const campaign: CampaignView = {
      id: "t1",
      name: "Daily digest",
      channel: "SMS",
      content: { body: "Hi" },
      status: "DRAFT",
      template: true,
      transactional: true,
    };
    const { user, onSave } = setup({ campaign });
    // an edit of something else still sends both marks (an update without them unmarks the campaign)
    const name = screen.getByLabelText("Campaign name");
    expect(screen.getByRole("checkbox", { name: "Use as a template" })).toBeChecked();
    await user.type(name, "!");
    await user.click(screen.getByRole("button", { name: /Review/ }));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    const input = onSave.mock.calls[0][0];
    expect(input.definitionChanged).toBe(true);
    expect(input.definition).toMatchObject({ name: "Daily digest!", template: true, transactional: true });
  });

  it("unmarks a template when the box is cleared", async () => {
    const campaign: CampaignView = { id: "t2", name: "Weekly", channel: "SMS", content: { body: "Hi" }, status: "DRAFT", template: true };
    const { user, onSave } = setup({ campaign });
    await user.click(screen.getByRole("checkbox", { name: "Use as a template" }));
    await user.click(screen.getByRole("button", { name: /Review/ }));
    expect(screen.getAllByText("no").length).toBeGreaterThan(0);
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    const input = onSave.mock.calls[0][0];
    expect(input.definitionChanged).toBe(true);
    expect(input.definition).toMatchObject({ template: false, transactional: false });
  });
});
