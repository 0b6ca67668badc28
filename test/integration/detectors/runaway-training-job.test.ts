/**
 * Whole-policy test: a `runaway-training-job` policy run by the real scan against the demo
 * account in the sandbox. Training jobs come from one filtered Search; processing jobs from
 * ListProcessingJobs plus one Describe and one ListTags per job in progress.
 */
import { describe, expect, it } from "vitest";
import { scanWithPolicies, useDemoAccount } from "../../fixtures/policy-scan.ts";

const account = useDemoAccount();
const POLICY = "  - { name: runaway-training-jobs, type: runaway-training-job }\n";

describe("runaway-training-job on the demo account", () => {
  it("flags the 11-day fine-tune (≈ $15.5k so far) and the stuck backfill, not the young or finished jobs", async () => {
    const report = await scanWithPolicies(account, POLICY);

    expect(report.errors).toEqual([]);
    const byId = new Map(report.findings.map((f) => [f.resource.id, f]));
    expect([...byId.keys()].sort()).toEqual(["feature-backfill-2024", "llm-finetune-overnight"]);

    const finetune = byId.get("llm-finetune-overnight")!;
    expect(finetune).toMatchObject({
      proposedAction: "stop",
      confidence: "high",
      owner: { email: "sam@example.com", team: "nlp" },
      resource: {
        type: "sagemaker:training-job",
        arn: "arn:aws:sagemaker:us-east-1:123456789012:training-job/llm-finetune-overnight",
      },
      evidence: {
        instances: [{ instanceType: "ml.p3.8xlarge", instanceCount: 4 }],
        costPerFurtherDayUsd: 1410.05,
        managedSpotAdvice: expect.any(Object),
      },
    });
    const soFar = finetune.evidence.costSoFarUsd as number;
    expect(soFar).toBeGreaterThan(15_450);
    expect(soFar).toBeLessThan(15_550);
    expect(finetune.monthlyCostUsd).toBeCloseTo(4 * 14.688 * 730, 0);

    const backfill = byId.get("feature-backfill-2024")!;
    expect(backfill).toMatchObject({
      proposedAction: "stop",
      resource: { type: "sagemaker:processing-job" },
      owner: { email: "dev@example.com", team: "growth" },
      evidence: {
        maxRuntimeInSeconds: null,
        instances: [{ instanceType: "ml.m5.4xlarge", instanceCount: 4 }],
      },
    });
    expect(backfill.reason).toContain("no stopping condition");
  });

  it("lists training jobs with one Search and describes only the processing job in progress", async () => {
    await scanWithPolicies(account, POLICY);
    expect(account.sandbox.counts()).toEqual({
      "STS.GetCallerIdentity": 1,
      "SageMaker.Search": 1,
      "SageMaker.ListProcessingJobs": 1,
      "SageMaker.DescribeProcessingJob": 1,
      "SageMaker.ListTags": 1,
    });
  });

  it("with a 1-hour limit also flags the 2-hour-old job", async () => {
    const report = await scanWithPolicies(
      account,
      "  - name: tight\n    type: runaway-training-job\n    params: { maxRuntimeHours: 1, jobKinds: [training] }\n",
    );
    expect(report.findings.map((f) => f.resource.id).sort()).toEqual([
      "llm-finetune-overnight",
      "resnet50-quick-eval",
    ]);
  });
});
