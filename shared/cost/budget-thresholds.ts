import type { BudgetConfig } from "./budget-scope.ts";

export type ThresholdBasis = "actual" | "forecast";

export interface BudgetPosition {
  actualUsd: number;
  forecastUsd: number;
}

export interface Crossing {
  percent: number;
  basis: ThresholdBasis;
  /** Everyone the ladder names up to this percentage (lower steps keep hearing). */
  notify: string[];
}

/**
 * Thresholds the position has reached: every configured percentage on actual spend, and on
 * the month-end forecast when the budget asks. Pure; whether each was already announced this
 * month is the store's conditional write (`thresholdFired`), so reruns announce nothing twice.
 * Ordered lowest first, actual before forecast, so one run that jumps several steps tells the
 * story in order.
 */
export function crossedThresholds(budget: BudgetConfig, position: BudgetPosition): Crossing[] {
  const out: Crossing[] = [];
  const ratio = (usd: number) => (usd / budget.monthlyUsd) * 100;
  for (const percent of [...budget.thresholds].sort((a, b) => a - b)) {
    if (ratio(position.actualUsd) >= percent) {
      out.push({ percent, basis: "actual", notify: escalation(budget, percent) });
    } else if (budget.forecast && ratio(position.forecastUsd) >= percent) {
      out.push({ percent, basis: "forecast", notify: escalation(budget, percent) });
    }
  }
  return out;
}

/** Cumulative ladder: every step at or below `percent`, in config order, without duplicates. */
export function escalation(budget: BudgetConfig, percent: number): string[] {
  const names = budget.escalation.filter((s) => s.atPercent <= percent).flatMap((s) => s.notify);
  return [...new Set(names)];
}
