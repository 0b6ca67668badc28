/**
 * One scan of one account: identify the account, load each inventory kind once per region,
 * collect every policy's metric requests, fetch them in one batched pass, then let each
 * detector judge. A failing detector (or the inventory it needs) lands in `errors`; the
 * others still report.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { EndpointConfigCache } from "../aws/endpoint-inventory.ts";
import { callerAccount } from "../aws/identity.ts";
import { fetchMetrics } from "../aws/metric-batcher.ts";
import type { LoaderNote } from "../aws/s3-object-source.ts";
import type { Inventory, InventoryKind } from "../detectors/inventory.ts";
import type { MetricRequest, MetricResults } from "../detectors/metrics.ts";
import { getDetector } from "../detectors/registry.ts";
import type { DetectorContext, DetectResult, TagSettings } from "../detectors/types.ts";
import { errorMessage } from "../errors.ts";
import type { JanitorConfig, Policy } from "../policy/schema.ts";
import type { ExclusionSummary, Finding, ScanError, ScanReport } from "../types.ts";
import { INVENTORY_LOADERS, type LoaderOptions } from "./inventory-loaders.ts";

export interface ScanOptions {
  config: JanitorConfig;
  /** Clients for the default region; other regions are derived with forRegion. */
  clients: AwsClients;
  now: Date;
  /** Only these detector types (e.g. from `--detectors`). */
  detectors?: string[];
  /** Override the config's regions (e.g. from `--region`). */
  regions?: string[];
  endpointConfigCache?: EndpointConfigCache;
  onProgress?: (message: string) => void;
}

/** Something a loader wants the reader of the report to know (e.g. which source a bucket was read from). */
export interface ScanNote {
  detector: string;
  message: string;
}

export interface FullScanReport extends ScanReport {
  /** How the inventory was read, where it matters (S3 Inventory used or not, and why). */
  notes: ScanNote[];
  /** Resources a detector could not judge yet (too young, too little data): never flagged. */
  undetermined: ExclusionSummary[];
  /** Policies that ran, with their detector type. */
  policiesRun: Array<{ policy: string; detector: string; mode: string }>;
}

export function tagSettings(config: JanitorConfig): TagSettings {
  const t = config.tags;
  return {
    ownerTag: t.owner,
    teamTag: t.team,
    protectTag: t.protect,
    production: t.production,
    required: t.required,
  };
}

function summarize(detector: string, items: Array<{ reason: string }>): ExclusionSummary[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.reason, (counts.get(item.reason) ?? 0) + 1);
  return [...counts].map(([reason, count]) => ({ detector, reason, count }));
}

/** Groups "created 3.2 days ago…" style reasons under their first words so counts stay readable. */
function reasonFamily(reason: string): string {
  return reason.replace(/\d+(\.\d+)? days ago/, "recently");
}

export async function loadInventory(
  kinds: Set<InventoryKind>,
  clients: AwsClients,
  region: string,
  options: Pick<ScanOptions, "endpointConfigCache" | "onProgress"> & {
    /** The policies that will judge this inventory: each loader sees the params of those reading its kind. */
    policies?: readonly Policy[];
    now?: Date;
  },
): Promise<{
  inventory: Partial<Inventory>;
  failed: Map<InventoryKind, string>;
  /** What each loader said besides its records (LoaderNote: info, or a part it could not read). */
  notes: Map<InventoryKind, LoaderNote[]>;
}> {
  const inventory: Partial<Inventory> = {};
  const failed = new Map<InventoryKind, string>();
  const notes = new Map<InventoryKind, LoaderNote[]>();
  await Promise.all(
    [...kinds].map(async (kind) => {
      const loaderOptions: LoaderOptions = {
        ...(options.endpointConfigCache ? { endpointConfigCache: options.endpointConfigCache } : {}),
        ...(options.policies
          ? {
              policyParams: options.policies
                .filter((p) => inventoryOf(p).includes(kind))
                .map((p) => p.params),
            }
          : {}),
        ...(options.now ? { now: options.now } : {}),
        note: (n) => notes.set(kind, [...(notes.get(kind) ?? []), n]),
      };
      try {
        options.onProgress?.(`listing ${kind} in ${region}`);
        (inventory as Record<InventoryKind, unknown>)[kind] = await INVENTORY_LOADERS[kind](
          clients,
          region,
          loaderOptions,
        );
      } catch (err) {
        failed.set(kind, `could not list ${kind} in ${region}: ${errorMessage(err)}`);
      }
    }),
  );
  return { inventory, failed, notes };
}

