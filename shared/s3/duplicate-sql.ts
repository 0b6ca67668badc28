/**
 * The duplicate query as SQL, for inventories past what a Lambda should stream: Athena runs it
 * over the S3 Inventory table; the tests run the very same text on DuckDB over the same CSV.gz
 * files, so the two paths are checked to agree. Column names are those of the Athena table AWS
 * documents for S3 Inventory (`size`, `e_tag`, `is_multipart_uploaded`, `encryption_status`, …);
 * `source` is that table, or a DuckDB `read_csv(…)` naming its columns the same way.
 *
 * Same rules as the streaming path (shared/s3/inventory-csv.ts + duplicates.ts): current
 * versions only, sizes seen more than once at or above the floor; the ETag proves equality only
 * for single-part objects unencrypted or SSE-S3.
 */

export interface DuplicateSqlOptions {
  /** A table name or a table function; trusted text from our own code, never from a policy. */
  source: string;
  minSize: number;
  /** The table has is_latest / is_delete_marker columns (an inventory of all versions). */
  versions?: boolean;
  /** Also return the Object Lock columns (the report has them): a locked copy is never deleted. */
  lockColumns?: boolean;
}

function candidatesCte(o: DuplicateSqlOptions): string {
  if (!Number.isSafeInteger(o.minSize) || o.minSize < 0) throw new Error(`bad minSize ${o.minSize}`);
  const current = o.versions ? " AND is_latest AND NOT is_delete_marker" : "";
  const lock = o.lockColumns
    ? ", object_lock_mode, object_lock_retain_until_date, object_lock_legal_hold_status"
    : "";
  return `WITH cur AS (
  SELECT bucket, key, size, e_tag, storage_class, is_multipart_uploaded, encryption_status, last_modified_date${lock}
  FROM ${o.source}
  WHERE size >= ${o.minSize}${current}
), sized AS (
  SELECT *, COUNT(*) OVER (PARTITION BY size) AS same_size FROM cur
), candidates AS (
  SELECT bucket, key, size, e_tag, storage_class, is_multipart_uploaded, encryption_status, last_modified_date${lock},
    CASE WHEN NOT is_multipart_uploaded AND encryption_status IN ('NOT-SSE', 'SSE-S3') AND strpos(e_tag, '-') = 0
      THEN 'md5:' || e_tag END AS proof_key
  FROM sized WHERE same_size > 1
)`;
}

/** Every candidate row, with its proof key (NULL when the ETag proves nothing). */
export function duplicateCandidatesSql(o: DuplicateSqlOptions): string {
  return `${candidatesCte(o)}
SELECT * FROM candidates ORDER BY size, bucket, key`;
}

/** Proven groups: one row per (size, proof key) held by two objects or more. */
export function provenDuplicateGroupsSql(o: DuplicateSqlOptions): string {
  return `${candidatesCte(o)}
SELECT size, proof_key, COUNT(*) AS copies, (COUNT(*) - 1) * size AS wasted_bytes,
  array_agg(bucket || '/' || key ORDER BY bucket, key) AS objects
FROM candidates WHERE proof_key IS NOT NULL
GROUP BY size, proof_key HAVING COUNT(*) > 1
ORDER BY wasted_bytes DESC, proof_key`;
}
