import { BudgetsClient, DescribeBudgetsCommand } from "@aws-sdk/client-budgets";
import { describe, expect, it } from "vitest";
import { resolveScenario } from "../../../../shared/local/sandbox/scenario.ts";
import { clientConfig, NOW, useSandbox, world } from "./helpers.ts";

const ctx = useSandbox(() =>
  world({
    costs: [
      { service: "Amazon SageMaker", from: "-40d", to: "-1d", dailyUsd: 100, tags: { team: "vision" } },
      { service: "Amazon S3", from: "-40d", to: "-1d", dailyUsd: 10 },
    ],
    budgets: [
      { name: "team-vision", limitUsd: 3500, costFilters: { TagKeyValue: ["user:team$vision"] } },
      { name: "account", limitUsd: 60_000 },
      { name: "daily-guard", limitUsd: 500, timeUnit: "DAILY" },
    ],
  }),
);
const budgets = () => new BudgetsClient(clientConfig(ctx.sandbox, { maxAttempts: 1 }));

describe("AWS Budgets DescribeBudgets (NOW 2025-03-12)", () => {
  it("describes the scenario's budgets, sorted by name, with this period's spend", async () => {
    const out = await budgets().send(new DescribeBudgetsCommand({ AccountId: "123456789012" }));
    expect(out.Budgets?.map((b) => [b.BudgetName, b.TimeUnit, b.BudgetType, b.BudgetLimit])).toEqual([
      ["account", "MONTHLY", "COST", { Amount: "60000.00", Unit: "USD" }],
      ["daily-guard", "DAILY", "COST", { Amount: "500.00", Unit: "USD" }],
      ["team-vision", "MONTHLY", "COST", { Amount: "3500.00", Unit: "USD" }],
    ]);
    const vision = out.Budgets?.find((b) => b.BudgetName === "team-vision");
    expect(vision?.CostFilters).toEqual({ TagKeyValue: ["user:team$vision"] });
    // 1–11 March of team=vision spend, $100 a day.
    expect(vision?.CalculatedSpend?.ActualSpend).toEqual({ Amount: "1100.00", Unit: "USD" });
    expect(vision?.TimePeriod?.Start?.toISOString()).toBe("2025-03-01T00:00:00.000Z");
    expect(out.NextToken).toBeUndefined();
  });

  it("pages with MaxResults and NextToken", async () => {
    const first = await budgets().send(
      new DescribeBudgetsCommand({ AccountId: "123456789012", MaxResults: 2 }),
    );
    expect(first.Budgets?.map((b) => b.BudgetName)).toEqual(["account", "daily-guard"]);
    const second = await budgets().send(
      new DescribeBudgetsCommand({ AccountId: "123456789012", MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.Budgets?.map((b) => b.BudgetName)).toEqual(["team-vision"]);
    expect(second.NextToken).toBeUndefined();
  });

  it("refuses another account and a bad page size", async () => {
    await expect(
      budgets().send(new DescribeBudgetsCommand({ AccountId: "999999999999" })),
    ).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    await expect(
      budgets().send(new DescribeBudgetsCommand({ AccountId: "123456789012", MaxResults: 101 })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
  });

  it("refuses duplicate budget names in a scenario", () => {
    expect(() =>
      resolveScenario(
        {
          name: "t",
          accountId: "123456789012",
          region: "us-east-1",
          budgets: [
            { name: "x", limitUsd: 1 },
            { name: "x", limitUsd: 2 },
          ],
        },
        NOW,
      ),
    ).toThrow(/budgets: duplicate name "x"/);
  });
});
