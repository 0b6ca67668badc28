/** The bench's tables: calls by operation side by side, wall times, ratios, cost per scan. */
import Table from "cli-table3";
import { type CostEstimate, estimateCost } from "./cost.ts";
import type { RunMeasure } from "./measure.ts";

const int = (n: number) => n.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ratio = (a: number, b: number) => (b === 0 ? "∞" : `${(a / b).toFixed(1)}×`);
/** Plain text: the output is read in terminals and pasted into notes alike. */
const STYLE = { head: [], border: [] };
const usd = (n: number) => `$${n < 0.01 ? n.toFixed(5) : n.toFixed(4)}`;

/** Operations as rows, runs as columns, then totals and wall time. */
export function callsTable(runs: RunMeasure[]): string {
  const ops = [...new Set(runs.flatMap((r) => Object.keys(r.calls)))].sort();
  const table = new Table({
    head: ["API calls by operation", ...runs.map((r) => r.label)],
    style: STYLE,
    colAligns: ["left", ...runs.map(() => "right" as const)],
  });
  for (const op of ops) table.push([op, ...runs.map((r) => int(r.calls[op] ?? 0))]);
  table.push(["total calls", ...runs.map((r) => int(r.totalCalls))]);
  table.push(["CloudWatch metrics requested (GetMetricData)", ...runs.map((r) => int(r.metricsRequested))]);
  table.push(["throttled (retried)", ...runs.map((r) => int(r.throttled))]);
  table.push(["wall time", ...runs.map((r) => seconds(r.wallMs))]);
  return table.toString();
}

/** Baseline ÷ each of ours, for calls and wall time. */
export function ratioTable(baseline: RunMeasure, ours: RunMeasure[]): string {
  const table = new Table({
    head: ["baseline ÷ ours", ...ours.map((r) => r.label), "target"],
    style: STYLE,
    colAligns: ["left", ...ours.map(() => "right" as const), "right"],
  });
  table.push(["API calls", ...ours.map((r) => ratio(baseline.totalCalls, r.totalCalls)), "≥ 50×"]);
  table.push(["wall time", ...ours.map((r) => ratio(baseline.wallMs, r.wallMs)), "≥ 10×"]);
  return table.toString();
}

export function costTable(runs: RunMeasure[]): { text: string; costs: CostEstimate[] } {
  const costs = runs.map(estimateCost);
  const table = new Table({
    head: ["est. AWS cost of one scan", ...runs.map((r) => r.label)],
    style: STYLE,
    colAligns: ["left", ...runs.map(() => "right" as const)],
  });
  table.push(["CloudWatch (metrics requested, API requests)", ...costs.map((c) => usd(c.cloudwatchUsd))]);
  table.push(["Lambda (1024 MB × wall time)", ...costs.map((c) => usd(c.lambdaUsd))]);
  table.push(["DynamoDB (config cache) + S3 LIST", ...costs.map((c) => usd(c.dynamoUsd + c.s3Usd))]);
  table.push(["total per scan", ...costs.map((c) => usd(c.totalUsd))]);
  table.push(["per month (30 nightly scans)", ...costs.map((c) => usd(c.totalUsd * 30))]);
  return { text: table.toString(), costs };
}
