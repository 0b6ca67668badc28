/**
 * The real @slack/web-api WebClient (through createSlackApi) against the local Slack stand-in:
 * the same requests a Lambda makes in AWS, answered the way Slack answers them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackApiError } from "../../../shared/errors.ts";
import { type LocalSlack, startLocalSlack } from "../../../shared/local/slack/server.ts";
import { buildKeepModal } from "../../../shared/slack/blocks/build-keep-modal.ts";
import { buildNotice } from "../../../shared/slack/blocks/build-notice.ts";
import { buildOutcome } from "../../../shared/slack/blocks/build-outcome.ts";
import { consoleUrl } from "../../../shared/slack/blocks/console-url.ts";
import { createSlackApi, type SlackApi } from "../../../shared/slack/client.ts";
import { createOwnerResolver } from "../../../shared/slack/resolve-owner.ts";
import { sampleFinding } from "../../fixtures/findings.ts";

const TOKEN = "xoxb-local-test";
const USERS = [
  { id: "U04ANA0001", name: "ana", email: "ana@example.com" },
  { id: "U04BOB0002", name: "bob", email: "bob@example.com" },
];

let local: LocalSlack;
let slack: SlackApi;

beforeAll(async () => {
  local = await startLocalSlack({ users: USERS, userGroups: { S0MLOPS: ["U04BOB0002"] }, token: TOKEN });
  slack = createSlackApi({ token: TOKEN, slackApiUrl: local.apiUrl, timeoutMs: 2000, retries: 0 });
});

afterAll(async () => {
  await local.close();
});

function slackError(promise: Promise<unknown>): Promise<SlackApiError> {
  return promise.then(
    () => {
      throw new Error("expected a SlackApiError");
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(SlackApiError);
      return err as SlackApiError;
    },
  );
}

const finding = sampleFinding("churn-model-legacy");
const notice = () =>
  buildNotice({
    finding,
    policyName: "idle-endpoints",
    mode: "enforce",
    timeoutAction: "delete",
    decisionId: "d-3f9a1c2b4e5d6f70",
    deadline: new Date("2026-11-26T14:00:00Z"),
    now: new Date("2026-11-23T14:00:00Z"),
    snoozeDays: [1, 7, 30],
    consoleUrl: consoleUrl(finding),
    ownerMention: "<@U04ANA0001>",
  });

describe("createSlackApi against the local stand-in", () => {
  it("posts a notice with its blocks, in a thread too, and gets the channel id back", async () => {
    const posted = await slack.postMessage({ channel: "#ml-janitor", ...notice() });
    const reply = await slack.postMessage({ channel: posted.channel, threadTs: posted.ts, text: "a note" });

    expect(posted.channel).toMatch(/^C/);
    const [message, threadReply] = local.messages().slice(-2);
    expect(message).toMatchObject({
      channel: posted.channel,
      channelName: "#ml-janitor",
      ts: posted.ts,
      text: notice().text,
    });
    expect(message?.blocks).toEqual(notice().blocks);
    expect(threadReply).toMatchObject({ ts: reply.ts, threadTs: posted.ts, text: "a note" });
    const call = local.calls().find((c) => c.method === "chat.postMessage");
    expect(call?.body).toMatchObject({ channel: "#ml-janitor", unfurl_links: "false" });
  });

  it("replaces a message with chat.update and keeps what it said before", async () => {
    const posted = await slack.postMessage({ channel: "#ml-janitor", ...notice() });
    const outcome = buildOutcome({
      finding,
      outcome: "approved",
      actor: "U04ANA0001",
      actionTaken: "delete",
      savedMonthlyUsd: 1026.72,
      decisionId: "d-3f9a1c2b4e5d6f70",
      undoAvailable: true,
    });

    await slack.updateMessage({ channel: posted.channel, ts: posted.ts, ...outcome });

    const message = local.messages().find((m) => m.ts === posted.ts);
    expect(message?.text).toBe(outcome.text);
    expect(message?.history).toHaveLength(1);
    expect(message?.history[0]?.text).toBe(notice().text);
    expect(message?.editedTs).toBeDefined();
  });

  it("updating a message that does not exist is Slack's message_not_found", async () => {
    const err = await slackError(slack.updateMessage({ channel: "#ml-janitor", ts: "1.000000", text: "x" }));

    expect(err).toMatchObject({ method: "chat.update", code: "message_not_found" });
  });

  it("looks a user up by email, and says users_not_found for a stranger", async () => {
    await expect(slack.lookupUserByEmail("Ana@Example.com")).resolves.toEqual({
      id: "U04ANA0001",
      name: "ana",
      deleted: false,
    });
    const err = await slackError(slack.lookupUserByEmail("stranger@example.com"));

    expect(err.code).toBe("users_not_found");
  });

  it("opens a DM, posts an ephemeral, opens a modal, lists a user group", async () => {
    const { channel } = await slack.openDirectMessage("U04ANA0001");
    const { messageTs } = await slack.postEphemeral({
      channel,
      user: "U04BOB0002",
      text: "Only the owner can decide.",
    });
    const { viewId } = await slack.openView({
      triggerId: "1.2.abc",
      view: buildKeepModal({ decisionId: "d-1", finding }),
    });

    expect(channel).toBe("D04ANA0001");
    expect(local.messages().find((m) => m.ts === messageTs)).toMatchObject({
      ephemeralTo: "U04BOB0002",
      channelName: "@ana",
    });
    expect(local.views().find((v) => v.id === viewId)?.view).toMatchObject({
      callback_id: "janitor.keep_reason",
      private_metadata: "d-1",
    });
    await expect(slack.listUserGroupMembers("S0MLOPS")).resolves.toEqual(["U04BOB0002"]);
  });

  it("rejects a rate-limited call at once with its Retry-After, instead of waiting", async () => {
    local.rateLimit("chat.postMessage", { retryAfterSeconds: 30 });
    const started = Date.now();

    const err = await slackError(slack.postMessage({ channel: "#ml-janitor", text: "hello" }));

    expect(err).toMatchObject({ code: "ratelimited", retryAfterSeconds: 30 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.message).toBe("Slack chat.postMessage failed: ratelimited");
    await expect(slack.postMessage({ channel: "#ml-janitor", text: "hello again" })).resolves.toBeDefined();
  });

  it("with the production defaults (2 retries) a 429 is still tried once only", async () => {
    const production = createSlackApi({ token: TOKEN, slackApiUrl: local.apiUrl });
    local.rateLimit("chat.update", { retryAfterSeconds: 1, count: 3 });
    const before = local.calls().filter((c) => c.method === "chat.update").length;

    const err = await slackError(
      production.updateMessage({ channel: "#ml-janitor", ts: "1.000000", text: "x" }),
    );

    expect(err.code).toBe("ratelimited");
    expect(local.calls().filter((c) => c.method === "chat.update").length - before).toBe(1);
    local.rateLimit("chat.update", { count: 0 });
  });

  it("refuses a wrong token the way Slack does", async () => {
    const stranger = createSlackApi({ token: "xoxb-wrong", slackApiUrl: local.apiUrl, retries: 0 });

    const err = await slackError(stranger.postMessage({ channel: "#ml-janitor", text: "x" }));

    expect(err.code).toBe("invalid_auth");
  });

  it("catches blocks Slack would refuse (invalid_blocks)", async () => {
    const tooLong = { type: "section" as const, text: { type: "mrkdwn" as const, text: "x".repeat(3001) } };

    const err = await slackError(slack.postMessage({ channel: "#ml-janitor", text: "x", blocks: [tooLong] }));

    expect(err.code).toBe("invalid_blocks");
  });

  it("resolves owners through the real client: DM for a known email, team channel otherwise", async () => {
    const owners = createOwnerResolver({
      slack,
      config: { defaultChannel: "#ml-janitor", teamChannels: { "ml-platform": "#team-ml" } },
    });
    const before = local.calls().filter((c) => c.method === "users.lookupByEmail").length;

    const ana = await owners.resolve(finding);
    const ghost = await owners.resolve(
      sampleFinding("g", { owner: { email: "ghost@example.com", team: "ml-platform" } }),
    );
    await owners.resolve(sampleFinding("h", { owner: { email: "ghost@example.com", team: "ml-platform" } }));

    expect(ana).toEqual({ channel: "D04ANA0001", userId: "U04ANA0001", via: "dm" });
    expect(ghost).toEqual({ channel: "#team-ml", via: "team" });
    expect(local.calls().filter((c) => c.method === "users.lookupByEmail").length - before).toBe(2);
  });
});
