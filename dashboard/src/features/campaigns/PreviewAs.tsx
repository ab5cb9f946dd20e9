"use client";
import * as React from "react";
import { errorMessage } from "@/api/problem";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";
import { contactLabel, type ContactFinder, type PreviewContact } from "./preview";

/**
 * "Preview as": the sample contact (the default) or a contact found with the contacts search.
 * A combobox (ARIA 1.2 pattern): type to search, arrow keys to move through the matches, Enter to
 * choose, Escape to close the list (or clear the search).
 */
export function PreviewAs({
  value,
  onChange,
  findContacts,
  delayMs = 250,
}: {
  value: PreviewContact | null;
  onChange: (contact: PreviewContact | null) => void;
  findContacts: ContactFinder;
  delayMs?: number;
}) {
  const id = React.useId();
  const inputId = `preview-as${id}`;
  const listId = `preview-as-list${id}`;
  const currentId = `preview-as-current${id}`;
  const [text, setText] = React.useState("");
  const [open, setOpen] = React.useState(false);
  const [active, setActive] = React.useState(-1);
  const [search, setSearch] = React.useState<{ results: PreviewContact[]; pending: boolean; error?: string }>({ results: [], pending: false });

  React.useEffect(() => {
    const q = text.trim();
    if (!q) {
      setSearch({ results: [], pending: false });
      return;
    }
    const controller = new AbortController();
    setSearch((s) => ({ ...s, pending: true, error: undefined }));
    const timer = setTimeout(() => {
      findContacts(q, controller.signal).then(
        (results) => {
          if (controller.signal.aborted) return;
          setSearch({ results, pending: false });
          setActive(results.length ? 0 : -1);
        },
        (e) => !controller.signal.aborted && setSearch({ results: [], pending: false, error: errorMessage(e) }),
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, findContacts, delayMs]);

  const results = search.results;
  const expanded = open && !!text.trim();

  function choose(contact: PreviewContact) {
    onChange(contact);
    setText("");
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      if (results.length) setActive((a) => (a + 1) % results.length);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setOpen(true);
      if (results.length) setActive((a) => (a <= 0 ? results.length - 1 : a - 1));
    } else if (e.key === "Enter") {
      // never submits the wizard's form (that would move to the next step)
      e.preventDefault();
      if (expanded && active >= 0 && results[active]) choose(results[active]);
    } else if (e.key === "Escape") {
      if (expanded) {
        e.preventDefault();
        setOpen(false);
      } else if (text) {
        e.preventDefault();
        setText("");
      }
    }
  }

  let status: string | null = null;
  if (expanded) {
    if (search.error) status = `The contacts could not be searched: ${search.error}`;
    else if (search.pending) status = "Searching…";
    else if (!results.length) status = "No contact matches.";
  }

  return (
    <div className="space-y-1.5">
      <Label htmlFor={inputId} className="block">
        Preview as
      </Label>
      <p id={currentId} className="flex flex-wrap items-center gap-2 text-sm" aria-live="polite">
        <span>
          <span className="text-muted-foreground">Previewing for: </span>
          <span className="font-medium" data-testid="preview-as-current">
            {value ? contactLabel(value) : "Sample contact"}
          </span>
        </span>
        {value ? (
          <Button variant="link" size="sm" className="h-auto p-0" onClick={() => onChange(null)}>
            Use the sample contact
          </Button>
        ) : null}
      </p>
      <div className="relative">
        <Input
          id={inputId}
          type="search"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded && active >= 0 && results[active] ? `${listId}-${active}` : undefined}
          aria-describedby={currentId}
          placeholder="Search contacts by email or external id"
          autoComplete="off"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          onFocus={() => text.trim() && setOpen(true)}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Contacts"
          hidden={!expanded || !results.length}
          className="absolute z-10 mt-1 max-h-60 w-full overflow-auto rounded-md border bg-card py-1 text-sm shadow-md"
        >
          {results.map((c, i) => (
            <li
              key={c.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              // keeps the focus in the search box (a blur would close the list before the click)
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(c)}
              onMouseEnter={() => setActive(i)}
              className={cn("cursor-pointer px-3 py-1.5", i === active && "bg-primary/10 text-primary")}
            >
              <span className="font-medium">{contactLabel(c)}</span>
              {c.email && c.externalId ? <span className="ml-2 text-xs text-muted-foreground">{c.externalId}</span> : null}
            </li>
          ))}
        </ul>
        {status ? (
          <p role="status" className={cn("mt-1 text-xs", search.error ? "font-medium text-destructive" : "text-muted-foreground")}>
            {status}
          </p>
        ) : null}
      </div>
    </div>
  );
}
