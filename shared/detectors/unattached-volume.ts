/**
 * `unattached-volume` — EBS volumes `available` (attached to nothing) for at least N days: what
 * training runs and notebooks leave behind, billed by size (and provisioned IOPS/throughput)
 * whether used or not.
 *
 * How long a volume has been available: AWS records no "detached at" time. Two facts bound it:
 * the volume's `createTime` (it cannot have been available for longer than it existed, so a
 * volume younger than N days is not judged), and CloudWatch: EBS publishes its AWS/EBS metrics
 * only while the volume is attached to a running instance, so datapoints inside the window mean
 * it was in use then (not judged: the next scans will see it age), and none means no running
 * instance used it for the whole window. With that check (the default) a finding is high
 * confidence; without it (`confirmWithMetrics: false`), only `createTime` is known and the
 * finding is medium confidence. The evidence says which basis was used. CloudTrail's
 * DetachVolume events would give the exact time; reading them is out of scope.
 *
 * The proposed action is `delete`; taking a snapshot first (and keeping it for the undo) is the
 * cleanup workflow's job, not the detector's. Monthly cost: size × the type's GiB-month price,
 * plus provisioned IOPS/throughput where billed.
 *
 * Example policy:
 * ```yaml
 * - name: unattached-volumes
 *   type: unattached-volume
 *   mode: notify
 *   params: { minAvailableDays: 14, confirmWithMetrics: true }
 *   gracePeriod: 7d
 *   timeoutAction: none
 * ```
 */
import { z } from "zod";
import { ebsMonthly, ebsPerformanceMonthly } from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { Finding } from "../types.ts";
import { DAY_MS } from "../util/duration.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason, ownerFromTags } from "./common.ts";
import type { VolumeInfo } from "./inventory.ts";
import type { MetricRequest, MetricResults } from "./metrics.ts";
import type { Detector, DetectorContext, DetectResult } from "./types.ts";
import { type MetricWindow, round, roundUsd, windowEndingAt } from "./utilisation.ts";

export const unattachedVolumeParams = z
  .strictObject({
    /** A volume must have been available (and, with the metrics check, unused) this many days. */
    minAvailableDays: z.number().int().min(1).max(455).default(14),
    /** Check AWS/EBS metrics for any attachment to a running instance inside the window. */
    confirmWithMetrics: z.boolean().default(true),
  })
  .default({ minAvailableDays: 14, confirmWithMetrics: true });

export type UnattachedVolumeParams = z.infer<typeof unattachedVolumeParams>;

type Ctx = DetectorContext<UnattachedVolumeParams>;

const PERIOD = 86_400;

/** Published for every period a volume is attached to a running instance, busy or not. */
function attachmentRequest(v: VolumeInfo, w: MetricWindow): MetricRequest {
  return {
    namespace: "AWS/EBS",
    metricName: "VolumeIdleTime",
    dimensions: { VolumeId: v.id },
    stat: "SampleCount",
    period: PERIOD,
    ...w,
  };
}

type Triage = { kind: "skip" } | { kind: "excluded" | "unknown"; reason: string } | { kind: "judge" };

function triage(v: VolumeInfo, ctx: Ctx): Triage {
  if (v.state !== "available") return { kind: "skip" };
  const nameTag = v.tags["Name"];
  const excluded =
    exclusionReason(v.id, v.tags, ctx.tags, ctx.exclude) ??
    (nameTag ? exclusionReason(nameTag, v.tags, ctx.tags, ctx.exclude) : undefined);
  if (excluded) return { kind: "excluded", reason: excluded };
  const age = (ctx.now.getTime() - v.createTime.getTime()) / DAY_MS;
  if (age < ctx.params.minAvailableDays) {
    return {
      kind: "unknown",
      reason: `created ${age.toFixed(1)} days ago, less than the ${ctx.params.minAvailableDays}-day minimum`,
    };
  }
  return { kind: "judge" };
}

function monthlyCost(v: VolumeInfo): number | undefined {
  const size = ebsMonthly(v.volumeType, v.sizeGiB, v.region);
  if (size === undefined) return undefined;
  return size + ebsPerformanceMonthly(v.volumeType, v.iops, v.throughputMiBps, v.region);
}

