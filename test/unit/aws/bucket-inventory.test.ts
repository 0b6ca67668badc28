import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { loadBuckets } from "../../../shared/aws/bucket-inventory.ts";
import { tagsByArn } from "../../../shared/aws/tagging.ts";

const s3 = mockClient(S3Client);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const s3Client = new S3Client({ region: "us-east-1" });
const taggingClient = new ResourceGroupsTaggingAPIClient({ region: "us-east-1" });
const CREATED = new Date("2025-01-01T00:00:00Z");

beforeEach(() => {
  s3.reset();
  tagging.reset();
  tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: "" });
});

describe("tagsByArn", () => {
  it("pages through GetResources 100 at a time for the given types", async () => {
    tagging
      .on(GetResourcesCommand)
      .resolvesOnce({
        ResourceTagMappingList: [{ ResourceARN: "arn:a", Tags: [{ Key: "team", Value: "risk" }] }],
        PaginationToken: "next",
      })
      .resolvesOnce({ ResourceTagMappingList: [{ ResourceARN: "arn:b", Tags: [] }], PaginationToken: "" });

    const tags = await tagsByArn(taggingClient, ["sagemaker:notebook-instance"]);

    expect(tags).toEqual(
      new Map([
        ["arn:a", { team: "risk" }],
        ["arn:b", {}],
      ]),
    );
    expect(tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 2);
    expect(tagging).toHaveReceivedNthCommandWith(GetResourcesCommand, 1, {
      ResourceTypeFilters: ["sagemaker:notebook-instance"],
      ResourcesPerPage: 100,
    });
    expect(tagging).toHaveReceivedNthCommandWith(GetResourcesCommand, 2, { PaginationToken: "next" });
  });
});

describe("loadBuckets", () => {
  it("lists buckets paginated and filtered to the region, with tags from the Tagging API", async () => {
    s3.on(ListBucketsCommand)
      .resolvesOnce({
        Buckets: [{ Name: "tagged", CreationDate: CREATED, BucketRegion: "us-east-1" }],
        ContinuationToken: "more",
      })
      .resolvesOnce({
        Buckets: [{ Name: "never-tagged", CreationDate: CREATED, BucketRegion: "us-east-1" }],
      });
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [{ ResourceARN: "arn:aws:s3:::tagged", Tags: [{ Key: "team", Value: "nlp" }] }],
      PaginationToken: "",
    });

    const buckets = await loadBuckets(s3Client, taggingClient, "us-east-1");

    expect(buckets).toEqual([
      {
        name: "tagged",
        arn: "arn:aws:s3:::tagged",
        region: "us-east-1",
        creationDate: CREATED,
        tags: { team: "nlp" },
      },
      {
        name: "never-tagged",
        arn: "arn:aws:s3:::never-tagged",
        region: "us-east-1",
        creationDate: CREATED,
        tags: {},
      },
    ]);
    expect(s3).toHaveReceivedNthCommandWith(ListBucketsCommand, 1, {
      MaxBuckets: 10_000,
      BucketRegion: "us-east-1",
    });
    expect(s3).toHaveReceivedNthCommandWith(ListBucketsCommand, 2, { ContinuationToken: "more" });
    expect(tagging).toHaveReceivedCommandWith(GetResourcesCommand, { ResourceTypeFilters: ["s3"] });
  });

  it("leaves out buckets of other regions, and dates buckets of unknown region in the scan's", async () => {
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: "here", CreationDate: CREATED, BucketRegion: "eu-west-1" },
        { Name: "elsewhere", CreationDate: CREATED, BucketRegion: "us-east-1" },
        { Name: "unknown", CreationDate: CREATED },
      ],
    });

    const buckets = await loadBuckets(s3Client, taggingClient, "eu-west-1");

    expect(buckets.map((b) => [b.name, b.region])).toEqual([
      ["here", "eu-west-1"],
      ["unknown", "eu-west-1"],
    ]);
  });
});
