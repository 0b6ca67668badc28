import { describe, expect, it } from "vitest";
import { wasteTotals } from "../../../shared/scan/totals.ts";
import type { Finding, ProposedAction, ResourceType } from "../../../shared/types.ts";

function f(type: ResourceType, arn: string, action: ProposedAction, usd: number): Finding {
  return {
    id: `${type}:${arn}:${action}`,
    detector: "d",
    policy: "p",
    resource: { type, id: arn, arn, region: "us-east-1", tags: {} },
    owner: {},
    reason: "r",
    evidence: {},
    confidence: "high",
    monthlyCostUsd: usd,
    proposedAction: action,
  };
}

describe("wasteTotals", () => {
  it("counts a resource once, whatever else is said about it", () => {
    const totals = wasteTotals([
      f("sagemaker:endpoint", "arn:e", "delete", 500),
      f("sagemaker:endpoint", "arn:e", "tag", 500),
      f("sagemaker:endpoint", "arn:e", "delete", 300),
    ]);
    expect(totals).toEqual({ wasteMonthlyUsd: 500, recommendationsMonthlyUsd: 0 });
  });

  it("counts a bucket's missing lifecycle and its stale uploads as two wastes", () => {
    const totals = wasteTotals([
      f("s3:bucket", "arn:aws:s3:::b", "configure", 12.5),
      f("s3:multipart-uploads", "arn:aws:s3:::b", "delete", 4.14),
      f("s3:bucket", "arn:aws:s3:::b", "tag", 99),
    ]);
    expect(totals.wasteMonthlyUsd).toBe(16.64);
  });

  it("totals recommendations apart", () => {
    const totals = wasteTotals([
      f("sagemaker:domain", "arn:d", "review", 40),
      f("ec2:volume", "arn:v", "delete", 10),
    ]);
    expect(totals).toEqual({ wasteMonthlyUsd: 10, recommendationsMonthlyUsd: 40 });
  });
});
