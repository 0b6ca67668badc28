import { describe, expect, it } from "vitest";
import { crossedThresholds, escalation } from "../../../shared/cost/budget-thresholds.ts";
import { budgetsFromAws } from "../../../shared/cost/budgets.ts";
import { matchResources, parseUsageType } from "../../../shared/cost/drill-down.ts";
import type { TrainingJobInfo } from "../../../shared/detectors/inventory.ts";

function job(over: Partial<TrainingJobInfo>): TrainingJobInfo {
  return {
    name: "llm-finetune-overnight",
    arn: "arn:aws:sagemaker:us-east-1:1:training-job/llm-finetune-overnight",
    region: "us-east-1",
    kind: "training",
    status: "InProgress",
    creationTime: new Date("2026-11-12T08:00:00Z"),
    instanceType: "ml.p3.8xlarge",
    instanceCount: 4,
    managedSpot: false,
    tags: { owner: "sam@example.com", team: "nlp" },
    ...over,
  } as TrainingJobInfo;
}

describe("drill-down", () => {
  it("reads family and instance type from usage types", () => {
    expect(parseUsageType("USE1-Train:ml.p3.8xlarge")).toEqual({
      family: "Train",
      instanceType: "ml.p3.8xlarge",
    });
    expect(parseUsageType("USE1-BoxUsage:g5.2xlarge")).toEqual({
      family: "BoxUsage",
      instanceType: "g5.2xlarge",
    });
    expect(parseUsageType("USE1-Requests-Tier1")).toEqual({ family: "USE1-Requests-Tier1" });
  });

  it("names the running job of that instance type and tags, with its owner", () => {
    const inventory = {
      trainingJobs: [
        job({}),
        job({ name: "done", status: "Completed" }),
        job({ name: "other-team", tags: { team: "vision" } }),
        job({ name: "smaller", instanceType: "ml.g4dn.xlarge" }),
      ],
    };
    const found = matchResources(
      { usageType: "USE1-Train:ml.p3.8xlarge", tags: { team: "nlp" } },
      inventory,
      "owner",
    );
    expect(found).toEqual([
      {
        kind: "training-job",
        name: "llm-finetune-overnight",
        instanceType: "ml.p3.8xlarge",
        instanceCount: 4,
        owner: "sam@example.com",
        tags: { owner: "sam@example.com", team: "nlp" },
      },
    ]);
  });
});

const budget = {
  name: "nlp",
  scope: { team: "nlp" },
  monthlyUsd: 1000,
  thresholds: [25, 50, 75, 100],
  forecast: true,
  escalation: [
    { atPercent: 50, notify: ["#team-nlp"] },
    { atPercent: 75, notify: ["lead@example.com"] },
    { atPercent: 100, notify: ["#eng-leadership", "#team-nlp"] },
  ],
};

describe("budget thresholds", () => {
  it("lists every quarter reached, actual first, forecast where actual has not", () => {
    expect(crossedThresholds(budget, { actualUsd: 510, forecastUsd: 980 })).toEqual([
      { percent: 25, basis: "actual", notify: [] },
      { percent: 50, basis: "actual", notify: ["#team-nlp"] },
      { percent: 75, basis: "forecast", notify: ["#team-nlp", "lead@example.com"] },
    ]);
    expect(crossedThresholds({ ...budget, forecast: false }, { actualUsd: 10, forecastUsd: 5000 })).toEqual(
      [],
    );
  });

  it("escalates cumulatively without repeating anyone", () => {
    expect(escalation(budget, 100)).toEqual(["#team-nlp", "lead@example.com", "#eng-leadership"]);
  });

  it("takes AWS Budgets for the account and single tag values, config first", () => {
    const out = budgetsFromAws(
      [
        { name: "all", limitUsd: 9000, costFilters: {} },
        { name: "nlp-aws", limitUsd: 2000, costFilters: { TagKeyValue: ["user:team$nlp"] } },
        { name: "vision", limitUsd: 3000, costFilters: { TagKeyValue: ["user:team$vision"] } },
        { name: "ec2-only", limitUsd: 100, costFilters: { Service: ["Amazon EC2"] } },
      ],
      [budget],
      { team: "team", project: "project" },
    );
    expect(out.map((b) => [b.name, b.scope, b.monthlyUsd])).toEqual([
      ["all", { account: true }, 9000],
      ["vision", { team: "vision" }, 3000],
    ]);
  });
});
