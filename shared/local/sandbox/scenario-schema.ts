import { z } from "zod";
import { lifecycleIssues, lifecycleRulesSchema } from "./services/s3/lifecycle-rule.ts";
import { isTimeExpression, parseDuration } from "./time-expr.ts";

/**
 * The scenario file as written: Sb* shapes with relative times ("-14d") and compact
 * generators for metric series and daily costs. Strict objects, so a typo'd key is an
 * error that names its path rather than a silently missing resource.
 */
const when = z.string().refine(isTimeExpression, {
  message: 'expected a time such as "now", "-14d", "-3h", "last fri 18:00" or an ISO instant',
});
const every = z.string().refine((s) => (parseDuration(s) ?? 0) >= 60_000, {
  message: 'expected a duration of at least a minute, e.g. "1m", "5m", "1h"',
});
const tags = z.record(z.string(), z.string()).default({});
const serverless = z.strictObject({
  memorySizeInMB: z.number().int().min(1024).max(6144),
  maxConcurrency: z.number().int().min(1).max(200),
  provisionedConcurrency: z.number().int().min(1).optional(),
});

const model = z.strictObject({
  name: z.string().min(1),
  image: z.string().min(1),
  modelDataUrl: z.string().optional(),
  executionRoleArn: z.string().optional(),
  created: when,
  tags,
});

const endpointConfig = z.strictObject({
  name: z.string().min(1),
  created: when,
  variants: z
    .array(
      z.strictObject({
        variantName: z.string().default("AllTraffic"),
        modelName: z.string(),
        instanceType: z.string().optional(),
        initialInstanceCount: z.number().int().min(1).optional(),
        serverlessConfig: serverless.optional(),
      }),
    )
    .min(1),
  asyncInference: z.strictObject({ outputS3Uri: z.string() }).optional(),
  tags,
});

const endpoint = z.strictObject({
  name: z.string().min(1),
  configName: z.string(),
  status: z
    .enum([
      "InService",
      "Creating",
      "Updating",
      "Failed",
      "Deleting",
      "OutOfService",
      "SystemUpdating",
      "RollingBack",
    ])
    .default("InService"),
  created: when,
  /** Defaults to `created`: an endpoint never updated since. */
  lastModified: when.optional(),
  /** Defaults to the config's variants at their initial counts. */
  variants: z
    .array(
      z.strictObject({
        variantName: z.string(),
        currentInstanceCount: z.number().int().min(0).optional(),
        currentWeight: z.number().min(0).optional(),
        currentServerlessConfig: serverless.optional(),
      }),
    )
    .optional(),
  tags,
});

const notebook = z.strictObject({
  name: z.string().min(1),
  status: z.enum(["Pending", "InService", "Stopping", "Stopped", "Failed", "Deleting", "Updating"]),
  instanceType: z.string(),
  created: when,
  lastModified: when.optional(),
  volumeSizeInGB: z.number().int().min(5).default(5),
  lifecycleConfigName: z.string().optional(),
  tags,
});

/** A notebook-instance lifecycle config; scripts are written as plain text (base64 on the wire). */
const lifecycleConfig = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/),
  onStart: z.string().optional(),
  onCreate: z.string().optional(),
  created: when,
});

const studioName = z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
const domainId = z.string().regex(/^d-[a-z0-9]{12}$/, 'a domain id such as "d-abcdefghijkl"');
const studioStatus = z
  .enum(["Deleting", "Failed", "InService", "Pending", "Updating", "Update_Failed", "Delete_Failed"])
  .default("InService");
const idleSettings = z.strictObject({
  lifecycleManagement: z.enum(["ENABLED", "DISABLED"]),
  idleTimeoutInMinutes: z.number().int().min(60).max(525_600).optional(),
});
/** Built-in idle shutdown per app type; an app type left out is not configured. */
const idleShutdown = z
  .strictObject({ JupyterLab: idleSettings.optional(), CodeEditor: idleSettings.optional() })
  .default({});

const studioDomain = z.strictObject({
  id: domainId,
  name: studioName,
  status: studioStatus,
  created: when,
  lastModified: when.optional(),
  idleShutdown,
  tags,
});

const userProfile = z.strictObject({
  domainId,
  name: studioName,
  status: studioStatus,
  created: when,
  lastModified: when.optional(),
  idleShutdown,
  tags,
});

const space = z.strictObject({
  domainId,
  name: studioName,
  status: studioStatus,
  created: when,
  lastModified: when.optional(),
  /** A private space's owner; shared spaces have none. */
  ownerUserProfileName: z.string().optional(),
  appType: z.enum(["JupyterLab", "CodeEditor"]).optional(),
  tags,
});

