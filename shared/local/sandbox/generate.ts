import { ScenarioError } from "./errors.ts";
import { mulberry32, seedOf } from "./random.ts";
import type { RawCostRange, RawGenerator } from "./scenario-schema.ts";
import { parseDuration, resolveTime, utcDate } from "./time-expr.ts";
import type { SbDailyCost } from "./types.ts";

/**
 * Expands the compact series of a scenario file into raw datapoints and daily cost rows.
 * Noise is seeded by the series and the instant, so a given day always gets the same value.
 */
const DAY_MS = 86_400_000;
const MAX_POINTS = 500_000;

function noise(key: string, t: number, jitter: number): number {
  if (jitter === 0) return 1;
  return 1 + jitter * (2 * mulberry32(seedOf(`${key}@${t}`))() - 1);
}

const isWeekend = (t: number) => {
  const d = new Date(t).getUTCDay();
  return d === 0 || d === 6;
};

/** Peaks mid-afternoon UTC at 1.0, bottoms out at 0.4 at night. */
const diurnal = (t: number) => {
  const hour = (t % DAY_MS) / 3_600_000;
  return 0.4 + 0.3 * (1 + Math.cos((2 * Math.PI * (hour - 15)) / 24));
};

export function generatePoints(g: RawGenerator, key: string, now: number, where: string) {
  const from = resolveTime(g.from, now)!;
  const to = resolveTime(g.to, now)!;
  const step = parseDuration(g.every)!;
  if ((to - from) / step > MAX_POINTS) {
    throw new ScenarioError(`${where}: more than ${MAX_POINTS} points; use a coarser "every".`);
  }
  const points: Array<{ t: number; v: number }> = [];
  // Aligned to the step (like CloudWatch's minute boundaries), so output is stable across loads.
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    const shape =
      g.pattern === "weekday"
        ? isWeekend(t)
          ? g.weekendFactor
          : 1
        : g.pattern === "diurnal"
          ? diurnal(t)
          : 1;
    const v = g.value * shape * noise(key, t, g.jitter);
    points.push({ t, v: g.round ? Math.round(v) : v });
  }
  return points;
}

export function generateCosts(c: RawCostRange, now: number): SbDailyCost[] {
  const first = Date.parse(`${utcDate(resolveTime(c.from, now)!)}T00:00:00Z`);
  const last = Date.parse(`${utcDate(resolveTime(c.to, now)!)}T00:00:00Z`);
  const key = `${c.service}|${c.usageType ?? ""}|${JSON.stringify(c.tags ?? {})}`;
  const rows: SbDailyCost[] = [];
  for (let t = first; t <= last; t += DAY_MS) {
    const shape = c.pattern === "weekday" && isWeekend(t) ? c.weekendFactor : 1;
    const amountUsd = Math.round(c.dailyUsd * shape * noise(key, t, c.jitter) * 1e6) / 1e6;
    rows.push({
      date: utcDate(t),
      service: c.service,
      ...(c.usageType !== undefined && { usageType: c.usageType }),
      ...(c.resourceId !== undefined && { resourceId: c.resourceId }),
      amountUsd,
      ...(c.tags !== undefined && { tags: { ...c.tags } }),
    });
  }
  return rows;
}
