/**
 * A local stand-in for Slack's Web API, on 127.0.0.1: the methods the janitor calls, spoken the
 * way @slack/web-api calls them (POST /api/<method>, form-encoded with JSON-string values or a
 * JSON body, `Authorization: Bearer <token>`) and answered the way Slack answers (HTTP 200 with
 * `{ ok: true, … }` or `{ ok: false, error }`, HTTP 429 with Retry-After when rate-limited).
 * It records every call, every message with its edit history, ephemerals and opened views,
 * so tests assert on what a person would have seen and the demo can print it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { KnownBlock } from "@slack/types";
import { readBody } from "../read-body.ts";
import { blockProblems } from "./validate-blocks.ts";

export interface LocalSlackUser {
  id: string;
  name: string;
  email: string;
  /** Deactivated: still found by email (Slack does that), flagged `deleted`. */
  deleted?: boolean;
}

export interface MessageVersion {
  text: string;
  blocks: KnownBlock[];
  /** When this version was written (the post, or the update that wrote it). */
  ts: string;
}

export interface RecordedMessage {
  /** The channel id as Slack reports it: `C…` for channels, `D…` for DMs. */
  channel: string;
  /** For people: `#ml-janitor`, or `@ana` for a DM. */
  channelName: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: KnownBlock[];
  /** Earlier versions, oldest first: chat.update replaces the message and keeps what it said. */
  history: MessageVersion[];
  /** The ts of the last chat.update. */
  editedTs?: string;
  /** chat.postEphemeral: only this user saw it. */
  ephemeralTo?: string;
}

export interface RecordedView {
  id: string;
  triggerId: string;
  /** Ordered with the messages' ts, so a transcript can place it. */
  ts: string;
  view: Record<string, unknown>;
}

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
}

export interface LocalSlackOptions {
  users: LocalSlackUser[];
  /** User group id (`S…`) → member user ids. */
  userGroups?: Record<string, string[]>;
  /** The bot token callers must send; any `xoxb-` token is accepted when omitted. */
  token?: string;
  /** Message timestamps come from this clock (the demo compresses time). */
  clock?: () => Date;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface LocalSlack {
  /** `http://127.0.0.1:PORT/api/`: pass as `slackApiUrl`. */
  apiUrl: string;
  users: readonly LocalSlackUser[];
  messages(): RecordedMessage[];
  views(): RecordedView[];
  calls(): RecordedCall[];
  /** The next `count` calls of `method` are answered 429 with `Retry-After: retryAfterSeconds` (count 0 clears). */
  rateLimit(method: string, options?: { retryAfterSeconds?: number; count?: number }): void;
  /** The next call of `method` is answered `{ ok: false, error }`. */
  failNext(method: string, error: string): void;
  close(): Promise<void>;
}

type Args = Record<string, unknown>;
type Answer = { ok: true } & Record<string, unknown>;

/** An `{ ok: false }` answer, thrown by method handlers. */
class SlackFailure extends Error {
  constructor(
    readonly error: string,
    readonly messages?: string[],
  ) {
    super(error);
  }
}

const TEAM_ID = "T0LOCAL01";
const BOT_USER_ID = "U0JANITOR";

/** Form bodies carry strings (objects JSON-encoded by the SDK); JSON bodies carry values. */
function parseArgs(contentType: string | undefined, body: string, query: URLSearchParams): Args {
  const args: Args = Object.fromEntries(query);
  if (!body) return args;
  if (contentType?.startsWith("application/json")) {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new SlackFailure("invalid_json");
    return { ...args, ...(parsed as Args) };
  }
  return { ...args, ...Object.fromEntries(new URLSearchParams(body)) };
}

function str(args: Args, name: string, required = true): string | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === "") {
    if (required) throw new SlackFailure(name === "channel" ? "channel_not_found" : "invalid_arguments");
    return undefined;
  }
  return String(value);
}

/** A JSON argument: the SDK sends it as a JSON string in a form body, as a value in a JSON body. */
function json(args: Args, name: string, failure: string): unknown {
  const value = args[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackFailure(failure);
  }
}

