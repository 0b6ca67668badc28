import { addDays } from "./dates.ts";
import { detectAnomaly } from "./detect-anomaly.ts";
import type { AnomalyVerdict, DailyPoint, DetectorParams, LevelAck } from "./types.ts";

/** An anomaly still going on `date`: its first day, and every day since judged against the baseline before it. */
export interface Episode {
  firstDate: string;
  days: AnomalyVerdict[];
  /** Sum of the days' excess over the baseline. */
  impactUsd: number;
  latest: AnomalyVerdict;
}

/**
 * The anomaly under way on `date`, if any, looking back `lookbackDays`. Once a day is
 * anomalous, the following days are judged against the baseline from before it (frozen), so
 * a new steady cost does not become "normal" by itself a week later: it stays one anomaly —
 * one alert, updated in its thread — until it ends or its owner acknowledges the new level.
 * This also lets a first run (after a backfill) find an anomaly that began days ago. Pure.
 */
export function findEpisode(
  points: readonly DailyPoint[],
  date: string,
  params: DetectorParams,
  ack?: LevelAck,
  lookbackDays = 28,
): Episode | undefined {
  const byDate = new Map(points.map((p) => [p.date, p.usd]));
  let firstDate: string | undefined;
  let days: AnomalyVerdict[] = [];
  for (let d = addDays(date, -lookbackDays); d <= date; d = addDays(d, 1)) {
    const day = { date: d, usd: byDate.get(d) ?? 0 };
    const v = detectAnomaly(points, day, params, ack, firstDate ?? d);
    if (v) {
      firstDate ??= d;
      days.push(v);
    } else {
      firstDate = undefined;
      days = [];
    }
  }
  const latest = days.at(-1);
  if (!firstDate || !latest || latest.date !== date) return undefined;
  return { firstDate, days, impactUsd: days.reduce((s, v) => s + v.impactUsd, 0), latest };
}
