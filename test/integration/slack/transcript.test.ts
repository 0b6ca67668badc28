/**
 * A notice, a click and an outcome through the local stand-in, as the demo plays them: the
 * click payload is built from the message as posted, signed like Slack signs it, verified
 * and parsed by the real code; the transcript shows what a person saw.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  blockActionsPayload,
  httpApiEvent,
  signedInteractionRequest,
  viewSubmissionPayload,
} from "../../../shared/local/slack/interaction-payloads.ts";
import { renderTranscriptHtml } from "../../../shared/local/slack/render-html.ts";
import { renderTranscriptText } from "../../../shared/local/slack/render-text.ts";
import { type LocalSlack, startLocalSlack } from "../../../shared/local/slack/server.ts";
import { buildKeepModal } from "../../../shared/slack/blocks/build-keep-modal.ts";
import { buildNotice } from "../../../shared/slack/blocks/build-notice.ts";
import { buildOutcome } from "../../../shared/slack/blocks/build-outcome.ts";
import { buildThreadNote } from "../../../shared/slack/blocks/build-thread-note.ts";
import { consoleUrl } from "../../../shared/slack/blocks/console-url.ts";
import { createSlackApi, type SlackApi } from "../../../shared/slack/client.ts";
import { parseInteraction } from "../../../shared/slack/parse-interaction.ts";
import { verifySlackSignature } from "../../../shared/slack/verify-signature.ts";
import { sampleFinding } from "../../fixtures/findings.ts";

const SECRET = "local-signing-secret";
const ANA = { id: "U04ANA0001", name: "ana", email: "ana@example.com" };
const NOW = new Date("2026-11-23T14:00:00Z");
const DECISION = "d-3f9a1c2b4e5d6f70";
const finding = sampleFinding("churn-model-legacy", {
  reason: "0 invocations in 14 days across 1 variant <script>alert(1)</script>",
});

let local: LocalSlack;
let slack: SlackApi;
let posted: { channel: string; ts: string };

beforeAll(async () => {
  local = await startLocalSlack({ users: [ANA], clock: () => NOW });
  slack = createSlackApi({ token: "xoxb-local", slackApiUrl: local.apiUrl, retries: 0 });
  const { channel } = await slack.openDirectMessage(ANA.id);
  posted = await slack.postMessage({
    channel,
    ...buildNotice({
      finding,
      policyName: "idle-endpoints",
      mode: "enforce",
      timeoutAction: "delete",
      decisionId: DECISION,
      deadline: new Date("2026-11-26T14:00:00Z"),
      now: NOW,
      snoozeDays: [1, 7, 30],
      consoleUrl: consoleUrl(finding),
      ownerMention: `<@${ANA.id}>`,
    }),
  });
});

afterAll(async () => {
  await local.close();
});

function verifiedParse(payload: unknown) {
  const request = signedInteractionRequest({ payload, signingSecret: SECRET, now: NOW });
  const event = httpApiEvent(request, NOW);
  const rawBody = Buffer.from(event.body ?? "", "base64").toString("utf8");
  verifySlackSignature({
    signingSecret: SECRET,
    timestamp: event.headers["x-slack-request-timestamp"],
    signature: event.headers["x-slack-signature"],
    rawBody,
    now: NOW,
  });
  return parseInteraction(rawBody);
}

describe("a click played locally", () => {
  it("an Approve click on the posted notice reaches the parser signed and intact", () => {
    const message = local.messages().find((m) => m.ts === posted.ts)!;

    expect(
      verifiedParse(blockActionsPayload({ message, actionId: "janitor.approve", user: ANA })),
    ).toMatchObject({
      kind: "action",
      action: "approve",
      decisionId: DECISION,
      userId: ANA.id,
      channelId: posted.channel,
      messageTs: posted.ts,
    });
  });

  it("a snooze picks one of the menu's options, and only those", () => {
    const message = local.messages().find((m) => m.ts === posted.ts)!;

    expect(
      verifiedParse(
        blockActionsPayload({
          message,
          actionId: "janitor.snooze",
          user: ANA,
          optionValue: `${DECISION}:30`,
        }),
      ),
    ).toMatchObject({ action: "snooze", snoozeDays: 30 });
    expect(() =>
      blockActionsPayload({ message, actionId: "janitor.snooze", user: ANA, optionValue: `${DECISION}:99` }),
    ).toThrow(/no option/);
  });

  it("Keep opens the modal; its submission carries the reason back", async () => {
    await slack.openView({ triggerId: "1.2.3", view: buildKeepModal({ decisionId: DECISION, finding }) });
    const view = local.views().at(-1)!;

    expect(
      verifiedParse(
        viewSubmissionPayload({ view, user: ANA, values: { keep_reason: { reason: "demo on Friday" } } }),
      ),
    ).toEqual({
      kind: "keep_reason",
      decisionId: DECISION,
      reason: "demo on Friday",
      userId: ANA.id,
      teamId: "T0LOCAL01",
    });
  });

  it("after the outcome replaces the notice, its buttons are gone: only Restore can be clicked", async () => {
    await slack.updateMessage({
      ...posted,
      ...buildOutcome({
        finding,
        outcome: "approved",
        actor: ANA.id,
        actionTaken: "delete",
        savedMonthlyUsd: finding.monthlyCostUsd,
        decisionId: DECISION,
        undoAvailable: true,
      }),
    });
    await slack.postMessage({
      channel: posted.channel,
      threadTs: posted.ts,
      ...buildThreadNote("Deleted after a last check: still 0 invocations."),
    });
    const message = local.messages().find((m) => m.ts === posted.ts)!;

    expect(() => blockActionsPayload({ message, actionId: "janitor.approve", user: ANA })).toThrow(
      /no element/,
    );
    expect(
      verifiedParse(blockActionsPayload({ message, actionId: "janitor.restore", user: ANA })),
    ).toMatchObject({
      action: "restore",
      decisionId: DECISION,
    });
  });

  it("the terminal transcript reads like the conversation", () => {
    const text = renderTranscriptText(local.messages(), { users: local.users, views: local.views() });

    expect(text).toContain("━━ DM @ana");
    expect(text).toContain("✅ @ana approved: Deleted SageMaker endpoint `churn-model-legacy`.");
    expect(text).toContain("Saves: $1,027 per month");
    expect(text).toContain("[ Restore endpoint ]");
    expect(text).toContain("(edited Mon 23 Nov 14:00 UTC)");
    expect(text).toContain("└ 1 reply");
    expect(text).toContain("│   Deleted after a last check: still 0 invocations.");
    expect(text).toContain("▣ Keep this resource");
    expect(text).toContain("[ Cancel ]  [ Keep it ]");
  });

  it("the HTML page escapes what came from messages and keeps the earlier version", () => {
    const html = renderTranscriptHtml(local.messages(), "ml-janitor <demo>", {
      users: local.users,
      views: local.views(),
    });

    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<title>ml-janitor &lt;demo&gt;</title>");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain('<span class="mention">@ana</span>');
    expect(html).toContain("1 earlier version");
    expect(html).toContain('<span class="button primary"');
    expect(html).toContain("Direct message · @ana");
  });

  it("prints the notice as a person sees it", () => {
    const first = local.messages().find((m) => m.ts === posted.ts)!;
    const original = {
      ...first,
      blocks: first.history[0]!.blocks,
      text: first.history[0]!.text,
      history: [],
      editedTs: undefined,
    };
    const text = renderTranscriptText([original], { users: local.users });

    expect(text).toContain("SageMaker endpoint churn-model-legacy costs $1,027/month");
    expect(text).toContain("Owner: @ana · team ml-platform");
    expect(text).toContain("⏰ Deletes on Thu 26 Nov 14:00 UTC (in 3 days) unless you choose.");
    expect(text).toContain(
      "[ Approve now ]  [ Snooze… ▾ Snooze 7 days | Snooze 1 day | Snooze 30 days ]  [ Keep this endpoint ]  [ Open in AWS console ↗ ]",
    );
  });
});
