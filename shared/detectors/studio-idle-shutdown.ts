/**
 * The recommendation half of `idle-studio-app`: Studio domains without built-in idle shutdown
 * (AppLifecycleManagement) for JupyterLab / Code Editor, and user profiles that turn it off,
 * each listing the running billable apps the setting would cover. Review only: the janitor
 * never changes a domain's settings.
 */
import type { Finding, Tags } from "../types.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason, ownerFromTags, plural } from "./common.ts";
import type { IdleStudioAppParams } from "./idle-studio-app.ts";
import type { Inventory, StudioDomainInfo, StudioUserProfileInfo } from "./inventory.ts";
import {
  appId,
  appMonthly,
  IDLE_SHUTDOWN_APP_TYPES,
  isBillable,
  key,
  profileOf,
  type Studio,
} from "./studio-index.ts";
import type { DetectorContext, DetectResult } from "./types.ts";

type Ctx = DetectorContext<IdleStudioAppParams>;

type IdleSetting = Record<string, { enabled: boolean; idleTimeoutMinutes?: number }>;

/** Whether idle shutdown is on for an app type, for a profile (its override, else its domain's). */
function effectiveIdleShutdown(
  appType: string,
  domain: StudioDomainInfo | undefined,
  profile: StudioUserProfileInfo | undefined,
): boolean {
  return (profile?.idleShutdown[appType] ?? domain?.idleShutdown[appType])?.enabled === true;
}

interface CoveredApp {
  app: string;
  instanceType: string | undefined;
  monthlyCostUsd: number;
}

function recommendation(
  ctx: Ctx,
  target: {
    type: "sagemaker:domain" | "sagemaker:user-profile";
    id: string;
    arn: string;
    region: string;
    tags: Tags;
  },
  reason: string,
  evidence: Record<string, unknown>,
  covered: CoveredApp[],
): Finding {
  return {
    id: findingId("idle-studio-app", target.arn),
    detector: "idle-studio-app",
    policy: ctx.policy,
    resource: target,
    owner: ownerFromTags(target.tags, ctx.tags),
    reason,
    evidence: {
      kind: "recommendation",
      ...evidence,
      runningAppsWithoutIdleShutdown: covered,
      runningAppsMonthlyUsd: Math.round(covered.reduce((s, c) => s + c.monthlyCostUsd, 0) * 100) / 100,
      costNote:
        "0 here so totals do not count an app twice: idle apps are findings of their own; this lists what the setting would cover",
      howTo:
        "UpdateDomain / UpdateUserProfile: <AppType>AppSettings.AppLifecycleManagement.IdleSettings = { LifecycleManagement: ENABLED, IdleTimeoutInMinutes: 60 }",
    },
    confidence: "high",
    monthlyCostUsd: 0,
    proposedAction: "review",
  };
}

function settingsEvidence(s: IdleSetting) {
  return Object.fromEntries(
    IDLE_SHUTDOWN_APP_TYPES.map((t) => [
      t,
      s[t]
        ? {
            enabled: s[t].enabled,
            ...(s[t].idleTimeoutMinutes ? { idleTimeoutMinutes: s[t].idleTimeoutMinutes } : {}),
          }
        : "inherited",
    ]),
  );
}

export function recommendations(inv: Inventory, s: Studio, ctx: Ctx, result: DetectResult): void {
  // Running billable apps not covered by idle shutdown, by domain and by profile.
  const uncovered = new Map<string, CoveredApp[]>();
  for (const a of inv.studioApps) {
    if (
      !isBillable(a, ctx.params.appTypes) ||
      !(IDLE_SHUTDOWN_APP_TYPES as readonly string[]).includes(a.appType)
    )
      continue;
    const domain = s.domains.get(a.domainId);
    const profile = profileOf(a, s);
    if (effectiveIdleShutdown(a.appType, domain, profile)) continue;
    const entry = { app: appId(a), instanceType: a.instanceType, monthlyCostUsd: appMonthly(a) ?? 0 };
    for (const k of [a.domainId, profile ? key(profile.domainId, profile.name) : undefined]) {
      if (k) uncovered.set(k, [...(uncovered.get(k) ?? []), entry]);
    }
  }

  for (const d of inv.studioDomains) {
    if (d.status !== "InService") continue;
    const missing = IDLE_SHUTDOWN_APP_TYPES.filter((t) => d.idleShutdown[t]?.enabled !== true);
    if (missing.length === 0) continue;
    const excluded =
      exclusionReason(d.name, d.tags, ctx.tags, ctx.exclude) ??
      exclusionReason(d.id, d.tags, ctx.tags, ctx.exclude);
    if (excluded) {
      result.excluded.push({ resource: d.id, reason: excluded });
      continue;
    }
    const covered = uncovered.get(d.id) ?? [];
    result.findings.push(
      recommendation(
        ctx,
        { type: "sagemaker:domain", id: d.id, arn: d.arn, region: d.region, tags: d.tags },
        `Studio domain ${d.name} has no built-in idle shutdown for ${missing.join(", ")} apps` +
          (covered.length > 0 ? ` (${plural(covered.length, "running app")} not covered)` : ""),
        {
          domainId: d.id,
          domainName: d.name,
          appTypesWithoutIdleShutdown: missing,
          idleShutdown: settingsEvidence(d.idleShutdown),
        },
        covered,
      ),
    );
  }

  for (const p of inv.studioUserProfiles) {
    const disabled = IDLE_SHUTDOWN_APP_TYPES.filter((t) => p.idleShutdown[t]?.enabled === false);
    if (disabled.length === 0) continue;
    const excluded = exclusionReason(p.name, p.tags, ctx.tags, ctx.exclude);
    if (excluded) {
      result.excluded.push({ resource: key(p.domainId, p.name), reason: excluded });
      continue;
    }
    const domain = s.domains.get(p.domainId);
    const covered = uncovered.get(key(p.domainId, p.name)) ?? [];
    result.findings.push(
      recommendation(
        ctx,
        {
          type: "sagemaker:user-profile",
          id: key(p.domainId, p.name),
          arn: p.arn,
          region: p.region,
          tags: p.tags,
        },
        `Studio user profile ${p.name} turns built-in idle shutdown off for ${disabled.join(", ")} apps`,
        {
          domainId: p.domainId,
          userProfileName: p.name,
          appTypesWithoutIdleShutdown: disabled,
          idleShutdown: settingsEvidence(p.idleShutdown),
          ...(domain ? { domainIdleShutdown: settingsEvidence(domain.idleShutdown) } : {}),
        },
        covered,
      ),
    );
  }
}
