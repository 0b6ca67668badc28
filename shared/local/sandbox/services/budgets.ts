import { SandboxError } from "../errors.ts";
import { pageOf } from "../pagination.ts";
import { optInt, optString, reqString } from "../protocol/input.ts";
import type { JsonService } from "../service.ts";
import type { SbBudget, Scenario } from "../types.ts";

/** DescribeBudgets' page size when MaxResults is not given (AWS: 100). */
export const BUDGETS_PER_PAGE = 100;

/**
 * AWS Budgets (AWS JSON 1.1, target `AWSBudgetServiceGateway`): DescribeBudgets over the
 * scenario's `budgets`, sorted by name, in pages of MaxResults with an opaque NextToken.
 * CalculatedSpend is the scenario's spend under the budget's filters this period (only the
 * TagKeyValue and Service filters are understood; a budget with any other filter reports 0).
 */
export const budgets: JsonService = {
  name: "Budgets",
  signingName: "budgets",
  protocol: "awsJson1_1",
  target: "AWSBudgetServiceGateway",
  errors: {
    throttle: { code: "ThrottlingException", status: 400 },
    fault: { code: "InternalErrorException", status: 500 },
    unknownOperation: { code: "UnknownOperationException", status: 400 },
    validation: { code: "InvalidParameterException", status: 400 },
  },
  operations: {
    DescribeBudgets: (input, ctx) => {
      const account = reqString(input, "AccountId");
      if (account !== ctx.scenario.accountId) {
        throw new SandboxError("AccessDeniedException", `Not authorized for account ${account}.`);
      }
      const size = optInt(input, "MaxResults", { min: 1, max: 100 }) ?? BUDGETS_PER_PAGE;
      const all = [...ctx.scenario.budgets].sort((a, b) => (a.name < b.name ? -1 : 1));
      const page = pageOf(
        all,
        "DescribeBudgets",
        size,
        optString(input, "NextToken"),
        "InvalidNextTokenException",
      );
      const now = ctx.now;
      return {
        Budgets: page.items.map((b) => toAws(b, ctx.scenario, now)),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
};

function toAws(b: SbBudget, scenario: Scenario, now: number) {
  const { start, end } = periodOf(b.timeUnit, new Date(now));
  const today = new Date(now).toISOString().slice(0, 10);
  const spent = scenario.costs
    .filter((c) => c.date >= start && c.date < today && matches(b.costFilters, c))
    .reduce((s, c) => s + c.amountUsd, 0);
  return {
    BudgetName: b.name,
    BudgetLimit: { Amount: b.limitUsd.toFixed(2), Unit: "USD" },
    CostFilters: b.costFilters,
    TimeUnit: b.timeUnit,
    BudgetType: b.budgetType,
    // awsJson timestamps are epoch seconds.
    TimePeriod: {
      Start: Date.parse(`${start}T00:00:00Z`) / 1000,
      End: Date.parse(`${end}T00:00:00Z`) / 1000,
    },
    CalculatedSpend: { ActualSpend: { Amount: spent.toFixed(2), Unit: "USD" } },
  };
}

function matches(filters: Record<string, string[]>, c: Scenario["costs"][number]): boolean {
  return Object.entries(filters).every(([key, values]) => {
    if (key === "Service") return values.includes(c.service);
    if (key === "TagKeyValue") {
      return values.some((v) => {
        const [k = "", value] = v.replace(/^user:/, "").split("$");
        return c.tags?.[k] === value;
      });
    }
    return false;
  });
}

function periodOf(unit: SbBudget["timeUnit"], now: Date): { start: string; end: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  switch (unit) {
    case "DAILY":
      return { start: iso(Date.UTC(y, m, now.getUTCDate())), end: iso(Date.UTC(y, m, now.getUTCDate() + 1)) };
    case "MONTHLY":
      return { start: iso(Date.UTC(y, m, 1)), end: iso(Date.UTC(y, m + 1, 1)) };
    case "QUARTERLY": {
      const q = m - (m % 3);
      return { start: iso(Date.UTC(y, q, 1)), end: iso(Date.UTC(y, q + 3, 1)) };
    }
    case "ANNUALLY":
      return { start: iso(Date.UTC(y, 0, 1)), end: iso(Date.UTC(y + 1, 0, 1)) };
  }
}
