import type { JsonObject } from "./protocol/input.ts";
import type { FormParams } from "./protocol/query.ts";
import type { Scenario } from "./types.ts";

/** What a handler sees: the live world and the sandbox's clock. */
export interface SandboxContext {
  /** Live state: handlers read it on every call, actions mutate it. */
  scenario: Scenario;
  /** The sandbox's "now" in epoch ms: the scenario's `now` plus the time since start. */
  now: number;
}

/** The error a service answers with: its code, HTTP status and, if different, awsJson `__type`. */
export interface ErrorSpec {
  code: string;
  status: number;
  jsonType?: string;
}

interface ServiceBase {
  /** The prefix of counts() keys, e.g. "SageMaker". */
  name: string;
  /** SigV4 signing name, as in the Authorization header's credential scope. */
  signingName: string;
  errors: {
    throttle: ErrorSpec;
    fault: ErrorSpec;
    unknownOperation: ErrorSpec;
    /** What `InputError` (bad or out-of-range input) becomes. */
    validation: ErrorSpec;
  };
}

export type JsonHandler = (input: JsonObject, ctx: SandboxContext) => unknown;
export type QueryHandler = (params: FormParams, ctx: SandboxContext) => unknown;

export interface JsonService extends ServiceBase {
  protocol: "awsJson1_0" | "awsJson1_1";
  /** `X-Amz-Target` prefix, e.g. "SageMaker" or "GraniteServiceVersion20100801". */
  target: string;
  /** CloudWatch: errors also carry `x-amzn-query-error`. */
  queryCompatible?: boolean;
  operations: Record<string, JsonHandler>;
}

export interface QueryService extends ServiceBase {
  protocol: "awsQuery" | "ec2Query";
  /** The `Version` form field, used to route unsigned requests. */
  version: string;
  xmlNamespace: string;
  operations: Record<string, QueryHandler>;
}

export type ServiceDef = JsonService | QueryService;
