import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageWithResourcesCommand,
} from "@aws-sdk/client-cost-explorer";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { anomalyDrivers } from "../../../shared/cost/anomaly-drivers.ts";
import { addDays } from "../../../shared/cost/dates.ts";
import { kindOfId } from "../../../shared/cost/resource-costs.ts";
import type { Inventory, TrainingJobInfo } from "../../../shared/detectors/inventory.ts";
import { instance } from "../../fixtures/ec2.ts";

const ce = mockClient(CostExplorerClient);
const client = new CostExplorerClient({ region: "us-east-1" });
const JOB_ARN = "arn:aws:sagemaker:us-east-1:1:training-job/llm-finetune-overnight";
const GONE_ARN = "arn:aws:sagemaker:us-east-1:1:training-job/sweep-07";

const job: TrainingJobInfo = {
  name: "llm-finetune-overnight",
  arn: JOB_ARN,
  region: "us-east-1",
  kind: "training",
  status: "InProgress",
  creationTime: new Date("2026-11-12T08:00:00Z"),
  instanceType: "ml.p3.8xlarge",
  instanceCount: 4,
  managedSpot: false,
  tags: { owner: "sam@example.com", team: "nlp" },
};
// A second running job of the same type: the usage-type guess names both, the bill only one.
const twin: TrainingJobInfo = {
  ...job,
  name: "twin",
  arn: `${JOB_ARN}-twin`,
  tags: { team: "nlp", owner: "kim@example.com" },
};
const inventory: Partial<Inventory> = { trainingJobs: [job, twin] };

/** Usage-type history: $0 of ml.p3.8xlarge training until the 12th, $1,410 a day since. */
function usageHistory() {
  ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => {
    const results = [];
    for (let d = input.TimePeriod.Start; d < input.TimePeriod.End; d = addDays(d, 1)) {
      results.push({
        TimePeriod: { Start: d, End: addDays(d, 1) },
        Groups: [
          {
            Keys: ["USE1-Train:ml.p3.8xlarge", "team$nlp"],
            Metrics: { UnblendedCost: { Amount: d >= "2026-11-12" ? "1410" : "0" } },
          },
        ],
      });
    }
    return { ResultsByTime: results };
  });
}

const input = {
  service: "Amazon SageMaker",
  date: "2026-11-22",
  firstDate: "2026-11-12",
  teamTag: "team",
  ownerTag: "owner",
  resourceLevel: true,
  inventory: async () => inventory,
};

