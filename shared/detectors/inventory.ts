/**
 * What detectors see of the account: plain data, loaded by the scan through shared/aws
 * (one loader per kind in shared/scan/inventory-loaders.ts, each kind loaded once per run and
 * region). Detectors never call AWS themselves, so they stay pure and testable.
 */
import type { BucketLifecycleInfo } from "../s3/age-profile.ts";
import type { S3ObjectRecord } from "../s3/duplicates.ts";
import type { Tags } from "../types.ts";

export interface EndpointVariantInfo {
  name: string;
  /** Absent for serverless variants. */
  instanceType?: string;
  instanceCount: number;
  serverless?: { memorySizeInMB: number; maxConcurrency: number; provisionedConcurrency?: number };
}

export interface EndpointInfo {
  name: string;
  arn: string;
  region: string;
  status: string;
  configName: string;
  creationTime: Date;
  lastModifiedTime: Date;
  /** Asynchronous inference endpoints publish different metrics. */
  isAsync: boolean;
  variants: EndpointVariantInfo[];
  tags: Tags;
}

export interface NotebookInfo {
  name: string;
  arn: string;
  region: string;
  status: string;
  instanceType: string;
  creationTime: Date;
  lastModifiedTime: Date;
  volumeSizeInGB?: number;
  lifecycleConfigName?: string;
  tags: Tags;
}

export interface StudioAppInfo {
  domainId: string;
  userProfileName?: string;
  spaceName?: string;
  /** JupyterLab, CodeEditor, KernelGateway, JupyterServer, … */
  appType: string;
  appName: string;
  arn: string;
  region: string;
  status: string;
  instanceType?: string;
  creationTime: Date;
  tags: Tags;
}

export interface StudioDomainInfo {
  id: string;
  name: string;
  arn: string;
  region: string;
  status: string;
  creationTime: Date;
  /** Built-in idle shutdown per app type (JupyterLab, CodeEditor), from the domain's default settings. */
  idleShutdown: Record<string, { enabled: boolean; idleTimeoutMinutes?: number }>;
  tags: Tags;
}

export interface StudioUserProfileInfo {
  domainId: string;
  name: string;
  arn: string;
  region: string;
  creationTime: Date;
  /** Overrides of the domain's idle shutdown, per app type; absent = inherits the domain's. */
  idleShutdown: Record<string, { enabled: boolean; idleTimeoutMinutes?: number }>;
  tags: Tags;
}

export interface StudioSpaceInfo {
  domainId: string;
  name: string;
  arn: string;
  region: string;
  status: string;
  creationTime: Date;
  /** The user profile owning a private space (ListSpaces' OwnershipSettingsSummary); absent for shared spaces. */
  ownerUserProfileName?: string;
  tags: Tags;
}

export interface Ec2InstanceInfo {
  id: string;
  arn: string;
  region: string;
  instanceType: string;
  state: string;
  /** The last start (AWS resets it on every stop/start). */
  launchTime: Date;
  /** Private DNS name: the CloudWatch agent's `host` dimension is this host name. */
  privateDnsName?: string;
  /**
   * GPU series the CloudWatch agent publishes for this instance (nvidia_smi_*), discovered with
   * ListMetrics: their dimension sets depend on the agent's config, so they cannot be guessed.
   * Absent when discovery did not run; empty when it ran and found none.
   */
  gpuSeries?: MetricSeriesId[];
  tags: Tags;
}

/** One CloudWatch series, exactly as ListMetrics names it. */
export interface MetricSeriesId {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

export interface VolumeInfo {
  id: string;
  arn: string;
  region: string;
  volumeType: string;
  sizeGiB: number;
  state: string;
  createTime: Date;
  attachedInstanceId?: string;
  /** Provisioned IOPS (io1/io2, and gp3 above its free 3,000): billed on top of the size. */
  iops?: number;
  /** gp3 throughput in MiB/s (billed above its free 125). */
  throughputMiBps?: number;
  tags: Tags;
}

export interface TrainingJobInfo {
  name: string;
  arn: string;
  region: string;
  kind: "training" | "processing";
  status: string;
  creationTime: Date;
  startTime?: Date;
  instanceType: string;
  instanceCount: number;
  maxRuntimeInSeconds?: number;
  managedSpot: boolean;
  checkpointS3Uri?: string;
  /** Who started it, where AWS records it (e.g. the Studio user profile or IAM identity). */
  createdBy?: string;
  /** Heterogeneous training clusters: every instance group (then instanceType/Count are the first's). */
  instanceGroups?: Array<{ instanceType: string; instanceCount: number }>;
  /** Part of a hyperparameter tuning job (stopping it is the tuning job's business). */
  tuningJobArn?: string;
  tags: Tags;
}

export interface BucketInfo {
  name: string;
  arn: string;
  region: string;
  creationDate: Date;
  tags: Tags;
}

/** An incomplete multipart upload: its parts are billed as storage until completed or aborted. */
export interface MultipartUploadInfo {
  bucket: string;
  region: string;
  key: string;
  uploadId: string;
  initiated: Date;
  storageClass: string;
  parts: number;
  bytes: number;
}

/** The kinds of inventory a detector can ask for; the scan loads each once per run and region. */
export interface Inventory {
  endpoints: EndpointInfo[];
  notebooks: NotebookInfo[];
  studioApps: StudioAppInfo[];
  studioDomains: StudioDomainInfo[];
  studioUserProfiles: StudioUserProfileInfo[];
  studioSpaces: StudioSpaceInfo[];
  ec2Instances: Ec2InstanceInfo[];
  volumes: VolumeInfo[];
  trainingJobs: TrainingJobInfo[];
  buckets: BucketInfo[];
  /**
   * S3 objects that may be duplicates (sizes seen more than once above the loader's floor),
   * with what proves their content: not every object of the account.
   */
  s3Objects: S3ObjectRecord[];
  multipartUploads: MultipartUploadInfo[];
  /** Each bucket's lifecycle rules, versioning, and (when no rule transitions or expires) its age profile. */
  bucketLifecycles: BucketLifecycleInfo[];
}

export type InventoryKind = keyof Inventory;

/** An inventory with every kind empty: tests and partial scans fill in what they need. */
export function emptyInventory(partial: Partial<Inventory> = {}): Inventory {
  return {
    endpoints: [],
    notebooks: [],
    studioApps: [],
    studioDomains: [],
    studioUserProfiles: [],
    studioSpaces: [],
    ec2Instances: [],
    volumes: [],
    trainingJobs: [],
    buckets: [],
    s3Objects: [],
    multipartUploads: [],
    bucketLifecycles: [],
    ...partial,
  };
}
