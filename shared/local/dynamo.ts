import { mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { ConfigError, errorMessage, StoreError } from "../errors.ts";
import { TABLE_SCHEMA } from "../store/table-schema.ts";
import { API, ReadWriteLock, serveTransaction, TransactionEmulator } from "./dynamo-transactions.ts";

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

// dynalite is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const dynalite = require("dynalite") as (options: DynaliteOptions) => Server;

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint` or `AWS_ENDPOINT_URL_DYNAMODB`. */
  endpoint: string;
  close(): Promise<void>;
}

export async function startLocalDynamo(
  options: { dataDir?: string; port?: number } = {},
): Promise<LocalDynamo> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const backend = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const backendUrl = `http://127.0.0.1:${await listen(backend, 0)}`;
  const lock = new ReadWriteLock();
  const transactions = new TransactionEmulator(backendUrl);

  const front = createServer((req, res) => {
    if (req.headers["x-amz-target"] === `${API}.TransactWriteItems`) {
      void serveTransaction(req, res, lock, transactions);
      return;
    }
    void lock.acquire(false).then((release) => {
      res.once("close", release);
      backend.emit("request", req, res);
    });
  });
  const closeBackend = () =>
    new Promise<void>((resolve, reject) => {
      // dynalite's close also closes LevelDB, so the folder can be reopened.
      backend.close((err) => (err ? reject(err) : resolve()));
      backend.closeAllConnections();
    });
  let port: number;
  try {
    port = await listen(front, options.port ?? 0);
  } catch (err) {
    await closeBackend();
    throw err;
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve, reject) => {
        front.close((err) => (err ? reject(err) : resolve()));
        front.closeAllConnections();
      });
      await closeBackend();
    },
  };
}

/**
 * Creates the janitor table from TABLE_SCHEMA if it is missing and waits until it is ACTIVE.
 * For the local runtime and tests; in AWS the table comes from CloudFormation.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  if (tableName.length < 3)
    throw new ConfigError(`table name "${tableName}" is too short: DynamoDB needs 3+ characters`);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (err) {
    if (!(err instanceof Error) || err.name !== "ResourceNotFoundException") {
      throw new StoreError(`describe table ${tableName}: ${errorMessage(err)}`, { cause: err });
    }
    await createTable(client, tableName);
  }
  const waited = await waitUntilTableExists(
    { client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 },
    { TableName: tableName },
  );
  if (waited.state !== "SUCCESS")
    throw new StoreError(`table ${tableName} did not become ACTIVE (${waited.state})`);
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { TimeToLiveAttribute, ...definition } = structuredClone(TABLE_SCHEMA);
  try {
    await client.send(new CreateTableCommand({ ...definition, TableName: tableName }));
  } catch (err) {
    // Another process created it between our describe and create: fine.
    if (err instanceof Error && err.name === "ResourceInUseException") return;
    throw new StoreError(`create table ${tableName}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TimeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (err) {
    // dynalite 4 has no UpdateTimeToLive (and never expires items): nothing to configure.
    if (!(err instanceof Error) || err.name !== "UnknownOperationException") {
      throw new StoreError(`enable TTL on ${tableName}: ${errorMessage(err)}`, { cause: err });
    }
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
