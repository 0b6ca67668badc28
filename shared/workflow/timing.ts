import type { WorkflowInput } from "../store/workflow-types.ts";
import { parseDurationSeconds } from "../util/duration.ts";

/**
 * The grace period is the waiting task's timeout: the notice waits (grace − reminder lead),
 * then one reminder waits the lead. A lead longer than half the grace period is shortened so
 * the notice always gets the larger share.
 */
export function workflowTiming(
  policy: { gracePeriod: string; reminderLead: string },
  now: Date,
): WorkflowInput["timing"] {
  const grace = Math.max(120, parseDurationSeconds(policy.gracePeriod));
  const lead = Math.min(parseDurationSeconds(policy.reminderLead), Math.floor(grace / 2));
  const noticeSeconds = grace - lead;
  return {
    noticeSeconds,
    reminderSeconds: lead,
    deadline: new Date(now.getTime() + grace * 1000).toISOString(),
    reminderAt: new Date(now.getTime() + noticeSeconds * 1000).toISOString(),
  };
}
