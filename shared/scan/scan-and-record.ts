/** The nightly job: scan, then remember what was found (idempotently, keyed by the scan id). */
import type { JanitorStore, RecordScanResult } from "../store/types.ts";
import { type FullScanReport, runScan, type ScanOptions } from "./run-scan.ts";
import { wasteTotals } from "./totals.ts";

export interface ScanSummary {
  scanId: string;
  accountId: string;
  findings: number;
  totalMonthlyUsd: number;
  recorded: RecordScanResult;
  errors: FullScanReport["errors"];
  excluded: FullScanReport["excluded"];
  undetermined: FullScanReport["undetermined"];
  notes: FullScanReport["notes"];
}

export async function scanAndRecord(
  options: ScanOptions & { store: JanitorStore; scanId: string },
): Promise<{ summary: ScanSummary; report: FullScanReport }> {
  const report = await runScan(options);
  // Resolve only what the detectors that actually ran (without error) own.
  const failed = new Set(report.errors.map((e) => e.detector));
  const detectorsRun = [...new Set(report.policiesRun.map((p) => p.detector))].filter((d) => !failed.has(d));
  const recorded = await options.store.recordScan({
    scanId: options.scanId,
    at: options.now,
    findings: report.findings,
    detectorsRun,
  });
  const totalMonthlyUsd = wasteTotals(report.findings).wasteMonthlyUsd;
  return {
    report,
    summary: {
      scanId: options.scanId,
      accountId: report.accountId,
      findings: report.findings.length,
      totalMonthlyUsd: Math.round(totalMonthlyUsd * 100) / 100,
      recorded,
      errors: report.errors,
      excluded: report.excluded,
      undetermined: report.undetermined,
      notes: report.notes,
    },
  };
}

/** A scheduled event's time is the same on every redelivery: a stable scan id. */
export function scanIdFor(scheduledTime: string): string {
  return `scheduled-${scheduledTime.replace(/[^0-9TZ]/g, "")}`;
}
