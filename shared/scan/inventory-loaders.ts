/** How each kind of inventory is read from AWS (the only step of a scan that lists resources). */
import type { AwsClients } from "../aws/clients.ts";
import { type EndpointConfigCache, loadEndpoints } from "../aws/endpoint-inventory.ts";
import type { Inventory, InventoryKind } from "../detectors/inventory.ts";

export interface LoaderOptions {
  endpointConfigCache?: EndpointConfigCache;
}

type Loaders = {
  [K in InventoryKind]: (clients: AwsClients, region: string, o: LoaderOptions) => Promise<Inventory[K]>;
};

export const INVENTORY_LOADERS: Loaders = {
  endpoints: (clients, region, o) =>
    loadEndpoints(clients.sagemaker, region, o.endpointConfigCache ? { cache: o.endpointConfigCache } : {}),
};
