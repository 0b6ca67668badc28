/**
 * Everything the workflow handlers need, built once per container from the environment:
 * the config, AWS clients, the store, and Slack (its secrets read from SSM).
 */
import { AwsClients } from "../aws/clients.ts";
import { getSecureParameter } from "../aws/ssm.ts";
import { type Env, readEnv } from "../env.ts";
import { ConfigError } from "../errors.ts";
import { loadConfig } from "../policy/load-config.ts";
import type { JanitorConfig } from "../policy/schema.ts";
import { createSlackApi, type SlackApi } from "../slack/client.ts";
import { isAuthorized } from "../slack/is-authorized.ts";
import { clearSlackSecretsCache, readSlackSecrets } from "../slack/read-slack-secrets.ts";
import { createOwnerResolver, type OwnerResolver } from "../slack/resolve-owner.ts";
import { createUserGroupDirectory } from "../slack/user-group-directory.ts";
import { DynamoStore } from "../store/dynamo-store.ts";
import type { PendingDecision } from "../store/workflow-types.ts";

export interface WorkflowDeps {
  env: Env;
  config: JanitorConfig;
  clients: AwsClients;
  store: DynamoStore;
  slack: SlackApi;
  /** For the interactions endpoint: Slack wants an answer within 3 s, so no retries, short timeout. */
  interactiveSlack: SlackApi;
  signingSecret: string;
  owners: OwnerResolver;
  authorize: (userId: string, pending: PendingDecision) => Promise<boolean>;
  /** The same rule for resources with several owners (e.g. the resources behind a cost anomaly). */
  authorizeFor: (userId: string, ownerUserIds: readonly string[]) => Promise<boolean>;
}

export async function buildWorkflowDeps(env: Env = readEnv()): Promise<WorkflowDeps> {
  if (!env.SLACK_BOT_TOKEN_PARAM || !env.SLACK_SIGNING_SECRET_PARAM) {
    throw new ConfigError(
      "SLACK_BOT_TOKEN_PARAM and SLACK_SIGNING_SECRET_PARAM must name the SSM parameters",
    );
  }
  const clients = new AwsClients(env.AWS_REGION ? { region: env.AWS_REGION } : {});
  const config = await loadConfig(env.configPath);
  const secrets = await readSlackSecrets((name) => getSecureParameter(clients.ssm, name), {
    tokenParam: env.SLACK_BOT_TOKEN_PARAM,
    signingSecretParam: env.SLACK_SIGNING_SECRET_PARAM,
  });
  const apiUrl = env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {};
  const slack = createSlackApi({ token: secrets.botToken, ...apiUrl });
  const interactiveSlack = createSlackApi({
    token: secrets.botToken,
    ...apiUrl,
    timeoutMs: 2000,
    retries: 0,
  });
  const groups = createUserGroupDirectory({ slack });
  return {
    env,
    config,
    clients,
    store: new DynamoStore({ client: clients.documents, tableName: env.TABLE_NAME }),
    slack,
    interactiveSlack,
    signingSecret: secrets.signingSecret,
    owners: createOwnerResolver({ slack, config: config.slack }),
    authorize: async (userId, pending) =>
      isAuthorized({
        userId,
        ...(pending.ownerUserId ? { ownerUserId: pending.ownerUserId } : {}),
        approvers: config.slack.approvers,
        userGroupMembers: await groups.membersOf(config.slack.approvers.userGroups),
      }),
    authorizeFor: async (userId, ownerUserIds) =>
      ownerUserIds.includes(userId) ||
      isAuthorized({
        userId,
        approvers: config.slack.approvers,
        userGroupMembers: await groups.membersOf(config.slack.approvers.userGroups),
      }),
  };
}

/** One per container; reset by the local runtime and tests when the environment changes. */
let cached: Promise<WorkflowDeps> | undefined;

export function workflowDeps(): Promise<WorkflowDeps> {
  cached ??= buildWorkflowDeps().catch((err) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

export function resetWorkflowDeps(): void {
  cached = undefined;
  clearSlackSecretsCache();
}
