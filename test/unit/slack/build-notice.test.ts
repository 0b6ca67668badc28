import { describe, expect, it } from "vitest";
import { buildNotice } from "../../../shared/slack/blocks/build-notice.ts";
import { buildReminder } from "../../../shared/slack/blocks/build-reminder.ts";
import type { NoticeInput } from "../../../shared/slack/blocks/types.ts";
import { sampleFinding } from "../../fixtures/findings.ts";
import { actionIds, allText, element, interactiveValues } from "./block-helpers.ts";

const NOW = new Date("2026-11-23T14:00:00Z");
const DEADLINE = new Date("2026-11-26T14:00:00Z"); // a Thursday

function input(overrides: Partial<NoticeInput> = {}): NoticeInput {
  const finding = sampleFinding("churn-model-legacy");
  return {
    finding,
    policyName: "idle-endpoints",
    mode: "enforce",
    timeoutAction: "delete",
    decisionId: "d-3f9a1c2b4e5d6f70",
    deadline: DEADLINE,
    now: NOW,
    snoozeDays: [1, 7, 30],
    consoleUrl:
      "https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/churn-model-legacy",
    ownerMention: "<@U04ANA0001>",
    ...overrides,
  };
}

describe("buildNotice", () => {
  it("says why the terms are tighter than the policy's when a budget tightened them", () => {
    const { blocks } = buildNotice(
      input({
        timeoutAction: "stop",
        tightened:
          "Budget team-nlp passed its tightening threshold this month: 1d to answer, then it stops (until 2026-12-01).",
      }),
    );
    expect(allText(blocks)).toContain(
      ":lock: Budget team-nlp passed its tightening threshold this month: 1d to answer, then it stops (until 2026-12-01).",
    );
    expect(allText(buildNotice(input()).blocks)).not.toContain(":lock:");
  });

  it("says what, where, who, why and how much", () => {
    const { blocks, text } = buildNotice(input());
    const words = allText(blocks);

    expect(words).toContain("SageMaker endpoint `churn-model-legacy`");
    expect(words).toContain("account 123456789012 · us-east-1");
    expect(words).toContain("<@U04ANA0001> · team ml-platform");
    expect(words).toContain("Endpoint churn-model-legacy served 0 invocations in the last 14 days");
    expect(words).toContain("`AllTraffic`: 1 × ml.g5.xlarge");
    expect(words).toContain("$1,027 per month");
    expect(text).toContain("SageMaker endpoint churn-model-legacy (us-east-1) costs $1,027 per month");
  });

  it("falls back to the owner email, then to a nudge, when no Slack user is known", () => {
    const withEmail = allText(buildNotice(input({ ownerMention: undefined })).blocks);
    const finding = sampleFinding("x", { owner: {} });
    const nobody = allText(buildNotice(input({ finding, ownerMention: undefined })).blocks);

    expect(withEmail).toContain("ana@example.com · team ml-platform");
    expect(nobody).toContain("nobody (no owner tag)");
  });

  it.each([
    ["delete", "Deletes"],
    ["stop", "Stops"],
  ] as const)("enforce with timeout %s names the deadline", (timeoutAction, verb) => {
    const { blocks, text } = buildNotice(input({ timeoutAction }));

    // In the reader's own time zone, with UTC as the fallback.
    expect(allText(blocks)).toContain(
      `*${verb} on <!date^1795701600^{date_short_pretty} {time}|Thu 26 Nov 14:00 UTC>* (in 3 days) unless you choose.`,
    );
    expect(text).toContain(`${verb} on Thu 26 Nov 14:00 UTC unless you choose.`);
  });

  it.each([
    ["notify mode", { mode: "notify", timeoutAction: "delete" }],
    ["timeout action none", { mode: "enforce", timeoutAction: "none" }],
  ] as const)("%s: nothing happens automatically", (_, overrides) => {
    const { blocks, text } = buildNotice(input(overrides));

    expect(allText(blocks)).toContain("Nothing happens automatically; this is a notice.");
    expect(allText(blocks)).not.toMatch(/Deletes on|Stops on/);
    expect(text).toContain("Nothing happens automatically.");
  });

  it("a protected resource won't be touched automatically, and says why", () => {
    const { blocks } = buildNotice(input({ protectedFromTimeout: "tagged environment=production" }));

    expect(allText(blocks)).toContain("It won't be touched automatically: tagged environment=production.");
    expect(allText(blocks)).not.toContain("Deletes on");
  });

  it("says how to stop it: Keep, or the protect tag", () => {
    const words = allText(buildNotice(input({ protectTag: "janitor:protect" })).blocks);

    expect(words).toContain("press *Keep*");
    expect(words).toContain("`janitor:protect`");
  });

  it("offers Approve (with a confirm saying what it does), Snooze choices, Keep and the console link", () => {
    const { blocks } = buildNotice(input());
    const approve = element(blocks, "janitor.approve");
    const snooze = element(blocks, "janitor.snooze");
    const link = element(blocks, "janitor.open_console");

    expect(actionIds(blocks)).toEqual([
      "janitor.approve",
      "janitor.snooze",
      "janitor.keep",
      "janitor.open_console",
    ]);
    expect(approve).toMatchObject({ style: "primary", value: "d-3f9a1c2b4e5d6f70" });
    expect(JSON.stringify(approve.confirm)).toContain(
      "Deletes SageMaker endpoint churn-model-legacy in us-east-1 now",
    );
    expect(JSON.stringify(approve.confirm)).toContain("saved first, so it can be restored");
    expect(snooze.type).toBe("static_select");
    expect(
      (snooze.options as { text: { text: string }; value: string }[]).map((o) => [o.text.text, o.value]),
    ).toEqual([
      ["Snooze 7 days", "d-3f9a1c2b4e5d6f70:7"],
      ["Snooze 1 day", "d-3f9a1c2b4e5d6f70:1"],
      ["Snooze 30 days", "d-3f9a1c2b4e5d6f70:30"],
    ]);
    expect(link.url).toBe(input().consoleUrl);
  });

  it("in notify mode there is nothing to approve: no Approve button", () => {
    const { blocks } = buildNotice(input({ mode: "notify" }));

    expect(actionIds(blocks)).toEqual(["janitor.snooze", "janitor.keep", "janitor.open_console"]);
  });

  it("buttons carry only the decision id, well under Slack's 2,000 characters", () => {
    const { blocks } = buildNotice(input());
    const values = interactiveValues(blocks);

    expect(values.length).toBeGreaterThanOrEqual(5);
    for (const v of values) {
      expect(v).toMatch(/^d-3f9a1c2b4e5d6f70(:\d+)?$/);
      expect(v.length).toBeLessThanOrEqual(2000);
    }
    expect(JSON.stringify(blocks)).not.toContain("taskToken");
  });

  it("refuses a decision id that could not be a button value", () => {
    expect(() => buildNotice(input({ decisionId: "x".repeat(65) }))).toThrow(RangeError);
    expect(() => buildNotice(input({ decisionId: "a:b" }))).toThrow(RangeError);
  });

  it("escapes what it did not write: a tag value cannot ping a channel", () => {
    const finding = sampleFinding("x", { owner: { team: "<!channel>" }, reason: "a & b <script>" });
    const words = allText(buildNotice(input({ finding, ownerMention: undefined })).blocks);

    expect(words).toContain("team &lt;!channel&gt;");
    expect(words).toContain("a &amp; b &lt;script&gt;");
    expect(words).not.toContain("<!channel>");
  });

  it("formats dollars like people read them", () => {
    const cheap = sampleFinding("x", { monthlyCostUsd: 42.5 });
    const dear = sampleFinding("y", { monthlyCostUsd: 15_312.4 });

    expect(allText(buildNotice(input({ finding: cheap })).blocks)).toContain("$42.50 per month");
    expect(allText(buildNotice(input({ finding: dear })).blocks)).toContain("$15,312 per month");
  });

  it("keeps every text within Slack's limits for long ids", () => {
    const finding = sampleFinding("e".repeat(63), { reason: "r".repeat(5000) });
    const { blocks, text } = buildNotice(input({ finding }));
    const header = blocks[0] as { text: { text: string } };

    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(text.length).toBeLessThanOrEqual(3000);
    for (const b of blocks as { type: string; text?: { text: string } }[]) {
      if (b.type === "section" && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
  });
});

describe("buildReminder", () => {
  it("is the one final reminder: the deadline counted down, the same choices", () => {
    const reminder = buildReminder(input({ now: new Date("2026-11-25T14:00:00Z") }));

    expect(reminder.text).toMatch(/^Reminder: /);
    expect(allText(reminder.blocks)).toContain(
      "Deletes in 24 hours* (<!date^1795701600^{date_short_pretty} {time}|Thu 26 Nov 14:00 UTC>) unless you choose.",
    );
    expect(actionIds(reminder.blocks)).toEqual(actionIds(buildNotice(input()).blocks));
  });
});
