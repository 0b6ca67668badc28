/**
 * Embedded S3 for the local runtime and tests: s3rver, objects as files under `dataDir`,
 * on 127.0.0.1 only. SDK v3 clients reach it with `endpoint` and `forcePathStyle: true`
 * (s3rver accepts any credentials; ETags are content MD5s, as S3's are for single-part
 * unencrypted uploads).
 *
 * s3rver 3.7 makes ListObjectsV2 continuation tokens with the DES cipher, which Node 17+
 * (OpenSSL 3) no longer has: any truncated V2 listing, and any request carrying a token,
 * fails with InternalError. A middleware placed just before s3rver's router serves V2
 * listings through s3rver's V1 (marker) listing instead, with plain base64url tokens.
 *
 * s3rver dates a bucket by its folder's birth time, which cannot be set: `creationDates`
 * (bucket → date, read on every ListBuckets) gives seeded buckets their scenario's age. An
 * object's Last-Modified is its file's mtime, which can: `setLastModified` backdates seeded objects.
 *
 * In the local runtime s3rver sits behind the sandbox, which answers ListBuckets and
 * GetBucketVersioning itself; the middlewares for those serve clients that reach s3rver directly.
 *
 * Known s3rver gap, left as is: with a delimiter, a common prefix holding only deeper
 * "folders" (`models/a/x.bin` and nothing directly under `models/`) is not reported.
 */
import { mkdir, utimes } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

interface S3rverOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  /** Path-style only: no `<bucket>.localhost` host names to resolve. */
  vhostBuckets: boolean;
}

type Query = Record<string, string | string[] | undefined>;

/** The parts of a Koa context (s3rver is a Koa app) the listing middleware touches. */
interface KoaContext {
  method: string;
  query: Query;
  body: unknown;
  type?: string;
  status?: number;
}

type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

interface S3rverInstance {
  /** Koa's middleware list; composed when the server starts listening. */
  middleware: KoaMiddleware[];
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

// s3rver is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const S3rver = require("s3rver") as new (options: S3rverOptions) => S3rverInstance;

export interface LocalS3 {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint` or `AWS_ENDPOINT_URL_S3`. */
  endpoint: string;
  /** Gives a stored object the age a scenario says it has (S3's LastModified is the write time). */
  setLastModified(bucket: string, key: string, date: Date): Promise<void>;
  close(): Promise<void>;
}

/** Port 0 (the default) picks a free port. */
export async function startLocalS3(options: {
  dataDir: string;
  port?: number;
  creationDates?: () => ReadonlyMap<string, Date>;
}): Promise<LocalS3> {
  await mkdir(options.dataDir, { recursive: true });
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    directory: options.dataDir,
    silent: true,
    vhostBuckets: false,
  });
  // The router is last; the XML encoder runs earlier, so after next() the body is still an object.
  server.middleware.splice(server.middleware.length - 1, 0, listObjectsV2, bucketVersioning);
  if (options.creationDates) {
    server.middleware.splice(server.middleware.length - 1, 0, bucketCreationDates(options.creationDates));
  }
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setLastModified: (bucket, key, date) => {
      // s3rver's filesystem layout: <dir>/<bucket>/<key folders>/<name>._S3rver_object (POSIX).
      const parts = key.split("/");
      const file = `${parts.pop()}._S3rver_object`;
      return utimes(join(options.dataDir, bucket, ...parts, file), date, date);
    },
    close: () => server.close(),
  };
}

interface ListObject {
  Key: string;
  Owner?: unknown;
}

interface ListBucketResult {
  Marker?: string;
  NextMarker?: string;
  IsTruncated: boolean;
  Contents?: ListObject[];
  CommonPrefixes?: Array<{ Prefix: string }>;
}

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

async function listObjectsV2(ctx: KoaContext, next: () => Promise<void>): Promise<void> {
  const query = ctx.query;
  // With `marker`, s3rver answers V2's InvalidArgument itself, without touching DES.
  if (ctx.method !== "GET" || query["list-type"] !== "2" || "marker" in query) return next();
  const token = single(query["continuation-token"]);
  const startAfter = single(query["start-after"]);
  const fetchOwner = query["fetch-owner"] === "true";
  const {
    "list-type": _listType,
    "continuation-token": _token,
    "start-after": _startAfter,
    "fetch-owner": _fetchOwner,
    ...rest
  } = query;
  const marker = token === undefined ? startAfter : Buffer.from(token, "base64url").toString("utf8");
  ctx.query = marker ? { ...rest, marker } : rest;

  await next();

  const result = (ctx.body as { ListBucketResult?: ListBucketResult } | undefined)?.ListBucketResult;
  if (result === undefined) return;
  const { Marker: _marker, NextMarker: _nextMarker, Contents = [], CommonPrefixes = [], ...kept } = result;
  const last = [...Contents.map((o) => o.Key), ...CommonPrefixes.map((p) => p.Prefix)].sort().at(-1);
  ctx.body = {
    ListBucketResult: {
      ...kept,
      StartAfter: token === undefined ? startAfter : undefined,
      ContinuationToken: token,
      NextContinuationToken:
        result.IsTruncated && last !== undefined
          ? Buffer.from(last, "utf8").toString("base64url")
          : undefined,
      // S3 counts common prefixes as keys.
      KeyCount: Contents.length + CommonPrefixes.length,
      Contents: Contents.map(({ Owner, ...object }) => (fetchOwner ? { ...object, Owner } : object)),
      CommonPrefixes,
    },
  };
}

interface ListAllMyBucketsResult {
  Buckets?: { Bucket?: Array<{ Name: string; CreationDate: string }> };
}

function bucketCreationDates(dates: () => ReadonlyMap<string, Date>): KoaMiddleware {
  return async (ctx, next) => {
    await next();
    const result = (ctx.body as { ListAllMyBucketsResult?: ListAllMyBucketsResult } | undefined)
      ?.ListAllMyBucketsResult;
    if (result?.Buckets?.Bucket === undefined) return;
    const known = dates();
    result.Buckets.Bucket = result.Buckets.Bucket.map((b) => {
      const date = known.get(b.Name);
      return date ? { ...b, CreationDate: date.toISOString() } : b;
    });
  };
}

/**
 * GetBucketVersioning: s3rver has no versioning and answers NotImplemented; S3 answers an empty
 * VersioningConfiguration for a bucket that was never versioned — which is the truth here.
 * (Behind the sandbox this is never reached: the sandbox answers from the scenario.)
 */
async function bucketVersioning(ctx: KoaContext, next: () => Promise<void>): Promise<void> {
  if (ctx.method !== "GET" || !("versioning" in ctx.query)) return next();
  ctx.status = 200;
  ctx.type = "application/xml";
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>';
}
