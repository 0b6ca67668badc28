/**
 * Bucket settings from the scenario's bucket: GetBucketTagging from `tags` (S3 answers
 * NoSuchTagSet for a bucket without tags), GetBucketVersioning from `versioning` (absent = never
 * versioned, which S3 answers with an empty VersioningConfiguration), and S3 Inventory
 * configurations, of which scenario buckets have none (an empty list, as S3 answers; s3rver
 * answers NotImplemented).
 */
import type { ControlPlaneHandler } from "./control-plane.ts";
import { scenarioBucket } from "./control-plane.ts";
import { S3Error } from "./s3-error.ts";
import { document, el } from "./xml.ts";

export const getBucketTagging: ControlPlaneHandler = (req, ctx) => {
  const bucket = scenarioBucket(req, ctx);
  const tags = Object.entries(bucket.tags);
  if (tags.length === 0) {
    throw new S3Error("NoSuchTagSet", "The TagSet does not exist", 404, { BucketName: bucket.name });
  }
  const set = tags.map(([k, v]) => `<Tag>${el("Key", k)}${el("Value", v)}</Tag>`).join("");
  return { status: 200, body: document("Tagging", `<TagSet>${set}</TagSet>`) };
};

export const getBucketVersioning: ControlPlaneHandler = (req, ctx) => {
  const bucket = scenarioBucket(req, ctx);
  return { status: 200, body: document("VersioningConfiguration", el("Status", bucket.versioning)) };
};

export const listBucketInventoryConfigurations: ControlPlaneHandler = (req, ctx) => {
  scenarioBucket(req, ctx);
  return { status: 200, body: document("ListInventoryConfigurationsResult", el("IsTruncated", false)) };
};

export const getBucketInventoryConfiguration: ControlPlaneHandler = (req, ctx) => {
  const bucket = scenarioBucket(req, ctx);
  throw new S3Error("NoSuchConfiguration", "The specified configuration does not exist.", 404, {
    BucketName: bucket.name,
  });
};
