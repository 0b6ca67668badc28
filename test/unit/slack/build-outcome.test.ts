import { describe, expect, it } from "vitest";
import { buildOutcome } from "../../../shared/slack/blocks/build-outcome.ts";
import type { OutcomeInput } from "../../../shared/slack/blocks/types.ts";
import { sampleFinding } from "../../fixtures/findings.ts";
import { actionIds, allText, element, interactiveValues } from "./block-helpers.ts";

const finding = sampleFinding("churn-model-legacy");

function outcome(overrides: Partial<OutcomeInput>): OutcomeInput {
  return { finding, outcome: "approved", decisionId: "d-3f9a1c2b4e5d6f70", ...overrides };
}

describe("buildOutcome", () => {
  it("approved delete: who decided, what was done, dollars saved, and a Restore button", () => {
    const { blocks, text } = buildOutcome(
      outcome({ actor: "U04ANA0001", actionTaken: "delete", savedMonthlyUsd: 1026.72, undoAvailable: true }),
    );
    const words = allText(blocks);

    expect(words).toContain("<@U04ANA0001> approved: *Deleted SageMaker endpoint `churn-model-legacy`*.");
    expect(words).toContain("*Saves*\n$1,027 per month");
    expect(words).toContain("*Decided by*\n<@U04ANA0001>");
    expect(text).toContain("Saves $1,027 per month.");
    expect(actionIds(blocks)).toEqual(["janitor.restore"]);
    expect(element(blocks, "janitor.restore")).toMatchObject({ value: "d-3f9a1c2b4e5d6f70" });
    expect(JSON.stringify(element(blocks, "janitor.restore").confirm)).toContain(
      "from its saved configuration",
    );
  });

  it("no Restore without an undo record, and none after a stop", () => {
    const noUndo = buildOutcome(outcome({ actor: "U1AAA", actionTaken: "delete", undoAvailable: false }));
    const stopped = buildOutcome(outcome({ actor: "U1AAA", actionTaken: "stop", undoAvailable: true }));

    expect(actionIds(noUndo.blocks)).toEqual([]);
    expect(actionIds(stopped.blocks)).toEqual([]);
  });

  it.each([
    [
      "snoozed",
      { actor: "U04ANA0001", snoozedUntil: new Date("2026-11-30T14:00:00Z") },
      "snoozed SageMaker endpoint `churn-model-legacy` until *<!date^1796047200^{date_short_pretty} {time}|Mon 30 Nov 14:00 UTC>*",
    ],
    [
      "kept",
      { actor: "U04ANA0001", reason: "demo on Friday" },
      "is keeping SageMaker endpoint `churn-model-legacy`",
    ],
    [
      "timeout",
      { actor: "janitor", actionTaken: "stop", savedMonthlyUsd: 500 },
      "No answer by the deadline: *Stopped SageMaker endpoint",
    ],
    ["timeout", { actor: "janitor", actionTaken: "none" }, "No answer by the deadline; nothing was done"],
    [
      "cancelled",
      { actor: "janitor", detail: "Activity since the notice: 42 invocations on 25 Nov." },
      "*Action cancelled*: Activity since the notice: 42 invocations on 25 Nov. Nothing was done",
    ],
    [
      "failed",
      { actor: "janitor", detail: "AccessDenied on DeleteEndpoint" },
      "*Could not finish* on SageMaker endpoint `churn-model-legacy`: AccessDenied on DeleteEndpoint",
    ],
    ["restored", { actor: "U04ANA0001" }, "<@U04ANA0001> restored SageMaker endpoint `churn-model-legacy`"],
    [
      "skipped",
      { actor: "janitor", detail: "blast-radius cap of 5 reached this run" },
      "*Skipped*: blast-radius cap of 5 reached this run",
    ],
  ] as const)("%s says what happened", (kind, overrides, expected) => {
    const { blocks } = buildOutcome(outcome({ outcome: kind, ...overrides }));

    expect(allText(blocks)).toContain(expected);
    expect(actionIds(blocks)).toEqual([]);
  });

  it("no dollars saved when nothing was done", () => {
    const words = allText(buildOutcome(outcome({ outcome: "cancelled", savedMonthlyUsd: 1000 })).blocks);

    expect(words).not.toContain("Saves");
  });

  it("quotes the keep reason escaped, so it cannot mention anyone", () => {
    const words = allText(
      buildOutcome(outcome({ outcome: "kept", actor: "U04ANA0001", reason: "<!channel> demo\nnext week" }))
        .blocks,
    );

    expect(words).toContain(">&lt;!channel&gt; demo\n>next week");
    expect(words).not.toContain("<!channel>");
  });

  it("a Restore button carries only the decision id", () => {
    const { blocks } = buildOutcome(
      outcome({ actor: "janitor", outcome: "timeout", actionTaken: "delete", undoAvailable: true }),
    );

    expect(interactiveValues(blocks)).toEqual(["d-3f9a1c2b4e5d6f70"]);
  });
});
