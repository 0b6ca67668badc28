/**
 * SageMaker Studio: domains, user profiles, spaces and apps, with AWS's page limits
 * (MaxResults ≤ 100) and error codes (`ResourceNotFound`, `ResourceInUse`). ListApps and
 * ListSpaces carry no ARNs, as in AWS; Describe answers do. DeleteApp lands on `Deleted` at
 * once (AWS passes through `Deleting`); deleted apps stay listed, as AWS lists them for a while.
 */
import { appArn, studioArn } from "../../arn.ts";
import { SandboxError } from "../../errors.ts";
import { pageOf } from "../../pagination.ts";
import type { JsonObject } from "../../protocol/input.ts";
import { oneOf, optObject, optString, reqString, tagList } from "../../protocol/input.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbIdleShutdown, SbStudioApp, SbStudioDomain, SbStudioUserProfile } from "../../types.ts";
import { maxResults, validation } from "./common.ts";

const notFound = (message: string) => new SandboxError("ResourceNotFound", message);
const inUse = (message: string) => new SandboxError("ResourceInUse", message);

function findDomain(ctx: SandboxContext, id: string): SbStudioDomain {
  const d = ctx.scenario.sagemaker.studio.domains.find((x) => x.id === id);
  if (!d) throw notFound(`Domain ${studioArn(ctx.scenario, `domain/${id}`)} does not exist.`);
  return d;
}

function findProfile(ctx: SandboxContext, domainId: string, name: string): SbStudioUserProfile {
  const p = ctx.scenario.sagemaker.studio.userProfiles.find(
    (x) => x.domainId === domainId && x.name === name,
  );
  if (!p) {
    throw notFound(
      `User profile ${studioArn(ctx.scenario, `user-profile/${domainId}/${name}`)} does not exist.`,
    );
  }
  return p;
}

/** Sorted, filtered, paged: the common shape of the Studio List calls. */
function page<T>(
  input: JsonObject,
  op: string,
  items: readonly T[],
  sortKeys: Record<string, (item: T) => number | string>,
  defaultSortBy: string,
  tieBreak: (item: T) => string,
): { items: T[]; nextToken?: string } {
  const size = maxResults(input, 10, 100);
  const sortBy = oneOf(optString(input, "SortBy"), Object.keys(sortKeys), "SortBy") ?? defaultSortBy;
  const order =
    oneOf(optString(input, "SortOrder"), ["Ascending", "Descending"], "SortOrder") ?? "Descending";
  const keyOf = sortKeys[sortBy]!;
  const sign = order === "Ascending" ? 1 : -1;
  const sorted = [...items].sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    if (ka !== kb) return sign * (ka < kb ? -1 : 1);
    return tieBreak(a) < tieBreak(b) ? -1 : tieBreak(a) > tieBreak(b) ? 1 : 0;
  });
  return pageOf(sorted, op, size, optString(input, "NextToken"), "ValidationException");
}

/** `{ JupyterLabAppSettings: { AppLifecycleManagement: { IdleSettings } } }`, only for configured types. */
function userSettings(s: SbIdleShutdown, executionRole?: string) {
  const out: Record<string, unknown> = executionRole ? { ExecutionRole: executionRole } : {};
  for (const [type, settings] of Object.entries(s)) {
    if (!settings) continue;
    out[`${type}AppSettings`] = {
      AppLifecycleManagement: {
        IdleSettings: {
          LifecycleManagement: settings.lifecycleManagement,
          ...(settings.idleTimeoutInMinutes !== undefined
            ? { IdleTimeoutInMinutes: settings.idleTimeoutInMinutes }
            : {}),
        },
      },
    };
  }
  return out;
}

const ListDomains: JsonHandler = (input, ctx) => {
  const { items, nextToken } = page(
    input,
    "ListDomains",
    ctx.scenario.sagemaker.studio.domains,
    { CreationTime: (d) => d.creationTime },
    "CreationTime",
    (d) => d.id,
  );
  return {
    Domains: items.map((d) => ({
      DomainArn: studioArn(ctx.scenario, `domain/${d.id}`),
      DomainId: d.id,
      DomainName: d.name,
      Status: d.status,
      CreationTime: new Date(d.creationTime),
      LastModifiedTime: new Date(d.lastModifiedTime),
      Url: `https://${d.id}.studio.${ctx.scenario.region}.sagemaker.aws`,
    })),
    NextToken: nextToken,
  };
};

