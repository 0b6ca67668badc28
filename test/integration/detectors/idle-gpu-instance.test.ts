/**
 * Whole-policy test: an `idle-gpu-instance` policy run by the real scan against the demo account
 * in the sandbox. GPU series are discovered with ListMetrics (one sweep per metric name, not per
 * instance) and every metric goes through the one batched GetMetricData pass.
 */
import { describe, expect, it } from "vitest";
import { scanWithPolicies, useDemoAccount } from "../../fixtures/policy-scan.ts";

const account = useDemoAccount();

describe("idle-gpu-instance on the demo account", () => {
  it("flags the idle GPU boxes, with and without agent GPU metrics, and none of the traps", async () => {
    const report = await scanWithPolicies(
      account,
      "  - { name: idle-gpu-instances, type: idle-gpu-instance }\n",
    );

    expect(report.errors).toEqual([]);
    const byId = new Map(report.findings.map((f) => [f.resource.id, f]));
    expect([...byId.keys()].sort()).toEqual(["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60003"]);

    const withAgent = byId.get("i-0a1b2c3d4e5f60003")!;
    expect(withAgent).toMatchObject({
      confidence: "high",
      proposedAction: "stop",
      owner: { email: "priya@example.com", team: "nlp" },
      resource: {
        type: "ec2:instance",
        arn: "arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60003",
      },
    });
    expect(withAgent.evidence).toMatchObject({ gpuMetrics: "present", gpuBusiestHourPercent: 0 });
    expect(withAgent.evidence.gpuMemoryUsedPeakMiB).toBeGreaterThan(400);
    expect((withAgent.evidence.gpuSeries as unknown[]).length).toBe(12);
    expect(withAgent.monthlyCostUsd).toBeCloseTo(5.672 * 730, 1);

    // The demo's original GPU dev box: busy two weeks ago, idle for the last 10 days, no agent.
    const cpuOnly = byId.get("i-0a1b2c3d4e5f60001")!;
    expect(cpuOnly.confidence).toBe("medium");
    expect(cpuOnly.evidence).toMatchObject({ gpuMetrics: "absent" });
    expect(cpuOnly.monthlyCostUsd).toBeCloseTo(1.212 * 730, 1);

    // The busy p3.2xlarge is judged and left alone; the two-day-old g6 is not judged.
    expect(byId.has("i-0a1b2c3d4e5f60002")).toBe(false);
    expect(report.undetermined).toEqual([
      {
        detector: "idle-gpu-instance",
        reason: "started recently, less than the 7-day minimum age",
        count: 1,
      },
    ]);
  });

  it("makes bulk calls only: one listing, one ListMetrics sweep per GPU metric, one GetMetricData", async () => {
    await scanWithPolicies(account, "  - { name: idle-gpu-instances, type: idle-gpu-instance }\n");
    expect(account.sandbox.counts()).toEqual({
      "STS.GetCallerIdentity": 1,
      "EC2.DescribeInstances": 1,
      "CloudWatch.ListMetrics": 3,
      "CloudWatch.GetMetricData": 1,
    });
  });

  it("honours the policy's exclusions (by the Name tag) and says how many it left out", async () => {
    const report = await scanWithPolicies(
      account,
      "  - name: idle-gpu\n    type: idle-gpu-instance\n    exclude: { namePatterns: [llm-eval-*] }\n",
    );
    expect(report.findings.map((f) => f.resource.id)).toEqual(["i-0a1b2c3d4e5f60001"]);
    expect(report.excluded).toEqual([
      { detector: "idle-gpu-instance", reason: "excluded by name pattern llm-eval-*", count: 1 },
    ]);
  });
});
