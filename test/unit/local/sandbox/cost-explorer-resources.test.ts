import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
} from "@aws-sdk/client-cost-explorer";
import { describe, expect, it } from "vitest";
import { clientConfig, useSandbox, world } from "./helpers.ts";

const JOB = "arn:aws:sagemaker:us-east-1:123456789012:training-job/llm-finetune";
const ctx = useSandbox(() =>
  world({
    costs: [
      {
        service: "Amazon SageMaker",
        usageType: "USE1-Train:ml.p3.8xlarge",
        resourceId: JOB,
        from: "-5d",
        to: "-1d",
        dailyUsd: 1410,
        tags: { team: "nlp" },
      },
      {
        service: "Amazon SageMaker",
        usageType: "USE1-Host:ml.m5.large",
        from: "-30d",
        to: "-1d",
        dailyUsd: 20,
      },
      {
        service: "Amazon Elastic Compute Cloud - Compute",
        usageType: "USE1-BoxUsage:g5.2xlarge",
        resourceId: "i-0abc",
        from: "-30d",
        to: "-1d",
        dailyUsd: 29,
      },
    ],
  }),
);
const ce = () => new CostExplorerClient(clientConfig(ctx.sandbox, { maxAttempts: 1 }));
const sagemaker = { Dimensions: { Key: "SERVICE" as const, Values: ["Amazon SageMaker"] } };

describe("Cost Explorer GetCostAndUsageWithResources (NOW 2025-03-12)", () => {
  it("groups a service's day by RESOURCE_ID and usage type; rows without one are NoResourceId", async () => {
    const out = await ce().send(
      new GetCostAndUsageWithResourcesCommand({
        TimePeriod: { Start: "2025-03-11", End: "2025-03-12" },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        Filter: sagemaker,
        GroupBy: [
          { Type: "DIMENSION", Key: "RESOURCE_ID" },
          { Type: "DIMENSION", Key: "USAGE_TYPE" },
        ],
      }),
    );
    const groups = out.ResultsByTime?.[0]?.Groups?.map((g) => [g.Keys, g.Metrics?.["UnblendedCost"]?.Amount]);
    expect(groups).toEqual([
      [["NoResourceId", "USE1-Host:ml.m5.large"], "20.0000000000"],
      [[JOB, "USE1-Train:ml.p3.8xlarge"], "1410.0000000000"],
    ]);
    expect(out.NextPageToken).toBeUndefined();
  });

  it("requires a filter, like AWS", async () => {
    await expect(
      ce().send(
        new GetCostAndUsageWithResourcesCommand({
          TimePeriod: { Start: "2025-03-11", End: "2025-03-12" },
          Granularity: "DAILY",
          Metrics: ["UnblendedCost"],
        } as never),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/Filter is required/),
    });
  });

  it("reaches back 14 days and no further", async () => {
    const send = (start: string) =>
      ce().send(
        new GetCostAndUsageWithResourcesCommand({
          TimePeriod: { Start: start, End: "2025-03-12" },
          Granularity: "DAILY",
          Metrics: ["UnblendedCost"],
          Filter: sagemaker,
          GroupBy: [{ Type: "DIMENSION", Key: "RESOURCE_ID" }],
        }),
      );
    const ok = await send("2025-02-26");
    expect(ok.ResultsByTime).toHaveLength(14);
    await expect(send("2025-02-25")).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/last 14 days.*2025-02-26/),
    });
  });

  it("keeps RESOURCE_ID out of plain GetCostAndUsage", async () => {
    await expect(
      ce().send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: "2025-03-11", End: "2025-03-12" },
          Granularity: "DAILY",
          Metrics: ["UnblendedCost"],
          GroupBy: [{ Type: "DIMENSION", Key: "RESOURCE_ID" }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: "RESOURCE_ID is only available in GetCostAndUsageWithResources.",
    });
  });

  it("filters on RESOURCE_ID too (an EC2 instance id)", async () => {
    const out = await ce().send(
      new GetCostAndUsageWithResourcesCommand({
        TimePeriod: { Start: "2025-03-10", End: "2025-03-12" },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        Filter: { Dimensions: { Key: "RESOURCE_ID", Values: ["i-0abc"] } },
      }),
    );
    expect(out.ResultsByTime?.map((r) => Number(r.Total?.["UnblendedCost"]?.Amount))).toEqual([29, 29]);
  });
});
