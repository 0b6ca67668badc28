/** `janitor scan`: a read-only report of the account in the standard AWS configuration. */
import { AwsClients } from "../../aws/clients.ts";
import { AwsAccessError, ConfigError } from "../../errors.ts";
import { loadConfig } from "../../policy/load-config.ts";
import { type FullScanReport, runScan } from "../../scan/run-scan.ts";
import { renderFindings, renderSummary } from "../render-findings.ts";

export interface ScanCommandOptions {
  config: string;
  format: "table" | "json";
  detectors?: string;
  region?: string;
}

/** The documented JSON shape (docs/scan-json.md): stable field order, nothing internal. */
export function toJson(report: FullScanReport): string {
  const body = {
    generatedAt: report.generatedAt,
    accountId: report.accountId,
    regions: report.regions,
    findings: report.findings.map((f) => ({
      id: f.id,
      detector: f.detector,
      policy: f.policy,
      resource: f.resource,
      owner: f.owner,
      reason: f.reason,
      evidence: f.evidence,
      confidence: f.confidence,
      monthlyCostUsd: f.monthlyCostUsd,
      proposedAction: f.proposedAction,
    })),
    errors: report.errors,
    excluded: report.excluded,
    undetermined: report.undetermined,
  };
  return JSON.stringify(body, null, 2);
}

export async function scanCommand(options: ScanCommandOptions, out = console): Promise<number> {
  const detectors = options.detectors
    ?.split(",")
    .map((d) => d.trim())
    .filter(Boolean);
  let clients: AwsClients | undefined;
  try {
    const config = await loadConfig(options.config);
    const known = new Set(config.policies.map((p) => p.type));
    const unknown = detectors?.filter((d) => !known.has(d)) ?? [];
    if (unknown.length > 0) {
      out.error(
        `no policy in ${options.config} uses detector ${unknown.join(", ")}; configured: ${[...known].join(", ")}`,
      );
      return 2;
    }
    const region = options.region ?? process.env.AWS_REGION ?? config.regions[0];
    clients = new AwsClients(region ? { region } : {});
    const report = await runScan({
      config,
      clients,
      now: new Date(),
      ...(detectors ? { detectors } : {}),
      ...(options.region ? { regions: [options.region] } : {}),
      onProgress: options.format === "table" ? (m) => process.stderr.write(`… ${m}\n`) : undefined,
    });
    if (options.format === "json") out.log(toJson(report));
    else {
      out.log(renderFindings(report.findings));
      out.log(renderSummary(report));
    }
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      out.error(`${err.message}:`);
      for (const issue of err.issues) out.error(`  - ${issue}`);
      return 2;
    }
    if (err instanceof AwsAccessError) {
      out.error(`cannot scan: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    clients?.destroy();
  }
}
