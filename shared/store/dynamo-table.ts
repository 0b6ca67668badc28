import {
  type DynamoDBDocumentClient,
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteItem,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { errorMessage, StoreError } from "../errors.ts";
import type { Key } from "./items.ts";

/**
 * The few request shapes the stores send to the janitor table, with SDK errors turned into
 * domain answers at this one boundary: a failed condition becomes `false` (or the
 * transaction's cancellation reasons), anything else a StoreError that keeps its cause.
 */

export type Item = Record<string, NativeAttributeValue>;

export const MAX_ATTEMPTS = 5;
/** Cancellation reason codes of TransactWriteItems. */
export const CONDITION_FAILED = "ConditionalCheckFailed";
export const CONFLICT = "TransactionConflict";

export class DynamoTable {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** A consistent read of one item. */
  async get(what: string, key: Key): Promise<Item | undefined> {
    const out = await this.call(what, () =>
      this.client.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true })),
    );
    return out.Item;
  }

  /** Puts the item; false when `condition` (default: no such item yet) did not hold. */
  async put(
    what: string,
    item: Item,
    condition: string | null = "attribute_not_exists(pk)",
  ): Promise<boolean> {
    return this.#conditional(what, () =>
      this.client.send(
        new PutCommand({
          TableName: this.name,
          Item: item,
          ...(condition === null ? {} : { ConditionExpression: condition }),
        }),
      ),
    );
  }

  /** Updates one item; false when its condition did not hold. */
  async update(what: string, input: Omit<UpdateCommandInput, "TableName">): Promise<boolean> {
    return this.#conditional(what, () =>
      this.client.send(new UpdateCommand({ ...input, TableName: this.name })),
    );
  }

  /** Resolves with nothing on success, or with the cancellation reason code of every item. */
  async transact(what: string, items: TransactWriteItem[]): Promise<string[] | undefined> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (err) {
      const reasons = cancellationReasons(err);
      if (reasons === undefined) throw storeError(what, err);
      return reasons;
    }
  }

  async queryAll(what: string, input: Omit<QueryCommandInput, "TableName">): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const out = await this.call(what, () =>
        this.client.send(new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey })),
      );
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return items;
  }

  async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw storeError(what, err);
    }
  }

  async #conditional(what: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (err) {
      if (errorName(err) === "ConditionalCheckFailedException") return false;
      throw storeError(what, err);
    }
  }
}

export function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

/** The message names the operation, never the request: a task token must not leak into logs. */
export function storeError(what: string, err: unknown): StoreError {
  return new StoreError(`${what}: ${errorName(err) ?? "Error"}: ${errorMessage(err)}`, { cause: err });
}

function cancellationReasons(err: unknown): string[] | undefined {
  if (errorName(err) !== "TransactionCanceledException") return undefined;
  const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return reasons?.map((reason) => reason.Code ?? "None");
}

/** Full jitter, doubling per attempt. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * 20 * 2 ** attempt;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
