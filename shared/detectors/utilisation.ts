/**
 * How the utilisation detectors read CloudWatch: hourly averages over a window that ends on the
 * last whole hour (the same window the other detectors use, so the batcher can share calls),
 * summarised by their percentile or their maximum.
 */
import { DAY_MS } from "../util/duration.ts";
import type { MetricSeries } from "./metrics.ts";

export const HOUR_S = 3600;
const HOUR_MS = 3_600_000;

export interface MetricWindow {
  start: Date;
  end: Date;
}

/** `days` days ending on the last whole hour before `now`. */
export function windowEndingAt(now: Date, days: number): MetricWindow {
  const end = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  return { start: new Date(end.getTime() - days * DAY_MS), end };
}

/** Nearest-rank percentile (as CloudWatch computes them); undefined without values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The largest value; undefined without values (unlike `maxOf`, no data is not 0). */
export function peak(series: MetricSeries | undefined): number | undefined {
  if (!series || series.values.length === 0) return undefined;
  return series.values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function roundUsd(value: number): number {
  return Math.round(value * 100) / 100;
}
