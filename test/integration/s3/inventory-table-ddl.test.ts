import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDuckdb } from "../../../shared/local/duckdb-inventory.ts";
import { type GeneratedInventory, generateInventory } from "../../../shared/local/inventory-generator.ts";
import { recordOfCandidateRow } from "../../../shared/s3/athena-rows.ts";
import { duplicateCandidatesSql } from "../../../shared/s3/duplicate-sql.ts";
import type { S3ObjectRecord } from "../../../shared/s3/duplicates.ts";
import { inventoryCandidates } from "../../../shared/s3/inventory-csv.ts";
import {
  defaultInventoryTable,
  hiveLocation,
  inventoryPartitionSource,
  inventoryTableDdl,
} from "../../../shared/s3/inventory-table-ddl.ts";

const MIB = 1024 * 1024;
const NOW = new Date("2026-11-23T00:00:00Z");
const DUCKDB_TYPES: Record<string, string> = { string: "VARCHAR", bigint: "BIGINT", boolean: "BOOLEAN" };

/** The column list of a CREATE TABLE statement, as written in it. */
function ddlColumns(ddl: string): Array<{ name: string; type: string }> {
  const body = ddl.slice(ddl.indexOf("(\n") + 2, ddl.indexOf("\n)\nPARTITIONED BY"));
  return body.split(",\n").map((line) => {
    const m = /^\s*`([a-z_]+)` ([a-z]+)$/.exec(line);
    if (!m) throw new Error(`not a column: ${line}`);
    return { name: m[1] as string, type: m[2] as string };
  });
}

describe("the Athena inventory table DDL", () => {
  let dir: string;
  let inv: GeneratedInventory;
  let ddl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "janitor-ddl-"));
    inv = await generateInventory({ dir, rows: 20_000, rowsPerFile: 6_000, seed: 11 });
    ddl = inventoryTableDdl({
      database: "janitor",
      table: defaultInventoryTable("ml-data", "Daily-Inventory"),
      location: hiveLocation("ml-inventory", "/inv/", "ml-data", "Daily-Inventory"),
      fileSchema: inv.manifest.fileSchema,
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is AWS's documented CSV inventory table over the hive symlinks, partitioned by dt", () => {
    expect(ddl).toContain(
      "CREATE EXTERNAL TABLE IF NOT EXISTS `janitor`.`ml_janitor_inventory_ml_data_daily_inventory` (",
    );
    expect(ddl).toContain("PARTITIONED BY (dt string)");
    expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'");
    expect(ddl).toContain(
      "WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"', 'escapeChar' = '\\\\')",
    );
    expect(ddl).toContain("STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'");
    expect(ddl).toContain("LOCATION 's3://ml-inventory/inv/ml-data/Daily-Inventory/hive/'");
    expect(ddl).toContain("'projection.dt.format' = 'yyyy-MM-dd-HH-mm'");
    expect(ddlColumns(ddl)).toEqual([
      { name: "bucket", type: "string" },
      { name: "key", type: "string" },
      { name: "size", type: "bigint" },
      { name: "last_modified_date", type: "string" },
      { name: "e_tag", type: "string" },
      { name: "storage_class", type: "string" },
      { name: "is_multipart_uploaded", type: "boolean" },
      { name: "encryption_status", type: "string" },
      { name: "object_lock_mode", type: "string" },
      { name: "object_lock_retain_until_date", type: "string" },
      { name: "object_lock_legal_hold_status", type: "string" },
    ]);
  });

  it("reads the report files with its columns (on DuckDB) into the same candidates as the streaming path", async () => {
    const columns = ddlColumns(ddl)
      .map((c) => `'${c.name}': '${DUCKDB_TYPES[c.type]}'`)
      .join(", ");
    const files = inv.manifest.files.map((f) => `'${dir}/${f.key}'`).join(", ");
    // The table as Athena sees one delivery: the report's rows plus the dt partition column.
    const table = `CREATE SCHEMA janitor;
CREATE VIEW janitor.inv AS SELECT *, '2026-11-22-01-00' AS dt
  FROM read_csv([${files}], header = false, quote = '"', delim = ',', columns = {${columns}});
`;
    const sql = duplicateCandidatesSql({
      source: inventoryPartitionSource({ database: "janitor", table: "inv", dt: "2026-11-22-01-00" }),
      minSize: MIB,
      lockColumns: true,
    });
    const rows = await runDuckdb(`${table}${sql}`);
    const fromSql = rows.map((r) =>
      recordOfCandidateRow(
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            typeof v === "bigint" ? Number(v) : (v as string | boolean | null),
          ]),
        ),
        "us-east-1",
        NOW,
        "athena",
      ),
    );
    const streamed = await inventoryCandidates(
      inv.manifest,
      async (key) => createReadStream(join(dir, key)),
      {
        minSize: MIB,
        region: "us-east-1",
        now: NOW,
        keepUnresolved: true,
      },
    );
    const view = (o: S3ObjectRecord) =>
      `${o.key}|${o.size}|${o.etag}|${o.encryption}|${o.storageClass}|${o.locked ?? false}`;
    expect(fromSql.length).toBeGreaterThan(500);
    expect(fromSql.map(view).sort()).toEqual(streamed.map(view).sort());
    // A partition that is not there reads nothing.
    const none = await runDuckdb(
      `${table}${duplicateCandidatesSql({
        source: inventoryPartitionSource({ database: "janitor", table: "inv", dt: "2026-11-21-01-00" }),
        minSize: MIB,
      })}`,
    );
    expect(none).toEqual([]);
  });

  it("refuses names and locations that could break out of the statement", () => {
    const ok = {
      database: "janitor",
      table: "t",
      location: "s3://inv/b/c/hive/",
      fileSchema: "Bucket, Key, Size",
    };
    expect(() => inventoryTableDdl({ ...ok, table: "t; DROP TABLE x" })).toThrow(/bad Athena table name/);
    expect(() => inventoryTableDdl({ ...ok, location: "s3://inv/x' OR '1/hive/" })).toThrow(
      /bad inventory hive location/,
    );
    expect(() => inventoryPartitionSource({ database: "janitor", table: "t", dt: "2026' OR 1=1" })).toThrow(
      /bad inventory partition/,
    );
  });
});
