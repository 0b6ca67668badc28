import type { LevelAck } from "../cost/types.ts";

/**
 * The cost watch's store verbs (dynamo-cost-store.ts). One item per day holds every series'
 * cost that day; Cost Explorer revises the last few days, so a day is `final` only once it is
 * old enough, and only non-final days are fetched again.
 */
export interface CostDay {
  /** YYYY-MM-DD */
  date: string;
  /** series name ("total", "service:Amazon SageMaker", "tag:team$nlp") → USD */
  series: Record<string, number>;
  final: boolean;
}

export type ThresholdBasisKey = "actual" | "forecast";

/** The alert sent for one anomaly: later days of it go to this thread. */
export interface AnomalyAlertRecord {
  /** Short deterministic id (the Ack button's value). */
  id: string;
  series: string;
  firstDate: string;
  lastDate: string;
  impactUsd: number;
  /** The latest day's cost: what "expected spend" acknowledges as the new level. */
  levelUsd: number;
  /** Where the alert went (the team channel) and its message ts. */
  channel?: string;
  ts?: string;
  /** Slack user ids of the owners of the resources behind it: they may acknowledge it. */
  ownerUserIds?: string[];
  /** AWS Cost Anomaly Detection's id when the anomaly was also theirs. */
  awsAnomalyId?: string;
}

/**
 * A scope the janitor is stricter with until its month ends: its budget passed the config's
 * `tighten.atPercent` on actual spend. What is tightened comes from the config (the budget's
 * `tighten`), read when a workflow starts, so editing it out undoes it at once; the month in
 * the key undoes it at rollover.
 */
export interface Tightening {
  /** "2026-11" */
  month: string;
  /** "team:nlp", "project:llm-finetune" (scopeKey). */
  scope: string;
  /** The budget whose `tighten` applies. */
  budget: string;
  /** The threshold that triggered it, and when. */
  percent: number;
  at: string;
}

/** What the cleanup workflow's start reads: this month's tightened scopes. */
export interface TighteningReader {
  tighteningsOf(month: string): Promise<Tightening[]>;
}

export interface CostStore extends TighteningReader {
  /** Days from `from` (inclusive) on, oldest first. */
  costDays(from: string): Promise<CostDay[]>;
  /** Writes (replaces) these days. */
  saveCostDays(days: readonly CostDay[]): Promise<void>;
  /** True the first time a scope/month/percent/basis is recorded, false on every rerun. */
  thresholdFired(scope: string, month: string, percent: number, basis: ThresholdBasisKey): Promise<boolean>;
  /** The open anomaly alert of a series, if any. */
  openAnomaly(series: string): Promise<AnomalyAlertRecord | undefined>;
  /** Records an alert (new or extended); false when a new one lost a race to another run. */
  saveAnomaly(record: AnomalyAlertRecord, isNew: boolean): Promise<boolean>;
  anomalyById(id: string): Promise<AnomalyAlertRecord | undefined>;
  /** "Expected spend": from `ack.fromDate` on, the series' new level is normal. */
  acknowledgeLevel(series: string, ack: LevelAck & { by: string }): Promise<void>;
  acknowledgements(): Promise<Map<string, LevelAck>>;
  /** Records the scope as tightened for the month; false when it already was (a rerun). */
  recordTightening(tightening: Tightening): Promise<boolean>;
}
