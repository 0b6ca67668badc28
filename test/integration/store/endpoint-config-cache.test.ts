/** The endpoint config cache against dynalite: what one night stores, the next reads back. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CachedEndpointConfig } from "../../../shared/aws/endpoint-inventory.ts";
import { ensureTable, type LocalDynamo, startLocalDynamo } from "../../../shared/local/dynamo.ts";
import { DynamoEndpointConfigCache } from "../../../shared/store/endpoint-config-cache.ts";

const TABLE = "janitor-config-cache";
const NOW = new Date("2026-11-23T02:00:00.000Z");
const SCOPE = { accountId: "123456789012", region: "us-east-1" };

let dynamo: LocalDynamo;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  doc = DynamoDBDocumentClient.from(client);
  await ensureTable(client, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
});

function entry(i: number): CachedEndpointConfig {
  return {
    config: {
      name: `config-${i}`,
      isAsync: i % 2 === 0,
      variants: [
        { name: "A", modelName: "m", instanceType: "ml.g5.xlarge", initialInstanceCount: 2 },
        { name: "B", modelName: "m", serverless: { memorySizeInMB: 2048, maxConcurrency: 5 } },
      ],
    },
    describedAt: new Date(NOW.getTime() - i * 1000),
  };
}

describe("DynamoEndpointConfigCache on dynalite", () => {
  it("reads back 230 configs written in batches, and misses the others", async () => {
    const cache = new DynamoEndpointConfigCache({ client: doc, tableName: TABLE, now: () => NOW });
    const entries = Array.from({ length: 230 }, (_, i) => entry(i));
    await cache.setMany(SCOPE, entries);

    const found = await cache.getMany(SCOPE, [...entries.map((e) => e.config.name), "unknown"]);

    expect(found.size).toBe(230);
    expect(found.get("config-7")).toEqual(entry(7));
    expect(found.has("unknown")).toBe(false);
    expect((await cache.getMany({ ...SCOPE, region: "eu-west-1" }, ["config-7"])).size).toBe(0);
  });

  it("stores the TTL attribute 30 days ahead, and treats an expired item as a miss", async () => {
    const writer = new DynamoEndpointConfigCache({ client: doc, tableName: TABLE, now: () => NOW });
    await writer.setMany(SCOPE, [entry(999)]);
    const raw = await doc.send(
      new GetCommand({
        TableName: TABLE,
        Key: { pk: "ENDPOINTCONFIG#123456789012#us-east-1#config-999", sk: "META" },
      }),
    );
    expect(raw.Item).toMatchObject({ kind: "endpointConfig", expiresAt: NOW.getTime() / 1000 + 30 * 86_400 });

    const later = new Date(NOW.getTime() + 31 * 86_400_000);
    const reader = new DynamoEndpointConfigCache({ client: doc, tableName: TABLE, now: () => later });
    expect((await reader.getMany(SCOPE, ["config-999"])).size).toBe(0);
  });
});
