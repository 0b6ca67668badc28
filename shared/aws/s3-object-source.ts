/**
 * The `s3Objects` inventory from the best source per bucket (docs/decisions/011): the buckets and
 * prefixes the policies scope, each read from its fresh CSV S3 Inventory (streamed, MD5-checked),
 * from Athena over that inventory when it is huge and the policy configures Athena, or by listing
 * when there is no usable inventory and the bucket is small enough (CloudWatch's NumberOfObjects,
 * one GetMetricData for all buckets); otherwise the bucket is skipped and said so. Whatever the
 * source, the candidates then get the same proof step (shared/aws/s3-objects.ts: HEAD, checksum,
 * hashing within the byte budget), and each record says which source produced it.
 */
import type { AthenaClient } from "@aws-sdk/client-athena";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { S3Client } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { errorMessage } from "../errors.ts";
import { recordOfCandidateRow } from "../s3/athena-rows.ts";
import { duplicateCandidatesSql } from "../s3/duplicate-sql.ts";
import { candidateSizes, type S3ObjectRecord } from "../s3/duplicates.ts";
import { inventoryCandidates } from "../s3/inventory-csv.ts";
import {
  defaultInventoryTable,
  hiveLocation,
  inventoryPartitionSource,
  inventoryTableDdl,
} from "../s3/inventory-table-ddl.ts";
import {
  chooseSource,
  hivePartitionOf,
  type S3ScanPlan,
  type SourceChoice,
  type StreamCapacity,
} from "../s3/object-source-plan.ts";
import { type AthenaRunOptions, DEFAULT_ATHENA_RUN, runAthenaQuery } from "./athena.ts";
import { listBuckets } from "./bucket-inventory.ts";
import { bucketObjectCounts } from "./bucket-object-counts.ts";
import {
  combinedReport,
  findInventory,
  InventoryChecksumError,
  type InventoryDelivery,
} from "./s3-inventory-source.ts";
import {
  bucketVersioned,
  DEFAULT_S3_OBJECTS_OPTIONS,
  type ListTarget,
  listTargets,
  proveCandidates,
  type S3ObjectsOptions,
} from "./s3-objects.ts";

export interface S3SourceClients {
  s3: S3Client;
  cloudwatch: CloudWatchClient;
  athena: AthenaClient;
}

/** What the loader tells the scan besides the records: a choice worth knowing, or a bucket not read. */
export interface LoaderNote {
  level: "info" | "error";
  message: string;
}

export interface S3SourceOptions extends S3ObjectsOptions {
  athenaRun?: AthenaRunOptions;
  capacity?: StreamCapacity;
}

interface Decided {
  target: ListTarget;
  choice: SourceChoice;
  delivery?: InventoryDelivery;
}

const inventoryLabel = (d: InventoryDelivery): string => `inventory ${d.folder}`;

/** Which buckets and prefixes the plan reads among the region's buckets. */
export function targetsOf(plan: S3ScanPlan, buckets: readonly string[]): ListTarget[] {
  const { targets } = plan;
  if (targets === "all") return buckets.map((bucket) => ({ bucket, prefixes: [""] }));
  return buckets
    .filter((b) => targets.has(b))
    .map((bucket) => ({ bucket, prefixes: targets.get(bucket) ?? [""] }));
}

const within = (o: S3ObjectRecord, prefixes: readonly string[]): boolean =>
  prefixes.some((p) => o.key.startsWith(p));

export async function loadS3ObjectsBySource(
  clients: S3SourceClients,
  region: string,
  plan: S3ScanPlan,
  now: Date,
  note: (n: LoaderNote) => void,
  options: S3SourceOptions = DEFAULT_S3_OBJECTS_OPTIONS,
): Promise<S3ObjectRecord[]> {
  const all = await listBuckets(clients.s3, region);
  const names = all.filter((b) => b.region === undefined || b.region === region).map((b) => b.name);
  const targets = targetsOf(plan, names);
  if (targets.length === 0) return [];
  let counts = new Map<string, number | undefined>();
  try {
    counts = await bucketObjectCounts(
      clients.cloudwatch,
      targets.map((t) => t.bucket),
      now,
    );
  } catch (err) {
    // Without counts every bucket without an inventory is listed, as before sources existed.
    note({
      level: "info",
      message: `bucket object counts unavailable (${errorMessage(err)}): sizes unknown`,
    });
  }
  const limit = pLimit(options.concurrency);

  const decided: Decided[] = await Promise.all(
    targets.map((target) =>
      limit(async (): Promise<Decided> => {
        let found: InventoryDelivery | { why: string };
        try {
          found = await findInventory(
            clients.s3,
            target.bucket,
            target.prefixes,
            now,
            plan.inventoryMaxAgeHours,
          );
        } catch (err) {
          found = { why: `could not read its S3 Inventory (${errorMessage(err)})` };
        }
        const why = "why" in found ? found.why : undefined;
        const choice = chooseSource({
          inventoryWhyNot: why,
          objects: counts.get(target.bucket),
          plan,
          ...(options.capacity ? { capacity: options.capacity } : {}),
        });
        return { target, choice, ...("why" in found ? {} : { delivery: found }) };
      }),
    ),
  );

  for (const d of decided) {
    const b = d.target.bucket;
    if (d.choice.source === "skip") note({ level: "error", message: `bucket ${b} skipped: ${d.choice.why}` });
    else if (d.choice.source !== "listing" || !d.choice.why.startsWith("no S3 Inventory configuration"))
      note({ level: "info", message: `bucket ${b}: read by ${d.choice.source} (${d.choice.why})` });
  }

  const byListing = decided.filter((d) => d.choice.source === "listing").map((d) => d.target);
  const listed = await listTargets(clients.s3, byListing, region, options.concurrency);
  const versioned = new Map(listed.versioned);
  const fromReports = decided.filter((d) => d.choice.source !== "listing" && d.choice.source !== "skip");
  await Promise.all(
    fromReports.map((d) =>
      limit(async () => versioned.set(d.target.bucket, await bucketVersioned(clients.s3, d.target.bucket))),
    ),
  );

  const athenaRecords: S3ObjectRecord[] = [];
  for (const d of decided.filter((x) => x.choice.source === "athena")) {
    try {
      athenaRecords.push(
        ...(await athenaCandidates(
          clients.athena,
          d.delivery as InventoryDelivery,
          plan,
          region,
          now,
          options,
        )),
      );
    } catch (err) {
      note({
        level: "error",
        message: `bucket ${d.target.bucket}: Athena over its inventory failed: ${errorMessage(err)}`,
      });
    }
  }

  const otherSizes = [...listed.objects, ...athenaRecords]
    .map((o) => o.size)
    .filter((s) => s >= plan.minSize);
  const streamed = await streamInventories(
    clients.s3,
    decided.filter((x) => x.choice.source === "inventory").map((x) => x.delivery as InventoryDelivery),
    { region, now, minSize: plan.minSize, otherSizes },
    note,
  );

  const prefixesOf = new Map(targets.map((t) => [t.bucket, t.prefixes]));
  const everything = [...listed.objects, ...athenaRecords, ...streamed].filter((o) =>
    within(o, prefixesOf.get(o.bucket) ?? []),
  );
  const sizes = candidateSizes(
    everything.map((o) => o.size),
    plan.minSize,
  );
  return proveCandidates(
    clients.s3,
    everything.filter((o) => sizes.has(o.size)),
    versioned,
    { ...options, minSize: plan.minSize },
  );
}

