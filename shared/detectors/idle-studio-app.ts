/**
 * `idle-studio-app` — SageMaker Studio apps (JupyterLab, Code Editor, KernelGateway) left
 * `InService` on a billable instance while nobody works in them; and, as recommendations,
 * Studio domains and user profiles without the built-in idle shutdown.
 *
 * What costs money: an InService app on an `ml.*` instance. Apps on the `system` instance type
 * (the default JupyterServer/KernelGateway plumbing) and JupyterServer apps cost nothing and
 * are never flagged. `LastUserActivityTimestamp` is not used: it moves with health checks,
 * not with use.
 *
 * Activity, as for `idle-notebook` (every finding names its `evidence.source`):
 * - `heartbeat` (high confidence): the same script as notebook instances, run as a JupyterLab or
 *   Code Editor lifecycle configuration, publishes `MLJanitor/Notebooks` `JupyterActivity` per
 *   *space* (dimensions `DomainId`, `SpaceName`): a space runs one app at a time and its app is
 *   nearly always named `default`. Idle = only zeros for `idleHours`, the app InService all
 *   that time, the heartbeat present in at least 75% of the hours.
 * - `off-hours-policy` (low, or medium past twice the limit): no heartbeat (always the case for
 *   KernelGateway apps of Studio Classic, which the script cannot serve) — an app that has run
 *   since its creation through more than `maxOffHours` off-hours hours is flagged. An app's
 *   age is exact: Studio apps are created when started and deleted when stopped.
 *
 * Proposed action: `delete` — deleting a Studio app stops its compute; the space and its
 * storage (the user's files) stay, and the next open starts a fresh app.
 *
 * Recommendations (`proposedAction: review`, `monthlyCostUsd: 0`): a domain whose default user
 * settings do not enable idle shutdown (AppLifecycleManagement.IdleSettings) for JupyterLab or
 * Code Editor; a user profile that turns it off for itself. Their cost is 0 so that waste totals
 * do not count an app twice: the idle apps they cover are findings of their own, and the
 * recommendation's evidence lists the running apps it covers with their monthly cost.
 * Tags inherit: an app's effective tags are its user profile's, then its space's, then its
 * own (a protect tag on a space protects its apps; the owner tag of a profile names the owner).
 *
 * Example policy:
 * ```yaml
 * - name: idle-studio-apps
 *   type: idle-studio-app
 *   mode: notify
 *   params: { idleHours: 24, maxOffHours: 12, timezone: UTC, recommendIdleShutdown: true }
 *   gracePeriod: 1d
 *   timeoutAction: delete
 * ```
 */
import { z } from "zod";
import { spaceHeartbeatDimensions } from "../notebooks/heartbeat-metric.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { Finding, Tags } from "../types.ts";
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
import type { StudioAppInfo } from "./inventory.ts";
import type { MetricResults } from "./metrics.ts";
import { describeSchedule, offHoursCounter, offHoursParam, timezoneParam } from "./off-hours.ts";
import { recommendations } from "./studio-idle-shutdown.ts";
import {
  appId,
  appMonthly,
  BILLABLE_APP_TYPES,
  effectiveTags,
  isBillable,
  studioOf,
} from "./studio-index.ts";
import type { Detector, DetectorContext, DetectResult } from "./types.ts";

export { BILLABLE_APP_TYPES, IDLE_SHUTDOWN_APP_TYPES } from "./studio-index.ts";

export const idleStudioAppParams = z
  .strictObject({
    /** Heartbeat: this many hours of nothing but "idle" beats make an app idle. */
    idleHours: z.number().int().min(1).max(336).default(24),
    /** No heartbeat: running through more than this many off-hours hours gets flagged. */
    maxOffHours: z.number().min(1).max(720).default(12),
    /** The team's off-hours: every night, and whole weekend days, in `timezone`. */
    offHours: offHoursParam,
    /** IANA time zone the off-hours are in. */
    timezone: timezoneParam,
    /** App types judged (JupyterServer apps are free and never judged). */
    appTypes: z
      .array(z.enum(BILLABLE_APP_TYPES))
      .min(1)
      .default([...BILLABLE_APP_TYPES]),
    /** Also recommend turning on Studio's built-in idle shutdown where domains or profiles lack it. */
    recommendIdleShutdown: z.boolean().default(true),
  })
  .prefault({});

export type IdleStudioAppParams = z.infer<typeof idleStudioAppParams>;

