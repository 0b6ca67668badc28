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
import {
  ebsMonthly,
  ec2Hourly,
  hourlyToMonthly,
  sagemakerHourly,
  serverlessProvisionedMonthly,
} from "../pricing/monthly-cost.ts";
import { PRICES_AS_OF } from "../pricing/price-table.ts";
import type { Finding, Owner, ResourceType, Tags } from "../types.ts";
import { findingId } from "../util/ids.ts";
import { exclusionReason } from "./common.ts";
import type { EndpointInfo, Inventory, InventoryKind, TrainingJobInfo } from "./inventory.ts";
import type { Detector, DetectorContext, DetectResult, TagSettings } from "./types.ts";

const DETECTOR = "untagged-resource";
const HOUR_MS = 3_600_000;

/** Resource type → the inventory kind it comes from. */
const KIND_OF = {
  "sagemaker:endpoint": "endpoints",
  "sagemaker:notebook-instance": "notebooks",
  "sagemaker:domain": "studioDomains",
  "sagemaker:space": "studioSpaces",
  "sagemaker:training-job": "trainingJobs",
  "sagemaker:processing-job": "trainingJobs",
  "ec2:instance": "ec2Instances",
  "ec2:volume": "volumes",
  "s3:bucket": "buckets",
} as const satisfies Partial<Record<ResourceType, InventoryKind>>;

export type TaggableType = keyof typeof KIND_OF;
export const TAGGABLE_TYPES = Object.keys(KIND_OF) as [TaggableType, ...TaggableType[]];

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

/** One resource of any type, as this detector judges it. */
interface Candidate {
  type: TaggableType;
  /** How the resource is identified in findings (endpoint name, instance id, domain id, …). */
  id: string;
  /** What policy name patterns match: the name people gave it (the id where it has none). */
  name: string;
  arn: string;
  region: string;
  state: string;
  createdAt: Date;
  tags: Tags;
  /** Who created it, where the inventory records it (not from tags). */
  creator?: { value: string; source: string };
  monthlyCostUsd: number;
  costBasis: string;
}

function rounded(usd: number): number {
  return Math.round(usd * 100) / 100;
}

function instanceCost(
  hourly: number | undefined,
  count: number,
  what: string,
): { monthlyCostUsd: number; costBasis: string } {
  if (hourly === undefined) return { monthlyCostUsd: 0, costBasis: `${what}: no list price known` };
  return {
    monthlyCostUsd: rounded(hourlyToMonthly(hourly * count)),
    costBasis: `${what} at list price × 730 h (prices as of ${PRICES_AS_OF})`,
  };
}

/** Endpoint states in which its instances run (and bill). */
const BILLED_ENDPOINT_STATES = new Set(["InService", "Updating", "SystemUpdating", "RollingBack"]);

function endpointCost(e: EndpointInfo): { monthlyCostUsd: number; costBasis: string } {
  if (!BILLED_ENDPOINT_STATES.has(e.status)) {
    return { monthlyCostUsd: 0, costBasis: `not billed while ${e.status}` };
  }
  let total = 0;
  const unpriced: string[] = [];
  for (const v of e.variants) {
    if (v.serverless) {
      const provisioned = v.serverless.provisionedConcurrency ?? 0;
      total += serverlessProvisionedMonthly(v.serverless.memorySizeInMB, provisioned, e.region);
    } else if (v.instanceType) {
      const hourly = sagemakerHourly(v.instanceType, e.region);
      if (hourly === undefined) unpriced.push(v.instanceType);
      else total += hourlyToMonthly(hourly * v.instanceCount);
    }
  }
  const basis = `variants' instances at list price × 730 h (prices as of ${PRICES_AS_OF})`;
  return {
    monthlyCostUsd: rounded(total),
    costBasis: unpriced.length > 0 ? `${basis}; no list price for ${unpriced.join(", ")}` : basis,
  };
}

