/**
 * Plays a person's clicks for the demo and tests: Slack-shaped interaction payloads, signed with
 * the workspace's signing secret exactly as Slack signs them, delivered as the API Gateway
 * HTTP API event the interactions Lambda receives (base64 body, like API Gateway sends forms).
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ACTION, KEEP_REASON_VIEW } from "../../slack/action-ids.ts";
import { signSlackRequest } from "../../slack/verify-signature.ts";
import { httpApiEvent } from "./interaction-payloads.ts";

export type Click =
  | { kind: "approve" | "keep" | "restore"; decisionId: string }
  | { kind: "snooze"; decisionId: string; days: number }
  | { kind: "keep_reason"; decisionId: string; reason: string };

export interface ClickContext {
  userId: string;
  userName?: string;
  channelId?: string;
  messageTs?: string;
  teamId?: string;
}

export function interactionPayload(click: Click, who: ClickContext): Record<string, unknown> {
  const user = { id: who.userId, username: who.userName ?? who.userId, team_id: who.teamId ?? "T0LOCAL" };
  const team = { id: who.teamId ?? "T0LOCAL", domain: "local" };
  if (click.kind === "keep_reason") {
    return {
      type: "view_submission",
      user,
      team,
      view: {
        id: "V0LOCAL",
        callback_id: KEEP_REASON_VIEW.callbackId,
        private_metadata: click.decisionId,
        state: {
          values: {
            [KEEP_REASON_VIEW.blockId]: {
              [KEEP_REASON_VIEW.actionId]: { type: "plain_text_input", value: click.reason },
            },
          },
        },
      },
    };
  }
  const action =
    click.kind === "snooze"
      ? {
          action_id: ACTION.snooze,
          type: "static_select",
          selected_option: { value: `${click.decisionId}:${click.days}` },
        }
      : { action_id: ACTION[click.kind], type: "button", value: click.decisionId };
  return {
    type: "block_actions",
    user,
    team,
    api_app_id: "A0LOCAL",
    trigger_id: `${Date.now()}.local.trigger`,
    container: { type: "message", message_ts: who.messageTs, channel_id: who.channelId },
    channel: who.channelId ? { id: who.channelId } : undefined,
    message: who.messageTs ? { ts: who.messageTs } : undefined,
    actions: [{ ...action, block_id: "actions", action_ts: `${Date.now() / 1000}` }],
  };
}

export function signedInteractionEvent(input: {
  payload: Record<string, unknown>;
  signingSecret: string;
  now?: Date;
  /** Tests: sign with another secret, or another time. */
  signWith?: { secret?: string; timestamp?: number };
  rawBody?: string;
}): APIGatewayProxyEventV2 {
  const now = input.now ?? new Date();
  const rawBody = input.rawBody ?? `payload=${encodeURIComponent(JSON.stringify(input.payload))}`;
  const timestamp = String(input.signWith?.timestamp ?? Math.floor(now.getTime() / 1000));
  const signature = signSlackRequest({
    signingSecret: input.signWith?.secret ?? input.signingSecret,
    timestamp,
    rawBody,
  });
  return httpApiEvent(
    {
      body: rawBody,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature,
      },
    },
    now,
  );
}
