/**
 * A Slack interaction request body (`application/x-www-form-urlencoded`, one `payload` field
 * holding JSON) → the few facts the handler acts on. Call it only after the signature is
 * verified. Slack adds fields freely, so objects are not strict; what we use is checked
 * precisely, and anything we cannot act on is a MalformedRequestError (answered with 400).
 *
 * Payload shapes: https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
 * and …/view-interactions-payload.
 */
import { z } from "zod";
import { MalformedRequestError } from "../errors.ts";
import { ACTION, DECISION_ID_PATTERN, KEEP_REASON_VIEW } from "./action-ids.ts";

export type DecisionAction = "approve" | "snooze" | "keep" | "restore" | "acknowledge";

export interface ActionInteraction {
  kind: "action";
  action: DecisionAction;
  decisionId: string;
  /** Only for `snooze`. */
  snoozeDays?: number;
  userId: string;
  userName?: string;
  teamId: string;
  channelId?: string;
  /** The ts of the message holding the button: the one to chat.update. */
  messageTs?: string;
  responseUrl?: string;
  /** Valid for 3 s: what views.open needs for the Keep modal. */
  triggerId?: string;
}

export interface KeepReasonInteraction {
  kind: "keep_reason";
  decisionId: string;
  reason: string;
  userId: string;
  teamId: string;
}

/** A click on the "Open in AWS console" link button: Slack sends it too; acknowledge with 200, do nothing. */
export interface NoopInteraction {
  kind: "noop";
  actionId: string;
  userId: string;
}

export type Interaction = ActionInteraction | KeepReasonInteraction | NoopInteraction;

const MAX_SNOOZE_DAYS = 365;
const MAX_REASON_LENGTH = 3000;

const decisionId = z.string().regex(DECISION_ID_PATTERN, "not a decision id");

const user = z.object({
  id: z.string().regex(/^[UW][A-Z0-9]+$/, "not a Slack user id"),
  username: z.string().optional(),
  name: z.string().optional(),
  team_id: z.string().optional(),
});

/** Org-wide installs send `team: null`; the user's team_id then says where they are. */
const team = z.object({ id: z.string().min(1) }).nullish();

const blockActions = z.object({
  type: z.literal("block_actions"),
  user,
  team,
  trigger_id: z.string().optional(),
  response_url: z.url().optional(),
  channel: z.object({ id: z.string() }).nullish(),
  container: z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).nullish(),
  message: z.object({ ts: z.string() }).nullish(),
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        type: z.string(),
        value: z.string().optional(),
        selected_option: z.object({ value: z.string() }).nullish(),
      }),
    )
    .min(1, "no action in the payload"),
});

const viewSubmission = z.object({
  type: z.literal("view_submission"),
  user,
  team,
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.object({
      values: z.record(
        z.string(),
        z.record(z.string(), z.object({ type: z.string(), value: z.string().nullish() })),
      ),
    }),
  }),
});

function fail(message: string): never {
  throw new MalformedRequestError(message);
}

function parsed<T>(schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `payload.${i.path.join(".")}: ${i.message}`);
  return fail(`unusable ${String((data as { type?: unknown }).type)} payload: ${issues.join("; ")}`);
}

function teamIdOf(p: { team?: { id: string } | null; user: { team_id?: string } }): string {
  return p.team?.id ?? p.user.team_id ?? fail("payload has neither team.id nor user.team_id");
}

function checkedDecisionId(value: string | undefined, where: string): string {
  if (value === undefined) fail(`${where} is missing`);
  const result = decisionId.safeParse(value);
  if (!result.success) fail(`${where} is not a decision id`);
  return result.data;
}

const DECISIONS: Record<string, DecisionAction> = {
  [ACTION.approve]: "approve",
  [ACTION.snooze]: "snooze",
  [ACTION.keep]: "keep",
  [ACTION.restore]: "restore",
  // A cost anomaly's "Expected spend": its value is the anomaly's short id.
  [ACTION.ackAnomaly]: "acknowledge",
};

/** `<decisionId>:<days>` from the snooze menu (split at the last colon). */
function parseSnoozeValue(value: string | undefined): { decisionId: string; days: number } {
  if (value === undefined) fail("snooze has no selected option");
  const colon = value.lastIndexOf(":");
  if (colon < 0) fail("snooze value is not <decisionId>:<days>");
  const days = value.slice(colon + 1);
  if (!/^\d{1,3}$/.test(days) || Number(days) < 1 || Number(days) > MAX_SNOOZE_DAYS) {
    fail(`snooze days must be a whole number from 1 to ${MAX_SNOOZE_DAYS}`);
  }
  return { decisionId: checkedDecisionId(value.slice(0, colon), "snooze decision id"), days: Number(days) };
}

function parseBlockActions(data: unknown): ActionInteraction | NoopInteraction {
  const p = parsed(blockActions, data);
  // Slack sends one action per click; `actions` is an array for historical reasons.
  const a = p.actions[0]!;
  if (a.action_id === ACTION.openConsole || a.action_id === ACTION.openFinding) {
    return { kind: "noop", actionId: a.action_id, userId: p.user.id };
  }
  const action = DECISIONS[a.action_id] ?? fail(`unknown action_id "${a.action_id}"`);
  const common = {
    kind: "action" as const,
    action,
    userId: p.user.id,
    userName: p.user.username ?? p.user.name,
    teamId: teamIdOf(p),
    channelId: p.channel?.id ?? p.container?.channel_id,
    messageTs: p.container?.message_ts ?? p.message?.ts,
    responseUrl: p.response_url,
    triggerId: p.trigger_id,
  };
  if (action === "snooze") {
    const { decisionId: id, days } = parseSnoozeValue(a.selected_option?.value ?? a.value);
    return withoutUndefined({ ...common, decisionId: id, snoozeDays: days });
  }
  if (a.type !== "button") fail(`${a.action_id} must come from a button, not a ${a.type}`);
  return withoutUndefined({ ...common, decisionId: checkedDecisionId(a.value, `${a.action_id} value`) });
}

function parseViewSubmission(data: unknown): KeepReasonInteraction {
  const p = parsed(viewSubmission, data);
  if (p.view.callback_id !== KEEP_REASON_VIEW.callbackId)
    fail(`unknown view callback_id "${p.view.callback_id}"`);
  const input = p.view.state.values[KEEP_REASON_VIEW.blockId]?.[KEEP_REASON_VIEW.actionId];
  if (!input) fail(`view state has no ${KEEP_REASON_VIEW.blockId}.${KEEP_REASON_VIEW.actionId} input`);
  const reason = (input.value ?? "").trim();
  if (reason.length === 0) fail("the keep reason is empty");
  if (reason.length > MAX_REASON_LENGTH)
    fail(`the keep reason is longer than ${MAX_REASON_LENGTH} characters`);
  return {
    kind: "keep_reason",
    decisionId: checkedDecisionId(p.view.private_metadata, "view private_metadata"),
    reason,
    userId: p.user.id,
    teamId: teamIdOf(p),
  };
}

/** Optional properties absent rather than `undefined`, so results compare and log cleanly. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Parses the raw (already verified) form body of a Slack interaction request. */
export function parseInteraction(rawBody: string): Interaction {
  const form = new URLSearchParams(rawBody);
  const payload = form.get("payload");
  if (payload === null) fail("body has no payload field");
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    fail("payload is not valid JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) fail("payload is not a JSON object");
  const type = (data as { type?: unknown }).type;
  if (type === "block_actions") return parseBlockActions(data);
  if (type === "view_submission") return parseViewSubmission(data);
  return fail(`unsupported interaction type ${JSON.stringify(type ?? null)}`);
}
