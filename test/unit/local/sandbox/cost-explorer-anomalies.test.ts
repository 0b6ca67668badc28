import { CostExplorerClient, GetAnomaliesCommand } from "@aws-sdk/client-cost-explorer";
import { describe, expect, it } from "vitest";
import { clientConfig, useSandbox, world } from "./helpers.ts";

const ctx = useSandbox(() =>
  world({
    anomalyMonitors: [
      {
        name: "services",
        anomalies: [
          {
            id: "a-train",
            start: "-11d",
            rootCauses: [
              { service: "Amazon SageMaker", usageType: "USE1-Train:ml.p3.8xlarge", region: "us-east-1" },
            ],
            expectedUsd: 8000,
            actualUsd: 23_500,
            maxScore: 0.98,
          },
          {
            id: "a-old",
            start: "-40d",
            end: "-35d",
            rootCauses: [{ service: "AmazonCloudWatch" }],
            expectedUsd: 100,
            actualUsd: 400,
          },
          {
            id: "a-ec2",
            start: "-3d",
            rootCauses: [{ service: "Amazon Elastic Compute Cloud - Compute" }],
            expectedUsd: 50,
            actualUsd: 200,
          },
        ],
      },
    ],
  }),
);
const ce = () => new CostExplorerClient(clientConfig(ctx.sandbox, { maxAttempts: 1 }));

describe("Cost Explorer GetAnomalies (NOW 2025-03-12)", () => {
  it("returns anomalies whose last day falls in the interval, with root causes and impact", async () => {
    const out = await ce().send(
      new GetAnomaliesCommand({ DateInterval: { StartDate: "2025-03-09", EndDate: "2025-03-12" } }),
    );
    expect(out.Anomalies?.map((a) => a.AnomalyId)).toEqual(["a-train", "a-ec2"]);
    expect(out.Anomalies?.[0]).toMatchObject({
      AnomalyStartDate: "2025-03-01",
      AnomalyEndDate: "2025-03-11",
      DimensionValue: "Amazon SageMaker",
      MonitorArn: "arn:aws:ce::123456789012:anomalymonitor/services",
      RootCauses: [
        { Service: "Amazon SageMaker", UsageType: "USE1-Train:ml.p3.8xlarge", Region: "us-east-1" },
      ],
      AnomalyScore: { MaxScore: 0.98, CurrentScore: 0.98 },
      Impact: { TotalImpact: 15_500, TotalActualSpend: 23_500, TotalExpectedSpend: 8000 },
    });
    const old = await ce().send(
      new GetAnomaliesCommand({ DateInterval: { StartDate: "2025-02-01", EndDate: "2025-02-05" } }),
    );
    expect(old.Anomalies?.map((a) => a.AnomalyId)).toEqual(["a-old"]);
  });

  it("pages with MaxResults and NextPageToken", async () => {
    const first = await ce().send(
      new GetAnomaliesCommand({ DateInterval: { StartDate: "2025-01-01" }, MaxResults: 2 }),
    );
    expect(first.Anomalies?.map((a) => a.AnomalyId)).toEqual(["a-old", "a-train"]);
    expect(first.NextPageToken).toBeTruthy();
    const second = await ce().send(
      new GetAnomaliesCommand({
        DateInterval: { StartDate: "2025-01-01" },
        MaxResults: 2,
        NextPageToken: first.NextPageToken,
      }),
    );
    expect(second.Anomalies?.map((a) => a.AnomalyId)).toEqual(["a-ec2"]);
    expect(second.NextPageToken).toBeUndefined();
  });

  it("refuses a missing interval, an unknown monitor and a foreign token", async () => {
    await expect(ce().send(new GetAnomaliesCommand({} as never))).rejects.toMatchObject({
      name: "ValidationException",
    });
    await expect(
      ce().send(
        new GetAnomaliesCommand({
          DateInterval: { StartDate: "2025-01-01" },
          MonitorArn: "arn:aws:ce::123456789012:anomalymonitor/nope",
        }),
      ),
    ).rejects.toMatchObject({ name: "UnknownMonitorException" });
    await expect(
      ce().send(
        new GetAnomaliesCommand({ DateInterval: { StartDate: "2025-01-01" }, NextPageToken: "garbage" }),
      ),
    ).rejects.toMatchObject({ name: "InvalidNextTokenException" });
  });
});
