import { describe, expect, it } from "vitest";
import type { S3ObjectRecord } from "../../../shared/s3/duplicates.ts";
import { columnsOf, ENCRYPTION, recordOf } from "../../../shared/s3/inventory-csv.ts";

type Columns = ReturnType<typeof columnsOf>;

/** recordOf as it was first written (regular expressions, spreads): the reference it must equal. */
function reference(line: string, c: Columns, region: string, now: Date): S3ObjectRecord {
  const values = line.replace(/^"|"\r?$/g, "").split('","');
  const get = (i: number) => (i === -1 ? "" : (values[i] ?? ""));
  const versionId = get(c.versionId);
  const lockUntil = get(c.lockUntil);
  const locked =
    get(c.legalHold) === "ON" ||
    (get(c.lockMode) !== "" && lockUntil !== "" && new Date(lockUntil).getTime() > now.getTime());
  const multipart = get(c.multipart) === "true";
  const etag = get(c.etag);
  return {
    bucket: get(c.bucket),
    region,
    key: decodeURIComponent(get(c.key).replace(/\+/g, " ")),
    size: Number(get(c.size)),
    etag: multipart && !etag.includes("-") ? `${etag}-?` : etag,
    lastModified: new Date(get(c.lastModified) || 0),
    storageClass: get(c.storageClass) || "STANDARD",
    ...(c.encryption !== -1 ? { encryption: ENCRYPTION[get(c.encryption)] ?? get(c.encryption) } : {}),
    ...(c.versionId !== -1 ? { versioned: true } : {}),
    ...(versionId && versionId !== "null" ? { versionId } : {}),
    ...(locked ? { locked: true } : {}),
  };
}

const NOW = new Date("2026-11-23T00:00:00Z");
const FULL = columnsOf(
  "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, EncryptionStatus, ObjectLockMode, ObjectLockRetainUntilDate, ObjectLockLegalHoldStatus",
);
const SHORT = columnsOf("Bucket, Key, Size, ETag");

describe("recordOf", () => {
  const lines: Array<[string, Columns]> = [
    [
      '"b","a%2Fb+c%20d.bin","v1","true","false","2097152","2026-03-01T00:00:00.000Z","e1","STANDARD_IA","false","SSE-S3","","",""',
      FULL,
    ],
    [
      '"b","k","null","true","false","5","2026-02-30T10:00:00Z","e1-3","","true","SSE-KMS","GOVERNANCE","2027-01-01T00:00:00.000Z","OFF"',
      FULL,
    ],
    [
      '"b","k","v2","true","false","5","","e1","GLACIER","true","NOT-SSE","COMPLIANCE","2020-01-01T00:00:00.000Z","ON"\r',
      FULL,
    ],
    [
      '"b","k","","true","false","5","2026-03-01T00:00:00.000Z","e1","STANDARD","false","weird","","",""',
      FULL,
    ],
    ['"b","k","v","true"', FULL],
    ['"b","plain","12","abc"', SHORT],
    ['b","unquoted start","12","abc', SHORT],
    ['"b","k","","x"\r', SHORT],
  ];

  it.each(lines)("reads %s as the reference does", (line, c) => {
    expect(recordOf(line, c, "eu-west-1", NOW)).toStrictEqual(reference(line, c, "eu-west-1", NOW));
  });
});
