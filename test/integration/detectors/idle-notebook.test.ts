/**
 * Whole-policy test: an `idle-notebook` policy run by the real scan against the demo account in
 * the sandbox. One ListNotebookInstances page, one Tagging walk, one batched GetMetricData for
 * every heartbeat series: nothing per notebook.
 */
import { describe, expect, it } from "vitest";
import { scanWithPolicies, useDemoAccount } from "../../fixtures/policy-scan.ts";

const account = useDemoAccount();
const POLICY = `  - name: idle-notebooks
    type: idle-notebook
    mode: notify
    params: { idleHours: 24, maxOffHours: 12, timezone: UTC }
    timeoutAction: stop
`;

describe("idle-notebook on the demo account", () => {
  it("flags the weekend notebook (policy) and the idle heartbeat (high), none of the traps", async () => {
    const report = await scanWithPolicies(account, POLICY);

    expect(report.errors).toEqual([]);
    const byId = new Map(report.findings.map((f) => [f.resource.id, f]));
    expect([...byId.keys()].sort()).toEqual(["maria-exploration", "omar-forgotten-gpu"]);

    expect(byId.get("maria-exploration")).toMatchObject({
      detector: "idle-notebook",
      policy: "idle-notebooks",
      confidence: "medium",
      proposedAction: "stop",
      owner: { email: "maria@example.com", team: "risk" },
      resource: {
        type: "sagemaker:notebook-instance",
        arn: "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/maria-exploration",
        tags: { owner: "maria@example.com", team: "risk", project: "fraud" },
      },
      evidence: { source: "off-hours-policy", instanceType: "ml.p3.2xlarge" },
    });
    expect(byId.get("maria-exploration")!.monthlyCostUsd).toBeCloseTo(3.825 * 730, 2);
    const hours = (byId.get("maria-exploration")!.evidence.offHours as { hoursRunningInOffHours: number })
      .hoursRunningInOffHours;
    expect(hours).toBeGreaterThanOrEqual(46);

    expect(byId.get("omar-forgotten-gpu")).toMatchObject({
      confidence: "high",
      evidence: {
        source: "heartbeat",
        heartbeat: { dimensions: { NotebookInstanceName: "omar-forgotten-gpu" }, maxValue: 0, coverage: 1 },
      },
    });
    expect(byId.get("omar-forgotten-gpu")!.monthlyCostUsd).toBeCloseTo(1.408 * 730, 2);

    // Traps: busy heartbeat (nina), started six hours ago (dev-scratch), stopped (old-experiments).
    for (const trap of ["nina-active-research", "dev-scratch", "old-experiments"])
      expect(byId.has(trap)).toBe(false);
  });

  it("makes one call of each kind, nothing per notebook", async () => {
    await scanWithPolicies(account, POLICY);
    expect(account.sandbox.counts()).toEqual({
      "STS.GetCallerIdentity": 1,
      "SageMaker.ListNotebookInstances": 1,
      "Tagging.GetResources": 1,
      "CloudWatch.GetMetricData": 1,
    });
  });

  it("finds the same under throttling", async () => {
    const clean = await scanWithPolicies(account, POLICY);
    account.sandbox.setKnobs({ throttleRate: 0.25, seed: 5 });
    try {
      const throttled = await scanWithPolicies(account, POLICY);
      expect(account.sandbox.counts().throttled).toBeGreaterThan(0);
      expect(throttled.findings.map((f) => [f.id, f.confidence])).toEqual(
        clean.findings.map((f) => [f.id, f.confidence]),
      );
    } finally {
      account.sandbox.setKnobs({ throttleRate: 0 });
    }
  });
});