describe("anomaly drill-down with resource-level data", () => {
  beforeEach(() => {
    ce.reset();
    usageHistory();
  });

  it("asks for the day by RESOURCE_ID and usage type, filtered by service, and names the billed ARNs", async () => {
    ce.on(GetCostAndUsageWithResourcesCommand).resolves({
      ResultsByTime: [
        {
          TimePeriod: { Start: "2026-11-22", End: "2026-11-23" },
          Groups: [
            {
              Keys: [JOB_ARN, "USE1-Train:ml.p3.8xlarge"],
              Metrics: { UnblendedCost: { Amount: "1410.05" } },
            },
            { Keys: [GONE_ARN, "USE1-Train:ml.p3.8xlarge"], Metrics: { UnblendedCost: { Amount: "30" } } },
            {
              Keys: ["NoResourceId", "USE1-Train:ml.p3.8xlarge"],
              Metrics: { UnblendedCost: { Amount: "2" } },
            },
          ],
        },
      ],
    });

    const out = await anomalyDrivers(client, input);

    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageWithResourcesCommand, 1);
    expect(ce).toHaveReceivedCommandWith(GetCostAndUsageWithResourcesCommand, {
      TimePeriod: { Start: "2026-11-22", End: "2026-11-23" },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      Filter: { Dimensions: { Key: "SERVICE", Values: ["Amazon SageMaker"] } },
      GroupBy: [
        { Type: "DIMENSION", Key: "RESOURCE_ID" },
        { Type: "DIMENSION", Key: "USAGE_TYPE" },
      ],
    });
    expect(out.requests).toEqual({ GetCostAndUsage: 1, GetCostAndUsageWithResources: 1 });
    expect(out.resourceNote).toBeUndefined();
    expect(out.drivers).toHaveLength(1);
    expect(out.drivers[0]!.resources).toEqual([
      {
        kind: "training-job",
        name: "llm-finetune-overnight",
        instanceType: "ml.p3.8xlarge",
        instanceCount: 4,
        owner: "sam@example.com",
        tags: job.tags,
        arn: JOB_ARN,
        costUsd: 1410.05,
      },
      // Billed but no longer in the inventory (it ended): still named, by its ARN's kind.
      {
        kind: "training-job",
        name: "sweep-07",
        instanceType: "ml.p3.8xlarge",
        tags: {},
        arn: GONE_ARN,
        costUsd: 30,
      },
    ]);
  });

  it("counts every page it reads", async () => {
    ce.on(GetCostAndUsageWithResourcesCommand)
      .resolvesOnce({
        ResultsByTime: [
          {
            TimePeriod: { Start: "2026-11-22", End: "2026-11-23" },
            Groups: [
              { Keys: [JOB_ARN, "USE1-Train:ml.p3.8xlarge"], Metrics: { UnblendedCost: { Amount: "1410" } } },
            ],
          },
        ],
        NextPageToken: "p2",
      })
      .resolvesOnce({ ResultsByTime: [] });
    const out = await anomalyDrivers(client, input);
    expect(out.requests.GetCostAndUsageWithResources).toBe(2);
    expect(ce).toHaveReceivedLastCommandWith(GetCostAndUsageWithResourcesCommand, { NextPageToken: "p2" });
  });

  it.each([
    ["DataUnavailableException", "resource-level data is not enabled in the Cost Explorer settings"],
    ["AccessDeniedException", "the role may not call ce:GetCostAndUsageWithResources"],
  ])("falls back to the usage-type match on %s and says why", async (name, why) => {
    ce.on(GetCostAndUsageWithResourcesCommand).rejects(Object.assign(new Error("no"), { name }));
    const out = await anomalyDrivers(client, input);
    expect(out.requests).toEqual({ GetCostAndUsage: 1, GetCostAndUsageWithResources: 1 });
    expect(out.resourceNote).toBe(
      `Resource-level cost data is unavailable (${why}): resources are matched by instance type.`,
    );
    expect(out.drivers[0]!.resources.map((r) => [r.name, r.arn])).toEqual([
      ["llm-finetune-overnight", undefined],
      ["twin", undefined],
    ]);
  });

  it("lets other errors through", async () => {
    ce.on(GetCostAndUsageWithResourcesCommand).rejects(
      Object.assign(new Error("boom"), { name: "ThrottlingException" }),
    );
    await expect(anomalyDrivers(client, input)).rejects.toThrow("boom");
  });

  it("sends no resource-level request when off, or for a service whose resources the scan does not know", async () => {
    const off = await anomalyDrivers(client, { ...input, resourceLevel: false });
    const s3 = await anomalyDrivers(client, { ...input, service: "Amazon Simple Storage Service" });
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageWithResourcesCommand, 0);
    expect(off.requests).toEqual({ GetCostAndUsage: 1, GetCostAndUsageWithResources: 0 });
    expect(off.drivers[0]!.resources.map((r) => r.name)).toEqual(["llm-finetune-overnight", "twin"]);
    expect(s3.requests.GetCostAndUsageWithResources).toBe(0);
  });

  it("matches EC2 instance ids to the inventory", async () => {
    ce.reset();
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: [
        {
          TimePeriod: { Start: "2026-11-22", End: "2026-11-23" },
          Groups: [
            { Keys: ["USE1-BoxUsage:p3.2xlarge", "team$nlp"], Metrics: { UnblendedCost: { Amount: "73" } } },
          ],
        },
      ],
    });
    ce.on(GetCostAndUsageWithResourcesCommand).resolves({
      ResultsByTime: [
        {
          TimePeriod: { Start: "2026-11-22", End: "2026-11-23" },
          Groups: [
            { Keys: ["i-0abc", "USE1-BoxUsage:p3.2xlarge"], Metrics: { UnblendedCost: { Amount: "73" } } },
          ],
        },
      ],
    });
    const box = instance({ id: "i-0abc", instanceType: "p3.2xlarge", tags: { owner: "ana@example.com" } });
    const out = await anomalyDrivers(client, {
      ...input,
      service: "Amazon Elastic Compute Cloud - Compute",
      inventory: async () => ({ ec2Instances: [box] }),
    });
    expect(out.drivers[0]!.resources).toMatchObject([
      { kind: "ec2-instance", name: "i-0abc", owner: "ana@example.com", arn: "i-0abc", costUsd: 73 },
    ]);
  });

  it("reads a resource's kind from its id", () => {
    expect(kindOfId(JOB_ARN)).toBe("training-job");
    expect(kindOfId("arn:aws:sagemaker:us-east-1:1:endpoint/fraud")).toBe("endpoint");
    expect(kindOfId("arn:aws:sagemaker:us-east-1:1:notebook-instance/nb")).toBe("notebook");
    expect(kindOfId("i-0123abcd")).toBe("ec2-instance");
    expect(kindOfId("arn:aws:s3:::bucket")).toBeUndefined();
  });
});
