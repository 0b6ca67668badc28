import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import pLimit from "p-limit";
import type { EndpointInfo } from "../detectors/inventory.ts";
import { describeEndpointConfig, type EndpointConfigSummary, searchEndpoints } from "./sagemaker.ts";

/** Config names are unique per account and region: a cache shared by several must key on both. */
export interface ConfigScope {
  accountId: string;
  region: string;
}

export interface CachedEndpointConfig {
  config: EndpointConfigSummary;
  /** When it was described: it holds for endpoints not modified since (see docs/decisions/003). */
  describedAt: Date;
}

/**
 * Endpoint configs never change once created, so they can be remembered across runs; the
 * scan passes a cache (in memory for a run; the store's makes nightly runs describe only
 * new configs). Reads and writes are batched: one round trip for a whole scan's configs.
 */
export interface EndpointConfigCache {
  /** The cached configs among `names`; a name absent from the answer is not cached. */
  getMany(scope: ConfigScope, names: readonly string[]): Promise<Map<string, CachedEndpointConfig>>;
  setMany(scope: ConfigScope, entries: readonly CachedEndpointConfig[]): Promise<void>;
}

export function memoryConfigCache(): EndpointConfigCache {
  const map = new Map<string, CachedEndpointConfig>();
  const key = (scope: ConfigScope, name: string) => `${scope.accountId}/${scope.region}/${name}`;
  return {
    getMany: async (scope, names) => {
      const found = new Map<string, CachedEndpointConfig>();
      for (const name of names) {
        const entry = map.get(key(scope, name));
        if (entry) found.set(name, entry);
      }
      return found;
    },
    setMany: async (scope, entries) => {
      for (const entry of entries) map.set(key(scope, entry.config.name), entry);
    },
  };
}

/** `arn:aws:sagemaker:<region>:<account>:endpoint/<name>` → its account. */
function accountOf(arn: string): string {
  return arn.split(":")[4] ?? "";
}

/**
 * Endpoints joined with their configs: instance types, async or not, serverless settings.
 * Configs are described once per distinct name, and only when the cache does not hold one
 * described after the last change of every endpoint using it: a config deleted and created
 * again under the same name can only be in use by an endpoint created or updated since.
 */
export async function loadEndpoints(
  client: SageMakerClient,
  region: string,
  options: { cache?: EndpointConfigCache; concurrency?: number; now?: () => Date } = {},
): Promise<EndpointInfo[]> {
  const cache = options.cache ?? memoryConfigCache();
  const now = options.now ?? (() => new Date());
  // Only the first night describes every config; adaptive retry backs off if SageMaker throttles.
  const limit = pLimit(options.concurrency ?? 16);
  const endpoints = await searchEndpoints(client);
  if (endpoints.length === 0) return [];
  const scope: ConfigScope = { accountId: accountOf(endpoints[0]!.arn), region };

  /** Config name → the latest change of an endpoint using it. */
  const changedAt = new Map<string, number>();
  for (const e of endpoints) {
    if (!e.configName) continue;
    const t = Math.max(e.creationTime.getTime(), e.lastModifiedTime.getTime());
    changedAt.set(e.configName, Math.max(t, changedAt.get(e.configName) ?? 0));
  }
  const names = [...changedAt.keys()];
  const cached = await cache.getMany(scope, names);
  const configs = new Map<string, EndpointConfigSummary>();
  const stale: string[] = [];
  for (const name of names) {
    const entry = cached.get(name);
    if (entry && entry.describedAt.getTime() >= changedAt.get(name)!) configs.set(name, entry.config);
    else stale.push(name);
  }
  const described = await Promise.allSettled(
    stale.map((name) =>
      limit(async () => ({ config: await describeEndpointConfig(client, name), describedAt: now() })),
    ),
  );
  const fresh = described.flatMap((d) => (d.status === "fulfilled" ? [d.value] : []));
  for (const entry of fresh) configs.set(entry.config.name, entry.config);
  // Remember what was described even if another describe failed: tomorrow need not repeat it.
  if (fresh.length > 0) await cache.setMany(scope, fresh);
  const failure = described.find((d) => d.status === "rejected");
  if (failure) throw failure.reason;

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
