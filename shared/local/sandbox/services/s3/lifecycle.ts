/**
 * Bucket lifecycle (Get/Put/DeleteBucketLifecycleConfiguration) over the scenario's
 * `bucket.lifecycle`: the rules as the SDK shapes them. A bucket without one answers
 * NoSuchLifecycleConfiguration (404) as S3 does; PUT replaces the whole configuration, DELETE
 * removes it (204, also when there was none).
 */
import type { ControlPlaneHandler } from "./control-plane.ts";
import { scenarioBucket } from "./control-plane.ts";
import { lifecycleFromXml, lifecycleToXml } from "./lifecycle-xml.ts";
import { S3Error } from "./s3-error.ts";
import { document } from "./xml.ts";

/** S3's default since September 2024, echoed on lifecycle answers. */
const MIN_SIZE_HEADER = { "x-amz-transition-default-minimum-object-size": "all_storage_classes_128K" };

export const getBucketLifecycle: ControlPlaneHandler = (req, ctx) => {
  const bucket = scenarioBucket(req, ctx);
  if (!bucket.lifecycle?.length) {
    throw new S3Error("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", 404, {
      BucketName: bucket.name,
    });
  }
  return {
    status: 200,
    headers: MIN_SIZE_HEADER,
    body: document("LifecycleConfiguration", lifecycleToXml(bucket.lifecycle)),
  };
};

export const putBucketLifecycle: ControlPlaneHandler = async (req, ctx, body) => {
  const bucket = scenarioBucket(req, ctx);
  bucket.lifecycle = lifecycleFromXml(await body());
  return { status: 200, headers: MIN_SIZE_HEADER };
};

export const deleteBucketLifecycle: ControlPlaneHandler = (req, ctx) => {
  const bucket = scenarioBucket(req, ctx);
  delete bucket.lifecycle;
  return { status: 204 };
};
