/**
 * What detectors see of the account: plain data, loaded by the scan through shared/aws.
 * Detectors never call AWS themselves, so they stay pure and testable.
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

/** The kinds of inventory a detector can ask for; the scan loads each once per run. */
export interface Inventory {
  endpoints: EndpointInfo[];
}

export type InventoryKind = keyof Inventory;
