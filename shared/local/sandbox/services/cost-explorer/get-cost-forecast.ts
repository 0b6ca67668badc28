import { SandboxError } from "../../errors.ts";
import { oneOf, optObject, reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import type { CostPredicate } from "./expression.ts";
import { ceValidation, compileFilter } from "./expression.ts";

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * GetCostForecast: the average of the last 14 days (filtered) times the days in the period.
 * Like AWS, the period must start today or later, and an account (or filter) with too little
 * history answers DataUnavailableException.
 */
export const GetCostForecast: JsonHandler = (input, ctx) => {
  const period = optObject(input, "TimePeriod");
  if (!period) throw ceValidation("TimePeriod is required.");
  const start = reqString(period, "Start");
  const end = reqString(period, "End");
  if (!DATE.test(start) || !DATE.test(end) || start >= end) throw ceValidation("Invalid TimePeriod.");
  oneOf(reqString(input, "Granularity"), ["DAILY", "MONTHLY"], "Granularity");
  oneOf(
    reqString(input, "Metric"),
    ["AMORTIZED_COST", "BLENDED_COST", "NET_AMORTIZED_COST", "NET_UNBLENDED_COST", "UNBLENDED_COST"],
    "Metric",
  );
  const today = new Date(ctx.now).toISOString().slice(0, 10);
  if (start < today) throw ceValidation("Start date must be equal to or later than the current date.");
  const scope = { region: ctx.scenario.region, accountId: ctx.scenario.accountId };
  const filterExpr = optObject(input, "Filter");
  const keep: CostPredicate = filterExpr ? compileFilter(filterExpr, scope) : () => true;
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - 14 * DAY_MS).toISOString().slice(0, 10);
  const rows = ctx.scenario.costs.filter((r) => r.date >= since && r.date < today && keep(r));
  if (new Set(rows.map((r) => r.date)).size < 7) {
    throw new SandboxError(
      "DataUnavailableException",
      "Insufficient amount of historical data to generate forecast.",
    );
  }
  const perDay = rows.reduce((s, r) => s + r.amountUsd, 0) / 14;
  const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS;
  const amount = (perDay * days).toFixed(10);
  return {
    Total: { Amount: amount, Unit: "USD" },
    ForecastResultsByTime: [{ TimePeriod: { Start: start, End: end }, MeanValue: amount }],
  };
};
