import { describe, expect, it } from "vitest";
import { addDays, weekday } from "../../../shared/cost/dates.ts";
import { detectAnomaly } from "../../../shared/cost/detect-anomaly.ts";
import type { DailyPoint } from "../../../shared/cost/types.ts";

const START = "2026-08-30";

/** 60 days: $1,000 on weekdays, $300 on weekends, ±3% deterministic wiggle. */
function steady(days = 60, weekdayUsd = 1000, weekendUsd = 300): DailyPoint[] {
  return Array.from({ length: days }, (_, i) => {
    const date = addDays(START, i);
    const base = [0, 6].includes(weekday(date)) ? weekendUsd : weekdayUsd;
    return { date, usd: base * (1 + 0.03 * Math.sin(i * 1.7)) };
  });
}

const next = (history: DailyPoint[], usd: number, skip = 0): DailyPoint => ({
  date: addDays(history.at(-1)!.date, 1 + skip),
  usd,
});

describe("detectAnomaly", () => {
  it("stays quiet on an ordinary weekday and weekend", () => {
    const h = steady();
    const day = next(h, 1020);
    expect(weekday(day.date)).not.toBe(0);
    expect(detectAnomaly(h, day)).toBeUndefined();
  });

  it("flags a spike with expected vs actual and the dollar impact", () => {
    const h = steady();
    const v = detectAnomaly(h, next(h, 2410));
    expect(v).toMatchObject({ kind: "spike", actualUsd: 2410 });
    expect(v!.expectedUsd).toBeGreaterThan(950);
    expect(v!.expectedUsd).toBeLessThan(1050);
    expect(v!.impactUsd).toBeCloseTo(2410 - v!.expectedUsd);
  });

  it("knows weekends: a weekday-sized Saturday is an anomaly, a weekday one is not", () => {
    const h = steady(62); // ends on a Friday
    expect(weekday(h.at(-1)!.date)).toBe(5);
    expect(detectAnomaly(h, next(h, 1000))).toMatchObject({ kind: "spike" });
    expect(detectAnomaly(h, next(h, 1000, 2))).toBeUndefined();
  });

  it("ignores a significant excess that is too small in money", () => {
    const h = steady(60, 100, 100);
    expect(detectAnomaly(h, next(h, 140), undefined)).toBeUndefined();
  });

  it("is not dragged by past spikes", () => {
    const h = steady();
    for (const i of [40, 47, 52]) h[i]!.usd += 5000;
    expect(detectAnomaly(h, next(h, 1500))).toMatchObject({ kind: "spike" });
  });

  it("follows a steady trend without alerting", () => {
    const h = steady().map((p, i) => ({ ...p, usd: p.usd * 1.01 ** i }));
    const day = next(h, 1000 * 1.01 ** 60);
    expect(detectAnomaly(h, day)).toBeUndefined();
  });

  it("alerts on a new service with no history", () => {
    const h: DailyPoint[] = steady().map((p) => ({ ...p, usd: 0 }));
    expect(detectAnomaly(h, next(h, 400))).toMatchObject({
      kind: "new-series",
      expectedUsd: 0,
      impactUsd: 400,
    });
    expect(detectAnomaly([], { date: START, usd: 20 })).toBeUndefined();
  });

  it("keeps flagging an unacknowledged level shift, stops once acknowledged", () => {
    const h = steady();
    for (let i = 57; i < 60; i++) h[i]!.usd += 1400;
    const day = next(h, 2400);
    expect(detectAnomaly(h, day)).toMatchObject({ kind: "spike" });
    expect(detectAnomaly(h, day, undefined, { fromDate: h[57]!.date, levelUsd: 2400 })).toBeUndefined();
    // An acknowledgement dated later does not hide today.
    expect(
      detectAnomaly(h, day, undefined, { fromDate: addDays(day.date, 1), levelUsd: 2400 }),
    ).toBeDefined();
  });

  it("expects the monthly fee on the 1st", () => {
    const h = steady(92).map((p) => (p.date.endsWith("-01") ? { ...p, usd: p.usd + 6000 } : p));
    const first = h.find((p, i) => i > 60 && p.date.endsWith("-01"))!;
    const idx = h.indexOf(first);
    expect(detectAnomaly(h.slice(0, idx), first)).toBeUndefined();
    // …and the fee does not lift the 2nd's baseline.
    expect(detectAnomaly(h.slice(0, idx + 1), { ...h[idx + 1]!, usd: h[idx + 1]!.usd + 1500 })).toBeDefined();
  });

  it("never flags credits and keeps them out of the baseline", () => {
    const h = steady();
    h[58]!.usd = -4000;
    expect(detectAnomaly(h, next(h, -2000))).toBeUndefined();
    expect(detectAnomaly(h, next(h, 1020))).toBeUndefined();
    expect(detectAnomaly(h, next(h, 2000))).toMatchObject({ kind: "spike" });
  });
});
