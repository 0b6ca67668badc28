/**
 * The janitor.yml schema: one zod schema, strict everywhere (an unknown key is an error —
 * it catches typos like `windwDays`), with defaults that are safe: a new policy reports only.
 * The JSON Schema for editors is generated from this (npm run schema).
 */
import { z } from "zod";
import { allDetectors } from "../detectors/registry.ts";
import { DURATION_PATTERN } from "../util/duration.ts";

const accountId = z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits");
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as us-east-1");
const duration = z.string().regex(DURATION_PATTERN, "a duration such as 90m, 24h, 3d or 2w");
const channel = z
  .string()
  .regex(/^(#[a-z0-9_-]+|[CGD][A-Z0-9]+)$/, "a channel name like #ml-costs or a channel id");

export const MODES = ["report", "notify", "enforce"] as const;
export const TIMEOUT_ACTIONS = ["none", "stop", "delete", "configure"] as const;

const exclusions = z
  .strictObject({
    /** Resources carrying any of these tags are left out (value "*" matches any value). */
    tags: z.record(z.string(), z.string()).default({}),
    /** Glob patterns (`*`, `?`) on resource names. */
    namePatterns: z.array(z.string()).default([]),
    /** Accounts this policy never runs in. */
    accounts: z.array(accountId).default([]),
  })
  .default({ tags: {}, namePatterns: [], accounts: [] });

const policyCommon = {
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and dashes"),
  description: z.string().optional(),
  /** report: findings only; notify: Slack, no action; enforce: act after the grace period. */
  mode: z.enum(MODES).default("report"),
  /** How long the owner has to answer before the timeout action. */
  gracePeriod: duration.default("3d"),
  /** The single reminder is sent this long before the deadline. */
  reminderLead: duration.default("24h"),
  /** What happens when nobody answers. `delete` must be explicit; `none` only notifies. */
  timeoutAction: z.enum(TIMEOUT_ACTIONS).default("none"),
  exclude: exclusions,
};

function policySchemaFor(type: string, params: z.ZodType) {
  return z.strictObject({ type: z.literal(type), params, ...policyCommon });
}

const detectorPolicies = allDetectors().map((d) => policySchemaFor(d.type, d.params));

export const policySchema = z.discriminatedUnion(
  "type",
  detectorPolicies as unknown as [
    ReturnType<typeof policySchemaFor>,
    ...ReturnType<typeof policySchemaFor>[],
  ],
);

const tagSettings = z
  .strictObject({
    /** Tag holding the owner's email (used for Slack DMs). */
    owner: z.string().default("owner"),
    /** Tag holding the team name (routes to the team's channel). */
    team: z.string().default("team"),
    /** Resources with this tag are never touched and never reported. */
    protect: z.string().default("janitor:protect"),
    /** Resources tagged as production are never acted on by timeout. */
    production: z
      .strictObject({
        tag: z.string().default("environment"),
        values: z.array(z.string()).default(["production", "prod"]),
      })
      .default({ tag: "environment", values: ["production", "prod"] }),
    /** Tags every resource must carry (used by `untagged-resource`). */
    required: z.array(z.string()).default(["team", "project", "environment", "cost-center", "owner"]),
  })
  .default({
    owner: "owner",
    team: "team",
    protect: "janitor:protect",
    production: { tag: "environment", values: ["production", "prod"] },
    required: ["team", "project", "environment", "cost-center", "owner"],
  });

const slackSettings = z
  .strictObject({
    /** Where notices go when no owner or team channel is known. */
    defaultChannel: channel.default("#ml-janitor"),
    /** Where workflow failures are reported. */
    opsChannel: channel.optional(),
    /** Team tag value → channel. */
    teamChannels: z.record(z.string(), channel).default({}),
    /** Besides the owner, who may approve, snooze or keep. */
    approvers: z
      .strictObject({ users: z.array(z.string()).default([]), userGroups: z.array(z.string()).default([]) })
      .default({ users: [], userGroups: [] }),
  })
  .default({ defaultChannel: "#ml-janitor", teamChannels: {}, approvers: { users: [], userGroups: [] } });

/**
 * Past `atPercent` of a team's or project's budget (actual spend), the janitor is stricter with
 * that scope's resources until the month ends: new findings in the named enforce-mode policies
 * get the shorter grace period, and a `none` timeout action becomes `stop`. Never delete,
 * never a notify/report policy, never production resources.
 *
 *   tighten: { atPercent: 75, gracePeriod: 1d, timeoutAction: stop, policies: [idle-notebooks] }
 */
const tighten = z.strictObject({
  /** One of the budget's thresholds: its alert announces the tightening. */
  atPercent: z.number().positive().max(500),
  /** Used when shorter than the policy's own. */
  gracePeriod: duration.optional(),
  /** Tightening goes no further than stop. */
  timeoutAction: z.enum(["none", "stop"]).default("none"),
  /** Names of enforce-mode policies. */
  policies: z.array(z.string()).min(1, "name at least one policy to tighten"),
});

const budget = z.strictObject({
  name: z.string(),
  scope: z.union([
    z.strictObject({ account: z.literal(true) }),
    z.strictObject({ team: z.string() }),
    z.strictObject({ project: z.string() }),
  ]),
  monthlyUsd: z.number().positive(),
  /** Percentages of the budget that alert, each once a month. */
  thresholds: z.array(z.number().positive().max(500)).default([25, 50, 75, 100]),
  /** Also alert when the month-end forecast crosses a threshold. */
  forecast: z.boolean().default(false),
  /** Threshold percentage → who hears about it. */
  escalation: z
    .array(z.strictObject({ atPercent: z.number().positive(), notify: z.array(z.string()).min(1) }))
    .default([]),
  /** Optional: past a threshold, tighten the janitor for this scope until the month ends. */
  tighten: tighten.optional(),
});

/**
 * The daily cost watch (shared/cost/): which cost-allocation tags get their own series, when
 * a day is an anomaly, and which AWS-side sources to read too.
 *
 *   costWatch:
 *     tags: [team, project]
 *     minImpactUsd: 50
 *     minPercent: 35
 */
const costWatch = z
  .strictObject({
    /** Cost-allocation tag keys to watch per value (activate them in Billing first). */
    tags: z.array(z.string().min(1)).max(5).default(["team", "project"]),
    /** A day is an anomaly only if it costs at least this many dollars more than expected… */
    minImpactUsd: z.number().nonnegative().default(50),
    /** …and at least this percentage more. */
    minPercent: z.number().nonnegative().default(35),
    /** Robust z-score the excess must pass (excess / 1.4826·MAD). */
    minZ: z.number().positive().default(4),
    /** Cost Explorer revises recent days: refetch this many each run. */
    refetchDays: z.number().int().min(1).max(14).default(3),
    /** Days of history kept and backfilled on the first run. */
    historyDays: z.number().int().min(28).max(365).default(90),
    /** Also read AWS Cost Anomaly Detection (GetAnomalies) and merge its anomalies with ours. */
    awsAnomalyDetection: z.boolean().default(false),
    /** Also read monthly cost budgets kept in AWS Budgets (DescribeBudgets). */
    awsBudgets: z.boolean().default(false),
    /**
     * Name the billed resources (ARNs and their cost) of a SageMaker or EC2 anomaly with
     * GetCostAndUsageWithResources. Enable resource-level data in the Cost Explorer settings
     * first; each request costs $0.01 like the others.
     */
    resourceLevel: z.boolean().default(false),
  })
  .default({
    tags: ["team", "project"],
    minImpactUsd: 50,
    minPercent: 35,
    minZ: 4,
    refetchDays: 3,
    historyDays: 90,
    awsAnomalyDetection: false,
    awsBudgets: false,
    resourceLevel: false,
  });

export const configSchema = z
  .strictObject({
    version: z.literal(1),
    accounts: z
      .strictObject({
        /** `enforce` policies act only in these accounts (like aws-nuke's allowlist). */
        enforce: z.array(accountId).default([]),
      })
      .default({ enforce: [] }),
    regions: z.array(region).min(1).default(["us-east-1"]),
    tags: tagSettings,
    slack: slackSettings,
    safety: z
      .strictObject({
        /** At most this many destructive actions per run; the rest wait for the next run. */
        maxDestructiveActionsPerRun: z.number().int().min(0).default(10),
        /** Say what would be done, do nothing. */
        dryRun: z.boolean().default(false),
      })
      .default({ maxDestructiveActionsPerRun: 10, dryRun: false }),
    budgets: z.array(budget).default([]),
    costWatch,
    policies: z.array(policySchema).default([]),
  })
  .superRefine((config, ctx) => {
    config.budgets.forEach((budget, i) => {
      for (const message of tightenIssues(budget, config.policies)) {
        ctx.addIssue({ code: "custom", path: ["budgets", i, "tighten"], message });
      }
    });
    const seen = new Set<string>();
    config.policies.forEach((policy, i) => {
      if (seen.has(policy.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["policies", i, "name"],
          message: `duplicate policy name "${policy.name}"`,
        });
      }
      seen.add(policy.name);
      const detector = allDetectors().find((d) => d.type === policy.type);
      const allowed = ["none", ...(detector?.actions ?? [])];
      if (!allowed.includes(policy.timeoutAction)) {
        ctx.addIssue({
          code: "custom",
          path: ["policies", i, "timeoutAction"],
          message: `"${policy.timeoutAction}" is not possible for ${policy.type}; valid values: ${allowed.join(", ")}`,
        });
      }
      if (policy.mode === "enforce" && config.accounts.enforce.length === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["policies", i, "mode"],
          message: "mode enforce needs at least one account in accounts.enforce (the enforcement allowlist)",
        });
      }
    });
  });

