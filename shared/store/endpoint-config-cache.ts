/**
 * The endpoint config cache in the janitor table, so a nightly scan describes only configs it
 * has not seen (docs/decisions/003). Configs never change once created; a name can be reused
 * after a delete, which the loader guards against by the describe time, and the TTL ages out
 * configs nobody uses any more.
 *
 * | item            | pk                                           | sk   | TTL        |
 * |-----------------|----------------------------------------------|------|------------|
 * | endpoint config | ENDPOINTCONFIG#<accountId>#<region>#<name>   | META | at + 30 d  |
 *
 * Reads are BatchGetItem (100 keys per call, eventually consistent: a config is immutable),
 * writes BatchWriteItem (25 puts per call); unprocessed keys and items are retried.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
} from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import type { CachedEndpointConfig, ConfigScope, EndpointConfigCache } from "../aws/endpoint-inventory.ts";
import type { EndpointConfigSummary } from "../aws/sagemaker.ts";
import { errorMessage, StoreError } from "../errors.ts";
import { type Key, META_SK, plain } from "./items.ts";
import { TTL_ATTRIBUTE } from "./table-schema.ts";

type Item = Record<string, NativeAttributeValue>;

export const ENDPOINT_CONFIG_TTL_DAYS = 30;
const BATCH_GET_KEYS = 100;
const BATCH_WRITE_ITEMS = 25;
const MAX_ATTEMPTS = 5;

export const endpointConfigKey = (scope: ConfigScope, name: string): Key => ({
  pk: `ENDPOINTCONFIG#${scope.accountId}#${scope.region}#${name}`,
  sk: META_SK,
});

export interface EndpointConfigItem extends Key {
  kind: "endpointConfig";
  accountId: string;
  region: string;
  name: string;
  config: EndpointConfigSummary;
  describedAt: string;
  [TTL_ATTRIBUTE]: number;
}

export interface DynamoEndpointConfigCacheOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** The clock the TTL is computed from (tests pass a fixed one). */
  now?: () => Date;
  concurrency?: number;
  /**
   * When given, a failing read or write is reported here and the scan goes on as if the
   * cache were empty (it only costs describes); without it, it throws a StoreError.
   */
  onError?: (error: StoreError) => void;
}

export class DynamoEndpointConfigCache implements EndpointConfigCache {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => Date;
  readonly #concurrency: number;
  readonly #onError: ((error: StoreError) => void) | undefined;

  constructor(options: DynamoEndpointConfigCacheOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#now = options.now ?? (() => new Date());
    this.#concurrency = options.concurrency ?? 4;
    this.#onError = options.onError;
  }

  async getMany(scope: ConfigScope, names: readonly string[]): Promise<Map<string, CachedEndpointConfig>> {
    const found = new Map<string, CachedEndpointConfig>();
    const unique = [...new Set(names)];
    if (unique.length === 0) return found;
    const items = await this.#guard("read endpoint configs", [] as Item[], async () => {
      const chunks = chunk(unique, BATCH_GET_KEYS);
      const limit = pLimit(this.#concurrency);
      const pages = await Promise.all(
        chunks.map((names) => limit(() => this.#batchGet(names.map((n) => endpointConfigKey(scope, n))))),
      );
      return pages.flat();
    });
    // DynamoDB deletes expired items only eventually: an expired one is a miss.
    const nowSeconds = Math.floor(this.#now().getTime() / 1000);
    for (const item of items as EndpointConfigItem[]) {
      if (item[TTL_ATTRIBUTE] <= nowSeconds) continue;
      found.set(item.name, { config: item.config, describedAt: new Date(item.describedAt) });
    }
    return found;
  }

  async setMany(scope: ConfigScope, entries: readonly CachedEndpointConfig[]): Promise<void> {
    if (entries.length === 0) return;
    const expiresAt = Math.floor(this.#now().getTime() / 1000) + ENDPOINT_CONFIG_TTL_DAYS * 86_400;
    // One item per name: a batch may not hold the same key twice.
    const byName = new Map(entries.map((e) => [e.config.name, e]));
    const items: EndpointConfigItem[] = [...byName.values()].map((e) => ({
      ...endpointConfigKey(scope, e.config.name),
      kind: "endpointConfig",
      accountId: scope.accountId,
      region: scope.region,
      name: e.config.name,
      config: plain(e.config),
      describedAt: e.describedAt.toISOString(),
      [TTL_ATTRIBUTE]: expiresAt,
    }));
    await this.#guard("write endpoint configs", undefined, async () => {
      const limit = pLimit(this.#concurrency);
      await Promise.all(chunk(items, BATCH_WRITE_ITEMS).map((batch) => limit(() => this.#batchWrite(batch))));
    });
  }

  async #batchGet(keys: Key[]): Promise<Item[]> {
    const found: Item[] = [];
    let pending: Item[] = keys.map((k) => ({ ...k }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new StoreError(`${pending.length} keys still unprocessed after ${MAX_ATTEMPTS} tries`);
      }
      if (attempt > 1) await backoff(attempt);
      const out = await this.#client.send(
        new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: pending } } }),
      );
      found.push(...(out.Responses?.[this.#table] ?? []));
      pending = out.UnprocessedKeys?.[this.#table]?.Keys ?? [];
    }
    return found;
  }

  async #batchWrite(items: EndpointConfigItem[]): Promise<void> {
    let pending = items.map((Item) => ({ PutRequest: { Item: Item as Item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new StoreError(`${pending.length} items still unprocessed after ${MAX_ATTEMPTS} tries`);
      }
      if (attempt > 1) await backoff(attempt);
      const out = await this.#client.send(
        new BatchWriteCommand({ RequestItems: { [this.#table]: pending } }),
      );
      pending = (out.UnprocessedItems?.[this.#table] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
      );
    }
  }

  async #guard<T>(what: string, fallback: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const error =
        err instanceof StoreError
          ? new StoreError(`${what}: ${err.message}`, { cause: err })
          : new StoreError(`${what}: ${err instanceof Error ? err.name : "Error"}: ${errorMessage(err)}`, {
              cause: err,
            });
      if (!this.#onError) throw error;
      this.#onError(error);
      return fallback;
    }
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * 20 * 2 ** attempt;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
