/**
 * How each kind of inventory is read from AWS (the only step of a scan that lists resources).
 * Each loader lives in shared/aws/ next to the SDK calls it makes.
 */
import type { AwsClients } from "../aws/clients.ts";
import { type EndpointConfigCache, loadEndpoints } from "../aws/endpoint-inventory.ts";
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

function notYet(kind: string): never {
  throw new Error(`the ${kind} inventory is not implemented yet`);
}

export const INVENTORY_LOADERS: Loaders = {
  endpoints: (clients, region, o) =>
    loadEndpoints(clients.sagemaker, region, o.endpointConfigCache ? { cache: o.endpointConfigCache } : {}),
  notebooks: async () => notYet("notebooks"),
  studioApps: async () => notYet("studioApps"),
  studioDomains: async () => notYet("studioDomains"),
  studioUserProfiles: async () => notYet("studioUserProfiles"),
  studioSpaces: async () => notYet("studioSpaces"),
  ec2Instances: async () => notYet("ec2Instances"),
  volumes: async () => notYet("volumes"),
  trainingJobs: async () => notYet("trainingJobs"),
  buckets: async () => notYet("buckets"),
};
