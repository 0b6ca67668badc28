import type { ActionOutcome } from "../../../shared/actions/types.ts";
import { AwsClients } from "../../../shared/aws/clients.ts";
import type { Finding, ResourceType } from "../../../shared/types.ts";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

/** A finding as a detector would report it, for the given resource. */
export function findingFor(
  type: ResourceType,
  id: string,
  arn: string,
  overrides: { region?: string; evidence?: Record<string, unknown>; tags?: Record<string, string> } = {},
): Finding {
  return {
    id: `test:${arn}`,
    detector: "test",
    policy: "test-policy",
    resource: { type, id, arn, region: overrides.region ?? REGION, tags: overrides.tags ?? {} },
    owner: {},
    reason: "test",
    evidence: overrides.evidence ?? {},
    confidence: "high",
    monthlyCostUsd: 100,
    proposedAction: "stop",
  };
}

/** An error as the SDK surfaces a service error: what our code matches on is `name` and `message`. */
export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

export function newClients(): AwsClients {
  return new AwsClients({ region: REGION, maxAttempts: 1 });
}

/** A saveUndo that records what it was given, and (optionally) the order of events. */
export function undoRecorder(log?: string[]) {
  const saved: Array<ActionOutcome["undo"]> = [];
  const saveUndo = async (undo: ActionOutcome["undo"]) => {
    log?.push("saveUndo");
    saved.push(undo);
  };
  return { saved, saveUndo };
}
