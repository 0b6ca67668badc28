/**
 * Runs the duplicate SQL (shared/s3/duplicate-sql.ts) on embedded DuckDB over S3 Inventory
 * CSV.gz files on disk: the local stand-in for Athena over the inventory table.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import type { InventoryManifest } from "../s3/inventory-csv.ts";

/** Athena's S3 Inventory column names, for the report columns we know. */
const ATHENA_NAMES: Record<string, [string, string]> = {
  Bucket: ["bucket", "VARCHAR"],
  Key: ["key", "VARCHAR"],
  VersionId: ["version_id", "VARCHAR"],
  IsLatest: ["is_latest", "BOOLEAN"],
  IsDeleteMarker: ["is_delete_marker", "BOOLEAN"],
  Size: ["size", "BIGINT"],
  LastModifiedDate: ["last_modified_date", "VARCHAR"],
  ETag: ["e_tag", "VARCHAR"],
  StorageClass: ["storage_class", "VARCHAR"],
  IsMultipartUploaded: ["is_multipart_uploaded", "BOOLEAN"],
  EncryptionStatus: ["encryption_status", "VARCHAR"],
  ObjectLockMode: ["object_lock_mode", "VARCHAR"],
  ObjectLockRetainUntilDate: ["object_lock_retain_until_date", "VARCHAR"],
  ObjectLockLegalHoldStatus: ["object_lock_legal_hold_status", "VARCHAR"],
};

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A DuckDB `read_csv(…)` over the manifest's files, columns named as in Athena. */
export function duckdbSource(manifest: InventoryManifest, dir: string): string {
  const columns = manifest.fileSchema
    .split(",")
    .map((s) => s.trim())
    .map((name) => {
      const [col, type] = ATHENA_NAMES[name] ?? [name.toLowerCase(), "VARCHAR"];
      return `${quote(col)}: ${quote(type)}`;
    });
  const files = manifest.files.map((f) => quote(`${dir}/${f.key}`)).join(", ");
  return `read_csv([${files}], header = false, quote = '"', delim = ',', columns = {${columns.join(", ")}})`;
}

export async function runDuckdb(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
