/**
 * The monthly waste a set of findings adds up to, counted once per resource: a resource that is
 * both idle and untagged costs its price once, and untagged or review findings (accountability
 * and recommendations) add nothing of their own; a lifecycle configuration counts the saving it
 * would bring. Recommendations are totalled separately.
 */
import type { Finding } from "../types.ts";

export function wasteTotals(findings: Finding[]): {
  wasteMonthlyUsd: number;
  recommendationsMonthlyUsd: number;
} {
  const waste = new Map<string, number>();
  let recommendations = 0;
  for (const f of findings) {
    if (f.proposedAction === "stop" || f.proposedAction === "delete" || f.proposedAction === "configure") {
      // By type and ARN: a bucket's stale uploads and its missing lifecycle are two wastes.
      const key = `${f.resource.type} ${f.resource.arn}`;
      waste.set(key, Math.max(waste.get(key) ?? 0, f.monthlyCostUsd));
    } else if (f.proposedAction === "review") {
      recommendations += f.monthlyCostUsd;
    }
  }
  const sum = [...waste.values()].reduce((a, b) => a + b, 0);
  return {
    wasteMonthlyUsd: Math.round(sum * 100) / 100,
    recommendationsMonthlyUsd: Math.round(recommendations * 100) / 100,
  };
}
