import { describe, expect, it } from "vitest";
import { buildNotice } from "../../../shared/slack/blocks/build-notice.ts";
import { buildOutcome } from "../../../shared/slack/blocks/build-outcome.ts";
import type { Finding } from "../../../shared/types.ts";
import { sampleFinding } from "../../fixtures/findings.ts";
import { actionIds, allText, element } from "./block-helpers.ts";

const bucket: Finding = sampleFinding("x", {
  detector: "s3-no-lifecycle",
  resource: {
    type: "s3:bucket",
    id: "ml-experiments",
    arn: "arn:aws:s3:::ml-experiments",
    region: "us-east-1",
    tags: {},
  },
  reason: "ml-experiments keeps 160 GiB of ML artifacts with no lifecycle rule",
  evidence: {},
  monthlyCostUsd: 2.89,
  proposedAction: "configure",
});
const uploads: Finding = {
  ...bucket,
  detector: "s3-stale-multipart",
  resource: { ...bucket.resource, type: "s3:multipart-uploads" },
  proposedAction: "delete",
};
const DECISION = "d-3f9a1c2b4e5d6f70";

describe("Slack wording of the S3 lifecycle actions", () => {
  it("offers Configure on an enforce notice and says the previous configuration is kept", () => {
    const { blocks } = buildNotice({
      finding: bucket,
      policyName: "ml-lifecycle",
      mode: "enforce",
      timeoutAction: "configure",
      decisionId: DECISION,
      deadline: new Date("2026-11-26T14:00:00Z"),
      now: new Date("2026-11-23T14:00:00Z"),
      snoozeDays: [7],
      consoleUrl: "https://s3.console.aws.amazon.com/s3/buckets/ml-experiments",
    });
    const confirm = JSON.stringify(element(blocks, "janitor.approve").confirm);
    expect(confirm).toContain("Configure ml-experiments?");
    expect(confirm).toContain(
      "Configures S3 bucket ml-experiments in us-east-1 now, after a last check that its lifecycle rules have not changed. The previous configuration is saved first, so it can be put back.",
    );
    const words = allText(blocks);
    expect(words).toContain(
      "*Configures on <!date^1795701600^{date_short_pretty} {time}|Thu 26 Nov 14:00 UTC>*",
    );
    // The dollars are what the rules save, not what the bucket costs.
    expect(words).toContain("S3 bucket ml-experiments could save $2.89/month");
    expect(words).toContain("*Could save*\n$2.89 per month");
  });

  it("reports the applied configuration and offers to put the previous one back", () => {
    const { blocks } = buildOutcome({
      finding: bucket,
      outcome: "approved",
      actor: "U04ANA0001",
      actionTaken: "configure",
      savedMonthlyUsd: 2.89,
      undoAvailable: true,
      decisionId: DECISION,
    });
    expect(allText(blocks)).toContain(
      "<@U04ANA0001> approved: *Applied the lifecycle configuration to S3 bucket `ml-experiments`*.",
    );
    expect(actionIds(blocks)).toEqual(["janitor.restore"]);
    expect(JSON.stringify(element(blocks, "janitor.restore").confirm)).toContain(
      "Puts back the lifecycle configuration bucket ml-experiments had before (or none).",
    );
  });

  it("says aborted uploads cannot be restored", () => {
    const { blocks } = buildOutcome({
      finding: uploads,
      outcome: "timeout",
      actionTaken: "delete",
      savedMonthlyUsd: 1,
      undoAvailable: true,
      decisionId: DECISION,
    });
    expect(allText(blocks)).toContain("*Deleted S3 incomplete uploads in bucket `ml-experiments`*");
    expect(JSON.stringify(element(blocks, "janitor.restore").confirm)).toContain(
      "Aborted uploads cannot be restored.",
    );
  });
});
