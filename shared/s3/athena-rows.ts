/**
 * A row of the duplicate candidates query (shared/s3/duplicate-sql.ts) run by Athena over the
 * inventory table, as the same record the streaming reader makes from a report line: keys
 * URL-decoded, encryption names normalised, a multipart ETag marked, Object Lock honoured.
 */
import type { S3ObjectRecord } from "./duplicates.ts";
import { ENCRYPTION } from "./inventory-csv.ts";

export type CandidateRow = Record<string, string | number | boolean | null>;

const text = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

export function recordOfCandidateRow(
  row: CandidateRow,
  region: string,
  now: Date,
  source: string,
): S3ObjectRecord {
  const size = Number(row["size"]);
  if (!Number.isSafeInteger(size) || size < 0)
    throw new Error(`Athena row with a bad size: ${text(row["size"])}`);
  const multipart = row["is_multipart_uploaded"] === true || row["is_multipart_uploaded"] === "true";
  const etag = text(row["e_tag"]);
  const encryption = text(row["encryption_status"]);
  const lockUntil = text(row["object_lock_retain_until_date"]);
  const locked =
    text(row["object_lock_legal_hold_status"]) === "ON" ||
    (text(row["object_lock_mode"]) !== "" &&
      lockUntil !== "" &&
      new Date(lockUntil).getTime() > now.getTime());
  return {
    bucket: text(row["bucket"]),
    region,
    key: decodeURIComponent(text(row["key"]).replace(/\+/g, " ")),
    size,
    etag: multipart && !etag.includes("-") ? `${etag}-?` : etag,
    lastModified: new Date(text(row["last_modified_date"]) || 0),
    storageClass: text(row["storage_class"]) || "STANDARD",
    ...(encryption ? { encryption: ENCRYPTION[encryption] ?? encryption } : {}),
    ...(locked ? { locked: true } : {}),
    source,
  };
}
