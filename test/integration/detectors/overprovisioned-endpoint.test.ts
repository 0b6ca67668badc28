/**
 * Whole-policy test: an `overprovisioned-endpoint` policy run by the real scan against the demo
 * account in the sandbox, alone and next to `idle-endpoint` (no endpoint reported by both; the
 * traffic series they share are fetched once).
 */
import { describe, expect, it } from "vitest";
import { scanWithPolicies, useDemoAccount } from "../../fixtures/policy-scan.ts";

const account = useDemoAccount();
const POLICY = "  - { name: overprovisioned-endpoints, type: overprovisioned-endpoint, mode: report }\n";

describe("overprovisioned-endpoint on the demo account", () => {
  it("proposes ml.g5.xlarge for the quiet ml.g5.2xlarge endpoint, and nothing else", async () => {
    const report = await scanWithPolicies(account, POLICY);

    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => f.resource.id)).toEqual(["doc-classifier"]);
    const f = report.findings[0]!;
    expect(f).toMatchObject({
      proposedAction: "review",
      confidence: "high",
      owner: { email: "maria@example.com", team: "risk" },
    });
    expect(f.monthlyCostUsd).toBeCloseTo((1.515 - 1.408) * 730, 1);
    const [variant] = f.evidence.variants as Array<{
      proposedInstanceType: string;
      cpu: { p95: number };
      invocations: number;
    }>;
    expect(variant!.proposedInstanceType).toBe("ml.g5.xlarge");
    expect(variant!.cpu.p95).toBeGreaterThan(3);
    expect(variant!.cpu.p95).toBeLessThanOrEqual(4.2);
    expect(variant!.invocations).toBeGreaterThan(0);
  });

  it("reports no endpoint twice next to idle-endpoint, and fetches their shared traffic once", async () => {
    const report = await scanWithPolicies(
      account,
      `${POLICY}  - { name: idle-endpoints, type: idle-endpoint }\n`,
    );
    expect(report.errors).toEqual([]);
    const idle = report.findings.filter((f) => f.detector === "idle-endpoint").map((f) => f.resource.id);
    const over = report.findings
      .filter((f) => f.detector === "overprovisioned-endpoint")
      .map((f) => f.resource.id);
    expect(idle.sort()).toEqual(["churn-predictor-legacy", "fraud-scorer-v1", "vision-idle-zeros"]);
    expect(over).toEqual(["doc-classifier"]);
    // The idle ones are listed as not judged here, with the reason.
    expect(report.undetermined).toContainEqual({
      detector: "overprovisioned-endpoint",
      reason: "fewer than 1 invocation in the window: idle, idle-endpoint's case",
      count: 3,
    });
    expect(account.sandbox.counts()).toEqual({
      "STS.GetCallerIdentity": 1,
      "SageMaker.Search": 1,
      "SageMaker.DescribeEndpointConfig": 9,
      "CloudWatch.GetMetricData": 1,
    });
  });
});
