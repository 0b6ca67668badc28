/**
 * The Slack Web API methods the janitor uses, behind a small interface (handlers and tests
 * depend on this, not on @slack/web-api), and its implementation on the official WebClient.
 *
 * Bot scopes: chat:write (postMessage, update, postEphemeral), chat:write.public (post to
 * configured channels the bot was not invited to), im:write (conversations.open for DMs),
 * users:read + users:read.email (lookupByEmail), usergroups:read (usergroups.users.list).
 * views.open needs no scope, only the click's trigger_id.
 */
import type { KnownBlock, ModalView } from "@slack/types";
import { ErrorCode, WebClient } from "@slack/web-api";
import { z } from "zod";
import { errorMessage, SlackApiError } from "../errors.ts";

export interface SlackUser {
  id: string;
  name?: string;
  /** Deactivated accounts can still be found by email; nobody reads their DMs. */
  deleted: boolean;
}

export interface PostedMessage {
  /** The channel id Slack answers with (a `#name` or a user id goes in, `C…`/`D…` comes out): chat.update needs it. */
  channel: string;
  ts: string;
}

export interface SlackApi {
  /** chat.postMessage; link unfurling off (console links need no preview). */
  postMessage(args: {
    channel: string;
    text: string;
    blocks?: KnownBlock[];
    threadTs?: string;
  }): Promise<PostedMessage>;
  /** chat.update: replaces text and blocks of a message the bot posted. */
  updateMessage(args: {
    channel: string;
    ts: string;
    text: string;
    blocks?: KnownBlock[];
  }): Promise<PostedMessage>;
  /** chat.postEphemeral: visible to one user only (e.g. "you are not allowed to decide this"). */
  postEphemeral(args: {
    channel: string;
    user: string;
    text: string;
    blocks?: KnownBlock[];
    threadTs?: string;
  }): Promise<{ messageTs: string }>;
  /** users.lookupByEmail: throws SlackApiError with code `users_not_found` when nobody has that email. */
  lookupUserByEmail(email: string): Promise<SlackUser>;
  /** conversations.open with one user: the id of the bot's DM channel with them. */
  openDirectMessage(userId: string): Promise<{ channel: string }>;
  /** views.open: must be called within 3 s of the click that gave the trigger id. */
  openView(args: { triggerId: string; view: ModalView }): Promise<{ viewId: string }>;
  /** usergroups.users.list: the user ids in a user group (`S…`). */
  listUserGroupMembers(userGroupId: string): Promise<string[]>;
}

export interface SlackApiOptions {
  token: string;
  /** `https://slack.com/api/` by default; the local stand-in's `http://127.0.0.1:PORT/api/`. */
  slackApiUrl?: string;
  /** Per request. The interactions handler has 3 s in all: give it less than that. */
  timeoutMs?: number;
  /** Retries of network and HTTP errors (never of Slack's `ok: false` answers nor rate limits). */
  retries?: number;
}

function toSlackApiError(method: string, err: unknown): SlackApiError {
  if (err instanceof SlackApiError) return err;
  const coded = err as {
    code?: unknown;
    data?: { error?: unknown };
    retryAfter?: unknown;
    statusCode?: unknown;
  };
  switch (coded?.code) {
    case ErrorCode.PlatformError:
      return new SlackApiError(method, String(coded.data?.error ?? "unknown_error"), { cause: err });
    case ErrorCode.RateLimitedError:
      return new SlackApiError(method, "ratelimited", {
        cause: err,
        retryAfterSeconds: typeof coded.retryAfter === "number" ? coded.retryAfter : undefined,
      });
    case ErrorCode.HTTPError:
      return new SlackApiError(method, "http_error", { cause: err });
    default:
      return new SlackApiError(method, "request_failed", {
        cause: err instanceof Error ? err : new Error(errorMessage(err)),
      });
  }
}

async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toSlackApiError(method, err);
  }
}

/** Slack's answers as far as we read them; anything else is an `invalid_response`. */
const RESPONSES = {
  posted: z.object({ channel: z.string().min(1), ts: z.string().min(1) }),
  ephemeral: z.object({ message_ts: z.string().min(1) }),
  user: z.object({
    user: z.object({ id: z.string().min(1), name: z.string().optional(), deleted: z.boolean().optional() }),
  }),
  opened: z.object({ channel: z.object({ id: z.string().min(1) }) }),
  view: z.object({ view: z.object({ id: z.string().min(1) }) }),
  members: z.object({ users: z.array(z.string()) }),
};

function read<T>(method: string, schema: z.ZodType<T>, result: unknown): T {
  const parsed = schema.safeParse(result);
  if (!parsed.success) throw new SlackApiError(method, "invalid_response", { cause: parsed.error });
  return parsed.data;
}

export function createSlackApi({
  token,
  slackApiUrl,
  timeoutMs = 5000,
  retries = 2,
}: SlackApiOptions): SlackApi {
  const client = new WebClient(token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    // The SDK's default retries for ~30 minutes; a Lambda has seconds.
    retryConfig: { retries },
    // A 429 fails at once with its Retry-After (SlackApiError code "ratelimited"): the caller decides.
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  });
  const api = <T>(method: string, args: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> =>
    call(method, async () => read(method, schema, await client.apiCall(method, args)));

  return {
    postMessage: ({ channel, text, blocks, threadTs }) =>
      api(
        "chat.postMessage",
        { channel, text, blocks, thread_ts: threadTs, unfurl_links: false, unfurl_media: false },
        RESPONSES.posted,
      ),
    updateMessage: ({ channel, ts, text, blocks }) =>
      api("chat.update", { channel, ts, text, blocks }, RESPONSES.posted),
    async postEphemeral({ channel, user, text, blocks, threadTs }) {
      const r = await api(
        "chat.postEphemeral",
        { channel, user, text, blocks, thread_ts: threadTs },
        RESPONSES.ephemeral,
      );
      return { messageTs: r.message_ts };
    },
    async lookupUserByEmail(email) {
      const { user } = await api("users.lookupByEmail", { email }, RESPONSES.user);
      return { id: user.id, name: user.name, deleted: user.deleted === true };
    },
    async openDirectMessage(userId) {
      const r = await api("conversations.open", { users: userId }, RESPONSES.opened);
      return { channel: r.channel.id };
    },
    async openView({ triggerId, view }) {
      const r = await api("views.open", { trigger_id: triggerId, view }, RESPONSES.view);
      return { viewId: r.view.id };
    },
    async listUserGroupMembers(userGroupId) {
      const r = await api("usergroups.users.list", { usergroup: userGroupId }, RESPONSES.members);
      return r.users;
    },
  };
}
