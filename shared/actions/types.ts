/**
 * An action the workflow may take on a finding's resource. Like Custodian's actions: it
 * declares its IAM permissions and the states it may start from, re-reads the resource,
 * treats "already done / already gone" as success, and returns what it did.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { UndoRecord } from "../store/workflow-types.ts";
import type { Finding, ResourceType } from "../types.ts";

/** `configure`: a reversible settings change (e.g. PUT a bucket lifecycle); the previous settings go in the undo record. */
export type ActionKind = "stop" | "delete" | "configure";

export interface ActionOutcome {
  /** done: the action ran; already: the resource was already in the target state or gone. */
  result: "done" | "already";
  /** The state the resource was found in before acting. */
  fromState: string;
  detail: string;
  /** For deletes: what is needed to recreate it (saved BEFORE the delete). */
  undo?: Omit<UndoRecord, "savedAt" | "findingId">;
}

export interface ResourceAction {
  resourceType: ResourceType;
  kind: ActionKind;
  /** IAM actions the act Lambda needs for this action (checked against serverless.yml). */
  permissions: readonly string[];
  /** States the resource may be in for the action to run; anything else fails with InvalidStateError. */
  validOriginStates: readonly string[];
  /** States that mean the work is already done (e.g. Stopped for stop). */
  doneStates: readonly string[];
  /**
   * Runs the action. `saveUndo` is called before anything destructive, so a crash after it
   * still leaves a way back.
   */
  run(
    clients: AwsClients,
    finding: Finding,
    saveUndo: (undo: ActionOutcome["undo"]) => Promise<void>,
  ): Promise<ActionOutcome>;
}

/** Recreates a deleted resource (or restarts a stopped one) from its undo record. */
export interface RestoreAction {
  resourceType: ResourceType;
  permissions: readonly string[];
  run(clients: AwsClients, undo: UndoRecord): Promise<{ detail: string }>;
}