const DescribeDomain: JsonHandler = (input, ctx) => {
  const d = findDomain(ctx, reqString(input, "DomainId"));
  return {
    DomainArn: studioArn(ctx.scenario, `domain/${d.id}`),
    DomainId: d.id,
    DomainName: d.name,
    Status: d.status,
    CreationTime: new Date(d.creationTime),
    LastModifiedTime: new Date(d.lastModifiedTime),
    AuthMode: "IAM",
    DefaultUserSettings: userSettings(
      d.idleShutdown,
      `arn:aws:iam::${ctx.scenario.accountId}:role/SageMakerStudioExecutionRole`,
    ),
    AppNetworkAccessType: "PublicInternetOnly",
    Url: `https://${d.id}.studio.${ctx.scenario.region}.sagemaker.aws`,
    VpcId: "vpc-0sandbox",
    SubnetIds: ["subnet-0sandbox"],
  };
};

const ListUserProfiles: JsonHandler = (input, ctx) => {
  const domain = optString(input, "DomainIdEquals");
  const contains = optString(input, "UserProfileNameContains")?.toLowerCase();
  const profiles = ctx.scenario.sagemaker.studio.userProfiles.filter(
    (p) =>
      (domain === undefined || p.domainId === domain) &&
      (contains === undefined || p.name.toLowerCase().includes(contains)),
  );
  const { items, nextToken } = page(
    input,
    "ListUserProfiles",
    profiles,
    { CreationTime: (p) => p.creationTime, LastModifiedTime: (p) => p.lastModifiedTime },
    "CreationTime",
    (p) => `${p.domainId}/${p.name}`,
  );
  return {
    UserProfiles: items.map((p) => ({
      DomainId: p.domainId,
      UserProfileName: p.name,
      Status: p.status,
      CreationTime: new Date(p.creationTime),
      LastModifiedTime: new Date(p.lastModifiedTime),
    })),
    NextToken: nextToken,
  };
};

const DescribeUserProfile: JsonHandler = (input, ctx) => {
  const p = findProfile(ctx, reqString(input, "DomainId"), reqString(input, "UserProfileName"));
  return {
    DomainId: p.domainId,
    UserProfileArn: studioArn(ctx.scenario, `user-profile/${p.domainId}/${p.name}`),
    UserProfileName: p.name,
    Status: p.status,
    CreationTime: new Date(p.creationTime),
    LastModifiedTime: new Date(p.lastModifiedTime),
    UserSettings: userSettings(p.idleShutdown),
  };
};

const ListSpaces: JsonHandler = (input, ctx) => {
  const domain = optString(input, "DomainIdEquals");
  const contains = optString(input, "SpaceNameContains")?.toLowerCase();
  const spaces = ctx.scenario.sagemaker.studio.spaces.filter(
    (s) =>
      (domain === undefined || s.domainId === domain) &&
      (contains === undefined || s.name.toLowerCase().includes(contains)),
  );
  const { items, nextToken } = page(
    input,
    "ListSpaces",
    spaces,
    { CreationTime: (s) => s.creationTime, LastModifiedTime: (s) => s.lastModifiedTime },
    "CreationTime",
    (s) => `${s.domainId}/${s.name}`,
  );
  return {
    Spaces: items.map((s) => ({
      DomainId: s.domainId,
      SpaceName: s.name,
      Status: s.status,
      CreationTime: new Date(s.creationTime),
      LastModifiedTime: new Date(s.lastModifiedTime),
      SpaceSettingsSummary: s.appType ? { AppType: s.appType } : undefined,
      SpaceSharingSettingsSummary: { SharingType: s.ownerUserProfileName ? "Private" : "Shared" },
      OwnershipSettingsSummary: s.ownerUserProfileName
        ? { OwnerUserProfileName: s.ownerUserProfileName }
        : undefined,
      SpaceDisplayName: s.name,
    })),
    NextToken: nextToken,
  };
};

function resourceSpec(ctx: SandboxContext, a: SbStudioApp) {
  if (a.instanceType === undefined) return undefined;
  return {
    InstanceType: a.instanceType,
    SageMakerImageArn: `arn:aws:sagemaker:${ctx.scenario.region}:081325390199:image/sagemaker-distribution-cpu`,
  };
}

const ListApps: JsonHandler = (input, ctx) => {
  const domain = optString(input, "DomainIdEquals");
  const profile = optString(input, "UserProfileNameEquals");
  const space = optString(input, "SpaceNameEquals");
  if (profile !== undefined && space !== undefined) {
    throw validation("UserProfileNameEquals and SpaceNameEquals cannot both be specified.");
  }
  const apps = ctx.scenario.sagemaker.studio.apps.filter(
    (a) =>
      (domain === undefined || a.domainId === domain) &&
      (profile === undefined || a.userProfileName === profile) &&
      (space === undefined || a.spaceName === space),
  );
  const { items, nextToken } = page(
    input,
    "ListApps",
    apps,
    { CreationTime: (a) => a.creationTime },
    "CreationTime",
    (a) => appArn(ctx.scenario, a),
  );
  return {
    Apps: items.map((a) => ({
      DomainId: a.domainId,
      UserProfileName: a.userProfileName,
      SpaceName: a.spaceName,
      AppType: a.appType,
      AppName: a.appName,
      Status: a.status,
      CreationTime: new Date(a.creationTime),
      ResourceSpec: resourceSpec(ctx, a),
    })),
    NextToken: nextToken,
  };
};

