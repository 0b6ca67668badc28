/**
 * How `idle-notebook` and `idle-studio-app` tell whether anyone works on an instance: the
 * heartbeat metric where the instance publishes it, otherwise the off-hours policy. Pure: the
 * metric series comes in, a verdict goes out.
 */
import {
  HEARTBEAT_INTERVAL_SECONDS,
  HEARTBEAT_METRIC,
  HEARTBEAT_NAMESPACE,
} from "../notebooks/heartbeat-metric.ts";
import type { MetricRequest, MetricSeries } from "./metrics.ts";
import { describeSchedule, type OffHoursSchedule } from "./off-hours.ts";

const HOUR = 3_600_000;
const STEP = HEARTBEAT_INTERVAL_SECONDS * 1000;
/** Below this share of hours with a heartbeat datapoint, zeros prove little: the script may have died. */
export const MIN_HEARTBEAT_COVERAGE = 0.75;

export interface Window {
  start: Date;
  end: Date;
}

/**
 * The last `idleHours`, ending at `now` rounded up to the heartbeat's 5-minute step (so the
 * latest beat counts). Every resource gets the same window, so all heartbeat series of a run
 * share one GetMetricData time range: ⌈series / 500⌉ calls in all.
 */
export function heartbeatWindow(now: Date, idleHours: number): Window {
  const end = Math.ceil(now.getTime() / STEP) * STEP;
  return { start: new Date(end - idleHours * HOUR), end: new Date(end) };
}

/** Hourly maximum of the activity metric: 1 in an hour means someone worked in that hour. */
export function heartbeatRequest(dimensions: Record<string, string>, w: Window): MetricRequest {
  return {
    namespace: HEARTBEAT_NAMESPACE,
    metricName: HEARTBEAT_METRIC,
    dimensions,
    stat: "Maximum",
    period: 3600,
    start: w.start,
    end: w.end,
  };
}

export interface HeartbeatReading {
  /** Hours of the window with at least one datapoint. */
  hoursWithData: number;
  /** hoursWithData / hours in the window. */
  coverage: number;
  /** 1 when any activity was reported. */
  maxValue: number;
  lastActiveAt?: Date;
}

/**
 * undefined = no heartbeat at all in the window (never installed, or not running). Coverage is
 * over the part of the window the resource has been running (`since`), so a young instance with
 * a steady heartbeat is not mistaken for one with a patchy heartbeat.
 */
export function readHeartbeat(
  series: MetricSeries | undefined,
  w: Window,
  since: Date,
): HeartbeatReading | undefined {
  if (!series || series.values.length === 0) return undefined;
  const from = Math.max(w.start.getTime(), since.getTime());
  const hours = Math.max(1, Math.ceil((w.end.getTime() - from) / HOUR));
  // One value per hourly bucket that had any datapoint.
  const hoursWithData = series.values.length;
  let maxValue = 0;
  let lastActiveAt: Date | undefined;
  series.values.forEach((v, i) => {
    maxValue = Math.max(maxValue, v);
    const t = series.timestamps[i];
    if (v > 0 && t && (!lastActiveAt || t > lastActiveAt)) lastActiveAt = t;
  });
  return {
    hoursWithData,
    coverage: Math.min(1, hoursWithData / hours),
    maxValue,
    ...(lastActiveAt ? { lastActiveAt } : {}),
  };
}

export function heartbeatEvidence(
  dimensions: Record<string, string>,
  w: Window,
  reading: HeartbeatReading | undefined,
) {
  return {
    namespace: HEARTBEAT_NAMESPACE,
    metric: HEARTBEAT_METRIC,
    dimensions,
    windowStart: w.start.toISOString(),
    windowEnd: w.end.toISOString(),
    hoursWithData: reading?.hoursWithData ?? 0,
    coverage: Math.round((reading?.coverage ?? 0) * 100) / 100,
    maxValue: reading?.maxValue ?? 0,
  };
}

export function offHoursEvidence(schedule: OffHoursSchedule, offHours: number, maxOffHours: number) {
  return {
    schedule: describeSchedule(schedule),
    hoursRunningInOffHours: Math.round(offHours * 10) / 10,
    maxOffHours,
  };
}

/** Policy findings are guesses: medium once well past the limit (twice it), low just past it. */
export function policyConfidence(offHours: number, maxOffHours: number): "low" | "medium" {
  return offHours >= 2 * maxOffHours ? "medium" : "low";
}

export function hoursBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / HOUR;
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
