/**
 * TransactWriteItems for dynalite 4, which has none: carried out over dynalite's own item
 * operations (so conditions and update expressions keep dynalite's exact semantics) —
 * snapshot every item, apply each write with its condition, and if any condition failed put
 * every snapshot back and answer `TransactionCanceledException` with per-item
 * `CancellationReasons`, as AWS does. A read-write lock runs transactions exclusively (every
 * other request waits, and waits for them): AWS's isolation, not crash atomicity.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage } from "../errors.ts";

export const API = "DynamoDB_20120810";
const ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";
const MAX_TRANSACT_ITEMS = 100;
/** AWS honours a ClientRequestToken for 10 minutes. */
const TOKEN_TTL_MS = 10 * 60_000;

type Json = Record<string, unknown>;

interface WireResult {
  status: number;
  body: Json;
}

type OpKind = "Put" | "Update" | "Delete" | "ConditionCheck";
const OP_KINDS: OpKind[] = ["Put", "Update", "Delete", "ConditionCheck"];

interface Op {
  kind: OpKind;
  params: Json;
  table: string;
  key: Json;
  before?: Json;
}

export async function serveTransaction(
  req: IncomingMessage,
  res: ServerResponse,
  lock: ReadWriteLock,
  transactions: TransactionEmulator,
): Promise<void> {
  let result: WireResult;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = parseJson(Buffer.concat(chunks).toString("utf8"));
    if (request === undefined) {
      result = { status: 400, body: { __type: "com.amazon.coral.service#SerializationException" } };
    } else {
      const release = await lock.acquire(true);
      try {
        result = await transactions.run(request);
      } finally {
        release();
      }
    }
  } catch (err) {
    result = {
      status: 500,
      body: { __type: `${ERROR_PREFIX}InternalServerError`, message: errorMessage(err) },
    };
  }
  const body = JSON.stringify(result.body);
  res.writeHead(result.status, {
    "content-type": "application/x-amz-json-1.0",
    "content-length": Buffer.byteLength(body),
    "x-amzn-requestid": randomUUID(),
  });
  res.end(body);
}

