/**
 * Whole-policy test: an `idle-studio-app` policy run by the real scan against the demo account
 * in the sandbox. Listing calls once per kind, a Describe per domain and per user profile (their
 * idle-shutdown settings are only there), one Tagging walk per kind, one GetMetricData.
 */
import { describe, expect, it } from "vitest";
import { AwsClients } from "../../../shared/aws/clients.ts";
import { parseConfig } from "../../../shared/policy/load-config.ts";
import { runScan } from "../../../shared/scan/run-scan.ts";
import { scanWithPolicies, useDemoAccount } from "../../fixtures/policy-scan.ts";

const account = useDemoAccount();
const POLICY = `  - name: idle-studio-apps
    type: idle-studio-app
    mode: notify
    params: { idleHours: 24, maxOffHours: 12, timezone: UTC, recommendIdleShutdown: true }
`;

describe("idle-studio-app on the demo account", () => {
  it("flags the weekend JupyterLab app and the domain without idle shutdown, none of the traps", async () => {
    const report = await scanWithPolicies(account, POLICY);

    expect(report.errors).toEqual([]);
    const byId = new Map(report.findings.map((f) => [f.resource.id, f]));
    expect([...byId.keys()].sort()).toEqual([
      "d-researchteam",
      "d-researchteam/ana-gpu-space/JupyterLab/default",
    ]);

    const lab = byId.get("d-researchteam/ana-gpu-space/JupyterLab/default")!;
    expect(lab).toMatchObject({
      detector: "idle-studio-app",
      confidence: "medium",
      proposedAction: "delete",
      owner: { email: "ana@example.com", team: "research" },
      resource: {
        type: "sagemaker:app",
        arn: "arn:aws:sagemaker:us-east-1:123456789012:app/d-researchteam/ana-gpu-space/jupyterlab/default",
      },
      evidence: {
        source: "off-hours-policy",
        domainId: "d-researchteam",
        spaceName: "ana-gpu-space",
        appType: "JupyterLab",
        appName: "default",
        instanceType: "ml.g5.2xlarge",
      },
    });
    expect(lab.monthlyCostUsd).toBeCloseTo(1.515 * 730, 2);

    expect(byId.get("d-researchteam")).toMatchObject({
      resource: {
        type: "sagemaker:domain",
        arn: "arn:aws:sagemaker:us-east-1:123456789012:domain/d-researchteam",
      },
      proposedAction: "review",
      monthlyCostUsd: 0,
      owner: { email: "platform@example.com", team: "research" },
      evidence: {
        appTypesWithoutIdleShutdown: ["JupyterLab", "CodeEditor"],
        runningAppsWithoutIdleShutdown: [
          { app: "d-researchteam/ana-gpu-space/JupyterLab/default", instanceType: "ml.g5.2xlarge" },
        ],
      },
    });
    // Traps: the domain with idle shutdown, KernelGateway/JupyterServer on `system`, the busy Code Editor.
    expect(byId.has("d-platformteam")).toBe(false);
    expect(report.findings.some((f) => String(f.resource.id).includes("legacy-user"))).toBe(false);
    expect(report.findings.some((f) => String(f.resource.id).includes("ben-code"))).toBe(false);
  });

  it("makes a bounded number of calls: a Describe per domain and per profile, nothing per app", async () => {
    // Fresh clients: a new container asks STS for the account once more (app and space ARNs need it).
    const clients = new AwsClients({ region: "us-east-1" });
    try {
      account.sandbox.resetCounts();
      const config = parseConfig(`version: 1\npolicies:\n${POLICY}`);
      await runScan({ config, clients, now: account.now });
    } finally {
      clients.destroy();
    }
    expect(account.sandbox.counts()).toEqual({
      "STS.GetCallerIdentity": 2,
      "SageMaker.ListApps": 1,
      "SageMaker.ListDomains": 1,
      "SageMaker.DescribeDomain": 2,
      "SageMaker.ListUserProfiles": 1,
      "SageMaker.DescribeUserProfile": 3,
      "SageMaker.ListSpaces": 1,
      "Tagging.GetResources": 4,
      "CloudWatch.GetMetricData": 1,
    });
  });

  it("shares one GetMetricData call with idle-notebook when both policies run", async () => {
    await scanWithPolicies(account, `${POLICY}  - { name: idle-notebooks, type: idle-notebook }\n`);
    expect(account.sandbox.counts()["CloudWatch.GetMetricData"]).toBe(1);
  });
});
