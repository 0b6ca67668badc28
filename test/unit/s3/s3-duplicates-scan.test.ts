import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import {
  GetBucketVersioningCommand,
  HeadObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { AwsClients } from "../../../shared/aws/clients.ts";
import { parseConfig } from "../../../shared/policy/load-config.ts";
import { runScan } from "../../../shared/scan/run-scan.ts";

const s3 = mockClient(S3Client);
const cloudwatch = mockClient(CloudWatchClient);
const sts = mockClient(STSClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const NOW = new Date("2026-11-22T09:00:00Z");
const MIB = 1024 * 1024;

const policy = (name: string, scope: string[]) => `  - name: ${name}
    type: s3-duplicates
    mode: report
    params:
      scope: [${scope.join(", ")}]
`;

beforeEach(() => {
  s3.reset();
  cloudwatch.reset();
  sts.reset();
  tagging.reset();
  // Bucket tags (owner, protect and production tags): none here.
  tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/x" });
  s3.on(ListBucketsCommand).resolves({
    Buckets: ["ml-models-prod", "ml-experiments", "ml-logs", "ml-huge"].map((Name) => ({
      Name,
      BucketRegion: "us-east-1",
    })),
  });
  s3.on(ListBucketInventoryConfigurationsCommand).resolves({ InventoryConfigurationList: [] });
  s3.on(GetBucketVersioningCommand).resolves({});
  s3.on(HeadObjectCommand).resolves({ ETag: '"aa"' });
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
  s3.on(ListObjectsV2Command, { Bucket: "ml-experiments", Prefix: "runs/" }).resolves({
    Contents: ["runs/1/w.bin", "runs/2/w.bin"].map((Key) => ({
      Key,
      Size: 2 * MIB,
      ETag: '"aa"',
      LastModified: new Date("2026-11-01T00:00:00Z"),
      StorageClass: "STANDARD",
    })),
  });
  cloudwatch.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: MetricDataQuery[] }) => ({
    MetricDataResults: input.MetricDataQueries.filter(
      (q) => q.MetricStat?.Metric?.Dimensions?.[0]?.Value === "ml-huge",
    ).map((q) => ({ Id: q.Id, Timestamps: [new Date("2026-11-21T00:00:00Z")], Values: [9_000_000] })),
  }));
});

afterAll(() => {
  s3.restore();
  cloudwatch.restore();
  sts.restore();
  tagging.restore();
});

describe("the scan gives the s3Objects loader its policies' params", () => {
  it("reads only the union of the policies' scopes, and reports a skipped bucket as an error of the detector", async () => {
    const config = parseConfig(
      `version: 1\nregions: [us-east-1]\npolicies:\n${policy("dup-runs", ["ml-experiments/runs/"])}${policy("dup-models", ["ml-models-prod/registry/", "ml-huge"])}`,
    );
    const clients = new AwsClients({ region: "us-east-1" });

    const report = await runScan({ config, clients, now: NOW });

    const listed = s3
      .commandCalls(ListObjectsV2Command)
      .map((c) => `${c.args[0].input.Bucket}/${c.args[0].input.Prefix ?? ""}`);
    expect(listed.sort()).toEqual(["ml-experiments/runs/", "ml-models-prod/registry/"]);
    expect(s3).not.toHaveReceivedCommandWith(ListBucketInventoryConfigurationsCommand, { Bucket: "ml-logs" });
    expect(report.errors).toEqual([
      {
        detector: "s3-duplicates",
        message:
          "us-east-1: bucket ml-huge skipped: too large to list (≈9,000,000 objects > listingMaxObjects 2000000): configure S3 Inventory (no S3 Inventory configuration)",
      },
    ]);
    expect(report.notes).toEqual([]);
    // Both policies judged the same loaded objects; the scoped one found the pair.
    expect(report.findings.map((f) => [f.policy, f.resource.id])).toEqual([
      ["dup-runs", "s3://ml-experiments/runs/1/w.bin"],
    ]);
    const copies = report.findings[0]?.evidence["copies"] as Array<{ source: string }>;
    expect(copies.map((c) => c.source)).toEqual(["listing", "listing"]);
    clients.destroy();
  });
});
