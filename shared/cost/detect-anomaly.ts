import { addDays, weekday } from "./dates.ts";
import { median, robustSigma } from "./robust-stats.ts";
import type { AnomalyVerdict, DailyPoint, DetectorParams, LevelAck } from "./types.ts";

export const DEFAULT_DETECTOR_PARAMS: DetectorParams = {
  windowDays: 56,
  levelDays: 14,
  minZ: 4,
  minImpactUsd: 50,
  minPercent: 0.35,
  minHistoryDays: 7,
};

/**
 * Is `day` abnormal against the days before it? Pure: `history` holds the series' earlier
 * days (missing days count as $0, which is how Cost Explorer leaves out idle services).
 *
 * The baseline is seasonal and robust: weekday factors (median of each weekday over the
 * window / median of all days) so weekend dips are not "normal" on Mondays; a level that is
 * the median of the last `levelDays` de-seasonalised days, so it follows trends and shrugs off
 * a few past spikes; and a spread from the MAD. A day is an anomaly only when its excess is
 * significant (z), large in money (`minImpactUsd`) and large relative to the baseline
 * (`minPercent`) — all three.
 *
 * Special days: credits and refunds (negative days) are left out of the baseline and never
 * flagged; the 1st of a month is compared with earlier 1sts too (monthly fees post then) and
 * left out of other days' baselines; a series with fewer than `minHistoryDays` days of spend is
 * new, and alerts when its first days cost more than `minImpactUsd`; an acknowledged level
 * shift raises the expectation to the acknowledged level from its date on.
 */
export function detectAnomaly(
  history: readonly DailyPoint[],
  day: DailyPoint,
  params: DetectorParams = DEFAULT_DETECTOR_PARAMS,
  ack?: LevelAck,
  /** Judge against the baseline as it was before this day (an ongoing anomaly's first day). */
  baselineBefore: string = day.date,
): AnomalyVerdict | undefined {
  if (!(day.usd > 0)) return undefined;
  const byDate = new Map(history.map((p) => [p.date, p.usd]));
  const window: DailyPoint[] = [];
  for (let i = params.windowDays; i >= 1; i--) {
    const date = addDays(baselineBefore, -i);
    window.push({ date, usd: byDate.get(date) ?? 0 });
  }
  const firstSpend = window.findIndex((p) => p.usd > 0);
  const spendDays = window.filter((p) => p.usd > 0).length;
  const acked = ack && day.date >= ack.fromDate ? ack.levelUsd : 0;

  if (spendDays < params.minHistoryDays) {
    // Everything a new series costs is new spend, until it is acknowledged.
    return verdict(day, "new-series", acked, Number.POSITIVE_INFINITY, params);
  }

  // From the series' first day of spend on; credits and month starts are not the usage level.
  const lived = window.slice(firstSpend);
  const isMonthStart = (date: string) => date.endsWith("-01");
  const usual = lived.filter((p) => p.usd >= 0 && !isMonthStart(p.date));
  const overall = median(usual.map((p) => p.usd));
  const factor = weekdayFactors(usual, overall);
  const deseason = usual.map((p) => p.usd / factor[weekday(p.date)]!);
  const level = median(deseason.slice(-params.levelDays));
  const f = factor[weekday(day.date)]!;
  let expected = level * f;
  let sigma = robustSigma(deseason.slice(-2 * params.levelDays)) * f;

  if (isMonthStart(day.date)) {
    const starts = lived.filter((p) => isMonthStart(p.date)).map((p) => p.usd);
    if (starts.length) {
      const m = median(starts);
      if (m > expected) {
        expected = m;
        // One or two earlier 1sts say little about their spread: be generous.
        sigma = Math.max(sigma, 0.25 * m);
      }
    }
  }
  expected = Math.max(expected, acked);
  sigma = Math.max(sigma, 0.01 * expected);
  const z = (day.usd - expected) / sigma;
  return verdict(day, "spike", expected, z, params);
}

function verdict(
  day: DailyPoint,
  kind: AnomalyVerdict["kind"],
  expected: number,
  z: number,
  params: DetectorParams,
): AnomalyVerdict | undefined {
  const impact = day.usd - expected;
  if (impact < params.minImpactUsd) return undefined;
  if (expected > 0 && impact < params.minPercent * expected) return undefined;
  if (z < params.minZ) return undefined;
  return {
    date: day.date,
    kind,
    actualUsd: day.usd,
    expectedUsd: expected,
    impactUsd: impact,
    percent: expected > 0 ? impact / expected : Number.POSITIVE_INFINITY,
    z,
  };
}

/** Median of each weekday over the overall median; 1 where a weekday has too few days. */
function weekdayFactors(points: readonly DailyPoint[], overall: number): number[] {
  const out: number[] = [];
  for (let w = 0; w < 7; w++) {
    const values = points.filter((p) => weekday(p.date) === w).map((p) => p.usd);
    const f = values.length >= 3 && overall > 0 ? median(values) / overall : 1;
    out.push(f > 0.05 ? f : 0.05);
  }
  return out;
}
