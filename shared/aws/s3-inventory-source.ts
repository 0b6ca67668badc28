/**
 * A bucket's S3 Inventory as a source of objects: its configurations
 * (ListBucketInventoryConfigurations, paginated), the newest delivery of the one that can serve
 * (`<prefix>/<source-bucket>/<config-id>/<YYYY-MM-DDTHH-MMZ>/manifest.json`, found by listing the
 * delivery folders with a delimiter), whether it is fresh enough, and its report files opened for
 * streaming with each file's MD5 (from the manifest) checked as the bytes go by: a report that
 * does not match fails its bucket instead of feeding it wrong rows.
 */
import { createHash } from "node:crypto";
import { type Readable, Transform } from "node:stream";
import {
  GetObjectCommand,
  type InventoryConfiguration,
  ListBucketInventoryConfigurationsCommand,
  paginateListObjectsV2,
  type S3Client,
} from "@aws-sdk/client-s3";
import { JanitorError } from "../errors.ts";
import { type InventoryManifest, inventoryManifest, type OpenFile } from "../s3/inventory-csv.ts";
import { deliveryDate, pickInventoryConfig } from "../s3/object-source-plan.ts";

/** A report file whose content does not match the manifest's MD5. */
export class InventoryChecksumError extends JanitorError {
  constructor(
    readonly bucket: string,
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/** Every inventory configuration of `bucket` (S3 returns up to 100 per page). */
export async function inventoryConfigurations(
  client: S3Client,
  bucket: string,
): Promise<InventoryConfiguration[]> {
  const out: InventoryConfiguration[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ContinuationToken: token }),
    );
    out.push(...(page.InventoryConfigurationList ?? []));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** One delivery of one inventory configuration, ready to stream. */
export interface InventoryDelivery {
  sourceBucket: string;
  configId: string;
  destinationBucket: string;
  destinationPrefix: string;
  /** The delivery folder, e.g. `2026-11-22T01-00Z`. */
  folder: string;
  date: Date;
  manifest: InventoryManifest;
}

const bucketOfArn = (arn: string): string => arn.replace(/^arn:[^:]+:s3:::/, "");

/** The delivery folders under `base` (`…/<config-id>/`), newest first. */
async function deliveryFolders(client: S3Client, bucket: string, base: string): Promise<string[]> {
  const folders: string[] = [];
  for await (const page of paginateListObjectsV2(
    { client, pageSize: 1000 },
    { Bucket: bucket, Prefix: base, Delimiter: "/" },
  )) {
    for (const p of page.CommonPrefixes ?? []) {
      const name = (p.Prefix ?? "").slice(base.length).replace(/\/$/, "");
      if (deliveryDate(name)) folders.push(name);
    }
  }
  // The folder names sort as their dates.
  return folders.sort().reverse();
}

async function readManifest(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<InventoryManifest | undefined> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = await (out.Body as { transformToString(): Promise<string> }).transformToString();
    return inventoryManifest.parse(JSON.parse(text));
  } catch (err) {
    // A delivery still being written has its data files but no manifest yet.
    if ((err as { name?: string }).name === "NoSuchKey") return undefined;
    throw new Error(`cannot read inventory manifest s3://${bucket}/${key}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** The newest complete delivery of `config` for `bucket`, or why there is none. */
export async function newestDelivery(
  client: S3Client,
  bucket: string,
  config: InventoryConfiguration,
): Promise<InventoryDelivery | { why: string }> {
  const dest = config.Destination?.S3BucketDestination;
  const configId = config.Id ?? "";
  const destinationBucket = bucketOfArn(dest?.Bucket ?? "");
  const destinationPrefix = (dest?.Prefix ?? "").replace(/^\/+|\/+$/g, "");
  const base = `${destinationPrefix ? `${destinationPrefix}/` : ""}${bucket}/${configId}/`;
  const folders = await deliveryFolders(client, destinationBucket, base);
  // The newest folder may be a delivery in progress (no manifest yet): then the one before.
  for (const folder of folders.slice(0, 2)) {
    const manifest = await readManifest(client, destinationBucket, `${base}${folder}/manifest.json`);
    if (!manifest) continue;
    if (manifest.sourceBucket !== bucket)
      throw new Error(
        `inventory manifest under s3://${destinationBucket}/${base}${folder}/ is for ${manifest.sourceBucket}`,
      );
    if (manifest.fileFormat !== "CSV")
      return { why: `inventory ${configId} delivered ${manifest.fileFormat}, not CSV` };
    return {
      sourceBucket: bucket,
      configId,
      destinationBucket,
      destinationPrefix,
      folder,
      date: deliveryDate(folder) as Date,
      manifest,
    };
  }
  return { why: `inventory ${configId} has no delivered manifest under s3://${destinationBucket}/${base}` };
}

