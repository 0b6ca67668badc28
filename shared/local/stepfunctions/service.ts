/**
 * The Step Functions API (AWS JSON 1.0, `AWSStepFunctions.*`) served by the sandbox over the
 * local runner, so the scan and the Slack interactions handler call it exactly as in AWS.
 */
import { SandboxError } from "../sandbox/errors.ts";
import type { JsonObject } from "../sandbox/protocol/input.ts";
import type { JsonService } from "../sandbox/service.ts";
import { ExecutionExistsError, type LocalStepFunctions, TaskTokenError } from "./runner.ts";

function str(input: JsonObject, key: string): string {
  const v = input[key];
  if (typeof v !== "string" || v === "")
    throw new SandboxError("ValidationException", `${key} is required`, 400);
  return v;
}

function describe(runner: LocalStepFunctions, executionArn: string) {
  const name = executionArn.split(":").at(-1) ?? "";
  const e = runner.executions.get(name);
  if (!e || e.executionArn !== executionArn) {
    throw new SandboxError("ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`, 400);
  }
  return {
    executionArn: e.executionArn,
    stateMachineArn: runner.stateMachineArn(),
    name: e.name,
    status: e.status,
    startDate: e.startDate.getTime() / 1000,
    ...(e.stopDate ? { stopDate: e.stopDate.getTime() / 1000 } : {}),
    input: e.input,
    ...(e.output ? { output: e.output } : {}),
    ...(e.error ? { error: e.error, cause: e.cause } : {}),
  };
}

export function stepFunctionsService(runner: LocalStepFunctions): JsonService {
  const taskCall = (fn: () => void) => {
    try {
      fn();
      return {};
    } catch (err) {
      if (err instanceof TaskTokenError) throw new SandboxError(err.code, err.message, 400);
      throw err;
    }
  };
  return {
    name: "StepFunctions",
    signingName: "states",
    protocol: "awsJson1_0",
    target: "AWSStepFunctions",
    errors: {
      throttle: { code: "ThrottlingException", status: 400 },
      fault: { code: "InternalFailure", status: 500 },
      unknownOperation: { code: "UnknownOperationException", status: 400 },
      validation: { code: "ValidationException", status: 400 },
    },
    operations: {
      StartExecution: (input) => {
        const name = str(input, "name");
        if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
          throw new SandboxError("InvalidName", `Invalid Name: '${name}'`, 400);
        str(input, "stateMachineArn");
        try {
          const e = runner.start(name, typeof input.input === "string" ? input.input : "{}");
          return { executionArn: e.executionArn, startDate: e.startDate.getTime() / 1000 };
        } catch (err) {
          if (err instanceof ExecutionExistsError)
            throw new SandboxError("ExecutionAlreadyExists", err.message, 400);
          throw err;
        }
      },
      DescribeExecution: (input) => describe(runner, str(input, "executionArn")),
      SendTaskSuccess: (input) =>
        taskCall(() => runner.sendTaskSuccess(str(input, "taskToken"), str(input, "output"))),
      SendTaskFailure: (input) =>
        taskCall(() =>
          runner.sendTaskFailure(
            str(input, "taskToken"),
            typeof input.error === "string" ? input.error : "",
            typeof input.cause === "string" ? input.cause : "",
          ),
        ),
      SendTaskHeartbeat: (input) => taskCall(() => void str(input, "taskToken")),
    },
  };
}
