"use client";
import * as React from "react";
import * as CheckboxPrimitive from "@radix-ui/react-checkbox";
import * as RadioGroupPrimitive from "@radix-ui/react-radio-group";
import { cn } from "@/lib/utils";

export function Checkbox({ className, ...props }: React.ComponentProps<typeof CheckboxPrimitive.Root>) {
  return (
    <CheckboxPrimitive.Root
      className={cn(
        "peer h-4 w-4 shrink-0 rounded-sm border border-input bg-card shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-50 data-[state=checked]:border-primary data-[state=checked]:bg-primary data-[state=checked]:text-primary-foreground",
        className,
      )}
      {...props}
    >
      <CheckboxPrimitive.Indicator className="flex items-center justify-center">
        <svg aria-hidden viewBox="0 0 24 24" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="3">
          <path d="M5 12l5 5L20 7" />
        </svg>
      </CheckboxPrimitive.Indicator>
    </CheckboxPrimitive.Root>
  );
}

/** A checkbox with its label, clickable as a whole. */
export function CheckboxField({
  label,
  description,
  checked,
  onCheckedChange,
  disabled,
  id,
}: {
  label: React.ReactNode;
  description?: React.ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
  id?: string;
}) {
  const generated = React.useId();
  const controlId = id ?? `cb${generated}`;
  return (
    <div className="flex items-start gap-2">
      <Checkbox
        id={controlId}
        checked={checked}
        onCheckedChange={(v) => onCheckedChange(v === true)}
        disabled={disabled}
        className="mt-0.5"
        aria-labelledby={`${controlId}-label`}
        aria-describedby={description ? `${controlId}-description` : undefined}
      />
      <label htmlFor={controlId} className="text-sm leading-tight">
        <span id={`${controlId}-label`} className="font-medium">
          {label}
        </span>
        {description ? (
          <span id={`${controlId}-description`} className="block text-xs text-muted-foreground">
            {description}
          </span>
        ) : null}
      </label>
    </div>
  );
}

export const RadioGroup = ({ className, ...props }: React.ComponentProps<typeof RadioGroupPrimitive.Root>) => (
  <RadioGroupPrimitive.Root className={cn("grid gap-2", className)} {...props} />
);

/** A large, card-like radio option (e.g. the campaign channel). */
export function RadioCard({
  value,
  label,
  description,
  id,
}: {
  value: string;
  label: React.ReactNode;
  description?: React.ReactNode;
  id?: string;
}) {
  const generated = React.useId();
  const controlId = id ?? `rc${generated}`;
  return (
    <label
      htmlFor={controlId}
      className="flex cursor-pointer items-start gap-3 rounded-md border bg-card p-3 has-[[data-state=checked]]:border-primary has-[[data-state=checked]]:bg-primary/5"
    >
      <RadioGroupPrimitive.Item
        id={controlId}
        value={value}
        aria-labelledby={`${controlId}-label`}
        aria-describedby={description ? `${controlId}-description` : undefined}
        className="mt-0.5 flex h-4 w-4 shrink-0 items-center justify-center rounded-full border border-input bg-card focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring data-[state=checked]:border-primary"
      >
        <RadioGroupPrimitive.Indicator className="h-2 w-2 rounded-full bg-primary" />
      </RadioGroupPrimitive.Item>
      <span className="text-sm leading-tight">
        <span id={`${controlId}-label`} className="font-medium">
          {label}
        </span>
        {description ? (
          <span id={`${controlId}-description`} className="mt-0.5 block text-xs text-muted-foreground">
            {description}
          </span>
        ) : null}
      </span>
    </label>
  );
}
