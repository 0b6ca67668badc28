import type { AwsBudget } from "../aws/budgets.ts";
import type { BudgetConfig } from "./budget-scope.ts";

/**
 * Budgets kept in AWS Budgets, as config budgets, so teams keep one list: a budget with no
 * cost filter is the account's; one filtered on a single watched tag value
 * (`TagKeyValue: ["user:team$nlp"]`) is that team's or project's. Others (filtered by
 * service, several values…) are skipped. A config budget with the same scope wins.
 */
export function budgetsFromAws(
  aws: readonly AwsBudget[],
  configured: readonly BudgetConfig[],
  tags: { team: string; project: string },
): BudgetConfig[] {
  const out: BudgetConfig[] = [];
  const has = (key: string) => configured.some((b) => JSON.stringify(b.scope) === key);
  for (const b of aws) {
    const filters = Object.entries(b.costFilters);
    let scope: BudgetConfig["scope"] | undefined;
    if (filters.length === 0) scope = { account: true };
    else if (filters.length === 1 && filters[0]![0] === "TagKeyValue" && filters[0]![1].length === 1) {
      const [key, value] = filters[0]![1][0]!.replace(/^user:/, "").split("$") as [
        string,
        string | undefined,
      ];
      if (value && key === tags.team) scope = { team: value };
      else if (value && key === tags.project) scope = { project: value };
    }
    if (!scope || has(JSON.stringify(scope))) continue;
    out.push({
      name: b.name,
      scope,
      monthlyUsd: b.limitUsd,
      thresholds: [25, 50, 75, 100],
      forecast: false,
      escalation: [],
    });
  }
  return out;
}
