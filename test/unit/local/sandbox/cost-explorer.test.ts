import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
} from "@aws-sdk/client-cost-explorer";
import { describe, expect, it } from "vitest";
import { clientConfig, useSandbox, world } from "./helpers.ts";

const ctx = useSandbox(() =>
  world({
    costs: [
      { service: "Amazon SageMaker", from: "-90d", to: "-1d", dailyUsd: 100, tags: { team: "risk" } },
      { service: "Amazon EC2", usageType: "BoxUsage:g5.2xlarge", from: "-90d", to: "-1d", dailyUsd: 10 },
      { service: "Amazon SageMaker", date: "-2d", amountUsd: 1400, tags: { team: "nlp" } },
      // Many small usage types, so a 90-day grouped query spans several pages.
      ...Array.from({ length: 6 }, (_, i) => ({
        service: "Amazon S3",
        usageType: `U${i}`,
        from: "-90d",
        to: "-1d",
        dailyUsd: 1,
      })),
    ],
  }),
);
const ce = () => new CostExplorerClient(clientConfig(ctx.sandbox, { maxAttempts: 1 }));

/** Cost Explorer has no SDK paginator: loop on NextPageToken, as the janitor does. */
async function allPages(input: GetCostAndUsageCommandInput) {
  const pages = [];
  let token: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await ce().send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
    pages.push(page);
    token = page.NextPageToken;
    if (!token) break;
  }
  return pages;
}

describe("Cost Explorer GetCostAndUsage", () => {
  it("totals days, End exclusive, amounts as strings in USD", async () => {
    const out = await ce().send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: "2025-03-09", End: "2025-03-11" },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
      }),
    );
    expect(out.ResultsByTime?.map((r) => r.TimePeriod?.Start)).toEqual(["2025-03-09", "2025-03-10"]);
    expect(out.ResultsByTime?.map((r) => Number(r.Total?.["UnblendedCost"]?.Amount))).toEqual([116, 1516]);
    expect(out.ResultsByTime?.[0]?.Total?.["UnblendedCost"]).toMatchObject({
      Unit: "USD",
      Amount: expect.any(String),
    });
  });

  it("groups by service and tag, with AWS's key$value tag keys", async () => {
    const out = await ce().send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: "2025-03-10", End: "2025-03-11" },
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
        GroupBy: [
          { Type: "DIMENSION", Key: "SERVICE" },
          { Type: "TAG", Key: "team" },
        ],
      }),
    );
    const groups = out.ResultsByTime?.[0]?.Groups?.map((g) => [g.Keys, g.Metrics?.["UnblendedCost"]?.Amount]);
    expect(groups).toEqual([
      [["Amazon EC2", "team$"], "10.0000000000"],
      [["Amazon S3", "team$"], "6.0000000000"],
      [["Amazon SageMaker", "team$nlp"], "1400.0000000000"],
      [["Amazon SageMaker", "team$risk"], "100.0000000000"],
    ]);
    expect(out.ResultsByTime?.[0]?.Total).toEqual({});
  });

  it("pages long grouped queries with NextPageToken and loses nothing", async () => {
    ctx.sandbox.resetCounts();
    const pages = await allPages({
      TimePeriod: { Start: "2024-12-12", End: "2025-03-12" },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      GroupBy: [
        { Type: "DIMENSION", Key: "SERVICE" },
        { Type: "DIMENSION", Key: "USAGE_TYPE" },
      ],
    });
    expect(pages.length).toBe(2);
    const days = pages.flatMap((p) => p.ResultsByTime ?? []);
    expect(days).toHaveLength(90);
    const total = days
      .flatMap((d) => d.Groups ?? [])
      .reduce((sum, g) => sum + Number(g.Metrics?.["UnblendedCost"]?.Amount), 0);
    expect(total).toBeCloseTo(90 * (110 + 6) + 1400, 6);
    expect(ctx.sandbox.counts()["CostExplorer.GetCostAndUsage"]).toBe(pages.length);
  });

  it("refuses three group-bys and reversed periods", async () => {
    const base = { Granularity: "MONTHLY" as const, Metrics: ["UnblendedCost"] };
    await expect(
      ce().send(
        new GetCostAndUsageCommand({
          ...base,
          TimePeriod: { Start: "2025-01-01", End: "2025-03-01" },
          GroupBy: [
            { Type: "DIMENSION", Key: "SERVICE" },
            { Type: "DIMENSION", Key: "USAGE_TYPE" },
            { Type: "TAG", Key: "team" },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await expect(
      ce().send(
        new GetCostAndUsageCommand({ ...base, TimePeriod: { Start: "2025-03-01", End: "2025-01-01" } }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("filters with expressions and splits months", async () => {
    const out = await ce().send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: "2025-01-15", End: "2025-03-01" },
        Granularity: "MONTHLY",
        Metrics: ["UnblendedCost"],
        Filter: { Dimensions: { Key: "SERVICE", Values: ["Amazon EC2"] } },
      }),
    );
    expect(
      out.ResultsByTime?.map((r) => [
        r.TimePeriod?.Start,
        r.TimePeriod?.End,
        Number(r.Total?.["UnblendedCost"]?.Amount),
      ]),
    ).toEqual([
      ["2025-01-15", "2025-02-01", 170],
      ["2025-02-01", "2025-03-01", 280],
    ]);
  });
});