/** The inventory kinds one policy reads: its detector's, narrowed by its params where it says so. */
export function inventoryOf(policy: Policy): readonly InventoryKind[] {
  const detector = getDetector(policy.type);
  return detector.inventoryFor?.(policy.params) ?? detector.inventory;
}

interface PolicyRun {
  policy: Policy;
  ctx: DetectorContext<unknown>;
  requests: MetricRequest[];
  error?: string;
}

export async function runScan(options: ScanOptions): Promise<FullScanReport> {
  const { config, now } = options;
  const { accountId } = await callerAccount(options.clients.sts);
  const wanted = options.detectors ? new Set(options.detectors) : undefined;
  const policies = config.policies.filter(
    (p) => (!wanted || wanted.has(p.type)) && !p.exclude.accounts.includes(accountId),
  );
  const regions = options.regions ?? config.regions;
  const findings = new Map<string, Finding>();
  const errors: ScanError[] = [];
  const excluded: ExclusionSummary[] = [];
  const undetermined: ExclusionSummary[] = [];
  const notes: ScanNote[] = [];
  const tags = tagSettings(config);

  for (const region of regions) {
    const clients =
      region === options.clients.options.region ? options.clients : options.clients.forRegion(region);
    const kinds = new Set(policies.flatMap((p) => inventoryOf(p)));
    const loaded = await loadInventory(kinds, clients, region, { ...options, policies, now });
    const { inventory, failed } = loaded;
    // A loader's notes go to every detector that reads its kind, once: an error keeps that
    // detector's earlier findings from being resolved (part of its inventory was not read).
    for (const [kind, said] of loaded.notes) {
      const detectors = new Set(policies.filter((p) => inventoryOf(p).includes(kind)).map((p) => p.type));
      for (const detector of detectors) {
        for (const n of said) {
          const entry = { detector, message: `${region}: ${n.message}` };
          if (n.level === "error") errors.push(entry);
          else notes.push(entry);
        }
      }
    }

    const runs: PolicyRun[] = policies.map((policy) => {
      const detector = getDetector(policy.type);
      const ctx: DetectorContext<unknown> = {
        policy: policy.name,
        params: policy.params,
        now,
        accountId,
        tags,
        exclude: { tags: policy.exclude.tags, namePatterns: policy.exclude.namePatterns },
      };
      const missing = inventoryOf(policy).find((k) => failed.has(k));
      if (missing) return { policy, ctx, requests: [], error: failed.get(missing)! };
      try {
        return { policy, ctx, requests: detector.metricRequests(inventory as Inventory, ctx) };
      } catch (err) {
        return { policy, ctx, requests: [], error: errorMessage(err) };
      }
    });

    const requests = runs.flatMap((r) => r.requests);
    let metrics: MetricResults = { get: () => undefined };
    let metricsError: string | undefined;
    if (requests.length > 0) {
      options.onProgress?.(`reading ${requests.length} metric series in ${region}`);
      try {
        metrics = await fetchMetrics(clients.cloudwatch, requests);
      } catch (err) {
        metricsError = `could not read CloudWatch metrics in ${region}: ${errorMessage(err)}`;
      }
    }

    for (const run of runs) {
      const detector = getDetector(run.policy.type);
      const error = run.error ?? (run.requests.length > 0 ? metricsError : undefined);
      if (error) {
        errors.push({ detector: detector.type, message: `${run.policy.name}: ${error}` });
        continue;
      }
      let result: DetectResult;
      try {
        result = detector.detect(inventory as Inventory, metrics, run.ctx);
      } catch (err) {
        errors.push({ detector: detector.type, message: `${run.policy.name}: ${errorMessage(err)}` });
        continue;
      }
      for (const f of result.findings) if (!findings.has(f.id)) findings.set(f.id, f);
      excluded.push(...summarize(detector.type, result.excluded));
      undetermined.push(
        ...summarize(
          detector.type,
          result.unknown.map((u) => ({ reason: reasonFamily(u.reason) })),
        ),
      );
    }
  }

  return {
    generatedAt: now.toISOString(),
    accountId,
    regions,
    findings: [...findings.values()].sort(
      (a, b) => b.monthlyCostUsd - a.monthlyCostUsd || a.id.localeCompare(b.id),
    ),
    errors,
    notes,
    excluded,
    undetermined,
    policiesRun: policies.map((p) => ({ policy: p.name, detector: p.type, mode: p.mode })),
  };
}
