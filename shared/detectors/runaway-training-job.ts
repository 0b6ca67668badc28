/**
 * `runaway-training-job` — SageMaker training and processing jobs `InProgress` for longer than
 * the policy allows (proposed action `stop`), or whose own stopping condition lets them run away:
 * `MaxRuntimeInSeconds` above a sane bound, or none at all (proposed action `review`: nothing is
 * wasted yet, so such findings count $0 a month and carry the exposure in the evidence).
 *
 * Cost: the on-demand list price of every instance (all instance groups of a heterogeneous
 * cluster) × hours since the job started — provisioning before `TrainingStartTime` is not
 * billed, so a job not started yet is not judged — and the cost of each further day.
 * `monthlyCostUsd` of a runaway finding is the job's run rate per month (hourly × 730 h): what
 * leaving it running costs, comparable with the other detectors' monthly figures. Managed spot
 * jobs bill at spot prices we do not know: the on-demand price is then an upper bound, and the
 * evidence says so.
 *
 * Managed spot: an on-demand training job that writes checkpoints could run on managed spot
 * (AWS quotes savings of up to 90%). That is advice for the next run, not an action: it rides
 * in the evidence (and the reason) of the job's finding rather than as a separate finding, so a
 * healthy job is not reported every night and the totals count only waste.
 *
 * Example policy:
 * ```yaml
 * - name: runaway-training-jobs
 *   type: runaway-training-job
 *   mode: notify
 *   params: { maxRuntimeHours: 24, maxRuntimeLimitHours: 72, jobKinds: [training, processing] }
 *   gracePeriod: 4h
 *   timeoutAction: none
 * ```
 */
import { z } from "zod";
import { formatUsd, hourlyToMonthly, sagemakerHourly } from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { Finding } from "../types.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason, ownerFromTags } from "./common.ts";
import type { TrainingJobInfo } from "./inventory.ts";
import type { Detector, DetectorContext, DetectResult } from "./types.ts";
import { round, roundUsd } from "./utilisation.ts";

const HOUR_MS = 3_600_000;

export const runawayTrainingJobParams = z
  .strictObject({
    /** A job in progress for longer than this (since it started) is a runaway: stop it. */
    maxRuntimeHours: z.number().positive().max(672).default(24),
    /** A stopping condition (MaxRuntimeInSeconds) above this, or none, asks for a review. */
    maxRuntimeLimitHours: z.number().positive().max(720).default(72),
    /** Which jobs to judge. */
    jobKinds: z
      .array(z.enum(["training", "processing"]))
      .min(1)
      .default(["training", "processing"]),
  })
  .default({ maxRuntimeHours: 24, maxRuntimeLimitHours: 72, jobKinds: ["training", "processing"] });

export type RunawayTrainingJobParams = z.infer<typeof runawayTrainingJobParams>;

type Ctx = DetectorContext<RunawayTrainingJobParams>;

function groupsOf(j: TrainingJobInfo): Array<{ instanceType: string; instanceCount: number }> {
  return j.instanceGroups && j.instanceGroups.length > 0
    ? j.instanceGroups
    : [{ instanceType: j.instanceType, instanceCount: j.instanceCount }];
}

/** $/hour for every instance of the job, or undefined when a type has no list price. */
function hourlyCost(j: TrainingJobInfo): { hourly?: number; unpriced: string[] } {
  let hourly = 0;
  const unpriced: string[] = [];
  for (const g of groupsOf(j)) {
    const price = sagemakerHourly(g.instanceType, j.region);
    if (price === undefined) unpriced.push(g.instanceType);
    else hourly += price * g.instanceCount;
  }
  return unpriced.length > 0 ? { unpriced } : { hourly, unpriced };
}

function describeInstances(j: TrainingJobInfo): string {
  return groupsOf(j)
    .map((g) => `${g.instanceCount} × ${g.instanceType}`)
    .join(" + ");
}

type Triage =
  | { kind: "skip" }
  | { kind: "excluded" | "unknown"; reason: string }
  | { kind: "judge"; start: Date };

function triage(j: TrainingJobInfo, ctx: Ctx): Triage {
  if (j.status !== "InProgress" || !ctx.params.jobKinds.includes(j.kind)) return { kind: "skip" };
  const excluded = exclusionReason(j.name, j.tags, ctx.tags, ctx.exclude);
  if (excluded) return { kind: "excluded", reason: excluded };
  if (!j.startTime) {
    const waiting = (ctx.now.getTime() - j.creationTime.getTime()) / HOUR_MS;
    return {
      kind: "unknown",
      reason: `not started yet (provisioning for ${waiting.toFixed(1)} h, not billed)`,
    };
  }
  return { kind: "judge", start: j.startTime };
}

function spotAdvice(j: TrainingJobInfo): Record<string, unknown> | undefined {
  if (j.kind !== "training" || j.managedSpot || !j.checkpointS3Uri) return undefined;
  return {
    recommendation: "run the next attempt with managed spot training (EnableManagedSpotTraining)",
    why: `it is on demand and already checkpoints to ${j.checkpointS3Uri}, so an interruption resumes from the last checkpoint`,
    savings: "AWS quotes up to 90% off on-demand; actual savings depend on spot prices and interruptions",
  };
}

