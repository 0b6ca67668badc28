import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import pLimit from "p-limit";
import type { EndpointInfo } from "../detectors/inventory.ts";
import { describeEndpointConfig, type EndpointConfigSummary, searchEndpoints } from "./sagemaker.ts";

/**
 * Endpoint configs never change once created, so they can be remembered across runs; the
 * scan passes a cache (in memory for a run; a persistent one makes nightly runs cheaper).
 */
export interface EndpointConfigCache {
  get(name: string): Promise<EndpointConfigSummary | undefined>;
  set(config: EndpointConfigSummary): Promise<void>;
}

export function memoryConfigCache(): EndpointConfigCache {
  const map = new Map<string, EndpointConfigSummary>();
  return {
    get: async (name) => map.get(name),
    set: async (config) => {
      map.set(config.name, config);
    },
  };
}

/** Endpoints joined with their configs: instance types, async or not, serverless settings. */
export async function loadEndpoints(
  client: SageMakerClient,
  region: string,
  options: { cache?: EndpointConfigCache; concurrency?: number } = {},
): Promise<EndpointInfo[]> {
  const cache = options.cache ?? memoryConfigCache();
  const limit = pLimit(options.concurrency ?? 8);
  const endpoints = await searchEndpoints(client);
  const configNames = [...new Set(endpoints.map((e) => e.configName).filter(Boolean))];
  const configs = new Map<string, EndpointConfigSummary>();
  await Promise.all(
    configNames.map((name) =>
      limit(async () => {
        let config = await cache.get(name);
        if (!config) {
          config = await describeEndpointConfig(client, name);
          await cache.set(config);
        }
        configs.set(name, config);
      }),
    ),
  );
  return endpoints.map((e) => {
    const config = configs.get(e.configName);
    return {
      name: e.name,
      arn: e.arn,
      region,
      status: e.status,
      configName: e.configName,
      creationTime: e.creationTime,
      lastModifiedTime: e.lastModifiedTime,
      isAsync: config?.isAsync ?? false,
      tags: e.tags,
      variants: e.variants.map((v) => {
        const cv = config?.variants.find((c) => c.name === v.name);
        const serverless = v.serverless ?? cv?.serverless;
        return {
          name: v.name,
          ...(cv?.instanceType ? { instanceType: cv.instanceType } : {}),
          instanceCount: v.currentInstanceCount ?? cv?.initialInstanceCount ?? 0,
          ...(serverless ? { serverless } : {}),
        };
      }),
    };
  });
}
