/**
 * The local runtime: the sandbox AWS account (with s3rver behind it for S3 objects) and
 * dynalite for DynamoDB, all in-process on 127.0.0.1. `env` holds the standard AWS variables
 * that point the real SDK clients at them — the code under test is not told it is local. Every
 * S3 call goes through the sandbox, so it is counted and subject to the knobs like the rest.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AwsClients } from "../aws/clients.ts";
import { loadDefinition } from "../workflow/definition.ts";
import { ensureTable, startLocalDynamo } from "./dynamo.ts";
import type { Sandbox } from "./sandbox/server.ts";
import { ssmService } from "./sandbox/services/ssm.ts";
import type { SandboxKnobs, Scenario } from "./sandbox/types.ts";
import { startSandboxAccount } from "./sandbox-account.ts";
import { type LocalSlack, type LocalSlackUser, startLocalSlack } from "./slack/server.ts";
import { type LambdaHandler, LocalStepFunctions } from "./stepfunctions/runner.ts";
import { stepFunctionsService } from "./stepfunctions/service.ts";

export interface LocalRuntime {
  sandbox: Sandbox;
  dynamoEndpoint: string;
  /** Where S3 clients go: the sandbox (s3rver sits behind it). */
  s3Endpoint: string;
  tableName: string;
  /** The standard AWS variables (already applied to process.env until close) that send every SDK client here. */
  env: Record<string, string>;
  /** Present when started with `workflow`: the Slack stand-in, the state machine runner, the signing secret. */
  workflow?: { slack: LocalSlack; stepFunctions: LocalStepFunctions; signingSecret: string };
  close(): Promise<void>;
}

export interface LocalWorkflowOptions {
  /** The people of the local Slack workspace (owners are matched by email). */
  slackUsers: LocalSlackUser[];
  /** Logical id (as in the ASL's Fn::GetAtt) → in-process handler. */
  lambdas: Record<string, LambdaHandler>;
  /** How many real seconds a day of grace period lasts. */
  secondsPerDay: number;
}

export interface LocalRuntimeOptions {
  scenario: Scenario;
  /** Where dynalite and s3rver keep their data; wiped first when `fresh`. */
  dataDir: string;
  fresh?: boolean;
  tableName?: string;
  knobs?: Partial<SandboxKnobs>;
  /** Put the scenario's S3 objects into the store (skip for speed when a test does not need them). */
  seedS3?: boolean;
  /** Also run the cleanup workflow: Step Functions (over the real ASL file), SSM secrets, Slack. */
  workflow?: LocalWorkflowOptions;
  onProgress?: (message: string) => void;
}

const SLACK_TOKEN_PARAM = "/ml-janitor/local/slack/bot-token";
const SLACK_SECRET_PARAM = "/ml-janitor/local/slack/signing-secret";

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const tableName = options.tableName ?? "ml-janitor-local";
  if (options.fresh) rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(join(options.dataDir, "s3"), { recursive: true });
  mkdirSync(join(options.dataDir, "dynamodb"), { recursive: true });

  let workflow: LocalRuntime["workflow"];
  const services = [];
  const workflowEnv: Record<string, string> = {};
  if (options.workflow) {
    const slack = await startLocalSlack({ users: options.workflow.slackUsers });
    const signingSecret = randomBytes(16).toString("hex");
    const stepFunctions = new LocalStepFunctions({
      definition: loadDefinition(),
      lambdas: options.workflow.lambdas,
      secondsPerDay: options.workflow.secondsPerDay,
      accountId: options.scenario.accountId,
      region: options.scenario.region,
    });
    services.push(
      stepFunctionsService(stepFunctions),
      ssmService(
        new Map([
          [SLACK_TOKEN_PARAM, "xoxb-local-sandbox-token"],
          [SLACK_SECRET_PARAM, signingSecret],
        ]),
        options.scenario.region,
        options.scenario.accountId,
      ),
    );
    workflow = { slack, stepFunctions, signingSecret };
    Object.assign(workflowEnv, {
      SLACK_BOT_TOKEN_PARAM: SLACK_TOKEN_PARAM,
      SLACK_SIGNING_SECRET_PARAM: SLACK_SECRET_PARAM,
      SLACK_API_URL: slack.apiUrl,
      STATE_MACHINE_ARN: stepFunctions.stateMachineArn(),
    });
    options.onProgress?.(
      `Slack stand-in on ${slack.apiUrl}; Step Functions running shared/workflow/cleanup.asl.json`,
    );
  }
  // s3rver first, the sandbox in front of it, objects seeded through the sandbox.
  const account = await startSandboxAccount({
    scenario: options.scenario,
    s3DataDir: join(options.dataDir, "s3"),
    services,
    seedS3: options.seedS3 ?? true,
    ...(options.knobs ? { knobs: options.knobs } : {}),
  });
  const { sandbox } = account;
  options.onProgress?.(`sandbox AWS account ${options.scenario.accountId} on ${sandbox.url}`);
  if (options.seedS3 ?? true) {
    options.onProgress?.(
      `S3 on ${sandbox.url} (s3rver behind it): ${options.scenario.s3.buckets.length} buckets, ${account.seeded} objects`,
    );
  }
  const dynamo = await startLocalDynamo({ dataDir: join(options.dataDir, "dynamodb") });

  const env: Record<string, string> = {
    AWS_REGION: options.scenario.region,
    // Any keys: the sandbox and dynalite accept them, and the sandbox rewrites them for s3rver.
    AWS_ACCESS_KEY_ID: "sandbox",
    AWS_SECRET_ACCESS_KEY: "sandbox",
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: sandbox.url,
    AWS_EC2_METADATA_DISABLED: "true",
    JANITOR_S3_FORCE_PATH_STYLE: "true",
    TABLE_NAME: tableName,
    ...workflowEnv,
  };
  const restoreEnv = applyEnv(env);
  const local = new AwsClients({ region: options.scenario.region });
  try {
    await ensureTable(local.dynamodb, tableName);
    options.onProgress?.(`DynamoDB (dynalite) on ${dynamo.endpoint}, table ${tableName}`);
  } catch (err) {
    restoreEnv();
    await Promise.allSettled([account.close(), dynamo.close(), workflow?.slack.close()]);
    throw err;
  } finally {
    local.destroy();
  }

  return {
    sandbox,
    dynamoEndpoint: dynamo.endpoint,
    s3Endpoint: sandbox.url,
    tableName,
    env,
    ...(workflow ? { workflow } : {}),
    async close() {
      restoreEnv();
      await Promise.allSettled([account.close(), dynamo.close(), workflow?.slack.close()]);
    },
  };
}

/**
 * Points this process's AWS SDK clients at the local runtime through the standard variables
 * (the local runtime owns its process: the demo, or a test worker). Returns the undo.
 */
function applyEnv(env: Record<string, string>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const name of [...Object.keys(env), "AWS_PROFILE", "AWS_SESSION_TOKEN"])
    saved.set(name, process.env[name]);
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
