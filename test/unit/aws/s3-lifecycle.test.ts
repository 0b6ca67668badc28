import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  deleteLifecycle,
  getLifecycle,
  loadBucketLifecycles,
  loadRegionBucketLifecycles,
  putLifecycle,
} from "../../../shared/aws/s3-lifecycle.ts";

const s3 = mockClient(S3Client);
const client = new S3Client({ region: "us-east-1" });
const NOW = new Date("2026-11-23T12:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const GIB = 1024 ** 3;

function awsError(name: string): Error {
  return Object.assign(new Error(`${name} message`), { name });
}

beforeEach(() => {
  s3.reset();
  s3.on(GetBucketLifecycleConfigurationCommand).rejects(awsError("NoSuchLifecycleConfiguration"));
  s3.on(GetBucketVersioningCommand).resolves({});
  s3.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false });
});

describe("loadBucketLifecycles", () => {
  it("reads rules and versioning (tags come in bulk with the buckets), and lists a rule-less bucket into an age profile, page by page", async () => {
    s3.on(GetBucketVersioningCommand, { Bucket: "ml" }).resolves({ Status: "Enabled" });
    s3.on(ListObjectsV2Command, { Bucket: "ml" })
      .resolvesOnce({
        Contents: [
          { Key: "experiments/a", Size: 2 * GIB, LastModified: ago(200), StorageClass: "STANDARD" },
          { Key: "experiments/b", Size: 1 * GIB, LastModified: ago(250), StorageClass: "STANDARD" },
          { Key: "experiments/c.json", Size: 1000, LastModified: ago(5), StorageClass: "STANDARD" },
        ],
        IsTruncated: true,
        NextContinuationToken: "t1",
      })
      .resolvesOnce({
        Contents: [
          { Key: "experiments/d", Size: 3 * GIB, LastModified: ago(40), StorageClass: "STANDARD_IA" },
          { Key: "root.txt", Size: 10, LastModified: ago(1) },
        ],
        IsTruncated: false,
      });

    const [info] = await loadBucketLifecycles(client, ["ml"], "us-east-1", { now: NOW });

    expect(s3).toHaveReceivedCommandWith(GetBucketLifecycleConfigurationCommand, { Bucket: "ml" });
    // Bucket tags are the `buckets` inventory's (one tagging call for all): none asked per bucket.
    expect(s3).not.toHaveReceivedCommand(GetBucketTaggingCommand);
    expect(s3).toHaveReceivedCommandWith(GetBucketVersioningCommand, { Bucket: "ml" });
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    expect(s3).toHaveReceivedNthCommandWith(ListObjectsV2Command, 1, { Bucket: "ml", MaxKeys: 1000 });
    expect(s3).toHaveReceivedNthCommandWith(ListObjectsV2Command, 2, {
      Bucket: "ml",
      MaxKeys: 1000,
      ContinuationToken: "t1",
    });
    expect(info).toEqual({
      bucket: "ml",
      arn: "arn:aws:s3:::ml",
      region: "us-east-1",
      versioning: "Enabled",
      lifecycle: null,
      ageProfile: {
        asOf: NOW.toISOString(),
        objectsListed: 5,
        bytesListed: 6 * GIB + 1010,
        complete: true,
        cells: [
          {
            prefix: "",
            band: "0-30",
            storageClass: "STANDARD",
            objects: 1,
            bytes: 10,
            smallObjects: 1,
            smallBytes: 10,
          },
          {
            prefix: "experiments/",
            band: "0-30",
            storageClass: "STANDARD",
            objects: 1,
            bytes: 1000,
            smallObjects: 1,
            smallBytes: 1000,
          },
          {
            prefix: "experiments/",
            band: "30-90",
            storageClass: "STANDARD_IA",
            objects: 1,
            bytes: 3 * GIB,
            smallObjects: 0,
            smallBytes: 0,
          },
          {
            prefix: "experiments/",
            band: "180+",
            storageClass: "STANDARD",
            objects: 2,
            bytes: 3 * GIB,
            smallObjects: 0,
            smallBytes: 0,
          },
        ],
      },
    });
  });

  it("does not list a bucket whose rules already transition or expire objects; keeps the rules as data", async () => {
    const date = new Date("2027-01-01T00:00:00Z");
    s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: "kept" }).resolves({
      Rules: [
        {
          ID: "t",
          Status: "Enabled",
          Filter: { Prefix: "a/" },
          Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" }],
        },
        { ID: "d", Status: "Enabled", Filter: {}, Expiration: { Date: date } },
      ],
      TransitionDefaultMinimumObjectSize: "varies_by_storage_class",
    });

    const [info] = await loadBucketLifecycles(client, ["kept"], "us-east-1", { now: NOW });

    expect(s3).not.toHaveReceivedCommand(ListObjectsV2Command);
    expect(info?.ageProfile).toBeUndefined();
    expect(info?.lifecycle).toEqual({
      Rules: [
        {
          ID: "t",
          Status: "Enabled",
          Filter: { Prefix: "a/" },
          Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" }],
        },
        { ID: "d", Status: "Enabled", Filter: {}, Expiration: { Date: "2027-01-01T00:00:00.000Z" } },
      ],
      TransitionDefaultMinimumObjectSize: "varies_by_storage_class",
    });
  });

  it("stops at the key cap and says so in the profile", async () => {
    const page = (n: number, token: string) => ({
      Contents: Array.from({ length: n }, (_, i) => ({
        Key: `k/${token}${i}`,
        Size: 1,
        LastModified: ago(1),
      })),
      IsTruncated: true,
      NextContinuationToken: token,
    });
    s3.on(ListObjectsV2Command).resolvesOnce(page(1000, "a")).resolvesOnce(page(500, "b"));

    const [info] = await loadBucketLifecycles(client, ["big"], "us-east-1", {
      now: NOW,
      maxKeysPerBucket: 1500,
    });

    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    expect(s3).toHaveReceivedNthCommandWith(ListObjectsV2Command, 2, {
      Bucket: "big",
      MaxKeys: 500,
      ContinuationToken: "a",
    });
    expect(info?.ageProfile).toMatchObject({ objectsListed: 1500, complete: false, keyCap: 1500 });
  });

  it("records an unreadable bucket as an error and still loads the others", async () => {
    s3.on(GetBucketLifecycleConfigurationCommand, { Bucket: "denied" }).rejects(awsError("AccessDenied"));

    const infos = await loadBucketLifecycles(client, ["denied", "ok"], "us-east-1", { now: NOW });

    expect(infos.map((i) => [i.bucket, i.error])).toEqual([
      ["denied", "AccessDenied: AccessDenied message"],
      ["ok", undefined],
    ]);
    await expect(loadBucketLifecycles(client, ["x"], "us-east-1", { maxKeysPerBucket: 0 })).rejects.toThrow(
      /maxKeysPerBucket must be ≥ 1/,
    );
  });

  it("loads only the region's buckets", async () => {
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: "here", BucketRegion: "us-east-1" },
        { Name: "there", BucketRegion: "eu-west-1" },
      ],
    });

    const infos = await loadRegionBucketLifecycles(client, "us-east-1", { now: NOW });

    expect(infos.map((i) => i.bucket)).toEqual(["here"]);
    expect(s3).not.toHaveReceivedCommandWith(GetBucketLifecycleConfigurationCommand, { Bucket: "there" });
  });
});

describe("lifecycle reads and writes", () => {
  it("reads none as null, puts dates back as dates, and deletes", async () => {
    expect(await getLifecycle(client, "b")).toBeNull();
    s3.on(PutBucketLifecycleConfigurationCommand).resolves({});
    s3.on(DeleteBucketLifecycleCommand).resolves({});

    await putLifecycle(client, "b", {
      Rules: [{ ID: "x", Status: "Enabled", Filter: {}, Expiration: { Date: "2027-01-01T00:00:00.000Z" } }],
      TransitionDefaultMinimumObjectSize: "all_storage_classes_128K",
    });
    await deleteLifecycle(client, "b");

    expect(s3).toHaveReceivedCommandWith(PutBucketLifecycleConfigurationCommand, {
      Bucket: "b",
      LifecycleConfiguration: {
        Rules: [
          { ID: "x", Status: "Enabled", Filter: {}, Expiration: { Date: new Date("2027-01-01T00:00:00Z") } },
        ],
      },
      TransitionDefaultMinimumObjectSize: "all_storage_classes_128K",
    });
    expect(s3).toHaveReceivedCommandWith(DeleteBucketLifecycleCommand, { Bucket: "b" });
  });
});
