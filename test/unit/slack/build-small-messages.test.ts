import { describe, expect, it } from "vitest";
import { KEEP_REASON_VIEW } from "../../../shared/slack/action-ids.ts";
import { buildKeepModal } from "../../../shared/slack/blocks/build-keep-modal.ts";
import { buildOpsFailure } from "../../../shared/slack/blocks/build-ops-failure.ts";
import { buildThreadNote } from "../../../shared/slack/blocks/build-thread-note.ts";
import { sampleFinding } from "../../fixtures/findings.ts";
import { allText } from "./block-helpers.ts";

describe("buildKeepModal", () => {
  it("asks for a required reason and carries the decision id in private_metadata", () => {
    const view = buildKeepModal({ decisionId: "d-3f9a1c2b4e5d6f70", finding: sampleFinding("churn") });
    const input = view.blocks.find((b) => b.type === "input") as unknown as {
      block_id: string;
      optional: boolean;
      element: { type: string; action_id: string };
    };

    expect(view).toMatchObject({
      type: "modal",
      callback_id: "janitor.keep_reason",
      private_metadata: "d-3f9a1c2b4e5d6f70",
    });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(input).toMatchObject({
      block_id: KEEP_REASON_VIEW.blockId,
      optional: false,
      element: { type: "plain_text_input", action_id: KEEP_REASON_VIEW.actionId },
    });
    expect(allText(view.blocks)).toContain("SageMaker endpoint `churn`");
  });
});

describe("buildThreadNote", () => {
  it("escapes by default and trusts mrkdwn only when asked", () => {
    expect(buildThreadNote("Activity since the notice: 42 invocations on 25 Nov <b>").text).toBe(
      "Activity since the notice: 42 invocations on 25 Nov &lt;b&gt;",
    );
    expect(buildThreadNote("Restored by <@U04ANA0001>", { trustedMrkdwn: true }).text).toBe(
      "Restored by <@U04ANA0001>",
    );
  });
});

describe("buildOpsFailure", () => {
  it("names the execution, the finding and the error, and reads a Lambda cause", () => {
    const cause = JSON.stringify({
      errorType: "SlackApiError",
      errorMessage: "Slack chat.update failed: message_not_found",
      trace: ["at x"],
    });
    const { text, blocks } = buildOpsFailure({
      executionName: "idle-endpoint-3f9a1c2b4e5d",
      findingId: "idle-endpoint-3f9a1c2b4e5d",
      error: "SlackApiError",
      cause,
    });
    const words = allText(blocks);

    expect(text).toBe("Cleanup workflow failed: idle-endpoint-3f9a1c2b4e5d (SlackApiError)");
    expect(words).toContain("SlackApiError: Slack chat.update failed: message_not_found");
    expect(words).not.toContain("at x");
  });

  it("shows a plain cause as it is, and none when there is none", () => {
    const plain = allText(
      buildOpsFailure({ executionName: "e", error: "States.Timeout", cause: "took too long" }).blocks,
    );
    const none = buildOpsFailure({ executionName: "e", error: "States.Timeout" }).blocks;

    expect(plain).toContain("```took too long```");
    expect(allText(none)).not.toContain("*Cause*");
  });
});
