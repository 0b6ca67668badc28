import {
  GetResourcesCommand,
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
  TagResourcesCommand,
  UntagResourcesCommand,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { describe, expect, it } from "vitest";
import { clientConfig, manyEndpoints, useSandbox, world } from "./helpers.ts";

const ctx = useSandbox(() => {
  const s = world(manyEndpoints(250));
  s.ec2.instances.push({
    instanceId: "i-0abc",
    instanceType: "g5.2xlarge",
    state: "running",
    launchTime: 0,
    tags: { team: "a" },
  });
  s.ec2.instances.push({
    instanceId: "i-0def",
    instanceType: "g5.2xlarge",
    state: "running",
    launchTime: 0,
    tags: {},
  });
  s.s3.buckets.push({ name: "ml-models", creationTime: 0, tags: { team: "b" }, objects: [] });
  return s;
});
const tagging = () => new ResourceGroupsTaggingAPIClient(clientConfig(ctx.sandbox, { maxAttempts: 1 }));

describe("Tagging GetResources", () => {
  it("pages tagged resources only and ends on an empty PaginationToken", async () => {
    ctx.sandbox.resetCounts();
    const arns: string[] = [];
    const tokens: Array<string | undefined> = [];
    for await (const page of paginateGetResources({ client: tagging() }, { ResourcesPerPage: 50 })) {
      arns.push(...(page.ResourceTagMappingList ?? []).map((r) => r.ResourceARN!));
      tokens.push(page.PaginationToken);
    }
    // 125 tagged endpoints + 1 tagged instance + 1 bucket; never-tagged ones are invisible.
    expect(arns).toHaveLength(127);
    expect(arns).not.toContain("arn:aws:ec2:us-east-1:123456789012:instance/i-0def");
    expect(tokens.at(-1)).toBe("");
    expect(ctx.sandbox.counts()["Tagging.GetResources"]).toBe(3);
  });

  it("filters by resource type and tag values", async () => {
    const eps = await tagging().send(
      new GetResourcesCommand({
        ResourceTypeFilters: ["sagemaker:endpoint"],
        TagFilters: [{ Key: "team", Values: ["a"] }],
        ResourcesPerPage: 100,
      }),
    );
    expect(eps.ResourceTagMappingList).toHaveLength(63);
    const s3 = await tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ["s3"] }));
    expect(s3.ResourceTagMappingList?.map((r) => r.ResourceARN)).toEqual(["arn:aws:s3:::ml-models"]);
    const ec2 = await tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ["ec2:instance"] }));
    expect(ec2.ResourceTagMappingList?.[0]?.Tags).toEqual([{ Key: "team", Value: "a" }]);
  });

  it("refuses more than 100 per page", async () => {
    await expect(tagging().send(new GetResourcesCommand({ ResourcesPerPage: 101 }))).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
  });

  it("tags and untags; a resource stripped of all tags stays listed with an empty set", async () => {
    const arn = "arn:aws:ec2:us-east-1:123456789012:instance/i-0def";
    const out = await tagging().send(
      new TagResourcesCommand({ ResourceARNList: [arn, "arn:aws:s3:::nope"], Tags: { owner: "x" } }),
    );
    expect(Object.keys(out.FailedResourcesMap ?? {})).toEqual(["arn:aws:s3:::nope"]);
    await tagging().send(new UntagResourcesCommand({ ResourceARNList: [arn], TagKeys: ["owner"] }));
    const ec2 = await tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ["ec2:instance"] }));
    expect(ec2.ResourceTagMappingList?.find((r) => r.ResourceARN === arn)?.Tags).toEqual([]);
  });
});
