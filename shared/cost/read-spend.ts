import type { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { type CostGroupBy, dailyCosts } from "../aws/cost-explorer.ts";
import type { CostDay, CostStore } from "../store/cost-types.ts";
import { addDays } from "./dates.ts";
import type { DailyPoint } from "./types.ts";

export interface SpendSettings {
  /** Cost-allocation tag keys to keep series for (e.g. team, project). */
  tags: string[];
  /** Cost Explorer revises recent days: these last days are fetched again every run. */
  refetchDays: number;
  /** History a first run backfills, and the detector's reach. */
  historyDays: number;
}

/**
 * Series names: "total", "service:<service>", "tag:<key>$<value>" (Cost Explorer's own
 * `key$value` spelling; untagged spend, `key$`, gets no tag series).
 */
export const TOTAL = "total";

/**
 * GroupBy sets for one reading, two keys each (Cost Explorer's limit): SERVICE with the first
 * tag, then the other tags in pairs. Each set is one request (more only past a page), and
 * the first one's groups also sum to the total.
 */
export function groupings(tags: readonly string[]): CostGroupBy[][] {
  const keys: CostGroupBy[] = [
    { Type: "DIMENSION", Key: "SERVICE" },
    ...tags.map((t) => ({ Type: "TAG" as const, Key: t })),
  ];
  const out: CostGroupBy[][] = [];
  for (let i = 0; i < keys.length; i += 2) out.push(keys.slice(i, i + 2));
  return out;
}

/** The first day to fetch: the oldest missing or not-final day in the history window. */
export function firstDayToFetch(stored: readonly CostDay[], today: string, historyDays: number): string {
  const byDate = new Map(stored.map((d) => [d.date, d]));
  for (let date = addDays(today, -historyDays); date < today; date = addDays(date, 1)) {
    if (!byDate.get(date)?.final) return date;
  }
  return today;
}

/**
 * Brings the stored daily history up to yesterday with as few billed requests as possible —
 * one GetCostAndUsage per grouping over the whole missing range (a 90-day backfill is the
 * same requests as a daily run, plus pages) — and returns the whole window.
 */
export async function readSpend(
  client: CostExplorerClient,
  store: CostStore,
  today: string,
  settings: SpendSettings,
): Promise<{ days: CostDay[]; requests: number; fetchedFrom: string }> {
  const since = addDays(today, -settings.historyDays);
  const stored = await store.costDays(since);
  const start = firstDayToFetch(stored, today, settings.historyDays);
  if (start >= today) return { days: stored, requests: 0, fetchedFrom: today };

  const fetched = new Map<string, CostDay>();
  const day = (date: string) => {
    let d = fetched.get(date);
    if (!d) {
      d = { date, series: {}, final: true };
      fetched.set(date, d);
    }
    return d;
  };
  const add = (d: CostDay, name: string, usd: number) => {
    d.series[name] = (d.series[name] ?? 0) + usd;
  };
  const lastFinal = addDays(today, -settings.refetchDays - 1);
  let requests = 0;
  for (const [n, groupBy] of groupings(settings.tags).entries()) {
    const out = await dailyCosts(client, { start, end: today, groupBy });
    requests += out.requests;
    for (const row of out.rows) {
      const d = day(row.date);
      if (row.estimated || row.date > lastFinal) d.final = false;
      if (n === 0) add(d, TOTAL, row.usd);
      groupBy.forEach((g, i) => {
        const key = row.keys[i] ?? "";
        if (g.Key === "SERVICE") add(d, `service:${key}`, row.usd);
        else if (!key.endsWith("$")) add(d, `tag:${key}`, row.usd);
      });
    }
  }
  // Days with no spend at all come back with no groups: they are still read.
  for (let date = start; date < today; date = addDays(date, 1)) {
    const d = day(date);
    if (date > lastFinal) d.final = false;
  }
  const days = [...fetched.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  await store.saveCostDays(days);
  const kept = stored.filter((d) => d.date < start);
  return { days: [...kept, ...days], requests, fetchedFrom: start };
}

/** Every series in the days, as points (a missing day is $0). */
export function seriesOf(days: readonly CostDay[]): Map<string, DailyPoint[]> {
  const out = new Map<string, DailyPoint[]>();
  for (const d of days) {
    for (const [name, usd] of Object.entries(d.series)) {
      let points = out.get(name);
      if (!points) {
        points = [];
        out.set(name, points);
      }
      points.push({ date: d.date, usd });
    }
  }
  return out;
}
