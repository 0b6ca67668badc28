/**
 * The `multipartUploads` inventory: incomplete multipart uploads of every bucket of the region
 * (ListMultipartUploads, 1,000 per page) with the bytes their parts hold (ListParts), which S3
 * bills as storage until the upload is completed or aborted; and the abort the `abort-multipart`
 * action makes.
 */
import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import type { MultipartUploadInfo } from "../detectors/inventory.ts";

export async function listMultipartUploads(
  client: S3Client,
  bucket: string,
  region: string,
): Promise<MultipartUploadInfo[]> {
  const out: MultipartUploadInfo[] = [];
  // No SDK paginator for this one: follow the key and upload-id markers.
  let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
  for (;;) {
    const page = await client.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 1000, ...markers }),
    );
    for (const u of page.Uploads ?? []) {
      if (!u.Key || !u.UploadId) continue;
      out.push({
        bucket,
        region,
        key: u.Key,
        uploadId: u.UploadId,
        initiated: u.Initiated ?? new Date(0),
        storageClass: u.StorageClass ?? "STANDARD",
        parts: 0,
        bytes: 0,
      });
    }
    if (!page.IsTruncated) break;
    markers = {
      ...(page.NextKeyMarker ? { KeyMarker: page.NextKeyMarker } : {}),
      ...(page.NextUploadIdMarker ? { UploadIdMarker: page.NextUploadIdMarker } : {}),
    };
  }
  return out;
}

async function withParts(client: S3Client, u: MultipartUploadInfo): Promise<MultipartUploadInfo> {
  let parts = 0;
  let bytes = 0;
  // Follows IsTruncated, not the SDK paginator: S3 sends NextPartNumberMarker on every page,
  // and the paginator would spend one more (empty) call per upload to learn it was the last.
  let marker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListPartsCommand({
        Bucket: u.bucket,
        Key: u.key,
        UploadId: u.uploadId,
        MaxParts: 1000,
        ...(marker ? { PartNumberMarker: marker } : {}),
      }),
    );
    for (const p of page.Parts ?? []) {
      parts++;
      bytes += p.Size ?? 0;
    }
    if (!page.IsTruncated || !page.NextPartNumberMarker) break;
    marker = page.NextPartNumberMarker;
  }
  return { ...u, parts, bytes };
}

export async function loadMultipartUploads(
  client: S3Client,
  buckets: readonly string[],
  region: string,
  concurrency = 8,
): Promise<MultipartUploadInfo[]> {
  const limit = pLimit(concurrency);
  const uploads = (
    await Promise.all(buckets.map((b) => limit(() => listMultipartUploads(client, b, region))))
  ).flat();
  return Promise.all(uploads.map((u) => limit(() => withParts(client, u))));
}

/** Aborts one upload (its parts are freed); false when S3 no longer knows it (completed or aborted meanwhile). */
export async function abortUpload(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<boolean> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    return true;
  } catch (err) {
    if ((err as Error).name === "NoSuchUpload") return false;
    throw err;
  }
}