/** A job's run rate: every instance group (heterogeneous clusters have several). */
function jobCost(j: TrainingJobInfo): { monthlyCostUsd: number; costBasis: string } {
  const groups = j.instanceGroups ?? [{ instanceType: j.instanceType, instanceCount: j.instanceCount }];
  const what = groups.map((g) => `${g.instanceCount} × ${g.instanceType}`).join(" + ");
  const unpriced = groups.filter((g) => sagemakerHourly(g.instanceType, j.region) === undefined);
  if (unpriced.length > 0) return { monthlyCostUsd: 0, costBasis: `${what}: no list price known` };
  const hourly = groups.reduce(
    (sum, g) => sum + sagemakerHourly(g.instanceType, j.region)! * g.instanceCount,
    0,
  );
  return instanceCost(hourly, 1, `${what} while it runs`);
}

const FREE_OR_UNKNOWN = { monthlyCostUsd: 0 };

/** Every resource of the wanted types in the inventory, in a common shape. */
function candidates(inventory: Inventory, types: ReadonlySet<TaggableType>): Candidate[] {
  const out: Candidate[] = [];
  if (types.has("sagemaker:endpoint")) {
    for (const e of inventory.endpoints) {
      if (e.status === "Deleting") continue;
      out.push({
        type: "sagemaker:endpoint",
        id: e.name,
        name: e.name,
        arn: e.arn,
        region: e.region,
        state: e.status,
        createdAt: e.creationTime,
        tags: e.tags,
        ...endpointCost(e),
      });
    }
  }
  if (types.has("sagemaker:notebook-instance")) {
    for (const n of inventory.notebooks) {
      if (n.status === "Deleting") continue;
      out.push({
        type: "sagemaker:notebook-instance",
        id: n.name,
        name: n.name,
        arn: n.arn,
        region: n.region,
        state: n.status,
        createdAt: n.creationTime,
        tags: n.tags,
        ...(n.status === "InService"
          ? instanceCost(sagemakerHourly(n.instanceType, n.region), 1, n.instanceType)
          : { ...FREE_OR_UNKNOWN, costBasis: `instance not billed while ${n.status} (its volume still is)` }),
      });
    }
  }
  if (types.has("sagemaker:domain")) {
    for (const d of inventory.studioDomains) {
      if (d.status === "Deleting") continue;
      out.push({
        type: "sagemaker:domain",
        id: d.id,
        name: d.name,
        arn: d.arn,
        region: d.region,
        state: d.status,
        createdAt: d.creationTime,
        tags: d.tags,
        ...FREE_OR_UNKNOWN,
        costBasis: "a domain is billed through its apps and storage, not priced here",
      });
    }
  }
  if (types.has("sagemaker:space")) {
    for (const s of inventory.studioSpaces) {
      if (s.status === "Deleting") continue;
      out.push({
        type: "sagemaker:space",
        id: `${s.domainId}/${s.name}`,
        name: s.name,
        arn: s.arn,
        region: s.region,
        state: s.status,
        createdAt: s.creationTime,
        tags: s.tags,
        ...(s.ownerUserProfileName
          ? { creator: { value: s.ownerUserProfileName, source: "space owner user profile" } }
          : {}),
        ...FREE_OR_UNKNOWN,
        costBasis: "a space is billed through its apps and storage, not priced here",
      });
    }
  }
  // Kinds not asked for are not loaded: read only the wanted ones.
  const jobs = types.has("sagemaker:training-job") || types.has("sagemaker:processing-job");
  for (const j of jobs ? inventory.trainingJobs : []) {
    const type = j.kind === "processing" ? "sagemaker:processing-job" : "sagemaker:training-job";
    // A finished job costs nothing more: only running ones are worth a tag request.
    if (!types.has(type) || j.status !== "InProgress") continue;
    out.push({
      type,
      id: j.name,
      name: j.name,
      arn: j.arn,
      region: j.region,
      state: j.status,
      createdAt: j.creationTime,
      tags: j.tags,
      ...(j.createdBy ? { creator: { value: j.createdBy, source: `${j.kind} job creator` } } : {}),
      ...jobCost(j),
    });
  }
  if (types.has("ec2:instance")) {
    for (const i of inventory.ec2Instances) {
      if (i.state === "terminated" || i.state === "shutting-down") continue;
      out.push({
        type: "ec2:instance",
        id: i.id,
        name: i.tags.Name ?? i.id,
        arn: i.arn,
        region: i.region,
        state: i.state,
        createdAt: i.launchTime,
        tags: i.tags,
        ...(i.state === "running" || i.state === "pending"
          ? instanceCost(ec2Hourly(i.instanceType, i.region), 1, i.instanceType)
          : {
              ...FREE_OR_UNKNOWN,
              costBasis: `instance not billed while ${i.state} (its volumes still are)`,
            }),
      });
    }
  }
  if (types.has("ec2:volume")) {
    for (const v of inventory.volumes) {
      if (v.state === "deleting" || v.state === "deleted") continue;
      const monthly = ebsMonthly(v.volumeType, v.sizeGiB, v.region);
      out.push({
        type: "ec2:volume",
        id: v.id,
        name: v.tags.Name ?? v.id,
        arn: v.arn,
        region: v.region,
        state: v.state,
        createdAt: v.createTime,
        tags: v.tags,
        monthlyCostUsd: monthly === undefined ? 0 : rounded(monthly),
        costBasis:
          monthly === undefined
            ? `${v.volumeType}: no list price known`
            : `${v.sizeGiB} GiB ${v.volumeType} at list price (prices as of ${PRICES_AS_OF})`,
      });
    }
  }
  if (types.has("s3:bucket")) {
    for (const b of inventory.buckets) {
      out.push({
        type: "s3:bucket",
        id: b.name,
        name: b.name,
        arn: b.arn,
        region: b.region,
        state: "exists",
        createdAt: b.creationDate,
        tags: b.tags,
        ...FREE_OR_UNKNOWN,
        costBasis: "storage size is not read by this detector",
      });
    }
  }
  return out;
}