function parseJson(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

export class TransactionEmulator {
  readonly #keyNames = new Map<string, string[]>();
  readonly #tokens = new Map<string, { payload: string; expires: number }>();

  constructor(readonly backendUrl: string) {}

  async run(request: Json): Promise<WireResult> {
    const token = typeof request.ClientRequestToken === "string" ? request.ClientRequestToken : undefined;
    const payload = JSON.stringify(request.TransactItems);
    const earlier = token === undefined ? undefined : this.#tokens.get(token);
    if (earlier !== undefined && earlier.expires > Date.now()) {
      if (earlier.payload === payload) return { status: 200, body: {} };
      return error(
        "IdempotentParameterMismatchException",
        "Request parameters differ from the earlier request",
      );
    }

    const parsed = await this.#parse(request.TransactItems);
    if (!Array.isArray(parsed)) return parsed;
    const ops = parsed;
    // Items are distinct, so the writes do not depend on each other's order. Each returns
    // the item it replaced (ReturnValues ALL_OLD): that is what a rollback puts back.
    const results = await Promise.all(ops.map((op) => this.#apply(op)));
    const reasons: Json[] = [];
    let failure: WireResult | undefined;
    for (const [i, out] of results.entries()) {
      const op = ops[i]!;
      if (out.status === 200) {
        op.before = out.body.Attributes as Json | undefined;
        reasons.push({ Code: "None" });
      } else if (String(out.body.__type).endsWith("#ConditionalCheckFailedException")) {
        const reason: Json = { Code: "ConditionalCheckFailed", Message: "The conditional request failed" };
        if (op.params.ReturnValuesOnConditionCheckFailure === "ALL_OLD") {
          const current = await this.#call("GetItem", {
            TableName: op.table,
            Key: op.key,
            ConsistentRead: true,
          });
          if (current.body.Item !== undefined) reason.Item = current.body.Item;
        }
        reasons.push(reason);
      } else {
        failure ??= out;
        reasons.push({
          Code: "ValidationError",
          Message: String(out.body.message ?? out.body.Message ?? ""),
        });
      }
    }
    const applied = ops.filter((_, i) => results[i]!.status === 200);
    const cancelled = failure !== undefined || reasons.some((r) => r.Code !== "None");
    // A ConditionCheck is applied as a condition-only UpdateItem, which creates a missing item.
    const undo = cancelled
      ? applied
      : applied.filter((op) => op.kind === "ConditionCheck" && op.before === undefined);
    await Promise.all(undo.map((op) => this.#restore(op)));

    if (failure !== undefined) return failure;
    if (cancelled) {
      const codes = reasons.map((r) => r.Code).join(", ");
      return {
        status: 400,
        body: {
          __type: `${ERROR_PREFIX}TransactionCanceledException`,
          Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
          CancellationReasons: reasons,
        },
      };
    }
    if (token !== undefined) this.#remember(token, payload);
    return { status: 200, body: {} };
  }

  async #parse(items: unknown): Promise<Op[] | WireResult> {
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_TRANSACT_ITEMS) {
      return error("ValidationException", `TransactItems must hold 1 to ${MAX_TRANSACT_ITEMS} items`, true);
    }
    const ops: Op[] = [];
    const seen = new Set<string>();
    for (const item of items as Json[]) {
      const kinds = OP_KINDS.filter((kind) => item[kind] !== undefined);
      const kind = kinds[0];
      if (kind === undefined || kinds.length > 1) {
        return error("ValidationException", "Each TransactItem must hold exactly one operation", true);
      }
      const params = item[kind] as Json;
      const table = String(params.TableName);
      const names = await this.#keyNamesOf(table);
      if (!Array.isArray(names)) return names;
      const source = (kind === "Put" ? params.Item : params.Key) as Json | undefined;
      const key: Json = {};
      for (const name of names) {
        if (source?.[name] === undefined) {
          return error(
            "ValidationException",
            `One or more parameter values were invalid: Missing the key ${name}`,
            true,
          );
        }
        key[name] = source[name];
      }
      const id = `${table}\n${JSON.stringify(key)}`;
      if (seen.has(id)) {
        return error(
          "ValidationException",
          "Transaction request cannot include multiple operations on one item",
          true,
        );
      }
      seen.add(id);
      ops.push({ kind, params, table, key });
    }
    return ops;
  }

  async #keyNamesOf(table: string): Promise<string[] | WireResult> {
    const known = this.#keyNames.get(table);
    if (known !== undefined) return known;
    const out = await this.#call("DescribeTable", { TableName: table });
    if (out.status !== 200) return out;
    const schema = (out.body.Table as { KeySchema: Array<{ AttributeName: string }> }).KeySchema;
    const names = schema.map((k) => k.AttributeName);
    this.#keyNames.set(table, names);
    return names;
  }

  #apply(op: Op): Promise<WireResult> {
    const { ReturnValuesOnConditionCheckFailure: _, ...rest } = op.params;
    const params = { ...rest, ReturnValues: "ALL_OLD" };
    switch (op.kind) {
      case "Put":
        return this.#call("PutItem", params);
      case "Delete":
        return this.#call("DeleteItem", params);
      case "Update":
      case "ConditionCheck":
        return this.#call("UpdateItem", params);
    }
  }

  async #restore(op: Op): Promise<void> {
    const out =
      op.before === undefined
        ? await this.#call("DeleteItem", { TableName: op.table, Key: op.key })
        : await this.#call("PutItem", { TableName: op.table, Item: op.before });
    if (out.status !== 200)
      throw new Error(`could not roll back ${op.kind} on ${op.table}: ${JSON.stringify(out.body)}`);
  }

  #remember(token: string, payload: string): void {
    const now = Date.now();
    for (const [old, entry] of this.#tokens) {
      if (entry.expires > now) break;
      this.#tokens.delete(old);
    }
    this.#tokens.set(token, { payload, expires: now + TOKEN_TTL_MS });
  }

  /** dynalite checks that a signature is present, not that it is right. */
  async #call(operation: string, input: Json): Promise<WireResult> {
    const res = await fetch(this.backendUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `${API}.${operation}`,
        "x-amz-date": "20200101T000000Z",
        authorization:
          "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local",
      },
      body: JSON.stringify(input),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? {} : (JSON.parse(text) as Json) };
  }
}

function error(type: string, message: string, coral = false): WireResult {
  const prefix = coral ? "com.amazon.coral.validate#" : ERROR_PREFIX;
  return { status: 400, body: { __type: `${prefix}${type}`, message } };
}

/** Many readers or one writer, first come first served. */
export class ReadWriteLock {
  #readers = 0;
  #writing = false;
  readonly #queue: Array<{ exclusive: boolean; grant: () => void }> = [];

  acquire(exclusive: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      this.#queue.push({
        exclusive,
        grant: () => {
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            if (exclusive) this.#writing = false;
            else this.#readers--;
            this.#pump();
          });
        },
      });
      this.#pump();
    });
  }

  #pump(): void {
    for (let next = this.#queue[0]; next !== undefined; next = this.#queue[0]) {
      if (this.#writing) return;
      if (next.exclusive) {
        if (this.#readers > 0) return;
        this.#writing = true;
      } else {
        this.#readers++;
      }
      this.#queue.shift();
      next.grant();
    }
  }
}
