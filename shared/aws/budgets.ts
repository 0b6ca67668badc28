import { type BudgetsClient, DescribeBudgetsCommand } from "@aws-sdk/client-budgets";

/** A monthly cost budget kept in AWS Budgets, reduced to what cost watch needs. */
export interface AwsBudget {
  name: string;
  limitUsd: number;
  /** Cost filters, e.g. { TagKeyValue: ["user:team$nlp"] }; empty for the whole account. */
  costFilters: Record<string, string[]>;
}

/** DescribeBudgets, every page; only MONTHLY COST budgets in USD. */
export async function describeMonthlyCostBudgets(
  client: BudgetsClient,
  accountId: string,
): Promise<AwsBudget[]> {
  const out: AwsBudget[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeBudgetsCommand({ AccountId: accountId, MaxResults: 100, NextToken }),
    );
    for (const b of page.Budgets ?? []) {
      if (b.BudgetType !== "COST" || b.TimeUnit !== "MONTHLY" || b.BudgetLimit?.Unit !== "USD") continue;
      out.push({
        name: b.BudgetName ?? "",
        limitUsd: Number(b.BudgetLimit.Amount),
        costFilters: b.CostFilters ?? {},
      });
    }
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return out;
}
