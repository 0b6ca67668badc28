import { describe, expect, it } from "vitest";
import { acknowledgeAnomaly } from "../../../shared/cost/acknowledge-anomaly.ts";
import { addDays } from "../../../shared/cost/dates.ts";
import { DEFAULT_DETECTOR_PARAMS } from "../../../shared/cost/detect-anomaly.ts";
import { findEpisode } from "../../../shared/cost/find-episode.ts";
import type { DailyPoint } from "../../../shared/cost/types.ts";
import { MemoryCostStore } from "../../fixtures/cost-store.ts";

/** 90 days at ~$800, the last 11 at +$1,410 (the overnight training job). */
const START = "2026-08-25";
const points: DailyPoint[] = Array.from({ length: 90 }, (_, i) => ({
  date: addDays(START, i),
  usd: 800 * (1 + 0.02 * Math.sin(i)) + (i >= 79 ? 1410 : 0),
}));
const yesterday = points.at(-1)!.date;

describe("findEpisode", () => {
  it("finds an anomaly that began 11 days ago and judges every day against the baseline before it", () => {
    const e = findEpisode(points, yesterday, DEFAULT_DETECTOR_PARAMS);
    expect(e?.firstDate).toBe(points[79]!.date);
    expect(e?.days).toHaveLength(11);
    expect(e!.impactUsd).toBeGreaterThan(11 * 1350);
    expect(e!.latest.expectedUsd).toBeLessThan(850);
  });

  it("ends once the owner acknowledges the new level", () => {
    const ack = { fromDate: points[85]!.date, levelUsd: 2210 };
    expect(findEpisode(points, yesterday, DEFAULT_DETECTOR_PARAMS, ack)).toBeUndefined();
  });

  it("has nothing to say when yesterday was normal", () => {
    const calm = points.map((p, i) => (i === 89 ? { ...p, usd: 800 } : p));
    expect(findEpisode(calm, yesterday, DEFAULT_DETECTOR_PARAMS)).toBeUndefined();
  });
});

describe("acknowledgeAnomaly", () => {
  it("turns the alert's latest level into the series' normal from its first day", async () => {
    const store = new MemoryCostStore();
    await store.saveAnomaly(
      {
        id: "abc123",
        series: "service:Amazon SageMaker",
        firstDate: points[79]!.date,
        lastDate: yesterday,
        impactUsd: 15_000,
        levelUsd: 2210,
      },
      true,
    );
    expect(await acknowledgeAnomaly(store, "abc123", "U0SAM")).toMatchObject({ outcome: "acknowledged" });
    const ack = (await store.acknowledgements()).get("service:Amazon SageMaker");
    expect(findEpisode(points, yesterday, DEFAULT_DETECTOR_PARAMS, ack)).toBeUndefined();
    expect(await acknowledgeAnomaly(store, "nope", "U0SAM")).toEqual({ outcome: "unknown" });
  });
});
