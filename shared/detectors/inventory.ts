/**
 * What detectors see of the account: plain data, loaded by the scan through shared/aws
 * (one loader per kind in shared/scan/inventory-loaders.ts, each kind loaded once per run and
 * region). Detectors never call AWS themselves, so they stay pure and testable.
 */
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
  tags: Tags;
}

export interface Ec2InstanceInfo {
  id: string;
  arn: string;
  region: string;
  instanceType: string;
  state: string;
  launchTime: Date;
  tags: Tags;
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
  tags: Tags;
}

export interface BucketInfo {
  name: string;
  arn: string;
  region: string;
  creationDate: Date;
  tags: Tags;
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
    ...partial,
  };
}
