/**
 * Whole-policy test: an `unattached-volume` policy run by the real scan against the demo account
 * in the sandbox: one DescribeVolumes page, one batched GetMetricData for the attachment check.
 */
import { describe, expect, it } from "vitest";
import { scanWithPolicies, useDemoAccount } from "../../fixtures/policy-scan.ts";

const account = useDemoAccount();
const POLICY = "  - { name: unattached-volumes, type: unattached-volume }\n";

describe("unattached-volume on the demo account", () => {
  it("flags the long-available volumes, priced by type and size, and none of the traps", async () => {
    const report = await scanWithPolicies(account, POLICY);

    expect(report.errors).toEqual([]);
    const byId = new Map(report.findings.map((f) => [f.resource.id, f]));
    expect([...byId.keys()].sort()).toEqual(["vol-0a1b2c3d4e5f60001", "vol-0a1b2c3d4e5f60002"]);
    expect(byId.get("vol-0a1b2c3d4e5f60001")!.monthlyCostUsd).toBeCloseTo(500 * 0.08, 2);
    expect(byId.get("vol-0a1b2c3d4e5f60002")!.monthlyCostUsd).toBeCloseTo(1000 * 0.1, 2);
    expect(byId.get("vol-0a1b2c3d4e5f60002")).toMatchObject({
      confidence: "high",
      proposedAction: "delete",
      resource: {
        type: "ec2:volume",
        arn: "arn:aws:ec2:us-east-1:123456789012:volume/vol-0a1b2c3d4e5f60002",
      },
      evidence: { ageDays: 40, ageBasis: expect.stringContaining("no AWS/EBS datapoints") },
    });

    // In use (0003): ignored. Detached five days ago (0004, EBS metrics until then) and two days
    // old (0005): not judged, and the report says why.
    expect(report.undetermined.sort((a, b) => a.reason.localeCompare(b.reason))).toEqual([
      {
        detector: "unattached-volume",
        reason: "attached to a running instance recently (AWS/EBS datapoints), inside the 14-day window",
        count: 1,
      },
      { detector: "unattached-volume", reason: "created recently, less than the 14-day minimum", count: 1 },
    ]);
  });

  it("makes one listing call and one GetMetricData call, nothing per volume", async () => {
    await scanWithPolicies(account, POLICY);
    expect(account.sandbox.counts()).toEqual({
      "STS.GetCallerIdentity": 1,
      "EC2.DescribeVolumes": 1,
      "CloudWatch.GetMetricData": 1,
    });
  });

  it("on createTime alone flags the recently detached volume too, with medium confidence", async () => {
    const report = await scanWithPolicies(
      account,
      "  - name: by-age\n    type: unattached-volume\n    params: { confirmWithMetrics: false }\n",
    );
    const ids = report.findings.map((f) => f.resource.id).sort();
    expect(ids).toEqual(["vol-0a1b2c3d4e5f60001", "vol-0a1b2c3d4e5f60002", "vol-0a1b2c3d4e5f60004"]);
    expect(report.findings.every((f) => f.confidence === "medium")).toBe(true);
    expect(account.sandbox.counts()["CloudWatch.GetMetricData"]).toBeUndefined();
  });
});
