/**
 * Plays a person's clicks locally: builds the block_actions / view_submission payloads Slack
 * would send for a click on a recorded message (or a submit of a recorded modal), and signs the
 * request like Slack does. A click can only hit an element the message really shows, so the
 * demo and the tests cannot press a button that is not there.
 */
import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { signSlackRequest } from "../../slack/verify-signature.ts";
import type { RecordedMessage, RecordedView } from "./server.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export interface Clicker {
  id: string;
  name: string;
}

const TEAM = { id: "T0LOCAL01", domain: "local" };
const APP_ID = "A0JANITOR";

function triggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e12)}.${randomBytes(16).toString("hex")}`;
}

function actionTs(now: Date): string {
  return (now.getTime() / 1000).toFixed(6);
}

function findElement(message: RecordedMessage, actionId: string): { element: Json; blockId: string } {
  for (const block of message.blocks as unknown[]) {
    if (!isObject(block)) continue;
    const elements =
      block.type === "actions" && Array.isArray(block.elements) ? block.elements : [block.accessory];
    for (const element of elements) {
      if (isObject(element) && element.action_id === actionId) {
        return { element, blockId: typeof block.block_id === "string" ? block.block_id : "b0" };
      }
    }
  }
  throw new Error(
    `message ${message.ts} in ${message.channelName} has no element with action_id ${actionId}`,
  );
}

/**
 * The block_actions payload of a click on `actionId` in `message`. For a menu, `optionValue`
 * picks the option (it must be one of the menu's options).
 */
export function blockActionsPayload(input: {
  message: RecordedMessage;
  actionId: string;
  user: Clicker;
  optionValue?: string;
  responseUrl?: string;
  now?: Date;
}): Json {
  const { message, actionId, user } = input;
  const now = input.now ?? new Date();
  const { element, blockId } = findElement(message, actionId);
  const action: Json = {
    action_id: actionId,
    block_id: blockId,
    type: element.type,
    action_ts: actionTs(now),
  };
  if (element.type === "button") {
    action.text = element.text;
    if (element.value !== undefined) action.value = element.value;
    if (element.style !== undefined) action.style = element.style;
  } else {
    const options = Array.isArray(element.options) ? element.options.filter(isObject) : [];
    const selected = options.find((o) => o.value === input.optionValue);
    if (!selected) throw new Error(`${actionId} has no option with value ${String(input.optionValue)}`);
    action.selected_option = selected;
    if (element.placeholder !== undefined) action.placeholder = element.placeholder;
  }
  return {
    type: "block_actions",
    user: { id: user.id, username: user.name, name: user.name, team_id: TEAM.id },
    api_app_id: APP_ID,
    token: "legacy-verification-token-unused",
    container: { type: "message", message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: triggerId(),
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: message.channelName.replace(/^[#@]/, "") },
    message: {
      type: "message",
      subtype: "bot_message",
      text: message.text,
      ts: message.ts,
      bot_id: "B0JANITOR",
      blocks: message.blocks,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    },
    state: { values: {} },
    response_url:
      input.responseUrl ?? `https://hooks.slack.com/actions/${TEAM.id}/1/${randomBytes(8).toString("hex")}`,
    actions: [action],
  };
}

/** The view_submission payload of a recorded modal, with `values[blockId][actionId]` typed in. */
export function viewSubmissionPayload(input: {
  view: RecordedView;
  user: Clicker;
  values: Record<string, Record<string, string>>;
}): Json {
  const { view, user } = input;
  const blocks = Array.isArray(view.view.blocks) ? view.view.blocks.filter(isObject) : [];
  const state: Record<string, Record<string, Json>> = {};
  for (const [blockId, actions] of Object.entries(input.values)) {
    const block = blocks.find((b) => b.block_id === blockId);
    if (!block || !isObject(block.element)) throw new Error(`view ${view.id} has no input block ${blockId}`);
    for (const [actionId, value] of Object.entries(actions)) {
      if (block.element.action_id !== actionId)
        throw new Error(`input block ${blockId} has no element ${actionId}`);
      state[blockId] = { ...state[blockId], [actionId]: { type: block.element.type, value } };
    }
  }
  return {
    type: "view_submission",
    team: TEAM,
    user: { id: user.id, username: user.name, name: user.name, team_id: TEAM.id },
    api_app_id: APP_ID,
    token: "legacy-verification-token-unused",
    trigger_id: triggerId(),
    view: {
      ...view.view,
      id: view.id,
      team_id: TEAM.id,
      state: { values: state },
      hash: randomBytes(8).toString("hex"),
      root_view_id: view.id,
      app_id: APP_ID,
      bot_id: "B0JANITOR",
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface SignedRequest {
  /** `payload=<url-encoded JSON>`, as Slack posts it. */
  body: string;
  headers: Record<string, string>;
}

/** The HTTP request Slack would make for this payload, signed with the app's signing secret. */
export function signedInteractionRequest(input: {
  payload: unknown;
  signingSecret: string;
  now: Date;
}): SignedRequest {
  const body = new URLSearchParams({ payload: JSON.stringify(input.payload) }).toString();
  const timestamp = String(Math.floor(input.now.getTime() / 1000));
  return {
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signSlackRequest({ signingSecret: input.signingSecret, timestamp, rawBody: body }),
      "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    },
  };
}

/** The request as API Gateway (HTTP API, payload v2) hands it to the Lambda: form bodies arrive base64-encoded. */
export function httpApiEvent(request: SignedRequest, now: Date = new Date()): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "POST /slack/interactions",
    rawPath: "/slack/interactions",
    rawQueryString: "",
    headers: { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
    requestContext: {
      accountId: "123456789012",
      apiId: "local",
      domainName: "127.0.0.1",
      domainPrefix: "local",
      http: {
        method: "POST",
        path: "/slack/interactions",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: request.headers["user-agent"] ?? "Slackbot",
      },
      requestId: randomBytes(8).toString("hex"),
      routeKey: "POST /slack/interactions",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: Buffer.from(request.body, "utf8").toString("base64"),
    isBase64Encoded: true,
  };
}
