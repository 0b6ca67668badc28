/** S3 object calls made by the duplicate actions: a re-check HEAD, delete, and the restores. */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  type S3Client,
  type StorageClass,
} from "@aws-sdk/client-s3";

export interface ObjectState {
  size: number;
  etag: string;
  lastModified: Date;
  versionId?: string;
  locked: boolean;
}

/** The object as it is now; undefined when it no longer exists. */
export async function objectState(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<ObjectState | undefined> {
  try {
    const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      size: h.ContentLength ?? 0,
      etag: (h.ETag ?? "").replace(/^"|"$/g, ""),
      lastModified: h.LastModified ?? new Date(0),
      ...(h.VersionId && h.VersionId !== "null" ? { versionId: h.VersionId } : {}),
      locked:
        h.ObjectLockLegalHoldStatus === "ON" ||
        (h.ObjectLockMode !== undefined && (h.ObjectLockRetainUntilDate?.getTime() ?? 0) > Date.now()),
    };
  } catch (err) {
    const name = (err as Error).name;
    if (name === "NotFound" || name === "NoSuchKey") return undefined;
    throw err;
  }
}

/** Deletes the current version; in a versioned bucket S3 adds a delete marker (its id is returned). */
export async function deleteObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ deleteMarkerVersionId?: string }> {
  const out = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  return out.DeleteMarker && out.VersionId ? { deleteMarkerVersionId: out.VersionId } : {};
}

/** Removes one version (a delete marker: the previous version becomes current again). */
export async function deleteObjectVersion(client: S3Client, bucket: string, key: string, versionId: string) {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
}

export async function copyObject(
  client: S3Client,
  from: { bucket: string; key: string },
  to: { bucket: string; key: string; storageClass?: string },
): Promise<void> {
  await client.send(
    new CopyObjectCommand({
      Bucket: to.bucket,
      Key: to.key,
      CopySource: `${from.bucket}/${from.key.split("/").map(encodeURIComponent).join("/")}`,
      ...(to.storageClass ? { StorageClass: to.storageClass as StorageClass } : {}),
    }),
  );
}
