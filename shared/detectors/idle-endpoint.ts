/**
 * `idle-endpoint` — SageMaker real-time or asynchronous endpoints that nobody called for the
 * whole window, yet keep instances running.
 *
 * Why the care: SageMaker publishes invocation metrics only when there is traffic, so "no
 * datapoints" over a window during which the endpoint existed unchanged means zero calls; an
 * endpoint created or updated inside the window has too little history and is *unknown*,
 * never idle. Every production variant is queried (never assume `AllTraffic`). Asynchronous
 * endpoints publish no `Invocations`: they are judged on processed invocations (both of AWS's
 * spellings) and the backlog. Serverless variants without provisioned concurrency cost
 * nothing idle and are left alone.
 *
 * Example policy:
 * ```yaml
 * - name: idle-endpoints
 *   type: idle-endpoint
 *   mode: notify
 *   params: { windowDays: 14, maxInvocations: 0 }
 *   gracePeriod: 3d
 *   timeoutAction: none
 * ```
 */
import { z } from "zod";
import { hourlyToMonthly, sagemakerHourly, serverlessProvisionedMonthly } from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { Finding } from "../types.ts";
import { DAY_MS } from "../util/duration.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason, ownerFromTags, plural } from "./common.ts";
import type { EndpointInfo, EndpointVariantInfo } from "./inventory.ts";
import { type MetricRequest, type MetricResults, maxOf, sumOf } from "./metrics.ts";
import type { Detector, DetectorContext, DetectResult } from "./types.ts";

export const idleEndpointParams = z
  .strictObject({
    /** Days without invocations before an endpoint counts as idle. */
    windowDays: z.number().int().min(1).max(455).default(14),
    /** At most this many invocations over the window still counts as idle. */
    maxInvocations: z.number().int().min(0).default(0),
  })
  .default({ windowDays: 14, maxInvocations: 0 });

export type IdleEndpointParams = z.infer<typeof idleEndpointParams>;

const NAMESPACE = "AWS/SageMaker";
const PERIOD = 86_400;
/** AWS documents the async metric as `InvocationsProcesssed`; ask for both spellings (free when absent). */
const ASYNC_PROCESSED = ["InvocationsProcesssed", "InvocationsProcessed"] as const;

interface Window {
  start: Date;
  end: Date;
}

function windowFor(now: Date, days: number): Window {
  const end = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  return { start: new Date(end.getTime() - days * DAY_MS), end };
}

function variantMonthlyCost(v: EndpointVariantInfo, region: string): number | undefined {
  if (v.serverless) {
    const provisioned = v.serverless.provisionedConcurrency ?? 0;
    return serverlessProvisionedMonthly(v.serverless.memorySizeInMB, provisioned, region);
  }
  if (!v.instanceType) return undefined;
  const hourly = sagemakerHourly(v.instanceType, region);
  return hourly === undefined ? undefined : hourlyToMonthly(hourly * v.instanceCount);
}

/** Variants that cost money while idle; serverless without provisioned concurrency does not. */
function billableVariants(e: EndpointInfo): EndpointVariantInfo[] {
  return e.variants.filter((v) =>
    v.serverless ? (v.serverless.provisionedConcurrency ?? 0) > 0 : v.instanceCount > 0,
  );
}

function variantRequests(e: EndpointInfo, v: EndpointVariantInfo, w: Window): MetricRequest[] {
  const dimensions = { EndpointName: e.name, VariantName: v.name };
  const names = e.isAsync ? ASYNC_PROCESSED : (["Invocations"] as const);
  return names.map((metricName) => ({
    namespace: NAMESPACE,
    metricName,
    dimensions,
    stat: "Sum" as const,
    period: PERIOD,
    ...w,
  }));
}

function backlogRequest(e: EndpointInfo, w: Window): MetricRequest {
  return {
    namespace: NAMESPACE,
    metricName: "ApproximateBacklogSize",
    dimensions: { EndpointName: e.name },
    stat: "Maximum",
    period: PERIOD,
    ...w,
  };
}

type Judgement = { kind: "skip" } | { kind: "excluded" | "unknown"; reason: string } | { kind: "judge" };

function triage(e: EndpointInfo, ctx: DetectorContext<IdleEndpointParams>): Judgement {
  if (e.status !== "InService") return { kind: "skip" };
  const excluded = exclusionReason(e.name, e.tags, ctx.tags, ctx.exclude);
  if (excluded) return { kind: "excluded", reason: excluded };
  if (billableVariants(e).length === 0) return { kind: "skip" };
  const changed = Math.max(e.creationTime.getTime(), e.lastModifiedTime.getTime());
  const daysSince = (ctx.now.getTime() - changed) / DAY_MS;
  if (daysSince < ctx.params.windowDays) {
    return {
      kind: "unknown",
      reason: `created or updated ${daysSince.toFixed(1)} days ago, inside the ${ctx.params.windowDays}-day window`,
    };
  }
  return { kind: "judge" };
}

