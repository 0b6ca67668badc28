import type {
  AttributeDefinition,
  BillingMode,
  GlobalSecondaryIndex,
  KeySchemaElement,
} from "@aws-sdk/client-dynamodb";

/** Open findings by detector, and any finding by status: `gsi1pk = STATUS#<status>`, `gsi1sk = <detector>#<findingId>`. */
export const STATUS_INDEX = "byStatus";
/** The whole audit log in time order: `gsi2pk = AUDIT`, `gsi2sk = <at>#<auditId>`. */
export const AUDIT_INDEX = "auditByTime";
/** Epoch seconds; DynamoDB deletes the item some time after. Carried by per-scan observations, cached endpoint configs and pending decisions. */
export const TTL_ATTRIBUTE = "expiresAt";

export interface TableSchema {
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  GlobalSecondaryIndexes: GlobalSecondaryIndex[];
  BillingMode: BillingMode;
  TimeToLiveAttribute: string;
}

/**
 * The janitor table's definition, in CreateTable's shape. The one source for the
 * CloudFormation resource in serverless.yml (its AttributeDefinitions, KeySchema,
 * GlobalSecondaryIndexes and TimeToLiveSpecification must match this), the local runtime
 * (`ensureTable`) and the tests. The item layout is documented in `dynamo-store.ts`.
 */
export const TABLE_SCHEMA: TableSchema = {
  AttributeDefinitions: [
    { AttributeName: "pk", AttributeType: "S" },
    { AttributeName: "sk", AttributeType: "S" },
    { AttributeName: "gsi1pk", AttributeType: "S" },
    { AttributeName: "gsi1sk", AttributeType: "S" },
    { AttributeName: "gsi2pk", AttributeType: "S" },
    { AttributeName: "gsi2sk", AttributeType: "S" },
  ],
  KeySchema: [
    { AttributeName: "pk", KeyType: "HASH" },
    { AttributeName: "sk", KeyType: "RANGE" },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: STATUS_INDEX,
      KeySchema: [
        { AttributeName: "gsi1pk", KeyType: "HASH" },
        { AttributeName: "gsi1sk", KeyType: "RANGE" },
      ],
      // listFindings returns whole findings: projecting everything saves a BatchGet per page.
      Projection: { ProjectionType: "ALL" },
    },
    {
      IndexName: AUDIT_INDEX,
      KeySchema: [
        { AttributeName: "gsi2pk", KeyType: "HASH" },
        { AttributeName: "gsi2sk", KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    },
  ],
  BillingMode: "PAY_PER_REQUEST",
  TimeToLiveAttribute: TTL_ATTRIBUTE,
};