export async function startLocalSlack(options: LocalSlackOptions): Promise<LocalSlack> {
  const clock = options.clock ?? (() => new Date());
  const users = options.users.map((u) => ({ ...u }));
  const groups = options.userGroups ?? {};
  const messages: RecordedMessage[] = [];
  const views: RecordedView[] = [];
  const calls: RecordedCall[] = [];
  const limited = new Map<string, { retryAfterSeconds: number; count: number }>();
  const failures = new Map<string, string>();
  /** channel name or DM user id → channel id, and back. */
  const channelIds = new Map<string, string>();
  const channelNames = new Map<string, string>();
  let seq = 0;

  /** Slack message timestamps: seconds.sequence, unique and increasing. */
  function nextTs(): string {
    seq += 1;
    return `${Math.floor(clock().getTime() / 1000)}.${String(seq).padStart(6, "0")}`;
  }

  function userById(id: string): LocalSlackUser | undefined {
    return users.find((u) => u.id === id);
  }

  function dmChannel(userId: string): string {
    const user = userById(userId);
    if (!user) throw new SlackFailure("user_not_found");
    const key = `@${user.id}`;
    let id = channelIds.get(key);
    if (!id) {
      id = `D${user.id.slice(1)}`;
      channelIds.set(key, id);
      channelNames.set(id, `@${user.name}`);
    }
    return id;
  }

  /** `#name` creates the channel on first use; `C…`/`D…` must exist; a user id means the bot's DM with them. */
  function channelFor(ref: string): string {
    if (ref.startsWith("#")) {
      let id = channelIds.get(ref);
      if (!id) {
        id = `C${String(channelIds.size + 1).padStart(8, "0")}`;
        channelIds.set(ref, id);
        channelNames.set(id, ref);
      }
      return id;
    }
    if (/^[UW]/.test(ref)) return dmChannel(ref);
    if (channelNames.has(ref)) return ref;
    throw new SlackFailure("channel_not_found");
  }

  function blocksArg(args: Args): KnownBlock[] {
    const blocks = json(args, "blocks", "invalid_blocks_format") ?? [];
    const problems = blockProblems(blocks);
    if (problems.length > 0) throw new SlackFailure("invalid_blocks", problems);
    return blocks as KnownBlock[];
  }

  function textArg(args: Args, blocks: KnownBlock[]): string {
    const text = str(args, "text", false);
    if (text === undefined && blocks.length === 0) throw new SlackFailure("no_text");
    return text ?? "";
  }

  const METHODS: Record<string, (args: Args) => Answer> = {
    "auth.test": () => ({
      ok: true,
      team_id: TEAM_ID,
      user_id: BOT_USER_ID,
      bot_id: "B0JANITOR",
      team: "local",
    }),

    "chat.postMessage": (args) => {
      const channel = channelFor(str(args, "channel")!);
      const blocks = blocksArg(args);
      const text = textArg(args, blocks);
      const threadTs = str(args, "thread_ts", false);
      if (threadTs && !messages.some((m) => m.channel === channel && m.ts === threadTs)) {
        throw new SlackFailure("thread_not_found");
      }
      const message: RecordedMessage = {
        channel,
        channelName: channelNames.get(channel) ?? channel,
        ts: nextTs(),
        ...(threadTs ? { threadTs } : {}),
        text,
        blocks,
        history: [],
      };
      messages.push(message);
      return {
        ok: true,
        channel,
        ts: message.ts,
        message: { type: "message", user: BOT_USER_ID, text, blocks, ts: message.ts, thread_ts: threadTs },
      };
    },

    "chat.update": (args) => {
      const channel = channelFor(str(args, "channel")!);
      const ts = str(args, "ts")!;
      const message = messages.find((m) => m.channel === channel && m.ts === ts && !m.ephemeralTo);
      if (!message) throw new SlackFailure("message_not_found");
      const blocks = args.blocks === undefined ? message.blocks : blocksArg(args);
      const text = str(args, "text", false) ?? message.text;
      message.history.push({
        text: message.text,
        blocks: message.blocks,
        ts: message.editedTs ?? message.ts,
      });
      message.text = text;
      message.blocks = blocks;
      message.editedTs = nextTs();
      return { ok: true, channel, ts, text, message: { text, blocks, edited: { ts: message.editedTs } } };
    },

    "chat.postEphemeral": (args) => {
      const channel = channelFor(str(args, "channel")!);
      const user = str(args, "user")!;
      if (!userById(user)) throw new SlackFailure("user_not_found");
      const blocks = blocksArg(args);
      const text = textArg(args, blocks);
      const threadTs = str(args, "thread_ts", false);
      const message: RecordedMessage = {
        channel,
        channelName: channelNames.get(channel) ?? channel,
        ts: nextTs(),
        ...(threadTs ? { threadTs } : {}),
        text,
        blocks,
        history: [],
        ephemeralTo: user,
      };
      messages.push(message);
      return { ok: true, message_ts: message.ts };
    },

    "users.lookupByEmail": (args) => {
      const email = str(args, "email")!.toLowerCase();
      const user = users.find((u) => u.email.toLowerCase() === email);
      if (!user) throw new SlackFailure("users_not_found");
      return {
        ok: true,
        user: {
          id: user.id,
          team_id: TEAM_ID,
          name: user.name,
          real_name: user.name,
          deleted: user.deleted === true,
          is_bot: false,
          profile: { email: user.email, real_name: user.name, display_name: user.name },
        },
      };
    },

    "conversations.open": (args) => {
      const ids = str(args, "users")!.split(",").filter(Boolean);
      if (ids.length !== 1)
        throw new SlackFailure(ids.length === 0 ? "users_list_not_supplied" : "not_supported");
      return { ok: true, channel: { id: dmChannel(ids[0]!) } };
    },

    "views.open": (args) => {
      const triggerId = str(args, "trigger_id")!;
      const view = json(args, "view", "invalid_arguments");
      if (typeof view !== "object" || view === null) throw new SlackFailure("invalid_arguments");
      const v = view as Record<string, unknown>;
      if (v.type !== "modal")
        throw new SlackFailure("invalid_arguments", ["[ERROR] view type must be modal"]);
      const problems = blockProblems(v.blocks);
      if (problems.length > 0) throw new SlackFailure("invalid_arguments", problems);
      const recorded: RecordedView = {
        id: `V${String(views.length + 1).padStart(8, "0")}`,
        triggerId,
        ts: nextTs(),
        view: v,
      };
      views.push(recorded);
      return { ok: true, view: { ...v, id: recorded.id, team_id: TEAM_ID } };
    },

    "usergroups.users.list": (args) => {
      const group = str(args, "usergroup")!;
      const members = groups[group];
      if (!members) throw new SlackFailure("no_such_subteam");
      return { ok: true, users: [...members] };
    },
  };

  function authorized(req: IncomingMessage, args: Args): string | undefined {
    const header = req.headers.authorization;
    const token = header?.startsWith("Bearer ")
      ? header.slice(7)
      : typeof args.token === "string"
        ? args.token
        : undefined;
    if (!token) return "not_authed";
    if (options.token ? token !== options.token : !token.startsWith("xoxb-")) return "invalid_auth";
    return undefined;
  }

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (!match) return send(res, 404, { ok: false, error: "not_found" });
    const method = match[1]!;
    let args: Args;
    try {
      args = parseArgs(req.headers["content-type"], await readBody(req), url.searchParams);
    } catch (err) {
      return send(res, 200, {
        ok: false,
        error: err instanceof SlackFailure ? err.error : "invalid_form_data",
      });
    }
    const { token: _token, ...body } = args;
    calls.push({ method, body });

    const limit = limited.get(method);
    if (limit) {
      limit.count -= 1;
      if (limit.count <= 0) limited.delete(method);
      return send(
        res,
        429,
        { ok: false, error: "ratelimited" },
        { "retry-after": String(limit.retryAfterSeconds) },
      );
    }
    const authError = authorized(req, args);
    if (authError) return send(res, 200, { ok: false, error: authError });
    const injected = failures.get(method);
    if (injected) {
      failures.delete(method);
      return send(res, 200, { ok: false, error: injected });
    }
    const run = METHODS[method];
    if (!run) return send(res, 200, { ok: false, error: "unknown_method" });
    try {
      return send(res, 200, run(args));
    } catch (err) {
      if (!(err instanceof SlackFailure)) throw err;
      const metadata = err.messages ? { response_metadata: { messages: err.messages } } : {};
      return send(res, 200, { ok: false, error: err.error, ...metadata });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, 500, {
        ok: false,
        error: "internal_error",
        detail: err instanceof Error ? err.message : String(err),
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const copy = <T>(value: T): T => structuredClone(value);
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    users,
    messages: () => copy(messages),
    views: () => copy(views),
    calls: () => copy(calls),
    rateLimit(method, { retryAfterSeconds = 1, count = 1 } = {}) {
      if (count <= 0) limited.delete(method);
      else limited.set(method, { retryAfterSeconds, count });
    },
    failNext(method, error) {
      failures.set(method, error);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
