"use client";
import type { Schemas } from "@/api/client";
import { ProblemAlert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Loading } from "@/components/ui/states";
import { useCampaignReport } from "./api";

type Engagement = Schemas["Engagement"];
type Rate = Schemas["Rate"];

/** A rate (0–1) as a percentage with one decimal; a dash when undefined (nothing sent, nobody opened). */
export function formatRate(value: number | undefined): string {
  return value === undefined || value === null ? "–" : `${(value * 100).toFixed(1)} %`;
}

function count(value: number | undefined) {
  return (value ?? 0).toLocaleString();
}

/** Opens, clicks and rates of a launched campaign, people's beside all traffic's, and clicks per link. */
export function CampaignReportCard({ campaignId }: { campaignId: string }) {
  const query = useCampaignReport(campaignId);
  const report = query.data;
  const rows: [string, Engagement | undefined][] = [
    ["Opened", report?.opened],
    ["Clicked", report?.clicked],
  ];
  const rates: [string, Rate | undefined][] = [
    ["Click-through (clickers / sent)", report?.clickThroughRate],
    ["Click-to-open (clickers / openers)", report?.clickToOpenRate],
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Report</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4">
        {query.isPending ? <Loading /> : null}
        {query.isError ? <ProblemAlert error={query.error} title="The report could not be loaded" /> : null}
        {report ? (
          <>
            <table className="w-full text-sm" aria-label="Opens and clicks">
              <thead className="text-left text-xs text-muted-foreground">
                <tr>
                  <th />
                  <th>People</th>
                  <th>All traffic</th>
                </tr>
              </thead>
              <tbody className="tabular-nums">
                {rows.map(([label, e]) => (
                  <tr key={label}>
                    <th className="text-left font-normal text-muted-foreground">{label}</th>
                    <td data-testid={`report-${label.toLowerCase()}-human`}>
                      {count(e?.uniqueHuman)} <span className="text-muted-foreground">({count(e?.totalHuman)} in all)</span>
                    </td>
                    <td>
                      {count(e?.uniqueAll)} <span className="text-muted-foreground">({count(e?.totalAll)} in all)</span>
                    </td>
                  </tr>
                ))}
                {rates.map(([label, r]) => (
                  <tr key={label}>
                    <th className="text-left font-normal text-muted-foreground">{label}</th>
                    <td>{formatRate(r?.human)}</td>
                    <td>{formatRate(r?.all)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="text-xs text-muted-foreground">
              People: opens and clicks not taken for a machine&apos;s (image proxies, link scanners). Bounces, complaints and
              unsubscribes per campaign are not recorded yet.
            </p>
            {report.links && report.links.length > 0 ? (
              <table className="w-full text-sm" aria-label="Clicks per link">
                <thead className="text-left text-xs text-muted-foreground">
                  <tr>
                    <th>Link</th>
                    <th>People</th>
                    <th>All traffic</th>
                  </tr>
                </thead>
                <tbody className="tabular-nums">
                  {report.links.map((link) => (
                    <tr key={link.index}>
                      <td className="max-w-64 truncate" title={link.url}>
                        {link.url}
                      </td>
                      <td>{count(link.uniqueHuman)}</td>
                      <td>{count(link.uniqueAll)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
