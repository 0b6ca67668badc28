/**
 * The Athena table over a bucket's S3 Inventory (CSV), as AWS documents it ("Querying Amazon S3
 * Inventory with Amazon Athena"): OpenCSVSerde over the hive symlink location
 * `<destination>/<source-bucket>/<config-id>/hive/`, one `dt` partition per delivery, found by
 * partition projection (no MSCK REPAIR, no Glue partitions to keep up to date).
 *
 * A CSV report is positional: the columns are the report's `fileSchema`, in its order, named and
 * typed as AWS names them (the names shared/s3/duplicate-sql.ts queries). The tests read the
 * generated files on DuckDB with exactly the column list of this DDL.
 */

/** AWS's column name and type for each inventory field. */
const DOCUMENTED: Record<string, [string, string]> = {
  Bucket: ["bucket", "string"],
  Key: ["key", "string"],
  VersionId: ["version_id", "string"],
  IsLatest: ["is_latest", "boolean"],
  IsDeleteMarker: ["is_delete_marker", "boolean"],
  Size: ["size", "bigint"],
  LastModifiedDate: ["last_modified_date", "string"],
  ETag: ["e_tag", "string"],
  StorageClass: ["storage_class", "string"],
  IsMultipartUploaded: ["is_multipart_uploaded", "boolean"],
  ReplicationStatus: ["replication_status", "string"],
  EncryptionStatus: ["encryption_status", "string"],
  ObjectLockRetainUntilDate: ["object_lock_retain_until_date", "string"],
  ObjectLockMode: ["object_lock_mode", "string"],
  ObjectLockLegalHoldStatus: ["object_lock_legal_hold_status", "string"],
  IntelligentTieringAccessTier: ["intelligent_tiering_access_tier", "string"],
  BucketKeyStatus: ["bucket_key_status", "string"],
  ChecksumAlgorithm: ["checksum_algorithm", "string"],
  ObjectAccessControlList: ["object_access_control_list", "string"],
  ObjectOwner: ["object_owner", "string"],
  LifecycleExpirationDate: ["lifecycle_expiration_date", "string"],
};

const IDENTIFIER = /^[A-Za-z0-9_]+$/;

/** The table's columns for a report's `fileSchema`, in the report's order. */
export function inventoryTableColumns(fileSchema: string): Array<{ name: string; type: string }> {
  return fileSchema
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((field) => {
      const known = DOCUMENTED[field];
      if (known) return { name: known[0], type: known[1] };
      // A field added after this list: snake_case, as AWS names them, read as text.
      const name = field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
      if (!IDENTIFIER.test(name)) throw new Error(`inventory field ${field} cannot be a column name`);
      return { name, type: "string" };
    });
}

/** The table name the scan uses when the policy names none: one per bucket and configuration. */
export function defaultInventoryTable(bucket: string, configId: string): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "_");
  return `ml_janitor_inventory_${clean(bucket)}_${clean(configId)}`;
}

/** `s3://<destination bucket>/<prefix/><source bucket>/<config id>/hive/`. */
export function hiveLocation(
  destinationBucket: string,
  destinationPrefix: string,
  sourceBucket: string,
  configId: string,
): string {
  const prefix = destinationPrefix.replace(/^\/+|\/+$/g, "");
  return `s3://${destinationBucket}/${prefix ? `${prefix}/` : ""}${sourceBucket}/${configId}/hive/`;
}

/** CREATE EXTERNAL TABLE IF NOT EXISTS over the hive symlinks of one inventory configuration. */
export function inventoryTableDdl(o: {
  database: string;
  table: string;
  location: string;
  fileSchema: string;
}): string {
  for (const [what, value] of [
    ["database", o.database],
    ["table", o.table],
  ] as const) {
    if (!IDENTIFIER.test(value)) throw new Error(`bad Athena ${what} name: ${value}`);
  }
  if (!/^s3:\/\/[^'\s\\]+\/hive\/$/.test(o.location))
    throw new Error(`bad inventory hive location: ${o.location}`);
  const columns = inventoryTableColumns(o.fileSchema)
    .map((c) => `  \`${c.name}\` ${c.type}`)
    .join(",\n");
  return `CREATE EXTERNAL TABLE IF NOT EXISTS \`${o.database}\`.\`${o.table}\` (
${columns}
)
PARTITIONED BY (dt string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
  WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\\\')
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat'
LOCATION '${o.location}'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd-HH-mm',
  'projection.dt.range' = '2022-01-01-00-00,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'HOURS'
)`;
}

/** The source the duplicate SQL reads for one delivery: the table's `dt` partition. */
export function inventoryPartitionSource(o: { database: string; table: string; dt: string }): string {
  if (!IDENTIFIER.test(o.database) || !IDENTIFIER.test(o.table)) throw new Error("bad Athena table name");
  if (!/^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$/.test(o.dt)) throw new Error(`bad inventory partition ${o.dt}`);
  return `(SELECT * FROM "${o.database}"."${o.table}" WHERE dt = '${o.dt}') AS inventory`;
}
