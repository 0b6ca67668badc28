import {
  DescribeEndpointConfigCommand,
  SageMakerClient,
  SearchCommand,
  type SearchCommandOutput,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type CachedEndpointConfig,
  type ConfigScope,
  type EndpointConfigCache,
  loadEndpoints,
  memoryConfigCache,
} from "../../../shared/aws/endpoint-inventory.ts";

const sm = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: "us-east-1" });
const SCOPE: ConfigScope = { accountId: "123456789012", region: "us-east-1" };
const CREATED = new Date("2026-10-01T00:00:00Z");
const DESCRIBED = new Date("2026-11-01T00:00:00Z");
const NOW = new Date("2026-11-23T02:00:00Z");

function searchResult(
  endpoints: Array<{ name: string; config: string; modified?: Date }>,
): SearchCommandOutput {
  return {
    $metadata: {},
    Results: endpoints.map((e) => ({
      Endpoint: {
        EndpointName: e.name,
        EndpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${e.name}`,
        EndpointConfigName: e.config,
        EndpointStatus: "InService",
        CreationTime: CREATED,
        LastModifiedTime: e.modified ?? CREATED,
        ProductionVariants: [{ VariantName: "AllTraffic", CurrentInstanceCount: 1 }],
        Tags: [],
      },
    })),
  };
}

function cached(name: string, instanceType: string, describedAt = DESCRIBED): CachedEndpointConfig {
  return {
    config: {
      name,
      isAsync: false,
      variants: [{ name: "AllTraffic", instanceType, initialInstanceCount: 1 }],
    },
    describedAt,
  };
}

/** A memory cache that records what the loader asked and stored. */
function spyCache(initial: CachedEndpointConfig[] = []) {
  const inner = memoryConfigCache();
  const calls = { getMany: [] as string[][], setMany: [] as string[][] };
  const cache: EndpointConfigCache = {
    async getMany(scope, names) {
      calls.getMany.push([...names]);
      return inner.getMany(scope, names);
    },
    async setMany(scope, entries) {
      calls.setMany.push(entries.map((e) => e.config.name));
      return inner.setMany(scope, entries);
    },
  };
  return { cache, calls, ready: inner.setMany(SCOPE, initial) };
}

beforeEach(() => {
  sm.reset();
  sm.on(DescribeEndpointConfigCommand).callsFake((input: { EndpointConfigName: string }) => ({
    EndpointConfigName: input.EndpointConfigName,
    ProductionVariants: [
      { VariantName: "AllTraffic", InstanceType: "ml.g5.xlarge", InitialInstanceCount: 1, ModelName: "m" },
    ],
  }));
});

describe("loadEndpoints with a config cache", () => {
  it("asks the cache once for every config, describes the misses and stores them", async () => {
    sm.on(SearchCommand).resolves(
      searchResult([
        { name: "a", config: "a-config" },
        { name: "b", config: "shared-config" },
        { name: "c", config: "shared-config" },
      ]),
    );
    const { cache, calls, ready } = spyCache();
    await ready;

    const endpoints = await loadEndpoints(client, "us-east-1", { cache, now: () => NOW });

    expect(calls.getMany).toEqual([["a-config", "shared-config"]]);
    expect(sm).toHaveReceivedCommandTimes(DescribeEndpointConfigCommand, 2);
    expect(calls.setMany).toEqual([["a-config", "shared-config"]]);
    expect(endpoints.map((e) => e.variants[0]!.instanceType)).toEqual([
      "ml.g5.xlarge",
      "ml.g5.xlarge",
      "ml.g5.xlarge",
    ]);
    const stored = await cache.getMany(SCOPE, ["a-config"]);
    expect(stored.get("a-config")!.describedAt).toEqual(NOW);
  });

  it("describes nothing when every config is cached from after the endpoints' last change", async () => {
    sm.on(SearchCommand).resolves(searchResult([{ name: "a", config: "a-config" }]));
    const { cache, calls, ready } = spyCache([cached("a-config", "ml.m5.large")]);
    await ready;

    const [a] = await loadEndpoints(client, "us-east-1", { cache, now: () => NOW });

    expect(sm).toHaveReceivedCommandTimes(DescribeEndpointConfigCommand, 0);
    expect(calls.setMany).toEqual([]);
    expect(a!.variants[0]!.instanceType).toBe("ml.m5.large");
  });

  it("describes again a config whose endpoint changed after it was cached (a name reused after a delete)", async () => {
    const after = new Date(DESCRIBED.getTime() + 60_000);
    sm.on(SearchCommand).resolves(searchResult([{ name: "a", config: "a-config", modified: after }]));
    const { cache, calls, ready } = spyCache([cached("a-config", "ml.m5.large")]);
    await ready;

    const [a] = await loadEndpoints(client, "us-east-1", { cache, now: () => NOW });

    expect(sm).toHaveReceivedCommandWith(DescribeEndpointConfigCommand, { EndpointConfigName: "a-config" });
    expect(calls.setMany).toEqual([["a-config"]]);
    expect(a!.variants[0]!.instanceType).toBe("ml.g5.xlarge");
  });

  it("stores what it described even when another describe fails, then fails", async () => {
    sm.on(SearchCommand).resolves(
      searchResult([
        { name: "a", config: "a-config" },
        { name: "b", config: "gone-config" },
      ]),
    );
    sm.on(DescribeEndpointConfigCommand, { EndpointConfigName: "gone-config" }).rejects(new Error("boom"));
    const { cache, calls, ready } = spyCache();
    await ready;

    await expect(loadEndpoints(client, "us-east-1", { cache, now: () => NOW })).rejects.toThrow("boom");
    expect(calls.setMany).toEqual([["a-config"]]);
  });

  it("makes no cache call for an account without endpoints", async () => {
    sm.on(SearchCommand).resolves(searchResult([]));
    const { cache, calls } = spyCache();
    expect(await loadEndpoints(client, "us-east-1", { cache })).toEqual([]);
    expect(calls.getMany).toEqual([]);
  });
});
