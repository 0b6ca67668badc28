/**
 * Tightening past a budget threshold, applied when a cleanup workflow starts: a finding whose
 * resource carries the tightened team's (or project's) tag, in a policy the budget's `tighten`
 * names, gets the shorter grace period and `stop` instead of a `none` timeout action. Pure.
 * The rails: only enforce-mode policies in an enforce account (notify/report policies never
 * act), never production or protected resources, never harsher than stop (a policy's own
 * `delete` stays the policy's), only what the detector can do.
 */
import { scopeKey, scopeTagKeys } from "../cost/budget-scope.ts";
import { firstOfNextMonth } from "../cost/dates.ts";
import { isProduction } from "../detectors/common.ts";
import { allDetectors } from "../detectors/registry.ts";
import type { JanitorConfig, Policy } from "../policy/schema.ts";
import { tagSettings } from "../scan/run-scan.ts";
import type { Tightening } from "../store/cost-types.ts";
import type { WorkflowInput } from "../store/workflow-types.ts";
import type { Finding } from "../types.ts";
import { parseDurationSeconds } from "../util/duration.ts";

export function tightenedTerms(input: {
  finding: Finding;
  policy: Policy;
  config: JanitorConfig;
  /** This month's tightened scopes (the store's, keyed by month). */
  tightenings: readonly Tightening[];
  account: string;
}): WorkflowInput["tightening"] | undefined {
  const { finding, policy, config } = input;
  if (policy.mode !== "enforce" || !config.accounts.enforce.includes(input.account)) return undefined;
  const tags = finding.resource.tags;
  const settings = tagSettings(config);
  if (isProduction(tags, settings) || tags[settings.protectTag] !== undefined) return undefined;
  const keys = scopeTagKeys(config);
  const canStop =
    allDetectors()
      .find((d) => d.type === policy.type)
      ?.actions.includes("stop") ?? false;

  const budgets: string[] = [];
  let grace: string | undefined;
  let stop = false;
  for (const t of input.tightenings) {
    const budget = config.budgets.find((b) => b.name === t.budget && scopeKey(b.scope) === t.scope);
    const tighten = budget?.tighten;
    if (!budget || !tighten?.policies.includes(policy.name)) continue;
    const s = budget.scope;
    const inScope =
      ("team" in s && tags[keys.team] === s.team) || ("project" in s && tags[keys.project] === s.project);
    if (!inScope) continue;
    let changes = false;
    if (tighten.gracePeriod && seconds(tighten.gracePeriod) < seconds(grace ?? policy.gracePeriod)) {
      grace = tighten.gracePeriod;
      changes = true;
    }
    if (tighten.timeoutAction === "stop" && policy.timeoutAction === "none" && canStop) {
      stop = true;
      changes = true;
    }
    if (changes) budgets.push(budget.name);
  }
  if (!grace && !stop) return undefined;
  return {
    budgets,
    until: firstOfNextMonth(`${input.tightenings[0]!.month}-01`),
    ...(grace ? { gracePeriod: grace } : {}),
    ...(stop ? { timeoutAction: "stop" as const } : {}),
  };
}

const seconds = parseDurationSeconds;
