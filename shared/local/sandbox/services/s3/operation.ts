/**
 * Which S3 operation a REST request is, named as AWS names it (the names the counts and the
 * `failOperations` knob use): S3 has no action field, so the name comes from the method, whether
 * the path names a bucket or an object, and the subresource in the query string — the same
 * reading S3's front end does. Both path-style (`/bucket/key`) and virtual-hosted
 * (`bucket.localhost`) addressing are understood.
 */
import type { IncomingHttpHeaders } from "node:http";

export interface S3Request {
  operation: string;
  method: string;
  bucket?: string;
  /** Decoded object key. */
  key?: string;
  query: URLSearchParams;
  /** The path-style path and query, as forwarded to the object store. */
  pathAndQuery: string;
}

type ByMethod = Partial<Record<"GET" | "PUT" | "DELETE" | "POST" | "HEAD", string>>;

/** Bucket subresources, checked in this order; the first present in the query names the call. */
const BUCKET_SUBRESOURCES: Array<[string, ByMethod]> = [
  [
    "lifecycle",
    {
      GET: "GetBucketLifecycleConfiguration",
      PUT: "PutBucketLifecycleConfiguration",
      DELETE: "DeleteBucketLifecycle",
    },
  ],
  ["uploads", { GET: "ListMultipartUploads" }],
  ["tagging", { GET: "GetBucketTagging", PUT: "PutBucketTagging", DELETE: "DeleteBucketTagging" }],
  ["versioning", { GET: "GetBucketVersioning", PUT: "PutBucketVersioning" }],
  ["versions", { GET: "ListObjectVersions" }],
  ["location", { GET: "GetBucketLocation" }],
  ["delete", { POST: "DeleteObjects" }],
  ["policy", { GET: "GetBucketPolicy", PUT: "PutBucketPolicy", DELETE: "DeleteBucketPolicy" }],
  ["acl", { GET: "GetBucketAcl", PUT: "PutBucketAcl" }],
  ["cors", { GET: "GetBucketCors", PUT: "PutBucketCors", DELETE: "DeleteBucketCors" }],
  [
    "encryption",
    { GET: "GetBucketEncryption", PUT: "PutBucketEncryption", DELETE: "DeleteBucketEncryption" },
  ],
  ["object-lock", { GET: "GetObjectLockConfiguration", PUT: "PutObjectLockConfiguration" }],
  ["website", { GET: "GetBucketWebsite", PUT: "PutBucketWebsite", DELETE: "DeleteBucketWebsite" }],
  ["logging", { GET: "GetBucketLogging", PUT: "PutBucketLogging" }],
  ["notification", { GET: "GetBucketNotificationConfiguration", PUT: "PutBucketNotificationConfiguration" }],
  [
    "replication",
    { GET: "GetBucketReplication", PUT: "PutBucketReplication", DELETE: "DeleteBucketReplication" },
  ],
  [
    "publicAccessBlock",
    { GET: "GetPublicAccessBlock", PUT: "PutPublicAccessBlock", DELETE: "DeletePublicAccessBlock" },
  ],
  [
    "ownershipControls",
    {
      GET: "GetBucketOwnershipControls",
      PUT: "PutBucketOwnershipControls",
      DELETE: "DeleteBucketOwnershipControls",
    },
  ],
  ["policyStatus", { GET: "GetBucketPolicyStatus" }],
  ["accelerate", { GET: "GetBucketAccelerateConfiguration", PUT: "PutBucketAccelerateConfiguration" }],
  ["requestPayment", { GET: "GetBucketRequestPayment", PUT: "PutBucketRequestPayment" }],
  ["inventory", { PUT: "PutBucketInventoryConfiguration", DELETE: "DeleteBucketInventoryConfiguration" }],
  ["analytics", { PUT: "PutBucketAnalyticsConfiguration", DELETE: "DeleteBucketAnalyticsConfiguration" }],
  ["metrics", { PUT: "PutBucketMetricsConfiguration", DELETE: "DeleteBucketMetricsConfiguration" }],
  [
    "intelligent-tiering",
    {
      PUT: "PutBucketIntelligentTieringConfiguration",
      DELETE: "DeleteBucketIntelligentTieringConfiguration",
    },
  ],
];