type Ctx = DetectorContext<IdleStudioAppParams>;

function appExclusion(a: StudioAppInfo, tags: Tags, ctx: Ctx): string | undefined {
  const owner = a.spaceName ?? a.userProfileName;
  return (
    (owner ? exclusionReason(owner, tags, ctx.tags, ctx.exclude) : undefined) ??
    exclusionReason(appId(a), tags, ctx.tags, ctx.exclude)
  );
}

function heartbeatDims(a: StudioAppInfo): Record<string, string> | undefined {
  return a.spaceName ? spaceHeartbeatDimensions(a.domainId, a.spaceName) : undefined;
}

/** `fine` says why, in words: the re-check before an action quotes it when it cancels. */
type Verdict =
  | { kind: "finding"; finding: Finding }
  | { kind: "unknown"; reason: string }
  | { kind: "fine"; why: string };

function appFinding(
  a: StudioAppInfo,
  tags: Tags,
  ctx: Ctx,
  reason: string,
  confidence: Finding["confidence"],
  evidence: Record<string, unknown>,
): Finding {
  const monthly = appMonthly(a);
  return {
    id: findingId("idle-studio-app", a.arn),
    detector: "idle-studio-app",
    policy: ctx.policy,
    resource: { type: "sagemaker:app", id: appId(a), arn: a.arn, region: a.region, tags },
    owner: ownerFromTags(tags, ctx.tags),
    reason,
    evidence: {
      ...evidence,
      domainId: a.domainId,
      ...(a.spaceName ? { spaceName: a.spaceName } : {}),
      ...(a.userProfileName ? { userProfileName: a.userProfileName } : {}),
      appType: a.appType,
      appName: a.appName,
      instanceType: a.instanceType,
      createdAt: a.creationTime.toISOString(),
      ageHours: round1(hoursBetween(a.creationTime, ctx.now)),
      ...(monthly === undefined ? { unpricedInstanceType: a.instanceType } : {}),
      storageNote: "deleting the app stops its compute; the space and its storage (the user's files) stay",
      pricesAsOf: PRICES_AS_OF,
    },
    confidence,
    monthlyCostUsd: monthly ?? 0,
    proposedAction: "delete",
  };
}

function judgeApp(
  a: StudioAppInfo,
  tags: Tags,
  metrics: MetricResults,
  ctx: Ctx,
  w: Window,
  offMs: (from: Date, to: Date) => number,
): Verdict {
  const p = ctx.params;
  const dims = heartbeatDims(a);
  const reading = dims ? readHeartbeat(metrics.get(heartbeatRequest(dims, w)), w, a.creationTime) : undefined;
  const where = a.spaceName ? `space ${a.spaceName}` : `user profile ${a.userProfileName ?? "?"}`;

  if (reading && reading.maxValue > 0) {
    const when = reading.lastActiveAt
      ? ` in the hour from ${reading.lastActiveAt.toISOString().slice(0, 16)}Z`
      : "";
    return { kind: "fine", why: `activity in ${where}${when} (heartbeat): the app is in use` };
  }
  if (dims && reading && reading.coverage >= MIN_HEARTBEAT_COVERAGE) {
    if (a.creationTime > w.start) {
      return {
        kind: "unknown",
        reason: `heartbeat idle, but InService for less than idleHours (${p.idleHours} h)`,
      };
    }
    return {
      kind: "finding",
      finding: appFinding(
        a,
        tags,
        ctx,
        `${a.appType} app in ${where} on ${a.instanceType}: no activity for ${p.idleHours} hours (heartbeat)`,
        "high",
        { source: "heartbeat", idleHours: p.idleHours, heartbeat: heartbeatEvidence(dims, w, reading) },
      ),
    };
  }

  const schedule = { ...p.offHours, timezone: p.timezone };
  const off = offMs(a.creationTime, ctx.now) / 3_600_000;
  if (off <= p.maxOffHours) {
    return {
      kind: "fine",
      why: `InService since ${a.creationTime.toISOString().slice(0, 16)}Z through ${round1(off)} h of off-hours, within the ${p.maxOffHours} h limit`,
    };
  }
  const age = hoursBetween(a.creationTime, ctx.now);
  const hint = !dims
    ? "Studio Classic (KernelGateway) apps cannot run the heartbeat: judged on age and off-hours only"
    : reading
      ? "the heartbeat reported in too few hours to decide"
      : "attach the activity heartbeat as a lifecycle configuration of the space's app for a high-confidence answer";
  return {
    kind: "finding",
    finding: appFinding(
      a,
      tags,
      ctx,
      `${a.appType} app in ${where} on ${a.instanceType}: InService for ${round1(age / 24)} days, through ${round1(off)} h of off-hours (${describeSchedule(schedule)}), no activity heartbeat`,
      policyConfidence(off, p.maxOffHours),
      {
        source: "off-hours-policy",
        offHours: offHoursEvidence(schedule, off, p.maxOffHours),
        ...(dims ? { heartbeat: heartbeatEvidence(dims, w, reading) } : {}),
        hint,
      },
    ),
  };
}