function judge(j: TrainingJobInfo, start: Date, ctx: Ctx): Finding | undefined {
  const p = ctx.params;
  const hoursSoFar = (ctx.now.getTime() - start.getTime()) / HOUR_MS;
  const limitHours = j.maxRuntimeInSeconds === undefined ? undefined : j.maxRuntimeInSeconds / 3600;
  const runaway = hoursSoFar > p.maxRuntimeHours;
  const unbounded = limitHours === undefined || limitHours > p.maxRuntimeLimitHours;
  if (!runaway && !unbounded) return undefined;

  const { hourly, unpriced } = hourlyCost(j);
  const spot = spotAdvice(j);
  const what = `${j.kind} job on ${describeInstances(j)}`;
  const limitText =
    limitHours === undefined
      ? "no stopping condition (MaxRuntimeInSeconds not set)"
      : `MaxRuntime ${round(limitHours)} h`;
  const hoursLeft = limitHours === undefined ? undefined : Math.max(0, limitHours - hoursSoFar);
  const costToLimit = hourly !== undefined && hoursLeft !== undefined ? hourly * hoursLeft : undefined;

  let reason: string;
  if (runaway) {
    reason =
      `${what} running ${round(hoursSoFar)} h (policy limit ${p.maxRuntimeHours} h)` +
      (hourly !== undefined
        ? `: ${formatUsd(hourly * hoursSoFar)} so far, ${formatUsd(hourly * 24)} per further day`
        : "") +
      `; ${limitText}`;
  } else {
    reason =
      `${what} can run away: ${limitText}, above the ${p.maxRuntimeLimitHours} h bound` +
      (costToLimit !== undefined ? ` (up to ${formatUsd(costToLimit)} more if it runs to it)` : "") +
      `; running ${round(hoursSoFar)} h so far`;
  }
  if (spot) reason += "; it checkpoints on demand: consider managed spot";

  return {
    id: findingId("runaway-training-job", j.arn),
    detector: "runaway-training-job",
    policy: ctx.policy,
    resource: {
      type: j.kind === "training" ? "sagemaker:training-job" : "sagemaker:processing-job",
      id: j.name,
      arn: j.arn,
      region: j.region,
      tags: j.tags,
    },
    owner: ownerFromTags(j.tags, ctx.tags),
    reason,
    evidence: {
      kind: j.kind,
      rule: runaway ? "running longer than maxRuntimeHours" : "stopping condition above maxRuntimeLimitHours",
      instances: groupsOf(j),
      createdAt: j.creationTime.toISOString(),
      startedAt: start.toISOString(),
      hoursSoFar: round(hoursSoFar, 2),
      maxRuntimeHours: p.maxRuntimeHours,
      maxRuntimeLimitHours: p.maxRuntimeLimitHours,
      maxRuntimeInSeconds: j.maxRuntimeInSeconds ?? null,
      ...(limitHours !== undefined
        ? { limitReachedAt: new Date(start.getTime() + limitHours * HOUR_MS).toISOString() }
        : {}),
      ...(hourly !== undefined
        ? {
            hourlyUsd: roundUsd(hourly),
            costSoFarUsd: roundUsd(hourly * hoursSoFar),
            costPerFurtherDayUsd: roundUsd(hourly * 24),
            runRateMonthlyUsd: roundUsd(hourlyToMonthly(hourly)),
            ...(costToLimit !== undefined ? { costToLimitUsd: roundUsd(costToLimit) } : {}),
          }
        : { unpricedInstanceTypes: unpriced }),
      priceBasis: j.managedSpot
        ? "on-demand list price: an upper bound, managed spot bills at spot prices"
        : "on-demand list price",
      managedSpot: j.managedSpot,
      ...(j.checkpointS3Uri ? { checkpointS3Uri: j.checkpointS3Uri } : {}),
      ...(spot ? { managedSpotAdvice: spot } : {}),
      ...(j.createdBy ? { createdBy: j.createdBy } : {}),
      ...(j.tuningJobArn ? { tuningJobArn: j.tuningJobArn } : {}),
      pricesAsOf: PRICES_AS_OF,
    },
    confidence: runaway ? "high" : "medium",
    monthlyCostUsd: runaway && hourly !== undefined ? roundUsd(hourlyToMonthly(hourly)) : 0,
    proposedAction: runaway ? "stop" : "review",
  };
}

export const runawayTrainingJob: Detector<RunawayTrainingJobParams> = {
  type: "runaway-training-job",
  summary: "Training and processing jobs running past the policy's limit, or with no sane stopping condition",
  params: runawayTrainingJobParams,
  permissions: [
    "sagemaker:Search",
    "sagemaker:ListProcessingJobs",
    "sagemaker:DescribeProcessingJob",
    "sagemaker:ListTags",
  ],
  actions: ["stop"],
  inventory: ["trainingJobs"],

  metricRequests() {
    return [];
  },

  detect(inventory, _metrics, ctx): DetectResult {
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    for (const j of inventory.trainingJobs) {
      const t = triage(j, ctx);
      if (t.kind === "excluded") result.excluded.push({ resource: j.name, reason: t.reason });
      else if (t.kind === "unknown") result.unknown.push({ resource: j.name, reason: t.reason });
      else if (t.kind === "judge") {
        const finding = judge(j, t.start, ctx);
        if (finding) result.findings.push(finding);
      }
    }
    return result;
  },
};