function requestsFor(e: EndpointInfo, w: Window): MetricRequest[] {
  const perVariant = e.variants.flatMap((v) => variantRequests(e, v, w));
  return e.isAsync ? [...perVariant, backlogRequest(e, w)] : perVariant;
}

function judge(
  e: EndpointInfo,
  metrics: MetricResults,
  ctx: DetectorContext<IdleEndpointParams>,
  w: Window,
): Finding | undefined {
  let datapoints = 0;
  const variants = e.variants.map((v) => {
    const series = variantRequests(e, v, w).map((r) => metrics.get(r));
    const invocations = series.reduce((total, s) => total + sumOf(s), 0);
    const points = series.reduce((total, s) => total + (s?.values.length ?? 0), 0);
    datapoints += points;
    return {
      name: v.name,
      instanceType: v.instanceType ?? "serverless",
      instanceCount: v.instanceCount,
      invocations,
      datapoints: points,
      monthlyCostUsd: variantMonthlyCost(v, e.region),
    };
  });
  const total = variants.reduce((sum, v) => sum + v.invocations, 0);
  const backlog = e.isAsync ? maxOf(metrics.get(backlogRequest(e, w))) : 0;
  if (total > ctx.params.maxInvocations || backlog > 0) return undefined;

  const unpriced = variants.filter((v) => v.monthlyCostUsd === undefined).map((v) => v.instanceType);
  const monthly = variants.reduce((sum, v) => sum + (v.monthlyCostUsd ?? 0), 0);
  const noData = datapoints === 0;
  const what = e.isAsync ? "processed async invocations" : "invocations";
  const reason =
    `${total} ${what} in ${ctx.params.windowDays} days across ${plural(variants.length, "variant")}` +
    (noData ? " (no datapoints at all: SageMaker publishes none without traffic)" : "");
  return {
    id: findingId("idle-endpoint", e.arn),
    detector: "idle-endpoint",
    policy: ctx.policy,
    resource: { type: "sagemaker:endpoint", id: e.name, arn: e.arn, region: e.region, tags: e.tags },
    owner: ownerFromTags(e.tags, ctx.tags),
    reason,
    evidence: {
      windowDays: ctx.params.windowDays,
      windowStart: w.start.toISOString(),
      windowEnd: w.end.toISOString(),
      totalInvocations: total,
      noDatapoints: noData,
      asynchronous: e.isAsync,
      ...(e.isAsync ? { maxBacklog: backlog } : {}),
      variants,
      endpointConfig: e.configName,
      createdAt: e.creationTime.toISOString(),
      lastModifiedAt: e.lastModifiedTime.toISOString(),
      pricesAsOf: PRICES_AS_OF,
      ...(unpriced.length > 0 ? { unpricedInstanceTypes: unpriced } : {}),
    },
    confidence: "high",
    monthlyCostUsd: Math.round(monthly * 100) / 100,
    proposedAction: "delete",
  };
}

export const idleEndpoint: Detector<IdleEndpointParams> = {
  type: "idle-endpoint",
  summary: "SageMaker endpoints with zero invocations over the window (all variants, async-aware)",
  params: idleEndpointParams,
  permissions: ["sagemaker:Search", "sagemaker:DescribeEndpointConfig", "cloudwatch:GetMetricData"],
  actions: ["delete"],
  inventory: ["endpoints"],

  metricRequests(inventory, ctx) {
    const w = windowFor(ctx.now, ctx.params.windowDays);
    return inventory.endpoints
      .filter((e) => triage(e, ctx).kind === "judge")
      .flatMap((e) => requestsFor(e, w));
  },

  detect(inventory, metrics, ctx): DetectResult {
    const w = windowFor(ctx.now, ctx.params.windowDays);
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    for (const e of inventory.endpoints) {
      const t = triage(e, ctx);
      if (t.kind === "excluded") result.excluded.push({ resource: e.name, reason: t.reason });
      else if (t.kind === "unknown") result.unknown.push({ resource: e.name, reason: t.reason });
      else if (t.kind === "judge") {
        const finding = judge(e, metrics, ctx, w);
        if (finding) result.findings.push(finding);
      }
    }
    return result;
  },

  describeActivity(inventory, metrics, ctx, resourceId) {
    const e = inventory.endpoints.find((x) => x.name === resourceId);
    if (!e) return `endpoint ${resourceId} no longer exists`;
    if (e.status !== "InService") return `endpoint ${resourceId} is ${e.status}`;
    const w = windowFor(ctx.now, ctx.params.windowDays);
    const total = e.variants
      .flatMap((v) => variantRequests(e, v, w))
      .reduce((sum, r) => sum + sumOf(metrics.get(r)), 0);
    return `${total} invocations in the last ${ctx.params.windowDays} days: the endpoint is in use again`;
  },
};
