import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MalformedRequestError } from "../../../shared/errors.ts";
import { parseInteraction } from "../../../shared/slack/parse-interaction.ts";

type Json = Record<string, unknown>;

/** A fresh copy of a sample payload from events/slack (tests change them). */
function sample(name: string): Json {
  return JSON.parse(
    readFileSync(new URL(`../../../events/slack/${name}.json`, import.meta.url), "utf8"),
  ) as Json;
}

function body(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function malformed(raw: string): string {
  try {
    parseInteraction(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedRequestError);
    return (err as Error).message;
  }
  throw new Error("expected a MalformedRequestError");
}

const DECISION = "d-3f9a1c2b4e5d6f70";
const WHERE = {
  userId: "U04ANA0001",
  userName: "ana",
  teamId: "T0123ABCD",
  channelId: "D06ANA0001",
  messageTs: "1795442400.001200",
  responseUrl: "https://hooks.slack.com/actions/T0123ABCD/8112345678901/kPz4m1QxYwVbN3sLhR7tGd2e",
  triggerId: "8112345678901.7012345678901.2f1e0d9c8b7a6f5e4d3c2b1a09f8e7d6",
};

describe("parseInteraction", () => {
  it.each([
    ["block-actions-approve", { action: "approve" }],
    ["block-actions-keep", { action: "keep" }],
    ["block-actions-restore", { action: "restore" }],
    ["block-actions-snooze", { action: "snooze", snoozeDays: 7 }],
  ])("reads %s", (name, expected) => {
    expect(parseInteraction(body(sample(name)))).toEqual({
      kind: "action",
      decisionId: DECISION,
      ...WHERE,
      ...expected,
    });
  });

  it("reads a cost anomaly's 'Expected spend' click as acknowledge, carrying the anomaly id", () => {
    const payload = sample("block-actions-approve");
    const actions = payload.actions as Json[];
    actions[0] = { ...actions[0], action_id: "janitor.ack_anomaly", value: "a-0123456789abcdef" };
    expect(parseInteraction(body(payload))).toMatchObject({
      kind: "action",
      action: "acknowledge",
      decisionId: "a-0123456789abcdef",
    });
  });

  it("reads the keep reason from the modal submission", () => {
    expect(parseInteraction(body(sample("view-submission-keep-reason")))).toEqual({
      kind: "keep_reason",
      decisionId: DECISION,
      reason: "Customer demo on Friday; traffic starts next week.",
      userId: "U04ANA0001",
      teamId: "T0123ABCD",
    });
  });

  it("acknowledges the console link click without acting on it", () => {
    const p = sample("block-actions-approve");
    p.actions = [
      { action_id: "janitor.open_console", block_id: "janitor.decide", type: "button", value: DECISION },
    ];

    expect(parseInteraction(body(p))).toEqual({
      kind: "noop",
      actionId: "janitor.open_console",
      userId: "U04ANA0001",
    });
  });

  it("takes the team from the user on an org-wide install (team: null)", () => {
    const p = sample("block-actions-approve");
    p.team = null;

    expect(parseInteraction(body(p))).toMatchObject({ teamId: "T0123ABCD" });
  });

  it("reads a snooze sent from an overflow menu too", () => {
    const p = sample("block-actions-snooze");
    p.actions = [
      { type: "overflow", action_id: "janitor.snooze", selected_option: { value: `${DECISION}:30` } },
    ];

    expect(parseInteraction(body(p))).toMatchObject({ action: "snooze", snoozeDays: 30 });
  });

  describe("rejects what it cannot act on", () => {
    it.each([
      ["no payload field", "foo=bar", "body has no payload field"],
      ["bad JSON", "payload=%7Bnot-json", "payload is not valid JSON"],
      ["a JSON array", body([1, 2]), "payload is not a JSON object"],
      ["a shortcut", body({ type: "shortcut", callback_id: "x" }), 'unsupported interaction type "shortcut"'],
      ["no type", body({ user: { id: "U1" } }), "unsupported interaction type null"],
    ])("%s", (_, raw, message) => {
      expect(malformed(raw)).toBe(message);
    });

    it("an unknown action_id", () => {
      const p = sample("block-actions-approve");
      (p.actions as Json[])[0]!.action_id = "janitor.delete_everything";

      expect(malformed(body(p))).toBe('unknown action_id "janitor.delete_everything"');
    });

    it("a button without a value, or with something that is not a decision id", () => {
      const missing = sample("block-actions-approve");
      delete (missing.actions as Json[])[0]!.value;
      const token = sample("block-actions-approve");
      (token.actions as Json[])[0]!.value = "AAAAKgAAAAIAAAAAAAAAA".repeat(100);

      expect(malformed(body(missing))).toBe("janitor.approve value is missing");
      expect(malformed(body(token))).toBe("janitor.approve value is not a decision id");
    });

    it("an approve that does not come from a button", () => {
      const p = sample("block-actions-approve");
      (p.actions as Json[])[0]!.type = "static_select";

      expect(malformed(body(p))).toBe("janitor.approve must come from a button, not a static_select");
    });

    it.each(["d-1:0", "d-1:366", "d-1:7.5", "d-1:-7", "d-1", ":7", "d-1:x"])(
      "the snooze value %j",
      (value) => {
        const p = sample("block-actions-snooze");
        (p.actions as Json[])[0]!.selected_option = { value };

        expect(malformed(body(p))).toMatch(/snooze/);
      },
    );

    it("a payload without a user id", () => {
      const p = sample("block-actions-approve");
      p.user = { name: "ana" };

      expect(malformed(body(p))).toBe(
        "unusable block_actions payload: payload.user.id: Invalid input: expected string, received undefined",
      );
    });

    it("an empty actions list", () => {
      const p = sample("block-actions-approve");
      p.actions = [];

      expect(malformed(body(p))).toContain("payload.actions: no action in the payload");
    });

    it("a view from another callback, an empty reason, a missing input, a bad decision id", () => {
      const other = sample("view-submission-keep-reason");
      (other.view as Json).callback_id = "someone.else";
      const blank = sample("view-submission-keep-reason");
      (
        blank.view as { state: { values: { keep_reason: { reason: Json } } } }
      ).state.values.keep_reason.reason.value = "  \n ";
      const noInput = sample("view-submission-keep-reason");
      (noInput.view as { state: Json }).state = { values: {} };
      const badId = sample("view-submission-keep-reason");
      (badId.view as Json).private_metadata = '{"taskToken":"…"}';

      expect(malformed(body(other))).toBe('unknown view callback_id "someone.else"');
      expect(malformed(body(blank))).toBe("the keep reason is empty");
      expect(malformed(body(noInput))).toBe("view state has no keep_reason.reason input");
      expect(malformed(body(badId))).toBe("view private_metadata is not a decision id");
    });

    it("a payload with neither team nor user team", () => {
      const p = sample("block-actions-approve");
      p.team = null;
      p.user = { id: "U04ANA0001" };

      expect(malformed(body(p))).toBe("payload has neither team.id nor user.team_id");
    });
  });
});
