import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../../shared/errors.ts";
import { DynamoStore } from "../../../shared/store/dynamo-store.ts";
import { newMetaItem } from "../../../shared/store/items.ts";
import { sampleFinding } from "../../fixtures/findings.ts";

const TABLE = "janitor";
const T0 = "2025-02-28T02:00:00.000Z";
const T1 = new Date("2025-03-01T02:00:00.000Z");
const AT = T1.toISOString();

const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoStore({
  client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" })),
  tableName: TABLE,
});
const finding = sampleFinding();
const pk = `FINDING#${finding.id}`;

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: "Transaction cancelled",
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

beforeEach(() => {
  ddb.reset();
  ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
});

describe("DynamoStore.recordScan", () => {
  it("reads the finding and this scan's observation consistently, in one batch", async () => {
    await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: [finding],
      detectorsRun: ["idle-endpoint"],
    });

    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        [TABLE]: {
          Keys: [
            { pk, sk: "META" },
            { pk, sk: "SCAN#scan-1" },
          ],
          ConsistentRead: true,
        },
      },
    });
  });

  it("opens a new finding with one transaction of four conditional puts", async () => {
    const result = await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: [finding],
      detectorsRun: ["idle-endpoint"],
    });

    expect(result.opened).toEqual([finding.id]);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk,
              sk: "SCAN#scan-1",
              kind: "observation",
              findingId: finding.id,
              scanId: "scan-1",
              at: AT,
              monthlyCostUsd: finding.monthlyCostUsd,
              expiresAt: T1.getTime() / 1000 + 400 * 86_400,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk,
              sk: "META",
              kind: "finding",
              findingId: finding.id,
              detector: "idle-endpoint",
              finding,
              status: "open",
              statusAt: AT,
              firstSeen: AT,
              lastSeen: AT,
              timesSeen: 1,
              lastScanId: "scan-1",
              gsi1pk: "STATUS#open",
              gsi1sk: `idle-endpoint#${finding.id}`,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk,
              sk: `STATUS#${AT}#open`,
              kind: "status",
              findingId: finding.id,
              at: AT,
              status: "open",
              reason: "reported by scan scan-1",
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk,
              sk: `AUDIT#scan:scan-1:opened:${finding.id}`,
              kind: "audit",
              id: `scan:scan-1:opened:${finding.id}`,
              at: AT,
              actor: "janitor",
              action: "finding.opened",
              findingId: finding.id,
              resourceArn: finding.resource.arn,
              reason: finding.reason,
              evidence: finding.evidence,
              gsi2pk: "AUDIT",
              gsi2sk: `${AT}#scan:scan-1:opened:${finding.id}`,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
      ],
    });
  });

  it("sends no write at all for a finding this scan already recorded", async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [newMetaItem(finding, "scan-1", AT), { pk, sk: "SCAN#scan-1" }] },
    });

    const result = await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: [finding],
      detectorsRun: [],
    });

    expect(result.alreadyRecorded).toEqual([finding.id]);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it("treats a lost race on the observation as already recorded", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled("ConditionalCheckFailed", "None", "None", "None"));

    const result = await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: [finding],
      detectorsRun: [],
    });

    expect(result).toMatchObject({ opened: [], alreadyRecorded: [finding.id] });
  });

  it("re-reads and re-plans when the finding changed between read and write", async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [] } })
      .resolves({ Responses: { [TABLE]: [newMetaItem(finding, "scan-0", T0)] } });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled("None", "ConditionalCheckFailed", "None", "None"))
      .resolves({});

    const result = await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: [finding],
      detectorsRun: [],
    });

    expect(result).toMatchObject({ opened: [], seenAgain: [finding.id] });
    expect(ddb).toHaveReceivedNthCommandWith(TransactWriteCommand, 2, {
      TransactItems: [
        expect.objectContaining({
          Put: expect.objectContaining({ ConditionExpression: "attribute_not_exists(pk)" }),
        }),
        {
          Update: expect.objectContaining({
            Key: { pk, sk: "META" },
            UpdateExpression:
              "SET finding = :finding, #lastSeen = :at, lastScanId = :scanId ADD timesSeen :one",
            ConditionExpression: "#lastSeen = :readLastSeen AND #status = :readStatus",
          }),
        },
      ],
    });
  });

  it("resolves open findings of the detectors that ran, conditionally on them still being open", async () => {
    const gone = sampleFinding("old-endpoint");
    ddb.on(QueryCommand).resolves({ Items: [newMetaItem(gone, "scan-0", T0)] });

    const result = await store.recordScan({
      scanId: "scan-1",
      at: T1,
      findings: [],
      detectorsRun: ["idle-endpoint"],
    });

    expect(result.resolved).toEqual([gone.id]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      IndexName: "byStatus",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
      FilterExpression: "lastSeen < :at",
      ExpressionAttributeValues: { ":pk": "STATUS#open", ":prefix": "idle-endpoint#", ":at": AT },
    });
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Update: {
            TableName: TABLE,
            Key: { pk: `FINDING#${gone.id}`, sk: "META" },
            UpdateExpression: "SET #status = :resolved, statusAt = :at, gsi1pk = :resolvedGsi",
            ConditionExpression: "#status = :open AND lastSeen < :at",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":resolved": "resolved",
              ":open": "open",
              ":at": AT,
              ":resolvedGsi": "STATUS#resolved",
            },
          },
        },
        expect.objectContaining({
          Put: expect.objectContaining({ Item: expect.objectContaining({ kind: "status" }) }),
        }),
        expect.objectContaining({
          Put: expect.objectContaining({ Item: expect.objectContaining({ kind: "audit" }) }),
        }),
      ],
    });
  });

  it("wraps any other failure in a StoreError that keeps the cause", async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: "slow down", $metadata: {} });
    ddb.on(TransactWriteCommand).rejects(throttled);

    const recording = store.recordScan({ scanId: "scan-1", at: T1, findings: [finding], detectorsRun: [] });

    await expect(recording).rejects.toBeInstanceOf(StoreError);
    await expect(recording).rejects.toMatchObject({ cause: throttled });
  });
});

describe("DynamoStore.appendAudit", () => {
  const entry = {
    id: "decision:t-1",
    at: AT,
    actor: "U1",
    action: "decision.keep",
    reason: "demo on Friday",
  };

  it("puts the entry only if its id is new", async () => {
    ddb.on(PutCommand).resolves({});

    expect(await store.appendAudit(entry)).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: "AUDIT#decision:t-1",
        sk: "AUDIT#decision:t-1",
        kind: "audit",
        ...entry,
        gsi2pk: "AUDIT",
        gsi2sk: `${AT}#decision:t-1`,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    });
  });

  it("answers false when the entry was already there", async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: "exists", $metadata: {} }));

    expect(await store.appendAudit(entry)).toBe(false);
  });
});
