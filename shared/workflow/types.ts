/** What each step of the cleanup state machine receives and returns (see cleanup.asl.json). */
import type { Decision, WorkflowInput } from "../store/workflow-types.ts";

export type RecheckVerdict = "act" | "skip" | "cancel" | "defer";

export interface RecheckResult {
  verdict: RecheckVerdict;
  /** The action to take when verdict is "act". */
  action?: "stop" | "delete" | "configure";
  /** In words, for the thread and the audit log. */
  reason: string;
  /** The fresh monthly cost when the resource is still waste. */
  monthlyCostUsd?: number;
}

export interface ActResult {
  action: "stop" | "delete" | "configure";
  result: "done" | "already";
  detail: string;
  savedMonthlyUsd: number;
  undoAvailable: boolean;
}

export interface StepError {
  Error: string;
  Cause: string;
}

/** The state as it flows through the machine: the input plus each step's result. */
export interface WorkflowState extends WorkflowInput {
  decision?: Decision;
  recheck?: { value: RecheckResult };
  act?: { value: ActResult };
  report?: { value: unknown };
  error?: StepError;
}

export interface NotifyPayload {
  input: WorkflowState;
  taskToken: string;
  phase: "notice" | "reminder";
}

export interface StepPayload {
  input: WorkflowState;
}
