import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { addDays } from "../../../shared/cost/dates.ts";
import { groupings, readSpend, type SpendSettings } from "../../../shared/cost/read-spend.ts";
import { MemoryCostStore } from "../../fixtures/cost-store.ts";

const ce = mockClient(CostExplorerClient);
const client = new CostExplorerClient({ region: "us-east-1" });
const settings: SpendSettings = { tags: ["team", "project"], refetchDays: 3, historyDays: 90 };
const TODAY = "2026-11-23";

/** Answers every day in the request with one SageMaker/nlp group of $100 (last 2 estimated). */
function answerDaily() {
  ce.on(GetCostAndUsageCommand).callsFake((input: { TimePeriod: { Start: string; End: string } }) => {
    const results = [];
    for (let d = input.TimePeriod.Start; d < input.TimePeriod.End; d = addDays(d, 1)) {
      results.push({
        TimePeriod: { Start: d, End: addDays(d, 1) },
        Estimated: d >= addDays(TODAY, -2),
        Groups: [{ Keys: ["Amazon SageMaker", "team$nlp"], Metrics: { UnblendedCost: { Amount: "100" } } }],
      });
    }
    return { ResultsByTime: results };
  });
}

describe("readSpend", () => {
  beforeEach(() => {
    ce.reset();
    answerDaily();
  });

  it("pairs group-bys two by two: SERVICE with the first tag, then the rest", () => {
    expect(groupings(["team", "project"])).toEqual([
      [
        { Type: "DIMENSION", Key: "SERVICE" },
        { Type: "TAG", Key: "team" },
      ],
      [{ Type: "TAG", Key: "project" }],
    ]);
  });

  it("backfills 90 days in one request per grouping, then refetches only the days not final", async () => {
    const store = new MemoryCostStore();
    const first = await readSpend(client, store, TODAY, settings);

    expect(first.requests).toBe(2);
    expect(ce).toHaveReceivedCommandTimes(GetCostAndUsageCommand, 2);
    expect(ce).toHaveReceivedNthCommandWith(GetCostAndUsageCommand, 1, {
      TimePeriod: { Start: "2026-08-25", End: TODAY },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      GroupBy: [
        { Type: "DIMENSION", Key: "SERVICE" },
        { Type: "TAG", Key: "team" },
      ],
    });
    expect(first.days).toHaveLength(90);
    expect(first.days.at(-1)).toMatchObject({
      date: "2026-11-22",
      final: false,
      series: { total: 100, "service:Amazon SageMaker": 100, "tag:team$nlp": 100 },
    });
    expect(first.days.filter((d) => !d.final).map((d) => d.date)).toEqual([
      "2026-11-20",
      "2026-11-21",
      "2026-11-22",
    ]);

    ce.resetHistory();
    const next = await readSpend(client, store, "2026-11-24", settings);
    expect(next.requests).toBe(2);
    expect(ce).toHaveReceivedNthCommandWith(GetCostAndUsageCommand, 1, {
      TimePeriod: { Start: "2026-11-20", End: "2026-11-24" },
    });
    expect(next.days).toHaveLength(90);
  });

  it("follows NextPageToken and counts every page", async () => {
    ce.reset();
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({ ResultsByTime: [], NextPageToken: "p2" })
      .resolves({ ResultsByTime: [] });
    const out = await readSpend(client, new MemoryCostStore(), TODAY, { ...settings, tags: ["team"] });
    expect(out.requests).toBe(2);
    expect(ce).toHaveReceivedNthCommandWith(GetCostAndUsageCommand, 2, { NextPageToken: "p2" });
  });
});
