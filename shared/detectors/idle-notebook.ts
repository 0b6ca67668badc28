/**
 * `idle-notebook` — SageMaker notebook instances left `InService` while nobody works on them.
 *
 * Notebook instances publish no CloudWatch metrics, so activity comes from one of two sources,
 * and every finding says which (`evidence.source`):
 * - `heartbeat` (high confidence): the lifecycle-configuration script we ship
 *   (shared/notebooks/heartbeat.sh, installed by `janitor notebooks install-heartbeat`)
 *   publishes `MLJanitor/Notebooks` `JupyterActivity` (1 active, 0 idle) every 5 minutes.
 *   Idle = nothing but zeros for `idleHours`, with the instance InService all that time and the
 *   heartbeat present in at least 75% of those hours. Any 1 in the window means in use.
 * - `off-hours-policy` (low, or medium past twice the limit): with no heartbeat datapoint in
 *   the window (or too patchy a one), an instance that stayed InService through more than
 *   `maxOffHours` hours of the team's off-hours (nights, weekends, in `timezone`) is flagged.
 *
 * "InService since" is the instance's `LastModifiedTime`: every status change updates it (so do
 * other updates, which only make us more careful). The heartbeat series is requested for every
 * InService instance: one GetMetricData query each, batched, and an empty answer is how we know
 * there is no heartbeat — no per-instance call. Cost: the instance's hourly list price × 730;
 * stopping keeps the ML storage volume, which is still billed (evidence says so).
 *
 * Example policy:
 * ```yaml
 * - name: idle-notebooks
 *   type: idle-notebook
 *   mode: notify
 *   params:
 *     idleHours: 24
 *     maxOffHours: 12
 *     offHours: { nights: "20:00-07:00", weekendDays: [sat, sun] }
 *     timezone: Europe/Berlin
 *   gracePeriod: 1d
 *   timeoutAction: stop
 * ```
 */
import { z } from "zod";
import { notebookHeartbeatDimensions } from "../notebooks/heartbeat-metric.ts";
import { ebsMonthly, hourlyToMonthly, sagemakerHourly } from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { Finding } from "../types.ts";
import { findingId } from "../util/ids.ts";
import {
  heartbeatEvidence,
  heartbeatRequest,
  heartbeatWindow,
  hoursBetween,
  MIN_HEARTBEAT_COVERAGE,
  offHoursEvidence,
  policyConfidence,
  readHeartbeat,
  round1,
  type Window,
} from "./activity.ts";
import { exclusionReason, ownerFromTags } from "./common.ts";
import type { NotebookInfo } from "./inventory.ts";
import type { MetricResults } from "./metrics.ts";
import { describeSchedule, offHoursCounter, offHoursParam, timezoneParam } from "./off-hours.ts";
import type { Detector, DetectorContext, DetectResult } from "./types.ts";

export const idleNotebookParams = z
  .strictObject({
    /** Heartbeat: this many hours of nothing but "idle" beats make a notebook idle. */
    idleHours: z.number().int().min(1).max(336).default(24),
    /** No heartbeat: InService through more than this many off-hours hours gets flagged. */
    maxOffHours: z.number().min(1).max(720).default(12),
    /** The team's off-hours: every night, and whole weekend days, in `timezone`. */
    offHours: offHoursParam,
    /** IANA time zone the off-hours are in. */
    timezone: timezoneParam,
  })
  .prefault({});

export type IdleNotebookParams = z.infer<typeof idleNotebookParams>;

type Ctx = DetectorContext<IdleNotebookParams>;

function activityWords(lastActiveAt: Date | undefined): string {
  const when = lastActiveAt ? ` in the hour from ${lastActiveAt.toISOString().slice(0, 16)}Z` : "";
  return `Jupyter activity${when} (heartbeat): the notebook is in use`;
}

function isCandidate(n: NotebookInfo): boolean {
  return n.status === "InService";
}

function storageEvidence(n: NotebookInfo) {
  const note = "stopping keeps the ML storage volume (your files), which is still billed while stopped";
  if (n.volumeSizeInGB === undefined)
    return { storageNote: `${note} (volume size not in the listing; 5 GB minimum)` };
  const monthly = ebsMonthly("gp2", n.volumeSizeInGB, n.region);
  return {
    storageNote: note,
    volumeSizeInGB: n.volumeSizeInGB,
    ...(monthly !== undefined ? { storageMonthlyUsdAfterStop: Math.round(monthly * 100) / 100 } : {}),
  };
}

function baseFinding(
  n: NotebookInfo,
  ctx: Ctx,
): Omit<Finding, "reason" | "evidence" | "confidence"> & {
  common: Record<string, unknown>;
} {
  const hourly = sagemakerHourly(n.instanceType, n.region);
  return {
    id: findingId("idle-notebook", n.arn),
    detector: "idle-notebook",
    policy: ctx.policy,
    resource: { type: "sagemaker:notebook-instance", id: n.name, arn: n.arn, region: n.region, tags: n.tags },
    owner: ownerFromTags(n.tags, ctx.tags),
    monthlyCostUsd: hourly === undefined ? 0 : Math.round(hourlyToMonthly(hourly) * 100) / 100,
    proposedAction: "stop",
    common: {
      instanceType: n.instanceType,
      ...(hourly !== undefined
        ? { hourlyUsd: Math.round(hourly * 1000) / 1000 }
        : { unpricedInstanceType: n.instanceType }),
      inServiceSince: n.lastModifiedTime.toISOString(),
      inServiceHours: round1(hoursBetween(n.lastModifiedTime, ctx.now)),
      ...(n.lifecycleConfigName ? { lifecycleConfigName: n.lifecycleConfigName } : {}),
      ...storageEvidence(n),
      pricesAsOf: PRICES_AS_OF,
    },
  };
}

