/**
 * Runs the real ASL file locally with aws-local-stepfunctions, the way Step Functions would:
 * Lambda tasks call in-process handlers (with the Lambda invoke result shape), callback tasks
 * (`.waitForTaskToken`) get a fresh token per task and complete on SendTaskSuccess/Failure or
 * time out (`States.Timeout`), and grace periods are compressed by `secondsPerDay`.
 */
import "./polyfill.ts";
import { randomBytes } from "node:crypto";
import { StateMachine } from "aws-local-stepfunctions";
import { type Json, resolveFunctionRefs } from "../../workflow/definition.ts";

export type LambdaHandler = (payload: Json) => Promise<unknown>;

export interface RunnerOptions {
  definition: { [key: string]: Json };
  /** Logical id (as in Fn::GetAtt) → handler. */
  lambdas: Record<string, LambdaHandler>;
  /** How many real seconds a day of grace period lasts locally (timeouts are at least 1 s). */
  secondsPerDay: number;
  /** Real milliseconds a Wait state lasts locally. */
  waitMs?: number;
  accountId?: string;
  region?: string;
}

export interface Execution {
  executionArn: string;
  name: string;
  input: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  done: Promise<void>;
  abort: () => void;
}

interface PendingTask {
  executionArn: string;
  resolve(output: Json): void;
  reject(err: Error): void;
  deadline: number;
  finished: boolean;
}

export class TaskTokenError extends Error {
  constructor(
    readonly code: "TaskDoesNotExist" | "TaskTimedOut" | "InvalidToken",
    message: string,
  ) {
    super(message);
  }
}

export class ExecutionExistsError extends Error {}

type State = { [key: string]: Json };

