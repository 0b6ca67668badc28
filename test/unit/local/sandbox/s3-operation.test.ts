/** How the sandbox names S3 REST requests (the names counts and `failOperations` use). */
import { describe, expect, it } from "vitest";
import { s3Request } from "../../../../shared/local/sandbox/services/s3/operation.ts";

const host = { host: "127.0.0.1:4566" };

describe("s3Request", () => {
  it.each([
    ["GET", "/", {}, "ListBuckets"],
    ["GET", "/b?list-type=2&prefix=a", {}, "ListObjectsV2"],
    ["GET", "/b", {}, "ListObjects"],
    ["HEAD", "/b", {}, "HeadBucket"],
    ["PUT", "/b", {}, "CreateBucket"],
    ["DELETE", "/b", {}, "DeleteBucket"],
    ["GET", "/b?location", {}, "GetBucketLocation"],
    ["GET", "/b?versioning", {}, "GetBucketVersioning"],
    ["GET", "/b?lifecycle", {}, "GetBucketLifecycleConfiguration"],
    ["PUT", "/b?lifecycle", {}, "PutBucketLifecycleConfiguration"],
    ["DELETE", "/b?lifecycle", {}, "DeleteBucketLifecycle"],
    ["GET", "/b?uploads&max-uploads=10", {}, "ListMultipartUploads"],
    ["GET", "/b?tagging", {}, "GetBucketTagging"],
    ["GET", "/b?object-lock", {}, "GetObjectLockConfiguration"],
    ["GET", "/b?inventory", {}, "ListBucketInventoryConfigurations"],
    ["GET", "/b?inventory&id=daily", {}, "GetBucketInventoryConfiguration"],
    ["POST", "/b?delete", {}, "DeleteObjects"],
    ["GET", "/b/k", {}, "GetObject"],
    ["HEAD", "/b/k", {}, "HeadObject"],
    ["PUT", "/b/k", {}, "PutObject"],
    ["PUT", "/b/k", { "x-amz-copy-source": "/b/j" }, "CopyObject"],
    ["DELETE", "/b/k", {}, "DeleteObject"],
    ["GET", "/b/k?attributes", {}, "GetObjectAttributes"],
    ["GET", "/b/k?legal-hold", {}, "GetObjectLegalHold"],
    ["GET", "/b/k?retention", {}, "GetObjectRetention"],
    ["POST", "/b/k?uploads", {}, "CreateMultipartUpload"],
    ["PUT", "/b/k?partNumber=2&uploadId=u", {}, "UploadPart"],
    ["PUT", "/b/k?partNumber=2&uploadId=u", { "x-amz-copy-source": "/b/j" }, "UploadPartCopy"],
    ["POST", "/b/k?uploadId=u", {}, "CompleteMultipartUpload"],
    ["GET", "/b/k?uploadId=u&max-parts=5", {}, "ListParts"],
    ["DELETE", "/b/k?uploadId=u", {}, "AbortMultipartUpload"],
    ["GET", "/b/k?tagging", {}, "GetObjectTagging"],
  ])("%s %s is %s", (method, url, headers, operation) => {
    expect(s3Request(method, url, { ...host, ...headers }).operation).toBe(operation);
  });

  it("splits bucket and key, decoding the key (which may hold slashes and spaces)", () => {
    const r = s3Request(
      "GET",
      "/ml-models-prod/registry/fraud%20scorer/v1/model.tar.gz?x-id=GetObject",
      host,
    );
    expect([r.bucket, r.key, r.pathAndQuery]).toEqual([
      "ml-models-prod",
      "registry/fraud scorer/v1/model.tar.gz",
      "/ml-models-prod/registry/fraud%20scorer/v1/model.tar.gz?x-id=GetObject",
    ]);
  });

  it("reads a virtual-hosted bucket from a *.localhost host name and forwards path-style", () => {
    const r = s3Request("GET", "/runs/1.bin", { host: "ml-experiments.localhost:4566" });
    expect([r.operation, r.bucket, r.key, r.pathAndQuery]).toEqual([
      "GetObject",
      "ml-experiments",
      "runs/1.bin",
      "/ml-experiments/runs/1.bin",
    ]);
    const list = s3Request("GET", "/?list-type=2", { host: "ml-experiments.localhost" });
    expect([list.operation, list.pathAndQuery]).toEqual(["ListObjectsV2", "/ml-experiments?list-type=2"]);
  });
});
