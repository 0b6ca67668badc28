/**
 * The sandbox account's world: what the fake AWS serves. All times are epoch milliseconds,
 * already resolved (scenario files use relative times such as "-14d"; see scenario.ts).
 */

import type { SbLifecycleRule } from "./services/s3/lifecycle-rule.ts";

export type { SbLifecycleRule };

export type SbTags = Record<string, string>;

export interface SbServerlessConfig {
  memorySizeInMB: number;
  maxConcurrency: number;
  provisionedConcurrency?: number;
}

export interface SbEndpointConfigVariant {
  variantName: string;
  modelName: string;
  /** Absent for serverless variants. */
  instanceType?: string;
  initialInstanceCount?: number;
  serverlessConfig?: SbServerlessConfig;
}

export interface SbEndpointConfig {
  name: string;
  creationTime: number;
  variants: SbEndpointConfigVariant[];
  /** Present for asynchronous inference endpoints. */
  asyncInference?: { outputS3Uri: string };
  tags: SbTags;
}

export interface SbEndpointVariant {
  variantName: string;
  currentInstanceCount?: number;
  currentWeight?: number;
  /** For serverless variants. */
  currentServerlessConfig?: SbServerlessConfig;
}

export interface SbEndpoint {
  name: string;
  configName: string;
  status:
    | "InService"
    | "Creating"
    | "Updating"
    | "Failed"
    | "Deleting"
    | "OutOfService"
    | "SystemUpdating"
    | "RollingBack";
  creationTime: number;
  lastModifiedTime: number;
  variants: SbEndpointVariant[];
  tags: SbTags;
}

export interface SbModel {
  name: string;
  image: string;
  modelDataUrl?: string;
  executionRoleArn: string;
  creationTime: number;
  tags: SbTags;
}

export interface SbNotebookInstance {
  name: string;
  status: "Pending" | "InService" | "Stopping" | "Stopped" | "Failed" | "Deleting" | "Updating";
  instanceType: string;
  creationTime: number;
  lastModifiedTime: number;
  volumeSizeInGB: number;
  lifecycleConfigName?: string;
  tags: SbTags;
}

export interface SbNotebookLifecycleConfig {
  name: string;
  /** Base64 script content, as the API carries it; at most one hook each. */
  onStart?: string;
  onCreate?: string;
  creationTime: number;
  lastModifiedTime: number;
}

/** Built-in idle shutdown (AppLifecycleManagement.IdleSettings) for one app type. */
export interface SbIdleSettings {
  lifecycleManagement: "ENABLED" | "DISABLED";
  idleTimeoutInMinutes?: number;
}

/** Per app type ("JupyterLab", "CodeEditor"); a type absent from the record is not configured. */
export type SbIdleShutdown = Partial<Record<"JupyterLab" | "CodeEditor", SbIdleSettings>>;

export interface SbStudioDomain {
  /** `d-` and 12 lowercase letters or digits. */
  id: string;
  name: string;
  status: "Deleting" | "Failed" | "InService" | "Pending" | "Updating" | "Update_Failed" | "Delete_Failed";
  creationTime: number;
  lastModifiedTime: number;
  /** The domain's DefaultUserSettings idle shutdown. */
  idleShutdown: SbIdleShutdown;
  tags: SbTags;
}

export interface SbStudioUserProfile {
  domainId: string;
  name: string;
  status: "Deleting" | "Failed" | "InService" | "Pending" | "Updating" | "Update_Failed" | "Delete_Failed";
  creationTime: number;
  lastModifiedTime: number;
  /** Overrides of the domain's idle shutdown. */
  idleShutdown: SbIdleShutdown;
  tags: SbTags;
}

export interface SbStudioSpace {
  domainId: string;
  name: string;
  status: "Deleting" | "Failed" | "InService" | "Pending" | "Updating" | "Update_Failed" | "Delete_Failed";
  creationTime: number;
  lastModifiedTime: number;
  /** Private spaces belong to a user profile; shared spaces have none. */
  ownerUserProfileName?: string;
  appType?: "JupyterLab" | "CodeEditor";
  tags: SbTags;
}

export interface SbStudioApp {
  domainId: string;
  /** Exactly one of userProfileName (Studio Classic) and spaceName. */
  userProfileName?: string;
  spaceName?: string;
  appType: string;
  appName: string;
  status: "Deleted" | "Deleting" | "Failed" | "InService" | "Pending";
  /** `system` for the free default apps; absent when AWS reports no ResourceSpec. */
  instanceType?: string;
  creationTime: number;
  /** Equals the last health check in AWS, not the last use: the janitor must not trust it. */
  lastUserActivityTime?: number;
  tags: SbTags;
}

export interface SbTrainingJob {
  name: string;
  status: "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";
  creationTime: number;
  trainingStartTime?: number;
  trainingEndTime?: number;
  lastModifiedTime: number;
  instanceType: string;
  instanceCount: number;
  volumeSizeInGB: number;
  maxRuntimeInSeconds: number;
  enableManagedSpotTraining: boolean;
  checkpointS3Uri?: string;
  roleArn: string;
  tags: SbTags;
}

export interface SbProcessingJob {
  name: string;
  status: "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";
  creationTime: number;
  processingStartTime?: number;
  processingEndTime?: number;
  lastModifiedTime: number;
  instanceType: string;
  instanceCount: number;
  volumeSizeInGB: number;
  /** Optional in CreateProcessingJob: absent means the job set no stopping condition. */
  maxRuntimeInSeconds?: number;
  roleArn: string;
  tags: SbTags;
}

