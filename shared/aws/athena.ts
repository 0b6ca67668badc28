/**
 * Runs one Athena query to the end: StartQueryExecution, GetQueryExecution polled with a growing
 * delay until it succeeds, fails or the time is up (then StopQueryExecution, so an abandoned query
 * stops scanning and billing), and every page of GetQueryResults as typed rows. Used for the
 * duplicate query over an S3 Inventory too large for the Lambda to stream (docs/decisions/011).
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type ResultSet,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { JanitorError } from "../errors.ts";

export interface AthenaQuery {
  sql: string;
  workgroup: string;
  database: string;
  /** `s3://bucket/prefix/`; omit when the workgroup enforces its own. */
  outputLocation?: string;
}

export interface AthenaRunOptions {
  /** Give up (and stop the query) after this long. */
  timeoutMs: number;
  /** The first wait between polls; doubles up to `maxPollMs`. */
  firstPollMs: number;
  maxPollMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds now (injected for tests). */
  clock: () => number;
}

export const DEFAULT_ATHENA_RUN: AthenaRunOptions = {
  timeoutMs: 8 * 60_000,
  firstPollMs: 500,
  maxPollMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  clock: () => Date.now(),
};

export type AthenaValue = string | number | boolean | null;
export type AthenaRow = Record<string, AthenaValue>;

export interface AthenaResult {
  queryExecutionId: string;
  columns: Array<{ name: string; type: string }>;
  rows: AthenaRow[];
}

/** A query that failed, was cancelled or ran out of time; Athena's reason in the message. */
export class AthenaQueryError extends JanitorError {
  constructor(
    readonly queryExecutionId: string,
    readonly state: string,
    message: string,
  ) {
    super(message);
  }
}

const INTEGER = new Set(["tinyint", "smallint", "integer", "int", "bigint"]);
const FLOAT = new Set(["double", "float", "real", "decimal"]);

/** One Athena cell as a value of its column's type; NULL (no VarCharValue) as null. */
export function athenaValue(raw: string | undefined, type: string, column: string): AthenaValue {
  if (raw === undefined) return null;
  const base = type.toLowerCase().replace(/\(.*$/, "");
  if (INTEGER.has(base)) {
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw new Error(`Athena column ${column}: ${raw} is not a safe integer`);
    return n;
  }
  if (FLOAT.has(base)) {
    const n = Number(raw);
    if (Number.isNaN(n)) throw new Error(`Athena column ${column}: ${raw} is not a number`);
    return n;
  }
  if (base === "boolean") {
    if (raw !== "true" && raw !== "false")
      throw new Error(`Athena column ${column}: ${raw} is not a boolean`);
    return raw === "true";
  }
  return raw;
}

function columnsOf(set: ResultSet | undefined): Array<{ name: string; type: string }> {
  return (set?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
    name: c.Name ?? "",
    type: c.Type ?? "varchar",
  }));
}

/** Waits for the query to finish; throws with Athena's reason when it does not succeed. */
export async function waitForQuery(
  client: AthenaClient,
  queryExecutionId: string,
  options: AthenaRunOptions = DEFAULT_ATHENA_RUN,
): Promise<void> {
  const deadline = options.clock() + options.timeoutMs;
  let delay = options.firstPollMs;
  for (;;) {
    const out = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
    const status = out.QueryExecution?.Status;
    const state = status?.State ?? "UNKNOWN";
    if (state === "SUCCEEDED") return;
    if (state === "FAILED" || state === "CANCELLED") {
      const reason = status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? "no reason given";
      throw new AthenaQueryError(
        queryExecutionId,
        state,
        `Athena query ${queryExecutionId} ${state}: ${reason}`,
      );
    }
    if (options.clock() + delay > deadline) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
      throw new AthenaQueryError(
        queryExecutionId,
        "TIMEOUT",
        `Athena query ${queryExecutionId} still ${state} after ${Math.round(options.timeoutMs / 1000)} s: stopped`,
      );
    }
    await options.sleep(delay);
    delay = Math.min(delay * 2, options.maxPollMs);
  }
}

/** Starts `query`, waits for it, and reads every page of its results as typed rows. */
export async function runAthenaQuery(
  client: AthenaClient,
  query: AthenaQuery,
  options: AthenaRunOptions = DEFAULT_ATHENA_RUN,
): Promise<AthenaResult> {
  const started = await client.send(
    new StartQueryExecutionCommand({
      QueryString: query.sql,
      WorkGroup: query.workgroup,
      QueryExecutionContext: { Database: query.database },
      ...(query.outputLocation ? { ResultConfiguration: { OutputLocation: query.outputLocation } } : {}),
    }),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new Error("Athena StartQueryExecution returned no query execution id");
  await waitForQuery(client, id, options);
  let columns: AthenaResult["columns"] = [];
  const rows: AthenaRow[] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await client.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken: nextToken }),
    );
    if (first) columns = columnsOf(page.ResultSet);
    const data = page.ResultSet?.Rows ?? [];
    data.forEach((row, i) => {
      const cells = row.Data ?? [];
      // A SELECT's first page starts with the column names.
      if (
        first &&
        i === 0 &&
        columns.length > 0 &&
        cells.every((c, j) => c.VarCharValue === columns[j]?.name)
      )
        return;
      const out: AthenaRow = {};
      columns.forEach((c, j) => {
        out[c.name] = athenaValue(cells[j]?.VarCharValue, c.type, c.name);
      });
      rows.push(out);
    });
    first = false;
    nextToken = page.NextToken;
  } while (nextToken);
  return { queryExecutionId: id, columns, rows };
}
