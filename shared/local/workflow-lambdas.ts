/**
 * The workflow Lambdas for the local Step Functions runner, by the logical ids the ASL file
 * references: the very handlers deployed to AWS, called in-process.
 */
import { actStep } from "../../functions/act.ts";
import { notifyStep } from "../../functions/notify.ts";
import { recheckStep } from "../../functions/recheck.ts";
import { reportStep } from "../../functions/report.ts";
import type { NotifyPayload, StepPayload } from "../workflow/types.ts";
import type { LambdaHandler } from "./stepfunctions/runner.ts";

export const WORKFLOW_LAMBDAS: Record<string, LambdaHandler> = {
  NotifyLambdaFunction: (payload) => notifyStep(payload as unknown as NotifyPayload),
  RecheckLambdaFunction: (payload) => recheckStep(payload as unknown as StepPayload),
  ActLambdaFunction: (payload) => actStep(payload as unknown as StepPayload),
  ReportLambdaFunction: (payload) => reportStep(payload as unknown as StepPayload),
};
