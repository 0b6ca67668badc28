import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import {
  type Json,
  loadDefinition,
  referencedFunctions,
  resolveFunctionRefs,
} from "../../../shared/workflow/definition.ts";

function resolved(): { [key: string]: Json } {
  return resolveFunctionRefs(
    loadDefinition(),
    (id) => `arn:aws:lambda:us-east-1:123456789012:function:${id}`,
  ) as {
    [key: string]: Json;
  };
}

describe("cleanup state machine definition", () => {
  it("is valid Amazon States Language", () => {
    const result = aslValidator(resolved());
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it("calls the four workflow Lambdas by logical id", () => {
    expect(referencedFunctions()).toEqual([
      "ActLambdaFunction",
      "NotifyLambdaFunction",
      "RecheckLambdaFunction",
      "ReportLambdaFunction",
    ]);
  });

  it("uses the grace period as the waiting tasks' timeout and retries Lambda service errors with jitter", () => {
    const states = resolved().States as { [name: string]: { [k: string]: Json } };
    expect(states.Notify!.TimeoutSecondsPath).toBe("$.timing.noticeSeconds");
    expect(states.Remind!.TimeoutSecondsPath).toBe("$.timing.reminderSeconds");
    for (const [name, state] of Object.entries(states)) {
      if (state.Type !== "Task") continue;
      const retry = (state.Retry as Array<{ ErrorEquals: string[]; JitterStrategy?: string }>) ?? [];
      expect(retry[0]?.ErrorEquals, name).toContain("Lambda.ServiceException");
      expect(retry[0]?.JitterStrategy, name).toBe("FULL");
    }
    // A delete waiting for its undo snapshot tries again for about a day, then fails loudly.
    const act = states.Act!.Retry as Array<{ ErrorEquals: string[]; MaxAttempts: number }>;
    expect(act.find((r) => r.ErrorEquals.includes("SnapshotPendingError"))?.MaxAttempts).toBe(12);
  });

  it("ends every path in an explicit Succeed or Fail state", () => {
    const states = resolved().States as { [name: string]: { [k: string]: Json } };
    const terminal = Object.values(states).filter((s) => s.End === true);
    expect(terminal).toEqual([]);
    expect(states.Done!.Type).toBe("Succeed");
    expect(states.Failed!.Type).toBe("Fail");
  });
});