function valueAt(input: Json, path: string): Json | undefined {
  let node: Json | undefined = input;
  for (const part of path
    .replace(/^\$\.?/, "")
    .split(".")
    .filter(Boolean)) {
    if (!node || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}

export class LocalStepFunctions {
  readonly executions = new Map<string, Execution>();
  private readonly tasks = new Map<string, PendingTask>();
  private readonly functionArn: (id: string) => string;

  constructor(private readonly options: RunnerOptions) {
    const { region = "us-east-1", accountId = "123456789012" } = options;
    this.functionArn = (id) => `arn:aws:lambda:${region}:${accountId}:function:${id}`;
  }

  stateMachineArn(name = "ml-janitor-cleanup"): string {
    const { region = "us-east-1", accountId = "123456789012" } = this.options;
    return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
  }

  /** The definition for one execution: functions resolved, timeouts compressed. */
  private definitionFor(input: Json, localTimeouts: Map<string, number>): { [key: string]: Json } {
    const def = resolveFunctionRefs(structuredClone(this.options.definition), this.functionArn) as State;
    const states = def.States as { [name: string]: State };
    for (const [name, state] of Object.entries(states)) {
      const path = state.TimeoutSecondsPath;
      if (typeof path === "string") {
        const seconds = Number(valueAt(input, path) ?? 60);
        delete state.TimeoutSecondsPath;
        // The runner times these tasks itself (see handlers), on the compressed clock that
        // holdTimeouts() can pause; the library's own timeout is only a far backstop.
        // (Under 2^31 ms: Node fires longer timers at once.)
        state.TimeoutSeconds = 20 * 86_400;
        localTimeouts.set(
          name,
          Math.max(250, Math.round((seconds / 86_400) * this.options.secondsPerDay * 1000)),
        );
      }
    }
    return def;
  }

  private handlers(
    def: State,
    executionArn: string,
    localTimeouts: Map<string, number>,
  ): Record<string, (input: Json) => Promise<Json>> {
    const out: Record<string, (input: Json) => Promise<Json>> = {};
    const byArn = new Map(Object.entries(this.options.lambdas).map(([id, fn]) => [this.functionArn(id), fn]));
    for (const [name, state] of Object.entries(def.States as { [n: string]: State })) {
      if (state.Type !== "Task") continue;
      const resource = String(state.Resource);
      const callback = resource.endsWith(".waitForTaskToken");
      const timeoutMs = localTimeouts.get(name) ?? Number(state.TimeoutSeconds ?? 60) * 1000;
      out[name] = async (effective: Json) => {
        const params = effective as State;
        const fn = byArn.get(String(params.FunctionName));
        if (!fn)
          throw Object.assign(new Error(`no local Lambda for ${String(params.FunctionName)}`), {
            name: "Lambda.ResourceNotFoundException",
          });
        const payload = (params.Payload ?? {}) as State;
        if (!callback) return { StatusCode: 200, Payload: ((await this.track(fn(payload))) ?? null) as Json };
        const token = `${randomBytes(24).toString("base64url")}.${Date.now().toString(36)}`;
        const result = new Promise<Json>((resolve, reject) => {
          this.tasks.set(token, {
            executionArn,
            resolve,
            reject,
            deadline: Number.POSITIVE_INFINITY,
            finished: false,
          });
        });
        await this.track(fn({ ...payload, taskToken: token }));
        this.startTimer(token, timeoutMs);
        return result;
      };
    }
    return out;
  }

  private held = false;
  /** Lambda invocations still running: stop() waits for them, as a shutting-down runtime must. */
  private readonly inflight = new Set<Promise<unknown>>();

  private track<T>(call: Promise<T>): Promise<T> {
    this.inflight.add(call);
    call.then(
      () => this.inflight.delete(call),
      () => this.inflight.delete(call),
    );
    return call;
  }
  private readonly heldTimers: Array<() => void> = [];

  /** Times a callback task out (States.Timeout) after `ms`, counted from now or from release. */
  private startTimer(token: string, ms: number): void {
    const arm = () => {
      const task = this.tasks.get(token);
      if (!task || task.finished) return;
      task.deadline = Date.now() + ms;
      setTimeout(() => {
        if (task.finished) return;
        task.finished = true;
        task.reject(Object.assign(new Error("Task timed out"), { name: "States.Timeout" }));
      }, ms).unref?.();
    };
    if (this.held) this.heldTimers.push(arm);
    else arm();
  }

  /** Grace periods stop running (a paused clock): the demo plays clicks without racing deadlines. */
  holdTimeouts(): void {
    this.held = true;
  }

  /** The clock runs again: every held grace period starts now. */
  releaseTimeouts(): void {
    this.held = false;
    for (const arm of this.heldTimers.splice(0)) arm();
  }

  start(name: string, input: string): Execution {
    const existing = this.executions.get(name);
    if (existing) {
      // Step Functions: the same name and input is idempotent; a different input is refused.
      if (existing.input === input) return existing;
      throw new ExecutionExistsError(`Execution Already Exists: '${existing.executionArn}'`);
    }
    const { region = "us-east-1", accountId = "123456789012" } = this.options;
    const executionArn = `arn:aws:states:${region}:${accountId}:execution:ml-janitor-cleanup:${name}`;
    const parsed = JSON.parse(input) as Json;
    const localTimeouts = new Map<string, number>();
    const def = this.definitionFor(parsed, localTimeouts);
    const waits = Object.fromEntries(
      Object.entries(def.States as { [n: string]: State })
        .filter(([, s]) => s.Type === "Wait")
        .map(([n]) => [n, this.options.waitMs ?? 200]),
    );
    const machine = new StateMachine(def as never, { validationOptions: { checkArn: false } });
    const startDate = new Date();
    const execution: Execution = {
      executionArn,
      name,
      input,
      status: "RUNNING",
      startDate,
      done: Promise.resolve(),
      abort: () => undefined,
    };
    const run = machine.run(parsed as never, {
      overrides: {
        taskResourceLocalHandlers: this.handlers(def, executionArn, localTimeouts) as never,
        waitTimeOverrides: waits,
      },
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: startDate.toISOString() },
        Task: { Token: "local" },
      } as never,
    });
    execution.abort = run.abort;
    execution.done = run.result
      .then(
        (output) => {
          execution.status = "SUCCEEDED";
          execution.output = JSON.stringify(output);
        },
        (err: Error & { cause?: unknown }) => {
          // ExecutionError wraps the state's error: its name is the ASL Error (e.g. CleanupFailed).
          const inner = err.cause instanceof Error ? err.cause : err;
          execution.status = err.name === "ExecutionAbortedError" ? "ABORTED" : "FAILED";
          execution.error = inner.name;
          execution.cause = inner.message;
        },
      )
      .finally(() => {
        execution.stopDate = new Date();
        for (const task of this.tasks.values()) if (task.executionArn === executionArn) task.finished = true;
      });
    this.executions.set(name, execution);
    return execution;
  }

  private takeTask(token: string): PendingTask {
    const task = this.tasks.get(token);
    if (!task) {
      if (!/^[\w-]+\.[a-z0-9]+$/.test(token)) throw new TaskTokenError("InvalidToken", "Invalid Token");
      throw new TaskTokenError("TaskDoesNotExist", "Task does not exist");
    }
    if (task.finished || Date.now() > task.deadline) {
      task.finished = true;
      throw new TaskTokenError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
    }
    task.finished = true;
    return task;
  }

  sendTaskSuccess(token: string, output: string): void {
    this.takeTask(token).resolve(JSON.parse(output) as Json);
  }

  sendTaskFailure(token: string, error: string, cause: string): void {
    this.takeTask(token).reject(Object.assign(new Error(cause), { name: error || "States.TaskFailed" }));
  }

  /** Stops every running execution (StopExecution): for shutting a local runtime down. */
  async stop(): Promise<void> {
    const running = [...this.executions.values()].filter((e) => e.status === "RUNNING");
    for (const e of running) e.abort();
    for (const task of this.tasks.values()) task.finished = true;
    await Promise.allSettled(running.map((e) => e.done));
    await Promise.allSettled([...this.inflight]);
  }

  /** Resolves when every execution started so far (and any they lead to) has finished. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter((e) => e.status === "RUNNING");
      if (running.length === 0) return;
      await Promise.all(running.map((e) => e.done));
    }
  }
}