type Judgement = { kind: "unknown"; reason: string } | { kind: "flag"; finding: Finding };

function judge(v: VolumeInfo, metrics: MetricResults, ctx: Ctx, w: MetricWindow): Judgement {
  const p = ctx.params;
  const ageDays = (ctx.now.getTime() - v.createTime.getTime()) / DAY_MS;
  if (p.confirmWithMetrics) {
    const series = metrics.get(attachmentRequest(v, w));
    const last = series?.timestamps.reduce((a, b) => (b > a ? b : a), new Date(0));
    if (series && series.values.length > 0 && last) {
      return {
        kind: "unknown",
        reason: `attached to a running instance ${((ctx.now.getTime() - last.getTime()) / DAY_MS).toFixed(1)} days ago (AWS/EBS datapoints), inside the ${p.minAvailableDays}-day window`,
      };
    }
  }
  const monthly = monthlyCost(v);
  const size = `${v.volumeType} ${v.sizeGiB} GiB volume`;
  const reason = p.confirmWithMetrics
    ? `${size} attached to nothing, no running instance used it in ${p.minAvailableDays} days (no AWS/EBS datapoints); created ${Math.floor(ageDays)} days ago`
    : `${size} attached to nothing, created ${Math.floor(ageDays)} days ago (when it was detached is unknown: AWS records no detach time)`;
  return {
    kind: "flag",
    finding: {
      id: findingId("unattached-volume", v.arn),
      detector: "unattached-volume",
      policy: ctx.policy,
      resource: { type: "ec2:volume", id: v.id, arn: v.arn, region: v.region, tags: v.tags },
      owner: ownerFromTags(v.tags, ctx.tags),
      reason,
      evidence: {
        state: v.state,
        volumeType: v.volumeType,
        sizeGiB: v.sizeGiB,
        ...(v.iops !== undefined ? { iops: v.iops } : {}),
        ...(v.throughputMiBps !== undefined ? { throughputMiBps: v.throughputMiBps } : {}),
        createdAt: v.createTime.toISOString(),
        ageDays: round(ageDays),
        minAvailableDays: p.minAvailableDays,
        ageBasis: p.confirmWithMetrics
          ? "createTime, and no AWS/EBS datapoints (published only while attached to a running instance) in the window"
          : "createTime only",
        ...(p.confirmWithMetrics
          ? { unusedSince: w.start.toISOString(), windowEnd: w.end.toISOString() }
          : {}),
        detachedAt: "unknown (AWS records no detach time; CloudTrail DetachVolume events are not read)",
        ...(monthly === undefined ? { unpricedVolumeType: v.volumeType } : {}),
        pricesAsOf: PRICES_AS_OF,
      },
      confidence: p.confirmWithMetrics ? "high" : "medium",
      monthlyCostUsd: monthly === undefined ? 0 : roundUsd(monthly),
      proposedAction: "delete",
    },
  };
}

export const unattachedVolume: Detector<UnattachedVolumeParams> = {
  type: "unattached-volume",
  summary: "EBS volumes attached to nothing, and used by no running instance, for N days",
  params: unattachedVolumeParams,
  permissions: ["ec2:DescribeVolumes", "cloudwatch:GetMetricData"],
  actions: ["delete"],
  inventory: ["volumes"],

  metricRequests(inventory, ctx) {
    if (!ctx.params.confirmWithMetrics) return [];
    const w = windowEndingAt(ctx.now, ctx.params.minAvailableDays);
    return inventory.volumes
      .filter((v) => triage(v, ctx).kind === "judge")
      .map((v) => attachmentRequest(v, w));
  },

  detect(inventory, metrics, ctx): DetectResult {
    const w = windowEndingAt(ctx.now, ctx.params.minAvailableDays);
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    for (const v of inventory.volumes) {
      const t = triage(v, ctx);
      if (t.kind === "excluded") result.excluded.push({ resource: v.id, reason: t.reason });
      else if (t.kind === "unknown") result.unknown.push({ resource: v.id, reason: t.reason });
      else if (t.kind === "judge") {
        const j = judge(v, metrics, ctx, w);
        if (j.kind === "unknown") result.unknown.push({ resource: v.id, reason: j.reason });
        else result.findings.push(j.finding);
      }
    }
    return result;
  },
};
