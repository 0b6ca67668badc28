/**
 * The `buckets` inventory: every S3 bucket of the region with its tags. S3 lists the
 * buckets (paginated ListBuckets, filtered to the region where S3 supports it); the tags come
 * in bulk from the Tagging API, which knows only buckets that were ever tagged — a bucket
 * absent from its answer has no tags.
 */
import type { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { paginateListBuckets, type S3Client } from "@aws-sdk/client-s3";
import type { BucketInfo } from "../detectors/inventory.ts";
import { tagsByArn } from "./tagging.ts";

/** ListBuckets' maximum page size. */
const MAX_BUCKETS = 10_000;

export interface BucketSummary {
  name: string;
  creationDate: Date;
  /** Absent when the S3 endpoint does not report it (older or S3-compatible servers). */
  region?: string;
}

/** Buckets of `region`; S3 servers that ignore the region filter return all, region unknown. */
export async function listBuckets(client: S3Client, region: string): Promise<BucketSummary[]> {
  const out: BucketSummary[] = [];
  for await (const page of paginateListBuckets(
    { client, pageSize: MAX_BUCKETS },
    { MaxBuckets: MAX_BUCKETS, BucketRegion: region },
  )) {
    for (const b of page.Buckets ?? []) {
      if (!b.Name) continue;
      out.push({
        name: b.Name,
        creationDate: b.CreationDate ?? new Date(0),
        ...(b.BucketRegion ? { region: b.BucketRegion } : {}),
      });
    }
  }
  return out;
}

export async function loadBuckets(
  s3: S3Client,
  tagging: ResourceGroupsTaggingAPIClient,
  region: string,
): Promise<BucketInfo[]> {
  const [buckets, tags] = await Promise.all([listBuckets(s3, region), tagsByArn(tagging, ["s3"])]);
  return (
    buckets
      // A bucket of another region is that region's scan's business.
      .filter((b) => b.region === undefined || b.region === region)
      .map((b) => {
        const arn = `arn:aws:s3:::${b.name}`;
        return {
          name: b.name,
          arn,
          region: b.region ?? region,
          creationDate: b.creationDate,
          tags: tags.get(arn) ?? {},
        };
      })
  );
}
