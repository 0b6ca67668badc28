/**
 * Scores the cost anomaly detector on generated labeled series (scripts/bench/anomaly-series.ts)
 * against the rule "alert when today is over 1.5× the historical average": precision, recall
 * and F1 over every scored day, overall and per pattern. Prints a table and writes
 * .janitor/bench/anomaly.json.
 *
 *   npx tsx scripts/bench/anomaly-eval.ts [--series 400]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_DETECTOR_PARAMS, detectAnomaly } from "../../shared/cost/detect-anomaly.ts";
import type { DailyPoint } from "../../shared/cost/types.ts";
import { generateSeries, type LabeledSeries, SCORED_DAYS } from "./anomaly-series.ts";

type Detector = (history: DailyPoint[], day: DailyPoint) => boolean;

const ours: Detector = (history, day) => detectAnomaly(history, day, DEFAULT_DETECTOR_PARAMS) !== undefined;
const naive: Detector = (history, day) => {
  const mean = history.reduce((s, p) => s + p.usd, 0) / Math.max(1, history.length);
  return day.usd > 1.5 * mean;
};

interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

function score(series: readonly LabeledSeries[], detector: Detector): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of series) {
    const first = s.points.length - SCORED_DAYS;
    for (let i = 0; i < SCORED_DAYS; i++) {
      const label = s.labels[i];
      if (label === null) continue;
      const flagged = detector(s.points.slice(0, first + i), s.points[first + i]!);
      if (flagged && label) tp++;
      else if (flagged) fp++;
      else if (label) fn++;
    }
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision, recall, f1 };
}

export interface AnomalyEvalReport {
  series: number;
  scoredDays: number;
  overall: { ours: Score; naive: Score };
  byPattern: Record<string, { series: number; ours: Score; naive: Score }>;
}

export function runAnomalyEval(count = 400, outDir = ".janitor/bench"): AnomalyEvalReport {
  const series = generateSeries(count);
  const byPattern: AnomalyEvalReport["byPattern"] = {};
  for (const pattern of new Set(series.map((s) => s.pattern))) {
    const subset = series.filter((s) => s.pattern === pattern);
    byPattern[pattern] = { series: subset.length, ours: score(subset, ours), naive: score(subset, naive) };
  }
  const report: AnomalyEvalReport = {
    series: count,
    scoredDays: count * SCORED_DAYS,
    overall: { ours: score(series, ours), naive: score(series, naive) },
    byPattern,
  };
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  const row = (name: string, s: Score) =>
    `${name.padEnd(28)}${pct(s.precision)}${pct(s.recall)}${pct(s.f1)}   tp ${s.tp} fp ${s.fp} fn ${s.fn}`;
  console.log(`\nCost anomaly detection: ${count} labeled series, ${SCORED_DAYS} scored days each`);
  console.log(`${"".padEnd(28)}${"prec".padStart(7)}${"recall".padStart(7)}${"F1".padStart(7)}`);
  console.log(row("ours (all)", report.overall.ours));
  console.log(row("rule 1.5× average (all)", report.overall.naive));
  for (const [pattern, r] of Object.entries(byPattern)) {
    console.log(row(`  ours ${pattern}`, r.ours));
    console.log(row(`  rule ${pattern}`, r.naive));
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "anomaly.json"), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { series: { type: "string", default: "400" } } });
  runAnomalyEval(Number(values.series));
}