/** Object subresources, same rule. `uploadId` comes after the part/copy cases handled below. */
const OBJECT_SUBRESOURCES: Array<[string, ByMethod]> = [
  ["uploads", { POST: "CreateMultipartUpload" }],
  ["uploadId", { GET: "ListParts", POST: "CompleteMultipartUpload", DELETE: "AbortMultipartUpload" }],
  ["tagging", { GET: "GetObjectTagging", PUT: "PutObjectTagging", DELETE: "DeleteObjectTagging" }],
  ["attributes", { GET: "GetObjectAttributes" }],
  ["legal-hold", { GET: "GetObjectLegalHold", PUT: "PutObjectLegalHold" }],
  ["retention", { GET: "GetObjectRetention", PUT: "PutObjectRetention" }],
  ["acl", { GET: "GetObjectAcl", PUT: "PutObjectAcl" }],
  ["restore", { POST: "RestoreObject" }],
  ["select", { POST: "SelectObjectContent" }],
  ["torrent", { GET: "GetObjectTorrent" }],
];

/** Configurations addressed by `id` have a Get by id and a List without it. */
const BY_ID: Record<string, [string, string]> = {
  inventory: ["GetBucketInventoryConfiguration", "ListBucketInventoryConfigurations"],
  analytics: ["GetBucketAnalyticsConfiguration", "ListBucketAnalyticsConfigurations"],
  metrics: ["GetBucketMetricsConfiguration", "ListBucketMetricsConfigurations"],
  "intelligent-tiering": [
    "GetBucketIntelligentTieringConfiguration",
    "ListBucketIntelligentTieringConfigurations",
  ],
};

function bucketOperation(method: string, query: URLSearchParams): string {
  for (const [sub, names] of BUCKET_SUBRESOURCES) {
    if (!query.has(sub)) continue;
    if (method === "GET" && BY_ID[sub]) return BY_ID[sub]![query.has("id") ? 0 : 1];
    return names[method as keyof ByMethod] ?? `Unknown${method}Bucket_${sub}`;
  }
  switch (method) {
    case "GET":
      return query.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects";
    case "HEAD":
      return "HeadBucket";
    case "PUT":
      return "CreateBucket";
    case "DELETE":
      return "DeleteBucket";
    case "POST":
      return "PostObject";
    default:
      return `Unknown${method}Bucket`;
  }
}

function objectOperation(method: string, query: URLSearchParams, headers: IncomingHttpHeaders): string {
  if (method === "PUT" && query.has("partNumber") && query.has("uploadId")) {
    return headers["x-amz-copy-source"] ? "UploadPartCopy" : "UploadPart";
  }
  for (const [sub, names] of OBJECT_SUBRESOURCES) {
    if (query.has(sub)) return names[method as keyof ByMethod] ?? `Unknown${method}Object_${sub}`;
  }
  switch (method) {
    case "GET":
      return "GetObject";
    case "HEAD":
      return "HeadObject";
    case "PUT":
      return headers["x-amz-copy-source"] ? "CopyObject" : "PutObject";
    case "DELETE":
      return "DeleteObject";
    default:
      return `Unknown${method}Object`;
  }
}

/** Host names the sandbox answers for itself; anything in front of `.localhost` is a bucket. */
function virtualHostBucket(host: string | undefined): string | undefined {
  const name = (host ?? "").replace(/:\d+$/, "");
  const m = /^(.+)\.localhost$/.exec(name);
  return m?.[1];
}

export function s3Request(method: string, rawUrl: string, headers: IncomingHttpHeaders): S3Request {
  const url = new URL(rawUrl, "http://sandbox.invalid");
  const query = url.searchParams;
  const vhost = virtualHostBucket(headers.host);
  // Path segments stay encoded until split: a key may hold "/" and "%2F" alike.
  const path = vhost ? `/${vhost}${url.pathname === "/" ? "" : url.pathname}` : url.pathname;
  const slash = path.indexOf("/", 1);
  const bucketPart = slash === -1 ? path.slice(1) : path.slice(1, slash);
  const keyPart = slash === -1 ? "" : path.slice(slash + 1);
  const bucket = bucketPart === "" ? undefined : decodeURIComponent(bucketPart);
  const key = keyPart === "" ? undefined : decodeURIComponent(keyPart);
  const operation =
    bucket === undefined
      ? method === "GET"
        ? "ListBuckets"
        : `Unknown${method}Service`
      : key === undefined
        ? bucketOperation(method, query)
        : objectOperation(method, query, headers);
  return {
    operation,
    method,
    ...(bucket !== undefined && { bucket }),
    ...(key !== undefined && { key }),
    query,
    pathAndQuery: `${path}${url.search}`,
  };
}