export interface SbEc2Instance {
  instanceId: string;
  instanceType: string;
  state: "pending" | "running" | "stopping" | "stopped" | "shutting-down" | "terminated";
  launchTime: number;
  tags: SbTags;
}

export interface SbEbsVolume {
  volumeId: string;
  volumeType: "gp2" | "gp3" | "io1" | "io2" | "st1" | "sc1" | "standard";
  sizeGiB: number;
  state: "creating" | "available" | "in-use" | "deleting" | "deleted" | "error";
  createTime: number;
  attachedInstanceId?: string;
  tags: SbTags;
}

/** An EBS snapshot; none in scenarios: the janitor's delete-volume action creates them. */
export interface SbEbsSnapshot {
  snapshotId: string;
  volumeId: string;
  volumeSizeGiB: number;
  /** The sandbox completes snapshots at once (AWS takes minutes to hours). */
  state: "pending" | "completed" | "error";
  startTime: number;
  description: string;
  tags: SbTags;
}

export interface SbMetricSeries {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Raw datapoints (already at >= 1 minute resolution); aggregated by GetMetricData. */
  points: Array<{ t: number; v: number }>;
}

export interface SbDailyCost {
  /** YYYY-MM-DD (UTC). */
  date: string;
  service: string;
  usageType?: string;
  /** Resource-level data (GetCostAndUsageWithResources): the ARN or instance id billed. */
  resourceId?: string;
  amountUsd: number;
  tags?: SbTags;
}

/** A cost budget kept in AWS Budgets (DescribeBudgets). */
export interface SbBudget {
  name: string;
  limitUsd: number;
  timeUnit: "DAILY" | "MONTHLY" | "QUARTERLY" | "ANNUALLY";
  budgetType: "COST" | "USAGE";
  /** e.g. { TagKeyValue: ["user:team$vision"] }; empty for the whole account. */
  costFilters: Record<string, string[]>;
}

/** One anomaly an AWS Cost Anomaly Detection monitor found. */
export interface SbCostAnomaly {
  id: string;
  monitorArn: string;
  /** YYYY-MM-DD; `endDate` is the last day seen (yesterday while it lasts). */
  startDate: string;
  endDate: string;
  /** The monitored dimension's value, e.g. the service. */
  dimensionValue: string;
  rootCauses: Array<{ service?: string; usageType?: string; region?: string; linkedAccount?: string }>;
  expectedUsd: number;
  actualUsd: number;
  maxScore: number;
}

export interface SbAnomalyMonitor {
  name: string;
  arn: string;
  dimension: "SERVICE";
  anomalies: SbCostAnomaly[];
}

export interface SbS3Object {
  key: string;
  /** Object body. Content is generated from `seed` and `size` so copies share a seed. */
  seed: string;
  size: number;
  storageClass?: string;
  lastModified?: number;
}

/**
 * An incomplete multipart upload. Virtual: its parts have sizes but no content (nobody reads
 * parts), so a scenario can hold a 180 GiB abandoned upload.
 */
export interface SbMultipartUpload {
  key: string;
  uploadId: string;
  initiated: number;
  storageClass: string;
  /** Part sizes in bytes; part N is `parts[N - 1]`. */
  parts: number[];
}

export interface SbS3Bucket {
  name: string;
  creationTime: number;
  tags: SbTags;
  objects: SbS3Object[];
  /** The lifecycle rules as the S3 API shapes them; absent = no lifecycle configuration. */
  lifecycle?: SbLifecycleRule[];
  /** Absent or empty = none in progress. */
  multipartUploads?: SbMultipartUpload[];
  /** Absent = never versioned. */
  versioning?: "Enabled" | "Suspended";
}

export interface Scenario {
  name: string;
  description: string;
  accountId: string;
  region: string;
  /** The caller identity the sandbox reports. */
  callerArn: string;
  /** The instant the scenario was resolved against ("now" for the sandbox). */
  now: number;
  sagemaker: {
    endpoints: SbEndpoint[];
    endpointConfigs: SbEndpointConfig[];
    models: SbModel[];
    notebookInstances: SbNotebookInstance[];
    notebookLifecycleConfigs: SbNotebookLifecycleConfig[];
    studio: {
      domains: SbStudioDomain[];
      userProfiles: SbStudioUserProfile[];
      spaces: SbStudioSpace[];
      apps: SbStudioApp[];
    };
    trainingJobs: SbTrainingJob[];
    processingJobs: SbProcessingJob[];
  };
  ec2: { instances: SbEc2Instance[]; volumes: SbEbsVolume[]; snapshots?: SbEbsSnapshot[] };
  metrics: SbMetricSeries[];
  costs: SbDailyCost[];
  /** AWS Budgets' cost budgets (the janitor's own are in janitor.yml). */
  budgets: SbBudget[];
  /** AWS Cost Anomaly Detection monitors and what they found (GetAnomalies). */
  anomalyMonitors: SbAnomalyMonitor[];
  s3: { buckets: SbS3Bucket[] };
}

/** Knobs that make the sandbox behave like a busy or unreliable AWS. */
export interface SandboxKnobs {
  /** Added to every call, in milliseconds. */
  latencyMs: number;
  /** Fraction (0..1) of calls answered with the service's throttling error. */
  throttleRate: number;
  /** Fraction (0..1) of calls answered with a 500 internal error. */
  faultRate: number;
  /** Seed for the pseudo-random choice of throttled/faulted calls (reproducible runs). */
  seed: number;
  /** Operations (e.g. "SageMaker.ListEndpoints") that always fail with a 500 — for tests. */
  failOperations: string[];
}
