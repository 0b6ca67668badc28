/**
 * How each kind of inventory is read from AWS (the only step of a scan that lists resources).
 * Each loader lives in shared/aws/ next to the SDK calls it makes.
 */

import { listBuckets, loadBuckets } from "../aws/bucket-inventory.ts";
import type { AwsClients } from "../aws/clients.ts";
import { loadEc2Instances, loadVolumes } from "../aws/ec2-inventory.ts";
import { type EndpointConfigCache, loadEndpoints } from "../aws/endpoint-inventory.ts";
import { loadNotebooks } from "../aws/notebooks.ts";
import { loadRegionBucketLifecycles } from "../aws/s3-lifecycle.ts";
import { loadMultipartUploads } from "../aws/s3-multipart.ts";
import { type LoaderNote, loadS3ObjectsBySource } from "../aws/s3-object-source.ts";
import {
  loadStudioApps,
  loadStudioDomains,
  loadStudioSpaces,
  loadStudioUserProfiles,
} from "../aws/studio.ts";
import { loadTrainingJobs } from "../aws/training-inventory.ts";
import type { Inventory, InventoryKind } from "../detectors/inventory.ts";
import { s3DuplicatesParams } from "../detectors/s3-duplicates.ts";
import { planFromPolicies } from "../s3/object-source-plan.ts";

export interface LoaderOptions {
  endpointConfigCache?: EndpointConfigCache;
  /**
   * The params of every enabled policy that reads this kind (each loader parses them with its
   * detector's schema): e.g. `s3Objects` reads only the union of the policies' scopes. None: the
   * loader's defaults (every resource).
   */
  policyParams?: unknown[];
  /** The scan's time (freshness of S3 Inventory reports, metric windows). */
  now?: Date;
  /** Where a loader says what the scan should report besides the inventory (a bucket skipped…). */
  note?: (note: LoaderNote) => void;
}

export type InventoryLoader<K extends InventoryKind> = (
  clients: AwsClients,
  region: string,
  options: LoaderOptions,
) => Promise<Inventory[K]>;

type Loaders = { [K in InventoryKind]: InventoryLoader<K> };

export const INVENTORY_LOADERS: Loaders = {
  endpoints: (clients, region, o) =>
    loadEndpoints(clients.sagemaker, region, o.endpointConfigCache ? { cache: o.endpointConfigCache } : {}),
  notebooks: (clients, region) => loadNotebooks(clients.sagemaker, clients.tagging, region),
  studioApps: (clients, region) => loadStudioApps(clients.sagemaker, clients.tagging, clients.sts, region),
  studioDomains: (clients, region) => loadStudioDomains(clients.sagemaker, clients.tagging, region),
  studioUserProfiles: (clients, region) => loadStudioUserProfiles(clients.sagemaker, clients.tagging, region),
  studioSpaces: (clients, region) =>
    loadStudioSpaces(clients.sagemaker, clients.tagging, clients.sts, region),
  ec2Instances: (clients, region) => loadEc2Instances(clients, region),
  volumes: (clients, region) => loadVolumes(clients, region),
  trainingJobs: (clients, region) => loadTrainingJobs(clients.sagemaker, region),
  buckets: (clients, region) => loadBuckets(clients.s3, clients.tagging, region),
  // Only the buckets/prefixes the policies scope, each from its best source (docs/decisions/011).
  s3Objects: (clients, region, o) =>
    loadS3ObjectsBySource(
      clients,
      region,
      planFromPolicies((o.policyParams ?? []).map((p) => s3DuplicatesParams.parse(p))),
      o.now ?? new Date(),
      o.note ?? (() => {}),
    ),
  multipartUploads: async (clients, region) => {
    const buckets = await listBuckets(clients.s3, region);
    const names = buckets.filter((b) => b.region === undefined || b.region === region).map((b) => b.name);
    return loadMultipartUploads(clients.s3, names, region);
  },
  bucketLifecycles: (clients, region, o) =>
    loadRegionBucketLifecycles(clients.s3, region, o.now ? { now: o.now } : {}),
};
