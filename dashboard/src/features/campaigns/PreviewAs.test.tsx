import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CampaignView } from "@/api/client";

vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: React.ReactNode }) => (
    <a href={href} {...rest}>
      {children}
    </a>
  ),
}));

/** The typed client, stood in for: the contacts search (GET) and the template preview (POST). */
const GET = vi.fn();
const POST = vi.fn();
vi.mock("@/api/client", async () => {
  const { call } = await import("@/api/call");
  return { api: { GET: (...args: unknown[]) => GET(...args), POST: (...args: unknown[]) => POST(...args) }, call };
});

const { CampaignWizard } = await import("./CampaignWizard");
const { emptyDraft } = await import("./draft");

const ok = (data: unknown) => ({ data, response: new Response(null, { status: 200 }) });
const problem = (status: number, error: unknown) => ({ error, response: new Response(null, { status }) });

const GRACE = { id: "6f1c2a9e-0000-4000-8000-000000000001", email: "grace@example.com", externalId: "crm-7" };

type PreviewBody = { template: string; format: string; contactId?: string; variables?: unknown };

/** Herald's preview: the sample contact is Ada; a known contact is themselves; an unknown id is a 404. */
function previewApi(known = true) {
  POST.mockImplementation(async (path: string, init: { body: PreviewBody }) => {
    expect(path).toBe("/api/templates/preview");
    const { template, format, contactId } = init.body;
    if (contactId && !known) {
      return problem(404, { status: 404, code: "contact.not-found", detail: `There is no contact ${contactId}.` });
    }
    const name = contactId === GRACE.id ? "Grace" : "Ada";
    return ok({ rendered: template.replace(/\{\{\s*first_name\s*\}\}/g, name), format, sampleContact: !contactId, contactId });
  });
}

function contactsApi() {
  GET.mockImplementation(async (path: string, init: { params: { query: { email?: string; externalId?: string } } }) => {
    expect(path).toBe("/api/contacts");
    const q = init.params.query;
    const items = q.email && "grace@example.com".startsWith(q.email) ? [GRACE] : [];
    return ok({ items, page: 0, size: 8, totalItems: items.length, totalPages: 1 });
  });
}

async function toSmsContent() {
  const user = userEvent.setup();
  render(
    <CampaignWizard
      initial={emptyDraft("UTC")}
      onSave={async () => ({ id: "c1", name: "x" }) as CampaignView}
      onSaved={() => {}}
      cancelHref="/campaigns/"
    />,
  );
  await user.type(screen.getByLabelText("Campaign name"), "Sale");
  await user.click(screen.getByRole("radio", { name: "SMS" }));
  await user.click(screen.getByRole("button", { name: "Next" }));
  await user.type(screen.getByLabelText("Message"), "Hi {{{{ first_name }}!");
  return user;
}

const bodies = () => POST.mock.calls.map(([, init]) => (init as { body: PreviewBody }).body);

afterEach(() => {
  GET.mockReset();
  POST.mockReset();
});

describe("preview as", () => {
  it("previews for the sample contact by default, then for the contact chosen with the keyboard", async () => {
    previewApi();
    contactsApi();
    const user = await toSmsContent();
    const preview = screen.getByRole("region", { name: "Preview" });
    const picker = screen.getByRole("combobox", { name: "Preview as" });

    // the default: Herald's sample contact, no contactId sent
    expect(screen.getByTestId("preview-as-current")).toHaveTextContent("Sample contact");
    expect(await within(preview).findByText("Hi Ada!")).toBeInTheDocument();
    expect(bodies().every((b) => b.contactId === undefined)).toBe(true);

    // search, move to the match and choose it with Enter (the form is not submitted)
    await user.type(picker, "grace");
    const option = await screen.findByRole("option", { name: /grace@example\.com/ });
    expect(picker).toHaveAttribute("aria-expanded", "true");
    expect(GET).toHaveBeenCalledWith("/api/contacts", expect.objectContaining({ params: { query: expect.objectContaining({ email: "grace" }) } }));
    await user.keyboard("{ArrowDown}");
    expect(picker).toHaveAttribute("aria-activedescendant", option.id);
    await user.keyboard("{Enter}");
    expect(screen.getByRole("heading", { level: 2 })).toHaveTextContent("Content");

    expect(screen.getByTestId("preview-as-current")).toHaveTextContent("grace@example.com");
    expect(await within(preview).findByText("Hi Grace!")).toBeInTheDocument();
    expect(within(preview).getByText(/Rendered by Herald as it would be sent, to/)).toHaveTextContent("grace@example.com");
    expect(bodies().at(-1)).toEqual({ template: "Hi {{ first_name }}!", format: "TEXT", contactId: GRACE.id });
    expect(picker).toHaveAttribute("aria-expanded", "false");

    // and back to the sample contact
    await user.click(screen.getByRole("button", { name: "Use the sample contact" }));
    expect(screen.getByTestId("preview-as-current")).toHaveTextContent("Sample contact");
    expect(await within(preview).findByText("Hi Ada!")).toBeInTheDocument();
    expect(bodies().at(-1)).toEqual({ template: "Hi {{ first_name }}!", format: "TEXT" });
  });

  it("shows the problem detail when the preview for the chosen contact fails", async () => {
    previewApi(false);
    contactsApi();
    const user = await toSmsContent();
    const preview = screen.getByRole("region", { name: "Preview" });
    await user.type(screen.getByRole("combobox", { name: "Preview as" }), "grace@");
    await user.click(await screen.findByRole("option", { name: /grace@example\.com/ }));
    expect(await within(preview).findByText(`There is no contact ${GRACE.id}.`)).toBeInTheDocument();
  });

  it("says when no contact matches", async () => {
    previewApi();
    contactsApi();
    const user = await toSmsContent();
    await user.type(screen.getByRole("combobox", { name: "Preview as" }), "nobody");
    expect(await screen.findByText("No contact matches.")).toBeInTheDocument();
    // nothing matched the email: the external id is tried too
    await waitFor(() => expect(GET).toHaveBeenCalledWith("/api/contacts", expect.objectContaining({ params: { query: expect.objectContaining({ externalId: "nobody" }) } })));
    expect(screen.queryByRole("option")).not.toBeInTheDocument();
  });
});
