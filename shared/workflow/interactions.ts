/**
 * Slack clicks. The signature is verified over the raw body before anything is parsed; only
 * the owner or an approver may decide; the first decision wins (a conditional write), then the
 * waiting task is completed with SendTaskSuccess. A second click, a stale button or a token that
 * already timed out answers "already decided". The task token never leaves the store.
 */
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { AwsClients } from "../aws/clients.ts";
import { sendTaskSuccess } from "../aws/sfn.ts";
import { acknowledgeAnomaly } from "../cost/acknowledge-anomaly.ts";
import { MalformedRequestError, SignatureError } from "../errors.ts";
import { KEEP_REASON_VIEW } from "../slack/action-ids.ts";
import { buildKeepModal } from "../slack/blocks/build-keep-modal.ts";
import { buildThreadNote } from "../slack/blocks/build-thread-note.ts";
import type { SlackApi } from "../slack/client.ts";
import { type ActionInteraction, type Interaction, parseInteraction } from "../slack/parse-interaction.ts";
import { verifySlackSignature } from "../slack/verify-signature.ts";
import type { CostStore } from "../store/cost-types.ts";
import type { JanitorStore } from "../store/types.ts";
import type { Decision, PendingDecision, WorkflowStore } from "../store/workflow-types.ts";
import { restoreFinding } from "./restore.ts";

export interface InteractionRequest {
  rawBody: string;
  headers: Record<string, string | undefined>;
}

export interface InteractionResponse {
  statusCode: number;
  body: string;
}

export interface InteractionDeps {
  signingSecret: string;
  store: JanitorStore & WorkflowStore;
  sfn: SFNClient;
  slack: SlackApi;
  clients: AwsClients;
  /** May this Slack user decide on this finding? (the owner, a configured approver or group member) */
  authorize: (userId: string, pending: PendingDecision) => Promise<boolean>;
  /** May this Slack user decide for resources owned by these users? (one of them, or an approver) */
  authorizeFor: (userId: string, ownerUserIds: readonly string[]) => Promise<boolean>;
  /** Cost anomaly alerts, for their "Expected spend" button. */
  costStore?: CostStore;
  now: Date;
}

const OK_EMPTY: InteractionResponse = { statusCode: 200, body: "" };

function header(headers: InteractionRequest["headers"], name: string): string {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return (key && headers[key]) || "";
}

async function tell(
  deps: InteractionDeps,
  userId: string,
  pending: PendingDecision | undefined,
  text: string,
) {
  if (!pending?.channel) return;
  await deps.slack.postEphemeral({
    channel: pending.channel,
    user: userId,
    text,
    ...(pending.messageTs ? { threadTs: pending.messageTs } : {}),
  });
}

async function decide(
  deps: InteractionDeps,
  pending: PendingDecision,
  decision: Decision,
): Promise<"completed" | "already-decided"> {
  const first = await deps.store.recordDecision(pending.decisionId, decision);
  if (!first) return "already-decided";
  return sendTaskSuccess(deps.sfn, pending.taskToken, decision);
}

async function restore(
  deps: InteractionDeps,
  click: ActionInteraction,
  pending: PendingDecision,
): Promise<string> {
  const result = await restoreFinding({
    findingId: pending.findingId,
    actor: click.userId,
    store: deps.store,
    clients: deps.clients,
    now: deps.now,
  });
  if (result.status !== "restored") return `Nothing was done: ${result.detail}.`;
  if (pending.channel && pending.messageTs) {
    await deps.slack.postMessage({
      channel: pending.channel,
      threadTs: pending.messageTs,
      ...buildThreadNote(`Restored by <@${click.userId}>: ${result.detail}`, { trustedMrkdwn: true }),
    });
  }
  return `Restored: ${result.detail}`;
}

