import type { SbMetricSeries } from "../../types.ts";

/**
 * How CloudWatch turns raw datapoints into statistics: the exact series (namespace, name
 * and the exact dimension set — a subset does not match), cut into Period buckets aligned
 * to StartTime; buckets without data are simply absent.
 */
export type Statistic = "Sum" | "Average" | "Maximum" | "Minimum" | "SampleCount" | `p${string}`;

const BASIC = ["Sum", "Average", "Maximum", "Minimum", "SampleCount"];

export function isStatistic(s: string): s is Statistic {
  if (BASIC.includes(s)) return true;
  const m = /^p(\d{1,2}(\.\d{1,10})?|100)$/.exec(s);
  return m !== null;
}

export interface MetricKey {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

export function sameDimensions(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/** All raw points of the exact series in [start, end); several scenario entries may share a key. */
export function pointsOf(
  series: readonly SbMetricSeries[],
  key: MetricKey,
  start: number,
  end: number,
): Array<{ t: number; v: number }> {
  const out: Array<{ t: number; v: number }> = [];
  for (const s of series) {
    if (s.namespace !== key.namespace || s.metricName !== key.metricName) continue;
    if (!sameDimensions(s.dimensions, key.dimensions)) continue;
    for (const p of s.points) if (p.t >= start && p.t < end) out.push(p);
  }
  return out;
}

/** Bucket start (epoch ms) → the values that fell in it, in ascending time order. */
export function buckets(
  points: ReadonlyArray<{ t: number; v: number }>,
  start: number,
  periodMs: number,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const p of points) {
    const b = start + Math.floor((p.t - start) / periodMs) * periodMs;
    const list = out.get(b);
    if (list) list.push(p.v);
    else out.set(b, [p.v]);
  }
  return new Map([...out.entries()].sort((x, y) => x[0] - y[0]));
}

export function compute(values: readonly number[], stat: Statistic): number {
  switch (stat) {
    case "Sum":
      return values.reduce((a, b) => a + b, 0);
    case "Average":
      return values.reduce((a, b) => a + b, 0) / values.length;
    // reduce, not Math.max(...values): a month of minute points would overflow the call stack.
    case "Maximum":
      return values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
    case "Minimum":
      return values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    case "SampleCount":
      return values.length;
    default: {
      // Nearest-rank percentile over the raw samples.
      const q = Number(stat.slice(1)) / 100;
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
    }
  }
}

/** CloudWatch accepts 1, 5, 10, 30 (high resolution) or any multiple of 60 seconds. */
export function validPeriod(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds > 0 && ([1, 5, 10, 30].includes(seconds) || seconds % 60 === 0);
}
