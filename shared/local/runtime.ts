/**
 * The local runtime: the sandbox AWS account, dynalite for DynamoDB and s3rver for S3, all
 * in-process on 127.0.0.1. `env` holds the standard AWS variables that point the real SDK
 * clients at them — the code under test is not told it is local.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AwsClients } from "../aws/clients.ts";
import { createBucket, putObject } from "../aws/s3.ts";
import { loadDefinition } from "../workflow/definition.ts";
import { contentFor } from "./content.ts";
import { ensureTable, startLocalDynamo } from "./dynamo.ts";
import { startLocalS3 } from "./s3.ts";
import type { Sandbox } from "./sandbox/server.ts";
import { startSandbox } from "./sandbox/server.ts";
import { ssmService } from "./sandbox/services/ssm.ts";
import type { SandboxKnobs, Scenario } from "./sandbox/types.ts";
import { type LocalSlack, type LocalSlackUser, startLocalSlack } from "./slack/server.ts";
import { type LambdaHandler, LocalStepFunctions } from "./stepfunctions/runner.ts";
import { stepFunctionsService } from "./stepfunctions/service.ts";

export interface LocalRuntime {
  sandbox: Sandbox;
  dynamoEndpoint: string;
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
  /** Put the scenario's S3 objects into s3rver (skip for speed when a test does not need them). */
  seedS3?: boolean;
  /** Also run the cleanup workflow: Step Functions (over the real ASL file), SSM secrets, Slack. */
  workflow?: LocalWorkflowOptions;
  onProgress?: (message: string) => void;
}

const SLACK_TOKEN_PARAM = "/ml-janitor/local/slack/bot-token";
const SLACK_SECRET_PARAM = "/ml-janitor/local/slack/signing-secret";

export async function seedBuckets(clients: AwsClients, scenario: Scenario): Promise<number> {
  let objects = 0;
  for (const bucket of scenario.s3.buckets) {
    await createBucket(clients.s3, bucket.name);
    for (const o of bucket.objects) {
      await putObject(clients.s3, {
        bucket: bucket.name,
        key: o.key,
        body: contentFor(o.seed, o.size),
        ...(o.storageClass ? { storageClass: o.storageClass } : {}),
      });
      objects++;
    }
  }
  return objects;
}

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
  const sandbox = await startSandbox({
    scenario: options.scenario,
    services,
    ...(options.knobs ? { knobs: options.knobs } : {}),
  });
  options.onProgress?.(`sandbox AWS account ${options.scenario.accountId} on ${sandbox.url}`);
  const dynamo = await startLocalDynamo({ dataDir: join(options.dataDir, "dynamodb") });
  const s3 = await startLocalS3({
    dataDir: join(options.dataDir, "s3"),
    // Buckets are as old as the scenario says (read live: tests may add buckets).
    creationDates: () =>
      new Map(sandbox.scenario.s3.buckets.map((b) => [b.name, new Date(b.creationTime)] as const)),
  });

  const env: Record<string, string> = {
    AWS_REGION: options.scenario.region,
    // s3rver checks signatures against its one built-in key pair; the sandbox and dynalite accept any.
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_EC2_METADATA_DISABLED: "true",
    JANITOR_S3_FORCE_PATH_STYLE: "true",
    TABLE_NAME: tableName,
    ...workflowEnv,
  };
  const restoreEnv = applyEnv(env);
  const local = new AwsClients({ region: options.scenario.region, s3ForcePathStyle: true });
  try {
    await ensureTable(local.dynamodb, tableName);
    options.onProgress?.(`DynamoDB (dynalite) on ${dynamo.endpoint}, table ${tableName}`);
    if (options.seedS3 ?? true) {
      const count = await seedBuckets(local, options.scenario);
      options.onProgress?.(
        `S3 (s3rver) on ${s3.endpoint}: ${options.scenario.s3.buckets.length} buckets, ${count} objects`,
      );
    }
  } catch (err) {
    restoreEnv();
    await Promise.allSettled([sandbox.close(), dynamo.close(), s3.close(), workflow?.slack.close()]);
    throw err;
  } finally {
    local.destroy();
  }

  return {
    sandbox,
    dynamoEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    tableName,
    env,
    ...(workflow ? { workflow } : {}),
    async close() {
      restoreEnv();
      await Promise.allSettled([sandbox.close(), dynamo.close(), s3.close(), workflow?.slack.close()]);
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
