/**
 * `idle-gpu-instance` — running EC2 instances of GPU (and other accelerator) families whose CPU
 * and, where the CloudWatch agent publishes them, GPU utilisation and GPU memory activity stayed
 * under the thresholds for every hour of the window.
 *
 * How it judges: hourly averages over the window; the instance is idle when the *busiest hour*
 * stays at or under each threshold (the maximum of hourly averages, not a percentile: a stop is
 * disruptive, so one real hour of work in the window is enough to leave an instance alone, while
 * hourly averaging smooths the short spikes of agents and package updates). GPU series come from
 * the agent (`nvidia_smi_utilization_gpu`, `nvidia_smi_utilization_memory`), discovered by the
 * loader with ListMetrics because their dimensions depend on the agent's config; every GPU of
 * the instance must be idle. Instances without GPU metrics are judged on CPU alone and flagged
 * with medium confidence, saying so in the evidence (`gpuMetrics: "absent"`). Instances started
 * less than `minAgeDays` ago (AWS resets the launch time on every start) are not judged.
 * Monthly cost: the EC2 on-demand list price × 730 h.
 *
 * Example policy:
 * ```yaml
 * - name: idle-gpu-instances
 *   type: idle-gpu-instance
 *   mode: notify
 *   params: { windowDays: 7, minAgeDays: 7, maxCpuPercent: 5, maxGpuPercent: 5, maxGpuMemoryPercent: 5 }
 *   gracePeriod: 2d
 *   timeoutAction: stop
 * ```
 */
import { z } from "zod";
import { instanceFamily } from "../pricing/instance-sizes.ts";
import { ec2Hourly, hourlyToMonthly } from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { Finding } from "../types.ts";
import { DAY_MS } from "../util/duration.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason, ownerFromTags, plural } from "./common.ts";
import { GPU_MEMORY_USED, GPU_MEMORY_UTILIZATION, GPU_UTILIZATION } from "./gpu-agent-metrics.ts";
import type { Ec2InstanceInfo, MetricSeriesId } from "./inventory.ts";
import type { MetricRequest, MetricResults, MetricStat } from "./metrics.ts";
import type { Detector, DetectorContext, DetectResult } from "./types.ts";
import { HOUR_S, type MetricWindow, peak, round, roundUsd, windowEndingAt } from "./utilisation.ts";

/** GPU, Trainium and Inferentia families (Neuron devices publish no nvidia metrics: CPU only). */
export const DEFAULT_GPU_FAMILIES = [
  "g4dn",
  "g4ad",
  "g5",
  "g6",
  "g6e",
  "gr6",
  "p3",
  "p3dn",
  "p4d",
  "p4de",
  "p5",
  "p5e",
  "p5en",
  "trn1",
  "trn1n",
  "trn2",
  "inf2",
];

const percent = z.number().min(0).max(100);

export const idleGpuInstanceParams = z
  .strictObject({
    /** Days of hourly averages judged. */
    windowDays: z.number().int().min(1).max(455).default(7),
    /** Instances (re)started less than this many days ago are not judged. */
    minAgeDays: z.number().min(0).max(455).default(7),
    /** Idle when the busiest hour's average CPUUtilization is at most this. */
    maxCpuPercent: percent.default(5),
    /** … and the busiest hour of every GPU's utilisation (agent metric) is at most this. */
    maxGpuPercent: percent.default(5),
    /** … and the busiest hour of every GPU's memory activity (agent metric) is at most this. */
    maxGpuMemoryPercent: percent.default(5),
    /** Instance families judged (the part of the type before the dot). */
    families: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/, "an instance family such as g5 or p4d"))
      .min(1)
      .default(DEFAULT_GPU_FAMILIES),
  })
  .default({
    windowDays: 7,
    minAgeDays: 7,
    maxCpuPercent: 5,
    maxGpuPercent: 5,
    maxGpuMemoryPercent: 5,
    families: DEFAULT_GPU_FAMILIES,
  });

export type IdleGpuInstanceParams = z.infer<typeof idleGpuInstanceParams>;

type Ctx = DetectorContext<IdleGpuInstanceParams>;

function seriesRequest(s: MetricSeriesId, stat: MetricStat, w: MetricWindow): MetricRequest {
  return {
    namespace: s.namespace,
    metricName: s.metricName,
    dimensions: s.dimensions,
    stat,
    period: HOUR_S,
    ...w,
  };
}

