/**
 * Tightening past a budget threshold, on the cost-watch side: record (once per scope and
 * month, a conditional write) that a team's or project's budget passed its `tighten.atPercent`
 * on actual spend, and say in the budget alert what that changes. The cleanup workflow's start
 * applies it (shared/workflow/tightening.ts); the month in the record's key undoes it.
 */
import type { JanitorConfig } from "../policy/schema.ts";
import type { CostStore } from "../store/cost-types.ts";
import { parseDurationSeconds } from "../util/duration.ts";
import { type BudgetConfig, scopeKey } from "./budget-scope.ts";
import { firstOfNextMonth } from "./dates.ts";

/**
 * The budget's tightening when its actual spend has reached `tighten.atPercent`, recorded for
 * the month (a rerun finds it recorded and returns it again); undefined otherwise.
 */
export async function tighteningFor(
  store: Pick<CostStore, "recordTightening">,
  budget: BudgetConfig,
  position: { actualUsd: number; month: string; now: Date },
): Promise<{ percent: number; recordedNow: boolean } | undefined> {
  const t = budget.tighten;
  if (!t || "account" in budget.scope) return undefined;
  if ((position.actualUsd / budget.monthlyUsd) * 100 < t.atPercent) return undefined;
  const recordedNow = await store.recordTightening({
    month: position.month,
    scope: scopeKey(budget.scope),
    budget: budget.name,
    percent: t.atPercent,
    at: position.now.toISOString(),
  });
  return { percent: t.atPercent, recordedNow };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const UNITS: Record<string, string> = { s: "second", m: "minute", h: "hour", d: "day", w: "week" };

/** "1d" → "1 day", "36h" → "36 hours". */
export function durationWords(text: string): string {
  const m = /^(\d+)([smhdw])$/.exec(text);
  if (!m) return text;
  const n = Number(m[1]);
  return `${n} ${UNITS[m[2]!]}${n === 1 ? "" : "s"}`;
}

/**
 * In words, per policy: "idle notebooks of team nlp now stop after 1 day without an answer,
 * until 1 Dec". Only what actually changes for the policy is said (a policy that already
 * stops is not "now stopping"; a grace period already shorter is kept).
 */
export function describeTightening(budget: BudgetConfig, config: JanitorConfig, month: string): string {
  const t = budget.tighten;
  if (!t) return "";
  const s = budget.scope;
  const scope = "team" in s ? `team ${s.team}` : "project" in s ? `project ${s.project}` : "the account";
  const next = new Date(`${firstOfNextMonth(`${month}-01`)}T00:00:00Z`);
  const until = `${next.getUTCDate()} ${MONTHS[next.getUTCMonth()]}`;
  const parts = t.policies.flatMap((name) => {
    const policy = config.policies.find((p) => p.name === name);
    if (!policy) return [];
    const stop = t.timeoutAction === "stop" && policy.timeoutAction === "none";
    const grace =
      t.gracePeriod && parseDurationSeconds(t.gracePeriod) < parseDurationSeconds(policy.gracePeriod)
        ? durationWords(t.gracePeriod)
        : undefined;
    const what = name.replaceAll("-", " ");
    if (stop && grace) return [`${what} of ${scope} now stop after ${grace} without an answer`];
    if (stop) return [`${what} of ${scope} now stop when nobody answers`];
    if (grace) return [`${what} of ${scope} now get ${grace} for an answer`];
    return [];
  });
  return parts.length ? `${parts.join("; ")}, until ${until}` : "";
}