type BudgetSettings = z.infer<typeof budget>;

/** A tightening must be announced by a threshold and name enforce-mode policies that can stop. */
function tightenIssues(
  budget: BudgetSettings,
  policies: ReadonlyArray<{ name: string; type: string; mode: string }>,
): string[] {
  const t = budget.tighten;
  if (!t) return [];
  const issues: string[] = [];
  if ("account" in budget.scope)
    issues.push("tighten applies to a team's or a project's budget, not the account's");
  if (!budget.thresholds.includes(t.atPercent)) {
    issues.push(
      `atPercent ${t.atPercent} must be one of the budget's thresholds (${budget.thresholds.join(", ")})`,
    );
  }
  if (!t.gracePeriod && t.timeoutAction === "none") {
    issues.push("tighten needs a gracePeriod, timeoutAction: stop, or both");
  }
  for (const name of t.policies) {
    const policy = policies.find((p) => p.name === name);
    if (!policy) {
      issues.push(
        `no policy named "${name}" (policies: ${policies.map((p) => p.name).join(", ") || "none"})`,
      );
    } else if (policy.mode !== "enforce") {
      issues.push(
        `policy "${name}" is in ${policy.mode} mode: it never acts, so there is nothing to tighten`,
      );
    } else if (t.timeoutAction === "stop") {
      const actions = allDetectors().find((d) => d.type === policy.type)?.actions ?? [];
      if (!actions.includes("stop")) {
        issues.push(
          `policy "${name}" (${policy.type}) cannot stop its resources; valid: ${actions.join(", ")}`,
        );
      }
    }
  }
  return issues;
}

export type JanitorConfig = z.infer<typeof configSchema>;
export type Policy = JanitorConfig["policies"][number];