function cpuRequest(i: Ec2InstanceInfo, w: MetricWindow): MetricRequest {
  return seriesRequest(
    { namespace: "AWS/EC2", metricName: "CPUUtilization", dimensions: { InstanceId: i.id } },
    "Average",
    w,
  );
}

const JUDGED_GPU_METRICS = [GPU_UTILIZATION, GPU_MEMORY_UTILIZATION];

function gpuRequests(i: Ec2InstanceInfo, w: MetricWindow): MetricRequest[] {
  return (i.gpuSeries ?? []).flatMap((s) => {
    if (JUDGED_GPU_METRICS.includes(s.metricName)) return [seriesRequest(s, "Average", w)];
    if (s.metricName === GPU_MEMORY_USED) return [seriesRequest(s, "Maximum", w)];
    return [];
  });
}

type Triage = { kind: "skip" } | { kind: "excluded" | "unknown"; reason: string } | { kind: "judge" };

function triage(i: Ec2InstanceInfo, ctx: Ctx): Triage {
  if (i.state !== "running") return { kind: "skip" };
  const family = instanceFamily(i.instanceType);
  if (!family || !ctx.params.families.includes(family)) return { kind: "skip" };
  const nameTag = i.tags["Name"];
  const excluded =
    exclusionReason(i.id, i.tags, ctx.tags, ctx.exclude) ??
    (nameTag ? exclusionReason(nameTag, i.tags, ctx.tags, ctx.exclude) : undefined);
  if (excluded) return { kind: "excluded", reason: excluded };
  const age = (ctx.now.getTime() - i.launchTime.getTime()) / DAY_MS;
  if (age < ctx.params.minAgeDays) {
    return {
      kind: "unknown",
      reason: `started ${age.toFixed(1)} days ago, less than the ${ctx.params.minAgeDays}-day minimum age`,
    };
  }
  return { kind: "judge" };
}

interface GpuReading {
  metric: string;
  dimensions: Record<string, string>;
  busiestHour?: number;
  hoursWithData: number;
}

function gpuReadings(i: Ec2InstanceInfo, metrics: MetricResults, w: MetricWindow): GpuReading[] {
  return gpuRequests(i, w).map((r) => {
    const series = metrics.get(r);
    const busiest = peak(series);
    return {
      metric: r.metricName,
      dimensions: r.dimensions,
      ...(busiest === undefined ? {} : { busiestHour: round(busiest, 2) }),
      hoursWithData: series?.values.length ?? 0,
    };
  });
}

function busiestOf(readings: GpuReading[], metric: string): number | undefined {
  const values = readings
    .filter((r) => r.metric === metric && r.busiestHour !== undefined)
    .map((r) => r.busiestHour!);
  return values.length === 0 ? undefined : Math.max(...values);
}

type Judgement = { kind: "unknown"; reason: string } | { kind: "busy" } | { kind: "idle"; finding: Finding };

