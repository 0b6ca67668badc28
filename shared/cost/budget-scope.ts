import type { JanitorConfig } from "../policy/schema.ts";

export type BudgetConfig = JanitorConfig["budgets"][number];
export type BudgetScope = BudgetConfig["scope"];

/** "account", "team:nlp", "project:llm-finetune": the key thresholds are recorded under. */
export function scopeKey(scope: BudgetScope): string {
  if ("account" in scope) return "account";
  if ("team" in scope) return `team:${scope.team}`;
  return `project:${scope.project}`;
}

/** The stored cost series that holds a scope's spend (see read-spend.ts for series names). */
export function scopeSeries(scope: BudgetScope, tags: { team: string; project: string }): string {
  if ("account" in scope) return "total";
  if ("team" in scope) return `tag:${tags.team}$${scope.team}`;
  return `tag:${tags.project}$${scope.project}`;
}

/** The tag keys budgets scope by: the team tag, and the first other watched tag as the project's. */
export function scopeTagKeys(config: JanitorConfig): { team: string; project: string } {
  return {
    team: config.tags.team,
    project: config.costWatch.tags.find((t) => t !== config.tags.team) ?? "project",
  };
}
