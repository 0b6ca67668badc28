import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecutionState,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  AthenaQueryError,
  type AthenaRunOptions,
  athenaValue,
  runAthenaQuery,
} from "../../../shared/aws/athena.ts";

const athena = mockClient(AthenaClient);
const client = new AthenaClient({ region: "us-east-1" });
const QUERY = {
  sql: "SELECT 1",
  workgroup: "primary",
  database: "janitor",
  outputLocation: "s3://results/janitor/",
};
const COLUMNS = [
  { Name: "bucket", Type: "varchar" },
  { Name: "size", Type: "bigint" },
  { Name: "is_multipart_uploaded", Type: "boolean" },
];

/** A fake clock that sleeping advances: polls happen at known times, instantly. */
function fakeTime(timeoutMs = 60_000): AthenaRunOptions & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    timeoutMs,
    firstPollMs: 500,
    maxPollMs: 4_000,
    clock: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

const state = (State: QueryExecutionState, extra: { StateChangeReason?: string } = {}) => ({
  QueryExecution: { QueryExecutionId: "q-1", Status: { State, ...extra } },
});

beforeEach(() => {
  athena.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q-1" });
});

describe("runAthenaQuery", () => {
  it("starts the query, polls with a growing delay, and reads every page as typed rows", async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state("QUEUED"))
      .resolvesOnce(state("RUNNING"))
      .resolvesOnce(state("RUNNING"))
      .resolves(state("SUCCEEDED"));
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [
            {
              Data: [
                { VarCharValue: "bucket" },
                { VarCharValue: "size" },
                { VarCharValue: "is_multipart_uploaded" },
              ],
            },
            { Data: [{ VarCharValue: "ml-data" }, { VarCharValue: "1048576" }, { VarCharValue: "false" }] },
          ],
        },
        NextToken: "page-2",
      })
      .resolvesOnce({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [{ Data: [{ VarCharValue: "ml-data" }, {}, { VarCharValue: "true" }] }],
        },
      });
    const time = fakeTime();

    const result = await runAthenaQuery(client, QUERY, time);

    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString: "SELECT 1",
      WorkGroup: "primary",
      QueryExecutionContext: { Database: "janitor" },
      ResultConfiguration: { OutputLocation: "s3://results/janitor/" },
    });
    expect(athena).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 4);
    expect(time.slept).toEqual([500, 1000, 2000]);
    expect(athena).toHaveReceivedNthCommandWith(GetQueryResultsCommand, 1, {
      QueryExecutionId: "q-1",
      MaxResults: 1000,
    });
    expect(athena).toHaveReceivedNthCommandWith(GetQueryResultsCommand, 2, {
      QueryExecutionId: "q-1",
      NextToken: "page-2",
    });
    expect(result).toEqual({
      queryExecutionId: "q-1",
      columns: [
        { name: "bucket", type: "varchar" },
        { name: "size", type: "bigint" },
        { name: "is_multipart_uploaded", type: "boolean" },
      ],
      rows: [
        { bucket: "ml-data", size: 1048576, is_multipart_uploaded: false },
        { bucket: "ml-data", size: null, is_multipart_uploaded: true },
      ],
    });
  });

  it("leaves the output location to the workgroup when none is given", async () => {
    athena.on(GetQueryExecutionCommand).resolves(state("SUCCEEDED"));
    athena
      .on(GetQueryResultsCommand)
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    await runAthenaQuery(client, { sql: "CREATE …", workgroup: "wg", database: "d" }, fakeTime());
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input?.ResultConfiguration).toBeUndefined();
  });

  it("fails with Athena's reason when the query fails", async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state("RUNNING"))
      .resolves(
        state("FAILED", {
          StateChangeReason: "TABLE_NOT_FOUND: line 3:8: Table 'janitor.inv' does not exist",
        }),
      );

    const run = runAthenaQuery(client, QUERY, fakeTime());

    await expect(run).rejects.toThrow(
      "Athena query q-1 FAILED: TABLE_NOT_FOUND: line 3:8: Table 'janitor.inv' does not exist",
    );
    await expect(run).rejects.toBeInstanceOf(AthenaQueryError);
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it("reports a cancelled query", async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolves(state("CANCELLED", { StateChangeReason: "Query cancelled by user" }));
    await expect(runAthenaQuery(client, QUERY, fakeTime())).rejects.toThrow(
      "Athena query q-1 CANCELLED: Query cancelled by user",
    );
  });

  it("stops a query that outlives the timeout, and says so", async () => {
    athena.on(GetQueryExecutionCommand).resolves(state("RUNNING"));
    athena.on(StopQueryExecutionCommand).resolves({});
    const time = fakeTime(10_000);

    await expect(runAthenaQuery(client, QUERY, time)).rejects.toThrow(
      "Athena query q-1 still RUNNING after 10 s: stopped",
    );
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: "q-1" });
    expect(time.slept).toEqual([500, 1000, 2000, 4000]);
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });
});

describe("athenaValue", () => {
  it("types a cell by its column and refuses what does not fit", () => {
    expect(athenaValue("42", "integer", "n")).toBe(42);
    expect(athenaValue("1.5", "double", "x")).toBe(1.5);
    expect(athenaValue("x", "varchar", "s")).toBe("x");
    expect(athenaValue(undefined, "bigint", "n")).toBeNull();
    expect(() => athenaValue("9007199254740993", "bigint", "size")).toThrow(
      /size: 9007199254740993 is not a safe integer/,
    );
    expect(() => athenaValue("yes", "boolean", "b")).toThrow(/not a boolean/);
  });
});