/**
 * The fresh inventory delivery that can serve a scan of `prefixes` in `bucket`, or why none can
 * (no configuration, disabled, Parquet/ORC, a field missing, no delivery, too old).
 */
export async function findInventory(
  client: S3Client,
  bucket: string,
  prefixes: readonly string[],
  now: Date,
  maxAgeHours: number,
): Promise<InventoryDelivery | { why: string }> {
  const picked = pickInventoryConfig(await inventoryConfigurations(client, bucket), prefixes);
  if ("why" in picked) return picked;
  const delivery = await newestDelivery(client, bucket, picked.config as InventoryConfiguration);
  if ("why" in delivery) return delivery;
  const ageHours = (now.getTime() - delivery.date.getTime()) / 3_600_000;
  if (ageHours > maxAgeHours) {
    return {
      why: `newest inventory ${delivery.configId} (${delivery.folder}) is ${Math.round(ageHours)} h old, more than inventoryMaxAgeHours ${maxAgeHours}`,
    };
  }
  return delivery;
}

/** A pass-through that fails at the end when the bytes' MD5 is not `expected`. */
export function md5Verified(
  source: Readable,
  expected: string,
  onMismatch: (actual: string) => Error,
): Readable {
  const hash = createHash("md5");
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const actual = hash.digest("hex");
      done(actual === expected.toLowerCase() ? null : onMismatch(actual));
    },
  });
  source.on("error", (err) => check.destroy(err));
  return source.pipe(check);
}

/**
 * One manifest over the report files of several deliveries with the same schema (so that sizes
 * are compared across buckets in one pass), and how to open its files: GetObject in each
 * delivery's destination bucket, MD5-checked.
 */
export function combinedReport(
  client: S3Client,
  deliveries: readonly InventoryDelivery[],
): { manifest: InventoryManifest; open: OpenFile } {
  const first = deliveries[0];
  if (!first) throw new Error("no inventory delivery to read");
  const files = new Map<string, { bucket: string; key: string; md5: string; source: string }>();
  for (const d of deliveries) {
    if (d.manifest.fileSchema !== first.manifest.fileSchema) throw new Error("inventory schemas differ");
    for (const f of d.manifest.files) {
      files.set(`${d.destinationBucket}/${f.key}`, {
        bucket: d.destinationBucket,
        key: f.key,
        md5: f.MD5checksum,
        source: d.sourceBucket,
      });
    }
  }
  const manifest: InventoryManifest = {
    ...first.manifest,
    files: [...files.keys()].map((key) => ({ key, size: 0, MD5checksum: files.get(key)?.md5 ?? "" })),
  };
  const open: OpenFile = async (key) => {
    const f = files.get(key);
    if (!f) throw new Error(`not a file of the inventory: ${key}`);
    const out = await client.send(new GetObjectCommand({ Bucket: f.bucket, Key: f.key }));
    return md5Verified(
      out.Body as Readable,
      f.md5,
      (actual) =>
        new InventoryChecksumError(
          f.source,
          f.key,
          `inventory file s3://${f.bucket}/${f.key} of bucket ${f.source} has MD5 ${actual}, the manifest says ${f.md5}: corrupt or partly written, bucket not scanned`,
        ),
    );
  };
  return { manifest, open };
}