export const idleStudioApp: Detector<IdleStudioAppParams> = {
  type: "idle-studio-app",
  summary:
    "SageMaker Studio apps on billable instances with no activity (heartbeat) or through off-hours; domains and profiles without idle shutdown",
  params: idleStudioAppParams,
  permissions: [
    "sagemaker:ListApps",
    "sagemaker:ListDomains",
    "sagemaker:DescribeDomain",
    "sagemaker:ListUserProfiles",
    "sagemaker:DescribeUserProfile",
    "sagemaker:ListSpaces",
    "tag:GetResources",
    "cloudwatch:GetMetricData",
  ],
  actions: ["delete"],
  inventory: ["studioApps", "studioDomains", "studioUserProfiles", "studioSpaces"],

  metricRequests(inventory, ctx) {
    const w = heartbeatWindow(ctx.now, ctx.params.idleHours);
    const s = studioOf(inventory);
    return inventory.studioApps.flatMap((a) => {
      const dims = heartbeatDims(a);
      if (!dims || !isBillable(a, ctx.params.appTypes) || appExclusion(a, effectiveTags(a, s), ctx))
        return [];
      return [heartbeatRequest(dims, w)];
    });
  },

  detect(inventory, metrics, ctx): DetectResult {
    const w = heartbeatWindow(ctx.now, ctx.params.idleHours);
    const offMs = offHoursCounter({ ...ctx.params.offHours, timezone: ctx.params.timezone });
    const s = studioOf(inventory);
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    for (const a of inventory.studioApps) {
      if (!isBillable(a, ctx.params.appTypes)) continue;
      const tags = effectiveTags(a, s);
      const excluded = appExclusion(a, tags, ctx);
      if (excluded) {
        result.excluded.push({ resource: appId(a), reason: excluded });
        continue;
      }
      const v = judgeApp(a, tags, metrics, ctx, w, offMs);
      if (v.kind === "finding") result.findings.push(v.finding);
      else if (v.kind === "unknown") result.unknown.push({ resource: appId(a), reason: v.reason });
    }
    if (ctx.params.recommendIdleShutdown) recommendations(inventory, s, ctx, result);
    return result;
  },

  describeActivity(inventory, metrics, ctx, resourceId) {
    const s = studioOf(inventory);
    // Ids: a domain is `d-…`, a user profile `d-…/name`, an app `d-…/owner/type/name`.
    const parts = resourceId.split("/").length;
    if (parts === 1) {
      const domain = s.domains.get(resourceId);
      return domain
        ? `Studio domain ${domain.name} now has built-in idle shutdown on`
        : `Studio domain ${resourceId} no longer exists`;
    }
    if (parts === 2) {
      const profile = s.profiles.get(resourceId);
      return profile
        ? `Studio user profile ${profile.name} no longer turns idle shutdown off`
        : `Studio user profile ${resourceId} no longer exists`;
    }
    const live = inventory.studioApps.filter((x) => appId(x) === resourceId && x.status !== "Deleted");
    const a = live.find((x) => x.status === "InService") ?? live[0];
    if (!a) return `Studio app ${resourceId} no longer exists (deleted)`;
    if (a.status !== "InService") return `Studio app ${resourceId} is ${a.status}`;
    if (!isBillable(a, ctx.params.appTypes))
      return `Studio app ${resourceId} runs on ${a.instanceType ?? "no instance"}: nothing billed`;
    const w = heartbeatWindow(ctx.now, ctx.params.idleHours);
    const offMs = offHoursCounter({ ...ctx.params.offHours, timezone: ctx.params.timezone });
    const v = judgeApp(a, effectiveTags(a, s), metrics, ctx, w, offMs);
    return v.kind === "fine" ? v.why : undefined;
  },
};
