import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand, DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/errors.ts";
import { ensureTable, type LocalDynamo, startLocalDynamo } from "../../../shared/local/dynamo.ts";
import { TABLE_SCHEMA } from "../../../shared/store/table-schema.ts";

const TABLE = "janitor-local";

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
  });
}

describe("startLocalDynamo (in memory)", () => {
  let dynamo: LocalDynamo;
  let client: DynamoDBClient;
  let doc: DynamoDBDocumentClient;

  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    client = clientFor(dynamo.endpoint);
    doc = DynamoDBDocumentClient.from(client);
    await ensureTable(client, TABLE);
  });

  afterAll(async () => {
    client?.destroy();
    await dynamo?.close();
  });

  const get = async (pk: string, sk = "x") =>
    (await doc.send(new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }))).Item;

  it("listens on loopback only, and creates the table from TABLE_SCHEMA idempotently", async () => {
    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await ensureTable(client, TABLE);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(Table?.KeySchema).toEqual(TABLE_SCHEMA.KeySchema);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema])).toEqual(
      TABLE_SCHEMA.GlobalSecondaryIndexes.map((i) => [i.IndexName, i.KeySchema]),
    );
    await expect(ensureTable(client, "ab")).rejects.toBeInstanceOf(ConfigError);
  });

  it("commits every item of a transaction", async () => {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: TABLE,
              Item: { pk: "t1", sk: "x", n: 1 },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Update: {
              TableName: TABLE,
              Key: { pk: "t2", sk: "x" },
              UpdateExpression: "ADD n :one",
              ExpressionAttributeValues: { ":one": 1 },
            },
          },
        ],
      }),
    );

    expect(await get("t1")).toEqual({ pk: "t1", sk: "x", n: 1 });
    expect(await get("t2")).toEqual({ pk: "t2", sk: "x", n: 1 });
  });

  it("cancels the whole transaction when one condition fails, with a reason per item", async () => {
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: "c1", sk: "x", n: 1 } }));
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: "c2", sk: "x", n: 1 } }));

    const error = await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: TABLE,
                Item: { pk: "c0", sk: "x" },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Update: {
                TableName: TABLE,
                Key: { pk: "c1", sk: "x" },
                UpdateExpression: "SET n = :two",
                ExpressionAttributeValues: { ":two": 2 },
              },
            },
            {
              Put: {
                TableName: TABLE,
                Item: { pk: "c2", sk: "x", n: 9 },
                ConditionExpression: "attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
          ],
        }),
      )
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: "None" },
      { Code: "None" },
      {
        Code: "ConditionalCheckFailed",
        Message: "The conditional request failed",
        Item: { pk: { S: "c2" }, sk: { S: "x" }, n: { N: "1" } },
      },
    ]);
    expect(await get("c0")).toBeUndefined();
    expect(await get("c1")).toEqual({ pk: "c1", sk: "x", n: 1 });
    expect(await get("c2")).toEqual({ pk: "c2", sk: "x", n: 1 });
  });

  it("checks a ConditionCheck without writing the item", async () => {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: TABLE,
              Key: { pk: "k0", sk: "x" },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          { Put: { TableName: TABLE, Item: { pk: "k1", sk: "x" } } },
        ],
      }),
    );

    expect(await get("k0")).toBeUndefined();
    expect(await get("k1")).toEqual({ pk: "k1", sk: "x" });
  });

  it("rejects two operations on one item, as DynamoDB does", async () => {
    const sending = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { pk: "d", sk: "x" } } },
          { Delete: { TableName: TABLE, Key: { pk: "d", sk: "x" } } },
        ],
      }),
    );

    await expect(sending).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("keeps concurrent transactions isolated: exactly one of two racing conditional writers wins", async () => {
    const attempt = (who: string) =>
      doc
        .send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: TABLE,
                  Item: { pk: "race", sk: "x", who },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              { Put: { TableName: TABLE, Item: { pk: `race-${who}`, sk: "x" } } },
            ],
          }),
        )
        .then(
          () => who,
          () => undefined,
        );

    const winners = (await Promise.all(["a", "b", "c", "d"].map(attempt))).filter(Boolean);

    expect(winners).toHaveLength(1);
    expect(await get("race")).toEqual({ pk: "race", sk: "x", who: winners[0] });
    for (const who of ["a", "b", "c", "d"]) {
      expect(await get(`race-${who}`)).toEqual(
        who === winners[0] ? { pk: `race-${who}`, sk: "x" } : undefined,
      );
    }
  });
});

describe("startLocalDynamo (persisted to a folder)", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "janitor-dynamo-"));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps tables and items across restarts", async () => {
    const first = await startLocalDynamo({ dataDir });
    const firstClient = clientFor(first.endpoint);
    await ensureTable(firstClient, TABLE);
    await DynamoDBDocumentClient.from(firstClient).send(
      new PutCommand({ TableName: TABLE, Item: { pk: "kept", sk: "x", n: 42 } }),
    );
    firstClient.destroy();
    await first.close();

    const second = await startLocalDynamo({ dataDir });
    const secondClient = clientFor(second.endpoint);
    try {
      await ensureTable(secondClient, TABLE);
      const out = await DynamoDBDocumentClient.from(secondClient).send(
        new GetCommand({ TableName: TABLE, Key: { pk: "kept", sk: "x" } }),
      );
      expect(out.Item).toEqual({ pk: "kept", sk: "x", n: 42 });
    } finally {
      secondClient.destroy();
      await second.close();
    }
  });
});
