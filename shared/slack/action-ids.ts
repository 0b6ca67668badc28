/**
 * The ids our Slack messages and modals carry, shared by the Block Kit builders and the
 * interaction parser so the two cannot drift apart.
 */
export const ACTION = {
  approve: "janitor.approve",
  snooze: "janitor.snooze",
  keep: "janitor.keep",
  restore: "janitor.restore",
  /** The console link button: Slack still sends a block_actions payload for it, which we only acknowledge. */
  openConsole: "janitor.open_console",
  /** Cost watch: "this new spend is expected" — the value is the anomaly's short id. */
  ackAnomaly: "janitor.ack_anomaly",
  /** Link to the finding related to a cost anomaly (acknowledged, like the console link). */
  openFinding: "janitor.open_finding",
} as const;

export const KEEP_REASON_VIEW = {
  callbackId: "janitor.keep_reason",
  blockId: "keep_reason",
  actionId: "reason",
} as const;

/**
 * A decision id is the only thing a button carries (the Step Functions task token stays in
 * the store). Short and colon-free, so a snooze option value `<decisionId>:<days>` splits
 * unambiguously and stays far below Slack's 150-character option value limit.
 */
export const DECISION_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function assertDecisionId(decisionId: string): void {
  if (!DECISION_ID_PATTERN.test(decisionId)) {
    throw new RangeError(`decision id "${decisionId}" must match ${DECISION_ID_PATTERN}`);
  }
}
