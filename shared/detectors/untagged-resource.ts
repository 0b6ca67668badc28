/**
 * `untagged-resource` — resources missing any required tag (janitor.yml `tags.required`, or
 * the policy's `requiredTags`): SageMaker endpoints, notebook instances, Studio domains and
 * spaces, running training and processing jobs, EC2 instances, EBS volumes and S3 buckets.
 *
 * Why the care: the Tagging API never returns a resource that was never tagged, so the
 * inventory lists each service and reads tags in bulk; a resource with no tags at all is
 * the worst case, not an invisible one. Tag keys are case-sensitive in AWS (cost allocation
 * reports `Team` and `team` as two tags), so `Team` does not satisfy `team` — the finding
 * says so, because the fix is a rename. A tag whose value is empty or blank counts as
 * missing. Resources younger than `minAgeHours` are not judged: tagging often follows
 * creation by a few minutes (a pipeline's second step).
 *
 * The owner is guessed: the owner tag; else the creator where AWS or a convention records it
 * (a `created-by` tag, `aws:createdBy`, the training job's creator, the Studio user profile
 * of a private space or of `sagemaker:user-profile-arn`), used when it holds an email; the
 * team comes from the team tag (its channel). `monthlyCostUsd` is what the resource costs
 * when the inventory prices it cheaply (instance types, volume size), else 0: an untagged
 * resource is an accountability problem, not waste in itself — the cost says how much spend
 * nobody can attribute.
 *
 * Example policy:
 * ```yaml
 * - name: untagged-resources
 *   type: untagged-resource
 *   mode: notify
 *   params:
 *     minAgeHours: 24
 *     resourceTypes: [sagemaker:endpoint, sagemaker:notebook-instance, ec2:instance]
 *     # requiredTags: [team, owner]   # defaults to tags.required
 *   timeoutAction: none
 * ```
 */
import { z } from "zod";
import type { Finding, Tags } from "../types.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason } from "./common.ts";
import { guessOwner, hasValue } from "./owner-guess.ts";
import type { Detector, DetectorContext, DetectResult } from "./types.ts";
import {
  type Candidate,
  candidates,
  KIND_OF,
  TAGGABLE_TYPES,
  type TaggableType,
} from "./untagged-candidates.ts";

export { TAGGABLE_TYPES, type TaggableType } from "./untagged-candidates.ts";

const DETECTOR = "untagged-resource";
const HOUR_MS = 3_600_000;

export const untaggedResourceParams = z
  .strictObject({
    /** Tags every resource must carry; defaults to janitor.yml `tags.required`. Keys are case-sensitive. */
    requiredTags: z.array(z.string().min(1).max(128)).min(1).optional(),
    /** Only these resource types (default: all). */
    resourceTypes: z
      .array(z.enum(TAGGABLE_TYPES))
      .min(1)
      .default([...TAGGABLE_TYPES]),
    /** Resources younger than this are not judged yet (tags often follow creation). */
    minAgeHours: z.number().min(0).max(8760).default(24),
  })
  .default({ resourceTypes: [...TAGGABLE_TYPES], minAgeHours: 24 });

export type UntaggedResourceParams = z.infer<typeof untaggedResourceParams>;

interface TagCheck {
  missing: string[];
  present: string[];
  /** Missing keys whose value is present but empty. */
  empty: string[];
  /** Missing key → the differently-cased key the resource carries instead. */
  caseMismatches: Record<string, string>;
}

function checkTags(tags: Tags, required: readonly string[]): TagCheck {
  const check: TagCheck = { missing: [], present: [], empty: [], caseMismatches: {} };
  for (const key of required) {
    if (hasValue(tags[key])) {
      check.present.push(key);
      continue;
    }
    check.missing.push(key);
    if (tags[key] !== undefined) check.empty.push(key);
    const lower = key.toLowerCase();
    const lookalike = Object.keys(tags).find(
      (k) => k !== key && k.toLowerCase() === lower && hasValue(tags[k]),
    );
    if (lookalike) check.caseMismatches[key] = lookalike;
  }
  return check;
}

type Judgement =
  | { kind: "excluded" | "unknown"; reason: string }
  | { kind: "tagged" }
  | { kind: "untagged"; check: TagCheck; ageHours: number };

