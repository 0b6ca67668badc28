import { DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../../shared/errors.ts";
import { DynamoStore } from "../../../shared/store/dynamo-store.ts";
import { type MetaItem, newMetaItem } from "../../../shared/store/items.ts";
import { decisionIdFor, executionNameFor } from "../../../shared/store/workflow-items.ts";
import { sampleFinding } from "../../fixtures/findings.ts";

const TABLE = "janitor";
const T0 = "2025-02-28T02:00:00.000Z";
const NOW = new Date("2025-03-01T02:00:00.000Z");
const AT = NOW.toISOString();

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoStore({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" })),
  tableName: TABLE,
});
const finding = sampleFinding();
const key = { pk: `FINDING#${finding.id}`, sk: "META" };
const open = (): MetaItem => newMetaItem(finding, "scan-0", T0);

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: "Transaction cancelled",
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

beforeEach(() => {
  ddb.reset();
  ddb.on(TransactWriteCommand).resolves({});
});

describe("DynamoStore.claimWorkflow", () => {
  it("reads the finding consistently, then claims cycle 1 conditionally on the status read and no cycle yet", async () => {
    ddb.on(GetCommand).resolves({ Item: open() });
    const executionName = executionNameFor(finding.id, 1);

    const claim = await store.claimWorkflow(finding.id, NOW);

    expect(claim).toEqual({
      findingId: finding.id,
      executionName,
      cycle: 1,
      decisionId: decisionIdFor(executionName),
      claimedAt: AT,
      started: false,
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: key, ConsistentRead: true });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items?.[0]).toEqual({
      Update: {
        TableName: TABLE,
        Key: key,
        UpdateExpression:
          "SET #status = :notified, statusAt = :now, gsi1pk = :notifiedGsi, #cycle = :cycle, " +
          "executionName = :executionName, decisionId = :decisionId, claimedAt = :now, started = :false " +
          "REMOVE snoozedUntil, quietUntil",
        ConditionExpression: "#status = :readStatus AND attribute_not_exists(#cycle)",
        ExpressionAttributeNames: { "#status": "status", "#cycle": "cycle" },
        ExpressionAttributeValues: {
          ":notified": "notified",
          ":now": AT,
          ":notifiedGsi": "STATUS#notified",
          ":cycle": 1,
          ":executionName": executionName,
          ":decisionId": decisionIdFor(executionName),
          ":false": false,
          ":readStatus": "open",
        },
      },
    });
    expect(items?.slice(1).map((item) => [item.Put?.Item?.sk, item.Put?.ConditionExpression])).toEqual([
      [`STATUS#${AT}#notified`, "attribute_not_exists(pk)"],
      [`AUDIT#workflow:${executionName}:claimed`, "attribute_not_exists(pk)"],
    ]);
  });

  it("claims the next cycle of an expired snooze conditionally on the cycle read", async () => {
    ddb.on(GetCommand).resolves({
      Item: { ...open(), status: "snoozed", cycle: 1, snoozedUntil: T0, gsi1pk: "STATUS#snoozed" },
    });

    const claim = await store.claimWorkflow(finding.id, NOW);

    expect(claim?.cycle).toBe(2);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: expect.arrayContaining([
        {
          Update: expect.objectContaining({
            ConditionExpression: "#status = :readStatus AND #cycle = :readCycle",
            ExpressionAttributeValues: expect.objectContaining({
              ":readStatus": "snoozed",
              ":readCycle": 1,
              ":cycle": 2,
              ":executionName": executionNameFor(finding.id, 2),
            }),
          }),
        },
      ]),
    });
  });

  it("writes nothing for a finding that is snoozed, kept, quiet or in flight", async () => {
    const later = "2025-03-09T02:00:00.000Z";
    for (const item of [
      { ...open(), status: "snoozed", cycle: 1, snoozedUntil: later },
      { ...open(), status: "kept", cycle: 1 },
      { ...open(), status: "open", cycle: 1, quietUntil: later },
      { ...open(), status: "resolved" },
      { ...open(), status: "acted", cycle: 1 },
      {
        ...open(),
        status: "notified",
        cycle: 1,
        executionName: "x-c1",
        decisionId: "d-1",
        claimedAt: T0,
        started: true,
      },
    ]) {
      ddb.on(GetCommand).resolves({ Item: item });
      expect(await store.claimWorkflow(finding.id, NOW)).toBeUndefined();
    }
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it("returns an interrupted claim as it was, without writing", async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        ...open(),
        status: "notified",
        cycle: 3,
        executionName: "x-c3",
        decisionId: "d-3",
        claimedAt: T0,
        started: false,
      },
    });

    expect(await store.claimWorkflow(finding.id, NOW)).toEqual({
      findingId: finding.id,
      executionName: "x-c3",
      cycle: 3,
      decisionId: "d-3",
      claimedAt: T0,
      started: false,
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it("answers undefined, without retrying, when another claim won the condition", async () => {
    ddb.on(GetCommand).resolves({ Item: open() });
    ddb.on(TransactWriteCommand).rejects(cancelled("ConditionalCheckFailed", "None", "None"));

    expect(await store.claimWorkflow(finding.id, NOW)).toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it("re-reads after a transaction conflict, and leaves a claim it then finds to its owner", async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: open() })
      .resolves({
        Item: {
          ...open(),
          status: "notified",
          cycle: 1,
          executionName: "x-c1",
          decisionId: "d-1",
          claimedAt: AT,
          started: false,
        },
      });
    ddb.on(TransactWriteCommand).rejects(cancelled("TransactionConflict", "None", "None"));

    expect(await store.claimWorkflow(finding.id, NOW)).toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 2);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it("fails with a StoreError when the status change cannot be written", async () => {
    ddb.on(GetCommand).resolves({ Item: open() });
    ddb.on(TransactWriteCommand).rejects(cancelled("None", "ConditionalCheckFailed", "None"));

    await expect(store.claimWorkflow(finding.id, NOW)).rejects.toBeInstanceOf(StoreError);
  });
});

describe("DynamoStore.takeActionSlot", () => {
  it("adds the finding to the day's set if it is there already or the set is below the cap", async () => {
    ddb.on(UpdateCommand).resolves({});

    expect(await store.takeActionSlot("2025-03-01", 5, finding.id)).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: "CAP#2025-03-01", sk: "CAP" },
      UpdateExpression: "SET kind = :kind, #day = :day ADD findingIds :finding",
      ConditionExpression:
        "attribute_not_exists(findingIds) OR contains(findingIds, :findingId) OR size(findingIds) < :cap",
      ExpressionAttributeNames: { "#day": "day" },
      ExpressionAttributeValues: {
        ":kind": "cap",
        ":day": "2025-03-01",
        ":finding": new Set([finding.id]),
        ":findingId": finding.id,
        ":cap": 5,
      },
    });
  });
});