const hasValue = (value: string | undefined): boolean => value !== undefined && value.trim() !== "";

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

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
/** Conventional tags naming whoever created a resource. */
const CREATOR_TAGS = ["created-by", "createdBy", "CreatedBy", "creator"];
/** AWS's generated cost-allocation tag: "AssumedRole:AROA…:alice@example.com" — the last part is the name. */
const AWS_CREATED_BY = "aws:createdBy";
const PROFILE_ARN_TAG = "sagemaker:user-profile-arn";

/** The creator as recorded on the resource: its own field first, then conventional tags. */
function creatorOf(c: Candidate): { value: string; source: string } | undefined {
  if (c.creator) return c.creator;
  for (const key of CREATOR_TAGS) {
    const value = c.tags[key];
    if (hasValue(value)) return { value: value!.trim(), source: `${key} tag` };
  }
  const generated = c.tags[AWS_CREATED_BY];
  if (hasValue(generated)) return { value: generated!.split(":").at(-1)!, source: `${AWS_CREATED_BY} tag` };
  const profileArn = c.tags[PROFILE_ARN_TAG];
  if (hasValue(profileArn)) {
    return { value: profileArn!.split("/").at(-1)!, source: `${PROFILE_ARN_TAG} tag (Studio user profile)` };
  }
  return undefined;
}

interface OwnerGuess {
  owner: Owner;
  source: string;
  creator?: { value: string; source: string };
}

function guessOwner(c: Candidate, settings: TagSettings): OwnerGuess {
  const owner: Owner = {};
  const team = c.tags[settings.teamTag];
  if (hasValue(team)) owner.team = team!;
  const tagged = c.tags[settings.ownerTag];
  if (tagged?.includes("@")) return { owner: { ...owner, email: tagged.trim() }, source: "owner tag" };
  const creator = creatorOf(c);
  const email = creator ? EMAIL.exec(creator.value)?.[0] : undefined;
  if (creator && email) return { owner: { ...owner, email }, source: `creator (${creator.source})`, creator };
  const source = owner.team ? "team tag" : "unknown";
  return { owner, source, ...(creator ? { creator } : {}) };
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
