/**
 * How each kind of inventory is read from AWS (the only step of a scan that lists resources).
 * Each loader lives in shared/aws/ next to the SDK calls it makes.
 */

import { listBuckets, loadBuckets } from "../aws/bucket-inventory.ts";
import type { AwsClients } from "../aws/clients.ts";
import { loadEc2Instances, loadVolumes } from "../aws/ec2-inventory.ts";
import { type EndpointConfigCache, loadEndpoints } from "../aws/endpoint-inventory.ts";
import { loadNotebooks } from "../aws/notebooks.ts";
import { loadMultipartUploads } from "../aws/s3-multipart.ts";
import { loadS3Objects } from "../aws/s3-objects.ts";
import {
  loadStudioApps,
  loadStudioDomains,
  loadStudioSpaces,
  loadStudioUserProfiles,
} from "../aws/studio.ts";
import { loadTrainingJobs } from "../aws/training-inventory.ts";
import type { Inventory, InventoryKind } from "../detectors/inventory.ts";

export interface LoaderOptions {
  endpointConfigCache?: EndpointConfigCache;
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
  // Every bucket of the region: the loader does not see policy params (the detector narrows).
  s3Objects: async (clients, region) => {
    const buckets = await listBuckets(clients.s3, region);
    const names = buckets.filter((b) => b.region === undefined || b.region === region).map((b) => b.name);
    return loadS3Objects(clients.s3, names, region);
  },
  multipartUploads: async (clients, region) => {
    const buckets = await listBuckets(clients.s3, region);
    const names = buckets.filter((b) => b.region === undefined || b.region === region).map((b) => b.name);
    return loadMultipartUploads(clients.s3, names, region);
  },
};