const app = z.strictObject({
  domainId,
  /** Exactly one of userProfileName (Studio Classic apps) and spaceName. */
  userProfileName: z.string().optional(),
  spaceName: z.string().optional(),
  appType: z.enum([
    "JupyterServer",
    "KernelGateway",
    "JupyterLab",
    "CodeEditor",
    "TensorBoard",
    "RStudioServerPro",
    "RSessionGateway",
    "Canvas",
    "DetailedProfiler",
  ]),
  appName: studioName.default("default"),
  status: z.enum(["Deleted", "Deleting", "Failed", "InService", "Pending"]).default("InService"),
  /** `system` for the free default apps. */
  instanceType: z.string().optional(),
  created: when,
  /** What AWS reports as LastUserActivityTimestamp (the last health check). Defaults to "now". */
  lastUserActivity: when.optional(),
  tags,
});

const studio = z
  .strictObject({
    domains: z.array(studioDomain).default([]),
    userProfiles: z.array(userProfile).default([]),
    spaces: z.array(space).default([]),
    apps: z.array(app).default([]),
  })
  .prefault({});

const trainingJob = z.strictObject({
  name: z.string().min(1),
  status: z.enum(["InProgress", "Completed", "Failed", "Stopping", "Stopped"]),
  created: when,
  started: when.optional(),
  ended: when.optional(),
  lastModified: when.optional(),
  instanceType: z.string(),
  instanceCount: z.number().int().min(1),
  volumeSizeInGB: z.number().int().min(1).default(50),
  maxRuntimeInSeconds: z.number().int().min(1),
  enableManagedSpotTraining: z.boolean().default(false),
  checkpointS3Uri: z.string().optional(),
  roleArn: z.string().optional(),
  tags,
});

const processingJob = z.strictObject({
  name: z.string().min(1),
  status: z.enum(["InProgress", "Completed", "Failed", "Stopping", "Stopped"]),
  created: when,
  started: when.optional(),
  ended: when.optional(),
  lastModified: when.optional(),
  instanceType: z.string(),
  instanceCount: z.number().int().min(1).max(100),
  volumeSizeInGB: z.number().int().min(1).max(16384).default(30),
  /** AWS's range: 1 s to 777,600 s (9 days); omit for a job without a stopping condition. */
  maxRuntimeInSeconds: z.number().int().min(1).max(777_600).optional(),
  roleArn: z.string().optional(),
  tags,
});

const instance = z.strictObject({
  instanceId: z.string().regex(/^i-[0-9a-f]+$/),
  instanceType: z.string(),
  state: z.enum(["pending", "running", "stopping", "stopped", "shutting-down", "terminated"]),
  launched: when,
  tags,
});

const volume = z.strictObject({
  volumeId: z.string().regex(/^vol-[0-9a-f]+$/),
  volumeType: z.enum(["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"]),
  sizeGiB: z.number().int().min(1),
  state: z.enum(["creating", "available", "in-use", "deleting", "deleted", "error"]),
  created: when,
  attachedInstanceId: z.string().optional(),
  tags,
});

/** Points every `every` from `from` to `to`; `pattern` shapes the value, `jitter` adds ± noise. */
const generator = z.strictObject({
  from: when,
  to: when,
  every,
  value: z.number(),
  pattern: z.enum(["flat", "weekday", "diurnal"]).default("flat"),
  /** Multiplier on Saturdays and Sundays (UTC) for the weekday pattern. */
  weekendFactor: z.number().min(0).default(0.3),
  jitter: z.number().min(0).max(1).default(0),
  /** Whole numbers, for counts such as Invocations. */
  round: z.boolean().default(false),
});

const metric = z.strictObject({
  namespace: z.string().min(1),
  metricName: z.string().min(1),
  dimensions: z.record(z.string(), z.string()).default({}),
  points: z.array(z.strictObject({ t: when, v: z.number() })).default([]),
  generate: z.union([generator, z.array(generator)]).optional(),
});

const costBase = {
  service: z.string().min(1),
  usageType: z.string().optional(),
  /** The ARN (or EC2 instance id) resource-level data names (GetCostAndUsageWithResources). */
  resourceId: z.string().min(1).optional(),
  tags: z.record(z.string(), z.string()).optional(),
};
/** Every day from `from` to `to` (both included), `dailyUsd` shaped like the metric generators. */
const costRange = z.strictObject({
  ...costBase,
  from: when,
  to: when,
  dailyUsd: z.number().min(0),
  pattern: z.enum(["flat", "weekday"]).default("flat"),
  weekendFactor: z.number().min(0).default(0.6),
  jitter: z.number().min(0).max(1).default(0),
});
const costDay = z.strictObject({ ...costBase, date: when, amountUsd: z.number() });