function finish(
  base: ReturnType<typeof baseFinding>,
  reason: string,
  confidence: Finding["confidence"],
  evidence: Record<string, unknown>,
): Finding {
  const { common, ...rest } = base;
  return { ...rest, reason, confidence, evidence: { ...evidence, ...common } };
}

/** `fine` says why, in words: the re-check before an action quotes it when it cancels. */
type Verdict =
  | { kind: "finding"; finding: Finding }
  | { kind: "unknown"; reason: string }
  | { kind: "fine"; why: string };

function judge(
  n: NotebookInfo,
  metrics: MetricResults,
  ctx: Ctx,
  w: Window,
  offMs: (a: Date, b: Date) => number,
): Verdict {
  const p = ctx.params;
  const dims = notebookHeartbeatDimensions(n.name);
  const since = n.lastModifiedTime;
  const reading = readHeartbeat(metrics.get(heartbeatRequest(dims, w)), w, since);

  if (reading && reading.maxValue > 0) return { kind: "fine", why: activityWords(reading.lastActiveAt) };
  if (reading && reading.coverage >= MIN_HEARTBEAT_COVERAGE) {
    if (since > w.start) {
      return {
        kind: "unknown",
        reason: `heartbeat idle, but InService for less than idleHours (${p.idleHours} h)`,
      };
    }
    return {
      kind: "finding",
      finding: finish(
        baseFinding(n, ctx),
        `no Jupyter activity for ${p.idleHours} hours (heartbeat), InService since ${since.toISOString().slice(0, 16)}Z`,
        "high",
        { source: "heartbeat", idleHours: p.idleHours, heartbeat: heartbeatEvidence(dims, w, reading) },
      ),
    };
  }

  const schedule = { ...p.offHours, timezone: p.timezone };
  const off = offMs(since, ctx.now) / 3_600_000;
  if (off <= p.maxOffHours) {
    return {
      kind: "fine",
      why: `InService since ${since.toISOString().slice(0, 16)}Z through ${round1(off)} h of off-hours, within the ${p.maxOffHours} h limit`,
    };
  }
  const patchy = reading !== undefined;
  return {
    kind: "finding",
    finding: finish(
      baseFinding(n, ctx),
      `InService through ${round1(off)} h of off-hours (${describeSchedule(schedule)}) with ${patchy ? `only a patchy activity heartbeat (${reading.hoursWithData} of ${p.idleHours} hours)` : "no activity heartbeat"}`,
      policyConfidence(off, p.maxOffHours),
      {
        source: "off-hours-policy",
        offHours: offHoursEvidence(schedule, off, p.maxOffHours),
        heartbeat: heartbeatEvidence(dims, w, reading),
        hint: patchy
          ? "the heartbeat reported in too few hours to decide; check its log on the instance"
          : "install the activity heartbeat (janitor notebooks install-heartbeat) for a high-confidence answer",
      },
    ),
  };
}

export const idleNotebook: Detector<IdleNotebookParams> = {
  type: "idle-notebook",
  summary: "SageMaker notebook instances InService with no Jupyter activity (heartbeat) or through off-hours",
  params: idleNotebookParams,
  permissions: ["sagemaker:ListNotebookInstances", "tag:GetResources", "cloudwatch:GetMetricData"],
  actions: ["stop"],
  inventory: ["notebooks"],

  metricRequests(inventory, ctx) {
    const w = heartbeatWindow(ctx.now, ctx.params.idleHours);
    return inventory.notebooks
      .filter((n) => isCandidate(n) && !exclusionReason(n.name, n.tags, ctx.tags, ctx.exclude))
      .map((n) => heartbeatRequest(notebookHeartbeatDimensions(n.name), w));
  },

  detect(inventory, metrics, ctx): DetectResult {
    const w = heartbeatWindow(ctx.now, ctx.params.idleHours);
    const offMs = offHoursCounter({ ...ctx.params.offHours, timezone: ctx.params.timezone });
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    for (const n of inventory.notebooks) {
      if (!isCandidate(n)) continue;
      const excluded = exclusionReason(n.name, n.tags, ctx.tags, ctx.exclude);
      if (excluded) {
        result.excluded.push({ resource: n.name, reason: excluded });
        continue;
      }
      const v = judge(n, metrics, ctx, w, offMs);
      if (v.kind === "finding") result.findings.push(v.finding);
      else if (v.kind === "unknown") result.unknown.push({ resource: n.name, reason: v.reason });
    }
    return result;
  },

  describeActivity(inventory, metrics, ctx, resourceId) {
    const n = inventory.notebooks.find((x) => x.name === resourceId);
    if (!n) return `notebook instance ${resourceId} no longer exists`;
    if (!isCandidate(n)) return `notebook instance ${resourceId} is ${n.status}`;
    const w = heartbeatWindow(ctx.now, ctx.params.idleHours);
    const offMs = offHoursCounter({ ...ctx.params.offHours, timezone: ctx.params.timezone });
    const v = judge(n, metrics, ctx, w, offMs);
    return v.kind === "fine" ? v.why : undefined;
  },
};
