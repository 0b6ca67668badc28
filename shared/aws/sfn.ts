/** Step Functions calls of the cleanup workflow: start an execution, complete a waiting task. */
import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";

/**
 * Starts (or finds) the execution with this deterministic name. Step Functions treats the same
 * name and input as the same execution; a different input under the same name is refused,
 * which here means a previous cycle already used the name: reported as `exists`.
 */
export async function startExecution(
  client: SFNClient,
  input: { stateMachineArn: string; name: string; input: unknown },
): Promise<{ executionArn?: string; status: "started" | "exists" }> {
  try {
    const out = await client.send(
      new StartExecutionCommand({
        stateMachineArn: input.stateMachineArn,
        name: input.name,
        input: JSON.stringify(input.input),
      }),
    );
    return { executionArn: out.executionArn, status: "started" };
  } catch (err) {
    if ((err as Error).name === "ExecutionAlreadyExists") return { status: "exists" };
    throw err;
  }
}

export type TaskCompletion = "completed" | "already-decided";

/** Completes a waiting task. A token that timed out, finished or vanished means "already decided". */
export async function sendTaskSuccess(
  client: SFNClient,
  taskToken: string,
  output: unknown,
): Promise<TaskCompletion> {
  try {
    await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return "completed";
  } catch (err) {
    const name = (err as Error).name;
    if (name === "TaskTimedOut" || name === "TaskDoesNotExist" || name === "InvalidToken")
      return "already-decided";
    throw err;
  }
}

export async function executionStatus(client: SFNClient, executionArn: string): Promise<string | undefined> {
  try {
    const out = await client.send(new DescribeExecutionCommand({ executionArn }));
    return out.status;
  } catch (err) {
    if ((err as Error).name === "ExecutionDoesNotExist") return undefined;
    throw err;
  }
}
