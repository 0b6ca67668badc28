import { describe, expect, it } from "vitest";
import { runOutcome } from "../../../shared/workflow/outcome.ts";
import { workflowTiming } from "../../../shared/workflow/timing.ts";
import type { WorkflowState } from "../../../shared/workflow/types.ts";
import { sampleFinding } from "../../fixtures/findings.ts";

const base: WorkflowState = {
  finding: sampleFinding(),
  policyName: "idle-endpoints",
  decisionId: "d-0123456789abcdef",
  executionName: "idle-endpoint-abc-c1",
  scanId: "scheduled-20261123T020000Z",
  timing: workflowTiming({ gracePeriod: "3d", reminderLead: "24h" }, new Date("2026-11-23T02:00:00Z")),
};
const GRACE = 3 * 86_400;

describe("runOutcome", () => {
  it("approved and acted: acted, with the saving and the undo", () => {
    const r = runOutcome(
      {
        ...base,
        decision: { kind: "approve", actor: "U1", at: "2026-11-23T03:00:00Z" },
        recheck: { value: { verdict: "act", action: "delete", reason: "still idle", monthlyCostUsd: 537 } },
        act: {
          value: {
            action: "delete",
            result: "done",
            detail: "deleted",
            savedMonthlyUsd: 537,
            undoAvailable: true,
          },
        },
      },
      GRACE,
    );
    expect(r).toMatchObject({
      outcome: "approved",
      actor: "U1",
      actionTaken: "delete",
      savedMonthlyUsd: 537,
      status: "acted",
      undoAvailable: true,
    });
  });

  it("timed out and acted by policy: outcome timeout, actor janitor", () => {
    const r = runOutcome(
      {
        ...base,
        decision: { kind: "timeout", actor: "janitor", at: base.timing.deadline },
        recheck: { value: { verdict: "act", action: "stop", reason: "idle" } },
        act: {
          value: {
            action: "stop",
            result: "done",
            detail: "stopped",
            savedMonthlyUsd: 10,
            undoAvailable: true,
          },
        },
      },
      GRACE,
    );
    expect(r).toMatchObject({ outcome: "timeout", actor: "janitor", actionTaken: "stop", status: "acted" });
  });

  it("snooze ends snoozed until decision time + days", () => {
    const r = runOutcome(
      { ...base, decision: { kind: "snooze", actor: "U1", at: "2026-11-23T03:00:00Z", days: 7 } },
      GRACE,
    );
    expect(r.status).toBe("snoozed");
    expect(r.snoozedUntil?.toISOString()).toBe("2026-11-30T03:00:00.000Z");
  });

  it("keep carries the keeper's reason", () => {
    const r = runOutcome(
      { ...base, decision: { kind: "keep", actor: "U2", at: "x", reason: "demo on Friday" } },
      GRACE,
    );
    expect(r).toMatchObject({
      outcome: "kept",
      status: "kept",
      reason: "demo on Friday",
      actionTaken: "none",
    });
  });

  it("a cancelled re-check leaves the finding open and quiet for a day", () => {
    const r = runOutcome(
      {
        ...base,
        decision: { kind: "approve", actor: "U1", at: "x" },
        recheck: { value: { verdict: "cancel", reason: "42 invocations" } },
      },
      GRACE,
    );
    expect(r).toMatchObject({
      outcome: "cancelled",
      status: "open",
      quietForSeconds: 86_400,
      detail: "42 invocations",
    });
  });

  it("no answer and nothing to do: open, quiet for a grace period, no saving", () => {
    const r = runOutcome(
      {
        ...base,
        decision: { kind: "timeout", actor: "janitor", at: "x" },
        recheck: { value: { verdict: "skip", reason: "the policy only notifies" } },
      },
      GRACE,
    );
    expect(r).toMatchObject({
      outcome: "timeout",
      status: "open",
      quietForSeconds: GRACE,
      savedMonthlyUsd: 0,
    });
  });

  it("a failed step is a failure whatever the decision, with the Lambda's error message", () => {
    const r = runOutcome(
      {
        ...base,
        decision: { kind: "approve", actor: "U1", at: "x" },
        error: {
          Error: "InvalidStateError",
          Cause: JSON.stringify({ errorType: "InvalidStateError", errorMessage: "endpoint is Updating" }),
        },
      },
      GRACE,
    );
    expect(r).toMatchObject({
      outcome: "failed",
      status: "failed",
      detail: "InvalidStateError: endpoint is Updating",
    });
  });
});

describe("workflowTiming", () => {
  it("splits the grace period into notice and reminder, deadline at the end", () => {
    const t = workflowTiming({ gracePeriod: "3d", reminderLead: "24h" }, new Date("2026-11-23T02:00:00Z"));
    expect(t).toEqual({
      noticeSeconds: 2 * 86_400,
      reminderSeconds: 86_400,
      deadline: "2026-11-26T02:00:00.000Z",
      reminderAt: "2026-11-25T02:00:00.000Z",
    });
  });

  it("never lets the reminder lead take more than half the grace period", () => {
    const t = workflowTiming({ gracePeriod: "12h", reminderLead: "24h" }, new Date("2026-11-23T00:00:00Z"));
    expect(t.noticeSeconds).toBe(6 * 3600);
    expect(t.reminderSeconds).toBe(6 * 3600);
  });
});
