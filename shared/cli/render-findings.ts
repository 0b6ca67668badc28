/** The findings table people read in a terminal: what, whose, why, how much, what next. */
import Table from "cli-table3";
import { formatUsd } from "../pricing/monthly-cost.ts";
import { wasteTotals } from "../scan/totals.ts";
import type { ExclusionSummary, Finding, ScanError } from "../types.ts";

function ownerText(f: Finding): string {
  return f.owner.email ?? (f.owner.team ? `team ${f.owner.team}` : "unknown");
}

export function renderFindings(findings: Finding[], width = process.stdout.columns ?? 120): string {
  const whyWidth = Math.max(30, Math.min(60, width - 95));
  const table = new Table({
    head: ["Resource", "Type", "Owner", "Why", "$/month", "Proposed"],
    colWidths: [26, 22, 22, whyWidth, 11, 10],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const f of findings) {
    table.push([
      f.resource.id,
      f.resource.type,
      ownerText(f),
      f.reason,
      formatUsd(f.monthlyCostUsd),
      f.proposedAction,
    ]);
  }
  return table.toString();
}

/** Waste counted once per resource (see shared/scan/totals.ts). */
export function totalMonthly(findings: Finding[]): number {
  return wasteTotals(findings).wasteMonthlyUsd;
}

export function renderSummary(report: {
  findings: Finding[];
  errors: ScanError[];
  excluded: ExclusionSummary[];
  undetermined?: ExclusionSummary[];
  /** What loaders said besides their records (e.g. which S3 source a bucket was read from). */
  notes?: ScanError[];
}): string {
  const lines: string[] = [];
  const { wasteMonthlyUsd: total, recommendationsMonthlyUsd: recommended } = wasteTotals(report.findings);
  lines.push(
    `${report.findings.length} finding${report.findings.length === 1 ? "" : "s"}, ` +
      `waste found: ${formatUsd(total)} per month (${formatUsd(total * 12)} per year), at list prices` +
      (recommended > 0 ? `; right-sizing could save ${formatUsd(recommended)} per month more.` : "."),
  );
  for (const x of report.excluded) lines.push(`  excluded by ${x.detector}: ${x.count} × ${x.reason}`);
  for (const x of report.undetermined ?? [])
    lines.push(`  not judged by ${x.detector}: ${x.count} × ${x.reason}`);
  for (const n of report.notes ?? []) lines.push(`  note from ${n.detector}: ${n.message}`);
  for (const e of report.errors) lines.push(`  ERROR in ${e.detector}: ${e.message}`);
  return lines.join("\n");
}
