/**
 * What one bench run cost: API calls by operation (the sandbox counts the AWS account's calls
 * server-side, retries included; a client middleware counts DynamoDB and S3, which dynalite
 * and s3rver serve), the CloudWatch metrics requested, the DynamoDB items read and written, and
 * the wall time.
 */
import { performance } from "node:perf_hooks";
import type { AwsClients } from "../../shared/aws/clients.ts";
import type { Sandbox } from "../../shared/local/sandbox/server.ts";

export interface RunMeasure {
  label: string;
  wallMs: number;
  /** "<Service>.<Operation>" → calls. */
  calls: Record<string, number>;
  totalCalls: number;
  /** Queries sent in GetMetricData calls (CloudWatch bills each). */
  metricsRequested: number;
  dynamoItemsRead: number;
  dynamoItemsWritten: number;
  throttled: number;
}

interface Tally {
  calls: Map<string, number>;
  metricsRequested: number;
  dynamoItemsRead: number;
  dynamoItemsWritten: number;
}

type Input = Record<string, unknown>;

function countBatchItems(input: Input, field: "RequestItems"): number {
  const request = input[field] as Record<string, { Keys?: unknown[] } | unknown[]> | undefined;
  let n = 0;
  for (const v of Object.values(request ?? {})) n += Array.isArray(v) ? v.length : (v.Keys?.length ?? 0);
  return n;
}

/** Counts what our clients send to the services the sandbox does not serve, and metrics requested. */
export class ClientCounter {
  #tally: Tally = { calls: new Map(), metricsRequested: 0, dynamoItemsRead: 0, dynamoItemsWritten: 0 };

  attach(clients: AwsClients): void {
    const add = (service: string, command: string, input: Input) => {
      const t = this.#tally;
      const op = command.replace(/Command$/, "");
      if (service === "CloudWatch") {
        if (op === "GetMetricData") t.metricsRequested += (input.MetricDataQueries as unknown[]).length;
        return; // the sandbox counts the calls themselves
      }
      t.calls.set(`${service}.${op}`, (t.calls.get(`${service}.${op}`) ?? 0) + 1);
      if (op === "BatchGetItem") t.dynamoItemsRead += countBatchItems(input, "RequestItems");
      if (op === "BatchWriteItem") t.dynamoItemsWritten += countBatchItems(input, "RequestItems");
      if (op === "GetItem" || op === "Query") t.dynamoItemsRead += 1;
      if (op === "PutItem" || op === "UpdateItem") t.dynamoItemsWritten += 1;
    };
    const watch = (
      service: string,
      client: Pick<AwsClients["cloudwatch"], "middlewareStack"> | Pick<AwsClients["s3"], "middlewareStack">,
    ) => {
      (client as Pick<AwsClients["cloudwatch"], "middlewareStack">).middlewareStack.add(
        (next, context) => (args) => {
          add(service, String(context.commandName), args.input as Input);
          return next(args);
        },
        { step: "initialize", name: `bench-count-${service}` },
      );
    };
    watch("CloudWatch", clients.cloudwatch);
    watch("DynamoDB", clients.dynamodb as unknown as Pick<AwsClients["cloudwatch"], "middlewareStack">);
    watch("S3", clients.s3);
  }

  reset(): void {
    this.#tally = { calls: new Map(), metricsRequested: 0, dynamoItemsRead: 0, dynamoItemsWritten: 0 };
  }

  snapshot(): Tally {
    return this.#tally;
  }
}

export async function measure<T>(
  label: string,
  sandbox: Sandbox,
  counter: ClientCounter,
  run: () => Promise<T>,
): Promise<{ measure: RunMeasure; result: T }> {
  sandbox.resetCounts();
  counter.reset();
  const start = performance.now();
  const result = await run();
  const wallMs = performance.now() - start;
  const server = sandbox.counts();
  const throttled = server.throttled ?? 0;
  const tally = counter.snapshot();
  const calls: Record<string, number> = {};
  for (const [op, n] of Object.entries(server)) if (op !== "throttled" && op !== "faulted") calls[op] = n;
  for (const [op, n] of tally.calls) calls[op] = n;
  const sorted = Object.fromEntries(Object.entries(calls).sort(([a], [b]) => a.localeCompare(b)));
  return {
    result,
    measure: {
      label,
      wallMs: Math.round(wallMs),
      calls: sorted,
      totalCalls: Object.values(sorted).reduce((a, b) => a + b, 0),
      metricsRequested: tally.metricsRequested,
      dynamoItemsRead: tally.dynamoItemsRead,
      dynamoItemsWritten: tally.dynamoItemsWritten,
      throttled,
    },
  };
}
