import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import {
  CreateAppCommand,
  DeleteAppCommand,
  DescribeAppCommand,
  DescribeDomainCommand,
  DescribeUserProfileCommand,
  ListAppsCommand,
  ListSpacesCommand,
  ListUserProfilesCommand,
  paginateListApps,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { beforeEach, describe, expect, it } from "vitest";
import { resolveScenario } from "../../../../shared/local/sandbox/scenario.ts";
import { clientConfig, NOW, useSandbox, world } from "./helpers.ts";

const D1 = "d-researchteam";
const D2 = "d-platformteam";

const ctx = useSandbox(() =>
  world({
    sagemaker: {
      studio: {
        domains: [
          { id: D1, name: "ml-research", created: "-120d", tags: { team: "research" } },
          {
            id: D2,
            name: "ml-platform",
            created: "-200d",
            idleShutdown: { JupyterLab: { lifecycleManagement: "ENABLED", idleTimeoutInMinutes: 60 } },
          },
        ],
        userProfiles: [
          { domainId: D1, name: "ana", created: "-100d", tags: { owner: "ana@example.com" } },
          {
            domainId: D2,
            name: "ben",
            created: "-90d",
            idleShutdown: { JupyterLab: { lifecycleManagement: "DISABLED" } },
          },
        ],
        spaces: [
          {
            domainId: D1,
            name: "ana-space",
            created: "-60d",
            ownerUserProfileName: "ana",
            appType: "JupyterLab",
          },
          { domainId: D2, name: "team-space", created: "-60d", tags: { project: "p" } },
        ],
        apps: [
          {
            domainId: D1,
            spaceName: "ana-space",
            appType: "JupyterLab",
            instanceType: "ml.g5.2xlarge",
            created: "-5d",
            tags: { k: "v" },
          },
          {
            domainId: D2,
            userProfileName: "ben",
            appType: "KernelGateway",
            appName: "ds",
            instanceType: "system",
            created: "-30d",
          },
          ...Array.from({ length: 130 }, (_, i) => ({
            domainId: D2,
            spaceName: "team-space",
            appType: "CodeEditor" as const,
            appName: `app-${String(i).padStart(3, "0")}`,
            status: "Deleted" as const,
            created: `-${i + 1}h`,
          })),
        ],
      },
    },
  }),
);
const sm = () => new SageMakerClient(clientConfig(ctx.sandbox, { maxAttempts: 1 }));

beforeEach(() => ctx.sandbox.resetCounts());

describe("sandbox Studio", () => {
  it("lists 132 apps in pages of at most 100, with ResourceSpec, without ARNs", async () => {
    const apps = [];
    for await (const page of paginateListApps({ client: sm(), pageSize: 100 }, { MaxResults: 100 })) {
      apps.push(...(page.Apps ?? []));
    }
    expect(apps).toHaveLength(132);
    expect(ctx.sandbox.counts()["SageMaker.ListApps"]).toBe(2);
    const lab = apps.find((a) => a.AppType === "JupyterLab")!;
    expect(lab).toMatchObject({
      DomainId: D1,
      SpaceName: "ana-space",
      Status: "InService",
      AppName: "default",
    });
    expect(lab.ResourceSpec?.InstanceType).toBe("ml.g5.2xlarge");
    expect(lab.CreationTime).toBeInstanceOf(Date);
    expect(Object.keys(lab)).not.toContain("AppArn");
    await expect(sm().send(new ListAppsCommand({ MaxResults: 101 }))).rejects.toMatchObject({
      name: "ValidationException",
    });
  });

  it("describes domains with their idle shutdown settings, and only the configured ones", async () => {
    const d1 = await sm().send(new DescribeDomainCommand({ DomainId: D1 }));
    expect(d1.DomainArn).toBe(`arn:aws:sagemaker:us-east-1:123456789012:domain/${D1}`);
    expect(d1.DefaultUserSettings?.JupyterLabAppSettings).toBeUndefined();
    const d2 = await sm().send(new DescribeDomainCommand({ DomainId: D2 }));
    expect(d2.DefaultUserSettings?.JupyterLabAppSettings?.AppLifecycleManagement?.IdleSettings).toEqual({
      LifecycleManagement: "ENABLED",
      IdleTimeoutInMinutes: 60,
    });
    await expect(sm().send(new DescribeDomainCommand({ DomainId: "d-nonexistent0" }))).rejects.toMatchObject({
      name: "ResourceNotFound",
    });
  });

  it("lists and describes user profiles, with their overrides", async () => {
    const list = await sm().send(new ListUserProfilesCommand({ MaxResults: 100 }));
    expect(list.UserProfiles?.map((p) => p.UserProfileName).sort()).toEqual(["ana", "ben"]);
    const ben = await sm().send(new DescribeUserProfileCommand({ DomainId: D2, UserProfileName: "ben" }));
    expect(ben.UserProfileArn).toBe(`arn:aws:sagemaker:us-east-1:123456789012:user-profile/${D2}/ben`);
    expect(
      ben.UserSettings?.JupyterLabAppSettings?.AppLifecycleManagement?.IdleSettings?.LifecycleManagement,
    ).toBe("DISABLED");
    await expect(
      sm().send(new DescribeUserProfileCommand({ DomainId: D2, UserProfileName: "nobody" })),
    ).rejects.toMatchObject({ name: "ResourceNotFound" });
  });

  it("lists spaces with their owner", async () => {
    const out = await sm().send(new ListSpacesCommand({ MaxResults: 100, DomainIdEquals: D1 }));
    expect(out.Spaces).toEqual([
      expect.objectContaining({
        SpaceName: "ana-space",
        OwnershipSettingsSummary: { OwnerUserProfileName: "ana" },
        SpaceSharingSettingsSummary: { SharingType: "Private" },
      }),
    ]);
  });

  it("describes an app (LastUserActivityTimestamp is a health check), deletes it, recreates it", async () => {
    const key = { DomainId: D1, SpaceName: "ana-space", AppType: "JupyterLab" as const, AppName: "default" };
    const before = await sm().send(new DescribeAppCommand(key));
    expect(before.AppArn).toBe(
      `arn:aws:sagemaker:us-east-1:123456789012:app/${D1}/ana-space/jupyterlab/default`,
    );
    expect(before.Status).toBe("InService");
    expect(before.LastUserActivityTimestamp!.getTime()).toBeGreaterThanOrEqual(NOW.getTime());

    await sm().send(new DeleteAppCommand(key));
    expect((await sm().send(new DescribeAppCommand(key))).Status).toBe("Deleted");
    await expect(sm().send(new DeleteAppCommand(key))).rejects.toMatchObject({ name: "ResourceNotFound" });

    await sm().send(new CreateAppCommand({ ...key, ResourceSpec: { InstanceType: "ml.t3.medium" } }));
    const again = await sm().send(new DescribeAppCommand(key));
    expect(again).toMatchObject({ Status: "InService", ResourceSpec: { InstanceType: "ml.t3.medium" } });
    await expect(sm().send(new CreateAppCommand(key))).rejects.toMatchObject({ name: "ResourceInUse" });
  });

  it("refuses an app key with both or neither of UserProfileName and SpaceName", async () => {
    await expect(
      sm().send(new DescribeAppCommand({ DomainId: D1, AppType: "JupyterLab", AppName: "default" })),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("serves Studio resources through the Tagging API by type", async () => {
    const tagging = new ResourceGroupsTaggingAPIClient(clientConfig(ctx.sandbox));
    const out = await tagging.send(
      new GetResourcesCommand({
        ResourceTypeFilters: ["sagemaker:domain", "sagemaker:user-profile", "sagemaker:space"],
      }),
    );
    expect(out.ResourceTagMappingList?.map((r) => r.ResourceARN).sort()).toEqual([
      `arn:aws:sagemaker:us-east-1:123456789012:domain/${D1}`,
      `arn:aws:sagemaker:us-east-1:123456789012:space/${D2}/team-space`,
      `arn:aws:sagemaker:us-east-1:123456789012:user-profile/${D1}/ana`,
    ]);
  });

  it("checks references in scenario files", () => {
    const bad = {
      name: "x",
      accountId: "123456789012",
      region: "us-east-1",
      sagemaker: {
        studio: {
          domains: [{ id: D1, name: "d", created: "-1d" }],
          apps: [{ domainId: D1, spaceName: "nope", appType: "JupyterLab", created: "-1d" }],
        },
      },
    };
    expect(() => resolveScenario(bad, NOW)).toThrow(/sagemaker\.studio\.apps\.0\.spaceName: no space "nope"/);
    expect(() =>
      resolveScenario(
        { ...bad, sagemaker: { studio: { domains: [{ id: "d-x", name: "d", created: "-1d" }] } } },
        NOW,
      ),
    ).toThrow(/sagemaker\.studio\.domains\.0\.id/);
  });
});