function judge(
  c: Candidate,
  required: readonly string[],
  ctx: DetectorContext<UntaggedResourceParams>,
): Judgement {
  const excluded = exclusionReason(c.name, c.tags, ctx.tags, ctx.exclude);
  if (excluded) return { kind: "excluded", reason: excluded };
  const check = checkTags(c.tags, required);
  if (check.missing.length === 0) return { kind: "tagged" };
  const ageHours = (ctx.now.getTime() - c.createdAt.getTime()) / HOUR_MS;
  if (ageHours < ctx.params.minAgeHours) {
    // One wording for all, so the scan's summary counts them together.
    return { kind: "unknown", reason: `created less than ${ctx.params.minAgeHours} hours ago (minAgeHours)` };
  }
  return { kind: "untagged", check, ageHours };
}

function reasonFor(check: TagCheck, required: readonly string[]): string {
  const missing = check.missing.map((key) => {
    const other = check.caseMismatches[key];
    if (other) return `${key} (has "${other}"; tag keys are case-sensitive)`;
    if (check.empty.includes(key)) return `${key} (empty)`;
    return key;
  });
  const what =
    required.length === 1
      ? "the required tag"
      : check.missing.length === required.length
        ? `all ${required.length} required tags`
        : `${check.missing.length} of ${required.length} required tags`;
  return `missing ${what}: ${missing.join(", ")}`;
}

function toFinding(
  c: Candidate,
  check: TagCheck,
  ageHours: number,
  required: readonly string[],
  ctx: DetectorContext<UntaggedResourceParams>,
): Finding {
  const guess = guessOwner(c, ctx.tags);
  return {
    id: findingId(DETECTOR, c.arn),
    detector: DETECTOR,
    policy: ctx.policy,
    resource: { type: c.type, id: c.id, arn: c.arn, region: c.region, tags: c.tags },
    owner: guess.owner,
    reason: reasonFor(check, required),
    evidence: {
      requiredTags: [...required],
      missingTags: check.missing,
      presentTags: check.present,
      ...(check.empty.length > 0 ? { emptyTags: check.empty } : {}),
      ...(Object.keys(check.caseMismatches).length > 0 ? { caseMismatches: check.caseMismatches } : {}),
      state: c.state,
      createdAt: c.createdAt.toISOString(),
      ageHours: Math.round(ageHours * 10) / 10,
      ownerSource: guess.source,
      ...(guess.creator ? { creator: guess.creator.value, creatorSource: guess.creator.source } : {}),
      monthlyCostBasis: c.costBasis,
      costIsWaste: false,
    },
    confidence: "high",
    monthlyCostUsd: c.monthlyCostUsd,
    proposedAction: "tag",
  };
}

function typesOf(params: UntaggedResourceParams): Set<TaggableType> {
  return new Set(params.resourceTypes);
}

export const untaggedResource: Detector<UntaggedResourceParams> = {
  type: DETECTOR,
  summary: "Resources missing any required tag (endpoints, notebooks, Studio, training, EC2, EBS, S3)",
  params: untaggedResourceParams,
  // What the inventory kinds it reads cost (their loaders in shared/aws/), per resource type.
  permissions: [
    "sagemaker:Search", // endpoints, training jobs
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:ListNotebookInstances",
    "sagemaker:ListDomains",
    "sagemaker:DescribeDomain",
    "sagemaker:ListSpaces",
    "sagemaker:ListProcessingJobs",
    "sagemaker:DescribeProcessingJob",
    "sagemaker:ListTags", // processing jobs
    "ec2:DescribeInstances",
    "ec2:DescribeVolumes",
    "s3:ListAllMyBuckets",
    "tag:GetResources", // notebooks, Studio, buckets
  ],
  actions: ["tag"],
  inventory: [...new Set(Object.values(KIND_OF))],
  inventoryFor: (params) => [...new Set(params.resourceTypes.map((t) => KIND_OF[t]))],

  // Tags are inventory, not metrics.
  metricRequests: () => [],

  detect(inventory, _metrics, ctx): DetectResult {
    const required = [...new Set(ctx.params.requiredTags ?? ctx.tags.required)];
    const result: DetectResult = { findings: [], excluded: [], unknown: [] };
    if (required.length === 0) return result;
    for (const c of candidates(inventory, typesOf(ctx.params))) {
      const j = judge(c, required, ctx);
      if (j.kind === "excluded" || j.kind === "unknown") {
        result[j.kind].push({ resource: `${c.type} ${c.id}`, reason: j.reason });
      } else if (j.kind === "untagged") {
        result.findings.push(toFinding(c, j.check, j.ageHours, required, ctx));
      }
    }
    return result;
  },
};
