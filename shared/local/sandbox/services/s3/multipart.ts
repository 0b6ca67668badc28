/**
 * ListMultipartUploads, ListParts and AbortMultipartUpload over the scenario's incomplete uploads
 * (`bucket.multipartUploads`). Uploads are virtual — parts have sizes, no content — so a
 * scenario can hold the 180 GiB checkpoint a dead training job left behind. Pagination is S3's:
 * at most 1,000 uploads per page with key + upload-id markers, 1,000 parts per page with a
 * part-number marker; a delimiter folds keys into common prefixes, each counting as one entry.
 */
import { createHash } from "node:crypto";
import type { SandboxContext } from "../../service.ts";
import type { SbMultipartUpload } from "../../types.ts";
import { type ControlPlaneHandler, canonicalOwner, scenarioBucket } from "./control-plane.ts";
import type { S3Request } from "./operation.ts";
import { S3Error } from "./s3-error.ts";
import { document, el } from "./xml.ts";

const PAGE_MAX = 1000;
/** How far apart the virtual parts were uploaded: part N is `initiated + N × this`. */
const PART_SPACING_MS = 10_000;

function pageSize(query: URLSearchParams, name: string): number {
  const raw = query.get(name);
  if (raw === null) return PAGE_MAX;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 2_147_483_647) {
    throw new S3Error(
      "InvalidArgument",
      `Argument ${name} must be an integer between 1 and 2147483647`,
      400,
      {
        ArgumentName: name,
        ArgumentValue: raw,
      },
    );
  }
  return Math.min(n, PAGE_MAX);
}

function ownerXml(ctx: SandboxContext): string {
  const id = canonicalOwner(ctx);
  return `<Initiator>${el("ID", id)}${el("DisplayName", "sandbox")}</Initiator><Owner>${el("ID", id)}${el("DisplayName", "sandbox")}</Owner>`;
}

/** Keys and prefixes as S3 writes them with `encoding-type=url`. */
const encoder = (query: URLSearchParams) =>
  query.get("encoding-type") === "url"
    ? (s: string) => encodeURIComponent(s).replace(/%2F/g, "/")
    : (s: string) => s;

type Entry = { upload: SbMultipartUpload } | { prefix: string };

export const listMultipartUploads: ControlPlaneHandler = (req, ctx) => {
  const bucket = scenarioBucket(req, ctx);
  const q = req.query;
  const max = pageSize(q, "max-uploads");
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const keyMarker = q.get("key-marker") ?? "";
  // S3 ignores the upload-id marker without a key marker.
  const uploadIdMarker = keyMarker ? (q.get("upload-id-marker") ?? "") : "";
  const sorted = [...(bucket.multipartUploads ?? [])]
    .filter((u) => u.key.startsWith(prefix))
    .sort((a, b) =>
      a.key < b.key
        ? -1
        : a.key > b.key
          ? 1
          : a.initiated - b.initiated || a.uploadId.localeCompare(b.uploadId),
    );
  const markerAt = uploadIdMarker
    ? sorted.findIndex((u) => u.key === keyMarker && u.uploadId === uploadIdMarker)
    : -1;
  const after = sorted.filter((u, i) => {
    if (!keyMarker) return true;
    if (markerAt >= 0) return i > markerAt;
    // A marker that is a rolled-up common prefix skips everything under it.
    if (delimiter && keyMarker.endsWith(delimiter) && u.key.startsWith(keyMarker)) return false;
    return u.key > keyMarker;
  });

  const entries: Entry[] = [];
  let truncated = false;
  for (const upload of after) {
    const rest = upload.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const common = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : undefined;
    const last = entries.at(-1);
    if (common !== undefined && last && "prefix" in last && last.prefix === common) continue;
    if (entries.length === max) {
      truncated = true;
      break;
    }
    entries.push(common !== undefined ? { prefix: common } : { upload });
  }

  const enc = encoder(q);
  const last = entries.at(-1);
  const next = last === undefined ? "" : "upload" in last ? last.upload.key : last.prefix;
  const nextId = last !== undefined && "upload" in last ? last.upload.uploadId : "";
  const owner = ownerXml(ctx);
  const body =
    el("Bucket", bucket.name) +
    el("KeyMarker", enc(keyMarker)) +
    el("UploadIdMarker", uploadIdMarker) +
    (last ? el("NextKeyMarker", enc(next)) + el("NextUploadIdMarker", nextId) : "") +
    el("Prefix", enc(prefix)) +
    (delimiter ? el("Delimiter", enc(delimiter)) : "") +
    el("MaxUploads", max) +
    el("IsTruncated", truncated) +
    entries
      .map((e) =>
        "upload" in e
          ? `<Upload>${el("Key", enc(e.upload.key))}${el("UploadId", e.upload.uploadId)}${owner}` +
            `${el("StorageClass", e.upload.storageClass)}${el("Initiated", new Date(e.upload.initiated).toISOString())}</Upload>`
          : `<CommonPrefixes>${el("Prefix", enc(e.prefix))}</CommonPrefixes>`,
      )
      .join("") +
    (q.get("encoding-type") === "url" ? el("EncodingType", "url") : "");
  return { status: 200, body: document("ListMultipartUploadsResult", body) };
};

function findUpload(req: S3Request, ctx: SandboxContext): SbMultipartUpload {
  const bucket = scenarioBucket(req, ctx);
  const id = req.query.get("uploadId") ?? "";
  const upload = bucket.multipartUploads?.find((u) => u.key === req.key && u.uploadId === id);
  if (!upload) {
    throw new S3Error(
      "NoSuchUpload",
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
      404,
      { UploadId: id },
    );
  }
  return upload;
}

export const listParts: ControlPlaneHandler = (req, ctx) => {
  const upload = findUpload(req, ctx);
  const max = pageSize(req.query, "max-parts");
  const markerText = req.query.get("part-number-marker") ?? "0";
  if (!/^\d+$/.test(markerText)) {
    throw new S3Error("InvalidArgument", "Argument part-number-marker must be an integer", 400, {
      ArgumentName: "part-number-marker",
      ArgumentValue: markerText,
    });
  }
  const marker = Number(markerText);
  const numbers = upload.parts.map((_, i) => i + 1).filter((n) => n > marker);
  const page = numbers.slice(0, max);
  const truncated = numbers.length > page.length;
  const parts = page
    .map((n) => {
      const etag = createHash("md5").update(`${upload.uploadId}:${n}`).digest("hex");
      const at = Math.min(upload.initiated + n * PART_SPACING_MS, ctx.now);
      return `<Part>${el("PartNumber", n)}${el("LastModified", new Date(at).toISOString())}${el("ETag", `"${etag}"`)}${el("Size", upload.parts[n - 1]!)}</Part>`;
    })
    .join("");
  const body =
    el("Bucket", req.bucket) +
    el("Key", upload.key) +
    el("UploadId", upload.uploadId) +
    el("PartNumberMarker", marker) +
    (page.length ? el("NextPartNumberMarker", page.at(-1)!) : "") +
    el("MaxParts", max) +
    el("IsTruncated", truncated) +
    parts +
    ownerXml(ctx) +
    el("StorageClass", upload.storageClass);
  return { status: 200, body: document("ListPartsResult", body) };
};

export const abortMultipartUpload: ControlPlaneHandler = (req, ctx) => {
  const upload = findUpload(req, ctx);
  const bucket = scenarioBucket(req, ctx);
  bucket.multipartUploads = (bucket.multipartUploads ?? []).filter((u) => u !== upload);
  return { status: 204 };
};