/** "Expected spend" on a cost anomaly: its new level stops alerting (owners of its resources or approvers). */
async function onAcknowledge(deps: InteractionDeps, click: ActionInteraction): Promise<InteractionResponse> {
  const alert = deps.costStore ? await deps.costStore.anomalyById(click.decisionId) : undefined;
  const reply = (text: string) => ({
    statusCode: 200,
    body: JSON.stringify({ response_type: "ephemeral", text }),
  });
  if (!deps.costStore || !alert) return reply("This alert is no longer known: nothing was changed.");
  if (!(await deps.authorizeFor(click.userId, alert.ownerUserIds ?? []))) {
    return reply(
      "Only an owner of the resources behind this spend or a configured approver can acknowledge it.",
    );
  }
  const result = await acknowledgeAnomaly(deps.costStore, click.decisionId, click.userId);
  if (result.outcome !== "acknowledged") return reply("This alert is no longer known: nothing was changed.");
  await deps.store.appendAudit({
    id: `cost:${click.decisionId}:acknowledged`,
    at: deps.now.toISOString(),
    actor: click.userId,
    action: "cost.acknowledged",
    reason: `expected spend from ${result.fromDate}: about $${result.levelUsd.toFixed(2)}/day of ${result.series}`,
  });
  if (alert.channel && alert.ts) {
    await deps.slack.postMessage({
      channel: alert.channel,
      threadTs: alert.ts,
      ...buildThreadNote(
        `<@${click.userId}> acknowledged this as expected spend: from ${result.fromDate}, ` +
          `about $${result.levelUsd.toFixed(0)}/day is the new normal and stops alerting.`,
        { trustedMrkdwn: true },
      ),
    });
  }
  return OK_EMPTY;
}

async function onAction(deps: InteractionDeps, click: ActionInteraction): Promise<InteractionResponse> {
  if (click.action === "acknowledge") return onAcknowledge(deps, click);
  const pending = await deps.store.getPendingDecision(click.decisionId);
  if (!pending) {
    return {
      statusCode: 200,
      body: JSON.stringify({ text: "This button is no longer active: already decided." }),
    };
  }
  if (!(await deps.authorize(click.userId, pending))) {
    await tell(
      deps,
      click.userId,
      pending,
      "Only the resource's owner or a configured approver can decide this. Nothing was changed.",
    );
    return OK_EMPTY;
  }
  const at = deps.now.toISOString();
  if (click.action === "keep") {
    if (!click.triggerId) throw new MalformedRequestError("keep without trigger_id");
    const finding = (await deps.store.getFinding(pending.findingId))?.finding;
    if (!finding) return OK_EMPTY;
    await deps.slack.openView({
      triggerId: click.triggerId,
      view: buildKeepModal({ decisionId: click.decisionId, finding }),
    });
    return OK_EMPTY;
  }
  if (click.action === "restore") {
    await tell(deps, click.userId, pending, await restore(deps, click, pending));
    return OK_EMPTY;
  }
  const decision: Decision =
    click.action === "approve"
      ? { kind: "approve", actor: click.userId, at }
      : { kind: "snooze", actor: click.userId, at, days: click.snoozeDays ?? 7 };
  if ((await decide(deps, pending, decision)) === "already-decided") {
    await tell(
      deps,
      click.userId,
      pending,
      "Already decided: this notice was answered or its deadline passed.",
    );
  }
  return OK_EMPTY;
}

export async function handleInteraction(
  req: InteractionRequest,
  deps: InteractionDeps,
): Promise<InteractionResponse> {
  try {
    verifySlackSignature({
      signingSecret: deps.signingSecret,
      timestamp: header(req.headers, "x-slack-request-timestamp"),
      signature: header(req.headers, "x-slack-signature"),
      rawBody: req.rawBody,
      now: deps.now,
    });
  } catch (err) {
    if (err instanceof SignatureError) return { statusCode: 401, body: "" };
    throw err;
  }
  let interaction: Interaction;
  try {
    interaction = parseInteraction(req.rawBody);
  } catch (err) {
    if (err instanceof MalformedRequestError) return { statusCode: 400, body: "malformed interaction" };
    throw err;
  }
  if (interaction.kind === "noop") return OK_EMPTY;
  if (interaction.kind === "action") return onAction(deps, interaction);

  const pending = await deps.store.getPendingDecision(interaction.decisionId);
  if (!pending) return OK_EMPTY;
  if (!(await deps.authorize(interaction.userId, pending))) {
    return {
      statusCode: 200,
      body: JSON.stringify({
        response_action: "errors",
        errors: { [KEEP_REASON_VIEW.blockId]: "Only the owner or an approver can keep this." },
      }),
    };
  }
  const decision: Decision = {
    kind: "keep",
    actor: interaction.userId,
    at: deps.now.toISOString(),
    reason: interaction.reason,
  };
  if ((await decide(deps, pending, decision)) === "already-decided") {
    return {
      statusCode: 200,
      body: JSON.stringify({
        response_action: "errors",
        errors: { [KEEP_REASON_VIEW.blockId]: "Already decided: nothing was changed." },
      }),
    };
  }
  return OK_EMPTY;
}
