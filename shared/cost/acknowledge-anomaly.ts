import type { CostStore } from "../store/cost-types.ts";

export type AcknowledgeResult =
  | { outcome: "acknowledged"; series: string; fromDate: string; levelUsd: number }
  | { outcome: "unknown" };

/**
 * "Expected spend" on a cost-anomaly alert (button `janitor.ack_anomaly`, value = the alert's
 * short id): from the anomaly's first day, its latest daily cost is the series' normal level,
 * so the anomaly ends and the new steady cost stops alerting. Idempotent (a second click
 * writes the same acknowledgement). Who may click is the caller's to check.
 */
export async function acknowledgeAnomaly(
  store: CostStore,
  id: string,
  by: string,
): Promise<AcknowledgeResult> {
  const alert = await store.anomalyById(id);
  if (!alert) return { outcome: "unknown" };
  const ack = { fromDate: alert.firstDate, levelUsd: alert.levelUsd };
  await store.acknowledgeLevel(alert.series, { ...ack, by });
  return { outcome: "acknowledged", series: alert.series, ...ack };
}
