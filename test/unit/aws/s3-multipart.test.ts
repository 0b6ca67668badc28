import { ListMultipartUploadsCommand, ListPartsCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { loadMultipartUploads } from "../../../shared/aws/s3-multipart.ts";

const s3 = mockClient(S3Client);
const client = new S3Client({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const INITIATED = new Date("2026-11-01T00:00:00Z");

beforeEach(() => s3.reset());
afterAll(() => s3.restore());

describe("loadMultipartUploads", () => {
  it("follows the upload markers, then each upload's parts until IsTruncated is false", async () => {
    s3.on(ListMultipartUploadsCommand, { Bucket: "b" })
      .resolvesOnce({
        IsTruncated: true,
        NextKeyMarker: "k1",
        NextUploadIdMarker: "u1",
        Uploads: [{ Key: "k1", UploadId: "u1", Initiated: INITIATED }],
      })
      .resolvesOnce({
        IsTruncated: false,
        Uploads: [{ Key: "k2", UploadId: "u2", Initiated: INITIATED, StorageClass: "STANDARD_IA" }],
      });
    s3.on(ListPartsCommand, { UploadId: "u1" })
      .resolvesOnce({
        IsTruncated: true,
        NextPartNumberMarker: "1000",
        Parts: [{ PartNumber: 1, Size: 100 }],
      })
      .resolvesOnce({
        IsTruncated: false,
        NextPartNumberMarker: "1001",
        Parts: [{ PartNumber: 1001, Size: 50 }],
      });
    // S3 sends NextPartNumberMarker on the last page too: no further call for it.
    s3.on(ListPartsCommand, { UploadId: "u2" }).resolves({
      IsTruncated: false,
      NextPartNumberMarker: "2",
      Parts: [
        { PartNumber: 1, Size: 7 },
        { PartNumber: 2, Size: 3 },
      ],
    });

    const uploads = await loadMultipartUploads(client, ["b"], "us-east-1");

    expect(uploads).toEqual([
      {
        bucket: "b",
        region: "us-east-1",
        key: "k1",
        uploadId: "u1",
        initiated: INITIATED,
        storageClass: "STANDARD",
        parts: 2,
        bytes: 150,
      },
      {
        bucket: "b",
        region: "us-east-1",
        key: "k2",
        uploadId: "u2",
        initiated: INITIATED,
        storageClass: "STANDARD_IA",
        parts: 2,
        bytes: 10,
      },
    ]);
    expect(s3.commandCalls(ListMultipartUploadsCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: "b", MaxUploads: 1000 },
      { Bucket: "b", MaxUploads: 1000, KeyMarker: "k1", UploadIdMarker: "u1" },
    ]);
    expect(s3.commandCalls(ListPartsCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: "b", Key: "k1", UploadId: "u1", MaxParts: 1000 },
      { Bucket: "b", Key: "k2", UploadId: "u2", MaxParts: 1000 },
      { Bucket: "b", Key: "k1", UploadId: "u1", MaxParts: 1000, PartNumberMarker: "1000" },
    ]);
  });
});