interface AppKey {
  domainId: string;
  userProfileName?: string;
  spaceName?: string;
  appType: string;
  appName: string;
}

function appKey(input: JsonObject): AppKey {
  const userProfileName = optString(input, "UserProfileName");
  const spaceName = optString(input, "SpaceName");
  if ((userProfileName === undefined) === (spaceName === undefined)) {
    throw validation("Exactly one of UserProfileName and SpaceName must be specified.");
  }
  return {
    domainId: reqString(input, "DomainId"),
    ...(userProfileName !== undefined ? { userProfileName } : {}),
    ...(spaceName !== undefined ? { spaceName } : {}),
    appType: reqString(input, "AppType"),
    appName: reqString(input, "AppName"),
  };
}

/** The newest app with this key (a deleted one may linger next to a new one of the same name). */
function findApp(ctx: SandboxContext, k: AppKey): SbStudioApp | undefined {
  return ctx.scenario.sagemaker.studio.apps
    .filter(
      (a) =>
        a.domainId === k.domainId &&
        a.userProfileName === k.userProfileName &&
        a.spaceName === k.spaceName &&
        a.appType === k.appType &&
        a.appName === k.appName,
    )
    .sort((a, b) => b.creationTime - a.creationTime)[0];
}

const DescribeApp: JsonHandler = (input, ctx) => {
  const k = appKey(input);
  const a = findApp(ctx, k);
  if (!a) throw notFound(`App ${appArn(ctx.scenario, k)} does not exist.`);
  return {
    AppArn: appArn(ctx.scenario, a),
    AppType: a.appType,
    AppName: a.appName,
    DomainId: a.domainId,
    UserProfileName: a.userProfileName,
    SpaceName: a.spaceName,
    Status: a.status,
    // AWS sets both from its health checks: neither says whether anyone used the app.
    LastHealthCheckTimestamp: new Date(ctx.now),
    LastUserActivityTimestamp: new Date(a.lastUserActivityTime ?? ctx.now),
    CreationTime: new Date(a.creationTime),
    ResourceSpec: resourceSpec(ctx, a),
  };
};

const DeleteApp: JsonHandler = (input, ctx) => {
  const k = appKey(input);
  const a = findApp(ctx, k);
  if (!a || a.status === "Deleted") throw notFound(`App ${appArn(ctx.scenario, k)} does not exist.`);
  if (a.status === "Deleting") throw inUse(`App ${appArn(ctx.scenario, k)} is already being deleted.`);
  a.status = "Deleted";
  return {};
};

/** For restores: a new InService app at once (AWS passes through Pending). */
const CreateApp: JsonHandler = (input, ctx) => {
  const k = appKey(input);
  findDomain(ctx, k.domainId);
  if (k.userProfileName) findProfile(ctx, k.domainId, k.userProfileName);
  if (
    k.spaceName &&
    !ctx.scenario.sagemaker.studio.spaces.some((s) => s.domainId === k.domainId && s.name === k.spaceName)
  ) {
    throw notFound(`Space ${studioArn(ctx.scenario, `space/${k.domainId}/${k.spaceName}`)} does not exist.`);
  }
  const existing = findApp(ctx, k);
  if (existing && existing.status !== "Deleted" && existing.status !== "Failed") {
    throw inUse(`App ${appArn(ctx.scenario, k)} already exists with status ${existing.status}.`);
  }
  const instanceType = optString(optObject(input, "ResourceSpec") ?? {}, "InstanceType");
  ctx.scenario.sagemaker.studio.apps.push({
    ...k,
    status: "InService",
    ...(instanceType !== undefined ? { instanceType } : {}),
    creationTime: ctx.now,
    lastUserActivityTime: ctx.now,
    tags: tagList(input, "Tags"),
  });
  return { AppArn: appArn(ctx.scenario, k) };
};

export const studioOperations: Record<string, JsonHandler> = {
  ListDomains,
  DescribeDomain,
  ListUserProfiles,
  DescribeUserProfile,
  ListSpaces,
  ListApps,
  DescribeApp,
  DeleteApp,
  CreateApp,
};
