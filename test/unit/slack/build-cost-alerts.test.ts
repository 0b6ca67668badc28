import { describe, expect, it } from "vitest";
import { ACTION } from "../../../shared/slack/action-ids.ts";
import { buildBudgetAlert } from "../../../shared/slack/blocks/build-budget-alert.ts";
import { buildCostAnomaly } from "../../../shared/slack/blocks/build-cost-anomaly.ts";
import { allText } from "./block-helpers.ts";

describe("cost alert builders", () => {
  it("anomaly: expected vs actual, impact, drivers with owners, ack button with the short id", () => {
    const m = buildCostAnomaly({
      id: "ada4b02c59b5",
      subject: "Amazon SageMaker",
      firstDate: "2026-11-12",
      date: "2026-11-22",
      actualUsd: 2247,
      expectedUsd: 811,
      impactSoFarUsd: 15_510,
      ownerMentions: { "sam@example.com": "<@U0SAM>" },
      drivers: [
        {
          usageType: "USE1-Train:ml.p3.8xlarge",
          actualUsd: 1410,
          expectedUsd: 0,
          excessUsd: 1410,
          tags: { team: "nlp" },
          resources: [
            {
              kind: "training-job",
              name: "llm-finetune-overnight",
              instanceType: "ml.p3.8xlarge",
              instanceCount: 4,
              owner: "sam@example.com",
              tags: {},
            },
          ],
        },
      ],
      findingUrl: "https://example.com/f/1",
    });
    expect(m.text).toBe("Cost anomaly: Amazon SageMaker $2,247 on 2026-11-22 vs $811 expected (+$1,436/day)");
    const json = JSON.stringify(m.blocks);
    expect(json).toContain("$15,510");
    expect(json).toContain("llm-finetune-overnight");
    expect(json).toContain("<@U0SAM>");
    const actions = m.blocks.find((b) => b.type === "actions") as unknown as {
      elements: Array<Record<string, unknown>>;
    };
    expect(actions.elements[0]).toMatchObject({ action_id: ACTION.ackAnomaly, value: "ada4b02c59b5" });
    expect(actions.elements[1]).toMatchObject({
      action_id: ACTION.openFinding,
      url: "https://example.com/f/1",
    });
  });

  it("budget: threshold, basis, actual and forecast, mentions", () => {
    const m = buildBudgetAlert({
      budgetName: "team-nlp",
      scopeLabel: "Team nlp",
      month: "2026-11",
      percent: 75,
      basis: "actual",
      budgetUsd: 24_000,
      actualUsd: 18_279,
      forecastUsd: 30_618,
      forecastSource: "own-model",
      mentions: ["<@U0LEAD>"],
      tightening: "idle notebooks of team nlp stop on timeout",
    });
    expect(m.text).toBe("Budget team-nlp: Team nlp has spent 75% of its budget for 2026-11");
    const json = JSON.stringify(m.blocks);
    for (const s of ["$24,000", "$18,279 (76%)", "$30,618 (128%)", "<@U0LEAD>", "janitor's daily model"]) {
      expect(json).toContain(s);
    }
  });

  it("anomaly with resource-level data: each billed resource's cost that day and its ARN", () => {
    const arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/llm-finetune-overnight";
    const m = buildCostAnomaly({
      id: "a1",
      subject: "Amazon SageMaker",
      firstDate: "2026-11-12",
      date: "2026-11-22",
      actualUsd: 2247,
      expectedUsd: 811,
      impactSoFarUsd: 15_510,
      ownerMentions: { "sam@example.com": "<@U0SAM>" },
      drivers: [
        {
          usageType: "USE1-Train:ml.p3.8xlarge",
          actualUsd: 1410,
          expectedUsd: 0,
          excessUsd: 1410,
          tags: { team: "nlp" },
          resources: [
            {
              kind: "training-job",
              name: "llm-finetune-overnight",
              instanceType: "ml.p3.8xlarge",
              instanceCount: 4,
              owner: "sam@example.com",
              tags: {},
              arn,
              costUsd: 1410.05,
            },
            {
              kind: "training-job",
              name: "sweep-07",
              instanceType: "ml.p3.8xlarge",
              tags: {},
              arn: `${arn}-x`,
              costUsd: 30,
            },
          ],
        },
      ],
    });
    const drivers = allText(
      m.blocks.filter((b) => b.type === "section" && JSON.stringify(b).includes("Top drivers")),
    );
    expect(drivers).toContain(
      `training-job \`llm-finetune-overnight\` (4× ml.p3.8xlarge): $1,410 on 2026-11-22 — <@U0SAM>\n      \`${arn}\``,
    );
    expect(drivers).toContain(
      `training-job \`sweep-07\` (ml.p3.8xlarge): $30 on 2026-11-22\n      \`${arn}-x\``,
    );
    expect(allText(m.blocks)).not.toContain("Resource-level");
  });

  it("anomaly without resource-level data says so once", () => {
    const note =
      "Resource-level cost data is unavailable (resource-level data is not enabled in the Cost Explorer settings): resources are matched by instance type.";
    const m = buildCostAnomaly({
      id: "a1",
      subject: "Amazon SageMaker",
      firstDate: "2026-11-22",
      date: "2026-11-22",
      actualUsd: 2247,
      expectedUsd: 811,
      impactSoFarUsd: 1436,
      drivers: [],
      resourceNote: note,
    });
    expect(allText(m.blocks).split(note)).toHaveLength(2);
  });

  it("budget alert states the tightening", () => {
    const m = buildBudgetAlert({
      budgetName: "team-nlp",
      scopeLabel: "Team nlp",
      month: "2026-11",
      percent: 75,
      basis: "actual",
      budgetUsd: 24_000,
      actualUsd: 18_279,
      forecastUsd: 30_618,
      forecastSource: "own-model",
      mentions: [],
      tightening: "idle notebooks of team nlp now stop after 1 day without an answer, until 1 Dec",
    });
    expect(m.blocks.at(-1)).toEqual({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: ":lock: Janitor tightened: idle notebooks of team nlp now stop after 1 day without an answer, until 1 Dec.",
        },
      ],
    });
  });
});