/**
 * The candidates of every streamed inventory. Reports with the same schema are read in one pass
 * (sizes compare across buckets); a report whose MD5 does not match drops its bucket (an error
 * note) and the pass is read again without it.
 */
async function streamInventories(
  s3: S3Client,
  deliveries: InventoryDelivery[],
  o: { region: string; now: Date; minSize: number; otherSizes: number[] },
  note: (n: LoaderNote) => void,
): Promise<S3ObjectRecord[]> {
  const bySchema = new Map<string, InventoryDelivery[]>();
  for (const d of deliveries)
    bySchema.set(d.manifest.fileSchema, [...(bySchema.get(d.manifest.fileSchema) ?? []), d]);
  const out: S3ObjectRecord[] = [];
  for (let group of bySchema.values()) {
    while (group.length > 0) {
      const label = new Map(group.map((d) => [d.sourceBucket, inventoryLabel(d)]));
      const { manifest, open } = combinedReport(s3, group);
      try {
        out.push(
          ...(await inventoryCandidates(manifest, open, {
            minSize: o.minSize,
            region: o.region,
            now: o.now,
            keepUnresolved: true,
            otherSizes: o.otherSizes,
            sourceOf: (bucket) => label.get(bucket) ?? "inventory",
          })),
        );
        break;
      } catch (err) {
        if (!(err instanceof InventoryChecksumError)) {
          for (const d of group)
            note({
              level: "error",
              message: `bucket ${d.sourceBucket}: its S3 Inventory could not be read: ${errorMessage(err)}`,
            });
          break;
        }
        note({ level: "error", message: `bucket ${err.bucket}: ${err.message}` });
        group = group.filter((d) => d.sourceBucket !== err.bucket);
      }
    }
  }
  return out;
}

/** Candidates of one huge inventory, from Athena: the table (created once unless named), then the query. */
async function athenaCandidates(
  client: AthenaClient,
  d: InventoryDelivery,
  plan: S3ScanPlan,
  region: string,
  now: Date,
  options: S3SourceOptions,
): Promise<S3ObjectRecord[]> {
  const settings = plan.athena;
  if (!settings) throw new Error("no athena settings");
  const run = options.athenaRun ?? DEFAULT_ATHENA_RUN;
  const base = {
    workgroup: settings.workgroup,
    database: settings.database,
    ...(settings.outputLocation ? { outputLocation: settings.outputLocation } : {}),
  };
  const table = settings.table ?? defaultInventoryTable(d.sourceBucket, d.configId);
  if (!settings.table) {
    const location = hiveLocation(d.destinationBucket, d.destinationPrefix, d.sourceBucket, d.configId);
    const ddl = inventoryTableDdl({
      database: settings.database,
      table,
      location,
      fileSchema: d.manifest.fileSchema,
    });
    await runAthenaQuery(client, { ...base, sql: ddl }, run);
  }
  const fields = new Set(d.manifest.fileSchema.split(",").map((s) => s.trim()));
  const sql = duplicateCandidatesSql({
    source: inventoryPartitionSource({ database: settings.database, table, dt: hivePartitionOf(d.folder) }),
    minSize: plan.minSize,
    versions: fields.has("IsLatest") && fields.has("IsDeleteMarker"),
    lockColumns: ["ObjectLockMode", "ObjectLockRetainUntilDate", "ObjectLockLegalHoldStatus"].every((f) =>
      fields.has(f),
    ),
  });
  const result = await runAthenaQuery(client, { ...base, sql }, run);
  const source = `athena query ${result.queryExecutionId} (${inventoryLabel(d)})`;
  return result.rows.map((row) => recordOfCandidateRow(row, region, now, source));
}