/** A cost budget kept in AWS Budgets (served by DescribeBudgets). */
const awsBudget = z.strictObject({
  name: z.string().min(1).max(100),
  limitUsd: z.number().positive(),
  timeUnit: z.enum(["DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY"]).default("MONTHLY"),
  budgetType: z.enum(["COST", "USAGE"]).default("COST"),
  /** e.g. { "TagKeyValue": ["user:team$vision"] }; none: the whole account. */
  costFilters: z.record(z.string(), z.array(z.string()).min(1)).default({}),
});

/** An anomaly a Cost Anomaly Detection monitor found (served by GetAnomalies). */
const awsAnomaly = z.strictObject({
  id: z.string().min(1),
  start: when,
  /** The last day seen; default yesterday (still going). */
  end: when.default("-1d"),
  rootCauses: z
    .array(
      z.strictObject({
        service: z.string().optional(),
        usageType: z.string().optional(),
        region: z.string().optional(),
        linkedAccount: z.string().optional(),
      }),
    )
    .default([]),
  expectedUsd: z.number().min(0),
  actualUsd: z.number().min(0),
  maxScore: z.number().min(0).default(1),
});

const anomalyMonitor = z.strictObject({
  name: z.string().min(1),
  /** Only service monitors (AWS services, DIMENSIONAL by SERVICE). */
  dimension: z.literal("SERVICE").default("SERVICE"),
  anomalies: z.array(awsAnomaly).default([]),
});

const PART_MAX_BYTES = 5 * 1024 ** 3;
const partSize = z.number().int().min(0).max(PART_MAX_BYTES);
/** Virtual parts: sizes only. `{ count, size }` stands for `count` parts of `size` bytes. */
const multipartUpload = z
  .strictObject({
    key: z.string().min(1),
    /** Defaults to an id derived from the bucket, key and start time. */
    uploadId: z.string().min(1).optional(),
    initiated: when,
    storageClass: z.string().default("STANDARD"),
    parts: z
      .array(z.union([partSize, z.strictObject({ count: z.number().int().min(1), size: partSize })]))
      .default([]),
  })
  .refine((u) => u.parts.reduce<number>((n, p) => n + (typeof p === "number" ? 1 : p.count), 0) <= 10_000, {
    message: "an upload has at most 10,000 parts",
    path: ["parts"],
  });

const bucket = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
    created: when,
    tags,
    objects: z
      .array(
        z.strictObject({
          key: z.string().min(1),
          seed: z.string(),
          size: z.number().int().min(0),
          storageClass: z.string().optional(),
          lastModified: when.optional(),
        }),
      )
      .default([]),
    /** Rules as the S3 API shapes them (GetBucketLifecycleConfiguration's Rules); absent = none. */
    lifecycle: lifecycleRulesSchema.optional(),
    multipartUploads: z.array(multipartUpload).default([]),
    /** Absent = never versioned. */
    versioning: z.enum(["Enabled", "Suspended"]).optional(),
  })
  .superRefine((b, ctx) => {
    for (const issue of lifecycleIssues(b.lifecycle ?? [])) {
      ctx.addIssue({ code: "custom", message: issue.message, path: ["lifecycle"] });
    }
    // Uploads without an id get one derived from key and start: those must differ too.
    const ids = b.multipartUploads.map((u) => u.uploadId ?? `${u.key} started ${u.initiated}`);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup)
      ctx.addIssue({ code: "custom", message: `duplicate upload "${dup}"`, path: ["multipartUploads"] });
  });

export const rawScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string().default(""),
  accountId: z.string().regex(/^\d{12}$/),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
  callerArn: z.string().optional(),
  sagemaker: z
    .strictObject({
      models: z.array(model).default([]),
      endpointConfigs: z.array(endpointConfig).default([]),
      endpoints: z.array(endpoint).default([]),
      notebookInstances: z.array(notebook).default([]),
      notebookLifecycleConfigs: z.array(lifecycleConfig).default([]),
      studio,
      trainingJobs: z.array(trainingJob).default([]),
      processingJobs: z.array(processingJob).default([]),
    })
    .prefault({}),
  ec2: z
    .strictObject({ instances: z.array(instance).default([]), volumes: z.array(volume).default([]) })
    .prefault({}),
  metrics: z.array(metric).default([]),
  costs: z.array(z.union([costRange, costDay])).default([]),
  budgets: z.array(awsBudget).default([]),
  anomalyMonitors: z.array(anomalyMonitor).default([]),
  s3: z.strictObject({ buckets: z.array(bucket).default([]) }).prefault({}),
});

export type RawScenario = z.infer<typeof rawScenarioSchema>;
export type RawGenerator = z.infer<typeof generator>;
export type RawCostRange = z.infer<typeof costRange>;
