/**
 * The Studio inventory as `idle-studio-app` reads it: lookups by domain, profile and space,
 * which profile an app belongs to (its own, or its private space's owner), the tags it
 * inherits, whether it bills, and its list price per month.
 */
import { hourlyToMonthly, sagemakerHourly } from "../pricing/monthly-cost.ts";
import type { Tags } from "../types.ts";
import type {
  Inventory,
  StudioAppInfo,
  StudioDomainInfo,
  StudioSpaceInfo,
  StudioUserProfileInfo,
} from "./inventory.ts";

export const BILLABLE_APP_TYPES = ["JupyterLab", "CodeEditor", "KernelGateway"] as const;
/** The app types Studio's built-in idle shutdown (AppLifecycleManagement) covers. */
export const IDLE_SHUTDOWN_APP_TYPES = ["JupyterLab", "CodeEditor"] as const;

/** Lookups over the Studio inventory, built once per run. */
export interface Studio {
  domains: Map<string, StudioDomainInfo>;
  profiles: Map<string, StudioUserProfileInfo>;
  spaces: Map<string, StudioSpaceInfo>;
}

export const key = (domainId: string, name: string) => `${domainId}/${name}`;

export function studioOf(inv: Inventory): Studio {
  return {
    domains: new Map(inv.studioDomains.map((d) => [d.id, d])),
    profiles: new Map(inv.studioUserProfiles.map((p) => [key(p.domainId, p.name), p])),
    spaces: new Map(inv.studioSpaces.map((s) => [key(s.domainId, s.name), s])),
  };
}

export function appId(a: StudioAppInfo): string {
  return `${a.domainId}/${a.spaceName ?? a.userProfileName ?? "-"}/${a.appType}/${a.appName}`;
}

export function spaceOf(a: StudioAppInfo, s: Studio): StudioSpaceInfo | undefined {
  return a.spaceName ? s.spaces.get(key(a.domainId, a.spaceName)) : undefined;
}

/** The user profile an app belongs to: its own, or the owner of its private space. */
export function profileOf(a: StudioAppInfo, s: Studio): StudioUserProfileInfo | undefined {
  const name = a.userProfileName ?? spaceOf(a, s)?.ownerUserProfileName;
  return name ? s.profiles.get(key(a.domainId, name)) : undefined;
}

export function effectiveTags(a: StudioAppInfo, s: Studio): Tags {
  return { ...profileOf(a, s)?.tags, ...spaceOf(a, s)?.tags, ...a.tags };
}

/** Free: the `system` instance type, no instance type at all, or an app type we do not judge. */
export function isBillable(a: StudioAppInfo, appTypes: readonly string[]): boolean {
  return (
    a.status === "InService" &&
    appTypes.includes(a.appType) &&
    a.instanceType !== undefined &&
    a.instanceType !== "system"
  );
}

export function appMonthly(a: StudioAppInfo): number | undefined {
  const hourly = a.instanceType ? sagemakerHourly(a.instanceType, a.region) : undefined;
  return hourly === undefined ? undefined : Math.round(hourlyToMonthly(hourly) * 100) / 100;
}
