import { addDays, daysInMonth, monthOf } from "./dates.ts";
import type { DailyPoint } from "./types.ts";

/**
 * Our own month-end forecast, for when Cost Explorer has none (a new account, or too little
 * history): month-to-date plus the average of the last seven days (one of each weekday) for
 * every day left, counting `today` as left because its cost is not in yet.
 */
export function ownMonthForecast(series: readonly DailyPoint[], today: string): number {
  const month = monthOf(today);
  const mtd = monthToDate(series, today);
  const byDate = new Map(series.map((p) => [p.date, p.usd]));
  let week = 0;
  for (let i = 1; i <= 7; i++) week += byDate.get(addDays(today, -i)) ?? 0;
  const daysLeft = daysInMonth(month) - Number(today.slice(8, 10)) + 1;
  return mtd + Math.max(0, week / 7) * daysLeft;
}

/** Spend from the 1st of `today`'s month up to, not including, `today`. */
export function monthToDate(series: readonly DailyPoint[], today: string): number {
  const month = monthOf(today);
  return series.filter((p) => monthOf(p.date) === month && p.date < today).reduce((s, p) => s + p.usd, 0);
}
