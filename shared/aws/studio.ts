/**
 * SageMaker Studio inventories: apps, domains, user profiles, spaces. Listing calls take AWS's
 * maximum page size (100); domains and user profiles are described one by one (their idle
 * shutdown settings are only in the Describe answers) with bounded concurrency; tags come in
 * bulk from the Tagging API, one walk per resource type.
 *
 * ListApps and ListSpaces return no ARNs, so they are built the way SageMaker spells them
 * (lowercased: `app/<domain>/<profile or space>/<type>/<name>`), which needs the account id.
 */
import type { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import {
  type AppLifecycleManagement,
  DescribeDomainCommand,
  DescribeUserProfileCommand,
  paginateListApps,
  paginateListDomains,
  paginateListSpaces,
  paginateListUserProfiles,
  type SageMakerClient,
  type UserSettings,
} from "@aws-sdk/client-sagemaker";
import type { STSClient } from "@aws-sdk/client-sts";
import pLimit from "p-limit";
import type {
  StudioAppInfo,
  StudioDomainInfo,
  StudioSpaceInfo,
  StudioUserProfileInfo,
} from "../detectors/inventory.ts";
import { callerAccount } from "./identity.ts";
import { tagLookup } from "./tag-lookup.ts";
import { tagsByArn } from "./tagging.ts";

const PAGE = 100;
const DESCRIBE_CONCURRENCY = 8;

/** The app types whose idle shutdown lives in AppLifecycleManagement. */
const IDLE_APP_TYPES = ["JupyterLab", "CodeEditor"] as const;

type IdleShutdown = Record<string, { enabled: boolean; idleTimeoutMinutes?: number }>;

// The account behind a set of credentials never changes: ask STS once per client.
const accounts = new WeakMap<STSClient, Promise<string>>();

function accountOf(sts: STSClient): Promise<string> {
  let account = accounts.get(sts);
  if (!account) {
    account = callerAccount(sts).then((c) => c.accountId);
    account.catch(() => accounts.delete(sts));
    accounts.set(sts, account);
  }
  return account;
}

export function studioArn(region: string, account: string, resource: string): string {
  return `arn:aws:sagemaker:${region}:${account}:${resource.toLowerCase()}`;
}

export async function loadStudioApps(
  sagemaker: SageMakerClient,
  tagging: ResourceGroupsTaggingAPIClient,
  sts: STSClient,
  region: string,
): Promise<StudioAppInfo[]> {
  const [account, tags, apps] = await Promise.all([
    accountOf(sts),
    tagsByArn(tagging, ["sagemaker:app"]),
    (async () => {
      const out = [];
      for await (const page of paginateListApps(
        { client: sagemaker, pageSize: PAGE },
        { MaxResults: PAGE },
      )) {
        out.push(...(page.Apps ?? []));
      }
      return out;
    })(),
  ]);
  const tagsOf = tagLookup(tags);
  return apps.flatMap((a) => {
    if (!a.DomainId || !a.AppType || !a.AppName) return [];
    const owner = a.SpaceName ?? a.UserProfileName ?? "";
    const arn = studioArn(region, account, `app/${a.DomainId}/${owner}/${a.AppType}/${a.AppName}`);
    return [
      {
        domainId: a.DomainId,
        ...(a.UserProfileName ? { userProfileName: a.UserProfileName } : {}),
        ...(a.SpaceName ? { spaceName: a.SpaceName } : {}),
        appType: a.AppType,
        appName: a.AppName,
        arn,
        region,
        status: a.Status ?? "Unknown",
        ...(a.ResourceSpec?.InstanceType ? { instanceType: a.ResourceSpec.InstanceType } : {}),
        creationTime: a.CreationTime ?? new Date(0),
        tags: tagsOf(arn),
      },
    ];
  });
}

function idleSetting(m: AppLifecycleManagement | undefined) {
  const s = m?.IdleSettings;
  if (!s?.LifecycleManagement) return undefined;
  return {
    enabled: s.LifecycleManagement === "ENABLED",
    ...(s.IdleTimeoutInMinutes !== undefined ? { idleTimeoutMinutes: s.IdleTimeoutInMinutes } : {}),
  };
}

/** Settings per app type; a type the settings do not mention is absent (it inherits). */
function idleShutdownOf(settings: UserSettings | undefined): IdleShutdown {
  const out: IdleShutdown = {};
  const jl = idleSetting(settings?.JupyterLabAppSettings?.AppLifecycleManagement);
  const ce = idleSetting(settings?.CodeEditorAppSettings?.AppLifecycleManagement);
  if (jl) out.JupyterLab = jl;
  if (ce) out.CodeEditor = ce;
  return out;
}

export async function loadStudioDomains(
  sagemaker: SageMakerClient,
  tagging: ResourceGroupsTaggingAPIClient,
  region: string,
): Promise<StudioDomainInfo[]> {
  const limit = pLimit(DESCRIBE_CONCURRENCY);
  const [tags, ids] = await Promise.all([
    tagsByArn(tagging, ["sagemaker:domain"]),
    (async () => {
      const out: string[] = [];
      for await (const page of paginateListDomains(
        { client: sagemaker, pageSize: PAGE },
        { MaxResults: PAGE },
      )) {
        for (const d of page.Domains ?? []) if (d.DomainId) out.push(d.DomainId);
      }
      return out;
    })(),
  ]);
  const tagsOf = tagLookup(tags);
  const domains = await Promise.all(
    ids.map((id) => limit(() => sagemaker.send(new DescribeDomainCommand({ DomainId: id })))),
  );
  return domains.map((d) => {
    const own = idleShutdownOf(d.DefaultUserSettings);
    // A domain that says nothing has idle shutdown off.
    const idleShutdown: IdleShutdown = {};
    for (const t of IDLE_APP_TYPES) idleShutdown[t] = own[t] ?? { enabled: false };
    const arn = d.DomainArn ?? "";
    return {
      id: d.DomainId ?? "",
      name: d.DomainName ?? d.DomainId ?? "",
      arn,
      region,
      status: d.Status ?? "Unknown",
      creationTime: d.CreationTime ?? new Date(0),
      idleShutdown,
      tags: tagsOf(arn),
    };
  });
}

export async function loadStudioUserProfiles(
  sagemaker: SageMakerClient,
  tagging: ResourceGroupsTaggingAPIClient,
  region: string,
): Promise<StudioUserProfileInfo[]> {
  const limit = pLimit(DESCRIBE_CONCURRENCY);
  const [tags, profiles] = await Promise.all([
    tagsByArn(tagging, ["sagemaker:user-profile"]),
    (async () => {
      const out: Array<{ domainId: string; name: string }> = [];
      for await (const page of paginateListUserProfiles(
        { client: sagemaker, pageSize: PAGE },
        { MaxResults: PAGE },
      )) {
        for (const p of page.UserProfiles ?? []) {
          if (p.DomainId && p.UserProfileName) out.push({ domainId: p.DomainId, name: p.UserProfileName });
        }
      }
      return out;
    })(),
  ]);
  const tagsOf = tagLookup(tags);
  const described = await Promise.all(
    profiles.map((p) =>
      limit(() =>
        sagemaker.send(new DescribeUserProfileCommand({ DomainId: p.domainId, UserProfileName: p.name })),
      ),
    ),
  );
  return described.map((p) => {
    const arn = p.UserProfileArn ?? "";
    return {
      domainId: p.DomainId ?? "",
      name: p.UserProfileName ?? "",
      arn,
      region,
      creationTime: p.CreationTime ?? new Date(0),
      idleShutdown: idleShutdownOf(p.UserSettings),
      tags: tagsOf(arn),
    };
  });
}

export async function loadStudioSpaces(
  sagemaker: SageMakerClient,
  tagging: ResourceGroupsTaggingAPIClient,
  sts: STSClient,
  region: string,
): Promise<StudioSpaceInfo[]> {
  const [account, tags, spaces] = await Promise.all([
    accountOf(sts),
    tagsByArn(tagging, ["sagemaker:space"]),
    (async () => {
      const out = [];
      for await (const page of paginateListSpaces(
        { client: sagemaker, pageSize: PAGE },
        { MaxResults: PAGE },
      )) {
        out.push(...(page.Spaces ?? []));
      }
      return out;
    })(),
  ]);
  const tagsOf = tagLookup(tags);
  return spaces.flatMap((s) => {
    if (!s.DomainId || !s.SpaceName) return [];
    const arn = studioArn(region, account, `space/${s.DomainId}/${s.SpaceName}`);
    const owner = s.OwnershipSettingsSummary?.OwnerUserProfileName;
    return [
      {
        domainId: s.DomainId,
        name: s.SpaceName,
        arn,
        region,
        status: s.Status ?? "Unknown",
        creationTime: s.CreationTime ?? new Date(0),
        ...(owner ? { ownerUserProfileName: owner } : {}),
        tags: tagsOf(arn),
      },
    ];
  });
}