function judge(i: Ec2InstanceInfo, metrics: MetricResults, ctx: Ctx, w: MetricWindow): Judgement {
  const p = ctx.params;
  if (i.gpuSeries === undefined) {
    // Discovery failed (ListMetrics refused or unreachable): judging on CPU alone would hide it.
    return { kind: "unknown", reason: "its GPU metrics could not be discovered (ListMetrics failed)" };
  }
  const cpuSeries = metrics.get(cpuRequest(i, w));
  const cpu = peak(cpuSeries);
  if (cpu === undefined) return { kind: "unknown", reason: "no CPUUtilization datapoints in the window" };

  const readings = gpuReadings(i, metrics, w);
  const gpu = busiestOf(readings, GPU_UTILIZATION);
  const gpuMemory = busiestOf(readings, GPU_MEMORY_UTILIZATION);
  const memoryUsed = busiestOf(readings, GPU_MEMORY_USED);
  if (cpu > p.maxCpuPercent) return { kind: "busy" };
  if (gpu !== undefined && gpu > p.maxGpuPercent) return { kind: "busy" };
  if (gpuMemory !== undefined && gpuMemory > p.maxGpuMemoryPercent) return { kind: "busy" };

  const discovered = readings.some((r) => JUDGED_GPU_METRICS.includes(r.metric));
  const gpuMetrics: "present" | "absent" | "no data in window" =
    gpu !== undefined || gpuMemory !== undefined ? "present" : discovered ? "no data in window" : "absent";
  const gpuCount = new Set(
    readings.filter((r) => r.metric === GPU_UTILIZATION).map((r) => r.dimensions["index"] ?? "?"),
  ).size;

  const hourly = ec2Hourly(i.instanceType, i.region);
  const cpuText = `CPU at most ${round(cpu)}%`;
  const gpuText =
    gpuMetrics === "present"
      ? `, GPU at most ${round(gpu ?? 0)}% and GPU memory activity at most ${round(gpuMemory ?? 0)}%` +
        (gpuCount > 1 ? ` on each of ${plural(gpuCount, "GPU")}` : "")
      : gpuMetrics === "absent"
        ? "; no GPU metrics (the CloudWatch agent publishes none for it), judged on CPU only"
        : "; the agent's GPU metrics have no data in the window, judged on CPU only";
  const reason = `${i.instanceType} idle in every hour of ${p.windowDays} days: ${cpuText}${gpuText}`;

  return {
    kind: "idle",
    finding: {
      id: findingId("idle-gpu-instance", i.arn),
      detector: "idle-gpu-instance",
      policy: ctx.policy,
      resource: { type: "ec2:instance", id: i.id, arn: i.arn, region: i.region, tags: i.tags },
      owner: ownerFromTags(i.tags, ctx.tags),
      reason,
      evidence: {
        instanceType: i.instanceType,
        windowDays: p.windowDays,
        windowStart: w.start.toISOString(),
        windowEnd: w.end.toISOString(),
        statistic: "maximum of hourly averages",
        cpuBusiestHourPercent: round(cpu, 2),
        cpuHoursWithData: cpuSeries?.values.length ?? 0,
        gpuMetrics,
        ...(gpu !== undefined ? { gpuBusiestHourPercent: gpu } : {}),
        ...(gpuMemory !== undefined ? { gpuMemoryBusiestHourPercent: gpuMemory } : {}),
        ...(memoryUsed !== undefined ? { gpuMemoryUsedPeakMiB: memoryUsed } : {}),
        ...(readings.length > 0 ? { gpuSeries: readings } : {}),
        thresholds: { cpu: p.maxCpuPercent, gpu: p.maxGpuPercent, gpuMemory: p.maxGpuMemoryPercent },
        launchedAt: i.launchTime.toISOString(),
        ...(hourly !== undefined
          ? { hourlyUsd: round(hourly, 4) }
          : { unpricedInstanceType: i.instanceType }),
        pricesAsOf: PRICES_AS_OF,
      },
      confidence: gpuMetrics === "present" ? "high" : "medium",
      monthlyCostUsd: hourly === undefined ? 0 : roundUsd(hourlyToMonthly(hourly)),
      proposedAction: "stop",
    },
  };
}

export const idleGpuInstance: Detector<IdleGpuInstanceParams> = {
  type: "idle-gpu-instance",
  summary: "Running GPU EC2 instances whose CPU and GPU stayed idle in every hour of the window",
  params: idleGpuInstanceParams,
  permissions: ["ec2:DescribeInstances", "cloudwatch:ListMetrics", "cloudwatch:GetMetricData"],
  actions: ["stop"],
  inventory: ["ec2Instances"],

  metricRequests(inventory, ctx) {
    const w = windowEndingAt(ctx.now, ctx.params.windowDays);
    return inventory.ec2Instances
      .filter((i) => triage(i, ctx).kind === "judge")
      .flatMap((i) => [cpuRequest(i, w), ...gpuRequests(i, w)]);
  },

  detect(inventory, metrics, ctx): DetectResult {
    const w = windowEndingAt(ctx.now, ctx.params.windowDays);
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    for (const i of inventory.ec2Instances) {
      const t = triage(i, ctx);
      if (t.kind === "excluded") result.excluded.push({ resource: i.id, reason: t.reason });
      else if (t.kind === "unknown") result.unknown.push({ resource: i.id, reason: t.reason });
      else if (t.kind === "judge") {
        const j = judge(i, metrics, ctx, w);
        if (j.kind === "unknown") result.unknown.push({ resource: i.id, reason: j.reason });
        else if (j.kind === "idle") result.findings.push(j.finding);
      }
    }
    return result;
  },
};
