import { describe, expect, it } from "vitest";
import { emptyInventory, type TrainingJobInfo } from "../../../shared/detectors/inventory.ts";
import {
  type RunawayTrainingJobParams,
  runawayTrainingJob,
  runawayTrainingJobParams,
} from "../../../shared/detectors/runaway-training-job.ts";
import { context, metricsFrom } from "../../fixtures/endpoints.ts";
import { hoursAgo, job } from "../../fixtures/training-jobs.ts";

const params: RunawayTrainingJobParams = runawayTrainingJobParams.parse(undefined);
const P3_8X = 14.688;

function run(jobs: TrainingJobInfo[], p = params) {
  const ctx = context(p, { policy: "runaway-training-jobs" });
  const inventory = emptyInventory({ trainingJobs: jobs });
  return {
    requests: runawayTrainingJob.metricRequests(inventory, ctx),
    result: runawayTrainingJob.detect(
      inventory,
      metricsFrom(() => undefined),
      ctx,
    ),
  };
}

describe("runaway-training-job", () => {
  it("has the documented defaults and rejects unknown params", () => {
    expect(params).toEqual({
      maxRuntimeHours: 24,
      maxRuntimeLimitHours: 72,
      jobKinds: ["training", "processing"],
    });
    expect(runawayTrainingJobParams.safeParse({ maxHours: 3 }).success).toBe(false);
    expect(runawayTrainingJobParams.safeParse({ jobKinds: ["transform"] }).success).toBe(false);
  });

  it("flags the overnight job on 4 × ml.p3.8xlarge, 11 days in, with its cost so far and per day", () => {
    const { requests, result } = run([job({ createdBy: "Studio user profile sam" })]);

    expect(requests).toEqual([]);
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0]!;
    const hourly = 4 * P3_8X;
    expect(f).toMatchObject({
      detector: "runaway-training-job",
      policy: "runaway-training-jobs",
      confidence: "high",
      proposedAction: "stop",
      owner: { email: "sam@example.com", team: "nlp" },
      resource: { type: "sagemaker:training-job", id: "llm-finetune-overnight" },
    });
    expect(f.monthlyCostUsd).toBeCloseTo(hourly * 730, 1);
    expect(f.evidence).toMatchObject({
      rule: "running longer than maxRuntimeHours",
      hoursSoFar: 264,
      costSoFarUsd: Math.round(hourly * 264 * 100) / 100,
      costPerFurtherDayUsd: Math.round(hourly * 24 * 100) / 100,
      maxRuntimeInSeconds: 28 * 86_400,
      costToLimitUsd: Math.round(hourly * (672 - 264) * 100) / 100,
      managedSpot: false,
      createdBy: "Studio user profile sam",
      priceBasis: "on-demand list price",
      managedSpotAdvice: expect.objectContaining({
        recommendation: expect.stringContaining("managed spot"),
      }),
    });
    expect(f.reason).toBe(
      "training job on 4 × ml.p3.8xlarge running 264 h (policy limit 24 h): $15,511 so far, $1,410 per further day; MaxRuntime 672 h; it checkpoints on demand: consider managed spot",
    );
  });

  it("counts runtime from the start (provisioning is not billed) and is strict at the limit", () => {
    const sane = { maxRuntimeInSeconds: 48 * 3600 };
    expect(
      run([job({ ...sane, creationTime: hoursAgo(30), startTime: hoursAgo(24) })]).result.findings,
    ).toEqual([]);
    const over = run([job({ ...sane, startTime: new Date(hoursAgo(24).getTime() - 60_000) })]);
    expect(over.result.findings).toHaveLength(1);
    expect(over.result.findings[0]!.proposedAction).toBe("stop");
  });

  it("asks for a review of a young job whose stopping condition lets it run away, at $0 a month", () => {
    const young = job({ startTime: hoursAgo(2), creationTime: hoursAgo(2), maxRuntimeInSeconds: 5 * 86_400 });
    const f = run([young]).result.findings[0]!;
    expect(f).toMatchObject({ proposedAction: "review", confidence: "medium", monthlyCostUsd: 0 });
    expect(f.evidence).toMatchObject({
      rule: "stopping condition above maxRuntimeLimitHours",
      costToLimitUsd: Math.round(4 * P3_8X * 118 * 100) / 100,
    });
    expect(f.reason).toMatch(
      /^training job on 4 × ml\.p3\.8xlarge can run away: MaxRuntime 120 h, above the 72 h bound/,
    );
    // At the bound is fine.
    expect(run([job({ ...young, maxRuntimeInSeconds: 72 * 3600 })]).result.findings).toEqual([]);
  });

  it("flags a processing job without any stopping condition, and never advises spot for it", () => {
    const backfill = job({
      name: "feature-backfill",
      kind: "processing",
      instanceType: "ml.m5.4xlarge",
      instanceCount: 4,
      startTime: hoursAgo(30),
      creationTime: hoursAgo(30),
      checkpointS3Uri: undefined,
    });
    delete backfill.maxRuntimeInSeconds;
    const f = run([backfill]).result.findings[0]!;
    expect(f.resource.type).toBe("sagemaker:processing-job");
    expect(f.proposedAction).toBe("stop");
    expect(f.reason).toContain("no stopping condition (MaxRuntimeInSeconds not set)");
    expect(f.evidence).toMatchObject({
      maxRuntimeInSeconds: null,
      costSoFarUsd: Math.round(4 * 0.922 * 30 * 100) / 100,
    });
    expect(f.evidence).not.toHaveProperty("managedSpotAdvice");
    expect(f.evidence).not.toHaveProperty("costToLimitUsd");
  });

  it("treats the on-demand price of a spot job as an upper bound and gives no spot advice", () => {
    const f = run([job({ managedSpot: true })]).result.findings[0]!;
    expect(f.evidence).toMatchObject({ priceBasis: expect.stringContaining("upper bound") });
    expect(f.evidence).not.toHaveProperty("managedSpotAdvice");
    expect(f.reason).not.toContain("consider managed spot");
  });

  it("prices every instance group of a heterogeneous cluster", () => {
    const f = run([
      job({
        instanceGroups: [
          { instanceType: "ml.p3.8xlarge", instanceCount: 2 },
          { instanceType: "ml.c5.4xlarge", instanceCount: 3 },
        ],
      }),
    ]).result.findings[0]!;
    expect(f.monthlyCostUsd).toBeCloseTo((2 * P3_8X + 3 * 0.816) * 730, 1);
    expect(f.reason).toContain("2 × ml.p3.8xlarge + 3 × ml.c5.4xlarge");
  });

  it("says when an instance type has no list price instead of inventing one", () => {
    const f = run([job({ instanceType: "ml.p6.48xlarge" })]).result.findings[0]!;
    expect(f.monthlyCostUsd).toBe(0);
    expect(f.evidence).toMatchObject({ unpricedInstanceTypes: ["ml.p6.48xlarge"] });
    expect(f.reason).not.toContain("$");
  });

  it("does not judge a job still provisioning, and skips jobs that are not in progress", () => {
    const pending = job({ name: "waiting", startTime: undefined, creationTime: hoursAgo(30) });
    const { result } = run([
      pending,
      job({ name: "done", status: "Completed" }),
      job({ name: "s", status: "Stopping" }),
    ]);
    expect(result.findings).toEqual([]);
    expect(result.unknown).toEqual([
      { resource: "waiting", reason: "not started yet (provisioning for 30.0 h, not billed)" },
    ]);
  });

  it("judges only the job kinds the policy names", () => {
    const processing = job({ name: "etl", kind: "processing" });
    const onlyTraining = run([job(), processing], { ...params, jobKinds: ["training"] });
    expect(onlyTraining.result.findings.map((f) => f.resource.id)).toEqual(["llm-finetune-overnight"]);
  });

  it("never reports a protected job and applies tag and name exclusions", () => {
    const ctx = context(params, { exclude: { tags: { sweep: "*" }, namePatterns: ["hpo-*"] } });
    const inventory = emptyInventory({
      trainingJobs: [
        job({ name: "a", tags: { "janitor:protect": "yes" } }),
        job({ name: "b", tags: { sweep: "lr" } }),
        job({ name: "hpo-17" }),
        job({ name: "c" }),
      ],
    });
    const result = runawayTrainingJob.detect(
      inventory,
      metricsFrom(() => undefined),
      ctx,
    );
    expect(result.findings.map((f) => f.resource.id)).toEqual(["c"]);
    expect(result.excluded.map((x) => x.resource)).toEqual(["a", "b", "hpo-17"]);
  });

  it("gives a stable id per job", () => {
    const a = run([job()]).result.findings[0]!.id;
    expect(run([job()]).result.findings[0]!.id).toBe(a);
    expect(a).toMatch(/^runaway-training-job-[0-9a-f]{12}$/);
  });
});
