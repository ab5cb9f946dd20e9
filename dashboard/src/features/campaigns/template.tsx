import { Badge } from "@/components/ui/badge";

/** The campaign list's template filter, as `template=` in the list's address and in the API's query. */
export type TemplateFilter = "all" | "templates" | "campaigns";

export const TEMPLATE_FILTERS: { value: TemplateFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "templates", label: "Templates" },
  { value: "campaigns", label: "Campaigns" },
];

/** `template=true` → templates, `template=false` → campaigns, anything else → all. */
export function templateFilterOf(param: string | null): TemplateFilter {
  return param === "true" ? "templates" : param === "false" ? "campaigns" : "all";
}

/** The `template` query parameter for a filter (undefined: both). */
export function templateParamOf(filter: TemplateFilter): boolean | undefined {
  return filter === "templates" ? true : filter === "campaigns" ? false : undefined;
}

export function TemplateBadge({ template }: { template: boolean | undefined }) {
  if (template !== true) return null;
  return (
    <Badge tone="violet" title="A template: copied by Duplicate and the daily n8n workflow, not sent itself">
      Template
    </Badge>
  );
}
