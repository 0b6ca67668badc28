import { addDays } from "../../shared/cost/dates.ts";
import type { DailyPoint } from "../../shared/cost/types.ts";

/**
 * Labeled daily cost series for the anomaly evaluation: weekly seasonality, trend and noise,
 * with spikes, level shifts, new services, credits and monthly fees. Each scored day is
 * `true` (an anomaly an owner should hear about), `false`, or `null` (not scored: the days of
 * a level shift after its first three, when the owner would have acknowledged it).
 */
export type Pattern = "clean" | "spike" | "level-shift" | "new-service" | "credit" | "month-start";

export interface LabeledSeries {
  id: string;
  pattern: Pattern;
  points: DailyPoint[];
  /** Labels of the last `scored` days, in order. */
  labels: Array<boolean | null>;
}

export const SERIES_DAYS = 120;
export const SCORED_DAYS = 28;
const START = "2026-05-04";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATTERNS: Array<[Pattern, number]> = [
  ["clean", 0.25],
  ["spike", 0.25],
  ["level-shift", 0.15],
  ["new-service", 0.1],
  ["credit", 0.15],
  ["month-start", 0.1],
];

export function generateSeries(count: number, seed = 42): LabeledSeries[] {
  const rnd = mulberry32(seed);
  const uni = (a: number, b: number) => a + (b - a) * rnd();
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const out: LabeledSeries[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    let cumulative = 0;
    const pattern =
      PATTERNS.find(([, p]) => {
        cumulative += p;
        return r < cumulative;
      })?.[0] ?? "clean";
    const level = Math.exp(uni(Math.log(80), Math.log(5000)));
    const weekend = uni(0.3, 1);
    const trend = uni(-0.003, 0.006);
    const cv = uni(0.02, 0.12);
    const firstScored = SERIES_DAYS - SCORED_DAYS;
    const labels: Array<boolean | null> = Array(SERIES_DAYS).fill(false);
    const usd: number[] = [];
    for (let d = 0; d < SERIES_DAYS; d++) {
      const date = addDays(START, d);
      const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
      const seasonal = dow === 0 || dow === 6 ? weekend : 1;
      usd.push(Math.max(0, level * (1 + trend) ** d * seasonal * (1 + cv * gauss())));
    }
    // Past spikes the baseline must shrug off.
    if (rnd() < 0.4) {
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
        const d = 20 + Math.floor(rnd() * (firstScored - 25));
        usd[d]! += level * uni(1, 4);
      }
    }
    const at = firstScored + Math.floor(rnd() * (SCORED_DAYS - 3));
    const material = () => Math.max(level * uni(0.6, 3), uni(120, 400));
    if (pattern === "spike") {
      const len = 1 + Math.floor(rnd() * 3);
      const extra = material();
      for (let d = at; d < at + len; d++) {
        usd[d]! += extra;
        labels[d] = true;
      }
    } else if (pattern === "level-shift") {
      const extra = material();
      for (let d = at; d < SERIES_DAYS; d++) {
        usd[d]! += extra * (1 + cv * gauss());
        labels[d] = d < at + 3 ? true : null;
      }
    } else if (pattern === "new-service") {
      for (let d = 0; d < SERIES_DAYS; d++) {
        if (d < at) usd[d] = 0;
        else labels[d] = d < at + 3 ? true : null;
      }
    } else if (pattern === "credit") {
      for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) {
        usd[at + k] = -level * uni(1, 5);
      }
      // Credits also land in history.
      usd[firstScored - 10] = -level * uni(1, 5);
    } else if (pattern === "month-start") {
      const fee = level * uni(2, 6);
      for (let d = 0; d < SERIES_DAYS; d++) {
        if (addDays(START, d).endsWith("-01")) usd[d]! += fee;
      }
    }
    out.push({
      id: `s${i}`,
      pattern,
      points: usd.map((v, d) => ({ date: addDays(START, d), usd: Math.round(v * 100) / 100 })),
      labels: labels.slice(firstScored),
    });
  }
  return out;
}
