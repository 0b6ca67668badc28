import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import type { CachedEndpointConfig } from "../../../shared/aws/endpoint-inventory.ts";
import { StoreError } from "../../../shared/errors.ts";
import { DynamoEndpointConfigCache } from "../../../shared/store/endpoint-config-cache.ts";

const TABLE = "janitor";
const NOW = new Date("2026-11-23T02:00:00.000Z");
const NOW_S = NOW.getTime() / 1000;
const SCOPE = { accountId: "123456789012", region: "us-east-1" };
const DESCRIBED = new Date("2026-11-20T02:00:00.000Z");

const ddb = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" }));
const cache = new DynamoEndpointConfigCache({ client: doc, tableName: TABLE, now: () => NOW });

function entry(name: string): CachedEndpointConfig {
  return {
    config: {
      name,
      isAsync: false,
      variants: [
        { name: "AllTraffic", instanceType: "ml.m5.large", initialInstanceCount: 1, modelName: "m" },
      ],
    },
    describedAt: DESCRIBED,
  };
}

function item(name: string, expiresAt = NOW_S + 86_400) {
  return {
    pk: `ENDPOINTCONFIG#123456789012#us-east-1#${name}`,
    sk: "META",
    kind: "endpointConfig",
    name,
    config: entry(name).config,
    describedAt: DESCRIBED.toISOString(),
    expiresAt,
  };
}

beforeEach(() => {
  ddb.reset();
  ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
  ddb.on(BatchWriteCommand).resolves({});
});

describe("DynamoEndpointConfigCache.getMany", () => {
  it("reads up to 100 keys per BatchGetItem, eventually consistent, each name once", async () => {
    const names = Array.from({ length: 250 }, (_, i) => `config-${i}`);
    await cache.getMany(SCOPE, [...names, "config-0"]);

    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 3);
    const sizes = ddb
      .commandCalls(BatchGetCommand)
      .map((c) => c.args[0].input.RequestItems![TABLE]!.Keys!.length);
    expect(sizes.sort()).toEqual([100, 100, 50]);
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        [TABLE]: {
          Keys: expect.arrayContaining([
            { pk: "ENDPOINTCONFIG#123456789012#us-east-1#config-0", sk: "META" },
          ]),
        },
      },
    });
    expect(
      ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems![TABLE]!.ConsistentRead,
    ).toBeUndefined();
  });

  it("returns the cached configs with their describe time, and skips expired items", async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [item("a"), item("old", NOW_S - 1)] } });

    const found = await cache.getMany(SCOPE, ["a", "old", "missing"]);

    expect([...found.keys()]).toEqual(["a"]);
    expect(found.get("a")).toEqual(entry("a"));
  });

  it("retries unprocessed keys", async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [item("a")] },
        UnprocessedKeys: { [TABLE]: { Keys: [{ pk: item("b").pk, sk: "META" }] } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [item("b")] } });

    const found = await cache.getMany(SCOPE, ["a", "b"]);

    expect([...found.keys()].sort()).toEqual(["a", "b"]);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });

  it("sends nothing for no names", async () => {
    expect((await cache.getMany(SCOPE, [])).size).toBe(0);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 0);
  });
});

describe("DynamoEndpointConfigCache.setMany", () => {
  it("writes 25 puts per BatchWriteItem with a 30-day TTL", async () => {
    const entries = Array.from({ length: 30 }, (_, i) => entry(`config-${i}`));
    await cache.setMany(SCOPE, entries);

    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    const puts = ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems![TABLE]!);
    expect(puts).toHaveLength(30);
    expect(puts[0]).toEqual({
      PutRequest: {
        Item: {
          ...item("config-0", NOW_S + 30 * 86_400),
          accountId: "123456789012",
          region: "us-east-1",
        },
      },
    });
  });

  it("retries unprocessed items", async () => {
    const unprocessed = { PutRequest: { Item: item("b") } };
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [unprocessed] } })
      .resolvesOnce({});

    await cache.setMany(SCOPE, [entry("a"), entry("b")]);

    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    expect(ddb.commandCalls(BatchWriteCommand)[1]!.args[0].input.RequestItems![TABLE]).toEqual([unprocessed]);
  });

  it("keys configs by account and region, so scopes do not share names", async () => {
    await cache.setMany({ accountId: "999999999999", region: "eu-west-1" }, [entry("a")]);
    const put = ddb.commandCalls(BatchWriteCommand)[0]!.args[0].input.RequestItems![TABLE]![0]!;
    expect(put.PutRequest!.Item!.pk).toBe("ENDPOINTCONFIG#999999999999#eu-west-1#a");
  });
});

describe("DynamoEndpointConfigCache errors", () => {
  it("throws a StoreError without onError", async () => {
    ddb.on(BatchGetCommand).rejects(new Error("AccessDenied"));
    await expect(cache.getMany(SCOPE, ["a"])).rejects.toBeInstanceOf(StoreError);
  });

  it("reports to onError and behaves as an empty cache with it", async () => {
    const errors: StoreError[] = [];
    const tolerant = new DynamoEndpointConfigCache({
      client: doc,
      tableName: TABLE,
      now: () => NOW,
      onError: (e) => errors.push(e),
    });
    ddb.on(BatchGetCommand).rejects(new Error("AccessDenied"));
    ddb.on(BatchWriteCommand).rejects(new Error("AccessDenied"));

    expect((await tolerant.getMany(SCOPE, ["a"])).size).toBe(0);
    await tolerant.setMany(SCOPE, [entry("a")]);

    expect(errors.map((e) => e.message)).toEqual([
      "read endpoint configs: Error: AccessDenied",
      "write endpoint configs: Error: AccessDenied",
    ]);
  });
});
