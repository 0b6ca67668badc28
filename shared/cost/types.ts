/** Types shared by the cost-watch modules (spend reading, anomaly detection, budgets). */

/** One day of one cost series (total, a service, or a tag value), in USD. */
export interface DailyPoint {
  /** YYYY-MM-DD (UTC). */
  date: string;
  usd: number;
}

export type AnomalyKind = "spike" | "new-series";

/** Detector knobs; see `DEFAULT_DETECTOR_PARAMS` for the values the bench tuned. */
export interface DetectorParams {
  /** Days of history the baseline looks at (weekday factors use all of it). */
  windowDays: number;
  /** Days of history the level (median) follows — short enough to track trends. */
  levelDays: number;
  /** Robust z-score (excess / (1.4826 · MAD)) a day must pass. */
  minZ: number;
  /** The excess must also be at least this many dollars… */
  minImpactUsd: number;
  /** …and at least this fraction of the expected cost (0.2 = 20%). */
  minPercent: number;
  /** Fewer positive days than this in the window make a series "new". */
  minHistoryDays: number;
}

/** An acknowledged level shift: from `fromDate` on, `levelUsd` a day is expected. */
export interface LevelAck {
  fromDate: string;
  levelUsd: number;
}

export interface AnomalyVerdict {
  date: string;
  kind: AnomalyKind;
  actualUsd: number;
  expectedUsd: number;
  /** actual − expected, > 0. */
  impactUsd: number;
  /** impact / expected (Infinity for a new series). */
  percent: number;
  /** Robust z-score of the excess (Infinity when the baseline has no spread). */
  z: number;
}
