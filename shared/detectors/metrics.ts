/**
 * Metric requests and answers, as plain data. Detectors describe the series they need;
 * the scan's batcher fetches every detector's series together (GetMetricData, ≤ 500 per call).
 */
export type MetricStat = "Sum" | "Average" | "Maximum" | "Minimum" | "SampleCount" | `p${number}`;

export interface MetricRequest {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: MetricStat;
  /** Seconds; a multiple of 60. */
  period: number;
  start: Date;
  end: Date;
}

export interface MetricSeries {
  timestamps: Date[];
  values: number[];
}

/** A deterministic key for a request, so detectors can find their answers. */
export function metricKey(r: MetricRequest): string {
  const dims = Object.keys(r.dimensions)
    .sort()
    .map((k) => `${k}=${r.dimensions[k]}`)
    .join(",");
  return `${r.namespace}|${r.metricName}|${dims}|${r.stat}|${r.period}|${r.start.getTime()}|${r.end.getTime()}`;
}

export interface MetricResults {
  get(request: MetricRequest): MetricSeries | undefined;
}

export function sumOf(series: MetricSeries | undefined): number {
  if (!series) return 0;
  return series.values.reduce((a, b) => a + b, 0);
}

export function maxOf(series: MetricSeries | undefined): number {
  if (!series || series.values.length === 0) return 0;
  return Math.max(...series.values);
}
